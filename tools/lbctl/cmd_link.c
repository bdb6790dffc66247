/* SPDX-License-Identifier: MIT */
/*
 * lbctl link PORT [--path FILE] [--mode ID]: both ends of a link and the path between them,
 * and the live margin against the plan: what each receiver measures (VDM, read through the
 * HAL) next to what the link model predicts for that path and mode (as `plan link`), the
 * margin left to the FEC threshold and the limiting factor. The far end and the path come
 * from the platform file's "links" (an emulated link on an emulator bus); --path names the
 * path of a port on no link (hardware: only this end is ours).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl link PORT [--path FILE] [--mode ID] [--json]\n"
		"\n"
		"Show both ends of the link on PORT (module state, application and line mode,\n"
		"laser frequency, Tx power target), the path between them (length, spans,\n"
		"one-way delay) and, for each receiving end, the live margin against the plan:\n"
		"the OSNR, pre-FEC BER, CD, DGD and Rx power the module measures (VDM) next to\n"
		"what `lbctl plan link` predicts for that path and line mode, the margin left\n"
		"to the FEC threshold (in dB of Q) and the limiting factor.\n"
		"\n"
		"The far end and the path come from the platform file's \"links\" (on the\n"
		"emulator the two modules are joined by the link model). A port on no link\n"
		"(hardware whose far end is elsewhere) needs --path: a path file, or a name of\n"
		"the shipped paths (tokyo-osaka-500km). --mode names the line mode to plan\n"
		"with (an id of `lbctl plan link --all-modes`) when the module's application\n"
		"does not say it.\n");
	return LBCTL_EXIT_OK;
}

/* ---- data files ---- */

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

/* A bare name (no '/') that is not a file names one of the shipped paths (lbctl.h). */
void lbctl_link_path_file(struct lbctl *app, const char *given, char *out, size_t len)
{
	snprintf(out, len, "%s", given);
	if (access(given, F_OK) == 0 || strchr(given, '/'))
		return;
	size_t n = strlen(given);
	bool has_ext = n > 5 && strcmp(given + n - 5, ".json") == 0;
	snprintf(out, len, "%s/link/paths/%s%s", data_dir(app), given, has_ext ? "" : ".json");
}

/* ---- one end ---- */

#define NO_VALUE NAN

struct measured {
	double osnr_db, esnr_db, pre_fec_ber, cd_ps_nm, dgd_ps, rx_total_dbm, rx_signal_dbm;
	int status; /* of lb_vdm_read: LB_OK, LB_E_NOTSUP (no VDM), a bus error */
};

struct end {
	struct lb_port_info info;
	struct lb_module *m;
	int open_status;              /* LB_OK, or why the module could not be reached */
	enum lb_module_state state;
	uint8_t appsel;               /* of host lane 1, 0: none */
	int dp_state;                 /* of host lane 1 */
	int media_id;                 /* of the active application, -1: none */
	const struct lb_line_mode *mode;
	struct lb_laser_status laser; /* current_ghz NAN when unknown */
	struct measured meas;
};

static const char *mode_for(const struct lb_platform_link *pl, int media_id)
{
	if (media_id < 0)
		return NULL;
	for (unsigned k = 0; pl && k < pl->media_mode_count; k++)
		if (pl->media_id[k] == (uint8_t)media_id)
			return pl->media_mode[k];
	return lb_line_mode_for_media_id((uint8_t)media_id);
}

/* The VDM values of media lane 1 a receiver reports (NAN for those it lacks). */
static void read_measured(struct lb_module *m, struct measured *out)
{
	out->osnr_db = out->esnr_db = out->pre_fec_ber = out->cd_ps_nm = out->dgd_ps = NO_VALUE;
	out->rx_total_dbm = out->rx_signal_dbm = NO_VALUE;
	struct lb_vdm *v = malloc(sizeof(*v));
	if (!v) {
		out->status = LB_E_NOMEM;
		return;
	}
	*v = (struct lb_vdm)LB_VDM_INIT;
	out->status = lb_vdm_read(m, 0, 0, v);
	for (unsigned i = 0; out->status == LB_OK && i < v->count; i++) {
		const struct lb_vdm_instance *in = &v->inst[i];
		if (in->lane > 1 || !isfinite(in->value))
			continue;
		switch (in->type) {
		case 139: out->osnr_db = in->value; break;
		case 140: out->esnr_db = in->value; break;
		case 15: out->pre_fec_ber = in->value; break;
		case 134: if (!isfinite(out->cd_ps_nm)) out->cd_ps_nm = in->value; break;
		case 135: out->cd_ps_nm = in->value; break; /* the long-link reading wins */
		case 136: out->dgd_ps = in->value; break;
		case 144: out->rx_total_dbm = in->value; break;
		case 145: out->rx_signal_dbm = in->value; break;
		default: break;
		}
	}
	free(v);
}

