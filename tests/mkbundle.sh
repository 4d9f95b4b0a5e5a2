#!/bin/sh
# mkbundle.sh - builds an OCI bundle for the integration tests: a busybox rootfs with /bin/probe
# (hard-linked from a cached copy, so fifty bundles cost little) and a runc-like config.json.
# POSIX sh only: it also runs in busybox-only board guests without python.
#
# usage: tests/mkbundle.sh DIR [ARG...]        ARGs become process.args (default: RUNT_ARGS or sh)
#
# Knobs (environment; JSON values are literals pasted as they are):
#   RUNT_ARGS            process.args as a JSON array, used when no ARG is given   ["sh"]
#   RUNT_ENV             process.env as a JSON array     ["PATH=/usr/local/sbin:…","TERM=xterm"]
#   RUNT_CWD             process.cwd                                                    /
#   RUNT_USER            process.user object                             {"uid":0,"gid":0}
#   RUNT_TERMINAL        process.terminal                                              false
#   RUNT_CAPS            capability names for bounding, effective, permitted and ambient
#                        (runc's default set)    CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE
#   RUNT_CAPS_JSON       the whole process.capabilities object (overrides RUNT_CAPS)
#   RUNT_RLIMITS         process.rlimits array    [{"type":"RLIMIT_NOFILE","hard":1024,"soft":1024}]
#   RUNT_NNP             process.noNewPrivileges                                        true
#   RUNT_EXTRA_PROCESS   members appended to process, e.g. '"oomScoreAdj": 100'
#   RUNT_ROOT_PATH       root.path                                                   rootfs
#   RUNT_READONLY        root.readonly                                                 false
#   RUNT_HOSTNAME        hostname; set but empty: no hostname key                       runt
#   RUNT_MOUNTS          the whole mounts array (default: runc's proc, dev, pts, shm, mqueue, sys)
#   RUNT_EXTRA_MOUNTS    mount objects appended to the default mounts: '{…},{…}'
#   RUNT_NAMESPACES      namespace types; TYPE=PATH joins one     pid network ipc uts mount cgroup
#   RUNT_USERNS=1        adds a user namespace and uid/gid mappings 0 -> RUNT_USERNS_BASE (100000)
#                        size RUNT_USERNS_SIZE (65536); RUNT_USERNS_MAP: the whole array instead
#   RUNT_MASKED_PATHS    linux.maskedPaths array (default: runc's)
#   RUNT_READONLY_PATHS  linux.readonlyPaths array (default: runc's)
#   RUNT_EXTRA_LINUX     members appended to linux, e.g. '"sysctl": {"kernel.msgmax": "4096"}'
#   RUNT_EXTRA_TOP       members appended to the top object, e.g. '"domainname": "example.org"'
#   RUNT_NO_ROOTFS=1     writes config.json only
#   RUNT_TEST_TAG        when set, process.env gets RUNT_TEST_TAG=<value> first (lib.sh finds
#                        container processes by it)
#   PROBE, BUSYBOX       the probe binary and a static busybox; RUNT_ROOTFS_CACHE the cached rootfs
set -eu

TOP=${TOP:-$(cd "$(dirname "$0")/.." && pwd)}
PROBE=${PROBE:-$TOP/build/tests/probe}
BUSYBOX=${BUSYBOX:-$(command -v busybox || echo /bin/busybox)}
RUNT_ROOTFS_CACHE=${RUNT_ROOTFS_CACHE:-$TOP/build/tests/rootfs}

die() {
	echo "mkbundle: $*" >&2
	exit 1
}

# "a\b"c<tab>d<newline>e -> "a\\b\"c\td\ne" (quotes included): runt, like runc, refuses raw
# control characters in JSON strings (a test's multi-line sh -c script has them).
json_str() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g; s/	/\\t/g' |
		awk '{ printf "%s%s", (NR > 1 ? "\\n" : ""), $0 }')"
}

# Words -> JSON array of strings.
json_words() {
	out= sep=
	for w in $1; do
		out="$out$sep$(json_str "$w")"
		sep=,
	done
	printf '[%s]' "$out"
}

