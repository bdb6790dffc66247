/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's buffer tables (docs/emulated-asic.md): pools, profiles and the PG and
 * queue bindings of each port, with the chip's own checks of references and directions.
 * (Sizes against the buffer are the core's to check; occupancy is not modelled yet.)
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"

static uint64_t word64(const uint32_t *w, unsigned i)
{
	return (uint64_t)w[i + 1] << 32 | w[i];
}

/* Which table entry addr falls in, and the offset in it; NULL for none. */
static struct emu_asic_table *entry(struct lb_emu_asic *a, uint32_t addr, uint32_t *off, bool *pool)
{
	if (addr >= LB_EMU_ASIC_POOL_REG(0, 0) && addr < LB_EMU_ASIC_POOL_REG(LB_EMU_ASIC_POOLS, 0)) {
		*off = (addr - LB_EMU_ASIC_POOL_REG(0, 0)) % 0x40u;
		*pool = true;
		return &a->pools[(addr - LB_EMU_ASIC_POOL_REG(0, 0)) / 0x40u];
	}
	if (addr >= LB_EMU_ASIC_PROFILE_REG(0, 0) && addr < LB_EMU_ASIC_PROFILE_REG(LB_EMU_ASIC_PROFILES, 0)) {
		*off = (addr - LB_EMU_ASIC_PROFILE_REG(0, 0)) % 0x80u;
		*pool = false;
		return &a->profiles[(addr - LB_EMU_ASIC_PROFILE_REG(0, 0)) / 0x80u];
	}
	return NULL;
}

int emu_asic_buffer_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t off;
	bool pool;
	struct emu_asic_table *t = entry(a, addr, &off, &pool);
	if (!t || (addr & 3))
		return LB_E_RANGE;
	uint32_t staged_end = pool ? 0x18u : 0x38u, command = staged_end, status = staged_end + 4;
	uint32_t live = pool ? LB_EMU_ASIC_POOL_LIVE : LB_EMU_ASIC_PROF_LIVE;
	uint32_t exists = pool ? LB_EMU_ASIC_POOL_EXISTS : LB_EMU_ASIC_PROF_EXISTS;
	if (off < staged_end)
		*v = t->staged[off / 4];
	else if (off == command)
		*v = 0;
	else if (off == status)
		*v = t->status;
	else if (off >= live && off < live + staged_end)
		*v = t->exists ? t->live[(off - live) / 4] : 0;
	else if (off == exists)
		*v = t->exists ? 1 : 0;
	else
		return LB_E_RANGE;
	return LB_OK;
}

static bool profile_in_use(const struct lb_emu_asic *a, uint32_t profile)
{
	for (uint32_t p = 0; p < a->prof->max_ports; p++) {
		const struct emu_asic_port *pp = &a->ports[p];
		for (unsigned i = 0; pp->exists && i < LB_EMU_ASIC_PORT_PGS; i++)
			if (pp->pg[i] == profile + 1 || pp->queue[i] == profile + 1)
				return true;
	}
	return false;
}

