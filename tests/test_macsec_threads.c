/* SPDX-License-Identifier: MIT */
/*
 * MACsec on a switch handle shared between threads (the switch's lock, lightbridge/asic.h):
 * one thread rolls the key over again and again under traffic while another reads statuses
 * and counters; every read answers (an SA being retired is LB_E_NOTFOUND, never garbage), and
 * every frame sent is received once. Run by the ThreadSanitizer tree (label threads).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <lightbridge/macsec.h>
#include "asic_rig.h"

#define ROLLS 200

static struct asic_rig r;
static atomic_int done, started;
static uint64_t sent, received;

static void *roller(void *arg)
{
	(void)arg;
	uint32_t an = 0;
	while (!atomic_load(&started))
		sched_yield(); /* the reader is under way: the two overlap */
	for (unsigned i = 0; i < ROLLS; i++) {
		sched_yield();
		lb_emu_world_advance_ns(r.w, 3000 + 17 * (uint64_t)i);
		struct lb_macsec_counters tx = LB_MACSEC_COUNTERS_INIT, rx = LB_MACSEC_COUNTERS_INIT;
		if (lb_macsec_counters_read(r.sw, 0, LB_MACSEC_TX, an, &tx) ||
		    lb_macsec_counters_read(r.sw, 0, LB_MACSEC_RX, an, &rx))
			break;
		sent += tx.out_pkts_encrypted;
		received += rx.in_pkts_ok;
		struct lb_macsec_key k = { .len = 16 };
		k.bytes[0] = (uint8_t)i;
		struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
		c.an = (an + 1) % 4;
		c.pn = 1;
		if (lb_macsec_rollover(r.sw, 0, &c, 1, &k))
			break;
		an = c.an;
	}
	lb_emu_world_advance_ns(r.w, 5000);
	struct lb_macsec_counters tx = LB_MACSEC_COUNTERS_INIT, rx = LB_MACSEC_COUNTERS_INIT;
	if (!lb_macsec_counters_read(r.sw, 0, LB_MACSEC_TX, an, &tx) &&
	    !lb_macsec_counters_read(r.sw, 0, LB_MACSEC_RX, an, &rx)) {
		sent += tx.out_pkts_encrypted;
		received += rx.in_pkts_ok;
	}
	atomic_store(&done, 1);
	return NULL;
}

static void test_rollover_while_reading(void **state)
{
	(void)state;
	asic_rig_open(&r, "small");
	struct lb_asic_port_config pc = LB_ASIC_PORT_CONFIG_INIT;
	pc.admin_up = 1;
	assert_int_equal(lb_asic_port_set(r.sw, 0, &pc, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	c.enable = 1;
	c.encrypt = 1;
	c.replay_protect = 1;
	c.sci = 0x0200000000010001ull;
	assert_int_equal(lb_macsec_secy_set(r.sw, 0, &c), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 0, LB_MACSEC_RX, 0x0200000000020001ull), LB_OK);
	struct lb_macsec_key k = { .len = 16 };
	struct lb_macsec_sa_config s = LB_MACSEC_SA_CONFIG_INIT;
	s.pn = 1;
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_RX, &s, &k), LB_OK);
	assert_int_equal(lb_macsec_sa_install(r.sw, 0, LB_MACSEC_TX, &s, &k), LB_OK);
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 0.7, .frame_bytes = 512 };
	assert_int_equal(lb_emu_asic_set_traffic(r.asic, 0, &t), LB_OK);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, roller, NULL), 0);
	unsigned reads = 0, answered = 0;
	do {
		for (uint32_t an = 0; an < 4; an++) {
			struct lb_macsec_sa_status st = LB_MACSEC_SA_STATUS_INIT;
			int rc = lb_macsec_sa_get_status(r.sw, 0, LB_MACSEC_TX, an, &st);
			assert_true(rc == LB_OK || rc == LB_E_NOTFOUND);
			if (rc == LB_OK)
				assert_true(st.installed && st.next_pn >= 1);
			answered += rc == LB_OK;
		}
		struct lb_macsec_counters sc = LB_MACSEC_COUNTERS_INIT;
		assert_int_equal(lb_macsec_counters_read(r.sw, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC, &sc), LB_OK);
		assert_int_equal(sc.in_pkts_not_using_sa, 0);
		reads++;
		atomic_store(&started, 1);
		sched_yield();
	} while (!atomic_load(&done));
	pthread_join(th, NULL);
	print_message("%u rounds of reads (%u SA statuses) during %d rollovers; %llu frames\n", reads,
		      answered, ROLLS, (unsigned long long)sent);
	assert_true(answered > 0);
	assert_true(sent > 100000);
	assert_int_equal(received, sent);
	asic_rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rollover_while_reading),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
