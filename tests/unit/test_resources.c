/* test_resources.c - LinuxResources parsing (values, JSON-path errors, refusals), runc's
 * v1 -> v2 conversions, the plan of cgroup writes, and update's flags. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resources.h"
#include "tap.h"

static struct res R;
static struct res_write W[RES_MAX_WRITES];
static int NW;
static char BUF[8192];
static struct json J;

/* Documents use ' for " to stay readable. */
static int parse(const char *text, struct rt_err *err)
{
	snprintf(BUF, sizeof(BUF), "{'linux':{'resources':%s}}", text);
	for (char *p = BUF; *p; p++)
		if (*p == '\'')
			*p = '"';
	json_free(&J);
	memset(&J, 0, sizeof(J));
	memset(err, 0, sizeof(*err));
	if (json_parse(&J, "config.json", BUF, strlen(BUF), err) < 0)
		return -1;
	return res_parse(&R, &J, json_find(&J, json_find(&J, 0, "linux"), "resources"),
			 ".linux.resources", err);
}

/* Parse and plan; the writes joined as "file=value;..." */
static const char *plan(const char *text, bool bfq)
{
	static char out[8192];
	static struct rt_err err;

	out[0] = '\0';
	if (parse(text, &err) < 0 || (NW = res_plan(&R, bfq, W, RES_MAX_WRITES, &err)) < 0)
		return err.msg;
	for (int i = 0; i < NW; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%.63s=%.255s",
			 i ? ";" : "", W[i].file, W[i].value);
	return out;
}

static void refused(const char *text, const char *msg)
{
	is_str(plan(text, false), msg, "refused: %s", text);
}

static void test_conversions(void)
{
	is_int((long long)res_shares_to_weight(2), 1, "shares 2 -> weight 1");
	is_int((long long)res_shares_to_weight(1024), 39, "shares 1024 -> weight 39 (runc)");
	is_int((long long)res_shares_to_weight(262144), 10000, "shares 262144 -> weight 10000");
	is_int((long long)res_blkio_to_io_weight(10), 1, "blkio 10 -> io 1");
	is_int((long long)res_blkio_to_io_weight(500), 4950, "blkio 500 -> io 4950");
	is_int((long long)res_blkio_to_io_weight(1000), 10000, "blkio 1000 -> io 10000");
}

static void test_memory(void)
{
	is_str(plan("{'memory':{'limit':1048576}}", false), "memory.max=1048576",
	       "memory.limit alone");
	is_str(plan("{'memory':{'limit':1048576,'swap':3145728,'reservation':524288}}", false),
	       "memory.swap.max=2097152;memory.max=1048576;memory.low=524288",
	       "swap is memory+swap minus the limit; reservation -> memory.low");
	is_str(plan("{'memory':{'limit':1048576,'swap':1048576}}", false),
	       "memory.swap.max=0;memory.max=1048576", "swap == limit: no swap at all");
	ok(NW == 2 && W[0].enoent_ok, "... and a system without swap is fine with that");
	is_str(plan("{'memory':{'limit':-1}}", false), "memory.swap.max=max;memory.max=max",
	       "limit -1: memory and swap unlimited (runc)");
	is_str(plan("{'memory':{'limit':1048576,'swap':-1}}", false),
	       "memory.swap.max=max;memory.max=1048576", "swap -1: unlimited swap");
	is_str(plan("{'memory':{'kernel':1,'kernelTCP':1,'swappiness':60,"
		    "'disableOOMKiller':true}}",
		    false),
	       "", "kernel, kernelTCP, swappiness, disableOOMKiller: ignored on v2 as by runc");
	refused("{'memory':{'limit':-2}}",
		"config.json: .linux.resources.memory.limit: -2 is invalid (-1 (unlimited) or "
		"bytes)");
	refused("{'memory':{'limit':'1g'}}",
		"config.json: .linux.resources.memory.limit: expected number, got string");
	refused("{'memory':{'limit':2097152,'swap':1048576}}",
		"memory.swap (1048576) must be >= memory.limit (2097152): it is memory + swap, as "
		"on cgroup v1");
	refused("{'memory':{'swap':1048576}}", "memory.swap: a swap limit needs a memory limit");
	refused("{'memory':{'limit':1,'limit':2}}",
		"config.json: .linux.resources.memory.limit: duplicate key");
}

