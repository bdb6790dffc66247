/* SPDX-License-Identifier: MIT */
/*
 * Congestion control on the emulated ASIC through the public API (lightbridge/congestion.h):
 * ECN/WRED per queue and the PFC watchdog set and read back, every refusal with its detail and
 * nothing applied on the chip; in the queueing model, ECN marks and WRED drops against counts
 * worked out by hand, marks rising with the load and a reacting sender keeping the queue below
 * max, and a pause storm detected within detection time + one poll, restored after the
 * restoration time, with each action's effect on the counters. Virtual time only.
 */
#include <math.h>
#include <lightbridge/buffer.h>
#include <lightbridge/congestion.h>
#include <lightbridge/qos.h>
#include "asic_rig.h"

#define MS_NS 1000000ull
#define MIB (1024ull * 1024ull)

static void port_up(struct asic_rig *r, uint32_t port, uint8_t pfc)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	c.pfc_mask = pfc;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_PFC), LB_OK);
}

/* A pool of both directions and a static profile of limit bytes; its number. */
static uint32_t static_profile(struct asic_rig *r, uint64_t limit)
{
	static uint32_t pool = UINT32_MAX;
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	if (pool == UINT32_MAX || lb_buffer_pool_get(r->sw, pool, &pc) != LB_OK) {
		pc.type = LB_BUFFER_POOL_BOTH;
		pc.mode = LB_BUFFER_THRESHOLD_STATIC;
		pc.size_bytes = 48 * MIB;
		assert_int_equal(lb_buffer_pool_create(r->sw, &pc, &pool), LB_OK);
	}
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = limit;
	uint32_t prof;
	assert_int_equal(lb_buffer_profile_create(r->sw, &c, &prof), LB_OK);
	return prof;
}

/* Every congestion register in force on port (queues and watchdogs), from the chip. */
#define CC_WORDS (8 * 14 + 8 * 3)
static void cc_live(struct asic_rig *r, uint32_t port, uint32_t *v)
{
	uint32_t k = 0;
	for (uint32_t q = 0; q < 8; q++)
		for (uint32_t off = 0; off < LB_EMU_ASIC_CC_Q_COMMAND; off += 4)
			v[k++] = asic_reg(r->asic, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, off)));
	for (uint32_t tc = 0; tc < 8; tc++)
		for (uint32_t off = LB_EMU_ASIC_CC_WD_LIVE_DETECT; off <= LB_EMU_ASIC_CC_WD_LIVE_ACTION; off += 4)
			v[k++] = asic_reg(r->asic, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, off)));
	assert_int_equal(k, CC_WORDS);
}

static struct lb_queue_ecn_config ecn_cfg(uint64_t min, uint64_t max, uint32_t pct)
{
	struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
	c.colors = LB_COLOR_ALL;
	c.wred_enable = 1;
	c.ecn_enable = 1;
	for (unsigned k = 0; k < LB_COLORS; k++) {
		c.color[k].min_bytes = min;
		c.color[k].max_bytes = max;
		c.color[k].probability_pct = pct;
	}
	return c;
}

