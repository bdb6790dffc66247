/* SPDX-License-Identifier: MIT */
/*
 * Lossless planning (lightbridge/lossless.h) against hand-computed cases of
 * reference/asic-buffers.md: §3.3 (800G over 500 km: 505,127,936 bytes of headroom; 100G over
 * 10 km: 1,307,648), §2.4 (SONiC's worked 800G rows with its cell occupancy and 2 KB
 * compensation), cell rounding, real fibre, and the fit of N ports x M priorities in a
 * Jericho-class buffer (128 MiB on chip, 32 GiB HBM: the emulated profile's figures).
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <lightbridge/lossless.h>

static struct lb_lossless_plan plan(struct lb_lossless_input in)
{
	struct lb_lossless_plan p = LB_LOSSLESS_PLAN_INIT;
	assert_int_equal(lb_lossless_plan(&in, &p), LB_OK);
	assert_int_equal(p.size, sizeof(p));
	return p;
}

static struct lb_lossless_input link(uint32_t mbps, double km)
{
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = mbps;
	in.distance_km = km;
	return in;
}

static void test_reference_cases(void **state)
{
	(void)state;
	/* §3.3: MTUs 9216, 0.8 KB MAC/PHY, the peer's 905 quanta, occupancy 1, 1 KiB rounding */
	struct lb_lossless_plan p = plan(link(800000, 500));
	assert_int_equal(p.headroom_bytes, 505127936);
	assert_int_equal(p.xoff_bytes, p.headroom_bytes);
	assert_true(fabs(p.rtt_ns - 5050505.05) < 0.01);
	assert_true(fabs(p.cable_bytes - 505050505.05) < 0.01);
	assert_int_equal(p.peer_response_bytes, 57920);
	/* §3.5: the backlog below XON that keeps a 5 ms link busy: the round trip's bytes */
	assert_int_equal(p.xon_bytes, 505051136);
	assert_int_equal(p.pg_bytes, 1010179072);
	assert_int_equal(p.fit, LB_LOSSLESS_FIT_UNKNOWN);

	p = plan(link(100000, 10));
	assert_int_equal(p.headroom_bytes, 1307648);
	assert_int_equal(p.peer_response_bytes, 25216);
	assert_int_equal(p.xon_bytes, 1263616);

	/* §2.4: port MTU 9100, occupancy 1.2353 (cell 144, 50 % of 1024-byte lossless frames),
	 * xoff with SONiC's 2 KB compensation, here folded into the lossless MTU (1024 + 2048) */
	struct lb_lossless_input in = link(800000, 100);
	in.port_mtu = 9100;
	in.lossless_mtu = 3072;
	in.cell_occupancy = 1 + 2 * (100.0 * 64 / 544) / 100;
	assert_int_equal(plan(in).xoff_bytes, 124864512);
	in.distance_km = 500;
	assert_int_equal(plan(in).xoff_bytes, 623973376);

	/* a short link: the fixed terms only */
	p = plan(link(400000, 0));
	assert_int_equal(p.xon_bytes, 0);
	assert_int_equal(p.headroom_bytes, 77824); /* 9216 + 9216 + 819.2 + 57920 -> 76 KiB */
}

static void test_cells_and_fibre(void **state)
{
	(void)state;
	struct lb_lossless_input in = link(800000, 500);
	in.cell_bytes = 254;
	struct lb_lossless_plan p = plan(in);
	assert_int_equal(p.headroom_bytes % 254, 0);
	assert_int_equal(p.headroom_bytes, 505128022); /* 505,127,936 up to whole cells */
	assert_int_equal(p.xon_bytes, 505051314);
	/* real fibre, 4,897 ns/km one way, instead of SONiC's 5,050.5 */
	in = link(800000, 500);
	in.fibre_delay_ns_per_km = 4897;
	p = plan(in);
	assert_true(fabs(p.cable_bytes - 489.7e6) < 1);
	assert_int_equal(p.headroom_bytes, 489778176);
	/* a peer response given in time, for a speed the table lacks */
	in = link(300000, 1);
	struct lb_lossless_plan q = LB_LOSSLESS_PLAN_INIT;
	assert_int_equal(lb_lossless_plan(&in, &q), LB_E_INVAL);
	in.peer_response_ns = 1000;
	p = plan(in);
	assert_int_equal(p.peer_response_bytes, 37500);
	assert_int_equal(lb_lossless_peer_quanta(800000), 905);
	assert_int_equal(lb_lossless_peer_quanta(100000), 394);
	assert_int_equal(lb_lossless_peer_quanta(300000), 0);
}

