/* spec.c - turns config.json (and exec's process.json) into struct spec: one {key, handler}
 * table per JSON object level, strict types, and the checks later stages rely on. Arrays live
 * in one arena sized from the token count; strings point into the document. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "caps.h"
#include "fmt.h"
#include "log.h"
#include "mini.h"
#include "spec.h"

#ifndef SCHED_ISO
#define SCHED_ISO 4 /* reserved by the kernel, named by the runtime-spec */
#endif
#ifndef SCHED_FLAG_RESET_ON_FORK
#define SCHED_FLAG_RESET_ON_FORK  0x01
#define SCHED_FLAG_RECLAIM	  0x02
#define SCHED_FLAG_DL_OVERRUN	  0x04
#define SCHED_FLAG_KEEP_POLICY	  0x08
#define SCHED_FLAG_KEEP_PARAMS	  0x10
#define SCHED_FLAG_UTIL_CLAMP_MIN 0x20
#define SCHED_FLAG_UTIL_CLAMP_MAX 0x40
#endif

#define SPEC_MAX_FILE	(8 << 20) /* far beyond any real config; bounds the one malloc */
#define ARENA_PER_TOKEN 64	  /* >= the largest element (spec_mount) per token */
#define ARENA_BASE	4096

struct ctx {
	struct spec *s;
	struct json *j;
	struct jpath *p;
	struct rt_err *err;
	const char **empty; /* one shared {NULL} for absent string arrays */
};

struct field;
typedef int (*field_fn)(struct ctx *c, int v, void *ptr, const struct field *f);

/* One member of a JSON object: its handler gets the parent struct + off, and arg (a
 * sub-table for f_object, a feature name for the refusals). */
struct field {
	const char *key;
	field_fn fn;
	const void *arg;
	uint32_t off; /* with required, in what was padding: 32 bytes an entry, not 40 */
	bool required;
};

struct name_val {
	const char *name;
	long val;
};

typedef int (*str_check)(struct ctx *c, const char *s);
typedef int (*elem_fn)(struct ctx *c, int v, int i, void *arr);

/* ---- arena, paths and errors ---- */

void *arena_alloc(struct arena *a, size_t size)
{
	size_t off = (a->used + 15) & ~(size_t)15;

	if (!a->mem || off > a->cap || size > a->cap - off)
		return NULL;
	a->used = off + size;
	return memset(a->mem + off, 0, size);
}

static void *alloc(struct ctx *c, size_t n, size_t size)
{
	void *m = arena_alloc(&c->s->arena, n * size);

	if (!m)
		rt_fail(c->err, ENOMEM, "%s: document too large for the parser arena", c->j->what);
	return m;
}

static int RT_PRINTF(2, 3) fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = json_vfail(c->err, c->j, c->p, fmt, ap);
	va_end(ap);
	return r;
}

/* The same, for a member of the object being walked (".major: required ..."). */
static int RT_PRINTF(3, 4) fail_key(struct ctx *c, const char *key, const char *fmt, ...)
{
	size_t saved = jpath_key(c->p, key);
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = json_vfail(c->err, c->j, c->p, fmt, ap);
	va_end(ap);
	jpath_pop(c->p, saved);
	return r;
}

static bool lookup(const struct name_val *t, const char *name, long *val)
{
	for (; t->name; t++) {
		if (!strcmp(t->name, name)) {
			*val = t->val;
			return true;
		}
	}
	return false;
}

static const char *name_of(const struct name_val *t, long val)
{
	for (; t->name; t++)
		if (t->val == val)
			return t->name;
	return "?";
}

static int get_named(struct ctx *c, int v, const struct name_val *t, const char *what, long *val)
{
	const char *s;
	int r = json_get_str(c->j, v, c->p, &s, c->err);

	if (r < 0)
		return r;
	if (!lookup(t, s, val))
		return fail(c, "unknown %s \"%s\"", what, s);
	return 0;
}

/* ---- objects and arrays ---- */

static int member(struct ctx *c, int k, int v, const struct field *tab, void *obj, uint64_t *seen)
{
	const char *key = json_str(c->j, k);
	size_t saved;
	int i, r;

	if (!key)
		return fail(c, "invalid string escape or NUL character in a key");
	for (i = 0; tab[i].key && strcmp(tab[i].key, key); i++)
		;
	if (!tab[i].key || json_kind(c->j, v) == JSON_NULL)
		return 0;
	saved = jpath_key(c->p, key);
	if (*seen & 1ull << i)
		r = fail(c, "duplicate key");
	else
		r = tab[i].fn(c, v, (char *)obj + tab[i].off, &tab[i]);
	*seen |= 1ull << i;
	jpath_pop(c->p, saved);
	return r;
}

/* Unknown keys are ignored (the spec allows extensions) and null means absent, as Go's
 * encoder writes it for nil; a repeated known key is refused because two parsers could
 * disagree on which one wins. */
static int parse_object(struct ctx *c, int obj, const struct field *tab, void *target)
{
	uint64_t seen = 0;
	int n, k, v, i, r;

	r = json_expect(c->j, obj, c->p, JSON_OBJECT, c->err);
	if (r < 0)
		return r;
	JSON_FOR_EACH(c->j, obj, n, k, v)
	{
		r = member(c, k, v, tab, target, &seen);
		if (r < 0)
			return r;
	}
	for (i = 0; tab[i].key; i++)
		if (tab[i].required && !(seen & 1ull << i))
			return fail_key(c, tab[i].key, "required");
	return 0;
}

