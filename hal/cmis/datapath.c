/* SPDX-License-Identifier: MIT */
/*
 * Data paths (CMIS 5.4 6.3.3, pages 10h/11h): lane status, staging an application into
 * staged control set 0 with ApplyDPInit, DPDeinit and Tx disable, and bounded waits for a
 * data-path state. Lanes above 8 live in banked pages: bank = (lane - 1) / 8.
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/revision.h"
#include "hal/core/ctx_internal.h"

#define MAX_BANKS (LB_MODULE_MAX_LANES / LB_CTL_LANES_PER_BANK)
/* While waiting for a data-path state, look at the module state every this many polls. */

static uint8_t bank_bits(uint32_t mask, unsigned bank)
{
	return (uint8_t)((mask >> (bank * LB_CTL_LANES_PER_BANK)) & 0xFFu);
}

static uint8_t nibble(const uint8_t *base, unsigned lane)
{
	return (uint8_t)(((unsigned)base[lane / 2] >> (4 * (lane % 2))) & 0x0Fu);
}

/* The bytes of a nibble-per-lane field that hold the lanes of bits: first index and count. */
static void nibble_span(uint8_t bits, uint8_t *first, uint8_t *count)
{
	unsigned lo = (unsigned)__builtin_ctz(bits), hi = 31u - (unsigned)__builtin_clz(bits);
	*first = (uint8_t)(lo / 2);
	*count = (uint8_t)(hi / 2 - lo / 2 + 1);
}

static int check_mask(const struct lb_cmis_ctl_info *info, uint32_t lane_mask)
{
	if (info->flat)
		return LB_E_NOTSUP;
	if (!lane_mask)
		return LB_E_INVAL;
	if (info->lanes < 32 && (lane_mask >> info->lanes))
		return LB_E_INVAL;
	return LB_OK;
}

/* ---- names ---- */

LB_API const char *lb_dp_state_name(int state)
{
	switch (state) {
	case LB_DP_STATE_DEACTIVATED: return "DPDeactivated";
	case LB_DP_STATE_INIT: return "DPInit";
	case LB_DP_STATE_DEINIT: return "DPDeinit";
	case LB_DP_STATE_ACTIVATED: return "DPActivated";
	case LB_DP_STATE_TX_TURN_ON: return "DPTxTurnOn";
	case LB_DP_STATE_TX_TURN_OFF: return "DPTxTurnOff";
	case LB_DP_STATE_INITIALIZED: return "DPInitialized";
	default: return "reserved";
	}
}

LB_API const char *lb_config_status_name(int code)
{
	/* CMIS 5.4 Table 8-92 names; 8 is new in 5.4, 9-0xB reserved, 0xD-0xF custom. */
	switch (code) {
	case LB_CONFIG_STATUS_UNDEFINED: return "ConfigUndefined";
	case LB_CONFIG_STATUS_SUCCESS: return "ConfigSuccess";
	case LB_CONFIG_STATUS_REJECTED: return "ConfigRejected";
	case LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL: return "ConfigRejectedInvalidAppSel";
	case LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH: return "ConfigRejectedInvalidDataPath";
	case LB_CONFIG_STATUS_REJECTED_INVALID_SI: return "ConfigRejectedInvalidSI";
	case LB_CONFIG_STATUS_REJECTED_LANES_IN_USE: return "ConfigRejectedLanesInUse";
	case LB_CONFIG_STATUS_REJECTED_PARTIAL_DATA_PATH: return "ConfigRejectedPartialDataPath";
	case LB_CONFIG_STATUS_REJECTED_NO_EMULATION: return "ConfigRejectedNoEmulation";
	case LB_CONFIG_STATUS_IN_PROGRESS: return "ConfigInProgress";
	case 0xD: case 0xE: case 0xF: return "ConfigRejectedCustom";
	default: return "reserved";
	}
}

/* ---- applications and lane sets ---- */

int lb_cmis_find_app(struct lb_module *m, uint8_t appsel, struct lb_app *out)
{
	struct lb_app_list list;
	int rc = lb_module_get_apps(m, &list);
	if (rc)
		return rc;
	for (unsigned i = 0; i < list.count; i++) {
		if (list.app[i].appsel == appsel) {
			*out = list.app[i];
			return LB_OK;
		}
	}
	return LB_E_NOTFOUND;
}

/*
 * Media lanes of the data path starting at bank-relative host lane first: the k-th instance
 * of an application uses the k-th group of media lanes (first * media / host, as the
 * module's own lane mapping counts them).
 */
