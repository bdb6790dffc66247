/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's VOQ system-port table (docs/emulated-asic.md, registers 0xF00000-
 * 0xF3FFFF): this switch's id and cores, and a table of system ports, each staged and applied
 * whole by a command, as the chip's other blocks. The chip checks what the core checks first
 * (lightbridge/voq.h), so that a driver that skips the core's rules is refused too.
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"

static bool in_block(uint32_t addr)
{
	return addr >= LB_EMU_ASIC_VOQ_SW_ID && addr < LB_EMU_ASIC_VOQ_END;
}

/* The slot and offset of addr; false when addr is not in a slot. */
static bool slot_of(uint32_t addr, uint32_t *n, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_VOQ_REG(0, 0) || addr >= LB_EMU_ASIC_VOQ_REG(LB_EMU_ASIC_VOQ_SLOTS, 0))
		return false;
	*n = (addr - LB_EMU_ASIC_VOQ_REG(0, 0)) / 0x40u;
	*off = (addr - LB_EMU_ASIC_VOQ_REG(0, 0)) % 0x40u;
	return true;
}

static bool is_local(const struct emu_asic_voq *q, const struct emu_voq_slot *s)
{
	return s->exists && s->live[EMU_VOQ_SWITCH] == q->live_id;
}

bool emu_asic_voq_holds(const struct lb_emu_asic *a, uint32_t port)
{
	const struct emu_asic_voq *q = &a->voq;
	for (uint32_t n = 0; q->live_cores && n < LB_EMU_ASIC_VOQ_SLOTS; n++)
		if (is_local(q, &q->slot[n]) && q->slot[n].live[EMU_VOQ_CORE_PORT] == port)
			return true;
	return false;
}

static uint32_t sw_apply(struct lb_emu_asic *a)
{
	struct emu_asic_voq *q = &a->voq;
	if (a->prof->switch_type != 2)
		return LB_EMU_ASIC_ERR_NOT_VOQ;
	for (uint32_t n = 0; n < LB_EMU_ASIC_VOQ_SLOTS; n++)
		if (q->slot[n].exists)
			return LB_EMU_ASIC_ERR_BUSY;
	if (q->staged_id > LB_EMU_ASIC_VOQ_MAX_SWITCH_ID || !q->staged_cores ||
	    q->staged_cores > LB_EMU_ASIC_VOQ_MAX_CORES || a->prof->lanes % q->staged_cores)
		return LB_EMU_ASIC_ERR_VALUE;
	q->live_id = q->staged_id;
	q->live_cores = q->staged_cores;
	return LB_EMU_ASIC_ERR_OK;
}

