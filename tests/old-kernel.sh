#!/bin/sh
# old-kernel.sh - the integration suite as on Linux 5.2, the oldest kernel runt supports: runt
# runs under probe enosys with every newer system call it uses failing ENOSYS, so each
# fallback runs for real (clone for clone3, pid + start time for pidfds, the O_NOFOLLOW walk
# for openat2, per-mount remounts for mount_setattr, fcntl for close_range) and what has none
# must fail with an error naming the kernel it needs. (open_tree and move_mount, 5.2
# themselves, fail too in 66-proc-safety's own old-kernel cases.)
# usage: tests/old-kernel.sh [FILE...]   (the files of tests/run-integration.sh; default all)
TOP=$(cd "$(dirname "$0")/.." && pwd)
PROBE=${PROBE:-$TOP/build/tests/probe}
REAL=${RUNT:-$TOP/runt}
W=$(mktemp -d "${TMPDIR:-/tmp}/runt-old.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
RUNT_OLD_KERNEL=clone3,pidfd_open,pidfd_send_signal,openat2,mount_setattr,close_range
printf '#!/bin/sh\nexec "%s" enosys %s "%s" "$@"\n' "$PROBE" "$RUNT_OLD_KERNEL" "$REAL" >"$W/runt"
chmod +x "$W/runt"
echo "# old-kernel: runt with ENOSYS for $RUNT_OLD_KERNEL"
RUNT=$W/runt RUNT_REAL=$REAL RUNT_OLD_KERNEL=$RUNT_OLD_KERNEL sh "$TOP/tests/run-integration.sh" "$@"
