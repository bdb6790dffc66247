/* SPDX-License-Identifier: MIT */
/*
 * QoS on the emulated ASIC through the public API (lightbridge/qos.h): schedulers and maps
 * set and read back, every refused change with its detail and nothing applied on the chip,
 * and what they do to traffic (the queueing model, lb_emu_asic_set_flow): a shaper, the
 * guaranteed rate, the TC -> PG map adding priorities into one PG, the PFC -> queue map
 * choosing the queue a received PFC frame holds; watermarks per PG, queue and pool in bytes
 * and cells, and their clear. Virtual time only.
 */
#include <math.h>
#include <lightbridge/buffer.h>
#include <lightbridge/qos.h>
#include "asic_rig.h"

#define MS_NS 1000000ull
#define MIB (1024ull * 1024ull)
#define LINE 100.0 /* 800G in bytes per ns */

static void port_up(struct asic_rig *r, uint32_t port, uint8_t pfc)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	c.pfc_mask = pfc;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_PFC), LB_OK);
}

/* An egress pool and a static profile of limit bytes bound to every queue of port. */
static uint32_t queues_bound(struct asic_rig *r, uint32_t port, uint64_t limit)
{
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_BOTH;
	pc.mode = LB_BUFFER_THRESHOLD_STATIC;
	pc.size_bytes = 48 * MIB;
	uint32_t pool, prof;
	assert_int_equal(lb_buffer_pool_create(r->sw, &pc, &pool), LB_OK);
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = limit;
	assert_int_equal(lb_buffer_profile_create(r->sw, &c, &prof), LB_OK);
	for (uint32_t q = 0; q < 8; q++)
		assert_int_equal(lb_asic_queue_set_profile(r->sw, port, q, prof), LB_OK);
	return pool;
}

static void flow_status(struct asic_rig *r, uint32_t port, struct lb_emu_asic_flow_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	assert_int_equal(lb_emu_asic_flow_status(r->asic, port, st), LB_OK);
}

/* Every QoS register in force on port, straight from the chip. */
static void qos_live(struct asic_rig *r, uint32_t port, uint32_t *v)
{
	for (uint32_t off = 0, i = 0; off <= LB_EMU_ASIC_QOS_PFC_QUEUE; off += 4, i++)
		v[i] = asic_reg(r->asic, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_LIVE + off));
}
#define QOS_WORDS (LB_EMU_ASIC_QOS_PFC_QUEUE / 4 + 1)

static void test_defaults_and_round_trip(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_qos_scheduler sc = LB_QOS_SCHEDULER_INIT;
	assert_int_equal(lb_qos_scheduler_get(r.sw, 0, &sc), LB_OK);
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	assert_int_equal(lb_qos_maps_get(r.sw, 0, &m), LB_OK);
	for (unsigned q = 0; q < 8; q++) {
		assert_int_equal(sc.type[q], LB_QOS_SCHED_DWRR);
		assert_int_equal(sc.weight[q], 1);
		assert_int_equal(m.tc_to_pg[q], q);
		assert_int_equal(m.pfc_to_pg[q], q);
		assert_int_equal(m.pfc_to_queue[q], q);
	}
	sc.type[7] = LB_QOS_SCHED_STRICT;
	sc.weight[3] = 200;
	sc.min_rate_mbps[3] = 100000;
	sc.max_rate_mbps[3] = 400000;
	sc.max_rate_mbps[5] = 5000000000ull / 10000; /* 500000 */
	assert_int_equal(lb_qos_scheduler_set(r.sw, 0, &sc), LB_OK);
	m.tc_to_pg[4] = 3;
	m.pfc_to_pg[4] = 3;
	m.pfc_to_queue[3] = 6;
	assert_int_equal(lb_qos_maps_set(r.sw, 0, &m), LB_OK);
	struct lb_qos_scheduler sc2 = LB_QOS_SCHEDULER_INIT;
	struct lb_qos_maps m2 = LB_QOS_MAPS_INIT;
	assert_int_equal(lb_qos_scheduler_get(r.sw, 0, &sc2), LB_OK);
	assert_int_equal(lb_qos_maps_get(r.sw, 0, &m2), LB_OK);
	sc.weight[7] = 0; /* strict: reads 0 */
	assert_memory_equal(&sc, &sc2, sizeof(sc));
	assert_memory_equal(&m, &m2, sizeof(m));
	/* the maps did not undo the schedulers, nor the schedulers the maps */
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_QOS_REG(0, LB_EMU_ASIC_QOS_LIVE + LB_EMU_ASIC_Q_WEIGHT(3))), 200);
	/* another port keeps its defaults */
	assert_int_equal(lb_qos_maps_get(r.sw, 1, &m2), LB_OK);
	assert_int_equal(m2.pfc_to_queue[3], 3);
	asic_rig_close(&r);
}

