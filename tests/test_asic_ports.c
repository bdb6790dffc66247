/* SPDX-License-Identifier: MIT */
/*
 * ASIC ports through the public API, on the emulated ASIC through its driver: capabilities,
 * the ports at power-on, breakout (remove and create), changes applied whole, every rule
 * that refuses a change (and that nothing reached the chip then), the chip's own refusal of
 * a change the core found valid, and the operational state with its reason.
 */
#include <stdio.h>
#include "asic_rig.h"

static struct lb_asic_port_config port_cfg(uint32_t first, uint32_t count, uint32_t mbps,
					   enum lb_asic_fec fec)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.first_lane = first;
	c.lane_count = count;
	c.speed_mbps = mbps;
	c.fec = fec;
	return c;
}

static void test_caps(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_switch_caps c = LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(r.sw, &c), LB_OK);
	assert_int_equal(c.size, sizeof(c));
	assert_string_equal(c.model, "small");
	assert_int_equal(c.type, LB_SWITCH_TYPE_NPU);
	assert_int_equal(c.max_ports, 32);
	assert_int_equal(c.lanes, 32);
	assert_int_equal(c.lanes_per_group, 8);
	assert_int_equal(c.n_lane_speeds, 1);
	assert_int_equal(c.lane_speeds_mbps[0], 100000);
	assert_int_equal(c.n_speeds, 4);
	assert_int_equal(c.speeds_mbps[0], 100000);
	assert_int_equal(c.speeds_mbps[3], 800000);
	assert_int_equal(c.fec_modes, 0xF);
	assert_int_equal(c.capacity_mbps, 3200000);
	assert_int_equal(c.onchip_buffer_bytes, 64ull << 20);
	assert_int_equal(c.hbm_bytes, 0);
	assert_int_equal(c.cell_bytes, 256);
	assert_int_equal(c.queues_per_port, 8);
	assert_int_equal(c.pgs_per_port, 8);
	assert_int_equal(c.lossless_priorities, 2);
	assert_int_equal(c.max_mtu, 9216);
	/* the size rule: below the first layout refused, nothing written */
	struct lb_switch_caps small = { .size = LB_SWITCH_CAPS_SIZE_V1 - 1 };
	assert_int_equal(lb_switch_get_caps(r.sw, &small), LB_E_INVAL);
	assert_int_equal(small.model[0], 0);
	asic_rig_close(&r);

	asic_rig_open(&r, "jericho4-class");
	c = (struct lb_switch_caps)LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(r.sw, &c), LB_OK);
	assert_string_equal(c.model, "jericho4-class");
	assert_int_equal(c.type, LB_SWITCH_TYPE_VOQ);
	assert_int_equal(c.lanes, 512);
	assert_int_equal(c.capacity_mbps, 51200000);
	assert_int_equal(c.hbm_bytes, 32ull << 30);
	assert_int_equal(c.n_lane_speeds, 3);
	assert_int_equal(c.lane_speeds_mbps[0], 50000); /* 400GAUI-8 */
	assert_int_equal(c.lane_speeds_mbps[2], 200000);
	assert_int_equal(c.speeds_mbps[c.n_speeds - 1], 1600000);
	size_t n;
	assert_int_equal(lb_asic_port_list(r.sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 64);
	asic_rig_close(&r);
}

static void test_power_on_ports(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t ports[8];
	size_t n;
	assert_int_equal(lb_asic_port_list(r.sw, ports, 8, &n), LB_OK);
	assert_int_equal(n, 4);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(ports[i], i);
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		assert_int_equal(lb_asic_port_get(r.sw, i, &c), LB_OK);
		assert_int_equal(c.first_lane, 8 * i);
		assert_int_equal(c.lane_count, 8);
		assert_int_equal(c.speed_mbps, 800000);
		assert_int_equal(c.fec, LB_ASIC_FEC_RS544_2XN);
		assert_int_equal(c.admin_up, 0);
		assert_int_equal(c.mtu, 9100);
		struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
		assert_int_equal(lb_asic_port_get_status(r.sw, i, &st), LB_OK);
		assert_int_equal(st.oper, LB_ASIC_OPER_DOWN);
		assert_int_equal(st.reason, LB_ASIC_DOWN_ADMIN);
		assert_int_equal(st.oper_speed_mbps, 0);
	}
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(r.sw, 4, &c), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(r.ctx), "asic port 4: no such port");
	asic_rig_close(&r);
}

