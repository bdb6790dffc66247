/* SPDX-License-Identifier: MIT */
/*
 * The ASIC's queueing model (lb_emu_asic_set_flow, lightbridge/emulator.h has the rules):
 * per port and priority, the peer's offered load through the PG and queue the registers bind,
 * PFC at XOFF and XON seen by the peer a round trip later, drops when a lossy queue or a
 * lossless headroom overflows, the scheduler, the VOQ spill to HBM under a write bandwidth.
 * A fluid model in fixed steps of the virtual clock; frames are counted from bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"

#define STEP_NS ((uint64_t)LB_EMU_ASIC_FLOW_STEP_NS)
#define SONIC_NS_PER_KM (1e12 / 1.98e8)

struct emu_asic_flow {
	struct lb_emu_asic_flow cfg;
	uint64_t t_ns, start_ns;
	uint64_t rx_pause_at_ns;      /* when cfg.peer_pause reaches the port */
	uint32_t rx_pause;            /* in force at the port */
	uint8_t *hist;                /* the port's XOFF bits, one byte a step, a round trip long */
	uint32_t hist_len, delay_steps;
	uint64_t step;
	double one_way_ns;
	double q[8], hbm[8], burst_left[8];
	double acc_in[8], acc_out[8], acc_drop[8];
	double pfc_tx_next[8], pfc_rx_next[8]; /* when the held PFC is refreshed, ns */
	double arrived[8], sent[8], dropped[8];
	struct lb_emu_asic_flow_prio st[8];
};

static uint64_t w64(const uint32_t *w, unsigned i)
{
	return (uint64_t)w[i + 1] << 32 | w[i];
}

/* The pool a live profile draws on, or NULL. */
static const struct emu_asic_table *pool_of(const struct lb_emu_asic *a, const struct emu_asic_table *pr)
{
	uint32_t n = pr->live[LB_EMU_ASIC_PROF_POOL / 4];
	return n < LB_EMU_ASIC_POOLS && a->pools[n].exists ? &a->pools[n] : NULL;
}

/* Bytes held on each pool (all ports), the shared headroom in use, and the step's top. */
struct pool_use {
	double held[LB_EMU_ASIC_POOLS], headroom[LB_EMU_ASIC_POOLS], top[LB_EMU_ASIC_POOLS];
};

static const struct emu_asic_table *profile_at(const struct lb_emu_asic *a, uint32_t b)
{
	if (!b || b - 1 >= LB_EMU_ASIC_PROFILES || !a->profiles[b - 1].exists)
		return NULL;
	return &a->profiles[b - 1];
}

/*
 * Where priority n of port p is held: PG g = tc_pg[n] when it has a profile (its bytes are
 * all the priorities mapped to g), else queue n's profile (its own bytes), else nothing.
 */
struct prio_buf {
	double limit, headroom, resume;
	bool pg;       /* held against PG g's profile */
	bool lossless; /* the PG sends PFC (a PFC priority maps to it) */
	int pool;      /* -1: no buffer */
	unsigned g;
};

