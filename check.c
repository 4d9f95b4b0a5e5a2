/* check.c - `runt check`: probes the running kernel for everything runt uses and tells, per
 * item, whether it is there, what a missing one disables and which CONFIG_ options bring it.
 * Nothing outlives a probe (a temporary child cgroup and user namespace at most). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "cgroup.h"
#include "check.h"
#include "compat.h"
#include "devices.h"
#include "fmt.h"
#include "inflate.h"
#include "json.h"
#include "mini.h"
#include "mount.h"
#include "ns.h"

/* Records "<kind>[number]name\0disables\0CONFIG_...\0". Kinds: n namespace, u unprivileged
 * user namespaces, g cgroup2, c controller, f cgroup file, b device BPF, s syscall (number:
 * missing when it answers ENOSYS), S seccomp operation, k clone3 into a cgroup, x close_range
 * CLOEXEC, i idmapped mount, o filesystem. Upper case n/o: a default `runt spec` container
 * needs it. The versions are the kernel's first with the item. */
static const char items[] = "Nns.pid\0pid ns\0CONFIG_PID_NS\0"
			    "Nns.net\0network ns\0CONFIG_NET_NS\0"
			    "Nns.ipc\0ipc ns\0CONFIG_IPC_NS\0"
			    "Nns.uts\0uts ns\0CONFIG_UTS_NS\0"
			    "Nns.cgroup\0cgroup ns\0CONFIG_CGROUPS\0"
			    "nns.user\0user ns, rootless\0CONFIG_USER_NS\0"
			    "nns.time\0time ns (5.6)\0CONFIG_TIME_NS\0"
			    "uuserns.unprivileged\0rootless\0\0"
			    "gcgroup2\0linux.resources, pause, ps\0CONFIG_CGROUPS\0"
			    "ccgroup.cpu\0cpu limits\0CONFIG_CGROUP_SCHED\0"
			    "ccgroup.memory\0memory limits\0CONFIG_MEMCG\0"
			    "ccgroup.pids\0pids limit\0CONFIG_CGROUP_PIDS\0"
			    "ccgroup.io\0io limits\0CONFIG_BLK_CGROUP\0"
			    "ccgroup.cpuset\0cpuset\0CONFIG_CPUSETS\0"
			    "fcgroup.freeze\0pause, kill --all (5.2)\0\0"
			    "fcgroup.kill\0nothing, freeze + kill + thaw instead (5.14)\0\0"
			    "bcgroup.devices\0linux.resources.devices\0CONFIG_CGROUP_BPF\0"
			    "S2seccomp\0linux.seccomp\0CONFIG_SECCOMP_FILTER\0"
			    "S3seccomp.notify\0SCMP_ACT_NOTIFY (5.0)\0\0"
			    "s435clone3\0nothing, clone instead (5.3)\0\0"
			    "kclone3.cgroup\0nothing, clone + join instead (5.7)\0\0"
			    "s434pidfd\0nothing, pid + start time instead (5.3)\0\0"
			    "s437openat2\0nothing, O_NOFOLLOW walk instead (5.6)\0\0"
			    "s442mount_setattr\0idmap, rro... (5.12)\0\0"
			    "xclose_range\0nothing, fcntl instead (5.11)\0\0"
			    "iidmap.root\0idmap under --root\0\0"
			    "iidmap.bundle\0idmap from the bundle\0\0"
			    "Ofs.devpts\0/dev/pts\0CONFIG_UNIX98_PTYS\0"
			    "Ofs.mqueue\0/dev/mqueue\0CONFIG_POSIX_MQUEUE\0"
			    "ofs.overlay\0overlay rootfs\0CONFIG_OVERLAY_FS\0";

struct ctx {
	char cg[PATH_MAX], tmp[PATH_MAX], path[PATH_MAX], buf[8192];
	const char *root, *bundle;
	int userns;
};

