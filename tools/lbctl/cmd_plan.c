/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan link: which line mode closes on a fibre path, with what margin, at what latency
 * and energy per bit. The model is the library's (lb_link_evaluate); this file only reads the
 * command line, the mode table and the path file, and prints a table or JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "lbctl.h"

#define PLAN_DEFAULT_SPAN_KM 80.0
#define PLAN_DEFAULT_DEMUX_DB 5.0

/* The option table; the enum indexes it. */
enum {
	O_DISTANCE, O_SPAN_KM, O_SPANS, O_LAUNCH, O_OPTIMAL, O_MODE, O_ALL_MODES, O_PATH, O_MODES,
	O_SYSTEM_MARGIN,
};
static const struct lbctl_opt plan_opts[] = {
	[O_DISTANCE] = { "distance-km", "D", 0 },
	[O_SPAN_KM] = { "span-km", "L", 0 },
	[O_SPANS] = { "spans", "N", 0 },
	[O_LAUNCH] = { "launch-dbm", "P", 0 },
	[O_OPTIMAL] = { "optimal-launch", NULL, 0 },
	[O_MODE] = { "mode", "ID", 0 },
	[O_ALL_MODES] = { "all-modes", NULL, 0 },
	[O_PATH] = { "path", "FILE", 0 },
	[O_MODES] = { "modes", "FILE", 0 },
	[O_SYSTEM_MARGIN] = { "system-margin", "DB", 0 },
	{ NULL, NULL, 0 },
};

struct plan_args {
	bool have_distance, have_span_km, have_spans, have_launch, have_margin, optimal, json;
	double distance_km, span_km, launch_dbm, system_margin_db;
	unsigned spans;
	const char *mode, *path_file, *modes_file;
};

/* What the run has to say besides the rows: stderr, and every one in the JSON "notes". */
struct plan_notes {
	json_t *list;
};

struct plan_row {
	const struct lb_line_mode *mode;
	struct lb_link_result r;
};

static int plan_usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl plan link [--path FILE] [--distance-km D] [--span-km L | --spans N]\n"
		"         [--launch-dbm P | --optimal-launch] [--mode ID | --all-modes]\n"
		"         [--system-margin DB] [--modes FILE] [--json]\n"
		"\n"
		"Evaluate coherent line modes on a fibre path: OSNR (ASE + nonlinear\n"
		"interference + Tx), pre-FEC BER, CD, DGD, Rx power, one-way latency, margin,\n"
		"what limits the link and energy per bit. One row per mode, best first (closing\n"
		"modes by rate, then margin). Give --path or --distance-km.\n"
		"\n"
		"  --path FILE        fibre, amplifiers, losses and launch from a path file\n"
		"                     (docs/link-paths.md); a bare name such as\n"
		"                     tokyo-osaka-500km is looked up in DATADIR/link/paths/.\n"
		"                     Without it: G.652 fibre, 0.20 dB/km + 1 dB per span,\n"
		"                     NF 5 dB, %.0f dB mux and demux\n"
		"  --distance-km D    path length; with a path file of equal spans, another\n"
		"                     length than the file's re-plans it (with a note)\n"
		"  --span-km L        longest span; D is cut into equal spans (default %.0f km)\n"
		"  --spans N          exactly N equal spans\n"
		"  --launch-dbm P     launch power per channel (default: the path file's, else 0)\n"
		"  --optimal-launch   each mode at its own nonlinear optimum\n"
		"  --mode ID          only this mode (default: --all-modes)\n"
		"  --system-margin DB margin kept in reserve: a link closes with at least this\n"
		"                     much (default: the path file's system_margin_db, else 0)\n"
		"  --modes FILE       line-mode table (default DATADIR/link/modes.json)\n"
		"  --json             one JSON object: the path, notes and the modes\n"
		"\n"
		"MARGIN is the OSNR margin left after the system margin; '-' for a dark link\n"
		"(no light or no frame lock: no BER, no margin), OOT when an impairment is out\n"
		"of the mode's tolerance (LIMIT names it). A launch marked '*' was clamped.\n",
		PLAN_DEFAULT_DEMUX_DB, PLAN_DEFAULT_SPAN_KM);
	return LBCTL_EXIT_OK;
}

