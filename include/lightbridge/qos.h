/* SPDX-License-Identifier: MIT */
/*
 * A switch's QoS (OCP SAI scheduler, QoS maps and buffer watermarks), in typed C; the switch
 * is lightbridge/asic.h's, the buffers lightbridge/buffer.h's.
 *
 * - Scheduler (SAI_SCHEDULER_*), per queue of an ASIC port: strict priority (a higher queue
 *   first) or DWRR with a weight (1..255), a guaranteed rate (min_rate_mbps) served before
 *   either, and a shaper (max_rate_mbps, 0: none). Defaults: every queue DWRR weight 1.
 * - QoS maps (SAI_QOS_MAP_TYPE_*), per ASIC port: traffic class -> ingress priority group
 *   (tc_to_pg; a frame's TC is its priority here), PFC priority -> the PG whose XOFF pauses it
 *   (pfc_to_pg), PFC priority -> the queue a received PFC frame pauses (pfc_to_queue).
 *   Defaults: identity.
 * - Watermarks, per PG (bytes held, and of them in the headroom), per queue (bytes held and the
 *   time the egress needs to send them) and per pool: the current value and the peak since the
 *   last clear, in bytes and in the chip's cells (bytes rounded up to whole cells).
 *
 * Every change is validated whole and applied whole or not at all, with a detail naming the
 * object and the rule:
 *   LB_E_INVAL    an unknown scheduler type; a DWRR weight outside 1..255; a guaranteed rate
 *                 above the shaper
 *   LB_E_RANGE    a rate above the port's speed; guaranteed rates that add up past it; a map
 *                 entry naming a PG or queue the chip does not have
 *   LB_E_NOTFOUND no such port or pool
 *   LB_E_NOTSUP   the driver has no QoS ops
 * Threads: as lightbridge/asic.h (the switch's lock).
 */
#ifndef LIGHTBRIDGE_QOS_H
#define LIGHTBRIDGE_QOS_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_switch;

#define LB_QOS_QUEUES 8 /* queues, PGs and priorities a port's QoS describes */

enum lb_qos_sched_type {
	LB_QOS_SCHED_STRICT = 0,
	LB_QOS_SCHED_DWRR = 1,
};

/* A port's queue schedulers. Sized, both ways (lightbridge/common.h). */
struct lb_qos_scheduler {
	size_t size;
	enum lb_qos_sched_type type[LB_QOS_QUEUES];
	uint32_t weight[LB_QOS_QUEUES];        /* DWRR: 1..255; strict: ignored (reads 0) */
	uint64_t min_rate_mbps[LB_QOS_QUEUES]; /* guaranteed; 0: none */
	uint64_t max_rate_mbps[LB_QOS_QUEUES]; /* shaper; 0: none */
};
#define LB_QOS_SCHEDULER_SIZE_V1 LB_SIZE_THROUGH(struct lb_qos_scheduler, max_rate_mbps)
#define LB_QOS_SCHEDULER_INIT LB_SIZED_INIT(struct lb_qos_scheduler)

/* A port's QoS maps. Sized, both ways. */
struct lb_qos_maps {
	size_t size;
	uint8_t tc_to_pg[LB_QOS_QUEUES];
	uint8_t pfc_to_pg[LB_QOS_QUEUES];
	uint8_t pfc_to_queue[LB_QOS_QUEUES];
};
#define LB_QOS_MAPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_qos_maps, pfc_to_queue)
#define LB_QOS_MAPS_INIT LB_SIZED_INIT(struct lb_qos_maps)

/* One watermark. */
struct lb_qos_watermark {
	uint64_t bytes, peak_bytes;
	uint64_t cells, peak_cells;
};

/* A port's watermarks. Sized (filled up to the caller's size). */
struct lb_qos_port_watermarks {
	size_t size;
	struct lb_qos_watermark pg[LB_QOS_QUEUES];
	struct lb_qos_watermark pg_headroom[LB_QOS_QUEUES]; /* of the PG, above its XOFF limit */
	struct lb_qos_watermark queue[LB_QOS_QUEUES];
	uint64_t queue_delay_ns[LB_QOS_QUEUES];      /* what the queue holds, at its egress rate */
	uint64_t queue_delay_peak_ns[LB_QOS_QUEUES];
};
#define LB_QOS_PORT_WATERMARKS_SIZE_V1 LB_SIZE_THROUGH(struct lb_qos_port_watermarks, queue_delay_peak_ns)
#define LB_QOS_PORT_WATERMARKS_INIT LB_SIZED_INIT(struct lb_qos_port_watermarks)

/** Set ASIC port port's schedulers (every queue at once), validated first (top of file). */
LB_API int lb_qos_scheduler_set(struct lb_switch *sw, uint32_t port, const struct lb_qos_scheduler *s);
/** The schedulers in force (sized). */
LB_API int lb_qos_scheduler_get(struct lb_switch *sw, uint32_t port, struct lb_qos_scheduler *s);
/** Set ASIC port port's QoS maps (all three at once), validated first. */
LB_API int lb_qos_maps_set(struct lb_switch *sw, uint32_t port, const struct lb_qos_maps *m);
/** The maps in force (sized). */
LB_API int lb_qos_maps_get(struct lb_switch *sw, uint32_t port, struct lb_qos_maps *m);
/** Port's PG and queue watermarks now (sized). */
LB_API int lb_qos_watermarks_read(struct lb_switch *sw, uint32_t port, struct lb_qos_port_watermarks *wm);
/** Bring port's peaks down to the current values. */
LB_API int lb_qos_watermarks_clear(struct lb_switch *sw, uint32_t port);
/** Pool pool's watermark (bytes held on it by every PG and queue bound to its profiles). */
LB_API int lb_qos_pool_watermark_read(struct lb_switch *sw, uint32_t pool, struct lb_qos_watermark *wm);
/** Bring every pool's peak down to its current value. */
LB_API int lb_qos_pool_watermarks_clear(struct lb_switch *sw);

LB_END_DECLS
#endif