/* Whether file holds word (" memory "): lines and the file's ends count as spaces. */
static bool file_has(struct ctx *c, const char *file, const char *word)
{
	int fd = rt_open(file, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, c->buf + 1, sizeof(c->buf) - 3);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return false;
	c->buf[0] = ' ';
	strcpy(c->buf + n + 1, " ");
	for (char *p = c->buf; *p; p++)
		*p = *p == '\n' || *p == '\t' ? ' ' : *p;
	return rt_strstr(c->buf, word);
}

/* Idmapping a detached copy of the mount of path (or of its nearest existing parent). */
static bool idmap_ok(struct ctx *c, const char *path)
{
	char *p = c->buf;
	int fd;
	bool ok;

	rt_strlcpy(p, path, PATH_MAX);
	while ((fd = mnt_tree(AT_FDCWD, p, false)) < 0 && errno == ENOENT && strrchr(p, '/'))
		strrchr(p, '/')[strrchr(p, '/') == p] = '\0';
	ok = fd >= 0 && c->userns >= 0 && mnt_idmap(fd, false, c->userns) == 0;
	if (fd >= 0)
		close(fd);
	return ok;
}

/* A chain of compares is 100 bytes smaller than the switch's jump table here. */
__attribute__((optimize("no-jump-tables"))) static bool probe(struct ctx *c, char kind, long nr,
							      const char *name)
{
	struct rt_clone_args cargs = { .flags = CLONE_INTO_CGROUP,
				       .exit_signal = SIGCHLD,
				       .cgroup = INT_MAX }; /* no such fd: EBADF from 5.7 */
	static uint32_t arg[2] = { 0x00050000 };	    /* SECCOMP_RET_ERRNO */
	static struct dev_prog prog;
	char w[32];
	long r;

	rt_snprintf(w, sizeof(w), " %s ", strchr(name, '.') ? strchr(name, '.') + 1 : "");
	switch (kind | 0x20) {
	case 'n':
		rt_snprintf(c->path, PATH_MAX, "/proc/self/ns/%s", name + 3);
		return access(c->path, F_OK) == 0;
	case 'u':
		return !file_has(c, "/proc/sys/kernel/unprivileged_userns_clone", " 0 ") &&
		       !file_has(c, "/proc/sys/user/max_user_namespaces", " 0 ");
	case 'g':
	case 'c':
		rt_snprintf(c->path, PATH_MAX, "%s/cgroup.controllers", c->cg);
		return c->cg[0] && file_has(c, c->path, kind == 'g' ? " " : w);
	case 'f':
		rt_snprintf(c->path, PATH_MAX, "%s/%s", c->tmp, name);
		return c->tmp[0] && access(c->path, F_OK) == 0;
	case 'b':
		dev_compile(NULL, 0, &prog, NULL);
		return dev_attach(-1, &prog, &(struct rt_err){ 0 }) == -EBADF; /* loaded */
	case 'i':
		return idmap_ok(c, name[6] == 'r' ? c->root : c->bundle);
	case 'o':
		return file_has(c, "/proc/filesystems", w);
	}
	r = kind == 's'	  ? syscall(nr, -1, 0, 0, 0, 0)
	    : kind == 'S' ? syscall(SYS_seccomp, nr, 0, arg)
	    : kind == 'k' ? syscall(SYS_clone3, &cargs, sizeof(cargs))
			  : syscall(SYS_close_range, ~0U, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
	if (r == 0 && kind == 'k')
		_exit(0); /* cannot happen (no such cgroup fd), but never go on twice */
	return r >= 0 || (errno != ENOSYS && kind == 's') ||
	       (errno != ENOSYS && errno != EINVAL && kind != 'S');
}

/* "CONFIG_X=y" or "CONFIG_X is not set" per option, from the kernel's config when readable
 * (/boot/config-<release>, else /proc/config.gz). */
static void config_state(struct jw *w, const char *opt, const char *cfg)
{
	char key[48];
	const char *hit;
	size_t n;

	if (!*opt)
		return;
	n = (size_t)rt_snprintf(key, sizeof(key), "\n%s=", opt);
	hit = cfg ? rt_strstr(cfg, key) : NULL;
	jw_printf(w, "%s%s%s%.*s", w->buf[w->len - 1] == '"' ? "" : "; ", opt,
		  hit	? "="
		  : cfg ? " is not set"
			: "",
		  hit ? (int)strcspn(hit + n, "\n") : 0, hit ? hit + n : "");
}

/* The whole file into buf (one read: a file, a /proc file): its length, or -1 when it is
 * unreadable or fills buf (too large). */
static ssize_t slurp(const char *path, char *buf, size_t size)
{
	int fd = rt_open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, size);

	if (fd >= 0)
		close(fd);
	return (size_t)n < size ? n : -1;
}

