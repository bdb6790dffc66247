/* SPDX-License-Identifier: MIT */
/* Module object and its register access: routing, page cache, planned reads, bounded writes. */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/module.h>
#include "hal/bus/bus_internal.h"
#include "hal/bus/read_plan.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"
#include "hal/core/ctx_internal.h"

#define CMIS_BANK_SELECT 126
#define CMIS_PAGE_SELECT 127
#define CMIS_DEFAULT_ADDR 0x50
/* tWRITE: a module may NACK for up to 10 ms after a volatile write (CMIS 5.4 Table 10-4). */
#define CMIS_T_WRITE_NS 10000000u
#define CMIS_NACK_RETRY_NS 1000000u

LB_API int lb_module_open(struct lb_bus *bus, const struct lb_module_addr *where,
			  struct lb_module **out)
{
	if (!bus || !out)
		return LB_E_INVAL;
	if (where && (where->mux_channel > 7 || where->mux_channel < -1 || where->addr > 0x7F))
		return LB_E_INVAL;
	struct lb_module *m = calloc(1, sizeof(*m));
	if (!m)
		return LB_E_NOMEM;
	m->bus = bus;
	m->where = where ? *where : (struct lb_module_addr){ .addr = 0, .mux_channel = -1 };
	if (!m->where.addr)
		m->where.addr = CMIS_DEFAULT_ADDR;
	*out = m;
	return LB_OK;
}

LB_API void lb_module_close(struct lb_module *m)
{
	if (m)
		lb_module_ext_detach(m);
	free(m);
}

LB_API struct lb_bus *lb_module_bus(const struct lb_module *m)
{
	return m ? m->bus : NULL;
}

struct lb_ctx *lb_module_ctx(const struct lb_module *m)
{
	return m->bus->ctx;
}

LB_API void lb_module_invalidate(struct lb_module *m)
{
	if (!m)
		return;
	m->sel_page_valid = m->sel_bank_valid = false;
	memset(&m->adv, 0, sizeof(m->adv));
	memset(&m->cache, 0, sizeof(m->cache));
	lb_module_ext_detach(m);
}

static bool sel_trusted(const struct lb_module *m)
{
	return m->sel_generation == m->bus->generation;
}

/* One transfer to the module; retries a NACK only inside the post-write hold-off. */
/* What the last access says about presence: it answered, it did not, or it cannot tell. */
static int note_access(struct lb_module *m, int rc)
{
	int seen = rc == LB_OK ? LB_MODULE_SEEN_ANSWERED
		 : (rc == LB_E_NACK || rc == LB_E_NODEV) ? LB_MODULE_SEEN_SILENT
							 : LB_MODULE_SEEN_UNKNOWN;
	__atomic_store_n(&m->seen, seen, __ATOMIC_RELAXED);
	return rc;
}

int lb_module_seen(const struct lb_module *m)
{
	return __atomic_load_n(&m->seen, __ATOMIC_RELAXED);
}

static int module_xfer(struct lb_module *m, struct lb_i2c_msg *msgs, unsigned n, bool is_select)
{
	for (;;) {
		int rc = lb_bus_xfer(m->bus, msgs, n, is_select);
		if (rc != LB_E_NACK || !m->last_write_ns)
			return note_access(m, rc);
		if (lb_bus_now_ns(m->bus) - m->last_write_ns >= CMIS_T_WRITE_NS)
			return note_access(m, rc);
		lb_bus_sleep_ns(m->bus, CMIS_NACK_RETRY_NS);
	}
}

static int raw_read(struct lb_module *m, uint8_t offset, uint8_t *buf, uint8_t len)
{
	uint8_t off = offset;
	struct lb_i2c_msg msgs[2] = {
		{ .addr = m->where.addr, .flags = 0, .len = 1, .buf = &off },
		{ .addr = m->where.addr, .flags = LB_I2C_M_RD, .len = len, .buf = buf },
	};
	return module_xfer(m, msgs, 2, false);
}

static int raw_write(struct lb_module *m, uint8_t offset, const uint8_t *buf, size_t len,
		     bool is_select)
{
	uint8_t frame[1 + 2048];
	if (len + 1 > sizeof(frame))
		return LB_E_INVAL;
	frame[0] = offset;
	memcpy(frame + 1, buf, len);
	struct lb_i2c_msg msg = { .addr = m->where.addr, .flags = 0, .len = (uint16_t)(len + 1),
				  .buf = frame };
	int rc = module_xfer(m, &msg, 1, is_select);
	if (rc == LB_OK)
		m->last_write_ns = lb_bus_now_ns(m->bus);
	return rc;
}

