/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's HyperPorts (docs/emulated-asic.md, registers 0x8000-0x9FFF): four 800G
 * member ports bonded into one. A member is up when its ASIC port is (the signal on its
 * lanes, its admin state, its FEC lock: emu_asic_port_down_reason); the HyperPort is up while
 * one member is. The HyperPort's traffic (lb_emu_asic_set_hyperport_traffic, its load relative
 * to 3.2T) is spread over the members up and set as their traffic before every run of the
 * model, so the members' counters count it: the "flow" hash puts each of the flows on the
 * member a 5-tuple hash picks among the members up (an integer mix of the flow number), the
 * "spray" hash spreads evenly. A member's load above its line rate is dropped by the port
 * model (out_discards), as a full link drops.
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"

static bool holds_in(const struct emu_asic_hp *h, uint32_t port)
{
	if (!h->exists)
		return false;
	for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++)
		if (h->member[i] == port)
			return true;
	return false;
}

bool emu_asic_hp_holds(const struct lb_emu_asic *a, uint32_t port)
{
	for (uint32_t h = 0; h < LB_EMU_ASIC_HPS; h++)
		if (holds_in(&a->hps[h], port))
			return true;
	return false;
}

/* The staged members, checked: four ports that exist, all different, at 800G, free. */
static uint32_t check(const struct lb_emu_asic *a, const struct emu_asic_hp *h)
{
	if (h->staged_hash > 1)
		return LB_EMU_ASIC_ERR_VALUE;
	for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++) {
		uint32_t m = h->staged[i];
		if (!m || m > a->prof->max_ports || !a->ports[m - 1].exists)
			return LB_EMU_ASIC_ERR_HP_MEMBERS;
		for (uint32_t j = 0; j < i; j++)
			if (h->staged[j] == m)
				return LB_EMU_ASIC_ERR_HP_MEMBERS;
		if (a->ports[m - 1].live.speed_mbps != LB_EMU_ASIC_HP_MEMBER_MBPS)
			return LB_EMU_ASIC_ERR_HP_SPEED;
		if (emu_asic_hp_holds(a, m - 1))
			return LB_EMU_ASIC_ERR_HP_IN_USE;
	}
	return LB_EMU_ASIC_ERR_OK;
}

static uint32_t command(struct lb_emu_asic *a, struct emu_asic_hp *h, uint32_t cmd)
{
	switch (cmd) {
	case LB_EMU_ASIC_CMD_CREATE: {
		if (h->exists)
			return LB_EMU_ASIC_ERR_TAKEN;
		uint32_t err = check(a, h);
		if (err)
			return err;
		for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++)
			h->member[i] = h->staged[i] - 1;
		h->hash = h->staged_hash;
		h->spread_up = 0;
		h->exists = true;
		return LB_EMU_ASIC_ERR_OK;
	}
	case LB_EMU_ASIC_CMD_REMOVE: {
		if (!h->exists)
			return LB_EMU_ASIC_ERR_NOPORT;
		for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++) { /* its traffic goes with it */
			struct emu_asic_port *p = &a->ports[h->member[i]];
			if (h->traffic.size)
				memset(&p->traffic, 0, sizeof(p->traffic));
		}
		memset(h, 0, sizeof(*h));
		return LB_EMU_ASIC_ERR_OK;
	}
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

/* A flow's member among n up: a 32-bit integer mix (the 5-tuple hash's stand-in). */
static uint32_t flow_pick(uint32_t flow, uint32_t n)
{
	uint32_t x = flow * 0x9E3779B1u + 0x7F4A7C15u;
	x ^= x >> 16;
	x *= 0x85EBCA6Bu;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return x % n;
}

/* Each member's share now, per million: 0 for members down. */
static void spread(const struct lb_emu_asic *a, struct emu_asic_hp *h)
{
	uint32_t up[LB_EMU_ASIC_HP_MEMBERS], n = 0, mask = 0x100;
	for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++)
		if (!emu_asic_port_down_reason(a, &a->ports[h->member[i]])) {
			up[n++] = i;
			mask |= 1u << i;
		}
	if (mask == h->spread_up)
		return; /* the same members up, the same flows: the same spread */
	h->spread_up = mask;
	memset(h->share_ppm, 0, sizeof(h->share_ppm));
	if (!n)
		return;
	if (h->hash == 1 || !h->flows) { /* spray, or flows too many to count: even */
		for (uint32_t k = 0; k < n; k++)
			h->share_ppm[up[k]] = 1000000u / n + (k < 1000000u % n ? 1u : 0u);
		return;
	}
	uint32_t count[LB_EMU_ASIC_HP_MEMBERS] = { 0 };
	for (uint32_t f = 0; f < h->flows; f++)
		count[flow_pick(f, n)]++;
	uint32_t given = 0;
	for (uint32_t k = 0; k < n; k++) {
		h->share_ppm[up[k]] = (uint32_t)((uint64_t)count[k] * 1000000u / h->flows);
		given += h->share_ppm[up[k]];
	}
	for (uint32_t k = 0; k < n && given < 1000000u; k++) /* rounding: to the first with flows */
		if (count[k]) {
			h->share_ppm[up[k]] += 1000000u - given;
			given = 1000000u;
		}
}

void emu_asic_hp_spread(struct lb_emu_asic *a)
{
	for (uint32_t n = 0; n < LB_EMU_ASIC_HPS; n++) {
		struct emu_asic_hp *h = &a->hps[n];
		if (!h->exists)
			continue;
		spread(a, h);
		if (!h->traffic.size)
			continue;
		for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++) {
			struct lb_emu_asic_traffic t = h->traffic;
			/* the HyperPort's load is relative to 3.2T: a member's to its 800G */
			t.load = h->traffic.load * LB_EMU_ASIC_HP_MEMBERS * h->share_ppm[i] / 1e6;
			a->ports[h->member[i]].traffic = t;
		}
	}
}

