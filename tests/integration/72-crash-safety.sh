#!/bin/sh
# 72-crash-safety.sh - the state dir as runc keeps it (ids that fit a directory name, files
# only root reads) and runt SIGKILLed at any instant of create: `delete --force` still finds
# and removes everything it made (state dir, cgroup, processes).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# xs N PREFIX: PREFIX padded with x to N bytes.
xs() {
	printf "%s%$(($1 - ${#2}))s" "$2" "" | tr ' ' x
}

# --- ids: each names a directory, so NAME_MAX (255) bytes at most ---
B=$(bundle ids /bin/probe wait-signal)
id=$(xs 255 "i$$-")
rtc create --bundle "$B" "$id"
check_rc "create with a 255-byte id exits 0" 0
check "its state dir exists" test -d "$RUNT_ROOT/$id"
rtc delete --force "$id"
check_rc "delete --force of it exits 0" 0
rtc create --bundle "$B" "$(xs 256 "j$$-")"
check_err "a 256-byte id is refused" "invalid container id: longer than 255 bytes"
check_match "... with the whole message, on one line" '^runt: create j.*: invalid container id: longer than 255 bytes$' "$ERR"
rtc create --bundle "$B" "$(xs 2000 "k$$/")"
check_err "a 2000-byte bad id: the same whole message" "invalid container id: longer than 255 bytes"
leftovers_check "ids"

# --- modes: state.json and the config copy are root's alone, as runc's ---
id=$(cid modes)
B=$(RUNT_EXTRA_TOP='"hooks": {"poststop": [{"path": "/bin/true"}]}' bundle modes /bin/probe wait-signal)
rt_create "$id" "$B"
check_rc "create exits 0" 0
check_eq "the state dir is 0711" 711 "$(stat -c %a "$RUNT_ROOT/$id")"
check_eq "state.json is 0600" 600 "$(stat -c %a "$RUNT_ROOT/$id/state.json")"
check_eq "the saved config.json is 0600" 600 "$(stat -c %a "$RUNT_ROOT/$id/config.json")"
rtc delete --force "$id"
check_rc "delete --force exits 0" 0
leftovers_check "modes"

# --- runt SIGKILLed before each syscall of create ---
if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
	CG=/sys/fs/cgroup/runt
else
	CG=/sys/fs/cgroup/unified/runt
fi

# points FILE: "syscall:N" for each syscall in an strace log, N counting that syscall's
# calls so far (strace's when=N counts per syscall).
points() {
	awk -F'(' '/^[a-z_0-9]+\(/ { n[$1]++; print $1 ":" n[$1] }' "$1"
}

# kill_each NAME BUNDLE: trace one create, then for each syscall in it a create SIGKILLed
# right before that syscall, and `delete --force`: nothing of the container may remain.
kill_each() {
	_id=$(cid "$1-trace")
	strace -qq -o "$WORK/$1.trace" "$RUNT" --root "$RUNT_ROOT" create --bundle "$2" "$_id" \
		</dev/null >/dev/null 2>&1
	check_rc_is "$1: create under strace exits 0" 0 $?
	rt delete --force "$_id" </dev/null >/dev/null 2>&1
	_n=0 _killed=0 _bad=
	for _p in $(points "$WORK/$1.trace"); do
		_n=$((_n + 1))
		_id=$(cid "$1-$_n")
		strace -qq -o /dev/null -e trace="${_p%:*}" \
			-e inject="${_p%:*}:signal=KILL:when=${_p#*:}" \
			"$RUNT" --root "$RUNT_ROOT" create --bundle "$2" "$_id" </dev/null >/dev/null 2>&1
		[ $? = 137 ] && _killed=$((_killed + 1))
		rt delete --force "$_id" </dev/null >"$WORK/del.out" 2>&1 ||
			_bad="$_bad $_p:delete($(cat "$WORK/del.out"))"
		[ -e "$RUNT_ROOT/$_id" ] && _bad="$_bad $_p:state-dir"
		[ -e "$CG/$_id" ] && _bad="$_bad $_p:cgroup"
		[ -n "$(tagged_pids)" ] && _bad="$_bad $_p:process" && scrub
	done
	diag "$1: $_n kill points, $_killed kills"
	check_eq "$1: runt SIGKILLed before each syscall of create, then delete --force: nothing left" \
		"" "$_bad"
	check "$1: the kills happened (more than 20)" test "$_killed" -gt 20
}

check_rc_is() {
	check_eq "$1" "$2" "$3"
}

if ! command -v strace >/dev/null 2>&1; then
	skip "kill points" "no strace"
else
	B=$(bundle kill /bin/probe wait-signal)
	kill_each kill "$B"
	# a user namespace that joins a path: the init is a grandchild, its pid final late
	B=$(RUNT_USERNS=1 RUNT_NAMESPACES="pid network=/proc/$$/ns/net ipc uts mount" \
		bundle killgc /bin/probe wait-signal)
	kill_each killgc "$B"
	leftovers_check "kill points"
fi

done_testing
