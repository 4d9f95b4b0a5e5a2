/* path.c - resolving paths inside the container's rootfs without ever leaving it: openat2
 * RESOLVE_IN_ROOT when the kernel has it (5.6+), else a walk that opens one component at a
 * time with O_NOFOLLOW and resolves symlinks itself (CVE-2021-30465 class). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compat.h"
#include "fmt.h"
#include "mini.h"
#include "path.h"

#define RESOLVE_NO_MAGICLINKS 0x02
#define RESOLVE_IN_ROOT	      0x10
#define WALK_MAX_DEPTH	      128 /* directories held open on the way down */
#define WALK_MAX_LINKS	      40  /* the kernel's MAXSYMLINKS */

struct open_how {
	uint64_t flags, mode, resolve;
};

/* A walk in progress: the remaining path and the directories from the root down. ".."
 * pops one (never above the root) instead of asking the kernel, so a directory moved out
 * of the rootfs while we stand in it cannot take us along. */
struct walk {
	int root;
	int dirs[WALK_MAX_DEPTH];
	int depth;
	int links;
	char rest[4096];
};

static int cur_dir(const struct walk *w)
{
	return w->depth ? w->dirs[w->depth - 1] : w->root;
}

static void pop_all(struct walk *w)
{
	while (w->depth)
		close(w->dirs[--w->depth]);
}

static int fail_errno(int e)
{
	errno = e;
	return -1;
}

/* The symlink fd's target replaces the component: rest = target + "/" + after. */
static int follow_link(struct walk *w, int linkfd, const char *after)
{
	char target[4096], joined[4096];
	ssize_t n;

	if (++w->links > WALK_MAX_LINKS)
		return fail_errno(ELOOP);
	n = readlinkat(linkfd, "", target, sizeof(target) - 1);
	if (n < 0)
		return -1;
	target[n] = '\0';
	if ((size_t)rt_snprintf(joined, sizeof(joined), "%s/%s", target, after) >= sizeof(joined))
		return fail_errno(ENAMETOOLONG);
	if (target[0] == '/')
		pop_all(w);
	rt_strlcpy(w->rest, joined, sizeof(w->rest));
	return 0;
}

/* Open one component (creating it when missing and asked to); O_NOFOLLOW keeps a symlink a
 * symlink, so the kernel never resolves one for us. */
static int step(struct walk *w, const char *name, bool last, enum path_create create)
{
	int dir = cur_dir(w), fd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);

	if (fd >= 0 || errno != ENOENT || create == PATH_NOCREATE)
		return fd;
	if (last && create == PATH_MKFILE) {
		fd = openat(dir, name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
		if (fd >= 0)
			close(fd);
	} else {
		fd = mkdirat(dir, name, 0755);
	}
	if (fd < 0 && errno != EEXIST)
		return -1;
	return openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
}

/* Next component of w->rest into name; returns the remainder, NULL at the end. */
static const char *next_name(const char *p, char *name, size_t size)
{
	size_t len;

	while (*p == '/')
		p++;
	if (!*p)
		return NULL;
	len = strcspn(p, "/");
	if (len >= size)
		len = size - 1; /* longer than NAME_MAX: the kernel answers ENAMETOOLONG */
	memcpy(name, p, len);
	name[len] = '\0';
	p += strcspn(p, "/");
	while (*p == '/')
		p++;
	return p;
}

/* Returns the O_PATH fd of the last component, -2 when the walk ended on a directory
 * already held (".", "..", empty path), -1 with errno on failure. */
static int walk_all(struct walk *w, enum path_create create)
{
	char name[512], after[4096];
	const char *p = w->rest;
	struct stat st;

	while ((p = next_name(p, name, sizeof(name)))) {
		bool last = !*p;
		int fd, r;

		if (!strcmp(name, ".") || !strcmp(name, "..")) {
			if (name[1] && w->depth)
				close(w->dirs[--w->depth]);
			continue;
		}
		if ((fd = step(w, name, last, create)) < 0)
			return -1;
		if (rt_fstat(fd, &st) < 0) {
			close(fd);
			return -1;
		}
		if (S_ISLNK(st.st_mode)) {
			rt_strlcpy(after, p, sizeof(after));
			r = follow_link(w, fd, after);
			close(fd);
			if (r < 0)
				return -1;
			p = w->rest;
			continue;
		}
		if (last)
			return fd;
		if (!S_ISDIR(st.st_mode) || w->depth == WALK_MAX_DEPTH) {
			close(fd);
			return fail_errno(S_ISDIR(st.st_mode) ? ENAMETOOLONG : ENOTDIR);
		}
		w->dirs[w->depth++] = fd;
	}
	return -2;
}

/* O_PATH fds are what the walk holds; other flags need a real open of the same inode. */
static int reopen(int fd, int flags)
{
	char proc[64];
	int r, e;

	if (flags & O_PATH)
		return fd;
	if (flags & O_DIRECTORY) {
		r = openat(fd, ".", flags | O_CLOEXEC);
	} else {
		rt_snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		r = rt_open(proc, flags | O_CLOEXEC);
	}
	e = errno;
	close(fd);
	errno = e;
	return r;
}

void path_clean(const char *path, char *out, size_t size)
{
	char name[512];
	size_t n = 0;

	out[0] = '\0';
	while ((path = next_name(path, name, sizeof(name)))) {
		if (!strcmp(name, ".."))
			while (n && out[--n] != '/')
				out[n] = '\0';
		else if (strcmp(name, "."))
			n += rt_snprintf(out + n, size - n, "/%s", name);
		if (n >= size)
			n = size - 1;
	}
	out[n] = '\0';
}

int path_walk_in_root(int rootfd, const char *path, int flags, enum path_create create)
{
	struct walk w = { .root = rootfd };
	int fd, e;

	if (rt_strlcpy(w.rest, path, sizeof(w.rest)) >= sizeof(w.rest))
		return fail_errno(ENAMETOOLONG);
	fd = walk_all(&w, create);
	if (fd == -2)
		fd = openat(cur_dir(&w), ".", O_PATH | O_CLOEXEC);
	e = errno;
	pop_all(&w);
	if (fd < 0)
		return fail_errno(e);
	if ((flags & O_DIRECTORY) && (flags & O_PATH)) {
		struct stat st;

		if (rt_fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode)) {
			close(fd);
			return fail_errno(ENOTDIR);
		}
	}
	return reopen(fd, flags & ~(O_NOFOLLOW | O_CREAT | O_EXCL));
}

int path_open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = { (uint64_t)(flags | O_CLOEXEC), 0,
				RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	const char *rel = path;
	int fd;

	while (*rel == '/')
		rel++;
	if (!*rel)
		rel = ".";
	fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == EAGAIN) /* a rename raced the lookup: try once more */
		fd = syscall(SYS_openat2, rootfd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) /* before Linux 5.6 */
		return path_walk_in_root(rootfd, path, flags, PATH_NOCREATE);
	return fd;
}

/* A missing component may sit behind a symlink (rootfs/var/run -> /run): the walk follows
 * it inside the rootfs and creates the directories there, never on the host. */
int path_make_in_root(int rootfd, const char *path, bool is_file, struct rt_err *err)
{
	int fd = path_open_in_root(rootfd, path, O_PATH);

	if (fd >= 0)
		return fd;
	if (errno != ENOENT)
		return rt_sysfail(err, "open %s in the rootfs", path);
	fd = path_walk_in_root(rootfd, path, O_PATH, is_file ? PATH_MKFILE : PATH_MKDIR);
	if (fd < 0)
		return rt_sysfail(err, "create %s in the rootfs", path);
	return fd;
}
