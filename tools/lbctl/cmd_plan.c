/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan link: which line mode closes on a fibre path, with what margin, at what latency
 * and energy per bit. The model is the library's (lb_link_evaluate); this file only reads the
 * command line, the mode table and the path file, and prints a table or JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "lbctl.h"

#define PLAN_DEFAULT_SPAN_KM 80.0
#define PLAN_DEFAULT_DEMUX_DB 5.0

struct plan_args {
	bool have_distance, have_span_km, have_spans, have_launch, optimal, all_modes, json;
	double distance_km, span_km, launch_dbm;
	unsigned spans;
	const char *mode, *path_file, *modes_file;
};

struct plan_row {
	const struct lb_line_mode *mode;
	struct lb_link_result r;
};

static void plan_usage(FILE *f)
{
	fprintf(f,
		"usage: lbctl plan link --distance-km D [--span-km L | --spans N]\n"
		"                       [--launch-dbm P | --optimal-launch] [--mode ID | --all-modes]\n"
		"                       [--path FILE] [--modes FILE] [--json]\n"
		"\n"
		"Evaluate coherent line modes on a fibre path: OSNR (ASE + nonlinear interference +\n"
		"Tx), pre-FEC BER, CD, DGD, Rx power, one-way latency, margin, what limits the link and\n"
		"energy per bit. One row per mode, best first (closing modes by rate, then margin).\n"
		"\n"
		"  --distance-km D   path length (default: the path file's)\n"
		"  --span-km L       longest amplified span; D is cut into equal spans (default %.0f km)\n"
		"  --spans N         exactly N equal spans\n"
		"  --launch-dbm P    launch power per channel (default: the path file's, else 0 dBm)\n"
		"  --optimal-launch  each mode at its own nonlinear optimum\n"
		"  --mode ID         only this mode (default: --all-modes)\n"
		"  --path FILE       fibre, amplifiers, losses and launch from a path file; a bare name\n"
		"                    such as tokyo-osaka-500km is looked up in DATADIR/link/paths/\n"
		"                    (without it: G.652 fibre, 0.20 dB/km + 1 dB per span, NF 5 dB,\n"
		"                    %.0f dB mux and demux, full C band)\n"
		"  --modes FILE      line-mode table (default DATADIR/link/modes.json)\n"
		"  --json            a JSON list, one object per mode\n",
		PLAN_DEFAULT_SPAN_KM, PLAN_DEFAULT_DEMUX_DB);
}

