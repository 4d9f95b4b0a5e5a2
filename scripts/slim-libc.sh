#!/bin/sh
# Replaces libc calls whose musl versions are large for what runt uses (issue 8, binary
# size) with fmt.c's and mini.c's: the printf family (vfprintf and stdio, ~14 KB), set*id,
# setgroups and setrlimit (thread broadcast), fork (atfork locks), gmtime_r (timezones),
# strto*l (stdio scanner) and atoi, strstr, strlcpy, realpath, qsort, getpwuid (NSS),
# sysconf(_SC_PAGESIZE), clock_gettime (vDSO lookup), faccessat (AT_EACCESS emulation),
# utimensat, futimens and fcntl (fallbacks for kernels older than 2.6.24), fstatat, fstat
# and stat (struct stat copied field by field), fchmodat (its own AT_SYMLINK_NOFOLLOW stat),
# fchdir, fchmod and fchown (/proc/self/fd retries for O_PATH fds on kernels before 3.6),
# sendmsg and recvmsg (msghdr copies that zero its 64-bit padding), socket, socketpair and
# pipe2 (CLOEXEC emulated for kernels before 2.6.27);
# open (musl follows O_CLOEXEC with an fcntl for pre-2.6.23 kernels: a syscall per open).
# Idempotent; re-run after merging code that calls them:
#   sh scripts/slim-libc.sh *.c && make fmt
# Tests and bench programs keep libc's: they are not part of the binary.
set -eu

# add_include FILE HEADER: into the block of local includes, sorted, once.
add_include()
{
	grep -q "^#include \"$2\"" "$1" && return 0
	awk -v h="\"$2\"" '!done && /^#include "/ && $2 > h { print "#include " h; done = 1 }
	     { print }
	     END { if (!done) exit 1 }' "$1" > "$1.tmp" ||
		awk -v h="\"$2\"" -v last="$(grep -n '^#include "' "$1" | tail -1 | cut -d: -f1)" \
			'{ print } NR == last { print "#include " h }' "$1" > "$1.tmp"
	mv "$1.tmp" "$1"
}

for f in "$@"; do
	case $f in fmt.c | */fmt.c | mini.c | */mini.c | alloc.c | */alloc.c) continue ;; esac
	sed -E -i \
		-e 's/\b(v?snprintf|dprintf)\(/rt_\1(/g' \
		-e 's/\bfprintf\(stderr, /rt_dprintf(2, /g' \
		-e 's/\bfputs\(([^;]*), stdout\);/rt_out(\1);/g' \
		-e 's/\bputs\(([^;]*)\);/rt_printf("%s\\n", \1);/g' \
		-e 's/\bprintf\(/rt_printf(/g' \
		-e 's/\b(gmtime_r|realpath|qsort|getpwuid|setresuid|setresgid|setgroups|setrlimit|strtou?ll?|atoi|strstr|strlcpy|clock_gettime|faccessat|utimensat|futimens|fcntl|fstatat|fstat|stat|fchmodat|fchdir|fchmod|fchown|sendmsg|recvmsg|socket|socketpair|pipe2)\(/rt_\1(/g' \
		-e 's/\bfork\(\)/rt_fork()/g' \
		-e 's/\bopen\(/rt_open(/g' \
		-e 's/\bsysconf\(_SC_PAGESIZE\)/getpagesize()/g' \
		"$f"
	if grep -qE '\brt_(v?snprintf|dprintf|printf|out)\(' "$f"; then
		add_include "$f" fmt.h
	fi
	if grep -qE '\brt_(gmtime_r|realpath|qsort|getpwuid|setres[ug]id|setgroups|setrlimit|strtou?ll?|atoi|strstr|strlcpy|clock_gettime|faccessat|utimensat|futimens|fcntl|fork|open|fstatat|fstat|stat|fchmodat|fchdir|fchmod|fchown|sendmsg|recvmsg|socket|socketpair|pipe2)\(' "$f"; then
		add_include "$f" mini.h
	fi
done
