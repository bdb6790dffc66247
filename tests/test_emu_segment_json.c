/* SPDX-License-Identifier: MIT */
/*
 * A segment from a bus's options object: the one reader the bus driver and lb-emud share,
 * through the options reader (errors "ORIGIN: FIELD: reason" in the options' document).
 */
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
	struct lb_options *o;
	assert_int_equal(lb_options_parse("{\"clock_khz\": 1000, \"mux_addr\": 112, \"modules\": ["
					  "{\"channel\": 0, \"profile\": \"400g-fr4-qsfpdd\"},"
					  "{\"channel\": 3, \"addr\": 81, \"profile\": \"800g-dr8-osfp\"}]}",
					  "bus.json", &o, NULL, 0),
			 LB_OK);
	assert_int_equal(lb_emu_segment_create_from_options(w, o, data_dir(), &seg, p, 4, &n), LB_OK);
	assert_string_equal(lb_options_error(o), "");
	lb_options_free(o);
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

static void expect_refused(const char *json, int status, const char *message)
{
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_segment *seg;
	struct lb_emu_placement p[2];
	unsigned n = 99;
	struct lb_options *o;
	assert_int_equal(lb_options_parse(json, "bus.json", &o, NULL, 0), LB_OK);
	assert_int_equal(lb_emu_segment_create_from_options(w, o, data_dir(), &seg, p, 2, &n), status);
	assert_int_equal(n, 0);
	if (strncmp(lb_options_error(o), message, strlen(message)) != 0)
		fail_msg("error '%s' does not start '%s'", lb_options_error(o), message);
	lb_options_free(o);
	lb_emu_world_destroy(w);
}

static void test_bad_options_refused(void **state)
{
	(void)state;
	expect_refused("[1]", LB_E_PARSE, "bus.json: (top): not a JSON object");
	/* ranges checked on the JSON integer: 2^32 + 400 is not 400 */
	expect_refused("{\"clock_khz\": 4294967696}", LB_E_RANGE,
		       "bus.json: clock_khz: 4294967696 is out of range 1..4294967295");
	expect_refused("{\"clock_khz\": 250}", LB_E_RANGE, "bus.json: clock_khz: 250 kHz: must be 100, 400 or 1000");
	expect_refused("{\"mux_addr\": 200}", LB_E_RANGE, "bus.json: mux_addr: 200 is out of range -1..127");
	expect_refused("{\"modules\": {}}", LB_E_PARSE, "bus.json: modules: not a list");
	expect_refused("{\"modules\": [{\"channel\": 4294967296, \"profile\": \"x\"}]}", LB_E_RANGE,
		       "bus.json: modules[0].channel: 4294967296 is out of range -1..7");
	expect_refused("{\"modules\": [{\"addr\": 65616, \"profile\": \"x\"}]}", LB_E_RANGE,
		       "bus.json: modules[0].addr: 65616 is out of range 0..127");
	expect_refused("{\"modules\": [{\"profile\": \"a\", \"image\": \"b\"}]}", LB_E_PARSE,
		       "bus.json: modules[0]: give exactly one of \"profile\" or \"image\"");
	expect_refused("{\"modules\": [{\"profile\": \"x\", \"chanel\": 1}]}", LB_E_PARSE,
		       "bus.json: modules[0].chanel: unknown field");
	/* the module loader's own message follows the entry that named the file */
	expect_refused("{\"modules\": [{\"profile\": \"no-such-profile\"}]}", LB_E_NOTFOUND,
		       "bus.json: modules[0]: ");
	/* the second module fails: the first is destroyed again, nothing is reported placed */
	expect_refused("{\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}, {\"profile\": \"400g-fr4-qsfpdd\"}]}",
		       LB_E_EXISTS, "bus.json: modules[1]: address already taken on this bus or mux channel");
	expect_refused("{\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}, {\"channel\": 1, \"profile\": "
		       "\"400g-fr4-qsfpdd\"}, {\"channel\": 2, \"profile\": \"400g-fr4-qsfpdd\"}]}",
		       LB_E_RANGE, "bus.json: modules: 3 entries, at most 2");
}

/* Options that sit inside a bigger document (a platform file) are named by their whole path. */
static void test_errors_name_the_whole_path(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_options *doc;
	assert_int_equal(lb_options_parse("{\"buses\": [{\"options\": {\"modules\": [{\"profile\": "
					  "\"400g-fr4-qsfpdd\"}, {\"channel\": 9, \"profile\": \"x\"}]}}]}",
					  "platform.json", &doc, NULL, 0),
			 LB_OK);
	const struct lb_options *buses, *bus, *opts;
	size_t nb;
	assert_int_equal(lb_options_get_array(doc, "buses", 1, 1, &buses, &nb), LB_OK);
	assert_int_equal(lb_options_at(buses, 0, NULL, &bus), LB_OK);
	assert_int_equal(lb_options_get_object(bus, "options", &opts), LB_OK);
	struct lb_emu_segment *seg;
	struct lb_emu_placement p[4];
	unsigned n = 99;
	assert_int_equal(lb_emu_segment_create_from_options(w, opts, data_dir(), &seg, p, 4, &n), LB_E_RANGE);
	assert_int_equal(n, 0);
	assert_string_equal(lb_options_error(doc),
			    "platform.json: buses[0].options.modules[1].channel: 9 is out of range -1..7");
	lb_options_free(doc);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builds_modules_behind_a_mux),
		cmocka_unit_test(test_bad_options_refused),
		cmocka_unit_test(test_errors_name_the_whole_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