static void test_ecn_round_trip(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_queue_ecn_config got = LB_QUEUE_ECN_CONFIG_INIT, off = LB_QUEUE_ECN_CONFIG_INIT;
	assert_int_equal(lb_queue_ecn_get(r.sw, 0, 3, &got), LB_OK);
	assert_memory_equal(&got, &off, sizeof(got)); /* power-on: all off */
	struct lb_queue_ecn_config c = ecn_cfg(100000, 400000, 20);
	c.colors = LB_COLOR_BIT(LB_COLOR_GREEN) | LB_COLOR_BIT(LB_COLOR_RED);
	c.wred_enable = 0;
	c.color[LB_COLOR_RED].min_bytes = 50000;
	c.color[LB_COLOR_RED].probability_pct = 100;
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 3, &c), LB_OK);
	assert_int_equal(lb_queue_ecn_get(r.sw, 0, 3, &got), LB_OK);
	memset(&c.color[LB_COLOR_YELLOW], 0, sizeof(c.color[0])); /* a colour off reads 0 */
	assert_memory_equal(&got, &c, sizeof(got));
	/* the chip holds it: colours, ECN bit, probabilities, thresholds */
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_Q_LIVE(3, LB_EMU_ASIC_CC_CTRL))),
			 0x5u | LB_EMU_ASIC_CC_CTRL_ECN);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_Q_LIVE(3, LB_EMU_ASIC_CC_PROB))),
			 20u | 100u << 16);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_Q_LIVE(3, LB_EMU_ASIC_CC_MIN(2)))),
			 50000);
	/* other queues and ports keep theirs */
	assert_int_equal(lb_queue_ecn_get(r.sw, 0, 2, &got), LB_OK);
	assert_int_equal(got.colors, 0);
	assert_int_equal(lb_queue_ecn_get(r.sw, 1, 3, &got), LB_OK);
	assert_int_equal(got.colors, 0);
	/* a smaller caller's struct is filled up to its size */
	struct lb_queue_ecn_counters cnt = LB_QUEUE_ECN_COUNTERS_INIT;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 3, &cnt, 0), LB_OK);
	assert_int_equal(cnt.ecn_marked_packets, 0);
	/* off again */
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 3, &off), LB_OK);
	assert_int_equal(lb_queue_ecn_get(r.sw, 0, 3, &got), LB_OK);
	assert_memory_equal(&got, &off, sizeof(got));
	asic_rig_close(&r);
}

static void test_ecn_refusals_apply_nothing(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t prof = static_profile(&r, 1 * MIB);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 1, prof), LB_OK);
	struct lb_queue_ecn_config good = ecn_cfg(100000, 500000, 10);
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 1, &good), LB_OK);
	uint32_t before[CC_WORDS], after[CC_WORDS];
	cc_live(&r, 0, before);
	struct {
		int field, rc;
		const char *detail;
	} cases[] = {
		{ 0, LB_E_INVAL, "colours 0x9" },         { 1, LB_E_INVAL, "wred_enable and ecn_enable" },
		{ 2, LB_E_INVAL, "yellow: min 600000 bytes above max 500000" },
		{ 3, LB_E_INVAL, "red: probability 101" }, { 4, LB_E_RANGE, "above the queue's buffer of 1048576" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_queue_ecn_config b = good;
		b.color[0].max_bytes = 400000; /* a valid change beside the bad one: not applied either */
		switch (cases[i].field) {
		case 0: b.colors = 0x9; break;
		case 1: b.ecn_enable = 2; break;
		case 2: b.color[LB_COLOR_YELLOW].min_bytes = 600000; break;
		case 3: b.color[LB_COLOR_RED].probability_pct = 101; break;
		case 4: b.color[LB_COLOR_GREEN].max_bytes = MIB + 1; break;
		}
		assert_int_equal(lb_queue_ecn_set(r.sw, 0, 1, &b), cases[i].rc);
		if (!strstr(lb_ctx_last_error(r.ctx), cases[i].detail) || !strstr(lb_ctx_last_error(r.ctx), "asic port 0"))
			fail_msg("case %u: detail '%s'", i, lb_ctx_last_error(r.ctx));
		cc_live(&r, 0, after);
		assert_memory_equal(before, after, sizeof(before));
	}
	/* a queue without a profile: up to the chip's whole buffer */
	struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(r.sw, &caps), LB_OK);
	struct lb_queue_ecn_config big = ecn_cfg(0, caps.onchip_buffer_bytes + caps.hbm_bytes + 1, 10);
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 2, &big), LB_E_RANGE);
	/* a colour off is not checked (and reads 0) */
	struct lb_queue_ecn_config part = good;
	part.colors = LB_COLOR_BIT(LB_COLOR_GREEN);
	part.color[LB_COLOR_RED].probability_pct = 500;
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 4, &part), LB_OK);
	cc_live(&r, 0, before);
	/* no such queue, port; NULL; a size too small */
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 8, &good), LB_E_RANGE);
	assert_int_equal(lb_queue_ecn_set(r.sw, 9, 1, &good), LB_E_NOTFOUND);
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 1, NULL), LB_E_INVAL);
	struct lb_queue_ecn_config tiny = good;
	tiny.size = 8;
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 1, &tiny), LB_E_INVAL);
	struct lb_queue_ecn_counters c = LB_QUEUE_ECN_COUNTERS_INIT;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 8, &c, 0), LB_E_RANGE);
	assert_int_equal(lb_queue_ecn_counters(r.sw, 9, 0, &c, 0), LB_E_NOTFOUND);
	cc_live(&r, 0, after);
	assert_memory_equal(before, after, sizeof(before));
	/* the chip refuses on its own what the core would have: min above max, 101 % */
	uint32_t base = LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_Q(1, 0));
	assert_int_equal(lb_emu_asic_write32(r.asic, base + LB_EMU_ASIC_CC_PROB, 101), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, base + LB_EMU_ASIC_CC_Q_COMMAND, 1), LB_OK);
	assert_int_equal(asic_reg(r.asic, base + LB_EMU_ASIC_CC_Q_STATUS), LB_EMU_ASIC_ERR_VALUE);
	assert_int_equal(lb_emu_asic_write32(r.asic, base + LB_EMU_ASIC_CC_PROB, 10), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, base + LB_EMU_ASIC_CC_MIN(0), 900000), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, base + LB_EMU_ASIC_CC_Q_COMMAND, 1), LB_OK);
	assert_int_equal(asic_reg(r.asic, base + LB_EMU_ASIC_CC_Q_STATUS), LB_EMU_ASIC_ERR_VALUE);
	cc_live(&r, 0, after);
	assert_memory_equal(before, after, sizeof(before));
	asic_rig_close(&r);
}

