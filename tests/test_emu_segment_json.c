/* SPDX-License-Identifier: MIT */
/* A segment from a bus's options JSON: the one reader the bus driver and lb-emud share. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

static const char *data_dir(void)
{
	const char *d = getenv("LB_DATADIR");
	return d ? d : LB_SOURCE_DIR;
}

static void test_builds_modules_behind_a_mux(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_segment *seg;
	struct lb_emu_placement p[4];
	unsigned n = 99;
	char err[256] = "";
	assert_int_equal(lb_emu_segment_create_from_json(
				 w, "{\"clock_khz\": 1000, \"mux_addr\": 112, \"modules\": ["
				    "{\"channel\": 0, \"profile\": \"400g-fr4-qsfpdd\"},"
				    "{\"channel\": 3, \"addr\": 81, \"profile\": \"800g-dr8-osfp\"}]}",
				 data_dir(), &seg, p, 4, &n, err, sizeof(err)),
			 LB_OK);
	assert_int_equal(n, 2);
	assert_int_equal(lb_emu_segment_clock_khz(seg), 1000);
	assert_int_equal(p[1].channel, 3);
	assert_int_equal(p[1].addr, 81);
	assert_non_null(strstr(p[0].source, "emulator/profiles/400g-fr4-qsfpdd.json"));
	/* reachable as a host would: select mux channel 3, then read byte 0 at 0x51 */
	uint8_t ch = 1u << 3, off = 0, id = 0;
	struct lb_i2c_msg sel = { .addr = 112, .len = 1, .buf = &ch };
	assert_int_equal(lb_emu_segment_xfer(seg, &sel, 1), LB_OK);
	struct lb_i2c_msg rd[2] = { { .addr = 81, .len = 1, .buf = &off },
				    { .addr = 81, .flags = LB_I2C_M_RD, .len = 1, .buf = &id } };
	assert_int_equal(lb_emu_segment_xfer(seg, rd, 2), LB_OK);
	assert_int_equal(id, 0x19); /* OSFP */
	lb_emu_world_destroy(w);
}

static void expect_refused(const char *json, int status, const char *needle)
{
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_segment *seg;
	struct lb_emu_placement p[2];
	unsigned n = 99;
	char err[512] = "";
	assert_int_equal(lb_emu_segment_create_from_json(w, json, data_dir(), &seg, p, 2, &n, err,
							 sizeof(err)),
			 status);
	assert_int_equal(n, 0);
	if (!strstr(err, needle))
		fail_msg("error '%s' does not say '%s'", err, needle);
	lb_emu_world_destroy(w);
}

static void test_bad_options_refused(void **state)
{
	(void)state;
	expect_refused("[1]", LB_E_PARSE, "not a JSON object");
	expect_refused("{\"clock_khz\": 4294967696}", LB_E_PARSE, "clock_khz");
	expect_refused("{\"clock_khz\": 250}", LB_E_PARSE, "clock_khz");
	expect_refused("{\"mux_addr\": 200}", LB_E_PARSE, "mux_addr");
	expect_refused("{\"modules\": {}}", LB_E_PARSE, "modules: not an array");
	expect_refused("{\"modules\": [{\"channel\": 4294967296, \"profile\": \"x\"}]}", LB_E_PARSE,
		       "modules[0].channel");
	expect_refused("{\"modules\": [{\"addr\": 65616, \"profile\": \"x\"}]}", LB_E_PARSE,
		       "modules[0].addr");
	expect_refused("{\"modules\": [{\"profile\": \"a\", \"image\": \"b\"}]}", LB_E_PARSE,
		       "exactly one");
	expect_refused("{\"modules\": [{\"profile\": \"no-such-profile\"}]}", LB_E_NOTFOUND,
		       "no-such-profile");
	/* the second module fails: the first is destroyed again, nothing is reported placed */
	expect_refused("{\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}, {\"profile\": \"400g-fr4-qsfpdd\"}]}",
		       LB_E_PARSE, "already taken");
	expect_refused("{\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}, {\"channel\": 1, \"profile\": "
		       "\"400g-fr4-qsfpdd\"}, {\"channel\": 2, \"profile\": \"400g-fr4-qsfpdd\"}]}",
		       LB_E_PARSE, "more than 2");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builds_modules_behind_a_mux),
		cmocka_unit_test(test_bad_options_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
