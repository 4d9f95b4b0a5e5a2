/* exec.c - the container's init: clone3 into new namespaces and the cgroup, then in the
 * child every setup step up to execve, reporting failures to runt over the sync socket.
 * The child is a copy of runt (a sealed one: exec_seal_self) that becomes the user's program. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "compat.h"
#include "exec.h"
#include "fdpass.h"
#include "fmt.h"
#include "lsm.h"
#include "mini.h"
#include "mount.h"
#include "path.h"
#include "procfs.h"
#include "tty.h"

enum sync_type {
	SYNC_GO = 1,
	SYNC_READY,
	SYNC_ERROR,
	SYNC_GRANDCHILD,
	SYNC_USERMAP,
	SYNC_HOOKS,
	SYNC_SECCOMP,
	SYNC_SOURCES,
};

struct sync_msg {
	int type;
	int code;
	pid_t pid;
	char msg[RT_ERR_MAX];
};

void exec_init(struct container *c)
{
	c->fifo_fd = c->sync_fd = c->pidfd = c->console_fd = -1;
	c->st.dirfd = -1;
	c->cg.dirfd = -1;
	for (int t = 0; t < NS_COUNT; t++)
		c->ns.fds[t] = -1;
	notify_init(&c->notify);
}

static int sync_send(int fd, int type, pid_t pid, const struct rt_err *err)
{
	struct sync_msg m = { .type = type, .pid = pid };

	if (err) {
		m.code = err->code;
		memcpy(m.msg, err->msg, sizeof(m.msg));
	}
	return send(fd, &m, sizeof(m), MSG_NOSIGNAL) == sizeof(m) ? 0 : -1;
}

/* Only called in the child: report once and leave without running atexit handlers. */
static void __attribute__((noreturn)) child_fail(int fd, const struct rt_err *err)
{
	sync_send(fd, SYNC_ERROR, 0, err);
	_exit(1);
}

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)

/* CVE-2019-5736 (issue 17): whoever holds CAP_SYS_PTRACE in a container may open the exe of
 * a runt inside it, dumpable or not, and write it once runt is gone. So create, run and exec
 * run from a sealed memfd copy of runt that nothing can write: one copy and one execve,
 * ~0.1 ms (bench/findings.md); an overlayfs mount would cost more. */
