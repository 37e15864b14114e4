#!/usr/bin/env bash
# A/B of two benchmark jars (say, before and after a change), alternated so that drift in the
# machine's state hits both alike: old, new, old, new.
#
#   benchmarks/tools/ab-jars.sh OLD.jar NEW.jar [OUT_DIR]
#
# Writes one JMH JSON file per run into OUT_DIR (default /tmp/ab). Settings are short (-f 1, 5 x 1 s
# warm-up and measurement): enough for ratios on a quiet machine, not for publishable times.
set -u
OLD=${1:?old jar}; NEW=${2:?new jar}; OUT=${3:-/tmp/ab}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
J="$("$ROOT/dendrite" --print-java-home)/bin/java"
FLAGS="-Ddendrite.threads=2 --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
export OPENBLAS_NUM_THREADS=2 OMP_NUM_THREADS=2
mkdir -p "$OUT"
run() { # name jar args...
  local name=$1 jar=$2; shift 2
  "$J" $FLAGS -jar "$jar" "$@" -rf json -rff "$OUT/$name.json" > "$OUT/$name.log" 2>&1
}
for round in 1 2; do
  for v in old new; do
    if [ $v = old ]; then jar=$OLD; else jar=$NEW; fi
    run inference-$v-$round "$jar" InferenceBenchmark.single -p backend=vector -f 1 -wi 5 -i 5 -w 1s -r 1s
    run step-$v-$round "$jar" TrainStepBenchmark -p backend=vector -prof gc -f 1 -wi 5 -i 5 -w 1s -r 1s
    run mlp-$v-$round "$jar" MatmulBenchmark.mlp -p backend=vector -f 1 -wi 3 -i 5 -w 1s -r 1s
    run epoch-$v-$round "$jar" EpochBenchmark -p backend=vector -f 1 -wi 1 -i 5
  done
done
run square-netlib "$NEW" MatmulBenchmark.square -p backend=netlib-native -p n=512,1024 -f 1 -wi 3 -i 5 -w 1s -r 1s
run square-old "$OLD" MatmulBenchmark.square -p backend=vector -p n=512,1024 -f 1 -wi 3 -i 5 -w 1s -r 1s
run square-new "$NEW" MatmulBenchmark.square -p backend=vector -p n=512,1024 -f 1 -wi 3 -i 5 -w 1s -r 1s
echo "results in $OUT"
