/* err.h - runt's one error contract: functions return 0 or -errno and fill a
 * caller-provided struct rt_err (fixed buffer, no malloc: safe after fork). */
#ifndef RUNT_ERR_H
#define RUNT_ERR_H

#include <stddef.h>

#define RT_ERR_MAX 1024

struct rt_err {
	int code;	      /* positive errno of the failure, 0 when clear */
	char msg[RT_ERR_MAX]; /* the complete message, without "runt: " */
};

#define RT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Logical failure (bad input): msg is exactly the formatted text. */
int rt_fail(struct rt_err *err, int code, const char *fmt, ...) RT_PRINTF(3, 4);
/* Syscall failure: the current errno is kept and ": <strerror>" appended. */
int rt_sysfail(struct rt_err *err, const char *fmt, ...) RT_PRINTF(2, 3);
/* Same with an explicit positive errno (for -errno returns of helpers). */
int rt_errnofail(struct rt_err *err, int code, const char *fmt, ...) RT_PRINTF(3, 4);
/* Prepend "<context>: " on the way up; returns -err->code. */
int rt_wrap(struct rt_err *err, const char *fmt, ...) RT_PRINTF(2, 3);
/* Append " (hint: ...)" explaining a confusing errno; returns -err->code. */
int rt_hint(struct rt_err *err, const char *fmt, ...) RT_PRINTF(2, 3);
void rt_clear(struct rt_err *err);

#endif
