#!/bin/sh
# 25-podman-rootless.sh - rootless podman (issue 15): an unprivileged user with /etc/subuid
# and /etc/subgid ranges runs podman --runtime runt, with podman's own choices for that case:
# its user namespace made by newuidmap/newgidmap (runt runs in it as root, so rootless by
# detection, its state in $XDG_RUNTIME_DIR/runt), its default cgroup manager (cgroupfs, as
# there is no systemd user session here), vfs storage under the user's home, an image
# imported from a tarball (no registry).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/callers/lib.sh"
callers_require podman conmon newuidmap newgidmap setpriv

RU=runtuser
id -u "$RU" >/dev/null 2>&1 || useradd "$RU" 2>/dev/null || adduser -D "$RU" >/dev/null 2>&1 ||
	skip_all "cannot add user $RU"
RUID=$(id -u "$RU") RGID=$(id -g "$RU")
for f in /etc/subuid /etc/subgid; do
	grep -q "^$RU:" "$f" 2>/dev/null || echo "$RU:200000:65536" >>"$f"
done
SUBU=$(sed -n "s/^$RU:\([0-9]*\):.*/\1/p" /etc/subuid | head -n 1)
diag "$(podman --version 2>&1), user $RU ($RUID), subuids from $SUBU"

# The user's home and runtime dir, fresh under $WORK (which the user may cross)
chmod 711 "$WORK"
UH=$WORK/home XDG=$WORK/xdg
mkdir -p "$UH" "$XDG" && chown "$RU:$RGID" "$UH" "$XDG" && chmod 700 "$XDG"
RUNT_ROOT=$XDG/runt # where runt keeps the state (leftovers_check looks there)
# podman's own cgroup manager choice: systemd, which without a user session falls back to
# cgroupfs (asserted below); events to a file, as there is no journal
sed -e '/^\[engine\]$/a events_logger = "file"\nruntime_supports_json = ["runt"]' \
	/usr/share/containers/containers.conf >"$WORK/containers.conf"
chmod 644 "$WORK/containers.conf"

# upm ARGS...: podman as the user (a login-like environment, nothing of root's)
upm() {
	timeout 120 setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env -i PATH="$PATH" \
		HOME="$UH" USER="$RU" XDG_RUNTIME_DIR="$XDG" CONTAINERS_CONF="$WORK/containers.conf" \
		podman --storage-driver vfs --runtime "$RUNT" "$@"
}

make_rootfs
tar -C "$ROOTFS" -cf "$WORK/rootfs.tar" . && chmod 644 "$WORK/rootfs.tar"
capture upm import "$WORK/rootfs.tar" localhost/runt-busybox
check_rc "the user imports a busybox image into the storage under its home" 0
check "... the storage is under its home" test -d "$UH/.local/share/containers/storage/vfs"

capture upm info --format '{{.Host.CgroupManager}} {{.Host.Security.Rootless}} {{.Host.OCIRuntime.Version}}'
check_match "podman info: cgroupfs, rootless, runt" "^cgroupfs true runt version [0-9]" "$OUT"

# --- run --rm: output, exit status, podman's user namespace ---
capture upm run --rm --network none localhost/runt-busybox \
	sh -c 'echo out-$((6*7)); cat /proc/self/uid_map; ls -ln /dev/null; exit 3'
check_eq "run --rm: the container's exit status (3) is podman's" 3 "$RC"
[ "$RC" = 3 ] || diag "stderr: $ERR"
check_match "run --rm: its output" "^out-42\$" "$OUT"
check_match "podman's user namespace: the user is root" "^ +0 +$RUID +1\$" "$OUT"
check_match "... and its subordinate ids follow (newuidmap)" "^ +1 +$SUBU +65536\$" "$OUT"
check_match "/dev/null is the host's node, bound (runt runs in a user namespace)" \
	"^crw-rw-rw- +1 +65534 +65534 +1, +3 " "$OUT"

# --- run -d, exec, stop, rm ---
capture upm run -d --name r1 --network none localhost/runt-busybox \
	sh -c 'trap "exit 42" TERM; while :; do sleep 0.2; done'
check_rc "run -d exits 0" 0
full=$OUT
check "runt's state is in \$XDG_RUNTIME_DIR/runt" test -f "$XDG/runt/$full/state.json"
capture upm exec r1 sh -c 'echo in-exec; exit 5'
check_eq "exec: its exit status (5)" 5 "$RC"
check_eq "exec: its output" in-exec "$OUT"
capture upm stop -t 20 r1
check_rc "stop exits 0" 0
check_eq "the process got SIGTERM and exited 42" 42 "$(upm inspect -f '{{.State.ExitCode}}' r1 2>&1)"
capture upm rm r1
check_rc "rm exits 0" 0
check "runt's state is gone" test ! -e "$XDG/runt/$full"

upm rm -fa >/dev/null 2>&1
# podman's pause process keeps its user namespace alive between commands
pp=$(cat "$XDG/libpod/tmp/pause.pid" 2>/dev/null)
[ -z "$pp" ] || kill -KILL "$pp" 2>/dev/null
for p in $(pids_of "$WORK"); do kill -KILL "$p" 2>/dev/null; done
unmount_work
leftovers_check "rootless podman"
callers_done
