/* seccomp.h - linux.seccomp compiled to classic BPF without libseccomp: the profile is
 * parsed and compiled in runt (create, before anything exists), the child only loads it. */
#ifndef RUNT_SECCOMP_H
#define RUNT_SECCOMP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "json.h"
#include "spec.h"

#define SC_MAX_INSNS 4096 /* BPF_MAXINSNS: the kernel refuses longer programs */

/* struct sock_filter, spelled out: musl ships no linux/filter.h. */
struct sc_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

/* A compiled profile; lives in struct container, so the cloned child inherits it. */
struct sc_filter {
	bool present;	/* a profile was given: load it */
	bool notify;	/* some rule uses SCMP_ACT_NOTIFY: a listener fd results */
	unsigned flags; /* SECCOMP_FILTER_FLAG_* */
	const char *listener_path, *listener_metadata; /* point into the spec document */
	uint16_t len;
	struct sc_insn insns[SC_MAX_INSNS];
};

/* Parse the profile at token `tok` of `doc` (the JSON path in messages is `path`, e.g.
 * ".linux.seccomp") and compile it for the native arch. Unknown syscall names are skipped
 * and logged at debug level. */
int sc_compile(struct json *doc, int tok, const char *path, struct sc_filter *f,
	       struct rt_err *err);
/* Are the flags and actions the filter uses known to the running kernel? */
int sc_check_kernel(const struct sc_filter *f, struct rt_err *err);
/* In the child: install the filter; *listener gets the notify fd or -1. No malloc. */
int sc_load(const struct sc_filter *f, int *listener, struct rt_err *err);
/* Hand the listener fd to listenerPath with the container process state, as runc does:
 * one message, the JSON as payload and the fd in SCM_RIGHTS. */
int sc_send_listener(const struct sc_filter *f, int fd, const struct spec *s, const char *id,
		     const char *bundle, pid_t pid, struct rt_err *err);

/* For `features` and tests: names in table order, NULL past the end. */
const char *sc_action_name(int i);
const char *sc_op_name(int i);
const char *sc_arch_name(int i);     /* the archs this build filters natively */
int sc_syscall_nr(const char *name); /* -1 when the native arch has no such syscall */
const char *sc_syscall_name(int i);  /* the table in name order; NULL past the end */

/* The AUDIT_ARCH_* value of the build's target (what the filter lets through). */
uint32_t sc_native_arch(void);

#endif
