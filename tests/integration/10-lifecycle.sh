#!/bin/sh
# 10-lifecycle.sh - create, state, start, kill, delete and their errors, as containerd drives
# them: the process runs only after start, state reports every field, delete cleans up.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

RFC3339='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'

# --- create, state, start, kill, stopped, delete ---
id=$(cid life)
B=$(bundle life /bin/probe write /tmp/started yes wait-signal)
rt_create "$id" "$B" --pid-file "$WORK/life.pid"
check_rc "create exits 0" 0
rtc state "$id"
check_rc "state of a created container exits 0" 0
st=$OUT
check_eq "state: status created" created "$(json_get status "$st")"
check_eq "state: id" "$id" "$(json_get id "$st")"
check_eq "state: bundle is the absolute bundle path" "$B" "$(json_get bundle "$st")"
check_match "state: ociVersion 1.x" '^1\.[0-9]+\.[0-9]+' "$(json_get ociVersion "$st")"
check_match "state: created is RFC3339" "$RFC3339" "$(json_get created "$st")"
check_eq "state: rootfs is the bundle's rootfs" "$B/rootfs" "$(json_get rootfs "$st")"
check_match "state: has an owner field" '"owner"[[:space:]]*:' "$st"
pid=$(json_get pid "$st")
check_match "state: pid is a number" '^[1-9][0-9]*$' "$pid"
check "state: pid $pid is alive" pid_alive "$pid"
check_eq "pid file holds state's pid" "$pid" "$(cat "$WORK/life.pid" 2>/dev/null)"
sleep 0.5
check "the process has not run before start" test ! -e "$B/rootfs/tmp/started"
check_eq "status is still created" created "$(status "$id")"

rtc start "$id"
check_rc "start exits 0" 0
check "the process runs after start" wait_for 5 test -s "$B/rootfs/tmp/started"
check_eq "it wrote what args said" yes "$(cat "$B/rootfs/tmp/started" 2>/dev/null)"
check_eq "status running after start" running "$(status "$id")"
rtc state "$id"
check_eq "state: pid unchanged after start" "$pid" "$(json_get pid "$OUT")"
rtc start "$id"
check_ne "start of a running container fails" 0 "$RC"
check "the container is still running after a second start" pid_alive "$pid"

wait_for 5 file_has ready=1 "$WORK/$id.out"
rtc kill "$id"
check_rc "kill without a signal exits 0" 0
check "the init exits" wait_for 5 pid_dead "$pid"
check_match "kill without a signal sends TERM" '^signal=15$' "$(cout "$id")"
check "status stopped after the init exited" wait_status "$id" stopped 5
rtc state "$id"
check_rc "state of a stopped container exits 0" 0
check "the state dir exists until delete" test -d "$RUNT_ROOT/$id"
rtc delete "$id"
check_rc "delete of a stopped container exits 0" 0
check "delete removes the state dir" test ! -e "$RUNT_ROOT/$id"
rtc state "$id"
check_err "state after delete: does not exist" "does not exist"
leftovers_check "create/start/kill/delete"

# --- the signal names kill accepts ---
for sig in USR1:10 SIGUSR2:12 1:1 HUP:1; do
	id=$(cid "sig${sig%%:*}")
	B=$(bundle "sig${sig%%:*}" /bin/probe wait-signal)
	rt_create "$id" "$B"
	rtc start "$id"
	wait_for 5 file_has ready=1 "$WORK/$id.out"
	rtc kill "$id" "${sig%%:*}"
	check_rc "kill $id ${sig%%:*} exits 0" 0
	wait_status "$id" stopped 5
	check_match "kill ${sig%%:*} delivers signal ${sig#*:}" "^signal=${sig#*:}\$" "$(cout "$id")"
	rtc delete "$id"
done
leftovers_check "kill with signal names"