int exec_seal_self(char **argv, struct rt_err *err)
{
	int fd = rt_open("/proc/self/exe", O_RDONLY | O_CLOEXEC), seals, mfd;
	ssize_t n = -1;

	if (fd < 0)
		return rt_sysfail(err, "open /proc/self/exe");
	seals = rt_fcntl(fd, F_GET_SEALS);
	if (seals > 0 && (seals & F_SEAL_WRITE)) {
		close(fd);
		/* execveat named us after the fd's number */
		prctl(PR_SET_NAME, "runt", 0, 0, 0);
		return 0;
	}
	mfd = memfd_create("runt", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (mfd < 0 && errno == EINVAL) /* before Linux 6.3 */
		mfd = memfd_create("runt", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	while (mfd >= 0 && (n = sendfile(mfd, fd, NULL, 1 << 20)) > 0)
		;
	close(fd);
	if (n == 0 && rt_fcntl(mfd, F_ADD_SEALS, SEALS) == 0)
		syscall(SYS_execveat, mfd, "", argv, environ, AT_EMPTY_PATH);
	return rt_sysfail(err, "run from a sealed copy of runt");
}

int exec_lookup(const char *arg0, const char *const *env, char *out, size_t size,
		struct rt_err *err)
{
	const char *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	struct stat st;

	if (strchr(arg0, '/')) {
		if (rt_stat(arg0, &st) < 0)
			return rt_sysfail(err, "exec \"%s\"", arg0);
		rt_strlcpy(out, arg0, size);
		return 0;
	}
	for (; env && *env; env++)
		if (!strncmp(*env, "PATH=", 5))
			path = *env + 5;
	for (const char *p = path, *e; *p; p = *e ? e + 1 : e) {
		e = strchrnul(p, ':');
		rt_snprintf(out, size, "%.*s/%s", (int)(e - p), p, arg0);
		if (rt_stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return 0;
	}
	return rt_fail(err, ENOENT, "exec \"%s\": executable file not found in $PATH", arg0);
}

static int sync_recv_cred(int fd, struct sync_msg *m, pid_t *pid, int *rfd);

/* Wait for runt's GO: we are in the cgroup, our id maps are written, the hooks ran (the GO
 * then carries our host pid). The bind sources runt opened for us (send_sources) come
 * first, each with its .mounts index: kept with the trees, closed once mounted. */
static int wait_go(struct container *c, int sync, struct rt_err *err)
{
	static struct sync_msg m;
	struct mnt_trees *t = &c->trees;
	pid_t from;
	int type;

	while ((type = sync_recv_cred(sync, &m, &from, &t->fd[t->n])) == SYNC_SOURCES)
		t->index[t->n++] = m.code;
	if (type != SYNC_GO)
		return rt_fail(err, EPIPE, "runt went away during setup");
	if (m.pid)
		c->pid = m.pid;
	return 0;
}

/* Ask runt for something (a failed send shows as its EOF) and wait for its GO. */
static int ask_runt(struct container *c, int sync, int type, struct rt_err *err)
{
	sync_send(sync, type, 0, NULL);
	return wait_go(c, sync, err);
}

/* CVE-2019-5736: not dumpable keeps /proc/<pid>/exe and ptrace out of reach of a container
 * without CAP_SYS_PTRACE; with it, the exe is the sealed copy (exec_seal_self). */
static int undump(bool dumpable, struct rt_err *err)
{
	if (prctl(PR_SET_DUMPABLE, dumpable, 0, 0, 0) < 0)
		return rt_sysfail(err, "prctl(PR_SET_DUMPABLE)");
	return 0;
}

/* An unprivileged runt may write our id maps only while /proc/<pid> is its user's, which
 * it is not once we are not dumpable: with a new user namespace we stay dumpable until the
 * maps are written (as runc's init), before anything of the container runs. Our euid
 * cannot tell whether runt is root: once runt wrote uid_map it reads 0 here. */
static int child_early(bool dumpable, struct rt_err *err)
{
	if (undump(dumpable, err) < 0)
		return -err->code;
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		return rt_sysfail(err, "prctl(PR_SET_PDEATHSIG)");
	umask(0);
	return 0;
}

/* A user namespace made by unshare (after joining paths) gets its maps from runt now. */
static int late_maps(struct container *c, int sync, struct rt_err *err)
{
	if (!c->ns.late || !c->ns.maps)
		return 0;
	return ask_runt(c, sync, SYNC_USERMAP, err);
}

/* In a user namespace we made or joined, our host uid is unmapped until we switch to the
 * namespace's root (files we create would fail with EOVERFLOW). */
static int become_root(const struct container *c, struct rt_err *err)
{
	if (!c->ns.maps && !c->ns.user_joined)
		return 0;
	if (rt_setresgid(0, 0, 0) < 0 || rt_setresuid(0, 0, 0) < 0)
		return rt_sysfail(err, "become root in the user namespace");
	return 0;
}

/* A pid namespace made by unshare() or joined takes effect for children only: fork the real
 * process, as runt's own child (CLONE_PARENT: an orphan in a joined namespace would go to
 * its init, and runt could not wait for it). It reports itself so the kernel translates its
 * pid for runt (SCM_CREDENTIALS). */
static int fork_grandchild(int sync, struct rt_err *err)
{
	pid_t pid = rt_clone_flags(CLONE_PARENT);

	if (pid < 0)
		return rt_sysfail(err, "fork the container init");
	/* No PR_SET_PDEATHSIG here: our parent exits at once, and racing that exit would
	 * SIGKILL us; if runt dies, the sync socket's EOF ends us instead. */
	if (pid > 0)
		_exit(0);
	if (sync_send(sync, SYNC_GRANDCHILD, 0, NULL) < 0)
		return rt_sysfail(err, "report the init pid");
	return 0;
}

/* A pid namespace joined by path has other tenants, and one holding CAP_SYS_PTRACE could
 * open /proc/<init>/root, cwd and fds: the init must not show itself there before "/" is
 * the rootfs and it holds no host /proc (83-exe-attack.sh). Its procfs waits for it. */
static bool late_init(const struct container *c)
{
	return c->spec.linux.ns[NS_PID].path != NULL;
}

static int maybe_grandchild(struct container *c, int sync, bool late, struct rt_err *err)
{
	return c->ns.grandchild && !late ? fork_grandchild(sync, err) : 0;
}

static int late_grandchild(struct container *c, struct mnt_ctx *m, int sync, struct rt_err *err)
{
	int r;

	/* the mounts are made: no bind source or idmapped tree stays open (issue 17) */
	mnt_trees_close(&c->trees);
	if (!late_init(c))
		return 0;
	procfs_close();
	if ((r = fork_grandchild(sync, err)) < 0)
		return r;
	return mnt_late_proc(m, err);
}

static int set_names(const struct container *c, struct rt_err *err)
{
	const struct spec *s = &c->spec;

	if (s->hostname && sethostname(s->hostname, strlen(s->hostname)) < 0)
		return rt_sysfail(err, "set hostname \"%s\"", s->hostname);
	if (s->domainname && setdomainname(s->domainname, strlen(s->domainname)) < 0)
		return rt_sysfail(err, "set domainname \"%s\"", s->domainname);
	return 0;
}

#define KEYCTL_JOIN_SESSION_KEYRING 1

/* A session keyring of its own, so the container cannot read the host's keys. */
static int new_keyring(const struct container *c, struct rt_err *err)
{
	char name[64];

	if (c->no_new_keyring)
		return 0;
	rt_snprintf(name, sizeof(name), "_ses.%.50s", c->id);
	if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name, 0, 0, 0) < 0 && errno != ENOSYS)
		return rt_sysfail(err, "join session keyring");
	return 0;
}

/* Through runt's verified procfs (procfs.c), never the container's /proc: a config mount
 * on /proc/sys/net/core must not send a net.core.* write into another file. Sysctls of the
 * net, ipc and user namespaces act on the writer's own, whichever procfs they go through. */
static int apply_sysctl(const struct spec *s, struct rt_err *err)
{
	char path[512];
	int r;

	for (int i = 0; i < s->linux.nsysctl; i++) {
		const struct spec_kv *kv = &s->linux.sysctl[i];
		int n = rt_snprintf(path, sizeof(path), "sys/%s", kv->key);

		for (char *p = path + 4; p < path + n; p++)
			if (*p == '.')
				*p = '/';
		if ((r = procfs_write(path, kv->value, strlen(kv->value), err)) < 0)
			return rt_wrap(err, "sysctl %s", kv->key);
	}
	return 0;
}

/* Between the mounts and pivot_root: runt runs prestart and createRuntime in its own
 * namespaces and answers with our host pid (unknown in here), then createContainer runs
 * here, where paths still resolve as on the host. */
static int child_create_hooks(struct container *c, int sync, struct rt_err *err)
{
	int r;

	if (!hook_any(&c->spec, HOOK_PRESTART, HOOK_START_CONTAINER))
		return 0;
	if ((r = ask_runt(c, sync, SYNC_HOOKS, err)) < 0)
		return r;
	return hook_run_all(&c->spec, HOOK_CREATE_CONTAINER, &c->hooks, "creating", c->pid, err);
}

/* In a user namespace: the bind sources runt opens for us (mnt_source_open). */
static int get_sources(struct container *c, int sync, struct rt_err *err)
{
	return c->spec.linux.ns[NS_USER].enabled ? ask_runt(c, sync, SYNC_SOURCES, err) : 0;
}

static int setup_rootfs(struct container *c, int sync, struct rt_err *err)
{
	struct mnt_ctx m = {
		.s = &c->spec,
		.bundle = c->bundle,
		.cgroup = c->cg.path,
		/* mknod is refused in any user namespace: a new one, or the one runt runs in */
		.userns = c->spec.linux.ns[NS_USER].enabled || c->cg.rootless,
		.cgroupns = c->spec.linux.ns[NS_CGROUP].enabled,
		.rootfd = -1,
		.trees = &c->trees,
		.late_proc = late_init(c),
	};
	int r;

	/* a missing cwd is made (as runc and crun do) once "/" is the rootfs: no way out */
	if ((r = get_sources(c, sync, err)) < 0 || (r = mnt_prepare(&m, err)) < 0 ||
	    (r = child_create_hooks(c, sync, err)) < 0 ||
	    (r = mnt_pivot(&m, c->no_pivot, err)) < 0 ||
	    (r = late_grandchild(c, &m, sync, err)) < 0 || (r = apply_sysctl(&c->spec, err)) < 0 ||
	    (r = path_make_in_root(AT_FDCWD, c->proc->cwd, false, err)) < 0)
		return r;
	close(r);
	return mnt_finalize(&m, err);
}

static int apply_rlimits(const struct spec_process *p, struct rt_err *err)
{
	for (int i = 0; i < p->nrlimits; i++) {
		struct rlimit rl = { p->rlimits[i].soft, p->rlimits[i].hard };

		if (rt_setrlimit(p->rlimits[i].resource, &rl) < 0)
			return rt_sysfail(err, "set rlimit %d", p->rlimits[i].resource);
	}
	return 0;
}

#define IOPRIO_WHO_PROCESS 1
#define IOPRIO_CLASS_SHIFT 13

struct sched_attr {
	uint32_t size, sched_policy;
	uint64_t sched_flags;
	int32_t sched_nice;
	uint32_t sched_priority;
	uint64_t sched_runtime, sched_deadline, sched_period;
};

static int apply_sched(const struct spec_process *p, struct rt_err *err)
{
	struct sched_attr a = {
		.size = sizeof(a),
		.sched_policy = p->sched.policy,
		.sched_flags = p->sched.flags,
		.sched_nice = p->sched.nice,
		.sched_priority = p->sched.priority,
		.sched_runtime = p->sched.runtime,
		.sched_deadline = p->sched.deadline,
		.sched_period = p->sched.period,
	};

	if (p->sched.set && syscall(SYS_sched_setattr, 0, &a, 0) < 0)
		return rt_sysfail(err, "set scheduler");
	if (p->has_io_priority && syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, 0,
					  p->io_class << IOPRIO_CLASS_SHIFT | p->io_priority) < 0)
		return rt_sysfail(err, "set I/O priority");
	return 0;
}

