/* SPDX-License-Identifier: MIT */
/*
 * Lossless planning: the PFC headroom a lossless priority group needs for a link's speed,
 * length, MTU and peer, and whether N ports x M lossless priorities fit a chip's buffer.
 * Pure computation: no switch, no I/O; thread-safe.
 *
 * The model is the standard PFC headroom model as SONiC's buffer manager computes it
 * (reference/asic-buffers.md §2.2, §3.3-3.5), without gearbox terms:
 *   round trip      rtt = 2 x distance x fibre delay (one way, ns/km)
 *   bytes in flight cable = speed / 8 x rtt             (what the peer sends until it stops)
 *   peer response   quanta(speed) x 64 bytes            (IEEE 802.3 31B.3.7 as SONiC tabulates it)
 *   propagation     prop = port MTU + cable + MAC/PHY delay + peer response
 *   XOFF headroom   xoff = lossless MTU + prop x cell occupancy, rounded up to 1024 bytes,
 *                   then up to whole cells
 *   XON backlog     xon = cable, rounded the same way: what the PG must still hold when it sends
 *                   XON so that the egress stays busy for the round trip (full throughput, §3.5);
 *                   less is still lossless, but idles a long link
 * With SONiC's fibre constant (1.98e8 m/s, 5050.5 ns/km one way) an 800G PG at 500 km needs
 * 505,127,936 bytes of headroom. Real fibre is nearer 4,897 ns/km (group index 1.468): set
 * fibre_delay_ns_per_km to plan with it (490 MB there).
 *
 * The fit, for ports x priorities lossless PGs (each needing xoff + xon):
 *   LB_LOSSLESS_FIT_ONCHIP      every PG's headroom and backlog, private, in the on-chip buffer;
 *   LB_LOSSLESS_FIT_HBM         private, in on-chip plus the HBM deep buffer;
 *   LB_LOSSLESS_FIT_SHARED_POOL only with a shared headroom pool (SAI XOFF_SIZE): the backlogs
 *                               private, the headrooms shared, oversubscribed by a ratio
 *                               (not every PG absorbs a full round trip at once; §2.3);
 *   LB_LOSSLESS_FIT_NONE        not even so: the configuration cannot be held lossless.
 */
#ifndef LIGHTBRIDGE_LOSSLESS_H
#define LIGHTBRIDGE_LOSSLESS_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

/* SONiC's speed of light in fibre, 1.98e8 m/s, as a one-way delay. */
#define LB_LOSSLESS_SONIC_NS_PER_KM (1e12 / 1.98e8)
/* SONiC's MAC/PHY delay, 0.8 KB. */
#define LB_LOSSLESS_MAC_PHY_BYTES 819.2

/* What to plan for. Sized (read by the library, members past the caller's size read 0). */
struct lb_lossless_input {
	size_t size;
	uint32_t speed_mbps;         /* required: 10000 .. 1600000 */
	double distance_km;          /* fibre length, >= 0 */
	double fibre_delay_ns_per_km;/* one way; 0: LB_LOSSLESS_SONIC_NS_PER_KM */
	uint32_t port_mtu;           /* bytes; 0: 9216 */
	uint32_t lossless_mtu;       /* largest lossless frame; 0: port_mtu */
	double peer_response_ns;     /* 0: the speed's IEEE budget in pause quanta (table) */
	double mac_phy_bytes;        /* 0: LB_LOSSLESS_MAC_PHY_BYTES; < 0: none */
	double cell_occupancy;       /* bytes of buffer per byte of data (>= 1); 0: 1 */
	uint32_t cell_bytes;         /* the chip's cell; 0: no cell rounding */
	/* the fit (all 0: no fit asked, fit LB_LOSSLESS_FIT_UNKNOWN) */
	uint32_t ports;              /* 0: 1 */
	uint32_t priorities;         /* lossless priorities per port; 0: 1 */
	uint64_t onchip_bytes;       /* the chip's on-chip buffer */
	uint64_t hbm_bytes;          /* its deep buffer, 0: none */
	uint64_t hbm_bandwidth_mbps; /* its HBM write bandwidth, 0: unknown */
	double oversubscription;     /* shared headroom pool ratio (>= 1); 0: 2 */
};
#define LB_LOSSLESS_INPUT_SIZE_V1 LB_SIZE_THROUGH(struct lb_lossless_input, oversubscription)
#define LB_LOSSLESS_INPUT_INIT LB_SIZED_INIT(struct lb_lossless_input)

enum lb_lossless_fit {
	LB_LOSSLESS_FIT_UNKNOWN = 0, /* no buffer given */
	LB_LOSSLESS_FIT_ONCHIP = 1,
	LB_LOSSLESS_FIT_HBM = 2,
	LB_LOSSLESS_FIT_SHARED_POOL = 3,
	LB_LOSSLESS_FIT_NONE = 4,
};

/* The plan. Sized (lightbridge/common.h). Byte counts are whole cells where a cell is given. */
struct lb_lossless_plan {
	size_t size;
	double rtt_ns;                /* round trip on the fibre */
	double cable_bytes;           /* bytes in flight in one round trip, unrounded */
	uint32_t peer_response_bytes;
	uint64_t headroom_bytes;      /* per PG: what arrives after XOFF (the headroom) */
	uint64_t xoff_bytes;          /* per PG: SAI XOFF_TH to program: the headroom */
	uint64_t xon_bytes;           /* per PG: SAI XON_TH for full throughput (the backlog) */
	uint64_t pg_bytes;            /* per PG: xoff + xon */
	uint32_t pgs;                 /* ports x priorities */
	uint64_t private_bytes;       /* pgs x pg_bytes: every PG on its own */
	uint64_t shared_pool_bytes;   /* headroom pool: ceil(pgs x xoff / oversubscription) in whole
					 cells, >= xoff */
	uint64_t shared_total_bytes;  /* pgs x xon + shared_pool_bytes */
	uint64_t buffer_bytes;        /* onchip + hbm given */
	enum lb_lossless_fit fit;
	uint64_t hbm_bandwidth_needed_mbps; /* ports x speed, when the fit uses HBM; else 0 */
	int hbm_bandwidth_short;      /* 1: the HBM cannot take every port absorbing at line rate */
};
#define LB_LOSSLESS_PLAN_SIZE_V1 LB_SIZE_THROUGH(struct lb_lossless_plan, hbm_bandwidth_short)
#define LB_LOSSLESS_PLAN_INIT LB_SIZED_INIT(struct lb_lossless_plan)

/**
 * Plan the headroom of in's link and its fit (see the top of this file). LB_E_INVAL: a size
 * below V1, a speed or distance out of range (distance 0..40000 km), an occupancy below 1,
 * an oversubscription below 1, MTUs outside 64..65535, a non-finite value.
 */
LB_API int lb_lossless_plan(const struct lb_lossless_input *in, struct lb_lossless_plan *out);

/** The IEEE peer response budget in pause quanta (512 bit times) at speed_mbps; 0 for a speed not tabulated. */
LB_API unsigned lb_lossless_peer_quanta(uint32_t speed_mbps);

/** "unknown", "onchip", "hbm", "shared-pool", "none". */
LB_API const char *lb_lossless_fit_name(enum lb_lossless_fit fit);

LB_END_DECLS
#endif
