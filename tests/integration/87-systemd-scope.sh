#!/bin/sh
# 87-systemd-scope.sh - runt's systemd driver against a real systemd on a host that does not
# run one: the host's systemd started as a user manager (as root) in private mount and cgroup
# namespaces below runt's test cgroup, its bus given to runt as the system bus. The scope is
# made with the init in it (Delegate, Slice), start/exec/pause work in it, `systemctl stop`
# of the scope stops the container, delete leaves no unit, systemd's own errors come back by
# name. Nothing of the host's is touched: /run and the cgroup mount are the namespace's own.
# (The systemd board runs the same with limits and real controllers: tests/systemd.)
TESTS=$(cd "$(dirname "$0")/.." && pwd)
. "$TESTS/lib.sh"
require_runt
require_systemd_driver
[ -x /lib/systemd/systemd ] && [ -f /usr/lib/systemd/user/dbus.socket ] &&
	command -v unshare >/dev/null 2>&1 ||
	skip_all "needs systemd, its user dbus.socket (dbus-user-session) and unshare"
MNT=$(awk '$3 == "cgroup2" && ($2 == "/sys/fs/cgroup" || $2 == "/sys/fs/cgroup/unified") \
	{ print $2; exit }' /proc/mounts)
[ -n "$MNT" ] || skip_all "no cgroup2 mount"
CG=$MNT/runt-it-sd$$
mkdir "$CG" || skip_all "cannot make $CG"

# The namespace's side: the manager in mgr/, runt in cli/ (the manager moves the init from
# there), results as key=value lines on stdout.
cat >"$WORK/inner.sh" <<'EOF'
# tmpfs first: where /sys/fs/cgroup is cgroup2 itself (the board), the kernel refuses the
# same filesystem mounted again on its own root (EBUSY)
mount -t tmpfs tmpfs /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup &&
	mount -t tmpfs tmpfs /run &&
	mkdir -p /run/systemd/system /run/user/0 /sys/fs/cgroup/mgr /sys/fs/cgroup/cli || exit 3
