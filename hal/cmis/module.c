/* SPDX-License-Identifier: MIT */
/* Module object and its register access: routing, page cache, planned reads, bounded writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/module.h>
#include "hal/bus/bus_internal.h"
#include "hal/bus/claim.h"
#include "hal/cmis/access_plan.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/page_rules.h"
#include "hal/cmis/regs.h"
#include "hal/cmis/revision.h"
#include "hal/core/ctx_internal.h"

#define CMIS_DEFAULT_ADDR 0x50
#define CMIS_NACK_RETRY_NS 1000000u

LB_API int lb_module_open(struct lb_bus *bus, const struct lb_module_addr *where,
			  struct lb_module **out)
{
	if (!bus || !out)
		return LB_E_INVAL;
	if (where && (where->mux_channel > 7 || where->mux_channel < -1 || where->addr > 0x7F ||
		      (where->mux_channel >= 0 && where->mux_addr > 0x7F)))
		return LB_E_INVAL;
	/* A second hop needs a first, a channel, and an address of its own. */
	if (where && where->mux2_addr &&
	    (where->mux_channel < 0 || where->mux2_channel < 0 || where->mux2_channel > 7 ||
	     where->mux2_addr > 0x7F || where->mux2_addr == where->mux_addr))
		return LB_E_INVAL;
	struct lb_module *m = calloc(1, sizeof(*m));
	if (!m)
		return LB_E_NOMEM;
	m->bus = bus;
	m->claim_probe = (struct lb_bus_claim_probe)LB_BUS_CLAIM_PROBE_INIT;
	m->where = where ? *where : (struct lb_module_addr){ .addr = 0, .mux_channel = -1 };
	if (!m->where.addr)
		m->where.addr = CMIS_DEFAULT_ADDR;
	/* One spelling per route: the claims of modules are keyed by it. */
	if (m->where.mux_channel < 0)
		m->where.mux_addr = 0;
	if (!m->where.mux2_addr)
		m->where.mux2_channel = 0;
	/* One module, one page cache: every handle on this route shares it. */
	m->sh = lb_bus_route_data_get(bus, &m->where, sizeof(*m->sh));
	if (!m->sh) {
		free(m);
		return LB_E_NOMEM;
	}
	m->epoch_seen = __atomic_load_n(&m->sh->epoch, __ATOMIC_ACQUIRE);
	if (lb_flags_attach(m)) {
		lb_bus_route_data_put(bus, m->sh);
		free(m);
		return LB_E_NOMEM;
	}
	*out = m;
	return LB_OK;
}

