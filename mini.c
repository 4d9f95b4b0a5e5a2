/* mini.c - libc stand-ins sized for runt: gmtime without timezones, realpath via /proc,
 * a heapsort, an /etc/passwd lookup, a bounded line reader, a lazy clear, and clock,
 * utimensat and fcntl calls without musl's fallbacks (see mini.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "compat.h"
#include "fmt.h"
#include "mini.h"

/* Days since 1970-01-01 to a civil date (proleptic Gregorian; eras of 400 years). */
struct tm *rt_gmtime_r(const time_t *t, struct tm *tm)
{
	long long days = *t / 86400, rem = *t % 86400, era;
	unsigned doe, yoe, doy, mp;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	tm->tm_hour = rem / 3600;
	tm->tm_min = rem / 60 % 60;
	tm->tm_sec = rem % 60;
	days += 719468; /* from 0000-03-01: leap days fall at the end of a year */
	era = (days >= 0 ? days : days - 146096) / 146097;
	doe = days - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	tm->tm_mday = doy - (153 * mp + 2) / 5 + 1;
	tm->tm_mon = mp < 10 ? mp + 2 : mp - 10;
	tm->tm_year = yoe + era * 400 + (mp >= 10) - 1900;
	return tm;
}

char *rt_realpath(const char *path, char *out)
{
	char proc[32];
	int fd = rt_open(path, O_PATH | O_CLOEXEC), saved;
	ssize_t n;

	if (fd < 0)
		return NULL;
	rt_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, out, PATH_MAX);
	saved = errno;
	close(fd);
	if (n < 0 || n >= PATH_MAX) {
		errno = n < 0 ? saved : ENAMETOOLONG;
		return NULL;
	}
	out[n] = '\0';
	return out;
}

char *rt_strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}

static void swap(char *a, char *b, size_t size)
{
	while (size--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void sift(char *base, size_t root, size_t n, size_t size,
		 int (*cmp)(const void *, const void *))
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap(base + root * size, base + child * size, size);
	}
}

void rt_qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	for (size_t i = n / 2; i-- > 0;)
		sift(base, i, n, size, cmp);
	for (size_t i = n; i-- > 1;) {
		swap(base, (char *)base + i * size, size);
		sift(base, 0, i, size, cmp);
	}
}

