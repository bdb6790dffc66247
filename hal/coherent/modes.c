/* SPDX-License-Identifier: MIT */
/*
 * Line modes of a module: its standard coherent applications mapped to line modes by their
 * media interface codes (mode_table.c), then the modes its extension adds (a vendor's PCS
 * modes); selecting one runs the data-path sequence: a vendor mode is changed with the data
 * path deactivated (DPDeinit, the extension's write, the module's confirmation awaited within
 * the time the extension states), then the application is brought up (lb_module_bring_up:
 * stage, ApplyDPInit, DPInit, Tx on). docs/coherent.md, "Line modes".
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/bringup.h>
#include <lightbridge/coherent.h>
#include <lightbridge/driver.h>
#include <lightbridge/link.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/core/wait.h"
#include "hal/coherent/coherent_internal.h"

#define EXT_MAX_MODES 16
#define P00_MAX_POWER 201u /* U8 x 0.25 W */

static void app_mode_fill(const struct lb_app *a, const struct lb_coherent_app_mode *t,
			  double max_w, struct lb_line_mode *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	snprintf(out->id, sizeof(out->id), "%s", t->id);
	snprintf(out->name, sizeof(out->name), "%s", t->name);
	snprintf(out->fec, sizeof(out->fec), "%s", t->fec);
	out->format = t->format;
	out->entropy_bits = t->entropy_bits;
	out->baud_gbd = t->baud_gbd;
	out->net_rate_gbps = t->net_rate_gbps;
	out->fec_threshold_ber = strcmp(t->fec, "CFEC") == 0 ? 1.25e-2 : 2.0e-2;
	out->slot_ghz = t->slot_ghz;
	out->reach_km = t->reach_km;
	out->module_power_w = max_w;
	out->appsel = a->appsel;
	out->host_id = a->host_id;
	out->media_id = a->media_id;
}

static bool listed(const struct lb_line_mode *modes, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(modes[i].id, id) == 0)
			return true;
	return false;
}

/* The extension's modes appended to modes[*n..]: with their size, a code and the energy. */
static int ext_modes(struct lb_module *m, const struct lb_module_ext_ops *ops, void *priv,
		     double max_w, struct lb_line_mode *modes, size_t *n)
{
	struct lb_line_mode ext[EXT_MAX_MODES];
	for (size_t i = 0; i < EXT_MAX_MODES; i++)
		ext[i] = (struct lb_line_mode)LB_LINE_MODE_INIT;
	size_t k = 0;
	int rc = ops->list_line_modes(priv, m, ext, EXT_MAX_MODES, &k);
	if (rc == LB_E_NOTSUP)
		return LB_OK;
	if (rc)
		return lb_module_ext_status(m, rc);
	for (size_t i = 0; i < k && i < EXT_MAX_MODES && *n < LB_COHERENT_MAX_MODES; i++) {
		struct lb_line_mode *d = &modes[*n];
		*d = ext[i];
		d->size = sizeof(*d);
		d->id[sizeof(d->id) - 1] = '\0';
		d->name[sizeof(d->name) - 1] = '\0';
		d->fec[sizeof(d->fec) - 1] = '\0';
		if (!d->id[0] || listed(modes, *n, d->id))
			continue; /* nameless, or an application's id: not selectable as its own */
		if (!d->vendor_code)
			d->vendor_code = (uint8_t)(i + 1);
		if (!(d->module_power_w > 0.0))
			d->module_power_w = max_w;
		(*n)++;
	}
	return LB_OK;
}

int lb_coherent_max_power_w(struct lb_module *m, double *w)
{
	/* page 00h up to its checksum (00h:222, the sum of 128-221), so no byte is taken corrupted */
	uint8_t p00[128];
	int rc = lb_module_read_checked(m, LB_CMIS_PAGE_ADMIN, LB_CMIS_P00_CSUM_FIRST,
					LB_CMIS_P00_CHECKSUM, p00);
	if (rc)
		return rc;
	*w = p00[P00_MAX_POWER - 128u] * 0.25;
	return LB_OK;
}

