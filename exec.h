/* exec.h - starting a container's init: clone into its namespaces and cgroup, the
 * parent/child sync protocol, and everything the child does up to execve. */
#ifndef RUNT_EXEC_H
#define RUNT_EXEC_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cgroup.h"
#include "err.h"
#include "mount.h"
#include "hooks.h"
#include "notify.h"
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
	/* idmapped mounts runt made before clone */
	struct mnt_trees trees;
	sigset_t sigmask; /* the mask the container process must start with */
	int fifo_fd;	  /* exec fifo, held open read-write by the init until start */
	int sync_fd;	  /* parent's end of the sync socket */
	const struct spec_process *proc; /* what runs: &spec.process, or exec's process */
	const char **env;    /* execve's environment: proc->env, plus LISTEN_* when passed */
	char listen_pid[32]; /* "LISTEN_PID=<pid inside>", written by the child */
	char home[4102];     /* "HOME=/" when env has none: the child puts passwd's in */
	int console_fd;	     /* the pty master goes here (SCM_RIGHTS); -1 without a terminal */
	int nfds;	     /* fds 3 .. 3+nfds-1 are passed to the process */
	pid_t pid;	     /* the init's host pid */
	pid_t direct_child;  /* the process we cloned (== pid unless a grandchild) */
	int pidfd;
	struct hook_info hooks;	  /* state JSON members for hooks (prepared before clone) */
	struct notify notify;	  /* sd_notify proxy (NOTIFY_SOCKET) */
	struct sc_filter seccomp; /* compiled by runt before clone; the child loads it */
};

/* c must be zeroed static storage, used once per process: 68 KB that a plain `run` mostly
 * never touches, so neither clearing nor even reading it faults those pages in (memory.max
 * floor and start-up time, issue 8). */
void exec_init(struct container *c);
/* Clone the init and let it start its setup; c->pid is its host pid (final unless
 * c->ns.grandchild). exec_wait_ready then drives it until it blocks on the fifo, ready. On
 * failure of either the child is killed and reaped, and err says what the child reported. */
int exec_spawn(struct container *c, struct rt_err *err);
int exec_wait_ready(struct container *c, struct rt_err *err);
/* Kill and reap the init exec_spawn made (a step between spawn and ready failed). */
void exec_kill(struct container *c);
/* `exec`: a new process in the running container c->pid (its namespaces, opened into
 * c->ns, and its cgroup c->cg). Returns once the process has called execve. */
int exec_join(struct container *c, struct rt_err *err);
/* Open the namespaces of pid that differ from ours, for exec_join. */
int exec_plan_join(struct ns_plan *pl, pid_t pid, struct rt_err *err);

/* Release what the parent holds (sockets, fifo, pidfd). */
void exec_release(struct container *c);

/* Re-exec runt from a sealed memfd copy unless it already runs from one. */
int exec_seal_self(char **argv, struct rt_err *err);

/* Resolve args[0] the way execvp would, with PATH taken from the process env. */
int exec_lookup(const char *arg0, const char *const *env, char *out, size_t size,
		struct rt_err *err);

#endif
