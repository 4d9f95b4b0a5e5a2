#!/bin/sh
# 45-rootless.sh - rootless mode (issue 15), run as an unprivileged user (created here when
# missing, with /etc/subuid and /etc/subgid ranges): state in $XDG_RUNTIME_DIR/runt (also as
# root in a user namespace), the user namespace it needs, id maps written directly (setgroups
# denied) or through newuidmap/newgidmap, no cgroup (with a warning) when none is writable
# and no limit asks for one, a delegated cgroup when there is one, the host's device nodes,
# /sys and /sys/fs/cgroup bound where they may not be mounted, and `runt spec --rootless`
# producing a config that runs.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt
command -v setpriv >/dev/null 2>&1 || skip_all "needs setpriv (util-linux)"

RU=runtuser
if ! id -u "$RU" >/dev/null 2>&1; then
	useradd -m "$RU" 2>/dev/null || adduser -D "$RU" >/dev/null 2>&1 || skip_all "cannot add user $RU"
fi
RUID=$(id -u "$RU") RGID=$(id -g "$RU")
for f in /etc/subuid /etc/subgid; do
	grep -q "^$RU:" "$f" 2>/dev/null || echo "$RU:200000:65536" >>"$f"
done
SUBU=$(sed -n "s/^$RU:\([0-9]*\):.*/\1/p" /etc/subuid | head -n 1)
SUBG=$(sed -n "s/^$RU:\([0-9]*\):.*/\1/p" /etc/subgid | head -n 1)
# runt and the probe must be reachable for the user
for f in "$RUNT" "$PROBE"; do
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups test -x "$f" ||
		skip_all "$f is not executable for $RU"
done

MNT=/sys/fs/cgroup
grep -q " $MNT cgroup2 " /proc/self/mounts || MNT=/sys/fs/cgroup/unified
XDG=$WORK/xdg
mkdir "$XDG" && chown "$RU" "$XDG" && chmod 700 "$XDG"
RUNT_ROOT=$XDG/runt # where the user's runt keeps state (scrub deletes as root from there)

# urt ARGS...: runt as the user, with its own runtime dir and no --root; sets RC OUT ERR.
urt() {
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env XDG_RUNTIME_DIR="$XDG" \
		timeout "$RT_TIMEOUT" "$RUNT" "$@" </dev/null >"$WORK/.out" 2>"$WORK/.err"
	RC=$?
	OUT=$(cat "$WORK/.out")
	ERR=$(cat "$WORK/.err")
}

SELF="[{\"containerID\": 0, \"hostID\": $RUID, \"size\": 1}]"
# ubundle NAME ARGS...: a bundle the user's runt can run: UMAP (default: the user's own id)
# for uids, the same with the user's gid and subgid range for gids; devpts without gid=5,
# which such a map lacks (as spec --rootless writes it)
ubundle() {
	RUNT_USERNS=1 RUNT_USERNS_MAP=${UMAP:-$SELF} bundle "$@" &&
		sed -i "s/, \"gid=5\"//; /gidMappings/{s/\"hostID\": $RUID,/\"hostID\": $RGID,/; s/\"hostID\": $SUBU,/\"hostID\": $SUBG,/}" \
			"$WORK/$1/config.json"
}

# idmap FILE: "0 1001 1|1 100000 65536"
idmap() {
	awk '{ s = s (NR > 1 ? "|" : "") $1 " " $2 " " $3 } END { print s }' "$1" 2>/dev/null
}

# --- runt spec --rootless: the config runs as it is (only the command swapped) ---
B=$WORK/spec
mkdir "$B" && chown "$RU" "$B"
bundle spec-rootfs /bin/probe id >/dev/null && mv "$WORK/spec-rootfs/rootfs" "$B/rootfs"
urt spec --rootless --bundle "$B"
check_rc "spec --rootless as $RU exits 0" 0
sed -i 's|"args": \[ "sh" \]|"args": [ "/bin/probe", "id" ]|' "$B/config.json"
urt run --bundle "$B" "$(cid spec)"
check_rc "the spec --rootless config runs as $RU" 0
check_eq "the process is root in its user namespace" 0 "$(kv uid "$OUT")"
check_match "no writable cgroup and no limits: a warning, no cgroup" \
	"warning: rootless: .*running without a cgroup" "$ERR"

# --- the init becomes non-dumpable only after both maps: it once did so as soon as it saw
# euid 0, i.e. once uid_map was written, and gid_map was then refused (EACCES on the Linux
# 6.1 board, by timing). strace holds the init's first geteuid() and runt after each write,
# which makes that interleaving certain. ---
ST="strace -f -o /dev/null -e trace=geteuid,write"
if $ST -e inject=geteuid:delay_enter=1 true 2>/dev/null; then
	B=$(ubundle race /bin/probe id)
	setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env XDG_RUNTIME_DIR="$XDG" \
		timeout "$RT_TIMEOUT" $ST -e inject=geteuid:delay_enter=200000:when=1 \
		-e inject=write:delay_exit=300000 "$RUNT" run --bundle "$B" "$(cid race)" \
		</dev/null >"$WORK/.out" 2>"$WORK/.err"
	RC=$? OUT=$(cat "$WORK/.out") ERR=$(cat "$WORK/.err")
	check_rc "gid_map is written after the init saw uid_map" 0
	check_eq "... and the process runs as root in its namespace" 0 "$(kv gid "$OUT")"
