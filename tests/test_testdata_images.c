/* SPDX-License-Identifier: MIT */
/*
 * Every real module image in LB_TESTDATA_DIR/modules, replayed by the emulator and read
 * through the emulator bus and lb_module, as a host would read the module itself:
 *  - it decodes without error (identity, applications, state, lanes, monitors, thresholds);
 *  - its checksum state is what the folder's README table says, stored and computed bytes;
 *  - the bus view equals a direct decode of the file's bytes (nothing lost in replay, planning
 *    or paging);
 *  - every value of its .decoded.json (the source's own decode) agrees. Keys this project
 *    does not decode yet are listed with the reason; an unknown key fails the test.
 * Skipped when the folder is absent (users' machines).
 */
#include <dirent.h>
#include <jansson.h>
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
#include "hal/cmis/decode.h"
#include "emu_rig.h"
#include "image_file.h"
#include "test_run.h"

#define NEAR(a, b, eps) (fabs((double)(a) - (double)(b)) <= (eps))

/* ---- the README table: checksum truth per file ---- */

struct readme_row {
	char file[128];
	bool ok00, ok01;
	unsigned stored00, computed00, stored01;
};

/* "OK (0x08)" or "**MISMATCH** stored 0x03, computed 0xb4" */
static bool parse_cell(const char *cell, bool *ok, unsigned *stored, unsigned *computed)
{
	const char *p;

	if ((p = strstr(cell, "MISMATCH")) && (p = strstr(p, "stored 0x"))) {
		*ok = false;
		return sscanf(p, "stored 0x%x, computed 0x%x", stored, computed) == 2;
	}
	if ((p = strstr(cell, "OK (0x"))) {
		*ok = true;
		if (sscanf(p, "OK (0x%x)", stored) != 1)
			return false;
		*computed = *stored;
		return true;
	}
	return false;
}

static unsigned load_readme(const char *dir, struct readme_row *rows, unsigned max)
{
	char path[4200], line[2048];
	unsigned n = 0;

	FILE *f = fopen(lb_test_path(path, sizeof(path), dir, "README.md"), "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) && n < max) {
		char *cells[16];
		unsigned nc = 0;
		if (line[0] != '|' || !strstr(line, ".txt`"))
			continue;
		for (char *tok = strtok(line, "|"); tok && nc < 16; tok = strtok(NULL, "|"))
			cells[nc++] = tok;
		/* class | file | kind | source | provenance | pages | 00h | 01h | refs */
		if (nc < 8)
			continue;
		struct readme_row *r = &rows[n];
		char *b = strchr(cells[1], '`'), *e = b ? strchr(b + 1, '`') : NULL;
		if (!b || !e || (size_t)(e - b - 1) >= sizeof(r->file))
			continue;
		memcpy(r->file, b + 1, (size_t)(e - b - 1));
		r->file[e - b - 1] = '\0';
		unsigned c01;
		assert_true(parse_cell(cells[6], &r->ok00, &r->stored00, &r->computed00));
		assert_true(parse_cell(cells[7], &r->ok01, &r->stored01, &c01));
		n++;
	}
	fclose(f);
	return n;
}

/* ---- raw reads for values outside this project's decoders (through the same bus) ---- */

static uint64_t rd_be(struct lb_module *m, uint8_t page, uint8_t off, unsigned n)
{
	uint8_t b[8];
	uint64_t v = 0;

	assert_int_equal(lb_module_read(m, 0, page, off, b, n), LB_OK);
	for (unsigned i = 0; i < n; i++)
		v = v << 8 | b[i];
	return v;
}

static int64_t rd_s16(struct lb_module *m, uint8_t page, uint8_t off)
{
	uint64_t v = rd_be(m, page, off, 2);
	return v >= 0x8000u ? (int64_t)v - 0x10000 : (int64_t)v;
}

