#!/bin/sh
# report.sh - turns the raw figures bench.sh collected (RESULTS dir) into OUT/benchmarks.md
# (medians, min-max, ratios vs crun, targets) and OUT/benchmarks.png (gnuplot).
#
#   sh bench/report.sh RESULTS OUT
set -eu

R=$1
OUT=$2
TOP=$(cd "$(dirname "$0")/.." && pwd)
touch "$R/latency" "$R/rss" "$R/syscalls" "$R/size" "$R/memfloor" "$R/seccomp"

# field NAME RUNTIME FILE COLUMN: column COLUMN of the line "NAME RUNTIME ..." in FILE.
field() {
	awk -v n="$1" -v r="$2" -v c="$4" '$1 == n && $2 == r { print $c; exit }' "$3"
}

# A latency cell: "median (min–max)"; DIV scales (1000: s instead of ms).
lat_cell() {
	line=$(awk -v n="$1" -v r="$2" '$1 == n && $2 == r' "$R/latency")
	case $line in
	"") echo "not measured" ;;
	*unsupported*) echo "${line#* * unsupported }" ;;
	*) echo "$line" | awk -v d="${3:-1}" '{ f = d == 1 ? "%.2f (%.2f–%.2f)" : "%.2f (%.2f–%.2f)";
		printf f, $3 / d, $4 / d, $5 / d }' ;;
	esac
}

# ratio A B: A/B as "0.31×", empty when either is missing or not a number.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f×", a / b }'
}

# "512k" / "1536k" / "2M" -> KB.
kb() {
	case $1 in
	*k) echo "${1%k}" ;;
	*M) echo $((${1%M} * 1024)) ;;
	*) echo "" ;;
	esac
}

# met VALUE OP LIMIT: "met" / "**missed**" / "—".
met() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { if (v == "" || v + 0 == 0) { print "—"; exit }
		ok = op == "le" ? v + 0 <= l + 0 : v + 0 >= l + 0; print ok ? "met" : "**missed**" }'
}

lat_row() {
	label=$1 name=$2 div=${3:-1}
	rm_=$(field "$name" runt "$R/latency" 3)
	cm=$(field "$name" crun "$R/latency" 3)
	rr=$(ratio "$rm_" "$cm")
	[ -z "$rr" ] || rr="$rr ($(ratio "$cm" "$rm_") faster)"
	printf '| %s | %s | %s | %s | %s | %s |\n' "$label" "$(lat_cell "$name" runt "$div")" \
		"$(lat_cell "$name" crun "$div")" "$(lat_cell "$name" runc "$div")" "$rr" "${4:-}"
}

# rss RUNTIME TOOL VERB: median peak RSS in KB (TOOL own: bench/rss; time: /usr/bin/time).
rss() {
	awk -v r="$1" -v t="$2" -v v="$3" '$1 == "rss" && $2 == r && $3 == t { for (i = 4; i <= NF; i++)
		if (index($i, v "=") == 1) { print substr($i, length(v) + 2); exit } }' "$R/rss"
}

rss_cell() {
	echo "$(rss "$1" own "$2") (time: $(rss "$1" time "$2"))"
}

rss_row() {
	a=$(rss runt own "$1") b=$(rss crun own "$1")
	printf '| peak RSS `%s` (KB) | %s | %s | %s | %s | %s |\n' "$1" "$(rss_cell runt "$1")" \
		"$(rss_cell crun "$1")" "$(rss_cell runc "$1")" "$(ratio "$a" "$b")" "${2:-}"
}

