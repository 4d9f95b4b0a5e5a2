#!/bin/sh
# selftest-lib.sh - checks lib.sh's helpers and run-integration.sh's merging without runt:
# `sh tests/selftest-lib.sh` (also under busybox sh). Prints TAP.
TESTS=$(cd "$(dirname "$0")" && pwd) && . "$TESTS/lib.sh"

st='{
  "ociVersion": "1.2.0",
  "id": "a-1",
  "pid": 4242,
  "status": "running",
  "bundle": "/tmp/b",
  "created": "2026-11-25T12:00:00.123Z",
  "owner": ""
}'
check_eq "json_get string" running "$(json_get status "$st")"
check_eq "json_get number" 4242 "$(json_get pid "$st")"
check_eq "json_get empty string" "" "$(json_get owner "$st")"
check_eq "json_get on one line" created "$(json_get status '{"id":"x","status":"created","pid":7}')"
check_eq "json_get number before }" 7 "$(json_get pid '{"id":"x","pid":7}')"
check_eq "kv" "1024 1024" "$(kv rlimit.NOFILE "$(printf 'a=1\nrlimit.NOFILE=1024 1024\n')")"
check_eq "kv with a path key" chr "$(kv stat./dev/null "stat./dev/null=chr")"
check_eq "kv missing" "" "$(kv nope "a=1")"

# The helpers must report failures: run them in a subshell and look at the TAP they print.
tap=$( (
	T_NUM=0 T_FAIL=0
	check_eq x 1 2
	check_match x '^a$' b
	check_nomatch x b b
	check x false
	RC=0 OUT= ERR=
	check_err x word
	RC=1 ERR="no such word"
	check_err x "other"
	echo "fails=$T_FAIL"
) 2>&1 | grep -v '^#')
check_eq "failing checks print not ok" 6 "$(printf '%s\n' "$tap" | grep -c '^not ok')"
check_match "failing checks are counted" '^fails=6$' "$tap"
RC=2 ERR='config.json: .mounts[0].destination: must be absolute' OUT=
check_err "check_err matches fixed strings" ".mounts[0].destination" absolute
check "wait_for succeeds" wait_for 1 true
check "wait_for gives up" sh -c ". '$TESTS/lib.sh' >/dev/null; ! wait_for 1 false"
check "pid_alive of the shell" pid_alive $$
check "pid_alive of nothing" pid_dead 999999999

# run-integration.sh: renumbering, summary, exit status, a file that dies early.
d=$WORK/ri
mkdir -p "$d"
printf 'echo "ok 1 - a"\necho "ok 2 - b # SKIP why"\necho "1..2"\n' >"$d/1.sh"
printf 'echo "ok 1 - c"\necho "not ok 2 - d"\necho noise\nexit 1\n' >"$d/2.sh"
printf 'echo "ok 1 - e"\nexit 3\n' >"$d/3.sh"
out=$(sh "$TESTS/run-integration.sh" "$d/1.sh" "$d/2.sh" "$d/3.sh")
rc=$?
check_ne "run-integration fails when a test fails" 0 "$rc"
check_eq "run-integration summary" "3 passed, 2 failed, 1 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
check_match "results are renumbered" '^not ok 4 - 2: d$' "$out"
check_match "a file that exits non-zero without a failure is reported" '^not ok 6 - 3: exited with status 3$' "$out"
check_match "one plan line" '^1\.\.6$' "$out"
check_match "other output becomes a comment" '^# noise$' "$out"
out=$(sh "$TESTS/run-integration.sh" "$d/1.sh")
check_eq "run-integration passes when nothing failed" "0 1 passed, 0 failed, 1 skipped" "$? $(printf '%s\n' "$out" | tail -n 1)"

# mkbundle: variants produce JSON a strict parser accepts (when python3 is around).
if command -v python3 >/dev/null 2>&1 && [ -x "$PROBE" ]; then
	B=$(RUNT_USERNS=1 RUNT_HOSTNAME= RUNT_ENV='[]' RUNT_EXTRA_LINUX='"sysctl": {}' \
		RUNT_EXTRA_MOUNTS='{"destination": "/x", "type": "tmpfs", "source": "tmpfs"}' \
		RUNT_EXTRA_PROCESS='"oomScoreAdj": 1' RUNT_EXTRA_TOP='"domainname": "d"' \
		RUNT_NAMESPACES='pid mount network=/proc/1/ns/net' bundle variant /bin/probe argv 'a "b"')
	check "mkbundle variant is valid JSON" python3 -c "import json; json.load(open('$B/config.json'))"
	B=$(bundle plain)
	check "mkbundle default is valid JSON" python3 -c "import json; json.load(open('$B/config.json'))"
	check "mkbundle rootfs has probe and sh" test -x "$B/rootfs/bin/probe" -a -L "$B/rootfs/bin/sh"
else
	skip "mkbundle JSON" "no python3 or probe"
fi

done_testing
