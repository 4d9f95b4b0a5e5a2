/* mount.h - the container's filesystem view: spec mounts in order (resolved inside the
 * rootfs, never through a symlink out of it), default /dev, devices, pivot_root, masked
 * and read-only paths. Runs in the container child. */
#ifndef RUNT_MOUNT_H
#define RUNT_MOUNT_H

#include <stdbool.h>

#include "err.h"
#include "spec.h"

struct mnt_ctx {
	const struct spec *s;
	const char *bundle;
	const char *cgroup; /* host path of the container's cgroup ("" without one) */
	bool userns;	    /* mknod is refused: bind device nodes instead */
	bool cgroupns;
	int rootfd; /* O_PATH of the rootfs while mounts are made */
};

/* Everything up to pivot_root: propagation, the rootfs bind, spec mounts, /dev, devices. */
int mnt_prepare(struct mnt_ctx *m, struct rt_err *err);
/* pivot_root into the rootfs (or MS_MOVE + chroot with --no-pivot). */
int mnt_pivot(struct mnt_ctx *m, bool no_pivot, struct rt_err *err);
/* After the pivot: masked and read-only paths, a read-only root. */
int mnt_finalize(struct mnt_ctx *m, struct rt_err *err);

/* The mount option table (features lists it). */
int mnt_option_count(void);
const char *mnt_option_name(int i); /* NULL when known but not implemented yet */

#endif