LB_API void lb_module_close(struct lb_module *m)
{
	if (!m)
		return;
	lb_module_ext_detach(m);
	lb_bus_unclaim(m->bus, &m->where, m); /* a claim goes with its handle */
	lb_bus_claim_probe_close(&m->claim_probe);
	lb_flags_detach(m);
	lb_bus_route_data_put(m->bus, m->sh);
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

/* This handle's own caches: advertisement, decoded static data, extension. */
static void drop_handle_caches(struct lb_module *m)
{
	memset(&m->adv, 0, sizeof(m->adv));
	memset(&m->cache, 0, sizeof(m->cache));
	lb_module_ext_detach(m);
}

void lb_module_sync(struct lb_module *m)
{
	uint64_t e = __atomic_load_n(&m->sh->epoch, __ATOMIC_ACQUIRE);
	if (e != m->epoch_seen) {
		m->epoch_seen = e;
		drop_handle_caches(m);
	}
}

/* Forget the select bytes and tell every handle to drop its caches. */
static void forget_module(struct lb_module *m)
{
	pthread_mutex_lock(&m->bus->mutex);
	m->sh->sel_page_valid = m->sh->sel_bank_valid = false;
	pthread_mutex_unlock(&m->bus->mutex);
	m->epoch_seen = __atomic_add_fetch(&m->sh->epoch, 1, __ATOMIC_ACQ_REL);
	drop_handle_caches(m);
}

LB_API void lb_module_invalidate(struct lb_module *m)
{
	if (m)
		forget_module(m);
}

void lb_module_route_text(const struct lb_module *m, char *out, size_t len)
{
	const struct lb_module_addr *w = &m->where;
	int n = snprintf(out, len, "module 0x%02x", w->addr);
	if (w->mux_channel >= 0 && n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " behind mux 0x%02x channel %d", w->mux_addr,
			      w->mux_channel);
	if (w->mux_channel >= 0 && w->mux2_addr && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, ", mux 0x%02x channel %d", w->mux2_addr,
			 w->mux2_channel);
}

static bool sel_trusted(const struct lb_module *m)
{
	return m->sh->sel_generation == m->bus->generation;
}

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

/* ---- the detail of a failed call (lb_module_last_error) ---- */

void lb_module_call_begin(struct lb_module *m)
{
	if (m && m->call_depth++ == 0) {
		m->call_seq = lb_ctx_error_seq();
		m->xfer_rc = 0;
	}
}

int lb_module_call_end(struct lb_module *m, int rc, const char *fn)
{
	if (!m || !m->call_depth || --m->call_depth)
		return rc;
	if (rc >= 0 || rc == LB_E_AGAIN) {
		m->last_error[0] = '\0';
		return rc;
	}
	/* The thread's detail, when this call recorded one: a wait's reason, a claim, a driver's. */
	const char *said = lb_ctx_error_seq() != m->call_seq ? lb_ctx_last_error(lb_module_ctx(m)) : "";
	if (m->xfer_rc == rc && said[0])
		snprintf(m->last_error, sizeof(m->last_error), "%s: %s", m->xfer_error, said);
	else if (m->xfer_rc == rc)
		snprintf(m->last_error, sizeof(m->last_error), "%s", m->xfer_error);
	else if (said[0])
		snprintf(m->last_error, sizeof(m->last_error), "%s", said);
	else
		snprintf(m->last_error, sizeof(m->last_error), "%s: %s", fn, lb_strerror(rc));
	return rc;
}

LB_API const char *lb_module_last_error(const struct lb_module *m)
{
	return m ? m->last_error : "";
}

static void doing(struct lb_module *m, uint8_t what, uint8_t bank, uint8_t page, uint8_t offset,
		  uint16_t len)
{
	m->doing = (struct lb_module_doing){ .what = what, .bank = bank, .page = page,
					     .offset = offset, .len = len };
}

/* "page 11h bytes 134-201", "bank 1 page 10h byte 145", "lower memory bytes 8-25". */
static void doing_where(const struct lb_module *m, char *out, size_t len)
{
	const struct lb_module_doing *d = &m->doing;
	unsigned last = (unsigned)d->offset + (d->len ? d->len : 1u) - 1u;
	char range[32];
	if (d->len > 1)
		snprintf(range, sizeof(range), "bytes %u-%u", d->offset, last);
	else
		snprintf(range, sizeof(range), "byte %u", d->offset);
	if (d->offset < 128)
		snprintf(out, len, "lower memory %s", range);
	else if (lb_cmis_page_is_banked(d->page) && (d->bank || m->adv.banks > 1))
		snprintf(out, len, "bank %u page %02Xh %s", d->bank, d->page, range);
	else
		snprintf(out, len, "page %02Xh %s", d->page, range);
}

/* A transfer to the module failed with rc: what it was, for the call's detail. */
static void note_failure(struct lb_module *m, int rc)
{
	char who[96], what[80], where[64];
	lb_module_route_text(m, who, sizeof(who));
	const struct lb_module_doing *d = &m->doing;
	switch (d->what) {
	case LB_MODULE_DOING_READ:
	case LB_MODULE_DOING_WRITE:
		doing_where(m, where, sizeof(where));
		snprintf(what, sizeof(what), "%s %s",
			 d->what == LB_MODULE_DOING_READ ? "reading" : "writing", where);
		break;
	case LB_MODULE_DOING_SELECT:
		if (lb_cmis_page_is_banked(d->page) && (d->bank || m->adv.banks > 1))
			snprintf(what, sizeof(what), "selecting bank %u page %02Xh", d->bank, d->page);
		else
			snprintf(what, sizeof(what), "selecting page %02Xh", d->page);
		break;
	case LB_MODULE_DOING_CHECK:
		snprintf(what, sizeof(what), "reading PageSelect back");
		break;
	default:
		snprintf(what, sizeof(what), "writing the mux control bytes on its way");
		break;
	}
	const char *how = rc == LB_E_NACK    ? "NACK"
			  : rc == LB_E_SHORT ? "short transfer"
			  : rc == LB_E_NODEV ? "no device"
			  : rc == LB_E_BUSY  ? "busy (NACK while it holds off)"
					     : lb_strerror(rc);
	m->xfer_rc = rc;
	snprintf(m->xfer_error, sizeof(m->xfer_error), "%s at %s %s", how, who, what);
}

/* Route to the module through its muxes. */
static int route(struct lb_module *m)
{
	doing(m, LB_MODULE_DOING_ROUTE, 0, 0, 0, 0);
	int rc = lb_bus_route(m->bus, &m->where);
	if (rc)
		note_failure(m, rc);
	return rc;
}

/*
 * Until when the module may be holding off: tWRITE after our own last write to it (a NACK
 * then is retried here), or a busy time its caller declared (lb_module_expect_busy: returned
 * as LB_E_BUSY, the caller polls again on its own schedule). A NACK before then is "busy":
 * the bus counts it apart and keeps every cache, the other modules' page caches with them.
 */
static uint64_t busy_until(const struct lb_module *m)
{
	uint64_t w = m->sh->last_write_ns ? m->sh->last_write_ns + LB_CMIS_T_WRITE_NS : 0;
	return w > m->busy_until_ns ? w : m->busy_until_ns;
}

/* After a transfer: LB_E_AGAIN to retry it (after a short sleep), else its status. */
static int busy_outcome(struct lb_module *m, int rc, bool held_off)
{
	if (!held_off)
		return note_access(m, rc);
	if (m->busy_until_ns && lb_bus_now_ns(m->bus) < m->busy_until_ns)
		return note_access(m, LB_E_BUSY);
	lb_bus_sleep_ns(m->bus, CMIS_NACK_RETRY_NS);
	return LB_E_AGAIN;
}

/* One transfer to the module; a NACK while it may be holding off is busy (busy_until). */
static int module_xfer(struct lb_module *m, struct lb_i2c_msg *msgs, unsigned n, unsigned flags)
{
	int rc;
	do {
		bool held_off;
		rc = lb_bus_xfer(m->bus, msgs, n, flags, busy_until(m), &held_off);
		if (!held_off) {
			rc = note_access(m, rc);
			break;
		}
		rc = busy_outcome(m, rc, held_off);
	} while (rc == LB_E_AGAIN);
	if (rc)
		note_failure(m, rc);
	return rc;
}

/* The same for a paged driver (it selects the page itself). */
static int module_paged(struct lb_module *m, bool write, uint8_t bank, uint8_t page,
			uint8_t offset, uint8_t *rbuf, const uint8_t *wbuf, size_t len)
{
	doing(m, write ? LB_MODULE_DOING_WRITE : LB_MODULE_DOING_READ, bank, page, offset,
	      (uint16_t)len);
	int rc;
	do {
		bool held_off;
		rc = write ? lb_bus_paged_write(m->bus, m->where.addr, bank, page, offset, wbuf, len,
						busy_until(m), &held_off)
			   : lb_bus_paged_read(m->bus, m->where.addr, bank, page, offset, rbuf, len,
					       busy_until(m), &held_off);
		rc = busy_outcome(m, rc, held_off);
	} while (rc == LB_E_AGAIN);
	if (rc == LB_OK && write)
		m->sh->last_write_ns = lb_bus_now_ns(m->bus);
	if (rc)
		note_failure(m, rc);
	return rc;
}

LB_API void lb_module_expect_busy(struct lb_module *m, uint64_t until_ns)
{
	if (m)
		m->busy_until_ns = until_ns;
}

static int raw_read(struct lb_module *m, uint8_t offset, uint8_t *buf, uint8_t len)
{
	uint8_t off = offset;
	struct lb_i2c_msg msgs[2] = {
		{ .addr = m->where.addr, .flags = 0, .len = 1, .buf = &off },
		{ .addr = m->where.addr, .flags = LB_I2C_M_RD, .len = len, .buf = buf },
	};
	return module_xfer(m, msgs, 2, 0);
}

static int raw_write(struct lb_module *m, uint8_t offset, const uint8_t *buf, size_t len,
		     unsigned flags)
{
	uint8_t frame[1 + 2048];
	if (len + 1 > sizeof(frame))
		return LB_E_INVAL;
	frame[0] = offset;
	memcpy(frame + 1, buf, len);
	struct lb_i2c_msg msg = { .addr = m->where.addr, .flags = 0, .len = (uint16_t)(len + 1),
				  .buf = frame };
	int rc = module_xfer(m, &msg, 1, flags);
	if (rc == LB_OK)
		m->sh->last_write_ns = lb_bus_now_ns(m->bus);
	return rc;
}

/* Make (bank, page) the upper page in force, writing only the select bytes that differ. */
static int select_page(struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (lb_bus_is_paged(m->bus))
		return LB_OK;
	if (m->adv.valid && m->adv.flat)
		return page == 0 ? LB_OK : LB_E_NOTSUP;
	struct lb_module_shared *sh = m->sh;
	bool banked = lb_cmis_page_needs_bank(&m->adv, bank, page);
	bool trusted = sel_trusted(m);
	bool page_ok = trusted && sh->sel_page_valid && sh->sel_page == page;
	bool bank_ok = !banked || (trusted && sh->sel_bank_valid && sh->sel_bank == bank);
	if (page_ok && bank_ok)
		return LB_OK;
	int rc;
	doing(m, LB_MODULE_DOING_SELECT, bank, page, 0, 0);
	if (!bank_ok) {
		/* Bank and page in one write: the module acts on BankSelect when PageSelect lands. */
		uint8_t sel[2] = { bank, page };
		rc = raw_write(m, LB_CMIS_BANK_SELECT, sel, 2, LB_XFER_SELECT);
	} else {
		rc = raw_write(m, LB_CMIS_PAGE_SELECT, &page, 1, LB_XFER_SELECT);
	}
	if (rc) {
		sh->sel_page_valid = sh->sel_bank_valid = false;
		return rc;
	}
	sh->sel_generation = m->bus->generation;
	sh->sel_page = page;
	sh->sel_page_valid = true;
	sh->sel_written = true;
	/*
	 * A page its advertisement names one by one is taken as selected; any other is confirmed
	 * by reading PageSelect back (lb_cmis_page_certain). PageSelect written alone leaves the
	 * bank as it was, known or not.
	 */
	sh->page_checked = lb_cmis_page_certain(page);
	if (!bank_ok) {
		sh->sel_bank = bank;
		sh->sel_bank_valid = true;
		sh->bank_checked = true;
	} else if (!trusted) {
		sh->sel_bank_valid = false;
	}
	return LB_OK;
}

/*
 * The select bytes read back (bank, page when banked; page alone otherwise) do not show what
 * the access relies on: right after our own select write, the module refused the page;
 * otherwise the module was reset or replaced (it came back on page 00h) or someone else
 * selected another page. Either way nothing cached of it holds any more.
 */
static int select_mismatch(struct lb_module *m, bool banked, const uint8_t *sel, uint8_t bank,
			   uint8_t page)
{
	char who[96], seen[32];
	lb_module_route_text(m, who, sizeof(who));
	if (banked)
		snprintf(seen, sizeof(seen), "bank %u page %02Xh", sel[0], sel[1]);
	else
		snprintf(seen, sizeof(seen), "page %02Xh", sel[0]);
	/* Our own PageSelect not taken: the page is not there (a refused bank clears it too). */
	if (m->sh->sel_written && (banked ? sel[1] : sel[0]) != page) {
		m->sh->sel_page_valid = m->sh->sel_bank_valid = false;
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "%s: selecting bank %u page %02Xh left %s in force: the module does not have that page",
				    who, bank, page, seen);
	}
	forget_module(m);
	return lb_ctx_error(lb_module_ctx(m), LB_E_CHANGED,
			    "%s: PageSelect reads %s where bank %u page %02Xh was in force: the module was reset or replaced since the last access (or another host selected a page); what was known of it is dropped",
			    who, seen, bank, page);
}

