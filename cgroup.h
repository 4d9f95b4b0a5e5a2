/* cgroup.h - cgroup v2 only: where a container's cgroup lives, placing its init there,
 * freezing, killing and removing it. */
#ifndef RUNT_CGROUP_H
#define RUNT_CGROUP_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "resources.h"
#include "spec.h"

/* --systemd-cgroup as runc and crun do it: a transient scope made by systemd over D-Bus
 * (dbus.c), with the limits as its properties. The Makefile's default (SYSTEMD_CGROUP=1, ~5 KB);
 * without it slice:prefix:name only names a cgroupfs path that runt makes itself. */
#ifndef RUNT_SYSTEMD_CGROUP
#define RUNT_SYSTEMD_CGROUP 0
#endif

enum cg_mode { CG_NONE, CG_UNIFIED, CG_HYBRID };

struct cg {
	enum cg_mode mode;
	char mount[PATH_MAX]; /* /sys/fs/cgroup or /sys/fs/cgroup/unified */
	char path[PATH_MAX];  /* absolute directory of the container's cgroup, "" if none */
	int dirfd;	      /* for clone3(CLONE_INTO_CGROUP); -1 when none */
	bool created;	      /* runt made the directory (and must remove it) */
	bool rootless;	      /* set by the caller after cg_resolve (runc's rootless rules) */
	char bus[108];	      /* RUNT_SYSTEMD_CGROUP: the bus of systemd's scope, "" without */
};

/* Find the cgroup2 mount and work out the container's cgroup from cgroupsPath. */
int cg_resolve(struct cg *cg, const struct spec *s, const char *id, bool systemd,
	       struct rt_err *err);
/* Parse linux.resources, create the directory, enable the controllers in every parent,
 * write and verify each limit and attach the device filter; on failure nothing is left. */
int cg_create(struct cg *cg, struct spec *s, struct rt_err *err);
/* `runt update`: a LinuxResources document from file ("-": stdin) or, when file is NULL,
 * from runc's flags (enum res_flag), applied live to the cgroup at path. */
int cg_update(const char *path, const char *file, const char *const flags[RF_COUNT],
	      struct rt_err *err);
/* Put the init there; with a bus, systemd's scope is made for it and the limits applied. */
int cg_enter(struct cg *cg, pid_t pid, struct rt_err *err);
void cg_close(struct cg *cg);

/* The directory of our own cgroup in the cgroup2 mount; -ENOENT without cgroup2. */
int cg_own_dir(char *out, size_t size);
bool cg_is_frozen(const char *path);
int cg_freeze(const char *path, bool freeze, struct rt_err *err);
/* SIGKILL every process (cgroup.kill; fallback: freeze, signal each, thaw). */
int cg_kill_all(const char *path, int sig, struct rt_err *err);
/* Remove the cgroup and any sub-cgroups the container made (deepest first). */
int cg_remove(const char *path, struct rt_err *err);
/* delete: rmdir path; only when tasks or sub-cgroups are left, SIGKILL them and cg_remove.
 * With a bus (a systemd scope), the unit is stopped first. */
int cg_destroy(const char *path, const char *bus, struct rt_err *err);
/* The unit properties for the planned cgroupfs writes w (res_plan) systemd has one for. */
struct dbus_msg;
void cg_sd_props(struct dbus_msg *m, const struct res_write *w, int n);

/* Host pids in cgroup.procs of path and below, written to out; returns the count. */
int cg_pids(const char *path, pid_t *out, int max, struct rt_err *err);

#endif
