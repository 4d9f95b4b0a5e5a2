# runt - a tiny static OCI container runtime. `make demo` and `make check` are the two
# commands a newcomer runs; both install missing build dependencies first (Debian, root).

VERSION   := 0.1.0
# Build systems (Yocto, Buildroot, distributions) pass their own CC, CFLAGS, CPPFLAGS, LDFLAGS
# (a --sysroot may sit inside CC), on the command line or in the environment; all are
# honoured. Nothing passed: Debian's musl-gcc, a static binary built for size.
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
# The unit goes where systemd looks for a package's units under PREFIX; empty: no unit.
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
DESTDIR   ?=
# RUNC_LINK=1: make install also installs runt as `runc` (callers hard-wired to that name).
RUNC_LINK ?= 0
CROSS_COMPILE ?=
ifeq ($(CROSS_COMPILE),)
DEFAULT_CC := musl-gcc
B         := build
RUNT      := runt
else
DEFAULT_CC := $(CROSS_COMPILE)gcc
# A cross build lives in build/<arch>/ (build/aarch64/runt, build/armv7/tests/probe): it
# never overwrites the native runt or its objects. The arch is the prefix's first word.
CROSS_ARCH := $(patsubst arm,armv7,$(firstword $(subst -, ,$(CROSS_COMPILE))))
B         := build/$(CROSS_ARCH)
RUNT      := $(B)/runt
endif
ifneq ($(filter default undefined,$(origin CC)),)
CC        := $(DEFAULT_CC)
endif
# The cross targets `make cross` builds (Debian's multiarch musl: musl-dev:arm64, :armhf).
CROSS_TARGETS ?= aarch64-linux-musl- arm-linux-musleabihf-
# STATIC=0 links against the C library's shared objects (glibc's dynamic build).
STATIC    ?= 1
# SMALL=0: no size tricks (LTO, no PIE, no RELRO, no build-id, stripped): for build systems
# that strip, split debug info and harden themselves.
SMALL     ?= 1
# jsmn is one header: JSMN_DIR=dir or JSMN_H=file; JSMN_H= (empty) takes the compiler's own
# <jsmn.h> (a sysroot that has it).
JSMN_DIR  ?= /usr/include
JSMN_H    ?= $(JSMN_DIR)/jsmn.h
PKG_CONFIG ?= pkg-config
GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

# cc_flags FLAGS: FLAGS when $(CC) takes them, else nothing.
cc_flags = $(shell $(CC) -Werror $(1) -E -x c /dev/null >/dev/null 2>&1 && echo $(1))
# -Oz (GCC 12, clang) where the compiler has it, else -Os: -Oz weighs every choice by size
# alone (constants, divisions), 2 KB less than -Os on x86_64 (the same code on ARM).
ifeq ($(origin CFLAGS),undefined)
CFLAGS    := $(or $(call cc_flags,-Oz),-Os)
endif
# What runt needs whatever the caller's CFLAGS (a command-line CFLAGS replaces the variable).
# No unwind tables: C without exceptions or backtraces never reads them, and on aarch64 gcc
# emits them by default (18 KB of .eh_frame, a tenth of the binary).
RT_CFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wno-unused-parameter \
	     -Wno-missing-field-initializers \
	     -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables \
	     -I$(B)/include -DRUNT_VERSION='"$(VERSION)"' -DRUNT_COMMIT='"$(GIT_COMMIT)"'
RT_LDFLAGS := -Wl,--gc-sections
ifeq ($(STATIC),1)
RT_LDFLAGS := -static $(RT_LDFLAGS)
endif
# SYSTEMD_CGROUP=1 (default): --systemd-cgroup asks systemd for a transient scope over D-Bus
# (dbus.c), as runc and crun do. 0, for images without systemd: no driver (~5 KB less), and
# --systemd-cgroup only maps slice:prefix:name to the cgroupfs path runt makes itself.
# `make runt-nosystemd` builds that one as build/nosystemd/runt (the integration suite's).
SYSTEMD_CGROUP ?= 1
ifeq ($(SYSTEMD_CGROUP),1)
RT_CFLAGS += -DRUNT_SYSTEMD_CGROUP=1
endif
# Size (issue 8): whole-program LTO (one partition: smallest, and no serial-LTRANS
# warning), position-dependent code (a static binary gains nothing from PIE), no
# separate code segment padding, no RELRO page, no build-id note. Never -N (RWX segments).
# A small common page size: with 4 KB, ld starts the data segment on a fresh page whenever
# that saves a page of bss, which padded the file by up to 1.3 KB depending on where text ended.
# Where the compiler takes them (cc_flags): x86_64's -malign-data=abi keeps arrays at their ABI
# alignment, not 32 bytes for SIMD loads runt never does (0.5 KB of .rodata padding); no
# inlining of small functions or partial inlining (each copy costs more than the call), no
# jump tables, no mod/ref analysis (its extra inlining and cloning): 0.2-0.3 KB on each arch.
ifeq ($(SMALL),1)
RT_CFLAGS += -fno-pie -flto -flto-partition=one $(call cc_flags,-malign-data=abi) \
	     $(call cc_flags,-fno-inline-small-functions -fno-partial-inlining -fno-jump-tables -fno-ipa-modref)
