/* SPDX-License-Identifier: MIT */
/*
 * The router ASIC: a switch (struct lb_switch) and its ASIC ports (struct lb_asic_port_*),
 * with the semantics of the OCP SAI switch and port objects in typed C.
 *
 * Names: "port" alone is a front-panel port of a platform (a cage, lightbridge/platform.h).
 * An ASIC port is the ASIC's own object: a block of SerDes lanes run at one speed, one FEC,
 * with its MAC and counters. A front-panel port joins a cage and a set of ASIC lanes.
 *
 * Objects and numbers:
 * - A switch is opened through an ASIC driver (lb_switch_open). Its capabilities
 *   (lb_switch_get_caps) are fixed for its life.
 * - An ASIC port is named by its number, 0 to caps.max_ports - 1, which the switch chooses at
 *   creation (the lowest free one) and which stays until the port is removed. Lanes are
 *   numbered 0 to caps.lanes - 1 across the chip.
 * - Breakout is SAI's: remove the parent port and create ports whose lanes split its lanes
 *   (8 lanes: 1 x 800G, 2 x 400G, 4 x 200G or 8 x 100G at 100G per lane).
 *
 * Changes are atomic: every create and every set is validated whole against the
 * capabilities and what the other ports hold (lanes, switching capacity), then applied whole,
 * or refused with nothing applied. A refusal returns a status and records a detail naming
 * the object and the rule (lb_ctx_last_error):
 *   LB_E_EXISTS  a lane already belongs to another port ("asic port 1: lane 10 belongs to
 *                asic port 0 (lanes 8-15): a lane belongs to one port")
 *   LB_E_RANGE   a lane, MTU or priority outside what the chip has
 *   LB_E_INVAL   a lane block that is not 1, 2, 4 or 8 lanes aligned within a group of 8,
 *                an unknown enum value, a size too small
 *   LB_E_NOTSUP  a speed the lanes cannot carry, a speed or FEC the chip does not have, an
 *                FEC the speed does not allow, the switch's capacity exceeded
 *   LB_E_NOTFOUND no such port
 * The driver may refuse a change the core found valid (the hardware's own checks); nothing
 * is applied then either.
 *
 * When the chip's bus fails (docs/emulated-asic.md, "Chip health and faults"): LB_E_IO (a
 * read of all ones from a chip off the bus, a write lost on the way) or LB_E_TIMEOUT (a read
 * that timed out, a command that did not complete), with a detail; a change so failed is
 * applied whole or not at all on the chip (whole when the fault came after its command).
 * LB_E_CHANGED: the chip was reset behind the switch's back, its configuration back to
 * power-on; said once, by the first call that finds it (the gets, which answer from the
 * switch's view of the chip, ask the chip first). After any of these the switch learns its
 * view again from the chip before it next uses it: call again. The fault campaign
 * (docs/robustness.md) holds every call to this, on the emulated ASIC.
 *
 * Threads: a switch handle may be shared between threads: every call takes the switch's lock.
 * Error details are per thread (lb_ctx_last_error on the calling thread).
 */
#ifndef LIGHTBRIDGE_ASIC_H
#define LIGHTBRIDGE_ASIC_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_ctx;
struct lb_switch;

/* SAI_SWITCH_ATTR_TYPE. */
enum lb_switch_type {
	LB_SWITCH_TYPE_NPU = 1, /* one chip forwarding between its own ports */
	LB_SWITCH_TYPE_VOQ = 2, /* ingress virtual output queues, credit-scheduled fabric (Jericho) */
};

/* FEC of a port (SAI_PORT_FEC_MODE_EXTENDED). */
enum lb_asic_fec {
	LB_ASIC_FEC_NONE = 0,
	LB_ASIC_FEC_RS528 = 1,     /* RS(528,514) "KR4", t = 7: NRZ lanes (25G per lane) */
	LB_ASIC_FEC_RS544 = 2,     /* RS(544,514) "KP4", t = 15: PAM4 lanes, ports to 200G */
	LB_ASIC_FEC_RS544_2XN = 3, /* RS-544 with codeword interleave: PAM4 ports of 200G and more */
};
#define LB_ASIC_FEC_COUNT 4
/** Bit of an FEC in a mask (lb_switch_caps.fec_modes). */
#define LB_ASIC_FEC_BIT(fec) (1u << (fec))

