#!/usr/bin/env bash
# Host CPU per monitor poll, in instructions (valgrind's callgrind: repeatable counts, not
# seconds): the library's share and the emulator's share, with 1 and with 64 modules in the
# emulated world. Goal: flat in the number of modules (64-module cost at most 1.10 x the
# 1-module cost). Usage: bench/cpu_per_poll.sh [BUILD_DIR]   (default: build)
set -euo pipefail
build=${1:-build}
bin="$build/bench/bench_scale"
command -v valgrind >/dev/null || { echo "cpu_per_poll: valgrind not installed (skipped)" >&2; exit 77; }
[ -x "$bin" ] || { echo "cpu_per_poll: $bin not built" >&2; exit 2; }
polls=1000
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Inclusive Ir of a function in a callgrind output file.
incl() { # file function
	callgrind_annotate --inclusive=yes --threshold=100 "$1" 2>/dev/null |
		grep -E "^ *[0-9,]+ \([ 0-9.]+%\)  [^ ]*:$2( |\$)" | head -n 1 |
		awk '{ gsub(",", "", $1); print $1 }'
}

printf "%-8s %14s %14s %14s\n" modules "library Ir/poll" "emulator Ir/poll" "total Ir/poll"
declare -A total
for n in 1 64; do
	out="$tmp/cg.$n"
	valgrind --tool=callgrind --callgrind-out-file="$out" --toggle-collect=cpu_poll_loop \
		"$bin" --cpu-poll "$n" "$polls" >/dev/null 2>&1
	all=$(incl "$out" cpu_poll_loop)
	emu=$(incl "$out" lb_emu_segment_xfer)
	[ -n "$all" ] && [ -n "$emu" ] || { echo "cpu_per_poll: no figures in $out" >&2; exit 1; }
	total[$n]=$((all / polls))
	printf "%-8s %14d %14d %14d\n" "$n" $(((all - emu) / polls)) $((emu / polls)) $((all / polls))
done
ratio=$(awk -v a="${total[64]}" -v b="${total[1]}" 'BEGIN { printf "%.3f", a / b }')
echo "64 modules vs 1: ratio $ratio (limit 1.10)"
awk -v r="$ratio" 'BEGIN { exit !(r <= 1.10) }' || { echo "goal missed: CPU per poll grows with the modules" >&2; exit 1; }
