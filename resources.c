/* resources.c - LinuxResources: a table-driven strict parser (one table per object level,
 * JSON paths in every error) and the plan of cgroup v2 writes, with the conversions runc
 * and crun use so a config means the same under every runtime. */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "log.h"
#include "mini.h"
#include "resources.h"

struct scratch;

struct ctx {
	struct res *r;
	struct json *j;
	struct jpath *p;
	struct rt_err *err;
	struct scratch *s; /* the array element being parsed */
};

struct rfield;
typedef int (*rfield_fn)(struct ctx *c, int v, const struct rfield *f);

/* A member: its handler, the struct res member it fills (off), its "given" bit, the
 * controller it needs, and a lower bound for signed values. Narrow fields: 32 bytes an
 * entry, not 48. */
struct rfield {
	const char *key;
	rfield_fn fn;
	uint16_t off;
	int8_t bit; /* enum res_bit or -1 */
	int8_t ctrl;
	int32_t min;
	const void *arg;
};

_Static_assert(sizeof(struct res) <= UINT16_MAX, "struct rfield's off reaches every member");

static const char *const ctrl_names[RES_NCTRL] = { "cpu", "cpuset",  "memory", "pids",
						   "io",  "hugetlb", "rdma",   "misc" };

const char *res_ctrl_name(int c)
{
	return c >= 0 && c < RES_NCTRL ? ctrl_names[c] : "?";
}

