/* SPDX-License-Identifier: MIT */
/*
 * QoS on a switch (lightbridge/qos.h): the queue schedulers and QoS maps of each ASIC port,
 * validated whole against the capabilities and the port before the driver sees them, and
 * the PG, queue and pool watermarks in bytes and cells.
 */
#include <string.h>
#include <lightbridge/qos.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"

static bool has_qos(const struct lb_switch *sw)
{
	const struct lb_asic_ops *o = sw->ops;
	return o->qos_scheduler_apply && o->qos_scheduler_get && o->qos_maps_apply && o->qos_maps_get &&
	       o->watermarks_read && o->watermarks_clear && o->pool_watermark_read && o->pool_watermarks_clear;
}

static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what)
{
	lb_asic_view_doubt(sw, rc);
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "%s: asic driver '%s': %s", what, sw->drv->name, lb_strerror(rc));
	return rc;
}

/* The switch has QoS ops and port exists; the lock held. */
static int find_port(struct lb_switch *sw, uint32_t port)
{
	int rc = lb_asic_fresh(sw, false);
	if (rc)
		return rc;
	if (!has_qos(sw))
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no QoS ops", sw->drv->name);
	if (port >= sw->caps.max_ports || !sw->exists[port])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	return LB_OK;
}

static int check_scheduler(struct lb_switch *sw, uint32_t port, struct lb_qos_scheduler *s)
{
	uint64_t speed = sw->ports[port].speed_mbps, sum = 0;
	uint32_t queues = sw->caps.queues_per_port < LB_QOS_QUEUES ? sw->caps.queues_per_port : LB_QOS_QUEUES;
	for (uint32_t q = 0; q < LB_QOS_QUEUES; q++) {
		if (q >= queues && (s->min_rate_mbps[q] || s->max_rate_mbps[q]))
			return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: queue %u: the chip has queues 0-%u",
					    port, q, queues - 1);
		if (s->type[q] != LB_QOS_SCHED_STRICT && s->type[q] != LB_QOS_SCHED_DWRR)
			return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: scheduler type %d: "
					    "strict (0) or dwrr (1)", port, q, (int)s->type[q]);
		if (s->type[q] == LB_QOS_SCHED_DWRR && (s->weight[q] < 1 || s->weight[q] > 255))
			return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: DWRR weight %u: 1 to 255",
					    port, q, s->weight[q]);
		if (s->type[q] == LB_QOS_SCHED_STRICT)
			s->weight[q] = 0;
		if (s->min_rate_mbps[q] > speed || s->max_rate_mbps[q] > speed)
			return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: queue %u: rate %llu Mb/s: more than "
					    "the port's %llu", port, q,
					    (unsigned long long)(s->min_rate_mbps[q] > speed ? s->min_rate_mbps[q]
											   : s->max_rate_mbps[q]),
					    (unsigned long long)speed);
		if (s->max_rate_mbps[q] && s->min_rate_mbps[q] > s->max_rate_mbps[q])
			return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: guaranteed %llu Mb/s above "
					    "the shaper's %llu", port, q, (unsigned long long)s->min_rate_mbps[q],
					    (unsigned long long)s->max_rate_mbps[q]);
		sum += s->min_rate_mbps[q];
	}
	if (sum > speed)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: guaranteed rates add up to %llu Mb/s, more "
				    "than the port's %llu", port, (unsigned long long)sum, (unsigned long long)speed);
	return LB_OK;
}

static int check_maps(struct lb_switch *sw, uint32_t port, const struct lb_qos_maps *m)
{
	static const char *const names[] = { "tc_to_pg", "pfc_to_pg", "pfc_to_queue" };
	const uint8_t *maps[] = { m->tc_to_pg, m->pfc_to_pg, m->pfc_to_queue };
	uint32_t limit[] = { sw->caps.pgs_per_port, sw->caps.pgs_per_port, sw->caps.queues_per_port };
	for (unsigned k = 0; k < 3; k++)
		for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
			if (maps[k][n] >= limit[k] || maps[k][n] >= LB_QOS_QUEUES)
				return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: %s[%u] = %u: the chip has %s "
						    "0-%u", port, names[k], n, maps[k][n], k == 2 ? "queues" : "PGs",
						    limit[k] - 1);
	return LB_OK;
}