/* "0-3,7" -> a cpu mask; the syntax was validated with the spec. */
static int apply_affinity(const char *list, struct rt_err *err)
{
	cpu_set_t set;

	if (!list)
		return 0;
	CPU_ZERO(&set);
	for (const char *p = list; *p;) {
		char *end;
		long a = rt_strtol(p, &end, 10), b = a;

		if (*end == '-')
			b = rt_strtol(end + 1, &end, 10);
		for (long cpu = a; cpu <= b && cpu < CPU_SETSIZE; cpu++)
			CPU_SET(cpu, &set);
		p = *end == ',' ? end + 1 : end + strlen(end);
	}
	if (sched_setaffinity(0, sizeof(set), &set) < 0)
		return rt_sysfail(err, "set CPU affinity \"%s\"", list);
	return 0;
}

static int apply_process_attrs(const struct spec_process *p, struct rt_err *err)
{
	char num[16];
	int r;

	if ((r = apply_affinity(p->cpu_affinity_initial, err)) < 0 ||
	    (r = apply_rlimits(p, err)) < 0)
		return r;
	if (p->has_oom_score_adj) {
		rt_snprintf(num, sizeof(num), "%d", p->oom_score_adj);
		if ((r = procfs_write("self/oom_score_adj", num, strlen(num), err)) < 0)
			return r;
	}
	return apply_sched(p, err);
}

