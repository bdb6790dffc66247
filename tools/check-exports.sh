#!/usr/bin/env bash
# A shared library exports exactly the LB_API functions its public headers declare, every one
# under its version node, and nothing else (ctest label abi):
#   tools/check-exports.sh [--forbid REGEX] LIB.so NODE HEADER...
# --forbid: no symbol at all (local ones too, from `nm`) may match REGEX, e.g. no emulator
# code in liblightbridge. Prints what is wrong; exit 0 when all is well, 1 otherwise.
set -euo pipefail
forbid=""
if [ "${1:-}" = "--forbid" ]; then
	forbid=$2
	shift 2
fi
[ $# -ge 3 ] || { echo "usage: $0 [--forbid REGEX] LIB.so NODE HEADER..." >&2; exit 2; }
lib=$1 node=$2
shift 2
name=$(basename "$lib")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Dynamic symbols defined here, as NAME@@NODE; the node itself shows as an absolute symbol.
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort -u >"$tmp/dyn"
sed 's/@.*//' "$tmp/dyn" | sort -u >"$tmp/exported"
# Every LB_API declaration names its function on its own line, just before the '('.
grep -h 'LB_API' "$@" | grep -v '#define' |
	sed -E 's/\(.*//; s/.*[^A-Za-z0-9_]([A-Za-z_][A-Za-z0-9_]*)[[:space:]]*$/\1/' | sort -u >"$tmp/declared"

bad=0
if comm -23 "$tmp/exported" "$tmp/declared" | grep -q .; then
	echo "$name exports symbols that no public header declares LB_API:"
	comm -23 "$tmp/exported" "$tmp/declared" | sed 's/^/  /'
	bad=1
fi
if comm -13 "$tmp/exported" "$tmp/declared" | grep -q .; then
	echo "$name does not export functions its public headers declare LB_API:"
	comm -13 "$tmp/exported" "$tmp/declared" | sed 's/^/  /'
	bad=1
fi
if grep -v "@@$node\$" "$tmp/dyn" | grep -q .; then
	echo "$name exports symbols outside the version node $node:"
	grep -v "@@$node\$" "$tmp/dyn" | sed 's/^/  /'
	bad=1
fi
if [ -n "$forbid" ] && nm "$lib" 2>/dev/null | awk '{ print $NF }' | grep -Eq "$forbid"; then
	echo "$name holds symbols matching '$forbid' (code that belongs to another library):"
	nm "$lib" | awk '{ print $NF }' | grep -E "$forbid" | sort -u | head -20 | sed 's/^/  /'
	bad=1
fi
[ $bad -eq 0 ] && echo "$name: $(wc -l <"$tmp/exported") exported functions, all declared LB_API, all in $node"
exit $bad
