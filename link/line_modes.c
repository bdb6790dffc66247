/* SPDX-License-Identifier: MIT */
/*
 * Line-mode tables (link/modes.json), read with jansson into struct lb_line_mode:
 *   {"modes": [{"id", "name", "format", "entropy_bits", "baud_gbd", "net_rate_gbps", ...,
 *               "cd_penalty": [[ps_nm, db], ...], "source": {"field": "where it comes from"}}]}
 * Strict: an unknown key, a missing required field, a non-numeric number or a value out of
 * physical range refuses the whole file with "FILE: FIELD: reason". Only public structs are
 * filled; the model calibrates the modes itself.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <jansson.h>
#include <lightbridge/link.h>
#include "link/json_fields.h"

/* Numeric fields: key, offset, range, unit for messages, required. */
enum req { OPTIONAL = 0, REQUIRED, REQUIRED_UNLESS_PCS };

struct num_field {
	struct lb_jf_number n;
	enum req req;
};

#define F(k, member, lo, hi, unit, req, z) \
	{ { k, offsetof(struct lb_line_mode, member), lo, hi, unit, z }, req }

static const struct num_field num_fields[] = {
	F("entropy_bits", entropy_bits, 2.0, 6.0, "bit", OPTIONAL, false),
	F("baud_gbd", baud_gbd, 0.1, 300.0, "GBd", REQUIRED, false),
	F("net_rate_gbps", net_rate_gbps, 1.0, 3200.0, "Gb/s", REQUIRED_UNLESS_PCS, false),
	F("line_rate_gbps", line_rate_gbps, 1.0, 4000.0, "Gb/s", OPTIONAL, false),
	F("fec_threshold_ber", fec_threshold_ber, 1e-6, 0.2, "", REQUIRED, false),
	F("req_osnr_db", req_osnr_db, 3.0, 45.0, "dB", REQUIRED_UNLESS_PCS, false),
	F("tx_osnr_db", tx_osnr_db, 10.0, 70.0, "dB", REQUIRED, true),
	F("snr_b2b_db", snr_b2b_db, 5.0, 50.0, "dB", REQUIRED, true),
	F("impl_penalty_db", impl_penalty_db, -10.0, 15.0, "dB", OPTIONAL, false),
	F("better_than_spec_db", better_than_spec_db, 0.0, 5.0, "dB", OPTIONAL, false),
	F("dgd_max_ps", dgd_max_ps, 0.0, 1000.0, "ps", OPTIONAL, false),
	F("rx_los_dbm", rx_los_dbm, -60.0, 10.0, "dBm", OPTIONAL, false),
	F("lo_offset_tolerance_ghz", lo_offset_tolerance_ghz, 0.0, 50.0, "GHz", OPTIONAL, false),
	F("slot_ghz", slot_ghz, 6.25, 1000.0, "GHz", REQUIRED, false),
	F("width_ghz", width_ghz, 0.0, 1000.0, "GHz", OPTIONAL, false),
	F("tx_power_min_dbm", tx_power_min_dbm, -30.0, 20.0, "dBm", OPTIONAL, false),
	F("tx_power_max_dbm", tx_power_max_dbm, -30.0, 20.0, "dBm", OPTIONAL, false),
	F("module_power_w", module_power_w, 0.0, 100.0, "W", REQUIRED, false),
};

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

static const char *const string_fields[] = { "id", "name", "format", "fec", "source", "comment" };

static int parse_table(struct lb_jf_ctx *c, const char *key, json_t *v, const struct table_field *tf,
		       struct lb_link_penalty_table *t)
{
	memset(t, 0, sizeof(*t));
	if (!json_is_array(v))
		return lb_jf_fail(c, LB_E_PARSE, key, "not a list of [%s, dB] points", tf->xunit);
	size_t n = json_array_size(v);
	if (n == 0)
		return lb_jf_fail(c, LB_E_PARSE, key, "empty");
	if (n > LB_LINK_MAX_POINTS)
		return lb_jf_fail(c, LB_E_RANGE, key, "%zu points, at most %d", n, LB_LINK_MAX_POINTS);
	for (size_t i = 0; i < n; i++) {
		json_t *pt = json_array_get(v, i);
		if (!json_is_array(pt) || json_array_size(pt) != 2 ||
		    !json_is_number(json_array_get(pt, 0)) || !json_is_number(json_array_get(pt, 1)))
			return lb_jf_fail(c, LB_E_PARSE, key, "point %zu is not a [number, number] pair", i);
		double x = json_number_value(json_array_get(pt, 0));
		double y = json_number_value(json_array_get(pt, 1));
		if (!isfinite(x) || x < tf->xlo || x > tf->xhi)
			return lb_jf_fail(c, LB_E_RANGE, key, "point %zu: %g %s is out of range %g..%g", i, x,
				    tf->xunit, tf->xlo, tf->xhi);
		if (!isfinite(y) || y < 0.0 || y > 30.0)
			return lb_jf_fail(c, LB_E_RANGE, key, "point %zu: penalty %g dB is out of range 0..30",
				    i, y);
		if (i > 0 && !(x > t->x[i - 1]))
			return lb_jf_fail(c, LB_E_RANGE, key, "point %zu: %g %s is not above the previous one",
				    i, x, tf->xunit);
		t->x[i] = x;
		t->db[i] = y;
	}
	t->count = (unsigned)n;
	return LB_OK;
}

