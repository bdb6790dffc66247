/* SPDX-License-Identifier: MIT */
/*
 * The driver ABI: tables and struct lb_driver of their first published sizes load and read
 * zero-extended, a plugin ships several drivers under one dlopen handle, a wrong kind
 * version or a too short table is refused with a message that says why, and a plugin whose
 * second driver fails registers neither. Plugins: tests/plugins/, built next to this test.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/core/ctx_internal.h"

static const char *plugin(const char *name)
{
	static char path[4][1024];
	static unsigned k;
	char *p = path[k++ % 4];
	snprintf(p, sizeof(path[0]), "%s/%s.so", LB_TEST_PLUGIN_DIR, name);
	return p;
}

/* The object is no longer mapped: every dlopen of it was matched by a dlclose. */
static void assert_unloaded(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	if (h) {
		dlclose(h);
		fail_msg("%s is still loaded", path);
	}
}

static const struct lb_driver *find(struct lb_ctx *ctx, enum lb_driver_kind kind, const char *name)
{
	const struct lb_driver *d = NULL;
	assert_int_equal(lb_ctx_find_driver(ctx, kind, name, &d), LB_OK);
	assert_non_null(d);
	return d;
}

static void assert_not_registered(struct lb_ctx *ctx, enum lb_driver_kind kind, const char *name)
{
	const struct lb_driver *d;
	assert_int_equal(lb_ctx_find_driver(ctx, kind, name, &d), LB_E_NOTFOUND);
}

/*
 * (a) A plugin built for bus ABI 1 (open() took JSON text), through the old entry point with
 * struct lb_driver of its first size: refused with LB_E_ABI and a message that says why, never
 * opened, and unloaded.
 */
static void test_bus_abi1_plugin_refused(void **state)
{
	(void)state;
	const char *path = plugin("lbt_first_single");
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	unsigned before = lb_ctx_driver_count(ctx);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_ABI);
	char want[1200];
	snprintf(want, sizeof(want), "plugin %s: driver first-bus: bus ABI 1, library has bus ABI %u",
		 path, LB_BUS_ABI);
	assert_string_equal(lb_ctx_last_error(ctx), want);
	assert_int_equal(LB_BUS_ABI, 2);
	assert_not_registered(ctx, LB_DRIVER_BUS, "first-bus");
	assert_int_equal(lb_ctx_driver_count(ctx), before);
	lb_ctx_destroy(ctx);
	assert_unloaded(path);
}

