#!/bin/sh
# 86-systemd-bus.sh - runt's systemd cgroup driver (the default build's) on a host
# without systemd: no bus, and a private dbus-daemon that has no systemd on it, are clear
# errors naming what is missing (the bus's own error name and message), and they leave no
# state, cgroup or process; bad slice names are refused before anything exists. The real
# systemd cases run on the systemd board (tests/systemd/20-scope.sh).
TESTS=$(cd "$(dirname "$0")/.." && pwd)
. "$TESTS/lib.sh"
require_runt
require_systemd_driver
MNT=$(awk '$3 == "cgroup2" && ($2 == "/sys/fs/cgroup" || $2 == "/sys/fs/cgroup/unified") \
	{ print $2; exit }' /proc/mounts)
[ -n "$MNT" ] || skip_all "no cgroup2 mount"

check_match "features: cgroup.systemd and systemdUser" \
	'"systemd":true,"systemdUser":true' "$("$RUNT" features)"
NOSD=$TOP/build/nosystemd/runt # make runt-nosystemd
if [ -x "$NOSD" ]; then
	check_match "the SYSTEMD_CGROUP=0 build says it has neither" \
		'"systemd":false,"systemdUser":false' "$("$NOSD" features)"
else
	skip "the SYSTEMD_CGROUP=0 build's features" "no $NOSD (make runt-nosystemd)"
fi

# nothing_left ID: no state dir, no scope directory in the cgroup tree, no process.
nothing_left() {
	[ ! -e "$RUNT_ROOT/$1" ] && [ ! -e "$MNT/system.slice/runt-$1.scope" ] &&
		[ -z "$(tagged_pids)" ]
}

id=$(cid nobus)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'"' bundle nobus /bin/true)
DBUS_SYSTEM_BUS_ADDRESS=unix:path=$WORK/no-bus rtc --systemd-cgroup run --bundle "$B" "$id"
check_err "no bus: the error names the socket it tried" \
	"runt: run $id: create cgroup: systemd: connect to $WORK/no-bus: No such file or directory" \
	"(hint: --systemd-cgroup needs systemd and its D-Bus bus)"
check "... and leaves no state, cgroup or process" nothing_left "$id"

# A bus with nobody on it: runt's messages pass dbus-daemon's checks (it refuses malformed
# ones by closing the connection) and its answer comes back by name.
if command -v dbus-daemon >/dev/null 2>&1; then
	cat >"$WORK/bus.conf" <<EOF
<busconfig><type>session</type><listen>unix:path=$WORK/bus</listen><auth>EXTERNAL</auth>
<policy context="default"><allow send_destination="*"/><allow receive_sender="*"/><allow own="*"/>
</policy></busconfig>
EOF
	dbus-daemon --config-file="$WORK/bus.conf" --nofork --nopidfile >"$WORK/bus.log" 2>&1 &
	BUS_PID=$!
	wait_for 5 test -S "$WORK/bus"
	id=$(cid nosd)
	B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'"' bundle nosd /bin/true)
	DBUS_SYSTEM_BUS_ADDRESS="unix:path=$WORK/bus,guid=0" rtc --systemd-cgroup run --bundle "$B" "$id"
	check_err "a bus without systemd: its error, by name and message" \
		"runt: run $id: create cgroup: systemd: org.freedesktop.DBus.Error.ServiceUnknown: " \
		"org.freedesktop.systemd1"
	check "... and nothing is left" nothing_left "$id"
	kill "$BUS_PID" 2>/dev/null
	wait "$BUS_PID" 2>/dev/null
else
	skip "a bus without systemd" "no dbus-daemon on this host"
fi

for sl in a--b.slice -a.slice a-.slice a/b.slice x.scope; do
	id=$(cid "sl$T_NUM")
	B=$(RUNT_EXTRA_LINUX='"cgroupsPath": "'"$sl"':runt:'"$id"'"' bundle "sl$T_NUM" /bin/true)
	DBUS_SYSTEM_BUS_ADDRESS=unix:path=$WORK/no-bus rtc --systemd-cgroup run --bundle "$B" "$id"
	check_err "slice \"$sl\" is refused before anything exists" "invalid systemd slice \"$sl\""
	check "... nothing is left" nothing_left "$id"
done

done_testing
