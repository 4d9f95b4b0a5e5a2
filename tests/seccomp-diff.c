/* seccomp-diff.c - differential test (host only, links Debian's libseccomp; never part of
 * runt): the same profiles compiled by runt's seccomp.c and by libseccomp the way runc
 * calls it, both exported BPF programs run in the interpreter on many random (arch, nr,
 * args) tuples biased toward each profile's constants; every decision must agree.
 * Usage: seccomp-diff [PROFILE.json...] (e.g. the converted podman default profile).
 * `seccomp-diff --bench PROFILE.json ROUNDS` prints libseccomp's instruction count and CPU time
 * per compile instead: make bench sets it beside runt's (bench/seccomp-compile.c). */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "../seccomp.h"
#include "unit/bpf_interp.h"
#include "unit/tap.h"

#define MAX_CONST 256

struct prog {
	struct bpf_insn_t ins[SC_MAX_INSNS * 2];
	int len;
};

/* A profile's interesting numbers: syscall numbers and argument constants. */
struct consts {
	int nrs[MAX_CONST], nnrs;
	uint64_t vals[MAX_CONST];
	int nvals;
};

static uint32_t lib_action(struct json *j, int obj, const char *key, const char *ekey)
{
	const char *name = json_str(j, json_find(j, obj, key));
	int et = json_find(j, obj, ekey);
	uint16_t e = et >= 0 ? (uint16_t)atoi(j->buf + j->tok[et].start) : 1;

	if (!strcmp(name, "SCMP_ACT_KILL") || !strcmp(name, "SCMP_ACT_KILL_THREAD"))
		return SCMP_ACT_KILL_THREAD;
	if (!strcmp(name, "SCMP_ACT_KILL_PROCESS"))
		return SCMP_ACT_KILL_PROCESS;
	if (!strcmp(name, "SCMP_ACT_TRAP"))
		return SCMP_ACT_TRAP;
	if (!strcmp(name, "SCMP_ACT_ERRNO"))
		return SCMP_ACT_ERRNO(e);
	if (!strcmp(name, "SCMP_ACT_TRACE"))
		return SCMP_ACT_TRACE(e);
	if (!strcmp(name, "SCMP_ACT_LOG"))
		return SCMP_ACT_LOG;
	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		return SCMP_ACT_NOTIFY;
	return SCMP_ACT_ALLOW;
}

static enum scmp_compare lib_op(const char *op)
{
	static const char *const ops[] = { "",
					   "SCMP_CMP_NE",
					   "SCMP_CMP_LT",
					   "SCMP_CMP_LE",
					   "SCMP_CMP_EQ",
					   "SCMP_CMP_GE",
					   "SCMP_CMP_GT",
					   "SCMP_CMP_MASKED_EQ" };

	for (int i = 1; i < 8; i++)
		if (!strcmp(op, ops[i]))
			return (enum scmp_compare)i;
	return _SCMP_CMP_MIN;
}

static uint64_t num(struct json *j, int tok)
{
	return tok < 0 ? 0 : strtoull(j->buf + j->tok[tok].start, NULL, 10);
}

static void add_const(struct consts *c, uint64_t v)
{
	if (c->nvals < MAX_CONST)
		c->vals[c->nvals++] = v;
}

