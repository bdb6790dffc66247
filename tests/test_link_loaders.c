/* SPDX-License-Identifier: MIT */
/*
 * JSON loaders of the link model: the shipped mode table and scenario paths load and agree
 * with the model's calibration; every kind of bad file is refused with LB_E_PARSE or
 * LB_E_RANGE and a "FILE: FIELD: reason" message.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "link_fixture.h"
#include <lightbridge/link.h>

static char tmpdir[256];

static const char *datadir(void)
{
	const char *d = getenv("LB_DATADIR");
	return d && *d ? d : LB_SOURCE_DIR;
}

static void data_path(char *buf, size_t n, const char *rel)
{
	snprintf(buf, n, "%s/link/%s", datadir(), rel);
}

static int setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/lb-link-loaders-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* ---------------------------------------------------------------- shipped files */

static void test_modes_table(void **state)
{
	(void)state;
	char file[512], err[512];
	data_path(file, sizeof(file), "modes.json");
	struct lb_line_modes modes;
	int rc = lb_line_modes_load(file, &modes, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	assert_string_equal(err, "");
	assert_true(modes.count >= 12);
	/* The modes the issue asks for. */
	static const char *const need[] = { "400zr",	      "zr+400g-16qam", "zr+300g",
					    "zr+200g",	      "zr+100g",       "800g-16qam-118",
					    "800g-pcs-131e",  "800g-pcs-131m", "600g-pcs-118",
					    "400g-qpsk-118" };
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		assert_non_null(lb_line_modes_find(&modes, need[i]));
	assert_null(lb_line_modes_find(&modes, "no-such-mode"));
	assert_null(lb_line_modes_find(NULL, "400zr"));

	const struct lb_line_mode *m = lb_line_modes_find(&modes, "800g-16qam-118");
	assert_int_equal(m->format, LB_LINK_FORMAT_DP_16QAM);
	assert_true(m->baud_gbd == 118.2 && m->net_rate_gbps == 800 && m->req_osnr_db == 27.0);
	assert_true(m->tx_osnr_db == 37 && m->snr_b2b_db == 19 && m->fec_threshold_ber == 2.0e-2);
	assert_int_equal(m->cd_penalty.count, 3);
	assert_true(m->cd_penalty.x[2] == 12000 && m->cd_penalty.db[2] == 0.5);
	assert_true(m->module_power_w == 30.0);
	assert_string_equal(m->fec, "oFEC");
	assert_int_equal(m->size, sizeof(*m));
	assert_true(m->reach_km == 640.0); /* ref §1.3 */
	m = lb_line_modes_find(&modes, "800g-pcs-131e");
	assert_int_equal(m->format, LB_LINK_FORMAT_PCS);
	assert_true(m->entropy_bits == 3.6);
	assert_true(m->reach_km == 1120.0);
	assert_true(lb_line_modes_find(&modes, "800g-pcs-131m")->reach_km == 0.0); /* not stated */
	m = lb_line_modes_find(&modes, "400zr");
	assert_true(m->fec_threshold_ber == 1.25e-2);
	assert_string_equal(m->fec, "CFEC");
	assert_true(m->rx_los_dbm == -23.0);

	/* Every mode passes the model's checks, and its Δ_impl is the calibrated one. */
	for (size_t i = 0; i < modes.count; i++) {
		struct lb_line_mode c = modes.modes[i];
		assert_int_equal(lb_line_mode_check(&c), LB_OK);
		c.impl_penalty_set = false;
		assert_int_equal(lb_line_mode_calibrate(&c), LB_OK);
		if (modes.modes[i].impl_penalty_set) {
			if (fabs(c.impl_penalty_db - modes.modes[i].impl_penalty_db) > 0.002)
				print_error("%s: impl_penalty_db %.3f in the table, %.4f calibrated\n",
					    c.id, modes.modes[i].impl_penalty_db, c.impl_penalty_db);
			assert_true(fabs(c.impl_penalty_db - modes.modes[i].impl_penalty_db) <= 0.002);
		}
		assert_true(c.slot_ghz >= c.baud_gbd);
		assert_true(c.module_power_w > 0);
	}
	/* The tunable-entropy mode leaves rate, required OSNR and Δ_impl to the model. */
	m = lb_line_modes_find(&modes, "700g-pcs-118-h3.5");
	assert_non_null(m);
	assert_true(m->net_rate_gbps == 0.0 && m->req_osnr_db == 0.0 && !m->impl_penalty_set);
	struct lb_line_mode c = *m;
	assert_int_equal(lb_line_mode_calibrate(&c), LB_OK);
	assert_true(fabs(c.net_rate_gbps - 700.0) < 0.5);
	assert_true(fabs(c.req_osnr_db - 24.55) < 0.01);
	lb_line_modes_free(&modes);
	assert_int_equal(modes.count, 0);
	assert_null(modes.modes);
	lb_line_modes_free(&modes); /* twice is fine */
	lb_line_modes_free(NULL);
}

static void test_scenario_paths(void **state)
{
	(void)state;
	char file[512], err[512];
	struct lb_link_path p;
	data_path(file, sizeof(file), "paths/tokyo-osaka-500km.json");
	int rc = lb_link_path_load(file, &p, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	assert_string_equal(p.name, "tokyo-osaka-500km");
	assert_int_equal(p.span_count, 6);
	assert_true(fabs(lb_link_path_length_km(&p) - 500.0) < 1e-9);
	assert_true(p.launch_dbm == 3.0 && p.demux_loss_db == 5.0 && p.frequency_thz == 193.4);
	for (unsigned i = 0; i < p.span_count; i++) {
		assert_true(fabs(p.spans[i].length_km - 500.0 / 6) < 1e-9);
		assert_true(p.spans[i].amplified && p.spans[i].amp_nf_db == 5.0);
		assert_true(p.spans[i].dispersion_ps_nm_km == 16.7);
	}
	assert_int_equal(lb_link_path_check(&p), LB_OK);

	data_path(file, sizeof(file), "paths/long-haul-1000km.json");
	rc = lb_link_path_load(file, &p, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	assert_int_equal(p.span_count, 12);
	assert_true(fabs(lb_link_path_length_km(&p) - 1000.0) < 1e-9);
	assert_int_equal(lb_link_path_check(&p), LB_OK);
}

/* ---------------------------------------------------------------- scenario verdicts */

static void test_scenario_verdicts(void **state)
{
	(void)state;
	char file[512], err[512];
	struct lb_line_modes modes;
	data_path(file, sizeof(file), "modes.json");
	assert_int_equal(lb_line_modes_load(file, &modes, err, sizeof(err)), LB_OK);
	struct lb_link_path p500, p1000;
	data_path(file, sizeof(file), "paths/tokyo-osaka-500km.json");
	assert_int_equal(lb_link_path_load(file, &p500, err, sizeof(err)), LB_OK);
	data_path(file, sizeof(file), "paths/long-haul-1000km.json");
	assert_int_equal(lb_link_path_load(file, &p1000, err, sizeof(err)), LB_OK);
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	const struct lb_line_mode *u16 = lb_line_modes_find(&modes, "800g-16qam-118");
	const struct lb_line_mode *pcs = lb_line_modes_find(&modes, "800g-pcs-131e");
	assert_non_null(u16);
	assert_non_null(pcs);

	/* Tokyo-Osaka at +3 dBm: 800G uniform 16QAM closes with 1.44 dB (§10.1). */
	assert_int_equal(lb_link_evaluate(&p500, u16, NULL, &r), LB_OK);
	assert_true(r.closes);
	assert_true(fabs(r.margin_db - 1.44) <= 0.05);
	assert_true(fabs(r.latency_one_way_ms - 2.449) <= 0.001);
	/* 1,000 km: the uniform mode fails (CD and OSNR), an 800G PCS mode closes (§10.2). */
	assert_int_equal(lb_link_evaluate(&p1000, u16, NULL, &r), LB_OK);
	assert_false(r.closes);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_CD);
	assert_true(r.margin_db < 0);
	assert_int_equal(lb_link_evaluate(&p1000, pcs, NULL, &r), LB_OK);
	assert_true(r.closes);
	assert_true(fabs(r.margin_db - 0.77) <= 0.05);
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_OPTIMAL };
	assert_int_equal(lb_link_evaluate(&p1000, pcs, &o, &r), LB_OK);
	assert_true(r.closes);
	assert_true(fabs(r.margin_db - 1.05) <= 0.05);
	assert_true(fabs(r.latency_one_way_ms - 4.897) <= 0.001);
	/* Every shipped mode evaluates on both paths, at the file's and the optimal launch. */
	for (size_t i = 0; i < modes.count; i++) {
		assert_int_equal(lb_link_evaluate(&p500, &modes.modes[i], NULL, &r), LB_OK);
		assert_int_equal(lb_link_evaluate(&p1000, &modes.modes[i], &o, &r), LB_OK);
	}
	lb_line_modes_free(&modes);
}

/* ---------------------------------------------------------------- explicit spans */

static void test_explicit_spans(void **state)
{
	(void)state;
	const char *f = write_file("spans.json",
		"{\"launch_dbm\": 1.5, \"mux_loss_db\": 4, \"demux_loss_db\": 6,\n"
		" \"channel_count\": 40, \"channel_spacing_ghz\": 150, \"pdl_db\": 1.0,\n"
		" \"fibre\": {\"loss_db_per_km\": 0.17, \"amp_nf_db\": 4.5},\n"
		" \"spans\": [{\"length_km\": 90}, {\"length_km\": 60, \"connector_loss_db\": 2.5},\n"
		"           {\"length_km\": 30, \"amplified\": false}, {\"length_km\": 75, \"amp_gain_db\": 12}]}\n");
	struct lb_link_path p;
	char err[512];
	int rc = lb_link_path_load(f, &p, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	assert_string_equal(p.name, "spans"); /* from the file name */
	assert_int_equal(p.span_count, 4);
	assert_true(p.spans[0].length_km == 90 && p.spans[0].loss_db_per_km == 0.17);
	assert_true(p.spans[0].amp_nf_db == 4.5 && p.spans[0].connector_loss_db == 1.0);
	assert_true(p.spans[1].connector_loss_db == 2.5);
	assert_false(p.spans[2].amplified);
	assert_true(p.spans[3].amp_gain_db == 12);
	assert_true(p.launch_dbm == 1.5 && p.channel_count == 40 && p.channel_spacing_ghz == 150);
	assert_true(p.pdl_db == 1.0 && p.band_ghz == 4800 && p.frequency_thz == 193.4);
	assert_int_equal(lb_link_path_check(&p), LB_OK);
}

/* ---------------------------------------------------------------- amplifier limits, margin */

/* amp_max_gain_db, amp_max_output_dbm and system_margin_db: read, defaulted, checked; a span
 * no amplifier makes up refuses the file, naming it. */
static void test_path_limits_and_margin(void **state)
{
	(void)state;
	const char *f = write_file("limits.json",
		"{\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5,\n"
		" \"amp_max_gain_db\": 30, \"amp_max_output_dbm\": 21, \"system_margin_db\": 2.5,\n"
		" \"distance_km\": 500, \"span_count\": 6}\n");
	struct lb_link_path p;
	char err[512];
	int rc = lb_link_path_load(f, &p, err, sizeof(err));
	if (rc)
		print_error("%s\n", err);
	assert_int_equal(rc, LB_OK);
	assert_int_equal(p.size, sizeof(p));
	assert_true(p.amp_max_gain_db == 30 && p.amp_max_output_dbm == 21 && p.system_margin_db == 2.5);
	/* Absent: 0, the documented defaults. */
	f = write_file("nolimits.json", "{\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5,"
					" \"distance_km\": 500, \"span_count\": 6}");
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_OK);
	assert_true(p.amp_max_gain_db == 0 && p.amp_max_output_dbm == 0 && p.system_margin_db == 0);
	/* A 200 km span (41 dB) in a list, and 2 x 250 km spans of a uniform plan (51 dB). */
	const char *head = "{\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5, ";
	char text[1024];
	snprintf(text, sizeof(text), "%s\"spans\": [{\"length_km\": 80}, {\"length_km\": 200}]}", head);
	f = write_file("short-gain.json", text);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_RANGE);
	print_message("  %s\n", err);
	assert_non_null(strstr(err, "short-gain.json: spans: span 2 needs 41.0 dB of amplifier gain"));
	assert_int_equal(p.span_count, 0);
	snprintf(text, sizeof(text), "%s\"distance_km\": 500, \"span_count\": 2}", head);
	f = write_file("short-gain2.json", text);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_RANGE);
	assert_non_null(strstr(err, "span_count: span 1 needs 51.0 dB"));
	/* With amplifiers of more gain it loads. */
	snprintf(text, sizeof(text), "%s\"amp_max_gain_db\": 42, \"spans\": [{\"length_km\": 200}]}", head);
	f = write_file("more-gain.json", text);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_OK);
	/* Out of range. */
	snprintf(text, sizeof(text), "%s\"system_margin_db\": -1, \"distance_km\": 500, \"span_count\": 6}",
		 head);
	f = write_file("bad-margin.json", text);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_RANGE);
	assert_non_null(strstr(err, "system_margin_db: -1 dB is out of range"));
	snprintf(text, sizeof(text), "%s\"amp_max_output_dbm\": 40, \"distance_km\": 500, \"span_count\": 6}",
		 head);
	f = write_file("bad-output.json", text);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_RANGE);
	assert_non_null(strstr(err, "amp_max_output_dbm: 40 dBm is out of range"));
}

