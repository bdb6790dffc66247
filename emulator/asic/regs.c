/* SPDX-License-Identifier: MIT */
/* The register file of the emulated ASIC (docs/emulated-asic.md): decode, apply, counters. */
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/asic/emu_macsec.h"

static uint32_t lo(uint64_t v)
{
	return (uint32_t)v;
}

static uint32_t hi(uint64_t v)
{
	return (uint32_t)(v >> 32);
}

static int read_identity(const struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	const struct emu_asic_profile *pr = a->prof;
	if (addr >= LB_EMU_ASIC_REG_MODEL && addr < LB_EMU_ASIC_REG_MODEL + LB_EMU_ASIC_MODEL_BYTES) {
		char model[LB_EMU_ASIC_MODEL_BYTES] = { 0 };
		strncpy(model, pr->name, sizeof(model) - 1);
		uint32_t at = addr - LB_EMU_ASIC_REG_MODEL;
		*v = (uint32_t)(uint8_t)model[at] | (uint32_t)(uint8_t)model[at + 1] << 8 |
		     (uint32_t)(uint8_t)model[at + 2] << 16 | (uint32_t)(uint8_t)model[at + 3] << 24;
		return LB_OK;
	}
	switch (addr) {
	case LB_EMU_ASIC_REG_ID: *v = LB_EMU_ASIC_ID; break;
	case LB_EMU_ASIC_REG_VERSION: *v = LB_EMU_ASIC_VERSION; break;
	case LB_EMU_ASIC_REG_SWITCH_TYPE: *v = pr->switch_type; break;
	case LB_EMU_ASIC_REG_MAX_PORTS: *v = pr->max_ports; break;
	case LB_EMU_ASIC_REG_LANES: *v = pr->lanes; break;
	case LB_EMU_ASIC_REG_LANES_PER_GROUP: *v = pr->lanes_per_group; break;
	case LB_EMU_ASIC_REG_LANE_SPEEDS: *v = pr->lane_speeds; break;
	case LB_EMU_ASIC_REG_PORT_SPEEDS: *v = pr->port_speeds; break;
	case LB_EMU_ASIC_REG_FEC_MODES: *v = pr->fec_modes; break;
	case LB_EMU_ASIC_REG_CAPACITY_GBPS: *v = pr->capacity_gbps; break;
	case LB_EMU_ASIC_REG_ONCHIP_BYTES: *v = lo(pr->onchip_bytes); break;
	case LB_EMU_ASIC_REG_ONCHIP_BYTES + 4: *v = hi(pr->onchip_bytes); break;
	case LB_EMU_ASIC_REG_HBM_BYTES: *v = lo(pr->hbm_bytes); break;
	case LB_EMU_ASIC_REG_HBM_BYTES + 4: *v = hi(pr->hbm_bytes); break;
	case LB_EMU_ASIC_REG_HBM_BW_MBPS: *v = lo(pr->hbm_bw_mbps); break;
	case LB_EMU_ASIC_REG_HBM_BW_MBPS + 4: *v = hi(pr->hbm_bw_mbps); break;
	case LB_EMU_ASIC_REG_CELL_BYTES: *v = pr->cell_bytes; break;
	case LB_EMU_ASIC_REG_QUEUES: *v = pr->queues; break;
	case LB_EMU_ASIC_REG_PGS: *v = pr->pgs; break;
	case LB_EMU_ASIC_REG_LOSSLESS: *v = pr->lossless; break;
	case LB_EMU_ASIC_REG_MAX_MTU: *v = pr->max_mtu; break;
	default: return LB_E_RANGE;
	}
	return LB_OK;
}

/* The port number owning a lane, plus one (0: free). */
static uint32_t lane_owner(const struct lb_emu_asic *a, uint32_t lane)
{
	for (uint32_t p = 0; p < a->prof->max_ports; p++) {
		const struct emu_asic_port *pp = &a->ports[p];
		uint32_t first = LB_EMU_ASIC_LANES_FIRST(pp->live.lanes), n = LB_EMU_ASIC_LANES_COUNT(pp->live.lanes);
		if (pp->exists && lane >= first && lane < first + n)
			return p + 1;
	}
	return 0;
}