/* "--opt value" or "--opt=value". */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *matched)
{
	size_t n = strlen(name);
	*matched = false;
	if (strncmp(argv[*i], name, n) != 0)
		return NULL;
	if (argv[*i][n] == '=') {
		*matched = true;
		return argv[*i] + n + 1;
	}
	if (argv[*i][n] != 0)
		return NULL;
	*matched = true;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static int parse_number(struct lbctl *app, const char *name, const char *text, double lo, double hi,
			const char *unit, double *out)
{
	if (!text)
		return lbctl_usage_error(app, "plan link: %s needs a value", name);
	errno = 0;
	char *end;
	double v = strtod(text, &end);
	if (end == text || *end || errno == ERANGE || !isfinite(v))
		return lbctl_usage_error(app, "plan link: %s: '%s' is not a number", name, text);
	if (v < lo || v > hi)
		return lbctl_usage_error(app, "plan link: %s %g%s%s is out of range %g..%g", name, v,
					 *unit ? " " : "", unit, lo, hi);
	*out = v;
	return LBCTL_EXIT_OK;
}

static int parse_args(struct lbctl *app, int argc, char **argv, struct plan_args *a)
{
	memset(a, 0, sizeof(*a));
	a->json = app->json;
	for (int i = 1; i < argc; i++) {
		bool m;
		const char *v;
		int rc;
		if (strcmp(argv[i], "--json") == 0) {
			a->json = true;
		} else if (strcmp(argv[i], "--optimal-launch") == 0) {
			a->optimal = true;
		} else if (strcmp(argv[i], "--all-modes") == 0) {
			a->all_modes = true;
		} else if ((v = opt_value(argc, argv, &i, "--distance-km", &m)), m) {
			if ((rc = parse_number(app, "--distance-km", v, -INFINITY, INFINITY, "km",
					       &a->distance_km)))
				return rc;
			if (!(a->distance_km > 0.0))
				return lbctl_usage_error(app, "plan link: --distance-km must be above 0 km (got %s)",
							 v);
			if (a->distance_km > 40000.0)
				return lbctl_usage_error(app, "plan link: --distance-km %g km is out of range "
							      "0..40000 km", a->distance_km);
			a->have_distance = true;
		} else if ((v = opt_value(argc, argv, &i, "--span-km", &m)), m) {
			if ((rc = parse_number(app, "--span-km", v, -INFINITY, INFINITY, "km", &a->span_km)))
				return rc;
			if (!(a->span_km > 0.0))
				return lbctl_usage_error(app, "plan link: --span-km must be above 0 km (got %s)", v);
			a->have_span_km = true;
		} else if ((v = opt_value(argc, argv, &i, "--spans", &m)), m) {
			double n = 0; /* set by parse_number (zeroed for -fanalyzer) */
			if ((rc = parse_number(app, "--spans", v, 1, LB_LINK_MAX_SPANS, "", &n)))
				return rc;
			if (n != floor(n))
				return lbctl_usage_error(app, "plan link: --spans: '%s' is not a whole number", v);
			a->spans = (unsigned)n;
			a->have_spans = true;
		} else if ((v = opt_value(argc, argv, &i, "--launch-dbm", &m)), m) {
			if ((rc = parse_number(app, "--launch-dbm", v, -20, 20, "dBm", &a->launch_dbm)))
				return rc;
			a->have_launch = true;
		} else if ((v = opt_value(argc, argv, &i, "--mode", &m)), m) {
			if (!v || !*v)
				return lbctl_usage_error(app, "plan link: --mode needs a mode id");
			a->mode = v;
		} else if ((v = opt_value(argc, argv, &i, "--path", &m)), m) {
			if (!v || !*v)
				return lbctl_usage_error(app, "plan link: --path needs a file");
			a->path_file = v;
		} else if ((v = opt_value(argc, argv, &i, "--modes", &m)), m) {
			if (!v || !*v)
				return lbctl_usage_error(app, "plan link: --modes needs a file");
			a->modes_file = v;
		} else {
			return lbctl_usage_error(app, "plan link: unknown argument '%s' (see --help)",
						 argv[i]);
		}
	}
	if (a->have_span_km && a->have_spans)
		return lbctl_usage_error(app, "plan link: give --span-km or --spans, not both");
	if (a->have_launch && a->optimal)
		return lbctl_usage_error(app, "plan link: give --launch-dbm or --optimal-launch, not both");
	if (a->mode && a->all_modes)
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

/* Build the path from the file and/or the command line. */
static int build_path(struct lbctl *app, const struct plan_args *a, struct lb_link_path *p,
		      bool *launch_from_file)
{
	*launch_from_file = false;
	if (a->path_file) {
		char file[4096], err[1024];
		resolve_path_file(app, a->path_file, file, sizeof(file));
		int rc = lb_link_path_load(file, p, err, sizeof(err));
		if (rc)
			return file_error(app, rc, err);
		*launch_from_file = true;
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
	double distance = a->have_distance ? a->distance_km : file_km;
	/* A path file's own length given again (as the docs do) keeps the file's spans. */
	bool same_length = a->path_file && a->have_distance && fabs(distance - file_km) <= 1e-3 * file_km;
	bool resplit = !a->path_file || (a->have_distance && !same_length) || a->have_span_km ||
		       a->have_spans;
	if (resplit) {
		unsigned n;
		if (a->have_spans) {
			n = a->spans;
		} else {
			/* Without --span-km, a path file's spans keep their length over the new distance. */
			double l = a->have_span_km ? a->span_km
				 : a->path_file && p->span_count ? file_km / p->span_count
								 : PLAN_DEFAULT_SPAN_KM;
			if (a->have_span_km && l > distance)
				return lbctl_usage_error(app,
							 "plan link: --span-km %g is longer than the path (%g km)",
							 l, distance);
			if (l > 300.0)
				return lbctl_usage_error(app, "plan link: --span-km %g is longer than 300 km",
							 l);
			/*
			 * Spans of at most L km, but a span length given to a few digits (83.33 for
			 * 1,000 km / 12) must not add a 13th span for the last 40 m: 0.1 % slack.
			 */
			double count = ceil(distance / l - 1e-3);
			/* Checked as a double: a count no unsigned holds is never converted. */
			if (!(count <= LB_LINK_MAX_SPANS))
				return lbctl_usage_error(app, "plan link: --span-km %g over %g km makes "
							      "%.6g spans, at most %d",
							 l, distance, count, LB_LINK_MAX_SPANS);
			n = count < 1.0 ? 1u : (unsigned)count;
		}
		if (n > LB_LINK_MAX_SPANS)
			return lbctl_usage_error(app, "plan link: %u spans, at most %d", n,
						 LB_LINK_MAX_SPANS);
		if (distance / n > 300.0)
			return lbctl_usage_error(app,
						 "plan link: spans of %.1f km are longer than 300 km "
						 "(use more --spans or a shorter --span-km)",
						 distance / n);
		int rc = lb_link_path_set_uniform(p, distance, n);
		if (rc)
			return lbctl_fail(app, rc, "plan link: %g km in %u spans", distance, n);
	}
	if (a->have_launch) {
		p->launch_dbm = a->launch_dbm;
		*launch_from_file = false;
	}
	int rc = lb_link_path_check(p);
	if (rc)
		return lbctl_fail(app, rc, "plan link: path %s", p->name);
	return LBCTL_EXIT_OK;
}

static int row_cmp(const void *pa, const void *pb)
{
	const struct plan_row *a = pa, *b = pb;
	if (a->r.closes != b->r.closes)
		return a->r.closes ? -1 : 1;
	if (a->r.closes && a->r.net_rate_gbps != b->r.net_rate_gbps)
		return a->r.net_rate_gbps > b->r.net_rate_gbps ? -1 : 1;
	if (a->r.margin_db != b->r.margin_db)
		return a->r.margin_db > b->r.margin_db ? -1 : 1;
	return strcmp(a->mode->id, b->mode->id);
}

static double round_to(double v, double step)
{
	double r = round(v / step) * step;
	return r == 0.0 ? 0.0 : r; /* no "-0" */
}

static json_t *num(double v)
{
	return json_real(isfinite(v) ? v : 0.0);
}

static json_t *row_json(const struct plan_row *row, const struct lb_link_path *p)
{
	const struct lb_link_result *r = &row->r;
	const struct lb_line_mode *m = row->mode;
	json_t *o = json_object();
	/* The keys the issue fixes, in its order. */
	json_object_set_new(o, "mode", json_string(m->id));
	json_object_set_new(o, "rate_gbps", num(round_to(r->net_rate_gbps, 0.01)));
	json_object_set_new(o, "pcs", json_boolean(m->format == LB_LINK_FORMAT_PCS));
	json_object_set_new(o, "closes", json_boolean(r->closes));
	json_object_set_new(o, "margin_db", num(round_to(r->margin_db, 0.001)));
	json_object_set_new(o, "limited_by", json_string(lb_link_limit_name(r->limited_by)));
	json_object_set_new(o, "pre_fec_ber", num(r->pre_fec_ber));
	json_object_set_new(o, "osnr_db", num(round_to(r->osnr_db, 0.001)));
	json_object_set_new(o, "cd_ps_nm", num(round_to(r->cd_ps_nm, 0.1)));
	json_object_set_new(o, "dgd_mean_ps", num(round_to(r->dgd_mean_ps, 0.001)));
	json_object_set_new(o, "rx_power_dbm", num(round_to(r->rx_power_dbm, 0.001)));
	json_object_set_new(o, "launch_dbm", num(round_to(r->launch_dbm, 0.001)));
	json_object_set_new(o, "latency_one_way_ms", num(round_to(r->latency_one_way_ms, 1e-4)));
	json_object_set_new(o, "power_per_bit_pj", num(round_to(r->power_per_bit_pj, 0.01)));
	/* More that follow. */
	json_object_set_new(o, "name", json_string(m->name));
	json_object_set_new(o, "format", json_string(lb_link_format_name(m->format)));
	if (m->format == LB_LINK_FORMAT_PCS)
		json_object_set_new(o, "entropy_bits", num(m->entropy_bits));
	json_object_set_new(o, "baud_gbd", num(m->baud_gbd));
	json_object_set_new(o, "state", json_string(lb_link_state_name(r->state)));
	json_object_set_new(o, "fec_state", json_string(lb_link_fec_state_name(r->fec_state)));
	json_object_set_new(o, "uncorrectable_frames_per_s", num(r->uncorrectable_frames_per_s));
	json_object_set_new(o, "osnr_ase_db", num(round_to(r->osnr_ase_db, 0.001)));
	json_object_set_new(o, "osnr_nli_db", num(round_to(r->osnr_nli_db, 0.001)));
	json_object_set_new(o, "penalty_db", num(round_to(r->penalty_db, 0.001)));
	json_object_set_new(o, "cd_penalty_db", num(round_to(r->penalty_cd_db, 0.001)));
	json_object_set_new(o, "snr_db", num(round_to(r->snr_db, 0.001)));
	json_object_set_new(o, "esnr_db", num(round_to(r->esnr_db, 0.001)));
	json_object_set_new(o, "q_db", num(round_to(r->q_db, 0.001)));
	json_object_set_new(o, "path", json_string(p->name));
	json_object_set_new(o, "distance_km", num(round_to(r->length_km, 0.001)));
	json_object_set_new(o, "spans", json_integer(r->span_count));
	json_object_set_new(o, "channels", json_integer(r->channel_count));
	return o;
}

static void print_table(struct lbctl *app, const struct plan_row *rows, size_t n,
			const struct lb_link_path *p, const struct plan_args *a, bool launch_from_file)
{
	FILE *f = app->out;
	double len = lb_link_path_length_km(p);
	bool uniform = true;
	for (unsigned i = 1; i < p->span_count; i++)
		uniform &= fabs(p->spans[i].length_km - p->spans[0].length_km) < 1e-9;
	fprintf(f, "path %s: %.1f km, ", p->name, len);
	if (uniform)
		fprintf(f, "%u x %.1f km spans", p->span_count, p->spans[0].length_km);
	else
		fprintf(f, "%u spans", p->span_count);
	fprintf(f, ", NF %.1f dB, demux %.1f dB; launch ", p->spans[0].amp_nf_db, p->demux_loss_db);
	if (a->optimal)
		fprintf(f, "optimal per mode\n");
	else
		fprintf(f, "%+.1f dBm/ch%s\n", p->launch_dbm, launch_from_file ? " (path file)" : "");
	fprintf(f, "%-18s %5s %-3s %-6s %7s %-8s %9s %6s %7s %5s %6s %6s %8s %6s\n", "MODE", "RATE",
		"PCS", "CLOSES", "MARGIN", "LIMIT", "PRE-FEC", "OSNR", "CD", "DGD", "RX", "LAUNCH",
		"LATENCY", "PJ/BIT");
	fprintf(f, "%-18s %5s %-3s %-6s %7s %-8s %9s %6s %7s %5s %6s %6s %8s %6s\n", "", "Gb/s", "",
		"", "dB", "", "BER", "dB", "ps/nm", "ps", "dBm", "dBm", "ms", "");
	for (size_t i = 0; i < n; i++) {
		const struct lb_link_result *r = &rows[i].r;
		const struct lb_line_mode *m = rows[i].mode;
		char closes[16];
		snprintf(closes, sizeof(closes), "%s",
			 r->state == LB_LINK_STATE_LOS ? "LOS" : r->closes ? "yes" : "no");
		fprintf(f, "%-18s %5.0f %-3s %-6s %+7.2f %-8s %9.2e %6.2f %7.0f %5.2f %+6.1f %+6.1f %8.3f %6.1f\n",
			m->id, r->net_rate_gbps, m->format == LB_LINK_FORMAT_PCS ? "yes" : "no", closes,
			round_to(r->margin_db, 0.01), lb_link_limit_name(r->limited_by), r->pre_fec_ber,
			r->osnr_db, r->cd_ps_nm, r->dgd_mean_ps, round_to(r->rx_power_dbm, 0.1),
			round_to(r->launch_dbm, 0.1), r->latency_one_way_ms, r->power_per_bit_pj);
	}
}

static int plan_link(struct lbctl *app, int argc, char **argv)
{
	struct plan_args a;
	int rc = parse_args(app, argc, argv, &a);
	if (rc)
		return rc;

	/* Modes. */
	char modes_file[4096], err[1024];
	if (a.modes_file)
		snprintf(modes_file, sizeof(modes_file), "%s", a.modes_file);
	else
		snprintf(modes_file, sizeof(modes_file), "%s/link/modes.json", data_dir(app));
	struct lb_line_modes modes;
	rc = lb_line_modes_load(modes_file, &modes, err, sizeof(err));
	if (rc)
		return file_error(app, rc, err);
	const struct lb_line_mode *only = NULL;
	if (a.mode) {
		only = lb_line_modes_find(&modes, a.mode);
		if (!only) {
			char known[1024] = "";
			size_t k = 0;
			for (size_t i = 0; i < modes.count && k < sizeof(known) - 1; i++)
				k += (size_t)snprintf(known + k, sizeof(known) - k, "%s%s", i ? ", " : "",
						      modes.modes[i].id);
			rc = lbctl_usage_error(app, "plan link: unknown mode '%s' (known: %s)", a.mode,
					       known);
			lb_line_modes_free(&modes);
			return rc;
		}
	}

	/* Path (about 22 KB: off the stack). */
	struct lb_link_path *path = calloc(1, sizeof(*path));
	struct plan_row *rows = calloc(modes.count, sizeof(*rows));
	if (!path || !rows) {
		free(path);
		free(rows);
		lb_line_modes_free(&modes);
		return lbctl_fail(app, LB_E_NOMEM, "plan link");
	}
	bool launch_from_file;
	rc = build_path(app, &a, path, &launch_from_file);
	size_t n = 0;
	for (size_t i = 0; !rc && i < modes.count; i++) {
		const struct lb_line_mode *m = &modes.modes[i];
		if (only && m != only)
			continue;
		/* Calibrate in place once (fills what a PCS mode leaves to the model). */
		int crc = lb_line_mode_calibrate(&modes.modes[i]);
		struct lb_link_eval_opts o = { .launch = a.optimal ? LB_LINK_LAUNCH_OPTIMAL
								   : LB_LINK_LAUNCH_PATH };
		if (!crc)
			crc = lb_link_evaluate(path, m, &o, &rows[n].r);
		bool off_grid = crc == LB_E_RANGE && path->channel_spacing_ghz > 0.0 &&
				path->channel_spacing_ghz < m->baud_gbd;
		if (off_grid && !only) {
			/* This mode does not fit the path's fixed grid: say so and go on. */
			fprintf(app->err, "lbctl: plan link: note: %s (%.1f GBd) does not fit the path's "
					  "%.1f GHz grid, skipped\n",
				m->id, m->baud_gbd, path->channel_spacing_ghz);
			continue;
		}
		if (off_grid) {
			lbctl_fail(app, crc, "plan link: mode %s (%.1f GBd) does not fit the %.1f GHz grid "
					     "of path %s", m->id, m->baud_gbd, path->channel_spacing_ghz,
				   path->name);
			rc = LBCTL_EXIT_INPUT;
			break;
		}
		if (crc) {
			rc = lbctl_fail(app, crc, "plan link: mode %s on path %s", m->id, path->name);
			if (crc == LB_E_RANGE || crc == LB_E_INVAL)
				rc = LBCTL_EXIT_INPUT;
			break;
		}
		rows[n].mode = m;
		n++;
	}
	if (!rc) {
		qsort(rows, n, sizeof(rows[0]), row_cmp);
		if (a.json) {
			json_t *arr = json_array();
			for (size_t i = 0; i < n; i++)
				json_array_append_new(arr, row_json(&rows[i], path));
			if (json_dumpf(arr, app->out, JSON_INDENT(2) | JSON_REAL_PRECISION(10)) != 0)
				rc = lbctl_fail(app, LB_E_IO, "plan link: writing JSON");
			else
				fputc('\n', app->out);
			json_decref(arr);
		} else {
			print_table(app, rows, n, path, &a, launch_from_file);
		}
	}
	free(rows);
	free(path);
	lb_line_modes_free(&modes);
	return rc;
}

int lbctl_cmd_plan(struct lbctl *app, int argc, char **argv)
{
	if (argc < 2)
		return lbctl_usage_error(app, "plan: what to plan? (lbctl plan link --help)");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		plan_usage(app->out);
		return LBCTL_EXIT_OK;
	}
	if (strcmp(argv[1], "lossless") == 0) /* cmd_plan_lossless.c */
		return lbctl_cmd_plan_lossless(app, argc - 1, argv + 1);
	if (strcmp(argv[1], "link") != 0)
		return lbctl_usage_error(app, "plan: unknown plan '%s' (link or lossless)", argv[1]);
	if (lbctl_wants_help(argc - 1, argv + 1)) {
		plan_usage(app->out);
		return LBCTL_EXIT_OK;
	}
	return plan_link(app, argc - 1, argv + 1);
}
