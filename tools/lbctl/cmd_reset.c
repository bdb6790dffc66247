/* SPDX-License-Identifier: MIT */
/* lbctl reset PORT: software reset (26.3), then wait until the module answers again. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl reset PORT [--json]\n"
		"\n"
		"Software reset (SoftwareReset, byte 26 bit 3). The module does not answer while\n"
		"it initialises; lbctl waits, bounded by the management-init time plus the\n"
		"advertised MaxDurationModulePwrUp, until it reports ModuleLowPwr or ModuleReady,\n"
		"and prints that state. Every register returns to its default. A module that is\n"
		"not CMIS (an SFF-8636 QSFP28) has no module state machine: refused, exit 6.\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_reset(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex0 = lbctl_parse(app, argc, argv, NULL, 1, 1, "PORT", &cl);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	bool json = cl.json;
	const char *port_arg = cl.pos[0];
	unsigned port;

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], port_arg, &info, &m);
	if (ex)
		return ex;
	port = info.port;
	if ((ex = lbctl_need_cmis(app, argv[0], &info, m)))
		return ex;
	int rc;
	uint64_t t0 = lb_bus_now_ns(lb_module_bus(m));
	lbctl_waiting(app, port, "reset: waiting for the module to answer again");
	rc = lb_module_reset(m);
	lbctl_waiting_done(app);
	if (rc)
		return lbctl_fail(app, rc, "reset: port %u", port);
	uint64_t took = lb_bus_now_ns(lb_module_bus(m)) - t0;
	enum lb_module_state st;
	if ((rc = lb_module_get_state(m, &st)))
		return lbctl_fail(app, rc, "reset: port %u: reading the module state", port);
	if (json) {
		json_t *o = json_pack("{s:i, s:s, s:s, s:f}", "port", (int)port, "name", info.name ? info.name : "", "module_state",
				      lb_module_state_name((int)st), "elapsed_ms", (double)took / 1e6);
		return lbctl_json_emit(app, o);
	} else {
		fprintf(app->out, "port %u: reset, %s after %.3f ms\n", port,
			lb_module_state_name((int)st), (double)took / 1e6);
	}
	return LBCTL_EXIT_OK;
}
