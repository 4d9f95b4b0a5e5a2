#!/bin/sh
# 67-check.sh - `runt check` (issue 13): one line per item, the same items as JSON, exit 0
# where a default container runs, and nothing left behind. The items whose presence follows
# from the kernel version (or from tests/old-kernel.sh's ENOSYS) are asserted everywhere;
# each board asserts its exact missing set.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

cg_before=$(find /sys/fs/cgroup -maxdepth 3 -name 'runt-check.*' 2>/dev/null)
mnt_before=$(wc -l </proc/self/mountinfo)
rtc check --bundle "$TESTS"
check_rc "check exits 0 (a default container can run here)" 0
TEXT=$OUT
check_eq "every line says present or missing" "" \
	"$(printf '%s\n' "$TEXT" | grep -vE '^[a-z0-9_.]+ +(present|missing: disables .+)$')"
check_match "a missing item names what it disables" '^cgroup\.kill +(present|missing: disables nothing, freeze \+ kill \+ thaw instead \(5\.14\))$' "$TEXT"
check_eq "no runt-check cgroup is left" "" "$(find /sys/fs/cgroup -maxdepth 3 -name 'runt-check.*' 2>/dev/null | grep -vxF "$cg_before")"
check_eq "no mount is left" "$mnt_before" "$(wc -l </proc/self/mountinfo)"

# state ITEM: present or missing, from the text output
state() {
	printf '%s\n' "$TEXT" | awk -v n="$1" '$1 == n { sub(":", "", $2); print $2 }'
}
# An item present exactly when the kernel has SYSCALL from VERSION on.
by_version() {
	want=missing
	kernel_has "$2" "$3" && want=present
	check_eq "$1 is $want (kernel $(uname -r)${RUNT_OLD_KERNEL:+, ENOSYS: $RUNT_OLD_KERNEL})" \
		"$want" "$(state "$1")"
}
by_version clone3 clone3 5.3
by_version clone3.cgroup clone3 5.7
by_version pidfd pidfd_open 5.3
by_version openat2 openat2 5.6
by_version mount_setattr mount_setattr 5.12
by_version close_range close_range 5.11
by_version cgroup.kill cgroup.kill 5.14
by_version seccomp.notify seccomp 5.0

MISSING=$(printf '%s\n' "$TEXT" | awk '$2 == "missing:" { printf "%s ", $1 }')
case ${RUNT_BOARD:-}${RUNT_OLD_KERNEL:+-old} in
qemu-x86_64-5.10)
	check_eq "Linux 5.10 board: exactly these are missing" \
		"cgroup.kill mount_setattr close_range idmap.root idmap.bundle " "$MISSING"
	check_match "... and cgroup.freeze (5.2) is there: kill --all freezes, signals, thaws" \
		'^cgroup\.freeze +present' "$TEXT"
	;;
qemu-x86_64 | qemu-aarch64)
	# the state root is on a tmpfs (idmappable from 6.3), the repo on an overlay (from 6.6):
	# the overlay root over 9p on x86_64, a tmpfs overlay of the host's copy on aarch64
	check_eq "$RUNT_BOARD board (Linux 6.1): exactly these are missing" "idmap.root idmap.bundle " \
		"$MISSING"
	;;
qemu-armv7)
	# 32-bit ARM kernels have no time namespaces (no CONFIG_TIME_NS)
	check_eq "armv7 board (Linux 6.1): exactly these are missing" \
		"ns.time idmap.root idmap.bundle " "$MISSING"
	;;
*) skip "the exact missing set" "asserted on the boards only (this host: $MISSING)" ;;
esac

rtc check --format json --bundle "$TESTS"
check_rc "check --format json exits 0" 0
check_match "json: ok is true" '"ok":true}$' "$OUT"
check_eq "json: one object per text line" "$(printf '%s\n' "$TEXT" | wc -l)" \
	"$(printf '%s' "$OUT" | grep -o '"name":' | wc -l)"