static void test_refusals_apply_nothing(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t before[QOS_WORDS], after[QOS_WORDS];
	qos_live(&r, 0, before);
	struct lb_qos_scheduler good = LB_QOS_SCHEDULER_INIT;
	assert_int_equal(lb_qos_scheduler_get(r.sw, 0, &good), LB_OK);
	struct {
		int field, rc;
		const char *detail;
	} cases[] = {
		{ 0, LB_E_INVAL, "scheduler type 7" },     { 1, LB_E_INVAL, "DWRR weight 0" },
		{ 2, LB_E_INVAL, "DWRR weight 256" },      { 3, LB_E_RANGE, "more than the port's" },
		{ 4, LB_E_INVAL, "above the shaper" },     { 5, LB_E_RANGE, "add up to" },
	};
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_qos_scheduler b = good;
		b.weight[0] = 5; /* a valid change beside the bad one: not applied either */
		switch (cases[i].field) {
		case 0: b.type[2] = (enum lb_qos_sched_type)7; break;
		case 1: b.weight[2] = 0; break;
		case 2: b.weight[2] = 256; break;
		case 3: b.max_rate_mbps[2] = 900000; break;
		case 4: b.min_rate_mbps[2] = 200000; b.max_rate_mbps[2] = 100000; break;
		case 5: for (unsigned q = 0; q < 8; q++) b.min_rate_mbps[q] = 150000; break;
		}
		assert_int_equal(lb_qos_scheduler_set(r.sw, 0, &b), cases[i].rc);
		if (!strstr(lb_ctx_last_error(r.ctx), cases[i].detail) || !strstr(lb_ctx_last_error(r.ctx), "asic port 0"))
			fail_msg("case %u: detail '%s'", i, lb_ctx_last_error(r.ctx));
		qos_live(&r, 0, after);
		assert_memory_equal(before, after, sizeof(before));
	}
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	assert_int_equal(lb_qos_maps_get(r.sw, 0, &m), LB_OK);
	for (unsigned k = 0; k < 3; k++) {
		struct lb_qos_maps b = m;
		b.tc_to_pg[1] = 2; /* valid beside the bad one */
		uint8_t *bad = k == 0 ? &b.tc_to_pg[5] : k == 1 ? &b.pfc_to_pg[5] : &b.pfc_to_queue[5];
		*bad = 8;
		assert_int_equal(lb_qos_maps_set(r.sw, 0, &b), LB_E_RANGE);
		assert_non_null(strstr(lb_ctx_last_error(r.ctx), "[5] = 8"));
		qos_live(&r, 0, after);
		assert_memory_equal(before, after, sizeof(before));
	}
	/* no such port, a size too small, NULL */
	assert_int_equal(lb_qos_scheduler_set(r.sw, 9, &good), LB_E_NOTFOUND);
	assert_int_equal(lb_qos_maps_set(r.sw, 9, &m), LB_E_NOTFOUND);
	struct lb_qos_scheduler tiny = good;
	tiny.size = 8;
	assert_int_equal(lb_qos_scheduler_set(r.sw, 0, &tiny), LB_E_INVAL);
	assert_int_equal(lb_qos_scheduler_set(r.sw, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_qos_maps_set(r.sw, 0, NULL), LB_E_INVAL);
	struct lb_qos_port_watermarks wm = LB_QOS_PORT_WATERMARKS_INIT;
	assert_int_equal(lb_qos_watermarks_read(r.sw, 9, &wm), LB_E_NOTFOUND);
	struct lb_qos_watermark pw;
	assert_int_equal(lb_qos_pool_watermark_read(r.sw, 0, &pw), LB_E_NOTFOUND);
	qos_live(&r, 0, after);
	assert_memory_equal(before, after, sizeof(before));
	/* the chip refuses on its own what the core would have: a map past its PGs */
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_QOS_REG(0, LB_EMU_ASIC_QOS_TC_PG), 0x9u), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_QOS_REG(0, LB_EMU_ASIC_QOS_COMMAND), 1), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_QOS_REG(0, LB_EMU_ASIC_QOS_STATUS)), LB_EMU_ASIC_ERR_VALUE);
	qos_live(&r, 0, after);
	assert_memory_equal(before, after, sizeof(before));
	asic_rig_close(&r);
}

