/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's congestion control (docs/congestion.md, registers in
 * docs/emulated-asic.md): ECN/WRED per queue and the PFC watchdog per traffic class, their
 * registers with the chip's own checks, and what they do to the queueing model
 * (traffic_flow.c calls emu_asic_cc_step every step). Deterministic: hits are counted by
 * fractional accumulation of the expected packets, no random numbers.
 */
#include <math.h>
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"

#define NS_PER_MS 1000000ull
#define REACT_NS 50000ull   /* the sender reacts to marks every 50 us (DCQCN's CNP interval) */
#define RATE_MIN 0.001      /* the sender's rate factor never below */
#define RATE_RAISE 0.05     /* added to the factor after a period without marks */
#define ALPHA_G (1.0 / 16)  /* DCQCN's gain g */

/* ---- the model ---- */

/* Queue q's hit probability for colour c at depth d (0..1). */
static double hit_prob(const struct emu_cc_qcfg *c, unsigned k, double d)
{
	double lo = (double)c->min[k], hi = (double)c->max[k];
	double pmax = (double)((c->prob >> (8 * k)) & 0xFFu) / 100.0;
	if (d < lo)
		return 0;
	if (d >= hi)
		return 1;
	return pmax * (d - lo) / (hi - lo);
}

static uint64_t whole(double *acc, double add)
{
	*acc += add;
	double w = floor(*acc);
	*acc -= w;
	return (uint64_t)w;
}

/* ECN/WRED of queue n for the step's arrivals in[n]; returns the packets marked (fractional). */
static double ecn_wred(struct emu_asic_cc *cc, unsigned n, struct emu_asic_cc_step *s)
{
	struct emu_cc_queue *qu = &cc->q[n];
	const struct emu_cc_qcfg *c = &qu->live;
	uint32_t colors = c->ctrl & LB_EMU_ASIC_CC_CTRL_COLORS;
	bool wred = c->ctrl & LB_EMU_ASIC_CC_CTRL_WRED, ecn = c->ctrl & LB_EMU_ASIC_CC_CTRL_ECN;
	if (!colors || (!wred && !ecn) || s->in[n] <= 0)
		return 0;
	const struct emu_cc_traffic *tr = &cc->tr;
	double share[3] = { 1.0 - tr->yellow[n] - tr->red[n], tr->yellow[n], tr->red[n] };
	double capable = ecn ? tr->ecn_capable[n] : 0; /* marked instead of dropped */
	double frames = s->in[n] / s->frame, marked = 0, dropped_bytes = 0;
	for (unsigned k = 0; k < 3; k++) {
		if (!(colors >> k & 1u) || share[k] <= 0)
			continue;
		double p = hit_prob(c, k, s->q[n]);
		double mark = ecn ? frames * share[k] * capable * p : 0;
		double drop = wred ? frames * share[k] * (1.0 - capable) * p : 0;
		marked += mark;
		uint64_t m = whole(&qu->acc_mark, mark), d = whole(&qu->acc_drop[k], drop);
		qu->cnt[LB_EMU_ASIC_CC_C_MARKED] += m;
		qu->cnt[LB_EMU_ASIC_CC_C_MARKED_BYTES] += m * (uint64_t)s->frame;
		qu->cnt[LB_EMU_ASIC_CC_C_DROPPED(k)] += d;
		qu->cnt[LB_EMU_ASIC_CC_C_DROPPED_BYTES(k)] += d * (uint64_t)s->frame;
		dropped_bytes += drop * s->frame;
	}
	if (dropped_bytes > s->in[n])
		dropped_bytes = s->in[n];
	s->in[n] -= dropped_bytes;
	s->drop[n] += dropped_bytes;
	return marked;
}

/*
 * The senders (a simple DCQCN, lightbridge/emulator.h), at the end of every REACT_NS period:
 * a priority with marks in the period that ended one round trip ago (the congestion
 * notification's way back; at most CC_RING - 1 periods) raises alpha towards 1 and cuts its
 * rate by alpha / 2; one without lowers alpha and raises its rate by RATE_RAISE.
 */
