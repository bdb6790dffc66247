/* SPDX-License-Identifier: MIT */
/*
 * Power per bit: a module's power (advertised maximum, 00h:201; measured where its extension
 * reports it) over its configured line rate (the data paths of the active control set, at
 * their line mode's net rate when coherent, else their host interface rate), and the total
 * of a platform.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/link.h>
#include "hal/core/ctx_internal.h"
#include <lightbridge/platform.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

/*
 * The rate of one data path on appsel: its host interface's rate, capped by its line mode's net
 * rate (the extension's mode when vendor_id names one): a data path never carries more than
 * either side, and two data paths of a muxponder application (2 x 400G over one 800G line)
 * count their host halves, not the line twice.
 */
static double dp_rate(const struct lb_line_mode *modes, size_t n, const struct lb_app_list *apps,
		      uint8_t appsel, const char *vendor_id)
{
	double line = 0.0, host = 0.0;
	for (size_t i = 0; i < n && line == 0.0; i++)
		if (vendor_id[0] ? strcmp(modes[i].id, vendor_id) == 0
				 : (!modes[i].vendor_code && modes[i].appsel == appsel))
			line = modes[i].net_rate_gbps;
	for (unsigned i = 0; i < apps->count; i++)
		if (apps->app[i].appsel == appsel)
			host = lb_sff8024_host_interface_gbps(apps->app[i].host_id);
	if (line > 0.0 && host > 0.0)
		return line < host ? line : host;
	return line > 0.0 ? line : host;
}

static void ratios(struct lb_power_per_bit *p)
{
	double tbps = p->line_rate_gbps / 1000.0;
	p->max_w_per_tbps = tbps > 0.0 && p->max_power_w > 0.0 ? p->max_power_w / tbps : NAN;
	p->max_pj_per_bit = p->max_w_per_tbps;
	p->measured_w_per_tbps = tbps > 0.0 && isfinite(p->measured_power_w)
					 ? p->measured_power_w / tbps : NAN;
	p->measured_pj_per_bit = p->measured_w_per_tbps;
}

/* The configured line rate over the data paths of the active control set. */
static int line_rate(struct lb_module *m, const struct lb_line_mode *modes, size_t n,
		     const char *vendor_id, double *gbps, unsigned *paths)
{
	*gbps = 0.0;
	*paths = 0;
	struct lb_lane_status st = LB_LANE_STATUS_INIT;
	struct lb_app_list apps;
	int rc = lb_module_get_lane_status(m, &st);
	if (rc || (rc = lb_module_get_apps(m, &apps)))
		return rc;
	for (unsigned i = 0; i < st.lanes && i < LB_MODULE_MAX_LANES; i++) {
		uint8_t appsel = st.active_appsel[i];
		if (!appsel)
			continue;
		/* a data path is counted at its first lane: DataPathID names its first lane */
		if (st.active_dpid[i] != i % 8)
			continue;
		*gbps += dp_rate(modes, n, &apps, appsel, vendor_id);
		(*paths)++;
	}
	return LB_OK;
}

static int module_power_per_bit(struct lb_module *m, struct lb_power_per_bit *p)
{
	p->measured_power_w = NAN;
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc || adv->flat) {
		ratios(p);
		return rc;
	}
	if ((rc = lb_coherent_max_power_w(m, &p->max_power_w)))
		return rc;
	if ((rc = lb_coherent_mode_in_force(m, 0, true, p->line_mode, sizeof(p->line_mode))))
		return rc;
	/* the vendor mode applies to the module's data paths; a standard mode is per AppSel */
	char vendor[LB_LINK_ID_LEN] = "";
	struct lb_line_mode modes[LB_COHERENT_MAX_MODES];
	size_t n;
	bool sel;
	double w;
	if ((rc = lb_coherent_modes(m, modes, &n, &sel, &w)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (modes[i].vendor_code && strcmp(modes[i].id, p->line_mode) == 0)
			snprintf(vendor, sizeof(vendor), "%s", modes[i].id);
	if ((rc = line_rate(m, modes, n, vendor, &p->line_rate_gbps, &p->data_paths)))
		return rc;
	double v;
	rc = lb_coherent_ext_field(m, "module_power_w", &v);
	if (rc == LB_OK && v >= 0.0 && v < 1000.0)
		p->measured_power_w = v;
	else if (rc && rc != LB_E_NOTFOUND)
		return rc;
	ratios(p);
	return LB_OK;
}

static int get_power_per_bit(struct lb_module *m, struct lb_power_per_bit *out)
{
	if (!m || lb_sized_check(out, LB_POWER_PER_BIT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_power_per_bit p;
	memset(&p, 0, sizeof(p));
	p.size = sizeof(p);
	int rc = module_power_per_bit(m, &p);
	if (rc) {
		memset(&p, 0, sizeof(p));
		p.size = sizeof(p);
		p.measured_power_w = p.max_w_per_tbps = p.max_pj_per_bit = NAN;
		p.measured_w_per_tbps = p.measured_pj_per_bit = NAN;
	}
	LB_SIZED_FILL(out, p);
	return rc;
}

LB_API int lb_module_get_power_per_bit(struct lb_module *m, struct lb_power_per_bit *out)
{
	return LB_MODULE_CALL(m, get_power_per_bit(m, out));
}

LB_API int lb_platform_get_power_per_bit(struct lb_platform *pl, struct lb_power_per_bit *out,
					 unsigned *ports)
{
	if (ports)
		*ports = 0;
	if (!pl || lb_sized_check(out, LB_POWER_PER_BIT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_power_per_bit t;
	memset(&t, 0, sizeof(t));
	t.size = sizeof(t);
	double measured = 0.0, measured_rate = 0.0;
	unsigned counted = 0, measuring = 0;
	for (unsigned i = 0; i < lb_platform_port_count(pl); i++) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		struct lb_module *m;
		if (lb_platform_port_at(pl, i, &info) || lb_platform_module(pl, info.port, &m))
			continue; /* no such port, or an empty cage */
		struct lb_power_per_bit p = LB_POWER_PER_BIT_INIT;
		int rc = lb_module_get_power_per_bit(m, &p);
		if (rc) {
			lb_log(lb_module_ctx(m), LB_LOG_WARN,
			       "power per bit: port %u skipped: %s", info.port, lb_strerror(rc));
			continue;
		}
		counted++;
		t.max_power_w += p.max_power_w;
		t.line_rate_gbps += p.line_rate_gbps;
		t.data_paths += p.data_paths;
		if (isfinite(p.measured_power_w)) {
			measuring++;
			measured += p.measured_power_w;
			measured_rate += p.line_rate_gbps;
		}
	}
	ratios(&t);
	t.measured_power_w = measuring ? measured : NAN;
	t.measured_w_per_tbps = measuring && measured_rate > 0.0 ? measured / (measured_rate / 1000.0)
								  : NAN;
	t.measured_pj_per_bit = t.measured_w_per_tbps;
	LB_SIZED_FILL(out, t);
	if (ports)
		*ports = counted;
	return LB_OK;
}
