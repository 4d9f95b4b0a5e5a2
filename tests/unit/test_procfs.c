/* test_procfs.c - procfs.c: the handle is a procfs root, and lookups below it refuse magic
 * links and anything that is not the procfs itself. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "procfs.h"
#include "tap.h"

int main(void)
{
	struct rt_err err = { 0 };
	char buf[64];
	int fd = procfs_root(&err);

	ok(fd >= 0 && procfs_is(fd), "the handle is a procfs: %s", err.msg);
	ok(procfs_root(&err) == fd, "it is opened once");
	fd = procfs_open("sys/kernel/ostype", O_RDONLY, &err);
	ok(fd >= 0 && read(fd, buf, sizeof(buf)) > 0 && !strncmp(buf, "Linux", 5),
	   "a sysctl file opens: %s", err.msg);
	if (fd >= 0)
		close(fd);
	fd = procfs_open("self/status", O_RDONLY, &err);
	ok(fd >= 0, "procfs's own self link is followed: %s", err.msg);
	if (fd >= 0)
		close(fd);
	fd = procfs_open("self/cwd", O_RDONLY | O_DIRECTORY, &err);
	ok(fd < 0 && err.code == ELOOP, "a magic link is not: %s", err.msg);
	fd = procfs_open("self/root/etc/passwd", O_RDONLY, &err);
	ok(fd < 0, "nor is a path through one: %s", err.msg);
	fd = procfs_open("../etc/passwd", O_RDONLY, &err);
	ok(fd < 0, "nor .. above the handle: %s", err.msg);
	ok(procfs_write("sys/kernel/ostype", "x", 1, &err) < 0 && strstr(err.msg, "/proc/sys"),
	   "a failed write names the file: %s", err.msg);
	return tap_done();
}
