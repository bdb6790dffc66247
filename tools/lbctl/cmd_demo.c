/* SPDX-License-Identifier: MIT */
/* lbctl demo: bring every cage of the platform up and show what it cost on the bus. */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

struct demo_row {
	unsigned port;
	int status;
	struct lb_module_identity id;
	char app[48];
	int state;
	unsigned lanes_up, lanes;
	double temp_c, rx_dbm;
	double bringup_s;
	char detail[256]; /* the library's detail of a failure */
};

static unsigned popcount32(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* A port after its bring-up: identity, state, lanes, monitors for its row. */
static void describe_port(struct lbctl *app, struct lb_platform *p, const struct lb_port_bringup *b, struct demo_row *r)
{
	struct lb_module *m;
	memset(r, 0, sizeof(*r));
	r->id.size = sizeof(r->id);
	r->port = b->port;
	if ((r->status = lb_platform_module(p, b->port, &m))) {
		snprintf(r->detail, sizeof(r->detail), "%s", lb_ctx_last_error(app->ctx));
		return;
	}
	int rc = lb_module_get_identity(m, &r->id);
	if (rc && rc != LB_E_CHECKSUM) {
		r->status = rc;
		return;
	}
	if ((r->status = b->status)) {
		snprintf(r->detail, sizeof(r->detail), "%s", lb_module_last_error(m)); /* the handle's */
		return;
	}
	r->bringup_s = (double)b->report.elapsed_ns / 1e9;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	struct lb_app_list apps;
	enum lb_module_state st;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	if ((r->status = lb_module_get_lane_status(m, &ls)) || (r->status = lb_module_get_apps(m, &apps)) ||
	    (r->status = lb_module_get_state(m, &st)) || (r->status = lb_module_get_monitors(m, &mon)))
		return;
	r->state = (int)st;
	r->lanes = ls.lanes;
	uint32_t up = 0;
	uint8_t appsel = 0;
	for (unsigned i = 0; i < ls.lanes; i++) {
		if (ls.dp_state[i] == LB_DP_STATE_ACTIVATED)
			up |= 1u << i;
		if (!appsel && ls.active_appsel[i])
			appsel = ls.active_appsel[i];
	}
	r->lanes_up = popcount32(up);
	snprintf(r->app, sizeof(r->app), "-");
	for (unsigned i = 0; i < apps.count; i++) {
		if (apps.app[i].appsel != appsel)
			continue;
		/* the short form of the name: "800ZR-A, 150 GHz DWDM, ..." -> "800ZR-A" */
		const char *name = apps.app[i].media_name;
		size_t len = strcspn(name, ",(");
		while (len && name[len - 1] == ' ')
			len--;
		snprintf(r->app, sizeof(r->app), "%u: %.*s", appsel, (int)len, name);
	}
	r->temp_c = mon.temperature_c;
	r->rx_dbm = mon.lanes ? lb_mw_to_dbm(mon.rx_power_mw[0]) : NAN;
}

static int usage(struct lbctl *app)
{
	fprintf(app->out, "usage: lbctl demo [--json]\n\n"
			  "Bring every cage of the platform from low power to all lanes activated on its\n"
			  "first application, all at once (one thread per bus, the cages of a bus stepped\n"
			  "together), with progress on stderr; then print a table and the bus figures it\n"
			  "cost. The time is the slowest bus's (each bus keeps its own clock). A terminal\n"
			  "at least 120 columns wide also gets each port's name, cage and vendor.\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_demo(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex0 = lbctl_parse(app, argc, argv, NULL, 0, 0, "no argument", &cl);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	bool json = cl.json;
	bool wide = app->columns >= 120;
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;
	unsigned n = lb_platform_port_count(p);
	unsigned nb = lb_platform_bus_count(p);
	uint64_t *t0 = calloc(nb ? nb : 1, sizeof(*t0));
	if (!t0)
		return lbctl_fail(app, LB_E_NOMEM, "demo");
	for (unsigned b = 0; b < nb; b++) {
		struct lb_bus *bus;
		if (lb_platform_bus_at(p, b, &bus, NULL) == LB_OK) {
			lb_bus_reset_stats(bus);
			t0[b] = lb_bus_now_ns(bus);
		}
	}
	json_t *rows = json_array();
	if (!json && wide)
		fprintf(app->out, "%-4s %-11s %-8s %-16s %-16s %-22s %-12s %-5s %6s %7s\n", "PORT",
			"NAME", "CAGE", "VENDOR", "PART NUMBER", "APPLICATION", "STATE", "LANES",
			"TEMP C", "RX DBM");
	else if (!json) /* 4+1+16+1+18+1+12+1+5+1+6+1+7 = 74 columns */
		fprintf(app->out, "%-4s %-16s %-18s %-12s %-5s %6s %7s\n", "PORT", "PART NUMBER",
			"APPLICATION", "STATE", "LANES", "TEMP C", "RX DBM");
	int failures = 0;
	struct lb_port_bringup *req = calloc(n ? n : 1, sizeof(*req));
	unsigned *ports = calloc(n ? n : 1, sizeof(*ports));
	struct lbctl_progress pg;
	for (unsigned i = 0; req && ports && i < n; i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		lb_platform_port_at(p, i, &pi);
		req[i].port = ports[i] = pi.port;
	}
	if (!req || !ports || lbctl_progress_init(&pg, app, ports, n)) {
		free(req);
		free(ports);
		free(t0);
		return lbctl_fail(app, LB_E_NOMEM, "demo");
	}
	lb_platform_bring_up(p, req, n, NULL, lbctl_progress_cb, &pg);
	lbctl_progress_end(&pg);
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		lb_platform_port_at(p, i, &pi);
		struct demo_row r;
		describe_port(app, p, &req[i], &r);
		if (r.status)
			failures++;
		if (json) {
			json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "port", (int)pi.port, "name",
					      pi.name ? pi.name : "", "cage", pi.cage ? pi.cage : "",
					      "vendor_name", r.id.vendor_name, "part_number",
					      r.id.part_number, "status", r.status ? lb_strerror(r.status) : "ok");
			if (!r.status) {
				json_object_set_new(o, "application", json_string(r.app));
				json_object_set_new(o, "module_state", json_string(lb_module_state_name(r.state)));
				json_object_set_new(o, "lanes_activated", json_integer(r.lanes_up));
				json_object_set_new(o, "lanes", json_integer(r.lanes));
				json_object_set_new(o, "temperature_c", json_real(r.temp_c));
				if (isfinite(r.rx_dbm))
					json_object_set_new(o, "rx_power_dbm", json_real(r.rx_dbm));
				json_object_set_new(o, "bring_up_s", json_real(r.bringup_s));
			} else if (r.detail[0]) {
				json_object_set_new(o, "error", json_string(r.detail));
			}
			json_array_append_new(rows, o);
			continue;
		}
		char b[4][48];
		const char *pn = lbctl_fit(r.id.part_number[0] ? r.id.part_number : "-", 16, b[0],
					   sizeof(b[0]));
		int at;
		if (wide)
			at = fprintf(app->out, "%-4u %-11s %-8s %-16s %-16s ", pi.port,
				     lbctl_fit(pi.name ? pi.name : "-", 11, b[1], sizeof(b[1])),
				     lbctl_fit(pi.cage ? pi.cage : "-", 8, b[2], sizeof(b[2])),
				     r.id.vendor_name[0] ? r.id.vendor_name : "-", pn);
		else
			at = fprintf(app->out, "%-4u %-16s ", pi.port, pn);
		if (r.status) {
			char why[320];
			snprintf(why, sizeof(why), "%s%s%s%s", lb_strerror(r.status),
				 r.detail[0] ? " (" : "", r.detail, r.detail[0] ? ")" : "");
			lbctl_wrap(app, at > 0 ? (unsigned)at : 0, at > 0 ? (unsigned)at : 0, why);
		} else {
			char lanes[16];
			snprintf(lanes, sizeof(lanes), "%u/%u", r.lanes_up, r.lanes);
			fprintf(app->out, "%-*s %-12s %-5s %6.1f %7.2f\n", wide ? 22 : 18,
				lbctl_fit(r.app, wide ? 22 : 18, b[3], sizeof(b[3])),
				lb_module_state_name(r.state), lanes, r.temp_c, r.rx_dbm);
		}
	}
	free(req);
	free(ports);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_platform_get_stats(p, &s);
	/* Each bus keeps its own time; the platform took as long as its slowest bus. */
	uint64_t elapsed = 0;
	for (unsigned b = 0; b < nb; b++) {
		struct lb_bus *bus;
		if (lb_platform_bus_at(p, b, &bus, NULL) == LB_OK && lb_bus_now_ns(bus) - t0[b] > elapsed)
			elapsed = lb_bus_now_ns(bus) - t0[b];
	}
	free(t0);
	double elapsed_s = (double)elapsed / 1e9;
	if (json) {
		json_t *top = json_pack("{s:s, s:o, s:{s:I, s:I, s:I, s:I, s:f}, s:f}", "platform",
					lb_platform_name(p), "ports", rows, "bus", "transactions",
					(json_int_t)s.transactions, "bytes", (json_int_t)s.bytes, "select_writes",
					(json_int_t)s.select_writes, "errors", (json_int_t)s.errors, "bus_time_us",
					(double)s.bus_time_ns / 1e3, "elapsed_s", elapsed_s);
		int jx = lbctl_json_emit(app, top);
		if (jx)
			return jx;
	} else {
		json_decref(rows);
		char text[320];
		snprintf(text, sizeof(text), "bus: %llu transactions, %llu bytes, %llu select writes, "
			 "%llu errors, %.1f ms on the wire; %.2f s of (virtual) time for the whole "
			 "bring-up", (unsigned long long)s.transactions, (unsigned long long)s.bytes,
			 (unsigned long long)s.select_writes, (unsigned long long)s.errors,
			 (double)s.bus_time_ns / 1e6, elapsed_s);
		fprintf(app->out, "\n");
		lbctl_wrap(app, 0, 5, text);
	}
	return failures ? LBCTL_EXIT_ERROR : LBCTL_EXIT_OK;
}
