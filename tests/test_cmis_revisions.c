/* SPDX-License-Identifier: MIT */
/*
 * CMIS revisions: a module is decoded and driven by the rules of the revision it declares
 * (hal/cmis/revision.c), on the host and in the emulator. Real images where they show the
 * field (the CMIS 4.0 LR4 turned into a 3.0 module, the CMIS 5.3 800ZR turned into a 5.0
 * one), synthetic images for the bit-level rules.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/revision.h"
#include "image_file.h"
#include "synth_module.h"
#include "test_run.h"

#define TMP(name) LB_BINARY_DIR "/test_cmis_revisions." name

/* A real image, patched as f says, saved where the rig can load it; the rig comes up on it. */
static void rig_patched(struct lb_test_rig *r, const char *file, void (*f)(struct lb_test_image *),
			const char *tmp)
{
	struct lb_test_image img;
	char path[4200];
	const char *dir = lb_test_modules_dir();
	assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir, file), &img), 0);
	f(&img);
	assert_int_equal(lb_test_image_save(tmp, &img), 0);
	lb_test_rig_image(r, tmp, 400, false);
	remove(tmp);
}

/*
 * The CMIS 4.0 LR4 as the CMIS 3.0 module it would have been: the same running lanes, with
 * 10h:128 DataPathPwrUp set for every lane (3.0's "power up"; 4.0's DPDeinit is 0 there).
 */
static void make_cmis30(struct lb_test_image *img)
{
	img->lower[1] = 0x30;
	img->page[0x10][0] = 0xFF;
}

static void test_real_images_cmis30_lanes_keep_running(void **state)
{
	(void)state;
	struct lb_test_rig r;
	rig_patched(&r, "cig-trd5h20enf-400g-lr4-10-qsfpdd.txt", make_cmis30, TMP("cmis30.txt"));
	/* Let the emulator's state machines run: nothing asks the data paths to stop. */
	lb_emu_segment_advance_ns(r.seg, 5000000000ull);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	for (unsigned l = 0; l < 8; l++) {
		print_message("lane %u: %s%s\n", l + 1, lb_dp_state_name(ls.dp_state[l]),
			      ls.dp_deinit[l] ? " DPDeinit" : "");
		assert_int_equal(ls.dp_state[l], LB_DP_STATE_ACTIVATED);
		assert_false(ls.dp_deinit[l]);
	}
	lb_test_rig_down(&r);
}

/* Driving a 3.0 module: DPDeinit on lanes 1-4 clears their DataPathPwrUp bits, and back. */
static void test_real_images_cmis30_deinit_drives_pwrup(void **state)
{
	(void)state;
	struct lb_test_rig r;
	rig_patched(&r, "cig-trd5h20enf-400g-lr4-10-qsfpdd.txt", make_cmis30, TMP("cmis30b.txt"));
	uint8_t reg;
	/* The LR4's one 8-lane data path: any lane's DPDeinit takes it all down (OR rule). */
	assert_int_equal(lb_module_dp_deinit(r.m, 0xFF, true), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 128, &reg, 1), LB_OK);
	assert_int_equal(reg, 0x00);
	assert_int_equal(lb_module_wait_dp_state(r.m, 0xFF, LB_DP_STATE_DEACTIVATED, 10000), LB_OK);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	for (unsigned l = 0; l < 8; l++)
		assert_true(ls.dp_deinit[l]);
	/* The whole bring-up drives the same bits: back to DPActivated with 10h:128 = FFh. */
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(r.m, 0xFF, 1, &rep), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 128, &reg, 1), LB_OK);
	assert_int_equal(reg, 0xFF);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 1), LB_DP_STATE_ACTIVATED);
	assert_int_equal(lb_emu_module_dp_state(r.emu, 8), LB_DP_STATE_ACTIVATED);
	lb_test_rig_down(&r);
}

