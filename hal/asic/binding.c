/* SPDX-License-Identifier: MIT */
/*
 * Port <-> module binding (lightbridge/binding.h): an ASIC port's speed and lanes choose the
 * module's application and bring it up; the port's state through the platform is the ASIC's,
 * held down by the module's layers beneath it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/binding.h>
#include <lightbridge/coherent.h>
#include <lightbridge/flags.h>
#include <lightbridge/link.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/binding_internal.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/flags.h"
#include "hal/core/ctx_internal.h"

LB_API const char *lb_port_down_reason_name(enum lb_port_down_reason reason)
{
	static const char *const names[] = {
		[LB_PORT_DOWN_NONE] = "",
		[LB_PORT_DOWN_ADMIN] = "admin-down",
		[LB_PORT_DOWN_MODULE_ABSENT] = "module-absent",
		[LB_PORT_DOWN_MODULE_ERROR] = "module-error",
		[LB_PORT_DOWN_MODULE_NOT_READY] = "module-not-ready",
		[LB_PORT_DOWN_DATAPATH] = "datapath-down",
		[LB_PORT_DOWN_LINK_LOS] = "link-los",
		[LB_PORT_DOWN_LINK_LOL] = "link-lol",
		[LB_PORT_DOWN_ASIC] = "asic",
		[LB_PORT_DOWN_LINK_ERRORS] = "fec-uncorrectable",
	};
	if ((unsigned)reason >= sizeof(names) / sizeof(names[0]))
		return "?";
	return names[reason];
}

void lb_platform_switch_attach_cages(struct lb_platform *p, struct lb_switch *sw)
{
	if (!p || !sw || !sw->ops->cage_attach)
		return;
	unsigned nb = lb_platform_bus_count(p), n = lb_platform_port_count(p);
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		uint32_t first, count;
		if (lb_platform_port_at(p, i, &info) || lb_platform_port_asic_lanes(p, info.port, &first, &count))
			continue;
		for (unsigned b = 0; b < nb; b++) {
			struct lb_bus *bus;
			const char *name;
			if (lb_platform_bus_at(p, b, &bus, &name) == LB_OK && name && info.bus &&
			    strcmp(name, info.bus) == 0) {
				pthread_mutex_lock(&sw->lock);
				(void)sw->ops->cage_attach(sw->priv, first, count, bus, &info.addr);
				pthread_mutex_unlock(&sw->lock);
				break;
			}
		}
	}
}

/* The ASIC port's front-panel port and configuration; the host lanes it uses. */
struct bound {
	struct lb_switch *sw;
	struct lb_asic_port_config cfg;
	unsigned port;
	uint32_t mask;
	unsigned first_host; /* 0-based host lane of the mask's first bit */
};

static int locate(struct lb_platform *p, uint32_t asic_port, struct bound *b)
{
	int rc = lb_platform_switch(p, &b->sw);
	if (rc)
		return rc;
	b->cfg = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
	if ((rc = lb_asic_port_get(b->sw, asic_port, &b->cfg)))
		return rc;
	unsigned n = lb_platform_port_count(p);
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		uint32_t first, count;
		if (lb_platform_port_at(p, i, &info) || lb_platform_port_asic_lanes(p, info.port, &first, &count))
			continue;
		if (b->cfg.first_lane < first || b->cfg.first_lane >= first + count)
			continue;
		unsigned off = b->cfg.first_lane - first;
		if (off + b->cfg.lane_count > LB_MODULE_MAX_LANES || b->cfg.lane_count > 32)
			return lb_ctx_error(b->sw->ctx, LB_E_RANGE, "asic port %u: lanes %u-%u of port %u: "
					    "beyond the %u host lanes a module has", asic_port,
					    b->cfg.first_lane, b->cfg.first_lane + b->cfg.lane_count - 1,
					    info.port, (unsigned)LB_MODULE_MAX_LANES);
		b->port = info.port;
		b->first_host = off;
		b->mask = (b->cfg.lane_count >= 32 ? 0xFFFFFFFFu : ((1u << b->cfg.lane_count) - 1u)) << off;
		return LB_OK;
	}
	return lb_ctx_error(b->sw->ctx, LB_E_NOTFOUND, "asic port %u: lanes %u-%u are on no front-panel "
			    "port's lanes", asic_port, b->cfg.first_lane,
			    b->cfg.first_lane + b->cfg.lane_count - 1);
}