/* (a) One driver of every kind, each at its first layout, through the list entry point. */
static void test_first_layout_every_kind(void **state)
{
	(void)state;
	const char *path = plugin("lbt_first_kinds");
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	unsigned before = lb_ctx_driver_count(ctx);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_OK);
	assert_int_equal(lb_ctx_driver_count(ctx), before + 4);

	const struct lb_driver *bus = find(ctx, LB_DRIVER_BUS, "first-bus");
	const struct lb_driver *sb = find(ctx, LB_DRIVER_SIDEBAND, "first-sideband");
	const struct lb_driver *ext = find(ctx, LB_DRIVER_MODULE_EXT, "first-ext");
	const struct lb_driver *asic = find(ctx, LB_DRIVER_ASIC, "first-asic");
	assert_int_equal(bus->kind_abi, LB_BUS_ABI);
	assert_int_equal(sb->kind_abi, LB_SIDEBAND_ABI);
	/* struct lb_driver of its first size: the field appended later (kind_abi) read as 1 */
	assert_int_equal(ext->kind_abi, LB_MODULE_EXT_ABI);
	assert_int_equal(asic->kind_abi, LB_ASIC_ABI);
	assert_int_equal(ext->size, sizeof(struct lb_driver));

	/* The bus table of its first size: everything past it reads NULL, not the bytes after it. */
	const struct lb_bus_ops *o = bus->ops.bus;
	assert_ptr_equal(o, lb_ctx_bus_ops(ctx, bus));
	assert_int_equal(o->size, sizeof(struct lb_bus_ops));
	assert_int_equal(o->caps, LB_BUS_CAP_I2C);
	assert_int_equal(o->priv_size, sizeof(int));
	assert_non_null(o->open);
	assert_non_null(o->close);
	assert_non_null(o->max_transfer);
	assert_non_null(o->xfer);
	assert_null(o->paged_read);
	assert_null(o->paged_write);
	assert_null(o->get_clock);
	assert_null(o->last_xfer_ns);
	assert_null(o->clock_khz);
	assert_null(o->release_shared);
	assert_null(o->enumerate);
	assert_null(o->max_write);
	/* and the core runs it through the copy: no optional op of garbage is ever called */
	struct lb_bus *b;
	struct lb_module *m;
	assert_int_equal(lb_bus_open(ctx, "first-bus", NULL, NULL, &b), LB_OK);
	assert_int_equal(lb_module_open(b, NULL, &m), LB_OK);
	uint8_t byte;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &byte, 1), LB_E_NACK);
	lb_module_close(m);
	lb_bus_close(b);

	const struct lb_sideband_ops *so = sb->ops.sideband;
	assert_ptr_equal(so, lb_ctx_sideband_ops(ctx, sb));
	assert_int_equal(so->size, sizeof(struct lb_sideband_ops));
	assert_non_null(so->open);
	assert_non_null(so->get);
	assert_null(so->set);
	assert_null(so->event_fd);
	assert_null(so->read_event);
	const struct lb_module_ext_ops *eo = ext->ops.module_ext;
	assert_ptr_equal(eo, lb_ctx_module_ext_ops(ctx, ext));
	assert_int_equal(eo->size, sizeof(struct lb_module_ext_ops));
	struct lb_module_ext_match id = { .size = sizeof(id), .vendor_oui = { 0x12, 0x34, 0x56 } };
	assert_int_equal(eo->match(&id), 1);
	assert_null(eo->attach);
	assert_null(eo->decode_field);
	const struct lb_asic_ops *ao = asic->ops.asic;
	assert_ptr_equal(ao, lb_ctx_asic_ops(ctx, asic));
	assert_int_equal(ao->size, sizeof(struct lb_asic_ops));
	assert_non_null(ao->open);
	assert_non_null(ao->close);
	/* each accessor answers for its own kind only */
	assert_null(lb_ctx_bus_ops(ctx, sb));
	assert_null(lb_ctx_sideband_ops(ctx, bus));
	assert_null(lb_ctx_asic_ops(ctx, ext));
	assert_null(lb_ctx_module_ext_ops(ctx, asic));

	/* the sideband runs through the core's copy: set is NULL there, so NOTSUP */
	struct lb_sideband *s;
	assert_int_equal(lb_sideband_open(ctx, "first-sideband", NULL, NULL, &s), LB_OK);
	bool present = false;
	assert_int_equal(lb_sideband_present(s, &present), LB_OK);
	assert_true(present);
	assert_int_equal(lb_sideband_set(s, LB_SB_LPMODE, true), LB_E_NOTSUP);
	assert_int_equal(lb_sideband_event_fd(s), -1);
	lb_sideband_close(s);

	/* four drivers, one plugin record, one handle */
	const struct lb_ctx_plugin *pl = lb_ctx_driver_plugin(ctx, bus);
	assert_non_null(pl);
	assert_int_equal(pl->refs, 4);
	assert_ptr_equal(lb_ctx_driver_plugin(ctx, sb), pl);
	assert_ptr_equal(lb_ctx_driver_plugin(ctx, ext), pl);
	assert_ptr_equal(lb_ctx_driver_plugin(ctx, asic), pl);
	lb_ctx_destroy(ctx);
	assert_unloaded(path);
}

