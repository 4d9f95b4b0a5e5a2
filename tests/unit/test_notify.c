/* test_notify.c - what reaches the host's NOTIFY_SOCKET from one container datagram: known
 * keys only, MAINPID always runt's view of the init, READY=1 noticed. */
#include <string.h>

#include "notify.h"
#include "tap.h"

static void rewrite(const char *in, const char *want, bool want_ready, const char *desc)
{
	char out[256];
	bool ready = false;
	size_t n = notify_rewrite(in, strlen(in), 4242, out, sizeof(out), &ready);

	out[n] = '\0';
	is_str(out, want, "%s", desc);
	ok(ready == want_ready, "%s: ready=%d", desc, want_ready);
	is_int(n, (long long)strlen(want), "%s: length", desc);
}

static void test_rewrite(void)
{
	rewrite("READY=1", "READY=1\nMAINPID=4242\n", true, "READY=1 gains MAINPID");
	rewrite("READY=1\nMAINPID=1\n", "READY=1\nMAINPID=4242\n", true,
		"the container's MAINPID is replaced");
	rewrite("STATUS=warming up", "STATUS=warming up\nMAINPID=4242\n", false,
		"STATUS goes through with spaces");
	rewrite("FDSTORE=1\nNOTIFYACCESS=all\nBARRIER=1", "", false, "unknown or fd keys: nothing");
	rewrite("", "", false, "empty datagram: nothing");
	rewrite("READY=0", "READY=0\nMAINPID=4242\n", false, "READY=0 is not ready");
	rewrite("READYX=1\nSTOPPING=1\n\n", "STOPPING=1\nMAINPID=4242\n", false,
		"prefix matches keys only; blank lines dropped");
	rewrite("WATCHDOG=1\nERRNO=2", "WATCHDOG=1\nERRNO=2\nMAINPID=4242\n", false,
		"watchdog and errno go through");
}

static void test_edges(void)
{
	char out[16], big[64];
	bool ready = false;
	size_t n;

	is_int(notify_rewrite("STATUS=a\0b\nREADY=1", 18, 7, out, sizeof(out), &ready), 0,
	       "too small an output buffer: nothing (never a cut message)");
	ok(!ready, "a dropped message does not count as READY");
	n = notify_rewrite("STATUS=a\0b\nREADY=1", 18, 7, big, sizeof(big), &ready);
	big[n] = '\0';
	is_str(big, "READY=1\nMAINPID=7\n", "a line with a NUL byte is dropped");
}

int main(void)
{
	test_rewrite();
	test_edges();
	return tap_done();
}
