/* SPDX-License-Identifier: MIT */
/*
 * Congestion control of a switch's ports for lossless RoCE at distance (docs/congestion.md):
 * ECN marking and WRED per egress queue, and the PFC watchdog per port and traffic class. The
 * switch is lightbridge/asic.h's; a queue's buffer is lightbridge/buffer.h's.
 *
 * - ECN/WRED (SAI's WRED profile bound to a queue, SAI_WRED_ATTR_*): per colour (green,
 *   yellow, red, as a policer colours packets) a min and a max threshold on the queue's depth
 *   in bytes and a probability at max in percent. With the depth d of the queue when a packet
 *   arrives: below min nothing happens; from min to max the packet is hit with probability
 *   probability_pct x (d - min) / (max - min) / 100; at or above max, always. A hit packet is
 *   ECN-marked (CE) when it is ECN-capable and ecn_enable is set, else dropped when
 *   wred_enable is set, else passes. A colour not enabled is never hit. All off: tail drop
 *   only (the queue's buffer limit), as at power-on.
 * - PFC watchdog (SONiC's pfcwd, SAI_QUEUE_ATTR_PFC_DLR_*): the chip polls every
 *   LB_PFCWD_POLL_MS; a queue held by received PFC without a break for detection_ms is
 *   declared stormed (found at the first poll after that: within detection_ms +
 *   LB_PFCWD_POLL_MS) and then, by action: drop (the queue ignores PFC and drops what it holds
 *   and what arrives for it), forward (ignores PFC and transmits), alarm (only counts; the
 *   queue stays paused). Once no PFC has been received on the priority for restoration_ms
 *   (checked at each poll), the queue is restored: operational, honouring PFC again. Traffic
 *   class n is priority n and queue n.
 *
 * Every change is validated whole and applied whole or not at all, with a detail naming the
 * object and the rule; nothing reaches the chip after a refusal:
 *   LB_E_INVAL    min above max, a probability above 100, an unknown colour bit, action or
 *                 flag, a detection or restoration time outside its range, NULL or a size
 *                 below V1
 *   LB_E_RANGE    a queue or traffic class the chip does not have, a max threshold above the
 *                 queue's buffer (the profile bound to the queue: reserved + static threshold,
 *                 or reserved + the pool's shared bytes; a queue without a profile: the chip's
 *                 on-chip + HBM buffer)
 *   LB_E_NOTFOUND no such port
 *   LB_E_NOTSUP   the driver has no congestion-control ops
 * Threads: as lightbridge/asic.h (the switch's lock).
 */
#ifndef LIGHTBRIDGE_CONGESTION_H
#define LIGHTBRIDGE_CONGESTION_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_switch;

/* Packet colours (a policer's), as indices and as bits of enable masks. */
enum lb_color {
	LB_COLOR_GREEN = 0,
	LB_COLOR_YELLOW = 1,
	LB_COLOR_RED = 2,
};
#define LB_COLORS 3
#define LB_COLOR_BIT(c) (1u << (c))
#define LB_COLOR_ALL 0x7u

/* One colour's thresholds. */
struct lb_wred_color {
	uint64_t min_bytes;       /* queue depth where hits start */
	uint64_t max_bytes;       /* depth where every packet is hit; >= min_bytes */
	uint32_t probability_pct; /* at max_bytes (just below), 0..100 */
};

/* A queue's ECN/WRED configuration. Sized, both ways (lightbridge/common.h). */
struct lb_queue_ecn_config {
	size_t size;
	uint32_t colors;      /* LB_COLOR_BIT()s of the colours enabled; 0: off */
	uint32_t wred_enable; /* nonzero: drop the hit packets that are not marked */
	uint32_t ecn_enable;  /* nonzero: mark the hit ECN-capable packets instead of dropping */
	struct lb_wred_color color[LB_COLORS];
};
#define LB_QUEUE_ECN_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_queue_ecn_config, color)
#define LB_QUEUE_ECN_CONFIG_INIT LB_SIZED_INIT(struct lb_queue_ecn_config)

