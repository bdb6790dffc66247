/* SPDX-License-Identifier: MIT */
/*
 * Buffers on the emulated ASIC through the public API (lightbridge/buffer.h): pools,
 * profiles, PG and queue bindings; every rule that refuses a change (over-subscription of the
 * chip's buffer and of a pool, a profile on a pool of the wrong direction, a PG bound to a
 * missing profile, removal of what is in use) with its detail and no register touched; the
 * chip's own refusal; what a second handle finds.
 */
#include <stdio.h>
#include <lightbridge/buffer.h>
#include <lightbridge/lossless.h>
#include "asic_rig.h"

#define MIB (1024ull * 1024ull)

static uint32_t pool(struct asic_rig *r, enum lb_buffer_pool_type type, uint64_t size, uint64_t xoff)
{
	struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
	c.type = type;
	c.size_bytes = size;
	c.xoff_bytes = xoff;
	uint32_t n;
	int rc = lb_buffer_pool_create(r->sw, &c, &n);
	if (rc)
		fail_msg("pool: %s (%s)", lb_status_name(rc), lb_ctx_last_error(r->ctx));
	return n;
}

static struct lb_buffer_profile_config prof_cfg(uint32_t pool_n, uint64_t reserved, uint64_t xoff)
{
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool_n;
	c.reserved_bytes = reserved;
	c.xoff_bytes = xoff;
	c.dynamic_th = -2;
	return c;
}

static uint32_t profile(struct asic_rig *r, uint32_t pool_n, uint64_t reserved, uint64_t xoff)
{
	struct lb_buffer_profile_config c = prof_cfg(pool_n, reserved, xoff);
	uint32_t n;
	int rc = lb_buffer_profile_create(r->sw, &c, &n);
	if (rc)
		fail_msg("profile: %s (%s)", lb_status_name(rc), lb_ctx_last_error(r->ctx));
	return n;
}

/* Every buffer register in force, straight from the chip. */
static void buffer_snapshot(struct lb_emu_asic *a, uint32_t *v, size_t n)
{
	size_t k = 0;
	for (uint32_t i = 0; i < LB_EMU_ASIC_POOLS; i++)
		for (uint32_t off = LB_EMU_ASIC_POOL_LIVE; off <= LB_EMU_ASIC_POOL_EXISTS; off += 4)
			v[k++] = asic_reg(a, LB_EMU_ASIC_POOL_REG(i, off));
	for (uint32_t i = 0; i < LB_EMU_ASIC_PROFILES; i++)
		for (uint32_t off = LB_EMU_ASIC_PROF_LIVE; off <= LB_EMU_ASIC_PROF_EXISTS; off += 4)
			if (off < LB_EMU_ASIC_PROF_LIVE + LB_EMU_ASIC_PROF_COMMAND || off == LB_EMU_ASIC_PROF_EXISTS)
				v[k++] = asic_reg(a, LB_EMU_ASIC_PROFILE_REG(i, off));
	for (uint32_t p = 0; p < 4; p++)
		for (uint32_t i = 0; i < 8; i++) {
			v[k++] = asic_reg(a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_PG(i)));
			v[k++] = asic_reg(a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_QUEUE(i)));
		}
	assert_true(k <= n);
}

#define SNAP_WORDS 4096

/* rc is refused with status and detail; nothing reached the chip since acc. */
static void refused(struct asic_rig *r, int rc, int status, const char *detail, uint64_t acc,
		    const uint32_t *before)
{
	if (rc != status)
		fail_msg("'%s': %s, expected %s (%s)", detail, lb_status_name(rc), lb_status_name(status),
			 lb_ctx_last_error(r->ctx));
	if (!strstr(lb_ctx_last_error(r->ctx), detail))
		fail_msg("detail '%s' lacks '%s'", lb_ctx_last_error(r->ctx), detail);
	assert_int_equal(lb_emu_asic_accesses(r->asic), acc);
	static uint32_t after[SNAP_WORDS];
	memset(after, 0, sizeof(after));
	buffer_snapshot(r->asic, after, SNAP_WORDS);
	assert_memory_equal(before, after, sizeof(after));
}

