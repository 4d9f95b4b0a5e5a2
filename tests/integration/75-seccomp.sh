#!/bin/sh
# 75-seccomp.sh - linux.seccomp enforced by runt's own BPF compiler: ERRNO rules, argument
# filters, KILL_PROCESS (SIGSYS), a profile loaded without noNewPrivileges, the podman
# default profile (when build/podman-seccomp.json was generated on the host), NOTIFY's
# listener hand-off, another ABI's calls (i386, 32-bit ARM) killed, and malformed profiles
# refused with their JSON path, leaving nothing.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt
PROBE_BIN=${PROBE:-$TESTS/../build/tests/probe}

# run_sc NAME PROFILE [PROBE-ARGS...]: runs /bin/probe with linux.seccomp = PROFILE.
run_sc() {
	_n=$1 _p=$2
	shift 2
	_b=$(RUNT_EXTRA_LINUX="\"seccomp\": $_p" bundle "$_n" "$@") || {
		RC=99 OUT= ERR="mkbundle failed"
		return
	}
	rtc run --bundle "$_b" "$(cid "$_n")"
}

# --- ERRNO, with errnoRet and runc's default EPERM ---
P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
	{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
	{"names": ["add_key"], "action": "SCMP_ACT_ERRNO"}]}'
run_sc errno "$P" /bin/probe syscall mkdirat 0 0 syscall add_key 0 0 syscall getpid 0 0
check_rc "run with an ERRNO profile exits 0" 0
check_eq "mkdirat gets errnoRet 38 (ENOSYS)" "error ENOSYS" "$(kv syscall.mkdirat "$OUT")"
check_eq "ERRNO without errnoRet is EPERM" "error EPERM" "$(kv syscall.add_key "$OUT")"
check_match "other syscalls pass" '^syscall\.getpid=[0-9]' "$OUT"
run_sc errno-sh "$P" /bin/sh -c 'mkdir /tmp/d; echo "mkdir=$?"; test -d /tmp/d || echo nodir'
check_match "busybox mkdir fails under the profile" '^mkdir=1$' "$OUT"
check_match "and no directory appears" '^nodir$' "$OUT"

# --- argument filters: only matching arguments hit ---
P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
	{"names": ["personality"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
	 "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"}]},
	{"names": ["getppid"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
	 "args": [{"index": 0, "value": 4294967296, "op": "SCMP_CMP_GE"}]}]}'
run_sc args "$P" /bin/probe syscall personality 0xffffffff 0 syscall getppid 0x100000000 0
check_eq "personality(0xffffffff) hits the rule" "error EPERM" "$(kv syscall.personality "$OUT")"
# On a 32-bit arch arguments are 32-bit registers and only the low half of a value is
# compared (libseccomp's rule): GE 2^32 is GE 0 there, true for every argument.
case $(uname -m) in
arm* | i?86) BITS=32 ;;
*) BITS=64 ;;
esac
check_eq "a GE 2^32 on arg0 hits 2^32 ($BITS-bit arguments)" "error EPERM" "$(kv syscall.getppid "$OUT")"
run_sc args2 "$P" /bin/probe syscall personality 0 0 syscall getppid 0xffffffff 0
# (it returns the previous personality: 0, or PER_LINUX|ADDR_LIMIT_32BIT on 32-bit ARM)
check_match "personality(0) passes" '^syscall\.personality=[0-9]' "$OUT"
if [ "$BITS" = 64 ]; then
	check_match "0xffffffff is below 2^32: passes" '^syscall\.getppid=[0-9]' "$OUT"
else
	check_eq "32 bits: GE 2^32 is GE 0, 0xffffffff hits too" "error EPERM" "$(kv syscall.getppid "$OUT")"
fi