static struct prio_buf prio_buffer(const struct lb_emu_asic *a, const struct emu_asic_port *p, unsigned n,
				   const struct emu_asic_qos_cfg *qc, const struct pool_use *u)
{
	struct prio_buf b = { 0, 0, 0, false, false, -1, emu_asic_map(qc->tc_pg, n) };
	const struct emu_asic_table *pr = profile_at(a, p->pg[b.g]);
	b.pg = pr != NULL;
	if (!pr)
		pr = profile_at(a, p->queue[n]);
	const struct emu_asic_table *pl = pr ? pool_of(a, pr) : NULL;
	if (!pl)
		return b;
	const uint32_t *w = pr->live, *pw = pl->live;
	b.pool = (int)(pl - a->pools);
	double pool_size = (double)w64(pw, LB_EMU_ASIC_POOL_SIZE / 4);
	double pool_xoff = (double)w64(pw, LB_EMU_ASIC_POOL_XOFF / 4);
	double shared = pool_size - pool_xoff;
	double reserved = (double)w64(w, LB_EMU_ASIC_PROF_RESERVED / 4);
	if (w[LB_EMU_ASIC_PROF_MODE / 4] == 1) {
		double th = (double)w64(w, LB_EMU_ASIC_PROF_STATIC_TH / 4);
		b.limit = reserved + (th > 0 ? th : shared);
	} else {
		double free_b = shared - u->held[b.pool];
		int32_t dyn = (int32_t)w[LB_EMU_ASIC_PROF_DYN_TH / 4];
		b.limit = reserved + (free_b > 0 ? ldexp(free_b, dyn) : 0);
	}
	uint32_t pfc = emu_asic_lossless_mask(p); /* PFC, or every priority under 802.3x PAUSE */
	for (unsigned m = 0; m < 8 && b.pg; m++)
		b.lossless = b.lossless || ((pfc >> m & 1u) && emu_asic_map(qc->pfc_pg, m) == b.g);
	if (b.lossless) {
		if (pool_xoff > 0) {
			double left = pool_xoff - u->headroom[b.pool];
			b.headroom = left > 0 ? left : 0;
		} else {
			b.headroom = (double)w64(w, LB_EMU_ASIC_PROF_XOFF / 4);
		}
		double off = (double)w64(w, LB_EMU_ASIC_PROF_XON_OFFSET / 4);
		b.resume = off > 0 ? b.limit - off : (double)w64(w, LB_EMU_ASIC_PROF_XON / 4);
		if (b.resume > b.limit)
			b.resume = b.limit;
		if (b.resume < 0)
			b.resume = 0;
	}
	return b;
}

/* The ports with a flow, for one run (emu_asic_flow_run). */
struct flow_ports {
	uint32_t *port;
	uint32_t n;
};

static void pool_usage(const struct lb_emu_asic *a, const struct flow_ports *fp, struct pool_use *u)
{
	memset(u, 0, sizeof(*u));
	for (uint32_t k = 0; k < fp->n; k++) {
		const struct emu_asic_port *p = &a->ports[fp->port[k]];
		struct emu_asic_qos_cfg qc = emu_asic_qos_live(p);
		bool counted[8] = { false };
		for (unsigned n = 0; n < 8; n++) {
			struct prio_buf b = prio_buffer(a, p, n, &qc, u);
			if (b.pool < 0)
				continue;
			u->held[b.pool] += p->flow->q[n];
			if (b.pg && !counted[b.g]) { /* a PG's headroom once */
				counted[b.g] = true;
				u->headroom[b.pool] += (double)p->qos.hdrm_cur[b.g];
			}
		}
	}
}

/*
 * The egress of one step: cap bytes for the queues not paused; first each queue's guaranteed
 * rate, then strict priority (higher queue first), then DWRR by weight on what is left, no
 * queue past its shaper (most[n]).
 */
static void schedule(const struct emu_asic_qos_cfg *qc, const double *q, uint32_t paused, double cap,
		     const double *least, const double *most, double *out)
{
	double want[8];
	for (unsigned n = 0; n < 8; n++) {
		want[n] = (paused >> n & 1u) ? 0 : (q[n] < most[n] ? q[n] : most[n]);
		out[n] = want[n] < least[n] ? want[n] : least[n];
		if (out[n] > cap)
			out[n] = cap;
		cap -= out[n];
	}
	for (int n = 7; n >= 0; n--) {
		if (qc->type[n] != 0)
			continue;
		double more = want[n] - out[n];
		if (more > cap)
			more = cap;
		out[n] += more;
		cap -= more;
	}
	bool open[8];
	for (unsigned n = 0; n < 8; n++)
		open[n] = qc->type[n] == 1 && want[n] > out[n];
	for (unsigned round = 0; round < 8 && cap > 1e-9; round++) {
		double wsum = 0;
		for (unsigned n = 0; n < 8; n++)
			wsum += open[n] ? qc->weight[n] : 0;
		if (wsum <= 0)
			break;
		double given = 0;
		for (unsigned n = 0; n < 8; n++) {
			if (!open[n])
				continue;
			double share = cap * qc->weight[n] / wsum, more = want[n] - out[n];
			double take = more < share ? more : share;
			out[n] += take;
			given += take;
			if (take < share)
				open[n] = false; /* satisfied: its share goes to the others */
		}
		cap -= given;
	}
}

