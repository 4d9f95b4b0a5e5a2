#!/bin/sh
# 20-scope.sh - `runt --systemd-cgroup` under a real systemd (PID 1 of a board guest): the
# container is a transient scope made over D-Bus (runt's own client) with Delegate=yes and
# the limits as unit properties, exec/pause/kill work in it, `systemctl stop` of the scope
# stops the container, delete stops the unit and leaves none; a bad slice and a dead bus are
# clear errors that leave nothing behind.
TESTS=$(cd "$(dirname "$0")/.." && pwd)
. "$TESTS/lib.sh"
require_runt
"$RUNT" features | grep -q '"systemd":true' ||
	skip_all "$RUNT has no systemd cgroup driver (built with SYSTEMD_CGROUP=0)"
[ -n "${RUNT_BOARD:-}" ] && [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm)" = systemd ] ||
	skip_all "needs a board guest booted with systemd (make board-systemd)"

RT_TIMEOUT=60
SD="--systemd-cgroup"
show() {
	timeout 20 systemctl show -p "$2" --value "$1" 2>&1
}
# no_unit UNIT: systemd knows no such unit (loaded, failed or not).
no_unit() {
	[ "$(show "$1" LoadState)" = not-found ]
}
# nothing_left ID UNIT: no state dir, no unit, no cgroup.
nothing_left() {
	[ ! -e "$RUNT_ROOT/$1" ] && no_unit "$2" && [ ! -e "/sys/fs/cgroup/system.slice/$2" ]
}
wait_secs() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

diag "guest uptime $(cut -d' ' -f1 /proc/uptime) s; $(systemctl --version | head -n 1)"
check "the system bus is up (dbus.socket)" wait_secs 30 test -S /run/dbus/system_bus_socket

# --- a scope with the spec's limits as properties ---
id=$(cid lim)
unit="runt-$id.scope"
B=$(RUNT_EXTRA_MOUNTS='{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["ro", "nosuid", "noexec", "nodev"]}' \
	RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'", "resources": {"memory": {"limit": 67108864, "reservation": 33554432, "swap": 100663296}, "pids": {"limit": 32}, "cpu": {"shares": 512, "quota": 50000, "period": 100000, "cpus": "0"}, "blockIO": {"weight": 500}}' \
	bundle lim /bin/sh -c 'echo ready; exec sleep 600')
t0=$(date +%s%N)
rtc $SD create --bundle "$B" "$id"
t1=$(date +%s%N)
check_rc "create --systemd-cgroup exits 0" 0
diag "create with --systemd-cgroup: $(((t1 - t0) / 1000000)) ms"
pid=$(json_get pid "$(rt state "$id")")
check_eq "systemctl: the scope is active" active "$(show "$unit" ActiveState)"
check_eq "the init is in the scope's cgroup" "0::/system.slice/$unit" "$(cat "/proc/$pid/cgroup")"
check_eq "Delegate=yes, Slice=system.slice" "yes system.slice" \
	"$(show "$unit" Delegate) $(show "$unit" Slice)"
check_eq "MemoryMax, MemoryLow, MemorySwapMax" "67108864 33554432 33554432" \
	"$(show "$unit" MemoryMax) $(show "$unit" MemoryLow) $(show "$unit" MemorySwapMax)"
check_eq "TasksMax" 32 "$(show "$unit" TasksMax)"
check_eq "CPUWeight from cpu.shares 512 (runc's conversion)" 20 "$(show "$unit" CPUWeight)"
check_eq "CPUQuotaPerSecUSec, CPUQuotaPeriodUSec" "500ms 100ms" \
	"$(show "$unit" CPUQuotaPerSecUSec) $(show "$unit" CPUQuotaPeriodUSec)"
check_eq "AllowedCPUs" 0 "$(show "$unit" AllowedCPUs)"
check_eq "IOWeight from blkio weight 500 (runc: 1 + (w - 10) * 9999 / 990)" 4950 "$(show "$unit" IOWeight)"
cg=/sys/fs/cgroup/system.slice/$unit
check_eq "the cgroupfs files agree (memory.max pids.max cpu.max cpuset.cpus)" \
	"67108864 32 50000 100000 0" \
	"$(cat "$cg/memory.max" "$cg/pids.max" "$cg/cpu.max" "$cg/cpuset.cpus" | tr '\n' ' ' | sed 's/ $//')"
