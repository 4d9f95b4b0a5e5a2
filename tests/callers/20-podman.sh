#!/bin/sh
# 20-podman.sh - podman 4.3 (with conmon) driving runt: `--runtime /path/to/runt`, a busybox
# rootfs (--rootfs, no registry), storage in $WORK, cgroupfs manager, no network. podman's
# own defaults stay: its seccomp profile, capability set, pids limit and device rules.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/callers/lib.sh"
callers_require podman conmon script

diag "$(podman --version 2>&1)"
make_rootfs
# The system containers.conf (podman's defaults) plus what a device without systemd needs;
# runtime_supports_json makes podman pass --log-format=json --log and read runt's errors
# from that log, as it does for runc and crun.
sed -e '/^\[engine\]$/a cgroup_manager = "cgroupfs"\nevents_logger = "file"\nruntime_supports_json = ["runt"]' \
	/usr/share/containers/containers.conf >"$WORK/containers.conf"
export CONTAINERS_CONF="$WORK/containers.conf"

PM="podman --root $WORK/storage --runroot $WORK/run --tmpdir $WORK/tmp --storage-driver vfs --runtime $RUNT"
pm() {
	timeout 120 podman --root "$WORK/storage" --runroot "$WORK/run" --tmpdir "$WORK/tmp" \
		--storage-driver vfs --runtime "$RUNT" "$@"
}

# prun ARGS...: podman run --rm with our rootfs; sets RC, OUT, ERR.
prun() {
	capture pm run --rm --network none "$@"
}

NEEDS='seccomp (podman applies its default profile) and cgroup resources (pids_limit 2048, device rules)'

capture pm info --format '{{.Host.OCIRuntime.Name}} | {{.Host.OCIRuntime.Version}} | {{.Host.CgroupManager}} {{.Host.CgroupsVersion}}'
check_match "podman info: the OCI runtime is runt" 'runt \| runt version [0-9]' "$OUT"
check_match "podman info: cgroupfs manager on cgroup v2" '\| cgroupfs v2$' "$OUT"

# --- output and exit codes ---
prun --rootfs "$ROOTFS" sh -c 'echo out-$((6*7)); echo err-1 >&2; exit 3'
check_out "run: the container's exit status (3) is podman's" "$NEEDS" 3 "$RC" "$ERR"
check_has "run: stdout comes through conmon" "$NEEDS" '^out-42$' "$OUT"
check_has "run: stderr comes through conmon" "$NEEDS" '^err-1$' "$ERR"

# --- podman's default capability set and seccomp profile ---
prun --rootfs "$ROOTFS" grep -E '^(CapBnd|CapEff|NoNewPrivs|Seccomp):' /proc/self/status
# CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP SETGID SETPCAP SETUID SYS_CHROOT
check_has "podman's default capabilities are the bounding set" "$NEEDS" '^CapBnd:[[:space:]]+00000000800405fb$' "$OUT"
check_has "and the effective set" "$NEEDS" '^CapEff:[[:space:]]+00000000800405fb$' "$OUT$ERR"
check_has "podman's default seccomp profile is applied (Seccomp: 2)" "$NEEDS" '^Seccomp:[[:space:]]+2$' "$OUT$ERR"

# --- podman's default AppArmor profile: on an AppArmor host podman loads
# containers-default-<version> and sends it as process.apparmorProfile (issue 18) ---
AA_RE='^containers-default-[0-9.]+ \(enforce\)$'
if [ -d /sys/kernel/security/apparmor ]; then
	prun --rootfs "$ROOTFS" cat /proc/self/attr/current
	check_has "podman's default AppArmor profile confines the container" "AppArmor" "$AA_RE" \
		"$OUT$ERR"
else
	skip "podman's default AppArmor profile" "the host runs no AppArmor"
fi

# --- resource limits ---
prun --memory 64m --pids-limit 50 --cpus 0.5 --rootfs "$ROOTFS" \
	cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.max
check_has "--memory 64m is the container's memory.max" "$NEEDS" '^67108864$' "$OUT$ERR"
check_has "--pids-limit 50 is its pids.max" "$NEEDS" '^50$' "$OUT$ERR"
check_has "--cpus 0.5 is its cpu.max" "$NEEDS" '^50000 100000$' "$OUT$ERR"

# --- run -it: the pty travels through conmon's console socket ---
printf 'echo typed-$((6*7))\nexit 9\n' >"$WORK/.in"
on_tty "$PM run --rm -it --network none --rootfs $ROOTFS /bin/sh"
check_has "run -it: what we type reaches the shell, its output comes back" "$NEEDS" 'typed-42' "$OUT"
check_out "run -it: the shell's exit status (9)" "$NEEDS" 9 "$RC" "$OUT"

# --- -d, then exec, pause/unpause, kill ---
capture pm run -d --name d1 --annotation io.runt.test=a-42 --network none --rootfs "$ROOTFS" \
	sleep 1000
