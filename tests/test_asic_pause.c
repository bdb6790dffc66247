/* SPDX-License-Identifier: MIT */
/*
 * IEEE 802.3x PAUSE (global, not per priority) on the emulated ASIC: a port with PAUSE tx
 * holds its peer at the XOFF of its ingress (no drop where the same port without it drops),
 * a port with PAUSE rx stops its whole transmit on the peer's PAUSE after the link's delay;
 * the PAUSE counters and their time move, the PFC ones do not; PAUSE and PFC on one port
 * refused (the core's rule and the chip's) with nothing applied. Virtual time only.
 */
#include <math.h>
#include <lightbridge/buffer.h>
#include "asic_rig.h"

#define MS_NS 1000000ull
#define MIB (1024ull * 1024ull)

static void port_pause(struct asic_rig *r, uint32_t port, uint32_t pause)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	c.pause = pause;
	int rc = lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_PAUSE);
	if (rc)
		fail_msg("port %u pause %u: %s (%s)", port, pause, lb_status_name(rc), lb_ctx_last_error(r->ctx));
}

static uint32_t make_profile(struct asic_rig *r, enum lb_buffer_pool_type type, uint64_t limit, uint64_t xoff)
{
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = type;
	pc.mode = LB_BUFFER_THRESHOLD_STATIC;
	pc.size_bytes = 1024 * MIB;
	uint32_t pool, prof;
	assert_int_equal(lb_buffer_pool_create(r->sw, &pc, &pool), LB_OK);
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = limit;
	c.xoff_bytes = xoff;
	c.xon_bytes = xoff ? limit / 2 : 0;
	assert_int_equal(lb_buffer_profile_create(r->sw, &c, &prof), LB_OK);
	return prof;
}

static void counters(struct asic_rig *r, uint32_t port, struct lb_asic_port_counters *c)
{
	*c = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r->sw, port, c), LB_OK);
	assert_int_equal(c->size, sizeof(*c));
}

/* Port 0's PG 0 over a 1 MiB limit with 8 MiB of headroom, 1 km away, the peer at line rate
 * against an egress of half of it, for 5 ms: pause as given. */
static void congest(uint32_t pause, struct lb_asic_port_counters *c)
{
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	uint32_t prof = make_profile(&r, LB_BUFFER_POOL_INGRESS, 1 * MIB, 8 * MIB);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 0, prof), LB_OK);
	port_pause(&r, 0, pause);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[0] = 1.0;
	f.egress_rate = 0.5;
	f.distance_km = 1;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, 5 * MS_NS);
	counters(&r, 0, c);
	asic_rig_close(&r);
}

static void test_pause_tx_holds_the_peer(void **s)
{
	(void)s;
	struct lb_asic_port_counters with, without;
	congest(LB_ASIC_PAUSE_TX, &with);
	congest(0, &without);
	assert_true(without.in_discards > 0); /* the limit overflows without PAUSE */
	assert_int_equal(with.in_discards, 0);
	assert_true(with.pause_tx_pkts >= 2); /* XOFF, then refreshes or XON */
	assert_true(with.pause_tx_us > 100);  /* held for a good part of 5 ms */
	assert_true(with.pause_tx_us < 5000);
	assert_int_equal(with.pause_rx_pkts, 0);
	for (unsigned n = 0; n < LB_ASIC_PRIORITIES; n++) {
		assert_int_equal(with.pfc_tx_pkts[n], 0);
		assert_int_equal(with.pfc_tx_pause_us[n], 0);
	}
	assert_int_equal(without.pause_tx_pkts, 0);
	/* what came in went out or is held: nothing lost */
	assert_true(with.in_ucast_pkts > with.out_ucast_pkts);
}

