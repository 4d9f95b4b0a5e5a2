/* fmt.h - runt's own printf subset (%s %c %d %i %u %x %o with l/ll/z, widths, '-', '0',
 * precision): musl's vfprintf drags in the float formatter and stdio (~14 KB of ~150). */
#ifndef RUNT_FMT_H
#define RUNT_FMT_H

#include <stdarg.h>
#include <stddef.h>

#include "err.h"

/* Same contract as vsnprintf/snprintf: returns the untruncated length. */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) RT_PRINTF(3, 4);
/* Formats through a small stack buffer flushed with write(2): no heap, no stdio buffer
 * (nothing left unflushed at _exit or duplicated by fork), safe in the container child. */
int rt_dprintf(int fd, const char *fmt, ...) RT_PRINTF(2, 3);
/* rt_dprintf(1, ...) and fputs(s, stdout) without stdio. */
int rt_printf(const char *fmt, ...) RT_PRINTF(1, 2);
int rt_out(const char *s);
/* write(2) all of buf, retrying short writes and EINTR: 0 or -errno. */
int rt_write_all(int fd, const char *buf, size_t len);

#endif
