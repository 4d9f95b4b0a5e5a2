# lib.sh - shared helpers for tests/integration/*.sh: TAP output, calling runt with a private
# --root, bundles, polling, and the check that a test left nothing behind (state, mounts,
# processes). POSIX sh: it also runs under busybox sh in board guests.
#
# A test starts with:   TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
# Environment: RUNT (binary under test, default $TOP/runt), PROBE, RT_TIMEOUT (seconds per call).

TESTS=${TESTS:-$(cd "$(dirname "$0")/.." && pwd)}
TOP=${TOP:-$(dirname "$TESTS")}
RUNT=${RUNT:-$TOP/runt}
case $RUNT in /*) ;; *) RUNT=$(pwd)/$RUNT ;; esac
PROBE=${PROBE:-$TOP/build/tests/probe}
RT_TIMEOUT=${RT_TIMEOUT:-20}
export TOP PROBE

T_NUM=0 T_PASS=0 T_FAIL=0 T_SKIP=0 T_DONE=0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/runt-it.XXXXXX") || exit 1
# Containers with a user namespace run as an unprivileged host uid: let it reach the rootfs.
chmod 755 "$WORK"
RUNT_ROOT=$WORK/state
mkdir "$RUNT_ROOT"
TAG=$WORK # container processes carry RUNT_TEST_TAG=$TAG in their environment

# ---- TAP ---------------------------------------------------------------------------------

diag() {
	printf '%s\n' "$*" | sed 's/^/# /'
}

ok() {
	T_NUM=$((T_NUM + 1))
	T_PASS=$((T_PASS + 1))
	echo "ok $T_NUM - $*"
}

not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_NUM - $*"
}

skip() {
	T_NUM=$((T_NUM + 1))
	T_SKIP=$((T_SKIP + 1))
	echo "ok $T_NUM - $1 # SKIP $2"
}

# skip_all REASON: the whole file does not apply here.
skip_all() {
	skip "$(basename "$0")" "$1"
	exit 0
}

# check DESC CMD...: passes when CMD exits 0; its output is shown otherwise.
check() {
	_desc=$1
	shift
	if [ $# -eq 0 ]; then
		not_ok "$_desc"
		diag "check: no command given"
	elif _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		not_ok "$_desc"
		diag "command: $*" "$_out"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected: '$2'" "     got: '$3'"
	fi
}

check_ne() {
	if [ "$2" != "$3" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected anything but: '$2'"
	fi
}

# check_match DESC ERE TEXT: some line of TEXT matches the extended regex.
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		ok "$1"
	else
		not_ok "$1"
		diag "pattern: $2" "text:" "$3"
	fi
}

check_nomatch() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then
		not_ok "$1"
		diag "unexpected pattern: $2" "text:" "$3"
	else
		ok "$1"
	fi
}

# check_err DESC WORD...: the last rtc/rt_create call failed and its output contains every
# WORD (fixed strings).
check_err() {
	_desc=$1
	shift
	_missing=
	for _w in "$@"; do
		printf '%s\n%s\n' "$OUT" "$ERR" | grep -qF -- "$_w" || _missing="$_missing '$_w'"
	done
	if [ "$RC" -ne 0 ] && [ -z "$_missing" ]; then
		ok "$_desc"
	else
		not_ok "$_desc"
		diag "exit status $RC; missing:$_missing" "stdout: $OUT" "stderr: $ERR"
	fi
}

# check_rc DESC EXPECTED: exit status of the last rtc/rt_create call.
check_rc() {
	if [ "$RC" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected exit status $2, got $RC" "stdout: $OUT" "stderr: $ERR"
	fi
}

# ---- calling runt ------------------------------------------------------------------------

# rt ARGS...: runt with the test's private state dir and a time limit.
rt() {
	timeout "$RT_TIMEOUT" "$RUNT" --root "$RUNT_ROOT" "$@"
}

# rtc ARGS...: rt with stdin from /dev/null and output in files (never a pipe a container
# could keep open); sets RC, OUT and ERR.
rtc() {
	rt "$@" </dev/null >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}

# rt_create ID BUNDLE [FLAGS...]: create; the container's stdio go to $WORK/ID.out and .err
# (read them with cout/cerr); sets RC, OUT, ERR.
rt_create() {
	_id=$1 _b=$2
	shift 2
	rt create --bundle "$_b" "$@" "$_id" </dev/null >"$WORK/$_id.out" 2>"$WORK/$_id.err"
	RC=$?
	OUT=$(cat "$WORK/$_id.out")
	ERR=$(cat "$WORK/$_id.err")
}

cout() {
	cat "$WORK/$1.out" 2>/dev/null
}

cerr() {
	cat "$WORK/$1.err" 2>/dev/null
}

# cid NAME: a container id unique to this test run.
cid() {
	echo "$1-$$"
}

# bundle NAME [ARG...]: makes $WORK/NAME with tests/mkbundle.sh (knobs from the environment,
# e.g. `B=$(RUNT_USERNS=1 bundle u probe id)`) and prints its path.
bundle() {
	_name=$1
	shift
	RUNT_TEST_TAG=$TAG sh "$TESTS/mkbundle.sh" "$WORK/$_name" "$@" >&2 || return 1
	echo "$WORK/$_name"
}

# run_probe NAME [PROBE-ARGS...]: runs /bin/probe ARGS in a fresh bundle (knobs from the
# environment); sets RC, OUT, ERR.
run_probe() {
	_n=$1
	shift
	_b=$(bundle "$_n" /bin/probe "$@") || {
		RC=99 OUT= ERR="mkbundle failed"
		return
	}
	rtc run --bundle "$_b" "$(cid "$_n")"
}

# kernel_has SYSCALL VERSION: false when the running kernel is older than VERSION (major.minor)
# or tests/old-kernel.sh makes SYSCALL fail with ENOSYS; tests then assert the error that
# names the missing feature instead of the feature.
kernel_has() {
	case ",${RUNT_OLD_KERNEL:-}," in *",$1,"*) return 1 ;; esac
	_kv=$(uname -r)
	_kmaj=${_kv%%.*} _kmin=${_kv#*.}
	_kmin=${_kmin%%[!0-9]*}
	[ "$_kmaj" -gt "${2%%.*}" ] || { [ "$_kmaj" -eq "${2%%.*}" ] && [ "$_kmin" -ge "${2#*.}" ]; }
}

# ---- reading results ---------------------------------------------------------------------

# json_get KEY JSON: value of the last "KEY": "string" or "KEY": number|true|false|null.
json_get() {
	printf '%s' "$2" | tr -d '\n' |
		sed -nE 's/.*"'"$1"'"[[:space:]]*:[[:space:]]*("([^"]*)"|([^],}[:space:]]*)).*/\2\3/p'
}

