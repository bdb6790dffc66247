/* SPDX-License-Identifier: MIT */
/*
 * Buffers (lightbridge/buffer.h): pools, profiles and the PG and queue bindings of ASIC
 * ports, validated whole (sizes against the chip's buffer and each pool, references,
 * directions) before the driver's ops program them, under the switch's lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"

static bool ops_present(const struct lb_asic_ops *o)
{
	return o->pool_apply && o->pool_remove && o->pool_get && o->profile_apply && o->profile_remove &&
	       o->profile_get && o->pg_bind && o->pg_get && o->queue_bind && o->queue_get;
}

static int no_buffers(struct lb_switch *sw)
{
	return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no buffer ops", sw->drv->name);
}

/* A driver's status with a detail: the driver's own, or one naming the op. */
static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what)
{
	lb_asic_view_doubt(sw, rc);
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "%s: asic driver '%s': %s", what, sw->drv->name, lb_strerror(rc));
	return rc;
}

static int load_bindings(struct lb_switch *sw)
{
	uint32_t pgs = sw->caps.pgs_per_port, qs = sw->caps.queues_per_port;
	size_t n_pg = (size_t)sw->caps.max_ports * pgs, n_q = (size_t)sw->caps.max_ports * qs;
	sw->pg_profile = malloc((n_pg ? n_pg : 1) * sizeof(uint32_t));
	sw->queue_profile = malloc((n_q ? n_q : 1) * sizeof(uint32_t));
	if (!sw->pg_profile || !sw->queue_profile)
		return LB_E_NOMEM;
	for (size_t i = 0; i < n_pg; i++)
		sw->pg_profile[i] = LB_BUFFER_NO_PROFILE;
	for (size_t i = 0; i < n_q; i++)
		sw->queue_profile[i] = LB_BUFFER_NO_PROFILE;
	int rc;
	for (uint32_t p = 0; p < sw->caps.max_ports; p++) {
		if (!sw->exists[p])
			continue;
		for (uint32_t i = 0; i < pgs; i++)
			if ((rc = sw->ops->pg_get(sw->priv, p, i, &sw->pg_profile[p * pgs + i])))
				return rc;
		for (uint32_t i = 0; i < qs; i++)
			if ((rc = sw->ops->queue_get(sw->priv, p, i, &sw->queue_profile[p * qs + i])))
				return rc;
	}
	return LB_OK;
}

int lb_asic_buffers_load(struct lb_switch *sw)
{
	if (!ops_present(sw->ops))
		return LB_OK;
	sw->has_buffers = true;
	int rc;
	for (uint32_t i = 0; i < LB_BUFFER_MAX_POOLS; i++) {
		struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
		if ((rc = sw->ops->pool_get(sw->priv, i, &c)) == LB_E_NOTFOUND)
			continue;
		if (rc)
			return rc;
		c.size = sizeof(c);
		sw->pools[i] = c;
		sw->pool_exists[i] = true;
	}
	for (uint32_t i = 0; i < LB_BUFFER_MAX_PROFILES; i++) {
		struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
		if ((rc = sw->ops->profile_get(sw->priv, i, &c)) == LB_E_NOTFOUND)
			continue;
		if (rc)
			return rc;
		c.size = sizeof(c);
		sw->profiles[i] = c;
		sw->profile_exists[i] = true;
	}
	return load_bindings(sw);
}

void lb_asic_buffers_port_removed(struct lb_switch *sw, uint32_t port)
{
	if (!sw->has_buffers)
		return;
	for (uint32_t i = 0; i < sw->caps.pgs_per_port; i++)
		sw->pg_profile[port * sw->caps.pgs_per_port + i] = LB_BUFFER_NO_PROFILE;
	for (uint32_t i = 0; i < sw->caps.queues_per_port; i++)
		sw->queue_profile[port * sw->caps.queues_per_port + i] = LB_BUFFER_NO_PROFILE;
}

