/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's counters and watermarks in the driver's state file (emulated_state.c):
 * what one lbctl process counted, the next one shows, as a chip that kept running would. A
 * port's "stats": {"counters": [LB_EMU_ASIC_C_* order], "pg_cur", "pg_peak", "hdrm_cur",
 * "hdrm_peak", "q_cur", "q_peak", "delay_cur", "delay_peak": [8 each]}, absent when all are
 * zero, and congestion control's "ecn" (8 counters per queue, LB_EMU_ASIC_CC_C_* order) and
 * "pfcwd" (per traffic class: storms detected, restored, ns stormed, packets dropped leaving,
 * arriving), row after row; the pools' "pool_watermarks": [[cur, peak] x LB_EMU_ASIC_POOLS],
 * absent when zero.
 * MACsec is not kept (its keys never are, so neither are its SAs nor their counters);
 * a HyperPort counts with its members' ports.
 */
#include <string.h>
#include <jansson.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/emulator.h>
#include "emulated_asic.h"

static const char *const wm_keys[] = { "pg_cur", "pg_peak", "hdrm_cur", "hdrm_peak",
				       "q_cur", "q_peak", "delay_cur", "delay_peak" };

static uint64_t *wm_field(struct lb_emu_asic_port_stats *s, size_t i)
{
	uint64_t *const f[] = { s->pg_cur, s->pg_peak, s->hdrm_cur, s->hdrm_peak,
				s->q_cur, s->q_peak, s->delay_cur, s->delay_peak };
	return f[i];
}

/* n values as a JSON array; NULL when one does not fit a JSON integer (int64). */
static json_t *array_of(const uint64_t *v, size_t n, bool *nonzero)
{
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		if (v[i] > (uint64_t)INT64_MAX) {
			json_decref(arr);
			return NULL;
		}
		*nonzero = *nonzero || v[i];
		json_array_append_new(arr, json_integer((json_int_t)v[i]));
	}
	return arr;
}

/* n values from arr (exactly n, or up to n when up_to), each a nonnegative integer. */
static bool values_of(json_t *arr, uint64_t *v, size_t n, bool up_to, size_t *got)
{
	if (!json_is_array(arr) || json_array_size(arr) > n || (!up_to && json_array_size(arr) != n))
		return false;
	size_t i;
	json_t *e;
	json_array_foreach(arr, i, e) {
		if (!json_is_integer(e) || json_integer_value(e) < 0)
			return false;
		v[i] = (uint64_t)json_integer_value(e);
	}
	if (got)
		*got = json_array_size(arr);
	return true;
}

json_t *emu_stats_port_save(struct emu_asic_drv *d, uint32_t port)
{
	struct lb_emu_asic_port_stats s = LB_EMU_ASIC_PORT_STATS_INIT;
	if (lb_emu_asic_port_stats_get(d->asic, port, &s) != LB_OK)
		return NULL;
	bool nonzero = false;
	json_t *o = json_object(), *c = array_of(s.counters, s.n_counters, &nonzero);
	json_object_set_new(o, "counters", c);
	bool ok = o && c;
	for (size_t i = 0; ok && i < sizeof(wm_keys) / sizeof(wm_keys[0]); i++) {
		json_t *a = array_of(wm_field(&s, i), 8, &nonzero);
		ok = a && json_object_set_new(o, wm_keys[i], a) == 0;
	}
	/* congestion control's counters: per queue, per traffic class, row after row */
	json_t *ecn = array_of(&s.ecn[0][0], 8 * 8, &nonzero), *wd = array_of(&s.pfcwd[0][0], 8 * 5, &nonzero);
	int e1 = json_object_set_new(o, "ecn", ecn), e2 = json_object_set_new(o, "pfcwd", wd); /* both taken */
	ok = ok && !e1 && !e2;
	if (!ok || !nonzero) {
		if (!ok)
			lb_driver_log(d->env, LB_LOG_WARN, "emulated asic: port %u: counters beyond 2^63 not saved",
				      port);
		json_decref(o);
		return NULL;
	}
	return o;
}

int emu_stats_port_restore(struct emu_asic_drv *d, uint32_t port, json_t *o)
{
	if (!o)
		return LB_OK;
	struct lb_emu_asic_port_stats s = LB_EMU_ASIC_PORT_STATS_INIT;
	size_t n = 0;
	if (!json_is_object(o) ||
	    !values_of(json_object_get(o, "counters"), s.counters, LB_EMU_ASIC_N_COUNTERS, true, &n))
		return LB_E_PARSE;
	s.n_counters = (uint32_t)n; /* a file of fewer counters: the newer ones start at 0 */
	for (size_t i = 0; i < sizeof(wm_keys) / sizeof(wm_keys[0]); i++)
		if (!values_of(json_object_get(o, wm_keys[i]), wm_field(&s, i), 8, false, NULL))
			return LB_E_PARSE;
	/* congestion control's (absent from a file saved before them: they start at 0) */
	json_t *ecn = json_object_get(o, "ecn"), *wd = json_object_get(o, "pfcwd");
	if ((ecn && !values_of(ecn, &s.ecn[0][0], 8 * 8, false, NULL)) ||
	    (wd && !values_of(wd, &s.pfcwd[0][0], 8 * 5, false, NULL)))
		return LB_E_PARSE;
	return lb_emu_asic_port_stats_set(d->asic, port, &s);
}

json_t *emu_stats_pools_save(struct emu_asic_drv *d)
{
	json_t *arr = json_array();
	bool nonzero = false;
	for (uint32_t k = 0; arr && k < LB_EMU_ASIC_POOLS; k++) {
		uint64_t v[2] = { 0, 0 };
		(void)lb_emu_asic_pool_stats_get(d->asic, k, &v[0], &v[1]);
		json_t *pair = array_of(v, 2, &nonzero);
		if (!pair) {
			json_decref(arr);
			return NULL;
		}
		json_array_append_new(arr, pair);
	}
	if (!nonzero) {
		json_decref(arr);
		return NULL;
	}
	return arr;
}

int emu_stats_pools_restore(struct emu_asic_drv *d, json_t *arr)
{
	if (!arr)
		return LB_OK;
	if (!json_is_array(arr) || json_array_size(arr) != LB_EMU_ASIC_POOLS)
		return LB_E_PARSE;
	for (uint32_t k = 0; k < LB_EMU_ASIC_POOLS; k++) {
		uint64_t v[2];
		if (!values_of(json_array_get(arr, k), v, 2, false, NULL))
			return LB_E_PARSE;
		int rc = lb_emu_asic_pool_stats_set(d->asic, k, v[0], v[1]);
		if (rc)
			return rc;
	}
	return LB_OK;
}
