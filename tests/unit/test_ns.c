/* test_ns.c - ns_plan: which namespaces come with clone, which the child unshares once it
 * sits in the container's cgroup (their kernel memory is the container's, issue 8), and
 * the order when paths are joined. */
#include <sched.h>
#include <string.h>

#include "ns.h"
#include "tap.h"

#define PIDNS CLONE_NEWPID
#define REST  (CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNS | CLONE_NEWCGROUP)

static void enable(struct spec *s, const enum ns_type *t, int n)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++)
		s->linux.ns[t[i]].enabled = true;
}

static const enum ns_type runc_default[] = { NS_PID, NS_NET, NS_IPC, NS_UTS, NS_MNT, NS_CGROUP };

static void test_default(void)
{
	struct ns_plan pl;
	struct spec s;
	struct rt_err err = { 0 };

	enable(&s, runc_default, 6);
	is_int(ns_plan(&pl, &s, &err), 0, "runc's namespaces: planned");
	is_int((long long)pl.clone_flags, PIDNS, "runc's namespaces: only pid comes with clone");
	is_int((long long)pl.unshare_flags, REST,
	       "runc's namespaces: net, ipc, uts, mount and cgroup are unshared in the cgroup");
	ok(!pl.late && !pl.grandchild && !pl.maps, "runc's namespaces: no late plan, no fork");
	ns_close(&pl);
}

static void test_userns(void)
{
	struct ns_plan pl;
	struct spec s;
	struct rt_err err = { 0 };

	enable(&s, runc_default, 6);
	s.linux.ns[NS_USER].enabled = true;
	is_int(ns_plan(&pl, &s, &err), 0, "with a user namespace: planned");
	is_int((long long)pl.clone_flags, CLONE_NEWUSER | PIDNS,
	       "with a user namespace: user and pid come with clone (it owns the rest)");
	is_int((long long)pl.unshare_flags, REST, "with a user namespace: the rest is unshared");
	ok(pl.maps && !pl.late, "with a user namespace: runt writes the maps before GO");
	ns_close(&pl);
}

static void test_joined(void)
{
	struct ns_plan pl;
	struct spec s;
	struct rt_err err = { 0 };

	enable(&s, runc_default, 6);
	s.linux.ns[NS_NET].path = "/proc/self/ns/net";
	is_int(ns_plan(&pl, &s, &err), 0, "a joined network namespace: planned");
	ok(pl.fds[NS_NET] >= 0, "a joined network namespace: its path is open");
	is_int((long long)pl.unshare_flags, REST & ~CLONE_NEWNET,
	       "a joined network namespace: not unshared as well");
	ns_close(&pl);

	s.linux.ns[NS_NET].path = NULL;
	s.linux.ns[NS_USER].enabled = true;
	s.linux.ns[NS_USER].path = "/proc/self/ns/user";
	is_int(ns_plan(&pl, &s, &err), 0, "a joined user namespace: planned");
	ok(pl.late && pl.grandchild, "a joined user namespace: joined first, pid by a fork");
	is_int((long long)pl.clone_flags, 0, "a joined user namespace: clone creates nothing");
	is_int((long long)pl.unshare_flags, PIDNS | REST,
	       "a joined user namespace: everything new is unshared after joining");
	ns_close(&pl);
}

static void test_time(void)
{
	static const enum ns_type t[] = { NS_PID, NS_TIME };
	struct ns_plan pl;
	struct spec s;
	struct rt_err err = { 0 };

	enable(&s, t, 2);
	is_int(ns_plan(&pl, &s, &err), 0, "a time namespace: planned");
	ok(pl.time_in_parent, "a time namespace: runt unshares it before clone");
	is_int((long long)(pl.clone_flags | pl.unshare_flags), PIDNS,
	       "a time namespace: neither in clone nor in the child's unshare");
	ns_close(&pl);
}

int main(void)
{
	test_default();
	test_userns();
	test_joined();
	test_time();
	return tap_done();
}
