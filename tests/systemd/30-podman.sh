#!/bin/sh
# 30-podman.sh - podman 4.3 with its default cgroup manager under systemd (cgroup_manager =
# "systemd") and `--runtime` runt with its systemd driver: podman asks for
# machine.slice:libpod:<id>, runt makes libpod-<id>.scope over D-Bus; run, exec, pause and
# rm work through it, and nothing (unit, state) is left.
TESTS=$(cd "$(dirname "$0")/.." && pwd)
. "$TESTS/callers/lib.sh"
callers_require podman conmon
[ -d /run/systemd/system ] && [ "$(cat /proc/1/comm)" = systemd ] ||
	skip_all "needs a board guest booted with systemd (make board-systemd)"
"$RUNT" features | grep -q '"systemd":true' ||
	skip_all "$RUNT has no systemd cgroup driver (built with SYSTEMD_CGROUP=0)"

diag "$(podman --version 2>&1)"
make_rootfs
sed -e '/^\[engine\]$/a cgroup_manager = "systemd"\nevents_logger = "file"\nruntime_supports_json = ["runt"]' \
	/usr/share/containers/containers.conf >"$WORK/containers.conf"
export CONTAINERS_CONF="$WORK/containers.conf"
pm() {
	timeout 120 podman --root "$WORK/storage" --runroot "$WORK/run" --tmpdir "$WORK/tmp" \
		--storage-driver vfs --runtime "$RUNT" "$@"
}
show() {
	timeout 20 systemctl show -p "$2" --value "$1" 2>&1
}
NEEDS='the systemd cgroup driver'

capture pm info --format '{{.Host.CgroupManager}} {{.Host.CgroupsVersion}}'
check_out "podman info: systemd manager on cgroup v2" "$NEEDS" "systemd v2" "$OUT" "$ERR"

capture pm run --rm --network none --memory 64m --pids-limit 50 --rootfs "$ROOTFS" \
	sh -c 'cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/pids.max'
check_out "run --rm exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_has "--memory 64m: memory.max" "$NEEDS" '^67108864$' "$OUT"
check_has "--pids-limit 50: pids.max" "$NEEDS" '^50$' "$OUT"

capture pm run -d --name s1 --memory 64m --network none --rootfs "$ROOTFS" sleep 1000
check_out "run -d exits 0" "$NEEDS" 0 "$RC" "$ERR"
full=$(pm inspect -f '{{.Id}}' s1 2>/dev/null)
unit=libpod-$full.scope
check_out "the container's scope is active" "$NEEDS" active "$(show "$unit" ActiveState)"
check_out "... below machine.slice, podman's parent" "$NEEDS" "/machine.slice/$unit" \
	"$(show "$unit" ControlGroup)"
check_out "systemd has podman's memory limit as MemoryMax" "$NEEDS" 67108864 \
	"$(show "$unit" MemoryMax)"
capture pm exec s1 sh -c 'echo in-exec; exit 5'
check_out "exec: its exit status (5)" "$NEEDS" 5 "$RC" "$ERR"
check_has "exec: its output" "$NEEDS" '^in-exec$' "$OUT"
capture pm pause s1
check_out "pause exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "runt state says paused" "$NEEDS" paused "$(json_get status "$("$RUNT" state "$full" 2>&1)")"
capture pm unpause s1
check_out "unpause exits 0" "$NEEDS" 0 "$RC" "$ERR"
capture pm rm -f s1
check_out "rm -f exits 0" "$NEEDS" 0 "$RC" "$ERR"
check_out "rm -f leaves no unit" "$NEEDS" not-found "$(show "$unit" LoadState)"

pm rm -fa >/dev/null 2>&1
for p in $(pids_of "$WORK"); do kill -KILL "$p" 2>/dev/null; done
unmount_work
leftovers_check "podman"
callers_done