static uint8_t media_bits(const struct lb_app *app, unsigned first, uint8_t host_bits)
{
	if (!app->host_lanes || !app->media_lanes || app->media_lanes > 8)
		return host_bits;
	unsigned m0 = first * app->media_lanes / app->host_lanes;
	if (m0 >= 8)
		return 0; /* an odd advertisement: this instance's media lanes are beyond the bank */
	return (uint8_t)((((1u << app->media_lanes) - 1u) << m0) & 0xFFu);
}

int lb_cmis_dp_check(const struct lb_app *app, uint32_t lane_mask, unsigned lanes,
		     uint32_t *media_mask, int *reject_code)
{
	unsigned n = app->host_lanes;
	*media_mask = 0;
	if (!lane_mask || n < 1 || n > 8 || (lanes < 32 && (lane_mask >> lanes))) {
		*reject_code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH;
		return LB_E_INVAL;
	}
	for (unsigned b = 0; b * LB_CTL_LANES_PER_BANK < lanes && b < MAX_BANKS; b++) {
		uint8_t left = bank_bits(lane_mask, b);
		while (left) {
			/* The lowest lane left must start a whole data path of the application. */
			unsigned first = (unsigned)__builtin_ctz(left);
			if (!lb_cmis_bit(app->host_lane_options, first) || first + n > 8) {
				*reject_code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH;
				return LB_E_INVAL;
			}
			uint8_t dp = (uint8_t)(((1u << n) - 1u) << first);
			if ((left & dp) != dp) {
				*reject_code = (int)LB_CONFIG_STATUS_REJECTED_PARTIAL_DATA_PATH;
				return LB_E_INVAL;
			}
			left &= (uint8_t)~dp;
			*media_mask |= (uint32_t)media_bits(app, first, dp) << (b * LB_CTL_LANES_PER_BANK);
		}
	}
	*reject_code = 0;
	return LB_OK;
}

uint32_t lb_cmis_app_lanes(const struct lb_app *app, unsigned lanes)
{
	unsigned n = app->host_lanes;
	uint32_t mask = 0;
	if (n < 1 || n > 8)
		return 0;
	for (unsigned b = 0; b * LB_CTL_LANES_PER_BANK < lanes && b < MAX_BANKS; b++) {
		uint8_t used = 0;
		for (unsigned first = 0; first + n <= 8; first++) {
			uint8_t dp = (uint8_t)(((1u << n) - 1u) << first);
			if (lb_cmis_bit(app->host_lane_options, first) && !(used & dp))
				used |= dp;
		}
		mask |= (uint32_t)used << (b * LB_CTL_LANES_PER_BANK);
	}
	return mask;
}

/* ---- lane status ---- */

static int get_lane_status(struct lb_module *m, struct lb_lane_status *out)
{
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc)
		return rc;
	if (info.flat)
		return LB_E_NOTSUP;
	unsigned banks = info.lanes / LB_CTL_LANES_PER_BANK;
	/*
	 * Per bank: DP states, ConfigStatus + active set (contiguous), DPInitPending, and the
	 * controls 10h:128-130 in one piece. Never 11h:134-153: those flags clear on read.
	 */
	uint8_t st[MAX_BANKS][4], cfg[MAX_BANKS][12], pend[MAX_BANKS], ctl[MAX_BANKS][3];
	struct lb_mem_range r[MAX_BANKS * 4];
	unsigned n = 0;
	for (unsigned b = 0; b < banks; b++) {
		uint8_t bank = (uint8_t)b;
		r[n++] = (struct lb_mem_range){ bank, LB_CTL_PAGE_LANE_STATUS, LB_CTL_P11_DP_STATE, 4, st[b] };
		r[n++] = (struct lb_mem_range){ bank, LB_CTL_PAGE_LANE_STATUS, LB_CTL_P11_CONFIG_STATUS, 12, cfg[b] };
		r[n++] = (struct lb_mem_range){ bank, LB_CTL_PAGE_LANE_STATUS, LB_CTL_P11_DPINIT_PENDING, 1, &pend[b] };
		r[n++] = (struct lb_mem_range){ bank, LB_CTL_PAGE_LANE_CTRL, LB_CTL_P10_DP_DEINIT, 3, ctl[b] };
	}
	if ((rc = lb_module_read_ranges(m, r, n)))
		return rc;
	out->lanes = info.lanes;
	for (unsigned b = 0; b < banks; b++) {
		for (unsigned l = 0; l < LB_CTL_LANES_PER_BANK; l++) {
			unsigned i = b * LB_CTL_LANES_PER_BANK + l;
			uint8_t acs = cfg[b][4 + l];
			out->dp_state[i] = nibble(st[b], l);
			out->config_status[i] = nibble(cfg[b], l);
			out->active_appsel[i] = (uint8_t)(acs >> 4);
			out->active_dpid[i] = (uint8_t)((acs >> 1) & 0x07u);
			out->active_explicit_control[i] = (acs & 0x01u) != 0;
			out->dp_deinit[i] = lb_cmis_bit(lb_cmis_dp_deinit_reg(info.revision, ctl[b][0]), l);
			out->tx_disabled[i] = lb_cmis_bit(ctl[b][2], l);
			out->dp_init_pending[i] = lb_cmis_bit(pend[b], l);
		}
	}
	return LB_OK;
}

