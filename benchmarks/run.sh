#!/usr/bin/env bash
# Runs Dendrite's benchmarks and the PyTorch peer, then writes the table and charts.
#
#   benchmarks/run.sh                 the short set: every benchmark, few iterations (minutes on 2 cores)
#   benchmarks/run.sh long            the publishable set: every size and shape, the benchmarks' own settings
#   benchmarks/run.sh smoke           one short iteration of the step and matmul on vector (under a minute)
#   benchmarks/run.sh gemm            issue 21's GEMM acceptance: vector against OpenBLAS, quiet and busy, five
#                                     rounds of one fork each (about 40 minutes; --jmh '-f 3' for three rounds),
#                                     judged in gemm-acceptance.md
#
# Options (after the set):
#   --threads N    threads for Dendrite (-Ddendrite.threads), OpenBLAS, OpenMP and torch alike (default: all cores)
#   --out DIR      where results go (default: benchmarks/results/<date>-<set>)
#   --no-peers     skip PyTorch, ONNX Runtime and Deeplearning4j
#   --no-build     use the jar as it is
#   --consecutive  the gemm set runs each product's forks one after another in one JMH run, as JMH does,
#                  instead of in rounds
#   --jmh 'OPTS'   more JMH options for every run, e.g. long --jmh '-f 2' for two forks (publishable numbers);
#                  JMH refuses an option that a run's command already gives (most of the short set's runs: -f,
#                  -wi, -i, -w, -r; the gemm set's: -wi, -i, -w, -r),
#                  except that the gemm set takes OPTS' -f N as its number of rounds (or forks)
#
# Finds a JDK >= 21 the way ./dendrite does, and builds benchmarks/target/benchmarks.jar (Maven) when it
# is missing or older than the sources.
set -euo pipefail

# The rest is one compound command, which bash reads to its end before running any of it: editing
# this file while a run goes on (the gemm set takes most of an hour) cannot change what that run does.
{

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
JAR="$HERE/target/benchmarks.jar"

die() { echo "run.sh: $*" >&2; exit 1; }

SET=short
case "${1:-}" in
  short|long|smoke|gemm) SET="$1"; shift ;;
esac
THREADS="$(nproc 2>/dev/null || echo 1)"
OUT=""
PEERS=1
BUILD=1
CONSECUTIVE=0
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) THREADS="${2:?--threads needs a number}"; shift 2 ;;
    --out) OUT="${2:?--out needs a folder}"; shift 2 ;;
    --no-peers) PEERS=0; shift ;;
    --no-build) BUILD=0; shift ;;
    --consecutive) CONSECUTIVE=1; shift ;;
    --jmh) EXTRA+=(${2:?--jmh needs JMH options}); shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option '$1' (see --help)" ;;
  esac
done
[ -n "$OUT" ] || OUT="$HERE/results/$(date -u +%Y-%m-%d)-$SET"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

# The JDK: ./dendrite's search (JAVA_HOME, then the newest JDK >= 21 in the usual places).
JAVA_HOME="$("$ROOT/dendrite" --print-java-home)" || die "no JDK 21 or newer found (see the message above)"
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"

stale() {
  [ -f "$JAR" ] || return 0
  [ -n "$(find "$ROOT" -maxdepth 1 -name pom.xml -newer "$JAR" -print -quit)" ] && return 0
  [ -n "$(find "$ROOT"/*/src/main "$ROOT"/*/pom.xml -newer "$JAR" -not -path '*/cli/*' -print -quit 2>/dev/null)" ]
}
if [ "$BUILD" = 1 ] && stale; then
  command -v mvn >/dev/null 2>&1 || die "Maven is needed to build the benchmarks: apt-get install maven"
  echo "run.sh: building $JAR ..." >&2
  (cd "$ROOT" && mvn -B -q -ntp -DskipTests -pl benchmarks -am package) || die "build failed (output above)"
fi
[ -f "$JAR" ] || die "$JAR is missing (run without --no-build)"

