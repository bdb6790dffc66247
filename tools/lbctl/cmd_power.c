/* SPDX-License-Identifier: MIT */
/* lbctl power PORT low|high: request low or high power in software and wait for the state. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl power PORT low|high [--json]\n"
		"\n"
		"Request low power (LowPwrRequestSW) or high power (clear LowPwrRequestSW and\n"
		"LowPwrAllowRequestHW, so the LPMode pin no longer holds the module down) and\n"
		"wait, bounded by the module's advertised MaxDurationModulePwrUp/Dn, for\n"
		"ModuleLowPwr or ModuleReady. Prints the module state reached. A module that is\n"
		"not CMIS (an SFF-8636 QSFP28) has no module state machine: refused, exit 6.\n");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_power(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex0 = lbctl_parse(app, argc, argv, NULL, 2, 2, "PORT low|high", &cl);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	bool json = cl.json;
	const char *const *pos = cl.pos;
	unsigned port;
	bool low;
	if (strcmp(pos[1], "low") == 0)
		low = true;
	else if (strcmp(pos[1], "high") == 0)
		low = false;
	else
		return lbctl_usage_error(app, "power: expected low or high, not '%s'", pos[1]);

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], pos[0], &info, &m);
	if (ex)
		return ex;
	port = info.port;
	if ((ex = lbctl_need_cmis(app, argv[0], &info, m)))
		return ex;
	int rc;
	uint64_t t0 = lb_bus_now_ns(lb_module_bus(m));
	lbctl_waiting(app, port, low ? "power: waiting for ModuleLowPwr"
				      : "power: waiting for ModuleReady");
	rc = lb_module_set_low_power(m, low);
	lbctl_waiting_done(app);
	uint64_t took = lb_bus_now_ns(lb_module_bus(m)) - t0;
	if (rc)
		return lbctl_fail(app, rc, "power: port %u: %s power", port, low ? "low" : "high");
	enum lb_module_state st;
	if ((rc = lb_module_get_state(m, &st)))
		return lbctl_fail(app, rc, "power: port %u: reading the module state", port);
	if (json) {
		json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:f}", "port", (int)port, "name", info.name ? info.name : "", "request",
				      low ? "low" : "high", "module_state", lb_module_state_name((int)st),
				      "elapsed_ms", (double)took / 1e6);
		return lbctl_json_emit(app, o);
	} else {
		fprintf(app->out, "port %u: %s (%.3f ms)\n", port, lb_module_state_name((int)st),
			(double)took / 1e6);
	}
	return LBCTL_EXIT_OK;
}