/* A shaper caps a queue; a guaranteed rate holds against a strict queue. */
static void test_rates(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	queues_bound(&r, 0, 8 * MIB);
	port_up(&r, 0, 0);
	struct lb_qos_scheduler sc = LB_QOS_SCHEDULER_INIT;
	assert_int_equal(lb_qos_scheduler_get(r.sw, 0, &sc), LB_OK);
	sc.max_rate_mbps[1] = 100000; /* 100G */
	sc.type[7] = LB_QOS_SCHED_STRICT;
	sc.min_rate_mbps[2] = 200000; /* 200G guaranteed */
	assert_int_equal(lb_qos_scheduler_set(r.sw, 0, &sc), LB_OK);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[1] = 0.3; /* 240G offered, shaped to 100G */
	f.load[2] = 0.3;
	f.load[7] = 0.15;
	f.egress_rate = 0.75; /* 600G: room for all but the shaped one */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_emu_asic_flow_status a, b;
	flow_status(&r, 0, &a);
	double t = (double)a.elapsed_ns;
	assert_true(fabs((double)a.prio[1].sent_bytes - 12.5 * t) < 0.001 * 12.5 * t); /* 100G */
	assert_true(fabs((double)a.prio[2].sent_bytes - 30.0 * t) < 0.001 * 30.0 * t); /* all of it */
	assert_true(fabs((double)a.prio[7].sent_bytes - 15.0 * t) < 0.001 * 15.0 * t);
	/* 400G of egress, strict queue 7 offered 560G: queue 2 keeps its 200G */
	f.load[1] = 0;
	f.load[2] = 0.3;
	f.load[7] = 0.7;
	f.egress_rate = 0.5;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	flow_status(&r, 0, &b);
	t = (double)(b.elapsed_ns - a.elapsed_ns);
	double q2 = (double)(b.prio[2].sent_bytes - a.prio[2].sent_bytes);
	double q7 = (double)(b.prio[7].sent_bytes - a.prio[7].sent_bytes);
	assert_true(fabs(q2 - 25.0 * t) < 0.001 * 25.0 * t);
	assert_true(fabs(q7 - 25.0 * t) < 0.001 * 25.0 * t);
	asic_rig_close(&r);
}

