/* test_fmt.c - runt's printf subset against libc's snprintf, which it replaces in the
 * binary: same text, same untruncated length, same truncation. */
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <unistd.h>

#include "fmt.h"
#include "tap.h"

/* The truncation cases are deliberate. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

/* Both formatters into buffers of 64 and of 5 bytes (truncation), then compared. */
#define SAME(...)                                                                                  \
	do {                                                                                       \
		char a[64], b[64], ta[5], tb[5];                                                   \
		int na = rt_snprintf(a, sizeof(a), __VA_ARGS__);                                   \
		int nb = snprintf(b, sizeof(b), __VA_ARGS__);                                      \
		int tna = rt_snprintf(ta, sizeof(ta), __VA_ARGS__);                                \
		int tnb = snprintf(tb, sizeof(tb), __VA_ARGS__);                                   \
		is_str(a, b, "text of %s", #__VA_ARGS__);                                          \
		ok(na == nb && tna == tnb, "length of %s: %d %d", #__VA_ARGS__, na, tna);          \
		is_str(ta, tb, "truncated %s", #__VA_ARGS__);                                      \
	} while (0)

static void test_strings(void)
{
	const char *s = "bundle";

	SAME("plain text");
	SAME("%s", s);
	SAME("%s/%s", "/run/runt", "abc");
	SAME("[%s]", "");
	SAME("%-12s|", s);
	SAME("%12s|", s);
	SAME("%-3s|", s);
	SAME("%.*s", 3, s);
	SAME("%.*s", 0, s);
	SAME("%.50s", s);
	SAME("%c%c", 'a', 'b');
	SAME("100%%");
	SAME("\"%c\"", 'c');
}

static void test_numbers(void)
{
	SAME("%d", 0);
	SAME("%d %i", -1, 42);
	SAME("%d", INT_MIN);
	SAME("%d", INT_MAX);
	SAME("%u", UINT_MAX);
	SAME("%-8d|", 1234);
	SAME("%8d|", -1234);
	SAME("%02d:%02d", 5, 59);
	SAME("%04d", 2026);
	SAME("%06ld", 1234L);
	SAME("%04x", 0x1f);
	SAME("%x %lx", 0xdeadbeefu, 0xffffffffffUL);
	SAME("%o", 0755);
	SAME("%ld %lu", LONG_MIN, ULONG_MAX);
	SAME("%lld %llu", LLONG_MIN, ULLONG_MAX);
	SAME("%zu %zd", (size_t)123456789, (ssize_t)-5);
	SAME("%" PRId64 " %" PRIu64 " %" PRIu32, INT64_MIN, UINT64_MAX, UINT32_MAX);
	SAME("%.3d", 7);
	SAME("%*d|", 5, 3);
}

static void test_edges(void)
{
	char one[1] = { 'x' };
	char buf[8];

	is_int(rt_snprintf(one, sizeof(one), "%s", "abc"), 3, "size 1: length still counted");
	is_int(one[0], 0, "size 1: only the NUL");
	is_int(rt_snprintf(NULL, 0, "%d", 12345), 5, "size 0: nothing written, length returned");
	is_int(rt_snprintf(buf, sizeof(buf), "%s", "1234567"), 7, "exact fit");
	is_str(buf, "1234567", "exact fit text");
}

/* rt_dprintf streams through a 1 KB buffer: longer output must arrive whole. */
static void test_dprintf(void)
{
	static char big[5000], got[6000];
	int fds[2];
	ssize_t n, total = 0;

	memset(big, 'y', sizeof(big) - 1);
	if (pipe(fds) < 0) {
		ok(0, "pipe");
		return;
	}
	is_int(rt_dprintf(fds[1], "[%s]%d", big, 7), (int)sizeof(big) + 2, "dprintf length");
	close(fds[1]);
	while ((n = read(fds[0], got + total, sizeof(got) - 1 - total)) > 0)
		total += n;
	close(fds[0]);
	got[total] = '\0';
	is_int(total, (long long)sizeof(big) + 2, "dprintf wrote everything");
	ok(got[0] == '[' && got[sizeof(big)] == ']' && got[sizeof(big) + 1] == '7' &&
	       got[sizeof(big) - 1] == 'y',
	   "dprintf text intact across flushes");
}

int main(void)
{
	test_strings();
	test_numbers();
	test_edges();
	test_dprintf();
	return tap_done();
}