static int set_personality(const struct spec *s, struct rt_err *err)
{
	if (s->linux.has_personality && personality(s->linux.personality) < 0)
		return rt_sysfail(err, "set personality");
	return 0;
}

/* After the pivot, so the pty comes from the container's own devpts. */
static int setup_terminal(struct container *c, struct rt_err *err)
{
	int r;

	if (!c->proc->terminal)
		return 0;
	r = tty_setup(c->console_fd, c->proc, err);
	c->console_fd = -1;
	return r;
}

/* setgroups may be denied in a user namespace; an empty list then is no change at all. */
static int set_user(const struct spec_process *p, struct rt_err *err)
{
	const struct spec_user *u = &p->user;
	int r;

	if ((r = caps_keep(err)) < 0 || (r = caps_drop_bounding(p, err)) < 0)
		return r;
	if (rt_setgroups(u->ngids, (const gid_t *)u->additional_gids) < 0 &&
	    !(errno == EPERM && u->ngids == 0))
		return rt_sysfail(err, "setgroups");
	if (rt_setresgid(u->gid, u->gid, u->gid) < 0)
		return rt_sysfail(err, "setgid %u", u->gid);
	if (rt_setresuid(u->uid, u->uid, u->uid) < 0)
		return rt_sysfail(err, "setuid %u", u->uid);
	return caps_apply(p, err);
}

/* seccomp (issue 6): with SCMP_ACT_NOTIFY the listener fd goes to runt over the sync
 * socket (SCM_RIGHTS); runt hands it to listenerPath, since the child cannot reach host
 * paths after pivot_root. The profile may not NOTIFY sendmsg (checked at compile time). */
static int send_listener(int sync, int fd, struct rt_err *err)
{
	struct sync_msg m = { .type = SYNC_SECCOMP };

	if (fdpass_send(sync, fd, &m, sizeof(m)) < 0)
		return rt_sysfail(err, "send the seccomp listener to runt");
	close(fd);
	return 0;
}

static int load_seccomp(const struct sc_filter *f, int sync, struct rt_err *err)
{
	int listener, r;

	if ((r = sc_load(f, &listener, err)) < 0 || listener < 0)
		return r;
	return send_listener(sync, listener, err);
}

/* When the filter goes in: last before execve when no_new_privs allows an unprivileged
 * load; before the capabilities are dropped otherwise (it needs CAP_SYS_ADMIN, as in
 * runc); before READY with NOTIFY, so the listener reaches runt while it still listens. */
enum sc_when { SC_EARLY, SC_BEFORE_READY, SC_LAST };

static enum sc_when seccomp_when(const struct container *c)
{
	if (!c->proc->no_new_privileges)
		return SC_EARLY;
	return c->seccomp.notify ? SC_BEFORE_READY : SC_LAST;
}

/* runc's rule for a process without HOME: its uid's entry in the image's /etc/passwd, else
 * "/". The file is hostile: opened inside the root (cwd is "/" here) without magic links,
 * only a regular file, one bounded read. */
