/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC driver's QoS ops (lightbridge/driver.h, the traffic block): schedulers
 * and QoS maps written to the port's staged QoS registers and applied by one QOS_COMMAND,
 * watermarks read from the chip (docs/emulated-asic.md, "QoS and watermarks").
 */
#include <jansson.h>
#include <lightbridge/qos.h>
#include <lightbridge/emu_asic_regs.h>
#include "emulated_asic.h"

/* QOS_COMMAND and its status. */
static int qos_command(struct emu_asic_drv *d, uint32_t port, const char *what)
{
	uint32_t st;
	int rc;
	if ((rc = emu_drv_command(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_COMMAND), LB_EMU_ASIC_QOS_CMD_APPLY,
				  &st)))
		return rc;
	if (st == LB_EMU_ASIC_ERR_OK)
		return LB_OK;
	return lb_driver_error(d->env, st == LB_EMU_ASIC_ERR_NOPORT ? LB_E_NOTFOUND : LB_E_INVAL,
			       "emulated asic: port %u: %s refused by the chip (status %u)", port, what, st);
}

/* The chip's staged QoS registers hold what the core asked last; only the maps or only the
 * schedulers change at a time, the other half is staged from what is in force. */
static int stage_live(struct emu_asic_drv *d, uint32_t port)
{
	for (uint32_t off = 0; off <= LB_EMU_ASIC_QOS_PFC_QUEUE; off += 4) {
		uint32_t v;
		int rc;
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_LIVE + off), &v)) ||
		    (rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, off), v)))
			return rc;
	}
	return LB_OK;
}

int emu_qos_scheduler_apply(void *priv, uint32_t port, const struct lb_qos_scheduler *s)
{
	struct emu_asic_drv *d = priv;
	int rc = stage_live(d, port);
	for (uint32_t n = 0; n < LB_QOS_QUEUES && !rc; n++) {
		if ((rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_Q_TYPE(n)), (uint32_t)s->type[n])) ||
		    (rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_Q_WEIGHT(n)), s->weight[n])) ||
		    (rc = emu_drv_wr64(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_Q_MIN_RATE(n)), s->min_rate_mbps[n])))
			break;
		rc = emu_drv_wr64(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_Q_MAX_RATE(n)), s->max_rate_mbps[n]);
	}
	return rc ? rc : qos_command(d, port, "scheduler");
}

int emu_qos_scheduler_get(void *priv, uint32_t port, struct lb_qos_scheduler *s)
{
	struct emu_asic_drv *d = priv;
	int rc = LB_OK;
	for (uint32_t n = 0; n < LB_QOS_QUEUES && !rc; n++) {
		uint32_t type;
		uint32_t base = LB_EMU_ASIC_QOS_LIVE;
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_QOS_REG(port, base + LB_EMU_ASIC_Q_TYPE(n)), &type)) ||
		    (rc = emu_drv_rd(d, LB_EMU_ASIC_QOS_REG(port, base + LB_EMU_ASIC_Q_WEIGHT(n)), &s->weight[n])) ||
		    (rc = emu_drv_rd64(d, LB_EMU_ASIC_QOS_REG(port, base + LB_EMU_ASIC_Q_MIN_RATE(n)), &s->min_rate_mbps[n])))
			break;
		rc = emu_drv_rd64(d, LB_EMU_ASIC_QOS_REG(port, base + LB_EMU_ASIC_Q_MAX_RATE(n)), &s->max_rate_mbps[n]);
		s->type[n] = type ? LB_QOS_SCHED_DWRR : LB_QOS_SCHED_STRICT;
		if (!type)
			s->weight[n] = 0;
	}
	return rc;
}

static uint32_t pack(const uint8_t *map)
{
	uint32_t v = 0;
	for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
		v |= (uint32_t)(map[n] & 0xFu) << (4 * n);
	return v;
}

static void unpack(uint32_t v, uint8_t *map)
{
	for (unsigned n = 0; n < LB_QOS_QUEUES; n++)
		map[n] = (uint8_t)((v >> (4 * n)) & 0xFu);
}

int emu_qos_maps_apply(void *priv, uint32_t port, const struct lb_qos_maps *m)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = stage_live(d, port)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_TC_PG), pack(m->tc_to_pg))) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_PFC_PG), pack(m->pfc_to_pg))) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_PFC_QUEUE), pack(m->pfc_to_queue))))
		return rc;
	return qos_command(d, port, "QoS maps");
}

