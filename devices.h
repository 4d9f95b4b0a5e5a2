/* devices.h - linux.resources.devices compiled into a BPF_PROG_TYPE_CGROUP_DEVICE program
 * (cgroup v2 has no devices.allow file) and attached to the container's cgroup. */
#ifndef RUNT_DEVICES_H
#define RUNT_DEVICES_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "resources.h"

/* struct bpf_insn of linux/bpf.h: the bitfields follow the kernel's own, so the nibble
 * order is right on big-endian boards too. */
struct dev_insn {
	uint8_t code;
	uint8_t dst_reg : 4;
	uint8_t src_reg : 4;
	int16_t off;
	int32_t imm;
};

/* Opcodes the program uses (BPF_CLASS | BPF_OP | BPF_SRC). */
#define DEV_LDX_W    0x61 /* dst = *(u32 *)(src + off) */
#define DEV_AND_K    0x57 /* dst &= imm (64-bit) */
#define DEV_RSH_K    0x77 /* dst >>= imm */
#define DEV_MOV_X    0xbf /* dst = src */
#define DEV_MOV_K    0xb7 /* dst = imm */
#define DEV_JNE_K    0x55 /* if dst != imm: pc += off */
#define DEV_EXIT     0x95 /* return r0 */
#define DEV_MAX_INSN (8 * (RES_MAX_DEVICES + 16) + 8)

/* bpf_cgroup_dev_ctx.access_type's low half (BPF_DEVCG_DEV_*). */
#define DEV_TYPE_BLOCK 1
#define DEV_TYPE_CHAR  2

struct dev_prog {
	int n;
	bool restricts; /* some access is denied: the program must be attached */
	/* last: a short program writes only the first page of this 9 KB (issue 8) */
	struct dev_insn insn[DEV_MAX_INSN];
};

/* Rules as runc/crun read them: the last matching rule wins (the program tests them last
 * to first); a full wildcard ("a *:* rwm") resets the default and drops earlier rules; the
 * devices runt creates itself are always allowed. */
int dev_compile(const struct res_dev *rules, int n, struct dev_prog *p, struct rt_err *err);
/* BPF_PROG_LOAD + BPF_PROG_ATTACH(BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI) on cgroup_fd. */
int dev_attach(int cgroup_fd, const struct dev_prog *p, struct rt_err *err);

#endif
