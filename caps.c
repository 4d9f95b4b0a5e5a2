/* caps.c - capability names and applying the five OCI capability sets in the container
 * process just before execve (no malloc, no stdio: it runs between fork and exec). */
#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "caps.h"
#include "log.h"

#ifndef PR_SET_KEEPCAPS
#define PR_SET_KEEPCAPS 8
#endif
#ifndef PR_CAPBSET_READ
#define PR_CAPBSET_READ 23
#define PR_CAPBSET_DROP 24
#endif
#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT		 47
#define PR_CAP_AMBIENT_RAISE	 2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif
#define CAP_VERSION_3 0x20080522 /* _LINUX_CAPABILITY_VERSION_3: two 32-bit words per set */

/* linux/capability.h numbering: the names in order in one NUL-separated string, without an
 * 8-byte pointer each (runt looks a name up a few times per container). */
static const char cap_names[] = "CAP_CHOWN\0"		 /* 0 */
				"CAP_DAC_OVERRIDE\0"	 /* 1 */
				"CAP_DAC_READ_SEARCH\0"	 /* 2 */
				"CAP_FOWNER\0"		 /* 3 */
				"CAP_FSETID\0"		 /* 4 */
				"CAP_KILL\0"		 /* 5 */
				"CAP_SETGID\0"		 /* 6 */
				"CAP_SETUID\0"		 /* 7 */
				"CAP_SETPCAP\0"		 /* 8 */
				"CAP_LINUX_IMMUTABLE\0"	 /* 9 */
				"CAP_NET_BIND_SERVICE\0" /* 10 */
				"CAP_NET_BROADCAST\0"	 /* 11 */
				"CAP_NET_ADMIN\0"	 /* 12 */
				"CAP_NET_RAW\0"		 /* 13 */
				"CAP_IPC_LOCK\0"	 /* 14 */
				"CAP_IPC_OWNER\0"	 /* 15 */
				"CAP_SYS_MODULE\0"	 /* 16 */
				"CAP_SYS_RAWIO\0"	 /* 17 */
				"CAP_SYS_CHROOT\0"	 /* 18 */
				"CAP_SYS_PTRACE\0"	 /* 19 */
				"CAP_SYS_PACCT\0"	 /* 20 */
				"CAP_SYS_ADMIN\0"	 /* 21 */
				"CAP_SYS_BOOT\0"	 /* 22 */
				"CAP_SYS_NICE\0"	 /* 23 */
				"CAP_SYS_RESOURCE\0"	 /* 24 */
				"CAP_SYS_TIME\0"	 /* 25 */
				"CAP_SYS_TTY_CONFIG\0"	 /* 26 */
				"CAP_MKNOD\0"		 /* 27 */
				"CAP_LEASE\0"		 /* 28 */
				"CAP_AUDIT_WRITE\0"	 /* 29 */
				"CAP_AUDIT_CONTROL\0"	 /* 30 */
				"CAP_SETFCAP\0"		 /* 31 */
				"CAP_MAC_OVERRIDE\0"	 /* 32 */
				"CAP_MAC_ADMIN\0"	 /* 33 */
				"CAP_SYSLOG\0"		 /* 34 */
				"CAP_WAKE_ALARM\0"	 /* 35 */
				"CAP_BLOCK_SUSPEND\0"	 /* 36 */
				"CAP_AUDIT_READ\0"	 /* 37 */
				"CAP_PERFMON\0"		 /* 38 */
				"CAP_BPF\0"		 /* 39 */
				"CAP_CHECKPOINT_RESTORE\0" /* 40 */;

#define NCAPS 41 /* CAP_CHECKPOINT_RESTORE + 1 */

int caps_count(void)
{
	return NCAPS;
}

const char *caps_name(int cap)
{
	const char *s = cap_names;

	if (cap < 0 || cap >= NCAPS)
		return NULL;
	while (cap--)
		s += strlen(s) + 1;
	return s;
}

/* Exact names only, as runc: "CAP_SYS_ADMIN", not "sys_admin". */
int caps_by_name(const char *name)
{
	const char *s = cap_names;

	for (int i = 0; i < NCAPS; i++, s += strlen(s) + 1)
		if (!strcmp(s, name))
			return i;
	return -1;
}

void caps_unknown(const char *where, const char *name)
{
	log_msg(LOG_WARN, "%s: unknown capability \"%s\" ignored", where, name);
}

int caps_keep(struct rt_err *err)
{
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return rt_sysfail(err, "keep capabilities across setuid (PR_SET_KEEPCAPS)");
	return 0;
}

