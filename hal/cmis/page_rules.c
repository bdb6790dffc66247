/* SPDX-License-Identifier: MIT */
/* CMIS page rules: banked pages, advertised pages, read and write limits. */
#include "hal/cmis/page_rules.h"

bool lb_cmis_page_needs_bank(const struct lb_module_adv *a, uint8_t bank, uint8_t page)
{
	return lb_cmis_page_is_banked(page) && (!a->valid || a->banks > 1 || bank);
}

int lb_cmis_page_advertised(const struct lb_module_adv *a, uint8_t bank, uint8_t page)
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
		return a->coherent; /* lb_cmis_coherent, decided by the access layer */
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

size_t lb_cmis_max_read(const struct lb_module_adv *a)
{
	return a->max_read ? a->max_read : LB_CMIS_DEFAULT_ACCESS;
}

size_t lb_cmis_max_write(const struct lb_module_adv *a, uint8_t page, bool lower)
{
	size_t n = LB_CMIS_DEFAULT_ACCESS;
	if (!lower && a->valid) {
		unsigned i = a->cdb_rw_ext;
		if (page == 0x9F)
			n = 8u * (1u + (i < 15 ? i : 15));
		else if (page >= 0xA0 && page <= 0xAF)
			n = 8u * (1u + i) > 128 ? 128 : 8u * (1u + i);
	}
	return n;
}