static const char *type_name(enum lb_buffer_pool_type t)
{
	switch (t) {
	case LB_BUFFER_POOL_INGRESS: return "ingress";
	case LB_BUFFER_POOL_EGRESS: return "egress";
	case LB_BUFFER_POOL_BOTH: return "both";
	}
	return "?";
}

static bool ingress_side(enum lb_buffer_pool_type t)
{
	return t == LB_BUFFER_POOL_INGRESS || t == LB_BUFFER_POOL_BOTH;
}

static bool egress_side(enum lb_buffer_pool_type t)
{
	return t == LB_BUFFER_POOL_EGRESS || t == LB_BUFFER_POOL_BOTH;
}

/* ---- pools ---- */

static int check_pool(struct lb_switch *sw, uint32_t n, const struct lb_buffer_pool_config *c)
{
	if (c->type < LB_BUFFER_POOL_INGRESS || c->type > LB_BUFFER_POOL_BOTH)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "pool %u: type %d is unknown", n, (int)c->type);
	if ((unsigned)c->mode > LB_BUFFER_THRESHOLD_STATIC)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "pool %u: threshold mode %d is unknown", n, (int)c->mode);
	uint32_t cell = sw->caps.cell_bytes;
	if (!c->size_bytes || (cell && c->size_bytes % cell))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "pool %u: size %llu bytes: a pool is whole %u-byte cells",
				    n, (unsigned long long)c->size_bytes, cell);
	if (c->xoff_bytes && !ingress_side(c->type))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "pool %u: a shared headroom pool (xoff %llu bytes) on an "
				    "egress pool: headroom belongs to ingress PGs", n,
				    (unsigned long long)c->xoff_bytes);
	if (c->xoff_bytes > c->size_bytes)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "pool %u: shared headroom pool %llu bytes: more than "
				    "the pool's %llu", n, (unsigned long long)c->xoff_bytes,
				    (unsigned long long)c->size_bytes);
	uint64_t buffer = sw->caps.onchip_buffer_bytes + sw->caps.hbm_bytes;
	uint64_t in = ingress_side(c->type) ? c->size_bytes : 0, out = egress_side(c->type) ? c->size_bytes : 0;
	for (uint32_t i = 0; i < LB_BUFFER_MAX_POOLS; i++) {
		if (i == n || !sw->pool_exists[i])
			continue;
		in += ingress_side(sw->pools[i].type) ? sw->pools[i].size_bytes : 0;
		out += egress_side(sw->pools[i].type) ? sw->pools[i].size_bytes : 0;
	}
	if (in > buffer || out > buffer)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "pool %u: the %s side's pools would take %llu bytes, "
				    "over the chip's buffer of %llu (on chip and HBM)", n,
				    in > buffer ? "ingress" : "egress", (unsigned long long)(in > buffer ? in : out),
				    (unsigned long long)buffer);
	return LB_OK;
}

LB_API int lb_buffer_pool_create(struct lb_switch *sw, const struct lb_buffer_pool_config *cfg, uint32_t *pool)
{
	if (!sw || !pool)
		return LB_E_INVAL;
	struct lb_buffer_pool_config want;
	if (LB_SIZED_READ(want, cfg, LB_BUFFER_POOL_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "pool: config NULL or its size below %zu",
				    (size_t)LB_BUFFER_POOL_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, false);
	uint32_t n = 0;
	while (n < LB_BUFFER_MAX_POOLS && sw->pool_exists[n])
		n++;
	if (rc == LB_OK && !sw->has_buffers)
		rc = no_buffers(sw);
	else if (rc == LB_OK && n == LB_BUFFER_MAX_POOLS)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "pool: all %u pool numbers are taken", LB_BUFFER_MAX_POOLS);
	else if (rc == LB_OK && (rc = check_pool(sw, n, &want)) == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->pool_apply(sw->priv, n, &want, 1)))
			driver_failed(sw, seq, rc, "pool create");
		else {
			sw->pools[n] = want;
			sw->pool_exists[n] = true;
			*pool = n;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

static int find_pool(struct lb_switch *sw, uint32_t pool)
{
	int rc = lb_asic_fresh(sw, false);
	if (rc)
		return rc;
	if (!sw->has_buffers)
		return no_buffers(sw);
	if (pool >= LB_BUFFER_MAX_POOLS || !sw->pool_exists[pool])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "pool %u: no such pool", pool);
	return LB_OK;
}

