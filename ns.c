/* ns.c - namespace table, joining by path, id maps and time offsets. A new user namespace
 * comes with clone, so every namespace the child makes afterwards belongs to it. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compat.h"
#include "exec.h"
#include "fmt.h"
#include "mini.h"
#include "ns.h"
#include "procfs.h"

static const unsigned long ns_flags[NS_COUNT] = {
	[NS_USER] = CLONE_NEWUSER, [NS_PID] = CLONE_NEWPID, [NS_NET] = CLONE_NEWNET,
	[NS_IPC] = CLONE_NEWIPC,   [NS_UTS] = CLONE_NEWUTS, [NS_CGROUP] = CLONE_NEWCGROUP,
	[NS_TIME] = CLONE_NEWTIME, [NS_MNT] = CLONE_NEWNS,
};

unsigned long ns_flag(enum ns_type t)
{
	return ns_flags[t];
}

static int open_paths(struct ns_plan *pl, const struct spec *s, struct rt_err *err)
{
	for (int t = 0; t < NS_COUNT; t++) {
		const struct spec_ns *n = &s->linux.ns[t];

		if (!n->enabled || !n->path)
			continue;
		pl->fds[t] = rt_open(n->path, O_RDONLY | O_CLOEXEC);
		if (pl->fds[t] < 0)
			return rt_sysfail(err, "open %s namespace %s", spec_ns_name(t), n->path);
	}
	return 0;
}

/* Joining a namespace by path needs privileges over its owner, which a process already
 * in a new user namespace lacks: then every path is joined first and the new namespaces
 * are made afterwards by unshare (runc's order). */
static bool joins_owned_elsewhere(const struct spec *s)
{
	for (int t = 0; t < NS_COUNT; t++)
		if (t != NS_PID && s->linux.ns[t].enabled && s->linux.ns[t].path)
			return true;
	return false;
}

/* clone() creates only the user namespace (it must own the others; runt writes its maps
 * before the child goes on) and the pid namespace (the child is its init, no extra fork).
 * The child unshares the rest once it sits in the container's cgroup: the cgroup
 * namespace's root is then that cgroup, and the kernel memory of the new namespaces (a
 * network namespace is ~90 KB) is charged to the container, not to runt (runc's order). */
int ns_plan(struct ns_plan *pl, const struct spec *s, struct rt_err *err)
{
	unsigned long fresh = 0;

	memset(pl, 0, sizeof(*pl));
	for (int t = 0; t < NS_COUNT; t++) {
		pl->fds[t] = -1;
		if (s->linux.ns[t].enabled && !s->linux.ns[t].path)
			fresh |= ns_flags[t];
	}
	pl->time_offsets =
	    (fresh & CLONE_NEWTIME) && (s->linux.monotonic.set || s->linux.boottime.set);
	pl->maps = fresh & CLONE_NEWUSER;
	pl->late = (s->linux.ns[NS_USER].enabled && s->linux.ns[NS_USER].path) ||
		   (pl->maps && joins_owned_elsewhere(s));
	pl->time_in_parent = !pl->late && (fresh & CLONE_NEWTIME);
	/* issue 17: a process in a joined pid namespace is seen by the container from its
	 * first instruction, so the child joins it and forks once it holds no host fd */
	pl->grandchild = s->linux.ns[NS_PID].path; /* set only when enabled */
	if (pl->late) {
		pl->unshare_flags = fresh;
		pl->grandchild |= fresh & (CLONE_NEWPID | CLONE_NEWTIME);
	} else {
		pl->clone_flags = fresh & (CLONE_NEWUSER | CLONE_NEWPID);
		pl->unshare_flags = fresh & ~(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWTIME);
	}
	return open_paths(pl, s, err);
}

void ns_close(struct ns_plan *pl)
{
	for (int t = 0; t < NS_COUNT; t++) {
		if (pl->fds[t] >= 0)
			close(pl->fds[t]);
		pl->fds[t] = -1;
	}
}

int ns_write_time_offsets(const struct spec *s, struct rt_err *err)
{
	char buf[128];
	int n = 0;

	if (s->linux.monotonic.set)
		n += rt_snprintf(buf + n, sizeof(buf) - n, "monotonic %lld %u\n",
				 (long long)s->linux.monotonic.secs, s->linux.monotonic.nanosecs);
	if (s->linux.boottime.set)
		n += rt_snprintf(buf + n, sizeof(buf) - n, "boottime %lld %u\n",
				 (long long)s->linux.boottime.secs, s->linux.boottime.nanosecs);
	return procfs_write("self/timens_offsets", buf, n, err);
}

/* A new time namespace applies to children only, so runt itself can make it before clone. */
int ns_parent_prepare(struct ns_plan *pl, const struct spec *s, struct rt_err *err)
{
	/* opened here, in runt's mount namespace: the init inherits it (procfs.h) */
	if (procfs_root(err) < 0)
		return -err->code;
	if (!pl->time_in_parent)
		return 0;
	if (unshare(CLONE_NEWTIME) < 0) /* EINVAL: no CONFIG_TIME_NS (none on 32-bit ARM) */
		return rt_sysfail(err, "create time namespace%s",
				  errno == EINVAL ? " (the kernel has none)" : "");
	return pl->time_offsets ? ns_write_time_offsets(s, err) : 0;
}

/* The pid namespace first, as runt (which joined it before clone) did: it may belong to
 * another user namespace than the one joined. An unprivileged user has no rights over any
 * other namespace until it is in the user namespace: that one first (enum order). */
