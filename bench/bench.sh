#!/bin/sh
# bench.sh - `make bench`: runt, crun and runc side by side on one busybox bundle running
# /bin/true; writes docs/benchmarks.md (medians, min-max, ratios vs crun) and docs/benchmarks.png.
#
#   sh bench/bench.sh               everything, including the memory.max floor in the QEMU board
#   BENCH_BOARD=0 sh bench/bench.sh host figures only (the floor column then reads "not run")
#
# Environment: BENCH_RUNS (runs per round, default 20), BENCH_ROUNDS (3), BENCH_SEQ (100),
# BENCH_PAR (20), BENCH_LOOP_RUNS (samples of the sequential/parallel loops, 3),
# BENCH_OUT (directory for benchmarks.md/.png, default docs), BOARD (qemu-x86_64).
#
# Every host measurement runs in a private mount namespace where /sys/fs/cgroup is the
# cgroup2 hierarchy: crun 1.8 refuses this host's hybrid layout and runc 1.1 would write into
# the host's v1 controllers, which must never happen. State lives in a temp dir (--root).
set -eu

TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${BENCH_RUNS:-20}
ROUNDS=${BENCH_ROUNDS:-3}
SEQ=${BENCH_SEQ:-100}
PAR=${BENCH_PAR:-20}
LOOP_RUNS=${BENCH_LOOP_RUNS:-3}
OUT=${BENCH_OUT:-$TOP/docs}
BOARD=${BOARD:-qemu-x86_64}
RUNTIMES="runt crun runc"

say() {
	echo "bench: $*" >&2
}

die() {
	say "$*"
	exit 1
}

# ---- set-up (outside the namespace) -------------------------------------------------------

ensure_packages() {
	missing=
	for p in crun runc hyperfine gnuplot-nox time strace jq; do
		[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] || die "needs Debian packages:$missing (run as root)"
	say "installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2; } ||
		die "apt-get install$missing failed"
}

# One bundle for all three runtimes. ociVersion 1.0.2: crun 1.8.1 rejects "1.2.0" with
# "unknown version specified".
make_bundle() {
	sh "$TOP/tests/mkbundle.sh" "$@" >/dev/null
	sed -i 's/"ociVersion": "[^"]*"/"ociVersion": "1.0.2"/' "$1/config.json"
}

# Binary plus every shared library ldd names (symlinks resolved), in bytes.
closure_size() {
	{
		readlink -f "$1"
		ldd "$1" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' |
			xargs -r readlink -f
	} | sort -u | xargs stat -L -c %s | awk '{ s += $1 } END { print s }'
}

# $W/sc: the true bundle's rootfs and config plus podman's default seccomp profile
# (build/podman-seccomp.json, converted from containers-common by make); skipped without it.
seccomp_bundle() {
	sc=$TOP/build/podman-seccomp.json
	[ -f "$sc" ] || return 0
	mkdir -p "$W/sc"
	jq --slurpfile sc "$sc" --arg root "$W/true/rootfs" \
		'.linux.seccomp = $sc[0] | .root.path = $root' "$W/true/config.json" >"$W/sc/config.json"
}

# Filter size and compile CPU time of podman's default profile: runt's compiler and
# libseccomp's (what crun and runc link), in the same process shape (parse + compile).
bench_seccomp() {
	sc=$TOP/build/podman-seccomp.json
	[ -f "$sc" ] && [ -x "$TOP/build/tests/seccomp-diff" ] || return 0
	say "seccomp: podman's default profile, runt vs libseccomp"
	"$TOP/build/bench/seccomp-compile" "$sc" 2000 | sed 's/^/seccomp runt /;s/=/ /' >>"$R/seccomp"
	"$TOP/build/tests/seccomp-diff" --bench "$sc" 500 |
		sed 's/^libseccomp_/seccomp libseccomp seccomp_/;s/=/ /' >>"$R/seccomp"
}

# ---- inside the private mount namespace ---------------------------------------------------

rt() {
	case $1 in
	runt) echo "$TOP/runt --root $W/state/runt" ;;
	*) echo "$1 --root $W/state/$1" ;;
	esac
}

