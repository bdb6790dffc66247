/* SPDX-License-Identifier: MIT */
/* Application advertisement: AppSel 1-15, media lane options, names, end of list, media lanes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/cmis/decode.h"
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"
#include "synth_module.h"

struct expect_app {
	uint8_t host, media, hl, ml, hopt, mopt;
	const char *host_name, *media_name;
};

struct expect_apps {
	const char *file;
	uint8_t media_type;
	unsigned lanes;  /* lb_cmis_media_lane_count */
	unsigned count;
	struct expect_app app[LB_MODULE_MAX_APPS];
};

#define VENDOR "Vendor Specific/Custom"
static const struct expect_apps images[] = {
	{ "juniper-740-174932-800g-dr8-osfp.txt", 0x02, 8, 10, {
	  { 0x4f, 0x1c, 4, 4, 0x11, 0x11, "400GAUI-4-S C2M (Annex 120G)", "400GBASE-DR4 (Clause 124)" },
	  { 0x50, 0x1c, 4, 4, 0x11, 0x11, "400GAUI-4-L C2M (Annex 120G)", "400GBASE-DR4 (Clause 124)" },
	  { 0x4b, 0x14, 1, 1, 0xff, 0xff, "100GAUI-1-S C2M (Annex 120G)", "100GBASE-DR (Clause 140)" },
	  { 0x4c, 0x14, 1, 1, 0xff, 0xff, "100GAUI-1-L C2M (Annex 120G)", "100GBASE-DR (Clause 140)" },
	  { 0x51, 0x56, 8, 8, 0x01, 0x01, "800GAUI-8 S C2M (Annex 120G)", "800GBASE-DR8 (Clause 124)" },
	  { 0x52, 0x56, 8, 8, 0x01, 0x01, "800GAUI-8 L C2M (Annex 120G)", "800GBASE-DR8 (Clause 124)" },
	  { 0x4d, 0xe0, 2, 2, 0x55, 0x55, "200GAUI-2-S C2M (Annex 120G)", VENDOR },
	  { 0x4e, 0xe0, 2, 2, 0x55, 0x55, "200GAUI-2-L C2M (Annex 120G)", VENDOR },
	  { 0x4d, 0x00, 2, 2, 0x55, 0x55, "200GAUI-2-S C2M (Annex 120G)", "Undefined" },
	  { 0x4e, 0x00, 2, 2, 0x55, 0x55, "200GAUI-2-L C2M (Annex 120G)", "Undefined" } } },
	{ "acacia-dp08sfp8-800zr-osfp-fboss.txt", 0x02, 1, 15, {
	  { 0x51, 0x68, 8, 1, 0x01, 0x01, "800GAUI-8 S C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x52, 0x68, 8, 1, 0x01, 0x01, "800GAUI-8 L C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x4f, 0x68, 4, 1, 0x11, 0x01, "400GAUI-4-S C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x50, 0x68, 4, 1, 0x11, 0x01, "400GAUI-4-L C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x4d, 0x68, 2, 1, 0x55, 0x01, "200GAUI-2-S C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x4e, 0x68, 2, 1, 0x55, 0x01, "200GAUI-2-L C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x4b, 0x68, 1, 1, 0xff, 0x01, "100GAUI-1-S C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x4c, 0x68, 1, 1, 0xff, 0x01, "100GAUI-1-L C2M (Annex 120G)", "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
	  { 0x51, 0xf7, 8, 1, 0x01, 0x01, "800GAUI-8 S C2M (Annex 120G)", VENDOR },
	  { 0x52, 0xf7, 8, 1, 0x01, 0x01, "800GAUI-8 L C2M (Annex 120G)", VENDOR },
	  { 0x4f, 0xf7, 4, 1, 0x11, 0x01, "400GAUI-4-S C2M (Annex 120G)", VENDOR },
	  { 0x50, 0xf7, 4, 1, 0x11, 0x01, "400GAUI-4-L C2M (Annex 120G)", VENDOR },
	  { 0x4d, 0xf7, 2, 1, 0x55, 0x01, "200GAUI-2-S C2M (Annex 120G)", VENDOR },
	  { 0x4e, 0xf7, 2, 1, 0x55, 0x01, "200GAUI-2-L C2M (Annex 120G)", VENDOR },
	  { 0x4b, 0xf7, 1, 1, 0xff, 0x01, "100GAUI-1-S C2M (Annex 120G)", VENDOR } } },
	{ "credo-cac845301a2nc2xa-800g-aec-osfp.txt", 0x04, 8, 6, {
	  { 0x4b, 0x04, 1, 1, 0xff, 0xff, "100GAUI-1-S C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" },
	  { 0x4c, 0x04, 1, 1, 0xff, 0xff, "100GAUI-1-L C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" },
	  { 0x4d, 0x04, 2, 2, 0x55, 0x55, "200GAUI-2-S C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" },
	  { 0x4e, 0x04, 2, 2, 0x55, 0x55, "200GAUI-2-L C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" },
	  { 0x4f, 0x04, 4, 4, 0x11, 0x11, "400GAUI-4-S C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" },
	  { 0x50, 0x04, 4, 4, 0x11, 0x11, "400GAUI-4-L C2M (Annex 120G)", "Active Cable assembly with BER < 10^-6" } } },
	{ "fboss-2x400g-fr4-lite-osfp.txt", 0x02, 8, 6, {
	  { 0x50, 0x1d, 4, 4, 0x11, 0x11, "400GAUI-4-L C2M (Annex 120G)", "400G-FR4/400GBASE-FR4 (Clause 151)" },
	  { 0x0f, 0x18, 4, 4, 0x11, 0x11, "200GAUI-4 C2M (Annex 120E)", "200GBASE-FR4 (Clause 122)" },
	  { 0x4c, 0x15, 1, 1, 0xff, 0xff, "100GAUI-1-L C2M (Annex 120G)", "100G-FR/100GBASE-FR1 (Clause 140)" },
	  { 0x42, 0x10, 4, 4, 0x11, 0x11, "CAUI-4 C2M (Annex 83E) with RS(528,514) FEC", "100G CWDM4 MSA Spec" },
	  { 0x4e, 0xc0, 2, 2, 0x55, 0x55, "200GAUI-2-L C2M (Annex 120G)", VENDOR },
	  { 0x52, 0xc1, 8, 8, 0x01, 0x01, "800GAUI-8 L C2M (Annex 120G)", VENDOR } } },
	{ "fboss-2x400g-fr4-lpo-osfp.txt", 0x02, 8, 3, {
	  { 0x20, 0x15, 1, 1, 0xff, 0xff, "LEI-100G-PAM4-1 (LPO MSA)", "100G-FR/100GBASE-FR1 (Clause 140)" },
	  { 0x22, 0x1d, 4, 4, 0x11, 0x11, "LEI-400G-PAM4-4 (LPO MSA)", "400G-FR4/400GBASE-FR4 (Clause 151)" },
	  { 0x23, 0xc1, 8, 8, 0x01, 0x01, "LEI-800G-PAM4-8 (LPO MSA)", VENDOR } } },
	{ "arista-fb-p800g-2xdr4-osfp-fboss.txt", 0x02, 8, 4, {
	  { 0x50, 0x1c, 4, 4, 0x11, 0x11, "400GAUI-4-L C2M (Annex 120G)", "400GBASE-DR4 (Clause 124)" },
	  { 0x52, 0x00, 8, 8, 0x01, 0x01, "800GAUI-8 L C2M (Annex 120G)", "Undefined" },
	  { 0x4e, 0x00, 2, 2, 0x55, 0x55, "200GAUI-2-L C2M (Annex 120G)", "Undefined" },
	  { 0x4c, 0x15, 1, 1, 0xff, 0xff, "100GAUI-1-L C2M (Annex 120G)", "100G-FR/100GBASE-FR1 (Clause 140)" } } },
	{ "arista-qdd-400g-xdr4-qsfpdd-fboss.txt", 0x02, 4, 2, {
	  { 0x11, 0x1c, 8, 4, 0x01, 0x01, "400GAUI-8 C2M (Annex 120E)", "400GBASE-DR4 (Clause 124)" },
	  { 0x0d, 0x15, 2, 1, 0x55, 0x0f, "100GAUI-2 C2M (Annex 135G)", "100G-FR/100GBASE-FR1 (Clause 140)" } } },
	{ "cig-trd5h20enf-400g-lr4-10-qsfpdd.txt", 0x02, 4, 2, {
	  { 0x11, 0x1e, 8, 4, 0x01, 0x01, "400GAUI-8 C2M (Annex 120E)", "400G-LR4-10 MSA Spec" },
	  { 0x11, 0x43, 8, 4, 0x01, 0x01, "400GAUI-8 C2M (Annex 120E)", "400GBASE-LR4-6 (Clause 151)" } } },
};

static void check_app(const struct lb_app *a, unsigned k, const struct expect_app *e)
{
	assert_int_equal(a->appsel, k);
	assert_int_equal(a->host_id, e->host);
	assert_int_equal(a->media_id, e->media);
	assert_int_equal(a->host_lanes, e->hl);
	assert_int_equal(a->media_lanes, e->ml);
	assert_int_equal(a->host_lane_options, e->hopt);
	assert_int_equal(a->media_lane_options, e->mopt);
	assert_string_equal(a->host_name, e->host_name);
	assert_string_equal(a->media_name, e->media_name);
}

static void test_real_images(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	if (!dir)
		skip();
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		const struct expect_apps *e = &images[i];
		struct lb_test_image img;
		struct lb_app_list apps;
		char path[4200];

		print_message("%s\n", e->file);
		assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir, e->file), &img), 0);
		assert_int_equal(lb_cmis_decode_apps(img.lower, lb_test_image_page(&img, 1), &apps), LB_OK);
		assert_int_equal(apps.media_type, e->media_type);
		assert_int_equal(apps.count, e->count);
		for (unsigned k = 0; k < e->count; k++)
			check_app(&apps.app[k], k + 1, &e->app[k]);
		assert_int_equal(lb_cmis_media_lane_count(&apps, 1), e->lanes);
	}
}

