/* seccomp.c - linux.seccomp without libseccomp: the profile parsed with JSON-path errors,
 * syscall names resolved with a table generated from the libc's headers at build time, and
 * compiled to a compact classic-BPF decision tree for the native arch; loading it (child). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "fmt.h"
#include "log.h"
#include "fdpass.h"
#include "mini.h"
#include "seccomp.h"

/* Kernel ABI (linux/seccomp.h, linux/filter.h, linux/audit.h): musl has none of it. */
#define SECCOMP_SET_MODE_FILTER	 1
#define SECCOMP_GET_ACTION_AVAIL 2
#define FLAG_TSYNC		 (1U << 0)
#define FLAG_LOG		 (1U << 1)
#define FLAG_SPEC_ALLOW		 (1U << 2)
#define FLAG_NEW_LISTENER	 (1U << 3)
#define FLAG_TSYNC_ESRCH	 (1U << 4)
#define FLAG_WAIT_KILLABLE_RECV	 (1U << 5)

#define RET_KILL_PROCESS 0x80000000U
#define RET_KILL_THREAD	 0x00000000U
#define RET_TRAP	 0x00030000U
#define RET_ERRNO	 0x00050000U
#define RET_USER_NOTIF	 0x7fc00000U
#define RET_TRACE	 0x7ff00000U
#define RET_LOG		 0x7ffc0000U
#define RET_ALLOW	 0x7fff0000U
#define RET_ACTION_FULL	 0xffff0000U

#define BPF_LD_W_ABS 0x20 /* BPF_LD | BPF_W | BPF_ABS */
#define BPF_ALU_AND  0x54 /* BPF_ALU | BPF_AND | BPF_K */
#define BPF_JA	     0x05 /* BPF_JMP | BPF_JA */
#define BPF_JEQ	     0x15 /* BPF_JMP | BPF_JEQ | BPF_K */
#define BPF_JGT	     0x25
#define BPF_JGE	     0x35
#define BPF_RET_K    0x06

#define OFF_NR	 0
#define OFF_ARCH 4
#define OFF_ARGS 16

#define AUDIT_64 0x80000000U
#define AUDIT_LE 0x40000000U
#if defined(__x86_64__) && defined(__ILP32__)
#error "x32 is not a supported target"
#elif defined(__x86_64__)
#define NATIVE_ARCH	(AUDIT_64 | AUDIT_LE | 62)
#define NATIVE_NAME	"SCMP_ARCH_X86_64"
#define X32_SYSCALL_BIT 0x40000000U /* x32 calls carry this bit under the x86_64 audit arch */
#elif defined(__i386__)
#define NATIVE_ARCH (AUDIT_LE | 3)
#define NATIVE_NAME "SCMP_ARCH_X86"
#elif defined(__aarch64__)
#define NATIVE_ARCH (AUDIT_64 | AUDIT_LE | 183)
#define NATIVE_NAME "SCMP_ARCH_AARCH64"
#elif defined(__arm__) && defined(__ARMEL__)
#define NATIVE_ARCH (AUDIT_LE | 40)
#define NATIVE_NAME "SCMP_ARCH_ARM"
#elif defined(__riscv) && __riscv_xlen == 64
#define NATIVE_ARCH (AUDIT_64 | AUDIT_LE | 243)
#define NATIVE_NAME "SCMP_ARCH_RISCV64"
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NATIVE_ARCH (AUDIT_64 | AUDIT_LE | 21)
#define NATIVE_NAME "SCMP_ARCH_PPC64LE"
#elif defined(__s390x__)
#define NATIVE_ARCH (AUDIT_64 | 22)
#define NATIVE_NAME "SCMP_ARCH_S390X"
#elif defined(__loongarch64)
#define NATIVE_ARCH (AUDIT_64 | AUDIT_LE | 258)
#define NATIVE_NAME "SCMP_ARCH_LOONGARCH64"
#else
#error "unknown target arch: add its AUDIT_ARCH and SCMP_ARCH name to seccomp.c"
#endif

/* Where each 32-bit half of args[i] sits in struct seccomp_data. */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define OFF_LO(i) (OFF_ARGS + 8 * (i))
#define OFF_HI(i) (OFF_ARGS + 8 * (i) + 4)
#else
#define OFF_LO(i) (OFF_ARGS + 8 * (i) + 4)
#define OFF_HI(i) (OFF_ARGS + 8 * (i))
#endif
/* A 32-bit arch passes 32-bit registers: like libseccomp, only the low half is compared. */
#define ARGS_64 (__SIZEOF_LONG__ == 8)

#define MAX_RULES 4096

/* sc_packed, sc_nrs: the native arch's syscalls in name order (front-coded names) */
#include "sc_syscalls.h"

#define SC_NSYSCALLS ((int)(sizeof(sc_nrs) / sizeof(sc_nrs[0])))

struct action {
	const char *name;
	uint32_t ret;
	bool data; /* takes errnoRet as its 16-bit data */
};