/* ---------------------------------------------------------------- bad files */

static void expect_mode_error(const char *key, const char *value, int status, const char *field,
			      const char *reason)
{
	const char *f = write_file("bad-modes.json", lb_test_mode_table(key, value));
	struct lb_line_modes modes = { 5, (struct lb_line_mode *)1 };
	char err[512];
	int rc = lb_line_modes_load(f, &modes, err, sizeof(err));
	print_message("  %s = %s: %s\n", key, value ? value : "(missing)", err);
	assert_int_equal(rc, status);
	assert_int_equal(modes.count, 0);
	assert_null(modes.modes);
	/* "FILE: FIELD: reason" */
	char want[600];
	snprintf(want, sizeof(want), "%s: %s: ", f, field);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_non_null(strstr(err, reason));
	assert_null(strchr(err, '\n'));
}

static void test_bad_mode_files(void **state)
{
	(void)state;
	/* The good one loads. */
	const char *f = write_file("good-modes.json", lb_test_mode_table(NULL, NULL));
	struct lb_line_modes modes;
	char err[512];
	assert_int_equal(lb_line_modes_load(f, &modes, err, sizeof(err)), LB_OK);
	assert_int_equal(modes.count, 1);
	lb_line_modes_free(&modes);

	expect_mode_error("baud_gbd", NULL, LB_E_PARSE, "modes[m1].baud_gbd", "missing");
	expect_mode_error("baud_gbd", "\"fast\"", LB_E_PARSE, "modes[m1].baud_gbd", "not a number");
	expect_mode_error("baud_gbd", "900", LB_E_RANGE, "modes[m1].baud_gbd", "out of range");
	expect_mode_error("baud_gbd", "-1", LB_E_RANGE, "modes[m1].baud_gbd", "out of range");
	expect_mode_error("req_osnr_db", NULL, LB_E_PARSE, "modes[m1].req_osnr_db", "missing");
	expect_mode_error("req_osnr_db", "true", LB_E_PARSE, "modes[m1].req_osnr_db", "not a number");
	expect_mode_error("fec_threshold_ber", "0.9", LB_E_RANGE, "modes[m1].fec_threshold_ber",
			  "out of range");
	expect_mode_error("module_power_w", "500", LB_E_RANGE, "modes[m1].module_power_w",
			  "out of range");
	expect_mode_error("reach_km", "-5", LB_E_RANGE, "modes[m1].reach_km", "out of range");
	expect_mode_error("reach_km", "\"far\"", LB_E_PARSE, "modes[m1].reach_km", "not a number");
	expect_mode_error("cd_penalty", NULL, LB_E_PARSE, "modes[m1].cd_penalty", "missing");
	expect_mode_error("cd_penalty", "[[0,0],[4000]]", LB_E_PARSE, "modes[m1].cd_penalty",
			  "not a [number, number] pair");
	expect_mode_error("cd_penalty", "[[0,0],[\"a\",1]]", LB_E_PARSE, "modes[m1].cd_penalty",
			  "pair");
	expect_mode_error("cd_penalty", "[[0,0],[12000,0.5],[4000,0]]", LB_E_RANGE,
			  "modes[m1].cd_penalty", "not above the previous");
	expect_mode_error("cd_penalty", "[[0,0],[12000,-1]]", LB_E_RANGE, "modes[m1].cd_penalty",
			  "out of range");
	expect_mode_error("format", "\"DP-1024QAM\"", LB_E_PARSE, "modes[m1].format", "unknown format");
	expect_mode_error("format", "\"PCS\"", LB_E_PARSE, "modes[m1].entropy_bits", "missing");
	expect_mode_error("entropy_bits", "3.5", LB_E_PARSE, "modes[m1].entropy_bits", "only for PCS");
	expect_mode_error("slot_ghz", "75", LB_E_RANGE, "modes[m1].slot_ghz", "narrower");
	expect_mode_error("id", NULL, LB_E_PARSE, "modes[0].id", "missing");
	expect_mode_error("id", "\"two words\"", LB_E_PARSE, "modes[0].id", "no blanks");
	expect_mode_error("bogus_field", "1", LB_E_PARSE, "modes[m1].bogus_field", "unknown field");
	expect_mode_error("rx_power_penalty", "{}", LB_E_PARSE, "modes[m1].rx_power_penalty",
			  "not a list");
	expect_mode_error("tx_osnr_db", "1e999", LB_E_PARSE, "line 1", "");

	/* File-level problems. */
	struct {
		const char *text;
		int status;
		const char *field, *reason;
	} files[] = {
		{ "{\"modes\": [", LB_E_PARSE, NULL, "" }, /* "FILE: line N: ..." */
		{ "[]", LB_E_PARSE, "(top)", "not a JSON object" },
		{ "{}", LB_E_PARSE, "modes", "missing" },
		{ "{\"modes\": []}", LB_E_PARSE, "modes", "empty" },
		{ "{\"modes\": {}}", LB_E_PARSE, "modes", "not a list" },
		{ "{\"modes\": [1]}", LB_E_PARSE, "modes[0]", "not an object" },
		{ "{\"modes\": [{\"id\": \"a\"}], \"extra\": 1}", LB_E_PARSE, "extra",
		  "unknown field" },
	};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		f = write_file("bad-file.json", files[i].text);
		int rc = lb_line_modes_load(f, &modes, err, sizeof(err));
		print_message("  %s\n", err);
		assert_int_equal(rc, files[i].status);
		char want[600];
		if (files[i].field)
			snprintf(want, sizeof(want), "%s: %s: ", f, files[i].field);
		else
			snprintf(want, sizeof(want), "%s: line ", f);
		assert_true(strncmp(err, want, strlen(want)) == 0);
		assert_non_null(strstr(err, files[i].reason));
	}
	/* Two modes with one id. */
	char two[4096];
	const char *one = lb_test_mode_table(NULL, NULL);
	/* {"modes": [{...}]} → {"modes": [{...}, {...}]} */
	size_t len = strlen(one);
	const char *obj = strchr(one, '[') + 1;
	size_t objlen = (size_t)(strrchr(one, ']') - obj);
	snprintf(two, sizeof(two), "{\"modes\": [%.*s, %.*s]}", (int)objlen, obj, (int)objlen, obj);
	(void)len;
	f = write_file("dup.json", two);
	assert_int_equal(lb_line_modes_load(f, &modes, err, sizeof(err)), LB_E_PARSE);
	assert_non_null(strstr(err, "duplicate id"));
	/* Missing file; NULL arguments; a NULL or short error buffer. */
	snprintf(two, sizeof(two), "%s/none.json", tmpdir);
	assert_int_equal(lb_line_modes_load(two, &modes, err, sizeof(err)), LB_E_NOTFOUND);
	assert_non_null(strstr(err, "none.json: (file): "));
	assert_int_equal(lb_line_modes_load(two, &modes, NULL, 0), LB_E_NOTFOUND);
	char tiny[8];
	assert_int_equal(lb_line_modes_load(two, &modes, tiny, sizeof(tiny)), LB_E_NOTFOUND);
	assert_int_equal(strlen(tiny), 7);
	assert_int_equal(lb_line_modes_load(NULL, &modes, err, sizeof(err)), LB_E_INVAL);
	assert_int_equal(lb_line_modes_load(two, NULL, err, sizeof(err)), LB_E_INVAL);
}

