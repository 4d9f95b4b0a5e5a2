#!/bin/sh
# 85-hooks.sh - OCI lifecycle hooks: order, the state JSON each one reads, the namespaces they
# run in, args and env, a failing or slow create hook aborting create without leftovers, and
# poststart/poststop failures that only warn.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

LOGDIR=$WORK/logdir
LOG=$LOGDIR/hooks.log
mkdir -p "$LOGDIR"
chmod 777 "$LOGDIR"

# hook.sh NAME LOG: one line per call: name, mount namespace, env, argc, the state JSON.
cat >"$WORK/hook.sh" <<'EOF'
#!/bin/sh
state=$(cat)
printf '%s ns=%s env=%s leak=%s argc=%s state=%s\n' "$1" "$(readlink /proc/self/ns/mnt)" \
	"${HOOK_ENV:-}" "${RUNT_LEAK:-}" "$#" "$state" >>"$2"
EOF
chmod 755 "$WORK/hook.sh"

# hook NAME [LOG [SCRIPT]]: a hook object calling hook.sh with its name and env.
hook() {
	printf '{"path": "%s", "args": ["hook.sh", "%s", "%s"], "env": ["HOOK_ENV=%s-env"]}' \
		"${3:-$WORK/hook.sh}" "$1" "${2:-$LOG}" "$1"
}

# sh_hook SCRIPT [TIMEOUT]: /bin/sh -c SCRIPT (SCRIPT must not contain double quotes).
sh_hook() {
	printf '{"path": "/bin/sh", "args": ["sh", "-c", "%s"]%s}' "$1" "${2:+, \"timeout\": $2}"
}

# entry NAME: the log line of hook NAME.
entry() {
	grep "^$1 " "$LOG" 2>/dev/null | head -n 1
}

