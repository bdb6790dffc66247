/* SPDX-License-Identifier: MIT */
/*
 * What the link model refuses or flags: an amplifier short of gain, a launch the amplifiers
 * cannot give (clamped, and said so), an optimum on a clamp, the system margin in the verdict,
 * an out-of-tolerance impairment named by limited_by, a dark link without signal figures, and
 * the size rule of the sized structs (lb_link_path, lb_link_result).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/link.h>

static struct lb_line_modes modes;

static int setup(void **state)
{
	(void)state;
	const char *d = getenv("LB_DATADIR");
	char file[1024], err[512];
	snprintf(file, sizeof(file), "%s/link/modes.json", d && *d ? d : LB_SOURCE_DIR);
	int rc = lb_line_modes_load(file, &modes, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	return rc ? -1 : 0;
}

static int teardown(void **state)
{
	(void)state;
	lb_line_modes_free(&modes);
	return 0;
}

static const struct lb_line_mode *mode(const char *id)
{
	const struct lb_line_mode *m = lb_line_modes_find(&modes, id);
	assert_non_null(m);
	return m;
}

static void near(double got, double want, double tol, const char *what)
{
	if (!(fabs(got - want) <= tol)) {
		print_error("%s: got %.4f, want %.4f (±%g)\n", what, got, want, tol);
		fail();
	}
}

/* The §10 path: spans of 83.33 km, NF 5 dB, 5 dB demux, launch given. */
static struct lb_link_path *path_of(double km, unsigned spans, double launch_dbm)
{
	static struct lb_link_path p;
	assert_int_equal(lb_link_path_init(&p, km, spans), LB_OK);
	p.launch_dbm = launch_dbm;
	p.demux_loss_db = 5.0;
	return &p;
}

static struct lb_link_result eval(const struct lb_link_path *p, const char *id,
				  enum lb_link_launch launch)
{
	struct lb_link_eval_opts o = { .launch = launch };
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(p, mode(id), &o, &r), LB_OK);
	return r;
}

/* A span whose loss no amplifier makes up is refused; within the limit it is evaluated. */
static void test_amplifier_gain_limit(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, 3.0);
	unsigned span = 99;
	double gain = 0;
	assert_int_equal(lb_link_path_gain_check(p, &span, &gain), LB_OK);
	assert_int_equal(span, 99); /* untouched when every amplifier can */
	/* Span 4 of 160 km: 33 dB, within the default 35 dB. */
	p->spans[3].length_km = 160.0;
	assert_int_equal(lb_link_path_check(p), LB_OK);
	/* 200 km: 41 dB, beyond it. */
	p->spans[3].length_km = 200.0;
	assert_int_equal(lb_link_path_gain_check(p, &span, &gain), LB_E_RANGE);
	assert_int_equal(span, 3);
	near(gain, 41.0, 1e-9, "gain needed");
	assert_int_equal(lb_link_path_check(p), LB_E_RANGE);
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(p, mode("800g-pcs-131e"), NULL, &r), LB_E_RANGE);
	/* An amplifier with more gain makes it up. */
	p->amp_max_gain_db = 42.0;
	assert_int_equal(lb_link_path_check(p), LB_OK);
	assert_int_equal(lb_link_evaluate(p, mode("800g-pcs-131e"), NULL, &r), LB_OK);
	/* A gain given explicitly is what is checked; an unamplified span needs none. */
	p->amp_max_gain_db = 0.0;
	p->spans[3].length_km = 83.33;
	p->spans[2].amp_gain_db = 38.0;
	assert_int_equal(lb_link_path_gain_check(p, &span, &gain), LB_E_RANGE);
	assert_int_equal(span, 2);
	near(gain, 38.0, 1e-9, "given gain");
	p->spans[2].amplified = false;
	assert_int_equal(lb_link_path_gain_check(p, NULL, NULL), LB_OK);
	/* Limits out of physical range are refused. */
	p->amp_max_gain_db = 60.0;
	assert_int_equal(lb_link_path_check(p), LB_E_RANGE);
	p->amp_max_gain_db = 0.0;
	p->amp_max_output_dbm = 50.0;
	assert_int_equal(lb_link_path_check(p), LB_E_RANGE);
	p->amp_max_output_dbm = NAN;
	assert_int_equal(lb_link_path_check(p), LB_E_INVAL);
}

