/* SPDX-License-Identifier: MIT */
/*
 * Read-back of the downloaded image (0105h LPL, 0106h EPL), its check against the file, and
 * Copy (0108h), where the module advertises them (firmware.h).
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/ctx.h>
#include <lightbridge/firmware.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cdb/fw_internal.h"
#include "hal/cmis/module_internal.h"

#define FW_DEFAULT_READ_MS 2000u
#define FW_DEFAULT_COPY_MS 60000u

static const char *const slot_names[] = { "A", "B", "factory" };

/* One read command: n bytes at addr into buf. */
static int read_piece(struct lb_module *m, const struct lb_fw_features *f, bool epl, uint32_t addr,
		      uint8_t *buf, uint32_t n)
{
	uint8_t lpl[6] = { (uint8_t)(addr >> 24), (uint8_t)(addr >> 16), (uint8_t)(addr >> 8),
			   (uint8_t)addr, (uint8_t)(n >> 8), (uint8_t)n };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = epl ? LB_CDB_CMD_FW_READ_EPL : LB_CDB_CMD_FW_READ_LPL,
				.lpl = lpl, .lpl_len = 6,
				.timeout_ms = f->write_ms ? f->write_ms : FW_DEFAULT_READ_MS };
	struct lb_cdb_reply r;
	if (!epl) {
		int rc = lb_cdb_run(m, &c, &r);
		if (rc)
			return rc;
		/* the reply: the address echoed, then the data */
		if (r.len != 4 + n || memcmp(r.data, lpl, 4) != 0)
			return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
					    "CDB command 0105h: a reply of %u bytes for %u at %u", r.len,
					    n, addr);
		memcpy(buf, r.data + 4, n);
		return LB_OK;
	}
	/* EPL: RPLLength counts pages, no LPL reply; the data is in A0h... */
	struct lb_cdb_exec x;
	struct lb_cdb_sched s = { .no_reply = true };
	int rc = lb_cdb_exec_start(&x, m, &c, &s);
	while (!rc) {
		uint64_t wake = 0;
		rc = lb_cdb_exec_step(&x, &r, &wake);
		if (rc != LB_E_AGAIN)
			break;
		rc = LB_OK;
		uint64_t now = lb_bus_now_ns(lb_module_bus(m));
		if (wake > now)
			lb_bus_sleep_ns(lb_module_bus(m), wake - now);
	}
	if (rc)
		return rc;
	struct lb_mem_range rg[16];
	unsigned k = 0;
	for (uint32_t off = 0; off < n; off += 128, k++)
		rg[k] = (struct lb_mem_range){ .bank = 0, .page = (uint8_t)(0xA0 + k), .offset = 128,
					       .len = (uint16_t)(n - off < 128 ? n - off : 128),
					       .buf = buf + off };
	if ((rc = lb_module_read_ranges(m, rg, k)))
		return rc;
	/* RPLLength counts the EPL pages of the reply */
	uint8_t pages;
	if ((rc = lb_module_read(m, 0, LB_CDB_PAGE, 134, &pages, 1)))
		return rc;
	if (pages != k)
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "CDB command 0106h: RPLLength %u for %u EPL pages", pages, k);
	return LB_OK;
}

/* How the module reads its image back (its features and CDB caps, asked once per call). */
struct readback {
	struct lb_fw_features f;
	bool epl;
	uint32_t piece; /* bytes a command */
};

/* LB_E_NOTSUP when the module does not advertise read-back. */
static int readback_of(struct lb_module *m, struct readback *r)
{
	struct lb_cdb_caps caps;
	int rc;
	if ((rc = lb_cdb_caps_of(m, &caps)) || (rc = lb_fw_features_of(m, &r->f)))
		return rc;
	if (!r->f.readback_supported || !(r->f.read_lpl || r->f.read_epl))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module does not advertise firmware read-back (0105h/0106h)");
	r->epl = r->f.read_epl && caps.epl_pages;
	r->piece = r->epl ? caps.epl_pages * 128u : 116u;
	return LB_OK;
}

/* len bytes from addr, a command a piece; the claim held. */
static int read_pieces(struct lb_module *m, const struct readback *r, uint32_t addr, uint8_t *buf,
		       size_t len)
{
	int rc = LB_OK;
	for (size_t done = 0; done < len && !rc;) {
		uint32_t n = (uint32_t)(len - done < r->piece ? len - done : r->piece);
		rc = read_piece(m, &r->f, r->epl, addr + (uint32_t)done, buf + done, n);
		done += n;
	}
	return rc;
}