if command -v python3 >/dev/null 2>&1; then
	check "json: valid JSON" python3 -c 'import json,sys; json.loads(sys.argv[1])' "$OUT"
else
	skip "json: valid JSON" "no python3"
fi
[ -z "$MISSING" ] || check_match "json: a missing item carries disables and config" \
	'"present":false,"disables":"[^"]+","config":"[^"]*"}' "$OUT"

rtc check --format yaml
check_err "an unknown format is refused" 'unknown format "yaml"'

# The CONFIG_ options of missing items carry their state from the kernel's config:
# /boot/config-<release> (Debian's kernels, the x86 boards), else /proc/config.gz (this build
# machine's kernel: IKCONFIG, no /boot config; runt inflates it itself). seccomp and bpf
# failing ENOSYS make two items with options missing.
if [ -r "/boot/config-$(uname -r)" ]; then
	KSRC=/boot/config-$(uname -r) KCFG=$(cat "$KSRC")
elif [ -r /proc/config.gz ]; then
	KSRC=/proc/config.gz KCFG=$(gzip -dc /proc/config.gz)
else
	KSRC='' KCFG=''
fi
if [ -x "$PROBE" ]; then
	# (under tests/old-kernel.sh $RUNT is probe enosys itself, which needs seccomp: one probe)
	OUT=$("$PROBE" enosys "seccomp,bpf${RUNT_OLD_KERNEL:+,$RUNT_OLD_KERNEL}" "${RUNT_REAL:-$RUNT}" check 2>&1)
	check_match "seccomp failing ENOSYS: missing, with its option" \
		'^seccomp +missing: disables linux\.seccomp; CONFIG_SECCOMP_FILTER' "$OUT"
	# each option as reported: NAME=VALUE, "NAME is not set", or NAME alone (no config)
	OPTS=$(printf '%s\n' "$OUT" | sed -n 's/^[^ ]* *missing: disables [^;]*; //p' | tr ';' '\n' |
		sed 's/^ *//' | grep .)
	if [ -n "$KCFG" ]; then
		bad=$(printf '%s\n' "$OPTS" | while IFS= read -r o; do
			case $o in
			"") ;;
			*" is not set") printf '%s\n' "$KCFG" | grep -q "^${o% is not set}=" && echo "$o" ;;
			*=*) printf '%s\n' "$KCFG" | grep -qxF "$o" || echo "$o" ;;
			*) echo "$o (no state)" ;;
			esac
		done)
		check_eq "every option's state is the one in $KSRC ($(echo "$OPTS" | wc -l) options)" "" "$bad"
		check_match "... CONFIG_CGROUP_BPF and CONFIG_SECCOMP_FILTER among them" \
			'CONFIG_CGROUP_BPF(=| is not set).*CONFIG_SECCOMP_FILTER(=| is not set)' \
			"$(printf '%s\n' "$OPTS" | tr '\n' ' ')"
	else
		check_eq "no kernel config readable: options named without a state" "" \
			"$(printf '%s\n' "$OPTS" | grep -E '=| is not set')"
	fi
fi

# Old kernel: a default container still runs, the missing syscalls are named.
if [ -x "$PROBE" ]; then
	OUT=$("$PROBE" enosys clone3,pidfd_open,openat2,open_tree,mount_setattr,close_range "$RUNT" check 2>&1)
	RC=$?
	check_rc "check under ENOSYS for the post-5.2 syscalls exits 0" 0
	check_eq "... and names exactly those as missing (idmap with them)" \
		"clone3 clone3.cgroup pidfd openat2 mount_setattr close_range idmap.root idmap.bundle " \
		"$(printf '%s\n' "$OUT" | grep -E '^(clone3|pidfd|openat2|mount_setattr|close_range|idmap)' |
			awk '$2 == "missing:" { printf "%s ", $1 }')"
fi

done_testing
