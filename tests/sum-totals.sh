#!/bin/sh
# sum-totals.sh LOG... - adds up the last `N passed, N failed[, N skipped]` line of each log
# (make board-check: the busybox-init boot and the systemd boot) and prints one such line.
# A log without one counts as one failure. Exit status: 0 when nothing failed.
P=0 F=0 S=0
for log in "$@"; do
	last=$(sed -nE 's/^([A-Za-z_-]+: )?([0-9]+) passed, ([0-9]+) failed(, ([0-9]+) skipped)?[[:space:]]*$/\2 \3 \5/p' \
		"$log" 2>/dev/null | tail -n 1)
	if [ -z "$last" ]; then
		echo "not ok - $log has no totals line"
		F=$((F + 1))
		continue
	fi
	set -- $last 0
	P=$((P + $1)) F=$((F + $2)) S=$((S + $3))
done
if [ "$S" -gt 0 ]; then
	echo "$P passed, $F failed, $S skipped"
else
	echo "$P passed, $F failed"
fi
[ "$F" -eq 0 ]
