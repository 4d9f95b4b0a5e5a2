#!/bin/sh
# memstat.sh - run inside a board guest, next to memfloor.sh: where each runtime's memory.max
# charge comes from. memory.stat of the runtime's cgroup (set up as memfloor.sh does) and of the
# container's, with the anon pages of the container's init (still the runtime's code, sharing
# the parent's pages), from a createContainer hook: mounts done, the parent waiting on its child.
# The hook makes the parent's path a little deeper than memfloor.sh's bundle (no hooks).
#
#   sh boards/run-board.sh qemu-x86_64 -- env BENCH_RUNTIMES="runt crun" sh bench/memstat.sh
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
SELF=$TOP/bench/memstat.sh
CG=/sys/fs/cgroup
KEYS='anon|file|kernel|kernel_stack|pagetables|sec_pagetables|percpu|sock|slab_reclaimable|slab_unreclaimable'

rt() {
	case $1 in
	runt) echo "$TOP/runt --root $W/state/runt" ;;
	*) echo "$1 --root $W/state/$1" ;;
	esac
}

# The figures of one cgroup (KB) on one line.
cgline() {
	printf '%s current=%s' "$1" "$(($(cat "$2/memory.current") / 1024))"
	grep -E "^($KEYS) " "$2/memory.stat" | while read -r k v; do printf ' %s=%s' "$k" $((v / 1024)); done
	echo
}

# A process's anon pages (KB) and its mappings that hold any.
procline() {
	[ -r "/proc/$2/smaps" ] || return 0
	printf '%s pid %s %s: ' "$1" "$2" "$(tr '\0' ' ' <"/proc/$2/cmdline" | cut -c1-40)"
	grep -E '^(VmPTE|VmStk|RssAnon)' "/proc/$2/status" | tr -s ' \t' ' ' | tr '\n' ' '
	echo
	awk '/^[0-9a-f]+-[0-9a-f]+ /{m=$0} /^Anonymous:/{if ($2 > 0) printf "    %6d KB anon  %s\n", $2, m}' \
		"/proc/$2/smaps"
}

# The runtime's cgroup, the container's, and the anon pages of the container's init (the hook
# runs in the container's pid namespace: the runtime's own pids are out of its sight).
snapshot() {
	what=$1 lim=$2 init=$3
	echo "== $what"
	cgline "  runtime cgroup" "$lim"
	# the hook sits in the container's cgroup namespace: the paths runt and crun use
	for d in "$CG/runt/ms" "$CG/ms"; do [ -d "$d" ] && cgline "  container cgroup ($d)" "$d"; done
	procline "  init" "$init"
}

if [ "${1:-}" = hook ]; then
	# createContainer hook, in the container: the state on stdin has the init's host pid
	W=$3
	init=$(tr ',' '\n' | sed -n 's/^ *"pid": *\([0-9]*\).*/\1/p')
	snapshot hook "$2" "$init" >>"$W/out" 2>&1
	exit 0
fi
W=$(mktemp -d /tmp/memstat.XXXXXX) || exit 1

[ "$(stat -f -c %T $CG)" = cgroup2fs ] || {
	echo "memstat: $CG is not cgroup2 (run it in a board guest)"
	exit 1
}
grep -qw memory $CG/cgroup.subtree_control || echo +memory >$CG/cgroup.subtree_control
echo "# $(uname -r), $(nproc) cpu"
for r in ${BENCH_RUNTIMES:-runt crun}; do
	mkdir -p "$W/state/$r"
	args=/bin/true
	lim=$CG/ms-$r
	mkdir "$lim" || exit 1
	rm -rf "$W/b"
	hook="{\"path\":\"/bin/sh\",\"args\":[\"sh\",\"$SELF\",\"hook\",\"$lim\",\"$W\"]}"
	RUNT_EXTRA_TOP="\"hooks\": {\"createContainer\": [$hook]}" \
		sh "$TOP/tests/mkbundle.sh" "$W/b" $args >/dev/null || exit 1
	sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$W/b/config.json"
	[ -x "$TOP/build/bench/true" ] && cp -f "$TOP/build/bench/true" "$W/b/rootfs/bin/true"
	: >"$W/out"
	(
		cd "$W/b" || exit 1
		# warm the page cache outside the measured cgroup, as memfloor.sh does
		$(rt "$r") run ms >/dev/null 2>&1 </dev/null
		: >"$W/out"
		sh -c "echo \$\$ >$lim/cgroup.procs && exec $(rt "$r") run ms" \
			</dev/null >/dev/null 2>&1
	)
	echo "### $r run $args: peak $(($(cat "$lim/memory.peak" 2>/dev/null || echo 0) / 1024)) KB"
	cat "$W/out"
	$(rt "$r") delete -f ms >/dev/null 2>&1
	for d in "$CG/runt/ms" "$CG/ms"; do [ -d "$d" ] && rmdir "$d" 2>/dev/null; done
	rmdir "$lim"
done
if command -v strace >/dev/null; then
	for r in ${BENCH_RUNTIMES:-runt crun}; do
		echo "### strace $r: where namespaces and the cgroup are made"
		(cd "$W/b" && strace -f -qq -e trace=clone,clone3,unshare,setns,mkdir,mkdirat,write \
			$(rt "$r") run ms 2>&1 </dev/null | grep -E 'clone|unshare|setns|mkdir|cgroup|^[0-9]+ +write\([0-9]+, "[0-9]+", ' |
			grep -v 'ENOENT\|EEXIST' | cut -c1-200 | head -n 40)
		$(rt "$r") delete -f ms >/dev/null 2>&1
	done
fi
rm -rf "$W"
