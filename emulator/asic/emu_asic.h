/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the router ASIC model (docs/emulated-asic.md has its register map). */
#ifndef LB_EMU_ASIC_INTERNAL_H
#define LB_EMU_ASIC_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/emulator.h>
#include <lightbridge/emu_asic_regs.h>
#include "emulator/asic/emu_voq.h"
#include "emulator/asic/qos.h"
#include "emulator/asic/congestion.h"

/* What a profile fixes: the identity and capability registers, and the ports at power-on. */
struct emu_asic_profile {
	const char *name;
	uint32_t switch_type; /* 1 NPU, 2 VOQ */
	uint32_t max_ports, lanes, lanes_per_group;
	uint32_t lane_speeds; /* LB_EMU_ASIC_SPEED_* bits */
	uint32_t port_speeds; /* LB_EMU_ASIC_SPEED_* bits */
	uint32_t fec_modes;   /* bit per FEC code */
	uint32_t capacity_gbps;
	uint64_t onchip_bytes, hbm_bytes, hbm_bw_mbps;
	uint32_t cell_bytes, queues, pgs, lossless, max_mtu;
	uint32_t default_ports, default_lanes, default_speed_mbps, default_fec;
};

/* 802.3x PAUSE state of a port (pause.c): held each way, the next refresh, time not yet counted. */
struct emu_asic_pause {
	bool tx_held, rx_held;
	double tx_next, rx_next;
	uint64_t acc_ns[2]; /* [0] received, [1] sent: below a microsecond */
};

/* A port's configuration as the registers hold it. */
struct emu_asic_port_cfg {
	uint32_t lanes; /* first lane [15:0], lane count [23:16] */
	uint32_t speed_mbps;
	uint32_t fec;
	uint32_t ctrl;  /* admin bit 0, loopback [9:8], PFC mask [23:16] */
	uint32_t mtu;
};

struct emu_asic_port {
	bool exists;
	uint32_t pg[LB_EMU_ASIC_PORT_PGS];       /* profile + 1, 0: none */
	uint32_t queue[LB_EMU_ASIC_PORT_QUEUES];
	struct emu_asic_port_cfg live;   /* in force */
	struct emu_asic_port_cfg staged; /* written, applied by COMMAND */
	uint32_t cmd_status;
	uint64_t cnt[LB_EMU_ASIC_N_COUNTERS];   /* running */
	uint64_t latch[LB_EMU_ASIC_N_COUNTERS]; /* what CNT_CTRL latched: the registers read these */
	struct lb_emu_asic_traffic traffic;
	/* fractional remainders of the traffic model, so that nothing is lost between runs */
	double acc_frames, acc_out, acc_mcast, acc_bcast, acc_cw, acc_pfc[8];
	double acc_bin[LB_EMU_ASIC_FEC_BINS];
	struct emu_asic_flow *flow; /* the queueing model's (traffic_flow.c), NULL: none */
	struct emu_asic_qos qos;    /* scheduler, maps, watermarks (qos_regs.c) */
	struct emu_asic_cc cc;      /* ECN/WRED and PFC watchdog (congestion.c) */
	struct emu_asic_pause pause; /* 802.3x PAUSE (pause.c) */
};

/* A pool's or profile's registers: staged and in force, as 32-bit words by offset / 4. */
struct emu_asic_table {
	bool exists;
	uint32_t staged[16], live[16];
	uint32_t status;
};

/* A HyperPort (hyperport.c): members in force, staged registers, the traffic it carries. */
struct emu_asic_hp {
	bool exists;
	uint32_t member[LB_EMU_ASIC_HP_MEMBERS]; /* port numbers, in force */
	uint32_t hash;
	uint32_t staged[LB_EMU_ASIC_HP_MEMBERS]; /* port + 1 */
	uint32_t staged_hash;
	uint32_t cmd_status;
	struct lb_emu_asic_traffic traffic; /* size 0: none set */
	uint32_t flows;
	uint32_t share_ppm[LB_EMU_ASIC_HP_MEMBERS]; /* the spread at the last run */
	uint32_t spread_up; /* members up (bit i) the spread was worked out for, plus 0x100 once */
	/* what the last STATE read latched, for CAPACITY, SHARE and REASONS: one instant */
	uint32_t latch_cap_gbps, latch_share[LB_EMU_ASIC_HP_MEMBERS], latch_reasons;
};

