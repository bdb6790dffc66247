/* SPDX-License-Identifier: MIT */
/*
 * HyperPorts (lightbridge/hyperport.h) through the public API on the emulated ASIC: create,
 * read back, list, remove; every rule that refuses one (and that nothing reached the chip
 * then); members held (no remove, no speed change); a member down (2.4T, up, the reason);
 * the spread of the HyperPort's traffic over its members and the counters per member and in
 * total; the chip's own registers.
 */
#include <pthread.h>
#include <stdio.h>
#include <lightbridge/hyperport.h>
#include "asic_rig.h"

#define MS_NS 1000000ull

static struct lb_hyperport_config hp_cfg(uint32_t a, uint32_t b, uint32_t c, uint32_t d,
					 enum lb_hyperport_hash hash)
{
	struct lb_hyperport_config cfg = LB_HYPERPORT_CONFIG_INIT;
	cfg.members[0] = a;
	cfg.members[1] = b;
	cfg.members[2] = c;
	cfg.members[3] = d;
	cfg.hash = hash;
	return cfg;
}

/* The chip's HyperPort registers, all blocks: to prove a refusal applied nothing. */
static void hp_regs(struct lb_emu_asic *a, uint32_t *v)
{
	for (uint32_t h = 0; h < LB_EMU_ASIC_HPS; h++) {
		v[h * 3] = asic_reg(a, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_STATE));
		v[h * 3 + 1] = asic_reg(a, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_LIVE_MEMBER(0)));
		v[h * 3 + 2] = asic_reg(a, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_LIVE_HASH));
	}
}

