/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's queueing model (lb_emu_asic_set_flow) with buffers configured through
 * the public API: PFC at distance (no drop on a lossless PG whose headroom is
 * lb_lossless_plan's for 100 km and 500 km, drops when it is short), a lossy queue
 * overflowing, the scheduler's shares, watermarks and their clear, the peer's PFC pausing the
 * queue after the link's delay, the VOQ spill to HBM under its write bandwidth, counters that
 * agree with the model, and bad flows refused with nothing applied. Virtual time only.
 */
#include <math.h>
#include <lightbridge/buffer.h>
#include <lightbridge/lossless.h>
#include <lightbridge/qos.h>
#include "asic_rig.h"

#define MS_NS 1000000ull
#define MIB (1024ull * 1024ull)
#define RATE_800G_BYTES_PER_NS 100.0 /* 800 Gb/s */

static void port_up(struct asic_rig *r, uint32_t port, uint8_t pfc)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	c.pfc_mask = pfc;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_PFC),
			 LB_OK);
}

static uint32_t make_pool(struct asic_rig *r, enum lb_buffer_pool_type type, uint64_t size)
{
	struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
	c.type = type;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.size_bytes = size;
	uint32_t n;
	int rc = lb_buffer_pool_create(r->sw, &c, &n);
	if (rc)
		fail_msg("pool: %s (%s)", lb_status_name(rc), lb_ctx_last_error(r->ctx));
	return n;
}

static uint32_t make_profile(struct asic_rig *r, uint32_t pool, uint64_t limit, uint64_t xoff, uint64_t xon)
{
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = limit;
	c.xoff_bytes = xoff;
	c.xon_bytes = xon;
	uint32_t n;
	int rc = lb_buffer_profile_create(r->sw, &c, &n);
	if (rc)
		fail_msg("profile: %s (%s)", lb_status_name(rc), lb_ctx_last_error(r->ctx));
	return n;
}

static void flow_status(struct asic_rig *r, uint32_t port, struct lb_emu_asic_flow_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	assert_int_equal(lb_emu_asic_flow_status(r->asic, port, st), LB_OK);
}

static struct lb_lossless_plan plan_800g(double km)
{
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = 800000;
	in.distance_km = km;
	in.cell_bytes = 256;
	struct lb_lossless_plan p = LB_LOSSLESS_PLAN_INIT;
	assert_int_equal(lb_lossless_plan(&in, &p), LB_OK);
	return p;
}

/*
 * Port 0 of the Jericho-class chip, priority 3 lossless at km, the PG's headroom
 * headroom_share of the plan's, XON at the plan's backlog: the peer offers line rate, the
 * egress takes half, for ms milliseconds.
 */
static void run_lossless(double km, double headroom_share, uint64_t ms, struct lb_lossless_plan *plan,
			 struct lb_emu_asic_flow_status *st)
{
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	*plan = plan_800g(km);
	uint64_t headroom = (uint64_t)((double)plan->xoff_bytes * headroom_share) / 256 * 256;
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_INGRESS, 4096 * MIB);
	uint32_t prof = make_profile(&r, pool, plan->xon_bytes + 4 * MIB, headroom, plan->xon_bytes);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, prof), LB_OK);
	port_up(&r, 0, 1u << 3);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[3] = 1.0;
	f.egress_rate = 0.5;
	f.distance_km = km;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, ms * MS_NS);
	flow_status(&r, 0, st);
	/* the port's counters say what the model says */
	struct lb_asic_port_counters c = { .size = sizeof(c) };
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.pfc_tx_pkts[3], st->prio[3].pfc_tx_frames);
	assert_int_equal(c.pfc_tx_pause_us[3], st->prio[3].pause_tx_ns / 1000);
	assert_true(c.pfc_tx_pause_us[3] > 0);
	/* a caller of the first layout gets it, and nothing past it */
	struct { struct lb_asic_port_counters c; uint64_t guard; } v1;
	memset(&v1, 0xA5, sizeof(v1));
	v1.c.size = LB_ASIC_PORT_COUNTERS_SIZE_V1;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &v1.c), LB_OK);
	assert_int_equal(v1.c.size, LB_ASIC_PORT_COUNTERS_SIZE_V1);
	assert_int_equal(v1.c.pfc_tx_pkts[3], c.pfc_tx_pkts[3]);
	assert_int_equal(v1.c.pfc_rx_pause_us[0], 0xA5A5A5A5A5A5A5A5ull);
	assert_true(llabs((long long)(c.out_octets - st->prio[3].sent_bytes)) <= 1500);
	assert_true(c.in_discards * 1500 <= st->prio[3].dropped_bytes + 1500);
	assert_true((c.in_discards + 1) * 1500 >= st->prio[3].dropped_bytes);
	asic_rig_close(&r);
}

