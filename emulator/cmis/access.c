/* SPDX-License-Identifier: MIT */
/*
 * The module's two-wire interface: byte address, sequential wrap, and each byte read or
 * written as the page handler table says (access class, hooks, write-length limit).
 */
#include <string.h>
#include "emulator/cmis/emu_page.h"
#include "emulator/i2c/emu_world.h"

bool emu_page_exists(const struct lb_emu_module *m, unsigned bank, uint8_t page)
{
	if (m->flat && page != 0)
		return false;
	/* Pages are allocated per bank as advertised (lane banks; CDB pages per instance). */
	return emu_mem_page(&m->mem, bank, page) != NULL;
}

/*
 * The transaction's wire time so far (START, address bytes, data, STOP: 9 clocks a byte, as
 * the segment charges it), so that what acts at the STOP (a CDB trigger) acts then.
 */
static void xfer_add(struct lb_emu_module *m, uint64_t clocks)
{
	m->xfer_clocks += clocks;
	uint32_t khz = m->segment ? m->segment->clock_khz : 0;
	m->xfer_end = m->t + (khz ? m->xfer_clocks * 1000000u / khz : 0);
}

int emu_module_xfer_begin(struct lb_emu_module *m)
{
	emu_module_sync(m);
	if (m->cdb_measure.done_at && m->cdb_measure.done_at <= m->t) {
		/* the host's first look at the module since a CDB command ended: time it left the
		 * result unseen with the bus free (not while its own transaction still ran) */
		uint64_t from = m->cdb_measure.done_at > m->xfer_end ? m->cdb_measure.done_at
								       : m->xfer_end;
		if (m->t > from)
			m->cdb_measure.idle_ns += m->t - from;
		m->cdb_measure.done_at = 0;
	}
	m->xfer_clocks = 0;
	xfer_add(m, 1 + 9 + 1); /* START, the address byte, STOP */
	if (!m->present || m->resetl || m->resetting || m->stuck_busy || m->t < m->hold_off_until)
		return LB_E_NACK;
	if (m->nack_count) {
		m->nack_count--;
		return LB_E_NACK;
	}
	emu_flags_refresh(m);
	return LB_OK;
}

static uint8_t next_addr(uint8_t a)
{
	if (a == 127)
		return 0;
	if (a == 255)
		return 128;
	return (uint8_t)(a + 1);
}

/*
 * CDB EPL auto paging (01h:163.4; reference/cmis.md 11.4): past byte 255 of an EPL page the
 * current address is byte 128 of the next one (PageSelect follows), from the last advertised
 * EPL page back to A0h, whether the access goes on or ends there. Returns the page the
 * address is on now (the same page: no auto paging there).
 */
static int epl_next_page(struct lb_emu_module *m, int page)
{
	if (page < 0xA0 || page > 0xAF)
		return page;
	static const unsigned pages[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	if (!p01 || !(p01[163 - 128] & 0x10) || (p01[163 - 128] & 0x0F) >= 8)
		return page;
	unsigned n = pages[p01[163 - 128] & 0x0F];
	int next = page + 1 < 0xA0 + (int)n ? page + 1 : 0xA0;
	m->cur_page = (uint8_t)next;
	m->mem.lower[127] = (uint8_t)next; /* PageSelect reads what is in force */
	return next;
}

static bool bank_broadcast(const struct lb_emu_module *m)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	return (m->mem.lower[26] & 0x80) && p01 && (p01[156 - 128] & 0x80);
}

/* The bytes of a half as the hooks see them: lower memory, or the page in bank. */
static struct emu_io half(struct lb_emu_module *m, int page, unsigned bank)
{
	struct emu_io io = { .page = page, .bank = page == EMU_LOWER ? 0 : bank };
	io.bytes = page == EMU_LOWER ? m->mem.lower : emu_mem_page(&m->mem, bank, (uint8_t)page);
	return io;
}

/* One byte of a write, by its class: RW stored, WO handed to the hook only, RO/COR ignored. */
static void write_byte(struct lb_emu_module *m, struct emu_page_slot *sl, const struct emu_io *io,
		       uint8_t a, uint8_t v)
{
	if (!io->bytes)
		return;
	switch ((enum emu_access)sl->access[a & 127u]) {
	case EMU_RW:
		io->bytes[a & 127u] = v;
		break;
	case EMU_WO:
		break;
	default:
		return; /* read-only, clear-on-read: writes are ignored */
	}
	if (sl->h->write)
		sl->h->write(m, sl->priv, io, a, v);
}