static void test_pfcwd_round_trip_and_refusals(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_pfcwd_config c = LB_PFCWD_CONFIG_INIT, got = LB_PFCWD_CONFIG_INIT;
	assert_int_equal(lb_pfcwd_get(r.sw, 0, 3, &got), LB_OK);
	assert_int_equal(got.action, LB_PFCWD_OFF);
	c.action = LB_PFCWD_DROP;
	c.detection_ms = LB_PFCWD_DEFAULT_MS;
	c.restoration_ms = 400;
	assert_int_equal(lb_pfcwd_set(r.sw, 0, 3, &c), LB_OK);
	assert_int_equal(lb_pfcwd_get(r.sw, 0, 3, &got), LB_OK);
	assert_memory_equal(&c, &got, sizeof(c));
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_WD(3, LB_EMU_ASIC_CC_WD_LIVE_RESTORE))),
			 400);
	uint32_t before[CC_WORDS], after[CC_WORDS];
	cc_live(&r, 0, before);
	struct {
		uint32_t action, det, res;
		const char *detail;
	} cases[] = {
		{ 4, 200, 200, "watchdog action 4" },           { 1, 9, 200, "detection time 9 ms" },
		{ 2, 5001, 200, "detection time 5001 ms" },      { 3, 200, 9, "restoration time 9 ms" },
		{ 1, 200, 60001, "restoration time 60001 ms" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_pfcwd_config b = LB_PFCWD_CONFIG_INIT;
		b.action = (enum lb_pfcwd_action)cases[i].action;
		b.detection_ms = cases[i].det;
		b.restoration_ms = cases[i].res;
		assert_int_equal(lb_pfcwd_set(r.sw, 0, 3, &b), LB_E_INVAL);
		if (!strstr(lb_ctx_last_error(r.ctx), cases[i].detail) || !strstr(lb_ctx_last_error(r.ctx), "tc 3"))
			fail_msg("case %u: detail '%s'", i, lb_ctx_last_error(r.ctx));
		cc_live(&r, 0, after);
		assert_memory_equal(before, after, sizeof(before));
	}
	assert_int_equal(lb_pfcwd_set(r.sw, 0, 8, &c), LB_E_RANGE);
	assert_int_equal(lb_pfcwd_set(r.sw, 9, 0, &c), LB_E_NOTFOUND);
	assert_int_equal(lb_pfcwd_set(r.sw, 0, 0, NULL), LB_E_INVAL);
	/* the chip refuses a detection time out of range on its own */
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_WD(3, LB_EMU_ASIC_CC_WD_DETECT)), 1),
			 LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_WD(3, LB_EMU_ASIC_CC_WD_COMMAND)), 1),
			 LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(0, LB_EMU_ASIC_CC_WD(3, LB_EMU_ASIC_CC_WD_STATUS))),
			 LB_EMU_ASIC_ERR_VALUE);
	cc_live(&r, 0, after);
	assert_memory_equal(before, after, sizeof(before));
	/* off: the times read 0 */
	struct lb_pfcwd_config off = LB_PFCWD_CONFIG_INIT;
	off.detection_ms = 7;
	assert_int_equal(lb_pfcwd_set(r.sw, 0, 3, &off), LB_OK);
	assert_int_equal(lb_pfcwd_get(r.sw, 0, 3, &got), LB_OK);
	assert_int_equal(got.action, LB_PFCWD_OFF);
	assert_int_equal(got.detection_ms, 0);
	assert_string_equal(lb_pfcwd_action_name(LB_PFCWD_FORWARD), "forward");
	assert_string_equal(lb_pfcwd_action_name((enum lb_pfcwd_action)9), "?");
	asic_rig_close(&r);
}