static void react(struct emu_cc_traffic *tr, const struct emu_asic_cc_step *s)
{
	uint8_t now = 0;
	for (unsigned n = 0; n < 8; n++)
		now |= (uint8_t)(tr->period_marks[n] > 0 ? 1u << n : 0);
	uint64_t lag = (s->rtt_ns + REACT_NS / 2) / REACT_NS;
	if (lag > EMU_CC_RING - 1)
		lag = EMU_CC_RING - 1;
	tr->ring[tr->ring_pos] = now;
	uint8_t seen = tr->ring[(tr->ring_pos + EMU_CC_RING - lag) % EMU_CC_RING];
	tr->ring_pos = (tr->ring_pos + 1) % EMU_CC_RING;
	for (unsigned n = 0; n < 8; n++) {
		double r = tr->rate[n] > 0 ? tr->rate[n] : 1.0;
		if ((unsigned)seen >> n & 1u) {
			tr->alpha[n] = (1 - ALPHA_G) * tr->alpha[n] + ALPHA_G;
			r *= 1.0 - tr->alpha[n] / 2;
			if (r < RATE_MIN)
				r = RATE_MIN;
		} else {
			tr->alpha[n] *= 1 - ALPHA_G;
			r = r + RATE_RAISE > 1 ? 1 : r + RATE_RAISE;
		}
		tr->rate[n] = r;
		tr->period_marks[n] = 0;
	}
}

/* The watchdog of traffic class (queue) n. */
static void watchdog(struct emu_cc_wd *w, unsigned n, struct emu_asic_cc_step *s)
{
	bool raw = s->held >> n & 1u;
	if (!w->live_action) {
		w->pausing = false;
		return;
	}
	if (raw) {
		if (!w->pausing)
			w->paused_since_ns = s->t_ns;
		w->pausing = true;
		w->last_pfc_ns = s->t_ns + s->step_ns;
	} else {
		w->pausing = false;
	}
	if (s->t_ns % (LB_EMU_ASIC_CC_POLL_MS * NS_PER_MS) == 0) { /* a poll */
		if (!w->stormed && w->pausing && s->t_ns - w->paused_since_ns >= w->live_detect * NS_PER_MS) {
			w->stormed = true;
			w->detected++;
		} else if (w->stormed && !raw && s->t_ns - w->last_pfc_ns >= w->live_restore * NS_PER_MS) {
			w->stormed = false;
			w->restored++;
		}
	}
	if (!w->stormed)
		return;
	w->storm_ns += s->step_ns;
	if (w->live_action == LB_EMU_ASIC_CC_WD_ALARM)
		return;
	s->held &= ~(1u << n); /* PFC ignored */
	if (w->live_action != LB_EMU_ASIC_CC_WD_DROP)
		return;
	w->tx_dropped += whole(&w->acc_tx, s->q[n] / s->frame);
	w->rx_dropped += whole(&w->acc_rx, s->in[n] / s->frame);
	s->flushed[n] += s->q[n];
	s->q[n] = 0;
	s->drop[n] += s->in[n];
	s->in[n] = 0;
}

void emu_asic_cc_step(struct emu_asic_port *p, struct emu_asic_cc_step *s)
{
	struct emu_asic_cc *cc = &p->cc;
	for (unsigned n = 0; n < 8; n++) {
		s->drop[n] = s->flushed[n] = 0;
		if (cc->tr.react && cc->tr.rate[n] > 0)
			s->in[n] *= cc->tr.rate[n];
		cc->tr.period_marks[n] += ecn_wred(cc, n, s);
		watchdog(&cc->wd[n], n, s);
	}
	if (cc->tr.react && (s->t_ns + s->step_ns) % REACT_NS == 0)
		react(&cc->tr, s);
}

/* ---- registers ---- */

