/* SPDX-License-Identifier: MIT */
/* lbctl list: every port of the platform, what is plugged in and the state it is in. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl list [--power] [--json]\n\n"
		"List every front-panel port of the platform: its name and cage, the part number\n"
		"and serial number of the module in it, and its module state (\"empty\" for an\n"
		"empty cage). A terminal at least 110 columns wide also gets the bus and the\n"
		"vendor (--json always has them). A port whose module cannot be read, or whose\n"
		"bus is not there (\"bus NAME unreachable\": an absent I2C adapter), shows the\n"
		"reason instead; list still exits 0.\n"
		"--power: then each module's power per bit (its advertised maximum power, and\n"
		"the power it measures where it reports one, over its configured line rate, in\n"
		"W/Tb/s, the same number as pJ/bit) and the platform's total.\n");
	return LBCTL_EXIT_OK;
}

struct row {
	struct lb_port_info info;
	bool present;
	int id_rc, state_rc;
	char detail[256]; /* the library's detail of a failure */
	struct lb_module_identity id;
	enum lb_module_state state;
};

static void probe(struct lbctl *app, struct lb_platform *p, struct row *r)
{
	struct lb_module *m;
	lb_ctx_clear_error(app->ctx);
	int rc = lb_platform_module(p, r->info.port, &m);

	r->present = rc == LB_OK;
	r->id_rc = rc;
	r->state_rc = rc;
	if (rc == LB_OK) {
		r->id.size = sizeof(r->id);
		r->id_rc = lb_module_get_identity(m, &r->id);
		if (r->id_rc == LB_OK || r->id_rc == LB_E_CHECKSUM)
			r->state_rc = lb_module_get_state(m, &r->state);
	}
	snprintf(r->detail, sizeof(r->detail), "%s", lb_ctx_last_error(app->ctx));
}

/* A port without a module: an empty cage, or a bus that is not there at all. */
static bool bus_unreachable(const struct row *r)
{
	return !r->present && r->id_rc == LB_E_NODEV && strstr(r->detail, "unreachable");
}

/* What the STATE column says (buf: room for "bus NAME unreachable"). */
static const char *state_text(const struct row *r, char *buf, size_t len)
{
	if (bus_unreachable(r)) {
		snprintf(buf, len, "bus %s unreachable", r->info.bus ? r->info.bus : "?");
		return buf;
	}
	if (!r->present)
		return r->id_rc == LB_E_NODEV ? "empty" : lb_strerror(r->id_rc);
	if (r->id_rc == LB_E_UNKNOWN_ID)
		return "not a CMIS module";
	if (r->id_rc != LB_OK && r->id_rc != LB_E_CHECKSUM)
		return lb_strerror(r->id_rc);
	if (r->state_rc)
		return lb_strerror(r->state_rc);
	return lb_module_state_name((int)r->state);
}

static json_t *json_row(const struct row *r, bool named)
{
	json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:b}", "port", (int)r->info.port, "name",
			      r->info.name ? r->info.name : "", "bus", r->info.bus ? r->info.bus : "",
			      "cage", r->info.cage ? r->info.cage : "", "present", r->present);
	if (!o)
		return NULL;
	if (named) {
		json_object_set_new(o, "identifier", json_integer(r->id.identifier));
		json_object_set_new(o, "identifier_name",
				    json_string(lb_sff8024_identifier_name(r->id.identifier)));
		json_object_set_new(o, "vendor_name", json_string(r->id.vendor_name));
		json_object_set_new(o, "part_number", json_string(r->id.part_number));
		json_object_set_new(o, "serial_number", json_string(r->id.serial_number));
		json_object_set_new(o, "checksums_ok",
				    json_boolean(r->id.page00_checksum_ok && r->id.page01_checksum_ok));
	}
	bool ok = r->present && (r->id_rc == LB_OK || r->id_rc == LB_E_CHECKSUM) &&
		  r->state_rc == LB_OK;
	json_object_set_new(o, "module_state",
			    ok ? json_string(lb_module_state_name((int)r->state)) : json_null());
	if (!ok && !(r->id_rc == LB_E_NODEV && !r->present && !bus_unreachable(r))) {
		char e[320], st[64];
		const char *what = state_text(r, st, sizeof(st));
		/* the library's detail, or what the STATE column says when it has none */
		snprintf(e, sizeof(e), "%s", r->detail[0] ? r->detail : what);
		json_object_set_new(o, "error", json_string(e));
	}
	return o;
}

