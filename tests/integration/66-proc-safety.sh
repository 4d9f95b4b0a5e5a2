#!/bin/sh
# 66-proc-safety.sh - issue 17 items 2 and 3 (CVE-2025-52881 and CVE-2025-31133 classes):
# no config mount inside /proc (a symlink of the image does not dodge the check), sysctls
# that cannot be redirected, recursive readonlyPaths, and maskedPaths that never bind the
# image's /dev/null. Each attack writes to a file of this test's own, never a real sysctl.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

m() {
	printf '{"destination": "%s", "source": "%s", "type": "%s", "options": %s}' "$1" "$2" "$3" "$4"
}

# --- a config mount over a sysctl: refused, the sysctl never lands in its source ---
echo untouched >"$WORK/victim"
id=$(cid over)
B=$(RUNT_EXTRA_MOUNTS=$(m /proc/sys/net/core/somaxconn "$WORK/victim" bind '["bind"]') \
	RUNT_EXTRA_LINUX='"sysctl": {"net.core.somaxconn": "1234"}' bundle over /bin/probe exit 0)
rtc run --bundle "$B" "$id"
check_err "a mount on /proc/sys/net/core/somaxconn is refused" "mount /proc/sys/net/core/somaxconn" \
	"leads inside /proc"
check_eq "... and the sysctl did not go into the mount's source" untouched "$(cat "$WORK/victim")"
leftovers_check "refused /proc mount"

id=$(cid dotdot)
B=$(RUNT_EXTRA_MOUNTS=$(m /tmp/../proc/./sys/kernel tmpfs tmpfs '[]') bundle dotdot /bin/probe exit 0)
rtc run --bundle "$B" "$id"
check_err "/tmp/../proc/./sys/kernel is inside /proc too" "leads inside /proc"
leftovers_check "refused /proc mount (dot-dot)"

id=$(cid tmpproc)
B=$(RUNT_EXTRA_MOUNTS=$(m /proc tmpfs tmpfs '[]') bundle tmpproc /bin/probe exit 0)
rtc run --bundle "$B" "$id"
check_err "a tmpfs on /proc is refused" "only a procfs on /proc"
leftovers_check "refused tmpfs on /proc"

# the image's /lnk -> /proc/sys/net/core: the destination /lnk/somaxconn resolves into /proc
id=$(cid link)
B=$(RUNT_EXTRA_MOUNTS=$(m /lnk/somaxconn "$WORK/victim" bind '["bind"]') \
	RUNT_EXTRA_LINUX='"sysctl": {"net.core.somaxconn": "1234"}' bundle link /bin/probe exit 0)
ln -s /proc/sys/net/core "$B/rootfs/lnk"
rtc run --bundle "$B" "$id"
check_err "a mount through an image symlink into /proc is refused" "/lnk/somaxconn leads inside /proc"
check_eq "... and the sysctl did not go into the mount's source" untouched "$(cat "$WORK/victim")"
leftovers_check "refused mount through a symlink"

# --- sysctls still apply, to the container's own network namespace ---
host_somaxconn=$(cat /proc/sys/net/core/somaxconn)
id=$(cid sysctl)
B=$(RUNT_EXTRA_LINUX='"sysctl": {"net.core.somaxconn": "1234"}' bundle sysctl /bin/probe \
	sysctl net.core.somaxconn)
rtc run --bundle "$B" "$id"
check_rc "run with a net sysctl exits 0" 0
check_eq "the container's net.core.somaxconn is set" 1234 "$(kv sysctl.net.core.somaxconn "$OUT")"
check_eq "the host's is not" "$host_somaxconn" "$(cat /proc/sys/net/core/somaxconn)"
leftovers_check "sysctl"

# --- an lxcfs-style file may still be bound over its procfs namesake ---
echo "lxcfs uptime" >"$WORK/uptime"
id=$(cid lxcfs)
B=$(RUNT_EXTRA_MOUNTS=$(m /proc/uptime "$WORK/uptime" bind '["bind", "ro"]') bundle lxcfs \
	/bin/probe read /proc/uptime)
