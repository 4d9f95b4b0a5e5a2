/* test_mini.c - mini.c's libc stand-ins against libc's own (the unit tests link musl's):
 * gmtime_r, strto*l, realpath, getpwuid, qsort, the line reader; alloc.c's realloc. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mini.h"
#include "tap.h"

static void test_gmtime(void)
{
	static const long long when[] = { 0,	      -1,	    86399,
					  951782400,  951868800,    1709251199,
					  4107542400, 253402300799, -2208988800 };
	int bad = 0;

	for (unsigned i = 0; i < sizeof(when) / sizeof(when[0]); i++) {
		time_t t = when[i];
		struct tm a = { 0 }, b = { 0 };

		rt_gmtime_r(&t, &a);
		gmtime_r(&t, &b);
		ok(a.tm_year == b.tm_year && a.tm_mon == b.tm_mon && a.tm_mday == b.tm_mday &&
		       a.tm_hour == b.tm_hour && a.tm_min == b.tm_min && a.tm_sec == b.tm_sec,
		   "gmtime_r(%lld): %d-%d-%d %d:%d:%d", when[i], a.tm_year, a.tm_mon, a.tm_mday,
		   a.tm_hour, a.tm_min, a.tm_sec);
	}
	/* every day from 1900 to 2200, at a time of day that moves */
	for (long long t = -2208988800LL; t < 7258118400LL; t += 86400 + 3607) {
		time_t tt = t;
		struct tm a = { 0 }, b = { 0 };

		rt_gmtime_r(&tt, &a);
		gmtime_r(&tt, &b);
		bad += a.tm_year != b.tm_year || a.tm_mon != b.tm_mon || a.tm_mday != b.tm_mday ||
		       a.tm_hour != b.tm_hour || a.tm_min != b.tm_min || a.tm_sec != b.tm_sec;
	}
	is_int(bad, 0, "gmtime_r agrees with libc from 1900 to 2200");
}

#define STRTO(fn, rfn, s, base)                                                                    \
	do {                                                                                       \
		char *ea, *eb;                                                                     \
		errno = 0;                                                                         \
		long long va = (long long)rfn(s, &ea, base);                                       \
		int xa = errno;                                                                    \
		errno = 0;                                                                         \
		long long vb = (long long)fn(s, &eb, base);                                        \
		int xb = errno;                                                                    \
		ok(va == vb && ea - s == eb - s && xa == xb,                                       \
		   #fn "(\"%s\", %d) = %lld end %d errno %d (libc %lld end %d errno %d)", s, base, \
		   va, (int)(ea - s), xa, vb, (int)(eb - s), xb);                                  \
	} while (0)

static void test_strto(void)
{
	static const char *in[] = { "0",
				    "42",
				    "  -17xyz",
				    "+8",
				    "",
				    "-",
				    "abc",
				    "9223372036854775807",
				    "9223372036854775808",
				    "-9223372036854775808",
				    "-9223372036854775809",
				    "18446744073709551615",
				    "18446744073709551616",
				    "-1",
				    "99999999999999999999999",
				    "4294967296",
				    "0x1F",
				    "0x",
				    "0755",
				    "\t\v 12 " };

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		STRTO(strtol, rt_strtol, in[i], 10);
		STRTO(strtoll, rt_strtoll, in[i], 10);
		STRTO(strtoul, rt_strtoul, in[i], 10);
		STRTO(strtoull, rt_strtoull, in[i], 10);
	}
	STRTO(strtol, rt_strtol, "0x1F", 0);
	STRTO(strtol, rt_strtol, "0755", 0);
	STRTO(strtoul, rt_strtoul, "ff", 16);
	STRTO(strtoul, rt_strtoul, "0x", 16);
	STRTO(strtol, rt_strtol, "12", 1);
}

static void test_realpath(void)
{
	char a[PATH_MAX], b[PATH_MAX];
	static const char *in[] = { "/", ".", "/proc/self/..", "/etc/../etc//passwd" };

	for (unsigned i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		const char *ra = rt_realpath(in[i], a), *rb = realpath(in[i], b);

		is_str(ra, rb, "realpath(\"%s\")", in[i]);
	}
	errno = 0;
	ok(!rt_realpath("/nonexistent/runt-test", a) && errno == ENOENT,
	   "realpath of a missing path: NULL, ENOENT");
}

