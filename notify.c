/* notify.c - the sd_notify proxy: a directory of the state dir bound into the container at
 * /run/notify, the datagram socket `start` binds there, and forwarding of what the container
 * says to the host's NOTIFY_SOCKET. The container is untrusted: only known keys go through,
 * and MAINPID is always runt's own view of the init (never a pid the container made up). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fdpass.h"
#include "fmt.h"
#include "log.h"
#include "mini.h"
#include "notify.h"

#define NOTIFY_ENV "NOTIFY_SOCKET=" NOTIFY_CONTAINER

/* Keys a service may send that systemd acts on without fds; FDSTORE, BARRIER, NOTIFYACCESS
 * and MAINPID (rewritten below) stay inside. */
static const char *const forwarded[] = {
	"READY=",	   "RELOADING=",   "STOPPING=", "STATUS=",	  "ERRNO=",
	"BUSERROR=",	   "EXIT_STATUS=", "WATCHDOG=", "WATCHDOG_USEC=", "EXTEND_TIMEOUT_USEC=",
	"MONOTONIC_USEC=", NULL,
};

/* No memset: source is PATH_MAX, and inside run's struct container clearing it faulted in
 * a page of its own (issue 8); host and source are written before they are read. */
void notify_init(struct notify *n)
{
	n->fd = n->out = n->pidfd = -1;
	n->host_len = 0;
	n->pid = 0;
	n->ready = false;
	n->source[0] = '\0';
}

static bool line_forwarded(const char *line, size_t len)
{
	if (memchr(line, '\0', len))
		return false;
	for (const char *const *k = forwarded; *k; k++)
		if (len >= strlen(*k) && !memcmp(line, *k, strlen(*k)))
			return true;
	return false;
}

size_t notify_rewrite(const char *msg, size_t len, pid_t pid, char *out, size_t size, bool *ready)
{
	const char *end = msg + len;
	bool said_ready = false;
	size_t o = 0;
	int n;

	for (const char *p = msg, *e; p < end; p = e < end ? e + 1 : end) {
		e = memchr(p, '\n', end - p);
		e = e ? e : end;
		if (!line_forwarded(p, e - p))
			continue;
		if (o + (e - p) + 1 >= size)
			return 0;
		memcpy(out + o, p, e - p);
		o += e - p;
		out[o++] = '\n';
		said_ready |= e - p == 7 && !memcmp(p, "READY=1", 7);
	}
	if (!o)
		return 0;
	n = rt_snprintf(out + o, size - o, "MAINPID=%d\n", (int)pid);
	if (n < 0 || (size_t)n >= size - o)
		return 0;
	*ready |= said_ready;
	return o + n;
}

/* Relative bind sources resolve against the bundle: the source must be absolute. */
static int notify_dir(struct notify *n, const struct rt_state *st, struct rt_err *err)
{
	char real[PATH_MAX];

	if (mkdirat(st->dirfd, STATE_NOTIFY, 0755) < 0 && errno != EEXIST)
		return rt_sysfail(err, "mkdir %s/%s", st->dir, STATE_NOTIFY);
	if (!rt_realpath(st->dir, real))
		return rt_sysfail(err, "resolve %s", st->dir);
	if ((size_t)rt_snprintf(n->source, sizeof(n->source), "%s/%s", real, STATE_NOTIFY) >=
	    sizeof(n->source))
		return rt_fail(err, ENAMETOOLONG, "%s/%s: path too long", real, STATE_NOTIFY);
	return 0;
}

/* Appended last, so it lands on top of whatever the spec mounts at /run; read-only is
 * fine: sending to a socket is not a write to its filesystem. */
static int add_mount(struct notify *n, struct spec *s, struct rt_err *err)
{
	static const char *options[] = { "bind", "nosuid", "noexec", "nodev", "ro", NULL };
	struct spec_mount *m = calloc(s->nmounts + 1, sizeof(*m));

	if (!m)
		return rt_errnofail(err, ENOMEM, "notify mount");
	if (s->nmounts)
		memcpy(m, s->mounts, s->nmounts * sizeof(*m));
	m[s->nmounts] = (struct spec_mount){ .destination = NOTIFY_MOUNT,
					     .source = n->source,
					     .type = "bind",
					     .options = options,
					     .noptions = 5 };
	s->mounts = m; /* the spec's arena copy stays; both live until exit */
	s->nmounts++;
	return 0;
}

