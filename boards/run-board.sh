#!/bin/sh
# Runs a command inside a board (a QEMU guest that sees this host's files) and exits
# with the command's exit status.
#
#   sh boards/run-board.sh BOARD [--] COMMAND [ARG...]
#
# The guest mounts the host root read-only (9p) under a tmpfs overlay, so it sees the
# repo and its freshly built binaries at the same absolute path and may write anywhere
# without touching the host. COMMAND runs with cwd = this repo; its stdout and stderr
# are merged and streamed to our stdout. Diagnostics of this script go to stderr.
#
# Environment:
#   BOARD_TIMEOUT  seconds before QEMU is killed (default 1200)
#   BOARD_KEEP=1   keep the temp dir (console log, results) for debugging
#   BOARD_PREPARE=1  only prepare (packages, downloads, initramfs) and exit 0: no boot,
#                  so it needs no board lock
#   BOARD_INIT     systemd: the guest boots the host's systemd as PID 1, which runs COMMAND
#                  as a unit (runt.init=systemd on the kernel command line)
#   CI, FILE_TIMEOUT and every RUNT_* variable are passed on to COMMAND.
# Exit status: COMMAND's; 124 on timeout; 125 when the board itself failed.

set -u

die() {
	echo "run-board: $*" >&2
	exit 125
}

usage() {
	echo "usage: sh boards/run-board.sh BOARD [--] COMMAND [ARG...]" >&2
	exit 2
}

# Our own location, not the cwd: CI runs from clones at other paths.
REPO=$(cd "$(dirname "$0")/.." && pwd -P) || die "cannot find the repo directory"
TIMEOUT=${BOARD_TIMEOUT:-1200}
QPID='' TPID='' TMP=''