static uint64_t whole(double *acc, double add)
{
	*acc += add;
	double w = floor(*acc);
	*acc -= w;
	return (uint64_t)w;
}

static uint64_t bytes(double v)
{
	return v > 0 ? (uint64_t)llround(v) : 0;
}

/* Now v; the peak at least top (what was held within the step, before the egress took). */
static void peak(uint64_t *now, uint64_t *pk, double v, double top)
{
	*now = bytes(v);
	uint64_t t = bytes(top);
	if (t > *pk)
		*pk = t;
	if (*now > *pk)
		*pk = *now;
}

/* Bytes of each PG (priorities mapped to it whose PG has a profile). */
static void pg_bytes(const struct prio_buf *b, const double *q, double *occ)
{
	for (unsigned g = 0; g < 8; g++)
		occ[g] = 0;
	for (unsigned n = 0; n < 8; n++)
		if (b[n].pg)
			occ[b[n].g] += q[n];
}

/* Arrivals of one step: what the peer sends, given what it has seen of our PFC. */
static void arrivals(struct emu_asic_flow *f, const struct prio_buf *b, uint8_t seen, bool link_pause, double line,
		     double *in)
{
	double total = 0;
	for (unsigned n = 0; n < 8; n++) {
		in[n] = 0;
		if ((b[n].lossless || link_pause) && ((unsigned)seen >> n & 1u))
			continue;
		in[n] = f->cfg.load[n] * line + (f->burst_left[n] < line ? f->burst_left[n] : line);
		total += in[n];
	}
	double scale = total > line ? line / total : 1.0;
	for (unsigned n = 0; n < 8; n++) {
		in[n] *= scale;
		double burst = in[n] - f->cfg.load[n] * line * scale;
		if (burst > 0)
			f->burst_left[n] = f->burst_left[n] > burst ? f->burst_left[n] - burst : 0;
	}
}

/* PFC frames of priority n this step: XOFF at the start, refreshed while held, XON at the end. */
static void pfc_tx(struct emu_asic_flow *f, unsigned n, bool held, double now, double refresh_ns)
{
	struct lb_emu_asic_flow_prio *s = &f->st[n];
	if (held && !s->xoff) {
		s->pfc_tx_frames++;
		f->pfc_tx_next[n] = now + refresh_ns;
	} else if (!held && s->xoff) {
		s->pfc_tx_frames++; /* XON: quanta 0 */
	} else if (held && now >= f->pfc_tx_next[n]) {
		s->pfc_tx_frames++;
		f->pfc_tx_next[n] += refresh_ns;
	}
	if (held)
		s->pause_tx_ns += STEP_NS;
	s->xoff = held;
}

/* The peer's PFC, once it has crossed the link: the mapped queues it holds. */
static uint32_t pfc_rx(struct emu_asic_flow *f, const struct emu_asic_qos_cfg *qc, double now, double refresh_ns)
{
	if (f->t_ns >= f->rx_pause_at_ns && f->rx_pause != f->cfg.peer_pause) {
		for (unsigned n = 0; n < 8; n++)
			if ((f->cfg.peer_pause >> n & 1u) && !(f->rx_pause >> n & 1u)) {
				f->st[n].pfc_rx_frames++;
				f->pfc_rx_next[n] = now + refresh_ns;
			}
		f->rx_pause = f->cfg.peer_pause;
	}
	uint32_t queues = 0;
	for (unsigned n = 0; n < 8; n++) {
		if (!(f->rx_pause >> n & 1u))
			continue;
		queues |= 1u << emu_asic_map(qc->pfc_queue, n);
		f->st[n].pause_rx_ns += STEP_NS;
		if (now >= f->pfc_rx_next[n]) {
			f->st[n].pfc_rx_frames++;
			f->pfc_rx_next[n] += refresh_ns;
		}
	}
	return queues;
}