int emu_qos_maps_get(void *priv, uint32_t port, struct lb_qos_maps *m)
{
	struct emu_asic_drv *d = priv;
	uint32_t v[3];
	static const uint32_t offs[] = { LB_EMU_ASIC_QOS_TC_PG, LB_EMU_ASIC_QOS_PFC_PG, LB_EMU_ASIC_QOS_PFC_QUEUE };
	for (unsigned k = 0; k < 3; k++) {
		int rc = emu_drv_rd(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_LIVE + offs[k]), &v[k]);
		if (rc)
			return rc;
	}
	unpack(v[0], m->tc_to_pg);
	unpack(v[1], m->pfc_to_pg);
	unpack(v[2], m->pfc_to_queue);
	return LB_OK;
}

static int pair(struct emu_asic_drv *d, uint32_t addr, uint64_t *now, uint64_t *peak)
{
	int rc = emu_drv_rd64(d, addr, now);
	return rc ? rc : emu_drv_rd64(d, addr + 8, peak);
}

int emu_qos_watermarks_read(void *priv, uint32_t port, struct lb_qos_port_watermarks *wm)
{
	struct emu_asic_drv *d = priv;
	int rc = LB_OK;
	for (uint32_t n = 0; n < LB_QOS_QUEUES && !rc; n++) {
		if ((rc = pair(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_WM_PG(n, LB_EMU_ASIC_WM_CUR)), &wm->pg[n].bytes,
			       &wm->pg[n].peak_bytes)) ||
		    (rc = pair(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_WM_PG(n, LB_EMU_ASIC_WM_PG_HDRM)),
			       &wm->pg_headroom[n].bytes, &wm->pg_headroom[n].peak_bytes)) ||
		    (rc = pair(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_WM_QUEUE(n, LB_EMU_ASIC_WM_CUR)),
			       &wm->queue[n].bytes, &wm->queue[n].peak_bytes)))
			break;
		rc = pair(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_WM_QUEUE(n, LB_EMU_ASIC_WM_Q_DELAY)),
			  &wm->queue_delay_ns[n], &wm->queue_delay_peak_ns[n]);
	}
	return rc;
}

int emu_qos_watermarks_clear(void *priv, uint32_t port)
{
	int rc = emu_drv_wr(priv, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_WM_CTRL), 1);
	return rc ? rc : emu_drv_synced(priv);
}

int emu_qos_pool_watermark_read(void *priv, uint32_t pool, struct lb_qos_watermark *wm)
{
	if (pool >= LB_EMU_ASIC_POOLS)
		return LB_E_RANGE;
	return pair(priv, LB_EMU_ASIC_POOL_WM(pool, LB_EMU_ASIC_WM_CUR), &wm->bytes, &wm->peak_bytes);
}

int emu_qos_pool_watermarks_clear(void *priv)
{
	int rc = emu_drv_wr(priv, LB_EMU_ASIC_POOL_WM_CTRL, 1);
	return rc ? rc : emu_drv_synced(priv);
}

extern const struct lb_driver lb_asic_driver_emulated;

LB_API struct lb_emu_asic *lb_emu_switch_asic(struct lb_switch *sw)
{
	struct emu_asic_drv *d = lb_switch_driver_priv(sw, &lb_asic_driver_emulated);
	return d ? d->asic : NULL;
}

/* The state file's "qos" of a port: its QoS registers in force, QOS_LIVE + 0 .. PFC_QUEUE. */
#define QOS_WORDS (LB_EMU_ASIC_QOS_PFC_QUEUE / 4 + 1)

json_t *emu_qos_save(struct emu_asic_drv *d, uint32_t port)
{
	json_t *a = json_array();
	for (uint32_t i = 0; a && i < QOS_WORDS; i++) {
		uint32_t v;
		if (emu_drv_rd(d, LB_EMU_ASIC_QOS_REG(port, LB_EMU_ASIC_QOS_LIVE + 4 * i), &v)) {
			json_decref(a);
			return NULL;
		}
		json_array_append_new(a, json_integer((json_int_t)v));
	}
	return a;
}

int emu_qos_restore(struct emu_asic_drv *d, uint32_t port, json_t *arr)
{
	if (!arr)
		return LB_OK; /* a file from before QoS was kept: the defaults */
	if (!json_is_array(arr) || json_array_size(arr) != QOS_WORDS)
		return LB_E_PARSE;
	for (uint32_t i = 0; i < QOS_WORDS; i++) {
		json_t *v = json_array_get(arr, i);
		if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 0xFFFFFFFF)
			return LB_E_PARSE;
		int rc = emu_drv_wr(d, LB_EMU_ASIC_QOS_REG(port, 4 * i), (uint32_t)json_integer_value(v));
		if (rc)
			return rc;
	}
	return qos_command(d, port, "saved QoS");
}