/* A queue's ECN/WRED counters since the last clear. Sized (filled up to the caller's size). */
struct lb_queue_ecn_counters {
	size_t size;
	uint64_t ecn_marked_packets, ecn_marked_bytes;
	uint64_t wred_dropped_packets[LB_COLORS], wred_dropped_bytes[LB_COLORS];
};
#define LB_QUEUE_ECN_COUNTERS_SIZE_V1 LB_SIZE_THROUGH(struct lb_queue_ecn_counters, wred_dropped_bytes)
#define LB_QUEUE_ECN_COUNTERS_INIT LB_SIZED_INIT(struct lb_queue_ecn_counters)

/**
 * Set queue queue of ASIC port port's ECN/WRED configuration whole, validated first (top of
 * file). For a distance-aware setting of ECN only: colors = LB_COLOR_ALL (or
 * LB_COLOR_BIT(LB_COLOR_GREEN)), ecn_enable = 1, each enabled colour's min_bytes, max_bytes
 * and probability_pct. cfg is read, not kept.
 */
LB_API int lb_queue_ecn_set(struct lb_switch *sw, uint32_t port, uint32_t queue,
			    const struct lb_queue_ecn_config *cfg);
/** The configuration in force (sized). */
LB_API int lb_queue_ecn_get(struct lb_switch *sw, uint32_t port, uint32_t queue, struct lb_queue_ecn_config *cfg);
/** The queue's counters (sized); clear nonzero: read and clear them as one step. */
LB_API int lb_queue_ecn_counters(struct lb_switch *sw, uint32_t port, uint32_t queue,
				 struct lb_queue_ecn_counters *c, int clear);

/* The PFC watchdog. */
#define LB_PFCWD_POLL_MS 10u        /* the chip's polling interval */
#define LB_PFCWD_DETECT_MIN_MS 10u  /* detection_ms range */
#define LB_PFCWD_DETECT_MAX_MS 5000u
#define LB_PFCWD_RESTORE_MIN_MS 10u /* restoration_ms range */
#define LB_PFCWD_RESTORE_MAX_MS 60000u
#define LB_PFCWD_DEFAULT_MS 200u    /* SONiC's default detection and restoration times */

enum lb_pfcwd_action {
	LB_PFCWD_OFF = 0,     /* no watchdog on this traffic class (times ignored, read 0) */
	LB_PFCWD_DROP = 1,
	LB_PFCWD_FORWARD = 2,
	LB_PFCWD_ALARM = 3,
};

/* A traffic class's watchdog. Sized, both ways. */
struct lb_pfcwd_config {
	size_t size;
	enum lb_pfcwd_action action;
	uint32_t detection_ms;   /* LB_PFCWD_DETECT_MIN_MS .. _MAX_MS */
	uint32_t restoration_ms; /* LB_PFCWD_RESTORE_MIN_MS .. _MAX_MS */
};
#define LB_PFCWD_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_pfcwd_config, restoration_ms)
#define LB_PFCWD_CONFIG_INIT LB_SIZED_INIT(struct lb_pfcwd_config)

/* A traffic class's watchdog state and counters since the last clear. Sized. */
struct lb_pfcwd_status {
	size_t size;
	uint32_t stormed;            /* 1: stormed (the action in force), 0: operational */
	uint64_t storms_detected, storms_restored;
	uint64_t tx_dropped_packets; /* held in the queue or leaving it, dropped (action drop) */
	uint64_t rx_dropped_packets; /* arriving for the queue, dropped (action drop) */
	uint64_t storm_ms;           /* time spent stormed */
};
#define LB_PFCWD_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_pfcwd_status, storm_ms)
#define LB_PFCWD_STATUS_INIT LB_SIZED_INIT(struct lb_pfcwd_status)

/** Set the watchdog of traffic class tc (0..7) of ASIC port port, validated first. */
LB_API int lb_pfcwd_set(struct lb_switch *sw, uint32_t port, uint32_t tc, const struct lb_pfcwd_config *cfg);
/** The watchdog in force (sized). */
LB_API int lb_pfcwd_get(struct lb_switch *sw, uint32_t port, uint32_t tc, struct lb_pfcwd_config *cfg);
/** Its state and counters (sized); clear nonzero: read and clear the counters as one step. */
LB_API int lb_pfcwd_status(struct lb_switch *sw, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st,
			   int clear);
/** An action's name ("off", "drop", "forward", "alarm"), "?" for another value. */
LB_API const char *lb_pfcwd_action_name(enum lb_pfcwd_action a);

LB_END_DECLS
#endif