LB_API int lb_platform_asic_port_lanes(struct lb_platform *p, uint32_t asic_port, unsigned *port,
				       uint32_t *host_lane_mask)
{
	if (!p)
		return LB_E_INVAL;
	struct bound b;
	int rc = locate(p, asic_port, &b);
	if (rc)
		return rc;
	if (port)
		*port = b.port;
	if (host_lane_mask)
		*host_lane_mask = b.mask;
	return LB_OK;
}

/* ---- the application a port binds to ---- */

/* Whether a line of rate_gbps carries a port of gbps (rates as modes state them: 800, 400). */
static bool carries(double rate_gbps, unsigned gbps)
{
	return fabs(rate_gbps - (double)gbps) < 0.005 * gbps;
}

/* A coherent module's line modes (lb_module_list_line_modes), into a new array *out. */
static int line_modes(struct lb_module *m, struct lb_line_mode **out, size_t *count)
{
	*out = NULL;
	*count = 0;
	struct lb_line_mode probe = LB_LINE_MODE_INIT;
	size_t n = 0;
	int rc = lb_module_list_line_modes(m, &probe, 0, &n);
	if (rc || !n)
		return rc;
	struct lb_line_mode *v = calloc(n, sizeof(*v));
	if (!v)
		return LB_E_NOMEM;
	v[0].size = sizeof(*v);
	if ((rc = lb_module_list_line_modes(m, v, n, count))) {
		free(v);
		return rc;
	}
	if (*count > n)
		*count = n;
	*out = v;
	return LB_OK;
}

/* The line mode of application appsel itself (not an extension's), or NULL. */
static const struct lb_line_mode *app_mode(const struct lb_line_mode *v, size_t n, uint8_t appsel)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].appsel == appsel && !v[i].vendor_code)
			return &v[i];
	return NULL;
}

/*
 * The application ASIC port asic_port binds to: its host interface runs the port's speed over
 * the port's host lanes (lb_module_find_app), and, on a coherent module, its line runs that
 * speed too (the first such in AppSel order: 400G on an 800ZR module takes its 400ZR
 * application, not ZR300 on the same 400GAUI-8 host side). *clear_mode is set when an
 * extension's line mode in force on the lanes does not carry the speed (it goes before the
 * bring-up); one that does stays (the module runs it over the application).
 */