# kv KEY TEXT: the value of the first KEY=value line of probe output.
kv() {
	printf '%s\n' "$2" | sed -n "s|^$1=||p" | head -n 1
}

# status ID: the status word from `runt state`, or nothing when state fails.
status() {
	_st=$(rt state "$1" </dev/null 2>/dev/null) && json_get status "$_st"
}

# pid_alive PID: running and not a zombie.
pid_alive() {
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	_s=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_s" ] && [ "$_s" != Z ]
}

# wait_for SECONDS CMD...: polls CMD every 0.1 s until it succeeds.
wait_for() {
	_tries=$(($1 * 10))
	shift
	while [ "$_tries" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_tries=$((_tries - 1))
	done
	"$@" >/dev/null 2>&1
}

status_is() {
	[ "$(status "$1")" = "$2" ]
}

# wait_status ID STATUS [SECONDS]
wait_status() {
	wait_for "${3:-10}" status_is "$1" "$2"
}

file_has() {
	grep -q -- "$1" "$2" 2>/dev/null
}

# lines_are N ERE FILE: exactly N lines of FILE match.
lines_are() {
	[ "$(grep -Ec -- "$2" "$3" 2>/dev/null)" = "$1" ]
}

pid_dead() {
	! pid_alive "$1"
}

host_ns() {
	readlink "/proc/self/ns/$1"
}

# ---- leftovers ---------------------------------------------------------------------------

# Prints pids of processes this test started through runt: container processes carry the
# tag in their environment (namespaces and pivot_root hide everything else), runt processes
# carry our --root on their command line, and anything else has its cwd or root in $WORK.
tagged_pids() {
	# One grep or ls over all of /proc per kind, not a few commands per process: under
	# TCG in a board guest with containerd and podman running, a fork per process made
	# each leftover check take seconds. -z: environ and cmdline
	# are NUL-separated and busybox grep stops at a NUL.
	{
		for _f in $(grep -lzF "RUNT_TEST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null); do
			_p=${_f#/proc/}
			_p=${_p%/environ}
			[ "$_p" != $$ ] && pid_alive "$_p" && echo "$_p"
		done
		for _f in $(grep -lzF -- "$RUNT_ROOT" /proc/[0-9]*/cmdline 2>/dev/null); do
			_p=${_f#/proc/}
			_p=${_p%/cmdline}
			[ "$_p" != $$ ] || continue
			# (busybox timeout's watcher shares runt's command line and exits within a second)
			case $(tr '\0' ' ' 2>/dev/null <"$_f") in
			"timeout "*) ;;
			*"--root $RUNT_ROOT "*) echo "$_p" ;;
			esac
		done
		ls -l /proc/[0-9]*/cwd /proc/[0-9]*/root 2>/dev/null |
			awk -v w="$WORK" -v self=$$ '$(NF - 1) == "->" && ($NF == w || index($NF, w "/") == 1) {
				split($(NF - 2), a, "/"); if (a[3] != self) print a[3] }'
	} | sort -un
}

# Mount points under $WORK in the host mount table, deepest first.
work_mounts() {
	while read -r _a _b _c _d _mp _rest; do
		case $_mp in
		"$WORK" | "$WORK"/*) echo "$_mp" ;;
		esac
	done </proc/self/mountinfo | sort -r
}

state_dirs() {
	for _s in "$RUNT_ROOT"/*; do
		[ -d "$_s" ] && echo "${_s##*/}"
	done
}

