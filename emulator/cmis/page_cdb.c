/* SPDX-License-Identifier: MIT */
/*
 * CDB pages: the command and reply page 9Fh and the EPL pages A0h-AFh, read-write, with the
 * longer writes 01h:164 advertises; and the command engine behind them. A command starts at
 * the end of the write that triggers it, as 01h:165.7 says (a write ending with byte 129, or
 * any write including it); the module then holds off the bus (NACKs every access) until it
 * has captured the command, and in foreground mode (01h:163.5 = 0) until it is done. CdbStatus
 * (lower byte 37) goes captured, executing, then the result; the reply is in 134-255 and the
 * CDB-complete flag (lower 8 bit 6) latches. What the commands do is cdb_cmds.c.
 */
#include <string.h>
#include "emulator/cmis/emu_cdb.h"
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define MS 1000000ull

/*
 * 9Fh: 8 * (1 + min(01h:164, 15)) bytes; A0h-AFh: 8 * (1 + 01h:164), at most a page, or with
 * auto paging (01h:163.4) on from page to page, up to 2048 bytes.
 */
static unsigned cdb_max_write(const struct lb_emu_module *m, int page)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	unsigned ext = p01 ? p01[P(164)] : 0;
	if (page == 0x9F)
		return 8u * (1u + (ext < 15 ? ext : 15u));
	unsigned n = 8u * (1u + ext);
	bool auto_paging = p01 && (p01[P(163)] & 0x10);
	return n < 128 || auto_paging ? n : 128;
}

static bool background_mode(const struct lb_emu_module *m)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	return p01 && (p01[P(163)] & 0x20);
}

static bool trigger_any_write(const struct lb_emu_module *m)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	return p01 && (p01[P(165)] & 0x80);
}

/* The handler's state is made at the first power-on; a module made from a profile or an
 * image has had none yet when the host first writes a command. */
static struct emu_cdb *ready(struct lb_emu_module *m, void *priv)
{
	struct emu_cdb *c = priv;
	if (!c->fw_known)
		emu_cdb_power_on(m, c);
	return c;
}

static void cdb_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value)
{
	(void)value;
	struct emu_cdb *c = ready(m, priv);
	if (io->page != 0x9F || io->bank != 0)
		return; /* EPL data, or instance 2 (not modelled): stored, nothing to do */
	if (!c->in_write) {
		c->in_write = true;
		c->write_first = addr;
	}
	c->write_last = addr;
}

static void set_status(struct lb_emu_module *m, uint8_t s)
{
	m->mem.lower[EMU_CDB_STATUS] = s;
}

static void cdb_write_done(struct lb_emu_module *m, void *priv, const struct emu_io *io)
{
	struct emu_cdb *c = ready(m, priv);
	if (io->page != 0x9F || !c->in_write)
		return;
	c->in_write = false;
	/* Bytes first..last were written (a write never wraps past 255 into a trigger). */
	bool includes_129 = c->write_first <= 129 && c->write_last >= 129;
	bool trigger = trigger_any_write(m) ? includes_129 : c->write_last == 129;
	if (!trigger)
		return;
	uint8_t *p9f = io->bytes;
	uint16_t id = (uint16_t)(p9f[P(128)] << 8 | p9f[P(129)]);
	if (c->phase != EMU_CDB_IDLE) {
		/* Busy: only Abort is taken; anything else is dropped, as the spec leaves it. */
		if (id == EMU_CDB_ABORT && c->phase == EMU_CDB_EXECUTING && background_mode(m))
			emu_cdb_abort(m, c);
		return;
	}
	memcpy(c->block, p9f, sizeof(c->block));
	c->phase = EMU_CDB_CAPTURED;
	/* processing starts at the STOP of the write (the model acts at its start) */
	c->started = m->xfer_end > m->t ? m->xfer_end : m->t;
	c->due = c->started + c->capture_ns;
	set_status(m, 0x81);
	m->hold_off_until = background_mode(m) ? c->due : UINT64_MAX;
}

static uint64_t cdb_next_deadline(const struct lb_emu_module *m, const void *priv)
{
	(void)m;
	const struct emu_cdb *c = priv;
	uint64_t d = c->phase == EMU_CDB_IDLE ? UINT64_MAX : c->due;
	return c->run_at && c->run_at < d ? c->run_at : d;
}

