/* SPDX-License-Identifier: MIT */
/* Identity decoding: real images (exact values), checksums, identifiers, strings, flat memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/cmis/decode.h"
#include <stdio.h>
#include <unistd.h>
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"
#include "synth_module.h"

struct expect_id {
	const char *file;
	int rc;
	uint8_t identifier, major, minor;
	const char *vendor;
	uint8_t oui[3];
	const char *pn, *rev, *sn, *date, *clei;
	unsigned power_class;
	double max_power_w;
	uint8_t connector, tech, media_type;
	uint8_t fw_major, fw_minor, fwi_major, fwi_minor, hw_major, hw_minor;
	uint8_t mci;
	bool full_page, tunable, coherent;
	uint8_t cs00_stored, cs00_computed, cs01;
};

/* Values as the README table and the dumps' own headers give them. */
/* full_page: CMIS 4.0 modules take 128-byte READs unless 01h:251.1-0 says 01b (revision.h). */
static const struct expect_id images[] = {
	{ "acacia-dp08sfp8-800zr-osfp-fboss.txt", LB_E_CHECKSUM, 0x19, 5, 3, "METAZR",
	  { 0x7c, 0xb2, 0x5c }, "DP08SFP8-ZRB-29B", "01", "251356640", "250331", "", 8, 30.0,
	  0x07, 0x10, 0x02, 110, 20, 110, 20, 1, 0, 2, true, true, true, 0x03, 0xb4, 0x7a },
	{ "arista-fb-p800g-2xdr4-osfp-fboss.txt", LB_OK, 0x19, 5, 0, "Arista Networks",
	  { 0x00, 0x1c, 0x73 }, "FB-P800G-2XDR4-1", "51", "XKT242913953", "240719", "", 8, 16.0,
	  0x0c, 0x06, 0x02, 3, 7, 0, 0, 1, 0, 0, false, false, false, 0x08, 0x08, 0x01 },
	{ "arista-qdd-400g-xdr4-qsfpdd-fboss.txt", LB_OK, 0x18, 4, 0, "Arista Networks",
	  { 0x00, 0x1c, 0x73 }, "QDD-400G-XDR4", "41", "XKT231212112", "230325", "", 5, 10.0,
	  0x0c, 0x06, 0x02, 14, 3, 14, 3, 2, 0, 0, true, false, false, 0x2c, 0x2c, 0x87 },
	{ "cig-trd5h20enf-400g-lr4-10-qsfpdd.txt", LB_OK, 0x18, 4, 0, "CIG",
	  { 0x00, 0x0b, 0x40 }, "TRD5H20ENF-LF000", "01", "S22JB05RR", "220926", "", 6, 12.0,
	  0x07, 0x06, 0x02, 3, 4, 3, 4, 2, 0, 1, true, false, false, 0xd6, 0xd6, 0x99 },
	{ "credo-cac845301a2nc2xa-800g-aec-osfp.txt", LB_OK, 0x19, 5, 0, "Credo",
	  { 0x9a, 0xad, 0xca }, "CAC845301A2NC2XA", "", "BL8J4455150007V", "250409", "", 7, 13.0,
	  0x23, 0x0c, 0x04, 1, 4, 1, 4, 10, 0, 0, false, false, false, 0x0e, 0x0e, 0xfd },
	{ "fboss-2x400g-fr4-lite-osfp.txt", LB_E_CHECKSUM, 0x19, 5, 1, "FACETEST",
	  { 0, 0, 0 }, "", "01", "", "250112", "", 8, 16.0,
	  0x07, 0x06, 0x02, 3, 3, 0, 0, 1, 0, 0, false, false, false, 0xfc, 0xa1, 0x2f },
	{ "fboss-2x400g-fr4-lpo-osfp.txt", LB_E_CHECKSUM, 0x19, 5, 1, "FACETESTLPO",
	  { 0x70, 0xee, 0xa3 }, "", "01", "UL244280002", "240301", "", 5, 9.0,
	  0x07, 0x04, 0x02, 3, 4, 0, 0, 1, 0, 0, false, false, false, 0x6a, 0xb5, 0x8f },
	{ "juniper-740-174932-800g-dr8-osfp.txt", LB_OK, 0x19, 5, 1, "JUNIPER-1G1",
	  { 0x20, 0x1b, 0xc9 }, "740-174932", "01", "1G1TK1AA350AZ", "250826", "CMUIAZ7BAA", 8,
	  16.5, 0x28, 0x06, 0x02, 0, 13, 0, 0, 1, 2, 0, false, false, false, 0xec, 0xec, 0x6e },
};

