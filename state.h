/* state.h - a container's on-disk state under <root>/<id>/: state.json written atomically,
 * the exec fifo that holds a created init until `start`, a lock serialising operations,
 * and liveness checks that never mistake a recycled pid for the container. */
#ifndef RUNT_STATE_H
#define RUNT_STATE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "spec.h"

#define STATE_FILE "state.json"
#define STATE_FIFO "exec.fifo"
/* A symlink to the container's cgroup, made before the cgroup: a create killed before
 * state.json still tells `delete` what to kill and remove. */
#define STATE_CGROUP "cgroup"
/* --systemd-cgroup (RUNT_SYSTEMD_CGROUP): a symlink to the bus socket of the systemd that
 * owns the container's scope; delete stops the unit there. */
#define STATE_BUS "bus"
/* A copy of the bundle's config.json taken at create (start and delete run its hooks). */
#define STATE_CONFIG "config.json"
/* With NOTIFY_SOCKET: a directory bound into the container at /run/notify, and the datagram
 * socket `start` binds in it. */
#define STATE_NOTIFY	  "notify"
#define STATE_NOTIFY_SOCK "notify/notify.sock"

enum rt_status { ST_CREATING, ST_CREATED, ST_RUNNING, ST_PAUSED, ST_STOPPED };

struct rt_state {
	char id[SPEC_ID_MAX + 1];
	char dir[PATH_MAX]; /* <root>/<id> */
	int dirfd;	    /* open and (when asked) flock'ed */
	bool loaded;	    /* state.json was read (false while creating) */
	pid_t pid;
	unsigned long long start_time; /* /proc/<pid>/stat field 22: detects pid reuse */
	char bundle[PATH_MAX];
	char rootfs[PATH_MAX];
	char created[40];
	char owner[64];
	char cgroup[PATH_MAX];	/* absolute cgroupfs directory, "" without cgroups */
	char bus[108];		/* a systemd scope's bus socket (STATE_BUS), "" without */
	char *annotations;	/* JSON object text (malloc'd), NULL when none */
	unsigned long ns_flags; /* CLONE_NEW* the container created (exec needs them) */
};

/* mkdir <root>/<id> exclusively and lock it: "container "x" already exists". */
int state_create(struct rt_state *st, const char *root, const char *id, struct rt_err *err);
/* Open an existing container: "container "x" does not exist". */
int state_open(struct rt_state *st, const char *root, const char *id, bool lock,
	       struct rt_err *err);
int state_save(struct rt_state *st, struct rt_err *err);
/* Serialise operations on one container (flock on its directory). */
int state_lock(struct rt_state *st, struct rt_err *err);
void state_unlock(struct rt_state *st);
void state_close(struct rt_state *st);
/* Copy <bundle>/config.json to <dir>/config.json (atomically). */
int state_save_config(struct rt_state *st, const char *bundle, struct rt_err *err);
/* Record the intent to create the cgroup at path (before it is made), and bus, if any. */
int state_record_cgroup(struct rt_state *st, const char *path, const char *bus, struct rt_err *err);
/* Remove state.json, the cgroup link, the fifo, the saved config, the notify socket and the directory. */
int state_remove(struct rt_state *st, struct rt_err *err);

enum rt_status state_status(struct rt_state *st);
const char *state_status_name(enum rt_status s);
/* The state JSON of runtime-spec (+ rootfs, created, owner) into buf. */
int state_format(struct rt_state *st, char *buf, size_t size, struct rt_err *err);

/* Process helpers: start time of a pid (0 when gone or a zombie). */
unsigned long long state_proc_start_time(pid_t pid);
bool state_alive(const struct rt_state *st);
/* runc's words: the runc shims match "container not running" to tell a finished process
 * (NotFound, fine to delete) from a failed kill. */
#define RT_NOT_RUNNING "container not running"
/* A pidfd for the container's init, or -ESRCH when it is gone or the pid was reused. */
int state_pidfd(const struct rt_state *st, struct rt_err *err);
int state_signal(const struct rt_state *st, int sig, struct rt_err *err);

/* Write "<pid>" to path via a temporary file and rename (containerd waits for it). */
int state_write_pidfile(const char *path, pid_t pid, struct rt_err *err);

/* Iterate container ids under root; cb returns non-zero to stop. */
int state_list(const char *root, int (*cb)(const char *id, void *arg), void *arg,
	       struct rt_err *err);

#endif
