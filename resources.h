/* resources.h - OCI LinuxResources (config.json's linux.resources, or the document `update`
 * reads) parsed strictly into a fixed struct, then turned into the cgroup v2 file writes that
 * apply it (runc's v1 -> v2 conversions). Pure: no file is touched here. */
#ifndef RUNT_RESOURCES_H
#define RUNT_RESOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "json.h"

#define RES_MAX_BLKDEV	32
#define RES_MAX_HUGE	8
#define RES_MAX_RDMA	8
#define RES_MAX_UNIFIED 64
#define RES_MAX_DEVICES 128
#define RES_MAX_WRITES	320

/* cgroup v2 controllers a limit needs enabled (bit n = res_ctrl_name(n)). */
enum res_ctrl {
	RES_CPU,
	RES_CPUSET,
	RES_MEMORY,
	RES_PIDS,
	RES_IO,
	RES_HUGETLB,
	RES_RDMA,
	RES_MISC,
	RES_NCTRL
};

/* Scalar members that were given (bit n of res.set). */
enum res_bit {
	RB_MEM_LIMIT,
	RB_MEM_RESERVATION,
	RB_MEM_SWAP,
	RB_CPU_SHARES,
	RB_CPU_QUOTA,
	RB_CPU_PERIOD,
	RB_CPU_IDLE,
	RB_CPU_BURST,
	RB_CPU_CPUS,
	RB_CPU_MEMS,
	RB_PIDS,
	RB_IO_WEIGHT,
};

enum res_throttle { RES_RBPS, RES_WBPS, RES_RIOPS, RES_WIOPS, RES_NTHROTTLE };

/* Device cgroup access bits, as the BPF program sees them (BPF_DEVCG_ACC_*). */
#define RES_ACC_MKNOD 1u
#define RES_ACC_READ  2u
#define RES_ACC_WRITE 4u
#define RES_ACC_ALL   7u

struct res_blkdev {
	int64_t major, minor;
	uint64_t value; /* a rate, or a weight for weightDevice */
};

struct res_huge {
	char size[16]; /* "2MB" */
	uint64_t limit;
};

struct res_rdma {
	const char *dev;
	bool has_handles, has_objects;
	uint32_t handles, objects;
};

struct res_kv {
	const char *key, *value;
};

struct res_dev {
	bool allow;
	char type;	      /* 'a', 'c' or 'b' */
	int64_t major, minor; /* -1: any */
	unsigned access;      /* RES_ACC_* */
};

struct res {
	uint32_t set;  /* 1 << RB_* */
	unsigned ctrl; /* 1 << RES_* controllers the limits need */
	int64_t mem_limit, mem_reservation, mem_swap, cpu_quota, cpu_idle, pids_limit;
	uint64_t cpu_shares, cpu_period, cpu_burst;
	uint64_t io_weight;
	const char *cpus, *mems;
	struct res_blkdev wdev[RES_MAX_BLKDEV];
	int nwdev;
	struct res_blkdev thr[RES_NTHROTTLE][RES_MAX_BLKDEV];
	int nthr[RES_NTHROTTLE];
	struct res_huge huge[RES_MAX_HUGE];
	int nhuge;
	struct res_rdma rdma[RES_MAX_RDMA];
	int nrdma;
	struct res_kv unified[RES_MAX_UNIFIED];
	int nunified;
	bool has_devices;
	struct res_dev dev[RES_MAX_DEVICES];
	int ndev;
};

/* One cgroup file write. verify: read back and compare (exact, or rounded to pages). */
enum res_verify { RV_NONE, RV_EXACT, RV_PREFIX, RV_PAGES };
struct res_write {
	char file[64];
	char value[256];
	int ctrl; /* enum res_ctrl, -1 for none */
	enum res_verify verify;
	bool enoent_ok;	   /* memory.swap.max without swap: "max"/"0" are no-ops, as in runc */
	bool retry_einval; /* cpu.max.burst may only fit after cpu.max changed */
};

/* Parse the LinuxResources object at token `obj`; paths in errors start with `base`
 * (".linux.resources" for config.json, "" for a standalone document). */
int res_parse(struct res *r, struct json *j, int obj, const char *base, struct rt_err *err);
/* True when r asks for anything at all (limits, unified keys or device rules). */
bool res_any(const struct res *r);
/* The writes that apply r, in a working order; bfq: io.bfq.weight exists. Returns the count. */
int res_plan(const struct res *r, bool bfq, struct res_write *w, int max, struct rt_err *err);
const char *res_ctrl_name(int c);
int res_ctrl_find(const char *name, size_t len); /* -1 when unknown */

/* runc's conversions (exported for the unit tests). */
uint64_t res_shares_to_weight(uint64_t shares);
uint64_t res_blkio_to_io_weight(uint64_t weight);
/* memory.swap.max from the v1 memory+swap value: sets *out (-1 = max, 0 = leave as is). */
int res_swap_v2(int64_t memsw, int64_t limit, int64_t *out, struct rt_err *err);

/* `runt update`'s runc-style flags, turned into a LinuxResources JSON document. */
enum res_flag {
	RF_MEMORY,
	RF_MEMORY_RESERVATION,
	RF_MEMORY_SWAP,
	RF_CPU_SHARES,
	RF_CPU_QUOTA,
	RF_CPU_PERIOD,
	RF_CPU_RT_PERIOD,
	RF_CPU_RT_RUNTIME,
	RF_CPUSET_CPUS,
	RF_CPUSET_MEMS,
	RF_PIDS_LIMIT,
	RF_BLKIO_WEIGHT,
	RF_CPU_IDLE,
	RF_CPU_BURST,
	RF_COUNT
};
const char *res_flag_name(int f); /* "memory", "cpu-shares", ... */
int res_flags_json(const char *const val[RF_COUNT], char *buf, size_t size, bool *any,
		   struct rt_err *err);

#endif
