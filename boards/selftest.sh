#!/bin/sh
# Checks that a board gives the tests what they rely on. Runs INSIDE the guest:
#   sh boards/run-board.sh qemu-x86_64 -- sh boards/selftest.sh
# Needs root and a pure cgroup v2 hierarchy; not for the host.
n=0 failed=0
out=/tmp/selftest.out

check() {
	n=$((n + 1))
	desc=$1
	shift
	if "$@" >"$out" 2>&1; then
		echo "ok $n - $desc"
	else
		failed=$((failed + 1))
		echo "not ok $n - $desc"
		sed 's/^/#   /' "$out"
	fi
}

cg=/sys/fs/cgroup/board-selftest
check "pure cgroup v2 with memory and pids" sh -c 'grep -qw memory /sys/fs/cgroup/cgroup.controllers && grep -qw pids /sys/fs/cgroup/cgroup.subtree_control && ! grep -q " cgroup " /proc/mounts'
check "child cgroup: memory.max, pids.max, join, leave" sh -c "mkdir $cg && echo 64M >$cg/memory.max && grep -qx 67108864 $cg/memory.max && echo 10 >$cg/pids.max && echo \$\$ >$cg/cgroup.procs && grep -qx 0::/board-selftest /proc/self/cgroup && echo \$\$ >/sys/fs/cgroup/cgroup.procs && rmdir $cg"
check "unshare user/pid/mount/net/ipc/uts/cgroup/time" unshare --user --pid --mount --net --ipc --uts --cgroup --time --fork true
check "unprivileged user namespace" setpriv --reuid=65534 --regid=65534 --clear-groups unshare --user --map-root-user --pid --mount --fork sh -c 'test "$(id -u)" = 0'
check "pivot_root in a mount namespace" unshare -m --propagation private sh -c 'mkdir -p /tmp/nr && mount -t tmpfs t /tmp/nr && mkdir /tmp/nr/old && cp /bin/busybox /tmp/nr/ && cd /tmp/nr && pivot_root . old && /busybox test -d /old/proc'
check "overlayfs with a host directory as lower" sh -c 'mkdir -p /tmp/ov/u /tmp/ov/w /tmp/ov/m && mount -t overlay ov -o lowerdir=/usr/bin,upperdir=/tmp/ov/u,workdir=/tmp/ov/w /tmp/ov/m && test -x /tmp/ov/m/sh && umount /tmp/ov/m'
check "the repo is writable" sh -c 'mkdir -p build && echo x >build/.board-selftest && rm build/.board-selftest'
check "/dev/pts, /dev/shm, /dev/fd" sh -c 'test -c /dev/ptmx && test -c /dev/pts/ptmx && test -d /dev/shm && test -e /dev/fd/1 && test -c /dev/null'
check "PID 1 reaps orphans" sh -c 'sh -c "sleep 0.2 & exit 0"; sleep 1; ! ps -eo stat= | grep -q "^Z"'
check "loopback is up" sh -c 'ip -o link show lo | grep -q UP'
echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
