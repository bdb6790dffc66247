/* SPDX-License-Identifier: MIT */
/*
 * Distance-aware lossless thresholds on a platform: the round trip of a front-panel port
 * taken from its optics, and the lossless priority groups' thresholds programmed for it.
 *
 * The round trip of a port (lb_platform_port_rtt), from the first of these that gives one:
 *   1. module-delay  a coherent module's own measure of the link delay. Neither CMIS 5.x nor
 *                    C-CMIS (pages 30h-4Fh, the 34h/35h PMs, the VDM observables) has a
 *                    register that reports a delay or latency, so no module gives one today;
 *                    the source is kept, first, for a module (or extension) that will.
 *   2. cd-estimate   the coherent module's measured chromatic dispersion (C-CMIS link PM,
 *                    35h:128, S32 ps/nm, the interval's average) over the fibre's dispersion
 *                    coefficient D gives the fibre length L = |CD| / D; the one-way delay is
 *                    L x n_g / c. D and n_g: the caller's, else the fibre of the link path
 *                    the platform declares for the port (length-weighted over its spans, D at
 *                    the path's channel frequency: D + S x (lambda - 1550 nm)), else G.652 at
 *                    1550 nm: D = 17 ps/(nm km), n_g = 1.4682 (reference/optics-physics.md
 *                    §0, §5, §7). Uncertainty (uncertainty_km): the spread of the measure
 *                    ((max - min) / 2 of the interval) and the register's 1 ps/nm over D, plus,
 *                    with the G.652 default D, the D of G.652 fibre (16 to 18 at 1550 nm:
 *                    +-1/17 of L). Needs a coherent module receiving a signal (bits counted
 *                    in the interval and a CD reported); otherwise the next source.
 *   3. link-path     the link path the platform's "links" give the port (a name of
 *                    DATADIR/link/paths/ or a file): sum of L x n_g / c over its spans, as the
 *                    link model's latency_one_way_ms.
 *   4. distance      a distance the caller gives, at n_g (the caller's, else 1.4682).
 * rtt_ns is twice the one-way delay; distance_km the fibre length it implies.
 *
 * Thresholds (lb_platform_lossless_apply): for each ASIC port on the front-panel ports given
 * (or on every port with a platform link), its round trip as above and the chip's caps (cell,
 * on-chip and HBM bytes) go into lb_lossless_plan (lightbridge/lossless.h) at the port's speed
 * and MTU. Each lossless PG then gets a profile with
 *   xoff_bytes        the plan's headroom (SAI XOFF_TH)
 *   xon_bytes         the plan's XON backlog (full throughput over the round trip)
 *   static_th_bytes   xon + 2 x port MTU (in cells): XOFF fires above it
 *   xon_offset_bytes  static_th - xon: resume at the backlog either way
 * on one new ingress pool that holds every PG's limit and headroom privately when the free
 * ingress buffer allows, else with a shared headroom pool (pool xoff_bytes = the PGs'
 * headrooms over the oversubscription ratio, never less than the largest); PFC is enabled on
 * the lossless priorities and TC -> PG follows PFC -> PG for them. All of it is applied, or
 * nothing: a configuration the buffer cannot hold is refused (LB_E_RANGE, the detail naming
 * the port and the bytes), and a step the switch refuses undoes the steps before it. Profiles
 * the PGs were bound to before, left unused, are removed, and so are pools left unused.
 *
 * ECN: each port's plan carries ECN marking thresholds for its distance, the DCTCP/DCQCN
 * rule scaled with the bandwidth-delay product BDP = speed x rtt:
 *   Kmin = max(BDP / 7, lossless MTU)   (DCTCP, Alizadeh et al., SIGCOMM 2010, §3.4: K >
 *                                        C x RTT / 7 keeps the link busy)
 *   Kmax = max(BDP, Kmin + MTU)          (the marking ramp reaches Pmax by one BDP queued,
 *                                        below the PG's XOFF limit: ECN acts before PFC)
 *   Pmax = 1 %                           (DCQCN, Zhu et al., SIGCOMM 2015, §5)
 * in whole cells, programmed (lightbridge/congestion.h) on the queues the lossless priorities
 * map to (PFC priority -> queue), every colour alike, ECN marking only (no WRED drop on a
 * lossless queue), as part of the same all-or-nothing change: a queue that cannot take them
 * (LB_E_RANGE: Kmax above its buffer) undoes the whole apply. A switch without ECN/WRED
 * (LB_E_NOTSUP) gets the buffers alone: ecn_applied 0.
 *
 * Threads: the platform's and switch's rules (platform.h, asic.h). A change is all or nothing
 * against refusals; another thread changing the same switch's buffers meanwhile is not
 * excluded. Errors: a status, the detail in lb_ctx_last_error.
 */