[ $# -ge 1 ] || usage
BOARD=$1
shift
[ "${1:-}" = -- ] && shift
[ $# -ge 1 ] || usage
BOARD_DIR=$REPO/boards/$BOARD
[ -f "$BOARD_DIR/board.conf" ] || die "unknown board '$BOARD' (no $BOARD_DIR/board.conf)"
[ -f "$BOARD_DIR/init" ] || die "board '$BOARD' has no init ($BOARD_DIR/init)"
BUILD=$REPO/build/boards/$BOARD

ARCH='' KERNEL='' QEMU='' QEMU_ARGS='' APPEND='' MODULES='' DEBIAN_PACKAGES=''
MODROOT='' BUSYBOX='' DEBIAN_DOWNLOAD=''
KERNEL_DEB='' KERNEL_SUITE='' KERNEL_DEB_ARCH=amd64 KROOT=''
# shellcheck source=/dev/null
. "$BOARD_DIR/board.conf"

# apt only for what is missing, so a prepared machine boots without network or root.
ensure_packages() {
	command -v dpkg-query >/dev/null 2>&1 || return 0
	missing=
	for p in $DEBIAN_PACKAGES; do
		st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
		[ "$st" = installed ] || missing="$missing $p"
	done
	[ -n "$missing" ] || return 0
	[ "$(id -u)" = 0 ] || die "board $BOARD needs Debian packages:$missing (run as root to install them)"
	echo "run-board: installing$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >&2 ||
		{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2; } ||
		die "apt-get install$missing failed"
}

# A foreign-arch board's kernel and busybox (DEBIAN_DOWNLOAD, e.g. linux-image-arm64:arm64):
# fetched with apt-get download and unpacked into build/boards/BOARD/root, never installed.
# A linux-image metapackage brings the versioned kernel it depends on.
fetch_debs() {
	[ -n "$DEBIAN_DOWNLOAD" ] || return 0
	root=$BUILD/root
	[ "$(cat "$root/.fetched" 2>/dev/null)" = "$DEBIAN_DOWNLOAD" ] && return 0
	for p in $DEBIAN_DOWNLOAD; do
		a=${p##*:}
		dpkg --print-foreign-architectures 2>/dev/null | grep -qx "$a" && apt-cache show "$p" >/dev/null 2>&1 && continue
		[ "$(id -u)" = 0 ] || die "board $BOARD needs the $a packages index (run as root)"
		echo "run-board: adding the $a architecture to apt" >&2
		dpkg --add-architecture "$a" || die "dpkg --add-architecture $a failed"
		# One foreign index may fail while the mirror syncs: go on with what came.
		apt-get update -q >&2 || echo "run-board: apt-get update reported errors" >&2
	done
	dl=$TMP/debs
	mkdir -p "$dl" && rm -rf "$root" && mkdir -p "$root" || die "cannot create $root"
	pkgs=
	for p in $DEBIAN_DOWNLOAD; do
		dep=$(apt-cache depends "$p" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
		pkgs="$pkgs $p${dep:+ $dep}"
	done
	echo "run-board: downloading$pkgs" >&2
	# shellcheck disable=SC2086
	(cd "$dl" && apt-get download -q $pkgs >&2) || die "apt-get download$pkgs failed"
	for d in "$dl"/*.deb; do
		dpkg-deb -x "$d" "$root" || die "cannot unpack $d"
	done
	# modules.dep is made by the package's postinst, which an unpacked kernel never ran.
	for m in "$root"/lib/modules/*; do
		[ -d "$m" ] || continue
		depmod -b "$root" "${m##*/}" || die "depmod for ${m##*/} failed"
	done
	echo "$DEBIAN_DOWNLOAD" >"$root/.fetched"
}

# A board whose kernel is not the host's (KERNEL_DEB in board.conf): the newest package
# whose name matches the regex KERNEL_DEB in Debian suite KERNEL_SUITE is downloaded with a
# temporary apt configuration (the machine's sources and lists stay as they are), unpacked
# (never installed) into $BUILD/kernel = KROOT, once; depmod writes its modules.dep (the
# package leaves that to its postinst).
fetch_kernel() {
	KROOT=$BUILD/kernel
	# shellcheck disable=SC2086 # KERNEL is a glob
	[ -z "$(ls -1d $KROOT$KERNEL 2>/dev/null)" ] || return 0
	# The machine's own Debian mirror; its keyring also signs the older suites.
	mirror=${KERNEL_MIRROR:-$(sed -n 's|^URIs: *\([^ ]*/debian\)/*$|\1|p
		s|^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*/debian\)/* .*|\2|p' \
		/etc/apt/sources.list /etc/apt/sources.list.d/*.sources \
		/etc/apt/sources.list.d/*.list 2>/dev/null | head -n 1)}
	[ -n "$mirror" ] || die "no Debian mirror in the apt sources (set KERNEL_MIRROR)"
	apt=$TMP/apt
	mkdir -p "$apt/lists/partial" "$apt/deb" || die "cannot create $apt"
	echo "deb [arch=$KERNEL_DEB_ARCH signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $KERNEL_SUITE main" >"$apt/sources.list"
	set -- -q -o Dir::Etc::sourcelist="$apt/sources.list" -o Dir::Etc::sourceparts=- \
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= \
		-o APT::Sandbox::User=root
	echo "run-board: fetching a $KERNEL_SUITE kernel ($KERNEL_DEB) into $KROOT" >&2
	apt-get "$@" update >&2 || die "apt-get update of $KERNEL_SUITE failed"
	pkg=$(apt-cache "$@" search --names-only "^$KERNEL_DEB\$" | cut -d' ' -f1 | sort -V | tail -n 1)
	[ -n "$pkg" ] || die "no package matches $KERNEL_DEB in $KERNEL_SUITE"
	(cd "$apt/deb" && apt-get "$@" download "$pkg" >&2) || die "cannot download $pkg"
	rm -rf "$KROOT.tmp" && mkdir -p "$KROOT.tmp" &&
		dpkg-deb -x "$apt/deb/${pkg}_"*.deb "$KROOT.tmp" &&
		depmod -b "$KROOT.tmp" "$(ls "$KROOT.tmp/lib/modules")" && rm -rf "$KROOT" &&
		mv "$KROOT.tmp" "$KROOT" || die "cannot unpack $pkg into $KROOT"
}

# The newest kernel matching the board's KERNEL glob; sets KIMAGE, KVER, MODDIR.
find_kernel() {
	# shellcheck disable=SC2086,SC2012 # KERNEL is a glob; kernel paths are plain
	KIMAGE=$(ls -1d $KROOT$KERNEL 2>/dev/null | sort -V | tail -n 1)
	[ -r "$KIMAGE" ] || die "no readable kernel matches $KROOT$KERNEL"
	KVER=${KIMAGE##*/vmlinuz-}
	MODDIR=$MODROOT$KROOT/lib/modules/$KVER
	[ -f "$MODDIR/modules.dep" ] || die "no $MODDIR/modules.dep for kernel $KIMAGE"
}

# modules.dep path of module $1 (dashes and underscores are the same in module names).
module_path() {
	awk -v m="$1" 'BEGIN { gsub("-", "_", m) }
		{ f = $1; sub(":$", "", f); b = f; sub(".*/", "", b); sub("\\.ko.*$", "", b)
		  gsub("-", "_", b); if (b == m) { print f; exit } }' "$MODDIR/modules.dep"
}

# Load order for MODULES: each module's dependencies (modules.dep lists the closure;
# modprobe loads it back to front), then the module; built-ins are skipped.
module_order() {
	paths=
	for m in $MODULES; do
		p=$(module_path "$m")
		if [ -z "$p" ]; then
			grep -q "/${m}.ko" "$MODDIR/modules.builtin" 2>/dev/null && continue
			die "module $m is neither in $MODDIR/modules.dep nor built in"
		fi
		paths="$paths $p"
	done
	for p in $paths; do
		deps=$(sed -n "s|^$p: *||p" "$MODDIR/modules.dep")
		for d in $deps; do echo "$d"; done | sed -n '1!G;h;$p'
		echo "$p"
	done | awk 'NF && !seen[$0]++'
}

# Copies module $1 (a modules.dep path) into $2, uncompressed: busybox insmod may not
# read .ko.xz/.ko.zst. Prints the installed file name.
install_module() {
	src=$MODDIR/$1
	base=${1##*/}
	case "$base" in
	*.ko.xz) base=${base%.xz} && xz -dc "$src" >"$2/$base" ;;
	*.ko.zst) base=${base%.zst} && zstd -q -dc "$src" >"$2/$base" ;;
	*.ko.gz) base=${base%.gz} && gzip -dc "$src" >"$2/$base" ;;
	*) cp "$src" "$2/$base" ;;
	esac || die "cannot copy module $src"
	echo "$base"
}

# build/boards/BOARD/initramfs.cpio.gz, rebuilt only when its inputs change.
build_initramfs() {
	INITRD=$BUILD/initramfs.cpio.gz
	busybox=${BUSYBOX:-$(command -v busybox)} || die "busybox not found (Debian package busybox-static)"
	key=$({
		cat "$BOARD_DIR/init" "$BOARD_DIR/board.conf" "$0"
		echo "$KVER"
		ls -lL "$busybox"
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$INITRD" ] && [ "$(cat "$BUILD/initramfs.key" 2>/dev/null)" = "$key" ]; then
		return 0
	fi
	echo "run-board: building $INITRD (kernel $KVER)" >&2
	# The initramfs runs with no libraries: busybox must be the static build.
	file -L "$busybox" 2>/dev/null | grep -q dynamically && die "$busybox is dynamically linked; install busybox-static"
	mkdir -p "$BUILD" || die "cannot create $BUILD"
	stage=$TMP/initramfs
	mkdir -p "$stage/bin" "$stage/dev" "$stage/lib/modules" "$stage/proc" "$stage/sys" || die "cannot stage the initramfs"
	{ cp "$busybox" "$stage/bin/busybox" && cp "$BOARD_DIR/init" "$stage/init" &&
		chmod 0755 "$stage/init" "$stage/bin/busybox"; } || die "cannot stage busybox/init"
	# The kernel's built-in cpio already has /dev/console; a node of our own needs root.
	mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null
	module_order >"$TMP/modules" || exit 125
	for p in $(cat "$TMP/modules"); do
		install_module "$p" "$stage/lib/modules"
	done >"$stage/lib/modules/load.list" || exit 125
	(cd "$stage" && find . | cpio -o -H newc --quiet | gzip -6) >"$INITRD.$$" ||
		die "cannot pack $INITRD"
	mv "$INITRD.$$" "$INITRD" && echo "$key" >"$BUILD/initramfs.key"
}

# Single-quotes $1 for sh.
shquote() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# cmd.sh, run by the guest's init: passed-on environment, cd to the repo, the command.
write_command() {
	{
		echo "# written by run-board.sh"
		for name in CI FILE_TIMEOUT $(env | sed -n 's/^\(RUNT_[A-Za-z0-9_]*\)=.*/\1/p'); do
			eval "[ -n \"\${$name+x}\" ]" || continue
			val='' && eval "val=\${$name}"
			echo "export $name=$(shquote "$val")"
		done
		echo "cd $(shquote "$REPO") || exit 125"
		printf 'exec'
		for a in "$@"; do printf ' %s' "$(shquote "$a")"; done
		echo
	} >"$RESULTS/cmd.sh"
	echo "$REPO" >"$RESULTS/repo"
	[ -z "$KROOT" ] || echo "$KROOT" >"$RESULTS/kroot"
}

# Never leave QEMU or the streamer behind, whatever way we leave.
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup() {
	if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then
		kill "$QPID" 2>/dev/null
		sleep 1
		kill -9 "$QPID" 2>/dev/null
	fi
	[ -n "$TPID" ] && kill "$TPID" 2>/dev/null
	if [ -n "$TMP" ]; then
		if [ "${BOARD_KEEP:-}" = 1 ]; then
			echo "run-board: kept $TMP" >&2
		else
			rm -rf "$TMP"
		fi
	fi
}

console_tail() {
	echo "run-board: last lines of the guest console (BOARD_KEEP=1 keeps the whole log):" >&2
	tail -n 30 "$TMP/console.log" >&2 2>/dev/null
	tail -n 10 "$TMP/qemu.log" >&2 2>/dev/null
}

boot() {
	command -v "$QEMU" >/dev/null 2>&1 || die "$QEMU not found"
	# shellcheck disable=SC2086
	"$QEMU" $QEMU_ARGS -no-reboot -display none -monitor none \
		-serial "file:$TMP/console.log" \
		-kernel "$KIMAGE" -initrd "$INITRD" -append "$APPEND runt.board=$BOARD${BOARD_INIT:+ runt.init=$BOARD_INIT}" \
		-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
		-virtfs "local,path=$RESULTS,mount_tag=results,security_model=none" \
		</dev/null >"$TMP/qemu.log" 2>&1 &
	QPID=$!
	# tail --pid makes a last read after QEMU exits, so no output is lost.
	tail -n +1 -s 0.3 -f --pid="$QPID" "$RESULTS/output" &
	TPID=$!
}

# Waits for QEMU; kills it after TIMEOUT seconds.
wait_guest() {
	start=$(date +%s)
	while kill -0 "$QPID" 2>/dev/null; do
		if [ $(($(date +%s) - start)) -ge "$TIMEOUT" ]; then
			kill "$QPID" 2>/dev/null
			echo "run-board: qemu did not finish within $TIMEOUT s; killed it" >&2
			console_tail
			exit 124
		fi
		sleep 0.3
	done
	wait "$QPID"
	qrc=$?
	QPID=
	wait "$TPID"
	TPID=
	echo "run-board: board $BOARD ($ARCH, kernel $KVER) ran for $(($(date +%s) - start)) s" >&2
	if [ ! -f "$RESULTS/exitcode" ]; then
		echo "run-board: the guest ended without an exit code (qemu status $qrc)" >&2
		console_tail
		exit 125
	fi
	rc=$(cat "$RESULTS/exitcode")
	case "$rc" in '' | *[!0-9]*) die "bad exit code '$rc' from the guest" ;; esac
	exit "$rc"
}

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

ensure_packages
tmpbase=${TMPDIR:-/tmp}
case "$tmpbase" in *,*) die "TMPDIR must not contain a comma (QEMU option syntax): $tmpbase" ;; esac
TMP=$(mktemp -d "$tmpbase/run-board.XXXXXX") || die "cannot create a temp dir"
fetch_debs
[ -z "$KERNEL_DEB" ] || fetch_kernel
find_kernel
RESULTS=$TMP/results
{ mkdir "$RESULTS" && : >"$RESULTS/output"; } || die "cannot create $RESULTS"
build_initramfs
[ "${BOARD_PREPARE:-}" = 1 ] && exit 0
write_command "$@"
boot
wait_guest