# One thread count for everyone: Dendrite's pools, OpenBLAS (netlib-native and torch's GEMM), OpenMP.
export OPENBLAS_NUM_THREADS="$THREADS" OMP_NUM_THREADS="$THREADS" MKL_NUM_THREADS="$THREADS"
# -D options before -jar reach JMH's forks (they inherit the launcher's JVM options), unlike
# -jvmArgsAppend, which would replace the benchmarks' own --add-modules flags.
# JMH's own exit status counts: with -foe true (the smoke set) a failed check or a missing backend
# fails the script; otherwise JMH reports such a run and goes on, and so does this.
FAILED=0
jmh() {
  local name="$1"; shift
  echo "== $name: $* ${EXTRA[*]}" | tee -a "$OUT/commands.txt"
  set +e
  "$JAVA" -Ddendrite.threads="$THREADS" -jar "$JAR" "$@" ${EXTRA[@]+"${EXTRA[@]}"} -rf json -rff "$OUT/$name.json" 2>&1 | tee "$OUT/$name.log" \
    | grep --line-buffered -E '(data:|check:|steady state|unavailable, skipped|^Benchmark |^[A-Z][A-Za-z]+Benchmark\.|<failure>|^[a-z.]+\.[A-Za-z]+(Exception|Error):)'
  local rc=${PIPESTATUS[0]}
  set -e
  if [ "$rc" != 0 ]; then
    echo "run.sh: $name failed (JMH exit $rc; see $OUT/$name.log)" >&2
    FAILED=1
  fi
}

# ONNX Runtime predicting the same networks, exported by Dendrite's OnnxExport.
onnx_peer() {
  if [ "$PEERS" = 1 ]; then
    jmh inference-onnx OnnxInferenceBenchmark "$@"
  else
    echo "run.sh: ONNX Runtime peer skipped (--no-peers)" >&2
  fi
}

# Deeplearning4j training and predicting the same MLP (its jars are in benchmarks.jar).
dl4j_peer() {
  if [ "$PEERS" = 1 ]; then
    jmh "$@"
  else
    echo "run.sh: Deeplearning4j peer $1 skipped (--no-peers)" >&2
  fi
}

