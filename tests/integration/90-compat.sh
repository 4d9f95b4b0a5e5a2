#!/bin/sh
# 90-compat.sh - behaviours runt shares with runc 1.1 and crun 1.8 (issue 18): HOME from the
# image's passwd, a missing cwd created inside the rootfs, unknown capabilities warned about
# and skipped, sysctls that contradict hostname/domainname refused, the cgroup bind keeps its
# options, bind sources below root-only directories with a user namespace, exec --cgroup's
# forms, unified keys as the kernel names them, a config without a mount namespace.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

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

if grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts; then
	MNT=/sys/fs/cgroup
elif grep -q '^[^ ]* /sys/fs/cgroup/unified cgroup2 ' /proc/mounts; then
	MNT=/sys/fs/cgroup/unified
else
	MNT=
fi

# --- 5. the cgroup bind (no cgroup namespace) keeps ro,nosuid,nodev,noexec ---
if [ -n "$MNT" ]; then
	B=$(RUNT_NAMESPACES="pid network ipc uts mount" RUNT_EXTRA_MOUNTS='{"destination":
	"/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec",
	"nodev", "relatime", "ro"]}' bundle cg-ro /bin/probe mountinfo write /sys/fs/cgroup/cgroup.procs 1)
	rtc run --bundle "$B" "$(cid cg-ro)"
	opts=$(printf '%s\n' "$OUT" | sed -n 's|^mount=/sys/fs/cgroup type=[^ ]* opts=\([^ ]*\).*|\1|p')
	for o in ro nosuid nodev noexec; do
		check_match "the bound cgroup is $o" "(^|,)$o(,|\$)" "$opts"
	done
	check_eq "... and cannot be written" "error EROFS" "$(kv write./sys/fs/cgroup/cgroup.procs "$OUT")"
	leftovers_check "cgroup bind"
else
	skip "cgroup bind options" "no cgroup2 mount"
fi

