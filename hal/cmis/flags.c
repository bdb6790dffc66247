/* SPDX-License-Identifier: MIT */
/*
 * Latched flags nobody loses (flags.h): one accumulator per module, shared by its handles
 * through the access layer's per-route block; each consumer keeps its own view, ORed into by
 * every flag byte read from the module and cleared by its own reads alone. The coherent flags
 * (VDM 2Ch, C-CMIS 33h) are kept the same way and taken apart (lb_flags_take_coherent), by the
 * coherent calls that report them (lb_telemetry_read).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/flags.h>
#include <lightbridge/sideband.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/bus/bus_internal.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/page_rules.h"
#include "hal/cmis/regs.h"

#define P(abs) ((abs) - 128u)
#define LB_FLAGS_PAGE_TUNING 0x12u /* 12h: tunable laser control and status (banked) */

/*
 * Held by each handle on the module (through its shared block) and by each consumer, so a
 * consumer may outlive the handles. Its lock is a leaf: taken under the bus lock, never
 * around a transfer.
 */
struct lb_flag_acc {
	pthread_mutex_t mutex;
	unsigned refs;
	struct lb_flag_consumer *consumers;
};

struct lb_flag_consumer {
	struct lb_flag_acc *acc;
	struct lb_flag_consumer *prev, *next;
	struct lb_flag_bytes view;
};

static struct lb_flag_acc *acc_new(void)
{
	struct lb_flag_acc *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	pthread_mutex_init(&a->mutex, NULL);
	a->refs = 1;
	return a;
}

static void acc_ref(struct lb_flag_acc *a)
{
	pthread_mutex_lock(&a->mutex);
	a->refs++;
	pthread_mutex_unlock(&a->mutex);
}

/* Whether that was the last reference (a is freed). */
static bool acc_unref(struct lb_flag_acc *a)
{
	pthread_mutex_lock(&a->mutex);
	bool last = --a->refs == 0;
	pthread_mutex_unlock(&a->mutex);
	if (!last)
		return false;
	pthread_mutex_destroy(&a->mutex);
	free(a);
	return true;
}

static int consumer_new(struct lb_flag_acc *a, struct lb_flag_consumer **out)
{
	struct lb_flag_consumer *c = calloc(1, sizeof(*c));
	if (!c)
		return LB_E_NOMEM;
	c->acc = a;
	pthread_mutex_lock(&a->mutex);
	a->refs++;
	c->next = a->consumers;
	if (c->next)
		c->next->prev = c;
	a->consumers = c;
	pthread_mutex_unlock(&a->mutex);
	*out = c;
	return LB_OK;
}

static void consumer_free(struct lb_flag_consumer *c)
{
	struct lb_flag_acc *a = c->acc;
	pthread_mutex_lock(&a->mutex);
	if (c->prev)
		c->prev->next = c->next;
	else
		a->consumers = c->next;
	if (c->next)
		c->next->prev = c->prev;
	pthread_mutex_unlock(&a->mutex);
	free(c);
	(void)acc_unref(a);
}

int lb_flags_attach(struct lb_module *m)
{
	int rc = LB_OK;
	/* The bus lock orders two handles opening on one module at once: one accumulator. */
	pthread_mutex_lock(&m->bus->mutex);
	if (m->sh->flags)
		acc_ref(m->sh->flags);
	else if (!(m->sh->flags = acc_new()))
		rc = LB_E_NOMEM;
	pthread_mutex_unlock(&m->bus->mutex);
	if (rc)
		return rc;
	if ((rc = consumer_new(m->sh->flags, &m->flags_default))) {
		lb_flags_detach(m);
		return rc;
	}
	return LB_OK;
}

void lb_flags_detach(struct lb_module *m)
{
	if (!m->sh || !m->sh->flags)
		return;
	if (m->flags_default)
		consumer_free(m->flags_default);
	m->flags_default = NULL;
	pthread_mutex_lock(&m->bus->mutex);
	/*
	 * The last handle and no consumer left: gone, and the block (freed after this, unless a
	 * handle opening right now takes it) must not point at it.
	 */
	if (acc_unref(m->sh->flags))
		m->sh->flags = NULL;
	pthread_mutex_unlock(&m->bus->mutex);
}

