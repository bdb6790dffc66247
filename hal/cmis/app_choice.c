/* SPDX-License-Identifier: MIT */
/*
 * Choosing the application for a port from its speed and lanes (lb_module_find_app), as NOS
 * code does: SONiC's CMIS manager matches the host interface's speed and lane count, FBOSS
 * likewise. The first advertised application that fits the lanes (what appsel 0 means to
 * bring-up) can be another speed: an 800G coherent module lists 800ZR first.
 */
#include <stdio.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"
#include "hal/core/ctx_internal.h"

static bool app_fits(const struct lb_app *a, unsigned speed_gbps, uint32_t lane_mask,
		     unsigned lanes)
{
	if (lb_sff8024_host_interface_gbps(a->host_id) != speed_gbps)
		return false;
	if (!lane_mask)
		return true;
	uint32_t media;
	int code;
	return a->host_lanes == (unsigned)__builtin_popcount(lane_mask) &&
	       lb_cmis_dp_check(a, lane_mask, lanes, &media, &code) == LB_OK;
}

/* "AppSel 1 800G x8, AppSel 2 400G x8, ..." into buf. */
static void offered(const struct lb_app_list *list, char *buf, size_t len)
{
	size_t at = 0;
	buf[0] = 0;
	for (unsigned i = 0; i < list->count && at < len; i++) {
		const struct lb_app *a = &list->app[i];
		unsigned g = lb_sff8024_host_interface_gbps(a->host_id);
		int k = g ? snprintf(buf + at, len - at, "%sAppSel %u %uG x%u", at ? ", " : "", a->appsel,
				     g, a->host_lanes)
			  : snprintf(buf + at, len - at, "%sAppSel %u %s x%u", at ? ", " : "", a->appsel,
				     a->host_name, a->host_lanes);
		if (k < 0)
			break;
		at += (size_t)k;
	}
	if (!buf[0])
		snprintf(buf, len, "no application");
}

static int module_find_app(struct lb_module *m, unsigned speed_gbps, uint32_t lane_mask,
			   uint8_t *appsel)
{
	if (!m || !appsel || !speed_gbps)
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc)
		return rc;
	if (info.flat || info.not_cmis)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "no applications to choose from: %s",
				    info.flat ? "flat memory" : "not a CMIS module");
	if (info.lanes < 32 && (lane_mask >> info.lanes))
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				    "lane mask 0x%x: the module has %u host lanes", lane_mask,
				    info.lanes);
	struct lb_app_list list;
	if ((rc = lb_module_get_apps(m, &list)))
		return rc;
	for (unsigned i = 0; i < list.count; i++) {
		if (app_fits(&list.app[i], speed_gbps, lane_mask, info.lanes)) {
			*appsel = list.app[i].appsel;
			return LB_OK;
		}
	}
	char what[128], have[512];
	if (lane_mask) {
		char lanes[96];
		lb_cmis_format_lanes(lane_mask, lanes, sizeof(lanes));
		snprintf(what, sizeof(what), "%uG on %s", speed_gbps, lanes);
	} else {
		snprintf(what, sizeof(what), "%uG", speed_gbps);
	}
	offered(&list, have, sizeof(have));
	return lb_ctx_error(lb_module_ctx(m), LB_E_NOTFOUND,
			    "no application runs %s; the module offers %s", what, have);
}

LB_API int lb_module_find_app(struct lb_module *m, unsigned speed_gbps, uint32_t lane_mask,
			      uint8_t *appsel)
{
	return LB_MODULE_CALL(m, module_find_app(m, speed_gbps, lane_mask, appsel));
}
