/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's register map (docs/emulated-asic.md), straight through
 * lb_emu_asic_read32/write32: identity and capabilities, the lane map, the chip's own checks
 * of a staged configuration (each command status, and nothing applied), read-only and absent
 * registers, latched counters.
 */
#include "asic_rig.h"

#define PREG(p, off) LB_EMU_ASIC_PORT_REG(p, off)

static void test_identity(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_asic *a;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_asic_create(w, "nonesuch", &a), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_asic_create(w, "jericho4-class", &a), LB_OK);
	assert_ptr_equal(lb_emu_asic_world(a), w);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_ID), LB_EMU_ASIC_ID);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_VERSION), 1);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_SWITCH_TYPE), 2);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANES), 512);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_CAPACITY_GBPS), 51200);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_HBM_BYTES + 4), 8); /* 32 GiB: high word 8 */
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_HBM_BYTES), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_MODEL), 'j' | 'e' << 8 | 'r' << 16 | 'i' << 24);
	/* the lane map at power-on: 64 ports of 8 lanes */
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANE_OWNER(0)), 1);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANE_OWNER(511)), 64);
	uint32_t v;
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_REG_LANE_OWNER(512), &v), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_read32(a, 2, &v), LB_E_RANGE);        /* unaligned */
	assert_int_equal(lb_emu_asic_read32(a, 0x0900, &v), LB_E_RANGE);   /* nothing there */
	assert_int_equal(lb_emu_asic_read32(a, PREG(512, 0), &v), LB_E_RANGE); /* past the ports */
	assert_int_equal(lb_emu_asic_read32(a, PREG(0, 0x3FC), &v), LB_E_RANGE);
	/* read-only registers ignore writes, as hardware does */
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_REG_LANES, 4), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANES), 512);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_LIVE_SPEED), 1), LB_OK);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_LIVE_SPEED)), 800000);
	assert_int_equal(lb_emu_asic_write32(a, 0x0900, 1), LB_E_RANGE);
	uint64_t before = lb_emu_asic_accesses(a);
	(void)asic_reg(a, 0);
	assert_int_equal(lb_emu_asic_accesses(a), before + 1);
	lb_emu_asic_destroy(a);
	lb_emu_world_destroy(w);
}

/* Stage a whole configuration of port p and run cmd; the command status. */
static uint32_t stage(struct lb_emu_asic *a, uint32_t p, uint32_t first, uint32_t n, uint32_t speed,
		      uint32_t fec, uint32_t ctrl, uint32_t mtu, uint32_t cmd)
{
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_CFG_LANES), first | n << 16), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_CFG_SPEED), speed), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_CFG_FEC), fec), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_CFG_CTRL), ctrl), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_CFG_MTU), mtu), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(p, LB_EMU_ASIC_P_COMMAND), cmd), LB_OK);
	return asic_reg(a, PREG(p, LB_EMU_ASIC_P_CMD_STATUS));
}

static void test_chip_checks(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_asic *a;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_asic_create(w, "small", &a), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PREG(3, LB_EMU_ASIC_P_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, PREG(3, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANE_OWNER(24)), 0);
	struct {
		uint32_t port, first, n, speed, fec, ctrl, mtu, cmd, err;
	} cases[] = {
		{ 5, 24, 3, 300000, 3, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_LANES },
		{ 5, 28, 8, 800000, 3, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_LANES },
		{ 5, 16, 8, 800000, 3, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_OVERLAP },
		{ 5, 24, 4, 800000, 3, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_SPEED },
		{ 5, 24, 8, 800000, 2, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_FEC },
		{ 5, 24, 8, 800000, 9, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_FEC },
		{ 5, 24, 8, 800000, 3, 0, 9999, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_MTU },
		{ 5, 24, 8, 800000, 3, 0x70000, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_CTRL },
		{ 5, 24, 8, 800000, 3, 0x300, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_CTRL },
		{ 5, 24, 8, 800000, 3, 0, 9100, LB_EMU_ASIC_CMD_APPLY, LB_EMU_ASIC_ERR_NOPORT },
		{ 0, 0, 8, 800000, 3, 0, 9100, LB_EMU_ASIC_CMD_CREATE, LB_EMU_ASIC_ERR_TAKEN },
		{ 0, 0, 4, 400000, 3, 0, 9100, LB_EMU_ASIC_CMD_APPLY, LB_EMU_ASIC_ERR_EXISTS },
		{ 5, 24, 8, 800000, 3, 0, 9100, 7, LB_EMU_ASIC_ERR_COMMAND },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct asic_snapshot before, after;
		asic_snapshot_take(a, &before);
		uint32_t err = stage(a, cases[i].port, cases[i].first, cases[i].n, cases[i].speed,
				     cases[i].fec, cases[i].ctrl, cases[i].mtu, cases[i].cmd);
		if (err != cases[i].err)
			fail_msg("case %zu: status %u, expected %u", i, err, cases[i].err);
		asic_snapshot_take(a, &after);
		asic_snapshot_same(&before, &after);
	}
	/* the staged registers read back what was written; the live ones what is in force */
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CFG_LANES)), 4u << 16);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_LIVE_LANES)), 8u << 16);
	/* and a good one goes in whole */
	assert_int_equal(stage(a, 5, 24, 8, 800000, 3, 0x180001, 1500, LB_EMU_ASIC_CMD_CREATE), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_LANE_OWNER(31)), 6);
	assert_int_equal(asic_reg(a, PREG(5, LB_EMU_ASIC_P_STATUS)), 3); /* exists, up */
	assert_int_equal(asic_reg(a, PREG(5, LB_EMU_ASIC_P_OPER_SPEED)), 800000);
	assert_int_equal(stage(a, 5, 24, 8, 800000, 3, 0, 1500, LB_EMU_ASIC_CMD_APPLY), 0);
	assert_int_equal(asic_reg(a, PREG(5, LB_EMU_ASIC_P_STATUS)), 1u | 1u << 8); /* admin down */
	lb_emu_world_destroy(w); /* the ASIC with it */
}