else
	skip "maps against a slow runt" "no strace with syscall delays"
fi

# --- state in $XDG_RUNTIME_DIR/runt; exec, kill, delete without a cgroup ---
id=$(cid det)
B=$(ubundle det /bin/probe sleep 60)
urt run -d --bundle "$B" "$id"
check_rc "run -d as $RU exits 0" 0
check "the state lives in \$XDG_RUNTIME_DIR/runt" test -f "$XDG/runt/$id/state.json"
check_eq "the state records no cgroup" "" "$(json_get cgroup "$(cat "$XDG/runt/$id/state.json")")"
pid=$(json_get pid "$(cat "$XDG/runt/$id/state.json" 2>/dev/null)")
check_eq "a map of the user's own ids: setgroups denied first (the kernel's rule)" deny \
	"$(cat "/proc/$pid/setgroups" 2>/dev/null)"
urt exec "$id" /bin/probe id
check_rc "exec joins the user namespace first" 0
check_eq "exec: root in the container" 0 "$(kv uid "$OUT")"
urt delete --force "$id"
check_rc "delete --force without a cgroup" 0
check "the state is gone" test ! -e "$XDG/runt/$id"

# --- the user namespace is required ---
B=$(RUNT_NAMESPACES="pid ipc uts mount" bundle nouser /bin/probe id)
urt run --bundle "$B" "$(cid nouser)"
check_err "no user namespace: a clear error" "rootless needs a user namespace"
check "... and no state" test ! -e "$XDG/runt/$(cid nouser)"

# --- no network namespace of its own: sysfs belongs to the host's network namespace, which
# the user's new user namespace may not mount; the host's /sys is bound instead (runc) ---
B=$(RUNT_NAMESPACES="pid ipc uts mount" ubundle nonet /bin/probe mountinfo)
urt run --bundle "$B" "$(cid nonet)"
check_rc "no network namespace of its own: runs as $RU" 0
check_match "... /sys is a read-only sysfs" '^mount=/sys type=sysfs opts=ro[,[:space:]]' "$OUT"
check "... the host's, bound with its submounts" test \
	"$(printf '%s\n' "$OUT" | grep '^mount=/sys/' | grep -vc '^mount=/sys/firmware ')" -gt 0

# --- a cgroup mount without a cgroup namespace: the user namespace may not mount cgroup2,
# so the host's /sys/fs/cgroup is bound (runc; rootless podman on a cgroup v1 host) ---
B=$(RUNT_NAMESPACES="pid ipc uts mount network" RUNT_EXTRA_MOUNTS='{"destination": "/sys/fs/cgroup", "type": "cgroup", "source": "cgroup", "options": ["nosuid", "noexec", "nodev", "ro"]}' \
	ubundle nocgns /bin/probe mountinfo)
urt run --bundle "$B" "$(cid nocgns)"
check_rc "a cgroup mount without a cgroup namespace runs as $RU" 0
check_match "... /sys/fs/cgroup is the host's, bound read-only" \
	'^mount=/sys/fs/cgroup type=[^ ]* opts=ro[,[:space:]]' "$OUT"

# --- limits without a writable cgroup: refused, nothing left ---
# (a hybrid host refuses it earlier: no pids controller in its cgroup2)
B=$(RUNT_EXTRA_LINUX='"resources": {"pids": {"limit": 10}}' ubundle lim /bin/probe id)
urt run --bundle "$B" "$(cid lim)"
if [ "$MNT" = /sys/fs/cgroup ]; then
	check_err "a limit without a writable cgroup is refused" "Permission denied" "delegated"
else
	check_err "a limit without a writable cgroup is refused" "pids"
fi
check "... and no state" test ! -e "$XDG/runt/$(cid lim)"

# --- --rootless takes auto|true|false ---
urt --rootless maybe list
check_err "--rootless=maybe is refused" "rootless" "maybe"
B=$(ubundle nofb /bin/probe id)
urt --rootless=false run --bundle "$B" "$(cid nofb)"
check_err "--rootless=false: no fallback, the cgroup error" "create cgroup" "Permission denied"

