/* SPDX-License-Identifier: MIT */
/*
 * lbctl up PORT [APPSEL] [--lanes MASK]: bring lanes up on an application (high power,
 * deinit, apply, init, Tx on) and print the module time it took and the lanes activated.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl up PORTS [APPSEL] [--lanes MASK] [--json]\n\n"
		"Bring the host lanes in MASK (bit i = lane i+1; default: every lane of the\n"
		"application) up on application APPSEL (default: the first one that fits): high\n"
		"power, DPDeinit, stage + ApplyDPInit, DPInit, Tx on, until every lane is\n"
		"DPActivated. The whole sequence is bounded by a deadline built from the durations\n"
		"the module advertises. Prints the time it took on the module's clock (virtual on the\n"
		"emulator), that deadline, and the lanes activated. A rejection names the\n"
		"ConfigStatus code.\n\n"
		"PORTS is a port (number or name), a list (1,3,5), a range (1-4) or 'all': several\n"
		"ports come up concurrently (one thread per bus), with their progress on stderr\n"
		"(a live line on a terminal, a line per step otherwise) and one result line (or\n"
		"JSON object) per port.\n");
	return LBCTL_EXIT_OK;
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

/* One port's result, as a line or a JSON object; returns an exit code. */
static int report_port(struct lbctl *app, bool json, const struct lb_port_bringup *r, uint32_t mask)
{
	unsigned port = r->port;
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
	uint32_t up = 0;
	uint8_t active = 0;
	for (unsigned i = 0; i < ls.lanes; i++) {
		if (ls.dp_state[i] != LB_DP_STATE_ACTIVATED)
			continue;
		up |= 1u << i;
		/* The application the requested lanes run (the first activated one in the mask). */
		if (!active && (!mask || ((mask >> i) & 1u)))
			active = ls.active_appsel[i];
	}
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
		char *text = json_dumps(o, JSON_COMPACT);
		fprintf(app->out, "%s\n", text);
		free(text);
		json_decref(o);
	} else {
		fprintf(app->out, "port %u: AppSel %u, lanes %s DPActivated after %.3f ms of module time "
				  "(deadline %.3f ms)\n",
			port, active, lanes, (double)rep->elapsed_ns / 1e6, (double)rep->deadline_ns / 1e6);
	}
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_up(struct lbctl *app, int argc, char **argv)
{
	if (lbctl_wants_help(argc, argv))
		return usage(app);
	struct lbctl_args args;
	int ex = lbctl_scan_args(app, argc, argv, "--lanes", 2, &args);
	if (ex)
		return ex;
	unsigned long appsel = 0, mask = 0;
	if (args.npos < 1)
		return lbctl_usage_error(app, "up: expected PORTS [APPSEL] (see lbctl up --help)");
	if (args.pos[1] && (!lbctl_parse_uint(args.pos[1], 10, 15, &appsel) || appsel == 0))
		return lbctl_usage_error(app, "up: AppSel must be 1-15, not '%s'", args.pos[1]);
	if (args.value && (!lbctl_parse_uint(args.value, 0, 0xFFFFFFFFul, &mask) || !mask))
		return lbctl_usage_error(app, "up: '%s' is not a lane mask (e.g. 0xff)", args.value);
	unsigned *ports, n;
	if ((ex = lbctl_parse_ports(app, argv[0], args.pos[0], &ports, &n)))
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
	/* One port: no progress lines (its result says it all); several: progress on stderr. */
	lb_platform_bring_up(app->platform, req, n, NULL, n > 1 ? lbctl_progress_cb : NULL, &pg);
	lbctl_progress_end(&pg);
	int worst = LBCTL_EXIT_OK;
	for (unsigned i = 0; i < n; i++) {
		int e = report_port(app, args.json, &req[i], (uint32_t)mask);
		if (e && !worst)
			worst = e;
	}
	free(req);
	free(ports);
	return worst;
}
