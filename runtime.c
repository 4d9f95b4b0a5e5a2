/* runtime.c - runt's command line (runc's dialect: global flags, a command table, each
 * verb's flags) and the lifecycle order of every verb. The only file that prints errors
 * and chooses exit codes: 0 ok, 1 failure, 2 usage. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "compat.h"
#include "exec.h"
#include "log.h"
#include "mount.h"
#include "signals.h"
#include "spec.h"
#include "state.h"

#define EXIT_USAGE 2

/* The parsed command line: the one piece of state shared by every verb. */
struct cli {
	const char *root, *log, *log_format, *log_level, *rootless;
	bool debug, systemd_cgroup, help, version;
	const char *bundle, *pid_file, *console_socket, *format, *process;
	bool detach, keep, force, all, quiet, no_pivot, no_new_keyring, spec_rootless;
	const char *preserve_fds;
	const char *resources, *upd[RF_COUNT]; /* update: --resources, runc's limit flags */
	int argc;			       /* positional arguments after the verb's flags */
	char **argv;
};

enum flag_type { FL_BOOL, FL_STR };

struct flag {
	const char *name; /* long name; "-name" and "--name" are both accepted, as in runc */
	char short_name;
	enum flag_type type;
	size_t off;
	const char *help;
};

struct command {
	const char *name;
	int (*fn)(struct cli *cli, struct rt_err *err);
	const struct flag *flags;
	int min_args, max_args; /* positional arguments */
	const char *usage, *help;
};

#define F_BOOL(n, s, field, h)                                                                     \
	{                                                                                          \
		n, s, FL_BOOL, offsetof(struct cli, field), h                                      \
	}
#define F_STR(n, s, field, h)                                                                      \
	{                                                                                          \
		n, s, FL_STR, offsetof(struct cli, field), h                                       \
	}