# --- more than one range: newuidmap/newgidmap with the user's subordinate ids ---
if command -v newuidmap >/dev/null 2>&1 && command -v newgidmap >/dev/null 2>&1; then
	B=$(UMAP="[{\"containerID\": 0, \"hostID\": $RUID, \"size\": 1}, {\"containerID\": 1, \"hostID\": $SUBU, \"size\": 65536}]" \
		RUNT_USER='{"uid": 1000, "gid": 1000}' ubundle sub /bin/probe sleep 60)
	id=$(cid sub)
	urt run -d --bundle "$B" "$id"
	check_rc "a two-range map as $RU runs (newuidmap)" 0
	pid=$(json_get pid "$(cat "$XDG/runt/$id/state.json" 2>/dev/null)")
	check_eq "uid_map has both ranges" "0 $RUID 1|1 $SUBU 65536" \
		"$(idmap "/proc/$pid/uid_map")"
	check_eq "gid_map has both ranges" "0 $RGID 1|1 $SUBG 65536" \
		"$(idmap "/proc/$pid/gid_map")"
	check_eq "container uid 1000 is host uid $((SUBU + 999))" "$((SUBU + 999))" \
		"$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status" 2>/dev/null)"
	check_eq "setgroups stays allowed (newgidmap)" allow "$(cat "/proc/$pid/setgroups" 2>/dev/null)"
	urt delete --force "$id"
	check_rc "delete --force of the two-range container" 0
	# a range the user does not own: newuidmap refuses, runt says so and leaves nothing
	B=$(UMAP="[{\"containerID\": 0, \"hostID\": $RUID, \"size\": 1}, {\"containerID\": 1, \"hostID\": 1, \"size\": 100}]" \
		ubundle notmine /bin/probe id)
	urt run --bundle "$B" "$(cid notmine)"
	check_err "a range not in /etc/subuid: a clear error" "newuidmap" "/etc/subuid"
	check "... and no state" test ! -e "$XDG/runt/$(cid notmine)"
else
	skip "two-range maps" "newuidmap/newgidmap missing (Debian: uidmap)"
fi

# --- root in a user namespace (how rootless podman runs its runtime): auto is rootless, the
# config has no user namespace of its own, device nodes are bound, no cgroup ---
if command -v unshare >/dev/null 2>&1; then
	id=$(cid inns)
	B=$(bundle inns /bin/probe stat /dev/null)
	sed -i 's/, "gid=5"//' "$B/config.json"
	# nsrt USER ARGS...: runt as root in a new user namespace of $RU's, $USER set to USER
	nsrt() {
		_u=$1 && shift
		setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env USER="$_u" \
			XDG_RUNTIME_DIR="$XDG" unshare --user --map-root-user \
			timeout "$RT_TIMEOUT" "$RUNT" "$@" </dev/null >"$WORK/.out" 2>"$WORK/.err"
		RC=$? OUT=$(cat "$WORK/.out") ERR=$(cat "$WORK/.err")
	}
	nsrt "$RU" run --bundle "$B" "$id"
	check_rc "root in a user namespace runs a config without one, state in \$XDG_RUNTIME_DIR" 0
	check_match "... as rootless: no cgroup, a warning" "running without a cgroup" "$ERR"
	check_match "... /dev/null is the host's node, bound" "^stat./dev/null=(char|chr) [0-7]+ 65534 65534 1:3\$" "$OUT"
	# runc's rule: the state root is $XDG_RUNTIME_DIR/runt (above) unless $USER is root
	nsrt root run --bundle "$B" "$(cid inns2)"
	check_err "... with USER=root it is /run/runt, where it may not write" "/run/runt"
else
	skip "root in a user namespace" "no unshare"
fi

# --- a delegated cgroup (what systemd's Delegate=yes hands user@UID.service): used. Root
# puts the shell in it and hands it over; runt then makes a relative cgroupsPath below. ---
D=$MNT/runt/rootless-$$
if mkdir -p "$D/leaf" 2>/dev/null && chown -R "$RU" "$D"; then
	id=$(cid deleg)
	B=$(RUNT_EXTRA_LINUX='"cgroupsPath": "ctr"' ubundle deleg /bin/probe sleep 60)
	sh -c 'echo $$ >"$1/leaf/cgroup.procs" && shift && exec "$@"' sh "$D" \
		setpriv --reuid="$RUID" --regid="$RGID" --clear-groups env XDG_RUNTIME_DIR="$XDG" \
		"$RUNT" run -d --bundle "$B" "$id" </dev/null >"$WORK/.out" 2>"$WORK/.err"
	RC=$? OUT=$(cat "$WORK/.out") ERR=$(cat "$WORK/.err")
	check_rc "run in a delegated cgroup" 0
	check_nomatch "... without the no-cgroup warning" "without a cgroup" "$ERR"
	pid=$(json_get pid "$(cat "$XDG/runt/$id/state.json" 2>/dev/null)")
	check_match "the container runs in leaf/ctr of the delegated cgroup" \
		"^0::.*/runt/rootless-$$/leaf/ctr\$" "$(cat "/proc/$pid/cgroup" 2>/dev/null)"
	urt delete --force "$id"
	check_rc "delete --force of the delegated one" 0
	check "... removes its cgroup" test ! -e "$D/leaf/ctr"
	rmdir "$D/leaf/ctr" "$D/leaf" "$D" 2>/dev/null
else
	skip "delegated cgroup" "cannot make $D"
fi

leftovers_check "rootless"
done_testing
