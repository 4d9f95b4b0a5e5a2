#!/bin/sh
# 72-crash-safety.sh - the state dir as runc keeps it (ids that fit a directory name, files
# only root reads) and runt SIGKILLed at any instant of create: `delete --force` still finds
# and removes everything it made (state dir, cgroup, processes).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# xs N PREFIX: PREFIX padded with x to N bytes.
xs() {
	printf "%s%$(($1 - ${#2}))s" "$2" "" | tr ' ' x
}

# --- ids: each names a directory, so NAME_MAX (255) bytes at most ---
B=$(bundle ids /bin/probe wait-signal)
id=$(xs 255 "i$$-")
rtc create --bundle "$B" "$id"
check_rc "create with a 255-byte id exits 0" 0
check "its state dir exists" test -d "$RUNT_ROOT/$id"
rtc delete --force "$id"
check_rc "delete --force of it exits 0" 0
rtc create --bundle "$B" "$(xs 256 "j$$-")"
check_err "a 256-byte id is refused" "invalid container id: longer than 255 bytes"
check_match "... with the whole message, on one line" '^runt: create j.*: invalid container id: longer than 255 bytes$' "$ERR"
rtc create --bundle "$B" "$(xs 2000 "k$$/")"
check_err "a 2000-byte bad id: the same whole message" "invalid container id: longer than 255 bytes"
leftovers_check "ids"

# --- modes: state.json and the config copy are root's alone, as runc's ---
id=$(cid modes)
B=$(RUNT_EXTRA_TOP='"hooks": {"poststop": [{"path": "/bin/true"}]}' bundle modes /bin/probe wait-signal)
rt_create "$id" "$B"
check_rc "create exits 0" 0
check_eq "the state dir is 0711" 711 "$(stat -c %a "$RUNT_ROOT/$id")"
check_eq "state.json is 0600" 600 "$(stat -c %a "$RUNT_ROOT/$id/state.json")"
check_eq "the saved config.json is 0600" 600 "$(stat -c %a "$RUNT_ROOT/$id/config.json")"
rtc delete --force "$id"
check_rc "delete --force exits 0" 0
leftovers_check "modes"

done_testing