static void test_getpwuid(void)
{
	struct passwd *a = rt_getpwuid(0);

	is_str(a ? a->pw_name : NULL, "root", "getpwuid(0) is root");
	ok(!rt_getpwuid(4000000000u), "getpwuid of an unknown uid: NULL");
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void test_qsort(void)
{
	int v[1000], sorted = 1;
	unsigned x = 12345;

	for (int i = 0; i < 1000; i++)
		v[i] = (int)((x = x * 1103515245 + 12345) >> 8) % 5000;
	rt_qsort(v, 1000, sizeof(v[0]), cmp_int);
	for (int i = 1; i < 1000; i++)
		sorted &= v[i - 1] <= v[i];
	ok(sorted, "qsort sorts 1000 ints");
	rt_qsort(v, 0, sizeof(v[0]), cmp_int);
	rt_qsort(v, 1, sizeof(v[0]), cmp_int);
	ok(1, "qsort of 0 and 1 elements");
}

static void test_lines(void)
{
	static struct rt_lines l;
	static char big[10000];
	char *s;
	int fds[2], n = 0;

	if (pipe(fds) < 0)
		return;
	memset(big, 'z', sizeof(big) - 1);
	if (write(fds[1], "one\n\ntwo\n", 9) != 9 || write(fds[1], big, sizeof(big) - 1) < 0 ||
	    write(fds[1], "\nlast", 5) != 5)
		return;
	close(fds[1]);
	l.fd = fds[0];
	is_str(rt_lines_next(&l), "one", "line 1");
	is_str(rt_lines_next(&l), "", "an empty line");
	is_str(rt_lines_next(&l), "two", "line 3");
	s = rt_lines_next(&l);
	is_int(s ? (long long)strlen(s) : -1, sizeof(l.buf) - 1, "a long line: first piece");
	s = rt_lines_next(&l);
	is_int(s ? (long long)strlen(s) : -1, sizeof(big) - sizeof(l.buf), "then the rest");
	is_str(rt_lines_next(&l), "last", "a last line without newline");
	ok(!rt_lines_next(&l), "then the end");
	close(fds[0]);
	(void)n;
}

static void test_strstr(void)
{
	static const char *hay[] = { "a/../b", "frozen 0\nfrozen 1\n", "", "abc", "aab" };
	static const char *needle[] = { "..", "frozen 1", "", "", "ab", "abcd", "x" };

	for (unsigned i = 0; i < sizeof(hay) / sizeof(hay[0]); i++)
		for (unsigned k = 0; k < sizeof(needle) / sizeof(needle[0]); k++) {
			const char *a = rt_strstr(hay[i], needle[k]),
				   *b = strstr(hay[i], needle[k]);

			is_int(a ? a - hay[i] : -1, b ? b - hay[i] : -1, "strstr(%u, \"%s\")", i,
			       needle[k]);
		}
}

static void test_realloc(void)
{
	char *p = malloc(10), *q;

	strcpy(p, "runt");
	q = realloc(p, 100000);
	is_str(q, "runt", "realloc keeps the contents");
	q[99999] = 'x';
	ok(q[99999] == 'x', "and the new size is usable");
	free(q);
	q = calloc(1000, 8);
	ok(q && q[0] == 0 && q[7999] == 0, "calloc is zeroed");
	free(q);
	volatile size_t huge = (size_t)-1 / 2;

	errno = 0;
	ok(!calloc(huge, 4) && errno == ENOMEM, "calloc overflow: NULL, ENOMEM");
}

/* rt_strlcpy and rt_fcntl against libc's (the tests link musl's strlcpy and fcntl). */
static void test_strlcpy_fcntl(void)
{
	char a[8], b[8];
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC), bad = 0;

	for (size_t size = 0; size <= sizeof(a); size++) {
		memset(a, 'x', sizeof(a));
		memset(b, 'x', sizeof(b));
		bad += rt_strlcpy(a, "0123456789", size) != strlcpy(b, "0123456789", size) ||
		       memcmp(a, b, sizeof(a));
	}
	ok(!bad, "rt_strlcpy truncates, terminates and returns as strlcpy (sizes 0..8)");
	is_int((int)rt_strlcpy(a, "abc", sizeof(a)), 3, "rt_strlcpy: a short string");
	is_str(a, "abc", "rt_strlcpy: copied whole");
	is_int(rt_fcntl(fd, F_GETFD), FD_CLOEXEC, "rt_fcntl F_GETFD with two arguments");
	is_int(rt_fcntl(fd, F_SETFD, 0), 0, "rt_fcntl F_SETFD");
	is_int(fcntl(fd, F_GETFD), 0, "the flag is gone (libc's fcntl)");
	is_int(rt_fcntl(-1, F_GETFD), -1, "rt_fcntl on a bad fd: -1");
	is_int(errno, EBADF, "and errno EBADF");
	close(fd);
}