/* Make (bank, page) the upper page in force, writing only the select bytes that differ. */
static int select_page(struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (lb_bus_is_paged(m->bus))
		return LB_OK;
	if (m->adv.valid && m->adv.flat)
		return page == 0 ? LB_OK : LB_E_NOTSUP;
	bool banked = lb_cmis_page_is_banked(page) && (!m->adv.valid || m->adv.banks > 1 || bank);
	bool trusted = sel_trusted(m);
	bool page_ok = trusted && m->sel_page_valid && m->sel_page == page;
	bool bank_ok = !banked || (trusted && m->sel_bank_valid && m->sel_bank == bank);
	if (page_ok && bank_ok)
		return LB_OK;
	int rc;
	if (!bank_ok) {
		/* Bank and page in one write: the module acts on BankSelect when PageSelect lands. */
		uint8_t sel[2] = { bank, page };
		rc = raw_write(m, CMIS_BANK_SELECT, sel, 2, true);
	} else {
		rc = raw_write(m, CMIS_PAGE_SELECT, &page, 1, true);
	}
	if (rc) {
		m->sel_page_valid = m->sel_bank_valid = false;
		return rc;
	}
	m->sel_generation = m->bus->generation;
	m->sel_page = page;
	m->sel_page_valid = true;
	if (!bank_ok) {
		m->sel_bank = bank;
		m->sel_bank_valid = true;
	} else if (!trusted) {
		m->sel_bank_valid = false;
	}
	return LB_OK;
}

/* Read one planned piece (never crossing 127/128). */
static int read_piece(struct lb_module *m, bool lower, uint8_t bank, uint8_t page, uint8_t offset,
		      uint8_t *buf, uint8_t len)
{
	if (lb_bus_is_paged(m->bus))
		return note_access(m, lb_bus_paged_read(m->bus, m->where.addr, lower ? 0 : bank,
							lower ? 0 : page, offset, buf, len));
	if (!lower) {
		int rc = select_page(m, bank, page);
		if (rc)
			return rc;
	}
	return raw_read(m, offset, buf, len);
}

static size_t effective_max_read(struct lb_module *m)
{
	size_t limit = m->adv.max_read ? m->adv.max_read : 8;
	size_t drv = lb_bus_max_transfer(m->bus);
	if (drv < limit)
		limit = drv;
	return limit ? limit : 1;
}

/* Bus held. Reads into r, following the plan. */
static int read_ranges_locked(struct lb_module *m, const struct lb_mem_range *r, unsigned n)
{
	struct lb_read_plan plan;
	struct lb_plan_start start = { .valid = sel_trusted(m) && m->sel_page_valid,
				       .bank = m->sel_bank, .page = m->sel_page };
	int rc = lb_read_plan_build(&plan, r, n, effective_max_read(m), &start);
	if (rc)
		return rc;
	uint8_t tmp[128];
	for (unsigned i = 0; i < plan.n && rc == LB_OK; i++) {
		const struct lb_plan_xfer *x = &plan.xfer[i];
		rc = read_piece(m, x->lower, x->bank, x->page, x->offset, tmp, x->len);
		if (rc)
			break;
		unsigned xs = x->offset, xe = xs + x->len;
		for (unsigned k = 0; k < n; k++) {
			bool same = x->lower ? true
					     : (r[k].page == x->page &&
						(!lb_cmis_page_is_banked(x->page) || r[k].bank == x->bank));
			unsigned rs = r[k].offset, re = rs + r[k].len;
			if (!same)
				continue;
			unsigned s = rs > xs ? rs : xs, e = re < xe ? re : xe;
			if (s < e)
				memcpy(r[k].buf + (s - rs), tmp + (s - xs), e - s);
		}
	}
	lb_read_plan_free(&plan);
	return rc;
}