rtc start "$id"
check_rc "start" 0
rtc exec "$id" cat /sys/fs/cgroup/memory.max
check_eq "exec joins the scope (its cgroup namespace shows the scope's memory.max)" 67108864 "$OUT"
rtc pause "$id"
check_eq "pause freezes the scope" "paused 1" \
	"$(status "$id") $(grep frozen "$cg/cgroup.events" | cut -d' ' -f2)"
rtc resume "$id"
check_eq "resume" running "$(status "$id")"
rtc kill "$id" KILL
check "kill: the container stops" wait_secs 10 status_is "$id" stopped
t0=$(date +%s%N)
rtc delete "$id"
t1=$(date +%s%N)
check_rc "delete exits 0" 0
diag "delete with --systemd-cgroup: $(((t1 - t0) / 1000000)) ms"
check "delete leaves no state, no unit, no cgroup" nothing_left "$id" "$unit"

# --- systemctl stop of the scope stops the container ---
id=$(cid stop)
unit="runt-$id.scope"
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'"' \
	bundle stop /bin/sh -c 'trap "exit 0" TERM; while :; do sleep 1; done')
rtc $SD run -d --bundle "$B" "$id"
check_rc "run -d --systemd-cgroup" 0
check_eq "the scope is active" active "$(show "$unit" ActiveState)"
timeout 60 systemctl stop "$unit"
check "systemctl stop of the scope: the container stops" wait_secs 20 status_is "$id" stopped
rtc delete "$id"
check_rc "delete after systemctl stop exits 0" 0
check "nothing is left" nothing_left "$id" "$unit"

# --- no cgroupsPath: runc's default, system.slice/runt-<id>.scope; run's own end ---
id=$(cid def)
B=$(bundle def /bin/sh -c 'exec sleep 600')
rtc $SD run -d --bundle "$B" "$id"
check_eq "no cgroupsPath: runt-<id>.scope in system.slice" "active system.slice" \
	"$(show "runt-$id.scope" ActiveState) $(show "runt-$id.scope" Slice)"
rtc delete -f "$id"
check "delete -f of a running one: nothing is left" nothing_left "$id" "runt-$id.scope"
id=$(cid fg)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'"' bundle fg /bin/sh -c 'exit 7')
rtc $SD run --bundle "$B" "$id"
check_rc "run in the foreground: the container's status" 7
check "run's own end leaves no unit" nothing_left "$id" "runt-$id.scope"

# --- the same without systemd, for the timing ---
id=$(cid fs)
B=$(bundle fs /bin/true)
t0=$(date +%s%N)
rt_create "$id" "$B"
t1=$(date +%s%N)
rtc delete "$id"
t2=$(date +%s%N)
diag "without --systemd-cgroup: create $(((t1 - t0) / 1000000)) ms, delete $(((t2 - t1) / 1000000)) ms"

# --- bad input and a dead bus: clear errors, nothing left ---
id=$(cid bad)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": "a--b.slice:runt:'"$id"'"' bundle bad /bin/true)
rtc $SD create --bundle "$B" "$id"
check_err "a bad slice name is refused" 'invalid systemd slice "a--b.slice"'
check "... and nothing is left" nothing_left "$id" "runt-$id.scope"

id=$(cid name)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:x y"' bundle name /bin/true)
rtc $SD create --bundle "$B" "$id"
check_err "a unit name systemd refuses: its error, by name" \
	"create cgroup: systemd: org.freedesktop.DBus.Error.InvalidArgs: "
check "... and nothing is left" sh -c "[ ! -e '$RUNT_ROOT/$id' ] &&
	[ -z \"\$(systemctl list-units --all --no-legend 'runt-x*')\" ]"

id=$(cid dead)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'"' bundle dead /bin/true)
DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/no-bus rtc $SD create --bundle "$B" "$id"
check_err "no bus: the error names the socket" \
	"create cgroup: systemd: connect to /run/no-bus: No such file or directory"
check "... and nothing is left" nothing_left "$id" "runt-$id.scope"

done_testing