/* The raw sample of VDM observable type, found through the descriptors of pages 20h-23h. */
static bool vdm_raw(struct lb_module *m, uint8_t type, unsigned *raw)
{
	for (uint8_t g = 0; g < 4; g++) {
		if (lb_module_page_supported(m, 0, (uint8_t)(0x20 + g)) != 1)
			continue;
		uint8_t d[128];
		assert_int_equal(lb_module_read_page(m, 0, (uint8_t)(0x20 + g), false, d), LB_OK);
		for (unsigned i = 0; i < 64; i++) {
			if (d[2 * i + 1] != type)
				continue;
			*raw = (unsigned)rd_be(m, (uint8_t)(0x24 + g), (uint8_t)(128 + 2 * i), 2);
			return true;
		}
	}
	return false;
}

/* ---- one image ---- */

struct ctx {
	const char *file;
	struct lb_module *m;
	struct lb_module_identity id;
	struct lb_app_list apps;
	struct lb_lane_status lanes;
	struct lb_module_monitors mon;
	enum lb_module_state state;
	unsigned checked, skipped;
};

static const struct lb_app *app_with_media(const struct ctx *c, unsigned media)
{
	for (unsigned i = 0; i < c->apps.count; i++)
		if (c->apps.app[i].media_id == media)
			return &c->apps.app[i];
	return NULL;
}

static void check_version(const char *want, unsigned major, unsigned minor)
{
	char got[16];
	snprintf(got, sizeof(got), "%u.%u", major, minor);
	assert_string_equal(got, want);
}

/* Names as a host CLI printed them: "NAME (CODE)"; returns CODE and NAME in buf. */
static unsigned split_name(const char *s, char *buf, size_t n)
{
	const char *open = strrchr(s, '(');
	assert_non_null(open);
	unsigned code = (unsigned)strtoul(open + 1, NULL, 10);
	size_t len = (size_t)(open - s);
	while (len && s[len - 1] == ' ')
		len--;
	assert_true(len < n);
	memcpy(buf, s, len);
	buf[len] = '\0';
	return code;
}

/* Where a source's wording differs from SFF-8024 4.13, the spec's name is ours. */
static const char *sff_wording(const char *theirs)
{
	static const char *const alias[][2] = {
		/* Junos (per the file's own note) */
		{ "AOC with BER < 10^(-6)", "Active Cable assembly with BER < 10^-6" },
		/* 4.13 gives the clause where older tables said "placeholder" */
		{ "800GBASE-DR8 (placeholder)", "800GBASE-DR8 (Clause 124)" },
	};
	for (size_t i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (strcmp(theirs, alias[i][0]) == 0)
			return alias[i][1];
	return theirs;
}

static void check_advertised(struct ctx *c, json_t *list)
{
	size_t i;
	json_t *e;

	json_array_foreach(list, i, e) {
		unsigned appsel = (unsigned)json_integer_value(json_object_get(e, "apsel"));
		assert_true(appsel >= 1 && appsel <= c->apps.count);
		const struct lb_app *a = &c->apps.app[appsel - 1];
		char name[128];
		assert_int_equal(split_name(json_string_value(json_object_get(e, "host")), name,
					    sizeof(name)), a->host_id);
		assert_string_equal(a->host_name, sff_wording(name));
		assert_int_equal(split_name(json_string_value(json_object_get(e, "media")), name,
					    sizeof(name)), a->media_id);
		assert_string_equal(a->media_name, sff_wording(name));
		assert_int_equal(json_integer_value(json_object_get(e, "host_lanes")), a->host_lanes);
		assert_int_equal(json_integer_value(json_object_get(e, "media_lanes")), a->media_lanes);
		assert_int_equal(json_integer_value(json_object_get(e, "host_assign")),
				 a->host_lane_options);
		assert_int_equal(json_integer_value(json_object_get(e, "media_assign")),
				 a->media_lane_options);
	}
}

/* "DP n": "dp_ready" -> as many data paths as listed, each DPActivated on all its lanes. */
static void check_dp_state(struct ctx *c, json_t *o)
{
	unsigned keys[32], n = 0;

	for (unsigned l = 0; l < c->lanes.lanes; l++) {
		if (!c->lanes.active_appsel[l])
			continue;
		unsigned key = (unsigned)c->lanes.active_appsel[l] << 8 | c->lanes.active_dpid[l];
		bool seen = false;
		for (unsigned k = 0; k < n; k++)
			seen |= keys[k] == key;
		if (!seen)
			keys[n++] = key;
		assert_int_equal(c->lanes.dp_state[l], LB_DP_STATE_ACTIVATED);
	}
	assert_int_equal(n, json_object_size(o));
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
		assert_string_equal(json_string_value(v), "dp_ready");
}

static void check_start_lanes(struct ctx *c, json_t *o)
{
	const char *k;
	json_t *v;

	json_object_foreach(o, k, v) {
		const char *hex = strstr(k, "(0x");
		assert_non_null(hex);
		const struct lb_app *a = app_with_media(c, (unsigned)strtoul(hex + 1, NULL, 16));
		assert_non_null(a);
		unsigned mask = 0;
		size_t i;
		json_t *lane;
		json_array_foreach(v, i, lane)
			mask |= 1u << json_integer_value(lane);
		assert_int_equal(mask, a->host_lane_options);
	}
}

static void check_fec_pm(struct ctx *c, json_t *o)
{
	static const struct { const char *key; uint8_t off, len; } f[] = {
		{ "rx_bits_pm", 128, 8 }, { "rx_bits_sub_int_pm", 136, 8 },
		{ "rx_corr_bits_pm", 144, 8 }, { "rx_min_corr_bits_sub_int_pm", 152, 8 },
		{ "rx_max_corr_bits_sub_int_pm", 160, 8 }, { "rx_frames_pm", 168, 4 },
		{ "rx_frames_sub_int_pm", 172, 4 }, { "rx_frames_uncorr_err_pm", 176, 4 },
		{ "rx_min_frames_uncorr_err_sub_int_pm", 180, 4 },
		{ "rx_max_frames_uncorr_err_sub_int_pm", 184, 4 },
	};
	assert_int_equal(json_object_size(o), sizeof(f) / sizeof(f[0]));
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		json_t *v = json_object_get(o, f[i].key);
		assert_non_null(v);
		assert_true(rd_be(c->m, 0x34, f[i].off, f[i].len) == (uint64_t)json_integer_value(v));
	}
}

