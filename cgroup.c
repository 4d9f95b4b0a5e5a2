/* cgroup.c - cgroup v2 only: finds the cgroup2 mount (unified, or hybrid at
 * /sys/fs/cgroup/unified), resolves cgroupsPath, creates, freezes, kills and removes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"

#define CGROUP2_SUPER_MAGIC 0x63677270

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

static enum cg_mode detect_mode(char *mount, size_t size)
{
	if (is_cgroup2("/sys/fs/cgroup")) {
		strlcpy(mount, "/sys/fs/cgroup", size);
		return CG_UNIFIED;
	}
	if (is_cgroup2("/sys/fs/cgroup/unified")) {
		strlcpy(mount, "/sys/fs/cgroup/unified", size);
		return CG_HYBRID;
	}
	return CG_NONE;
}

/* Our own cgroup ("0::/path" in /proc/self/cgroup): relative cgroupsPaths live below it,
 * which is what a systemd unit with Delegate=yes hands us. */
static int own_cgroup(char *out, size_t size, struct rt_err *err)
{
	char buf[4096], *line;
	ssize_t n;
	int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return rt_sysfail(err, "open /proc/self/cgroup");
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return rt_sysfail(err, "read /proc/self/cgroup");
	buf[n] = '\0';
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, "0::", 3)) {
			strlcpy(out, strcmp(line + 3, "/") ? line + 3 : "", size);
			return 0;
		}
	out[0] = '\0';
	return 0;
}

/* "a-b.slice" lives at "a.slice/a-b.slice": every dash-prefix is a parent slice. */
static int expand_slice(const char *slice, char *out, size_t size, struct rt_err *err)
{
	size_t len = strlen(slice), n = 0;

	out[0] = '\0';
	if (!len || !strcmp(slice, "-.slice"))
		return 0;
	if (len < 7 || strcmp(slice + len - 6, ".slice") || strchr(slice, '/'))
		return rt_fail(err, EINVAL, "invalid systemd slice \"%s\"", slice);
	for (const char *d = strchr(slice, '-'); d; d = strchr(d + 1, '-'))
		n += snprintf(out + n, size - n, "/%.*s.slice", (int)(d - slice), slice);
	snprintf(out + n, size - n, "/%s", slice);
	return 0;
}

/* "slice:prefix:name", slice may be empty. Not sscanf: musl's scanf and float parser cost
 * ~10 KB of binary. */