/* TC -> PG adds priorities into one PG; PFC -> queue picks the queue the peer's PFC holds. */
static void test_maps_steer_traffic(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_INGRESS;
	pc.mode = LB_BUFFER_THRESHOLD_STATIC;
	pc.size_bytes = 32 * MIB;
	uint32_t pool, prof;
	assert_int_equal(lb_buffer_pool_create(r.sw, &pc, &pool), LB_OK);
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = 16 * MIB;
	assert_int_equal(lb_buffer_profile_create(r.sw, &c, &prof), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, prof), LB_OK);
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	assert_int_equal(lb_qos_maps_get(r.sw, 0, &m), LB_OK);
	m.tc_to_pg[4] = 3;
	m.pfc_to_queue[3] = 5; /* the peer's PFC on priority 3 holds queue 5 */
	assert_int_equal(lb_qos_maps_set(r.sw, 0, &m), LB_OK);
	port_up(&r, 0, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[3] = 0.25;
	f.load[4] = 0.25;
	f.load[5] = 0.1;
	f.peer_pause = 1u << 3;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS / 10);
	struct lb_emu_asic_flow_status st;
	flow_status(&r, 0, &st);
	assert_int_equal(st.prio[5].sent_bytes, 0); /* held: queue 5 */
	assert_true(st.prio[3].sent_bytes > 0);      /* priority 3's own queue runs */
	assert_true(st.prio[5].dropped_bytes > 0);   /* queue 5 has no buffer: its traffic goes */
	struct lb_qos_port_watermarks wm = LB_QOS_PORT_WATERMARKS_INIT;
	assert_int_equal(lb_qos_watermarks_read(r.sw, 0, &wm), LB_OK);
	/* PG 3 holds priorities 3 and 4 together: at most what one step of each adds */
	assert_int_equal(wm.pg[3].bytes, st.prio[3].pg_bytes + st.prio[4].pg_bytes);
	assert_int_equal(wm.pg[4].bytes, 0);
	asic_rig_close(&r);
}

/* Watermarks in bytes and cells for PG, queue and pool; clears bring peaks down to now. */
static void test_watermarks_and_clear(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	uint32_t pool = queues_bound(&r, 0, 8 * MIB);
	port_up(&r, 0, 0);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.burst_bytes[2] = 3 * MIB;
	f.egress_rate = 0.25; /* in at 800G, out at 200G: 3/4 of the burst held at its end */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 3 * MIB / 100 / 1000 * 1000); /* the burst's length, whole steps */
	struct lb_qos_port_watermarks wm = LB_QOS_PORT_WATERMARKS_INIT;
	assert_int_equal(lb_qos_watermarks_read(r.sw, 0, &wm), LB_OK);
	double held = 0.75 * 3 * MIB;
	assert_true(fabs((double)wm.queue[2].peak_bytes - held) < 0.01 * held);
	assert_int_equal(wm.queue[2].peak_cells, (wm.queue[2].peak_bytes + 255) / 256);
	assert_int_equal(wm.queue[2].cells, (wm.queue[2].bytes + 255) / 256);
	assert_true(llabs((long long)wm.queue_delay_peak_ns[2] - (long long)(held / 25.0)) < 1000);
	assert_int_equal(wm.pg[2].bytes, 0); /* no PG profile: held on the queue's only */
	struct lb_qos_watermark pw;
	assert_int_equal(lb_qos_pool_watermark_read(r.sw, pool, &pw), LB_OK);
	assert_true(fabs((double)pw.peak_bytes - held) < 0.01 * held);
	lb_emu_world_advance_ns(r.w, 20 * MS_NS); /* drained */
	assert_int_equal(lb_qos_watermarks_read(r.sw, 0, &wm), LB_OK);
	assert_int_equal(wm.queue[2].bytes, 0);
	assert_true(wm.queue[2].peak_bytes > 0);
	assert_int_equal(lb_qos_watermarks_clear(r.sw, 0), LB_OK);
	assert_int_equal(lb_qos_watermarks_read(r.sw, 0, &wm), LB_OK);
	assert_int_equal(wm.queue[2].peak_bytes, 0);
	assert_int_equal(wm.queue_delay_peak_ns[2], 0);
	assert_int_equal(lb_qos_pool_watermark_read(r.sw, pool, &pw), LB_OK);
	assert_true(pw.peak_bytes > 0);
	assert_int_equal(lb_qos_pool_watermarks_clear(r.sw), LB_OK);
	assert_int_equal(lb_qos_pool_watermark_read(r.sw, pool, &pw), LB_OK);
	assert_int_equal(pw.peak_bytes, 0);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_round_trip),
		cmocka_unit_test(test_refusals_apply_nothing),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_maps_steer_traffic),
		cmocka_unit_test(test_watermarks_and_clear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
