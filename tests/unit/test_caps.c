/* test_caps.c - capability names, and caps_drop_bounding + caps_apply in a forked child read back from
 * /proc/self/status (skipped without the privileges to change capabilities). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "caps.h"
#include "tap.h"

#define CAP(n) (1ull << (n))

static void test_names(void)
{
	int mismatches = 0;

	is_int(caps_count(), 41, "41 capabilities (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE)");
	is_str(caps_name(0), "CAP_CHOWN", "cap 0");
	is_str(caps_name(21), "CAP_SYS_ADMIN", "cap 21");
	is_str(caps_name(29), "CAP_AUDIT_WRITE", "cap 29");
	is_str(caps_name(38), "CAP_PERFMON", "cap 38");
	is_str(caps_name(40), "CAP_CHECKPOINT_RESTORE", "cap 40");
	ok(caps_name(41) == NULL, "cap 41 unknown");
	ok(caps_name(-1) == NULL, "cap -1 unknown");
	is_int(caps_by_name("CAP_SYS_ADMIN"), 21, "by name: CAP_SYS_ADMIN");
	is_int(caps_by_name("CAP_NET_BIND_SERVICE"), 10, "by name: CAP_NET_BIND_SERVICE");
	is_int(caps_by_name("CAP_BPF"), 39, "by name: CAP_BPF");
	is_int(caps_by_name("cap_sys_admin"), -1, "by name: lower case refused");
	is_int(caps_by_name("SYS_ADMIN"), -1, "by name: without CAP_ refused");
	is_int(caps_by_name("CAP_FOO"), -1, "by name: unknown");
	is_int(caps_by_name(""), -1, "by name: empty");
	for (int i = 0; i < caps_count(); i++)
		mismatches += caps_by_name(caps_name(i)) != i;
	is_int(mismatches, 0, "every name maps back to its number");
}

/* "CapBnd:\t000001ffffffffff" -> the mask. */
static uint64_t status_mask(const char *status, const char *field)
{
	const char *p = strstr(status, field);

	return p ? strtoull(p + strlen(field) + 1, NULL, 16) : UINT64_MAX;
}

static int read_status(char *buf, size_t size)
{
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = f ? fread(buf, 1, size - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return n ? 0 : -1;
}

/* The child applies the sets and reports "bnd eff prm inh amb" (hex) or "error: msg". */
static void child(const struct spec_process *p, int fd)
{
	struct rt_err err = { 0 };
	char status[4096], out[1200];
	int len;

	if (caps_drop_bounding(p, &err) < 0 || caps_apply(p, &err) < 0) {
		len = snprintf(out, sizeof(out), "error: %s", err.msg);
	} else if (read_status(status, sizeof(status)) < 0) {
		len = snprintf(out, sizeof(out), "error: cannot read /proc/self/status");
	} else {
		len = snprintf(out, sizeof(out),
			       "%" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64 " %" PRIx64,
			       status_mask(status, "CapBnd:"), status_mask(status, "CapEff:"),
			       status_mask(status, "CapPrm:"), status_mask(status, "CapInh:"),
			       status_mask(status, "CapAmb:"));
	}
	if (write(fd, out, len) != len)
		_exit(2);
	_exit(0);
}

static int run_child(const struct spec_process *p, char *out, size_t size)
{
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(fds) < 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		child(p, fds[1]);
	}
	close(fds[1]);
	n = read(fds[0], out, size - 1);
	close(fds[0]);
	out[n > 0 ? n : 0] = '\0';
	waitpid(pid, &status, 0);
	return pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static bool can_change_caps(void)
{
	char status[4096];

	if (read_status(status, sizeof(status)) < 0)
		return false;
	/* CAP_SETPCAP in the effective set: needed to drop from the bounding set */
	return (status_mask(status, "CapEff:") & CAP(8)) && prctl(PR_CAPBSET_READ, 8, 0, 0, 0) == 1;
}

static void test_apply(void)
{
	struct spec_process p = { .caps_set = true };
	struct rt_err err = { 0 };
	char out[1300], want[128];

	is_int(caps_apply(&(struct spec_process){ .caps_set = false }, &err), 0,
	       "caps_apply without capabilities is a no-op");
	if (!can_change_caps()) {
		tap_skip("caps_apply in a child", "no CAP_SETPCAP");
		return;
	}
	p.caps[CAPSET_BOUNDING] = CAP(0) | CAP(5) | CAP(29);
	p.caps[CAPSET_PERMITTED] = CAP(0) | CAP(5);
	p.caps[CAPSET_EFFECTIVE] = CAP(5);
	p.caps[CAPSET_INHERITABLE] = CAP(5);
	p.caps[CAPSET_AMBIENT] = CAP(5);
	ok(run_child(&p, out, sizeof(out)) == 0, "child ran");
	snprintf(want, sizeof(want), "%llx %llx %llx %llx %llx", CAP(0) | CAP(5) | CAP(29), CAP(5),
		 CAP(0) | CAP(5), CAP(5), CAP(5));
	is_str(out, want, "bounding, effective, permitted, inheritable and ambient applied");
	p.caps[CAPSET_EFFECTIVE] = CAP(21);
	run_child(&p, out, sizeof(out));
	is_str(out,
	       "error: capset: Operation not permitted (hint: effective capabilities must also be "
	       "permitted)",
	       "effective outside permitted refused with a hint");
	p.caps[CAPSET_EFFECTIVE] = CAP(5);
	p.caps[CAPSET_AMBIENT] = CAP(0);
	run_child(&p, out, sizeof(out));
	/* runc's default spec asks for ambient caps that are not inheritable: skipped, no error */
	snprintf(want, sizeof(want), "%llx %llx %llx %llx 0", CAP(0) | CAP(5) | CAP(29), CAP(5),
		 CAP(0) | CAP(5), CAP(5));
	is_str(out, want, "ambient outside inheritable is left out");
	p.caps[CAPSET_AMBIENT] = 0;
	p.caps[CAPSET_BOUNDING] = 0;
	p.caps[CAPSET_PERMITTED] = p.caps[CAPSET_EFFECTIVE] = p.caps[CAPSET_INHERITABLE] = 0;
	run_child(&p, out, sizeof(out));
	is_str(out, "0 0 0 0 0", "empty sets drop everything");
}

int main(void)
{
	test_names();
	test_apply();
	return tap_done();
}
