/* SPDX-License-Identifier: MIT */
/*
 * The ASIC's traffic model: while a port is up its counters move with the traffic set for it
 * (lb_emu_asic_set_traffic), all derived from one quantity so that they agree: frames from
 * the load and the line rate (octets = frames x frame size), FEC codewords from the lanes'
 * signalling rate, the symbol-error histogram from the BER (binomial, expected values with
 * their fractions carried, no randomness), uncorrectable codewords spoiling frames.
 */
#include <math.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/asic/emu_macsec.h"

#define WIRE_OVERHEAD 20.0 /* preamble and start delimiter 8, inter-frame gap 12 */
#define NO_LOCK_BER 1e-2

/* The FEC code of a port: symbols per codeword and t; n 0 without FEC. */
static void fec_code(uint32_t fec, unsigned *n, unsigned *t, double *bits_per_cw)
{
	switch (fec) {
	case 1: *n = 528; *t = 7; break;
	case 2:
	case 3: *n = 544; *t = 15; break;
	default: *n = 0; *t = 0; break;
	}
	*bits_per_cw = *n * 10.0;
}

/* Signalling rate of the port's lanes, bit/s: the code's overhead on the data rate. */
static double line_bps(const struct emu_asic_port_cfg *c)
{
	double data = (double)c->speed_mbps * 1e6;
	switch (c->fec) {
	case 1: return data * 1.03125; /* 25.78125G per 25G lane */
	case 2:
	case 3: return data * 1.0625;                       /* 106.25G per 100G lane */
	}
	return data;
}

uint32_t emu_asic_port_down_reason(const struct lb_emu_asic *a, const struct emu_asic_port *p)
{
	if (!p->exists)
		return 2; /* no signal */
	if (!(p->live.ctrl & LB_EMU_ASIC_CTRL_ADMIN))
		return 1;
	if (LB_EMU_ASIC_CTRL_LOOPBACK(p->live.ctrl))
		return 0; /* the port hears itself */
	uint32_t first = LB_EMU_ASIC_LANES_FIRST(p->live.lanes), n = LB_EMU_ASIC_LANES_COUNT(p->live.lanes);
	bool fault = false;
	for (uint32_t l = first; l < first + n; l++) {
		if (a->signal[l] == LB_EMU_ASIC_SIGNAL_NONE)
			return 2;
		fault |= a->signal[l] == LB_EMU_ASIC_SIGNAL_REMOTE_FAULT;
	}
	if (p->live.fec && p->traffic.pre_fec_ber >= NO_LOCK_BER)
		return 3;
	if (fault)
		return 4;
	return 0;
}

/* Take the whole part of *acc + add, keeping the fraction. */
static uint64_t take(double *acc, double add)
{
	*acc += add;
	double whole = floor(*acc);
	*acc -= whole;
	return (uint64_t)whole;
}

/* P(k symbol errors in a codeword of n symbols), symbol error probability ps. */
static double binom(unsigned n, unsigned k, double ps)
{
	if (ps <= 0)
		return k == 0 ? 1.0 : 0.0;
	double lc = lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
	return exp(lc + k * log(ps) + (n - k) * log1p(-ps));
}

static void run_fec(struct emu_asic_port *p, double dt_s)
{
	unsigned n, t;
	double bits_per_cw;
	fec_code(p->live.fec, &n, &t, &bits_per_cw);
	if (!n)
		return;
	uint64_t cw = take(&p->acc_cw, line_bps(&p->live) * dt_s / bits_per_cw);
	if (!cw)
		return;
	double ber = p->traffic.pre_fec_ber;
	double ps = ber > 0 ? -expm1(10.0 * log1p(-ber)) : 0.0; /* 1 - (1 - ber)^10 */
	uint64_t bins[LB_EMU_ASIC_FEC_BINS] = { 0 }, others = 0;
	double below = 0;
	for (unsigned k = 1; k <= t; k++) {
		double pk = binom(n, k, ps);
		below += pk;
		bins[k] = take(&p->acc_bin[k], (double)cw * pk);
		others += bins[k];
	}
	double tail = 1.0 - binom(n, 0, ps) - below; /* t + 1 or more: the catch-all bin */
	if (tail < 0)
		tail = 0;
	bins[t + 1] = take(&p->acc_bin[t + 1], (double)cw * tail);
	others += bins[t + 1];
	if (others > cw) { /* fractions cannot add past the whole; guard anyway */
		bins[t + 1] -= others - cw < bins[t + 1] ? others - cw : bins[t + 1];
		others = cw;
	}
	bins[0] = cw - others;
	uint64_t corrected = 0, symbols = 0;
	for (unsigned k = 0; k <= t + 1; k++) {
		p->cnt[LB_EMU_ASIC_C_FEC_BIN(k)] += bins[k];
		if (k >= 1 && k <= t) {
			corrected += bins[k];
			symbols += k * bins[k];
		}
	}
	p->cnt[LB_EMU_ASIC_C_FEC_CW] += cw;
	p->cnt[LB_EMU_ASIC_C_FEC_CORRECTED] += corrected;
	p->cnt[LB_EMU_ASIC_C_FEC_UNCORRECTED] += bins[t + 1];
	p->cnt[LB_EMU_ASIC_C_FEC_SYMBOLS] += symbols;
}

