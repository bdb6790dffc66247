#!/usr/bin/env bash
# Every ELF executable and shared object given (a directory: every one under it): each
# RPATH/RUNPATH element must be an absolute path or start with $ORIGIN. An empty element or a
# relative one is searched from the current directory: a library planted there would run as
# root in lbctl or lb-emud.
#   tools/check-runpath.sh FILE|DIR...
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: check-runpath.sh FILE|DIR..." >&2; exit 2; }
command -v readelf >/dev/null || { echo "check-runpath: readelf not installed (skipped)"; exit 77; }
checked=0 bad=0
while IFS= read -r -d '' f; do
	head -c 4 "$f" 2>/dev/null | grep -q $'\x7fELF' || continue
	checked=$((checked + 1))
	paths=$(readelf -d "$f" 2>/dev/null | sed -n 's/.*(\(RPATH\|RUNPATH\)).*\[\(.*\)\]/\2/p')
	[ -n "$paths" ] || continue
	# awk keeps empty fields ("a:" has two elements, the second empty)
	n=$(awk -F: '{ for (i = 1; i <= NF; i++) if ($i !~ /^\// && $i !~ /^\$(ORIGIN|\{ORIGIN\})(\/|$)/) n++ } END { print n + 0 }' <<<"$paths")
	if [ "$n" -gt 0 ]; then
		echo "$f: run path '$paths' has $n empty or relative element(s)"
		bad=$((bad + n))
	fi
done < <(find "$@" -type f \( -perm -u+x -o -name '*.so*' \) -not -path '*/CMakeFiles/*' -print0)
echo "check-runpath: $checked ELF files, $bad bad run path elements"
[ "$checked" -gt 0 ] && [ "$bad" -eq 0 ]