int lb_coherent_modes(struct lb_module *m, struct lb_line_mode *modes, size_t *count,
		      bool *ext_select, double *max_power_w)
{
	*count = 0;
	*ext_select = false;
	*max_power_w = 0.0;
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	size_t n = 0;
	double max_w = 0.0;
	if (!adv->flat) {
		if ((rc = lb_coherent_max_power_w(m, &max_w)))
			return rc;
		struct lb_app_list apps;
		if ((rc = lb_module_get_apps(m, &apps)))
			return rc;
		for (unsigned i = 0; i < apps.count && n < LB_COHERENT_MAX_MODES; i++) {
			const struct lb_coherent_app_mode *t =
				lb_coherent_app_mode(apps.media_type, apps.app[i].media_id);
			if (!t)
				continue;
			app_mode_fill(&apps.app[i], t, max_w, &modes[n]);
			if (listed(modes, n, t->id)) /* two applications of one mode: name the AppSel */
				snprintf(modes[n].id, sizeof(modes[n].id), "%s/%u", t->id,
					 apps.app[i].appsel);
			n++;
		}
	}
	const struct lb_module_ext_ops *ops;
	void *priv;
	if ((rc = lb_module_ext_get(m, &ops, &priv)))
		return lb_module_ext_status(m, rc);
	if (ops && ops->list_line_modes && (rc = ext_modes(m, ops, priv, max_w, modes, &n)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (modes[i].net_rate_gbps > 0.0 && modes[i].module_power_w > 0.0)
			modes[i].energy_pj_per_bit = modes[i].module_power_w * 1e3 / modes[i].net_rate_gbps;
	}
	*ext_select = ops && ops->select_line_mode;
	*max_power_w = max_w;
	*count = n;
	return LB_OK;
}

int lb_coherent_ext_field(struct lb_module *m, const char *name, double *value)
{
	const struct lb_module_ext_ops *ops;
	void *priv;
	int rc = lb_module_ext_get(m, &ops, &priv);
	if (rc)
		return lb_module_ext_status(m, rc);
	if (!ops || !ops->list_vendor_pages || !ops->decode_vendor_page)
		return LB_E_NOTFOUND;
	uint8_t pages[8];
	size_t np = 0;
	if ((rc = ops->list_vendor_pages(priv, m, pages, 8, &np)))
		return rc == LB_E_NOTSUP ? LB_E_NOTFOUND : lb_module_ext_status(m, rc);
	for (size_t i = 0; i < np && i < 8; i++) {
		struct lb_module_field f[32];
		size_t nf = 0;
		rc = ops->decode_vendor_page(priv, m, 0, pages[i], f, 32, &nf);
		if (rc == LB_E_NOTSUP)
			continue;
		if (rc)
			return lb_module_ext_status(m, rc);
		for (size_t k = 0; k < nf && k < 32; k++) {
			if (strncmp(f[k].name, name, sizeof(f[k].name)) == 0 && isfinite(f[k].value)) {
				*value = f[k].value;
				return LB_OK;
			}
		}
	}
	return LB_E_NOTFOUND;
}

/* ---- the public calls ---- */

static int module_list_line_modes(struct lb_module *m, struct lb_line_mode *modes, size_t max,
				  size_t *count)
{
	if (!m || !count || (max && !modes))
		return LB_E_INVAL;
	*count = 0;
	size_t stride = max ? modes[0].size : 0;
	if (max && stride < LB_LINE_MODE_SIZE_V1)
		return LB_E_INVAL;
	struct lb_line_mode all[LB_COHERENT_MAX_MODES];
	size_t n;
	bool sel;
	double w;
	int rc = lb_coherent_modes(m, all, &n, &sel, &w);
	if (rc)
		return rc;
	size_t k = stride < sizeof(all[0]) ? stride : sizeof(all[0]);
	for (size_t i = 0; i < n && i < max; i++) {
		unsigned char *dst = (unsigned char *)modes + i * stride;
		struct lb_line_mode one = all[i];
		one.size = k;
		memcpy(dst, &one, k);
	}
	*count = n;
	return LB_OK;
}

LB_API int lb_module_list_line_modes(struct lb_module *m, struct lb_line_mode *modes, size_t max,
				     size_t *count)
{
	return LB_MODULE_CALL(m, module_list_line_modes(m, modes, max, count));
}

/* The AppSel in force on the first lane of lane_mask (lane 1 for 0): 0 when none. */
static int active_appsel(struct lb_module *m, uint32_t lane_mask, uint8_t *appsel)
{
	*appsel = 0;
	struct lb_lane_status st = LB_LANE_STATUS_INIT;
	int rc = lb_module_get_lane_status(m, &st);
	if (rc)
		return rc;
	unsigned first = lane_mask ? (unsigned)__builtin_ctz(lane_mask) : 0;
	if (first < st.lanes)
		*appsel = st.active_appsel[first];
	return LB_OK;
}

/* The extension's mode in force ("" for the application's own, or no such op). */
static int ext_current(struct lb_module *m, const struct lb_module_ext_ops *ops, void *priv,
		       uint32_t lane_mask, char *id, size_t len)
{
	id[0] = '\0';
	if (!ops || !ops->get_line_mode)
		return LB_OK;
	int rc = ops->get_line_mode(priv, m, lane_mask, id, len);
	id[len - 1] = '\0';
	if (rc == LB_E_NOTSUP) {
		id[0] = '\0';
		return LB_OK;
	}
	return lb_module_ext_status(m, rc);
}

/* The bound of a wait for the extension's mode: what it states, else the default. */
static uint64_t change_bound_ns(struct lb_module *m)
{
	double ms = LB_LINE_MODE_CHANGE_DEFAULT_MS, v;
	if (lb_coherent_ext_field(m, "mode_change_time_ms", &v) == LB_OK && v > 0.0 && v < 3.6e6)
		ms = v;
	return (uint64_t)(ms * 1e6);
}

struct settle_wait {
	struct lb_module *m;
	const struct lb_module_ext_ops *ops;
	void *priv;
	uint32_t lane_mask;
	char *id;
	size_t len;
};

static int settled(void *user)
{
	struct settle_wait *w = user;
	int rc = ext_current(w->m, w->ops, w->priv, w->lane_mask, w->id, w->len);
	return rc == LB_E_BUSY ? LB_E_AGAIN : rc;
}

/*
 * The extension's mode in force, once no change is under way (one that an earlier call left
 * running, cut short by a bus error say, would otherwise put another mode in force after this
 * call looked): waited within the mode-change time.
 */
static int ext_settled(struct lb_module *m, const struct lb_module_ext_ops *ops, void *priv,
		       uint32_t lane_mask, char *id, size_t len)
{
	int rc = ext_current(m, ops, priv, lane_mask, id, len);
	if (rc != LB_E_AGAIN)
		return rc;
	struct settle_wait w = { m, ops, priv, lane_mask, id, len };
	struct lb_wait_cond c = { .what = "the module's line mode change to end", .check = settled,
				  .user = &w };
	return lb_cmis_wait(m, change_bound_ns(m), 0, &c);
}

struct mode_wait {
	struct lb_module *m;
	const struct lb_module_ext_ops *ops;
	void *priv;
	uint32_t lane_mask;
	const char *want;
	char what[96];
};

static int mode_in_force(void *user)
{
	struct mode_wait *w = user;
	char cur[LB_LINK_ID_LEN];
	int rc = ext_current(w->m, w->ops, w->priv, w->lane_mask, cur, sizeof(cur));
	if (rc == LB_E_BUSY || rc == LB_E_AGAIN)
		return LB_E_AGAIN;
	if (rc)
		return rc;
	return strcmp(cur, w->want) == 0 ? LB_OK : LB_E_AGAIN;
}

/* The data paths of lanes down, the extension's mode changed to want, and confirmed. */
static int change_vendor_mode(struct lb_module *m, const struct lb_module_ext_ops *ops, void *priv,
			      uint32_t lane_mask, const char *want)
{
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	struct lb_lane_status st = LB_LANE_STATUS_INIT;
	int rc;
	if ((rc = lb_module_get_durations(m, &d)) || (rc = lb_module_get_lane_status(m, &st)))
		return rc;
	uint32_t lanes = lane_mask;
	if (!lanes)
		lanes = st.lanes >= 32 ? 0xFFFFFFFFu : (1u << st.lanes) - 1u;
	if ((rc = lb_module_dp_deinit(m, lanes, true)) ||
	    (rc = lb_module_wait_dp_state(m, lanes, LB_DP_STATE_DEACTIVATED, d.dp_deinit_ms)))
		return rc;
	if ((rc = ops->select_line_mode(priv, m, lane_mask, want)))
		return lb_module_ext_status(m, rc);
	struct mode_wait w = { m, ops, priv, lane_mask, want, "" };
	snprintf(w.what, sizeof(w.what), "line mode \"%s\" in force", *want ? want : "(application's own)");
	struct lb_wait_cond c = { .what = w.what, .check = mode_in_force, .user = &w };
	return lb_cmis_wait(m, change_bound_ns(m), 0, &c);
}

/* lane_mask (0: any) whole data paths of appsel (0: the first application), before anything. */
static int lanes_fit(struct lb_module *m, uint32_t lane_mask, uint8_t appsel)
{
	if (!lane_mask)
		return LB_OK;
	struct lb_cmis_ctl_info info;
	struct lb_app app;
	uint32_t media;
	int code = 0;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc)
		return rc;
	if ((rc = lb_cmis_find_app(m, appsel ? appsel : 1, &app)))
		return rc == LB_E_NOTFOUND ? LB_E_INVAL : rc;
	if (lb_cmis_dp_check(&app, lane_mask, info.lanes, &media, &code))
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				    "lanes 0x%x are not whole data paths of application %u (%s)",
				    (unsigned)lane_mask, app.appsel, lb_config_status_name(code));
	return LB_OK;
}

