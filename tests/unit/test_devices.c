/* test_devices.c - the device cgroup BPF program, run by a tiny interpreter of the seven
 * opcodes devices.c emits: runc's semantics (last matching rule wins, deny-all resets, the
 * default devices always allowed) checked access by access. */
#include <stdio.h>
#include <string.h>

#include "devices.h"
#include "tap.h"

static struct dev_prog P;

/* Returns the program's verdict (1 allow, 0 deny), or -1 for a malformed program. */
static int run(char type, unsigned major, unsigned minor, unsigned access)
{
	uint32_t ctx[3] = { access << 16 | (type == 'c' ? DEV_TYPE_CHAR : DEV_TYPE_BLOCK), major,
			    minor };
	uint64_t r[11] = { 0 };

	for (int pc = 0, steps = 0; pc >= 0 && pc < P.n && steps < 100000; pc++, steps++) {
		const struct dev_insn *i = &P.insn[pc];

		switch (i->code) {
		case DEV_LDX_W:
			if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case DEV_AND_K:
			r[i->dst_reg] &= (uint64_t)(int64_t)i->imm;
			break;
		case DEV_RSH_K:
			r[i->dst_reg] >>= i->imm;
			break;
		case DEV_MOV_X:
			r[i->dst_reg] = r[i->src_reg];
			break;
		case DEV_MOV_K:
			r[i->dst_reg] = (uint64_t)(int64_t)i->imm;
			break;
		case DEV_JNE_K:
			if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += i->off;
			break;
		case DEV_EXIT:
			return (int)r[0];
		default:
			return -1;
		}
	}
	return -1;
}

static void compile(const struct res_dev *rules, int n)
{
	struct rt_err err = { 0 };

	if (dev_compile(rules, n, &P, &err) < 0)
		diag("compile: %s", err.msg);
}

#define R  RES_ACC_READ
#define W  RES_ACC_WRITE
#define M  RES_ACC_MKNOD
#define RW (R | W)

static const struct res_dev deny_all = { false, 'a', -1, -1, RES_ACC_ALL };
static const struct res_dev allow_all = { true, 'a', -1, -1, RES_ACC_ALL };

static void test_no_rules(void)
{
	compile(NULL, 0);
	ok(!P.restricts, "no rules: nothing restricted, no program needed");
	is_int(run('b', 8, 0, RW), 1, "no rules: a block device is allowed (v1 default)");
}

static void test_deny_all(void)
{
	const struct res_dev rules[] = {
		deny_all,
		{ true, 'c', 1, 11, R },
		{ true, 'b', 7, -1, RES_ACC_ALL },
	};

	compile(rules, 3);
	ok(P.restricts, "deny-all first: the program restricts");
	is_int(run('c', 1, 11, R), 1, "allowed c 1:11 r");
	is_int(run('c', 1, 11, W), 0, "c 1:11 w is not in the rule's access: denied");
	is_int(run('c', 1, 11, RW), 0, "c 1:11 rw asks for more than r: denied");
	is_int(run('b', 7, 3, RW), 1, "b 7:* matches any minor");
	is_int(run('c', 7, 3, RW), 0, "b 7:* does not match a char device");
	is_int(run('b', 8, 0, R), 0, "an unlisted block device is denied");
	is_int(run('c', 10, 200, RW), 0, "an unlisted char device is denied");
	for (unsigned mi = 3; mi <= 9; mi += 2)
		is_int(run('c', 1, mi, RW), 1, "default device c 1:%u always allowed", mi);
	is_int(run('c', 1, 8, RW), 1, "default device c 1:8 (random) allowed");
	is_int(run('c', 5, 0, RW), 1, "default device c 5:0 (tty) allowed");
	is_int(run('c', 5, 2, RW), 1, "default device c 5:2 (ptmx) allowed");
	is_int(run('c', 136, 4, RW), 1, "default device c 136:* (pts) allowed");
	is_int(run('c', 10, 200, M), 1, "mknod of any char device allowed (as runc)");
	is_int(run('b', 8, 0, M), 1, "mknod of any block device allowed (as runc)");
}

static void test_last_match_wins(void)
{
	const struct res_dev rules[] = {
		deny_all,
		{ true, 'c', 10, -1, RES_ACC_ALL },
		{ false, 'c', 10, 200, RES_ACC_ALL },
	};
	const struct res_dev reset[] = {
		{ false, 'c', 1, 11, RES_ACC_ALL },
		allow_all,
	};
	const struct res_dev denylist[] = {
		{ false, 'c', 1, 11, W },
	};

	compile(rules, 3);
	is_int(run('c', 10, 200, R), 0, "a later deny overrides an earlier allow");
	is_int(run('c', 10, 229, R), 1, "... the rest of c 10:* stays allowed");
	compile(reset, 2);
	ok(!P.restricts, "a later allow-all wipes earlier rules: nothing restricted");
	is_int(run('c', 1, 11, RW), 1, "... c 1:11 allowed again");
	compile(denylist, 1);
	ok(P.restricts, "a deny rule without deny-all still restricts");
	is_int(run('c', 1, 11, W), 0, "denied access w");
	is_int(run('c', 1, 11, R), 1, "access r is allowed (default allow)");
	is_int(run('b', 8, 0, RW), 1, "other devices allowed");
}

static void test_default_devices_win(void)
{
	const struct res_dev rules[] = {
		deny_all,
		{ false, 'c', 1, 3, RES_ACC_ALL },
	};

	compile(rules, 2);
	is_int(run('c', 1, 3, RW), 1, "/dev/null stays usable even when a rule denies it (runc)");
}

int main(void)
{
	test_no_rules();
	test_deny_all();
	test_last_match_wins();
	test_default_devices_win();
	return tap_done();
}