/* (b) A bus driver and its companion sideband in one object: both load, under one handle. */
static void test_plugin_with_two_drivers(void **state)
{
	(void)state;
	const char *path = plugin("lbt_pair");
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_OK);
	/* the list entry point wins over the single one (which names the bus alone) */
	const struct lb_driver *bd = find(ctx, LB_DRIVER_BUS, "pair-bus");
	const struct lb_driver *sd = find(ctx, LB_DRIVER_SIDEBAND, "pair-sb");
	const struct lb_ctx_plugin *pl = lb_ctx_driver_plugin(ctx, bd);
	assert_non_null(pl);
	assert_non_null(pl->dl_handle);
	assert_ptr_equal(lb_ctx_driver_plugin(ctx, sd), pl);
	assert_int_equal(pl->refs, 2);
	assert_int_equal(ctx->n_plugins, 1);
	/* loaded once more: refused as a duplicate, and that second dlopen is closed again */
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_EXISTS);
	assert_non_null(strstr(lb_ctx_last_error(ctx), path));
	assert_int_equal(ctx->n_plugins, 1);
	assert_int_equal(pl->refs, 2);

	/*
	 * The plugin reads its options with the library's getters, and a bad one is explained
	 * by the reader's message, named after the driver's options.
	 */
	struct lb_bus *bus;
	struct lb_sideband *sb;
	assert_int_equal(lb_bus_open(ctx, "pair-bus", "{\"lines\": 65536}", NULL, &bus), LB_E_RANGE);
	assert_string_equal(lb_ctx_last_error(ctx), "pair-bus options: lines: 65536 is out of range 0..65535");
	assert_int_equal(lb_bus_open(ctx, "pair-bus", "{\"lines\": [1]", NULL, &bus), LB_E_PARSE);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "pair-bus options: line 1: "));
	assert_int_equal(lb_bus_open(ctx, "pair-bus", "[]", NULL, &bus), LB_E_PARSE);
	assert_string_equal(lb_ctx_last_error(ctx), "pair-bus options: (top): not a JSON object");
	assert_int_equal(lb_bus_open(ctx, "pair-bus", "{\"lines\": 4}", NULL, &bus), LB_OK);
	/* the companion reaches its own bus's instance (lb_bus_driver_priv, by identity) */
	assert_int_equal(lb_sideband_open(ctx, "pair-sb", NULL, bus, &sb), LB_OK);
	bool on = false;
	assert_int_equal(lb_sideband_get(sb, LB_SB_MODSELL, &on), LB_OK); /* lines 4: bit 2 */
	assert_true(on);
	assert_int_equal(lb_sideband_set(sb, LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(lb_sideband_get(sb, LB_SB_LPMODE, &on), LB_OK);
	assert_true(on);
	lb_sideband_close(sb);
	/* lb_bus_driver_priv accepts the driver's own struct and the core's copy, nothing else */
	assert_non_null(lb_bus_driver_priv(bus, bd));
	assert_null(lb_bus_driver_priv(bus, sd));
	/* and its lb_driver_error() explains its failure to this thread */
	lb_ctx_clear_error(ctx);
	assert_int_equal(lb_sideband_open(ctx, "pair-sb", NULL, NULL, &sb), LB_E_INVAL);
	assert_string_equal(lb_ctx_last_error(ctx), "pair-sb: needs a pair-bus bus");
	lb_bus_close(bus);

	void *h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(h); /* loaded while the context lives */
	dlclose(h);
	lb_ctx_destroy(ctx);
	assert_unloaded(path); /* and closed (once: the refcount reached 0 exactly) with it */
}

/* (c) A wrong kind version: LB_E_ABI, naming plugin, driver, kind and both versions. */
static void test_wrong_kind_version_refused(void **state)
{
	(void)state;
	const char *path = plugin("lbt_pair_badkind");
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	unsigned before = lb_ctx_driver_count(ctx);
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_ABI);
	char want[1200];
	snprintf(want, sizeof(want), "plugin %s: driver pair-sb: sideband ABI %u, library has sideband ABI %u",
		 path, LB_SIDEBAND_ABI + 1, LB_SIDEBAND_ABI);
	assert_string_equal(lb_ctx_last_error(ctx), want);
	/* its bus driver went with it */
	assert_not_registered(ctx, LB_DRIVER_BUS, "pair-bus");
	assert_int_equal(lb_ctx_driver_count(ctx), before);
	assert_unloaded(path);

	/* Each kind is checked against its own version only. */
	static const struct lb_bus_ops bo = { .size = sizeof(struct lb_bus_ops) };
	static const struct lb_sideband_ops so = { .size = sizeof(struct lb_sideband_ops) };
	static const struct lb_module_ext_ops eo = { .size = sizeof(struct lb_module_ext_ops) };
	static const struct lb_asic_ops ao = { .size = sizeof(struct lb_asic_ops) };
	struct {
		enum lb_driver_kind kind;
		unsigned lib_abi;
		const void *ops;
		const char *kind_name;
	} k[] = {
		{ LB_DRIVER_BUS, LB_BUS_ABI, &bo, "bus" },
		{ LB_DRIVER_SIDEBAND, LB_SIDEBAND_ABI, &so, "sideband" },
		{ LB_DRIVER_MODULE_EXT, LB_MODULE_EXT_ABI, &eo, "module-ext" },
		{ LB_DRIVER_ASIC, LB_ASIC_ABI, &ao, "asic" },
	};
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct lb_driver d = { .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				       .kind = k[i].kind, .kind_abi = k[i].lib_abi + 7, .name = "future" };
		d.ops.bus = k[i].ops;
		assert_int_equal(lb_ctx_register_driver(ctx, &d), LB_E_ABI);
		snprintf(want, sizeof(want), "driver future: %s ABI %u, library has %s ABI %u", k[i].kind_name,
			 k[i].lib_abi + 7, k[i].kind_name, k[i].lib_abi);
		assert_string_equal(lb_ctx_last_error(ctx), want);
	}
	/* another struct lb_driver ABI, or an unknown kind */
	struct lb_driver d = { .abi = LB_DRIVER_ABI + 1, .size = sizeof(struct lb_driver),
			       .kind = LB_DRIVER_BUS, .name = "other", .ops.bus = &bo };
	assert_int_equal(lb_ctx_register_driver(ctx, &d), LB_E_ABI);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "struct lb_driver of ABI 2"));
	d.abi = LB_DRIVER_ABI;
	d.kind = (enum lb_driver_kind)9;
	assert_int_equal(lb_ctx_register_driver(ctx, &d), LB_E_ABI);
	assert_string_equal(lb_ctx_last_error(ctx), "driver other: unknown driver kind 9");
	assert_int_equal(lb_ctx_driver_count(ctx), before);
	lb_ctx_destroy(ctx);
}

