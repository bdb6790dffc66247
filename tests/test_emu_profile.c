/* SPDX-License-Identifier: MIT */
/* Profiles: every shipped profile loads with correct checksums and advertisement; bad ones are refused. */
#include <dirent.h>
#include <stdlib.h>
#include <jansson.h>
#include "emu_fixture.h"

static uint8_t sum(const uint8_t *page, unsigned from, unsigned to)
{
	unsigned s = 0;
	for (unsigned b = from; b <= to; b++)
		s += page[b - 128];
	return (uint8_t)s;
}

static void check_checksums(struct lb_emu_module *m)
{
	uint8_t p[128];
	assert_int_equal(lb_emu_module_peek(m, 0, 0x00, 128, p, 128), LB_OK);
	assert_int_equal(p[222 - 128], sum(p, 128, 221));
	assert_int_equal(lb_emu_module_peek(m, 0, 0x01, 128, p, 128), LB_OK);
	assert_int_equal(p[255 - 128], sum(p, 130, 254));
	assert_int_equal(lb_emu_module_peek(m, 0, 0x02, 128, p, 128), LB_OK);
	assert_int_equal(p[255 - 128], sum(p, 128, 254));
}

static void test_all_profiles_load(void **state)
{
	(void)state;
	DIR *d = opendir(LB_SOURCE_DIR "/emulator/profiles");
	assert_non_null(d);
	struct dirent *e;
	unsigned n = 0;
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		char path[512], err[256] = "";
		snprintf(path, sizeof(path), "%s/emulator/profiles/%s", LB_SOURCE_DIR, e->d_name);
		struct lb_emu_module *m;
		int rc = lb_emu_module_create(w, path, &m, err, sizeof(err));
		if (rc)
			print_error("%s\n", err);
		assert_int_equal(rc, LB_OK);
		assert_int_equal(strncmp(lb_emu_module_name(m), e->d_name, len - 5), 0);
		check_checksums(m);
		assert_int_equal(lb_emu_module_state(m), 1);
		uint8_t b3;
		assert_int_equal(lb_emu_module_peek(m, 0, 0, 3, &b3, 1), LB_OK);
		assert_int_equal(b3, 0x03);
		struct lb_emu_timing t;
		lb_emu_module_get_timing(m, &t);
		assert_true(t.module_pwr_up_ns > 0 && t.dp_init_ns > 0);
		n++;
	}
	closedir(d);
	assert_true(n >= 4);
	lb_emu_world_destroy(w);
}

static uint8_t pk(struct lb_emu_module *m, uint8_t bank, uint8_t page, uint8_t off)
{
	uint8_t v = 0;
	assert_int_equal(lb_emu_module_peek(m, bank, page, off, &v, 1), LB_OK);
	return v;
}

static void test_coherent_profile(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("coherent-800g-qsfpdd"));
	struct lb_emu_module *m = fx.m;
	assert_int_equal(pk(m, 0, 0, 0), 0x18);
	assert_int_equal(pk(m, 0, 0, 1), 0x52);
	assert_int_equal(pk(m, 0, 0, 85), 0x02);              /* SMF */
	assert_int_equal(pk(m, 0, 0x00, 212), 0x10);          /* C-band tunable */
	assert_int_equal(pk(m, 0, 0x01, 251) & 3, 2);         /* full-page reads */
	assert_int_equal(pk(m, 0, 0x01, 155) & 0x40, 0x40);   /* tunable */
	assert_int_equal(pk(m, 0, 0x01, 142) & 0x10, 0x10);   /* coherent pages */
	assert_int_equal(pk(m, 0, 0x01, 144) & 0xF, 8);       /* DPInit code 8 (5-10 s) */
	assert_int_equal(pk(m, 0, 0x01, 167) & 0xF, 7);       /* PwrUp code 7 */
	assert_int_equal(pk(m, 0, 0x01, 168) & 0xF, 6);       /* TxTurnOn code 6 */
	uint8_t app[4];
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 86, app, 4), LB_OK);
	assert_memory_equal(app, ((uint8_t[]){ 0x51, 0x6C, 0x81, 0x01 }), 4);
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 90, app, 4), LB_OK);
	assert_memory_equal(app, ((uint8_t[]){ 0x11, 0x3E, 0x81, 0x01 }), 4);
	assert_int_equal(pk(m, 0, 0, 86 + 4 * 6), 0xFF); /* list ends after 6 */
	assert_int_equal(pk(m, 0, 0x04, 128), 0xA0);      /* page 04h override */
	uint8_t p4[128];
	assert_int_equal(lb_emu_module_peek(m, 0, 0x04, 128, p4, 128), LB_OK);
	assert_int_equal(p4[127], sum(p4, 128, 254));
	assert_int_equal(pk(m, 0, 0x12, 128), 0x70);
	assert_int_equal(pk(m, 0, 0x11, 206), 0x10); /* default application 1 on all lanes */
	assert_int_equal(pk(m, 0, 0x11, 213), 0x10);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x34, 128, p4, 1), LB_OK); /* C-CMIS PM page */
	assert_int_equal(lb_emu_module_peek(m, 0, 0x9F, 128, p4, 1), LB_OK); /* CDB page room */
	assert_int_equal(lb_emu_module_peek(m, 0, 0x03, 128, p4, 1), LB_E_NOTFOUND);
	fx_close(&fx);
}