static void flow_status(struct asic_rig *r, uint32_t port, struct lb_emu_asic_flow_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	assert_int_equal(lb_emu_asic_flow_status(r->asic, port, st), LB_OK);
}

static void near(double got, double want, double tol, const char *what)
{
	if (fabs(got - want) > tol)
		fail_msg("%s: %.3f, expected %.3f (within %.3f)", what, got, want, tol);
}

/*
 * Depth always at or above max (min = max = 0): every packet is hit. 800G at load 0.5 for
 * T ns offers 50 T bytes, T / 30 frames of 1500; a quarter ECN-capable (marked), the rest
 * dropped by WRED per colour: green 0.7, yellow 0.2, red 0.1 of them.
 */
static void test_marks_and_drops_always(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 0, 0);
	struct lb_queue_ecn_config c = ecn_cfg(0, 0, 0);
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 2, &c), LB_OK);
	struct lb_emu_asic_ecn_traffic t = { .size = sizeof(t) };
	t.ecn_capable[2] = 0.25;
	t.yellow[2] = 0.2;
	t.red[2] = 0.1;
	assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, 0, &t), LB_OK);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[2] = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 3 * MS_NS);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	double frames = (double)st.elapsed_ns / 30.0;
	struct lb_queue_ecn_counters k = LB_QUEUE_ECN_COUNTERS_INIT;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 0), LB_OK);
	near((double)k.ecn_marked_packets, frames * 0.25, 1, "marked");
	assert_int_equal(k.ecn_marked_bytes, k.ecn_marked_packets * 1500);
	near((double)k.wred_dropped_packets[0], frames * 0.75 * 0.7, 1, "green dropped");
	near((double)k.wred_dropped_packets[1], frames * 0.75 * 0.2, 1, "yellow dropped");
	near((double)k.wred_dropped_packets[2], frames * 0.75 * 0.1, 1, "red dropped");
	assert_int_equal(k.wred_dropped_bytes[1], k.wred_dropped_packets[1] * 1500);
	/* the dropped bytes never reached the queue: sent = the marked quarter */
	near((double)st.prio[2].sent_bytes, 50.0 * (double)st.elapsed_ns * 0.25, 2, "sent");
	near((double)st.prio[2].dropped_bytes, 50.0 * (double)st.elapsed_ns * 0.75, 2, "dropped");
	/* read and clear, then nothing */
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 1), LB_OK);
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 0), LB_OK);
	assert_int_equal(k.ecn_marked_packets, 0);
	/* ECN off, WRED on: the ECN-capable are dropped too; yellow only enabled */
	c.ecn_enable = 0;
	c.colors = LB_COLOR_BIT(LB_COLOR_YELLOW);
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 2, &c), LB_OK);
	flow_status(&r, 0, &st);
	uint64_t t0 = st.elapsed_ns;
	lb_emu_world_advance_ns(r.w, 2 * MS_NS);
	flow_status(&r, 0, &st);
	frames = (double)(st.elapsed_ns - t0) / 30.0;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 0), LB_OK);
	assert_int_equal(k.ecn_marked_packets, 0);
	assert_int_equal(k.wred_dropped_packets[0], 0);
	assert_int_equal(k.wred_dropped_packets[2], 0);
	near((double)k.wred_dropped_packets[1], frames * 0.2, 1, "yellow dropped, ECN off");
	/* all off: nothing */
	struct lb_queue_ecn_config off = LB_QUEUE_ECN_CONFIG_INIT;
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 2, &off), LB_OK);
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 1), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 0), LB_OK);
	assert_int_equal(k.wred_dropped_packets[1] + k.ecn_marked_packets, 0);
	asic_rig_close(&r);
}