static int nop_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)priv;
	(void)env;
	(void)options;
	(void)handle;
	return LB_OK;
}
static int asic_nop_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
			 void *handle)
{
	(void)priv;
	(void)env;
	(void)options;
	(void)handle;
	return LB_OK;
}
static void nop_close(void *priv)
{
	(void)priv;
}
static size_t nop_max(void *priv)
{
	(void)priv;
	return 8;
}
static int nop_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

static int nop_match(const struct lb_module_ext_match *id)
{
	(void)id;
	return 0;
}

/* (d) Tables below their first layout, and a struct lb_driver below its own, are refused. */
static void test_short_tables_refused(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	unsigned before = lb_ctx_driver_count(ctx);
	static struct lb_bus_ops bo;
	static struct lb_sideband_ops so;
	static struct lb_module_ext_ops eo;
	static struct lb_asic_ops ao;
	bo = (struct lb_bus_ops){ .caps = LB_BUS_CAP_I2C, .open = nop_open, .close = nop_close,
				  .max_transfer = nop_max, .xfer = nop_xfer };
	so = (struct lb_sideband_ops){ .open = nop_open, .close = nop_close };
	ao = (struct lb_asic_ops){ .open = asic_nop_open, .close = nop_close };
	eo = (struct lb_module_ext_ops){ .match = nop_match };
	struct {
		enum lb_driver_kind kind;
		unsigned abi;
		size_t *size, min;
		const void *ops;
		const char *kind_name, *name;
	} k[] = {
		{ LB_DRIVER_BUS, LB_BUS_ABI, &bo.size, LB_BUS_OPS_MIN_SIZE, &bo, "bus", "short-bus" },
		{ LB_DRIVER_SIDEBAND, LB_SIDEBAND_ABI, &so.size, LB_SIDEBAND_OPS_MIN_SIZE, &so, "sideband",
		  "short-sb" },
		{ LB_DRIVER_MODULE_EXT, LB_MODULE_EXT_ABI, &eo.size, LB_MODULE_EXT_OPS_MIN_SIZE, &eo,
		  "module-ext", "short-ext" },
		{ LB_DRIVER_ASIC, LB_ASIC_ABI, &ao.size, LB_ASIC_OPS_MIN_SIZE, &ao, "asic", "short-asic" },
	};
	static struct lb_driver d[4];
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		d[i] = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
					   .kind = k[i].kind, .kind_abi = k[i].abi, .name = k[i].name };
		d[i].ops.bus = k[i].ops;
		*k[i].size = k[i].min - 1;
		assert_int_equal(lb_ctx_register_driver(ctx, &d[i]), LB_E_ABI);
		char want[256];
		snprintf(want, sizeof(want), "driver %s: %s ops table of %zu bytes, at least %zu needed",
			 k[i].name, k[i].kind_name, k[i].min - 1, k[i].min);
		assert_string_equal(lb_ctx_last_error(ctx), want);
		/* the first layout itself is enough */
		*k[i].size = k[i].min;
		assert_int_equal(lb_ctx_register_driver(ctx, &d[i]), LB_OK);
	}
	/* a module extension must match */
	static struct lb_module_ext_ops no_match;
	no_match = (struct lb_module_ext_ops){ .size = sizeof(no_match) };
	struct lb_driver nm = { .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				.kind = LB_DRIVER_MODULE_EXT, .kind_abi = LB_MODULE_EXT_ABI,
				.name = "no-match", .ops.module_ext = &no_match };
	assert_int_equal(lb_ctx_register_driver(ctx, &nm), LB_E_INVAL);
	assert_string_equal(lb_ctx_last_error(ctx),
			    "driver no-match: incomplete module extension ops table (match is required)");
	/* struct lb_driver: below its first layout refused; larger (a newer driver) taken */
	struct lb_driver small = { .abi = LB_DRIVER_ABI, .size = LB_DRIVER_MIN_SIZE - 1,
				   .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI, .name = "small",
				   .ops.bus = &bo };
	assert_int_equal(lb_ctx_register_driver(ctx, &small), LB_E_ABI);
	static struct {
		struct lb_driver d;
		uint64_t appended_later;
	} newer;
	newer.d = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(newer), .kind = LB_DRIVER_BUS,
				      .kind_abi = LB_BUS_ABI, .name = "newer", .ops.bus = &bo };
	newer.appended_later = 42;
	assert_int_equal(lb_ctx_register_driver(ctx, &newer.d), LB_OK);
	assert_int_equal(find(ctx, LB_DRIVER_BUS, "newer")->size, sizeof(struct lb_driver));
	/* no table at all */
	struct lb_driver none = { .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
				  .kind = LB_DRIVER_SIDEBAND, .kind_abi = LB_SIDEBAND_ABI, .name = "none" };
	assert_int_equal(lb_ctx_register_driver(ctx, &none), LB_E_INVAL);
	assert_int_equal(lb_ctx_driver_count(ctx), before + 5);

	/* through a plugin: the pair whose sideband table is one op short loads neither */
	const char *path = plugin("lbt_pair_tiny");
	assert_int_equal(lb_ctx_load_plugin(ctx, path), LB_E_ABI);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "sideband ops table of"));
	assert_not_registered(ctx, LB_DRIVER_BUS, "pair-bus");
	assert_int_equal(lb_ctx_driver_count(ctx), before + 5);
	lb_ctx_destroy(ctx);
	assert_unloaded(path);
}