static uint32_t half(uint64_t v, uint32_t off)
{
	return (off & 4) ? (uint32_t)(v >> 32) : (uint32_t)v;
}

static void set_half(uint64_t *r, uint32_t off, uint32_t v)
{
	*r = (off & 4) ? (*r & 0xFFFFFFFFull) | (uint64_t)v << 32 : (*r & ~0xFFFFFFFFull) | v;
}

/* Register off (CTRL .. MAX(2)) of a queue configuration. */
static bool qcfg_reg(struct emu_cc_qcfg *c, uint32_t off, uint32_t *v, bool set)
{
	uint64_t *r;
	if (off == LB_EMU_ASIC_CC_CTRL || off == LB_EMU_ASIC_CC_PROB) {
		uint32_t *w = off == LB_EMU_ASIC_CC_CTRL ? &c->ctrl : &c->prob;
		if (set)
			*w = *v;
		else
			*v = *w;
		return true;
	}
	if (off >= LB_EMU_ASIC_CC_MIN(0) && off < LB_EMU_ASIC_CC_MAX(0))
		r = &c->min[(off - LB_EMU_ASIC_CC_MIN(0)) / 8];
	else if (off >= LB_EMU_ASIC_CC_MAX(0) && off < LB_EMU_ASIC_CC_Q_COMMAND)
		r = &c->max[(off - LB_EMU_ASIC_CC_MAX(0)) / 8];
	else
		return false;
	if (set)
		set_half(r, off, *v);
	else
		*v = half(*r, off);
	return true;
}

/* The chip's own checks of a staged queue configuration. */
static uint32_t qcfg_check(const struct emu_cc_qcfg *c)
{
	if (c->ctrl & ~(LB_EMU_ASIC_CC_CTRL_COLORS | LB_EMU_ASIC_CC_CTRL_WRED | LB_EMU_ASIC_CC_CTRL_ECN) ||
	    c->prob >> 24)
		return LB_EMU_ASIC_ERR_VALUE;
	for (unsigned k = 0; k < 3; k++)
		if ((c->ctrl >> k & 1u) && (((c->prob >> (8 * k)) & 0xFFu) > 100 || c->min[k] > c->max[k]))
			return LB_EMU_ASIC_ERR_VALUE;
	return LB_EMU_ASIC_ERR_OK;
}

static void latch(uint64_t *dst, uint64_t *src, size_t n, bool clear)
{
	memcpy(dst, src, n * sizeof(*src));
	if (clear)
		memset(src, 0, n * sizeof(*src));
}

