/* SPDX-License-Identifier: MIT */
/*
 * MACsec (lightbridge/macsec.h) on the emulated ASIC, through the public API: every object's
 * rules (refusals apply nothing), frames counted from the port's traffic, key rollover with
 * no frame dropped or accepted twice (and the wrong order, which drops), PN exhaustion warned
 * before it happens and then enforced, mismatched keys and salts, late frames, and a planted
 * key that never shows in a log line, an error detail or a register. Virtual time only.
 */
#include <stdio.h>
#include <lightbridge/macsec.h>
#include "asic_rig.h"

#define US_NS 1000ull
#define MS_NS 1000000ull
#define SCI_A 0x0200000000010001ull
#define SCI_B 0x0200000000020001ull

static void port_up(struct asic_rig *r, uint32_t port)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
}

static void traffic(struct asic_rig *r, uint32_t port, double load)
{
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = load, .frame_bytes = 1000 };
	assert_int_equal(lb_emu_asic_set_traffic(r->asic, port, &t), LB_OK);
}

static struct lb_macsec_key key_of(uint8_t seed, size_t len)
{
	struct lb_macsec_key k = { .len = len };
	for (size_t i = 0; i < len; i++)
		k.bytes[i] = (uint8_t)(seed * 37u + i * 11u + 5u);
	return k;
}

static void secy(struct asic_rig *r, uint32_t port, enum lb_macsec_cipher cipher, uint64_t warn)
{
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	c.enable = 1;
	c.encrypt = 1;
	c.cipher = cipher;
	c.replay_protect = 1;
	c.replay_window = 0;
	c.sci = SCI_A;
	c.pn_warn_threshold = warn;
	assert_int_equal(lb_macsec_secy_set(r->sw, port, &c), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r->sw, port, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r->sw, port, LB_MACSEC_RX, SCI_B), LB_OK);
}

static void sa(struct asic_rig *r, uint32_t port, enum lb_macsec_dir dir, uint32_t an, uint64_t pn,
	       const struct lb_macsec_key *k)
{
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.an = an;
	c.pn = pn;
	assert_int_equal(lb_macsec_sa_install(r->sw, port, dir, &c, k), LB_OK);
}

static struct lb_macsec_counters counters(struct asic_rig *r, uint32_t port, enum lb_macsec_dir dir, uint32_t an)
{
	struct lb_macsec_counters c = LB_MACSEC_COUNTERS_INIT;
	assert_int_equal(lb_macsec_counters_read(r->sw, port, dir, an, &c), LB_OK);
	return c;
}

static void rig(struct asic_rig *r, enum lb_macsec_cipher cipher)
{
	asic_rig_open(r, "small");
	port_up(r, 0);
	secy(r, 0, cipher, 0);
}

static void test_secy_rules(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT, got = LB_MACSEC_SECY_CONFIG_INIT;
	c.enable = 1;
	c.sci = SCI_A;
	c.cipher = (enum lb_macsec_cipher)4;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "cipher 4 unknown"));
	c.cipher = LB_MACSEC_GCM_AES_256;
	c.conf_offset = 20;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_RANGE);
	c.conf_offset = 30;
	c.replay_window = (1u << 30) + 1;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_INVAL);
	c.replay_window = 64;
	c.enable = 2;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_INVAL);
	c.enable = 1;
	c.sci = 0;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_INVAL);
	/* refused: nothing applied, on the chip either */
	assert_int_equal(lb_macsec_secy_get(r.sw, 0, &got), LB_OK);
	assert_int_equal(got.sci, 0);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, LB_EMU_ASIC_M_LIVE_CTRL)), 0);
	c.sci = SCI_A;
	assert_int_equal(lb_macsec_secy_set(r.sw, 31, &c), LB_E_NOTFOUND); /* no such port */
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	assert_int_equal(lb_macsec_secy_get(r.sw, 0, &got), LB_OK);
	assert_int_equal(got.cipher, LB_MACSEC_GCM_AES_256);
	assert_int_equal(got.conf_offset, 30);
	assert_int_equal(got.replay_window, 64);
	assert_int_equal(got.pn_warn_threshold, LB_MACSEC_DEFAULT_PN_WARN);
	/* a new handle learns it from the chip */
	struct lb_switch *sw2;
	assert_int_equal(lb_switch_open(r.ctx, "emulated", NULL, r.asic, &sw2), LB_OK);
	struct lb_macsec_secy_config again = LB_MACSEC_SECY_CONFIG_INIT;
	assert_int_equal(lb_macsec_secy_get(sw2, 0, &again), LB_OK);
	assert_int_equal(again.sci, SCI_A);
	assert_int_equal(again.cipher, LB_MACSEC_GCM_AES_256);
	assert_int_equal(again.enable, 1);
	lb_switch_close(sw2);
	asic_rig_close(&r);
}

