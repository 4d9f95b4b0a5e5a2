/* hooks.c - runs OCI lifecycle hooks: the state JSON goes in through a memfd on stdin (a pipe
 * could block or raise SIGPIPE when a hook ignores its input), a pidfd bounds the wait, and a
 * hook past its timeout dies with its whole process group. Safe in the container child. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "compat.h"
#include "hooks.h"
#include "json.h"
#include "log.h"
#include "mini.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 1U
#endif

int hook_prepare(struct hook_info *hi, const struct spec *s, const char *id, const char *bundle,
		 struct rt_err *err)
{
	static char buf[32768];
	struct jw w;

	hi->id = id;
	hi->bundle = bundle;
	hi->annotations = NULL;
	if (!s->nannotations)
		return 0;
	jw_init(&w, buf, sizeof(buf));
	jw_raw(&w, "{");
	for (int i = 0; i < s->nannotations; i++) {
		jw_raw(&w, i ? "," : "");
		jw_str(&w, s->annotations[i].key);
		jw_raw(&w, ":");
		jw_str(&w, s->annotations[i].value);
	}
	jw_raw(&w, "}");
	if (w.overflow)
		return rt_fail(err, E2BIG, "config.json: .annotations: more than %zu bytes",
			       sizeof(buf));
	hi->annotations = buf;
	return 0;
}

void hook_info_from_state(struct hook_info *hi, const struct rt_state *st)
{
	hi->id = st->id;
	hi->bundle = st->bundle;
	hi->annotations = st->annotations;
}

int hook_state_json(const struct hook_info *hi, const char *status, pid_t pid, char *buf,
		    size_t size)
{
	struct jw w;

	jw_init(&w, buf, size);
	jw_raw(&w, "{\"ociVersion\":\"" SPEC_OCI_VERSION "\",\"id\":");
	jw_str(&w, hi->id);
	jw_printf(&w, ",\"status\":\"%s\",\"pid\":%d,\"bundle\":", status, (int)pid);
	jw_str(&w, hi->bundle);
	jw_raw(&w, ",\"annotations\":");
	jw_raw(&w, hi->annotations ? hi->annotations : "{}");
	jw_raw(&w, "}");
	return w.overflow ? -E2BIG : (int)w.len;
}

/* A memfd holding the state, rewound: the hook reads it like a file and never blocks us. */
static int state_fd(const char *state, size_t len, struct rt_err *err)
{
	int fd = (int)syscall(SYS_memfd_create, "runt-hook-state", MFD_CLOEXEC);

	if (fd < 0)
		return rt_sysfail(err, "memfd_create");
	if (write(fd, state, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) < 0) {
		rt_sysfail(err, "write the state for the hook");
		close(fd);
		return -err->code;
	}
	return fd;
}

/* The hook's own process group, so a timeout also kills what its shell started; an exec
 * failure travels back as an errno over errfd (close-on-exec: EOF means it ran). */
static void __attribute__((noreturn)) hook_child(const struct spec_hook *h, int in, int errfd)
{
	static const char *const none[] = { NULL };
	const char *argv_path[] = { h->path, NULL };
	const char *const *argv = h->args && h->args[0] ? h->args : argv_path;
	sigset_t all;
	int e;

	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	setpgid(0, 0);
	if (dup2(in, 0) < 0 || dup2(2, 1) < 0)
		goto fail;
	rt_cloexec_from(3);
	execve(h->path, (char *const *)argv, (char *const *)(h->env ? h->env : none));
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static long now_ms(void)
{
	struct timespec ts;

	rt_clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* Reap pid within timeout seconds (0: no limit): 0, -ETIMEDOUT after killing it, or -errno
 * of waitpid. A pidfd makes the wait exact; without one (old kernels) poll every 10 ms. */
static int wait_hook(pid_t pid, int timeout, int *status)
{
	long deadline = timeout ? now_ms() + timeout * 1000L : 0;
	int pfd = rt_pidfd_open(pid, 0), r = 0;
	pid_t got;

	while ((got = waitpid(pid, status, WNOHANG)) == 0 || (got < 0 && errno == EINTR)) {
		long left = deadline ? deadline - now_ms() : -1;
		struct pollfd p = { pfd, POLLIN, 0 };

		if (deadline && left <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			r = -ETIMEDOUT;
			break;
		}
		if (pfd < 0)
			left = left < 0 || left > 10 ? 10 : left;
		poll(pfd >= 0 ? &p : NULL, pfd >= 0, (int)left);
	}
	if (got < 0 && r == 0)
		r = -errno;
	if (pfd >= 0)
		close(pfd);
	return r;
}

static int hook_status(const struct spec_hook *h, enum hook_kind kind, int idx, int status,
		       struct rt_err *err)
{
	const char *name = spec_hook_name(kind);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFSIGNALED(status))
		return rt_fail(err, ECANCELED, "hook %s[%d] %s was killed by signal %d", name, idx,
			       h->path, WTERMSIG(status));
	return rt_fail(err, ECANCELED, "hook %s[%d] %s exited with status %d", name, idx, h->path,
		       WEXITSTATUS(status));
}

/* After fork: learn whether execve worked, then wait for the hook within its timeout. */
static int hook_wait(const struct spec_hook *h, enum hook_kind kind, int idx, pid_t pid, int errfd,
		     struct rt_err *err)
{
	int e = 0, status = 0;
	ssize_t n;

	do
		n = read(errfd, &e, sizeof(e));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(e)) {
		waitpid(pid, NULL, 0);
		return rt_errnofail(err, e, "hook %s[%d]: exec %s", spec_hook_name(kind), idx,
				    h->path);
	}
	n = wait_hook(pid, h->timeout, &status);
	if (n == -ETIMEDOUT)
		return rt_fail(err, ETIMEDOUT, "hook %s[%d] %s timed out after %d s",
			       spec_hook_name(kind), idx, h->path, h->timeout);
	if (n < 0)
		return rt_errnofail(err, (int)-n, "wait for hook %s[%d] %s", spec_hook_name(kind),
				    idx, h->path);
	return hook_status(h, kind, idx, status, err);
}