static int fw_read(struct lb_module *m, uint32_t addr, uint8_t *buf, size_t len)
{
	if (!m || (len && !buf) || len > UINT32_MAX || addr > UINT32_MAX - len)
		return LB_E_INVAL;
	struct readback r;
	bool taken;
	int rc = readback_of(m, &r);
	if (rc || (rc = lb_fw_claim(m, &taken)))
		return rc;
	rc = read_pieces(m, &r, addr, buf, len);
	if (taken)
		lb_module_release(m);
	return rc;
}

LB_API int lb_module_fw_read(struct lb_module *m, uint32_t addr, uint8_t *buf, size_t len)
{
	return LB_MODULE_CALL(m, fw_read(m, addr, buf, len));
}

/* Read back the body of image (after its vendor header) and compare, a chunk at a time. */
#define VERIFY_CHUNK 4096u
static int fw_verify(struct lb_module *m, const uint8_t *image, size_t len)
{
	if (!m || !image)
		return LB_E_INVAL;
	struct readback r;
	int rc = readback_of(m, &r);
	if (rc)
		return rc;
	uint8_t hdr = r.f.header_size;
	if (len <= hdr || len - hdr > UINT32_MAX)
		return lb_ctx_error(lb_module_ctx(m), LB_E_INVAL,
				    "a file of %zu bytes is no image for a module with a %u-byte header",
				    len, hdr);
	const uint8_t *body = image + hdr;
	size_t body_len = len - hdr;
	bool taken;
	if ((rc = lb_fw_claim(m, &taken)))
		return rc;
	uint8_t back[VERIFY_CHUNK];
	for (size_t at = 0; at < body_len && !rc; at += VERIFY_CHUNK) {
		size_t n = body_len - at < VERIFY_CHUNK ? body_len - at : VERIFY_CHUNK;
		if ((rc = read_pieces(m, &r, (uint32_t)at, back, n)))
			break;
		for (size_t i = 0; i < n; i++)
			if (back[i] != body[at + i]) {
				rc = lb_ctx_error(lb_module_ctx(m), LB_E_CHECKSUM,
						  "read-back differs from the file at byte %zu: the "
						  "module holds %02Xh, the file %02Xh",
						  hdr + at + i, back[i], body[at + i]);
				break;
			}
	}
	if (taken)
		lb_module_release(m);
	return rc;
}

LB_API int lb_module_fw_verify(struct lb_module *m, const uint8_t *image, size_t len)
{
	return LB_MODULE_CALL(m, fw_verify(m, image, len));
}

static int copy_checked(struct lb_module *m, const struct lb_fw_features *f, int from)
{
	struct lb_ctx *ctx = lb_module_ctx(m);
	struct lb_fw_info info;
	int rc = lb_fw_info_of(m, &info);
	if (rc)
		return rc;
	if (!info.image[from].running || !info.image[from].committed)
		return lb_ctx_error(ctx, LB_E_STATE,
				    "Copy: image %s is not the running, committed image: nothing copied",
				    slot_names[from]);
	int to = 1 - from;
	uint8_t lpl[1] = { from == LB_FW_IMAGE_A ? 0xAB : 0xBA };
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_COPY, .lpl = lpl, .lpl_len = 1,
				.timeout_ms = f->copy_ms ? f->copy_ms : FW_DEFAULT_COPY_MS };
	struct lb_cdb_reply r;
	if ((rc = lb_cdb_run(m, &c, &r)))
		return rc;
	if (r.len >= 6 && r.data[5] != 0)
		return lb_ctx_error(ctx, LB_E_CDB, "Copy: the module reports the copy failed (%02Xh)",
				    r.data[5]);
	struct lb_fw_info after;
	if ((rc = lb_fw_info_of(m, &after)))
		return rc;
	const struct lb_fw_image *a = &after.image[from], *b = &after.image[to];
	if (!b->valid || (a->version_known && b->version_known &&
			  (a->major != b->major || a->minor != b->minor || a->build != b->build)))
		return lb_ctx_error(ctx, LB_E_STATE,
				    "Copy: image %s does not show image %s's version afterwards",
				    slot_names[to], slot_names[from]);
	return LB_OK;
}

static int fw_copy(struct lb_module *m, int from)
{
	if (!m || (from != LB_FW_IMAGE_A && from != LB_FW_IMAGE_B))
		return LB_E_INVAL;
	struct lb_fw_features f;
	int rc = lb_fw_features_of(m, &f);
	if (rc)
		return rc;
	if (!f.copy_supported)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module does not advertise image copy (0108h)");
	bool taken;
	if ((rc = lb_fw_claim(m, &taken)))
		return rc;
	rc = copy_checked(m, &f, from);
	if (taken)
		lb_module_release(m);
	return rc;
}

LB_API int lb_module_fw_copy(struct lb_module *m, int from)
{
	return LB_MODULE_CALL(m, fw_copy(m, from));
}