static void test_cpu(void)
{
	is_str(plan("{'cpu':{'shares':1024,'quota':50000,'period':100000}}", false),
	       "cpu.weight=39;cpu.max=50000 100000", "shares -> weight; quota/period -> cpu.max");
	is_str(plan("{'cpu':{'quota':-1}}", false), "cpu.max=max", "quota -1 -> max");
	is_str(plan("{'cpu':{'period':20000}}", false), "cpu.max=max 20000",
	       "period alone keeps quota unlimited");
	is_str(plan("{'cpu':{'quota':20000,'burst':10000,'idle':1}}", false),
	       "cpu.idle=1;cpu.max.burst=10000;cpu.max=20000", "idle and burst");
	ok(W[1].retry_einval, "... burst is retried after cpu.max on EINVAL");
	is_str(plan("{'cpu':{'cpus':'0-1,3','mems':'0'}}", false),
	       "cpuset.cpus=0-1,3;cpuset.mems=0", "cpus and mems -> cpuset");
	is_str(plan("{'cpu':{'realtimeRuntime':0,'realtimePeriod':0}}", false), "",
	       "realtime 0 is 'not set'");
	refused("{'cpu':{'realtimeRuntime':950000}}",
		"config.json: .linux.resources.cpu.realtimeRuntime: realtime CPU limits are cgroup "
		"v1 only (cgroup v2 has no cpu.rt_*); runc refuses them on cgroup v2 too");
	refused("{'cpu':{'shares':1}}",
		"config.json: .linux.resources.cpu.shares: 1 is out of range [2, 262144]");
	refused("{'cpu':{'shares':-5}}",
		"config.json: .linux.resources.cpu.shares: must not be negative, got -5");
	refused("{'cpu':{'cpus':'0\\n1'}}",
		"config.json: .linux.resources.cpu.cpus: invalid cpu/node list \"0\n1\"");
	refused("{'cpu':{'idle':-1}}",
		"config.json: .linux.resources.cpu.idle: -1 is invalid (0 or 1)");
	ok(parse("{'cpu':{'shares':512}}", &(struct rt_err){ 0 }) == 0 && R.ctrl == 1u << RES_CPU,
	   "cpu limits need the cpu controller only");
}

static void test_pids_io(void)
{
	is_str(plan("{'pids':{'limit':42}}", false), "pids.max=42", "pids.limit");
	is_str(plan("{'pids':{'limit':-1}}", false), "pids.max=max", "pids.limit -1 -> max");
	is_str(plan("{'pids':{'limit':0}}", false), "pids.max=max", "pids.limit 0 -> max");
	is_str(plan("{'blockIO':{'weight':500}}", false), "io.weight=4950",
	       "blockIO.weight -> io.weight, converted");
	is_str(plan("{'blockIO':{'weight':500}}", true), "io.bfq.weight=500",
	       "... io.bfq.weight keeps blkio's scale");
	is_str(plan("{'blockIO':{'weightDevice':[{'major':8,'minor':0,'weight':100}],"
		    "'throttleReadBpsDevice':[{'major':8,'minor':0,'rate':1048576}],"
		    "'throttleWriteIOPSDevice':[{'major':8,'minor':16,'rate':100}]}}",
		    false),
	       "io.weight=8:0 910;io.max=8:0 rbps=1048576;io.max=8:16 wiops=100",
	       "weightDevice and throttles -> io.weight / io.max");
	refused("{'blockIO':{'weight':5}}",
		"config.json: .linux.resources.blockIO.weight: 5 is out of range [10, 1000]");
	refused("{'blockIO':{'throttleReadBpsDevice':[{'major':8,'rate':1}]}}",
		"config.json: .linux.resources.blockIO.throttleReadBpsDevice[0].minor: required");
	refused("{'blockIO':{'throttleReadBpsDevice':[{'major':-8,'minor':0,'rate':1}]}}",
		"config.json: .linux.resources.blockIO.throttleReadBpsDevice[0].major: -8 is "
		"invalid (a device number is never negative)");
}

