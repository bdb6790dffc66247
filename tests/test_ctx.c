/* SPDX-License-Identifier: MIT */
/*
 * Context, status names, clock injection, the driver registry's ABI checks, lb_bus_driver_priv,
 * and the emulator's drivers, registered on request only (lb_emu_register_drivers).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

static int dummy_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)priv;
	(void)env;
	(void)options;
	(void)handle;
	return LB_OK;
}
static void dummy_close(void *priv)
{
	(void)priv;
}
static size_t dummy_max(void *priv)
{
	(void)priv;
	return 32;
}
static int dummy_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

/* A table as a driver built against a smaller lb_bus_ops (before get_clock existed) has it. */
static struct lb_bus_ops old_ops;
static struct lb_driver old_drv;

static void test_old_ops_table_is_zero_extended(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	memset(&old_ops, 0xA5, sizeof(old_ops)); /* garbage past the driver's size must not be read */
	old_ops.size = offsetof(struct lb_bus_ops, paged_read);
	old_ops.caps = LB_BUS_CAP_I2C;
	old_ops.priv_size = 0;
	old_ops.open = dummy_open;
	old_ops.close = dummy_close;
	old_ops.max_transfer = dummy_max;
	old_ops.xfer = dummy_xfer;
	old_drv = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				      .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "old", .ops.bus = &old_ops };
	assert_int_equal(lb_ctx_register_driver(ctx, &old_drv), LB_OK);
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "old", NULL, NULL, &bus), LB_OK);
	struct lb_module *m;
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	uint8_t b;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_E_NACK);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.errors, 1);
	/*
	 * Not TIMED: bus time from the wire formula at 400 kHz. The first access is the
	 * advertisement probe's 3-byte read of bytes 0-2: 9 * (3 + 3) + 3 = 57 clocks.
	 */
	assert_int_equal(s.bus_time_ns, 142500);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
}

/* lb_bus_driver_priv: the bus instance's state for its very driver only, not a namesake. */
static struct lb_bus_ops priv_ops;
static struct lb_driver priv_drv, priv_twin;

static void test_bus_driver_priv(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	priv_ops = (struct lb_bus_ops){ .size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C,
					.priv_size = 16, .open = dummy_open, .close = dummy_close,
					.max_transfer = dummy_max, .xfer = dummy_xfer };
	priv_drv = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				       .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "owner", .ops.bus = &priv_ops };
	priv_twin = priv_drv; /* same name, same ops, another driver */
	assert_int_equal(lb_ctx_register_driver(ctx, &priv_drv), LB_OK);
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "owner", NULL, NULL, &bus), LB_OK);
	assert_non_null(lb_bus_driver_priv(bus, &priv_drv));
	/* the core's copy of the driver (what lb_ctx_find_driver gives) is the same driver */
	const struct lb_driver *copy;
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "owner", &copy), LB_OK);
	assert_ptr_not_equal(copy, &priv_drv);
	assert_non_null(lb_bus_driver_priv(bus, copy));
	assert_null(lb_bus_driver_priv(bus, &priv_twin));
	assert_null(lb_bus_driver_priv(bus, &old_drv));
	assert_null(lb_bus_driver_priv(bus, NULL));
	assert_null(lb_bus_driver_priv(NULL, &priv_drv));
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
}

static void test_bad_tables_refused(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	static struct lb_bus_ops tiny = { .size = 8 };
	static struct lb_driver d1 = { .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				       .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "tiny", .ops.bus = &tiny };
	assert_int_equal(lb_ctx_register_driver(ctx, &d1), LB_E_ABI);
	static struct lb_bus_ops noxfer = { .size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C,
					    .open = dummy_open, .close = dummy_close,
					    .max_transfer = dummy_max };
	static struct lb_driver d2 = { .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				       .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "noxfer", .ops.bus = &noxfer };
	assert_int_equal(lb_ctx_register_driver(ctx, &d2), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "noxfer"));
	static struct lb_driver d3 = { .abi = LB_DRIVER_ABI + 1, .size = sizeof(struct lb_driver),
				       .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "future", .ops.bus = &noxfer };
	assert_int_equal(lb_ctx_register_driver(ctx, &d3), LB_E_ABI);
	const struct lb_driver *emu;
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "emulator", &emu), LB_OK);
	assert_int_equal(lb_ctx_register_driver(ctx, emu), LB_E_EXISTS);
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "no-such-driver", NULL, NULL, &bus), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no-such-driver"));
	lb_ctx_clear_error(ctx);
	assert_string_equal(lb_ctx_last_error(ctx), "");
	lb_ctx_destroy(ctx);
}