LB_API int lb_buffer_pool_remove(struct lb_switch *sw, uint32_t pool)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_pool(sw, pool);
	for (uint32_t i = 0; rc == LB_OK && i < LB_BUFFER_MAX_PROFILES; i++)
		if (sw->profile_exists[i] && sw->profiles[i].pool == pool)
			rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "pool %u: profile %u uses it", pool, i);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->pool_remove(sw->priv, pool)))
			driver_failed(sw, seq, rc, "pool remove");
		else
			sw->pool_exists[pool] = false;
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_buffer_pool_get(struct lb_switch *sw, uint32_t pool, struct lb_buffer_pool_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_BUFFER_POOL_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_buffer_pool_config full = LB_BUFFER_POOL_CONFIG_INIT;
	int rc = lb_asic_fresh(sw, true);
	if (rc == LB_OK)
		rc = find_pool(sw, pool);
	if (rc == LB_OK)
		full = sw->pools[pool];
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* ---- profiles ---- */

static int check_profile(struct lb_switch *sw, uint32_t n, const struct lb_buffer_profile_config *c)
{
	if (c->pool >= LB_BUFFER_MAX_POOLS || !sw->pool_exists[c->pool])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "profile %u: pool %u does not exist", n, c->pool);
	const struct lb_buffer_pool_config *pool = &sw->pools[c->pool];
	if ((unsigned)c->mode > LB_BUFFER_THRESHOLD_STATIC)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "profile %u: threshold mode %d is unknown", n, (int)c->mode);
	if (c->mode == LB_BUFFER_THRESHOLD_DYNAMIC && (c->dynamic_th < -8 || c->dynamic_th > 7))
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "profile %u: dynamic threshold %d: -8 to 7", n,
				    (int)c->dynamic_th);
	if (c->reserved_bytes > pool->size_bytes || c->static_th_bytes > pool->size_bytes)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "profile %u: %s %llu bytes: more than pool %u's %llu", n,
				    c->reserved_bytes > pool->size_bytes ? "reserved" : "static threshold",
				    (unsigned long long)(c->reserved_bytes > pool->size_bytes ? c->reserved_bytes
											: c->static_th_bytes),
				    c->pool, (unsigned long long)pool->size_bytes);
	if ((c->xoff_bytes || c->xon_bytes || c->xon_offset_bytes) && !ingress_side(pool->type))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "profile %u: xoff/xon on pool %u (%s): headroom belongs "
				    "to ingress PGs", n, c->pool, type_name(pool->type));
	uint64_t room = pool->xoff_bytes ? pool->xoff_bytes : pool->size_bytes;
	if (c->xoff_bytes > room)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "profile %u: xoff %llu bytes: more than pool %u's %s "
				    "(%llu)", n, (unsigned long long)c->xoff_bytes, c->pool,
				    pool->xoff_bytes ? "shared headroom pool" : "size", (unsigned long long)room);
	return LB_OK;
}