static int parse_format(struct lb_jf_ctx *c, json_t *v, enum lb_link_format *f)
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
	if (!v)
		return lb_jf_fail(c, LB_E_PARSE, "format", "missing");
	if (!json_is_string(v))
		return lb_jf_fail(c, LB_E_PARSE, "format", "not a string");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(json_string_value(v), names[i].name) == 0) {
			*f = names[i].f;
			return LB_OK;
		}
	}
	return lb_jf_fail(c, LB_E_PARSE, "format",
		    "unknown format \"%s\" (DP-QPSK, DP-8QAM, DP-16QAM, DP-64QAM, PCS)",
		    json_string_value(v));
}

static int copy_string(struct lb_jf_ctx *c, json_t *obj, const char *key, char *dst, size_t len,
		       bool required)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		if (required)
			return lb_jf_fail(c, LB_E_PARSE, key, "missing");
		dst[0] = 0;
		return LB_OK;
	}
	if (!json_is_string(v))
		return lb_jf_fail(c, LB_E_PARSE, key, "not a string");
	if (strlen(json_string_value(v)) >= len)
		return lb_jf_fail(c, LB_E_RANGE, key, "longer than %zu characters", len - 1);
	snprintf(dst, len, "%s", json_string_value(v));
	return LB_OK;
}

static bool known_key(const char *key)
{
	for (size_t i = 0; i < sizeof(string_fields) / sizeof(string_fields[0]); i++)
		if (strcmp(key, string_fields[i]) == 0)
			return true;
	for (size_t i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++)
		if (strcmp(key, num_fields[i].n.key) == 0)
			return true;
	for (size_t i = 0; i < sizeof(table_fields) / sizeof(table_fields[0]); i++)
		if (strcmp(key, table_fields[i].key) == 0)
			return true;
	return false;
}

static int parse_mode(struct lb_jf_ctx *c, json_t *jm, size_t index, struct lb_line_mode *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(c->where, sizeof(c->where), "modes[%zu]", index);
	if (!json_is_object(jm))
		return lb_jf_fail(c, LB_E_PARSE, NULL, "not an object");
	int rc = copy_string(c, jm, "id", m->id, sizeof(m->id), true);
	if (rc)
		return rc;
	if (!m->id[0])
		return lb_jf_fail(c, LB_E_PARSE, "id", "empty");
	for (const char *p = m->id; *p; p++)
		if (*p == ' ' || *p == '\t' || *p == '"' || *p == '\'')
			return lb_jf_fail(c, LB_E_PARSE, "id", "no blanks or quotes in an id");
	snprintf(c->where, sizeof(c->where), "modes[%s]", m->id);

	const char *key;
	json_t *v;
	json_object_foreach(jm, key, v) {
		if (!known_key(key))
			return lb_jf_fail(c, LB_E_PARSE, key, "unknown field");
	}
	if ((rc = copy_string(c, jm, "name", m->name, sizeof(m->name), false)) ||
	    (rc = copy_string(c, jm, "fec", m->fec, sizeof(m->fec), true)) ||
	    (rc = parse_format(c, json_object_get(jm, "format"), &m->format)))
		return rc;
	json_t *src = json_object_get(jm, "source");
	if (src && !json_is_object(src) && !json_is_string(src))
		return lb_jf_fail(c, LB_E_PARSE, "source", "not an object of notes or a string");
	bool pcs = m->format == LB_LINK_FORMAT_PCS;

	/* Defaults of the optional fields. */
	m->rx_los_dbm = -23.0;
	m->lo_offset_tolerance_ghz = 3.6;

	for (size_t i = 0; i < sizeof(num_fields) / sizeof(num_fields[0]); i++) {
		const struct num_field *nf = &num_fields[i];
		bool present;
		if ((rc = lb_jf_number(c, jm, &nf->n, NULL, m, &present)))
			return rc;
		if (!present && (nf->req == REQUIRED || (nf->req == REQUIRED_UNLESS_PCS && !pcs)))
			return lb_jf_fail(c, LB_E_PARSE, nf->n.key, "missing");
		if (present && strcmp(nf->n.key, "impl_penalty_db") == 0)
			m->impl_penalty_set = true;
	}
	if (pcs && !json_object_get(jm, "entropy_bits"))
		return lb_jf_fail(c, LB_E_PARSE, "entropy_bits", "missing (required for PCS)");
	if (!pcs && json_object_get(jm, "entropy_bits"))
		return lb_jf_fail(c, LB_E_PARSE, "entropy_bits", "only for PCS formats");

	for (size_t i = 0; i < sizeof(table_fields) / sizeof(table_fields[0]); i++) {
		const struct table_field *tf = &table_fields[i];
		struct lb_link_penalty_table *t =
			(struct lb_link_penalty_table *)(void *)((char *)m + tf->offset);
		v = json_object_get(jm, tf->key);
		if (!v) {
			if (tf->required)
				return lb_jf_fail(c, LB_E_PARSE, tf->key, "missing");
			continue;
		}
		if ((rc = parse_table(c, tf->key, v, tf, t)))
			return rc;
	}

	/* Cross-field checks. */
	if (m->slot_ghz < m->baud_gbd)
		return lb_jf_fail(c, LB_E_RANGE, "slot_ghz", "%g GHz is narrower than the %g GBd signal",
			    m->slot_ghz, m->baud_gbd);
	if (m->tx_power_min_dbm > m->tx_power_max_dbm)
		return lb_jf_fail(c, LB_E_RANGE, "tx_power_min_dbm", "above tx_power_max_dbm");
	/* The format's curve must reach the threshold: its BER tops out at a·erfc(0). */
	double top = m->format == LB_LINK_FORMAT_DP_QPSK	 ? 0.5
		     : m->format == LB_LINK_FORMAT_DP_8QAM	 ? 5.0 / 12.0
		     : m->format == LB_LINK_FORMAT_DP_64QAM ? 7.0 / 24.0
							    : 3.0 / 8.0;
	if (!(m->fec_threshold_ber < top))
		return lb_jf_fail(c, LB_E_RANGE, "fec_threshold_ber", "%g is beyond the %s curve",
			    m->fec_threshold_ber, json_string_value(json_object_get(jm, "format")));
	return LB_OK;
}

