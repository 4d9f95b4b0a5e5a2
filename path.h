/* path.h - the one place that resolves a path inside the container's rootfs: symlinks and
 * ".." are taken as if the rootfs were "/", so no path can lead onto the host. */
#ifndef RUNT_PATH_H
#define RUNT_PATH_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

enum path_create { PATH_NOCREATE, PATH_MKDIR, PATH_MKFILE };

/* Open path inside rootfd with flags (O_PATH, O_DIRECTORY, ...): openat2 RESOLVE_IN_ROOT,
 * or path_walk_in_root on kernels without it. -1 with errno on failure. */
int path_open_in_root(int rootfd, const char *path, int flags);
/* The same resolution done one component at a time (O_NOFOLLOW, symlinks read and resolved
 * by runt, ".." clamped at the root), creating missing components when asked: directories,
 * and the last one as create says. Used when openat2 is missing and to create. */
int path_walk_in_root(int rootfd, const char *path, int flags, enum path_create create);
/* Open path, creating what is missing (the last component as a file when is_file, every
 * other as a directory, all inside the rootfs). Returns an O_PATH fd. */
int path_make_in_root(int rootfd, const char *path, bool is_file, struct rt_err *err);

/* path without "//", "." and ".." ("/" stays "" and "/a/../b" becomes "/b"), into out. */
void path_clean(const char *path, char *out, size_t size);

#endif