static void test_sc_sa_rules(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_TX, 0), LB_E_NOTFOUND); /* no SecY */
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	c.enable = 1;
	c.sci = SCI_A;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_TX, SCI_B), LB_E_INVAL);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_RX, 0), LB_E_INVAL);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, (enum lb_macsec_dir)2, SCI_B), LB_E_INVAL);
	struct lb_macsec_key k = key_of(1, 16), k32 = key_of(1, 32);
	struct lb_macsec_sa_config s = LB_MACSEC_SA_CONFIG_INIT;
	s.pn = 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_E_NOTFOUND); /* no SC */
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_TX, 0), LB_E_EXISTS);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_RX, SCI_B), LB_OK);
	uint64_t sci = 0;
	assert_int_equal(lb_macsec_sc_get(r.sw, 0, LB_MACSEC_RX, &sci), LB_OK);
	assert_int_equal(sci, SCI_B);
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k32), LB_E_INVAL); /* 256-bit key */
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, NULL), LB_E_INVAL);
	s.an = 4;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_E_INVAL);
	s.an = 0;
	s.pn = 0;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_E_RANGE);
	s.pn = LB_MACSEC_PN_MAX + 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_E_RANGE);
	/* nothing installed on the chip by the refusals */
	for (uint32_t an = 0; an < 4; an++)
		assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, LB_EMU_ASIC_M_SA(0, an, 0))), 0);
	s.pn = 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_OK);
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_E_EXISTS);
	s.an = 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_OK);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_true(st.installed && st.in_use); /* the first one is used at once */
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 1, &st), LB_OK);
	assert_true(st.installed && !st.in_use);
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 2, &st), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_TX, 0), LB_E_BUSY); /* in use */
	assert_int_equal(lb_macsec_sc_remove(r.sw, 0, LB_MACSEC_TX), LB_E_BUSY);    /* has SAs */
	c.cipher = LB_MACSEC_GCM_AES_256;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_E_BUSY); /* cipher with SAs */
	assert_int_equal(lb_macsec_tx_sa_activate(r.sw, 0, 3), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_tx_sa_activate(r.sw, 0, 1), LB_OK);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_TX, 0), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_TX, 1), LB_OK); /* the last may go */
	assert_int_equal(lb_macsec_sc_remove(r.sw, 0, LB_MACSEC_TX), LB_OK);
	assert_int_equal(lb_macsec_sc_get(r.sw, 0, LB_MACSEC_TX, &sci), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK); /* no SA now */
	/* a removed port takes its SecY with it */
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_get(r.sw, 0, LB_MACSEC_RX, &sci), LB_E_NOTFOUND);
	asic_rig_close(&r);
}