static void test_end_of_list(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_app_list apps;

	lb_test_synth_cmis(&img);
	assert_int_equal(lb_cmis_decode_apps(img.lower, img.page[1], &apps), LB_OK);
	assert_int_equal(apps.count, 2);
	assert_int_equal(apps.app[1].media_lane_options, 0x0f);

	/* 0xFF first: nothing advertised. */
	img.lower[86] = 0xff;
	assert_int_equal(lb_cmis_decode_apps(img.lower, img.page[1], &apps), LB_OK);
	assert_int_equal(apps.count, 0);
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 8);

	/* No terminator anywhere: all 15, the last seven from page 01h. */
	for (unsigned k = 0; k < 15; k++) {
		uint8_t *d = k < 8 ? &img.lower[86 + 4 * k] : &img.page[1][223 - 128 + 4 * (k - 8)];
		d[0] = (uint8_t)(0x40 + k);
		d[1] = 0x1d;
		d[2] = 0x44;
		d[3] = 0x11;
	}
	assert_int_equal(lb_cmis_decode_apps(img.lower, img.page[1], &apps), LB_OK);
	assert_int_equal(apps.count, 15);
	assert_int_equal(apps.app[14].appsel, 15);
	assert_int_equal(apps.app[14].host_id, 0x4e);
	assert_int_equal(apps.app[8].host_id, 0x48);
	/* Without page 01h (flat memory) only the lower eight exist. */
	assert_int_equal(lb_cmis_decode_apps(img.lower, NULL, &apps), LB_OK);
	assert_int_equal(apps.count, 8);
	assert_int_equal(apps.app[0].media_lane_options, 0);

	/* Host ID 0x00 in the middle does not end the list (SONiC skips it, FBOSS does not stop). */
	lb_test_synth_cmis(&img);
	img.lower[86 + 8] = 0x00;
	img.lower[86 + 9] = 0x00;
	img.lower[86 + 10] = 0x11;
	img.lower[86 + 11] = 0x01;
	img.lower[86 + 12] = 0xff;
	assert_int_equal(lb_cmis_decode_apps(img.lower, img.page[1], &apps), LB_OK);
	assert_int_equal(apps.count, 3);
	assert_string_equal(apps.app[2].host_name, "Undefined");
	assert_string_equal(apps.app[2].media_name, "Undefined");
}

