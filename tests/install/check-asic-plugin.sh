#!/usr/bin/env bash
# The out-of-tree ASIC plugin example (examples/asic-plugin) against an installed lightbridge
# (ctest: install_asic_plugin): cmake --install into a temporary prefix, build the plugin and
# its loader with that prefix's pkg-config alone (a copy of the example, away from the source
# tree's headers), then load it with lb_ctx_load_plugin_dir and drive the switch it gives.
#   check-asic-plugin.sh BUILD_DIR SOURCE_DIR C_COMPILER [CFLAGS]
set -euo pipefail
[ $# -eq 3 ] || [ $# -eq 4 ] || { echo "usage: check-asic-plugin.sh BUILD_DIR SOURCE_DIR C_COMPILER [CFLAGS]" >&2; exit 2; }
build=$1 src=$(cd "$2" && pwd) cc=$3 cflags=${4-}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lb-asic-plugin.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 ||
	{ cat "$tmp/install.log"; echo "FAIL: cmake --install"; exit 1; }
libdir=$(cd "$tmp/prefix" && echo lib*)
mkdir -m 700 "$tmp/ex" "$tmp/plugins"
cp "$src"/examples/asic-plugin/{Makefile,toy_asic.c,load_toy.c} "$tmp/ex/"
if ! PKG_CONFIG_PATH="$tmp/prefix/$libdir/pkgconfig" make -C "$tmp/ex" CC="$cc" \
	CFLAGS="-O1 -g -Werror $cflags" >"$tmp/make.log" 2>&1; then
	cat "$tmp/make.log"
	echo "FAIL: the example does not build against the installed tree"
	exit 1
fi
if grep -qF -- "-I$src" "$tmp/make.log"; then
	echo "FAIL: the build used the source tree's headers"
	exit 1
fi
cp "$tmp/ex/toy-asic.so" "$tmp/plugins/"
out=$("$tmp/ex/load_toy" "$tmp/plugins" 2>&1) || { echo "$out"; echo "FAIL: load_toy"; exit 1; }
echo "$out"
want="plugins loaded: 1
switch toy-16: 16 lanes, 16 ports at most
refused: asic port 3: lane 8 belongs to asic port 1 (lanes 8-15): a lane belongs to one port
asic port 0: lanes 0-3 400000 Mb/s rs544-2xn up
asic port 1: lanes 8-15 800000 Mb/s rs544-2xn down
asic port 2: lanes 4-7 400000 Mb/s rs544-2xn up"
if [ "$out" != "$want" ]; then
	echo "FAIL: load_toy's output is not:"
	echo "$want"
	exit 1
fi
# (ldd's output whole first: grep -q stops reading at the match, and under pipefail ldd's
# SIGPIPE would fail the pipeline)
deps=$(ldd "$tmp/ex/load_toy" 2>&1)
grep -qF "$tmp/prefix/$libdir/liblightbridge.so" <<<"$deps" ||
	{ echo "$deps"; echo "FAIL: load_toy does not load the prefix's library"; exit 1; }
echo "ok: the ASIC plugin builds against the installed tree and loads"
