/* state.c - fuzzes <root>/<id>/state.json through state_open and the `state` output: the
 * file is runt's own, but a root directory shared with a hostile user is not unthinkable. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "state.h"

static char root[] = "/tmp/runt-fuzz-state-XXXXXX", file[64];

static void cleanup(void)
{
	unlink(file);
	*strrchr(file, '/') = '\0';
	rmdir(file);
	rmdir(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char out[65536];
	static struct rt_state st;
	struct rt_err err = { 0 };
	int fd;

	if (!file[0]) {
		if (!mkdtemp(root))
			abort();
		snprintf(file, sizeof(file), "%s/c", root);
		mkdir(file, 0700);
		snprintf(file, sizeof(file), "%s/c/state.json", root);
		atexit(cleanup);
	}
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (state_open(&st, root, "c", false, &err) == 0)
		state_format(&st, out, sizeof(out), &err);
	state_close(&st);
	return 0;
}