static void test_real_images(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	if (!dir)
		skip();
	for (size_t i = 0; i < sizeof(images) / sizeof(images[0]); i++) {
		const struct expect_id *e = &images[i];
		struct lb_test_image img;
		struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
		char path[4200];

		print_message("%s\n", e->file);
		assert_int_equal(lb_test_image_load(lb_test_path(path, sizeof(path), dir, e->file), &img), 0);
		int rc = lb_cmis_decode_identity(img.lower, img.page[0], lb_test_image_page(&img, 1), &id);
		assert_int_equal(rc, e->rc);
		assert_int_equal(id.identifier, e->identifier);
		assert_int_equal(id.cmis_major, e->major);
		assert_int_equal(id.cmis_minor, e->minor);
		assert_false(id.flat_memory);
		assert_string_equal(id.vendor_name, e->vendor);
		assert_memory_equal(id.vendor_oui, e->oui, 3);
		assert_string_equal(id.part_number, e->pn);
		assert_string_equal(id.revision, e->rev);
		assert_string_equal(id.serial_number, e->sn);
		assert_string_equal(id.date_code, e->date);
		assert_string_equal(id.clei, e->clei);
		assert_int_equal(id.power_class, e->power_class);
		assert_true(id.max_power_w == e->max_power_w);
		assert_int_equal(id.connector, e->connector);
		assert_int_equal(id.media_technology, e->tech);
		assert_int_equal(id.media_type, e->media_type);
		assert_int_equal(id.fw_active_major, e->fw_major);
		assert_int_equal(id.fw_active_minor, e->fw_minor);
		assert_int_equal(id.fw_inactive_major, e->fwi_major);
		assert_int_equal(id.fw_inactive_minor, e->fwi_minor);
		assert_int_equal(id.hw_major, e->hw_major);
		assert_int_equal(id.hw_minor, e->hw_minor);
		assert_int_equal(id.mci_max_speed, e->mci);
		assert_int_equal(id.lane_banks, 1);
		assert_int_equal(id.full_page_read, e->full_page);
		assert_int_equal(id.tunable, e->tunable);
		assert_int_equal(id.coherent_pages, e->coherent);
		assert_int_equal(id.page00_checksum_stored, e->cs00_stored);
		assert_int_equal(id.page00_checksum_computed, e->cs00_computed);
		assert_int_equal(id.page00_checksum_ok, e->cs00_stored == e->cs00_computed);
		assert_int_equal(id.page01_checksum_stored, e->cs01);
		assert_int_equal(id.page01_checksum_computed, e->cs01);
		assert_true(id.page01_checksum_ok);
	}
}

static void test_synthetic(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_synth_cmis(&img);
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
	assert_string_equal(id.vendor_name, "LIGHTBRIDGE");
	assert_string_equal(id.part_number, "LB-400G-FR4");
	assert_string_equal(id.revision, "A1");
	assert_string_equal(id.clei, "");
	assert_int_equal(id.power_class, 5);
	assert_true(id.max_power_w == 10.0);
	assert_int_equal(id.mci_max_speed, 1);
	assert_int_equal(id.hw_major, 3);
	assert_int_equal(id.hw_minor, 1);
	assert_false(id.full_page_read);
	assert_true(id.page00_checksum_ok && id.page01_checksum_ok);
}

static void test_bad_checksums(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_synth_cmis(&img);
	img.page[1][200 - 128] ^= 0x10;   /* inside 130..254 */
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id),
			 LB_E_CHECKSUM);
	assert_true(id.page00_checksum_ok);
	assert_false(id.page01_checksum_ok);
	assert_int_equal((uint8_t)(id.page01_checksum_stored + 0x10), id.page01_checksum_computed);
	assert_string_equal(id.vendor_name, "LIGHTBRIDGE");  /* still decoded */

	/* 01h:128-129 (inactive firmware) are outside the checksum. */
	lb_test_synth_cmis(&img);
	img.page[1][0] = 9;
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
	assert_int_equal(id.fw_inactive_major, 9);

	/* 00h:222 itself corrupted. */
	lb_test_synth_cmis(&img);
	img.page[0][222 - 128] ^= 0xff;
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id),
			 LB_E_CHECKSUM);
	assert_false(id.page00_checksum_ok);
	assert_true(id.page01_checksum_ok);
	assert_int_equal(id.page00_checksum_stored, (uint8_t)~id.page00_checksum_computed);
	assert_string_equal(id.part_number, "LB-400G-FR4");
}

