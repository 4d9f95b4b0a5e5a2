#!/bin/sh
# run.sh - make packaging-check (issue 14): runt as build systems build it. Sections, all by
# default: glibc (the host's glibc 2.36 + libbsd, static and dynamic, each through the whole
# integration suite), yocto (contrib/yocto with the real BitBake and OE-Core), buildroot
# (contrib/buildroot with the real Buildroot). The build systems come from the snapshots in
# $VENDOR (default ../shared/vendor), unpacked into a temporary directory; Debian's aarch64
# cross compilers stand in for the toolchains they would build. TAP, then "N passed, N failed".
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
# The snapshots: next to the checkout (../shared/vendor), next to its parent (a worktree), or
# next to the local repository it was cloned from (a CI clone in /tmp).
if [ -z "${VENDOR:-}" ]; then
	origin=$(git -C "$TOP" config --get remote.origin.url 2>/dev/null) || origin=
	case $origin in /*) ;; *) origin=$TOP ;; esac
	for VENDOR in "$TOP/../shared/vendor" "$TOP/../../shared/vendor" "$origin/../shared/vendor"; do
		[ -f "$VENDOR/bitbake.tar.xz" ] && break
	done
fi
BUILD_USER=${BUILD_USER:-runtbuild} # BitBake refuses to run as root
SECTIONS=${*:-glibc yocto buildroot}
n=0 pass=0 fail=0

ok() {
	n=$((n + 1)) pass=$((pass + 1))
	echo "ok $n - $*"
}
not_ok() {
	n=$((n + 1)) fail=$((fail + 1))
	echo "not ok $n - $*"
}
# check DESC CMD...: CMD exits 0.
check() {
	_d=$1
	shift
	if "$@" >"$W/check.out" 2>&1; then ok "$_d"; else
		not_ok "$_d"
		sed 's/^/# /' "$W/check.out" | tail -n 20
	fi
}
# has DESC FILE REGEX / hasnt DESC FILE REGEX: an extended regex matches a line of FILE (or none).
has() { check "$1" grep -qE "$3" "$2"; }
hasnt() { check "$1" sh -c '! grep -E "$2" "$1"' - "$2" "$3"; }
# as_user CMD: runs a shell command line as the build user, in W.
as_user() { su "$BUILD_USER" -s /bin/sh -c "cd '$W' && $1"; }

W=$(mktemp -d "${TMPDIR:-/tmp}/runt-pkg.XXXXXX") || exit 1
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$W"

# The tree under test, as a clean copy: tracked files as they are in the work tree.
mkdir "$W/tree" && (cd "$TOP" && git ls-files -z | xargs -0 cp --parents -t "$W/tree") || exit 1

# Stand-in compilers: Debian's cross gcc under the name a build system's toolchain has. A
# Yocto CC carries --sysroot (of a sysroot OE would have populated) and gcc 15 flags gcc 12
# does not know (-fcanon-prefix-map): both dropped. musl: Debian's musl-dev:arm64 specs.
# standin FILE LIBC (musl|gnu)
standin() {
	mkdir -p "$(dirname "$1")"
	specs=
	[ "$2" = musl ] && specs='-specs /usr/lib/aarch64-linux-musl/musl-gcc.specs'
	cat >"$1" <<EOF
#!/bin/sh
for a; do shift; case \$a in --sysroot=*|-fcanon-prefix-map) ;; *) set -- "\$@" "\$a" ;; esac; done
exec /usr/bin/aarch64-linux-gnu-gcc $specs "\$@"
EOF
	chmod 755 "$1"
}
# pkg-config for the arm64 multiarch libraries (libbsd-dev:arm64).
standin_pkgconfig() {
	mkdir -p "$(dirname "$1")"
	printf '#!/bin/sh\nunset PKG_CONFIG_SYSROOT_DIR PKG_CONFIG_PATH\n%s\n' \
		'PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig exec /usr/bin/pkg-config "$@"' >"$1"
	chmod 755 "$1"
}
# elf_checks WHAT FILE LIBC: an aarch64 runt; musl static, glibc dynamic.
elf_checks() {
	readelf -hld "$2" >"$W/elf.txt" 2>&1
	has "$1: runt is an aarch64 ELF" "$W/elf.txt" 'Machine: +AArch64'
	if [ "$3" = musl ]; then
		hasnt "$1: runt is static (musl)" "$W/elf.txt" 'Requesting program interpreter'
	else
		has "$1: runt is dynamic (glibc)" "$W/elf.txt" 'interpreter: /lib/ld-linux-aarch64'
	fi
}
unit_checks() {
	has "$1: the systemd unit runs ${2}/runt" "$3" "^ExecStart=$2/runt run "
	hasnt "$1: no /usr/local path left in the unit" "$3" '/usr/local'
}

# ---- glibc on the host ------------------------------------------------------------------
section_glibc() {
	echo "# glibc: the host's glibc $(ldd --version | sed -n '1s/.* //p') with libbsd"
	for link in static dynamic; do
		d=$W/glibc-$link
		cp -a "$W/tree" "$d"
		st=1 && [ $link = dynamic ] && st=0
		if make -C "$d" -j2 CC=gcc STATIC=$st runt build/tests/probe >"$W/b.log" 2>&1; then
			ok "glibc $link: make CC=gcc STATIC=$st builds runt and the probe"
		else
			not_ok "glibc $link: make CC=gcc STATIC=$st builds runt and the probe"
			tail -n 20 "$W/b.log" | sed 's/^/# /'
			continue
		fi
		hasnt "glibc $link: no compiler warning" "$W/b.log" 'warning:'
		readelf -ld "$d/runt" >"$W/elf.txt" 2>&1
		if [ $link = static ]; then
			hasnt "glibc static: no interpreter" "$W/elf.txt" 'program interpreter'
		else
			has "glibc dynamic: an interpreter" "$W/elf.txt" 'program interpreter'
		fi
		check "glibc $link: runt --version runs" "$d/runt" --version
		sh "$d/tests/run-integration.sh" >"$W/it.log" 2>&1
		tot=$(tail -n 1 "$W/it.log")
		if grep -q '^not ok' "$W/it.log" || ! echo "$tot" | grep -q ' 0 failed'; then
			not_ok "glibc $link: the integration suite passes ($tot)"
			grep '^not ok' "$W/it.log" | sed 's/^/# /'
		else
			ok "glibc $link: the integration suite passes ($tot)"
		fi
		rm -rf "$d"
	done
}

# ---- Yocto: the layer with BitBake and OE-Core ------------------------------------------
# yocto_run CFG FILE: the expanded do_compile and do_install of `bitbake -e` FILE, run the way
# BitBake runs a task (its exported variables and shell functions, in B), after an unpack
# emulated from this tree (runt in S, Debian's jsmn 1.1.0 header in S/jsmn: SRCREV_jsmn).
yocto_run() {
	e=$2
	v() { sed -n "s/^$1=\"\\(.*\\)\"\$/\\1/p" "$e" | tail -n 1; }
	S=$(v S) B=$(v B) D=$(v D)
	tc=$(v STAGING_BINDIR_TOOLCHAIN) prefix=$(v TARGET_PREFIX) nat=$(v STAGING_BINDIR_NATIVE)
	libc=musl && [ "$1" = glibc ] && libc=gnu
	as_user "mkdir -p '$S/jsmn' '$B' && cp -a tree/. '$S/' && cp /usr/include/jsmn.h '$S/jsmn/'"
	standin "$tc/${prefix}gcc" $libc
	standin_pkgconfig "$nat/pkg-config"
	chown -R "$BUILD_USER" "$tc" "$nat"
	for task in do_compile do_install; do
		{
			echo '#!/bin/sh -e'
			grep -E '^export [A-Za-z_][A-Za-z0-9_]*="[^"]*"$' "$e"
			awk '/^[A-Za-z_][A-Za-z0-9_-]*\(\) \{$/ { f = 1 } f { print } /^\}$/ { f = 0 }' "$e"
			echo "cd '$B'"
			echo "$task"
		} >"$W/run.$task"
		if as_user "sh -e run.$task" >"$W/$task.log" 2>&1; then
			ok "yocto $1: the expanded $task runs"
		else
			not_ok "yocto $1: the expanded $task runs"
			tail -n 20 "$W/$task.log" | sed 's/^/# /'
		fi
	done
	elf_checks "yocto $1" "$D/usr/bin/runt" "$libc"
	readelf -S "$D/usr/bin/runt" >"$W/sec.txt" 2>&1
	has "yocto $1: runt is left unstripped for OE to split (SMALL=0)" "$W/sec.txt" '\.symtab'
	unit_checks "yocto $1" /usr/bin "$D/usr/lib/systemd/system/runt@.service"
	if [ "$1" = glibc ]; then
		check "yocto glibc: PACKAGECONFIG runc installs bin/runc -> runt" \
			test "$(readlink "$D/usr/bin/runc")" = runt
	else
		check "yocto musl: no runc link without PACKAGECONFIG runc" test ! -e "$D/usr/bin/runc"
	fi
}

section_yocto() {
	echo "# yocto: BitBake and OE-Core from $VENDOR"
	y=$W/oe
	mkdir -p "$y"
	tar xf "$VENDOR/bitbake.tar.xz" -C "$y" && tar xf "$VENDOR/openembedded-core.tar.xz" -C "$y" &&
		ln -s ../bitbake "$y/openembedded-core/bitbake" || {
		not_ok "yocto: unpack the BitBake and OE-Core snapshots"
		return
	}
	# The layer's default source is the git repository it sits in: the copy becomes one.
	cp -a "$W/tree" "$y/runt"
	chown -R "$BUILD_USER" "$W"
	as_user "cd oe/runt && git init -q -b main && git add -A &&
		git -c user.name=t -c user.email=t@t.invalid commit -qm tree" >/dev/null 2>&1
	# MACHINE qemuarm64; musl here, glibc in a multiconfig with runt as the container runtime.
	cat >"$W/oe-env" <<EOF
cd '$y/openembedded-core' && set -- '$y/build' && . ./oe-init-build-env >/dev/null
EOF
	as_user ". ./oe-env && cat >>conf/local.conf <<'EOF'
BB_NO_NETWORK = \"1\"
MACHINE = \"qemuarm64\"
TCLIBC = \"musl\"
INIT_MANAGER = \"systemd\"
EOF" >/dev/null
	check "yocto: bitbake-layers add-layer contrib/yocto" \
		as_user ". ./oe-env && bitbake-layers add-layer '$y/runt/contrib/yocto'"
	# After add-layer: the multiconfig requires a file of the layer.
	as_user ". ./oe-env && mkdir -p conf/multiconfig && echo 'BBMULTICONFIG = \"glibc\"' >>conf/local.conf &&
		cat >conf/multiconfig/glibc.conf <<'EOF'
TCLIBC = \"glibc\"
TMPDIR = \"\${TOPDIR}/tmp-glibc\"
require conf/distro/include/runt-container-runtime.inc
EOF"
	as_user ". ./oe-env && bitbake-layers show-layers" >"$W/layers.txt" 2>&1
	has "yocto: the runt layer is listed with core" "$W/layers.txt" "^runt +$y/runt/contrib/yocto +6"
	for cfg in musl glibc; do
		target=runt && [ $cfg = glibc ] && target=mc:glibc:runt
		e=$W/e-$cfg.txt
		if as_user ". ./oe-env && bitbake -e $target" >"$e" 2>"$W/e-$cfg.err"; then
			ok "yocto $cfg: bitbake -e $target expands"
		else
			not_ok "yocto $cfg: bitbake -e $target expands"
			tail -n 20 "$W/e-$cfg.err" | sed 's/^/# /'
			continue
		fi
		hasnt "yocto $cfg: no ERROR from BitBake" "$W/e-$cfg.err" '^ERROR'
		has "yocto $cfg: TCLIBC is $cfg" "$e" "^TCLIBC=\"$cfg\""
		has "yocto $cfg: jsmn is a second SRC_URI at v1.1.0" "$e" \
			'^SRC_URI=".*github.com/zserge/jsmn.git;.*name=jsmn'
		has "yocto $cfg: the unit is the package's systemd service" "$e" \
			'^SYSTEMD_SERVICE:runt="runt@.service"'
		if [ $cfg = glibc ]; then
			has "yocto glibc: libbsd in DEPENDS" "$e" '^DEPENDS=".*libbsd'
			has "yocto glibc: dynamic link (RUNT_STATIC 0)" "$e" '^RUNT_STATIC="0"'
			has "yocto glibc: VIRTUAL-RUNTIME_container_runtime is runt" "$e" \
				'^VIRTUAL-RUNTIME_container_runtime="runt"'
			has "yocto glibc: runt provides virtual-runc" "$e" '^RPROVIDES:runt=".*virtual-runc'
		else
			hasnt "yocto musl: no libbsd in DEPENDS" "$e" '^DEPENDS=".*libbsd'
			has "yocto musl: static link (RUNT_STATIC 1)" "$e" '^RUNT_STATIC="1"'
		fi
		yocto_run $cfg "$e"
	done
	as_user ". ./oe-env && bitbake -m" >/dev/null 2>&1 # stop the BitBake server
}

# ---- Buildroot: the BR2_EXTERNAL tree --------------------------------------------------
br_run() {
	cfg=$1 out=$W/br-$1
	libc=musl && [ "$cfg" = glibc ] && libc=gnu
	printf '%s\n' BR2_aarch64=y "$2" BR2_PACKAGE_RUNT=y $3 >"$W/runt_${cfg}_defconfig"
	if make -C "$W/buildroot" O="$out" BR2_EXTERNAL="$W/tree/contrib/buildroot" \
		BR2_DEFCONFIG="$W/runt_${cfg}_defconfig" defconfig >"$W/br.log" 2>&1; then
		ok "buildroot $cfg: defconfig with BR2_EXTERNAL=contrib/buildroot"
	else
		not_ok "buildroot $cfg: defconfig with BR2_EXTERNAL=contrib/buildroot"
		tail -n 20 "$W/br.log" | sed 's/^/# /'
		return
	fi
	for sym in BR2_PACKAGE_RUNT BR2_PACKAGE_JSMN $3; do
		has "buildroot $cfg: ${sym%=y} is set (its depends on hold)" "$out/.config" "^${sym%=y}=y"
	done
	# Buildroot's own make evaluates the package: printvars, shell-quoted (sourced below).
	make -s -C "$out" printvars VARS='RUNT_% STAGING_DIR JSMN_INSTALL_STAGING_CMDS' \
		QUOTED_VARS=YES >"$W/vars-$cfg.txt" 2>&1
	has "buildroot $cfg: printvars evaluates the package (RUNT_SITE_METHOD local)" \
		"$W/vars-$cfg.txt" "^RUNT_SITE_METHOD='local'"
	has "buildroot $cfg: the build gets TARGET_CONFIGURE_OPTS' CC" "$W/vars-$cfg.txt" \
		"^RUNT_BUILD_CMDS=.* CC=\"$out/host/bin/aarch64-buildroot-linux-$libc-gcc\""
	if [ "$cfg" = glibc ]; then
		has "buildroot glibc: libbsd is a dependency" "$W/vars-$cfg.txt" '^RUNT_DEPENDENCIES=.*libbsd'
	else
		hasnt "buildroot musl: libbsd is not a dependency" "$W/vars-$cfg.txt" '^RUNT_DEPENDENCIES=.*libbsd'
	fi
	# What Buildroot would have done before: the stand-in toolchain, host pkg-config, jsmn
	# in staging (by jsmn's own expanded install command, from Debian's jsmn 1.1.0 header) and
	# runt's tree in its build directory.
	standin "$out/host/bin/aarch64-buildroot-linux-$libc-gcc" $libc
	standin_pkgconfig "$out/host/bin/pkg-config"
	. "$W/vars-$cfg.txt"
	mkdir -p "$W/jsmn-src" "$STAGING_DIR"
	cp /usr/include/jsmn.h "$W/jsmn-src/"
	(cd "$W/jsmn-src" && eval "$JSMN_INSTALL_STAGING_CMDS") >/dev/null 2>&1
	mkdir -p "$RUNT_SRCDIR" && cp -a "$W/tree/." "$RUNT_SRCDIR/"
	steps="RUNT_BUILD_CMDS RUNT_INSTALL_TARGET_CMDS"
	[ "$cfg" = glibc ] && steps="$steps RUNT_INSTALL_INIT_SYSTEMD"
	for step in $steps; do
		eval "cmd=\$$step"
		if (cd "$RUNT_SRCDIR" && eval "$cmd") >"$W/step.log" 2>&1; then
			ok "buildroot $cfg: $step runs as Buildroot expands it"
		else
			not_ok "buildroot $cfg: $step runs as Buildroot expands it"
			tail -n 20 "$W/step.log" | sed 's/^/# /'
		fi
	done
	elf_checks "buildroot $cfg" "$out/target/usr/bin/runt" $libc
	if [ "$cfg" = glibc ]; then
		unit_checks "buildroot glibc" /usr/bin "$out/target/usr/lib/systemd/system/runt@.service"
	else
		check "buildroot musl: BR2_PACKAGE_RUNT_RUNC installs bin/runc -> runt" \
			test "$(readlink "$out/target/usr/bin/runc")" = runt
	fi
}

section_buildroot() {
	echo "# buildroot: Buildroot from $VENDOR"
	tar xf "$VENDOR/buildroot.tar.xz" -C "$W" || {
		not_ok "buildroot: unpack the Buildroot snapshot"
		return
	}
	ext=$W/tree/contrib/buildroot
	files="$ext/external.desc $ext/external.mk $ext/Config.in $(ls "$ext"/package/*/*)"
	# shellcheck disable=SC2086
	(cd "$W/buildroot" && /usr/bin/python3 utils/check-package -b $files) >"$W/cp.log" 2>&1
	has "buildroot: utils/check-package reports nothing" "$W/cp.log" '^0 warnings generated'
	# The lint is live: a defect put into a copy is reported.
	mkdir -p "$W/bad/package/runt"
	sed 's/^\tdepends on BR2_USE_MMU.*/    depends on BR2_USE_MMU/' "$ext/package/runt/Config.in" \
		>"$W/bad/package/runt/Config.in"
	(cd "$W/buildroot" && /usr/bin/python3 utils/check-package -b "$W/bad/package/runt/Config.in") \
		>"$W/cp-bad.log" 2>&1
	hasnt "buildroot: check-package does report a defect put into a copy" "$W/cp-bad.log" \
		'^0 warnings generated'
	br_run musl BR2_TOOLCHAIN_BUILDROOT_MUSL=y BR2_PACKAGE_RUNT_RUNC=y
	br_run glibc BR2_TOOLCHAIN_BUILDROOT_GLIBC=y "BR2_INIT_SYSTEMD=y BR2_PACKAGE_LIBBSD=y"
}

id "$BUILD_USER" >/dev/null 2>&1 || useradd -m "$BUILD_USER"
for s in $SECTIONS; do
	start=$(date +%s)
	section_"$s"
	echo "# $s: $(($(date +%s) - start)) s"
done
echo "1..$n"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
