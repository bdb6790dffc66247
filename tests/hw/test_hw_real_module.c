/* SPDX-License-Identifier: MIT */
/*
 * A real module on a real adapter (tests/hw, -DLB_HW_TESTS=ON): LB_TEST_I2C_DEV names the
 * /dev/i2c-N adapter, LB_TEST_I2C_MUX ("0x70:3") an optional mux channel. Reads what any
 * module must have: identity with its checksums, the module state, one monitor poll in at
 * most a handful of transactions. Writes nothing.
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

static void test_identity_state_monitors(void **unused)
{
	(void)unused;
	const char *dev = getenv("LB_TEST_I2C_DEV");
	if (!dev || !*dev)
		fail_msg("LB_TEST_I2C_DEV is not set: name the adapter (/dev/i2c-N) the module sits on");
	struct lb_module_addr where = { .addr = 0x50, .mux_channel = -1 };
	const char *mux = getenv("LB_TEST_I2C_MUX");
	if (mux && *mux) {
		unsigned a, c;
		if (sscanf(mux, "%i:%u", &a, &c) != 2 || a > 0x7F || c > 7)
			fail_msg("LB_TEST_I2C_MUX '%s': want ADDR:CHANNEL, e.g. 0x70:3", mux);
		where.mux_addr = (uint16_t)a;
		where.mux_channel = (int)c;
	}
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	struct lb_module *m;
	char opts[512];
	snprintf(opts, sizeof(opts), "{\"device\": \"%s\"}", dev);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	int rc = lb_bus_open(ctx, "linux-i2c", opts, NULL, &bus);
	if (rc)
		fail_msg("%s: %s: %s", dev, lb_strerror(rc), lb_ctx_last_error(ctx));
	assert_int_equal(lb_module_open(bus, &where, &m), LB_OK);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	rc = lb_module_get_identity(m, &id);
	assert_true(rc == LB_OK || rc == LB_E_CHECKSUM);
	print_message("%s: %s %s rev %s sn %s, CMIS %u.%u, checksums %s/%s\n", dev, id.vendor_name,
		      id.part_number, id.revision, id.serial_number, id.cmis_major, id.cmis_minor,
		      id.page00_checksum_ok ? "ok" : "BAD", id.page01_checksum_ok ? "ok" : "BAD");
	enum lb_module_state st;
	assert_int_equal(lb_module_get_state(m, &st), LB_OK);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	lb_bus_reset_stats(bus);
	assert_int_equal(lb_module_get_monitors(m, &mon), LB_OK);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(bus, &s);
	print_message("state %s, %.1f C, %.3f V, poll: %llu transactions\n", lb_module_state_name((int)st),
		      mon.temperature_c, mon.vcc_v, (unsigned long long)s.transactions);
	assert_true(mon.temperature_c > -40.0 && mon.temperature_c < 100.0);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_state_monitors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