/* The staged entry of slot s checked against the table and the ports. */
static uint32_t sp_check(const struct lb_emu_asic *a, const struct emu_voq_slot *s)
{
	const struct emu_asic_voq *q = &a->voq;
	const uint32_t *c = s->staged;
	bool local = c[EMU_VOQ_SWITCH] == q->live_id;
	if (!c[EMU_VOQ_ID] || c[EMU_VOQ_SWITCH] > LB_EMU_ASIC_VOQ_MAX_SWITCH_ID ||
	    c[EMU_VOQ_CORE] >= (local ? q->live_cores : LB_EMU_ASIC_VOQ_MAX_CORES) || !c[EMU_VOQ_NUM_VOQ] ||
	    c[EMU_VOQ_NUM_VOQ] > a->prof->queues)
		return LB_EMU_ASIC_ERR_VALUE;
	int bit = emu_asic_speed_bit(c[EMU_VOQ_SPEED]);
	if (bit < 0 || !(a->prof->port_speeds & (1u << bit)))
		return LB_EMU_ASIC_ERR_SPEED;
	for (uint32_t n = 0; n < LB_EMU_ASIC_VOQ_SLOTS; n++) {
		const struct emu_voq_slot *o = &q->slot[n];
		if (!o->exists)
			continue;
		if (o->live[EMU_VOQ_ID] == c[EMU_VOQ_ID] ||
		    (o->live[EMU_VOQ_SWITCH] == c[EMU_VOQ_SWITCH] && o->live[EMU_VOQ_CORE] == c[EMU_VOQ_CORE] &&
		     o->live[EMU_VOQ_CORE_PORT] == c[EMU_VOQ_CORE_PORT]))
			return LB_EMU_ASIC_ERR_TAKEN;
	}
	if (!local)
		return LB_EMU_ASIC_ERR_OK;
	uint32_t p = c[EMU_VOQ_CORE_PORT];
	if (p >= a->prof->max_ports || !a->ports[p].exists)
		return LB_EMU_ASIC_ERR_NOPORT;
	uint32_t lane = LB_EMU_ASIC_LANES_FIRST(a->ports[p].live.lanes);
	if ((uint64_t)lane * q->live_cores / a->prof->lanes != c[EMU_VOQ_CORE])
		return LB_EMU_ASIC_ERR_NOPORT;
	if (a->ports[p].live.speed_mbps != c[EMU_VOQ_SPEED])
		return LB_EMU_ASIC_ERR_SPEED;
	if (emu_asic_voq_holds(a, p))
		return LB_EMU_ASIC_ERR_TAKEN;
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t sp_command(struct lb_emu_asic *a, struct emu_voq_slot *s, uint32_t cmd)
{
	if (a->prof->switch_type != 2)
		return LB_EMU_ASIC_ERR_NOT_VOQ;
	switch (cmd) {
	case LB_EMU_ASIC_CMD_CREATE: {
		if (!a->voq.live_cores)
			return LB_EMU_ASIC_ERR_VOQ_NOSWITCH;
		if (s->exists)
			return LB_EMU_ASIC_ERR_TAKEN;
		uint32_t err = sp_check(a, s);
		if (err)
			return err;
		memcpy(s->live, s->staged, sizeof(s->live));
		s->exists = true;
		return LB_EMU_ASIC_ERR_OK;
	}
	case LB_EMU_ASIC_CMD_REMOVE:
		if (!s->exists)
			return LB_EMU_ASIC_ERR_NOPORT;
		s->exists = false;
		memset(s->live, 0, sizeof(s->live));
		return LB_EMU_ASIC_ERR_OK;
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

static uint32_t slot_read(const struct lb_emu_asic *a, const struct emu_voq_slot *s, uint32_t off)
{
	if (off < LB_EMU_ASIC_VOQ_SP_COMMAND)
		return s->staged[off / 4];
	if (off >= LB_EMU_ASIC_VOQ_SP_LIVE && off < LB_EMU_ASIC_VOQ_SP_LIVE + 4u * EMU_VOQ_FIELDS) {
		uint32_t f = (off - LB_EMU_ASIC_VOQ_SP_LIVE) / 4;
		if (f == EMU_VOQ_SPEED && is_local(&a->voq, s)) /* a local one runs at its port's speed */
			return a->ports[s->live[EMU_VOQ_CORE_PORT]].live.speed_mbps;
		return s->live[f];
	}
	switch (off) {
	case LB_EMU_ASIC_VOQ_SP_CMD_STATUS: return s->cmd_status;
	case LB_EMU_ASIC_VOQ_SP_STATE: return (s->exists ? 1u : 0u) | (is_local(&a->voq, s) ? 2u : 0u);
	}
	return 0; /* COMMAND and reserved: read 0 */
}

int emu_asic_voq_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	const struct emu_asic_voq *q = &a->voq;
	uint32_t n, off;
	if (!in_block(addr))
		return LB_E_RANGE;
	if (slot_of(addr, &n, &off)) {
		*v = slot_read(a, &q->slot[n], off);
		return LB_OK;
	}
	if (addr >= LB_EMU_ASIC_VOQ_USED(0) && addr < LB_EMU_ASIC_VOQ_USED(LB_EMU_ASIC_VOQ_SLOTS / 32)) {
		uint32_t w = (addr - LB_EMU_ASIC_VOQ_USED(0)) / 4;
		*v = 0;
		for (uint32_t b = 0; b < 32; b++)
			*v |= q->slot[32 * w + b].exists ? 1u << b : 0u;
		return LB_OK;
	}
	switch (addr) {
	case LB_EMU_ASIC_VOQ_SW_ID: *v = q->staged_id; break;
	case LB_EMU_ASIC_VOQ_SW_CORES: *v = q->staged_cores; break;
	case LB_EMU_ASIC_VOQ_SW_STATUS: *v = q->sw_status; break;
	case LB_EMU_ASIC_VOQ_SW_LIVE_ID: *v = q->live_id; break;
	case LB_EMU_ASIC_VOQ_SW_LIVE_CORES: *v = q->live_cores; break;
	default: *v = 0; break; /* COMMAND and reserved */
	}
	return LB_OK;
}

int emu_asic_voq_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	struct emu_asic_voq *q = &a->voq;
	uint32_t n, off;
	if (!in_block(addr))
		return LB_E_RANGE;
	if (slot_of(addr, &n, &off)) {
		struct emu_voq_slot *s = &q->slot[n];
		if (off < LB_EMU_ASIC_VOQ_SP_COMMAND)
			s->staged[off / 4] = v;
		else if (off == LB_EMU_ASIC_VOQ_SP_COMMAND)
			s->cmd_status = sp_command(a, s, v);
		return LB_OK; /* read-only and reserved: ignored */
	}
	switch (addr) {
	case LB_EMU_ASIC_VOQ_SW_ID: q->staged_id = v; break;
	case LB_EMU_ASIC_VOQ_SW_CORES: q->staged_cores = v; break;
	case LB_EMU_ASIC_VOQ_SW_COMMAND:
		q->sw_status = v == LB_EMU_ASIC_CMD_APPLY ? sw_apply(a) : LB_EMU_ASIC_ERR_COMMAND;
		break;
	}
	return LB_OK;
}