int res_ctrl_find(const char *name, size_t len)
{
	for (int i = 0; i < RES_NCTRL; i++)
		if (strlen(ctrl_names[i]) == len && !strncmp(ctrl_names[i], name, len))
			return i;
	return -1;
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

static void *member_ptr(struct ctx *c, const struct rfield *f)
{
	return (char *)c->r + f->off;
}

static void given(struct ctx *c, const struct rfield *f)
{
	if (f->bit >= 0)
		c->r->set |= 1u << f->bit;
	if (f->ctrl >= 0)
		c->r->ctrl |= 1u << f->ctrl;
}

/* ---- scalar handlers ---- */

static int h_i64(struct ctx *c, int v, const struct rfield *f)
{
	int64_t x;
	int r = json_get_i64(c->j, v, c->p, &x, c->err);

	if (r < 0)
		return r;
	if (x < f->min)
		return fail(c, "%" PRId64 " is invalid (%s)", x, (const char *)f->arg);
	*(int64_t *)member_ptr(c, f) = x;
	given(c, f);
	return 0;
}

static int h_u64(struct ctx *c, int v, const struct rfield *f)
{
	int r = json_get_u64(c->j, v, c->p, member_ptr(c, f), c->err);

	if (r == 0)
		given(c, f);
	return r;
}

/* 0 means "not set" in runc; anything else must be in [min, arg]. */
static int h_range(struct ctx *c, int v, const struct rfield *f)
{
	uint64_t x, max = (uint64_t)(uintptr_t)f->arg;
	int r = json_get_u64(c->j, v, c->p, &x, c->err);

	if (r < 0)
		return r;
	if (x && (x < (uint64_t)f->min || x > max))
		return fail(c, "%" PRIu64 " is out of range [%" PRId32 ", %" PRIu64 "]", x, f->min,
			    max);
	*(uint64_t *)member_ptr(c, f) = x;
	if (x)
		given(c, f);
	return 0;
}

/* cpuset lists go to the kernel as they are; refuse what could split a write. */
static int h_cpulist(struct ctx *c, int v, const struct rfield *f)
{
	const char **s = member_ptr(c, f);
	int r = json_get_str(c->j, v, c->p, s, c->err);

	if (r < 0)
		return r;
	if ((*s)[strspn(*s, "0123456789,-")])
		return fail(c, "invalid cpu/node list \"%s\"", *s);
	if (**s)
		given(c, f);
	return 0;
}

static int h_realtime(struct ctx *c, int v, const struct rfield *f)
{
	int64_t x;
	int r = json_get_i64(c->j, v, c->p, &x, c->err);

	if (r < 0 || x == 0)
		return r;
	return fail(c, "realtime CPU limits are cgroup v1 only (cgroup v2 has no cpu.rt_*); "
		       "runc refuses them on cgroup v2 too");
}

/* Fields runc accepts but cannot apply on cgroup v2: it ignores them, so do we (loudly). */
static int h_ignored(struct ctx *c, int v, const struct rfield *f)
{
	log_msg(LOG_WARN, "%s: %s: ignored on cgroup v2 (as runc does)", c->j->what, c->p->s);
	return 0;
}

static int walk(struct ctx *c, int obj, const struct rfield *tab);

static int h_object(struct ctx *c, int v, const struct rfield *f)
{
	return walk(c, v, f->arg);
}

/* ---- arrays and maps ---- */

typedef int (*elem_fn)(struct ctx *c, int v, int i, const struct rfield *f);

static int each(struct ctx *c, int arr, int max, elem_fn fn, const struct rfield *f)
{
	int n, k, v, r;

	if ((r = json_expect(c->j, arr, c->p, JSON_ARRAY, c->err)) < 0)
		return r;
	if (c->j->tok[arr].size > max)
		return fail(c, "more than %d entries", max);
	JSON_FOR_EACH(c->j, arr, n, k, v)
	{
		size_t saved = jpath_idx(c->p, n);

		r = fn(c, v, n, f);
		jpath_pop(c->p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Members of one array element: parsed into a small scratch struct by the same walker. */
struct scratch {
	int64_t major, minor;
	uint64_t rate, weight;
	bool allow;
	const char *type, *access;
	uint32_t seen;
};

static void *sptr(struct ctx *c, const struct rfield *f)
{
	return (char *)c->s + f->off;
}

static int sf_i64(struct ctx *c, int v, const struct rfield *f)
{
	int64_t x;
	int r = json_get_i64(c->j, v, c->p, &x, c->err);

	if (r < 0)
		return r;
	if (x < f->min)
		return fail(c, "%" PRId64 " is invalid (%s)", x, (const char *)f->arg);
	*(int64_t *)sptr(c, f) = x;
	c->s->seen |= 1u << f->bit;
	return 0;
}

static int sf_u64(struct ctx *c, int v, const struct rfield *f)
{
	int r = json_get_u64(c->j, v, c->p, sptr(c, f), c->err);

	if (r == 0)
		c->s->seen |= 1u << f->bit;
	return r;
}

static int sf_bool(struct ctx *c, int v, const struct rfield *f)
{
	int r = json_get_bool(c->j, v, c->p, sptr(c, f), c->err);

	if (r == 0)
		c->s->seen |= 1u << f->bit;
	return r;
}

static int sf_str(struct ctx *c, int v, const struct rfield *f)
{
	int r = json_get_str(c->j, v, c->p, sptr(c, f), c->err);

	if (r == 0)
		c->s->seen |= 1u << f->bit;
	return r;
}

#define SOFF(m) offsetof(struct scratch, m)

static const struct rfield blkdev_fields[] = {
	{ "major", sf_i64, SOFF(major), 0, -1, 0, "a device number is never negative" },
	{ "minor", sf_i64, SOFF(minor), 1, -1, 0, "a device number is never negative" },
	{ "rate", sf_u64, SOFF(rate), 2, -1, 0, NULL },
	{ "weight", sf_u64, SOFF(weight), 3, -1, 0, NULL },
	{ "leafWeight", h_ignored, 0, -1, -1, 0, NULL },
	{ NULL },
};

static int required(struct ctx *c, uint32_t need, const struct rfield *tab)
{
	for (int i = 0; tab[i].key; i++)
		if (tab[i].bit >= 0 && (need & ~c->s->seen) >> tab[i].bit & 1) {
			size_t saved = jpath_key(c->p, tab[i].key);
			int r = fail(c, "required");

			jpath_pop(c->p, saved);
			return r;
		}
	return 0;
}

static int scratch_walk(struct ctx *c, int v, struct scratch *s, const struct rfield *tab,
			uint32_t need)
{
	int r;

	memset(s, 0, sizeof(*s));
	c->s = s;
	if ((r = walk(c, v, tab)) < 0)
		return r;
	return required(c, need, tab);
}

/* throttle*Device: the element index picks the array, f->bit the direction/kind. */
static int throttle_elem(struct ctx *c, int v, int i, const struct rfield *f)
{
	struct scratch s;
	struct res_blkdev *d = &c->r->thr[f->bit][i];
	int r = scratch_walk(c, v, &s, blkdev_fields, 1u | 2u | 4u);

	if (r < 0)
		return r;
	*d = (struct res_blkdev){ s.major, s.minor, s.rate };
	c->r->nthr[f->bit] = i + 1;
	return 0;
}

static int h_throttle(struct ctx *c, int v, const struct rfield *f)
{
	c->r->ctrl |= 1u << RES_IO;
	return each(c, v, RES_MAX_BLKDEV, throttle_elem, f);
}

static int wdev_elem(struct ctx *c, int v, int i, const struct rfield *f)
{
	struct scratch s;
	int r = scratch_walk(c, v, &s, blkdev_fields, 1u | 2u);

	if (r < 0)
		return r;
	if (!(s.seen & 8u))
		return 0; /* leafWeight only: nothing v2 can do */
	if (s.weight < 10 || s.weight > 1000) {
		size_t saved = jpath_key(c->p, "weight");

		r = fail(c, "%" PRIu64 " is out of range [10, 1000]", s.weight);
		jpath_pop(c->p, saved);
		return r;
	}
	c->r->wdev[c->r->nwdev++] = (struct res_blkdev){ s.major, s.minor, s.weight };
	return 0;
}

static int h_wdev(struct ctx *c, int v, const struct rfield *f)
{
	c->r->ctrl |= 1u << RES_IO;
	return each(c, v, RES_MAX_BLKDEV, wdev_elem, f);
}

static const struct rfield huge_fields[] = {
	{ "pageSize", sf_str, SOFF(type), 0, -1, 0, NULL },
	{ "limit", sf_u64, SOFF(rate), 1, -1, 0, NULL },
	{ NULL },
};

/* "2MB", "1GB", "64KB": the kernel's hugetlb.<size>.max file names. */
static bool valid_page_size(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n < 10 && s[0] != '0' &&
	       (!strcmp(s + n, "KB") || !strcmp(s + n, "MB") || !strcmp(s + n, "GB"));
}

static int huge_elem(struct ctx *c, int v, int i, const struct rfield *f)
{
	struct scratch s;
	struct res_huge *h = &c->r->huge[i];
	int r = scratch_walk(c, v, &s, huge_fields, 3u);

	if (r < 0)
		return r;
	if (!valid_page_size(s.type)) {
		size_t saved = jpath_key(c->p, "pageSize");

		r = fail(c, "invalid page size \"%s\" (e.g. \"2MB\")", s.type);
		jpath_pop(c->p, saved);
		return r;
	}
	strcpy(h->size, s.type);
	h->limit = s.rate;
	c->r->nhuge = i + 1;
	return 0;
}

static int h_huge(struct ctx *c, int v, const struct rfield *f)
{
	c->r->ctrl |= 1u << RES_HUGETLB;
	return each(c, v, RES_MAX_HUGE, huge_elem, f);
}

static const struct rfield dev_fields[] = {
	{ "allow", sf_bool, SOFF(allow), 0, -1, 0, NULL },
	{ "type", sf_str, SOFF(type), 1, -1, 0, NULL },
	{ "major", sf_i64, SOFF(major), 2, -1, -1, "-1 (any) or a device number" },
	{ "minor", sf_i64, SOFF(minor), 3, -1, -1, "-1 (any) or a device number" },
	{ "access", sf_str, SOFF(access), 4, -1, 0, NULL },
	{ NULL },
};

static int parse_access(struct ctx *c, const char *s, unsigned *out)
{
	*out = 0;
	for (const char *p = s; *p; p++) {
		unsigned bit = *p == 'r'   ? RES_ACC_READ
			       : *p == 'w' ? RES_ACC_WRITE
			       : *p == 'm' ? RES_ACC_MKNOD
					   : 0;
		if (!bit) {
			size_t saved = jpath_key(c->p, "access");
			int r = fail(c, "invalid access \"%s\" (letters r, w and m)", s);

			jpath_pop(c->p, saved);
			return r;
		}
		*out |= bit;
	}
	return 0;
}

/* Unset type/major/minor/access mean "all", as in the runtime-spec. */
static int dev_elem(struct ctx *c, int v, int i, const struct rfield *f)
{
	struct scratch s;
	struct res_dev *d = &c->r->dev[i];
	int r = scratch_walk(c, v, &s, dev_fields, 1u);

	if (r < 0)
		return r;
	d->allow = s.allow;
	d->type = s.seen & 2u ? s.type[0] : 'a';
	if ((s.seen & 2u) && (strlen(s.type) != 1 || !strchr("acb", s.type[0]))) {
		size_t saved = jpath_key(c->p, "type");

		r = fail(c, "invalid device type \"%s\" (a, c or b)", s.type);
		jpath_pop(c->p, saved);
		return r;
	}
	d->major = s.seen & 4u ? s.major : -1;
	d->minor = s.seen & 8u ? s.minor : -1;
	d->access = RES_ACC_ALL;
	if ((s.seen & 16u) && (r = parse_access(c, s.access, &d->access)) < 0)
		return r;
	c->r->ndev = i + 1;
	return 0;
}

static int h_devices(struct ctx *c, int v, const struct rfield *f)
{
	c->r->has_devices = true;
	return each(c, v, RES_MAX_DEVICES, dev_elem, f);
}

static const struct rfield rdma_fields[] = {
	{ "hcaHandles", sf_u64, SOFF(major), 0, -1, 0, NULL },
	{ "hcaObjects", sf_u64, SOFF(minor), 1, -1, 0, NULL },
	{ NULL },
};

static int rdma_member(struct ctx *c, const char *dev, int v)
{
	struct res_rdma *d = &c->r->rdma[c->r->nrdma];
	struct scratch s;
	int r;

	if (!*dev || dev[strcspn(dev, " \n\t=")])
		return fail(c, "invalid rdma device name");
	if ((r = scratch_walk(c, v, &s, rdma_fields, 0)) < 0)
		return r;
	if ((uint64_t)s.major > UINT32_MAX || (uint64_t)s.minor > UINT32_MAX)
		return fail(c, "hcaHandles and hcaObjects must fit in 32 bits");
	*d = (struct res_rdma){ dev, s.seen & 1u, s.seen & 2u, (uint32_t)s.major,
				(uint32_t)s.minor };
	c->r->nrdma++;
	return 0;
}

/* A unified key names one file of the container's own cgroup: "<controller>.<file>" as the
 * kernel spells it (hugetlb.2MB.max), no "/" or ".." (CVE-style escapes to a parent's
 * files), a known controller, and none of the cgroup.* files that move processes or
 * change the tree. */
static int check_unified_key(struct ctx *c, const char *k)
{
	static const char *const core_ok[] = { "cgroup.max.depth", "cgroup.max.descendants", NULL };
	const char *dot = strchr(k, '.');
	int ctl;

	if (strchr(k, '/') || rt_strstr(k, "..") || !dot || dot == k || !dot[1] ||
	    k[strspn(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._")])
		return fail(c, "invalid key: expected <controller>.<file>");
	if (!strncmp(k, "cgroup.", 7)) {
		for (int i = 0; core_ok[i]; i++)
			if (!strcmp(k, core_ok[i]))
				return 0;
		return fail(c, "unknown or forbidden cgroup core file");
	}
	if ((ctl = res_ctrl_find(k, (size_t)(dot - k))) < 0)
		return fail(c, "unknown controller \"%.*s\"", (int)(dot - k), k);
	c->r->ctrl |= 1u << ctl;
	return 0;
}

static int unified_member(struct ctx *c, const char *k, int v)
{
	const char *val;
	int r;

	if ((r = check_unified_key(c, k)) < 0 ||
	    (r = json_get_str(c->j, v, c->p, &val, c->err)) < 0)
		return r;
	c->r->unified[c->r->nunified++] = (struct res_kv){ k, val };
	return 0;
}

typedef int (*member_fn)(struct ctx *c, const char *key, int v);

static int each_member(struct ctx *c, int obj, int max, member_fn fn)
{
	int n, k, v, r;

	if ((r = json_expect(c->j, obj, c->p, JSON_OBJECT, c->err)) < 0)
		return r;
	if (c->j->tok[obj].size > max)
		return fail(c, "more than %d entries", max);
	JSON_FOR_EACH(c->j, obj, n, k, v)
	{
		const char *key = json_str(c->j, k);
		size_t saved;

		if (!key)
			return fail(c, "invalid string escape or NUL character in a key");
		saved = jpath_member(c->p, key);
		r = fn(c, key, v);
		jpath_pop(c->p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

static int h_rdma(struct ctx *c, int v, const struct rfield *f)
{
	c->r->ctrl |= 1u << RES_RDMA;
	return each_member(c, v, RES_MAX_RDMA, rdma_member);
}

static int h_unified(struct ctx *c, int v, const struct rfield *f)
{
	return each_member(c, v, RES_MAX_UNIFIED, unified_member);
}

/* ---- the tables ---- */

#define ROFF(m) offsetof(struct res, m)

static const struct rfield memory_fields[] = {
	{ "limit", h_i64, ROFF(mem_limit), RB_MEM_LIMIT, RES_MEMORY, -1,
	  "-1 (unlimited) or bytes" },
	{ "reservation", h_i64, ROFF(mem_reservation), RB_MEM_RESERVATION, RES_MEMORY, -1,
	  "-1 (unlimited) or bytes" },
	{ "swap", h_i64, ROFF(mem_swap), RB_MEM_SWAP, RES_MEMORY, -1, "-1 (unlimited) or bytes" },
	{ "kernel", h_ignored, 0, -1, -1, 0, NULL },
	{ "kernelTCP", h_ignored, 0, -1, -1, 0, NULL },
	{ "swappiness", h_ignored, 0, -1, -1, 0, NULL },
	{ "disableOOMKiller", h_ignored, 0, -1, -1, 0, NULL },
	{ "useHierarchy", h_ignored, 0, -1, -1, 0, NULL },
	{ "checkBeforeUpdate", h_ignored, 0, -1, -1, 0, NULL },
	{ NULL },
};

static const struct rfield cpu_fields[] = {
	{ "shares", h_range, ROFF(cpu_shares), RB_CPU_SHARES, RES_CPU, 2, (void *)262144 },
	{ "quota", h_i64, ROFF(cpu_quota), RB_CPU_QUOTA, RES_CPU, -1, "-1 (unlimited) or µs" },
	{ "period", h_u64, ROFF(cpu_period), RB_CPU_PERIOD, RES_CPU, 0, NULL },
	{ "burst", h_u64, ROFF(cpu_burst), RB_CPU_BURST, RES_CPU, 0, NULL },
	{ "idle", h_i64, ROFF(cpu_idle), RB_CPU_IDLE, RES_CPU, 0, "0 or 1" },
	{ "cpus", h_cpulist, ROFF(cpus), RB_CPU_CPUS, RES_CPUSET, 0, NULL },
	{ "mems", h_cpulist, ROFF(mems), RB_CPU_MEMS, RES_CPUSET, 0, NULL },
	{ "realtimeRuntime", h_realtime, 0, -1, -1, 0, NULL },
	{ "realtimePeriod", h_realtime, 0, -1, -1, 0, NULL },
	{ NULL },
};

static const struct rfield pids_fields[] = {
	{ "limit", h_i64, ROFF(pids_limit), RB_PIDS, RES_PIDS, -1,
	  "-1 or 0 (unlimited) or a count" },
	{ NULL },
};

static const struct rfield blkio_fields[] = {
	{ "weight", h_range, ROFF(io_weight), RB_IO_WEIGHT, RES_IO, 10, (void *)1000 },
	{ "leafWeight", h_ignored, 0, -1, -1, 0, NULL },
	{ "weightDevice", h_wdev, 0, -1, RES_IO, 0, NULL },
	{ "throttleReadBpsDevice", h_throttle, 0, RES_RBPS, RES_IO, 0, NULL },
	{ "throttleWriteBpsDevice", h_throttle, 0, RES_WBPS, RES_IO, 0, NULL },
	{ "throttleReadIOPSDevice", h_throttle, 0, RES_RIOPS, RES_IO, 0, NULL },
	{ "throttleWriteIOPSDevice", h_throttle, 0, RES_WIOPS, RES_IO, 0, NULL },
	{ NULL },
};

static const struct rfield top_fields[] = {
	{ "devices", h_devices, 0, -1, -1, 0, NULL },
	{ "memory", h_object, 0, -1, -1, 0, memory_fields },
	{ "cpu", h_object, 0, -1, -1, 0, cpu_fields },
	{ "pids", h_object, 0, -1, -1, 0, pids_fields },
	{ "blockIO", h_object, 0, -1, -1, 0, blkio_fields },
	{ "hugepageLimits", h_huge, 0, -1, -1, 0, NULL },
	{ "network", h_ignored, 0, -1, -1, 0, NULL },
	{ "rdma", h_rdma, 0, -1, -1, 0, NULL },
	{ "unified", h_unified, 0, -1, -1, 0, NULL },
	{ NULL },
};

/* Unknown keys are ignored (spec extensions); null means absent (Go's nil); a repeated key
 * is refused because two parsers could disagree on which one wins. */
static int walk(struct ctx *c, int obj, const struct rfield *tab)
{
	uint64_t seen = 0;
	int n, k, v, i, r;

	if ((r = json_expect(c->j, obj, c->p, JSON_OBJECT, c->err)) < 0)
		return r;
	JSON_FOR_EACH(c->j, obj, n, k, v)
	{
		size_t saved;

		for (i = 0; tab[i].key && !json_key_is(c->j, k, tab[i].key); i++)
			;
		if (!tab[i].key || json_kind(c->j, v) == JSON_NULL)
			continue;
		saved = jpath_key(c->p, tab[i].key);
		r = seen & 1ull << i ? fail(c, "duplicate key") : tab[i].fn(c, v, &tab[i]);
		seen |= 1ull << i;
		jpath_pop(c->p, saved);
		if (r < 0)
			return r;
	}
	return 0;
}

int res_parse(struct res *r, struct json *j, int obj, const char *base, struct rt_err *err)
{
	struct jpath p = { .len = 0 };
	struct ctx c = { r, j, &p, err };

	memset(r, 0, sizeof(*r));
	rt_snprintf(p.s, sizeof(p.s), "%s", base);
	p.len = strlen(p.s);
	return walk(&c, obj, top_fields);
}

bool res_any(const struct res *r)
{
	return r->set || r->nwdev || r->nhuge || r->nrdma || r->nunified || r->has_devices ||
	       r->nthr[0] || r->nthr[1] || r->nthr[2] || r->nthr[3];
}

/* ---- conversions (runc libcontainer/cgroups/utils.go) ---- */

/* cpu.shares [2, 262144] onto cpu.weight [1, 10000], linearly; 0 stays "not set". */
uint64_t res_shares_to_weight(uint64_t shares)
{
	return shares ? 1 + ((shares - 2) * 9999) / 262142 : 0;
}

/* blkio.weight [10, 1000] onto io.weight [1, 10000], linearly. */
uint64_t res_blkio_to_io_weight(uint64_t weight)
{
	return weight ? 1 + (weight - 10) * 9999 / 990 : 0;
}

/* v1's memory.memsw is memory + swap; v2's memory.swap.max is swap alone. */
int res_swap_v2(int64_t memsw, int64_t limit, int64_t *out, struct rt_err *err)
{
	*out = memsw;
	if (limit == -1 && memsw == 0) {
		*out = -1; /* "unlimited memory" means unlimited swap too, as on v1 */
		return 0;
	}
	if (memsw == -1 || memsw == 0)
		return 0;
	if (limit == 0 || limit == -1)
		return rt_fail(err, EINVAL, "memory.swap: a swap limit needs a memory limit");
	if (memsw < limit)
		return rt_fail(err, EINVAL,
			       "memory.swap (%" PRId64 ") must be >= memory.limit (%" PRId64
			       "): it is memory + swap, as on cgroup v1",
			       memsw, limit);
	*out = memsw - limit;
	return 0;
}

/* ---- the plan ---- */

struct plan {
	struct res_write *w;
	int n, max;
	struct rt_err *err;
};

static struct res_write *RT_PRINTF(5, 6)
    add(struct plan *p, int ctrl, enum res_verify v, const char *file, const char *fmt, ...)
{
	struct res_write *w;
	va_list ap;
	int n;

	if (p->n >= p->max) {
		rt_fail(p->err, E2BIG, "linux.resources: more than %d cgroup writes", p->max);
		return NULL;
	}
	w = &p->w[p->n];
	memset(w, 0, sizeof(*w));
	w->ctrl = ctrl;
	w->verify = v;
	va_start(ap, fmt);
	n = rt_vsnprintf(w->value, sizeof(w->value), fmt, ap);
	va_end(ap);
	if (strlen(file) >= sizeof(w->file) || n < 0 || (size_t)n >= sizeof(w->value)) {
		rt_fail(p->err, E2BIG, "linux.resources: %s: name or value too long", file);
		return NULL;
	}
	strcpy(w->file, file);
	p->n++;
	return w;
}

/* -1 is "max"; 0 means "not set" and writes nothing (runc's numToStr). */
static int add_num(struct plan *p, int ctrl, enum res_verify v, const char *file, int64_t x)
{
	if (x == 0)
		return 0;
	if (x == -1)
		return add(p, ctrl, RV_EXACT, file, "max") ? 0 : -p->err->code;
	return add(p, ctrl, v, file, "%" PRId64, x) ? 0 : -p->err->code;
}

static int plan_swap(struct plan *p, const struct res *r)
{
	int64_t memsw = r->set & 1u << RB_MEM_SWAP ? r->mem_swap : 0, swap;
	struct res_write *w = NULL;
	int e = res_swap_v2(memsw, r->mem_limit, &swap, p->err);

	if (e < 0)
		return e;
	if (swap == -1)
		w = add(p, RES_MEMORY, RV_EXACT, "memory.swap.max", "max");
	else if (swap > 0)
		w = add(p, RES_MEMORY, RV_PAGES, "memory.swap.max", "%" PRId64, swap);
	else if (memsw > 0) /* memory == memory + swap: no swap at all */
		w = add(p, RES_MEMORY, RV_EXACT, "memory.swap.max", "0");
	else
		return 0;
	if (!w)
		return -p->err->code;
	w->enoent_ok = swap <= 0; /* no swap configured: disabling it is already true */
	return 0;
}

static int plan_memory(struct plan *p, const struct res *r)
{
	int e;

	if (!(r->set & (1u << RB_MEM_LIMIT | 1u << RB_MEM_SWAP | 1u << RB_MEM_RESERVATION)))
		return 0;
	if ((e = plan_swap(p, r)) < 0 ||
	    (e = add_num(p, RES_MEMORY, RV_PAGES, "memory.max", r->mem_limit)) < 0)
		return e;
	return add_num(p, RES_MEMORY, RV_PAGES, "memory.low", r->mem_reservation);
}

static int plan_cpu_max(struct plan *p, const struct res *r)
{
	char q[32] = "max";

	if (!r->cpu_quota && !r->cpu_period)
		return 0;
	if (r->cpu_quota > 0)
		rt_snprintf(q, sizeof(q), "%" PRId64, r->cpu_quota);
	if (r->cpu_period)
		return add(p, RES_CPU, RV_EXACT, "cpu.max", "%s %" PRIu64, q, r->cpu_period)
			   ? 0
			   : -p->err->code;
	return add(p, RES_CPU, RV_PREFIX, "cpu.max", "%s", q) ? 0 : -p->err->code;
}

/* Weight before idle (an idle group refuses weights); burst may exceed the old quota, so
 * it is retried after cpu.max when the kernel says EINVAL (runc does the same). */
static int plan_cpu(struct plan *p, const struct res *r)
{
	struct res_write *w;

	if (r->cpu_shares && !add(p, RES_CPU, RV_EXACT, "cpu.weight", "%" PRIu64,
				  res_shares_to_weight(r->cpu_shares)))
		return -p->err->code;
	if ((r->set & 1u << RB_CPU_IDLE) &&
	    !add(p, RES_CPU, RV_EXACT, "cpu.idle", "%" PRId64, r->cpu_idle))
		return -p->err->code;
	if (r->set & 1u << RB_CPU_BURST) {
		if (!(w = add(p, RES_CPU, RV_EXACT, "cpu.max.burst", "%" PRIu64, r->cpu_burst)))
			return -p->err->code;
		w->retry_einval = true;
	}
	if (plan_cpu_max(p, r) < 0)
		return -p->err->code;
	if (r->cpus && *r->cpus && !add(p, RES_CPUSET, RV_NONE, "cpuset.cpus", "%s", r->cpus))
		return -p->err->code;
	if (r->mems && *r->mems && !add(p, RES_CPUSET, RV_NONE, "cpuset.mems", "%s", r->mems))
		return -p->err->code;
	return 0;
}

static int plan_pids(struct plan *p, const struct res *r)
{
	if (!(r->set & 1u << RB_PIDS))
		return 0;
	return add_num(p, RES_PIDS, RV_EXACT, "pids.max", r->pids_limit > 0 ? r->pids_limit : -1);
}

static const char *const throttle_keys[RES_NTHROTTLE] = { "rbps", "wbps", "riops", "wiops" };

/* BFQ's io.bfq.weight takes blkio's own scale; io.weight needs runc's conversion. */
static int plan_io(struct plan *p, const struct res *r, bool bfq)
{
	const char *wf = bfq ? "io.bfq.weight" : "io.weight";

	if (r->io_weight && !add(p, RES_IO, RV_NONE, wf, "%" PRIu64,
				 bfq ? r->io_weight : res_blkio_to_io_weight(r->io_weight)))
		return -p->err->code;
	for (int i = 0; i < r->nwdev; i++) {
		const struct res_blkdev *d = &r->wdev[i];

		if (!add(p, RES_IO, RV_NONE, wf, "%" PRId64 ":%" PRId64 " %" PRIu64, d->major,
			 d->minor, bfq ? d->value : res_blkio_to_io_weight(d->value)))
			return -p->err->code;
	}
	for (int k = 0; k < RES_NTHROTTLE; k++)
		for (int i = 0; i < r->nthr[k]; i++) {
			const struct res_blkdev *d = &r->thr[k][i];

			if (!add(p, RES_IO, RV_NONE, "io.max",
				 "%" PRId64 ":%" PRId64 " %s=%" PRIu64, d->major, d->minor,
				 throttle_keys[k], d->value))
				return -p->err->code;
		}
	return 0;
}

static int plan_rest(struct plan *p, const struct res *r)
{
	char file[64];

	for (int i = 0; i < r->nhuge; i++) {
		rt_snprintf(file, sizeof(file), "hugetlb.%s.max", r->huge[i].size);
		if (!add(p, RES_HUGETLB, RV_NONE, file, "%" PRIu64, r->huge[i].limit))
			return -p->err->code;
	}
	for (int i = 0; i < r->nrdma; i++) {
		const struct res_rdma *d = &r->rdma[i];
		char h[32] = "", o[32] = "";

		if (!d->has_handles && !d->has_objects)
			continue;
		if (d->has_handles)
			rt_snprintf(h, sizeof(h), " hca_handle=%" PRIu32, d->handles);
		if (d->has_objects)
			rt_snprintf(o, sizeof(o), " hca_object=%" PRIu32, d->objects);
		if (!add(p, RES_RDMA, RV_NONE, "rdma.max", "%s%s%s", d->dev, h, o))
			return -p->err->code;
	}
	for (int i = 0; i < r->nunified; i++) {
		const char *k = r->unified[i].key, *dot = strchr(k, '.');

		if (!add(p, res_ctrl_find(k, (size_t)(dot - k)), RV_NONE, k, "%s",
			 r->unified[i].value))
			return -p->err->code;
	}
	return 0;
}

int res_plan(const struct res *r, bool bfq, struct res_write *w, int max, struct rt_err *err)
{
	struct plan p = { w, 0, max, err };
	int e;

	if ((e = plan_memory(&p, r)) < 0 || (e = plan_cpu(&p, r)) < 0 ||
	    (e = plan_pids(&p, r)) < 0 || (e = plan_io(&p, r, bfq)) < 0 ||
	    (e = plan_rest(&p, r)) < 0)
		return e;
	return p.n;
}

/* ---- update's flags ---- */

enum flag_kind { FK_SIZE, FK_INT, FK_UINT, FK_STR };

static const struct {
	const char *flag, *obj, *key;
	enum flag_kind kind;
} flags[RF_COUNT] = {
	[RF_MEMORY] = { "memory", "memory", "limit", FK_SIZE },
	[RF_MEMORY_RESERVATION] = { "memory-reservation", "memory", "reservation", FK_SIZE },
	[RF_MEMORY_SWAP] = { "memory-swap", "memory", "swap", FK_SIZE },
	[RF_CPU_SHARES] = { "cpu-shares", "cpu", "shares", FK_UINT },
	[RF_CPU_QUOTA] = { "cpu-quota", "cpu", "quota", FK_INT },
	[RF_CPU_PERIOD] = { "cpu-period", "cpu", "period", FK_UINT },
	[RF_CPU_RT_PERIOD] = { "cpu-rt-period", "cpu", "realtimePeriod", FK_UINT },
	[RF_CPU_RT_RUNTIME] = { "cpu-rt-runtime", "cpu", "realtimeRuntime", FK_INT },
	[RF_CPUSET_CPUS] = { "cpuset-cpus", "cpu", "cpus", FK_STR },
	[RF_CPUSET_MEMS] = { "cpuset-mems", "cpu", "mems", FK_STR },
	[RF_PIDS_LIMIT] = { "pids-limit", "pids", "limit", FK_INT },
	[RF_BLKIO_WEIGHT] = { "blkio-weight", "blockIO", "weight", FK_UINT },
	[RF_CPU_IDLE] = { "cpu-idle", "cpu", "idle", FK_INT },
	[RF_CPU_BURST] = { "cpu-burst", "cpu", "burst", FK_UINT },
};

const char *res_flag_name(int f)
{
	return flags[f].flag;
}

/* "512m", "1G", "100kb", "-1" (docker's RAMInBytes: binary units). */
static int parse_size(const char *s, int64_t *out)
{
	static const char units[] = "bkmgtp";
	char *end;
	long long v;
	const char *u;

	errno = 0;
	v = rt_strtoll(s, &end, 10);
	if (errno || end == s || v < -1 || (v == -1 && *end))
		return -1;
	*out = v;
	if (!*end)
		return 0;
	if (!(u = strchr(units, end[0] | 0x20)) || (end[1] && (end[1] | 0x20) != 'b') ||
	    (end[1] && end[2]) || (u == units && end[1]))
		return -1;
	for (; u > units; u--) {
		if (*out > INT64_MAX / 1024)
			return -1;
		*out *= 1024;
	}
	return 0;
}

static int flag_value(int f, const char *s, struct jw *w, struct rt_err *err)
{
	int64_t i;
	char *end;

	errno = 0;
	switch (flags[f].kind) {
	case FK_SIZE:
		if (parse_size(s, &i) < 0)
			break;
		jw_printf(w, "%" PRId64, i);
		return 0;
	case FK_INT:
		i = rt_strtoll(s, &end, 10);
		if (errno || end == s || *end)
			break;
		jw_printf(w, "%" PRId64, i);
		return 0;
	case FK_UINT:
		rt_strtoull(s, &end, 10);
		if (errno || end == s || *end || s[strspn(s, " ")] == '-')
			break;
		jw_raw(w, s);
		return 0;
	case FK_STR:
		jw_str(w, s);
		return 0;
	}
	return rt_fail(err, EINVAL, "--%s: invalid value \"%s\"", flags[f].flag, s);
}

int res_flags_json(const char *const val[RF_COUNT], char *buf, size_t size, bool *any,
		   struct rt_err *err)
{
	static const char *const objs[] = { "memory", "cpu", "pids", "blockIO" };
	struct jw w;
	int r;

	jw_init(&w, buf, size);
	*any = false;
	jw_raw(&w, "{");
	for (size_t o = 0; o < sizeof(objs) / sizeof(objs[0]); o++) {
		bool first = true;

		for (int f = 0; f < RF_COUNT; f++) {
			if (!val[f] || strcmp(flags[f].obj, objs[o]))
				continue;
			if (first)
				jw_printf(&w, "%s\"%s\":{", *any ? "," : "", objs[o]);
			jw_printf(&w, "%s\"%s\":", first ? "" : ",", flags[f].key);
			if ((r = flag_value(f, val[f], &w, err)) < 0)
				return r;
			first = false;
			*any = true;
		}
		if (!first)
			jw_raw(&w, "}");
	}
	jw_raw(&w, "}");
	return w.overflow ? rt_fail(err, E2BIG, "update: flags too long") : 0;
}
