#!/bin/sh
# size.sh - make test-unit: the static binary's size budget (issue 8: at most 150 KB on
# x86_64 with everything in it) and none of musl's big pieces linked back in by new code
# (the link map, build/runt.map; scripts/slim-libc.sh swaps the callers). TAP.
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

SLIM='vfprintf|malloc|fopen|__fdopen|__tz|qsort|intscan|getpw_a|realpath|strstr|synccall'
if [ -f build/runt.map ] && grep -q 'libc\.a' build/runt.map; then
	big=$(grep -oE "libc\.a\(($SLIM)\.lo\)" build/runt.map | sort -u | tr '\n' ' ')
	check "$([ -z "$big" ]; echo $?)" "runt links none of musl's big pieces${big:+ (links: $big)}"
else
	skip "no musl link map (build/runt.map): not a musl build"
fi
size=$(stat -c %s runt 2>/dev/null || echo 0)
if readelf -h runt 2>/dev/null | grep -q 'X86-64' && ! readelf -l runt | grep -q INTERP; then
	check "$([ "$size" -gt 0 ] && [ "$size" -le 153600 ]; echo $?)" \
		"static x86_64 runt is at most 150 KB (153600 bytes): $size"
else
	skip "runt is not a static x86_64 build: the 150 KB budget is x86_64's"
fi
echo "1..$n"
echo "$((pass + skip)) passed, $fail failed"
[ "$fail" -eq 0 ]