# leftovers_check [DESC]: one TAP line asserting no state dir, no mount and no process is
# left; whatever is found is reported, then removed so later tests start clean.
leftovers_check() {
	_what=${1:-nothing left behind}
	_procs=$(tagged_pids)
	_mnts=$(work_mounts)
	_states=$(state_dirs)
	if [ -z "$_procs$_mnts$_states" ]; then
		ok "$_what: no state, mount or process left"
		return 0
	fi
	not_ok "$_what: no state, mount or process left"
	[ -z "$_states" ] || diag "state dirs in $RUNT_ROOT: $_states"
	[ -z "$_mnts" ] || diag "mounts:" "$_mnts"
	for _p in $_procs; do
		diag "process $_p: $(tr '\0' ' ' 2>/dev/null <"/proc/$_p/cmdline")"
	done
	scrub
	return 1
}

# Removes everything runt may have left: force-deletes containers, kills our processes,
# unmounts under $WORK and drops state dirs.
scrub() {
	for _s in $(state_dirs); do
		rt delete --force "$_s" </dev/null >/dev/null 2>&1
	done
	for _p in $(tagged_pids); do
		kill -KILL "$_p" 2>/dev/null
	done
	for _m in $(work_mounts); do
		umount -l "$_m" 2>/dev/null
	done
	for _s in $(state_dirs); do
		rm -rf "${RUNT_ROOT:?}/$_s"
	done
}

# ---- start and end -----------------------------------------------------------------------

done_testing() {
	T_DONE=1
	echo "1..$T_NUM"
	[ "$T_FAIL" -eq 0 ]
}

t_cleanup() {
	_rc=$?
	trap - EXIT
	scrub
	# Never rm -rf across a mount: it would delete the mounted source's files.
	if [ -n "$(work_mounts)" ]; then
		diag "mounts remain under $WORK; not removing it"
	elif [ -z "${KEEP_WORK:-}" ]; then
		rm -rf "$WORK"
	fi
	if [ "$T_DONE" = 0 ]; then
		[ "$_rc" -eq 0 ] || not_ok "$(basename "$0") ended early (status $_rc)"
		echo "1..$T_NUM"
	fi
	[ "$T_FAIL" -eq 0 ] || exit 1
	exit "$_rc"
}

trap t_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# require_runt: root, a runt binary and the probe; otherwise the file is skipped or fails.
# require_systemd_driver: the host-side systemd driver tests (86, 87) apply to a runt built
# with the driver on a host that does not run systemd (the systemd board covers that case).
require_systemd_driver() {
	"$RUNT" features | grep -q '"systemd":true' ||
		skip_all "$RUNT has no systemd cgroup driver (built with SYSTEMD_CGROUP=0)"
	[ -d /run/systemd/system ] && skip_all "this host runs systemd: tests/systemd covers it"
	return 0
}

require_runt() {
	[ "$(id -u)" = 0 ] || skip_all "needs root"
	if ! [ -x "$RUNT" ]; then
		not_ok "runt binary $RUNT exists"
		exit 1
	fi
	if ! [ -x "$PROBE" ]; then
		not_ok "probe binary $PROBE exists (make build/tests/probe)"
		exit 1
	fi
}