static void test_pools(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small"); /* 64 MiB on chip, no HBM, 256-byte cells */
	uint32_t in = pool(&r, LB_BUFFER_POOL_INGRESS, 32 * MIB, 8 * MIB);
	uint32_t out = pool(&r, LB_BUFFER_POOL_EGRESS, 48 * MIB, 0);
	assert_int_equal(in, 0);
	assert_int_equal(out, 1);
	struct lb_buffer_pool_config got = LB_BUFFER_POOL_CONFIG_INIT;
	assert_int_equal(lb_buffer_pool_get(r.sw, in, &got), LB_OK);
	assert_int_equal(got.type, LB_BUFFER_POOL_INGRESS);
	assert_int_equal(got.xoff_bytes, 8 * MIB);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_POOL_REG(1, LB_EMU_ASIC_POOL_LIVE + LB_EMU_ASIC_POOL_SIZE)),
			 (uint32_t)(48 * MIB));
	static uint32_t before[SNAP_WORDS];
	struct {
		enum lb_buffer_pool_type type;
		uint64_t size, xoff;
		int mode, status;
		const char *detail;
	} cases[] = {
		{ LB_BUFFER_POOL_INGRESS, 40 * MIB, 0, 0, LB_E_RANGE,
		  "pool 2: the ingress side's pools would take 75497472 bytes, over the chip's buffer of 67108864" },
		{ LB_BUFFER_POOL_BOTH, 20 * MIB, 0, 0, LB_E_RANGE, "the egress side's pools would take 71303168" },
		{ LB_BUFFER_POOL_EGRESS, MIB, 4096, 0, LB_E_INVAL,
		  "pool 2: a shared headroom pool (xoff 4096 bytes) on an egress pool: headroom belongs to ingress PGs" },
		{ LB_BUFFER_POOL_INGRESS, MIB, 2 * MIB, 0, LB_E_RANGE, "pool 2: shared headroom pool 2097152 bytes: more" },
		{ LB_BUFFER_POOL_INGRESS, 1000, 0, 0, LB_E_INVAL, "size 1000 bytes: a pool is whole 256-byte cells" },
		{ LB_BUFFER_POOL_INGRESS, 0, 0, 0, LB_E_INVAL, "size 0 bytes" },
		{ (enum lb_buffer_pool_type)7, MIB, 0, 0, LB_E_INVAL, "pool 2: type 7 is unknown" },
		{ LB_BUFFER_POOL_INGRESS, MIB, 0, 5, LB_E_INVAL, "pool 2: threshold mode 5 is unknown" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(before, 0, sizeof(before));
		buffer_snapshot(r.asic, before, SNAP_WORDS);
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
		c.type = cases[i].type;
		c.size_bytes = cases[i].size;
		c.xoff_bytes = cases[i].xoff;
		c.mode = (enum lb_buffer_threshold_mode)cases[i].mode;
		uint32_t n;
		refused(&r, lb_buffer_pool_create(r.sw, &c, &n), cases[i].status, cases[i].detail, acc, before);
	}
	assert_int_equal(lb_buffer_pool_get(r.sw, 5, &got), LB_E_NOTFOUND);
	assert_int_equal(lb_buffer_pool_remove(r.sw, out), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_POOL_REG(1, LB_EMU_ASIC_POOL_EXISTS)), 0);
	asic_rig_close(&r);
}

