/* mount.c - builds the container's filesystem: the mount option table, spec mounts resolved
 * inside the rootfs by fd (path.c, so a hostile symlink cannot send a mount onto the host:
 * CVE-2021-30465), idmapped trees, tmpcopyup, /dev, devices, pivot_root, masked paths. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h> /* ST_*: the bits of statfs.f_flags */
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "compat.h"
#include "fmt.h"
#include "mini.h"
#include "mount.h"
#include "ns.h"
#include "path.h"
#include "procfs.h"

/* The new mount API; glibc 2.36 and later declare it (musl does not). */
#ifndef MOUNT_ATTR_SIZE_VER0
#define MOUNT_ATTR_RDONLY	0x1
#define MOUNT_ATTR_NOSUID	0x2
#define MOUNT_ATTR_NODEV	0x4
#define MOUNT_ATTR_NOEXEC	0x8
#define MOUNT_ATTR__ATIME	0x70
#define MOUNT_ATTR_RELATIME	0x0
#define MOUNT_ATTR_NOATIME	0x10
#define MOUNT_ATTR_STRICTATIME	0x20
#define MOUNT_ATTR_NODIRATIME	0x80
#define MOUNT_ATTR_NOSYMFOLLOW	0x200000
#define MOUNT_ATTR_IDMAP	0x100000
#define OPEN_TREE_CLONE		1
#define MOVE_MOUNT_F_EMPTY_PATH 0x4
#define MOVE_MOUNT_T_SYMLINKS	0x10
#define MOVE_MOUNT_T_EMPTY_PATH 0x40
struct mount_attr {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};
#endif
#ifndef AT_RECURSIVE
#define AT_RECURSIVE 0x8000
#endif
#ifndef MS_LAZYTIME
#define MS_LAZYTIME (1 << 25)
#endif

/* O_IDMAP: val 1 for ridmap (every submount idmapped too); O_COPYUP: tmpcopyup. */
enum opt_kind { O_SET, O_CLR, O_PROP, O_ASET, O_ACLR, O_BIND, O_IDMAP, O_COPYUP };