__attribute__((format(printf, 3, 4))) static void add_note(struct lbctl *app, struct plan_notes *notes,
							   const char *fmt, ...)
{
	char text[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(app->err, "lbctl: plan link: note: %s\n", text);
	json_array_append_new(notes->list, json_string(text));
}

static int parse_number(struct lbctl *app, const char *name, const char *text, double lo, double hi,
			const char *unit, double *out)
{
	errno = 0;
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || errno == ERANGE || !isfinite(v))
		return lbctl_usage_error(app, "plan link: --%s: '%s' is not a number", name, text);
	if (v < lo || v > hi)
		return lbctl_usage_error(app, "plan link: --%s %g%s%s is out of range %g..%g", name, v,
					 *unit ? " " : "", unit, lo, hi);
	*out = v;
	return LBCTL_EXIT_OK;
}

/* A length that must be above 0 km and at most max. */
static int parse_km(struct lbctl *app, const char *name, const char *text, double max, double *out)
{
	int rc = parse_number(app, name, text, -INFINITY, INFINITY, "km", out);
	if (rc)
		return rc;
	if (!(*out > 0.0))
		return lbctl_usage_error(app, "plan link: --%s must be above 0 km (got %s)", name, text);
	if (*out > max)
		return lbctl_usage_error(app, "plan link: --%s %g km is out of range 0..%g km", name,
					 *out, max);
	return LBCTL_EXIT_OK;
}

static int parse_args(struct lbctl *app, int argc, char **argv, struct plan_args *a)
{
	struct lbctl_cmdline cl;
	int rc = lbctl_parse(app, argc, argv, plan_opts, 1, 1, "link", &cl);
	if (rc)
		return rc;
	if (strcmp(cl.pos[0], "link") != 0)
		return lbctl_usage_error(app, "plan: unknown plan '%s' (link or lossless)", cl.pos[0]);
	memset(a, 0, sizeof(*a));
	a->json = cl.json;
	a->optimal = cl.given[O_OPTIMAL];
	const char *const *v = cl.value;
	if ((a->have_distance = cl.given[O_DISTANCE]) &&
	    (rc = parse_km(app, "distance-km", v[O_DISTANCE], 40000.0, &a->distance_km)))
		return rc;
	if ((a->have_span_km = cl.given[O_SPAN_KM]) &&
	    (rc = parse_km(app, "span-km", v[O_SPAN_KM], INFINITY, &a->span_km)))
		return rc;
	if ((a->have_spans = cl.given[O_SPANS])) {
		double n = 0; /* set by parse_number (zeroed for -fanalyzer) */
		if ((rc = parse_number(app, "spans", v[O_SPANS], 1, LB_LINK_MAX_SPANS, "", &n)))
			return rc;
		if (n != floor(n))
			return lbctl_usage_error(app, "plan link: --spans: '%s' is not a whole number",
						 v[O_SPANS]);
		a->spans = (unsigned)n;
	}
	if ((a->have_launch = cl.given[O_LAUNCH]) &&
	    (rc = parse_number(app, "launch-dbm", v[O_LAUNCH], LB_LINK_LAUNCH_MIN_DBM,
			       LB_LINK_LAUNCH_MAX_DBM, "dBm", &a->launch_dbm)))
		return rc;
	if ((a->have_margin = cl.given[O_SYSTEM_MARGIN]) &&
	    (rc = parse_number(app, "system-margin", v[O_SYSTEM_MARGIN], 0, 20, "dB",
			       &a->system_margin_db)))
		return rc;
	a->mode = v[O_MODE];
	a->path_file = v[O_PATH];
	a->modes_file = v[O_MODES];
	if ((a->mode && !*a->mode) || (a->path_file && !*a->path_file) ||
	    (a->modes_file && !*a->modes_file))
		return lbctl_usage_error(app, "plan link: --%s needs a value",
					 a->mode && !*a->mode ? "mode"
					 : a->path_file && !*a->path_file ? "path" : "modes");
	if (a->have_span_km && a->have_spans)
		return lbctl_usage_error(app, "plan link: give --span-km or --spans, not both");
	if (a->have_launch && a->optimal)
		return lbctl_usage_error(app, "plan link: give --launch-dbm or --optimal-launch, not both");
	if (a->mode && cl.given[O_ALL_MODES])
		return lbctl_usage_error(app, "plan link: give --mode or --all-modes, not both");
	if (!a->have_distance && !a->path_file)
		return lbctl_usage_error(app, "plan link: --distance-km is required (or give --path)");
	return LBCTL_EXIT_OK;
}

