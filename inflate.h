/* inflate.h - one gzip member (RFC 1952 around RFC 1951 deflate) inflated into a fixed
 * buffer: `runt check` reads the kernel's /proc/config.gz with it. */
#ifndef RUNT_INFLATE_H
#define RUNT_INFLATE_H

#include <stddef.h>

/* Inflates the gzip member in in[0..n) into out[0..size): the output length, -EINVAL when
 * the member is corrupt or truncated (bad header, code, distance, CRC-32 or length), -ENOSPC
 * when its output does not fit. Never reads or writes outside the two buffers. */
int gz_inflate(const void *in, size_t n, char *out, size_t size);

#endif
