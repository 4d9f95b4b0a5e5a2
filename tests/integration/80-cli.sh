#!/bin/sh
# 80-cli.sh - the command line callers rely on: --version, --help, global flags, JSON logs,
# and flags runt does not support yet failing clearly instead of being ignored.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

RFC3339='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})'

# --- version and help ---
for v in --version -v; do
	rtc "$v"
	check_rc "$v exits 0" 0
	check_match "$v: first line 'runt version X.Y.Z'" '^runt version [0-9]+\.[0-9]+\.[0-9]+' \
		"$(printf '%s\n' "$OUT" | head -n 1)"
	check_match "$v: a commit line" '^commit: [^ ]+' "$OUT"
	check_match "$v: a spec line 1.2.x" '^spec: 1\.2\.[0-9]+$' "$OUT"
done

rtc --help
check_rc "--help exits 0" 0
for c in create start run state kill delete list spec; do
	check_match "--help lists $c" "(^|[[:space:]])$c([[:space:]]|\$)" "$OUT"
done
rtc create --help
check_rc "create --help exits 0" 0
check_match "create --help shows --bundle" '--bundle' "$OUT$ERR"
check_match "create --help shows --pid-file" '--pid-file' "$OUT$ERR"

rtc run --help
check_rc "run --help exits 0" 0
check_match "run --help shows --detach or -d" '--detach|-d' "$OUT$ERR"

rtc no-such-command
check_rc "an unknown command is a usage error (2)" 2
check_match "... naming it" no-such-command "$ERR"
rtc list --no-such-flag
check_rc "an unknown flag is a usage error (2)" 2
check_match "... naming it" no-such-flag "$ERR"
rtc start
check_rc "start without an id is a usage error (2)" 2

# --- global flags callers pass ---
for flags in --debug "--log-level debug" --systemd-cgroup "--rootless false" "--log-format text"; do
	# shellcheck disable=SC2086
	rtc $flags list
	check_rc "global flag $flags is accepted" 0
done

# --- JSON log ---
B=$(bundle badlog /bin/probe id)
printf '{"ociVersion": ' >"$B/config.json"
log=$WORK/log.json
rtc --log "$log" --log-format json create --bundle "$B" "$(cid badlog)"
check_ne "create of a broken bundle fails" 0 "$RC"
check "--log FILE is written" test -s "$log"
bad=$(
	grep -v '^[[:space:]]*{.*}[[:space:]]*$' "$log"
	for k in level msg time; do grep -v "\"$k\"[[:space:]]*:" "$log"; done
)
check_eq "every log line is one JSON object with level, msg and time" "" "$bad"
errline=$(grep '"level"[[:space:]]*:[[:space:]]*"error"' "$log" | tail -n 1)
check_match "the log has a level error line" '"level"' "$errline"
check_match "its msg names the problem" '"msg"[[:space:]]*:[[:space:]]*"[^"]*config\.json' "$errline"
check_match "its time is RFC3339" "\"time\"[[:space:]]*:[[:space:]]*\"$RFC3339\"" "$errline"
leftovers_check "json log"

# --- not supported yet: fail clearly, never ignore ---
# --preserve-fds: works (fd 3 reaches the process) or is refused saying "not supported".
id=$(cid preserve)
B=$(bundle preserve /bin/probe fds)
rt run --preserve-fds 1 --bundle "$B" "$id" </dev/null >"$WORK/preserve.out" 2>&1 3>"$WORK/fd3"
RC=$? OUT=$(cat "$WORK/preserve.out") ERR=
if [ "$RC" = 0 ]; then
	check_match "--preserve-fds 1 passes fd 3" "^fd\.3=.*fd3\$" "$OUT"
else
	check_err "--preserve-fds refused clearly" "not supported"
fi
leftovers_check "--preserve-fds"

# --console-socket with a terminal: nobody listens on the socket, so this cannot succeed.
id=$(cid console)
B=$(RUNT_TERMINAL=true bundle console /bin/probe id)
rtc create --console-socket "$WORK/no.sock" --bundle "$B" "$id"
if printf '%s\n' "$ERR" | grep -q "not supported"; then
	check_ne "--console-socket refused clearly (not supported)" 0 "$RC"
else
	check_err "--console-socket to a dead socket fails naming it" no.sock
fi
leftovers_check "--console-socket"

# --- features (optional for now) ---
rtc features
if [ "$RC" = 0 ]; then
	check_match "features: ociVersionMin" '"ociVersionMin"' "$OUT"
	check_match "features: linux (containerd dereferences it)" '"linux"' "$OUT"
	case $(uname -m) in
	x86_64) A=X86_64 ;; aarch64) A=AARCH64 ;; arm*) A=ARM ;; *) A=$(uname -m) ;;
	esac
	check_match "features: seccomp.archs is this machine's arch (SCMP_ARCH_$A)" \
		"\"archs\":\\[\"SCMP_ARCH_$A\"\\]" "$OUT"
else
	skip "features" "not implemented yet"
fi

# --- checkpoint/restore: refused on principle (no CRIU), with the flags callers pass ---
rtc --log "$WORK/criu.json" --log-format json checkpoint --image-path "$WORK/img" \
	--work-path "$WORK/wp" --leave-running c1
check_err "checkpoint with containerd's flags is refused clearly" \
	"checkpoint/restore is not supported by runt (no CRIU)"
check_rc "checkpoint exits 1, not a usage error" 1
check_match "the refusal is the error line of the JSON log (what containerd reports)" \
	'^\{"level":"error","msg":"checkpoint: checkpoint/restore is not supported' \
	"$(cat "$WORK/criu.json" 2>/dev/null)"
rtc restore --bundle "$WORK" --detach --pid-file "$WORK/p" c1
check_err "restore is refused the same way" "checkpoint/restore is not supported"

done_testing