static void test_create_get_list_remove(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	size_t n = 99;
	assert_int_equal(lb_hyperport_list(r.sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 0);
	struct lb_hyperport_config cfg = hp_cfg(3, 1, 0, 2, LB_HYPERPORT_HASH_SPRAY);
	uint32_t hp = 99;
	assert_int_equal(lb_hyperport_create(r.sw, &cfg, &hp), LB_OK);
	assert_int_equal(hp, 0);
	struct lb_hyperport_config got = LB_HYPERPORT_CONFIG_INIT;
	assert_int_equal(lb_hyperport_get(r.sw, 0, &got), LB_OK);
	assert_int_equal(got.members[0], 3);
	assert_int_equal(got.members[1], 1);
	assert_int_equal(got.members[3], 2);
	assert_int_equal(got.hash, LB_HYPERPORT_HASH_SPRAY);
	uint32_t list[4];
	assert_int_equal(lb_hyperport_list(r.sw, list, 4, &n), LB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(list[0], 0);
	uint32_t of = 99;
	assert_int_equal(lb_hyperport_of_port(r.sw, 2, &of), LB_OK);
	assert_int_equal(of, 0);
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	assert_int_equal(lb_hyperport_get_status(r.sw, 0, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_DOWN); /* the members are admin down at power-on */
	assert_int_equal(st.reason, LB_HYPERPORT_ALL_DOWN);
	assert_int_equal(st.member[0].reason, LB_ASIC_DOWN_ADMIN);
	/* a new switch on the same chip finds it */
	lb_switch_close(r.sw);
	assert_int_equal(lb_switch_open(r.ctx, "emulated", NULL, r.asic, &r.sw), LB_OK);
	got = (struct lb_hyperport_config)LB_HYPERPORT_CONFIG_INIT;
	assert_int_equal(lb_hyperport_get(r.sw, 0, &got), LB_OK);
	assert_int_equal(got.members[0], 3);
	assert_int_equal(lb_hyperport_remove(r.sw, 0), LB_OK);
	assert_int_equal(lb_hyperport_list(r.sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lb_hyperport_of_port(r.sw, 2, &of), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_remove(r.sw, 0), LB_E_NOTFOUND);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_HP_REG(0, LB_EMU_ASIC_HP_STATE)), 0);
	/* the members are ports of their own again */
	assert_int_equal(lb_asic_port_remove(r.sw, 2), LB_OK);
	asic_rig_close(&r);
}

static void expect_refused(struct asic_rig *r, const struct lb_hyperport_config *cfg, int want,
			   const char *detail)
{
	uint32_t before[LB_EMU_ASIC_HPS * 3], after[LB_EMU_ASIC_HPS * 3];
	hp_regs(r->asic, before);
	uint32_t hp = 77;
	assert_int_equal(lb_hyperport_create(r->sw, cfg, &hp), want);
	assert_int_equal(hp, 77);
	if (detail && !strstr(lb_ctx_last_error(r->ctx), detail))
		fail_msg("detail '%s' lacks '%s'", lb_ctx_last_error(r->ctx), detail);
	hp_regs(r->asic, after);
	assert_memory_equal(before, after, sizeof(before));
}

static void test_rules(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	/* port 4 broken out into two 400G ports (4 and 64) */
	assert_int_equal(lb_asic_port_remove(r.sw, 4), LB_OK);
	struct lb_asic_port_config pc = LB_ASIC_PORT_CONFIG_INIT;
	pc.first_lane = 32;
	pc.lane_count = 4;
	pc.speed_mbps = 400000;
	pc.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t p400;
	assert_int_equal(lb_asic_port_create(r.sw, &pc, &p400), LB_OK);
	struct lb_hyperport_config c = hp_cfg(0, 1, 2, 3, LB_HYPERPORT_HASH_FLOW);
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(r.sw, &c, &hp), LB_OK);

	c = hp_cfg(5, 6, 7, 5, LB_HYPERPORT_HASH_FLOW);
	expect_refused(&r, &c, LB_E_INVAL, "named twice");
	c = hp_cfg(5, 6, 7, 200, LB_HYPERPORT_HASH_FLOW);
	expect_refused(&r, &c, LB_E_NOTFOUND, "asic port 200: no such port");
	c = hp_cfg(5, 6, 7, 100000, LB_HYPERPORT_HASH_FLOW);
	expect_refused(&r, &c, LB_E_NOTFOUND, "no such port");
	c = hp_cfg(5, 6, 7, p400, LB_HYPERPORT_HASH_FLOW);
	expect_refused(&r, &c, LB_E_NOTSUP, "runs at 400G: every member runs at 800G");
	c = hp_cfg(5, 6, 7, 3, LB_HYPERPORT_HASH_FLOW);
	expect_refused(&r, &c, LB_E_EXISTS, "belongs to hyperport 0");
	c = hp_cfg(5, 6, 7, 8, (enum lb_hyperport_hash)7);
	expect_refused(&r, &c, LB_E_INVAL, "hash 7");
	struct lb_hyperport_config small = { .size = LB_HYPERPORT_CONFIG_SIZE_V1 - 1 };
	expect_refused(&r, &small, LB_E_INVAL, "size below");
	expect_refused(&r, NULL, LB_E_INVAL, NULL);
	assert_int_equal(lb_hyperport_create(r.sw, &c, NULL), LB_E_INVAL);
	assert_int_equal(lb_hyperport_create(NULL, &c, &hp), LB_E_INVAL);
	/* an older caller's layout without hash: read as flow */
	struct lb_hyperport_config old = hp_cfg(5, 6, 7, 8, LB_HYPERPORT_HASH_SPRAY);
	old.size = LB_SIZE_THROUGH(struct lb_hyperport_config, members);
	expect_refused(&r, &old, LB_E_INVAL, "size below");

	/* members are held: no remove, no speed change; admin and MTU may change */
	assert_int_equal(lb_asic_port_remove(r.sw, 2), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "a member of hyperport 0"));
	struct lb_asic_port_config set = LB_ASIC_PORT_CONFIG_INIT;
	set.speed_mbps = 400000;
	assert_int_equal(lb_asic_port_set(r.sw, 1, &set, LB_ASIC_PORT_SET_SPEED), LB_E_BUSY);
	set.admin_up = 1;
	set.mtu = 4000;
	assert_int_equal(lb_asic_port_set(r.sw, 1, &set, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_MTU), LB_OK);
	/* the chip holds its members too, behind the core's back */
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_COMMAND),
					     LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_BUSY);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_STATUS)) & 1, 1);

	/* status, get, remove of what is not there */
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	assert_int_equal(lb_hyperport_get_status(r.sw, 9, &st), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_get_status(r.sw, LB_HYPERPORT_MAX, &st), LB_E_NOTFOUND);
	struct lb_hyperport_status tiny = { .size = 4 };
	assert_int_equal(lb_hyperport_get_status(r.sw, 0, &tiny), LB_E_INVAL);
	struct lb_hyperport_config got = LB_HYPERPORT_CONFIG_INIT;
	assert_int_equal(lb_hyperport_get(r.sw, 9, &got), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_remove(r.sw, 12345), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_of_port(r.sw, 0, NULL), LB_E_INVAL);

	/* sixteen HyperPorts fill the 64 ports bar the broken-out group; then numbers, not ports, run out
	 * only past 64: here the members run out first */
	uint32_t made = 1;
	for (uint32_t g = 8; g + 3 < 64; g += 4) {
		c = hp_cfg(g, g + 1, g + 2, g + 3, LB_HYPERPORT_HASH_FLOW);
		assert_int_equal(lb_hyperport_create(r.sw, &c, &hp), LB_OK);
		assert_int_equal(hp, made++);
	}
	size_t n;
	assert_int_equal(lb_hyperport_list(r.sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, made);
	asic_rig_close(&r);
}