char *rt_lines_next(struct rt_lines *l)
{
	char *line = l->buf + l->off, *nl;
	ssize_t n;

	while (!(nl = memchr(line, '\n', l->len - l->off))) {
		memmove(l->buf, line, l->len - l->off);
		l->len -= l->off;
		l->off = 0;
		line = l->buf;
		if (l->len == sizeof(l->buf) - 1)
			break; /* a piece of a long line */
		n = read(l->fd, l->buf + l->len, sizeof(l->buf) - 1 - l->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		l->len += n;
	}
	if (!nl && !l->len)
		return NULL;
	if (!nl)
		nl = l->buf + l->len;
	*nl = '\0';
	l->off = nl - l->buf + (nl < l->buf + l->len);
	return line;
}

static int digit(char c, int base)
{
	int d = c >= '0' && c <= '9'		     ? c - '0'
		: (c | 32) >= 'a' && (c | 32) <= 'z' ? (c | 32) - 'a' + 10
						     : 99;

	return d < base ? d : -1;
}

/* Sign, base prefix and digits; *mag saturates at ULLONG_MAX with *ovf set. */
static const char *scan(const char *s, int *base, int *neg, unsigned long long *mag, int *ovf)
{
	const char *p = s, *start;
	int d;

	while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
		p++;
	*neg = *p == '-';
	p += *p == '-' || *p == '+';
	if ((*base == 0 || *base == 16) && p[0] == '0' && (p[1] | 32) == 'x' &&
	    digit(p[2], 16) >= 0) {
		p += 2;
		*base = 16;
	} else if (*base == 0) {
		*base = *p == '0' ? 8 : 10;
	}
	*mag = 0;
	*ovf = 0;
	for (start = p; (d = digit(*p, *base)) >= 0; p++) {
		if (*mag > (ULLONG_MAX - d) / *base)
			*ovf = 1;
		*mag = *ovf ? ULLONG_MAX : *mag * *base + d;
	}
	return p == start ? s : p;
}

/* The common core: lim is the largest magnitude of a positive result; a negative one may
 * reach lim + 1 when signed, and wraps (like strtoul("-1")) when not. */
static unsigned long long strto(const char *s, char **end, int base, unsigned long long lim,
				int is_signed)
{
	unsigned long long mag;
	int neg, ovf;
	const char *e;

	if (end)
		*end = (char *)s;
	if (base < 0 || base == 1 || base > 36) {
		errno = EINVAL;
		return 0;
	}
	e = scan(s, &base, &neg, &mag, &ovf);
	if (e == s)
		errno = EINVAL; /* no digits: musl says so */
	if (end)
		*end = (char *)e;
	if (is_signed && (ovf || mag > lim + neg)) {
		errno = ERANGE;
		return neg ? -lim - 1 : lim;
	}
	if (!is_signed && (ovf || mag > lim)) {
		errno = ERANGE;
		return lim;
	}
	return neg ? -mag : mag;
}

long rt_strtol(const char *s, char **end, int base)
{
	return (long)strto(s, end, base, LONG_MAX, 1);
}

long long rt_strtoll(const char *s, char **end, int base)
{
	return (long long)strto(s, end, base, LLONG_MAX, 1);
}

unsigned long rt_strtoul(const char *s, char **end, int base)
{
	return (unsigned long)strto(s, end, base, ULONG_MAX, 0);
}

unsigned long long rt_strtoull(const char *s, char **end, int base)
{
	return strto(s, end, base, ULLONG_MAX, 0);
}

/* "name:x:uid:gid:..." */
static int passwd_line(char *line, uid_t uid, struct passwd *pw)
{
	char *f[4], *end;

	for (int i = 0; i < 4; i++) {
		f[i] = line;
		if (!(line = strchr(line, ':')))
			return -1;
		*line++ = '\0';
	}
	if (!*f[2] || rt_strtoul(f[2], &end, 10) != uid || *end)
		return -1;
	pw->pw_name = f[0];
	pw->pw_uid = uid;
	pw->pw_gid = rt_strtoul(f[3], NULL, 10);
	return 0;
}

struct passwd *rt_getpwuid(uid_t uid)
{
	static struct rt_lines l;
	static struct passwd pw;
	char *line;

	l.off = l.len = 0;
	if ((l.fd = rt_open("/etc/passwd", O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	while ((line = rt_lines_next(&l)) && passwd_line(line, uid, &pw) < 0)
		;
	close(l.fd);
	return line ? &pw : NULL;
}

/* Like musl's, the optional argument is read whether the command takes one or not. */
int rt_fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

size_t rt_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

/* 32-bit arches: musl's timespec has a 64-bit tv_sec, which only the *_time64 syscalls take
 * (Linux 5.1); older kernels get the 32-bit ones, whose seconds end in 2038 anyway. */
#ifdef SYS_clock_gettime64
int rt_clock_gettime(clockid_t clk, struct timespec *ts)
{
	long t32[2];
	int r = (int)syscall(SYS_clock_gettime64, clk, ts);

	if (r == 0 || errno != ENOSYS)
		return r;
	if (syscall(SYS_clock_gettime32, clk, t32) < 0) /* musl's name on 32-bit arches */
		return -1;
	ts->tv_sec = t32[0];
	ts->tv_nsec = t32[1];
	return 0;
}

int rt_utimensat(int dirfd, const char *path, const struct timespec t[2], int flags)
{
	long t32[4];
	int r = (int)syscall(SYS_utimensat_time64, dirfd, path, t, flags);

	if (r == 0 || errno != ENOSYS)
		return r;
	for (int i = 0; t && i < 2; i++) {
		t32[2 * i] = (long)t[i].tv_sec;
		t32[2 * i + 1] = t[i].tv_nsec;
	}
	return (int)syscall(SYS_utimensat, dirfd, path, t ? t32 : NULL, flags);
}
#else
int rt_clock_gettime(clockid_t clk, struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, clk, ts);
}

int rt_utimensat(int dirfd, const char *path, const struct timespec t[2], int flags)
{
	return (int)syscall(SYS_utimensat, dirfd, path, t, flags);
}
#endif
int rt_fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	char proc[32];
	struct stat st;
	int fd, r, saved;

	if (!flags)
		return (int)syscall(SYS_fchmodat, dirfd, path, mode);
	if (flags != AT_SYMLINK_NOFOLLOW)
		return errno = EINVAL, -1;
	if ((fd = openat(dirfd, path, O_PATH | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rt_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	r = rt_fstat(fd, &st);
	if (r == 0 && S_ISLNK(st.st_mode))
		r = (errno = ENOTSUP, -1);
	else if (r == 0)
		r = (int)syscall(SYS_fchmodat, AT_FDCWD, proc, mode);
	saved = errno;
	close(fd);
	errno = saved;
	return r;
}

int rt_signal(int pidfd, pid_t pid, int sig)
{
	return pidfd >= 0 ? rt_pidfd_send_signal(pidfd, sig) : kill(pid, sig);
}

/* Before 5.11 close_range has no CLOEXEC flag (EINVAL), before 5.9 no close_range (ENOSYS):
 * no fd of runt's may reach the container's execve either way (CVE-2024-21626). */
void rt_cloexec_from(unsigned first)
{
	struct rlimit rl = { 0 };

	if (syscall(SYS_close_range, first, ~0U, 1U << 2 /* CLOSE_RANGE_CLOEXEC */) == 0)
		return;
	syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl);
	for (unsigned fd = first; fd < rl.rlim_cur; fd++)
		rt_fcntl((int)fd, F_SETFD, FD_CLOEXEC);
}
