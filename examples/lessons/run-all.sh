#!/usr/bin/env bash
# Runs every lesson from target/lessons.jar (build it first: mvn -B -q package). Each lesson checks
# its own claim and exits with status 1 if it does not hold, which stops this script there.
# Uses $JAVA if set, else java on the PATH; it must be Java 21 or newer.
set -euo pipefail
cd "$(dirname "$0")"

java_cmd="${JAVA:-java}"
jar=target/lessons.jar
if [[ ! -f "$jar" ]]; then
    echo "run-all.sh: $jar is missing; build it first with: mvn -B -q package" >&2
    exit 2
fi

lessons=(OneNeuron Xor ServerLoad BrokenNetworks Autoencoder DecisionBoundary CustomLayer PicturesInFolders)
for name in "${lessons[@]}"; do
    echo "== $name"
    args=()
    if [[ "$name" == DecisionBoundary ]]; then
        args=(target/decision-boundary.png)          # under target/, so the checkout stays clean
    elif [[ "$name" == PicturesInFolders ]]; then
        args=(target/pictures)
    fi
    "$java_cmd" --add-modules jdk.incubator.vector -cp "$jar" "com.example.lessons.$name" "${args[@]}"
done
echo "all ${#lessons[@]} lessons hold"