/* [first, first+n) of the flag bytes within [offset, offset+len): OR them into every view. */
static void note_span(struct lb_flag_acc *a, unsigned first, unsigned n, unsigned offset,
		      const uint8_t *buf, unsigned len, size_t view_off)
{
	unsigned s = offset > first ? offset : first;
	unsigned e = offset + len < first + n ? offset + len : first + n;
	if (s >= e)
		return;
	pthread_mutex_lock(&a->mutex);
	for (struct lb_flag_consumer *c = a->consumers; c; c = c->next) {
		uint8_t *v = (uint8_t *)&c->view + view_off;
		for (unsigned i = s; i < e; i++)
			v[i - first] |= buf[i - offset];
	}
	pthread_mutex_unlock(&a->mutex);
}

void lb_flags_note(struct lb_flag_acc *acc, bool lower, uint8_t bank, uint8_t page,
		   uint8_t offset, const uint8_t *buf, unsigned len)
{
	if (!acc)
		return;
	if (lower)
		note_span(acc, LB_FLAGS_LOW_FIRST, LB_FLAGS_LOW_N, offset, buf, len,
			  offsetof(struct lb_flag_bytes, low));
	else if (page == LB_CMIS_PAGE_LANE_STATUS && bank < LB_FLAGS_BANKS)
		note_span(acc, LB_FLAGS_P11_FIRST, LB_FLAGS_P11_N, offset, buf, len,
			  offsetof(struct lb_flag_bytes, p11) + (size_t)bank * LB_FLAGS_P11_N);
	else if (page == LB_FLAGS_PAGE_TUNING && bank < LB_FLAGS_BANKS)
		note_span(acc, LB_FLAGS_P12_FIRST, LB_FLAGS_P12_N, offset, buf, len,
			  offsetof(struct lb_flag_bytes, p12) + (size_t)bank * LB_FLAGS_P12_N);
	else if (page == LB_FLAGS_PAGE_VDM && bank < LB_FLAGS_BANKS)
		note_span(acc, 128, 128, offset, buf, len,
			  offsetof(struct lb_flag_bytes, p2c) + (size_t)bank * 128u);
	else if (page == LB_FLAGS_PAGE_CCMIS && bank < LB_FLAGS_BANKS)
		note_span(acc, LB_FLAGS_P33_FIRST, LB_FLAGS_P33_N, offset, buf, len,
			  offsetof(struct lb_flag_bytes, p33) + (size_t)bank * LB_FLAGS_P33_N);
}

void lb_flags_take(struct lb_module *m, struct lb_flag_consumer *c, unsigned banks,
		   bool tuning, struct lb_flag_bytes *out)
{
	if (!c)
		c = m->flags_default;
	memset(out, 0, sizeof(*out));
	if (!c)
		return;
	if (banks > LB_FLAGS_BANKS)
		banks = LB_FLAGS_BANKS;
	pthread_mutex_lock(&c->acc->mutex);
	memcpy(out->low, c->view.low, sizeof(out->low));
	memset(c->view.low, 0, sizeof(c->view.low));
	for (unsigned b = 0; b < banks; b++) {
		memcpy(out->p11[b], c->view.p11[b], LB_FLAGS_P11_N);
		memset(c->view.p11[b], 0, LB_FLAGS_P11_N);
		if (!tuning)
			continue;
		memcpy(out->p12[b], c->view.p12[b], LB_FLAGS_P12_N);
		memset(c->view.p12[b], 0, LB_FLAGS_P12_N);
	}
	pthread_mutex_unlock(&c->acc->mutex);
}

void lb_flags_take_coherent(struct lb_module *m, struct lb_flag_consumer *c, unsigned banks,
			    struct lb_flag_bytes *out)
{
	if (!c)
		c = m->flags_default;
	if (!c)
		return;
	if (banks > LB_FLAGS_BANKS)
		banks = LB_FLAGS_BANKS;
	pthread_mutex_lock(&c->acc->mutex);
	for (unsigned b = 0; b < banks; b++) {
		memcpy(out->p2c[b], c->view.p2c[b], sizeof(out->p2c[b]));
		memset(c->view.p2c[b], 0, sizeof(c->view.p2c[b]));
		memcpy(out->p33[b], c->view.p33[b], sizeof(out->p33[b]));
		memset(c->view.p33[b], 0, sizeof(c->view.p33[b]));
	}
	pthread_mutex_unlock(&c->acc->mutex);
}