static int each_elem(struct ctx *c, int arr, elem_fn fn, void *out)
{
	int n, k, v, r;

	JSON_FOR_EACH(c->j, arr, n, k, v)
	{
		size_t saved = jpath_idx(c->p, n);

		r = fn(c, v, n, out);
		jpath_pop(c->p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Arena array for the elements of a JSON array (one spare slot for a terminator). */
static void *alloc_elems(struct ctx *c, int v, size_t size, int *n)
{
	if (json_expect(c->j, v, c->p, JSON_ARRAY, c->err) < 0)
		return NULL;
	*n = c->j->tok[v].size;
	return alloc(c, *n + 1, size);
}

static int str_elem(struct ctx *c, int v, int i, void *arr)
{
	return json_get_str(c->j, v, c->p, &((const char **)arr)[i], c->err);
}

/* NULL-terminated string array; check (optional) runs with the element's path. */
static int get_strv(struct ctx *c, int v, const char ***out, int *n, str_check check)
{
	const char **a = alloc_elems(c, v, sizeof(*a), n);
	int i, r;

	if (!a)
		return -c->err->code;
	r = each_elem(c, v, str_elem, a);
	for (i = 0; r == 0 && check && i < *n; i++) {
		size_t saved = jpath_idx(c->p, i);

		r = check(c, a[i]);
		jpath_pop(c->p, saved);
	}
	*out = a;
	return r;
}

static int check_abs(struct ctx *c, const char *s)
{
	return s[0] == '/' ? 0 : fail(c, "must be absolute");
}

/* execve would pass an entry without '=' through, and getenv could never find it. */
static int check_env(struct ctx *c, const char *s)
{
	const char *eq = strchr(s, '=');

	return eq && eq != s ? 0 : fail(c, "must be KEY=VALUE, got \"%s\"", s);
}

/* ---- generic handlers ---- */

static int f_str(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_str(c->j, v, c->p, ptr, c->err);
}

static int f_abs(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_get_str(c->j, v, c->p, ptr, c->err);

	return r < 0 ? r : check_abs(c, *(const char **)ptr);
}

static int f_bool(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_bool(c->j, v, c->p, ptr, c->err);
}

static int f_u32(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_u32(c->j, v, c->p, ptr, c->err);
}

static int f_u64(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_u64(c->j, v, c->p, ptr, c->err);
}

static int f_i64(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_i64(c->j, v, c->p, ptr, c->err);
}

/* linux.resources and linux.seccomp are parsed later by their owners (cgroup, seccomp). */
static int f_tok(struct ctx *c, int v, void *ptr, const struct field *f)
{
	*(int *)ptr = v;
	return 0;
}

static int f_object(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return parse_object(c, v, f->arg, ptr);
}

/* Ignoring these would silently run the container without the confinement, labels or
 * placement the caller asked for: refuse them instead (empty strings are "not set"). */
static int f_refuse(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return fail(c, "%s is not supported by runt", (const char *)f->arg);
}

static int f_refuse_nonempty(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_expect(c->j, v, c->p, JSON_OBJECT, c->err);

	if (r < 0 || c->j->tok[v].size == 0)
		return r;
	return f_refuse(c, v, ptr, f);
}

/* ---- process ---- */

static const struct name_val rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS },
	{ "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU },
	{ "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE },
	{ "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK },
	{ "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE },
	{ "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC },
	{ "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO },
	{ "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING },
	{ "RLIMIT_STACK", RLIMIT_STACK },
	{ NULL, 0 },
};

static const struct name_val ioprio_classes[] = {
	{ "IOPRIO_CLASS_RT", IOPRIO_CLASS_RT },
	{ "IOPRIO_CLASS_BE", IOPRIO_CLASS_BE },
	{ "IOPRIO_CLASS_IDLE", IOPRIO_CLASS_IDLE },
	{ NULL, 0 },
};

static const struct name_val sched_policies[] = {
	{ "SCHED_OTHER", SCHED_OTHER },
	{ "SCHED_FIFO", SCHED_FIFO },
	{ "SCHED_RR", SCHED_RR },
	{ "SCHED_BATCH", SCHED_BATCH },
	{ "SCHED_ISO", SCHED_ISO },
	{ "SCHED_IDLE", SCHED_IDLE },
	{ "SCHED_DEADLINE", SCHED_DEADLINE },
	{ NULL, 0 },
};

static const struct name_val sched_flags[] = {
	{ "SCHED_FLAG_RESET_ON_FORK", SCHED_FLAG_RESET_ON_FORK },
	{ "SCHED_FLAG_RECLAIM", SCHED_FLAG_RECLAIM },
	{ "SCHED_FLAG_DL_OVERRUN", SCHED_FLAG_DL_OVERRUN },
	{ "SCHED_FLAG_KEEP_POLICY", SCHED_FLAG_KEEP_POLICY },
	{ "SCHED_FLAG_KEEP_PARAMS", SCHED_FLAG_KEEP_PARAMS },
	{ "SCHED_FLAG_UTIL_CLAMP_MIN", SCHED_FLAG_UTIL_CLAMP_MIN },
	{ "SCHED_FLAG_UTIL_CLAMP_MAX", SCHED_FLAG_UTIL_CLAMP_MAX },
	{ NULL, 0 },
};

static int f_args(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;
	int r = get_strv(c, v, &p->args, &p->nargs, NULL);

	if (r < 0)
		return r;
	if (p->nargs == 0)
		return fail(c, "must not be empty");
	if (p->args[0][0] == '\0') {
		jpath_idx(c->p, 0);
		return fail(c, "must not be empty");
	}
	return 0;
}

static int f_env(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;

	return get_strv(c, v, &p->env, &p->nenv, check_env);
}

static int f_umask(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_int(c->j, v, c->p, 0, 0777, ptr, c->err);
}

static int u32_elem(struct ctx *c, int v, int i, void *arr)
{
	return json_get_u32(c->j, v, c->p, &((uint32_t *)arr)[i], c->err);
}

static int f_gids(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_user *u = ptr;

	u->additional_gids = alloc_elems(c, v, sizeof(uint32_t), &u->ngids);
	return u->additional_gids ? each_elem(c, v, u32_elem, u->additional_gids) : -c->err->code;
}

static int cap_elem(struct ctx *c, int v, int i, void *mask)
{
	const char *name;
	int r = json_get_str(c->j, v, c->p, &name, c->err);
	int cap = r < 0 ? -1 : caps_by_name(name);

	if (r < 0)
		return r;
	/* configs from newer engines name capabilities this runt lacks: like runc and crun,
	 * warn and leave them out (never grant something unknown) */
	if (cap < 0)
		caps_unknown(c->p->s, name);
	else
		*(uint64_t *)mask |= 1ull << cap;
	return 0;
}

static int f_capset(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_expect(c->j, v, c->p, JSON_ARRAY, c->err);

	return r < 0 ? r : each_elem(c, v, cap_elem, ptr);
}

static const struct field caps_fields[] = {
	{ "bounding", f_capset, .off = offsetof(struct spec_process, caps[CAPSET_BOUNDING]) },
	{ "effective", f_capset, .off = offsetof(struct spec_process, caps[CAPSET_EFFECTIVE]) },
	{ "inheritable", f_capset, .off = offsetof(struct spec_process, caps[CAPSET_INHERITABLE]) },
	{ "permitted", f_capset, .off = offsetof(struct spec_process, caps[CAPSET_PERMITTED]) },
	{ "ambient", f_capset, .off = offsetof(struct spec_process, caps[CAPSET_AMBIENT]) },
	{ NULL },
};

static int f_caps(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;

	p->caps_set = true;
	return parse_object(c, v, caps_fields, p);
}

static int f_rlimit_type(struct ctx *c, int v, void *ptr, const struct field *f)
{
	long val;
	int r = get_named(c, v, rlimit_names, "rlimit", &val);

	if (r == 0)
		*(int *)ptr = (int)val;
	return r;
}

static const struct field rlimit_fields[] = {
	{ "type", f_rlimit_type, .off = offsetof(struct spec_rlimit, resource), .required = true },
	{ "soft", f_u64, .off = offsetof(struct spec_rlimit, soft), .required = true },
	{ "hard", f_u64, .off = offsetof(struct spec_rlimit, hard), .required = true },
	{ NULL },
};

/* setrlimit would refuse these later with a bare EINVAL; say which entry is wrong now. */
static int rlimit_elem(struct ctx *c, int v, int i, void *arr)
{
	struct spec_rlimit *rl = arr;
	int r = parse_object(c, v, rlimit_fields, &rl[i]);

	if (r < 0)
		return r;
	for (int k = 0; k < i; k++)
		if (rl[k].resource == rl[i].resource)
			return fail_key(c, "type", "duplicate rlimit \"%s\"",
					name_of(rlimit_names, rl[i].resource));
	if (rl[i].soft > rl[i].hard)
		return fail(c, "soft limit %llu exceeds hard limit %llu",
			    (unsigned long long)rl[i].soft, (unsigned long long)rl[i].hard);
	return 0;
}

static int f_rlimits(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;

	p->rlimits = alloc_elems(c, v, sizeof(*p->rlimits), &p->nrlimits);
	return p->rlimits ? each_elem(c, v, rlimit_elem, p->rlimits) : -c->err->code;
}

static int f_oom(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;

	p->has_oom_score_adj = true;
	return json_get_int(c->j, v, c->p, -1000, 1000, &p->oom_score_adj, c->err);
}

static int f_io_class(struct ctx *c, int v, void *ptr, const struct field *f)
{
	long val;
	int r = get_named(c, v, ioprio_classes, "I/O priority class", &val);

	if (r == 0)
		*(int *)ptr = (int)val;
	return r;
}

static int f_io_level(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_int(c->j, v, c->p, 0, 7, ptr, c->err);
}

static const struct field ioprio_fields[] = {
	{ "class", f_io_class, .off = offsetof(struct spec_process, io_class), .required = true },
	{ "priority", f_io_level, .off = offsetof(struct spec_process, io_priority),
	  .required = true },
	{ NULL },
};

static int f_ioprio(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_process *p = ptr;

	p->has_io_priority = true;
	return parse_object(c, v, ioprio_fields, p);
}

static int f_policy(struct ctx *c, int v, void *ptr, const struct field *f)
{
	long val;
	int r = get_named(c, v, sched_policies, "scheduler policy", &val);

	if (r == 0)
		*(int *)ptr = (int)val;
	return r;
}

static int f_nice(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_int(c->j, v, c->p, -20, 19, ptr, c->err);
}

static int f_rt_prio(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_int(c->j, v, c->p, 0, 99, ptr, c->err);
}

static int sched_flag_elem(struct ctx *c, int v, int i, void *mask)
{
	long val;
	int r = get_named(c, v, sched_flags, "scheduler flag", &val);

	if (r == 0)
		*(uint64_t *)mask |= (uint64_t)val;
	return r;
}

static int f_sched_flags(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_expect(c->j, v, c->p, JSON_ARRAY, c->err);

	return r < 0 ? r : each_elem(c, v, sched_flag_elem, ptr);
}

static const struct field sched_fields[] = {
	{ "policy", f_policy, .off = offsetof(struct spec_sched, policy), .required = true },
	{ "nice", f_nice, .off = offsetof(struct spec_sched, nice) },
	{ "priority", f_rt_prio, .off = offsetof(struct spec_sched, priority) },
	{ "flags", f_sched_flags, .off = offsetof(struct spec_sched, flags) },
	{ "runtime", f_u64, .off = offsetof(struct spec_sched, runtime) },
	{ "deadline", f_u64, .off = offsetof(struct spec_sched, deadline) },
	{ "period", f_u64, .off = offsetof(struct spec_sched, period) },
	{ NULL },
};

static int f_sched(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_sched *sc = ptr;

	sc->set = true;
	return parse_object(c, v, sched_fields, sc);
}

/* "0-3,7": comma-separated cpus or ascending ranges, nothing else. */
static bool cpu_list_ok(const char *s)
{
	for (;;) {
		unsigned long lo, hi;
		char *end;

		if (*s < '0' || *s > '9')
			return false;
		lo = hi = rt_strtoul(s, &end, 10);
		if (*end == '-') {
			if (end[1] < '0' || end[1] > '9')
				return false;
			hi = rt_strtoul(end + 1, &end, 10);
		}
		if (hi < lo || hi > 65535)
			return false;
		if (*end == '\0')
			return true;
		if (*end != ',')
			return false;
		s = end + 1;
	}
}

/* An empty string means "not set", as in runc. */
static int f_cpulist(struct ctx *c, int v, void *ptr, const struct field *f)
{
	const char **out = ptr;
	int r = json_get_str(c->j, v, c->p, out, c->err);

	if (r < 0)
		return r;
	if (!**out) {
		*out = NULL;
		return 0;
	}
	return cpu_list_ok(*out) ? 0 : fail(c, "invalid cpu list \"%s\"", *out);
}

static const struct field console_fields[] = {
	{ "height", f_u32, .off = offsetof(struct spec_process, console_height) },
	{ "width", f_u32, .off = offsetof(struct spec_process, console_width) },
	{ NULL },
};

static const struct field user_fields[] = {
	{ "uid", f_u32, .off = offsetof(struct spec_user, uid) },
	{ "gid", f_u32, .off = offsetof(struct spec_user, gid) },
	{ "umask", f_umask, .off = offsetof(struct spec_user, umask) },
	{ "additionalGids", f_gids, .off = 0 },
	{ NULL },
};

static const struct field affinity_fields[] = {
	{ "initial", f_cpulist, .off = offsetof(struct spec_process, cpu_affinity_initial) },
	{ "final", f_cpulist, .off = offsetof(struct spec_process, cpu_affinity_final) },
	{ NULL },
};

static const struct field process_fields[] = {
	{ "terminal", f_bool, .off = offsetof(struct spec_process, terminal) },
	{ "consoleSize", f_object, .arg = console_fields },
	{ "user", f_object, .off = offsetof(struct spec_process, user), .arg = user_fields },
	{ "args", f_args, .required = true },
	{ "env", f_env, .off = 0 },
	{ "cwd", f_abs, .off = offsetof(struct spec_process, cwd) },
	{ "capabilities", f_caps, .off = 0 },
	{ "rlimits", f_rlimits, .off = 0 },
	{ "noNewPrivileges", f_bool, .off = offsetof(struct spec_process, no_new_privileges) },
	{ "oomScoreAdj", f_oom, .off = 0 },
	{ "ioPriority", f_ioprio, .off = 0 },
	{ "scheduler", f_sched, .off = offsetof(struct spec_process, sched) },
	{ "execCPUAffinity", f_object, .arg = affinity_fields },
	{ "apparmorProfile", f_str, .off = offsetof(struct spec_process, apparmor_profile) },
	{ "selinuxLabel", f_str, .off = offsetof(struct spec_process, selinux_label) },
	{ "seccomp", f_tok, .off = offsetof(struct spec_process, seccomp_tok) },
	{ NULL },
};

static void process_defaults(struct ctx *c, struct spec_process *p)
{
	p->user.umask = -1;
	p->cwd = "/";
	p->env = c->empty;
	p->seccomp_tok = -1;
}

static int f_process(struct ctx *c, int v, void *ptr, const struct field *f)
{
	c->s->has_process = true;
	return parse_object(c, v, process_fields, ptr);
}

/* ---- root, mounts, hooks, annotations ---- */

static const struct field root_fields[] = {
	{ "path", f_str, .off = offsetof(struct spec, root_path), .required = true },
	{ "readonly", f_bool, .off = offsetof(struct spec, root_readonly) },
	{ NULL },
};

static const struct field idmap_fields[] = {
	{ "containerID", f_u32, .off = offsetof(struct spec_idmap, container_id),
	  .required = true },
	{ "hostID", f_u32, .off = offsetof(struct spec_idmap, host_id), .required = true },
	{ "size", f_u32, .off = offsetof(struct spec_idmap, size), .required = true },
	{ NULL },
};

static int idmap_elem(struct ctx *c, int v, int i, void *arr)
{
	return parse_object(c, v, idmap_fields, &((struct spec_idmap *)arr)[i]);
}

static int get_idmaps(struct ctx *c, int v, struct spec_idmap **out, int *n)
{
	*out = alloc_elems(c, v, sizeof(**out), n);
	return *out ? each_elem(c, v, idmap_elem, *out) : -c->err->code;
}

static int f_mount_uidmap(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_mount *m = ptr;

	return get_idmaps(c, v, &m->uid_mappings, &m->nuid_mappings);
}

static int f_mount_gidmap(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_mount *m = ptr;

	return get_idmaps(c, v, &m->gid_mappings, &m->ngid_mappings);
}

static int f_mount_options(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_mount *m = ptr;

	return get_strv(c, v, &m->options, &m->noptions, NULL);
}

static const struct field mount_fields[] = {
	{ "destination", f_abs, .off = offsetof(struct spec_mount, destination), .required = true },
	{ "source", f_str, .off = offsetof(struct spec_mount, source) },
	{ "type", f_str, .off = offsetof(struct spec_mount, type) },
	{ "options", f_mount_options, .off = 0 },
	{ "uidMappings", f_mount_uidmap, .off = 0 },
	{ "gidMappings", f_mount_gidmap, .off = 0 },
	{ NULL },
};

/* An idmapped mount needs both maps (mount_setattr takes one user namespace for both). */
static int mount_elem(struct ctx *c, int v, int i, void *arr)
{
	struct spec_mount *m = &((struct spec_mount *)arr)[i];
	int r;

	m->options = c->empty;
	r = parse_object(c, v, mount_fields, m);
	if (r < 0)
		return r;
	if (m->nuid_mappings && !m->ngid_mappings)
		return fail_key(c, "gidMappings", "required with uidMappings");
	if (m->ngid_mappings && !m->nuid_mappings)
		return fail_key(c, "uidMappings", "required with gidMappings");
	return 0;
}

static int f_mounts(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec *s = ptr;

	s->mounts = alloc_elems(c, v, sizeof(*s->mounts), &s->nmounts);
	return s->mounts ? each_elem(c, v, mount_elem, s->mounts) : -c->err->code;
}

static int f_hook_args(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_hook *h = ptr;
	int n;

	return get_strv(c, v, &h->args, &n, NULL);
}

static int f_hook_env(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_hook *h = ptr;
	int n;

	return get_strv(c, v, &h->env, &n, check_env);
}

static int f_timeout(struct ctx *c, int v, void *ptr, const struct field *f)
{
	return json_get_int(c->j, v, c->p, 1, 86400 * 365, ptr, c->err);
}

static const struct field hook_fields[] = {
	{ "path", f_abs, .off = offsetof(struct spec_hook, path), .required = true },
	{ "args", f_hook_args, .off = 0 },
	{ "env", f_hook_env, .off = 0 },
	{ "timeout", f_timeout, .off = offsetof(struct spec_hook, timeout) },
	{ NULL },
};

static int hook_elem(struct ctx *c, int v, int i, void *arr)
{
	struct spec_hook *h = &((struct spec_hook *)arr)[i];

	h->args = h->env = c->empty;
	return parse_object(c, v, hook_fields, h);
}

/* ptr is &s->hooks[kind]; the count sits at the same index of s->nhooks. */
static int f_hook_list(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_hook **list = ptr;
	int kind = (int)(list - c->s->hooks);

	*list = alloc_elems(c, v, sizeof(**list), &c->s->nhooks[kind]);
	return *list ? each_elem(c, v, hook_elem, *list) : -c->err->code;
}

static const struct field hooks_fields[] = {
	{ "prestart", f_hook_list, .off = offsetof(struct spec, hooks[HOOK_PRESTART]) },
	{ "createRuntime", f_hook_list, .off = offsetof(struct spec, hooks[HOOK_CREATE_RUNTIME]) },
	{ "createContainer", f_hook_list,
	  .off = offsetof(struct spec, hooks[HOOK_CREATE_CONTAINER]) },
	{ "startContainer", f_hook_list,
	  .off = offsetof(struct spec, hooks[HOOK_START_CONTAINER]) },
	{ "poststart", f_hook_list, .off = offsetof(struct spec, hooks[HOOK_POSTSTART]) },
	{ "poststop", f_hook_list, .off = offsetof(struct spec, hooks[HOOK_POSTSTOP]) },
	{ NULL },
};

/* A string -> string object (annotations, sysctl); check vets each key. */
static int get_kv(struct ctx *c, int obj, struct spec_kv **out, int *count, str_check check)
{
	int n, k, v, r = json_expect(c->j, obj, c->p, JSON_OBJECT, c->err);

	if (r < 0)
		return r;
	*count = c->j->tok[obj].size;
	*out = alloc(c, *count, sizeof(**out));
	if (!*out)
		return -c->err->code;
	JSON_FOR_EACH(c->j, obj, n, k, v)
	{
		struct spec_kv *kv = &(*out)[n];
		size_t saved;

		kv->key = json_str(c->j, k);
		if (!kv->key)
			return fail(c, "invalid string escape or NUL character in a key");
		saved = jpath_member(c->p, kv->key);
		r = check ? check(c, kv->key) : 0;
		if (r == 0)
			r = json_get_str(c->j, v, c->p, &kv->value, c->err);
		jpath_pop(c->p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

static int f_annotations(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec *s = ptr;

	return get_kv(c, v, &s->annotations, &s->nannotations, NULL);
}

/* ---- linux ---- */

static const char *const ns_names[NS_COUNT] = {
	[NS_USER] = "user", [NS_PID] = "pid",	    [NS_NET] = "network", [NS_IPC] = "ipc",
	[NS_UTS] = "uts",   [NS_CGROUP] = "cgroup", [NS_TIME] = "time",	  [NS_MNT] = "mount",
};

const char *spec_ns_name(enum ns_type t)
{
	return (unsigned)t < NS_COUNT ? ns_names[t] : NULL;
}

struct ns_entry {
	int type;
	const char *path;
};

static int f_ns_type(struct ctx *c, int v, void *ptr, const struct field *f)
{
	const char *name;
	int t, r = json_get_str(c->j, v, c->p, &name, c->err);

	if (r < 0)
		return r;
	for (t = 0; t < NS_COUNT && strcmp(ns_names[t], name); t++)
		;
	if (t == NS_COUNT)
		return fail(c, "unknown namespace \"%s\"", name);
	*(int *)ptr = t;
	return 0;
}

static const struct field ns_fields[] = {
	{ "type", f_ns_type, .off = offsetof(struct ns_entry, type), .required = true },
	{ "path", f_abs, .off = offsetof(struct ns_entry, path) },
	{ NULL },
};

static int ns_elem(struct ctx *c, int v, int i, void *arr)
{
	struct spec_ns *ns = arr;
	struct ns_entry e = { .path = NULL };
	int r = parse_object(c, v, ns_fields, &e);

	if (r < 0)
		return r;
	if (ns[e.type].enabled)
		return fail_key(c, "type", "duplicate namespace \"%s\"", ns_names[e.type]);
	ns[e.type].enabled = true;
	ns[e.type].path = e.path;
	return 0;
}

static int f_namespaces(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_expect(c->j, v, c->p, JSON_ARRAY, c->err);

	return r < 0 ? r : each_elem(c, v, ns_elem, ptr);
}

static int f_linux_uidmap(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	return get_idmaps(c, v, &l->uid_mappings, &l->nuid_mappings);
}

static int f_linux_gidmap(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	return get_idmaps(c, v, &l->gid_mappings, &l->ngid_mappings);
}

static int f_nanosecs(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_get_u32(c->j, v, c->p, ptr, c->err);

	return r < 0 || *(uint32_t *)ptr < 1000000000 ? r : fail(c, "must be below 1000000000");
}

static const struct field offset_fields[] = {
	{ "secs", f_i64, .off = offsetof(struct spec_time_offset, secs) },
	{ "nanosecs", f_nanosecs, .off = offsetof(struct spec_time_offset, nanosecs) },
	{ NULL },
};

static int f_time_offset(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_time_offset *t = ptr;

	t->set = true;
	return parse_object(c, v, offset_fields, t);
}

static const struct field time_fields[] = {
	{ "monotonic", f_time_offset, .off = offsetof(struct spec_linux, monotonic) },
	{ "boottime", f_time_offset, .off = offsetof(struct spec_linux, boottime) },
	{ NULL },
};

static int f_dev_type(struct ctx *c, int v, void *ptr, const struct field *f)
{
	const char *t;
	int r = json_get_str(c->j, v, c->p, &t, c->err);

	if (r < 0)
		return r;
	if (!t[0] || t[1] || !strchr("cbup", t[0]))
		return fail(c, "unknown device type \"%s\" (expected c, b, u or p)", t);
	*(char *)ptr = t[0];
	return 0;
}

static int f_dev_num(struct ctx *c, int v, void *ptr, const struct field *f)
{
	uint32_t n;
	int r = json_get_u32(c->j, v, c->p, &n, c->err);

	if (r == 0)
		*(int64_t *)ptr = n;
	return r;
}

static int f_dev_mode(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_device *d = ptr;

	d->has_file_mode = true;
	return json_get_u32(c->j, v, c->p, &d->file_mode, c->err);
}

static int f_dev_uid(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_device *d = ptr;

	d->has_uid = true;
	return json_get_u32(c->j, v, c->p, &d->uid, c->err);
}

static int f_dev_gid(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_device *d = ptr;

	d->has_gid = true;
	return json_get_u32(c->j, v, c->p, &d->gid, c->err);
}

static const struct field device_fields[] = {
	{ "type", f_dev_type, .off = offsetof(struct spec_device, type), .required = true },
	{ "path", f_abs, .off = offsetof(struct spec_device, path), .required = true },
	{ "major", f_dev_num, .off = offsetof(struct spec_device, major) },
	{ "minor", f_dev_num, .off = offsetof(struct spec_device, minor) },
	{ "fileMode", f_dev_mode, .off = 0 },
	{ "uid", f_dev_uid, .off = 0 },
	{ "gid", f_dev_gid, .off = 0 },
	{ NULL },
};

/* major/minor are -1 until given; a fifo ('p') has none and gets 0. */
static int device_elem(struct ctx *c, int v, int i, void *arr)
{
	struct spec_device *d = &((struct spec_device *)arr)[i];
	int r;

	d->major = d->minor = -1;
	r = parse_object(c, v, device_fields, d);
	if (r < 0)
		return r;
	if (d->type == 'p') {
		d->major = d->minor = 0;
		return 0;
	}
	if (d->major < 0)
		return fail_key(c, "major", "required for type \"%c\"", d->type);
	if (d->minor < 0)
		return fail_key(c, "minor", "required for type \"%c\"", d->type);
	return 0;
}

static int f_devices(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	l->devices = alloc_elems(c, v, sizeof(*l->devices), &l->ndevices);
	return l->devices ? each_elem(c, v, device_elem, l->devices) : -c->err->code;
}

/* Keys become /proc/sys/<key with . as />: a "/" or ".." would write outside /proc/sys. */
static int check_sysctl(struct ctx *c, const char *key)
{
	if (!key[0] || strchr(key, '/') || rt_strstr(key, "..") || key[0] == '.')
		return fail(c, "invalid sysctl name \"%s\"", key);
	return 0;
}

static int f_sysctl(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	return get_kv(c, v, &l->sysctl, &l->nsysctl, check_sysctl);
}

static const struct name_val propagations[] = {
	{ "private", MS_PRIVATE },
	{ "rprivate", MS_PRIVATE | MS_REC },
	{ "shared", MS_SHARED },
	{ "rshared", MS_SHARED | MS_REC },
	{ "slave", MS_SLAVE },
	{ "rslave", MS_SLAVE | MS_REC },
	{ "unbindable", MS_UNBINDABLE },
	{ "runbindable", MS_UNBINDABLE | MS_REC },
	{ NULL, 0 },
};

static int f_propagation(struct ctx *c, int v, void *ptr, const struct field *f)
{
	long val = 0;
	const char *s;
	int r = json_get_str(c->j, v, c->p, &s, c->err);

	if (r == 0 && s[0] && !lookup(propagations, s, &val))
		r = fail(c, "unknown propagation \"%s\"", s);
	*(unsigned long *)ptr = (unsigned long)val;
	return r;
}

static int f_masked(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	return get_strv(c, v, &l->masked_paths, &l->nmasked_paths, check_abs);
}

static int f_readonly(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	return get_strv(c, v, &l->readonly_paths, &l->nreadonly_paths, check_abs);
}

static const struct name_val personality_domains[] = {
	{ "LINUX", PER_LINUX },
	{ "LINUX32", PER_LINUX32 },
	{ NULL, 0 },
};

/* The spec defines no flags yet; these are the kernel's, by their <sys/personality.h> names. */
static const struct name_val personality_flags[] = {
	{ "UNAME26", UNAME26 },
	{ "ADDR_NO_RANDOMIZE", ADDR_NO_RANDOMIZE },
	{ "FDPIC_FUNCPTRS", FDPIC_FUNCPTRS },
	{ "MMAP_PAGE_ZERO", MMAP_PAGE_ZERO },
	{ "ADDR_COMPAT_LAYOUT", ADDR_COMPAT_LAYOUT },
	{ "READ_IMPLIES_EXEC", READ_IMPLIES_EXEC },
	{ "ADDR_LIMIT_32BIT", ADDR_LIMIT_32BIT },
	{ "SHORT_INODE", SHORT_INODE },
	{ "WHOLE_SECONDS", WHOLE_SECONDS },
	{ "STICKY_TIMEOUTS", STICKY_TIMEOUTS },
	{ "ADDR_LIMIT_3GB", ADDR_LIMIT_3GB },
	{ NULL, 0 },
};

static int f_per_domain(struct ctx *c, int v, void *ptr, const struct field *f)
{
	long val;
	int r = get_named(c, v, personality_domains, "personality domain", &val);

	if (r == 0)
		*(unsigned long *)ptr |= (unsigned long)val;
	return r;
}

static int per_flag_elem(struct ctx *c, int v, int i, void *ptr)
{
	long val;
	int r = get_named(c, v, personality_flags, "personality flag", &val);

	if (r == 0)
		*(unsigned long *)ptr |= (unsigned long)val;
	return r;
}

static int f_per_flags(struct ctx *c, int v, void *ptr, const struct field *f)
{
	int r = json_expect(c->j, v, c->p, JSON_ARRAY, c->err);

	return r < 0 ? r : each_elem(c, v, per_flag_elem, ptr);
}

static const struct field personality_fields[] = {
	{ "domain", f_per_domain, .off = offsetof(struct spec_linux, personality),
	  .required = true },
	{ "flags", f_per_flags, .off = offsetof(struct spec_linux, personality) },
	{ NULL },
};

static int f_personality(struct ctx *c, int v, void *ptr, const struct field *f)
{
	struct spec_linux *l = ptr;

	l->has_personality = true;
	return parse_object(c, v, personality_fields, l);
}

static const struct field linux_fields[] = {
	{ "namespaces", f_namespaces, .off = offsetof(struct spec_linux, ns) },
	{ "uidMappings", f_linux_uidmap, .off = 0 },
	{ "gidMappings", f_linux_gidmap, .off = 0 },
	{ "timeOffsets", f_object, .arg = time_fields },
	{ "devices", f_devices, .off = 0 },
	{ "cgroupsPath", f_str, .off = offsetof(struct spec_linux, cgroups_path) },
	{ "resources", f_tok, .off = offsetof(struct spec_linux, resources_tok) },
	{ "seccomp", f_tok, .off = offsetof(struct spec_linux, seccomp_tok) },
	{ "sysctl", f_sysctl, .off = 0 },
	{ "rootfsPropagation", f_propagation,
	  .off = offsetof(struct spec_linux, rootfs_propagation) },
	{ "maskedPaths", f_masked, .off = 0 },
	{ "readonlyPaths", f_readonly, .off = 0 },
	{ "mountLabel", f_str, .off = offsetof(struct spec_linux, mount_label) },
	{ "personality", f_personality, .off = 0 },
	{ "intelRdt", f_refuse, .arg = "Intel RDT" },
	{ "memoryPolicy", f_refuse, .arg = "NUMA memory policy" },
	{ "netDevices", f_refuse_nonempty, .arg = "moving network devices" },
	{ NULL },
};

static int f_linux(struct ctx *c, int v, void *ptr, const struct field *f)
{
	c->s->has_linux = true;
	return parse_object(c, v, linux_fields, ptr);
}

/* ---- the document ---- */

static const struct field top_fields[] = {
	{ "ociVersion", f_str, .off = offsetof(struct spec, oci_version), .required = true },
	{ "process", f_process, .off = offsetof(struct spec, process), .required = true },
	{ "root", f_object, .arg = root_fields, .required = true },
	{ "hostname", f_str, .off = offsetof(struct spec, hostname) },
	{ "domainname", f_str, .off = offsetof(struct spec, domainname) },
	{ "mounts", f_mounts, .off = 0 },
	{ "hooks", f_object, .arg = hooks_fields },
	{ "annotations", f_annotations, .off = 0 },
	{ "linux", f_linux, .off = offsetof(struct spec, linux) },
	{ NULL },
};

static int begin(struct spec *s, struct ctx *c, const char *what, char *buf, size_t len)
{
	int r;

	memset(s, 0, sizeof(*s));
	c->s = s;
	c->j = &s->doc;
	c->p->len = 0;
	c->p->s[0] = '\0';
	r = json_parse(&s->doc, what, buf, len, c->err);
	if (r < 0)
		return r;
	s->arena.cap = (size_t)s->doc.ntok * ARENA_PER_TOKEN + ARENA_BASE;
	s->arena.mem = malloc(s->arena.cap);
	if (!s->arena.mem)
		return rt_errnofail(c->err, ENOMEM, "%s", what);
	c->empty = alloc(c, 1, sizeof(*c->empty));
	process_defaults(c, &s->process);
	s->linux.resources_tok = s->linux.seccomp_tok = -1;
	return 0;
}

/* Point the path at a top-level member (checks made after the walk). */
static void set_path(struct ctx *c, const char *a, const char *b)
{
	jpath_pop(c->p, 0);
	jpath_key(c->p, a);
	if (b)
		jpath_key(c->p, b);
}

/* The bundle is absolute (runtime.c makes it so), hence so is the joined root. */
static int resolve_root(struct ctx *c, const char *bundle)
{
	struct spec *s = c->s;
	int n;

	set_path(c, "root", "path");
	if (!s->root_path[0])
		return fail(c, "must not be empty");
	if (s->root_path[0] == '/')
		return 0;
	if (!bundle)
		return fail(c, "relative path \"%s\" needs a bundle directory", s->root_path);
	n = rt_snprintf(s->root_buf, sizeof(s->root_buf), "%s/%s", bundle, s->root_path);
	if (n < 0 || (size_t)n >= sizeof(s->root_buf))
		return fail(c, "path too long");
	s->root_path = s->root_buf;
	return 0;
}

/* Mappings for a user namespace runt does not create would be silently dropped. */
static int check_userns(struct ctx *c)
{
	struct spec_linux *l = &c->s->linux;

	if (!l->nuid_mappings && !l->ngid_mappings)
		return 0;
	set_path(c, "linux", l->nuid_mappings ? "uidMappings" : "gidMappings");
	if (!l->ns[NS_USER].enabled)
		return fail(c, "requires a user namespace in .linux.namespaces");
	if (l->ns[NS_USER].path)
		return fail(c, "cannot be applied when joining an existing user namespace");
	return 0;
}

/* A sysctl is only safe to write in a namespace the container owns; anything else would
 * change the host (runc's list: ipc, net and uts sysctls). */
static const struct {
	const char *name; /* exact name, or a prefix when it ends with '.' */
	enum ns_type ns;
} sysctl_ns[] = {
	{ "kernel.msgmax", NS_IPC },   { "kernel.msgmnb", NS_IPC },
	{ "kernel.msgmni", NS_IPC },   { "kernel.sem", NS_IPC },
	{ "kernel.shmall", NS_IPC },   { "kernel.shmmax", NS_IPC },
	{ "kernel.shmmni", NS_IPC },   { "kernel.shm_rmid_forced", NS_IPC },
	{ "fs.mqueue.", NS_IPC },      { "net.", NS_NET },
	{ "kernel.hostname", NS_UTS }, { "kernel.domainname", NS_UTS },
};

static int sysctl_namespace(const char *key)
{
	for (size_t i = 0; i < sizeof(sysctl_ns) / sizeof(sysctl_ns[0]); i++) {
		const char *n = sysctl_ns[i].name;
		size_t len = strlen(n);

		if (n[len - 1] == '.' ? !strncmp(key, n, len) : !strcmp(key, n))
			return sysctl_ns[i].ns;
	}
	return -1;
}

static int check_sysctls(struct ctx *c)
{
	const struct spec_linux *l = &c->s->linux;

	for (int i = 0; i < l->nsysctl; i++) {
		const char *key = l->sysctl[i].key, *name = NULL;
		int ns = sysctl_namespace(key);

		/* kernel.hostname may not undo .hostname, nor kernel.domainname .domainname */
		if (ns == NS_UTS && (name = key[7] == 'h' ? c->s->hostname : c->s->domainname) &&
		    !strcmp(name, l->sysctl[i].value))
			name = NULL;
		if (ns >= 0 && l->ns[ns].enabled && !name)
			continue;
		set_path(c, "linux", "sysctl");
		if (name)
			return fail(c, "sysctl \"%s\" contradicts .%s \"%s\"", key, key + 7, name);
		if (ns < 0)
			return fail(c, "sysctl \"%s\" is not in a separate kernel namespace", key);
		return fail(c, "sysctl \"%s\" needs a private %s namespace", key, spec_ns_name(ns));
	}
	return 0;
}

/* Offsets can only be written before the first process enters a new time namespace; a
 * hostname without a private UTS namespace would rename the host (runc refuses it too). */
static int check_namespaces(struct ctx *c)
{
	struct spec *s = c->s;
	struct spec_ns *ns = s->linux.ns;
	int r = check_userns(c);

	if (r < 0)
		return r;
	if ((r = check_sysctls(c)) < 0)
		return r;
	if ((s->linux.monotonic.set || s->linux.boottime.set) &&
	    (!ns[NS_TIME].enabled || ns[NS_TIME].path)) {
		set_path(c, "linux", "timeOffsets");
		return fail(c, "requires a new time namespace in .linux.namespaces");
	}
	if (s->hostname && s->hostname[0] && !ns[NS_UTS].enabled) {
		set_path(c, "hostname", NULL);
		return fail(c, "unable to set hostname without a private UTS namespace");
	}
	if (s->domainname && s->domainname[0] && !ns[NS_UTS].enabled) {
		set_path(c, "domainname", NULL);
		return fail(c, "unable to set domainname without a private UTS namespace");
	}
	return 0;
}

int spec_parse(struct spec *s, const char *bundle, char *buf, size_t len, struct rt_err *err)
{
	struct jpath p;
	struct ctx c = { .p = &p, .err = err };
	int r = begin(s, &c, "config.json", buf, len);

	if (r == 0)
		r = parse_object(&c, 0, top_fields, s);
	if (r == 0)
		r = resolve_root(&c, bundle);
	if (r == 0)
		r = check_namespaces(&c);
	if (r < 0)
		spec_free(s);
	return r;
}

int spec_parse_process_doc(struct spec *s, char *buf, size_t len, const char *what,
			   struct rt_err *err)
{
	struct jpath p;
	struct ctx c = { .p = &p, .err = err };
	int r = begin(s, &c, what, buf, len);

	if (r == 0)
		r = f_process(&c, 0, &s->process, NULL);
	if (r < 0)
		spec_free(s);
	return r;
}

/* One read into one buffer: every string of the spec points into it until spec_free. */
static int read_config(const char *bundle, char **out, size_t *len, struct rt_err *err)
{
	struct stat st;
	ssize_t n = 0;
	char *buf = NULL;
	int fd = rt_open(bundle, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int cfd = fd < 0 ? -1 : openat(fd, "config.json", O_RDONLY | O_CLOEXEC);

	if (cfd < 0 || rt_fstat(cfd, &st) < 0) {
		rt_sysfail(err, "open %s/config.json", bundle);
		goto out_close;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > SPEC_MAX_FILE) {
		rt_fail(err, EINVAL, "open %s/config.json: not a regular file of at most %d bytes",
			bundle, SPEC_MAX_FILE);
		goto out_close;
	}
	buf = malloc(st.st_size + 1);
	n = buf ? read(cfd, buf, st.st_size) : -1;
	if (n != st.st_size) {
		rt_errnofail(err, n < 0 ? errno : EIO, "read %s/config.json", bundle);
		free(buf);
		buf = NULL;
	}
out_close:
	if (cfd >= 0)
		close(cfd);
	if (fd >= 0)
		close(fd);
	*out = buf;
	*len = buf ? (size_t)n : 0;
	return buf ? 0 : -err->code;
}

int spec_load(struct spec *s, const char *bundle, struct rt_err *err)
{
	char *buf;
	size_t len;
	int r = read_config(bundle, &buf, &len, err);

	if (r < 0)
		return r;
	buf[len] = '\0';
	r = spec_parse(s, bundle, buf, len, err);
	if (r < 0) {
		free(buf);
		return r;
	}
	s->doc_owned = true;
	return 0;
}

void spec_free(struct spec *s)
{
	json_free(&s->doc);
	free(s->arena.mem);
	s->arena.mem = NULL;
	if (s->doc_owned)
		free(s->doc.buf);
	s->doc.buf = NULL;
	s->doc_owned = false;
}

static const char *const hook_names[HOOK_COUNT] = {
	[HOOK_PRESTART] = "prestart",
	[HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer",
	[HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

const char *spec_hook_name(enum hook_kind k)
{
	return (unsigned)k < HOOK_COUNT ? hook_names[k] : NULL;
}

const char *spec_annotation(const struct spec *s, const char *key)
{
	for (int i = 0; i < s->nannotations; i++)
		if (!strcmp(s->annotations[i].key, key))
			return s->annotations[i].value;
	return NULL;
}

/* The id names a directory under the state root: no "/", no "." or "..", bounded. */
int spec_validate_id(const char *id, struct rt_err *err)
{
	size_t len = strlen(id);

	if (len == 0)
		return rt_fail(err, EINVAL, "invalid container id \"\": must not be empty");
	/* the id names a directory (the state dir, the default cgroup): NAME_MAX */
	if (len > SPEC_ID_MAX)
		return rt_fail(err, EINVAL, "invalid container id: longer than %d bytes",
			       SPEC_ID_MAX);
	if (!strcmp(id, ".") || !strcmp(id, ".."))
		return rt_fail(err, EINVAL,
			       "invalid container id \"%s\": must not be \".\" or \"..\"", id);
	if (strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_+.-") != len)
		return rt_fail(err, EINVAL,
			       "invalid container id \"%s\": must match "
			       "^[A-Za-z0-9_+.-]+$",
			       id);
	return 0;
}
