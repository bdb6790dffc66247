/* SPDX-License-Identifier: MIT */
/*
 * An emulated ASIC's statistics (counters and watermarks) read and set as a whole
 * (lightbridge/emulator.h, lb_emu_asic_port_stats_*): what the emulated driver's state file
 * keeps between processes. Under the world's lock, the model run to now first.
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"

_Static_assert(LB_EMU_ASIC_N_COUNTERS <= LB_EMU_ASIC_STATS_MAX_COUNTERS, "the stats hold every counter");
_Static_assert(LB_EMU_ASIC_CC_Q_COUNTERS == 8, "a queue's ECN/WRED counters in the stats");

LB_API int lb_emu_asic_port_stats_get(struct lb_emu_asic *a, uint32_t port, struct lb_emu_asic_port_stats *st)
{
	if (!a || !st || st->size < LB_EMU_ASIC_PORT_STATS_SIZE_V1)
		return LB_E_INVAL;
	if (port >= a->prof->max_ports)
		return LB_E_NOTFOUND;
	struct lb_emu_asic_port_stats s = { .size = sizeof(s), .n_counters = LB_EMU_ASIC_N_COUNTERS };
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	const struct emu_asic_port *p = &a->ports[port];
	bool exists = p->exists;
	const struct emu_asic_qos *q = &p->qos;
	memcpy(s.counters, p->cnt, sizeof(p->cnt));
	memcpy(s.pg_cur, q->pg_cur, sizeof(s.pg_cur));
	memcpy(s.pg_peak, q->pg_peak, sizeof(s.pg_peak));
	memcpy(s.hdrm_cur, q->hdrm_cur, sizeof(s.hdrm_cur));
	memcpy(s.hdrm_peak, q->hdrm_peak, sizeof(s.hdrm_peak));
	memcpy(s.q_cur, q->q_cur, sizeof(s.q_cur));
	memcpy(s.q_peak, q->q_peak, sizeof(s.q_peak));
	memcpy(s.delay_cur, q->delay_cur, sizeof(s.delay_cur));
	memcpy(s.delay_peak, q->delay_peak, sizeof(s.delay_peak));
	for (unsigned n = 0; n < 8; n++) {
		memcpy(s.ecn[n], p->cc.q[n].cnt, sizeof(s.ecn[n]));
		const struct emu_cc_wd *w = &p->cc.wd[n];
		const uint64_t wd[5] = { w->detected, w->restored, w->storm_ns, w->tx_dropped,
					 w->rx_dropped };
		memcpy(s.pfcwd[n], wd, sizeof(wd));
	}
	emu_unlock(a->world);
	if (!exists)
		return LB_E_NOTFOUND;
	size_t n = st->size < sizeof(s) ? st->size : sizeof(s);
	memcpy(st, &s, n);
	st->size = n;
	return LB_OK;
}

LB_API int lb_emu_asic_port_stats_set(struct lb_emu_asic *a, uint32_t port,
				      const struct lb_emu_asic_port_stats *st)
{
	if (!a || !st || st->size < LB_EMU_ASIC_PORT_STATS_SIZE_V1)
		return LB_E_INVAL;
	if (st->n_counters > LB_EMU_ASIC_N_COUNTERS)
		return LB_E_RANGE;
	if (port >= a->prof->max_ports)
		return LB_E_NOTFOUND;
	struct lb_emu_asic_port_stats s = { 0 };
	memcpy(&s, st, st->size < sizeof(s) ? st->size : sizeof(s));
	int rc = LB_OK;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	struct emu_asic_port *p = &a->ports[port];
	if (!p->exists)
		rc = LB_E_NOTFOUND;
	else {
		struct emu_asic_qos *q = &p->qos;
		memset(p->cnt, 0, sizeof(p->cnt));
		memcpy(p->cnt, s.counters, s.n_counters * sizeof(p->cnt[0]));
		memcpy(p->latch, p->cnt, sizeof(p->latch));
		memcpy(q->pg_cur, s.pg_cur, sizeof(q->pg_cur));
		memcpy(q->pg_peak, s.pg_peak, sizeof(q->pg_peak));
		memcpy(q->hdrm_cur, s.hdrm_cur, sizeof(q->hdrm_cur));
		memcpy(q->hdrm_peak, s.hdrm_peak, sizeof(q->hdrm_peak));
		memcpy(q->q_cur, s.q_cur, sizeof(q->q_cur));
		memcpy(q->q_peak, s.q_peak, sizeof(q->q_peak));
		memcpy(q->delay_cur, s.delay_cur, sizeof(q->delay_cur));
		memcpy(q->delay_peak, s.delay_peak, sizeof(q->delay_peak));
		if (st->size >= LB_EMU_ASIC_PORT_STATS_SIZE_V2) /* congestion control's, V2 */
			for (unsigned n = 0; n < 8; n++) {
				struct emu_cc_queue *cq = &p->cc.q[n];
				memcpy(cq->cnt, s.ecn[n], sizeof(cq->cnt));
				memcpy(cq->latch, cq->cnt, sizeof(cq->latch));
				struct emu_cc_wd *w = &p->cc.wd[n];
				w->detected = s.pfcwd[n][0];
				w->restored = s.pfcwd[n][1];
				w->storm_ns = s.pfcwd[n][2];
				w->tx_dropped = s.pfcwd[n][3];
				w->rx_dropped = s.pfcwd[n][4];
				w->l_detected = w->detected;
				w->l_restored = w->restored;
				w->l_storm_ns = w->storm_ns;
				w->l_tx = w->tx_dropped;
				w->l_rx = w->rx_dropped;
			}
	}
	emu_unlock(a->world);
	return rc;
}

LB_API int lb_emu_asic_pool_stats_get(struct lb_emu_asic *a, uint32_t pool, uint64_t *cur, uint64_t *peak)
{
	if (!a || !cur || !peak)
		return LB_E_INVAL;
	if (pool >= LB_EMU_ASIC_POOLS)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	*cur = a->pool_wm_cur[pool];
	*peak = a->pool_wm_peak[pool];
	emu_unlock(a->world);
	return LB_OK;
}

LB_API int lb_emu_asic_pool_stats_set(struct lb_emu_asic *a, uint32_t pool, uint64_t cur, uint64_t peak)
{
	if (!a)
		return LB_E_INVAL;
	if (pool >= LB_EMU_ASIC_POOLS)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns);
	a->pool_wm_cur[pool] = cur;
	a->pool_wm_peak[pool] = peak;
	emu_unlock(a->world);
	return LB_OK;
}