rtc run --bundle "$B" "$id"
check_rc "run with a bind over /proc/uptime exits 0" 0
check_eq "the container reads the bound file" "lxcfs uptime" "$(kv read./proc/uptime "$OUT")"
leftovers_check "lxcfs-style bind"

# --- readonlyPaths are read-only all the way down ---
echo 7 >"$WORK/lastpid"
id=$(cid rec)
B=$(RUNT_EXTRA_MOUNTS="$(m /proc/sys/kernel/ns_last_pid "$WORK/lastpid" bind '["bind"]'),$(m /mnt/sub tmpfs tmpfs '[]')" \
	RUNT_READONLY_PATHS='["/proc/sys", "/mnt"]' bundle rec /bin/probe \
	write /proc/sys/kernel/ns_last_pid 9 write /mnt/sub/x y)
rtc run --bundle "$B" "$id"
check_rc "run with submounts under read-only paths exits 0" 0
check_eq "a bind below read-only /proc/sys is read-only" "error EROFS" \
	"$(kv write./proc/sys/kernel/ns_last_pid "$OUT")"
check_eq "... its source is untouched" 7 "$(cat "$WORK/lastpid")"
check_eq "a tmpfs below a read-only path is read-only" "error EROFS" "$(kv write./mnt/sub/x "$OUT")"
leftovers_check "recursive readonlyPaths"

# --- maskedPaths with the image's /dev/null a symlink to a sysctl (no /dev tmpfs) ---
if [ -e /proc/keys ] && [ -e /proc/timer_list ]; then
	id=$(cid null)
	B=$(RUNT_MOUNTS='[{"destination": "/proc", "type": "proc", "source": "proc"}]' \
		RUNT_MASKED_PATHS='["/proc/keys", "/proc/timer_list"]' RUNT_READONLY_PATHS='[]' \
		bundle null /bin/probe stat /proc/keys read /proc/keys read /proc/timer_list \
		write /proc/timer_list evil hostname)
	rm -f "$B/rootfs/dev/null"
	ln -s /proc/sys/kernel/hostname "$B/rootfs/dev/null"
	rtc run --bundle "$B" "$id"
	check_rc "run with an image /dev/null symlink exits 0" 0
	check_match "a masked file is the null device" '^stat\./proc/keys=chr [0-7]+ [0-9]+ [0-9]+ 1:3$' "$OUT"
	check_eq "it reads empty (not the hostname)" "" "$(kv read./proc/keys "$OUT")"
	check_eq "so does the second one" "" "$(kv read./proc/timer_list "$OUT")"
	check_eq "writing to a masked file does not set the hostname" runt "$(kv hostname "$OUT")"
	leftovers_check "image /dev/null symlink"
else
	skip "masked paths with an image /dev/null symlink" "no /proc/keys or /proc/timer_list"
fi

# --- runt's procfs handle never reaches the container, even through an empty preserved slot ---
id=$(cid fds)
B=$(bundle fds /bin/probe fds)
rtc run --preserve-fds 20 --bundle "$B" "$id" 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-
check_rc "run --preserve-fds 20 exits 0" 0
check_nomatch "no fd of the container is runt's /proc" '^fd\.[0-9]+=/proc$' "$OUT"
leftovers_check "preserve-fds"

# --- the same on a kernel without openat2 (5.6), open_tree (5.2), mount_setattr (5.12),
# close_range (5.9; its CLOEXEC flag is 5.11), clone3 and pidfds (5.3) ---
# probe enosys makes those syscalls fail ENOSYS for runt and its children: the fallbacks.
REAL_RUNT=$RUNT
RUNT=$WORK/old-kernel-runt
printf '#!/bin/sh\nexec "%s" enosys %s "%s" "$@"\n' "$PROBE" \
	openat2,open_tree,move_mount,mount_setattr,close_range,clone3,pidfd_open,pidfd_send_signal \
	"$REAL_RUNT" >"$RUNT"