/* Whether the select bytes read back show (bank, page): sel holds 126-127, or 127 alone. */
static int select_check(struct lb_module *m, bool banked, const uint8_t *sel, uint8_t bank,
			uint8_t page)
{
	bool ok = banked ? sel[0] == bank && sel[1] == page : sel[0] == page;
	if (!ok)
		return select_mismatch(m, banked, sel, bank, page);
	m->sh->page_checked = true;
	if (banked)
		m->sh->bank_checked = true;
	return LB_OK;
}

/* Read the select bytes back in a transaction of their own. */
static int select_read_back(struct lb_module *m, uint8_t bank, uint8_t page)
{
	bool banked = lb_cmis_page_needs_bank(&m->adv, bank, page);
	uint8_t sel[2];
	doing(m, LB_MODULE_DOING_CHECK, bank, page, 0, 0);
	int rc = raw_read(m, banked ? LB_CMIS_BANK_SELECT : LB_CMIS_PAGE_SELECT, sel, banked ? 2 : 1);
	return rc ? rc : select_check(m, banked, sel, bank, page);
}

/*
 * Whether an access to (bank, page) must read the select bytes back first: the first upper
 * access of a hold that relies on select bytes it did not write (and the first after selecting
 * a page no advertisement names). Nothing else runs on the bus during a hold, so once is enough.
 */
