/* SPDX-License-Identifier: MIT */
/*
 * A platform's router ASIC: the "asic" section (opened on first use, owned by the platform)
 * and the front-panel map (each port's "asic_lanes"), with the description's mistakes
 * refused as "FILE: FIELD: reason".
 */
#include <stdio.h>
#include <lightbridge/platform.h>
#include "asic_rig.h"

#define BUS "\"buses\": [{\"name\": \"b\", \"driver\": \"emulator\", \"options\": {}}]"
#define ASIC "\"asic\": {\"driver\": \"emulated\", \"options\": {\"profile\": \"small\"}}"

static struct lb_ctx *new_ctx(void)
{
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	return ctx;
}

static void test_map(void **state)
{
	(void)state;
	struct lb_ctx *ctx = new_ctx();
	const char *json = "{\"name\": \"t\", " BUS ", " ASIC ", \"ports\": ["
			   "{\"port\": 1, \"bus\": \"b\", \"mux_channel\": -1, \"addr\": 80,"
			   " \"asic_lanes\": {\"first\": 0, \"count\": 8}},"
			   "{\"port\": 2, \"bus\": \"b\", \"addr\": 81, \"asic_lanes\": {\"first\": 8, \"count\": 16}},"
			   "{\"port\": 3, \"bus\": \"b\", \"addr\": 82}]}";
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, json, "t.json", &p), LB_OK);
	uint32_t first, count;
	assert_int_equal(lb_platform_port_asic_lanes(p, 2, &first, &count), LB_OK);
	assert_int_equal(first, 8);
	assert_int_equal(count, 16);
	assert_int_equal(lb_platform_port_asic_lanes(p, 3, &first, &count), LB_E_NOTFOUND);
	assert_int_equal(lb_platform_port_asic_lanes(p, 4, &first, &count), LB_E_NOTFOUND);
	struct lb_switch *sw, *again;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	assert_int_equal(lb_platform_switch(p, &again), LB_OK);
	assert_ptr_equal(sw, again); /* one switch, the platform's */
	struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(sw, &caps), LB_OK);
	assert_string_equal(caps.model, "small");
	lb_platform_close(p); /* closes the switch */

	/* a platform without an ASIC */
	assert_int_equal(lb_platform_open_json(ctx, "{\"name\": \"n\", " BUS ", \"ports\": []}", "n.json", &p),
			 LB_OK);
	assert_int_equal(lb_platform_switch(p, &sw), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(ctx), "platform n has no ASIC");
	lb_platform_close(p);

	/* the embedded default has one, and its cages join its lanes */
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	assert_int_equal(lb_platform_port_asic_lanes(p, 6, &first, &count), LB_OK);
	assert_int_equal(first, 40);
	assert_int_equal(count, 16);
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	caps = (struct lb_switch_caps)LB_SWITCH_CAPS_INIT;
	assert_int_equal(lb_switch_get_caps(sw, &caps), LB_OK);
	assert_int_equal(caps.type, LB_SWITCH_TYPE_VOQ);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_refused(void **state)
{
	(void)state;
	struct lb_ctx *ctx = new_ctx();
	struct {
		const char *json;
		int status;
		const char *detail;
	} cases[] = {
		{ "{\"name\": \"t\", " BUS ", \"ports\": [{\"port\": 1, \"bus\": \"b\","
		  " \"asic_lanes\": {\"first\": 0, \"count\": 8}}]}",
		  LB_E_PARSE, "t.json: ports[0].asic_lanes: the platform has no \"asic\"" },
		{ "{\"name\": \"t\", " BUS ", " ASIC ", \"ports\": ["
		  "{\"port\": 1, \"bus\": \"b\", \"addr\": 80, \"asic_lanes\": {\"first\": 0, \"count\": 8}},"
		  "{\"port\": 2, \"bus\": \"b\", \"addr\": 81, \"asic_lanes\": {\"first\": 4, \"count\": 8}}]}",
		  LB_E_PARSE, "t.json: ports[1].asic_lanes: lanes 4-11: port 1 has lanes 0-7" },
		{ "{\"name\": \"t\", " BUS ", " ASIC ", \"ports\": [{\"port\": 1, \"bus\": \"b\","
		  " \"asic_lanes\": {\"first\": 0, \"count\": 0}}]}",
		  LB_E_RANGE, "ports[0].asic_lanes.count" },
		{ "{\"name\": \"t\", " BUS ", " ASIC ", \"ports\": [{\"port\": 1, \"bus\": \"b\","
		  " \"asic_lanes\": {\"first\": 0, \"size\": 8}}]}",
		  LB_E_PARSE, "ports[0].asic_lanes.size" },
		{ "{\"name\": \"t\", " BUS ", \"asic\": {\"options\": {}}, \"ports\": []}", LB_E_PARSE,
		  "t.json: asic.driver" },
		{ "{\"name\": \"t\", " BUS ", \"asic\": {\"driver\": \"emulated\", \"colour\": 1}, \"ports\": []}",
		  LB_E_PARSE, "t.json: asic.colour" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_platform *p = NULL;
		int rc = lb_platform_open_json(ctx, cases[i].json, "t.json", &p);
		if (rc != cases[i].status)
			fail_msg("case %zu: %s (%s)", i, lb_status_name(rc), lb_ctx_last_error(ctx));
		if (!strstr(lb_ctx_last_error(ctx), cases[i].detail))
			fail_msg("case %zu: '%s' lacks '%s'", i, lb_ctx_last_error(ctx), cases[i].detail);
	}
	/* a driver that refuses its options: at first use, naming the platform and the ASIC */
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, "{\"name\": \"t\", " BUS ", \"asic\": {\"name\": \"a1\","
						    " \"driver\": \"emulated\", \"options\": {\"profile\": \"x\"}},"
						    " \"ports\": []}", "t.json", &p), LB_OK);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "platform t: asic 'a1': emulated asic: options: profile: 'x'"));
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