# --- 6. bind sources below a root-only directory, into a user namespace (0 -> 100000) ---
# runc and crun open the sources with the runtime's privileges; runt too (mnt_source_open),
# plain and through a symlink, and no fd of them is left to the init or its program.
if [ "$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 0)" -gt 0 ]; then
	mkdir -p "$WORK/locked/dir" "$WORK/shut"
	echo in-dir >"$WORK/locked/dir/file"
	echo a-file >"$WORK/locked/file"
	echo shut >"$WORK/shut/file"
	ln -s "$WORK/locked/dir" "$WORK/locked/link"
	chmod 0700 "$WORK/locked"
	chmod 0000 "$WORK/shut"
	mb() { printf '{"destination": "%s", "type": "bind", "source": "%s", "options": [%s]}' "$@"; }
	id=$(cid locked)
	B=$(RUNT_USERNS=1 RUNT_EXTRA_MOUNTS="$(mb /d "$WORK/locked/dir" '"rbind", "ro"'),
		$(mb /f "$WORK/locked/file" '"bind"'), $(mb /l "$WORK/locked/link" '"rbind"'),
		$(mb /s "$WORK/shut" '"rbind"')" \
		bundle lockedb /bin/probe read /d/file read /f read /l/file read /s/file fds)
	mkdir -p "$B/rootfs/d" "$B/rootfs/l" "$B/rootfs/s" && : >"$B/rootfs/f"
	rt_create "$id" "$B"
	check_rc "create: bind sources below 0700/0000 root dirs into a user namespace" 0
	rtc state "$id"
	pid=$(json_get pid "$OUT")
	# what the init holds while it waits for start: nothing of the sources (the fds runt
	# passed are closed), only what runt itself was given and the exec fifo
	fds=$(ls -l /proc/"$pid"/fd 2>/dev/null)
	check_match "the created init's fds are readable" exec.fifo "$fds"
	check_nomatch "... and none is a bind source" "$WORK/(locked/|shut\$)" "$fds"
	rtc start "$id"
	wait_status "$id" stopped 5
	out=$(cout "$id")
	check_eq "a directory below a 0700 root dir is bound" in-dir "$(kv read./d/file "$out")"
	check_eq "a file below a 0700 root dir is bound" a-file "$(kv read./f "$out")"
	check_eq "a symlink below a 0700 root dir is followed and bound" in-dir \
		"$(kv read./l/file "$out")"
	check_eq "a 0000 root dir is bound (its content stays the host root's)" "error EACCES" \
		"$(kv read./s/file "$out")"
	check_match "the program lists its fds" "^fd.1=" "$out"
	check_nomatch "... and holds no bind source" "^fd.*$WORK/(locked/|shut\$)" "$out"
	rtc delete "$id"
	leftovers_check "bind sources below root-only directories"
	chmod 0755 "$WORK/locked" "$WORK/shut"
else
	skip "bind sources below root-only directories" "no user namespaces"
fi

# --- 7. exec --cgroup: runc's [<controller>:]<path> ---
if [ -n "$MNT" ]; then
	id=$(cid cg-exec)
	CG=/runt-it-compat-$$
	B=$(RUNT_EXTRA_LINUX="\"cgroupsPath\": \"$CG\"" bundle cg-exec /bin/probe sleep 300)
	rt_create "$id" "$B"
	rtc start "$id"
	mkdir "$MNT$CG/sub"
	for form in sub /sub :sub :/sub; do
		rtc exec --cgroup "$form" "$id" grep '^0::' /proc/self/cgroup
		check_eq "exec --cgroup $form runs in the sub-cgroup" "0 0::/sub" "$RC $OUT"
	done
	rtc exec --cgroup / "$id" grep '^0::' /proc/self/cgroup
	check_eq "exec --cgroup / is the container's own cgroup" "0 0::/" "$RC $OUT"
	rtc exec --cgroup memory:sub "$id" true
	check_err "exec --cgroup memory:sub is refused on v2 (runc: unknown controller)" \
		'unknown controller "memory"'
	rtc exec --cgroup ../.. "$id" true
	check_err "exec --cgroup ../.. is refused" "not a sub-cgroup"
	rtc exec --cgroup nope "$id" true
	check_err "exec --cgroup of a missing sub-cgroup fails" "$CG/nope" "No such file"
	rmdir "$MNT$CG/sub"
	rtc delete --force "$id"
	leftovers_check "exec --cgroup"
else
	skip "exec --cgroup" "no cgroup2 mount"
fi

# --- 8. unified keys as the kernel names them; a missing file is the kernel's ENOENT ---
if [ -n "$MNT" ] && grep -qw hugetlb "$MNT/cgroup.controllers" &&
	[ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	id=$(cid uni)
	B=$(RUNT_EXTRA_LINUX='"resources": {"unified": {"hugetlb.2MB.max": "4194304"}}' \
		bundle uni sleep 100)
	rt_create "$id" "$B"
	check_rc "unified hugetlb.2MB.max (upper case) is accepted" 0
	check_eq "... and written" 4194304 "$(cat "$MNT/runt/$id/hugetlb.2MB.max" 2>&1)"
	rtc delete --force "$id"
	B=$(RUNT_EXTRA_LINUX='"resources": {"unified": {"hugetlb.3MB.max": "1"}}' \
		bundle uni3 sleep 100)
	rt_create "$(cid uni3)" "$B"
	check_err "a unified key without a file fails with the kernel's ENOENT" hugetlb.3MB.max \
		"No such file or directory"
	leftovers_check "unified"
else
	skip "unified hugetlb keys" "no hugetlb controller on the cgroup2 mount"
fi
B=$(RUNT_EXTRA_LINUX='"resources": {"unified": {"hugetlb.2MB.max/../x": "1"}}' bundle uni4 true)
rt_create "$(cid uni4)" "$B"
check_err "a unified key with a slash is still refused" 'invalid key'

# --- 9. no mount namespace: run when nothing is to be mounted (chroot into the rootfs, exec
# too), refused otherwise; either way the caller's mount table is left as it was ---
root_line() { awk '$5 == "/"' /proc/self/mountinfo; }
# nomnt NAME ARG...: a bundle without a mount namespace and (unless a knob says otherwise)
# nothing to mount
nomnt() {
	RUNT_NAMESPACES="pid ipc uts network" RUNT_MOUNTS=${RUNT_MOUNTS:-[]} \
		RUNT_MASKED_PATHS=${RUNT_MASKED_PATHS:-[]} \
		RUNT_READONLY_PATHS=${RUNT_READONLY_PATHS:-[]} bundle "$@"
}
before=$(root_line)
id=$(cid nomnt)
B=$(nomnt nomnt /bin/probe sleep 300)
echo inside >"$B/rootfs/marker"
rt_create "$id" "$B"
check_rc "no mount namespace and nothing to mount: create exits 0" 0
rtc state "$id"
pid=$(json_get pid "$OUT")
check_eq "... the init shares the caller's mount namespace" "$(host_ns mnt)" \
	"$(readlink /proc/"$pid"/ns/mnt 2>/dev/null)"
check_eq "... and is chrooted into the rootfs" "$B/rootfs" "$(readlink /proc/"$pid"/root 2>/dev/null)"
rtc start "$id"
rtc exec "$id" /bin/probe read /marker
check_eq "exec enters the container's root" "0 inside" "$RC $(kv read./marker "$OUT")"
rtc delete --force "$id"
check_eq "the caller's / mount is unchanged (no propagation change)" "$before" "$(root_line)"
leftovers_check "no mount namespace"
refused() {
	rtc run "$@" --bundle "$B" "$(cid nomnt-bad)"
	check_err "no mount namespace with $what is refused" .linux.namespaces \
		"no mount namespace: a mount would be the caller's"
	rm -rf "$B"
}
what=.mounts B=$(RUNT_MOUNTS='[{"destination": "/proc", "type": "proc", "source": "proc"}]' \
	nomnt nomnt-bad /bin/probe id) refused
what=maskedPaths B=$(RUNT_MASKED_PATHS='["/proc/kcore"]' nomnt nomnt-bad /bin/probe id) refused
what=readonlyPaths B=$(RUNT_READONLY_PATHS='["/proc/sys"]' nomnt nomnt-bad /bin/probe id) refused
what=root.readonly B=$(RUNT_READONLY=true nomnt nomnt-bad /bin/probe id) refused
what=rootfsPropagation B=$(RUNT_EXTRA_LINUX='"rootfsPropagation": "shared"' \
	nomnt nomnt-bad /bin/probe id) refused
what="--no-pivot (runc too)" B=$(nomnt nomnt-bad /bin/probe id) refused --no-pivot
check_eq "refused: the caller's / mount is unchanged" "$before" "$(root_line)"
leftovers_check "refused without a mount namespace"

done_testing
