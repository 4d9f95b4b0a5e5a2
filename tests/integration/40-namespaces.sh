#!/bin/sh
# 40-namespaces.sh - namespaces are created when listed and shared with the host when not;
# user namespace mappings, time namespace offsets, joining a namespace by path.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# ns_cmp OUT NAME PROBE_KEY same|differs
ns_cmp() {
	_in=$(kv "ns.$3" "$1")
	_host=$(host_ns "$3")
	if [ "$4" = same ]; then
		check_eq "$2: $3 namespace shared with the host" "$_host" "$_in"
	else
		check_match "$2: $3 namespace is a namespace" "^$3:\[[0-9]+\]\$" "$_in"
		check_ne "$2: $3 namespace differs from the host" "$_host" "$_in"
	fi
}

# --- the default set: pid network ipc uts mount cgroup ---
id=$(cid ns)
B=$(bundle ns /bin/probe ns pid)
rtc run --bundle "$B" "$id"
check_rc "run with the default namespaces exits 0" 0
for t in pid net ipc uts mnt cgroup; do
	ns_cmp "$OUT" default "$t" differs
done
# A kernel without CONFIG_TIME_NS (32-bit ARM has none) has no /proc/self/ns/time.
TIMENS=time
[ -e /proc/self/ns/time ] || TIMENS=
for t in user $TIMENS; do
	ns_cmp "$OUT" default "$t" same
done
check_eq "in a new pid namespace the process is pid 1" 1 "$(kv pid "$OUT")"

# --- only what is listed ---
id=$(cid ns-few)
B=$(RUNT_NAMESPACES="mount pid" RUNT_HOSTNAME= bundle ns-few /bin/probe ns)
rtc run --bundle "$B" "$id"
check_rc "run with only mount and pid namespaces exits 0" 0
for t in pid mnt; do
	ns_cmp "$OUT" "mount+pid" "$t" differs
done
for t in net ipc uts cgroup user $TIMENS; do
	ns_cmp "$OUT" "mount+pid" "$t" same
done
[ -n "$TIMENS" ] || skip "time namespace shared with the host" "the kernel has no time namespaces"
leftovers_check "namespace sets"

# --- user namespace ---
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ]; then
	id=$(cid userns)
	B=$(RUNT_USERNS=1 bundle userns /bin/probe id ns write /tmp/owned x)
	rt_create "$id" "$B"
	check_rc "create with a user namespace exits 0" 0
	rtc state "$id"
	pid=$(json_get pid "$OUT")
	check_eq "uid_map on the host shows the mapping" "0 100000 65536" \
		"$(tr -s ' \t' '  ' <"/proc/$pid/uid_map" 2>/dev/null | sed 's/^ //')"
	check_eq "gid_map on the host shows the mapping" "0 100000 65536" \
		"$(tr -s ' \t' '  ' <"/proc/$pid/gid_map" 2>/dev/null | sed 's/^ //')"
	rtc start "$id"
	wait_status "$id" stopped 5
	out=$(cout "$id")
	check_eq "inside the user namespace uid is 0" 0 "$(kv uid "$out")"
	check_eq "inside the user namespace gid is 0" 0 "$(kv gid "$out")"
	ns_cmp "$out" userns user differs
	check_eq "a file the container's root creates belongs to host uid 100000" 100000 \
		"$(stat -c %u "$B/rootfs/tmp/owned" 2>/dev/null)"
	rtc delete "$id"
	leftovers_check "user namespace"
else
	skip "user namespace" "user namespaces are disabled (max_user_namespaces=0)"
fi

# --- time namespace (or, on a kernel without them, a clear refusal leaving nothing) ---
id=$(cid timens)
B=$(RUNT_NAMESPACES="pid network ipc uts mount cgroup time" \
	RUNT_EXTRA_LINUX='"timeOffsets": {"monotonic": {"secs": 1000000, "nanosecs": 0}, "boottime": {"secs": 2000000, "nanosecs": 0}}' \
	bundle timens /bin/probe timens ns)