static void check_link_pm(struct ctx *c, json_t *o)
{
	/* C-CMIS page 35h: avg, min, max of each metric (reference §9.5). */
	static const struct { const char *key; uint8_t off, step; bool s; double lsb; int kind; } f[] = {
		{ "cd_ps_nm", 128, 4, true, 1.0, 32 },
		{ "dgd_ps", 140, 2, false, 0.01, 16 }, { "sopmd_ps2", 146, 2, false, 0.01, 16 },
		{ "pdl_db", 152, 2, false, 0.1, 16 }, { "osnr_db", 158, 2, false, 0.1, 16 },
		{ "esnr_db", 164, 2, false, 0.1, 16 }, { "cfo_mhz", 170, 2, true, 1.0, 16 },
		{ "evm_percent_raw", 176, 2, false, 1.0, 16 },
		{ "tx_power_dbm", 182, 2, true, 0.01, 16 },
		{ "rx_total_power_dbm", 188, 2, true, 0.01, 16 },
		{ "rx_signal_power_dbm", 194, 2, true, 0.01, 16 },
		{ "sop_roc_krad_s", 200, 2, false, 1.0, 16 }, { "mer_db", 206, 2, false, 0.1, 16 },
		{ "clock_recovery_loop_raw", 212, 2, true, 1.0, 16 },
		{ "snr_margin_db", 224, 2, true, 0.1, 16 }, { "q_factor_db", 230, 2, false, 0.1, 16 },
		{ "q_margin_db", 236, 2, true, 0.1, 16 },
	};
	static const char *const notes[] = { "layout_note", "evm_lsb", "clock_recovery_loop_lsb" };
	size_t known = sizeof(notes) / sizeof(notes[0]);
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		json_t *a = json_object_get(o, f[i].key);
		assert_non_null(a);
		known++;
		for (unsigned k = 0; k < 3; k++) {
			uint8_t off = (uint8_t)(f[i].off + k * f[i].step);
			double raw;
			if (f[i].kind == 32) {
				uint64_t u = rd_be(c->m, 0x35, off, 4);
				raw = (double)(int32_t)(uint32_t)u;
			} else {
				raw = f[i].s ? (double)rd_s16(c->m, 0x35, off)
					     : (double)rd_be(c->m, 0x35, off, 2);
			}
			assert_true(NEAR(raw * f[i].lsb, json_number_value(json_array_get(a, k)), 1e-9));
		}
	}
	assert_int_equal(json_object_size(o), known);
}