/* Remove the 8-lane port 0 and make count ports of its lanes at mbps each; then undo. */
static void breakout(struct asic_rig *r, uint32_t count, uint32_t mbps, enum lb_asic_fec fec)
{
	assert_int_equal(lb_asic_port_remove(r->sw, 0), LB_OK);
	uint32_t made[8];
	uint32_t lanes = 8 / count;
	for (uint32_t i = 0; i < count; i++) {
		struct lb_asic_port_config c = port_cfg(i * lanes, lanes, mbps, fec);
		assert_int_equal(lb_asic_port_create(r->sw, &c, &made[i]), LB_OK);
		/* the lowest free numbers: 0, then past the three other power-on ports */
		assert_int_equal(made[i], i == 0 ? 0 : 3 + i);
		for (uint32_t l = i * lanes; l < (i + 1) * lanes; l++)
			assert_int_equal(asic_reg(r->asic, LB_EMU_ASIC_REG_LANE_OWNER(l)), made[i] + 1);
		struct lb_asic_port_config got = LB_ASIC_PORT_CONFIG_INIT;
		assert_int_equal(lb_asic_port_get(r->sw, made[i], &got), LB_OK);
		assert_int_equal(got.speed_mbps, mbps);
		assert_int_equal(got.mtu, LB_ASIC_PORT_DEFAULT_MTU); /* 0 at create */
	}
	size_t n;
	assert_int_equal(lb_asic_port_list(r->sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 3 + count);
	for (uint32_t i = 0; i < count; i++)
		assert_int_equal(lb_asic_port_remove(r->sw, made[i]), LB_OK);
	for (uint32_t l = 0; l < 8; l++)
		assert_int_equal(asic_reg(r->asic, LB_EMU_ASIC_REG_LANE_OWNER(l)), 0);
	struct lb_asic_port_config c = port_cfg(0, 8, 800000, LB_ASIC_FEC_RS544_2XN);
	uint32_t p;
	assert_int_equal(lb_asic_port_create(r->sw, &c, &p), LB_OK);
	assert_int_equal(p, 0);
}

static void test_breakout(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	breakout(&r, 1, 800000, LB_ASIC_FEC_RS544_2XN);
	breakout(&r, 2, 400000, LB_ASIC_FEC_RS544_2XN);
	breakout(&r, 4, 200000, LB_ASIC_FEC_RS544);
	breakout(&r, 4, 200000, LB_ASIC_FEC_RS544_2XN);
	breakout(&r, 8, 100000, LB_ASIC_FEC_RS544);
	asic_rig_close(&r);
}

struct refusal {
	const char *what;
	struct lb_asic_port_config cfg;
	int status;
	const char *detail; /* a part of the detail */
};

/* The change is refused with status and detail, and nothing reached the chip. */
static void expect_refused(struct asic_rig *r, int rc, const char *what, int status, const char *detail)
{
	if (rc != status)
		fail_msg("%s: status %s, expected %s (%s)", what, lb_status_name(rc), lb_status_name(status),
			 lb_ctx_last_error(r->ctx));
	if (!strstr(lb_ctx_last_error(r->ctx), detail))
		fail_msg("%s: detail '%s' lacks '%s'", what, lb_ctx_last_error(r->ctx), detail);
}

static void test_create_refused(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_asic_port_remove(r.sw, 3), LB_OK); /* lanes 24-31 free */
	struct lb_asic_port_config c;
	const struct refusal cases[] = {
		{ "overlap", port_cfg(16, 8, 800000, LB_ASIC_FEC_RS544_2XN), LB_E_EXISTS,
		  "asic port 3: lane 16 belongs to asic port 2 (lanes 16-23): a lane belongs to one port" },
		{ "partial overlap", port_cfg(20, 4, 400000, LB_ASIC_FEC_RS544_2XN), LB_E_EXISTS,
		  "lane 20 belongs to asic port 2" },
		{ "misaligned", port_cfg(26, 4, 400000, LB_ASIC_FEC_RS544_2XN), LB_E_INVAL,
		  "lanes 26-29: a port takes 1, 2, 4 or 8 lanes, aligned to their count within a group of 8" },
		{ "three lanes", port_cfg(24, 3, 300000, LB_ASIC_FEC_RS544_2XN), LB_E_INVAL, "lanes 24-26" },
		{ "no lanes", port_cfg(24, 0, 100000, LB_ASIC_FEC_RS544), LB_E_INVAL, "1, 2, 4 or 8 lanes" },
		{ "beyond the chip", port_cfg(32, 8, 800000, LB_ASIC_FEC_RS544_2XN), LB_E_RANGE,
		  "lanes 32-39: the chip has lanes 0-31" },
		{ "speed the chip lacks", port_cfg(24, 8, 1600000, LB_ASIC_FEC_RS544_2XN), LB_E_NOTSUP,
		  "speed 1.6T: the chip's port speeds are 100G, 200G, 400G, 800G" },
		{ "speed the lanes cannot carry", port_cfg(24, 4, 800000, LB_ASIC_FEC_RS544_2XN), LB_E_NOTSUP,
		  "speed 800G on 4 lanes needs 200G per lane: the chip's lanes carry 100G" },
		{ "speed too slow for the lanes", port_cfg(24, 8, 400000, LB_ASIC_FEC_RS544_2XN), LB_E_NOTSUP,
		  "needs 50G per lane" },
		{ "rs544 at 800G", port_cfg(24, 8, 800000, LB_ASIC_FEC_RS544), LB_E_NOTSUP,
		  "FEC rs544 is not allowed at 800G over 100G lanes" },
		{ "rs528 on PAM4", port_cfg(24, 8, 800000, LB_ASIC_FEC_RS528), LB_E_NOTSUP,
		  "FEC rs528 is not allowed at 800G over 100G lanes: rs528 runs on NRZ lanes" },
		{ "no FEC on PAM4", port_cfg(24, 1, 100000, LB_ASIC_FEC_NONE), LB_E_NOTSUP,
		  "FEC none is not allowed at 100G" },
		{ "rs544-2xn at 100G", port_cfg(24, 1, 100000, LB_ASIC_FEC_RS544_2XN), LB_E_NOTSUP,
		  "ports of 200G and more" },
		{ "unknown FEC", port_cfg(24, 8, 800000, (enum lb_asic_fec)7), LB_E_INVAL, "FEC 7 is unknown" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct asic_snapshot before, after;
		asic_snapshot_take(r.asic, &before);
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		uint32_t p = 99;
		int rc = lb_asic_port_create(r.sw, &cases[i].cfg, &p);
		expect_refused(&r, rc, cases[i].what, cases[i].status, cases[i].detail);
		assert_int_equal(lb_emu_asic_accesses(r.asic), acc); /* not a register touched */
		assert_int_equal(p, 99);
		asic_snapshot_take(r.asic, &after);
		asic_snapshot_same(&before, &after);
	}
	/* the members past the lanes, speed and FEC */
	struct {
		const char *what;
		int admin;
		uint32_t mtu;
		int loopback;
		uint8_t pfc;
		int status;
		const char *detail;
	} more[] = {
		{ "admin 2", 2, 0, 0, 0, LB_E_INVAL, "admin state 2: 0 (down) or 1 (up)" },
		{ "MTU too big", 1, 9217, 0, 0, LB_E_RANGE, "MTU 9217: the chip takes 68 to 9216 bytes" },
		{ "MTU too small", 1, 67, 0, 0, LB_E_RANGE, "MTU 67" },
		{ "loopback unknown", 1, 1500, 3, 0, LB_E_INVAL, "loopback 3 is unknown" },
		{ "three lossless priorities", 1, 1500, 0, 0x38, LB_E_RANGE,
		  "PFC on 3 priorities (mask 0x38): the chip has 2 lossless priorities per port" },
	};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
		c = port_cfg(24, 8, 800000, LB_ASIC_FEC_RS544_2XN);
		c.admin_up = more[i].admin;
		c.mtu = more[i].mtu;
		c.loopback = (enum lb_asic_loopback)more[i].loopback;
		c.pfc_mask = more[i].pfc;
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		uint32_t p;
		expect_refused(&r, lb_asic_port_create(r.sw, &c, &p), more[i].what, more[i].status,
			       more[i].detail);
		assert_int_equal(lb_emu_asic_accesses(r.asic), acc);
	}
	/* a config whose size is below the first layout */
	c = port_cfg(24, 8, 800000, LB_ASIC_FEC_RS544_2XN);
	c.size = 0;
	uint32_t p;
	assert_int_equal(lb_asic_port_create(r.sw, &c, &p), LB_E_INVAL);
	assert_int_equal(lb_asic_port_create(r.sw, NULL, &p), LB_E_INVAL);
	/* and the valid one still goes through */
	c = port_cfg(24, 8, 800000, LB_ASIC_FEC_RS544_2XN);
	assert_int_equal(lb_asic_port_create(r.sw, &c, &p), LB_OK);
	assert_int_equal(p, 3);
	assert_int_equal(lb_asic_port_remove(r.sw, 9), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(r.ctx), "asic port 9: no such port");
	asic_rig_close(&r);
}

