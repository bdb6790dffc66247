#!/usr/bin/env bash
# The installed tree, as a user gets it (ctest: install_tree). cmake --install into a
# temporary prefix, then:
#  - the pkg-config files name that prefix; a consumer (consumer/consumer.c) builds and runs
#    with pkg-config (shared), with pkg-config --static against the archives alone, and with
#    find_package(lightbridge), shared and static;
#  - the installed lbctl and lb-emud load their libraries from the prefix (RUNPATH
#    $ORIGIN/../LIBDIR) and never read data from the source tree: with no LB_DATADIR the library
#    looks beside itself (PREFIX/share/lightbridge) and in the configured data directory only;
#  - the LICENSE, the man pages and the bash completion are installed.
#   check-install.sh BUILD_DIR SOURCE_DIR C_COMPILER CONFIGURED_DATADIR [CFLAGS]
# CFLAGS: what the consumer needs besides (a sanitizer tree's -fsanitize=...).
set -euo pipefail
[ $# -eq 4 ] || [ $# -eq 5 ] ||
	{ echo "usage: check-install.sh BUILD_DIR SOURCE_DIR C_COMPILER CONFIGURED_DATADIR [CFLAGS]" >&2; exit 2; }
build=$1 src=$2 cc=$3 configured_datadir=$4 cflags=${5-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lb-install-tree.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failed=0
fail() { echo "FAIL: $*"; failed=1; }
pass() { echo "ok: $*"; }

install_to() { # prefix
	cmake --install "$build" --prefix "$1" >"$tmp/install.log" 2>&1 ||
		{ cat "$tmp/install.log"; echo "FAIL: cmake --install --prefix $1"; exit 1; }
}
stage=$tmp/stage
install_to "$stage"
libdir=$(cd "$stage" && echo lib*) # lib, or lib64 / a multiarch libdir
[ -d "$stage/$libdir/pkgconfig" ] || { echo "FAIL: no pkgconfig directory under $stage"; exit 1; }
pc() { PKG_CONFIG_PATH="$1/$libdir/pkgconfig" pkg-config "${@:2}"; }

# 1. pkg-config: the prefix installed to, and what a static link needs.
for p in lightbridge lightbridge-emu; do
	got=$(pc "$stage" --variable=prefix "$p")
	[ "$got" = "$stage" ] && pass "$p.pc: prefix=$got" || fail "$p.pc: prefix=$got, installed to $stage"
done

run_consumer() { # label, program: it must list the six ports with the prefix's data
	local out
	if ! out=$(cd "$tmp" && LB_DATADIR="$stage/share/lightbridge" "$2" 2>&1); then
		fail "$1: the consumer failed: $out"
		return
	fi
	if [ "$(grep -c '^port [1-6] ' <<<"$out")" -eq 6 ]; then pass "$1: runs, six ports"; else fail "$1: output: $out"; fi
}
links_shared_lightbridge() { ldd "$1" | grep -q 'liblightbridge'; }

if "$cc" $cflags -o "$tmp/consumer-pc" "$here/consumer/consumer.c" $(pc "$stage" --cflags --libs lightbridge-emu) \
	-Wl,-rpath,"$stage/$libdir" 2>"$tmp/cc.log"; then
	run_consumer "pkg-config" "$tmp/consumer-pc"
	ldd "$tmp/consumer-pc" >"$tmp/ldd.out" 2>&1
	grep -q "$stage/$libdir/liblightbridge.so" "$tmp/ldd.out" ||
		fail "pkg-config: the consumer does not load liblightbridge from $stage: $(cat "$tmp/ldd.out")"
else
	fail "pkg-config: the consumer does not build: $(cat "$tmp/cc.log")"
fi

# --static against a prefix that holds the archives alone, so -llightbridge is the archive
# and every library it needs must come from Requires.private / Libs.private.
static=$tmp/static
install_to "$static"
rm -f "$static/$libdir"/liblightbridge*.so*
if "$cc" $cflags -o "$tmp/consumer-pc-static" "$here/consumer/consumer.c" \
	$(pc "$static" --static --cflags --libs lightbridge-emu) 2>"$tmp/cc.log"; then
	run_consumer "pkg-config --static" "$tmp/consumer-pc-static"
	! links_shared_lightbridge "$tmp/consumer-pc-static" || fail "pkg-config --static: linked a shared liblightbridge"
else
	fail "pkg-config --static: the consumer does not link: $(grep -m5 -i 'undefined\|error' "$tmp/cc.log")"
fi

# 2. The CMake package, shared and static.
for kind in shared static; do
	opt=OFF
	[ $kind = static ] && opt=ON
	if cmake -S "$here/consumer" -B "$tmp/cm-$kind" -DCMAKE_C_COMPILER="$cc" -DCMAKE_PREFIX_PATH="$stage" \
		-DCONSUMER_STATIC=$opt -DCMAKE_C_FLAGS="$cflags" >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/cm-$kind" >>"$tmp/cm.log" 2>&1; then
		run_consumer "find_package ($kind)" "$tmp/cm-$kind/consumer"
		if [ $kind = static ] && links_shared_lightbridge "$tmp/cm-$kind/consumer"; then
			fail "find_package (static): linked a shared liblightbridge"
		fi
	else
		fail "find_package ($kind): $(grep -m5 -i -A3 'error' "$tmp/cm.log")"
	fi
done

# 3. The installed programs: their libraries from the prefix, their data never from the tree.
for prog in lbctl lb-emud; do
	[ -x "$stage/bin/$prog" ] || { [ $prog = lb-emud ] && echo "note: lb-emud not built (no fuse3)"; continue; }
	rp=$(readelf -d "$stage/bin/$prog" | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p')
	[ "$rp" = "\$ORIGIN/../$libdir" ] && pass "$prog: RUNPATH $rp" || fail "$prog: RUNPATH '$rp'"
	lib=$(env -u LD_LIBRARY_PATH ldd "$stage/bin/$prog" | sed -n 's/.*liblightbridge\.so\.0 => \([^ ]*\).*/\1/p')
	[ "$lib" -ef "$stage/$libdir/liblightbridge.so.0" ] && pass "$prog: loads $lib" ||
		fail "$prog: loads liblightbridge from '$lib'"
done
# With no LB_DATADIR the library takes the data installed beside it (PREFIX/share/lightbridge
# of wherever the tree was installed: a relocated install works), else the configured data
# directory, nothing else (not the source tree, not the current directory): the consumer
# reports it; with the installed data moved away and none where configured, the installed
# lbctl says the profiles are missing instead of reading the tree's.
out=$(cd "$tmp" && env -u LB_DATADIR "$tmp/consumer-pc" 2>&1 || true)
dd=$(sed -n 's/^data dir: //p' <<<"$out")
[ "$dd" -ef "$stage/share/lightbridge" ] && pass "data directory without LB_DATADIR: $dd (beside the library)" ||
	fail "data directory without LB_DATADIR: '$dd', installed at $stage/share/lightbridge"
if [ ! -e "$configured_datadir" ]; then
	mv "$stage/share/lightbridge" "$stage/share/lightbridge.away"
	if (cd "$tmp" && env -u LB_DATADIR LB_STATE_DIR="$tmp/state" "$stage/bin/lbctl" --fresh list >"$tmp/l.out" 2>&1); then
		fail "installed lbctl ran the emulated platform with no data installed (read from: the tree?)"
	else
		pass "installed lbctl, no data installed: $(head -1 "$tmp/l.out")"
	fi
	mv "$stage/share/lightbridge.away" "$stage/share/lightbridge"
fi
mkdir -p "$tmp/state"
chmod 700 "$tmp/state"
if out=$(cd "$tmp" && LB_DATADIR="$stage/share/lightbridge" LB_STATE_DIR="$tmp/state" "$stage/bin/lbctl" --fresh list --json 2>&1) &&
	[ "$(grep -o '"present": \{0,1\}true' <<<"$out" | wc -l)" -eq 6 ]; then
	pass "installed lbctl with the prefix's data: six modules"
else
	fail "installed lbctl with the prefix's data: $out"
fi

# 4. The files a package ships besides the libraries.
files=(share/doc/lightbridge/LICENSE share/man/man1/lbctl.1 share/bash-completion/completions/lbctl)
[ -x "$stage/bin/lb-emud" ] && files+=(share/man/man8/lb-emud.8)
for f in "${files[@]}"; do
	[ -s "$stage/$f" ] && pass "installed $f" || fail "not installed: $f"
done
for m in man1/lbctl.1 man8/lb-emud.8; do
	[ -e "$stage/share/man/$m" ] || continue
	if [ -s "$stage/share/man/$m" ] && command -v man >/dev/null; then
		w=$(MANWIDTH=80 man --warnings -l "$stage/share/man/$m" 2>&1 >/dev/null | head -3)
		[ -z "$w" ] && pass "$m renders without warnings" || fail "$m: $w"
	fi
done

exit $failed
