/* SPDX-License-Identifier: MIT */
/*
 * Fibre path files (link/paths/ *.json), read with jansson into struct lb_link_path:
 *   {"name", "launch_dbm", "mux_loss_db", "demux_loss_db", ..., "fibre": {defaults of every
 *    span}, and either "distance_km" + "span_count" (equal spans) or "spans": [{"length_km",
 *    overrides}]}
 * Strict like the mode tables: unknown key, missing required field, non-numeric number or a
 * value out of physical range refuses the file with "FILE: FIELD: reason".
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/link.h>
#include "link/json_fields.h"

struct num_field {
	struct lb_jf_number n;
	bool required;
};

#define P(k, member, lo, hi, unit, req, z) \
	{ { k, offsetof(struct lb_link_path, member), lo, hi, unit, z }, req }
#define S(k, member, lo, hi, unit, z) \
	{ { k, offsetof(struct lb_link_span, member), lo, hi, unit, z }, false }

static const struct num_field path_fields[] = {
	P("frequency_thz", frequency_thz, 184.0, 200.0, "THz", false, false),
	P("launch_dbm", launch_dbm, -20.0, 20.0, "dBm", true, false),
	P("tx_power_dbm", tx_power_dbm, -30.0, 20.0, "dBm", false, false),
	P("mux_loss_db", mux_loss_db, 0.0, 30.0, "dB", true, false),
	P("demux_loss_db", demux_loss_db, 0.0, 30.0, "dB", true, false),
	P("booster_nf_db", booster_nf_db, 3.0, 20.0, "dB", false, true),
	P("channel_spacing_ghz", channel_spacing_ghz, 6.25, 1000.0, "GHz", false, true),
	P("band_ghz", band_ghz, 12.5, 20000.0, "GHz", false, false),
	P("pdl_db", pdl_db, 0.0, 20.0, "dB", false, false),
};

static const struct num_field span_fields[] = {
	S("length_km", length_km, 0.001, 300.0, "km", false),
	S("loss_db_per_km", loss_db_per_km, 0.05, 2.0, "dB/km", false),
	S("connector_loss_db", connector_loss_db, 0.0, 30.0, "dB", false),
	S("dispersion_ps_nm_km", dispersion_ps_nm_km, -30.0, 30.0, "ps/(nm·km)", false),
	S("dispersion_slope_ps_nm2_km", dispersion_slope_ps_nm2_km, -0.2, 0.2, "ps/(nm²·km)", false),
	S("pmd_ps_sqrt_km", pmd_ps_sqrt_km, 0.0, 5.0, "ps/√km", false),
	S("group_index", group_index, 1.3, 1.7, "", false),
	S("gamma_per_w_km", gamma_per_w_km, 0.0, 20.0, "1/(W·km)", false),
	S("amp_nf_db", amp_nf_db, 3.0, 20.0, "dB", false),
	S("amp_gain_db", amp_gain_db, 0.1, 45.0, "dB", true),
};

static int get_number(struct lb_jf_ctx *c, json_t *obj, const struct num_field *nf, const char *prefix,
		      void *base)
{
	char field[128];
	snprintf(field, sizeof(field), "%s%s", prefix, nf->n.key);
	bool present;
	int rc = lb_jf_number(c, obj, &nf->n, field, base, &present);
	if (rc == LB_OK && !present && nf->required)
		return lb_jf_fail(c, LB_E_PARSE, field, "missing");
	return rc;
}

static bool in_list(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

static bool is_span_key(const char *key)
{
	for (size_t i = 0; i < sizeof(span_fields) / sizeof(span_fields[0]); i++)
		if (strcmp(key, span_fields[i].n.key) == 0)
			return true;
	return strcmp(key, "amplified") == 0 || strcmp(key, "comment") == 0;
}

/* Fibre and amplifier of a span object (defaults already in *s). */
static int parse_span(struct lb_jf_ctx *c, json_t *obj, const char *prefix, struct lb_link_span *s,
		      bool allow_length)
{
	if (!json_is_object(obj)) {
		char f[128];
		snprintf(f, sizeof(f), "%.*s", (int)(strlen(prefix) ? strlen(prefix) - 1 : 0), prefix);
		return lb_jf_fail(c, LB_E_PARSE, f, "not an object");
	}
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		if (!is_span_key(key) || (!allow_length && strcmp(key, "length_km") == 0)) {
			char f[160];
			snprintf(f, sizeof(f), "%s%s", prefix, key);
			return lb_jf_fail(c, LB_E_PARSE, f, "unknown field");
		}
	}
	for (size_t i = 0; i < sizeof(span_fields) / sizeof(span_fields[0]); i++) {
		int rc = get_number(c, obj, &span_fields[i], prefix, s);
		if (rc)
			return rc;
	}
	v = json_object_get(obj, "amplified");
	if (v) {
		if (!json_is_boolean(v)) {
			char f[160];
			snprintf(f, sizeof(f), "%samplified", prefix);
			return lb_jf_fail(c, LB_E_PARSE, f, "not true or false");
		}
		s->amplified = json_is_true(v);
	}
	if (fabs(s->dispersion_ps_nm_km) < 0.1) {
		char f[160];
		snprintf(f, sizeof(f), "%sdispersion_ps_nm_km", prefix);
		return lb_jf_fail(c, LB_E_RANGE, f,
			    "|D| below 0.1 ps/(nm·km): the closed-form GN model needs dispersion");
	}
	return LB_OK;
}