static int module_get_lane_status(struct lb_module *m, struct lb_lane_status *out)
{
	if (!m || lb_sized_check(out, LB_LANE_STATUS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_lane_status ls;
	memset(&ls, 0, sizeof(ls));
	int rc = get_lane_status(m, &ls);
	/*
	 * A reserved DP state (0, 8-15) is the module's answer and is reported as it is; the log
	 * says so once per call, naming the lanes, so it is never taken for a state in silence.
	 */
	char text[256];
	size_t at = 0;
	for (unsigned l = 0; rc == LB_OK && l < ls.lanes && l < LB_MODULE_MAX_LANES; l++) {
		uint8_t code = ls.dp_state[l];
		if (code >= LB_DP_STATE_DEACTIVATED && code <= LB_DP_STATE_INITIALIZED)
			continue;
		int k = snprintf(text + at, sizeof(text) - at, "%slane %u: 0x%x", at ? ", " : "", l + 1,
				 code);
		if (k < 0 || (size_t)k >= sizeof(text) - at)
			break;
		at += (size_t)k;
	}
	if (at)
		lb_log(lb_module_ctx(m), LB_LOG_WARN,
		       "module reports a reserved DP state (page 11h:128-131), given as it is: %s", text);
	LB_SIZED_FILL(out, ls);
	return rc;
}

LB_API int lb_module_get_lane_status(struct lb_module *m, struct lb_lane_status *out)
{
	return LB_MODULE_CALL(m, module_get_lane_status(m, out));
}

/* ---- controls ---- */

/*
 * Read-modify-write 10h:128 (DPDeinit) and 10h:130 (OutputDisableTx) of every bank the masks
 * touch, writing only what changes: one read of 128-130 per bank, then one write of
 * whichever byte changed (both at once as 128-130 when both change).
 */
int lb_cmis_lane_ctrl(struct lb_module *m, uint32_t deinit_set, uint32_t deinit_clr,
		      uint32_t tx_set, uint32_t tx_clr)
{
	uint32_t all = deinit_set | deinit_clr | tx_set | tx_clr;
	uint8_t ctl[MAX_BANKS][3];
	struct lb_mem_range r[MAX_BANKS];
	unsigned n = 0;
	for (unsigned b = 0; b < MAX_BANKS; b++)
		if (bank_bits(all, b))
			r[n++] = (struct lb_mem_range){ (uint8_t)b, LB_CTL_PAGE_LANE_CTRL,
							LB_CTL_P10_DP_DEINIT, 3, ctl[b] };
	if (!n)
		return LB_OK;
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc || (rc = lb_module_read_ranges(m, r, n)))
		return rc;
	for (unsigned b = 0; b < MAX_BANKS; b++) {
		if (!bank_bits(all, b))
			continue;
		uint8_t *c = ctl[b];
		/* DPDeinit as the lanes mean it, then back to the register's sense (revision.h). */
		uint8_t held = lb_cmis_dp_deinit_reg(adv->revision, c[0]);
		held = (uint8_t)((held | bank_bits(deinit_set, b)) & ~bank_bits(deinit_clr, b));
		uint8_t deinit = lb_cmis_dp_deinit_reg(adv->revision, held);
		uint8_t tx = (uint8_t)((c[2] | bank_bits(tx_set, b)) & ~bank_bits(tx_clr, b));
		bool d_chg = deinit != c[0], t_chg = tx != c[2];
		if (d_chg && t_chg) {
			/* Both changed: one write of 128-130 (129 written back as read) lands them together. */
			uint8_t w[3] = { deinit, c[1], tx };
			rc = lb_module_write(m, (uint8_t)b, LB_CTL_PAGE_LANE_CTRL, LB_CTL_P10_DP_DEINIT, w, 3);
		} else if (d_chg) {
			rc = lb_module_write(m, (uint8_t)b, LB_CTL_PAGE_LANE_CTRL, LB_CTL_P10_DP_DEINIT, &deinit, 1);
		} else if (t_chg) {
			rc = lb_module_write(m, (uint8_t)b, LB_CTL_PAGE_LANE_CTRL, LB_CTL_P10_TX_DISABLE, &tx, 1);
		}
		if (rc)
			return rc;
	}
	return LB_OK;
}

static int module_dp_deinit(struct lb_module *m, uint32_t lane_mask, bool deinit)
{
	if (!m)
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc || (rc = check_mask(&info, lane_mask)))
		return rc;
	return lb_cmis_lane_ctrl(m, deinit ? lane_mask : 0, deinit ? 0 : lane_mask, 0, 0);
}

