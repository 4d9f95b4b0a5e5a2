/* fuzz.h - what the libFuzzer harnesses share: the input copied into a heap buffer of
 * exactly its size (so ASan sees a read past the end), as runt's readers hand it over. */
#ifndef RUNT_FUZZ_H
#define RUNT_FUZZ_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "json.h"
#include "log.h"
#include "resources.h"
#include "seccomp.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__GLIBC__) && !__GLIBC_PREREQ(2, 38)
/* musl has it, Debian 12's glibc not yet (state.c uses it). */
size_t strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);

	if (n) {
		n = len < n ? len : n - 1;
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return len;
}
#endif

static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);

	if (buf) {
		memcpy(buf, data, size);
		buf[size] = '\0';
	}
	return buf;
}

/* What create does with a parsed spec's resources and seccomp profile, short of the
 * kernel: parse, plan the cgroup writes, compile the filter. */
static inline void fuzz_resources(struct json *j, int tok, const char *path)
{
	static struct res res;
	static struct res_write w[RES_MAX_WRITES];
	struct rt_err err = { 0 };

	if (res_parse(&res, j, tok, path, &err) == 0) {
		res_plan(&res, false, w, RES_MAX_WRITES, &err);
		res_plan(&res, true, w, RES_MAX_WRITES, &err);
	}
}

static inline void fuzz_seccomp(struct json *j, int tok, const char *path)
{
	static struct sc_filter f;
	struct rt_err err = { 0 };

	if (tok >= 0 && json_kind(j, tok) != JSON_NULL)
		sc_compile(j, tok, path, &f, &err);
}

#endif