static bool select_unchecked(const struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (lb_bus_is_paged(m->bus) || (m->adv.valid && m->adv.flat))
		return false;
	return !m->sh->page_checked ||
	       (lb_cmis_page_needs_bank(&m->adv, bank, page) && !m->sh->bank_checked);
}

/*
 * CDB auto paging (01h:163.4): an access through byte 255 of an EPL page (A0h-AFh) leaves the
 * module on the next EPL page, and the last advertised one on A0h: the page in force follows,
 * so the next page's access needs no select. After a failed access there it is not known.
 */
static void epl_auto_paging(struct lb_module *m, uint8_t page, unsigned offset, size_t len, int rc)
{
	static const uint8_t epl_pages[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
	struct lb_module_shared *sh = m->sh;
	if (page < 0xA0 || page > 0xAF || !(m->adv.cdb_caps & 0x10) || (m->adv.cdb_caps & 0x0F) >= 8)
		return;
	if (rc) {
		sh->sel_page_valid = false;
		return;
	}
	if (offset + len < 256 || !sh->sel_page_valid || sh->sel_page != page)
		return;
	unsigned n = epl_pages[m->adv.cdb_caps & 0x0F];
	sh->sel_page = (uint8_t)(page + 1u < 0xA0u + n ? page + 1u : 0xA0u);
}

/* Read one planned piece (never crossing 127/128). */
static int read_piece(struct lb_module *m, bool lower, uint8_t bank, uint8_t page, uint8_t offset,
		      uint8_t *buf, uint8_t len)
{
	if (lb_bus_is_paged(m->bus))
		return module_paged(m, false, lower ? 0 : bank, lower ? 0 : page, offset, buf,
				    NULL, len);
	if (lower) {
		doing(m, LB_MODULE_DOING_READ, 0, 0, offset, len);
		return raw_read(m, offset, buf, len);
	}
	int rc = select_page(m, bank, page);
	if (rc)
		return rc;
	if (select_unchecked(m, bank, page) && !lb_bus_has_cap(m->bus, LB_BUS_CAP_COMBINED) &&
	    (rc = select_read_back(m, bank, page)))
		return rc;
	doing(m, LB_MODULE_DOING_READ, bank, page, offset, len);
	if (!select_unchecked(m, bank, page)) {
		rc = raw_read(m, offset, buf, len);
		epl_auto_paging(m, page, offset, len, rc);
		return rc;
	}
	/* The select bytes, then the data, in one transaction: what was read is kept only if they match. */
	bool banked = lb_cmis_page_needs_bank(&m->adv, bank, page);
	uint8_t sel_off = banked ? LB_CMIS_BANK_SELECT : LB_CMIS_PAGE_SELECT, off = offset;
	uint8_t sel[2];
	struct lb_i2c_msg msgs[4] = {
		{ .addr = m->where.addr, .flags = 0, .len = 1, .buf = &sel_off },
		{ .addr = m->where.addr, .flags = LB_I2C_M_RD, .len = banked ? 2 : 1, .buf = sel },
		{ .addr = m->where.addr, .flags = 0, .len = 1, .buf = &off },
		{ .addr = m->where.addr, .flags = LB_I2C_M_RD, .len = len, .buf = buf },
	};
	if ((rc = module_xfer(m, msgs, 4, 0))) {
		epl_auto_paging(m, page, offset, len, rc);
		return rc;
	}
	rc = select_check(m, banked, sel, bank, page);
	epl_auto_paging(m, page, offset, len, rc);
	return rc;
}

static size_t effective_max_read(struct lb_module *m)
{
	size_t limit = lb_cmis_max_read(&m->adv);
	size_t drv = lb_bus_max_transfer(m->bus);
	if (drv < limit)
		limit = drv;
	return limit ? limit : 1;
}

/* Bus held. Reads into r, following the plan. */
static int read_ranges_locked(struct lb_module *m, const struct lb_mem_range *r, unsigned n)
{
	struct lb_read_plan plan;
	struct lb_plan_start start = { .valid = sel_trusted(m) && m->sh->sel_page_valid,
				       .bank = m->sh->sel_bank, .page = m->sh->sel_page };
	int rc = lb_read_plan_build(&plan, r, n, effective_max_read(m), &start);
	if (rc)
		return rc;
	uint8_t tmp[128];
	for (unsigned i = 0; i < plan.n && rc == LB_OK; i++) {
		const struct lb_plan_xfer *x = &plan.xfer[i];
		rc = read_piece(m, x->lower, x->bank, x->page, x->offset, tmp, x->len);
		if (rc)
			break;
		/* Clear-on-read flags among the bytes: kept for every consumer, whoever asked. */
		lb_flags_note(m->sh->flags, x->lower, x->bank, x->page, x->offset, tmp, x->len);
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

/*
 * Take the bus for a sequence on the module: refused with LB_E_BUSY while another handle,
 * thread or process holds the module's claim (the holder's own calls go through).
 */
static int module_lock(struct lb_module *m)
{
	int rc = lb_bus_lock(m->bus);
	if (rc)
		return rc;
	/* A new hold: whatever happened on the bus since, the select bytes are checked again. */
	if (m->bus->lock_depth == 1)
		m->sh->page_checked = m->sh->bank_checked = m->sh->sel_written = false;
	/* Nothing claimed in this process and no other process to ask: nothing to check. */
	if (!__atomic_load_n(&m->bus->claims_held, __ATOMIC_ACQUIRE) && m->bus->lock_fd < 0)
		return LB_OK;
	if ((rc = lb_bus_claim_check(m->bus, &m->where, m, &m->claim_probe)))
		lb_bus_unlock(m->bus);
	return rc;
}

static uint8_t page_sum(const uint8_t *buf, unsigned first, unsigned last)
{
	unsigned sum = 0;
	for (unsigned i = first; i <= last; i++)
		sum += buf[i - 128];
	return (uint8_t)sum;
}

/* Bus held, module routed. lb_module_read_checked. */
static int read_checked_locked(struct lb_module *m, uint8_t page, unsigned sum_first,
			       unsigned last, uint8_t *buf)
{
	uint8_t again[128];
	struct lb_mem_range r = { .page = page, .offset = 128, .len = (uint16_t)(last - 127u),
				  .buf = buf };
	int rc = read_ranges_locked(m, &r, 1);
	if (rc || page_sum(buf, sum_first, last - 1u) == buf[last - 128u])
		return rc;
	r.buf = again;
	if ((rc = read_ranges_locked(m, &r, 1)))
		return rc;
	bool same = memcmp(buf, again, r.len) == 0;
	if (same || page_sum(again, sum_first, last - 1u) == again[last - 128u]) {
		memcpy(buf, again, r.len);
		return LB_OK;
	}
	char who[96];
	lb_module_route_text(m, who, sizeof(who));
	return lb_ctx_error(lb_module_ctx(m), LB_E_CHECKSUM,
			    "%s: page %02Xh read twice, two different contents, neither matching its checksum (byte %u)",
			    who, page, last);
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
	a.max_read = lb_cmis_full_page_reads(a.revision, 0) ? 128 : 8;
	a.coherent_known = true; /* flat memory: no C-CMIS pages */
	if (!a.flat) {
		uint8_t b251 = 0;
		struct lb_mem_range fr = { .page = 0x01, .offset = 251, .len = 1, .buf = &b251 };
		if ((rc = read_ranges_locked(m, &fr, 1)))
			return rc;
		a.max_read = lb_cmis_full_page_reads(a.revision, b251) ? 128 : 8;
		m->adv.max_read = a.max_read;
		/* The whole page, so that its checksum stands behind every byte used from it. */
		if ((rc = read_checked_locked(m, 0x01, 130, 255, a.p01)))
			return rc;
		const uint8_t *adv = &a.p01[142 - 128];
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
		/* 251 as the checked page has it (the single read before it may have been corrupted) */
		a.misc_features = a.p01[251 - 128];
		a.more_pages = a.p01[252 - 128];
		a.max_read = lb_cmis_full_page_reads(a.revision, a.misc_features) ? 128 : 8;
		a.banks = lb_cmis_lane_banks_of(a.supported_pages, adv[174 - 142], a.revision);
		/* Page 01h decides coherence unless the media interfaces must (coherence.c). */
		a.coherent_known = lb_cmis_rev_has(a.revision, LB_CMIS_RULE_COHERENT_BIT) ||
				   !(a.tx_controls & LB_CMIS_P01_TX_CTRL_TUNABLE);
		if (a.coherent_known) {
			uint8_t low_rev[128] = { [LB_CMIS_LOW_REV] = a.revision };
			a.coherent = lb_cmis_coherent(a.revision, low_rev, a.p01);
		}
		if (a.banks > LB_MODULE_MAX_LANES / 8)
			a.banks = LB_MODULE_MAX_LANES / 8; /* what the API can address */
	}
	a.valid = true;
	m->adv = a;
	return LB_OK;
}

/*
 * Bus held, module probed. Whether the module has upper page (bank, page): the advertisement,
 * after deciding coherence for a C-CMIS page (30h-4Fh) when page 01h alone cannot (a tunable
 * module before CMIS 5.3: one read of lower 85-117, its media interface IDs, once per
 * insertion).
 */
static int page_advertised_locked(struct lb_module *m, uint8_t bank, uint8_t page, bool *yes)
{
	struct lb_module_adv *a = &m->adv;
	if (page >= 0x30 && page <= 0x4F && !a->coherent_known) {
		uint8_t low[128] = { [LB_CMIS_LOW_REV] = a->revision };
		struct lb_mem_range r = { .offset = LB_CMIS_LOW_MEDIA_TYPE,
					  .len = LB_CMIS_LOW_APP_LAST - LB_CMIS_LOW_MEDIA_TYPE + 1,
					  .buf = &low[LB_CMIS_LOW_MEDIA_TYPE] };
		int rc = read_ranges_locked(m, &r, 1);
		if (rc)
			return rc;
		a->coherent = lb_cmis_coherent(a->revision, low, a->p01);
		a->coherent_known = true;
	}
	*yes = lb_cmis_page_advertised(a, bank, page) != 0;
	return LB_OK;
}

int lb_module_read_checked(struct lb_module *m, uint8_t page, unsigned sum_first, unsigned last,
			   uint8_t buf[128])
{
	if (last < sum_first || last > 255 || sum_first < 128)
		return LB_E_INVAL;
	lb_module_sync(m);
	int rc = module_lock(m);
	if (rc)
		return rc;
	bool yes = false;
	if ((rc = route(m)) == LB_OK && (rc = probe_adv_locked(m)) == LB_OK &&
	    (rc = page_advertised_locked(m, 0, page, &yes)) == LB_OK)
		rc = yes ? read_checked_locked(m, page, sum_first, last, buf) : LB_E_NOTSUP;
	lb_bus_unlock(m->bus);
	return rc;
}

int lb_module_get_adv(struct lb_module *m, const struct lb_module_adv **out)
{
	lb_module_sync(m);
	int rc = module_lock(m);
	if (rc)
		return rc;
	if ((rc = route(m)) == LB_OK)
		rc = probe_adv_locked(m);
	lb_bus_unlock(m->bus);
	if (rc == LB_OK && out)
		*out = &m->adv;
	return rc;
}

static int module_page_supported(struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (!m)
		return LB_E_INVAL;
	lb_module_sync(m);
	int rc = module_lock(m);
	if (rc)
		return rc;
	bool yes = false;
	if ((rc = route(m)) == LB_OK && (rc = probe_adv_locked(m)) == LB_OK)
		rc = page_advertised_locked(m, bank, page, &yes);
	lb_bus_unlock(m->bus);
	return rc ? rc : yes;
}

LB_API int lb_module_page_supported(struct lb_module *m, uint8_t bank, uint8_t page)
{
	return LB_MODULE_CALL(m, module_page_supported(m, bank, page));
}

/* Whether a range's upper part lies on a page the module advertises (LB_E_NOTSUP: not). */
static int range_advertised_locked(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
				   uint16_t len)
{
	bool yes = true;
	int rc = (unsigned)offset + len > 128 ? page_advertised_locked(m, bank, page, &yes) : LB_OK;
	return rc ? rc : yes ? LB_OK : LB_E_NOTSUP;
}

static int module_read_ranges(struct lb_module *m, const struct lb_mem_range *r, unsigned n)
{
	if (!m || (n && !r))
		return LB_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		if (!r[i].buf || !r[i].len || (unsigned)r[i].offset + r[i].len > 256)
			return LB_E_INVAL;
	lb_module_sync(m);
	int rc = module_lock(m);
	if (rc)
		return rc;
	if ((rc = route(m)) || (rc = probe_adv_locked(m)))
		goto out;
	for (unsigned i = 0; i < n; i++)
		if ((rc = range_advertised_locked(m, r[i].bank, r[i].page, r[i].offset, r[i].len)))
			goto out;
	rc = read_ranges_locked(m, r, n);
out:
	lb_bus_unlock(m->bus);
	return rc;
}

LB_API int lb_module_read_ranges(struct lb_module *m, const struct lb_mem_range *r, unsigned n)
{
	return LB_MODULE_CALL(m, module_read_ranges(m, r, n));
}

static int module_read(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
		       uint8_t *buf, size_t len)
{
	if (!m || !buf || !len || offset + len > 256)
		return LB_E_INVAL;
	struct lb_mem_range r = { .bank = bank, .page = page, .offset = offset,
				  .len = (uint16_t)len, .buf = buf };
	return lb_module_read_ranges(m, &r, 1);
}

LB_API int lb_module_read(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			  uint8_t *buf, size_t len)
{
	return LB_MODULE_CALL(m, module_read(m, bank, page, offset, buf, len));
}

static int module_read_page(struct lb_module *m, uint8_t bank, uint8_t page, bool lower,
			    uint8_t buf[128])
{
	return lb_module_read(m, bank, page, lower ? 0 : 128, buf, 128);
}

LB_API int lb_module_read_page(struct lb_module *m, uint8_t bank, uint8_t page, bool lower,
			       uint8_t buf[128])
{
	return LB_MODULE_CALL(m, module_read_page(m, bank, page, lower, buf));
}

/* Bus held, module routed and probed. One planned write. */
static int write_xfer_locked(struct lb_module *m, const struct lb_write_xfer *x)
{
	if (lb_bus_is_paged(m->bus))
		return module_paged(m, true, x->bank, x->page, x->offset, NULL, x->src, x->len);
	int rc;
	if (!x->lower && (rc = select_page(m, x->bank, x->page)))
		return rc;
	/* Never a write into a page we are not sure is in force: read it back first. */
	if (!x->lower && select_unchecked(m, x->bank, x->page) &&
	    (rc = select_read_back(m, x->bank, x->page)))
		return rc;
	doing(m, LB_MODULE_DOING_WRITE, x->bank, x->page, x->offset, x->len);
	rc = raw_write(m, x->offset, x->src, x->len, 0);
	if (!x->lower)
		epl_auto_paging(m, x->page, x->offset, x->len, rc);
	/* A write that lands on the select bytes makes our idea of them stale. */
	if (x->lower && x->offset + x->len > LB_CMIS_BANK_SELECT)
		m->sh->sel_page_valid = m->sh->sel_bank_valid = false;
	return rc;
}

static int module_write_plan(struct lb_module *m, const struct lb_mem_write *w, unsigned n,
			     unsigned flags)
{
	if (!m || (n && !w) || (flags & ~(unsigned)LB_WRITE_WHOLE_IF_FITS))
		return LB_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		if (!w[i].buf || !w[i].len || (unsigned)w[i].offset + w[i].len > 256 ||
		    w[i].head_last > w[i].len)
			return LB_E_INVAL;
	lb_module_sync(m);
	int rc = module_lock(m);
	if (rc)
		return rc;
	if ((rc = route(m)) || (rc = probe_adv_locked(m)))
		goto out;
	for (unsigned i = 0; i < n; i++)
		if ((rc = range_advertised_locked(m, w[i].bank, w[i].page, w[i].offset, w[i].len)))
			goto out;
	/* The offset byte shares a raw transfer with the data; a paged driver takes data alone. */
	size_t drv = lb_bus_max_write(m->bus);
	size_t drv_max = !lb_bus_is_paged(m->bus) && drv > 1 ? drv - 1 : 0;
	struct lb_write_plan plan;
	if ((rc = lb_write_plan_build(&plan, w, n, flags, &m->adv, drv_max)))
		goto out;
	for (unsigned i = 0; i < plan.n && rc == LB_OK; i++)
		rc = write_xfer_locked(m, &plan.xfer[i]);
	lb_write_plan_free(&plan);
out:
	lb_bus_unlock(m->bus);
	return rc;
}

LB_API int lb_module_write_plan(struct lb_module *m, const struct lb_mem_write *w, unsigned n,
				unsigned flags)
{
	return LB_MODULE_CALL(m, module_write_plan(m, w, n, flags));
}

static int module_write(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			const uint8_t *buf, size_t len)
{
	if (!m || !buf || !len || offset + len > 256)
		return LB_E_INVAL;
	struct lb_mem_write w = { .bank = bank, .page = page, .offset = offset,
				  .len = (uint16_t)len, .buf = buf };
	return lb_module_write_plan(m, &w, 1, 0);
}

LB_API int lb_module_write(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			   const uint8_t *buf, size_t len)
{
	return LB_MODULE_CALL(m, module_write(m, bank, page, offset, buf, len));
}