static void test_other_profiles(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	assert_int_equal(pk(fx.m, 0, 0, 1), 0x50);
	assert_int_equal(pk(fx.m, 0, 0x01, 251) & 3, 1); /* full-page reads not supported */
	assert_int_equal(pk(fx.m, 0, 0x01, 144) & 0xF, 4);
	fx_close(&fx);

	fx_open(&fx, EMU_PROFILE("800g-dr8-osfp"));
	assert_int_equal(pk(fx.m, 0, 0, 0), 0x19);
	assert_int_equal(pk(fx.m, 0, 0, 90), 0x4F);            /* 2x400G-DR4 */
	assert_int_equal(pk(fx.m, 0, 0, 93), 0x11);            /* starts on lanes 1 and 5 */
	assert_int_equal(pk(fx.m, 0, 0, 97), 0xFF);            /* 8x100G-DR: any lane */
	assert_int_equal(pk(fx.m, 0, 0x01, 176 + 1), 0x11);    /* media lane options app 2 */
	fx_close(&fx);

	fx_open(&fx, EMU_PROFILE("1600g-2xdr8-osfpxd"));
	assert_int_equal(pk(fx.m, 0, 0x01, 142) & 3, 1); /* two banks */
	assert_int_equal(pk(fx.m, 1, 0x11, 206), 0x10);  /* bank 1 has its own data path */
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(fx.m, 1, 0x10, 128, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(fx.m, 2, 0x10, 128, &v, 1), LB_E_NOTFOUND);
	fx_close(&fx);
}

/* Write a modified copy of a shipped profile; edit() changes the JSON. */
static void write_variant(const char *base, const char *out, void (*edit)(json_t *))
{
	json_error_t jerr;
	json_t *root = json_load_file(base, 0, &jerr);
	assert_non_null(root);
	edit(root);
	assert_int_equal(json_dump_file(root, out, JSON_INDENT(1)), 0);
	json_decref(root);
}

static void expect_refused(const char *path, const char *field_reason)
{
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[512] = "", want[600];
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create(w, path, &m, err, sizeof(err)), LB_E_PARSE);
	assert_null(m);
	snprintf(want, sizeof(want), "%s: %s", path, field_reason);
	if (strncmp(err, want, strlen(want)))
		print_error("got \"%s\"\nwant \"%s...\"\n", err, want);
	assert_int_equal(strncmp(err, want, strlen(want)), 0);
	lb_emu_world_destroy(w);
}

static void ed_missing_vendor(json_t *r) { json_object_del(json_object_get(r, "identity"), "vendor_name"); }
static void ed_bad_lanes(json_t *r)
{
	json_object_set_new(json_array_get(json_object_get(r, "applications"), 0), "host_lanes", json_integer(3));
}
static void ed_unknown(json_t *r) { json_object_set_new(json_object_get(r, "identity"), "vendr", json_string("x")); }
static void ed_slow(json_t *r)
{
	json_object_set_new(json_object_get(json_object_get(r, "timing"), "dp_init"), "real_ms", json_integer(12000));
}
static void ed_bad_hex(json_t *r)
{
	json_object_set_new(json_array_get(json_object_get(r, "pages"), 1), "hex", json_string("7"));
}
static void ed_unadvertised(json_t *r)
{
	json_object_set_new(json_object_get(r, "capabilities"), "tunable", json_false());
}
static void ed_long_pn(json_t *r)
{
	json_object_set_new(json_object_get(r, "identity"), "part_number", json_string("THIS-PART-NUMBER-IS-TOO-LONG"));
}
static void ed_too_many_apps(json_t *r)
{
	json_t *apps = json_object_get(r, "applications");
	while (json_array_size(apps) < 16)
		json_array_append(apps, json_array_get(apps, 0));
}

