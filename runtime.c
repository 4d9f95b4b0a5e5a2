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
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "cgroup.h"
#include "check.h"
#include "compat.h"
#include "exec.h"
#include "fmt.h"
#include "hooks.h"
#include "log.h"
#include "lsm.h"
#include "mini.h"
#include "mount.h"
#include "notify.h"
#include "seccomp.h"
#include "signals.h"
#include "spec.h"
#include "state.h"
#include "tty.h"

#define EXIT_USAGE 2
#define LIST_MAX   64

/* A repeatable flag (exec --env, --cap, --additional-gids). */
struct strlist {
	const char *v[LIST_MAX];
	int n;
};

/* The parsed command line: the one piece of state shared by every verb. */
struct cli {
	const char *root, *log, *log_format, *log_level, *rootless;
	bool debug, systemd_cgroup, help, version;
	const char *bundle, *pid_file, *console_socket, *format, *process;
	bool detach, keep, force, all, quiet, no_pivot, no_new_keyring, spec_rootless;
	bool is_rootless; /* --rootless, auto resolved (rootless_mode) */
	const char *preserve_fds;
	const char *cwd, *user, *cgroup, *process_label, *apparmor;
	bool tty, no_new_privs, ignore_paused;
	struct strlist env, caps, gids;
	const char *resources, *upd[RF_COUNT]; /* update: --resources, runc's limit flags */
	int argc;			       /* positional arguments after the verb's flags */
	char **argv;
};

enum flag_type { FL_BOOL, FL_STR, FL_LIST };

/* Narrow fields: 24 bytes an entry, not 32. */
struct flag {
	const char *name; /* long name; "-name" and "--name" are both accepted, as in runc */
	char short_name;
	uint8_t type; /* enum flag_type */
	uint16_t off; /* in struct cli */
	const char *help;
};

_Static_assert(sizeof(struct cli) <= UINT16_MAX, "struct flag's off reaches every member");

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
/* clang-format off */
#define F_LIST(n, s, field, h) { n, s, FL_LIST, offsetof(struct cli, field), h }
/* clang-format on */

static const struct flag global_flags[] = {
	F_STR("root", 0, root, "state directory (default /run/runt, $XDG_RUNTIME_DIR/runt)"),
	F_STR("log", 0, log, "log file"),
	F_STR("log-format", 0, log_format, "log format: text or json"),
	F_STR("log-level", 0, log_level, "error, warning, info or debug"),
	F_BOOL("debug", 0, debug, "debug logging"),
	F_BOOL("systemd-cgroup", 0, systemd_cgroup, "cgroupsPath is slice:prefix:name"),
	F_STR("rootless", 0, rootless, "auto (default), true or false"),
	F_BOOL("version", 'v', version, "print the version"),
	F_BOOL("help", 'h', help, "show help"),
	{ NULL },
};

/* create's flags are run's too: callers pass them the same way to both */
/* clang-format off */
#define CREATE_FLAGS \
	F_STR("bundle", 'b', bundle, "bundle directory (default .)"), \
	F_STR("pid-file", 0, pid_file, "write the init's pid here"), \
	F_STR("console-socket", 0, console_socket, "unix socket receiving the pty master"), \
	F_STR("preserve-fds", 0, preserve_fds, "pass this many extra fds (3..)"), \
	F_BOOL("no-pivot", 0, no_pivot, "MS_MOVE + chroot instead of pivot_root"), \
	F_BOOL("no-new-keyring", 0, no_new_keyring, "keep the caller's session keyring"), \
	F_BOOL("help", 'h', help, "show help")
/* clang-format on */

static const struct flag create_flags[] = {
	CREATE_FLAGS,
	{ NULL },
};

