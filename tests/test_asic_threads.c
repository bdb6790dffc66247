/* SPDX-License-Identifier: MIT */
/*
 * One switch shared between threads (lightbridge/asic.h: every call takes the switch's lock):
 * four threads change, read and count their own ports while a fifth moves the world's clock,
 * so the traffic model runs under them. The counters stay consistent and every change is
 * found whole (ThreadSanitizer runs this file, label threads).
 */
#include <pthread.h>
#include <stdatomic.h>
#include "asic_rig.h"

#define ROUNDS 200

static struct asic_rig rig;
static atomic_int stop;

static void *port_worker(void *arg)
{
	uint32_t port = (uint32_t)(uintptr_t)arg;
	for (int i = 0; i < ROUNDS; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.admin_up = 1;
		c.mtu = 1500 + (uint32_t)(i % 100);
		c.pfc_mask = (uint8_t)(i % 2 ? 0x18 : 0x08);
		if (lb_asic_port_set(rig.sw, port, &c, LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_MTU |
								LB_ASIC_PORT_SET_PFC))
			return (void *)1;
		struct lb_asic_port_config got = LB_ASIC_PORT_CONFIG_INIT;
		if (lb_asic_port_get(rig.sw, port, &got) || got.mtu != c.mtu || got.pfc_mask != c.pfc_mask)
			return (void *)2;
		struct lb_asic_port_counters k = LB_ASIC_PORT_COUNTERS_INIT;
		if ((i % 3 ? lb_asic_port_counters_read(rig.sw, port, &k)
			   : lb_asic_port_counters_read_clear(rig.sw, port, &k)))
			return (void *)3;
		uint64_t bins = 0;
		for (unsigned b = 0; b < LB_ASIC_FEC_BINS; b++)
			bins += k.fec_bins[b];
		if (bins != k.fec_codewords || k.in_octets != (k.in_ucast_pkts + k.in_mcast_pkts +
							       k.in_bcast_pkts + k.in_fcs_errors) * 256)
			return (void *)4;
	}
	return NULL;
}

static void *clock_worker(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop))
		lb_emu_world_advance_ns(rig.w, 10000);
	return NULL;
}

static void test_shared_switch(void **state)
{
	(void)state;
	asic_rig_open(&rig, "small");
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 0.7, .frame_bytes = 256,
					 .pre_fec_ber = 1e-4 };
	for (uint32_t p = 0; p < 4; p++)
		assert_int_equal(lb_emu_asic_set_traffic(rig.asic, p, &t), LB_OK);
	pthread_t clock, workers[4];
	atomic_store(&stop, 0);
	assert_int_equal(pthread_create(&clock, NULL, clock_worker, NULL), 0);
	for (uintptr_t p = 0; p < 4; p++)
		assert_int_equal(pthread_create(&workers[p], NULL, port_worker, (void *)p), 0);
	for (int p = 0; p < 4; p++) {
		void *ret;
		assert_int_equal(pthread_join(workers[p], &ret), 0);
		if (ret)
			fail_msg("port %d: step %d failed", p, (int)(uintptr_t)ret);
	}
	atomic_store(&stop, 1);
	assert_int_equal(pthread_join(clock, NULL), 0);
	asic_rig_close(&rig);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_switch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
