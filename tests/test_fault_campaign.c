/* SPDX-License-Identifier: MIT */
/*
 * A short fault campaign (tests/support/campaign.h; bench/bench_campaign runs the long one):
 * every public module call under faults, with a fixed seed. No silent wrong value, no hang,
 * every error followed by an exact fault-free call, no claim left held, no false
 * LB_E_CHANGED, a detail after every error. Also: the campaign finds a call that swallows
 * errors, and an episode replays to the same figures. And the ASIC campaign
 * (campaign_asic.h): every public ASIC call family under the emulated ASIC's bus faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/asic.h>
#include "campaign.h"
#include "campaign_asic.h"

#define SEED 20250611u

static void test_short_campaign(void **state)
{
	(void)state;
	struct lb_campaign_opts o = { .seed = SEED, .faults = 300, .episode = -1,
				      .data_dir = LB_SOURCE_DIR, .lock_dir = LB_BINARY_DIR,
				      .log = stdout };
	struct lb_campaign_stats st;
	assert_int_equal(lb_campaign_run(&o, &st), 0);
	lb_campaign_print(stdout, &o, &st);
	assert_true(st.faults >= 300);
	/* every kind of fault came at least once */
	for (unsigned k = 1; lb_campaign_fault_name(k); k++)
		if (!st.by_fault[k])
			fail_msg("no %s fault was injected", lb_campaign_fault_name(k));
	assert_int_equal(st.silent_wrong, 0);
	assert_int_equal(st.hangs, 0);
	assert_int_equal(st.not_recovered, 0);
	assert_int_equal(st.claims_left, 0);
	assert_int_equal(st.false_changes, 0);
	assert_int_equal(st.bad_details, 0);
	assert_true(lb_campaign_clean(&st));
	assert_true(st.correct + st.clean_errors == st.calls);
}

/* A call that reads thresholds' page raw and says LB_OK whatever the read said. */
static void run_swallowing(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	(void)a;
	uint8_t buf[72];
	memset(buf, 0, sizeof(buf));
	(void)lb_module_read(m, 0, 0x02, 128, buf, sizeof(buf));
	o->rc = LB_OK;
	lb_campaign_put(o, buf, sizeof(buf));
}

static bool pick_always(const struct lb_campaign_info *info, uint64_t *rng,
			struct lb_campaign_args *a)
{
	(void)info;
	(void)rng;
	(void)a;
	return true;
}

static void test_campaign_finds_a_swallowed_error(void **state)
{
	(void)state;
	static const struct lb_campaign_call calls[] = {
		{ "swallows_errors", 0, 1, pick_always, run_swallowing, NULL },
	};
	const struct lb_campaign_table table = { calls, 1 };
	FILE *quiet = fopen("/dev/null", "w");
	assert_non_null(quiet);
	struct lb_campaign_opts o = { .seed = SEED, .faults = 60, .episode = -1,
				      .data_dir = LB_SOURCE_DIR, .tables = &table, .n_tables = 1,
				      .log = quiet };
	struct lb_campaign_stats st;
	assert_int_equal(lb_campaign_run(&o, &st), 0);
	fclose(quiet);
	assert_true(st.silent_wrong > 0);
	assert_false(lb_campaign_clean(&st));
	/* the failure names what to replay */
	assert_non_null(strstr(st.first_failure, "seed 20250611 episode "));
	assert_non_null(strstr(st.first_failure, "swallows_errors"));
}

/* The firmware queries alone (their rows of the module calls), so that every fault meets them. */
static void test_firmware_queries_under_faults(void **state)
{
	(void)state;
	struct lb_campaign_call calls[2];
	unsigned n = 0;
	for (unsigned i = 0; i < lb_campaign_module_ncalls; i++)
		if (strcmp(lb_campaign_module_calls[i].name, "fw_features") == 0 ||
		    strcmp(lb_campaign_module_calls[i].name, "fw_info") == 0)
			calls[n++] = lb_campaign_module_calls[i];
	assert_int_equal(n, 2);
	const struct lb_campaign_table table = { calls, n };
	struct lb_campaign_opts o = { .seed = SEED, .faults = 150, .episode = -1,
				      .data_dir = LB_SOURCE_DIR, .lock_dir = LB_BINARY_DIR,
				      .tables = &table, .n_tables = 1, .log = stdout };
	struct lb_campaign_stats st;
	assert_int_equal(lb_campaign_run(&o, &st), 0);
	lb_campaign_print(stdout, &o, &st);
	assert_true(st.faults >= 150);
	assert_true(st.clean_errors > 0); /* the faults reached them */
	assert_int_equal(st.silent_wrong, 0);
	assert_int_equal(st.hangs, 0);
	assert_int_equal(st.not_recovered, 0);
	assert_int_equal(st.claims_left, 0);
	assert_int_equal(st.bad_details, 0);
	assert_true(lb_campaign_clean(&st));
}

