#!/bin/sh
# 60-filesystem.sh - what the container sees of files: the default /dev, masked and
# read-only paths, linux.devices, and config mounts applied in order with their options.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# --- default /dev ---
id=$(cid dev)
B=$(bundle dev /bin/probe stat /dev/null stat /dev/zero stat /dev/full stat /dev/random \
	stat /dev/urandom stat /dev/tty stat /dev/kmsg stat /dev/sda readlink /dev/ptmx readlink /dev/fd \
	readlink /dev/stdin readlink /dev/stdout readlink /dev/stderr write /dev/null x read /dev/zero \
	mountinfo)
rtc run --bundle "$B" "$id"
check_rc "run listing /dev exits 0" 0
for d in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
	name=${d%%:*} num=${d#*:}
	check_match "/dev/$name is the char device ${num%:*}:${num#*:}, mode 0666" \
		"^stat\./dev/$name=chr 0666 [0-9]+ [0-9]+ ${num%:*}:${num#*:}\$" "$OUT"
done
check_eq "/dev/kmsg of the host is not there" "error ENOENT" "$(kv stat./dev/kmsg "$OUT")"
check_eq "no host disks in /dev" "error ENOENT" "$(kv stat./dev/sda "$OUT")"
check_eq "/dev/ptmx -> pts/ptmx" pts/ptmx "$(kv readlink./dev/ptmx "$OUT")"
check_eq "/dev/fd -> /proc/self/fd" /proc/self/fd "$(kv readlink./dev/fd "$OUT")"
check_eq "/dev/stdin -> /proc/self/fd/0" /proc/self/fd/0 "$(kv readlink./dev/stdin "$OUT")"
check_eq "/dev/stdout -> /proc/self/fd/1" /proc/self/fd/1 "$(kv readlink./dev/stdout "$OUT")"
check_eq "/dev/stderr -> /proc/self/fd/2" /proc/self/fd/2 "$(kv readlink./dev/stderr "$OUT")"
check_eq "/dev/null is writable" ok "$(kv write./dev/null "$OUT")"
check_match "/proc is a proc mount" '^mount=/proc type=proc ' "$OUT"
check_match "/dev is a tmpfs" '^mount=/dev type=tmpfs opts=[^ ]*nosuid' "$OUT"
check_match "/dev/pts is a devpts" '^mount=/dev/pts type=devpts opts=[^ ]*noexec' "$OUT"
check_match "/dev/shm is a tmpfs" '^mount=/dev/shm type=tmpfs ' "$OUT"
check_match "/dev/mqueue is an mqueue" '^mount=/dev/mqueue type=mqueue ' "$OUT"
check_match "/sys is a read-only sysfs" '^mount=/sys type=sysfs opts=ro[,[:space:]]' "$OUT"
check_nomatch "no mount of the host shows through" "src=[^ ]*$WORK|^mount=$WORK" "$OUT"
leftovers_check "default /dev"

# --- maskedPaths and readonlyPaths ---
id=$(cid mask)
B=$(bundle mask /bin/probe stat /proc/kcore read /proc/keys stat /sys/firmware \
	write /proc/sysrq-trigger x write /proc/sys/kernel/domainname x write /sys/firmware/new x \
	mountinfo)
rtc run --bundle "$B" "$id"
check_rc "run with masked paths exits 0" 0
# some kernels (CONFIG_PROC_KCORE=n, this CI host's) have no /proc/kcore: nothing to mask
if [ -e /proc/kcore ]; then
	check_match "/proc/kcore is masked (/dev/null over it)" '^stat\./proc/kcore=chr [0-7]+ [0-9]+ [0-9]+ 1:3$' "$OUT"
else
	skip "/proc/kcore is masked" "the kernel has no /proc/kcore"
fi
check_match "/proc/keys reads empty" '^read\./proc/keys=$' "$OUT"
check_match "/sys/firmware is masked by a read-only tmpfs" '^mount=/sys/firmware type=tmpfs opts=ro[,[:space:]]' "$OUT"
check_eq "... nothing can be created in it" "error EROFS" "$(kv write./sys/firmware/new "$OUT")"
# every masked directory is a bind of the first one's tmpfs (one superblock, not ten)
if [ -d /proc/acpi ]; then
	check_match "/proc/acpi is masked by a read-only tmpfs too" '^mount=/proc/acpi type=tmpfs opts=ro[,[:space:]]' "$OUT"
else
	skip "/proc/acpi is masked by a read-only tmpfs too" "the kernel has no /proc/acpi"
fi
if [ -e /proc/sysrq-trigger ]; then
	check_eq "/proc/sysrq-trigger is read-only" "error EROFS" "$(kv write./proc/sysrq-trigger "$OUT")"
else
	skip "/proc/sysrq-trigger is read-only" "the kernel has no /proc/sysrq-trigger"
fi
check_eq "/proc/sys is read-only" "error EROFS" "$(kv write./proc/sys/kernel/domainname "$OUT")"
leftovers_check "masked and read-only paths"

# --- linux.devices ---
id=$(cid devices)
# the process runs as the node's owner: with mode 0660 nobody else may open it
B=$(RUNT_USER='{"uid": 1000, "gid": 1000}' \
	RUNT_EXTRA_LINUX='"devices": [{"path": "/dev/mynull", "type": "c", "major": 1, "minor": 3, "fileMode": 432, "uid": 1000, "gid": 1000}]' \
	bundle devices /bin/probe stat /dev/mynull write /dev/mynull x)
rtc run --bundle "$B" "$id"
check_rc "run with linux.devices exits 0" 0
check_eq "the device exists with its type, mode 0660, uid, gid and numbers" "chr 0660 1000 1000 1:3" \
	"$(kv stat./dev/mynull "$OUT")"
check_eq "the device works" ok "$(kv write./dev/mynull "$OUT")"
leftovers_check "linux.devices"

# --- mounts, in order, with options ---
mkdir -p "$WORK/share"
echo hello >"$WORK/share/hello.txt"
echo greeting >"$WORK/greeting.txt"
id=$(cid mounts)
B=$(RUNT_EXTRA_MOUNTS="{\"destination\": \"/data\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"nosuid\", \"nodev\", \"noexec\", \"size=1m\", \"mode=700\"]},
		{\"destination\": \"/data/sub\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [\"size=1m\"]},
		{\"destination\": \"/mnt/share\", \"type\": \"bind\", \"source\": \"$WORK/share\", \"options\": [\"rbind\", \"rw\"]},
		{\"destination\": \"/mnt/ro\", \"source\": \"$WORK/share\", \"options\": [\"bind\", \"ro\"]},
		{\"destination\": \"/etc/greeting\", \"type\": \"none\", \"source\": \"$WORK/greeting.txt\", \"options\": [\"bind\", \"ro\"]}" \
	bundle mounts /bin/probe mountinfo stat /data write /data/f x write /data/sub/f x \
	read /mnt/share/hello.txt write /mnt/share/new.txt from-container read /mnt/ro/hello.txt \
	write /mnt/ro/nope x read /etc/greeting write /etc/greeting x)
rtc run --bundle "$B" "$id"
check_rc "run with extra mounts exits 0" 0
check_match "tmpfs /data with nosuid,nodev,noexec" \
	'^mount=/data type=tmpfs opts=[^ ]*(nosuid[^ ]*nodev[^ ]*noexec)' "$OUT"
check_eq "tmpfs /data mode=700" "dir 0700 0 0 0:0" "$(kv stat./data "$OUT" | sed 's/ [0-9]*:[0-9]*$/ 0:0/')"
check_eq "/data/sub mounted after /data (mounts in order)" \
	"/data /data/sub" "$(printf '%s\n' "$OUT" | sed -n 's,^mount=\(/data[^ ]*\) .*,\1,p' | tr '\n' ' ' | sed 's/ $//')"
check_eq "write into the tmpfs works" ok "$(kv write./data/f "$OUT")"
check "... and does not reach the bundle's rootfs" test ! -e "$B/rootfs/data/f"
check_eq "the bind mount shows the host file" hello "$(kv read./mnt/share/hello.txt "$OUT")"
check_eq "the rw bind mount is writable" ok "$(kv write./mnt/share/new.txt "$OUT")"
check_eq "... and the host sees the file" from-container "$(cat "$WORK/share/new.txt" 2>/dev/null)"
check_eq "the ro bind mount shows the host file" hello "$(kv read./mnt/ro/hello.txt "$OUT")"
check_eq "the ro bind mount is not writable" "error EROFS" "$(kv write./mnt/ro/nope "$OUT")"
check "... and the host dir has no new file" test ! -e "$WORK/share/nope"
check_match "the ro bind mount is ro in mountinfo" '^mount=/mnt/ro type=[^ ]+ opts=ro[,[:space:]]' "$OUT"
check_eq "a file bind mount onto a missing destination" greeting "$(kv read./etc/greeting "$OUT")"
check_eq "the ro file bind mount is not writable" "error EROFS" "$(kv write./etc/greeting "$OUT")"
check_eq "the host file is unchanged" greeting "$(cat "$WORK/greeting.txt")"
leftovers_check "mounts"

done_testing
