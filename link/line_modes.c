/* SPDX-License-Identifier: MIT */
/*
 * Line-mode tables (link/modes.json), read with the options reader into struct lb_line_mode:
 *   {"modes": [{"id", "name", "format", "entropy_bits", "baud_gbd", "net_rate_gbps", ...,
 *               "cd_penalty": [[ps_nm, db], ...], "source": {"field": "where it comes from"}}]}
 * Strict: an unknown key, a missing required field, a non-numeric number or a value out of
 * physical range refuses the whole file with "FILE: FIELD: reason", a mode named by its id
 * ("modes[800g-16qam-118].baud_gbd") once it is known. Only public structs are filled; the
 * model calibrates the modes itself.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <lightbridge/link.h>
#include <lightbridge/options.h>
#include "link/loader.h"

/* Numeric fields: key, offset, range, required. */
enum req { OPTIONAL = 0, REQUIRED, REQUIRED_UNLESS_PCS };

struct num_field {
	struct lb_link_field f;
	enum req req;
};

#define F(k, member, lo, hi, req, z) { { k, offsetof(struct lb_line_mode, member), lo, hi, z }, req }

static const struct num_field num_fields[] = {
	F("entropy_bits", entropy_bits, 2.0, 6.0, OPTIONAL, false),
	F("baud_gbd", baud_gbd, 0.1, 300.0, REQUIRED, false),
	F("net_rate_gbps", net_rate_gbps, 1.0, 3200.0, REQUIRED_UNLESS_PCS, false),
	F("line_rate_gbps", line_rate_gbps, 1.0, 4000.0, OPTIONAL, false),
	F("fec_threshold_ber", fec_threshold_ber, 1e-6, 0.2, REQUIRED, false),
	F("req_osnr_db", req_osnr_db, 3.0, 45.0, REQUIRED_UNLESS_PCS, false),
	F("tx_osnr_db", tx_osnr_db, 10.0, 70.0, REQUIRED, true),
	F("snr_b2b_db", snr_b2b_db, 5.0, 50.0, REQUIRED, true),
	F("impl_penalty_db", impl_penalty_db, -10.0, 15.0, OPTIONAL, false),
	F("better_than_spec_db", better_than_spec_db, 0.0, 5.0, OPTIONAL, false),
	F("dgd_max_ps", dgd_max_ps, 0.0, 1000.0, OPTIONAL, false),
	F("rx_los_dbm", rx_los_dbm, -60.0, 10.0, OPTIONAL, false),
	F("lo_offset_tolerance_ghz", lo_offset_tolerance_ghz, 0.0, 50.0, OPTIONAL, false),
	F("slot_ghz", slot_ghz, 6.25, 1000.0, REQUIRED, false),
	F("width_ghz", width_ghz, 0.0, 1000.0, OPTIONAL, false),
	F("tx_power_min_dbm", tx_power_min_dbm, -30.0, 20.0, OPTIONAL, false),
	F("tx_power_max_dbm", tx_power_max_dbm, -30.0, 20.0, OPTIONAL, false),
	F("module_power_w", module_power_w, 0.0, 100.0, REQUIRED, false),
	F("reach_km", reach_km, 0.0, 40000.0, OPTIONAL, false),
};

#define N_NUM (sizeof(num_fields) / sizeof(num_fields[0]))

struct table_field {
	const char *key;
	size_t offset;
	double xlo, xhi;
	const char *xunit;
	bool required;
};

static const struct table_field table_fields[] = {
	{ "cd_penalty", offsetof(struct lb_line_mode, cd_penalty), 0.0, 1e6, "ps/nm", true },
	{ "dgd_penalty", offsetof(struct lb_line_mode, dgd_penalty), 0.0, 1000.0, "ps", false },
	{ "pdl_penalty", offsetof(struct lb_line_mode, pdl_penalty), 0.0, 30.0, "dB", false },
	{ "rx_power_penalty", offsetof(struct lb_line_mode, rx_penalty), -60.0, 20.0, "dBm", false },
};

