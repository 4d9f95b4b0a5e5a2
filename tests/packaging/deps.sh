#!/bin/sh
# deps.sh - what make packaging-check needs on Debian 12 (as root), when missing: libbsd for the
# glibc builds, Debian's aarch64 cross compilers (glibc, and musl from the arm64 multiarch
# musl-dev) standing in for Yocto's and Buildroot's, libbsd-dev:arm64, what BitBake and OE-Core
# need offline (a generated en_US.UTF-8 locale, chrpath, diffstat, gawk, lz4, zstd) and what
# Buildroot's check-package imports (python3-magic, flake8). A quick no-op when all is there.

# package:file that proves it is installed
NEEDS="libbsd-dev:/usr/lib/x86_64-linux-gnu/pkgconfig/libbsd-overlay.pc
gcc-aarch64-linux-gnu:/usr/bin/aarch64-linux-gnu-gcc
libc6-dev-arm64-cross:/usr/aarch64-linux-gnu/lib/libc.so
musl-dev:arm64:/usr/lib/aarch64-linux-musl/musl-gcc.specs
libbsd-dev:arm64:/usr/lib/aarch64-linux-gnu/pkgconfig/libbsd-overlay.pc
pkgconf:/usr/bin/pkg-config
locales:/usr/sbin/locale-gen
chrpath:/usr/bin/chrpath
diffstat:/usr/bin/diffstat
gawk:/usr/bin/gawk
lz4:/usr/bin/lz4
zstd:/usr/bin/zstd
python3-magic:/usr/lib/python3/dist-packages/magic/__init__.py
python3-flake8:/usr/lib/python3/dist-packages/flake8/__init__.py
file:/usr/bin/file
cpio:/usr/bin/cpio
g++:/usr/bin/g++
bc:/usr/bin/bc
unzip:/usr/bin/unzip
xz-utils:/usr/bin/xz"

missing=
for need in $NEEDS; do
	[ -e "${need##*:}" ] || missing="$missing ${need%:*}"
done
locale=$(locale -a 2>/dev/null | grep -ix 'en_US.utf-\{0,1\}8')
[ -n "$missing" ] || [ -z "$locale" ] || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "packaging deps: missing:$missing${locale:- en_US.UTF-8 locale} (Debian, as root)" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ -n "$missing" ]; then
	echo "packaging deps: installing$missing"
	dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64
	# One foreign index failing to update must not stop the rest: install reports what is missing.
	apt-get update -qq >/dev/null 2>&1 || echo "packaging deps: apt-get update had errors" >&2
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null || {
		echo "packaging deps: apt-get install$missing failed" >&2
		exit 1
	}
fi
if [ -z "$locale" ]; then
	sed -i 's/^# *\(en_US.UTF-8 UTF-8\)/\1/' /etc/locale.gen
	grep -q '^en_US.UTF-8 UTF-8' /etc/locale.gen || echo 'en_US.UTF-8 UTF-8' >>/etc/locale.gen
	locale-gen >/dev/null
fi
