#!/usr/bin/env bash
# The code that runs as root (the library, the emulator, the drivers, lbctl, lb-emud) reads
# the environment through secure_getenv() only: when a program runs set-uid or with other
# real and effective ids, the environment is the caller's and is not read. Prints every plain
# getenv() call; exit 0 when there is none, 1 otherwise.
#   tools/check-getenv.sh [SOURCE_DIR]
set -euo pipefail
root=${1:-$(dirname "$0")/..}
dirs=()
for d in hal util link emulator drivers tools/lbctl tools/lb-emud; do
	[ -d "$root/$d" ] && dirs+=("$root/$d")
done
hits=$(grep -rnE --include='*.c' --include='*.h' '(^|[^_a-zA-Z0-9])getenv[[:space:]]*\(' "${dirs[@]}" || true)
if [ -n "$hits" ]; then
	echo "plain getenv() in code that runs as root (use secure_getenv):"
	echo "$hits"
	exit 1
fi
echo "check-getenv: no plain getenv() in ${dirs[*]#"$root"/}"
