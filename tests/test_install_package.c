/* SPDX-License-Identifier: MIT */
/*
 * The installed package works for an out-of-tree user: stage `cmake --install`, build
 * examples/ against it with find_package(lightbridge), run the program, and load the example
 * plugin (and its wrong-ABI twin) into a context.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#ifdef LB_SANITIZE_BUILD
#define EXAMPLE_FLAGS "-DCMAKE_C_FLAGS='-fsanitize=address,undefined'"
#else
#define EXAMPLE_FLAGS ""
#endif

static char tmp[256];

__attribute__((format(printf, 1, 2)))
static int run(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "/tmp/lb-install-XXXXXX");
	if (!mkdtemp(tmp))
		return -1;
	if (run("cmake --install '%s' --prefix '%s/stage' >'%s/install.log' 2>&1", LB_BINARY_DIR, tmp, tmp))
		return -1;
	return run("cmake -S '%s/examples' -B '%s/ex' -DCMAKE_C_COMPILER='%s' -DCMAKE_PREFIX_PATH='%s/stage' %s "
		   ">'%s/ex.log' 2>&1 && cmake --build '%s/ex' >>'%s/ex.log' 2>&1",
		   LB_SOURCE_DIR, tmp, LB_C_COMPILER, tmp, EXAMPLE_FLAGS, tmp, tmp, tmp);
}

static int teardown(void **state)
{
	(void)state;
	run("rm -rf '%s'", tmp);
	return 0;
}

static void test_installed_files(void **state)
{
	(void)state;
	const char *files[] = { "include/lightbridge/lightbridge.h", "include/lightbridge/driver.h",
				"include/lightbridge/options.h", "include/lightbridge/link.h",
				"bin/lbctl", "share/lightbridge/platforms/emulated-default.json",
				"share/lightbridge/emulator/profiles/400g-fr4-qsfpdd.json",
				/* the data directory mirrors the tree: the link model's tables under link/ */
				"share/lightbridge/link/modes.json",
				"share/lightbridge/link/paths/tokyo-osaka-500km.json" };
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char p[512];
		snprintf(p, sizeof(p), "%s/stage/%s", tmp, files[i]);
		assert_int_equal(access(p, R_OK), 0);
	}
	assert_int_equal(run("ls '%s'/stage/lib*/liblightbridge.so.0 '%s'/stage/lib*/liblightbridge.a "
			     "'%s'/stage/lib*/pkgconfig/lightbridge.pc '%s'/stage/lib*/cmake/lightbridge/lightbridgeConfig.cmake >/dev/null",
			     tmp, tmp, tmp, tmp), 0);
	assert_int_equal(run("ls '%s'/stage/lib*/liblightbridge-emu.so.0 '%s'/stage/lib*/liblightbridge-emu.a "
			     "'%s'/stage/lib*/pkgconfig/lightbridge-emu.pc >/dev/null", tmp, tmp, tmp), 0);
}

/* pkg-config: lightbridge-emu brings liblightbridge along; lightbridge alone does not bring the emulator. */
static void test_pkg_config_files(void **state)
{
	(void)state;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "PKG_CONFIG_PATH=$(echo '%s'/stage/lib*/pkgconfig) pkg-config --libs lightbridge-emu; "
		 "PKG_CONFIG_PATH=$(echo '%s'/stage/lib*/pkgconfig) pkg-config --libs lightbridge", tmp, tmp);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char emu[512] = "", core[512] = "";
	assert_non_null(fgets(emu, sizeof(emu), f));
	assert_non_null(fgets(core, sizeof(core), f));
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(emu, "-llightbridge-emu"));
	assert_non_null(strstr(emu, "-llightbridge "));
	assert_non_null(strstr(core, "-llightbridge"));
	assert_null(strstr(core, "-emu"));
}

static void test_example_program_runs_on_installed_library(void **state)
{
	(void)state;
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "LB_DATADIR='%s/stage/share/lightbridge' '%s/ex/lb-example-list'", tmp, tmp);
	FILE *f = popen(cmd, "r");
	assert_non_null(f);
	char out[4096] = "";
	size_t n = fread(out, 1, sizeof(out) - 1, f);
	out[n] = 0;
	assert_int_equal(pclose(f), 0);
	assert_non_null(strstr(out, "1 QSFP-DD"));
	assert_non_null(strstr(out, "4 OSFP"));
}

static void test_plugin_loads_and_serves_a_module(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	char path[512];
	snprintf(path, sizeof(path), "%s/ex/lb_plugin_loopback.so", tmp);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_OK);
	const struct lb_driver *drv;
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "example-loopback", &drv), LB_OK);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_EXISTS);
	struct lb_bus *bus;
	struct lb_module *m;
	assert_int_equal(lb_bus_open(ctx, "example-loopback", NULL, NULL, &bus), LB_OK);
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	uint8_t name[8];
	assert_int_equal(lb_module_read(m, 0, 0, 129, name, sizeof(name)), LB_OK);
	assert_memory_equal(name, "LOOPBACK", 8);
	uint8_t v = 0x5A, back = 0;
	assert_int_equal(lb_module_write(m, 0, 0, 200, &v, 1), LB_OK);
	assert_int_equal(lb_module_read(m, 0, 0, 200, &back, 1), LB_OK);
	assert_int_equal(back, 0x5A);
	/* flat memory: other pages do not exist, and no select byte is ever written */
	assert_int_equal(lb_module_read(m, 0, 0x11, 128, &back, 1), LB_E_NOTSUP);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(bus, &s);
	assert_int_equal(s.select_writes, 0);
	lb_module_close(m);
	lb_bus_close(bus);
	/* its options reach it parsed, read with the library's getters */
	assert_int_equal(lb_bus_open(ctx, "example-loopback", "{\"vendor\": \"ACME\"}", NULL, &bus), LB_OK);
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	assert_int_equal(lb_module_read(m, 0, 0, 129, name, sizeof(name)), LB_OK);
	assert_memory_equal(name, "ACME    ", 8);
	lb_module_close(m);
	lb_bus_close(bus);
	assert_int_equal(lb_bus_open(ctx, "example-loopback", "{\"vendor\": \"A VENDOR TOO LONG FOR IT\"}",
				     NULL, &bus), LB_E_RANGE);
	assert_string_equal(lb_ctx_last_error(ctx), "example-loopback options: vendor: longer than 16 characters");
	lb_ctx_destroy(ctx);
}

static void test_wrong_abi_and_missing_plugins_refused(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	char path[512];
	snprintf(path, sizeof(path), "%s/ex/lb_plugin_loopback_badabi.so", tmp);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_ABI);
	/* the twin claims a bus table version the library does not have */
	char want[1024];
	snprintf(want, sizeof(want), "plugin %s: driver example-loopback: bus ABI %u, library has bus ABI %u",
		 path, LB_BUS_ABI + 100, LB_BUS_ABI);
	assert_string_equal(lb_ctx_last_error(ctx), want);
	const struct lb_driver *drv;
	assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "example-loopback", &drv), LB_E_NOTFOUND);
	assert_int_equal(lb_ctx_load_plugin(ctx, "/nonexistent/plugin.so"), LB_E_NOTFOUND);
	snprintf(path, sizeof(path), "%s/ex", tmp);
	assert_int_equal(lb_ctx_load_plugin_dir(ctx, path), 1); /* the good one only */
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_files),
		cmocka_unit_test(test_pkg_config_files),
		cmocka_unit_test(test_example_program_runs_on_installed_library),
		cmocka_unit_test(test_plugin_loads_and_serves_a_module),
		cmocka_unit_test(test_wrong_abi_and_missing_plugins_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