static void test_set_whole_or_nothing(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	/* several members at once */
	c.admin_up = 1;
	c.mtu = 1500;
	c.pfc_mask = 0x18;
	c.loopback = LB_ASIC_LOOPBACK_PHY;
	assert_int_equal(lb_asic_port_set(r.sw, 1, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_MTU |
						       LB_ASIC_PORT_SET_PFC | LB_ASIC_PORT_SET_LOOPBACK),
			 LB_OK);
	uint32_t ctrl = asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_CTRL));
	assert_int_equal(ctrl, 1u | 1u << 8 | 0x18u << 16);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_MTU)), 1500);
	struct lb_asic_port_config got = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(r.sw, 1, &got), LB_OK);
	assert_int_equal(got.speed_mbps, 800000); /* untouched members stay */
	assert_int_equal(got.pfc_mask, 0x18);

	struct {
		const char *what;
		uint32_t port, set, speed, mtu;
		enum lb_asic_fec fec;
		int status;
		const char *detail;
	} cases[] = {
		{ "admin down with a bad MTU", 1, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_MTU, 0, 20000,
		  LB_ASIC_FEC_NONE, LB_E_RANGE, "asic port 1: MTU 20000" },
		{ "speed the lanes cannot carry", 1, LB_ASIC_PORT_SET_SPEED, 400000, 0, LB_ASIC_FEC_NONE,
		  LB_E_NOTSUP, "asic port 1: speed 400G on 8 lanes needs 50G per lane" },
		{ "FEC the speed does not allow", 1, LB_ASIC_PORT_SET_FEC, 0, 0, LB_ASIC_FEC_RS544,
		  LB_E_NOTSUP, "asic port 1: FEC rs544 is not allowed at 800G" },
		{ "nothing named", 1, 0, 0, 0, LB_ASIC_FEC_NONE, LB_E_INVAL, "set 0x0" },
		{ "unknown bit", 1, 0x100, 0, 0, LB_ASIC_FEC_NONE, LB_E_INVAL, "set 0x100" },
		{ "no such port", 7, LB_ASIC_PORT_SET_ADMIN, 0, 0, LB_ASIC_FEC_NONE, LB_E_NOTFOUND,
		  "asic port 7: no such port" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
		c.admin_up = 0;
		c.speed_mbps = cases[i].speed;
		c.mtu = cases[i].mtu;
		c.fec = cases[i].fec;
		struct asic_snapshot before, after;
		asic_snapshot_take(r.asic, &before);
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		expect_refused(&r, lb_asic_port_set(r.sw, cases[i].port, &c, cases[i].set), cases[i].what,
			       cases[i].status, cases[i].detail);
		assert_int_equal(lb_emu_asic_accesses(r.asic), acc);
		asic_snapshot_take(r.asic, &after);
		asic_snapshot_same(&before, &after);
		got = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
		assert_int_equal(lb_asic_port_get(r.sw, 1, &got), LB_OK);
		assert_int_equal(got.admin_up, 1); /* the admin change did not go in alone */
		assert_int_equal(got.mtu, 1500);
	}
	/* speed and FEC changed together: 4 lanes of a 2x400G breakout to 2x... on 2 lanes */
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK);
	struct lb_asic_port_config two = port_cfg(0, 2, 200000, LB_ASIC_FEC_RS544_2XN);
	uint32_t p;
	assert_int_equal(lb_asic_port_create(r.sw, &two, &p), LB_OK);
	c = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
	c.fec = LB_ASIC_FEC_RS544;
	assert_int_equal(lb_asic_port_set(r.sw, p, &c, LB_ASIC_PORT_SET_FEC), LB_OK); /* 200G: either */
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_LIVE_FEC)), LB_ASIC_FEC_RS544);
	asic_rig_close(&r);
}