static void test_media_lane_count(void **state)
{
	(void)state;
	struct lb_app_list apps = { .count = 1 };

	apps.app[0] = (struct lb_app){ .media_lanes = 4, .media_lane_options = 0x01 };
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 4);
	apps.app[0].media_lane_options = 0x11;
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 8);
	apps.app[0].media_lane_options = 0;  /* not advertised: the lane count alone */
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 4);
	apps.app[0] = (struct lb_app){ .media_lanes = 1, .media_lane_options = 0x01 };
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 1);
	/* Two banks: the second bank's media lane is lane 9, not lane 2. */
	assert_int_equal(lb_cmis_media_lane_count(&apps, 2), 9);
	apps.app[0] = (struct lb_app){ .media_lanes = 4, .media_lane_options = 0x01 };
	assert_int_equal(lb_cmis_media_lane_count(&apps, 2), 12);
	assert_int_equal(lb_cmis_media_lane_count(&apps, 4), 28);
	apps.app[0] = (struct lb_app){ .media_lanes = 8, .media_lane_options = 0x01 };
	assert_int_equal(lb_cmis_media_lane_count(&apps, 2), 16);
	assert_int_equal(lb_cmis_media_lane_count(&apps, 4), 32);
	assert_int_equal(lb_cmis_media_lane_count(&apps, 8), 32);
	/* A start bit that would run past lane 8 is capped at the bank. */
	apps.app[0] = (struct lb_app){ .media_lanes = 4, .media_lane_options = 0x80 };
	assert_int_equal(lb_cmis_media_lane_count(&apps, 1), 8);
}