RT_LDFLAGS := $(filter -static,$(RT_LDFLAGS)) -no-pie $(filter-out -static,$(RT_LDFLAGS)) -s \
	     -Wl,-z,noseparate-code -Wl,-z,norelro -Wl,--build-id=none -Wl,-z,common-page-size=64
endif
# strlcpy and strlcat: in musl, in glibc from 2.38; an older glibc takes them from libbsd
# (its overlay headers, through pkg-config), found by a link test with the caller's flags.
# LIBBSD=1 or 0 skips the test.
ifeq ($(origin LIBBSD)$(CC),undefinedmusl-gcc)
LIBBSD    := 0
else ifeq ($(origin LIBBSD),undefined)
LIBBSD    := $(shell printf '\043include <string.h>\nint main(void){char b[2];return (int)strlcpy(b,"",2);}\n' | \
	       $(CC) $(CPPFLAGS) -D_GNU_SOURCE $(CFLAGS) $(LDFLAGS) $(filter -static,$(RT_LDFLAGS)) -x c - \
	       -o /dev/null >/dev/null 2>&1 && echo 0 || echo 1)
endif
ifeq ($(LIBBSD),1)
PC_STATIC := $(if $(filter 1,$(STATIC)),--static)
RT_CPPFLAGS := $(shell $(PKG_CONFIG) --cflags libbsd-overlay)
RT_LDLIBS := $(shell $(PKG_CONFIG) $(PC_STATIC) --libs libbsd-overlay)
endif
# runt has no floating point: without FP/SIMD registers every variadic function (the error
# and format helpers) skips saving them (x86_64: xmm0-7, ~1 KB). Not for the probe, tests and
# benches (they use double), so only runt's own objects and link get it.
RUNT_CFLAGS := $(shell $(CC) -mgeneral-regs-only -E -x c /dev/null >/dev/null 2>&1 && \
		 echo -mgeneral-regs-only)
ALL_CFLAGS  = $(RT_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(RT_CFLAGS)
ALL_LDFLAGS = $(RT_LDFLAGS) $(LDFLAGS)

SRCS      := runtime.c err.c json.c spec.c state.c log.c exec.c ns.c caps.c mount.c tty.c \
	     signals.c cgroup.c resources.c devices.c path.c hooks.c notify.c seccomp.c fdpass.c \
	     fmt.c alloc.c mini.c procfs.c lsm.c check.c dbus.c inflate.c
LIB_OBJS  := $(patsubst %.c,$(B)/%.o,$(filter-out runtime.c,$(SRCS)))
HDRS      := $(wildcard *.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))

.PHONY: all deps demo check test-unit test-integration install install-bin install-unit clean fmt \
	fmt-check bench board-check board-systemd runt-nosystemd fuzz fuzz-check cross cross-deps packaging-check \
	test-old-kernel board-check-5.10

all: $(RUNT)

# Empty JSMN_H: $(B)/include/jsmn.h is never made and <jsmn.h> comes from the compiler.
JSMN_COPY := $(if $(JSMN_H),$(B)/include/jsmn.h)
$(B)/include/jsmn.h: $(JSMN_H)
	@mkdir -p $(@D)
	cp $< $@

# Syscall names -> numbers for the target arch, from the libc's own headers (a cross
# build gets its own table); sorted by name for bsearch.
$(B)/include/sc_syscalls.h: scripts/gen-syscalls.sh
	@mkdir -p $(@D)
	printf '' | $(CC) $(CPPFLAGS) $(CFLAGS) -dM -E -include sys/syscall.h - | sh scripts/gen-syscalls.sh > $@.tmp
	mv $@.tmp $@

$(B)/seccomp.o: $(B)/include/sc_syscalls.h

