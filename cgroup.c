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
#include "dbus.h"
#include "devices.h"
#include "fmt.h"
#include "log.h"
#include "mini.h"
#include "resources.h"

#define CGROUP2_SUPER_MAGIC 0x63677270

static bool is_cgroup2(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == CGROUP2_SUPER_MAGIC;
}

static enum cg_mode detect_mode(char *mount, size_t size)
{
	if (is_cgroup2("/sys/fs/cgroup")) {
		rt_strlcpy(mount, "/sys/fs/cgroup", size);
		return CG_UNIFIED;
	}
	if (is_cgroup2("/sys/fs/cgroup/unified")) {
		rt_strlcpy(mount, "/sys/fs/cgroup/unified", size);
		return CG_HYBRID;
	}
	return CG_NONE;
}

/* Our own cgroup ("0::/path" in /proc/self/cgroup): relative cgroupsPaths live below it,
 * which is what a systemd unit with Delegate=yes hands us. Also where systemd put a pid. */
static int proc_cgroup(const char *file, char *out, size_t size, struct rt_err *err)
{
	char buf[4096], *line, *save;
	ssize_t n;
	int fd = rt_open(file, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return rt_sysfail(err, "open %s", file);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return rt_sysfail(err, "read %s", file);
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3)) {
			rt_strlcpy(out, strcmp(line + 3, "/") ? line + 3 : "", size);
			return 0;
		}
	out[0] = '\0';
	return 0;
}

int cg_own_dir(char *out, size_t size)
{
	char own[PATH_MAX];
	struct rt_err ignored;
	size_t n;

	if (detect_mode(out, size) == CG_NONE ||
	    proc_cgroup("/proc/self/cgroup", own, sizeof(own), &ignored) < 0)
		return -ENOENT;
	/* glibc before 2.38 has no strlcat (the fuzzers and glibc builds link no libbsd) */
	if ((n = strlen(out)) < size)
		rt_strlcpy(out + n, own, size - n);
	return 0;
}

/* "a-b.slice" lives at "a.slice/a-b.slice": every dash-prefix is a parent slice, none empty. */
static int expand_slice(const char *slice, char *out, size_t size, struct rt_err *err)
{
	size_t len = strlen(slice), n = 0;

	out[0] = '\0';
	if (!len || !strcmp(slice, "-.slice"))
		return 0;
	if (len < 7 || strcmp(slice + len - 6, ".slice") || strchr(slice, '/') || *slice == '-' ||
	    slice[len - 7] == '-' || rt_strstr(slice, "--"))
		return rt_fail(err, EINVAL, "invalid systemd slice \"%s\"", slice);
	for (const char *d = strchr(slice, '-'); d; d = strchr(d + 1, '-'))
		n += rt_snprintf(out + n, size - n, "/%.*s.slice", (int)(d - slice), slice);
	rt_snprintf(out + n, size - n, "/%s", slice);
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
	rt_snprintf(slice, size, "%.*s", (int)(c1 - cpath), cpath);
	rt_snprintf(prefix, size, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
	rt_strlcpy(name, c2 + 1, size);
	return 0;
}

static int systemd_path(const char *cpath, char *out, size_t size, struct rt_err *err)
{
	/* runc's default slices (the user manager's live below its own cgroup) */
	const char *def = geteuid() ? "user.slice" : "system.slice";
	char slice[256], prefix[256], name[256], sl[PATH_MAX];
	int r;

	if (split_systemd(cpath, slice, prefix, name, sizeof(name)) < 0)
		return rt_fail(
		    err, EINVAL,
		    "cgroupsPath \"%s\": expected slice:prefix:name with --systemd-cgroup", cpath);
	if ((r = expand_slice(slice[0] ? slice : def, sl, sizeof(sl), err)) < 0)
		return r;
	if ((size_t)rt_snprintf(out, size, "%s/%s-%s.scope", sl, prefix, name) >= size)
		return rt_fail(err, ENAMETOOLONG, "cgroupsPath \"%s\": too long", cpath);
	return 0;
}

static bool has_dotdot(const char *p)
{
	for (const char *s = p; (s = rt_strstr(s, "..")); s += 2)
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
		/* runc's default for its systemd driver, ":runc:<id>" */
		if (RUNT_SYSTEMD_CGROUP && systemd) {
			rt_snprintf(own, sizeof(own), ":runt:%s", id);
			return systemd_path(own, rel, size, err);
		}
		rt_snprintf(rel, size, "/runt/%s", id);
		return 0;
	}
	if (has_dotdot(cpath))
		return rt_fail(err, EINVAL,
			       "config.json: .linux.cgroupsPath: \"%s\" contains \"..\"", cpath);
	if (systemd)
		return systemd_path(cpath, rel, size, err);
	if (cpath[0] == '/') {
		rt_strlcpy(rel, cpath, size);
		return 0;
	}
	if ((r = proc_cgroup("/proc/self/cgroup", own, sizeof(own), err)) < 0)
		return r;
	if ((size_t)rt_snprintf(rel, size, "%s/%s", own, cpath) >= size)
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
	if ((size_t)rt_snprintf(cg->path, sizeof(cg->path), "%s%s", cg->mount, rel) >=
	    sizeof(cg->path))
		return rt_fail(err, ENAMETOOLONG, "cgroup path too long");
	if (RUNT_SYSTEMD_CGROUP && systemd)
		dbus_bus_path(geteuid() != 0, cg->bus, sizeof(cg->bus));
	return 0;
}

