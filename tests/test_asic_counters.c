/* SPDX-License-Identifier: MIT */
/*
 * ASIC port counters on the emulated ASIC's traffic model, through the public API: counters
 * that agree with each other and with the traffic set (octets = frames x size, FEC codewords
 * from the line rate, the symbol-error histogram against the binomial fractions of
 * reference/asic-buffers.md §4.4), read / read-and-clear / clear, counting only while the
 * port is up, drops over the line rate, PFC frames received. Time is the world's virtual
 * clock: nothing sleeps.
 */
#include <math.h>
#include "asic_rig.h"

#define MS_NS 1000000ull

static void port_up(struct asic_rig *r, uint32_t port)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
}

static uint64_t sum(const uint64_t *v, unsigned from, unsigned to)
{
	uint64_t s = 0;
	for (unsigned k = from; k <= to; k++)
		s += v[k];
	return s;
}

/* The relations every read must keep (lightbridge/asic.h, struct lb_asic_port_counters). */
static void assert_consistent(const struct lb_asic_port_counters *c, uint64_t frame_bytes)
{
	assert_int_equal(c->in_octets,
			 (c->in_ucast_pkts + c->in_mcast_pkts + c->in_bcast_pkts + c->in_fcs_errors) *
				 frame_bytes);
	assert_int_equal(c->out_octets, (c->out_ucast_pkts + c->out_mcast_pkts + c->out_bcast_pkts) *
						frame_bytes);
	assert_int_equal(sum(c->fec_bins, 0, 16), c->fec_codewords);
	assert_int_equal(sum(c->fec_bins, 1, 15), c->fec_corrected);
	assert_int_equal(c->fec_bins[16], c->fec_uncorrected);
	uint64_t symbols = 0;
	for (unsigned k = 1; k <= 15; k++)
		symbols += k * c->fec_bins[k];
	assert_int_equal(symbols, c->fec_symbol_errors);
	assert_true(c->in_fcs_errors <= c->fec_uncorrected);
}

/* |got - want| <= slack */
static void assert_near(uint64_t got, double want, double slack)
{
	if (fabs((double)got - want) > slack)
		fail_msg("%llu, expected %.3f +- %.3f", (unsigned long long)got, want, slack);
}

static void test_consistent_counters(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 0);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 0.5, .frame_bytes = 1000,
					 .mcast_fraction = 0.1, .bcast_fraction = 0.05,
					 .pre_fec_ber = 1e-4 };
	t.pfc_rx_per_s[3] = 100;
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_OK);
	lb_emu_world_advance_ns(r.w, 100 * MS_NS);
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_consistent(&c, 1000);
	/* frames: half of 800 Gb/s for 100 ms, 1020 bytes on the wire each */
	double frames = 0.5 * 800e9 * 0.1 / (1020 * 8);
	assert_near(c.in_ucast_pkts + c.in_mcast_pkts + c.in_bcast_pkts + c.in_fcs_errors, frames, 1);
	assert_near(c.in_mcast_pkts, frames * 0.1, 2);
	assert_near(c.in_bcast_pkts, frames * 0.05, 2);
	/* codewords: 8 lanes x 106.25 GBd-bits over 5440-bit RS-544 codewords, 100 ms */
	assert_int_equal(c.fec_codewords, 15625000);
	/* histogram against the binomial fractions at BER 1e-4 (reference §4.4: S1 0.32, S2 8.6e-2) */
	double ps = 1 - pow(1 - 1e-4, 10);
	for (unsigned k = 0; k <= 4; k++) {
		double pk = exp(lgamma(545) - lgamma(k + 1.0) - lgamma(545.0 - k) + k * log(ps) +
				(544 - k) * log(1 - ps));
		/* each bin takes its whole codewords, S0 the rest: up to 16 more */
		assert_near(c.fec_bins[k], pk * 15625000, k ? 1 : 17);
	}
	assert_near(c.fec_bins[1], 0.32 * 15625000, 0.01 * 15625000);
	assert_int_equal(c.fec_uncorrected, 0); /* 1.4e-18 of 15.6 million */
	assert_int_equal(c.pfc_rx_pkts[3], 10);
	assert_int_equal(c.pfc_rx_pkts[4], 0);
	assert_int_equal(c.out_discards, 0);
	/* a read has no side effect */
	struct lb_asic_port_counters again = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &again), LB_OK);
	assert_memory_equal(&c, &again, sizeof(c));
	asic_rig_close(&r);
}

