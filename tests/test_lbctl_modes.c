/* SPDX-License-Identifier: MIT */
/*
 * lbctl tune, txpower, mode and list --power, and show's line mode and power per bit, on the
 * platform with the PCS module (platforms/emulated-coherent-pcs.json: port 1 the PCS module,
 * port 2 a first-slice coherent module, port 3 a 400G-FR4): text within 80 columns, JSON,
 * bad input with its exit code and nothing changed.
 */
#include <jansson.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "lbctl_run.h"
#include "test_run.h"

static struct lbctl_run run;
#define PCS_PLATFORM "--platform " LB_SOURCE_DIR "/platforms/emulated-coherent-pcs.json "

static int lb(const char *args)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), PCS_PLATFORM "%s", args);
	return lbctl_run(&run, cmd);
}

static void assert_fits_80(const char *text)
{
	size_t col = 0;
	for (const char *p = text; *p; p++) {
		col = *p == '\n' ? 0 : col + 1;
		assert_true(col <= 80);
	}
}

static json_t *out_json(void)
{
	json_error_t e;
	json_t *j = json_loads(run.out, 0, &e);
	if (!j)
		fail_msg("not JSON (%s): %s", e.text, run.out);
	return j;
}

static void test_mode_list_and_set(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh mode 1 list"), 0);
	assert_fits_80(run.out);
	assert_non_null(strstr(run.out, "9 line modes, extension pcs-vendor-page"));
	assert_non_null(strstr(run.out, "* 800zr "));
	assert_non_null(strstr(run.out, "  800g-pcs-131e       PCS H3.60    800  131.30 oFEC    1120   32.5 1   vendor\n"));
	assert_int_equal(lb("mode 1 set 800g-pcs-131e"), 0);
	assert_non_null(strstr(run.out, "port 1: line mode 800g-pcs-131e in force"));
	assert_int_equal(lb("mode 1 list --json"), 0);
	json_t *j = out_json();
	assert_string_equal(json_string_value(json_object_get(j, "line_mode")), "800g-pcs-131e");
	json_t *modes = json_object_get(j, "modes");
	assert_int_equal(json_array_size(modes), 9);
	json_t *e = json_array_get(modes, 6);
	assert_string_equal(json_string_value(json_object_get(e, "id")), "800g-pcs-131e");
	assert_true(json_is_true(json_object_get(e, "in_force")));
	assert_true(fabs(json_real_value(json_object_get(e, "entropy_bits")) - 3.6) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(e, "reach_km")) - 1120) < 1e-9);
	assert_int_equal(json_integer_value(json_object_get(e, "vendor_code")), 1);
	assert_true(json_is_null(json_object_get(json_array_get(modes, 7), "reach_km")));
	json_decref(j);
	/* show's coherent section: the mode and the power per bit */
	assert_int_equal(lb("show 1 --section coherent"), 0);
	assert_true(lbctl_has_kv(run.out, "Line mode", "800g-pcs-131e"));
	assert_true(lbctl_has_kv(run.out, "Power per bit (max)", "35.0 W/Tb/s = pJ/bit (28.00 W, 800 Gb/s)"));
	assert_true(lbctl_has_kv(run.out, "Power per bit (measured)", "32.5 W/Tb/s = pJ/bit (26.00 W)"));
	assert_fits_80(run.out);
	assert_int_equal(lb("show 1 --json --section coherent"), 0);
	j = out_json();
	json_t *c = json_object_get(j, "coherent");
	assert_string_equal(json_string_value(json_object_get(c, "line_mode")), "800g-pcs-131e");
	json_t *ppb = json_object_get(c, "power_per_bit");
	assert_true(fabs(json_real_value(json_object_get(ppb, "measured_pj_per_bit")) - 32.5) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(ppb, "line_rate_gbps")) - 800) < 1e-9);
	json_decref(j);
	/* back to the application's mode */
	assert_int_equal(lb("mode 1 set 800zr --json"), 0);
	j = out_json();
	assert_string_equal(json_string_value(json_object_get(j, "line_mode")), "800zr");
	assert_true(json_real_value(json_object_get(j, "elapsed_ms")) > 2000.0);
	json_decref(j);
}

