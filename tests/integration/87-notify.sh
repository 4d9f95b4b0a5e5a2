#!/bin/sh
# 87-notify.sh - sd_notify through runt: with NOTIFY_SOCKET set, the container gets a socket
# of its own, READY=1 and STATUS reach the host socket with MAINPID = the init's host pid,
# `start`/`run -d` return only after READY=1, and a container that never gets ready is a
# clear error.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

HOST=$WORK/host.sock
RECV=$WORK/recv.out

# receiver N [ADDR]: the host's notify socket, reading N datagrams in the background.
receiver() {
	rm -f "$RECV"
	"$PROBE" notify-recv "${2:-$HOST}" "$1" >"$RECV" 2>&1 &
	RPID=$!
	case ${2:-$HOST} in
	@*) wait_for 5 grep -q "@${2#@}" /proc/net/unix ;;
	*) wait_for 5 test -S "$HOST" ;;
	esac
}

# recv_stop: no datagram is expected any more.
recv_stop() {
	kill "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
}

received() {
	cat "$RECV" 2>/dev/null
}

# recv_done: the receiver got its datagrams (or is stopped after 10 s).
recv_done() {
	wait_for 10 file_has '^end=1' "$RECV"
	kill "$RPID" 2>/dev/null
	wait "$RPID" 2>/dev/null
}

