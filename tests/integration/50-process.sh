#!/bin/sh
# 50-process.sh - the process object and the linux settings that shape it: args, env, cwd,
# user, umask, capabilities, rlimits, noNewPrivileges, oomScoreAdj, hostname, domainname,
# sysctl, personality, root.readonly, rootfsPropagation, no leaked fds.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/lib.sh"
require_runt

# --- args, env, cwd ---
run_probe args argv 'a b' 'q"uote' 'back\slash' '' '$HOME'
check_rc "run with unusual args exits 0" 0
check_eq "args[0] reaches the process" /bin/probe "$(kv argv.0 "$OUT")"
check_eq "an arg with a space" 'a b' "$(kv argv.2 "$OUT")"
check_eq "an arg with a quote" 'q"uote' "$(kv argv.3 "$OUT")"
check_eq "an arg with a backslash" 'back\slash' "$(kv argv.4 "$OUT")"
check_match "an empty arg" '^argv\.5=$' "$OUT"
check_eq "no shell expansion" '$HOME' "$(kv argv.6 "$OUT")"
check_eq "argc" 7 "$(kv argc "$OUT")"

RUNT_LEAK_CHECK=from-the-runtime \
	RUNT_ENV='["PATH=/bin:/usr/bin", "FOO=bar baz", "EMPTY=", "EQ=a=b"]' \
	run_probe env env PATH env FOO env EMPTY env EQ env RUNT_LEAK_CHECK
check_rc "run with env exits 0" 0
check_eq "env: PATH as given" /bin:/usr/bin "$(kv env.PATH "$OUT")"
check_eq "env: a value with a space" "bar baz" "$(kv env.FOO "$OUT")"
check_match "env: an empty value is set" '^env\.EMPTY=$' "$OUT"
check_eq "env: a value with =" "a=b" "$(kv env.EQ "$OUT")"
check_match "env: the runtime's own environment does not leak in" '^env\.RUNT_LEAK_CHECK\.unset=1$' "$OUT"

RUNT_CWD=/var/tmp run_probe cwd cwd
check_eq "cwd as given" /var/tmp "$(kv cwd "$OUT")"
leftovers_check "args env cwd"

# --- defaults of mkbundle's runc-like config ---
run_probe defaults id umask rlimit NOFILE nnp caps hostname fds
check_rc "run with the default config exits 0" 0
check_eq "default: uid 0" 0 "$(kv uid "$OUT")"
check_eq "default: no supplementary groups" "" "$(kv groups "$OUT")"
check_eq "default: umask 0022" 0022 "$(kv umask "$OUT")"
check_eq "default: RLIMIT_NOFILE 1024 1024" "1024 1024" "$(kv rlimit.NOFILE "$OUT")"
check_eq "default: noNewPrivileges" 1 "$(kv nnp "$OUT")"
# CAP_KILL 5, CAP_NET_BIND_SERVICE 10, CAP_AUDIT_WRITE 29
for set in eff prm bnd; do
	check_eq "default: cap.$set is runc's three" 0000000020000420 "$(kv "cap.$set" "$OUT")"
done
check_eq "default: no inheritable caps" 0000000000000000 "$(kv cap.inh "$OUT")"
check_eq "default: hostname" runt "$(kv hostname "$OUT")"
check_eq "only fds 0 1 2 are open in the process (nothing of runt's leaks)" "0 1 2" \
	"$(printf '%s\n' "$OUT" | sed -n 's/^fd\.\([0-9]*\)=.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
leftovers_check "defaults"

# --- user ---
RUNT_USER='{"uid": 1000, "gid": 1000, "additionalGids": [10, 20], "umask": 63}' \
	run_probe user id umask write /tmp/by-user x
check_rc "run as uid 1000 exits 0" 0
check_eq "uid" 1000 "$(kv uid "$OUT")"
check_eq "euid" 1000 "$(kv euid "$OUT")"
check_eq "gid" 1000 "$(kv gid "$OUT")"
check_eq "egid" 1000 "$(kv egid "$OUT")"
check_eq "additionalGids" 10,20 "$(kv groups "$OUT")"
check_eq "umask 63 is 0077" 0077 "$(kv umask "$OUT")"
check_eq "a file it creates: owner, group and mode from umask" "1000:1000 600" \
	"$(stat -c '%u:%g %a' "$WORK/user/rootfs/tmp/by-user" 2>/dev/null)"
