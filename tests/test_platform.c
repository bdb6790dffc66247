/* SPDX-License-Identifier: MIT */
/*
 * Platform descriptions: the embedded default; a file parsed once, each bus driver handed its
 * part of it; bad files refused with file, field and reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "util/options_internal.h"

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
	struct lb_port_info pi = LB_PORT_INFO_INIT;
	assert_int_equal(lb_platform_port(p, 4, &pi), LB_OK);
	assert_string_equal(pi.bus, "i2c1");
	assert_string_equal(pi.cage, "OSFP");
	assert_int_equal(pi.addr.mux_channel, 0);
	assert_int_equal(pi.addr.mux_addr, 113);
	assert_int_equal(lb_platform_port(p, 99, &pi), LB_E_NOTFOUND);
	assert_int_equal(pi.size, sizeof(pi));
	/* sized: a size below the first layout refused, nothing written; a smaller one's prefix */
	struct lb_port_info zero = { 0 };
	assert_int_equal(lb_platform_port_at(p, 0, &zero), LB_E_INVAL);
	assert_null(zero.name);
	assert_int_equal(lb_platform_port(p, 4, NULL), LB_E_INVAL);
	struct lb_bus_stats none = { 0 };
	assert_int_equal(lb_platform_get_stats(p, &none), LB_E_INVAL);
	assert_int_equal(none.transactions, 0);
	struct {
		struct lb_port_info info;
		uint64_t canary;
	} bigger;
	memset(&bigger, 0xA5, sizeof(bigger));
	bigger.info.size = sizeof(bigger); /* a newer caller's larger layout: its tail kept */
	assert_int_equal(lb_platform_port_at(p, 0, &bigger.info), LB_OK);
	assert_int_equal(bigger.info.size, sizeof(struct lb_port_info));
	assert_int_equal(bigger.info.port, 1);
	assert_true(bigger.canary == 0xA5A5A5A5A5A5A5A5ull);
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
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	assert_int_equal(lb_bus_get_stats(bus, &s), LB_OK);
	assert_int_equal(s.size, sizeof(s));
	assert_int_equal(s.transactions, 0);
	struct lb_bus_stats small = { .size = LB_BUS_STATS_SIZE_V1 - 1 };
	assert_int_equal(lb_bus_get_stats(bus, &small), LB_E_INVAL);
	assert_int_equal(lb_bus_get_stats(NULL, &s), LB_E_INVAL);
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
	/* one cage under two port numbers: two handles on one module, refused */
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": 1, \"bus\": \"b\"}, {\"port\": 2, \"bus\": \"b\","
		       " \"mux_addr\": 113}]}",
		       LB_E_PARSE, "bad.json: ports[1]: the cage of port 1 (bus b, 0x50)");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": 1, \"bus\": \"b\", \"mux_channel\": 3},"
		       " {\"port\": 2, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112, \"channel\": 3}]}]}",
		       LB_E_PARSE, "bad.json: ports[1]: the cage of port 1 (bus b, 0x50 behind mux 0x70 channel 3)");
	/* a misspelt key is refused, not ignored */
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
		       " \"ports\": [{\"port\": 1, \"bus\": \"b\", \"mux_chanel\": 1}]}",
		       LB_E_PARSE, "bad.json: ports[0].mux_chanel: unknown field");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
		       " \"options\": {\"mux_adr\": 112}}], \"ports\": []}",
		       LB_E_PARSE, "bad.json: buses[0].options.mux_adr: unknown field");
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
		       " \"lock_wait_ms\": 700000}], \"ports\": []}",
		       LB_E_RANGE, "bad.json: buses[0].lock_wait_ms: 700000 is out of range 0..600000");
	/* a driver's failure that is no field of its options names the bus */
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"nope\"}], \"ports\": []}",
		       LB_E_NOTFOUND, "bad.json: buses[0]: bus 'b': bus driver 'nope' is not registered");
	/*
	 * The emulator bus driver explains this one with lb_driver_error: the reason reaches the
	 * log and the detail, which names the file and the field (the module entry whose profile
	 * is missing).
	 */
	err_log[0] = 0;
	lb_ctx_set_log(ctx, capture_err, NULL, LB_LOG_ERR);
	expect_refused("{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
		       " \"options\": {\"modules\": [{\"profile\": \"no-such-profile\"}]}}], \"ports\": []}",
		       LB_E_NOTFOUND, "bad.json: buses[0].options.modules[0]: ");
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no-such-profile"));
	lb_ctx_set_log(ctx, NULL, NULL, LB_LOG_WARN);
	assert_non_null(strstr(err_log, "no-such-profile"));
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, "/nonexistent/platform.json", &p), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "/nonexistent/platform.json"));
}