/* Admit in[n] into the buffers (PG or queue limits, headroom), the VOQ's HBM under budget. */
static void admit(struct lb_emu_asic *a, struct emu_asic_flow *f, const struct prio_buf *b, const double *in,
		  double line, double *occ, double *hbm_budget, double *drop)
{
	for (unsigned n = 0; n < 8; n++) {
		double cap = b[n].limit + (b[n].lossless ? b[n].headroom : 0);
		double held = b[n].pg ? occ[b[n].g] : f->q[n];
		if (b[n].pool < 0 || cap < line) { /* at least a step of the line in transit */
			cap = line;
			held = f->q[n];
		}
		double room = cap - held;
		double ok = in[n] < room ? in[n] : (room > 0 ? room : 0);
		drop[n] = in[n] - ok;
		f->q[n] += ok;
		if (b[n].pg)
			occ[b[n].g] += ok;
		if (a->prof->switch_type == 2 && a->prof->hbm_bytes) {
			double onchip = f->cfg.onchip_bytes ? (double)f->cfg.onchip_bytes
							    : (double)a->prof->onchip_bytes / 512;
			double want_hbm = f->q[n] > onchip ? f->q[n] - onchip : 0;
			double grow = want_hbm - f->hbm[n];
			if (grow > *hbm_budget) { /* the HBM cannot take it: dropped */
				double lost = grow - *hbm_budget;
				drop[n] += lost;
				f->q[n] -= lost;
				if (b[n].pg)
					occ[b[n].g] -= lost;
				grow = *hbm_budget;
			}
			if (grow > 0)
				*hbm_budget -= grow;
			f->hbm[n] += grow;
		}
	}
}

