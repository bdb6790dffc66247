#!/usr/bin/env bash
# The test suite under valgrind memcheck (docs/robustness.md):
#
#   tools/memcheck.sh [-b DIR] [-j JOBS] [-- CTEST ARGS...]
#
# Configures and builds DIR (default build-memcheck: the plain gcc tree, RelWithDebInfo, with
# -DLB_MEMCHECK=ON) and runs `ctest -T memcheck` there: every test under memcheck, and the
# tree's own programs a test starts (lbctl, lb-emud) too; any invalid access, use of an
# uninitialised value, or definite or possible leak makes valgrind exit 99 and the test fail.
# Left out: the tests that are scripts (labels abi, deps and docs: the docs examples compare
# output, which valgrind's own lines would change; security_runpath) and the
# benchmarks that run callgrind themselves. Logs: DIR/Testing/Temporary/MemoryChecker.*.log.
# Exit 0 when every test passed with no defect.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=build-memcheck
jobs=$(nproc 2>/dev/null || echo 2)
while getopts "b:j:h" o; do
	case $o in
	b) dir=$OPTARG ;;
	j) jobs=$OPTARG ;;
	*) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLB_MEMCHECK=ON >/dev/null
cmake --build "$dir" -j "$jobs" >/dev/null
cd "$dir"
rm -f Testing/Temporary/MemoryChecker.*.log
rc=0
ctest -T memcheck -j "$jobs" --output-on-failure -LE '^(abi|deps|docs)$' \
	-E '^(security_runpath|goals_cpu_per_poll|goals_lbctl_show_state)$' "$@" || rc=$?
# ctest counts defects from the logs; say which test had them.
bad=$(grep -lE '(ERROR SUMMARY: [1-9]|definitely lost: [1-9]|possibly lost: [1-9])' \
	Testing/Temporary/MemoryChecker.*.log 2>/dev/null || true)
for f in $bad; do
	echo "memcheck: defects in $(sed -n "s/^==[0-9]*== Command: //p" "$f" | head -1)" >&2
done
[ -z "$bad" ] || rc=1
exit $rc