/* A launch the amplifiers cannot give every channel is evaluated at their most, and flagged. */
static void test_amplifier_output_limit(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, 3.0);
	/* 800G PCS "E": 29 channels; 25 dBm in all is 10.4 dBm each. */
	struct lb_link_result r = eval(p, "800g-pcs-131e", LB_LINK_LAUNCH_PATH);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_NONE);
	near(r.launch_max_dbm, 25.0 - 10.0 * log10(29.0), 1e-9, "most per channel");
	near(r.launch_dbm, 3.0, 0.0, "launch as given");
	p->launch_dbm = 15.0;
	r = eval(p, "800g-pcs-131e", LB_LINK_LAUNCH_PATH);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_AMP_OUTPUT);
	near(r.launch_dbm, r.launch_max_dbm, 1e-12, "clamped to the amplifiers' output");
	near(r.rx_power_dbm, r.launch_max_dbm - 5.0, 1e-9, "Rx follows the launch used");
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_GIVEN, .launch_dbm = 15.0 };
	assert_int_equal(lb_link_evaluate(p, mode("800g-pcs-131e"), &o, &r), LB_OK);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_AMP_OUTPUT);
	/* An amplifier whose gain exceeds its span's loss raises every later input: the limit
	 * follows the highest output. */
	p->launch_dbm = 0.0;
	p->spans[1].amp_gain_db = 0.20 * p->spans[1].length_km + 1.0 + 3.0;
	r = eval(p, "800g-pcs-131e", LB_LINK_LAUNCH_PATH);
	near(r.launch_max_dbm, 25.0 - 10.0 * log10(29.0) - 3.0, 1e-3, "after a 3 dB over-gain");
	/* 100 spans of 1 km, each amplified by 35 dB: 3,400 dB above the launch. Refused, never
	 * an infinite launch limit. */
	p = path_of(100, 100, 0.0);
	for (unsigned i = 0; i < p->span_count; i++)
		p->spans[i].amp_gain_db = 35.0;
	assert_int_equal(lb_link_path_check(p), LB_OK);
	assert_int_equal(lb_link_evaluate(p, mode("800g-pcs-131e"), NULL, &r), LB_E_RANGE);
	assert_int_equal(lb_link_optimal_launch(p, mode("800g-pcs-131e"), &r.launch_dbm), LB_E_RANGE);
}

/* An optimum beyond the launch range or the amplifiers' output lands on a clamp, named. */
static void test_optimum_on_clamp(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, 0.0);
	struct lb_link_result r = eval(p, "800g-16qam-118", LB_LINK_LAUNCH_OPTIMAL);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_NONE);
	near(r.launch_dbm, 3.8, 0.05, "free optimum");
	/* Amplifiers of 15 dBm total give 32 channels 0 dBm each: the optimum is cut there. */
	p->amp_max_output_dbm = 15.0;
	r = eval(p, "800g-16qam-118", LB_LINK_LAUNCH_OPTIMAL);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_AMP_OUTPUT);
	near(r.launch_dbm, 15.0 - 10.0 * log10(32.0), 1e-9, "optimum at the amplifiers' most");
	double opt;
	assert_int_equal(lb_link_optimal_launch(p, mode("800g-16qam-118"), &opt), LB_OK);
	near(opt, r.launch_dbm, 1e-12, "lb_link_optimal_launch agrees");
	/* No amplifier at all: no ASE to outweigh the NLI, the optimum is the range's bottom. */
	p = path_of(40, 1, 0.0);
	p->spans[0].amplified = false;
	r = eval(p, "400zr", LB_LINK_LAUNCH_OPTIMAL);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_MIN);
	near(r.launch_dbm, LB_LINK_LAUNCH_MIN_DBM, 0.0, "at the range's bottom");
	/* No NLI: the top of the range, then the amplifiers' most. */
	p = path_of(500, 6, 0.0);
	for (unsigned i = 0; i < p->span_count; i++)
		p->spans[i].gamma_per_w_km = 0.0;
	p->amp_max_output_dbm = 35.0;
	p->channel_count = 1;
	r = eval(p, "400zr", LB_LINK_LAUNCH_OPTIMAL);
	assert_int_equal(r.launch_clamp, LB_LINK_CLAMP_MAX);
	near(r.launch_dbm, LB_LINK_LAUNCH_MAX_DBM, 0.0, "at the range's top");
	assert_string_equal(lb_link_launch_clamp_name(LB_LINK_CLAMP_AMP_OUTPUT), "amp_output");
	assert_string_equal(lb_link_launch_clamp_name(LB_LINK_CLAMP_NONE), "none");
}

