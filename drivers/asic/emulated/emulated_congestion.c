/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC driver's congestion-control ops (lightbridge/driver.h, "Congestion
 * control"): a queue's ECN/WRED and a traffic class's PFC watchdog written to the port's staged
 * registers and applied by one command, counters latched and read (docs/emulated-asic.md,
 * "Congestion control"); and what the state file keeps of them.
 */
#include <jansson.h>
#include <lightbridge/congestion.h>
#include <lightbridge/emu_asic_regs.h>
#include "emulated_asic.h"

/* Write cmd to a command register (its status at the next word) and read its status. */
static int command(struct emu_asic_drv *d, uint32_t port, uint32_t cmd_addr, uint32_t cmd,
		   const char *what, uint32_t n)
{
	uint32_t st;
	int rc = emu_drv_command(d, cmd_addr, cmd, &st);
	if (rc)
		return rc;
	if (st == LB_EMU_ASIC_ERR_OK)
		return LB_OK;
	return lb_driver_error(d->env, st == LB_EMU_ASIC_ERR_NOPORT ? LB_E_NOTFOUND : LB_E_INVAL,
			       "emulated asic: port %u: %s %u refused by the chip (status %u)", port, what, n, st);
}

static int q_command(struct emu_asic_drv *d, uint32_t port, uint32_t q, uint32_t cmd)
{
	return command(d, port, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, LB_EMU_ASIC_CC_Q_COMMAND)), cmd,
		       "queue", q);
}

static int wd_command(struct emu_asic_drv *d, uint32_t port, uint32_t tc, uint32_t cmd)
{
	return command(d, port, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_COMMAND)), cmd,
		       "tc", tc);
}

int emu_cc_ecn_apply(void *priv, uint32_t port, uint32_t q, const struct lb_queue_ecn_config *c)
{
	struct emu_asic_drv *d = priv;
	uint32_t ctrl = (c->colors & LB_EMU_ASIC_CC_CTRL_COLORS) | (c->wred_enable ? LB_EMU_ASIC_CC_CTRL_WRED : 0) |
			(c->ecn_enable ? LB_EMU_ASIC_CC_CTRL_ECN : 0);
	uint32_t prob = 0;
	for (unsigned k = 0; k < LB_COLORS; k++)
		prob |= (c->color[k].probability_pct & 0xFFu) << (8 * k);
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, LB_EMU_ASIC_CC_CTRL)), ctrl)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, LB_EMU_ASIC_CC_PROB)), prob)))
		return rc;
	for (unsigned k = 0; k < LB_COLORS; k++)
		if ((rc = emu_drv_wr64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, LB_EMU_ASIC_CC_MIN(k))), c->color[k].min_bytes)) ||
		    (rc = emu_drv_wr64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, LB_EMU_ASIC_CC_MAX(k))), c->color[k].max_bytes)))
			return rc;
	return q_command(d, port, q, LB_EMU_ASIC_CC_CMD_APPLY);
}

int emu_cc_ecn_get(void *priv, uint32_t port, uint32_t q, struct lb_queue_ecn_config *c)
{
	struct emu_asic_drv *d = priv;
	uint32_t ctrl, prob;
	int rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, LB_EMU_ASIC_CC_CTRL)), &ctrl)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, LB_EMU_ASIC_CC_PROB)), &prob)))
		return rc;
	c->colors = ctrl & LB_EMU_ASIC_CC_CTRL_COLORS;
	c->wred_enable = (ctrl & LB_EMU_ASIC_CC_CTRL_WRED) != 0;
	c->ecn_enable = (ctrl & LB_EMU_ASIC_CC_CTRL_ECN) != 0;
	for (unsigned k = 0; k < LB_COLORS; k++) {
		c->color[k].probability_pct = (prob >> (8 * k)) & 0xFFu;
		if ((rc = emu_drv_rd64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, LB_EMU_ASIC_CC_MIN(k))),
			       &c->color[k].min_bytes)) ||
		    (rc = emu_drv_rd64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, LB_EMU_ASIC_CC_MAX(k))),
			       &c->color[k].max_bytes)))
			return rc;
	}
	return LB_OK;
}

int emu_cc_ecn_counters(void *priv, uint32_t port, uint32_t q, struct lb_queue_ecn_counters *c, int clear)
{
	struct emu_asic_drv *d = priv;
	int rc = q_command(d, port, q, clear ? LB_EMU_ASIC_CC_CMD_LATCH_CLEAR : LB_EMU_ASIC_CC_CMD_LATCH);
	uint64_t v[LB_EMU_ASIC_CC_Q_COUNTERS];
	for (unsigned i = 0; i < LB_EMU_ASIC_CC_Q_COUNTERS && !rc; i++)
		rc = emu_drv_rd64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_CNT(q, i)), &v[i]);
	if (rc)
		return rc;
	c->ecn_marked_packets = v[LB_EMU_ASIC_CC_C_MARKED];
	c->ecn_marked_bytes = v[LB_EMU_ASIC_CC_C_MARKED_BYTES];
	for (unsigned k = 0; k < LB_COLORS; k++) {
		c->wred_dropped_packets[k] = v[LB_EMU_ASIC_CC_C_DROPPED(k)];
		c->wred_dropped_bytes[k] = v[LB_EMU_ASIC_CC_C_DROPPED_BYTES(k)];
	}
	return LB_OK;
}

