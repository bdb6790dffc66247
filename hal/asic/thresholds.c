/* SPDX-License-Identifier: MIT */
/*
 * Distance-aware lossless thresholds (lightbridge/thresholds.h): each inter-DC port's round
 * trip from its optics, planned with lb_lossless_plan, programmed on the platform's switch
 * as one change: a pool, a profile per distinct plan, the lossless PGs bound, TC -> PG and
 * PFC set; refused whole when the buffer cannot hold it, undone whole when the switch
 * refuses a step.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/binding.h>
#include <lightbridge/buffer.h>
#include <lightbridge/congestion.h>
#include <lightbridge/platform.h>
#include <lightbridge/qos.h>
#include <lightbridge/thresholds.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"
#include "hal/platform/platform_ctx.h"

#define DEFAULT_PRIORITIES 0x18u /* 3 and 4, SONiC's lossless priorities */
#define ECN_PMAX 0.01            /* DCQCN's Pmax (Zhu et al., SIGCOMM 2015, §5) */
#define NONE UINT32_MAX

static uint64_t cells(double bytes, uint32_t cell)
{
	if (bytes < 0)
		bytes = 0;
	uint64_t b = (uint64_t)ceil(bytes);
	return cell ? (b + cell - 1) / cell * cell : b;
}

/*
 * ECN marking thresholds for a lossless queue at this distance (thresholds.h): Kmin the
 * DCTCP bound C x RTT / 7 (Alizadeh et al., "Data Center TCP", SIGCOMM 2010, §3.4), never
 * below a frame; Kmax one bandwidth-delay product, above Kmin; Pmax DCQCN's 1 %.
 */
static void ecn_thresholds(struct lb_lossless_port_plan *pp, uint32_t cell)
{
	double bdp = pp->plan.cable_bytes;
	double kmin = fmax(bdp / 7, (double)pp->mtu);
	double kmax = fmax(bdp, kmin + pp->mtu);
	pp->ecn_min_bytes = cells(kmin, cell);
	pp->ecn_max_bytes = cells(kmax, cell);
	pp->ecn_max_probability = ECN_PMAX;
}

/* ---- the journal: what was changed, to undo on a refusal ---- */

enum step_kind { STEP_POOL, STEP_PROFILE, STEP_PG, STEP_MAPS, STEP_PFC, STEP_ECN };
struct step {
	enum step_kind kind;
	uint32_t id, asic_port, pg; /* STEP_ECN: pg is the queue */
	uint32_t old_profile;
	struct lb_qos_maps old_maps;
	uint8_t old_pfc;
	struct lb_queue_ecn_config old_ecn;
};
struct journal {
	struct step *v;
	size_t n, cap;
};

static int journal_add(struct journal *j, const struct step *s)
{
	if (j->n == j->cap) {
		size_t cap = j->cap ? 2 * j->cap : 64;
		struct step *v = realloc(j->v, cap * sizeof(*v));
		if (!v)
			return LB_E_NOMEM;
		j->v = v;
		j->cap = cap;
	}
	j->v[j->n++] = *s;
	return LB_OK;
}

static void undo(struct lb_switch *sw, struct journal *j)
{
	while (j->n) {
		const struct step *s = &j->v[--j->n];
		switch (s->kind) {
		case STEP_POOL: lb_buffer_pool_remove(sw, s->id); break;
		case STEP_PROFILE: lb_buffer_profile_remove(sw, s->id); break;
		case STEP_PG: lb_asic_pg_set_profile(sw, s->asic_port, s->pg, s->old_profile); break;
		case STEP_MAPS: lb_qos_maps_set(sw, s->asic_port, &s->old_maps); break;
		case STEP_PFC: {
			struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
			c.pfc_mask = s->old_pfc;
			lb_asic_port_set(sw, s->asic_port, &c, LB_ASIC_PORT_SET_PFC);
			break;
		}
		case STEP_ECN: lb_queue_ecn_set(sw, s->asic_port, s->pg, &s->old_ecn); break;
		}
	}
}

