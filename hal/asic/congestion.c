/* SPDX-License-Identifier: MIT */
/*
 * Congestion control on a switch (lightbridge/congestion.h): each queue's ECN/WRED
 * configuration and each traffic class's PFC watchdog, validated whole against the
 * capabilities, the port and the queue's buffer before the driver sees them; their counters.
 */
#include <string.h>
#include <lightbridge/congestion.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"

static bool has_cc(const struct lb_switch *sw)
{
	const struct lb_asic_ops *o = sw->ops;
	return o->ecn_apply && o->ecn_get && o->ecn_counters && o->pfcwd_apply && o->pfcwd_get && o->pfcwd_status;
}

static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what)
{
	lb_asic_view_doubt(sw, rc); /* not a refusal: the chip may hold anything */
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "%s: asic driver '%s': %s", what, sw->drv->name, lb_strerror(rc));
	return rc;
}

/* The ops exist, port exists, and queue (or traffic class) n is the chip's; the lock held. */
static int find(struct lb_switch *sw, uint32_t port, uint32_t n, const char *what)
{
	int rc = lb_asic_fresh(sw, false); /* the view of the ports, learnt again when in doubt */
	if (rc)
		return rc;
	if (!has_cc(sw))
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no congestion-control ops",
				    sw->drv->name);
	if (port >= sw->caps.max_ports || !sw->exists[port])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	uint32_t limit = sw->caps.queues_per_port < 8 ? sw->caps.queues_per_port : 8;
	if (n >= limit)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: %s %u: the chip has %ss 0-%u", port, what, n,
				    what, limit - 1);
	return LB_OK;
}

/* The most bytes queue q of port may hold (congestion.h, LB_E_RANGE). */
static uint64_t queue_buffer(const struct lb_switch *sw, uint32_t port, uint32_t q)
{
	uint32_t prof = sw->queue_profile && sw->caps.queues_per_port
				? sw->queue_profile[port * sw->caps.queues_per_port + q]
				: LB_BUFFER_NO_PROFILE;
	if (prof >= LB_BUFFER_MAX_PROFILES || !sw->profile_exists[prof])
		return sw->caps.onchip_buffer_bytes + sw->caps.hbm_bytes;
	const struct lb_buffer_profile_config *pr = &sw->profiles[prof];
	if (pr->mode == LB_BUFFER_THRESHOLD_STATIC && pr->static_th_bytes)
		return pr->reserved_bytes + pr->static_th_bytes;
	const struct lb_buffer_pool_config *pl = &sw->pools[pr->pool];
	uint64_t shared = pl->size_bytes > pl->xoff_bytes ? pl->size_bytes - pl->xoff_bytes : 0;
	return pr->reserved_bytes + shared;
}

static int check_ecn(struct lb_switch *sw, uint32_t port, uint32_t q, const struct lb_queue_ecn_config *c)
{
	static const char *const names[] = { "green", "yellow", "red" };
	if (c->colors & ~LB_COLOR_ALL)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: colours 0x%x: only green (0x1), "
				    "yellow (0x2) and red (0x4)", port, q, c->colors);
	if (c->wred_enable > 1 || c->ecn_enable > 1)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: wred_enable and ecn_enable: 0 or 1",
				    port, q);
	uint64_t buf = queue_buffer(sw, port, q);
	for (unsigned k = 0; k < LB_COLORS; k++) {
		const struct lb_wred_color *w = &c->color[k];
		if (!(c->colors & LB_COLOR_BIT(k)))
			continue;
		if (w->min_bytes > w->max_bytes)
			return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: %s: min %llu bytes above "
					    "max %llu", port, q, names[k], (unsigned long long)w->min_bytes,
					    (unsigned long long)w->max_bytes);
		if (w->probability_pct > 100)
			return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: queue %u: %s: probability %u %%: 0 "
					    "to 100", port, q, names[k], w->probability_pct);
		if (w->max_bytes > buf)
			return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: queue %u: %s: max %llu bytes above "
					    "the queue's buffer of %llu", port, q, names[k],
					    (unsigned long long)w->max_bytes, (unsigned long long)buf);
	}
	return LB_OK;
}