/* One step of port p's flow; *hbm_budget is what the chip may still write to HBM. */
static void step_port(struct lb_emu_asic *a, struct emu_asic_port *p, struct pool_use *u, double *hbm_budget)
{
	struct emu_asic_flow *f = p->flow;
	struct emu_asic_qos *wm = &p->qos;
	struct emu_asic_qos_cfg qc = emu_asic_qos_live(p);
	double now = (double)f->t_ns;
	double rate = (double)p->live.speed_mbps * 1e6 / 8 / 1e9; /* bytes per ns */
	double line = rate * (double)STEP_NS;
	double frame = f->cfg.frame_bytes;
	double refresh_ns = 65535.0 * 512.0 / (rate * 8) / 2;
	uint32_t held_queues;
	bool pause_tx = LB_EMU_ASIC_CTRL_PAUSE_TX(p->live.ctrl); /* 802.3x (pause.c) */
	if (LB_EMU_ASIC_CTRL_PAUSE_RX(p->live.ctrl)) {
		if (f->t_ns >= f->rx_pause_at_ns)
			f->rx_pause = f->cfg.peer_pause;
		held_queues = emu_asic_pause_rx(p, f->rx_pause != 0, now, refresh_ns, STEP_NS) ? 0xFFu : 0;
	} else {
		held_queues = pfc_rx(f, &qc, now, refresh_ns);
	}
	/* the peer sends what our PFC a round trip ago lets it */
	uint32_t slot = (uint32_t)(f->step % f->hist_len);
	uint8_t seen = f->hist[(f->step + 1) % f->hist_len];
	struct prio_buf b[8];
	for (unsigned n = 0; n < 8; n++)
		b[n] = prio_buffer(a, p, n, &qc, u);
	double in[8], drop[8], occ[8];
	arrivals(f, b, seen, pause_tx, line, in);
	/* ECN/WRED, the sender's reaction and the PFC watchdog (congestion.c) */
	struct emu_asic_cc_step cc = { .q = f->q, .in = in, .held = held_queues, .frame = frame,
				       .t_ns = f->t_ns, .step_ns = STEP_NS, .rtt_ns = f->delay_steps * STEP_NS };
	emu_asic_cc_step(p, &cc);
	held_queues = cc.held;
	pg_bytes(b, f->q, occ);
	admit(a, f, b, in, line, occ, hbm_budget, drop);
	for (unsigned n = 0; n < 8; n++) {
		in[n] += cc.drop[n]; /* they arrived, and were dropped */
		drop[n] += cc.drop[n] + cc.flushed[n];
	}
	double egress = f->cfg.egress_rate > 0 ? f->cfg.egress_rate : 1.0;
	double out[8], top[8], top_occ[8], top_hbm[8], least[8], most[8];
	memcpy(top, f->q, sizeof(top));
	memcpy(top_occ, occ, sizeof(top_occ));
	memcpy(top_hbm, f->hbm, sizeof(top_hbm));
	for (unsigned n = 0; n < 8; n++) {
		double per_ns = 1e6 / 8 / 1e9; /* bytes per ns of 1 Mb/s */
		least[n] = (double)qc.min_rate[n] * per_ns * (double)STEP_NS;
		most[n] = qc.max_rate[n] ? (double)qc.max_rate[n] * per_ns * (double)STEP_NS : 1e300;
		if (b[n].pool >= 0)
			u->top[b[n].pool] += f->q[n];
	}
	schedule(&qc, f->q, held_queues, egress * line, least, most, out);
	for (unsigned n = 0; n < 8; n++) {
		f->q[n] -= out[n];
		if (f->q[n] < 1e-6)
			f->q[n] = 0;
		if (f->hbm[n] > f->q[n])
			f->hbm[n] = f->q[n]; /* HBM drains with the queue */
	}
	pg_bytes(b, f->q, occ);
	/* PFC: a lossless PG above its limit holds the priorities mapped to it until it resumes */
	bool pg_xoff[8];
	for (unsigned g = 0; g < 8; g++)
		pg_xoff[g] = false;
	for (unsigned n = 0; n < 8; n++) {
		unsigned g = emu_asic_map(qc.pfc_pg, n);
		if (!(emu_asic_lossless_mask(p) >> n & 1u) || !b[n].lossless || g != b[n].g)
			continue;
		bool was = f->st[n].xoff != 0;
		pg_xoff[g] = pg_xoff[g] || (was ? occ[g] > b[n].resume : occ[g] > b[n].limit);
	}
	bool link_xoff = false; /* 802.3x: any PG at XOFF pauses the whole link */
	for (unsigned g = 0; g < 8; g++)
		link_xoff = link_xoff || pg_xoff[g];
	if (pause_tx)
		emu_asic_pause_tx(p, link_xoff, now, refresh_ns, STEP_NS);
	uint8_t xoff = 0;
	for (unsigned n = 0; n < 8; n++) {
		struct lb_emu_asic_flow_prio *s = &f->st[n];
		unsigned g = emu_asic_map(qc.pfc_pg, n);
		bool lossless = (emu_asic_lossless_mask(p) >> n & 1u) && b[n].lossless && g == b[n].g;
		if (pause_tx)
			s->xoff = link_xoff; /* the PAUSE, not a PFC frame: counted by pause.c */
		else
			pfc_tx(f, n, lossless && pg_xoff[g], now, refresh_ns);
		xoff |= (uint8_t)(s->xoff ? 1u << n : 0);
		s->lossless = lossless;
		f->arrived[n] += in[n];
		f->sent[n] += out[n];
		f->dropped[n] += drop[n];
		uint64_t frames_in = whole(&f->acc_in[n], in[n] / frame);
		uint64_t frames_drop = whole(&f->acc_drop[n], drop[n] / frame);
		if (frames_drop > frames_in)
			frames_drop = frames_in;
		uint64_t frames_out = whole(&f->acc_out[n], out[n] / frame);
		p->cnt[LB_EMU_ASIC_C_IN_UCAST] += frames_in - frames_drop;
		p->cnt[LB_EMU_ASIC_C_IN_DISCARDS] += frames_drop;
		p->cnt[LB_EMU_ASIC_C_IN_OCTETS] += (frames_in - frames_drop) * f->cfg.frame_bytes;
		p->cnt[LB_EMU_ASIC_C_OUT_UCAST] += frames_out;
		p->cnt[LB_EMU_ASIC_C_OUT_OCTETS] += frames_out * f->cfg.frame_bytes;
		double hdrm = b[n].pg && b[n].lossless ? f->q[n] - b[n].limit : 0;
		double hdrm_top = b[n].pg && b[n].lossless ? top[n] - b[n].limit : 0;
		s->limit_bytes = bytes(b[n].limit);
		s->headroom_size_bytes = bytes(b[n].lossless ? b[n].headroom : 0);
		peak(&s->pg_bytes, &s->pg_peak_bytes, f->q[n], top[n]);
		peak(&s->headroom_bytes, &s->headroom_peak_bytes, hdrm, hdrm_top);
		peak(&s->hbm_bytes, &s->hbm_peak_bytes, f->hbm[n], top_hbm[n]);
		peak(&s->queue_delay_ns, &s->queue_delay_peak_ns, f->q[n] / (egress * rate), top[n] / (egress * rate));
		s->arrived_bytes = bytes(f->arrived[n]);
		s->sent_bytes = bytes(f->sent[n]);
		s->dropped_bytes = bytes(f->dropped[n]);
		/* the chip's watermarks: queue n, and its PG */
		peak(&wm->q_cur[n], &wm->q_peak[n], f->q[n], top[n]);
		peak(&wm->delay_cur[n], &wm->delay_peak[n], f->q[n] / (egress * rate), top[n] / (egress * rate));
	}
	for (unsigned g = 0; g < 8; g++) {
		const struct prio_buf *pb = NULL;
		for (unsigned n = 0; n < 8 && !pb; n++)
			if (b[n].pg && b[n].g == g)
				pb = &b[n];
		double lim = pb && pb->lossless ? pb->limit : 1e300;
		peak(&wm->pg_cur[g], &wm->pg_peak[g], occ[g], top_occ[g]);
		peak(&wm->hdrm_cur[g], &wm->hdrm_peak[g], occ[g] - lim, top_occ[g] - lim);
	}
	f->hist[slot] = xoff;
	f->step++;
	f->t_ns += STEP_NS;
}