/* SAI_PORT_ATTR_LOOPBACK_MODE. */
enum lb_asic_loopback {
	LB_ASIC_LOOPBACK_NONE = 0,
	LB_ASIC_LOOPBACK_PHY = 1, /* near-end, at the SerDes: the port hears what it sends */
	LB_ASIC_LOOPBACK_MAC = 2, /* near-end, at the MAC */
};

/* SAI_PORT_ATTR_OPER_STATUS. */
enum lb_asic_oper {
	LB_ASIC_OPER_DOWN = 0,
	LB_ASIC_OPER_UP = 1,
};

/* Why a port is down (SAI's error status, reduced to the first reason that holds). */
enum lb_asic_down_reason {
	LB_ASIC_DOWN_NONE = 0,        /* the port is up */
	LB_ASIC_DOWN_ADMIN = 1,       /* admin state down */
	LB_ASIC_DOWN_NO_SIGNAL = 2,   /* no signal on the lanes (no peer, no module, no light) */
	LB_ASIC_DOWN_FEC_NO_LOCK = 3, /* signal but FEC alignment not locked (errors beyond the code) */
	LB_ASIC_DOWN_REMOTE_FAULT = 4,/* the peer reports a fault (its receiver sees nothing) */
};

/** Bounds of the capability lists. */
#define LB_ASIC_MAX_SPEEDS 8
#define LB_ASIC_PRIORITIES 8      /* 802.1Qbb priorities */
#define LB_ASIC_FEC_BINS 17       /* S0..S16: codewords with k symbol errors, S16 = 16 or more */
#define LB_ASIC_MAX_PORT_LANES 8  /* lanes of one port, at most */

/*
 * What the switch can do, fixed for its life (lb_switch_get_caps). Sized: set size first
 * (LB_SWITCH_CAPS_INIT); the rule of lightbridge/common.h.
 */
struct lb_switch_caps {
	size_t size;
	char model[32];             /* the driver's name for the chip, NUL-terminated */
	enum lb_switch_type type;
	uint32_t max_ports;         /* ASIC ports at most (numbers 0..max_ports-1) */
	uint32_t lanes;             /* SerDes lanes (numbers 0..lanes-1) */
	uint32_t lanes_per_group;   /* a port's lanes stay within one group of this many (8) */
	uint32_t n_lane_speeds;     /* lane_speeds_mbps[0..n-1]: data rates one lane carries */
	uint32_t lane_speeds_mbps[LB_ASIC_MAX_SPEEDS];
	uint32_t n_speeds;          /* speeds_mbps[0..n-1]: port speeds, ascending */
	uint32_t speeds_mbps[LB_ASIC_MAX_SPEEDS];
	uint32_t fec_modes;         /* LB_ASIC_FEC_BIT() of every FEC the chip has */
	uint64_t capacity_mbps;     /* switching capacity: the sum of port speeds, at most */
	uint64_t onchip_buffer_bytes;
	uint64_t hbm_bytes;         /* deep buffer (0: none) */
	uint64_t hbm_bandwidth_mbps;/* HBM write bandwidth */
	uint32_t cell_bytes;        /* buffer cell */
	uint32_t queues_per_port;
	uint32_t pgs_per_port;      /* ingress priority groups per port */
	uint32_t lossless_priorities; /* priorities that may be lossless (PFC) on one port */
	uint32_t max_mtu;           /* bytes */
};
#define LB_SWITCH_CAPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_switch_caps, max_mtu)
#define LB_SWITCH_CAPS_INIT LB_SIZED_INIT(struct lb_switch_caps)