$(B)/%.o: %.c $(HDRS) $(JSMN_COPY)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(RUNT_CFLAGS) -c $< -o $@

# The link map tells when merged code brought musl's big pieces back (printf, malloc, stdio,
# timezones): a warning here, a failure in make test-unit (tests/size.sh);
# scripts/slim-libc.sh swaps the callers.
SLIM_LIBC := vfprintf|malloc|fopen|__fdopen|__tz|qsort|intscan|getpw_a|realpath|strstr|synccall|vdso|faccessat|fcntl|utimensat|fchmodat
$(RUNT): $(B)/runtime.o $(LIB_OBJS)
	$(CC) $(CFLAGS) $(RT_CFLAGS) $(RUNT_CFLAGS) $^ $(ALL_LDFLAGS) -Wl,-Map,$(B)/runt.map -o $@ $(RT_LDLIBS)
	@grep -oE 'libc\.a\(($(SLIM_LIBC))\.lo\)' $(B)/runt.map | sort -u | \
		sed 's/.*(\(.*\)\.lo)/warning: runt links musl'"'"'s \1 (binary size, issue 8): run sh scripts\/slim-libc.sh *.c/' >&2 || true

$(B)/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. $< $(LIB_OBJS) $(filter -static,$(RT_LDFLAGS)) -o $@ $(RT_LDLIBS)

# The probe runs inside busybox rootfs bundles: always static.
$(B)/tests/probe: tests/probe.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< -static -s -o $@

# The pod sandbox's process of the CRI suite (tests/callers/40-cri.sh).
build/tests/pause: tests/callers/pause.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< -static -s -o $@

build/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $< -static -s -o $@

# runt vs crun vs runc (bench/bench.sh): docs/benchmarks.md and .png; not part of check.
# Installs what a build and the tests need when missing (Debian, as root).
deps:
	@sh tests/deps.sh

# Cross builds (issue 12): runt and the test probe for every CROSS_TARGETS arch, each in
# build/<arch>/, then the size budgets of every built target (tests/size.sh). The seccomp
# and mini unit tests are built for each target too and run under qemu-user (qemu-arm,
# qemu-aarch64: a second or two): the target's own syscall table and 32-bit argument
# compares, its struct stat (rt_fstatat).
cross-deps:
	@sh tests/deps.sh cross

cross: cross-deps
	@for p in $(CROSS_TARGETS); do \
		a=$$(echo "$$p" | sed 's/-.*//; s/^arm$$/armv7/'); \
		$(MAKE) --no-print-directory CROSS_COMPILE=$$p build/$$a/runt build/$$a/tests/probe \
			build/$$a/tests/test_seccomp build/$$a/tests/test_mini || exit 1; \
		q=qemu-$$(echo "$$p" | sed 's/-.*//'); \
		for t in build/$$a/tests/test_seccomp build/$$a/tests/test_mini; do \
			$$q $$t >$$t.log 2>&1; r=$$?; grep '^not ok' $$t.log; \
			echo "$$t ($$q): $$(tail -n 1 $$t.log)"; [ $$r = 0 ] || exit 1; \
		done; \
	done
	@sh tests/size.sh

demo: deps
	@$(MAKE) --no-print-directory runt
	@sh tests/demo.sh

# seccomp (issue 6): the differential test against libseccomp links Debian's libseccomp with
# the host gcc (test-only, never part of runt); the podman default profile is converted the
# way podman does. Both are skipped when their packages are missing or when cross-building.
ifeq ($(CROSS_COMPILE),)
SC_DIFF   := $(if $(wildcard /usr/include/seccomp.h),build/tests/seccomp-diff)
PODMAN_SC := $(if $(wildcard /usr/share/containers/seccomp.json),build/podman-seccomp.json)
endif

build/tests/seccomp-diff: tests/seccomp-diff.c seccomp.c json.c err.c log.c fdpass.c fmt.c mini.c $(HDRS) \
			  tests/unit/bpf_interp.h build/include/sc_syscalls.h build/include/jsmn.h
	@mkdir -p $(@D)
	gcc -O2 -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Wno-unused-parameter \
	    -Wno-missing-field-initializers -Ibuild/include tests/seccomp-diff.c seccomp.c \
	    json.c err.c log.c fdpass.c fmt.c mini.c -lseccomp -o $@

build/podman-seccomp.json: tests/podman-seccomp.py /usr/share/containers/seccomp.json
	@mkdir -p $(@D)
	python3 tests/podman-seccomp.py /usr/share/containers/seccomp.json $@

