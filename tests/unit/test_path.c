/* test_path.c - path.c: resolving inside a root directory never leaves it, with openat2 and
 * with the component walk used on kernels without it (both answer the same), and creating
 * missing components lands inside the root even behind hostile symlinks. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path.h"
#include "tap.h"

static char top[256], root[512], host[512];
static int rootfd;

/* cmd with every "@" replaced by top */
static void sh(const char *cmd)
{
	char buf[4096];
	size_t n = 0;

	for (; *cmd && n < sizeof(buf) - sizeof(top); cmd++) {
		if (*cmd == '@')
			n += snprintf(buf + n, sizeof(buf) - n, "%s", top);
		else
			buf[n++] = *cmd;
	}
	buf[n] = '\0';
	if (system(buf) != 0)
		printf("# setup failed: %s\n", buf);
}

/* root/ a/b/  a/f  evil -> <host>  up -> ../../..  loop -> loop  rel -> a/b  abs -> /a
 *       var/run -> /run (dangling)  deep -> rel/../../a */
static void setup(void)
{
	char link[PATH_MAX + 16];

	snprintf(top, sizeof(top), "/tmp/runt-test-path.%d", (int)getpid());
	snprintf(root, sizeof(root), "%s/root", top);
	snprintf(host, sizeof(host), "%s/host", top);
	sh("rm -rf @ && mkdir -p @/root/a/b @/host @/root/var && touch @/root/a/f");
	snprintf(link, sizeof(link), "%s/evil", root);
	if (symlink(host, link) < 0)
		printf("# symlink: %s\n", strerror(errno));
	sh("ln -s ../../.. @/root/up && ln -s loop @/root/loop && ln -s a/b @/root/rel");
	sh("ln -s /a @/root/abs && ln -s /run @/root/var/run && ln -s rel/../../a @/root/deep");
	rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static ino_t ino_of_fd(int fd)
{
	struct stat st;

	return fd >= 0 && fstat(fd, &st) == 0 ? st.st_ino : 0;
}

static ino_t ino_of(const char *rel)
{
	char p[PATH_MAX * 2];
	struct stat st;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	return lstat(p, &st) == 0 ? st.st_ino : 0;
}

/* The walk resolves path to root/want; openat2 agrees. */
static void resolves(const char *path, const char *want)
{
	int w = path_walk_in_root(rootfd, path, O_PATH, PATH_NOCREATE);
	int k = path_open_in_root(rootfd, path, O_PATH);

	ok(w >= 0 && ino_of_fd(w) == ino_of(want), "walk: %s -> %s", path, want);
	ok(k >= 0 && ino_of_fd(k) == ino_of(want), "openat2: %s -> %s", path, want);
	close(w);
	close(k);
}

static void fails(const char *path, int flags, int want_errno)
{
	int fd = path_walk_in_root(rootfd, path, flags, PATH_NOCREATE);
	int e = errno;

	ok(fd < 0 && e == want_errno, "walk: %s fails with %s", path, strerror(want_errno));
	if (fd >= 0)
		close(fd);
	fd = path_open_in_root(rootfd, path, flags);
	e = errno;
	ok(fd < 0 && e == want_errno, "openat2: %s fails with %s", path, strerror(want_errno));
	if (fd >= 0)
		close(fd);
}

static void test_resolve(void)
{
	resolves("/a/b", "a/b");
	resolves("a/./b/", "a/b");
	resolves("/", ".");
	resolves("", ".");
	resolves("../../../a", "a");
	resolves("/up/a/b", "a/b");
	resolves("rel", "a/b");
	resolves("abs/b", "a/b");
	resolves("deep/../a/f", "a/f");
	resolves("a/b/../../a/f", "a/f");
	fails("loop", O_PATH, ELOOP);
	fails("a/f/x", O_PATH, ENOTDIR);
	fails("a/f", O_PATH | O_DIRECTORY, ENOTDIR);
	fails("evil/x", O_PATH, ENOENT);
	fails("var/run/x", O_PATH, ENOENT);
}

static bool exists(const char *dir, const char *rel)
{
	char p[PATH_MAX * 3];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return access(p, F_OK) == 0;
}

static void test_create(void)
{
	struct rt_err err = { 0 };
	char inside[PATH_MAX + 1024];
	struct stat st;
	int fd;

	/* evil -> <host>: the directories appear under root/<host>, not under <host> */
	fd = path_make_in_root(rootfd, "/evil/x/y", false, &err);
	ok(fd >= 0, "make /evil/x/y (%s)", err.msg);
	snprintf(inside, sizeof(inside), "%s%s/x/y", root, host);
	ok(stat(inside, &st) == 0 && S_ISDIR(st.st_mode), "created inside the root: %s", inside);
	ok(ino_of_fd(fd) == st.st_ino, "the fd names it");
	ok(!exists(host, "x"), "nothing created in the host directory the symlink names");
	close(fd);

	fd = path_walk_in_root(rootfd, "/var/run/sub/file", O_PATH, PATH_MKFILE);
	ok(fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode),
	   "a dangling /var/run -> /run: the file is created at root/run/sub/file");
	ok(exists(root, "run/sub/file"), "root/run/sub/file exists");
	ok(!exists("/run", "sub/file"), "the host's /run is untouched");
	close(fd);

	fd = path_walk_in_root(rootfd, "up/../../new-top", O_PATH, PATH_MKDIR);
	ok(fd >= 0 && exists(root, "new-top") && !exists(top, "new-top"),
	   "\"..\" above the root is clamped when creating");
	close(fd);

	fd = path_walk_in_root(rootfd, "a/f/x", O_PATH, PATH_MKDIR);
	ok(fd < 0 && errno == ENOTDIR, "creating under a file fails with ENOTDIR");

	fd = path_walk_in_root(rootfd, "/a/b", O_DIRECTORY | O_RDONLY, PATH_NOCREATE);
	ok(fd >= 0 && fcntl(fd, F_GETFL) >= 0 && !(fcntl(fd, F_GETFL) & O_PATH),
	   "O_DIRECTORY gives a real directory fd");
	close(fd);
	fd = path_walk_in_root(rootfd, "/a/f", O_RDONLY, PATH_NOCREATE);
	ok(fd >= 0 && read(fd, inside, 1) == 0, "O_RDONLY of a file gives a readable fd");
	close(fd);
}

/* path_clean is what the /proc mount check compares (mount.c proc_dest) */
static void test_clean(void)
{
	static const char *const cases[][2] = {
		{ "/proc/sys", "/proc/sys" },
		{ "//proc//sys/", "/proc/sys" },
		{ "/proc/./sys/.", "/proc/sys" },
		{ "/tmp/../proc/sys", "/proc/sys" },
		{ "/../../proc", "/proc" },
		{ "/a/b/../../proc/x/..", "/proc" },
		{ "/", "" },
		{ "/proc..", "/proc.." },
	};
	char out[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		path_clean(cases[i][0], out, sizeof(out));
		is_str(out, cases[i][1], "path_clean(%s)", cases[i][0]);
	}
	path_clean("/aaaaaaaaaa/bbbbbbbbbb", out, 8);
	ok(strlen(out) == 7, "path_clean truncates inside its buffer: %s", out);
}

int main(void)
{
	test_clean();
	setup();
	if (rootfd < 0) {
		ok(0, "setup %s", root);
		return tap_done();
	}
	test_resolve();
	test_create();
	close(rootfd);
	sh("rm -rf @");
	return tap_done();
}