/* Every member up (admin up, signal present). */
static struct asic_rig up_rig(uint32_t *hp, enum lb_hyperport_hash hash)
{
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_asic_port_config set = LB_ASIC_PORT_CONFIG_INIT;
	set.admin_up = 1;
	for (uint32_t p = 0; p < 4; p++)
		assert_int_equal(lb_asic_port_set(r.sw, p, &set, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_hyperport_config c = hp_cfg(0, 1, 2, 3, hash);
	assert_int_equal(lb_hyperport_create(r.sw, &c, hp), LB_OK);
	return r;
}

static void test_member_down(void **state)
{
	(void)state;
	uint32_t hp;
	struct asic_rig r = up_rig(&hp, LB_HYPERPORT_HASH_SPRAY);
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.reason, LB_HYPERPORT_FULL);
	assert_int_equal(st.members_up, 4);
	assert_int_equal(st.capacity_mbps, 3200000);
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(st.member[i].port, i);
		assert_int_equal(st.member[i].oper, LB_ASIC_OPER_UP);
		assert_int_equal(st.member[i].share_ppm, 250000);
	}
	/* member 2's optics go dark: no signal on its lanes (16-23) */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 16, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.reason, LB_HYPERPORT_DEGRADED);
	assert_string_equal(lb_hyperport_reason_name(st.reason), "degraded");
	assert_int_equal(st.members_up, 3);
	assert_int_equal(st.capacity_mbps, 2400000);
	assert_int_equal(st.member[2].oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(st.member[2].reason, LB_ASIC_DOWN_NO_SIGNAL);
	assert_int_equal(st.member[2].share_ppm, 0);
	assert_int_equal(st.member[0].share_ppm + st.member[1].share_ppm + st.member[3].share_ppm, 1000000);
	assert_in_range(st.member[0].share_ppm, 333333, 333334);
	/* a remote fault on member 0, admin down on member 1: still up on member 3 (800G) */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 0, 8, LB_EMU_ASIC_SIGNAL_REMOTE_FAULT), LB_OK);
	struct lb_asic_port_config set = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_set(r.sw, 1, &set, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.capacity_mbps, 800000);
	assert_int_equal(st.member[0].reason, LB_ASIC_DOWN_REMOTE_FAULT);
	assert_int_equal(st.member[1].reason, LB_ASIC_DOWN_ADMIN);
	assert_int_equal(st.member[3].share_ppm, 1000000);
	/* the last one: down */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 24, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(st.reason, LB_HYPERPORT_ALL_DOWN);
	assert_int_equal(st.capacity_mbps, 0);
	assert_int_equal(st.members_up, 0);
	/* light back on every member: full again */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 0, 32, LB_EMU_ASIC_SIGNAL_PRESENT), LB_OK);
	set.admin_up = 1;
	assert_int_equal(lb_asic_port_set(r.sw, 1, &set, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.capacity_mbps, 3200000);
	assert_int_equal(st.reason, LB_HYPERPORT_FULL);
	asic_rig_close(&r);
}

