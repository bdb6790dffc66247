#!/usr/bin/env bash
# The dependency rule of docs/architecture.md, enforced on the #include lines of the tree
# (ctest deps_rule):
#   tools/check-deps.sh [SOURCE_DIR]     check the tree (default: this script's tree)
#   tools/check-deps.sh --self-test      check that a tree breaking each rule is refused
# A quoted include with a '/' names a file from the top of the tree ("hal/core/ctx_internal.h");
# one without names a file next to the includer; angle includes of <lightbridge/...> are the
# public headers. Prints every include that breaks a rule; exit 0 when there is none, 1 otherwise.
set -euo pipefail

# folder | quoted includes it may make (top-level folders; "." = only its own folder) |
# public headers it may not include | other headers it may not include | why
RULES=(
	"util|.|emulator.h lightbridge.h||the options reader is the lowest leaf: public headers only"
	"link|.|emulator.h lightbridge.h|jansson.h|the link model is a leaf: public headers only, JSON through the options reader"
	"emulator|.|||the emulator never includes the core (public headers only)"
	"hal|hal util|emulator.h lightbridge.h||the core never includes the emulator or a driver"
	"drivers|drivers|||drivers see the public headers only"
	"tools|tools|||tools are on the public API alone"
	"examples|.|||examples are on the public API alone"
	"bench|.|||benchmarks are on the public API"
)

check_tree() { # root -> prints violations, returns 1 if any
	local root=$1 bad=0
	local rule dir allowed forbid_pub forbid_other why
	for rule in "${RULES[@]}"; do
		IFS='|' read -r dir allowed forbid_pub forbid_other why <<<"$rule"
		[ -d "$root/$dir" ] || continue
		while IFS= read -r hit; do
			local file=${hit%%:*} rest=${hit#*:}
			local line=${rest%%:*} text=${rest#*:}
			local rel=${file#"$root"/} inc msg=""
			if [[ $text =~ \#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]]; then
				inc=${BASH_REMATCH[1]}
				if [[ $inc == *..* ]]; then
					msg="\"$inc\": no relative paths out of a folder"
				elif [[ $inc == */* ]]; then
					local top=${inc%%/*} ok=0 a
					for a in $allowed; do
						[ "$a" = "." ] && a=$dir
						[ "$a" = "$top" ] && ok=1
					done
					[ $ok = 1 ] || msg="\"$inc\""
				fi
			elif [[ $text =~ \#[[:space:]]*include[[:space:]]*\<([^\>]+)\> ]]; then
				inc=${BASH_REMATCH[1]}
				local h
				for h in $forbid_pub; do
					[ "$inc" = "lightbridge/$h" ] && msg="<$inc>"
				done
				for h in $forbid_other; do
					[ "$inc" = "$h" ] && msg="<$inc>"
				done
			fi
			if [ -n "$msg" ]; then
				echo "$rel:$line: includes $msg ($dir/: $why)"
				bad=1
			fi
		done < <(grep -rnE --include='*.c' --include='*.h' --include='*.in' '^[[:space:]]*#[[:space:]]*include' "$root/$dir" || true)
	done
	return $bad
}

self_test() {
	local t
	t=$(mktemp -d)
	trap 'rm -rf "$t"' RETURN
	mkdir -p "$t/link" "$t/emulator/cmis" "$t/hal/core" "$t/util" "$t/drivers/bus/x" "$t/tools/y"
	local I='#include'
	printf '#include "link_internal.h"\n#include <lightbridge/link.h>\n' >"$t/link/good.c"
	printf '%s "hal/core/ctx_internal.h"\n' "$I" >"$t/link/a.c"
	printf '#include <jansson.h>\n' >"$t/link/b.c"
	printf '#include "emulator/cmis/emu_module.h"\n' >"$t/link/c.c"
	printf '%s "drivers/bus/x/x.h"\n' "$I" >"$t/link/d.c"
	printf '  #  include "hal/bus/bus_internal.h"\n' >"$t/emulator/cmis/e.c"
	printf '#include "emulator/i2c/emu_world.h"\n#include <lightbridge/emulator.h>\n' >"$t/hal/core/f.c"
	printf '%s "util/options_internal.h"\n%s "hal/core/ctx_internal.h"\n' "$I" "$I" >"$t/drivers/bus/x/g.c"
	printf '%s "../hal/core/ctx_internal.h"\n' "$I" >"$t/util/h.c"
	printf '%s "drivers/bus/x/x.h"\n#include "tools/y/y.h"\n' "$I" >"$t/tools/y/i.c"
	local out
	if out=$(check_tree "$t"); then
		echo "self-test: a tree that breaks the rule passed"
		return 1
	fi
	local want
	for want in "link/a.c:1: includes \"hal/core/ctx_internal.h\"" "link/b.c:1: includes <jansson.h>" \
		"link/c.c:1: includes \"emulator/cmis/emu_module.h\"" "link/d.c:1: includes \"drivers/bus/x/x.h\"" \
		"emulator/cmis/e.c:1: includes \"hal/bus/bus_internal.h\"" \
		"hal/core/f.c:1: includes \"emulator/i2c/emu_world.h\"" "hal/core/f.c:2: includes <lightbridge/emulator.h>" \
		"drivers/bus/x/g.c:1: includes \"util/options_internal.h\"" \
		"drivers/bus/x/g.c:2: includes \"hal/core/ctx_internal.h\"" "util/h.c:1: includes \"../hal" \
		"tools/y/i.c:1: includes \"drivers/bus/x/x.h\""; do
		if ! grep -qF "$want" <<<"$out"; then
			echo "self-test: not reported: $want"
			echo "$out"
			return 1
		fi
	done
	if grep -q "good.c\|tools/y/i.c:2" <<<"$out"; then
		echo "self-test: a file within the rule was reported"
		return 1
	fi
	echo "self-test: $(wc -l <<<"$out") breaches reported, each as expected"
}

if [ "${1:-}" = "--self-test" ]; then
	self_test
	exit $?
fi
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
if check_tree "$root"; then
	echo "dependency rule: kept ($(for r in "${RULES[@]}"; do printf '%s/ ' "${r%%|*}"; done))"
else
	exit 1
fi