/* The pools' watermarks after a step of every flow. */
static void pool_marks(struct lb_emu_asic *a, const struct flow_ports *fp, const struct pool_use *before)
{
	struct pool_use after;
	pool_usage(a, fp, &after);
	for (unsigned k = 0; k < LB_EMU_ASIC_POOLS; k++) {
		a->pool_wm_cur[k] = bytes(after.held[k]);
		uint64_t top = bytes(before->top[k]);
		if (top > a->pool_wm_peak[k])
			a->pool_wm_peak[k] = top;
		if (a->pool_wm_cur[k] > a->pool_wm_peak[k])
			a->pool_wm_peak[k] = a->pool_wm_cur[k];
	}
}

void emu_asic_flow_run(struct lb_emu_asic *a, uint64_t t)
{
	if (!a->flows)
		return;
	uint32_t list[LB_EMU_ASIC_FLOW_MAX_PORTS];
	struct flow_ports fp = { list, 0 };
	for (uint32_t i = 0; i < a->prof->max_ports && fp.n < LB_EMU_ASIC_FLOW_MAX_PORTS; i++)
		if (a->ports[i].flow)
			list[fp.n++] = i;
	for (;;) {
		bool more = false;
		struct pool_use u;
		pool_usage(a, &fp, &u);
		double hbm_budget = (double)a->hbm_bw_mbps * 1e6 / 8 * (double)STEP_NS * 1e-9;
		for (uint32_t k = 0; k < fp.n; k++) {
			struct emu_asic_port *p = &a->ports[list[k]];
			struct emu_asic_flow *f = p->flow;
			if (f->t_ns + STEP_NS > t)
				continue;
			if (p->exists && !emu_asic_port_down_reason(a, p)) {
				uint64_t tx[8], rx[8];
				for (unsigned n = 0; n < 8; n++) {
					tx[n] = f->st[n].pfc_tx_frames;
					rx[n] = f->st[n].pfc_rx_frames;
				}
				uint64_t tx_ns[8], rx_ns[8];
				for (unsigned n = 0; n < 8; n++) {
					tx_ns[n] = f->st[n].pause_tx_ns;
					rx_ns[n] = f->st[n].pause_rx_ns;
				}
				step_port(a, p, &u, &hbm_budget);
				for (unsigned n = 0; n < 8; n++) {
					p->cnt[LB_EMU_ASIC_C_PFC_TX(n)] += f->st[n].pfc_tx_frames - tx[n];
					p->cnt[LB_EMU_ASIC_C_PFC_RX(n)] += f->st[n].pfc_rx_frames - rx[n];
					/* a step is a whole microsecond */
					p->cnt[LB_EMU_ASIC_C_PFC_TX_PAUSE_US(n)] += (f->st[n].pause_tx_ns - tx_ns[n]) / 1000u;
					p->cnt[LB_EMU_ASIC_C_PFC_RX_PAUSE_US(n)] += (f->st[n].pause_rx_ns - rx_ns[n]) / 1000u;
				}
			} else {
				f->t_ns += STEP_NS; /* a port down carries nothing */
				f->step++;
			}
			more = more || f->t_ns + STEP_NS <= t;
		}
		pool_marks(a, &fp, &u);
		if (!more)
			break;
	}
}

