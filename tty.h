/* tty.h - terminals: the container's pty made inside its devpts, the master handed to a
 * console socket (SCM_RIGHTS), and runt's own proxy for `run -t` without one. */
#ifndef RUNT_TTY_H
#define RUNT_TTY_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "spec.h"

/* Parent, before clone: connect to --console-socket (a host path the child cannot see). */
int tty_connect(const char *path, struct rt_err *err);
/* Child, inside the container: open a pty, send the master over sock, make the slave the
 * controlling terminal and stdio. */
int tty_setup(int sock, const struct spec_process *p, struct rt_err *err);
/* Parent: receive the master sent by tty_setup over our own socketpair. */
int tty_recv_master(int sock, struct rt_err *err);

/* runt's side of `run -t`: copies stdin -> master and master -> stdout. */
struct tty_proxy {
	int master;
	bool in_open, out_open;
	bool raw;	/* stdin was put in raw mode and must be restored */
	char saved[64]; /* struct termios, opaque here */
};

void tty_proxy_start(struct tty_proxy *t, int master);
/* Handle readiness of fd (stdin or master); false when nothing more will come from it. */
void tty_proxy_io(struct tty_proxy *t, int fd);
void tty_proxy_winch(struct tty_proxy *t);
void tty_proxy_stop(struct tty_proxy *t);

#endif