/* rt_clock_gettime and rt_utimensat: the raw syscalls (time64 ones on 32-bit arches). */
static void test_time(void)
{
	struct timespec ts, t[2] = { { 1000000000, 5 }, { 1234567890, 0 } };
	char path[] = "/tmp/runt-test-mini.XXXXXX";
	int fd = mkstemp(path);
	struct stat st;
	time_t now = time(NULL);

	ok(rt_clock_gettime(CLOCK_REALTIME, &ts) == 0 && ts.tv_sec >= now - 1 &&
	       ts.tv_sec <= now + 5 && ts.tv_nsec >= 0 && ts.tv_nsec < 1000000000,
	   "rt_clock_gettime(CLOCK_REALTIME) is the time");
	ok(rt_utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW) == 0 && stat(path, &st) == 0 &&
	       st.st_atim.tv_sec == 1000000000 && st.st_mtim.tv_sec == 1234567890,
	   "rt_utimensat sets atime and mtime");
	ok(rt_futimens(fd, NULL) == 0 && fstat(fd, &st) == 0 && st.st_mtim.tv_sec >= now - 1,
	   "rt_futimens(NULL): now");
	close(fd);
	unlink(path);
}

static bool same_stat(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_mode == b->st_mode &&
	       a->st_nlink == b->st_nlink && a->st_uid == b->st_uid && a->st_gid == b->st_gid &&
	       a->st_rdev == b->st_rdev && a->st_size == b->st_size &&
	       a->st_blocks == b->st_blocks && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec && a->st_ctim.tv_sec == b->st_ctim.tv_sec;
}

/* rt_fstatat and friends fill struct stat as libc's do (the raw syscall on x86_64 and
 * aarch64); rt_fchmodat never follows a symlink with AT_SYMLINK_NOFOLLOW. */
