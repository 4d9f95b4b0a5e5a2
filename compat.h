/* compat.h - raw syscall wrappers and kernel constants that musl does not provide; musl-gcc
 * sees no linux/ headers, so every kernel ABI value runt relies on is gathered here. */
#ifndef RUNT_COMPAT_H
#define RUNT_COMPAT_H

#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef CLONE_INTO_CGROUP
#define CLONE_INTO_CGROUP 0x200000000ULL
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif
#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef PR_SET_CHILD_SUBREAPER
#define PR_SET_CHILD_SUBREAPER 36
#endif

struct rt_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid,
	    set_tid_size, cgroup;
};

static inline long rt_clone3(struct rt_clone_args *args)
{
	return syscall(SYS_clone3, args, sizeof(*args));
}

/* Fork-like clone with namespace flags (no stack: the child continues on a copy of ours).
 * musl's cached thread id is stale in the child: never call raise()/abort() there. */
static inline long rt_clone_flags(unsigned long flags)
{
	return syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
}

static inline int rt_pidfd_open(pid_t pid, unsigned flags)
{
	return syscall(SYS_pidfd_open, pid, flags);
}

static inline int rt_pidfd_send_signal(int pidfd, int sig)
{
	return syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

static inline int rt_pivot_root(const char *new_root, const char *put_old)
{
	return syscall(SYS_pivot_root, new_root, put_old);
}

/* The pidfd when there is one (Linux 5.3+), else the pid: callers hold the pid against reuse
 * (their own unreaped child, or a start time checked just before). */
int rt_signal(int pidfd, pid_t pid, int sig);

/* Every fd from first on gets CLOEXEC: close_range (Linux 5.11 for the flag), else fcntl on
 * each fd below the fd limit. */
void rt_cloexec_from(unsigned first);

#endif