/*
 * The ECN thresholds of pp on the queues its lossless priorities map to (PFC priority ->
 * queue), each colour alike, ECN marking only (no WRED drop on a lossless queue): each old
 * setting journaled. *programmed: 0 when the switch has no ECN/WRED (LB_E_NOTSUP: nothing to
 * program, not an error); else 1.
 */
static int apply_ecn(struct lb_switch *sw, struct journal *j, const struct lb_lossless_port_plan *pp,
		     uint8_t prios, int *programmed)
{
	struct lb_qos_maps maps = LB_QOS_MAPS_INIT;
	int rc = lb_qos_maps_get(sw, pp->asic_port, &maps);
	if (rc)
		return rc;
	uint8_t done = 0;
	for (unsigned prio = 0; prio < 8; prio++) {
		uint8_t q = maps.pfc_to_queue[prio];
		if (!(((unsigned)prios >> prio) & 1u) || (((unsigned)done >> q) & 1u))
			continue;
		done = (uint8_t)(done | 1u << q);
		struct step st = { .kind = STEP_ECN, .asic_port = pp->asic_port, .pg = q,
				   .old_ecn = LB_QUEUE_ECN_CONFIG_INIT };
		rc = lb_queue_ecn_get(sw, pp->asic_port, q, &st.old_ecn);
		if (rc == LB_E_NOTSUP) {
			*programmed = 0;
			return LB_OK;
		}
		if (rc)
			return rc;
		struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
		c.colors = LB_COLOR_ALL;
		c.ecn_enable = 1;
		for (unsigned k = 0; k < LB_COLORS; k++) {
			c.color[k].min_bytes = pp->ecn_min_bytes;
			c.color[k].max_bytes = pp->ecn_max_bytes;
			c.color[k].probability_pct = (uint32_t)lround(pp->ecn_max_probability * 100);
		}
		if ((rc = lb_queue_ecn_set(sw, pp->asic_port, q, &c)) ||
		    (rc = journal_add(j, &st)))
			return rc;
	}
	return LB_OK;
}

/* ---- planning ---- */

struct ctx_apply {
	struct lb_platform *p;
	struct lb_switch *sw;
	struct lb_ctx *ctx;
	struct lb_switch_caps caps;
	struct lb_lossless_apply_options opt;
	uint8_t prios;
	struct lb_lossless_apply_result *r;
};

/* The PGs the lossless priorities map to on port ap (PFC -> PG), and its maps. */
static int lossless_pgs(struct ctx_apply *a, uint32_t ap, struct lb_qos_maps *maps, uint8_t *pgs)
{
	*maps = (struct lb_qos_maps)LB_QOS_MAPS_INIT;
	int rc = lb_qos_maps_get(a->sw, ap, maps);
	if (rc == LB_E_NOTSUP) { /* no QoS ops: the identity maps */
		for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
			maps->tc_to_pg[n] = maps->pfc_to_pg[n] = maps->pfc_to_queue[n] = (uint8_t)n;
		rc = LB_OK;
	}
	if (rc)
		return rc;
	*pgs = 0;
	for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
		if (((unsigned)a->prios >> n) & 1u) {
			if (maps->pfc_to_pg[n] >= a->caps.pgs_per_port || maps->pfc_to_pg[n] >= 8)
				return lb_ctx_error(a->ctx, LB_E_RANGE, "asic port %u: priority %u maps to PG %u, "
						    "past the chip's %u", ap, n, maps->pfc_to_pg[n],
						    a->caps.pgs_per_port);
			*pgs = (uint8_t)(*pgs | 1u << maps->pfc_to_pg[n]);
		}
	return LB_OK;
}

static unsigned popcount8(uint8_t v)
{
	unsigned n = 0;
	for (; v; v &= (uint8_t)(v - 1))
		n++;
	return n;
}