LB_API int lb_module_dp_deinit(struct lb_module *m, uint32_t lane_mask, bool deinit)
{
	return LB_MODULE_CALL(m, module_dp_deinit(m, lane_mask, deinit));
}

static int module_tx_disable(struct lb_module *m, uint32_t lane_mask, bool disable)
{
	if (!m)
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc || (rc = check_mask(&info, lane_mask)))
		return rc;
	return lb_cmis_lane_ctrl(m, 0, 0, disable ? lane_mask : 0, disable ? 0 : lane_mask);
}

LB_API int lb_module_tx_disable(struct lb_module *m, uint32_t lane_mask, bool disable)
{
	return LB_MODULE_CALL(m, module_tx_disable(m, lane_mask, disable));
}

/* ---- waits ---- */

int lb_cmis_read_lane_nibbles(struct lb_module *m, uint32_t lane_mask, uint8_t offset,
			      uint8_t codes[LB_MODULE_MAX_LANES])
{
	uint8_t buf[MAX_BANKS][4];
	struct lb_mem_range r[MAX_BANKS];
	unsigned n = 0;
	for (unsigned b = 0; b < MAX_BANKS; b++) {
		uint8_t bits = bank_bits(lane_mask, b);
		if (!bits)
			continue;
		uint8_t first, count;
		nibble_span(bits, &first, &count);
		r[n++] = (struct lb_mem_range){ (uint8_t)b, LB_CTL_PAGE_LANE_STATUS,
						(uint8_t)(offset + first), count, &buf[b][first] };
	}
	int rc = lb_module_read_ranges(m, r, n);
	if (rc)
		return rc;
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
		if (lb_cmis_bit(lane_mask, i))
			codes[i] = nibble(buf[i / LB_CTL_LANES_PER_BANK], i % LB_CTL_LANES_PER_BANK);
	return LB_OK;
}

bool lb_cmis_config_final(uint8_t code)
{
	return code != LB_CONFIG_STATUS_UNDEFINED && code != LB_CONFIG_STATUS_IN_PROGRESS;
}

/* "lanes 1-4,9", "lane 3": a lane mask as people count lanes. */
void lb_cmis_format_lanes(uint32_t mask, char *buf, size_t len)
{
	size_t at = (size_t)snprintf(buf, len, "lane%s ", (mask & (mask - 1u)) ? "s" : "");
	bool first = true;
	for (unsigned i = 0; i < 32 && at < len; i++) {
		if (!lb_cmis_bit(mask, i) || (i > 0 && lb_cmis_bit(mask, i - 1)))
			continue;
		unsigned e = i;
		while (e + 1 < 32 && lb_cmis_bit(mask, e + 1))
			e++;
		int n = e > i ? snprintf(buf + at, len - at, "%s%u-%u", first ? "" : ",", i + 1, e + 1)
			      : snprintf(buf + at, len - at, "%s%u", first ? "" : ",", i + 1);
		at += n > 0 ? (size_t)n : 0;
		first = false;
	}
}

static bool lane_done(const struct lb_cmis_lane_wait *lw, uint8_t code)
{
	if (lw->want == LB_CMIS_WANT_IDLE)
		return code != LB_CONFIG_STATUS_IN_PROGRESS;
	return lw->want < 0 ? lb_cmis_config_final(code) : code == (uint8_t)lw->want;
}

static int lane_check(void *user)
{
	struct lb_cmis_lane_wait *lw = user;
	int rc = lb_cmis_read_lane_nibbles(lw->m, lw->lane_mask, lw->offset, lw->codes);
	if (rc)
		return rc;
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
		if (lb_cmis_bit(lw->lane_mask, i) && !lane_done(lw, lw->codes[i]))
			return LB_E_AGAIN;
	return LB_OK;
}

/* A module that faults leaves its data paths undefined: say so, do not wait out. */
static int lane_failed(void *user)
{
	struct lb_cmis_lane_wait *lw = user;
	enum lb_module_state st;
	int rc = lb_cmis_read_state(lw->m, &st);
	if (rc)
		return rc;
	return st == LB_MODULE_STATE_FAULT ? LB_E_FAULT : LB_OK;
}

