#!/usr/bin/env bash
# The README's set-up commands: install what is missing (Debian 12), build, then
#   tools/run.sh demo   run the emulated platform demo
#   tools/run.sh test   build plain, sanitizer (ASan+UBSan) and clang trees and run every test
#                       (the fuzz corpora replayed too, label fuzz), the plain tree's again
#                       under valgrind memcheck; a ThreadSanitizer tree runs the tests
#                       labelled 'threads'; a gcc -fanalyzer tree is built
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(cmake make gcc clang pkg-config libjansson-dev libcmocka-dev
      libi2c-dev libusb-1.0-0-dev libgpiod-dev libfuse3-dev fuse3 umockdev libumockdev-dev
      valgrind abigail-tools libudev-dev)

install_deps() {
	local missing=()
	for p in "${PKGS[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	local sudo=""
	if [ "$(id -u)" -ne 0 ]; then
		command -v sudo >/dev/null || { echo "run as root or install sudo: missing ${missing[*]}" >&2; exit 1; }
		sudo=sudo
	fi
	echo "installing: ${missing[*]}"
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

jobs=$(nproc 2>/dev/null || echo 2)

# The shared real module images: where they are, the tests that read them must run (a
# missing folder fails them instead of skipping).
testdata=()
[ -d ../shared/testdata ] && testdata=(-DLB_REQUIRE_TESTDATA=ON)

build() { # dir, cmake args...
	local dir=$1; shift
	cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "${testdata[@]}" "$@" >/dev/null
	cmake --build "$dir" -j "$jobs"
}

case "${1:-}" in
demo)
	install_deps
	build build
	# A fresh state each time: the demo starts from modules in low power. The build tree's
	# lbctl reads the source tree's data only when told (README.md).
	LB_STATE_DIR="$(mktemp -d)" ./build/bin/lbctl --fresh demo
	;;
test)
	install_deps
	build build -DLB_MEMCHECK=ON
	(cd build && ctest --output-on-failure -j "$jobs")
	# The same tree under valgrind memcheck (about a minute; docs/robustness.md).
	tools/memcheck.sh -b build -j "$jobs"
	build build-asan -DLB_SANITIZE=ON
	(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j "$jobs")
	CC=clang build build-clang
	(cd build-clang && ctest --output-on-failure -j "$jobs")
	# ThreadSanitizer: the threaded stress test, the lock and context-thread tests.
	build build-tsan -DLB_TSAN=ON
	(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
		ctest --output-on-failure -j "$jobs" -L threads)
	# gcc's static analyzer: built, not run; a finding is a build error.
	build build-analyzer -DLB_ANALYZER=ON
	;;
*)
	echo "usage: tools/run.sh demo|test" >&2
	exit 2
	;;
esac
