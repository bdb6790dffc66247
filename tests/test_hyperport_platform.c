/* SPDX-License-Identifier: MIT */
/*
 * The HyperPorts a platform declares ("asic": {"hyperports": [...]}): read back by
 * lb_platform_hyperport_count/_get, and every mistake of the description refused as
 * "FILE: FIELD: reason" (LB_E_PARSE, or LB_E_RANGE for a count or number out of range); the Tokyo-Osaka HyperPort platform's two declarations.
 */
#include <stdio.h>
#include <lightbridge/hyperport.h>
#include <lightbridge/platform.h>
#include "asic_rig.h"

#define BUS "\"buses\": [{\"name\": \"b\", \"driver\": \"emulator\", \"options\": {}}]"
#define PORTS                                                                                          \
	"\"ports\": [{\"port\": 1, \"bus\": \"b\", \"addr\": 80, \"asic_lanes\": {\"first\": 0, \"count\": 8}}," \
	"{\"port\": 2, \"bus\": \"b\", \"addr\": 81, \"asic_lanes\": {\"first\": 8, \"count\": 8}},"              \
	"{\"port\": 3, \"bus\": \"b\", \"addr\": 82, \"asic_lanes\": {\"first\": 16, \"count\": 8}},"             \
	"{\"port\": 4, \"bus\": \"b\", \"addr\": 83, \"asic_lanes\": {\"first\": 24, \"count\": 8}},"             \
	"{\"port\": 5, \"bus\": \"b\", \"addr\": 84}]"

static struct lb_ctx *new_ctx(void)
{
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	return ctx;
}

/* A platform whose asic has hyperports HPS (JSON text of the array). */
static int open_with(struct lb_ctx *ctx, const char *hps, struct lb_platform **p)
{
	char json[2048];
	snprintf(json, sizeof(json),
		 "{\"name\": \"t\", " BUS ", \"asic\": {\"driver\": \"emulated\", \"options\": {\"profile\": "
		 "\"small\"}, \"hyperports\": %s}, " PORTS "}",
		 hps);
	return lb_platform_open_json(ctx, json, "t.json", p);
}

static void test_declared(void **state)
{
	(void)state;
	struct lb_ctx *ctx = new_ctx();
	struct lb_platform *p;
	assert_int_equal(open_with(ctx, "[{\"name\": \"hp-a\", \"ports\": [4, 3, 2, 1], \"hash\": \"spray\"}]", &p),
			 LB_OK);
	assert_int_equal(lb_platform_hyperport_count(p), 1);
	struct lb_platform_hyperport d = LB_PLATFORM_HYPERPORT_INIT;
	assert_int_equal(lb_platform_hyperport_get(p, 0, &d), LB_OK);
	assert_string_equal(d.name, "hp-a");
	assert_int_equal(d.ports[0], 4);
	assert_int_equal(d.ports[3], 1);
	assert_int_equal(d.hash, LB_HYPERPORT_HASH_SPRAY);
	assert_int_equal(lb_platform_hyperport_get(p, 1, &d), LB_E_NOTFOUND);
	struct lb_platform_hyperport tiny = { .size = 4 };
	assert_int_equal(lb_platform_hyperport_get(p, 0, &tiny), LB_E_INVAL);
	assert_int_equal(lb_platform_hyperport_get(NULL, 0, &d), LB_E_INVAL);
	assert_int_equal(lb_platform_hyperport_count(NULL), 0);
	lb_platform_close(p);
	/* none declared: none; the hash defaults to flow */
	assert_int_equal(open_with(ctx, "[]", &p), LB_OK);
	assert_int_equal(lb_platform_hyperport_count(p), 0);
	lb_platform_close(p);
	assert_int_equal(open_with(ctx, "[{\"name\": \"x\", \"ports\": [1, 2, 3, 4]}]", &p), LB_OK);
	d = (struct lb_platform_hyperport)LB_PLATFORM_HYPERPORT_INIT;
	assert_int_equal(lb_platform_hyperport_get(p, 0, &d), LB_OK);
	assert_int_equal(d.hash, LB_HYPERPORT_HASH_FLOW);
	lb_platform_close(p);
	/* the Tokyo-Osaka HyperPort platform */
	assert_int_equal(lb_platform_open(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km-hyperport.json", &p), LB_OK);
	assert_int_equal(lb_platform_hyperport_count(p), 2);
	assert_int_equal(lb_platform_hyperport_get(p, 1, &d), LB_OK);
	assert_string_equal(d.name, "osaka");
	assert_int_equal(d.ports[0], 5);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *hps, *detail;
	} cases[] = {
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3]}]", "hyperports[0].ports" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 4, 4]}]", "hyperports[0].ports" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 5]}]", "port 5: no such port, or it has no \"asic_lanes\"" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 9]}]", "port 9: no such port" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 3]}]", "port 3 named twice" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 4]}, {\"name\": \"b\", \"ports\": [4, 3, 2, 1]}]",
		  "port 4 is in HyperPort \"a\" already" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 4]}, {\"name\": \"a\", \"ports\": [1, 2, 3, 4]}]",
		  "a second HyperPort of that name" },
		{ "[{\"name\": \"a b\", \"ports\": [1, 2, 3, 4]}]", "letters, digits" },
		{ "[{\"name\": \"\", \"ports\": [1, 2, 3, 4]}]", "letters, digits" },
		{ "[{\"name\": \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\", \"ports\": [1, 2, 3, 4]}]", "1 to 31" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 4], \"hash\": \"ecmp\"}]", "hash" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, 4], \"speed\": 1}]", "speed" },
		{ "[{\"ports\": [1, 2, 3, 4]}]", "name" },
		{ "[{\"name\": \"a\"}]", "ports" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, \"x\"]}]", "ports[3]" },
		{ "[{\"name\": \"a\", \"ports\": [1, 2, 3, -1]}]", "ports[3]" },
		{ "{\"name\": \"a\"}", "hyperports" },
		{ "[7]", "hyperports[0]" },
	};
	struct lb_ctx *ctx = new_ctx();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct lb_platform *p = NULL;
		int rc = open_with(ctx, cases[i].hps, &p);
		if ((rc != LB_E_PARSE && rc != LB_E_RANGE) || !strstr(lb_ctx_last_error(ctx), cases[i].detail) ||
		    !strstr(lb_ctx_last_error(ctx), "t.json"))
			fail_msg("case %zu (%s): %s, '%s' (wanted LB_E_PARSE or LB_E_RANGE and '%s')", i, cases[i].hps, lb_strerror(rc),
				 lb_ctx_last_error(ctx), cases[i].detail);
		assert_null(p);
	}
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_declared),
		cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
