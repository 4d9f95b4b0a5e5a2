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
 * not stored, and xwrite refuses the message. */
static void byte(struct dbus_msg *m, unsigned c)
{
	if (m->n < DBUS_MSG_MAX)
		m->b[m->n] = (unsigned char)c;
	m->n++;
}

/* Padding to align, then size bytes of v, little-endian whatever the host is (the header
 * says 'l'). */
static void put(struct dbus_msg *m, uint64_t v, size_t size, size_t align)
{
	while (m->n % align)
		byte(m, 0);
	for (size_t i = 0; i < size; i++)
		byte(m, (unsigned)(v >> 8 * i));
}

static void put_at(unsigned char *p, size_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> 8 * i);
}

void dbus_put(struct dbus_msg *m, const char *f, ...)
{
	const char *s;
	size_t n;
	va_list ap;

	va_start(ap, f);
	for (; *f; f++)
		switch (*f) {
		case '(':
			put(m, 0, 0, 8);
			/* fallthrough */
		case ')':
			break;
		case '[': /* the length is patched at ']'; the padding to the first element is
			   * not part of it, and is there even when the array is empty */
			put(m, 0, 4, 4);
			m->arr[m->depth] = m->n - 4;
			put(m, 0, 0, *++f == '(' ? 8 : *f == 'y' ? 1 : 4);
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
			n = *f == 'g' || *f == 'v' ? 1 : 4;
			put(m, strlen(s), n, n);
			for (n = 0; n <= strlen(s); n++)
				byte(m, (unsigned char)s[n]);
			break;
		default: /* a digit: a header field's code, which opens its struct */
			n = *f == 't' ? 8 : *f == 'y' || *f <= '9' ? 1 : 4;
			put(m, *f <= '9' ? (uint64_t)(*f - '0') : va_arg(ap, uint64_t), n,
			    *f <= '9' ? 8 : n);
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
	put(m, 0, 0, 8);
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

/* Reads until m holds want bytes; errno tells why not. */
static int read_to(int fd, struct dbus_msg *m, size_t want)
{
	ssize_t k = 1;

	errno = EMSGSIZE;
	while (want <= DBUS_MSG_MAX && m->n < want && (k = read(fd, m->b + m->n, want - m->n)) > 0)
		m->n += (size_t)k;
	if (k <= 0) /* EOF, or SO_RCVTIMEO's EAGAIN */
		errno = k ? errno == EAGAIN ? ETIMEDOUT : errno : ECONNRESET;
	return m->n < want ? -1 : 0;
}

/* One whole message (its first 16 bytes say how long it is): its type, and its member (3)
 * or error name (4) header field; pos ends at the body. */
static int next_msg(int fd, struct dbus_msg *m, const char **name)
{
	uint32_t code, end;
	const char *sig, *s;

	m->n = 0;
	if (read_to(fd, m, 16) < 0)
		return -1;
	m->pos = 12;
	end = get(m, 4) + 16;
	m->pos = 4;
	if (read_to(fd, m, ((end + 7) & ~7u) + (size_t)get(m, 4)) < 0)
		return -1;
	m->bad = m->b[0] != 'l';
	*name = "";
	for (m->pos = 16; !m->bad && m->pos < end; m->pos = (m->pos + 7) & ~(size_t)7) {
		code = get(m, 1);
		sig = get_str(m, 1);
		s = "";
		if (*sig == 'u')
			get(m, 4);
		else
			s = get_str(m, *sig == 'g' ? 1 : 4);
		if (code == 3 || code == 4)
			*name = s;
	}
	m->pos = (end + 7) & ~7u;
	errno = EBADMSG;
	return m->bad ? -1 : m->b[1];
}

/* The answer to AUTH a byte at a time (messages follow it): "OK <guid>". Then any error
 * answers one of our calls (Hello, AddMatch, the call); the call's answer is its job (the
 * others' are a bus name or nothing); the job's JobRemoved signal (id, job, unit, result)
 * ends the wait. */
static int wait_job(int fd, struct dbus_msg *m, struct rt_err *err)
{
	char job[256] = "", c = 0, first = 0;
	const char *s, *name, *unit;
	int t;

	while (read(fd, &c, 1) == 1 && c != '\n')
		first = first ? first : c;
	errno = EACCES;
	if (first != 'O')
		return rt_sysfail(err, "authenticate to the bus as uid %u", (unsigned)geteuid());
	while ((t = next_msg(fd, m, &name)) > 0) {
		if (t == 4) { /* a signal: ours is JobRemoved; NameAcquired comes too */
			if (strcmp(name, "JobRemoved"))
				continue;
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
		if (t == 3)
			return rt_fail(err, rt_strstr(name, ".NoSuchUnit") ? ENOENT : EIO, "%s: %s",
				       name, s);
		if (t == 2 && *s == '/')
			rt_strlcpy(job, s, sizeof(job));
	}
	return rt_sysfail(err, "read from the bus");
}

void dbus_bus_path(bool user, char *out, size_t size)
{
	const char *a = getenv(user ? "DBUS_SESSION_BUS_ADDRESS" : "DBUS_SYSTEM_BUS_ADDRESS");

	a = a ? rt_strstr(a, "unix:path=") : NULL;
	if (a)
		rt_snprintf(out, size, "%.*s", (int)strcspn(a + 10, ",;"), a + 10);
	else
		rt_snprintf(out, size, "%s%s", user ? getenv("XDG_RUNTIME_DIR") : "",
			    user ? "/bus" : "/run/dbus/system_bus_socket");
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
	char uid[16], hex[32], *h = hex, *a = (char *)m.b;
	int fd = rt_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	rt_strlcpy(sa.sun_path, path, sizeof(sa.sun_path));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		rt_sysfail(err, "connect to %s", path);
		r = rt_hint(err, "--systemd-cgroup needs systemd and its D-Bus bus");
		goto out;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	rt_snprintf(uid, sizeof(uid), "%u", (unsigned)geteuid());
	for (char *p = uid; *p; p++) {
		*h++ = '3';
		*h++ = *p;
	}
	*h = '\0';
	r = rt_snprintf(a, 64, "%cAUTH EXTERNAL %s\r\nBEGIN\r\n", 0, hex);
	if ((r = xwrite(fd, a, (size_t)r, err)) < 0)
		goto out;
	dbus_call(&m, 1, true, "Hello", "");
	if ((r = send_msg(fd, &m, err)) < 0)
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