# Deletes every container the runtimes still know and any cgroup they left (ids rb*).
inner_cleanup() {
	for r in $RUNTIMES; do
		for d in "$W/state/$r"/rb*; do
			[ -d "$d" ] && $(rt "$r") delete -f "${d##*/}" >/dev/null 2>&1
		done
	done
	for c in /sys/fs/cgroup/runt/rb* /sys/fs/cgroup/rb*; do
		[ -d "$c" ] && rmdir "$c" 2>/dev/null
	done
	return 0
}

# A fresh cgroup2 mount would re-apply mount options to the host's single hierarchy; a bind
# of the existing unified mount gives the same pure-v2 view without touching anything.
setup_cgroup2() {
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] && return 0
	if [ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ]; then
		mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup
	else
		mount -t cgroup2 cgroup2 /sys/fs/cgroup
	fi
	[ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ] || die "no cgroup2 at /sys/fs/cgroup"
}

# runc must use its fs2 (cgroupfs v2) manager under /sys/fs/cgroup and nothing v1.
check_runc_cgroup() {
	cd "$W/sleep"
	$(rt runc) create rbcg >/dev/null
	paths=$(jq -c '.cgroup_paths' "$W/state/runc/rbcg/state.json")
	pid=$(jq -r '.init_process_pid' "$W/state/runc/rbcg/state.json")
	v2=$(sed -n 's/^0:://p' "/proc/$pid/cgroup")
	$(rt runc) delete -f rbcg >/dev/null
	cd "$W"
	case $paths in
	'{"":"/sys/fs/cgroup/rbcg"}') ;;
	*) die "runc cgroup_paths $paths: not the cgroup2 fs manager" ;;
	esac
	echo "runc state.json cgroup_paths $paths; init in 0::$v2" >"$R/runc-cgroup.txt"
}

# Samples (seconds, one a line) of command NAME in hyperfine JSON export FILE, appended to OUT;
# user+system means (s) appended to OUT.cpu.
samples() {
	jq -r --arg n "$2" '.results[] | select(.command == $n) | .times[]' "$1" >>"$3"
	jq -r --arg n "$2" '.results[] | select(.command == $n) | .user + .system' "$1" >>"$3.cpu"
}

# "median min max" in ms of a sample file, and the mean CPU time (ms) of its rounds.
stats() {
	sort -g "$1" | awk '{ v[NR] = $1 * 1000 } END { if (!NR) exit
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f %.3f", m, v[1], v[NR] }'
	awk '{ s += $1 } END { if (NR) printf " %.3f", s * 1000 / NR }' "$1.cpu"
}

# hf NAME RUNS -n RUNTIME CMD ...: BENCH_ROUNDS rounds of hyperfine over all runtimes, samples
# pooled: rounds interleave the runtimes, so a burst of load on this shared machine does not
# land on one runtime only.
hf() {
	name=$1
	runs=$2
	shift 2
	say "hyperfine: $name ($ROUNDS rounds x $runs runs)"
	rm -f "$W/$name".s.*
	names=
	prev=
	for a in "$@"; do
		[ "$prev" = -n ] && names="$names $a"
		prev=$a
	done
	round=0
	while [ $round -lt "$ROUNDS" ]; do
		hyperfine -N --warmup 2 --runs "$runs" --style none --export-json "$W/$name.json" \
			"$@" >/dev/null 2>"$W/hf.err" || {
			cat "$W/hf.err" >&2
			return 1
		}
		for r in $names; do samples "$W/$name.json" "$r" "$W/$name.s.$r"; done
		round=$((round + 1))
	done
	for r in $names; do echo "$name $r $(stats "$W/$name.s.$r")" >>"$R/latency"; done
}

script() {
	printf '#!/bin/sh\n%s\n' "$2" >"$W/$1"
	echo "/bin/sh $W/$1"
}

