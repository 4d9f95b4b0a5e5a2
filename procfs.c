/* procfs.c - the one path by which runt writes to /proc: a handle on runt's own procfs,
 * verified once, and lookups below it that cross no mount and leave no procfs. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "compat.h"
#include "mini.h"
#include "procfs.h"

#define PROC_SUPER_MAGIC      0x9fa0
#define PROC_ROOT_INO	      1
#define RESOLVE_NO_XDEV	      0x01
#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_BENEATH	      0x08

struct open_how {
	uint64_t flags, mode, resolve;
};

static int root = -1;

bool procfs_is(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* The root of a procfs and not a directory of one bound to /proc: "sys/..." and "<pid>/..."
 * below it mean what they say. */
int procfs_root(struct rt_err *err)
{
	struct stat st;
	int fd;

	if (root >= 0)
		return root;
	if ((fd = rt_open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return rt_sysfail(err, "open /proc");
	if (!procfs_is(fd) || rt_fstat(fd, &st) < 0 || st.st_ino != PROC_ROOT_INO) {
		close(fd);
		return rt_fail(err, EXDEV, "/proc is no procfs root");
	}
	return root = fd;
}

void procfs_close(void)
{
	if (root >= 0)
		close(root);
	root = -1;
}

/* Symlinks are followed beneath the handle only, on no other mount: procfs's own ("self")
 * and nothing else. Before Linux 5.6 (no openat2) the file must at least be on a procfs:
 * the handle's tree is runt's, which no config mount or container can reach. */
int procfs_open(const char *rel, int flags, struct rt_err *err)
{
	struct open_how how = { (uint64_t)(flags | O_CLOEXEC), 0,
				RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_BENEATH };
	int fd;

	if ((fd = procfs_root(err)) < 0)
		return fd;
	fd = syscall(SYS_openat2, root, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS &&
	    (fd = openat(root, rel, flags | O_NOFOLLOW | O_CLOEXEC)) >= 0 && !procfs_is(fd)) {
		close(fd);
		fd = -1;
		errno = EXDEV;
	}
	if (fd < 0)
		return rt_sysfail(err, "open /proc/%s", rel);
	return fd;
}

int procfs_write(const char *rel, const char *buf, size_t len, struct rt_err *err)
{
	int fd = procfs_open(rel, O_WRONLY, err), r = 0;

	if (fd < 0)
		return fd;
	if (write(fd, buf, len) != (ssize_t)len)
		r = rt_sysfail(err, "write /proc/%s", rel);
	close(fd);
	return r;
}
