#!/bin/sh
# 20-oom-pids.sh - limits that bite: an allocation beyond memory.max is OOM-killed (run exits
# 137) and pids.max stops a fork loop.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2

# dd's 64 MiB buffer is filled from /dev/zero: far beyond a 16 MiB limit without swap.
id=$(cid oom)
B=$(cgbundle oom '{"memory": {"limit": 16777216, "swap": 16777216}}' \
	dd if=/dev/zero of=/dev/null bs=64M count=1)
rtc run --bundle "$B" "$id"
check_rc "an allocation beyond memory.max: run exits 137 (SIGKILL)" 137
check_no_cgroup "oom" "$id"

id=$(cid fine)
B=$(cgbundle fine '{"memory": {"limit": 16777216, "swap": 16777216}}' \
	dd if=/dev/zero of=/dev/null bs=1M count=4)
rtc run --bundle "$B" "$id"
check_rc "the same container with a small buffer exits 0" 0

# A fork loop against pids.max 8 stops at the limit (busybox sh exits when fork fails; the
# init then execs, which takes no new pid, and keeps the namespace alive).
id=$(cid pids)
B=$(cgbundle pids '{"pids": {"limit": 8}}' \
	sh -c 'sh -c "while :; do sleep 60 & done" 2>/dev/null; exec sleep 60')
rt_create "$id" "$B"
check_rc "create with pids.limit 8" 0
rtc start "$id"
wait_for 10 sh -c "grep -q '^max [1-9]' $(cgdir "$id")/pids.events"
# 8 while the loop shell lives, 7 once its failed fork ended it: never more, never fewer.
check_match "the fork loop filled pids.max and stopped there" '^[78]$' "$(cgread "$id" pids.current)"
check_match "pids.events counts refused forks" '^max [1-9]' "$(cat "$(cgdir "$id")/pids.events")"
rtc delete --force "$id"
check_rc "delete --force" 0
check_no_cgroup "pids" "$id"

leftovers_check "oom and pids"
done_testing