LB_API int lb_buffer_profile_create(struct lb_switch *sw, const struct lb_buffer_profile_config *cfg,
				    uint32_t *profile)
{
	if (!sw || !profile)
		return LB_E_INVAL;
	struct lb_buffer_profile_config want;
	if (LB_SIZED_READ(want, cfg, LB_BUFFER_PROFILE_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "profile: config NULL or its size below %zu",
				    (size_t)LB_BUFFER_PROFILE_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, false);
	uint32_t n = 0;
	while (n < LB_BUFFER_MAX_PROFILES && sw->profile_exists[n])
		n++;
	if (rc == LB_OK && !sw->has_buffers)
		rc = no_buffers(sw);
	else if (rc == LB_OK && n == LB_BUFFER_MAX_PROFILES)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "profile: all %u profile numbers are taken",
				  LB_BUFFER_MAX_PROFILES);
	else if (rc == LB_OK && (rc = check_profile(sw, n, &want)) == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->profile_apply(sw->priv, n, &want, 1)))
			driver_failed(sw, seq, rc, "profile create");
		else {
			sw->profiles[n] = want;
			sw->profile_exists[n] = true;
			*profile = n;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

static int find_profile(struct lb_switch *sw, uint32_t profile)
{
	int rc = lb_asic_fresh(sw, false);
	if (rc)
		return rc;
	if (!sw->has_buffers)
		return no_buffers(sw);
	if (profile >= LB_BUFFER_MAX_PROFILES || !sw->profile_exists[profile])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "profile %u: no such profile", profile);
	return LB_OK;
}

/* The first binding to profile, for the detail of a refused removal; false for none. */
static bool bound_to(struct lb_switch *sw, uint32_t profile, char *what, size_t len)
{
	uint32_t pgs = sw->caps.pgs_per_port, qs = sw->caps.queues_per_port;
	for (uint32_t p = 0; p < sw->caps.max_ports; p++) {
		if (!sw->exists[p])
			continue;
		for (uint32_t i = 0; i < pgs; i++)
			if (sw->pg_profile[p * pgs + i] == profile) {
				snprintf(what, len, "PG %u of asic port %u", i, p);
				return true;
			}
		for (uint32_t i = 0; i < qs; i++)
			if (sw->queue_profile[p * qs + i] == profile) {
				snprintf(what, len, "queue %u of asic port %u", i, p);
				return true;
			}
	}
	return false;
}