LB_API int lb_qos_scheduler_set(struct lb_switch *sw, uint32_t port, const struct lb_qos_scheduler *s)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_qos_scheduler want;
	if (LB_SIZED_READ(want, s, LB_QOS_SCHEDULER_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "scheduler: NULL or its size below %zu",
				    (size_t)LB_QOS_SCHEDULER_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (!rc)
		rc = check_scheduler(sw, port, &want);
	if (!rc) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->qos_scheduler_apply(sw->priv, port, &want)))
			driver_failed(sw, seq, rc, "scheduler");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_qos_maps_set(struct lb_switch *sw, uint32_t port, const struct lb_qos_maps *m)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_qos_maps want;
	if (LB_SIZED_READ(want, m, LB_QOS_MAPS_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "QoS maps: NULL or their size below %zu",
				    (size_t)LB_QOS_MAPS_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (!rc)
		rc = check_maps(sw, port, &want);
	if (!rc) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->qos_maps_apply(sw->priv, port, &want)))
			driver_failed(sw, seq, rc, "QoS maps");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* Run get(port, full) under the lock and hand the caller its size of full. */
#define SIZED_GET(sw, port, out, min_size, full, call, what) \
	LB_ASIC_LOCKED_GET(sw, out, min_size, full, find_port((sw), (port)), call, driver_failed, what)

LB_API int lb_qos_scheduler_get(struct lb_switch *sw, uint32_t port, struct lb_qos_scheduler *s)
{
	struct lb_qos_scheduler full;
	SIZED_GET(sw, port, s, LB_QOS_SCHEDULER_SIZE_V1, full, sw->ops->qos_scheduler_get(sw->priv, port, &full),
		  "scheduler");
	LB_SIZED_FILL(s, full);
	return LB_OK;
}

LB_API int lb_qos_maps_get(struct lb_switch *sw, uint32_t port, struct lb_qos_maps *m)
{
	struct lb_qos_maps full;
	SIZED_GET(sw, port, m, LB_QOS_MAPS_SIZE_V1, full, sw->ops->qos_maps_get(sw->priv, port, &full), "QoS maps");
	LB_SIZED_FILL(m, full);
	return LB_OK;
}

static uint64_t cells(const struct lb_switch *sw, uint64_t bytes)
{
	uint64_t c = sw->caps.cell_bytes ? sw->caps.cell_bytes : 1;
	return bytes / c + (bytes % c != 0);
}

static void add_cells(const struct lb_switch *sw, struct lb_qos_watermark *w)
{
	w->cells = cells(sw, w->bytes);
	w->peak_cells = cells(sw, w->peak_bytes);
}

LB_API int lb_qos_watermarks_read(struct lb_switch *sw, uint32_t port, struct lb_qos_port_watermarks *wm)
{
	struct lb_qos_port_watermarks full;
	SIZED_GET(sw, port, wm, LB_QOS_PORT_WATERMARKS_SIZE_V1, full,
		  sw->ops->watermarks_read(sw->priv, port, &full), "watermarks");
	for (unsigned n = 0; n < LB_QOS_QUEUES; n++) {
		add_cells(sw, &full.pg[n]);
		add_cells(sw, &full.pg_headroom[n]);
		add_cells(sw, &full.queue[n]);
	}
	LB_SIZED_FILL(wm, full);
	return LB_OK;
}

LB_API int lb_qos_watermarks_clear(struct lb_switch *sw, uint32_t port)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (!rc) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->watermarks_clear(sw->priv, port)))
			driver_failed(sw, seq, rc, "watermarks clear");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_qos_pool_watermark_read(struct lb_switch *sw, uint32_t pool, struct lb_qos_watermark *wm)
{
	if (!sw || !wm)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = LB_OK;
	if (!has_qos(sw))
		rc = lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no QoS ops", sw->drv->name);
	else if (pool >= LB_BUFFER_MAX_POOLS || !sw->pool_exists[pool])
		rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "pool %u: no such pool", pool);
	else {
		struct lb_qos_watermark w = { 0 };
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->pool_watermark_read(sw->priv, pool, &w)))
			driver_failed(sw, seq, rc, "pool watermark");
		else {
			add_cells(sw, &w);
			*wm = w;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_qos_pool_watermarks_clear(struct lb_switch *sw)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = LB_OK;
	if (!has_qos(sw))
		rc = lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no QoS ops", sw->drv->name);
	else {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->pool_watermarks_clear(sw->priv)))
			driver_failed(sw, seq, rc, "pool watermarks clear");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}
