#!/bin/sh
# run.sh - the cgroup v2 suite: tests/cgroup/NN-*.sh through tests/run-integration.sh (one
# renumbered TAP stream and an `N passed, N failed, N skipped` line). Each file skips itself
# unless /sys/fs/cgroup is a pure cgroup v2 hierarchy with controllers (a board guest).
HERE=$(cd "$(dirname "$0")" && pwd)
exec sh "$HERE/../run-integration.sh" "$HERE"/[0-9]*.sh