static void test_latched_counters(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_asic *a;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_asic_create(w, "small", &a), LB_OK);
	assert_int_equal(stage(a, 0, 0, 8, 800000, 3, 1, 9100, LB_EMU_ASIC_CMD_APPLY), 0);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 1, .frame_bytes = 64 };
	assert_int_equal(lb_emu_asic_set_traffic(a, 0, &t), LB_OK);
	/* the world device runs with the world's clock, with no register access */
	lb_emu_world_advance_ns(w, 1000000);
	uint64_t accesses = lb_emu_asic_accesses(a);
	lb_emu_world_advance_ns(w, 1000000);
	assert_int_equal(lb_emu_asic_accesses(a), accesses);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_CNT_CTRL), LB_EMU_ASIC_CNT_LATCH), LB_OK);
	uint32_t cw = asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_FEC_CW)));
	assert_int_equal(cw, 312500); /* 2 ms of 156.25 M codewords a second */
	/* the latched value stays while the counter runs on, until the next latch */
	lb_emu_world_advance_ns(w, 1000000);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_FEC_CW))), cw);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_CNT_CTRL), LB_EMU_ASIC_CNT_LATCH), LB_OK);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_FEC_CW))), 468750);
	/* 64-bit: the high word of the octets after a long run */
	lb_emu_world_advance_ns(w, 10ull * 1000000000ull);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_CNT_CTRL), LB_EMU_ASIC_CNT_LATCH), LB_OK);
	uint64_t octets = asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_IN_OCTETS))) |
			  (uint64_t)asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_IN_OCTETS)) + 4) << 32;
	assert_true(octets > UINT32_MAX);
	uint64_t frames = asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_IN_UCAST))) |
			  (uint64_t)asic_reg(a, PREG(0, LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_C_IN_UCAST)) + 4) << 32;
	assert_int_equal(octets, frames * 64);
	lb_emu_asic_destroy(a);
	lb_emu_world_destroy(w);
}

/* The buffer tables' own checks: references, directions, values, what is in use. */
static void test_buffer_tables(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_asic *a;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_asic_create(w, "small", &a), LB_OK);
#define POOL(n, off) LB_EMU_ASIC_POOL_REG(n, off)
#define PROF(n, off) LB_EMU_ASIC_PROFILE_REG(n, off)
	/* pool 0: egress, 1 MiB; with a shared headroom pool it is refused */
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_TYPE), 2), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_SIZE), 1u << 20), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_XOFF), 4096), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_STATUS)), LB_EMU_ASIC_ERR_VALUE);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_EXISTS)), 0);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_XOFF), 0), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_STATUS)), 0);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_LIVE + LB_EMU_ASIC_POOL_SIZE)), 1u << 20);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_STATUS)), LB_EMU_ASIC_ERR_TAKEN);
	/* a profile on a missing pool, then one with headroom on the egress pool */
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_POOL), 3), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), LB_EMU_ASIC_ERR_NOPOOL);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_POOL), 0), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_XOFF), 4096), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), LB_EMU_ASIC_ERR_DIRECTION);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_XOFF), 0), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_DYN_TH), (uint32_t)-9), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), LB_EMU_ASIC_ERR_VALUE);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_DYN_TH), (uint32_t)-3), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), 0);
	/* bindings: a PG takes no egress profile, a queue does; then neither goes while bound */
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_PG(3)), 1), LB_OK);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_DIRECTION);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_PG(3))), 0);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_QUEUE(3)), 1), LB_OK);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CMD_STATUS)), 0);
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_QUEUE(4)), 9), LB_OK);
	assert_int_equal(asic_reg(a, PREG(0, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_NOPROFILE);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), LB_EMU_ASIC_ERR_BUSY);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_STATUS)), LB_EMU_ASIC_ERR_BUSY);
	/* removing the port frees its bindings */
	assert_int_equal(lb_emu_asic_write32(a, PREG(0, LB_EMU_ASIC_P_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, PROF(0, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, PROF(0, LB_EMU_ASIC_PROF_STATUS)), 0);
	assert_int_equal(lb_emu_asic_write32(a, POOL(0, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, POOL(0, LB_EMU_ASIC_POOL_STATUS)), 0);
	uint32_t v;
	assert_int_equal(lb_emu_asic_read32(a, PROF(0, 0x78), &v), LB_E_RANGE);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_chip_checks),
		cmocka_unit_test(test_latched_counters),
		cmocka_unit_test(test_buffer_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