static uint32_t q_command(struct emu_cc_queue *qu, uint32_t cmd)
{
	switch (cmd) {
	case LB_EMU_ASIC_CC_CMD_APPLY: {
		uint32_t st = qcfg_check(&qu->staged);
		if (st == LB_EMU_ASIC_ERR_OK)
			qu->live = qu->staged;
		return st;
	}
	case LB_EMU_ASIC_CC_CMD_OFF:
		memset(&qu->live, 0, sizeof(qu->live));
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_CC_CMD_LATCH:
	case LB_EMU_ASIC_CC_CMD_LATCH_CLEAR:
		latch(qu->latch, qu->cnt, LB_EMU_ASIC_CC_Q_COUNTERS, cmd == LB_EMU_ASIC_CC_CMD_LATCH_CLEAR);
		return LB_EMU_ASIC_ERR_OK;
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

static uint32_t wd_command(struct emu_cc_wd *w, uint32_t cmd)
{
	switch (cmd) {
	case LB_EMU_ASIC_CC_CMD_APPLY:
		if (w->action > 3)
			return LB_EMU_ASIC_ERR_VALUE;
		if (w->action && (w->detect < LB_EMU_ASIC_CC_DETECT_MIN_MS || w->detect > LB_EMU_ASIC_CC_DETECT_MAX_MS ||
				  w->restore < LB_EMU_ASIC_CC_RESTORE_MIN_MS || w->restore > LB_EMU_ASIC_CC_RESTORE_MAX_MS))
			return LB_EMU_ASIC_ERR_VALUE;
		w->live_action = w->action;
		w->live_detect = w->action ? w->detect : 0;
		w->live_restore = w->action ? w->restore : 0;
		if (!w->action)
			w->stormed = w->pausing = false;
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_CC_CMD_OFF:
		w->live_action = w->live_detect = w->live_restore = 0;
		w->stormed = w->pausing = false;
		return LB_EMU_ASIC_ERR_OK;
	case LB_EMU_ASIC_CC_CMD_LATCH:
	case LB_EMU_ASIC_CC_CMD_LATCH_CLEAR:
		w->l_detected = w->detected;
		w->l_restored = w->restored;
		w->l_storm_ns = w->storm_ns;
		w->l_tx = w->tx_dropped;
		w->l_rx = w->rx_dropped;
		if (cmd == LB_EMU_ASIC_CC_CMD_LATCH_CLEAR)
			w->detected = w->restored = w->storm_ns = w->tx_dropped = w->rx_dropped = 0;
		return LB_EMU_ASIC_ERR_OK;
	}
	return LB_EMU_ASIC_ERR_COMMAND;
}

/* The port's block and the offset in it, or NULL when addr is not a congestion register. */
static struct emu_asic_port *block(struct lb_emu_asic *a, uint32_t addr, uint32_t *off)
{
	if (addr < LB_EMU_ASIC_CC_BASE || addr >= LB_EMU_ASIC_CC_BASE + LB_EMU_ASIC_CC_STRIDE * a->prof->max_ports)
		return NULL;
	*off = (addr - LB_EMU_ASIC_CC_BASE) % LB_EMU_ASIC_CC_STRIDE;
	return &a->ports[(addr - LB_EMU_ASIC_CC_BASE) / LB_EMU_ASIC_CC_STRIDE];
}

/* Read (set false) or write register off of port p's block. */
static int access_reg(struct emu_asic_port *p, uint32_t off, uint32_t *v, bool set)
{
	struct emu_asic_cc *cc = &p->cc;
	if (off < LB_EMU_ASIC_CC_Q_LIVE(0, 0)) { /* staged */
		struct emu_cc_queue *qu = &cc->q[off / 0x40u];
		uint32_t r = off % 0x40u;
		if (r == LB_EMU_ASIC_CC_Q_COMMAND) {
			if (set)
				qu->status = p->exists ? q_command(qu, *v) : LB_EMU_ASIC_ERR_NOPORT;
			else
				*v = 0;
			return LB_OK;
		}
		if (r == LB_EMU_ASIC_CC_Q_STATUS) {
			if (!set)
				*v = qu->status;
			return LB_OK;
		}
		return qcfg_reg(&qu->staged, r, v, set) ? LB_OK : LB_E_RANGE;
	}
	if (off < LB_EMU_ASIC_CC_Q_CNT(0, 0)) { /* in force: read-only */
		uint32_t ignored;
		return qcfg_reg(&cc->q[(off - 0x200u) / 0x40u].live, off % 0x40u, set ? &ignored : v, false) ? LB_OK
													  : LB_E_RANGE;
	}
	if (off < LB_EMU_ASIC_CC_WD(0, 0)) { /* queue counters, latched */
		uint32_t i = (off - 0x400u) % 0x40u;
		if (!set)
			*v = half(cc->q[(off - 0x400u) / 0x40u].latch[i / 8], i);
		return LB_OK;
	}
	uint32_t tc = (off - 0x600u) % 0x100u / 0x20u, r = off % 0x20u;
	struct emu_cc_wd *w = &cc->wd[tc];
	if (off < LB_EMU_ASIC_CC_WD_CNT(0, 0)) {
		uint32_t *reg[] = { &w->detect, &w->restore, &w->action, NULL, &w->status, &w->live_detect,
				    &w->live_restore, &w->live_action };
		if (r == LB_EMU_ASIC_CC_WD_COMMAND) {
			if (set)
				w->status = p->exists ? wd_command(w, *v) : LB_EMU_ASIC_ERR_NOPORT;
			else
				*v = 0;
		} else if (!set) {
			*v = *reg[r / 4];
		} else if (r < LB_EMU_ASIC_CC_WD_COMMAND) {
			*reg[r / 4] = *v;
		}
		return LB_OK;
	}
	if (set)
		return LB_OK; /* read-only */
	switch (r) {
	case LB_EMU_ASIC_CC_WD_STATE: *v = w->stormed; break;
	case LB_EMU_ASIC_CC_WD_DETECTED: *v = (uint32_t)w->l_detected; break;
	case LB_EMU_ASIC_CC_WD_RESTORED: *v = (uint32_t)w->l_restored; break;
	case LB_EMU_ASIC_CC_WD_STORM_MS: *v = (uint32_t)(w->l_storm_ns / NS_PER_MS); break;
	default:
		*v = half(r < LB_EMU_ASIC_CC_WD_RX_DROPPED ? w->l_tx : w->l_rx, r);
	}
	return LB_OK;
}

int emu_asic_cc_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v)
{
	uint32_t off;
	struct emu_asic_port *p = block(a, addr, &off);
	return p ? access_reg(p, off, v, false) : LB_E_RANGE;
}

int emu_asic_cc_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v)
{
	uint32_t off;
	struct emu_asic_port *p = block(a, addr, &off);
	return p ? access_reg(p, off, &v, true) : LB_E_RANGE;
}