static void test_capacity(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class"); /* 64 x 800G: the whole 51.2 Tb/s */
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.speed_mbps = 1600000; /* 8 x 200G lanes: the lanes can, the switch cannot */
	struct asic_snapshot before, after;
	asic_snapshot_take(r.asic, &before);
	expect_refused(&r, lb_asic_port_set(r.sw, 5, &c, LB_ASIC_PORT_SET_SPEED), "capacity", LB_E_NOTSUP,
		       "asic port 5: speed 1.6T: the ports would take 52000000 Mb/s, over the switch's "
		       "capacity of 51200000 Mb/s");
	asic_snapshot_take(r.asic, &after);
	asic_snapshot_same(&before, &after);
	/* with a port gone there is room: 1.6T over 8 lanes of 200G */
	assert_int_equal(lb_asic_port_remove(r.sw, 6), LB_OK);
	assert_int_equal(lb_asic_port_set(r.sw, 5, &c, LB_ASIC_PORT_SET_SPEED), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(5, LB_EMU_ASIC_P_LIVE_SPEED)), 1600000);
	asic_rig_close(&r);
}

/* A second handle whose view is stale: the core finds the change valid, the chip refuses it. */
static void test_chip_refuses(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_asic_port_remove(r.sw, 3), LB_OK);
	struct lb_switch *other; /* sees number 3 and lanes 24-31 free from now on */
	assert_int_equal(lb_switch_open(r.ctx, "emulated", NULL, r.asic, &other), LB_OK);
	assert_int_equal(lb_asic_port_remove(r.sw, 2), LB_OK);
	struct lb_asic_port_config c = port_cfg(24, 4, 400000, LB_ASIC_FEC_RS544_2XN);
	uint32_t p;
	assert_int_equal(lb_asic_port_create(r.sw, &c, &p), LB_OK);
	assert_int_equal(p, 2);
	struct asic_snapshot before, after;
	asic_snapshot_take(r.asic, &before);
	expect_refused(&r, lb_asic_port_create(other, &c, &p), "stale lanes", LB_E_EXISTS,
		       "asic port 3: the chip refused it: a lane belongs to another port (command status 2)");
	asic_snapshot_take(r.asic, &after);
	asic_snapshot_same(&before, &after);
	/* a number the stale view takes for free: 3, on lanes 16-23 now */
	c = port_cfg(16, 8, 800000, LB_ASIC_FEC_RS544_2XN);
	assert_int_equal(lb_asic_port_create(r.sw, &c, &p), LB_OK);
	assert_int_equal(p, 3);
	c = port_cfg(28, 4, 400000, LB_ASIC_FEC_RS544_2XN);
	asic_snapshot_take(r.asic, &before);
	expect_refused(&r, lb_asic_port_create(other, &c, &p), "stale number", LB_E_EXISTS,
		       "asic port 3: the chip refused it: the number is taken (command status 11)");
	asic_snapshot_take(r.asic, &after);
	asic_snapshot_same(&before, &after);
	lb_switch_close(other);
	asic_rig_close(&r);
}