uint32_t emu_asic_group_lane_mbps(const struct lb_emu_asic *a, uint32_t group, uint32_t except,
				  uint32_t otherwise)
{
	for (uint32_t p = 0; p < a->prof->max_ports; p++) {
		const struct emu_asic_port *pp = &a->ports[p];
		uint32_t n = LB_EMU_ASIC_LANES_COUNT(pp->live.lanes);
		if (p != except && pp->exists && n &&
		    LB_EMU_ASIC_LANES_FIRST(pp->live.lanes) / a->prof->lanes_per_group == group)
			return pp->live.speed_mbps / n;
	}
	return otherwise;
}

static int read_port(struct lb_emu_asic *a, uint32_t port, uint32_t off, uint32_t *v)
{
	struct emu_asic_port *p = &a->ports[port];
	if (off >= LB_EMU_ASIC_P_CNT(0) && off < LB_EMU_ASIC_P_CNT(LB_EMU_ASIC_N_COUNTERS)) {
		uint32_t i = (off - LB_EMU_ASIC_P_CNT(0)) / 8;
		*v = (off & 4) ? hi(p->latch[i]) : lo(p->latch[i]);
		return LB_OK;
	}
	if (emu_asic_binding_read(p, off, v) == LB_OK)
		return LB_OK;
	uint32_t reason = emu_asic_port_down_reason(a, p);
	switch (off) {
	case LB_EMU_ASIC_P_CFG_LANES: *v = p->staged.lanes; break;
	case LB_EMU_ASIC_P_CFG_SPEED: *v = p->staged.speed_mbps; break;
	case LB_EMU_ASIC_P_CFG_FEC: *v = p->staged.fec; break;
	case LB_EMU_ASIC_P_CFG_CTRL: *v = p->staged.ctrl; break;
	case LB_EMU_ASIC_P_CFG_MTU: *v = p->staged.mtu; break;
	case LB_EMU_ASIC_P_COMMAND: *v = 0; break; /* commands complete at once */
	case LB_EMU_ASIC_P_CMD_STATUS: *v = p->cmd_status; break;
	case LB_EMU_ASIC_P_STATUS: *v = (p->exists ? 1u : 0u) | (p->exists && !reason ? 2u : 0u) | reason << 8; break;
	case LB_EMU_ASIC_P_OPER_SPEED: *v = p->exists && !reason ? p->live.speed_mbps : 0; break;
	case LB_EMU_ASIC_P_OPER_FEC: *v = p->exists && !reason ? p->live.fec : 0; break;
	case LB_EMU_ASIC_P_LIVE_LANES: *v = p->exists ? p->live.lanes : 0; break;
	case LB_EMU_ASIC_P_LIVE_SPEED: *v = p->exists ? p->live.speed_mbps : 0; break;
	case LB_EMU_ASIC_P_LIVE_FEC: *v = p->exists ? p->live.fec : 0; break;
	case LB_EMU_ASIC_P_LIVE_CTRL: *v = p->exists ? p->live.ctrl : 0; break;
	case LB_EMU_ASIC_P_LIVE_MTU: *v = p->exists ? p->live.mtu : 0; break;
	case LB_EMU_ASIC_P_CNT_CTRL: *v = 0; break;
	default: return LB_E_RANGE;
	}
	return LB_OK;
}

/* Which port block addr falls in; false for none. */
static bool port_of(const struct lb_emu_asic *a, uint32_t addr, uint32_t *port, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_PORT_BASE)
		return false;
	uint32_t p = (addr - LB_EMU_ASIC_PORT_BASE) / LB_EMU_ASIC_PORT_STRIDE;
	if (p >= a->prof->max_ports)
		return false;
	*port = p;
	*off = (addr - LB_EMU_ASIC_PORT_BASE) % LB_EMU_ASIC_PORT_STRIDE;
	return true;
}