int ns_join(struct ns_plan *pl, const struct spec *s, struct rt_err *err)
{
	for (int i = 0; i < NS_COUNT; i++) {
		int t = i < 2 && !geteuid() ? i ^ 1 : i;

		if (pl->fds[t] < 0)
			continue;
		if (setns(pl->fds[t], ns_flags[t]) < 0)
			return rt_sysfail(err, "join %s namespace %s", spec_ns_name(t),
					  s->linux.ns[t].path ? s->linux.ns[t].path : "");
		pl->user_joined |= t == NS_USER;
		close(pl->fds[t]);
		pl->fds[t] = -1;
	}
	if (pl->unshare_flags && unshare(pl->unshare_flags) < 0)
		return rt_sysfail(err, "create namespaces");
	if (pl->late && (pl->unshare_flags & CLONE_NEWTIME) && pl->time_offsets)
		return ns_write_time_offsets(s, err);
	return 0;
}

/* setuid newuidmap/newgidmap (shadow's uidmap package) write the map text as arguments once
 * they checked it against /etc/subuid or /etc/subgid. */
static int map_helper(pid_t pid, bool gid, const char *map, struct rt_err *err)
{
	static char buf[4200], exe[PATH_MAX], *argv[1024];
	char *save = NULL;
	const char *prog = gid ? "newgidmap" : "newuidmap";
	int a = 0, st;
	pid_t child;

	if (exec_lookup(prog, (const char *const *)environ, exe, sizeof(exe), err) < 0)
		return rt_hint(err, "install uidmap");
	rt_snprintf(buf, sizeof(buf), "%s %d %s", prog, (int)pid, map);
	for (char *p = strtok_r(buf, " \n", &save); p; p = strtok_r(NULL, " \n", &save))
		argv[a++] = p;
	argv[a] = NULL;
	if ((child = rt_fork()) == 0) {
		execve(exe, argv, environ);
		_exit(127);
	}
	if (child < 0 || waitpid(child, &st, 0) < 0)
		return rt_sysfail(err, "run %s", exe);
	if (!st)
		return 0;
	rt_fail(err, EPERM, "%s %d: exit status %d", exe, (int)pid, WEXITSTATUS(st));
	return rt_hint(err, "see /etc/subuid and /etc/subgid");
}

/* An unprivileged user may write one line only, mapping its own id (gid_map after setgroups
 * is denied, as the kernel requires); any other map goes through the helpers. */
static int write_map(pid_t pid, bool gid, const struct spec_idmap *m, int n, struct rt_err *err)
{
	char buf[4096], path[64];
	unsigned self = gid ? getegid() : geteuid();
	int len = 0;

	for (int i = 0; i < n; i++)
		len += rt_snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", m[i].container_id,
				   m[i].host_id, m[i].size);
	if (len >= (int)sizeof(buf))
		return rt_fail(err, E2BIG, "%d id mappings: too many", n);
	if (geteuid() && (n > 1 || m->size != 1 || m->host_id != self))
		return map_helper(pid, gid, buf, err);
	if (geteuid() && gid) {
		rt_snprintf(path, sizeof(path), "%d/setgroups", (int)pid);
		procfs_write(path, "deny", 4, err);
	}
	rt_snprintf(path, sizeof(path), "%d/%s", (int)pid, gid ? "gid_map" : "uid_map");
	/* the kernel takes a map in one write only */
	return procfs_write(path, buf, len, err);
}

int ns_write_maps(pid_t pid, const struct spec *s, struct rt_err *err)
{
	const struct spec_linux *l = &s->linux;
	int r;

	if (!l->nuid_mappings || !l->ngid_mappings)
		return rt_fail(err, EINVAL,
			       "config.json: .linux: a new user namespace needs "
			       "uidMappings and gidMappings");
	r = write_map(pid, false, l->uid_mappings, l->nuid_mappings, err);
	return r < 0 ? r : write_map(pid, true, l->gid_mappings, l->ngid_mappings, err);
}

/* A user namespace carrying the given maps, for mount_setattr(MOUNT_ATTR_IDMAP). No re-exec:
 * a helper cloned into a new user namespace blocks on a pipe while runt writes its maps
 * and opens /proc/<pid>/ns/user; closing the pipe lets it exit (crun does the same). */
int ns_userns_fd(const struct spec_idmap *uid, int nuid, const struct spec_idmap *gid, int ngid,
		 struct rt_err *err)
{
	char path[64], b;
	int p[2], fd = -1, r;
	pid_t pid;

	if (rt_pipe2(p, O_CLOEXEC) < 0)
		return rt_sysfail(err, "pipe");
	pid = rt_clone_flags(CLONE_NEWUSER);
	if (pid == 0) {
		close(p[1]);
		(void)!read(p[0], &b, 1);
		_exit(0);
	}
	close(p[0]);
	if (pid < 0) {
		close(p[1]);
		return rt_sysfail(err, "create a user namespace for an idmapped mount");
	}
	r = write_map(pid, false, uid, nuid, err);
	if (r == 0)
		r = write_map(pid, true, gid, ngid, err);
	rt_snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)pid);
	if (r == 0 && (fd = rt_open(path, O_RDONLY | O_CLOEXEC)) < 0)
		r = rt_sysfail(err, "open %s", path);
	close(p[1]);
	waitpid(pid, NULL, 0);
	return r < 0 ? r : fd;
}
