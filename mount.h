/* mount.h - the container's filesystem view: spec mounts in order (resolved inside the
 * rootfs, never through a symlink out of it), default /dev, devices, pivot_root, masked
 * and read-only paths. Runs in the container child. */
#ifndef RUNT_MOUNT_H
#define RUNT_MOUNT_H

#include <stdbool.h>

#include "err.h"
#include "spec.h"

#define MNT_MAX_TREES 32

/* An idmapped mount needs CAP_SYS_ADMIN over the source's superblock owner (the initial user
 * namespace), which the init lacks once inside the container's user namespace: runt builds
 * each one as a detached tree before clone and the init moves it into place by fd. */
struct mnt_trees {
	int n;
	int index[MNT_MAX_TREES]; /* of .mounts[] */
	/* open_tree fd, idmapped, not attached anywhere yet; in the init also a bind source
	 * runt opened (mnt_source_open); one spare slot: wait_go receives into it */
	int fd[MNT_MAX_TREES + 1];
};

struct mnt_ctx {
	const struct spec *s;
	const char *bundle;
	const char *cgroup; /* host path of the container's cgroup ("" without one) */
	bool userns;	    /* mknod is refused: bind device nodes instead */
	bool cgroupns;
	int rootfd;   /* O_PATH of the rootfs while mounts are made */
	int nulltree; /* runt's /dev/null, a detached mount, for masked files */
	const struct mnt_trees *trees;
	bool late_proc; /* a joined pid namespace: /proc waits for mnt_late_proc */
	bool at_cwd;	/* mount on ".": no /proc/self/fd before that procfs is there */
};

/* In runt, before clone: the idmapped trees of every idmap/ridmap mount. userns_fd is the
 * container's joined user namespace (-1 when none): a mount without mappings uses it. */
int mnt_trees_prepare(struct mnt_trees *t, const struct spec *s, const char *bundle, int userns_fd,
		      struct rt_err *err);
void mnt_trees_close(struct mnt_trees *t);
/* In runt, for an init in a user namespace: .mounts[i]'s source opened with runt's
 * privileges from root (the init's root), or -1 when the init opens it itself. */
int mnt_source_open(int root, const struct spec *s, int i);

/* Everything up to pivot_root: propagation, the rootfs bind, spec mounts, /dev, devices. */
int mnt_prepare(struct mnt_ctx *m, struct rt_err *err);
/* After pivot_root, in the process that entered a joined pid namespace: the proc mounts
 * mnt_prepare left out (late_proc). */
int mnt_late_proc(struct mnt_ctx *m, struct rt_err *err);
/* pivot_root into the rootfs (or MS_MOVE + chroot with --no-pivot). */
int mnt_pivot(struct mnt_ctx *m, bool no_pivot, struct rt_err *err);
/* After the pivot: masked and read-only paths, a read-only root. */
int mnt_finalize(struct mnt_ctx *m, struct rt_err *err);

/* The mount option table (features lists it). */
/* open_tree(OPEN_TREE_CLONE): a detached copy of path's mount (and submounts with rec). */
int mnt_tree(int dirfd, const char *path, bool rec);
/* mount_setattr(MOUNT_ATTR_IDMAP) on such a tree: 0, or -1 with errno. */
int mnt_idmap(int tree, bool ridmap, int userns_fd);
int mnt_option_count(void);
const char *mnt_option_name(int i); /* NULL past the end */

#endif
