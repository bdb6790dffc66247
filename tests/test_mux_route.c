/* SPDX-License-Identifier: MIT */
/*
 * Mux routing by the core, seen on a fake bus that records every transfer: more muxes than
 * one bus used to allow, two levels (a mux behind a mux channel, the same address behind
 * different channels being different muxes), control bytes written only when they change,
 * the other muxes of a level released first, and everything written again after an error.
 * Plus the platform file's "mux_path".
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
#include "rec_bus.h"

struct fx {
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	struct lb_test_rec rec;
	unsigned seen; /* log entries already looked at */
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	assert_non_null(f);
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	lb_test_rec_open(f->ctx, &f->rec, &f->bus);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	lb_bus_close(f->bus);
	lb_test_rec_free(&f->rec);
	lb_ctx_destroy(f->ctx);
	free(f);
	return 0;
}

static struct lb_module *open_at(struct fx *f, uint16_t mux, int ch, uint16_t mux2, int ch2)
{
	struct lb_module_addr a = { .addr = 0x50, .mux_addr = mux, .mux_channel = ch,
				    .mux2_addr = mux2, .mux2_channel = ch2 };
	struct lb_module *m;
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_OK);
	return m;
}

/* One read of lower memory (the fake module reads as a non-CMIS one: no page selects). */
static void touch(struct lb_module *m)
{
	uint8_t b;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &b, 1), LB_OK);
}

/* The mux control writes since the last call, as "70=08 71=01" (address=value). */
static const char *mux_writes(struct fx *f)
{
	static char out[512];
	size_t at = 0;
	out[0] = 0;
	for (unsigned i = f->seen; i < f->rec.n; i++) {
		const struct lb_test_rec_xfer *x = &f->rec.log[i];
		if (x->addr == 0x50)
			continue;
		assert_false(x->read);
		assert_int_equal(x->len, 0); /* a control byte alone */
		at += (size_t)snprintf(out + at, sizeof(out) - at, "%s%02x=%02x", at ? " " : "",
				       x->addr, x->first);
	}
	f->seen = f->rec.n;
	return out;
}

static void test_more_than_four_muxes(void **state)
{
	struct fx *f = *state;
	struct lb_module *m[6];
	for (unsigned k = 0; k < 6; k++)
		m[k] = open_at(f, (uint16_t)(0x70 + k), (int)k, 0, 0);
	touch(m[0]);
	assert_string_equal(mux_writes(f), "70=01");
	touch(m[1]);
	assert_string_equal(mux_writes(f), "70=00 71=02");
	for (unsigned k = 2; k < 6; k++)
		touch(m[k]);
	assert_string_equal(mux_writes(f), "71=00 72=04 72=00 73=08 73=00 74=10 74=00 75=20");
	touch(m[5]);
	assert_string_equal(mux_writes(f), ""); /* in force: nothing written */
	touch(m[0]);
	assert_string_equal(mux_writes(f), "75=00 70=01");
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &s);
	assert_int_equal(s.errors, 0);
	for (unsigned k = 0; k < 6; k++)
		lb_module_close(m[k]);
}

static void test_two_levels(void **state)
{
	struct fx *f = *state;
	/* 0x70 on the bus; behind its channel 3 the muxes 0x71 and 0x72, behind channel 4 a 0x71 */
	struct lb_module *x = open_at(f, 0x70, 3, 0x71, 0);
	struct lb_module *y = open_at(f, 0x70, 3, 0x71, 1);
	struct lb_module *z = open_at(f, 0x70, 4, 0x71, 0);
	struct lb_module *v = open_at(f, 0x70, 3, 0x72, 5);
	struct lb_module *d = open_at(f, 0x70, 3, 0, 0); /* directly on channel 3 */
	touch(x);
	assert_string_equal(mux_writes(f), "70=08 71=01");
	touch(x);
	assert_string_equal(mux_writes(f), "");
	touch(y);
	assert_string_equal(mux_writes(f), "71=02");
	touch(z); /* another 0x71: its control byte is not known yet */
	assert_string_equal(mux_writes(f), "70=10 71=01");
	touch(x); /* channel 3's 0x71 kept channel 1 open meanwhile */
	assert_string_equal(mux_writes(f), "70=08 71=01");
	touch(v); /* its sibling behind channel 3 is released first */
	assert_string_equal(mux_writes(f), "71=00 72=20");
	touch(d); /* a module on channel 3 itself: every mux behind it released */
	assert_string_equal(mux_writes(f), "72=00");
	touch(d);
	assert_string_equal(mux_writes(f), "");
	touch(z); /* channel 4's 0x71 still has channel 0 open */
	assert_string_equal(mux_writes(f), "70=10");
	lb_module_close(x);
	lb_module_close(y);
	lb_module_close(z);
	lb_module_close(v);
	lb_module_close(d);
}

/* NACK the first transfer to the module from now on (a real error, long after any write). */
static int nack_module_once(struct lb_test_rec *r, const struct lb_i2c_msg *msgs, unsigned n)
{
	(void)n;
	int *armed = r->user;
	if (*armed && msgs[0].addr == 0x50) {
		*armed = 0;
		return LB_E_NACK;
	}
	return LB_OK;
}

