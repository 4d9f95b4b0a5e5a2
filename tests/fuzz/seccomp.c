/* seccomp.c - fuzzes a seccomp profile (the .linux.seccomp object) through the compiler. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_err err = { 0 };
	struct json j;
	char *buf = fuzz_copy(data, size);

	if (buf && json_parse(&j, "seccomp.json", buf, size, &err) == 0)
		fuzz_seccomp(&j, 0, ".linux.seccomp");
	json_free(&j);
	free(buf);
	return 0;
}