static struct lb_emu_asic_traffic load(double l)
{
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = l, .frame_bytes = 1000 };
	return t;
}

static void test_spread_and_counters(void **state)
{
	(void)state;
	uint32_t hp;
	struct asic_rig r = up_rig(&hp, LB_HYPERPORT_HASH_SPRAY);
	struct lb_emu_asic_traffic t = load(0.9); /* 2.88 Tb/s */
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 0), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters m[4], total = LB_ASIC_PORT_COUNTERS_INIT;
	for (unsigned i = 0; i < 4; i++)
		m[i] = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, m, &total), LB_OK);
	/* 0.9 x 800G x 10 ms / (1020 x 8 bits) on each member */
	uint64_t per = (uint64_t)(0.9 * 800e9 * 0.01 / (1020 * 8.0));
	uint64_t sum = 0, drops = 0;
	for (unsigned i = 0; i < 4; i++) {
		assert_in_range(m[i].in_ucast_pkts, per - 1, per + 1);
		sum += m[i].in_ucast_pkts;
		drops += m[i].out_discards;
	}
	assert_int_equal(total.in_ucast_pkts, sum);
	assert_int_equal(total.in_octets, sum * 1000);
	assert_int_equal(drops, 0);
	/* the total is the members' sum, every counter: and the members' own ports agree */
	struct lb_asic_port_counters own = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 1, &own), LB_OK);
	assert_int_equal(own.in_ucast_pkts, m[1].in_ucast_pkts);
	assert_int_equal(own.fec_codewords, m[1].fec_codewords);
	assert_int_equal(total.fec_codewords, m[0].fec_codewords + m[1].fec_codewords + m[2].fec_codewords +
						       m[3].fec_codewords);

	/* member 3 down: 2.88T onto 2.4T, the three left carry 1.2 each and drop the excess */
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 0), LB_OK);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 1), LB_OK);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 2), LB_OK);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 3), LB_OK);
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 24, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, m, &total), LB_OK);
	assert_int_equal(m[3].in_ucast_pkts, 0);
	uint64_t full = (uint64_t)(800e9 * 0.01 / (1020 * 8.0));
	for (unsigned i = 0; i < 3; i++) {
		assert_in_range(m[i].in_ucast_pkts, full - 1, full + 1);
		assert_in_range(m[i].out_discards, full / 5 - 2, full / 5 + 2); /* 0.2 over the line */
	}
	/* at 0.6 (1.92T), 2.4T carries it all: no loss with a member down */
	t = load(0.6);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 0), LB_OK);
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, NULL, &total), LB_OK);
	uint64_t d0 = total.out_discards;
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, NULL, &total), LB_OK);
	assert_int_equal(total.out_discards, d0);

	/* bad arguments */
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, NULL, NULL), LB_E_INVAL);
	struct lb_asic_port_counters tiny = { .size = 8 };
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, NULL, &tiny), LB_E_INVAL);
	assert_int_equal(lb_hyperport_counters_read(r.sw, 5, NULL, &total), LB_E_NOTFOUND);
	assert_int_equal(total.in_octets, 0); /* nothing half-read */
	t = load(-1);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 0), LB_E_INVAL);
	t = load(0.5);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, 5, &t, 0), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, LB_EMU_ASIC_HPS, &t, 0), LB_E_RANGE);
	asic_rig_close(&r);
}

