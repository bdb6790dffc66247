#!/usr/bin/env bash
# Runs the command examples of the docs and compares their output (ctest: docs_examples).
#   check-docs.sh [--update] --build DIR --source DIR [--testdata DIR [--require-testdata]]
#                 [FILE.md...]
# Without FILEs: README.md and docs/*.md of the source tree (README.md, "Examples in the docs
# are tested", says how to re-record them). The markup:
#   ```console          a session: each "$ COMMAND" line is run by bash, and the lines after it,
#                       up to the next "$ " line or the fence, are its output: stdout, then
#                       stderr; a last line "(exit N)" is its exit status (else 0). In an
#                       output line "..." matches any text, and a line "..." alone any lines.
#   $ CMD  # doc-test: skip REASON     that command is not run (shown as SKIP)
#   <!-- doc-test: skip REASON -->    (the line before a fence) the block is not run
#   <!-- doc-test: run -->            (before a block with no "$ " prompts) the block is run
#                                     as one script (bash -e) that must exit 0; its output is
#                                     not compared
#   <!-- doc-test: in testdata -->    run the block in the real module images' folder
# Any other block or indented block that runs lbctl or lb-emud is an unchecked example: an
# error. Commands run in a scratch folder holding build/ (the build tree), platforms/, link/,
# emulator/ and the files of tests/docs/files/ (random.bin), with lbctl on PATH, LB_DATADIR the source tree and one fresh LB_STATE_DIR per file.
# --update marks a bare ``` block that starts with a "$ " line as ```console, and writes each
# failing command's actual output into the doc (an inline "..." becomes
# the text it stood for; an output with a "..." line is not rewritten but printed, to edit by
# hand).
set -euo pipefail
update=0 build="" src="" testdata="" require_testdata=0
while [ $# -gt 0 ]; do
	case $1 in
	--update) update=1 ;;
	--build) build=$2; shift ;;
	--source) src=$2; shift ;;
	--testdata) testdata=$2; shift ;;
	--require-testdata) require_testdata=1 ;;
	-*) echo "check-docs: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ -n "$build" ] && [ -n "$src" ] || { echo "usage: check-docs.sh [--update] --build DIR --source DIR [--testdata DIR [--require-testdata]] [FILE.md...]" >&2; exit 2; }