# --- calls named as the kernel names them, whatever the libc calls them: on 32-bit ARM
# musl says clock_getres_time32 and keeps cacheflush (0xf0002) out of its SYS_ names; runt
# once skipped both rules, and a skipped deny rule lets the call through ---
P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
	{"names": ["clock_getres", "cacheflush"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5}]}'
case $(uname -m) in arm*) CF="syscall cacheflush 0 0" ;; *) CF= ;; esac
# shellcheck disable=SC2086 # CF is a word list
run_sc names "$P" /bin/probe syscall clock_getres 0 0 $CF syscall getpid 0 0
check_eq "a deny rule on clock_getres holds" "error EIO" "$(kv syscall.clock_getres "$OUT")"
if [ -n "$CF" ]; then
	check_eq "a deny rule on ARM's private cacheflush holds" "error EIO" "$(kv syscall.cacheflush "$OUT")"
fi
check_match "the others pass" '^syscall\.getpid=[0-9]' "$OUT"

# --- KILL_PROCESS ends the container with SIGSYS ---
P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
	{"names": ["getppid"], "action": "SCMP_ACT_KILL_PROCESS"}]}'
run_sc kill "$P" /bin/probe syscall getppid 0 0
check_rc "SCMP_ACT_KILL_PROCESS: run exits 128+SIGSYS" 159

# --- without noNewPrivileges the filter goes in before the caps are dropped ---
P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
	{"names": ["mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 5}]}'
RUNT_NNP=false RUNT_USER='{"uid": 1000, "gid": 1000}' run_sc nonnp "$P" /bin/probe nnp syscall mkdirat 0 0
check_rc "noNewPrivileges false, uid 1000: run exits 0" 0
check_eq "no_new_privs stays off" 0 "$(kv nnp "$OUT")"
check_eq "the filter is in force" "error EIO" "$(kv syscall.mkdirat "$OUT")"
leftovers_check "seccomp runs"

# --- the podman default profile, converted for this arch (on arm: set_tls, cacheflush and
# the time calls by their kernel names, which runt once could not resolve: every program
# died at its first call, set_tls, under the ERRNO default) ---
case $(uname -m) in
aarch64) PODMAN="$TESTS/../build/aarch64/podman-seccomp.json" ;;
arm*) PODMAN="$TESTS/../build/armv7/podman-seccomp.json" ;;
*) PODMAN="$TESTS/../build/podman-seccomp.json" ;;
esac
if [ -r "$PODMAN" ]; then
	P=$(cat "$PODMAN")
	run_sc podman "$P" /bin/sh -c 'echo hello; ls / >/dev/null && echo ls=ok;
		hostname blocked 2>/dev/null; echo hostname=$?;
		/bin/probe syscall sethostname 0 0 syscall acct 0 0 syscall add_key 0 0 syscall getpid 0 0'
	check_rc "podman default profile: a busybox shell runs" 0
	check_match "the shell prints" '^hello$' "$OUT"
	check_match "ls works" '^ls=ok$' "$OUT"
	check_match "hostname(1) fails" '^hostname=1$' "$OUT"
	check_eq "sethostname: EPERM (errnoRet 1 rule)" "error EPERM" "$(kv syscall.sethostname "$OUT")"
	check_eq "acct: EPERM" "error EPERM" "$(kv syscall.acct "$OUT")"
	check_eq "add_key, not in the profile: ENOSYS (defaultErrnoRet 38)" "error ENOSYS" \
		"$(kv syscall.add_key "$OUT")"
	check_match "getpid passes" '^syscall\.getpid=[0-9]' "$OUT"
else
	skip "podman default profile" "${PODMAN#"$TESTS/../"} not generated here"
fi

# --- NOTIFY: the listener goes to listenerPath through runt ---
P="{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/no-agent.sock\",
	\"syscalls\": [{\"names\": [\"add_key\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
run_sc notify "$P" /bin/probe syscall getpid 0 0
check_err "NOTIFY: an absent listener fails create" "connect to listenerPath $WORK/no-agent.sock"
leftovers_check "seccomp notify without an agent"