/* A fault armed (faults.c): fires at the first access of its kind from access number at. */
struct emu_asic_fault {
	enum lb_emu_asic_fault kind;
	uint64_t at;
};

/* The chip's health block (0xA000, faults.c) and the faults armed on its bus. */
struct emu_asic_health {
	uint32_t epoch;       /* power-ons, 1 at creation */
	bool unarmed;         /* reset and not acknowledged: nothing answered outside 0xA000 */
	uint32_t tally;       /* writes taken, mod 256, since the tally was last read */
	uint32_t held_addr;   /* a status register that reads held_status until the next write */
	uint32_t held_status; /* 0: none held */
	unsigned n_armed;
	struct emu_asic_fault armed[LB_EMU_ASIC_MAX_FAULTS];
	uint64_t fired[LB_EMU_ASIC_FAULT_KINDS];
};

struct lb_emu_asic {
	struct lb_emu_world *world;
	struct lb_emu_world_device *device;
	const struct emu_asic_profile *prof;
	uint64_t t_ns;            /* the model has run up to here */
	uint64_t accesses;        /* register reads and writes */
	uint8_t *signal;          /* per lane: LB_EMU_ASIC_SIGNAL_* */
	struct emu_asic_port *ports;
	struct emu_asic_table pools[LB_EMU_ASIC_POOLS];
	struct emu_asic_table profiles[LB_EMU_ASIC_PROFILES];
	struct emu_asic_hp hps[LB_EMU_ASIC_HPS]; /* HyperPorts (hyperport.c) */
	/* MACsec (macsec.c): per port, and the secret of the key tags */
	struct emu_macsec_port *macsec;
	uint8_t macsec_secret[16];
	uint64_t hbm_bw_mbps; /* the queueing model's HBM write bandwidth */
	uint32_t flows;       /* ports with a flow (traffic_flow.c) */
	uint64_t pool_wm_cur[LB_EMU_ASIC_POOLS], pool_wm_peak[LB_EMU_ASIC_POOLS]; /* bytes */
	/* cages whose module drives their lanes' signal (cage.c, lb_emu_asic_attach_module) */
	struct emu_asic_cage *cages;
	unsigned n_cages;
	struct emu_asic_voq voq; /* VOQ system ports (voq.c) */
	struct emu_asic_health health; /* faults, epoch and write tally (faults.c) */
};

/* Buffers (buffer_regs.c): LB_E_RANGE when addr is not theirs. */
int emu_asic_buffer_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_buffer_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
/* A port's PG or queue binding register (off in the port block); LB_E_RANGE when not one. */
int emu_asic_binding_read(const struct emu_asic_port *p, uint32_t off, uint32_t *v);
int emu_asic_binding_write(struct lb_emu_asic *a, struct emu_asic_port *p, uint32_t off, uint32_t v);

/* A traffic setting checked (LB_E_INVAL: a negative or non-finite value, fractions above 1),
 * frame_bytes 0 made 64 (asic.c). */
int emu_asic_traffic_check(struct lb_emu_asic_traffic *t);

/* HyperPorts (hyperport.c): registers (LB_E_RANGE when addr is not theirs); whether a port is
 * a member (the port's remove and speed change are refused then); the spread of each
 * HyperPort's traffic over its members up, set as the members' traffic (run before ports). */
int emu_asic_hp_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_hp_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
bool emu_asic_hp_holds(const struct lb_emu_asic *a, uint32_t port);
void emu_asic_hp_spread(struct lb_emu_asic *a);

/* Profiles (profile.c). NULL when no profile has the name. */
const struct emu_asic_profile *emu_asic_profile_find(const char *name);
/* Mb/s of an LB_EMU_ASIC_SPEED_* bit index, 0 past the table. */
uint32_t emu_asic_speed_mbps(unsigned bit);
/* The bit of a speed, or -1. */
int emu_asic_speed_bit(uint32_t mbps);