static const char *data_dir(struct lbctl *app)
{
	if (app->data_dir && *app->data_dir)
		return app->data_dir;
	const char *env = secure_getenv("LB_DATADIR"); /* not when set-uid */
	if (env && *env)
		return env;
	const char *d = app->ctx ? lb_ctx_get_data_dir(app->ctx) : "";
	return d && *d ? d : ".";
}

/* A bare name (no '/') that is not a file is looked up among the shipped paths. */
static void resolve_path_file(struct lbctl *app, const char *given, char *out, size_t len)
{
	snprintf(out, len, "%s", given);
	if (access(given, F_OK) == 0 || strchr(given, '/'))
		return;
	char cand[4096];
	size_t n = strlen(given);
	bool has_ext = n > 5 && strcmp(given + n - 5, ".json") == 0;
	snprintf(cand, sizeof(cand), "%s/link/paths/%s%s", data_dir(app), given,
		 has_ext ? "" : ".json");
	if (access(cand, F_OK) == 0)
		snprintf(out, len, "%s", cand);
}

static int file_error(struct lbctl *app, int status, const char *err)
{
	lbctl_fail(app, status, "plan link: %s", err);
	return LBCTL_EXIT_INPUT;
}

/* Every span as the first: the only plans the command line can re-cut. */
static bool spans_uniform(const struct lb_link_path *p)
{
	for (unsigned i = 1; i < p->span_count; i++) {
		struct lb_link_span a = p->spans[0], b = p->spans[i];
		if (fabs(a.length_km - b.length_km) > 1e-9)
			return false;
		a.length_km = b.length_km = 0.0;
		if (memcmp(&a, &b, sizeof(a)) != 0)
			return false;
	}
	return true;
}

/* How many equal spans of at most l km cut distance (0.1 % slack: 83.33 km in 1,000 km is 12). */
static int span_count_for(struct lbctl *app, double distance, double l, bool given, unsigned *n)
{
	if (given && l > distance)
		return lbctl_usage_error(app, "plan link: --span-km %g is longer than the path (%g km)", l,
					 distance);
	if (l > 300.0)
		return lbctl_usage_error(app, "plan link: --span-km %g is longer than 300 km", l);
	double count = ceil(distance / l - 1e-3);
	/* Checked as a double: a count no unsigned holds is never converted. */
	if (!(count <= LB_LINK_MAX_SPANS))
		return lbctl_usage_error(app, "plan link: --span-km %g over %g km makes %.6g spans, at "
					      "most %d", l, distance, count, LB_LINK_MAX_SPANS);
	*n = count < 1.0 ? 1u : (unsigned)count;
	return LBCTL_EXIT_OK;
}

/* Spans cut on the command line that no amplifier makes up: a usage error naming one. */
static int gain_check(struct lbctl *app, const struct lb_link_path *p)
{
	unsigned bad;
	double gain;
	if (lb_link_path_gain_check(p, &bad, &gain) != LB_E_RANGE)
		return LBCTL_EXIT_OK;
	return lbctl_usage_error(app,
				 "plan link: span %u of %u needs %.1f dB of amplifier gain, above the "
				 "%.1f dB the amplifiers give (amp_max_gain_db): use shorter spans",
				 bad + 1, p->span_count, gain,
				 p->amp_max_gain_db > 0.0 ? p->amp_max_gain_db
							  : LB_LINK_DEFAULT_AMP_MAX_GAIN_DB);
}