static void read_end(struct lbctl *app, struct lb_platform *p, const struct lb_platform_link *pl,
		     const struct lb_line_modes *modes, const char *mode_arg, struct end *e)
{
	(void)app;
	e->media_id = -1;
	e->laser = (struct lb_laser_status)LB_LASER_STATUS_INIT;
	e->laser.current_ghz = NO_VALUE;
	e->laser.tx_power_target_dbm = NO_VALUE;
	e->meas.osnr_db = e->meas.esnr_db = e->meas.pre_fec_ber = NO_VALUE;
	e->meas.cd_ps_nm = e->meas.dgd_ps = e->meas.rx_total_dbm = e->meas.rx_signal_dbm = NO_VALUE;
	if ((e->open_status = lb_platform_module(p, e->info.port, &e->m)))
		return;
	if ((e->open_status = lb_module_get_state(e->m, &e->state)))
		return;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if (lb_module_get_lane_status(e->m, &ls) == LB_OK && ls.lanes) {
		e->appsel = ls.active_appsel[0];
		e->dp_state = ls.dp_state[0];
	}
	struct lb_app_list apps;
	if (e->appsel && lb_module_get_apps(e->m, &apps) == LB_OK)
		for (unsigned k = 0; k < apps.count; k++)
			if (apps.app[k].appsel == e->appsel)
				e->media_id = apps.app[k].media_id;
	/* a vendor line mode in force (an extension's, e.g. PCS) before the application's */
	char vendor[LB_LINK_ID_LEN] = "";
	if (lb_module_get_line_mode(e->m, 0, vendor, sizeof(vendor)) != LB_OK)
		vendor[0] = 0;
	const char *id = mode_arg ? mode_arg : vendor[0] ? vendor : mode_for(pl, e->media_id);
	e->mode = id ? lb_line_modes_find(modes, id) : NULL;
	struct lb_laser_status st = LB_LASER_STATUS_INIT;
	if (lb_laser_get_status(e->m, 1, &st) == LB_OK)
		e->laser = st;
	read_measured(e->m, &e->meas);
	/* Without a VDM Rx power, the lane monitor's (11h:186, 0.1 uW; no flags read). */
	uint8_t b[2];
	if (!isfinite(e->meas.rx_signal_dbm) &&
	    lb_module_read(e->m, 0, 0x11, 186, b, 2) == LB_OK) {
		unsigned raw = (unsigned)b[0] << 8 | b[1];
		e->meas.rx_signal_dbm = raw ? 10.0 * log10(raw / 10000.0) : LB_LINK_NO_SIGNAL_DBM;
	}
}

/* ---- the plan of one direction, and the margins ---- */

struct direction {
	struct end *rx, *tx;          /* tx NULL: the far end is not ours */
	bool have_plan;
	int plan_status;
	struct lb_link_result plan;
	double q_margin_db;           /* measured Q - Q at the FEC threshold; NAN without a BER */
	double osnr_margin_db;        /* the plan's margin moved by measured - predicted OSNR */
	int no_light;                 /* measured Rx power below the mode's LOS level; -1: unknown */
};