/*
 * The linear region: queue 2 held by the peer's PFC, its PG limited to 768 KiB (the queue's
 * own profile 1 MiB), green min 512 KiB, max 1 MiB, 40 %: at the depth of 768 KiB a packet is
 * dropped with probability 0.4 x 256 / 512 = 0.2. Load 0.1: 10 bytes a ns, T / 150 frames.
 */
static void test_wred_linear_probability(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t qprof = static_profile(&r, MIB), pgprof = static_profile(&r, 768 * 1024);
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 2, qprof), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 2, pgprof), LB_OK);
	port_up(&r, 0, 0);
	struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
	c.colors = LB_COLOR_BIT(LB_COLOR_GREEN);
	c.wred_enable = 1;
	c.color[0].min_bytes = 512 * 1024;
	c.color[0].max_bytes = MIB;
	c.color[0].probability_pct = 40;
	assert_int_equal(lb_queue_ecn_set(r.sw, 0, 2, &c), LB_OK);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[2] = 0.1;
	f.peer_pause = 1u << 2;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 100 * MS_NS); /* full after ~80 ms */
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[2].pg_bytes, 768 * 1024);
	struct lb_queue_ecn_counters k = LB_QUEUE_ECN_COUNTERS_INIT;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 1), LB_OK);
	assert_true(k.wred_dropped_packets[0] > 0); /* on the way up, above 512 KiB */
	uint64_t t0 = st.elapsed_ns;
	lb_emu_world_advance_ns(r.w, 30 * MS_NS);
	flow_status(&r, 0, &st);
	double frames = (double)(st.elapsed_ns - t0) / 150.0;
	assert_int_equal(lb_queue_ecn_counters(r.sw, 0, 2, &k, 0), LB_OK);
	near((double)k.wred_dropped_packets[0], frames * 0.2, 1, "dropped at 768 KiB");
	asic_rig_close(&r);
}

/* Three ports at 50 % egress, loads 0.3, 0.6, 0.9, every packet ECN-capable. */
static void run_loads(struct asic_rig *r, bool react, uint64_t *marks, uint64_t *peak)
{
	static const double loads[3] = { 0.3, 0.6, 0.9 };
	for (uint32_t p = 0; p < 3; p++) {
		assert_int_equal(lb_asic_queue_set_profile(r->sw, p, 3, static_profile(r, 16 * MIB)), LB_OK);
		port_up(r, p, 0);
		struct lb_queue_ecn_config c = ecn_cfg(400000, 4000000, 20);
		assert_int_equal(lb_queue_ecn_set(r->sw, p, 3, &c), LB_OK);
		struct lb_emu_asic_ecn_traffic t = { .size = sizeof(t), .react = react };
		t.ecn_capable[3] = 1.0;
		assert_int_equal(lb_emu_asic_set_ecn_traffic(r->asic, p, &t), LB_OK);
		struct lb_emu_asic_flow f = { .size = sizeof(f) };
		f.load[3] = loads[p];
		f.egress_rate = 0.5;
		assert_int_equal(lb_emu_asic_set_flow(r->asic, p, &f), LB_OK);
	}
	lb_emu_world_advance_ns(r->w, 20 * MS_NS);
	for (uint32_t p = 0; p < 3; p++) {
		struct lb_queue_ecn_counters k = LB_QUEUE_ECN_COUNTERS_INIT;
		assert_int_equal(lb_queue_ecn_counters(r->sw, p, 3, &k, 0), LB_OK);
		marks[p] = k.ecn_marked_packets;
		struct lb_emu_asic_flow_status st;
		flow_status(r, p, &st);
		peak[p] = st.prio[3].pg_peak_bytes;
		assert_int_equal(k.wred_dropped_packets[0], 0); /* all ECN-capable: marked, never dropped */
	}
}