#define N_TABLE (sizeof(table_fields) / sizeof(table_fields[0]))

static const char *const string_fields[] = { "id", "name", "format", "fec", "source", "comment" };

#define N_STRING (sizeof(string_fields) / sizeof(string_fields[0]))

/* Every key a mode may have, NULL-terminated, from the tables above. */
static void mode_keys(const char *keys[N_STRING + N_NUM + N_TABLE + 1])
{
	size_t k = 0;
	for (size_t i = 0; i < N_STRING; i++)
		keys[k++] = string_fields[i];
	for (size_t i = 0; i < N_NUM; i++)
		keys[k++] = num_fields[i].f.key;
	for (size_t i = 0; i < N_TABLE; i++)
		keys[k++] = table_fields[i].key;
	keys[k] = NULL;
}

static bool is_number(const struct lb_options *v)
{
	enum lb_options_type t = lb_options_type(v, NULL);
	return t == LB_OPTIONS_INTEGER || t == LB_OPTIONS_REAL;
}

/* A penalty table: [[x, dB], ...], x rising; errors name the table and the point. */
static int parse_table(const struct lb_options *m, const struct table_field *tf,
		       struct lb_link_penalty_table *t)
{
	memset(t, 0, sizeof(*t));
	if (lb_options_type(m, tf->key) != LB_OPTIONS_ARRAY)
		return lb_options_fail(m, tf->key, LB_E_PARSE, "not a list of [%s, dB] points", tf->xunit);
	const struct lb_options *arr;
	size_t n;
	int rc = lb_options_get_array(m, tf->key, 1, SIZE_MAX, &arr, &n);
	if (rc)
		return rc;
	if (n > LB_LINK_MAX_POINTS)
		return lb_options_fail(m, tf->key, LB_E_RANGE, "%zu points, at most %d", n, LB_LINK_MAX_POINTS);
	for (size_t i = 0; i < n; i++) {
		const struct lb_options *pt, *px = NULL, *py = NULL;
		if ((rc = lb_options_at(arr, i, NULL, &pt)))
			return rc;
		if (lb_options_type(pt, NULL) != LB_OPTIONS_ARRAY || lb_options_count(pt) != 2 ||
		    lb_options_at(pt, 0, NULL, &px) || lb_options_at(pt, 1, NULL, &py) ||
		    !is_number(px) || !is_number(py))
			return lb_options_fail(m, tf->key, LB_E_PARSE,
					       "point %zu is not a [number, number] pair", i);
		double x, y;
		lb_options_get_number(px, NULL, -HUGE_VAL, HUGE_VAL, 0.0, &x);
		lb_options_get_number(py, NULL, -HUGE_VAL, HUGE_VAL, 0.0, &y);
		if (!(x >= tf->xlo && x <= tf->xhi))
			return lb_options_fail(m, tf->key, LB_E_RANGE, "point %zu: %g %s is out of range %g..%g",
					       i, x, tf->xunit, tf->xlo, tf->xhi);
		if (!(y >= 0.0 && y <= 30.0))
			return lb_options_fail(m, tf->key, LB_E_RANGE,
					       "point %zu: penalty %g dB is out of range 0..30", i, y);
		if (i > 0 && !(x > t->x[i - 1]))
			return lb_options_fail(m, tf->key, LB_E_RANGE,
					       "point %zu: %g %s is not above the previous one", i, x, tf->xunit);
		t->x[i] = x;
		t->db[i] = y;
	}
	t->count = (unsigned)n;
	return LB_OK;
}

