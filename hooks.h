/* hooks.h - OCI lifecycle hooks (runtime-spec 1.2): the state JSON a hook reads on stdin and
 * running one hook with its args, env and timeout. No malloc on the running path: the
 * createContainer and startContainer hooks run inside the container child. */
#ifndef RUNT_HOOKS_H
#define RUNT_HOOKS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "spec.h"
#include "state.h"

/* Annotations (32 KiB at most, as in state.json) plus id, bundle and the fixed members. */
#define HOOK_STATE_MAX (40 * 1024)

/* What the state JSON carries besides status and pid. */
struct hook_info {
	const char *id, *bundle;
	const char *annotations; /* JSON object text; NULL means {} */
};

/* Before clone: the annotations as JSON text (malloc'd, lives as long as the runt process). */
int hook_prepare(struct hook_info *hi, const struct spec *s, const char *id, const char *bundle,
		 struct rt_err *err);
/* A stopped or started container: everything comes from its state.json. */
void hook_info_from_state(struct hook_info *hi, const struct rt_state *st);

/* {"ociVersion","id","status","pid","bundle","annotations"}: the length, or -E2BIG. */
int hook_state_json(const struct hook_info *hi, const char *status, pid_t pid, char *buf,
		    size_t size);

/* Run one hook: fork, state on stdin, stdout and stderr to runt's stderr, killed (with its
 * process group) past its timeout. Errors name it: "hook poststop[1] /bin/x exited with
 * status 2". */
int hook_run(const struct spec_hook *h, enum hook_kind kind, int idx, const char *state, size_t len,
	     struct rt_err *err);
/* Every hook of a kind in order; the first failure stops the list. */
int hook_run_all(const struct spec *s, enum hook_kind kind, const struct hook_info *hi,
		 const char *status, pid_t pid, struct rt_err *err);
/* poststart and poststop: a failure is a warning and the next hook still runs. */
void hook_run_warn(const struct spec *s, enum hook_kind kind, const struct hook_info *hi,
		   const char *status, pid_t pid);

/* Whether s has a hook of any kind from `from` to `to` (enum order). */
bool hook_any(const struct spec *s, enum hook_kind from, enum hook_kind to);

/* start and delete read the hooks from the copy of config.json create saved in the state
 * directory (the bundle may have changed or gone since). False when there is none. */
bool hook_load_saved(struct spec *s, const struct rt_state *st);

#endif
