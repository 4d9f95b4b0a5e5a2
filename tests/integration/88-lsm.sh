#!/bin/sh
# 88-lsm.sh - AppArmor profiles and SELinux labels (issue 18). A host that runs the LSM gets
# them applied (the profile confines the process from its first instruction: a denied path
# fails, /proc/self/attr/current names it, for run and exec); a host that does not refuses
# them, as runc does, and `features` says which is which. The AppArmor part needs an
# AppArmor kernel and apparmor_parser: the board (Debian's kernel), not this host.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

AA=false SE=false
[ -d /sys/kernel/security/apparmor ] && AA=true
# SELinux with no policy loaded yet labels nothing: every task's context is "kernel" (runt
# then refuses a label, as runc does)
[ -e /sys/fs/selinux/enforce ] && [ "$(tr -d '\0' </proc/self/attr/current)" != kernel ] && SE=true

# --- features tells what the host runs ---
rtc features
f=$(printf '%s' "$OUT" | tr -d ' \n')
check_eq "features: apparmor.enabled is the host's ($AA)" "$AA" \
	"$(printf '%s' "$f" | sed -n 's/.*"apparmor":{"enabled":\([a-z]*\)}.*/\1/p')"
check_eq "features: selinux.enabled is the host's ($SE)" "$SE" \
	"$(printf '%s' "$f" | sed -n 's/.*"selinux":{"enabled":\([a-z]*\)}.*/\1/p')"

# --- an LSM the host does not run: refused before anything is made, as runc does ---
if [ "$AA" = false ]; then
	B=$(RUNT_EXTRA_PROCESS='"apparmorProfile": "runt-none"' bundle aa-off /bin/probe exit 0)
	rtc run --bundle "$B" "$(cid aa-off)"
	check_err "apparmorProfile without AppArmor is refused" \
		'label "runt-none": AppArmor is not enabled on this host'
	leftovers_check "refused apparmorProfile"
else
	skip "apparmorProfile refused without AppArmor" "this host runs AppArmor"
fi
if [ "$SE" = false ]; then
	B=$(RUNT_EXTRA_PROCESS='"selinuxLabel": "system_u:system_r:container_t:s0"' \
		bundle se-off /bin/probe exit 0)
	rtc run --bundle "$B" "$(cid se-off)"
	check_err "selinuxLabel without SELinux is refused" \
		'label "system_u:system_r:container_t:s0": SELinux is not enabled on this host'
	B=$(RUNT_EXTRA_LINUX='"mountLabel": "system_u:object_r:container_file_t:s0:c1,c2"' \
		bundle ml-off /bin/probe exit 0)
	rtc run --bundle "$B" "$(cid ml-off)"
	check_err "mountLabel without SELinux is refused" 'SELinux is not enabled on this host'
	leftovers_check "refused SELinux labels"
	B=$(RUNT_EXTRA_PROCESS='"selinuxLabel": "", "apparmorProfile": ""' \
		RUNT_EXTRA_LINUX='"mountLabel": ""' bundle empty /bin/probe exit 0)
	rtc run --bundle "$B" "$(cid empty)"
	check_rc "empty labels are no labels: the container runs" 0
else
	skip "SELinux labels refused without SELinux" "this host runs SELinux"
fi

# --- AppArmor for real ---
if [ "$AA" = true ] && command -v apparmor_parser >/dev/null 2>&1; then
	P=runt-it-$$
	# signal and ptrace: runt (unconfined) signals the container and reads its /proc/PID
	cat >"$WORK/profile" <<EOF