int emu_cc_pfcwd_apply(void *priv, uint32_t port, uint32_t tc, const struct lb_pfcwd_config *c)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_DETECT)), c->detection_ms)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_RESTORE)), c->restoration_ms)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_ACTION)), (uint32_t)c->action)))
		return rc;
	return wd_command(d, port, tc, LB_EMU_ASIC_CC_CMD_APPLY);
}

int emu_cc_pfcwd_get(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_config *c)
{
	struct emu_asic_drv *d = priv;
	uint32_t action;
	int rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_LIVE_DETECT)), &c->detection_ms)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_LIVE_RESTORE)),
		     &c->restoration_ms)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_LIVE_ACTION)), &action)))
		return rc;
	if (action > LB_PFCWD_ALARM)
		return lb_driver_error(d->env, LB_E_IO, "emulated asic: port %u: tc %u: watchdog action %u unknown",
				       port, tc, action);
	c->action = (enum lb_pfcwd_action)action;
	return LB_OK;
}

int emu_cc_pfcwd_status(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st, int clear)
{
	struct emu_asic_drv *d = priv;
	uint32_t state, det, res, ms;
	int rc;
	if ((rc = wd_command(d, port, tc, clear ? LB_EMU_ASIC_CC_CMD_LATCH_CLEAR : LB_EMU_ASIC_CC_CMD_LATCH)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_STATE)), &state)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_DETECTED)), &det)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_RESTORED)), &res)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_STORM_MS)), &ms)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_TX_DROPPED)),
		       &st->tx_dropped_packets)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD_CNT(tc, LB_EMU_ASIC_CC_WD_RX_DROPPED)),
		       &st->rx_dropped_packets)))
		return rc;
	st->stormed = state & 1u;
	st->storms_detected = det;
	st->storms_restored = res;
	st->storm_ms = ms;
	return LB_OK;
}

/*
 * The state file's "congestion" of a port: [queue words x 8, watchdog words x 8], the
 * registers in force (CC_Q_LIVE CTRL .. MAX(2); WD live detect, restore, action).
 */
#define Q_WORDS (LB_EMU_ASIC_CC_Q_COMMAND / 4)
#define WD_WORDS 3u

json_t *emu_cc_save(struct emu_asic_drv *d, uint32_t port)
{
	json_t *a = json_array();
	bool any = false;
	for (uint32_t q = 0; a && q < 8; q++)
		for (uint32_t i = 0; i < Q_WORDS; i++) {
			uint32_t v;
			if (emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q_LIVE(q, 4 * i)), &v)) {
				json_decref(a);
				return NULL;
			}
			any = any || v;
			json_array_append_new(a, json_integer((json_int_t)v));
		}
	for (uint32_t tc = 0; a && tc < 8; tc++)
		for (uint32_t i = 0; i < WD_WORDS; i++) {
			uint32_t v;
			if (emu_drv_rd(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, LB_EMU_ASIC_CC_WD_LIVE_DETECT + 4 * i)), &v)) {
				json_decref(a);
				return NULL;
			}
			any = any || v;
			json_array_append_new(a, json_integer((json_int_t)v));
		}
	if (!any) { /* all off: nothing to keep */
		json_decref(a);
		return NULL;
	}
	return a;
}

int emu_cc_restore(struct emu_asic_drv *d, uint32_t port, json_t *arr)
{
	if (!arr)
		return LB_OK; /* none kept: all off */
	if (!json_is_array(arr) || json_array_size(arr) != 8 * (Q_WORDS + WD_WORDS))
		return LB_E_PARSE;
	for (size_t i = 0; i < json_array_size(arr); i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 0xFFFFFFFF)
			return LB_E_PARSE;
	}
	int rc = LB_OK;
	for (uint32_t q = 0; q < 8 && !rc; q++) {
		for (uint32_t i = 0; i < Q_WORDS && !rc; i++)
			rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_Q(q, 4 * i)),
				(uint32_t)json_integer_value(json_array_get(arr, q * Q_WORDS + i)));
		if (!rc)
			rc = q_command(d, port, q, LB_EMU_ASIC_CC_CMD_APPLY);
	}
	for (uint32_t tc = 0; tc < 8 && !rc; tc++) {
		for (uint32_t i = 0; i < WD_WORDS && !rc; i++)
			rc = emu_drv_wr(d, LB_EMU_ASIC_CC_REG(port, LB_EMU_ASIC_CC_WD(tc, 4 * i)),
				(uint32_t)json_integer_value(json_array_get(arr, 8 * Q_WORDS + tc * WD_WORDS + i)));
		if (!rc)
			rc = wd_command(d, port, tc, LB_EMU_ASIC_CC_CMD_APPLY);
	}
	return rc;
}
