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

/* Bytes the PGs (or queues) bound to profiles of pool pl hold now, all ports; and their
 * bytes above their limits (the shared headroom in use). */
struct pool_use {
	double held[LB_EMU_ASIC_POOLS], headroom[LB_EMU_ASIC_POOLS];
};

static const struct emu_asic_table *binding(const struct lb_emu_asic *a, const struct emu_asic_port *p,
					    unsigned n, bool *pg)
{
	uint32_t b = p->pg[n];
	*pg = b != 0;
	if (!b)
		b = p->queue[n];
	if (!b || b - 1 >= LB_EMU_ASIC_PROFILES || !a->profiles[b - 1].exists)
		return NULL;
	return &a->profiles[b - 1];
}

/* Limit, headroom and resume level of priority n of port p. */
struct prio_buf {
	double limit, headroom, resume;
	bool lossless;
	int pool;
};

static struct prio_buf prio_buffer(const struct lb_emu_asic *a, const struct emu_asic_port *p, unsigned n,
				   const struct pool_use *u)
{
	struct prio_buf b = { 0, 0, 0, false, -1 };
	bool pg;
	const struct emu_asic_table *pr = binding(a, p, n, &pg);
	const struct emu_asic_table *pl = pr ? pool_of(a, pr) : NULL;
	if (!pr || !pl)
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
	b.lossless = pg && (LB_EMU_ASIC_CTRL_PFC(p->live.ctrl) >> n & 1u);
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

static void pool_usage(const struct lb_emu_asic *a, struct pool_use *u)
{
	memset(u, 0, sizeof(*u));
	for (uint32_t i = 0; i < a->prof->max_ports; i++) {
		const struct emu_asic_port *p = &a->ports[i];
		if (!p->flow)
			continue;
		for (unsigned n = 0; n < 8; n++) {
			bool pg;
			const struct emu_asic_table *pr = binding(a, p, n, &pg);
			const struct emu_asic_table *pl = pr ? pool_of(a, pr) : NULL;
			if (!pl)
				continue;
			size_t k = (size_t)(pl - a->pools);
			u->held[k] += p->flow->q[n];
			u->headroom[k] += (double)p->flow->st[n].headroom_bytes;
		}
	}
}

/* The egress of one step: cap bytes shared by strict priority, then DWRR weights. */
static void schedule(const struct emu_asic_flow *f, const double *q, uint32_t paused, double cap, double *out)
{
	for (int n = 7; n >= 0; n--) {
		out[n] = 0;
		if (f->cfg.weight[n] || (paused >> n & 1u))
			continue;
		out[n] = q[n] < cap ? q[n] : cap;
		cap -= out[n];
	}
	bool open[8];
	for (unsigned n = 0; n < 8; n++)
		open[n] = f->cfg.weight[n] && !(paused >> n & 1u) && q[n] > 0;
	for (unsigned round = 0; round < 8 && cap > 1e-9; round++) {
		double wsum = 0;
		for (unsigned n = 0; n < 8; n++)
			wsum += open[n] ? f->cfg.weight[n] : 0;
		if (wsum <= 0)
			break;
		double given = 0;
		for (unsigned n = 0; n < 8; n++) {
			if (!open[n])
				continue;
			double share = cap * f->cfg.weight[n] / wsum, want = q[n] - out[n];
			double take = want < share ? want : share;
			out[n] += take;
			given += take;
			if (take < share)
				open[n] = false; /* empty: its share goes to the others */
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

/* Now v; the peak, at least top (what was held within the step, before the egress took). */
static void peak(uint64_t *now, uint64_t *pk, double v, double top)
{
	*now = v > 0 ? (uint64_t)llround(v) : 0;
	uint64_t t = top > 0 ? (uint64_t)llround(top) : 0;
	if (t > *pk)
		*pk = t;
	if (*now > *pk)
		*pk = *now;
}

/* One step of port p's flow; *hbm_budget is what the chip may still write to HBM. */
static void step_port(struct lb_emu_asic *a, struct emu_asic_port *p, const struct pool_use *u,
		      double *hbm_budget)
{
	struct emu_asic_flow *f = p->flow;
	double now = (double)f->t_ns;
	double rate = (double)p->live.speed_mbps * 1e6 / 8 / 1e9; /* bytes per ns */
	double line = rate * (double)STEP_NS;
	double frame = f->cfg.frame_bytes;
	double refresh_ns = 65535.0 * 512.0 / (rate * 8) / 2;
	if (f->t_ns >= f->rx_pause_at_ns && f->rx_pause != f->cfg.peer_pause) {
		for (unsigned n = 0; n < 8; n++)
			if ((f->cfg.peer_pause >> n & 1u) && !(f->rx_pause >> n & 1u)) {
				f->st[n].pfc_rx_frames++;
				f->pfc_rx_next[n] = now + refresh_ns;
			}
		f->rx_pause = f->cfg.peer_pause;
	}
	/* the peer sends what our XOFF state a round trip ago lets it */
	uint32_t slot = (uint32_t)(f->step % f->hist_len);
	uint8_t seen = f->hist[(f->step + 1) % f->hist_len];
	if (f->hist_len == 1)
		seen = f->hist[0];
	double in[8], total = 0;
	struct prio_buf b[8];
	for (unsigned n = 0; n < 8; n++) {
		b[n] = prio_buffer(a, p, n, u);
		in[n] = 0;
		if (b[n].lossless && (seen >> n & 1u))
			continue;
		double want = f->cfg.load[n] * line;
		if (f->burst_left[n] > 0) {
			double bb = f->burst_left[n] < line ? f->burst_left[n] : line;
			want += bb;
		}
		in[n] = want;
		total += want;
	}
	double scale = total > line ? line / total : 1.0;
	for (unsigned n = 0; n < 8; n++) {
		in[n] *= scale;
		if (f->burst_left[n] > 0) {
			double used = in[n] - f->cfg.load[n] * line * scale;
			f->burst_left[n] -= used > 0 ? used : 0;
		}
		double cap = b[n].limit + (b[n].lossless ? b[n].headroom : 0);
		double room = cap - f->q[n];
		double ok = in[n] < room ? in[n] : (room > 0 ? room : 0);
		double drop = in[n] - ok;
		f->q[n] += ok;
		if (a->prof->switch_type == 2 && a->prof->hbm_bytes) {
			double onchip = f->cfg.onchip_bytes ? (double)f->cfg.onchip_bytes
							    : (double)a->prof->onchip_bytes / 512;
			double want_hbm = f->q[n] > onchip ? f->q[n] - onchip : 0;
			double grow = want_hbm - f->hbm[n];
			if (grow > *hbm_budget) { /* the HBM cannot take it: dropped */
				drop += grow - *hbm_budget;
				f->q[n] -= grow - *hbm_budget;
				grow = *hbm_budget;
			}
			if (grow > 0)
				*hbm_budget -= grow;
			f->hbm[n] += grow;
		}
		f->arrived[n] += in[n];
		f->dropped[n] += drop;
		uint64_t frames_in = whole(&f->acc_in[n], in[n] / frame);
		uint64_t frames_drop = whole(&f->acc_drop[n], drop / frame);
		p->cnt[LB_EMU_ASIC_C_IN_UCAST] += frames_in > frames_drop ? frames_in - frames_drop : 0;
		p->cnt[LB_EMU_ASIC_C_IN_DISCARDS] += frames_drop;
		p->cnt[LB_EMU_ASIC_C_IN_OCTETS] += frames_in * f->cfg.frame_bytes;
	}
	double egress = f->cfg.egress_rate > 0 ? f->cfg.egress_rate : 1.0;
	double out[8], top[8], top_hbm[8];
	memcpy(top, f->q, sizeof(top));
	memcpy(top_hbm, f->hbm, sizeof(top_hbm));
	schedule(f, f->q, f->rx_pause, egress * line, out);
	uint8_t xoff = 0;
	for (unsigned n = 0; n < 8; n++) {
		struct lb_emu_asic_flow_prio *s = &f->st[n];
		f->q[n] -= out[n];
		if (f->q[n] < 1e-6)
			f->q[n] = 0;
		if (f->hbm[n] > f->q[n])
			f->hbm[n] = f->q[n]; /* HBM drains first-in, with the queue */
		f->sent[n] += out[n];
		uint64_t frames_out = whole(&f->acc_out[n], out[n] / frame);
		p->cnt[LB_EMU_ASIC_C_OUT_UCAST] += frames_out;
		p->cnt[LB_EMU_ASIC_C_OUT_OCTETS] += frames_out * f->cfg.frame_bytes;
		/* PFC generation */
		bool held = s->xoff != 0;
		if (b[n].lossless && !held && f->q[n] > b[n].limit) {
			held = true;
			s->pfc_tx_frames++;
			f->pfc_tx_next[n] = now + refresh_ns;
		} else if (held && (!b[n].lossless || f->q[n] <= b[n].resume)) {
			held = false;
			s->pfc_tx_frames++; /* XON: quanta 0 */
		} else if (held && now >= f->pfc_tx_next[n]) {
			s->pfc_tx_frames++;
			f->pfc_tx_next[n] += refresh_ns;
		}
		if (held)
			s->pause_tx_ns += STEP_NS;
		if ((f->rx_pause >> n & 1u)) {
			s->pause_rx_ns += STEP_NS;
			if (now >= f->pfc_rx_next[n]) {
				s->pfc_rx_frames++;
				f->pfc_rx_next[n] += refresh_ns;
			}
		}
		s->xoff = held;
		s->lossless = b[n].lossless;
		xoff |= (uint8_t)(held ? 1u << n : 0);
		s->limit_bytes = (uint64_t)llround(b[n].limit);
		s->headroom_size_bytes = (uint64_t)llround(b[n].headroom);
		double head_top = b[n].lossless ? top[n] - b[n].limit : 0;
		peak(&s->pg_bytes, &s->pg_peak_bytes, f->q[n], top[n]);
		peak(&s->headroom_bytes, &s->headroom_peak_bytes, b[n].lossless ? f->q[n] - b[n].limit : 0,
		     head_top);
		peak(&s->hbm_bytes, &s->hbm_peak_bytes, f->hbm[n], top_hbm[n]);
		peak(&s->queue_delay_ns, &s->queue_delay_peak_ns, f->q[n] / (egress * rate), top[n] / (egress * rate));
		s->arrived_bytes = (uint64_t)llround(f->arrived[n]);
		s->sent_bytes = (uint64_t)llround(f->sent[n]);
		s->dropped_bytes = (uint64_t)llround(f->dropped[n]);
	}
	f->hist[slot] = xoff;
	f->step++;
	f->t_ns += STEP_NS;
}

void emu_asic_flow_run(struct lb_emu_asic *a, uint64_t t)
{
	bool any = false;
	for (uint32_t i = 0; i < a->prof->max_ports && !any; i++)
		any = a->ports[i].flow != NULL;
	if (!any)
		return;
	for (;;) {
		bool more = false;
		struct pool_use u;
		pool_usage(a, &u);
		double hbm_budget = (double)a->hbm_bw_mbps * 1e6 / 8 * (double)STEP_NS * 1e-9;
		for (uint32_t i = 0; i < a->prof->max_ports; i++) {
			struct emu_asic_port *p = &a->ports[i];
			struct emu_asic_flow *f = p->flow;
			if (!f || f->t_ns + STEP_NS > t)
				continue;
			if (p->exists && !emu_asic_port_down_reason(a, p)) {
				uint64_t tx[8], rx[8];
				for (unsigned n = 0; n < 8; n++) {
					tx[n] = f->st[n].pfc_tx_frames;
					rx[n] = f->st[n].pfc_rx_frames;
				}
				step_port(a, p, &u, &hbm_budget);
				for (unsigned n = 0; n < 8; n++) {
					p->cnt[LB_EMU_ASIC_C_PFC_TX(n)] += f->st[n].pfc_tx_frames - tx[n];
					p->cnt[LB_EMU_ASIC_C_PFC_RX(n)] += f->st[n].pfc_rx_frames - rx[n];
				}
			} else {
				f->t_ns += STEP_NS; /* a port down carries nothing */
				f->step++;
			}
			more = more || f->t_ns + STEP_NS <= t;
		}
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

static bool bad(double v)
{
	return !isfinite(v) || v < 0;
}

static int check(const struct lb_emu_asic_flow *c)
{
	bool b = bad(c->egress_rate) || c->egress_rate > 1 || bad(c->distance_km) || bad(c->fibre_ns_per_km) ||
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
		emu_asic_flow_free(p->flow);
		p->flow = NULL;
	} else {
		rc = apply(a, p, &c);
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