build=$(cd "$build" && pwd) src=$(cd "$src" && pwd) here=$(cd "$(dirname "$0")" && pwd)
[ -x "$build/bin/lbctl" ] || { echo "check-docs: no $build/bin/lbctl" >&2; exit 2; }
files=("$@")
[ ${#files[@]} -gt 0 ] || files=("$src/README.md" "$src"/docs/*.md)

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lb-docs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/bin"
ln -s "$build/bin/lbctl" "$tmp/bin/lbctl"
[ -x "$build/bin/lb-emud" ] && ln -s "$build/bin/lb-emud" "$tmp/bin/lb-emud"
export PATH="$tmp/bin:$PATH" LB_DATADIR="$src" LC_ALL=C TZ=UTC COLUMNS=80
unset XDG_STATE_HOME LBCTL_DEBUG

n_run=0 n_fail=0 n_skip=0
fail() { echo "FAIL: $*"; n_fail=$((n_fail + 1)); }

# The blocks of a doc, one record a line (fields separated by the unit separator \037):
#   B LINE KIND DIRECTIVE    a block: KIND console, run or unchecked
#   C LINE COMMAND           a command of a console block (LINE: its "$ " line)
#   O TEXT                   an output line of the last command
#   R LINE TEXT              a line of a "run" block
#   E LINE                   the end of the block (LINE: its closing fence)
parse() {
	awk -v US=$'\037' '
	function directive(s) { return (s ~ /^<!-- doc-test: .* -->$/) ? substr(s, 16, length(s) - 19) : "" }
	/^```/ {
		if (!inb) {
			inb = 1; info = substr($0, 4); d = directive(prev)
			kind = (info == "console") ? "console" : (d == "run" ? "run" : (d ~ /^skip / ? "skipped" : "other"))
			start = NR; n = 0
			next
		}
		inb = 0
		if (kind == "other" && runs)
			print "B" US start US "unchecked" US d
		else if (kind != "other")
			print "B" US start US kind US d
		if (kind != "other" || runs) {
			for (i = 1; i <= n; i++) print buf[i]
			print "E" US NR
		}
		runs = 0; prev = $0; next
	}
	inb {
		if (kind == "console" && $0 ~ /^\$ /) buf[++n] = "C" US NR US substr($0, 3)
		else if (kind == "console") buf[++n] = "O" US $0
		else if (kind == "run") buf[++n] = "R" US NR US $0
		else if ($0 ~ /(^|[ \/])(lbctl|lb-emud)( |$)/ && $0 ~ /^(\$ )?[^ ]*(lbctl|lb-emud)/) runs = 1
		next
	}
	/^    (\$ (build\/bin\/)?|build\/bin\/)(lbctl|lb-emud)/ && directive(prev) !~ /^skip / { print "B" US NR US "unchecked" US ""; print "E" US NR }
	{ if ($0 != "") prev = $0 }
	' "$1"
}

# Does output line pattern $1 match text $2? ("..." matches any text; nothing else is special.)
line_matches() {
	local p=$1
	p=${p//\\/\\\\}
	p=${p//\*/\\*}
	p=${p//\?/\\?}
	p=${p//\[/\\[}
	p=${p//.../*}
	[[ $2 == $p ]]
}

# Do the expected lines EXP[] match the actual lines ACT[]? A line "..." takes any lines.
declare -a EXP ACT
declare -A memo
match_from() { # i j
	local i=$1 j=$2 key="$1,$2" r=1
	[ -n "${memo[$key]-}" ] && return "${memo[$key]}"
	if [ "$i" -ge ${#EXP[@]} ]; then
		[ "$j" -ge ${#ACT[@]} ] && r=0
	elif [ "${EXP[i]}" = "..." ]; then
		local k
		for ((k = j; k <= ${#ACT[@]}; k++)); do
			if match_from $((i + 1)) "$k"; then r=0; break; fi
		done
	elif [ "$j" -lt ${#ACT[@]} ] && line_matches "${EXP[i]}" "${ACT[j]}"; then
		match_from $((i + 1)) $((j + 1)) && r=0
	fi
	memo[$key]=$r
	return $r
}

# Lines of file $1 into the array named $2, trailing blanks of each line and trailing empty
# lines dropped.
read_lines() {
	local -n into=$2
	mapfile -t into < <(sed 's/[[:space:]]*$//' "$1")
	while [ ${#into[@]} -gt 0 ] && [ -z "${into[${#into[@]} - 1]}" ]; do unset 'into[${#into[@]}-1]'; done
}

edits=() # for --update: "FIRST_LINE LAST_LINE FILE_WITH_NEW_LINES" of one doc, applied bottom-up

# Runs one command of a console block and compares; $1 doc, $2 line, $3 command, $4 workdir,
# $5 file of the expected lines, $6 line of the last expected line.
check_command() {
	local doc=$1 line=$2 cmd=$3 dir=$4 expf=$5 last=$6 where="${1#"$src"/}:$2"
	if [[ $cmd =~ \#\ doc-test:\ skip\ (.*)$ ]]; then
		echo "SKIP $where: \$ ${cmd%%  *#*}: ${BASH_REMATCH[1]}"
		n_skip=$((n_skip + 1))
		return
	fi
	n_run=$((n_run + 1))
	local want=0 rc=0
	# the blank lines that end the expected output separate it from the next command: kept
	last=$((last - $(tac "$expf" | awk 'NF { exit } { n++ } END { print n + 0 }')))
	read_lines "$expf" EXP
	if [ ${#EXP[@]} -gt 0 ] && [[ ${EXP[${#EXP[@]} - 1]} =~ ^\(exit\ ([0-9]+)\)$ ]]; then
		want=${BASH_REMATCH[1]}
		unset 'EXP[${#EXP[@]}-1]'
	fi
	(cd "$dir" && timeout 120 bash -c "$cmd" >"$tmp/out" 2>"$tmp/err" </dev/null) || rc=$?
	cat "$tmp/out" "$tmp/err" >"$tmp/actual"
	read_lines "$tmp/actual" ACT
	memo=()
	if [ "$rc" -eq "$want" ] && match_from 0 0; then
		return
	fi
	fail "$where: \$ $cmd"
	[ "$rc" -eq "$want" ] || echo "  exit status $rc, the doc says $want"
	diff -u --label doc --label actual <(printf '%s\n' "${EXP[@]}") "$tmp/actual" | sed -n '3,40s/^/  /p' || true
	if [ $update -eq 1 ]; then
		if printf '%s\n' "${EXP[@]}" | grep -qx '\.\.\.'; then
			echo "  (not updated: the doc leaves lines out with '...'; edit it by hand)"
		else
			local new="$tmp/new.$line"
			sed 's/[[:space:]]*$//' "$tmp/actual" >"$new"
			[ "$rc" -ne 0 ] && echo "(exit $rc)" >>"$new"
			edits+=("$((line + 1)) $last $new")
		fi
	fi
}

# A "run" block: its lines as one script (bash -e, each command traced), which must exit 0.
run_block() { # where, workdir
	n_run=$((n_run + 1))
	if ! (cd "$2" && timeout 300 bash -e -x "$tmp/script" >"$tmp/out" 2>&1 </dev/null); then
		fail "$1: the block's commands failed; the last lines:"
		tail -n 8 "$tmp/out" | sed 's/^/  /'
	fi
}

# --update: a bare ``` block that is a session (its first line a "$ " prompt, and no mark
# before it) becomes ```console, to be run and re-recorded with the rest.
mark_sessions() {
	awk '
	{ line[NR] = $0 }
	END {
		for (i = 1; i <= NR; i++) {
			if (line[i] ~ /^```/) {
				if (!inb && line[i] == "```" && line[i + 1] ~ /^\$ / && prev !~ /^<!-- doc-test: /) {
					line[i] = "```console"
					n++
				}
				inb = !inb
			}
			if (line[i] != "") prev = line[i]
		}
		for (i = 1; i <= NR; i++) print line[i]
		if (n) printf "marked %d session(s) console\n", n > "/dev/stderr"
	}' "$1" >"$tmp/doc" && cat "$tmp/doc" >"$1"
}

check_doc() {
	local doc=$1 name=${1#"$src"/}
	[ $update -eq 1 ] && mark_sessions "$doc"
	local state=$tmp/state dir=$tmp/work
	rm -rf "$state" "$dir"
	mkdir -m 700 "$state"
	mkdir "$dir"
	ln -s "$build" "$dir/build"
	ln -s "$src/platforms" "$dir/platforms"
	ln -s "$src/link" "$dir/link"
	ln -s "$src/emulator" "$dir/emulator"
	local f
	for f in "$here"/files/*; do ln -s "$f" "$dir/"; done # files the examples name
	export LB_STATE_DIR=$state
	edits=()
	local rec kind bline directive cwd cmd="" cline=0 expf="$tmp/exp" last=0 skipping=0
	while IFS=$'\037' read -r -a rec; do
		case ${rec[0]} in
		B)
			bline=${rec[1]} kind=${rec[2]} directive=${rec[3]-} cwd=$dir skipping=0 cmd=""
			: >"$tmp/script"
			if [ "$kind" = unchecked ]; then
				fail "$name:$bline: an example that runs lbctl or lb-emud with no doc-test mark (\`\`\`console, or <!-- doc-test: run|skip REASON -->)"
				skipping=1
			elif [[ $directive == skip\ * ]]; then
				echo "SKIP $name:$bline: block: ${directive#skip }"
				n_skip=$((n_skip + 1))
				skipping=1
			elif [ "$directive" = "in testdata" ]; then
				if [ -n "$testdata" ] && [ -d "$testdata" ]; then
					cwd=$testdata
				elif [ $require_testdata -eq 1 ]; then
					fail "$name:$bline: the real module images are required, and not at '$testdata'"
					skipping=1
				else
					echo "SKIP $name:$bline: block: needs the real module images (--testdata)"
					n_skip=$((n_skip + 1))
					skipping=1
				fi
			fi
			;;
		C | E)
			if [ "$kind" = run ] && [ "${rec[0]}" = E ] && [ $skipping -eq 0 ]; then
				run_block "$name:$bline" "$cwd"
			fi
			if [ -n "$cmd" ] && [ $skipping -eq 0 ]; then
				last=$((rec[1] - 1)) # the line before the next "$ " line or the fence
				check_command "$doc" "$cline" "$cmd" "$cwd" "$expf" "$last"
			fi
			cmd="" && : >"$expf"
			if [ "${rec[0]}" = C ]; then cline=${rec[1]} cmd=${rec[2]}; fi
			;;
		O) printf '%s\n' "${rec[1]-}" >>"$expf" ;;
		R) [ $skipping -eq 1 ] || printf '%s\n' "${rec[2]-}" >>"$tmp/script" ;;
		esac
	done < <(parse "$doc")
	if [ $update -eq 1 ] && [ ${#edits[@]} -gt 0 ]; then
		local e first lastl new i
		for ((i = ${#edits[@]} - 1; i >= 0; i--)); do
			read -r first lastl new <<<"${edits[i]}"
			awk -v f="$first" -v l="$lastl" -v new="$new" '
				NR == f { while ((getline x < new) > 0) print x }
				NR >= f && NR <= l { next }
				{ print }' "$doc" >"$tmp/doc" &&
				cat "$tmp/doc" >"$doc"
		done
		echo "updated $name: ${#edits[@]} output(s)"
	fi
}

for f in "${files[@]}"; do
	check_doc "$f"
done
echo "check-docs: $n_run commands run, $n_fail failed, $n_skip skipped (marked in the docs)"
[ $n_fail -eq 0 ]