static void assert_lossless_at(double km)
{
	struct lb_lossless_plan plan;
	struct lb_emu_asic_flow_status st;
	run_lossless(km, 1.0, 60, &plan, &st);
	const struct lb_emu_asic_flow_prio *p = &st.prio[3];
	assert_int_equal(p->lossless, 1);
	assert_int_equal(p->dropped_bytes, 0);
	assert_true(p->pfc_tx_frames >= 2);
	assert_true(p->pause_tx_ns > 0);
	/* the headroom took what was in flight: half the line rate (in 1, out 0.5) for a round trip */
	double flight = plan.cable_bytes / 2;
	print_message("%.0f km: headroom %llu of %llu, peak used %llu (in flight at half rate %.0f)\n", km,
		      (unsigned long long)p->headroom_size_bytes, (unsigned long long)plan.xoff_bytes,
		      (unsigned long long)p->headroom_peak_bytes, flight);
	assert_true((double)p->headroom_peak_bytes > 0.95 * flight);
	assert_true(p->headroom_peak_bytes <= p->headroom_size_bytes);
	/* XON at the backlog keeps the egress busy: full throughput at half the line rate */
	double full = 0.5 * RATE_800G_BYTES_PER_NS * (double)st.elapsed_ns;
	assert_true((double)p->sent_bytes > 0.99 * full);
	assert_true((double)p->sent_bytes <= full + 1);
}

static void assert_drops_at(double km)
{
	struct lb_lossless_plan plan;
	struct lb_emu_asic_flow_status st;
	run_lossless(km, 0.25, 60, &plan, &st);
	const struct lb_emu_asic_flow_prio *p = &st.prio[3];
	assert_true(p->pfc_tx_frames >= 1);
	assert_true(p->dropped_bytes > 0);
	assert_int_equal(p->headroom_peak_bytes, p->headroom_size_bytes);
}

static void test_lossless_100km_no_drop(void **s)
{
	(void)s;
	assert_lossless_at(100);
}

static void test_lossless_500km_no_drop(void **s)
{
	(void)s;
	assert_lossless_at(500);
}

static void test_short_headroom_100km_drops(void **s)
{
	(void)s;
	assert_drops_at(100);
}

static void test_short_headroom_500km_drops(void **s)
{
	(void)s;
	assert_drops_at(500);
}

/* A lossy queue (PFC off, the queue's profile only) holds its limit and drops the rest. */
static void test_lossy_overflow_drops(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_EGRESS, 32 * MIB);
	uint32_t prof = make_profile(&r, pool, 1 * MIB, 0, 0);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 1, 2, prof), LB_OK);
	port_up(&r, 1, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[2] = 1.0;
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 1, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 2 * MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 1, &st);
	const struct lb_emu_asic_flow_prio *p = &st.prio[2];
	assert_int_equal(p->lossless, 0);
	assert_int_equal(p->pfc_tx_frames, 0);
	assert_int_equal(p->pg_peak_bytes, MIB);
	/* arrived = sent + held + dropped */
	assert_true(llabs((long long)(p->arrived_bytes - p->sent_bytes - p->pg_bytes - p->dropped_bytes)) <= 2);
	double expect_drop = 0.5 * RATE_800G_BYTES_PER_NS * (double)st.elapsed_ns - (double)MIB;
	assert_true(fabs((double)p->dropped_bytes - expect_drop) < 0.001 * expect_drop);
	struct lb_asic_port_counters c = { .size = sizeof(c) };
	assert_int_equal(lb_asic_port_counters_read(r.sw, 1, &c), LB_OK);
	assert_true(c.in_discards > 0);
	assert_int_equal(c.pfc_tx_pkts[2], 0);
	asic_rig_close(&r);
}