static void run_port(struct lb_emu_asic *a, uint32_t port, double dt_s)
{
	struct emu_asic_port *p = &a->ports[port];
	const struct lb_emu_asic_traffic *tr = &p->traffic;
	uint64_t uncorrected_before = p->cnt[LB_EMU_ASIC_C_FEC_UNCORRECTED];
	run_fec(p, dt_s);
	double wire_bits = (tr->frame_bytes + WIRE_OVERHEAD) * 8.0;
	double rate = (double)p->live.speed_mbps * 1e6;
	double in_load = tr->load < 1 ? tr->load : 1;
	uint64_t in = take(&p->acc_frames, in_load * rate * dt_s / wire_bits);
	double excess = tr->load > 1 ? tr->load - 1 : 0;
	uint64_t dropped = take(&p->acc_out, excess * rate * dt_s / wire_bits);
	uint64_t bad = p->cnt[LB_EMU_ASIC_C_FEC_UNCORRECTED] - uncorrected_before;
	if (bad > in)
		bad = in;
	uint64_t good = in - bad;
	uint64_t mc = take(&p->acc_mcast, (double)good * tr->mcast_fraction);
	uint64_t bc = take(&p->acc_bcast, (double)good * tr->bcast_fraction);
	if (mc + bc > good) {
		bc = good > mc ? good - mc : 0;
		mc = good - bc;
	}
	p->cnt[LB_EMU_ASIC_C_IN_UCAST] += good - mc - bc;
	p->cnt[LB_EMU_ASIC_C_IN_MCAST] += mc;
	p->cnt[LB_EMU_ASIC_C_IN_BCAST] += bc;
	p->cnt[LB_EMU_ASIC_C_IN_FCS] += bad;
	p->cnt[LB_EMU_ASIC_C_IN_OCTETS] += in * tr->frame_bytes;
	/* what the port sends: the good frames it received, the same mix (a reflector) */
	p->cnt[LB_EMU_ASIC_C_OUT_UCAST] += good - mc - bc;
	p->cnt[LB_EMU_ASIC_C_OUT_MCAST] += mc;
	p->cnt[LB_EMU_ASIC_C_OUT_BCAST] += bc;
	p->cnt[LB_EMU_ASIC_C_OUT_OCTETS] += good * tr->frame_bytes;
	emu_macsec_frames(a, port, good, tr->frame_bytes);
	p->cnt[LB_EMU_ASIC_C_OUT_DISCARDS] += dropped;
	for (unsigned i = 0; i < 8; i++)
		p->cnt[LB_EMU_ASIC_C_PFC_RX(i)] += take(&p->acc_pfc[i], tr->pfc_rx_per_s[i] * dt_s);
}

void emu_asic_run(struct lb_emu_asic *a, uint64_t t)
{
	emu_asic_cages_sync(a); /* what the cages' modules deliver now (cage.c) */
	emu_asic_flow_run(a, t);
	if (t <= a->t_ns)
		return;
	double dt_s = (double)(t - a->t_ns) * 1e-9;
	a->t_ns = t;
	emu_asic_hp_spread(a); /* HyperPorts' traffic onto their members up */
	for (uint32_t i = 0; i < a->prof->max_ports; i++) {
		struct emu_asic_port *p = &a->ports[i];
		if (p->exists && !emu_asic_port_down_reason(a, p) && p->traffic.size)
			run_port(a, i, dt_s);
	}
}