/* The core builds in no emulator driver; liblightbridge-emu registers all three on request, once. */
static void test_emulator_drivers_registered_on_request(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	const struct lb_driver *d;
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "emulator", &d), LB_E_NOTFOUND);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_SIDEBAND, "emulator", &d), LB_E_NOTFOUND);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_ASIC, "emulated", &d), LB_E_NOTFOUND);
	/* Without them, an emulated bus or platform says what is missing. */
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "emulator", NULL, NULL, &bus), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "'emulator' is not registered"));
	assert_non_null(strstr(lb_ctx_last_error(ctx), "lb_emu_register_drivers"));
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "lb_emu_register_drivers"));

	unsigned n = lb_ctx_driver_count(ctx);
	assert_int_equal(lb_emu_register_drivers(NULL), LB_E_INVAL);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_driver_count(ctx), n + 3);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "emulator", &d), LB_OK);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_SIDEBAND, "emulator", &d), LB_OK);
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_ASIC, "emulated", &d), LB_OK);
	lb_ctx_clear_error(ctx);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK); /* idempotent, and quiet */
	assert_int_equal(lb_ctx_driver_count(ctx), n + 3);
	assert_string_equal(lb_ctx_last_error(ctx), "");
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);

	/* Another driver holding the name is not replaced. */
	static struct lb_bus_ops ops;
	static struct lb_driver namesake;
	ops = (struct lb_bus_ops){ .size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C,
				   .open = dummy_open, .close = dummy_close, .max_transfer = dummy_max,
				   .xfer = dummy_xfer };
	namesake = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				       .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "emulator", .ops.bus = &ops };
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_ctx_register_driver(ctx, &namesake), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_E_EXISTS);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "emulator"));
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "emulator", &d), LB_OK);
	assert_true(lb_ctx_has_driver(ctx, &namesake));
	assert_true(lb_ctx_has_driver(ctx, d)); /* the registry's copy of it */
	assert_ptr_equal(d->ops.bus->open, dummy_open);
	lb_ctx_destroy(ctx);
}

static uint64_t fake_now;
static uint64_t fake_now_ns(void *user)
{
	(void)user;
	return fake_now;
}
static void fake_sleep_ns(void *user, uint64_t ns)
{
	(void)user;
	fake_now += ns;
}

static void test_clock_injection(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	struct lb_clock bad = { .now_ns = fake_now_ns };
	assert_int_equal(lb_ctx_set_clock(ctx, &bad), LB_E_INVAL);
	struct lb_clock c = { .now_ns = fake_now_ns, .sleep_ns = fake_sleep_ns };
	fake_now = 1000;
	assert_int_equal(lb_ctx_set_clock(ctx, &c), LB_OK);
	lb_ctx_sleep_ns(ctx, 5000);
	assert_int_equal(lb_ctx_now_ns(ctx), 6000);
	/* a user's clock wins over the one an emulator bus offers */
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_bus *bus;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &seg), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "emulator", NULL, seg, &bus), LB_OK);
	assert_int_equal(lb_ctx_now_ns(ctx), 6000);
	lb_bus_close(bus);
	lb_emu_world_destroy(w);
	lb_ctx_destroy(ctx);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(lb_status_name(LB_E_NACK), "LB_E_NACK");
	assert_string_equal(lb_strerror(LB_OK), "success");
	assert_string_equal(lb_strerror(-999), "unknown status");
	for (int s = 0; s >= LB_E_CHANGED; s--) {
		assert_string_not_equal(lb_strerror(s), "unknown status");
		assert_string_not_equal(lb_status_name(s), "LB_E_UNKNOWN");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_old_ops_table_is_zero_extended),
		cmocka_unit_test(test_bad_tables_refused),
		cmocka_unit_test(test_bus_driver_priv),
		cmocka_unit_test(test_emulator_drivers_registered_on_request),
		cmocka_unit_test(test_clock_injection),
		cmocka_unit_test(test_status_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