static void test_unknown_identifiers(void **state)
{
	(void)state;
	static const uint8_t ids[] = { 0x00, 0x03, 0x0c, 0x0d, 0x11, 0x1a, 0x26, 0x80, 0xff };
	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	for (size_t i = 0; i < sizeof(ids); i++) {
		lb_test_synth_cmis(&img);
		img.lower[0] = img.page[0][0] = ids[i];
		assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id),
				 LB_E_UNKNOWN_ID);
		assert_int_equal(id.identifier, ids[i]);
		assert_int_equal(id.cmis_major, 0);
		assert_false(lb_cmis_identifier_is_cmis(ids[i]));
	}
	/* An SFF-8636 QSFP28 keeps its vendor block at other offsets: still shown. */
	memset(&img, 0, sizeof(img));
	img.lower[0] = img.page[0][0] = 0x11;
	lb_test_put_string(&img, 0, 148, "FINISAR CORP", 16);
	img.page[0][165 - 128] = 0x00;
	img.page[0][166 - 128] = 0x90;
	img.page[0][167 - 128] = 0x65;
	lb_test_put_string(&img, 0, 168, "FTLC9558REPM", 16);
	lb_test_put_string(&img, 0, 184, "A0", 2);
	lb_test_put_string(&img, 0, 196, "X7QA1234", 16);
	lb_test_put_string(&img, 0, 212, "19052300", 8);
	img.page[0][130 - 128] = 0x07;
	unsigned sum = 0;
	for (unsigned i = 128; i <= 190; i++)
		sum += img.page[0][i - 128];
	img.page[0][191 - 128] = (uint8_t)sum;
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], NULL, &id), LB_E_UNKNOWN_ID);
	assert_string_equal(id.vendor_name, "FINISAR CORP");
	assert_string_equal(id.part_number, "FTLC9558REPM");
	assert_string_equal(id.revision, "A0");
	assert_string_equal(id.serial_number, "X7QA1234");
	assert_string_equal(id.date_code, "19052300");
	assert_int_equal(id.vendor_oui[2], 0x65);
	assert_int_equal(id.connector, 0x07);
	assert_true(id.page00_checksum_ok);

	static const uint8_t cmis[] = { 0x18, 0x19, 0x1b, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25 };
	for (size_t i = 0; i < sizeof(cmis); i++)
		assert_true(lb_cmis_identifier_is_cmis(cmis[i]));
}

static void test_strings(void **state)
{
	(void)state;
	char out[17];

	lb_cmis_copy_string(out, (const uint8_t *)"ACME            ", 16);
	assert_string_equal(out, "ACME");
	lb_cmis_copy_string(out, (const uint8_t *)"  LEADING AND   ", 16);
	assert_string_equal(out, "  LEADING AND");
	/* Exactly 16 characters: no padding, no overflow. */
	lb_cmis_copy_string(out, (const uint8_t *)"0123456789ABCDEF", 16);
	assert_string_equal(out, "0123456789ABCDEF");
	static const uint8_t zeros[16] = { 0 };
	lb_cmis_copy_string(out, zeros, 16);
	assert_string_equal(out, "");
	static const uint8_t spaces[16] = "                ";
	lb_cmis_copy_string(out, spaces, 16);
	assert_string_equal(out, "");
	static const uint8_t mixed[16] = { 'A', 0x01, 'B', 0x7f, 'C', 0x80, 0xff, 0, 'D',
					   ' ', 0, ' ', 0, 0, ' ', 0 };
	lb_cmis_copy_string(out, mixed, 16);
	assert_string_equal(out, "A?B?C???D");
	/* Truncated field: a 2-byte revision. */
	char rev[3];
	lb_cmis_copy_string(rev, (const uint8_t *)"7 ", 2);
	assert_string_equal(rev, "7");

	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	lb_test_synth_cmis(&img);
	memcpy(&img.page[0][129 - 128], "BAD\tNAME\x1b[31m  ", 16);
	lb_test_fix_checksums(&img);
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
	assert_string_equal(id.vendor_name, "BAD?NAME?[31m");
}

static void test_flat_memory(void **state)
{
	(void)state;
	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_synth_cmis(&img);
	img.lower[2] |= 0x80;
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], NULL, &id), LB_OK);
	assert_true(id.flat_memory);
	assert_true(id.page01_checksum_ok);
	assert_int_equal(id.lane_banks, 1);
	assert_int_equal(id.hw_major, 0);
	assert_false(id.full_page_read);
	/* A page 01h buffer handed in for a flat module is ignored, not trusted. */
	img.page[1][255 - 128] ^= 1;
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
}