static void test_mode_bad_input(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh mode 1 set 1600g-magic"), 3);
	assert_non_null(strstr(run.err, "not found"));
	assert_non_null(strstr(run.err, "800g-pcs-131e")); /* what it offers */
	assert_int_equal(lb("mode 3 set 800g-pcs-131e"), 6); /* no extension: PCS refused */
	assert_non_null(strstr(run.err, "no extension"));
	assert_int_equal(lb("mode 1 set 800g-pcs-131e --lanes 0x0f"), 2);
	assert_int_equal(lb("mode 1 set 800g-pcs-131e --lanes zz"), 2);
	assert_int_equal(lb("mode 1 frobnicate"), 2);
	assert_int_equal(lb("mode 1 set"), 2);
	assert_int_equal(lb("mode 1 list 800zr"), 2);
	assert_int_equal(lb("mode 9 list"), 3);
	assert_int_equal(lb("mode 3 list"), 0);
	assert_non_null(strstr(run.out, "0 line modes"));
	/* nothing changed */
	assert_int_equal(lb("mode 1 list --json"), 0);
	json_t *j = out_json();
	assert_string_equal(json_string_value(json_object_get(j, "line_mode")), "800zr");
	json_decref(j);
	assert_int_equal(lb("mode --help"), 0);
	assert_non_null(strstr(run.out, "usage: lbctl mode PORT list"));
	assert_fits_80(run.out);
}

static void test_tune(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh tune 1 --freq-ghz 194100"), 0);
	assert_non_null(strstr(run.out, "port 1 laser 1: 194100.000 GHz (100 GHz grid, channel 10), locked\n"));
	assert_non_null(strstr(run.out, "(tuning time 1000 ms, stated by the module)"));
	assert_fits_80(run.out);
	assert_int_equal(lb("tune 1 --grid 75 --channel -72 --json"), 0);
	json_t *j = out_json();
	assert_true(fabs(json_real_value(json_object_get(j, "frequency_ghz")) - 191300.0) < 1e-6);
	assert_int_equal(json_integer_value(json_object_get(j, "channel")), -72);
	assert_true(json_is_true(json_object_get(j, "tuning_time_stated")));
	assert_true(json_integer_value(json_object_get(j, "tuning_flags")) & 1); /* complete */
	json_decref(j);
	/* fine tuning: 193.1003 THz is channel 0 of the 75 GHz grid + 300 MHz */
	assert_int_equal(lb("tune 1 --freq-ghz 193100.3 --no-wait --json"), 0);
	j = out_json();
	assert_true(fabs(json_real_value(json_object_get(j, "configured_frequency_ghz")) - 193100.3) < 1e-6);
	assert_true(fabs(json_real_value(json_object_get(j, "fine_offset_ghz")) - 0.3) < 1e-6);
	assert_string_equal(json_string_value(json_object_get(j, "tuning_state")), "in progress");
	json_decref(j);
	/* the first-slice module states no tuning time: the default bound */
	assert_int_equal(lb("tune 2 --freq-ghz 193200"), 0);
	assert_non_null(strstr(run.out, "(tuning time 30000 ms, default: CMIS states none)"));
}

