#!/bin/sh
# Replaces libc's printf family with fmt.c's in runt's sources (issue 8, binary size: musl's
# vfprintf and stdio cost ~14 KB). Idempotent; re-run after merging code that calls them:
#   sh scripts/use-fmt.sh *.c && make fmt
# Tests and bench programs keep libc's printf: they are not part of the binary.
set -eu
for f in "$@"; do
	case $f in fmt.c | */fmt.c) continue ;; esac
	sed -E -i \
		-e 's/\b(v?snprintf|dprintf)\(/rt_\1(/g' \
		-e 's/\bfprintf\(stderr, /rt_dprintf(2, /g' \
		-e 's/\bfputs\(([^;]*), stdout\);/rt_out(\1);/g' \
		-e 's/\bputs\(([^;]*)\);/rt_printf("%s\\n", \1);/g' \
		-e 's/\bprintf\(/rt_printf(/g' \
		"$f"
	grep -qE '\brt_(v?snprintf|dprintf|printf|out)\(' "$f" || continue
	grep -q '^#include "fmt.h"' "$f" && continue
	# "fmt.h" goes into the sorted block of local includes, before the first one after it.
	awk '!done && /^#include "/ && $2 > "\"fmt.h\"" { print "#include \"fmt.h\""; done = 1 }
	     { print }
	     /^#include "/ { last = NR }
	     END { if (!done) exit 1 }' "$f" > "$f.tmp" ||
		awk -v last="$(grep -n '^#include "' "$f" | tail -1 | cut -d: -f1)" \
			'{ print } NR == last { print "#include \"fmt.h\"" }' "$f" > "$f.tmp"
	mv "$f.tmp" "$f"
done