void lb_flags_give_back(struct lb_module *m, struct lb_flag_consumer *c,
			const struct lb_flag_bytes *v)
{
	if (!c)
		c = m->flags_default;
	if (!c)
		return;
	const uint8_t *src = (const uint8_t *)v;
	pthread_mutex_lock(&c->acc->mutex);
	uint8_t *dst = (uint8_t *)&c->view;
	for (size_t i = 0; i < sizeof(*v); i++)
		dst[i] |= src[i];
	pthread_mutex_unlock(&c->acc->mutex);
}

void lb_flags_take_vdm(struct lb_module *m, struct lb_flag_consumer *c, uint8_t bank,
		       uint8_t out[128])
{
	memset(out, 0, 128);
	if (!c)
		c = m->flags_default;
	if (!c || bank >= LB_FLAGS_BANKS)
		return;
	pthread_mutex_lock(&c->acc->mutex);
	memcpy(out, c->view.p2c[bank], 128);
	memset(c->view.p2c[bank], 0, 128);
	pthread_mutex_unlock(&c->acc->mutex);
}

void lb_flags_patch(const struct lb_flag_bytes *v, unsigned banks, uint8_t lower[128],
		    uint8_t (*p11)[128])
{
	memcpy(&lower[LB_FLAGS_LOW_FIRST], v->low, LB_FLAGS_LOW_N);
	for (unsigned b = 0; p11 && b < banks && b < LB_FLAGS_BANKS; b++)
		memcpy(&p11[b][P(LB_FLAGS_P11_FIRST)], v->p11[b], LB_FLAGS_P11_N);
}

bool lb_flags_consumer_of(const struct lb_module *m, const struct lb_flag_consumer *c)
{
	return c && m->sh && c->acc == m->sh->flags;
}

int lb_flags_read_bus(struct lb_module *m, uint8_t lower[128], uint8_t (*p11)[128],
		      unsigned *banks, bool tuning)
{
	const struct lb_module_adv *adv;
	struct lb_mem_range r[1 + LB_FLAGS_BANKS];
	unsigned n = 0, nb;
	int rc;

	*banks = 0;
	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	if (!lb_cmis_identifier_is_cmis(adv->identifier))
		return LB_E_UNKNOWN_ID;
	nb = adv->flat ? 0 : adv->banks;
	if (nb > LB_FLAGS_BANKS)
		nb = LB_FLAGS_BANKS;
	/* 4-7, the per-bank summary (not latched), rides along: one read with the flags. */
	r[n++] = (struct lb_mem_range){ .offset = LB_CMIS_LOW_FLAG_SUMMARY,
					.len = LB_FLAGS_LOW_FIRST + LB_FLAGS_LOW_N - LB_CMIS_LOW_FLAG_SUMMARY,
					.buf = &lower[LB_CMIS_LOW_FLAG_SUMMARY] };
	for (unsigned b = 0; b < nb; b++)
		r[n++] = (struct lb_mem_range){ .bank = (uint8_t)b,
						.page = LB_CMIS_PAGE_LANE_STATUS,
						.offset = LB_FLAGS_P11_FIRST, .len = LB_FLAGS_P11_N,
						.buf = &p11[b][P(LB_FLAGS_P11_FIRST)] };
	if ((rc = lb_module_read_ranges(m, r, n)))
		return rc;
	*banks = nb;
	if (!tuning || !nb || !lb_cmis_page_advertised(adv, 0, LB_FLAGS_PAGE_TUNING))
		return LB_OK;
	/* The summary (CMIS 5.0 on) says which banks have tuning flags: only those cost a read. */
	uint8_t p12[LB_FLAGS_BANKS][LB_FLAGS_P12_N];
	n = 0;
	for (unsigned b = 0; b < nb; b++)
		if ((adv->revision >> 4) < 5 || (lower[LB_CMIS_LOW_FLAG_SUMMARY + b] & 0x02u))
			r[n++] = (struct lb_mem_range){ .bank = (uint8_t)b, .page = LB_FLAGS_PAGE_TUNING,
							.offset = LB_FLAGS_P12_FIRST,
							.len = LB_FLAGS_P12_N, .buf = p12[b] };
	return n ? lb_module_read_ranges(m, r, n) : LB_OK;
}

