#!/bin/sh
# demo.sh - `make demo`: runs one friendly container from a fresh bundle in build/demo and
# exits with its status.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNT=${RUNT:-$TOP/runt}
cd "$TOP" || exit 1
make --no-print-directory build/tests/probe >/dev/null || exit 1

sh tests/mkbundle.sh "$TOP/build/demo" /bin/sh -c \
	'echo "hello from a runt container: $(hostname), pid $$, uid $(id -u), in $(pwd)"' || exit 1
echo "\$ runt run --bundle build/demo demo-$$"
"$RUNT" run --bundle "$TOP/build/demo" "demo-$$" </dev/null
rc=$?
echo "\$ runt --version"
"$RUNT" --version
exit "$rc"