/* The path from the file and/or the command line; a re-plan of a file is said in a note. */
static int build_path(struct lbctl *app, const struct plan_args *a, struct lb_link_path *p,
		      struct plan_notes *notes)
{
	if (a->path_file) {
		char file[4096], err[1024];
		resolve_path_file(app, a->path_file, file, sizeof(file));
		int rc = lb_link_path_load(file, p, err, sizeof(err));
		if (rc)
			return file_error(app, rc, err);
	} else {
		/* Any valid geometry: the spans are cut below from spans[0]. */
		int rc = lb_link_path_init(p, 100.0, 1);
		if (rc)
			return lbctl_fail(app, rc, "plan link: default path");
		snprintf(p->name, sizeof(p->name), "G.652");
		p->mux_loss_db = PLAN_DEFAULT_DEMUX_DB;
		p->demux_loss_db = PLAN_DEFAULT_DEMUX_DB;
	}
	double file_km = lb_link_path_length_km(p);
	unsigned file_spans = p->span_count;
	double distance = a->have_distance ? a->distance_km : file_km;
	/* The file's own length given again keeps its plan; any other length re-plans it. */
	bool other_length = a->have_distance && fabs(distance - file_km) > 1e-6;
	bool resplit = !a->path_file || other_length || a->have_span_km || a->have_spans;
	if (resplit) {
		if (a->path_file && !spans_uniform(p))
			return lbctl_usage_error(app,
						 "plan link: path %s has a span plan of its own (%u spans "
						 "that differ, %.3f km): --distance-km, --spans and "
						 "--span-km cannot re-plan it",
						 p->name, file_spans, file_km);
		unsigned n = a->spans;
		if (!a->have_spans) {
			/* Without --span-km, a path file's spans keep their length over the new distance. */
			double l = a->have_span_km ? a->span_km
				 : a->path_file ? file_km / file_spans : PLAN_DEFAULT_SPAN_KM;
			int rc = span_count_for(app, distance, l, a->have_span_km, &n);
			if (rc)
				return rc;
		}
		if (distance / n > 300.0)
			return lbctl_usage_error(app,
						 "plan link: spans of %.1f km are longer than 300 km "
						 "(use more --spans or a shorter --span-km)",
						 distance / n);
		int rc = lb_link_path_set_uniform(p, distance, n);
		if (rc)
			return lbctl_fail(app, rc, "plan link: %g km in %u spans", distance, n);
		if ((rc = gain_check(app, p)))
			return rc; /* before the note: a refusal is one line */
		if (a->path_file && (other_length || n != file_spans))
			add_note(app, notes,
				 "path %s is %.3f km in %u spans; re-planned as %.3f km in %u x %.3f km "
				 "spans",
				 p->name, file_km, file_spans, distance, n, distance / n);
	}
	if (a->have_launch)
		p->launch_dbm = a->launch_dbm;
	if (a->have_margin)
		p->system_margin_db = a->system_margin_db;
	int rc = lb_link_path_check(p);
	if (rc)
		return lbctl_fail(app, rc, "plan link: path %s", p->name);
	return LBCTL_EXIT_OK;
}

/* ---------------------------------------------------------------- verdicts */

static bool dark(const struct lb_link_result *r)
{
	return r->state != LB_LINK_STATE_UP;
}

/* The margin left after the system margin; NAN when there is none (dark, out of tolerance). */
static double net_margin(const struct lb_link_result *r)
{
	if (dark(r) || r->out_of_range)
		return NAN;
	return r->margin_db - r->system_margin_db;
}

/* Rank of a row that does not close: with a margin, out of tolerance, dark. */
static int fail_rank(const struct lb_link_result *r)
{
	return dark(r) ? 2 : r->out_of_range ? 1 : 0;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct lb_link_result *a = &((const struct plan_row *)pa)->r;
	const struct lb_link_result *b = &((const struct plan_row *)pb)->r;
	if (a->closes != b->closes)
		return a->closes ? -1 : 1;
	if (a->closes && a->net_rate_gbps != b->net_rate_gbps)
		return a->net_rate_gbps > b->net_rate_gbps ? -1 : 1;
	if (fail_rank(a) != fail_rank(b))
		return fail_rank(a) - fail_rank(b);
	if (a->margin_db != b->margin_db)
		return a->margin_db > b->margin_db ? -1 : 1;
	return strcmp(((const struct plan_row *)pa)->mode->id, ((const struct plan_row *)pb)->mode->id);
}

static double round_to(double v, double step)
{
	double r = round(v / step) * step;
	return r == 0.0 ? 0.0 : r; /* no "-0" */
}

/* ---------------------------------------------------------------- JSON */

static json_t *num(double v, double step)
{
	return isfinite(v) ? json_real(step > 0.0 ? round_to(v, step) : v) : json_null();
}

/* A signal figure: null on a dark link. */
static json_t *sig(const struct lb_link_result *r, double v, double step)
{
	return dark(r) ? json_null() : num(v, step);
}

/* A penalty: null on a dark link or when out of tolerance (infinite). */
static json_t *pen(const struct lb_link_result *r, unsigned oor_bit, double v)
{
	return dark(r) || (r->out_of_range & oor_bit) ? json_null() : num(v, 0.001);
}

