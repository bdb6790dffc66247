/* SPDX-License-Identifier: MIT */
/*
 * A platform file's "links" (lb_platform_link_count, _at, lb_platform_port_link): the
 * scale-across scenario reads back its join, each port finds it, a port on no link does not,
 * the size rule of struct lb_platform_link holds; a link between ports of a bus that is not
 * emulated is kept (for lbctl link) and not handed to any driver; and on the emulated platform
 * the join is live: a module that brings its data path up raises the Rx power of the other.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/emulator.h>

static struct lb_ctx *ctx_new(void)
{
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	return ctx;
}

static void test_scenario_links(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = ctx_new();
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km.json", &p),
			 LB_OK);
	assert_int_equal(lb_platform_link_count(p), 1);
	struct lb_platform_link l = LB_PLATFORM_LINK_INIT;
	assert_int_equal(lb_platform_link_at(p, 0, &l), LB_OK);
	assert_string_equal(l.name, "tokyo-osaka");
	assert_int_equal(l.port_a, 1);
	assert_int_equal(l.port_b, 2);
	assert_string_equal(l.path, "tokyo-osaka-500km");
	assert_int_equal(l.media_mode_count, 1);
	assert_int_equal(l.media_id[0], 0x6C);
	assert_string_equal(l.media_mode[0], "800g-16qam-118");
	assert_int_equal(lb_platform_link_at(p, 1, &l), LB_E_RANGE);
	struct lb_platform_link b = LB_PLATFORM_LINK_INIT;
	assert_int_equal(lb_platform_port_link(p, 2, &b), LB_OK);
	assert_string_equal(b.name, "tokyo-osaka");
	assert_int_equal(lb_platform_port_link(p, 3, &b), LB_E_NOTFOUND);
	/* the size rule: below V1 refused, V1 gets exactly its prefix */
	b.size = 4;
	assert_int_equal(lb_platform_port_link(p, 1, &b), LB_E_INVAL);
	assert_int_equal(lb_platform_link_at(NULL, 0, &l), LB_E_INVAL);
	assert_int_equal(lb_platform_link_count(NULL), 0);
	unsigned char buf[sizeof(struct lb_platform_link) + 16];
	memset(buf, 0xA5, sizeof(buf));
	size_t v1 = LB_PLATFORM_LINK_SIZE_V1;
	memcpy(buf, &v1, sizeof(v1));
	assert_int_equal(lb_platform_link_at(p, 0, (struct lb_platform_link *)(void *)buf), LB_OK);
	for (size_t i = v1; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xA5);

	/* Live: port 1 goes up, port 2 sees its light (lane 1 Rx power through the HAL). */
	struct lb_module *m1, *m2;
	assert_int_equal(lb_platform_module(p, 1, &m1), LB_OK);
	assert_int_equal(lb_platform_module(p, 2, &m2), LB_OK);
	uint8_t raw[2];
	assert_int_equal(lb_module_read(m2, 0, 0x11, 186, raw, 2), LB_OK);
	assert_int_equal(raw[0] << 8 | raw[1], 0); /* port 1 is dark: no light at port 2 */
	assert_int_equal(lb_module_bring_up(m1, 0, 1, NULL), LB_OK);
	assert_int_equal(lb_module_read(m2, 0, 0x11, 186, raw, 2), LB_OK);
	double dbm = 10.0 * log10((raw[0] << 8 | raw[1]) / 10000.0);
	assert_true(fabs(dbm - -2.0) < 0.05); /* the plan's Rx power over Tokyo-Osaka */
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* A link on a bus that is not emulated: kept for lbctl, no driver sees it. */
static void test_link_on_hardware_bus(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = ctx_new();
	char file[] = "/tmp/lb-links-XXXXXX";
	int fd = mkstemp(file);
	assert_true(fd >= 0);
	close(fd);
	char text[1024];
	snprintf(text, sizeof(text),
		 "{\"name\": \"hw\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"optoe\", "
		 "\"options\": {\"path\": \"%s.d\"}}], \"ports\": [{\"port\": 1, \"bus\": \"i2c0\"}, "
		 "{\"port\": 2, \"bus\": \"i2c0\", \"addr\": 81}], \"links\": [{\"ports\": [2, 1], "
		 "\"path\": \"/somewhere/path.json\"}]}", file);
	struct lb_platform *p = NULL;
	/* the optoe driver opens lazily: the platform opens, and its links are not the driver's */
	assert_int_equal(lb_platform_open_json(ctx, text, "hw.json", &p), LB_OK);
	struct lb_platform_link l = LB_PLATFORM_LINK_INIT;
	assert_int_equal(lb_platform_port_link(p, 1, &l), LB_OK);
	assert_string_equal(l.name, "2-1");
	assert_int_equal(l.port_a, 2);
	assert_string_equal(l.path, "/somewhere/path.json");
	lb_platform_close(p);
	unlink(file);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scenario_links),
		cmocka_unit_test(test_link_on_hardware_bus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
