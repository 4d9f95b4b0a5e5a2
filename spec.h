/* spec.h - the parsed OCI runtime-spec 1.2 config.json (and exec's process.json):
 * fixed structs whose arrays live in one bounded arena; strings point into the document. */
#ifndef RUNT_SPEC_H
#define RUNT_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"
#include "json.h"

/* gnu11 predefines `linux` as 1, which would break the `linux` member of struct spec. */
#undef linux

#define SPEC_OCI_VERSION "1.2.0"

/* Order matters: it is the order namespaces are joined with setns (user first, so the
 * others are entered with the privileges of the target user namespace; mount last but
 * one because it changes how paths resolve). */
enum ns_type { NS_USER, NS_PID, NS_NET, NS_IPC, NS_UTS, NS_CGROUP, NS_TIME, NS_MNT, NS_COUNT };

enum cap_set {
	CAPSET_BOUNDING,
	CAPSET_EFFECTIVE,
	CAPSET_INHERITABLE,
	CAPSET_PERMITTED,
	CAPSET_AMBIENT,
	CAPSET_COUNT
};

enum hook_kind {
	HOOK_PRESTART,
	HOOK_CREATE_RUNTIME,
	HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER,
	HOOK_POSTSTART,
	HOOK_POSTSTOP,
	HOOK_COUNT
};

/* I/O priority classes (linux/ioprio.h; musl ships no kernel headers). */
#ifndef IOPRIO_CLASS_RT
#define IOPRIO_CLASS_RT	  1
#define IOPRIO_CLASS_BE	  2
#define IOPRIO_CLASS_IDLE 3
#endif

struct arena {
	char *mem;
	size_t used, cap;
};

struct spec_idmap {
	uint32_t container_id, host_id, size;
};

struct spec_ns {
	bool enabled;
	const char *path; /* join this namespace (setns) instead of creating one */
};

struct spec_rlimit {
	int resource; /* RLIMIT_* */
	uint64_t soft, hard;
};

struct spec_user {
	uint32_t uid, gid;
	int umask; /* -1: not set (keep 0022) */
	uint32_t *additional_gids;
	int ngids;
};

struct spec_sched {
	bool set;
	int policy; /* SCHED_* */
	int nice, priority;
	uint64_t flags, runtime, deadline, period;
};

struct spec_process {
	bool terminal;
	uint32_t console_height, console_width;
	struct spec_user user;
	const char *cwd;
	const char **args; /* NULL-terminated, nargs >= 1 */
	int nargs;
	const char **env; /* NULL-terminated */
	int nenv;
	bool caps_set;		     /* capabilities object present */
	uint64_t caps[CAPSET_COUNT]; /* bit n = capability n */
	struct spec_rlimit *rlimits;
	int nrlimits;
	bool no_new_privileges;
	bool has_oom_score_adj;
	int oom_score_adj;
	bool has_io_priority;
	int io_class, io_priority; /* IOPRIO_CLASS_* */
	struct spec_sched sched;
	const char *cpu_affinity_initial, *cpu_affinity_final; /* cpu lists "0-3,7" or NULL */
	const char *apparmor_profile, *selinux_label;	       /* NULL or "": none (lsm.c) */
	int seccomp_tok; /* issue 6: token of a per-process seccomp profile, -1 */
};

struct spec_mount {
	const char *destination;
	const char *source;   /* may be NULL (e.g. tmpfs) */
	const char *type;     /* may be NULL (bind mounts) */
	const char **options; /* NULL-terminated */
	int noptions;
	struct spec_idmap *uid_mappings, *gid_mappings;
	int nuid_mappings, ngid_mappings;
};

struct spec_hook {
	const char *path;
	const char **args; /* NULL-terminated; may be empty */
	const char **env;  /* NULL-terminated; may be empty */
	int timeout;	   /* seconds; 0 = none */
};

struct spec_device {
	char type; /* 'c', 'b', 'u' or 'p' */
	const char *path;
	int64_t major, minor;
	bool has_file_mode, has_uid, has_gid;
	uint32_t file_mode, uid, gid;
};

struct spec_kv {
	const char *key, *value;
};

struct spec_time_offset {
	bool set;
	int64_t secs;
	uint32_t nanosecs;
};

struct spec_linux {
	struct spec_ns ns[NS_COUNT];
	struct spec_idmap *uid_mappings, *gid_mappings;
	int nuid_mappings, ngid_mappings;
	struct spec_time_offset monotonic, boottime;
	struct spec_device *devices;
	int ndevices;
	const char *cgroups_path; /* NULL: runt's default */
	int resources_tok;	  /* token of linux.resources or -1 (cgroup.c parses it) */
	int seccomp_tok;	  /* token of linux.seccomp or -1 (seccomp issue) */
	struct spec_kv *sysctl;
	int nsysctl;
	unsigned long rootfs_propagation; /* MS_* propagation flag, 0 = default (rprivate) */
	const char **masked_paths, **readonly_paths; /* NULL-terminated */
	int nmasked_paths, nreadonly_paths;
	const char *mount_label; /* SELinux context= of the container's mounts, NULL or "" */
	bool has_personality;
	unsigned long personality; /* PER_LINUX or PER_LINUX32 (| flags) */
};

struct spec {
	struct json doc; /* kept alive: every string points into doc.buf */
	bool doc_owned;	 /* doc.buf was malloc'd by spec_load; spec_free frees it */
	struct arena arena;
	const char *oci_version;
	struct spec_process process;
	bool has_process;
	const char *root_path; /* absolute (resolved against the bundle) */
	bool root_readonly;
	const char *hostname, *domainname; /* NULL when absent */
	struct spec_mount *mounts;
	int nmounts;
	struct spec_hook *hooks[HOOK_COUNT];
	int nhooks[HOOK_COUNT];
	struct spec_kv *annotations;
	int nannotations;
	bool has_linux;
	struct spec_linux linux;
	char root_buf[4096]; /* storage for root_path when it had to be joined */
};

/* Read and parse <bundle>/config.json (bundle must be absolute). Validates everything the
 * runtime relies on; errors read "config.json: .mounts[3].destination: must be absolute". */
int spec_load(struct spec *s, const char *bundle, struct rt_err *err);
/* Parse an already loaded document (unit tests, exec). */
int spec_parse(struct spec *s, const char *bundle, char *buf, size_t len, struct rt_err *err);
/* exec --process: a standalone process object. */
int spec_parse_process_doc(struct spec *s, char *buf, size_t len, const char *what,
			   struct rt_err *err);
void spec_free(struct spec *s);

const char *spec_ns_name(enum ns_type t);     /* "pid", "network", ... */
const char *spec_hook_name(enum hook_kind k); /* "createRuntime", ... */
const char *spec_annotation(const struct spec *s, const char *key);

/* Container ids: ^[A-Za-z0-9_+.-]+$, not "." or "..", at most SPEC_ID_MAX bytes. */
#define SPEC_ID_MAX 255
int spec_validate_id(const char *id, struct rt_err *err);

/* Arena for the parsed arrays: one allocation sized from the token count. */
void *arena_alloc(struct arena *a, size_t size);

#endif