static void check_vdm27(struct ctx *c, json_t *o)
{
	static const struct { const char *name; uint8_t type; } mb[] = {
		{ "xi", 128 }, { "xq", 129 }, { "yi", 130 }, { "yq", 131 }, { "x_phase", 132 },
		{ "y_phase", 133 },
	};
	size_t known = 1; /* lsb_note */
	for (size_t i = 0; i < sizeof(mb) / sizeof(mb[0]); i++) {
		char k1[64], k2[64];
		unsigned raw;
		snprintf(k1, sizeof(k1), "modulator_bias_%s_raw", mb[i].name);
		snprintf(k2, sizeof(k2), "modulator_bias_%s_x100_trunc", mb[i].name);
		assert_true(vdm_raw(c->m, mb[i].type, &raw));
		assert_int_equal(raw, strtoul(json_string_value(json_object_get(o, k1)), NULL, 16));
		/* U16 x 100/65535 %, truncated after x100 as FBOSS asserts */
		assert_int_equal((long)(raw * 100.0 / 65535.0 * 100.0),
				 json_integer_value(json_object_get(o, k2)));
		known += 2;
	}
	unsigned raw;
	assert_true(vdm_raw(c->m, 135, &raw));  /* CD low granularity, S16 x 20 ps/nm */
	assert_true(NEAR((int16_t)raw * 20.0,
			 json_number_value(json_object_get(o, "cd_low_granularity_ps_per_nm")), 1e-9));
	assert_true(vdm_raw(c->m, 149, &raw));  /* SOPMD low granularity, LSB 1 */
	assert_true(NEAR(raw, json_number_value(json_object_get(o, "sopmd_low_granularity_ps2")), 1e-9));
	known += 2;
	assert_int_equal(json_object_size(o), known);
}

