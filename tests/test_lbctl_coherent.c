/* SPDX-License-Identifier: MIT */
/*
 * The coherent section of `lbctl show` and `lbctl decode` (tools/lbctl/show_coherent.c): on
 * the emulated coherent module (port 1 of the default platform), on a module that is not
 * coherent (port 3: no section), and on the real 800ZR image (decode: the laser of page 12h
 * and the VDM values the image holds, within 80 columns).
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
#include "image_file.h"
#include "lbctl_run.h"
#include "test_run.h"

static struct lbctl_run run;

/* The coherent section (from its first line on) fits 80 columns, tabs at 8. */
static void assert_fits_80(const char *text)
{
	size_t col = 0;
	const char *from = strstr(text, "  Coherent (C-CMIS)");
	assert_non_null(from);
	for (const char *p = from; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		col = *p == '\t' ? (col / 8 + 1) * 8 : col + 1;
		assert_true(col <= 80);
	}
}

static void test_show_coherent_text(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_true(lbctl_has_kv(run.out, "Coherent (C-CMIS)", "yes"));
	assert_non_null(strstr(run.out, "  75 GHz           -72..120         191300.000..196100.000\n"));
	assert_non_null(strstr(run.out, "  150 GHz          -72..114         191375.000..196025.000\n"));
	assert_true(lbctl_has_kv(run.out, "Programmable Tx power", "-13.00..1.00 dBm"));
	assert_true(lbctl_has_kv(run.out, "Laser 1 configured frequency", "193100.000 GHz"));
	assert_true(lbctl_has_kv(run.out, "Laser 1 Tx power target", "-10.00 dBm"));
	assert_true(lbctl_has_kv(run.out, "Laser 1 tuning", "locked"));
	assert_fits_80(run.out);
	/* a module that is neither coherent nor tunable has no such section */
	assert_int_equal(lbctl_run(&run, "show 3"), 0);
	assert_null(strstr(run.out, "Coherent (C-CMIS)  "));
	assert_null(strstr(run.out, "Laser 1"));
}

static void test_show_coherent_json(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "show 1 --json"), 0);
	json_error_t e;
	json_t *o = json_loads(run.out, 0, &e);
	assert_non_null(o);
	json_t *c = json_object_get(o, "coherent");
	assert_true(json_is_true(json_object_get(c, "coherent")));
	json_t *caps = json_object_get(c, "laser_capabilities");
	assert_int_equal(json_array_size(json_object_get(caps, "grids")), 3);
	assert_true(json_real_value(json_object_get(caps, "tx_power_max_dbm")) == 1.0);
	json_t *l = json_array_get(json_object_get(c, "lasers"), 0);
	assert_int_equal(json_integer_value(json_object_get(l, "lane")), 1);
	assert_string_equal(json_string_value(json_object_get(l, "grid")), "75 GHz");
	assert_true(json_real_value(json_object_get(l, "current_frequency_ghz")) == 193100.0);
	assert_string_equal(json_string_value(json_object_get(l, "tuning_state")), "locked");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "show 3 --json"), 0);
	o = json_loads(run.out, 0, &e);
	assert_non_null(o);
	assert_null(json_object_get(o, "coherent"));
	json_decref(o);
}

static void test_real_images_decode_800zr(void **unused)
{
	(void)unused;
	char path[4200], args[4300];
	const char *dir = lb_test_modules_dir();
	snprintf(args, sizeof(args), "decode %s",
		 lb_test_path(path, sizeof(path), dir, "acacia-dp08sfp8-800zr-osfp-fboss.txt"));
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_true(lbctl_has_kv(run.out, "Coherent (C-CMIS)", "yes"));
	/* FBOSS: laser frequency 193100000 MHz */
	assert_true(lbctl_has_kv(run.out, "Laser 1 current frequency", "193100.000 GHz"));
	assert_true(lbctl_has_kv(run.out, "VDM observables (bank 0)", "127 in 4 groups"));
	/* the page 27h values FBOSS decodes */
	assert_non_null(strstr(run.out, "  OSNR                             1              33.900 dB\n"));
	assert_non_null(strstr(run.out, "  eSNR                             1              15.600 dB\n"));
	assert_non_null(strstr(run.out, "  Modulator bias X/I               1              45.916 %\n"));
	assert_non_null(
		strstr(run.out, "  SOPMD (low granularity)          1              69.000 ps^2\n"));
	assert_non_null(strstr(run.out, "  Pre-FEC BER min (host)           1           4.740e-08\n"));
	assert_fits_80(run.out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_show_coherent_text),
		cmocka_unit_test(test_show_coherent_json),
		cmocka_unit_test(test_real_images_decode_800zr),
	};
	if (lbctl_run_setup(&run, "coherent"))
		return 1;
	int rc = LB_TEST_RUN(tests, NULL, NULL);
	lbctl_run_teardown(&run);
	return rc;
}
