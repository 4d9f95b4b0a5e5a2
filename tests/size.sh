#!/bin/sh
# size.sh - make test-unit and make cross: each built target's static binary within its size
# budget (issue 8: x86_64 at most 150 KB with everything in it; issue 12: armv7 125 KB,
# aarch64 175 KB) and none of musl's big pieces linked back in by new code (the link maps,
# build/runt.map and build/<arch>/runt.map; scripts/slim-libc.sh swaps the callers). TAP.
cd "$(dirname "$0")/.." || exit 1
pass=0 fail=0 skip=0 n=0 # a skip counts as passed, as TAP's SKIP directive
check() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
		pass=$((pass + 1))
	else
		echo "not ok $n - $2"
		fail=$((fail + 1))
	fi
}
skip() {
	n=$((n + 1))
	echo "ok $n - # SKIP $1"
	skip=$((skip + 1))
}

SLIM='vfprintf|malloc|fopen|__fdopen|__tz|qsort|intscan|getpw_a|realpath|strstr|synccall|vdso|faccessat|fcntl|utimensat|fchmodat'
# budget BINARY MAP MACHINE ARCH BYTES KB: every target that is built has its own budget
# (issue 12: armv7 125 KB, aarch64 175 KB); a cross target that is not built is skipped.
budget() {
	if [ ! -f "$1" ]; then
		skip "no $1: the $4 budget applies when $4 is built"
		return
	fi
	# musl's archive members are .lo files, glibc's .o: a glibc build has no budget.
	musl=$(grep -qE 'libc\.a\([^)]*\.lo\)' "$2" 2>/dev/null && echo 1)
	if [ -n "$musl" ]; then
		big=$(grep -oE "libc\.a\(($SLIM)\.lo\)" "$2" | sort -u | tr '\n' ' ')
		check "$([ -z "$big" ]; echo $?)" "$4 runt links none of musl's big pieces${big:+ (links: $big)}"
	else
		skip "no musl link map ($2): not a musl build"
	fi
	size=$(stat -c %s "$1" 2>/dev/null || echo 0)
	if [ -n "$musl" ] && readelf -h "$1" 2>/dev/null | grep -q "Machine: *$3\$" &&
		! readelf -l "$1" | grep -q INTERP; then
		check "$([ "$size" -gt 0 ] && [ "$size" -le "$5" ]; echo $?)" \
			"static $4 runt is at most $6 KB ($5 bytes): $size"
	else
		skip "$1 is not a static $4 musl build: the $6 KB budget is that build's"
	fi
}
budget runt build/runt.map 'Advanced Micro Devices X86-64' x86_64 153600 150
budget build/aarch64/runt build/aarch64/runt.map AArch64 aarch64 179200 175
budget build/armv7/runt build/armv7/runt.map ARM armv7 128000 125
echo "1..$n"
echo "$((pass + skip)) passed, $fail failed"
[ "$fail" -eq 0 ]
