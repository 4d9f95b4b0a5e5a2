#!/bin/sh
# run.sh - the callers suite: real engines (podman + conmon, containerd's runc shim, conmon
# as CRI-O drives it, containerd's CRI plugin as kubelet drives it) using runt. Prints each
# client's version, then runs tests/callers/[0-9]*.sh through the integration runner
# (renumbered TAP, one `N passed, N failed, N skipped` line). Only in a board guest (make
# board-check): the files skip themselves elsewhere, as these daemons must not touch the
# host's cgroups.
TESTS=$(cd "$(dirname "$0")/.." && pwd)
TOP=$(dirname "$TESTS")
RUNT=${RUNT:-$TOP/runt}

version() {
	if command -v "$1" >/dev/null 2>&1; then
		echo "# callers: $("$@" 2>&1 | head -n 1)"
	else
		echo "# callers: $1 not installed"
	fi
}
version "$RUNT" --version
version podman --version
version conmon --version
version containerd --version
version ctr --version
version /usr/bin/python3 -c 'import grpc; print("python3-grpcio", grpc.__version__)'
exec sh "$TESTS/run-integration.sh" "$TESTS"/callers/[0-9]*.sh
