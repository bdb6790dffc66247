/* SPDX-License-Identifier: MIT */
/*
 * The emulated module's firmware (docs/cdb.md, "The emulated module's firmware"): images A and
 * B and a factory image, the download commands (0101h Start, 0102h Abort, 0103h/0104h Write,
 * 0107h Complete), Run (0109h) and Commit (010Ah). An image file is a 16-byte vendor header
 * ("LBFW", major, minor, build, body length, CRC-32 of the body; big-endian) and the body.
 * Start erases the inactive image; Complete checks the body's CRC; Run resets the module into
 * the inactive image; a reset of any other kind boots the committed one. Where the profile
 * says so, read-back (0105h/0106h) of the image last downloaded and Copy (0108h).
 */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/emulator.h>
#include "emulator/cmis/emu_cdb.h"
#include "emulator/cmis/emu_page.h"

#define P(b) EMU_P(b)
#define MS 1000000ull

enum {
	FW_OK = 0x01,
	FW_FAIL_UNKNOWN = 0x41,
	FW_FAIL_PARAM = 0x42,
	FW_FAIL_STATE = 0x47,
	FW_FAIL_REJECTED = 0x60,
	FW_FAIL_FORMAT = 0x61,
	FW_FAIL_CHECKSUM = 0x62,
	FW_FAIL_HITLESS = 0x66,
	FW_FAIL_PRESERVE = 0x67,
	FW_FAIL_EXEC = 0x68,
	FW_FAIL_RESOURCES = 0x69,
};

static uint32_t be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32). */
static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return ~c;
}

LB_API int lb_emu_firmware_image(uint8_t major, uint8_t minor, uint16_t build, size_t body_len,
				 uint32_t seed, uint8_t **out, size_t *out_len)
{
	if (!out || !out_len || body_len > EMU_FW_MAX_BODY)
		return LB_E_INVAL;
	uint8_t *img = malloc(EMU_FW_HEADER_SIZE + body_len);
	if (!img)
		return LB_E_NOMEM;
	uint8_t *body = img + EMU_FW_HEADER_SIZE;
	uint32_t x = seed ? seed : 1u;
	for (size_t i = 0; i < body_len; i++) { /* xorshift: incompressible, reproducible */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		body[i] = (uint8_t)x;
	}
	memcpy(img, "LBFW", 4);
	img[4] = major;
	img[5] = minor;
	img[6] = (uint8_t)(build >> 8);
	img[7] = (uint8_t)build;
	put32(&img[8], (uint32_t)body_len);
	put32(&img[12], crc32_of(body, body_len));
	*out = img;
	*out_len = EMU_FW_HEADER_SIZE + body_len;
	return LB_OK;
}

struct emu_cdb_model emu_cdb_model_of(const struct lb_emu_module *m)
{
	if (m->cdb_model.set)
		return m->cdb_model;
	return (struct emu_cdb_model){ .set = true, .flash_block_bytes = EMU_FW_FLASH_BLOCK,
				       .flash_block_ns = EMU_FW_FLASH_BLOCK_US * 1000ull,
				       .write_overhead_ns = EMU_FW_WRITE_OVERHEAD_US * 1000ull };
}

/* Programming bytes into flash (or reading them out): the profile's time per flash block. */
static uint64_t write_ns(const struct lb_emu_module *m, uint32_t bytes)
{
	struct emu_cdb_model x = emu_cdb_model_of(m);
	return x.write_overhead_ns + (uint64_t)bytes * x.flash_block_ns / x.flash_block_bytes;
}

uint64_t emu_fw_command_ns(const struct lb_emu_module *m, const struct emu_cdb *c, uint16_t id)
{
	const uint8_t *b = c->block;
	switch (id) {
	case 0x0101: return 40 * MS;                          /* erase the target bank */
	case 0x0102: return 5 * MS;
	case 0x0103: return write_ns(m, b[P(132)] > 4 ? b[P(132)] - 4u : 0);
	case 0x0104: return write_ns(m, (uint32_t)(b[P(130)] << 8 | b[P(131)]));
	case 0x0105: case 0x0106: /* reading is quicker than programming: a tenth */
		return write_ns(m, (uint32_t)(b[P(140)] << 8 | b[P(141)])) / 10u;
	case 0x0107: return 150 * MS;                         /* read back and check the image */
	case 0x0108: return (uint64_t)EMU_CDB_FW_COPY_MS * MS / 2u;
	case 0x0109: return 5 * MS;
	case 0x010A: return 20 * MS;                          /* write the boot selection */
	default: return c->query_ns;
	}
}

static int inactive(const struct emu_cdb *c)
{
	return c->running == 0 ? 1 : 0; /* from B or the factory image: A */
}