/* NOTIFY_SOCKET of the process env is replaced (it named a socket of another world). */
static int add_env(struct notify *n, struct spec *s, struct rt_err *err)
{
	const char **env = calloc(s->process.nenv + 2, sizeof(*env));
	int k = 0;

	if (!env)
		return rt_errnofail(err, ENOMEM, "notify env");
	for (int i = 0; i < s->process.nenv; i++)
		if (strncmp(s->process.env[i], "NOTIFY_SOCKET=", 14))
			env[k++] = s->process.env[i];
	env[k++] = NOTIFY_ENV;
	env[k] = NULL;
	s->process.env = env;
	s->process.nenv = k;
	return 0;
}

/* systemd hands out an absolute path or "@name" for an abstract socket. */
static int host_address(struct notify *n, const char *host, struct rt_err *err)
{
	size_t len = strlen(host);

	if (host[0] != '/' && host[0] != '@')
		return rt_fail(err, EINVAL, "NOTIFY_SOCKET=%s: not an absolute path or @name",
			       host);
	if (len >= sizeof(n->host.sun_path))
		return rt_fail(err, ENAMETOOLONG, "NOTIFY_SOCKET=%s: path too long", host);
	n->host.sun_family = AF_UNIX;
	memcpy(n->host.sun_path, host, len);
	if (host[0] == '@')
		n->host.sun_path[0] = '\0';
	n->host_len = offsetof(struct sockaddr_un, sun_path) + len + (host[0] == '/');
	return 0;
}

int notify_prepare(struct notify *n, struct spec *s, const struct rt_state *st, struct rt_err *err)
{
	const char *host = getenv("NOTIFY_SOCKET");
	int r;

	if (!host || !*host)
		return 0;
	if ((r = host_address(n, host, err)) < 0 || (r = notify_dir(n, st, err)) < 0 ||
	    (r = add_mount(n, s, err)) < 0)
		return r;
	return add_env(n, s, err);
}

/* Bound through /proc/self/fd/N: <root>/<id>/notify/… may exceed sun_path's 108 bytes.
 * Mode 0777: any container user may notify (connect needs write permission). */