static void test_pause_rx_stops_the_transmit(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	uint32_t prof = make_profile(&r, LB_BUFFER_POOL_EGRESS, 512 * MIB, 0);
	for (uint32_t q = 0; q < 8; q++)
		assert_int_equal(lb_asic_queue_set_profile(r.sw, 0, q, prof), LB_OK);
	port_pause(&r, 0, LB_ASIC_PAUSE_RX);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[1] = 0.25;
	f.load[5] = 0.25;
	f.distance_km = 10;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	f.peer_pause = 1u; /* the peer's PAUSE: every priority stops, not only priority 0 */
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	struct lb_asic_port_counters a, b;
	lb_emu_world_advance_ns(r.w, 40000); /* 40 us: the PAUSE is on its way (50.5 us) */
	counters(&r, 0, &a);
	assert_int_equal(a.pause_rx_pkts, 0);
	lb_emu_world_advance_ns(r.w, 20000); /* it has arrived */
	counters(&r, 0, &a);
	assert_true(a.pause_rx_pkts >= 1);
	lb_emu_world_advance_ns(r.w, MS_NS);
	counters(&r, 0, &b);
	assert_true(b.out_octets == a.out_octets); /* both priorities held */
	assert_true(b.in_octets > a.in_octets);    /* and filling */
	assert_true(b.pause_rx_us >= 1000);
	for (unsigned n = 0; n < LB_ASIC_PRIORITIES; n++)
		assert_int_equal(b.pfc_rx_pkts[n], 0);
	/* the peer lets go: the transmit runs again */
	f.peer_pause = 0;
	assert_int_equal(lb_emu_asic_set_flow(r.asic, 0, &f), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	counters(&r, 0, &a);
	assert_true(a.out_octets > b.out_octets);
	assert_true(a.pause_rx_us < b.pause_rx_us + 100);
	asic_rig_close(&r);
}

static void test_pause_rules(void **s)
{
	(void)s;
	struct asic_rig r;
	asic_rig_open(&r, "jericho4-class");
	uint32_t before, after;
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_CTRL), &before), LB_OK);
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.pause = LB_ASIC_PAUSE_TX | LB_ASIC_PAUSE_RX;
	c.pfc_mask = 0x08;
	assert_int_equal(lb_asic_port_set(r.sw, 2, &c, LB_ASIC_PORT_SET_PAUSE | LB_ASIC_PORT_SET_PFC), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "802.3x PAUSE and PFC (mask 0x08): a port has one or the other"));
	c.pfc_mask = 0;
	c.pause = 4;
	assert_int_equal(lb_asic_port_set(r.sw, 2, &c, LB_ASIC_PORT_SET_PAUSE), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_CTRL), &after), LB_OK);
	assert_int_equal(after, before);
	/* both ways, read back from the chip */
	c.pause = LB_ASIC_PAUSE_TX | LB_ASIC_PAUSE_RX;
	assert_int_equal(lb_asic_port_set(r.sw, 2, &c, LB_ASIC_PORT_SET_PAUSE), LB_OK);
	struct lb_asic_port_config got = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(r.sw, 2, &got), LB_OK);
	assert_int_equal(got.pause, LB_ASIC_PAUSE_TX | LB_ASIC_PAUSE_RX);
	/* then PFC on it is refused too */
	c.pfc_mask = 0x10;
	assert_int_equal(lb_asic_port_set(r.sw, 2, &c, LB_ASIC_PORT_SET_PFC), LB_E_INVAL);
	/* the chip's own rule: PAUSE with a PFC mask in CTRL */
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_CTRL), &before), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_CFG_CTRL),
					     before | 0x08u << 16), LB_OK);
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_COMMAND),
					     LB_EMU_ASIC_CMD_APPLY), LB_OK);
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_CMD_STATUS), &after), LB_OK);
	assert_int_equal(after, LB_EMU_ASIC_ERR_CTRL);
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_CTRL), &after), LB_OK);
	assert_int_equal(after, before);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pause_tx_holds_the_peer),
		cmocka_unit_test(test_pause_rx_stops_the_transmit),
		cmocka_unit_test(test_pause_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