# Ids above 16 bits: on 32-bit ARM the plain set*id calls take 16-bit ids, where 65535
# means "unchanged" (the process stayed root) and 100000 became 34464.
RUNT_USER='{"uid": 65535, "gid": 100000, "additionalGids": [70000]}' run_probe user32 id
check_rc "run as uid 65535, gid 100000 exits 0" 0
check_eq "uid 65535 (not root)" 65535,65535 "$(kv uid "$OUT"),$(kv euid "$OUT")"
check_eq "gid 100000" 100000,100000 "$(kv gid "$OUT"),$(kv egid "$OUT")"
check_eq "additionalGids [70000]" 70000 "$(kv groups "$OUT")"

# --- capabilities ---
RUNT_CAPS="CAP_CHOWN CAP_KILL" run_probe caps2 caps
check_rc "run with two capabilities exits 0" 0
for set in eff prm bnd; do
	check_eq "CAP_CHOWN+CAP_KILL: cap.$set" 0000000000000021 "$(kv "cap.$set" "$OUT")"
done
check_eq "CAP_CHOWN+CAP_KILL: cap.inh empty" 0000000000000000 "$(kv cap.inh "$OUT")"

RUNT_CAPS= run_probe nocaps caps
check_rc "run with no capabilities at all exits 0" 0
for set in eff prm bnd inh amb; do
	check_eq "no capabilities: cap.$set" 0000000000000000 "$(kv "cap.$set" "$OUT")"
done

one='["CAP_NET_BIND_SERVICE"]'
RUNT_USER='{"uid": 1000, "gid": 1000}' \
	RUNT_CAPS_JSON="{\"bounding\": $one, \"effective\": $one, \"permitted\": $one, \"inheritable\": $one, \"ambient\": $one}" \
	run_probe ambient id caps
check_rc "run as uid 1000 with an ambient capability exits 0" 0
check_eq "ambient: uid 1000" 1000 "$(kv uid "$OUT")"
for set in eff prm bnd inh amb; do
	check_eq "ambient CAP_NET_BIND_SERVICE survives the uid change: cap.$set" \
		0000000000000400 "$(kv "cap.$set" "$OUT")"
done
leftovers_check "user and capabilities"

# --- rlimits, noNewPrivileges, oomScoreAdj ---
hard=$(ulimit -Hn)
[ "$hard" = unlimited ] || [ "$hard" -ge 2048 ] && hard=2048
RUNT_RLIMITS="[{\"type\": \"RLIMIT_NOFILE\", \"hard\": $hard, \"soft\": 512}, {\"type\": \"RLIMIT_CORE\", \"hard\": 0, \"soft\": 0}]" \
	run_probe rlimits rlimit NOFILE rlimit CORE
check_rc "run with rlimits exits 0" 0
check_eq "RLIMIT_NOFILE soft and hard" "512 $hard" "$(kv rlimit.NOFILE "$OUT")"
check_eq "RLIMIT_CORE soft and hard" "0 0" "$(kv rlimit.CORE "$OUT")"

if [ "$(kv nnp "$("$PROBE" nnp)")" = 0 ]; then
	RUNT_NNP=false run_probe nnp nnp
	check_eq "noNewPrivileges false" 0 "$(kv nnp "$OUT")"
else
	skip "noNewPrivileges false" "the test itself runs with no_new_privs"
fi

host_oom=$(cat /proc/self/oom_score_adj)
RUNT_EXTRA_PROCESS='"oomScoreAdj": 123' run_probe oom oom
check_eq "oomScoreAdj" 123 "$(kv oom_score_adj "$OUT")"
check_eq "the caller's oom_score_adj is untouched" "$host_oom" "$(cat /proc/self/oom_score_adj)"
leftovers_check "rlimits nnp oom"

