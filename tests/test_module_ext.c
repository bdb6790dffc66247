/* SPDX-License-Identifier: MIT */
/*
 * Module extension drivers (LB_DRIVER_MODULE_EXT): matching on the identity (OUI, part number,
 * revision, CMIS revision), the built-in "lightbridge-emu" extension on the emulated coherent
 * module's vendor page B0h (fields, line modes), the plain CMIS answer where an extension has
 * none, and an out-of-tree extension registered by the test itself: its private data from
 * attach to detach, detach on invalidation, on removal and on close, a decode of its own,
 * precedence over a built-in. The checking allocators (ASan) tell a priv that is not freed
 * or used after its detach.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"

#define COHERENT "coherent-800g-qsfpdd"
#define FR4 "400g-fr4-qsfpdd"

static struct lb_bus_stats stats(struct lb_test_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &s);
	return s;
}

static bool have_builtin(struct lb_test_rig *r)
{
	const struct lb_driver *d;
	return lb_ctx_find_driver(r->ctx, LB_DRIVER_MODULE_EXT, "lightbridge-emu", &d) == LB_OK;
}

static void poke_string(struct lb_test_rig *r, uint8_t offset, const char *s, size_t width)
{
	uint8_t b[16];
	memset(b, ' ', sizeof(b));
	memcpy(b, s, strlen(s));
	assert_int_equal(lb_emu_module_poke(r->emu, 0, 0x00, offset, b, width), LB_OK);
}

/* ---- the built-in extension ---- */

static void test_builtin_matches_its_family_only(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 400, false);
	if (!have_builtin(&r)) {
		lb_test_rig_down(&r);
		skip();
	}
	/* after an identity read: matched with no traffic of its own */
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_string_equal(lb_module_extension_name(r.m), "lightbridge-emu");
	assert_int_equal(stats(&r).transactions, 0);

	/* same vendor, another part number: no extension, plain CMIS */
	lb_test_rig_down(&r);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 400, false);
	assert_string_equal(lb_module_extension_name(r.m), "");
	lb_test_rig_down(&r);

	/* the family's part number, but a hardware revision before the page, a CMIS 4 firmware,
	 * or another OUI: none matches (each seen after lb_module_invalidate, a new insertion) */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 400, false);
	assert_string_equal(lb_module_extension_name(r.m), "lightbridge-emu");
	poke_string(&r, 164, "A0", 2);
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "");
	poke_string(&r, 164, "B2", 2);
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "lightbridge-emu");
	uint8_t rev = 0x40;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0, 1, &rev, 1), LB_OK);
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "");
	rev = 0x52;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0, 1, &rev, 1), LB_OK);
	const uint8_t oui[3] = { 0x00, 0x90, 0x65 };
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x00, 145, oui, 3), LB_OK);
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "");
	lb_test_rig_down(&r);
}

/* Without an identity read first, the match reads what it needs once (page 00h). */
static void test_match_reads_identity_once(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 400, false);
	if (!have_builtin(&r)) {
		lb_test_rig_down(&r);
		skip();
	}
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_string_equal(lb_module_extension_name(r.m), "lightbridge-emu");
	lb_bus_reset_stats(r.bus);
	assert_string_equal(lb_module_extension_name(r.m), "lightbridge-emu");
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	struct lb_bus_stats s = stats(&r);
	assert_true(s.transactions <= 4); /* the poll alone, as before extensions */
	assert_true(fabs(mon.temperature_c - 48.5) < 0.01); /* no decode of its own: plain CMIS */
	lb_test_rig_down(&r);
}

static const struct lb_module_field *field(const struct lb_module_field *f, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(f[i].name, name) == 0)
			return &f[i];
	fail_msg("no field %s", name);
	return NULL;
}

