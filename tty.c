/* tty.c - ptys for containers: made by the container process in its own devpts (so the
 * slave belongs to the container), master passed to the caller's console socket, or
 * proxied to runt's stdio for interactive `run` on a board's serial console. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "fdpass.h"
#include "mini.h"
#include "tty.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int tty_connect(const char *path, struct rt_err *err)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return rt_fail(err, ENAMETOOLONG, "console socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	fd = rt_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return rt_sysfail(err, "console socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rt_sysfail(err, "connect to console socket %s", path);
		close(fd);
		return -err->code;
	}
	return fd;
}

/* TIOCGPTPEER opens the slave from the master without a path lookup in /dev/pts. Without a
 * /dev tmpfs, /dev/ptmx is the image's: whatever it leads to must be the multiplexer (5:2)
 * before its fd goes to the console socket. */
static int open_pty(int *master, int *slave, struct rt_err *err)
{
	struct stat st;
	int unlock = 0;

	*master = rt_open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*master < 0)
		return rt_sysfail(err, "open /dev/ptmx");
	if (rt_fstat(*master, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(5, 2))
		return rt_fail(err, ENODEV, "/dev/ptmx is not the pty multiplexer");
	if (ioctl(*master, TIOCSPTLCK, &unlock) < 0)
		return rt_sysfail(err, "unlock pty");
	*slave = ioctl(*master, TIOCGPTPEER, O_RDWR | O_NOCTTY);
	if (*slave < 0)
		return rt_sysfail(err, "open pty slave");
	return 0;
}

static int become_stdio(int slave, struct rt_err *err)
{
	if (setsid() < 0)
		return rt_sysfail(err, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return rt_sysfail(err, "make the pty the controlling terminal");
	for (int fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			return rt_sysfail(err, "dup2 pty to fd %d", fd);
	return 0;
}

int tty_setup(int sock, const struct spec_process *p, struct rt_err *err)
{
	struct winsize ws = { .ws_row = p->console_height, .ws_col = p->console_width };
	int master = -1, slave = -1, r;

	if ((r = open_pty(&master, &slave, err)) < 0)
		goto out;
	if ((ws.ws_row || ws.ws_col) && ioctl(master, TIOCSWINSZ, &ws) < 0) {
		r = rt_sysfail(err, "set console size");
		goto out;
	}
	/* the process may run as another user: it must own its terminal */
	if (rt_fchown(slave, p->user.uid, p->user.gid) < 0 && errno != EINVAL) {
		r = rt_sysfail(err, "chown pty slave");
		goto out;
	}
	if (fdpass_send(sock, master, "/dev/ptmx", 9) < 0) {
		r = rt_sysfail(err, "send the pty master to the console socket");
		goto out;
	}
	r = become_stdio(slave, err);
out:
	if (master >= 0)
		close(master);
	if (slave > 2)
		close(slave);
	close(sock);
	return r;
}

int tty_recv_master(int sock, struct rt_err *err)
{
	char name[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { name, sizeof(name) };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	int fd = -1;

	if (rt_recvmsg(sock, &mh, MSG_CMSG_CLOEXEC) < 0)
		return rt_sysfail(err, "receive the pty master");
	cm = CMSG_FIRSTHDR(&mh);
	if (cm && cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	if (fd < 0)
		return rt_fail(err, EBADMSG, "no pty master received");
	return fd;
}

void tty_proxy_start(struct tty_proxy *t, int master)
{
	struct termios raw, *saved = (struct termios *)t->saved;

	_Static_assert(sizeof(struct termios) <= sizeof(t->saved), "termios fits");
	t->master = master;
	t->in_open = t->out_open = true;
	t->raw = false;
	if (isatty(0) && tcgetattr(0, saved) == 0) {
		raw = *saved;
		cfmakeraw(&raw);
		t->raw = tcsetattr(0, TCSANOW, &raw) == 0;
		tty_proxy_winch(t);
	}
}

static bool copy(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	for (ssize_t off = 0, w; off < n; off += w) {
		w = write(to, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			w = 0;
		else if (w < 0)
			return false;
	}
	return true;
}

/* EOF on stdin is passed on as the terminal's EOF character, so a shell sees ^D. */
void tty_proxy_io(struct tty_proxy *t, int fd)
{
	if (fd == t->master) {
		t->out_open = copy(t->master, 1);
	} else if (!copy(0, t->master)) {
		t->in_open = false;
		if (!t->raw && write(t->master, "\004", 1) < 0)
			t->out_open = t->out_open && errno != EIO;
	}
}

void tty_proxy_winch(struct tty_proxy *t)
{
	struct winsize ws;

	if (ioctl(0, TIOCGWINSZ, &ws) == 0)
		ioctl(t->master, TIOCSWINSZ, &ws);
}

void tty_proxy_stop(struct tty_proxy *t)
{
	while (t->out_open) {
		struct pollfd p = { t->master, POLLIN, 0 };

		/* poll, not select: no fd_set limit on the fd, and runt links poll anyway */
		if (poll(&p, 1, 0) <= 0)
			break;
		t->out_open = copy(t->master, 1);
	}
	if (t->raw)
		tcsetattr(0, TCSANOW, (struct termios *)t->saved);
	close(t->master);
}