int emu_asic_reg_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t port, off;
	if (addr & 3)
		return LB_E_RANGE;
	if (addr >= LB_EMU_ASIC_REG_LANE_OWNER(0) && addr < LB_EMU_ASIC_REG_LANE_OWNER(a->prof->lanes)) {
		*v = lane_owner(a, (addr - LB_EMU_ASIC_REG_LANE_OWNER(0)) / 4);
		return LB_OK;
	}
	uint32_t groups = a->prof->lanes / a->prof->lanes_per_group;
	if (addr >= LB_EMU_ASIC_REG_GROUP_SPEED(0) && addr < LB_EMU_ASIC_REG_GROUP_SPEED(groups)) {
		int bit = emu_asic_speed_bit(emu_asic_group_lane_mbps(a, (addr - LB_EMU_ASIC_REG_GROUP_SPEED(0)) / 4,
								      UINT32_MAX, 0));
		*v = bit < 0 ? 0 : 1u << bit;
		return LB_OK;
	}
	if (port_of(a, addr, &port, &off))
		return read_port(a, port, off, v);
	if (emu_macsec_read(a, addr, v) == LB_OK)
		return LB_OK;
	if (emu_asic_buffer_read(a, addr, v) == LB_OK)
		return LB_OK;
	if (emu_asic_hp_read(a, addr, v) == LB_OK)
		return LB_OK;
	if (emu_asic_voq_read(a, addr, v) == LB_OK) /* VOQ system ports (voq.c) */
		return LB_OK;
	if (addr >= LB_EMU_ASIC_CC_BASE) /* congestion control (congestion.c) */
		return emu_asic_cc_read(a, addr, v);
	if (addr >= LB_EMU_ASIC_QOS_BASE) /* QoS and watermarks (qos_regs.c) */
		return emu_asic_qos_read(a, addr, v);
	return read_identity(a, addr, v);
}

static bool speed_has(uint32_t mask, uint32_t mbps)
{
	int bit = emu_asic_speed_bit(mbps);
	return bit >= 0 && (mask & (1u << bit));
}

/* The chip's own checks of a configuration (the core checks the same first). */
static uint32_t check(const struct lb_emu_asic *a, uint32_t port, const struct emu_asic_port_cfg *c)
{
	const struct emu_asic_profile *pr = a->prof;
	uint32_t first = LB_EMU_ASIC_LANES_FIRST(c->lanes), n = LB_EMU_ASIC_LANES_COUNT(c->lanes);
	if (!n || n > 8 || (n & (n - 1)) || n > pr->lanes_per_group || first % n || first + n > pr->lanes)
		return LB_EMU_ASIC_ERR_LANES;
	for (uint32_t l = first; l < first + n; l++) {
		uint32_t o = lane_owner(a, l);
		if (o && o != port + 1)
			return LB_EMU_ASIC_ERR_OVERLAP;
	}
	if (!speed_has(pr->port_speeds, c->speed_mbps) || c->speed_mbps % n ||
	    !speed_has(pr->lane_speeds, c->speed_mbps / n))
		return LB_EMU_ASIC_ERR_SPEED;
	uint32_t lane = c->speed_mbps / n;
	if (emu_asic_group_lane_mbps(a, first / pr->lanes_per_group, port, lane) != lane)
		return LB_EMU_ASIC_ERR_SPEED; /* one lane speed per lane group */
	bool nrz = lane <= 25000;
	bool fec_ok = c->fec < 4 && (pr->fec_modes & (1u << c->fec)) &&
		      (c->fec <= 1 ? nrz : c->fec == 2 ? !nrz && c->speed_mbps <= 200000
						     : !nrz && c->speed_mbps >= 200000);
	if (!fec_ok)
		return LB_EMU_ASIC_ERR_FEC;
	if (c->mtu < 68 || c->mtu > pr->max_mtu)
		return LB_EMU_ASIC_ERR_MTU;
	if (LB_EMU_ASIC_CTRL_LOOPBACK(c->ctrl) > 2 || (c->ctrl >> 26) ||
	    ((LB_EMU_ASIC_CTRL_PAUSE_TX(c->ctrl) || LB_EMU_ASIC_CTRL_PAUSE_RX(c->ctrl)) && LB_EMU_ASIC_CTRL_PFC(c->ctrl)) ||
	    (unsigned)__builtin_popcount(LB_EMU_ASIC_CTRL_PFC(c->ctrl)) > pr->lossless)
		return LB_EMU_ASIC_ERR_CTRL;
	uint64_t total = c->speed_mbps;
	for (uint32_t p = 0; p < pr->max_ports; p++)
		if (p != port && a->ports[p].exists)
			total += a->ports[p].live.speed_mbps;
	if (total > (uint64_t)pr->capacity_gbps * 1000)
		return LB_EMU_ASIC_ERR_CAPACITY;
	return LB_EMU_ASIC_ERR_OK;
}

