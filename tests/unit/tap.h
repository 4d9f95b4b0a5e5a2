/* tap.h - a tiny plan-less TAP producer for runt's C unit tests: "ok N - desc" lines, a
 * "# got:" diagnostic on failure, then "1..N" and "P passed, F failed" from tap_done(). */
#ifndef RUNT_TAP_H
#define RUNT_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static inline bool __attribute__((format(printf, 2, 0)))
tap_report(bool pass, const char *fmt, va_list ap)
{
	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%sok %d - ", pass ? "" : "not ", tap_count);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
	return pass;
}

static inline bool __attribute__((format(printf, 2, 3))) ok(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tap_report(pass, fmt, ap);
	va_end(ap);
	return pass;
}

static inline void __attribute__((format(printf, 1, 2))) diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static inline bool __attribute__((format(printf, 3, 4)))
is_int(long long got, long long want, const char *fmt, ...)
{
	bool pass = got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_report(pass, fmt, ap);
	va_end(ap);
	if (!pass)
		diag("got: %lld, expected: %lld", got, want);
	return pass;
}

/* NULL is a value of its own: is_str(NULL, NULL) passes, is_str("x", NULL) fails. */
static inline bool __attribute__((format(printf, 3, 4)))
is_str(const char *got, const char *want, const char *fmt, ...)
{
	bool pass = got && want ? !strcmp(got, want) : got == want;
	va_list ap;

	va_start(ap, fmt);
	tap_report(pass, fmt, ap);
	va_end(ap);
	if (!pass) {
		diag("got:      %s%s%s", got ? "\"" : "", got ? got : "NULL", got ? "\"" : "");
		diag("expected: %s%s%s", want ? "\"" : "", want ? want : "NULL", want ? "\"" : "");
	}
	return pass;
}

/* A test the environment cannot run (no privileges, old kernel): counted as passed. */
static inline void tap_skip(const char *desc, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_count, desc, why);
}

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	printf("%d passed, %d failed\n", tap_count - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif
