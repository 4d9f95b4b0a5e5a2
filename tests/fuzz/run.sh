#!/bin/sh
# run.sh - runs the libFuzzer harnesses build/fuzz/fuzz-<target> (make fuzz, make fuzz-check).
#   run.sh SECONDS TARGET...          fuzz each for SECONDS; the corpus grows in
#                                     build/fuzz/corpus/<target>, seeded from tests/fuzz/corpus
#   run.sh --check SECONDS TARGET...  replay tests/fuzz/corpus/<target> and every past crash in
#                                     tests/fuzz/crashes/<target>, then fuzz SECONDS each
# A crash is left in build/fuzz/crashes/<target>/: fix it, and commit the input to
# tests/fuzz/crashes/<target>/ as its regression test. TAP.
cd "$(dirname "$0")/../.." || exit 1
check=
[ "$1" = --check ] && check=1 && shift
secs=$1
shift
n=0 fail=0
result() { # status description
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2" && fail=$((fail + 1)); fi
}
for t in "$@"; do
	bin=build/fuzz/fuzz-$t seeds=tests/fuzz/corpus/$t work=build/fuzz/corpus/$t
	out=build/fuzz/crashes/$t log=build/fuzz/$t.log
	mkdir -p "$work" "$out"
	if [ -n "$check" ]; then
		set -- "$seeds"/* tests/fuzz/crashes/"$t"/*
		files=
		for f; do [ -f "$f" ] && files="$files $f"; done
		# shellcheck disable=SC2086
		"$bin" -runs=1 $files >"$log" 2>&1
		result $? "$t: replays $(echo $files | wc -w) committed inputs (corpus and past crashes)" ||
			true
		[ "$fail" = 0 ] || tail -20 "$log" | sed 's/^/# /'
	fi
	"$bin" -max_total_time="$secs" -max_len=16384 -timeout=10 -rss_limit_mb=1024 \
		-dict=tests/fuzz/json.dict -artifact_prefix="$out/" -print_final_stats=1 \
		"$work" "$seeds" >"$log" 2>&1
	st=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	result $st "$t: fuzzed ${secs} s: ${execs:-?} runs (${rate:-?}/s), ${cov:-cov: ?}"
	[ $st = 0 ] || { grep -A12 'ERROR\|runtime error' "$log" | head -30 | sed 's/^/# /'; ls "$out" | sed 's/^/# artifact: /'; }
done
echo "1..$n"
echo "# fuzz: $((n - fail)) passed, $fail failed"
[ "$fail" = 0 ]
