#!/bin/sh
# 30-list-spec.sh - `list` (table, --format json, -q) and `spec` (writes a config.json that
# runs as it is).
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# --- list ---
rtc list
check_rc "list with no containers exits 0" 0
check_match "list prints runc's header" '^ID +PID +STATUS +BUNDLE +CREATED +OWNER *$' "$OUT"
check_eq "list prints only the header when empty" 1 "$(printf '%s\n' "$OUT" | grep -c .)"
rtc list -q
check_eq "list -q prints nothing when empty" "" "$OUT"
rtc list --format json
check_rc "list --format json exits 0 when empty" 0
check_match "an empty json list is [] or null" '^[[:space:]]*(\[[[:space:]]*\]|null)[[:space:]]*$' \
	"$(printf '%s' "$OUT" | tr -d '\n')"

a=$(cid la)
b=$(cid lb)
BA=$(bundle la /bin/probe sleep 300)
BB=$(bundle lb /bin/probe sleep 300)
rt_create "$a" "$BA"
rt_create "$b" "$BB"
rtc start "$b"
rtc state "$a"
pa=$(json_get pid "$OUT")
rtc state "$b"
pb=$(json_get pid "$OUT")

rtc list
check_rc "list exits 0" 0
check_match "list: row for the created container" \
	"^$a +$pa +created +$BA +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +(root|#0) *\$" "$OUT"
check_match "list: row for the running container" \
	"^$b +$pb +running +$BB +[0-9]{4}-[0-9]{2}-[0-9]{2}T[^ ]+ +(root|#0) *\$" "$OUT"
rtc list -q
check_eq "list -q prints the ids, one a line" "$(printf '%s\n' "$a" "$b" | sort)" \
	"$(printf '%s\n' "$OUT" | sort)"
rtc list --format json
check_rc "list --format json exits 0" 0
json=$(printf '%s' "$OUT" | tr -d '\n')
check_match "list json is an array" '^[[:space:]]*\[.*\][[:space:]]*$' "$json"
check_eq "list json has two ids" 2 "$(printf '%s' "$json" | grep -o '"id"[[:space:]]*:' | wc -l | tr -d ' ')"
check_match "list json: the created one" "\"id\"[[:space:]]*:[[:space:]]*\"$a\"[^}]*\"status\"[[:space:]]*:[[:space:]]*\"created\"" "$json"
check_match "list json: the running one with its pid" "\"id\"[[:space:]]*:[[:space:]]*\"$b\"[^}]*\"pid\"[[:space:]]*:[[:space:]]*$pb[^0-9]" "$json"
rtc delete --force "$a"
rtc delete --force "$b"
rtc list -q
check_eq "list -q is empty after delete" "" "$OUT"
leftovers_check "list"

# --- spec ---
S=$WORK/spec
mkdir -p "$S"
rtc spec --bundle "$S"
check_rc "spec --bundle exits 0" 0
check "spec writes config.json" test -s "$S/config.json"
spec=$(cat "$S/config.json" 2>/dev/null)
check_match "spec: ociVersion 1.2.x" '"ociVersion"[[:space:]]*:[[:space:]]*"1\.2\.[0-9]+"' "$spec"
check_match "spec: args are [\"sh\"]" '"args"[[:space:]]*:[[:space:]]*\[[[:space:]]*"sh"[[:space:]]*\]' \
	"$(printf '%s' "$spec" | tr -d '\n')"
check_match "spec: root.path rootfs" '"path"[[:space:]]*:[[:space:]]*"rootfs"' "$spec"
cp "$S/config.json" "$WORK/spec.orig"
echo '{"changed": true}' >"$S/config.json"
rtc spec --bundle "$S"
check_err "spec refuses to overwrite config.json" "exists"
check_eq "config.json is left untouched" '{"changed": true}' "$(cat "$S/config.json")"
cp "$WORK/spec.orig" "$S/config.json"

# Only the rootfs is added: the default spec must run as it is (sh reads EOF and exits).
sh "$TESTS/mkbundle.sh" "$WORK/spec-rootfs" >/dev/null && mv "$WORK/spec-rootfs/rootfs" "$S/rootfs"
id=$(cid spec)
rtc run --bundle "$S" "$id"
check_rc "the default spec runs as it is (sh with stdin at EOF exits 0)" 0
leftovers_check "spec round trip"

done_testing