profile $P flags=(attach_disconnected,mediate_deleted) {
  file,
  capability,
  network,
  unix,
  signal,
  ptrace,
  mount,
  umount,
  pivot_root,
  deny /secret rw,
}
EOF
	if apparmor_parser -r "$WORK/profile" >"$WORK/aa.log" 2>&1; then
		ok "apparmor_parser loads the test profile $P"
	else
		not_ok "apparmor_parser loads the test profile $P"
		diag "$(cat "$WORK/aa.log")"
	fi
	cur=/proc/self/attr/current
	B=$(RUNT_EXTRA_PROCESS="\"apparmorProfile\": \"$P\"" \
		bundle aa /bin/probe read $cur read /secret read /open)
	echo s >"$B/rootfs/secret"
	echo o >"$B/rootfs/open"
	rtc run --bundle "$B" "$(cid aa)"
	check_rc "run with apparmorProfile exits 0" 0
	check_eq "run: attr/current names the profile" "$P (enforce)" "$(kv read.$cur "$OUT")"
	check_eq "run: the path the profile denies fails" "error EACCES" "$(kv read./secret "$OUT")"
	check_eq "run: a path it allows reads" o "$(kv read./open "$OUT")"

	B=$(RUNT_EXTRA_PROCESS="\"apparmorProfile\": \"runt-missing-$$\"" bundle aa-miss /bin/probe exit 0)
	rtc run --bundle "$B" "$(cid aa-miss)"
	check_err "a profile the kernel does not have fails the run" "runt-missing-$$" AppArmor
	leftovers_check "failed profile"

	# CVE-2019-16884: a config mounting its own files over /proc must not turn the profile
	# into a write to an ordinary file (and an unconfined container): runt refuses the mount
	# (mount.c) and writes through its own procfs (procfs.c) anyway
	mkdir -p "$WORK/fakeproc/thread-self/attr/apparmor"
	: >"$WORK/fakeproc/thread-self/attr/apparmor/exec"
	B=$(RUNT_EXTRA_PROCESS="\"apparmorProfile\": \"$P\"" RUNT_EXTRA_MOUNTS="{\"destination\": \
\"/proc\", \"type\": \"bind\", \"source\": \"$WORK/fakeproc\", \"options\": [\"rbind\"]}" \
		bundle aa-fake /bin/probe read $cur)
	rtc run --bundle "$B" "$(cid aa-fake)"
	check_ne "a fake /proc: the run fails instead of running unconfined" 0 "$RC"
	check_eq "a fake /proc: nothing was written to its file" "" \
		"$(cat "$WORK/fakeproc/thread-self/attr/apparmor/exec")"
	leftovers_check "fake /proc"
fi

# --- exec: --apparmor, --process-label, process.json, or the container's own ---
idu=$(cid lsm-u)
B=$(bundle lsm-u /bin/probe sleep 300)
rt_create "$idu" "$B"
rtc start "$idu"
if [ "$AA" = false ]; then
	rtc exec --apparmor runt-none "$idu" /bin/probe exit 0
	check_err "exec --apparmor without AppArmor is refused" 'AppArmor is not enabled'
	echo '{"args": ["/bin/probe", "exit", "0"], "apparmorProfile": "runt-none"}' >"$WORK/p.json"
	rtc exec --process "$WORK/p.json" "$idu"
	check_err "exec --process with apparmorProfile without AppArmor is refused" \
		'AppArmor is not enabled'
fi
if [ "$SE" = false ]; then
	rtc exec --process-label system_u:system_r:container_t:s0 "$idu" /bin/probe exit 0
	check_err "exec --process-label without SELinux is refused" 'SELinux is not enabled'
fi
if [ -n "${P:-}" ]; then
	rtc exec --apparmor "$P" "$idu" /bin/probe read $cur read /proc/1/attr/current
	check_eq "exec --apparmor confines the new process" "$P (enforce)" "$(kv read.$cur "$OUT")"
	check_eq "exec --apparmor: the init stays unconfined" unconfined \
		"$(kv read./proc/1/attr/current "$OUT")"
	echo "{\"args\": [\"/bin/probe\", \"read\", \"$cur\"], \"apparmorProfile\": \"$P\"}" \
		>"$WORK/p.json"
	rtc exec --process "$WORK/p.json" "$idu"
	check_eq "exec --process: process.json's apparmorProfile" "$P (enforce)" \
		"$(kv read.$cur "$OUT")"
	idc=$(cid lsm-c)
	B=$(RUNT_EXTRA_PROCESS="\"apparmorProfile\": \"$P\"" bundle lsm-c /bin/probe sleep 300)
	rt_create "$idc" "$B"
	rtc start "$idc"
	rtc exec "$idc" /bin/probe read $cur
	check_eq "exec without --apparmor takes the container's profile (runc)" "$P (enforce)" \
		"$(kv read.$cur "$OUT")"
	rtc delete --force "$idc"

	apparmor_parser -R "$WORK/profile" >/dev/null 2>&1
else
	skip "AppArmor applied for real" "needs AppArmor and apparmor_parser (the board)"
fi
rtc delete --force "$idu"
leftovers_check
done_testing
