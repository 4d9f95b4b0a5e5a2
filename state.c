/* state.c - owns <root>/<id>/: exclusive creation, flock serialisation, atomic state.json
 * (tmp + rename, so a reader never sees half a file) and pid-reuse-safe liveness. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "compat.h"
#include "fmt.h"
#include "json.h"
#include "mini.h"
#include "spec.h"
#include "state.h"

static const char *const status_names[] = {
	[ST_CREATING] = "creating", [ST_CREATED] = "created", [ST_RUNNING] = "running",
	[ST_PAUSED] = "paused",	    [ST_STOPPED] = "stopped",
};

const char *state_status_name(enum rt_status s)
{
	return status_names[s];
}

static void state_init(struct rt_state *st, const char *id)
{
	memset(st, 0, sizeof(*st));
	st->dirfd = -1;
	rt_strlcpy(st->id, id, sizeof(st->id));
}

/* The root exists as a rule: one stat, not a mkdir per component. */
static int mkdir_p(const char *path, mode_t mode, struct rt_err *err)
{
	char tmp[PATH_MAX];
	struct stat sb;

	if (rt_stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return 0;
	if (rt_strlcpy(tmp, path, sizeof(tmp)) >= sizeof(tmp))
		return rt_fail(err, ENAMETOOLONG, "%s: path too long", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return rt_sysfail(err, "mkdir %s", tmp);
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return rt_sysfail(err, "mkdir %s", tmp);
	return 0;
}

int state_lock(struct rt_state *st, struct rt_err *err)
{
	if (flock(st->dirfd, LOCK_EX) < 0)
		return rt_sysfail(err, "lock %s", st->dir);
	return 0;
}

void state_unlock(struct rt_state *st)
{
	flock(st->dirfd, LOCK_UN);
}

int state_create(struct rt_state *st, const char *root, const char *id, struct rt_err *err)
{
	int r;

	state_init(st, id);
	if ((r = mkdir_p(root, 0700, err)) < 0)
		return r;
	if ((size_t)rt_snprintf(st->dir, sizeof(st->dir), "%s/%s", root, id) >= sizeof(st->dir))
		return rt_fail(err, ENAMETOOLONG, "state directory for \"%s\": path too long", id);
	if (mkdir(st->dir, 0711) < 0) {
		if (errno == EEXIST)
			return rt_fail(err, EEXIST, "container \"%s\" already exists", id);
		return rt_sysfail(err, "mkdir %s", st->dir);
	}
	st->dirfd = rt_open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		r = rt_sysfail(err, "open %s", st->dir);
		rmdir(st->dir);
		return r;
	}
	return state_lock(st, err);
}

static int load_fields(struct rt_state *st, struct json *j, struct rt_err *err);

static int state_read(struct rt_state *st, struct rt_err *err)
{
	char buf[65536];
	struct json j;
	ssize_t n;
	int fd, r;

	if (RUNT_SYSTEMD_CGROUP) { /* state_init zeroed st */
		n = readlinkat(st->dirfd, STATE_BUS, st->bus, sizeof(st->bus) - 1);
		st->bus[n > 0 ? n : 0] = '\0';
	}
	fd = openat(st->dirfd, STATE_FILE, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* a create still running, or killed: its cgroup is all there is to know */
		n = readlinkat(st->dirfd, STATE_CGROUP, st->cgroup, sizeof(st->cgroup) - 1);
		st->cgroup[n > 0 ? n : 0] = '\0';
		return 0;
	}
	if (fd < 0)
		return rt_sysfail(err, "open %s/%s", st->dir, STATE_FILE);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return rt_sysfail(err, "read %s/%s", st->dir, STATE_FILE);
	buf[n] = '\0';
	r = json_parse(&j, STATE_FILE, buf, n, err);
	if (r == 0)
		r = load_fields(st, &j, err);
	json_free(&j);
	st->loaded = r == 0;
	return r;
}

int state_open(struct rt_state *st, const char *root, const char *id, bool lock, struct rt_err *err)
{
	int r;

	state_init(st, id);
	if ((r = spec_validate_id(id, err)) < 0)
		return r;
	if ((size_t)rt_snprintf(st->dir, sizeof(st->dir), "%s/%s", root, id) >= sizeof(st->dir))
		return rt_fail(err, ENAMETOOLONG, "container \"%s\" does not exist", id);
	st->dirfd = rt_open(st->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (st->dirfd < 0) {
		if (errno == ENOENT)
			return rt_fail(err, ENOENT, "container \"%s\" does not exist", id);
		return rt_sysfail(err, "open %s", st->dir);
	}
	if (lock && (r = state_lock(st, err)) < 0)
		return r;
	return state_read(st, err);
}

void state_close(struct rt_state *st)
{
	if (st->dirfd >= 0)
		close(st->dirfd);
	st->dirfd = -1;
	free(st->annotations);
	st->annotations = NULL;
}

/* state.json is runt's own file; its string fields map onto fixed buffers. */
static const struct {
	const char *key;
	size_t off, size;
} str_fields[] = {
	{ "bundle", offsetof(struct rt_state, bundle), PATH_MAX },
	{ "rootfs", offsetof(struct rt_state, rootfs), PATH_MAX },
	{ "created", offsetof(struct rt_state, created), 40 },
	{ "owner", offsetof(struct rt_state, owner), 64 },
	{ "cgroup", offsetof(struct rt_state, cgroup), PATH_MAX },
};

static int load_number(struct json *j, int v, const struct jpath *p, const char *key,
		       struct rt_state *st, struct rt_err *err)
{
	uint64_t n;
	int r = json_get_u64(j, v, p, &n, err);

	if (r < 0)
		return r;
	if (!strcmp(key, "pid"))
		st->pid = (pid_t)n;
	else if (!strcmp(key, "starttime"))
		st->start_time = n;
	else if (!strcmp(key, "nsflags"))
		st->ns_flags = (unsigned long)n;
	return 0;
}

static int load_field(struct rt_state *st, struct json *j, int k, int v, struct rt_err *err)
{
	struct jpath p = { "", 0 };
	const char *s, *key = json_str(j, k);
	int r;

	if (!key) /* a key with \u0000 or a lone surrogate (found by tests/fuzz/state.c) */
		return json_fail(err, j, &p, "invalid string escape or NUL character in a key");
	jpath_key(&p, key);
	for (size_t i = 0; i < sizeof(str_fields) / sizeof(str_fields[0]); i++) {
		if (strcmp(key, str_fields[i].key))
			continue;
		if ((r = json_get_str(j, v, &p, &s, err)) < 0)
			return r;
		rt_strlcpy((char *)st + str_fields[i].off, s, str_fields[i].size);
		return 0;
	}
	if (json_key_is(j, k, "annotations") && json_kind(j, v) == JSON_OBJECT) {
		st->annotations =
		    strndup(j->buf + j->tok[v].start, j->tok[v].end - j->tok[v].start);
		return st->annotations ? 0 : rt_errnofail(err, ENOMEM, "state annotations");
	}
	if (json_kind(j, v) == JSON_NUMBER)
		return load_number(j, v, &p, key, st, err);
	return 0;
}

static int load_fields(struct rt_state *st, struct json *j, struct rt_err *err)
{
	int n, k, v, r;

	JSON_FOR_EACH(j, 0, n, k, v)
	{
		if ((r = load_field(st, j, k, v, err)) < 0)
			return rt_wrap(err, "%s", st->dir);
	}
	return 0;
}

/* runt's own files are 0600 as runc's: state.json names the bundle, rootfs and cgroup, the
 * config copy holds the process env (secrets, often); a pid file is for every reader. */
static int write_atomic(int dirfd, const char *name, const char *data, size_t len, mode_t mode,
			struct rt_err *err)
{
	char tmp[NAME_MAX + 1];
	int fd;

	rt_snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0)
		return rt_sysfail(err, "create %s", tmp);
	if (write(fd, data, len) != (ssize_t)len) {
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return rt_sysfail(err, "write %s", tmp);
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		unlinkat(dirfd, tmp, 0);
		return rt_sysfail(err, "rename %s", tmp);
	}
	return 0;
}

int state_save(struct rt_state *st, struct rt_err *err)
{
	char buf[65536];
	struct jw w;

	jw_init(&w, buf, sizeof(buf));
	jw_printf(&w, "{\"ociVersion\":\"%s\",\"id\":", SPEC_OCI_VERSION);
	jw_str(&w, st->id);
	jw_printf(&w, ",\"pid\":%d,\"starttime\":%llu,\"nsflags\":%lu", (int)st->pid,
		  st->start_time, st->ns_flags);
	for (size_t i = 0; i < sizeof(str_fields) / sizeof(str_fields[0]); i++) {
		jw_printf(&w, ",\"%s\":", str_fields[i].key);
		jw_str(&w, (char *)st + str_fields[i].off);
	}
	if (st->annotations) {
		jw_raw(&w, ",\"annotations\":");
		jw_raw(&w, st->annotations);
	}
	jw_raw(&w, "}\n");
	if (w.overflow)
		return rt_fail(err, E2BIG, "state of \"%s\": more than %zu bytes", st->id,
			       sizeof(buf));
	return write_atomic(st->dirfd, STATE_FILE, buf, w.len, 0600, err);
}

/* The copy is taken from the file right after it was parsed: the parse unescapes strings in
 * place, so the parsed buffer itself cannot be written back. */
int state_save_config(struct rt_state *st, const char *bundle, struct rt_err *err)
{
	char path[PATH_MAX], *buf = NULL;
	struct stat sb;
	ssize_t n = -1;
	int fd, r;

	rt_snprintf(path, sizeof(path), "%s/%s", bundle, STATE_CONFIG);
	fd = rt_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_sysfail(err, "open %s", path);
	if (rt_fstat(fd, &sb) == 0 && (buf = malloc(sb.st_size + 1)))
		n = read(fd, buf, sb.st_size + 1);
	close(fd);
	if (n < 0 || n > sb.st_size)
		r = rt_errnofail(err, n < 0 ? errno : EIO, "read %s", path);
	else
		r = write_atomic(st->dirfd, STATE_CONFIG, buf, n, 0600, err);
	free(buf);
	return r;
}

static int remove_rest(struct rt_state *st, struct rt_err *err)
{
	static const char *const files[] = { STATE_FIFO, "." STATE_FILE ".tmp", STATE_CONFIG,
					     "." STATE_CONFIG ".tmp", STATE_NOTIFY_SOCK };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (unlinkat(st->dirfd, files[i], 0) < 0 && errno != ENOENT)
			return rt_sysfail(err, "remove %s/%s", st->dir, files[i]);
	if (unlinkat(st->dirfd, STATE_NOTIFY, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return rt_sysfail(err, "remove %s/%s", st->dir, STATE_NOTIFY);
	return 0;
}

/* A symlink: creating one is a single atomic syscall, and it is never followed. */
int state_record_cgroup(struct rt_state *st, const char *path, const char *bus, struct rt_err *err)
{
	if (symlinkat(path, st->dirfd, STATE_CGROUP) < 0 ||
	    (RUNT_SYSTEMD_CGROUP && *bus && symlinkat(bus, st->dirfd, STATE_BUS) < 0))
		return rt_sysfail(err, "record the cgroup in %s", st->dir);
	return 0;
}

/* Mostly state.json and the cgroup link are all there is: the other files are looked for
 * only when rmdir finds the directory not empty. */
int state_remove(struct rt_state *st, struct rt_err *err)
{
	static const char *const first[] = { STATE_CGROUP, STATE_FILE, STATE_BUS };
	int r;

	for (int i = 0; i < 2 + RUNT_SYSTEMD_CGROUP; i++)
		if (unlinkat(st->dirfd, first[i], 0) < 0 && errno != ENOENT)
			return rt_sysfail(err, "remove %s/%s", st->dir, first[i]);
	if (rmdir(st->dir) == 0 || errno == ENOENT)
		return 0;
	if (errno != ENOTEMPTY && errno != EEXIST)
		return rt_sysfail(err, "remove %s", st->dir);
	if ((r = remove_rest(st, err)) < 0)
		return r;
	if (rmdir(st->dir) < 0 && errno != ENOENT)
		return rt_sysfail(err, "remove %s", st->dir);
	return 0;
}

/* Field 22 of /proc/<pid>/stat; the command name may contain spaces or ')' so parsing
 * starts after the last ')'. A zombie counts as gone: it will never run again. */
unsigned long long state_proc_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	rt_snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = rt_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
		return 0;
	/* state is field 3; skip 19 separators to field 22 (no sscanf: musl's scanf and float
	 * parser would cost ~10 KB of binary for this one line) */
	p += 2;
	for (int field = 3; field < 22 && p; field++)
		if ((p = strchr(p, ' ')))
			p++;
	if (!p || *p < '0' || *p > '9')
		return 0;
	start = rt_strtoull(p, NULL, 10);
	return start;
}

bool state_alive(const struct rt_state *st)
{
	return st->loaded && st->pid > 0 && state_proc_start_time(st->pid) == st->start_time;
}

enum rt_status state_status(struct rt_state *st)
{
	if (!st->loaded)
		return ST_CREATING;
	if (!state_alive(st))
		return ST_STOPPED;
	if (rt_faccessat(st->dirfd, STATE_FIFO, F_OK, 0) == 0)
		return ST_CREATED;
	if (st->cgroup[0] && cg_is_frozen(st->cgroup))
		return ST_PAUSED;
	return ST_RUNNING;
}

int state_format(struct rt_state *st, char *buf, size_t size, struct rt_err *err)
{
	enum rt_status s = state_status(st);
	struct jw w;

	jw_init(&w, buf, size);
	jw_printf(&w, "{\n  \"ociVersion\": \"%s\",\n  \"id\": ", SPEC_OCI_VERSION);
	jw_str(&w, st->id);
	jw_printf(&w, ",\n  \"pid\": %d,\n  \"status\": \"%s\",\n  \"bundle\": ",
		  s == ST_STOPPED ? 0 : (int)st->pid, status_names[s]);
	jw_str(&w, st->bundle);
	jw_raw(&w, ",\n  \"rootfs\": ");
	jw_str(&w, st->rootfs);
	jw_raw(&w, ",\n  \"created\": ");
	jw_str(&w, st->created);
	jw_raw(&w, ",\n  \"owner\": ");
	jw_str(&w, st->owner);
	jw_raw(&w, ",\n  \"annotations\": ");
	jw_raw(&w, st->annotations ? st->annotations : "{}");
	jw_raw(&w, "\n}\n");
	if (w.overflow)
		return rt_fail(err, E2BIG, "state of \"%s\" does not fit in %zu bytes", st->id,
			       size);
	return 0;
}

/* pidfd_open then re-check the start time: after that the fd pins this very process, so
 * a signal can never reach a recycled pid. Before Linux 5.3 (no pidfd_open): -ENOSYS once
 * the start time matched, and the caller signals the pid. */
int state_pidfd(const struct rt_state *st, struct rt_err *err)
{
	int fd;

	if (!st->loaded || st->pid <= 0)
		return rt_fail(err, ESRCH, RT_NOT_RUNNING);
	fd = rt_pidfd_open(st->pid, 0);
	if (fd < 0 && errno != ESRCH && errno != ENOSYS)
		return rt_sysfail(err, "pidfd_open %d", (int)st->pid);
	if (fd < 0 && errno == ENOSYS && state_alive(st))
		return -ENOSYS;
	if (fd < 0 || !state_alive(st)) {
		if (fd >= 0)
			close(fd);
		return rt_fail(err, ESRCH, RT_NOT_RUNNING);
	}
	return fd;
}

int state_signal(const struct rt_state *st, int sig, struct rt_err *err)
{
	int fd = state_pidfd(st, err), r = 0;

	if (fd < 0 && fd != -ENOSYS)
		return fd;
	if (rt_signal(fd, st->pid, sig) < 0)
		r = rt_sysfail(err, "signal %d to pid %d", sig, (int)st->pid);
	if (fd >= 0)
		close(fd);
	return r;
}

int state_write_pidfile(const char *path, pid_t pid, struct rt_err *err)
{
	char dir[PATH_MAX], num[32];
	const char *base = strrchr(path, '/');
	int dirfd, len, r;

	if (rt_strlcpy(dir, path, sizeof(dir)) >= sizeof(dir))
		return rt_fail(err, ENAMETOOLONG, "pid file %s: path too long", path);
	if (base) {
		dir[base - path == 0 ? 1 : base - path] = '\0';
		base++;
	} else {
		strcpy(dir, ".");
		base = path;
	}
	dirfd = rt_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return rt_sysfail(err, "pid file %s", path);
	len = rt_snprintf(num, sizeof(num), "%d", (int)pid);
	r = write_atomic(dirfd, base, num, len, 0644, err);
	close(dirfd);
	return r < 0 ? rt_wrap(err, "pid file %s", path) : 0;
}

int state_list(const char *root, int (*cb)(const char *id, void *arg), void *arg,
	       struct rt_err *err)
{
	struct dirent *de;
	DIR *d = opendir(root);

	if (!d)
		return errno == ENOENT ? 0 : rt_sysfail(err, "open %s", root);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && de->d_type == DT_DIR && cb(de->d_name, arg))
			break;
	closedir(d);
	return 0;
}