/*
 * A port's configuration: what lb_asic_port_create takes and lb_asic_port_get gives.
 * Sized, both ways (lightbridge/common.h); a member a caller's layout lacks reads zero.
 */
struct lb_asic_port_config {
	size_t size;
	uint32_t first_lane;        /* lanes first_lane .. first_lane + lane_count - 1 (create only) */
	uint32_t lane_count;        /* 1, 2, 4 or 8, aligned to itself within a lane group */
	uint32_t speed_mbps;        /* 100000, 200000, 400000, 800000, 1600000 */
	enum lb_asic_fec fec;
	int admin_up;               /* 1 up, 0 down */
	uint32_t mtu;               /* bytes: the largest frame (SAI_PORT_ATTR_MTU); 0 at create: 9100 */
	enum lb_asic_loopback loopback;
	uint8_t pfc_mask;           /* bit n: PFC (RX and TX) on priority n */
	/* ---- V2: IEEE 802.3x PAUSE, the whole link at once (not per priority): an OR of
	 * LB_ASIC_PAUSE_TX and LB_ASIC_PAUSE_RX; a port has PAUSE or PFC, not both ---- */
	uint32_t pause;
};
#define LB_ASIC_PAUSE_TX 0x1u /* send PAUSE when the ingress reaches XOFF (its PGs' limits) */
#define LB_ASIC_PAUSE_RX 0x2u /* stop transmitting while the peer's PAUSE holds */
#define LB_ASIC_PORT_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_asic_port_config, pfc_mask)
#define LB_ASIC_PORT_CONFIG_INIT LB_SIZED_INIT(struct lb_asic_port_config)
#define LB_ASIC_PORT_DEFAULT_MTU 9100u

/* What lb_asic_port_set changes: an OR of these; the other members of the config are ignored. */
#define LB_ASIC_PORT_SET_SPEED 0x01u    /* speed_mbps (on the same lanes) */
#define LB_ASIC_PORT_SET_FEC 0x02u      /* fec */
#define LB_ASIC_PORT_SET_ADMIN 0x04u    /* admin_up */
#define LB_ASIC_PORT_SET_MTU 0x08u      /* mtu */
#define LB_ASIC_PORT_SET_LOOPBACK 0x10u /* loopback */
#define LB_ASIC_PORT_SET_PFC 0x20u      /* pfc_mask */
#define LB_ASIC_PORT_SET_PAUSE 0x40u    /* pause */
#define LB_ASIC_PORT_SET_ALL 0x7Fu

/* A port's state now (lb_asic_port_status). Sized. */
struct lb_asic_port_status {
	size_t size;
	enum lb_asic_oper oper;
	enum lb_asic_down_reason reason; /* LB_ASIC_DOWN_NONE when up */
	uint32_t oper_speed_mbps;        /* 0 while down */
	enum lb_asic_fec oper_fec;       /* LB_ASIC_FEC_NONE while down */
	uint32_t fec_max_symbol_errors;  /* t of the active code: 7, 15, or 0 */
};
#define LB_ASIC_PORT_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_asic_port_status, fec_max_symbol_errors)
#define LB_ASIC_PORT_STATUS_INIT LB_SIZED_INIT(struct lb_asic_port_status)

/*
 * A port's counters (SAI_PORT_STAT_*), 64-bit, monotonic between clears. Sized. Consistent
 * with each other: in_octets counts the octets of the in_*_pkts frames (and of the
 * in_fcs_errors ones); fec_bins[k] counts codewords with exactly k symbol errors
 * (fec_bins[16]: 16 or more), their sum is fec_codewords, the sum of bins 1..t is
 * fec_corrected, bin t+1 and up is fec_uncorrected, the sum of k x bins[k] for k <= t is
 * fec_symbol_errors.
 */