static void ssmf(struct lb_link_span *s)
{
	/* The reference's defaults (optics-physics.md §0, §2). */
	memset(s, 0, sizeof(*s));
	s->loss_db_per_km = 0.20;
	s->connector_loss_db = 1.0;
	s->dispersion_ps_nm_km = 16.7;
	s->pmd_ps_sqrt_km = 0.04;
	s->group_index = 1.4682;
	s->gamma_per_w_km = 1.27;
	s->amplified = true;
	s->amp_nf_db = 5.0;
}

static int get_count(struct lb_jf_ctx *c, json_t *v, const char *field, long long lo, long long hi,
		     unsigned *out)
{
	if (!json_is_number(v))
		return lb_jf_fail(c, LB_E_PARSE, field, "not a number");
	if (!json_is_integer(v))
		return lb_jf_fail(c, LB_E_PARSE, field, "not a whole number");
	long long x = json_integer_value(v);
	if (x < lo || x > hi)
		return lb_jf_fail(c, LB_E_RANGE, field, "%lld is out of range %lld..%lld", x, lo, hi);
	*out = (unsigned)x;
	return LB_OK;
}

static int parse_path(struct lb_jf_ctx *c, json_t *root, struct lb_link_path *p)
{
	static const char *const top_keys[] = { "name", "description", "comment", "source", "fibre",
						"distance_km", "span_count", "spans", "channel_count" };
	if (!json_is_object(root))
		return lb_jf_fail(c, LB_E_PARSE, "(top)", "not a JSON object");
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v) {
		bool known = in_list(key, top_keys, sizeof(top_keys) / sizeof(top_keys[0]));
		for (size_t i = 0; !known && i < sizeof(path_fields) / sizeof(path_fields[0]); i++)
			known = strcmp(key, path_fields[i].n.key) == 0;
		if (!known)
			return lb_jf_fail(c, LB_E_PARSE, key, "unknown field");
	}
	v = json_object_get(root, "name");
	if (v) {
		if (!json_is_string(v))
			return lb_jf_fail(c, LB_E_PARSE, "name", "not a string");
		if (strlen(json_string_value(v)) >= sizeof(p->name))
			return lb_jf_fail(c, LB_E_RANGE, "name", "longer than %zu characters",
				    sizeof(p->name) - 1);
		snprintf(p->name, sizeof(p->name), "%s", json_string_value(v));
	} else {
		/* The file's base name without .json. */
		const char *b = strrchr(c->file, '/');
		b = b ? b + 1 : c->file;
		size_t n = strlen(b);
		if (n > 5 && strcmp(b + n - 5, ".json") == 0)
			n -= 5;
		if (n >= sizeof(p->name))
			n = sizeof(p->name) - 1;
		snprintf(p->name, sizeof(p->name), "%.*s", (int)n, b);
	}
	for (const char *k = "description"; k; k = strcmp(k, "description") == 0 ? "comment" : NULL) {
		v = json_object_get(root, k);
		if (v && !json_is_string(v))
			return lb_jf_fail(c, LB_E_PARSE, k, "not a string");
	}
	v = json_object_get(root, "source");
	if (v && !json_is_object(v) && !json_is_string(v))
		return lb_jf_fail(c, LB_E_PARSE, "source", "not an object of notes or a string");

	p->frequency_thz = 193.4;
	p->band_ghz = 4800.0;
	for (size_t i = 0; i < sizeof(path_fields) / sizeof(path_fields[0]); i++) {
		int rc = get_number(c, root, &path_fields[i], "", p);
		if (rc)
			return rc;
	}
	v = json_object_get(root, "channel_count");
	if (v) {
		int rc = get_count(c, v, "channel_count", 0, 1000, &p->channel_count);
		if (rc)
			return rc;
	}

	struct lb_link_span fibre;
	ssmf(&fibre);
	v = json_object_get(root, "fibre");
	if (v) {
		int rc = parse_span(c, v, "fibre.", &fibre, false);
		if (rc)
			return rc;
	}

	json_t *jspans = json_object_get(root, "spans");
	json_t *jdist = json_object_get(root, "distance_km");
	json_t *jcount = json_object_get(root, "span_count");
	if (jspans && (jdist || jcount))
		return lb_jf_fail(c, LB_E_PARSE, "spans", "give either spans or distance_km + span_count");
	if (jspans) {
		if (!json_is_array(jspans))
			return lb_jf_fail(c, LB_E_PARSE, "spans", "not a list");
		size_t n = json_array_size(jspans);
		if (n == 0)
			return lb_jf_fail(c, LB_E_PARSE, "spans", "empty");
		if (n > LB_LINK_MAX_SPANS)
			return lb_jf_fail(c, LB_E_RANGE, "spans", "%zu spans, at most %d", n, LB_LINK_MAX_SPANS);
		for (size_t i = 0; i < n; i++) {
			char prefix[48];
			snprintf(prefix, sizeof(prefix), "spans[%zu].", i);
			struct lb_link_span s = fibre;
			s.length_km = 0.0;
			json_t *js = json_array_get(jspans, i);
			int rc = parse_span(c, js, prefix, &s, true);
			if (rc)
				return rc;
			if (!json_object_get(js, "length_km")) {
				char f[64];
				snprintf(f, sizeof(f), "%slength_km", prefix);
				return lb_jf_fail(c, LB_E_PARSE, f, "missing");
			}
			p->spans[i] = s;
		}
		p->span_count = (unsigned)n;
	} else {
		if (!jdist)
			return lb_jf_fail(c, LB_E_PARSE, "distance_km", "missing (or give spans)");
		if (!jcount)
			return lb_jf_fail(c, LB_E_PARSE, "span_count", "missing (or give spans)");
		if (!json_is_number(jdist))
			return lb_jf_fail(c, LB_E_PARSE, "distance_km", "not a number");
		double d = json_number_value(jdist);
		if (!isfinite(d))
			return lb_jf_fail(c, LB_E_PARSE, "distance_km", "not a finite number");
		if (!(d > 0.0))
			return lb_jf_fail(c, LB_E_RANGE, "distance_km", "%g km: must be above 0", d);
		if (d > 40000.0)
			return lb_jf_fail(c, LB_E_RANGE, "distance_km", "%g km is out of range 0..40000", d);
		unsigned n;
		int rc = get_count(c, jcount, "span_count", 1, LB_LINK_MAX_SPANS, &n);
		if (rc)
			return rc;
		if (d / n > 300.0)
			return lb_jf_fail(c, LB_E_RANGE, "span_count",
				    "%u span(s) over %g km are %g km each, above 300 km", n, d, d / n);
		for (unsigned i = 0; i < n; i++) {
			p->spans[i] = fibre;
			p->spans[i].length_km = d / n;
		}
		p->span_count = n;
	}
	double total = 0.0;
	for (unsigned i = 0; i < p->span_count; i++)
		total += p->spans[i].length_km;
	if (total > 40000.0)
		return lb_jf_fail(c, LB_E_RANGE, "spans", "%g km in all, above 40000 km", total);
	return LB_OK;
}

LB_API int lb_link_path_load(const char *file, struct lb_link_path *out, char *err, size_t err_len)
{
	if (err && err_len)
		err[0] = 0;
	if (!out || !file)
		return LB_E_INVAL;
	memset(out, 0, sizeof(*out));
	struct lb_jf_ctx c = { .file = file, .err = err, .err_len = err_len };
	FILE *f = fopen(file, "r");
	if (!f) {
		int e = errno;
		return lb_jf_fail(&c, e == ENOENT ? LB_E_NOTFOUND : LB_E_IO, "(file)", "%s", strerror(e));
	}
	json_error_t je;
	json_t *root = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	fclose(f);
	if (!root) {
		char where[32];
		snprintf(where, sizeof(where), "line %d", je.line);
		return lb_jf_fail(&c, LB_E_PARSE, where, "%s", je.text);
	}
	int rc = parse_path(&c, root, out);
	json_decref(root);
	if (rc) {
		memset(out, 0, sizeof(*out));
		return rc;
	}
	return LB_OK;
}
