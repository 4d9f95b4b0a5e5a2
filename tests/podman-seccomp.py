#!/usr/bin/env python3
# podman-seccomp.py - converts a containers/common seccomp.json (includes/excludes by caps and
# arch, archMap) into the OCI linux.seccomp podman would pass to its runtime, for the host
# arch (or MACHINE, as `uname -m` or a build/<arch> name says it: the ARM boards' profiles)
# and podman's default capability set. Test-only (host): `podman-seccomp.py IN OUT [MACHINE]`.
import json
import platform
import sys

# podman's default_capabilities (containers.conf)
CAPS = {"CAP_" + c for c in ("CHOWN DAC_OVERRIDE FOWNER FSETID KILL NET_BIND_SERVICE SETFCAP "
                             "SETGID SETPCAP SETUID SYS_CHROOT").split()}
GOARCH = {"x86_64": "amd64", "aarch64": "arm64", "riscv64": "riscv64", "s390x": "s390x",
          "ppc64le": "ppc64le", "armv7l": "arm", "armv7": "arm",
          "i686": "386"}[sys.argv[3] if len(sys.argv) > 3 else platform.machine()]
SCMP = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64", "riscv64": "SCMP_ARCH_RISCV64",
        "s390x": "SCMP_ARCH_S390X", "ppc64le": "SCMP_ARCH_PPC64LE", "arm": "SCMP_ARCH_ARM",
        "386": "SCMP_ARCH_X86"}[GOARCH]


def kernel():
    return tuple(int(x) for x in platform.release().split("-")[0].split(".")[:2])


def wanted(call):
    inc, exc = call.get("includes") or {}, call.get("excludes") or {}
    if exc.get("arches") and GOARCH in exc["arches"]:
        return False
    if exc.get("caps") and CAPS & set(exc["caps"]):
        return False
    if inc.get("arches") and GOARCH not in inc["arches"]:
        return False
    if inc.get("caps") and not set(inc["caps"]) <= CAPS:
        return False
    mk = inc.get("minKernel")
    if mk and kernel() < tuple(int(x) for x in mk.split(".")[:2]):
        return False
    return True


def convert(src):
    arches = []
    for a in src.get("archMap") or []:
        if a["architecture"] == SCMP:
            arches = [a["architecture"]] + (a.get("subArchitectures") or [])
    out = {"defaultAction": src["defaultAction"], "architectures": arches, "syscalls": []}
    if "defaultErrnoRet" in src:
        out["defaultErrnoRet"] = src["defaultErrnoRet"]
    for call in src["syscalls"]:
        if not wanted(call):
            continue
        names = call.get("names") or ([call["name"]] if call.get("name") else [])
        rule = {"names": names, "action": call["action"]}
        for k in ("errnoRet", "args"):
            if call.get(k) is not None:
                rule[k] = call[k]
        out["syscalls"].append(rule)
    return out


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        prof = convert(json.load(f))
    with open(sys.argv[2], "w") as f:
        json.dump(prof, f, indent=1)
