#!/bin/sh
# 50-update.sh - runt update changes limits live: runc's flags, --resources FILE and -, and
# refusals that leave the old limits in place.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2

id=$(cid upd)
B=$(cgbundle upd '{"memory": {"limit": 67108864}, "pids": {"limit": 50}}' \
	sh -c 'sleep 100')
rt_create "$id" "$B"
rtc start "$id"
check_eq "before: memory.max" 67108864 "$(cgread "$id" memory.max)"

rtc update --memory 32m "$id"
check_rc "update --memory 32m" 0
check_eq "memory.max is 32 MiB" 33554432 "$(cgread "$id" memory.max)"
rtc update --memory-swap 50331648 "$id"
check_rc "update --memory-swap alone (relative to the current limit)" 0
check_eq "memory.swap.max is memory+swap minus the limit" 16777216 \
	"$(cgread "$id" memory.swap.max)"
rtc update --pids-limit 7 "$id"
check_eq "update --pids-limit 7" 7 "$(cgread "$id" pids.max)"
rtc update --cpu-quota 20000 --cpu-period 100000 --cpu-shares 512 "$id"
check_rc "update --cpu-quota --cpu-period --cpu-shares" 0
check_eq "cpu.max" "20000 100000" "$(cgread "$id" cpu.max)"
check_eq "cpu.weight from shares 512" 20 "$(cgread "$id" cpu.weight)"
rtc update --cpu-period 50000 "$id"
check_eq "update --cpu-period alone keeps the quota" "20000 50000" "$(cgread "$id" cpu.max)"
rtc update --cpuset-cpus 0 "$id"
check_eq "update --cpuset-cpus" 0 "$(cgread "$id" cpuset.cpus)"
rtc update --blkio-weight 1000 "$id"
check_eq "update --blkio-weight" "default 10000" "$(cgread "$id" io.weight)"

printf '{"memory": {"limit": 41943040}, "unified": {"pids.max": "9"}}' >"$WORK/res.json"
rtc update --resources "$WORK/res.json" "$id"
check_rc "update --resources FILE" 0
check_eq "memory.max from the file" 41943040 "$(cgread "$id" memory.max)"
check_eq "unified pids.max from the file" 9 "$(cgread "$id" pids.max)"
echo '{"pids": {"limit": 11}}' | rt update -r - "$id" >/dev/null 2>&1
check_eq "update -r - reads stdin" 11 "$(cgread "$id" pids.max)"

# --- refusals leave the limits as they were ---
rtc update --memory -5 "$id"
check_err "update --memory -5 is refused" 'invalid value "-5"'
rtc update --memory 12x "$id"
check_err "update --memory 12x is refused" 'invalid value "12x"'
rtc update --pids-limit -2 "$id"
check_err "update --pids-limit -2 is refused" 'update flags: .pids.limit: -2 is invalid'
printf '{"unified": {"memory.nonexistent": "1"}}' >"$WORK/bad.json"
rtc update -r "$WORK/bad.json" "$id"
check_err "an unknown unified key is refused" 'memory.nonexistent: No such file or directory'
printf '{"unified": {"../memory.max": "1"}}' >"$WORK/bad.json"
rtc update -r "$WORK/bad.json" "$id"
check_err "a unified traversal is refused" '["../memory.max"]: invalid key'
printf '{"devices": [{"allow": false, "access": "rwm"}]}' >"$WORK/bad.json"
rtc update -r "$WORK/bad.json" "$id"
check_err "device rules cannot be updated" 'device rules are fixed at create'
rtc update --cpu-rt-runtime 1000 "$id"
check_err "realtime is refused on v2" 'realtime CPU limits are cgroup v1 only'
check_eq "memory.max unchanged by the refusals" 41943040 "$(cgread "$id" memory.max)"
check_eq "pids.max unchanged by the refusals" 11 "$(cgread "$id" pids.max)"

# --- live: the new pids.max binds at once ---
rtc update --pids-limit 2 "$id"
check_eq "update --pids-limit 2" 2 "$(cgread "$id" pids.max)"
rtc delete --force "$id"
check_no_cgroup "update" "$id"

rtc update --memory 1m "$id"
check_err "update of a deleted container fails" 'does not exist'

leftovers_check "update"
done_testing
