/* SPDX-License-Identifier: MIT */
/* Firmware management features (0041h) and firmware info (0100h), decoded (firmware.h). */
#include <string.h>
#include <lightbridge/ctx.h>
#include <lightbridge/firmware.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cdb/cdb_internal.h"
#include "hal/cdb/fw_internal.h"
#include "hal/cmis/module_internal.h"

static uint16_t u16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

int lb_fw_features_of(struct lb_module *m, struct lb_fw_features *f)
{
	memset(f, 0, sizeof(*f));
	f->size = sizeof(*f);
	struct lb_cdb_caps caps;
	int rc = lb_cdb_caps_of(m, &caps);
	if (rc)
		return rc;
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_FEATURES };
	struct lb_cdb_reply r;
	if ((rc = lb_cdb_run(m, &c, &r))) {
		if (rc == LB_E_CDB && (r.status & 0x3F) == 0x01)
			return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
					    "no firmware management: the module does not know 0041h");
		if (rc == LB_E_CDB && (r.status & 0x3F) == 0x06)
			return lb_ctx_error(lb_module_ctx(m), LB_E_PERM,
					    "the module wants a password before firmware commands "
					    "(CDB 0001h, lb_module_cdb_password): none accepted");
		return rc;
	}
	if (r.len < 18)
		return lb_ctx_error(lb_module_ctx(m), LB_E_SHORT,
				    "CDB command 0041h: reply of %u bytes, 18 expected", r.len);
	const uint8_t *d = r.data; /* d[0] is byte 136 */
	uint8_t flags = d[1];
	f->readback_supported = (flags >> 7) & 1u;
	f->skip_erased = (flags >> 2) & 1u;
	f->copy_supported = (flags >> 1) & 1u;
	f->abort_supported = flags & 1u;
	unsigned mult = (flags >> 3) & 1u ? 10u : 1u;
	f->header_size = d[2];
	f->erased_byte = d[3];
	unsigned ext = d[4];
	f->write_lpl = d[5] & 0x01;
	f->write_epl = (d[5] & 0x10) != 0;
	f->read_lpl = d[6] & 0x01;
	f->read_epl = (d[6] & 0x10) != 0;
	f->hitless_restart = d[7] != 0;
	/* LPL: 120 bytes less the 4-byte address, within 8 x (1 + min(ext, 15)); EPL: 8 x (1 + ext)
	 * within the EPL pages the module has. */
	unsigned lpl = 8u * (1u + (ext < 15 ? ext : 15u));
	f->lpl_block = (uint16_t)((lpl > 120 ? 120u : lpl) - 4u);
	unsigned epl = 8u * (1u + ext);
	if (epl > caps.epl_pages * 128u)
		epl = caps.epl_pages * 128u;
	f->epl_block = f->write_epl ? (uint16_t)epl : 0;
	f->start_ms = u16(&d[8]) * mult;
	f->abort_ms = u16(&d[10]) * mult;
	f->write_ms = u16(&d[12]) * mult;
	f->complete_ms = u16(&d[14]) * mult;
	f->copy_ms = u16(&d[16]) * mult;
	return LB_OK;
}

static int fw_features(struct lb_module *m, struct lb_fw_features *out)
{
	if (!m || lb_sized_check(out, LB_FW_FEATURES_SIZE_V1))
		return LB_E_INVAL;
	struct lb_fw_features f;
	int rc = lb_fw_features_of(m, &f);
	LB_SIZED_FILL(out, f);
	return rc;
}

LB_API int lb_module_fw_features(struct lb_module *m, struct lb_fw_features *out)
{
	return LB_MODULE_CALL(m, fw_features(m, out));
}