static void test_profiles(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t in = pool(&r, LB_BUFFER_POOL_INGRESS, 32 * MIB, 8 * MIB);
	uint32_t out = pool(&r, LB_BUFFER_POOL_EGRESS, 16 * MIB, 0);
	uint32_t lossless = profile(&r, in, 4096, 2 * MIB);
	struct lb_buffer_profile_config got = LB_BUFFER_PROFILE_CONFIG_INIT;
	assert_int_equal(lb_buffer_profile_get(r.sw, lossless, &got), LB_OK);
	assert_int_equal(got.pool, in);
	assert_int_equal(got.dynamic_th, -2);
	assert_int_equal(got.xoff_bytes, 2 * MIB);
	static uint32_t before[SNAP_WORDS];
	struct {
		struct lb_buffer_profile_config c;
		int status;
		const char *detail;
	} cases[] = {
		{ prof_cfg(9, 0, 0), LB_E_NOTFOUND, "profile 1: pool 9 does not exist" },
		{ prof_cfg(in, 33 * MIB, 0), LB_E_RANGE, "profile 1: reserved 34603008 bytes: more than pool 0's" },
		{ prof_cfg(out, 0, 4096), LB_E_INVAL,
		  "profile 1: xoff/xon on pool 1 (egress): headroom belongs to ingress PGs" },
		{ prof_cfg(in, 0, 9 * MIB), LB_E_RANGE,
		  "profile 1: xoff 9437184 bytes: more than pool 0's shared headroom pool (8388608)" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(before, 0, sizeof(before));
		buffer_snapshot(r.asic, before, SNAP_WORDS);
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		uint32_t n;
		refused(&r, lb_buffer_profile_create(r.sw, &cases[i].c, &n), cases[i].status, cases[i].detail, acc,
			before);
	}
	struct lb_buffer_profile_config c = prof_cfg(in, 0, 0);
	c.dynamic_th = 8;
	uint32_t n;
	assert_int_equal(lb_buffer_profile_create(r.sw, &c, &n), LB_E_RANGE);
	assert_string_equal(lb_ctx_last_error(r.ctx), "profile 1: dynamic threshold 8: -8 to 7");
	c.mode = LB_BUFFER_THRESHOLD_STATIC; /* the exponent does not matter then */
	c.static_th_bytes = MIB;
	assert_int_equal(lb_buffer_profile_create(r.sw, &c, &n), LB_OK);
	/* a pool a profile uses stays */
	assert_int_equal(lb_buffer_pool_remove(r.sw, in), LB_E_BUSY);
	assert_string_equal(lb_ctx_last_error(r.ctx), "pool 0: profile 0 uses it");
	asic_rig_close(&r);
}

static void test_bindings(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t in = pool(&r, LB_BUFFER_POOL_INGRESS, MIB, 0); /* private headroom */
	uint32_t out = pool(&r, LB_BUFFER_POOL_EGRESS, MIB, 0);
	uint32_t lossless = profile(&r, in, 100 * 1024, 300 * 1024); /* takes 400 KiB a PG */
	uint32_t lossy = profile(&r, out, 256 * 1024, 0);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, lossless), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 4, lossless), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_PG(3))), lossless + 1);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 1, 0, lossy), LB_OK);
	uint32_t got;
	assert_int_equal(lb_asic_pg_get_profile(r.sw, 0, 4, &got), LB_OK);
	assert_int_equal(got, lossless);
	assert_int_equal(lb_asic_pg_get_profile(r.sw, 0, 0, &got), LB_OK);
	assert_int_equal(got, LB_BUFFER_NO_PROFILE);
	static uint32_t before[SNAP_WORDS];
	struct {
		bool pg;
		uint32_t port, index, profile;
		int status;
		const char *detail;
	} cases[] = {
		{ true, 1, 3, lossless, LB_E_RANGE,
		  "asic port 1: PG 3: pool 0 would reserve 1228800 bytes for its PGs and queues, over its 1048576" },
		{ true, 1, 0, lossy, LB_E_INVAL,
		  "asic port 1: PG 0: profile 1 is on pool 1 (egress): a PG takes a profile of an ingress pool" },
		{ false, 1, 1, lossless, LB_E_INVAL, "a queue takes a profile of an egress pool" },
		{ true, 1, 0, 7, LB_E_NOTFOUND, "asic port 1: PG 0: profile 7 does not exist" },
		{ true, 1, 8, lossless, LB_E_RANGE, "asic port 1: PG 8: the chip has PGs 0-7" },
		{ false, 1, 9, lossy, LB_E_RANGE, "queue 9" },
		{ true, 6, 0, lossless, LB_E_NOTFOUND, "asic port 6: no such port" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(before, 0, sizeof(before));
		buffer_snapshot(r.asic, before, SNAP_WORDS);
		uint64_t acc = lb_emu_asic_accesses(r.asic);
		int rc = cases[i].pg ? lb_asic_pg_set_profile(r.sw, cases[i].port, cases[i].index, cases[i].profile)
				     : lb_asic_queue_set_profile(r.sw, cases[i].port, cases[i].index, cases[i].profile);
		refused(&r, rc, cases[i].status, cases[i].detail, acc, before);
	}
	/* rebinding a PG replaces its share: the same PG again fits */
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 4, lossless), LB_OK);
	/* in use: neither the profile nor its pool goes */
	assert_int_equal(lb_buffer_profile_remove(r.sw, lossless), LB_E_BUSY);
	assert_string_equal(lb_ctx_last_error(r.ctx), "profile 0: PG 3 of asic port 0 is bound to it");
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, LB_BUFFER_NO_PROFILE), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_PG(3))), 0);
	/* a port that goes takes its bindings with it */
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK);
	assert_int_equal(lb_buffer_profile_remove(r.sw, lossless), LB_OK);
	assert_int_equal(lb_buffer_profile_remove(r.sw, lossless), LB_E_NOTFOUND);
	assert_int_equal(lb_buffer_pool_remove(r.sw, in), LB_OK);
	asic_rig_close(&r);
}