# --- hostname, domainname, sysctl, personality ---
host_name=$(hostname)
RUNT_HOSTNAME=box1 RUNT_EXTRA_TOP='"domainname": "example.org"' run_probe uts hostname domainname
check_rc "run with hostname and domainname exits 0" 0
check_eq "hostname" box1 "$(kv hostname "$OUT")"
check_eq "domainname" example.org "$(kv domainname "$OUT")"
check_eq "the host's hostname is untouched" "$host_name" "$(hostname)"

host_fwd=$(cat /proc/sys/net/ipv4/ip_forward)
host_msgmax=$(cat /proc/sys/kernel/msgmax)
RUNT_EXTRA_LINUX='"sysctl": {"net.ipv4.ip_forward": "1", "kernel.msgmax": "4096"}' \
	run_probe sysctl sysctl net.ipv4.ip_forward sysctl kernel.msgmax
check_rc "run with sysctls exits 0" 0
check_eq "net.ipv4.ip_forward in the new network namespace" 1 "$(kv sysctl.net.ipv4.ip_forward "$OUT")"
check_eq "kernel.msgmax in the new ipc namespace" 4096 "$(kv sysctl.kernel.msgmax "$OUT")"
check_eq "the host's ip_forward is untouched" "$host_fwd" "$(cat /proc/sys/net/ipv4/ip_forward)"
check_eq "the host's msgmax is untouched" "$host_msgmax" "$(cat /proc/sys/kernel/msgmax)"

RUNT_NAMESPACES="pid mount" RUNT_HOSTNAME= RUNT_EXTRA_LINUX='"sysctl": {"kernel.msgmax": "4000"}' \
	run_probe sysctl-host sysctl kernel.msgmax
check_err "a sysctl of a namespace the container shares with the host is refused" kernel.msgmax
check_eq "... and the host's msgmax is untouched" "$host_msgmax" "$(cat /proc/sys/kernel/msgmax)"

RUNT_EXTRA_LINUX='"personality": {"domain": "LINUX32"}' run_probe pers personality
check_rc "run with personality LINUX32 exits 0" 0
case $(uname -m) in
# 32-bit ARM's ELF loader sets PER_LINUX | ADDR_LIMIT_32BIT on every execve: the domain
# runt set before it cannot reach the process there.
arm*) check_eq "personality after execve on arm: PER_LINUX|ADDR_LIMIT_32BIT" 0x800000 \
	"$(kv personality "$OUT")" ;;
*) check_eq "personality LINUX32" 0x8 "$(kv personality "$OUT")" ;;
esac
leftovers_check "uts sysctl personality"

# --- root.readonly ---
RUNT_READONLY=true run_probe ro write /probe-ro x write /tmp/probe-ro x write /dev/shm/x x
check_rc "run with a read-only root exits 0" 0
check_eq "read-only root: / is not writable" "error EROFS" "$(kv write./probe-ro "$OUT")"
check_eq "read-only root: /tmp in it is not writable" "error EROFS" "$(kv write./tmp/probe-ro "$OUT")"
check_eq "read-only root: /dev/shm (tmpfs) still is" ok "$(kv write./dev/shm/x "$OUT")"
RUNT_READONLY=false run_probe rw write /probe-rw x
check_eq "writable root: / is writable" ok "$(kv write./probe-rw "$OUT")"
check "... and the file lands in the bundle's rootfs" test -f "$WORK/rw/rootfs/probe-rw"
leftovers_check "root.readonly"

# --- rootfsPropagation ---
RUNT_EXTRA_LINUX='"rootfsPropagation": "private"' run_probe prop-private mountinfo
check_rc "rootfsPropagation private: run exits 0" 0
check_match "rootfsPropagation private: / is private" '^mount=/ .* prop=private ' "$OUT"
for p in slave shared rslave rprivate rshared unbindable; do
	RUNT_EXTRA_LINUX="\"rootfsPropagation\": \"$p\"" run_probe "prop-$p" mountinfo
	check_rc "rootfsPropagation $p: run exits 0" 0
	leftovers_check "rootfsPropagation $p (no mount leaks to the host)"
done

done_testing