static void test_oper_state(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(r.sw, 0, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.reason, LB_ASIC_DOWN_NONE);
	assert_int_equal(st.oper_speed_mbps, 800000);
	assert_int_equal(st.oper_fec, LB_ASIC_FEC_RS544_2XN);
	assert_int_equal(st.fec_max_symbol_errors, 15);
	/* one lane without signal takes the port down */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 5, 1, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(st.reason, LB_ASIC_DOWN_NO_SIGNAL);
	assert_string_equal(lb_asic_down_reason_name(st.reason), "no-signal");
	assert_int_equal(st.oper_speed_mbps, 0);
	assert_int_equal(st.fec_max_symbol_errors, 0);
	/* a near-end loopback hears itself */
	c.loopback = LB_ASIC_LOOPBACK_PHY;
	assert_int_equal(lb_asic_port_set(r.sw, 0, &c, LB_ASIC_PORT_SET_LOOPBACK), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	c.loopback = LB_ASIC_LOOPBACK_NONE;
	assert_int_equal(lb_asic_port_set(r.sw, 0, &c, LB_ASIC_PORT_SET_LOOPBACK), LB_OK);
	/* the peer hears nothing */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 0, 8, LB_EMU_ASIC_SIGNAL_REMOTE_FAULT), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.reason, LB_ASIC_DOWN_REMOTE_FAULT);
	/* errors beyond what the FEC can lock on */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 0, 8, LB_EMU_ASIC_SIGNAL_PRESENT), LB_OK);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .pre_fec_ber = 2e-2 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.reason, LB_ASIC_DOWN_FEC_NO_LOCK);
	t.pre_fec_ber = 1e-5;
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	/* the size rule */
	struct lb_asic_port_status tiny = { .size = 4 };
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &tiny), LB_E_INVAL);
	struct lb_asic_port_status v1 = { .size = LB_ASIC_PORT_STATUS_SIZE_V1 };
	assert_int_equal(lb_asic_port_get_status(r.sw, 0, &v1), LB_OK);
	assert_int_equal(v1.size, LB_ASIC_PORT_STATUS_SIZE_V1);
	asic_rig_close(&r);
}

