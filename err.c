/* err.c - builds and decorates rt_err messages; never allocates, so it is
 * usable in the container child between clone and execve. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fmt.h"

void rt_clear(struct rt_err *err)
{
	err->code = 0;
	err->msg[0] = '\0';
}

static int vset(struct rt_err *err, int code, const char *fmt, va_list ap)
{
	err->code = code > 0 ? code : EINVAL;
	rt_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -err->code;
}

int rt_fail(struct rt_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	return -err->code;
}

static void append_strerror(struct rt_err *err)
{
	size_t len = strlen(err->msg);

	rt_snprintf(err->msg + len, sizeof(err->msg) - len, ": %s", strerror(err->code));
}

int rt_errnofail(struct rt_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	append_strerror(err);
	return -err->code;
}

int rt_sysfail(struct rt_err *err, const char *fmt, ...)
{
	int code = errno;
	va_list ap;

	va_start(ap, fmt);
	vset(err, code, fmt, ap);
	va_end(ap);
	append_strerror(err);
	return -err->code;
}

int rt_wrap(struct rt_err *err, const char *fmt, ...)
{
	char ctx[256];
	size_t clen, mlen = strlen(err->msg);
	va_list ap;

	va_start(ap, fmt);
	rt_vsnprintf(ctx, sizeof(ctx) - 2, fmt, ap);
	va_end(ap);
	strcat(ctx, ": ");
	clen = strlen(ctx);
	if (clen + mlen >= sizeof(err->msg))
		mlen = sizeof(err->msg) - clen - 1;
	memmove(err->msg + clen, err->msg, mlen);
	memcpy(err->msg, ctx, clen);
	err->msg[clen + mlen] = '\0';
	if (!err->code)
		err->code = EINVAL;
	return -err->code;
}

int rt_hint(struct rt_err *err, const char *fmt, ...)
{
	size_t len = strlen(err->msg);
	va_list ap;

	rt_snprintf(err->msg + len, sizeof(err->msg) - len, " (hint: ");
	len = strlen(err->msg);
	va_start(ap, fmt);
	rt_vsnprintf(err->msg + len, sizeof(err->msg) - len, fmt, ap);
	va_end(ap);
	len = strlen(err->msg);
	rt_snprintf(err->msg + len, sizeof(err->msg) - len, ")");
	return -err->code;
}
