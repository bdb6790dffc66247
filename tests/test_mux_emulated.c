/* SPDX-License-Identifier: MIT */
/*
 * The core's mux routing against the emulator's muxes, end to end: modules behind two levels
 * of PCA9548s (the same second-level address behind two channels of the first), each read by
 * its own lb_module through the real routing, each answering with its own identity, with the
 * control bytes written only when the route changes; and an emulated bus of a platform file
 * holding more than 16 modules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#define PROFILE(name) LB_SOURCE_DIR "/emulator/profiles/" name ".json"

static void test_two_levels_end_to_end(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_mux *root, *leaf[2];
	struct lb_bus *bus;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &seg), LB_OK);
	/* 0x70 on the bus; 0x71 behind its channel 2 and another 0x71 behind its channel 5 */
	assert_int_equal(lb_emu_segment_add_mux_at(seg, NULL, -1, 0x70, &root), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(seg, root, 2, 0x71, &leaf[0]), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(seg, root, 5, 0x71, &leaf[1]), LB_OK);
	const char *profiles[4] = { PROFILE("coherent-800g-qsfpdd"), PROFILE("400g-fr4-qsfpdd"),
				    PROFILE("800g-dr8-osfp"), PROFILE("1600g-2xdr8-osfpxd") };
	struct lb_emu_module *emu[4];
	struct lb_module *m[4];
	assert_int_equal(lb_bus_open(ctx, "emulator", NULL, seg, &bus), LB_OK);
	for (unsigned i = 0; i < 4; i++) {
		char err[256];
		assert_int_equal(lb_emu_module_create(w, profiles[i], &emu[i], err, sizeof(err)), LB_OK);
		/* modules 0,1 behind leaf 0 channels 0,1; modules 2,3 behind leaf 1 channels 0,1 */
		assert_int_equal(lb_emu_segment_attach_path(seg, leaf[i / 2], (int)(i % 2), 0x50, emu[i]),
				 LB_OK);
		struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = i < 2 ? 2 : 5,
					    .mux2_addr = 0x71, .mux2_channel = (int)(i % 2) };
		assert_int_equal(lb_module_open(bus, &a, &m[i]), LB_OK);
	}
	/* Each handle reaches its own module: part numbers differ. */
	char pn[4][17];
	for (unsigned round = 0; round < 2; round++) {
		for (unsigned i = 0; i < 4; i++) {
			struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
			int rc = lb_module_get_identity(m[i], &id);
			assert_true(rc == LB_OK || rc == LB_E_CHECKSUM);
			if (round == 0)
				snprintf(pn[i], sizeof(pn[i]), "%s", id.part_number);
			else
				assert_string_equal(pn[i], id.part_number);
		}
	}
	for (unsigned i = 0; i < 4; i++)
		for (unsigned k = i + 1; k < 4; k++)
			assert_string_not_equal(pn[i], pn[k]);
	/* Polling one (single-bank) module again writes no control byte: its route is in force. */
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(m[2], &mon), LB_OK);
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_module_get_monitors(m[2], &mon), LB_OK);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.select_writes, 0);
	/* Moving to a module behind the other leaf rewrites the route, and reads the right module. */
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_module_get_monitors(m[0], &mon), LB_OK);
	lb_bus_get_stats(bus, &s);
	assert_true(s.select_writes >= 2);
	assert_int_equal(s.errors, 0);
	for (unsigned i = 0; i < 4; i++)
		lb_module_close(m[i]);
	lb_bus_close(bus);
	lb_emu_world_destroy(w);
	lb_ctx_destroy(ctx);
}

static void test_more_than_16_modules_on_one_platform_bus(void **unused)
{
	(void)unused;
	/* 24 modules: 8 mux channels, three addresses on each. */
	char json[16384];
	size_t n = (size_t)snprintf(json, sizeof(json),
				    "{\"name\": \"big\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
				    " \"options\": {\"mux_addr\": 112, \"modules\": [");
	for (unsigned i = 0; i < 24; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
				      "%s{\"channel\": %u, \"addr\": %u, \"profile\": \"800g-dr8-osfp\"}",
				      i ? ", " : "", i % 8, 0x50 + i / 8);
	n += (size_t)snprintf(json + n, sizeof(json) - n, "]}}], \"ports\": [");
	for (unsigned i = 0; i < 24; i++)
		n += (size_t)snprintf(json + n, sizeof(json) - n,
				      "%s{\"port\": %u, \"bus\": \"b\", \"mux_channel\": %u, \"addr\": %u}",
				      i ? ", " : "", i + 1, i % 8, 0x50 + i / 8);
	snprintf(json + n, sizeof(json) - n, "]}");
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_platform_open_json(ctx, json, "big.json", &p), LB_OK);
	for (unsigned port = 1; port <= 24; port++) {
		struct lb_module *m;
		assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
		enum lb_module_state st;
		assert_int_equal(lb_module_get_state(m, &st), LB_OK);
		assert_int_equal(st, LB_MODULE_STATE_LOW_PWR);
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_levels_end_to_end),
		cmocka_unit_test(test_more_than_16_modules_on_one_platform_bus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
