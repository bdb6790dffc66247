/* SPDX-License-Identifier: MIT */
/*
 * lbctl app PORT APPSEL [--lanes MASK]: stage an application into staged control set 0, run
 * ApplyDPInit and print the ConfigStatus of every lane. A rejection names the code.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl app PORT APPSEL [--lanes MASK] [--json]\n"
		"\n"
		"Stage application APPSEL (1-15, see 'lbctl show') for the host lanes in MASK\n"
		"(bit i = lane i+1, e.g. 0x0f for lanes 1-4; default: every lane the application\n"
		"can occupy) and apply it (ApplyDPInit). Prints each lane's ConfigStatus. The\n"
		"module takes a new application only on deactivated lanes: 'lbctl up'\n"
		"deinitialises them first. A rejection names the ConfigStatus code and exits with\n"
		"1; an AppSel the module does not advertise, or lanes that do not make whole data\n"
		"paths of it, are refused before anything is written, with the code the module\n"
		"would give.\n");
	return LBCTL_EXIT_OK;
}

/* Every lane app can occupy, as the library's default lane choice counts them. */
static uint32_t app_lanes(const struct lb_app *a, unsigned lanes)
{
	uint32_t mask = 0;
	unsigned n = a->host_lanes;
	if (n < 1 || n > 8)
		return 0;
	for (unsigned b = 0; b * 8 < lanes && b < 4; b++) {
		uint32_t used = 0;
		for (unsigned first = 0; first + n <= 8; first++) {
			uint32_t dp = ((1u << n) - 1u) << first;
			if (((a->host_lane_options >> first) & 1u) && !(used & dp))
				used |= dp;
		}
		mask |= used << (8 * b);
	}
	return mask;
}

int lbctl_cmd_app(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "lanes", "MASK", 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline args;
	int ex0 = lbctl_parse(app, argc, argv, opts, 2, 2, "PORT APPSEL", &args);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	const char *lanes_arg = args.value[0];
	unsigned long port, appsel, mask = 0;
	if (!lbctl_parse_uint(args.pos[1], 10, 15, &appsel) || appsel == 0)
		return lbctl_usage_error(app, "app: AppSel must be 1-15, not '%s'", args.pos[1]);
	if (lanes_arg && (!lbctl_parse_uint(lanes_arg, 0, 0xFFFFFFFFul, &mask) || !mask))
		return lbctl_usage_error(app, "app: '%s' is not a lane mask (e.g. 0xff)", lanes_arg);

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], args.pos[0], &info, &m);
	if (ex)
		return ex;
	port = info.port;
	int rc;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if ((rc = lb_module_get_lane_status(m, &ls)))
		return lbctl_fail(app, rc, "app: port %lu: lane status", port);
	if (!lanes_arg) {
		struct lb_app_list apps;
		if ((rc = lb_module_get_apps(m, &apps)))
			return lbctl_fail(app, rc, "app: port %lu: applications", port);
		for (unsigned i = 0; i < apps.count; i++)
			if (apps.app[i].appsel == appsel)
				mask = app_lanes(&apps.app[i], ls.lanes);
		if (!mask)
			mask = ls.lanes >= 32 ? 0xFFFFFFFFul : (1ul << ls.lanes) - 1u; /* let it say why */
	}

	char hex[16];
	snprintf(hex, sizeof(hex), "0x%lx", mask);
	int code = 0;
	lbctl_waiting(app, (unsigned)port, "app: applying, waiting for the ConfigStatus");
	rc = lb_module_apply_app(m, (uint32_t)mask, (uint8_t)appsel, &code);
	lbctl_waiting_done(app);
	if (rc == LB_E_INVAL && code) {
		/* Refused from the advertisement alone: nothing was written, no lane to show. */
		if (args.json) {
			json_t *o = json_pack("{s:i, s:s, s:i, s:s, s:s, s:i, s:s, s:b}", "port", (int)port,
					      "name", info.name ? info.name : "", "appsel", (int)appsel,
					      "lane_mask", hex, "status", "rejected", "reject_code", code,
					      "reject_name", lb_config_status_name(code), "written", 0);
			lbctl_json_emit(app, o);
		}
		return lbctl_fail(app, LB_E_REJECTED, "app: port %lu: AppSel %lu on lanes %s: %s (0x%X), "
				  "refused before any write", port, appsel, hex,
				  lb_config_status_name(code), (unsigned)code);
	}
	if (rc && rc != LB_E_REJECTED)
		return lbctl_fail(app, rc, "app: port %lu: AppSel %lu on lanes %s", port, appsel, hex);
	int rc2 = lb_module_get_lane_status(m, &ls);
	if (rc2)
		return lbctl_fail(app, rc2, "app: port %lu: lane status", port);
	if (args.json) {
		json_t *lanes = json_array();
		for (unsigned i = 0; i < ls.lanes; i++) {
			if (!((mask >> i) & 1u))
				continue;
			json_array_append_new(lanes, json_pack("{s:i, s:i, s:s}", "lane", (int)i + 1,
							       "config_status_code", ls.config_status[i],
							       "config_status", lb_config_status_name(ls.config_status[i])));
		}
		json_t *o = json_pack("{s:i, s:s, s:i, s:s, s:s, s:o}", "port", (int)port, "name",
				      info.name ? info.name : "", "appsel", (int)appsel, "lane_mask", hex,
				      "status", rc ? "rejected" : "ok", "lanes", lanes);
		if (o && rc) {
			json_object_set_new(o, "reject_code", json_integer(code));
			json_object_set_new(o, "reject_name", json_string(lb_config_status_name(code)));
		}
		int jx = lbctl_json_emit(app, o);
		if (jx)
			return jx;
	} else {
		for (unsigned i = 0; i < ls.lanes; i++)
			if ((mask >> i) & 1u)
				fprintf(app->out, "port %lu lane %u: %s (0x%X)\n", port, i + 1,
					lb_config_status_name(ls.config_status[i]), ls.config_status[i]);
	}
	if (rc == LB_E_REJECTED)
		return lbctl_fail(app, rc, "app: port %lu: AppSel %lu on lanes %s: %s (0x%X)", port,
				  appsel, hex, lb_config_status_name(code), (unsigned)code);
	return LBCTL_EXIT_OK;
}