static int choose_app(struct lb_module *m, const struct bound *b, uint32_t asic_port, uint8_t *app,
		      bool *clear_mode)
{
	unsigned gbps = b->cfg.speed_mbps / 1000u;
	*clear_mode = false;
	int rc = lb_module_find_app(m, gbps, b->mask, app);
	if (rc) {
		char speed[16];
		lb_asic_speed_text(b->cfg.speed_mbps, speed, sizeof(speed));
		return lb_ctx_error(b->sw->ctx, rc, "asic port %u: port %u: no application for %s over "
				    "host lanes %u-%u: %s", asic_port, b->port, speed, b->first_host + 1,
				    b->first_host + b->cfg.lane_count, lb_module_last_error(m));
	}
	if (lb_module_is_coherent(m) != 1)
		return LB_OK;
	struct lb_line_mode *v;
	size_t n;
	struct lb_app_list apps;
	struct lb_cmis_ctl_info info;
	if ((rc = line_modes(m, &v, &n)))
		return lb_ctx_error(b->sw->ctx, rc, "asic port %u: port %u: the module's line modes: %s",
				    asic_port, b->port, lb_strerror(rc));
	if (!n)
		return LB_OK; /* coherent, but no mode known for its applications: the host side decides */
	if ((rc = lb_module_get_apps(m, &apps)) || (rc = lb_cmis_ctl_info(m, &info))) {
		free(v);
		return rc;
	}
	char offered[256] = "";
	size_t at = 0;
	bool found = false;
	for (unsigned i = 0; i < apps.count && !found; i++) {
		const struct lb_app *a = &apps.app[i];
		uint32_t media;
		int code;
		if (lb_sff8024_host_interface_gbps(a->host_id) != gbps ||
		    a->host_lanes != (unsigned)__builtin_popcount(b->mask) ||
		    lb_cmis_dp_check(a, b->mask, info.lanes, &media, &code) != LB_OK)
			continue;
		const struct lb_line_mode *lm = app_mode(v, n, a->appsel);
		if (lm && carries(lm->net_rate_gbps, gbps)) {
			*app = a->appsel;
			found = true;
		} else if (at < sizeof(offered)) {
			int k = lm ? snprintf(offered + at, sizeof(offered) - at, "%sAppSel %u (%s, %.0fG)",
					      at ? ", " : "", a->appsel, lm->id, lm->net_rate_gbps)
				   : snprintf(offered + at, sizeof(offered) - at, "%sAppSel %u (no line mode)",
					      at ? ", " : "", a->appsel);
			at += k > 0 ? (size_t)k : 0;
		}
	}
	if (!found) {
		free(v);
		char speed[16];
		lb_asic_speed_text(b->cfg.speed_mbps, speed, sizeof(speed));
		return lb_ctx_error(b->sw->ctx, LB_E_NOTFOUND, "asic port %u: port %u: no application runs "
				    "%s on the line over host lanes %u-%u: %s has another line rate",
				    asic_port, b->port, speed, b->first_host + 1,
				    b->first_host + b->cfg.lane_count, offered);
	}
	char id[LB_PORT_LINE_MODE_LEN] = "";
	if (lb_module_get_line_mode(m, b->mask, id, sizeof(id)) == LB_OK && id[0]) {
		*clear_mode = true;
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].id, id) == 0 && carries(v[i].net_rate_gbps, gbps))
				*clear_mode = false;
	}
	free(v);
	return LB_OK;
}

LB_API int lb_platform_asic_port_bind_start(struct lb_platform *p, uint32_t asic_port,
					    const struct lb_op *op, uint8_t *appsel,
					    struct lb_bringup **out)
{
	if (!p || !out)
		return LB_E_INVAL;
	*out = NULL;
	struct bound b;
	int rc = locate(p, asic_port, &b);
	if (rc)
		return rc;
	struct lb_module *m;
	if ((rc = lb_platform_module(p, b.port, &m)))
		return lb_ctx_error(b.sw->ctx, rc, "asic port %u: port %u: %s", asic_port, b.port,
				    rc == LB_E_NODEV ? "the cage is empty" : lb_strerror(rc));
	uint8_t app = 0;
	bool clear_mode;
	if ((rc = choose_app(m, &b, asic_port, &app, &clear_mode)))
		return rc;
	/* an extension's line mode of another rate: back to the applications' own first */
	if (clear_mode && (rc = lb_module_select_line_mode(m, b.mask, "")))
		return lb_ctx_error(b.sw->ctx, rc, "asic port %u: port %u: leaving the line mode in "
				    "force: %s", asic_port, b.port, lb_module_last_error(m));
	if ((rc = lb_bringup_start(m, b.mask, app, op, out)))
		return lb_ctx_error(b.sw->ctx, rc, "asic port %u: port %u: bring-up: %s", asic_port,
				    b.port, lb_strerror(rc));
	if (appsel)
		*appsel = app;
	return LB_OK;
}

LB_API int lb_platform_asic_port_bind(struct lb_platform *p, uint32_t asic_port,
				      const struct lb_op *op, struct lb_bringup_report *report)
{
	if (!p)
		return LB_E_INVAL;
	struct lb_bringup *bu;
	int rc = lb_platform_asic_port_bind_start(p, asic_port, op, NULL, &bu);
	if (rc)
		return rc;
	unsigned port = 0;
	struct lb_module *m = NULL;
	lb_platform_asic_port_lanes(p, asic_port, &port, NULL);
	lb_platform_module(p, port, &m);
	struct lb_bus *bus = m ? lb_module_bus(m) : NULL;
	uint64_t wake = 0;
	while ((rc = lb_bringup_step(bu, &wake)) == LB_E_AGAIN && bus) {
		uint64_t now = lb_bus_now_ns(bus);
		if (wake > now)
			lb_bus_sleep_ns(bus, wake - now);
	}
	if (report)
		lb_bringup_get_report(bu, report);
	lb_bringup_free(bu);
	return rc;
}

