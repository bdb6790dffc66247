/* SPDX-License-Identifier: MIT */
/*
 * lbctl up PORTS [APPSEL] [--lanes MASK] [--speed SPEED]: bring lanes up on an application
 * (high power, deinit, apply, init, Tx on) and print the module time it took and the lanes it
 * brought up.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl up PORTS [APPSEL] [--lanes MASK] [--speed SPEED] [--json]\n\n"
		"Bring the host lanes in MASK (bit i = lane i+1; default: every lane of the\n"
		"application) up on application APPSEL: high power, DPDeinit, stage and\n"
		"ApplyDPInit, DPInit, Tx on, until every lane is DPActivated. Without APPSEL,\n"
		"--speed chooses it as a NOS does: the first application whose host interface\n"
		"runs SPEED (400G, 100G, 1.6T; Gb/s without a unit) over the lanes of MASK (any\n"
		"lane count without --lanes); without either, the first application that fits.\n"
		"A data path that shares a lane with MASK is taken down whole and its other lanes\n"
		"are released (left DPDeactivated), so no half of it runs on.\n"
		"The whole sequence is bounded by a deadline built from the durations the module\n"
		"advertises. Prints the time it took on the module's clock (virtual on the\n"
		"emulator), that deadline, and the lanes brought up. A rejection names the\n"
		"ConfigStatus code.\n\n"
		"PORTS is a port (number or name), a list (1,3,5), a range (1-4) or 'all':\n"
		"several ports come up concurrently (one thread per bus), with their progress on\n"
		"stderr (a live line on a terminal, a line per step otherwise) and one result\n"
		"line (or JSON object) per port.\n");
	return LBCTL_EXIT_OK;
}

/* "400G", "400g", "400", "1.6T", "1600G": Gb/s; false for anything else. */
static bool parse_speed(const char *s, unsigned *gbps)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0.0)
		return false;
	double scale = 1.0;
	if (*end == 'G' || *end == 'g')
		end++;
	else if (*end == 'T' || *end == 't')
		end++, scale = 1000.0;
	double g = v * scale;
	if (*end || g > 100000.0 || g != (double)(unsigned)g)
		return false;
	*gbps = (unsigned)g;
	return *gbps > 0;
}

/* "1-8,13" from a lane mask. */
static void format_lanes(uint32_t mask, char *out, size_t len)
{
	size_t used = 0;
	out[0] = 0;
	for (unsigned i = 0; i < 32 && used < len;) {
		if (!((mask >> i) & 1u)) {
			i++;
			continue;
		}
		unsigned e = i;
		while (e + 1 < 32 && ((mask >> (e + 1)) & 1u))
			e++;
		int n = e > i ? snprintf(out + used, len - used, "%s%u-%u", used ? "," : "", i + 1, e + 1)
			      : snprintf(out + used, len - used, "%s%u", used ? "," : "", i + 1);
		if (n < 0)
			break;
		used += (size_t)n;
		i = e + 1;
	}
	if (!out[0])
		snprintf(out, len, "none");
}

/*
 * The application the port was brought up on: the one asked for (APPSEL or --speed); else,
 * with lanes, the one its lowest lane runs now; else the first advertised (what the library
 * takes for appsel 0 without lanes).
 */
static uint8_t brought_up_app(struct lb_module *m, const struct lb_lane_status *ls, uint8_t asked,
			      uint32_t mask)
{
	if (asked)
		return asked;
	if (mask)
		return ls->active_appsel[__builtin_ctz(mask)];
	struct lb_app_list apps;
	return lb_module_get_apps(m, &apps) == LB_OK && apps.count ? apps.app[0].appsel : 0;
}

