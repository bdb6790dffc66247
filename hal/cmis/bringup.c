/* SPDX-License-Identifier: MIT */
/*
 * Bring lanes up on an application (CMIS 5.4 host bring-up, reference §8.3): hold the lanes
 * in DPDeinit, high power, confirm DPDeactivated, stage + ApplyDPInit, then release DPDeinit
 * and Tx disable together so the data paths run DPInit -> DPTxTurnOn -> DPActivated without
 * a stop in between. Each wait ends as soon as the module gets there; the whole sequence is
 * bounded by the sum of the advertised durations of its steps.
 */
#include <string.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"

/* Pick the application: the given one, or the first one that fits the lanes. */
static int choose_app(struct lb_module *m, const struct lb_cmis_ctl_info *info, uint8_t appsel,
		      uint32_t *lane_mask, struct lb_app *app, uint32_t *media, int *code)
{
	int rc;
	if (appsel) {
		if ((rc = lb_cmis_find_app(m, appsel, app))) {
			if (rc != LB_E_NOTFOUND)
				return rc;
			*code = (int)LB_CFG_REJECTED_INVALID_APPSEL;
			return LB_E_INVAL;
		}
		if (!*lane_mask)
			*lane_mask = lb_cmis_app_lanes(app, info->lanes);
		return lb_cmis_dp_check(app, *lane_mask, info->lanes, media, code);
	}
	struct lb_app_list list;
	if ((rc = lb_module_get_apps(m, &list)))
		return rc;
	for (unsigned i = 0; i < list.count; i++) {
		uint32_t mask = *lane_mask ? *lane_mask : lb_cmis_app_lanes(&list.app[i], info->lanes);
		if (mask && lb_cmis_dp_check(&list.app[i], mask, info->lanes, media, code) == LB_OK) {
			*app = list.app[i];
			*lane_mask = mask;
			return LB_OK;
		}
	}
	*code = list.count ? (int)LB_CFG_REJECTED_INVALID_DATA_PATH
			   : (int)LB_CFG_REJECTED_INVALID_APPSEL;
	return LB_E_INVAL;
}

/* Already up on this application: every lane activated with the right active set. */
static int already_up(struct lb_module *m, uint32_t lane_mask, uint32_t media, uint8_t appsel,
		      const struct lb_app *app, bool *up)
{
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	int rc = lb_module_get_lane_status(m, &ls);
	if (rc)
		return rc;
	*up = true;
	unsigned n = app->host_lanes;
	for (unsigned i = 0; i < ls.lanes; i++) {
		if (!lb_cmis_bit(lane_mask, i))
			continue;
		/* lane_mask is whole DPs in a row (lb_cmis_dp_check): each starts every n lanes. */
		unsigned l = i % LB_CTL_LANES_PER_BANK, first = l;
		while (first > 0 && lb_cmis_bit(lane_mask, i - (l - first) - 1))
			first--;
		first += (l - first) / n * n;
		if (ls.dp_state[i] != LB_DP_STATE_ACTIVATED || ls.active_appsel[i] != appsel ||
		    ls.active_dpid[i] != first || ls.dp_deinit[i])
			*up = false;
	}
	for (unsigned i = 0; i < ls.lanes; i++)
		if (lb_cmis_bit(media, i) && ls.tx_disabled[i])
			*up = false;
	return LB_OK;
}

static int bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
		    struct lb_bringup_report *rep, uint64_t t0)
{
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc)
		return rc;
	if (info.flat)
		return LB_E_NOTSUP; /* no data paths to bring up */
	if (info.lanes < 32 && (lane_mask >> info.lanes)) {
		rep->reject_code = (int)LB_CFG_REJECTED_INVALID_DATA_PATH;
		return LB_E_INVAL;
	}
	struct lb_app app;
	uint32_t media = 0;
	if ((rc = choose_app(m, &info, appsel, &lane_mask, &app, &media, &rep->reject_code)))
		return rc;
	appsel = app.appsel;

	enum lb_module_state st;
	if ((rc = lb_cmis_read_state(m, &st)))
		return rc;
	if (st == LB_MODULE_STATE_FAULT)
		return LB_E_FAULT;

	/* The deadline: every step at its advertised maximum, in the order the steps run. */
	const struct lb_module_durations *d = &info.dur;
	uint64_t ms = (uint64_t)d->module_pwr_up_ms + d->dp_tx_turn_off_ms + d->dp_deinit_ms +
		      ((uint64_t)d->dp_deinit_ms + d->dp_init_ms) /* apply */ +
		      d->dp_init_ms + d->dp_tx_turn_on_ms;
	if (st == LB_MODULE_STATE_PWR_DN)
		ms += d->module_pwr_dn_ms;
	rep->deadline_ns = lb_cmis_ms_to_ns(ms);
	uint64_t limit = lb_cmis_add_sat(t0, rep->deadline_ns);

	if (st == LB_MODULE_STATE_READY) {
		bool up;
		if ((rc = already_up(m, lane_mask, media, appsel, &app, &up)))
			return rc;
		if (up)
			return LB_OK;
	}
	/*
	 * DPDeinit first: in low power it keeps the data paths from initialising on whatever the
	 * active set holds once the module reaches ModuleReady (DPDeinit defaults to 0); in
	 * ModuleReady it takes them down (via DPTxTurnOff) so the module accepts the new set.
	 */
	if ((rc = lb_cmis_lane_ctrl(m, lane_mask, 0, 0, 0)))
		return rc;
	if ((rc = lb_cmis_set_low_power_until(m, false, limit)))
		return rc;
	/* One read when they are deactivated already (the module was in low power). */
	uint64_t down = lb_cmis_ms_to_ns((uint64_t)d->dp_tx_turn_off_ms + d->dp_deinit_ms);
	if ((rc = lb_cmis_wait_dp_until(m, lane_mask, LB_DP_STATE_DEACTIVATED, down, limit)))
		return rc;
	if ((rc = lb_cmis_apply_until(m, lane_mask, appsel, &app, &info, &rep->reject_code, limit)))
		return rc;
	/* Release DPDeinit and Tx disable in one go: DPInit then straight on to DPTxTurnOn. */
	if ((rc = lb_cmis_lane_ctrl(m, 0, lane_mask, 0, media)))
		return rc;
	uint64_t on = lb_cmis_ms_to_ns((uint64_t)d->dp_init_ms + d->dp_tx_turn_on_ms);
	return lb_cmis_wait_dp_until(m, lane_mask, LB_DP_STATE_ACTIVATED, on, limit);
}

LB_API int lb_module_bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			      struct lb_bringup_report *report)
{
	if (report && lb_sized_check(report, LB_BRINGUP_REPORT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_bringup_report rep;
	memset(&rep, 0, sizeof(rep));
	int rc;
	if (!m) {
		rc = LB_E_INVAL;
	} else if (appsel > LB_MODULE_MAX_APPS) {
		rep.reject_code = (int)LB_CFG_REJECTED_INVALID_APPSEL;
		rc = LB_E_INVAL;
	} else {
		uint64_t t0 = lb_cmis_now_ns(m);
		rc = bring_up(m, lane_mask, appsel, &rep, t0);
		rep.elapsed_ns = lb_cmis_now_ns(m) - t0;
	}
	if (report)
		LB_SIZED_FILL(report, rep);
	return rc;
}
