/* SPDX-License-Identifier: MIT */
/*
 * The module's two-wire interface: byte address, bank/page select, sequential wrap, access
 * rules (read-only, read-write, write-only, clear-on-read) and the write-length limit.
 */
#include <string.h>
#include "emulator/cmis/emu_module.h"

#define IN(o, a, b) ((o) >= (a) && (o) <= (b))

enum emu_access emu_access_class(int page, uint8_t o)
{
	if (page == EMU_LOWER) {
		if (IN(o, 8, 11))
			return EMU_COR;
		if (o == 26 || IN(o, 29, 36) || o == 126 || o == 127)
			return EMU_RW;
		if (IN(o, 118, 125))
			return EMU_WO; /* passwords */
		return EMU_RO;
	}
	switch (page) {
	case 0x03: /* user EEPROM */
		return EMU_RW;
	case 0x10:
		if (IN(o, 135, 136) || IN(o, 143, 144) || IN(o, 176, 179) || IN(o, 211, 212))
			return EMU_WO; /* EQ store, Apply* */
		if (o == 133 || IN(o, 140, 142) || IN(o, 174, 175) || IN(o, 209, 210) ||
		    IN(o, 233, 239))
			return EMU_RO; /* reserved */
		return EMU_RW;
	case 0x11:
		return IN(o, 134, 153) ? EMU_COR : EMU_RO;
	case 0x12:
		if (IN(o, 128, 167) || IN(o, 200, 217) || IN(o, 239, 246))
			return EMU_RW;
		return IN(o, 231, 238) ? EMU_COR : EMU_RO;
	case 0x13: /* diagnostics control */
	case 0x2D: /* VDM masks */
	case 0x30: case 0x31: case 0x32: case 0x38: /* C-CMIS thresholds, provisioning, masks */
	case 0x9F: /* CDB */
		return EMU_RW;
	case 0x2C: /* VDM flags */
	case 0x33: /* C-CMIS media lane flags */
		return EMU_COR;
	case 0x2F:
		return o == 144 ? EMU_RW : EMU_RO;
	default:
		if (page >= 0xA0) /* CDB EPL A0h-AFh, custom B0h-FFh */
			return EMU_RW;
		return EMU_RO;
	}
}

bool emu_page_exists(const struct lb_emu_module *m, unsigned bank, uint8_t page)
{
	if (m->flat && page != 0)
		return false;
	/* Pages are allocated per bank as advertised (lane banks; CDB pages per instance). */
	return emu_mem_page(&m->mem, bank, page) != NULL;
}

int emu_module_xfer_begin(struct lb_emu_module *m)
{
	emu_module_sync(m);
	if (!m->present || m->resetl || m->resetting || m->stuck_busy)
		return LB_E_NACK;
	if (m->nack_count) {
		m->nack_count--;
		return LB_E_NACK;
	}
	emu_flags_refresh(m);
	return LB_OK;
}

/* PageSelect written: map it, or (unsupported page/bank) clear PageSelect, keep BankSelect. */
static void select_page(struct lb_emu_module *m, uint8_t page)
{
	uint8_t bank = m->mem.lower[126];
	if (emu_page_exists(m, bank, page)) {
		m->cur_page = page;
		m->cur_bank = emu_page_banked(page) ? bank : 0;
		m->mem.lower[127] = page;
	} else {
		m->cur_page = 0;
		m->cur_bank = 0;
		m->mem.lower[127] = 0;
	}
}

static unsigned max_write_len(const struct lb_emu_module *m, uint8_t start)
{
	if (start < 128)
		return 8;
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	unsigned ext = p01 ? p01[164 - 128] : 0;
	if (m->cur_page == 0x9F)
		return 8u * (1u + (ext < 15 ? ext : 15u));
	if (m->cur_page >= 0xA0 && m->cur_page <= 0xAF) {
		unsigned n = 8u * (1u + ext);
		return n < 128 ? n : 128;
	}
	return 8;
}

static uint8_t next_addr(uint8_t a)
{
	if (a == 127)
		return 0;
	if (a == 255)
		return 128;
	return (uint8_t)(a + 1);
}