host=$("$PROBE" timens)
rtc run --bundle "$B" "$id"
if [ -n "$TIMENS" ]; then
	check_rc "run with a time namespace exits 0" 0
	t_in=$(kv monotonic "$OUT") t_host=$(kv monotonic "$host")
	d=$((${t_in:-0} - ${t_host:-0}))
	diag "monotonic offset: $d s"
	check "monotonic clock is 1000000 s ahead" \
		test "$d" -ge 1000000 -a "$d" -le 1000010
	t_in=$(kv boottime "$OUT") t_host=$(kv boottime "$host")
	d=$((${t_in:-0} - ${t_host:-0}))
	diag "boottime offset: $d s"
	check "boottime clock is 2000000 s ahead" \
		test "$d" -ge 2000000 -a "$d" -le 2000010
	ns_cmp "$OUT" timens time differs
else
	check_err "a time namespace on a kernel without them: refused, naming it" \
		"create time namespace (the kernel has none): Invalid argument"
fi
leftovers_check "time namespace"

# --- joining a namespace by path ---
a=$(cid join-a)
BA=$(bundle join-a /bin/probe sleep 300)
rt_create "$a" "$BA"
rtc state "$a"
apid=$(json_get pid "$OUT")
anet=$(readlink "/proc/$apid/ns/net")
b=$(cid join-b)
BB=$(RUNT_NAMESPACES="pid ipc uts mount network=/proc/$apid/ns/net" bundle join-b /bin/probe ns)
rtc run --bundle "$BB" "$b"
check_rc "run joining A's network namespace exits 0" 0
check_eq "B is in A's network namespace" "$anet" "$(kv ns.net "$OUT")"
check_ne "A's network namespace is not the host's" "$(host_ns net)" "$anet"
check_ne "B still got its own uts namespace" "$(readlink "/proc/$apid/ns/uts")" "$(kv ns.uts "$OUT")"
rtc delete --force "$a"
leftovers_check "joining a namespace"

# --- joining a pid namespace: runt enters it before clone (it applies to children) ---
a=$(cid joinpid-a)
BA=$(bundle joinpid-a /bin/probe sleep 300)
rt_create "$a" "$BA"
rtc state "$a"
apid=$(json_get pid "$OUT")
b=$(cid joinpid-b)
BB=$(RUNT_NAMESPACES="ipc uts mount pid=/proc/$apid/ns/pid" bundle joinpid-b /bin/probe ns pid)
rtc run --bundle "$BB" "$b"
check_rc "run joining A's pid namespace exits 0" 0
check_eq "B is in A's pid namespace" "$(readlink "/proc/$apid/ns/pid")" "$(kv ns.pid "$OUT")"
check_ne "B is not pid 1 there (A's init is)" 1 "$(kv pid "$OUT")"
check_eq "runt's own pid namespace is unchanged" "$(host_ns pid)" "$(readlink /proc/self/ns/pid)"
# B's procfs is mounted once its init is in A's namespace (mnt_late_proc): pid 1 is A's
BB=$(RUNT_NAMESPACES="ipc uts mount pid=/proc/$apid/ns/pid" bundle joinpid-c /bin/probe \
	read /proc/1/comm)
rtc run --bundle "$BB" "$(cid joinpid-c)"
check_eq "B's /proc is A's pid namespace (pid 1 is A's init)" "$(cat "/proc/$apid/comm")" \
	"$(kv read./proc/1/comm "$OUT")"
# a host bind inside /proc cannot wait for that procfs: its source is gone after pivot_root
BB=$(RUNT_NAMESPACES="ipc uts mount pid=/proc/$apid/ns/pid" \
	RUNT_EXTRA_MOUNTS='{"destination": "/proc/uptime", "type": "bind", "source": "/proc/uptime", "options": ["bind"]}' \
	bundle joinpid-d /bin/probe exit 0)