static int check_pfcwd(struct lb_switch *sw, uint32_t port, uint32_t tc, struct lb_pfcwd_config *c)
{
	if ((unsigned)c->action > LB_PFCWD_ALARM)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: tc %u: watchdog action %d: off (0), drop "
				    "(1), forward (2) or alarm (3)", port, tc, (int)c->action);
	if (c->action == LB_PFCWD_OFF) {
		c->detection_ms = c->restoration_ms = 0;
		return LB_OK;
	}
	if (c->detection_ms < LB_PFCWD_DETECT_MIN_MS || c->detection_ms > LB_PFCWD_DETECT_MAX_MS)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: tc %u: detection time %u ms: %u to %u",
				    port, tc, c->detection_ms, LB_PFCWD_DETECT_MIN_MS, LB_PFCWD_DETECT_MAX_MS);
	if (c->restoration_ms < LB_PFCWD_RESTORE_MIN_MS || c->restoration_ms > LB_PFCWD_RESTORE_MAX_MS)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: tc %u: restoration time %u ms: %u to %u",
				    port, tc, c->restoration_ms, LB_PFCWD_RESTORE_MIN_MS, LB_PFCWD_RESTORE_MAX_MS);
	return LB_OK;
}

LB_API int lb_queue_ecn_set(struct lb_switch *sw, uint32_t port, uint32_t queue, const struct lb_queue_ecn_config *cfg)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_queue_ecn_config want;
	if (LB_SIZED_READ(want, cfg, LB_QUEUE_ECN_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "ECN/WRED: NULL or its size below %zu",
				    (size_t)LB_QUEUE_ECN_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = find(sw, port, queue, "queue");
	if (!rc)
		rc = check_ecn(sw, port, queue, &want);
	if (!rc) {
		for (unsigned k = 0; k < LB_COLORS; k++) /* a colour off reads 0 */
			if (!(want.colors & LB_COLOR_BIT(k)))
				memset(&want.color[k], 0, sizeof(want.color[k]));
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->ecn_apply(sw->priv, port, queue, &want)))
			driver_failed(sw, seq, rc, "ECN/WRED");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_pfcwd_set(struct lb_switch *sw, uint32_t port, uint32_t tc, const struct lb_pfcwd_config *cfg)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_pfcwd_config want;
	if (LB_SIZED_READ(want, cfg, LB_PFCWD_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "PFC watchdog: NULL or its size below %zu",
				    (size_t)LB_PFCWD_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = find(sw, port, tc, "tc");
	if (!rc)
		rc = check_pfcwd(sw, port, tc, &want);
	if (!rc) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->pfcwd_apply(sw->priv, port, tc, &want)))
			driver_failed(sw, seq, rc, "PFC watchdog");
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* Run call on full (the library's size) under the lock, then hand the caller its size. */
#define SIZED_CALL(sw, port, n, what, out, min_size, full, call)                                     \
	do {                                                                                         \
		LB_ASIC_LOCKED_GET(sw, out, min_size, full, find((sw), (port), (n), (what)), call,   \
				   driver_failed, what);                                             \
		LB_SIZED_FILL((out), (full));                                                        \
		return LB_OK;                                                                        \
	} while (0)

LB_API int lb_queue_ecn_get(struct lb_switch *sw, uint32_t port, uint32_t queue, struct lb_queue_ecn_config *cfg)
{
	struct lb_queue_ecn_config full;
	SIZED_CALL(sw, port, queue, "queue", cfg, LB_QUEUE_ECN_CONFIG_SIZE_V1, full,
		   sw->ops->ecn_get(sw->priv, port, queue, &full));
}

LB_API int lb_queue_ecn_counters(struct lb_switch *sw, uint32_t port, uint32_t queue, struct lb_queue_ecn_counters *c,
				 int clear)
{
	struct lb_queue_ecn_counters full;
	SIZED_CALL(sw, port, queue, "queue", c, LB_QUEUE_ECN_COUNTERS_SIZE_V1, full,
		   sw->ops->ecn_counters(sw->priv, port, queue, &full, clear != 0));
}

LB_API int lb_pfcwd_get(struct lb_switch *sw, uint32_t port, uint32_t tc, struct lb_pfcwd_config *cfg)
{
	struct lb_pfcwd_config full;
	SIZED_CALL(sw, port, tc, "tc", cfg, LB_PFCWD_CONFIG_SIZE_V1, full,
		   sw->ops->pfcwd_get(sw->priv, port, tc, &full));
}

LB_API int lb_pfcwd_status(struct lb_switch *sw, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st, int clear)
{
	struct lb_pfcwd_status full;
	SIZED_CALL(sw, port, tc, "tc", st, LB_PFCWD_STATUS_SIZE_V1, full,
		   sw->ops->pfcwd_status(sw->priv, port, tc, &full, clear != 0));
}

LB_API const char *lb_pfcwd_action_name(enum lb_pfcwd_action a)
{
	switch (a) {
	case LB_PFCWD_OFF: return "off";
	case LB_PFCWD_DROP: return "drop";
	case LB_PFCWD_FORWARD: return "forward";
	case LB_PFCWD_ALARM: return "alarm";
	}
	return "?";
}
