/* SPDX-License-Identifier: MIT */
/*
 * lbctl qos PORT ecn|wred|pfcwd: congestion control of a front-panel port's ASIC port on the
 * public API (lightbridge/congestion.h): ECN marking and WRED per queue, the PFC watchdog per
 * traffic class, shown with their counters or set (whole or refused).
 */
#include <stdlib.h>
#include <string.h>
#include "asic_port.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl qos PORT ecn|wred [Q [--min B] [--max B] [--prob P]\n"
		"                               [--colors LIST] [--off]] [--clear]\n"
		"       lbctl qos PORT pfcwd [TC [--action A] [--detect MS] [--restore MS]]\n"
		"                            [--clear]\n"
		"(each with --json)\n"
		"\n"
		"Congestion control of the ASIC port of PORT (a front-panel port).\n"
		"  ecn, wred  a queue's ECN marking or WRED dropping (one object, SAI's WRED\n"
		"             profile): from --min to --max bytes of queue depth packets are hit\n"
		"             with a probability rising to --prob %% (default 100), at --max and\n"
		"             above all; ECN-capable ones are marked when ECN is on, the rest\n"
		"             dropped when WRED is on. Q given: 'ecn' turns marking on, 'wred'\n"
		"             dropping, for the colours of LIST (green,yellow,red; default all);\n"
		"             --off turns it off. Sizes in bytes or 64K, 12M.\n"
		"  pfcwd      a traffic class's PFC watchdog: a queue held by received PFC for\n"
		"             --detect ms (10..5000, default 200) is stormed and the action\n"
		"             taken (drop, forward, alarm; off), restored after --restore ms\n"
		"             (10..60000, default 200) without PFC. The chip polls every 10 ms.\n"
		"Counters (marked, dropped, storms) are read; --clear clears them after.\n"
		"The emulated ASIC keeps the settings and the counters between runs.\n");
	return LBCTL_EXIT_OK;
}

static const char *const color_names[LB_COLORS] = { "green", "yellow", "red" };

/* ---- ecn / wred ---- */

enum { E_MIN, E_MAX, E_PROB, E_COLORS, E_OFF, E_CLEAR };
static const struct lbctl_opt ecn_opts[] = {
	{ "min", "BYTES", 0 }, { "max", "BYTES", 0 }, { "prob", "P", 0 }, { "colors", "LIST", 0 },
	{ "off", NULL, 0 },    { "clear", NULL, 0 },  { NULL, NULL, 0 },
};

static bool parse_colors(const char *s, uint32_t *mask)
{
	*mask = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned k = 0;
		while (k < LB_COLORS && (strlen(color_names[k]) != len || strncmp(s, color_names[k], len)))
			k++;
		if (k == LB_COLORS || (*mask & LB_COLOR_BIT(k)))
			return false;
		*mask |= LB_COLOR_BIT(k);
		s += len;
		if (*s == ',' && !*++s)
			return false;
	}
	return *mask != 0;
}

static const char *mode_name(const struct lb_queue_ecn_config *c)
{
	if (!c->colors || (!c->ecn_enable && !c->wred_enable))
		return "off";
	return c->ecn_enable && c->wred_enable ? "ecn+wred" : c->ecn_enable ? "ecn" : "wred";
}

static json_t *queue_json(uint32_t q, const struct lb_queue_ecn_config *c, const struct lb_queue_ecn_counters *k)
{
	json_t *colors = json_array(), *drops = json_object(), *drop_bytes = json_object();
	for (unsigned i = 0; colors && drops && drop_bytes && i < LB_COLORS; i++) {
		json_object_set_new(drops, color_names[i], json_integer((json_int_t)k->wred_dropped_packets[i]));
		json_object_set_new(drop_bytes, color_names[i], json_integer((json_int_t)k->wred_dropped_bytes[i]));
		if (c->colors & LB_COLOR_BIT(i))
			json_array_append_new(colors, json_pack("{s:s, s:I, s:I, s:I}", "color", color_names[i], "min_bytes",
								(json_int_t)c->color[i].min_bytes, "max_bytes",
								(json_int_t)c->color[i].max_bytes, "probability_pct",
								(json_int_t)c->color[i].probability_pct));
	}
	return json_pack("{s:I, s:b, s:b, s:o, s:I, s:I, s:o, s:o}", "queue", (json_int_t)q, "ecn", c->ecn_enable != 0,
			 "wred", c->wred_enable != 0, "colors", colors, "ecn_marked_packets",
			 (json_int_t)k->ecn_marked_packets, "ecn_marked_bytes", (json_int_t)k->ecn_marked_bytes,
			 "wred_dropped_packets", drops, "wred_dropped_bytes", drop_bytes);
}

