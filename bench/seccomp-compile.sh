#!/bin/sh
# seccomp-compile.sh - for `make bench` (issue 8): the podman default profile's BPF size and
# compile time with runt's built-in compiler (parse + compile, the work `create` does).
set -eu
cd "$(dirname "$0")/.."
make --no-print-directory build/bench/seccomp-compile build/podman-seccomp.json >/dev/null
build/bench/seccomp-compile build/podman-seccomp.json "${1:-2000}"
