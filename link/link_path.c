/* SPDX-License-Identifier: MIT */
/*
 * Fibre path files (link/paths/ *.json), read with the options reader into struct lb_link_path:
 *   {"name", "launch_dbm", "mux_loss_db", "demux_loss_db", ..., "fibre": {defaults of every
 *    span}, and either "distance_km" + "span_count" (equal spans) or "spans": [{"length_km",
 *    overrides}]}
 * Every key, its unit and default: docs/link-paths.md.
 * Strict like the mode tables: unknown key, missing required field, non-numeric number or a
 * value out of physical range refuses the file with "FILE: FIELD: reason".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/link.h>
#include <lightbridge/options.h>
#include "link/loader.h"

struct num_field {
	struct lb_link_field f;
	bool required;
};

#define P(k, member, lo, hi, req, z) { { k, offsetof(struct lb_link_path, member), lo, hi, z }, req }
#define S(k, member, lo, hi, z) { { k, offsetof(struct lb_link_span, member), lo, hi, z }, false }

static const struct num_field path_fields[] = {
	P("frequency_thz", frequency_thz, 184.0, 200.0, false, false),
	P("launch_dbm", launch_dbm, -20.0, 20.0, true, false),
	P("tx_power_dbm", tx_power_dbm, -30.0, 20.0, false, false),
	P("mux_loss_db", mux_loss_db, 0.0, 30.0, true, false),
	P("demux_loss_db", demux_loss_db, 0.0, 30.0, true, false),
	P("booster_nf_db", booster_nf_db, 3.0, 20.0, false, true),
	P("channel_spacing_ghz", channel_spacing_ghz, 6.25, 1000.0, false, true),
	P("band_ghz", band_ghz, 12.5, 20000.0, false, false),
	P("pdl_db", pdl_db, 0.0, 20.0, false, false),
	P("amp_max_gain_db", amp_max_gain_db, 5.0, 45.0, false, true),
	P("amp_max_output_dbm", amp_max_output_dbm, 5.0, 35.0, false, true),
	P("system_margin_db", system_margin_db, 0.0, 20.0, false, false),
};

static const struct num_field span_fields[] = {
	S("length_km", length_km, 0.001, 300.0, false),
	S("loss_db_per_km", loss_db_per_km, 0.05, 2.0, false),
	S("connector_loss_db", connector_loss_db, 0.0, 30.0, false),
	S("dispersion_ps_nm_km", dispersion_ps_nm_km, -30.0, 30.0, false),
	S("dispersion_slope_ps_nm2_km", dispersion_slope_ps_nm2_km, -0.2, 0.2, false),
	S("pmd_ps_sqrt_km", pmd_ps_sqrt_km, 0.0, 5.0, false),
	S("group_index", group_index, 1.3, 1.7, false),
	S("gamma_per_w_km", gamma_per_w_km, 0.0, 20.0, false),
	S("amp_nf_db", amp_nf_db, 3.0, 20.0, false),
	S("amp_gain_db", amp_gain_db, 0.1, 45.0, true),
};

#define N_PATH (sizeof(path_fields) / sizeof(path_fields[0]))
#define N_SPAN (sizeof(span_fields) / sizeof(span_fields[0]))

static int get_number(const struct lb_options *o, const struct num_field *nf, void *base)
{
	if (nf->required && !lb_options_has(o, nf->f.key))
		return lb_options_fail(o, nf->f.key, LB_E_PARSE, "missing");
	return lb_link_read_field(o, &nf->f, base);
}

/* Fibre and amplifier of a span object (defaults already in *s). */
static int parse_span(const struct lb_options *obj, struct lb_link_span *s, bool allow_length)
{
	const char *keys[N_SPAN + 3];
	size_t k = 0;
	for (size_t i = 0; i < N_SPAN; i++)
		if (allow_length || strcmp(span_fields[i].f.key, "length_km") != 0)
			keys[k++] = span_fields[i].f.key;
	keys[k++] = "amplified";
	keys[k++] = "comment";
	keys[k] = NULL;
	int rc;
	if ((rc = lb_options_get_object(obj, NULL, &obj)) || (rc = lb_options_check_keys(obj, keys)))
		return rc;
	for (size_t i = 0; i < N_SPAN; i++)
		if ((rc = get_number(obj, &span_fields[i], s)))
			return rc;
	if ((rc = lb_options_get_bool(obj, "amplified", s->amplified, &s->amplified)))
		return rc;
	if (fabs(s->dispersion_ps_nm_km) < 0.1)
		return lb_options_fail(obj, "dispersion_ps_nm_km", LB_E_RANGE,
				       "|D| below 0.1 ps/(nm·km): the closed-form GN model needs dispersion");
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

static int parse_spans(const struct lb_options *root, const struct lb_link_span *fibre,
		       struct lb_link_path *p)
{
	const struct lb_options *list, *js;
	size_t n;
	int rc = lb_options_get_array(root, "spans", 1, LB_LINK_MAX_SPANS, &list, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		struct lb_link_span s = *fibre;
		s.length_km = 0.0;
		if ((rc = lb_options_at(list, i, NULL, &js)) || (rc = parse_span(js, &s, true)) ||
		    (rc = lb_options_require(js, "length_km")))
			return rc;
		p->spans[i] = s;
	}
	p->span_count = (unsigned)n;
	return LB_OK;
}

static int parse_uniform(const struct lb_options *root, const struct lb_link_span *fibre,
			 struct lb_link_path *p)
{
	if (!lb_options_has(root, "distance_km"))
		return lb_options_fail(root, "distance_km", LB_E_PARSE, "missing (or give spans)");
	if (!lb_options_has(root, "span_count"))
		return lb_options_fail(root, "span_count", LB_E_PARSE, "missing (or give spans)");
	double d;
	int64_t n;
	int rc = lb_options_get_number(root, "distance_km", -HUGE_VAL, HUGE_VAL, 0.0, &d);
	if (rc)
		return rc;
	if (!(d > 0.0))
		return lb_options_fail(root, "distance_km", LB_E_RANGE, "%g km: must be above 0", d);
	if ((rc = lb_options_get_number(root, "distance_km", 0.0, 40000.0, 0.0, &d)) ||
	    (rc = lb_options_get_int(root, "span_count", 1, LB_LINK_MAX_SPANS, 1, &n)))
		return rc;
	if (d / (double)n > 300.0)
		return lb_options_fail(root, "span_count", LB_E_RANGE,
				       "%u span(s) over %g km are %g km each, above 300 km", (unsigned)n, d,
				       d / (double)n);
	for (unsigned i = 0; i < (unsigned)n; i++) {
		p->spans[i] = *fibre;
		p->spans[i].length_km = d / (double)n;
	}
	p->span_count = (unsigned)n;
	return LB_OK;
}

static int parse_path(const struct lb_options *root, struct lb_link_path *p)
{
	const char *keys[N_PATH + 10] = { "name", "description", "comment", "source", "fibre",
					  "distance_km", "span_count", "spans", "channel_count" };
	size_t k = 9;
	for (size_t i = 0; i < N_PATH; i++)
		keys[k++] = path_fields[i].f.key;
	keys[k] = NULL;
	int rc;
	const char *s;
	if ((rc = lb_options_get_object(root, NULL, &root)) || (rc = lb_options_check_keys(root, keys)))
		return rc;
	if (lb_options_has(root, "name")) {
		if ((rc = lb_options_get_string_buf(root, "name", "", p->name, sizeof(p->name))))
			return rc;
	} else {
		/* The file's base name without .json. */
		const char *file = lb_options_origin(root);
		const char *b = strrchr(file, '/');
		b = b ? b + 1 : file;
		size_t n = strlen(b);
		if (n > 5 && strcmp(b + n - 5, ".json") == 0)
			n -= 5;
		if (n >= sizeof(p->name))
			n = sizeof(p->name) - 1;
		snprintf(p->name, sizeof(p->name), "%.*s", (int)n, b);
	}
	if ((rc = lb_options_get_string(root, "description", NULL, &s)) ||
	    (rc = lb_options_get_string(root, "comment", NULL, &s)))
		return rc;
	enum lb_options_type src = lb_options_type(root, "source");
	if (src != LB_OPTIONS_ABSENT && src != LB_OPTIONS_OBJECT && src != LB_OPTIONS_STRING)
		return lb_options_fail(root, "source", LB_E_PARSE, "not an object of notes or a string");

	p->frequency_thz = 193.4;
	p->band_ghz = 4800.0;
	for (size_t i = 0; i < N_PATH; i++)
		if ((rc = get_number(root, &path_fields[i], p)))
			return rc;
	uint32_t channels;
	if ((rc = lb_options_get_u32(root, "channel_count", 0, 1000, 0, &channels)))
		return rc;
	p->channel_count = channels;

	struct lb_link_span fibre;
	ssmf(&fibre);
	const struct lb_options *jf;
	if ((rc = lb_options_get_object(root, "fibre", &jf)) || (rc = parse_span(jf, &fibre, false)))
		return rc;

	if (lb_options_has(root, "spans") &&
	    (lb_options_has(root, "distance_km") || lb_options_has(root, "span_count")))
		return lb_options_fail(root, "spans", LB_E_PARSE,
				       "give either spans or distance_km + span_count");
	rc = lb_options_has(root, "spans") ? parse_spans(root, &fibre, p) : parse_uniform(root, &fibre, p);
	if (rc)
		return rc;
	double total = 0.0;
	for (unsigned i = 0; i < p->span_count; i++)
		total += p->spans[i].length_km;
	if (total > 40000.0)
		return lb_options_fail(root, "spans", LB_E_RANGE, "%g km in all, above 40000 km", total);
	unsigned bad;
	double gain;
	if (lb_link_path_gain_check(p, &bad, &gain) != LB_OK) {
		bool list = lb_options_has(root, "spans");
		double max = p->amp_max_gain_db > 0.0 ? p->amp_max_gain_db
						      : LB_LINK_DEFAULT_AMP_MAX_GAIN_DB;
		return lb_options_fail(root, list ? "spans" : "span_count", LB_E_RANGE,
				       "span %u needs %.1f dB of amplifier gain, above amp_max_gain_db "
				       "%.1f dB: no amplifier makes it up",
				       bad + 1, gain, max);
	}
	return LB_OK;
}

LB_API int lb_link_path_load(const char *file, struct lb_link_path *out, char *err, size_t err_len)
{
	if (err && err_len)
		err[0] = 0;
	if (!out || !file)
		return LB_E_INVAL;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	struct lb_options *doc;
	int rc = lb_options_load(file, &doc, err, err_len);
	if (rc)
		return rc;
	rc = lb_link_load_result(doc, parse_path(doc, out), err, err_len);
	lb_options_free(doc);
	if (rc) {
		memset(out, 0, sizeof(*out));
		out->size = sizeof(*out);
	}
	return rc;
}
