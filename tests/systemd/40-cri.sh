#!/bin/sh
# 40-cri.sh - tests/callers/40-cri.sh (containerd 1.6's CRI plugin and the runc v2 shim with
# BinaryName = runt) under a real systemd: its SystemdCgroup = true flow, runt's systemd
# driver, runs here (the callers suite's busybox-init boot has no systemd).
TESTS=$(cd "$(dirname "$0")/.." && pwd)
exec sh "$TESTS/callers/40-cri.sh"