static void test_tune_bad_input(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh tune 1 --freq-ghz 193100.05"), 4); /* off-grid, no fine step */
	assert_non_null(strstr(run.err, "value out of range"));
	assert_int_equal(lb("tune 1 --freq-ghz 200000"), 4);            /* out of range */
	assert_int_equal(lb("tune 1 --grid 50 --channel 2"), 4);        /* unsupported grid */
	assert_non_null(strstr(run.err, "50 GHz grid is not one the module advertises"));
	assert_int_equal(lb("tune 1 --grid 75 --channel 1"), 4);        /* not a multiple of 3 */
	assert_int_equal(lb("tune 1 --grid 75 --channel 123"), 4);      /* beyond the bounds */
	assert_int_equal(lb("tune 1 --grid 60 --channel 1"), 2);        /* no such grid */
	assert_int_equal(lb("tune 1 --grid 75"), 2);
	assert_int_equal(lb("tune 1 --freq-ghz 193100 --grid 75 --channel 0"), 2);
	assert_int_equal(lb("tune 1"), 2);
	assert_int_equal(lb("tune 1 --freq-ghz abc"), 2);
	assert_int_equal(lb("tune 1 --grid 75 --channel 40000"), 2);
	assert_int_equal(lb("tune 1 --freq-ghz 193100 --lane 0"), 2);
	assert_int_equal(lb("tune 1 --freq-ghz 193100 --lane 9"), 2);   /* the module has lanes 1-8 */
	assert_int_equal(lb("tune 3 --freq-ghz 193100"), 6);            /* not tunable */
	/* nothing was written: the laser is where it was */
	assert_int_equal(lb("show 1 --json --section coherent"), 0);
	json_t *j = out_json();
	json_t *l = json_array_get(json_object_get(json_object_get(j, "coherent"), "lasers"), 0);
	assert_true(fabs(json_real_value(json_object_get(l, "configured_frequency_ghz")) - 193100.0) < 1e-6);
	json_decref(j);
}

static void test_txpower(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh txpower 1 -3.25"), 0);
	assert_string_equal(run.out, "port 1 laser 1: Tx power target -3.25 dBm (range -13.00..1.00 dBm)\n");
	assert_int_equal(lb("txpower 1 -- -4"), 0);
	assert_int_equal(lb("txpower 1 --lane 1 0.5 --json"), 0);
	json_t *j = out_json();
	assert_true(fabs(json_real_value(json_object_get(j, "tx_power_target_dbm")) - 0.5) < 1e-9);
	json_decref(j);
	assert_int_equal(lb("txpower 1 5"), 4);   /* above the range */
	assert_int_equal(lb("txpower 1 -20"), 4); /* below it */
	assert_int_equal(lb("txpower 1 loud"), 2);
	assert_int_equal(lb("txpower 1"), 2);
	assert_int_equal(lb("txpower 3 -3"), 6);  /* not tunable */
	assert_int_equal(lb("txpower 1 -3 --lane 9"), 2);
	assert_int_equal(lb("show 1 --section coherent"), 0);
	assert_true(lbctl_has_kv(run.out, "Laser 1 Tx power target", "0.50 dBm"));
}

static void test_list_power(void **unused)
{
	(void)unused;
	assert_int_equal(lb("--fresh list --power"), 0);
	assert_fits_80(run.out);
	assert_non_null(strstr(run.out, "1     800zr                  800   28.00     35.0     22.50       28.1\n"));
	assert_non_null(strstr(run.out, "3     -                      400   10.00     25.0         -          -\n"));
	assert_non_null(strstr(run.out, "all   3 modules             2000   62.00     31.0     22.50       28.1\n"));
	assert_int_equal(lb("list --power --json"), 0);
	json_t *j = out_json();
	json_t *t = json_object_get(json_object_get(j, "power_per_bit"), "total");
	assert_int_equal(json_integer_value(json_object_get(t, "modules")), 3);
	assert_true(fabs(json_real_value(json_object_get(t, "max_power_w")) - 62.0) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(t, "line_rate_gbps")) - 2000.0) < 1e-9);
	assert_true(fabs(json_real_value(json_object_get(t, "max_pj_per_bit")) - 31.0) < 1e-9);
	json_decref(j);
	/* without --power, list is as it was */
	assert_int_equal(lb("list"), 0);
	assert_null(strstr(run.out, "Power per bit"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mode_list_and_set),
		cmocka_unit_test(test_mode_bad_input),
		cmocka_unit_test(test_tune),
		cmocka_unit_test(test_tune_bad_input),
		cmocka_unit_test(test_txpower),
		cmocka_unit_test(test_list_power),
	};
	if (lbctl_run_setup(&run, "modes"))
		return 1;
	int rc = LB_TEST_RUN(tests, NULL, NULL);
	lbctl_run_teardown(&run);
	return rc;
}