void emu_asic_flow_free(struct emu_asic_flow *f)
{
	if (f)
		free(f->hist);
	free(f);
}

void emu_asic_flow_drop(struct lb_emu_asic *a, struct emu_asic_port *p)
{
	if (!p->flow)
		return;
	emu_asic_flow_free(p->flow);
	p->flow = NULL;
	a->flows--;
}

int emu_asic_flow_peer_pause(struct emu_asic_port *p, uint32_t mask)
{
	struct emu_asic_flow *f = p->flow;
	if (!f)
		return LB_E_NOTFOUND;
	if (f->cfg.peer_pause != mask)
		f->rx_pause_at_ns = f->t_ns + (uint64_t)llround(f->one_way_ns);
	f->cfg.peer_pause = mask;
	return LB_OK;
}

static bool bad(double v)
{
	return !isfinite(v) || v < 0;
}

static int check(const struct lb_emu_asic_flow *c)
{
	bool b = c->peer_pause > 0xFFu || bad(c->egress_rate) || c->egress_rate > 1 || bad(c->distance_km) || bad(c->fibre_ns_per_km) ||
		 bad(c->cable_delay_ns) || bad(c->peer_response_ns);
	for (unsigned n = 0; n < 8; n++)
		b = b || bad(c->load[n]) || c->load[n] > 1;
	if (b)
		return LB_E_INVAL;
	double per_km = c->fibre_ns_per_km > 0 ? c->fibre_ns_per_km : SONIC_NS_PER_KM;
	double d = c->cable_delay_ns > 0 ? c->cable_delay_ns : c->distance_km * per_km;
	if (!isfinite(d) || d > 1e9 || c->peer_response_ns > 1e9)
		return LB_E_INVAL;
	return LB_OK;
}