static void test_names_and_rules(void **state)
{
	(void)state;
	enum lb_asic_fec f;
	for (int i = 0; i < LB_ASIC_FEC_COUNT; i++) {
		assert_int_equal(lb_asic_fec_parse(lb_asic_fec_name((enum lb_asic_fec)i), &f), LB_OK);
		assert_int_equal(f, i);
	}
	assert_int_equal(lb_asic_fec_parse("rs", &f), LB_E_NOTFOUND);
	assert_string_equal(lb_asic_fec_name((enum lb_asic_fec)9), "?");
	/* IEEE 802.3: RS-528 on 25G NRZ lanes; RS-544 on PAM4 */
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS528, 100000, 25000), LB_OK);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_NONE, 25000, 25000), LB_OK);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS528, 100000, 50000), LB_E_NOTSUP);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS544, 100000, 100000), LB_OK);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS544, 400000, 100000), LB_E_NOTSUP);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS544_2XN, 800000, 100000), LB_OK);
	assert_int_equal(lb_asic_fec_allowed(LB_ASIC_FEC_RS544_2XN, 100000, 100000), LB_E_NOTSUP);
	assert_int_equal(lb_asic_fec_max_symbol_errors(LB_ASIC_FEC_RS528), 7);
	assert_int_equal(lb_asic_fec_max_symbol_errors(LB_ASIC_FEC_RS544_2XN), 15);
	assert_string_equal(lb_asic_loopback_name(LB_ASIC_LOOPBACK_MAC), "mac");
}

/* 400G on 8 lanes of 50G (a 400ZR's or 400G-FR4's 400GAUI-8), and one lane speed per lane
 * group, the core's rule and the chip's. */