/* The lanes not there yet, grouped by what they show: "lanes 1-8 DPInit". */
static void lane_describe(void *user, char *buf, size_t len)
{
	const struct lb_cmis_lane_wait *lw = user;
	uint32_t left = 0;
	size_t at = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
		if (lb_cmis_bit(lw->lane_mask, i) && !lane_done(lw, lw->codes[i]))
			left |= 1u << i;
	while (left && at < len) {
		uint8_t code = lw->codes[__builtin_ctz(left)];
		uint32_t same = 0;
		for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
			if (lb_cmis_bit(left, i) && lw->codes[i] == code)
				same |= 1u << i;
		left &= ~same;
		char lanes[96];
		lb_cmis_format_lanes(same, lanes, sizeof(lanes));
		int n = snprintf(buf + at, len - at, "%s%s %s", at ? "; " : "", lanes,
				 lw->want < 0 ? lb_config_status_name(code) : lb_dp_state_name(code));
		at += n > 0 ? (size_t)n : 0;
	}
}

void lb_cmis_lane_wait_init(struct lb_cmis_lane_wait *lw, struct lb_module *m, uint32_t lane_mask,
			    uint8_t offset, int want, struct lb_wait_cond *c)
{
	memset(lw, 0, sizeof(*lw));
	lw->m = m;
	lw->lane_mask = lane_mask;
	lw->offset = offset;
	lw->want = want;
	char lanes[96];
	lb_cmis_format_lanes(lane_mask, lanes, sizeof(lanes));
	snprintf(lw->what, sizeof(lw->what), "%s on %s",
		 want == LB_CMIS_WANT_IDLE ? "no configuration in progress"
		 : want < 0		   ? "a final ConfigStatus"
					   : lb_dp_state_name(want),
		 lanes);
	*c = (struct lb_wait_cond){ .what = lw->what, .check = lane_check, .failed = lane_failed,
				    .fail_every = LB_CMIS_FAULT_CHECK_EVERY,
				    .describe = lane_describe, .user = lw };
}

int lb_cmis_wait_dp_until(struct lb_module *m, uint32_t lane_mask, enum lb_dp_state state,
			  uint64_t bound_ns, uint64_t limit_ns)
{
	struct lb_cmis_lane_wait lw;
	struct lb_wait_cond c;
	lb_cmis_lane_wait_init(&lw, m, lane_mask, LB_CTL_P11_DP_STATE, (int)state, &c);
	return lb_cmis_wait(m, bound_ns, limit_ns, &c);
}

static int module_wait_dp_state(struct lb_module *m, uint32_t lane_mask,
				enum lb_dp_state state, uint32_t timeout_ms)
{
	if (!m || state < LB_DP_STATE_DEACTIVATED || state > LB_DP_STATE_INITIALIZED)
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc || (rc = check_mask(&info, lane_mask)))
		return rc;
	return lb_cmis_wait_dp_until(m, lane_mask, state, lb_cmis_ms_to_ns(timeout_ms), 0);
}

LB_API int lb_module_wait_dp_state(struct lb_module *m, uint32_t lane_mask,
				   enum lb_dp_state state, uint32_t timeout_ms)
{
	return LB_MODULE_CALL(m, module_wait_dp_state(m, lane_mask, state, timeout_ms));
}

/* ---- configurations ---- */

#define DP_CONFIG_KNOWN (LB_DP_CONFIG_DPID | LB_DP_CONFIG_COHERENT)