static int apply(struct lb_emu_asic *a, struct emu_asic_port *p, const struct lb_emu_asic_flow *c)
{
	double per_km = c->fibre_ns_per_km > 0 ? c->fibre_ns_per_km : SONIC_NS_PER_KM;
	double d = c->cable_delay_ns > 0 ? c->cable_delay_ns : c->distance_km * per_km;
	uint32_t delay_steps = (uint32_t)llround((2 * d + c->peer_response_ns) / (double)STEP_NS);
	struct emu_asic_flow *f = p->flow;
	bool fresh = !f;
	if (fresh) {
		f = calloc(1, sizeof(*f));
		if (!f)
			return LB_E_NOMEM;
		uint64_t now = a->world->now_ns;
		f->t_ns = now - now % STEP_NS;
		f->start_ns = f->t_ns;
	}
	if (fresh || delay_steps != f->delay_steps) {
		uint8_t *h = calloc((size_t)delay_steps + 1, 1);
		if (!h) {
			if (fresh)
				free(f);
			return LB_E_NOMEM;
		}
		/* the peer has seen the state we hold now for the whole round trip */
		uint8_t held = 0;
		for (unsigned n = 0; n < 8; n++)
			held |= (uint8_t)(f->st[n].xoff ? 1u << n : 0);
		memset(h, held, (size_t)delay_steps + 1);
		free(f->hist);
		f->hist = h;
		f->hist_len = delay_steps + 1;
		f->delay_steps = delay_steps;
		f->step = 0;
	}
	uint32_t old_pause = fresh ? 0 : f->cfg.peer_pause;
	f->cfg = *c;
	if (!f->cfg.frame_bytes)
		f->cfg.frame_bytes = 1500;
	f->one_way_ns = d;
	for (unsigned n = 0; n < 8; n++)
		f->burst_left[n] += (double)c->burst_bytes[n];
	if (c->peer_pause != old_pause)
		f->rx_pause_at_ns = f->t_ns + (uint64_t)llround(d);
	p->flow = f;
	return LB_OK;
}

LB_API int lb_emu_asic_set_flow(struct lb_emu_asic *a, uint32_t port, const struct lb_emu_asic_flow *flow)
{
	if (!a || (flow && flow->size < LB_EMU_ASIC_FLOW_SIZE_V1))
		return LB_E_INVAL;
	struct lb_emu_asic_flow c = { 0 };
	if (flow)
		memcpy(&c, flow, flow->size < sizeof(c) ? flow->size : sizeof(c));
	c.size = sizeof(c);
	int rc = flow ? check(&c) : LB_OK;
	if (rc)
		return rc;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	struct emu_asic_port *p = &a->ports[port];
	if (!flow) {
		emu_asic_flow_drop(a, p);
	} else if (!p->flow && a->flows == LB_EMU_ASIC_FLOW_MAX_PORTS) {
		rc = LB_E_RANGE;
	} else {
		bool fresh = !p->flow;
		rc = apply(a, p, &c);
		if (!rc && fresh)
			a->flows++;
	}
	emu_unlock(a->world);
	return rc;
}

LB_API int lb_emu_asic_flow_status(struct lb_emu_asic *a, uint32_t port, struct lb_emu_asic_flow_status *st)
{
	if (!a || !st || st->size < LB_EMU_ASIC_FLOW_STATUS_SIZE_V1)
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	const struct emu_asic_flow *f = a->ports[port].flow;
	struct lb_emu_asic_flow_status s = { 0 };
	s.size = st->size < sizeof(s) ? st->size : sizeof(s);
	if (f) {
		s.elapsed_ns = f->t_ns - f->start_ns;
		s.one_way_ns = f->one_way_ns;
		memcpy(s.prio, f->st, sizeof(s.prio));
	}
	emu_unlock(a->world);
	if (!f)
		return LB_E_NOTFOUND;
	memcpy(st, &s, s.size);
	return LB_OK;
}

LB_API int lb_emu_asic_flow_clear_peaks(struct lb_emu_asic *a, uint32_t port)
{
	if (!a)
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	struct emu_asic_flow *f = a->ports[port].flow;
	if (f)
		for (unsigned n = 0; n < 8; n++) {
			struct lb_emu_asic_flow_prio *s = &f->st[n];
			s->pg_peak_bytes = s->pg_bytes;
			s->headroom_peak_bytes = s->headroom_bytes;
			s->hbm_peak_bytes = s->hbm_bytes;
			s->queue_delay_peak_ns = s->queue_delay_ns;
		}
	emu_unlock(a->world);
	return f ? LB_OK : LB_E_NOTFOUND;
}

LB_API int lb_emu_asic_set_hbm_bw(struct lb_emu_asic *a, uint64_t mbps)
{
	if (!a)
		return LB_E_INVAL;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	a->hbm_bw_mbps = mbps;
	emu_unlock(a->world);
	return LB_OK;
}