static int cap_fail(struct rt_err *err, const char *what, int cap, const char *where)
{
	const char *name = caps_name(cap);

	if (name)
		return rt_sysfail(err, "%s capability %s%s", what, name, where);
	return rt_sysfail(err, "%s capability %d%s", what, cap, where);
}

/* One syscall per cap: a cap to keep is read, one to drop is dropped (a no-op when it is
 * not in the set). The kernel's last capability is where either fails with EINVAL, which
 * also works when /proc is not mounted; *known collects the caps the kernel has. */
static int bound_one(int cap, bool keep)
{
	int r = prctl(keep ? PR_CAPBSET_READ : PR_CAPBSET_DROP, cap, 0, 0, 0);

	/* without CAP_SETPCAP a cap that is not in the set anyway is fine */
	if (r < 0 && errno == EPERM && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 0)
		return 0;
	return r < 0 ? -errno : 0;
}

/* Must run before capset: dropping needs CAP_SETPCAP in the effective set. */
static int drop_bounding(uint64_t keep, uint64_t *known, struct rt_err *err)
{
	*known = 0;
	for (int cap = 0; cap < 64; cap++) {
		int r = bound_one(cap, keep & 1ull << cap);

		if (r == -EINVAL)
			break;
		if (r < 0) {
			errno = -r;
			return cap_fail(err, keep & 1ull << cap ? "read" : "drop", cap,
					" from the bounding set");
		}
		*known |= 1ull << cap;
	}
	return 0;
}

struct cap_header {
	uint32_t version;
	int pid;
};

struct cap_data {
	uint32_t effective, permitted, inheritable;
};

/* Capabilities the running kernel lacks are left out: capset would refuse them with EPERM
 * (runc ignores them the same way). */
static int set_caps(const struct spec_process *p, uint64_t known, struct rt_err *err)
{
	struct cap_header h = { CAP_VERSION_3, 0 };
	struct cap_data d[2];
	uint64_t eff = p->caps[CAPSET_EFFECTIVE] & known;
	uint64_t prm = p->caps[CAPSET_PERMITTED] & known;
	uint64_t inh = p->caps[CAPSET_INHERITABLE] & known;

	for (int i = 0; i < 2; i++) {
		d[i].effective = (uint32_t)(eff >> 32 * i);
		d[i].permitted = (uint32_t)(prm >> 32 * i);
		d[i].inheritable = (uint32_t)(inh >> 32 * i);
	}
	if (syscall(SYS_capset, &h, d) == 0)
		return 0;
	rt_sysfail(err, "capset");
	if (eff & ~prm)
		return rt_hint(err, "effective capabilities must also be permitted");
	return -err->code;
}

/* Ambient caps survive execve of a non-setuid binary by a non-root user; the kernel only
 * raises those that are both permitted and inheritable. */
static int raise_ambient(uint64_t amb, struct rt_err *err)
{
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
		if (!amb && errno == EINVAL)
			return 0; /* kernel older than 4.3: nothing to clear */
		return rt_sysfail(err, "clear ambient capabilities");
	}
	for (int cap = 0; cap < 64; cap++) {
		if (!(amb & 1ull << cap))
			continue;
		if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) == 0)
			continue;
		cap_fail(err, "raise ambient", cap, "");
		if (errno == EPERM)
			return rt_hint(err,
				       "ambient capabilities must be permitted and inheritable");
		return -err->code;
	}
	return 0;
}

/* The kernel's capabilities: PR_CAPBSET_READ fails with EINVAL past the last one. */
static uint64_t known_caps(void)
{
	uint64_t known = 0;

	for (int cap = 0; cap < 64 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; cap++)
		known |= 1ull << cap;
	return known;
}

/* The kernel's capabilities as drop_bounding found them: caps_apply, in the same process
 * just after, reuses them instead of a second PR_CAPBSET_READ walk (41 syscalls). */
static uint64_t kernel_caps;

int caps_drop_bounding(const struct spec_process *p, struct rt_err *err)
{
	if (!p->caps_set)
		return 0;
	return drop_bounding(p->caps[CAPSET_BOUNDING], &kernel_caps, err);
}

int caps_apply(const struct spec_process *p, struct rt_err *err)
{
	uint64_t known;
	int r;

	if (!p->caps_set)
		return 0;
	known = kernel_caps ? kernel_caps : known_caps();
	r = set_caps(p, known, err);
	/* runc's default spec lists ambient caps without inheritable ones; like runc (which
	 * only warns), raise just those the kernel accepts: permitted and inheritable. */
	if (r == 0)
		r = raise_ambient(p->caps[CAPSET_AMBIENT] & p->caps[CAPSET_PERMITTED] &
				      p->caps[CAPSET_INHERITABLE] & known,
				  err);
	return r;
}