static void test_flow_hash(void **state)
{
	(void)state;
	uint32_t hp;
	struct asic_rig r = up_rig(&hp, LB_HYPERPORT_HASH_FLOW);
	struct lb_emu_asic_traffic t = load(0.2);
	/* one flow: one member carries it all (in order), the others nothing */
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 1), LB_OK);
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	unsigned full = 0, zero = 0;
	for (unsigned i = 0; i < 4; i++) {
		full += st.member[i].share_ppm == 1000000;
		zero += st.member[i].share_ppm == 0;
	}
	assert_int_equal(full, 1);
	assert_int_equal(zero, 3);
	/* many flows: near even, the shares summing to the whole */
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 4000), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	uint32_t sum = 0;
	for (unsigned i = 0; i < 4; i++) {
		assert_in_range(st.member[i].share_ppm, 230000, 270000);
		sum += st.member[i].share_ppm;
	}
	assert_int_equal(sum, 1000000);
	/* flows beyond what the chip counts are refused; the most it counts spread near evenly */
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, LB_EMU_ASIC_HP_MAX_FLOWS + 1), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, LB_EMU_ASIC_HP_MAX_FLOWS), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	for (unsigned i = 0; i < 4; i++)
		assert_in_range(st.member[i].share_ppm, 245000, 255000);
	/* a member down: its flows move to the others (each flow hashed again over three) */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 8, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	assert_int_equal(st.member[1].share_ppm, 0);
	assert_int_equal(st.member[0].share_ppm + st.member[2].share_ppm + st.member[3].share_ppm, 1000000);
	assert_in_range(st.member[0].share_ppm, 328000, 338000);
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 8, 8, LB_EMU_ASIC_SIGNAL_PRESENT), LB_OK);
	/* a few flows: uneven, and the counters follow the shares */
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 6), LB_OK);
	assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters m[4];
	for (unsigned i = 0; i < 4; i++)
		m[i] = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, m, NULL), LB_OK);
	for (unsigned i = 0; i < 4; i++) {
		double want = 0.2 * 4 * st.member[i].share_ppm / 1e6 * 800e9 * 0.01 / (1020 * 8.0);
		assert_in_range(m[i].in_ucast_pkts, want > 1 ? (uint64_t)want - 1 : 0, (uint64_t)want + 1);
	}
	/* removing the HyperPort takes its traffic off the members */
	assert_int_equal(lb_hyperport_remove(r.sw, hp), LB_OK);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 0), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters c0 = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c0), LB_OK);
	assert_int_equal(c0.in_ucast_pkts, 0);
	asic_rig_close(&r);
}

