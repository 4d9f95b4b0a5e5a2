/* test_seccomp.c - linux.seccomp compiled by seccomp.c and run in a userspace BPF
 * interpreter: every action and operator (64-bit edges), rule precedence, the arch checks,
 * long jumps in big programs, and the exact JSON-path errors of malformed profiles. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "bpf_interp.h"
#include "seccomp.h"
#include "tap.h"

#define ALLOW	 0x7fff0000U
#define KILL_T	 0x00000000U
#define KILL_P	 0x80000000U
#define TRAP	 0x00030000U
#define ERRNO(e) (0x00050000U | (e))
#define TRACE(e) (0x7ff00000U | (e))
#define LOG	 0x7ffc0000U
#define NOTIFY	 0x7fc00000U

static struct sc_filter f;
static char doc[1 << 20];

/* Profiles are written with ' for " to stay readable. */
static int compile(const char *profile, struct rt_err *err)
{
	struct json j;
	int r;

	snprintf(doc, sizeof(doc), "%s", profile);
	for (char *p = doc; *p; p++)
		if (*p == '\'')
			*p = '"';
	if ((r = json_parse(&j, "config.json", doc, strlen(doc), err)) == 0)
		r = sc_compile(&j, 0, ".linux.seccomp", &f, err);
	json_free(&j);
	return r;
}

static uint32_t run_on(uint32_t arch, int nr, const uint64_t *args)
{
	struct bpf_data_t d = { .nr = nr, .arch = arch };

	/* a 32-bit process's arguments are 32-bit registers: their high halves are zero */
	for (int i = 0; args && i < 6; i++)
		d.args[i] = (unsigned long)args[i];
	return bpf_run(f.insns, f.len, &d, NULL);
}

/* name: a call every arch has (mkdirat, not mkdir: aarch64 has no mkdir) */
static uint32_t run(const char *name, uint64_t a0, uint64_t a1)
{
	uint64_t args[6] = { a0, a1 };

	if (sc_syscall_nr(name) < 0)
		diag("%s: no such call on this arch", name);

	return run_on(sc_native_arch(), sc_syscall_nr(name), args);
}

static void must_compile(const char *profile, const char *what)
{
	struct rt_err err = { 0 };
	int r = compile(profile, &err);

	if (!ok(r == 0, "%s compiles", what))
		diag("%s", err.msg);
}

static void test_actions(void)
{
	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x','syscalls':["
		     "{'names':['getpid'],'action':'SCMP_ACT_KILL'},"
		     "{'names':['getppid'],'action':'SCMP_ACT_KILL_PROCESS'},"
		     "{'names':['gettid'],'action':'SCMP_ACT_KILL_THREAD'},"
		     "{'names':['getuid'],'action':'SCMP_ACT_TRAP'},"
		     "{'names':['getgid'],'action':'SCMP_ACT_ERRNO','errnoRet':38},"
		     "{'names':['geteuid'],'action':'SCMP_ACT_ERRNO'},"
		     "{'names':['getegid'],'action':'SCMP_ACT_TRACE','errnoRet':5},"
		     "{'names':['getpgid'],'action':'SCMP_ACT_TRACE'},"
		     "{'names':['getsid'],'action':'SCMP_ACT_LOG'},"
		     "{'names':['sync'],'action':'SCMP_ACT_NOTIFY'},"
		     "{'names':['umask'],'action':'SCMP_ACT_ALLOW'}]}",
		     "one rule per action");
	is_int(run("getpid", 0, 0), KILL_T, "SCMP_ACT_KILL kills the thread");
	is_int(run("getppid", 0, 0), KILL_P, "SCMP_ACT_KILL_PROCESS");
	is_int(run("gettid", 0, 0), KILL_T, "SCMP_ACT_KILL_THREAD");
	is_int(run("getuid", 0, 0), TRAP, "SCMP_ACT_TRAP");
	is_int(run("getgid", 0, 0), ERRNO(38), "SCMP_ACT_ERRNO with errnoRet 38");
	is_int(run("geteuid", 0, 0), ERRNO(EPERM), "SCMP_ACT_ERRNO defaults to EPERM");
	is_int(run("getegid", 0, 0), TRACE(5), "SCMP_ACT_TRACE with errnoRet 5");
	is_int(run("getpgid", 0, 0), TRACE(EPERM), "SCMP_ACT_TRACE defaults to EPERM (runc)");
	is_int(run("getsid", 0, 0), LOG, "SCMP_ACT_LOG");
	is_int(run("sync", 0, 0), NOTIFY, "SCMP_ACT_NOTIFY");
	is_int(run("umask", 0, 0), ALLOW, "a rule with the default action changes nothing");
	is_int(run("read", 0, 0), ALLOW, "no rule: the default action");
	ok(f.notify && (f.flags & 8),
	   "NOTIFY asks for a listener (SECCOMP_FILTER_FLAG_NEW_LISTENER)");

	must_compile("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,'syscalls':["
		     "{'names':['read'],'action':'SCMP_ACT_ERRNO'}]}",
		     "defaultErrnoRet");
	is_int(run("write", 0, 0), ERRNO(38), "the default action takes defaultErrnoRet");
	is_int(run("read", 0, 0), ERRNO(EPERM), "a rule's ERRNO does not take defaultErrnoRet");
	must_compile("{'defaultAction':'SCMP_ACT_KILL_PROCESS'}", "no syscalls at all");
	is_int(run("read", 0, 0), KILL_P, "empty profile: everything gets the default");
}