chmod 700 /run/user/0
export XDG_RUNTIME_DIR=/run/user/0
echo $$ >/sys/fs/cgroup/mgr/cgroup.procs
/lib/systemd/systemd --user --unit=basic.target >"$WORK/systemd.log" 2>&1 &
SD=$!
echo $$ >/sys/fs/cgroup/cli/cgroup.procs
i=0
until [ -S /run/user/0/bus ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
export DBUS_SYSTEM_BUS_ADDRESS=unix:path=/run/user/0/bus
R="$RUNT --root $WORK/sdstate"
sd() { systemctl --user show -p "$2" --value "$1"; }
st() { $R state "$1" 2>/dev/null | sed -n 's/.*"'"$2"'": *"\{0,1\}\([^",]*\).*/\1/p'; }
ms() { echo $(($(date +%s%N) / 1000000)); }

t0=$(ms)
$R --systemd-cgroup create --bundle "$WORK/c1" c1 </dev/null >/dev/null 2>"$WORK/c1.err"
echo "create_rc=$? create_ms=$(($(ms) - t0))"
echo "c1_state=$(sd runt-c1.scope ActiveState) c1_delegate=$(sd runt-c1.scope Delegate)"
echo "c1_slice=$(sd runt-c1.scope Slice)"
pid=$(st c1 pid)
echo "c1_cgroup=$(sed -n 's/^0:://p' /proc/$pid/cgroup)"
$R start c1 && echo start=ok
echo "exec_out=$($R exec c1 echo in-scope)"
$R pause c1 && echo "paused=$(st c1 status) frozen=$(grep frozen "/sys/fs/cgroup$(sed -n 's/^0:://p' /proc/$pid/cgroup)/cgroup.events")"
$R resume c1 && echo "resumed=$(st c1 status)"
timeout 60 systemctl --user stop runt-c1.scope && echo stop_rc=0
i=0
until [ "$(st c1 status)" = stopped ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
echo "after_stop=$(st c1 status)"
t0=$(ms)
$R delete c1 && echo "delete_rc=0 delete_ms=$(($(ms) - t0))"
echo "c1_after=$(sd runt-c1.scope LoadState)"

$R --systemd-cgroup run -d --bundle "$WORK/c2" c2 </dev/null >/dev/null 2>&1
echo "c2_state=$(sd runt-c2.scope ActiveState)"
$R delete -f c2 && echo "c2_after=$(sd runt-c2.scope LoadState)"

$R --systemd-cgroup run -d --bundle "$WORK/c5" c5 </dev/null >/dev/null 2>&1
i=0
until [ "$(st c5 status)" = stopped ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
$R kill --all c5 KILL 2>"$WORK/c5.err"
echo "c5_kill_all=$? c5_delete=$($R delete c5 && echo 0)"
$R --systemd-cgroup run --bundle "$WORK/c3" c3 </dev/null >/dev/null 2>"$WORK/c3.err"
echo "c3_rc=$? c3_state=$([ -e "$WORK/sdstate/c3" ] && echo left || echo none)"
echo "leftover_scopes=$(systemctl --user list-units --all --no-legend 'runt-*' | wc -l)"
t0=$(ms) # the same lifecycle without systemd, for the figures
$R create --bundle "$WORK/c2" c4 </dev/null >/dev/null 2>&1
t1=$(ms)
$R delete -f c4
echo "cgroupfs_create_ms=$((t1 - t0)) cgroupfs_delete_ms=$(($(ms) - t1))"
kill $SD
wait $SD
EOF

B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:c1"' bundle c1 /bin/sh -c \
	'trap "exit 0" TERM; while :; do sleep 0.2; done')
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:c2"' bundle c2 /bin/sh -c 'exec sleep 100')
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:x y"' bundle c3 /bin/true)
B=$(RUNT_EXTRA_LINUX='"cgroupsPath": ":runt:c5"' bundle c5 /bin/sh -c 'exit 7')
OUT=$(sh -c 'echo $$ >"$1/cgroup.procs" && exec unshare -m -C --propagation private \
	env RUNT="$2" WORK="$3" sh "$3/inner.sh"' - "$CG" "$RUNT" "$WORK" 2>"$WORK/inner.err")
diag "$(printf '%s\n' "$OUT" | grep _ms=)"
v() { printf '%s\n' "$OUT" | tr ' ' '\n' | sed -n "s/^$1=//p"; }

check_eq "create --systemd-cgroup exits 0" 0 "$(v create_rc)"
check_eq "systemd made the scope runt-c1.scope: active, Delegate=yes" "active yes" \
	"$(v c1_state) $(v c1_delegate)"
check_eq "... in the slice of cgroupsPath's default (system.slice)" system.slice "$(v c1_slice)"
check_match "the init is in the scope's cgroup" '/system.slice/runt-c1.scope$' "$(v c1_cgroup)"
check_eq "start, exec in the scope" "ok in-scope" "$(v start) $(printf '%s\n' "$OUT" |
	sed -n 's/^exec_out=//p')"
check_eq "pause freezes the scope, resume thaws it" "paused 1 running" \
	"$(v paused) $(printf '%s\n' "$OUT" | sed -n 's/.*frozen=frozen //p') $(v resumed)"
check_eq "systemctl stop of the scope stops the container" "0 stopped" \
	"$(v stop_rc) $(v after_stop)"
check_eq "delete: exits 0, no unit is left" "0 not-found" "$(v delete_rc) $(v c1_after)"
check_eq "run -d, then delete -f of the running one: no unit left" "active not-found" \
	"$(v c2_state) $(v c2_after)"
check_eq "a container that ended by itself: kill --all succeeds (systemd removed its \
scope's cgroup; containerd's CRI kills so before delete), delete too" "0 0" \
	"$(v c5_kill_all) $(v c5_delete)"
check_ne "a unit name systemd refuses: run fails" 0 "$(v c3_rc)"
check_match "... with systemd's error by name, in runt's words" \
	'create cgroup: systemd: org.freedesktop.DBus.Error.InvalidArgs: ' "$(cat "$WORK/c3.err")"
check_eq "... and leaves no state" none "$(v c3_state)"
check_eq "no runt scope is left in the manager" 0 "$(v leftover_scopes)"
[ "$T_FAIL" = 0 ] || diag "$(cat "$WORK/inner.err")" "$(tail -n 20 "$WORK/systemd.log")"
find "$CG" -depth -type d -exec rmdir {} \; 2>/dev/null
check "the test's cgroup is gone (no process left in it)" test ! -d "$CG"

done_testing