static void test_builtin_vendor_page(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 400, false);
	if (!have_builtin(&r)) {
		lb_test_rig_down(&r);
		skip();
	}
	uint8_t pages[4];
	size_t n = 99;
	assert_int_equal(lb_module_list_vendor_pages(r.m, pages, 4, &n), LB_OK);
	assert_int_equal(n, 1);
	assert_int_equal(pages[0], 0xB0);
	assert_int_equal(lb_module_list_vendor_pages(r.m, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 1);

	struct lb_module_field f[8];
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB0, f, 8, &n), LB_OK);
	assert_int_equal(n, 6);
	assert_string_equal(field(f, n, "signature")->text, "LBE1");
	assert_true(isnan(field(f, n, "signature")->value));
	assert_true(field(f, n, "laser_temp_c")->value == 47.0);
	assert_int_equal(field(f, n, "laser_temp_c")->offset, 134);
	assert_true(field(f, n, "laser_tec_current_ma")->value == 152.5);
	assert_string_equal(field(f, n, "line_modes_supported")->text, "1,2,3");
	const struct lb_module_field *lm = field(f, n, "line_mode");
	assert_true(lm->value == 0.0);
	assert_string_equal(lm->text, "application");
	assert_true(lm->writable);
	assert_int_equal(lm->page, 0xB0);
	assert_int_equal(lm->offset, 144);
	/* fewer than there are: the count still says how many */
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB0, f, 2, &n), LB_OK);
	assert_int_equal(n, 6);
	assert_string_equal(f[1].name, "layout_version");
	/* a page the extension does not know, and one that is not a vendor page */
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB1, f, 8, &n), LB_E_NOTSUP);
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0x12, f, 8, &n), LB_E_INVAL);
	/* a page that lost its signature is not decoded as if it had it */
	uint8_t junk = 0;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0xB0, 128, &junk, 1), LB_OK);
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB0, f, 8, &n), LB_E_NOTSUP);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "LBE1"));
	assert_int_equal(lb_module_list_vendor_pages(r.m, pages, 4, &n), LB_OK);
	assert_int_equal(n, 0);
	lb_test_rig_down(&r);

	/* plain CMIS: no vendor page known, none decoded */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 400, false);
	assert_int_equal(lb_module_list_vendor_pages(r.m, pages, 4, &n), LB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB0, f, 8, &n), LB_E_NOTSUP);
	lb_test_rig_down(&r);
}