SHORT_RUN=(-f 1 -wi 1 -i 3 -w 1s -r 1s)
case "$SET" in
  smoke)
    jmh smoke-matmul MatmulBenchmark.square -p backend=vector -p n=256 -f 1 -wi 1 -i 1 -w 1s -r 1s -foe true
    jmh smoke-step TrainStepBenchmark -p backend=vector -p model=mlp -f 1 -wi 0 -i 1 -r 1s -foe true
    PEERS=0
    ;;
  short)
    jmh peak FmaPeakBenchmark "${SHORT_RUN[@]}"
    jmh handoff HandOffBenchmark "${SHORT_RUN[@]}"
    jmh matmul-square MatmulBenchmark.square -p n=128,512,1024 "${SHORT_RUN[@]}"
    jmh matmul-mlp MatmulBenchmark.mlp -p shape=fc1.fwd,fc1.dW,fc2.dX "${SHORT_RUN[@]}"
    # An epoch of backend-scalar takes tens of seconds: timed once, without a warm-up epoch. The CNN
    # runs on the vector backend alone here (an epoch of it takes half an hour on scalar, minutes on PoCL).
    jmh epoch EpochBenchmark -p backend=vector,opencl -p model=mlp -f 1 -wi 1 -i 3
    jmh epoch-scalar EpochBenchmark -p backend=scalar -p model=mlp -f 1 -wi 0 -i 1
    dl4j_peer epoch-dl4j Dl4jEpochBenchmark -f 1 -wi 1 -i 3
    jmh epoch-cnn EpochBenchmark -p backend=vector -p model=cnn -f 1 -wi 1 -i 3
    jmh step TrainStepBenchmark -p model=mlp -prof gc "${SHORT_RUN[@]}"
    jmh step-cnn TrainStepBenchmark -p backend=vector -p model=cnn -prof gc "${SHORT_RUN[@]}"
    jmh inference InferenceBenchmark "${SHORT_RUN[@]}"
    onnx_peer "${SHORT_RUN[@]}"
    dl4j_peer inference-dl4j Dl4jInferenceBenchmark "${SHORT_RUN[@]}"
    jmh conv ConvBenchmark -p backend=vector "${SHORT_RUN[@]}"
    # backend-scalar's convolutions take up to seconds a pass: one iteration each, no warm-up.
    jmh conv-scalar ConvBenchmark -p backend=scalar -f 1 -wi 0 -i 1
    jmh recurrent RecurrentBenchmark -p backend=vector "${SHORT_RUN[@]}"
    jmh conv1d Conv1dBenchmark -p backend=vector "${SHORT_RUN[@]}"
    ;;
  gemm)
    # Issue 21's acceptance: both libraries, quiet and then beside a process burning one core, each
    # product in five forks (--jmh '-f N' for N). Five, because a short product's time moves from fork
    # to fork (where the JVM put its arrays, where the host put the threads) by as much as its margin to
    # a bar. And in rounds: JMH runs a product's forks one after another, which puts one library's five
    # minutes apart from the other's, and the shared host's state changes over minutes (benchmarks/README.md,
    # "GEMM on an AMD EPYC Zen 4, tenth"). So each round runs one fork of every product, the library that
    # goes first alternating, and JmhRounds joins the rounds into one JMH result per load, as if JMH had
    # run their forks. --consecutive runs JMH's own order instead.
    rounds=5
    rest=()
    while [ ${#EXTRA[@]} -gt 0 ]; do
      if [ "${EXTRA[0]}" = -f ]; then
        rounds="${EXTRA[1]:?--jmh -f needs a number}"
        EXTRA=("${EXTRA[@]:2}")
      else
        rest+=("${EXTRA[0]}")
        EXTRA=("${EXTRA[@]:1}")
      fi
    done
    EXTRA=(${rest[@]+"${rest[@]}"})
    [[ "$rounds" =~ ^[1-9][0-9]*$ ]] || die "--jmh -f needs a number of forks (1 or more), not '$rounds'"
    products=('MatmulBenchmark.(square|mlp)' -p n=512,1024,2048 -wi 5 -i 5 -w 1s -r 1s)
    # The machine's two-thread FMA peak first, which the acceptance sets the squares' GFLOPS against.
    jmh gemm-peak 'FmaPeakBenchmark.twoThreads'
    if [ "$CONSECUTIVE" = 1 ]; then
      for load in quiet busy; do
        jmh "gemm-$load" "${products[@]}" -p backend=vector,netlib-native -p load="$load" -f "$rounds"
      done
    else
      mkdir -p "$OUT/rounds"
      quiet=(); busy=()
      for ((r = 1; r <= rounds; r++)); do
        order=vector,netlib-native
        [ $((r % 2)) = 1 ] || order=netlib-native,vector
        for load in quiet busy; do
          jmh "rounds/gemm-$load-$r" "${products[@]}" -p backend="$order" -p load="$load" -f 1
        done
        quiet+=("$OUT/rounds/gemm-quiet-$r.json"); busy+=("$OUT/rounds/gemm-busy-$r.json")
      done
      "$JAVA" -cp "$JAR" dendrite.bench.JmhRounds "$OUT/gemm-quiet.json" "${quiet[@]}" || FAILED=1
      "$JAVA" -cp "$JAR" dendrite.bench.JmhRounds "$OUT/gemm-busy.json" "${busy[@]}" || FAILED=1
    fi
    "$JAVA" -cp "$JAR" dendrite.bench.GemmAcceptance --out "$OUT" "$OUT/gemm-peak.json" "$OUT/gemm-quiet.json" "$OUT/gemm-busy.json" \
      || FAILED=1
    PEERS=0
    ;;
  long)
    # The benchmarks' own settings: every N and MLP shape, several warm-ups and iterations; except
    # that backend-scalar, the naive reference, skips N = 2048 (about a minute per product) and
    # trains fewer epochs (half a minute each).
    jmh peak FmaPeakBenchmark
    jmh handoff HandOffBenchmark
    jmh matmul-square MatmulBenchmark.square -p backend=vector,opencl,netlib-native,netlib-java
    jmh matmul-square-scalar MatmulBenchmark.square -p backend=scalar -p n=128,256,512,1024
    jmh matmul-mlp MatmulBenchmark.mlp
    # The same products beside another process that burns one core (issue 21's busy machine).
    jmh matmul-busy MatmulBenchmark.square -p backend=vector,netlib-native -p n=512,1024,2048 -p load=busy
    jmh epoch EpochBenchmark -p backend=vector,opencl -p model=mlp
    jmh epoch-scalar EpochBenchmark -p backend=scalar -p model=mlp -wi 1 -i 2
    dl4j_peer epoch-dl4j Dl4jEpochBenchmark
    jmh epoch-cnn EpochBenchmark -p backend=vector,opencl -p model=cnn
    jmh step TrainStepBenchmark -p model=mlp -prof gc
    jmh step-cnn TrainStepBenchmark -p backend=vector,opencl -p model=cnn -prof gc
    jmh inference InferenceBenchmark
    onnx_peer
    dl4j_peer inference-dl4j Dl4jInferenceBenchmark
    jmh conv ConvBenchmark -p backend=vector
    jmh conv-scalar ConvBenchmark -p backend=scalar -wi 1 -i 2
    jmh recurrent RecurrentBenchmark
    jmh conv1d Conv1dBenchmark
    ;;
esac

if [ "$PEERS" = 1 ]; then
  if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    quick=(); [ "$SET" = long ] || quick=(--quick)
    echo "== pytorch: peers/torch_mlp.py --threads $THREADS ${quick[*]}" | tee -a "$OUT/commands.txt"
    /usr/bin/python3 "$HERE/peers/torch_mlp.py" --threads "$THREADS" "${quick[@]}" --json "$OUT/pytorch.json" \
      | tee "$OUT/pytorch.log"
    echo "== pytorch-cnn: peers/torch_mlp.py --model cnn --threads $THREADS ${quick[*]}" | tee -a "$OUT/commands.txt"
    /usr/bin/python3 "$HERE/peers/torch_mlp.py" --model cnn --threads "$THREADS" "${quick[@]}" \
      --json "$OUT/pytorch-cnn.json" | tee "$OUT/pytorch-cnn.log"
    # Debian's torch runs OpenMP over a threaded OpenBLAS, and on few cores its 1-thread run can be the
    # faster one: the report compares with the faster.
    if [ "$THREADS" -gt 1 ]; then
      echo "== pytorch-1thread: peers/torch_mlp.py --threads 1 ${quick[*]}" | tee -a "$OUT/commands.txt"
      OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 /usr/bin/python3 "$HERE/peers/torch_mlp.py" \
        --threads 1 --name pytorch-1thread "${quick[@]}" --json "$OUT/pytorch-1thread.json" | tee "$OUT/pytorch-1thread.log"
    fi
    for cell in lstm gru; do
      echo "== pytorch-$cell: peers/torch_rnn.py --cell $cell --threads $THREADS" | tee -a "$OUT/commands.txt"
      /usr/bin/python3 "$HERE/peers/torch_rnn.py" --cell "$cell" --threads "$THREADS" | tee "$OUT/pytorch-$cell.log"
    done
    echo "== pytorch-conv1d: peers/torch_conv1d.py --threads $THREADS" | tee -a "$OUT/commands.txt"
    /usr/bin/python3 "$HERE/peers/torch_conv1d.py" --threads "$THREADS" | tee "$OUT/pytorch-conv1d.log"
  else
    echo "run.sh: PyTorch peer skipped: no torch for /usr/bin/python3 (apt-get install -y python3-torch)" >&2
  fi
fi

shopt -s nullglob
results=("$OUT"/*.json)
[ ${#results[@]} -gt 0 ] || die "no results were written (see the logs in $OUT)"
"$JAVA" -cp "$JAR" dendrite.bench.Report --out "$OUT" \
  --about "Threads=$THREADS (dendrite.threads, OPENBLAS_NUM_THREADS, OMP_NUM_THREADS, torch)" \
  --about "Set=$SET (benchmarks/run.sh $SET)" "${results[@]}"
[ "$FAILED" = 0 ] || die "some benchmarks failed (see above)"
exit
}