/* Bus held. Learn what the access layer needs from lower memory and page 01h. */
static int probe_adv_locked(struct lb_module *m)
{
	if (m->adv.valid)
		return LB_OK;
	struct lb_module_adv a = { 0 };
	uint8_t low[3];
	struct lb_mem_range lr = { .offset = 0, .len = 3, .buf = low };
	m->adv.max_read = 8;
	int rc = read_ranges_locked(m, &lr, 1);
	if (rc)
		return rc;
	a.identifier = low[0];
	a.revision = low[1];
	/*
	 * Byte 2 means something else on SFF-8636/8472 modules: treat them as a lower page and
	 * page 00h only, so no CMIS page is ever selected on them.
	 */
	a.flat = (low[2] & 0x80) != 0 || !lb_cmis_identifier_is_cmis(low[0]);
	a.banks = 1;
	a.max_read = (a.revision >> 4) < 5 ? 128 : 8;
	if (!a.flat) {
		uint8_t b251 = 0;
		struct lb_mem_range fr = { .page = 0x01, .offset = 251, .len = 1, .buf = &b251 };
		if ((rc = read_ranges_locked(m, &fr, 1)))
			return rc;
		if ((b251 & 0x03) == 0x02)
			a.max_read = 128;
		else if ((b251 & 0x03) == 0x01)
			a.max_read = 8;
		m->adv.max_read = a.max_read;
		uint8_t adv[34];
		struct lb_mem_range ar = { .page = 0x01, .offset = 142, .len = 34, .buf = adv };
		if ((rc = read_ranges_locked(m, &ar, 1)))
			return rc;
		a.supported_pages = adv[0];
		a.timing_caps = adv[145 - 142];
		a.dur_dp = adv[144 - 142];
		a.tx_controls = adv[155 - 142];
		a.module_monitors = adv[159 - 142];
		a.lane_monitors = adv[160 - 142];
		a.dur_module = adv[167 - 142];
		a.dur_tx = adv[168 - 142];
		a.cdb_caps = adv[163 - 142];
		a.cdb_rw_ext = adv[164 - 142];
		a.nad_banks = adv[175 - 142];
		a.misc_features = b251;
		/* 01h:142 bits 1-0: 1, 2 or 4 banks; 11b (CMIS 5.4) defers to 01h:174 bits 4-0 + 1. */
		static const unsigned banks_of[3] = { 1, 2, 4 };
		unsigned code = a.supported_pages & 0x03u;
		a.banks = code < 3 ? banks_of[code] : (adv[174 - 142] & 0x1Fu) + 1u;
		if (a.banks > LB_MODULE_MAX_LANES / 8)
			a.banks = LB_MODULE_MAX_LANES / 8; /* what the API can address */
	}
	a.valid = true;
	m->adv = a;
	return LB_OK;
}

int lb_module_get_adv(struct lb_module *m, const struct lb_module_adv **out)
{
	int rc = lb_bus_lock(m->bus);
	if (rc)
		return rc;
	if ((rc = lb_bus_route(m->bus, &m->where)) == LB_OK)
		rc = probe_adv_locked(m);
	lb_bus_unlock(m->bus);
	if (rc == LB_OK && out)
		*out = &m->adv;
	return rc;
}

