/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's QoS registers (docs/emulated-asic.md): each port's queue schedulers and
 * QoS maps, staged and applied whole with the chip's own checks, and the PG, queue and pool
 * watermarks the traffic model (traffic_flow.c) moves.
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"

static const struct emu_asic_qos_cfg defaults = {
	.type = { 1, 1, 1, 1, 1, 1, 1, 1 },
	.weight = { 1, 1, 1, 1, 1, 1, 1, 1 },
	.tc_pg = LB_EMU_ASIC_QOS_IDENTITY_MAP,
	.pfc_pg = LB_EMU_ASIC_QOS_IDENTITY_MAP,
	.pfc_queue = LB_EMU_ASIC_QOS_IDENTITY_MAP,
};

struct emu_asic_qos_cfg emu_asic_qos_live(const struct emu_asic_port *p)
{
	return p->qos.set ? p->qos.live : defaults;
}

/* A 64-bit register's half: the low word at off & 4 == 0. */
static uint32_t half(uint64_t v, uint32_t off)
{
	return (off & 4) ? (uint32_t)(v >> 32) : (uint32_t)v;
}

static void set_half(uint64_t *r, uint32_t off, uint32_t v)
{
	*r = (off & 4) ? (*r & 0xFFFFFFFFull) | (uint64_t)v << 32 : (*r & ~0xFFFFFFFFull) | v;
}

/* Read (set false) or write (set true) register off of a configuration (staged layout). */
static bool cfg_reg(struct emu_asic_qos_cfg *c, uint32_t off, uint32_t *v, bool set)
{
	uint32_t *w = NULL;
	if (off < LB_EMU_ASIC_Q_WEIGHT(0))
		w = &c->type[off / 4];
	else if (off < LB_EMU_ASIC_Q_MIN_RATE(0))
		w = &c->weight[(off - LB_EMU_ASIC_Q_WEIGHT(0)) / 4];
	else if (off < LB_EMU_ASIC_QOS_TC_PG) {
		bool max = off >= LB_EMU_ASIC_Q_MAX_RATE(0);
		uint32_t rel = off - (max ? LB_EMU_ASIC_Q_MAX_RATE(0) : LB_EMU_ASIC_Q_MIN_RATE(0));
		uint64_t *r = max ? &c->max_rate[rel / 8] : &c->min_rate[rel / 8];
		if (set)
			set_half(r, rel, *v);
		else
			*v = half(*r, rel);
		return true;
	} else if (off == LB_EMU_ASIC_QOS_TC_PG)
		w = &c->tc_pg;
	else if (off == LB_EMU_ASIC_QOS_PFC_PG)
		w = &c->pfc_pg;
	else if (off == LB_EMU_ASIC_QOS_PFC_QUEUE)
		w = &c->pfc_queue;
	else
		return false;
	if (set)
		*w = *v;
	else
		*v = *w;
	return true;
}

/* The chip's own checks (the core checks the same first). */
static uint32_t check(const struct lb_emu_asic *a, const struct emu_asic_port *p, const struct emu_asic_qos_cfg *c)
{
	if (!p->exists)
		return LB_EMU_ASIC_ERR_NOPORT;
	for (unsigned n = 0; n < 8; n++) {
		if (c->type[n] > 1 || (c->type[n] == 1 && (c->weight[n] < 1 || c->weight[n] > 255)))
			return LB_EMU_ASIC_ERR_VALUE;
		if (c->min_rate[n] > p->live.speed_mbps || c->max_rate[n] > p->live.speed_mbps ||
		    (c->max_rate[n] && c->min_rate[n] > c->max_rate[n]))
			return LB_EMU_ASIC_ERR_VALUE;
		if (emu_asic_map(c->tc_pg, n) >= a->prof->pgs || emu_asic_map(c->pfc_pg, n) >= a->prof->pgs ||
		    emu_asic_map(c->pfc_queue, n) >= a->prof->queues)
			return LB_EMU_ASIC_ERR_VALUE;
	}
	uint64_t sum = 0;
	for (unsigned n = 0; n < 8; n++)
		sum += c->min_rate[n];
	if (sum > p->live.speed_mbps)
		return LB_EMU_ASIC_ERR_VALUE;
	return LB_EMU_ASIC_ERR_OK;
}

static bool port_block(const struct lb_emu_asic *a, uint32_t addr, uint32_t *port, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_QOS_BASE)
		return false;
	uint32_t rel = addr - LB_EMU_ASIC_QOS_BASE;
	if (rel / LB_EMU_ASIC_QOS_STRIDE >= a->prof->max_ports)
		return false;
	*port = rel / LB_EMU_ASIC_QOS_STRIDE;
	*off = rel % LB_EMU_ASIC_QOS_STRIDE;
	return true;
}