# The ARM boards' podman profiles: the arm/arm64 rules, not the host's x86_64 ones.
build/%/podman-seccomp.json: tests/podman-seccomp.py /usr/share/containers/seccomp.json
	@mkdir -p $(@D)
	python3 tests/podman-seccomp.py /usr/share/containers/seccomp.json $@ $*

# After SC_DIFF and PODMAN_SC: a rule's prerequisites are expanded when it is read.
bench: runt cross build/tests/probe build/bench/true build/bench/rss build/bench/floor build/bench/seccomp-compile \
       $(SC_DIFF) $(PODMAN_SC)
	@sh bench/bench.sh

build/bench/seccomp-compile: bench/seccomp-compile.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -I. $< $(LIB_OBJS) $(filter -static,$(RT_LDFLAGS)) -o $@ $(RT_LDLIBS)

test-unit: $(UNIT_BINS) $(SC_DIFF) $(PODMAN_SC) runt
	@sh tests/run-unit.sh $(UNIT_BINS) $(SC_DIFF) tests/size.sh

# Fuzzing (issue 17): libFuzzer harnesses (tests/fuzz/) over runt's library built again with
# Debian's clang, ASan and UBSan (build/fuzz/, glibc: not musl). `make fuzz FUZZ_SECONDS=N`
# fuzzes each harness N seconds; fuzz-check (in check) replays the committed corpus and every
# past crash, then fuzzes each FUZZ_CHECK_SECONDS.
FUZZ_CC       ?= clang
FUZZ_TARGETS  := config process resources seccomp state inflate
FUZZ_CFLAGS   := -g -O1 -std=c11 -D_GNU_SOURCE -Ibuild/include \
		 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_OBJS     := $(patsubst %.c,build/fuzz/obj/%.o,$(filter-out runtime.c mount.c,$(SRCS)))
FUZZ_BINS     := $(patsubst %,build/fuzz/fuzz-%,$(FUZZ_TARGETS))
FUZZ_SECONDS  ?= 300
FUZZ_CHECK_SECONDS ?= 12

build/fuzz/obj/%.o: %.c $(HDRS) build/include/jsmn.h build/include/sc_syscalls.h
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

build/fuzz/librunt.a: $(FUZZ_OBJS)
	rm -f $@
	ar rcs $@ $^