static void plan_direction(const struct lb_link_path *path, struct direction *d)
{
	d->q_margin_db = d->osnr_margin_db = NO_VALUE;
	d->no_light = -1;
	d->plan = (struct lb_link_result)LB_LINK_RESULT_INIT;
	const struct lb_line_mode *mode = d->rx->mode;
	if (!mode)
		return;
	if (isfinite(d->rx->meas.rx_signal_dbm))
		d->no_light = d->rx->meas.rx_signal_dbm < mode->rx_los_dbm;
	struct lb_link_path p = *path;
	/* The receiver's channel and the far end's Tx power, as they are set now. */
	if (isfinite(d->rx->laser.current_ghz) && d->rx->laser.current_ghz > 184000.0 &&
	    d->rx->laser.current_ghz < 200000.0)
		p.frequency_thz = d->rx->laser.current_ghz / 1000.0;
	if (d->tx && isfinite(d->tx->laser.tx_power_target_dbm) &&
	    d->tx->laser.tx_power_target_dbm >= -30.0 && d->tx->laser.tx_power_target_dbm <= 20.0)
		p.tx_power_dbm = d->tx->laser.tx_power_target_dbm;
	d->plan_status = lb_link_evaluate(&p, mode, NULL, &d->plan);
	d->have_plan = d->plan_status == LB_OK;
	const struct measured *ms = &d->rx->meas;
	double q_meas, q_thr;
	if (isfinite(ms->pre_fec_ber) && ms->pre_fec_ber > 0.0 &&
	    lb_link_ber_to_q_db(ms->pre_fec_ber, &q_meas) == LB_OK &&
	    lb_link_ber_to_q_db(mode->fec_threshold_ber, &q_thr) == LB_OK)
		d->q_margin_db = q_meas - q_thr;
	if (d->have_plan && d->plan.state == LB_LINK_STATE_UP && isfinite(ms->osnr_db))
		d->osnr_margin_db = d->plan.margin_db + (ms->osnr_db - d->plan.osnr_db);
}

/* ---- JSON ---- */

/* n_g L / c over the spans, ms (what the link model's latency is). */
static double one_way_delay_ms(const struct lb_link_path *p)
{
	double ng_km = 0.0;
	for (unsigned i = 0; i < p->span_count; i++)
		ng_km += p->spans[i].group_index * p->spans[i].length_km;
	return ng_km / 299792.458 * 1e3;
}

static json_t *num(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *end_json(const struct end *e)
{
	json_t *o = json_pack("{s:i, s:s}", "port", (int)e->info.port, "name",
			      e->info.name ? e->info.name : "");
	if (!o)
		return NULL;
	if (e->open_status) {
		json_object_set_new(o, "error", json_string(lb_strerror(e->open_status)));
		return o;
	}
	json_object_set_new(o, "module_state", json_string(lb_module_state_name((int)e->state)));
	json_object_set_new(o, "appsel", json_integer(e->appsel));
	json_object_set_new(o, "dp_state", json_string(lb_dp_state_name(e->dp_state)));
	json_object_set_new(o, "media_id", e->media_id >= 0 ? json_integer(e->media_id) : json_null());
	json_object_set_new(o, "line_mode", e->mode ? json_string(e->mode->id) : json_null());
	json_object_set_new(o, "frequency_ghz", num(e->laser.current_ghz));
	json_object_set_new(o, "tx_power_target_dbm", num(e->laser.tx_power_target_dbm));
	json_object_set_new(o, "tuning_state", json_string(lb_tuning_state_name((int)e->laser.state)));
	return o;
}

static json_t *direction_json(const struct direction *d)
{
	const struct measured *ms = &d->rx->meas;
	json_t *meas = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "osnr_db", num(ms->osnr_db),
				 "esnr_db", num(ms->esnr_db), "pre_fec_ber", num(ms->pre_fec_ber),
				 "cd_ps_nm", num(ms->cd_ps_nm), "dgd_ps", num(ms->dgd_ps),
				 "rx_total_power_dbm", num(ms->rx_total_dbm), "rx_signal_power_dbm",
				 num(ms->rx_signal_dbm));
	if (meas && ms->status)
		json_object_set_new(meas, "error", json_string(lb_strerror(ms->status)));
	json_t *plan = json_null();
	if (d->have_plan) {
		const struct lb_link_result *r = &d->plan;
		plan = json_pack("{s:s, s:b, s:s, s:b, s:o, s:o, s:f, s:f, s:f, s:o}", "state",
				 lb_link_state_name(r->state), "closes", r->closes, "limited_by",
				 lb_link_limit_name(r->limited_by), "out_of_tolerance", r->out_of_range != 0,
				 "osnr_db", num(r->state == LB_LINK_STATE_UP ? r->osnr_db : NAN),
				 "pre_fec_ber", num(r->state == LB_LINK_STATE_UP ? r->pre_fec_ber : NAN),
				 "cd_ps_nm", r->cd_ps_nm, "dgd_mean_ps", r->dgd_mean_ps, "rx_power_dbm",
				 r->rx_power_dbm, "margin_db",
				 num(r->state == LB_LINK_STATE_UP ? r->margin_db : NAN));
	}
	const struct lb_line_mode *mode = d->rx->mode;
	json_t *far = json_null();
	if (d->tx) {
		const struct lb_line_mode *tm = d->tx->mode;
		far = json_pack("{s:o, s:o}", "same_mode",
				tm && mode ? json_boolean(strcmp(tm->id, mode->id) == 0) : json_null(),
				"frequency_offset_ghz",
				num(d->tx->laser.current_ghz - d->rx->laser.current_ghz));
	}
	return json_pack("{s:i, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "port",
			 (int)d->rx->info.port,
			 "from_port", d->tx ? json_integer(d->tx->info.port) : json_null(),
			 "far_end", far, "line_mode", mode ? json_string(mode->id) : json_null(), "loss_of_signal",
			 d->no_light < 0 ? json_null() : json_boolean(d->no_light), "measured", meas,
			 "plan", plan, "fec_threshold_ber", num(mode ? mode->fec_threshold_ber : NAN),
			 "fec_margin_q_db", num(d->q_margin_db), "osnr_margin_db",
			 num(d->osnr_margin_db));
}