/* Names inline and narrow fields: 24 bytes an entry instead of 32 plus a pointer. */
static const struct mount_opt {
	char name[14];
	uint8_t kind; /* enum opt_kind */
	uint32_t val; /* MS_* and MOUNT_ATTR_* flags all fit in 32 bits */
	uint8_t mask; /* attr_clr for the atime group (MOUNT_ATTR__ATIME) */
} options[] = {
	{ "ro", O_SET, MS_RDONLY },
	{ "rw", O_CLR, MS_RDONLY },
	{ "suid", O_CLR, MS_NOSUID },
	{ "nosuid", O_SET, MS_NOSUID },
	{ "dev", O_CLR, MS_NODEV },
	{ "nodev", O_SET, MS_NODEV },
	{ "exec", O_CLR, MS_NOEXEC },
	{ "noexec", O_SET, MS_NOEXEC },
	{ "sync", O_SET, MS_SYNCHRONOUS },
	{ "async", O_CLR, MS_SYNCHRONOUS },
	{ "dirsync", O_SET, MS_DIRSYNC },
	{ "remount", O_SET, MS_REMOUNT },
	{ "mand", O_SET, MS_MANDLOCK },
	{ "nomand", O_CLR, MS_MANDLOCK },
	{ "atime", O_CLR, MS_NOATIME },
	{ "noatime", O_SET, MS_NOATIME },
	{ "diratime", O_CLR, MS_NODIRATIME },
	{ "nodiratime", O_SET, MS_NODIRATIME },
	{ "relatime", O_SET, MS_RELATIME },
	{ "norelatime", O_CLR, MS_RELATIME },
	{ "strictatime", O_SET, MS_STRICTATIME },
	{ "nostrictatime", O_CLR, MS_STRICTATIME },
	{ "lazytime", O_SET, MS_LAZYTIME },
	{ "nolazytime", O_CLR, MS_LAZYTIME },
	{ "silent", O_SET, MS_SILENT },
	{ "loud", O_CLR, MS_SILENT },
	{ "nosymfollow", O_SET, MS_NOSYMFOLLOW },
	{ "bind", O_BIND, MS_BIND },
	{ "rbind", O_BIND, MS_BIND | MS_REC },
	{ "private", O_PROP, MS_PRIVATE },
	{ "rprivate", O_PROP, MS_PRIVATE | MS_REC },
	{ "shared", O_PROP, MS_SHARED },
	{ "rshared", O_PROP, MS_SHARED | MS_REC },
	{ "slave", O_PROP, MS_SLAVE },
	{ "rslave", O_PROP, MS_SLAVE | MS_REC },
	{ "unbindable", O_PROP, MS_UNBINDABLE },
	{ "runbindable", O_PROP, MS_UNBINDABLE | MS_REC },
	{ "rro", O_ASET, MOUNT_ATTR_RDONLY },
	{ "rrw", O_ACLR, MOUNT_ATTR_RDONLY },
	{ "rnosuid", O_ASET, MOUNT_ATTR_NOSUID },
	{ "rsuid", O_ACLR, MOUNT_ATTR_NOSUID },
	{ "rnodev", O_ASET, MOUNT_ATTR_NODEV },
	{ "rdev", O_ACLR, MOUNT_ATTR_NODEV },
	{ "rnoexec", O_ASET, MOUNT_ATTR_NOEXEC },
	{ "rexec", O_ACLR, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", O_ASET, MOUNT_ATTR_NODIRATIME },
	{ "rdiratime", O_ACLR, MOUNT_ATTR_NODIRATIME },
	{ "rnoatime", O_ASET, MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
	{ "ratime", O_ASET, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
	{ "rrelatime", O_ASET, MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
	{ "rnorelatime", O_ASET, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
	{ "rstrictatime", O_ASET, MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
	{ "rnosymfollow", O_ASET, MOUNT_ATTR_NOSYMFOLLOW },
	{ "rsymfollow", O_ACLR, MOUNT_ATTR_NOSYMFOLLOW },
	{ "idmap", O_IDMAP, 0 },
	{ "ridmap", O_IDMAP, 1 },
	{ "tmpcopyup", O_COPYUP, 0 },
};

#define NOPTIONS (int)(sizeof(options) / sizeof(options[0]))

int mnt_option_count(void)
{
	return NOPTIONS;
}

const char *mnt_option_name(int i)
{
	return i >= 0 && i < NOPTIONS ? options[i].name : NULL;
}

struct mopts {
	unsigned long flags;
	unsigned long prop[8];
	int nprop;
	bool bind;
	bool idmap, ridmap; /* an idmapped mount (ridmap: submounts too) */
	bool copyup;	    /* tmpcopyup */
	struct mount_attr attr;
	char data[4096];
};

static const struct mount_opt *find_option(const char *name)
{
	for (int i = 0; i < NOPTIONS; i++)
		if (!strcmp(options[i].name, name))
			return &options[i];
	return NULL;
}

static void add_data(struct mopts *o, const char *opt)
{
	size_t len = strlen(o->data);

	rt_snprintf(o->data + len, sizeof(o->data) - len, "%s%s", len ? "," : "", opt);
}

static int apply_option(struct mopts *o, const struct mount_opt *mo, const char *name,
			struct rt_err *err)
{
	switch (mo->kind) {
	case O_SET:
		o->flags |= mo->val;
		break;
	case O_CLR:
		o->flags &= ~(unsigned long)mo->val;
		break;
	case O_BIND:
		o->flags |= mo->val;
		o->bind = true;
		break;
	case O_PROP:
		if (o->nprop < 8)
			o->prop[o->nprop++] = mo->val;
		break;
	case O_ASET:
		o->attr.attr_clr |= mo->mask;
		o->attr.attr_set |= mo->val;
		break;
	case O_ACLR:
		o->attr.attr_clr |= mo->val;
		break;
	case O_IDMAP:
		o->idmap = true;
		o->ridmap |= mo->val;
		break;
	case O_COPYUP:
		o->copyup = true;
		break;
	}
	return 0;
}

static int parse_options(const struct spec_mount *sm, struct mopts *o, struct rt_err *err)
{
	memset(o, 0, sizeof(*o));
	for (int i = 0; i < sm->noptions; i++) {
		const struct mount_opt *mo = find_option(sm->options[i]);
		int r;

		if (!mo) {
			add_data(o, sm->options[i]);
			continue;
		}
		if ((r = apply_option(o, mo, sm->options[i], err)) < 0)
			return r;
	}
	if (sm->type && !strcmp(sm->type, "bind")) {
		o->bind = true;
		o->flags |= MS_BIND;
	}
	/* mappings without idmap/ridmap: a plain (non-recursive) idmap, as runc does */
	if (sm->nuid_mappings || sm->ngid_mappings)
		o->idmap = true;
	if (o->idmap && !o->bind)
		return rt_fail(err, EINVAL, "idmap: only bind mounts can be idmapped");
	if (o->copyup && (o->bind || !sm->type || strcmp(sm->type, "tmpfs")))
		return rt_fail(err, EINVAL, "tmpcopyup: only a tmpfs can copy up");
	return 0;
}

static void fd_path(char *buf, size_t size, int fd)
{
	rt_snprintf(buf, size, "/proc/self/fd/%d", fd);
}

/* ---- idmapped trees, made in runt before clone ---- */

/* Which user namespace maps the mount (runtime-spec 1.2): the mount's own mappings, else
 * the container's: a joined one as it is, a new one rebuilt from linux.uidMappings. */
static int idmap_userns(const struct spec *s, const struct spec_mount *sm, int userns_fd,
			struct rt_err *err)
{
	const struct spec_linux *l = &s->linux;
	int fd;

	if (sm->nuid_mappings)
		return ns_userns_fd(sm->uid_mappings, sm->nuid_mappings, sm->gid_mappings,
				    sm->ngid_mappings, err);
	if (userns_fd >= 0) {
		fd = rt_fcntl(userns_fd, F_DUPFD_CLOEXEC, 3);
		return fd >= 0 ? fd : rt_sysfail(err, "dup user namespace fd");
	}
	if (l->ns[NS_USER].enabled && l->nuid_mappings && l->ngid_mappings)
		return ns_userns_fd(l->uid_mappings, l->nuid_mappings, l->gid_mappings,
				    l->ngid_mappings, err);
	return rt_fail(err, EINVAL,
		       "idmap: the mount has no uidMappings/gidMappings and the container no "
		       "user namespace to take them from");
}

/* mount_setattr answers EINVAL for a filesystem without FS_ALLOW_IDMAP: say so. */
static int idmap_error(const char *source, struct rt_err *err)
{
	int e = errno;

	if (e == ENOSYS)
		return rt_fail(err, e, "idmapped mounts need Linux 5.12 or later (mount_setattr)");
	if (e == EINVAL || e == EOPNOTSUPP)
		return rt_fail(err, e,
			       "idmapped mounts are not supported by the filesystem of %s (hint: "
			       "ext4, xfs, btrfs, overlayfs and, from Linux 6.3, tmpfs can be "
			       "idmapped; every submount too with ridmap)",
			       source);
	rt_errnofail(err, e, "idmap %s", source);
	return e == EPERM ? rt_hint(err, "an already idmapped mount cannot be idmapped again") : -e;
}

int mnt_tree(int dirfd, const char *path, bool rec)
{
	return syscall(SYS_open_tree, dirfd, path,
		       OPEN_TREE_CLONE | O_CLOEXEC | (rec ? AT_RECURSIVE : 0));
}

int mnt_idmap(int tree, bool ridmap, int userns_fd)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)userns_fd };

	return syscall(SYS_mount_setattr, tree, "", AT_EMPTY_PATH | (ridmap ? AT_RECURSIVE : 0),
		       &attr, sizeof(attr));
}

static int make_tree(const struct spec_mount *sm, const struct mopts *o, int bundlefd,
		     int userns_fd, struct rt_err *err)
{
	int fd, r;

	if (!sm->source)
		return rt_fail(err, EINVAL, "bind mount without a source");
	fd = mnt_tree(bundlefd, sm->source, o->flags & MS_REC);
	if (fd < 0)
		return rt_sysfail(err, "open source %s", sm->source);
	if (mnt_idmap(fd, o->ridmap, userns_fd) < 0) {
		r = idmap_error(sm->source, err);
		close(fd);
		return r;
	}
	return fd;
}

static int prepare_tree(struct mnt_trees *t, const struct spec *s, int i, const struct mopts *o,
			int bundlefd, int userns_fd, struct rt_err *err)
{
	int nsfd, fd;

	if (t->n == MNT_MAX_TREES)
		return rt_fail(err, E2BIG, "more than %d idmapped mounts", MNT_MAX_TREES);
	if ((nsfd = idmap_userns(s, &s->mounts[i], userns_fd, err)) < 0)
		return nsfd;
	fd = make_tree(&s->mounts[i], o, bundlefd, nsfd, err);
	close(nsfd);
	if (fd < 0)
		return fd;
	t->index[t->n] = i;
	t->fd[t->n++] = fd;
	return 0;
}

/* Options are checked here for every mount, so a bad one fails before clone. Relative
 * sources are relative to the bundle. */
int mnt_trees_prepare(struct mnt_trees *t, const struct spec *s, const char *bundle, int userns_fd,
		      struct rt_err *err)
{
	int bundlefd = -1, r = 0;
	struct mopts o;

	t->n = 0;
	for (int i = 0; i < s->nmounts; i++) {
		r = parse_options(&s->mounts[i], &o, err);
		if (r == 0 && !o.idmap)
			continue;
		if (r == 0 && bundlefd < 0 &&
		    (bundlefd = rt_open(bundle, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
			r = rt_sysfail(err, "open bundle %s", bundle);
		if (r == 0)
			r = prepare_tree(t, s, i, &o, bundlefd, userns_fd, err);
		if (r < 0) {
			rt_wrap(err, "mount %s (.mounts[%d])", s->mounts[i].destination, i);
			break;
		}
	}
	if (bundlefd >= 0)
		close(bundlefd);
	if (r < 0)
		mnt_trees_close(t);
	return r;
}

/* Whether path is base or below it. */
static bool is_under(const char *path, const char *base)
{
	size_t n = strlen(base);

	return !strncmp(path, base, n) && (path[n] == '/' || !path[n] || n == 1);
}

/* Issue 18: an init in a user namespace may not search a root-only directory above a bind
 * source, which runc and crun bind all the same. So runt opens each plain bind source with
 * its own privileges, resolved as the init would (from the init's root, root = its
 * /proc/<pid>/root, so the fd lives in the init's mount namespace), and hands it over.
 * Not a source inside the rootfs (the image shapes that path) nor a relative one (inside
 * the bundle): the init opens those itself, as before. */
int mnt_source_open(int root, const struct spec *s, int i)
{
	static char clean[4096], rootfs[4096];
	static struct mopts o;
	const struct spec_mount *sm = &s->mounts[i];
	struct rt_err err;

	if (parse_options(sm, &o, &err) < 0 || !o.bind || o.idmap || !sm->source ||
	    *sm->source != '/')
		return -1;
	path_clean(sm->source, clean, sizeof(clean));
	path_clean(s->root_path, rootfs, sizeof(rootfs));
	return is_under(clean, rootfs) ? -1 : path_open_in_root(root, clean, O_PATH);
}

void mnt_trees_close(struct mnt_trees *t)
{
	for (int i = 0; i < t->n; i++)
		close(t->fd[i]);
	t->n = 0;
}

static int tree_fd(const struct mnt_ctx *m, int i)
{
	for (int k = 0; m->trees && k < m->trees->n; k++)
		if (m->trees->index[k] == i)
			return m->trees->fd[k];
	return -1;
}

/* Keep the flags a remount may not drop (locked in a user namespace) and add `extra`.
 * statfs, not statvfs (musl converts the same f_flags into another struct). */
static unsigned long kept_flags(const char *path)
{
	static const struct {
		uint32_t st, ms;
	} map[] = {
		{ ST_RDONLY, MS_RDONLY },     { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV },	      { ST_NOEXEC, MS_NOEXEC },
		{ ST_NOATIME, MS_NOATIME },   { ST_NODIRATIME, MS_NODIRATIME },
		{ ST_RELATIME, MS_RELATIME },
	};
	struct statfs sf;
	unsigned long flags = 0;

	if (statfs(path, &sf) < 0)
		return 0;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sf.f_flags & map[i].st)
			flags |= map[i].ms;
	return flags;
}

static int remount_bind(const char *path, unsigned long flags, const char *what, struct rt_err *err)
{
	flags |= kept_flags(path) | MS_BIND | MS_REMOUNT;
	if (mount(NULL, path, NULL, flags, NULL) < 0)
		return rt_sysfail(err, "remount %s", what);
	return 0;
}

static const char inside_proc[] =
    "%s leads inside /proc: only a procfs on /proc and lxcfs-style files (cpuinfo...) "
    "may be mounted there";

/* Where a mount may go in /proc (proc_dest): nowhere (the default), over a file lxcfs
 * emulates, or on /proc itself. */
enum { PROC_NO, PROC_FILE, PROC_ROOT };

struct mnt_target {
	int fd;	       /* O_PATH of the destination (or the new mount on top of it) */
	char path[64]; /* /proc/self/fd/N */
	int proc;      /* PROC_* */
};

static int target_open(struct mnt_ctx *m, const char *dest, bool is_file, struct mnt_target *t,
		       struct rt_err *err)
{
	t->fd = path_make_in_root(m->rootfd, dest, is_file, err);
	if (t->fd < 0)
		return t->fd;
	fd_path(t->path, sizeof(t->path), t->fd);
	/* where it resolved: a symlink of the image must not lead a mount into /proc */
	if (t->proc == PROC_NO && procfs_is(t->fd))
		return rt_fail(err, EPERM, inside_proc, dest);
	return 0;
}

/* After mounting on top of it, the old fd still names the covered directory. */
static int target_reopen(struct mnt_ctx *m, const char *dest, struct mnt_target *t,
			 struct rt_err *err)
{
	close(t->fd);
	t->fd = path_open_in_root(m->rootfd, dest, O_PATH);
	if (t->fd < 0)
		return rt_sysfail(err, "reopen %s", dest);
	fd_path(t->path, sizeof(t->path), t->fd);
	return 0;
}

/* given: the source as runt opened it (mnt_source_open), else -1: the init opens it. */
static int bind_source(const char *src, int given, char *path, size_t size, bool *is_file,
		       struct rt_err *err)
{
	struct stat st;
	int fd =
	    given >= 0 ? rt_fcntl(given, F_DUPFD_CLOEXEC, 0) : rt_open(src, O_PATH | O_CLOEXEC);

	if (fd < 0)
		return rt_sysfail(err, "open source %s", src);
	if (rt_fstat(fd, &st) < 0) {
		close(fd);
		return rt_sysfail(err, "stat source %s", src);
	}
	*is_file = !S_ISDIR(st.st_mode);
	fd_path(path, size, fd);
	return fd;
}

static bool is_cgroup_type(const char *type)
{
	return type && (!strcmp(type, "cgroup") || !strcmp(type, "cgroup2"));
}

/* Without a cgroup namespace a fresh cgroup2 mount would show the host's whole tree;
 * like runc, bind the container's own cgroup instead (finish_mount then remounts it with
 * the options asked for: ro, nosuid, ...). A user namespace may mount cgroup2 only in a
 * cgroup namespace of its own: rootless without either gets the host's tree bound (runc). */
static int mount_cgroup(struct mnt_ctx *m, struct mnt_target *t, struct mopts *o,
			struct rt_err *err)
{
	unsigned long fl = o->flags & ~(MS_BIND | MS_REC);
	const char *src = m->cgroup;

	if (m->cgroupns || !*src) {
		if (mount("cgroup2", t->path, "cgroup2", fl, o->data[0] ? o->data : NULL) == 0)
			return 0;
		if (!m->userns || errno != EPERM)
			return rt_sysfail(err, "mount cgroup2");
		src = "/sys/fs/cgroup";
	}
	o->bind = true;
	if (mount(src, t->path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return rt_sysfail(err, "bind cgroup %s", src);
	return 0;
}

static int mount_bind(struct mnt_ctx *m, const char *source, int given, const char *dest,
		      struct mopts *o, struct mnt_target *t, struct rt_err *err)
{
	char src[64];
	bool is_file = false;
	int sfd, r;

	if (!source)
		return rt_fail(err, EINVAL, "bind mount without a source");
	if ((sfd = bind_source(source, given, src, sizeof(src), &is_file, err)) < 0)
		return sfd;
	r = t->proc == PROC_ROOT && !procfs_is(sfd) ? rt_fail(err, EPERM, inside_proc, source)
						    : target_open(m, dest, is_file, t, err);
	if (r == 0 && mount(src, t->path, NULL, o->flags & (MS_BIND | MS_REC), NULL) < 0)
		r = rt_sysfail(err, "bind %s", source);
	close(sfd);
	return r;
}

/* ---- tmpcopyup: a tmpfs over a directory starts with that directory's contents ---- */

#define COPYUP_MAX_DEPTH 32

struct dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* The container child is single-threaded and must not malloc: one static buffer. */
static char copy_buf[65536];

static int copy_meta(int fd, const struct stat *st)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };

	/* chown first: it clears setuid/setgid bits that fchmod then puts back */
	if (rt_fchown(fd, st->st_uid, st->st_gid) < 0 || rt_fchmod(fd, st->st_mode & 07777) < 0)
		return -1;
	return rt_futimens(fd, times);
}

static int copy_data(int in, int out)
{
	ssize_t n;

	while ((n = read(in, copy_buf, sizeof(copy_buf))) > 0)
		for (ssize_t off = 0, w; off < n; off += w)
			if ((w = write(out, copy_buf + off, n - off)) < 0)
				return -1;
	return n < 0 ? -1 : 0;
}

static int copy_reg(int src, int dst, const char *name, const struct stat *st)
{
	int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC), out, r = -1;

	if (in < 0)
		return -1;
	out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out >= 0) {
		r = copy_data(in, out) < 0 ? -1 : copy_meta(out, st);
		close(out);
	}
	close(in);
	return r;
}

static int copy_other(int src, int dst, const char *name, const struct stat *st)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };
	ssize_t n;

	if (S_ISLNK(st->st_mode)) {
		if ((n = readlinkat(src, name, copy_buf, sizeof(copy_buf) - 1)) < 0)
			return -1;
		copy_buf[n] = '\0';
		if (symlinkat(copy_buf, dst, name) < 0)
			return -1;
	} else if (mknodat(dst, name, st->st_mode, st->st_rdev) < 0 ||
		   rt_fchmodat(dst, name, st->st_mode & 07777, 0) < 0) {
		return -1;
	}
	if (fchownat(dst, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
		return -1;
	return rt_utimensat(dst, name, times, AT_SYMLINK_NOFOLLOW);
}

static int copy_dir(int src, int dst, int depth, struct rt_err *err);

static int copy_subdir(int src, int dst, const char *name, const struct stat *st, int depth,
		       struct rt_err *err)
{
	int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, in, out, r;

	if (mkdirat(dst, name, 0700) < 0 || (in = openat(src, name, flags)) < 0)
		return rt_sysfail(err, "tmpcopyup: copy %s", name);
	if ((out = openat(dst, name, flags)) < 0) {
		close(in);
		return rt_sysfail(err, "tmpcopyup: copy %s", name);
	}
	r = copy_dir(in, out, depth + 1, err);
	if (r == 0 && copy_meta(out, st) < 0)
		r = rt_sysfail(err, "tmpcopyup: copy %s", name);
	close(in);
	close(out);
	return r;
}

static int copy_entry(int src, int dst, const char *name, int depth, struct rt_err *err)
{
	struct stat st;

	if (rt_fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return rt_sysfail(err, "tmpcopyup: stat %s", name);
	if (S_ISDIR(st.st_mode))
		return copy_subdir(src, dst, name, &st, depth, err);
	if (S_ISSOCK(st.st_mode)) /* a socket cannot be copied: its listener is elsewhere */
		return 0;
	if ((S_ISREG(st.st_mode) ? copy_reg(src, dst, name, &st)
				 : copy_other(src, dst, name, &st)) < 0)
		return rt_sysfail(err, "tmpcopyup: copy %s", name);
	return 0;
}

/* getdents64 directly: readdir would malloc in the container child. Depth is bounded so a
 * hostile image cannot run the child out of stack or fds. */
static int copy_dir(int src, int dst, int depth, struct rt_err *err)
{
	char buf[2048] __attribute__((aligned(8)));
	long n;
	int r;

	if (depth > COPYUP_MAX_DEPTH)
		return rt_fail(err, ELOOP, "tmpcopyup: more than %d directory levels",
			       COPYUP_MAX_DEPTH);
	while ((n = syscall(SYS_getdents64, src, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(buf + off);

			off += d->d_reclen;
			if (!strcmp(d->d_name, ".") || !strcmp(d->d_name, ".."))
				continue;
			if ((r = copy_entry(src, dst, d->d_name, depth, err)) < 0)
				return r;
		}
	}
	return n < 0 ? rt_sysfail(err, "tmpcopyup: read directory") : 0;
}

/* The tmpfs root takes the covered directory's owner and mode unless mode= was given; a
 * read-only tmpfs is mounted writable for the copy and made read-only after it. */
static int copy_up(struct mnt_ctx *m, const struct spec_mount *sm, const struct mopts *o, int lower,
		   struct rt_err *err)
{
	int upper = path_open_in_root(m->rootfd, sm->destination, O_DIRECTORY), r;
	char path[64];
	struct stat st;

	if (upper < 0)
		return rt_sysfail(err, "open the tmpfs on %s", sm->destination);
	r = copy_dir(lower, upper, 0, err);
	if (r == 0 && !rt_strstr(o->data, "mode=") &&
	    (rt_fstat(lower, &st) < 0 || copy_meta(upper, &st) < 0))
		r = rt_sysfail(err, "tmpcopyup: copy the owner and mode of %s", sm->destination);
	fd_path(path, sizeof(path), upper);
	if (r == 0 && (o->flags & MS_RDONLY) &&
	    mount(NULL, path, NULL, MS_REMOUNT | (o->flags & ~MS_REMOUNT),
		  o->data[0] ? o->data : NULL) < 0)
		r = rt_sysfail(err, "remount %s read-only", sm->destination);
	close(upper);
	return r;
}

/* sysfs belongs to the network namespace's owner: a new user namespace that joined a
 * host-owned network namespace may not mount it, so (like runc) bind the host's /sys. */
static bool sysfs_needs_bind(const struct mnt_ctx *m, const struct spec_mount *sm)
{
	return errno == EPERM && m->userns && sm->type && !strcmp(sm->type, "sysfs");
}

static bool is_type(const struct spec_mount *sm, const char *type)
{
	return sm->type && !strcmp(sm->type, type);
}

/* linux.mountLabel (SELinux, on: lsm_check): ',context="LABEL"' labels a new filesystem
 * as a whole; "" without a label. */
static const char *context_opt(const struct spec *s, char *buf, size_t size)
{
	const char *l = s->linux.mount_label;

	buf[0] = '\0';
	if (l && *l)
		rt_snprintf(buf, size, ",context=\"%s\"", l);
	return buf;
}

/* As runc labels: every new filesystem but proc and sysfs (the policy labels those) and
 * mqueue, which takes no options: its root is labelled once mounted (label_root). */
static void add_context(const struct spec *s, const struct spec_mount *sm, struct mopts *o)
{
	char opt[4200];

	if (*context_opt(s, opt, sizeof(opt)) && !is_type(sm, "proc") && !is_type(sm, "sysfs") &&
	    !is_type(sm, "mqueue"))
		add_data(o, opt + 1);
}

static int label_root(struct mnt_ctx *m, const struct spec_mount *sm, struct mnt_target *t,
		      struct rt_err *err)
{
	const char *l = m->s->linux.mount_label;
	int r;

	if (!l || !*l || !is_type(sm, "mqueue"))
		return 0;
	if ((r = target_reopen(m, sm->destination, t, err)) < 0)
		return r;
	if (setxattr(t->path, "security.selinux", l, strlen(l), 0) < 0)
		return rt_sysfail(err, "label the mqueue \"%s\"", l);
	return 0;
}

static int mount_fs(struct mnt_ctx *m, const struct spec_mount *sm, struct mopts *o,
		    struct mnt_target *t, struct rt_err *err)
{
	unsigned long fl = o->flags & ~(MS_REMOUNT | (o->copyup ? MS_RDONLY : 0));
	int r = target_open(m, sm->destination, false, t, err), lower = -1;

	if (r < 0)
		return r;
	add_context(m->s, sm, o);
	/* the directory the tmpfs is about to cover, opened while it is still reachable */
	if (o->copyup && (lower = openat(t->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rt_sysfail(err, "open %s to copy it up", sm->destination);
	if (m->at_cwd && rt_fchdir(t->fd) < 0)
		return rt_sysfail(err, "chdir %s", sm->destination);
	if (mount(sm->source ? sm->source : "none", m->at_cwd ? "." : t->path, sm->type, fl,
		  o->data[0] ? o->data : NULL) == 0) {
		r = lower >= 0 ? copy_up(m, sm, o, lower, err) : 0;
		if (lower >= 0)
			close(lower);
		return r;
	}
	if (lower >= 0)
		close(lower);
	if (!sysfs_needs_bind(m, sm))
		return rt_sysfail(err, "mount %s", sm->type ? sm->type : "");
	close(t->fd);
	t->fd = -1;
	o->bind = true;
	o->flags |= MS_BIND | MS_REC;
	return mount_bind(m, "/sys", -1, sm->destination, o, t, err);
}

/* The tree runt idmapped before clone: a detached mount moved onto the destination by fd. */
static int mount_tree(struct mnt_ctx *m, const struct spec_mount *sm, int tree,
		      struct mnt_target *t, struct rt_err *err)
{
	struct stat st;
	int r;

	if (tree < 0)
		return rt_fail(err, EINVAL, "idmapped mount was not prepared");
	if (rt_fstat(tree, &st) < 0)
		return rt_sysfail(err, "stat the idmapped mount of %s", sm->source);
	if ((r = target_open(m, sm->destination, !S_ISDIR(st.st_mode), t, err)) < 0)
		return r;
	if (syscall(SYS_move_mount, tree, "", t->fd, "",
		    MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
		return rt_sysfail(err, "move the idmapped mount of %s", sm->source);
	return 0;
}

static int do_mount(struct mnt_ctx *m, int i, const struct spec_mount *sm, struct mopts *o,
		    struct mnt_target *t, struct rt_err *err)
{
	int r;

	if (o->idmap)
		return mount_tree(m, sm, tree_fd(m, i), t, err);
	if (is_cgroup_type(sm->type) && !o->bind) {
		if ((r = target_open(m, sm->destination, false, t, err)) < 0)
			return r;
		return mount_cgroup(m, t, o, err);
	}
	if (!o->bind)
		return mount_fs(m, sm, o, t, err);
	return mount_bind(m, sm->source, tree_fd(m, i), sm->destination, o, t, err);
}

/* A bind mount ignores every flag but MS_BIND|MS_REC: the rest needs a remount. */
static int finish_mount(struct mnt_ctx *m, const struct spec_mount *sm, struct mopts *o,
			struct mnt_target *t, struct rt_err *err)
{
	unsigned long fl = o->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	bool attrs = o->attr.attr_set || o->attr.attr_clr;
	int r;

	/* a plain filesystem mount (proc, tmpfs, ...) is done: no need to find it again */
	if (!(o->bind && fl) && !o->nprop && !attrs)
		return 0;
	if ((r = target_reopen(m, sm->destination, t, err)) < 0)
		return r;
	if (o->bind && fl && (r = remount_bind(t->path, fl, sm->destination, err)) < 0)
		return r;
	for (int i = 0; i < o->nprop; i++)
		if (mount(NULL, t->path, NULL, o->prop[i], NULL) < 0)
			return rt_sysfail(err, "set propagation");
	if (attrs && syscall(SYS_mount_setattr, t->fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &o->attr,
			     sizeof(o->attr)) < 0)
		return rt_sysfail(err, "set recursive mount options (Linux 5.12+)");
	return 0;
}

/* runc's list: files lxcfs emulates, each bound over its namesake. */
static const char proc_files[] = "cpuinfo\0diskstats\0meminfo\0stat\0swaps\0uptime\0"
				 "loadavg\0slabinfo\0net/dev\0sys/kernel/ns_last_pid\0"
				 "sys/crypto/fips_enabled\0";

/* CVE-2025-52881 class: a mount inside /proc could redirect what is written there or keep
 * a file out of readonlyPaths' reach. As runc does, /proc takes a procfs (new or bound) and
 * below it only the files above. The destination is taken as the kernel will resolve it
 * (".." included); target_open then checks where a symlink of the image led. */
/* /proc or below, cleaned into path */
static bool in_proc(const char *dest, char *path, size_t size)
{
	path_clean(dest, path, size);
	return !strncmp(path, "/proc", 5) && (!path[5] || path[5] == '/');
}

static int proc_dest(const struct spec_mount *sm, const struct mopts *o, struct mnt_target *t,
		     struct rt_err *err)
{
	char path[4096];

	if (!in_proc(sm->destination, path, sizeof(path)))
		return 0;
	t->proc = PROC_ROOT;
	if (!path[5] && (o->bind || (sm->type && !strcmp(sm->type, "proc"))))
		return 0;
	t->proc = PROC_FILE;
	for (const char *f = proc_files; *f && path[5]; f += strlen(f) + 1)
		if (!strcmp(f, path + 6))
			return 0;
	return rt_fail(err, EPERM, inside_proc, sm->destination);
}

static int mount_one(struct mnt_ctx *m, int i, struct rt_err *err)
{
	const struct spec_mount *sm = &m->s->mounts[i];
	struct mnt_target t = { -1, "", PROC_NO };
	struct mopts o;
	int r;

	r = parse_options(sm, &o, err);
	if (r == 0)
		r = proc_dest(sm, &o, &t, err);
	if (r == 0)
		r = do_mount(m, i, sm, &o, &t, err);
	if (r == 0)
		r = finish_mount(m, sm, &o, &t, err);
	if (r == 0 && !o.bind)
		r = label_root(m, sm, &t, err);
	if (t.fd >= 0)
		close(t.fd);
	if (r < 0)
		return rt_wrap(err, "mount %s (.mounts[%d])", sm->destination, i);
	return 0;
}

static const struct spec_device default_devices[] = {
	{ 'c', "/dev/null", 1, 3, true, false, false, 0666, 0, 0 },
	{ 'c', "/dev/zero", 1, 5, true, false, false, 0666, 0, 0 },
	{ 'c', "/dev/full", 1, 7, true, false, false, 0666, 0, 0 },
	{ 'c', "/dev/random", 1, 8, true, false, false, 0666, 0, 0 },
	{ 'c', "/dev/urandom", 1, 9, true, false, false, 0666, 0, 0 },
	{ 'c', "/dev/tty", 5, 0, true, false, false, 0666, 0, 0 },
};

static const char *const dev_links[][2] = {
	{ "/proc/self/fd", "fd" },	 { "/proc/self/fd/0", "stdin" },
	{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	{ "pts/ptmx", "ptmx" },
};

static mode_t device_type(char t)
{
	return t == 'b' ? S_IFBLK : t == 'p' ? S_IFIFO : S_IFCHR;
}

/* mknod is refused inside a user namespace: bind the host's node instead, as runc does. */
static int bind_device(struct mnt_ctx *m, const struct spec_device *d, struct rt_err *err)
{
	struct mnt_target t = { -1, "", PROC_NO };
	int r = target_open(m, d->path, true, &t, err);

	if (r < 0)
		return r;
	if (mount(d->path, t.path, NULL, MS_BIND, NULL) < 0)
		r = rt_sysfail(err, "bind host device %s", d->path);
	close(t.fd);
	return r;
}

/* umask is 0 in the child, so mknod gives the mode asked for: only a node that was there
 * already is chmod-ed (never through a symlink: the child has not pivoted yet).
 * rt_fchmodat(AT_SYMLINK_NOFOLLOW) costs four syscalls, so it is not done for every node. */
static int make_node(int dirfd, const char *name, const struct spec_device *d, struct rt_err *err)
{
	mode_t mode = (d->has_file_mode ? d->file_mode : 0666) & 07777;

	if (mknodat(dirfd, name, device_type(d->type) | mode, makedev(d->major, d->minor)) < 0) {
		if (errno != EEXIST)
			return rt_sysfail(err, "mknod %s", d->path);
		if (rt_fchmodat(dirfd, name, mode, AT_SYMLINK_NOFOLLOW) < 0 && errno != ENOTSUP)
			return rt_sysfail(err, "chmod %s", d->path);
	}
	if ((d->has_uid || d->has_gid) &&
	    fchownat(dirfd, name, d->has_uid ? d->uid : (uid_t)-1, d->has_gid ? d->gid : (gid_t)-1,
		     AT_SYMLINK_NOFOLLOW) < 0)
		return rt_sysfail(err, "chown %s", d->path);
	return 0;
}

/* The parent directory is made as needed inside the rootfs; its O_PATH fd serves mknodat. */
static int mknod_device(struct mnt_ctx *m, const struct spec_device *d, struct rt_err *err)
{
	char parent_path[4096], *slash;
	int parent, r;

	rt_strlcpy(parent_path, d->path, sizeof(parent_path));
	slash = strrchr(parent_path, '/');
	*slash = '\0';
	parent = path_make_in_root(m->rootfd, parent_path[0] ? parent_path : "/", false, err);
	if (parent < 0)
		return parent;
	r = make_node(parent, slash + 1, d, err);
	close(parent);
	return r;
}

static int create_device(struct mnt_ctx *m, const struct spec_device *d, struct rt_err *err)
{
	int r = m->userns ? bind_device(m, d, err) : mknod_device(m, d, err);

	return r < 0 ? rt_wrap(err, "create device %s", d->path) : 0;
}

static bool dev_is_tmpfs(const struct spec *s)
{
	for (int i = 0; i < s->nmounts; i++)
		if (!strcmp(s->mounts[i].destination, "/dev"))
			return s->mounts[i].type && !strcmp(s->mounts[i].type, "tmpfs");
	return false;
}

/* /dev is the tmpfs just mounted: one fd of it for every node and link. */
static int default_dev(struct mnt_ctx *m, struct rt_err *err)
{
	int devfd = path_open_in_root(m->rootfd, "/dev", O_DIRECTORY), r;

	if (devfd < 0)
		return rt_sysfail(err, "open /dev");
	for (size_t i = 0; i < sizeof(default_devices) / sizeof(default_devices[0]); i++) {
		const struct spec_device *d = &default_devices[i];

		r = m->userns ? bind_device(m, d, err) : make_node(devfd, d->path + 5, d, err);
		if (r < 0) {
			close(devfd);
			return rt_wrap(err, "create device %s", d->path);
		}
	}
	for (size_t i = 0; i < sizeof(dev_links) / sizeof(dev_links[0]); i++) {
		if (!strcmp(dev_links[i][1], "ptmx"))
			unlinkat(devfd, "ptmx", 0);
		if (symlinkat(dev_links[i][0], devfd, dev_links[i][1]) < 0 && errno != EEXIST) {
			r = rt_sysfail(err, "symlink /dev/%s", dev_links[i][1]);
			close(devfd);
			return r;
		}
	}
	close(devfd);
	return 0;
}

/* Whether a mount of the new namespace may still be shared (with the host): only when
 * rootfsPropagation asks for shared, or changes "/" alone. A recursive slave (the default),
 * private or unbindable leaves no mount shared. */
static bool maybe_shared(const struct spec *s)
{
	unsigned long prop = s->linux.rootfs_propagation;

	return prop && (!(prop & MS_REC) || (prop & MS_SHARED));
}

static int root_propagation(const struct spec *s, struct rt_err *err)
{
	unsigned long prop = s->linux.rootfs_propagation;

	/* slave by default: the container sees host mounts come and go, never the reverse */
	if (mount(NULL, "/", NULL, prop ? prop : MS_SLAVE | MS_REC, NULL) < 0)
		return rt_sysfail(err, "set propagation of /");
	return 0;
}

/* Field 5 (the mount point) of a mountinfo line. Not sscanf: musl's scanf and float parser
 * cost ~10 KB of binary. */
static int mountinfo_point(const char *line, char *mp, size_t size)
{
	const char *p = line, *e;

	for (int i = 0; i < 4 && p; i++)
		if ((p = strchr(p, ' ')))
			p++;
	if (!p || !(e = strchr(p, ' ')) || e == p || (size_t)(e - p) >= size)
		return -1;
	memcpy(mp, p, e - p);
	mp[e - p] = '\0';
	return 0;
}

/* fn on each mount point in turn, until it fails; read through runt's procfs, as the
 * container's /proc is not to be trusted once pivot_root made it ours. */
static int each_mount(int (*fn)(const char *mp, void *arg), void *arg, struct rt_err *err)
{
	static struct rt_lines f; /* 8 KB: off the stack */
	char *line, mp[4096];
	int r = 0;

	f.off = f.len = 0;
	if ((f.fd = procfs_open("self/mountinfo", O_RDONLY, err)) < 0)
		return f.fd;
	while (r == 0 && (line = rt_lines_next(&f)))
		if (mountinfo_point(line, mp, sizeof(mp)) == 0)
			r = fn(mp, arg);
	close(f.fd);
	return r;
}

struct parent {
	const char *path;
	char mp[4096];
	size_t best;
};

/* The mount point under which path lives: the longest one that prefixes it. */
static int longest_prefix(const char *mp, void *arg)
{
	struct parent *p = arg;
	size_t n = strlen(mp);

	if (n >= p->best && is_under(p->path, mp)) {
		p->best = n;
		rt_strlcpy(p->mp, mp, sizeof(p->mp));
	}
	return 0;
}

/* pivot_root refuses a new root whose parent mount is shared (rootfsPropagation "shared"
 * makes every mount so): make just that parent private, as runc does. */
static int parent_private(const char *root, struct rt_err *err)
{
	static struct parent p; /* 4 KB: off the stack */
	int r;

	p.path = root;
	p.best = 0;
	if ((r = each_mount(longest_prefix, &p, err)) < 0)
		return r;
	if (p.best && mount(NULL, p.mp, NULL, MS_PRIVATE, NULL) < 0)
		return rt_sysfail(err, "make %s private", p.mp);
	return 0;
}

/* pivot_root needs the new root to be a mount point. Without a mount namespace (nothing to
 * mount then: runtime.c) the rootfs is only opened, for the chroot. */
static int bind_rootfs(struct mnt_ctx *m, struct rt_err *err)
{
	const char *root = m->s->root_path;
	int r;

	if (m->s->linux.ns[NS_MNT].enabled) {
		if ((r = root_propagation(m->s, err)) < 0 ||
		    (maybe_shared(m->s) && (r = parent_private(root, err)) < 0))
			return r;
		if (mount(root, root, NULL, MS_BIND | MS_REC, NULL) < 0)
			return rt_sysfail(err, "bind rootfs %s", root);
	}
	m->rootfd = rt_open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (m->rootfd < 0)
		return rt_sysfail(err, "open rootfs %s", root);
	return 0;
}

static bool is_null(int fd)
{
	struct stat st;

	return rt_fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

/* CVE-2025-31133: the image's /dev/null may be a symlink to anything (a masked path would
 * become a bind of /proc/sys/kernel/hostname). Files are masked with runt's own /dev/null
 * instead: the host's, cloned before pivot_root as a detached mount and checked through
 * that very fd. Before Linux 5.2 (no open_tree) it is the container's, checked the same. */
static int null_tree(struct mnt_ctx *m, struct rt_err *err)
{
	m->nulltree = syscall(SYS_open_tree, AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | O_CLOEXEC);
	if (m->nulltree < 0 && errno != ENOSYS)
		return rt_sysfail(err, "open /dev/null");
	if (m->nulltree >= 0 && !is_null(m->nulltree))
		return rt_fail(err, ENODEV, "/dev/null is not the null device");
	return 0;
}

/* With a joined pid namespace (late_proc) procfs is mounted by the init after it entered it,
 * once "/" is the rootfs (mnt_late_proc): -EAGAIN. A host bind inside /proc cannot wait for
 * that, as its source is gone after pivot_root: refused. */
static int late_mount(const struct mnt_ctx *m, int i, struct rt_err *err)
{
	const struct spec_mount *sm = &m->s->mounts[i];
	char path[4096];

	if (!m->late_proc || !in_proc(sm->destination, path, sizeof(path)))
		return 0;
	if (sm->type && !strcmp(sm->type, "proc"))
		return -EAGAIN;
	return rt_fail(err, EINVAL,
		       ".mounts[%d]: %s: a mount inside /proc needs a pid namespace of "
		       "its own",
		       i, sm->destination);
}

int mnt_late_proc(struct mnt_ctx *m, struct rt_err *err)
{
	int r = 0;

	if ((m->rootfd = rt_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rt_sysfail(err, "open the rootfs");
	m->at_cwd = true;
	for (int i = 0; i < m->s->nmounts && r == 0; i++)
		if (late_mount(m, i, err) == -EAGAIN)
			r = mount_one(m, i, err);
	m->at_cwd = false;
	close(m->rootfd);
	m->rootfd = -1;
	if (r == 0 && chdir("/") < 0)
		r = rt_sysfail(err, "chdir /");
	return r;
}

int mnt_prepare(struct mnt_ctx *m, struct rt_err *err)
{
	const struct spec *s = m->s;
	int r;

	m->nulltree = -1;
	if ((r = bind_rootfs(m, err)) < 0)
		return r;
	/* relative bind sources are relative to the bundle */
	if (chdir(m->bundle) < 0)
		return rt_sysfail(err, "chdir %s", m->bundle);
	for (int i = 0; i < s->nmounts; i++) {
		if ((r = late_mount(m, i, err)) == 0)
			r = mount_one(m, i, err);
		if (r < 0 && r != -EAGAIN)
			return r;
	}
	if (dev_is_tmpfs(s) && (r = default_dev(m, err)) < 0)
		return r;
	for (int i = 0; i < s->linux.ndevices; i++)
		if ((r = create_device(m, &s->linux.devices[i], err)) < 0)
			return r;
	return s->linux.nmasked_paths ? null_tree(m, err) : 0;
}

/* After pivot_root(".", ".") the old root is stacked on the new one. mount(2) resolves "."
 * to the cwd's own mount (the new root: an rshared bind there would lose its peers), so
 * stand in the old root by fd to make its tree a slave before detaching it when it may
 * still be shared: its unmount must never propagate to the host. umount2 follows "." up
 * to the old root by itself. */
static int pivot_old_root(bool shared, struct rt_err *err)
{
	int old = rt_open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), r = 0;

	if (old < 0)
		return rt_sysfail(err, "open the old root");
	if (rt_pivot_root(".", ".") < 0)
		r = rt_sysfail(err, "pivot_root");
	else if (rt_fchdir(old) < 0)
		r = rt_sysfail(err, "chdir to the old root");
	else if (shared && mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
		r = rt_sysfail(err, "make old root a slave");
	else if (umount2(".", MNT_DETACH) < 0)
		r = rt_sysfail(err, "detach old root");
	close(old);
	return r;
}

int mnt_pivot(struct mnt_ctx *m, bool no_pivot, struct rt_err *err)
{
	int r;

	if (rt_fchdir(m->rootfd) < 0)
		return rt_sysfail(err, "chdir rootfs");
	if (no_pivot && mount(".", "/", NULL, MS_MOVE, NULL) < 0)
		return rt_sysfail(err, "move rootfs to /");
	if (no_pivot || !m->s->linux.ns[NS_MNT].enabled) {
		if (chroot(".") < 0)
			return rt_sysfail(err, "chroot");
	} else if ((r = pivot_old_root(maybe_shared(m->s), err)) < 0) {
		return r;
	}
	close(m->rootfd);
	m->rootfd = -1;
	if (chdir("/") < 0)
		return rt_sysfail(err, "chdir /");
	if (m->s->linux.rootfs_propagation &&
	    mount(NULL, "/", NULL, m->s->linux.rootfs_propagation, NULL) < 0)
		return rt_sysfail(err, "set rootfsPropagation");
	return 0;
}

#define RO_FLAGS (MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC)

/* Before Linux 5.12: a remount of each mount at or below path, in mountinfo's order
 * (parents first). A mount stacked under another at the same point stays as it was. */
static int remount_ro(const char *mp, void *path)
{
	struct rt_err err;

	return is_under(mp, path) ? remount_bind(mp, RO_FLAGS, mp, &err) : 0;
}

/* Recursive (CVE-2025-52881 class): a mount below /proc/sys (a host's binfmt_misc, a bind
 * the config made) must not stay writable under a read-only /proc/sys. */
static int readonly_path(const char *path, struct rt_err *err)
{
	struct mount_attr a = { .attr_set = MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID |
					    MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC };

	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
		if (errno == ENOENT)
			return 0;
		return rt_sysfail(err, "bind read-only path %s", path);
	}
	if (syscall(SYS_mount_setattr, AT_FDCWD, path, AT_RECURSIVE, &a, sizeof(a)) == 0)
		return 0;
	if (errno != ENOSYS)
		return rt_sysfail(err, "make %s read-only", path);
	if (each_mount(remount_ro, (void *)path, err) < 0)
		return rt_wrap(err, "make %s read-only", path);
	return 0;
}

/* The first file masked gets the null mount; later ones are binds of it. */
static int mask_file(struct mnt_ctx *m, const char *path, const char **files)
{
	int fd, r;

	if (*files)
		return mount(*files, path, NULL, MS_BIND, NULL);
	if (m->nulltree >= 0)
		return syscall(SYS_move_mount, m->nulltree, "", AT_FDCWD, path,
			       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_SYMLINKS);
	if ((fd = rt_open("/dev/null", O_PATH | O_CLOEXEC)) < 0)
		return -1;
	r = is_null(fd) ? mount("/dev/null", path, NULL, MS_BIND, NULL) : (errno = ENODEV, -1);
	close(fd);
	return r;
}

/* Files are hidden under /dev/null, directories under an empty read-only tmpfs: one for
 * all of them (*dirs is the first directory masked), as a bind costs far less than a new
 * superblock. Read-only is the superblock's own flag, so every bind of it is read-only.
 * The type is looked up first: binding /dev/null onto a directory fails only after the
 * kernel cloned the mount, and dropping that clone waits for an RCU grace period (~50 us). */
static int mask_path(struct mnt_ctx *m, const char *path, const char **dirs, const char **files,
		     struct rt_err *err)
{
	char data[4200];
	struct stat sb;

	if (rt_stat(path, &sb) < 0)
		return errno == ENOENT ? 0 : rt_sysfail(err, "mask %s", path);
	if (!S_ISDIR(sb.st_mode)) {
		if (mask_file(m, path, files) < 0)
			return rt_sysfail(err, "mask %s", path);
		*files = path;
		return 0;
	}
	if (*dirs && mount(*dirs, path, NULL, MS_BIND, NULL) == 0)
		return 0;
	context_opt(m->s, data + 6, sizeof(data) - 6);
	memcpy(data, "size=0", 6);
	if (mount("tmpfs", path, "tmpfs", MS_RDONLY, data) < 0)
		return rt_sysfail(err, "mask %s", path);
	*dirs = path;
	return 0;
}

int mnt_finalize(struct mnt_ctx *m, struct rt_err *err)
{
	const struct spec_linux *l = &m->s->linux;
	const char *dirs = NULL, *files = NULL;
	int r;

	for (int i = 0; i < l->nreadonly_paths; i++)
		if ((r = readonly_path(l->readonly_paths[i], err)) < 0)
			return r;
	for (int i = 0; i < l->nmasked_paths; i++)
		if ((r = mask_path(m, l->masked_paths[i], &dirs, &files, err)) < 0)
			return r;
	if (m->nulltree >= 0)
		close(m->nulltree);
	if (m->s->root_readonly && (r = remount_bind("/", MS_RDONLY, "/", err)) < 0)
		return r;
	return 0;
}