static int page_supported(const struct lb_module_adv *a, uint8_t bank, uint8_t page)
{
	if (a->flat)
		return page == 0 && bank == 0;
	if (lb_cmis_page_is_banked(page) && page < 0x9F && bank >= a->banks)
		return 0;
	uint8_t sp = a->supported_pages;
	switch (page) {
	case 0x00: case 0x01: case 0x02: case 0x10: case 0x11:
		return 1;
	case 0x03: return (sp >> 2) & 1;
	case 0x04: case 0x12: return (a->tx_controls >> 6) & 1;
	case 0x05: return (sp >> 3) & 1;
	case 0x13: case 0x14: return (sp >> 5) & 1;
	case 0x15: return (a->timing_caps >> 3) & 1;
	case 0x16: case 0x17: return (sp >> 7) & 1;
	case 0x1C: return bank < (a->nad_banks & 0x0F);
	case 0x1D: return (a->more_pages >> 7) & 1;
	default: break;
	}
	if (page >= 0x20 && page <= 0x2F)
		return (sp >> 6) & 1;
	if (page >= 0x30 && page <= 0x4F)
		return (sp >> 4) & 1;
	unsigned instances = (a->cdb_caps >> 6) & 3;
	if (page == 0x9F)
		return instances && bank < (instances == 2 ? 2u : 1u);
	if (page >= 0xA0 && page <= 0xAF) {
		static const unsigned epl_pages[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
		unsigned code = a->cdb_caps & 0x0F;
		unsigned pages = code < 8 ? epl_pages[code] : 0;
		return instances && (unsigned)(page - 0xA0) < pages && bank < (instances == 2 ? 2u : 1u);
	}
	if (page >= 0xB0)
		return 1; /* vendor pages: the module's own business; let the host look */
	return 0;
}

LB_API int lb_module_page_supported(struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (!m)
		return LB_E_INVAL;
	const struct lb_module_adv *a;
	int rc = lb_module_get_adv(m, &a);
	return rc ? rc : page_supported(a, bank, page);
}

LB_API int lb_module_read_ranges(struct lb_module *m, const struct lb_mem_range *r, unsigned n)
{
	if (!m || (n && !r))
		return LB_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		if (!r[i].buf || !r[i].len || (unsigned)r[i].offset + r[i].len > 256)
			return LB_E_INVAL;
	int rc = lb_bus_lock(m->bus);
	if (rc)
		return rc;
	if ((rc = lb_bus_route(m->bus, &m->where)) || (rc = probe_adv_locked(m)))
		goto out;
	for (unsigned i = 0; i < n; i++) {
		if ((unsigned)r[i].offset + r[i].len > 128 && !page_supported(&m->adv, r[i].bank, r[i].page)) {
			rc = LB_E_NOTSUP;
			goto out;
		}
	}
	rc = read_ranges_locked(m, r, n);
out:
	lb_bus_unlock(m->bus);
	return rc;
}

LB_API int lb_module_read(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			  uint8_t *buf, size_t len)
{
	if (!m || !buf || !len || offset + len > 256)
		return LB_E_INVAL;
	struct lb_mem_range r = { .bank = bank, .page = page, .offset = offset,
				  .len = (uint16_t)len, .buf = buf };
	return lb_module_read_ranges(m, &r, 1);
}

LB_API int lb_module_read_page(struct lb_module *m, uint8_t bank, uint8_t page, bool lower,
			       uint8_t buf[128])
{
	return lb_module_read(m, bank, page, lower ? 0 : 128, buf, 128);
}

/* Longest write the module takes at (page, offset): 8 bytes, more on CDB pages (01h:164). */
static size_t max_write_at(const struct lb_module *m, uint8_t page, bool lower)
{
	size_t n = 8;
	if (!lower && m->adv.valid) {
		unsigned i = m->adv.cdb_rw_ext;
		if (page == 0x9F)
			n = 8u * (1u + (i < 15 ? i : 15));
		else if (page >= 0xA0 && page <= 0xAF)
			n = 8u * (1u + i) > 128 ? 128 : 8u * (1u + i);
	}
	return n;
}

LB_API int lb_module_write(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			   const uint8_t *buf, size_t len)
{
	if (!m || !buf || !len || offset + len > 256)
		return LB_E_INVAL;
	int rc = lb_bus_lock(m->bus);
	if (rc)
		return rc;
	if ((rc = lb_bus_route(m->bus, &m->where)) || (rc = probe_adv_locked(m)))
		goto out;
	if (offset + len > 128 && !page_supported(&m->adv, bank, page)) {
		rc = LB_E_NOTSUP;
		goto out;
	}
	size_t drv = lb_bus_max_write(m->bus);
	for (size_t done = 0; done < len && rc == LB_OK;) {
		unsigned at = offset + (unsigned)done;
		bool lower = at < 128;
		size_t chunk = len - done;
		size_t limit = max_write_at(m, page, lower);
		if (!lb_bus_is_paged(m->bus) && drv > 1 && limit > drv - 1)
			limit = drv - 1; /* the offset byte shares the transfer */
		if (chunk > limit)
			chunk = limit;
		if (lower && at + chunk > 128)
			chunk = 128 - at;
		if (lb_bus_is_paged(m->bus)) {
			rc = note_access(m, lb_bus_paged_write(m->bus, m->where.addr, lower ? 0 : bank,
							       lower ? 0 : page, (uint8_t)at, buf + done,
							       chunk));
		} else {
			if (!lower && (rc = select_page(m, bank, page)))
				break;
			rc = raw_write(m, (uint8_t)at, buf + done, chunk, false);
			/* A write that lands on the select bytes makes our idea of them stale. */
			if (lower && at + chunk > CMIS_BANK_SELECT)
				m->sel_page_valid = m->sel_bank_valid = false;
		}
		done += chunk;
	}
out:
	lb_bus_unlock(m->bus);
	return rc;
}