void lb_cmis_decode_module_flags(const uint8_t lower[128], const uint8_t (*p11)[128],
				 unsigned banks, struct lb_module_flags *out)
{
	const uint8_t *mon = &lower[LB_CMIS_LOW_FLAGS_MON];
	out->module_flags = lower[LB_CMIS_LOW_FLAGS_MODULE];
	out->temperature_flags = (uint8_t)(mon[0] & 0x0fu);
	out->vcc_flags = (uint8_t)(mon[0] >> 4);
	out->aux1_flags = (uint8_t)(mon[1] & 0x0fu);
	out->aux2_flags = (uint8_t)(mon[1] >> 4);
	out->aux3_flags = (uint8_t)(mon[2] & 0x0fu);
	out->custom_flags = (uint8_t)(mon[2] >> 4);
	if (!p11)
		banks = 0;
	if (banks > LB_FLAGS_BANKS)
		banks = LB_FLAGS_BANKS;
	out->lanes = banks * 8u;
	out->dp_state_changed = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_FLAGS_FIRST);
	out->tx_fault = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_FAULT);
	out->tx_los = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_LOS);
	out->tx_lol = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_LOL);
	out->tx_adapt_eq_fail = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_LOL + 1u);
	for (unsigned k = 0; k < 4; k++) {
		out->tx_power_flagged[k] = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_POWER_FLAGS + k);
		out->tx_bias_flagged[k] = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_TX_BIAS_FLAGS + k);
		out->rx_power_flagged[k] = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_RX_POWER_FLAGS + k);
	}
	out->rx_los = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_RX_LOS);
	out->rx_lol = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_RX_LOL);
	out->rx_output_changed = lb_cmis_lane_bits(p11, banks, LB_CMIS_P11_FLAGS_LAST);
}

void lb_flags_decode_bytes(const struct lb_flag_bytes *v, unsigned banks,
			   struct lb_module_flags *out)
{
	uint8_t lower[128] = { 0 };
	uint8_t p11[LB_FLAGS_BANKS][128];
	memset(p11, 0, sizeof(p11));
	if (banks > LB_FLAGS_BANKS)
		banks = LB_FLAGS_BANKS;
	lb_flags_patch(v, banks, lower, p11);
	lb_cmis_decode_module_flags(lower, banks ? (const uint8_t (*)[128])p11 : NULL, banks, out);
	for (unsigned b = 0; b < banks; b++)
		memcpy(&out->tuning_flags[8u * b], v->p12[b], LB_FLAGS_P12_N);
}

/* ---- public ---- */

LB_API int lb_flag_consumer_create(struct lb_module *m, struct lb_flag_consumer **out)
{
	if (!m || !out || !m->sh || !m->sh->flags)
		return LB_E_INVAL;
	return consumer_new(m->sh->flags, out);
}

LB_API void lb_flag_consumer_free(struct lb_flag_consumer *c)
{
	if (c)
		consumer_free(c);
}

static int flags_read(struct lb_module *m, struct lb_flag_consumer *c, struct lb_module_flags *out)
{
	uint8_t lower[128] = { 0 };
	uint8_t p11[LB_FLAGS_BANKS][128];
	unsigned banks;
	memset(p11, 0, sizeof(p11));
	int rc = lb_flags_read_bus(m, lower, p11, &banks, true);
	if (rc)
		return rc;
	/* What this consumer has not seen yet: this read's bytes and whatever others read before. */
	struct lb_flag_bytes v;
	lb_flags_take(m, c, banks, true, &v);
	lb_flags_decode_bytes(&v, banks, out);
	return LB_OK;
}

static int module_flags_read(struct lb_module *m, struct lb_flag_consumer *c,
			     struct lb_module_flags *out)
{
	if (!m || lb_sized_check(out, LB_MODULE_FLAGS_SIZE_V1))
		return LB_E_INVAL;
	if (c && !lb_flags_consumer_of(m, c))
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				    "flag consumer belongs to another module");
	struct lb_module_flags f;
	memset(&f, 0, sizeof(f));
	int rc = flags_read(m, c, &f);
	if (rc)
		memset(&f, 0, sizeof(f));
	LB_SIZED_FILL(out, f);
	return rc;
}

LB_API int lb_module_flags_read(struct lb_module *m, struct lb_flag_consumer *c,
				struct lb_module_flags *out)
{
	return LB_MODULE_CALL(m, module_flags_read(m, c, out));
}
