#!/bin/sh
# The test suite of a board: runs INSIDE the guest (make board-check boots it through
# boards/run-board.sh), as root with a pure cgroup v2 hierarchy at /sys/fs/cgroup.
#
# Runs tests/run-integration.sh and, if present, tests/cgroup/run.sh and
# tests/callers/run.sh (a skip on a non-x86_64 board: its callers are host binaries), or
# only the files RUNT_BOARD_TESTS names. Each sub-runner's
# last 'N passed, N failed[, N skipped]' line becomes a '# ' comment and is added to the
# one combined totals line printed at the end. A sub-runner that exits non-zero without
# counting a failure, or prints no totals line, counts as one failure.
# Exit status: 0 when nothing failed, 1 otherwise.

cd "$(dirname "$0")/.." || exit 1

TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
PASSED=0 FAILED=0 SKIPPED=0

echo "# board-suite: kernel $(uname -r) $(uname -m), hostname $(hostname 2>/dev/null)"
echo "# board-suite: cgroup.controllers: $(cat /sys/fs/cgroup/cgroup.controllers 2>/dev/null || echo none)"
echo "# board-suite: cgroup.subtree_control: $(cat /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || echo none)"

# Streams the runner's output; its totals lines become comments and the last one is
# written to $TMP/totals as "passed failed skipped".
filter_totals() {
	awk -v out="$TMP/totals" '
	/^([A-Za-z_-]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?[ \t]*$/ {
		line = $0; sub(/^[A-Za-z_-]+: /, "", line)
		n = split(line, w, /[ ,]+/)
		last = w[1] " " w[3] " " (n >= 5 ? w[5] : 0)
		print "# " $0; fflush(); next
	}
	{ print; fflush() }
	END { if (last != "") print last > out }'
}

# run_suite NAME COMMAND...: runs one sub-runner and adds its totals.
run_suite() {
	name=$1
	shift
	rm -f "$TMP/totals" "$TMP/rc"
	echo "# board-suite: running $*"
	{
		"$@" </dev/null 2>&1
		echo $? >"$TMP/rc"
	} | filter_totals
	rc=$(cat "$TMP/rc" 2>/dev/null || echo 1)
	if [ ! -s "$TMP/totals" ]; then
		echo "not ok - $name printed no totals line (exit status $rc)"
		FAILED=$((FAILED + 1))
		return
	fi
	read -r p f s <"$TMP/totals"
	PASSED=$((PASSED + p)) FAILED=$((FAILED + f)) SKIPPED=$((SKIPPED + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc but counted no failure"
		FAILED=$((FAILED + 1))
	fi
}

# RUNT_BOARD_TESTS (names like 10-lifecycle, or integration/NN-x.sh and cgroup/NN-x.sh
# paths): only those files, e.g. CI's subset on the slow ARM boards; empty: every file.
pick() {
	for t in $RUNT_BOARD_TESTS; do
		for f in "tests/$t" "tests/$t.sh" "tests/$1/$t.sh"; do
			case $f in "tests/$1/"*.sh) [ -f "$f" ] && echo "$f" ;; esac
		done
	done
}
INTEGRATION= CGROUP=
if [ -n "${RUNT_BOARD_TESTS:-}" ]; then
	echo "# board-suite: only $RUNT_BOARD_TESTS"
	INTEGRATION=$(pick integration) CGROUP=$(pick cgroup)
fi

if [ -n "${RUNT_BOARD_TESTS:-}" ] && [ -z "$INTEGRATION" ]; then
	:
elif [ -f tests/run-integration.sh ]; then
	# shellcheck disable=SC2086 # a list of files
	run_suite integration sh tests/run-integration.sh $INTEGRATION
else
	echo "not ok - tests/run-integration.sh does not exist (the integration suite is missing)"
	FAILED=$((FAILED + 1))
fi

if [ -n "$CGROUP" ]; then
	# shellcheck disable=SC2086
	run_suite cgroup sh tests/run-integration.sh $CGROUP
elif [ -f tests/cgroup/run.sh ] && [ -z "${RUNT_BOARD_TESTS:-}" ]; then
	run_suite cgroup sh tests/cgroup/run.sh
fi

# Real callers (podman + conmon, containerd, conmon as CRI-O): make board-check has
# installed them on the host with tests/callers/deps.sh. Their binaries are the host's
# (x86_64): on another arch's board they are a skip, not a failure.
if [ -f tests/callers/run.sh ] && [ "$(uname -m)" != x86_64 ]; then
	echo "ok - # SKIP callers suite: podman, containerd and conmon are the host's x86_64 binaries (qemu-x86_64 runs it)"
	SKIPPED=$((SKIPPED + 1))
elif [ -f tests/callers/run.sh ] && [ -z "${RUNT_BOARD_TESTS:-}" ]; then
	run_suite callers sh tests/callers/run.sh
fi

if [ "$SKIPPED" -gt 0 ]; then
	echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
else
	echo "$PASSED passed, $FAILED failed"
fi
[ "$FAILED" -eq 0 ]