/* The traffic model (traffic.c): run every port from a->t_ns to t. World locked. */
void emu_asic_run(struct lb_emu_asic *a, uint64_t t);
/* A port's operational state now: 0 up, else an LB_ASIC_DOWN_* reason value. */
uint32_t emu_asic_port_down_reason(const struct lb_emu_asic *a, const struct emu_asic_port *p);

/* 802.3x PAUSE (pause.c), for the queueing model: the priorities whose PGs hold back the peer
 * (PAUSE tx: every one; else the PFC mask); a step of PAUSE sent (held: the ingress at XOFF);
 * a step of PAUSE received (peer: the peer's PAUSE holds now), true while the transmit stops. */
struct emu_asic_port;
uint32_t emu_asic_lossless_mask(const struct emu_asic_port *p);
void emu_asic_pause_tx(struct emu_asic_port *p, bool held, double now, double refresh_ns, uint64_t step_ns);
bool emu_asic_pause_rx(struct emu_asic_port *p, bool peer, double now, double refresh_ns, uint64_t step_ns);

/* The queueing model (traffic_flow.c): run every flow to t (whole steps). World locked. */
struct emu_asic_flow;
void emu_asic_flow_run(struct lb_emu_asic *a, uint64_t t);
void emu_asic_flow_free(struct emu_asic_flow *f);
/* Stop port p's flow, if it has one (a port removed, lb_emu_asic_set_flow NULL). */
void emu_asic_flow_drop(struct lb_emu_asic *a, struct emu_asic_port *p);
/* Make port p's peer hold priorities mask paused (from the time it crosses the link on):
 * LB_E_NOTFOUND without a flow. */
int emu_asic_flow_peer_pause(struct emu_asic_port *p, uint32_t mask);

/* Cages (cage.c): every attached cage's lanes set from its module now (run before the
 * model); the list freed with the chip. */
struct emu_asic_cage;
void emu_asic_cages_sync(struct lb_emu_asic *a);
void emu_asic_cages_free(struct lb_emu_asic *a);

/* A register access through the chip's bus (faults.c): the faults armed, the health block,
 * then the register file. World locked, model run to now, the access counted. */
int emu_asic_bus_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
/* Whether a read of addr may go to the register file at once: no fault armed, no reset
 * waiting, no status held, no tally to restart, not the health block nor a checked read. */
static inline bool emu_asic_bus_plain_read(const struct lb_emu_asic *a, uint32_t addr)
{
	const struct emu_asic_health *h = &a->health;
	return !(h->n_armed | h->unarmed | h->held_status | h->tally) &&
	       addr - LB_EMU_ASIC_REG_EPOCH >= 0x100u && !(addr & LB_EMU_ASIC_CHECKED(0));
}
int emu_asic_bus_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
/* Whether addr is a COMMAND register of a block (regs.c); its status is at addr + 4. */
bool emu_asic_is_command(const struct lb_emu_asic *a, uint32_t addr);
/* Whether addr is a port's CNT_CTRL (regs.c). */
bool emu_asic_is_cnt_ctrl(const struct lb_emu_asic *a, uint32_t addr);
/* The configuration the chip has at power-on (asic.c): ports, tables, HyperPorts, MACsec;
 * the lanes' signal and the offered traffic (the world around the chip) are kept. */
void emu_asic_power_on(struct lb_emu_asic *a);

/* Registers (regs.c). World locked, model run to now. */
int emu_asic_reg_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_reg_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
/* The lane speed (Mb/s) lane group group runs, from its ports in force other than except;
 * otherwise when none is in it. */
uint32_t emu_asic_group_lane_mbps(const struct lb_emu_asic *a, uint32_t group, uint32_t except,
				  uint32_t otherwise);
/* Validate and apply a port's staged configuration (create or change): LB_EMU_ASIC_ERR_*. */
uint32_t emu_asic_port_apply(struct lb_emu_asic *a, uint32_t port);

#endif