static const uint64_t edge[] = {
	0,
	1,
	4,
	5,
	6,
	0xffffffffULL,
	0x100000000ULL,
	0x100000004ULL,
	0x100000005ULL,
	0x100000006ULL,
	0x1ffffffffULL,
	0x200000005ULL,
	0x7fffffffffffffffULL,
	0x8000000000000000ULL,
	0xfffffffffffffffbULL,
	0xffffffff00000005ULL,
	0xfffffffffffffffeULL,
	0xffffffffffffffffULL,
};

/* On a 32-bit arch only the low halves count (libseccomp drops the high ones). */
static bool op_holds(const char *op, uint64_t a, uint64_t v, uint64_t v2)
{
	a = (unsigned long)a, v = (unsigned long)v, v2 = (unsigned long)v2;
	if (!strcmp(op, "NE"))
		return a != v;
	if (!strcmp(op, "LT"))
		return a < v;
	if (!strcmp(op, "LE"))
		return a <= v;
	if (!strcmp(op, "EQ"))
		return a == v;
	if (!strcmp(op, "GE"))
		return a >= v;
	if (!strcmp(op, "GT"))
		return a > v;
	return (a & v) == (v2 & v);
}

/* Rules whose nodes tie on a tree level (equal datum, other op or mask): libseccomp keeps
 * the node created first in front, so a third rule sharing a node can decide the order of
 * two others (the three below once made a cycle of runt's sort). From seccomp-diff. */
#define FCNTL_A                                                                                    \
	"{'names':['fcntl'],'action':'SCMP_ACT_KILL','args':["                                     \
	"{'index':0,'value':2,'op':'SCMP_CMP_EQ'}]}"
#define FCNTL_B                                                                                    \
	"{'names':['fcntl'],'action':'SCMP_ACT_KILL_PROCESS','args':[{'index':0,"                  \
	"'value':18446744073709551614,'valueTwo':2147483647,'op':'SCMP_CMP_MASKED_EQ'}]}"
#define FCNTL_C                                                                                    \
	"{'names':['fcntl'],'action':'SCMP_ACT_LOG','args':["                                      \
	"{'index':0,'value':2147483647,'op':'SCMP_CMP_EQ'}]}"

