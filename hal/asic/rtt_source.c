/* SPDX-License-Identifier: MIT */
/*
 * The round trip of a front-panel port from its optics (lightbridge/thresholds.h): a module's
 * delay (none reports one), the coherent module's measured CD over the fibre's D, the
 * platform link's path, the caller's distance; the first that gives one.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/ctx.h>
#include <lightbridge/link.h>
#include <lightbridge/module.h>
#include <lightbridge/platform.h>
#include <lightbridge/thresholds.h>
#include "hal/abi/sized.h"
#include "hal/core/ctx_internal.h"
#include "hal/platform/platform_ctx.h"

#define C_KM_PER_NS 299792.458e-9 /* c in km/ns */
#define DEFAULT_THZ 193.4
#define CD_RESOLUTION_PS_NM 1.0 /* 35h's S32 counts whole ps/nm */

LB_API const char *lb_rtt_source_name(enum lb_rtt_source source)
{
	switch (source) {
	case LB_RTT_SOURCE_NONE: return "none";
	case LB_RTT_SOURCE_MODULE_DELAY: return "module-delay";
	case LB_RTT_SOURCE_CD_ESTIMATE: return "cd-estimate";
	case LB_RTT_SOURCE_LINK_PATH: return "link-path";
	case LB_RTT_SOURCE_DISTANCE: return "distance";
	}
	return "?";
}

/* Append "name: reason; " to o->skipped. */
static void skip(struct lb_port_rtt *o, enum lb_rtt_source s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void skip(struct lb_port_rtt *o, enum lb_rtt_source s, const char *fmt, ...)
{
	size_t len = strlen(o->skipped);
	if (len + 1 >= sizeof(o->skipped))
		return;
	snprintf(o->skipped + len, sizeof(o->skipped) - len, "%s%s: ", len ? "; " : "", lb_rtt_source_name(s));
	len = strlen(o->skipped);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->skipped + len, sizeof(o->skipped) - len, fmt, ap);
	va_end(ap);
}

/* The fibre of the port's platform link, as the link model sees it. */
struct fibre {
	bool have;          /* the port is on a link whose path loaded */
	double length_km;
	double d_ps_nm_km;  /* length-weighted D at the path's channel */
	double group_index; /* length-weighted n_g */
	char err[192];      /* why not, when !have */
};

/* The path file a link names: a file name with a '/', else DATADIR/link/paths/NAME.json
 * (the emulator's rule, drivers/bus/emulator/emulator_links.c). */
static void path_file(struct lb_ctx *ctx, const char *name, char *file, size_t len)
{
	const char *dir = ctx ? lb_ctx_get_data_dir(ctx) : NULL;
	if (strchr(name, '/'))
		snprintf(file, len, "%s", name);
	else
		snprintf(file, len, "%s/link/paths/%s.json", dir && *dir ? dir : ".", name);
}

static void link_fibre(struct lb_platform *p, unsigned port, struct lb_port_rtt *o, struct fibre *f)
{
	memset(f, 0, sizeof(*f));
	struct lb_platform_link pl = LB_PLATFORM_LINK_INIT;
	if (lb_platform_port_link(p, port, &pl) != LB_OK || !pl.path) {
		snprintf(f->err, sizeof(f->err), "port %u is on no platform link", port);
		return;
	}
	snprintf(o->path, sizeof(o->path), "%s", pl.path);
	char file[4096];
	path_file(lb_platform_ctx_of(p), pl.path, file, sizeof(file));
	struct lb_link_path *path = malloc(sizeof(*path));
	if (!path) {
		snprintf(f->err, sizeof(f->err), "no memory for path %s", pl.path);
		return;
	}
	char err[160] = "";
	if (lb_link_path_load(file, path, err, sizeof(err)) != LB_OK) {
		snprintf(f->err, sizeof(f->err), "path %s: %s", pl.path, err);
		free(path);
		return;
	}
	double thz = path->frequency_thz > 0 ? path->frequency_thz : DEFAULT_THZ;
	double lambda_nm = 299792.458 / thz;
	double dl = 0, ngl = 0;
	for (unsigned i = 0; i < path->span_count; i++) {
		const struct lb_link_span *s = &path->spans[i];
		f->length_km += s->length_km;
		dl += (s->dispersion_ps_nm_km + s->dispersion_slope_ps_nm2_km * (lambda_nm - 1550.0)) * s->length_km;
		ngl += s->group_index * s->length_km;
	}
	free(path);
	if (!(f->length_km > 0) || !isfinite(dl) || !isfinite(ngl)) {
		snprintf(f->err, sizeof(f->err), "path %s has no fibre", pl.path);
		return;
	}
	f->d_ps_nm_km = dl / f->length_km;
	f->group_index = ngl / f->length_km;
	f->have = true;
}

static void set_one_way(struct lb_port_rtt *o, double km, double ng)
{
	o->distance_km = km;
	o->group_index = ng;
	o->one_way_ns = km * ng / C_KM_PER_NS;
	o->rtt_ns = 2 * o->one_way_ns;
}