/* Bring lanes up on appsel, staged with ExplicitControl when ec (the blocking bring-up). */
static int bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel, bool ec)
{
	if (!ec)
		return lb_module_bring_up(m, lane_mask, appsel, NULL);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = lane_mask;
	cfg.appsel = appsel;
	cfg.explicit_control = true;
	struct lb_bringup *b = NULL;
	int rc = lb_bringup_start_config(m, &cfg, NULL, &b);
	if (rc)
		return rc;
	uint64_t wake;
	struct lb_bus *bus = lb_module_bus(m);
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN) {
		uint64_t now = lb_bus_now_ns(bus);
		if (wake > now)
			lb_bus_sleep_ns(bus, wake - now);
	}
	lb_bringup_free(b);
	return rc;
}

/*
 * Whether the lanes (0: every lane) are up on appsel with ExplicitControl already: then a mode
 * that needs it is in force as it is, and bringing it up again would take the data path down.
 */
static int up_explicit(struct lb_module *m, uint32_t lane_mask, uint8_t appsel, bool *yes)
{
	*yes = false;
	struct lb_lane_status st = LB_LANE_STATUS_INIT;
	uint8_t acs[LB_MODULE_MAX_LANES];
	int rc = lb_module_get_lane_status(m, &st);
	if (rc)
		return rc;
	uint32_t lanes = lane_mask ? lane_mask : st.lanes >= 32 ? 0xFFFFFFFFu : (1u << st.lanes) - 1u;
	if ((rc = lb_cmis_read_active_sets(m, lanes, acs)))
		return rc;
	for (unsigned i = 0; i < st.lanes && i < LB_MODULE_MAX_LANES; i++)
		if (((lanes >> i) & 1u) && ((acs[i] >> 4) != appsel || !(acs[i] & 1u) ||
					    st.dp_state[i] != LB_DP_STATE_ACTIVATED))
			return LB_OK;
	*yes = true;
	return LB_OK;
}