static void test_50g_lanes(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	struct lb_emu_asic *a = r.asic;
	uint32_t v;
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_REG_GROUP_SPEED(3), &v), LB_OK);
	assert_int_equal(v, 1u << LB_EMU_ASIC_SPEED_100G);
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.speed_mbps = 400000;
	assert_int_equal(lb_asic_port_set(r.sw, 3, &c, LB_ASIC_PORT_SET_SPEED), LB_OK);
	assert_int_equal(lb_asic_port_get(r.sw, 3, &c), LB_OK);
	assert_int_equal(c.lane_count, 8);
	assert_int_equal(c.speed_mbps, 400000);
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_REG_GROUP_SPEED(3), &v), LB_OK);
	assert_int_equal(v, 1u << LB_EMU_ASIC_SPEED_50G);
	/* group 4 (lanes 32-39): 200G on 4 x 50G, then 400G on 4 x 100G beside it is refused */
	assert_int_equal(lb_asic_port_remove(r.sw, 4), LB_OK);
	uint32_t p;
	struct lb_asic_port_config half = port_cfg(32, 4, 200000, LB_ASIC_FEC_RS544_2XN);
	assert_int_equal(lb_asic_port_create(r.sw, &half, &p), LB_OK);
	uint64_t before = lb_emu_asic_accesses(a);
	half = port_cfg(36, 4, 400000, LB_ASIC_FEC_RS544_2XN);
	expect_refused(&r, lb_asic_port_create(r.sw, &half, &p), "mixed lane speeds", LB_E_NOTSUP,
		       "speed 400G on 100G lanes: lane group 4 (lanes 32-39) runs 50G lanes (asic port 4): "
		       "one lane speed per group");
	assert_int_equal(lb_emu_asic_accesses(a), before); /* nothing reached the chip */
	/* the chip's own check, for a driver that skips the core's */
	const uint32_t regs[][2] = {
		{ LB_EMU_ASIC_P_CFG_LANES, 36u | 4u << 16 }, { LB_EMU_ASIC_P_CFG_SPEED, 400000 },
		{ LB_EMU_ASIC_P_CFG_FEC, 3 }, { LB_EMU_ASIC_P_CFG_CTRL, 0 }, { LB_EMU_ASIC_P_CFG_MTU, 9100 },
		{ LB_EMU_ASIC_P_COMMAND, LB_EMU_ASIC_CMD_CREATE },
	};
	for (size_t i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_PORT_REG(70, regs[i][0]), regs[i][1]), LB_OK);
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_PORT_REG(70, LB_EMU_ASIC_P_CMD_STATUS), &v), LB_OK);
	assert_int_equal(v, LB_EMU_ASIC_ERR_SPEED);
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_REG_LANE_OWNER(36), &v), LB_OK);
	assert_int_equal(v, 0);
	/* at 50G it fits */
	half.speed_mbps = 200000;
	assert_int_equal(lb_asic_port_create(r.sw, &half, &p), LB_OK);
	asic_rig_close(&r);
}

static void test_open_refused(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_switch *sw = (struct lb_switch *)1;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_switch_open(ctx, "emulated", "{\"profile\": \"small\"}", NULL, &sw), LB_E_NOTFOUND);
	assert_null(sw);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "lb_emu_register_drivers"));
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_switch_open(ctx, "emulated", "{\"profile\": \"huge\"}", NULL, &sw), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(ctx),
			    "emulated asic: options: profile: 'huge': no such profile (jericho4-class, small)");
	assert_int_equal(lb_switch_open(ctx, "emulated", "{\"colour\": 1}", NULL, &sw), LB_E_PARSE);
	assert_int_equal(lb_switch_open(ctx, "emulated", NULL, NULL, &sw), LB_E_INVAL);
	assert_int_equal(lb_switch_open(ctx, "emulated", "{", NULL, &sw), LB_E_PARSE);
	/* a switch of its own, in a world the driver made */
	assert_int_equal(lb_switch_open(ctx, "emulated", "{\"profile\": \"small\"}", NULL, &sw), LB_OK);
	size_t n;
	assert_int_equal(lb_asic_port_list(sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 4);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_power_on_ports),
		cmocka_unit_test(test_breakout),
		cmocka_unit_test(test_create_refused),
		cmocka_unit_test(test_set_whole_or_nothing),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_chip_refuses),
		cmocka_unit_test(test_oper_state),
		cmocka_unit_test(test_names_and_rules),
		cmocka_unit_test(test_50g_lanes),
		cmocka_unit_test(test_open_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
