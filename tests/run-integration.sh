#!/bin/sh
# run-integration.sh - runs tests/integration/*.sh in order and merges their TAP into one
# stream: renumbered results, `1..N`, then one summary line `N passed, N failed, N skipped`.
# POSIX sh (busybox sh in board guests). usage: tests/run-integration.sh [FILE...]
# Environment: RUNT, PROBE, FILE_TIMEOUT (seconds per file, default 600).

TESTS=$(cd "$(dirname "$0")" && pwd)
TOP=${TOP:-$(dirname "$TESTS")}
RUNT=${RUNT:-$TOP/runt}
case $RUNT in /*) ;; *) RUNT=$(pwd)/$RUNT ;; esac
export TOP RUNT TESTS
counts=$(mktemp "${TMPDIR:-/tmp}/runt-tap.XXXXXX") || exit 1
trap 'rm -f "$counts"' EXIT

[ $# -gt 0 ] || set -- "$TESTS"/integration/*.sh

# Reads one file's TAP on stdin (its exit status arrives as a last line "##rc=N") and
# prints it renumbered from $1; writes "next-number passed failed skipped" to $counts.
renumber() {
	n=$1 pass=0 fail=0 skip=0 rc=0 name=$2
	while IFS= read -r line; do
		case $line in
		"##rc="*) rc=${line#\#\#rc=} ;;
		"ok "* | "not ok "*)
			n=$((n + 1))
			case $line in
			"ok "*) res=ok rest=${line#ok } ;;
			*) res="not ok" rest=${line#not ok } ;;
			esac
			rest=$(printf '%s' "$rest" | sed 's/^[0-9]* *//; s/^- *//')
			case $rest in
			*"# SKIP"* | *"# skip"*) skip=$((skip + 1)) ;;
			*) [ "$res" = ok ] && pass=$((pass + 1)) || fail=$((fail + 1)) ;;
			esac
			echo "$res $n - $name: $rest"
			;;
		[0-9]*..[0-9]*) ;;
		"#"*) echo "$line" ;;
		"") ;;
		*) echo "# $line" ;;
		esac
	done
	if [ "$rc" != 0 ] && [ "$fail" = 0 ]; then
		n=$((n + 1))
		fail=$((fail + 1))
		echo "not ok $n - $name: exited with status $rc"
	fi
	echo "$n $pass $fail $skip" >"$counts"
}

total=0 passed=0 failed=0 skipped=0
for f in "$@"; do
	name=$(basename "$f" .sh)
	echo "# $name"
	t0=$(date +%s)
	{
		timeout "${FILE_TIMEOUT:-600}" sh "$f" 2>&1 </dev/null
		echo "##rc=$?"
	} | renumber "$total" "$name"
	read -r total p fl s <"$counts"
	# how long each file takes (a board's CI subset is picked and costed by these)
	echo "# $name: $(($(date +%s) - t0)) s"
	passed=$((passed + p))
	failed=$((failed + fl))
	skipped=$((skipped + s))
done
echo "1..$total"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
