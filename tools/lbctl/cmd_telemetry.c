/* SPDX-License-Identifier: MIT */
/*
 * lbctl telemetry PORT [--watch [--interval S] [--count N]]: one telemetry snapshot
 * (lb_telemetry_read: monitors, laser, VDM, coherent flags, PMs) as a table of every value
 * with its unit and alarm state, or JSON whose value names are the OpenConfig leaves. With
 * --watch, again and again: on a terminal the table redrawn in place, otherwise (or with
 * --json) one compact JSON object per line; the wait runs on the bus's clock, as lbctl watch.
 * The flags are telemetry's own (a flag consumer, flags.h).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lightbridge/coherent.h>
#include <lightbridge/flags.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl telemetry PORT [--watch [--interval S] [--count N]] [--json]\n"
		"\n"
		"Read everything the module in PORT reports, in one read plan: temperature and\n"
		"voltage, each media lane's Tx and Rx power and bias, the laser's frequency and\n"
		"target power, the VDM observables (OSNR, eSNR, pre-FEC BER, CD, DGD, ...), the\n"
		"coherent flags and the C-CMIS PMs (FEC counters, pre-FEC BER and link PMs over\n"
		"the current interval), each with its unit and alarm state: the flags latched\n"
		"since the last read (HA/LA high/low alarm, HW/LW high/low warning), read through\n"
		"a flag consumer of its own; '-' for a value without thresholds. --json names\n"
		"each value by its OpenConfig leaf (docs/coherent.md). --watch reads again every\n"
		"S seconds (default 1; 0.01 to 3600) on the bus's clock, as lbctl watch: a table\n"
		"redrawn in place on a terminal, else one JSON object a line; --count stops after\n"
		"N reads, Ctrl-C at once (exit 0).\n");
	return LBCTL_EXIT_OK;
}

static const char *const source_names[] = { "", "monitor", "laser", "vdm", "pm", "flag" };

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jalarm(const struct lb_telemetry_value *v)
{
	if (!v->has_alarm)
		return json_null();
	static const char *const w[4] = { "high_alarm", "low_alarm", "high_warning", "low_warning" };
	json_t *a = json_array();
	for (unsigned k = 0; k < 4; k++)
		if (v->flags & (1u << k))
			json_array_append_new(a, json_string(w[k]));
	return a;
}

static json_t *snapshot_json(const struct lb_port_info *info, const struct lb_telemetry *t,
			     unsigned n, double time_s)
{
	json_t *vals = json_array();
	for (unsigned i = 0; i < t->count; i++) {
		const struct lb_telemetry_value *v = &t->v[i];
		json_array_append_new(vals, json_pack("{s:s, s:s, s:o, s:s, s:o, s:s, s:o, s:f}",
						      "name", v->name, "label", v->label, "lane",
						      v->lane ? json_integer(v->lane) : json_null(),
						      "source", source_names[v->source < 6 ? v->source : 0],
						      "value", jnum(v->value), "unit", v->unit,
						      "alarm", jalarm(v), "time_s",
						      (double)v->t_ns / 1e9));
	}
	json_t *o = json_pack("{s:i, s:s, s:f, s:i, s:o}", "port", (int)info->port, "name",
			      info->name ? info->name : "", "time_s", time_s, "media_lanes",
			      (int)t->media_lanes, "values", vals);
	if (n)
		json_object_set_new(o, "read", json_integer(n));
	return o;
}

/*
 * A value in 12 columns: counts, flags and large whole numbers (a frequency in MHz) whole,
 * others in fixed point where it reads well, else scientific.
 */
static void fmt_value(double v, const char *unit, char *buf, size_t n)
{
	double a = fabs(v);
	bool whole = v == floor(v) && a < 1e11;
	if (isnan(v))
		snprintf(buf, n, "n/a");
	else if (whole && (!unit[0] || a >= 1e7))
		snprintf(buf, n, "%.0f", v);
	else if (a != 0 && (a < 0.01 || a >= 1e7))
		snprintf(buf, n, "%.3e", v);
	else
		snprintf(buf, n, "%.3f", v);
}

static void fmt_alarm(const struct lb_telemetry_value *v, char *buf, size_t n)
{
	static const char *const w[4] = { "HA", "LA", "HW", "LW" };
	size_t at = 0;
	buf[0] = '\0';
	if (!v->has_alarm) {
		snprintf(buf, n, "-");
		return;
	}
	for (unsigned k = 0; k < 4; k++)
		if (v->flags & (1u << k))
			at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? " " : "", w[k]);
	if (!at)
		snprintf(buf, n, "ok");
}

