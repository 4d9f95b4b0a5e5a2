/* check.h - `runt check`: what the running kernel offers runt, and what is missing. */
#ifndef RUNT_CHECK_H
#define RUNT_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

/* One line (or JSON object) per item into out; -ENOTSUP when a default `runt spec`
 * container cannot run (a namespace or filesystem it needs is missing). root and bundle:
 * the filesystems whose idmapped-mount support is probed. */
int chk_run(const char *root, const char *bundle, bool json, char *out, size_t size,
	    struct rt_err *err);

#endif
