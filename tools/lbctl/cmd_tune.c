/* SPDX-License-Identifier: MIT */
/*
 * lbctl tune PORT --freq-ghz F | --grid G --channel N: tune a coherent module's laser and wait
 * for it, bounded by the module's tuning time (lb_laser_wait_tuned); lbctl txpower PORT DBM:
 * set its target output power (one write, no wait).
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int tune_usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl tune PORT (--freq-ghz F | --grid G --channel N) [--lane L]\n"
		"                  [--no-wait] [--json]\n"
		"\n"
		"Tune a coherent module's laser (page 12h). --freq-ghz F: the grid, channel and\n"
		"fine-tuning offset are chosen for the frequency in GHz (193400 is 193.4 THz).\n"
		"--grid G --channel N: channel N of the G GHz grid (3.125, 6.25, 12.5, 25, 50,\n"
		"100, 33, 75, 150 or 300). A frequency or channel the module does not advertise\n"
		"(page 04h) is refused, exit 4, and nothing is written. lbctl then waits until\n"
		"the laser is locked on it, bounded by the module's tuning time (stated by its\n"
		"extension, else a default of 30 s), unless --no-wait. --lane L: media lane L\n"
		"(default 1). Prints the frequency reached, the tuning state and the time taken.\n");
	return LBCTL_EXIT_OK;
}

static int txpower_usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl txpower PORT DBM [--lane L] [--json]\n"
		"\n"
		"Set the target output power of a coherent module's laser (12h:200, steps of\n"
		"0.01 dBm) in one write, with no sleep. A power outside the programmable range\n"
		"of page 04h is refused, exit 4, and nothing is written; a module whose power is\n"
		"not programmable refuses, exit 6. --lane L: media lane L (default 1).\n");
	return LBCTL_EXIT_OK;
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* The grid whose spacing is ghz ("75", "33", "3.125"), or -1. */
static int grid_of(double ghz)
{
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++) {
		double s = lb_laser_grid_spacing_ghz(g);
		if (fabs(s - ghz) < 1e-6 || (g == LB_LASER_GRID_33_GHZ && fabs(ghz - 33.0) < 1e-6))
			return g;
	}
	return -1;
}

static int parse_lane(struct lbctl *app, const char *cmd, const char *s, unsigned *lane)
{
	unsigned long v = 1;
	if (s && (!lbctl_parse_uint(s, 10, 32, &v) || v == 0))
		return lbctl_usage_error(app, "%s: --lane takes a media lane 1-32, not '%s'", cmd, s);
	*lane = (unsigned)v;
	return LBCTL_EXIT_OK;
}

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static void print_tuned(struct lbctl *app, const struct lb_port_info *info, unsigned lane,
			const struct lb_laser_status *s, bool waited, double ms, uint32_t bound_ms,
			bool stated)
{
	fprintf(app->out, "port %u laser %u: %.3f GHz (%s grid, channel %d", info->port, lane,
		s->current_ghz, lb_laser_grid_name(s->grid), s->channel);
	if (s->fine_tuning)
		fprintf(app->out, ", fine %+.3f GHz", s->fine_offset_ghz);
	fprintf(app->out, "), %s\n", lb_tuning_state_name((int)s->state));
	if (waited)
		fprintf(app->out, "  locked %.1f ms after the write (tuning time %u ms, %s)\n", ms,
			bound_ms, stated ? "stated by the module" : "default: CMIS states none");
	else
		fprintf(app->out, "  configured %.3f GHz; not waited (--no-wait)\n", s->configured_ghz);
}