static void test_error_forgets_every_control_byte(void **state)
{
	struct fx *f = *state;
	struct lb_module *x = open_at(f, 0x70, 3, 0x71, 0);
	struct lb_module *v = open_at(f, 0x70, 3, 0x72, 5);
	struct lb_module *w = open_at(f, 0x74, 1, 0, 0);
	touch(v);
	touch(w);
	touch(x);
	assert_string_equal(mux_writes(f), "70=08 72=20 70=00 74=02 74=00 70=08 72=00 71=01");
	int armed = 1;
	f->rec.hook = nack_module_once;
	f->rec.user = &armed;
	uint8_t b;
	assert_int_equal(lb_module_read(x, 0, 0, 0, &b, 1), LB_E_NACK);
	mux_writes(f);
	/* nothing is known now: the other root mux and the sibling behind channel 3 released too */
	touch(x);
	assert_string_equal(mux_writes(f), "74=00 70=08 72=00 71=01");
	touch(x);
	assert_string_equal(mux_writes(f), "");
	f->rec.hook = NULL;
	lb_module_close(x);
	lb_module_close(v);
	lb_module_close(w);
}

static void test_bad_routes_refused(void **state)
{
	struct fx *f = *state;
	struct lb_module *m;
	struct lb_module_addr a = { .addr = 0x50, .mux_channel = -1, .mux2_addr = 0x71 };
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_E_INVAL); /* no first hop */
	a = (struct lb_module_addr){ .addr = 0x50, .mux_addr = 0x70, .mux_channel = 2,
				     .mux2_addr = 0x71, .mux2_channel = 8 };
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_E_INVAL);
	a.mux2_channel = -1;
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_E_INVAL);
	a.mux2_channel = 7;
	a.mux2_addr = 0x70; /* both muxes would answer */
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_E_INVAL);
	a.mux2_addr = 0x80;
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_E_INVAL);
	/* a zeroed second hop is none, whatever its channel says: existing callers unchanged */
	a = (struct lb_module_addr){ .addr = 0x50, .mux_addr = 0x70, .mux_channel = 2 };
	assert_int_equal(lb_module_open(f->bus, &a, &m), LB_OK);
	touch(m);
	assert_string_equal(mux_writes(f), "70=04");
	lb_module_close(m);
	assert_int_equal(f->rec.n, f->seen);
}

/* ---- platform files ---- */

static const char *platform_with(const char *port)
{
	static char text[2048];
	snprintf(text, sizeof(text),
		 "{\"name\": \"t\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\","
		 " \"options\": {\"mux_addr\": 112, \"modules\": [{\"channel\": 1, \"profile\":"
		 " \"400g-fr4-qsfpdd\"}]}}], \"ports\": [%s]}",
		 port);
	return text;
}

static void test_platform_mux_path(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	struct lb_port_info pi = LB_PORT_INFO_INIT;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	const char *two = "{\"port\": 1, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112, \"channel\": 3},"
			  " {\"addr\": 113, \"channel\": 0}]}, {\"port\": 2, \"bus\": \"b\","
			  " \"mux_path\": [{\"addr\": 112, \"channel\": 1}]}";
	assert_int_equal(lb_platform_open_json(ctx, platform_with(two), "t", &p), LB_OK);
	assert_int_equal(lb_platform_port(p, 1, &pi), LB_OK);
	assert_int_equal(pi.addr.mux_addr, 112);
	assert_int_equal(pi.addr.mux_channel, 3);
	assert_int_equal(pi.addr.mux2_addr, 113);
	assert_int_equal(pi.addr.mux2_channel, 0);
	assert_int_equal(lb_platform_port(p, 2, &pi), LB_OK);
	assert_int_equal(pi.addr.mux_channel, 1);
	assert_int_equal(pi.addr.mux2_addr, 0);
	/* one hop through mux_path reaches the emulated module as mux_addr/mux_channel would */
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 2, &m), LB_OK);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(m, &id), LB_OK);
	assert_int_equal(id.identifier, 0x18);
	lb_platform_close(p);

	static const struct {
		const char *port;
		int rc;
		const char *says;
	} bad[] = {
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112, \"channel\": 1},"
		  " {\"addr\": 113, \"channel\": 0}, {\"addr\": 114, \"channel\": 0}]}",
		  LB_E_RANGE, "at most two mux levels" },
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_channel\": 1, \"mux_path\": []}", LB_E_PARSE,
		  "not both" },
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112, \"channel\": 8}]}",
		  LB_E_RANGE, "ports[0].mux_path[0].channel" },
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112}]}", LB_E_PARSE,
		  "ports[0].mux_path[0].channel: missing" },
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_path\": [{\"addr\": 112, \"channel\": 1},"
		  " {\"addr\": 112, \"channel\": 0}]}",
		  LB_E_PARSE, "first one's address" },
		{ "{\"port\": 1, \"bus\": \"b\", \"mux_path\": {\"addr\": 112}}", LB_E_PARSE,
		  "not an array" },
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = lb_platform_open_json(ctx, platform_with(bad[i].port), "t", &p);
		if (rc != bad[i].rc || !strstr(lb_ctx_last_error(ctx), bad[i].says))
			fail_msg("case %u: %s: %s", i, lb_status_name(rc), lb_ctx_last_error(ctx));
	}
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_more_than_four_muxes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_forgets_every_control_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_routes_refused, setup, teardown),
		cmocka_unit_test(test_platform_mux_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
