# lib.sh - helpers for tests/callers/*.sh: the integration helpers (TAP, $WORK, runt) plus
# what driving real callers needs: a busybox rootfs, the board-only guard, and notes
# naming the runt feature a failing check waits for. POSIX sh (busybox sh in guests).
#
# A test starts with:
#   TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/callers/lib.sh"

. "$TESTS/lib.sh"

# Every result carries the seconds since the file began: the board runs under TCG, and
# this is where its time goes.
ok() {
	T_NUM=$((T_NUM + 1))
	T_PASS=$((T_PASS + 1))
	echo "ok $T_NUM - $* [$(($(date +%s) - ${CALLERS_T0:-0}))s]"
}
not_ok() {
	T_NUM=$((T_NUM + 1))
	T_FAIL=$((T_FAIL + 1))
	echo "not ok $T_NUM - $* [$(($(date +%s) - ${CALLERS_T0:-0}))s]"
}

# The callers start daemons that manage cgroups (podman, containerd, conmon): only in a
# board guest, never on a host whose cgroup layout belongs to someone else.
callers_require() {
	CALLERS_T0=$(date +%s)
	[ -n "${RUNT_BOARD:-}" ] || skip_all "runs only in a board guest (make board-check)"
	require_runt
	for _b in "$@"; do
		command -v "$_b" >/dev/null 2>&1 && continue
		not_ok "$_b is installed (tests/callers/deps.sh installs it on the host)"
		exit 1
	done
}

# make_rootfs: a busybox-static rootfs (with the probe) at $ROOTFS.
make_rootfs() {
	ROOTFS=$(bundle rootfs-bundle true)/rootfs || exit 1
}

# waits_for FEATURE TEXT: when TEXT shows that runt refused a feature still being built,
# names it, so a failure reads as "waits for X" rather than as a caller bug.
waits_for() {
	case $2 in
	*"not supported yet"*) diag "waits for runt $1 (runt refused: $(printf '%s\n' "$2" |
		grep -o '[^:]*: [^:]*not supported yet' | head -n 1))" ;;
	esac
}

# check_out DESC FEATURE EXPECTED ACTUAL [LOG]: check_eq, plus the waits_for note on failure.
check_out() {
	if [ "$3" = "$4" ]; then
		ok "$1"
	else
		not_ok "$1"
		diag "expected: '$3'" "     got: '$4'"
		waits_for "$2" "$4 ${5:-}"
	fi
}

# check_has DESC FEATURE ERE TEXT: check_match with the waits_for note.
check_has() {
	if printf '%s\n' "$4" | grep -Eq -- "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diag "pattern: $3" "text:" "$4"
		waits_for "$2" "$4"
	fi
}

# capture CMD...: runs CMD (a command or a function) with stdin from /dev/null; sets RC,
# OUT, ERR. The client functions of the tests carry their own time limit.
capture() {
	"$@" </dev/null >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}

# on_tty CMD-STRING: runs the shell command line under a pty (script), typing $WORK/.in
# when it exists; sets RC and OUT (the terminal's output).
# script's stdin stays open until the command ends: at EOF script types its EOF character,
# which in the guest is a NUL that the client's raw terminal forwards to the container's
# pty, whose echo then shows "^@" before the output.
on_tty() {
	[ -f "$WORK/.in" ] || : >"$WORK/.in"
	rm -f "$WORK/.tty"
	mkfifo "$WORK/.tty" || return 1
	timeout "${CALLER_TIMEOUT:-120}" script -qec "$1" /dev/null <"$WORK/.tty" >"$WORK/.out" 2>&1 &
	_tty_pid=$!
	exec 9>"$WORK/.tty"
	cat "$WORK/.in" >&9
	wait "$_tty_pid"
	RC=$?
	exec 9>&-
	OUT=$(tr -d '\r' <"$WORK/.out")
	rm -f "$WORK/.in" "$WORK/.tty"
}

# start_containerd [PATH]: containerd with $CTD/config.toml (and that PATH), serving on
# $SOCK within CTD_WAIT seconds (default 60); stop_containerd ends it.
start_containerd() {
	PATH=${1:-$PATH} containerd --config "$CTD/config.toml" >>"$CTD/log" 2>&1 &
	CTD_PID=$!
	wait_for "${CTD_WAIT:-60}" ctr --address "$SOCK" version
}

stop_containerd() {
	kill "$CTD_PID" 2>/dev/null
	wait "$CTD_PID" 2>/dev/null
}

# pids_of TEXT: pids whose command line contains TEXT (our daemons carry $WORK in theirs).
pids_of() {
	for _d in /proc/[0-9]*; do
		[ "${_d#/proc/}" = $$ ] && continue
		case $(tr '\0' ' ' 2>/dev/null <"$_d/cmdline") in
		*"$1"*) echo "${_d#/proc/}" ;;
		esac
	done
}

# unmount_work: unmounts whatever the callers left mounted under $WORK (deepest first).
unmount_work() {
	for _m in $(work_mounts); do
		umount -l "$_m" 2>/dev/null
	done
}

# callers_done: the file's TAP plan, with its wall time as a comment.
callers_done() {
	diag "$(basename "$0" .sh): $(($(date +%s) - CALLERS_T0)) s"
	done_testing
}