for sig in KILL SIGKILL 9; do
	id=$(cid "k$sig")
	B=$(bundle "k$sig" /bin/probe wait-signal)
	rt_create "$id" "$B"
	rtc start "$id"
	wait_for 5 file_has ready=1 "$WORK/$id.out"
	rtc kill "$id" FOO
	check_err "kill $id FOO fails naming the signal" FOO
	check_eq "after a bad signal the container still runs" running "$(status "$id")"
	rtc kill "$id" "$sig"
	check_rc "kill $sig exits 0" 0
	check "kill $sig stops the container" wait_status "$id" stopped 5
	check_nomatch "kill $sig is not a catchable signal" '^signal=' "$(cout "$id")"
	# containerd's shim maps runc's "container not running" to NotFound: without these
	# words the CRI cannot delete an exited task; and it kills with --all first (runc: ok)
	rtc kill "$id" "$sig"
	check_err "kill of a stopped container fails in runc's words" "container not running"
	rtc kill --all "$id" "$sig"
	check_rc "kill --all of a stopped container exits 0 (nothing left to signal)" 0
	rtc delete "$id"
	check_rc "delete after kill $sig exits 0" 0
done
leftovers_check "kill KILL"

# --- delete of a running container needs --force ---
id=$(cid force)
B=$(bundle force /bin/probe sleep 300)
rt_create "$id" "$B"
rtc start "$id"
rtc state "$id"
pid=$(json_get pid "$OUT")
rtc delete "$id"
check_ne "delete of a running container fails" 0 "$RC"
check_eq "it is still running" running "$(status "$id")"
check "its init is still alive" pid_alive "$pid"
rtc delete --force "$id"
check_rc "delete --force exits 0" 0
check "delete --force kills the init" wait_for 5 pid_dead "$pid"
check "delete --force removes the state dir" test ! -e "$RUNT_ROOT/$id"
leftovers_check "delete --force"

# --- a created container can be deleted (containerd does it when a create step fails) ---
id=$(cid created-del)
B=$(bundle created-del /bin/probe write /tmp/ran yes)
rt_create "$id" "$B"
rtc state "$id"
pid=$(json_get pid "$OUT")
rtc delete "$id"
check_rc "delete of a created container exits 0" 0
check "its init is gone" wait_for 5 pid_dead "$pid"
check "its process never ran" test ! -e "$B/rootfs/tmp/ran"
leftovers_check "delete of a created container"

# --- kill --all signals every process of the container ---
id=$(cid all)
B=$(bundle all /bin/sh -c '/bin/probe wait-signal & /bin/probe wait-signal & wait')
rt_create "$id" "$B"
rtc start "$id"
wait_for 5 lines_are 2 '^ready=1$' "$WORK/$id.out"
rtc kill --all "$id" TERM
check_rc "kill --all exits 0" 0
check "kill --all reaches both children" \
	wait_for 5 lines_are 2 '^signal=15$' "$WORK/$id.out"
check "the container stops once its children exit" wait_status "$id" stopped 5
rtc delete --force "$id"
leftovers_check "kill --all"

# --- stdio: the init inherits create's stdio ---
id=$(cid stdio)
B=$(bundle stdio /bin/probe echo from-the-container stderr on-stderr stdio)
rt_create "$id" "$B"
check_nomatch "nothing printed by the process before start" from-the-container "$(cout "$id")"
rtc start "$id"
wait_status "$id" stopped 5
check_match "stdout goes where create's stdout went" '^from-the-container$' "$(cout "$id")"
check_match "stderr goes where create's stderr went" '^on-stderr$' "$(cerr "$id")"
check_match "stdin is open (create's /dev/null)" '^fd\.0=/dev/null$' "$(cout "$id")"
rtc delete "$id"
leftovers_check "stdio"

# --- unknown ids ---
for cmd in state start kill delete; do
	rtc "$cmd" "nosuch-$$"
	check_err "$cmd of an unknown container: does not exist" "does not exist" "nosuch-$$"
done
rtc delete --force "nosuch-$$"
check_rc "delete --force of an unknown container succeeds (as runc: nothing to do)" 0
leftovers_check "unknown ids"

# --- annotations reach `state` (and `list --format json`) ---
id=$(cid annot)
B=$(RUNT_EXTRA_TOP='"annotations": {"org.test.annot": "v\"1"}' bundle annot /bin/probe exit 0)
rt_create "$id" "$B"
rtc state "$id"
check_match "state shows the bundle's annotations, escaped" '"org.test.annot": *"v\\"1"' "$OUT"
rtc list --format json
check_match "list --format json shows them too" '"org.test.annot": *"v\\"1"' "$OUT"
rtc delete "$id"
leftovers_check "annotations"

done_testing