static void test_frames_counted(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_key k = key_of(2, 16);
	sa(&r, 0, LB_MACSEC_RX, 0, 1, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, MS_NS);
	struct lb_macsec_counters tx = counters(&r, 0, LB_MACSEC_TX, 0), rx = counters(&r, 0, LB_MACSEC_RX, 0);
	/* half of 800 Gb/s for 1 ms, 1020 bytes on the wire each: 49019.6 frames */
	assert_int_equal(tx.out_pkts_encrypted, 49019);
	assert_int_equal(tx.out_octets_encrypted, 49019ull * 1000);
	assert_int_equal(tx.out_octets_protected, 0);
	assert_int_equal(tx.out_pkts_protected, 0);
	assert_int_equal(rx.in_pkts_ok, tx.out_pkts_encrypted);
	assert_int_equal(rx.in_octets_decrypted, 49019ull * 1000);
	assert_int_equal(rx.in_pkts_late + rx.in_pkts_invalid + rx.in_pkts_not_valid, 0);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_int_equal(st.next_pn, 49020);
	assert_int_equal(st.pn_left, LB_MACSEC_PN_MAX - 49019);
	assert_false(st.pn_warning);
	/* the cost on the chip: one latch command (write, status) and 20 reads of 64-bit halves */
	uint64_t before = lb_emu_asic_accesses(r.asic);
	(void)counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(lb_emu_asic_accesses(r.asic) - before, 22);
	/* the SC sums its SAs */
	struct lb_macsec_counters sc = counters(&r, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC);
	assert_int_equal(sc.in_pkts_ok, rx.in_pkts_ok);
	/* a port that goes down sends nothing */
	struct lb_asic_port_config pc = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_set(r.sw, 0, &pc, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	lb_emu_world_advance_ns(r.w, MS_NS);
	assert_int_equal(counters(&r, 0, LB_MACSEC_TX, 0).out_pkts_encrypted, 49019);
	asic_rig_close(&r);
}

/* Runs traffic, rolls over n times at uneven instants; every frame sent is received once. */
static void test_rollover_without_loss(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_256);
	struct lb_macsec_key k = key_of(3, 32);
	sa(&r, 0, LB_MACSEC_RX, 0, 1, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	lb_macsec_key_clear(&k);
	traffic(&r, 0, 0.9);
	uint64_t sent = 0, received = 0;
	uint32_t an = 0;
	for (unsigned i = 1; i <= 9; i++) {
		lb_emu_world_advance_ns(r.w, 137 * US_NS * i);
		struct lb_macsec_counters tx = counters(&r, 0, LB_MACSEC_TX, an);
		struct lb_macsec_counters rx = counters(&r, 0, LB_MACSEC_RX, an);
		sent += tx.out_pkts_encrypted;
		received += rx.in_pkts_ok;
		assert_int_equal(rx.in_pkts_late + rx.in_pkts_invalid + rx.in_pkts_not_valid, 0);
		struct lb_macsec_key next = key_of((uint8_t)(10 + i), 32);
		struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
		c.an = (an + 1) % 4;
		c.pn = 1;
		assert_int_equal(lb_macsec_rollover(r.sw, 0, &c, 1, &next), LB_OK);
		lb_macsec_key_clear(&next);
		struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
		assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_RX, an, &st), LB_E_NOTFOUND);
		an = c.an;
	}
	lb_emu_world_advance_ns(r.w, 500 * US_NS);
	sent += counters(&r, 0, LB_MACSEC_TX, an).out_pkts_encrypted;
	received += counters(&r, 0, LB_MACSEC_RX, an).in_pkts_ok;
	struct lb_macsec_counters tsc = counters(&r, 0, LB_MACSEC_TX, LB_MACSEC_AN_SC);
	struct lb_macsec_counters rsc = counters(&r, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC);
	assert_int_equal(tsc.out_pkts_sa_not_in_use, 0);
	assert_int_equal(rsc.in_pkts_not_using_sa, 0);
	/* 0.9 x 800 Gb/s over 6.665 ms (137 us x 45 + 500 us), 1020 bytes each */
	double want = 0.9 * 800e9 * (137e-6 * 45 + 500e-6) / (1020 * 8);
	assert_true((double)sent > want - 1 && (double)sent < want + 1);
	assert_int_equal(received, sent); /* none dropped, none twice */
	asic_rig_close(&r);
}

/* The pieces in the wrong order (transmit switched before receive has the SA) lose frames:
 * the rule the rollover follows is what keeps them. */
