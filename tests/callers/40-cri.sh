#!/bin/sh
# 40-cri.sh - the path kubelet takes (issue 16): a CRI client speaking gRPC (runtime.v1) to
# containerd 1.6's CRI plugin, whose runtime handler "runt" runs the runc v2 shim with
# BinaryName = runt. Pods get a bridge + loopback network from Debian's CNI plugins (guest
# addresses only) and a sandbox image imported here (busybox + tests/callers/pause.c).
# The flows and their assertions live in cri.py; this file sets the node up and checks
# what must be gone after the pods.
TESTS=$(cd "$(dirname "$0")/.." && pwd) && . "$TESTS/callers/lib.sh"
PY=/usr/bin/python3 # Debian's, with python3-grpcio and python3-grpc-tools
callers_require containerd ctr sha256sum tar modprobe "$PY"
PAUSE=$TOP/build/tests/pause
[ -x "$PAUSE" ] || {
	not_ok "build/tests/pause is built (make board-check builds it)"
	exit 1
}
"$PY" -c 'import grpc, grpc_tools' 2>/dev/null || {
	not_ok "python3-grpcio and python3-grpc-tools are installed (tests/callers/deps.sh)"
	exit 1
}

diag "$(containerd --version 2>&1)"
make_rootfs
CTD=$WORK/ctd
SOCK=$CTD/containerd.sock
SHIM_ROOT=/run/containerd/runc/k8s.io
CG_PARENT=/runt-cri
IMAGE=localhost/runt/pause-busybox:1
mkdir -p "$CTD/cni" "$CTD/logs"
# The bridge plugin needs these; the guest's kernel has them as modules.
modprobe -a bridge veth 2>/dev/null

# drivers: SystemdCgroup=false (cgroupfs); true when systemd is PID 1 and runt has its driver
# (tests/systemd/40-cri.sh runs this file under the systemd boot).
write_config() {
	cat >"$CTD/config.toml" <<EOT
version = 2
root = "$CTD/root"
state = "$CTD/state"
[grpc]
  address = "$SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$IMAGE"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  disable_apparmor = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    # A node's default stays runc; pods select runt by handler, as a RuntimeClass does.
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runt]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runt.options]
        BinaryName = "$RUNT"
        SystemdCgroup = $1
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CTD/cni"
EOT
}
cat >"$CTD/cni/10-runt.conflist" <<EOT
{"cniVersion": "1.0.0", "name": "runt-cri", "plugins": [
 {"type": "bridge", "bridge": "runtcri0", "isGateway": true, "ipMasq": false,
  "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.88.77.0/24"}]],
           "dataDir": "$CTD/ipam"}}]}
EOT

CTD_WAIT=90 # the CRI plugin starts more than ctr needs (lib.sh start_containerd)

# --- the image: busybox + /pause as an OCI archive, imported into the CRI's namespace ---
oci_blob() {
	_d=$(sha256sum "$1" | cut -d' ' -f1)
	_s=$(wc -c <"$1" | tr -d ' ')
	mv "$1" "$L/blobs/sha256/$_d"
	printf '{"mediaType":"%s","digest":"sha256:%s","size":%s' "$2" "$_d" "$_s"
}
L=$WORK/oci
mkdir -p "$L/blobs/sha256"
tar -C "$ROOTFS" -cf "$L/layer" . -C "$(dirname "$PAUSE")" pause
diff_id=$(sha256sum "$L/layer" | cut -d' ' -f1)
layer=$(oci_blob "$L/layer" application/vnd.oci.image.layer.v1.tar)
# RUNT_TEST_TAG in the image's Env: lib.sh's leftover check finds every pod process by it.
printf '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin","RUNT_TEST_TAG=%s"],"Entrypoint":["/pause"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
	"$TAG" "$diff_id" >"$L/config"
config=$(oci_blob "$L/config" application/vnd.oci.image.config.v1+json)
printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":%s},"layers":[%s}]}' \
	"$config" "$layer" >"$L/manifest"
manifest=$(oci_blob "$L/manifest" application/vnd.oci.image.manifest.v1+json)
printf '{"schemaVersion":2,"manifests":[%s,"annotations":{"io.containerd.image.name":"%s"}}]}' \
	"$manifest" "$IMAGE" >"$L/index.json"
echo '{"imageLayoutVersion":"1.0.0"}' >"$L/oci-layout"
tar -C "$L" -cf "$WORK/image.tar" oci-layout index.json blobs

run_flows() { # DRIVER: containerd with that cgroup driver, the image, then cri.py's flows
	write_config "$1"
	start_containerd
	diag "containerd serves its socket"
	capture timeout 120 ctr --address "$SOCK" -n k8s.io images import "$WORK/image.tar"
	check_rc "ctr -n k8s.io images import of the sandbox image exits 0" 0
	CRI_SOCK=$SOCK CRI_IMAGE=$IMAGE CRI_SHIM_ROOT=$SHIM_ROOT CRI_CG_PARENT=$CG_PARENT \
		CRI_LOGS=$CTD/logs CRI_DRIVER=$2 CRI_T0=$CALLERS_T0 RUNT=$RUNT WORK=$WORK \
		timeout 600 "$PY" "$TESTS/callers/cri.py" </dev/null 2>"$WORK/cri.err"
	_rc=$?
	if [ "$_rc" != 0 ]; then
		not_ok "cri.py ($2) exited with status $_rc"
		{
			tail -n 20 "$WORK/cri.err"
			grep -E 'level=(error|fatal)|failed to load' "$CTD/log" | tail -n 20
		} | while IFS= read -r l; do diag "$l"; done
	fi
	stop_containerd
}

run_flows false cgroupfs
if ! "$RUNT" features 2>/dev/null | grep -q '"systemd": *true'; then
	skip "SystemdCgroup = true" "this runt has no systemd driver (built with SYSTEMD_CGROUP=0)"
elif [ ! -d /run/systemd/system ]; then
	skip "SystemdCgroup = true" "systemd is not PID 1 (tests/systemd/40-cri.sh runs it under systemd)"
else
	rm -rf "$CTD/root" "$CTD/state"
	run_flows true systemd
fi

for p in $(pids_of "$SOCK"); do kill -KILL "$p" 2>/dev/null; done
unmount_work
leftovers_check "CRI pods"
scrub # what a flow that failed half-way left: the pods' processes (the image's Env tags them)
[ ! -d "/sys/fs/cgroup$CG_PARENT" ] || find "/sys/fs/cgroup$CG_PARENT" -depth -type d -exec rmdir {} \;
callers_done