/* Pick the application: the given one, or the first one that fits the lanes. */
static int choose_app(struct lb_module *m, const struct lb_cmis_ctl_info *info, uint8_t appsel,
		      uint32_t *lane_mask, struct lb_app *app, uint32_t *media, int *code)
{
	int rc;
	if (appsel) {
		if ((rc = lb_cmis_find_app(m, appsel, app))) {
			if (rc != LB_E_NOTFOUND)
				return rc;
			*code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL;
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
	*code = list.count ? (int)LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH
			   : (int)LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL;
	return LB_E_INVAL;
}

static bool grid_known(uint32_t mhz)
{
	static const uint32_t grids[] = { 3125, 6250, 12500, 25000, 50000, 100000, 33333,
					  75000, 150000, 300000 };
	for (size_t i = 0; i < sizeof(grids) / sizeof(grids[0]); i++)
		if (grids[i] == mhz)
			return true;
	return false;
}

/*
 * The coherent members: their values first (what page 12h can hold), then against the module
 * (tunable, page 04h's grids, bounds and ranges: lb_coherent_stage_check), ready to stage.
 */
static int check_coherent(struct lb_module *m, const struct lb_dp_config *cfg,
			  struct lb_coherent_stage *stage)
{
	struct lb_ctx *ctx = lb_module_ctx(m);
	uint32_t set = cfg->set;
	if ((set & LB_DP_CONFIG_GRID) && !grid_known(cfg->grid_spacing_mhz))
		return lb_ctx_error(ctx, LB_E_INVAL, "data-path configuration: no %u MHz grid",
				    cfg->grid_spacing_mhz);
	if (((set & LB_DP_CONFIG_CHANNEL) && (cfg->channel < INT16_MIN || cfg->channel > INT16_MAX)) ||
	    ((set & LB_DP_CONFIG_FINE_TUNING) &&
	     (cfg->fine_tuning_mhz < INT16_MIN || cfg->fine_tuning_mhz > INT16_MAX)) ||
	    ((set & LB_DP_CONFIG_TX_POWER) &&
	     !(cfg->tx_power_dbm >= INT16_MIN / 100.0 && cfg->tx_power_dbm <= INT16_MAX / 100.0)))
		return lb_ctx_error(ctx, LB_E_RANGE,
				    "data-path configuration: channel, fine tuning or Tx power beyond what page 12h holds");
	return lb_coherent_stage_check(m, cfg, stage);
}

int lb_cmis_dp_resolve(struct lb_module *m, const struct lb_dp_config *cfg,
		       struct lb_cmis_ctl_info *info, struct lb_cmis_dp_target *t, int *code)
{
	*code = 0;
	memset(t, 0, sizeof(*t));
	if (cfg->set & ~(uint32_t)DP_CONFIG_KNOWN)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "data-path configuration: settings 0x%x unknown to this library",
				    cfg->set & ~(uint32_t)DP_CONFIG_KNOWN);
	/* The module would answer these with ConfigStatus codes: *code carries them, as it would. */
	if (cfg->appsel > LB_MODULE_MAX_APPS) {
		*code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL;
		return LB_E_INVAL;
	}
	if ((cfg->set & LB_DP_CONFIG_DPID) && cfg->dpid >= LB_CTL_LANES_PER_BANK) {
		*code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH;
		return LB_E_INVAL;
	}
	int rc = lb_cmis_ctl_info(m, info);
	if (rc)
		return rc;
	if (info->flat)
		return LB_E_NOTSUP; /* no data paths */
	uint32_t mask = cfg->lane_mask;
	if (info->lanes < 32 && (mask >> info->lanes)) {
		*code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH;
		return LB_E_INVAL;
	}
	if ((rc = choose_app(m, info, cfg->appsel, &mask, &t->app, &t->media, code)))
		return rc;
	if ((cfg->set & LB_DP_CONFIG_COHERENT) && (rc = check_coherent(m, cfg, &t->stage)))
		return rc;
	t->lane_mask = mask;
	t->dpid = (cfg->set & LB_DP_CONFIG_DPID) ? cfg->dpid : -1;
	t->explicit_control = cfg->explicit_control;
	t->coherent = (cfg->set & LB_DP_CONFIG_COHERENT) != 0;
	return LB_OK;
}

/* ---- apply ---- */

/*
 * The DPConfig bytes the target stages in bank b (10h:145-152, and 11h:206-213 once in
 * force): every lane of each DP gets AppSel, DataPathID (the DP's first lane unless the
 * configuration names one) and ExplicitControl; lanes outside the mask 0.
 */
static void staged_set(const struct lb_cmis_dp_target *t, unsigned b, uint8_t cfg[8])
{
	unsigned n = t->app.host_lanes;
	uint8_t ec = t->explicit_control ? 1u : 0u;
	uint8_t bits = bank_bits(t->lane_mask, b);
	memset(cfg, 0, 8);
	for (unsigned l = 0; l < 8;) {
		if (!lb_cmis_bit(bits, l)) {
			l++;
			continue;
		}
		unsigned dpid = t->dpid >= 0 ? (unsigned)t->dpid : l;
		for (unsigned k = l; k < l + n && k < 8; k++)
			cfg[k] = (uint8_t)(((unsigned)t->app.appsel << 4) | (dpid << 1) | ec);
		l += n;
	}
}

/*
 * Whether the active control set (11h:206-213) of every lane of the target holds what it
 * stages: one read per bank. *bad: the first lane that does not (0: none), with what it holds.
 */
static int active_set_check(struct lb_module *m, const struct lb_cmis_dp_target *t,
			    unsigned *bad, uint8_t *held, uint8_t *want)
{
	uint8_t acs[MAX_BANKS][8];
	struct lb_mem_range r[MAX_BANKS];
	unsigned n = 0;
	uint32_t lanes = t->lane_mask | t->release;
	*bad = 0;
	for (unsigned b = 0; b < MAX_BANKS; b++) {
		uint8_t bits = bank_bits(lanes, b);
		if (!bits)
			continue;
		unsigned lo = (unsigned)__builtin_ctz(bits), hi = 31u - (unsigned)__builtin_clz(bits);
		r[n++] = (struct lb_mem_range){ (uint8_t)b, LB_CTL_PAGE_LANE_STATUS,
						(uint8_t)(LB_CTL_P11_ACS_DPCONFIG + lo),
						(uint16_t)(hi - lo + 1), &acs[b][lo] };
	}
	int rc = lb_module_read_ranges(m, r, n);
	if (rc)
		return rc;
	for (unsigned b = 0; b < MAX_BANKS && !*bad; b++) {
		uint8_t bits = bank_bits(lanes, b), cfg[8];
		if (!bits)
			continue;
		staged_set(t, b, cfg);
		for (unsigned l = 0; l < 8; l++) {
			if (lb_cmis_bit(bits, l) && acs[b][l] != cfg[l]) {
				*bad = b * LB_CTL_LANES_PER_BANK + l + 1;
				*held = acs[b][l];
				*want = cfg[l];
				break;
			}
		}
	}
	return LB_OK;
}

int lb_cmis_apply_verify(struct lb_module *m, const struct lb_cmis_dp_target *t)
{
	unsigned bad;
	uint8_t held, want;
	int rc = active_set_check(m, t, &bad, &held, &want);
	if (rc || !bad)
		return rc;
	char lanes[96];
	lb_cmis_format_lanes(t->lane_mask, lanes, sizeof(lanes));
	return lb_ctx_error(lb_module_ctx(m), LB_E_STATE,
			    "ApplyDPInit on %s: ConfigSuccess, but the active control set of lane %u "
			    "holds AppSel %u DataPathID %u, not AppSel %u DataPathID %u: the module "
			    "did not apply this configuration",
			    lanes, bad, held >> 4, (held >> 1) & 7u, want >> 4, (want >> 1) & 7u);
}

int lb_cmis_apply_start(struct lb_module *m, const struct lb_cmis_dp_target *t)
{
	/* The released lanes get AppSel 0 (staged_set leaves them 0) in the same apply. */
	uint32_t lanes = t->lane_mask | t->release;
	for (unsigned b = 0; b < MAX_BANKS; b++) {
		uint8_t bits = bank_bits(lanes, b);
		if (!bits)
			continue;
		uint8_t cfg[8];
		staged_set(t, b, cfg);
		/* One write per run of contiguous lanes; lanes outside the mask stay untouched. */
		for (unsigned l = 0; l < 8;) {
			if (!lb_cmis_bit(bits, l)) {
				l++;
				continue;
			}
			unsigned e = l;
			while (e < 8 && lb_cmis_bit(bits, e))
				e++;
			int rc = lb_module_write(m, (uint8_t)b, LB_CTL_PAGE_LANE_CTRL,
						 (uint8_t)(LB_CTL_P10_SCS0_DPCONFIG + l), &cfg[l], e - l);
			if (rc)
				return rc;
			l = e;
		}
	}
	/* The coherent members on page 12h of the media lanes, staged with the application. */
	int src = lb_coherent_stage_write(m, &t->stage, t->media);
	if (src)
		return src;
	/* ApplyDPInit must be a single-byte WRITE (CMIS 5.0+), one per bank. */
	for (unsigned b = 0; b < MAX_BANKS; b++) {
		uint8_t bits = bank_bits(lanes, b);
		if (!bits)
			continue;
		int rc = lb_module_write(m, (uint8_t)b, LB_CTL_PAGE_LANE_CTRL,
					 LB_CTL_P10_SCS0_APPLY_DPINIT, &bits, 1);
		if (rc)
			return rc;
	}
	return LB_OK;
}

int lb_cmis_read_active_sets(struct lb_module *m, uint32_t lane_mask,
			     uint8_t acs[LB_MODULE_MAX_LANES])
{
	struct lb_mem_range r[MAX_BANKS];
	unsigned n = 0;
	memset(acs, 0, LB_MODULE_MAX_LANES);
	for (unsigned b = 0; b < MAX_BANKS; b++)
		if (bank_bits(lane_mask, b))
			r[n++] = (struct lb_mem_range){ (uint8_t)b, LB_CTL_PAGE_LANE_STATUS,
							LB_CTL_P11_ACS_DPCONFIG, LB_CTL_LANES_PER_BANK,
							&acs[b * LB_CTL_LANES_PER_BANK] };
	return lb_module_read_ranges(m, r, n);
}

uint32_t lb_cmis_overlapping_lanes(const uint8_t acs[LB_MODULE_MAX_LANES], unsigned lanes,
				   uint32_t lane_mask)
{
	uint32_t out = 0;
	for (unsigned i = 0; i < lanes && i < LB_MODULE_MAX_LANES; i++) {
		uint8_t key = acs[i] & 0xFEu; /* AppSel and DataPathID */
		if (!lb_cmis_bit(lane_mask, i) || !(key >> 4))
			continue;
		unsigned first = i - i % LB_CTL_LANES_PER_BANK;
		for (unsigned k = first; k < first + LB_CTL_LANES_PER_BANK && k < lanes; k++)
			if ((acs[k] & 0xFEu) == key)
				out |= 1u << k;
	}
	return out & ~lane_mask;
}

uint64_t lb_cmis_apply_bound_ns(const struct lb_cmis_ctl_info *info)
{
	/*
	 * No duration is advertised for the Provision procedure. It at most deinitialises and
	 * reinitialises the data path (intervention-free reconfiguration), so that bounds it.
	 */
	return lb_cmis_ms_to_ns((uint64_t)info->dur.dp_deinit_ms + info->dur.dp_init_ms);
}

/*
 * A configuration still in progress on the target's lanes (an earlier apply whose wait was cut
 * short) makes the module ignore every ApplyDPInit on them until it ends: wait it out. *done
 * when it was this very configuration and it is in force now (a caller's retry).
 */
static int wait_out_apply(struct lb_module *m, const struct lb_cmis_dp_target *t,
			  const struct lb_cmis_ctl_info *info, uint64_t limit_ns, bool *done)
{
	*done = false;
	uint8_t codes[LB_MODULE_MAX_LANES];
	int rc = lb_cmis_read_lane_nibbles(m, t->lane_mask, LB_CTL_P11_CONFIG_STATUS, codes);
	if (rc)
		return rc;
	bool busy = false;
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
		if (lb_cmis_bit(t->lane_mask, i) && codes[i] == LB_CONFIG_STATUS_IN_PROGRESS)
			busy = true;
	if (!busy)
		return LB_OK;
	struct lb_cmis_lane_wait lw;
	struct lb_wait_cond c;
	lb_cmis_lane_wait_init(&lw, m, t->lane_mask, LB_CTL_P11_CONFIG_STATUS, LB_CMIS_WANT_IDLE, &c);
	if ((rc = lb_cmis_wait(m, lb_cmis_apply_bound_ns(info), limit_ns, &c)))
		return rc;
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++)
		if (lb_cmis_bit(t->lane_mask, i) && lw.codes[i] != LB_CONFIG_STATUS_SUCCESS)
			return LB_OK;
	unsigned bad;
	uint8_t held, want;
	if ((rc = active_set_check(m, t, &bad, &held, &want)))
		return rc;
	*done = !bad;
	return LB_OK;
}