static void image_of(struct lb_fw_image *im, const uint8_t *v, bool known, unsigned st)
{
	memset(im, 0, sizeof(*im));
	im->running = st & 1u;
	im->committed = (st >> 1) & 1u;
	im->valid = !((st >> 2) & 1u);
	im->version_known = known;
	if (!known)
		return;
	im->major = v[0];
	im->minor = v[1];
	im->build = u16(&v[2]);
	memcpy(im->extra, &v[4], 32);
	im->extra[32] = 0;
	for (int i = 31; i >= 0 && (im->extra[i] == 0 || im->extra[i] == ' '); i--)
		im->extra[i] = 0;
	for (int i = 0; i < 32 && im->extra[i]; i++)
		if ((unsigned char)im->extra[i] < 0x20 || (unsigned char)im->extra[i] > 0x7E)
			im->extra[i] = '?';
}

int lb_fw_info_of(struct lb_module *m, struct lb_fw_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	struct lb_cdb_cmd c = { .size = sizeof(c), .id = LB_CDB_CMD_FW_INFO };
	struct lb_cdb_reply r;
	int rc = lb_cdb_run(m, &c, &r);
	if (rc == LB_E_CDB && (r.status & 0x3F) == 0x06)
		return lb_ctx_error(lb_module_ctx(m), LB_E_PERM,
				    "the module wants a password before firmware commands "
				    "(CDB 0001h, lb_module_cdb_password): none accepted");
	if (rc)
		return rc;
	if (r.len < 2)
		return lb_ctx_error(lb_module_ctx(m), LB_E_SHORT,
				    "CDB command 0100h: reply of %u bytes, at least 2 expected", r.len);
	const uint8_t *d = r.data;
	uint8_t st = d[0], present = d[1];
	info->status = st;
	for (unsigned i = 0; i < 3; i++) {
		bool known = (((unsigned)present >> i) & 1u) && r.len >= 2u + 36u * (i + 1u);
		unsigned bits = i == 0 ? st & 7u : i == 1 ? ((unsigned)st >> 4) & 7u : 0u;
		image_of(&info->image[i], &d[2 + 36 * i], known, bits);
		if (i == 2)
			info->image[i].valid = known;
	}
	const struct lb_fw_image *a = &info->image[0], *b = &info->image[1];
	if (!a->running && !b->running) {
		info->image[2].running = true;
		info->state = LB_FW_STATE_FACTORY;
	} else if ((a->running && !a->committed) || (b->running && !b->committed)) {
		info->state = LB_FW_STATE_NOT_COMMITTED;
	} else if ((a->running && !b->valid) || (b->running && !a->valid)) {
		info->state = LB_FW_STATE_INACTIVE_INVALID;
	} else {
		info->state = LB_FW_STATE_OK;
	}
	return LB_OK;
}

static int fw_info(struct lb_module *m, struct lb_fw_info *out)
{
	if (!m || lb_sized_check(out, LB_FW_INFO_SIZE_V1))
		return LB_E_INVAL;
	struct lb_fw_info i;
	int rc = lb_fw_info_of(m, &i);
	LB_SIZED_FILL(out, i);
	return rc;
}

LB_API int lb_module_fw_info(struct lb_module *m, struct lb_fw_info *out)
{
	return LB_MODULE_CALL(m, fw_info(m, out));
}

LB_API const char *lb_fw_state_advice(int state)
{
	switch (state) {
	case LB_FW_STATE_OK:
		return "the running image is committed";
	case LB_FW_STATE_INACTIVE_INVALID:
		return "the inactive image is invalid (a download that did not finish, or none yet): "
		       "the module runs its committed image; upgrade again to fill it";
	case LB_FW_STATE_NOT_COMMITTED:
		return "the running image is not committed (run, not committed): commit it to keep "
		       "it, or reset the module to go back to the committed image";
	case LB_FW_STATE_FACTORY:
		return "neither image A nor B runs: the boot loader or factory image does; upgrade "
		       "and run an image";
	default:
		return "unknown state";
	}
}

LB_API const char *lb_fw_phase_name(int phase)
{
	static const char *const names[] = { "check", "start", "write", "complete",
					     "run", "commit", "done", "abort" };
	return phase >= 0 && phase < (int)(sizeof(names) / sizeof(names[0])) ? names[phase] : "unknown";
}