int lbctl_cmd_tune(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = {
		{ "freq-ghz", "F", 0 }, { "grid", "G", 0 },	{ "channel", "N", 0 },
		{ "lane", "L", 0 },	{ "no-wait", NULL, 0 }, { NULL, NULL, 0 },
	};
	enum { O_FREQ, O_GRID, O_CHANNEL, O_LANE, O_NOWAIT };
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return tune_usage(app);
	if (ex)
		return ex;
	double ghz = NAN, grid_ghz = 0;
	int grid = -1;
	unsigned long ch_abs = 0;
	long channel = 0;
	if (cl.given[O_FREQ] == (cl.given[O_GRID] || cl.given[O_CHANNEL]))
		return lbctl_usage_error(app, "tune: give --freq-ghz F, or --grid G and --channel N");
	if (cl.given[O_FREQ] && !parse_double(cl.value[O_FREQ], &ghz))
		return lbctl_usage_error(app, "tune: --freq-ghz takes a number of GHz, not '%s'",
					 cl.value[O_FREQ]);
	if (!cl.given[O_FREQ]) {
		if (!cl.given[O_GRID] || !cl.given[O_CHANNEL])
			return lbctl_usage_error(app, "tune: --grid and --channel go together");
		if (!parse_double(cl.value[O_GRID], &grid_ghz) || (grid = grid_of(grid_ghz)) < 0)
			return lbctl_usage_error(app,
						 "tune: --grid takes 3.125, 6.25, 12.5, 25, 50, 100, 33, 75, 150 or 300 (GHz), not '%s'",
						 cl.value[O_GRID]);
		const char *c = cl.value[O_CHANNEL];
		bool neg = c[0] == '-';
		if (!lbctl_parse_uint(neg ? c + 1 : c, 10, 32768, &ch_abs) || (!neg && ch_abs > 32767))
			return lbctl_usage_error(app, "tune: --channel takes a channel number -32768..32767, not '%s'", c);
		channel = neg ? -(long)ch_abs : (long)ch_abs;
	}
	unsigned lane;
	if ((ex = parse_lane(app, "tune", cl.value[O_LANE], &lane)))
		return ex;

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	uint32_t bound_ms = 0;
	bool stated = false;
	int rc = lb_laser_tuning_time(m, &bound_ms, &stated);
	if (rc)
		return lbctl_fail(app, rc, "tune: port %u", info.port);
	rc = isnan(ghz) ? lb_laser_set_channel(m, lane, grid, (int)channel)
			: lb_laser_set_frequency(m, lane, ghz);
	if (rc)
		return lbctl_fail(app, rc, "tune: port %u laser %u", info.port, lane);
	uint64_t t0 = lb_bus_now_ns(lb_module_bus(m));
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	bool wait = !cl.given[O_NOWAIT];
	if (wait) {
		lbctl_waiting(app, info.port, "tune: waiting for the laser to lock");
		rc = lb_laser_wait_tuned(m, lane, &s);
		lbctl_waiting_done(app);
	} else {
		rc = lb_laser_get_status(m, lane, &s);
	}
	double ms = (double)(lb_bus_now_ns(lb_module_bus(m)) - t0) / 1e6;
	if (rc)
		return lbctl_fail(app, rc, "tune: port %u laser %u", info.port, lane);
	if (cl.json) {
		json_t *o = json_pack("{s:i, s:s, s:i, s:o, s:o, s:o, s:i, s:o, s:s, s:i, s:b, s:o, s:i, s:b}",
				      "port", (int)info.port, "name", info.name ? info.name : "",
				      "lane", (int)lane, "frequency_ghz", jnum(s.current_ghz),
				      "configured_frequency_ghz", jnum(s.configured_ghz), "grid_ghz",
				      jnum(lb_laser_grid_spacing_ghz(s.grid)), "channel", (int)s.channel,
				      "fine_offset_ghz", jnum(s.fine_tuning ? s.fine_offset_ghz : 0.0),
				      "tuning_state", lb_tuning_state_name((int)s.state), "tuning_flags",
				      (int)s.flags, "waited", wait, "elapsed_ms", wait ? json_real(ms) : json_null(),
				      "tuning_time_ms", (int)bound_ms, "tuning_time_stated", stated);
		return lbctl_json_emit(app, o);
	}
	print_tuned(app, &info, lane, &s, wait, ms, bound_ms, stated);
	return LBCTL_EXIT_OK;
}

/* A negative number ("-3.5"), which getopt would take for an option. */
static bool negative_number(const char *s)
{
	double v;
	return s[0] == '-' && (s[1] == '.' || (s[1] >= '0' && s[1] <= '9')) && parse_double(s, &v);
}

int lbctl_cmd_txpower(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "lane", "L", 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline cl;
	/* a negative DBM is a positional: moved behind "--" (the option values before it stay) */
	char *args[LBCTL_MAX_POS + 2 * LBCTL_MAX_OPTS + 8];
	int n = 0, nneg = 0;
	char *neg[LBCTL_MAX_POS];
	if (argc > (int)(sizeof(args) / sizeof(args[0])) - 2)
		return lbctl_usage_error(app, "txpower: too many arguments");
	bool dashdash = false;
	for (int i = 0; i < argc; i++) {
		bool value = i > 0 && strcmp(argv[i - 1], "--lane") == 0;
		dashdash = dashdash || strcmp(argv[i], "--") == 0;
		if (i > 0 && !value && !dashdash && negative_number(argv[i]) && nneg < LBCTL_MAX_POS)
			neg[nneg++] = argv[i];
		else
			args[n++] = argv[i];
	}
	if (nneg) {
		if (!dashdash)
			args[n++] = (char *)"--";
		for (int i = 0; i < nneg; i++)
			args[n++] = neg[i];
	}
	args[n] = NULL;
	argc = n;
	argv = args;
	int ex = lbctl_parse(app, argc, argv, opts, 2, 2, "PORT DBM", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return txpower_usage(app);
	if (ex)
		return ex;
	double dbm;
	if (!parse_double(cl.pos[1], &dbm))
		return lbctl_usage_error(app, "txpower: DBM is a number of dBm, not '%s'", cl.pos[1]);
	unsigned lane;
	if ((ex = parse_lane(app, "txpower", cl.value[0], &lane)))
		return ex;
	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	int rc = lb_laser_set_tx_power(m, lane, dbm);
	if (rc)
		return lbctl_fail(app, rc, "txpower: port %u laser %u", info.port, lane);
	struct lb_laser_status s = LB_LASER_STATUS_INIT;
	struct lb_laser_caps c = LB_LASER_CAPS_INIT;
	if ((rc = lb_laser_get_status(m, lane, &s)) || (rc = lb_laser_get_caps(m, &c)))
		return lbctl_fail(app, rc, "txpower: port %u laser %u: reading it back", info.port, lane);
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:i, s:s, s:i, s:f, s:f, s:f}", "port",
						      (int)info.port, "name", info.name ? info.name : "",
						      "lane", (int)lane, "tx_power_target_dbm",
						      s.tx_power_target_dbm, "tx_power_min_dbm",
						      c.tx_power_min_dbm, "tx_power_max_dbm",
						      c.tx_power_max_dbm));
	fprintf(app->out, "port %u laser %u: Tx power target %.2f dBm (range %.2f..%.2f dBm)\n",
		info.port, lane, s.tx_power_target_dbm, c.tx_power_min_dbm, c.tx_power_max_dbm);
	return LBCTL_EXIT_OK;
}