static json_t *out_of_tolerance(const struct lb_link_result *r)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = { { LB_LINK_OOR_CD, "cd" },
		      { LB_LINK_OOR_DGD, "dgd" },
		      { LB_LINK_OOR_PDL, "pdl" },
		      { LB_LINK_OOR_RX_POWER, "rx_power" } };
	json_t *a = json_array();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!dark(r) && (r->out_of_range & names[i].bit))
			json_array_append_new(a, json_string(names[i].name));
	return a;
}

/* Whether the path is longer than the reach the mode states (its application scope, when given). */
static bool beyond_reach(const struct lb_link_result *r, const struct lb_line_mode *m)
{
	return m->reach_km > 0.0 && r->length_km > m->reach_km + 1e-9;
}

static json_t *row_json(const struct plan_row *row, const struct lb_link_path *p)
{
	const struct lb_link_result *r = &row->r;
	const struct lb_line_mode *m = row->mode;
	json_t *o = json_object();
	/* The keys the issue fixes, in its order. */
	json_object_set_new(o, "mode", json_string(m->id));
	json_object_set_new(o, "rate_gbps", num(r->net_rate_gbps, 0.01));
	json_object_set_new(o, "pcs", json_boolean(m->format == LB_LINK_FORMAT_PCS));
	json_object_set_new(o, "closes", json_boolean(r->closes));
	json_object_set_new(o, "margin_db", num(net_margin(r), 0.001));
	json_object_set_new(o, "limited_by", json_string(lb_link_limit_name(r->limited_by)));
	json_object_set_new(o, "pre_fec_ber", sig(r, r->pre_fec_ber, 0.0));
	json_object_set_new(o, "osnr_db", sig(r, r->osnr_db, 0.001));
	json_object_set_new(o, "cd_ps_nm", num(r->cd_ps_nm, 0.1));
	json_object_set_new(o, "dgd_mean_ps", num(r->dgd_mean_ps, 0.001));
	json_object_set_new(o, "rx_power_dbm", num(r->rx_power_dbm, 0.001));
	json_object_set_new(o, "launch_dbm", num(r->launch_dbm, 0.001));
	json_object_set_new(o, "latency_one_way_ms", num(r->latency_one_way_ms, 1e-4));
	json_object_set_new(o, "power_per_bit_pj", num(r->power_per_bit_pj, 0.01));
	/* More that follow. */
	json_object_set_new(o, "osnr_margin_db", sig(r, r->margin_db, 0.001));
	json_object_set_new(o, "system_margin_db", num(r->system_margin_db, 0.001));
	json_object_set_new(o, "out_of_tolerance", out_of_tolerance(r));
	json_object_set_new(o, "launch_clamp", r->launch_clamp == LB_LINK_CLAMP_NONE
						       ? json_null()
						       : json_string(lb_link_launch_clamp_name(r->launch_clamp)));
	json_object_set_new(o, "launch_max_dbm", num(r->launch_max_dbm, 0.001));
	json_object_set_new(o, "reach_km", m->reach_km > 0.0 ? num(m->reach_km, 0.001) : json_null());
	json_object_set_new(o, "beyond_reach", json_boolean(beyond_reach(r, m)));
	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "format", json_string(lb_link_format_name(m->format)));
	if (m->format == LB_LINK_FORMAT_PCS)
		json_object_set_new(o, "entropy_bits", num(m->entropy_bits, 0.0));
	json_object_set_new(o, "baud_gbd", num(m->baud_gbd, 0.0));
	json_object_set_new(o, "state", json_string(lb_link_state_name(r->state)));
	json_object_set_new(o, "fec_state", json_string(lb_link_fec_state_name(r->fec_state)));
	json_object_set_new(o, "uncorrectable_frames_per_s", sig(r, r->uncorrectable_frames_per_s, 0.0));
	json_object_set_new(o, "osnr_ase_db", sig(r, r->osnr_ase_db, 0.001));
	json_object_set_new(o, "osnr_nli_db", sig(r, r->osnr_nli_db, 0.001));
	json_object_set_new(o, "penalty_db", sig(r, r->penalty_db, 0.001));
	json_object_set_new(o, "cd_penalty_db", pen(r, LB_LINK_OOR_CD, r->penalty_cd_db));
	json_object_set_new(o, "dgd_penalty_db", pen(r, LB_LINK_OOR_DGD, r->penalty_dgd_db));
	json_object_set_new(o, "pdl_penalty_db", pen(r, LB_LINK_OOR_PDL, r->penalty_pdl_db));
	json_object_set_new(o, "rx_penalty_db", pen(r, LB_LINK_OOR_RX_POWER, r->penalty_rx_db));
	json_object_set_new(o, "snr_db", sig(r, r->snr_db, 0.001));
	json_object_set_new(o, "esnr_db", sig(r, r->esnr_db, 0.001));
	json_object_set_new(o, "q_db", sig(r, r->q_db, 0.001));
	json_object_set_new(o, "path", json_string(p->name));
	json_object_set_new(o, "distance_km", num(r->length_km, 0.001));
	json_object_set_new(o, "spans", json_integer(r->span_count));
	json_object_set_new(o, "channels", json_integer(r->channel_count));
	return o;
}

