/* test_dbus.c - runt's D-Bus client: the exact bytes of the messages it writes, and
 * dbus_job against a fake bus (a forked server on a unix socket writing canned answers). */
#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "dbus.h"
#include "tap.h"

#define U64(x) ((uint64_t)(x))

static bool same(const struct dbus_msg *m, size_t off, const char *want, size_t len,
		 const char *what)
{
	bool pass = m->n - off == len && !memcmp(m->b + off, want, len);

	ok(pass, "%s: %zu bytes as the specification lays them out", what, len);
	if (!pass)
		for (size_t i = 0; i < m->n - off; i++)
			if (i >= len || m->b[off + i] != (unsigned char)want[i]) {
				diag("first difference at byte %zu of %zu (want %zu)", i,
				     m->n - off, len);
				break;
			}
	return pass;
}

/* Hello to the bus: the header alone (fields a(yv): path, interface, member, destination). */
static void test_header(void)
{
	static struct dbus_msg m;
	static const char want[] = "l\1\0\1"
				   "\0\0\0\0"
				   "\1\0\0\0"
				   "\x6d\0\0\0"
				   "\1\1o\0\x15\0\0\0/org/freedesktop/DBus\0\0\0"
				   "\2\1s\0\x14\0\0\0org.freedesktop.DBus\0\0\0\0"
				   "\3\1s\0\5\0\0\0Hello\0\0\0"
				   "\6\1s\0\x14\0\0\0org.freedesktop.DBus\0\0\0\0";

	dbus_call(&m, 1, true, "Hello", "");
	same(&m, 0, want, sizeof(want) - 1, "Hello's header");
	is_int((long long)m.body, 128, "the body starts 8-aligned after the fields");

	dbus_call(&m, 3, false, "StopUnit", "ss");
	ok(m.b[8] == 3 && m.body % 8 == 0, "serial 3, body aligned (%zu)", m.body);
	ok(!memcmp(m.b + m.body - 8, "\x08\x01g\0\x02ss\0", 8),
	   "the signature field is last: (8, g, \"ss\")");
}

/* StartTransientUnit's arguments: strings, then a(sv) with au, b and t variants (8-byte
 * struct alignment, array padding outside the length), and an empty a(sa(sv)). */
static void test_body(void)
{
	static struct dbus_msg m;
	static const char want[] = "\7\0\0\0a.scope\0"
				   "\7\0\0\0replace\0"
				   "\x6b\0\0\0\0\0\0\0"
				   "\4\0\0\0PIDs\0\2au\0\0\0\0"
				   "\4\0\0\0\x2a\0\0\0"
				   "\x08\0\0\0Delegate\0\1b\0"
				   "\1\0\0\0\0\0\0\0"
				   "\x09\0\0\0MemoryMax\0\1t\0\0\0\0\0\0\0\0"
				   "\0\0\x10\0\0\0\0\0"
				   "\x0b\0\0\0AllowedCPUs\0\2ay\0"
				   "\3\0\0\0\x0f\0\x01\0"
				   "\0\0\0\0";

	dbus_call(&m, 3, false, "StartTransientUnit", "ssa(sv)a(sa(sv))");
	size_t body = m.body;
	dbus_put(&m, "ss[((sv[uu])(svb)(svt)", "a.scope", "replace", "PIDs", "au", U64(42),
		 "Delegate", "b", U64(1), "MemoryMax", "t", U64(1) << 20);
	dbus_put(&m, "(sv[yyyy])", "AllowedCPUs", "ay", U64(0x0f), U64(0), U64(1));
	dbus_put(&m, "][(]");
	same(&m, body, want, sizeof(want) - 1, "StartTransientUnit's body");
}

/* cg_sd_props: res_plan's cgroupfs writes as unit properties, decoded back from the a(sv)
 * (name, one-character signature, value): runc's conversions, files without one skipped. */
