/* SPDX-License-Identifier: MIT */
/*
 * The platform's power per bit (lbctl list --power): each port's module power (advertised
 * maximum, and measured where the module reports it) over its configured line rate, and the
 * platform total (lb_platform_get_power_per_bit). Text within 80 columns, or a
 * "power_per_bit" object in list's JSON.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>
#include "lbctl.h"

static json_t *jnum(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *ppb_json(const struct lb_power_per_bit *p)
{
	return json_pack("{s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "max_power_w",
			 jnum(p->max_power_w), "measured_power_w", jnum(p->measured_power_w),
			 "line_rate_gbps", jnum(p->line_rate_gbps), "data_paths", (int)p->data_paths,
			 "max_w_per_tbps", jnum(p->max_w_per_tbps), "max_pj_per_bit",
			 jnum(p->max_pj_per_bit), "measured_w_per_tbps", jnum(p->measured_w_per_tbps),
			 "measured_pj_per_bit", jnum(p->measured_pj_per_bit));
}

/* v with decimals places, or "-" when it is not a number. */
static void num(char *buf, size_t len, int decimals, double v)
{
	if (isfinite(v))
		snprintf(buf, len, "%.*f", decimals, v);
	else
		snprintf(buf, len, "-");
}

static void ppb_text(struct lbctl *app, const char *port, const char *mode,
		     const struct lb_power_per_bit *p)
{
	char rate[16], mw[16], mr[16], sw[16], sr[16], mb[24];
	num(rate, sizeof(rate), 0, p->line_rate_gbps > 0.0 ? p->line_rate_gbps : NAN);
	num(mw, sizeof(mw), 2, p->max_power_w);
	num(mr, sizeof(mr), 1, p->max_w_per_tbps);
	num(sw, sizeof(sw), 2, p->measured_power_w);
	num(sr, sizeof(sr), 1, p->measured_w_per_tbps);
	fprintf(app->out, "%-5s %-19s %6s %7s %8s %9s %10s\n", port, lbctl_fit(mode, 19, mb, sizeof(mb)),
		rate, mw, mr, sw, sr);
}

int lbctl_power_summary(struct lbctl *app, struct lb_platform *p, json_t *obj)
{
	json_t *ports = obj ? json_array() : NULL;
	if (!obj)
		fprintf(app->out, "\nPower per bit (W/Tb/s, the same number as pJ/bit)\n"
				  "%-5s %-19s %6s %7s %8s %9s %10s\n", "PORT", "LINE MODE", "Gb/s",
			"MAX W", "W/Tb/s", "MEASURED", "W/Tb/s");
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		struct lb_module *m;
		if (lb_platform_port_at(p, i, &info) || lb_platform_module(p, info.port, &m))
			continue;
		struct lb_power_per_bit ppb = LB_POWER_PER_BIT_INIT;
		int rc = lb_module_get_power_per_bit(m, &ppb);
		if (obj) {
			json_t *o = rc ? json_pack("{s:s}", "error", lb_strerror(rc)) : ppb_json(&ppb);
			json_object_set_new(o, "port", json_integer(info.port));
			json_object_set_new(o, "name", json_string(info.name ? info.name : ""));
			if (!rc)
				json_object_set_new(o, "line_mode", json_string(ppb.line_mode));
			json_array_append_new(ports, o);
			continue;
		}
		char port[16];
		snprintf(port, sizeof(port), "%u", info.port);
		if (rc)
			fprintf(app->out, "%-5s %s\n", port, lb_strerror(rc));
		else
			ppb_text(app, port, ppb.line_mode[0] ? ppb.line_mode : "-", &ppb);
	}
	struct lb_power_per_bit total = LB_POWER_PER_BIT_INIT;
	unsigned counted = 0;
	int rc = lb_platform_get_power_per_bit(p, &total, &counted);
	if (obj) {
		json_t *t = rc ? json_pack("{s:s}", "error", lb_strerror(rc)) : ppb_json(&total);
		json_object_set_new(t, "modules", json_integer(counted));
		json_object_set_new(obj, "power_per_bit", json_pack("{s:o, s:o}", "ports", ports,
								   "total", t));
		return LBCTL_EXIT_OK;
	}
	if (rc)
		return lbctl_fail(app, rc, "list: power per bit");
	char what[32];
	snprintf(what, sizeof(what), "%u module%s", counted, counted == 1 ? "" : "s");
	ppb_text(app, "all", what, &total);
	return LBCTL_EXIT_OK;
}
