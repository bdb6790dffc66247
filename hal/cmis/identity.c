/* SPDX-License-Identifier: MIT */
/* Module identity: lower memory, page 00h and page 01h, with both page checksums. */
#include <string.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/decode.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/cmis/revision.h"

#define P(abs) ((abs) - 128u) /* index of an upper-page byte in a 128-byte buffer */

uint8_t lb_cmis_page_sum(const uint8_t page[128], unsigned first, unsigned last)
{
	unsigned sum = 0;

	for (unsigned i = first; i <= last; i++)
		sum += page[P(i)];
	return (uint8_t)(sum & 0xffu);
}

void lb_cmis_copy_string(char *dst, const uint8_t *src, size_t n)
{
	size_t len = n;

	/* Vendors pad with spaces as the spec says, but zeroed fields are common too. */
	while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == 0))
		len--;
	for (size_t i = 0; i < len; i++)
		dst[i] = (src[i] >= 0x20 && src[i] <= 0x7e) ? (char)src[i] : '?';
	dst[len] = '\0';
}

bool lb_cmis_identifier_is_cmis(uint8_t id)
{
	switch (id) {
	case 0x18: /* QSFP-DD */
	case 0x19: /* OSFP */
	case 0x1B: /* DSFP */
	case 0x1E: /* QSFP+ or later with CMIS (QSFP112, CMIS QSFP28) */
	case 0x1F: /* SFP-DD with CMIS */
	case 0x20: /* SFP+ with CMIS */
	case 0x21: /* OSFP-XD */
	case 0x22: /* OIF-ELSFP */
	case 0x23: /* CDFP x4 / x8 / x16 PCIe */
	case 0x24:
	case 0x25:
		return true;
	default:
		return false;
	}
}

unsigned lb_cmis_lane_banks_of(uint8_t b142, uint8_t b174, uint8_t revision)
{
	switch (b142 & 0x03u) {
	case 0: return 1;
	case 1: return 2;
	case 2: return 4;
	default:
		/*
		 * CMIS 5.4: the count moved to 174.4-0 ((n + 1) banks). Before 5.4 the code is
		 * reserved and 174 means something else: only bank 0 is sure to exist.
		 */
		if (!lb_cmis_rev_has(revision, LB_CMIS_RULE_EXTRA_BANKS))
			return 1;
		return (b174 & 0x1fu) + 1u;
	}
}

unsigned lb_cmis_lane_banks(const uint8_t *p01, uint8_t revision)
{
	if (!p01)
		return 1;
	return lb_cmis_lane_banks_of(p01[P(LB_CMIS_P01_PAGES)], p01[P(LB_CMIS_P01_EXTRA_BANKS)],
				     revision);
}

bool lb_cmis_full_page_reads(uint8_t revision, uint8_t b251)
{
	switch (b251 & 0x03u) {
	case 0x02: return true;
	case 0x01: return false;
	default: return !lb_cmis_rev_has(revision, LB_CMIS_RULE_READ_8);
	}
}

uint8_t lb_cmis_mci_max_speed(uint8_t revision, uint8_t b2)
{
	unsigned mask = lb_cmis_rev_has(revision, LB_CMIS_RULE_MCI_4BIT) ? 0x0fu : 0x03u;
	return (uint8_t)((b2 >> 2) & mask);
}

unsigned lb_cmis_bias_multiplier_of(uint8_t lane_monitors)
{
	switch ((lane_monitors >> 3) & 0x03u) {
	case 1: return 2;
	case 2: return 4;
	default: return 1;
	}
}

unsigned lb_cmis_bias_multiplier(const uint8_t *p01)
{
	return p01 ? lb_cmis_bias_multiplier_of(p01[P(LB_CMIS_P01_LANE_MON)]) : 1;
}

