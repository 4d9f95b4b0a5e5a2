#!/bin/sh
# 10-limits.sh - every linux.resources limit is written, and read back from inside the
# container (cgroup namespace, its own cgroup mounted at /sys/fs/cgroup).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2

# cpu.max.burst is Linux 5.14's: before it burst is refused naming that (below)
BURST='' BURST_KV=''
if kernel_has cpu.max.burst 5.14; then
	BURST='"burst": 10000,' BURST_KV=cpu.max.burst=10000
fi
RES='{
	"memory": {"limit": 67108864, "reservation": 33554432, "swap": 100663296},
	"cpu": {"shares": 1024, "quota": 50000, "period": 100000, '$BURST'
		"cpus": "0", "mems": "0"},
	"pids": {"limit": 64},
	"blockIO": {"weight": 500},
	"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
	"unified": {"memory.high": "60000000", "memory.oom.group": "1"}
}'
FILES="memory.max memory.low memory.swap.max memory.high memory.oom.group cpu.weight cpu.max
${BURST_KV%=*} cpuset.cpus cpuset.mems pids.max io.weight hugetlb.2MB.max"
id=$(cid limits)
# shellcheck disable=SC2086 # FILES is a word list
B=$(cgbundle limits "$RES" sh -c "$CG_SHOW" sh $FILES)
rtc run --bundle "$B" "$id"
check_rc "a container with every limit runs" 0
for kv in memory.max=67108864 memory.low=33554432 memory.swap.max=33554432 \
	"memory.high=59998208" memory.oom.group=1 cpu.weight=39 "cpu.max=50000 100000" \
	$BURST_KV cpuset.cpus=0 cpuset.mems=0 pids.max=64 "io.weight=default 4950" \
	hugetlb.2MB.max=4194304; do
	f=${kv%%=*}
	check_eq "inside: $f" "${kv#*=}" "$(kv "$f" "$OUT")"
done
check_no_cgroup "run with limits" "$id"

# --- cpu.burst and cpu.idle before their kernels (5.14, 5.15): refused, naming file and
# kernel, nothing left (never a container silently without them) ---
for c in "burst cpu.max.burst 5.14 10000" "idle cpu.idle 5.15 1"; do
	# shellcheck disable=SC2086 # c is a word list
	set -- $c
	kernel_has "$2" "$3" && continue
	id=$(cid "old-$1")
	B=$(cgbundle "old-$1" '{"cpu": {"'"$1"'": '"$4"'}}' true)
	rtc run --bundle "$B" "$id"
	check_err "cpu.$1 before Linux $3: refused" "$2 needs Linux $3 or later"
	check_no_cgroup "refused cpu.$1" "$id"
	check "refused cpu.$1: no state" test ! -e "$RUNT_ROOT/$id"
done

# --- limit -1: memory and swap unlimited; pids 0 is unlimited too ---
id=$(cid unlim)
B=$(cgbundle unlim '{"memory": {"limit": -1}, "pids": {"limit": 0}, "cpu": {"quota": -1}}' \
	sh -c "$CG_SHOW" sh memory.max memory.swap.max pids.max cpu.max)
rtc run --bundle "$B" "$id"
check_eq "limit -1: memory.max" max "$(kv memory.max "$OUT")"
check_eq "limit -1: memory.swap.max" max "$(kv memory.swap.max "$OUT")"
check_eq "pids.limit 0: pids.max" max "$(kv pids.max "$OUT")"
check_eq "quota -1: cpu.max" "max 100000" "$(kv cpu.max "$OUT")"

# --- swap == limit: no swap ---
id=$(cid noswap)
B=$(cgbundle noswap '{"memory": {"limit": 33554432, "swap": 33554432}}' \
	sh -c "$CG_SHOW" sh memory.swap.max)
rtc run --bundle "$B" "$id"
check_eq "swap == limit: memory.swap.max 0" 0 "$(kv memory.swap.max "$OUT")"

# --- cpu.idle (5.15) ---
if kernel_has cpu.idle 5.15; then
	id=$(cid idle)
	B=$(cgbundle idle '{"cpu": {"idle": 1}}' sh -c "$CG_SHOW" sh cpu.idle)
	rtc run --bundle "$B" "$id"
	check_eq "cpu.idle" 1 "$(kv cpu.idle "$OUT")"
fi

# --- block IO throttling needs a block device: a loop device ---
modprobe loop 2>/dev/null
if [ -b /dev/loop0 ] && [ "$(cat /sys/block/loop0/dev)" = 7:0 ]; then
	id=$(cid io)
	B=$(cgbundle io '{"blockIO": {
		"throttleReadBpsDevice": [{"major": 7, "minor": 0, "rate": 1048576}],
		"throttleWriteIOPSDevice": [{"major": 7, "minor": 0, "rate": 100}]}}' \
		sh -c "$CG_SHOW" sh io.max)
	rtc run --bundle "$B" "$id"
	check_eq "throttle -> io.max" "7:0 rbps=1048576 wbps=max riops=max wiops=100" \
		"$(kv io.max "$OUT")"
else
	skip "throttle -> io.max" "no loop block device"
fi

leftovers_check "limits"
done_testing