bench_latency() {
	cd "$W/true"
	set --
	for r in $RUNTIMES; do set -- "$@" -n "$r" "$(rt "$r") run rb1"; done
	hf run "$RUNS" "$@"
	# The same with podman's default seccomp profile, as every podman or CRI-O container has:
	# runt compiles it itself, crun and runc through libseccomp.
	if [ -f "$W/sc/config.json" ]; then
		cd "$W/sc"
		set --
		for r in $RUNTIMES; do set -- "$@" -n "$r" "$(rt "$r") run rb6"; done
		hf run-seccomp "$RUNS" "$@"
		cd "$W/true"
	fi
	# What the kernel alone costs for the same namespaces (no rootfs, no mounts): the floor
	# under every runtime's `run`.
	hf kernel "$RUNS" -n floor "$TOP/build/bench/floor $W/true/rootfs/bin/true"
	# The containerd pattern; delete -f so every runtime kills or reaps the same way.
	set --
	for r in $RUNTIMES; do
		set -- "$@" -n "$r" "$(script "csd-$r" "set -e
$(rt "$r") create rb2
$(rt "$r") start rb2
$(rt "$r") delete -f rb2")"
	done
	hf create-start-delete "$RUNS" "$@"
	set --
	for r in $RUNTIMES; do
		set -- "$@" -n "$r" "$(script "seq-$r" "i=0
while [ \$i -lt $SEQ ]; do $(rt "$r") run rbs >/dev/null || exit 1; i=\$((i + 1)); done")"
	done
	hf "seq$SEQ" "$LOOP_RUNS" "$@"
	set --
	for r in $RUNTIMES; do
		set -- "$@" -n "$r" "$(script "par-$r" "i=0 pids=
while [ \$i -lt $PAR ]; do $(rt "$r") run rbp\$i >/dev/null & pids=\"\$pids \$!\"; i=\$((i + 1)); done
for p in \$pids; do wait \$p || exit 1; done")"
	done
	hf "par$PAR" "$LOOP_RUNS" "$@"
	cd "$W"
}

