/* exec.h - starting a container's init: clone into its namespaces and cgroup, the
 * parent/child sync protocol, and everything the child does up to execve. */
#ifndef RUNT_EXEC_H
#define RUNT_EXEC_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "err.h"
#include "ns.h"
#include "seccomp.h"
#include "spec.h"
#include "state.h"

/* One container being created: explicit state passed by pointer, never global. */
struct container {
	const char *id;
	const char *bundle; /* absolute */
	bool no_pivot;
	bool no_new_keyring;
	struct spec spec;
	struct rt_state st;
	struct cg cg;
	struct ns_plan ns;
	sigset_t sigmask;   /* the mask the container process must start with */
	int fifo_fd;	    /* exec fifo, held open read-write by the init until start */
	int sync_fd;	    /* parent's end of the sync socket */
	pid_t pid;	    /* the init's host pid */
	pid_t direct_child; /* the process we cloned (== pid unless a grandchild) */
	int pidfd;
	struct sc_filter seccomp; /* compiled by runt before clone; the child loads it */
};

void exec_init(struct container *c);
/* Clone the init, drive it through setup; on return it blocks on the fifo. On failure the
 * child is killed and reaped, and err says what the child reported. */
int exec_spawn(struct container *c, struct rt_err *err);
/* Release what the parent holds (sockets, fifo, pidfd). */
void exec_release(struct container *c);

/* Resolve args[0] the way execvp would, with PATH taken from the process env. */
int exec_lookup(const char *arg0, const char *const *env, char *out, size_t size,
		struct rt_err *err);

#endif
