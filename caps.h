/* caps.h - Linux capability names (table) and applying the five OCI sets before execve. */
#ifndef RUNT_CAPS_H
#define RUNT_CAPS_H

#include <stdint.h>

#include "err.h"
#include "spec.h"

int caps_by_name(const char *name); /* "CAP_SYS_ADMIN" -> 21, -1 when unknown */
const char *caps_name(int cap);	    /* NULL when unknown */
int caps_count(void);		    /* number of names in the table (last cap + 1) */
/* A name runt does not know (a newer kernel's): logged as a warning, then left out. */
void caps_unknown(const char *where, const char *name);
/* Before setuid (dropping needs CAP_SETPCAP, which a non-root uid no longer has in its
 * effective set): drop every capability not in the bounding set. */
int caps_drop_bounding(const struct spec_process *p, struct rt_err *err);
/* After setuid: inheritable/permitted/effective with capset(2), then raise ambient. */
int caps_apply(const struct spec_process *p, struct rt_err *err);
/* Keep capabilities across the uid change (PR_SET_KEEPCAPS) before setresuid. */
int caps_keep(struct rt_err *err);

#endif