chmod +x "$RUNT"

id=$(cid old-fds)
B=$(bundle old-fds /bin/probe fds)
rtc run --bundle "$B" "$id" 3<"$B/config.json"
check_rc "old kernel: run exits 0" 0
check_nomatch "old kernel (no close_range): no fd but 0-2 reaches the container" \
	'^fd\.([3-9]|[1-9][0-9]+)=' "$OUT"
leftovers_check "old kernel: fds"

id=$(cid old-link)
B=$(RUNT_EXTRA_MOUNTS=$(m /lnk/somaxconn "$WORK/victim" bind '["bind"]') bundle old-link /bin/probe exit 0)
ln -s /proc/sys/net/core "$B/rootfs/lnk"
rtc run --bundle "$B" "$id"
check_err "old kernel: a mount through an image symlink into /proc is refused" \
	"/lnk/somaxconn leads inside /proc"
leftovers_check "old kernel: refused mount through a symlink"

id=$(cid old-sysctl)
B=$(RUNT_EXTRA_LINUX='"sysctl": {"net.core.somaxconn": "1234"}' \
	RUNT_EXTRA_PROCESS='"oomScoreAdj": 100' bundle old-sysctl /bin/probe sysctl net.core.somaxconn oom)
rtc run --bundle "$B" "$id"
check_rc "old kernel: run with a sysctl and oomScoreAdj exits 0" 0
check_eq "old kernel: the sysctl is set" 1234 "$(kv sysctl.net.core.somaxconn "$OUT")"
check_eq "old kernel: oom_score_adj is set" 100 "$(kv oom_score_adj "$OUT")"
leftovers_check "old kernel: sysctl"

echo 7 >"$WORK/lastpid"
id=$(cid old-rec)
B=$(RUNT_EXTRA_MOUNTS="$(m /proc/sys/kernel/ns_last_pid "$WORK/lastpid" bind '["bind"]'),$(m /mnt/sub tmpfs tmpfs '[]')" \
	RUNT_READONLY_PATHS='["/proc/sys", "/mnt"]' bundle old-rec /bin/probe \
	write /proc/sys/kernel/ns_last_pid 9 write /mnt/sub/x y stat /proc/kcore stat /proc/keys)
rtc run --bundle "$B" "$id"
check_rc "old kernel: run with submounts under read-only paths exits 0" 0
check_eq "old kernel: a bind below read-only /proc/sys is read-only (remounted from mountinfo)" \
	"error EROFS" "$(kv write./proc/sys/kernel/ns_last_pid "$OUT")"
check_eq "old kernel: a tmpfs below a read-only path is read-only" "error EROFS" "$(kv write./mnt/sub/x "$OUT")"
if [ -e /proc/keys ]; then
	check_match "old kernel: masked files are the null device (the container's, checked)" \
		'^stat\./proc/keys=chr [0-7]+ [0-9]+ [0-9]+ 1:3$' "$OUT"
else
	skip "old kernel: masked files are the null device" "no /proc/keys"
fi
leftovers_check "old kernel: recursive readonlyPaths"

if [ -e /proc/keys ]; then
	id=$(cid old-null)
	B=$(RUNT_MOUNTS='[{"destination": "/proc", "type": "proc", "source": "proc"}]' \
		RUNT_MASKED_PATHS='["/proc/keys"]' RUNT_READONLY_PATHS='[]' bundle old-null /bin/probe exit 0)
	rm -f "$B/rootfs/dev/null"
	ln -s /proc/sys/kernel/hostname "$B/rootfs/dev/null"
	rtc run --bundle "$B" "$id"
	check_err "old kernel: an image /dev/null that is not the null device is refused" \
		"mask /proc/keys" "No such device"
	leftovers_check "old kernel: image /dev/null symlink"
else
	skip "old kernel: an image /dev/null symlink is refused" "no /proc/keys"
fi
RUNT=$REAL_RUNT

done_testing
