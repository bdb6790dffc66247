/* SPDX-License-Identifier: MIT */
/*
 * lbctl mode PORT list: the line modes a module offers (its coherent applications' and its
 * extension's), the one in force marked; lbctl mode PORT set ID [--lanes MASK]: put the lanes
 * on a mode, running the data-path sequence (lb_module_select_line_mode).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

#define MAX_MODES 32

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl mode PORT list [--json]\n"
		"       lbctl mode PORT set ID [--lanes MASK] [--json]\n"
		"\n"
		"list: the line modes the module offers: one per coherent application it\n"
		"advertises (400ZR, 800ZR, OpenZR+, ...), then the vendor modes its extension\n"
		"adds (PCS modes); the mode in force is marked with '*'. Ids name the modes of\n"
		"link/modes.json, which `lbctl plan link` evaluates.\n"
		"set: put the host lanes of MASK (default: every lane of the mode's application)\n"
		"on mode ID: a vendor mode is changed with the data path deactivated, then the\n"
		"application is brought up (stage, ApplyDPInit, DPInit, Tx on), every wait\n"
		"bounded by what the module advertises. A mode the module does not offer: exit 3;\n"
		"a vendor mode on a module without an extension that selects it: exit 6.\n");
	return LBCTL_EXIT_OK;
}

static json_t *jnum(double v)
{
	return v > 0.0 && isfinite(v) ? json_real(v) : json_null();
}

static json_t *mode_json(const struct lb_line_mode *x, bool in_force)
{
	json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:b}", "id",
			      x->id, "name", x->name, "format", lb_link_format_name(x->format),
			      "entropy_bits", x->format == LB_LINK_FORMAT_PCS ? jnum(x->entropy_bits) : json_null(),
			      "baud_gbd", jnum(x->baud_gbd), "net_rate_gbps", jnum(x->net_rate_gbps),
			      "fec", x->fec, "slot_ghz", jnum(x->slot_ghz), "reach_km", jnum(x->reach_km),
			      "module_power_w", jnum(x->module_power_w), "energy_pj_per_bit",
			      jnum(x->energy_pj_per_bit), "in_force", in_force);
	json_object_set_new(o, "appsel", x->appsel ? json_integer(x->appsel) : json_null());
	json_object_set_new(o, "vendor_code", x->vendor_code ? json_integer(x->vendor_code) : json_null());
	json_object_set_new(o, "explicit_control", json_boolean(x->explicit_control));
	return o;
}

static void mode_text(struct lbctl *app, const struct lb_line_mode *x, bool in_force)
{
	char fmt[24], reach[16], rate[16], app_s[8];
	if (x->format == LB_LINK_FORMAT_PCS)
		snprintf(fmt, sizeof(fmt), "PCS H%.2f", x->entropy_bits);
	else
		snprintf(fmt, sizeof(fmt), "%s", lb_link_format_name(x->format));
	snprintf(reach, sizeof(reach), x->reach_km > 0.0 ? "%.0f" : "-", x->reach_km);
	snprintf(rate, sizeof(rate), "%.0f", x->net_rate_gbps);
	snprintf(app_s, sizeof(app_s), x->appsel ? "%u" : "-", x->appsel);
	char idb[24];
	fprintf(app->out, "%c %-19s %-10s %5s %7.2f %-5s %6s %6.1f %-3s %s\n", in_force ? '*' : ' ',
		lbctl_fit(x->id, 19, idb, sizeof(idb)), fmt, rate, x->baud_gbd, x->fec, reach,
		x->energy_pj_per_bit, app_s, x->vendor_code ? "vendor" : "app");
}

/*
 * The line mode in force on lane 1: the extension's, else the application's (power per bit
 * names it); into cur (LB_LINK_ID_LEN bytes).
 */
static int in_force(struct lb_module *m, char *cur)
{
	struct lb_power_per_bit p = LB_POWER_PER_BIT_INIT;
	int rc = lb_module_get_power_per_bit(m, &p);
	if (!rc)
		snprintf(cur, LB_LINK_ID_LEN, "%s", p.line_mode);
	return rc;
}