static void check_key(struct ctx *c, const char *key, json_t *v)
{
	const char *f = c->file;

	c->checked++;
	if (!strcmp(key, "source") || !strcmp(key, "caveat") || !strcmp(key, "note") ||
	    !strcmp(key, "byte_order_note")) {
		/* provenance text, not a value; the one fact in a note is checked here */
		c->checked--;
		if (!strcmp(key, "note") && strstr(json_string_value(v), "two more")) {
			assert_int_equal(c->apps.count, 10);
			c->checked++;
		}
		return;
	}
	if (!strcmp(key, "vendor_name")) {
		assert_string_equal(c->id.vendor_name, json_string_value(v));
	} else if (!strcmp(key, "part_number")) {
		assert_string_equal(c->id.part_number, json_string_value(v));
	} else if (!strcmp(key, "cmis_revision")) {
		assert_int_equal(c->id.cmis_major, json_integer_value(json_array_get(v, 0)));
		assert_int_equal(c->id.cmis_minor, json_integer_value(json_array_get(v, 1)));
	} else if (!strcmp(key, "cmis_version")) {
		assert_int_equal(strtoul(json_string_value(v), NULL, 16),
				 (unsigned)c->id.cmis_major << 4 | c->id.cmis_minor);
	} else if (!strcmp(key, "module_firmware_revision")) {
		check_version(json_string_value(v), c->id.fw_active_major, c->id.fw_active_minor);
	} else if (!strcmp(key, "module_hw_revision")) {
		check_version(json_string_value(v), c->id.hw_major, c->id.hw_minor);
	} else if (!strcmp(key, "module_state_machine")) {
		assert_string_equal(json_string_value(v), "active_ready");
		assert_int_equal(c->state, LB_MODULE_STATE_READY);
	} else if (!strcmp(key, "tunable")) {
		assert_int_equal(c->id.tunable, json_is_true(v));
	} else if (!strcmp(key, "host_lanes")) {
		/* FBOSS: lanes of the module's first application (the 800ZR) or of the module */
		if (strstr(f, "acacia"))
			assert_int_equal(c->apps.app[0].host_lanes, json_integer_value(v));
		else
			assert_int_equal(c->lanes.lanes, json_integer_value(v));
	} else if (!strcmp(key, "media_lanes")) {
		if (strstr(f, "acacia"))
			assert_int_equal(c->apps.app[0].media_lanes, json_integer_value(v));
		assert_int_equal(c->mon.lanes, json_integer_value(v));
	} else if (!strcmp(key, "media_interface")) {
		/* FBOSS's own names; the codes and lane facts inside are ours to check */
		if (strstr(f, "acacia")) {
			assert_non_null(strstr(json_string_value(v), "0x68"));
			assert_int_equal(c->apps.app[0].media_id, 0x68);
			assert_string_equal(c->apps.app[0].media_name,
					    "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)");
			assert_int_equal(c->lanes.active_appsel[0], 1);  /* "current AppSel on lane 1 = 1" */
			assert_int_equal(c->apps.app[0].host_lane_options, 0x01);  /* start lanes [0] */
			assert_int_equal(c->apps.app[0].media_lane_options, 0x01);
		} else {
			assert_non_null(strstr(json_string_value(v), "0x1d"));
			assert_int_equal(c->apps.app[0].media_id, 0x1d);
		}
	} else if (!strcmp(key, "first_application")) {
		/* "400GAUI-4-L C2M (0x50) / 400GBASE-DR4 (0x1c), lanes 4/4, host assign 0x11" */
		const struct lb_app *a = &c->apps.app[0];
		unsigned h, md, hl, ml, ha;
		const char *s = json_string_value(v);
		assert_non_null(s);
		const char *host = strstr(s, "(0x"), *slash = strstr(s, "/");
		assert_non_null(host);
		assert_non_null(slash);
		const char *media = strstr(slash, "(0x");
		assert_non_null(media);
		assert_int_equal(sscanf(host, "(0x%x)", &h), 1);
		assert_int_equal(sscanf(media, "(0x%x), lanes %u/%u, host assign 0x%x", &md, &hl, &ml, &ha), 4);
		assert_int_equal(a->host_id, h);
		assert_int_equal(a->media_id, md);
		assert_int_equal(a->host_lanes, hl);
		assert_int_equal(a->media_lanes, ml);
		assert_int_equal(a->host_lane_options, ha);
		assert_non_null(strstr(s, "400GAUI-4-L C2M"));
		assert_int_equal(strncmp(a->host_name, "400GAUI-4-L C2M", 15), 0);
		assert_int_equal(strncmp(a->media_name, "400GBASE-DR4", 12), 0);
	} else if (!strcmp(key, "advertised_applications")) {
		check_advertised(c, v);
	} else if (!strcmp(key, "dp_state")) {
		check_dp_state(c, v);
	} else if (!strcmp(key, "supported_smf_applications_start_lanes")) {
		assert_int_equal(c->apps.media_type, 0x02);
		check_start_lanes(c, v);
	} else if (!strcmp(key, "diag_sel_page14_byte128")) {
		assert_int_equal(rd_be(c->m, 0x14, 128, 1), json_integer_value(v));
	} else if (!strcmp(key, "smf_length_page01_byte132")) {
		/* "0x42 -> 2000 m": bits 7-6 multiplier (0.1/1/10 km), 5-0 base */
		unsigned b = (unsigned)rd_be(c->m, 0x01, 132, 1);
		static const double mult_km[4] = { 0.1, 1, 10, 0 };
		assert_int_equal(b, strtoul(json_string_value(v), NULL, 16));
		char want[32];
		snprintf(want, sizeof(want), "-> %.0f m", (b & 0x3f) * mult_km[b >> 6] * 1000.0);
		assert_non_null(strstr(json_string_value(v), want));
	} else if (!strcmp(key, "rx_snr_raw_u16") || !strcmp(key, "rx_snr_db")) {
		/* page 14h 240-247, LSB first as the source reads it, 1/256 dB */
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			unsigned raw = (unsigned)rd_be(c->m, 0x14, (uint8_t)(240 + 2 * i), 2);
			raw = (raw >> 8) | ((raw & 0xffu) << 8);
			if (json_is_string(e))
				assert_int_equal(raw, strtoul(json_string_value(e), NULL, 16));
			else
				assert_true(NEAR(raw / 256.0, json_number_value(e), 5e-5));
		}
	} else if (!strcmp(key, "vdm_supported")) {
		assert_int_equal((rd_be(c->m, 0x01, 142, 1) >> 6) & 1, json_is_true(v));
	} else if (!strcmp(key, "vdm_groups_supported") || !strcmp(key, "vdm_supported_groups")) {
		assert_int_equal((rd_be(c->m, 0x2F, 128, 1) & 3) + 1, json_integer_value(v));
	} else if (!strcmp(key, "cdb")) {
		assert_int_equal((rd_be(c->m, 0x01, 163, 1) >> 6) != 0, json_is_true(v));
	} else if (!strcmp(key, "tunable_laser_status")) {
		/* page 12h (synthetic in this fixture, per its caveat) */
		assert_true(rd_be(c->m, 0x12, 168, 4) ==
			    (uint64_t)json_integer_value(json_object_get(v, "laser_frequency_mhz")));
		unsigned st = (unsigned)rd_be(c->m, 0x12, 222, 1);
		assert_string_equal(json_string_value(json_object_get(v, "tuning")),
				    st & 2 ? "in progress" : "not in progress");
		assert_string_equal(json_string_value(json_object_get(v, "wavelength")),
				    st & 1 ? "unlocked" : "locked");
		assert_int_equal(json_object_size(v), 3);
	} else if (!strcmp(key, "fec_pm_page34")) {
		check_fec_pm(c, v);
	} else if (!strcmp(key, "link_pm_page35_avg_min_max")) {
		check_link_pm(c, v);
	} else if (!strcmp(key, "coherent_vdm_page27")) {
		check_vdm27(c, v);
	} else if (!strcmp(key, "rx_cons_act_hold_off_timer_supported")) {
		unsigned want;
		assert_int_equal(sscanf(strstr(json_string_value(v), "= 0x"), "= 0x%x", &want), 1);
		assert_int_equal(rd_be(c->m, 0x45, 129, 1), want);
		assert_true(want & 0x04);  /* "bit 2 set" */
	} else if (!strcmp(key, "prbs_line_and_system_include_SSPRQ")) {
		/*
		 * Page 13h pattern advertisement: not decoded by lightbridge, and the reference
		 * has no byte layout for it to check against. Counted as skipped, not checked.
		 */
		c->checked--;
		c->skipped++;
		print_message("  %s: %s skipped (page 13h PRBS advertisement not decoded)\n", f, key);
	} else {
		fail_msg("%s: key '%s' in its .decoded.json is not handled by this test", f, key);
	}
}

