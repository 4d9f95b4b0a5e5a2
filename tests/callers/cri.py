#!/usr/bin/python3
"""cri.py - the CRI client of tests/callers/40-cri.sh: speaks runtime.v1 gRPC to containerd's
CRI plugin the way kubelet does (cri.proto, compiled here with grpc_tools) and prints one TAP
line per assertion. One process for all flows: under TCG each python start costs seconds.

Environment (set by 40-cri.sh): CRI_SOCK, CRI_IMAGE, CRI_SHIM_ROOT (the shim's runt --root),
CRI_CG_PARENT, CRI_LOGS, CRI_DRIVER (cgroupfs|systemd), CRI_T0, RUNT, WORK.
"""
import json
import os
import subprocess
import sys
import time

ENV = os.environ
WORK = ENV["WORK"]
GEN = os.path.join(WORK, "cri-gen")
HERE = os.path.dirname(os.path.abspath(__file__))
os.makedirs(GEN, exist_ok=True)
from grpc_tools import protoc  # noqa: E402

if protoc.main(["protoc", "-I" + HERE, "--python_out=" + GEN, "--grpc_python_out=" + GEN,
                os.path.join(HERE, "cri.proto")]) != 0:
    sys.exit("cri.py: protoc failed on cri.proto")
sys.path.insert(0, GEN)
import grpc  # noqa: E402
import cri_pb2 as pb  # noqa: E402
import cri_pb2_grpc as pbg  # noqa: E402

T0 = int(ENV.get("CRI_T0", "0") or 0)
DRIVER = ENV.get("CRI_DRIVER", "cgroupfs")
IMAGE = ENV["CRI_IMAGE"]
SHIM_ROOT = ENV["CRI_SHIM_ROOT"]
RUNT = ENV["RUNT"]
failed = 0


def tap(good, desc, *diags):
    global failed
    failed += 0 if good else 1
    print("%s - %s [%ds]" % ("ok" if good else "not ok", desc, time.time() - T0), flush=True)
    if not good:
        for d in diags:
            for line in str(d).splitlines() or [""]:
                print("# " + line, flush=True)
    return good


def eq(desc, want, got, *diags):
    return tap(want == got, desc, "expected: %r" % (want,), "     got: %r" % (got,), *diags)


def wait_until(secs, fn):
    end = time.time() + secs
    while True:
        v = fn()
        if v or time.time() > end:
            return v
        time.sleep(0.3)


chan = grpc.insecure_channel("unix://" + ENV["CRI_SOCK"])
rt = pbg.RuntimeServiceStub(chan)
img = pbg.ImageServiceStub(chan)


def call(method, req, timeout=120):
    """(response, None) or (None, grpc error text)."""
    try:
        return method(req, timeout=timeout), None
    except grpc.RpcError as e:
        return None, "%s: %s" % (e.code().name, e.details())


def runt_state(cid):
    r = subprocess.run([RUNT, "--root", SHIM_ROOT, "state", cid], capture_output=True, text=True)
    try:
        return json.loads(r.stdout)
    except ValueError:
        return {"error": r.stderr.strip()}


def ns_of(pid, kind):
    try:
        return os.readlink("/proc/%d/ns/%s" % (pid, kind))
    except OSError as e:
        return str(e)


def cgroup_of(pid):
    try:
        with open("/proc/%d/cgroup" % pid) as f:
            return f.read().split("::", 1)[1].strip()
    except (OSError, IndexError) as e:
        return str(e)


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError as e:
        return str(e)


def cstatus(cid):
    r, err = call(rt.ContainerStatus, pb.ContainerStatusRequest(container_id=cid))
    return r.status if r else pb.ContainerStatus(reason="rpc", message=err)


def log_lines(path):
    """The CRI log's payloads: '<time> <stream> <F|P> <text>' -> (stream, text)."""
    try:
        with open(path) as f:
            return [tuple(l.rstrip("\n").split(" ", 3)[1::2]) for l in f if l.count(" ") >= 3]
    except OSError:
        return []


def exec_sync(cid, cmd, timeout=60):
    return call(rt.ExecSync, pb.ExecSyncRequest(container_id=cid, cmd=cmd, timeout=timeout),
                timeout + 30)


# ---- the node ----
v, err = call(rt.Version, pb.VersionRequest(version="v1"))
tap(v is not None and v.runtime_name == "containerd" and v.runtime_api_version.startswith("v1"),
    "Version over gRPC: containerd serves runtime.v1", v or err)
