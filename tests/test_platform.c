/* SPDX-License-Identifier: MIT */
/* Platform descriptions: the embedded default, and bad files refused with file, field and reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

static struct lb_ctx *ctx;

static int setup(void **state)
{
	(void)state;
	int rc = lb_ctx_create(&ctx);
	return rc ? rc : lb_emu_register_drivers(ctx);
}

static int teardown(void **state)
{
	(void)state;
	lb_ctx_destroy(ctx);
	return 0;
}

static void test_default_platform(void **state)
{
	(void)state;
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	assert_string_equal(lb_platform_name(p), "lb-emulated-6");
	assert_int_equal(lb_platform_port_count(p), 6);
	assert_int_equal(lb_platform_bus_count(p), 2);
	struct lb_port_info pi;
	assert_int_equal(lb_platform_port(p, 4, &pi), LB_OK);
	assert_string_equal(pi.bus, "i2c1");
	assert_string_equal(pi.cage, "OSFP");
	assert_int_equal(pi.addr.mux_channel, 0);
	assert_int_equal(pi.addr.mux_addr, 113);
	assert_int_equal(lb_platform_port(p, 99, &pi), LB_E_NOTFOUND);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 99, &m), LB_E_NOTFOUND);
	for (unsigned port = 1; port <= 6; port++) {
		assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
		uint8_t id;
		assert_int_equal(lb_module_read(m, 0, 0, 0, &id, 1), LB_OK);
		assert_true(id == 0x18 || id == 0x19 || id == 0x21);
	}
	/* A module that answered its last access is known present: no bus traffic. */
	struct lb_bus *bus;
	assert_int_equal(lb_platform_bus_at(p, 0, &bus, NULL), LB_OK);
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	struct lb_bus_stats s;
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.transactions, 0);
	/* An explicit check reads; walking two cages on one mux writes the mux byte only on change. */
	bool present = false;
	assert_int_equal(lb_platform_check_present(p, 1, &present), LB_OK);
	assert_true(present);
	assert_int_equal(lb_platform_check_present(p, 1, &present), LB_OK);
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.select_writes, 1);
	assert_int_equal(s.transactions, 3);
	lb_platform_close(p);
}

static void expect_refused(const char *json, int status, const char *needle)
{
	struct lb_platform *p = NULL;
	assert_int_equal(lb_platform_open_json(ctx, json, "bad.json", &p), status);
	assert_null(p);
	const char *e = lb_ctx_last_error(ctx);
	if (!strstr(e, needle) || !strstr(e, "bad.json"))
		fail_msg("error '%s' does not name '%s'", e, needle);
}

/* Every message logged at LB_LOG_ERR, one per line. */
static char err_log[4096];

static void capture_err(void *user, enum lb_log_level level, const char *msg)
{
	(void)user;
	size_t n = strlen(err_log);
	if (level == LB_LOG_ERR && n < sizeof(err_log))
		snprintf(err_log + n, sizeof(err_log) - n, "%s\n", msg);
}

static void test_bad_platforms_refused(void **state)
{
	(void)state;
	expect_refused("{\"name\": \"x\", \"buses\": [", LB_E_PARSE, "line");
	expect_refused("[]", LB_E_PARSE, "not a JSON object");
	expect_refused("{\"buses\": [], \"ports\": []}", LB_E_PARSE, "name");
	expect_refused("{\"name\": \"x\", \"ports\": []}", LB_E_PARSE, "buses");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\"}], \"ports\": []}", LB_E_PARSE,
		       "buses[0]");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"nope\"}], \"ports\": []}",
		       LB_E_NOTFOUND, "nope");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": 1, \"bus\": \"c\"}]}",
		       LB_E_PARSE, "ports[0]");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": 1, \"bus\": \"b\", \"mux_channel\": 9}]}",
		       LB_E_RANGE, "ports[0].mux_channel");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": \"one\", \"bus\": \"b\"}]}",
		       LB_E_PARSE, "ports[0].port");
	/*
	 * The emulator bus driver explains this one with lb_driver_error: the reason reaches the
	 * log and the detail, which also names the file, the field and the bus.
	 */
	err_log[0] = 0;
	lb_ctx_set_log(ctx, capture_err, NULL, LB_LOG_ERR);
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
		       " \"options\": {\"modules\": [{\"profile\": \"no-such-profile\"}]}}], \"ports\": []}",
		       LB_E_NOTFOUND, "buses[0]: bus 'b'");
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no-such-profile"));
	lb_ctx_set_log(ctx, NULL, NULL, LB_LOG_WARN);
	assert_non_null(strstr(err_log, "no-such-profile"));
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, "/nonexistent/platform.json", &p), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "/nonexistent/platform.json"));
}

static void test_empty_cage_is_nodev(void **state)
{
	(void)state;
	struct lb_platform *p;
	const char *json = "{\"name\": \"one-empty\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
			   " \"options\": {\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\":"
			   " \"400g-fr4-qsfpdd\"}]}}], \"ports\": [{\"port\": 1, \"bus\": \"b\", \"mux_channel\": 0},"
			   " {\"port\": 2, \"bus\": \"b\", \"mux_channel\": 1}]}";
	assert_int_equal(lb_platform_open_json(ctx, json, "one-empty", &p), LB_OK);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_platform_module(p, 2, &m), LB_E_NODEV);
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	lb_platform_close(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_platform),
		cmocka_unit_test(test_bad_platforms_refused),
		cmocka_unit_test(test_empty_cage_is_nodev),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