/* The parents exist as a rule: the leaf first, the walk only on ENOENT. */
static int mkdir_tree(struct cg *cg, struct rt_err *err)
{
	char tmp[PATH_MAX];
	size_t base = strlen(cg->mount);

	if (mkdir(cg->path, 0755) == 0) {
		cg->created = true;
		return 0;
	}
	if (errno != ENOENT)
		return errno == EEXIST ? 0 : rt_sysfail(err, "create cgroup %s", cg->path);
	rt_strlcpy(tmp, cg->path, sizeof(tmp));
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

static int write_file(const char *dir, const char *file, const char *val, struct rt_err *err)
{
	char path[PATH_MAX];
	int fd, r = 0;

	rt_snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = rt_open(path, O_WRONLY | O_CLOEXEC);
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

	rt_snprintf(path, sizeof(path), "%s/%s", dir, file);
	fd = rt_open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* ---- controllers ---- */

/* Bit n set for every controller named in <dir>/<file> ("cpu io memory"). */
static unsigned read_ctrls(const char *dir, const char *file)
{
	char buf[512], *save = NULL;
	unsigned m = 0;
	int c;

	if (read_file(dir, file, buf, sizeof(buf)) <= 0)
		return 0;
	for (char *w = strtok_r(buf, " \n", &save); w; w = strtok_r(NULL, " \n", &save))
		if ((c = res_ctrl_find(w, strlen(w))) >= 0)
			m |= 1u << c;
	return m;
}

static bool is_hybrid_path(const char *path)
{
	return !strncmp(path, "/sys/fs/cgroup/unified/", 23) ||
	       !strcmp(path, "/sys/fs/cgroup/unified");
}

/* A limit whose controller is not there would be silently void: refuse it by name. */
static int need_ctrls(const char *dir, unsigned need, const char *what, struct rt_err *err)
{
	unsigned missing = need ? need & ~read_ctrls(dir, "cgroup.controllers") : 0;
	int c = 0;

	if (!missing)
		return 0;
	while (!(missing & 1u << c))
		c++;
	rt_fail(err, ENOTSUP, "%s: the %s controller is not available in %s", what,
		res_ctrl_name(c), dir);
	if (is_hybrid_path(dir))
		return rt_hint(err, "a hybrid cgroup host keeps its controllers on cgroup v1, "
				    "which runt does not use: boot with cgroup v2 only");
	return -err->code;
}

static bool has_procs(const char *dir)
{
	char buf[16];

	return read_file(dir, "cgroup.procs", buf, sizeof(buf)) > 0;
}

/* A non-root cgroup with processes of its own (runt's, when a unit with Delegate=yes gives a
 * relative cgroupsPath) hands nothing down: the kernel accepts the threaded controllers
 * (cpu, cpuset, pids) there, which makes it a thread root whose domain children refuse
 * every process (EOPNOTSUPP); the others fail with EBUSY anyway. */
static int enable_busy(const char *dir, unsigned need, unsigned on, struct rt_err *err)
{
	int c = 0;

	if (!(need & ~on))
		return 0;
	while (!(need & ~on & 1u << c))
		c++;
	rt_fail(err, EBUSY, "cannot enable the %s controller in %s: it has processes of its own",
		res_ctrl_name(c), dir);
	return rt_hint(err, "cgroup v2's no-internal-process rule: give the container a "
			    "cgroupsPath outside runt's own cgroup to set this limit");
}

/* Every ancestor (root included) hands down all it has, as runc does, so a later `update`
 * finds its controllers; only a controller the limits need must succeed. */
static int enable_in(const char *dir, bool root, unsigned need, struct rt_err *err)
{
	unsigned have = read_ctrls(dir, "cgroup.controllers"),
		 on = read_ctrls(dir, "cgroup.subtree_control");
	char word[32];

	if (!root && has_procs(dir))
		return enable_busy(dir, need, on, err);
	for (int c = 0; c < RES_NCTRL; c++) {
		if (!(have & 1u << c) || (on & 1u << c))
			continue;
		rt_snprintf(word, sizeof(word), "+%s", res_ctrl_name(c));
		if (write_file(dir, "cgroup.subtree_control", word, err) < 0 && (need & 1u << c))
			return rt_hint(err, "a cgroup with processes cannot delegate controllers "
					    "(cgroup v2's no-internal-process rule)");
	}
	rt_clear(err);
	return 0;
}

static int enable_ctrls(const struct cg *cg, unsigned need, struct rt_err *err)
{
	unsigned all = read_ctrls(cg->mount, "cgroup.controllers");
	char tmp[PATH_MAX];
	size_t base = strlen(cg->mount);
	char *last;
	int r;

	/* a controller reaches a cgroup only through every ancestor: if the new one has them
	 * all, the walk has nothing to do (every create after the first) */
	if ((read_ctrls(cg->path, "cgroup.controllers") & all) == all)
		return 0;
	rt_strlcpy(tmp, cg->path, sizeof(tmp));
	last = strrchr(tmp, '/');
	if ((r = enable_in(cg->mount, true, need, err)) < 0)
		return r;
	for (char *p = tmp + base + 1; p <= last; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		r = enable_in(tmp, false, need, err);
		*p = '/';
		if (r < 0)
			return r;
	}
	return 0;
}

/* ---- writing the limits ---- */

static bool read_back_ok(const char *dir, const struct res_write *w, char *got, size_t size)
{
	long page = getpagesize();
	size_t n = strlen(w->value);

	if (read_file(dir, w->file, got, size) < 0)
		return false;
	got[strcspn(got, "\n")] = '\0';
	switch (w->verify) {
	case RV_EXACT:
		return !strcmp(got, w->value);
	case RV_PREFIX:
		return !strncmp(got, w->value, n) && (got[n] == ' ' || !got[n]);
	case RV_PAGES: /* the kernel keeps pages: it reads back rounded down */
		return rt_strtoll(got, NULL, 10) == rt_strtoll(w->value, NULL, 10) / page * page;
	default:
		return true;
	}
}

/* Multi-line values (unified io.max, say) are written a line at a time, as runc does: the
 * kernel parses one entry per write. */
static int write_lines(const char *dir, const struct res_write *w, struct rt_err *err)
{
	char path[PATH_MAX];
	const char *v = w->value;
	int fd, r = 0;

	rt_snprintf(path, sizeof(path), "%s/%s", dir, w->file);
	fd = rt_open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && w->enoent_ok)
		return 0;
	if (fd < 0 && rt_sysfail(err, "open %s", path) == -ENOENT) /* files newer than 5.2 */
		return rt_hint(err, "%s",
			       !strcmp(w->file, "cpu.max.burst")
				   ? "cpu.max.burst needs Linux 5.14 or later"
			       : !strcmp(w->file, "cpu.idle")
				   ? "cpu.idle needs Linux 5.15 or later"
				   : "unknown key, or its controller is not enabled");
	if (fd < 0)
		return -err->code;
	do {
		size_t len = strcspn(v, "\n");

		if (len && write(fd, v, len) < 0)
			r = rt_sysfail(err, "write \"%.*s\" to %s", (int)len, v, path);
		v += len + (v[len] == '\n');
	} while (*v && r == 0);
	close(fd);
	return r;
}

static int write_one(const char *dir, const struct res_write *w, struct rt_err *err)
{
	char got[256];
	int r = write_lines(dir, w, err);

	if (r < 0 || w->verify == RV_NONE)
		return r;
	if (!read_back_ok(dir, w, got, sizeof(got)))
		return rt_fail(err, EIO, "%s/%s: wrote \"%s\" but the kernel reads back \"%s\"",
			       dir, w->file, w->value, got);
	return 0;
}

static int apply_writes(const char *dir, const struct res_write *w, int n, struct rt_err *err)
{
	int retry[4], nretry = 0, r;

	for (int i = 0; i < n; i++) {
		r = write_one(dir, &w[i], err);
		if (r == -EINVAL && w[i].retry_einval && nretry < 4)
			retry[nretry++] = i;
		else if (r < 0)
			return r;
	}
	for (int i = 0; i < nretry; i++)
		if ((r = write_one(dir, &w[retry[i]], err)) < 0)
			return r;
	return 0;
}

static struct res_write plan[RES_MAX_WRITES];

static int apply_res(const char *dir, const struct res *res, struct rt_err *err)
{
	char probe[PATH_MAX];
	int n;

	rt_snprintf(probe, sizeof(probe), "%s/io.bfq.weight", dir);
	n = res_plan(res, (res->io_weight || res->nwdev) && access(probe, F_OK) == 0, plan,
		     RES_MAX_WRITES, err);
	return n < 0 ? n : apply_writes(dir, plan, n, err);
}

/* ---- create ---- */

/* res is 9.5 KB of zeroed static storage, parsed into once per process: a spec without
 * limits never touches most of it. */
static int parse_spec_res(struct spec *s, struct res *res, struct rt_err *err)
{
	if (s->linux.resources_tok < 0)
		return 0;
	return res_parse(res, &s->doc, s->linux.resources_tok, ".linux.resources", err);
}

static int open_dir(struct cg *cg, struct rt_err *err)
{
	cg->dirfd = rt_open(cg->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return cg->dirfd < 0 ? rt_sysfail(err, "open cgroup %s", cg->path) : 0;
}

static int limit_and_filter(struct cg *cg, const struct res *res, const struct dev_prog *prog,
			    struct rt_err *err)
{
	int r;

	/* systemd's scope has what Delegate=yes gave it; its ancestors are systemd's */
	if (((!RUNT_SYSTEMD_CGROUP || !cg->bus[0]) && (r = enable_ctrls(cg, res->ctrl, err)) < 0) ||
	    (r = need_ctrls(cg->path, res->ctrl, "config.json: .linux.resources", err)) < 0 ||
	    (r = apply_res(cg->path, res, err)) < 0)
		return r;
	if (prog->restricts && (r = dev_attach(cg->dirfd, prog, err)) < 0 && !cg->rootless)
		return rt_wrap(err, "config.json: .linux.resources.devices");
	return 0;
}

/* Rootless without a cgroupsPath (runc): a cgroup tree the user may not write means no
 * cgroup at all, as long as no limit needs a controller (device rules need BPF, which an
 * unprivileged user has not: ignored, as runc does). */
static int no_cgroup(struct cg *cg, const struct spec *s, const struct res *res, int r,
		     struct rt_err *err)
{
	if (!cg->rootless || (s->linux.cgroups_path && *s->linux.cgroups_path) ||
	    (r != -EACCES && r != -EPERM && r != -EROFS))
		return r;
	if (res->ctrl)
		return rt_hint(err, "rootless: limits need a cgroup delegated to you");
	log_msg(LOG_WARN, "rootless: %s: running without a cgroup", err->msg);
	cg->path[0] = '\0';
	rt_clear(err);
	return 0;
}

static struct res res;
static struct dev_prog prog;

/* Everything that can be refused is checked before the first mkdir, so bad input leaves
 * no cgroup behind; a failure after it removes what was made. systemd makes its scope
 * only with a pid in it: cg_enter. */
int cg_create(struct cg *cg, struct spec *s, struct rt_err *err)
{
	int r;

	if ((r = parse_spec_res(s, &res, err)) < 0)
		return r;
	if (cg->mode == CG_NONE)
		return 0;
	if ((r = need_ctrls(cg->mount, res.ctrl, "config.json: .linux.resources", err)) < 0 ||
	    (r = dev_compile(res.dev, res.ndev, &prog, err)) < 0 ||
	    (RUNT_SYSTEMD_CGROUP && cg->bus[0]))
		return r;
	if ((r = mkdir_tree(cg, err)) < 0)
		return no_cgroup(cg, s, &res, r, err);
	if ((r = open_dir(cg, err)) < 0 || (r = limit_and_filter(cg, &res, &prog, err)) < 0) {
		cg_close(cg);
		if (cg->created)
			rmdir(cg->path);
		cg->created = false;
		return r;
	}
	return 0;
}

/* ---- update ---- */

#define UPDATE_MAX_DOC (1 << 20)

static int read_doc(const char *file, char *buf, size_t size, size_t *len, struct rt_err *err)
{
	int fd = strcmp(file, "-") ? rt_open(file, O_RDONLY | O_CLOEXEC) : 0;
	ssize_t n;

	if (fd < 0)
		return rt_sysfail(err, "open %s", file);
	*len = 0;
	while ((n = read(fd, buf + *len, size - 1 - *len)) > 0)
		*len += (size_t)n;
	if (fd > 0)
		close(fd);
	if (n < 0)
		return rt_sysfail(err, "read %s", file);
	if (*len >= size - 1)
		return rt_fail(err, E2BIG, "%s: larger than %zu bytes", file, size - 1);
	buf[*len] = '\0';
	return 0;
}

/* v1 semantics need the other half of a pair the caller did not repeat: swap is relative
 * to the memory limit, and cpu.max takes quota and period together. */
static void fill_from_current(const char *dir, struct res *r)
{
	char buf[64];

	if ((r->set & 1u << RB_MEM_SWAP) && !(r->set & 1u << RB_MEM_LIMIT) &&
	    read_file(dir, "memory.max", buf, sizeof(buf)) > 0)
		r->mem_limit = strncmp(buf, "max", 3) ? rt_strtoll(buf, NULL, 10) : -1;
	if (r->cpu_period && !r->cpu_quota && read_file(dir, "cpu.max", buf, sizeof(buf)) > 0)
		r->cpu_quota = strncmp(buf, "max", 3) ? rt_strtoll(buf, NULL, 10) : -1;
}

static int update_res(const char *path, struct json *j, struct rt_err *err)
{
	static struct res res;
	int r;

	if ((r = res_parse(&res, j, 0, "", err)) < 0)
		return r;
	if (res.has_devices)
		return rt_fail(err, ENOTSUP, "%s: .devices: device rules are fixed at create",
			       j->what);
	fill_from_current(path, &res);
	if ((r = need_ctrls(path, res.ctrl, j->what, err)) < 0)
		return r;
	return apply_res(path, &res, err);
}

int cg_update(const char *path, const char *file, const char *const flags[RF_COUNT],
	      struct rt_err *err)
{
	static char buf[UPDATE_MAX_DOC];
	struct json j = { 0 };
	size_t len = 0;
	bool any = true;
	int r;

	if (file)
		r = read_doc(file, buf, sizeof(buf), &len, err);
	else if ((r = res_flags_json(flags, buf, sizeof(buf), &any, err)) == 0)
		len = strlen(buf);
	if (r < 0 || !any)
		return r;
	r = json_parse(&j, file ? (strcmp(file, "-") ? file : "stdin") : "update flags", buf, len,
		       err);
	if (r == 0)
		r = update_res(path, &j, err);
	json_free(&j);
	return r;
}

/* ---- systemd ---- */

/* The cgroupfs writes that have a unit property (runc's map for unified keys): systemd gets
 * the values res_plan converted, and the files are written as well (sd_enter). */
static const char sd_map[] = "memory.max\0MemoryMax\0memory.low\0MemoryLow\0"
			     "memory.swap.max\0MemorySwapMax\0cpu.weight\0CPUWeight\0"
			     "pids.max\0TasksMax\0io.weight\0IOWeight\0cpuset.cpus\0AllowedCPUs\0"
			     "cpuset.mems\0AllowedMemoryNodes\0cpu.max\0CPUQuotaPerSecUSec\0";

/* A cpuset list ("0-3,8", checked by res_parse) as systemd's bitmask: byte n holds 8n..8n+7. */
static void sd_bits(struct dbus_msg *m, const char *name, const char *list)
{
	unsigned char bits[128] = { 0 };
	unsigned long a, b, top = 0;
	char *e;

	for (const char *p = list; *p; p = e + !!*e) {
		a = b = rt_strtoul(p, &e, 10);
		if (*e == '-')
			b = rt_strtoul(e + 1, &e, 10);
		for (; a <= b && a < 8 * sizeof(bits); a++) {
			bits[a / 8] |= (unsigned char)(1u << a % 8);
			top = a / 8 + 1;
		}
	}
	dbus_put(m, "(sv[y", name, "ay");
	for (unsigned long i = 0; i < top; i++)
		dbus_put(m, "y", (uint64_t)bits[i]);
	dbus_put(m, "])");
}

void cg_sd_props(struct dbus_msg *m, const struct res_write *w, int n)
{
	const char *v, *prop;
	uint64_t x, per;
	char *e;

	for (int i = 0; i < n; i++)
		for (const char *f = sd_map; *f; f = prop + strlen(prop) + 1) {
			prop = f + strlen(f) + 1;
			v = w[i].value;
			if (strcmp(w[i].file, f))
				continue;
			if (*f == 'c' && f[3] == 's') { /* cpuset.* */
				sd_bits(m, prop, v);
				continue;
			}
			x = strncmp(v, "max", 3) ? rt_strtoull(v, NULL, 10) : UINT64_MAX;
			if (!f[7]) { /* cpu.max, "quota [period]": systemd keeps whole percents */
				per = (e = strchr(v, ' ')) ? rt_strtoull(e, NULL, 10) : 100000;
				dbus_put(m, "(svt)", "CPUQuotaPeriodUSec", "t", per);
				if (x != UINT64_MAX)
					x = (x * 1000000 / per + 9999) / 10000 * 10000;
			}
			dbus_put(m, "(svt)", prop, "t", x);
		}
}

/* runc's order: the scope with the init in it (systemd's job done), then every limit
 * written as without systemd; the init waits for runt's GO meanwhile. */
static int sd_enter(struct cg *cg, pid_t pid, struct rt_err *err)
{
	static struct dbus_msg m;
	char file[32], rel[PATH_MAX], *u = strrchr(cg->path, '/');
	const char *slice = "-.slice";
	int r = res_plan(&res, false, plan, RES_MAX_WRITES, err);

	if (r < 0)
		return r;
	*u = '\0';
	if (u > cg->path + strlen(cg->mount))
		slice = strrchr(cg->path, '/') + 1;
	/* CollectMode: a failed scope must not linger */
	dbus_call(&m, 3, false, "StartTransientUnit", "ssa(sv)a(sa(sv))");
	dbus_put(&m, "ss[((sv[uu])(svb)(svs)(svs)", u + 1, "replace", "PIDs", "au", (uint64_t)pid,
		 "Delegate", "b", (uint64_t)1, "Slice", "s", slice, "CollectMode", "s",
		 "inactive-or-failed");
	*u = '/';
	cg_sd_props(&m, plan, r);
	dbus_put(&m, "][(]");
	if ((r = dbus_job(cg->bus, &m, err)) < 0) {
		cg->created = r == -ECANCELED; /* the unit exists: delete stops it */
		return rt_wrap(err, "create cgroup: systemd");
	}
	cg->created = true;
	/* where systemd put the init: the user manager's slices are below its own cgroup */
	rt_snprintf(file, sizeof(file), "/proc/%d/cgroup", (int)pid);
	if ((r = proc_cgroup(file, rel, sizeof(rel), err)) < 0)
		return r;
	rt_snprintf(cg->path, sizeof(cg->path), "%s%s", cg->mount, rel);
	if ((r = open_dir(cg, err)) < 0)
		return r;
	return limit_and_filter(cg, &res, &prog, err);
}

int cg_enter(struct cg *cg, pid_t pid, struct rt_err *err)
{
	char num[32];

	if (RUNT_SYSTEMD_CGROUP && cg->bus[0])
		return sd_enter(cg, pid, err);
	if (!cg->path[0])
		return 0;
	rt_snprintf(num, sizeof(num), "%d", (int)pid);
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

	return read_file(path, "cgroup.events", buf, sizeof(buf)) > 0 && rt_strstr(buf, "frozen 1");
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
	char buf[65536], *line, *save; /* strtok_r: cgroup.c's other loop needs it anyway */
	int n = 0;

	if (read_file(path, "cgroup.procs", buf, sizeof(buf)) < 0)
		return rt_sysfail(err, "read %s/cgroup.procs", path);
	for (line = strtok_r(buf, "\n", &save); line && n < max; line = strtok_r(NULL, "\n", &save))
		out[n++] = (pid_t)rt_atoi(line);
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
	/* systemd removes a scope's cgroup once it is empty: nothing left to signal (runc's
	 * kill --all succeeds then too, and containerd's CRI kills every task so) */
	if (RUNT_SYSTEMD_CGROUP && access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	if (sig == SIGKILL && write_file(path, "cgroup.kill", "1", err) == 0)
		return 0;
	return kill_each(path, sig, err);
}

static bool populated(const char *path)
{
	char buf[256];

	return read_file(path, "cgroup.events", buf, sizeof(buf)) > 0 &&
	       rt_strstr(buf, "populated 1");
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
			rt_snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name);
			cg_remove(sub, err);
		}
	closedir(d);
	for (int i = 0; i < 2000 && populated(path); i++)
		nanosleep(&ts, NULL);
	if (rmdir(path) < 0 && errno != ENOENT)
		return rt_sysfail(err, "remove cgroup %s", path);
	return 0;
}

/* Once the init is reaped its cgroup is empty as a rule: one rmdir then, no kill, no walk
 * (the kernel refuses it with EBUSY while tasks or child cgroups are left). */
int cg_destroy(const char *path, const char *bus, struct rt_err *err)
{
	static struct dbus_msg m;

	/* systemd's stop would SIGTERM what is left and wait 90 s: killed first. A unit
	 * already gone (its cgroup emptied) is fine; with the bus dead, the cgroup goes below */
	if (RUNT_SYSTEMD_CGROUP && *bus) {
		cg_kill_all(path, SIGKILL, err);
		dbus_call(&m, 3, false, "StopUnit", "ss");
		dbus_put(&m, "ss", strrchr(path, '/') + 1, "replace");
		if (dbus_job(bus, &m, err) < 0 && err->code != ENOENT)
			log_msg(LOG_WARN, "remove cgroup: systemd: %s", err->msg);
		rt_clear(err);
	}
	if (rmdir(path) == 0 || errno == ENOENT)
		return 0;
	cg_kill_all(path, SIGKILL, err);
	return cg_remove(path, err);
}