/* The rule table: each rule at the revisions on both sides of its edge. */
static void test_rule_edges(void **state)
{
	(void)state;
	assert_true(lb_cmis_rev_has(0x30, LB_CMIS_RULE_DP_PWRUP));
	assert_false(lb_cmis_rev_has(0x40, LB_CMIS_RULE_DP_PWRUP));
	assert_false(lb_cmis_rev_has(0x00, LB_CMIS_RULE_DP_PWRUP)); /* undeclared: as 5.0 */
	assert_false(lb_cmis_rev_has(0x52, LB_CMIS_RULE_COHERENT_BIT));
	assert_true(lb_cmis_rev_has(0x53, LB_CMIS_RULE_COHERENT_BIT));
	assert_true(lb_cmis_rev_has(0x61, LB_CMIS_RULE_COHERENT_BIT));
	assert_false(lb_cmis_rev_has(0x53, LB_CMIS_RULE_EXTRA_BANKS));
	assert_true(lb_cmis_rev_has(0x54, LB_CMIS_RULE_EXTRA_BANKS));
	assert_false(lb_cmis_rev_has(0x41, LB_CMIS_RULE_READ_8));
	assert_true(lb_cmis_rev_has(0x50, LB_CMIS_RULE_READ_8));
	assert_false(lb_cmis_rev_has(0x41, LB_CMIS_RULE_GRID_6_IS_33));
	assert_true(lb_cmis_rev_has(0x50, LB_CMIS_RULE_GRID_6_IS_33));
	for (unsigned i = 0; i < LB_CMIS_RULE_COUNT; i++) {
		const struct lb_cmis_rev_rule_row *row = lb_cmis_rev_row((enum lb_cmis_rev_rule)i);
		assert_non_null(row);
		assert_int_equal(row->rule, i);
		assert_non_null(row->field);
		assert_non_null(row->what);
	}
	assert_null(lb_cmis_rev_row(LB_CMIS_RULE_COUNT));

	assert_int_equal(lb_cmis_dp_deinit_reg(0x30, 0x0F), 0xF0);
	assert_int_equal(lb_cmis_dp_deinit_reg(0x40, 0x0F), 0x0F);
}

/* 01h:174 counts the banks only from CMIS 5.4: 11b before it is reserved (bank 0 only). */
static void test_banks_174_by_revision(void **state)
{
	(void)state;
	assert_int_equal(lb_cmis_lane_banks_of(0x03, 0x03, 0x54), 4);
	assert_int_equal(lb_cmis_lane_banks_of(0x03, 0x03, 0x53), 1);
	assert_int_equal(lb_cmis_lane_banks_of(0x03, 0x03, 0x40), 1);
	assert_int_equal(lb_cmis_lane_banks_of(0x02, 0x03, 0x40), 4);

	/* On the bus: a 5.2 module with 142.1-0 = 11b and a stray 174 has one bank of 8 lanes. */
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.page[1][142 - 128] = 0x03;
	img.page[1][174 - 128] = 0x01;
	memset(img.page[0x11], 0x11, 4);
	lb_test_fix_checksums(&img);
	assert_int_equal(lb_test_image_save(TMP("banks.txt"), &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, TMP("banks.txt"), 400, false);
	remove(TMP("banks.txt"));
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.lanes, 8);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_int_equal(id.lane_banks, 1);
	lb_test_rig_down(&r);
}

/* MciMaxSpeed: bits 5-2 from CMIS 5.3; before it bits 5-4 are reserved and ignored. */
static void test_mci_speed_by_revision(void **state)
{
	(void)state;
	assert_int_equal(lb_cmis_mci_max_speed(0x52, 0x24), 1);
	assert_int_equal(lb_cmis_mci_max_speed(0x53, 0x24), 9);
	assert_int_equal(lb_cmis_mci_max_speed(0x40, 0x30), 0);
}

/* Full-page reads: 4.x takes them unless 251 says 01b; 5.x only when 251 says 10b. */
static void test_full_page_by_revision(void **state)
{
	(void)state;
	assert_true(lb_cmis_full_page_reads(0x40, 0x00));
	assert_false(lb_cmis_full_page_reads(0x40, 0x01));
	assert_false(lb_cmis_full_page_reads(0x50, 0x00));
	assert_true(lb_cmis_full_page_reads(0x52, 0x02));
	assert_false(lb_cmis_full_page_reads(0x53, 0x03));
}

/*
 * The CMIS 5.3 800ZR made to declare revision rev with 01h:142 and 155 bits cleared, by pokes
 * after it was loaded: the emulator keeps the pages it created from the image's own
 * advertisement (as a field module built to 5.0 has its C-CMIS pages with 142.4 clear).
 */