/* Source 2: the coherent module's measured CD over D. */
static bool from_cd(struct lb_platform *p, unsigned port, const struct lb_rtt_options *opt,
		    const struct fibre *f, struct lb_port_rtt *o)
{
	const enum lb_rtt_source s = LB_RTT_SOURCE_CD_ESTIMATE;
	struct lb_module *m;
	int rc = lb_platform_module(p, port, &m);
	if (rc) {
		skip(o, s, "%s%s%s", rc == LB_E_NODEV ? "the cage is empty" : "no module (",
		     rc == LB_E_NODEV ? "" : lb_status_name(rc), rc == LB_E_NODEV ? "" : ")");
		return false;
	}
	rc = lb_module_is_coherent(m);
	if (rc != 1) {
		skip(o, s, "%s%s%s", rc == 0 ? "the module is not coherent" : "the module does not answer (",
		     rc == 0 ? "" : lb_status_name(rc), rc == 0 ? "" : ")");
		return false;
	}
	struct lb_ccmis_pm pm = LB_CCMIS_PM_INIT;
	if ((rc = lb_ccmis_pm_read(m, 0, &pm))) {
		skip(o, s, "PM read: %s", lb_status_name(rc));
		return false;
	}
	double cd = fabs(pm.cd_ps_nm[LB_PM_AVG]);
	if (!pm.rx_bits || !isfinite(pm.pre_fec_ber[LB_PM_AVG])) {
		skip(o, s, "the module receives no signal (link down)");
		return false;
	}
	if (!isfinite(cd) || cd < CD_RESOLUTION_PS_NM) {
		skip(o, s, "the module reports no CD");
		return false;
	}
	bool g652 = !(opt->dispersion_ps_nm_km > 0) && !f->have;
	double d = opt->dispersion_ps_nm_km > 0 ? opt->dispersion_ps_nm_km
		   : f->have                    ? f->d_ps_nm_km
						: LB_RTT_G652_PS_NM_KM;
	double ng = opt->group_index > 0 ? opt->group_index : f->have ? f->group_index : LB_RTT_G652_GROUP_INDEX;
	double km = cd / d;
	double spread = 0;
	if (isfinite(pm.cd_ps_nm[LB_PM_MAX]) && isfinite(pm.cd_ps_nm[LB_PM_MIN]))
		spread = fabs(pm.cd_ps_nm[LB_PM_MAX] - pm.cd_ps_nm[LB_PM_MIN]) / 2;
	o->source = s;
	o->cd_ps_nm = pm.cd_ps_nm[LB_PM_AVG];
	o->dispersion_ps_nm_km = d;
	o->uncertainty_km = (spread + CD_RESOLUTION_PS_NM) / d + (g652 ? km / LB_RTT_G652_PS_NM_KM : 0);
	set_one_way(o, km, ng);
	return true;
}

static int check(const struct lb_rtt_options *o)
{
	if (!isfinite(o->distance_km) || !isfinite(o->dispersion_ps_nm_km) || !isfinite(o->group_index))
		return LB_E_INVAL;
	if (o->have_distance && (o->distance_km < 0 || o->distance_km > 40000))
		return LB_E_INVAL;
	if (o->dispersion_ps_nm_km != 0 && (o->dispersion_ps_nm_km < 1 || o->dispersion_ps_nm_km > 30))
		return LB_E_INVAL;
	if (o->group_index != 0 && (o->group_index < 1.3 || o->group_index > 1.7))
		return LB_E_INVAL;
	if (o->sources & ~(unsigned)LB_RTT_SOURCES_ALL)
		return LB_E_INVAL;
	return LB_OK;
}

LB_API int lb_platform_port_rtt(struct lb_platform *p, unsigned port, const struct lb_rtt_options *opt_,
				struct lb_port_rtt *out)
{
	struct lb_rtt_options opt = LB_RTT_OPTIONS_INIT;
	if (!p || lb_sized_check(out, LB_PORT_RTT_SIZE_V1) ||
	    (opt_ && LB_SIZED_READ(opt, opt_, LB_RTT_OPTIONS_SIZE_V1)) || check(&opt))
		return LB_E_INVAL;
	struct lb_ctx *ctx = lb_platform_ctx_of(p);
	struct lb_port_rtt o = LB_PORT_RTT_INIT;
	o.port = port;
	struct lb_port_info info = LB_PORT_INFO_INIT;
	if (lb_platform_port(p, port, &info) != LB_OK) {
		LB_SIZED_FILL(out, o);
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "port %u: no such port", port);
	}
	unsigned want = opt.sources ? opt.sources : LB_RTT_SOURCES_ALL;
	struct fibre f;
	link_fibre(p, port, &o, &f);
	bool done = false;
	if (want & LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_MODULE_DELAY))
		skip(&o, LB_RTT_SOURCE_MODULE_DELAY, "no CMIS or C-CMIS register reports a link delay");
	if (want & LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_CD_ESTIMATE))
		done = from_cd(p, port, &opt, &f, &o);
	if (!done && (want & LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_LINK_PATH))) {
		if (f.have) {
			o.source = LB_RTT_SOURCE_LINK_PATH;
			set_one_way(&o, f.length_km, opt.group_index > 0 ? opt.group_index : f.group_index);
			done = true;
		} else {
			skip(&o, LB_RTT_SOURCE_LINK_PATH, "%s", f.err);
		}
	}
	if (!done && (want & LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE))) {
		if (opt.have_distance) {
			o.source = LB_RTT_SOURCE_DISTANCE;
			set_one_way(&o, opt.distance_km, opt.group_index > 0 ? opt.group_index : LB_RTT_G652_GROUP_INDEX);
			done = true;
		} else {
			skip(&o, LB_RTT_SOURCE_DISTANCE, "no distance given");
		}
	}
	LB_SIZED_FILL(out, o);
	if (!done)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "port %u (%s): no round trip: %s", port,
				    info.name ? info.name : "", o.skipped);
	return LB_OK;
}