static int split_systemd(const char *cpath, char *slice, char *prefix, char *name, size_t size)
{
	const char *c1 = strchr(cpath, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (!c2 || c2 == c1 + 1 || !c2[1] || (size_t)(c1 - cpath) >= size ||
	    (size_t)(c2 - c1) > size || strlen(c2 + 1) >= size)
		return -1;
	snprintf(slice, size, "%.*s", (int)(c1 - cpath), cpath);
	snprintf(prefix, size, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	strlcpy(name, c2 + 1, size);
	return 0;
}

static int systemd_path(const char *cpath, char *out, size_t size, struct rt_err *err)
{
	char slice[256], prefix[256], name[256], sl[PATH_MAX];
	int r;

	if (split_systemd(cpath, slice, prefix, name, sizeof(name)) < 0)
		return rt_fail(
		    err, EINVAL,
		    "cgroupsPath \"%s\": expected slice:prefix:name with --systemd-cgroup", cpath);
	if ((r = expand_slice(slice[0] ? slice : "system.slice", sl, sizeof(sl), err)) < 0)
		return r;
	if ((size_t)snprintf(out, size, "%s/%s-%s.scope", sl, prefix, name) >= size)
		return rt_fail(err, ENAMETOOLONG, "cgroupsPath \"%s\": too long", cpath);
	return 0;
}

static bool has_dotdot(const char *p)
{
	for (const char *s = p; (s = strstr(s, "..")); s += 2)
		if ((s == p || s[-1] == '/') && (s[2] == '/' || s[2] == '\0'))
			return true;
	return false;
}

static int cgroup_rel(const struct spec *s, const char *id, bool systemd, char *rel, size_t size,
		      struct rt_err *err)
{
	const char *cpath = s->linux.cgroups_path;
	char own[PATH_MAX];
	int r;

	if (!cpath || !*cpath) {
		snprintf(rel, size, "/runt/%s", id);
		return 0;
	}
	if (has_dotdot(cpath))
		return rt_fail(err, EINVAL,
			       "config.json: .linux.cgroupsPath: \"%s\" contains \"..\"", cpath);
	if (systemd)
		return systemd_path(cpath, rel, size, err);
	if (cpath[0] == '/') {
		strlcpy(rel, cpath, size);
		return 0;
	}
	if ((r = own_cgroup(own, sizeof(own), err)) < 0)
		return r;
	if ((size_t)snprintf(rel, size, "%s/%s", own, cpath) >= size)
		return rt_fail(err, ENAMETOOLONG, "cgroupsPath \"%s\": too long", cpath);
	return 0;
}

static bool resources_requested(const struct spec *s)
{
	return s->linux.resources_tok >= 0 && s->doc.tok[s->linux.resources_tok].size > 0;
}

int cg_resolve(struct cg *cg, const struct spec *s, const char *id, bool systemd,
	       struct rt_err *err)
{
	char rel[PATH_MAX];
	int r;

	memset(cg, 0, sizeof(*cg));
	cg->dirfd = -1;
	cg->mode = detect_mode(cg->mount, sizeof(cg->mount));
	if (cg->mode == CG_NONE) {
		if (resources_requested(s))
			return rt_fail(err, ENOTSUP,
				       "linux.resources: no cgroup2 filesystem mounted");
		log_msg(LOG_INFO, "no cgroup2 mount: running without a cgroup");
		return 0;
	}
	if ((r = cgroup_rel(s, id, systemd, rel, sizeof(rel), err)) < 0)
		return r;
	if ((size_t)snprintf(cg->path, sizeof(cg->path), "%s%s", cg->mount, rel) >=
	    sizeof(cg->path))
		return rt_fail(err, ENAMETOOLONG, "cgroup path too long");
	return 0;
}

static int mkdir_tree(struct cg *cg, struct rt_err *err)
{
	char tmp[PATH_MAX];
	size_t base = strlen(cg->mount);

	strlcpy(tmp, cg->path, sizeof(tmp));
	for (char *p = tmp + base + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return rt_sysfail(err, "create cgroup %s", tmp);
		*p = '/';
	}
	if (mkdir(cg->path, 0755) == 0)
		cg->created = true;
	else if (errno != EEXIST)
		return rt_sysfail(err, "create cgroup %s", cg->path);
	return 0;
}

int cg_create(struct cg *cg, const struct spec *s, struct rt_err *err)
{
	int r;

	if (resources_requested(s))
		return rt_fail(
		    err, ENOTSUP,
		    "config.json: .linux.resources: resource limits are not supported yet");
	if (cg->mode == CG_NONE)
		return 0;
	if ((r = mkdir_tree(cg, err)) < 0)
		return r;
	cg->dirfd = open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg->dirfd < 0) {
		r = rt_sysfail(err, "open cgroup %s", cg->path);
		if (cg->created)
			rmdir(cg->path);
		return r;
	}
	return 0;
}

static int write_file(const char *dir, const char *file, const char *val, struct rt_err *err)
{
	char path[PATH_MAX];
	int fd, r = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return rt_sysfail(err, "open %s", path);
	if (write(fd, val, strlen(val)) < 0)
		r = rt_sysfail(err, "write %s to %s", val, path);
	close(fd);
	return r;
}

static ssize_t read_file(const char *dir, const char *file, char *buf, size_t size)
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

int cg_enter(const struct cg *cg, pid_t pid, struct rt_err *err)
{
	char num[32];

	if (!cg->path[0])
		return 0;
	snprintf(num, sizeof(num), "%d", (int)pid);
	return write_file(cg->path, "cgroup.procs", num, err);
}

void cg_close(struct cg *cg)
{
	if (cg->dirfd >= 0)
		close(cg->dirfd);
	cg->dirfd = -1;
}

bool cg_is_frozen(const char *path)
{
	char buf[256];

	return read_file(path, "cgroup.events", buf, sizeof(buf)) > 0 && strstr(buf, "frozen 1");
}

/* cgroup.freeze is asynchronous: the state is reached when cgroup.events says so. */
int cg_freeze(const char *path, bool freeze, struct rt_err *err)
{
	int r = write_file(path, "cgroup.freeze", freeze ? "1" : "0", err);
	struct timespec ts = { 0, 1000000 };

	if (r < 0)
		return r;
	for (int i = 0; i < 5000 && cg_is_frozen(path) != freeze; i++)
		nanosleep(&ts, NULL);
	if (cg_is_frozen(path) != freeze)
		return rt_fail(err, ETIMEDOUT, "cgroup %s did not %s", path,
			       freeze ? "freeze" : "thaw");
	return 0;
}

int cg_pids(const char *path, pid_t *out, int max, struct rt_err *err)
{
	char buf[65536], *line;
	int n = 0;

	if (read_file(path, "cgroup.procs", buf, sizeof(buf)) < 0)
		return rt_sysfail(err, "read %s/cgroup.procs", path);
	for (line = strtok(buf, "\n"); line && n < max; line = strtok(NULL, "\n"))
		out[n++] = (pid_t)atoi(line);
	return n;
}

static int kill_each(const char *path, int sig, struct rt_err *err)
{
	pid_t pids[4096];
	int n, r;

	if ((r = cg_freeze(path, true, err)) < 0)
		return r;
	n = cg_pids(path, pids, 4096, err);
	for (int i = 0; i < n; i++)
		kill(pids[i], sig);
	return cg_freeze(path, false, err);
}

int cg_kill_all(const char *path, int sig, struct rt_err *err)
{
	if (sig == SIGKILL && write_file(path, "cgroup.kill", "1", err) == 0)
		return 0;
	return kill_each(path, sig, err);
}

static bool populated(const char *path)
{
	char buf[256];

	return read_file(path, "cgroup.events", buf, sizeof(buf)) > 0 && strstr(buf, "populated 1");
}

/* Children first; a dying task keeps the cgroup populated for a moment after SIGKILL. */
int cg_remove(const char *path, struct rt_err *err)
{
	struct timespec ts = { 0, 1000000 };
	char sub[PATH_MAX];
	struct dirent *de;
	DIR *d = opendir(path);

	if (!d)
		return errno == ENOENT ? 0 : rt_sysfail(err, "open cgroup %s", path);
	while ((de = readdir(d)))
		if (de->d_type == DT_DIR && de->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			cg_remove(sub, err);
		}
	closedir(d);
	for (int i = 0; i < 2000 && populated(path); i++)
		nanosleep(&ts, NULL);
	if (rmdir(path) < 0 && errno != ENOENT)
		return rt_sysfail(err, "remove cgroup %s", path);
	return 0;
}