static void rig_zr(struct lb_test_rig *r, uint8_t rev, uint8_t clear142, uint8_t clear155)
{
	char path[4200];
	const char *dir = lb_test_modules_dir();
	lb_test_rig_image(r, lb_test_path(path, sizeof(path), dir, "acacia-dp08sfp8-800zr-osfp-fboss.txt"),
			  400, false);
	uint8_t p01[128];
	assert_int_equal(lb_emu_module_peek(r->emu, 0, 0x01, 128, p01, sizeof(p01)), LB_OK);
	p01[142 - 128] &= (uint8_t)~clear142;
	p01[155 - 128] &= (uint8_t)~clear155;
	unsigned sum = 0;
	for (unsigned i = 130; i < 255; i++)
		sum += p01[i - 128];
	p01[255 - 128] = (uint8_t)sum;
	assert_int_equal(lb_emu_module_poke(r->emu, 0, 0x01, 128, p01, sizeof(p01)), LB_OK);
	assert_int_equal(lb_emu_module_poke(r->emu, 0, 0x00, 1, &rev, 1), LB_OK);
}

static void check_coherent(uint8_t rev, uint8_t clear142, uint8_t clear155, bool want)
{
	struct lb_test_rig r;
	rig_zr(&r, rev, clear142, clear155);
	/* The pages first, before identity has read lower memory: the access layer decides alone. */
	uint8_t buf[8];
	assert_int_equal(lb_module_page_supported(r.m, 0, 0x35), want ? 1 : 0);
	assert_int_equal(lb_module_read(r.m, 0, 0x35, 128, buf, sizeof(buf)), want ? LB_OK : LB_E_NOTSUP);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	int rc = lb_module_get_identity(r.m, &id);
	assert_true(rc == LB_OK || rc == LB_E_CHECKSUM); /* the image's 00h checksum was edited */
	assert_int_equal(id.cmis_major, rev >> 4);
	assert_int_equal(id.coherent_pages, want);
	lb_test_rig_down(&r);
}

static void test_real_images_coherent_before_53(void **state)
{
	(void)state;
	check_coherent(0x50, 0x10, 0x00, true);  /* 5.0, 142.4 clear: its FlexO media says */
	check_coherent(0x41, 0x10, 0x00, true);  /* 4.1 likewise */
	check_coherent(0x50, 0x10, 0x40, false); /* no tunable laser: not coherent */
	check_coherent(0x53, 0x10, 0x00, false); /* 5.3 and later: the bit, at its word */
	check_coherent(0x53, 0x00, 0x00, true);
}

/* The coherent media interface table (SFF-8024 4.13, single-mode fibre). */
static void test_coherent_media_codes(void **state)
{
	(void)state;
	static const uint8_t yes[] = { 0x3E, 0x3F, 0x6C, 0x6D, 0x6E, 0x35, 0x36, 0x37, 0x46,
				       0x47, 0x48, 0x49, 0x58, 0x5E, 0x5F, 0x64, 0x68, 0x6B,
				       0x44, 0x4D };
	static const uint8_t no[] = { 0x00, 0x1D, 0x14, 0x43, 0x45, 0x4C, 0x57, 0x6F, 0x81, 0xF7 };
	for (size_t i = 0; i < sizeof(yes); i++)
		assert_true(lb_cmis_media_is_coherent(0x02, yes[i]));
	for (size_t i = 0; i < sizeof(no); i++)
		assert_false(lb_cmis_media_is_coherent(0x02, no[i]));
	assert_false(lb_cmis_media_is_coherent(0x01, 0x3E)); /* MMF table: another code */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images_cmis30_lanes_keep_running),
		cmocka_unit_test(test_real_images_cmis30_deinit_drives_pwrup),
		cmocka_unit_test(test_rule_edges),
		cmocka_unit_test(test_banks_174_by_revision),
		cmocka_unit_test(test_mci_speed_by_revision),
		cmocka_unit_test(test_full_page_by_revision),
		cmocka_unit_test(test_real_images_coherent_before_53),
		cmocka_unit_test(test_coherent_media_codes),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