struct lb_asic_port_counters {
	size_t size;
	uint64_t in_octets, in_ucast_pkts, in_mcast_pkts, in_bcast_pkts;
	uint64_t out_octets, out_ucast_pkts, out_mcast_pkts, out_bcast_pkts;
	uint64_t in_fcs_errors; /* frames received with a bad FCS (not in the packet counts) */
	uint64_t in_discards;   /* frames received and dropped (no room) */
	uint64_t out_discards;
	uint64_t pause_rx_pkts, pause_tx_pkts;  /* 802.3x PAUSE */
	uint64_t pfc_rx_pkts[LB_ASIC_PRIORITIES]; /* PFC frames pausing priority n */
	uint64_t pfc_tx_pkts[LB_ASIC_PRIORITIES];
	uint64_t fec_codewords;
	uint64_t fec_corrected;   /* codewords corrected (1..t symbol errors) */
	uint64_t fec_uncorrected; /* codewords beyond the code */
	uint64_t fec_symbol_errors; /* symbols corrected */
	uint64_t fec_bins[LB_ASIC_FEC_BINS];
	/* ---- V2 (the traffic feature): SAI_PORT_STAT_PFC_n_RX/TX_PAUSE_DURATION_US ---- */
	uint64_t pfc_rx_pause_us[LB_ASIC_PRIORITIES]; /* time priority n was held by the peer's PFC */
	uint64_t pfc_tx_pause_us[LB_ASIC_PRIORITIES]; /* time the port held the peer's priority n */
	/* ---- V3: 802.3x PAUSE duration (SAI_PORT_STAT_PAUSE_RX/TX_DURATION_US) ---- */
	uint64_t pause_rx_us; /* time the peer's PAUSE held the port's transmit */
	uint64_t pause_tx_us; /* time the port's PAUSE held the peer */
};
#define LB_ASIC_PORT_COUNTERS_SIZE_V1 LB_SIZE_THROUGH(struct lb_asic_port_counters, fec_bins)
#define LB_ASIC_PORT_COUNTERS_SIZE_V2 LB_SIZE_THROUGH(struct lb_asic_port_counters, pfc_tx_pause_us)
#define LB_ASIC_PORT_COUNTERS_SIZE_V3 LB_SIZE_THROUGH(struct lb_asic_port_counters, pause_tx_us)
#define LB_ASIC_PORT_COUNTERS_INIT LB_SIZED_INIT(struct lb_asic_port_counters)

/* ---- switch ---- */

/**
 * Open the switch an ASIC driver drives. driver: a registered ASIC driver's name
 * ("emulated": lb_emu_register_drivers). options: JSON text of the driver's options, or NULL
 * (an empty object). handle: an in-process object for the driver (the emulated driver takes a
 * struct lb_emu_asic *), or NULL. Reads the capabilities and the ports the chip holds.
 * LB_E_NOTFOUND: no such driver; the driver's status otherwise (detail in lb_ctx_last_error).
 * Close with lb_switch_close.
 */
LB_API int lb_switch_open(struct lb_ctx *ctx, const char *driver, const char *options, void *handle,
			  struct lb_switch **out);
/** Close the switch (the ASIC keeps its configuration); NULL is allowed. */
LB_API void lb_switch_close(struct lb_switch *sw);
/** The capabilities (sized struct). LB_E_INVAL: NULL or a size below LB_SWITCH_CAPS_SIZE_V1. */
LB_API int lb_switch_get_caps(struct lb_switch *sw, struct lb_switch_caps *caps);

/* ---- ports ---- */

/**
 * Create a port on cfg's lanes with cfg's speed, FEC, admin state, MTU (0: 9100), loopback
 * and PFC mask, all validated first (see the top of this file); *port receives its number.
 * LB_E_RANGE also when every port number is taken.
 */
LB_API int lb_asic_port_create(struct lb_switch *sw, const struct lb_asic_port_config *cfg,
			       uint32_t *port);
