/* SPDX-License-Identifier: MIT */
/*
 * The flag accumulator under threads (label "threads", run under ThreadSanitizer): a poller,
 * an interrupt-style consumer and a consumer made and freed over and over, each on its own
 * handle of one module and its own thread, read at once; each sees every flag raised exactly
 * once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "test_run.h"

#define ROUNDS 40
#define READS 3

struct reader {
	struct lb_module *m;
	struct lb_flag_consumer *c; /* NULL: monitor polls (the handle's default consumer) */
	unsigned seen[ROUNDS];      /* reads of this round that held the round's flags */
	unsigned cdb[ROUNDS];
	int rc;
	unsigned round;
};

static void *reader_run(void *arg)
{
	struct reader *x = arg;
	for (unsigned k = 0; k < READS && x->rc == LB_OK; k++) {
		uint32_t rx_los;
		uint8_t mod;
		if (x->c) {
			struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
			x->rc = lb_module_flags_read(x->m, x->c, &f);
			rx_los = f.rx_los;
			mod = f.module_flags;
		} else {
			struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
			x->rc = lb_module_get_monitors(x->m, &mon);
			rx_los = mon.rx_los;
			mod = mon.module_flags;
		}
		if (rx_los & (1u << (x->round % 8u)))
			x->seen[x->round]++;
		if (mod & LB_MODFLAG_CDB1_COMPLETE)
			x->cdb[x->round]++;
	}
	return NULL;
}

/* A consumer born and freed while the others read: create/free race with notes. */
static void *churn_run(void *arg)
{
	struct reader *x = arg;
	for (unsigned k = 0; k < READS && x->rc == LB_OK; k++) {
		struct lb_flag_consumer *c = NULL;
		struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
		if ((x->rc = lb_flag_consumer_create(x->m, &c)) == LB_OK)
			x->rc = lb_module_flags_read(x->m, c, &f);
		lb_flag_consumer_free(c);
	}
	return NULL;
}

static void test_consumers_in_threads(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct reader rd[3];
	memset(rd, 0, sizeof(rd));

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(lb_module_open(r.bus, NULL, &rd[i].m), LB_OK);
	assert_int_equal(lb_flag_consumer_create(rd[1].m, &rd[1].c), LB_OK);
	/* power-on flags out of the way */
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
	assert_int_equal(lb_module_get_monitors(rd[0].m, &mon), LB_OK);
	assert_int_equal(lb_module_flags_read(rd[1].m, rd[1].c, &f), LB_OK);

	for (unsigned k = 0; k < ROUNDS; k++) {
		uint8_t los = (uint8_t)(1u << (k % 8u)), cdb = LB_MODFLAG_CDB1_COMPLETE;
		assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 147, &los, 1), LB_OK);
		assert_int_equal(lb_emu_module_poke(r.emu, 0, 0, 8, &cdb, 1), LB_OK);
		pthread_t t[3];
		for (unsigned i = 0; i < 3; i++) {
			rd[i].round = k;
			assert_int_equal(pthread_create(&t[i], NULL, i == 2 ? churn_run : reader_run,
							&rd[i]), 0);
		}
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(pthread_join(t[i], NULL), 0);
		for (unsigned i = 0; i < 3; i++)
			assert_int_equal(rd[i].rc, LB_OK);
		/* whichever thread read the module first, each consumer saw the flags once */
		for (unsigned i = 0; i < 2; i++) {
			assert_int_equal(rd[i].seen[k], 1);
			assert_int_equal(rd[i].cdb[k], 1);
		}
	}
	lb_flag_consumer_free(rd[1].c);
	for (unsigned i = 0; i < 3; i++)
		lb_module_close(rd[i].m);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consumers_in_threads),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