/* One row of the table: 80 columns, or the bus and vendor too on a wide terminal. */
static void text_row(struct lbctl *app, const struct row *r, bool named, bool wide)
{
	char b[4][48];
	const char *vendor = named && r->id.vendor_name[0] ? r->id.vendor_name : "-";
	const char *pn = named && r->id.part_number[0] ? r->id.part_number : "-";
	const char *sn = named && r->id.serial_number[0] ? r->id.serial_number : "-";
	char state[320], st[64];
	snprintf(state, sizeof(state), "%s%s", state_text(r, st, sizeof(st)),
		 r->id_rc == LB_E_CHECKSUM ? " (checksum mismatch)" : "");
	int at;
	if (wide)
		at = fprintf(app->out, "%-4u %-11s %-6s %-8s %-16s %-16s %-16s ", r->info.port,
			     lbctl_fit(r->info.name ? r->info.name : "-", 11, b[0], sizeof(b[0])),
			     r->info.bus ? r->info.bus : "-", r->info.cage ? r->info.cage : "-", vendor,
			     pn, sn);
	else
		at = fprintf(app->out, "%-4u %-11s %-8s %-16s %-16s ", r->info.port,
			     lbctl_fit(r->info.name ? r->info.name : "-", 11, b[0], sizeof(b[0])),
			     lbctl_fit(r->info.cage ? r->info.cage : "-", 8, b[1], sizeof(b[1])),
			     lbctl_fit(pn, 16, b[2], sizeof(b[2])), lbctl_fit(sn, 16, b[3], sizeof(b[3])));
	unsigned col = at > 0 ? (unsigned)at : 0;
	lbctl_wrap(app, col, col, state);
}

int lbctl_cmd_list(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt opts[] = { { "power", NULL, 0 }, { NULL, NULL, 0 } };
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 0, 0, "no argument", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct lb_platform *p;
	if ((ex = lbctl_platform(app, &p)))
		return ex;

	unsigned n = lb_platform_port_count(p);
	bool wide = app->columns >= 110;
	json_t *ports = cl.json ? json_array() : NULL;
	if (!cl.json && wide)
		fprintf(app->out, "%-4s %-11s %-6s %-8s %-16s %-16s %-16s %s\n", "PORT", "NAME", "BUS",
			"CAGE", "VENDOR", "PART NUMBER", "SERIAL", "STATE");
	else if (!cl.json)
		fprintf(app->out, "%-4s %-11s %-8s %-16s %-16s %s\n", "PORT", "NAME", "CAGE",
			"PART NUMBER", "SERIAL", "STATE");
	for (unsigned i = 0; i < n; i++) {
		struct row r;
		memset(&r, 0, sizeof(r));
		r.info = (struct lb_port_info)LB_PORT_INFO_INIT;
		if (lb_platform_port_at(p, i, &r.info) != LB_OK)
			continue;
		probe(app, p, &r);
		bool named = r.present && (r.id_rc == LB_OK || r.id_rc == LB_E_CHECKSUM ||
					   r.id_rc == LB_E_UNKNOWN_ID);
		if (cl.json)
			json_array_append_new(ports, json_row(&r, named));
		else
			text_row(app, &r, named, wide);
	}
	if (cl.json) {
		json_t *doc = json_pack("{s:s, s:o}", "platform", lb_platform_name(p), "ports", ports);
		if (cl.given[0])
			lbctl_power_summary(app, p, doc);
		return lbctl_json_emit(app, doc);
	}
	return cl.given[0] ? lbctl_power_summary(app, p, NULL) : LBCTL_EXIT_OK;
}