static uint8_t fw_start(struct lb_emu_module *m, struct emu_cdb *c)
{
	(void)m;
	const uint8_t *b = c->block;
	unsigned lpl = b[P(132)];
	if (lpl < 8 + EMU_FW_HEADER_SIZE)
		return FW_FAIL_PARAM;
	uint32_t size = be32(&b[P(136)]);
	const uint8_t *h = &b[P(144)];
	uint32_t body_len = be32(&h[8]);
	if (memcmp(h, "LBFW", 4) != 0 || size != EMU_FW_HEADER_SIZE + (uint64_t)body_len)
		return FW_FAIL_FORMAT;
	if (body_len > EMU_FW_MAX_BODY)
		return FW_FAIL_RESOURCES;
	int target = inactive(c);
	memset(&c->image[target], 0, sizeof(c->image[target])); /* erased: not valid */
	/* (the buffer is stored last: gcc's analyzer takes a write at a computed index for one
	 * that may clobber it, and reports a leak) */
	uint8_t *body = realloc(c->body, body_len ? body_len : 1);
	if (!body)
		return FW_FAIL_RESOURCES;
	memset(body, 0xFF, body_len); /* the target bank, erased */
	memcpy(c->header, h, sizeof(c->header));
	c->target = target;
	c->body_bank = target;
	c->body_len = body_len;
	c->in_transfer = true;
	c->body = body;
	return FW_OK;
}

static uint8_t fw_write(struct lb_emu_module *m, struct emu_cdb *c, bool epl)
{
	const uint8_t *b = c->block;
	if (!c->in_transfer)
		return FW_FAIL_STATE;
	unsigned lpl = b[P(132)];
	if (lpl < 4)
		return FW_FAIL_PARAM;
	uint32_t addr = be32(&b[P(136)]);
	uint32_t len = epl ? (uint32_t)(b[P(130)] << 8 | b[P(131)]) : lpl - 4u;
	if ((uint64_t)addr + len > c->body_len)
		return FW_FAIL_PARAM;
	if (!epl) {
		memcpy(c->body + addr, &b[P(140)], len);
		return FW_OK;
	}
	for (uint32_t done = 0; done < len; done += 128) {
		const uint8_t *pg = emu_mem_page(&m->mem, 0, (uint8_t)(0xA0 + done / 128));
		if (!pg)
			return FW_FAIL_PARAM;
		uint32_t n = len - done < 128 ? len - done : 128;
		memcpy(c->body + addr + done, pg, n);
	}
	return FW_OK;
}

/*
 * Read-back (0105h LPL, 0106h EPL): bytes of the image last downloaded, from the bank it went
 * to, while that bank still holds it; 136-139 block address, 140-141 length.
 */
static uint8_t fw_read(struct lb_emu_module *m, struct emu_cdb *c, bool epl)
{
	const uint8_t *b = c->block;
	if (!emu_cdb_model_of(m).readback)
		return FW_FAIL_UNKNOWN;
	if (b[P(132)] < 6)
		return FW_FAIL_PARAM;
	if (c->body_bank < 0 || !c->body)
		return FW_FAIL_STATE;
	uint32_t addr = be32(&b[P(136)]);
	uint32_t len = (uint32_t)(b[P(140)] << 8 | b[P(141)]);
	uint32_t max = epl ? emu_cdb_epl_bytes(m) : 116u;
	if (!len || len > max || (uint64_t)addr + len > c->body_len)
		return FW_FAIL_PARAM;
	if (!epl) {
		uint8_t r[120];
		memcpy(r, &b[P(136)], 4);
		memcpy(r + 4, c->body + addr, len);
		emu_cdb_reply(m, r, 4 + len);
		return FW_OK;
	}
	for (uint32_t done = 0; done < len; done += 128) {
		uint8_t *pg = emu_mem_page(&m->mem, 0, (uint8_t)(0xA0 + done / 128));
		if (!pg)
			return FW_FAIL_PARAM;
		uint32_t n = len - done < 128 ? len - done : 128;
		memcpy(pg, c->body + addr + done, n);
	}
	/* RPLLength counts EPL pages (the host knows the length); no LPL data */
	uint8_t *p9f = emu_mem_page(&m->mem, 0, 0x9F);
	if (p9f) {
		p9f[P(134)] = (uint8_t)((len + 127) / 128);
		p9f[P(135)] = 0;
	}
	return FW_OK;
}