field() { # field KEY LINE: ns=…, env=…
	printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

names() {
	cut -d' ' -f1 "$LOG" 2>/dev/null | tr '\n' ' '
}

hostns=$(host_ns mnt)

# --- the whole lifecycle with create, start, kill, delete ---
HOOKS="\"hooks\": {
	\"prestart\": [$(hook prestart)],
	\"createRuntime\": [$(hook createRuntime)],
	\"createContainer\": [$(hook createContainer)],
	\"startContainer\": [$(hook startContainer /hooklog/hooks.log /hook.sh)],
	\"poststart\": [$(hook poststart)],
	\"poststop\": [$(hook poststop)]},
	\"annotations\": {\"org.test.hooks\": \"yes\"}"
MNT="{\"destination\": \"/hooklog\", \"type\": \"bind\", \"source\": \"$LOGDIR\", \"options\": [\"rbind\"]}"
id=$(cid life)
B=$(RUNT_EXTRA_TOP=$HOOKS RUNT_EXTRA_MOUNTS=$MNT bundle life \
	/bin/sh -c 'echo "process ns=$(readlink /proc/self/ns/mnt)" >>/hooklog/hooks.log; exec sleep 60')
cp "$WORK/hook.sh" "$B/rootfs/hook.sh"
export RUNT_LEAK=leaked
rt_create "$id" "$B"
unset RUNT_LEAK
check_rc "create with every kind of hook exits 0" 0
check_eq "create ran prestart, createRuntime, createContainer in order" \
	"prestart createRuntime createContainer " "$(names)"
rtc state "$id"
pid=$(json_get pid "$OUT")
cns=$(readlink "/proc/$pid/ns/mnt")
check_ne "the container has a mount namespace of its own" "$hostns" "$cns"
for h in prestart createRuntime createContainer; do
	l=$(entry $h)
	check_eq "$h: status creating" creating "$(json_get status "$l")"
	check_eq "$h: pid is the init's host pid" "$pid" "$(json_get pid "$l")"
	check_eq "$h: env as given" "$h-env" "$(field env "$l")"
	check_eq "$h: runt's environment does not leak in" "" "$(field leak "$l")"
done
l=$(entry prestart)
check_eq "state: id" "$id" "$(json_get id "$l")"
check_eq "state: bundle" "$B" "$(json_get bundle "$l")"
check_eq "state: annotations" yes "$(json_get org.test.hooks "$l")"
check_eq "state: ociVersion" 1.2.0 "$(json_get ociVersion "$l")"
check_eq "hook args passed (argc 2 after args[0])" 2 "$(field argc "$l")"
check_eq "prestart runs in runt's mount namespace" "$hostns" "$(field ns "$l")"
check_eq "createRuntime runs in runt's mount namespace" "$hostns" "$(field ns "$(entry createRuntime)")"
check_eq "createContainer runs in the container's mount namespace" "$cns" \
	"$(field ns "$(entry createContainer)")"
check_eq "create does not run later hooks" "" "$(entry startContainer)$(entry poststart)"

rtc start "$id"
check_rc "start exits 0" 0
wait_for 5 file_has '^process ' "$LOG"
check_eq "startContainer runs before the process" "startContainer process" \
	"$(names | tr ' ' '\n' | grep -E '^(startContainer|process)$' | tr '\n' ' ' | sed 's/ $//')"
l=$(entry startContainer)
check_eq "startContainer runs in the container's mount namespace" "$cns" "$(field ns "$l")"
check_eq "startContainer: status created" created "$(json_get status "$l")"
check_eq "startContainer: pid" "$pid" "$(json_get pid "$l")"
l=$(entry poststart)
check_eq "poststart ran by start: status running" running "$(json_get status "$l")"
check_eq "poststart runs in runt's mount namespace" "$hostns" "$(field ns "$l")"
check_eq "poststart: pid" "$pid" "$(json_get pid "$l")"
check_eq "no poststop while it runs" "" "$(entry poststop)"
rtc kill "$id" KILL
wait_status "$id" stopped
rtc delete "$id"
check_rc "delete exits 0" 0
l=$(entry poststop)
check_eq "delete ran poststop: status stopped" stopped "$(json_get status "$l")"
check_eq "poststop: id" "$id" "$(json_get id "$l")"
check_eq "poststop: annotations from the state" yes "$(json_get org.test.hooks "$l")"
check_eq "poststop is the last hook" poststop "$(names | tr ' ' '\n' | grep . | tail -n 1)"
leftovers_check "hook lifecycle"

# --- run: poststart and poststop in one command; argv[0] and no args ---
: >"$LOG"
cat >"$WORK/noargs.sh" <<EOF
#!/bin/sh
echo "noargs argc=\$# arg0=\$0" >>"$LOG"
EOF
chmod 755 "$WORK/noargs.sh"
id=$(cid run)
BB=$WORK/run/rootfs/bin/busybox
HOOKS="\"hooks\": {
	\"createRuntime\": [{\"path\": \"$BB\", \"args\": [\"sh\", \"-c\", \"echo argv0 >>$LOG\"]}],
	\"poststart\": [$(hook poststart)], \"poststop\": [{\"path\": \"$WORK/noargs.sh\"}]}"
B=$(RUNT_EXTRA_TOP=$HOOKS bundle run /bin/probe exit 0)
rtc run --bundle "$B" "$id"
check_rc "run with hooks exits with the process's status" 0
check "args[0] reaches the hook (busybox picks its applet by it)" file_has '^argv0$' "$LOG"
check "poststart ran in run" file_has '^poststart ' "$LOG"
check "a hook without args gets argv = [path]" file_has "^noargs argc=0 arg0=$WORK/noargs.sh$" "$LOG"
check_eq "run: poststop last" noargs "$(names | tr ' ' '\n' | grep . | tail -n 1)"
leftovers_check "hooks in run"

# --- a failing createRuntime aborts create, leaves nothing, still runs poststop ---
: >"$LOG"
id=$(cid fail)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"createRuntime\": [$(hook createRuntime), $(sh_hook 'exit 3')],
	\"createContainer\": [$(hook createContainer)], \"poststop\": [$(hook poststop)]}" \
	bundle fail /bin/probe sleep 60)
