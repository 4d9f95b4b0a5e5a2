#!/bin/sh
# 85-cgroups.sh - the cgroup side every host shows: cgroupsPath forms (absolute, relative to
# runt's own cgroup, --systemd-cgroup slice:prefix:name), ps --format json, update's errors,
# a device filter, and on hybrid hosts the refusal of limits whose controller lives on v1.
# Works on a hybrid host (/sys/fs/cgroup/unified) and in pure cgroup v2 board guests.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
	MNT=/sys/fs/cgroup HYBRID=0
elif grep -q '^[^ ]* /sys/fs/cgroup/unified cgroup2 ' /proc/mounts; then
	MNT=/sys/fs/cgroup/unified HYBRID=1
else
	skip_all "no cgroup2 mount"
fi
OWN=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$OWN" = / ] && OWN=
TOPDIR=runt-it-$$ # everything this file makes outside runt's default lives under here

cleanup_dirs() {
	for d in "$MNT/$TOPDIR/abs" "$MNT/$TOPDIR" "$MNT$OWN/rel-$$" \
		"$MNT/runtit$$.slice/runtit$$-x.slice" "$MNT/runtit$$.slice"; do
		[ -d "$d" ] && rmdir "$d" 2>/dev/null
	done
}

# in_cgroup DIR PID: PID is listed in DIR/cgroup.procs.
in_cgroup() {
	grep -qx "$2" "$1/cgroup.procs" 2>/dev/null
}

# path_case DESC CGROUPSPATH EXPECTED_DIR [GLOBAL_FLAGS]
path_case() {
	_id=$(cid "p$T_NUM")
	_b=$(RUNT_EXTRA_LINUX="\"cgroupsPath\": \"$2\"" bundle "p$T_NUM" sleep 100)
	rt $4 create --bundle "$_b" "$_id" </dev/null >/dev/null 2>"$WORK/p.err"
	_pid=$(json_get pid "$(rt state "$_id" 2>/dev/null)")
	if in_cgroup "$3" "$_pid"; then
		ok "$1: the init is in $3"
	else
		not_ok "$1: the init is in $3"
		diag "$(cat "$WORK/p.err")" "pid $_pid: $(cat "/proc/$_pid/cgroup" 2>&1)"
	fi
	rt delete --force "$_id" >/dev/null 2>&1
	check "$1: delete removes $3" test ! -d "$3"
}

path_case "absolute cgroupsPath" "/$TOPDIR/abs" "$MNT/$TOPDIR/abs"
path_case "relative cgroupsPath (below runt's own cgroup)" "rel-$$" "$MNT$OWN/rel-$$"
path_case "empty cgroupsPath" "" "$MNT/runt/$(cid "p$T_NUM")"
# Without the systemd driver (SYSTEMD_CGROUP=0) runt maps slice:prefix:name to cgroupfs itself;
# the default build asks systemd (86-systemd-bus.sh, tests/systemd).
NOSD=$TOP/build/nosystemd/runt # make runt-nosystemd
if [ -x "$NOSD" ]; then
	SAVED_RUNT=$RUNT
	RUNT=$NOSD
	path_case "SYSTEMD_CGROUP=0: --systemd-cgroup slice:prefix:name" "runtit$$-x.slice:pfx:c$$" \
		"$MNT/runtit$$.slice/runtit$$-x.slice/pfx-c$$.scope" --systemd-cgroup
	RUNT=$SAVED_RUNT
else
	skip "SYSTEMD_CGROUP=0: --systemd-cgroup slice:prefix:name" "no $NOSD (make runt-nosystemd)"
fi
cleanup_dirs

B=$(RUNT_EXTRA_LINUX='"cgroupsPath": "noslice"' bundle sdbad true)
rtc --systemd-cgroup create --bundle "$B" "$(cid sdbad)"
check_err "--systemd-cgroup needs slice:prefix:name" 'expected slice:prefix:name'
B=$(RUNT_EXTRA_LINUX="\"cgroupsPath\": \"/$TOPDIR/../escape\"" bundle dotdot true)
rtc create --bundle "$B" "$(cid dotdot)"
check_err "a cgroupsPath with .. is refused" 'contains ".."'
check "... and nothing is created" test ! -d "$MNT/$TOPDIR"