/* SCMP_ACT_KILL is libseccomp's historic name for killing the thread. */
static const struct action actions[] = {
	{ "SCMP_ACT_KILL", RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", RET_KILL_PROCESS },
	{ "SCMP_ACT_KILL_THREAD", RET_KILL_THREAD },
	{ "SCMP_ACT_TRAP", RET_TRAP },
	{ "SCMP_ACT_ERRNO", RET_ERRNO, true },
	{ "SCMP_ACT_TRACE", RET_TRACE, true },
	{ "SCMP_ACT_ALLOW", RET_ALLOW },
	{ "SCMP_ACT_LOG", RET_LOG },
	{ "SCMP_ACT_NOTIFY", RET_USER_NOTIF },
};

enum op { OP_NE, OP_LT, OP_LE, OP_EQ, OP_GE, OP_GT, OP_MASKED_EQ, OP_COUNT };

static const char *const op_names[OP_COUNT] = {
	"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE",	    "SCMP_CMP_EQ",
	"SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ",
};

struct flag {
	const char *name;
	unsigned value;
};

static const struct flag flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", FLAG_SPEC_ALLOW },
	{ "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", FLAG_WAIT_KILLABLE_RECV },
};

/* Every arch name libseccomp knows: accepted in .architectures, filtered only if native. */
static const char *const arch_names[] = {
	"SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",	    "SCMP_ARCH_ARM",
	"SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",	   "SCMP_ARCH_MIPS64",	    "SCMP_ARCH_MIPS64N32",
	"SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
	"SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",	    "SCMP_ARCH_S390X",
	"SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",	    "SCMP_ARCH_LOONGARCH64",
	"SCMP_ARCH_M68K",    "SCMP_ARCH_SH",	   "SCMP_ARCH_SHEB",
};

struct cond {
	uint8_t arg, op;
	/* per tree level (half): the seq of the rule that created its node (mark_first); in
	 * the padding, as rt_qsort's swaps pay for every byte of struct rule */
	uint16_t first[2];
	uint64_t value, value2;
};

/* A rule's chain in libseccomp's tree: one level per 32-bit half compared. */
#define LEVELS_PER_COND (ARGS_64 ? 2 : 1)
#define MAX_LEVELS	(6 * LEVELS_PER_COND)

struct rule {
	uint32_t nr, ret;
	int seq; /* profile order */
	int ncond;
	struct cond c[6];
};

/* The parse state of one profile. */
struct prof {
	struct json *j;
	struct jpath p;
	struct sc_filter *f;
	uint32_t def;	    /* default action's return value */
	struct rule *rules; /* MAX_RULES, one allocation per compile */
	int nrules;
};

const char *sc_action_name(int i)
{
	return i >= 0 && i < (int)(sizeof(actions) / sizeof(actions[0])) ? actions[i].name : NULL;
}

const char *sc_op_name(int i)
{
	return i >= 0 && i < OP_COUNT ? op_names[i] : NULL;
}

const char *sc_arch_name(int i)
{
	return i == 0 ? NATIVE_NAME : NULL;
}

uint32_t sc_native_arch(void)
{
	return NATIVE_ARCH;
}

/* The i-th name, unpacked from sc_packed into bss on first use: each packed name is the
 * count of characters it shares with the previous one, then its own (all >= '0'). */
static const char *name_at(int i)
{
	static char names[SC_NAMES_SIZE];
	static uint16_t off[SC_NSYSCALLS];
	static bool unpacked;

	if (!unpacked) {
		const unsigned char *p = (const unsigned char *)sc_packed;
		char *o = names;

		for (int k = 0; k < SC_NSYSCALLS; k++) {
			if (k)
				memcpy(o, names + off[k - 1], *p);
			off[k] = o - names;
			o += *p++;
			while (*p >= '0')
				*o++ = *p++;
			*o++ = '\0';
		}
		unpacked = true;
	}
	return names + off[i];
}

const char *sc_syscall_name(int i)
{
	return i >= 0 && i < SC_NSYSCALLS ? name_at(i) : NULL;
}

