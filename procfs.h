/* procfs.h - every write runt makes to /proc: through one verified procfs handle, so no
 * mount (of the config, the image or a running container) can redirect it (CVE-2025-52881
 * class). */
#ifndef RUNT_PROCFS_H
#define RUNT_PROCFS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* The handle: runt's own /proc, opened once, checked to be the root of a procfs. Opened in
 * runt before clone, so the container init inherits it: its writes never depend on the
 * container's /proc, which the config or the image shape. */
int procfs_root(struct rt_err *err);
/* Drop the handle: a process the container can see holds no host directory (issue 17). */
void procfs_close(void);
/* Open rel ("sys/net/core/somaxconn", "self/oom_score_adj", "<pid>/uid_map") below the
 * handle, crossing no mount, following no magic link. */
int procfs_open(const char *rel, int flags, struct rt_err *err);
/* The whole of buf in one write (uid_map, sysctls and the like take one write only). */
int procfs_write(const char *rel, const char *buf, size_t len, struct rt_err *err);
/* Whether fd lives on a procfs. */
bool procfs_is(int fd);

#endif