static bool read_wm(const struct emu_asic_qos *q, uint32_t off, uint32_t *v)
{
	if (off >= LB_EMU_ASIC_WM_PG(0, 0) && off < LB_EMU_ASIC_WM_QUEUE(0, 0)) {
		uint32_t g = (off - LB_EMU_ASIC_WM_PG(0, 0)) / 0x20u, f = (off - LB_EMU_ASIC_WM_PG(0, 0)) % 0x20u;
		const uint64_t *src[] = { q->pg_cur, q->pg_peak, q->hdrm_cur, q->hdrm_peak };
		*v = half(src[f / 8][g], f);
		return true;
	}
	if (off >= LB_EMU_ASIC_WM_QUEUE(0, 0) && off < LB_EMU_ASIC_WM_QUEUE(8, 0)) {
		uint32_t n = (off - LB_EMU_ASIC_WM_QUEUE(0, 0)) / 0x20u, f = (off - LB_EMU_ASIC_WM_QUEUE(0, 0)) % 0x20u;
		const uint64_t *src[] = { q->q_cur, q->q_peak, q->delay_cur, q->delay_peak };
		*v = half(src[f / 8][n], f);
		return true;
	}
	return false;
}

int emu_asic_qos_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t port, off;
	if (addr >= LB_EMU_ASIC_POOL_WM(0, 0) && addr < LB_EMU_ASIC_POOL_WM(LB_EMU_ASIC_POOLS, 0)) {
		uint32_t n = (addr - LB_EMU_ASIC_POOL_WM(0, 0)) / 0x10u, f = (addr - LB_EMU_ASIC_POOL_WM(0, 0)) % 0x10u;
		*v = half(f < 8 ? a->pool_wm_cur[n] : a->pool_wm_peak[n], f);
		return LB_OK;
	}
	if (addr == LB_EMU_ASIC_POOL_WM_CTRL) {
		*v = 0;
		return LB_OK;
	}
	if (!port_block(a, addr, &port, &off))
		return LB_E_RANGE;
	struct emu_asic_port *p = &a->ports[port];
	struct emu_asic_qos_cfg live = emu_asic_qos_live(p);
	struct emu_asic_qos_cfg staged = p->qos.staged_set ? p->qos.staged : defaults;
	if (off < LB_EMU_ASIC_QOS_COMMAND && cfg_reg(&staged, off, v, false))
		;
	else if (off == LB_EMU_ASIC_QOS_COMMAND || off == LB_EMU_ASIC_WM_CTRL)
		*v = 0;
	else if (off == LB_EMU_ASIC_QOS_STATUS)
		*v = p->qos.status;
	else if (off >= LB_EMU_ASIC_QOS_LIVE && off < LB_EMU_ASIC_QOS_LIVE + LB_EMU_ASIC_QOS_COMMAND &&
		 cfg_reg(&live, off - LB_EMU_ASIC_QOS_LIVE, v, false))
		;
	else if (!read_wm(&p->qos, off, v))
		return LB_E_RANGE;
	return LB_OK;
}

static void clear_peaks(struct emu_asic_qos *q)
{
	memcpy(q->pg_peak, q->pg_cur, sizeof(q->pg_peak));
	memcpy(q->hdrm_peak, q->hdrm_cur, sizeof(q->hdrm_peak));
	memcpy(q->q_peak, q->q_cur, sizeof(q->q_peak));
	memcpy(q->delay_peak, q->delay_cur, sizeof(q->delay_peak));
}

int emu_asic_qos_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t port, off, ignored;
	if (addr == LB_EMU_ASIC_POOL_WM_CTRL) {
		if (v & 1)
			memcpy(a->pool_wm_peak, a->pool_wm_cur, sizeof(a->pool_wm_peak));
		return LB_OK;
	}
	if (!port_block(a, addr, &port, &off))
		return emu_asic_qos_read(a, addr, &ignored); /* read-only where a register is */
	struct emu_asic_port *p = &a->ports[port];
	struct emu_asic_qos *q = &p->qos;
	if (off < LB_EMU_ASIC_QOS_COMMAND) {
		struct emu_asic_qos_cfg staged = q->staged_set ? q->staged : defaults;
		if (cfg_reg(&staged, off, &v, true)) {
			q->staged = staged; /* the first write starts from the defaults */
			q->staged_set = true;
			return LB_OK;
		}
	}
	if (off == LB_EMU_ASIC_QOS_COMMAND) {
		if (v == LB_EMU_ASIC_QOS_CMD_APPLY) {
			struct emu_asic_qos_cfg c = q->staged_set ? q->staged : defaults;
			q->status = check(a, p, &c);
			if (!q->status) {
				q->live = c;
				q->set = true;
			}
		} else if (v == LB_EMU_ASIC_QOS_CMD_DEFAULTS) {
			q->status = p->exists ? LB_EMU_ASIC_ERR_OK : LB_EMU_ASIC_ERR_NOPORT;
			if (p->exists) {
				q->live = q->staged = defaults;
				q->set = q->staged_set = true;
			}
		} else {
			q->status = LB_EMU_ASIC_ERR_COMMAND;
		}
		return LB_OK;
	}
	if (off == LB_EMU_ASIC_WM_CTRL) {
		if (v & 1)
			clear_peaks(q);
		return LB_OK;
	}
	return emu_asic_qos_read(a, addr, &ignored);
}
