/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan lossless from the optics (--port PORT, --apply [PORT...]): each port's round
 * trip from its module's CD, its platform link's path or a distance (lb_platform_port_rtt),
 * the lossless PGs' thresholds for it and, with --apply, programmed on the platform's switch
 * as one change (lb_platform_lossless_apply). Text or JSON; exit 6 when it does not fit.
 */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/thresholds.h>
#include "plan_lossless.h"

/* "3, 4" */
static const char *pg_list(uint8_t mask, char *buf, size_t len)
{
	size_t k = 0;
	buf[0] = 0;
	for (unsigned g = 0; g < 8 && k + 4 < len; g++)
		if (((unsigned)mask >> g) & 1u)
			k += (size_t)snprintf(buf + k, len - k, "%s%u", k ? ", " : "", g);
	return buf;
}

static int resolve_ports(struct lbctl *app, struct lb_platform *p, const struct lbctl_plan_optics *po,
			 unsigned *ports, unsigned *n)
{
	*n = 0;
	for (unsigned i = 0; po->ports[i]; i++) {
		char buf[256];
		snprintf(buf, sizeof(buf), "%s", po->ports[i]);
		for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			struct lb_port_info info = LB_PORT_INFO_INIT;
			if (lbctl_find_port(p, t, &info)) {
				lbctl_no_such_port(app, p, t);
				return lbctl_fail(app, LB_E_NOTFOUND, "plan lossless: %s", t);
			}
			if (*n >= LB_LOSSLESS_APPLY_MAX_PORTS)
				return lbctl_usage_error(app, "plan lossless: at most %u ports",
							 (unsigned)LB_LOSSLESS_APPLY_MAX_PORTS);
			ports[(*n)++] = info.port;
		}
	}
	return LBCTL_EXIT_OK;
}

static const char *port_name(struct lb_platform *p, unsigned port)
{
	struct lb_port_info info = LB_PORT_INFO_INIT;
	return lb_platform_port(p, port, &info) == LB_OK && info.name ? info.name : "";
}

static json_t *port_json(struct lb_platform *p, const struct lb_lossless_port_plan *pp, bool applied)
{
	json_t *pgs = json_array();
	for (unsigned g = 0; pgs && g < 8; g++)
		if (((unsigned)pp->pg_mask >> g) & 1u)
			json_array_append_new(pgs, json_integer(g));
	json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:f, s:f, s:f, s:s, s:s, s:s, s:o}", "port",
			      (json_int_t)pp->port, "name", port_name(p, pp->port), "asic_port",
			      (json_int_t)pp->asic_port, "speed_mbps", (json_int_t)pp->speed_mbps, "rtt_ns",
			      pp->rtt.rtt_ns, "distance_km", pp->rtt.distance_km, "distance_uncertainty_km",
			      pp->rtt.uncertainty_km, "rtt_source", lb_rtt_source_name(pp->rtt.source),
			      "path", pp->rtt.path, "skipped", pp->rtt.skipped, "pgs", pgs);
	if (!o)
		return NULL;
	if (pp->rtt.source == LB_RTT_SOURCE_CD_ESTIMATE) {
		json_object_set_new(o, "cd_ps_nm", json_real(pp->rtt.cd_ps_nm));
		json_object_set_new(o, "dispersion_ps_nm_km", json_real(pp->rtt.dispersion_ps_nm_km));
	}
	const struct {
		const char *key;
		uint64_t v;
	} bytes[] = {
		{ "headroom_bytes", pp->plan.headroom_bytes }, { "xoff_bytes", pp->xoff_bytes },
		{ "xon_bytes", pp->xon_bytes },                { "xon_offset_bytes", pp->xon_offset_bytes },
		{ "limit_bytes", pp->limit_bytes },            { "ecn_min_bytes", pp->ecn_min_bytes },
		{ "ecn_max_bytes", pp->ecn_max_bytes },
	};
	for (size_t i = 0; i < sizeof(bytes) / sizeof(bytes[0]); i++)
		json_object_set_new(o, bytes[i].key, json_integer((json_int_t)bytes[i].v));
	json_object_set_new(o, "ecn_max_probability", json_real(pp->ecn_max_probability));
	json_object_set_new(o, "profile", applied ? json_integer(pp->profile) : json_null());
	json_object_set_new(o, "applied", json_boolean(applied));
	return o;
}

static int print_json(struct lbctl *app, struct lb_platform *p, const struct lb_lossless_apply_result *r)
{
	json_t *list = json_array();
	for (unsigned i = 0; list && i < r->count; i++)
		json_array_append_new(list, port_json(p, &r->port[i], r->applied != 0));
	json_t *o = json_pack("{s:b, s:b, s:I, s:I, s:I, s:b, s:o}", "applied", r->applied != 0,
			      "ecn_applied", r->ecn_applied != 0, "pool_bytes", (json_int_t)r->pool_bytes,
			      "pool_xoff_bytes", (json_int_t)r->pool_xoff_bytes, "free_bytes",
			      (json_int_t)r->free_bytes, "shared_headroom", r->shared_headroom != 0, "ports", list);
	if (o)
		json_object_set_new(o, "pool", r->applied ? json_integer(r->pool) : json_null());
	return lbctl_json_emit(app, o);
}

