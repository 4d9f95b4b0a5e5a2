#!/bin/sh
# 90-compat.sh - behaviours runt shares with runc 1.1 and crun 1.8 (issue 18): HOME from the
# image's passwd, a missing cwd created inside the rootfs, unknown capabilities warned about
# and skipped, sysctls that contradict hostname/domainname refused.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

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

# --- 1. HOME: from the image's /etc/passwd for the process uid, else "/" ---
run_probe home-root env HOME
check_eq "HOME of uid 0 is passwd's /root" /root "$(kv env.HOME "$OUT")"
RUNT_USER='{"uid": 1000, "gid": 1000}' run_probe home-user env HOME
check_eq "HOME of uid 1000 is passwd's /tmp" /tmp "$(kv env.HOME "$OUT")"
RUNT_USER='{"uid": 4242, "gid": 4242}' run_probe home-none env HOME
check_eq "HOME of a uid without a passwd entry is /" / "$(kv env.HOME "$OUT")"
RUNT_ENV='["PATH=/bin", "HOME=/mine"]' run_probe home-set env HOME
check_eq "HOME given in process.env is kept" /mine "$(kv env.HOME "$OUT")"

# A hostile image: passwd leads out of the rootfs, or is a fifo (must not hang runt).
printf 'root:x:0:0:root:/LEAKED:/bin/sh\n' >"$WORK/host-passwd"
B=$(bundle home-abs /bin/probe env HOME)
ln -sf "$WORK/host-passwd" "$B/rootfs/etc/passwd"
rtc run --bundle "$B" "$(cid home-abs)"
check_eq "an absolute passwd symlink does not reach the host" / "$(kv env.HOME "$OUT")"
B=$(bundle home-rel /bin/probe env HOME)
ln -sf "../../../../../../../../../../../../$WORK/host-passwd" "$B/rootfs/etc/passwd"
rtc run --bundle "$B" "$(cid home-rel)"
check_eq "a ../ passwd symlink does not reach the host" / "$(kv env.HOME "$OUT")"
B=$(bundle home-fifo /bin/probe env HOME)
rm "$B/rootfs/etc/passwd" && mkfifo "$B/rootfs/etc/passwd"
rtc run --bundle "$B" "$(cid home-fifo)"
check_eq "a fifo as passwd: HOME is / and runt does not block" "0 /" "$RC $(kv env.HOME "$OUT")"
B=$(bundle home-proc /bin/probe env HOME)
ln -sf /proc/self/root/etc/passwd "$B/rootfs/etc/passwd"
rtc run --bundle "$B" "$(cid home-proc)"
check_eq "passwd through a /proc magic link is not read" / "$(kv env.HOME "$OUT")"

id=$(cid home-exec)
B=$(bundle home-exec /bin/probe sleep 300)
rt_create "$id" "$B"
rtc start "$id"
rtc exec -u 1000:1000 "$id" /bin/probe env HOME
check_eq "exec: HOME of uid 1000 from the container's passwd" /tmp "$(kv env.HOME "$OUT")"
rtc exec --env HOME=/x "$id" /bin/probe env HOME
check_eq "exec: --env HOME is kept" /x "$(kv env.HOME "$OUT")"
cat >"$WORK/proc.json" <<'J'
{"args": ["/bin/probe", "env", "HOME"], "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 0, "gid": 0}}
J
rtc exec --process "$WORK/proc.json" "$id"
check_eq "exec --process without HOME: passwd's /root" /root "$(kv env.HOME "$OUT")"
rtc delete --force "$id"
leftovers_check "HOME"

# --- 2. a missing process.cwd is made inside the rootfs ---
RUNT_CWD=/does/not/exist run_probe cwd-new cwd
check_eq "a missing cwd is created and entered" "0 /does/not/exist" "$RC $(kv cwd "$OUT")"
B=$(RUNT_CWD=/esc/sub bundle cwd-esc /bin/probe cwd)
mkdir "$WORK/outside"
ln -s "$WORK/outside" "$B/rootfs/esc"
rtc run --bundle "$B" "$(cid cwd-esc)"
check_eq "a cwd behind an absolute symlink is entered" "0 $WORK/outside/sub" "$RC $(kv cwd "$OUT")"
check "... and made inside the rootfs" test -d "$B/rootfs$WORK/outside/sub"
check "... never on the host" test ! -e "$WORK/outside/sub"
B=$(RUNT_CWD=/file/sub bundle cwd-file /bin/probe cwd)
: >"$B/rootfs/file"
rtc run --bundle "$B" "$(cid cwd-file)"
check_err "a cwd below a regular file fails clearly" /file/sub "Not a directory"
leftovers_check "cwd"

# --- 3. unknown capabilities: warned about and left out (runc, crun), never granted ---
RUNT_CAPS="CAP_KILL CAP_BOGUS CAP_FUTURE_THING" run_probe caps-unknown caps
check_rc "a config with unknown capabilities runs" 0
check_match "... warning about each" 'unknown capability "CAP_BOGUS"' "$ERR"
check_match "... warning about each" 'unknown capability "CAP_FUTURE_THING"' "$ERR"
check_eq "... with exactly the known one bounded" 0000000000000020 "$(kv cap.bnd "$OUT")"
id=$(cid caps-exec)
B=$(bundle caps-exec /bin/probe sleep 300)
rt_create "$id" "$B"
rtc start "$id"
rtc exec --cap CAP_SYS_ADMIN --cap CAP_NOT_YET "$id" /bin/probe caps
check_rc "exec --cap with an unknown name runs" 0
check_match "... warning about it" 'unknown capability "CAP_NOT_YET"' "$ERR"
check_eq "... with the known one added" 0000000020200420 "$(kv cap.eff "$OUT")"
rtc delete --force "$id"
leftovers_check "capabilities"

# --- 4. sysctls that contradict hostname or domainname ---
B=$(RUNT_EXTRA_LINUX='"sysctl": {"kernel.hostname": "other"}' bundle sc-host /bin/probe id)
rt_create "$(cid sc-host)" "$B"
check_err "kernel.hostname contradicting hostname is refused" .linux.sysctl kernel.hostname \
	contradicts .hostname
leftovers_check "kernel.hostname"
B=$(RUNT_EXTRA_TOP='"domainname": "a.org"' \
	RUNT_EXTRA_LINUX='"sysctl": {"kernel.domainname": "b.org"}' bundle sc-dom /bin/probe id)
rt_create "$(cid sc-dom)" "$B"
check_err "kernel.domainname contradicting domainname is refused" kernel.domainname \
	contradicts '.domainname "a.org"'
leftovers_check "kernel.domainname"
B=$(RUNT_EXTRA_TOP='"domainname": "a.org"' \
	RUNT_EXTRA_LINUX='"sysctl": {"kernel.hostname": "runt", "kernel.domainname": "a.org"}' \
	bundle sc-same /bin/probe id)
rtc run --bundle "$B" "$(cid sc-same)"
check_rc "sysctls equal to hostname and domainname are fine" 0

done_testing