static void test_tree_order(void)
{
	must_compile("{'defaultAction':'SCMP_ACT_TRAP','syscalls':[" FCNTL_A "," FCNTL_B "," FCNTL_C
		     "]}",
		     "EQ 2, MASKED_EQ 0x7ffffffe/0xfffffffe, EQ 0x7fffffff");
	is_int(run("fcntl", 0x7fffffff, 0), LOG, "EQ 0x7fffffff shares EQ 2's first node: first");
	is_int(run("fcntl", 0x7ffffffe, 0), KILL_P, "then the MASKED_EQ");
	is_int(run("fcntl", 2, 0), KILL_T, "then EQ 2");
	is_int(run("fcntl", 3, 0), TRAP, "none: the default");
	must_compile("{'defaultAction':'SCMP_ACT_TRAP','syscalls':[" FCNTL_C "," FCNTL_B "]}",
		     "EQ 0x7fffffff, MASKED_EQ");
	is_int(run("fcntl", 0x7fffffff, 0), LOG, "the EQ node came first");
	must_compile("{'defaultAction':'SCMP_ACT_TRAP','syscalls':[" FCNTL_B "," FCNTL_C "]}",
		     "MASKED_EQ, EQ 0x7fffffff");
	if (__SIZEOF_LONG__ == 8) /* 32-bit: no high halves, the larger low datum first */
		is_int(run("fcntl", 0x7fffffff, 0), KILL_P, "the MASKED_EQ node came first");

	must_compile("{'defaultAction':'SCMP_ACT_KILL_PROCESS','syscalls':["
		     "{'names':['write'],'action':'SCMP_ACT_ALLOW','args':[{'index':0,"
		     "'value':4294967296,'valueTwo':0,'op':'SCMP_CMP_MASKED_EQ'}]},"
		     "{'names':['write'],'action':'SCMP_ACT_KILL','args':[{'index':0,"
		     "'value':9223372036854775808,'valueTwo':0,'op':'SCMP_CMP_MASKED_EQ'}]},"
		     "{'names':['write'],'action':'SCMP_ACT_ERRNO','errnoRet':5,'args':[{'index':0,"
		     "'value':4294967301,'valueTwo':5,'op':'SCMP_CMP_MASKED_EQ'}]}]}",
		     "three MASKED_EQ, the first and last on one high node");
	if (__SIZEOF_LONG__ == 8)
		is_int(run("write", 0xffffffff, 0), ERRNO(5),
		       "the last rule shares the first node, its low datum is larger: first");
}

/* Each operator against every edge value, as unsigned 64-bit numbers (libseccomp's rule). */
static void check_op(const char *op, uint64_t v, uint64_t v2)
{
	char p[512];
	int bad = 0;

	snprintf(p, sizeof(p),
		 "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdirat'],"
		 "'action':'SCMP_ACT_ERRNO','args':[{'index':1,'value':%llu,'valueTwo':%llu,"
		 "'op':'SCMP_CMP_%s'}]}]}",
		 (unsigned long long)v, (unsigned long long)v2, op);
	if (compile(p, &(struct rt_err){ 0 }) < 0) {
		ok(0, "SCMP_CMP_%s %#llx compiles", op, (unsigned long long)v);
		return;
	}
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		for (int d = -1; d <= 1; d++) {
			uint64_t a = edge[i] + (uint64_t)d;
			uint32_t want = op_holds(op, a, v, v2) ? ERRNO(EPERM) : ALLOW;

			if (run("mkdirat", 0, a) != want && !bad++)
				diag("arg %#llx: got %#x", (unsigned long long)a,
				     run("mkdirat", 0, a));
		}
	}
	ok(!bad, "SCMP_CMP_%s %#llx (%#llx) on %zu edge values", op, (unsigned long long)v,
	   (unsigned long long)v2, 3 * sizeof(edge) / sizeof(edge[0]));
}

static void test_ops(void)
{
	static const char *const ops[] = { "NE", "LT", "LE", "EQ", "GE", "GT" };
	static const uint64_t vals[] = {
		0, 5, 0xffffffffULL, 0x100000005ULL, 0xffffffffffffffffULL, 0x8000000000000000ULL
	};

	for (size_t o = 0; o < 6; o++)
		for (size_t v = 0; v < sizeof(vals) / sizeof(vals[0]); v++)
			check_op(ops[o], vals[v], 0);
	check_op("MASKED_EQ", 0xff000000000000ffULL, 0x1200000000000034ULL);
	check_op("MASKED_EQ", 0x00000000000000f0ULL, 0x0000000000000050ULL);
	check_op("MASKED_EQ", 0xffffffff00000000ULL, 0xffffffff00000000ULL);
	check_op("MASKED_EQ", 0x3ULL, 0xffULL); /* the datum is compared under the mask */
	check_op("MASKED_EQ", 0, 0);		/* always true: the rule is unconditional */
}

