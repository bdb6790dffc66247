#!/usr/bin/env bash
# Build the libFuzzer tree (clang, -DLB_FUZZ=ON) and run the harnesses of tests/fuzz/:
#
#   tools/fuzz.sh [-r RUNS] [-t SECONDS] [-j JOBS] [-b DIR] [-n] [TARGET[=RUNS]...]
#
#   -r RUNS     executions per target (libFuzzer -runs), default 100000
#   -t SECONDS  cap per target (libFuzzer -max_total_time), default 600
#   -j JOBS     targets run at a time, default 2
#   -b DIR      the fuzz build tree, default build-fuzz
#   -n          do not build (use what DIR holds)
#   TARGET      image decode profile platform state state_file link options lbctl bus
#               (default: all); TARGET=RUNS gives that target its own count
#
# Each target starts from DIR/corpus/TARGET (kept between runs; the seeds of
# tests/fuzz/seeds/TARGET are copied in) plus the tree's directories listed in
# DIR/tests/fuzz/targets.txt, read only (files listed there are copied in). Crashes, leaks and timeouts go to DIR/artifacts/TARGET/, the log to
# DIR/logs/TARGET.log. At the end one line per target: executions, edge coverage and
# features (libFuzzer's cov and ft at the end), exec/s, crashes (crash, leak, OOM or any
# sanitizer report), timeouts; the same table goes to DIR/fuzz-results.txt. Exit 1 when any
# target crashed or timed out.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$PWD

runs=100000
cap=600
jobs=2
dir=build-fuzz
build=1
while getopts "r:t:j:b:nh" o; do
	case $o in
	r) runs=$OPTARG ;;
	t) cap=$OPTARG ;;
	j) jobs=$OPTARG ;;
	b) dir=$OPTARG ;;
	n) build=0 ;;
	*) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
ALL=(image decode profile platform state state_file link options lbctl bus)
declare -A count
targets=()
for a in "${@:-${ALL[@]}}"; do
	t=${a%%=*}
	[[ " ${ALL[*]} " == *" $t "* ]] || { echo "fuzz.sh: unknown target '$t'" >&2; exit 2; }
	targets+=("$t")
	if [[ $a == *=* ]]; then count[$t]=${a#*=}; else count[$t]=$runs; fi
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [ $build = 1 ]; then
	cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DLB_FUZZ=ON -DLB_BUILD_TESTS=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]/#/fuzz_}" >/dev/null
fi

run_one() { # target
	local t=$1 corpus=$dir/corpus/$1 art=$dir/artifacts/$1 log=$dir/logs/$1.log extra=() dict=()
	mkdir -p "$corpus" "$art" "$dir/logs"
	cp -n "$SRC/tests/fuzz/seeds/$t/"* "$corpus/" 2>/dev/null || true
	local e listed=()
	read -r -a listed <<<"$(awk -v t="$t" '$1 == t { $1 = ""; print }' "$dir/tests/fuzz/targets.txt")"
	for e in "${listed[@]}"; do # libFuzzer reads directories: files are copied in
		if [ -d "$e" ]; then extra+=("$e"); else cp -n "$e" "$corpus/"; fi
	done
	local d
	for d in "fuzz_$t.dict" "fuzz_${t%_file}.dict"; do # state_file shares state's
		[ -f "$SRC/tests/fuzz/$d" ] && { dict=(-dict="$SRC/tests/fuzz/$d"); break; }
	done
	# The harnesses' private directories (a crash or a kill leaves them): here, cleared each run.
	rm -rf "$dir/tmp/$t" && mkdir -p "$dir/tmp/$t"
	local start=$SECONDS rc=0 mark=$dir/logs/$t.start
	touch "$mark" # artifacts of earlier runs are not this run's
	sleep 1
	TMPDIR=$dir/tmp/$t "$dir/tests/fuzz/fuzz_$t" -runs="${count[$t]}" -max_total_time="$cap" -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/" "${dict[@]}" \
		"$corpus" "${extra[@]}" >"$log" 2>&1 || rc=$?
	local secs=$((SECONDS - start))
	local last execs eps cov ft crashes timeouts
	last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -1 || true)
	execs=$(sed -n 's/^stat::number_of_executed_units: //p' "$log" | tail -1)
	eps=$(sed -n 's/^stat::average_exec_per_sec: //p' "$log" | tail -1)
	cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
	ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
	timeouts=$(find "$art" -name 'timeout-*' -newer "$mark" | wc -l)
	crashes=$(find "$art" \( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' \) -newer "$mark" | wc -l)
	if [ "$crashes" = 0 ] && grep -qE 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:|deadly signal' "$log"; then
		crashes=1 # a report without an artifact
	fi
	printf '%-11s %12s %7s %7s %9s %8s %9s %7s %7s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
		"${eps:-?}" "$crashes" "$timeouts" "$secs" "$(find "$corpus" -type f | wc -l)" \
		>"$dir/logs/$t.result"
	[ "$rc" = 0 ] || echo "fuzz_$t: exit $rc, see $log" >&2
}

for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
	echo "fuzz_$t: ${count[$t]} runs (at most ${cap} s)" >&2
	run_one "$t" &
done
wait

{
	printf '%-11s %12s %7s %7s %9s %8s %9s %7s %7s\n' target runs cov ft exec/s crashes timeouts secs corpus
	for t in "${targets[@]}"; do cat "$dir/logs/$t.result"; done
} | tee "$dir/fuzz-results.txt"
awk 'NR > 1 { bad += $6 + $7; runs += $2 } END { printf "total runs %d\n", runs; exit bad > 0 }' \
	"$dir/fuzz-results.txt"