/* One syscalls[] entry as runc's matchCall adds it. */
static int lib_entry(scmp_filter_ctx ctx, struct json *j, int obj, uint32_t def, struct consts *c)
{
	int names = json_find(j, obj, "names"), args = json_find(j, obj, "args"), n, k, v;
	struct scmp_arg_cmp cmp[16];
	uint32_t act = lib_action(j, obj, "action", "errnoRet");
	int ncmp = 0, rc = 0;
	unsigned seen = 0;
	bool dup = false;

	if (args >= 0 && j->tok[args].type == JSMN_ARRAY)
		JSON_FOR_EACH(j, args, n, k, v)
		{
			struct scmp_arg_cmp *a = &cmp[ncmp++];

			a->arg = (unsigned)num(j, json_find(j, v, "index"));
			a->op = lib_op(json_str(j, json_find(j, v, "op")));
			a->datum_a = num(j, json_find(j, v, "value"));
			a->datum_b = num(j, json_find(j, v, "valueTwo"));
			add_const(c, a->datum_a);
			add_const(c, a->datum_b);
			dup |= (seen >> a->arg) & 1;
			seen |= 1U << a->arg;
		}
	if (act == def)
		return 0;
	JSON_FOR_EACH(j, names, n, k, v)
	{
		int nr = sc_syscall_nr(json_str(j, v));

		if (nr < 0)
			continue;
		if (c->nnrs < MAX_CONST)
			c->nrs[c->nnrs++] = nr;
		if (!dup)
			rc = seccomp_rule_add_array(ctx, act, nr, ncmp, cmp);
		for (int i = 0; dup && i < ncmp && rc == 0; i++)
			rc = seccomp_rule_add_array(ctx, act, nr, 1, &cmp[i]);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int export(scmp_filter_ctx ctx, struct prog *p)
{
	int fd = memfd_create("bpf", 0);
	ssize_t n;

	if (fd < 0 || seccomp_export_bpf(ctx, fd) < 0)
		return -1;
	n = pread(fd, p->ins, sizeof(p->ins), 0);
	close(fd);
	p->len = n > 0 ? (int)(n / sizeof(p->ins[0])) : 0;
	return n > 0 ? 0 : -1;
}

/* What runt gives any other arch (and x32): the default action, or KILL_PROCESS when the
 * default lets calls run and rules exist (they would be sidestepped). */
static uint32_t foreign_action(struct json *j, uint32_t def)
{
	int sys = json_find(j, 0, "syscalls"), n, k, e, n2, k2, nm;

	if ((def == SCMP_ACT_ALLOW || def == SCMP_ACT_LOG) && sys >= 0)
		JSON_FOR_EACH(j, sys, n, k, e)
		{
			int names = json_find(j, e, "names");

			if (names < 0 || lib_action(j, e, "action", "errnoRet") == def)
				continue;
			JSON_FOR_EACH(j, names, n2, k2, nm)
			if (sc_syscall_nr(json_str(j, nm)) >= 0)
				return SCMP_ACT_KILL_PROCESS;
		}
	return def;
}

/* libseccomp as runc drives it, with runt's action for any other arch (and x32). */
static int lib_compile(struct json *j, struct prog *p, struct consts *c)
{
	uint32_t def = lib_action(j, 0, "defaultAction", "defaultErrnoRet");
	int sys = json_find(j, 0, "syscalls"), n, k, v, rc = 0;
	scmp_filter_ctx ctx = seccomp_init(def);

	if (!ctx)
		return -ENOMEM;
	seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, foreign_action(j, def));
	seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (sys >= 0)
		JSON_FOR_EACH(j, sys, n, k, v)
	if (rc == 0)
		rc = lib_entry(ctx, j, v, def, c);
	if (rc == 0)
		rc = export(ctx, p);
	seccomp_release(ctx);
	return rc;
}

static uint64_t pick_arg(const struct consts *c)
{
	uint64_t v = c->nvals ? c->vals[rand() % c->nvals] : 0;

	switch (rand() % 10) {
	case 0:
		return ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ rand();
	case 1:
		return v + 1;
	case 2:
		return v - 1;
	case 3:
		return v ^ (1ULL << 32);
	case 4:
		return v & 0xffffffffULL;
	case 5:
		return v | 0xffffffff00000000ULL;
	case 6:
		return v ^ (1ULL << (rand() % 64));
	case 7:
		return (uint64_t)(rand() % 4);
	default:
		return v;
	}
}

static void pick(const struct consts *c, struct bpf_data_t *d)
{
	int r = rand() % 100;

	d->arch = r < 4 ? 0x40000003 : r < 6 ? (uint32_t)rand() : sc_native_arch();
	d->nr = c->nnrs && rand() % 8 ? c->nrs[rand() % c->nnrs] : rand() % 460;
	if (r >= 6 && r < 9)
		d->nr |= 0x40000000; /* x32 */
	if (r == 9)
		d->nr = -1;
	for (int i = 0; i < 6; i++)
		d->args[i] = pick_arg(c);
}

static bool holds(struct json *j, int arg, const uint64_t *a)
{
	uint64_t v = num(j, json_find(j, arg, "value")), v2 = num(j, json_find(j, arg, "valueTwo"));
	uint64_t x = a[num(j, json_find(j, arg, "index"))];
	const char *op = json_str(j, json_find(j, arg, "op"));

	switch (lib_op(op)) {
	case SCMP_CMP_NE:
		return x != v;
	case SCMP_CMP_LT:
		return x < v;
	case SCMP_CMP_LE:
		return x <= v;
	case SCMP_CMP_EQ:
		return x == v;
	case SCMP_CMP_GE:
		return x >= v;
	case SCMP_CMP_GT:
		return x > v;
	default:
		return (x & v) == (v2 & v);
	}
}

struct verdicts {
	uint32_t ret[64];
	int n;
	bool unconditional;
};

/* One entry's rules for the call: unconditional ones, or those whose conditions hold. */
static void ref_entry(struct json *j, int obj, const struct bpf_data_t *d, struct verdicts *v)
{
	int args = json_find(j, obj, "args"), n, k, a, nargs = 0, seen = 0, dup = 0, all = 1;
	uint32_t act = lib_action(j, obj, "action", "errnoRet");
	int real = 0;

	if (args >= 0 && j->tok[args].type == JSMN_ARRAY)
		JSON_FOR_EACH(j, args, n, k, a)
		{
			int idx = (int)num(j, json_find(j, a, "index"));
			bool taut =
			    lib_op(json_str(j, json_find(j, a, "op"))) == SCMP_CMP_MASKED_EQ &&
			    num(j, json_find(j, a, "value")) == 0;

			dup |= seen >> idx & 1;
			seen |= 1 << idx;
			nargs++;
			if (taut)
				continue;
			real++;
			all &= holds(j, a, d->args);
		}
	if (dup && nargs) { /* runc: each condition is a rule of its own */
		JSON_FOR_EACH(j, args, n, k, a)
		{
			bool taut =
			    lib_op(json_str(j, json_find(j, a, "op"))) == SCMP_CMP_MASKED_EQ &&
			    num(j, json_find(j, a, "value")) == 0;

			if (taut && !v->unconditional) {
				v->unconditional = true;
				v->ret[0] = act;
				v->n = 1;
			} else if (!taut && holds(j, a, d->args) && v->n < 64 && !v->unconditional)
				v->ret[v->n++] = act;
		}
		return;
	}
	if (!real && !v->unconditional) {
		v->unconditional = true;
		v->ret[0] = act;
		v->n = 1;
	} else if (real && all && v->n < 64 && !v->unconditional)
		v->ret[v->n++] = act;
}

/* What the profile's own rules allow for a call: libseccomp's priority between matching
 * rules of different actions is an implementation detail, so any of them is accepted. */
static void ref_eval(struct json *j, const struct bpf_data_t *d, struct verdicts *v)
{
	uint32_t def = lib_action(j, 0, "defaultAction", "defaultErrnoRet");
	int sys = json_find(j, 0, "syscalls"), n, k, e, n2, k2, nm;

	v->n = 0;
	v->unconditional = false;
	if (d->arch == sc_native_arch() && !(d->nr & 0x40000000) && d->nr >= 0 && sys >= 0)
		JSON_FOR_EACH(j, sys, n, k, e)
		{
			int names = json_find(j, e, "names");

			if (lib_action(j, e, "action", "errnoRet") == def)
				continue;
			JSON_FOR_EACH(j, names, n2, k2, nm)
			if (sc_syscall_nr(json_str(j, nm)) == d->nr) {
				ref_entry(j, e, d, v);
				break;
			}
		}
	if (v->n == 0)
		v->ret[v->n++] = d->arch == sc_native_arch() && !(d->nr & 0x40000000)
				     ? def
				     : foreign_action(j, def);
}

static bool allowed(const struct verdicts *v, uint32_t r)
{
	for (int i = 0; i < v->n; i++)
		if (v->ret[i] == r)
			return true;
	return false;
}

static long prio_differs; /* both decisions follow the rules; the priority differs */
static long lib_wrong;	  /* calls where libseccomp's filter contradicts the profile's rules */

static struct sc_filter f;
static struct prog lib;

/* 0: all tuples agree, 1: a mismatch, -1: libseccomp refused the profile. */
static int diff_one(char *text, const char *what, int tuples, bool verbose, bool strict)
{
	static struct consts c;
	struct rt_err err = { 0 };
	struct json j;
	int bad = 0;

	memset(&c, 0, sizeof(c));
	if (json_parse(&j, what, text, strlen(text), &err) < 0 ||
	    sc_compile(&j, 0, ".linux.seccomp", &f, &err) < 0) {
		diag("%s: runt refuses: %s", what, err.msg);
		json_free(&j);
		return 1;
	}
	if (lib_compile(&j, &lib, &c) < 0) {
		json_free(&j);
		return -1;
	}
	for (int t = 0; t < tuples; t++) {
		struct bpf_data_t d;
		struct verdicts v;
		uint32_t a, b;

		pick(&c, &d);
		a = bpf_run(f.insns, f.len, &d, NULL);
		b = bpf_run(lib.ins, lib.len, &d, NULL);
		if (a == b)
			continue;
		ref_eval(&j, &d, &v);
		if (allowed(&v, a) && !allowed(&v, b)) {
			lib_wrong++;
			continue;
		}
		if (!strict && allowed(&v, a) && allowed(&v, b)) {
			prio_differs++;
			continue;
		}
		if (!bad++)
			diag("%s: arch %#x nr %d args %#llx %#llx %#llx: runt %#x libseccomp %#x",
			     what, d.arch, d.nr, (unsigned long long)d.args[0],
			     (unsigned long long)d.args[1], (unsigned long long)d.args[2], a, b);
	}
	json_free(&j);
	if (verbose)
		diag("%s: runt %d instructions, libseccomp %d", what, f.len, lib.len);
	return bad ? 1 : 0;
}

static const char *const pool_names[] = { "read",  "write", "mkdir",	   "openat", "socket",
					  "clone", "ioctl", "prctl",	   "mmap",   "kill",
					  "fcntl", "setns", "personality", "unshare" };
static const uint64_t pool_vals[] = { 0,
				      1,
				      2,
				      5,
				      0x7fffffff,
				      0x80000000,
				      0xffffffff,
				      0x100000000ULL,
				      0x100000005ULL,
				      0xffffffff00000000ULL,
				      0x8000000000000000ULL,
				      0xfffffffffffffffeULL,
				      0xffffffffffffffffULL };

static const char *rand_action(char *buf, size_t size)
{
	static const char *const acts[] = { "SCMP_ACT_ALLOW",	     "SCMP_ACT_ERRNO",
					    "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_TRAP",
					    "SCMP_ACT_LOG",	     "SCMP_ACT_TRACE",
					    "SCMP_ACT_KILL" };
	const char *a = acts[rand() % 7];

	if (!strcmp(a, "SCMP_ACT_ERRNO") || !strcmp(a, "SCMP_ACT_TRACE"))
		snprintf(buf, size, "\"%s\",\"errnoRet\":%d", a, 1 + rand() % 3);
	else
		snprintf(buf, size, "\"%s\"", a);
	return buf;
}

static uint64_t rand_val(void)
{
	uint64_t v = pool_vals[rand() % (sizeof(pool_vals) / sizeof(pool_vals[0]))];

	return rand() % 5 ? v : v ^ ((uint64_t)rand() << 20);
}

/* A random profile: few names (so rules collide), every op, repeated indexes now and then. */
enum shape { MIXED_EQ, RANGE_ONE_ACTION, ANY };

static void rand_profile(char *p, size_t size, int max_rules, int max_args, enum shape shape)
{
	static const char *const ops[] = { "EQ", "MASKED_EQ", "NE", "LT", "LE", "GE", "GT" };
	char fixed[64];
	char act[64];
	size_t len = snprintf(p, size, "{\"defaultAction\":%s,\"syscalls\":[",
			      rand_action(act, sizeof(act)));
	int n = 1 + rand() % max_rules;

	for (int i = 0; i < n; i++) {
		int nargs = rand() % (max_args + 1);

		char names[64];

		if (rand() % 3)
			snprintf(names, sizeof(names), "\"%s\"", pool_names[rand() % 14]);
		else
			snprintf(names, sizeof(names), "\"%s\",\"%s\"", pool_names[rand() % 14],
				 pool_names[rand() % 14]);
		rand_action(act, sizeof(act));
		if (shape == RANGE_ONE_ACTION && i == 0)
			strcpy(fixed, act);
		len += snprintf(p + len, size - len, "%s{\"names\":[%s],\"action\":%s,\"args\":[",
				i ? "," : "", names, shape == RANGE_ONE_ACTION ? fixed : act);
		for (int a = 0; a < nargs; a++)
			len += snprintf(
			    p + len, size - len,
			    "%s{\"index\":%d,\"value\":%llu,\"valueTwo\":%llu,\"op\":\"SCMP_"
			    "CMP_%s\"}",
			    a ? "," : "", rand() % 4 ? a : rand() % 6,
			    (unsigned long long)rand_val(), (unsigned long long)rand_val(),
			    ops[rand() % (shape == MIXED_EQ ? 2 : 7)]);
		len += snprintf(p + len, size - len, "]}");
	}
	snprintf(p + len, size - len, "]}");
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "r");
	static char buf[1 << 20];
	size_t n;

	if (!fp)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

/* Random profiles of a given shape; libseccomp refuses some (conflicting actions on equal
 * conditions): those are counted and skipped. */
static void random_profiles(const char *what, enum shape shape, int count, int max_rules,
			    int max_args)
{
	static char p[1 << 16], copy[1 << 16];
	int same = 0, refused = 0, differ = 0;

	for (int i = 0; i < count; i++) {
		int r;

		rand_profile(p, sizeof(p), max_rules, max_args, shape);
		memcpy(copy, p, sizeof(p));
		r = diff_one(p, what, 4000, false, shape != ANY);
		same += r == 0;
		refused += r < 0;
		if (r > 0 && getenv("SECCOMP_DIFF_DUMP"))
			diag("profile: %s", copy);
		if (r > 0 && !differ++) {
			FILE *fp = fopen("build/seccomp-diff-fail.json", "w");

			if (fp) {
				fputs(copy, fp);
				fclose(fp);
			}
		}
	}
	ok(differ == 0 && same >= count / 2,
	   "%s: %d profiles x 4000 calls: runt decides as libseccomp, or as the rules say where "
	   "libseccomp's filter contradicts them (%ld calls so far); %d refused by libseccomp",
	   what, same, lib_wrong, refused);
}

/* libseccomp's cost for one profile, as crun and runc pay it on every create. */
static int bench(const char *path, int rounds)
{
	static char text[1 << 20];
	char *src = read_file(path);
	struct timespec t0, t1;
	struct prog p;
	struct consts c;
	size_t len;

	if (!src)
		return fprintf(stderr, "seccomp-diff: cannot read %s\n", path), 1;
	len = strlen(src);
	memcpy(text, src, len + 1);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0); /* CPU time: the machine is shared */
	for (int i = 0; i < rounds; i++) {
		struct rt_err err = { 0 };
		struct json j;

		memcpy(src, text, len + 1);
		memset(&c, 0, sizeof(c));
		if (json_parse(&j, path, src, len, &err) < 0 || lib_compile(&j, &p, &c) < 0)
			return fprintf(stderr, "seccomp-diff: %s: cannot compile\n", path), 1;
		json_free(&j);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	printf("libseccomp_insns=%d\nlibseccomp_compile_us=%.1f\n", p.len,
	       ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / rounds / 1e3);
	return 0;
}

int main(int argc, char **argv)
{
	/* A fixed seed by default, so make check is the same run every time (some random
	 * profiles send libseccomp into minutes of tree merging); SECCOMP_DIFF_SEED=random
	 * explores, any number replays. */
	const char *env = getenv("SECCOMP_DIFF_SEED");
	unsigned seed = !env			? 20261125u
			: strcmp(env, "random") ? (unsigned)atoi(env)
						: (unsigned)time(NULL);

	char *def[] = { argv[0], "build/podman-seccomp.json" };

	if (argc == 4 && strcmp(argv[1], "--bench") == 0)
		return bench(argv[2], atoi(argv[3]));
	diag("seed %u (SECCOMP_DIFF_SEED reproduces a run)", seed);
	srand(seed);
	if (argc == 1 && access(def[1], R_OK) == 0) { /* make test-unit generates it */
		argc = 2;
		argv = def;
	}
	for (int i = 1; i < argc; i++) {
		char *text = read_file(argv[i]);

		if (!text) {
			ok(0, "read %s", argv[i]);
			continue;
		}
		is_int(diff_one(text, argv[i], 300000, true, true), 0,
		       "%s: 300000 calls decide alike", argv[i]);
	}
	random_profiles("unconditional rules", ANY, 300, 12, 0);
	random_profiles("one EQ/MASKED_EQ condition, mixed actions", MIXED_EQ, 300, 8, 1);
	random_profiles("up to 3 EQ/MASKED_EQ conditions, mixed actions", MIXED_EQ, 300, 6, 3);
	random_profiles("one condition, any op, one action", RANGE_ONE_ACTION, 300, 8, 1);
	random_profiles("up to 3 conditions, any op, one action", RANGE_ONE_ACTION, 300, 6, 3);
	/* overlapping rules of different actions: libseccomp's order then depends on which
	 * tree level decides; runt must still only ever pick an action the rules allow */
	random_profiles("up to 3 conditions, any op, mixed actions", ANY, 300, 6, 3);
	diag("calls where runt and libseccomp pick different matching rules: %ld", prio_differs);
	return tap_done();
}