static int parse_format(const struct lb_options *m, enum lb_link_format *f)
{
	static const struct {
		const char *name;
		enum lb_link_format f;
	} names[] = {
		{ "DP-QPSK", LB_LINK_FORMAT_DP_QPSK },	 { "QPSK", LB_LINK_FORMAT_DP_QPSK },
		{ "DP-8QAM", LB_LINK_FORMAT_DP_8QAM },	 { "8QAM", LB_LINK_FORMAT_DP_8QAM },
		{ "DP-16QAM", LB_LINK_FORMAT_DP_16QAM }, { "16QAM", LB_LINK_FORMAT_DP_16QAM },
		{ "DP-64QAM", LB_LINK_FORMAT_DP_64QAM }, { "64QAM", LB_LINK_FORMAT_DP_64QAM },
		{ "PCS", LB_LINK_FORMAT_PCS },		 { "PCS-16QAM", LB_LINK_FORMAT_PCS },
		{ "PCS-64QAM", LB_LINK_FORMAT_PCS },
	};
	const char *s;
	int rc;
	if ((rc = lb_options_require(m, "format")) || (rc = lb_options_get_string(m, "format", NULL, &s)))
		return rc;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*f = names[i].f;
			return LB_OK;
		}
	}
	return lb_options_fail(m, "format", LB_E_PARSE,
			       "unknown format \"%s\" (DP-QPSK, DP-8QAM, DP-16QAM, DP-64QAM, PCS)", s);
}