static void test_rollover_wrong_order_drops(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_key k = key_of(4, 16), k2 = key_of(5, 16);
	sa(&r, 0, LB_MACSEC_RX, 0, 1, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, 100 * US_NS);
	sa(&r, 0, LB_MACSEC_TX, 1, 1, &k2);
	assert_int_equal(lb_macsec_tx_sa_activate(r.sw, 0, 1), LB_OK);
	lb_emu_world_advance_ns(r.w, 100 * US_NS);
	sa(&r, 0, LB_MACSEC_RX, 1, 1, &k2);
	lb_emu_world_advance_ns(r.w, 100 * US_NS);
	struct lb_macsec_counters rsc = counters(&r, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC);
	assert_int_equal(rsc.in_pkts_not_using_sa, 4902); /* 100 us of frames */
	/* rollover refuses the AN transmit uses, and an AN taken on receive, undoing its steps */
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.an = 1;
	c.pn = 1;
	assert_int_equal(lb_macsec_rollover(r.sw, 0, &c, 1, &k), LB_E_BUSY);
	c.an = 0; /* taken on receive (and transmit) */
	assert_int_equal(lb_macsec_rollover(r.sw, 0, &c, 1, &k), LB_E_EXISTS);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_TX, 0), LB_OK);
	c.an = 0; /* free on transmit, taken on receive: refused at the first step, nothing changed */
	assert_int_equal(lb_macsec_rollover(r.sw, 0, &c, 1, &k), LB_E_EXISTS);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_E_NOTFOUND);
	asic_rig_close(&r);
}

static void test_pn_exhaustion(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	port_up(&r, 0);
	secy(&r, 0, LB_MACSEC_GCM_AES_128, 600);
	struct lb_macsec_key k = key_of(6, 16);
	uint64_t first = LB_MACSEC_PN_MAX - 999; /* 1000 PNs left */
	sa(&r, 0, LB_MACSEC_RX, 0, first, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, first, &k);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_int_equal(st.pn_left, 1000);
	assert_false(st.pn_warning);
	traffic(&r, 0, 0.5); /* 49.0 frames per microsecond */
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_int_equal(st.pn_left, 1000 - 490);
	assert_true(st.pn_warning); /* warned before the end */
	assert_false(st.pn_exhausted);
	lb_emu_world_advance_ns(r.w, 20 * US_NS);
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_true(st.pn_exhausted);
	assert_int_equal(st.pn_left, 0);
	struct lb_macsec_counters tx = counters(&r, 0, LB_MACSEC_TX, 0);
	assert_int_equal(tx.out_pkts_encrypted, 1000); /* the last PN went out, none past it */
	struct lb_macsec_counters tsc = counters(&r, 0, LB_MACSEC_TX, LB_MACSEC_AN_SC);
	assert_int_equal(tsc.out_pkts_sa_not_in_use, 1470 - 1000);
	assert_int_equal(counters(&r, 0, LB_MACSEC_RX, 0).in_pkts_ok, 1000);
	/* a rollover gets frames going again */
	struct lb_macsec_key k2 = key_of(7, 16);
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.an = 1;
	c.pn = 1;
	assert_int_equal(lb_macsec_rollover(r.sw, 0, &c, 1, &k2), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	assert_int_equal(counters(&r, 0, LB_MACSEC_RX, 1).in_pkts_ok, counters(&r, 0, LB_MACSEC_TX, 1).out_pkts_encrypted);
	assert_true(counters(&r, 0, LB_MACSEC_TX, 1).out_pkts_encrypted > 400);
	asic_rig_close(&r);
}

static void test_xpn_and_mismatch(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_XPN_128);
	struct lb_macsec_key k = key_of(8, 16), other = key_of(9, 16);
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.pn = 1ull << 40; /* XPN: past 2^32 */
	c.ssci = 7;
	memset(c.salt, 0xA5, sizeof(c.salt));
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &c, &k), LB_OK);
	c.salt[11] ^= 1; /* receive has another salt */
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_RX, &c, &k), LB_OK);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	struct lb_macsec_counters rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(rx.in_pkts_invalid, 490);
	assert_int_equal(rx.in_pkts_ok, 0);
	/* the same salt but another key: invalid too */
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_RX, 0), LB_OK);
	c.salt[11] ^= 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_RX, &c, &other), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	assert_int_equal(counters(&r, 0, LB_MACSEC_RX, 0).in_pkts_invalid, 490);
	/* and the right one: OK, PNs beyond 2^32 */
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_RX, 0), LB_OK);
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_RX, &c, &k), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	assert_int_equal(counters(&r, 0, LB_MACSEC_RX, 0).in_pkts_ok, 490);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_int_equal(st.next_pn, (1ull << 40) + 3 * 490);
	asic_rig_close(&r);
}