static int find_mode(const struct lb_line_mode *modes, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(modes[i].id, id) == 0)
			return (int)i;
	return -1;
}

static int not_offered(struct lb_module *m, const struct lb_line_mode *modes, size_t n,
		       bool ext_select, const char *id)
{
	char list[256] = "";
	size_t at = 0;
	for (size_t i = 0; i < n && at < sizeof(list); i++) {
		int k = snprintf(list + at, sizeof(list) - at, "%s%s", i ? ", " : "", modes[i].id);
		if (k < 0)
			break;
		at += (size_t)k;
	}
	if (!ext_select)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "line mode \"%s\": no extension of this module selects vendor modes "
				    "(PCS is no CMIS register); its applications give: %s",
				    id, n ? list : "none");
	return lb_ctx_error(lb_module_ctx(m), LB_E_NOTFOUND,
			    "line mode \"%s\": the module offers %s", id, n ? list : "none");
}

static int module_select_line_mode(struct lb_module *m, uint32_t lane_mask, const char *id)
{
	if (!m || !id)
		return LB_E_INVAL;
	struct lb_line_mode modes[LB_COHERENT_MAX_MODES];
	size_t n;
	bool sel;
	double w;
	int rc = lb_coherent_modes(m, modes, &n, &sel, &w);
	if (rc)
		return rc;
	const struct lb_line_mode *t = NULL;
	if (*id) {
		int i = find_mode(modes, n, id);
		if (i < 0)
			return not_offered(m, modes, n, sel, id);
		t = &modes[i];
	}
	const struct lb_module_ext_ops *ops;
	void *priv;
	if ((rc = lb_module_ext_get(m, &ops, &priv)))
		return lb_module_ext_status(m, rc);
	char cur[LB_LINK_ID_LEN];
	if ((rc = ext_settled(m, ops, priv, lane_mask, cur, sizeof(cur))))
		return rc;
	const char *want = t && t->vendor_code ? t->id : "";
	uint8_t appsel = t ? t->appsel : 0;
	if (!t && (rc = active_appsel(m, lane_mask, &appsel)))
		return rc;
	bool ec = t && t->explicit_control, done;
	if ((rc = lanes_fit(m, lane_mask, appsel)))
		return rc;
	if (strcmp(cur, want) == 0) {
		if (ec && ((rc = up_explicit(m, lane_mask, appsel, &done)) || done))
			return rc;
		return bring_up(m, lane_mask, appsel, ec);
	}
	if (!sel)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module's extension reports line mode \"%s\" but selects none", cur);
	/*
	 * The data path is down from DPDeinit to the end of the bring-up: claimed meanwhile, so
	 * no other handle, thread or process brings it up half-way (unless this handle already
	 * holds a claim, which then covers it).
	 */
	char reason[96];
	snprintf(reason, sizeof(reason), "line mode change to %s", *want ? want : "the application's own");
	int claim = lb_module_request(m, reason);
	if (claim && claim != LB_E_STATE)
		return claim;
	rc = change_vendor_mode(m, ops, priv, lane_mask, want);
	if (!rc)
		rc = bring_up(m, lane_mask, appsel, ec);
	if (!claim) {
		int rel = lb_module_release(m);
		if (!rc)
			rc = rel;
	}
	return rc;
}

