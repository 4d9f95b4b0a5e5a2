/* mini.h - small stand-ins for the libc calls whose musl versions drag in stdio, locks,
 * thread broadcasts, timezones or NSS (issue 8: binary size). Same signatures as libc's,
 * so scripts/slim-libc.sh swaps them mechanically. */
#ifndef RUNT_MINI_H
#define RUNT_MINI_H

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
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

/* strtol and friends: musl's go through its FILE-based scanner (intscan, shgetc, __uflow)
 * and so pull stdio in. Same results, errno (ERANGE, EINVAL for a bad base) and *end. */
long rt_strtol(const char *s, char **end, int base);
long long rt_strtoll(const char *s, char **end, int base);
unsigned long rt_strtoul(const char *s, char **end, int base);
unsigned long long rt_strtoull(const char *s, char **end, int base);

/* musl's atoi is its own parser (~0.2 KB) beside the strtol runt already has. */
static inline int rt_atoi(const char *s)
{
	return (int)rt_strtol(s, NULL, 10);
}

/* musl's strlcpy copies a word at a time (~0.3 KB); runt copies a few paths and ids. */
size_t rt_strlcpy(char *dst, const char *src, size_t size);

/* Naive search: runt looks for ".." or a word in a few hundred bytes; musl's two-way
 * strstr is 1.3 KB. */
char *rt_strstr(const char *hay, const char *needle);

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
 * runc and crun make too. setrlimit: the same broadcast.
 * On 32-bit ARM and i386 the plain calls are the old 16-bit ones (uid 65535 means "keep
 * the current one", root; 100000 becomes 34464; a gid list is read as 16-bit entries):
 * there the *32 calls take real ids, as musl's own wrappers do. */
#ifdef SYS_setresuid32
#define RT_SYS_ID(call) SYS_##call##32
#else
#define RT_SYS_ID(call) SYS_##call
#endif
static inline int rt_setresuid(uid_t r, uid_t e, uid_t s)
{
	return (int)syscall(RT_SYS_ID(setresuid), r, e, s);
}

static inline int rt_setresgid(gid_t r, gid_t e, gid_t s)
{
	return (int)syscall(RT_SYS_ID(setresgid), r, e, s);
}

static inline int rt_setgroups(size_t n, const gid_t *list)
{
	return (int)syscall(RT_SYS_ID(setgroups), n, list);
}

static inline int rt_setrlimit(int resource, const struct rlimit *rl)
{
	return (int)syscall(SYS_prlimit64, 0, resource, rl, NULL);
}

/* musl's open() follows O_CLOEXEC with fcntl(F_SETFD) for kernels before 2.6.23; openat()
 * does not: one syscall less per file runt opens (~20 per container). */
#define rt_open(...) openat(AT_FDCWD, __VA_ARGS__)

/* musl's clock_gettime looks the vDSO up first (__vdsosym and its ELF walk, ~1 KB): runt
 * reads the clock a few times per container, where a syscall costs nothing noticeable. */
int rt_clock_gettime(clockid_t clk, struct timespec *ts);
/* musl's utimensat falls back to utimes for pre-2.6.22 kernels (~0.4 KB). */
int rt_utimensat(int dirfd, const char *path, const struct timespec t[2], int flags);

static inline int rt_futimens(int fd, const struct timespec t[2])
{
	return rt_utimensat(fd, NULL, t, 0);
}

/* musl's fcntl emulates F_DUPFD_CLOEXEC for pre-2.6.24 kernels and fixes F_GETOWN's sign
 * (~0.4 KB): runt's commands (seals, F_SETFD, F_DUPFD_CLOEXEC) are the plain syscall. */
int rt_fcntl(int fd, int cmd, ...);

/* musl's faccessat emulates AT_EACCESS with a helper process (~0.5 KB); runt only asks
 * whether a file exists (flags 0), which is the plain syscall. */
static inline int rt_faccessat(int dirfd, const char *path, int mode, int flags)
{
	return flags ? (errno = EINVAL, -1) : (int)syscall(SYS_faccessat, dirfd, path, mode);
}

/* musl's fstatat copies the kernel's struct stat into its own field by field and falls back
 * to /proc/self/fd for O_PATH fds on kernels before 3.6 (~0.5 KB). On x86_64 and aarch64
 * the kernel's struct stat is libc's: the syscall fills it. */
#if defined(__x86_64__) || defined(__aarch64__)
static inline int rt_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	return (int)syscall(SYS_newfstatat, dirfd, path, st, flags);
}
#else
#define rt_fstatat fstatat
#endif

static inline int rt_fstat(int fd, struct stat *st)
{
	return rt_fstatat(fd, "", st, AT_EMPTY_PATH);
}

static inline int rt_stat(const char *path, struct stat *st)
{
	return rt_fstatat(AT_FDCWD, path, st, 0);
}

/* musl's fchdir, fchmod and fchown retry EBADF through /proc/self/fd (__procfdname), for
 * O_PATH fds on kernels before 3.5/3.6 (~0.6 KB). fchdir takes an O_PATH fd itself since
 * 3.5, fchownat(AT_EMPTY_PATH) any fd; runt fchmods only fds it opened for reading or writing. */
static inline int rt_fchdir(int fd)
{
	return (int)syscall(SYS_fchdir, fd);
}

static inline int rt_fchmod(int fd, mode_t mode)
{
	return (int)syscall(SYS_fchmod, fd, mode);
}

static inline int rt_fchown(int fd, uid_t uid, gid_t gid)
{
	return fchownat(fd, "", uid, gid, AT_EMPTY_PATH);
}

/* musl's socket, socketpair and pipe2 emulate SOCK_CLOEXEC and O_CLOEXEC with fcntl for
 * kernels before 2.6.27 (~0.6 KB): the syscalls take the flags themselves. */
static inline int rt_socket(int domain, int type, int proto)
{
	return (int)syscall(SYS_socket, domain, type, proto);
}

static inline int rt_socketpair(int domain, int type, int proto, int sv[2])
{
	return (int)syscall(SYS_socketpair, domain, type, proto, sv);
}

static inline int rt_pipe2(int fds[2], int flags)
{
	return (int)syscall(SYS_pipe2, fds, flags);
}

/* musl's sendmsg and recvmsg copy the msghdr (sendmsg its control data too, through a 4 KB
 * stack buffer) to zero the padding of their 64-bit layout (~0.5 KB): runt builds each
 * msghdr and control buffer zeroed, so the syscall takes them as they are. */
static inline ssize_t rt_sendmsg(int fd, const struct msghdr *msg, int flags)
{
	return syscall(SYS_sendmsg, fd, msg, flags);
}

static inline ssize_t rt_recvmsg(int fd, struct msghdr *msg, int flags)
{
	return syscall(SYS_recvmsg, fd, msg, flags);
}

/* musl's fchmodat is the syscall for flags 0 and emulates AT_SYMLINK_NOFOLLOW with a stat
 * of its own (~0.4 KB); here the emulation is the same: through an O_PATH fd of the node,
 * ENOTSUP for a symlink (Linux cannot change a symlink's mode). */
int rt_fchmodat(int dirfd, const char *path, mode_t mode, int flags);

/* fork() also takes musl's atfork and pthread locks; runt registers no atfork handlers. */
static inline pid_t rt_fork(void)
{
	return _Fork();
}

#endif