/* ---- the test bench's calls (lightbridge/emulator.h) ---- */

static bool bad_share(double v)
{
	return !isfinite(v) || v < 0 || v > 1;
}

LB_API int lb_emu_asic_set_ecn_traffic(struct lb_emu_asic *a, uint32_t port, const struct lb_emu_asic_ecn_traffic *t)
{
	if (!a || !t || t->size < LB_EMU_ASIC_ECN_TRAFFIC_SIZE_V1)
		return LB_E_INVAL;
	struct lb_emu_asic_ecn_traffic c = { 0 };
	memcpy(&c, t, t->size < sizeof(c) ? t->size : sizeof(c));
	for (unsigned n = 0; n < 8; n++)
		if (bad_share(c.ecn_capable[n]) || bad_share(c.yellow[n]) || bad_share(c.red[n]) ||
		    c.yellow[n] + c.red[n] > 1)
			return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	struct emu_cc_traffic *tr = &a->ports[port].cc.tr;
	for (unsigned n = 0; n < 8; n++) {
		tr->ecn_capable[n] = c.ecn_capable[n];
		tr->yellow[n] = c.yellow[n];
		tr->red[n] = c.red[n];
	}
	if (!c.react || !tr->react)
		for (unsigned n = 0; n < 8; n++)
			tr->rate[n] = tr->alpha[n] = 1.0, tr->period_marks[n] = 0;
	if (!c.react || !tr->react)
		memset(tr->ring, 0, sizeof(tr->ring));
	tr->react = c.react != 0;
	emu_unlock(a->world);
	return LB_OK;
}

LB_API int lb_emu_asic_sender_rate(struct lb_emu_asic *a, uint32_t port, uint32_t prio, double *rate)
{
	if (!a || !rate || prio >= 8)
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	const struct emu_cc_traffic *tr = &a->ports[port].cc.tr;
	*rate = tr->react && tr->rate[prio] > 0 ? tr->rate[prio] : 1.0;
	emu_unlock(a->world);
	return LB_OK;
}

LB_API int lb_emu_asic_pfc_storm(struct lb_emu_asic *a, uint32_t port, uint32_t prio_mask)
{
	if (!a || prio_mask > 0xFFu)
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	int rc = emu_asic_flow_peer_pause(&a->ports[port], prio_mask);
	emu_unlock(a->world);
	return rc;
}
