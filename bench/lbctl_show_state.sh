#!/usr/bin/env bash
# The share of `lbctl show 1` spent loading and saving the emulated platform's state, measured
# with callgrind (docs/performance.md, section "lbctl show 1"):
#
#   bench/lbctl_show_state.sh [path/to/lbctl]      (default: build/bin/lbctl)
#
# In a fresh state directory it runs `lbctl --fresh up 1`, then `lbctl show 1` under callgrind,
# and prints the whole process's instructions (Ir) and the inclusive Ir of the emulator bus
# driver's state functions (drivers/bus/emulator/emulator_state.c: emu_shared_acquire,
# emu_shared_release, emu_state_*; none calls another, so their inclusive costs add up),
# with the limit. Exit 1 above the limit; exit 77 (a skip, as ctest reports it) when valgrind is not installed.
set -euo pipefail
LBCTL=${1:-build/bin/lbctl}
LIMIT_PCT=25

if ! command -v valgrind >/dev/null || ! command -v callgrind_annotate >/dev/null; then
	echo "lbctl show 1: valgrind (callgrind) not installed, not measured (skipped)"
	exit 77
fi
[ -x "$LBCTL" ] || { echo "no lbctl at $LBCTL (build first, or pass its path)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export LB_STATE_DIR="$work/state"
# a build tree's lbctl reads the source tree's data when told so (ctest does)
export LB_DATADIR="${LB_DATADIR:-$(cd "$(dirname "$0")/.." && pwd)}"
"$LBCTL" --fresh up 1 >/dev/null
valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.out" "$LBCTL" show 1 \
	>/dev/null 2>"$work/valgrind.log"
callgrind_annotate --inclusive=yes --threshold=100 --auto=no "$work/callgrind.out" \
	>"$work/annotate.txt" 2>/dev/null

total=$(awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }' "$work/annotate.txt")
grep -E 'emulator_state\.c:(emu_shared_acquire|emu_shared_release|emu_state_[a-z_]+) ' \
	"$work/annotate.txt" | grep -v '=>' >"$work/state.txt" || true
state=$(awk '{ gsub(",", "", $1); s += $1 } END { print s + 0 }' "$work/state.txt")

echo "lbctl show 1 (after lbctl --fresh up 1), callgrind, instructions (Ir):"
sed -E 's/^ *([0-9,]+) .*emulator_state\.c:([a-z_]+) .*/  \2: \1/' "$work/state.txt"
awk -v t="$total" -v s="$state" -v lim="$LIMIT_PCT" 'BEGIN {
	pct = t ? 100 * s / t : 0
	printf "  whole process    %12d Ir\n", t
	printf "  state load/save  %12d Ir  %.1f %%  (limit %d %%)  %s\n", s, pct, lim,
	       pct < lim ? "ok" : "OVER"
	exit pct < lim ? 0 : 1
}'
