#!/bin/sh
# 70-errors.sh - bad input: each case must fail with a non-zero status, a message naming the
# problem, and leave nothing behind (no state dir, mount or process).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# bad_create NAME DESC WORD... : create from $WORK/NAME must fail naming every WORD.
bad_create() {
	_n=$1 _d=$2
	shift 2
	rt_create "$(cid "$_n")" "$WORK/$_n"
	check_err "$_d: create fails with a clear message" "$@"
	leftovers_check "$_d"
}

# --- config.json ---
B=$(bundle broken /bin/probe id)
printf '{"ociVersion": "1.2.0", "process": {"args": ["/bin/probe"' >"$B/config.json"
bad_create broken "broken JSON" config.json

B=$(bundle noconfig /bin/probe id)
rm "$B/config.json"
bad_create noconfig "missing config.json" config.json "No such file or directory"

B=$(bundle noroot /bin/probe id)
rm -rf "$B/rootfs"
bad_create noroot "missing root directory" rootfs

B=$(RUNT_MOUNTS='[{"destination": "proc", "type": "proc", "source": "proc"}]' bundle relmount /bin/probe id)
bad_create relmount "relative mount destination" "config.json" ".mounts[0].destination" absolute

B=$(RUNT_NAMESPACES="pid mount bogus" bundle badns /bin/probe id)
bad_create badns "unknown namespace type" ".linux.namespaces[2]" bogus

B=$(RUNT_HOSTNAME= RUNT_EXTRA_TOP='"hostname": 5' bundle badtype /bin/probe id)
bad_create badtype "hostname of the wrong type" ".hostname" string

B=$(RUNT_ARGS='[]' bundle noargs)
bad_create noargs "empty process.args" ".process.args"

B=$(bundle noprocess /bin/probe id)
sed 's/"process"/"notprocess"/' "$B/config.json" >"$B/c" && mv "$B/c" "$B/config.json"
bad_create noprocess "no process object" process

# --- things that only fail while creating ---
B=$(bundle noexec nope)
bad_create noexec "args[0] that does not exist" nope

B=$(bundle noexec-abs /nope/probe)
bad_create noexec-abs "absolute args[0] that does not exist" /nope/probe

# the init fails after runt recorded its state: the pid file is written only once it is ready
B=$(bundle nopid nope)
rt_create "$(cid nopid)" "$B" --pid-file "$WORK/nopid.pid"
check_err "a create that fails in the init fails" nope
check "... and leaves no --pid-file behind" test ! -e "$WORK/nopid.pid"
leftovers_check "a failed create with --pid-file"

B=$(RUNT_EXTRA_MOUNTS="{\"destination\": \"/mnt/x\", \"type\": \"bind\", \"source\": \"$WORK/missing-src\", \"options\": [\"bind\"]}" \
	bundle nosrc /bin/probe id)
bad_create nosrc "missing bind-mount source" missing-src

B=$(RUNT_EXTRA_MOUNTS='{"destination": "/mnt/x", "type": "bogusfs", "source": "none"}' bundle badfs /bin/probe id)
bad_create badfs "unknown filesystem type" /mnt/x

B=$(RUNT_CWD=relative bundle relcwd /bin/probe id)
bad_create relcwd "relative cwd" cwd

# --- ids ---
B=$(bundle ids /bin/probe sleep 300)
for bad in a/b .. . 'a b' ''; do
	rtc create --bundle "$B" "$bad"
	if [ -n "$bad" ]; then
		check_err "container id '$bad' is refused" "$bad"
	else
		check_ne "an empty container id is refused" 0 "$RC"
	fi
done
check "no state dir was created for bad ids" test -z "$(ls -A "$RUNT_ROOT")"
leftovers_check "bad ids"

# --- an id in use ---
id=$(cid dup)
B1=$(bundle dup1 /bin/probe sleep 300)
B2=$(bundle dup2 /bin/probe sleep 300)
rt_create "$id" "$B1"
check_rc "create the first container" 0
rtc state "$id"
pid=$(json_get pid "$OUT")
rtc create --bundle "$B2" "$id"
check_err "create with an id in use fails" "already exists"
rtc run --bundle "$B2" "$id"
check_err "run with an id in use fails" "already exists"
rtc state "$id"
check_eq "the first container is untouched: status" created "$(json_get status "$OUT")"
check_eq "the first container is untouched: pid" "$pid" "$(json_get pid "$OUT")"
check_eq "the first container is untouched: bundle" "$B1" "$(json_get bundle "$OUT")"
check "its init is alive" pid_alive "$pid"
check_eq "nothing is mounted under the second bundle" "" "$(work_mounts | grep "^$B2")"
rtc start "$id"
check_rc "the first container still starts" 0
rtc delete --force "$id"
check_rc "and is deletable" 0
leftovers_check "duplicate id"

# --- unknown containers ---
for cmd in state start kill delete; do
	rtc "$cmd" "missing-$$"
	check_err "$cmd of an unknown container: does not exist" "does not exist"
done
leftovers_check "unknown containers"

done_testing
