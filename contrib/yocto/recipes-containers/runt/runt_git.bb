SUMMARY = "runt: a tiny OCI container runtime, a drop-in for runc"
DESCRIPTION = "One small binary (musl: static) that runs OCI bundles the way runc does: \
namespaces, cgroup v2, seccomp compiled by runt itself, no library dependencies."
SECTION = "containers"

# runt's tree carries no licence file yet; jsmn (compiled in) is MIT. Replace CLOSED with
# runt's licence and add its file to LIC_FILES_CHKSUM once the project has one.
LICENSE = "CLOSED"

# runt: by default the git repository this layer is part of (RUNT_LAYERDIR is set by
# layer.conf), at its newest commit on RUNT_BRANCH. Pin a release in local.conf or a
# bbappend: RUNT_SRC_URI = "git://<host>/<path>/runt.git;protocol=https" and a SRCREV_runt.
# jsmn: one header, fetched at its v1.1.0 tag (the version Debian ships).
RUNT_SRC_URI ?= "git://${@os.path.normpath(d.getVar('RUNT_LAYERDIR') + '/../..')};protocol=file"
RUNT_BRANCH ?= "main"
SRC_URI = "${RUNT_SRC_URI};branch=${RUNT_BRANCH};name=runt \
           git://github.com/zserge/jsmn.git;protocol=https;branch=master;name=jsmn;destsuffix=${BB_GIT_DEFAULT_DESTSUFFIX}/jsmn \
           "
SRCREV_runt ?= "${AUTOREV}"
SRCREV_jsmn = "fdcef3ebf886fa210d14956d3c068a653e76a24e"
SRCREV_FORMAT = "runt_jsmn"
PV = "0.1.0+git"

inherit pkgconfig systemd

# strlcpy/strlcat: musl has them, glibc from 2.38; an older glibc takes them from libbsd
# (the Makefile decides by a link test). libbsd is never needed with musl.
DEPENDS:append:libc-glibc = " libbsd"

# Static by default with musl (one self-contained binary); dynamic with glibc, whose static
# libraries OE does not build by default (libbsd has DISABLE_STATIC).
RUNT_STATIC ?= "${@'0' if d.getVar('TCLIBC') == 'glibc' else '1'}"

# runc: also install runt as ${bindir}/runc, for callers hard-wired to that name; runt then
# provides virtual-runc, as runc-opencontainers and crun do (see
# conf/distro/include/runt-container-runtime.inc for VIRTUAL-RUNTIME_container_runtime).
PACKAGECONFIG ??= ""
PACKAGECONFIG[runc] = ""
RPROVIDES:${PN} += "${@bb.utils.contains('PACKAGECONFIG', 'runc', 'virtual-runc', '', d)}"
RCONFLICTS:${PN} += "${@bb.utils.contains('PACKAGECONFIG', 'runc', 'runc-opencontainers', '', d)}"

# CC, CFLAGS, CPPFLAGS, LDFLAGS come from BitBake's exported environment (the Makefile
# honours them); SMALL=0 leaves stripping, debug info and hardening to OE.
EXTRA_OEMAKE = "PREFIX=${prefix} BINDIR=${bindir} SYSTEMDUNITDIR=${systemd_system_unitdir} \
                JSMN_DIR=${S}/jsmn STATIC=${RUNT_STATIC} SMALL=0 \
                RUNC_LINK=${@bb.utils.contains('PACKAGECONFIG', 'runc', '1', '0', d)}"

do_compile() {
	oe_runmake runt
}

do_install() {
	oe_runmake install DESTDIR=${D}
}

# A template unit: its instances are the user's containers (systemctl start runt@NAME).
SYSTEMD_SERVICE:${PN} = "runt@.service"
SYSTEMD_AUTO_ENABLE = "disable"
