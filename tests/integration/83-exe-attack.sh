#!/bin/sh
# 83-exe-attack.sh - CVE-2019-5736 with CAP_SYS_PTRACE (issue 17): a container process that
# may ptrace watches /proc for a runt joining it (`exec`, or the init of a created container),
# holds its /proc/<pid>/exe with O_PATH, and once runt is gone reopens it for writing. The
# runt it sees must not be the host's binary, and must hold no fd of a host directory.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# A copy runs the test, so an attack that works damages nothing but the copy.
cp "$RUNT" "$WORK/runt"
ORIG=$RUNT
RUNT=$WORK/runt
export RUNT_CAPS="CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE CAP_SYS_PTRACE"

# attack_checks WHAT OUTPUT: what the probe's exe-attack saw of the runt process.
attack_checks() {
	check_match "$1: the probe caught a runt process in the container" '^attack\.exe=' "$2"
	check_nomatch "$1: it holds no host directory fd" '^attack\.dirfd=' "$2"
	check_nomatch "$1: no host directory listed through its fds" '^attack\.updir=' "$2"
	check_nomatch "$1: its root and cwd are the container's" '^attack\.(root|cwd)=' "$2"
	check_nomatch "$1: its exe cannot be written" '^attack\.write=ok' "$2"
	check "$1: the runt binary is unchanged" cmp "$ORIG" "$RUNT"
	cp "$ORIG" "$RUNT" # the next steps need a working runt
}

# --- exec: the process joining the container ---
id=$(cid exeattack)
B=$(bundle exeattack /bin/probe exe-attack 60)
rt_create "$id" "$B"
rtc start "$id"
i=0
while [ $i -lt 600 ] && ! file_has '^attack\.' "$WORK/$id.out"; do
	rt exec "$id" /bin/probe exit 0 </dev/null >/dev/null 2>&1
	i=$((i + 1))
done
wait_for 60 file_has '^attack\.done=1' "$WORK/$id.out"
diag "after $i exec: $(cout "$id")"
attack_checks exec "$(cout "$id")"
rtc delete --force "$id"

# --- create: the init of a created container, seen by a process exec'd into it ---
id=$(cid exeinit)
B=$(bundle exeinit /bin/probe sleep 60)
rt_create "$id" "$B"
rt exec -d "$id" /bin/probe exe-attack 20 </dev/null >"$WORK/init.out" 2>&1
wait_for 10 file_has '^attack\.exe=' "$WORK/init.out"
rtc start "$id"
wait_for 20 file_has '^attack\.done=1' "$WORK/init.out"
diag "$(cat "$WORK/init.out")"
attack_checks "created init" "$(cat "$WORK/init.out")"
rtc delete --force "$id"

# run joining that pid namespace by path: its init is runt there until it execs, so it
# runs from the sealed copy too (seal_for in runtime.c), and shows itself there only after
# pivot_root (late_init in exec.c)
id=$(cid exejoin)
B=$(bundle exejoin /bin/probe exe-attack 60)
rt_create "$id" "$B"
rtc start "$id"
rtc state "$id"
apid=$(json_get pid "$OUT")
BB=$(RUNT_NAMESPACES="ipc uts mount pid=/proc/$apid/ns/pid" bundle exejoin-b /bin/probe exit 0)
i=0
while [ $i -lt 600 ] && ! file_has '^attack\.' "$WORK/$id.out"; do
	rt run --bundle "$BB" "$(cid exejoin-b)" </dev/null >/dev/null 2>&1
	i=$((i + 1))
done
wait_for 60 file_has '^attack\.done=1' "$WORK/$id.out"
diag "after $i run: $(cout "$id")"
attack_checks "run joining a pid namespace" "$(cout "$id")"
rtc delete --force "$id"

# a plain run is alone in its new pid namespace until its init execs: no copy, and the
# foreground runt is the binary itself (one execve saved per run)
id=$(cid exerun)
B=$(bundle exerun /bin/probe sleep 20)
"$RUNT" --root "$RUNT_ROOT" run --bundle "$B" "$id" </dev/null >/dev/null 2>&1 &
rpid=$!
wait_for 10 status_is "$id" running
check_eq "run without a joined pid namespace runs runt itself" "${RUNT_REAL:-$RUNT}" \
	"$(readlink "/proc/$rpid/exe" 2>/dev/null)"
rtc delete --force "$id"
wait "$rpid" 2>/dev/null

leftovers_check
done_testing