static void test_builtin_line_modes(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, COHERENT, 400, false);
	if (!have_builtin(&r)) {
		lb_test_rig_down(&r);
		skip();
	}
	/* the six coherent applications' modes first (AppSel order), then the extension's three */
	struct lb_line_mode all[12];
	all[0] = (struct lb_line_mode)LB_LINE_MODE_INIT;
	size_t n = 0;
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 9);
	assert_int_equal(lb_module_list_line_modes(r.m, all, 12, &n), LB_OK);
	assert_int_equal(n, 9);
	assert_string_equal(all[0].id, "800zr");
	assert_int_equal(all[0].appsel, 1);
	assert_int_equal(all[0].vendor_code, 0);
	struct lb_line_mode *modes = &all[6];
	n = 3;
	assert_string_equal(modes[0].id, "800g-pcs-131e");
	assert_string_equal(modes[1].id, "700g-pcs-118-h3.5");
	assert_string_equal(modes[2].id, "600g-pcs-118");
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(modes[i].format, LB_LINK_FORMAT_PCS);
		assert_true(modes[i].entropy_bits >= 3.0 && modes[i].entropy_bits <= 3.6);
		assert_string_equal(modes[i].fec, "oFEC");
	}
	/* the ids are those of the line-mode table, where the physics is */
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s/link/modes.json", LB_SOURCE_DIR);
	struct lb_line_modes table;
	assert_int_equal(lb_line_modes_load(path, &table, err, sizeof(err)), LB_OK);
	for (size_t i = 0; i < n; i++) {
		const struct lb_line_mode *t = lb_line_modes_find(&table, modes[i].id);
		assert_non_null(t);
		assert_true(fabs(t->baud_gbd - modes[i].baud_gbd) < 1e-9);
	}
	lb_line_modes_free(&table);

	char id[LB_LINK_ID_LEN];
	/* no vendor mode: "" (the application's own), which power per bit names */
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	struct lb_power_per_bit ppb = LB_POWER_PER_BIT_INIT;
	assert_int_equal(lb_module_get_power_per_bit(r.m, &ppb), LB_OK);
	assert_string_equal(ppb.line_mode, "800zr");
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "600g-pcs-118"), LB_OK);
	uint8_t reg = 0;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xB0, 144, &reg, 1), LB_OK);
	assert_int_equal(reg, 3);
	assert_int_equal(lb_module_get_line_mode(r.m, 0xFF, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "600g-pcs-118");
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "1600g-magic"), LB_E_NOTFOUND);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "1600g-magic"));
	assert_int_equal(lb_module_select_line_mode(r.m, 0x0F, "800g-pcs-131e"), LB_E_INVAL);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, ""), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xB0, 144, &reg, 1), LB_OK);
	assert_int_equal(reg, 0);
	/* a mode the module does not list cannot be selected */
	uint8_t only_first = 0x01;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0xB0, 133, &only_first, 1), LB_OK);
	assert_int_equal(lb_module_list_line_modes(r.m, all, 12, &n), LB_OK);
	assert_int_equal(n, 7);
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "600g-pcs-118"), LB_E_NOTFOUND);
	lb_test_rig_down(&r);

	/* plain CMIS: no line modes beyond the applications, none selected, none to select */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 400, false);
	assert_int_equal(lb_module_list_line_modes(r.m, all, 4, &n), LB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_int_equal(lb_module_select_line_mode(r.m, 0, "600g-pcs-118"), LB_E_NOTSUP);
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 1, &n), LB_E_INVAL);
	assert_int_equal(lb_module_list_line_modes(NULL, all, 4, &n), LB_E_INVAL);
	all[0].size = 0; /* an element of no layout */
	assert_int_equal(lb_module_list_line_modes(r.m, all, 4, &n), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/* ---- an extension from out of the tree, as a plugin would register it ---- */

#define PRIV_MAGIC 0x5eed1e55u

static struct {
	unsigned matches, attaches, detaches, live;
	int attach_rc;
	const char *part_number; /* what it matches */
	struct lb_module_ext_match last_id;
	struct lb_module *last_m;
} plug;

struct plug_priv {
	uint32_t magic;
	unsigned serial;
	struct lb_module *m;
	const struct lb_driver_env *env;
};

static int plug_match(const struct lb_module_ext_match *id)
{
	plug.matches++;
	plug.last_id = *id;
	return strcmp(id->part_number, plug.part_number) == 0;
}

static int plug_attach(void *priv, struct lb_module *m, const struct lb_driver_env *env)
{
	struct plug_priv *p = priv;
	assert_int_equal(p->magic, 0); /* zeroed by the core */
	if (plug.attach_rc)
		return plug.attach_rc;
	p->magic = PRIV_MAGIC;
	p->serial = ++plug.attaches;
	p->m = m;
	p->env = env;
	plug.last_m = m;
	plug.live++;
	/* it may read its module through the public calls */
	uint8_t id = 0;
	assert_int_equal(lb_module_read(m, 0, 0, 0, &id, 1), LB_OK);
	assert_int_equal(id, 0x18);
	return LB_OK;
}

static void plug_detach(void *priv)
{
	struct plug_priv *p = priv;
	assert_int_equal(p->magic, PRIV_MAGIC);
	p->magic = 0xdead;
	plug.detaches++;
	plug.live--;
}

/* This vendor's Tx bias monitor counts 4 uA, not 2 uA: its own decode of that one value. */
static int plug_decode_field(void *priv, const char *name, unsigned lane, const uint8_t *raw,
			     size_t len, double *value)
{
	struct plug_priv *p = priv;
	assert_int_equal(p->magic, PRIV_MAGIC);
	assert_int_equal(len, 2);
	(void)lane;
	if (strncmp(name, LB_FIELD_TX_BIAS_MA, strlen(LB_FIELD_TX_BIAS_MA)) != 0)
		return LB_E_NOTSUP;
	*value = (double)((unsigned)raw[0] << 8 | raw[1]) * 0.004;
	return LB_OK;
}

/* It has no line modes to list: it says so, and the plain CMIS answer stands. */
static int plug_list_line_modes(void *priv, struct lb_module *m, struct lb_line_mode *modes,
				size_t max, size_t *count)
{
	struct plug_priv *p = priv;
	assert_int_equal(p->magic, PRIV_MAGIC);
	assert_ptr_equal(m, p->m);
	(void)modes;
	(void)max;
	*count = 42; /* ignored with LB_E_NOTSUP */
	return LB_E_NOTSUP;
}

static const struct lb_module_ext_ops plug_ops = {
	.size = sizeof(struct lb_module_ext_ops),
	.priv_size = sizeof(struct plug_priv),
	.match = plug_match,
	.attach = plug_attach,
	.detach = plug_detach,
	.list_line_modes = plug_list_line_modes,
	.decode_field = plug_decode_field,
};

static const struct lb_driver plug_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_MODULE_EXT,
	.kind_abi = LB_MODULE_EXT_ABI,
	.name = "test-vendor",
	.version = "1",
	.ops.module_ext = &plug_ops,
};