st, err = call(rt.Status, pb.StatusRequest())
conds = {c.type: c for c in st.status.conditions} if st else {}
tap(all(conds.get(k) and conds[k].status for k in ("RuntimeReady", "NetworkReady")),
    "Status: RuntimeReady and NetworkReady (the CNI config loaded)", st or err)
im, err = call(img.ImageStatus, pb.ImageStatusRequest(image=pb.ImageSpec(image=IMAGE)))
tap(im is not None and IMAGE in list(im.image.repo_tags),
    "ImageStatus: the imported sandbox image is known to the CRI", im or err)

# ---- the pod ----
uid = "%d" % (time.time() * 1000)
if DRIVER == "systemd":
    parent = "runtcri-pod%s.slice" % uid
else:
    parent = "%s/pod%s" % (ENV["CRI_CG_PARENT"], uid)
logdir = os.path.join(ENV["CRI_LOGS"], uid)
os.makedirs(logdir)
pod_cfg = pb.PodSandboxConfig(
    metadata=pb.PodSandboxMetadata(name="pod-one", uid=uid, namespace="runt", attempt=0),
    hostname="pod-one", log_directory=logdir,
    linux=pb.LinuxPodSandboxConfig(cgroup_parent=parent, security_context=pb.LinuxSandboxSecurityContext(
        namespace_options=pb.NamespaceOption(network=pb.POD, pid=pb.CONTAINER, ipc=pb.POD))))
r, err = call(rt.RunPodSandbox, pb.RunPodSandboxRequest(config=pod_cfg, runtime_handler="runt"), 300)
if not tap(r is not None, "RunPodSandbox with runtime handler runt", err):
    sys.exit(1)
pod = r.pod_sandbox_id
ps, err = call(rt.PodSandboxStatus, pb.PodSandboxStatusRequest(pod_sandbox_id=pod))
tap(ps is not None and ps.status.state == pb.SANDBOX_READY and ps.status.network.ip.startswith("10.88.77."),
    "PodSandboxStatus: READY with a bridge address from the CNI (10.88.77.0/24)", ps or err)
sb = runt_state(pod)
eq("runt ran the sandbox (runt state under the shim's --root: running)", "running", sb.get("status"), sb)
sb_pid = sb.get("pid", 0)
eq("the sandbox's process is /pause from the image", "/pause",
   read("/proc/%d/cmdline" % sb_pid).split("\0")[0] if sb_pid else None)


def create(name, args, resources=None, mounts=(), start=True):
    """CreateContainer (+ StartContainer): (id, error of the first call that failed)."""
    cfg = pb.ContainerConfig(
        metadata=pb.ContainerMetadata(name=name), image=pb.ImageSpec(image=IMAGE),
        command=args[:1], args=args[1:], log_path=name + ".log", mounts=mounts,
        linux=pb.LinuxContainerConfig(resources=resources, security_context=pb.LinuxContainerSecurityContext(
            namespace_options=pb.NamespaceOption(network=pb.POD, pid=pb.CONTAINER, ipc=pb.POD))))
    r, err = call(rt.CreateContainer, pb.CreateContainerRequest(pod_sandbox_id=pod, config=cfg,
                                                                sandbox_config=pod_cfg), 300)
    if r is None:
        return None, "CreateContainer: " + err
    if start:
        _, err = call(rt.StartContainer, pb.ContainerIdRequest(container_id=r.container_id), 300)
        if err:
            return r.container_id, "StartContainer: " + err
    return r.container_id, None


# ---- a container's life: running, exited with its code, its log ----
cid, err = create("exits", ["sh", "-c", "echo out-$((6*7)); echo err-line >&2; sleep 3; exit 7"])
tap(err is None, "CreateContainer + StartContainer", err)
s = cstatus(cid)
eq("ContainerStatus right after start: RUNNING", "CONTAINER_RUNNING", pb.ContainerState.Name(s.state), s)
s = wait_until(60, lambda: (lambda x: x if x.state == pb.CONTAINER_EXITED else None)(cstatus(cid))) or cstatus(cid)
eq("ContainerStatus then: EXITED with its exit code (7), reason Error",
   ("CONTAINER_EXITED", 7, "Error"), (pb.ContainerState.Name(s.state), s.exit_code, s.reason), s)
eq("the container's log file: stdout and stderr lines in CRI format",
   [("stdout", "out-42"), ("stderr", "err-line")], sorted(log_lines(s.log_path), reverse=True), s.log_path)
_, err = call(rt.RemoveContainer, pb.ContainerIdRequest(container_id=cid))
tap(err is None and "does not exist" in runt_state(cid).get("error", ""),
    "RemoveContainer of the exited one: runt no longer knows it", err)