static void find_home(struct container *c)
{
	static char buf[32768];
	char *f[7], *end;
	struct stat st;
	ssize_t n = -1;
	int fd;

	if (!c->home[0] ||
	    (fd = path_open_in_root(AT_FDCWD, "/etc/passwd", O_RDONLY | O_NONBLOCK)) < 0)
		return;
	if (rt_fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	for (char *l = buf, *next; *l; l = next) {
		int k = 0;

		next = strchrnul(l, '\n');
		if (*next)
			*next++ = '\0';
		for (f[0] = l; k < 6 && (f[k + 1] = strchr(f[k], ':')); k++)
			*f[k + 1]++ = '\0';
		if (k >= 5 && f[2][0] && f[5][0] &&
		    rt_strtoul(f[2], &end, 10) == c->proc->user.uid && !*end) {
			rt_snprintf(c->home, sizeof(c->home), "HOME=%s", f[5]);
			return;
		}
	}
}

static int finish_process(struct container *c, int sync, char *exe, size_t size, struct rt_err *err)
{
	const struct spec_process *p = c->proc;
	int r;

	find_home(c);
	/* before seccomp, which may deny the open and write (runc's order too) */
	if ((r = lsm_apply(p->apparmor_profile, p->selinux_label, err)) < 0)
		return r;
	if (seccomp_when(c) == SC_EARLY && (r = load_seccomp(&c->seccomp, sync, err)) < 0)
		return r;
	if ((r = set_user(p, err)) < 0)
		return r;
	if (chdir(p->cwd ? p->cwd : "/") < 0)
		return rt_sysfail(err, "chdir to cwd \"%s\"", p->cwd ? p->cwd : "/");
	if ((r = exec_lookup(p->args[0], p->env, exe, size, err)) < 0)
		return r;
	if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return rt_sysfail(err, "prctl(PR_SET_NO_NEW_PRIVS)");
	umask(p->user.umask >= 0 ? (mode_t)p->user.umask : 022);
	if (seccomp_when(c) == SC_BEFORE_READY)
		return load_seccomp(&c->seccomp, sync, err);
	return 0;
}

/* The init's whole setup, in order; any failure goes back to runt over the socket. */
static int child_setup(struct container *c, int sync, char *exe, size_t size, struct rt_err *err)
{
	const struct spec *s = &c->spec;
	int r;

	if ((r = child_early(c->ns.maps, err)) < 0 || (r = wait_go(c, sync, err)) < 0 ||
	    (r = ns_join(&c->ns, s, err)) < 0 || (r = late_maps(c, sync, err)) < 0 ||
	    (r = undump(false, err)) < 0 || (r = become_root(c, err)) < 0 ||
	    (r = maybe_grandchild(c, sync, late_init(c), err)) < 0 || (r = set_names(c, err)) < 0 ||
	    (r = new_keyring(c, err)) < 0 || (r = setup_rootfs(c, sync, err)) < 0 ||
	    (r = set_personality(s, err)) < 0 || (r = apply_process_attrs(c->proc, err)) < 0 ||
	    (r = setup_terminal(c, err)) < 0)
		return r;
	return finish_process(c, sync, exe, size, err);
}

/* A container without a mount namespace shares ours: its init only chrooted, and so do
 * we, into the init's root (through runt's verified procfs; the bundle's config.json may
 * have changed since, the init's root has not). In its user namespace, where a rootless
 * runt's child has CAP_SYS_CHROOT too. */
static int enter_root(const struct container *c, struct rt_err *err)
{
	char rel[24];

	if (c->spec.linux.ns[NS_MNT].enabled)
		return 0;
	rt_snprintf(rel, sizeof(rel), "%d/root", (int)c->st.pid);
	if (rt_fchdir(procfs_root(err)) < 0 || chroot(rel) < 0)
		return rt_sysfail(err, "chroot /proc/%s", rel);
	return 0;
}

/* exec: the same process setup inside an existing container (no mounts, no names). */
static int join_setup(struct container *c, int sync, char *exe, size_t size, struct rt_err *err)
{
	int r;

	if ((r = child_early(false, err)) < 0 || (r = wait_go(c, sync, err)) < 0 ||
	    (r = ns_join(&c->ns, &c->spec, err)) < 0 || (r = become_root(c, err)) < 0 ||
	    (r = enter_root(c, err)) < 0 || (r = apply_process_attrs(c->proc, err)) < 0)
		return r;
	/* the process forked into a joined pid namespace holds no host /proc (issue 17) */
	procfs_close();
	if ((r = maybe_grandchild(c, sync, false, err)) < 0 || (r = setup_terminal(c, err)) < 0)
		return r;
	return finish_process(c, sync, exe, size, err);
}

/* Tell runt we are ready, then block on the exec fifo until `runt start` writes to it. */
static void wait_start(struct container *c, int sync)
{
	ssize_t n;
	char b;

	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	if (sync_send(sync, SYNC_READY, 0, NULL) < 0)
		_exit(1);
	close(sync);
	do
		n = read(c->fifo_fd, &b, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(1);
	close(c->fifo_fd);
}

/* The state dir's fd carries create's flock: holding it would lock out `runt start`. */
static void close_parent_fds(struct container *c)
{
	if (c->st.dirfd >= 0)
		close(c->st.dirfd);
	if (c->cg.dirfd >= 0)
		close(c->cg.dirfd);
	c->st.dirfd = c->cg.dirfd = -1;
}

/* fds 3.. that the caller asked to pass (--preserve-fds, LISTEN_FDS) lose CLOEXEC;
 * CVE-2024-21626: every other fd of runt's is closed by execve. */
static void pass_fds(const struct container *c)
{
	for (int fd = 3; fd < 3 + c->nfds; fd++)
		rt_fcntl(fd, F_SETFD, 0);
	rt_cloexec_from(3 + c->nfds);
}

static void __attribute__((noreturn)) exec_process(struct container *c, const char *exe, int sync)
{
	struct rt_err err = { 0 };

	if (apply_affinity(c->proc->cpu_affinity_final, &err) < 0) {
		if (sync >= 0)
			child_fail(sync, &err);
		rt_dprintf(2, "runt: %s\n", err.msg);
		_exit(127);
	}
	if (c->listen_pid[0])
		rt_snprintf(c->listen_pid, sizeof(c->listen_pid), "LISTEN_PID=%d", (int)getpid());
	sigprocmask(SIG_SETMASK, &c->sigmask, NULL);
	pass_fds(c);
	/* the very last step, so the profile never sees runt's own syscalls */
	if (seccomp_when(c) == SC_LAST && sc_load(&c->seccomp, &(int){ 0 }, &err) < 0) {
		if (sync >= 0)
			child_fail(sync, &err);
		rt_dprintf(2, "runt: %s\n", err.msg);
		_exit(127);
	}
	execve(exe, (char *const *)c->proc->args, (char *const *)c->env);
	if (sync >= 0) {
		rt_sysfail(&err, "exec \"%s\"", exe);
		child_fail(sync, &err);
	}
	rt_dprintf(2, "runt: exec %s: %s\n", exe, strerror(errno));
	_exit(127);
}

/* startContainer: in the container, released by `start`, before the user's program. The
 * container has no other way to report: the init fails with the message on its stderr. */
static void start_hooks(struct container *c)
{
	struct rt_err err = { 0 };

	if (hook_run_all(&c->spec, HOOK_START_CONTAINER, &c->hooks, "created", c->pid, &err) < 0) {
		rt_dprintf(2, "runt: %s\n", err.msg);
		_exit(1);
	}
}

static void __attribute__((noreturn)) child_main(struct container *c, int sync)
{
	struct rt_err err = { 0 };
	char exe[4096];

	close_parent_fds(c);
	if (child_setup(c, sync, exe, sizeof(exe), &err) < 0)
		child_fail(sync, &err);
	/* an exec into the created container sees us: no host /proc then (issue 17) */
	procfs_close();
	wait_start(c, sync);
	start_hooks(c);
	exec_process(c, exe, -1);
}

/* The sync socket is close-on-exec: a successful execve shows up as EOF in runt. */
static void __attribute__((noreturn)) join_main(struct container *c, int sync)
{
	struct rt_err err = { 0 };
	char exe[4096];

	close_parent_fds(c);
	if (join_setup(c, sync, exe, sizeof(exe), &err) < 0)
		child_fail(sync, &err);
	prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0);
	exec_process(c, exe, sync);
}

/* clone3 gives a pidfd for free and, with CLONE_INTO_CGROUP, places the child in its
 * cgroup atomically, before it can run anything; plain clone is the fallback. */
static pid_t do_clone(struct container *c, bool *in_cgroup)
{
	struct rt_clone_args args = {
		.flags = c->ns.clone_flags | CLONE_PIDFD,
		.pidfd = (uint64_t)(uintptr_t)&c->pidfd,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	if (c->cg.dirfd >= 0) {
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)c->cg.dirfd;
	}
	pid = rt_clone3(&args);
	*in_cgroup = pid >= 0 && c->cg.dirfd >= 0;
	if (pid >= 0 || (errno != ENOSYS && errno != EINVAL && errno != E2BIG &&
			 errno != EOPNOTSUPP && errno != EBUSY))
		return pid;
	c->pidfd = -1;
	pid = rt_clone_flags(c->ns.clone_flags);
	if (pid > 0)
		c->pidfd = rt_pidfd_open(pid, 0);
	return pid;
}

static pid_t cred_pid(struct msghdr *mh, int *fd)
{
	pid_t pid = 0;

	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_CREDENTIALS)
			pid = ((struct ucred *)CMSG_DATA(cm))->pid;
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
			memcpy(fd, CMSG_DATA(cm), sizeof(int)); /* seccomp listener */
	}
	return pid;
}