static void plug_rig(struct lb_test_rig *r, const char *profile, const char *part_number)
{
	memset(&plug, 0, sizeof(plug));
	plug.part_number = part_number;
	lb_test_rig_profile(r, LB_SOURCE_DIR, profile, 400, false);
	lb_ctx_set_log(r->ctx, NULL, NULL, LB_LOG_ERR);
	assert_int_equal(lb_ctx_register_driver(r->ctx, &plug_driver), LB_OK);
}

static void test_plugin_matches_on_identity(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_int_equal(plug.attaches, 1);
	assert_int_equal(plug.last_id.size, sizeof(struct lb_module_ext_match));
	assert_int_equal(plug.last_id.identifier, 0x18);
	assert_int_equal(plug.last_id.cmis_major, 5);
	assert_int_equal(plug.last_id.cmis_minor, 0);
	assert_memory_equal(plug.last_id.vendor_oui, "\x0a\x1b\x2c", 3);
	assert_string_equal(plug.last_id.vendor_name, "LIGHTBRIDGE EMU");
	assert_string_equal(plug.last_id.revision, "B0");
	assert_ptr_equal(plug.last_m, r.m);
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	/* matched once per insertion: more identity reads do not match again */
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_int_equal(plug.attaches, 1);
	assert_int_equal(plug.matches, 1);
	lb_test_rig_down(&r);
	assert_int_equal(plug.detaches, 1); /* on close */
	assert_int_equal(plug.live, 0);
}

/* The extension's own decode where it has one; plain CMIS for the rest, and where it says NOTSUP. */
static void test_plugin_decode_and_fallback(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	/* the plain figures first, in a context without the extension */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, FR4, 400, false);
	struct lb_module_monitors plain = LB_MODULE_MONITORS_INIT;
	struct lb_module_thresholds plain_th = LB_MODULE_THRESHOLDS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &plain), LB_OK);
	assert_int_equal(lb_module_get_thresholds(r.m, &plain_th), LB_OK);
	lb_test_rig_down(&r);

	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(plug.attaches, 1); /* matched at the poll: no identity read came first */
	assert_int_equal(mon.lanes, plain.lanes);
	assert_true(mon.lanes > 0);
	assert_true(mon.temperature_c == plain.temperature_c);
	assert_true(mon.vcc_v == plain.vcc_v);
	for (unsigned l = 0; l < mon.lanes; l++) {
		assert_true(fabs(mon.tx_bias_ma[l] - 2.0 * plain.tx_bias_ma[l]) < 1e-9);
		assert_true(mon.tx_power_mw[l] == plain.tx_power_mw[l]);
		assert_true(mon.rx_power_mw[l] == plain.rx_power_mw[l]);
	}
	struct lb_module_thresholds th = LB_MODULE_THRESHOLDS_INIT;
	assert_int_equal(lb_module_get_thresholds(r.m, &th), LB_OK);
	assert_true(fabs(th.tx_bias_ma.high_alarm - 2.0 * plain_th.tx_bias_ma.high_alarm) < 1e-9);
	assert_true(fabs(th.tx_bias_ma.low_warn - 2.0 * plain_th.tx_bias_ma.low_warn) < 1e-9);
	assert_true(th.temperature_c.high_alarm == plain_th.temperature_c.high_alarm);
	/* an op it answers LB_E_NOTSUP: the plain answer */
	struct lb_line_mode modes[2] = { LB_LINE_MODE_INIT, LB_LINE_MODE_INIT };
	size_t n = 7;
	assert_int_equal(lb_module_list_line_modes(r.m, modes, 2, &n), LB_OK);
	assert_int_equal(n, 0);
	/* an op it leaves NULL: the plain answer too */
	char id[LB_LINK_ID_LEN];
	assert_int_equal(lb_module_get_line_mode(r.m, 0, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	assert_int_equal(lb_module_decode_vendor_page(r.m, 0, 0xB0, NULL, 0, &n), LB_E_NOTSUP);
	lb_test_rig_down(&r);
	assert_int_equal(plug.live, 0);
}

/* Invalidation (reset, swap, ModPrsL) detaches and frees priv; the next consultation attaches anew. */
static void test_plugin_detached_on_invalidate(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	assert_int_equal(plug.attaches, 1);
	lb_module_invalidate(r.m);
	assert_int_equal(plug.detaches, 1);
	assert_int_equal(plug.live, 0);
	lb_module_invalidate(r.m); /* nothing attached: nothing to detach */
	assert_int_equal(plug.detaches, 1);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(plug.attaches, 2);
	/* a software reset invalidates too */
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	assert_int_equal(plug.detaches, 2);
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	assert_int_equal(plug.attaches, 3);
	lb_test_rig_down(&r);
	assert_int_equal(plug.detaches, 3);
	assert_int_equal(plug.live, 0);
}

/* A module pulled out: the next call that consults the extension detaches it. */
static void test_plugin_detached_on_removal(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(plug.live, 1);
	lb_emu_module_remove(r.emu);
	int rc = lb_module_get_monitors(r.m, &mon);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV);
	assert_int_equal(plug.detaches, 1);
	assert_int_equal(plug.live, 0);
	assert_string_equal(lb_module_extension_name(r.m), "");
	/* another call that fails on its own (the state read) leaves the next one to notice */
	lb_emu_module_insert(r.emu);
	lb_emu_world_advance_ns(r.world, 3000000000ull); /* past its management init */
	lb_module_invalidate(r.m);                      /* as ModPrsL would have it */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(plug.attaches, 2);
	lb_emu_module_remove(r.emu);
	enum lb_module_state st;
	assert_int_not_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal(plug.live, 1);
	assert_string_equal(lb_module_extension_name(r.m), "");
	assert_int_equal(plug.live, 0);
	lb_test_rig_down(&r);
	assert_int_equal(plug.detaches, 2);
}