# inflate is fuzzed against zlib (test-only: runt has its own inflater).
build/fuzz/fuzz-inflate: FUZZ_LIBS := -lz
build/fuzz/fuzz-%: tests/fuzz/%.c tests/fuzz/fuzz.h build/fuzz/librunt.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -I. -fsanitize=fuzzer $< build/fuzz/librunt.a -o $@ $(FUZZ_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BINS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-check: $(FUZZ_BINS)
	@sh tests/fuzz/run.sh --check $(FUZZ_CHECK_SECONDS) $(FUZZ_TARGETS)

test-integration: runt runt-nosystemd build/tests/probe $(PODMAN_SC)
	@sh tests/run-integration.sh

# The suite as on Linux 5.2 (clone3, pidfds, openat2, mount_setattr, close_range failing
# ENOSYS): every fallback runs for real. OLD_KERNEL_FILES: a subset.
test-old-kernel: runt build/tests/probe
	@sh tests/old-kernel.sh $(OLD_KERNEL_FILES)

check: deps
	@$(MAKE) --no-print-directory all fmt-check
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory fuzz-check
	@$(MAKE) --no-print-directory test-integration

# The unit's paths follow BINDIR; RUNC_LINK=1 adds bin/runc -> runt. Buildroot installs the
# unit apart (its INSTALL_INIT_SYSTEMD step): install-bin and install-unit.
install: install-bin install-unit

# Issue 14: the glibc builds (static, dynamic) through the integration suite, contrib/yocto with
# the real BitBake and OE-Core, contrib/buildroot with the real Buildroot (tests/packaging).
# About 25 minutes: not part of check; .ci/run calls it. PACKAGING=glibc|yocto|buildroot: one.
PACKAGING ?=
packaging-check:
	@sh tests/packaging/deps.sh
	@sh tests/packaging/run.sh $(PACKAGING)

install-bin: $(RUNT)
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(RUNT) $(DESTDIR)$(BINDIR)/runt
	$(if $(filter 1,$(RUNC_LINK)),ln -sf runt $(DESTDIR)$(BINDIR)/runc)

install-unit:
	$(if $(SYSTEMDUNITDIR),install -d $(DESTDIR)$(SYSTEMDUNITDIR))
	$(if $(SYSTEMDUNITDIR),sed 's|/usr/local/bin/runt|$(BINDIR)/runt|g' contrib/systemd/runt@.service \
		> $(DESTDIR)$(SYSTEMDUNITDIR)/runt@.service)
	$(if $(SYSTEMDUNITDIR),chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/runt@.service)

fmt:
	clang-format -i *.c *.h tests/*.c tests/callers/*.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.[ch] bench/*.c

fmt-check:
	@clang-format --dry-run --Werror *.c *.h tests/*.c tests/callers/*.c tests/unit/*.c tests/unit/*.h tests/fuzz/*.[ch] \
		bench/*.c

clean:
	rm -rf build runt

BOARD ?= qemu-x86_64
# TCG is slow (and slower on a loaded machine): generous limits, CI's budget is 90 min.
# The real-callers suite (podman, containerd, conmon) drives them inside the guest: their
# Debian packages are installed on the host first (the guest has no network).
BOARD_TIMEOUT ?= 3600
# ARM boards (issue 12): the board's runt and probe are cross-built (make cross: both ARM
# targets, the aarch64 board runs the armv7 probe as a 32-bit process); no systemd boot and
# no callers suite (the host's systemd, podman and containerd are x86_64 binaries).
# BOARD_TESTS names a subset (test names or integration/, cgroup/ paths): CI's ARM runs.
BOARD_CROSS := $(shell sed -n 's/^CROSS_COMPILE=//p' boards/$(BOARD)/board.conf 2>/dev/null)
BOARD_TESTS ?=
ifneq ($(BOARD_CROSS),)
board-check: cross $(if $(PODMAN_SC),build/aarch64/podman-seccomp.json build/armv7/podman-seccomp.json)
	@mkdir -p build/boards
	@BOARD_TIMEOUT=$(BOARD_TIMEOUT) FILE_TIMEOUT=1500 RUNT_BOARD_TESTS='$(BOARD_TESTS)' \
		sh boards/run-board.sh $(BOARD) -- sh tests/board-suite.sh | tee build/boards/$(BOARD).log; \
	sh tests/sum-totals.sh build/boards/$(BOARD).log >/dev/null
else
board-check: runt runt-nosystemd build/tests/probe build/tests/pause $(PODMAN_SC)
	@sh tests/callers/deps.sh
	@mkdir -p build/boards
	@BOARD_TIMEOUT=$(BOARD_TIMEOUT) FILE_TIMEOUT=1500 sh boards/run-board.sh $(BOARD) -- \
		sh tests/board-suite.sh | tee build/boards/suite.log; \
	$(MAKE) --no-print-directory board-systemd | tee build/boards/systemd.log; \
	echo "# board-check: both boots:"; \
	sh tests/sum-totals.sh build/boards/suite.log build/boards/systemd.log
endif

# Linux 5.10 (Debian 11's kernel, fetched once into build/boards/qemu-x86_64-5.10/): the
# integration and cgroup suites, or the files in BOARD_510_FILES (CI: the ones asserting
# what 5.10 lacks).
BOARD_510_FILES ?= tests/integration/[0-9]*.sh tests/cgroup/[0-9]*.sh
board-check-5.10: runt build/tests/probe
	@BOARD_TIMEOUT=$(BOARD_TIMEOUT) FILE_TIMEOUT=1500 sh boards/run-board.sh qemu-x86_64-5.10 -- \
		sh tests/run-integration.sh $(BOARD_510_FILES)

# runt without the systemd cgroup driver (SYSTEMD_CGROUP=0) in its own build directory: the
# integration suite checks what that build does with --systemd-cgroup.
runt-nosystemd:
	@$(MAKE) --no-print-directory B=build/nosystemd RUNT=build/nosystemd/runt SYSTEMD_CGROUP=0 \
		build/nosystemd/runt

# A second boot, with the host's systemd as PID 1 (BOARD_INIT=systemd): contrib/systemd's
# unit and the systemd cgroup driver under a real systemd (tests/systemd). The bundles'
# rootfs cache is built here: in the guest its ~400 applet links cost half a minute of TCG.
board-systemd: runt build/tests/probe build/tests/pause
	@sh tests/mkbundle.sh build/tests/warm >/dev/null && rm -rf build/tests/warm
	@BOARD_INIT=systemd BOARD_TIMEOUT=1200 FILE_TIMEOUT=900 sh boards/run-board.sh $(BOARD) -- \
		sh tests/systemd/run.sh