LB_API int lb_module_select_line_mode(struct lb_module *m, uint32_t lane_mask, const char *id)
{
	return LB_MODULE_CALL(m, module_select_line_mode(m, lane_mask, id));
}

int lb_coherent_mode_in_force(struct lb_module *m, uint32_t lane_mask, bool with_app, char *id,
			      size_t len)
{
	id[0] = '\0';
	const struct lb_module_ext_ops *ops;
	void *priv;
	char cur[LB_LINK_ID_LEN];
	int rc = lb_module_ext_get(m, &ops, &priv);
	if (rc)
		return lb_module_ext_status(m, rc);
	if ((rc = ext_settled(m, ops, priv, lane_mask, cur, sizeof(cur))))
		return rc;
	if (!cur[0] && with_app) {
		const struct lb_module_adv *adv;
		uint8_t appsel = 0;
		if ((rc = lb_module_get_adv(m, &adv)))
			return rc;
		if (!adv->flat && (rc = active_appsel(m, lane_mask, &appsel)))
			return rc;
		struct lb_line_mode modes[LB_COHERENT_MAX_MODES];
		size_t n = 0;
		bool sel;
		double w;
		if (appsel && (rc = lb_coherent_modes(m, modes, &n, &sel, &w)))
			return rc;
		for (size_t i = 0; i < n && !cur[0]; i++)
			if (!modes[i].vendor_code && modes[i].appsel == appsel)
				snprintf(cur, sizeof(cur), "%s", modes[i].id);
	}
	snprintf(id, len, "%s", cur);
	return LB_OK;
}

static int module_get_line_mode(struct lb_module *m, uint32_t lane_mask, char *id, size_t len)
{
	if (!m || !id || !len)
		return LB_E_INVAL;
	return lb_coherent_mode_in_force(m, lane_mask, false, id, len);
}

LB_API int lb_module_get_line_mode(struct lb_module *m, uint32_t lane_mask, char *id, size_t len)
{
	return LB_MODULE_CALL(m, module_get_line_mode(m, lane_mask, id, len));
}