int sc_syscall_nr(const char *name)
{
	int lo = 0, hi = SC_NSYSCALLS;

	while (lo < hi) {
		int mid = (lo + hi) / 2, c = strcmp(name, name_at(mid));

		if (!c)
			return sc_nrs[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

#define NAMES(tab) tab, sizeof(tab) / sizeof(tab[0]), sizeof(tab[0])

/* The string at tok names an entry of tab (n entries stride bytes apart, each starting with
 * its name, as NAMES() passes them): *idx, or "unknown <what>". */
static int get_name(struct prof *pr, int tok, const void *tab, size_t n, size_t stride,
		    const char *what, size_t *idx, struct rt_err *err)
{
	const char *name;
	int r = json_get_str(pr->j, tok, &pr->p, &name, err);

	if (r < 0)
		return r;
	for (*idx = 0; *idx < n; (*idx)++)
		if (!strcmp(name, *(const char *const *)((const char *)tab + *idx * stride)))
			return 0;
	return json_fail(err, pr->j, &pr->p, "unknown %s \"%s\"", what, name);
}

/* `key` of object `obj` names an action, `ekey` its errno; runc's defaults: EPERM. An
 * errnoRet beside an action without data is ignored, as libseccomp does. */
static int parse_action(struct prof *pr, int obj, const char *key, const char *ekey, uint32_t *ret,
			struct rt_err *err)
{
	int tok = json_find(pr->j, obj, key), etok = json_find(pr->j, obj, ekey), e = 1, r;
	size_t saved = jpath_key(&pr->p, key), i = 0;

	r = tok < 0 ? json_fail(err, pr->j, &pr->p, "required")
		    : get_name(pr, tok, NAMES(actions), "action", &i, err);
	jpath_pop(&pr->p, saved);
	if (r < 0)
		return r;
	if (etok >= 0 && json_kind(pr->j, etok) != JSON_NULL) {
		saved = jpath_key(&pr->p, ekey);
		r = json_get_int(pr->j, etok, &pr->p, 0, 0xffff, &e, err);
		jpath_pop(&pr->p, saved);
	}
	*ret = actions[i].ret | (actions[i].data ? (uint32_t)e : 0);
	return r;
}

static int get_u64(struct prof *pr, int obj, const char *key, bool need, uint64_t *v,
		   struct rt_err *err)
{
	int tok = json_find(pr->j, obj, key), r = 0;
	size_t saved = jpath_key(&pr->p, key);

	*v = 0;
	if (tok < 0 && need)
		r = json_fail(err, pr->j, &pr->p, "required");
	else if (tok >= 0)
		r = json_get_u64(pr->j, tok, &pr->p, v, err);
	jpath_pop(&pr->p, saved);
	return r;
}

static int parse_op(struct prof *pr, int obj, uint8_t *op, struct rt_err *err)
{
	int tok = json_find(pr->j, obj, "op"), r;
	size_t saved = jpath_key(&pr->p, "op"), i = 0;

	r = tok < 0 ? json_fail(err, pr->j, &pr->p, "required")
		    : get_name(pr, tok, NAMES(op_names), "operator", &i, err);
	jpath_pop(&pr->p, saved);
	*op = (uint8_t)i;
	return r;
}

/* {"index","value","valueTwo","op"}; libseccomp drops a MASKED_EQ with a zero mask (it
 * is always true) and compares the datum under the mask. */
static int parse_arg(struct prof *pr, int obj, struct cond *c, struct rt_err *err)
{
	int tok, idx = 0, r;
	size_t saved;

	if ((r = json_expect(pr->j, obj, &pr->p, JSON_OBJECT, err)) < 0)
		return r;
	tok = json_find(pr->j, obj, "index");
	saved = jpath_key(&pr->p, "index");
	r = tok < 0 ? json_fail(err, pr->j, &pr->p, "required")
		    : json_get_int(pr->j, tok, &pr->p, 0, 5, &idx, err);
	jpath_pop(&pr->p, saved);
	if (r < 0 || (r = get_u64(pr, obj, "value", true, &c->value, err)) < 0 ||
	    (r = get_u64(pr, obj, "valueTwo", false, &c->value2, err)) < 0 ||
	    (r = parse_op(pr, obj, &c->op, err)) < 0)
		return r;
	c->arg = (uint8_t)idx;
	if (c->op == OP_MASKED_EQ)
		c->value2 &= c->value;
	return 0;
}

#define MAX_ARGS 16 /* conditions in one syscalls[] entry (the same index may repeat) */

struct entry {
	const char *names[1024];
	int nnames;
	uint32_t ret;
	struct cond c[MAX_ARGS];
	int ncond;
};

static int parse_names(struct prof *pr, int obj, struct entry *e, struct rt_err *err)
{
	int tok = json_find(pr->j, obj, "names"), n, k, v, r = 0;
	size_t saved = jpath_key(&pr->p, "names");

	if (tok < 0)
		r = json_fail(err, pr->j, &pr->p, "required");
	else if ((r = json_expect(pr->j, tok, &pr->p, JSON_ARRAY, err)) == 0 &&
		 pr->j->tok[tok].size == 0)
		r = json_fail(err, pr->j, &pr->p, "must name at least one syscall");
	else if (r == 0 && pr->j->tok[tok].size > 1024)
		r = json_fail(err, pr->j, &pr->p, "more than 1024 names");
	if (r < 0)
		return jpath_pop(&pr->p, saved), r;
	JSON_FOR_EACH(pr->j, tok, n, k, v)
	{
		size_t s2 = jpath_idx(&pr->p, n);

		r = json_get_str(pr->j, v, &pr->p, &e->names[n], err);
		jpath_pop(&pr->p, s2);
		if (r < 0)
			break;
	}
	e->nnames = n;
	jpath_pop(&pr->p, saved);
	return r;
}

static int parse_args(struct prof *pr, int obj, struct entry *e, struct rt_err *err)
{
	int tok = json_find(pr->j, obj, "args"), n, k, v, r = 0;
	size_t saved = jpath_key(&pr->p, "args");

	e->ncond = 0;
	if (tok < 0 || json_kind(pr->j, tok) == JSON_NULL)
		return jpath_pop(&pr->p, saved), 0;
	if ((r = json_expect(pr->j, tok, &pr->p, JSON_ARRAY, err)) == 0 &&
	    pr->j->tok[tok].size > MAX_ARGS)
		r = json_fail(err, pr->j, &pr->p, "more than %d conditions", MAX_ARGS);
	if (r < 0)
		return jpath_pop(&pr->p, saved), r;
	JSON_FOR_EACH(pr->j, tok, n, k, v)
	{
		size_t s2 = jpath_idx(&pr->p, n);

		r = parse_arg(pr, v, &e->c[e->ncond++], err);
		jpath_pop(&pr->p, s2);
		if (r < 0)
			break;
	}
	jpath_pop(&pr->p, saved);
	return r;
}

static struct rule *new_rule(struct prof *pr, int nr, uint32_t ret, struct rt_err *err)
{
	struct rule *ru;

	if (pr->nrules == MAX_RULES) {
		json_fail(err, pr->j, &pr->p, "more than %d rules", MAX_RULES);
		return NULL;
	}
	ru = &pr->rules[pr->nrules];
	memset(ru, 0, sizeof(*ru));
	ru->nr = (uint32_t)nr;
	ru->ret = ret;
	ru->seq = pr->nrules++;
	return ru;
}

static bool repeats_index(const struct entry *e)
{
	unsigned seen = 0;

	for (int i = 0; i < e->ncond; i++) {
		if (seen & 1U << e->c[i].arg)
			return true;
		seen |= 1U << e->c[i].arg;
	}
	return false;
}

static bool always_true(const struct cond *c)
{
	return c->op == OP_MASKED_EQ && (ARGS_64 ? c->value : (uint32_t)c->value) == 0;
}

/* AND is commutative: keep a rule's conditions by argument index, libseccomp's chain order. */
static void insert_cond(struct rule *ru, const struct cond *c)
{
	int i = ru->ncond++;

	for (; i > 0 && ru->c[i - 1].arg > c->arg; i--)
		ru->c[i] = ru->c[i - 1];
	ru->c[i] = *c;
}

/* Like runc (and crun): conditions that repeat an argument index cannot be AND-ed by
 * libseccomp, so each becomes a rule of its own (OR); otherwise one rule ANDs them. */
static int add_rules(struct prof *pr, int nr, const struct entry *e, struct rt_err *err)
{
	struct rule *ru = NULL;

	if (!repeats_index(e) && !(ru = new_rule(pr, nr, e->ret, err)))
		return -EINVAL;
	for (int i = 0; i < e->ncond; i++) {
		if (repeats_index(e) && !(ru = new_rule(pr, nr, e->ret, err)))
			return -EINVAL;
		if (!always_true(&e->c[i]))
			insert_cond(ru, &e->c[i]);
	}
	return 0;
}

/* NOTIFY on the syscall that carries the listener fd out would block runt's child forever
 * (runc refuses it on write for the same reason). */
static int check_notify(struct prof *pr, const struct entry *e, struct rt_err *err)
{
	if (e->ret != RET_USER_NOTIF)
		return 0;
	for (int i = 0; i < e->nnames; i++)
		if (!strcmp(e->names[i], "sendmsg"))
			return json_fail(err, pr->j, &pr->p,
					 "SCMP_ACT_NOTIFY cannot be used for \"sendmsg\": runt "
					 "sends the listener fd with it");
	pr->f->notify = true;
	return 0;
}

static int parse_syscall(struct prof *pr, int obj, struct rt_err *err)
{
	static struct entry e; /* parent only; too big for a comfortable stack frame */
	int r, nr;

	if ((r = json_expect(pr->j, obj, &pr->p, JSON_OBJECT, err)) < 0 ||
	    (r = parse_names(pr, obj, &e, err)) < 0 ||
	    (r = parse_action(pr, obj, "action", "errnoRet", &e.ret, err)) < 0 ||
	    (r = parse_args(pr, obj, &e, err)) < 0)
		return r;
	/* libseccomp refuses a rule that repeats the default action: runc drops it */
	if (e.ret == pr->def)
		return 0;
	if ((r = check_notify(pr, &e, err)) < 0)
		return r;
	for (int i = 0; i < e.nnames; i++) {
		if ((nr = sc_syscall_nr(e.names[i])) < 0) {
			log_msg(LOG_DEBUG, "seccomp: syscall \"%s\" unknown on %s: skipped",
				e.names[i], NATIVE_NAME);
			continue;
		}
		if ((r = add_rules(pr, nr, &e, err)) < 0)
			return r;
	}
	return 0;
}

/* fn on each element of the array `key` of obj (absent or null: none), under its path. */
static int each(struct prof *pr, int obj, const char *key,
		int (*fn)(struct prof *pr, int v, struct rt_err *err), struct rt_err *err)
{
	int tok = json_find(pr->j, obj, key), n, k, v, r = 0;
	size_t saved = jpath_key(&pr->p, key);

	if (tok >= 0 && json_kind(pr->j, tok) != JSON_NULL &&
	    (r = json_expect(pr->j, tok, &pr->p, JSON_ARRAY, err)) == 0)
		JSON_FOR_EACH(pr->j, tok, n, k, v)
		{
			size_t s2 = jpath_idx(&pr->p, n);

			r = fn(pr, v, err);
			jpath_pop(&pr->p, s2);
			if (r < 0)
				break;
		}
	jpath_pop(&pr->p, saved);
	return r;
}

/* SECCOMP_FILTER_FLAG_* names this kernel ABI knows; sc_check_kernel asks the kernel. */
static int parse_flag(struct prof *pr, int v, struct rt_err *err)
{
	size_t i;
	int r = get_name(pr, v, NAMES(flags), "flag", &i, err);

	if (r == 0)
		pr->f->flags |= flags[i].value;
	return r;
}

/* Only the native arch gets the rules; any other arch gets the default action, or is
 * killed when that action would let it pass (generate()). */
static int parse_arch(struct prof *pr, int v, struct rt_err *err)
{
	size_t i;
	int r = get_name(pr, v, NAMES(arch_names), "architecture", &i, err);

	if (r == 0 && strcmp(arch_names[i], NATIVE_NAME))
		log_msg(LOG_DEBUG, "seccomp: %s calls get the default action", arch_names[i]);
	return r;
}

static int get_str(struct prof *pr, int obj, const char *key, const char **out, struct rt_err *err)
{
	int tok = json_find(pr->j, obj, key), r = 0;
	size_t saved = jpath_key(&pr->p, key);

	*out = NULL;
	if (tok >= 0 && json_kind(pr->j, tok) != JSON_NULL)
		r = json_get_str(pr->j, tok, &pr->p, out, err);
	jpath_pop(&pr->p, saved);
	return r;
}

static int parse_profile(struct prof *pr, int obj, struct rt_err *err)
{
	struct sc_filter *f = pr->f;
	int r;

	if ((r = json_expect(pr->j, obj, &pr->p, JSON_OBJECT, err)) < 0 ||
	    (r = parse_action(pr, obj, "defaultAction", "defaultErrnoRet", &pr->def, err)) < 0 ||
	    (r = each(pr, obj, "architectures", parse_arch, err)) < 0 ||
	    (r = each(pr, obj, "flags", parse_flag, err)) < 0 ||
	    (r = get_str(pr, obj, "listenerPath", &f->listener_path, err)) < 0 ||
	    (r = get_str(pr, obj, "listenerMetadata", &f->listener_metadata, err)) < 0)
		return r;
	if (pr->def == RET_USER_NOTIF)
		return json_fail(err, pr->j, &pr->p,
				 "defaultAction: SCMP_ACT_NOTIFY cannot be the default action");
	if ((r = each(pr, obj, "syscalls", parse_syscall, err)) < 0)
		return r;
	if (f->notify && (!f->listener_path || !*f->listener_path))
		return json_fail(err, pr->j, &pr->p,
				 "listenerPath: required when a rule uses SCMP_ACT_NOTIFY");
	return 0;
}

/* The code generator fills the buffer from its end: every jump target is already placed
 * when a jump is emitted, so an 8-bit conditional offset that does not reach gets a
 * trampoline (a copy of the RET, or a 32-bit JA) right behind it. */
struct gen {
	struct sc_insn *ins;
	int top; /* first used slot */
	bool full;
	struct {
		uint32_t k;
		int pos;
	} rets[32]; /* the nearest RET of each action, shared by the jumps that reach it */
	int nrets;
};

static int emit(struct gen *g, uint16_t code, uint32_t k, int jt, int jf)
{
	if (g->top == 0) {
		g->full = true;
		return 0;
	}
	g->ins[--g->top] = (struct sc_insn){ code, (uint8_t)jt, (uint8_t)jf, k };
	return g->top;
}

static int ret(struct gen *g, uint32_t k)
{
	int i = 0, pos;

	while (i < g->nrets && g->rets[i].k != k)
		i++;
	if (i < g->nrets)
		return g->rets[i].pos;
	pos = emit(g, BPF_RET_K, k, 0, 0);
	if (i == 32)
		i = (int)(k % 32); /* table full: forget one; it only costs a RET copy */
	else
		g->nrets++;
	g->rets[i].k = k;
	g->rets[i].pos = pos;
	return pos;
}

static int far(struct gen *g, int target)
{
	int p = g->top - 1;

	if (g->ins[target].code == BPF_RET_K) {
		for (int i = 0; i < g->nrets; i++)
			if (g->rets[i].k == g->ins[target].k)
				g->rets[i].pos = p;
		return emit(g, BPF_RET_K, g->ins[target].k, 0, 0);
	}
	return emit(g, BPF_JA, (uint32_t)(target - p - 1), 0, 0);
}

static int jump(struct gen *g, uint16_t code, uint32_t k, int t, int f)
{
	for (;;) {
		int p = g->top - 1;

		if (g->full)
			return 0;
		if (t - p - 1 > 255)
			t = far(g, t);
		else if (f - p - 1 > 255)
			f = far(g, f);
		else
			return emit(g, code, k, t - p - 1, f - p - 1);
	}
}

static int load(struct gen *g, uint32_t off)
{
	return emit(g, BPF_LD_W_ABS, off, 0, 0);
}

/* EQ, NE and MASKED_EQ: both halves equal (under the mask); NE swaps the outcomes. */
static int cond_eq(struct gen *g, const struct cond *c, int t, int f)
{
	uint64_t m = c->op == OP_MASKED_EQ ? c->value : ~0ULL;
	uint64_t d = c->op == OP_MASKED_EQ ? c->value2 : c->value;
	int entry = t;

	if ((uint32_t)m) {
		entry = jump(g, BPF_JEQ, (uint32_t)d, t, f);
		if ((uint32_t)m != 0xffffffffU)
			emit(g, BPF_ALU_AND, (uint32_t)m, 0, 0);
		entry = load(g, OFF_LO(c->arg));
	}
	if (!ARGS_64 || !(m >> 32))
		return entry;
	jump(g, BPF_JEQ, (uint32_t)(d >> 32), entry, f);
	if (m >> 32 != 0xffffffffU)
		emit(g, BPF_ALU_AND, (uint32_t)(m >> 32), 0, 0);
	return load(g, OFF_HI(c->arg));
}

/* GT/GE: high half greater, or equal and the low half GT/GE (unsigned, as libseccomp);
 * LE and LT are the negations of GT and GE. */
static int cond_order(struct gen *g, const struct cond *c, int t, int f)
{
	uint16_t lo_op = c->op == OP_GT || c->op == OP_LE ? BPF_JGT : BPF_JGE;
	int entry, eq;

	if (c->op == OP_LT || c->op == OP_LE) {
		int swap = t;

		t = f;
		f = swap;
	}
	jump(g, lo_op, (uint32_t)c->value, t, f);
	entry = load(g, OFF_LO(c->arg));
	if (!ARGS_64)
		return entry;
	eq = jump(g, BPF_JEQ, (uint32_t)(c->value >> 32), entry, f);
	jump(g, BPF_JGT, (uint32_t)(c->value >> 32), t, eq);
	return load(g, OFF_HI(c->arg));
}

static int cond(struct gen *g, const struct cond *c, int t, int f)
{
	if (c->op == OP_NE)
		return cond_eq(g, c, f, t);
	if (c->op == OP_EQ || c->op == OP_MASKED_EQ)
		return cond_eq(g, c, t, f);
	return cond_order(g, c, t, f);
}

/* A syscall with conditional rules: the first whose conditions all hold decides; none
 * holding means the default action. */
static int group_block(struct gen *g, const struct rule *r, int n, uint32_t def)
{
	int next = ret(g, def);

	for (int i = n - 1; i >= 0; i--) {
		int t = ret(g, r[i].ret);

		for (int c = r[i].ncond - 1; c >= 0; c--)
			t = cond(g, &r[i].c[c], t, next);
		next = t;
	}
	return next;
}

/* The syscall-number space cut into intervals that share one outcome: a plain action
 * (consecutive allowed syscalls merge) or the block of one syscall with conditions. */
struct interval {
	uint32_t start;
	uint32_t ret;
	int first, n; /* rules of a conditional syscall; n == 0: plain `ret` */
};

static int op_rank(uint8_t op)
{
	return op == OP_GT || op == OP_GE ? 1 : op == OP_LT || op == OP_LE ? 2 : 3;
}

/* One 32-bit half of a condition as libseccomp's tree sees it. */
struct node {
	int arg, rank;
	uint32_t op, datum, mask;
};

static struct node half(const struct cond *c, bool hi)
{
	uint64_t m = c->op == OP_MASKED_EQ ? c->value : ~0ULL;
	uint64_t d = (c->op == OP_MASKED_EQ ? c->value2 : c->value) & m;
	struct node n = { c->arg, op_rank(c->op), c->op, (uint32_t)(hi ? d >> 32 : d),
			  (uint32_t)(hi ? m >> 32 : m) };

	if (c->op == OP_NE)
		n.op = OP_EQ;
	else if (c->op != OP_EQ && c->op != OP_MASKED_EQ)
		n.op = hi || c->op == OP_GT || c->op == OP_LE ? OP_GT : OP_GE;
	return n;
}

static int levels(const struct rule *r)
{
	return r->ncond * LEVELS_PER_COND;
}

/* Level l of a rule's chain: each condition's high half (64-bit args only), then its low. */
static struct node level(const struct rule *r, int l)
{
	return half(&r->c[l / LEVELS_PER_COND], ARGS_64 && l % 2 == 0);
}

static uint16_t first(const struct rule *r, int l)
{
	return r->c[l / LEVELS_PER_COND].first[l % LEVELS_PER_COND];
}

/* libseccomp's _db_chain_lt: higher argument index first, then EQ/NE/MASKED_EQ before
 * LT/LE before GT/GE, then the larger datum (the smaller for LT/LE). 0: neither first. */
static int cmp_node(struct node x, struct node y)
{
	if (x.arg != y.arg)
		return x.arg > y.arg ? -1 : 1;
	if (x.rank != y.rank)
		return x.rank > y.rank ? -1 : 1;
	if (x.datum != y.datum) {
		if (x.rank == 2)
			return x.datum < y.datum ? -1 : 1;
		return x.datum > y.datum ? -1 : 1;
	}
	return 0;
}

/* libseccomp's _db_chain_eq: one node of the tree, which the rules sharing it merge into. */
static bool same_node(struct node x, struct node y)
{
	return !cmp_node(x, y) && x.op == y.op && x.mask == y.mask;
}

/* How many levels of two chains lie on the same tree nodes. */
static int shared(const struct rule *x, const struct rule *y)
{
	int n = levels(x) < levels(y) ? levels(x) : levels(y), l = 0;

	while (l < n && same_node(level(x, l), level(y, l)))
		l++;
	return l;
}

/* Each level's node identity in turn (libseccomp's _db_chain_eq as an order): the rules
 * that share a tree node down to some level become neighbours. */
static int cmp_path(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	int c;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	for (int l = 0; l < levels(x) && l < levels(y); l++) {
		struct node p = level(x, l), q = level(y, l);

		if ((c = cmp_node(p, q)) != 0)
			return c;
		if (p.op != q.op)
			return p.op < q.op ? -1 : 1;
		if (p.mask != q.mask)
			return p.mask < q.mask ? -1 : 1;
	}
	if (x->ncond != y->ncond)
		return x->ncond < y->ncond ? -1 : 1;
	return x->seq - y->seq;
}

/* libseccomp adds a rule's chain level by level: a node equal to one on the level merges
 * into it, any other goes before the first node _db_chain_lt puts after it, so behind the
 * ties already there (equal datum, other op or mask). A tie on a level is thus broken by
 * which node was created first, i.e. by the earliest rule that shares it: not by the two
 * rules compared, whose order a third rule can decide (and a sort needs a total order).
 * `r`: one syscall's rules in cmp_path order, where each node's rules are a run. */
static void mark_first(struct rule *r, int n)
{
	for (int l = 0; l < MAX_LEVELS; l++)
		for (int i = 0, end; i < n; i = end) {
			int min = r[i].seq;

			for (end = i + 1; end < n && shared(&r[end - 1], &r[end]) > l; end++)
				min = r[end].seq < min ? r[end].seq : min;
			for (int k = i; k < end; k++)
				r[k].c[l / LEVELS_PER_COND].first[l % LEVELS_PER_COND] =
				    (uint16_t)min;
		}
}

/* libseccomp's tree, tried depth first, as a sort of the rules: the first whose conditions
 * hold wins. A rule that is a prefix of another comes first (libseccomp drops the longer). */
static int cmp_rule(const void *a, const void *b)
{
	const struct rule *x = a, *y = b;
	int c;

	if (x->nr != y->nr)
		return x->nr < y->nr ? -1 : 1;
	for (int l = 0; l < levels(x) && l < levels(y); l++) {
		if ((c = cmp_node(level(x, l), level(y, l))) != 0)
			return c;
		if (first(x, l) != first(y, l))
			return first(x, l) < first(y, l) ? -1 : 1;
	}
	if (x->ncond != y->ncond)
		return x->ncond < y->ncond ? -1 : 1;
	return x->seq - y->seq;
}

/* Each syscall's rules in the order libseccomp's filter tries them. */
static void order_rules(struct rule *rules, int n)
{
	rt_qsort(rules, n, sizeof(rules[0]), cmp_path);
	for (int i = 0, end; i < n; i = end) {
		for (end = i; end < n && rules[end].nr == rules[i].nr;)
			end++;
		if (end - i == 1)
			continue; /* nothing to order */
		mark_first(rules + i, end - i);
		rt_qsort(rules + i, end - i, sizeof(rules[0]), cmp_rule);
	}
}

static void add_interval(struct interval *iv, int *n, uint32_t start, uint32_t ret, int first,
			 int cnt)
{
	if (*n && !cnt && !iv[*n - 1].n && iv[*n - 1].ret == ret)
		return; /* same plain action as the interval before: extend it */
	iv[(*n)++] = (struct interval){ start, ret, first, cnt };
}

/* libseccomp keeps the first unconditional rule of a syscall and drops its conditional
 * ones; otherwise the conditional rules are tried in order. */
static int intervals(struct prof *pr, struct interval *iv)
{
	int n = 0, i = 0;
	uint32_t next = 0;

	while (i < pr->nrules) {
		const struct rule *r = &pr->rules[i];
		int end = i, unc = -1;

		while (end < pr->nrules && pr->rules[end].nr == r->nr)
			end++;
		for (int k = end - 1; k >= i; k--)
			if (!pr->rules[k].ncond)
				unc = k;
		if (r->nr > next)
			add_interval(iv, &n, next, pr->def, 0, 0);
		if (unc >= 0)
			add_interval(iv, &n, r->nr, pr->rules[unc].ret, 0, 0);
		else
			add_interval(iv, &n, r->nr, 0, i, end - i);
		next = r->nr + 1;
		i = end;
	}
	if (next != 0 && (n == 0 || next > iv[n - 1].start))
		add_interval(iv, &n, next, pr->def, 0, 0);
	if (n == 0)
		add_interval(iv, &n, 0, pr->def, 0, 0);
	return n;
}

/* Binary search over interval starts: log2(n) unsigned compares reach any syscall. */
static int tree(struct gen *g, const struct interval *iv, const int *block, int lo, int hi)
{
	int mid = lo + (hi - lo) / 2, right, left;

	if (hi - lo == 1)
		return iv[lo].n ? block[lo] : ret(g, iv[lo].ret);
	right = tree(g, iv, block, mid, hi);
	left = tree(g, iv, block, lo, mid);
	return jump(g, BPF_JGE, iv[mid].start, right, left);
}

static int generate(struct prof *pr, struct interval *iv, int *block, struct rt_err *err)
{
	struct gen g = { .ins = pr->f->insns, .top = SC_MAX_INSNS };
	int n, root;
	/* Another ABI's calls (i386 or x32 on x86_64, 32-bit ARM on aarch64) have numbers the
	 * rules never name: a default that lets calls run would let them sidestep every rule,
	 * so they kill the process instead, as libseccomp does for an arch outside its filter. */
	uint32_t foreign =
	    pr->nrules && (pr->def == RET_ALLOW || pr->def == RET_LOG) ? RET_KILL_PROCESS : pr->def;

	order_rules(pr->rules, pr->nrules);
	n = intervals(pr, iv);
	ret(&g, pr->def); /* the last instruction: a syscall without rules */
	for (int i = n - 1; i >= 0; i--)
		if (iv[i].n)
			block[i] = group_block(&g, &pr->rules[iv[i].first], iv[i].n, pr->def);
	root = tree(&g, iv, block, 0, n);
#ifdef X32_SYSCALL_BIT
	root = jump(&g, BPF_JGE, X32_SYSCALL_BIT, ret(&g, foreign), root);
#endif
	root = load(&g, OFF_NR);
	jump(&g, BPF_JEQ, NATIVE_ARCH, root, ret(&g, foreign));
	load(&g, OFF_ARCH);
	if (g.full)
		return json_fail(err, pr->j, &pr->p,
				 "the profile needs more than %d BPF instructions", SC_MAX_INSNS);
	pr->f->len = (uint16_t)(SC_MAX_INSNS - g.top);
	memmove(pr->f->insns, pr->f->insns + g.top, pr->f->len * sizeof(pr->f->insns[0]));
	return 0;
}

int sc_compile(struct json *doc, int tok, const char *path, struct sc_filter *f, struct rt_err *err)
{
	struct prof pr = { .j = doc, .f = f };
	struct interval *iv;
	int *block, r;

	f->present = f->notify = false;
	f->flags = 0;
	f->len = 0;
	f->listener_path = f->listener_metadata = NULL;
	pr.p.len = (size_t)rt_snprintf(pr.p.s, sizeof(pr.p.s), "%s", path) % sizeof(pr.p.s);
	pr.rules = malloc(MAX_RULES * sizeof(*pr.rules));
	iv = malloc((2 * MAX_RULES + 2) * sizeof(*iv));
	block = malloc((2 * MAX_RULES + 2) * sizeof(*block));
	if (!pr.rules || !iv || !block)
		r = rt_errnofail(err, ENOMEM, "seccomp");
	else if ((r = parse_profile(&pr, tok, err)) == 0)
		r = generate(&pr, iv, block, err);
	free(pr.rules);
	free(iv);
	free(block);
	if (r < 0)
		return r;
	if (f->notify)
		f->flags |= FLAG_NEW_LISTENER | (f->flags & FLAG_TSYNC ? FLAG_TSYNC_ESRCH : 0);
	else
		f->flags &= ~FLAG_WAIT_KILLABLE_RECV; /* the kernel wants a listener with it */
	f->present = true;
	return 0;
}

static const char *ret_name(uint32_t ret)
{
	for (size_t i = 1; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (actions[i].ret == (ret & RET_ACTION_FULL))
			return actions[i].name;
	return "?";
}

/* Unknown flags fail with EINVAL before the kernel reads the (NULL) program, known ones
 * with EFAULT: libseccomp probes flags the same way. */
int sc_check_kernel(const struct sc_filter *f, struct rt_err *err)
{
	if (!f->present)
		return 0;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, NULL) == 0 || errno != EFAULT)
		return rt_sysfail(err, "seccomp: this kernel refuses the filter flags 0x%x",
				  f->flags);
	for (int i = 0; i < f->len; i++) {
		uint32_t action = f->insns[i].k & RET_ACTION_FULL;

		if (f->insns[i].code != BPF_RET_K)
			continue;
		if (syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) < 0)
			return rt_sysfail(err, "seccomp: this kernel lacks %s", ret_name(action));
	}
	return 0;
}

int sc_load(const struct sc_filter *f, int *listener, struct rt_err *err)
{
	struct {
		unsigned short len;
		const struct sc_insn *filter;
	} prog = { f->len, f->insns }; /* struct sock_fprog */
	long r;

	*listener = -1;
	if (!f->present)
		return 0;
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, f->flags, &prog);
	if (r < 0)
		return rt_sysfail(err, "load the seccomp filter");
	if (f->flags & FLAG_NEW_LISTENER)
		*listener = (int)r;
	return 0;
}