static int show_ecn(struct lbctl *app, const struct lbctl_asic_port *ap, bool json, bool clear)
{
	struct lb_queue_ecn_config c[8];
	struct lb_queue_ecn_counters k[8];
	for (uint32_t q = 0; q < 8; q++) {
		c[q] = (struct lb_queue_ecn_config)LB_QUEUE_ECN_CONFIG_INIT;
		k[q] = (struct lb_queue_ecn_counters)LB_QUEUE_ECN_COUNTERS_INIT;
		int rc = lb_queue_ecn_get(ap->sw, ap->asic_port, q, &c[q]);
		if (!rc)
			rc = lb_queue_ecn_counters(ap->sw, ap->asic_port, q, &k[q], clear);
		if (rc)
			return lbctl_fail(app, rc, "qos ecn");
	}
	const char *name = ap->info.name ? ap->info.name : "";
	if (json) {
		json_t *qs = json_array();
		for (uint32_t q = 0; qs && q < 8; q++)
			json_array_append_new(qs, queue_json(q, &c[q], &k[q]));
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I, s:b, s:o}", "port", (json_int_t)ap->info.port, "name",
						      name, "asic_port", (json_int_t)ap->asic_port, "cleared", clear,
						      "queues", qs));
	}
	fprintf(app->out, "port %u (%s): ASIC port %u; ECN/WRED per queue%s\n", ap->info.port, name, ap->asic_port,
		clear ? " (counters cleared after this read)" : "");
	fprintf(app->out, "%-2s %-9s %-7s %11s %11s %6s %12s %12s\n", "q", "mode", "colour", "min B", "max B", "prob %",
		"marked pkts", "dropped pkts");
	for (uint32_t q = 0; q < 8; q++) {
		unsigned long long dropped = 0;
		for (unsigned i = 0; i < LB_COLORS; i++)
			dropped += k[q].wred_dropped_packets[i];
		bool first = true;
		for (unsigned i = 0; i < LB_COLORS; i++) {
			if (!(c[q].colors & LB_COLOR_BIT(i)))
				continue;
			const struct lb_wred_color *w = &c[q].color[i];
			if (first)
				fprintf(app->out, "%-2u %-9s %-7s %11llu %11llu %6u %12llu %12llu\n", q, mode_name(&c[q]),
					color_names[i], (unsigned long long)w->min_bytes, (unsigned long long)w->max_bytes,
					w->probability_pct, (unsigned long long)k[q].ecn_marked_packets, dropped);
			else
				fprintf(app->out, "%-2s %-9s %-7s %11llu %11llu %6u\n", "", "", color_names[i],
					(unsigned long long)w->min_bytes, (unsigned long long)w->max_bytes,
					w->probability_pct);
			first = false;
		}
		if (first)
			fprintf(app->out, "%-2u %-9s %-7s %11s %11s %6s %12llu %12llu\n", q, "off", "-", "-", "-", "-",
				(unsigned long long)k[q].ecn_marked_packets, dropped);
	}
	return LBCTL_EXIT_OK;
}

static int cmd_ecn(struct lbctl *app, const char *port, int argc, char **argv, bool wred)
{
	const char *what = wred ? "qos wred" : "qos ecn";
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, ecn_opts, 0, 1, "[Q]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	bool set = cl.given[E_MIN] || cl.given[E_MAX] || cl.given[E_PROB] || cl.given[E_COLORS] || cl.given[E_OFF];
	unsigned long q = 0, prob = 100;
	uint64_t min = 0, max = 0;
	uint32_t colors = LB_COLOR_ALL;
	if (cl.npos == 1 && !lbctl_parse_uint(cl.pos[0], 10, 7, &q))
		return lbctl_usage_error(app, "%s: queue %s: 0 to 7", what, cl.pos[0]);
	if (set != (cl.npos == 1))
		return lbctl_usage_error(app, "%s: %s", what, set ? "which queue? (PORT ecn Q)" : "nothing to set (--min, --max)");
	if (cl.given[E_OFF] && (cl.given[E_MIN] || cl.given[E_MAX] || cl.given[E_PROB] || cl.given[E_COLORS]))
		return lbctl_usage_error(app, "%s: --off takes no thresholds", what);
	if (cl.given[E_MIN] && !lbctl_parse_bytes(cl.value[E_MIN], &min))
		return lbctl_usage_error(app, "%s: --min %s: bytes (64K, 12M)", what, cl.value[E_MIN]);
	if (cl.given[E_MAX] && !lbctl_parse_bytes(cl.value[E_MAX], &max))
		return lbctl_usage_error(app, "%s: --max %s: bytes (64K, 12M)", what, cl.value[E_MAX]);
	if (cl.given[E_PROB] && !lbctl_parse_uint(cl.value[E_PROB], 10, 100, &prob))
		return lbctl_usage_error(app, "%s: --prob %s: 0 to 100", what, cl.value[E_PROB]);
	if (cl.given[E_COLORS] && !parse_colors(cl.value[E_COLORS], &colors))
		return lbctl_usage_error(app, "%s: --colors %s: green, yellow, red, comma separated", what,
					 cl.value[E_COLORS]);
	struct lbctl_asic_port ap;
	if ((ex = lbctl_asic_port(app, what, port, &ap)))
		return ex;
	if (set) {
		struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
		int rc = lb_queue_ecn_get(ap.sw, ap.asic_port, (uint32_t)q, &c);
		if (rc)
			return lbctl_fail(app, rc, "%s", what);
		if (cl.given[E_OFF]) {
			*(wred ? &c.wred_enable : &c.ecn_enable) = 0;
		} else {
			*(wred ? &c.wred_enable : &c.ecn_enable) = 1;
			for (unsigned i = 0; i < LB_COLORS; i++) {
				if (!(colors & LB_COLOR_BIT(i)))
					continue;
				struct lb_wred_color *w = &c.color[i];
				if (!(c.colors & LB_COLOR_BIT(i)))
					w->probability_pct = 100; /* a colour newly on */
				if (cl.given[E_MIN])
					w->min_bytes = min;
				if (cl.given[E_MAX])
					w->max_bytes = max;
				if (cl.given[E_PROB])
					w->probability_pct = (uint32_t)prob;
			}
			c.colors |= colors;
		}
		if (!c.ecn_enable && !c.wred_enable)
			c = (struct lb_queue_ecn_config)LB_QUEUE_ECN_CONFIG_INIT; /* both off: all off */
		if ((rc = lb_queue_ecn_set(ap.sw, ap.asic_port, (uint32_t)q, &c)))
			return lbctl_fail(app, rc, "%s", what);
	}
	return show_ecn(app, &ap, cl.json, cl.given[E_CLEAR]);
}