/* One port's result, as a line or a JSON object; returns an exit code. */
static int report_port(struct lbctl *app, bool json, const struct lb_port_bringup *r)
{
	unsigned port = r->port;
	uint32_t mask = r->lane_mask;
	const struct lb_bringup_report *rep = &r->report;
	int rc = r->status;
	if (rc == LB_E_REJECTED || (rc == LB_E_INVAL && rep->reject_code))
		return lbctl_fail(app, LB_E_REJECTED, "up: port %u: %s (0x%X)%s", port,
				  lb_config_status_name(rep->reject_code), (unsigned)rep->reject_code,
				  rc == LB_E_INVAL ? ", refused before any write" : "");
	if (rc == LB_E_NODEV || rc == LB_E_NOTFOUND)
		return lbctl_fail(app, rc, "up: port %u", port);
	if (rc)
		return lbctl_fail(app, rc, "up: port %u (after %.3f ms of %.3f ms allowed)", port,
				  (double)rep->elapsed_ns / 1e6, (double)rep->deadline_ns / 1e6);
	struct lb_module *m;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if ((rc = lb_platform_module(app->platform, port, &m)) ||
	    (rc = lb_module_get_lane_status(m, &ls)))
		return lbctl_fail(app, rc, "up: port %u: lane status", port);
	/*
	 * Exactly the lanes this bring-up brought up: those it asked for (all of the application's
	 * without a mask) now DPActivated on its application; other data paths still running on
	 * other lanes are not its doing.
	 */
	uint8_t active = brought_up_app(m, &ls, r->appsel, mask);
	uint32_t up = 0;
	for (unsigned i = 0; i < ls.lanes && i < 32; i++)
		if (ls.dp_state[i] == LB_DP_STATE_ACTIVATED && ls.active_appsel[i] == active &&
		    (!mask || ((mask >> i) & 1u)))
			up |= 1u << i;
	char lanes[96];
	format_lanes(up, lanes, sizeof(lanes));
	if (json) {
		json_t *list = json_array();
		for (unsigned i = 0; i < ls.lanes; i++)
			if ((up >> i) & 1u)
				json_array_append_new(list, json_integer((json_int_t)i + 1));
		json_t *o = json_pack("{s:i, s:i, s:f, s:f, s:o}", "port", (int)port, "appsel", (int)active,
				      "elapsed_ms", (double)rep->elapsed_ns / 1e6, "deadline_ms",
				      (double)rep->deadline_ns / 1e6, "lanes_activated", list);
		return lbctl_json_emit(app, o);
	}
	/* the time on the module's clock: virtual on the emulator (fits 80 columns with 16 lanes) */
	fprintf(app->out, "port %u: AppSel %u, lanes %s DPActivated in %.3f ms (deadline %.0f ms)\n",
		port, active, lanes, (double)rep->elapsed_ns / 1e6, (double)rep->deadline_ns / 1e6);
	return LBCTL_EXIT_OK;
}

/* --speed: each port's application from its module (lb_module_find_app); an exit code. */
static int choose_apps(struct lbctl *app, struct lb_port_bringup *req, unsigned n, unsigned gbps,
		       const char *speed)
{
	for (unsigned i = 0; i < n; i++) {
		struct lb_module *m;
		int rc = lb_platform_module(app->platform, req[i].port, &m);
		if (rc)
			return lbctl_fail(app, rc, "up: port %u", req[i].port);
		if ((rc = lb_module_find_app(m, gbps, req[i].lane_mask, &req[i].appsel))) {
			const char *why = lb_module_last_error(m);
			int ex = lbctl_fail(app, rc, "up: port %u: --speed %s%s%s", req[i].port, speed,
					    why[0] ? ": " : "", why);
			/* No such application: the module does not offer it (exit 6), not "no module". */
			return rc == LB_E_NOTFOUND ? LBCTL_EXIT_REFUSED : ex;
		}
	}
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_up(struct lbctl *app, int argc, char **argv)
{
	enum { OPT_LANES, OPT_SPEED };
	static const struct lbctl_opt opts[] = {
		[OPT_LANES] = { "lanes", "MASK", 0 },
		[OPT_SPEED] = { "speed", "SPEED", 0 },
		{ NULL, NULL, 0 },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 2, "PORTS [APPSEL]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	unsigned long appsel = 0, mask = 0;
	unsigned gbps = 0;
	const char *lanes = cl.value[OPT_LANES], *speed = cl.value[OPT_SPEED];
	if (cl.pos[1] && (!lbctl_parse_uint(cl.pos[1], 10, 15, &appsel) || appsel == 0))
		return lbctl_usage_error(app, "up: AppSel must be 1-15, not '%s'", cl.pos[1]);
	if (lanes && (!lbctl_parse_uint(lanes, 0, 0xFFFFFFFFul, &mask) || !mask))
		return lbctl_usage_error(app, "up: '%s' is not a lane mask (e.g. 0xff)", lanes);
	if (speed && !parse_speed(speed, &gbps))
		return lbctl_usage_error(app, "up: '%s' is not a speed (e.g. 400G, 1.6T)", speed);
	if (speed && appsel)
		return lbctl_usage_error(app, "up: APPSEL and --speed both choose the application: give one");
	unsigned *ports, n;
	if ((ex = lbctl_parse_ports(app, argv[0], cl.pos[0], &ports, &n)))
		return ex;
	struct lb_port_bringup *req = calloc(n ? n : 1, sizeof(*req));
	struct lbctl_progress pg;
	if (!req || lbctl_progress_init(&pg, app, ports, n)) {
		free(req);
		free(ports);
		return lbctl_fail(app, LB_E_NOMEM, "up");
	}
	for (unsigned i = 0; i < n; i++)
		req[i] = (struct lb_port_bringup){ .port = ports[i], .lane_mask = (uint32_t)mask,
						   .appsel = (uint8_t)appsel };
	int worst = speed ? choose_apps(app, req, n, gbps, speed) : LBCTL_EXIT_OK;
	if (worst == LBCTL_EXIT_OK) {
		/* One port: no progress lines (its result says it all); several: progress on stderr. */
		lb_platform_bring_up(app->platform, req, n, NULL, n > 1 ? lbctl_progress_cb : NULL, &pg);
		lbctl_progress_end(&pg);
		for (unsigned i = 0; i < n; i++) {
			int e = report_port(app, cl.json, &req[i]);
			if (e && !worst)
				worst = e;
		}
	} else {
		lbctl_progress_end(&pg);
	}
	free(req);
	free(ports);
	return worst;
}