static void test_props(void)
{
	static struct dbus_msg m;
	static struct res_write w[6] = {
		{ "memory.max", "67108864" }, { "memory.swap.max", "max" },
		{ "cpu.idle", "1" },	      { "cpu.max", "33333 100000" },
		{ "cpuset.cpus", "0-2,9" },   { "io.weight", "5000" },
	};
	char got[512] = "", *g = got;
	size_t p;

	dbus_call(&m, 3, false, "StartTransientUnit", "ssa(sv)a(sa(sv))");
	dbus_put(&m, "[(");
	cg_sd_props(&m, w, 6);
	dbus_put(&m, "]");
	for (p = m.body + 8; p < m.n;) {
		uint32_t len;
		uint64_t v = 0;
		char sig;

		p = (p + 7) & ~(size_t)7;
		memcpy(&len, m.b + p, 4);
		g += sprintf(g, "%s=", (char *)m.b + p + 4);
		p += 4 + len + 1;
		sig = (char)m.b[p + 1];
		p += 2 + m.b[p];
		if (sig == 't') {
			p = (p + 7) & ~(size_t)7;
			memcpy(&v, m.b + p, 8);
			g += sprintf(g, v == UINT64_MAX ? "max " : "%llu ", (unsigned long long)v);
			p += 8;
		} else { /* ay */
			p = (p + 3) & ~(size_t)3;
			memcpy(&len, m.b + p, 4);
			for (uint32_t i = 0; i < len; i++)
				g += sprintf(g, "%02x", m.b[p + 4 + i]);
			g += sprintf(g, " ");
			p += 4 + len;
		}
	}
	is_str(got,
	       "MemoryMax=67108864 MemorySwapMax=max CPUQuotaPeriodUSec=100000 "
	       "CPUQuotaPerSecUSec=340000 AllowedCPUs=0702 IOWeight=5000 ",
	       "properties, in plan order: max is infinity, the CPU quota per second rounded up to "
	       "whole percents, a cpuset list as a bitmask, cpu.idle has none");
}

/* ---- a fake bus ---- */

static struct dbus_msg out;

/* An answer: type (2 return, 3 error, 4 signal), reply serial, member or error name, body. */
static void answer(int type, uint32_t reply, const char *name, const char *sig, const char *s1,
		   const char *s2)
{
	static struct dbus_msg m;
	size_t body;
	uint32_t len;

	m.n = 0;
	m.depth = 0;
	dbus_put(&m, "uuu[(", U64(0x0100006c | type << 8), U64(0), U64(100));
	if (reply)
		dbus_put(&m, "5vu", "u", U64(reply));
	if (*name)
		dbus_put(&m, type == 3 ? "4vs" : "3vs", "s", name);
	dbus_put(&m, "8vg]", "g", sig);
	dbus_put(&m, "(");
	body = m.n;
	if (!strcmp(sig, "uoss"))
		dbus_put(&m, "uoss", U64(7), s1, "x.scope", s2);
	else
		dbus_put(&m, sig, s1);
	len = (uint32_t)(m.n - body);
	memcpy(m.b + 4, &len, 4); /* the build hosts are little-endian */
	memcpy(out.b + out.n, m.b, m.n);
	out.n += m.n;
}

static int serve(const char *path, const char *answers, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int l = socket(AF_UNIX, SOCK_STREAM, 0), c;
	char buf[4096];
	pid_t pid;

	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(l, 1) < 0)
		return -1;
	if ((pid = fork()) != 0) {
		close(l);
		return pid;
	}
	c = accept(l, NULL, NULL);
	if (write(c, answers, len) < 0)
		_exit(1);
	shutdown(c, SHUT_WR);
	while (read(c, buf, sizeof(buf)) > 0)
		;
	_exit(0);
}

static int run_job(const char *path, const char *answers, size_t len, struct rt_err *err)
{
	static struct dbus_msg call;
	int pid = serve(path, answers, len), r;

	dbus_call(&call, 3, false, "StopUnit", "ss");
	dbus_put(&call, "ss", "x.scope", "replace");
	rt_clear(err);
	r = dbus_job(path, &call, err);
	waitpid(pid, NULL, 0);
	return r;
}