/* ---- pfcwd ---- */

enum { W_ACTION, W_DETECT, W_RESTORE, W_CLEAR };
static const struct lbctl_opt wd_opts[] = {
	{ "action", "A", 0 }, { "detect", "MS", 0 }, { "restore", "MS", 0 }, { "clear", NULL, 0 }, { NULL, NULL, 0 },
};

static int show_pfcwd(struct lbctl *app, const struct lbctl_asic_port *ap, bool json, bool clear)
{
	struct lb_pfcwd_config c[8];
	struct lb_pfcwd_status st[8];
	for (uint32_t tc = 0; tc < 8; tc++) {
		c[tc] = (struct lb_pfcwd_config)LB_PFCWD_CONFIG_INIT;
		st[tc] = (struct lb_pfcwd_status)LB_PFCWD_STATUS_INIT;
		int rc = lb_pfcwd_get(ap->sw, ap->asic_port, tc, &c[tc]);
		if (!rc)
			rc = lb_pfcwd_status(ap->sw, ap->asic_port, tc, &st[tc], clear);
		if (rc)
			return lbctl_fail(app, rc, "qos pfcwd");
	}
	const char *name = ap->info.name ? ap->info.name : "";
	if (json) {
		json_t *tcs = json_array();
		for (uint32_t tc = 0; tcs && tc < 8; tc++)
			json_array_append_new(
				tcs, json_pack("{s:I, s:s, s:I, s:I, s:s, s:I, s:I, s:I, s:I, s:I}", "tc", (json_int_t)tc,
					       "action", lb_pfcwd_action_name(c[tc].action), "detection_ms",
					       (json_int_t)c[tc].detection_ms, "restoration_ms",
					       (json_int_t)c[tc].restoration_ms, "state",
					       st[tc].stormed ? "stormed" : "operational", "storms_detected",
					       (json_int_t)st[tc].storms_detected, "storms_restored",
					       (json_int_t)st[tc].storms_restored, "storm_ms", (json_int_t)st[tc].storm_ms,
					       "tx_dropped_packets", (json_int_t)st[tc].tx_dropped_packets,
					       "rx_dropped_packets", (json_int_t)st[tc].rx_dropped_packets));
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I, s:I, s:b, s:o}", "port", (json_int_t)ap->info.port,
						      "name", name, "asic_port", (json_int_t)ap->asic_port, "poll_ms",
						      (json_int_t)LB_PFCWD_POLL_MS, "cleared", clear, "tcs", tcs));
	}
	fprintf(app->out, "port %u (%s): ASIC port %u; PFC watchdog per TC (poll %u ms)%s\n", ap->info.port, name,
		ap->asic_port, LB_PFCWD_POLL_MS, clear ? " (counters cleared)" : "");
	fprintf(app->out, "%-2s %-7s %6s %6s %-11s %6s %8s %8s %8s %8s\n", "tc", "action", "det ms", "res ms", "state",
		"storms", "restored", "storm ms", "tx drop", "rx drop");
	for (uint32_t tc = 0; tc < 8; tc++)
		fprintf(app->out, "%-2u %-7s %6u %6u %-11s %6llu %8llu %8llu %8llu %8llu\n", tc,
			lb_pfcwd_action_name(c[tc].action), c[tc].detection_ms, c[tc].restoration_ms,
			st[tc].stormed ? "stormed" : "operational", (unsigned long long)st[tc].storms_detected,
			(unsigned long long)st[tc].storms_restored, (unsigned long long)st[tc].storm_ms,
			(unsigned long long)st[tc].tx_dropped_packets, (unsigned long long)st[tc].rx_dropped_packets);
	return LBCTL_EXIT_OK;
}