static void test_args(void)
{
	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'args':["
		     "{'index':0,'value':1,'op':'SCMP_CMP_EQ'},"
		     "{'index':1,'value':10,'op':'SCMP_CMP_GT'}]},"
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':1,'args':["
		     "{'index':0,'value':7,'op':'SCMP_CMP_EQ'}]}]}",
		     "two args AND-ed, two rules OR-ed");
	is_int(run("mkdirat", 1, 11), ERRNO(1), "both args match");
	is_int(run("mkdirat", 1, 10), ALLOW, "only arg0 matches");
	is_int(run("mkdirat", 2, 11), ALLOW, "only arg1 matches");
	is_int(run("mkdirat", 7, 0), ERRNO(1), "the second rule matches alone");

	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','args':["
		     "{'index':0,'value':1,'op':'SCMP_CMP_EQ'},"
		     "{'index':0,'value':2,'op':'SCMP_CMP_EQ'}]}]}",
		     "one index twice");
	is_int(run("mkdirat", 1, 0), ERRNO(1), "repeated index: OR-ed like runc (1)");
	is_int(run("mkdirat", 2, 0), ERRNO(1), "repeated index: OR-ed like runc (2)");
	is_int(run("mkdirat", 3, 0), ALLOW, "repeated index: neither");

	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':5,'args':["
		     "{'index':0,'value':1,'op':'SCMP_CMP_EQ'}]},"
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':6},"
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':7},"
		     "{'names':['mkdirat'],'action':'SCMP_ACT_ERRNO','errnoRet':8,'args':["
		     "{'index':0,'value':2,'op':'SCMP_CMP_EQ'}]}]}",
		     "conditional and unconditional rules on one syscall");
	is_int(run("mkdirat", 1, 0), ERRNO(6), "the first unconditional rule wins (libseccomp)");
	is_int(run("mkdirat", 2, 0), ERRNO(6), "... over later conditional rules too");

	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':["
		     "{'names':['no_such_call','mkdirat'],'action':'SCMP_ACT_KILL_PROCESS'}]}",
		     "a name unknown on this arch");
	is_int(run("mkdirat", 0, 0), KILL_P, "unknown names are skipped, the others kept");
}

static void test_archs(void)
{
	uint64_t none[6] = { 0 };
	/* another arch than the native one: 32-bit ARM, or i386 on 32-bit ARM itself */
	uint32_t other = sc_native_arch() == 0x40000028 ? 0x40000003 : 0x40000028;

	must_compile("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,"
		     "'architectures':['SCMP_ARCH_X86_64','SCMP_ARCH_X86','SCMP_ARCH_X32',"
		     "'SCMP_ARCH_AARCH64'],'syscalls':[{'names':['read','getpid'],"
		     "'action':'SCMP_ACT_ALLOW'}]}",
		     "several architectures");
	is_int(run_on(sc_native_arch(), sc_syscall_nr("read"), none), ALLOW, "native arch: rules");
	is_int(run_on(0x40000003, sc_syscall_nr("read"), none), ERRNO(38),
	       "i386 audit arch: the default action");
	is_int(run_on(sc_native_arch() == 0xc00000b7 ? 0xc000003e : 0xc00000b7,
		      sc_syscall_nr("getpid"), none),
	       ERRNO(38), "another audit arch: the default action");
	is_int(run_on(sc_native_arch(), -1, none), ERRNO(38), "syscall -1: the default action");
#ifdef __x86_64__
	is_int(run_on(sc_native_arch(), 0x40000000 | sc_syscall_nr("read"), none), ERRNO(38),
	       "x32 call (__X32_SYSCALL_BIT) does not pass as x86_64");
#endif
#if defined(__x86_64__)
	is_str(sc_arch_name(0), "SCMP_ARCH_X86_64", "features lists the native arch");
#elif defined(__aarch64__)
	is_str(sc_arch_name(0), "SCMP_ARCH_AARCH64", "features lists the native arch");
#elif defined(__arm__)
	is_str(sc_arch_name(0), "SCMP_ARCH_ARM", "features lists the native arch");
	is_int(sc_native_arch(), 0x40000028, "AUDIT_ARCH_ARM: little-endian, 32-bit, EM_ARM");
#endif
	ok(!sc_arch_name(1), "and only it: another arch's calls never get the rules");

	/* A default that lets calls run: another ABI would sidestep the rules (issue 12). */
	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['mkdirat'],"
		     "'action':'SCMP_ACT_ERRNO','errnoRet':1}]}",
		     "an ALLOW default with a rule");
	is_int(run_on(sc_native_arch(), sc_syscall_nr("mkdirat"), none), ERRNO(1),
	       "native arch: the rule");
	is_int(run_on(0x40000003, 39, none), KILL_P,
	       "i386 audit arch under an ALLOW default: killed");
	is_int(run_on(other, 39, none), KILL_P,
	       "another 32-bit audit arch under an ALLOW default: killed");