static int bind_container(struct notify *n, int dfd, struct rt_err *err)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	rt_snprintf(a.sun_path, sizeof(a.sun_path), "/proc/self/fd/%d/notify.sock", dfd);
	n->fd = rt_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (n->fd < 0)
		return rt_sysfail(err, "notify socket");
	if (unlinkat(dfd, "notify.sock", 0) < 0 && errno != ENOENT)
		return rt_sysfail(err, "remove stale %s", STATE_NOTIFY_SOCK);
	if (bind(n->fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return rt_sysfail(err, "bind %s", STATE_NOTIFY_SOCK);
	if (rt_fchmodat(dfd, "notify.sock", 0777, 0) < 0)
		return rt_sysfail(err, "chmod %s", STATE_NOTIFY_SOCK);
	n->out = rt_socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (n->out < 0)
		return rt_sysfail(err, "notify socket");
	return 0;
}

int notify_open(struct notify *n, const struct rt_state *st, struct rt_err *err)
{
	const char *host = getenv("NOTIFY_SOCKET");
	struct rt_err ignored;
	int dfd, r;

	if (!host || !*host)
		return 0;
	dfd = openat(st->dirfd, STATE_NOTIFY, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && errno == ENOENT) {
		log_msg(LOG_WARN, "NOTIFY_SOCKET is set but \"%s\" was created without it", st->id);
		return 0;
	}
	if (dfd < 0)
		return rt_sysfail(err, "open %s/%s", st->dir, STATE_NOTIFY);
	n->pid = st->pid;
	n->pidfd = state_pidfd(st, &ignored);
	r = host_address(n, host, err);
	if (r == 0)
		r = bind_container(n, dfd, err);
	close(dfd);
	if (r < 0)
		notify_close(n);
	return r;
}

int notify_fd(const struct notify *n)
{
	return n->fd;
}

void notify_forward(struct notify *n)
{
	char in[NOTIFY_MSG_MAX], out[NOTIFY_MSG_MAX + 32];
	ssize_t len;
	size_t olen;

	while (n->fd >= 0) {
		len = recv(n->fd, in, sizeof(in), MSG_DONTWAIT | MSG_TRUNC);
		if (len < 0 && errno == EINTR)
			continue;
		if (len < 0)
			return;
		if ((size_t)len > sizeof(in)) {
			log_msg(LOG_WARN, "notify: dropped a message of %zd bytes", len);
			continue;
		}
		olen = notify_rewrite(in, len, n->pid, out, sizeof(out), &n->ready);
		if (olen && sendto(n->out, out, olen, MSG_NOSIGNAL, (struct sockaddr *)&n->host,
				   n->host_len) < 0)
			log_msg(LOG_WARN, "notify: forward to NOTIFY_SOCKET: %s", strerror(errno));
		else if (olen)
			n->named = true;
	}
}

/* sd_notify_barrier: systemd closes the pipe's write end once it has handled every earlier
 * message; EOF on the read end means MAINPID=runt was read while runt still lived. */
static void barrier(struct notify *n)
{
	struct pollfd p = { .events = POLLIN };
	int fds[2];

	if (rt_pipe2(fds, O_CLOEXEC) < 0) {
		log_msg(LOG_WARN, "notify: barrier: %s", strerror(errno));
		return;
	}
	p.fd = fds[0];
	if (fdpass_sendto(n->out, &n->host, n->host_len, fds[1], "BARRIER=1", 9) < 0)
		log_msg(LOG_WARN, "notify: send BARRIER=1: %s", strerror(errno));
	close(fds[1]);
	while (poll(&p, 1, NOTIFY_BARRIER_MS) < 0 && errno == EINTR)
		;
	if (!p.revents)
		log_msg(LOG_WARN, "notify: NOTIFY_SOCKET did not answer BARRIER=1 in %d ms",
			NOTIFY_BARRIER_MS);
	close(fds[0]);
}

/* systemd only learns the exit status of its own children: MAINPID pointing at the init
 * (runt's child) turns a failed container into a clean "Deactivated successfully". A
 * datagram is not enough: systemd may read it after runt exited ("New main PID does not
 * exist or is a zombie", seen in CI), so runt waits for a barrier before it goes on. */
void notify_handback(struct notify *n)
{
	char msg[32];
	int len;

	notify_forward(n);
	if (!n->named || n->out < 0)
		return;
	len = rt_snprintf(msg, sizeof(msg), "MAINPID=%d\n", (int)getpid());
	if (sendto(n->out, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&n->host, n->host_len) < 0)
		log_msg(LOG_WARN, "notify: hand MAINPID back: %s", strerror(errno));
	else
		barrier(n);
}

static long now_ms(void)
{
	struct timespec ts;

	rt_clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

static int timeout_secs(void)
{
	const char *v = getenv("RUNT_NOTIFY_TIMEOUT");
	char *end;
	long t = v ? rt_strtol(v, &end, 10) : 0;

	return v && *v && !*end && t > 0 && t < 86400 ? (int)t : NOTIFY_TIMEOUT_DEF;
}

int notify_wait_ready(struct notify *n, struct rt_err *err)
{
	int secs = timeout_secs();
	long deadline = now_ms() + secs * 1000L;

	if (n->fd < 0)
		return 0;
	notify_forward(n);
	while (!n->ready) {
		struct pollfd p[2] = { { n->fd, POLLIN, 0 }, { n->pidfd, POLLIN, 0 } };
		long left = deadline - now_ms();

		if (left <= 0)
			return rt_fail(
			    err, ETIMEDOUT,
			    "container did not send READY=1 to NOTIFY_SOCKET within %d s", secs);
		/* without a pidfd (before 5.3) look at the init every 100 ms */
		if (poll(p, 2, n->pidfd < 0 && left > 100 ? 100 : (int)left) < 0 && errno != EINTR)
			return rt_sysfail(err, "poll the notify socket");
		notify_forward(n);
		if (!n->ready &&
		    ((p[1].revents & POLLIN) || (n->pidfd < 0 && !state_proc_start_time(n->pid))))
			return rt_fail(err, ESRCH, "container exited before it sent READY=1");
	}
	return 0;
}

void notify_close(struct notify *n)
{
	if (n->fd >= 0)
		close(n->fd);
	if (n->out >= 0)
		close(n->out);
	if (n->pidfd >= 0)
		close(n->pidfd);
	n->fd = n->out = n->pidfd = -1;
}
