/* process.c - fuzzes `exec --process` documents, with their own seccomp profile. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_err err = { 0 };
	struct spec s;
	char *buf = fuzz_copy(data, size);

	if (buf && spec_parse_process_doc(&s, buf, size, "process.json", &err) == 0) {
		fuzz_seccomp(&s.doc, s.process.seccomp_tok, ".seccomp");
		spec_free(&s);
	}
	free(buf);
	return 0;
}