/* A bus driver that keeps what its open() received. */
static struct {
	unsigned opens;
	char origin[256], path[64], name[32];
	uint32_t khz;
} seen[4];

static int probe_open(void *priv, const struct lb_driver_env *env, const struct lb_options *o, void *handle)
{
	(void)priv;
	(void)handle;
	unsigned i = seen[0].opens < 4 ? seen[0].opens : 3;
	snprintf(seen[i].origin, sizeof(seen[i].origin), "%s", lb_options_origin(o));
	snprintf(seen[i].path, sizeof(seen[i].path), "%s", lb_options_path(o));
	int rc;
	if ((rc = lb_options_get_string_buf(o, "name", "", seen[i].name, sizeof(seen[i].name))) ||
	    (rc = lb_options_get_u32(o, "clock_khz", 100, 1000, 400, &seen[i].khz)))
		return lb_driver_error(env, rc, "%s", lb_options_error(o));
	seen[0].opens++;
	return LB_OK;
}

static void probe_close(void *priv)
{
	(void)priv;
}

static size_t probe_max(void *priv)
{
	(void)priv;
	return 32;
}

static int probe_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

static const struct lb_bus_ops probe_ops = {
	.size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C, .open = probe_open,
	.close = probe_close, .max_transfer = probe_max, .xfer = probe_xfer,
};
static const struct lb_driver probe_driver = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI, .name = "probe", .ops.bus = &probe_ops,
};

static const char *write_platform(char *dir, size_t len, const char *text)
{
	static char file[300];
	snprintf(dir, len, "/tmp/lb-platform-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/platform.json", dir);
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return file;
}

/*
 * The platform file is parsed once, and each bus driver reads its own "options" object of that
 * very document (its origin is the file, its path the bus's options), with the bus's name
 * added: no text is dumped and parsed again.
 */
static void test_file_parsed_once_options_handed_through(void **state)
{
	(void)state;
	if (lb_ctx_register_driver(ctx, &probe_driver) != LB_E_EXISTS)
		assert_true(lb_ctx_has_driver(ctx, &probe_driver));
	memset(seen, 0, sizeof(seen));
	char dir[64];
	const char *file = write_platform(dir, sizeof(dir),
		"{\"name\": \"two\", \"buses\": [{\"name\": \"first\", \"driver\": \"probe\"},"
		" {\"name\": \"second\", \"driver\": \"probe\", \"options\": {\"clock_khz\": 100}}],"
		" \"ports\": [{\"port\": 1, \"bus\": \"second\"}]}");
	unsigned long before = lb_options_parse_count();
	struct lb_platform *p = NULL;
	assert_int_equal(lb_platform_open(ctx, file, &p), LB_OK);
	assert_int_equal(lb_options_parse_count(), before + 1);
	assert_int_equal(seen[0].opens, 2);
	assert_string_equal(seen[0].origin, file);
	assert_string_equal(seen[0].path, "buses[0].options"); /* absent: an empty object, named */
	assert_string_equal(seen[0].name, "first");
	assert_int_equal(seen[0].khz, 400);
	assert_string_equal(seen[1].origin, file);
	assert_string_equal(seen[1].path, "buses[1].options");
	assert_string_equal(seen[1].name, "second");
	assert_int_equal(seen[1].khz, 100);
	lb_platform_close(p);

	/* lb_bus_open() parses its text once too, named after the driver */
	memset(seen, 0, sizeof(seen));
	before = lb_options_parse_count();
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "probe", "{\"clock_khz\": 1000}", NULL, &bus), LB_OK);
	assert_int_equal(lb_options_parse_count(), before + 1);
	assert_string_equal(seen[0].origin, "probe options");
	assert_string_equal(seen[0].path, "");
	assert_int_equal(seen[0].khz, 1000);
	lb_bus_close(bus);
	unlink(file);
	rmdir(dir);
}