/* (e) The second driver of a plugin fails: neither registers, and the object is unloaded. */
static void test_plugin_all_or_none(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	unsigned before = lb_ctx_driver_count(ctx);
	/* a name already taken (the emulator's sideband): found under the lock */
	const char *dup = plugin("lbt_pair_dup");
	assert_int_equal(lb_ctx_load_plugin(ctx, dup), LB_E_EXISTS);
	char want[1200];
	snprintf(want, sizeof(want),
		 "plugin %s: driver emulator: a sideband driver of that name is already registered", dup);
	assert_string_equal(lb_ctx_last_error(ctx), want);
	assert_not_registered(ctx, LB_DRIVER_BUS, "pair-bus");
	assert_int_equal(lb_ctx_driver_count(ctx), before);
	assert_int_equal(ctx->n_plugins, 0);
	assert_unloaded(dup);
	/* a table without its required close op: found before anything is registered */
	const char *noclose = plugin("lbt_pair_noclose");
	assert_int_equal(lb_ctx_load_plugin(ctx, noclose), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "pair-sb: incomplete sideband ops table"));
	assert_not_registered(ctx, LB_DRIVER_BUS, "pair-bus");
	assert_int_equal(lb_ctx_driver_count(ctx), before);
	assert_unloaded(noclose);
	/* nothing was left half-registered: the good pair loads after them */
	const char *good = plugin("lbt_pair");
	assert_int_equal(lb_ctx_load_plugin(ctx, good), LB_OK);
	assert_int_equal(lb_ctx_driver_count(ctx), before + 2);
	lb_ctx_destroy(ctx);
	assert_unloaded(good);
}

/* Every built-in driver declares the current versions and sits in the registry zero-extended. */
static void test_builtin_drivers_current(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_true(lb_ctx_driver_count(ctx) > 0);
	for (unsigned i = 0; i < lb_ctx_driver_count(ctx); i++) {
		const struct lb_driver *d = lb_ctx_driver_at(ctx, i);
		assert_int_equal(d->size, sizeof(struct lb_driver));
		unsigned want = d->kind == LB_DRIVER_BUS ? LB_BUS_ABI
				: d->kind == LB_DRIVER_SIDEBAND ? LB_SIDEBAND_ABI : 1;
		assert_int_equal(d->kind_abi, want);
		if (d->kind == LB_DRIVER_BUS)
			assert_int_equal(d->ops.bus->size, sizeof(struct lb_bus_ops));
		if (d->kind == LB_DRIVER_SIDEBAND)
			assert_int_equal(d->ops.sideband->size, sizeof(struct lb_sideband_ops));
		assert_null(lb_ctx_driver_plugin(ctx, d));
	}
	assert_null(lb_ctx_driver_at(ctx, lb_ctx_driver_count(ctx)));
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_abi1_plugin_refused),
		cmocka_unit_test(test_first_layout_every_kind),
		cmocka_unit_test(test_plugin_with_two_drivers),
		cmocka_unit_test(test_wrong_kind_version_refused),
		cmocka_unit_test(test_short_tables_refused),
		cmocka_unit_test(test_plugin_all_or_none),
		cmocka_unit_test(test_builtin_drivers_current),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
