# runt - a tiny static OCI container runtime. `make demo` and `make check` are the two
# commands a newcomer runs; both install missing build dependencies first (Debian, root).

VERSION   := 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
DESTDIR   ?=
CROSS_COMPILE ?=
ifeq ($(CROSS_COMPILE),)
CC        := musl-gcc
else
CC        := $(CROSS_COMPILE)gcc
endif
JSMN_H    ?= /usr/include/jsmn.h
GIT_COMMIT := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

CFLAGS    ?= -Os
CFLAGS    += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wformat=2 -Wno-unused-parameter \
	     -Wno-missing-field-initializers \
	     -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	     -Ibuild/include -DRUNT_VERSION='"$(VERSION)"' -DRUNT_COMMIT='"$(GIT_COMMIT)"'
LDFLAGS   += -static -Wl,--gc-sections -s

SRCS      := runtime.c err.c json.c spec.c state.c log.c exec.c ns.c caps.c mount.c tty.c \
	     signals.c cgroup.c
LIB_OBJS  := $(patsubst %.c,build/%.o,$(filter-out runtime.c,$(SRCS)))
HDRS      := $(wildcard *.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRCS))

.PHONY: all deps demo check test-unit test-integration install clean fmt fmt-check

all: runt

build/include/jsmn.h: $(JSMN_H)
	@mkdir -p $(@D)
	cp $< $@

build/%.o: %.c $(HDRS) build/include/jsmn.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

runt: build/runtime.o $(LIB_OBJS)
	$(CC) $(CFLAGS) $^ $(LDFLAGS) -o $@

build/tests/%: tests/unit/%.c tests/unit/tap.h $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -I. $< $(LIB_OBJS) -static -o $@

build/tests/probe: tests/probe.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $< -static -s -o $@

# Installs what a build and the tests need when missing (Debian, as root).
deps:
	@sh tests/deps.sh

demo: deps
	@$(MAKE) --no-print-directory runt
	@sh tests/demo.sh

test-unit: $(UNIT_BINS)
	@sh tests/run-unit.sh $(UNIT_BINS)

test-integration: runt build/tests/probe
	@sh tests/run-integration.sh

check: deps
	@$(MAKE) --no-print-directory all fmt-check
	@$(MAKE) --no-print-directory test-unit
	@$(MAKE) --no-print-directory test-integration

install: runt
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 runt $(DESTDIR)$(BINDIR)/runt

fmt:
	clang-format -i *.c *.h tests/*.c tests/unit/*.c tests/unit/*.h

fmt-check:
	@clang-format --dry-run --Werror *.c *.h tests/*.c tests/unit/*.c tests/unit/*.h

clean:
	rm -rf build runt

BOARD ?= qemu-x86_64
board-check: runt build/tests/probe
	@sh tests/callers/deps.sh
	@BOARD_TIMEOUT=$${BOARD_TIMEOUT:-2700} sh boards/run-board.sh $(BOARD) -- sh tests/board-suite.sh
