/* notify.h - sd_notify proxy without libsystemd: when runt runs with NOTIFY_SOCKET, the
 * container gets a socket of its own at /run/notify/notify.sock and runt forwards what it
 * sends (READY=1, STATUS=…) to the host socket with MAINPID set to the init's host pid. */
#ifndef RUNT_NOTIFY_H
#define RUNT_NOTIFY_H

#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "err.h"
#include "spec.h"
#include "state.h"

#define NOTIFY_MOUNT	   "/run/notify"
#define NOTIFY_CONTAINER   NOTIFY_MOUNT "/notify.sock"
#define NOTIFY_MSG_MAX	   4096
#define NOTIFY_TIMEOUT_DEF 60	/* seconds `start` waits for READY=1 (RUNT_NOTIFY_TIMEOUT) */
#define NOTIFY_BARRIER_MS  5000 /* as systemd-notify --wait: a busy PID 1 still answers */

struct notify {
	int fd;	   /* datagram socket bound in the state dir; -1: not proxying */
	int out;   /* unbound datagram socket towards the host */
	int pidfd; /* the init: READY=1 can no longer come once it exited */
	struct sockaddr_un host;
	socklen_t host_len;
	pid_t pid;	       /* the init's host pid: MAINPID */
	bool ready;	       /* READY=1 went through */
	bool named;	       /* a forwarded message named pid as MAINPID */
	char source[PATH_MAX]; /* create: the bind source the spec's extra mount points at */
};

void notify_init(struct notify *n);
/* create (NOTIFY_SOCKET set): make <state>/notify and add a bind mount of it at /run/notify
 * plus NOTIFY_SOCKET=/run/notify/notify.sock to the spec (in the parent, before clone). */
int notify_prepare(struct notify *n, struct spec *s, const struct rt_state *st, struct rt_err *err);
/* start/run, before the init is released: bind the container's socket. Inactive (fd -1,
 * returns 0) without NOTIFY_SOCKET or when create did not prepare one. */
int notify_open(struct notify *n, const struct rt_state *st, struct rt_err *err);
int notify_fd(const struct notify *n);
/* Forward every pending datagram (non-blocking); sets n->ready on READY=1. */
void notify_forward(struct notify *n);
/* Block until READY=1 went through; fails when the init exits first or after
 * RUNT_NOTIFY_TIMEOUT seconds. */
int notify_wait_ready(struct notify *n, struct rt_err *err);
/* Foreground `run`, once the init has exited: forward what is pending, then name runt itself
 * MAINPID again, so that systemd (which cannot reap a process it did not start) takes the
 * container's exit status from runt's. Nothing is sent if MAINPID was never forwarded. */
void notify_handback(struct notify *n);
void notify_close(struct notify *n);

/* The host's view of one datagram: known keys only, MAINPID replaced by pid. Returns the
 * length written to out (0: nothing to forward); *ready is set when it says READY=1. */
size_t notify_rewrite(const char *msg, size_t len, pid_t pid, char *out, size_t size, bool *ready);

#endif