#ifdef __x86_64__
	is_int(run_on(sc_native_arch(), 0x40000000 | sc_syscall_nr("mkdirat"), none), KILL_P,
	       "x32 call under an ALLOW default: killed");
#endif
	must_compile("{'defaultAction':'SCMP_ACT_LOG','syscalls':[{'names':['mkdirat'],"
		     "'action':'SCMP_ACT_KILL'}]}",
		     "a LOG default with a rule");
	is_int(run_on(other, 39, none), KILL_P, "another arch under a LOG default: killed");
	must_compile("{'defaultAction':'SCMP_ACT_ALLOW'}", "an ALLOW default without rules");
	is_int(run_on(0x40000003, 39, none), ALLOW, "no rules to sidestep: another arch passes");
}

/* The semantics runt implements, evaluated directly: the reference for random profiles. */
struct ref_rule {
	int nr, ncond;
	uint32_t ret;
	int arg[2];
	uint64_t v[2];
};

/* Is `got` what the rules allow? The first unconditional rule decides; otherwise any
 * matching rule may (the priority between them is libseccomp's, checked by seccomp-diff). */
static bool ref_ok(const struct ref_rule *r, int n, int nr, const uint64_t *a, uint32_t got)
{
	bool any = false;

	for (int i = 0; i < n; i++)
		if (r[i].nr == nr && r[i].ncond == 0)
			return got == r[i].ret;
	for (int i = 0; i < n; i++) {
		bool all = r[i].nr == nr;

		for (int c = 0; all && c < r[i].ncond; c++)
			all = (unsigned long)a[r[i].arg[c]] == (unsigned long)r[i].v[c];
		if (all && got == r[i].ret)
			return true;
		any |= all;
	}
	return !any && got == ALLOW;
}

static int append_rule(char *p, size_t size, size_t len, struct ref_rule *r, const char *name)
{
	len += snprintf(p + len, size - len,
			"{'names':['%s'],'action':'SCMP_ACT_ERRNO','errnoRet':%u,'args':[", name,
			r->ret & 0xffff);
	for (int c = 0; c < r->ncond; c++)
		len +=
		    snprintf(p + len, size - len, "%s{'index':%d,'value':%llu,'op':'SCMP_CMP_EQ'}",
			     c ? "," : "", r->arg[c], (unsigned long long)r->v[c]);
	return (int)(len + snprintf(p + len, size - len, "]},"));
}

/* Big profiles whose blocks lie far apart: 8-bit jumps need trampolines. Checked against
 * the reference evaluation on random calls. */
static void test_long_jumps(void)
{
	static struct ref_rule rr[800];
	static char p[1 << 19];
	size_t len;
	int n = 0, bad = 0;
	const char *name;

	srand(7);
	len = snprintf(p, sizeof(p), "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[");
	for (int s = 0; (name = sc_syscall_name(s)) && n < 700; s++)
		for (int j = rand() % 3; j > 0; j--, n++) {
			struct ref_rule *r = &rr[n];

			r->nr = sc_syscall_nr(name);
			r->ret = ERRNO(1 + rand() % 50);
			r->ncond = rand() % 4 ? 1 + rand() % 2 : 0;
			for (int c = 0; c < r->ncond; c++) {
				r->arg[c] = c * 2 + rand() % 2;
				r->v[c] = rand() % 3 ? (uint64_t)(rand() % 4) : 1ULL << 40;
			}
			len = append_rule(p, sizeof(p), len, r, name);
		}
	snprintf(p + len - 1, sizeof(p) - len, "]}");
	must_compile(p, "a profile with 700 random rules");
	diag("%d rules: %d BPF instructions", n, f.len);
	ok(f.len > 1024 && f.len < SC_MAX_INSNS, "the program is long enough to need long jumps");
	for (int t = 0; t < 200000; t++) {
		const struct ref_rule *r = &rr[rand() % n];
		int nr = t % 10 ? r->nr : rand() % 500;
		uint64_t a[6];

		for (int i = 0; i < 6; i++)
			a[i] = rand() % 4 ? (uint64_t)(rand() % 4) : 1ULL << 40;
		if (!ref_ok(rr, n, nr, a, run_on(sc_native_arch(), nr, a)) && !bad++)
			diag("mismatch on nr %d", nr);
	}
	ok(!bad, "200000 random calls decide as the rules say");
}

