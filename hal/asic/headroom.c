/* SPDX-License-Identifier: MIT */
/*
 * Lossless planning (lightbridge/lossless.h): PFC headroom per lossless priority group from
 * the standard model (reference/asic-buffers.md §2.2, §3.3-3.5) and its fit in a chip's buffer.
 */
#include <math.h>
#include <stdbool.h>
#include <lightbridge/lossless.h>
#include "hal/abi/sized.h"

#define ROUND_BYTES 1024.0 /* SONiC rounds headroom to 1 KiB */

/* IEEE 802.3 31B.3.7 as SONiC tabulates it (§3.2); 1.6T reuses 800G's (unconfirmed). */
static const struct {
	uint32_t mbps;
	unsigned quanta;
} peer_table[] = {
	{ 100, 1 },       { 1000, 2 },      { 10000, 67 },   { 25000, 80 },
	{ 40000, 118 },   { 50000, 147 },   { 100000, 394 }, { 200000, 453 },
	{ 400000, 905 },  { 800000, 905 },  { 1600000, 905 },
};

LB_API unsigned lb_lossless_peer_quanta(uint32_t speed_mbps)
{
	for (size_t i = 0; i < sizeof(peer_table) / sizeof(peer_table[0]); i++)
		if (peer_table[i].mbps == speed_mbps)
			return peer_table[i].quanta;
	return 0;
}

LB_API const char *lb_lossless_fit_name(enum lb_lossless_fit fit)
{
	switch (fit) {
	case LB_LOSSLESS_FIT_UNKNOWN: return "unknown";
	case LB_LOSSLESS_FIT_ONCHIP: return "onchip";
	case LB_LOSSLESS_FIT_HBM: return "hbm";
	case LB_LOSSLESS_FIT_SHARED_POOL: return "shared-pool";
	case LB_LOSSLESS_FIT_NONE: return "none";
	}
	return "?";
}

/* Up to 1 KiB, then up to whole cells. */
static uint64_t round_up(double bytes, uint32_t cell)
{
	double b = ceil(bytes / ROUND_BYTES) * ROUND_BYTES;
	if (cell)
		b = ceil(b / cell) * cell;
	return (uint64_t)b;
}

static bool bad(double v)
{
	return !isfinite(v) || v < 0;
}

static uint64_t div_up(uint64_t a, double r)
{
	return (uint64_t)ceil((double)a / r);
}

/* The fit of p's PGs in in's buffer. */
static void fit(const struct lb_lossless_input *in, struct lb_lossless_plan *p)
{
	uint64_t ports = in->ports ? in->ports : 1, prios = in->priorities ? in->priorities : 1;
	double r = in->oversubscription > 0 ? in->oversubscription : 2;
	p->pgs = (uint32_t)(ports * prios);
	p->private_bytes = p->pgs * p->pg_bytes;
	/* one PG alone may take its whole headroom: never a pool smaller than that */
	p->shared_pool_bytes = div_up(p->pgs * p->headroom_bytes, r);
	if (in->cell_bytes) /* a pool is whole cells */
		p->shared_pool_bytes = (p->shared_pool_bytes + in->cell_bytes - 1) / in->cell_bytes * in->cell_bytes;
	if (p->shared_pool_bytes < p->headroom_bytes)
		p->shared_pool_bytes = p->headroom_bytes;
	p->shared_total_bytes = p->pgs * p->xon_bytes + p->shared_pool_bytes;
	p->buffer_bytes = in->onchip_bytes + in->hbm_bytes;
	if (!p->buffer_bytes)
		p->fit = LB_LOSSLESS_FIT_UNKNOWN;
	else if (p->private_bytes <= in->onchip_bytes)
		p->fit = LB_LOSSLESS_FIT_ONCHIP;
	else if (p->private_bytes <= p->buffer_bytes)
		p->fit = LB_LOSSLESS_FIT_HBM;
	else if (p->shared_total_bytes <= p->buffer_bytes)
		p->fit = LB_LOSSLESS_FIT_SHARED_POOL;
	else
		p->fit = LB_LOSSLESS_FIT_NONE;
	if (p->fit == LB_LOSSLESS_FIT_HBM || (p->fit == LB_LOSSLESS_FIT_SHARED_POOL &&
					      p->shared_total_bytes > in->onchip_bytes)) {
		p->hbm_bandwidth_needed_mbps = ports * in->speed_mbps;
		p->hbm_bandwidth_short = in->hbm_bandwidth_mbps &&
					 p->hbm_bandwidth_needed_mbps > in->hbm_bandwidth_mbps;
	}
}

LB_API int lb_lossless_plan(const struct lb_lossless_input *in_, struct lb_lossless_plan *out)
{
	struct lb_lossless_input in;
	if (lb_sized_check(out, LB_LOSSLESS_PLAN_SIZE_V1) || LB_SIZED_READ(in, in_, LB_LOSSLESS_INPUT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_lossless_plan p = LB_LOSSLESS_PLAN_INIT;
	uint32_t port_mtu = in.port_mtu ? in.port_mtu : 9216;
	uint32_t lossless_mtu = in.lossless_mtu ? in.lossless_mtu : port_mtu;
	double delay = in.fibre_delay_ns_per_km > 0 ? in.fibre_delay_ns_per_km : LB_LOSSLESS_SONIC_NS_PER_KM;
	double occ = in.cell_occupancy > 0 ? in.cell_occupancy : 1;
	double mac_phy = in.mac_phy_bytes < 0 ? 0 : in.mac_phy_bytes > 0 ? in.mac_phy_bytes
									  : LB_LOSSLESS_MAC_PHY_BYTES;
	unsigned quanta = lb_lossless_peer_quanta(in.speed_mbps);
	if (in.speed_mbps < 10000 || in.speed_mbps > 1600000 || bad(in.distance_km) ||
	    in.distance_km > 40000 || bad(in.fibre_delay_ns_per_km) || in.fibre_delay_ns_per_km > 1e5 ||
	    bad(in.peer_response_ns) || !isfinite(in.mac_phy_bytes) || bad(in.cell_occupancy) ||
	    occ < 1 || occ > 16 || bad(in.oversubscription) ||
	    (in.oversubscription > 0 && in.oversubscription < 1) || port_mtu < 64 || port_mtu > 65535 ||
	    lossless_mtu < 64 || lossless_mtu > 65535 || (!quanta && in.peer_response_ns <= 0) ||
	    in.cell_bytes > 65536 || (uint64_t)(in.ports ? in.ports : 1) * (in.priorities ? in.priorities : 1) > 1u << 20) {
		LB_SIZED_FILL(out, p);
		return LB_E_INVAL;
	}
	double bytes_per_ns = in.speed_mbps * 1e6 / 8 / 1e9;
	p.rtt_ns = 2 * in.distance_km * delay;
	p.cable_bytes = bytes_per_ns * p.rtt_ns;
	double peer = in.peer_response_ns > 0 ? bytes_per_ns * in.peer_response_ns : quanta * 64.0;
	p.peer_response_bytes = (uint32_t)ceil(peer);
	double prop = port_mtu + p.cable_bytes + mac_phy + peer;
	p.headroom_bytes = round_up(lossless_mtu + prop * occ, in.cell_bytes);
	p.xoff_bytes = p.headroom_bytes;
	p.xon_bytes = round_up(p.cable_bytes * occ, in.cell_bytes);
	p.pg_bytes = p.xoff_bytes + p.xon_bytes;
	fit(&in, &p);
	LB_SIZED_FILL(out, p);
	return LB_OK;
}
