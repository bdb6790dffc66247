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
};

static unsigned popcount32(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* A port after its bring-up: identity, state, lanes, monitors for its row. */
static void describe_port(struct lb_platform *p, const struct lb_port_bringup *b, struct demo_row *r)
{
	struct lb_module *m;
	memset(r, 0, sizeof(*r));
	r->id.size = sizeof(r->id);
	r->port = b->port;
	if ((r->status = lb_platform_module(p, b->port, &m)))
		return;
	int rc = lb_module_get_identity(m, &r->id);
	if (rc && rc != LB_E_CHECKSUM) {
		r->status = rc;
		return;
	}
	if ((r->status = b->status))
		return;
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
			  "cost. The time is the slowest bus's (each bus keeps its own clock).\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_demo(struct lbctl *app, int argc, char **argv)
{
	bool json = app->json;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (lbctl_wants_help(2, (char *[]){ argv[0], argv[i] }))
			return usage(app);
		else
			return lbctl_usage_error(app, "demo: unexpected argument '%s'", argv[i]);
	}
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
	if (!json)
		fprintf(app->out, "%-5s %-8s %-34s %-22s %-12s %-6s %8s %9s\n", "port", "module",
			"vendor / part number", "application", "state", "lanes", "temp C", "rx dBm");
	int failures = 0;
	struct lb_port_bringup *req = calloc(n ? n : 1, sizeof(*req));
	unsigned *ports = calloc(n ? n : 1, sizeof(*ports));
	struct lbctl_progress pg;
	for (unsigned i = 0; req && ports && i < n; i++) {
		struct lb_port_info pi;
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
		struct lb_port_info pi;
		lb_platform_port_at(p, i, &pi);
		struct demo_row r;
		describe_port(p, &req[i], &r);
		char vp[40];
		snprintf(vp, sizeof(vp), "%s %s", r.id.vendor_name, r.id.part_number);
		if (r.status)
			failures++;
		if (json) {
			json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s}", "port", (int)pi.port, "cage", pi.cage,
					      "vendor", r.id.vendor_name, "part_number", r.id.part_number,
					      "status", r.status ? lb_strerror(r.status) : "ok");
			if (!r.status) {
				json_object_set_new(o, "application", json_string(r.app));
				json_object_set_new(o, "module_state", json_string(lb_module_state_name(r.state)));
				json_object_set_new(o, "lanes_activated", json_integer(r.lanes_up));
				json_object_set_new(o, "lanes", json_integer(r.lanes));
				json_object_set_new(o, "temperature_c", json_real(r.temp_c));
				if (isfinite(r.rx_dbm))
					json_object_set_new(o, "rx_power_dbm", json_real(r.rx_dbm));
				json_object_set_new(o, "bring_up_s", json_real(r.bringup_s));
			}
			json_array_append_new(rows, o);
		} else if (r.status) {
			fprintf(app->out, "%-5u %-8s %-34s %s\n", pi.port, pi.cage, r.id.vendor_name[0] ? vp : "-",
				lb_strerror(r.status));
		} else {
			char lanes[16];
			snprintf(lanes, sizeof(lanes), "%u/%u", r.lanes_up, r.lanes);
			fprintf(app->out, "%-5u %-8s %-34.34s %-22.22s %-12s %-6s %8.1f %9.2f\n", pi.port, pi.cage,
				vp, r.app, lb_module_state_name(r.state), lanes, r.temp_c, r.rx_dbm);
		}
	}
	free(req);
	free(ports);
	struct lb_bus_stats s;
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
		char *text = json_dumps(top, JSON_INDENT(2));
		fprintf(app->out, "%s\n", text);
		free(text);
		json_decref(top);
	} else {
		json_decref(rows);
		fprintf(app->out, "\nbus: %llu transactions, %llu bytes, %llu select writes, %llu errors, "
				  "%.1f ms on the wire; %.2f s of (virtual) time for the whole bring-up\n",
			(unsigned long long)s.transactions, (unsigned long long)s.bytes,
			(unsigned long long)s.select_writes, (unsigned long long)s.errors,
			(double)s.bus_time_ns / 1e6, elapsed_s);
	}
	return failures ? LBCTL_EXIT_ERROR : LBCTL_EXIT_OK;
}
