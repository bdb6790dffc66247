/* SPDX-License-Identifier: MIT */
/*
 * What the emulated module's CDB commands do (CMIS 5.4 section 9; reference/cmis.md 11.7):
 * Query status (0000h), Enter password (0001h), Abort (0004h), module features (0040h),
 * firmware management features (0041h) and firmware info (0100h); the firmware commands
 * 0101h-010Ah are cdb_fw.c. Every command's block is
 * checked first: CdbChkCode (45h), LPL and EPL lengths (42h), the command ID (41h).
 */
#include <string.h>
#include "emulator/cmis/emu_cdb.h"
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define MS 1000000ull

enum {
	CDB_OK = 0x01,
	CDB_ABORTED = 0x03,
	CDB_FAIL_UNKNOWN_CMD = 0x41,
	CDB_FAIL_PARAM = 0x42,
	CDB_FAIL_CHKCODE = 0x45,
	CDB_FAIL_PASSWORD = 0x46,
};

/* The commands the model answers, for 0040h's bitmap. */
static const uint16_t supported[] = { 0x0000, 0x0001, 0x0004, 0x0040, 0x0041, 0x0100 };

static uint16_t u16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void put16(uint8_t *b, unsigned v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint8_t block_check(const uint8_t *blk)
{
	unsigned lpl = blk[P(132)], sum = 0;
	for (unsigned i = 0; i < 8 + lpl && i < 128; i++)
		if (i < 5 || i > 7)
			sum += blk[i];
	return (uint8_t)~sum;
}

unsigned emu_cdb_epl_bytes(const struct lb_emu_module *m)
{
	static const unsigned pages[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	unsigned code = p01 ? p01[P(163)] & 0x0Fu : 0;
	return (code < 8 ? pages[code] : 0) * 128u;
}

static uint64_t command_ns(struct lb_emu_module *m, struct emu_cdb *c)
{
	uint16_t id = u16(&c->block[P(128)]);
	if (id == 0x0000) {
		/* ResponseDelay: the module takes that long on purpose */
		uint64_t delay = (uint64_t)u16(&c->block[P(136)]) * MS;
		return delay > c->query_ns ? delay : c->query_ns;
	}
	if (id >= 0x0100 && id != 0x0100)
		return emu_fw_command_ns(m, c, id);
	return c->query_ns;
}

uint64_t emu_cdb_begin(struct lb_emu_module *m, struct emu_cdb *c)
{
	uint64_t ns = command_ns(m, c);
	if (c->slow) {
		/* injected: past the longest time the module advertises for any command */
		c->slow--;
		ns += EMU_CDB_SLOW_MS * MS;
	}
	return ns;
}

/* Write an LPL reply of n bytes (RPLLength, RPLChkCode, data) into 9Fh. */
void emu_cdb_reply(struct lb_emu_module *m, const uint8_t *data, unsigned n)
{
	uint8_t *p9f = emu_mem_page(&m->mem, 0, 0x9F);
	if (!p9f)
		return;
	unsigned sum = 0;
	for (unsigned i = 0; i < n; i++)
		sum += data[i];
	p9f[P(134)] = (uint8_t)n;
	p9f[P(135)] = n ? (uint8_t)~sum : 0;
	struct emu_cdb *c = emu_cdb_of(m);
	if (n && c && c->bad_reply) {
		c->bad_reply--;
		p9f[P(135)] ^= 0x5A; /* injected: the module's own check code is wrong */
	}
	if (n)
		memcpy(&p9f[P(136)], data, n);
}

static uint8_t cmd_features(struct lb_emu_module *m, struct emu_cdb *c)
{
	uint8_t r[36] = { 0 };
	for (size_t i = 0; i < sizeof(supported) / sizeof(supported[0]); i++)
		if (supported[i] < 0x100)
			r[2 + supported[i] / 8] |= (uint8_t)(1u << (supported[i] % 8));
	put16(&r[34], (unsigned)(c->query_ns / MS));
	emu_cdb_reply(m, r, sizeof(r));
	return CDB_OK;
}

static uint8_t cmd_fw_features(struct lb_emu_module *m, struct emu_cdb *c)
{
	(void)c;
	uint8_t r[18] = { 0 };
	struct emu_cdb_model x = emu_cdb_model_of(m);
	r[1] = (uint8_t)(0x01 | (x.copy ? 0x02 : 0) | (x.readback ? 0x80 : 0)); /* Abort; x1 ms */
	r[2] = EMU_CDB_FW_HEADER;       /* StartCommandPayloadSize */
	r[3] = 0xFF;                    /* erased byte */
	/* length extension of the firmware commands: a whole EPL in one 0104h */
	r[4] = emu_cdb_epl_bytes(m) ? (uint8_t)(emu_cdb_epl_bytes(m) / 8u - 1u) : 15u; /* LPL: 120 bytes */
	r[5] = emu_cdb_epl_bytes(m) ? 0x11 : 0x01; /* write: LPL, and EPL when the module has EPL pages */
	r[6] = x.readback ? r[5] : 0x00; /* read-back as the writes go */
	r[7] = 0x00;                    /* Run resets the module */
	put16(&r[8], EMU_CDB_FW_START_MS);
	put16(&r[10], EMU_CDB_FW_ABORT_MS);
	put16(&r[12], EMU_CDB_FW_WRITE_MS);
	put16(&r[14], EMU_CDB_FW_COMPLETE_MS);
	put16(&r[16], x.copy ? EMU_CDB_FW_COPY_MS : 0);
	emu_cdb_reply(m, r, sizeof(r));
	return CDB_OK;
}

static void put_image(uint8_t *r, const struct emu_fw_image *im)
{
	r[0] = im->major;
	r[1] = im->minor;
	put16(&r[2], im->build);
	memcpy(&r[4], im->extra, sizeof(im->extra));
}

static uint8_t cmd_fw_info(struct lb_emu_module *m, struct emu_cdb *c)
{
	uint8_t r[110] = { 0 };
	uint8_t st = 0;
	for (int i = 0; i < 2; i++) {
		unsigned sh = i ? 4u : 0u;
		if (c->running == i)
			st |= (uint8_t)(1u << sh);
		if (c->committed == i)
			st |= (uint8_t)(2u << sh);
		if (!c->image[i].valid)
			st |= (uint8_t)(4u << sh);
	}
	r[0] = st;
	for (int i = 0; i < 3; i++) {
		if (!c->image[i].valid)
			continue;
		r[1] |= (uint8_t)(1u << i);
		put_image(&r[2 + 36 * i], &c->image[i]);
	}
	emu_cdb_reply(m, r, sizeof(r));
	return CDB_OK;
}

uint8_t emu_cdb_finish(struct lb_emu_module *m, struct emu_cdb *c)
{
	const uint8_t *blk = c->block;
	uint16_t id = u16(&blk[P(128)]);
	emu_cdb_reply(m, NULL, 0);
	if (blk[P(132)] > 120 || u16(&blk[P(130)]) > emu_cdb_epl_bytes(m))
		return CDB_FAIL_PARAM;
	if (block_check(blk) != blk[P(133)])
		return CDB_FAIL_CHKCODE;
	struct emu_cdb_model x = emu_cdb_model_of(m);
	/* A module with a password takes nothing but these before the host has entered it. */
	if (x.password && !c->password_ok && id != 0x0000 && id != 0x0001 && id != 0x0004)
		return CDB_FAIL_PASSWORD;
	switch (id) {
	case 0x0000: {
		uint8_t r[2] = { 2, c->password_ok ? 0x01 : 0x00 };
		emu_cdb_reply(m, r, sizeof(r));
		return CDB_OK;
	}
	case 0x0001: {
		if (blk[P(132)] != 4)
			return CDB_FAIL_PARAM;
		/* Without a password of its own, the model takes any host password. */
		uint32_t pw = (uint32_t)blk[P(136)] << 24 | (uint32_t)blk[P(137)] << 16 |
			      (uint32_t)blk[P(138)] << 8 | blk[P(139)];
		if (x.password && pw != x.password_value) {
			c->password_ok = false;
			return CDB_FAIL_PASSWORD;
		}
		c->password_ok = true;
		return CDB_OK;
	}
	case 0x0004:
		return CDB_OK; /* nothing in flight to abort */
	case 0x0040:
		return cmd_features(m, c);
	case 0x0041:
		return cmd_fw_features(m, c);
	case 0x0100:
		return cmd_fw_info(m, c);
	case 0x0101: case 0x0102: case 0x0103: case 0x0104: case 0x0105: case 0x0106:
	case 0x0107: case 0x0108: case 0x0109: case 0x010A:
		return emu_fw_command(m, c, id);
	default:
		return CDB_FAIL_UNKNOWN_CMD;
	}
}

void emu_cdb_abort(struct lb_emu_module *m, struct emu_cdb *c)
{
	c->phase = EMU_CDB_IDLE;
	c->due = UINT64_MAX;
	m->mem.lower[EMU_CDB_STATUS] = CDB_ABORTED;
	m->hold_off_until = 0;
	m->mem.lower[8] |= 0x40;
	emu_cdb_measure_done(m, c);
}

void emu_cdb_power_on(struct lb_emu_module *m, struct emu_cdb *c)
{
	c->phase = EMU_CDB_IDLE;
	c->in_write = false;
	c->stuck = c->bad_reply = c->slow = 0;
	c->password_ok = false;
	c->due = UINT64_MAX;
	m->mem.lower[EMU_CDB_STATUS] = 0;
	m->hold_off_until = 0;
	c->capture_ns = EMU_CDB_CAPTURE_MS * MS;
	c->query_ns = EMU_CDB_QUERY_MS * MS;
	if (!c->fw_known) {
		/* Flash survives resets: set once, from the version lower memory shows (39-40). */
		c->fw_known = true;
		struct emu_fw_image a = { .valid = true, .major = m->defaults.lower[39],
					  .minor = m->defaults.lower[40], .build = 1 };
		memcpy(a.extra, "lightbridge-emu", sizeof("lightbridge-emu") - 1);
		c->image[0] = a;
		c->image[1] = a;
		c->image[2] = (struct emu_fw_image){ .valid = true, .major = 1, .minor = 0 };
		memcpy(c->image[2].extra, "factory", sizeof("factory") - 1);
		c->running = c->committed = 0;
		c->boot_next = -1;
		c->body_bank = -1;
	}
	emu_fw_power_on(m, c);
}
