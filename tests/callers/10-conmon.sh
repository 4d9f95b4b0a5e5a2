#!/bin/sh
# 10-conmon.sh - conmon driven the way CRI-O drives it: conmon runs `runt create`, the pid
# arrives on the sync pipe (_OCI_SYNCPIPE), CRI-O runs `runt start`, conmon writes the
# container's output to its log and the exit status to --exit-dir; `runt state` agrees.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/callers/lib.sh"
callers_require conmon

diag "$(conmon --version 2>&1 | head -n 1)"
mkdir -p "$WORK/exits" "$WORK/socks"

# conmon_create ID BUNDLE: conmon as CRI-O starts it (api v1, a sync pipe on fd 3; conmon
# daemonizes, so the pipe's reader sees EOF only when conmon is done with it).
conmon_create() {
	{
		_OCI_SYNCPIPE=3 conmon --api-version 1 -c "$1" -u "$1" -n "k8s_$1" -r "$RUNT" \
			-b "$2" -p "$WORK/$1.pid" -P "$WORK/$1.conmon.pid" -l "$WORK/$1.log" \
			--exit-dir "$WORK/exits" --socket-dir-path "$WORK/socks" --log-level info \
			--runtime-arg "--root=$RUNT_ROOT" --runtime-arg --log-format=json \
			--runtime-arg "--log=$WORK/$1.oci.json" \
			3>&1 >"$WORK/$1.conmon.out" 2>&1 </dev/null
	} | cat >"$WORK/$1.sync" &
	wait_for 30 grep -q '"data"' "$WORK/$1.sync"
	SYNC=$(tr -d '\n' <"$WORK/$1.sync")
}

# sync_data: the first "data" number of the sync pipe (the pid, or negative on failure).
sync_data() {
	printf '%s' "$SYNC" | sed -n 's/^[^}]*"data"[[:space:]]*:[[:space:]]*\(-*[0-9]*\).*/\1/p'
}

# --- a container runs, the pid arrives, the exit file is written ---
id=$(cid crio)
B=$(bundle crio sh -c 'echo out-$((6*7)); echo err-1 >&2; exec sleep 1000')
conmon_create "$id" "$B"
pid=$(sync_data)
check_match "the container's pid arrives on the sync pipe" '^[1-9][0-9]*$' "$pid"
check_eq "conmon's --container-pidfile holds the same pid" "$pid" "$(cat "$WORK/$id.pid" 2>/dev/null)"
check_eq "runt state: created" created "$(status "$id")"
check_eq "runt state: pid is the sync pipe's" "$pid" "$(json_get pid "$(rt state "$id")")"
rtc start "$id"
check_rc "runt start (as CRI-O calls it) exits 0" 0
check_eq "runt state: running" running "$(status "$id")"
wait_for 10 file_has err-1 "$WORK/$id.log"
rtc kill "$id" KILL
wait_for 30 test -s "$WORK/exits/$id"
check_eq "the exit file holds the container's status (137: killed by KILL)" 137 \
	"$(cat "$WORK/exits/$id" 2>/dev/null)"
L=$(cat "$WORK/$id.log" 2>/dev/null)
check_match "conmon logged the container's stdout (CRI log format)" ' stdout F out-42$' "$L"
check_match "conmon logged the container's stderr" ' stderr F err-1$' "$L"
check_eq "runt state: stopped once conmon saw the exit" stopped "$(status "$id")"
rtc delete "$id"
check_rc "runt delete after the exit" 0
wait_for 10 pid_dead "$(cat "$WORK/$id.conmon.pid" 2>/dev/null)"
check "conmon is gone after the container" pid_dead "$(cat "$WORK/$id.conmon.pid" 2>/dev/null)"

# --- an exit status of its own ---
id=$(cid crio-exit)
B=$(bundle crio-exit sh -c 'exit 7')
conmon_create "$id" "$B"
rtc start "$id"
wait_for 30 test -s "$WORK/exits/$id"
check_eq "the exit file holds exit 7" 7 "$(cat "$WORK/exits/$id" 2>/dev/null)"
rtc delete "$id"

# --- a failing create: the sync pipe carries runt's message ---
id=$(cid crio-fail)
B=$(bundle crio-fail /nonexistent)
conmon_create "$id" "$B"
check_match "a failed create sends a negative pid on the sync pipe" '^-[0-9]+$' "$(sync_data)"
check_match "the sync pipe's message is runt's error" 'exec \\*"/nonexistent\\*": No such file' "$SYNC"
check_match "runt's JSON log holds the error line conmon and podman read" \
	'^\{"level":"error","msg":"create [^"]*: exec \\"/nonexistent\\": No such file or directory","time":"[0-9T:.-]+Z"\}$' \
	"$(cat "$WORK/$id.oci.json" 2>/dev/null)"
check_eq "nothing of the failed container remains in runt" "" "$(state_dirs)"

leftovers_check "conmon"
callers_done