table() {
	run_r=$(ratio "$(field run crun "$R/latency" 3)" "$(field run runt "$R/latency" 3)")
	echo "| measure | runt | crun | runc | runt vs crun | target (runt vs crun) |"
	echo "| --- | --- | --- | --- | --- | --- |"
	lat_row '`run /bin/true` (ms)' run 1 \
		"≥ 3× faster: $(met "${run_r%×}" ge 3)"
	a=$(field run runt "$R/latency" 6) b=$(field run crun "$R/latency" 6)
	printf '| `run /bin/true` CPU time, user+sys (ms, mean) | %s | %s | %s | %s | |\n' \
		"${a:-?}" "${b:-?}" "$(field run runc "$R/latency" 6)" \
		"$(ratio "$a" "$b")${a:+ ($(ratio "$b" "$a") less)}"
	lat_row '`run /bin/true` with podman'"'"'s seccomp profile (ms)' run-seccomp
	lat_row '`create`+`start`+`delete -f` (ms)' create-start-delete
	lat_row '`exec /bin/true` into a running container (ms)' exec
	lat_row "$(awk '$1 ~ /^seq/ { sub("seq", "", $1); print $1; exit }' "$R/latency") sequential \`run\` (s)" \
		"$(awk '$1 ~ /^seq/ { print $1; exit }' "$R/latency")" 1000
	lat_row "$(awk '$1 ~ /^par/ { sub("par", "", $1); print $1; exit }' "$R/latency") parallel \`run\` (ms, wall)" \
		"$(awk '$1 ~ /^par/ { print $1; exit }' "$R/latency")"
	a=$(rss runt own run) b=$(rss crun own run)
	q=$(awk -v a="$a" -v b="$b" 'BEGIN { if (a > 0 && b > 0) print a * 4 / b }')
	rss_row run "≤ 1/4: $(met "$q" le 1)"
	for v in create start state kill delete; do rss_row "$v"; done
	printf '| floor of the RSS tools: a static `true` (KB) | %s | | | | |\n' "$(rss_cell runt tool)"
	s1=$(field size runt "$R/size" 3) s2=$(field size crun "$R/size" 3) s3=$(field size runc "$R/size" 3)
	printf '| binary + its shared libraries (KB) | %s (static) | %s | %s | %s | runt ≤ 150 KB: %s |\n' \
		$((s1 / 1024)) $((s2 / 1024)) $((s3 / 1024)) "$(ratio "$s1" "$s2")" \
		"$(met $((s1 / 1024)) le 150)"
	for t in aarch64:175 armv7:125; do
		b=$(field size-bin "runt-${t%:*}" "$R/size" 3)
		if [ -n "$b" ]; then
			printf '| static binary, %s (KB) | %s | | | | runt ≤ %s KB: %s |\n' \
				"${t%:*}" $((b / 1024)) "${t#*:}" "$(met $((b / 1024)) le "${t#*:}")"
		fi
	done
	a=$(field syscalls runt "$R/syscalls" 3) b=$(field syscalls crun "$R/syscalls" 3)
	printf '| syscalls of one `run` (strace -f -c) | %s | %s | %s | %s | |\n' "${a:-?}" "${b:-?}" \
		"$(field syscalls runc "$R/syscalls" 3)" "$(ratio "$a" "$b")"
	seccomp_row
	floor_row
	a=$(field peak runt "$R/memfloor" 3) b=$(field peak crun "$R/memfloor" 3)
	printf '| board: memory.peak of one `run` (KB) | %s | %s | %s | %s | |\n' "${a:-?}" "${b:-?}" \
		"$(field peak runc "$R/memfloor" 3)" "$(ratio "$a" "$b")"
}

# podman's default profile: BPF instructions and CPU time of one parse + compile; crun and
# runc both compile with libseccomp, so they share one figure.
seccomp_row() {
	ri=$(awk '$2 == "runt" && $3 == "seccomp_insns" { print $4 }' "$R/seccomp")
	rt_=$(awk '$2 == "runt" && $3 == "seccomp_compile_us" { printf "%.2f", $4 / 1000 }' "$R/seccomp")
	li=$(awk '$2 == "libseccomp" && $3 == "seccomp_insns" { print $4 }' "$R/seccomp")
	lt=$(awk '$2 == "libseccomp" && $3 == "seccomp_compile_us" { printf "%.2f", $4 / 1000 }' "$R/seccomp")
	l="${li:-?} insns, ${lt:-?} ms (libseccomp)"
	printf '| seccomp: podman'"'"'s default profile, BPF size / compile CPU time | %s | %s | %s | %s / %s | |\n' \
		"${ri:-?} insns, ${rt_:-?} ms" "$l" "$l" "$(ratio "$ri" "$li")" "$(ratio "$rt_" "$lt")"
}

floor_row() {
	a=$(field floor runt "$R/memfloor" 3) b=$(field floor crun "$R/memfloor" 3)
	c=$(field floor runc "$R/memfloor" 3)
	ka=$(kb "${a:-x}") kbb=$(kb "${b:-x}")
	q=$(awk -v a="$ka" -v b="$kbb" 'BEGIN { if (a > 0 && b > 0) print a * 2 / b }')
	printf '| board: smallest memory.max for `run` | %s | %s | %s | %s | ≤ half: %s |\n' \
		"${a:-not run}" "${b:-not run}" "${c:-not run}" "$(ratio "$ka" "$kbb")" "$(met "$q" le 1)"
}

strace_top() {
	printf '\n<details><summary>strace -f -c of one `runt run` (top 15 by calls)</summary>\n\n```\n'
	awk 'NR > 2 && $NF != "total" && $1 !~ /^-/ { print }' "$R/strace-runt.txt" 2>/dev/null |
		sort -k4,4nr | head -n 15
	printf '```\n</details>\n'
}

plot() {
	: >"$R/plot.dat"
	for s in run run-seccomp create-start-delete exec \
		"$(awk '$1 ~ /^seq/ { print $1; exit }' "$R/latency")" \
		"$(awk '$1 ~ /^par/ { print $1; exit }' "$R/latency")"; do
		[ -n "$s" ] || continue
		div=1
		case $s in seq*) div=${s#seq} ;; par*) div=${s#par} ;; esac
		awk -v s="$s" -v d="$div" '
			$1 == s && $3 != "unsupported" { m[$2] = $3 / d; lo[$2] = $4 / d; hi[$2] = $5 / d }
			END { lab = s; if (s ~ /^seq/) lab = substr(s, 4) " seq. runs\\n(per run)";
				if (s ~ /^par/) lab = substr(s, 4) " parallel runs\\n(wall / " substr(s, 4) ")";
				if (s == "exec" && !("runt" in m)) lab = "exec\\n(runt: not yet)";
				if (s == "create-start-delete") lab = "create+start\\n+delete";
				if (s == "run-seccomp") lab = "run with\\nseccomp";
				printf "\"%s\"", lab
				n = split("runt crun runc", r, " ")
				for (i = 1; i <= n; i++)
					if (r[i] in m) printf " %.3f %.3f %.3f", m[r[i]], lo[r[i]], hi[r[i]]
					else printf " NaN NaN NaN"
				print "" }' "$R/latency" >>"$R/plot.dat"
	done
	gnuplot -e "datafile='$R/plot.dat'; outfile='$OUT/benchmarks.png'" "$TOP/bench/plot.gp"
}

{
	echo "# Benchmarks: runt vs crun vs runc"
	echo
	echo "Generated by \`make bench\` (bench/bench.sh) on $(date -u +%Y-%m-%d). Absolute times depend"
	echo "on the machine; **the ratios against crun, measured in the same run, are the figures that count.**"
	echo
	echo "- machine: $(cat "$R/machine" 2>/dev/null)"
	echo "- versions: $(cat "$R/versions" 2>/dev/null)"
	echo "- bundle (the same for all three): busybox rootfs from tests/mkbundle.sh running \`/bin/true\`"
	echo "  (a static \`true\`, bench/true.c, in place of busybox's so RSS figures are the runtime's),"
	echo "  runc's default namespaces (pid, network, ipc, uts, mount, cgroup) and mounts (proc, dev,"
	echo "  devpts, shm, mqueue, sysfs ro), masked and read-only paths, 3 capabilities, RLIMIT_NOFILE,"
	echo "  noNewPrivileges, hostname; a cgroup per container (no limits); the seccomp rows add"
	echo "  podman's default profile (containers-common's seccomp.json). Not exercised:"
	echo "  linux.resources, user namespace, hooks, terminal."
	echo "- host runs: a private mount namespace with the cgroup2 hierarchy at /sys/fs/cgroup (crun 1.8"
	echo "  refuses the host's hybrid layout); $(cat "$R/runc-cgroup.txt" 2>/dev/null)."
	echo "  State dirs (--root) on a tmpfs, as /run is. Latency: hyperfine -N (no shell), rounds"
	echo "  that interleave the runtimes, samples pooled: median (min–max); create+start+delete runs as"
	echo "  one /bin/sh script (dash start-up included for all three). Peak RSS, median of 5: bench/rss"
	echo "  (vfork + wait4 ru_maxrss: the process tree's own figure), and in brackets /usr/bin/time,"
	echo "  whose forked copy of itself is a floor (last RSS row). $(cat "$R/load" 2>/dev/null)."
	echo "- board runs (memory.max floor): QEMU guest under TCG, pure cgroup v2; the runtime itself is"
	echo "  placed in a cgroup with that memory.max (swap 0) and runs the bundle; ladder walked down,"
	echo "  2 attempts per step."
	echo
	table
	k=$(awk '$1 == "kernel" { printf "%.2f ms (%.2f–%.2f)", $3, $4, $5 }' "$R/latency")
	echo
	echo "Kernel floor: bench/floor.c, one static clone3 making the same six namespaces, execve of"
	echo "/bin/true, wait (no rootfs, mounts, cgroup or state): ${k:-not measured}."
	strace_top
	echo
	echo "![latency per runtime](benchmarks.png)"
	echo
	cat "$TOP/bench/findings.md"
} >"$OUT/benchmarks.md"
plot