# Arguments -> JSON array of strings (keeps spaces inside arguments).
json_args() {
	out= sep=
	for a in "$@"; do
		out="$out$sep$(json_str "$a")"
		sep=,
	done
	printf '[%s]' "$out"
}

# The cache holds busybox, its applet links and probe; it is rebuilt when either binary changes.
rootfs_fresh() {
	[ -x "$RUNT_ROOTFS_CACHE/bin/probe" ] && [ -x "$RUNT_ROOTFS_CACHE/bin/busybox" ] &&
		! [ "$PROBE" -nt "$RUNT_ROOTFS_CACHE/bin/probe" ] &&
		! [ "$BUSYBOX" -nt "$RUNT_ROOTFS_CACHE/bin/busybox" ]
}

build_rootfs() {
	dir=$1
	mkdir -p "$dir"
	for d in bin sbin usr/bin usr/sbin etc proc sys dev tmp root mnt var/tmp; do
		mkdir -p "$dir/$d"
	done
	chmod 1777 "$dir/tmp" "$dir/var/tmp"
	cp "$BUSYBOX" "$dir/bin/busybox"
	cp "$PROBE" "$dir/bin/probe"
	chmod 755 "$dir/bin/busybox" "$dir/bin/probe"
	"$BUSYBOX" --list-full | while read -r applet; do
		[ "$applet" = bin/busybox ] || [ -e "$dir/$applet" ] || ln -s /bin/busybox "$dir/$applet"
	done
}

cache_rootfs() {
	rootfs_fresh && return 0
	[ -x "$PROBE" ] || die "$PROBE missing: run make build/tests/probe"
	tmp="$RUNT_ROOTFS_CACHE.tmp.$$"
	rm -rf "$tmp"
	build_rootfs "$tmp"
	rm -rf "$RUNT_ROOTFS_CACHE"
	mv "$tmp" "$RUNT_ROOTFS_CACHE"
}

write_etc() {
	printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'user:x:1000:1000:user:/tmp:/bin/sh' \
		'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$1/etc/passwd"
	printf '%s\n' 'root:x:0:' 'tty:x:5:' 'wheel:x:10:user' 'user:x:1000:' \
		'nogroup:x:65534:' >"$1/etc/group"
}

# Files are hard links to the cache (directories are fresh), so tests may create files
# anywhere; /etc is written per bundle because tests may read it back.
make_rootfs() {
	rootfs=$1
	rm -rf "$rootfs"
	if cache_rootfs 2>/dev/null; then
		cp -al "$RUNT_ROOTFS_CACHE" "$rootfs" 2>/dev/null || {
			rm -rf "$rootfs"
			cp -a "$RUNT_ROOTFS_CACHE" "$rootfs"
		}
	else
		build_rootfs "$rootfs"
	fi
	write_etc "$rootfs"
}

namespaces_json() {
	out= sep=
	for ns in $1; do
		case $ns in
		*=*) out="$out$sep{\"type\": $(json_str "${ns%%=*}"), \"path\": $(json_str "${ns#*=}")}" ;;
		*) out="$out$sep{\"type\": $(json_str "$ns")}" ;;
		esac
		sep=', '
	done
	printf '[%s]' "$out"
}

# Puts "RUNT_TEST_TAG=…" first in a JSON array of strings.
env_json() {
	env=$1
	[ -n "${RUNT_TEST_TAG:-}" ] || {
		printf '%s' "$env"
		return
	}
	rest=${env#*\[}
	case $(printf '%s' "$rest" | tr -d ' \t\n') in
	\]*) sep= ;;
	*) sep=, ;;
	esac
	printf '[%s%s%s' "$(json_str "RUNT_TEST_TAG=$RUNT_TEST_TAG")" "$sep" "$rest"
}