static int load_json(struct lb_jf_ctx *c, const char *file, json_t **out)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		int e = errno;
		snprintf(c->where, sizeof(c->where), "(file)");
		return lb_jf_fail(c, e == ENOENT ? LB_E_NOTFOUND : LB_E_IO, NULL, "%s", strerror(e));
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!root) {
		snprintf(c->where, sizeof(c->where), "line %d", je.line);
		return lb_jf_fail(c, LB_E_PARSE, NULL, "%s", je.text);
	}
	*out = root;
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
	struct lb_jf_ctx c = { .file = file, .err = err, .err_len = err_len };
	json_t *root = NULL;
	int rc = load_json(&c, file, &root);
	if (rc)
		return rc;
	snprintf(c.where, sizeof(c.where), "(top)");
	json_t *jmodes = json_is_object(root) ? json_object_get(root, "modes") : NULL;
	if (!json_is_object(root)) {
		rc = lb_jf_fail(&c, LB_E_PARSE, NULL, "not a JSON object");
	} else if (!jmodes) {
		rc = lb_jf_fail(&c, LB_E_PARSE, "modes", "missing");
	} else if (!json_is_array(jmodes)) {
		rc = lb_jf_fail(&c, LB_E_PARSE, "modes", "not a list");
	} else if (json_array_size(jmodes) == 0) {
		rc = lb_jf_fail(&c, LB_E_PARSE, "modes", "empty");
	}
	if (!rc) {
		const char *key;
		json_t *v;
		json_object_foreach(root, key, v) {
			if (strcmp(key, "modes") && strcmp(key, "description") && strcmp(key, "schema") &&
			    strcmp(key, "comment") && strcmp(key, "sources")) {
				rc = lb_jf_fail(&c, LB_E_PARSE, key, "unknown field");
				break;
			}
		}
	}
	if (rc) {
		json_decref(root);
		return rc;
	}
	size_t n = json_array_size(jmodes);
	struct lb_line_mode *modes = calloc(n, sizeof(*modes));
	if (!modes) {
		json_decref(root);
		return LB_E_NOMEM;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		rc = parse_mode(&c, json_array_get(jmodes, i), i, &modes[i]);
		for (size_t k = 0; k < i && !rc; k++)
			if (strcmp(modes[k].id, modes[i].id) == 0)
				rc = lb_jf_fail(&c, LB_E_PARSE, "id", "duplicate id (also modes[%zu])", k);
	}
	json_decref(root);
	if (rc) {
		free(modes);
		return rc;
	}
	out->count = n;
	out->modes = modes;
	return LB_OK;
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
