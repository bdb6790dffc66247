/* SPDX-License-Identifier: MIT */
/* lbctl list: every port of the platform, what is plugged in and the state it is in. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl list [--json]\n\n"
		"List every front-panel port of the platform: bus, cage, whether a module is\n"
		"present, its vendor, part number and serial number, and its module state.\n"
		"A port whose module cannot be read shows the reason instead; list still exits 0.\n");
	return LBCTL_EXIT_OK;
}

struct row {
	struct lb_port_info info;
	bool present;
	int id_rc, state_rc;
	struct lb_module_identity id;
	enum lb_module_state state;
};

static void probe(struct lb_platform *p, struct row *r)
{
	struct lb_module *m;
	int rc = lb_platform_module(p, r->info.port, &m);

	r->present = rc == LB_OK;
	r->id_rc = rc;
	r->state_rc = rc;
	if (rc)
		return;
	r->id.size = sizeof(r->id);
	r->id_rc = lb_module_get_identity(m, &r->id);
	if (r->id_rc == LB_OK || r->id_rc == LB_E_CHECKSUM)
		r->state_rc = lb_module_get_state(m, &r->state);
}

/* What the STATE column says. */
static const char *state_text(const struct row *r)
{
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

int lbctl_cmd_list(struct lbctl *app, int argc, char **argv)
{
	if (lbctl_wants_help(argc, argv))
		return usage(app);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			app->json = true;
		else
			return lbctl_usage_error(app, "list: unexpected argument '%s'", argv[i]);
	}
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;

	unsigned n = lb_platform_port_count(p);
	json_t *ports = app->json ? json_array() : NULL;
	if (!app->json)
		fprintf(app->out, "%-4s %-11s %-5s %-8s %-7s %-16s %-16s %-16s %s\n", "PORT", "NAME",
			"BUS", "CAGE", "MODULE", "VENDOR", "PART NUMBER", "SERIAL", "STATE");
	for (unsigned i = 0; i < n; i++) {
		struct row r;
		memset(&r, 0, sizeof(r));
		if (lb_platform_port_at(p, i, &r.info) != LB_OK)
			continue;
		probe(p, &r);
		bool named = r.present && (r.id_rc == LB_OK || r.id_rc == LB_E_CHECKSUM ||
					   r.id_rc == LB_E_UNKNOWN_ID);
		if (app->json) {
			json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:b}", "port", (int)r.info.port,
					      "name", r.info.name ? r.info.name : "", "bus",
					      r.info.bus ? r.info.bus : "", "cage",
					      r.info.cage ? r.info.cage : "", "present", r.present);
			if (named) {
				json_object_set_new(o, "identifier", json_integer(r.id.identifier));
				json_object_set_new(o, "identifier_name",
						    json_string(lb_sff8024_identifier_name(r.id.identifier)));
				json_object_set_new(o, "vendor_name", json_string(r.id.vendor_name));
				json_object_set_new(o, "part_number", json_string(r.id.part_number));
				json_object_set_new(o, "serial_number", json_string(r.id.serial_number));
				json_object_set_new(o, "checksums_ok",
						    json_boolean(r.id.page00_checksum_ok &&
								 r.id.page01_checksum_ok));
			}
			bool ok = r.present && (r.id_rc == LB_OK || r.id_rc == LB_E_CHECKSUM) &&
				  r.state_rc == LB_OK;
			json_object_set_new(o, "module_state",
					    ok ? json_string(lb_module_state_name((int)r.state))
					       : json_null());
			if (!ok && !(r.id_rc == LB_E_NODEV && !r.present))
				json_object_set_new(o, "error", json_string(state_text(&r)));
			json_array_append_new(ports, o);
		} else {
			fprintf(app->out, "%-4u %-11s %-5s %-8s %-7s %-16s %-16s %-16s %s%s\n",
				r.info.port, r.info.name ? r.info.name : "-", r.info.bus ? r.info.bus : "-",
				r.info.cage ? r.info.cage : "-", r.present ? "yes" : "no",
				named && r.id.vendor_name[0] ? r.id.vendor_name : "-",
				named && r.id.part_number[0] ? r.id.part_number : "-",
				named && r.id.serial_number[0] ? r.id.serial_number : "-", state_text(&r),
				r.id_rc == LB_E_CHECKSUM ? " (checksum mismatch)" : "");
		}
	}
	if (app->json) {
		json_t *o = json_pack("{s:s, s:o}", "platform", lb_platform_name(p), "ports", ports);
		char *text = json_dumps(o, JSON_INDENT(2));
		fprintf(app->out, "%s\n", text ? text : "{}");
		free(text);
		json_decref(o);
	}
	return LBCTL_EXIT_OK;
}
