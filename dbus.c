/* dbus.c - a D-Bus client of runt's own for systemd's transient units: connect, SASL
 * EXTERNAL, Hello, AddMatch for JobRemoved, one Manager call and the wait for its job. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "dbus.h"
#include "fmt.h"
#include "mini.h"

/* Messages are small by construction (names of at most 255 bytes): what would not fit is
 * not copied, and send_msg refuses it. */
static void raw(struct dbus_msg *m, const void *p, size_t len)
{
	if (m->n + len <= DBUS_MSG_MAX)
		memcpy(m->b + m->n, p, len);
	m->n += len;
}

static void pad(struct dbus_msg *m, size_t a)
{
	while (m->n % a)
		raw(m, "", 1);
}

/* Little-endian whatever the host is: the header says 'l'. */
static void le(struct dbus_msg *m, uint64_t v, size_t size)
{
	pad(m, size);
	for (size_t i = 0; i < size; i++)
		raw(m, &(unsigned char){ (unsigned char)(v >> 8 * i) }, 1);
}

static void put_at(unsigned char *p, size_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

void dbus_put(struct dbus_msg *m, const char *f, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, f);
	for (; *f; f++)
		switch (*f) {
		case '(':
			pad(m, 8);
			/* fallthrough */
		case ')':
			break;
		case '[': /* the length is patched at ']'; the padding to the first element is
			   * not part of it, and is there even when the array is empty */
			le(m, 0, 4);
			m->arr[m->depth] = m->n - 4;
			pad(m, *++f == '(' ? 8 : *f == 'y' ? 1 : 4);
			m->start[m->depth++] = m->n;
			break;
		case ']':
			m->depth--;
			put_at(m->b + m->arr[m->depth], m->n - m->start[m->depth]);
			break;
		case 's':
		case 'o':
		case 'g':
		case 'v':
			s = va_arg(ap, const char *);
			le(m, strlen(s), *f == 'g' || *f == 'v' ? 1 : 4);
			raw(m, s, strlen(s) + 1);
			break;
		default: /* a digit: a header field's code, which opens its struct */
			if (*f <= '9') {
				pad(m, 8);
				le(m, (uint64_t)(*f - '0'), 1);
			} else {
				le(m, va_arg(ap, uint64_t), *f == 't' ? 8 : *f == 'y' ? 1 : 4);
			}
		}
	va_end(ap);
}

void dbus_call(struct dbus_msg *m, uint32_t serial, bool bus, const char *member, const char *sig)
{
	const char *dest = bus ? "org.freedesktop.DBus" : "org.freedesktop.systemd1";

	m->n = 0;
	m->depth = 0;
	/* 'l', a method call, no flags, version 1; the body's length (send_msg); the serial;
	 * the header fields path, interface, member, destination and signature */
	dbus_put(m, "uuu[(1vo2vs3vs6vs", (uint64_t)0x0100016c, (uint64_t)0, (uint64_t)serial, "o",
		 bus ? "/org/freedesktop/DBus" : "/org/freedesktop/systemd1", "s",
		 bus ? dest : "org.freedesktop.systemd1.Manager", "s", member, "s", dest);
	if (*sig)
		dbus_put(m, "8vg", "g", sig);
	dbus_put(m, "]");
	pad(m, 8);
	m->body = m->n;
}

/* ---- reading: bounds-checked, a short or malformed message sets bad ---- */

static uint32_t get(struct dbus_msg *m, size_t size)
{
	uint32_t v = 0;

	m->pos = (m->pos + size - 1) & ~(size - 1);
	for (size_t i = 0; i < size; i++)
		if (m->pos < m->n)
			v |= (uint32_t)m->b[m->pos++] << 8 * i;
		else
			m->bad = true;
	return v;
}

static const char *get_str(struct dbus_msg *m, size_t lensize)
{
	uint32_t len = get(m, lensize);
	const char *s = (const char *)m->b + m->pos;

	if (m->bad || len >= m->n - m->pos || s[len]) {
		m->bad = true;
		return "";
	}
	m->pos += len + 1;
	return s;
}

static int read_to(int fd, struct dbus_msg *m, size_t want, struct rt_err *err)
{
	ssize_t k;

	if (want > DBUS_MSG_MAX)
		return rt_fail(err, EMSGSIZE, "D-Bus message too long");
	for (; m->n < want; m->n += (size_t)k)
		if ((k = read(fd, m->b + m->n, want - m->n)) <= 0) {
			errno = k ? errno : ECONNRESET;
			return rt_sysfail(err, "read from the bus");
		}
	return 0;
}

/* One whole message (its first 16 bytes say how long it is); returns its type, with the
 * header fields reply serial (5) and member (3) or error name (4). pos: the body. */
static int next_msg(int fd, struct dbus_msg *m, uint32_t *reply, const char **name,
		    struct rt_err *err)
{
	uint32_t code, end, v;
	const char *sig, *s;
	int r;

