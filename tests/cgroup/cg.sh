# cg.sh - helpers for tests/cgroup/*.sh, sourced after tests/lib.sh: the cgroup v2 check,
# a bundle whose container sees its own cgroup at /sys/fs/cgroup, and cgroup leftovers.

CG=/sys/fs/cgroup
# The container mounts its cgroup namespace's root (its own cgroup) read-write.
CG_MOUNT='{"destination": "/sys/fs/cgroup", "type": "cgroup2", "source": "cgroup2", "options": ["nosuid", "noexec", "nodev"]}'

# require_cgroup2: skips the file unless /sys/fs/cgroup is cgroup2 with controllers
# (kernfs files have size 0: read them, never test -s).
require_cgroup2() {
	grep -q '^[^ ]* /sys/fs/cgroup cgroup2 ' /proc/mounts &&
		[ -n "$(cat $CG/cgroup.controllers)" ] ||
		skip_all "needs a pure cgroup v2 hierarchy with controllers (make board-check)"
}

# cgbundle NAME RESOURCES_JSON ARG...: a bundle with linux.resources and the cgroup mount.
cgbundle() {
	_n=$1 _r=$2
	shift 2
	RUNT_EXTRA_MOUNTS=${RUNT_EXTRA_MOUNTS:-$CG_MOUNT} \
		RUNT_EXTRA_LINUX="${CG_EXTRA_LINUX:+$CG_EXTRA_LINUX, }\"resources\": $_r" bundle "$_n" "$@"
}

# cgdir ID: where runt puts a container with an empty cgroupsPath.
cgdir() {
	echo "$CG/runt/$1"
}

# cgread ID FILE: first line of one of the container's cgroup files, read from outside.
cgread() {
	head -n 1 "$(cgdir "$1")/$2" 2>/dev/null
}

# The container's view: "file=first line" for each file, printed from inside.
CG_SHOW='cd /sys/fs/cgroup && for f in "$@"; do printf "%s=%s\n" "$f" "$(head -n 1 "$f" 2>&1)"; done'

# check_no_cgroup DESC ID: the container's cgroup directory is gone.
check_no_cgroup() {
	if [ -d "$(cgdir "$2")" ]; then
		not_ok "$1: no cgroup left"
		diag "$(cgdir "$2") still exists"
		rmdir "$(cgdir "$2")" 2>/dev/null
	else
		ok "$1: no cgroup left"
	fi
}