/* The confidentiality offset's octets travel in clear: counted protected, not encrypted; an
 * integrity-only SecY counts every octet protected. */
static void test_conf_offset_octets(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	assert_int_equal(lb_macsec_secy_get(r.sw, 0, &c), LB_OK);
	c.conf_offset = 30;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	struct lb_macsec_key k = key_of(13, 16);
	sa(&r, 0, LB_MACSEC_RX, 0, 1, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, 10 * US_NS); /* 490 frames of 1000 bytes */
	struct lb_macsec_counters tx = counters(&r, 0, LB_MACSEC_TX, 0), rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(tx.out_pkts_encrypted, 490);
	assert_int_equal(tx.out_octets_protected, 490 * 30);
	assert_int_equal(tx.out_octets_encrypted, 490 * 970);
	assert_int_equal(rx.in_octets_validated, 490 * 30);
	assert_int_equal(rx.in_octets_decrypted, 490 * 970);
	c.encrypt = 0;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	tx = counters(&r, 0, LB_MACSEC_TX, 0);
	rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(tx.out_pkts_protected, 490);
	assert_int_equal(tx.out_octets_protected, 490 * 30 + 490 * 1000);
	assert_int_equal(tx.out_octets_encrypted, 490 * 970);
	assert_int_equal(rx.in_octets_validated, 490 * 30 + 490 * 1000);
	asic_rig_close(&r);
}

static void test_late_frames(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_key k = key_of(10, 16);
	sa(&r, 0, LB_MACSEC_RX, 0, 1000, &k); /* expects 1000 and up; window 0 */
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, 30 * US_NS); /* 1470 frames: PNs 1..1470 */
	struct lb_macsec_counters rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(rx.in_pkts_late, 999);
	assert_int_equal(rx.in_pkts_ok, 1470 - 999);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_RX, 0, &st), LB_OK);
	assert_int_equal(st.next_pn, 1471);
	asic_rig_close(&r);
	/* a window of 500 accepts PNs down to 1000 - 500 */
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	assert_int_equal(lb_macsec_secy_get(r.sw, 0, &c), LB_OK);
	c.replay_window = 500;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	sa(&r, 0, LB_MACSEC_RX, 0, 1000, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	traffic(&r, 0, 0.5);
	lb_emu_world_advance_ns(r.w, 30 * US_NS);
	rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(rx.in_pkts_late, 499);
	assert_int_equal(rx.in_pkts_ok, 1470 - 499);
	/* without replay protection nothing is late */
	c.replay_protect = 0;
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, LB_MACSEC_RX, 0), LB_OK);
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	sa(&r, 0, LB_MACSEC_RX, 0, 1u << 20, &k);
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	rx = counters(&r, 0, LB_MACSEC_RX, 0);
	assert_int_equal(rx.in_pkts_late, 0);
	assert_int_equal(rx.in_pkts_ok, 490);
	asic_rig_close(&r);
}

/* ---- key material never leaves ---- */

struct log_buf {
	char text[65536];
	size_t len;
};

static void capture(void *user, enum lb_log_level level, const char *msg)
{
	(void)level;
	struct log_buf *b = user;
	int n = snprintf(b->text + b->len, sizeof(b->text) - b->len, "%s\n", msg);
	if (n > 0 && (size_t)n < sizeof(b->text) - b->len)
		b->len += (size_t)n;
}