static const char *launch_source(const struct plan_args *a)
{
	return a->optimal ? "optimal" : a->have_launch ? "given" : a->path_file ? "path" : "default";
}

static json_t *path_json(const struct lb_link_path *p, const struct plan_args *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "distance_km", num(lb_link_path_length_km(p), 0.001));
	json_object_set_new(o, "spans", json_integer(p->span_count));
	json_object_set_new(o, "launch", json_string(launch_source(a)));
	json_object_set_new(o, "launch_dbm", a->optimal ? json_null() : num(p->launch_dbm, 0.001));
	json_object_set_new(o, "system_margin_db", num(p->system_margin_db, 0.001));
	json_object_set_new(o, "amp_max_gain_db",
			    num(p->amp_max_gain_db > 0.0 ? p->amp_max_gain_db
							 : LB_LINK_DEFAULT_AMP_MAX_GAIN_DB, 0.001));
	json_object_set_new(o, "amp_max_output_dbm",
			    num(p->amp_max_output_dbm != 0.0 ? p->amp_max_output_dbm
							     : LB_LINK_DEFAULT_AMP_MAX_OUTPUT_DBM, 0.001));
	json_object_set_new(o, "demux_loss_db", num(p->demux_loss_db, 0.001));
	return o;
}

static int print_json(struct lbctl *app, const struct plan_row *rows, size_t n,
		      const struct lb_link_path *p, const struct plan_args *a,
		      const struct plan_notes *notes)
{
	json_t *doc = json_object(), *list = json_array();
	json_object_set_new(doc, "schema", json_integer(LBCTL_JSON_SCHEMA));
	json_object_set_new(doc, "path", path_json(p, a));
	json_object_set(doc, "notes", notes->list);
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, row_json(&rows[i], p));
	json_object_set_new(doc, "modes", list);
	return lbctl_json_emit(app, doc);
}

/* ---------------------------------------------------------------- table (80 columns) */

/* One line, trailing blanks cut. */
__attribute__((format(printf, 2, 3))) static void line(FILE *f, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	size_t n = strlen(buf);
	while (n && buf[n - 1] == ' ')
		buf[--n] = 0;
	fprintf(f, "%s\n", buf);
}

#define ROW_FMT "%-17s %4s %-6s %6s %-8s %8s %5s %5s %6s %6s"