#ifndef LIGHTBRIDGE_THRESHOLDS_H
#define LIGHTBRIDGE_THRESHOLDS_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/lossless.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_platform;

/* Where a round trip comes from, in the order they are tried. */
enum lb_rtt_source {
	LB_RTT_SOURCE_NONE = 0,
	LB_RTT_SOURCE_MODULE_DELAY = 1, /* a module's measured link delay (none reports one) */
	LB_RTT_SOURCE_CD_ESTIMATE = 2,  /* the coherent module's measured CD over D */
	LB_RTT_SOURCE_LINK_PATH = 3,    /* the platform link's path */
	LB_RTT_SOURCE_DISTANCE = 4,     /* the caller's distance */
};
#define LB_RTT_SOURCE_BIT(s) (1u << (s))
#define LB_RTT_SOURCES_ALL 0x1Eu

/** "none", "module-delay", "cd-estimate", "link-path", "distance"; "?" otherwise. */
LB_API const char *lb_rtt_source_name(enum lb_rtt_source source);

/* G.652 at 1550 nm (reference/optics-physics.md §0, §5, §7). */
#define LB_RTT_G652_PS_NM_KM 17.0
#define LB_RTT_G652_GROUP_INDEX 1.4682

/* How to find a round trip. Sized (read by the library; members past the caller's size
 * read 0). All zero: every source, G.652 defaults where the path gives none. */
struct lb_rtt_options {
	size_t size;
	unsigned sources;           /* LB_RTT_SOURCE_BIT()s to try, in the order above; 0: all */
	int have_distance;          /* 1: distance_km is the caller's distance (source 4) */
	double distance_km;         /* 0 .. 40000 */
	double dispersion_ps_nm_km; /* D for the CD estimate; 0: the path's fibre, else 17 */
	double group_index;         /* n_g; 0: the path's fibre, else 1.4682 */
};
#define LB_RTT_OPTIONS_SIZE_V1 LB_SIZE_THROUGH(struct lb_rtt_options, group_index)
#define LB_RTT_OPTIONS_INIT LB_SIZED_INIT(struct lb_rtt_options)

#define LB_RTT_PATH_LEN 64
#define LB_RTT_NOTE_LEN 256

/* A port's round trip. Sized (filled up to the caller's size). */
struct lb_port_rtt {
	size_t size;
	unsigned port;                /* the front-panel port */
	enum lb_rtt_source source;
	double rtt_ns;                /* round trip: 2 x one_way_ns */
	double one_way_ns;
	double distance_km;           /* the fibre length it implies */
	double uncertainty_km;        /* +- of distance_km (cd-estimate; 0 for the others) */
	double cd_ps_nm;              /* the measured CD (cd-estimate), else 0 */
	double dispersion_ps_nm_km;   /* D used (cd-estimate), else 0 */
	double group_index;           /* n_g used (for link-path: length-weighted) */
	char path[LB_RTT_PATH_LEN];   /* the platform link's path as the file names it, or "" */
	/* Why the sources before the one used gave nothing, "source: reason; ..." */
	char skipped[LB_RTT_NOTE_LEN];
};
#define LB_PORT_RTT_SIZE_V1 LB_SIZE_THROUGH(struct lb_port_rtt, skipped)
#define LB_PORT_RTT_INIT LB_SIZED_INIT(struct lb_port_rtt)

/**
 * The round trip of front-panel port port (see the top of this file). opt may be NULL (all
 * defaults). Bus traffic: with cd-estimate tried on a coherent module, one read of its PM
 * pages (lb_ccmis_pm_read, bank 0). LB_E_INVAL: NULL p or out, a size below V1, a bad option
 * (distance outside 0..40000 km, D outside 1..30, n_g outside 1.3..1.7, non-finite values);
 * LB_E_NOTFOUND: no such port, or no source gives a round trip (out->skipped and the detail
 * say why each did not).
 */