static void test_errors(void)
{
	static const struct {
		const char *profile, *msg;
	} cases[] = {
		{ "{}", "config.json: .linux.seccomp.defaultAction: required" },
		{ "{'defaultAction':'SCMP_ACT_NOPE'}",
		  "config.json: .linux.seccomp.defaultAction: unknown action \"SCMP_ACT_NOPE\"" },
		{ "{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/x'}",
		  "config.json: .linux.seccomp: defaultAction: SCMP_ACT_NOTIFY cannot be the "
		  "default "
		  "action" },
		{ "{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':70000}",
		  "config.json: .linux.seccomp.defaultErrnoRet: 70000 is out of range [0, 65535]" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_FOO'}]}",
		  "config.json: .linux.seccomp.syscalls[0].action: unknown action "
		  "\"SCMP_ACT_FOO\"" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_ERRNO','args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]}",
		  "config.json: .linux.seccomp.syscalls[0].args[0].index: 6 is out of range [0, "
		  "5]" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_ERRNO','args':[{'index':1,'value':1,'op':'SCMP_CMP_XX'}]}]}",
		  "config.json: .linux.seccomp.syscalls[0].args[0].op: unknown operator "
		  "\"SCMP_CMP_XX\"" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_ERRNO','args':[{'index':1,'op':'SCMP_CMP_EQ'}]}]}",
		  "config.json: .linux.seccomp.syscalls[0].args[0].value: required" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_ERRNO','args':[{'index':1,'value':-1,'op':'SCMP_CMP_EQ'}]}]}",
		  "config.json: .linux.seccomp.syscalls[0].args[0].value: must not be negative, "
		  "got "
		  "-1" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[],"
		  "'action':'SCMP_ACT_ERRNO'}]}",
		  "config.json: .linux.seccomp.syscalls[0].names: must name at least one syscall" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':[1],"
		  "'action':'SCMP_ACT_ERRNO'}]}",
		  "config.json: .linux.seccomp.syscalls[0].names[0]: expected string, got number" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'action':'SCMP_ACT_ERRNO'}]}",
		  "config.json: .linux.seccomp.syscalls[0].names: required" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':{}}",
		  "config.json: .linux.seccomp.syscalls: expected array, got object" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','architectures':['SCMP_ARCH_Z80']}",
		  "config.json: .linux.seccomp.architectures[0]: unknown architecture "
		  "\"SCMP_ARCH_Z80\"" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','flags':['SECCOMP_FILTER_FLAG_NOPE']}",
		  "config.json: .linux.seccomp.flags[0]: unknown flag "
		  "\"SECCOMP_FILTER_FLAG_NOPE\"" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['read'],"
		  "'action':'SCMP_ACT_NOTIFY'}]}",
		  "config.json: .linux.seccomp: listenerPath: required when a rule uses "
		  "SCMP_ACT_NOTIFY" },
		{ "{'defaultAction':'SCMP_ACT_ALLOW','listenerPath':'/x','syscalls':[{'names':"
		  "['read','sendmsg'],'action':'SCMP_ACT_NOTIFY'}]}",
		  "config.json: .linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for "
		  "\"sendmsg\": runt sends the listener fd with it" },
		{ "[]", "config.json: expected a JSON object at the top level" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct rt_err err = { 0 };
		int r = compile(cases[i].profile, &err);

		is_str(r < 0 ? err.msg : "(accepted)", cases[i].msg, "refused: %s", cases[i].msg);
	}
}

/* The front-coded name table (scripts/gen-syscalls.sh) unpacks to the libc's own names and
 * numbers, in strictly ascending order (sc_syscall_nr's binary search relies on it). */
static void test_names(void)
{
	const char *name, *prev = "";
	int n = 0, unsorted = 0;

	for (; (name = sc_syscall_name(n)); n++, prev = name)
		unsorted += strcmp(prev, name) >= 0 || sc_syscall_nr(name) < 0;
	ok(n > 300 && !unsorted, "%d syscall names, strictly ascending, each resolves", n);
	is_int(sc_syscall_nr("read"), SYS_read, "read");
	is_int(sc_syscall_nr("rt_sigprocmask"), SYS_rt_sigprocmask, "rt_sigprocmask");
	is_int(sc_syscall_nr("rt_sigqueueinfo"), SYS_rt_sigqueueinfo, "rt_sigqueueinfo");
	is_int(sc_syscall_nr("sched_setattr"), SYS_sched_setattr, "sched_setattr");
	is_int(sc_syscall_nr("rt_sig"), -1, "a shared prefix is no name");
	is_int(sc_syscall_nr("readx"), -1, "nor a name with more after it");
}

