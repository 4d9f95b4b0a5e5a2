/* dbus.h - runt's own D-Bus client (no libdbus, no libsystemd): a unix socket, SASL EXTERNAL
 * and the little-endian marshalling of exactly what runt asks systemd (a job and its end). */
#ifndef RUNT_DBUS_H
#define RUNT_DBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DBUS_MSG_MAX 4096

/* A message being written, or read (pos). */
struct dbus_msg {
	size_t n, pos, body;	 /* bytes; read position; where the body starts */
	size_t arr[4], start[4]; /* open arrays: their length's offset, their first element */
	int depth;
	bool bad; /* malformed (reading) */
	unsigned char b[DBUS_MSG_MAX];
};

/* A method call's header: to systemd's Manager, or (bus) to the bus itself. */
void dbus_call(struct dbus_msg *m, uint32_t serial, bool bus, const char *member, const char *sig);
/* Appends by a format: y b u t (integers, each passed as uint64_t), s o g (strings),
 * v (a variant's signature: its value follows in the format), ( ) (a struct), [X ... ]
 * (an array whose elements start like X), 1-9 (a header field's code). */
void dbus_put(struct dbus_msg *m, const char *fmt, ...);

/* The bus socket: the system bus, or the user's (rootless, systemdUser). */
void dbus_bus_path(bool user, char *out, size_t size);
/* Sends call (serial 3, to systemd's Manager) on a new connection to the bus at path and
 * waits for the end of the job it returns: -ECANCELED when the job did not end "done",
 * -ENOENT for NoSuchUnit, the bus's error name and message otherwise. */
int dbus_job(const char *path, struct dbus_msg *call, struct rt_err *err);

#endif
