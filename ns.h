/* ns.h - namespaces: which to create at clone, which to join by path (setns), the
 * user namespace id maps and time namespace offsets. */
#ifndef RUNT_NS_H
#define RUNT_NS_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "spec.h"

struct ns_plan {
	unsigned long clone_flags;   /* created by clone() itself */
	unsigned long unshare_flags; /* created by the child after joining (see ns_plan) */
	int fds[NS_COUNT];	     /* namespaces to join, -1 when not joined */
	bool grandchild;	     /* a joined pid ns, or a new pid/time ns made by unshare,
				      * needs one more fork */
	bool maps;		     /* parent writes uid_map/gid_map of the child */
	bool late;		     /* join every path first, then unshare (maps on request) */
	bool user_joined;	     /* ns_join entered a user namespace by path */
	bool time_offsets;	     /* parent (or child) writes timens_offsets */
	bool time_in_parent;	     /* runt unshares the new time namespace before clone */
};

unsigned long ns_flag(enum ns_type t);
/* Decide the plan and open every namespace path (before any namespace is entered). */
int ns_plan(struct ns_plan *pl, const struct spec *s, struct rt_err *err);
void ns_close(struct ns_plan *pl);
/* In runt before clone: create the time namespace. */
int ns_parent_prepare(struct ns_plan *pl, const struct spec *s, struct rt_err *err);
/* In the child: setns every path (pid, user, the rest), then unshare what is left. */
int ns_join(struct ns_plan *pl, const struct spec *s, struct rt_err *err);
/* In runt: write the child's id maps (setgroups "deny" first when not root). */
int ns_write_maps(pid_t pid, const struct spec *s, struct rt_err *err);
/* A user namespace with these maps (for idmapped mounts); returns its fd. */
int ns_userns_fd(const struct spec_idmap *uid, int nuid, const struct spec_idmap *gid, int ngid,
		 struct rt_err *err);
int ns_write_time_offsets(const struct spec *s, struct rt_err *err);

#endif