/* Mode i of the list: its id first (errors name it modes[i]), then the rest (modes[ID]). */
static int parse_mode(const struct lb_options *list, size_t index, struct lb_line_mode *m,
		      const struct lb_options **view)
{
	memset(m, 0, sizeof(*m));
	m->size = sizeof(*m);
	const struct lb_options *jm;
	int rc;
	if ((rc = lb_options_at(list, index, NULL, &jm)) || (rc = lb_options_get_object(jm, NULL, &jm)) ||
	    (rc = lb_options_require(jm, "id")) ||
	    (rc = lb_options_get_string_buf(jm, "id", "", m->id, sizeof(m->id))))
		return rc;
	if (!m->id[0])
		return lb_options_fail(jm, "id", LB_E_PARSE, "empty");
	for (const char *p = m->id; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
			return lb_options_fail(jm, "id", LB_E_PARSE, "no blanks or quotes in an id");
	if ((rc = lb_options_at(list, index, m->id, &jm)) || (rc = lb_options_get_object(jm, NULL, &jm)))
		return rc;
	*view = jm;
	const char *keys[N_STRING + N_NUM + N_TABLE + 1];
	mode_keys(keys);
	if ((rc = lb_options_check_keys(jm, keys)) ||
	    (rc = lb_options_get_string_buf(jm, "name", "", m->name, sizeof(m->name))) ||
	    (rc = lb_options_require(jm, "fec")) ||
	    (rc = lb_options_get_string_buf(jm, "fec", "", m->fec, sizeof(m->fec))) ||
	    (rc = parse_format(jm, &m->format)))
		return rc;
	enum lb_options_type src = lb_options_type(jm, "source");
	if (src != LB_OPTIONS_ABSENT && src != LB_OPTIONS_OBJECT && src != LB_OPTIONS_STRING)
		return lb_options_fail(jm, "source", LB_E_PARSE, "not an object of notes or a string");
	bool pcs = m->format == LB_LINK_FORMAT_PCS;

	/* Defaults of the optional fields. */
	m->rx_los_dbm = -23.0;
	m->lo_offset_tolerance_ghz = 3.6;

	for (size_t i = 0; i < N_NUM; i++) {
		const struct num_field *nf = &num_fields[i];
		bool present = lb_options_has(jm, nf->f.key);
		if (!present && (nf->req == REQUIRED || (nf->req == REQUIRED_UNLESS_PCS && !pcs)))
			return lb_options_fail(jm, nf->f.key, LB_E_PARSE, "missing");
		if ((rc = lb_link_read_field(jm, &nf->f, m)))
			return rc;
		if (present && strcmp(nf->f.key, "impl_penalty_db") == 0)
			m->impl_penalty_set = true;
	}
	if (pcs && !lb_options_has(jm, "entropy_bits"))
		return lb_options_fail(jm, "entropy_bits", LB_E_PARSE, "missing (required for PCS)");
	if (!pcs && lb_options_has(jm, "entropy_bits"))
		return lb_options_fail(jm, "entropy_bits", LB_E_PARSE, "only for PCS formats");

	for (size_t i = 0; i < N_TABLE; i++) {
		const struct table_field *tf = &table_fields[i];
		struct lb_link_penalty_table *t =
			(struct lb_link_penalty_table *)(void *)((char *)m + tf->offset);
		if (!lb_options_has(jm, tf->key)) {
			if (tf->required)
				return lb_options_fail(jm, tf->key, LB_E_PARSE, "missing");
			continue;
		}
		if ((rc = parse_table(jm, tf, t)))
			return rc;
	}

	/* Cross-field checks. */
	if (m->slot_ghz < m->baud_gbd)
		return lb_options_fail(jm, "slot_ghz", LB_E_RANGE, "%g GHz is narrower than the %g GBd signal",
				       m->slot_ghz, m->baud_gbd);
	if (m->tx_power_min_dbm > m->tx_power_max_dbm)
		return lb_options_fail(jm, "tx_power_min_dbm", LB_E_RANGE, "above tx_power_max_dbm");
	/* The format's curve must reach the threshold: its BER tops out at a·erfc(0). */
	double top = m->format == LB_LINK_FORMAT_DP_QPSK	 ? 0.5
		     : m->format == LB_LINK_FORMAT_DP_8QAM	 ? 5.0 / 12.0
		     : m->format == LB_LINK_FORMAT_DP_64QAM ? 7.0 / 24.0
							    : 3.0 / 8.0;
	if (!(m->fec_threshold_ber < top))
		return lb_options_fail(jm, "fec_threshold_ber", LB_E_RANGE, "%g is beyond the %s curve",
				       m->fec_threshold_ber, lb_link_format_name(m->format));
	return LB_OK;
}

static int parse_modes(const struct lb_options *root, struct lb_line_modes *out)
{
	static const char *const top_keys[] = { "modes", "description", "schema", "comment", "sources",
						NULL };
	const struct lb_options *list;
	size_t n;
	int rc;
	if ((rc = lb_options_get_object(root, NULL, &root)) || (rc = lb_options_check_keys(root, top_keys)) ||
	    (rc = lb_options_require(root, "modes")) ||
	    (rc = lb_options_get_array(root, "modes", 1, SIZE_MAX, &list, &n)))
		return rc;
	struct lb_line_mode *modes = calloc(n, sizeof(*modes));
	if (!modes)
		return LB_E_NOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		const struct lb_options *view = NULL;
		rc = parse_mode(list, i, &modes[i], &view);
		for (size_t k = 0; k < i && !rc; k++)
			if (strcmp(modes[k].id, modes[i].id) == 0)
				rc = lb_options_fail(view, "id", LB_E_PARSE, "duplicate id (also modes[%zu])", k);
	}
	if (rc) {
		free(modes);
		return rc;
	}
	out->count = n;
	out->modes = modes;
	return LB_OK;
}

LB_API int lb_line_modes_load(const char *file, struct lb_line_modes *out, char *err,
			      size_t err_len)
{
	if (err && err_len)
		err[0] = 0;
	if (!out)
		return LB_E_INVAL;
	out->count = 0;
	out->modes = NULL;
	if (!file)
		return LB_E_INVAL;
	struct lb_options *doc;
	int rc = lb_options_load(file, &doc, err, err_len);
	if (rc)
		return rc;
	rc = lb_link_load_result(doc, parse_modes(doc, out), err, err_len);
	lb_options_free(doc);
	return rc;
}

LB_API void lb_line_modes_free(struct lb_line_modes *modes)
{
	if (!modes)
		return;
	free(modes->modes);
	modes->modes = NULL;
	modes->count = 0;
}

LB_API const struct lb_line_mode *lb_line_modes_find(const struct lb_line_modes *modes,
						     const char *id)
{
	if (!modes || !id)
		return NULL;
	for (size_t i = 0; i < modes->count; i++)
		if (strcmp(modes->modes[i].id, id) == 0)
			return &modes->modes[i];
	return NULL;
}
