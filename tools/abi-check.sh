#!/usr/bin/env bash
# ABI check of one shared library against its baseline ABI in abi/ (ctest label abi):
#   tools/abi-check.sh BASELINE.abi LIB.so HEADERS_DIR
#   tools/abi-check.sh --skip REASON          (a tree where the check cannot run: exit 77)
# Any change, an added function too, fails with abidiff's report and its status (4: the ABI
# changed, 12: incompatibly; 1: abidiff error). An intended ABI change: run
# tools/abi-baseline.sh and commit abi/*.abi with the change.
set -u
if [ "${1:-}" = "--skip" ]; then
	echo "abi-check: skipped: $2"
	exit 77
fi
[ $# -eq 3 ] || { echo "usage: $0 BASELINE.abi LIB.so HEADERS_DIR | --skip REASON" >&2; exit 2; }
baseline=$1 lib=$2 headers=$3
if ! command -v abidiff >/dev/null; then
	echo "abi-check: abidiff not found (Debian: abigail-tools; tools/run.sh installs it)"
	exit 1
fi
if [ ! -f "$baseline" ]; then
	echo "abi-check: no baseline $baseline: run tools/abi-baseline.sh and commit it"
	exit 1
fi
abidiff --fail-no-debug-info --hd2 "$headers" "$baseline" "$lib"
rc=$?
if [ $rc -eq 0 ]; then
	echo "abi-check: $(basename "$lib") matches $(basename "$baseline")"
else
	echo "abi-check: $(basename "$lib") differs from $baseline (abidiff status $rc)."
	echo "An intended ABI change: run tools/abi-baseline.sh and commit abi/*.abi with the change."
fi
exit $rc