LB_API int lb_platform_port_rtt(struct lb_platform *p, unsigned port, const struct lb_rtt_options *opt,
				struct lb_port_rtt *out);

/* What lb_platform_lossless_apply does. Sized (read; members past the caller's size read 0). */
struct lb_lossless_apply_options {
	size_t size;
	struct lb_rtt_options rtt;  /* how to find each port's round trip (size 0: defaults) */
	uint8_t priorities;         /* lossless priorities (bit n: priority n); 0: 3 and 4 */
	double oversubscription;    /* shared headroom pool ratio when one is needed (>= 1); 0: 2 */
	int dry_run;                /* 1: plan and check, apply nothing */
};
#define LB_LOSSLESS_APPLY_OPTIONS_SIZE_V1 LB_SIZE_THROUGH(struct lb_lossless_apply_options, dry_run)
#define LB_LOSSLESS_APPLY_OPTIONS_INIT LB_SIZED_INIT(struct lb_lossless_apply_options)

/* One ASIC port's thresholds (an array element of struct lb_lossless_apply_result). */
struct lb_lossless_port_plan {
	unsigned port;              /* front-panel */
	uint32_t asic_port;
	uint32_t speed_mbps;
	uint32_t mtu;
	struct lb_port_rtt rtt;
	struct lb_lossless_plan plan; /* lb_lossless_plan's, for one PG */
	uint8_t pg_mask;            /* the lossless PGs (bit g: PG g) */
	uint64_t xoff_bytes, xon_bytes, xon_offset_bytes, limit_bytes; /* per PG, programmed */
	uint64_t ecn_min_bytes, ecn_max_bytes; /* per lossless queue (see the top of this file) */
	double ecn_max_probability;
	uint32_t profile;           /* the profile its lossless PGs are bound to; UINT32_MAX: none */
};

#define LB_LOSSLESS_APPLY_MAX_PORTS 128

/* What was planned and done. Sized (filled up to the caller's size). */
struct lb_lossless_apply_result {
	size_t size;
	unsigned count;             /* entries of port[] */
	int applied;                /* 1: programmed; 0: dry run or refused */
	int ecn_applied;            /* 1: the ECN thresholds programmed too; 0: the switch has no ECN/WRED */
	int shared_headroom;        /* 1: the pool has a shared headroom pool */
	uint32_t pool;              /* the pool created; UINT32_MAX: none */
	uint64_t pool_bytes;        /* its size, headroom pool included */
	uint64_t pool_xoff_bytes;   /* its shared headroom pool; 0: private headroom */
	uint64_t private_bytes;     /* every PG's limit and headroom, private */
	uint64_t free_bytes;        /* the ingress buffer free before the change */
	struct lb_lossless_port_plan port[LB_LOSSLESS_APPLY_MAX_PORTS];
};
#define LB_LOSSLESS_APPLY_RESULT_SIZE_V1 LB_SIZE_THROUGH(struct lb_lossless_apply_result, port)
#define LB_LOSSLESS_APPLY_RESULT_INIT LB_SIZED_INIT(struct lb_lossless_apply_result)

/**
 * Plan and program distance-aware lossless thresholds (see the top of this file) for the
 * ASIC ports on front-panel ports ports[0..n-1], or, with n 0, on every port the platform's
 * "links" join. out (sized, required) receives the plans, also when refused. LB_E_INVAL: NULL
 * p or out, bad sizes or options, ports and n disagreeing, a priority mask above the chip's
 * lossless priorities; LB_E_NOTFOUND: a port that does not exist, has no ASIC port, or no
 * round trip; LB_E_RANGE: the buffer cannot hold it (nothing applied; the detail names the
 * port and the bytes); LB_E_NOTSUP: the switch has no buffer ops; a switch's refusal of a step
 * (everything before it undone). The platform's switch is opened if it is not yet.
 */
LB_API int lb_platform_lossless_apply(struct lb_platform *p, const unsigned *ports, unsigned n,
				      const struct lb_lossless_apply_options *opt,
				      struct lb_lossless_apply_result *out);

LB_END_DECLS
#endif
