/* config.c - fuzzes config.json: the spec walk, then its resources and seccomp profile as
 * create would take them. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_err err = { 0 };
	struct spec s;
	char *buf = fuzz_copy(data, size);

	if (buf && spec_parse(&s, "/bundle", buf, size, &err) == 0) {
		if (s.linux.resources_tok >= 0)
			fuzz_resources(&s.doc, s.linux.resources_tok, ".linux.resources");
		fuzz_seccomp(&s.doc, s.linux.seccomp_tok, ".linux.seccomp");
		spec_free(&s);
	}
	free(buf);
	return 0;
}