static void test_advert_fields(void **state)
{
	(void)state;
	struct lb_test_image img;
	uint8_t *p01 = img.page[1];

	lb_test_synth_cmis(&img);
	assert_int_equal(lb_cmis_lane_banks(NULL, 0x54), 1);
	p01[142 - 128] = 0x01;
	assert_int_equal(lb_cmis_lane_banks(p01, 0x40), 2);
	p01[142 - 128] = 0x02;
	assert_int_equal(lb_cmis_lane_banks(p01, 0x40), 4);
	p01[142 - 128] = 0x03;
	p01[174 - 128] = 0x05;  /* CMIS 5.4: six banks */
	assert_int_equal(lb_cmis_lane_banks(p01, 0x54), 6);

	assert_int_equal(lb_cmis_bias_multiplier(NULL), 1);
	p01[160 - 128] = 0x00;
	assert_int_equal(lb_cmis_bias_multiplier(p01), 1);
	p01[160 - 128] = 0x08;
	assert_int_equal(lb_cmis_bias_multiplier(p01), 2);
	p01[160 - 128] = 0x10;
	assert_int_equal(lb_cmis_bias_multiplier(p01), 4);
	p01[160 - 128] = 0x18;  /* reserved */
	assert_int_equal(lb_cmis_bias_multiplier(p01), 1);

	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	lb_test_synth_cmis(&img);
	img.lower[1] = 0x53;  /* 142.4 CoherentPagesSupported is CMIS 5.3's */
	img.page[1][251 - 128] = 0x02;
	img.page[1][155 - 128] = 0x40;
	img.page[1][142 - 128] = 0x10;
	img.page[0][200 - 128] = 0xe0;
	lb_test_fix_checksums(&img);
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
	assert_true(id.full_page_read && id.tunable && id.coherent_pages);
	assert_int_equal(id.power_class, 8);
	img.page[1][251 - 128] = 0x03;  /* 11b is not "supported" */
	lb_test_fix_checksums(&img);
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], img.page[1], &id), LB_OK);
	assert_false(id.full_page_read);
}

/* ---- through the bus: emulator module -> emulator bus -> lb_module ---- */

static void test_bus_profile(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_int_equal(id.identifier, 0x18);
	assert_int_equal(id.cmis_major, 5);
	assert_int_equal(id.cmis_minor, 0);
	assert_string_equal(id.vendor_name, "LIGHTBRIDGE EMU");
	assert_int_equal(id.vendor_oui[0], 0x0a);
	assert_int_equal(id.vendor_oui[1], 0x1b);
	assert_int_equal(id.vendor_oui[2], 0x2c);
	assert_string_equal(id.part_number, "LBE-400FR4-QDD");
	assert_string_equal(id.revision, "B0");
	assert_string_equal(id.serial_number, "LBE400FR40001");
	assert_string_equal(id.date_code, "240917");
	assert_int_equal(id.media_type, 0x02);
	assert_int_equal(id.connector, 0x07);
	assert_int_equal(id.power_class, 5);
	assert_true(id.max_power_w == 10.0);
	assert_int_equal(id.media_technology, 0x04);
	assert_int_equal(id.fw_active_major, 2);
	assert_int_equal(id.fw_active_minor, 7);
	assert_int_equal(id.fw_inactive_major, 2);
	assert_int_equal(id.fw_inactive_minor, 6);
	assert_int_equal(id.hw_major, 1);
	assert_int_equal(id.hw_minor, 1);
	assert_false(id.full_page_read);
	assert_false(id.flat_memory);
	assert_true(id.page00_checksum_ok && id.page01_checksum_ok);

	/*
	 * One plan at 8-byte reads: lower 0-2, 39-40, 85-117 (1 + 1 + 5), page 00h 128-222
	 * (12) and page 01h (16); at most one select per page.
	 */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.reads, 7 + 12 + 16);
	assert_true(s.select_writes <= 2);
	assert_int_equal(s.max_read_len, 8);
	assert_int_equal(s.errors, 0);
	lb_test_rig_down(&r);

	/* The same plan with full-page reads: five reads. */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_true(id.full_page_read);
	assert_int_equal(id.identifier, 0x19);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	s = lb_test_rig_stats(&r);
	assert_int_equal(s.reads, 5);
	assert_true(s.select_writes <= 2);
	lb_test_rig_down(&r);
}

static void test_bus_checksum_fault(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_CHECKSUM, 1), LB_OK);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_E_CHECKSUM);
	assert_false(id.page00_checksum_ok);
	assert_true(id.page01_checksum_ok);
	assert_int_not_equal(id.page00_checksum_stored, id.page00_checksum_computed);
	assert_string_equal(id.part_number, "LBE-400FR4-QDD");  /* the rest still decoded */
	assert_int_equal(id.hw_major, 1);
	lb_test_rig_down(&r);
}