static void test_registers(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic *a = r.asic;
	/* the chip's own checks, on registers: a member missing, twice, another speed, in use */
	static const uint32_t cases[][5] = {
		{ 1, 2, 3, 0, LB_EMU_ASIC_ERR_HP_MEMBERS },
		{ 1, 2, 3, 3, LB_EMU_ASIC_ERR_HP_MEMBERS },
		{ 1, 2, 3, 99, LB_EMU_ASIC_ERR_HP_MEMBERS },
	};
	for (unsigned k = 0; k < 3; k++) {
		for (unsigned i = 0; i < 4; i++)
			assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_MEMBER(i)),
							     cases[k][i]), LB_OK);
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND),
						     LB_EMU_ASIC_CMD_CREATE), LB_OK);
		assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), cases[k][4]);
		assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_STATE)), 0);
	}
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_MEMBER(i)), i + 1), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_HASH), 2), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_VALUE);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_HASH), 0), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), 9), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_COMMAND);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_STATE)) & 1, 1);
	/* members admin down: exists, not up, no members up, no capacity */
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_STATE)), 1);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CAPACITY_GBPS)), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_LIVE_MEMBER(3))), 4);
	/* again: taken; another with a member of it: in use; a member's speed changed: busy */
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_TAKEN);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(6, LB_EMU_ASIC_HP_MEMBER(i)), i + 1), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(6, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(6, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_HP_IN_USE);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_CFG_SPEED), 400000), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_COMMAND), LB_EMU_ASIC_CMD_APPLY), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_CMD_STATUS)), LB_EMU_ASIC_ERR_BUSY);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_LIVE_SPEED)), 800000);
	/* remove; remove again: no such */
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_REMOVE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_NOPORT);
	/* reserved registers read 0, writes to read-only ones are ignored */
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_STATE), 0xFF), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, LB_EMU_ASIC_HP_STATE)), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(5, 0x7C)), 0);
	/* the driver: a chip refusal the core did not foresee comes back with the chip's reason */
	struct lb_hyperport_config c = hp_cfg(0, 1, 2, 3, LB_HYPERPORT_HASH_FLOW);
	for (unsigned i = 0; i < 4; i++) /* HyperPort 0 made behind the core's back */
		assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(0, LB_EMU_ASIC_HP_MEMBER(i)), i + 1), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_HP_REG(0, LB_EMU_ASIC_HP_COMMAND), LB_EMU_ASIC_CMD_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(0, LB_EMU_ASIC_HP_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(r.sw, &c, &hp), LB_E_EXISTS);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "the number is taken on the chip"));
	asic_rig_close(&r);
}

/* One thread reads the state again and again while another takes member 1's light away and
 * back: every state read is of one instant (the chip latches it at STATE: capacity, reason,
 * each member's reason and share agree with the members up). */
struct flapper {
	struct lb_emu_asic *asic;
	volatile int stop;
};

static void *flap(void *arg)
{
	struct flapper *f = arg;
	for (unsigned i = 0; !f->stop && i < 20000; i++)
		lb_emu_asic_set_signal(f->asic, 8, 8, (i & 1) ? LB_EMU_ASIC_SIGNAL_PRESENT : LB_EMU_ASIC_SIGNAL_NONE);
	return NULL;
}

static void test_state_while_flapping(void **state)
{
	(void)state;
	uint32_t hp;
	struct asic_rig r = up_rig(&hp, LB_HYPERPORT_HASH_FLOW);
	struct lb_emu_asic_traffic t = load(0.5);
	assert_int_equal(lb_emu_asic_set_hyperport_traffic(r.asic, hp, &t, 1000), LB_OK);
	struct flapper f = { .asic = r.asic };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, flap, &f), 0);
	unsigned degraded = 0, full = 0;
	for (unsigned i = 0; i < 2000; i++) {
		struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
		assert_int_equal(lb_hyperport_get_status(r.sw, hp, &st), LB_OK);
		uint32_t up = 0, sum = 0;
		for (unsigned m = 0; m < 4; m++) {
			up += st.member[m].oper == LB_ASIC_OPER_UP;
			sum += st.member[m].share_ppm;
			if (st.member[m].oper != LB_ASIC_OPER_UP) { /* down: why, and no traffic */
				assert_int_equal(st.member[m].reason, LB_ASIC_DOWN_NO_SIGNAL);
				assert_int_equal(st.member[m].share_ppm, 0);
			} else { /* up: no reason, and some of the 1,000 flows */
				assert_int_equal(st.member[m].reason, LB_ASIC_DOWN_NONE);
				assert_true(st.member[m].share_ppm > 0);
			}
		}
		assert_int_equal(up, st.members_up);
		assert_int_equal(st.capacity_mbps, 800000ull * up);
		assert_true(up >= 3);
		assert_int_equal(st.reason, up == 4 ? LB_HYPERPORT_FULL : LB_HYPERPORT_DEGRADED);
		assert_int_equal(sum, 1000000);
		degraded += up == 3;
		full += up == 4;
		lb_emu_world_advance_ns(r.w, MS_NS);
	}
	f.stop = 1;
	pthread_join(th, NULL);
	(void)degraded; /* how the threads interleave is the scheduler's: counted, not asserted */
	(void)full;
	asic_rig_close(&r);
}