static bool bank_broadcast(const struct lb_emu_module *m)
{
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	return (m->mem.lower[26] & 0x80) && p01 && (p01[156 - 128] & 0x80);
}

static void write_upper(struct lb_emu_module *m, unsigned bank, uint8_t a, uint8_t v, bool single)
{
	uint8_t *p = emu_mem_page(&m->mem, bank, m->cur_page);
	if (!p)
		return;
	switch (emu_access_class(m->cur_page, a)) {
	case EMU_RW:
		p[a - 128] = v;
		break;
	case EMU_WO:
		/*
		 * Apply* bytes act only on a single-byte WRITE (CMIS 5.0+ requires that); in a
		 * longer write they are ignored. Only staged set 0 is modelled: ApplyDPInit on
		 * 10h:143. ApplyImmediate (hot reconfiguration) is not supported and ignored.
		 */
		if (m->cur_page == 0x10 && a == 143 && single && v)
			emu_dp_apply(m, bank, v);
		break;
	default:
		break; /* read-only, clear-on-read: writes are ignored */
	}
}

static void write_byte(struct lb_emu_module *m, uint8_t a, uint8_t v, bool single)
{
	if (a < 128) {
		switch (a) {
		case 126:
			m->mem.lower[126] = v; /* acted on when PageSelect is written */
			return;
		case 127:
			select_page(m, v);
			return;
		case 26:
			if (v & 0x08)
				m->reset_requested = true; /* SoftwareReset: self-clearing */
			m->mem.lower[26] = (uint8_t)(v & ~0x08u);
			return;
		default:
			if (emu_access_class(EMU_LOWER, a) == EMU_RW)
				m->mem.lower[a] = v;
			return;
		}
	}
	if (emu_page_banked(m->cur_page) && bank_broadcast(m)) {
		for (unsigned b = 0; b < m->mem.nbanks; b++)
			write_upper(m, b, a, v, single);
	} else {
		write_upper(m, m->cur_bank, a, v, single);
	}
}

int emu_module_wire_write(struct lb_emu_module *m, const uint8_t *data, size_t len)
{
	if (len == 0)
		return LB_OK; /* quick write: address ACKed */
	uint8_t a = data[0];
	size_t ndata = len - 1;
	/* Longer than allowed: the module NACKs and the whole write is dropped. */
	if (ndata > max_write_len(m, a))
		return LB_E_NACK;
	bool single = ndata == 1;
	for (size_t i = 0; i < ndata; i++) {
		write_byte(m, a, data[1 + i], single);
		a = next_addr(a);
	}
	m->addr = a;
	if (ndata) {
		if (m->reset_requested) {
			m->reset_requested = false;
			emu_module_begin_reset(m);
			return LB_OK;
		}
		emu_module_eval(m);
	}
	return LB_OK;
}

static uint8_t read_byte(struct lb_emu_module *m, uint8_t a)
{
	int page = a < 128 ? EMU_LOWER : m->cur_page;
	uint8_t *p = a < 128 ? &m->mem.lower[a] : NULL;
	if (!p) {
		uint8_t *pg = emu_mem_page(&m->mem, m->cur_bank, m->cur_page);
		if (!pg)
			return 0;
		p = &pg[a - 128];
	}
	switch (emu_access_class(page, a)) {
	case EMU_WO:
		return 0;
	case EMU_COR: {
		uint8_t v = *p;
		/* Cleared by the read; a condition that still holds latches again at once. */
		*p = emu_flag_level(m, m->cur_bank, page, a);
		return v;
	}
	default:
		return *p;
	}
}

int emu_module_wire_read(struct lb_emu_module *m, uint8_t *buf, size_t len)
{
	size_t n = len;
	int rc = LB_OK;
	if (m->short_count && len) {
		/* Injected short transfer: the module stops after half the bytes; the bus reads 0xFF. */
		m->short_count--;
		n = len / 2;
		memset(buf + n, 0xff, len - n);
		rc = LB_E_SHORT;
	}
	uint8_t a = m->addr;
	for (size_t i = 0; i < n; i++) {
		buf[i] = read_byte(m, a);
		a = next_addr(a);
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