static const struct flag global_flags[] = {
	F_STR("root", 0, root, "state directory (default /run/runt)"),
	F_STR("log", 0, log, "log file"),
	F_STR("log-format", 0, log_format, "log format: text or json"),
	F_STR("log-level", 0, log_level, "error, warning, info or debug"),
	F_BOOL("debug", 0, debug, "debug logging"),
	F_BOOL("systemd-cgroup", 0, systemd_cgroup, "cgroupsPath is slice:prefix:name"),
	F_STR("rootless", 0, rootless, "accepted for compatibility (true|false|auto)"),
	F_BOOL("version", 'v', version, "print the version"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag create_flags[] = {
	F_STR("bundle", 'b', bundle, "bundle directory (default .)"),
	F_STR("pid-file", 0, pid_file, "write the init's pid here"),
	F_STR("console-socket", 0, console_socket, "unix socket receiving the pty master"),
	F_STR("preserve-fds", 0, preserve_fds, "pass this many extra fds (3..)"),
	F_BOOL("no-pivot", 0, no_pivot, "MS_MOVE + chroot instead of pivot_root"),
	F_BOOL("no-new-keyring", 0, no_new_keyring, "keep the caller's session keyring"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag run_flags[] = {
	F_STR("bundle", 'b', bundle, "bundle directory (default .)"),
	F_STR("pid-file", 0, pid_file, "write the init's pid here"),
	F_STR("console-socket", 0, console_socket, "unix socket receiving the pty master"),
	F_STR("preserve-fds", 0, preserve_fds, "pass this many extra fds (3..)"),
	F_BOOL("no-pivot", 0, no_pivot, "MS_MOVE + chroot instead of pivot_root"),
	F_BOOL("no-new-keyring", 0, no_new_keyring, "keep the caller's session keyring"),
	F_BOOL("detach", 'd', detach, "return once the container runs"),
	F_BOOL("keep", 0, keep, "keep the container's state after it exits"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag kill_flags[] = {
	F_BOOL("all", 'a', all, "signal every process of the container"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag delete_flags[] = {
	F_BOOL("force", 'f', force, "kill a running container first"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag list_flags[] = {
	F_STR("format", 'f', format, "table or json"),
	F_BOOL("quiet", 'q', quiet, "ids only"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag ps_flags[] = {
	F_STR("format", 'f', format, "table or json"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag update_flags[] = {
	F_STR("resources", 'r', resources, "LinuxResources JSON file (\"-\": stdin)"),
	F_STR("memory", 'm', upd[RF_MEMORY], "memory limit (bytes, 512m, 1g; -1: none)"),
	F_STR("memory-reservation", 0, upd[RF_MEMORY_RESERVATION], "memory.low"),
	F_STR("memory-swap", 0, upd[RF_MEMORY_SWAP], "memory + swap limit (-1: none)"),
	F_STR("cpu-shares", 0, upd[RF_CPU_SHARES], "CPU shares (as cpu.weight)"),
	F_STR("cpu-quota", 0, upd[RF_CPU_QUOTA], "CPU quota per period (µs; -1: none)"),
	F_STR("cpu-period", 0, upd[RF_CPU_PERIOD], "CPU period (µs)"),
	F_STR("cpu-burst", 0, upd[RF_CPU_BURST], "CPU burst (µs)"),
	F_STR("cpu-idle", 0, upd[RF_CPU_IDLE], "cpu.idle (0 or 1)"),
	F_STR("cpu-rt-period", 0, upd[RF_CPU_RT_PERIOD], "refused: cgroup v1 only"),
	F_STR("cpu-rt-runtime", 0, upd[RF_CPU_RT_RUNTIME], "refused: cgroup v1 only"),
	F_STR("cpuset-cpus", 0, upd[RF_CPUSET_CPUS], "CPUs allowed (0-3,7)"),
	F_STR("cpuset-mems", 0, upd[RF_CPUSET_MEMS], "memory nodes allowed"),
	F_STR("pids-limit", 0, upd[RF_PIDS_LIMIT], "maximum number of tasks"),
	F_STR("blkio-weight", 0, upd[RF_BLKIO_WEIGHT], "block IO weight (10-1000)"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag spec_flags[] = {
	F_STR("bundle", 'b', bundle, "where to write config.json (default .)"),
	F_BOOL("rootless", 0, spec_rootless, "a spec for an unprivileged user"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag help_only[] = {
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

static const struct flag *find_flag(const struct flag *fl, const char *name, size_t len)
{
	for (; fl->name; fl++)
		if ((len == 1 && fl->short_name == name[0]) ||
		    (strlen(fl->name) == len && !strncmp(fl->name, name, len)))
			return fl;
	return NULL;
}

static int set_bool(struct cli *cli, const struct flag *f, const char *val, struct rt_err *err)
{
	bool *b = (bool *)((char *)cli + f->off);

	if (!val || !strcmp(val, "true") || !strcmp(val, "1"))
		*b = true;
	else if (!strcmp(val, "false") || !strcmp(val, "0"))
		*b = false;
	else
		return rt_fail(err, EINVAL, "--%s: invalid boolean \"%s\"", f->name, val);
	return 0;
}

/* One flag at argv[*i]: "-x", "--name", "-name", "--name=value" or "--name value". */
static int parse_flag(struct cli *cli, const struct flag *fl, int *i, int argc, char **argv,
		      struct rt_err *err)
{
	const char *arg = argv[*i], *name = arg + (arg[1] == '-' ? 2 : 1);
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const struct flag *f = find_flag(fl, name, len);

	if (!f)
		return rt_fail(err, EINVAL, "unknown flag %s", arg);
	if (f->type == FL_BOOL)
		return set_bool(cli, f, eq ? eq + 1 : NULL, err);
	if (!eq && *i + 1 >= argc)
		return rt_fail(err, EINVAL, "flag %s needs a value", arg);
	*(const char **)((char *)cli + f->off) = eq ? eq + 1 : argv[++*i];
	return 0;
}

/* Flags stop at the first positional argument or "--", like Go's flag package. */
static int parse_flags(struct cli *cli, const struct flag *fl, int *i, int argc, char **argv,
		       struct rt_err *err)
{
	int r;

	for (; *i < argc; ++*i) {
		const char *a = argv[*i];

		if (!strcmp(a, "--")) {
			++*i;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if ((r = parse_flag(cli, fl, i, argc, argv, err)) < 0)
			return r;
	}
	return 0;
}

static const char *id_arg(const struct cli *cli)
{
	return cli->argc > 0 ? cli->argv[0] : "";
}

static void owner_name(char *out, size_t size)
{
	struct passwd *pw = getpwuid(geteuid());

	if (pw)
		strlcpy(out, pw->pw_name, size);
	else
		snprintf(out, size, "%u", (unsigned)geteuid());
}

static int resolve_bundle(const char *bundle, char *out, struct rt_err *err)
{
	if (!realpath(bundle ? bundle : ".", out))
		return rt_sysfail(err, "bundle %s", bundle ? bundle : ".");
	return 0;
}

static int annotations_json(const struct spec *s, char **out, struct rt_err *err)
{
	char buf[32768];
	struct jw w;

	*out = NULL;
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
	*out = strdup(buf);
	return *out ? 0 : rt_errnofail(err, ENOMEM, "annotations");
}

/* What later issues implement is refused loudly rather than ignored. */
static int refuse_unsupported(const struct cli *cli, const struct spec *s, struct rt_err *err)
{
	if (cli->console_socket)
		return rt_fail(err, ENOTSUP, "--console-socket: not supported yet");
	if (cli->preserve_fds && strcmp(cli->preserve_fds, "0"))
		return rt_fail(err, ENOTSUP, "--preserve-fds: not supported yet");
	if (s->process.terminal)
		return rt_fail(err, ENOTSUP,
			       "config.json: .process.terminal: terminals are not "
			       "supported yet");
	for (int k = 0; k < HOOK_COUNT; k++)
		if (s->nhooks[k])
			return rt_fail(err, ENOTSUP,
				       "config.json: .hooks.%s: hooks are not "
				       "supported yet",
				       spec_hook_name(k));
	if (s->linux.seccomp_tok >= 0 || s->process.seccomp_tok >= 0)
		return rt_fail(err, ENOTSUP,
			       "config.json: .linux.seccomp: seccomp is not "
			       "supported yet");
	if (!s->linux.ns[NS_MNT].enabled)
		return rt_fail(err, EINVAL,
			       "config.json: .linux.namespaces: runt needs a mount "
			       "namespace");
	return 0;
}

static int load_bundle(struct cli *cli, struct container *c, char *bundle, struct rt_err *err)
{
	int r;

	c->id = id_arg(cli);
	c->no_pivot = cli->no_pivot;
	c->no_new_keyring = cli->no_new_keyring;
	if ((r = spec_validate_id(c->id, err)) < 0 ||
	    (r = resolve_bundle(cli->bundle, bundle, err)) < 0)
		return r;
	c->bundle = bundle;
	if ((r = spec_load(&c->spec, bundle, err)) < 0)
		return r;
	return refuse_unsupported(cli, &c->spec, err);
}

static int make_fifo(struct container *c, struct rt_err *err)
{
	if (mkfifoat(c->st.dirfd, STATE_FIFO, 0600) < 0)
		return rt_sysfail(err, "mkfifo %s/%s", c->st.dir, STATE_FIFO);
	/* read-write: opening never blocks, and the init holds the read side until start */
	c->fifo_fd = openat(c->st.dirfd, STATE_FIFO, O_RDWR | O_CLOEXEC);
	if (c->fifo_fd < 0)
		return rt_sysfail(err, "open %s/%s", c->st.dir, STATE_FIFO);
	return 0;
}

static int prepare_host(struct cli *cli, struct container *c, struct rt_err *err)
{
	int r;

	if ((r = cg_resolve(&c->cg, &c->spec, c->id, cli->systemd_cgroup, err)) < 0 ||
	    (r = cg_create(&c->cg, &c->spec, err)) < 0 || (r = make_fifo(c, err)) < 0)
		return r;
	return ns_plan(&c->ns, &c->spec, err);
}

static int record_state(struct container *c, struct rt_err *err)
{
	struct rt_state *st = &c->st;
	int r;

	st->pid = c->pid;
	st->start_time = state_proc_start_time(c->pid);
	st->ns_flags = c->ns.clone_flags | c->ns.unshare_flags;
	strlcpy(st->bundle, c->bundle, sizeof(st->bundle));
	strlcpy(st->rootfs, c->spec.root_path, sizeof(st->rootfs));
	strlcpy(st->cgroup, c->cg.path, sizeof(st->cgroup));
	log_rfc3339(st->created, sizeof(st->created));
	owner_name(st->owner, sizeof(st->owner));
	if ((r = annotations_json(&c->spec, &st->annotations, err)) < 0)
		return r;
	if ((r = state_save(st, err)) < 0)
		return r;
	st->loaded = true;
	return 0;
}

/* Undo a failed create: nothing of it may remain (cgroup, state dir, fifo). */
static void rollback(struct container *c)
{
	struct rt_err ignored;

	exec_release(c);
	if (c->cg.created)
		cg_remove(c->cg.path, &ignored);
	cg_close(&c->cg);
	state_remove(&c->st, &ignored);
}

static int create_container(struct cli *cli, struct container *c, struct rt_err *err)
{
	static char bundle[PATH_MAX];
	int r;

	if ((r = load_bundle(cli, c, bundle, err)) < 0)
		return r;
	if ((r = state_create(&c->st, cli->root, c->id, err)) < 0)
		return r;
	if ((r = prepare_host(cli, c, err)) < 0 || (r = exec_spawn(c, err)) < 0)
		goto out_rollback;
	if ((r = record_state(c, err)) < 0)
		goto out_kill;
	if (cli->pid_file && (r = state_write_pidfile(cli->pid_file, c->pid, err)) < 0)
		goto out_kill;
	cg_close(&c->cg);
	return 0;
out_kill:
	if (c->pidfd >= 0)
		rt_pidfd_send_signal(c->pidfd, SIGKILL);
	if (c->direct_child > 0)
		waitpid(c->direct_child, NULL, 0);
out_rollback:
	rollback(c);
	return r;
}

static int cmd_create(struct cli *cli, struct rt_err *err)
{
	struct container c;
	int r;

	exec_init(&c);
	sigprocmask(SIG_SETMASK, NULL, &c.sigmask);
	r = create_container(cli, &c, err);
	if (r == 0)
		exec_release(&c);
	return r;
}

/* The init holds the fifo's read side; writing one byte releases it into execve. */
static int release_init(struct rt_state *st, struct rt_err *err)
{
	int fd = openat(st->dirfd, STATE_FIFO, O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENXIO)
		return rt_fail(err, ESRCH, "container init is gone");
	if (fd < 0)
		return rt_sysfail(err, "open %s/%s", st->dir, STATE_FIFO);
	if (write(fd, "0", 1) != 1) {
		close(fd);
		return rt_sysfail(err, "release the container init");
	}
	close(fd);
	if (unlinkat(st->dirfd, STATE_FIFO, 0) < 0)
		return rt_sysfail(err, "remove %s/%s", st->dir, STATE_FIFO);
	return 0;
}

static int open_container(struct cli *cli, struct rt_state *st, bool lock, struct rt_err *err)
{
	return state_open(st, cli->root, id_arg(cli), lock, err);
}

static int cmd_start(struct cli *cli, struct rt_err *err)
{
	struct rt_state st;
	enum rt_status s;
	int r;

	if ((r = open_container(cli, &st, true, err)) < 0)
		goto out;
	s = state_status(&st);
	if (s != ST_CREATED) {
		r = rt_fail(err, EINVAL, "cannot start a container that is %s (it must be created)",
			    state_status_name(s));
		goto out;
	}
	r = release_init(&st, err);
out:
	state_close(&st);
	return r;
}

static int cmd_state(struct cli *cli, struct rt_err *err)
{
	char buf[65536];
	struct rt_state st;
	int r;

	if ((r = open_container(cli, &st, false, err)) == 0 &&
	    (r = state_format(&st, buf, sizeof(buf), err)) == 0)
		fputs(buf, stdout);
	state_close(&st);
	return r;
}

static int signal_container(struct rt_state *st, int sig, bool all, struct rt_err *err)
{
	enum rt_status s = state_status(st);

	if (s == ST_STOPPED || s == ST_CREATING)
		return rt_fail(err, ESRCH, "container \"%s\" is not running", st->id);
	if (all && st->cgroup[0])
		return cg_kill_all(st->cgroup, sig, err);
	return state_signal(st, sig, err);
}

static int cmd_kill(struct cli *cli, struct rt_err *err)
{
	struct rt_state st;
	int sig = SIGTERM, r;

	if (cli->argc > 1 && (r = sig_parse(cli->argv[1], &sig, err)) < 0)
		return r;
	if ((r = open_container(cli, &st, true, err)) == 0)
		r = signal_container(&st, sig, cli->all, err);
	state_close(&st);
	return r;
}

/* Wait until the init is gone: a pidfd turns readable when the process exits. */
static void kill_and_wait(struct rt_state *st)
{
	struct rt_err ignored;
	int fd = state_pidfd(st, &ignored);
	struct pollfd p = { fd, POLLIN, 0 };

	if (fd < 0)
		return;
	rt_pidfd_send_signal(fd, SIGKILL);
	poll(&p, 1, 10000);
	close(fd);
}

static int destroy(struct rt_state *st, struct rt_err *err)
{
	int r;

	kill_and_wait(st);
	if (st->cgroup[0]) {
		if (access(st->cgroup, F_OK) == 0)
			cg_kill_all(st->cgroup, SIGKILL, err);
		if ((r = cg_remove(st->cgroup, err)) < 0)
			return r;
	}
	return state_remove(st, err);
}

static int cmd_delete(struct cli *cli, struct rt_err *err)
{
	struct rt_state st;
	enum rt_status s;
	int r = open_container(cli, &st, true, err);

	if (r == -ENOENT && cli->force && st.dirfd < 0)
		return 0;
	if (r < 0)
		goto out;
	s = state_status(&st);
	if ((s == ST_RUNNING || s == ST_PAUSED) && !cli->force)
		r = rt_fail(err, EBUSY,
			    "cannot delete container \"%s\" that is not stopped: %s "
			    "(use --force)",
			    st.id, state_status_name(s));
	else
		r = destroy(&st, err);
out:
	state_close(&st);
	return r;
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* `run` in the foreground: every signal runt gets goes to the container; SIGCHLD tells
 * when to reap (runt is a subreaper, so a grandchild init comes back to it too). */
static int forward_until_exit(struct container *c, const sigset_t *set)
{
	siginfo_t si;
	pid_t p;
	int sig, status;

	for (;;) {
		sig = sigwaitinfo(set, &si);
		if (sig < 0)
			continue;
		if (sig != SIGCHLD) {
			rt_pidfd_send_signal(c->pidfd, sig);
			continue;
		}
		while ((p = waitpid(-1, &status, WNOHANG)) > 0)
			if (p == c->pid)
				return exit_code(status);
	}
}

static void forwarded_signals(sigset_t *set)
{
	static const int never[] = { SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL,
				     SIGFPE,  SIGABRT, SIGTRAP, SIGSYS };

	sigfillset(set);
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		sigdelset(set, never[i]);
}

static int cmd_run(struct cli *cli, struct rt_err *err)
{
	struct rt_err ignored;
	struct container c;
	sigset_t set;
	int r, code;

	exec_init(&c);
	forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &c.sigmask);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if ((r = create_container(cli, &c, err)) < 0)
		return r;
	if ((r = release_init(&c.st, err)) < 0) {
		destroy(&c.st, &ignored);
		exec_release(&c);
		return r;
	}
	if (cli->detach) {
		exec_release(&c);
		return 0;
	}
	/* while it runs, `runt kill`/`state` from elsewhere must get the lock */
	state_unlock(&c.st);
	code = forward_until_exit(&c, &set);
	exec_release(&c);
	if (!cli->keep && ((r = state_lock(&c.st, err)) < 0 || (r = destroy(&c.st, err)) < 0))
		return r;
	state_close(&c.st);
	return code;
}

struct list_ctx {
	struct cli *cli;
	struct jw w;
	int n;
};

static void list_row(struct list_ctx *l, struct rt_state *st)
{
	enum rt_status s = state_status(st);
	int pid = s == ST_STOPPED ? 0 : (int)st->pid;

	if (l->cli->quiet) {
		printf("%s\n", st->id);
	} else if (l->cli->format && !strcmp(l->cli->format, "json")) {
		jw_raw(&l->w, l->n ? ",{\"ociVersion\":\"" SPEC_OCI_VERSION "\",\"id\":"
				   : "{\"ociVersion\":\"" SPEC_OCI_VERSION "\",\"id\":");
		jw_str(&l->w, st->id);
		jw_printf(&l->w, ",\"pid\":%d,\"status\":\"%s\",\"bundle\":", pid,
			  state_status_name(s));
		jw_str(&l->w, st->bundle);
		jw_raw(&l->w, ",\"rootfs\":");
		jw_str(&l->w, st->rootfs);
		jw_raw(&l->w, ",\"created\":");
		jw_str(&l->w, st->created);
		jw_raw(&l->w, ",\"owner\":");
		jw_str(&l->w, st->owner);
		jw_printf(&l->w, ",\"annotations\":%s}", st->annotations ? st->annotations : "{}");
	} else {
		printf("%-12s %-8d %-10s %-40s %-32s %s\n", st->id, pid, state_status_name(s),
		       st->bundle, st->created, st->owner);
	}
	l->n++;
}

static int list_one(const char *id, void *arg)
{
	struct list_ctx *l = arg;
	struct rt_state st;
	struct rt_err ignored;

	if (state_open(&st, l->cli->root, id, false, &ignored) == 0)
		list_row(l, &st);
	state_close(&st);
	return 0;
}

static int cmd_list(struct cli *cli, struct rt_err *err)
{
	static char buf[1 << 20];
	struct list_ctx l = { cli };
	bool json = cli->format && !strcmp(cli->format, "json");
	int r;

	if (cli->format && !json && strcmp(cli->format, "table"))
		return rt_fail(err, EINVAL, "--format: unknown format \"%s\" (table or json)",
			       cli->format);
	jw_init(&l.w, buf, sizeof(buf));
	if (!json && !cli->quiet)
		printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE",
		       "CREATED", "OWNER");
	if ((r = state_list(cli->root, list_one, &l, err)) < 0)
		return r;
	if (json && !cli->quiet)
		printf("[%s]\n", buf);
	return l.w.overflow ? rt_fail(err, E2BIG, "too many containers to list") : 0;
}

static const char spec_head[] =
    "{\n"
    "\t\"ociVersion\": \"" SPEC_OCI_VERSION "\",\n"
    "\t\"process\": {\n"
    "\t\t\"terminal\": false,\n"
    "\t\t\"user\": { \"uid\": 0, \"gid\": 0 },\n"
    "\t\t\"args\": [ \"sh\" ],\n"
    "\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n"
    "\t\t],\n"
    "\t\t\"cwd\": \"/\",\n"
    "\t\t\"capabilities\": {\n"
    "\t\t\t\"bounding\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
    "\t\t\t\"effective\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ],\n"
    "\t\t\t\"permitted\": [ \"CAP_AUDIT_WRITE\", \"CAP_KILL\", \"CAP_NET_BIND_SERVICE\" ]\n"
    "\t\t},\n"
    "\t\t\"rlimits\": [ { \"type\": \"RLIMIT_NOFILE\", \"hard\": 1024, \"soft\": 1024 } ],\n"
    "\t\t\"noNewPrivileges\": true\n"
    "\t},\n"
    "\t\"root\": { \"path\": \"rootfs\", \"readonly\": true },\n"
    "\t\"hostname\": \"runt\",\n"
    "\t\"mounts\": [\n"
    "\t\t{ \"destination\": \"/proc\", \"type\": \"proc\", \"source\": \"proc\" },\n"
    "\t\t{ \"destination\": \"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"strictatime\", \"mode=755\", \"size=65536k\" ] },\n"
    "\t\t{ \"destination\": \"/dev/pts\", \"type\": \"devpts\", \"source\": \"devpts\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"newinstance\", \"ptmxmode=0666\", "
    "\"mode=0620\"";

static const char spec_shm[] =
    " ] },\n"
    "\t\t{ \"destination\": \"/dev/shm\", \"type\": \"tmpfs\", \"source\": \"shm\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"mode=1777\", \"size=65536k\" ] },\n"
    "\t\t{ \"destination\": \"/dev/mqueue\", \"type\": \"mqueue\", \"source\": \"mqueue\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\" ] },\n";

static const char spec_sys[] =
    "\t\t{ \"destination\": \"/sys\", \"type\": \"sysfs\", \"source\": \"sysfs\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] },\n"
    "\t\t{ \"destination\": \"/sys/fs/cgroup\", \"type\": \"cgroup\", \"source\": \"cgroup\",\n"
    "\t\t  \"options\": [ \"nosuid\", \"noexec\", \"nodev\", \"relatime\", \"ro\" ] }\n"
    "\t],\n";

static const char spec_sys_rootless[] =
    "\t\t{ \"destination\": \"/sys\", \"type\": \"none\", \"source\": \"/sys\",\n"
    "\t\t  \"options\": [ \"rbind\", \"nosuid\", \"noexec\", \"nodev\", \"ro\" ] }\n"
    "\t],\n";

static const char spec_tail[] =
    "\t\t\"maskedPaths\": [\n"
    "\t\t\t\"/proc/acpi\", \"/proc/asound\", \"/proc/kcore\", \"/proc/keys\",\n"
    "\t\t\t\"/proc/latency_stats\", \"/proc/timer_list\", \"/proc/timer_stats\",\n"
    "\t\t\t\"/proc/sched_debug\", \"/sys/firmware\", \"/proc/scsi\"\n"
    "\t\t],\n"
    "\t\t\"readonlyPaths\": [\n"
    "\t\t\t\"/proc/bus\", \"/proc/fs\", \"/proc/irq\", \"/proc/sys\", \"/proc/sysrq-trigger\"\n"
    "\t\t]\n"
    "\t}\n"
    "}\n";

static void spec_linux(struct jw *w, bool rootless)
{
	jw_raw(w, "\t\"linux\": {\n\t\t\"namespaces\": [\n");
	jw_raw(w, "\t\t\t{ \"type\": \"pid\" }, { \"type\": \"ipc\" }, { \"type\": \"uts\" },\n");
	jw_raw(w, "\t\t\t{ \"type\": \"mount\" }, { \"type\": \"cgroup\" }, ");
	if (!rootless) {
		jw_raw(w, "{ \"type\": \"network\" }\n\t\t],\n");
		return;
	}
	jw_raw(w, "{ \"type\": \"user\" }\n\t\t],\n");
	jw_printf(w,
		  "\t\t\"uidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n",
		  (unsigned)geteuid());
	jw_printf(w,
		  "\t\t\"gidMappings\": [ { \"containerID\": 0, \"hostID\": %u, \"size\": 1 } ],\n",
		  (unsigned)getegid());
}

static int cmd_spec(struct cli *cli, struct rt_err *err)
{
	char buf[8192], path[PATH_MAX];
	bool rootless = cli->spec_rootless;
	struct jw w;
	int fd;

	jw_init(&w, buf, sizeof(buf));
	jw_raw(&w, spec_head);
	jw_raw(&w, rootless ? "" : ", \"gid=5\"");
	jw_raw(&w, spec_shm);
	jw_raw(&w, rootless ? spec_sys_rootless : spec_sys);
	spec_linux(&w, rootless);
	jw_raw(&w, spec_tail);
	snprintf(path, sizeof(path), "%s/config.json", cli->bundle ? cli->bundle : ".");
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0 && errno == EEXIST)
		return rt_fail(err, EEXIST, "%s already exists: remove it first", path);
	if (fd < 0)
		return rt_sysfail(err, "create %s", path);
	if (w.overflow || write(fd, buf, w.len) != (ssize_t)w.len) {
		close(fd);
		unlink(path);
		return rt_sysfail(err, "write %s", path);
	}
	close(fd);
	return 0;
}

static void json_list(struct jw *w, const char *key, const char *(*name)(int), int n)
{
	bool first = true;

	jw_printf(w, "\"%s\":[", key);
	for (int i = 0; i < n; i++) {
		const char *s = name(i);

		if (!s)
			continue;
		jw_raw(w, first ? "" : ",");
		jw_str(w, s);
		first = false;
	}
	jw_raw(w, "]");
}

static const char *ns_name_sorted(int i)
{
	static const char *const names[] = { "cgroup", "ipc",  "mount", "network",
					     "pid",    "time", "user",	"uts" };

	return names[i];
}

/* Exactly what this build implements: callers (containerd's idmap check, CRI) trust it. */
static int cmd_features(struct cli *cli, struct rt_err *err)
{
	static char buf[16384];
	struct jw w;

	jw_init(&w, buf, sizeof(buf));
	jw_raw(&w, "{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" SPEC_OCI_VERSION "\",");
	jw_raw(&w, "\"hooks\":[],");
	json_list(&w, "mountOptions", mnt_option_name, mnt_option_count());
	jw_raw(&w, ",\"linux\":{");
	json_list(&w, "namespaces", ns_name_sorted, 8);
	jw_raw(&w, ",");
	json_list(&w, "capabilities", caps_name, caps_count());
	jw_raw(&w,
	       ",\"cgroup\":{\"v1\":false,\"v2\":true,\"systemd\":false,\"systemdUser\":false,"
	       "\"rdma\":true},\"seccomp\":{\"enabled\":false},\"apparmor\":{\"enabled\":false},"
	       "\"selinux\":{\"enabled\":false},\"intelRdt\":{\"enabled\":false},"
	       "\"mountExtensions\":{\"idmap\":{\"enabled\":false}}},");
	jw_raw(&w, "\"annotations\":{\"org.opencontainers.runtime-spec.features\":\"runt\","
		   "\"io.github.runt.version\":\"" RUNT_VERSION
		   "\",\"io.github.runt.commit\":\"" RUNT_COMMIT "\"}}\n");
	if (w.overflow)
		return rt_fail(err, E2BIG, "features: output too large");
	fputs(buf, stdout);
	return 0;
}

static int need_cgroup(struct rt_state *st, enum rt_status want, struct rt_err *err)
{
	enum rt_status s = state_status(st);

	if (!st->cgroup[0])
		return rt_fail(err, ENOTSUP, "container \"%s\" has no cgroup", st->id);
	if (s != want)
		return rt_fail(err, EINVAL, "container \"%s\" is %s, not %s", st->id,
			       state_status_name(s), state_status_name(want));
	return 0;
}

static int freeze_cmd(struct cli *cli, bool freeze, struct rt_err *err)
{
	struct rt_state st;
	int r = open_container(cli, &st, true, err);

	if (r == 0)
		r = need_cgroup(&st, freeze ? ST_RUNNING : ST_PAUSED, err);
	if (r == 0)
		r = cg_freeze(st.cgroup, freeze, err);
	state_close(&st);
	return r;
}

static int cmd_pause(struct cli *cli, struct rt_err *err)
{
	return freeze_cmd(cli, true, err);
}

static int cmd_resume(struct cli *cli, struct rt_err *err)
{
	return freeze_cmd(cli, false, err);
}

static int print_pids(struct rt_state *st, bool json, struct rt_err *err)
{
	static pid_t pids[65536];
	int n = cg_pids(st->cgroup, pids, 65536, err);

	if (n < 0)
		return n;
	fputs(json ? "[" : "PID\n", stdout);
	for (int i = 0; i < n; i++) {
		if (json)
			printf("%s%d", i ? "," : "", (int)pids[i]);
		else
			printf("%d\n", (int)pids[i]);
	}
	if (json)
		puts("]");
	return 0;
}

static int cmd_ps(struct cli *cli, struct rt_err *err)
{
	bool json = cli->format && !strcmp(cli->format, "json");
	struct rt_state st;
	int r;

	if (cli->format && !json && strcmp(cli->format, "table"))
		return rt_fail(err, EINVAL, "--format: unknown format \"%s\"", cli->format);
	r = open_container(cli, &st, false, err);
	if (r == 0 && !st.cgroup[0])
		r = rt_fail(err, ENOTSUP, "container \"%s\" has no cgroup", st.id);
	if (r == 0)
		r = print_pids(&st, json, err);
	state_close(&st);
	return r;
}

/* runc takes either --resources or the flags; mixing them would leave one side ignored. */
static int cmd_update(struct cli *cli, struct rt_err *err)
{
	struct rt_state st;
	enum rt_status s;
	int r, i;

	for (i = 0; i < RF_COUNT && !cli->upd[i]; i++)
		;
	if (cli->resources && i < RF_COUNT)
		return rt_fail(err, EINVAL, "--resources and --%s: give one or the other",
			       res_flag_name(i));
	if ((r = open_container(cli, &st, true, err)) < 0)
		goto out;
	s = state_status(&st);
	if (s == ST_STOPPED || s == ST_CREATING)
		r = rt_fail(err, EINVAL, "container \"%s\" is %s", st.id, state_status_name(s));
	else if (!st.cgroup[0])
		r = rt_fail(err, ENOTSUP, "container \"%s\" has no cgroup", st.id);
	else
		r = cg_update(st.cgroup, cli->resources, cli->upd, err);
out:
	state_close(&st);
	return r;
}

static int cmd_later(struct cli *cli, struct rt_err *err)
{
	return rt_fail(err, ENOTSUP, "not supported yet");
}

static const struct command commands[] = {
	{ "create", cmd_create, create_flags, 1, 1, "[flags] ID", "create a container" },
	{ "start", cmd_start, help_only, 1, 1, "ID", "run a created container's process" },
	{ "run", cmd_run, run_flags, 1, 1, "[flags] ID", "create and start a container" },
	{ "state", cmd_state, help_only, 1, 1, "ID", "print a container's state as JSON" },
	{ "kill", cmd_kill, kill_flags, 1, 2, "[--all] ID [SIGNAL]", "signal a container" },
	{ "delete", cmd_delete, delete_flags, 1, 1, "[--force] ID", "delete a container" },
	{ "list", cmd_list, list_flags, 0, 0, "[--format table|json] [-q]", "list containers" },
	{ "ps", cmd_ps, ps_flags, 1, 1, "[--format table|json] ID", "list a container's pids" },
	{ "pause", cmd_pause, help_only, 1, 1, "ID", "freeze every process of a container" },
	{ "resume", cmd_resume, help_only, 1, 1, "ID", "thaw a paused container" },
	{ "spec", cmd_spec, spec_flags, 0, 0, "[--bundle DIR] [--rootless]",
	  "write a default config.json" },
	{ "features", cmd_features, help_only, 0, 0, "", "print what runt implements (JSON)" },
	{ "exec", cmd_later, help_only, 0, 100000, "", "run a process in a container (not yet)" },
	{ "update", cmd_update, update_flags, 1, 1, "[--resources FILE|-] [flags] ID",
	  "change a container's resource limits live" },
};

#define NCOMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void print_flags(const struct flag *f)
{
	for (; f->name; f++) {
		char name[48], shrt[8] = "";

		if (f->short_name)
			snprintf(shrt, sizeof(shrt), "-%c, ", f->short_name);
		snprintf(name, sizeof(name), "%s--%s%s", shrt, f->name,
			 f->type == FL_STR ? " VALUE" : "");
		printf("   %-28s %s\n", name, f->help);
	}
}

static void usage(void)
{
	printf("runt - a tiny OCI container runtime\n\nusage: runt [global flags] COMMAND "
	       "[flags] [args]\n\ncommands:\n");
	for (int i = 0; i < NCOMMANDS; i++)
		printf("   %-10s %s\n", commands[i].name, commands[i].help);
	printf("\nglobal flags:\n");
	print_flags(global_flags);
}

static void command_usage(const struct command *c)
{
	printf("usage: runt %s %s\n\n%s\n\nflags:\n", c->name, c->usage, c->help);
	print_flags(c->flags);
}

static void version(void)
{
	printf("runt version %s\ncommit: %s\nspec: %s\n", RUNT_VERSION, RUNT_COMMIT,
	       SPEC_OCI_VERSION);
}

static const struct command *find_command(const char *name)
{
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int usage_error(const char *what, const struct rt_err *err)
{
	fprintf(stderr, "runt: %s%s%s\n", what, *what ? ": " : "", err->msg);
	log_msg(LOG_ERROR, "%s%s%s", what, *what ? ": " : "", err->msg);
	return EXIT_USAGE;
}

static int check_args(const struct command *c, struct cli *cli, struct rt_err *err)
{
	if (cli->argc < c->min_args)
		return rt_fail(err, EINVAL, "needs %s (usage: runt %s %s)",
			       c->min_args == 1 ? "a container id" : "more arguments", c->name,
			       c->usage);
	if (cli->argc > c->max_args)
		return rt_fail(err, EINVAL, "too many arguments (usage: runt %s %s)", c->name,
			       c->usage);
	return 0;
}

/* "runt: <verb> <id>: <message>" on stderr, and the same line in --log. */
static int report(const struct command *c, const struct cli *cli, const struct rt_err *err)
{
	const char *id = c->min_args ? id_arg(cli) : "";

	fprintf(stderr, "runt: %s%s%s: %s\n", c->name, *id ? " " : "", id, err->msg);
	log_msg(LOG_ERROR, "%s%s%s: %s", c->name, *id ? " " : "", id, err->msg);
	return EXIT_FAILURE;
}

static int run_command(const struct command *c, struct cli *cli, int i, int argc, char **argv)
{
	struct rt_err err = { 0 };
	int r;

	if (parse_flags(cli, c->flags, &i, argc, argv, &err) < 0)
		return usage_error(c->name, &err);
	if (cli->help) {
		command_usage(c);
		return 0;
	}
	cli->argc = argc - i;
	cli->argv = argv + i;
	if (check_args(c, cli, &err) < 0)
		return usage_error(c->name, &err);
	r = c->fn(cli, &err);
	if (r < 0)
		return report(c, cli, &err);
	return r;
}

int main(int argc, char **argv)
{
	struct cli cli = { .root = "/run/runt" };
	struct rt_err err = { 0 };
	const struct command *c;
	int i = 1;

	if (parse_flags(&cli, global_flags, &i, argc, argv, &err) < 0)
		return usage_error("", &err);
	if (cli.version) {
		version();
		return 0;
	}
	if (cli.help || i >= argc) {
		usage();
		return cli.help ? 0 : EXIT_USAGE;
	}
	if (log_open(cli.log, cli.log_format, cli.debug ? "debug" : cli.log_level, &err) < 0)
		return usage_error("", &err);
	c = find_command(argv[i]);
	if (!c) {
		rt_fail(&err, EINVAL, "unknown command \"%s\" (see runt --help)", argv[i]);
		return usage_error("", &err);
	}
	cli.help = false;
	return run_command(c, &cli, i + 1, argc, argv);
}