/* The emulated Jericho-class profile's buffer. */
static struct lb_lossless_input on_jericho(uint32_t mbps, double km, uint32_t ports, uint32_t prios)
{
	struct lb_lossless_input in = link(mbps, km);
	in.ports = ports;
	in.priorities = prios;
	in.onchip_bytes = 128ull << 20;
	in.hbm_bytes = 32ull << 30;
	in.hbm_bandwidth_mbps = 25600000;
	return in;
}

static void test_fit(void **state)
{
	(void)state;
	struct lb_lossless_plan p = plan(on_jericho(100000, 10, 4, 2));
	assert_int_equal(p.pgs, 8);
	assert_int_equal(p.private_bytes, 8 * 2571264ull);
	assert_int_equal(p.fit, LB_LOSSLESS_FIT_ONCHIP);
	assert_int_equal(p.hbm_bandwidth_needed_mbps, 0);

	p = plan(on_jericho(800000, 100, 64, 1));
	assert_int_equal(p.fit, LB_LOSSLESS_FIT_HBM);
	assert_int_equal(p.private_bytes, 12934316032ull);
	assert_int_equal(p.hbm_bandwidth_needed_mbps, 51200000);
	assert_int_equal(p.hbm_bandwidth_short, 1); /* 51.2 Tb/s into 25.6 */

	p = plan(on_jericho(800000, 500, 40, 1));
	assert_int_equal(p.fit, LB_LOSSLESS_FIT_SHARED_POOL);
	assert_int_equal(p.shared_pool_bytes, 40 * 505127936ull / 2);
	assert_int_equal(p.shared_total_bytes, 30304604160ull);
	assert_int_equal(p.buffer_bytes, 34493956096ull);

	p = plan(on_jericho(800000, 500, 64, 1));
	assert_int_equal(p.fit, LB_LOSSLESS_FIT_NONE);
	/* a larger oversubscription makes it hold */
	struct lb_lossless_input in = on_jericho(800000, 500, 64, 1);
	in.oversubscription = 8;
	assert_int_equal(plan(in).fit, LB_LOSSLESS_FIT_NONE); /* the backlogs alone: 32.3 GB + 4 GB */
	in.distance_km = 400;
	assert_int_equal(plan(in).fit, LB_LOSSLESS_FIT_SHARED_POOL);
	assert_string_equal(lb_lossless_fit_name(LB_LOSSLESS_FIT_SHARED_POOL), "shared-pool");
	/* whole cells: 3 PGs of 254-byte cells over 2 */
	struct lb_lossless_input odd = on_jericho(800000, 500, 3, 1);
	odd.cell_bytes = 254;
	p = plan(odd);
	assert_int_equal(p.shared_pool_bytes % 254, 0);
	assert_true(p.shared_pool_bytes >= (3 * p.headroom_bytes + 1) / 2);
	assert_true(p.shared_pool_bytes < (3 * p.headroom_bytes + 1) / 2 + 254);
	/* one PG alone can take its whole headroom: the pool never holds less */
	p = plan(on_jericho(800000, 500, 1, 1));
	assert_int_equal(p.shared_pool_bytes, p.headroom_bytes);
	assert_string_equal(lb_lossless_fit_name(LB_LOSSLESS_FIT_NONE), "none");
}

static void test_refused(void **state)
{
	(void)state;
	struct lb_lossless_input bad[8];
	for (int i = 0; i < 8; i++)
		bad[i] = link(800000, 10);
	bad[0].speed_mbps = 0;
	bad[1].distance_km = -1;
	bad[2].distance_km = NAN;
	bad[3].cell_occupancy = 0.5;
	bad[4].port_mtu = 63;
	bad[5].oversubscription = 0.5;
	bad[6].distance_km = INFINITY;
	bad[7].size = 8;
	for (int i = 0; i < 8; i++) {
		struct lb_lossless_plan p = LB_LOSSLESS_PLAN_INIT;
		p.headroom_bytes = 7;
		if (lb_lossless_plan(&bad[i], &p) != LB_E_INVAL)
			fail_msg("case %d accepted", i);
		if (i != 7)
			assert_int_equal(p.headroom_bytes, 0); /* never a half-made plan */
	}
	struct lb_lossless_input in = link(800000, 10);
	struct lb_lossless_plan small = { .size = 8 };
	assert_int_equal(lb_lossless_plan(&in, &small), LB_E_INVAL);
	assert_int_equal(lb_lossless_plan(NULL, &small), LB_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_cases),
		cmocka_unit_test(test_cells_and_fibre),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
