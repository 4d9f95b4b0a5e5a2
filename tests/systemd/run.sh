#!/bin/sh
# The systemd suite: runs INSIDE a board guest booted with systemd as PID 1 (make
# board-systemd: BOARD_INIT=systemd), never on a host. Runs tests/systemd/NN-*.sh through
# tests/run-integration.sh: one TAP stream and one `N passed, N failed` line.
TESTS=$(cd "$(dirname "$0")/.." && pwd)
exec sh "$TESTS/run-integration.sh" "$TESTS"/systemd/[0-9]*.sh
