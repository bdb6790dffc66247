/* SPDX-License-Identifier: MIT */
/*
 * A switch's buffers (OCP SAI buffer pools, buffer profiles, ingress priority groups and
 * queues bound to profiles), in typed C; the switch is lightbridge/asic.h's.
 *
 * - A pool (lb_buffer_pool_*) is a share of the chip's buffer (on chip plus HBM) on the
 *   ingress side, the egress side, or both (SAI BOTH: counted on both sides, as SONiC uses it
 *   on Jericho platforms), with a threshold mode and, on the ingress side, an optional shared
 *   headroom pool (xoff_bytes, SAI XOFF_SIZE).
 * - A profile (lb_buffer_profile_*) draws on one pool: reserved bytes, a dynamic threshold
 *   (limit = 2^dynamic_th x the pool's free shared bytes) or a static one, and for lossless
 *   PGs the headroom (xoff_bytes, SAI XOFF_TH) and the resume thresholds (xon_bytes,
 *   xon_offset_bytes). lb_lossless_plan (lightbridge/lossless.h) says what headroom to give.
 * - Each ASIC port has caps.pgs_per_port ingress priority groups and caps.queues_per_port
 *   queues, each bound to a profile or to none (LB_BUFFER_NO_PROFILE).
 * Pools and profiles are numbered by the switch at creation (the lowest free number).
 *
 * Every change is validated whole and applied whole or not at all, as for ports, with a
 * detail naming the object and the rule:
 *   LB_E_INVAL    an unknown enum value; headroom on an egress pool or profile; a PG bound to
 *                 a profile of an egress pool, a queue to one of an ingress pool (the
 *                 direction); a size that is not whole cells
 *   LB_E_RANGE    pools that would take more than the chip's buffer on one side; a profile's
 *                 reservation beyond its pool; bindings whose reservations (and private
 *                 headroom, when the pool has no shared headroom pool) would over-subscribe
 *                 the pool's size less its shared headroom pool; a PG or queue index, a
 *                 threshold, past what the chip has
 *   LB_E_NOTFOUND no such pool, profile or port (a profile on a missing pool, a PG bound to
 *                 a missing profile)
 *   LB_E_BUSY     removing a pool a profile uses, a profile a PG or queue is bound to
 *   LB_E_NOTSUP   the driver has no buffer ops
 * Threads: as lightbridge/asic.h (the switch's lock).
 */
#ifndef LIGHTBRIDGE_BUFFER_H
#define LIGHTBRIDGE_BUFFER_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_switch;

#define LB_BUFFER_MAX_POOLS 16
#define LB_BUFFER_MAX_PROFILES 64
#define LB_BUFFER_NO_PROFILE UINT32_MAX

/* SAI_BUFFER_POOL_ATTR_TYPE. */
enum lb_buffer_pool_type {
	LB_BUFFER_POOL_INGRESS = 1,
	LB_BUFFER_POOL_EGRESS = 2,
	LB_BUFFER_POOL_BOTH = 3,
};

/* SAI_BUFFER_*_ATTR_THRESHOLD_MODE; dynamic is SAI's default. */
enum lb_buffer_threshold_mode {
	LB_BUFFER_THRESHOLD_DYNAMIC = 0,
	LB_BUFFER_THRESHOLD_STATIC = 1,
};

/* A pool. Sized, both ways (lightbridge/common.h). */
struct lb_buffer_pool_config {
	size_t size;
	enum lb_buffer_pool_type type;
	enum lb_buffer_threshold_mode mode;
	uint64_t size_bytes; /* whole cells; includes the shared headroom pool */
	uint64_t xoff_bytes; /* shared headroom pool (ingress or both); 0: private headroom per PG */
};
#define LB_BUFFER_POOL_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_buffer_pool_config, xoff_bytes)
#define LB_BUFFER_POOL_CONFIG_INIT LB_SIZED_INIT(struct lb_buffer_pool_config)

/* A profile. Sized, both ways. */
struct lb_buffer_profile_config {
	size_t size;
	uint32_t pool;
	enum lb_buffer_threshold_mode mode;
	int32_t dynamic_th;        /* -8..7: limit = 2^dynamic_th x free shared bytes (dynamic) */
	uint64_t reserved_bytes;   /* guaranteed to each PG or queue bound to it */
	uint64_t static_th_bytes;  /* shared bytes at most (static; 0: no limit) */
	uint64_t xoff_bytes;       /* headroom after XOFF (ingress PGs) */
	uint64_t xon_bytes;        /* resume at or below this */
	uint64_t xon_offset_bytes; /* or this far below the PG's limit */
};
#define LB_BUFFER_PROFILE_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_buffer_profile_config, xon_offset_bytes)
#define LB_BUFFER_PROFILE_CONFIG_INIT LB_SIZED_INIT(struct lb_buffer_profile_config)

/** Create a pool; *pool receives its number. LB_E_RANGE also when all pool numbers are taken. */
LB_API int lb_buffer_pool_create(struct lb_switch *sw, const struct lb_buffer_pool_config *cfg,
				 uint32_t *pool);
/** Remove a pool no profile uses. */
LB_API int lb_buffer_pool_remove(struct lb_switch *sw, uint32_t pool);
/** A pool's configuration (sized). */
LB_API int lb_buffer_pool_get(struct lb_switch *sw, uint32_t pool, struct lb_buffer_pool_config *cfg);
/** Create a profile on an existing pool; *profile receives its number. */
LB_API int lb_buffer_profile_create(struct lb_switch *sw, const struct lb_buffer_profile_config *cfg,
				    uint32_t *profile);
/** Remove a profile no PG or queue is bound to. */
LB_API int lb_buffer_profile_remove(struct lb_switch *sw, uint32_t profile);
/** A profile's configuration (sized). */
LB_API int lb_buffer_profile_get(struct lb_switch *sw, uint32_t profile,
				 struct lb_buffer_profile_config *cfg);
/**
 * Bind ingress priority group pg of ASIC port port to profile (one on an ingress or both
 * pool), or unbind it (LB_BUFFER_NO_PROFILE).
 */
LB_API int lb_asic_pg_set_profile(struct lb_switch *sw, uint32_t port, uint32_t pg, uint32_t profile);
/** The profile PG pg of port is bound to (LB_BUFFER_NO_PROFILE: none). */
LB_API int lb_asic_pg_get_profile(struct lb_switch *sw, uint32_t port, uint32_t pg, uint32_t *profile);
/** Bind queue of port to profile (one on an egress or both pool), or unbind it. */
LB_API int lb_asic_queue_set_profile(struct lb_switch *sw, uint32_t port, uint32_t queue,
				     uint32_t profile);
/** The profile queue of port is bound to. */
LB_API int lb_asic_queue_get_profile(struct lb_switch *sw, uint32_t port, uint32_t queue,
				     uint32_t *profile);

LB_END_DECLS
#endif