static void test_huge_rdma_unified(void)
{
	is_str(plan("{'hugepageLimits':[{'pageSize':'2MB','limit':4194304}]}", false),
	       "hugetlb.2MB.max=4194304", "hugepageLimits -> hugetlb.<size>.max");
	refused("{'hugepageLimits':[{'pageSize':'../2MB','limit':1}]}",
		"config.json: .linux.resources.hugepageLimits[0].pageSize: invalid page size "
		"\"../2MB\" (e.g. \"2MB\")");
	is_str(plan("{'rdma':{'mlx5_0':{'hcaHandles':3,'hcaObjects':1000}}}", false),
	       "rdma.max=mlx5_0 hca_handle=3 hca_object=1000", "rdma -> rdma.max");
	is_str(plan("{'unified':{'memory.high':'50000000','pids.max':'7'}}", false),
	       "memory.high=50000000;pids.max=7", "unified keys are written verbatim");
	ok(R.ctrl == (1u << RES_MEMORY | 1u << RES_PIDS), "... and need their controllers");
	is_str(plan("{'unified':{'hugetlb.2MB.max':'max','hugetlb.1GB.rsvd.max':'0'}}", false),
	       "hugetlb.2MB.max=max;hugetlb.1GB.rsvd.max=0",
	       "unified keys as the kernel names them, upper case included");
	refused(
	    "{'unified':{'../../memory.max':'1'}}",
	    "config.json: .linux.resources.unified[\"../../memory.max\"]: invalid key: expected "
	    "<controller>.<file>");
	refused("{'unified':{'memory':'1'}}",
		"config.json: .linux.resources.unified[\"memory\"]: invalid key: expected "
		"<controller>.<file>");
	refused("{'unified':{'foo.bar':'1'}}",
		"config.json: .linux.resources.unified[\"foo.bar\"]: unknown controller \"foo\"");
	refused("{'unified':{'cgroup.procs':'1'}}",
		"config.json: .linux.resources.unified[\"cgroup.procs\"]: unknown or forbidden "
		"cgroup core file");
	is_str(plan("{'unified':{'cgroup.max.depth':'2'}}", false), "cgroup.max.depth=2",
	       "cgroup.max.depth is allowed");
	refused(
	    "{'unified':{'memory.max':1}}",
	    "config.json: .linux.resources.unified[\"memory.max\"]: expected string, got number");
}

static void test_devices(void)
{
	struct rt_err err;

	ok(parse("{'devices':[{'allow':false,'access':'rwm'},"
		 "{'allow':true,'type':'c','major':1,'minor':11,'access':'r'}]}",
		 &err) == 0 &&
	       R.has_devices && R.ndev == 2,
	   "devices parsed");
	ok(R.dev[0].type == 'a' && R.dev[0].major == -1 && R.dev[0].minor == -1 &&
	       R.dev[0].access == RES_ACC_ALL && !R.dev[0].allow,
	   "unset type/major/minor mean all");
	ok(R.dev[1].type == 'c' && R.dev[1].major == 1 && R.dev[1].minor == 11 &&
	       R.dev[1].access == RES_ACC_READ && R.dev[1].allow,
	   "a char device rule");
	ok(R.ctrl == 0 && res_any(&R), "device rules need no controller");
	refused("{'devices':[{'access':'rwm'}]}",
		"config.json: .linux.resources.devices[0].allow: required");
	refused("{'devices':[{'allow':true,'type':'x'}]}",
		"config.json: .linux.resources.devices[0].type: invalid device type \"x\" (a, c or "
		"b)");
	refused("{'devices':[{'allow':true,'access':'rwx'}]}",
		"config.json: .linux.resources.devices[0].access: invalid access \"rwx\" (letters "
		"r, w and m)");
}

static const char *flags_doc(const char *const v[RF_COUNT])
{
	static char out[1024];
	static struct rt_err err;
	bool any;

	if (res_flags_json(v, out, sizeof(out), &any, &err) < 0)
		return err.msg;
	return out;
}

static void test_flags(void)
{
	const char *v[RF_COUNT] = { 0 };

	v[RF_MEMORY] = "512m";
	v[RF_PIDS_LIMIT] = "20";
	v[RF_CPU_QUOTA] = "-1";
	v[RF_CPUSET_CPUS] = "0";
	is_str(flags_doc(v),
	       "{\"memory\":{\"limit\":536870912},\"cpu\":{\"quota\":-1,\"cpus\":\"0\"},"
	       "\"pids\":{\"limit\":20}}",
	       "update flags become a LinuxResources document");
	v[RF_MEMORY] = "12x";
	is_str(flags_doc(v), "--memory: invalid value \"12x\"", "a bad size is refused");
	v[RF_MEMORY] = "1G";
	v[RF_CPU_SHARES] = "-3";
	is_str(flags_doc(v), "--cpu-shares: invalid value \"-3\"", "a negative count is refused");
}

int main(void)
{
	test_conversions();
	test_memory();
	test_cpu();
	test_pids_io();
	test_huge_rdma_unified();
	test_devices();
	test_flags();
	json_free(&J);
	return tap_done();
}
