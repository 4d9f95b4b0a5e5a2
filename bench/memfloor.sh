#!/bin/sh
# memfloor.sh - run inside a board guest (pure cgroup v2, memory controller on): for runt, crun
# and runc, the smallest memory.max under which the runtime process itself can `run` /bin/true.
#
#   sh boards/run-board.sh qemu-x86_64 -- sh bench/memfloor.sh
#
# Prints "peak RUNTIME KB" (memory.peak of one unlimited run) and "floor RUNTIME LIMIT" (the
# last ladder step where every attempt passed, walking down; "none" if even the first failed).
# Environment: BENCH_LADDER, BENCH_TRIES (attempts per step, default 2).
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
LADDER=${BENCH_LADDER:-64M 32M 16M 12M 8M 6M 5M 4M 3M 2M 1536k 1M 896k 768k 704k 640k 576k 512k 448k 416k 384k 352k 320k 288k 256k 192k 128k}
TRIES=${BENCH_TRIES:-2}
CG=/sys/fs/cgroup
W=$(mktemp -d /tmp/memfloor.XXXXXX) || exit 1

rt() {
	case $1 in
	runt) echo "$TOP/runt --root $W/state/runt" ;;
	*) echo "$1 --root $W/state/$1" ;;
	esac
}

# Runs RUNTIME in a fresh cgroup limited to LIMIT (memory+swap): 0 when `run` exited 0.
# The shell moves itself into the cgroup and execs the runtime, so the runtime's own pages
# are charged there; the container lands in the runtime's own cgroup for it.
attempt() {
	r=$1 lim=$2 cg=$CG/mf-$1-$2
	mkdir "$cg" || return 1
	echo "$lim" >"$cg/memory.max" || return 1
	[ -f "$cg/memory.swap.max" ] && echo 0 >"$cg/memory.swap.max"
	c=$(rt "$r")
	sh -c "echo \$\$ >$cg/cgroup.procs && exec $c run mf" </dev/null >/dev/null 2>&1
	rc=$?
	[ "$lim" = max ] && peak=$(cat "$cg/memory.peak" 2>/dev/null)
	oom=$(sed -n 's/^oom_kill //p' "$cg/memory.events")
	$c delete -f mf >/dev/null 2>&1
	for d in "$CG/runt/mf" "$CG/mf"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	rmdir "$cg" 2>/dev/null
	echo "# $r memory.max=$lim: exit $rc, oom_kill ${oom:-?}"
	return $rc
}

floor() {
	r=$1 best=none
	for lim in $LADDER; do
		n=0
		while [ $n -lt "$TRIES" ]; do
			attempt "$r" "$lim" || break
			n=$((n + 1))
		done
		[ $n -eq "$TRIES" ] || break
		best=$lim
	done
	echo "floor $r $best"
}

[ "$(stat -f -c %T $CG)" = cgroup2fs ] || {
	echo "memfloor: $CG is not cgroup2 (run it in a board guest)"
	exit 1
}
grep -qw memory $CG/cgroup.subtree_control || echo +memory >$CG/cgroup.subtree_control
sh "$TOP/tests/mkbundle.sh" "$W/b" /bin/true >/dev/null || exit 1
sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$W/b/config.json"
if [ -x "$TOP/build/bench/true" ]; then
	rm -f "$W/b/rootfs/bin/true"
	cp "$TOP/build/bench/true" "$W/b/rootfs/bin/true"
fi
cd "$W/b" || exit 1
echo "# $(uname -r), $(nproc) cpu, ladder: $LADDER"
for r in ${BENCH_RUNTIMES:-runt crun runc}; do
	mkdir -p "$W/state/$r"
	# Warm the page cache from the root cgroup: file pages are charged to whoever faults
	# them in first, and the binaries are not what the floor is about.
	$(rt "$r") run mf >/dev/null 2>&1 </dev/null
	peak=
	attempt "$r" max >/dev/null
	echo "peak $r $((${peak:-0} / 1024))"
	floor "$r"
done
rm -rf "$W"