# exec into a running container (the sleep bundle), when the runtime implements exec.
bench_exec() {
	cd "$W/sleep"
	set --
	for r in $RUNTIMES; do
		$(rt "$r") create rbx >/dev/null </dev/null && $(rt "$r") start rbx
		if $(rt "$r") exec rbx /bin/true >/dev/null 2>"$W/exec-$r.err"; then
			set -- "$@" -n "$r" "$(rt "$r") exec rbx /bin/true"
		else
			echo "exec $r unsupported $(head -n 1 "$W/exec-$r.err")" >>"$R/latency"
		fi
	done
	[ $# -eq 0 ] || hf exec "$RUNS" "$@"
	for r in $RUNTIMES; do
		$(rt "$r") delete -f rbx >/dev/null 2>&1 || :
	done
	cd "$W"
}

# One peak RSS (KB) of CMD, appended to FILE. TOOL own: bench/rss (vfork, so the figure is
# the command's own); time: /usr/bin/time, whose forked copy of itself is a floor of ~0.45 MB.
peak() {
	tool=$1 file=$2
	shift 2
	if [ "$tool" = own ]; then
		"$TOP/build/bench/rss" "$W/rss" "$@" >/dev/null 2>&1 </dev/null
	else
		/usr/bin/time -f %M -o "$W/rss" "$@" >/dev/null 2>&1 </dev/null
	fi
	rc=$?
	tail -n 1 "$W/rss" >>"$file"
	return $rc
}

med() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Five cycles of run (true bundle), then create, state, start, kill, delete (sleep bundle).
rss_cycles() {
	tool=$1 r=$2 c=$(rt "$2")
	rm -f "$W/$tool".*
	for _ in 1 2 3 4 5; do
		cd "$W/true"
		peak "$tool" "$W/$tool.run" $c run rb3
		peak "$tool" "$W/$tool.tool" "$TOP/build/bench/true"
		cd "$W/sleep"
		peak "$tool" "$W/$tool.create" $c create rb4
		peak "$tool" "$W/$tool.state" $c state rb4
		peak "$tool" "$W/$tool.start" $c start rb4
		peak "$tool" "$W/$tool.kill" $c kill rb4 KILL
		sleep 0.05
		peak "$tool" "$W/$tool.delete" $c delete rb4 || $c delete -f rb4 >/dev/null 2>&1
	done
	line="rss $r $tool"
	for v in tool run create state start kill delete; do line="$line $v=$(med "$W/$tool.$v")"; done
	echo "$line" >>"$R/rss"
	cd "$W"
}

bench_rss() {
	for r in $RUNTIMES; do
		rss_cycles own "$r"
		rss_cycles time "$r"
	done
}

# Total syscalls (strace -c -f) of one `run`, all threads and children included.
bench_syscalls() {
	cd "$W/true"
	for r in $RUNTIMES; do
		strace -f -c -o "$W/strace-$r" $(rt "$r") run rb5 >/dev/null 2>&1
		echo "syscalls $r $(awk '$NF == "total" { print $4 }' "$W/strace-$r")" >>"$R/syscalls"
		cp "$W/strace-$r" "$R/strace-$r.txt"
	done
	cd "$W"
}

inner() {
	setup_cgroup2
	# State on tmpfs as /run is in real deployments: on ext4 the last close of a deleted
	# state directory may wait for the journal (measured up to 6 ms).
	mkdir -p "$W/state"
	mount -t tmpfs -o mode=0711 bench-state "$W/state"
	trap inner_cleanup EXIT
	mkdir -p "$W/state/runt" "$W/state/crun" "$W/state/runc"
	check_runc_cgroup
	bench_latency
	bench_exec
	bench_rss
	bench_syscalls
	inner_cleanup
	left=$(find /sys/fs/cgroup -maxdepth 2 -name 'rb*' -type d | head -n 3)
	[ -z "$left" ] || die "cgroups left behind: $left"
}

# ---- report -------------------------------------------------------------------------------

machine() {
	cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
	mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
	echo "$(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r), $(nproc) x $cpu, $mem RAM"
}

versions() {
	echo "runt $("$TOP/runt" --version 2>&1 | head -n 1 | sed 's/^runt //;s/^version //')," \
		"$(crun --version | head -n 1), $(runc --version | head -n 1)," \
		"$(hyperfine --version)"
}

main() {
	ensure_packages
	[ -x "$TOP/runt" ] || die "build runt first (make bench does)"
	W=$(mktemp -d "${TMPDIR:-/tmp}/runt-bench.XXXXXX")
	# `crun --version` creates its default rundir; leave no trace of ours.
	[ -d /run/crun ] && crun_dir=keep || crun_dir=remove
	trap 'rm -rf "$W"; [ $crun_dir = keep ] || rmdir /run/crun 2>/dev/null || :' EXIT
	R=$W/res
	mkdir -p "$R"
	chmod 755 "$W"
	make_bundle "$W/true" /bin/true
	[ -x "$TOP/build/bench/true" ] && [ -x "$TOP/build/bench/rss" ] && [ -x "$TOP/build/bench/floor" ] ||
		die "build build/bench/true, rss and floor first (make bench does)"
	rm -f "$W/true/rootfs/bin/true"
	cp "$TOP/build/bench/true" "$W/true/rootfs/bin/true"
	make_bundle "$W/sleep" sleep 600
	seccomp_bundle
	export W R
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	unshare -m --propagation private sh "$0" --inner || die "host measurements failed"
	echo "load average (1/5/15 min) $load0 before the host runs, $(cut -d' ' -f1-3 /proc/loadavg) after" >"$R/load"
	for r in runt crun runc; do
		echo "size $r $(closure_size "$(command -v "$r" || echo "$TOP/runt")")" >>"$R/size"
	done
	echo "size-bin runt $(stat -c %s "$TOP/runt")" >>"$R/size"
	# The cross targets (make cross, issue 12): their static binaries' sizes.
	for a in aarch64 armv7; do
		if [ -f "$TOP/build/$a/runt" ]; then
			echo "size-bin runt-$a $(stat -c %s "$TOP/build/$a/runt")" >>"$R/size"
		fi
	done
	bench_seccomp
	if [ "${BENCH_BOARD:-1}" != 0 ]; then
		say "memory.max floor in board $BOARD (a few minutes under TCG)"
		sh "$TOP/boards/run-board.sh" "$BOARD" -- sh bench/memfloor.sh >"$R/memfloor.log" 2>&1 ||
			say "board run failed; see the floor section"
		grep -E '^(floor|peak) ' "$R/memfloor.log" >"$R/memfloor" || :
	fi
	machine >"$R/machine"
	versions >"$R/versions"
	mkdir -p "$OUT"
	sh "$TOP/bench/report.sh" "$R" "$OUT"
	rm -rf "$TOP/build/bench/results"
	mkdir -p "$TOP/build/bench"
	cp -r "$R" "$TOP/build/bench/results"
	cat "$OUT/benchmarks.md"
}

if [ "${1:-}" = --inner ]; then
	inner
else
	main
fi