/* Two DWRR queues at weights 1 and 3 share a congested egress 1:3; a strict one goes first. */
static void test_wrr_shares(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_EGRESS, 48 * MIB);
	uint32_t prof = make_profile(&r, pool, 8 * MIB, 0, 0);
	for (uint32_t q = 0; q < 8; q++)
		assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, q, prof), LB_OK);
	port_up(&r, 0, 0);
	struct lb_qos_scheduler sc = LB_QOS_SCHEDULER_INIT;
	for (unsigned q = 0; q < 8; q++) {
		sc.type[q] = LB_QOS_SCHED_DWRR;
		sc.weight[q] = 1;
	}
	sc.weight[2] = 3;
	sc.type[6] = LB_QOS_SCHED_STRICT;
	int rc = lb_qos_scheduler_set(r.sw, 0, &sc);
	if (rc)
		fail_msg("scheduler: %s (%s)", lb_status_name(rc), lb_ctx_last_error(r.ctx));
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[1] = 0.4;
	f.load[2] = 0.4;
	f.load[6] = 0.1; /* strict */
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	double t = (double)st.elapsed_ns, line = RATE_800G_BYTES_PER_NS;
	assert_true(fabs((double)st.prio[6].sent_bytes - 0.1 * line * t) < 0.001 * 0.1 * line * t);
	double left = 0.4 * line * t; /* half the line less the strict tenth */
	assert_true(fabs((double)st.prio[1].sent_bytes - 0.25 * left) < 0.01 * left);
	assert_true(fabs((double)st.prio[2].sent_bytes - 0.75 * left) < 0.01 * left);
	assert_int_equal(st.prio[6].pg_bytes, 0); /* never waits: at most a step's arrival */
	assert_true(st.prio[6].pg_peak_bytes <= (uint64_t)(0.1 * line * LB_EMU_ASIC_FLOW_STEP_NS) + 1);
	/* queue 1 runs dry: queue 2 takes what it leaves */
	f.load[1] = 0.05;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	struct lb_emu_asic_flow_status before = st;
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[1].pg_bytes, 0);
	double d2 = (double)(st.prio[2].sent_bytes - before.prio[2].sent_bytes);
	double d1 = (double)(st.prio[1].sent_bytes - before.prio[1].sent_bytes);
	assert_true(d2 > 3.5 * d1);
	asic_rig_close(&r);
}

/* A burst's watermarks: the peak stays when the queue drains, a clear brings it to now. */
static void test_watermarks_and_clear(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_EGRESS, 32 * MIB);
	uint32_t prof = make_profile(&r, pool, 4 * MIB, 0, 0);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 0, prof), LB_OK);
	port_up(&r, 0, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.burst_bytes[0] = 2 * MIB;
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	const struct lb_emu_asic_flow_prio *p = &st.prio[0];
	assert_int_equal(p->arrived_bytes, 2 * MIB);
	assert_int_equal(p->sent_bytes, 2 * MIB);
	assert_int_equal(p->pg_bytes, 0);
	/* in at line rate, out at half: half the burst held at its end (within a step) */
	assert_true(llabs((long long)p->pg_peak_bytes - (long long)MIB) <= 100000);
	assert_true(llabs((long long)p->queue_delay_peak_ns - (long long)(MIB / 50)) <= 1000);
	assert_int_equal(lb_emu_asic_flow_clear_peaks(r.asic, 0), LB_OK);
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[0].pg_peak_bytes, 0);
	assert_int_equal(st.prio[0].queue_delay_peak_ns, 0);
	assert_int_equal(lb_emu_asic_flow_clear_peaks(r.asic, 1), LB_E_NOTFOUND);
	asic_rig_close(&r);
}