uint32_t emu_asic_port_apply(struct lb_emu_asic *a, uint32_t port)
{
	struct emu_asic_port *p = &a->ports[port];
	if (p->exists && p->staged.lanes != p->live.lanes)
		return LB_EMU_ASIC_ERR_EXISTS;
	if (p->exists && p->staged.speed_mbps != p->live.speed_mbps && emu_asic_hp_holds(a, port))
		return LB_EMU_ASIC_ERR_BUSY; /* a HyperPort member keeps its speed */
	uint32_t err = check(a, port, &p->staged);
	if (err)
		return err;
	if (!p->exists) { /* a new port starts from zero */
		memset(p->cnt, 0, sizeof(p->cnt));
		memset(p->latch, 0, sizeof(p->latch));
	}
	p->live = p->staged;
	p->exists = true;
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t command(struct lb_emu_asic *a, uint32_t port, uint32_t cmd)
{
	struct emu_asic_port *p = &a->ports[port];
	switch (cmd) {
	case LB_EMU_ASIC_CMD_CREATE:
		return p->exists ? LB_EMU_ASIC_ERR_TAKEN : emu_asic_port_apply(a, port);
	case LB_EMU_ASIC_CMD_APPLY:
		return p->exists ? emu_asic_port_apply(a, port) : LB_EMU_ASIC_ERR_NOPORT;
	case LB_EMU_ASIC_CMD_REMOVE:
		if (!p->exists)
			return LB_EMU_ASIC_ERR_NOPORT;
		if (emu_asic_hp_holds(a, port) || emu_asic_voq_holds(a, port))
			return LB_EMU_ASIC_ERR_BUSY; /* remove its HyperPort, its system port first */
		emu_asic_flow_drop(a, p); /* the traffic model's state goes with the port */
		memset(p, 0, sizeof(*p));
		emu_macsec_port_removed(a, port);
		return LB_EMU_ASIC_ERR_OK;
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

static int write_port(struct lb_emu_asic *a, uint32_t port, uint32_t off, uint32_t v)
{
	struct emu_asic_port *p = &a->ports[port];
	if (off >= LB_EMU_ASIC_P_PG(0) && off < LB_EMU_ASIC_P_QUEUE(LB_EMU_ASIC_PORT_QUEUES))
		return emu_asic_binding_write(a, p, off, v);
	switch (off) {
	case LB_EMU_ASIC_P_CFG_LANES: p->staged.lanes = v; break;
	case LB_EMU_ASIC_P_CFG_SPEED: p->staged.speed_mbps = v; break;
	case LB_EMU_ASIC_P_CFG_FEC: p->staged.fec = v; break;
	case LB_EMU_ASIC_P_CFG_CTRL: p->staged.ctrl = v; break;
	case LB_EMU_ASIC_P_CFG_MTU: p->staged.mtu = v; break;
	case LB_EMU_ASIC_P_COMMAND: p->cmd_status = command(a, port, v); break;
	case LB_EMU_ASIC_P_CNT_CTRL:
		if (v & LB_EMU_ASIC_CNT_LATCH)
			memcpy(p->latch, p->cnt, sizeof(p->cnt));
		if (v & LB_EMU_ASIC_CNT_CLEAR)
			memset(p->cnt, 0, sizeof(p->cnt));
		break;
	default: { /* read-only where a register is (as hardware ignores the write) */
		uint32_t ignored;
		return read_port(a, port, off, &ignored);
	}
	}
	return LB_OK;
}

int emu_asic_reg_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t port, off, ignored;
	if (addr & 3)
		return LB_E_RANGE;
	if (port_of(a, addr, &port, &off))
		return write_port(a, port, off, v);
	if (emu_macsec_write(a, addr, v) == LB_OK)
		return LB_OK;
	if (addr >= LB_EMU_ASIC_REG_LANE_OWNER(0) && addr < LB_EMU_ASIC_REG_GROUP_SPEED(a->prof->lanes / a->prof->lanes_per_group) &&
	    emu_asic_reg_read(a, addr, &ignored) == LB_OK)
		return LB_OK; /* read-only */
	if (emu_asic_buffer_write(a, addr, v) == LB_OK)
		return LB_OK;
	if (emu_asic_hp_write(a, addr, v) == LB_OK)
		return LB_OK;
	if (emu_asic_voq_write(a, addr, v) == LB_OK) /* VOQ system ports (voq.c) */
		return LB_OK;
	if (addr >= LB_EMU_ASIC_CC_BASE) /* congestion control (congestion.c) */
		return emu_asic_cc_write(a, addr, v);
	if (addr >= LB_EMU_ASIC_QOS_BASE) /* QoS and watermarks (qos_regs.c) */
		return emu_asic_qos_write(a, addr, v);
	return read_identity(a, addr, &ignored); /* read-only: ignored where a register is */
}

bool emu_asic_is_command(const struct lb_emu_asic *a, uint32_t addr)
{
	uint32_t port, off, n = a->prof->max_ports;
	if (port_of(a, addr, &port, &off))
		return off == LB_EMU_ASIC_P_COMMAND;
	if (addr >= LB_EMU_ASIC_POOL_REG(0, 0) && addr < LB_EMU_ASIC_POOL_REG(LB_EMU_ASIC_POOLS, 0))
		return (addr - LB_EMU_ASIC_POOL_REG(0, 0)) % 0x40u == LB_EMU_ASIC_POOL_COMMAND;
	if (addr >= LB_EMU_ASIC_PROFILE_REG(0, 0) && addr < LB_EMU_ASIC_PROFILE_REG(LB_EMU_ASIC_PROFILES, 0))
		return (addr - LB_EMU_ASIC_PROFILE_REG(0, 0)) % 0x80u == LB_EMU_ASIC_PROF_COMMAND;
	if (addr >= LB_EMU_ASIC_HP_REG(0, 0) && addr < LB_EMU_ASIC_HP_REG(LB_EMU_ASIC_HPS, 0))
		return (addr - LB_EMU_ASIC_HP_REG(0, 0)) % 0x80u == LB_EMU_ASIC_HP_COMMAND;
	if (addr >= LB_EMU_ASIC_MACSEC_REG(0, 0) && addr < LB_EMU_ASIC_MACSEC_REG(n, 0))
		return (addr - LB_EMU_ASIC_MACSEC_REG(0, 0)) % LB_EMU_ASIC_MACSEC_STRIDE == LB_EMU_ASIC_M_COMMAND;
	if (addr >= LB_EMU_ASIC_QOS_REG(0, 0) && addr < LB_EMU_ASIC_QOS_REG(n, 0))
		return (addr - LB_EMU_ASIC_QOS_REG(0, 0)) % LB_EMU_ASIC_QOS_STRIDE == LB_EMU_ASIC_QOS_COMMAND;
	if (addr >= LB_EMU_ASIC_CC_REG(0, 0) && addr < LB_EMU_ASIC_CC_REG(n, 0)) {
		uint32_t o = (addr - LB_EMU_ASIC_CC_REG(0, 0)) % LB_EMU_ASIC_CC_STRIDE;
		return (o < LB_EMU_ASIC_CC_Q(8, 0) && o % 0x40u == LB_EMU_ASIC_CC_Q_COMMAND) ||
		       (o >= LB_EMU_ASIC_CC_WD(0, 0) && o < LB_EMU_ASIC_CC_WD(8, 0) &&
			(o - LB_EMU_ASIC_CC_WD(0, 0)) % 0x20u == LB_EMU_ASIC_CC_WD_COMMAND);
	}
	if (addr == LB_EMU_ASIC_VOQ_SW_COMMAND)
		return true;
	if (addr >= LB_EMU_ASIC_VOQ_REG(0, 0) && addr < LB_EMU_ASIC_VOQ_REG(LB_EMU_ASIC_VOQ_SLOTS, 0))
		return (addr - LB_EMU_ASIC_VOQ_REG(0, 0)) % 0x40u == LB_EMU_ASIC_VOQ_SP_COMMAND;
	return false;
}

bool emu_asic_is_cnt_ctrl(const struct lb_emu_asic *a, uint32_t addr)
{
	uint32_t port, off;
	return port_of(a, addr, &port, &off) && off == LB_EMU_ASIC_P_CNT_CTRL;
}
