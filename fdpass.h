/* fdpass.h - handing one fd over a unix socket with SCM_RIGHTS (the pty master to a
 * console socket, the seccomp listener to runt and on to listenerPath). */
#ifndef RUNT_FDPASS_H
#define RUNT_FDPASS_H

#include <stddef.h>

/* Send data (at least one byte) with fd attached; 0, or -1 with errno set. */
int fdpass_send(int sock, int fd, const void *data, size_t len);

#endif