static void test_stat_chmod(void)
{
	char dir[] = "/tmp/runt-test-mini.XXXXXX", file[64], link[64], cwd[PATH_MAX];
	struct stat a, b;
	int dfd, fd, bad = 0;

	if (!mkdtemp(dir)) {
		ok(0, "mkdtemp");
		return;
	}
	dfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	snprintf(file, sizeof(file), "%s/f", dir);
	snprintf(link, sizeof(link), "%s/l", dir);
	fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	bad += write(fd, "0123456789", 10) != 10 || symlink("f", link) < 0;
	ok(!bad && rt_fstat(fd, &a) == 0 && fstat(fd, &b) == 0 && same_stat(&a, &b) &&
	       S_ISREG(a.st_mode) && a.st_size == 10,
	   "rt_fstat: the fields of libc's fstat");
	ok(rt_stat(link, &a) == 0 && stat(link, &b) == 0 && same_stat(&a, &b) && S_ISREG(a.st_mode),
	   "rt_stat follows a symlink, as stat");
	ok(rt_fstatat(dfd, "l", &a, AT_SYMLINK_NOFOLLOW) == 0 &&
	       fstatat(dfd, "l", &b, AT_SYMLINK_NOFOLLOW) == 0 && same_stat(&a, &b) &&
	       S_ISLNK(a.st_mode),
	   "rt_fstatat(AT_SYMLINK_NOFOLLOW): the symlink itself");
	ok(rt_fstat(dfd, &a) == 0 && S_ISDIR(a.st_mode), "rt_fstat on an O_PATH fd");
	ok(rt_stat("/nonexistent/runt-test", &a) < 0 && errno == ENOENT, "rt_stat: ENOENT");
	ok(rt_fchmodat(dfd, "f", 0640, 0) == 0 && stat(file, &a) == 0 &&
	       (a.st_mode & 07777) == 0640,
	   "rt_fchmodat(0) sets the mode");
	ok(rt_fchmodat(dfd, "f", 0604, AT_SYMLINK_NOFOLLOW) == 0 && stat(file, &a) == 0 &&
	       (a.st_mode & 07777) == 0604,
	   "rt_fchmodat(AT_SYMLINK_NOFOLLOW) sets a regular file's mode");
	errno = 0;
	ok(rt_fchmodat(dfd, "l", 0666, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOTSUP &&
	       stat(file, &a) == 0 && (a.st_mode & 07777) == 0604,
	   "rt_fchmodat(AT_SYMLINK_NOFOLLOW) on a symlink: ENOTSUP, its target untouched");
	ok(rt_fchmodat(dfd, "none", 0600, AT_SYMLINK_NOFOLLOW) < 0 && errno == ENOENT,
	   "rt_fchmodat(AT_SYMLINK_NOFOLLOW): ENOENT");
	ok(rt_fchmodat(dfd, "f", 0600, AT_REMOVEDIR) < 0 && errno == EINVAL,
	   "rt_fchmodat: other flags are EINVAL");
	ok(rt_fchmod(fd, 0620) == 0 && stat(file, &a) == 0 && (a.st_mode & 07777) == 0620,
	   "rt_fchmod sets the mode");
	if (geteuid() == 0)
		ok(rt_fchown(fd, 70000, 70001) == 0 && stat(file, &a) == 0 && a.st_uid == 70000 &&
		       a.st_gid == 70001,
		   "rt_fchown sets the owner (fchownat AT_EMPTY_PATH: 32-bit ids)");
	else
		tap_skip("rt_fchown", "not root");
	ok(rt_fchdir(dfd) == 0 && getcwd(cwd, sizeof(cwd)) && !strcmp(cwd, dir) && !chdir("/"),
	   "rt_fchdir on an O_PATH fd");
	close(fd);
	unlink(link);
	unlink(file);
	rmdir(dir);
	close(dfd);
}

/* rt_socket, rt_socketpair, rt_pipe2; rt_sendmsg and rt_recvmsg: data and an SCM_RIGHTS fd. */
static void test_msg(void)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 }, rbuf[CMSG_SPACE(sizeof(int))], data[4];
	struct iovec iov = { "abc", 4 }, riov = { data, sizeof(data) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct msghdr rh = { .msg_iov = &riov,
			     .msg_iovlen = 1,
			     .msg_control = rbuf,
			     .msg_controllen = sizeof(rbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int sv[2], fd = open("/dev/null", O_RDONLY | O_CLOEXEC), got = -1;
	struct stat a, b;

	int p[2] = { -1, -1 }, s = rt_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	ok(s >= 0 && fcntl(s, F_GETFD) == FD_CLOEXEC, "rt_socket: SOCK_CLOEXEC");
	ok(rt_pipe2(p, O_CLOEXEC) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC &&
	       fcntl(p[1], F_GETFD) == FD_CLOEXEC,
	   "rt_pipe2: both ends O_CLOEXEC");
	ok(rt_socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 &&
	       fcntl(sv[0], F_GETFD) == FD_CLOEXEC && fcntl(sv[1], F_GETFD) == FD_CLOEXEC,
	   "rt_socketpair: both ends SOCK_CLOEXEC");
	close(s);
	close(p[0]);
	close(p[1]);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	is_int((int)rt_sendmsg(sv[0], &mh, MSG_NOSIGNAL), 4, "rt_sendmsg: 4 bytes and an fd");
	is_int((int)rt_recvmsg(sv[1], &rh, MSG_CMSG_CLOEXEC), 4, "rt_recvmsg: 4 bytes");
	cm = CMSG_FIRSTHDR(&rh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&got, CMSG_DATA(cm), sizeof(int));
	ok(!strcmp(data, "abc") && got >= 0 && got != fd && fstat(got, &a) == 0 &&
	       fstat(fd, &b) == 0 && a.st_ino == b.st_ino && a.st_rdev == b.st_rdev,
	   "rt_recvmsg: the data and the fd sent");
	close(got);
	close(fd);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	test_gmtime();
	test_strto();
	test_realpath();
	test_getpwuid();
	test_qsort();
	test_lines();
	test_strstr();
	test_realloc();
	test_strlcpy_fcntl();
	test_time();
	test_stat_chmod();
	test_msg();
	return tap_done();
}
