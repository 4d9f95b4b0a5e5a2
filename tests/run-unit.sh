#!/bin/sh
# run-unit.sh - runs each unit test binary given as an argument, passes its TAP through with
# the test numbers made global, turns each binary's own plan and totals into comments, and
# ends with one plan and one "N passed, N failed" line. Exit status 1 if anything failed,
# crashed or stopped early. POSIX sh (busybox sh too).

total=0
failed=0
out=$(mktemp "${TMPDIR:-/tmp}/runt-unit.XXXXXX") || exit 1
trap 'rm -f "$out"' EXIT
trap 'exit 130' INT TERM

# "ok 12 - desc" -> " - desc" (everything after the test number), "" when there is none.
rest_of() {
	r=${1#"$2"}
	r=${r#"${r%%[!0-9]*}"}
	printf '%s' "$r"
}

report() {
	total=$((total + 1))
	[ "$1" = ok ] || failed=$((failed + 1))
	printf '%s %d%s\n' "$1" "$total" "$2"
}

run_one() {
	name=${1##*/}
	finished=no
	failed_before=$failed
	echo "# $name"
	"$1" >"$out"
	status=$?
	while IFS= read -r line || [ -n "$line" ]; do
		case $line in
		"not ok "* | "not ok") report "not ok" "$(rest_of "$line" "not ok ")" ;;
		"ok "* | ok) report ok "$(rest_of "$line" "ok ")" ;;
		[0-9]*" passed, "[0-9]*" failed")
			finished=yes
			echo "# $name: $line"
			;;
		[0-9]*..[0-9]*) echo "# $name: plan $line" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done <"$out"
	if [ "$status" -gt 128 ]; then
		report "not ok" " - $name crashed (signal $((status - 128)))"
	elif [ "$finished" = no ]; then
		report "not ok" " - $name stopped before its totals (exit status $status)"
	elif [ "$status" -ne 0 ] && [ "$failed" -eq "$failed_before" ]; then
		report "not ok" " - $name exited with status $status"
	fi
}

if [ $# -eq 0 ]; then
	echo "usage: $0 TEST-BINARY..." >&2
	exit 2
fi
for bin in "$@"; do
	if [ -x "$bin" ]; then
		run_one "$bin"
	else
		report "not ok" " - $bin is not an executable"
	fi
done
echo "1..$total"
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