/* The key's bytes, raw or as hex (either case), anywhere in text[0..len). */
static void assert_no_key(const void *text, size_t len, const struct lb_macsec_key *k, const char *where)
{
	char hex[2 * LB_MACSEC_KEY_MAX + 1], HEX[2 * LB_MACSEC_KEY_MAX + 1];
	for (size_t i = 0; i < 8; i++) { /* 8 bytes are enough to be the key's */
		snprintf(hex + 2 * i, 3, "%02x", k->bytes[i]);
		snprintf(HEX + 2 * i, 3, "%02X", k->bytes[i]);
	}
	const uint8_t *t = text;
	for (size_t i = 0; i + 8 <= len; i++) {
		if (memcmp(t + i, k->bytes, 8) == 0 || memcmp(t + i, hex, 16) == 0 || memcmp(t + i, HEX, 16) == 0)
			fail_msg("the key is in %s at %zu", where, i);
	}
}

static void test_key_never_leaves(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct log_buf *log = calloc(1, sizeof(*log));
	assert_non_null(log);
	lb_ctx_set_log(r.ctx, capture, log, LB_LOG_DEBUG);
	port_up(&r, 0);
	secy(&r, 0, LB_MACSEC_GCM_AES_256, 0);
	struct lb_macsec_key k = { .len = 32 };
	memcpy(k.bytes, "PLANTED-KEY-0123456789abcdefXYZ!", 32);
	struct lb_macsec_key wrong = k;
	wrong.len = 16;
	char errors[8192] = "";
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.pn = 1;
	memcpy(c.salt, k.bytes, sizeof(c.salt)); /* the salt is secret too */
	int rcs[] = {
		lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &c, &wrong),
		lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &c, &k),
		lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &c, &k),
		lb_macsec_rollover(r.sw, 0, &c, 1, &k),
	};
	assert_int_equal(rcs[0], LB_E_INVAL);
	assert_int_equal(rcs[1], LB_OK);
	assert_int_equal(rcs[2], LB_E_EXISTS);
	strncat(errors, lb_ctx_last_error(r.ctx), sizeof(errors) - strlen(errors) - 1);
	assert_int_equal(rcs[3], LB_E_BUSY);
	strncat(errors, lb_ctx_last_error(r.ctx), sizeof(errors) - strlen(errors) - 1);
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_RX, &c, &wrong), LB_E_INVAL);
	strncat(errors, lb_ctx_last_error(r.ctx), sizeof(errors) - strlen(errors) - 1);
	assert_true(log->len > 0); /* the refusals were logged */
	assert_no_key(log->text, log->len, &k, "the log");
	assert_no_key(errors, strlen(errors), &k, "an error detail");
	/* every register of the port's MACsec block: none gives the key back */
	uint8_t regs[LB_EMU_ASIC_MACSEC_STRIDE];
	for (uint32_t off = 0; off < LB_EMU_ASIC_MACSEC_STRIDE; off += 4) {
		uint32_t v = asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, off));
		memcpy(regs + off, &v, 4);
	}
	assert_no_key(regs, sizeof(regs), &k, "the chip's registers");
	lb_macsec_key_clear(&k);
	for (size_t i = 0; i < sizeof(k.bytes); i++)
		assert_int_equal(k.bytes[i], 0);
	assert_int_equal(k.len, 0);
	free(log);
	asic_rig_close(&r);
}

/* The event: the first status read that shows the warning logs it, once per SA. */
static void test_pn_warning_logged_once(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct log_buf *log = calloc(1, sizeof(*log));
	assert_non_null(log);
	lb_ctx_set_log(r.ctx, capture, log, LB_LOG_WARN);
	port_up(&r, 0);
	secy(&r, 0, LB_MACSEC_GCM_AES_128, 600);
	struct lb_macsec_key k = key_of(11, 16);
	sa(&r, 0, LB_MACSEC_TX, 0, LB_MACSEC_PN_MAX - 999, &k);
	traffic(&r, 0, 0.5);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	assert_null(strstr(log->text, "PNs left"));
	lb_emu_world_advance_ns(r.w, 10 * US_NS);
	for (int i = 0; i < 3; i++)
		assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, 0, &st), LB_OK);
	const char *first = strstr(log->text, "asic port 0: macsec: tx SA 0: 510 PNs left");
	assert_non_null(first);
	assert_null(strstr(strstr(first, "PNs left") + 1, "PNs left"));
	free(log);
	asic_rig_close(&r);
}