default_mounts() {
	cat <<'EOF'
[
		{"destination": "/proc", "type": "proc", "source": "proc"},
		{"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
		 "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
		{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
		 "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]},
		{"destination": "/dev/shm", "type": "tmpfs", "source": "shm",
		 "options": ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]},
		{"destination": "/dev/mqueue", "type": "mqueue", "source": "mqueue",
		 "options": ["nosuid", "noexec", "nodev"]},
		{"destination": "/sys", "type": "sysfs", "source": "sysfs",
		 "options": ["nosuid", "noexec", "nodev", "ro"]}
EOF
	[ -z "${RUNT_EXTRA_MOUNTS:-}" ] || printf '\t\t,%s\n' "$RUNT_EXTRA_MOUNTS"
	printf '\t]'
}

idmap_json() {
	[ -z "${RUNT_USERNS_MAP:-}" ] || {
		printf '%s' "$RUNT_USERNS_MAP"
		return
	}
	printf '[{"containerID": 0, "hostID": %s, "size": %s}]' "${RUNT_USERNS_BASE:-100000}" \
		"${RUNT_USERNS_SIZE:-65536}"
}

# Optional ",\n<indent>member" lines.
member() {
	[ -z "$2" ] || printf ',\n%s%s' "$1" "$2"
}

write_config() {
	caps=$(json_words "${RUNT_CAPS-CAP_AUDIT_WRITE CAP_KILL CAP_NET_BIND_SERVICE}")
	caps_json=${RUNT_CAPS_JSON:-"{\"bounding\": $caps, \"effective\": $caps, \"permitted\": $caps, \"ambient\": $caps}"}
	nss=${RUNT_NAMESPACES-pid network ipc uts mount cgroup}
	maps=
	if [ "${RUNT_USERNS:-0}" = 1 ]; then
		case " $nss " in
		*" user "* | *" user="*) ;;
		*) nss="user $nss" ;;
		esac
		maps=$(printf '"uidMappings": %s,\n\t\t"gidMappings": %s' "$(idmap_json)" "$(idmap_json)")
	fi
	host=
	[ -z "${RUNT_HOSTNAME-runt}" ] || host=$(printf '"hostname": %s' "$(json_str "${RUNT_HOSTNAME-runt}")")
	cat <<EOF
{
	"ociVersion": "1.2.0",
	"process": {
		"terminal": ${RUNT_TERMINAL:-false},
		"user": ${RUNT_USER:-{\"uid\": 0, \"gid\": 0\}},
		"args": $ARGS_JSON,
		"env": $(env_json "${RUNT_ENV:-[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\", \"TERM=xterm\"]}"),
		"cwd": $(json_str "${RUNT_CWD:-/}"),
		"capabilities": $caps_json,
		"rlimits": ${RUNT_RLIMITS:-[{\"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024\}]},
		"noNewPrivileges": ${RUNT_NNP:-true}$(member '		' "${RUNT_EXTRA_PROCESS:-}")
	},
	"root": {"path": $(json_str "${RUNT_ROOT_PATH:-rootfs}"), "readonly": ${RUNT_READONLY:-false}}$(member '	' "$host"),
	"mounts": ${RUNT_MOUNTS:-$(default_mounts)},
	"linux": {
		"namespaces": $(namespaces_json "$nss")$(member '		' "$maps"),
		"maskedPaths": ${RUNT_MASKED_PATHS:-[\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\", \"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\", \"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"]},
		"readonlyPaths": ${RUNT_READONLY_PATHS:-[\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"]}$(member '		' "${RUNT_EXTRA_LINUX:-}")
	}$(member '	' "${RUNT_EXTRA_TOP:-}")
}
EOF
}

[ $# -ge 1 ] || die "usage: mkbundle.sh DIR [ARG...]"
DIR=$1
shift
if [ $# -gt 0 ]; then
	ARGS_JSON=$(json_args "$@")
else
	ARGS_JSON=${RUNT_ARGS:-[\"sh\"]}
fi
mkdir -p "$DIR"
[ "${RUNT_NO_ROOTFS:-0}" = 1 ] || make_rootfs "$DIR/${RUNT_ROOT_PATH:-rootfs}"
write_config >"$DIR/config.json.tmp"
mv "$DIR/config.json.tmp" "$DIR/config.json"