/* A driver's option out of range: the detail is the reader's, naming the file and the field. */
static void test_driver_option_error_names_file_and_field(void **state)
{
	(void)state;
	if (lb_ctx_register_driver(ctx, &probe_driver) != LB_E_EXISTS)
		assert_true(lb_ctx_has_driver(ctx, &probe_driver));
	memset(seen, 0, sizeof(seen));
	char dir[64];
	const char *file = write_platform(dir, sizeof(dir),
		"{\"name\": \"x\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"probe\","
		" \"options\": {\"clock_khz\": 4294967296}}], \"ports\": []}");
	struct lb_platform *p = NULL;
	err_log[0] = 0;
	lb_ctx_set_log(ctx, capture_err, NULL, LB_LOG_ERR);
	assert_int_equal(lb_platform_open(ctx, file, &p), LB_E_RANGE);
	lb_ctx_set_log(ctx, NULL, NULL, LB_LOG_WARN);
	assert_null(p);
	char want[512];
	snprintf(want, sizeof(want), "%s: buses[0].options.clock_khz: 4294967296 is out of range 100..1000", file);
	assert_string_equal(lb_ctx_last_error(ctx), want);
	assert_non_null(strstr(err_log, want)); /* the driver explained it, with lb_driver_error */
	/* a file that is no JSON: its line */
	FILE *f = fopen(file, "w");
	assert_non_null(f);
	fputs("{\"name\": ", f);
	fclose(f);
	assert_int_equal(lb_platform_open(ctx, file, &p), LB_E_PARSE);
	snprintf(want, sizeof(want), "%s: line 1: ", file);
	assert_true(strncmp(lb_ctx_last_error(ctx), want, strlen(want)) == 0);
	unlink(file);
	rmdir(dir);
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

/* A one-bus emulated platform whose bus object starts with keys ("KEY": VALUE, ...). */
static void group_platform(char *out, size_t len, const char *keys)
{
	snprintf(out, len, "{\"name\": \"g\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\", "
			  "%s \"options\": {\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}]}}], "
			  "\"ports\": [{\"port\": 1, \"bus\": \"b\"}]}", keys);
}

/*
 * A bus's "lock_group" shares its lock file with a group (lb_bus_set_lock_file_group): the
 * file is made 0660 and given to the group; an unknown group, or a group without a lock
 * file, is refused naming the key.
 */
static void test_lock_group_key(void **state)
{
	(void)state;
	char dir[] = "/tmp/lb-test-lockgroup-XXXXXX", json[1024];
	assert_non_null(mkdtemp(dir));
	struct group *g = getgrgid(getegid());
	assert_non_null(g);
	char keys[512];
	snprintf(keys, sizeof(keys), "\"lock_file\": \"%s/bus.lock\", \"lock_group\": \"%s\",", dir,
		 g->gr_name);
	group_platform(json, sizeof(json), keys);
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, json, "group.json", &p), LB_OK);
	struct lb_module *m;
	uint8_t id;
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_module_read(m, 0, 0, 0, &id, 1), LB_OK);
	char path[128];
	snprintf(path, sizeof(path), "%s/bus.lock", dir);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_int_equal(st.st_gid, g->gr_gid);
	lb_platform_close(p);
	unlink(path);

	snprintf(keys, sizeof(keys), "\"lock_group\": \"%s\",", g->gr_name);
	group_platform(json, sizeof(json), keys);
	expect_refused(json, LB_E_PARSE, "lock_group: needs \"lock_file\"");
	snprintf(keys, sizeof(keys), "\"lock_file\": \"%s/bus.lock\", \"lock_group\": \"no-such-group-here\",",
		 dir);
	group_platform(json, sizeof(json), keys);
	p = NULL;
	assert_int_equal(lb_platform_open_json(ctx, json, "group.json", &p), LB_E_PERM);
	assert_null(p);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no-such-group-here"));
	unlink(path);
	assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_platform),
		cmocka_unit_test(test_bad_platforms_refused),
		cmocka_unit_test(test_empty_cage_is_nodev),
		cmocka_unit_test(test_lock_group_key),
		cmocka_unit_test(test_file_parsed_once_options_handed_through),
		cmocka_unit_test(test_driver_option_error_names_file_and_field),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
