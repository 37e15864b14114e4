#!/usr/bin/env bash
# Builds benchmarks/target/hsdis/hsdis-amd64.so (see hsdis-shim.c), for reading the JIT's code:
#
#   apt-get install -y libhsdis0-fcml gcc
#   benchmarks/tools/hsdis/build.sh
#   LD_LIBRARY_PATH=benchmarks/target/hsdis java -XX:+UnlockDiagnosticVMOptions \
#       -XX:CompileCommand=print,dendrite.backend.vector.GemmKernel::multiplyPackedInto ...
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$HERE/../../target/hsdis"
[ -e /usr/lib/x86_64-linux-gnu/libhsdis.so.0 ] || { echo "build.sh: install libhsdis0-fcml first" >&2; exit 1; }
mkdir -p "$OUT"
gcc -shared -fPIC -O2 -Wall -Wextra -o "$OUT/hsdis-amd64.so" "$HERE/hsdis-shim.c" -ldl
echo "built $OUT/hsdis-amd64.so; run java with LD_LIBRARY_PATH=$OUT"