rt_create "$id" "$B"
check_err "a failing createRuntime hook fails create, naming it" \
	"hook createRuntime[1] /bin/sh exited with status 3"
check "the hooks before it ran" file_has '^createRuntime ' "$LOG"
check_eq "createContainer did not run" "" "$(entry createContainer)"
check "poststop ran after the failed create" file_has '^poststop ' "$LOG"
check "no state directory" test ! -e "$RUNT_ROOT/$id"
check_eq "no cgroup left" "" "$(find /sys/fs/cgroup -maxdepth 4 -type d -name "$id" 2>/dev/null)"
leftovers_check "failing createRuntime"

# --- createContainer failing, and a missing hook binary ---
id=$(cid cc)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"createContainer\": [$(sh_hook 'exit 5')]}" \
	bundle cc /bin/probe sleep 60)
rt_create "$id" "$B"
check_err "a failing createContainer hook fails create" \
	"hook createContainer[0] /bin/sh exited with status 5"
id=$(cid missing)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"prestart\": [{\"path\": \"$WORK/no-such-hook\"}]}" \
	bundle missing /bin/probe sleep 60)
rt_create "$id" "$B"
check_err "a missing prestart hook fails create with the reason" \
	"hook prestart[0]: exec $WORK/no-such-hook: No such file or directory"
leftovers_check "failing create hooks"

# --- timeout: the hook and what it started are killed; create fails fast ---
id=$(cid slow)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"createRuntime\": [$(sh_hook "sleep 10 & echo \$! >$WORK/slow.pid; wait" 1)]}" \
	bundle slow /bin/probe sleep 60)
RT_TIMEOUT=8 rt_create "$id" "$B"
check_err "a hook past its timeout fails create" "hook createRuntime[0] /bin/sh timed out after 1 s"
check "the hook's child was killed with it" pid_dead "$(cat "$WORK/slow.pid" 2>/dev/null)"
leftovers_check "hook timeout"

# --- startContainer failing: the init exits non-zero with the message ---
id=$(cid sc)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"startContainer\": [$(sh_hook 'exit 6')]}" \
	bundle sc /bin/probe echo user-process-ran)
rtc run --bundle "$B" "$id"
check_rc "run: a failing startContainer hook makes the container fail" 1
check_match "its message reaches stderr" 'hook startContainer\[0\] /bin/sh exited with status 6' "$ERR"
check_nomatch "the process did not run" user-process-ran "$OUT"
leftovers_check "failing startContainer"

# --- poststart and poststop failures only warn ---
id=$(cid warn)
B=$(RUNT_EXTRA_TOP="\"hooks\": {\"poststart\": [$(sh_hook 'exit 7'), $(hook poststart)],
	\"poststop\": [$(sh_hook 'exit 8')]}" bundle warn /bin/probe sleep 60)
: >"$LOG"
rt_create "$id" "$B"
rtc start "$id"
check_rc "start succeeds although poststart failed" 0
check_match "start warns about the poststart hook" \
	'warning.*hook poststart\[0\] /bin/sh exited with status 7' "$ERR"
check "the next poststart hook still ran" file_has '^poststart ' "$LOG"
check_eq "the container runs" running "$(status "$id")"
rtc delete --force "$id"
check_rc "delete succeeds although poststop failed" 0
check_match "delete warns about the poststop hook" \
	'warning.*hook poststop\[0\] /bin/sh exited with status 8' "$ERR"
leftovers_check "poststart/poststop failures"

# --- features ---
rtc features
check_match "features lists the six hooks" \
	'"hooks":\["prestart","createRuntime","createContainer","startContainer","poststart","poststop"\]' \
	"$OUT"

done_testing