int emu_module_wire_write(struct lb_emu_module *m, const uint8_t *data, size_t len)
{
	if (len == 0)
		return LB_OK; /* quick write: address ACKed */
	xfer_add(m, 9u * len);
	uint8_t a = data[0];
	size_t ndata = len - 1;
	/* A write stays in its half (the address wraps 127 -> 0, 255 -> 128): one page. */
	int page = a < 128 ? EMU_LOWER : m->cur_page;
	struct emu_page_slot *sl = emu_pages_slot(m, page);
	unsigned max = sl->h->max_write ? sl->h->max_write(m, page) : 8;
	/* Longer than allowed: the module NACKs and the whole write is dropped. */
	if (ndata > max)
		return LB_E_NACK;
	bool all_banks = page != EMU_LOWER && emu_page_banked((uint8_t)page) && bank_broadcast(m);
	struct emu_io io = half(m, page, m->cur_bank);
	io.single = ndata == 1;
	for (size_t i = 0; i < ndata; i++) {
		if (all_banks) {
			for (unsigned b = 0; b < m->mem.nbanks; b++) {
				struct emu_io bio = half(m, page, b);
				bio.single = io.single;
				write_byte(m, sl, &bio, a, data[1 + i]);
			}
		} else {
			write_byte(m, sl, &io, a, data[1 + i]);
		}
		if (a == 255 && page != EMU_LOWER) {
			int next = epl_next_page(m, page);
			if (next != page) {
				page = next;
				io = half(m, page, m->cur_bank);
				io.single = false;
			}
		}
		a = next_addr(a);
	}
	m->addr = a;
	if (ndata) {
		if (sl->h->write_done)
			sl->h->write_done(m, sl->priv, &io);
		emu_module_eval(m); /* nothing runs while a reset the write started is under way */
	}
	return LB_OK;
}

int emu_module_wire_read(struct lb_emu_module *m, uint8_t *buf, size_t len)
{
	size_t n = len;
	int rc = LB_OK;
	xfer_add(m, 1 + 9 + 9u * len); /* repeated START, address, data */
	if (m->short_count && len) {
		/* Injected short transfer: the module stops after half the bytes; the bus reads 0xFF. */
		m->short_count--;
		n = len / 2;
		memset(buf + n, 0xff, len - n);
		rc = LB_E_SHORT;
	}
	uint8_t a = m->addr;
	if (n) {
		/* A read stays in its half too. */
		int page = a < 128 ? EMU_LOWER : m->cur_page;
		struct emu_page_slot *sl = emu_pages_slot(m, page);
		struct emu_io io = half(m, page, m->cur_bank);
		if (sl->h->before_read && io.bytes)
			sl->h->before_read(m, sl->priv, &io, a, n);
		for (size_t i = 0; i < n; i++) {
			uint8_t *p = io.bytes ? &io.bytes[a & 127u] : NULL;
			switch (p ? (enum emu_access)sl->access[a & 127u] : EMU_WO) {
			case EMU_WO:
				buf[i] = 0;
				break;
			case EMU_COR:
				buf[i] = *p;
				/* Cleared by the read; a condition that still holds latches again at once. */
				*p = sl->h->flag_level ? sl->h->flag_level(m, io.bank, a) : 0;
				break;
			default:
				buf[i] = *p;
				break;
			}
			if (a == 255 && page != EMU_LOWER) {
				int next = epl_next_page(m, page);
				if (next != page) {
					page = next;
					io = half(m, page, m->cur_bank);
				}
			}
			a = next_addr(a);
		}
	}
	m->addr = a;
	emu_flags_refresh(m);
	return rc;
}

static int lb_emu_module_i2c_write_unlocked(struct lb_emu_module *m, const uint8_t *data, size_t len)
{
	if (!m || (len && !data))
		return LB_E_INVAL;
	int rc = emu_module_xfer_begin(m);
	return rc ? rc : emu_module_wire_write(m, data, len);
}

LB_API int lb_emu_module_i2c_write(struct lb_emu_module *m, const uint8_t *data, size_t len)
{
	if (!m)
		return lb_emu_module_i2c_write_unlocked(m, data, len);
	emu_module_lock(m);
	int rc = lb_emu_module_i2c_write_unlocked(m, data, len);
	emu_module_unlock(m);
	return rc;
}

static int lb_emu_module_i2c_read_unlocked(struct lb_emu_module *m, uint8_t *buf, size_t len)
{
	if (!m || (len && !buf))
		return LB_E_INVAL;
	int rc = emu_module_xfer_begin(m);
	return rc ? rc : emu_module_wire_read(m, buf, len);
}

LB_API int lb_emu_module_i2c_read(struct lb_emu_module *m, uint8_t *buf, size_t len)
{
	if (!m)
		return lb_emu_module_i2c_read_unlocked(m, buf, len);
	emu_module_lock(m);
	int rc = lb_emu_module_i2c_read_unlocked(m, buf, len);
	emu_module_unlock(m);
	return rc;
}

/* ---- the module as a segment device ---- */

static int module_xfer_begin(void *dev, uint64_t now)
{
	(void)now; /* the module runs on its segment's clock, which is now */
	return emu_module_xfer_begin(dev);
}

static int module_write(void *dev, const uint8_t *data, size_t len)
{
	return emu_module_wire_write(dev, data, len);
}

static int module_read(void *dev, uint8_t *buf, size_t len)
{
	return emu_module_wire_read(dev, buf, len);
}

static uint64_t module_next_deadline(const void *dev)
{
	return emu_module_next_deadline(dev);
}

static void module_run_until(void *dev, uint64_t t)
{
	emu_module_run(dev, t);
}

static void module_release(void *dev)
{
	((struct lb_emu_module *)dev)->segment = NULL; /* the world still owns it */
}

const struct emu_dev_ops emu_module_ops = {
	.kind = "cmis-module",
	.xfer_begin = module_xfer_begin,
	.write = module_write,
	.read = module_read,
	.next_deadline = module_next_deadline,
	.run_until = module_run_until,
	.release = module_release,
};
