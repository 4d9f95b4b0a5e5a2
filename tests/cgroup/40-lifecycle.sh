#!/bin/sh
# 40-lifecycle.sh - the cgroup side of the lifecycle: pause/resume freeze every process,
# kill --all reaches forked children, ps lists the cgroup's pids, delete removes the
# cgroup and the sub-cgroups the container made.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2

# --- pause / resume: a counter stops moving while paused ---
id=$(cid pause)
# written to a temporary file and renamed: a reader never sees the truncated, empty file
# (the freezer may stop the loop between truncation and write)
B=$(cgbundle pause '{}' sh -c 'i=0; while :; do i=$((i + 1)); echo $i >/tmp/c.new; mv /tmp/c.new /tmp/count; done')
rt_create "$id" "$B"
rtc start "$id"
wait_for 10 test -s "$B/rootfs/tmp/count"
rtc pause "$id"
check_rc "pause" 0
check_eq "state says paused" paused "$(status "$id")"
check_match "cgroup.events says frozen" '^frozen 1' "$(cat "$(cgdir "$id")/cgroup.events")"
a=$(cat "$B/rootfs/tmp/count")
sleep 1
b=$(cat "$B/rootfs/tmp/count")
check_match "the counter has a value while paused" '^[0-9]+$' "$b"
check_eq "the counter does not move while paused" "$a" "$b"
rtc pause "$id"
check_ne "pausing a paused container fails" 0 "$RC"
rtc resume "$id"
check_rc "resume" 0
check_eq "state says running" running "$(status "$id")"
sleep 1
check_ne "the counter moves again" "$b" "$(cat "$B/rootfs/tmp/count")"
rtc delete --force "$id"
check_no_cgroup "pause" "$id"

# --- kill --all without a pid namespace: the init's death alone would leave the children ---
id=$(cid killall)
B=$(RUNT_NAMESPACES="network ipc uts mount cgroup" cgbundle killall '{}' \
	sh -c 'sleep 100 & sleep 100 & sleep 100')
rt_create "$id" "$B"
rtc start "$id"
wait_for 10 sh -c "[ \$(wc -l <$(cgdir "$id")/cgroup.procs) -eq 3 ]"
pids=$(cat "$(cgdir "$id")/cgroup.procs")
check_eq "three processes in the cgroup" 3 "$(echo "$pids" | wc -l)"

rtc ps --format json "$id"
check_rc "ps --format json" 0
check_eq "ps --format json is a JSON array of the cgroup's pids" \
	"[$(echo "$pids" | tr '\n' ',' | sed 's/,$//')]" "$OUT"
rtc ps "$id"
check_eq "ps (table) lists the same pids" "$(echo "$pids" | wc -l)" \
	"$(printf '%s\n' "$OUT" | grep -c '^[0-9]')"

# cgroup.kill is Linux 5.14's: before it (the 5.10 board) KILL goes the TERM way below
if kernel_has cgroup.kill 5.14; then
	check "Linux 5.14+: the cgroup has cgroup.kill" test -e "$(cgdir "$id")/cgroup.kill"
else
	check "before Linux 5.14: no cgroup.kill, so kill --all freezes, signals, thaws" \
		test ! -e "$(cgdir "$id")/cgroup.kill"
fi
rtc kill --all "$id" KILL
check_rc "kill --all KILL" 0
dead() {
	for p in $pids; do pid_dead "$p" || return 1; done
}
wait_for 10 dead
check "every forked child is dead" dead
check_eq "... and the cgroup is not left frozen" "" "$(grep 'frozen 1' "$(cgdir "$id")/cgroup.events")"
rtc delete "$id"
check_no_cgroup "kill --all" "$id"

# --- kill --all TERM: freeze, signal each, thaw ---
id=$(cid term)
B=$(RUNT_NAMESPACES="network ipc uts mount cgroup" cgbundle term '{}' \
	sh -c 'sleep 100 & sleep 100')
rt_create "$id" "$B"
rtc start "$id"
wait_for 10 sh -c "[ \$(wc -l <$(cgdir "$id")/cgroup.procs) -eq 2 ]"
pids=$(cat "$(cgdir "$id")/cgroup.procs")
rtc kill --all "$id" TERM
check_rc "kill --all TERM" 0
wait_for 10 dead
check "TERM reached every process" dead
check_eq "the cgroup was thawed again" "" "$(grep 'frozen 1' "$(cgdir "$id")/cgroup.events")"
rtc delete --force "$id"

# --- delete removes sub-cgroups the container made, with a process inside ---
id=$(cid sub)
B=$(cgbundle sub '{}' sh -c 'mkdir /sys/fs/cgroup/leaf && echo $$ >/sys/fs/cgroup/leaf/cgroup.procs &&
	mkdir -p /sys/fs/cgroup/a/b && sleep 100')
rt_create "$id" "$B"
rtc start "$id"
wait_for 10 test -d "$(cgdir "$id")/a/b"
check "the container made sub-cgroups" grep -q . "$(cgdir "$id")/leaf/cgroup.procs"
rtc delete --force "$id"
check_rc "delete --force" 0
check_no_cgroup "delete with sub-cgroups" "$id"

leftovers_check "lifecycle"
done_testing