/** Remove a port, freeing its lanes and its number. LB_E_NOTFOUND: no such port. */
LB_API int lb_asic_port_remove(struct lb_switch *sw, uint32_t port);
/**
 * Change the members of cfg that set names (LB_ASIC_PORT_SET_*), all together: validated
 * against the port's other members as they will be (a new speed against the FEC in force
 * unless the FEC changes too), then applied whole or not at all. LB_E_INVAL: set is 0 or has
 * unknown bits.
 */
LB_API int lb_asic_port_set(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg,
			    uint32_t set);
/** The configuration in force (sized). LB_E_NOTFOUND: no such port. */
LB_API int lb_asic_port_get(struct lb_switch *sw, uint32_t port, struct lb_asic_port_config *cfg);
/** The state now (sized), read from the chip. */
LB_API int lb_asic_port_get_status(struct lb_switch *sw, uint32_t port, struct lb_asic_port_status *st);
/**
 * The ports that exist: up to max numbers into ports (ascending), *count how many there are
 * (may exceed max; ports may be NULL when max is 0).
 */
LB_API int lb_asic_port_list(struct lb_switch *sw, uint32_t *ports, size_t max, size_t *count);

/* ---- counters ---- */

/** Read a port's counters (sized), without side effect. */
LB_API int lb_asic_port_counters_read(struct lb_switch *sw, uint32_t port,
				      struct lb_asic_port_counters *c);
/**
 * Read a port's counters and clear them, as one step on the chip: nothing counted between
 * the read and the clear is lost.
 */
LB_API int lb_asic_port_counters_read_clear(struct lb_switch *sw, uint32_t port,
					    struct lb_asic_port_counters *c);
/** Clear a port's counters. */
LB_API int lb_asic_port_counters_clear(struct lb_switch *sw, uint32_t port);

/* ---- the ASIC of a platform (lightbridge/platform.h) ---- */

struct lb_platform;
/**
 * The switch of a platform whose description has an "asic" section, opened on first use and
 * owned by the platform (closed by lb_platform_close; do not close it). LB_E_NOTFOUND: the
 * platform has no ASIC; the driver's status otherwise.
 */
LB_API int lb_platform_switch(struct lb_platform *p, struct lb_switch **out);
/**
 * The ASIC lanes of front-panel port port (its "asic_lanes": the front-panel map joins a cage
 * to lanes first .. first + count - 1). LB_E_NOTFOUND: no such port, or it has no lanes.
 */
LB_API int lb_platform_port_asic_lanes(const struct lb_platform *p, unsigned port, uint32_t *first,
				       uint32_t *count);

/* ---- names and rules ---- */

/** "none", "rs528", "rs544", "rs544-2xn"; "?" for another value. */
LB_API const char *lb_asic_fec_name(enum lb_asic_fec fec);
/** The FEC named so (as lb_asic_fec_name gives); LB_E_NOTFOUND otherwise. */
LB_API int lb_asic_fec_parse(const char *name, enum lb_asic_fec *fec);
/** "admin-down", "no-signal", "fec-no-lock", "remote-fault", "" for none; "?" otherwise. */
LB_API const char *lb_asic_down_reason_name(enum lb_asic_down_reason reason);
/** "none", "phy", "mac"; "?" otherwise. */
LB_API const char *lb_asic_loopback_name(enum lb_asic_loopback lb);
/**
 * Whether fec may run at speed_mbps over lanes of lane_mbps each (IEEE 802.3): NONE and
 * RS-528 on NRZ lanes (25G and below) only; RS-544 on PAM4 lanes for ports to 200G; RS-544
 * interleaved (2xN) on PAM4 lanes for ports of 200G and more. LB_OK, or LB_E_NOTSUP with no
 * detail recorded. Pure: no switch needed.
 */
LB_API int lb_asic_fec_allowed(enum lb_asic_fec fec, uint32_t speed_mbps, uint32_t lane_mbps);
/** t of an FEC: 7 for RS-528, 15 for RS-544 and its interleaved form, 0 for none. */
LB_API unsigned lb_asic_fec_max_symbol_errors(enum lb_asic_fec fec);

LB_END_DECLS
#endif