static void test_marks_rise_with_load_and_sender_reacts(void **s)
{
	(void)s;
	struct asic_rig r;
	uint64_t marks[3], peak[3], rmarks[3], rpeak[3];
	asic_rig_open(&r, "small");
	run_loads(&r, false, marks, peak);
	asic_rig_close(&r);
	assert_int_equal(marks[0], 0); /* below the egress: no queue */
	assert_true(marks[1] > 0 && marks[2] > marks[1]);
	assert_int_equal(peak[2], 16 * MIB); /* nobody backs off: the queue fills its buffer */
	asic_rig_open(&r, "small");
	run_loads(&r, true, rmarks, rpeak);
	assert_int_equal(rmarks[0], 0);
	assert_true(rmarks[1] > 0 && rmarks[2] > rmarks[1]);
	for (uint32_t p = 1; p < 3; p++) {
		assert_true(rpeak[p] > 400000); /* marks began */
		assert_true(rpeak[p] < 4000000); /* and the sender kept the queue below max */
	}
	double rate;
	assert_int_equal(lb_emu_asic_sender_rate(r.asic, 2, 3, &rate), LB_OK);
	assert_true(rate < 0.9 && rate > 0.3);
	assert_int_equal(lb_emu_asic_sender_rate(r.asic, 0, 3, &rate), LB_OK);
	assert_true(rate == 1.0);
	asic_rig_close(&r);
}

/* At 500 km the sender hears of the marks a round trip (5 ms) late: the queue overshoots. */
static void test_sender_reacts_a_round_trip_late(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint64_t peak[2];
	double rate_at_4ms[2], rate_at_30ms[2];
	static const double km[2] = { 0, 500 };
	for (uint32_t p = 0; p < 2; p++) {
		assert_int_equal(lb_asic_queue_set_profile(r.sw, p, 3, static_profile(&r, 16 * MIB)), LB_OK);
		port_up(&r, p, 0);
		struct lb_queue_ecn_config c = ecn_cfg(400000, 4000000, 20);
		assert_int_equal(lb_queue_ecn_set(r.sw, p, 3, &c), LB_OK);
		struct lb_emu_asic_ecn_traffic t = { .size = sizeof(t), .react = 1 };
		t.ecn_capable[3] = 1.0;
		assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, p, &t), LB_OK);
		struct lb_emu_asic_flow f = { .size = sizeof(f) };
		f.load[3] = 0.9;
		f.egress_rate = 0.5;
		f.distance_km = km[p];
		assert_int_equal(lb_emu_asic_set_flow(r.asic, p, &f), LB_OK);
	}
	lb_emu_world_advance_ns(r.w, 4 * MS_NS);
	for (uint32_t p = 0; p < 2; p++)
		assert_int_equal(lb_emu_asic_sender_rate(r.asic, p, 3, &rate_at_4ms[p]), LB_OK);
	lb_emu_world_advance_ns(r.w, 26 * MS_NS);
	for (uint32_t p = 0; p < 2; p++) {
		assert_int_equal(lb_emu_asic_sender_rate(r.asic, p, 3, &rate_at_30ms[p]), LB_OK);
		struct lb_emu_asic_flow_status st;
		flow_status(&r, p, &st);
		peak[p] = st.prio[3].pg_peak_bytes;
	}
	assert_true(rate_at_4ms[0] < 1.0);   /* near: backed off already */
	assert_true(rate_at_4ms[1] == 1.0);  /* far: not heard of any mark yet (round trip 5 ms) */
	assert_true(rate_at_30ms[1] < 1.0);  /* then it did */
	assert_true(peak[0] < 4000000);
	assert_int_equal(peak[1], 16 * MIB); /* meanwhile the queue filled its buffer */
	asic_rig_close(&r);
}

static void wd_status(struct asic_rig *r, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st)
{
	*st = (struct lb_pfcwd_status)LB_PFCWD_STATUS_INIT;
	assert_int_equal(lb_pfcwd_status(r->sw, port, tc, st, 0), LB_OK);
}