/* The chip refuses what the core found valid (another handle changed it behind this one's
 * back): the driver's detail, nothing applied, and a rollover undoes its first step. */
static void test_chip_refusals(void **state)
{
	(void)state;
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	struct lb_macsec_key k = key_of(12, 16);
	sa(&r, 0, LB_MACSEC_RX, 0, 1, &k);
	sa(&r, 0, LB_MACSEC_TX, 0, 1, &k);
	struct lb_switch *other;
	assert_int_equal(lb_switch_open(r.ctx, "emulated", NULL, r.asic, &other), LB_OK);
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	assert_int_equal(lb_macsec_sa_get_status(other, 0, LB_MACSEC_TX, 0, &st), LB_OK); /* learns */
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.an = 1;
	c.pn = 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &c, &k), LB_OK); /* behind other */
	assert_int_equal(lb_macsec_sa_install(other, 0, LB_MACSEC_TX, &c, &k), LB_E_EXISTS);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "the chip refused it: exists already"));
	/* a rollover to AN 1 from other: receive installed, transmit refused, receive undone */
	assert_int_equal(lb_macsec_rollover(other, 0, &c, 1, &k), LB_E_EXISTS);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, LB_EMU_ASIC_M_SA(1, 1, 0))), 0);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, LB_EMU_ASIC_M_TX_AN)), 0);
	/* the staged key is erased whatever the command's result */
	for (uint32_t i = 0; i < 8; i++)
		assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_MACSEC_REG(0, LB_EMU_ASIC_M_KEY(i))), 0);
	lb_switch_close(other);
	asic_rig_close(&r);
}

/* The chip's MACsec block at the register level (docs/macsec.md): write-only key, commands
 * and their status, nothing before a SecY. */
static void test_register_block(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic *a = r.asic;
#define M(off) LB_EMU_ASIC_MACSEC_REG(1, off)
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_KEY(0)), 0x11223344u), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_KEY(0))), 0); /* write-only */
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_SA_SEL), 0x100u), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SC_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_NOSECY);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_CIPHER), 7), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_SCI), 1), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SECY), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_VALUE);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_LIVE_CTRL + LB_EMU_ASIC_M_SCI)), 0); /* nothing applied */
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_CIPHER), 0), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SECY), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_LIVE_CTRL + LB_EMU_ASIC_M_SCI)), 1);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), 99), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_COMMAND);
	/* an SA on an SC that does not exist; a key of the wrong length */
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SA_INSTALL), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_NOSC);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_SC_SCI), 2), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SC_CREATE), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_KEY_LEN), 32), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_SA_PN), 1), LB_OK);
	assert_int_equal(lb_emu_asic_write32(a, M(LB_EMU_ASIC_M_COMMAND), LB_EMU_ASIC_M_CMD_SA_INSTALL), LB_OK);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_KEY);
	assert_int_equal(asic_reg(a, M(LB_EMU_ASIC_M_KEY_LEN)), 0); /* erased by the command */
	/* a port that does not exist takes no command */
	uint32_t gone = LB_EMU_ASIC_MACSEC_REG(30, LB_EMU_ASIC_M_COMMAND);
	assert_int_equal(lb_emu_asic_write32(a, gone, LB_EMU_ASIC_M_CMD_SECY), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_MACSEC_REG(30, LB_EMU_ASIC_M_CMD_STATUS)), LB_EMU_ASIC_ERR_NOPORT);