/* Copy (0108h): 136 ABh A to B, BAh B to A; the source must run and be committed. */
static uint8_t fw_copy(struct lb_emu_module *m, struct emu_cdb *c)
{
	const uint8_t *b = c->block;
	if (!emu_cdb_model_of(m).copy)
		return FW_FAIL_UNKNOWN;
	if (b[P(132)] < 1)
		return FW_FAIL_PARAM;
	unsigned dir = b[P(136)];
	if (dir != 0xAB && dir != 0xBA)
		return FW_FAIL_PARAM;
	int src = dir == 0xAB ? 0 : 1, dst = 1 - src;
	if (c->in_transfer || c->running != src || c->committed != src || !c->image[src].valid)
		return FW_FAIL_STATE;
	c->image[dst] = c->image[src];
	if (c->body_bank == dst)
		c->body_bank = -1; /* what was downloaded there is gone */
	uint8_t r[6];
	put32(r, 256u * 1024u); /* the model's banks: the bytes copied are nominal */
	r[4] = (uint8_t)dir;
	r[5] = 0x00;
	emu_cdb_reply(m, r, sizeof(r));
	return FW_OK;
}

static uint8_t fw_complete(struct emu_cdb *c)
{
	if (!c->in_transfer)
		return FW_FAIL_STATE;
	c->in_transfer = false;
	if (crc32_of(c->body, c->body_len) != be32(&c->header[12]))
		return FW_FAIL_CHECKSUM; /* the target stays invalid */
	struct emu_fw_image im = { .valid = true, .major = c->header[4], .minor = c->header[5],
				   .build = (uint16_t)(c->header[6] << 8 | c->header[7]) };
	memcpy(im.extra, "lightbridge-emu", sizeof("lightbridge-emu") - 1);
	c->image[c->target] = im;
	return FW_OK;
}

static uint8_t fw_run(struct lb_emu_module *m, struct emu_cdb *c)
{
	const uint8_t *b = c->block;
	if (b[P(132)] < 4)
		return FW_FAIL_PARAM;
	if (c->in_transfer)
		return FW_FAIL_STATE;
	unsigned mode = b[P(137)];
	uint32_t delay_ms = (uint32_t)(b[P(138)] << 8 | b[P(139)]);
	int next;
	if (mode == 0x00)
		next = inactive(c);
	else if (mode == 0x02)
		next = c->running;
	else if (mode == 0x01 || mode == 0x03)
		return FW_FAIL_HITLESS; /* no hitless restart in the model */
	else if (mode == 0x04 || mode == 0x05)
		return FW_FAIL_PRESERVE; /* nor a restart that keeps the configuration */
	else
		return FW_FAIL_REJECTED;
	if (!c->image[next].valid)
		return FW_FAIL_EXEC;
	c->boot_next = next;
	c->run_at = m->t + (uint64_t)delay_ms * MS + 1;
	return FW_OK;
}

static uint8_t fw_commit(struct emu_cdb *c)
{
	if (c->in_transfer || c->running > 1)
		return FW_FAIL_STATE;
	c->committed = c->running;
	return FW_OK;
}

uint8_t emu_fw_command(struct lb_emu_module *m, struct emu_cdb *c, uint16_t id)
{
	switch (id) {
	case 0x0101: return fw_start(m, c);
	case 0x0102:
		if (!c->in_transfer)
			return FW_OK;
		c->in_transfer = false; /* the target was erased at Start: it stays invalid */
		return FW_OK;
	case 0x0103: return fw_write(m, c, false);
	case 0x0104: return fw_write(m, c, true);
	case 0x0105: return fw_read(m, c, false);
	case 0x0106: return fw_read(m, c, true);
	case 0x0108: return fw_copy(m, c);
	case 0x0107: return fw_complete(c);
	case 0x0109: return fw_run(m, c);
	case 0x010A: return fw_commit(c);
	default: return FW_FAIL_REJECTED;
	}
}

static void show_versions(struct lb_emu_module *m, const struct emu_cdb *c)
{
	const struct emu_fw_image *run = &c->image[c->running];
	m->mem.lower[39] = run->major;
	m->mem.lower[40] = run->minor;
	uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	const struct emu_fw_image *other = &c->image[inactive(c)];
	if (p01) {
		p01[P(128)] = other->valid ? other->major : 0;
		p01[P(129)] = other->valid ? other->minor : 0;
	}
}

void emu_fw_power_on(struct lb_emu_module *m, struct emu_cdb *c)
{
	/* A download does not survive a reset; the erased target stays invalid. */
	c->in_transfer = false;
	c->run_at = 0;
	int next = c->boot_next >= 0 ? c->boot_next : c->committed;
	c->boot_next = -1;
	if (!c->image[next].valid)
		next = 2; /* nothing bootable in that bank: the factory image */
	c->running = next;
	show_versions(m, c);
}

void emu_fw_release(struct emu_cdb *c)
{
	free(c->body);
	c->body = NULL;
}