static const char *path_text(const char *extra, const char *geometry)
{
	static char buf[2048];
	snprintf(buf, sizeof(buf),
		 "{\"launch_dbm\": 3, \"mux_loss_db\": 5, \"demux_loss_db\": 5%s%s%s}\n",
		 extra ? ", " : "", extra ? extra : "", geometry);
	return buf;
}

static void expect_path_error(const char *extra, const char *geometry, int status,
			      const char *field, const char *reason)
{
	const char *f = write_file("bad-path.json", path_text(extra, geometry));
	struct lb_link_path p;
	char err[512];
	int rc = lb_link_path_load(f, &p, err, sizeof(err));
	print_message("  %s%s: %s\n", extra ? extra : "", geometry, err);
	assert_int_equal(rc, status);
	assert_int_equal(p.span_count, 0);
	char want[600];
	snprintf(want, sizeof(want), "%s: %s: ", f, field);
	if (strncmp(err, want, strlen(want)) != 0)
		print_error("want prefix \"%s\"\n", want);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_non_null(strstr(err, reason));
}

static void test_bad_path_files(void **state)
{
	(void)state;
	const char *uni = ", \"distance_km\": 500, \"span_count\": 6";
	/* The base loads. */
	const char *f = write_file("ok-path.json", path_text(NULL, uni));
	struct lb_link_path p;
	char err[512];
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_OK);
	assert_int_equal(p.span_count, 6);

	/* Geometry. */
	expect_path_error(NULL, ", \"distance_km\": 0, \"span_count\": 6", LB_E_RANGE, "distance_km",
			  "must be above 0");
	expect_path_error(NULL, ", \"distance_km\": -500, \"span_count\": 6", LB_E_RANGE,
			  "distance_km", "must be above 0");
	expect_path_error(NULL, ", \"distance_km\": \"far\", \"span_count\": 6", LB_E_PARSE,
			  "distance_km", "not a number");
	expect_path_error(NULL, ", \"span_count\": 6", LB_E_PARSE, "distance_km", "missing");
	expect_path_error(NULL, ", \"distance_km\": 500", LB_E_PARSE, "span_count", "missing");
	expect_path_error(NULL, ", \"distance_km\": 500, \"span_count\": 1", LB_E_RANGE, "span_count",
			  "above 300 km");
	expect_path_error(NULL, ", \"distance_km\": 500, \"span_count\": 0", LB_E_RANGE, "span_count",
			  "out of range");
	expect_path_error(NULL, ", \"distance_km\": 500, \"span_count\": 2.5", LB_E_PARSE,
			  "span_count", "not a whole number");
	expect_path_error(NULL, ", \"distance_km\": 500, \"span_count\": 6, \"spans\": []", LB_E_PARSE,
			  "spans", "either");
	expect_path_error(NULL, ", \"spans\": []", LB_E_PARSE, "spans", "empty");
	expect_path_error(NULL, ", \"spans\": [{\"length_km\": 400}]", LB_E_RANGE, "spans[0].length_km",
			  "out of range");
	expect_path_error(NULL, ", \"spans\": [{\"length_km\": 80}, {\"loss_db_per_km\": 0.2}]",
			  LB_E_PARSE, "spans[1].length_km", "missing");
	expect_path_error(NULL, ", \"spans\": [{\"length_km\": 80, \"amp_nf_db\": 1}]", LB_E_RANGE,
			  "spans[0].amp_nf_db", "out of range");
	expect_path_error(NULL, ", \"spans\": [{\"length_km\": 80, \"amplified\": 1}]", LB_E_PARSE,
			  "spans[0].amplified", "not true or false");
	expect_path_error(NULL, ", \"spans\": [{\"length_km\": 80, \"colour\": 1}]", LB_E_PARSE,
			  "spans[0].colour", "unknown field");
	expect_path_error(NULL, ", \"spans\": [7]", LB_E_PARSE, "spans[0]", "not an object");
	/* Path fields. */
	expect_path_error("\"launch_dbm\": 30", uni, LB_E_PARSE, "line 1", "duplicate");
	const char *nolaunch = "{\"mux_loss_db\": 5, \"demux_loss_db\": 5, \"distance_km\": 500, "
			       "\"span_count\": 6}";
	f = write_file("bad-path.json", nolaunch);
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_PARSE);
	assert_non_null(strstr(err, "bad-path.json: launch_dbm: missing"));
	expect_path_error("\"frequency_thz\": 300", uni, LB_E_RANGE, "frequency_thz", "out of range");
	expect_path_error("\"frequency_thz\": \"C\"", uni, LB_E_PARSE, "frequency_thz", "not a number");
	expect_path_error("\"pdl_db\": -1", uni, LB_E_RANGE, "pdl_db", "out of range");
	expect_path_error("\"channel_count\": -3", uni, LB_E_RANGE, "channel_count", "out of range");
	expect_path_error("\"booster_nf_db\": 1", uni, LB_E_RANGE, "booster_nf_db", "out of range");
	expect_path_error("\"fibre\": {\"dispersion_ps_nm_km\": 0}", uni, LB_E_RANGE,
			  "fibre.dispersion_ps_nm_km", "GN model");
	expect_path_error("\"fibre\": {\"loss_db_per_km\": \"low\"}", uni, LB_E_PARSE,
			  "fibre.loss_db_per_km", "not a number");
	expect_path_error("\"fibre\": {\"length_km\": 80}", uni, LB_E_PARSE, "fibre.length_km",
			  "unknown field");
	expect_path_error("\"fibre\": 3", uni, LB_E_PARSE, "fibre", "not an object");
	expect_path_error("\"speed\": 3", uni, LB_E_PARSE, "speed", "unknown field");
	expect_path_error("\"name\": 3", uni, LB_E_PARSE, "name", "not a string");
	/* Missing file and malformed JSON. */
	char none[300];
	snprintf(none, sizeof(none), "%s/none.json", tmpdir);
	assert_int_equal(lb_link_path_load(none, &p, err, sizeof(err)), LB_E_NOTFOUND);
	assert_non_null(strstr(err, "none.json: (file): "));
	f = write_file("broken.json", "{\"launch_dbm\": ");
	assert_int_equal(lb_link_path_load(f, &p, err, sizeof(err)), LB_E_PARSE);
	assert_non_null(strstr(err, "broken.json: line 1: "));
	assert_int_equal(lb_link_path_load(NULL, &p, err, sizeof(err)), LB_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_modes_table),
		cmocka_unit_test(test_scenario_paths),
		cmocka_unit_test(test_scenario_verdicts),
		cmocka_unit_test(test_explicit_spans),
		cmocka_unit_test(test_path_limits_and_margin),
		cmocka_unit_test(test_bad_mode_files),
		cmocka_unit_test(test_bad_path_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
