/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include "hal/cmis/access_plan.h"

/* A normalised piece: one side of the 128 boundary, bank 0 and page 0 for lower memory. */
struct piece {
	uint16_t key;   /* 0 for lower memory, else 1 + bank*256 + page */
	uint8_t bank, page;
	uint16_t start, end; /* [start, end) in 0..256 */
};

static uint16_t key_of(bool lower, uint8_t bank, uint8_t page)
{
	if (lower)
		return 0;
	uint8_t b = lb_cmis_page_is_banked(page) ? bank : 0;
	return (uint16_t)(1u + (unsigned)b * 256u + page);
}

static int cmp_piece(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

static int push(struct lb_read_plan *plan, const struct lb_plan_xfer *x)
{
	if (plan->n == plan->cap) {
		unsigned cap = plan->cap ? plan->cap * 2 : 16;
		struct lb_plan_xfer *p = realloc(plan->xfer, cap * sizeof(*p));
		if (!p)
			return LB_E_NOMEM;
		plan->xfer = p;
		plan->cap = cap;
	}
	plan->xfer[plan->n++] = *x;
	return LB_OK;
}

static int emit_run(struct lb_read_plan *plan, const struct piece *p, uint16_t start, uint16_t end,
		    size_t max_read)
{
	for (uint16_t at = start; at < end;) {
		uint16_t len = (uint16_t)(end - at);
		if (len > max_read)
			len = (uint16_t)max_read;
		struct lb_plan_xfer x = { .bank = p->bank, .page = p->page, .offset = (uint8_t)at,
					  .len = (uint8_t)len, .lower = p->key == 0 };
		int rc = push(plan, &x);
		if (rc)
			return rc;
		at = (uint16_t)(at + len);
	}
	return LB_OK;
}

int lb_read_plan_build(struct lb_read_plan *plan, const struct lb_mem_range *r, unsigned n,
		       size_t max_read, const struct lb_plan_start *start)
{
	memset(plan, 0, sizeof(*plan));
	if (max_read < 1 || max_read > 128 || (n && !r))
		return LB_E_INVAL;
	struct piece *pc = calloc(n ? 2u * n : 1u, sizeof(*pc));
	if (!pc)
		return LB_E_NOMEM;
	unsigned np = 0;
	for (unsigned i = 0; i < n; i++) {
		unsigned s = r[i].offset, e = s + r[i].len;
		if (r[i].len == 0 || e > 256) {
			free(pc);
			return LB_E_INVAL;
		}
		if (s < 128)
			pc[np++] = (struct piece){ .key = 0, .start = (uint16_t)s,
						   .end = (uint16_t)(e < 128 ? e : 128) };
		if (e > 128) {
			bool banked = lb_cmis_page_is_banked(r[i].page);
			pc[np++] = (struct piece){ .key = key_of(false, r[i].bank, r[i].page),
						   .bank = banked ? r[i].bank : 0,
						   .page = r[i].page,
						   .start = (uint16_t)(s > 128 ? s : 128),
						   .end = (uint16_t)e };
		}
	}
	qsort(pc, np, sizeof(*pc), cmp_piece);

	/* The page in force goes right after lower memory: it needs no select at all. */
	uint16_t first_key = 0xFFFF;
	if (start && start->valid)
		first_key = key_of(false, start->bank, start->page);
	int rc = LB_OK;
	for (int pass = 0; pass < 3 && rc == LB_OK; pass++) {
		for (unsigned i = 0; i < np && rc == LB_OK;) {
			unsigned j = i;
			uint16_t s = pc[i].start, e = pc[i].end;
			while (j + 1 < np && pc[j + 1].key == pc[i].key && pc[j + 1].start <= e) {
				j++;
				if (pc[j].end > e)
					e = pc[j].end;
			}
			bool take = pass == 0 ? pc[i].key == 0
				  : pass == 1 ? pc[i].key != 0 && pc[i].key == first_key
					      : pc[i].key != 0 && pc[i].key != first_key;
			if (take)
				rc = emit_run(plan, &pc[i], s, e, max_read);
			i = j + 1;
		}
	}
	free(pc);
	if (rc)
		lb_read_plan_free(plan);
	return rc;
}

void lb_read_plan_free(struct lb_read_plan *plan)
{
	free(plan->xfer);
	memset(plan, 0, sizeof(*plan));
}

static int push_write(struct lb_write_plan *plan, const struct lb_write_xfer *x)
{
	if (plan->n == plan->cap) {
		unsigned cap = plan->cap ? plan->cap * 2 : 16;
		struct lb_write_xfer *p = realloc(plan->xfer, cap * sizeof(*p));
		if (!p)
			return LB_E_NOMEM;
		plan->xfer = p;
		plan->cap = cap;
	}
	plan->xfer[plan->n++] = *x;
	return LB_OK;
}

/* Longest write at byte address at of range w: the module's limit there and the driver's. */
static size_t write_limit(const struct lb_mem_write *w, unsigned at,
			  const struct lb_module_adv *adv, size_t drv_max)
{
	size_t limit = lb_cmis_max_write(adv, w->page, at < 128);
	if (drv_max && limit > drv_max)
		limit = drv_max;
	return limit ? limit : 1;
}

/* Bytes [from, to) of range w (relative to its offset), in writes that respect every limit. */
static int emit_writes(struct lb_write_plan *plan, const struct lb_mem_write *w, unsigned from,
		       unsigned to, const struct lb_module_adv *adv, size_t drv_max)
{
	for (unsigned done = from; done < to;) {
		unsigned at = w->offset + done;
		bool lower = at < 128;
		size_t chunk = to - done, limit = write_limit(w, at, adv, drv_max);
		if (chunk > limit)
			chunk = limit;
		if (lower && at + chunk > 128)
			chunk = 128 - at;
		struct lb_write_xfer x = { .bank = lower ? 0 : w->bank, .page = lower ? 0 : w->page,
					   .offset = (uint8_t)at, .len = (uint8_t)chunk,
					   .lower = lower, .src = w->buf + done };
		int rc = push_write(plan, &x);
		if (rc)
			return rc;
		done += (unsigned)chunk;
	}
	return LB_OK;
}

/* Whether range w goes in one write: on one side of 127/128 and within every limit. */
static bool fits_one_write(const struct lb_mem_write *w, const struct lb_module_adv *adv,
			   size_t drv_max)
{
	unsigned s = w->offset, e = s + w->len;
	if (s < 128 && e > 128)
		return false;
	return w->len <= write_limit(w, s, adv, drv_max);
}

int lb_write_plan_build(struct lb_write_plan *plan, const struct lb_mem_write *w, unsigned n,
			unsigned flags, const struct lb_module_adv *adv, size_t drv_max)
{
	memset(plan, 0, sizeof(*plan));
	if ((n && !w) || !adv || (flags & ~(unsigned)LB_WRITE_WHOLE_IF_FITS))
		return LB_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		if (!w[i].buf || !w[i].len || (unsigned)w[i].offset + w[i].len > 256 ||
		    w[i].head_last > w[i].len)
			return LB_E_INVAL;
	int rc = LB_OK;
	for (unsigned i = 0; i < n && rc == LB_OK; i++) {
		unsigned head = w[i].head_last;
		if (head == w[i].len ||
		    ((flags & LB_WRITE_WHOLE_IF_FITS) && fits_one_write(&w[i], adv, drv_max)))
			head = 0;
		rc = emit_writes(plan, &w[i], head, w[i].len, adv, drv_max);
		if (rc == LB_OK && head)
			rc = emit_writes(plan, &w[i], 0, head, adv, drv_max);
	}
	if (rc)
		lb_write_plan_free(plan);
	return rc;
}

void lb_write_plan_free(struct lb_write_plan *plan)
{
	free(plan->xfer);
	memset(plan, 0, sizeof(*plan));
}