/* SFF-8636 modules put their vendor block elsewhere in page 00h; decode it for display. */
static void decode_sff8636(const uint8_t p00[128], struct lb_module_identity *out)
{
	lb_cmis_copy_string(out->vendor_name, &p00[P(148)], 16);
	memcpy(out->vendor_oui, &p00[P(165)], 3);
	lb_cmis_copy_string(out->part_number, &p00[P(168)], 16);
	lb_cmis_copy_string(out->revision, &p00[P(184)], 2);
	lb_cmis_copy_string(out->serial_number, &p00[P(196)], 16);
	lb_cmis_copy_string(out->date_code, &p00[P(212)], 8);
	out->connector = p00[P(130)];
	out->page00_checksum_stored = p00[P(191)];
	out->page00_checksum_computed = lb_cmis_page_sum(p00, 128, 190);
	out->page00_checksum_ok = out->page00_checksum_stored == out->page00_checksum_computed;
}

int lb_cmis_decode_identity(const uint8_t lower[128], const uint8_t p00[128],
			    const uint8_t *p01, struct lb_module_identity *out)
{
	memset(out, 0, sizeof(*out));
	out->identifier = lower[LB_CMIS_LOW_ID];
	if (!lb_cmis_identifier_is_cmis(out->identifier)) {
		switch (out->identifier) {
		case 0x0C: case 0x0D: case 0x11:
			decode_sff8636(p00, out);
			break;
		default:
			break;
		}
		out->page01_checksum_ok = true;
		out->lane_banks = 1;
		return LB_E_UNKNOWN_ID;
	}

	out->cmis_major = (uint8_t)(lower[LB_CMIS_LOW_REV] >> 4);
	out->cmis_minor = (uint8_t)(lower[LB_CMIS_LOW_REV] & 0x0fu);
	out->flat_memory = (lower[LB_CMIS_LOW_CHARS] & LB_CMIS_LOW_CHARS_FLAT) != 0;
	uint8_t rev = lower[LB_CMIS_LOW_REV];
	out->mci_max_speed = lb_cmis_mci_max_speed(rev, lower[LB_CMIS_LOW_CHARS]);
	out->fw_active_major = lower[LB_CMIS_LOW_FW_MAJOR];
	out->fw_active_minor = lower[LB_CMIS_LOW_FW_MINOR];
	out->media_type = lower[LB_CMIS_LOW_MEDIA_TYPE];

	lb_cmis_copy_string(out->vendor_name, &p00[P(LB_CMIS_P00_VENDOR_NAME)], 16);
	memcpy(out->vendor_oui, &p00[P(LB_CMIS_P00_VENDOR_OUI)], 3);
	lb_cmis_copy_string(out->part_number, &p00[P(LB_CMIS_P00_PART_NUMBER)], 16);
	lb_cmis_copy_string(out->revision, &p00[P(LB_CMIS_P00_REVISION)], 2);
	lb_cmis_copy_string(out->serial_number, &p00[P(LB_CMIS_P00_SERIAL)], 16);
	lb_cmis_copy_string(out->date_code, &p00[P(LB_CMIS_P00_DATE_CODE)], 8);
	lb_cmis_copy_string(out->clei, &p00[P(LB_CMIS_P00_CLEI)], 10);
	out->power_class = (unsigned)(p00[P(LB_CMIS_P00_POWER_CLASS)] >> 5) + 1u;
	out->max_power_w = p00[P(LB_CMIS_P00_MAX_POWER)] * 0.25;
	out->connector = p00[P(LB_CMIS_P00_CONNECTOR)];
	out->media_technology = p00[P(LB_CMIS_P00_MEDIA_TECH)];
	out->page00_checksum_stored = p00[P(LB_CMIS_P00_CHECKSUM)];
	out->page00_checksum_computed =
		lb_cmis_page_sum(p00, LB_CMIS_P00_CSUM_FIRST, LB_CMIS_P00_CHECKSUM - 1u);
	out->page00_checksum_ok = out->page00_checksum_stored == out->page00_checksum_computed;

	out->lane_banks = lb_cmis_lane_banks(out->flat_memory ? NULL : p01, rev);
	if (out->flat_memory || !p01) {
		out->page01_checksum_ok = true;
	} else {
		out->fw_inactive_major = p01[P(LB_CMIS_P01_FW_INACTIVE_MAJOR)];
		out->fw_inactive_minor = p01[P(LB_CMIS_P01_FW_INACTIVE_MINOR)];
		out->hw_major = p01[P(LB_CMIS_P01_HW_MAJOR)];
		out->hw_minor = p01[P(LB_CMIS_P01_HW_MINOR)];
		out->full_page_read = lb_cmis_full_page_reads(rev, p01[P(LB_CMIS_P01_MISC)]);
		out->tunable = (p01[P(LB_CMIS_P01_TX_CTRL)] & LB_CMIS_P01_TX_CTRL_TUNABLE) != 0;
		out->coherent_pages = lb_cmis_coherent(rev, lower, p01);
		out->page01_checksum_stored = p01[P(LB_CMIS_P01_CHECKSUM)];
		out->page01_checksum_computed =
			lb_cmis_page_sum(p01, LB_CMIS_P01_CSUM_FIRST, LB_CMIS_P01_CHECKSUM - 1u);
		out->page01_checksum_ok =
			out->page01_checksum_stored == out->page01_checksum_computed;
	}
	if (!out->page00_checksum_ok || !out->page01_checksum_ok)
		return LB_E_CHECKSUM;
	return LB_OK;
}

