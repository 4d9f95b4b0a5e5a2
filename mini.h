/* mini.h - small stand-ins for the libc calls whose musl versions drag in stdio, locks,
 * thread broadcasts, timezones or NSS (issue 8: binary size). Same signatures as libc's,
 * so scripts/slim-libc.sh swaps them mechanically. */
#ifndef RUNT_MINI_H
#define RUNT_MINI_H

#include <pwd.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Fills the date and time fields of tm (not tm_wday/tm_yday/tm_isdst): no timezone code. */
struct tm *rt_gmtime_r(const time_t *t, struct tm *tm);
/* open(O_PATH) + readlink of /proc/self/fd/N; out holds PATH_MAX bytes. */
char *rt_realpath(const char *path, char *out);
/* Heapsort: no recursion, no allocation; cmp must be a total order (it is not stable). */
void rt_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));
/* /etc/passwd only, no NSS; the result is static (pw_name, pw_uid and pw_gid are set). */
struct passwd *rt_getpwuid(uid_t uid);

/* A line reader on an fd: lines longer than the buffer come back in pieces, like fgets. */
struct rt_lines {
	int fd;
	size_t off, len;
	char buf[8192];
};
/* The next line without its '\n', NUL-terminated in l->buf; NULL at the end. */
char *rt_lines_next(struct rt_lines *l);

/* musl's set*id() and setgroups() broadcast to every thread (__synccall, semaphores):
 * runt calls them single-threaded in the container child, where the raw syscall is what
 * runc and crun make too. */
static inline int rt_setresuid(uid_t r, uid_t e, uid_t s)
{
	return (int)syscall(SYS_setresuid, r, e, s);
}

static inline int rt_setresgid(gid_t r, gid_t e, gid_t s)
{
	return (int)syscall(SYS_setresgid, r, e, s);
}

static inline int rt_setgroups(size_t n, const gid_t *list)
{
	return (int)syscall(SYS_setgroups, n, list);
}

/* fork() also takes musl's atfork and pthread locks; runt registers no atfork handlers. */
static inline pid_t rt_fork(void)
{
	return _Fork();
}

#endif
