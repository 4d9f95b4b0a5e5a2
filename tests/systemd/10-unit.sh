#!/bin/sh
# 10-unit.sh - contrib/systemd/runt@.service, unchanged, under a real systemd (PID 1 of a
# board guest): `systemctl start` returns only after the container's READY=1, MainPID is the
# container's init, STATUS= reaches StatusText, the container lives in the unit's cgroup,
# stop leaves nothing behind, and a container that never gets ready or exits non-zero
# fails the unit. It installs into /etc and /usr/local of the guest's RAM overlay: it
# refuses to run anywhere but a systemd-booted board.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt
[ -n "${RUNT_BOARD:-}" ] && [ -d /run/systemd/system ] && [ "$(cat /proc/1/comm)" = systemd ] ||
	skip_all "needs a board guest booted with systemd (make board-systemd)"

UNIT=$TOP/contrib/systemd/runt@.service
ETC=/etc/systemd/system
STATE=/run/runt # the unit runs runt with its default --root
NAMES=

# install_unit: the shipped unit as it is, runt where its ExecStart= looks for it.
install_unit() {
	install -m 0755 "$RUNT" /usr/local/bin/runt &&
		install -m 0644 "$UNIT" "$ETC/runt@.service" && systemctl daemon-reload
}

# instance NAME [DROP-IN LINE...]: bundle $WORK/NAME reached as /var/lib/runt/NAME (where
# the unit looks), with its process from $ARGS; an optional drop-in for this instance only.
# The container lives in the unit's cgroup: cgroupsPath relative to runt's own (Delegate=yes).
instance() {
	_n=$1
	shift
	NAMES="$NAMES $_n"
	RUNT_EXTRA_LINUX='"cgroupsPath": "container"' bundle "$_n" /bin/sh -c "$ARGS" >/dev/null
	mkdir -p /var/lib/runt && ln -sfn "$WORK/$_n" "/var/lib/runt/$_n"
	[ $# -gt 0 ] || return 0
	mkdir -p "$ETC/runt@$_n.service.d"
	printf '%s\n' "[Service]" "$@" >"$ETC/runt@$_n.service.d/test.conf"
}

# wait_secs SECONDS CMD...: polls CMD until it succeeds, for SECONDS of wall time at most
# (lib.sh's wait_for counts tries of 0.1 s, and one try costs far more under TCG).
wait_secs() {
	_end=$(($(date +%s) + $1))
	shift
	until "$@" >/dev/null 2>&1; do
		[ "$(date +%s)" -lt "$_end" ] || return 1
		sleep 0.2
	done
}

prop() {
	timeout 20 systemctl show -p "$2" --value "runt@$1.service"
}

# sc ARGS...: systemctl with a time limit; sets RC, OUT (stdout and stderr).
sc() {
	OUT=$(timeout 60 systemctl "$@" </dev/null 2>&1)
	RC=$?
}

# unit_cg NAME: where the container's cgroup is (systemd forgets ControlGroup once stopped).
unit_cg() {
	echo "/system.slice/system-runt.slice/runt@$1.service/container"
}

runt_pid() {
	json_get pid "$(runt state "$1" 2>/dev/null)"
}

# gone NAME: no state dir and no cgroup of the container is left, hence no process: the
# kernel refuses to remove a cgroup that still has one. (lib.sh's tagged_pids scans /proc
# with a few execs per process: half a minute under TCG.)
gone() {
	[ ! -e "$STATE/$1" ] && [ ! -e "/sys/fs/cgroup$(unit_cg "$1")" ]
}

# show_unit NAME: what systemd and the journal say, as TAP comments (after a failure).
show_unit() {
	diag "$(timeout 20 systemctl status --no-pager "runt@$1.service" 2>&1 | tail -n 20)"
	diag "$(timeout 20 journalctl -b --no-pager -o cat -u "runt@$1.service" 2>&1 | tail -n 30)"
	diag "$(timeout 20 journalctl -b --no-pager -o cat -u init.scope 2>&1 | tail -n 10)"
}

stop_all() {
	for _n in $NAMES; do
		timeout 60 systemctl stop "runt@$_n.service" >/dev/null 2>&1
		systemctl reset-failed "runt@$_n.service" >/dev/null 2>&1
		rm -rf "$ETC/runt@$_n.service.d" "/var/lib/runt/$_n"
	done
}
# Instead of lib.sh's t_cleanup, whose scrub scans /proc: the units are stopped, which
# ends every container (their cgroups are the units').
finish() {
	_rc=$?
	trap - EXIT
	stop_all
	rm -rf "$WORK"
	if [ "$T_DONE" = 0 ]; then
		not_ok "$(basename "$0") ended early (status $_rc)"
		echo "1..$T_NUM"
	fi
	[ "$T_FAIL" -eq 0 ] || exit 1
	exit "$_rc"
}
trap finish EXIT

check "the shipped unit and runt are installed" install_unit
check "the unit is used unchanged" cmp "$UNIT" "$ETC/runt@.service"

# --- ready: start returns after READY=1; MainPID, StatusText, cgroup; stop ---
ARGS='trap "sleep 1; touch /tmp/stopped; exit 0" TERM
probe notify "STATUS=warming up"; sleep 2; touch /tmp/before-ready
probe notify "READY=1\nSTATUS=serving"; while :; do sleep 1; done'
instance ready
sc start runt@ready.service
check_rc "systemctl start runt@ready exits 0" 0
[ "$RC" = 0 ] || show_unit ready
check "start returned only after the container sent READY=1" \
	test -e "$WORK/ready/rootfs/tmp/before-ready"
check_eq "systemctl is-active: active" active "$(systemctl is-active runt@ready.service)"
pid=$(runt_pid ready)
check_ne "runt state names the init's host pid" "" "$pid"
check_eq "MainPID is the container's init (MAINPID rewritten)" "$pid" "$(prop ready MainPID)"
check_eq "STATUS= reaches StatusText" serving "$(prop ready StatusText)"
check_eq "the init lives in the unit's cgroup (cgroupsPath relative, Delegate=yes)" \
	"0::$(unit_cg ready)" "$(cat "/proc/$pid/cgroup" 2>/dev/null)"
sc stop runt@ready.service
check_rc "systemctl stop runt@ready exits 0" 0
check_eq "after stop: inactive" inactive "$(systemctl is-active runt@ready.service)"
[ "$(systemctl is-active runt@ready.service)" = inactive ] || show_unit ready
check "the init is gone" wait_secs 10 pid_dead "$pid"
check "stop gave the init time to end on SIGTERM (no SIGKILL right away)" \
	test -e "$WORK/ready/rootfs/tmp/stopped"
check_eq "... so the unit stopped cleanly" "success 0" \
	"$(prop ready Result) $(prop ready ExecMainStatus)"
check "stop leaves no state dir, cgroup or process" wait_secs 10 gone ready

diag "guest uptime $(cut -d' ' -f1 /proc/uptime) s"
# --- never: no READY=1 fails the start within TimeoutStartSec; nothing is left ---
ARGS='exec probe wait-signal'
instance never TimeoutStartSec=5 Restart=no
systemctl daemon-reload
sc start runt@never.service
check_rc "start of a container that never sends READY=1 fails" 1
check_eq "the unit is failed" failed "$(systemctl is-active runt@never.service)"
check_eq "... by the start timeout" timeout "$(prop never Result)"
check "no state dir, cgroup or process is left" wait_secs 10 gone never

diag "guest uptime $(cut -d' ' -f1 /proc/uptime) s"
# --- fails: a container that exits non-zero after READY=1 fails the unit ---
ARGS='probe notify "READY=1"; sleep 1; exit 3'
instance fails Restart=no
systemctl daemon-reload
sc start runt@fails.service
check_rc "start of a container that gets ready, then exits 3" 0
check "the unit ends failed" wait_secs 15 sh -c \
	'[ "$(systemctl is-active runt@fails.service)" = failed ]'
check_eq "... with the container's exit status" "exit-code 3" \
	"$(prop fails Result) $(prop fails ExecMainStatus)"
check "no state dir, cgroup or process is left" wait_secs 10 gone fails
[ "$(systemctl is-active runt@fails.service)" = failed ] || show_unit fails

# --- restarts: the shipped Restart=on-failure starts such a container again ---
instance restarts
systemctl daemon-reload
sc start runt@restarts.service
check_rc "start of the same container with the unit's own Restart=on-failure" 0
failed=$T_FAIL
check "systemd restarts it after it exited 3" wait_secs 30 sh -c \
	'[ "$(timeout 10 systemctl show -p NRestarts --value runt@restarts.service)" -ge 1 ]'
[ "$T_FAIL" = "$failed" ] || show_unit restarts
sc stop runt@restarts.service
check "stop ends the restart loop; nothing is left" wait_secs 10 gone restarts

done_testing
