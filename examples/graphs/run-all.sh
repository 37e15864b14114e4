#!/usr/bin/env bash
# Runs every example from target/graphs.jar (build it first: mvn -B -q package). Each example checks
# its own claim and exits with status 1 if it does not hold, which stops this script there. Uses $JAVA
# if set, else java on the PATH (Java 21 or newer). Fashion-MNIST must be installed (Debian's
# dataset-fashion-mnist package, /usr/share/datasets/fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")"

java_cmd="${JAVA:-java}"
jar=target/graphs.jar
if [[ ! -f "$jar" ]]; then
    echo "run-all.sh: $jar is missing; build it first with: mvn -B -q package" >&2
    exit 2
fi

examples=(FashionAutoencoder TwoHeads OrderMatters ResidualCnn)
for name in "${examples[@]}"; do
    echo "== $name"
    args=()
    if [[ "$name" == FashionAutoencoder ]]; then
        args=(target/reconstructions.png)          # under target/, so the checkout stays clean
    fi
    "$java_cmd" --add-modules jdk.incubator.vector -cp "$jar" "com.example.graphs.$name" "${args[@]}"
done
echo "all ${#examples[@]} examples hold"