# ---- the main container: resources, exec, the log reopened, stop on SIGTERM ----
MAIN_SH = ('trap "echo got-term; exit 3" TERM; echo main-up; '
           'while :; do [ -f /tmp/say ] && cat /tmp/say && rm /tmp/say; sleep 1 & wait; done')
res = pb.LinuxContainerResources(cpu_period=100000, cpu_quota=50000, cpu_shares=512,
                                 memory_limit_in_bytes=64 << 20, unified={"pids.max": "42"})
main, err = create("main", ["sh", "-c", MAIN_SH], resources=res)
tap(err is None, "a second container with resources starts", err)
mst = runt_state(main)
main_pid = mst.get("pid", 0)
eq("runt runs it", "running", mst.get("status"), mst)
cg = cgroup_of(main_pid) if main_pid else "no pid"
if DRIVER == "systemd":
    below = parent in cg.split("/")
else:
    below = cg == "%s/%s" % (parent, main)
tap(below, "its cgroup is its own, below the pod's cgroup parent (%s)" % parent, "cgroup: " + cg)
cgd = "/sys/fs/cgroup" + cg
eq("memory limit -> memory.max", "67108864", read(cgd + "/memory.max"))
eq("CPU quota/period -> cpu.max", "50000 100000", read(cgd + "/cpu.max"))
eq("CPU shares 512 -> cpu.weight 20", "20", read(cgd + "/cpu.weight"))
eq("unified pids.max -> pids.max", "42", read(cgd + "/pids.max"))

x, err = exec_sync(main, ["sh", "-c", "echo exec-out; echo exec-err >&2; hostname; exit 5"])
eq("ExecSync: stdout, stderr and exit code (5)", (b"exec-out\npod-one\n", b"exec-err\n", 5),
   (x.stdout, x.stderr, x.exit_code) if x else err)
x, err = exec_sync(main, ["cat", "/proc/self/cgroup"])
eq("ExecSync: the exec'd process is in the container's cgroup (cgroup namespace root)",
   b"0::/\n", x.stdout if x else err)

# the log: rotated by the client, reopened by containerd
wait_until(30, lambda: ("stdout", "main-up") in log_lines(os.path.join(logdir, "main.log")))
mlog = os.path.join(logdir, "main.log")
exec_sync(main, ["sh", "-c", "echo before-rotate >/tmp/say"])
wait_until(30, lambda: ("stdout", "before-rotate") in log_lines(mlog))
os.rename(mlog, mlog + ".1")
_, err = call(rt.ReopenContainerLog, pb.ContainerIdRequest(container_id=main))
tap(err is None and os.path.exists(mlog), "ReopenContainerLog: a new log file is opened", err)
exec_sync(main, ["sh", "-c", "echo after-rotate >/tmp/say"])
wait_until(30, lambda: ("stdout", "after-rotate") in log_lines(mlog))
eq("after the reopen, output goes to the new file, the old one keeps what it had",
   (True, True, False), (("stdout", "after-rotate") in log_lines(mlog),
                         ("stdout", "before-rotate") in log_lines(mlog + ".1"),
                         ("stdout", "after-rotate") in log_lines(mlog + ".1")))

# ---- a second container in the pod: shared net/ipc/uts, localhost ----
PEER_SH = ('trap "" TERM; mkdir -p /www && echo peer-says-hi >/www/f && '
           'httpd -p 127.0.0.1:8080 -h /www && echo peer-up; while :; do sleep 1000 & wait; done')
peer, err = create("peer", ["sh", "-c", PEER_SH])
tap(err is None, "a peer container starts in the same pod", err)
peer_pid = runt_state(peer).get("pid", 0)
for kind in ("net", "ipc", "uts"):
    eq("%s namespace: the sandbox's, joined by both containers" % kind,
       [ns_of(sb_pid, kind)] * 2, [ns_of(main_pid, kind), ns_of(peer_pid, kind)])
tap(ns_of(main_pid, "pid") != ns_of(peer_pid, "pid"), "pid namespace: each container its own (CONTAINER)")
wait_until(30, lambda: ("stdout", "peer-up") in log_lines(os.path.join(logdir, "peer.log")))
x, err = exec_sync(main, ["wget", "-q", "-O", "-", "http://127.0.0.1:8080/f"])
eq("main reaches the peer's server on localhost", (b"peer-says-hi\n", 0),
   (x.stdout, x.exit_code) if x else err, x.stderr if x else "")