static void check_image(const char *dir, const char *file, const struct readme_row *row)
{
	char path[4200];
	struct lb_test_rig r;
	struct ctx c = { .file = file, .id = LB_MODULE_IDENTITY_INIT, .lanes = LB_LANE_STATUS_INIT,
			 .mon = LB_MODULE_MONITORS_INIT };

	print_message("%s\n", file);
	lb_test_rig_image(&r, lb_test_path(path, sizeof(path), dir, file), 400, false);
	c.m = r.m;
	int rc = lb_module_get_identity(r.m, &c.id);
	assert_int_equal(rc, row->ok00 && row->ok01 ? LB_OK : LB_E_CHECKSUM);
	assert_int_equal(c.id.page00_checksum_ok, row->ok00);
	assert_int_equal(c.id.page00_checksum_stored, row->stored00);
	assert_int_equal(c.id.page00_checksum_computed, row->computed00);
	assert_int_equal(c.id.page01_checksum_ok, row->ok01);
	assert_int_equal(c.id.page01_checksum_stored, row->stored01);
	assert_int_equal(lb_module_get_apps(r.m, &c.apps), LB_OK);
	assert_int_equal(lb_module_get_state(r.m, &c.state), LB_OK);
	assert_int_equal(lb_module_get_lane_status(r.m, &c.lanes), LB_OK);
	assert_int_equal(lb_module_get_monitors(r.m, &c.mon), LB_OK);
	struct lb_module_thresholds thr = LB_MODULE_THRESHOLDS_INIT;
	assert_int_equal(lb_module_get_thresholds(r.m, &thr), LB_OK);

	/* The bus view equals a direct decode of the file. */
	struct lb_test_image img;
	struct lb_module_identity direct = LB_MODULE_IDENTITY_INIT;
	struct lb_app_list dapps;
	assert_int_equal(lb_test_image_load(path, &img), 0);
	assert_int_equal(lb_cmis_decode_identity(img.lower, img.page[0], lb_test_image_page(&img, 1),
						 &direct), rc);
	assert_string_equal(direct.vendor_name, c.id.vendor_name);
	assert_string_equal(direct.part_number, c.id.part_number);
	assert_string_equal(direct.serial_number, c.id.serial_number);
	assert_string_equal(direct.date_code, c.id.date_code);
	assert_int_equal(direct.page00_checksum_computed, c.id.page00_checksum_computed);
	assert_int_equal(direct.page01_checksum_computed, c.id.page01_checksum_computed);
	assert_int_equal(direct.lane_banks, c.id.lane_banks);
	assert_int_equal(direct.full_page_read, c.id.full_page_read);
	lb_cmis_decode_apps(img.lower, lb_test_image_page(&img, 1), &dapps);
	assert_int_equal(dapps.count, c.apps.count);
	for (unsigned i = 0; i < dapps.count; i++) {
		assert_int_equal(dapps.app[i].host_id, c.apps.app[i].host_id);
		assert_int_equal(dapps.app[i].media_id, c.apps.app[i].media_id);
		assert_int_equal(dapps.app[i].media_lane_options, c.apps.app[i].media_lane_options);
	}
	assert_int_equal(c.state, (img.lower[3] >> 1) & 7);

	/* The source's own decode. */
	char jpath[4200];
	snprintf(jpath, sizeof(jpath), "%s", path);
	char *dot = strstr(jpath, ".txt");
	assert_non_null(dot);
	snprintf(dot, sizeof(jpath) - (size_t)(dot - jpath), ".decoded.json");
	FILE *jf = fopen(jpath, "r");
	if (jf) {
		fclose(jf);
		json_error_t jerr;
		json_t *ref = json_load_file(jpath, 0, &jerr);
		if (!ref)
			fail_msg("%s:%d: %s", jpath, jerr.line, jerr.text);
		const char *key;
		json_t *v;
		json_object_foreach(ref, key, v)
			check_key(&c, key, v);
		print_message("  %u values agree, %u skipped\n", c.checked, c.skipped);
		json_decref(ref);
	}
	lb_test_rig_down(&r);
}

static void test_real_images(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	struct readme_row rows[32];
	unsigned nrows = load_readme(dir, rows, 32);
	assert_true(nrows >= 8);

	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *e;
	unsigned images = 0, mismatches = 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".txt") != 0)
			continue;
		const struct readme_row *row = NULL;
		for (unsigned i = 0; i < nrows; i++)
			if (strcmp(rows[i].file, e->d_name) == 0)
				row = &rows[i];
		if (!row)
			fail_msg("%s is not in the README table", e->d_name);
		check_image(dir, e->d_name, row);
		images++;
		mismatches += (unsigned)!row->ok00 + (unsigned)!row->ok01;
	}
	closedir(d);
	assert_int_equal(images, nrows);
	assert_int_equal(mismatches, 3);  /* the three edited fixtures, page 00h only */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