static void cdb_run(struct lb_emu_module *m, void *priv)
{
	struct emu_cdb *c = priv;
	if (c->run_at && m->t >= c->run_at) {
		/* Run (0109h): the module resets into the image it chose */
		c->run_at = 0;
		emu_module_begin_reset(m);
		return;
	}
	if (c->phase == EMU_CDB_CAPTURED) {
		bool stuck = c->stuck != 0;
		/* Checked and accepted: what the command takes from here is its own business. */
		c->phase = EMU_CDB_EXECUTING;
		set_status(m, 0x83);
		if (c->stuck)
			c->stuck--;
		c->due = stuck ? UINT64_MAX /* injected: never completes */
			       : m->t + emu_cdb_begin(m, c);
		m->hold_off_until = background_mode(m) ? 0 : c->due;
		return;
	}
	if (c->phase == EMU_CDB_EXECUTING) {
		uint8_t status = emu_cdb_finish(m, c);
		c->phase = EMU_CDB_IDLE;
		set_status(m, status);
		m->hold_off_until = 0;
		m->mem.lower[8] |= 0x40; /* L-CDB block 1 complete */
		emu_cdb_measure_done(m, c);
		emu_pins_changed(m);
	}
}

void emu_cdb_measure_done(struct lb_emu_module *m, const struct emu_cdb *c)
{
	struct emu_cdb_measure *x = &m->cdb_measure;
	x->commands++;
	x->busy_ns += m->t - c->started;
	x->done_at = m->t ? m->t : 1;
}

LB_API int lb_emu_module_get_cdb_stats(const struct lb_emu_module *m, struct lb_emu_cdb_stats *out)
{
	if (!m || !out || out->size < LB_EMU_CDB_STATS_SIZE_V1)
		return LB_E_INVAL;
	struct lb_emu_module *mm = (struct lb_emu_module *)m; /* the lock is the world's */
	emu_module_lock(mm);
	struct lb_emu_cdb_stats s = { .size = sizeof(s), .commands = m->cdb_measure.commands,
				       .busy_ns = m->cdb_measure.busy_ns,
				       .idle_ns = m->cdb_measure.idle_ns };
	emu_module_unlock(mm);
	size_t n = out->size < sizeof(s) ? out->size : sizeof(s);
	memcpy(out, &s, n);
	out->size = n;
	return LB_OK;
}

LB_API void lb_emu_module_reset_cdb_stats(struct lb_emu_module *m)
{
	if (!m)
		return;
	emu_module_lock(m);
	m->cdb_measure = (struct emu_cdb_measure){ 0 };
	emu_module_unlock(m);
}

static void cdb_power_on(struct lb_emu_module *m, void *priv)
{
	struct emu_cdb *c = priv;
	emu_cdb_power_on(m, c);
}

struct emu_cdb *emu_cdb_of(struct lb_emu_module *m)
{
	struct emu_page_slot *sl = emu_pages_slot(m, 0x9F);
	return sl->h == &emu_page_cdb ? sl->priv : NULL;
}

int emu_cdb_inject(struct lb_emu_module *m, enum lb_emu_fault fault, unsigned count)
{
	struct emu_cdb *c = emu_cdb_of(m);
	if (!c || !emu_page_exists(m, 0, 0x9F))
		return LB_E_NOTSUP;
	c = ready(m, c);
	if (fault == LB_EMU_FAULT_CDB_STUCK)
		c->stuck = count;
	else if (fault == LB_EMU_FAULT_CDB_BAD_REPLY)
		c->bad_reply = count;
	else
		c->slow = count;
	return LB_OK;
}

static void cdb_release(void *priv)
{
	emu_fw_release(priv);
}

const struct emu_page_handler emu_page_cdb = {
	.name = "cdb",
	.first_page = 0x9F,
	.last_page = 0xAF,
	.access = EMU_RW,
	.priv_size = sizeof(struct emu_cdb),
	.max_write = cdb_max_write,
	.write = cdb_write,
	.write_done = cdb_write_done,
	.next_deadline = cdb_next_deadline,
	.run = cdb_run,
	.power_on = cdb_power_on,
	.release = cdb_release,
};
