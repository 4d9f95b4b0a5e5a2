#!/bin/sh
# 50-user.sh - systemdUser: an unprivileged user's runt (rootless) with --systemd-cgroup under
# that user's own systemd (loginctl enable-linger): the scope is made over the user's bus in
# the user manager's tree, its limit applied, and delete leaves no unit. runt runs inside a
# transient service of the user manager (systemd-run --user): the manager may only move
# processes within its own tree.
TESTS=$(cd "$(dirname "$0")/.." && pwd)
. "$TESTS/lib.sh"
require_runt
[ -n "${RUNT_BOARD:-}" ] && [ "$(cat /proc/1/comm)" = systemd ] ||
	skip_all "needs a board guest booted with systemd (make board-systemd)"
"$RUNT" features | grep -q '"systemdUser":true' ||
	skip_all "$RUNT has no systemd cgroup driver (built with SYSTEMD_CGROUP=0)"
for c in setpriv loginctl systemd-run useradd; do
	command -v "$c" >/dev/null 2>&1 || skip_all "needs $c"
done

RU=runtsd
id -u "$RU" >/dev/null 2>&1 || useradd -m "$RU" || skip_all "cannot add user $RU"
RUID=$(id -u "$RU") RGID=$(id -g "$RU")
XDG=/run/user/$RUID
for f in "$RUNT" "$PROBE"; do
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups test -x "$f" ||
		skip_all "$f is not executable for $RU"
done
wait_secs() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}
loginctl enable-linger "$RU"
wait_secs 60 test -S "$XDG/bus" || skip_all "no user bus at $XDG/bus (dbus-user-session)"
trap '_r=$?; loginctl disable-linger "$RU"; (exit $_r); t_cleanup' EXIT

# as CMD...: as the user, with the user's runtime dir and bus; sets RC OUT ERR.
as() {
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env XDG_RUNTIME_DIR="$XDG" \
		DBUS_SESSION_BUS_ADDRESS="unix:path=$XDG/bus" timeout 120 "$@" </dev/null \
		>"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}
# urt ARGS...: the user's runt in a transient service of the user manager
urt() {
	as systemd-run --user --wait --pipe --quiet --collect -- "$RUNT" "$@"
}
ushow() {
	as systemctl --user show -p "$2" --value "$1"
	echo "$OUT"
}

id=$(cid usr)
unit=runt-$id.scope
B=$(RUNT_USERNS=1 RUNT_USERNS_MAP="[{\"containerID\": 0, \"hostID\": $RUID, \"size\": 1}]" \
	RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:'"$id"'", "resources": {"pids": {"limit": 16}}' \
	bundle usr /bin/probe sleep 100) &&
	sed -i "s/, \"gid=5\"//; /gidMappings/s/\"hostID\": $RUID,/\"hostID\": $RGID,/" \
		"$B/config.json"
urt --systemd-cgroup run -d --bundle "$B" "$id"
check_rc "the user's runt: run -d --systemd-cgroup exits 0" 0
check_eq "the scope is active in the user's manager" active "$(ushow "$unit" ActiveState)"
check_eq "... below the manager's own cgroup, in user.slice" \
	"/user.slice/user-$RUID.slice/user@$RUID.service/user.slice/$unit" \
	"$(ushow "$unit" ControlGroup)"
check_eq "TasksMax from pids.limit" 16 "$(ushow "$unit" TasksMax)"
check_eq "pids.max in the scope" 16 \
	"$(cat "/sys/fs/cgroup/user.slice/user-$RUID.slice/user@$RUID.service/user.slice/$unit/pids.max" 2>&1)"
urt delete -f "$id"
check_rc "the user's delete -f exits 0" 0
check_eq "no unit is left" not-found "$(ushow "$unit" LoadState)"
check "no state is left" test ! -e "$XDG/runt/$id"

done_testing