/* With a shared headroom pool the PGs' xoff comes from it, not from their reservations. */
static void test_shared_headroom(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t in = pool(&r, LB_BUFFER_POOL_INGRESS, MIB + 512 * 1024, 512 * 1024);
	uint32_t lossless = profile(&r, in, 128 * 1024, 400 * 1024);
	/* 8 x 128 KiB reserved: the whole MiB the pool keeps besides its 512 KiB headroom pool
	 * (with private headroom, 2 PGs would) */
	for (uint32_t port = 0; port < 4; port++)
		for (uint32_t pg = 3; pg <= 4; pg++)
			assert_int_equal(lb_asic_pg_set_profile(r.sw, port, pg, lossless), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 5, lossless), LB_E_RANGE);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "pool 0 would reserve 1179648 bytes for its PGs and "
					       "queues, over its 1048576 (its size less its shared headroom pool)"));
	asic_rig_close(&r);
}

static void test_second_handle_and_chip(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t in = pool(&r, LB_BUFFER_POOL_BOTH, 8 * MIB, 0);
	uint32_t p = profile(&r, in, 4096, 0);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 2, 1, p), LB_OK);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 2, 1, p), LB_OK); /* both: either side */
	struct lb_switch *other;
	assert_int_equal(lb_switch_open(r.ctx, "emulated", NULL, r.asic, &other), LB_OK);
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	assert_int_equal(lb_buffer_pool_get(other, in, &pc), LB_OK);
	assert_int_equal(pc.type, LB_BUFFER_POOL_BOTH);
	assert_int_equal(pc.size_bytes, 8 * MIB);
	uint32_t got;
	assert_int_equal(lb_asic_queue_get_profile(other, 2, 1, &got), LB_OK);
	assert_int_equal(got, p);
	/* the first handle unbinds and removes the profile; the stale one binds to it */
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 2, 1, LB_BUFFER_NO_PROFILE), LB_OK);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 2, 1, LB_BUFFER_NO_PROFILE), LB_OK);
	assert_int_equal(lb_buffer_profile_remove(r.sw, p), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(other, 2, 2, p), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx),
			       "asic port 2: the chip refused the binding: no such profile (command status 13)"));
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_PG(2))), 0);
	lb_switch_close(other);
	asic_rig_close(&r);
}

/*
 * The planner and the buffers agree: N lossless PGs at distance on the Jericho-class ASIC,
 * profiles with reserved = the XON backlog and xoff = the headroom (SONiC's private-headroom
 * shape): private, a pool of the plan's private_bytes takes exactly N PGs; with a shared
 * headroom pool of the plan's shared_pool_bytes, a pool of its shared_total_bytes does.
 */
static void test_planner_agrees(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(r.sw, &caps), LB_OK);
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = 800000;
	in.distance_km = 100;
	in.ports = 16;
	in.onchip_bytes = caps.onchip_buffer_bytes;
	in.hbm_bytes = caps.hbm_bytes;
	in.cell_bytes = caps.cell_bytes;
	struct lb_lossless_plan plan = LB_LOSSLESS_PLAN_INIT;
	assert_int_equal(lb_lossless_plan(&in, &plan), LB_OK);
	assert_int_equal(plan.fit, LB_LOSSLESS_FIT_HBM);
	for (int shared = 0; shared <= 1; shared++) {
		struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
		pc.type = LB_BUFFER_POOL_INGRESS;
		pc.size_bytes = shared ? plan.shared_total_bytes : plan.private_bytes;
		pc.xoff_bytes = shared ? plan.shared_pool_bytes : 0;
		uint32_t pool_n, prof;
		assert_int_equal(lb_buffer_pool_create(r.sw, &pc, &pool_n), LB_OK);
		struct lb_buffer_profile_config fc = prof_cfg(pool_n, plan.xon_bytes, plan.xoff_bytes);
		fc.xon_bytes = plan.xon_bytes;
		assert_int_equal(lb_buffer_profile_create(r.sw, &fc, &prof), LB_OK);
		for (uint32_t port = 0; port < 16; port++)
			if (lb_asic_pg_set_profile(r.sw, port, 3, prof))
				fail_msg("%s: port %u: %s", shared ? "shared" : "private", port, lb_ctx_last_error(r.ctx));
		assert_int_equal(lb_asic_pg_set_profile(r.sw, 16, 3, prof), LB_E_RANGE); /* one more: no */
		for (uint32_t port = 0; port < 16; port++)
			assert_int_equal(lb_asic_pg_set_profile(r.sw, port, 3, LB_BUFFER_NO_PROFILE), LB_OK);
		assert_int_equal(lb_buffer_profile_remove(r.sw, prof), LB_OK);
		assert_int_equal(lb_buffer_pool_remove(r.sw, pool_n), LB_OK);
	}
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pools),
		cmocka_unit_test(test_profiles),
		cmocka_unit_test(test_bindings),
		cmocka_unit_test(test_shared_headroom),
		cmocka_unit_test(test_second_handle_and_chip),
		cmocka_unit_test(test_planner_agrees),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