/* The media lanes of the host lanes in b (an application's media lanes split as its host
 * lanes do; a module with fewer media than host lanes gives each data path its share). */
static uint32_t media_mask(struct lb_module *m, const struct bound *b, uint8_t appsel)
{
	struct lb_app_list apps;
	if (!appsel || lb_module_get_apps(m, &apps))
		return 0;
	for (unsigned i = 0; i < apps.count; i++) {
		const struct lb_app *a = &apps.app[i];
		if (a->appsel != appsel || !a->host_lanes || !a->media_lanes)
			continue;
		unsigned first = b->first_host / a->host_lanes * a->media_lanes;
		if (first + a->media_lanes > 32)
			return 0;
		return (a->media_lanes >= 32 ? 0xFFFFFFFFu : ((1u << a->media_lanes) - 1u)) << first;
	}
	return 0;
}

#define CCMIS_FLAGS_PAGE 0x33u
#define CCMIS_FLAG_UNCORRECTABLE 0x04u /* 33h:128+n-1, docs/coherent.md */

/* The media lanes of media (bank 0) whose C-CMIS uncorrectable flag latched, as c sees them. */
static int uncorrectable_once(struct lb_module *m, struct lb_flag_consumer *c, uint32_t media,
			      unsigned n, uint32_t *out)
{
	uint8_t b[LB_FLAGS_P33_N];
	int rc = lb_module_read(m, 0, CCMIS_FLAGS_PAGE, LB_FLAGS_P33_FIRST, b, (uint8_t)n);
	if (rc)
		return rc;
	struct lb_flag_bytes fb;
	memset(&fb, 0, sizeof(fb));
	lb_flags_take_coherent(m, c, 1, &fb);
	*out = 0;
	for (unsigned l = 0; l < n; l++)
		if ((media & (1u << l)) && (fb.p33[0][l] & CCMIS_FLAG_UNCORRECTABLE))
			*out |= 1u << l;
	/* what the binding does not report stays for c's other readers: none (c is ours) */
	return LB_OK;
}

/*
 * Whether a coherent module's line FEC leaves uncorrectable frames on the port's media lanes
 * now (rule: the C-CMIS uncorrectable-frames flag, which the module raises while the post-FEC
 * frame error ratio is above zero; clear-on-read, latching again at once while it holds, so
 * a flag seen is read once more to say "now", as LOS and LOL are). Not coherent, or lanes
 * beyond bank 0's eight: none, no bus traffic.
 */
static int uncorrectable(struct lb_module *m, struct lb_flag_consumer *c, uint32_t media,
			 uint32_t *out)
{
	*out = 0;
	if (!media || (media & ~0xFFu) || lb_module_is_coherent(m) != 1)
		return LB_OK;
	unsigned n = 0;
	while (n < 8 && (media >> n))
		n++;
	int rc = uncorrectable_once(m, c, media, n, out);
	if (rc == LB_OK && *out)
		rc = uncorrectable_once(m, c, media, n, out);
	return rc;
}