static bool parse_action(const char *s, enum lb_pfcwd_action *a)
{
	for (int i = LB_PFCWD_OFF; i <= LB_PFCWD_ALARM; i++)
		if (strcmp(s, lb_pfcwd_action_name((enum lb_pfcwd_action)i)) == 0) {
			*a = (enum lb_pfcwd_action)i;
			return true;
		}
	return false;
}

static int cmd_pfcwd(struct lbctl *app, const char *port, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, wd_opts, 0, 1, "[TC]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	bool set = cl.given[W_ACTION] || cl.given[W_DETECT] || cl.given[W_RESTORE];
	unsigned long tc = 0, det = 0, res = 0;
	enum lb_pfcwd_action action = LB_PFCWD_OFF;
	if (cl.npos == 1 && !lbctl_parse_uint(cl.pos[0], 10, 7, &tc))
		return lbctl_usage_error(app, "qos pfcwd: traffic class %s: 0 to 7", cl.pos[0]);
	if (set != (cl.npos == 1))
		return lbctl_usage_error(app, "qos pfcwd: %s", set ? "which traffic class? (PORT pfcwd TC)"
								   : "nothing to set (--action, --detect, --restore)");
	if (cl.given[W_ACTION] && !parse_action(cl.value[W_ACTION], &action))
		return lbctl_usage_error(app, "qos pfcwd: --action %s: drop, forward, alarm or off", cl.value[W_ACTION]);
	/* the ranges are the library's to check: a number here, the rule there */
	if (cl.given[W_DETECT] && !lbctl_parse_uint(cl.value[W_DETECT], 10, UINT32_MAX, &det))
		return lbctl_usage_error(app, "qos pfcwd: --detect %s: milliseconds", cl.value[W_DETECT]);
	if (cl.given[W_RESTORE] && !lbctl_parse_uint(cl.value[W_RESTORE], 10, UINT32_MAX, &res))
		return lbctl_usage_error(app, "qos pfcwd: --restore %s: milliseconds", cl.value[W_RESTORE]);
	struct lbctl_asic_port ap;
	if ((ex = lbctl_asic_port(app, "qos pfcwd", port, &ap)))
		return ex;
	if (set) {
		struct lb_pfcwd_config c = LB_PFCWD_CONFIG_INIT;
		int rc = lb_pfcwd_get(ap.sw, ap.asic_port, (uint32_t)tc, &c);
		if (rc)
			return lbctl_fail(app, rc, "qos pfcwd");
		if (cl.given[W_ACTION])
			c.action = action;
		else if (c.action == LB_PFCWD_OFF)
			return lbctl_usage_error(app, "qos pfcwd: the watchdog of TC %lu is off: --action drop, forward or "
						      "alarm", tc);
		if (!c.detection_ms)
			c.detection_ms = LB_PFCWD_DEFAULT_MS;
		if (!c.restoration_ms)
			c.restoration_ms = LB_PFCWD_DEFAULT_MS;
		if (cl.given[W_DETECT])
			c.detection_ms = (uint32_t)det;
		if (cl.given[W_RESTORE])
			c.restoration_ms = (uint32_t)res;
		if ((rc = lb_pfcwd_set(ap.sw, ap.asic_port, (uint32_t)tc, &c)))
			return lbctl_fail(app, rc, "qos pfcwd");
	}
	return show_pfcwd(app, &ap, cl.json, cl.given[W_CLEAR]);
}

int lbctl_cmd_qos(struct lbctl *app, int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		return usage(app);
	if (argc < 3)
		return lbctl_usage_error(app, "qos: PORT ecn, wred or pfcwd? (lbctl qos --help)");
	const char *port = argv[1];
	if (strcmp(argv[2], "ecn") == 0 || strcmp(argv[2], "wred") == 0)
		return cmd_ecn(app, port, argc - 2, argv + 2, argv[2][0] == 'w');
	if (strcmp(argv[2], "pfcwd") == 0)
		return cmd_pfcwd(app, port, argc - 2, argv + 2);
	return lbctl_usage_error(app, "qos: unknown '%s' (ecn, wred, pfcwd)", argv[2]);
}