/* The system margin enters the verdict (and limited_by), not the margin itself. */
static void test_system_margin(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, 3.0);
	struct lb_link_result r = eval(p, "800g-16qam-118", LB_LINK_LAUNCH_PATH);
	assert_true(r.closes);
	near(r.margin_db, 1.44, 0.05, "margin (§10.1)");
	near(r.system_margin_db, 0.0, 0.0, "none by default");
	p->system_margin_db = 1.0;
	r = eval(p, "800g-16qam-118", LB_LINK_LAUNCH_PATH);
	assert_true(r.closes);
	p->system_margin_db = 2.0;
	r = eval(p, "800g-16qam-118", LB_LINK_LAUNCH_PATH);
	assert_false(r.closes);
	near(r.margin_db, 1.44, 0.05, "margin unchanged");
	near(r.system_margin_db, 2.0, 0.0, "the path's");
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_OSNR);
	p->system_margin_db = 25.0;
	assert_int_equal(lb_link_path_check(p), LB_E_RANGE);
	p->system_margin_db = -1.0;
	assert_int_equal(lb_link_path_check(p), LB_E_RANGE);
}

/* Out of tolerance: limited_by names the impairment even when the OSNR is short by more. */
static void test_out_of_tolerance_limits(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(1000, 12, -10.0);
	struct lb_link_result r = eval(p, "400zr", LB_LINK_LAUNCH_PATH);
	assert_true(r.out_of_range & LB_LINK_OOR_CD);
	assert_true(r.margin_db < -10.0); /* the OSNR reach factor is below the CD one */
	assert_false(r.closes);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_CD);
	near(r.penalty_cd_db, 0.0, 0.0, "the infinite penalty is left out");
}

/* A dark link keeps the path's figures and has no signal figures. */
static void test_dark_link(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, -15.0);
	p->demux_loss_db = 30.0;
	struct lb_link_result r = eval(p, "800g-pcs-131e", LB_LINK_LAUNCH_PATH);
	assert_int_equal(r.state, LB_LINK_STATE_LOS);
	assert_false(r.closes);
	assert_int_equal(r.fec_state, LB_LINK_FEC_NONE);
	assert_true(r.pre_fec_ber == 0.0 && r.margin_db == 0.0 && r.osnr_db == 0.0);
	near(r.cd_ps_nm, 8350.0, 0.5, "CD of the path");
	near(r.latency_one_way_ms, 2.449, 0.001, "latency");
	near(r.launch_dbm, -15.0, 0.0, "launch");
	near(r.rx_power_dbm, LB_LINK_NO_SIGNAL_DBM, 0.0, "no signal");
}

/* The size rule: below the first layout refused, nothing written; larger gets our bytes. */
static void test_sized_structs(void **state)
{
	(void)state;
	struct lb_link_path *p = path_of(500, 6, 3.0);
	assert_int_equal(p->size, sizeof(*p));
	struct lb_link_result r;
	memset(&r, 0x5a, sizeof(r));
	r.size = 0;
	assert_int_equal(lb_link_evaluate(p, mode("400zr"), NULL, &r), LB_E_INVAL);
	assert_int_equal(r.size, 0);
	assert_int_equal(((const unsigned char *)&r)[sizeof(r) - 1], 0x5a);
	r.size = LB_LINK_RESULT_SIZE_V1 - 1;
	assert_int_equal(lb_link_evaluate(p, mode("400zr"), NULL, &r), LB_E_INVAL);
	/* A caller built with a larger layout: its tail is left alone. */
	struct {
		struct lb_link_result r;
		uint64_t newer;
	} big;
	memset(&big, 0, sizeof(big));
	big.r.size = sizeof(big);
	big.newer = 0x1234;
	assert_int_equal(lb_link_evaluate(p, mode("400zr"), NULL, &big.r), LB_OK);
	assert_int_equal(big.r.size, sizeof(struct lb_link_result));
	assert_int_equal(big.newer, 0x1234);
	/* A path without its size is refused everywhere. */
	struct lb_link_path *q = calloc(1, sizeof(*q));
	assert_non_null(q);
	*q = *p;
	q->size = 0;
	r = (struct lb_link_result)LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_path_check(q), LB_E_INVAL);
	assert_int_equal(lb_link_path_gain_check(q, NULL, NULL), LB_E_INVAL);
	assert_int_equal(lb_link_evaluate(q, mode("400zr"), NULL, &r), LB_E_INVAL);
	double opt;
	assert_int_equal(lb_link_optimal_launch(q, mode("400zr"), &opt), LB_E_INVAL);
	free(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_amplifier_gain_limit),
		cmocka_unit_test(test_amplifier_output_limit),
		cmocka_unit_test(test_optimum_on_clamp),
		cmocka_unit_test(test_system_margin),
		cmocka_unit_test(test_out_of_tolerance_limits),
		cmocka_unit_test(test_dark_link),
		cmocka_unit_test(test_sized_structs),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
