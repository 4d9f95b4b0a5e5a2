#!/bin/sh
# deps.sh - installs the real callers the board's tests/callers suite drives (Debian's
# podman 4.3, conmon, containerd 1.6, the CNI plugins, and python3-grpcio + grpc-tools for
# the CRI client of 40-cri.sh) on the HOST, when missing; the board guest sees the host's
# root read-only and has no network. Called by `make board-check`.
# Nothing is started on the host: services are denied while apt runs.
PKGS='podman conmon containerd containernetworking-plugins python3-grpcio python3-grpc-tools'

missing=
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)
	[ "$st" = installed ] || missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "callers-deps: missing:$missing (install them as root; the callers suite fails without)" >&2
	exit 0
fi
# A systemd host would start containerd.service and podman.socket from the postinst:
# policy-rc.d (exit 101) forbids it; ours only while apt runs, and only if there is none.
policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d &&
		policy=/usr/sbin/policy-rc.d
fi
echo "callers-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >&2 ||
	{ apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $missing >&2; }
rc=$?
[ -z "$policy" ] || rm -f "$policy"
[ "$rc" = 0 ] || echo "callers-deps: apt-get install$missing failed" >&2
exit 0