/* Plan ASIC port ap on front-panel port fp into the next entry of the result. */
static int plan_port(struct ctx_apply *a, const struct lb_port_info *info, uint32_t ap,
		     const struct lb_port_rtt *rtt)
{
	struct lb_lossless_apply_result *r = a->r;
	if (r->count >= LB_LOSSLESS_APPLY_MAX_PORTS)
		return lb_ctx_error(a->ctx, LB_E_RANGE, "more than %u ASIC ports to plan",
				    (unsigned)LB_LOSSLESS_APPLY_MAX_PORTS);
	struct lb_lossless_port_plan *pp = &r->port[r->count];
	memset(pp, 0, sizeof(*pp));
	pp->port = info->port;
	pp->asic_port = ap;
	pp->rtt = *rtt;
	pp->profile = NONE;
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	int rc = lb_asic_port_get(a->sw, ap, &c);
	if (rc)
		return rc;
	pp->speed_mbps = c.speed_mbps;
	pp->mtu = c.mtu ? c.mtu : LB_ASIC_PORT_DEFAULT_MTU;
	struct lb_qos_maps maps;
	if ((rc = lossless_pgs(a, ap, &maps, &pp->pg_mask)))
		return rc;
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = c.speed_mbps;
	in.distance_km = rtt->distance_km;
	if (rtt->distance_km > 0)
		in.fibre_delay_ns_per_km = rtt->one_way_ns / rtt->distance_km;
	in.port_mtu = pp->mtu;
	in.cell_bytes = a->caps.cell_bytes;
	pp->plan = (struct lb_lossless_plan)LB_LOSSLESS_PLAN_INIT;
	if ((rc = lb_lossless_plan(&in, &pp->plan)))
		return lb_ctx_error(a->ctx, rc, "port %u (%s): asic port %u: no plan for %u Mb/s over "
				    "%.1f km", info->port, info->name ? info->name : "", ap, c.speed_mbps,
				    rtt->distance_km);
	uint64_t margin = cells(2.0 * pp->mtu, a->caps.cell_bytes);
	pp->xoff_bytes = pp->plan.xoff_bytes;
	pp->xon_bytes = pp->plan.xon_bytes;
	pp->limit_bytes = pp->xon_bytes + margin;
	pp->xon_offset_bytes = margin;
	ecn_thresholds(pp, a->caps.cell_bytes);
	r->count++;
	return LB_OK;
}

/* The ASIC ports on front-panel port fp, planned. */
static int plan_front_port(struct ctx_apply *a, unsigned fp)
{
	struct lb_port_info info = LB_PORT_INFO_INIT;
	int rc = lb_platform_port(a->p, fp, &info);
	if (rc)
		return lb_ctx_error(a->ctx, LB_E_NOTFOUND, "port %u: no such port", fp);
	uint32_t ports[512];
	size_t n = 0, found = 0;
	if ((rc = lb_asic_port_list(a->sw, ports, 512, &n)))
		return rc;
	struct lb_port_rtt rtt = LB_PORT_RTT_INIT;
	bool have_rtt = false;
	for (size_t i = 0; i < n && i < 512; i++) {
		unsigned on;
		if (lb_platform_asic_port_lanes(a->p, ports[i], &on, NULL) != LB_OK || on != fp)
			continue;
		if (!have_rtt) {
			if ((rc = lb_platform_port_rtt(a->p, fp, &a->opt.rtt, &rtt)))
				return rc;
			have_rtt = true;
		}
		if ((rc = plan_port(a, &info, ports[i], &rtt)))
			return rc;
		found++;
	}
	if (!found)
		return lb_ctx_error(a->ctx, LB_E_NOTFOUND, "port %u (%s): no ASIC port on its lanes", fp,
				    info.name ? info.name : "");
	return LB_OK;
}

/* The ingress-side buffer no pool takes. */
static uint64_t ingress_free(struct ctx_apply *a)
{
	uint64_t used = 0;
	for (uint32_t k = 0; k < LB_BUFFER_MAX_POOLS; k++) {
		struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
		if (lb_buffer_pool_get(a->sw, k, &c) == LB_OK && c.type != LB_BUFFER_POOL_EGRESS)
			used += c.size_bytes;
	}
	uint64_t total = a->caps.onchip_buffer_bytes + a->caps.hbm_bytes;
	return used < total ? total - used : 0;
}