static void print_table(struct lbctl *app, const struct plan_row *rows, size_t n,
			const struct lb_link_path *p, const struct plan_args *a)
{
	FILE *f = app->out;
	char spans[64];
	if (spans_uniform(p))
		snprintf(spans, sizeof(spans), "%u x %.1f km spans", p->span_count, p->spans[0].length_km);
	else
		snprintf(spans, sizeof(spans), "%u spans", p->span_count);
	line(f, "path %s: %.1f km, %s, NF %.1f dB, demux %.1f dB", p->name,
	     lb_link_path_length_km(p), spans, p->spans[0].amp_nf_db, p->demux_loss_db);
	if (n)
		line(f, "CD %.0f ps/nm, mean DGD %.2f ps, latency %.3f ms one way", rows[0].r.cd_ps_nm,
		     rows[0].r.dgd_mean_ps, rows[0].r.latency_one_way_ms);
	if (a->optimal)
		line(f, "launch optimal per mode; system margin %.1f dB", p->system_margin_db);
	else
		line(f, "launch %+.1f dBm/ch (%s%s); system margin %.1f dB", p->launch_dbm,
		     launch_source(a), a->path_file && !a->have_launch ? " file" : "",
		     p->system_margin_db);
	line(f, ROW_FMT, "MODE", "RATE", "CLOSES", "MARGIN", "LIMIT", "PRE-FEC", "OSNR", "RX", "LAUNCH",
	     "PJ/BIT");
	line(f, ROW_FMT, "", "Gb/s", "", "dB", "", "BER", "dB", "dBm", "dBm", "");
	bool any_dark = false, any_oot = false, any_clamp = false, any_beyond = false;
	for (size_t i = 0; i < n; i++) {
		const struct lb_link_result *r = &rows[i].r;
		char rate[16], margin[16], ber[16], osnr[16], rx[16], launch[16], ppb[16];
		snprintf(rate, sizeof(rate), "%.0f", r->net_rate_gbps);
		if (dark(r)) {
			any_dark = true;
			snprintf(margin, sizeof(margin), "-");
			snprintf(ber, sizeof(ber), "-");
			snprintf(osnr, sizeof(osnr), "-");
		} else {
			if (r->out_of_range) {
				any_oot = true;
				snprintf(margin, sizeof(margin), "OOT");
			} else {
				snprintf(margin, sizeof(margin), "%+.2f", round_to(net_margin(r), 0.01));
			}
			snprintf(ber, sizeof(ber), "%.2e", r->pre_fec_ber);
			snprintf(osnr, sizeof(osnr), "%.2f", r->osnr_db);
		}
		snprintf(rx, sizeof(rx), "%+.1f", round_to(r->rx_power_dbm, 0.1));
		snprintf(launch, sizeof(launch), "%+.1f%s", round_to(r->launch_dbm, 0.1),
			 r->launch_clamp ? "*" : "");
		any_clamp |= r->launch_clamp != LB_LINK_CLAMP_NONE;
		snprintf(ppb, sizeof(ppb), "%.1f", r->power_per_bit_pj);
		bool beyond = beyond_reach(r, rows[i].mode);
		any_beyond |= beyond;
		char closes[8];
		snprintf(closes, sizeof(closes), "%s%s",
			 r->state == LB_LINK_STATE_LOS ? "LOS"
			 : r->state == LB_LINK_STATE_NO_LOCK ? "NOLOCK"
			 : r->closes ? "yes" : "no", beyond ? "^" : "");
		line(f, ROW_FMT, rows[i].mode->id, rate, closes, margin,
		     lb_link_limit_name(r->limited_by), ber, osnr, rx, launch, ppb);
	}
	if (any_dark)
		line(f, "-: a dark link (no light or no frame lock): no BER, no margin");
	if (any_oot)
		line(f, "OOT: out of the mode's tolerance (LIMIT): no OSNR margin makes up for it");
	if (any_beyond)
		line(f, "^: longer than the reach the mode states (its reach_km in the modes file)");
	if (any_clamp)
		line(f, "*: launch clamped (amplifier output %.1f dBm for all channels, or %+.0f..%+.0f "
			"dBm)",
		     p->amp_max_output_dbm != 0.0 ? p->amp_max_output_dbm
						  : LB_LINK_DEFAULT_AMP_MAX_OUTPUT_DBM,
		     LB_LINK_LAUNCH_MIN_DBM, LB_LINK_LAUNCH_MAX_DBM);
}

/* ---------------------------------------------------------------- the command */