/* The peer's PFC stops the queue once it has crossed 100 km of fibre, and not before. */
static void test_peer_pause_after_link_delay(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_EGRESS, 1024 * MIB);
	uint32_t prof = make_profile(&r, pool, 512 * MIB, 0, 0);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 4, prof), LB_OK);
	port_up(&r, 0, 1u << 4);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[4] = 0.5;
	f.distance_km = 100;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	f.peer_pause = 1u << 4;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	struct lb_emu_asic_flow_status a, b;
	flow_status(&r, 0, &a);
	double one_way = a.one_way_ns;
	assert_true(fabs(one_way - 100 * 1e12 / 1.98e8) < 1);
	lb_emu_world_advance_ns(r.w, (uint64_t)(one_way * 0.9));
	flow_status(&r, 0, &b);
	assert_int_equal(b.prio[4].pfc_rx_frames, 0);
	assert_true(b.prio[4].sent_bytes > a.prio[4].sent_bytes);
	lb_emu_world_advance_ns(r.w, (uint64_t)(one_way * 0.2));
	flow_status(&r, 0, &a);
	assert_true(a.prio[4].pfc_rx_frames >= 1);
	lb_emu_world_advance_ns(r.w, MS_NS);
	flow_status(&r, 0, &b);
	assert_int_equal(b.prio[4].sent_bytes, a.prio[4].sent_bytes); /* held */
	assert_true(b.prio[4].pg_bytes > a.prio[4].pg_bytes);         /* and filling */
	assert_true(b.prio[4].pause_rx_ns >= MS_NS);
	struct lb_asic_port_counters c = { .size = sizeof(c) };
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.pfc_rx_pkts[4], b.prio[4].pfc_rx_frames);
	assert_int_equal(c.pfc_rx_pause_us[4], b.prio[4].pause_rx_ns / 1000);
	assert_int_equal(c.pfc_tx_pause_us[4], 0);
	asic_rig_close(&r);
}

/* A VOQ spills to HBM only when congested, and no faster than the HBM writes. */
static void test_voq_hbm_spill(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	uint32_t pool = make_pool(&r, LB_BUFFER_POOL_EGRESS, 4096 * MIB);
	uint32_t prof = make_profile(&r, pool, 2048 * MIB, 0, 0);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 0, prof), LB_OK);
	port_up(&r, 0, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[0] = 0.5; /* under the egress: never congested */
	f.onchip_bytes = MIB;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[0].hbm_peak_bytes, 0);
	f.load[0] = 1.0; /* congested: grows at 400G, the HBM takes it */
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	flow_status(&r, 0, &st);
	assert_true(st.prio[0].hbm_peak_bytes > 30 * MIB);
	assert_int_equal(st.prio[0].dropped_bytes, 0);
	/* an HBM that writes 100G: three quarters of the growth past the on-chip share is lost */
	assert_int_equal(lb_emu_asic_set_hbm_bw(r.asic, 100000), LB_OK);
	struct lb_emu_asic_flow_status before = st;
	lb_emu_world_advance_ns(r.w, MS_NS);
	flow_status(&r, 0, &st);
	double dropped = (double)(st.prio[0].dropped_bytes - before.prio[0].dropped_bytes);
	double grown = (double)(st.prio[0].hbm_bytes - before.prio[0].hbm_bytes);
	assert_true(fabs(dropped - 3 * grown) < 0.01 * dropped);
	assert_true(fabs(grown - 12.5 * 1e6) < 0.01 * 12.5e6); /* 100 Gb/s x 1 ms */
	asic_rig_close(&r);
}