int hook_run(const struct spec_hook *h, enum hook_kind kind, int idx, const char *state, size_t len,
	     struct rt_err *err)
{
	int in = state_fd(state, len, err), ep[2], r;
	pid_t pid;

	if (in < 0)
		return in;
	if (rt_pipe2(ep, O_CLOEXEC) < 0) {
		r = rt_sysfail(err, "pipe");
		goto out_close_in;
	}
	pid = rt_fork();
	if (pid == 0)
		hook_child(h, in, ep[1]);
	close(ep[1]);
	if (pid < 0)
		r = rt_sysfail(err, "fork hook %s[%d]", spec_hook_name(kind), idx);
	else
		r = hook_wait(h, kind, idx, pid, ep[0], err);
	close(ep[0]);
out_close_in:
	close(in);
	return r;
}

int hook_run_all(const struct spec *s, enum hook_kind kind, const struct hook_info *hi,
		 const char *status, pid_t pid, struct rt_err *err)
{
	char state[HOOK_STATE_MAX];
	int len, r;

	if (!s->nhooks[kind])
		return 0;
	len = hook_state_json(hi, status, pid, state, sizeof(state));
	if (len < 0)
		return rt_fail(err, E2BIG, "hook %s: state JSON larger than %zu bytes",
			       spec_hook_name(kind), sizeof(state));
	for (int i = 0; i < s->nhooks[kind]; i++)
		if ((r = hook_run(&s->hooks[kind][i], kind, i, state, len, err)) < 0)
			return r;
	return 0;
}

void hook_run_warn(const struct spec *s, enum hook_kind kind, const struct hook_info *hi,
		   const char *status, pid_t pid)
{
	char state[HOOK_STATE_MAX];
	struct rt_err err;
	int len;

	/* err sits below the 40 KB of state: clearing it first would fault in two stack pages
	 * even when there is no hook to run (run's poststart, issue 8) */
	if (!s->nhooks[kind])
		return;
	memset(&err, 0, sizeof(err));
	len = hook_state_json(hi, status, pid, state, sizeof(state));
	if (len < 0) {
		log_msg(LOG_WARN, "hook %s: state JSON too large", spec_hook_name(kind));
		return;
	}
	for (int i = 0; i < s->nhooks[kind]; i++)
		if (hook_run(&s->hooks[kind][i], kind, i, state, len, &err) < 0)
			log_msg(LOG_WARN, "%s", err.msg);
}

bool hook_any(const struct spec *s, enum hook_kind from, enum hook_kind to)
{
	for (int k = from; k <= (int)to; k++)
		if (s->nhooks[k])
			return true;
	return false;
}

bool hook_load_saved(struct spec *s, const struct rt_state *st)
{
	struct rt_err err = { 0 };

	if (rt_faccessat(st->dirfd, STATE_CONFIG, F_OK, 0) < 0)
		return false;
	if (spec_load(s, st->dir, &err) < 0) {
		log_msg(LOG_WARN, "hooks of \"%s\" not run: %s", st->id, err.msg);
		return false;
	}
	return true;
}