/* Like sync_recv, also returning the sender's pid as seen in runt's pid namespace. */
static int sync_recv_cred(int fd, struct sync_msg *m, pid_t *pid, int *rfd)
{
	char cbuf[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(sizeof(int))];
	struct iovec iov = { m, sizeof(*m) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t n;

	*rfd = -1;
	do
		n = rt_recvmsg(fd, &mh, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return (int)n;
	*pid = cred_pid(&mh, rfd);
	return n == sizeof(*m) ? m->type : -1;
}

static int child_died(struct container *c, struct rt_err *err)
{
	int status = 0;

	if (waitpid(c->direct_child, &status, 0) == c->direct_child && WIFSIGNALED(status))
		return rt_fail(err, ECHILD, "container init was killed by signal %d during setup",
			       WTERMSIG(status));
	return rt_fail(err, ECHILD, "container init exited during setup");
}

/* prestart (deprecated) and createRuntime: in runt's namespaces, the init's namespaces made
 * and its mounts prepared; the answer carries the init's host pid for the later hooks. */
static int parent_hooks(struct container *c, struct rt_err *err)
{
	int r = hook_run_all(&c->spec, HOOK_PRESTART, &c->hooks, "creating", c->pid, err);

	if (r == 0)
		r = hook_run_all(&c->spec, HOOK_CREATE_RUNTIME, &c->hooks, "creating", c->pid, err);
	if (r < 0)
		return r;
	if (sync_send(c->sync_fd, SYNC_GO, c->pid, NULL) < 0)
		return child_died(c, err);
	return 0;
}

/* The init asks (get_sources); runt answers with what mnt_source_open opens. Where the
 * init's root cannot be opened, nothing is sent and the init opens every source itself. */
static int send_sources(struct container *c, struct rt_err *err)
{
	struct sync_msg m = { .type = SYNC_SOURCES };
	char rel[24];
	int root, fd, r = 0, n = c->trees.n;

	rt_snprintf(rel, sizeof(rel), "%d/root", (int)c->pid);
	root = openat(procfs_root(err), rel, O_PATH | O_DIRECTORY | O_CLOEXEC);
	/* the init has room for MNT_MAX_TREES fds in all: it opens any source beyond that */
	for (; root >= 0 && r == 0 && n < MNT_MAX_TREES && m.code < c->spec.nmounts; m.code++) {
		if ((fd = mnt_source_open(root, &c->spec, m.code)) < 0)
			continue;
		r = fdpass_send(c->sync_fd, fd, &m, sizeof(m));
		close(fd);
		n++;
	}
	if (root >= 0)
		close(root);
	if (r < 0 || sync_send(c->sync_fd, SYNC_GO, 0, NULL) < 0)
		return child_died(c, err);
	return 0;
}

/* Until READY (an init) or EOF (an exec'd process: the socket closed on execve). */
static int drive_child(struct container *c, bool joining, struct rt_err *err)
{
	struct sync_msg m;
	pid_t from = 0;
	int r, fd;

	for (;;) {
		switch (sync_recv_cred(c->sync_fd, &m, &from, &fd)) {
		case SYNC_SECCOMP:
			r = fd < 0 ? rt_fail(err, EPROTO, "seccomp: no listener fd from the init")
				   : sc_send_listener(&c->seccomp, fd, &c->spec, c->id, c->bundle,
						      c->pid, err);
			if (fd >= 0)
				close(fd);
			if (r < 0)
				return r;
			break;
		case SYNC_READY:
			return 0;
		case SYNC_GRANDCHILD:
			c->pid = from;
			waitpid(c->direct_child, NULL, 0);
			c->direct_child = 0;
			if (c->pidfd >= 0)
				close(c->pidfd);
			c->pidfd = rt_pidfd_open(c->pid, 0);
			break;
		case SYNC_USERMAP:
			if ((r = ns_write_maps(c->direct_child, &c->spec, err)) < 0)
				return r;
			if (sync_send(c->sync_fd, SYNC_GO, 0, NULL) < 0)
				return child_died(c, err);
			break;
		case SYNC_HOOKS:
			if ((r = parent_hooks(c, err)) < 0)
				return r;
			break;
		case SYNC_SOURCES:
			if ((r = send_sources(c, err)) < 0)
				return r;
			break;
		case SYNC_ERROR:
			m.msg[sizeof(m.msg) - 1] = '\0';
			return rt_fail(err, m.code, "%s", m.msg);
		case 0:
			return joining ? 0 : child_died(c, err);
		default:
			return rt_sysfail(err, "read from container init");
		}
	}
}

static int start_child(struct container *c, bool in_cgroup, struct rt_err *err)
{
	int r;

	if (!in_cgroup && (r = cg_enter(&c->cg, c->pid, err)) < 0)
		return r;
	if (c->ns.maps && !c->ns.late && (r = ns_write_maps(c->pid, &c->spec, err)) < 0)
		return r;
	if (sync_send(c->sync_fd, SYNC_GO, 0, NULL) < 0)
		return child_died(c, err);
	return 0;
}

void exec_kill(struct container *c)
{
	if (c->pidfd >= 0 || c->pid > 0)
		rt_signal(c->pidfd, c->pid, SIGKILL);
	if (c->direct_child > 0)
		waitpid(c->direct_child, NULL, 0);
}

/* Without HOME in the environment the child fills in c->home (find_home). */
static int plan_home(struct container *c, struct rt_err *err)
{
	const char **env;
	int n = 0;

	for (; c->env[n]; n++)
		if (!strncmp(c->env[n], "HOME=", 5))
			return 0;
	if (!(env = malloc((n + 2) * sizeof(*env))))
		return rt_errnofail(err, ENOMEM, "environment");
	memcpy(env, c->env, n * sizeof(*env));
	env[n] = strcpy(c->home, "HOME=/");
	env[n + 1] = NULL;
	c->env = env;
	return 0;
}

static int spawn(struct container *c, bool joining, struct rt_err *err)
{
	bool in_cgroup = false;
	int sv[2], one = 1, r;

	if (!c->proc)
		c->proc = &c->spec.process;
	if (!c->env)
		c->env = c->proc->env;
	if ((r = plan_home(c, err)) < 0)
		return r;
	if (rt_socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_sysfail(err, "socketpair");
	setsockopt(sv[0], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
	/* an exec mounts nothing: only a new init needs the idmapped trees */
	if ((!joining && (r = mnt_trees_prepare(&c->trees, &c->spec, c->bundle, c->ns.fds[NS_USER],
						err)) < 0) ||
	    (r = ns_parent_prepare(&c->ns, &c->spec, err)) < 0)
		goto out_close;
	c->pid = c->direct_child = do_clone(c, &in_cgroup);
	if (c->pid < 0) {
		r = rt_sysfail(err, "clone the %s", joining ? "process" : "container init");
		goto out_close;
	}
	if (c->pid == 0) {
		close(sv[0]);
		if (joining)
			join_main(c, sv[1]);
		child_main(c, sv[1]);
	}
	close(sv[1]);
	c->sync_fd = sv[0];
	if ((r = start_child(c, in_cgroup, err)) < 0)
		exec_kill(c);
	return r;
out_close:
	close(sv[0]);
	close(sv[1]);
	return r;
}

int exec_spawn(struct container *c, struct rt_err *err)
{
	return spawn(c, false, err);
}

int exec_wait_ready(struct container *c, struct rt_err *err)
{
	int r = drive_child(c, false, err);

	if (r < 0)
		exec_kill(c);
	return r;
}

int exec_join(struct container *c, struct rt_err *err)
{
	int r = spawn(c, true, err);

	if (r == 0 && (r = drive_child(c, true, err)) < 0)
		exec_kill(c);
	return r;
}

/* Every namespace of the target that is not also ours gets joined; comparing the links
 * covers namespaces the container created and those it joined by path alike. */
int exec_plan_join(struct ns_plan *pl, pid_t pid, struct rt_err *err)
{
	static const char *const names[NS_COUNT] = {
		[NS_USER] = "user", [NS_PID] = "pid",	    [NS_NET] = "net",	[NS_IPC] = "ipc",
		[NS_UTS] = "uts",   [NS_CGROUP] = "cgroup", [NS_TIME] = "time", [NS_MNT] = "mnt",
	};
	char theirs[64], ours[64], a[64], b[64];

	memset(pl, 0, sizeof(*pl));
	for (int t = 0; t < NS_COUNT; t++) {
		ssize_t n, m;

		pl->fds[t] = -1;
		rt_snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, names[t]);
		rt_snprintf(ours, sizeof(ours), "/proc/self/ns/%s", names[t]);
		n = readlink(theirs, a, sizeof(a));
		m = readlink(ours, b, sizeof(b));
		if (n < 0 || (n == m && !memcmp(a, b, n)))
			continue;
		pl->fds[t] = rt_open(theirs, O_RDONLY | O_CLOEXEC);
		if (pl->fds[t] < 0)
			return rt_sysfail(err, "open %s", theirs);
	}
	pl->grandchild = pl->fds[NS_PID] >= 0; /* see ns_plan */
	return 0;
}

void exec_release(struct container *c)
{
	if (c->sync_fd >= 0)
		close(c->sync_fd);
	if (c->fifo_fd >= 0)
		close(c->fifo_fd);
	if (c->pidfd >= 0)
		close(c->pidfd);
	if (c->console_fd >= 0)
		close(c->console_fd);
	c->sync_fd = c->fifo_fd = c->pidfd = c->console_fd = -1;
	ns_close(&c->ns);
	mnt_trees_close(&c->trees);
	notify_close(&c->notify);
}