static json_t *path_json(const struct lb_link_path *p, const char *file)
{
	json_t *spans = json_array();
	for (unsigned i = 0; spans && i < p->span_count; i++)
		json_array_append_new(spans, json_real(p->spans[i].length_km));
	return json_pack("{s:s, s:s, s:f, s:i, s:o, s:f}", "name", p->name, "file", file,
			 "length_km", lb_link_path_length_km(p), "span_count", (int)p->span_count,
			 "spans_km", spans, "one_way_delay_ms", one_way_delay_ms(p));
}

/* ---- text ---- */

/* v with prec decimals (fixed), in scientific notation with sci, or "-" when not finite. */
static void fmt(char *buf, size_t len, int prec, bool sci, bool sign, double v)
{
	if (!isfinite(v))
		snprintf(buf, len, "-");
	else if (sci)
		snprintf(buf, len, "%.*e", prec, v);
	else if (sign)
		snprintf(buf, len, "%+.*f", prec, v);
	else
		snprintf(buf, len, "%.*f", prec, v);
}

static void print_end(struct lbctl *app, const struct end *e)
{
	char buf[16], freq[16], txp[16];
	const char *name = lbctl_fit(e->info.name ? e->info.name : "", 11, buf, sizeof(buf));
	if (e->open_status) {
		fprintf(app->out, "%-4u %-11s %s\n", e->info.port, name, lb_strerror(e->open_status));
		return;
	}
	fmt(freq, sizeof(freq), 3, false, false, e->laser.current_ghz);
	fmt(txp, sizeof(txp), 2, false, true, e->laser.tx_power_target_dbm);
	char app_s[8];
	snprintf(app_s, sizeof(app_s), "%u", e->appsel);
	fprintf(app->out, "%-4u %-11s %-12s %-3s %-17s %-11s %6s %s\n", e->info.port, name,
		lb_module_state_name((int)e->state), e->appsel ? app_s : "-",
		e->mode ? e->mode->id : "-", freq, txp, lb_tuning_state_name((int)e->laser.state));
}

static void row(struct lbctl *app, const char *what, int prec, bool sci, double meas, double plan,
		const char *note)
{
	char a[24], b[24];
	fmt(a, sizeof(a), prec, sci, false, meas);
	fmt(b, sizeof(b), prec, sci, false, plan);
	fprintf(app->out, "  %-16s %14s %14s%s%s\n", what, a, b, note ? "  " : "", note ? note : "");
}