/*
 * A pause storm on priority 3 of port 0 (queue 3, load 1e-4: 0.01 byte a ns, a frame of 1500
 * every 150 us) from t = 0 with
 * the watchdog at detection 200 ms, restoration 100 ms: stormed from within 200 .. 210 ms,
 * the storm stopped at 300 ms, restored within 400 .. 410 ms.
 */
static void storm(enum lb_pfcwd_action action, struct lb_pfcwd_status *during, struct lb_pfcwd_status *after,
		  struct lb_emu_asic_flow_status *fs_during)
{
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, 3, static_profile(&r, 32 * MIB)), LB_OK);
	port_up(&r, 0, 1u << 3);
	struct lb_pfcwd_config c = LB_PFCWD_CONFIG_INIT;
	c.action = action;
	c.detection_ms = 200;
	c.restoration_ms = 100;
	assert_int_equal(lb_pfcwd_set(r.sw, 0, 3, &c), LB_OK);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[3] = 1e-4;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	assert_int_equal(lb_emu_asic_pfc_storm(r.asic, 0, 1u << 3), LB_OK);
	struct lb_pfcwd_status st;
	lb_emu_world_advance_ns(&*r.w, 199 * MS_NS);
	wd_status(&r, 0, 3, &st);
	assert_int_equal(st.stormed, 0); /* not before the detection time */
	assert_int_equal(st.storms_detected, 0);
	lb_emu_world_advance_ns(r.w, 11 * MS_NS + 1000);
	wd_status(&r, 0, 3, during); /* at 210 ms: within detection + one poll */
	flow_status(&r, 0, fs_during);
	lb_emu_world_advance_ns(r.w, 90 * MS_NS - 1000);
	assert_int_equal(lb_emu_asic_pfc_storm(r.asic, 0, 0), LB_OK); /* at 300 ms */
	lb_emu_world_advance_ns(r.w, 99 * MS_NS);
	wd_status(&r, 0, 3, &st);
	assert_int_equal(st.stormed, action != LB_PFCWD_OFF); /* not before the restoration time */
	lb_emu_world_advance_ns(r.w, 11 * MS_NS + 1000);
	wd_status(&r, 0, 3, after); /* at 410 ms */
	/* read and clear */
	assert_int_equal(lb_pfcwd_status(r.sw, 0, 3, &st, 1), LB_OK);
	wd_status(&r, 0, 3, &st);
	assert_int_equal(st.storms_detected + st.storms_restored + st.tx_dropped_packets, 0);
	asic_rig_close(&r);
}

static void test_storm_drop(void **s)
{
	(void)s;
	struct lb_pfcwd_status d, a;
	struct lb_emu_asic_flow_status fs;
	storm(LB_PFCWD_DROP, &d, &a, &fs);
	assert_int_equal(d.stormed, 1);
	assert_int_equal(d.storms_detected, 1);
	assert_true(d.storm_ms <= 10);
	/* held at detection (200 ms at 0.01 byte a ns: 2 MB), then what arrives: 10 ms, ~67 */
	near((double)d.tx_dropped_packets, 200e6 * 0.01 / 1500, 2, "tx dropped at detection");
	near((double)d.rx_dropped_packets, 10e6 * 0.01 / 1500, 2, "rx dropped in 10 ms");
	assert_true(fs.prio[3].pg_bytes < 1500); /* the queue emptied */
	assert_int_equal(a.stormed, 0);
	assert_int_equal(a.storms_restored, 1);
	near((double)a.storm_ms, 200, 1, "storm time"); /* from 200 to 400 ms */
	/* stormed 200 ms: everything that arrived then dropped */
	near((double)a.rx_dropped_packets, 200e6 * 0.01 / 1500, 2, "rx dropped in the storm");
	assert_int_equal(a.tx_dropped_packets, d.tx_dropped_packets);
	(void)fs;
}

