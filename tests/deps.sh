#!/bin/sh
# deps.sh - installs what building runt and running its tests need, when missing (Debian,
# as root); a quick no-op when everything is there. Called by `make deps`;
# `sh tests/deps.sh cross` (make cross) installs the ARM cross toolchains instead: Debian's
# cross gcc, the multiarch musl of arm64 and armhf, and qemu-user to run their unit tests
# (without qemu-user-binfmt: nothing is registered with the host's kernel).

# package:command-or-file that proves it is installed
NEEDS="musl-tools:/usr/bin/musl-gcc
libjsmn-dev:/usr/include/jsmn.h
busybox-static:/bin/busybox
clang-format:/usr/bin/clang-format
file:/usr/bin/file
strace:/usr/bin/strace
uidmap:/usr/bin/newuidmap
make:/usr/bin/make
git:/usr/bin/git
libseccomp-dev:/usr/include/seccomp.h
golang-github-containers-common:/usr/share/containers/seccomp.json
clang:/usr/bin/clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/include/fuzzer/FuzzedDataProvider.h
zlib1g-dev:/usr/include/zlib.h"

if [ "${1:-}" = cross ]; then
	NEEDS="gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc
musl-dev:arm64:/usr/bin/aarch64-linux-musl-gcc
gcc-arm-linux-gnueabihf:/usr/bin/arm-linux-gnueabihf-gcc
musl-dev:armhf:/usr/bin/arm-linux-musleabihf-gcc
qemu-user:/usr/bin/qemu-arm
libjsmn-dev:/usr/include/jsmn.h"
fi

missing=
for need in $NEEDS; do
	[ -e "/${need#*:/}" ] || missing="$missing ${need%%:/*}"
done
# busybox (dynamic) also provides /bin/busybox: the rootfs needs the static one.
if command -v dpkg >/dev/null 2>&1 && ! dpkg -s busybox-static >/dev/null 2>&1; then
	case " $missing " in *" busybox-static "*) ;; *) missing="$missing busybox-static" ;; esac
fi
[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: missing:$missing (install them; apt-get needs root on Debian)" >&2
	exit 1
fi
echo "deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
case "$missing" in
*:arm64* | *:armhf*)
	for a in arm64 armhf; do
		dpkg --print-foreign-architectures | grep -qx "$a" || dpkg --add-architecture "$a" || exit 1
	done
	;;
esac
# One foreign index may fail while the mirror syncs: install from what the others gave.
apt-get update -qq >/dev/null || echo "deps: apt-get update reported errors; trying the install anyway" >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
	echo "deps: apt-get install$missing failed" >&2
	exit 1
}