rtc run --bundle "$BB" "$(cid joinpid-d)"
check_err "a bind inside /proc with a joined pid namespace is refused" \
	"/proc/uptime: a mount inside /proc needs a pid namespace of its own"
rtc delete --force "$a"
leftovers_check "joining a pid namespace"

# --- joining a user namespace: the new ones must belong to it, so the init is a grandchild ---
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ]; then
	a=$(cid joinuser-a)
	BA=$(RUNT_USERNS=1 bundle joinuser-a /bin/probe sleep 300)
	rt_create "$a" "$BA"
	rtc state "$a"
	apid=$(json_get pid "$OUT")
	b=$(cid joinuser-b)
	BB=$(RUNT_NAMESPACES="pid ipc uts mount network user=/proc/$apid/ns/user" \
		bundle joinuser-b /bin/probe ns id pid write /tmp/owned x)
	chown -R 100000:100000 "$BB/rootfs/tmp"
	rt_create "$b" "$BB"
	check_rc "create joining A's user namespace exits 0" 0
	rtc state "$b"
	bpid=$(json_get pid "$OUT")
	check "state's pid for B is alive on the host" pid_alive "$bpid"
	auser=$(readlink "/proc/$apid/ns/user")
	check_eq "B's init sits in A's user namespace" "$auser" "$(readlink "/proc/$bpid/ns/user")"
	rtc start "$b"
	wait_status "$b" stopped 5
	out=$(cat "$WORK/$b.out" 2>/dev/null)
	check_eq "inside B uid is 0 (A's mapping)" 0 "$(kv uid "$out")"
	check_eq "B's new pid namespace works: its init is pid 1" 1 "$(kv pid "$out")"
	check_eq "B sees A's user namespace" "$auser" "$(kv ns.user "$out")"
	check_eq "B wrote a file as container root = host uid 100000" 100000 \
		"$(stat -c %u "$BB/rootfs/tmp/owned" 2>/dev/null)"
	rtc delete "$b"
	rtc delete --force "$a"
	leftovers_check "joining a user namespace"
else
	skip "joining a user namespace" "user namespaces are disabled"
fi

# --- a new user namespace that also joins a host-owned namespace: join first, then unshare ---
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ]; then
	a=$(cid latens-a)
	BA=$(bundle latens-a /bin/probe sleep 300)
	rt_create "$a" "$BA"
	rtc state "$a"
	apid=$(json_get pid "$OUT")
	b=$(cid latens-b)
	BB=$(RUNT_USERNS=1 RUNT_NAMESPACES="pid ipc uts mount network=/proc/$apid/ns/net" \
		bundle latens-b /bin/probe ns id pid)
	rtc run --bundle "$BB" "$b"
	check_rc "run with a new user namespace joining A's network namespace exits 0" 0
	check_eq "it is in A's network namespace" "$(readlink "/proc/$apid/ns/net")" "$(kv ns.net "$OUT")"
	check_eq "it is root in its own user namespace" 0 "$(kv uid "$OUT")"
	check_ne "its user namespace is not the host's" "$(host_ns user)" "$(kv ns.user "$OUT")"
	check_eq "its init is pid 1 of a new pid namespace" 1 "$(kv pid "$OUT")"
	rtc delete --force "$a"
	leftovers_check "new user namespace joining a network namespace"
else
	skip "new user namespace joining a network namespace" "user namespaces are disabled"
fi

# --- --no-pivot: MS_MOVE + chroot instead of pivot_root ---
id=$(cid nopivot)
B=$(bundle nopivot /bin/probe ns cwd)
rtc run --no-pivot --bundle "$B" "$id"
check_rc "run --no-pivot exits 0" 0
check_eq "--no-pivot: cwd is / inside" / "$(kv cwd "$OUT")"
leftovers_check "--no-pivot"

done_testing