static const char *pname(struct ctx_apply *a, unsigned port)
{
	struct lb_port_info info = LB_PORT_INFO_INIT;
	return lb_platform_port(a->p, port, &info) == LB_OK && info.name ? info.name : "";
}

/* Size the pool: private headroom if it fits, else a shared headroom pool; else refuse,
 * naming the first port past which the buffer cannot hold the ports so far. */
static int size_pool(struct ctx_apply *a)
{
	struct lb_lossless_apply_result *r = a->r;
	double ratio = a->opt.oversubscription > 0 ? a->opt.oversubscription : 2;
	uint32_t cell = a->caps.cell_bytes;
	r->free_bytes = ingress_free(a);
	uint64_t limits = 0, xoffs = 0, max_xoff = 0, shared_total = 0, pool_xoff = 0;
	for (unsigned i = 0; i < r->count; i++) {
		const struct lb_lossless_port_plan *pp = &r->port[i];
		uint64_t pgs = popcount8(pp->pg_mask);
		limits += pgs * pp->limit_bytes;
		xoffs += pgs * pp->xoff_bytes;
		if (pgs && pp->xoff_bytes > max_xoff)
			max_xoff = pp->xoff_bytes;
		pool_xoff = cells(ceil((double)xoffs / ratio), cell);
		if (pool_xoff < max_xoff)
			pool_xoff = max_xoff;
		shared_total = limits + pool_xoff;
		if (shared_total > r->free_bytes) {
			char speed[16];
			lb_asic_speed_text(pp->speed_mbps, speed, sizeof(speed));
			return lb_ctx_error(a->ctx, LB_E_RANGE,
					    "port %u (%s): %u lossless PG%s of %llu bytes headroom + %llu XON "
					    "backlog (%s, %.1f km, %s): the ports so far need %llu bytes even with "
					    "a shared headroom pool; %llu free", pp->port, pname(a, pp->port),
					    (unsigned)pgs, pgs == 1 ? "" : "s",
					    (unsigned long long)pp->xoff_bytes, (unsigned long long)pp->xon_bytes,
					    speed, pp->rtt.distance_km, lb_rtt_source_name(pp->rtt.source),
					    (unsigned long long)shared_total, (unsigned long long)r->free_bytes);
		}
	}
	r->private_bytes = limits + xoffs;
	if (r->private_bytes <= r->free_bytes) {
		r->pool_bytes = r->private_bytes;
		r->pool_xoff_bytes = 0;
	} else {
		r->shared_headroom = 1;
		r->pool_bytes = shared_total;
		r->pool_xoff_bytes = pool_xoff;
	}
	return LB_OK;
}

/* ---- applying ---- */

/* A profile for pp, shared with an earlier port of the same figures. */
static int profile_for(struct ctx_apply *a, struct journal *j, unsigned i)
{
	struct lb_lossless_port_plan *pp = &a->r->port[i];
	for (unsigned k = 0; k < i; k++) {
		const struct lb_lossless_port_plan *q = &a->r->port[k];
		if (q->profile != NONE && q->xoff_bytes == pp->xoff_bytes && q->xon_bytes == pp->xon_bytes &&
		    q->limit_bytes == pp->limit_bytes) {
			pp->profile = q->profile;
			return LB_OK;
		}
	}
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = a->r->pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = pp->limit_bytes;
	c.xoff_bytes = pp->xoff_bytes; /* with a shared headroom pool, the chip takes the pool's */
	c.xon_bytes = pp->xon_bytes;
	c.xon_offset_bytes = pp->xon_offset_bytes;
	uint32_t id;
	int rc = lb_buffer_profile_create(a->sw, &c, &id);
	if (rc)
		return rc;
	pp->profile = id;
	return journal_add(j, &(struct step){ .kind = STEP_PROFILE, .id = id });
}