static const struct flag run_flags[] = {
	CREATE_FLAGS,
	F_BOOL("detach", 'd', detach, "return once the container runs"),
	F_BOOL("keep", 0, keep, "keep the container's state after it exits"),
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

static const struct flag check_flags[] = {
	F_STR("format", 'f', format, "text or json"),
	F_STR("bundle", 'b', bundle, "probe idmapped mounts on this bundle's filesystem"),
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

static const struct flag exec_flags[] = {
	F_STR("process", 'p', process, "process.json to run (as containerd and conmon do)"),
	F_STR("cwd", 0, cwd, "working directory inside the container"),
	F_LIST("env", 'e', env, "KEY=VALUE to add (repeatable)"),
	F_STR("user", 'u', user, "uid[:gid]"),
	F_LIST("additional-gids", 'g', gids, "supplementary group (repeatable)"),
	F_LIST("cap", 'c', caps, "capability to add (repeatable)"),
	F_BOOL("no-new-privs", 0, no_new_privs, "set no_new_privs"),
	F_BOOL("tty", 't', tty, "allocate a pseudo-terminal"),
	F_STR("console-socket", 0, console_socket, "unix socket receiving the pty master"),
	F_BOOL("detach", 'd', detach, "do not wait for the process"),
	F_STR("pid-file", 0, pid_file, "write the process's pid here"),
	F_STR("preserve-fds", 0, preserve_fds, "pass this many extra fds (3..)"),
	F_STR("cgroup", 0, cgroup,
	      "[<controller>:]<path>: sub-cgroup to run in (v2: no controller)"),
	F_STR("process-label", 0, process_label, "SELinux label of the process"),
	F_STR("apparmor", 0, apparmor, "AppArmor profile of the process"),
	F_BOOL("ignore-paused", 0, ignore_paused, "allow exec into a paused container"),
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
	if (f->type == FL_LIST) {
		struct strlist *l = (struct strlist *)((char *)cli + f->off);

		if (l->n >= LIST_MAX)
			return rt_fail(err, E2BIG, "flag %s given more than %d times", arg,
				       LIST_MAX);
		l->v[l->n++] = eq ? eq + 1 : argv[++*i];
		return 0;
	}
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
	struct passwd *pw = rt_getpwuid(geteuid());

	if (pw)
		rt_strlcpy(out, pw->pw_name, size);
	else
		rt_snprintf(out, size, "%u", (unsigned)geteuid());
}

static int resolve_bundle(const char *bundle, char *out, struct rt_err *err)
{
	if (!rt_realpath(bundle ? bundle : ".", out))
		return rt_sysfail(err, "bundle %s", bundle ? bundle : ".");
	return 0;
}

/* What later issues implement is refused loudly rather than ignored. */
static int refuse_unsupported(const struct cli *cli, const struct spec *s, struct rt_err *err)
{
	if (s->process.seccomp_tok >= 0)
		return rt_fail(err, ENOTSUP,
			       "config.json: .process.seccomp: a per-process profile is only "
			       "for exec");
	/* runc refuses maskedPaths, readonlyPaths and --no-pivot without one, and makes the
	 * other mounts in the caller's namespace: runt refuses every mount then, and only
	 * chroots (mnt_pivot) */
	if (!s->linux.ns[NS_MNT].enabled &&
	    (s->nmounts || s->linux.nmasked_paths || s->linux.nreadonly_paths || s->root_readonly ||
	     s->linux.rootfs_propagation || cli->no_pivot))
		return rt_fail(err, EINVAL,
			       "config.json: .linux.namespaces: no mount namespace: a mount would "
			       "be the caller's");
	if (cli->is_rootless && geteuid() && !s->linux.ns[NS_USER].enabled)
		return rt_fail(err, EPERM,
			       "config.json: .linux.namespaces: rootless needs a user namespace");
	return lsm_check(s->process.apparmor_profile, s->process.selinux_label,
			 s->linux.mount_label, err);
}

/* Where the pty master goes: the caller's --console-socket, or for a foreground `run`
 * runt's own socketpair, so that runt proxies the terminal to its stdio. */
static int plan_terminal(struct cli *cli, struct container *c, bool foreground, int *proxy,
			 struct rt_err *err)
{
	struct winsize ws;
	int sv[2];

	*proxy = -1;
	if (!c->proc->terminal && cli->console_socket)
		return rt_fail(err, EINVAL,
			       "--console-socket: the process has no terminal "
			       "(process.terminal is false)");
	if (!c->proc->terminal)
		return 0;
	if (cli->console_socket) {
		c->console_fd = tty_connect(cli->console_socket, err);
		return c->console_fd < 0 ? c->console_fd : 0;
	}
	if (!foreground)
		return rt_fail(err, EINVAL,
			       "process.terminal needs --console-socket when runt "
			       "does not stay in the foreground");
	if (rt_socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return rt_sysfail(err, "socketpair");
	/* the init sizes the pty (tty_setup) before the process can ask: the proxy's resize
	 * comes too late for a `stty size` at once */
	if (!c->proc->console_height && !c->proc->console_width && ioctl(0, TIOCGWINSZ, &ws) == 0) {
		struct spec_process *p = (struct spec_process *)c->proc; /* ours: spec or exec's */

		p->console_height = ws.ws_row;
		p->console_width = ws.ws_col;
	}
	c->console_fd = sv[1];
	*proxy = sv[0];
	return 0;
}

static int parse_count(const char *flag, const char *s, int *out, struct rt_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = s ? rt_strtol(s, &end, 10) : 0;
	if (s && (errno || *end || end == s || v < 0 || v > 4096))
		return rt_fail(err, EINVAL, "%s: invalid count \"%s\"", flag, s);
	*out = (int)v;
	return 0;
}

/* Socket activation: systemd's fds 3.. go through, and LISTEN_PID names the process as
 * the container sees it (filled in by the child). Our entries come first so they win. */
static int listen_env(struct container *c, int *nlisten, struct rt_err *err)
{
	const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
	static char listen_fds[32];
	const char **env;
	int n = 0, r;

	*nlisten = 0;
	if (!fds || (pid && rt_atoi(pid) != getpid()))
		return 0;
	if ((r = parse_count("LISTEN_FDS", fds, nlisten, err)) < 0 || !*nlisten)
		return r;
	while (c->proc->env[n])
		n++;
	env = calloc(n + 3, sizeof(*env));
	if (!env)
		return rt_errnofail(err, ENOMEM, "environment");
	rt_snprintf(listen_fds, sizeof(listen_fds), "LISTEN_FDS=%d", *nlisten);
	strcpy(c->listen_pid, "LISTEN_PID=");
	env[0] = listen_fds;
	env[1] = c->listen_pid;
	memcpy(env + 2, c->proc->env, n * sizeof(*env));
	c->env = env;
	return 0;
}

static int plan_fds(struct cli *cli, struct container *c, bool init, struct rt_err *err)
{
	int extra, nlisten = 0, r;

	if ((r = parse_count("--preserve-fds", cli->preserve_fds, &extra, err)) < 0)
		return r;
	if (init && (r = listen_env(c, &nlisten, err)) < 0)
		return r;
	c->nfds = nlisten + extra;
	return 0;
}

/* issue 6: compiled here, before anything exists, so a bad profile leaves nothing behind;
 * the cloned init inherits the program and only loads it. */
static int compile_seccomp(struct container *c, struct rt_err *err)
{
	struct spec *s = &c->spec;
	int r;

	if (s->linux.seccomp_tok < 0 || json_kind(&s->doc, s->linux.seccomp_tok) == JSON_NULL)
		return 0;
	if ((r = sc_compile(&s->doc, s->linux.seccomp_tok, ".linux.seccomp", &c->seccomp, err)) < 0)
		return r;
	log_msg(LOG_DEBUG, "seccomp: %u BPF instructions", c->seccomp.len);
	return sc_check_kernel(&c->seccomp, err);
}

static char **main_argv; /* what the sealed copy of runt is executed with */

/* CVE-2019-5736 (issue 17): a runt that a container's process can see runs from a sealed copy
 * (exec_seal_self). create's init waits for start as runt, where `exec` can reach it, and exec
 * joins a live container; so they always copy. run's init needs none when it is alone in
 * its pid namespace until it execs the user's program: a new namespace, and no
 * createContainer or startContainer hook (the latter is the image's binary) running beside
 * it. A namespace joined by path has other tenants. With no pid namespace the container's
 * processes do not exist yet, and another container sharing the host's pid namespace needs
 * CAP_SYS_PTRACE over runt's full capability set (cap_ptrace_access_check): it owns the
 * host already. Saves one execve of runt, ~0.3-0.8 ms of every run (bench/findings.md). */
static int seal_for(const struct container *c, bool run, struct rt_err *err)
{
	const struct spec_ns *pid = &c->spec.linux.ns[NS_PID];

	if (!run || (pid->enabled && pid->path) || c->spec.hooks[HOOK_CREATE_CONTAINER] ||
	    c->spec.hooks[HOOK_START_CONTAINER])
		return exec_seal_self(main_argv, err); /* a no-op in the copy, create's already */
	return 0;
}

static int load_bundle(struct cli *cli, struct container *c, bool run, char *bundle,
		       struct rt_err *err)
{
	int r;

	c->id = id_arg(cli);
	c->no_pivot = cli->no_pivot;
	c->no_new_keyring = cli->no_new_keyring;
	if ((r = spec_validate_id(c->id, err)) < 0 ||
	    (r = resolve_bundle(cli->bundle, bundle, err)) < 0)
		return r;
	c->bundle = bundle;
	if ((r = spec_load(&c->spec, bundle, err)) < 0 ||
	    (r = refuse_unsupported(cli, &c->spec, err)) < 0 || (r = seal_for(c, run, err)) < 0)
		return r;
	c->proc = &c->spec.process;
	return compile_seccomp(c, err);
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

/* Hooks need the state JSON members before clone, and NOTIFY_SOCKET adds a mount and an env
 * entry to the spec. start runs poststart and delete poststop hooks from a copy of
 * config.json (the bundle may have changed or gone by then); without them nothing needs
 * the copy, nor parses it again. */
static int prepare_hooks_notify(struct container *c, struct rt_err *err)
{
	int r;

	if ((r = hook_prepare(&c->hooks, &c->spec, c->id, c->bundle, err)) < 0 ||
	    (hook_any(&c->spec, HOOK_POSTSTART, HOOK_POSTSTOP) &&
	     (r = state_save_config(&c->st, c->bundle, err)) < 0))
		return r;
	return notify_prepare(&c->notify, &c->spec, &c->st, err);
}

static int prepare_host(struct cli *cli, struct container *c, struct rt_err *err)
{
	int r;

	if ((r = cg_resolve(&c->cg, &c->spec, c->id, cli->systemd_cgroup, err)) < 0)
		return r;
	c->cg.rootless = cli->is_rootless;
	if ((c->cg.path[0] && (r = state_record_cgroup(&c->st, c->cg.path, c->cg.bus, err)) < 0) ||
	    (r = cg_create(&c->cg, &c->spec, err)) < 0)
		return r;
	/* rootless without a writable cgroup: none */
	if (!c->cg.path[0])
		unlinkat(c->st.dirfd, STATE_CGROUP, 0);
	if ((r = make_fifo(c, err)) < 0 || (r = prepare_hooks_notify(c, err)) < 0)
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
	rt_strlcpy(st->bundle, c->bundle, sizeof(st->bundle));
	rt_strlcpy(st->rootfs, c->spec.root_path, sizeof(st->rootfs));
	rt_strlcpy(st->cgroup, c->cg.path, sizeof(st->cgroup));
	if (RUNT_SYSTEMD_CGROUP) /* run's own delete stops the unit too */
		rt_strlcpy(st->bus, c->cg.bus, sizeof(st->bus));
	log_rfc3339(st->created, sizeof(st->created));
	owner_name(st->owner, sizeof(st->owner));
	/* the annotations JSON that hook_prepare already built for the hooks' state */
	if (c->hooks.annotations && !(st->annotations = strdup(c->hooks.annotations)))
		return rt_errnofail(err, ENOMEM, "annotations");
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
	if (c->cg.created && RUNT_SYSTEMD_CGROUP) /* a scope is stopped, as delete stops it */
		cg_destroy(c->cg.path, c->cg.bus, &ignored);
	else if (c->cg.created)
		cg_remove(c->cg.path, &ignored);
	cg_close(&c->cg);
	state_remove(&c->st, &ignored);
	/* once an init existed the lifecycle goes on at poststop (runtime-spec; runc too) */
	if (c->pid > 0)
		hook_run_warn(&c->spec, HOOK_POSTSTOP, &c->hooks, "stopped", 0);
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

/* What runt owes a new init, done while it sets itself up on the other CPU: its state (the
 * pid is final unless a grandchild becomes the init) and, for `run`, its start: the fifo's
 * byte waits for the init, which then execs without asking runt again. */
static int owe_init(struct container *c, bool run, struct rt_err *err)
{
	int r;

	if ((r = record_state(c, err)) < 0)
		return r;
	if (run &&
	    ((r = notify_open(&c->notify, &c->st, err)) < 0 || (r = release_init(&c->st, err)) < 0))
		return r;
	return 0;
}

static int create_container(struct cli *cli, struct container *c, bool run, int *proxy,
			    struct rt_err *err)
{
	static char bundle[PATH_MAX];
	int r;

	if ((r = load_bundle(cli, c, run, bundle, err)) < 0 ||
	    (r = plan_fds(cli, c, true, err)) < 0 ||
	    (r = plan_terminal(cli, c, run && !cli->detach, proxy, err)) < 0)
		return r;
	if ((r = state_create(&c->st, cli->root, c->id, err)) < 0)
		return r;
	if ((r = prepare_host(cli, c, err)) < 0 || (r = exec_spawn(c, err)) < 0)
		goto out_rollback;
	if (!c->ns.grandchild && (r = owe_init(c, run, err)) < 0)
		goto out_kill;
	if ((r = exec_wait_ready(c, err)) < 0)
		goto out_rollback;
	if (c->ns.grandchild && (r = owe_init(c, run, err)) < 0)
		goto out_kill;
	/* once the init is ready: a failed create leaves no pid file behind */
	if (cli->pid_file && (r = state_write_pidfile(cli->pid_file, c->pid, err)) < 0)
		goto out_kill;
	cg_close(&c->cg);
	return 0;
out_kill:
	exec_kill(c);
out_rollback:
	rollback(c);
	return r;
}

static int cmd_create(struct cli *cli, struct rt_err *err)
{
	static struct container c; /* zeroed storage: see exec_init */
	int proxy, r;

	exec_init(&c);
	sigprocmask(SIG_SETMASK, NULL, &c.sigmask);
	r = create_container(cli, &c, false, &proxy, err);
	if (r == 0)
		exec_release(&c);
	return r;
}

static int open_container(struct cli *cli, struct rt_state *st, bool lock, struct rt_err *err)
{
	return state_open(st, cli->root, id_arg(cli), lock, err);
}

/* After the release: poststart hooks (warnings only), then READY=1 when proxying sd_notify.
 * The lock goes first: a hook or the caller may `runt kill` meanwhile. */
static int after_start(struct rt_state *st, struct notify *n, struct rt_err *err)
{
	struct hook_info hi;
	struct spec saved;

	state_unlock(st);
	if (hook_load_saved(&saved, st)) {
		hook_info_from_state(&hi, st);
		hook_run_warn(&saved, HOOK_POSTSTART, &hi, "running", st->pid);
		spec_free(&saved);
	}
	return notify_wait_ready(n, err);
}

static int cmd_start(struct cli *cli, struct rt_err *err)
{
	struct notify n;
	struct rt_state st;
	enum rt_status s;
	int r;

	notify_init(&n);
	if ((r = open_container(cli, &st, true, err)) < 0)
		goto out;
	s = state_status(&st);
	if (s != ST_CREATED) {
		r = rt_fail(err, EINVAL, "cannot start a container that is %s (it must be created)",
			    state_status_name(s));
		goto out;
	}
	if ((r = notify_open(&n, &st, err)) == 0 && (r = release_init(&st, err)) == 0)
		r = after_start(&st, &n, err);
out:
	notify_close(&n);
	state_close(&st);
	return r;
}

static int cmd_state(struct cli *cli, struct rt_err *err)
{
	char buf[65536];
	struct rt_state st;
	int r;

	/* no state.json (a create running or killed): runc says so, and `delete` cleans up */
	if ((r = open_container(cli, &st, false, err)) == 0 && !st.loaded)
		r = rt_fail(err, ENOENT, "container \"%s\" does not exist", st.id);
	if (r == 0 && (r = state_format(&st, buf, sizeof(buf), err)) == 0)
		rt_out(buf);
	state_close(&st);
	return r;
}

static int signal_container(struct rt_state *st, int sig, bool all, struct rt_err *err)
{
	enum rt_status s = state_status(st);

	/* --all of a stopped container signals what is left in its cgroup, maybe nothing, and
	 * succeeds (runc does): containerd's CRI kills every task with --all before deleting it */
	if (all && st->cgroup[0] && s != ST_CREATING)
		return cg_kill_all(st->cgroup, sig, err);
	if (s == ST_STOPPED || s == ST_CREATING)
		return rt_fail(err, ESRCH, RT_NOT_RUNNING);
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

/* Wait until the init is gone: a pidfd turns readable when the process exits; without
 * pidfds (before 5.3) a moment, then cg_destroy waits for the cgroup to empty. */
static void kill_and_wait(struct rt_state *st)
{
	struct rt_err ignored;
	int fd = state_pidfd(st, &ignored);
	struct pollfd p = { fd, POLLIN, 0 };

	if (fd < 0 && fd != -ENOSYS)
		return;
	rt_signal(fd, st->pid, SIGKILL);
	poll(&p, 1, fd < 0 ? 100 : 10000);
	if (fd >= 0)
		close(fd);
}

static int destroy_container(struct rt_state *st, struct rt_err *err)
{
	int r;

	kill_and_wait(st);
	if (st->cgroup[0] && (r = cg_destroy(st->cgroup, st->bus, err)) < 0)
		return r;
	return state_remove(st, err);
}

/* poststop runs once the container is gone; its hooks are read before the state dir goes. */
static int destroy(struct rt_state *st, struct rt_err *err)
{
	struct hook_info hi;
	struct spec saved;
	bool hooks = hook_load_saved(&saved, st);
	int r = destroy_container(st, err);

	if (hooks && r == 0) {
		hook_info_from_state(&hi, st);
		hook_run_warn(&saved, HOOK_POSTSTOP, &hi, "stopped", 0);
	}
	if (hooks)
		spec_free(&saved);
	return r;
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

static void forwarded_signals(sigset_t *set)
{
	static const int never[] = { SIGKILL, SIGSTOP, SIGSEGV, SIGBUS, SIGILL,
				     SIGFPE,  SIGABRT, SIGTRAP, SIGSYS };

	sigfillset(set);
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		sigdelset(set, never[i]);
}

/* Reap children; the exit code of pid once it is among them, else -1. */
static int reap(pid_t pid)
{
	int status, code = -1;
	pid_t p;

	while ((p = waitpid(-1, &status, WNOHANG)) > 0)
		if (p == pid)
			code = exit_code(status);
	return code;
}

/* One signal read from the signalfd: SIGCHLD reaps, SIGWINCH resizes our pty, every
 * other signal goes to the process. Returns its exit code once it is gone, else -1. */
static int on_signal(struct container *c, int sfd, struct tty_proxy *t)
{
	struct signalfd_siginfo si;

	if (read(sfd, &si, sizeof(si)) != sizeof(si))
		return -1;
	if (si.ssi_signo == SIGCHLD)
		return reap(c->pid);
	if (si.ssi_signo == SIGWINCH && t)
		tty_proxy_winch(t);
	else
		rt_signal(c->pidfd, c->pid, (int)si.ssi_signo);
	return -1;
}

/* Foreground `run`/`exec`: forward signals (runt is a subreaper, so a grandchild init
 * comes back to it too), sd_notify messages under NOTIFY_SOCKET and, with a terminal and
 * no console socket, the pty. */
static int wait_foreground(struct container *c, const sigset_t *set, int master)
{
	struct tty_proxy t;
	int sfd = signalfd(-1, set, SFD_CLOEXEC), code = -1;

	if (master >= 0)
		tty_proxy_start(&t, master);
	while (code < 0) {
		struct pollfd p[4] = {
			{ sfd, POLLIN, 0 },
			{ master >= 0 && t.out_open ? master : -1, POLLIN, 0 },
			{ master >= 0 && t.in_open ? 0 : -1, POLLIN, 0 },
			{ notify_fd(&c->notify), POLLIN, 0 },
		};

		if (poll(p, 4, -1) < 0)
			continue;
		if (p[3].revents)
			notify_forward(&c->notify);
		if (p[1].revents)
			tty_proxy_io(&t, master);
		if (p[2].revents)
			tty_proxy_io(&t, 0);
		if (p[0].revents)
			code = on_signal(c, sfd, master >= 0 ? &t : NULL);
	}
	if (master >= 0)
		tty_proxy_stop(&t);
	close(sfd);
	return code;
}

static int receive_master(int proxy, int *master, struct rt_err *err)
{
	*master = -1;
	if (proxy < 0)
		return 0;
	*master = tty_recv_master(proxy, err);
	close(proxy);
	return *master < 0 ? *master : 0;
}

/* `run -d` returns once the container runs, or once it sent READY=1 under NOTIFY_SOCKET;
 * a container that never gets ready is not left behind. */
static int run_detached(struct container *c, struct rt_err *err)
{
	struct rt_err ignored;
	int r = notify_wait_ready(&c->notify, err);

	if (r < 0 && state_lock(&c->st, &ignored) == 0)
		destroy(&c->st, &ignored);
	exec_release(c);
	return r;
}

static int cmd_run(struct cli *cli, struct rt_err *err)
{
	struct rt_err ignored;
	static struct container c; /* zeroed storage: see exec_init */
	sigset_t set;
	int r, code, proxy, master;

	exec_init(&c);
	forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &c.sigmask);
	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	if ((r = create_container(cli, &c, true, &proxy, err)) < 0)
		return r;
	if ((r = receive_master(proxy, &master, err)) < 0) {
		destroy(&c.st, &ignored);
		exec_release(&c);
		return r;
	}
	/* while it runs, `runt kill`/`state` from elsewhere (or a hook) must get the lock */
	state_unlock(&c.st);
	hook_run_warn(&c.spec, HOOK_POSTSTART, &c.hooks, "running", c.pid);
	if (cli->detach)
		return run_detached(&c, err);
	code = wait_foreground(&c, &set, master);
	notify_handback(&c.notify);
	exec_release(&c);
	if (!cli->keep && ((r = state_lock(&c.st, err)) < 0 || (r = destroy(&c.st, err)) < 0))
		return r;
	state_close(&c.st);
	return code;
}

/* exec: a process built from flags on top of the container's own process (runc's rules:
 * env added to, caps added to bounding/effective/permitted, the rest replaced). */
static int exec_user(const char *user, struct spec_process *p, struct rt_err *err)
{
	unsigned long uid, gid;
	char *end;

	errno = 0;
	uid = rt_strtoul(user, &end, 10);
	gid = *end == ':' ? rt_strtoul(end + 1, &end, 10) : p->user.gid;
	if (errno || *end || end == user || uid > UINT32_MAX || gid > UINT32_MAX)
		return rt_fail(err, EINVAL, "--user: expected uid[:gid], got \"%s\"", user);
	p->user.uid = (uint32_t)uid;
	p->user.gid = (uint32_t)gid;
	return 0;
}

static int exec_gids(const struct strlist *l, struct spec_process *p, struct rt_err *err)
{
	static uint32_t gids[LIST_MAX];

	for (int i = 0; i < l->n; i++) {
		char *end;
		unsigned long g = rt_strtoul(l->v[i], &end, 10);

		if (*end || end == l->v[i] || g > UINT32_MAX)
			return rt_fail(err, EINVAL, "--additional-gids: invalid gid \"%s\"",
				       l->v[i]);
		gids[i] = (uint32_t)g;
	}
	if (l->n) {
		p->user.additional_gids = gids;
		p->user.ngids = l->n;
	}
	return 0;
}

static int exec_caps(const struct strlist *l, struct spec_process *p, struct rt_err *err)
{
	for (int i = 0; i < l->n; i++) {
		int cap = caps_by_name(l->v[i]);

		if (cap < 0) {
			caps_unknown("--cap", l->v[i]);
			continue;
		}
		p->caps[CAPSET_BOUNDING] |= 1ull << cap;
		p->caps[CAPSET_EFFECTIVE] |= 1ull << cap;
		p->caps[CAPSET_PERMITTED] |= 1ull << cap;
		p->caps_set = true;
	}
	return 0;
}

/* --env KEY=V replaces KEY in the container's environment or adds it. */
static int exec_env(const struct strlist *l, struct spec_process *p, struct rt_err *err)
{
	static const char *env[512];
	int n = 0;

	for (const char *const *e = p->env; *e && n < 448; e++) {
		bool replaced = false;

		for (int i = 0; i < l->n; i++) {
			const char *eq = strchr(l->v[i], '=');

			replaced |= eq && !strncmp(*e, l->v[i], eq - l->v[i] + 1);
		}
		if (!replaced)
			env[n++] = *e;
	}
	for (int i = 0; i < l->n; i++) {
		if (!strchr(l->v[i], '='))
			return rt_fail(err, EINVAL, "--env: expected KEY=VALUE, got \"%s\"",
				       l->v[i]);
		env[n++] = l->v[i];
	}
	env[n] = NULL;
	p->env = env;
	return 0;
}

static int exec_from_flags(struct cli *cli, struct spec_process *p, struct rt_err *err)
{
	int r;

	if (cli->argc < 2)
		return rt_fail(err, EINVAL, "needs a command (or --process FILE)");
	p->args = (const char **)cli->argv + 1;
	p->nargs = cli->argc - 1;
	p->terminal = cli->tty;
	p->no_new_privileges |= cli->no_new_privs;
	if (cli->cwd)
		p->cwd = cli->cwd;
	if (cli->user && (r = exec_user(cli->user, p, err)) < 0)
		return r;
	if ((r = exec_gids(&cli->gids, p, err)) < 0 || (r = exec_caps(&cli->caps, p, err)) < 0)
		return r;
	return exec_env(&cli->env, p, err);
}

/* --process FILE: a whole runtime-spec process object, as containerd and conmon send. */
static int exec_from_file(const char *path, struct spec *ps, struct rt_err *err)
{
	struct stat st;
	char *buf;
	ssize_t n;
	int fd = rt_open(path, O_RDONLY | O_CLOEXEC), r;

	if (fd < 0)
		return rt_sysfail(err, "open %s", path);
	if (rt_fstat(fd, &st) < 0 || !(buf = malloc(st.st_size + 1))) {
		close(fd);
		return rt_sysfail(err, "read %s", path);
	}
	n = read(fd, buf, st.st_size);
	close(fd);
	if (n != st.st_size) {
		free(buf);
		return rt_sysfail(err, "read %s", path);
	}
	buf[n] = '\0';
	r = spec_parse_process_doc(ps, buf, n, "process.json", err);
	if (r < 0)
		free(buf);
	else
		ps->doc_owned = true;
	return r;
}

/* A paused container would freeze us. */
static int exec_check(struct cli *cli, struct rt_state *st, struct rt_err *err)
{
	enum rt_status s = state_status(st);

	if (s == ST_STOPPED || s == ST_CREATING)
		return rt_fail(err, EINVAL, "cannot exec in a %s container", state_status_name(s));
	if (s == ST_PAUSED && !cli->ignore_paused)
		return rt_fail(err, EINVAL,
			       "cannot exec in a paused container (use --ignore-paused)");
	return 0;
}

/* As in runc: --apparmor and --process-label, else the process's own, else the container's. */
static int exec_labels(struct cli *cli, struct spec_process *p, const struct spec_process *cp,
		       struct rt_err *err)
{
	const char **aa = &p->apparmor_profile, **se = &p->selinux_label;

	if (cli->apparmor)
		*aa = cli->apparmor;
	if (cli->process_label)
		*se = cli->process_label;
	if (!*aa || !**aa)
		*aa = cp->apparmor_profile;
	if (!*se || !**se)
		*se = cp->selinux_label;
	return lsm_check(*aa, *se, NULL, err);
}

/* The container's cgroup (or a sub-cgroup of it, --cgroup) for clone3 CLONE_INTO_CGROUP.
 * runc's [<controller>:]<path>: "sub", "/sub" and ":sub" name the same sub-cgroup ("/" the
 * container's own); cgroup v2 has no per-controller paths, so runc refuses a controller. */
static int exec_cgroup(struct cli *cli, struct container *c, struct rt_err *err)
{
	const char *sub = cli->cgroup ? cli->cgroup : "", *colon = strchr(sub, ':');
	char path[PATH_MAX];

	if (!c->st.cgroup[0])
		return 0;
	if (colon && colon != sub)
		return rt_fail(err, EINVAL,
			       "--cgroup: unknown controller \"%.*s\" (cgroup v2 has one "
			       "hierarchy: give only a path)",
			       (int)(colon - sub), sub);
	if (colon)
		sub = colon + 1;
	sub += strspn(sub, "/");
	if (strchr(sub, ':') || rt_strstr(sub, ".."))
		return rt_fail(err, EINVAL, "--cgroup: \"%s\" is not a sub-cgroup", cli->cgroup);
	if ((size_t)rt_snprintf(path, sizeof(path), "%s%s%s", c->st.cgroup, *sub ? "/" : "", sub) >=
	    sizeof(path))
		return rt_fail(err, ENAMETOOLONG, "--cgroup: path too long");
	rt_strlcpy(c->cg.path, path, sizeof(c->cg.path));
	c->cg.dirfd = rt_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return c->cg.dirfd < 0 ? rt_sysfail(err, "open cgroup %s", path) : 0;
}

/* The process's own profile (process.json's "seccomp"), else the container's. */
static int exec_seccomp(struct container *c, struct spec *ps, struct rt_err *err)
{
	int tok = ps->doc.tok ? ps->process.seccomp_tok : -1;

	if (tok < 0 || json_kind(&ps->doc, tok) == JSON_NULL)
		return compile_seccomp(c, err);
	if (sc_compile(&ps->doc, tok, ".seccomp", &c->seccomp, err) < 0)
		return -err->code;
	return sc_check_kernel(&c->seccomp, err);
}

static int exec_prepare(struct cli *cli, struct container *c, struct spec *ps, int *proxy,
			struct rt_err *err)
{
	static struct spec_process proc;
	struct spec_process *p = &proc;
	int r;

	if ((r = exec_check(cli, &c->st, err)) < 0 ||
	    (r = spec_load(&c->spec, c->st.bundle, err)) < 0)
		return r;
	c->id = c->st.id;
	c->bundle = c->st.bundle;
	c->pid = c->st.pid;
	if (cli->process) {
		if ((r = exec_from_file(cli->process, ps, err)) < 0)
			return r;
		p = &ps->process;
	} else {
		proc = c->spec.process;
		if ((r = exec_from_flags(cli, &proc, err)) < 0)
			return r;
	}
	c->proc = p;
	if ((r = exec_labels(cli, p, &c->spec.process, err)) < 0 ||
	    (r = exec_seccomp(c, ps, err)) < 0 || (r = plan_fds(cli, c, false, err)) < 0 ||
	    (r = plan_terminal(cli, c, !cli->detach, proxy, err)) < 0 ||
	    (r = exec_cgroup(cli, c, err)) < 0)
		return r;
	return exec_plan_join(&c->ns, c->st.pid, err);
}

static int cmd_exec(struct cli *cli, struct rt_err *err)
{
	static struct container c; /* zeroed storage: see exec_init */
	struct spec ps = { 0 };
	sigset_t set;
	int r, proxy = -1, master = -1;

	exec_init(&c);
	forwarded_signals(&set);
	sigprocmask(SIG_BLOCK, &set, &c.sigmask);
	r = open_container(cli, &c.st, true, err);
	if (r == 0)
		r = exec_prepare(cli, &c, &ps, &proxy, err);
	if (r == 0)
		r = exec_join(&c, err);
	if (r == 0)
		r = receive_master(proxy, &master, err);
	if (r == 0 && cli->pid_file)
		r = state_write_pidfile(cli->pid_file, c.pid, err);
	state_unlock(&c.st);
	if (r == 0 && !cli->detach)
		r = wait_foreground(&c, &set, master);
	exec_release(&c);
	cg_close(&c.cg);
	state_close(&c.st);
	return r;
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
		rt_printf("%s\n", st->id);
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
		rt_printf("%-12s %-8d %-10s %-40s %-32s %s\n", st->id, pid, state_status_name(s),
			  st->bundle, st->created, st->owner);
	}
	l->n++;
}

static int list_one(const char *id, void *arg)
{
	struct list_ctx *l = arg;
	struct rt_state st;
	struct rt_err ignored;

	/* as runc: a container without state.json yet (or ever) is not listed */
	if (state_open(&st, l->cli->root, id, false, &ignored) == 0 && st.loaded)
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
		rt_printf("%-12s %-8s %-10s %-40s %-32s %s\n", "ID", "PID", "STATUS", "BUNDLE",
			  "CREATED", "OWNER");
	if ((r = state_list(cli->root, list_one, &l, err)) < 0)
		return r;
	if (json && !cli->quiet)
		rt_printf("[%s]\n", buf);
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
	rt_snprintf(path, sizeof(path), "%s/config.json", cli->bundle ? cli->bundle : ".");
	fd = rt_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
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

static const char *hook_name_at(int i)
{
	return spec_hook_name(i);
}

/* Exactly what this build implements: callers (containerd's idmap check, CRI) trust it. */
static int cmd_features(struct cli *cli, struct rt_err *err)
{
	static char buf[16384];
	struct jw w;

	jw_init(&w, buf, sizeof(buf));
	jw_raw(&w, "{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"" SPEC_OCI_VERSION "\",");
	json_list(&w, "hooks", hook_name_at, HOOK_COUNT);
	jw_raw(&w, ",");
	json_list(&w, "mountOptions", mnt_option_name, mnt_option_count());
	jw_raw(&w, ",\"linux\":{");
	json_list(&w, "namespaces", ns_name_sorted, 8);
	jw_raw(&w, ",");
	json_list(&w, "capabilities", caps_name, caps_count());
	jw_raw(&w, RUNT_SYSTEMD_CGROUP
		       ? ",\"cgroup\":{\"v1\":false,\"v2\":true,\"systemd\":true,"
			 "\"systemdUser\":true,\"rdma\":true},\"seccomp\":{\"enabled\":true,"
		       : ",\"cgroup\":{\"v1\":false,\"v2\":true,\"systemd\":false,"
			 "\"systemdUser\":false,\"rdma\":true},\"seccomp\":{\"enabled\":true,");
	json_list(&w, "actions", sc_action_name, 64);
	jw_raw(&w, ",");
	json_list(&w, "operators", sc_op_name, 64);
	jw_raw(&w, ",");
	json_list(&w, "archs", sc_arch_name, 64);
	jw_printf(&w, "},\"apparmor\":{\"enabled\":%s},\"selinux\":{\"enabled\":%s},",
		  lsm_enabled(LSM_APPARMOR) ? "true" : "false",
		  lsm_enabled(LSM_SELINUX) ? "true" : "false");
	jw_raw(&w, "\"intelRdt\":{\"enabled\":false},"
		   "\"mountExtensions\":{\"idmap\":{\"enabled\":true}}},");
	jw_raw(&w, "\"annotations\":{\"org.opencontainers.runtime-spec.features\":\"runt\","
		   "\"io.github.runt.version\":\"" RUNT_VERSION
		   "\",\"io.github.runt.commit\":\"" RUNT_COMMIT "\"}}\n");
	if (w.overflow)
		return rt_fail(err, E2BIG, "features: output too large");
	rt_out(buf);
	return 0;
}

/* Probes only: what this kernel offers runt (exit status 0: a default container can run). */
static int cmd_check(struct cli *cli, struct rt_err *err)
{
	static char buf[8192];
	bool json = cli->format && !strcmp(cli->format, "json");
	int r;

	if (cli->format && !json && strcmp(cli->format, "text"))
		return rt_fail(err, EINVAL, "--format: unknown format \"%s\"", cli->format);
	r = chk_run(cli->root, cli->bundle ? cli->bundle : ".", json, buf, sizeof(buf), err);
	rt_out(buf);
	return r;
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
	rt_out(json ? "[" : "PID\n");
	for (int i = 0; i < n; i++) {
		if (json)
			rt_printf("%s%d", i ? "," : "", (int)pids[i]);
		else
			rt_printf("%d\n", (int)pids[i]);
	}
	if (json)
		rt_printf("%s\n", "]");
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

/* Refused on principle: runt carries no CRIU. Its flags (containerd and podman pass
 * --image-path, --work-path, --leave-running...) are not parsed, so the caller gets this
 * message in --log rather than "unknown flag". */
static int cmd_criu(struct cli *cli, struct rt_err *err)
{
	return rt_fail(err, ENOTSUP, "checkpoint/restore is not supported by runt (no CRIU)");
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
	{ "check", cmd_check, check_flags, 0, 0, "[--format text|json] [--bundle DIR]",
	  "probe the kernel for what runt uses" },
	{ "exec", cmd_exec, exec_flags, 1, 100000, "[flags] ID [COMMAND ARGS...]",
	  "run a new process in a running container" },
	{ "update", cmd_update, update_flags, 1, 1, "[--resources FILE|-] [flags] ID",
	  "change a container's resource limits live" },
	{ "checkpoint", cmd_criu, NULL, 0, 100000, "", "not supported (no CRIU)" },
	{ "restore", cmd_criu, NULL, 0, 100000, "", "not supported (no CRIU)" },
};

#define NCOMMANDS (int)(sizeof(commands) / sizeof(commands[0]))

static void print_flags(const struct flag *f)
{
	for (; f->name; f++) {
		char name[48], shrt[8] = "";

		if (f->short_name)
			rt_snprintf(shrt, sizeof(shrt), "-%c, ", f->short_name);
		rt_snprintf(name, sizeof(name), "%s--%s%s", shrt, f->name,
			    f->type == FL_STR ? " VALUE" : "");
		rt_printf("   %-28s %s\n", name, f->help);
	}
}

static void usage(void)
{
	rt_printf("runt - a tiny OCI container runtime\n\nusage: runt [global flags] COMMAND "
		  "[flags] [args]\n\ncommands:\n");
	for (int i = 0; i < NCOMMANDS; i++)
		rt_printf("   %-10s %s\n", commands[i].name, commands[i].help);
	rt_printf("\nglobal flags:\n");
	print_flags(global_flags);
}

static void command_usage(const struct command *c)
{
	rt_printf("usage: runt %s %s\n\n%s\n", c->name, c->usage, c->help);
	if (c->flags) {
		rt_printf("\nflags:\n");
		print_flags(c->flags);
	}
}

static void version(void)
{
	rt_printf("runt version %s\ncommit: %s\nspec: %s\n", RUNT_VERSION, RUNT_COMMIT,
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
	rt_dprintf(2, "runt: %s%s%s\n", what, *what ? ": " : "", err->msg);
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

	rt_dprintf(2, "runt: %s%s%s: %s\n", c->name, *id ? " " : "", id, err->msg);
	log_msg(LOG_ERROR, "%s%s%s: %s", c->name, *id ? " " : "", id, err->msg);
	return EXIT_FAILURE;
}

static int run_command(const struct command *c, struct cli *cli, int i, int argc, char **argv)
{
	struct rt_err err = { 0 };
	int r;

	/* a command without a flag table takes its arguments as they are */
	if (c->flags && parse_flags(cli, c->flags, &i, argc, argv, &err) < 0)
		return usage_error(c->name, &err);
	if (cli->help) {
		command_usage(c);
		return 0;
	}
	cli->argc = argc - i;
	cli->argv = argv + i;
	if (check_args(c, cli, &err) < 0)
		return usage_error(c->name, &err);
	/* every runt a container may see runs from a copy it cannot write (seal_for) */
	r = c->fn == cmd_exec || c->fn == cmd_create ? exec_seal_self(main_argv, &err) : 0;
	if (r == 0)
		r = c->fn(cli, &err);
	if (r < 0)
		return report(c, cli, &err);
	return r;
}

/* runc's rootless: auto is an unprivileged euid, or root in a user namespace (whose host
 * cgroups belong to someone else); an unprivileged user's state lives in its runtime dir. */
static int rootless_mode(struct cli *cli, struct rt_err *err)
{
	static const struct flag f = F_BOOL("rootless", 0, is_rootless, "");
	static char root[PATH_MAX];
	const char *xdg = getenv("XDG_RUNTIME_DIR"), *user = getenv("USER");
	char map[40] = "";
	int fd = rt_open("/proc/self/uid_map", O_RDONLY | O_CLOEXEC);
	bool userns;

	(void)!read(fd, map, sizeof(map) - 1);
	close(fd);
	userns = strncmp(map + 22, "4294967295", 10);
	if (!cli->root) {
		cli->root = "/run/runt";
		/* also root in a user namespace (rootless podman), unless $USER says root */
		if ((geteuid() || (userns && (!user || strcmp(user, "root")))) && xdg && *xdg) {
			rt_snprintf(root, sizeof(root), "%s/runt", xdg);
			cli->root = root;
		}
	}
	if (cli->rootless && strcmp(cli->rootless, "auto"))
		return set_bool(cli, &f, cli->rootless, err);
	cli->is_rootless = geteuid() || userns;
	return 0;
}

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct rt_err err = { 0 };
	const struct command *c;
	int i = 1;

	main_argv = argv;
	if (parse_flags(&cli, global_flags, &i, argc, argv, &err) < 0 ||
	    rootless_mode(&cli, &err) < 0)
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
