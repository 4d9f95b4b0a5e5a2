#!/bin/sh
# 30-devices.sh - linux.resources.devices as a BPF device filter: an allowed device opens,
# a node made through linux.devices but not allowed is denied with EPERM, access letters
# count, and the default devices always work.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh" && . "$TESTS/cgroup/cg.sh"
require_runt
require_cgroup2
modprobe loop 2>/dev/null
[ -b /dev/loop1 ] || skip_all "no loop block devices"

# loop0 rw, loop1 r only, loop2 not at all; the probe reports errno names.
CG_EXTRA_LINUX='"devices": [
	{"path": "/dev/loop0", "type": "b", "major": 7, "minor": 0},
	{"path": "/dev/loop1", "type": "b", "major": 7, "minor": 1},
	{"path": "/dev/loop2", "type": "b", "major": 7, "minor": 2}]'
RULES='{"devices": [
	{"allow": false, "access": "rwm"},
	{"allow": true, "type": "b", "major": 7, "minor": 0, "access": "rw"},
	{"allow": true, "type": "b", "major": 7, "minor": 1, "access": "r"}]}'
id=$(cid dev)
B=$(cgbundle dev "$RULES" /bin/probe read /dev/loop0 read /dev/loop1 write /dev/loop1 x \
	read /dev/loop2 write /dev/null x read /dev/zero read /dev/urandom stat /dev/loop2)
rtc run --bundle "$B" "$id"
check_rc "a container with device rules runs" 0
check_nomatch "allowed b 7:0 opens" 'EPERM' "$(kv read./dev/loop0 "$OUT")"
check_nomatch "allowed b 7:1 opens for reading" 'EPERM' "$(kv read./dev/loop1 "$OUT")"
check_eq "b 7:1 allows r only: writing is EPERM" "error EPERM" "$(kv write./dev/loop1 "$OUT")"
check_eq "b 7:2 made through linux.devices but not allowed: EPERM" "error EPERM" \
	"$(kv read./dev/loop2 "$OUT")"
check_match "... although the node exists" 'blk' "$(kv stat./dev/loop2 "$OUT")"
check_eq "default /dev/null still writable" ok "$(kv write./dev/null "$OUT")"
check_nomatch "default /dev/zero still readable" 'error' "$(kv read./dev/zero "$OUT")"
check_nomatch "default /dev/urandom still readable" 'error' "$(kv read./dev/urandom "$OUT")"

# Without rules, the same nodes open: the denials above came from the filter.
id=$(cid nodev)
B=$(cgbundle nodev '{}' /bin/probe read /dev/loop2)
rtc run --bundle "$B" "$id"
check_nomatch "without rules b 7:2 opens" 'EPERM' "$(kv read./dev/loop2 "$OUT")"

# Rules that only allow restrict nothing; a later deny of one device does.
id=$(cid deny1)
B=$(cgbundle deny1 '{"devices": [{"allow": false, "type": "b", "major": 7, "minor": 2}]}' \
	/bin/probe read /dev/loop2 read /dev/loop0)
rtc run --bundle "$B" "$id"
check_eq "a single deny rule denies b 7:2" "error EPERM" "$(kv read./dev/loop2 "$OUT")"
check_nomatch "... and leaves b 7:0 alone" 'EPERM' "$(kv read./dev/loop0 "$OUT")"

leftovers_check "devices"
done_testing