/*
 * Everything identity needs, and the application bytes besides (they are static too and
 * `show` wants them next), in one plan: lower memory, page 00h up to its checksum and the
 * whole of page 01h (its checksum covers 130..254).
 */
static int get_identity(struct lb_module *m, struct lb_module_identity *out)
{
	const struct lb_module_adv *adv;
	uint8_t lower[128] = { 0 }, p00[128] = { 0 }, p01[128] = { 0 };
	int rc;

	if ((rc = lb_module_get_adv(m, &adv)))
		return rc;
	bool cmis = lb_cmis_identifier_is_cmis(adv->identifier);
	bool with01 = cmis && !adv->flat;
	struct lb_mem_range r[5] = {
		{ .offset = LB_CMIS_LOW_ID, .len = 3, .buf = &lower[LB_CMIS_LOW_ID] },
		{ .offset = LB_CMIS_LOW_FW_MAJOR, .len = 2, .buf = &lower[LB_CMIS_LOW_FW_MAJOR] },
		{ .offset = LB_CMIS_LOW_MEDIA_TYPE,
		  .len = LB_CMIS_LOW_APP_LAST - LB_CMIS_LOW_MEDIA_TYPE + 1,
		  .buf = &lower[LB_CMIS_LOW_MEDIA_TYPE] },
		{ .page = LB_CMIS_PAGE_ADMIN, .offset = 128, .len = LB_CMIS_P00_CHECKSUM - 128 + 1,
		  .buf = p00 },
		{ .page = LB_CMIS_PAGE_ADVERT, .offset = 128, .len = 128, .buf = p01 },
	};
	if ((rc = lb_module_read_ranges(m, r, with01 ? 5u : 4u)))
		return rc;
	rc = lb_cmis_decode_identity(lower, p00, with01 ? p01 : NULL, out);
	if (cmis && out->page01_checksum_ok) {
		lb_cmis_decode_apps(lower, with01 ? p01 : NULL, &m->cache.apps);
		m->cache.media_lanes = 0;
		m->cache.apps_valid = true;
	}
	/* 00h:210 for the monitor poll (monitors.c), behind the checksum just checked. */
	if (with01 && out->page00_checksum_ok) {
		m->cache.lane_unsup = p00[210 - 128];
		m->cache.lane_unsup_valid = true;
	}
	/* The first identity read matches the module's extension: no traffic of its own. */
	lb_module_ext_identified(m, out);
	return rc;
}

static int module_get_identity(struct lb_module *m, struct lb_module_identity *out)
{
	if (!m || lb_sized_check(out, LB_MODULE_IDENTITY_SIZE_V1))
		return LB_E_INVAL;
	struct lb_module_identity id;
	memset(&id, 0, sizeof(id));
	int rc = get_identity(m, &id);
	LB_SIZED_FILL(out, id);
	return rc;
}

LB_API int lb_module_get_identity(struct lb_module *m, struct lb_module_identity *out)
{
	return LB_MODULE_CALL(m, module_get_identity(m, out));
}