/* An attach that fails leaves the module on plain CMIS (until it is invalidated). */
static void test_plugin_attach_failure(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	plug.attach_rc = LB_E_NOTSUP;
	assert_string_equal(lb_module_extension_name(r.m), "");
	assert_string_equal(lb_module_extension_name(r.m), "");
	assert_int_equal(plug.matches, 1); /* not retried for the same insertion */
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	plug.attach_rc = LB_OK;
	lb_module_invalidate(r.m);
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	lb_test_rig_down(&r);
	assert_int_equal(plug.live, 0);
}

/* Registered last, it wins over the built-in extension for the same module. */
static void test_plugin_overrides_builtin(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, COHERENT, "LBE-800ZR-QDD");
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	/* and what it does not do falls back to plain CMIS, not to the built-in: the
	   applications' six modes, none of the built-in's PCS modes */
	size_t n = 5;
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 6);
	lb_test_rig_down(&r);
	assert_int_equal(plug.live, 0);
}

/* Many modules, one extension: one priv each. */
static void test_plugin_priv_per_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	plug_rig(&r, FR4, "LBE-400FR4-QDD");
	struct lb_module *m2;
	assert_int_equal(lb_module_open(r.bus, NULL, &m2), LB_OK);
	assert_string_equal(lb_module_extension_name(r.m), "test-vendor");
	assert_string_equal(lb_module_extension_name(m2), "test-vendor");
	assert_int_equal(plug.live, 2);
	lb_module_close(m2);
	assert_int_equal(plug.live, 1);
	lb_module_close(NULL);
	lb_test_rig_down(&r);
	assert_int_equal(plug.live, 0);
	assert_int_equal(plug.detaches, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_matches_its_family_only),
		cmocka_unit_test(test_match_reads_identity_once),
		cmocka_unit_test(test_builtin_vendor_page),
		cmocka_unit_test(test_builtin_line_modes),
		cmocka_unit_test(test_plugin_matches_on_identity),
		cmocka_unit_test(test_plugin_decode_and_fallback),
		cmocka_unit_test(test_plugin_detached_on_invalidate),
		cmocka_unit_test(test_plugin_detached_on_removal),
		cmocka_unit_test(test_plugin_attach_failure),
		cmocka_unit_test(test_plugin_overrides_builtin),
		cmocka_unit_test(test_plugin_priv_per_module),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