static void test_job(const char *path)
{
	const char *job = "/org/freedesktop/systemd1/job/7";
	struct rt_err err;
	size_t last;
	int r;

	/* replies to Hello and AddMatch, NameAcquired, another job's end, ours */
	out.n = 0;
	memcpy(out.b, "OK 0123456789abcdef\r\n", 21);
	out.n = 21;
	answer(2, 1, "", "s", ":1.5", "");
	answer(4, 0, "NameAcquired", "s", ":1.5", "");
	answer(2, 2, "", "", "", "");
	answer(2, 3, "", "o", job, "");
	answer(4, 0, "JobRemoved", "uoss", "/org/freedesktop/systemd1/job/6", "failed");
	last = out.n;
	answer(4, 0, "JobRemoved", "uoss", job, "done");
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, 0, "the job's JobRemoved \"done\" ends the wait (another job's is ignored)");
	if (r)
		diag("%s", err.msg);

	out.n = last; /* our job ends "failed" instead */
	answer(4, 0, "JobRemoved", "uoss", job, "failed");
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, -ECANCELED, "a job that ends \"failed\" is an error");
	is_str(err.msg, "job for x.scope: failed", "... naming the unit and the result");

	out.n = 21;
	answer(2, 1, "", "s", ":1.5", "");
	answer(3, 3, "org.freedesktop.systemd1.NoSuchUnit", "s", "Unit x.scope not loaded.", "");
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, -ENOENT, "NoSuchUnit is -ENOENT");
	is_str(err.msg, "org.freedesktop.systemd1.NoSuchUnit: Unit x.scope not loaded.",
	       "the bus's error: its name and message");

	out.n = 21;
	answer(3, 2, "org.freedesktop.DBus.Error.AccessDenied", "s", "no", "");
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, -EIO, "an error answering AddMatch is an error too");

	r = run_job(path, "REJECTED EXTERNAL\r\n", 19, &err);
	is_int(r, -EACCES, "SASL refused");

	out.n = 21;
	answer(2, 1, "", "s", ":1.5", "");
	out.b[21] = 'B'; /* big-endian: not what runt reads */
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, -EBADMSG, "a message runt cannot read is refused");

	out.n = 21;
	answer(2, 3, "", "o", job, "");
	r = run_job(path, (char *)out.b, out.n, &err);
	is_int(r, -ECONNRESET, "the bus going away before the job ends");

	unlink(path);
	rt_clear(&err);
	r = dbus_job(path, &out, &err);
	is_int(r, -ENOENT, "no bus at all");
	ok(!strncmp(err.msg, "connect to ", 11) && strstr(err.msg, "(hint: "),
	   "... says which socket, with a hint: %s", err.msg);
}

static void test_bus_path(void)
{
	char p[108];

	setenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/x/sys,guid=12", 1);
	dbus_bus_path(false, p, sizeof(p));
	is_str(p, "/x/sys", "DBUS_SYSTEM_BUS_ADDRESS's unix:path, without its guid");
	unsetenv("DBUS_SYSTEM_BUS_ADDRESS");
	dbus_bus_path(false, p, sizeof(p));
	is_str(p, "/run/dbus/system_bus_socket", "the system bus by default");
	unsetenv("DBUS_SESSION_BUS_ADDRESS");
	setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1);
	dbus_bus_path(true, p, sizeof(p));
	is_str(p, "/run/user/1000/bus", "the user bus: $XDG_RUNTIME_DIR/bus");
}

int main(void)
{
	char dir[] = "/tmp/runt-dbus-XXXXXX", path[64];

	signal(SIGPIPE, SIG_IGN);
	test_header();
	test_body();
	test_props();
	test_bus_path();
	if (mkdtemp(dir)) {
		snprintf(path, sizeof(path), "%s/bus", dir);
		test_job(path);
		rmdir(dir);
	}
	return tap_done();
}