static uint32_t state(const struct lb_emu_asic *a, const struct emu_asic_hp *h, uint32_t *up_count)
{
	uint32_t up = 0, n = 0;
	for (uint32_t i = 0; h->exists && i < LB_EMU_ASIC_HP_MEMBERS; i++)
		if (!emu_asic_port_down_reason(a, &a->ports[h->member[i]])) {
			up |= 1u << i;
			n++;
		}
	*up_count = n;
	return (h->exists ? 1u : 0u) | (n ? 2u : 0u) | up << 8;
}

/* CAPACITY, SHARE and REASONS as they are now (up: members up), for the reads after STATE. */
static void latch(const struct lb_emu_asic *a, struct emu_asic_hp *h, uint32_t up)
{
	h->latch_cap_gbps = up * (LB_EMU_ASIC_HP_MEMBER_MBPS / 1000);
	h->latch_reasons = 0;
	memset(h->latch_share, 0, sizeof(h->latch_share));
	if (!h->exists)
		return;
	spread(a, h);
	memcpy(h->latch_share, h->share_ppm, sizeof(h->latch_share));
	for (uint32_t i = 0; i < LB_EMU_ASIC_HP_MEMBERS; i++)
		h->latch_reasons |= (emu_asic_port_down_reason(a, &a->ports[h->member[i]]) & 0xFFu) << (8 * i);
}

/* The block and offset of addr; false when addr is not a HyperPort register. */
static bool block_of(uint32_t addr, uint32_t *n, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_HP_REG(0, 0) || addr >= LB_EMU_ASIC_HP_REG(LB_EMU_ASIC_HPS, 0))
		return false;
	*n = (addr - LB_EMU_ASIC_HP_REG(0, 0)) / 0x80u;
	*off = (addr - LB_EMU_ASIC_HP_REG(0, 0)) % 0x80u;
	return true;
}

int emu_asic_hp_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t n, off, up;
	if (!block_of(addr, &n, &off))
		return LB_E_RANGE;
	struct emu_asic_hp *h = &a->hps[n];
	if (off < LB_EMU_ASIC_HP_MEMBER(LB_EMU_ASIC_HP_MEMBERS)) {
		*v = h->staged[off / 4];
		return LB_OK;
	}
	if (off >= LB_EMU_ASIC_HP_SHARE(0) && off < LB_EMU_ASIC_HP_SHARE(LB_EMU_ASIC_HP_MEMBERS)) {
		*v = h->latch_share[(off - LB_EMU_ASIC_HP_SHARE(0)) / 4];
		return LB_OK;
	}
	if (off >= LB_EMU_ASIC_HP_LIVE_MEMBER(0) && off < LB_EMU_ASIC_HP_LIVE_MEMBER(LB_EMU_ASIC_HP_MEMBERS)) {
		*v = h->exists ? h->member[(off - LB_EMU_ASIC_HP_LIVE_MEMBER(0)) / 4] + 1 : 0;
		return LB_OK;
	}
	switch (off) {
	case LB_EMU_ASIC_HP_HASH: *v = h->staged_hash; break;
	case LB_EMU_ASIC_HP_COMMAND: *v = 0; break;
	case LB_EMU_ASIC_HP_CMD_STATUS: *v = h->cmd_status; break;
	case LB_EMU_ASIC_HP_STATE: /* and the latch of one instant */
		*v = state(a, h, &up);
		latch(a, h, up);
		break;
	case LB_EMU_ASIC_HP_CAPACITY_GBPS: *v = h->latch_cap_gbps; break;
	case LB_EMU_ASIC_HP_REASONS: *v = h->latch_reasons; break;
	case LB_EMU_ASIC_HP_LIVE_HASH: *v = h->exists ? h->hash : 0; break;
	default: *v = 0; break; /* reserved: reads 0 */
	}
	return LB_OK;
}

int emu_asic_hp_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t n, off;
	if (!block_of(addr, &n, &off))
		return LB_E_RANGE;
	struct emu_asic_hp *h = &a->hps[n];
	if (off < LB_EMU_ASIC_HP_MEMBER(LB_EMU_ASIC_HP_MEMBERS))
		h->staged[off / 4] = v;
	else if (off == LB_EMU_ASIC_HP_HASH)
		h->staged_hash = v;
	else if (off == LB_EMU_ASIC_HP_COMMAND)
		h->cmd_status = command(a, h, v);
	return LB_OK; /* read-only and reserved registers ignore writes */
}

LB_API int lb_emu_asic_set_hyperport_traffic(struct lb_emu_asic *a, uint32_t hp,
					     const struct lb_emu_asic_traffic *traffic, uint32_t flows)
{
	if (!a || !traffic || traffic->size < LB_EMU_ASIC_TRAFFIC_SIZE_V1)
		return LB_E_INVAL;
	if (hp >= LB_EMU_ASIC_HPS || flows > LB_EMU_ASIC_HP_MAX_FLOWS)
		return LB_E_RANGE;
	/* the port's own validation, on a port the HyperPort does not touch */
	struct lb_emu_asic_traffic t = { 0 };
	memcpy(&t, traffic, traffic->size < sizeof(t) ? traffic->size : sizeof(t));
	t.size = sizeof(t);
	int rc = emu_asic_traffic_check(&t);
	if (rc)
		return rc;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	if (!a->hps[hp].exists)
		rc = LB_E_NOTFOUND;
	else {
		a->hps[hp].traffic = t;
		a->hps[hp].flows = flows;
		a->hps[hp].spread_up = 0; /* work the spread out again */
		emu_asic_hp_spread(a);
	}
	emu_unlock(a->world);
	return rc;
}
