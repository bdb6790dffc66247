/* SPDX-License-Identifier: MIT */
/*
 * Emulated modules look like a fleet: each module a platform places from a profile has the
 * serial number of its place (lb_emu_module_set_fleet_serial), distinct across the platform,
 * the same in every process, kept across a reset, with page 00h's checksum right.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "test_run.h"

#define NPORTS 6

static void default_serials(char sn[NPORTS][17], bool reset_first)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	assert_int_equal(lb_platform_port_count(p), NPORTS);
	for (unsigned port = 1; port <= NPORTS; port++) {
		struct lb_module *m;
		assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
		if (reset_first)
			assert_int_equal(lb_module_reset(m), LB_OK);
		struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
		assert_int_equal(lb_module_get_identity(m, &id), LB_OK);
		assert_true(id.page00_checksum_ok);
		snprintf(sn[port - 1], 17, "%s", id.serial_number);
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_default_platform_is_a_fleet(void **state)
{
	(void)state;
	char a[NPORTS][17], b[NPORTS][17];
	default_serials(a, false);
	default_serials(b, true); /* another context, every module reset first */
	for (unsigned i = 0; i < NPORTS; i++) {
		print_message("port %u: %s\n", i + 1, a[i]);
		assert_true(strlen(a[i]) >= 8);
		assert_string_equal(a[i], b[i]);
		for (unsigned k = 0; k < i; k++)
			assert_string_not_equal(a[i], a[k]);
	}
}

/* The rule: the profile's serial without its trailing digits, hash of the bus, channel, address. */
static void test_fleet_serial_rule(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_module *m, *m2;
	char path[1024], err[256];
	const char *dd = getenv("LB_DATADIR");
	snprintf(path, sizeof(path), "%s/emulator/profiles/coherent-800g-qsfpdd.json",
		 dd ? dd : LB_SOURCE_DIR);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create(w, path, &m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_create(w, path, &m2, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_set_fleet_serial(m, "i2c0", 3, 0x50), LB_OK);
	assert_int_equal(lb_emu_module_set_fleet_serial(m2, "i2c0", -1, 0x51), LB_OK);
	uint8_t sn[16], sn2[16], p00[128];
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 166, sn, 16), LB_OK);
	assert_int_equal(lb_emu_module_peek(m2, 0, 0, 166, sn2, 16), LB_OK);
	assert_memory_equal(sn, "LBE800ZR", 8);
	for (unsigned i = 8; i < 12; i++)
		assert_true(isxdigit(sn[i]));
	assert_memory_equal(sn + 12, "350 ", 4);
	assert_memory_equal(sn2 + 8, sn + 8, 4); /* same bus */
	assert_memory_equal(sn2 + 12, "D51 ", 4);
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 128, p00, 128), LB_OK);
	unsigned sum = 0;
	for (unsigned i = 0; i < 222 - 128; i++)
		sum += p00[i];
	assert_int_equal(p00[222 - 128], sum & 0xFF);
	/* a wrong checksum stays wrong (the injected fault inverts it) */
	assert_int_equal(lb_emu_module_inject(m, LB_EMU_FAULT_CHECKSUM, 1), LB_OK);
	assert_int_equal(lb_emu_module_set_fleet_serial(m, "i2c1", 3, 0x50), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 128, p00, 128), LB_OK);
	sum = 0;
	for (unsigned i = 0; i < 222 - 128; i++)
		sum += p00[i];
	assert_int_not_equal(p00[222 - 128], sum & 0xFF);
	assert_int_equal(lb_emu_module_set_fleet_serial(NULL, "i2c0", 0, 0x50), LB_E_INVAL);
	assert_int_equal(lb_emu_module_set_fleet_serial(m, NULL, 0, 0x50), LB_E_INVAL);
	assert_int_equal(lb_emu_module_set_fleet_serial(m, "i2c0", 8, 0x50), LB_E_INVAL);
	assert_int_equal(lb_emu_module_set_fleet_serial(m, "i2c0", 0, 0x80), LB_E_INVAL);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_platform_is_a_fleet),
		cmocka_unit_test(test_fleet_serial_rule),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