/* Bind pp's lossless PGs, set TC -> PG and PFC; old profiles into olds. */
static int program_port(struct ctx_apply *a, struct journal *j, const struct lb_lossless_port_plan *pp,
			uint32_t *olds, size_t *n_olds)
{
	int rc;
	for (uint32_t g = 0; g < 8; g++) {
		if (!(((unsigned)pp->pg_mask >> g) & 1u))
			continue;
		uint32_t old = NONE;
		if ((rc = lb_asic_pg_get_profile(a->sw, pp->asic_port, g, &old)))
			return rc;
		if ((rc = lb_asic_pg_set_profile(a->sw, pp->asic_port, g, pp->profile)))
			return rc;
		if ((rc = journal_add(j, &(struct step){ .kind = STEP_PG, .asic_port = pp->asic_port, .pg = g,
							   .old_profile = old })))
			return rc;
		if (old != NONE && old != pp->profile && *n_olds < 8 * LB_LOSSLESS_APPLY_MAX_PORTS)
			olds[(*n_olds)++] = old;
	}
	struct lb_qos_maps maps = LB_QOS_MAPS_INIT;
	rc = lb_qos_maps_get(a->sw, pp->asic_port, &maps);
	if (rc == LB_OK) {
		struct lb_qos_maps want = maps;
		for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
			if (((unsigned)a->prios >> n) & 1u)
				want.tc_to_pg[n] = maps.pfc_to_pg[n];
		if (memcmp(want.tc_to_pg, maps.tc_to_pg, sizeof(maps.tc_to_pg)) != 0) {
			if ((rc = lb_qos_maps_set(a->sw, pp->asic_port, &want)))
				return rc;
			if ((rc = journal_add(j, &(struct step){ .kind = STEP_MAPS, .asic_port = pp->asic_port,
								   .old_maps = maps })))
				return rc;
		}
	} else if (rc != LB_E_NOTSUP) {
		return rc;
	}
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	if ((rc = lb_asic_port_get(a->sw, pp->asic_port, &c)))
		return rc;
	if ((c.pfc_mask & a->prios) != a->prios) {
		uint8_t old = c.pfc_mask;
		c.pfc_mask = (uint8_t)(c.pfc_mask | a->prios);
		if ((rc = lb_asic_port_set(a->sw, pp->asic_port, &c, LB_ASIC_PORT_SET_PFC)))
			return rc;
		if ((rc = journal_add(j, &(struct step){ .kind = STEP_PFC, .asic_port = pp->asic_port,
							   .old_pfc = old })))
			return rc;
	}
	return LB_OK;
}

/* Profiles the change left unbound, and the pools they leave empty: removed (BUSY: kept). */
static void release(struct lb_switch *sw, const uint32_t *olds, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
		if (lb_buffer_profile_get(sw, olds[i], &c) != LB_OK)
			continue; /* removed already (listed twice) */
		if (lb_buffer_profile_remove(sw, olds[i]) == LB_OK)
			lb_buffer_pool_remove(sw, c.pool); /* LB_E_BUSY while another profile uses it */
	}
}

static int apply(struct ctx_apply *a)
{
	struct lb_lossless_apply_result *r = a->r;
	struct journal j = { 0 };
	size_t n_olds = 0;
	uint32_t *olds = calloc(8 * LB_LOSSLESS_APPLY_MAX_PORTS, sizeof(*olds));
	if (!olds)
		return LB_E_NOMEM;
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_INGRESS;
	pc.mode = LB_BUFFER_THRESHOLD_STATIC;
	pc.size_bytes = r->pool_bytes;
	pc.xoff_bytes = r->pool_xoff_bytes;
	int rc = lb_buffer_pool_create(a->sw, &pc, &r->pool);
	if (rc == LB_OK)
		rc = journal_add(&j, &(struct step){ .kind = STEP_POOL, .id = r->pool });
	for (unsigned i = 0; rc == LB_OK && i < r->count; i++)
		if ((rc = profile_for(a, &j, i)) == LB_OK)
			rc = program_port(a, &j, &r->port[i], olds, &n_olds);
	int ecn = 1;
	for (unsigned i = 0; rc == LB_OK && ecn && i < r->count; i++)
		rc = apply_ecn(a->sw, &j, &r->port[i], a->prios, &ecn);
	if (rc) {
		char detail[512];
		snprintf(detail, sizeof(detail), "%s", lb_ctx_last_error(a->ctx));
		undo(a->sw, &j);
		for (unsigned i = 0; i < r->count; i++)
			r->port[i].profile = NONE;
		r->pool = NONE;
		free(j.v);
		free(olds);
		return lb_ctx_error(a->ctx, rc, "lossless thresholds not applied (nothing changed): %s", detail);
	}
	free(j.v);
	release(a->sw, olds, n_olds);
	free(olds);
	r->applied = 1;
	r->ecn_applied = ecn;
	return LB_OK;
}