static void test_uncorrectable_spoil_frames(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 1);
	/* BER 5e-3: mean 27 symbol errors a codeword, most beyond t = 15, but the FEC locks */
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 1, .frame_bytes = 9000,
					 .pre_fec_ber = 5e-3 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 1, &t), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 1, &c), LB_OK);
	assert_consistent(&c, 9000);
	assert_true(c.fec_uncorrected > c.fec_codewords / 2);
	/* more bad codewords than frames: every frame is spoiled */
	assert_true(c.in_fcs_errors > 0);
	assert_int_equal(c.in_ucast_pkts, 0);
	assert_int_equal(c.in_fcs_errors * 9000, c.in_octets);
	asic_rig_close(&r);
}

static void test_read_clear_and_clear(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 2);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 0.25, .frame_bytes = 64,
					 .pre_fec_ber = 2.4e-4 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 2, &t), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters first = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read_clear(r.sw, 2, &first), LB_OK);
	assert_consistent(&first, 64);
	assert_true(first.in_ucast_pkts > 0);
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 2, &c), LB_OK);
	assert_int_equal(c.in_ucast_pkts, 0); /* no time passed since the clear */
	assert_int_equal(c.fec_codewords, 0);
	/* the next equal period counts the same again, from zero */
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 2, &c), LB_OK);
	assert_consistent(&c, 64);
	assert_near(c.in_ucast_pkts, (double)first.in_ucast_pkts, 1);
	assert_int_equal(c.fec_codewords, first.fec_codewords);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 2), LB_OK);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 2, &c), LB_OK);
	assert_int_equal(c.in_octets, 0);
	assert_int_equal(c.fec_bins[0], 0);
	assert_int_equal(lb_asic_port_counters_clear(r.sw, 9), LB_E_NOTFOUND);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 9, &c), LB_E_NOTFOUND);
	/* the size rule */
	struct lb_asic_port_counters v1 = { .size = LB_ASIC_PORT_COUNTERS_SIZE_V1 };
	assert_int_equal(lb_asic_port_counters_read(r.sw, 2, &v1), LB_OK);
	struct lb_asic_port_counters none = { .size = 0 };
	assert_int_equal(lb_asic_port_counters_read(r.sw, 2, &none), LB_E_INVAL);
	asic_rig_close(&r);
}

static void test_counts_only_while_up(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 1, .frame_bytes = 1500 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_OK);
	lb_emu_world_advance_ns(r.w, 5 * MS_NS); /* admin down */
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.in_octets, 0);
	assert_int_equal(c.fec_codewords, 0);
	port_up(&r, 0);
	lb_emu_world_advance_ns(r.w, 5 * MS_NS);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	uint64_t up = c.in_ucast_pkts;
	assert_near(up, 800e9 * 0.005 / (1520 * 8), 1);
	/* no signal: down, counters stand still */
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 0, 8, LB_EMU_ASIC_SIGNAL_NONE), LB_OK);
	lb_emu_world_advance_ns(r.w, 5 * MS_NS);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.in_ucast_pkts, up);
	/* a port made again starts from zero */
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK);
	struct lb_asic_port_config cfg = LB_ASIC_PORT_CONFIG_INIT;
	cfg.lane_count = 8;
	cfg.speed_mbps = 800000;
	cfg.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t p;
	assert_int_equal(lb_asic_port_create(r.sw, &cfg, &p), LB_OK);
	assert_int_equal(lb_asic_port_counters_read(r.sw, p, &c), LB_OK);
	assert_int_equal(c.in_ucast_pkts, 0);
	asic_rig_close(&r);
}

static void test_drops_over_line_rate(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 3);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 1.5, .frame_bytes = 500 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 3, &t), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * MS_NS);
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 3, &c), LB_OK);
	assert_consistent(&c, 500);
	double line = 800e9 * 0.01 / (520 * 8);
	assert_near(c.out_ucast_pkts, line, 1);
	assert_near(c.out_discards, line / 2, 1);
	asic_rig_close(&r);
}

static void test_traffic_refused(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = -1 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_E_INVAL);
	t = (struct lb_emu_asic_traffic){ .size = sizeof(t), .mcast_fraction = 0.7, .bcast_fraction = 0.4 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_E_INVAL);
	t = (struct lb_emu_asic_traffic){ .size = sizeof(t), .load = NAN };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_E_INVAL);
	t = (struct lb_emu_asic_traffic){ .size = 8, .load = 1 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_E_INVAL);
	t = (struct lb_emu_asic_traffic){ .size = sizeof(t), .load = 1 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 32, &t), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_set_signal(r.asic, 30, 4, LB_EMU_ASIC_SIGNAL_NONE), LB_E_RANGE);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consistent_counters),
		cmocka_unit_test(test_uncorrectable_spoil_frames),
		cmocka_unit_test(test_read_clear_and_clear),
		cmocka_unit_test(test_counts_only_while_up),
		cmocka_unit_test(test_drops_over_line_rate),
		cmocka_unit_test(test_traffic_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
