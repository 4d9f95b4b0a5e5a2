/* fdpass.h - handing one fd over a unix socket with SCM_RIGHTS (the pty master to a
 * console socket, the seccomp listener to runt and on to listenerPath). */
#ifndef RUNT_FDPASS_H
#define RUNT_FDPASS_H

#include <stddef.h>

#include <sys/socket.h>

/* Send data (at least one byte) with fd attached; 0, or -1 with errno set. */
int fdpass_send(int sock, int fd, const void *data, size_t len);
/* The same to address to (an unconnected datagram socket, like sd_notify's). */
int fdpass_sendto(int sock, const void *to, socklen_t tolen, int fd, const void *data, size_t len);

#endif