LB_API int lb_platform_lossless_apply(struct lb_platform *p, const unsigned *ports, unsigned n,
				      const struct lb_lossless_apply_options *opt,
				      struct lb_lossless_apply_result *out)
{
	struct ctx_apply a = { .p = p, .r = out };
	a.opt = (struct lb_lossless_apply_options)LB_LOSSLESS_APPLY_OPTIONS_INIT;
	if (!p || lb_sized_check(out, LB_LOSSLESS_APPLY_RESULT_SIZE_V1) || (n && !ports) ||
	    (opt && LB_SIZED_READ(a.opt, opt, LB_LOSSLESS_APPLY_OPTIONS_SIZE_V1)) ||
	    !isfinite(a.opt.oversubscription) ||
	    (a.opt.oversubscription != 0 && (a.opt.oversubscription < 1 || a.opt.oversubscription > 1000)))
		return LB_E_INVAL;
	if (!a.opt.rtt.size) /* the options' rtt left unset: every default */
		a.opt.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	else if (a.opt.rtt.size < LB_RTT_OPTIONS_SIZE_V1)
		return LB_E_INVAL;
	a.ctx = lb_platform_ctx_of(p);
	/* a result that is large: filled in place, the caller's size checked above */
	size_t size = out->size;
	memset(out, 0, size < sizeof(*out) ? size : sizeof(*out));
	out->size = size < sizeof(*out) ? size : sizeof(*out);
	out->pool = NONE;
	int rc = lb_platform_switch(p, &a.sw);
	if (rc)
		return rc;
	a.caps = (struct lb_switch_caps)LB_SWITCH_CAPS_INIT;
	if ((rc = lb_switch_get_caps(a.sw, &a.caps)))
		return rc;
	a.prios = a.opt.priorities ? a.opt.priorities : DEFAULT_PRIORITIES;
	if (popcount8(a.prios) > a.caps.lossless_priorities)
		return lb_ctx_error(a.ctx, LB_E_INVAL, "%u lossless priorities asked, the chip has %u",
				    popcount8(a.prios), a.caps.lossless_priorities);
	if (n) {
		for (unsigned i = 0; i < n; i++)
			for (unsigned k = 0; k < i; k++)
				if (ports[k] == ports[i])
					return lb_ctx_error(a.ctx, LB_E_INVAL, "port %u given twice", ports[i]);
		for (unsigned i = 0; i < n; i++)
			if ((rc = plan_front_port(&a, ports[i])))
				return rc;
	} else {
		unsigned links = lb_platform_link_count(p);
		for (unsigned i = 0; i < links; i++) {
			struct lb_platform_link pl = LB_PLATFORM_LINK_INIT;
			if (lb_platform_link_at(p, i, &pl) != LB_OK)
				continue;
			const unsigned ends[2] = { pl.port_a, pl.port_b };
			for (unsigned e = 0; e < 2; e++) {
				uint32_t first, count;
				if (lb_platform_port_asic_lanes(p, ends[e], &first, &count) != LB_OK)
					continue; /* an end on no ASIC lanes (a test set's) */
				if ((rc = plan_front_port(&a, ends[e])))
					return rc;
			}
		}
		if (!out->count)
			return lb_ctx_error(a.ctx, LB_E_NOTFOUND, "no platform link joins a port on the ASIC's "
					    "lanes: name the ports");
	}
	if ((rc = size_pool(&a)))
		return rc;
	if (a.opt.dry_run)
		return LB_OK;
	return apply(&a);
}
