#!/usr/bin/env bash
# Refresh the ABI baselines, abi/liblightbridge.abi and abi/liblightbridge-emu.abi, that the
# ctest tests abi_* compare each build against. Run it for an intended ABI change and commit
# the XML with the change:
#   tools/abi-baseline.sh [BUILD_DIR]
# BUILD_DIR (default build-abi) is configured as the plain tree (gcc, RelWithDebInfo, no
# sanitizer) and only the two libraries are built there.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v abidw >/dev/null || { echo "abidw not found (Debian: abigail-tools)" >&2; exit 1; }
dir=${1:-build-abi}
CC=gcc cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLB_SANITIZE=OFF >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target lightbridge lightbridge_emu
mkdir -p abi
for lib in liblightbridge liblightbridge-emu; do
	# No paths, no DT_NEEDED, no undefined symbols: the XML says what the library offers.
	abidw --headers-dir include/lightbridge --no-corpus-path --no-comp-dir-path --short-locs \
		--no-elf-needed --drop-undefined-syms --out-file "abi/$lib.abi" "$(ls "$dir"/lib*/"$lib.so" | head -n 1)"
	echo "abi/$lib.abi: $(grep -c '<elf-symbol ' "abi/$lib.abi") exported functions"
done
git --no-pager diff --stat -- abi/ 2>/dev/null || true