/* The container process state (runtime-spec, seccomp user notification). */
static void state_json(struct jw *w, const struct sc_filter *f, const struct spec *s,
		       const char *id, const char *bundle, pid_t pid)
{
	jw_raw(w, "{\"ociVersion\":\"" SPEC_OCI_VERSION "\",\"fds\":[\"seccompFd\"],");
	jw_printf(w, "\"pid\":%d,\"metadata\":", (int)pid);
	jw_str(w, f->listener_metadata ? f->listener_metadata : "");
	jw_raw(w, ",\"state\":{\"ociVersion\":\"" SPEC_OCI_VERSION "\",\"id\":");
	jw_str(w, id);
	jw_printf(w, ",\"status\":\"creating\",\"pid\":%d,\"bundle\":", (int)pid);
	jw_str(w, bundle);
	if (s->nannotations)
		jw_raw(w, ",\"annotations\":{");
	for (int i = 0; i < s->nannotations; i++) {
		jw_raw(w, i ? "," : "");
		jw_str(w, s->annotations[i].key);
		jw_raw(w, ":");
		jw_str(w, s->annotations[i].value);
	}
	jw_raw(w, s->nannotations ? "}}}" : "}}");
}

int sc_send_listener(const struct sc_filter *f, int fd, const struct spec *s, const char *id,
		     const char *bundle, pid_t pid, struct rt_err *err)
{
	static char buf[65536];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct jw w;
	int sock, r = 0;

	jw_init(&w, buf, sizeof(buf));
	state_json(&w, f, s, id, bundle, pid);
	if (w.overflow)
		return rt_fail(err, E2BIG, "seccomp: container state larger than %zu bytes",
			       sizeof(buf));
	if (strlen(f->listener_path) >= sizeof(sa.sun_path))
		return rt_fail(err, ENAMETOOLONG, "seccomp: listenerPath %s: too long",
			       f->listener_path);
	strcpy(sa.sun_path, f->listener_path);
	sock = rt_socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sock < 0)
		return rt_sysfail(err, "seccomp: socket");
	if (connect(sock, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		r = rt_sysfail(err, "seccomp: connect to listenerPath %s", f->listener_path);
	else if (fdpass_send(sock, fd, buf, w.len) < 0)
		r = rt_sysfail(err, "seccomp: send the listener fd to %s", f->listener_path);
	close(sock);
	return r;
}