# --- ps ---
id=$(cid ps)
B=$(bundle ps sleep 100)
rt_create "$id" "$B"
pid=$(json_get pid "$(rt state "$id")")
rtc ps --format json "$id"
check_eq "ps --format json: a JSON array of host pids" "[$pid]" "$OUT"
rtc ps "$id"
check_eq "ps: a PID header and the pid" "PID $pid" "$(echo $OUT)"
rtc ps --format yaml "$id"
check_err "ps --format yaml is refused" 'unknown format "yaml"'

# --- update errors ---
rtc update --resources "$WORK/none.json" --memory 1m "$id"
check_err "update --resources with a flag is refused" '--resources and --memory'
rtc update --resources "$WORK/none.json" "$id"
check_err "update --resources of a missing file" "$WORK/none.json" 'No such file'
printf '{"memory": {"limit": "big"}}' >"$WORK/bad.json"
rtc update -r "$WORK/bad.json" "$id"
check_err "update: a JSON path names the bad field" "$WORK/bad.json: .memory.limit: expected number"
printf '{"memory": ' >"$WORK/bad.json"
rtc update -r "$WORK/bad.json" "$id"
check_err "update: broken JSON" "$WORK/bad.json" 'invalid JSON'
rtc update --memory lots "$id"
check_err "update --memory lots" '--memory: invalid value "lots"'
rtc update --memory 1m no-such-container
check_err "update of an unknown container" 'does not exist'
rtc update "$id"
check_rc "update without flags changes nothing and succeeds" 0
if [ "$HYBRID" = 1 ]; then
	rtc update --memory 64m "$id"
	check_err "hybrid: update --memory names the missing controller" \
		'the memory controller is not available' 'hybrid cgroup host'
	rtc update --pids-limit 10 "$id"
	check_err "hybrid: update --pids-limit names the missing controller" \
		'the pids controller is not available'
else
	rtc update --pids-limit 10 "$id"
	check_rc "unified: update --pids-limit" 0
	check_eq "... pids.max" 10 "$(cat "$MNT/runt/$id/pids.max")"
	skip "hybrid: update --pids-limit refused" "not a hybrid host"
fi
rtc delete --force "$id"

# --- hybrid: limits whose controller is on v1 are refused, nothing left ---
hybrid_refused() {
	_id=$(cid "h$T_NUM")
	_b=$(RUNT_EXTRA_LINUX="\"resources\": $1" bundle "h$T_NUM" true)
	rt_create "$_id" "$_b"
	check_err "hybrid: $2 refused, naming it" "the $2 controller is not available in $MNT"
	check "hybrid: $2: no cgroup left" test ! -d "$MNT/runt/$_id"
	check_eq "hybrid: $2: no state left" "" "$(state_dirs)"
}
if [ "$HYBRID" = 1 ]; then
	hybrid_refused '{"memory": {"limit": 10000000}}' memory
	hybrid_refused '{"pids": {"limit": 10}}' pids
	hybrid_refused '{"cpu": {"shares": 512}}' cpu
	hybrid_refused '{"unified": {"io.weight": "100"}}' io
else
	skip "hybrid refusals" "not a hybrid host"
fi

# --- a controller the hybrid mount does have (hugetlb, when delegated) works ---
if grep -qw hugetlb "$MNT/cgroup.controllers" && [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	id=$(cid huge)
	B=$(RUNT_EXTRA_LINUX='"resources": {"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]}' \
		bundle huge sleep 100)
	rt_create "$id" "$B"
	check_rc "hugepageLimits where hugetlb is available" 0
	check_eq "hugetlb.2MB.max written" 4194304 "$(cat "$MNT/runt/$id/hugetlb.2MB.max" 2>&1)"
	rtc delete --force "$id"
else
	skip "hugepageLimits" "no hugetlb controller at $MNT"
fi

# --- a device filter works wherever cgroup2 is (it needs no controller) ---
modprobe loop 2>/dev/null
if [ -b /dev/loop0 ]; then
	id=$(cid dev)
	B=$(RUNT_EXTRA_LINUX='"devices": [{"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0}],
		"resources": {"devices": [{"allow": false, "access": "rwm"}]}' \
		bundle dev /bin/probe read /dev/loop0 write /dev/null x)
	rtc run --bundle "$B" "$id"
	check_eq "deny-all: b 7:0 is EPERM" "error EPERM" "$(kv read./dev/loop0 "$OUT")"
	check_eq "deny-all: /dev/null still works" ok "$(kv write./dev/null "$OUT")"
else
	skip "device filter" "no loop device"
fi

cleanup_dirs
leftovers_check "cgroups"
done_testing