static void test_malformed_profiles(void **state)
{
	(void)state;
	const char *base = EMU_PROFILE("coherent-800g-qsfpdd");
	char path[512];
	snprintf(path, sizeof(path), "%s/test_emu_profile.tmp.json", LB_BINARY_DIR);

	/* truncated file */
	FILE *f = fopen(base, "r");
	assert_non_null(f);
	char buf[4096];
	size_t n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	f = fopen(path, "w");
	assert_non_null(f);
	fwrite(buf, 1, n / 2, f);
	fclose(f);
	expect_refused(path, "line ");

	struct {
		void (*edit)(json_t *);
		const char *want;
	} cases[] = {
		{ ed_missing_vendor, "identity.vendor_name: missing" },
		{ ed_bad_lanes, "applications[0].host_lanes: must be 1, 2, 4 or 8" },
		{ ed_unknown, "identity.vendr: unknown field" },
		{ ed_slow, "timing.dp_init.real_ms: 12000 ms is not below the advertised maximum" },
		{ ed_bad_hex, "pages[1].hex: not an even number of hex digits" },
		{ ed_unadvertised, "pages[0].page: page 04h bank 0 is not advertised" },
		{ ed_long_pn, "identity.part_number: longer than 16 characters" },
		{ ed_too_many_apps, "applications: must be an array of 1 to 15" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_variant(base, path, cases[i].edit);
		expect_refused(path, cases[i].want);
	}
	remove(path);

	struct lb_emu_world *w;
	struct lb_emu_module *m;
	char err[256];
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create(w, "/nonexistent/x.json", &m, err, sizeof(err)), LB_E_NOTFOUND);
	lb_emu_world_destroy(w);
}

static void ed_flat(json_t *r)
{
	json_t *cap = json_object_get(r, "capabilities");
	json_object_set_new(cap, "paged", json_false());
	json_object_set_new(cap, "tunable", json_false());
	json_object_del(r, "pages");
}

static void test_flat_profile(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/test_emu_profile.flat.json", LB_BINARY_DIR);
	write_variant(EMU_PROFILE("coherent-800g-qsfpdd"), path, ed_flat);
	struct emu_fx fx;
	fx_open(&fx, path);
	remove(path);
	assert_int_equal(emu_rd1(fx.s, 2) & 0x80, 0x80);
	assert_int_equal(emu_host_state(fx.s), 3); /* flat memory: always ModuleReady */
	emu_wr1(fx.s, 26, 0x10);
	assert_int_equal(emu_host_state(fx.s), 3);
	emu_wr1(fx.s, 127, 0x01);
	assert_int_equal(emu_rd1(fx.s, 127), 0x00);
	uint8_t v;
	assert_int_equal(lb_emu_module_peek(fx.m, 0, 0x01, 128, &v, 1), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), LB_E_RANGE);
	assert_int_equal(lb_emu_module_inject(fx.m, LB_EMU_FAULT_MODULE_FAULT, 1), LB_E_NOTSUP);
	fx_close(&fx);
}

static void ed_power_in_mw(json_t *r)
{
	json_t *mon = json_object_get(r, "monitors");
	json_object_del(mon, "tx_power_dbm");
	json_object_del(mon, "rx_power_dbm");
	json_object_set_new(mon, "tx_power_mw", json_real(1.0));
	json_object_set_new(mon, "rx_power_mw", json_real(0.5));
}

/* Powers given in mW are the monitors' values (the dBm field, absent, no longer resets them to 0). */
static void test_monitor_power_in_mw(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/test_emu_profile.mw.json", LB_BINARY_DIR);
	write_variant(EMU_PROFILE("400g-fr4-qsfpdd"), path, ed_power_in_mw);
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[512] = "";
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	int rc = lb_emu_module_create(w, path, &m, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	remove(path);
	uint8_t tx[2], rx[2];
	assert_int_equal(lb_emu_module_peek(m, 0, 0x11, 154, tx, 2), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x11, 186, rx, 2), LB_OK);
	assert_int_equal(tx[0] << 8 | tx[1], 10000); /* 1.0 mW in 0.1 uW */
	assert_int_equal(rx[0] << 8 | rx[1], 5000);
	lb_emu_module_destroy(m);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_profiles_load),
		cmocka_unit_test(test_coherent_profile),
		cmocka_unit_test(test_other_profiles),
		cmocka_unit_test(test_malformed_profiles),
		cmocka_unit_test(test_flat_profile),
		cmocka_unit_test(test_monitor_power_in_mw),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