x, err = exec_sync(peer, ["sh", "-c", "hostname; ip -4 addr show eth0 | grep -c 'inet 10.88.77.'"])
eq("the peer: the pod's hostname and its bridge address", b"pod-one\n1\n", x.stdout if x else err)

# ---- StopContainer: SIGTERM; SIGKILL once the timeout is over ----
t = time.time()
_, err = call(rt.StopContainer, pb.StopContainerRequest(container_id=main, timeout=30), 90)
took = time.time() - t
s = cstatus(main)
tap(err is None and s.state == pb.CONTAINER_EXITED and s.exit_code == 3 and took < 25,
    "StopContainer: SIGTERM ends a container that handles it (exit 3, %.1fs of 30)" % took, err, s)
tap(("stdout", "got-term") in log_lines(mlog), "its TERM handler ran (log)")
t = time.time()
_, err = call(rt.StopContainer, pb.StopContainerRequest(container_id=peer, timeout=3), 90)
took = time.time() - t
s = cstatus(peer)
tap(err is None and s.state == pb.CONTAINER_EXITED and s.exit_code == 137 and took >= 3,
    "StopContainer: SIGKILL after the 3 s timeout when TERM is ignored (exit 137, %.1fs)" % took, err, s)
tap(wait_until(20, lambda: not os.path.exists("/proc/%d" % peer_pid) and not os.path.exists(cgd)),
    "the stopped containers' processes and cgroup are gone")
for c in (main, peer):
    _, err = call(rt.RemoveContainer, pb.ContainerIdRequest(container_id=c))
    tap(err is None and "does not exist" in runt_state(c).get("error", ""), "RemoveContainer: runt state gone", err)

# ---- containers that fail to start say why ----
bad, err = create("badbin", ["/nonexistent"])
s = cstatus(bad)
tap(err and s.reason == "StartError" and 'exec "/nonexistent"' in s.message,
    "a bad binary: StartContainer fails, ContainerStatus says StartError with runt's reason",
    err, s)
blocker = os.path.join(WORK, "cri-file")
with open(blocker, "w") as f:
    f.write("x")
bad2, err = create("badmount", ["true"], mounts=[pb.Mount(container_path="/bin", host_path=blocker)])
s = cstatus(bad2)
tap(err and s.reason == "StartError" and "/bin" in s.message,
    "a bad mount (a file over /bin): StartError naming the mount", err, s)
for c in (bad, bad2):
    call(rt.RemoveContainer, pb.ContainerIdRequest(container_id=c))

# ---- the pod goes ----
_, err = call(rt.StopPodSandbox, pb.PodSandboxIdRequest(pod_sandbox_id=pod), 120)
ps, err2 = call(rt.PodSandboxStatus, pb.PodSandboxStatusRequest(pod_sandbox_id=pod))
tap(err is None and ps is not None and ps.status.state == pb.SANDBOX_NOTREADY,
    "StopPodSandbox: the pod is NOTREADY", err, err2, ps)
tap(wait_until(20, lambda: not os.path.exists("/proc/%d" % sb_pid)), "the sandbox's /pause is gone")
_, err = call(rt.RemovePodSandbox, pb.PodSandboxIdRequest(pod_sandbox_id=pod), 120)
_, err2 = call(rt.PodSandboxStatus, pb.PodSandboxStatusRequest(pod_sandbox_id=pod))
tap(err is None and err2 and "NOT_FOUND" in err2, "RemovePodSandbox: the pod is gone", err, err2)

# nothing left: runt state, cgroups below the pod parent, mounts, shims
left = sorted(os.listdir(SHIM_ROOT)) if os.path.isdir(SHIM_ROOT) else []
eq("no runt state left under the shim's --root", [], left)
pcg = "/sys/fs/cgroup/" + parent.lstrip("/") if DRIVER != "systemd" else None
kids = [d for d in os.listdir(pcg) if os.path.isdir(os.path.join(pcg, d))] if pcg and os.path.isdir(pcg) else []
eq("no container cgroup left below the pod's parent", [], kids)
ids = [pod, cid, main, peer, bad, bad2]
with open("/proc/self/mountinfo") as f:
    mnts = [l.split()[4] for l in f if any(i and i in l for i in ids + ["/netns/cni-"])]
eq("no mount of the pod, its containers or its network namespace left", [], mnts)


def shims():
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit() and pod in read("/proc/%s/cmdline" % p):
            out.append(p)
    return out


wait_until(30, lambda: not shims())
eq("no shim or process of the pod left", [], shims())
if pcg and not kids and os.path.isdir(pcg):
    os.rmdir(pcg)  # the pod's parent is kubelet's to remove, not containerd's
sys.exit(1 if failed else 0)
