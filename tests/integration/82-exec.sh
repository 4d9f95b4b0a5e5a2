#!/bin/sh
# 82-exec.sh - `runt exec`: the new process joins every namespace and the cgroup of the
# container's init, gets its user/env/cwd/caps, and runt reports its exit status.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

id=$(cid exec)
B=$(bundle exec /bin/probe sleep 300)
rt_create "$id" "$B"
rtc start "$id"
rtc state "$id"
ipid=$(json_get pid "$OUT")

# --- namespaces are the init's ---
rtc exec "$id" /bin/probe ns cgroup pid
check_rc "exec exits 0" 0
# (a kernel without CONFIG_TIME_NS, 32-bit ARM, has no time namespace to compare)
TIMENS=time
[ -e /proc/self/ns/time ] || TIMENS=
for t in pid net ipc uts mnt cgroup user $TIMENS; do
	check_eq "exec: $t namespace is the init's" "$(readlink "/proc/$ipid/ns/$t")" "$(kv "ns.$t" "$OUT")"
done
check_ne "exec: not pid 1 (the init is)" 1 "$(kv pid "$OUT")"

# --- exit status, signals ---
rtc exec "$id" /bin/probe exit 7
check_rc "exec exits with the process's status 7" 7
rtc exec "$id" /bin/probe kill-self TERM
check_rc "exec of a process killed by TERM exits 143" 143

# --- process attributes from flags ---
rtc exec --cwd /tmp --env FOO=bar --env PATH=/bin -u 1000:1000 -g 10 -g 20 "$id" \
	/bin/probe cwd env FOO env PATH id caps nnp
check_rc "exec with --cwd --env --user --additional-gids exits 0" 0
check_eq "exec --cwd" /tmp "$(kv cwd "$OUT")"
check_eq "exec --env adds FOO" bar "$(kv env.FOO "$OUT")"
check_eq "exec --env replaces PATH" /bin "$(kv env.PATH "$OUT")"
check_eq "exec --user uid" 1000 "$(kv uid "$OUT")"
check_eq "exec --user gid" 1000 "$(kv gid "$OUT")"
check_eq "exec --additional-gids" 10,20 "$(kv groups "$OUT")"
check_eq "exec as uid 1000 keeps no effective caps without ambient" 0000000000000000 \
	"$(kv cap.eff "$OUT")"
rtc exec --cap CAP_SYS_ADMIN --no-new-privs "$id" /bin/probe caps nnp
check_eq "exec --cap adds CAP_SYS_ADMIN to the container's set" 0000000020200420 \
	"$(kv cap.eff "$OUT")"
check_eq "exec --no-new-privs" 1 "$(kv nnp "$OUT")"

# --- --process FILE (containerd and conmon) ---
cat >"$WORK/proc.json" <<'J'
{"args": ["/bin/probe", "cwd", "env", "X", "id"], "env": ["X=from-json", "PATH=/bin"],
 "cwd": "/etc", "user": {"uid": 2, "gid": 3}, "noNewPrivileges": true}
J
rtc exec --process "$WORK/proc.json" "$id"
check_rc "exec --process exits 0" 0
check_eq "--process: cwd" /etc "$(kv cwd "$OUT")"
check_eq "--process: env" from-json "$(kv env.X "$OUT")"
check_eq "--process: uid" 2 "$(kv uid "$OUT")"
check_eq "--process: gid" 3 "$(kv gid "$OUT")"

# --- detached with a pid file ---
rtc exec -d --pid-file "$WORK/exec.pid" "$id" /bin/probe sleep 300
check_rc "exec -d exits 0" 0
epid=$(cat "$WORK/exec.pid" 2>/dev/null)
check "exec -d: the pid file names a live process" pid_alive "$epid"
check_eq "exec -d: it is in the container's pid namespace" "$(readlink "/proc/$ipid/ns/pid")" \
	"$(readlink "/proc/$epid/ns/pid" 2>/dev/null)"
check_eq "exec -d: it is in the init's cgroup" "$(grep '^0::' "/proc/$ipid/cgroup")" \
	"$(grep '^0::' "/proc/$epid/cgroup" 2>/dev/null)"

# --- the runtime leaks nothing into the process ---
rtc exec "$id" /bin/probe fds
check_eq "exec: only fds 0 1 2 are open" 3 "$(printf '%s\n' "$OUT" | grep -c '^fd\.')"

# --- bad input ---
rtc exec "$id" /nope
check_err "exec of a missing binary fails clearly" nope
rtc exec "$id"
check_err "exec without a command fails" command
echo '{"args": []}' >"$WORK/bad.json"
rtc exec --process "$WORK/bad.json" "$id"
check_err "exec --process with empty args names the JSON path" .args
rtc exec --process "$WORK/missing.json" "$id"
check_err "exec --process of a missing file" missing.json
rtc exec --apparmor runt-no-such-profile "$id" /bin/true
check_err "exec --apparmor of a profile that cannot apply fails, not ignored" AppArmor \
	runt-no-such-profile
rtc exec nosuch-$$ /bin/true
check_err "exec into an unknown container" "does not exist"

# --- a paused container: exec refuses (its process would be frozen at once) ---
rtc pause "$id"
if [ "$RC" = 0 ]; then
	rtc exec "$id" /bin/probe exit 0
	check_err "exec into a paused container fails" paused
	rtc resume "$id"
	rtc exec "$id" /bin/probe exit 0
	check_rc "after resume exec works again" 0
else
	skip "exec into a paused container" "no cgroup freezer here"
fi

rtc delete --force "$id"
check "the exec -d process died with the container" wait_for 5 pid_dead "$epid"

# --- exec into a stopped container ---
id2=$(cid exec-stopped)
B2=$(bundle exec-stopped /bin/probe exit 0)
rt_create "$id2" "$B2"
rtc start "$id2"
wait_status "$id2" stopped 5
rtc exec "$id2" /bin/probe exit 0
check_err "exec into a stopped container fails" stopped
rtc delete "$id2"
leftovers_check "exec"

done_testing
