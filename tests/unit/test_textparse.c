/* test_textparse.c - the small hand-written parsers that replaced sscanf and strftime to keep
 * the binary small: /proc/<pid>/stat start time, systemd cgroupsPath, RFC 3339 log time. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cgroup.h"
#include "log.h"
#include "state.h"
#include "tap.h"

/* The reference: field 22 read with sscanf, which the test may use and runt no longer does. */
static unsigned long long start_time_ref(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (!(f = fopen(path, "r")) || !fgets(buf, sizeof(buf), f))
		return 0;
	fclose(f);
	p = strrchr(buf, ')');
	if (sscanf(p + 2,
		   "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
		   "%*d %*d %llu",
		   &start) != 1)
		return 0;
	return start;
}

static void test_start_time(void)
{
	unsigned long long want = start_time_ref(getpid());

	ok(want > 0, "reference start time of this process read");
	is_int((long long)state_proc_start_time(getpid()), (long long)want,
	       "state_proc_start_time(self) is field 22 of /proc/self/stat");
	is_int((long long)state_proc_start_time(getppid()), (long long)start_time_ref(getppid()),
	       "state_proc_start_time(parent)");
	is_int((long long)state_proc_start_time(0x3ffffff0), 0, "no such pid: 0");
}

static void sd_good(const char *cpath, const char *suffix)
{
	static struct spec s;
	struct rt_err err = { 0 };
	struct cg cg;
	size_t n, m = strlen(suffix);
	int r;

	memset(&s, 0, sizeof(s));
	s.linux.resources_tok = -1;
	s.linux.cgroups_path = cpath;
	r = cg_resolve(&cg, &s, "id", true, &err);
	n = strlen(cg.path);
	if (!ok(r == 0 && n > m && !strcmp(cg.path + n - m, suffix), "systemd \"%s\" -> ...%s",
		cpath, suffix))
		diag("r=%d path=%s err=%s", r, cg.path, err.msg);
}

static void sd_bad(const char *cpath)
{
	static struct spec s;
	struct rt_err err = { 0 };
	struct cg cg;
	char want[512];
	int r;

	memset(&s, 0, sizeof(s));
	s.linux.resources_tok = -1;
	s.linux.cgroups_path = cpath;
	r = cg_resolve(&cg, &s, "id", true, &err);
	snprintf(want, sizeof(want),
		 "cgroupsPath \"%s\": expected slice:prefix:name with --systemd-cgroup", cpath);
	is_str(r == -EINVAL ? err.msg : "(accepted)", want, "systemd \"%s\" refused", cpath);
}

static void test_systemd(void)
{
	struct cg probe;
	static struct spec s;
	struct rt_err err = { 0 };

	memset(&s, 0, sizeof(s));
	s.linux.resources_tok = -1;
	if (cg_resolve(&probe, &s, "id", false, &err) == 0 && probe.mode == CG_NONE) {
		tap_skip("systemd cgroupsPath", "no cgroup2 mount");
		return;
	}
	sd_good("system.slice:runt:abc", "/system.slice/runt-abc.scope");
	sd_good(":runt:abc", "/system.slice/runt-abc.scope");
	sd_good("a-b.slice:p:n", "/a.slice/a-b.slice/p-n.scope");
	sd_good("user.slice:p:n:x", "/user.slice/p-n:x.scope");
	sd_bad("nocolon");
	sd_bad("a:b");
	sd_bad("a::n");
	sd_bad("a:p:");
	sd_bad("::");
}

static void test_rfc3339(void)
{
	char buf[40], before[32], after[32];
	time_t t0 = time(NULL), t1;
	struct tm tm;

	log_rfc3339(buf, sizeof(buf));
	t1 = time(NULL);
	strftime(before, sizeof(before), "%Y-%m-%dT%H:%M:%S", gmtime_r(&t0, &tm));
	strftime(after, sizeof(after), "%Y-%m-%dT%H:%M:%S", gmtime_r(&t1, &tm));
	is_int((long long)strlen(buf), 27, "RFC 3339 time is 27 characters: %s", buf);
	ok(!strncmp(buf, before, 19) || !strncmp(buf, after, 19), "it is now, in UTC: %s", buf);
	ok(buf[16] == ':' && buf[19] == '.' && buf[26] == 'Z', "separators and Z: %s", buf);
}

int main(void)
{
	test_start_time();
	test_systemd();
	test_rfc3339();
	return tap_done();
}
