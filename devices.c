/* devices.c - builds the cgroup v2 device filter from raw BPF instructions (no libbpf in a
 * static embedded binary) and attaches it with bpf(2). */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "devices.h"

#ifndef BPF_PROG_LOAD
#define BPF_PROG_LOAD 5
#endif
#ifndef BPF_PROG_ATTACH
#define BPF_PROG_ATTACH 8
#endif
#define BPF_PROG_TYPE_CGROUP_DEVICE 15
#define BPF_CGROUP_DEVICE	    6
#define BPF_F_ALLOW_MULTI	    2

/* union bpf_attr, the BPF_PROG_LOAD and BPF_PROG_ATTACH members. */
struct bpf_load_attr {
	uint32_t prog_type, insn_cnt;
	uint64_t insns, license;
	uint32_t log_level, log_size;
	uint64_t log_buf;
	uint32_t kern_version, prog_flags;
	char prog_name[16];
	uint32_t prog_ifindex, expected_attach_type;
};

struct bpf_attach_attr {
	uint32_t target_fd, attach_bpf_fd, attach_type, attach_flags, replace_bpf_fd;
};

/* What runc always allows, so the container's own /dev keeps working whatever the rules
 * say: mknod of any node (runt creates linux.devices inside the container after the filter
 * is attached; opening them is still filtered, and mknod needs CAP_MKNOD), then null zero
 * full random urandom tty ptmx and the pts slaves. */
static const struct res_dev default_allowed[] = {
	{ true, 'c', -1, -1, RES_ACC_MKNOD }, { true, 'b', -1, -1, RES_ACC_MKNOD },
	{ true, 'c', 1, 3, RES_ACC_ALL },     { true, 'c', 1, 5, RES_ACC_ALL },
	{ true, 'c', 1, 7, RES_ACC_ALL },     { true, 'c', 1, 8, RES_ACC_ALL },
	{ true, 'c', 1, 9, RES_ACC_ALL },     { true, 'c', 5, 0, RES_ACC_ALL },
	{ true, 'c', 5, 2, RES_ACC_ALL },     { true, 'c', 136, -1, RES_ACC_ALL },
};

#define NDEFAULT (int)(sizeof(default_allowed) / sizeof(default_allowed[0]))

static void emit(struct dev_prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off,
		 int32_t imm)
{
	struct dev_insn *i = &p->insn[p->n++];

	i->code = code;
	i->dst_reg = dst;
	i->src_reg = src;
	i->off = off;
	i->imm = imm;
}

static bool full_wildcard(const struct res_dev *d)
{
	return d->type == 'a' && d->major == -1 && d->minor == -1 && d->access == RES_ACC_ALL;
}

/* r2 = device type, r3 = requested access, r4 = major, r5 = minor. */
static void prologue(struct dev_prog *p)
{
	emit(p, DEV_LDX_W, 2, 1, 0, 0);
	emit(p, DEV_AND_K, 2, 0, 0, 0xffff);
	emit(p, DEV_LDX_W, 3, 1, 0, 0);
	emit(p, DEV_RSH_K, 3, 0, 0, 16);
	emit(p, DEV_LDX_W, 4, 1, 4, 0);
	emit(p, DEV_LDX_W, 5, 1, 8, 0);
}

/* One rule: each test jumps to the next block on mismatch (offsets are fixed once the
 * block is laid out); a match returns the verdict. The access test passes when the request
 * asks for nothing the rule does not grant. */
static void rule_block(struct dev_prog *p, const struct res_dev *d)
{
	int start = p->n;

	if (d->type != 'a')
		emit(p, DEV_JNE_K, 2, 0, 0, d->type == 'c' ? DEV_TYPE_CHAR : DEV_TYPE_BLOCK);
	if (d->access != RES_ACC_ALL) {
		emit(p, DEV_MOV_X, 1, 3, 0, 0);
		emit(p, DEV_AND_K, 1, 0, 0, (int32_t)(RES_ACC_ALL & ~d->access));
		emit(p, DEV_JNE_K, 1, 0, 0, 0);
	}
	if (d->major >= 0)
		emit(p, DEV_JNE_K, 4, 0, 0, (int32_t)d->major);
	if (d->minor >= 0)
		emit(p, DEV_JNE_K, 5, 0, 0, (int32_t)d->minor);
	emit(p, DEV_MOV_K, 0, 0, 0, d->allow);
	emit(p, DEV_EXIT, 0, 0, 0, 0);
	for (int i = start; i < p->n; i++) /* off counts from the next instruction */
		if (p->insn[i].code == DEV_JNE_K)
			p->insn[i].off = (int16_t)(p->n - i - 1);
}

int dev_compile(const struct res_dev *rules, int n, struct dev_prog *p, struct rt_err *err)
{
	const struct res_dev *kept[RES_MAX_DEVICES + NDEFAULT];
	int nkept = 0;
	bool dflt = true; /* v1 semantics: without a deny-all, everything is allowed */

	if (n > RES_MAX_DEVICES)
		return rt_fail(err, E2BIG, "linux.resources.devices: more than %d rules",
			       RES_MAX_DEVICES);
	p->n = 0;
	p->restricts = false;
	for (int i = 0; i < n + NDEFAULT; i++) {
		const struct res_dev *d = i < n ? &rules[i] : &default_allowed[i - n];

		if (full_wildcard(d)) {
			dflt = d->allow;
			nkept = 0;
			continue;
		}
		kept[nkept++] = d;
	}
	p->restricts = !dflt;
	prologue(p);
	for (int i = nkept - 1; i >= 0; i--) {
		p->restricts |= !kept[i]->allow;
		rule_block(p, kept[i]);
	}
	emit(p, DEV_MOV_K, 0, 0, 0, dflt);
	emit(p, DEV_EXIT, 0, 0, 0, 0);
	return 0;
}

static long sys_bpf(int cmd, void *attr, unsigned size)
{
	return syscall(SYS_bpf, cmd, attr, size);
}

int dev_attach(int cgroup_fd, const struct dev_prog *p, struct rt_err *err)
{
	struct bpf_load_attr load = {
		.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE,
		.insn_cnt = (uint32_t)p->n,
		.insns = (uint64_t)(uintptr_t)p->insn,
		.license = (uint64_t)(uintptr_t) "Apache",
		.expected_attach_type = BPF_CGROUP_DEVICE,
	};
	struct bpf_attach_attr at = { 0 };
	int fd, r = 0;

	strcpy(load.prog_name, "runt_devices");
	fd = (int)sys_bpf(BPF_PROG_LOAD, &load, sizeof(load));
	if (fd < 0) {
		rt_sysfail(err, "load the device cgroup BPF program");
		return rt_hint(err, "the kernel needs CONFIG_CGROUP_BPF to enforce "
				    "linux.resources.devices on cgroup v2");
	}
	at.target_fd = (uint32_t)cgroup_fd;
	at.attach_bpf_fd = (uint32_t)fd;
	at.attach_type = BPF_CGROUP_DEVICE;
	at.attach_flags = BPF_F_ALLOW_MULTI;
	if (sys_bpf(BPF_PROG_ATTACH, &at, sizeof(at)) < 0)
		r = rt_sysfail(err, "attach the device cgroup BPF program");
	close(fd); /* the attachment holds the program */
	return r;
}