int lb_cmis_apply_until(struct lb_module *m, const struct lb_cmis_dp_target *t,
			const struct lb_cmis_ctl_info *info, int *reject_code, uint64_t limit_ns)
{
	bool done;
	int rc = wait_out_apply(m, t, info, limit_ns, &done);
	if (rc || done)
		return rc;
	if ((rc = lb_cmis_apply_start(m, t)))
		return rc;
	struct lb_cmis_lane_wait lw;
	struct lb_wait_cond c;
	lb_cmis_lane_wait_init(&lw, m, t->lane_mask, LB_CTL_P11_CONFIG_STATUS, -1, &c);
	if ((rc = lb_cmis_wait(m, lb_cmis_apply_bound_ns(info), limit_ns, &c)))
		return rc;
	for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++) {
		if (lb_cmis_bit(t->lane_mask, i) && lw.codes[i] != LB_CONFIG_STATUS_SUCCESS) {
			*reject_code = lw.codes[i];
			return LB_E_REJECTED;
		}
	}
	/* ConfigSuccess is the module's word for the apply it ran: that it is ours, the active set says. */
	return lb_cmis_apply_verify(m, t);
}

static int module_apply_config(struct lb_module *m, const struct lb_dp_config *cfg,
			       int *reject_code)
{
	int code_dummy;
	int *code = reject_code ? reject_code : &code_dummy;
	*code = 0;
	struct lb_dp_config c;
	if (!m || LB_SIZED_READ(c, cfg, LB_DP_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cmis_ctl_info info;
	struct lb_cmis_dp_target t;
	int rc = lb_cmis_dp_resolve(m, &c, &info, &t, code);
	if (rc)
		return rc;
	return lb_cmis_apply_until(m, &t, &info, code, 0);
}

LB_API int lb_module_apply_config(struct lb_module *m, const struct lb_dp_config *cfg,
				  int *reject_code)
{
	return LB_MODULE_CALL(m, module_apply_config(m, cfg, reject_code));
}

static int module_apply_app(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			    int *reject_code)
{
	if (reject_code)
		*reject_code = 0;
	/* Both are required here; lb_module_apply_config gives 0 a meaning for either. */
	if (!m || !lane_mask)
		return LB_E_INVAL;
	if (appsel < 1) {
		if (reject_code)
			*reject_code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL;
		return LB_E_INVAL;
	}
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = lane_mask;
	cfg.appsel = appsel;
	return lb_module_apply_config(m, &cfg, reject_code);
}

LB_API int lb_module_apply_app(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			       int *reject_code)
{
	return LB_MODULE_CALL(m, module_apply_app(m, lane_mask, appsel, reject_code));
}