#undef M
	asic_rig_close(&r);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	struct lb_macsec_sa_config sa = LB_MACSEC_SA_CONFIG_INIT;
	struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
	struct lb_macsec_counters k = LB_MACSEC_COUNTERS_INIT;
	uint64_t sci;
	assert_int_equal(lb_macsec_secy_set(NULL, 0, &c), LB_E_INVAL);
	assert_int_equal(lb_macsec_secy_get(NULL, 0, &c), LB_E_INVAL);
	assert_int_equal(lb_macsec_sc_create(NULL, 0, LB_MACSEC_TX, 0), LB_E_INVAL);
	assert_int_equal(lb_macsec_sc_remove(NULL, 0, LB_MACSEC_TX), LB_E_INVAL);
	assert_int_equal(lb_macsec_sc_get(NULL, 0, LB_MACSEC_TX, &sci), LB_E_INVAL);
	assert_int_equal(lb_macsec_sa_install(NULL, 0, LB_MACSEC_TX, &sa, NULL), LB_E_INVAL);
	assert_int_equal(lb_macsec_sa_retire(NULL, 0, LB_MACSEC_TX, 0), LB_E_INVAL);
	assert_int_equal(lb_macsec_tx_sa_activate(NULL, 0, 0), LB_E_INVAL);
	assert_int_equal(lb_macsec_sa_get_status(NULL, 0, LB_MACSEC_TX, 0, &st), LB_E_INVAL);
	assert_int_equal(lb_macsec_rollover(NULL, 0, &sa, 1, NULL), LB_E_INVAL);
	assert_int_equal(lb_macsec_counters_read(NULL, 0, LB_MACSEC_TX, 0, &k), LB_E_INVAL);
	lb_macsec_key_clear(NULL);
	struct asic_rig r;
	rig(&r, LB_MACSEC_GCM_AES_128);
	assert_int_equal(lb_macsec_sc_get(r.sw, 0, LB_MACSEC_TX, NULL), LB_E_INVAL);
	assert_int_equal(lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, LB_MACSEC_AN_SC, &st), LB_E_INVAL);
	assert_int_equal(lb_macsec_counters_read(r.sw, 0, LB_MACSEC_TX, 7, &k), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_sa_retire(r.sw, 0, (enum lb_macsec_dir)5, 0), LB_E_INVAL);
	assert_int_equal(lb_macsec_rollover(r.sw, 0, NULL, 1, NULL), LB_E_INVAL);
	assert_int_equal(lb_macsec_rollover(r.sw, 0, &sa, 1, NULL), LB_E_INVAL); /* no key */
	assert_int_equal(lb_macsec_counters_read(r.sw, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC, &k), LB_OK);
	asic_rig_close(&r);
}

static void test_names(void **state)
{
	(void)state;
	enum lb_macsec_cipher c;
	for (int i = 0; i < LB_MACSEC_CIPHER_COUNT; i++) {
		assert_int_equal(lb_macsec_cipher_parse(lb_macsec_cipher_name((enum lb_macsec_cipher)i), &c), LB_OK);
		assert_int_equal(c, i);
	}
	assert_string_equal(lb_macsec_cipher_name((enum lb_macsec_cipher)9), "?");
	assert_int_equal(lb_macsec_cipher_parse("aes", &c), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_key_len(LB_MACSEC_GCM_AES_XPN_256), 32);
	assert_int_equal(lb_macsec_key_len((enum lb_macsec_cipher)9), 0);
	assert_int_equal(lb_macsec_pn_max(LB_MACSEC_GCM_AES_XPN_128), LB_MACSEC_XPN_MAX);
	assert_int_equal(lb_macsec_pn_max(LB_MACSEC_GCM_AES_128), LB_MACSEC_PN_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_secy_rules),
		cmocka_unit_test(test_sc_sa_rules),
		cmocka_unit_test(test_frames_counted),
		cmocka_unit_test(test_rollover_without_loss),
		cmocka_unit_test(test_rollover_wrong_order_drops),
		cmocka_unit_test(test_pn_exhaustion),
		cmocka_unit_test(test_xpn_and_mismatch),
		cmocka_unit_test(test_late_frames),
		cmocka_unit_test(test_conf_offset_octets),
		cmocka_unit_test(test_key_never_leaves),
		cmocka_unit_test(test_pn_warning_logged_once),
		cmocka_unit_test(test_chip_refusals),
		cmocka_unit_test(test_register_block),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