LB_API int lb_buffer_profile_remove(struct lb_switch *sw, uint32_t profile)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_profile(sw, profile);
	char what[64];
	if (rc == LB_OK && bound_to(sw, profile, what, sizeof(what)))
		rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "profile %u: %s is bound to it", profile, what);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->profile_remove(sw->priv, profile)))
			driver_failed(sw, seq, rc, "profile remove");
		else
			sw->profile_exists[profile] = false;
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_buffer_profile_get(struct lb_switch *sw, uint32_t profile, struct lb_buffer_profile_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_BUFFER_PROFILE_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_buffer_profile_config full = LB_BUFFER_PROFILE_CONFIG_INIT;
	int rc = lb_asic_fresh(sw, true);
	if (rc == LB_OK)
		rc = find_profile(sw, profile);
	if (rc == LB_OK)
		full = sw->profiles[profile];
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* ---- PG and queue bindings ---- */

/* What one binding to profile takes from its pool: the reservation, and private headroom. */
static uint64_t takes(struct lb_switch *sw, uint32_t profile, bool pg)
{
	if (profile == LB_BUFFER_NO_PROFILE)
		return 0;
	const struct lb_buffer_profile_config *c = &sw->profiles[profile];
	bool private_headroom = pg && !sw->pools[c->pool].xoff_bytes;
	return c->reserved_bytes + (private_headroom ? c->xoff_bytes : 0);
}

/* What pool's bindings would take with slot (of the PG or queue table) bound to profile. */
static uint64_t pool_need(struct lb_switch *sw, uint32_t pool, const uint32_t *slot, uint32_t profile)
{
	uint64_t need = 0;
	size_t n_pg = (size_t)sw->caps.max_ports * sw->caps.pgs_per_port;
	size_t n_q = (size_t)sw->caps.max_ports * sw->caps.queues_per_port;
	for (size_t i = 0; i < n_pg + n_q; i++) {
		bool pg = i < n_pg;
		const uint32_t *b = pg ? &sw->pg_profile[i] : &sw->queue_profile[i - n_pg];
		uint32_t prof = b == slot ? profile : *b;
		if (prof != LB_BUFFER_NO_PROFILE && sw->profiles[prof].pool == pool)
			need += takes(sw, prof, pg);
	}
	return need;
}

static int bind(struct lb_switch *sw, uint32_t port, uint32_t index, uint32_t profile, bool pg)
{
	const char *what = pg ? "PG" : "queue";
	uint32_t count = pg ? sw->caps.pgs_per_port : sw->caps.queues_per_port;
	int fresh = lb_asic_fresh(sw, false);
	if (fresh)
		return fresh;
	if (!sw->has_buffers)
		return no_buffers(sw);
	if (port >= sw->caps.max_ports || !sw->exists[port])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	if (index >= count)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: %s %u: the chip has %ss 0-%u", port, what,
				    index, what, count - 1);
	uint32_t *slot = pg ? &sw->pg_profile[port * count + index] : &sw->queue_profile[port * count + index];
	if (profile != LB_BUFFER_NO_PROFILE) {
		if (profile >= LB_BUFFER_MAX_PROFILES || !sw->profile_exists[profile])
			return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: %s %u: profile %u does not exist",
					    port, what, index, profile);
		uint32_t pool = sw->profiles[profile].pool;
		enum lb_buffer_pool_type t = sw->pools[pool].type;
		if (pg ? !ingress_side(t) : !egress_side(t))
			return lb_ctx_error(sw->ctx, LB_E_INVAL,
					    "asic port %u: %s %u: profile %u is on pool %u (%s): a %s takes a "
					    "profile of an %s pool", port, what, index, profile, pool, type_name(t),
					    what, pg ? "ingress" : "egress");
		/* the shared headroom pool is part of the pool's size, not for reservations */
		uint64_t need = pool_need(sw, pool, slot, profile);
		uint64_t room = sw->pools[pool].size_bytes - sw->pools[pool].xoff_bytes;
		if (need > room)
			return lb_ctx_error(sw->ctx, LB_E_RANGE,
					    "asic port %u: %s %u: pool %u would reserve %llu bytes for its PGs and "
					    "queues, over its %llu%s", port, what, index, pool, (unsigned long long)need,
					    (unsigned long long)room,
					    sw->pools[pool].xoff_bytes ? " (its size less its shared headroom pool)" : "");
	}
	uint64_t seq = lb_ctx_error_seq();
	int rc = pg ? sw->ops->pg_bind(sw->priv, port, index, profile)
		    : sw->ops->queue_bind(sw->priv, port, index, profile);
	if (rc)
		return driver_failed(sw, seq, rc, pg ? "PG bind" : "queue bind");
	*slot = profile;
	return LB_OK;
}

static int get_binding(struct lb_switch *sw, uint32_t port, uint32_t index, uint32_t *profile, bool pg)
{
	if (!sw || !profile)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	uint32_t count = pg ? sw->caps.pgs_per_port : sw->caps.queues_per_port;
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc)
		goto out;
	if (!sw->has_buffers)
		rc = no_buffers(sw);
	else if (port >= sw->caps.max_ports || !sw->exists[port])
		rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	else if (index >= count)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: %s %u: the chip has %u", port,
				  pg ? "PG" : "queue", index, count);
	else
		*profile = pg ? sw->pg_profile[port * count + index] : sw->queue_profile[port * count + index];
out:
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_pg_set_profile(struct lb_switch *sw, uint32_t port, uint32_t pg, uint32_t profile)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = bind(sw, port, pg, profile, true);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_pg_get_profile(struct lb_switch *sw, uint32_t port, uint32_t pg, uint32_t *profile)
{
	return get_binding(sw, port, pg, profile, true);
}

LB_API int lb_asic_queue_set_profile(struct lb_switch *sw, uint32_t port, uint32_t queue, uint32_t profile)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = bind(sw, port, queue, profile, false);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_queue_get_profile(struct lb_switch *sw, uint32_t port, uint32_t queue, uint32_t *profile)
{
	return get_binding(sw, port, queue, profile, false);
}