static uint32_t pool_command(struct lb_emu_asic *a, uint32_t n, uint32_t cmd)
{
	struct emu_asic_table *t = &a->pools[n];
	if (cmd == LB_EMU_ASIC_CMD_REMOVE) {
		if (!t->exists)
			return LB_EMU_ASIC_ERR_NOPOOL;
		for (unsigned i = 0; i < LB_EMU_ASIC_PROFILES; i++)
			if (a->profiles[i].exists && a->profiles[i].live[0] == n)
				return LB_EMU_ASIC_ERR_BUSY;
		t->exists = false;
		return LB_EMU_ASIC_ERR_OK;
	}
	if (cmd != LB_EMU_ASIC_CMD_CREATE && cmd != LB_EMU_ASIC_CMD_APPLY)
		return LB_EMU_ASIC_ERR_COMMAND;
	if (cmd == LB_EMU_ASIC_CMD_CREATE && t->exists)
		return LB_EMU_ASIC_ERR_TAKEN;
	if (cmd == LB_EMU_ASIC_CMD_APPLY && !t->exists)
		return LB_EMU_ASIC_ERR_NOPOOL;
	const uint32_t *w = t->staged;
	if (w[0] < 1 || w[0] > 3 || w[1] > 1 || !word64(w, 2) || word64(w, 4) > word64(w, 2) ||
	    (word64(w, 4) && w[0] == 2))
		return LB_EMU_ASIC_ERR_VALUE;
	memcpy(t->live, t->staged, sizeof(t->live));
	t->exists = true;
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t profile_command(struct lb_emu_asic *a, uint32_t n, uint32_t cmd)
{
	struct emu_asic_table *t = &a->profiles[n];
	if (cmd == LB_EMU_ASIC_CMD_REMOVE) {
		if (!t->exists)
			return LB_EMU_ASIC_ERR_NOPROFILE;
		if (profile_in_use(a, n))
			return LB_EMU_ASIC_ERR_BUSY;
		t->exists = false;
		return LB_EMU_ASIC_ERR_OK;
	}
	if (cmd != LB_EMU_ASIC_CMD_CREATE && cmd != LB_EMU_ASIC_CMD_APPLY)
		return LB_EMU_ASIC_ERR_COMMAND;
	if (cmd == LB_EMU_ASIC_CMD_CREATE && t->exists)
		return LB_EMU_ASIC_ERR_TAKEN;
	if (cmd == LB_EMU_ASIC_CMD_APPLY && !t->exists)
		return LB_EMU_ASIC_ERR_NOPROFILE;
	const uint32_t *w = t->staged;
	if (w[0] >= LB_EMU_ASIC_POOLS || !a->pools[w[0]].exists)
		return LB_EMU_ASIC_ERR_NOPOOL;
	int32_t th = (int32_t)w[2];
	if (w[1] > 1 || (w[1] == 0 && (th < -8 || th > 7)))
		return LB_EMU_ASIC_ERR_VALUE;
	bool headroom = word64(w, 8) || word64(w, 10) || word64(w, 12);
	if (headroom && a->pools[w[0]].live[0] == 2)
		return LB_EMU_ASIC_ERR_DIRECTION;
	memcpy(t->live, t->staged, sizeof(t->live));
	t->exists = true;
	return LB_EMU_ASIC_ERR_OK;
}

int emu_asic_buffer_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t off;
	bool pool;
	struct emu_asic_table *t = entry(a, addr, &off, &pool);
	if (!t || (addr & 3))
		return LB_E_RANGE;
	uint32_t staged_end = pool ? 0x18u : 0x38u;
	uint32_t n = (uint32_t)(t - (pool ? a->pools : a->profiles));
	if (off < staged_end) {
		t->staged[off / 4] = v;
		return LB_OK;
	}
	if (off == staged_end) {
		t->status = pool ? pool_command(a, n, v) : profile_command(a, n, v);
		return LB_OK;
	}
	uint32_t ignored;
	return emu_asic_buffer_read(a, addr, &ignored); /* read-only where a register is */
}

int emu_asic_binding_read(const struct emu_asic_port *p, uint32_t off, uint32_t *v)
{
	if (off >= LB_EMU_ASIC_P_PG(0) && off < LB_EMU_ASIC_P_PG(LB_EMU_ASIC_PORT_PGS))
		*v = p->pg[(off - LB_EMU_ASIC_P_PG(0)) / 4];
	else if (off >= LB_EMU_ASIC_P_QUEUE(0) && off < LB_EMU_ASIC_P_QUEUE(LB_EMU_ASIC_PORT_QUEUES))
		*v = p->queue[(off - LB_EMU_ASIC_P_QUEUE(0)) / 4];
	else
		return LB_E_RANGE;
	return LB_OK;
}

int emu_asic_binding_write(struct lb_emu_asic *a, struct emu_asic_port *p, uint32_t off, uint32_t v)
{
	bool pg = off < LB_EMU_ASIC_P_PG(LB_EMU_ASIC_PORT_PGS);
	if (!pg && off < LB_EMU_ASIC_P_QUEUE(0))
		return LB_E_RANGE;
	if (off & 3)
		return LB_E_RANGE;
	uint32_t *slot = pg ? &p->pg[(off - LB_EMU_ASIC_P_PG(0)) / 4] : &p->queue[(off - LB_EMU_ASIC_P_QUEUE(0)) / 4];
	if (!p->exists) {
		p->cmd_status = LB_EMU_ASIC_ERR_NOPORT;
		return LB_OK;
	}
	if (v) {
		uint32_t prof = v - 1;
		if (prof >= LB_EMU_ASIC_PROFILES || !a->profiles[prof].exists) {
			p->cmd_status = LB_EMU_ASIC_ERR_NOPROFILE;
			return LB_OK;
		}
		uint32_t type = a->pools[a->profiles[prof].live[0]].live[0];
		if (pg ? type == 2 : type == 1) {
			p->cmd_status = LB_EMU_ASIC_ERR_DIRECTION;
			return LB_OK;
		}
	}
	*slot = v;
	p->cmd_status = LB_EMU_ASIC_ERR_OK;
	return LB_OK;
}