static void print_direction(struct lbctl *app, const struct direction *d)
{
	const struct end *rx = d->rx;
	if (d->tx)
		fprintf(app->out, "port %u receives from port %u", rx->info.port, d->tx->info.port);
	else
		fprintf(app->out, "port %u receives", rx->info.port);
	if (!rx->mode) {
		fprintf(app->out, ": no line mode known (give --mode)\n");
		return;
	}
	fprintf(app->out, " (%s, FEC threshold %.2e)\n", rx->mode->id, rx->mode->fec_threshold_ber);
	const struct measured *ms = &rx->meas;
	if (ms->status)
		fprintf(app->out, "  measured: %s\n", ms->status == LB_E_NOTSUP ? "the module has no VDM"
										: lb_strerror(ms->status));
	else if (!isfinite(ms->osnr_db) && !isfinite(ms->pre_fec_ber) && !isfinite(ms->cd_ps_nm) &&
		 !isfinite(ms->dgd_ps) && !isfinite(ms->esnr_db))
		fprintf(app->out, "  measured: no VDM instance reports these (Rx power: lane monitor)\n");
	if (d->tx && d->tx->mode && strcmp(d->tx->mode->id, rx->mode->id) != 0)
		fprintf(app->out, "  ends disagree: port %u sends %s: no frame lock\n", d->tx->info.port,
			d->tx->mode->id);
	double df = d->tx ? d->tx->laser.current_ghz - rx->laser.current_ghz : NAN;
	if (isfinite(df) && fabs(df) > 0.0005)
		fprintf(app->out, "  ends disagree: port %u's laser is %+.3f GHz from this one's\n",
			d->tx->info.port, df);
	if (d->no_light == 1)
		fprintf(app->out, "  received: no light (Rx power %.2f dBm, below the mode's LOS level "
				  "%.1f dBm)\n", ms->rx_signal_dbm, rx->mode->rx_los_dbm);
	const struct lb_link_result *r = &d->plan;
	bool up = d->have_plan && r->state == LB_LINK_STATE_UP;
	double nan = NAN;
	fprintf(app->out, "  %-16s %14s %14s\n", "", "MEASURED", "PLAN");
	row(app, "OSNR dB", 2, false, rx->meas.osnr_db, up ? r->osnr_db : nan, NULL);
	row(app, "eSNR dB", 2, false, rx->meas.esnr_db, up ? r->esnr_db : nan, NULL);
	row(app, "pre-FEC BER", 2, true, rx->meas.pre_fec_ber, up ? r->pre_fec_ber : nan, NULL);
	row(app, "CD ps/nm", 0, false, rx->meas.cd_ps_nm, d->have_plan ? r->cd_ps_nm : nan, NULL);
	row(app, "DGD ps", 2, false, rx->meas.dgd_ps, d->have_plan ? r->dgd_mean_ps : nan,
	    "(plan: mean)");
	row(app, "Rx power dBm", 2, false, rx->meas.rx_signal_dbm,
	    d->have_plan ? r->rx_power_dbm : nan, NULL);
	char q[24], om[24], pm[24];
	fmt(q, sizeof(q), 2, false, true, d->q_margin_db);
	fmt(om, sizeof(om), 2, false, true, d->osnr_margin_db);
	fmt(pm, sizeof(pm), 2, false, true, up ? r->margin_db : nan);
	fprintf(app->out, "  margin to the FEC threshold: %s%s\n", q,
		isfinite(d->q_margin_db) ? " dB of Q" : " (no pre-FEC BER measured)");
	fprintf(app->out, "  OSNR margin dB: %s live, %s planned\n", om, pm);
	fprintf(app->out, "  plan: %s, limited by %s%s\n",
		!d->have_plan ? "none" : r->closes ? "closes" : "does not close",
		d->have_plan ? lb_link_limit_name(r->limited_by) : "-",
		d->have_plan && r->out_of_range ? " (out of tolerance)" : "");
}

static void print_text(struct lbctl *app, const struct lb_platform_link *pl,
		       const struct lb_link_path *path, struct end *ends, unsigned n,
		       const struct direction *dirs)
{
	if (pl && n == 2) {
		/* in the link's own order, whichever end was asked */
		const struct end *a = ends[0].info.port == pl->port_a ? &ends[0] : &ends[1];
		const struct end *b = a == &ends[0] ? &ends[1] : &ends[0];
		fprintf(app->out, "link %s: port %u (%s) <-> port %u (%s)\n", pl->name, a->info.port,
			a->info.name, b->info.port, b->info.name);
	}
	fprintf(app->out, "path %s: %.1f km in %u spans, one-way delay %.3f ms\n", path->name,
		lb_link_path_length_km(path), path->span_count, one_way_delay_ms(path));
	fprintf(app->out, "%-4s %-11s %-12s %-3s %-17s %-11s %6s %s\n", "PORT", "NAME", "STATE", "APP",
		"LINE MODE", "FREQ GHz", "TX dBm", "TUNING");
	for (unsigned i = 0; i < n; i++)
		print_end(app, &ends[i]);
	for (unsigned i = 0; i < n; i++) {
		if (ends[i].open_status)
			continue;
		fprintf(app->out, "\n");
		print_direction(app, &dirs[i]);
	}
}