/* STATE latches CAPACITY, SHARE and REASONS: a member going down between the reads does not
 * mix two instants into one state (the next STATE read sees it). */
static void test_latch(void **state)
{
	(void)state;
	uint32_t hp;
	struct asic_rig r = up_rig(&hp, LB_HYPERPORT_HASH_SPRAY);
	struct lb_emu_asic *a = r.asic;
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_STATE)), 0xF03);
	assert_int_equal(lb_emu_asic_set_signal(a, 8, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_CAPACITY_GBPS)), 3200);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_SHARE(1))), 250000);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_REASONS)), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_STATE)), 0xD03);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_CAPACITY_GBPS)), 2400);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_SHARE(1))), 0);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_HP_REG(hp, LB_EMU_ASIC_HP_REASONS)), LB_ASIC_DOWN_NO_SIGNAL << 8);
	asic_rig_close(&r);
}

/* A driver built before the HyperPort ops (its table ends at the buffer ops). */
static void test_driver_without_hyperports(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	const struct lb_driver *emu;
	assert_int_equal(lb_ctx_find_driver(r.ctx, LB_DRIVER_ASIC, "emulated", &emu), LB_OK);
	static struct lb_asic_ops old;
	memcpy(&old, emu->ops.asic, sizeof(old));
	old.size = LB_SIZE_THROUGH(struct lb_asic_ops, queue_get);
	old.hyperport_create = NULL; /* past its size: never read, whatever it holds */
	static struct lb_driver drv;
	drv = *emu;
	drv.name = "emulated-old";
	drv.ops.asic = &old;
	assert_int_equal(lb_ctx_register_driver(r.ctx, &drv), LB_OK);
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(r.ctx, "emulated-old", NULL, r.asic, &sw), LB_OK);
	struct lb_hyperport_config c = hp_cfg(0, 1, 2, 3, LB_HYPERPORT_HASH_FLOW);
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(sw, &c, &hp), LB_E_NOTSUP);
	assert_string_equal(lb_ctx_last_error(r.ctx), "asic driver 'emulated-old' has no hyperports");
	size_t n = 9;
	assert_int_equal(lb_hyperport_list(sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 0);
	/* a HyperPort the chip holds (made by the new driver): the chip still refuses to remove a member */
	assert_int_equal(lb_hyperport_create(r.sw, &c, &hp), LB_OK);
	assert_int_equal(lb_asic_port_remove(sw, 1), LB_E_BUSY);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "the chip refused it: in use"));
	lb_switch_close(sw);
	asic_rig_close(&r);
}

static void test_names(void **state)
{
	(void)state;
	enum lb_hyperport_hash h;
	assert_string_equal(lb_hyperport_hash_name(LB_HYPERPORT_HASH_FLOW), "flow");
	assert_string_equal(lb_hyperport_hash_name(LB_HYPERPORT_HASH_SPRAY), "spray");
	assert_string_equal(lb_hyperport_hash_name((enum lb_hyperport_hash)9), "?");
	assert_int_equal(lb_hyperport_hash_parse("spray", &h), LB_OK);
	assert_int_equal(h, LB_HYPERPORT_HASH_SPRAY);
	assert_int_equal(lb_hyperport_hash_parse("ecmp", &h), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_hash_parse(NULL, &h), LB_E_INVAL);
	assert_string_equal(lb_hyperport_reason_name(LB_HYPERPORT_ALL_DOWN), "all-down");
	assert_string_equal(lb_hyperport_reason_name((enum lb_hyperport_reason)9), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_get_list_remove),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_member_down),
		cmocka_unit_test(test_spread_and_counters),
		cmocka_unit_test(test_flow_hash),
		cmocka_unit_test(test_registers),
		cmocka_unit_test(test_latch),
		cmocka_unit_test(test_driver_without_hyperports),
		cmocka_unit_test(test_state_while_flapping),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