static const char *read_config(char *cfg, size_t size)
{
	static char gz[1 << 17];
	struct utsname u;
	char path[128];
	ssize_t n;

	uname(&u);
	rt_snprintf(path, sizeof(path), "/boot/config-%s", u.release);
	cfg[0] = '\n';
	if ((n = slurp(path, cfg + 1, size - 2)) <= 0 &&
	    (n = slurp("/proc/config.gz", gz, sizeof(gz))) > 0)
		n = gz_inflate(gz, (size_t)n, cfg + 1, size - 2);
	return n > 0 ? (cfg[n + 1] = '\0', cfg) : NULL;
}

int chk_run(const char *root, const char *bundle, bool json, char *out, size_t size,
	    struct rt_err *err)
{
	static const struct spec_idmap map = { 0, 65534, 1 };
	static char cfgbuf[1 << 19];
	static struct ctx c;
	const char *cfg = read_config(cfgbuf, sizeof(cfgbuf)), *missing = NULL;
	struct jw w;

	c.root = root;
	c.bundle = bundle;
	/* cgroup.kill and cgroup.freeze exist in every cgroup but the root: look in a child */
	if (cg_own_dir(c.cg, sizeof(c.cg)) == 0) {
		rt_snprintf(c.tmp, sizeof(c.tmp), "%s/runt-check.%d", c.cg, (int)getpid());
		if (mkdir(c.tmp, 0700) < 0)
			rt_strlcpy(c.tmp, c.cg, sizeof(c.tmp));
	}
	c.userns = ns_userns_fd(&map, 1, &map, 1, err);
	jw_init(&w, out, size);
	jw_raw(&w, json ? "{\"items\":[" : "");
	for (const char *p = items; *p;) {
		char kind = *p, *name;
		long nr = rt_strtol(p + 1, &name, 10);
		const char *off = name + strlen(name) + 1, *opt = off + strlen(off) + 1;
		bool ok = probe(&c, kind, nr, name);

		if (!ok && (kind == 'N' || kind == 'O') && !missing)
			missing = name;
		jw_printf(&w, json ? "%s{\"name\":\"%s\",\"present\":%s" : "%.0s%-20s %s",
			  p == items ? "" : ",", name,
			  ok	 ? json ? "true" : "present"
			  : json ? "false"
				 : "missing");
		if (!ok) {
			jw_printf(&w, json ? ",\"disables\":\"%s\",\"config\":\"" : ": disables %s",
				  off);
			config_state(&w, opt, cfg);
			jw_raw(&w, json ? "\"" : "");
		}
		jw_raw(&w, json ? "}" : "\n");
		p = opt + strlen(opt) + 1;
	}
	if (json)
		jw_printf(&w, "],\"ok\":%s}\n", missing ? "false" : "true");
	if (strcmp(c.tmp, c.cg))
		rmdir(c.tmp);
	if (c.userns >= 0)
		close(c.userns);
	rt_clear(err);
	return missing ? rt_fail(err, ENOTSUP,
				 "check: a default container cannot run: %s is missing", missing)
		       : 0;
}