static int mode_list(struct lbctl *app, const struct lbctl_cmdline *cl,
		     const struct lb_port_info *info, struct lb_module *m)
{
	struct lb_line_mode *modes = calloc(MAX_MODES, sizeof(*modes));
	if (!modes)
		return lbctl_fail(app, LB_E_NOMEM, "mode: port %u", info->port);
	modes[0].size = sizeof(modes[0]);
	size_t n = 0;
	char cur[LB_LINK_ID_LEN] = "";
	int rc = lb_module_list_line_modes(m, modes, MAX_MODES, &n);
	if (!rc)
		rc = in_force(m, cur);
	if (rc) {
		free(modes);
		return lbctl_fail(app, rc, "mode: port %u: listing the line modes", info->port);
	}
	if (n > MAX_MODES)
		n = MAX_MODES;
	if (cl->json) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, mode_json(&modes[i], strcmp(modes[i].id, cur) == 0));
		free(modes);
		return lbctl_json_emit(app, json_pack("{s:i, s:s, s:s, s:s, s:o}", "port", (int)info->port,
						      "name", info->name ? info->name : "", "line_mode", cur,
						      "extension", lb_module_extension_name(m), "modes", a));
	}
	fprintf(app->out, "Port %u (%s): %zu line mode%s%s%s\n", info->port,
		info->name ? info->name : "-", n, n == 1 ? "" : "s",
		lb_module_extension_name(m)[0] ? ", extension " : "", lb_module_extension_name(m));
	if (n)
		fprintf(app->out, "  %-19s %-10s %5s %7s %-5s %6s %6s %-3s %s\n", "Id", "Format", "Gb/s",
			"GBd", "FEC", "km", "pJ/bit", "App", "Kind");
	for (size_t i = 0; i < n; i++)
		mode_text(app, &modes[i], strcmp(modes[i].id, cur) == 0);
	free(modes);
	return LBCTL_EXIT_OK;
}

static int mode_set(struct lbctl *app, const struct lbctl_cmdline *cl, const char *lanes_arg,
		    const struct lb_port_info *info, struct lb_module *m)
{
	unsigned long mask = 0;
	if (lanes_arg && (!lbctl_parse_uint(lanes_arg, 0, 0xFFFFFFFFul, &mask) || !mask))
		return lbctl_usage_error(app, "mode: --lanes takes a lane mask (0xff: lanes 1-8), not '%s'",
					 lanes_arg);
	const char *id = cl->pos[2];
	uint64_t t0 = lb_bus_now_ns(lb_module_bus(m));
	lbctl_waiting(app, info->port, "mode: running the data-path sequence");
	int rc = lb_module_select_line_mode(m, (uint32_t)mask, id);
	lbctl_waiting_done(app);
	double ms = (double)(lb_bus_now_ns(lb_module_bus(m)) - t0) / 1e6;
	if (rc)
		return lbctl_fail(app, rc, "mode: port %u: line mode %s", info->port, id);
	char cur[LB_LINK_ID_LEN] = "";
	if ((rc = in_force(m, cur)))
		return lbctl_fail(app, rc, "mode: port %u: reading the line mode back", info->port);
	if (cl->json)
		return lbctl_json_emit(app, json_pack("{s:i, s:s, s:s, s:f}", "port", (int)info->port,
						      "name", info->name ? info->name : "", "line_mode",
						      cur, "elapsed_ms", ms));
	fprintf(app->out, "port %u: line mode %s in force (%.3f s)\n", info->port, cur, ms / 1e3);
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_mode(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "lanes", "MASK", 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 2, 3, "PORT list|set ID", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	bool list = strcmp(cl.pos[1], "list") == 0, set = strcmp(cl.pos[1], "set") == 0;
	if (!list && !set)
		return lbctl_usage_error(app, "mode: expected list or set, not '%s'", cl.pos[1]);
	if (list && (cl.npos != 2 || cl.given[0]))
		return lbctl_usage_error(app, "mode: list takes no mode and no --lanes");
	if (set && cl.npos != 3)
		return lbctl_usage_error(app, "mode: set needs the mode's ID (lbctl mode PORT list)");
	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	return list ? mode_list(app, &cl, &info, m) : mode_set(app, &cl, cl.value[0], &info, m);
}
