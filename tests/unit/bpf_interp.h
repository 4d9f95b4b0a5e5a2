/* bpf_interp.h - a userspace classic-BPF interpreter for seccomp programs (the subset
 * seccomp allows: ld/ldx abs/imm/mem, st, alu, jmp, ret), so tests can run runt's and
 * libseccomp's filters on struct seccomp_data. Invalid programs return BPF_INVALID. */
#ifndef RUNT_BPF_INTERP_H
#define RUNT_BPF_INTERP_H

#include <stdint.h>
#include <string.h>

#define BPF_INVALID 0xdeadbeefU

struct bpf_insn_t {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct bpf_data_t {
	int32_t nr;
	uint32_t arch;
	uint64_t ip;
	uint64_t args[6];
};

static inline uint32_t bpf_alu(uint16_t op, uint32_t a, uint32_t v, int *bad)
{
	switch (op) {
	case 0x00:
		return a + v;
	case 0x10:
		return a - v;
	case 0x20:
		return a * v;
	case 0x30:
		return v ? a / v : (*bad = 1, 0);
	case 0x40:
		return a | v;
	case 0x50:
		return a & v;
	case 0x60:
		return v < 32 ? a << v : 0;
	case 0x70:
		return v < 32 ? a >> v : 0;
	case 0x80:
		return -a;
	case 0x90:
		return v ? a % v : (*bad = 1, 0);
	case 0xa0:
		return a ^ v;
	}
	*bad = 1;
	return 0;
}

static inline int bpf_jmp(uint16_t op, uint32_t a, uint32_t v, int *bad)
{
	switch (op) {
	case 0x10:
		return a == v;
	case 0x20:
		return a > v;
	case 0x30:
		return a >= v;
	case 0x40:
		return (a & v) != 0;
	}
	*bad = 1;
	return 0;
}

/* Runs prog[0..len) on d; returns the RET value, or BPF_INVALID (bad insn, read out of
 * bounds, jump out of range, falling off the end). *steps counts executed instructions. */
static inline uint32_t bpf_run(const void *prog, int len, const struct bpf_data_t *d, int *steps)
{
	const struct bpf_insn_t *p = prog;
	uint32_t a = 0, x = 0, mem[16] = { 0 }, w;
	unsigned char data[64];
	int pc = 0, bad = 0, n = 0;

	memcpy(data, d, sizeof(data));
	while (pc >= 0 && pc < len && !bad) {
		const struct bpf_insn_t *i = &p[pc++];
		uint32_t src = (i->code & 0x08) ? x : i->k;

		n++;
		switch (i->code & 0x07) {
		case 0x00: /* LD */
		case 0x01: /* LDX */
			switch (i->code & 0xe0) {
			case 0x20: /* ABS, words only */
				if ((i->code & 0x18) != 0 || i->k > 60 || i->k % 4)
					return BPF_INVALID;
				memcpy(&w, data + i->k, 4);
				break;
			case 0x00:
				w = i->k;
				break; /* IMM */
			case 0x60:
				w = mem[i->k & 15];
				break; /* MEM */
			case 0x80:
				w = sizeof(data);
				break; /* LEN */
			default:
				return BPF_INVALID;
			}
			if ((i->code & 0x07) == 0x00)
				a = w;
			else
				x = w;
			break;
		case 0x02:
			mem[i->k & 15] = a;
			break; /* ST */
		case 0x03:
			mem[i->k & 15] = x;
			break; /* STX */
		case 0x04:
			a = bpf_alu(i->code & 0xf0, a, src, &bad);
			break;
		case 0x05: /* JMP */
			if ((i->code & 0xf0) == 0x00)
				pc += (int)i->k;
			else
				pc += bpf_jmp(i->code & 0xf0, a, src, &bad) ? i->jt : i->jf;
			break;
		case 0x06: /* RET */
			if (steps)
				*steps = n;
			return (i->code & 0x18) == 0x10 ? a : i->k;
		case 0x07: /* MISC: TAX / TXA */
			if (i->code & 0x80)
				a = x;
			else
				x = a;
			break;
		}
	}
	return BPF_INVALID;
}

#endif
