#!/bin/sh
# 84-tty-fds.sh - terminals (console socket, runt's own pty proxy, exec -t) and passing
# fds (--preserve-fds, LISTEN_FDS socket activation).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# start_receiver SOCK TEXT: a console-socket receiver in the background (its output in
# $WORK/recv.out); waits until it listens.
start_receiver() {
	rm -f "$1" "$WORK/recv.out"
	"$PROBE" console-recv "$1" "$2" >"$WORK/recv.out" 2>&1 &
	RECV=$!
	wait_for 5 test -S "$1"
}

# stop_receiver: wait for the receiver to finish, and end it if a failure left it waiting
stop_receiver() {
	wait_for 10 pid_dead "$RECV" || kill "$RECV" 2>/dev/null
	wait "$RECV" 2>/dev/null
}

# --- create + start with --console-socket ---
id=$(cid con)
S=$WORK/con.sock
B=$(RUNT_TERMINAL=true bundle con /bin/sh)
start_receiver "$S" 'echo con $((2+3)); tty; exit 4'
rt_create "$id" "$B" --console-socket "$S"
check_rc "create with a terminal and --console-socket exits 0" 0
rtc start "$id"
stop_receiver
R=$(cat "$WORK/recv.out")
check_eq "the receiver got the pty master" ok "$(kv console.master "$R")"
check_match "the shell read what the receiver typed" '^console=con 5' "$R"
check_match "its stdio is a pty of the container's devpts" '^console=/dev/pts/[0-9]+' "$R"
wait_status "$id" stopped 5
rtc delete "$id"

# --- consoleSize is applied ---
id=$(cid consize)
B=$(RUNT_TERMINAL=true RUNT_EXTRA_PROCESS='"consoleSize": {"height": 33, "width": 111}' \
	bundle consize /bin/sh)
start_receiver "$S" 'stty size; exit 0'
rtc run --console-socket "$S" --bundle "$B" "$id"
check_rc "run --console-socket in the foreground exits with the shell's status" 0
stop_receiver
check_match "consoleSize 33x111 reached the pty" '^console=33 111' "$(cat "$WORK/recv.out")"

# --- run with a terminal and no console socket: runt proxies the pty ---
id=$(cid proxy)
B=$(RUNT_TERMINAL=true bundle proxy /bin/sh)
printf 'echo proxied $((40+2))\nexit 3\n' | rt run --bundle "$B" "$id" >"$WORK/proxy.out" 2>&1
RC=$?
OUT=$(cat "$WORK/proxy.out")
check_rc "run -t through runt's proxy exits with the shell's status 3" 3
check_match "input reached the shell and its output came back" 'proxied 42' "$OUT"
if command -v script >/dev/null 2>&1 && script -qec true /dev/null >/dev/null 2>&1; then
	id=$(cid proxytty)
	B=$(RUNT_TERMINAL=true bundle proxytty /bin/sh -c 'stty size')
	# script's stdin must not hit EOF before the container is done (it would hang up the
	# terminal under runt): a fifo held open until script exits, however slow the host
	mkfifo "$WORK/hold"
	script -qec "stty rows 21 cols 77; $RUNT --root $RUNT_ROOT run --bundle $B $id" \
		/dev/null <"$WORK/hold" >"$WORK/pt.out" 2>&1 &
	spid=$!
	exec 7>"$WORK/hold"
	wait "$spid"
	exec 7>&-
	check_match "on a real terminal the window size is passed on" '21 77' "$(cat "$WORK/pt.out")"
else
	skip "window size through the proxy" "no script(1) here"
fi

# --- exec -t with a console socket ---
id=$(cid exectty)
B=$(bundle exectty /bin/probe sleep 300)
rt_create "$id" "$B"
rtc start "$id"
start_receiver "$S" 'tty; exit 6'
rtc exec -t --console-socket "$S" "$id" /bin/sh
check_rc "exec -t --console-socket exits with the shell's status" 6
stop_receiver
check_match "exec -t: the shell has a pty" '^console=/dev/pts/[0-9]+' "$(cat "$WORK/recv.out")"
rtc delete --force "$id"

# --- terminal errors: clear, and nothing left ---
id=$(cid noconsole)
B=$(RUNT_TERMINAL=true bundle noconsole /bin/sh)
rt_create "$id" "$B"
check_err "create with a terminal but no console socket fails" console-socket
rtc run -d --bundle "$B" "$id"
check_err "run -d with a terminal but no console socket fails" console-socket
B=$(bundle noterm /bin/true)
rtc run --console-socket "$S" --bundle "$B" "$(cid noterm)"
check_err "--console-socket without process.terminal fails" terminal
rtc run --console-socket "$WORK/none.sock" --bundle "$WORK/con" "$(cid deadsock)"
check_err "an unreachable console socket fails" none.sock
leftovers_check "terminals"

# --- --preserve-fds ---
id=$(cid preserve)
B=$(bundle preserve /bin/probe fds)
echo a >"$WORK/fd3"
echo b >"$WORK/fd4"
rt run --preserve-fds 2 --bundle "$B" "$id" 3<"$WORK/fd3" 4<"$WORK/fd4" 5<"$WORK/fd4" \
	</dev/null >"$WORK/pfd.out" 2>&1
RC=$?
OUT=$(cat "$WORK/pfd.out")
check_rc "run --preserve-fds 2 exits 0" 0
check_match "fd 3 reached the container" "^fd\\.3=.*fd3" "$OUT"
check_match "fd 4 reached the container" "^fd\\.4=.*fd4" "$OUT"
check_nomatch "fd 5 (not preserved) did not" "^fd\\.5=" "$OUT"
rtc run --preserve-fds x --bundle "$B" "$(cid badpreserve)"
check_err "--preserve-fds x is refused" preserve-fds

# --- LISTEN_FDS: socket activation passes fds and LISTEN_PID as the container sees it ---
id=$(cid listen)
B=$(bundle listen /bin/probe env LISTEN_FDS env LISTEN_PID pid fds)
LISTEN_FDS=1 rt run --bundle "$B" "$id" 3<"$WORK/fd3" </dev/null >"$WORK/lfd.out" 2>&1
RC=$?
OUT=$(cat "$WORK/lfd.out")
check_rc "run with LISTEN_FDS=1 exits 0" 0
check_eq "LISTEN_FDS reaches the container" 1 "$(kv env.LISTEN_FDS "$OUT")"
check_eq "LISTEN_PID is the pid the container sees" "$(kv pid "$OUT")" "$(kv env.LISTEN_PID "$OUT")"
check_match "the listening fd 3 is passed" "^fd\\.3=.*fd3" "$OUT"
leftovers_check "fds"

done_testing