/* A profile names calls as the kernel and libseccomp do; a name runt cannot resolve loses
 * its rule, and a lost deny rule is a hole in the filter (issue 12). */
static void test_kernel_names(void)
{
	static const char *const time32[] = { "clock_gettime",	 "clock_settime", "clock_getres",
					      "clock_nanosleep", "gettimeofday",  "settimeofday",
					      "timer_gettime",	 "timer_settime", "timerfd_gettime",
					      "timerfd_settime" };
	int bad = 0;

	for (size_t i = 0; i < sizeof(time32) / sizeof(time32[0]); i++)
		if (sc_syscall_nr(time32[i]) < 0 && !bad++)
			diag("%s does not resolve", time32[i]);
	ok(!bad, "the time calls resolve by their kernel names (musl's 32-bit targets rename "
		 "them *_time32)");
	is_int(sc_syscall_nr("futex_waitv"), 449, "futex_waitv (5.16): newer than musl's headers");
	is_int(sc_syscall_nr("fchmodat2"), 452, "fchmodat2 (6.6)");
	is_int(sc_syscall_nr("mseal"), 462, "mseal (6.10)");
#ifdef __arm__
	is_int(sc_syscall_nr("clock_gettime"), SYS_clock_gettime32, "arm: clock_gettime is 263");
	is_int(sc_syscall_nr("breakpoint"), 0xf0001, "arm private: breakpoint");
	is_int(sc_syscall_nr("cacheflush"), 0xf0002, "arm private: cacheflush");
	is_int(sc_syscall_nr("usr26"), 0xf0003, "arm private: usr26");
	is_int(sc_syscall_nr("usr32"), 0xf0004, "arm private: usr32");
	is_int(sc_syscall_nr("set_tls"), 0xf0005, "arm private: set_tls");
	is_int(sc_syscall_nr("get_tls"), 0xf0006, "arm private: get_tls");
	is_int(sc_syscall_nr("arm_fadvise64_64"), 270, "arm only: arm_fadvise64_64");
	is_int(sc_syscall_nr("arm_sync_file_range"), 341, "arm only: arm_sync_file_range");
	is_int(sc_syscall_nr("sync_file_range2"), 341, "arm only: sync_file_range2, its alias");
	ok(sc_syscall_nr("arch_prctl") < 0 && sc_syscall_nr("fadvise64") < 0,
	   "no x86_64-only call resolves on arm");
#endif
	must_compile("{'defaultAction':'SCMP_ACT_ALLOW','syscalls':[{'names':['settimeofday',"
		     "'clock_settime','fchmodat2','cacheflush'],'action':'SCMP_ACT_ERRNO',"
		     "'errnoRet':1}]}",
		     "a deny list of time calls, a new call and an ARM private one");
	is_int(run("settimeofday", 0, 0), ERRNO(1), "settimeofday is denied");
	is_int(run("clock_settime", 0, 0), ERRNO(1), "clock_settime is denied");
	is_int(run("fchmodat2", 0, 0), ERRNO(1), "fchmodat2 is denied");
#ifdef __arm__
	is_int(run("cacheflush", 0, 0), ERRNO(1), "arm: cacheflush is denied");
	must_compile("{'defaultAction':'SCMP_ACT_ERRNO','defaultErrnoRet':38,'syscalls':[{"
		     "'names':['set_tls','clock_gettime'],'action':'SCMP_ACT_ALLOW'}]}",
		     "an allow list with set_tls (every arm program's first call)");
	is_int(run_on(sc_native_arch(), 0xf0005, NULL), ALLOW, "arm: set_tls is allowed");
	is_int(run_on(sc_native_arch(), 263, NULL), ALLOW, "arm: clock_gettime (263) is allowed");
	is_int(run_on(sc_native_arch(), 0xf0002, NULL), ERRNO(38), "arm: cacheflush is not");
#endif
}

int main(void)
{
	test_names();
	test_kernel_names();
	test_actions();
	test_ops();
	test_args();
	test_tree_order();
	test_archs();
	test_long_jumps();
	test_errors();
	return tap_done();
}