static void test_storm_forward(void **s)
{
	(void)s;
	struct lb_pfcwd_status d, a;
	struct lb_emu_asic_flow_status fs;
	storm(LB_PFCWD_FORWARD, &d, &a, &fs);
	assert_int_equal(d.stormed, 1);
	assert_int_equal(d.storms_detected, 1);
	assert_int_equal(d.tx_dropped_packets + d.rx_dropped_packets, 0);
	assert_true(fs.prio[3].pg_bytes < 1500); /* transmitting: the 2 MB held went out */
	assert_int_equal(fs.prio[3].dropped_bytes, 0);
	assert_int_equal(a.storms_restored, 1);
	assert_int_equal(a.stormed, 0);
	assert_int_equal(a.tx_dropped_packets + a.rx_dropped_packets, 0);
}

static void test_storm_alarm(void **s)
{
	(void)s;
	struct lb_pfcwd_status d, a;
	struct lb_emu_asic_flow_status fs;
	storm(LB_PFCWD_ALARM, &d, &a, &fs);
	assert_int_equal(d.stormed, 1);
	assert_int_equal(d.storms_detected, 1);
	assert_true(fs.prio[3].pg_bytes >= 2000000); /* still paused: the queue only grows */
	assert_int_equal(a.storms_restored, 1);
	assert_int_equal(a.tx_dropped_packets + a.rx_dropped_packets, 0);
	near((double)a.storm_ms, 200, 1, "storm time");
}

static void test_storm_without_watchdog(void **s)
{
	(void)s;
	struct lb_pfcwd_status d, a;
	struct lb_emu_asic_flow_status fs;
	storm(LB_PFCWD_OFF, &d, &a, &fs);
	assert_int_equal(d.stormed + d.storms_detected + a.storms_restored, 0);
	assert_true(fs.prio[3].pg_bytes >= 2000000);
}

static void test_storm_bench_calls(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_emu_asic_pfc_storm(r.asic, 0, 1), LB_E_NOTFOUND); /* no flow */
	assert_int_equal(lb_emu_asic_pfc_storm(r.asic, 0, 0x100), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_pfc_storm(r.asic, 99, 1), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_pfc_storm(NULL, 0, 1), LB_E_INVAL);
	struct lb_emu_asic_ecn_traffic t = { .size = sizeof(t) };
	t.yellow[1] = 0.7;
	t.red[1] = 0.4;
	assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, 0, &t), LB_E_INVAL);
	t.red[1] = NAN;
	assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, 0, &t), LB_E_INVAL);
	t.red[1] = 0;
	t.size = 8;
	assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, 0, &t), LB_E_INVAL);
	t.size = sizeof(t);
	assert_int_equal(lb_emu_asic_set_ecn_traffic(r.asic, 99, &t), LB_E_RANGE);
	double rate;
	assert_int_equal(lb_emu_asic_sender_rate(r.asic, 0, 8, &rate), LB_E_INVAL);
	/* a removed port forgets its congestion settings */
	struct lb_queue_ecn_config c = ecn_cfg(0, 1000, 5);
	assert_int_equal(lb_queue_ecn_set(r.sw, 3, 1, &c), LB_OK);
	assert_int_equal(lb_asic_port_remove(r.sw, 3), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(3, LB_EMU_ASIC_CC_Q_LIVE(1, LB_EMU_ASIC_CC_CTRL))), 0);
	/* the chip refuses a command on a port that does not exist */
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_CC_REG(3, LB_EMU_ASIC_CC_Q(1, LB_EMU_ASIC_CC_Q_COMMAND)), 1),
			 LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_CC_REG(3, LB_EMU_ASIC_CC_Q(1, LB_EMU_ASIC_CC_Q_STATUS))),
			 LB_EMU_ASIC_ERR_NOPORT);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ecn_round_trip),
		cmocka_unit_test(test_ecn_refusals_apply_nothing),
		cmocka_unit_test(test_pfcwd_round_trip_and_refusals),
		cmocka_unit_test(test_marks_and_drops_always),
		cmocka_unit_test(test_wred_linear_probability),
		cmocka_unit_test(test_marks_rise_with_load_and_sender_reacts),
		cmocka_unit_test(test_sender_reacts_a_round_trip_late),
		cmocka_unit_test(test_storm_drop),
		cmocka_unit_test(test_storm_forward),
		cmocka_unit_test(test_storm_alarm),
		cmocka_unit_test(test_storm_without_watchdog),
		cmocka_unit_test(test_storm_bench_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