/* The module's layers beneath the port: the first that holds it down, into o. */
static void module_layers(struct lb_platform *p, const struct bound *b, struct lb_port_oper *o)
{
	struct lb_module *m;
	int rc = lb_platform_module(p, b->port, &m);
	if (rc == LB_E_NODEV) {
		o->reason = LB_PORT_DOWN_MODULE_ABSENT;
		return;
	}
	enum lb_module_state st = 0;
	if (rc == LB_OK)
		rc = lb_module_get_state(m, &st);
	if (rc) {
		/* a module pulled since its last access answers nothing: ask the cage */
		bool present = true;
		if (rc != LB_E_NODEV && lb_platform_check_present(p, b->port, &present) == LB_OK && !present)
			rc = LB_E_NODEV;
		o->module_status = rc;
		o->reason = rc == LB_E_NODEV ? LB_PORT_DOWN_MODULE_ABSENT : LB_PORT_DOWN_MODULE_ERROR;
		return;
	}
	o->module_state = (int)st;
	if (st != LB_MODULE_STATE_READY) {
		o->reason = LB_PORT_DOWN_MODULE_NOT_READY;
		return;
	}
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if ((rc = lb_module_get_lane_status(m, &ls))) {
		o->module_status = rc;
		o->reason = LB_PORT_DOWN_MODULE_ERROR;
		return;
	}
	o->dp_state = LB_DP_STATE_ACTIVATED;
	o->appsel = b->first_host < ls.lanes ? ls.active_appsel[b->first_host] : 0;
	/* a vendor line mode in force (none on plain CMIS: LB_E_NOTSUP, left "") */
	if (lb_module_get_line_mode(m, b->mask, o->line_mode, sizeof(o->line_mode)) != LB_OK)
		o->line_mode[0] = 0;
	for (unsigned l = 0; l < 32; l++) {
		if (!(b->mask & (1u << l)))
			continue;
		uint8_t s = l < ls.lanes ? ls.dp_state[l] : 0;
		if (s != LB_DP_STATE_ACTIVATED) {
			o->dp_state = s;
			o->reason = LB_PORT_DOWN_DATAPATH;
			return;
		}
	}
	struct lb_flag_consumer *c;
	if ((rc = lb_flag_consumer_create(m, &c))) {
		o->module_status = rc;
		o->reason = LB_PORT_DOWN_MODULE_ERROR;
		return;
	}
	uint32_t media = media_mask(m, b, o->appsel);
	struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
	rc = lb_module_flags_read(m, c, &f);
	/* A latch may be older than now (the link down a while ago): the flags are clear-on-read
	 * and a condition that still holds latches again at once, so a second read says now. */
	if (rc == LB_OK && ((f.rx_los | f.rx_lol) & media)) {
		f = (struct lb_module_flags)LB_MODULE_FLAGS_INIT;
		rc = lb_module_flags_read(m, c, &f);
	}
	if (rc == LB_OK) {
		o->rx_los = f.rx_los & media;
		o->rx_lol = f.rx_lol & media;
		if (!o->rx_los && !o->rx_lol)
			rc = uncorrectable(m, c, media, &o->rx_uncorrectable);
	}
	lb_flag_consumer_free(c);
	if (rc) {
		o->module_status = rc;
		o->reason = LB_PORT_DOWN_MODULE_ERROR;
		return;
	}
	if (o->rx_los)
		o->reason = LB_PORT_DOWN_LINK_LOS;
	else if (o->rx_lol)
		o->reason = LB_PORT_DOWN_LINK_LOL;
	else if (o->rx_uncorrectable)
		o->reason = LB_PORT_DOWN_LINK_ERRORS;
}

LB_API int lb_platform_asic_port_oper(struct lb_platform *p, uint32_t asic_port,
				      struct lb_port_oper *out)
{
	if (!p || lb_sized_check(out, LB_PORT_OPER_SIZE_V1))
		return LB_E_INVAL;
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	struct bound b;
	int rc = locate(p, asic_port, &b);
	struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
	if (rc == LB_OK)
		rc = lb_asic_port_get_status(b.sw, asic_port, &st);
	if (rc) {
		LB_SIZED_FILL(out, o);
		return rc;
	}
	o.port = b.port;
	o.host_lane_mask = b.mask;
	o.asic_reason = st.oper == LB_ASIC_OPER_UP ? LB_ASIC_DOWN_NONE : st.reason;
	if (!b.cfg.admin_up)
		o.reason = LB_PORT_DOWN_ADMIN;
	else {
		module_layers(p, &b, &o);
		if (o.reason == LB_PORT_DOWN_NONE && st.oper != LB_ASIC_OPER_UP)
			o.reason = LB_PORT_DOWN_ASIC;
	}
	o.oper = o.reason == LB_PORT_DOWN_NONE ? LB_ASIC_OPER_UP : LB_ASIC_OPER_DOWN;
	LB_SIZED_FILL(out, o);
	return LB_OK;
}