static void test_episode_replays(void **state)
{
	(void)state;
	struct lb_campaign_opts o = { .seed = SEED, .faults = 0, .episode = 3,
				      .data_dir = LB_SOURCE_DIR, .log = stdout };
	struct lb_campaign_stats a, b;
	assert_int_equal(lb_campaign_run(&o, &a), 0);
	assert_int_equal(lb_campaign_run(&o, &b), 0);
	assert_int_equal(a.episodes, 1);
	assert_int_equal(a.calls, b.calls);
	assert_int_equal(a.faults, b.faults);
	assert_int_equal(a.correct, b.correct);
	assert_int_equal(a.clean_errors, b.clean_errors);
	assert_int_equal(a.virtual_ns, b.virtual_ns);
	assert_memory_equal(a.by_fault, b.by_fault, sizeof(a.by_fault));
}

/* The ASIC calls under every bus fault (campaign_asic.h), with a fixed seed. */
static void test_asic_campaign(void **state)
{
	(void)state;
	struct lb_campaign_asic_opts o = { .seed = SEED, .faults = 400, .episode = -1, .log = stdout };
	struct lb_campaign_stats st;
	assert_int_equal(lb_campaign_asic_run(&o, &st), 0);
	lb_campaign_asic_print(stdout, &o, &st);
	assert_true(st.faults >= 400);
	for (unsigned k = 1; lb_campaign_asic_fault_name(k); k++)
		if (!st.by_fault[k])
			fail_msg("no %s fault was injected", lb_campaign_asic_fault_name(k));
	assert_true(st.clean_errors > 0); /* the faults reached the calls */
	assert_int_equal(st.silent_wrong, 0);
	assert_int_equal(st.hangs, 0);
	assert_int_equal(st.not_recovered, 0);
	assert_int_equal(st.false_changes, 0);
	assert_int_equal(st.bad_details, 0);
	assert_true(lb_campaign_clean(&st));
	assert_true(st.correct + st.clean_errors == st.calls);
}

/* A row that reads a port's status and says LB_OK whatever the read said. */
static void run_asic_swallowing(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	(void)w;
	struct lb_asic_port_status s = LB_ASIC_PORT_STATUS_INIT;
	(void)lb_asic_port_get_status(sw, 0, &s);
	o->rc = LB_OK;
	lb_campaign_put(o, &s, sizeof(s));
}

static void test_asic_campaign_finds_a_swallowed_error(void **state)
{
	(void)state;
	static const struct lb_campaign_asic_call calls[] = { { "asic_swallows_errors", 0, run_asic_swallowing } };
	FILE *quiet = fopen("/dev/null", "w");
	assert_non_null(quiet);
	struct lb_campaign_asic_opts o = { .seed = SEED, .faults = 40, .episode = -1, .calls = calls,
					   .n_calls = 1, .log = quiet };
	struct lb_campaign_stats st;
	assert_int_equal(lb_campaign_asic_run(&o, &st), 0);
	fclose(quiet);
	assert_true(st.silent_wrong > 0);
	assert_false(lb_campaign_clean(&st));
	assert_non_null(strstr(st.first_failure, "seed 20250611 episode "));
	assert_non_null(strstr(st.first_failure, "asic_swallows_errors"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_short_campaign),
		cmocka_unit_test(test_campaign_finds_a_swallowed_error),
		cmocka_unit_test(test_episode_replays),
		cmocka_unit_test(test_firmware_queries_under_faults),
		cmocka_unit_test(test_asic_campaign),
		cmocka_unit_test(test_asic_campaign_finds_a_swallowed_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