# --- NOTIFY with an agent: it gets the state and the fd, and answers the call ---
"$PROBE_BIN" seccomp-agent "$WORK/agent.sock" "$WORK/agent.state" >"$WORK/agent.out" 2>&1 &
AGENT=$!
wait_for 10 test -S "$WORK/agent.sock"
P="{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"$WORK/agent.sock\",
	\"listenerMetadata\": \"meta-1\",
	\"syscalls\": [{\"names\": [\"add_key\"], \"action\": \"SCMP_ACT_NOTIFY\"}]}"
run_sc notify-agent "$P" /bin/probe syscall add_key 0 0 syscall getpid 0 0
check_rc "NOTIFY with an agent: run exits 0" 0
check_eq "the agent's answer reaches the process" "error ENOTTY" "$(kv syscall.add_key "$OUT")"
check_match "other calls pass" '^syscall\.getpid=[0-9]' "$OUT"
check_match "the agent got the container state with seccompFd and metadata" \
	'"fds":\["seccompFd"\],"pid":[0-9]*,"metadata":"meta-1","state":{.*"id":"notify-agent-' \
	"$(cat "$WORK/agent.state" 2>/dev/null)"
kill "$AGENT" 2>/dev/null
wait "$AGENT" 2>/dev/null
leftovers_check "seccomp notify with an agent"

# --- another ABI must not sidestep the rules (issue 12): i386 calls of an x86_64 process,
# a 32-bit ARM process on aarch64 (the armv7 probe, when make cross built it). Their audit
# arch is not the native one: under an ALLOW default they are killed, not let through. ---
case $(uname -m) in
x86_64) P32=$PROBE_BIN A32="mkdir32 /d32" K32=mkdir32 ;;
aarch64) P32=$TESTS/../build/armv7/tests/probe A32="syscall mkdirat 0 0" K32=syscall.mkdirat ;;
*) P32= ;;
esac
R32=
# The 32-bit probe gets a rootfs cache of its own.
if [ -n "$P32" ] && [ -x "$P32" ]; then
	export RUNT_ROOTFS_CACHE="$WORK/rootfs32" PROBE="$P32"
	# shellcheck disable=SC2086 # A32 is a word list
	run_sc abi32-free '{"defaultAction": "SCMP_ACT_ALLOW"}' /bin/probe $A32
	R32=$(kv "$K32" "$OUT")
fi
case "$R32" in
'' | unsupported) skip "another ABI under seccomp" "no 32-bit ABI for $(uname -m) here (${R32:-rc $RC})" ;;
*)
	P='{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
		{"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]}'
	# shellcheck disable=SC2086
	run_sc abi32 "$P" /bin/probe $A32
	check_rc "a 32-bit ABI call under an ALLOW default with rules: killed (128+SIGSYS)" 159
	check_eq "... before the call ran (it got $R32 without the profile)" "" "$(kv "$K32" "$OUT")"
	leftovers_check "another ABI under seccomp"
	;;
esac
unset RUNT_ROOTFS_CACHE
PROBE=$PROBE_BIN

# --- malformed profiles: the JSON path, nothing left behind ---
run_sc bad-action '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_NOPE"}]}' /bin/true
check_err "unknown action" 'config.json: .linux.seccomp.syscalls[0].action: unknown action "SCMP_ACT_NOPE"'
run_sc bad-op '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_BIG"}]}]}' /bin/true
check_err "bad op" 'config.json: .linux.seccomp.syscalls[0].args[0].op: unknown operator "SCMP_CMP_BIG"'
run_sc bad-index '{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 6, "value": 1, "op": "SCMP_CMP_EQ"}]}]}' /bin/true
check_err "arg index > 5" 'config.json: .linux.seccomp.syscalls[0].args[0].index: 6 is out of range [0, 5]'
leftovers_check "malformed profiles"

done_testing