	m->n = 0;
	if ((r = read_to(fd, m, 16, err)) < 0)
		return r;
	m->pos = 12;
	end = get(m, 4) + 16;
	m->pos = 4;
	if ((r = read_to(fd, m, ((end + 7) & ~7u) + (size_t)get(m, 4), err)) < 0)
		return r;
	m->bad = m->b[0] != 'l';
	*reply = 0;
	*name = "";
	for (m->pos = 16; !m->bad && m->pos < end; m->pos = (m->pos + 7) & ~(size_t)7) {
		code = get(m, 1);
		sig = get_str(m, 1);
		if (*sig == 'u' && (v = get(m, 4)) && code == 5)
			*reply = v;
		else if (*sig != 'u' && (s = get_str(m, *sig == 'g' ? 1 : 4)) &&
			 (code == 3 || code == 4))
			*name = s;
	}
	m->pos = (end + 7) & ~7u;
	return m->bad ? rt_fail(err, EBADMSG, "malformed D-Bus message") : m->b[1];
}

/* The answer to AUTH a byte at a time (messages follow it); then the replies to our serials
 * 1-3 (Hello, AddMatch, the call) and the JobRemoved signal (id, job, unit, result) of the
 * call's job. */
static int wait_job(int fd, struct dbus_msg *m, struct rt_err *err)
{
	char job[256] = "", line[64] = "";
	const char *s, *name, *unit;
	uint32_t reply;
	size_t n = 0;
	int t;

	while (n < sizeof(line) - 1 && read(fd, line + n, 1) == 1 && line[n] != '\n')
		n++;
	if (strncmp(line, "OK ", 3))
		return rt_fail(err, EACCES, "the bus refused uid %u", (unsigned)geteuid());
	for (;;) {
		if ((t = next_msg(fd, m, &reply, &name, err)) < 0)
			return t;
		if (t == 4 && !strcmp(name, "JobRemoved")) {
			get(m, 4);
			s = get_str(m, 4);
			unit = get_str(m, 4);
			name = get_str(m, 4);
			if (*job && !strcmp(s, job))
				return strcmp(name, "done")
					   ? rt_fail(err, ECANCELED, "job for %s: %s", unit, name)
					   : 0;
			continue;
		}
		s = get_str(m, 4);
		if (t == 3 && reply && reply <= 3)
			return rt_fail(err, rt_strstr(name, ".NoSuchUnit") ? ENOENT : EIO, "%s: %s",
				       name, s);
		if (t == 2 && reply == 3)
			rt_strlcpy(job, s, sizeof(job));
	}
}

void dbus_bus_path(bool user, char *out, size_t size)
{
	const char *a = getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");

	if (a && (a = rt_strstr(a, "unix:path=")))
		rt_snprintf(out, size, "%.*s", (int)strcspn(a + 10, ",;"), a + 10);
	else if (user)
		rt_snprintf(out, size, "%s/bus", getenv("XDG_RUNTIME_DIR"));
	else
		rt_strlcpy(out, "/run/dbus/system_bus_socket", size);
}

static int xwrite(int fd, const void *b, size_t n, struct rt_err *err)
{
	int r = n > DBUS_MSG_MAX ? -EMSGSIZE : rt_write_all(fd, b, n);

	return r < 0 ? rt_errnofail(err, -r, "write to the bus") : 0;
}

static int send_msg(int fd, struct dbus_msg *m, struct rt_err *err)
{
	put_at(m->b + 4, m->n - m->body);
	return xwrite(fd, m->b, m->n, err);
}

/* SASL EXTERNAL with our uid, its decimal digits in hex ('0' is 0x30); BEGIN and the
 * messages follow at once (the protocol allows it). */
int dbus_job(const char *path, struct dbus_msg *call, struct rt_err *err)
{
	static struct dbus_msg m;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 30, 0 }; /* systemd answers in ms; a hung bus must not hang runt */
	char uid[16], a[64] = "\0AUTH EXTERNAL ";
	size_t n = 15;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	rt_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rt_sysfail(err, "connect to %s", path);
		r = rt_hint(err, "--systemd-cgroup needs systemd and its D-Bus bus");
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rt_snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
	for (char *p = uid; *p; p++) {
		a[n++] = '3';
		a[n++] = *p;
	}
	memcpy(a + n, "\r\nBEGIN\r\n", 9);
	dbus_call(&m, 1, true, "Hello", "");
	if ((r = xwrite(fd, a, n + 9, err)) < 0 || (r = send_msg(fd, &m, err)) < 0)
		goto out;
	/* only systemd can send as its name: nobody else's JobRemoved reaches us */
	dbus_call(&m, 2, true, "AddMatch", "s");
	dbus_put(&m, "s", "type='signal',sender='org.freedesktop.systemd1',member='JobRemoved'");
	if ((r = send_msg(fd, &m, err)) == 0 && (r = send_msg(fd, call, err)) == 0)
		r = wait_job(fd, &m, err);
out:
	if (fd >= 0)
		close(fd);
	return r;
}