/* Evaluate every mode asked for into rows (n of them); an exit code. */
static int evaluate_modes(struct lbctl *app, const struct plan_args *a, struct lb_line_modes *modes,
			  const struct lb_line_mode *only, const struct lb_link_path *path,
			  struct plan_row *rows, size_t *n, struct plan_notes *notes)
{
	*n = 0;
	for (size_t i = 0; i < modes->count; i++) {
		const struct lb_line_mode *m = &modes->modes[i];
		if (only && m != only)
			continue;
		/* Calibrate in place once (fills what a PCS mode leaves to the model). */
		int crc = lb_line_mode_calibrate(&modes->modes[i]);
		struct lb_link_eval_opts o = { .launch = a->optimal ? LB_LINK_LAUNCH_OPTIMAL
								    : LB_LINK_LAUNCH_PATH };
		struct plan_row *row = &rows[*n];
		row->r = (struct lb_link_result)LB_LINK_RESULT_INIT;
		if (!crc)
			crc = lb_link_evaluate(path, m, &o, &row->r);
		bool off_grid = crc == LB_E_RANGE && path->channel_spacing_ghz > 0.0 &&
				path->channel_spacing_ghz < m->baud_gbd;
		if (off_grid && !only) {
			/* This mode does not fit the path's fixed grid: say so and go on. */
			add_note(app, notes, "%s (%.1f GBd) does not fit the path's %.1f GHz grid, skipped",
				 m->id, m->baud_gbd, path->channel_spacing_ghz);
			continue;
		}
		if (off_grid) {
			lbctl_fail(app, crc, "plan link: mode %s (%.1f GBd) does not fit the %.1f GHz grid "
					     "of path %s", m->id, m->baud_gbd, path->channel_spacing_ghz,
				   path->name);
			return LBCTL_EXIT_INPUT;
		}
		if (crc) {
			int rc = lbctl_fail(app, crc, "plan link: mode %s on path %s", m->id, path->name);
			return crc == LB_E_RANGE || crc == LB_E_INVAL ? LBCTL_EXIT_INPUT : rc;
		}
		if (!a->optimal && row->r.launch_clamp == LB_LINK_CLAMP_AMP_OUTPUT)
			add_note(app, notes,
				 "%s: %u channels get at most %+.1f dBm each from the amplifiers; "
				 "evaluated there, not at %+.1f dBm",
				 m->id, row->r.channel_count, row->r.launch_dbm, path->launch_dbm);
		row->mode = m;
		(*n)++;
	}
	return LBCTL_EXIT_OK;
}

static int find_mode(struct lbctl *app, const struct lb_line_modes *modes, const char *id,
		     const struct lb_line_mode **out)
{
	*out = lb_line_modes_find(modes, id);
	if (*out)
		return LBCTL_EXIT_OK;
	char known[1024] = "";
	size_t k = 0;
	for (size_t i = 0; i < modes->count && k < sizeof(known) - 1; i++)
		k += (size_t)snprintf(known + k, sizeof(known) - k, "%s%s", i ? ", " : "",
				      modes->modes[i].id);
	return lbctl_usage_error(app, "plan link: unknown mode '%s' (known: %s)", id, known);
}

static int plan_link(struct lbctl *app, const struct plan_args *a)
{
	char modes_file[4096], err[1024];
	if (a->modes_file)
		snprintf(modes_file, sizeof(modes_file), "%s", a->modes_file);
	else
		snprintf(modes_file, sizeof(modes_file), "%s/link/modes.json", data_dir(app));
	struct lb_line_modes modes;
	int rc = lb_line_modes_load(modes_file, &modes, err, sizeof(err));
	if (rc)
		return file_error(app, rc, err);
	const struct lb_line_mode *only = NULL;
	if (a->mode && (rc = find_mode(app, &modes, a->mode, &only))) {
		lb_line_modes_free(&modes);
		return rc;
	}
	/* Path (about 22 KB: off the stack). */
	struct lb_link_path *path = calloc(1, sizeof(*path));
	struct plan_row *rows = calloc(modes.count ? modes.count : 1, sizeof(*rows));
	struct plan_notes notes = { json_array() };
	size_t n = 0;
	if (!path || !rows || !notes.list) {
		json_decref(notes.list);
		free(rows);
		free(path);
		lb_line_modes_free(&modes);
		return lbctl_fail(app, LB_E_NOMEM, "plan link");
	}
	rc = build_path(app, a, path, &notes);
	if (!rc)
		rc = evaluate_modes(app, a, &modes, only, path, rows, &n, &notes);
	if (!rc) {
		qsort(rows, n, sizeof(rows[0]), row_cmp);
		if (a->json)
			rc = print_json(app, rows, n, path, a, &notes);
		else
			print_table(app, rows, n, path, a);
	}
	json_decref(notes.list);
	free(rows);
	free(path);
	lb_line_modes_free(&modes);
	return rc;
}

int lbctl_cmd_plan(struct lbctl *app, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "lossless") == 0) /* cmd_plan_lossless.c */
		return lbctl_cmd_plan_lossless(app, argc - 1, argv + 1);
	struct plan_args a;
	int rc = parse_args(app, argc, argv, &a);
	if (rc == LBCTL_EXIT_HELP)
		return plan_usage(app);
	if (rc)
		return rc;
	return plan_link(app, &a);
}