static void source_text(const struct lb_port_rtt *t, char *buf, size_t len)
{
	switch (t->source) {
	case LB_RTT_SOURCE_CD_ESTIMATE:
		snprintf(buf, len, "%.1f km +- %.1f km, from the module's CD: %.0f ps/nm at %.2f ps/(nm km)",
			 t->distance_km, t->uncertainty_km, t->cd_ps_nm, t->dispersion_ps_nm_km);
		break;
	case LB_RTT_SOURCE_LINK_PATH:
		snprintf(buf, len, "%.1f km, from the link path %s", t->distance_km, t->path);
		break;
	case LB_RTT_SOURCE_DISTANCE:
		snprintf(buf, len, "%.1f km, the distance given", t->distance_km);
		break;
	default:
		snprintf(buf, len, "%.1f km (%s)", t->distance_km, lb_rtt_source_name(t->source));
	}
}

static void print_text(struct lbctl *app, struct lb_platform *p, const struct lb_lossless_apply_result *r)
{
	FILE *f = app->out;
	char a[32], b[32], c[32], text[512];
	for (unsigned i = 0; i < r->count; i++) {
		const struct lb_lossless_port_plan *pp = &r->port[i];
		fprintf(f, "port %u (%s), asic port %u at %g Gb/s\n", pp->port, port_name(p, pp->port), pp->asic_port,
			pp->speed_mbps / 1000.0);
		source_text(&pp->rtt, text, sizeof(text));
		char head[64];
		snprintf(head, sizeof(head), "  round trip      %.3f ms, ", pp->rtt.rtt_ns / 1e6);
		fputs(head, f);
		lbctl_wrap(app, (unsigned)strlen(head), 18, text);
		if (pp->rtt.skipped[0]) {
			fputs("  not used        ", f);
			lbctl_wrap(app, 18, 18, pp->rtt.skipped);
		}
		fprintf(f, "  lossless PGs    %s\n", pg_list(pp->pg_mask, a, sizeof(a)));
		fprintf(f, "  headroom (xoff) %s bytes per PG\n", lbctl_grouped(pp->xoff_bytes, a, sizeof(a)));
		fprintf(f, "  xon             %s bytes (offset %s)\n", lbctl_grouped(pp->xon_bytes, a, sizeof(a)),
			lbctl_grouped(pp->xon_offset_bytes, b, sizeof(b)));
		fprintf(f, "  limit           %s bytes: XOFF above it\n", lbctl_grouped(pp->limit_bytes, a, sizeof(a)));
		snprintf(text, sizeof(text), "min %s, max %s bytes, Pmax %g %% (%s)",
			 lbctl_grouped(pp->ecn_min_bytes, a, sizeof(a)), lbctl_grouped(pp->ecn_max_bytes, b, sizeof(b)),
			 pp->ecn_max_probability * 100,
			 !r->applied ? "planned" : r->ecn_applied ? "marking on the lossless queues"
								: "the switch has no ECN/WRED");
		fputs("  ECN             ", f);
		lbctl_wrap(app, 18, 18, text);
	}
	snprintf(text, sizeof(text), "%s bytes, %s (ingress buffer free before: %s bytes)",
		 lbctl_grouped(r->pool_bytes, a, sizeof(a)),
		 r->shared_headroom ? "with a shared headroom pool" : "private headroom per PG",
		 lbctl_grouped(r->free_bytes, c, sizeof(c)));
	if (r->applied)
		fprintf(f, "pool %u: ", r->pool);
	else
		fputs("pool needed: ", f);
	lbctl_wrap(app, r->applied ? 9 : 13, 2, text);
	fprintf(f, "%s\n", r->applied ? "applied" : "not applied");
}

static int rtt_source(const char *s, unsigned *mask)
{
	static const enum lb_rtt_source all[] = { LB_RTT_SOURCE_MODULE_DELAY, LB_RTT_SOURCE_CD_ESTIMATE,
						 LB_RTT_SOURCE_LINK_PATH, LB_RTT_SOURCE_DISTANCE };
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (strcmp(s, lb_rtt_source_name(all[i])) == 0) {
			*mask = LB_RTT_SOURCE_BIT(all[i]);
			return 0;
		}
	return -1;
}

int lbctl_plan_lossless_optics(struct lbctl *app, const struct lbctl_plan_optics *po, bool json)
{
	struct lb_lossless_apply_options opt = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	opt.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	if (po->source && rtt_source(po->source, &opt.rtt.sources))
		return lbctl_usage_error(app, "plan lossless: --rtt-from %s: cd-estimate, link-path or distance",
					 po->source);
	if (opt.rtt.sources == LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE) && !po->have_distance)
		return lbctl_usage_error(app, "plan lossless: --rtt-from distance needs --distance-km");
	opt.rtt.have_distance = po->have_distance;
	opt.rtt.distance_km = po->distance_km;
	opt.priorities = po->priorities;
	opt.oversubscription = po->oversubscription;
	opt.dry_run = !po->apply;
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;
	unsigned ports[LB_LOSSLESS_APPLY_MAX_PORTS], n;
	if ((ex = resolve_ports(app, p, po, ports, &n)))
		return ex;
	struct lb_lossless_apply_result *r = calloc(1, sizeof(*r));
	if (!r)
		return lbctl_fail(app, LB_E_NOMEM, "plan lossless");
	r->size = sizeof(*r);
	int rc = lb_platform_lossless_apply(p, n ? ports : NULL, n, &opt, r);
	if (rc && rc != LB_E_RANGE) {
		free(r);
		return lbctl_fail(app, rc, "plan lossless%s", po->apply ? " --apply" : "");
	}
	if (r->count)
		ex = json ? print_json(app, p, r) : (print_text(app, p, r), LBCTL_EXIT_OK);
	free(r);
	if (rc == LB_E_RANGE) {
		fprintf(app->err, "lbctl: plan lossless: does not fit, nothing applied: %s\n",
			lb_ctx_last_error(app->ctx));
		return LBCTL_EXIT_REFUSED;
	}
	return ex;
}