/* Every bad flow is refused and applies nothing. */
static void test_bad_flows_apply_nothing(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic_flow_status st = { .size = sizeof(st) };
	struct lb_emu_asic_flow good = { .size = sizeof(good) };
	good.load[0] = 0.5;
	struct lb_emu_asic_flow bad[8];
	for (unsigned i = 0; i < 8; i++)
		bad[i] = good;
	bad[0].size = LB_EMU_ASIC_FLOW_SIZE_V1 - 1;
	bad[1].load[3] = 1.5;
	bad[2].load[3] = -0.1;
	bad[3].egress_rate = 2;
	bad[4].distance_km = NAN;
	bad[5].cable_delay_ns = 2e9;
	bad[6].peer_response_ns = INFINITY;
	bad[7].fibre_ns_per_km = -1;
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &bad[i]), LB_E_INVAL);
		assert_int_equal(lb_emu_asic_flow_status(r.asic, 0, &st), LB_E_NOTFOUND);
	}
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 32, &good), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_set_flow(NULL, 0, &good), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 32, &st), LB_E_RANGE);
	st.size = 8;
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 0, &st), LB_E_INVAL);
	/* on a running flow: a bad change leaves the old one running */
	port_up(&r, 0, 0);
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &good), LB_OK);
	for (unsigned i = 1; i < 8; i++)
		assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &bad[i]), LB_E_INVAL);
	lb_emu_world_advance_ns(r.w, MS_NS);
	st.size = sizeof(st);
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 0, &st), LB_OK);
	double want = 0.5 * RATE_800G_BYTES_PER_NS * (double)st.elapsed_ns;
	assert_true(fabs((double)st.prio[0].arrived_bytes - want) < 1);
	assert_int_equal(st.prio[3].arrived_bytes, 0);
	assert_true(fabs(st.one_way_ns) < 1e-9);
	/* stopped: gone */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, NULL), LB_OK);
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 0, &st), LB_E_NOTFOUND);
	asic_rig_close(&r);
}

/* The ASIC behind a switch; a port's flow goes with the port; at most 64 flows at once. */
static void test_switch_asic_and_flow_lifetime(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	assert_ptr_equal(lb_emu_switch_asic(r.sw), r.asic);
	assert_null(lb_emu_switch_asic(NULL));
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[0] = 0.1;
	for (uint32_t p = 0; p < LB_EMU_ASIC_FLOW_MAX_PORTS; p++)
		assert_int_equal(lb_emu_asic_set_flow(r.asic, p, &f), LB_OK);
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 100, &f), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 5, &f), LB_OK); /* a change, not a new one */
	struct lb_emu_asic_flow_status st = { .size = sizeof(st) };
	assert_int_equal(lb_asic_port_remove(r.sw, 5), LB_OK);
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 5, &st), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 100, &f), LB_OK); /* its place is free */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 6, NULL), LB_OK);
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 6, NULL), LB_OK); /* none: nothing to stop */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 101, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 100000);
	assert_int_equal(lb_emu_asic_flow_status(r.asic, 7, &st), LB_OK);
	assert_int_equal(st.elapsed_ns, 100000);
	asic_rig_close(&r); /* the flows go with the ASIC (ASan) */
}

/* A queue with no buffer passes what it can send at once and drops only under congestion. */
static void test_no_buffer_transit(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 0, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[1] = 0.3;
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[1].dropped_bytes, 0);
	assert_int_equal(st.prio[1].sent_bytes, st.prio[1].arrived_bytes);
	f.load[1] = 0.8; /* congested, nowhere to wait */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	struct lb_emu_asic_flow_status before = st;
	lb_emu_world_advance_ns(r.w, MS_NS);
	flow_status(&r, 0, &st);
	double dropped = (double)(st.prio[1].dropped_bytes - before.prio[1].dropped_bytes);
	/* all the excess but the one step the queue holds */
	assert_true(fabs(dropped - 0.3 * RATE_800G_BYTES_PER_NS * MS_NS) <= RATE_800G_BYTES_PER_NS * LB_EMU_ASIC_FLOW_STEP_NS);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lossless_100km_no_drop),
		cmocka_unit_test(test_lossless_500km_no_drop),
		cmocka_unit_test(test_short_headroom_100km_drops),
		cmocka_unit_test(test_short_headroom_500km_drops),
		cmocka_unit_test(test_lossy_overflow_drops),
		cmocka_unit_test(test_wrr_shares),
		cmocka_unit_test(test_watermarks_and_clear),
		cmocka_unit_test(test_peer_pause_after_link_delay),
		cmocka_unit_test(test_voq_hbm_spill),
		cmocka_unit_test(test_bad_flows_apply_nothing),
		cmocka_unit_test(test_switch_asic_and_flow_lifetime),
		cmocka_unit_test(test_no_buffer_transit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
