#!/bin/sh
# 20-run.sh - `run` in the foreground (exit status, stdio, signal forwarding, --keep) and
# detached (`run -d`, --pid-file).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# --- exit status ---
for n in 0 3 42; do
	id=$(cid "exit$n")
	B=$(bundle "exit$n" /bin/probe exit "$n")
	rtc run --bundle "$B" "$id"
	check_rc "run exits with the process's status $n" "$n"
	check "run removes the container afterwards ($n)" test ! -e "$RUNT_ROOT/$id"
done
rtc state "$(cid exit3)"
check_err "state after run: does not exist" "does not exist"
leftovers_check "run exit status"

# --- stdio passes through ---
id=$(cid stdio)
B=$(bundle stdio /bin/probe echo to-stdout stderr to-stderr)
rtc run --bundle "$B" "$id"
check_rc "run of a printing process exits 0" 0
check_eq "stdout passes through" to-stdout "$OUT"
check_match "stderr passes through" '^to-stderr$' "$ERR"
check_nomatch "stdout is not mixed into stderr" to-stdout "$ERR"

id=$(cid stdin)
B=$(bundle stdin /bin/sh -c 'read line; echo "got=$line"')
out=$(printf 'hello\n' | rt run --bundle "$B" "$id" 2>&1)
check_eq "stdin passes through" got=hello "$out"
leftovers_check "run stdio"

# --- death by signal: 128+N ---
id=$(cid segv)
B=$(bundle segv /bin/probe kill-self SEGV)
rtc run --bundle "$B" "$id"
check_rc "a process killed by SIGSEGV: run exits 139" 139

id=$(cid term-nopid)
B=$(RUNT_NAMESPACES="ipc uts mount network" bundle term-nopid /bin/probe pid kill-self TERM)
rtc run --bundle "$B" "$id"
check_rc "without a pid namespace, killed by SIGTERM: run exits 143" 143
check_nomatch "without a pid namespace the process is not pid 1" '^pid=1$' "$OUT"

id=$(cid killed)
B=$(bundle killed /bin/probe sleep 60)
rt run --bundle "$B" "$id" </dev/null >"$WORK/killed.out" 2>&1 &
rpid=$!
wait_status "$id" running 10
rtc kill "$id" KILL
wait "$rpid"
RC=$?
check_rc "a process killed by SIGKILL from runt kill: run exits 137" 137
leftovers_check "run and signals"

# --- --keep ---
id=$(cid keep)
B=$(bundle keep /bin/probe exit 5)
rtc run --keep --bundle "$B" "$id"
check_rc "run --keep exits with the status" 5
check_eq "run --keep leaves a stopped container" stopped "$(status "$id")"
rtc delete "$id"
check_rc "delete after run --keep exits 0" 0
leftovers_check "run --keep"

# --- run -d ---
id=$(cid detach)
B=$(bundle detach /bin/probe write /tmp/ran yes sleep 300)
RT_TIMEOUT=10 rt run -d --bundle "$B" --pid-file "$WORK/detach.pid" "$id" \
	</dev/null >"$WORK/detach.out" 2>&1
RC=$?
check_rc "run -d returns 0 while the process runs" 0
check_eq "run -d: running" running "$(status "$id")"
rtc state "$id"
pid=$(json_get pid "$OUT")
check_eq "run -d --pid-file holds the init's pid" "$pid" "$(cat "$WORK/detach.pid" 2>/dev/null)"
check "run -d: the init $pid is alive" pid_alive "$pid"
check "run -d: the process ran" wait_for 5 test -s "$B/rootfs/tmp/ran"
rtc delete --force "$id"
check_rc "delete --force of the detached container exits 0" 0
check "its init is gone" wait_for 5 pid_dead "$pid"

id=$(cid detach-exit)
B=$(bundle detach-exit /bin/probe exit 0)
RT_TIMEOUT=10 rt run -d --bundle "$B" "$id" </dev/null >"$WORK/detach-exit.out" 2>&1
RC=$?
check_rc "run -d of a short process exits 0" 0
check "it is reported stopped once it exited" wait_status "$id" stopped 5
rtc delete "$id"
check_rc "delete of the stopped detached container exits 0" 0
leftovers_check "run -d"

# --- signals sent to `runt run` reach the container ---
# No `timeout` wrapper here: coreutils timeout would forward the signal to the whole process
# group itself.
for sig in TERM:15 USR1:10 HUP:1; do
	id=$(cid "fwd${sig%%:*}")
	B=$(bundle "fwd${sig%%:*}" /bin/probe wait-signal)
	"$RUNT" --root "$RUNT_ROOT" run --bundle "$B" "$id" </dev/null >"$WORK/$id.out" 2>&1 &
	rpid=$!
	(
		sleep 30
		kill -KILL "$rpid"
	) 2>/dev/null &
	watchdog=$!
	wait_for 10 file_has ready=1 "$WORK/$id.out"
	kill "-${sig%%:*}" "$rpid"
	wait "$rpid"
	RC=$?
	kill "$watchdog" 2>/dev/null
	check_match "SIG${sig%%:*} sent to runt run reaches the process" "^signal=${sig#*:}\$" \
		"$(cout "$id")"
	check_rc "runt run then exits with the process's status" 0
done
leftovers_check "signal forwarding"

done_testing