check_out "run -d exits 0" "$NEEDS" 0 "$RC" "$ERR"
full=$(pm inspect -f '{{.Id}}' d1 2>/dev/null)
capture pm exec d1 sh -c 'echo in-exec; exit 5'
check_out "exec: its exit status (5)" "$NEEDS" 5 "$RC" "$ERR"
check_has "exec: its output" "$NEEDS" '^in-exec$' "$OUT"
if [ -d /sys/kernel/security/apparmor ]; then
	capture pm exec d1 cat /proc/self/attr/current
	check_has "exec: the process has podman's AppArmor profile too" "AppArmor" "$AA_RE" "$OUT$ERR"
fi
check_has "runt state carries podman's --annotation" "$NEEDS" '"io.runt.test": *"a-42"' \
	"$("$RUNT" state "$full" 2>&1)"
capture pm exec --user 1000:1000 --workdir /bin --env RUNT_K=v-7 d1 \
	sh -c 'echo "$(id -u):$(id -g) $(pwd) $RUNT_K"'
check_out "exec --user --workdir --env: the process fields arrive" "$NEEDS" "1000:1000 /bin v-7" \
	"$OUT" "$ERR"
capture pm update --memory 32m d1
check_out "update --memory exits 0 (runt update --resources)" "$NEEDS" 0 "$RC" "$ERR"
capture pm exec d1 cat /sys/fs/cgroup/memory.max
check_out "update: the container's memory.max is the new limit" "$NEEDS" 33554432 "$OUT" "$ERR"
on_tty "$PM exec -it d1 sh -c 'tty; exit 4'"
check_has "exec -it: a pty of the container (console socket)" "$NEEDS" '^/dev/pts/[0-9]+' "$OUT"
check_out "exec -it: exit status 4" "$NEEDS" 4 "$RC" "$OUT"
capture pm pause d1
check_out "pause exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "runt state says paused" "$NEEDS" paused "$(json_get status "$("$RUNT" state "$full" 2>&1)")"
capture pm unpause d1
check_out "unpause exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "podman sees it running again" "$NEEDS" running "$(pm inspect -f '{{.State.Status}}' d1 2>&1)"
capture pm container checkpoint d1
check_match "checkpoint is refused clearly (runt has no CRIU; podman checks for criu first)" \
	'CRIU|checkpoint/restore is not supported|does not support checkpoint/restore' "$ERR"
capture pm kill d1
check_out "kill exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "the killed container exited with 137" "$NEEDS" 137 "$(pm wait d1 2>&1)"

# --- stop delivers SIGTERM to the container's process ---
capture pm run -d --name d2 --network none --rootfs "$ROOTFS" \
	sh -c 'trap "exit 42" TERM; while :; do sleep 0.2; done'
capture pm stop -t 20 d2
check_out "stop exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "the process got SIGTERM and exited 42" "$NEEDS" 42 "$(pm inspect -f '{{.State.ExitCode}}' d2 2>&1)"

# --- rm -f removes a running container, in runt too ---
capture pm run -d --name d3 --network none --rootfs "$ROOTFS" sleep 1000
full=$(pm inspect -f '{{.Id}}' d3 2>/dev/null)
capture pm rm -f d3
check_out "rm -f of a running container exits 0" "$NEEDS" 0 "$RC" "$ERR"
capture "$RUNT" state "${full:-none}"
check_match "runt no longer knows it" 'does not exist' "$ERR"

# --- rm -f of a paused container ---
capture pm run -d --name d4 --network none --rootfs "$ROOTFS" sleep 1000
full=$(pm inspect -f '{{.Id}}' d4 2>/dev/null)
capture pm pause d4
capture pm rm -f d4
check_out "rm -f of a paused container exits 0" "$NEEDS" 0 "$RC" "$ERR"
capture "$RUNT" state "${full:-none}"
check_match "runt no longer knows the paused one" 'does not exist' "$ERR"

# --- a failing run shows runt's message, read from runt's JSON log ---
prun --rootfs "$ROOTFS" /nonexistent
check_out "a missing command: exit 127 as with runc" "$NEEDS" 127 "$RC" "$ERR"
check_has "podman shows runt's message" "$NEEDS" 'exec \"/nonexistent\": No such file or directory' "$ERR"
capture pm create --name f1 --network none --rootfs "$ROOTFS" /nonexistent
full=$OUT
capture pm start f1
# the msg of the last error line, its JSON escapes (\" and \\) undone
msg=$(sed -nE 's/.*"level":"error","msg":"(([^"\\]|\\.)*)".*/\1/p' \
	"$WORK/run/vfs-containers/$full/userdata/oci-log" 2>/dev/null | tail -n 1 |
	sed -e 's/\\"/"/g' -e 's/\\\\/\\/g')
check_ne "runt wrote an error line to the JSON log podman gave it (--log-format=json --log)" "" "$msg"
# podman: `unable to start container "ID": /path/to/runt: <runt's message>: OCI runtime ...`
if [ -n "$msg" ] && printf '%s\n' "$ERR" | grep -qF -- "$RUNT: $msg"; then
	ok "podman's error is that line's message"
else
	not_ok "podman's error is that line's message"
	diag "line: $msg" "podman: $ERR"
fi

pm rm -fa >/dev/null 2>&1
for p in $(pids_of "$WORK"); do kill -KILL "$p" 2>/dev/null; done
unmount_work
leftovers_check "podman"
callers_done