# --- create + start: start returns only after READY=1, which arrives with MAINPID ---
id=$(cid start)
B=$(bundle start /bin/sh -c 'probe env NOTIFY_SOCKET; sleep 1; probe notify "STATUS=warming up";
	touch /tmp/before-ready; probe notify "READY=1\nMAINPID=1\nFDSTORE=1"; exec probe sleep 60')
receiver 2
export NOTIFY_SOCKET=$HOST
rt_create "$id" "$B"
check_rc "create with NOTIFY_SOCKET exits 0" 0
check "create made the notify directory in the state dir" test -d "$RUNT_ROOT/$id/notify"
rtc start "$id"
check_rc "start exits 0 once READY=1 arrived" 0
check "start returned only after the container sent READY=1" test -e "$B/rootfs/tmp/before-ready"
unset NOTIFY_SOCKET
recv_done
pid=$(json_get pid "$(rt state "$id" 2>/dev/null)")
check_match "the host socket got STATUS" '^notify=STATUS=warming up$' "$(received)"
check_match "the host socket got READY=1" '^notify=READY=1$' "$(received)"
check_eq "every message carries MAINPID = the init's host pid" "$pid $pid" \
	"$(received | sed -n 's/^notify=MAINPID=//p' | tr '\n' ' ' | sed 's/ $//')"
check_nomatch "fd-store requests stay inside" 'FDSTORE' "$(received)"
check_eq "the container's NOTIFY_SOCKET is its own socket" /run/notify/notify.sock \
	"$(kv env.NOTIFY_SOCKET "$(cout "$id")")"
rtc delete --force "$id"
check_rc "delete exits 0" 0
leftovers_check "notify with create and start"

# --- run -d, in a user namespace, with an abstract host socket ---
id=$(cid userns)
B=$(RUNT_USERNS=1 bundle userns /bin/sh -c 'probe notify "READY=1"; exec probe sleep 60')
# the rootfs belongs to the host's root, not to the mapped one: the mount point must exist
mkdir -p "$B/rootfs/run/notify"
receiver 1 "@runt-test-$$"
export NOTIFY_SOCKET="@runt-test-$$"
rtc run -d --bundle "$B" "$id"
unset NOTIFY_SOCKET
check_rc "run -d in a user namespace returns once ready" 0
recv_done
check_match "an abstract NOTIFY_SOCKET gets READY=1" '^notify=READY=1$' "$(received)"
check_eq "run -d: the container runs" running "$(status "$id")"
rtc delete --force "$id"
leftovers_check "notify run -d"

# --- run in the foreground keeps forwarding after READY ---
id=$(cid fg)
B=$(bundle fg /bin/sh -c 'probe notify "READY=1"; sleep 0.2; probe notify "STATUS=still here"')
receiver 4
export NOTIFY_SOCKET=$HOST
rtc run --bundle "$B" "$id"
unset NOTIFY_SOCKET
check_rc "run in the foreground exits with the process's status" 0
recv_done
check_match "run: READY=1 forwarded" '^notify=READY=1$' "$(received)"
check_match "run: a STATUS after READY is forwarded too" '^notify=STATUS=still here$' \
	"$(received)"
# systemd cannot reap the init (not its child): runt names itself MAINPID again once the
# init exited, so the unit gets the container's exit status from runt's.
mains=$(received | sed -n 's/^notify=MAINPID=//p' | tr '\n' ' ')
set -- $mains
check_eq "run: three messages name MAINPID" 3 $#
check "run: the last one, after the init exited, names another pid (runt's own)" \
	test "${1:-}" = "${2:-}" -a "${2:-}" != "${3:-}" -a -n "${3:-}"
# A datagram alone raced runt's exit under systemd (it read MAINPID once runt was a zombie):
# runt waits for sd_notify's barrier, which must come last.
check_eq "run: a BARRIER=1 follows the hand-back" BARRIER=1 \
	"$(received | sed -n 's/^notify=//p' | tail -n 1)"
leftovers_check "notify run in the foreground"

# --- no READY: a clear error, bounded by RUNT_NOTIFY_TIMEOUT ---
id=$(cid never)
B=$(bundle never /bin/probe sleep 60)
receiver 1
export NOTIFY_SOCKET=$HOST RUNT_NOTIFY_TIMEOUT=1
rt_create "$id" "$B"
RT_TIMEOUT=10 rtc start "$id"
check_err "start without READY=1 fails after the timeout" \
	"container did not send READY=1 to NOTIFY_SOCKET within 1 s"
check_eq "the container still runs (start does not destroy it)" running "$(status "$id")"
rtc delete --force "$id"
RT_TIMEOUT=10 rtc run -d --bundle "$B" "$id"
check_err "run -d without READY=1 fails after the timeout" "within 1 s"
check "run -d without READY=1 leaves no state" test ! -e "$RUNT_ROOT/$id"
unset NOTIFY_SOCKET RUNT_NOTIFY_TIMEOUT
check_eq "nothing reached the host socket" "" "$(received)"
recv_stop
leftovers_check "notify timeout"

id=$(cid exits)
B=$(bundle exits /bin/probe exit 0)
receiver 1
export NOTIFY_SOCKET=$HOST
rt_create "$id" "$B"
rtc start "$id"
unset NOTIFY_SOCKET
check_err "an init that exits before READY=1: start says so" \
	"container exited before it sent READY=1"
rtc delete --force "$id"
recv_stop
leftovers_check "init exits before READY"

# --- without NOTIFY_SOCKET nothing changes ---
id=$(cid none)
B=$(bundle none /bin/sh -c 'probe env NOTIFY_SOCKET; test -e /run/notify && echo has-run-notify')
rtc run --bundle "$B" "$id"
check_eq "without NOTIFY_SOCKET the container has none" 1 "$(kv env.NOTIFY_SOCKET.unset "$OUT")"
check_nomatch "without NOTIFY_SOCKET there is no /run/notify" has-run-notify "$OUT"
rtc run -d --bundle "$B" "$(cid none2)"
check_eq "without NOTIFY_SOCKET no notify directory is made" "" \
	"$(ls -d "$RUNT_ROOT/$(cid none2)/notify" 2>/dev/null)"
rtc delete --force "$(cid none2)"
export NOTIFY_SOCKET=relative/path
rtc run --bundle "$B" "$id"
unset NOTIFY_SOCKET
check_err "a NOTIFY_SOCKET that is no absolute path is refused" \
	"NOTIFY_SOCKET=relative/path: not an absolute path or @name"
leftovers_check "without NOTIFY_SOCKET"

done_testing