/* ---- through the bus ---- */

static void test_bus_cache(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_app_list apps;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, true);
	assert_int_equal(lb_module_page_supported(r.m, 0, 1), 1);  /* probe out of the way */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	/*
	 * lower 85-117 (5 reads of 8); page 01h's part (176-190, 223-250) is the advertisement's,
	 * read whole with its checksum when the module was probed
	 */
	assert_int_equal(lb_test_rig_stats(&r).reads, 5);
	assert_int_equal(apps.media_type, 0x02);
	assert_int_equal(apps.count, 2);
	const struct expect_app e[2] = {
		{ 0x11, 0x1d, 8, 4, 0x01, 0x01, "400GAUI-8 C2M (Annex 120E)", "400G-FR4/400GBASE-FR4 (Clause 151)" },
		{ 0x0f, 0x18, 4, 4, 0x01, 0x01, "200GAUI-4 C2M (Annex 120E)", "200GBASE-FR4 (Clause 122)" },
	};
	check_app(&apps.app[0], 1, &e[0]);
	check_app(&apps.app[1], 2, &e[1]);

	/* Static: the second call costs nothing, and identity refreshes the same cache. */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	assert_int_equal(apps.count, 2);

	/* A failed read caches nothing. */
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_page_supported(r.m, 0, 1), 1);
	r.flaky.nack_len = 1000;
	r.flaky.nack_at = r.flaky.count + 4;
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_E_NACK);
	r.flaky.nack_at = 0;
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).reads, 5);
	check_app(&apps.app[1], 2, &e[1]);
	assert_int_equal(lb_module_get_apps(NULL, &apps), LB_E_INVAL);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images),
		cmocka_unit_test(test_end_of_list),
		cmocka_unit_test(test_media_lane_count),
		cmocka_unit_test(test_bus_cache),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
