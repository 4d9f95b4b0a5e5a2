/* test_hooks.c - the state JSON hooks read, and running a hook: stdin, args, env, exit
 * status, signals, exec failures and the timeout, with their exact messages. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hooks.h"
#include "tap.h"

static char dir[] = "/tmp/runt-test-hooks.XXXXXX";

static void test_state_json(void)
{
	struct hook_info hi = { "c1", "/b/\"q\"", NULL };
	char buf[512], small[40];
	int len;

	hook_state_json(&hi, "creating", 42, buf, sizeof(buf));
	is_str(buf,
	       "{\"ociVersion\":\"1.2.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":42,"
	       "\"bundle\":\"/b/\\\"q\\\"\",\"annotations\":{}}",
	       "state JSON: members, escaped bundle, empty annotations");
	hi.annotations = "{\"k\":\"v\"}";
	len = hook_state_json(&hi, "stopped", 0, buf, sizeof(buf));

	is_int(len, (long long)strlen(buf), "state JSON: returns its length");
	ok(strstr(buf, ",\"annotations\":{\"k\":\"v\"}}") != NULL,
	   "state JSON: annotations as given");
	is_int(hook_state_json(&hi, "running", 1, small, sizeof(small)), -E2BIG,
	       "state JSON: a small buffer is -E2BIG");
}

static void test_prepare(void)
{
	struct spec_kv kv[] = { { "a", "1" }, { "b\"", "x\ny" } };
	struct spec s = { .annotations = kv, .nannotations = 2 };
	struct hook_info hi;
	struct rt_err err = { 0 };

	is_int(hook_prepare(&hi, &s, "id", "/bundle", &err), 0, "hook_prepare");
	is_str(hi.annotations, "{\"a\":\"1\",\"b\\\"\":\"x\\ny\"}", "annotations as JSON text");
	s.nannotations = 0;
	hook_prepare(&hi, &s, "id", "/bundle", &err);
	ok(hi.annotations == NULL, "no annotations: NULL ({} in the state)");
}

static const char *const no_env[] = { NULL };

static int run(const char *path, const char *const *args, const char *const *env, int timeout,
	       struct rt_err *err)
{
	struct spec_hook h = { path, (const char **)args, (const char **)env, timeout };

	rt_clear(err);
	return hook_run(&h, HOOK_CREATE_RUNTIME, 2, "{\"x\":1}", 7, err);
}

static void slurp(const char *name, char *buf, size_t size)
{
	char path[256];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd >= 0)
		n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static void test_run_ok(void)
{
	char script[512], got[256];
	const char *args[] = { "custom-zero", "-c", script, NULL };
	const char *env[] = { "HOOKVAR=v1", NULL };
	struct rt_err err;

	snprintf(script, sizeof(script),
		 "cat > %s/stdin; echo \"$0 $HOOKVAR ${HOME:-nohome}\" > %s/env", dir, dir);
	is_int(run("/bin/sh", args, env, 5, &err), 0, "a hook exiting 0 succeeds");
	slurp("stdin", got, sizeof(got));
	is_str(got, "{\"x\":1}", "the state arrives on stdin");
	slurp("env", got, sizeof(got));
	is_str(got, "custom-zero v1 nohome\n", "args[0] as given, env exactly the hook's");
}

static void test_run_failures(void)
{
	const char *exit3[] = { "sh", "-c", "exit 3", NULL };
	const char *kill9[] = { "sh", "-c", "kill -9 $$", NULL };
	const char *slow[] = { "sh", "-c", "sleep 5 & sleep 5", NULL };
	struct rt_err err;
	time_t t0;

	is_int(run("/bin/sh", exit3, no_env, 0, &err), -ECANCELED, "exit 3: -ECANCELED");
	is_str(err.msg, "hook createRuntime[2] /bin/sh exited with status 3", "exit 3: message");
	run("/bin/sh", kill9, no_env, 0, &err);
	is_str(err.msg, "hook createRuntime[2] /bin/sh was killed by signal 9", "signal: message");
	is_int(run("/nonexistent/hook", NULL, no_env, 0, &err), -ENOENT, "missing: -ENOENT");
	is_str(err.msg, "hook createRuntime[2]: exec /nonexistent/hook: No such file or directory",
	       "missing: message");
	t0 = time(NULL);
	is_int(run("/bin/sh", slow, no_env, 1, &err), -ETIMEDOUT, "timeout: -ETIMEDOUT");
	is_str(err.msg, "hook createRuntime[2] /bin/sh timed out after 1 s", "timeout: message");
	ok(time(NULL) - t0 < 4, "timeout: killed with its process group, not waited for");
}

/* No args at all: argv is [path]. */
static void test_run_no_args(void)
{
	char path[256], got[256], want[300];
	struct rt_err err;
	FILE *f;

	snprintf(path, sizeof(path), "%s/noargs.sh", dir);
	f = fopen(path, "w");
	fprintf(f, "#!/bin/sh\necho \"$# $0\" > %s/noargs\n", dir);
	fclose(f);
	chmod(path, 0755);
	is_int(run(path, NULL, NULL, 0, &err), 0, "no args, no env: runs");
	slurp("noargs", got, sizeof(got));
	snprintf(want, sizeof(want), "0 %s\n", path);
	is_str(got, want, "no args: argv is [path]");
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_state_json();
	test_prepare();
	test_run_ok();
	test_run_failures();
	test_run_no_args();
	char rm[128];

	snprintf(rm, sizeof(rm), "rm -rf %s", dir);
	if (system(rm) != 0)
		diag("could not remove %s", dir);
	return tap_done();
}
