#!/usr/bin/env bash
# lbctl's bash completion and the list it and lbctl(1) are made from (ctest: completion_lbctl).
#  - docs/man/lbctl-commands.txt agrees with lbctl: the same commands as 'lbctl --help' lists,
#    and for lbctl and each command the same options as its --help usage line(s) name;
#  - the generated completion, loaded as bash-completion loads it (sourced in a function),
#    completes commands, options, option values and port names.
#   check-completion.sh LBCTL COMPLETION_FILE TABLE SOURCE_DIR
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: check-completion.sh LBCTL COMPLETION_FILE TABLE SOURCE_DIR" >&2; exit 2; }
lbctl=$1 completion=$2 table=$3 src=$4
failed=0
fail() { echo "FAIL: $*"; failed=1; }

field() { # KIND FIELD(2..5) NAME(field 2, or all)
	awk -F' *[|] +' -v k="$1" -v f="$2" -v n="${3-}" '
		/^[ \t]*(#|$)/ { next }
		{ sub(/ +$/, "", $2) }
		$1 ~ "^" k " *$" && (n == "" || $2 == n) { print $f }' "$table"
}
# The options a usage text names (the lines up to the first empty one), sorted, one a line.
usage_options() { sed '/^$/q' | grep -o -- '--[a-z][a-z-]*' | sort -u; }
table_options() { tr ' ' '\n' | sed -n 's/=.*//; /^--/p' | sort -u; }

export LB_DATADIR=$src
# 1. The commands.
want=$(field command 2 | sort)
have=$("$lbctl" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }' | sort)
[ "$want" = "$have" ] && echo "ok: commands: $(echo $want)" ||
	fail "commands: lbctl --help lists '$(echo $have)', the table '$(echo $want)'"
# 2. The options, global and per command (--help, and lbctl's --version, are not in the
#    usage lines: they are taken as there when they work).
want=$(field option 2 | table_options)
have=$( ("$lbctl" --help | usage_options; "$lbctl" --version >/dev/null && printf -- '--help\n--version\n') | sort -u)
[ "$want" = "$have" ] && echo "ok: global options" ||
	fail "global options: lbctl --help: $(echo $have); the table: $(echo $want)"
for c in $(field command 2); do
	want=$( (field command 4 "$c"; echo --help) | table_options)
	have=$( ("$lbctl" "$c" --help | usage_options; echo --help) | sort -u)
	[ "$want" = "$have" ] && echo "ok: $c options" ||
		fail "$c options: lbctl $c --help: $(echo $have); the table: $(echo $want)"
done

# 3. The completion, sourced inside a function as bash-completion's loader does.
state=$(mktemp -d "${TMPDIR:-/tmp}/lb-completion.XXXXXX")
trap 'rm -rf "$state"' EXIT
chmod 700 "$state"
export LB_STATE_DIR=$state PATH="$(dirname "$lbctl"):$PATH"
load() { source "$completion"; }
load
complete_line() { # the words bash would offer for the line $1 (cursor at its end)
	COMP_LINE=$1 COMP_POINT=${#1}
	read -ra COMP_WORDS <<<"$1"
	[[ $1 == *' ' ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_lbctl
	echo "${COMPREPLY[*]}"
}
expect() { # line, expected words
	local got
	got=$(complete_line "$1")
	[ "$got" = "$2" ] && echo "ok: '$1' -> $got" || fail "'$1' completes to '$got', expected '$2'"
}
cd "$src"
expect "lbctl " "$(field command 2 | xargs)"
expect "lbctl sh" "show"
expect "lbctl --da" "--data-dir"
expect "lbctl --platform platforms/emulated-def" "platforms/emulated-default.json"
expect "lbctl show " "1 Ethernet0 2 Ethernet8 3 Ethernet16 4 Ethernet24 5 Ethernet32 6 Ethernet40"
expect "lbctl --fresh show Ethernet1" "Ethernet16"
expect "lbctl up 1,2 " ""
expect "lbctl up al" "all"
expect "lbctl dump 1 --p" "--page"
expect "lbctl dump 1 --page " ""
expect "lbctl power 3 " "low high"
expect "lbctl plan " "link lossless"
expect "lbctl plan link --mo" "--mode --modes"
expect "lbctl plan link --modes link/modes." "link/modes.json"
expect "lbctl decode platforms/emulated-def" "platforms/emulated-default.json"
exit $failed