static void test_bus_nack_mid_read(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, true);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	/* Long enough that the access layer's post-write NACK retries (tWRITE) give up. */
	r.flaky.nack_len = 1000;
	for (uint64_t k = 1; k <= 36; k += 5) {
		r.flaky.nack_at = r.flaky.count + k;  /* from the k-th transfer of the plan */
		memset(&id, 0x5a, sizeof(id));
		assert_int_equal(lb_module_get_identity(r.m, &id), LB_E_NACK);
		assert_int_equal(id.identifier, 0);   /* nothing half-decoded handed out */
		r.flaky.nack_at = 0;
		/* The next call starts over (select bytes re-written) and decodes cleanly. */
		assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
		assert_string_equal(id.serial_number, "LBE400FR40001");
	}
	/* NACK on the very first access (advertisement probe of a fresh module). */
	lb_module_invalidate(r.m);
	r.flaky.nack_at = r.flaky.count + 1;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_E_NACK);
	r.flaky.nack_at = 0;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_test_rig_down(&r);
}

static void test_bus_removed(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_emu_module_remove(r.emu);
	int rc = lb_module_get_identity(r.m, &id);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV);
	lb_emu_module_insert(r.emu);
	lb_module_invalidate(r.m);
	lb_emu_world_advance_ns(r.world, 5000000000ull);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	lb_test_rig_down(&r);
}

static void save_tmp(char *path, size_t n, const char *tag, const struct lb_test_image *img)
{
	snprintf(path, n, "%s/tests/tmp-%s-%ld.txt", LB_BINARY_DIR, tag, (long)getpid());
	assert_int_equal(lb_test_image_save(path, img), 0);
}

static void test_bus_flat_and_foreign(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_test_image img;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	char path[1024];

	/* A flat-memory module: lower memory and page 00h only. */
	lb_test_synth_cmis(&img);
	img.lower[2] = 0x80;
	img.has_page[1] = img.has_page[2] = img.has_page[0x11] = false;
	save_tmp(path, sizeof(path), "flat", &img);
	lb_test_rig_image(&r, path, 400, false);
	unlink(path);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_true(id.flat_memory);
	assert_string_equal(id.vendor_name, "LIGHTBRIDGE");
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	assert_int_equal(lb_test_rig_stats(&r).select_writes, 0);  /* flat: never select */
	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;
	assert_int_equal(lb_module_get_thresholds(r.m, &t), LB_E_NOTSUP);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.lanes, 0);
	struct lb_app_list apps;
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_OK);
	assert_int_equal(apps.count, 2);
	lb_test_rig_down(&r);

	/* An SFF-8636 QSFP28: not CMIS, yet its vendor block is shown. */
	memset(&img, 0, sizeof(img));
	img.has_page[0] = true;
	img.lower[0] = img.page[0][0] = 0x11;
	img.lower[2] = 0x04;  /* SFF-8636 flat_mem */
	lb_test_put_string(&img, 0, 148, "FINISAR CORP", 16);
	lb_test_put_string(&img, 0, 168, "FTLC9558REPM", 16);
	save_tmp(path, sizeof(path), "qsfp28", &img);
	lb_test_rig_image(&r, path, 400, false);
	unlink(path);
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_E_UNKNOWN_ID);
	assert_int_equal(id.identifier, 0x11);
	assert_string_equal(id.vendor_name, "FINISAR CORP");
	assert_string_equal(id.part_number, "FTLC9558REPM");
	assert_int_equal(lb_module_get_apps(r.m, &apps), LB_E_UNKNOWN_ID);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_E_UNKNOWN_ID);
	lb_test_rig_down(&r);
}

static void test_bad_args(void **state)
{
	(void)state;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	struct lb_test_rig r;

	assert_int_equal(lb_module_get_identity(NULL, &id), LB_E_INVAL);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_identity(r.m, NULL), LB_E_INVAL);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_bad_checksums),
		cmocka_unit_test(test_unknown_identifiers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_flat_memory),
		cmocka_unit_test(test_advert_fields),
		cmocka_unit_test(test_bus_profile),
		cmocka_unit_test(test_bus_checksum_fault),
		cmocka_unit_test(test_bus_nack_mid_read),
		cmocka_unit_test(test_bus_removed),
		cmocka_unit_test(test_bus_flat_and_foreign),
		cmocka_unit_test(test_bad_args),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