/* The table: 30 + 1 + 4 + 1 + 12 + 1 + 7 + 1 + alarm (at most 11) = 68 columns. */
static void draw(struct lbctl *app, const struct lb_port_info *info, const struct lb_telemetry *t,
		 unsigned n, double time_s, double interval_s, bool tty)
{
	char text[256], lbl[40], val[32], al[32];
	if (tty)
		fprintf(app->out, "\033[H\033[J"); /* home, erase below: redrawn in place */
	if (n)
		snprintf(text, sizeof(text), "Port %u (%s): read %u at %.1f s, every %g s%s, %u values",
			 info->port, info->name ? info->name : "-", n, time_s, interval_s,
			 tty ? "; Ctrl-C to stop" : "", t->count);
	else
		snprintf(text, sizeof(text), "Port %u (%s): %u values at %.3f s (bus clock)",
			 info->port, info->name ? info->name : "-", t->count, time_s);
	lbctl_wrap(app, 0, 2, text);
	fprintf(app->out, "%-30s %4s %12s %-7s %s\n", "Value", "Lane", "Value", "Unit", "Alarm");
	for (unsigned i = 0; i < t->count; i++) {
		const struct lb_telemetry_value *v = &t->v[i];
		fmt_value(v->value, v->unit, val, sizeof(val));
		fmt_alarm(v, al, sizeof(al));
		char lane[8] = "-";
		if (v->lane)
			snprintf(lane, sizeof(lane), "%u", v->lane);
		fprintf(app->out, "%-30s %4s %12s %-7s %s\n", lbctl_fit(v->label, 30, lbl, sizeof(lbl)),
			lane, val, v->unit[0] ? v->unit : "-", al);
	}
	fflush(app->out);
}

/* One round of --watch: a snapshot, then its table or its JSON line. */
struct telemetry_round {
	struct lbctl *app;
	const struct lb_port_info *info;
	struct lb_module *m;
	struct lb_flag_consumer *c;
	struct lb_telemetry *t;
	uint64_t interval_ns;
	bool tty;
};

static int telemetry_round(void *user, unsigned long n, uint64_t t0_ns)
{
	struct telemetry_round *w = user;
	int rc = lb_telemetry_read(w->m, w->c, w->t);
	if (rc)
		return lbctl_fail(w->app, rc, "telemetry: port %u", w->info->port);
	double time_s = (double)(w->t->t_ns - t0_ns) / 1e9;
	if (lbctl_repeat_stopping())
		return LBCTL_EXIT_OK;
	if (w->tty) {
		draw(w->app, w->info, w->t, (unsigned)n, time_s, (double)w->interval_ns / 1e9, true);
		return LBCTL_EXIT_OK;
	}
	w->app->json_compact = true; /* one object per line */
	return lbctl_json_emit(w->app, snapshot_json(w->info, w->t, (unsigned)n, time_s));
}

static int watch(struct lbctl *app, const struct lb_port_info *info, struct lb_module *m,
		 struct lb_flag_consumer *c, struct lb_telemetry *t, uint64_t interval_ns,
		 unsigned long count, bool json)
{
	struct telemetry_round w = { .app = app, .info = info, .m = m, .c = c, .t = t,
				     .interval_ns = interval_ns,
				     .tty = !json && isatty(fileno(app->out)) == 1 };
	struct lbctl_repeat r = { .app = app, .bus = lb_module_bus(m), .interval_ns = interval_ns,
				  .count = count, .tty = w.tty, .round = telemetry_round, .user = &w };
	return lbctl_repeat(&r);
}

int lbctl_cmd_telemetry(struct lbctl *app, int argc, char **argv)
{
	enum { O_WATCH, O_INTERVAL, O_COUNT };
	static const struct lbctl_opt opts[] = {
		[O_WATCH] = { "watch", NULL, 0 },
		[O_INTERVAL] = { "interval", "S", 0 },
		[O_COUNT] = { "count", "N", 0 },
		{ NULL, NULL, 0 },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	uint64_t interval_ns = 1000000000u;
	unsigned long count = 0;
	if ((cl.given[O_INTERVAL] || cl.given[O_COUNT]) && !cl.given[O_WATCH])
		return lbctl_usage_error(app, "telemetry: --%s goes with --watch",
					 cl.given[O_INTERVAL] ? "interval" : "count");
	if (cl.given[O_INTERVAL] && !lbctl_parse_interval(cl.value[O_INTERVAL], &interval_ns))
		return lbctl_usage_error(app, "telemetry: --interval takes seconds, 0.01 to 3600, not '%s'",
					 cl.value[O_INTERVAL]);
	if (cl.given[O_COUNT] && (!lbctl_parse_uint(cl.value[O_COUNT], 10, 1000000000ul, &count) ||
				  count == 0))
		return lbctl_usage_error(app, "telemetry: --count takes a number of reads, not '%s'",
					 cl.value[O_COUNT]);
	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	struct lb_flag_consumer *c;
	int rc = lb_flag_consumer_create(m, &c);
	if (rc)
		return lbctl_fail(app, rc, "telemetry: port %u: a flag consumer", info.port);
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	if (!t) {
		lb_flag_consumer_free(c);
		return lbctl_fail(app, LB_E_NOMEM, "telemetry");
	}
	t->size = sizeof(*t);
	if (cl.given[O_WATCH]) {
		ex = watch(app, &info, m, c, t, interval_ns, count, cl.json);
	} else if ((rc = lb_telemetry_read(m, c, t))) {
		ex = lbctl_fail(app, rc, "telemetry: port %u", info.port);
	} else if (cl.json) {
		ex = lbctl_json_emit(app, snapshot_json(&info, t, 0, (double)t->t_ns / 1e9));
	} else {
		draw(app, &info, t, 0, (double)t->t_ns / 1e9, 0, false);
	}
	free(t);
	lb_flag_consumer_free(c);
	return ex;
}
