/* resources.c - fuzzes `update --resources` documents (parse and plan, no cgroup write). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rt_err err = { 0 };
	struct json j;
	char *buf = fuzz_copy(data, size);

	if (buf && json_parse(&j, "resources.json", buf, size, &err) == 0)
		fuzz_resources(&j, 0, "");
	json_free(&j);
	free(buf);
	return 0;
}
