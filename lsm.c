/* lsm.c - AppArmor profiles and SELinux labels through the kernel's own interfaces (no
 * libapparmor, no libselinux): is the LSM on, and the exec attribute before execve. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "fmt.h"
#include "lsm.h"
#include "procfs.h"

#define SELINUX_MAGIC 0xf97cff8c

static const char *const lsm_names[] = { "AppArmor", "SELinux" };

/* apparmorfs exists only when AppArmor is on (what runc reads first); selinuxfs likewise,
 * but SELinux labels nothing until a policy is loaded: until then every task's context is
 * "kernel" (libselinux's and runc's test), and a label would fail at the last step. */
bool lsm_enabled(enum lsm l)
{
	struct statfs sf;
	struct rt_err e;
	char cur[8] = "";
	int fd;

	if (l == LSM_APPARMOR)
		return !access("/sys/kernel/security/apparmor", F_OK);
	if (statfs("/sys/fs/selinux", &sf) || sf.f_type != SELINUX_MAGIC)
		return false;
	if ((fd = procfs_open("thread-self/attr/current", O_RDONLY, &e)) >= 0) {
		read(fd, cur, 6);
		close(fd);
	}
	return strcmp(cur, "kernel");
}

/* runc refuses them too: a process label in its validation, a profile or a mount label when
 * the kernel rejects the attribute write or the context= option. crun drops them silently. */
int lsm_check(const char *apparmor, const char *selinux, const char *mount_label,
	      struct rt_err *err)
{
	const char *v[] = { apparmor, selinux, mount_label };

	for (int i = 0; i < 3; i++)
		if (v[i] && *v[i] && !lsm_enabled(i > 0))
			return rt_fail(err, EOPNOTSUPP,
				       "label \"%s\": %s is not enabled on this host", v[i],
				       lsm_names[i > 0]);
	return 0;
}

/* attr/<lsm>/exec is the LSM's own file (Linux 5.1+), attr/exec the shared one before it.
 * Through runt's verified procfs: a mount the config put over /proc would else swallow the
 * write and the process would run unconfined (CVE-2019-16884). */
static int write_exec_attr(const char *dir, const char *val, struct rt_err *err)
{
	char rel[40];
	int fd, r = 0;

	rt_snprintf(rel, sizeof(rel), "thread-self/attr/%sexec", dir);
	if ((fd = procfs_open(rel, O_WRONLY, err)) < 0)
		return fd == -ENOENT && *dir ? write_exec_attr("", val, err) : fd;
	if (write(fd, val, strlen(val)) < 0)
		r = rt_sysfail(err, "write /proc/%s", rel);
	close(fd);
	return r;
}

/* AppArmor takes "exec PROFILE" (aa_change_onexec), SELinux the bare context. */
int lsm_apply(const char *apparmor, const char *selinux, struct rt_err *err)
{
	const char *v[] = { apparmor, selinux };
	char buf[4096];

	for (int i = 0; i < 2; i++) {
		if (!v[i] || !*v[i])
			continue;
		rt_snprintf(buf, sizeof(buf), "%s%s", i ? "" : "exec ", v[i]);
		if (write_exec_attr(i ? "" : "apparmor/", buf, err) < 0)
			return rt_wrap(err, "apply %s label \"%s\"", lsm_names[i], v[i]);
	}
	return 0;
}