/* ---- the command ---- */

int lbctl_cmd_link(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "path", "FILE", 0 }, { "mode", "ID", 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	const char *path_arg = cl.value[0], *mode_arg = cl.value[1];
	struct lb_platform *p;
	if ((ex = lbctl_platform(app, &p)))
		return ex;
	struct end ends[2];
	memset(ends, 0, sizeof(ends));
	ends[0].info = (struct lb_port_info)LB_PORT_INFO_INIT;
	ends[1].info = (struct lb_port_info)LB_PORT_INFO_INIT;
	if (lbctl_find_port(p, cl.pos[0], &ends[0].info)) {
		lbctl_no_such_port(app, p, cl.pos[0]);
		return lbctl_fail(app, LB_E_NOTFOUND, "link");
	}
	struct lb_platform_link pl = LB_PLATFORM_LINK_INIT;
	bool linked = lb_platform_port_link(p, ends[0].info.port, &pl) == LB_OK;
	if (!linked && !path_arg)
		return lbctl_usage_error(app, "link: port %u is on no link of platform %s: give --path FILE",
					 ends[0].info.port, lb_platform_name(p));
	unsigned n = 1;
	if (linked) {
		unsigned far = pl.port_a == ends[0].info.port ? pl.port_b : pl.port_a;
		if (lb_platform_port(p, far, &ends[1].info))
			return lbctl_fail(app, LB_E_NOTFOUND, "link: far end port %u", far);
		n = 2;
	}
	/* the path, the modes */
	char file[4096], err[1024];
	lbctl_link_path_file(app, path_arg ? path_arg : pl.path, file, sizeof(file));
	struct lb_link_path path;
	int rc = lb_link_path_load(file, &path, err, sizeof(err));
	if (rc) {
		lbctl_fail(app, rc, "link: %s", err);
		return LBCTL_EXIT_INPUT;
	}
	char modes_file[4096];
	snprintf(modes_file, sizeof(modes_file), "%s/link/modes.json", data_dir(app));
	struct lb_line_modes modes;
	if ((rc = lb_line_modes_load(modes_file, &modes, err, sizeof(err)))) {
		lbctl_fail(app, rc, "link: %s", err);
		return LBCTL_EXIT_INPUT;
	}
	if (mode_arg && !lb_line_modes_find(&modes, mode_arg)) {
		lb_line_modes_free(&modes);
		return lbctl_usage_error(app, "link: --mode %s is not a line mode (lbctl plan link --all-modes)",
					 mode_arg);
	}
	for (unsigned i = 0; i < n; i++)
		read_end(app, p, linked ? &pl : NULL, &modes, mode_arg, &ends[i]);
	if (ends[0].open_status) {
		lb_line_modes_free(&modes);
		ex = lbctl_fail(app, ends[0].open_status, "link: port %u", ends[0].info.port);
		return ends[0].open_status == LB_E_NODEV ? LBCTL_EXIT_NODEV : ex;
	}
	struct direction dirs[2];
	memset(dirs, 0, sizeof(dirs));
	for (unsigned i = 0; i < n; i++) {
		dirs[i].rx = &ends[i];
		dirs[i].tx = n == 2 && !ends[i ^ 1u].open_status ? &ends[i ^ 1u] : NULL;
		plan_direction(&path, &dirs[i]);
	}
	if (cl.json) {
		json_t *o = json_pack("{s:i, s:s, s:o, s:o, s:[], s:[]}", "port", (int)ends[0].info.port,
				      "name", ends[0].info.name ? ends[0].info.name : "", "link",
				      linked ? json_string(pl.name) : json_null(), "path",
				      path_json(&path, file), "ends", "receive");
		json_t *ja = o ? json_object_get(o, "ends") : NULL, *jr = o ? json_object_get(o, "receive") : NULL;
		for (unsigned i = 0; ja && jr && i < n; i++) {
			json_array_append_new(ja, end_json(&ends[i]));
			if (!ends[i].open_status)
				json_array_append_new(jr, direction_json(&dirs[i]));
		}
		lb_line_modes_free(&modes);
		return lbctl_json_emit(app, o);
	}
	print_text(app, linked ? &pl : NULL, &path, ends, n, dirs);
	lb_line_modes_free(&modes);
	return LBCTL_EXIT_OK;
}
