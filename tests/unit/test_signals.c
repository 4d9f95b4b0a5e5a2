/* test_signals.c - signal names and numbers as `kill` and the forwarders parse them. */
#include <errno.h>
#include <signal.h>

#include "signals.h"
#include "tap.h"

static void good(const char *s, int want)
{
	struct rt_err err = { 0 };
	int signo = -1;
	int r = sig_parse(s, &signo, &err);

	is_int(r == 0 ? signo : -100 + r, want, "sig_parse(\"%s\")", s);
}

static void bad(const char *s, const char *want)
{
	struct rt_err err = { 0 };
	int signo = -1;
	int r = sig_parse(s, &signo, &err);

	is_str(r < 0 ? err.msg : "(accepted)", want, "sig_parse refuses \"%s\"", s);
	ok(r == -EINVAL && signo == -1, "\"%s\": -EINVAL and signo untouched", s);
}

static void test_parse(void)
{
	good("9", 9);
	good("15", 15);
	good("64", 64);
	good("1", 1);
	good("KILL", SIGKILL);
	good("SIGKILL", SIGKILL);
	good("kill", SIGKILL);
	good("sigterm", SIGTERM);
	good("Hup", SIGHUP);
	good("SIGWINCH", SIGWINCH);
	good("USR2", SIGUSR2);
	good("POLL", SIGIO);
	good("IO", SIGIO);
	good("PWR", SIGPWR);
	good("SYS", SIGSYS);
	good("RTMIN", 34);
	good("RTMIN+3", 37);
	good("SIGRTMIN+3", 37);
	good("sigrtmin+30", 64);
	good("RTMAX", 64);
	good("RTMAX-1", 63);
	good("SIGRTMAX-30", 34);
	bad("FOO", "unknown signal \"FOO\"");
	bad("", "unknown signal \"\"");
	bad("SIG", "unknown signal \"SIG\"");
	bad("SIGSIGKILL", "unknown signal \"SIGSIGKILL\"");
	bad("-9", "unknown signal \"-9\"");
	bad("9x", "unknown signal \"9x\"");
	bad("RTMIN+31", "unknown signal \"RTMIN+31\"");
	bad("RTMAX-31", "unknown signal \"RTMAX-31\"");
	bad("RTMIN-1", "unknown signal \"RTMIN-1\"");
	bad("RTMIN+", "unknown signal \"RTMIN+\"");
	bad("0", "invalid signal \"0\": must be between 1 and 64");
	bad("65", "invalid signal \"65\": must be between 1 and 64");
	bad("99999999999", "invalid signal \"99999999999\": must be between 1 and 64");
}

static void test_names(void)
{
	int mismatches = 0, named = 0;

	is_str(sig_name(SIGKILL), "SIGKILL", "sig_name(9)");
	is_str(sig_name(SIGTERM), "SIGTERM", "sig_name(15)");
	is_str(sig_name(SIGIO), "SIGIO", "sig_name(SIGIO) prefers IO over POLL");
	is_str(sig_name(34), "SIGRTMIN", "sig_name(34)");
	is_str(sig_name(37), "SIGRTMIN+3", "sig_name(37)");
	is_str(sig_name(49), "SIGRTMIN+15", "sig_name(49)");
	is_str(sig_name(50), "SIGRTMAX-14", "sig_name(50)");
	is_str(sig_name(64), "SIGRTMAX", "sig_name(64)");
	ok(sig_name(0) == NULL, "sig_name(0) is NULL");
	ok(sig_name(65) == NULL, "sig_name(65) is NULL");
	ok(sig_name(-1) == NULL, "sig_name(-1) is NULL");
	ok(sig_name(32) == NULL, "sig_name(32) is NULL (reserved by libcs)");
	for (int n = 1; n <= 64; n++) {
		struct rt_err err = { 0 };
		int back = 0;

		if (!sig_name(n))
			continue;
		named++;
		if (sig_parse(sig_name(n), &back, &err) < 0 || back != n) {
			mismatches++;
			diag("%d -> %s -> %d", n, sig_name(n), back);
		}
	}
	is_int(mismatches, 0, "every name parses back to its number");
	ok(named >= 61, "at least 61 named signals (%d)", named);
}

int main(void)
{
	test_parse();
	test_names();
	return tap_done();
}
