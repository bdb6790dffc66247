/* SPDX-License-Identifier: MIT */
/* The module's page store: lower memory plus each upper page that the advertisement creates. */
#include <stdlib.h>
#include <string.h>
#include "emulator/cmis/emu_module.h"

bool emu_page_banked(uint8_t page)
{
	return page >= 0x10; /* CMIS: pages 00h-0Fh unbanked, 10h-FFh banked */
}

int emu_mem_add_page(struct emu_mem *mem, unsigned bank, uint8_t page)
{
	if (!emu_page_banked(page))
		bank = 0;
	if (bank >= EMU_MAX_BANKS)
		return LB_E_RANGE;
	if (mem->page[bank][page])
		return LB_OK;
	mem->page[bank][page] = calloc(1, EMU_PAGE_SIZE);
	return mem->page[bank][page] ? LB_OK : LB_E_NOMEM;
}

uint8_t *emu_mem_page(const struct emu_mem *mem, unsigned bank, uint8_t page)
{
	if (!emu_page_banked(page))
		bank = 0;
	if (bank >= EMU_MAX_BANKS)
		return NULL;
	return mem->page[bank][page];
}

void emu_mem_free(struct emu_mem *mem)
{
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned p = 0; p < 256; p++) {
			free(mem->page[b][p]);
			mem->page[b][p] = NULL;
		}
}

int emu_mem_copy(struct emu_mem *dst, const struct emu_mem *src)
{
	memcpy(dst->lower, src->lower, sizeof(dst->lower));
	dst->nbanks = src->nbanks;
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned p = 0; p < 256; p++) {
			if (!src->page[b][p]) {
				free(dst->page[b][p]);
				dst->page[b][p] = NULL;
				continue;
			}
			if (!dst->page[b][p] && !(dst->page[b][p] = malloc(EMU_PAGE_SIZE)))
				return LB_E_NOMEM;
			memcpy(dst->page[b][p], src->page[b][p], EMU_PAGE_SIZE);
		}
	return LB_OK;
}

unsigned emu_banks_from_adv(uint8_t b142, uint8_t b174)
{
	static const unsigned banks[3] = { 1, 2, 4 };
	if ((b142 & 3u) != 3u)
		return banks[b142 & 3u];
	/* 11b: CMIS 5.4 counts the banks in 01h:174.4-0 (n + 1), as the host reads them. */
	unsigned n = (b174 & 0x1Fu) + 1u;
	return n < EMU_MAX_BANKS ? n : EMU_MAX_BANKS;
}

/* C-CMIS pages created when 01h:142.4 advertises the coherent pages. */
static const uint8_t ccmis_pages[] = { 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38,
				       0x3A, 0x3B, 0x41, 0x42, 0x43, 0x45 };

void emu_advertised_pages(const uint8_t *lower, const uint8_t *p01, const uint8_t *p2f,
			  uint8_t banks_of[256])
{
	static const uint8_t zero[EMU_PAGE_SIZE];
	memset(banks_of, 0, 256);
	banks_of[0x00] = 1;
	if (lower[2] & 0x80)
		return; /* flat memory: lower + 00h only */
	if (!p01)
		p01 = zero;
#define ADV(b) (p01[(b) - 128])
	uint8_t nb = (uint8_t)emu_banks_from_adv(ADV(142), ADV(174));
	banks_of[0x01] = banks_of[0x02] = 1;
	banks_of[0x10] = banks_of[0x11] = nb;
	if (ADV(142) & 0x04)
		banks_of[0x03] = 1;
	if (ADV(142) & 0x08)
		banks_of[0x05] = 1;
	if (ADV(142) & 0x20)
		banks_of[0x13] = banks_of[0x14] = nb;
	if (ADV(142) & 0x80)
		banks_of[0x16] = banks_of[0x17] = nb;
	if (ADV(145) & 0x08)
		banks_of[0x15] = nb;
	if (ADV(155) & 0x40) {
		banks_of[0x04] = 1;
		banks_of[0x12] = nb;
	}
	if (ADV(142) & 0x40) {
		unsigned groups = (p2f ? (p2f[0] & 3u) : 0u) + 1u;
		for (unsigned g = 0; g < groups; g++)
			banks_of[0x20 + g] = banks_of[0x24 + g] = banks_of[0x28 + g] = nb;
		banks_of[0x2C] = banks_of[0x2D] = banks_of[0x2F] = nb;
	}
	if (ADV(142) & 0x10)
		for (size_t i = 0; i < sizeof(ccmis_pages); i++)
			banks_of[ccmis_pages[i]] = nb;
	unsigned inst = (ADV(163) >> 6) & 3u;
	if (inst == 1 || inst == 2) {
		static const unsigned epl[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
		unsigned code = ADV(163) & 0x0Fu;
		unsigned npages = code < 8 ? epl[code] : 0;
		banks_of[0x9F] = (uint8_t)inst;
		for (unsigned i = 0; i < npages; i++)
			banks_of[0xA0 + i] = (uint8_t)inst;
	}
#undef ADV
}

int emu_mem_alloc_pages(struct emu_mem *mem, const uint8_t banks_of[256])
{
	for (unsigned p = 0; p < 256; p++)
		for (unsigned b = 0; b < banks_of[p] && b < EMU_MAX_BANKS; b++) {
			int rc = emu_mem_add_page(mem, b, (uint8_t)p);
			if (rc)
				return rc;
		}
	return LB_OK;
}

uint8_t emu_page_sum(const uint8_t *page, unsigned from, unsigned to)
{
	unsigned sum = 0;
	for (unsigned b = from; b <= to; b++)
		sum += page[b - 128];
	return (uint8_t)(sum & 0xffu);
}

void emu_mem_fix_checksums(struct emu_mem *mem)
{
	uint8_t *p;
	if ((p = mem->page[0][0x00]))
		p[222 - 128] = emu_page_sum(p, 128, 221);
	if ((p = mem->page[0][0x01]))
		p[255 - 128] = emu_page_sum(p, 130, 254);
	if ((p = mem->page[0][0x02]))
		p[255 - 128] = emu_page_sum(p, 128, 254);
}

#define MS 1000000ull
static const uint64_t code_bounds[15] = {
	0, 1 * MS, 5 * MS, 10 * MS, 50 * MS, 100 * MS, 500 * MS, 1000 * MS, 5000 * MS,
	10000 * MS, 60000 * MS, 300000 * MS, 600000 * MS, 3000000 * MS, UINT64_MAX,
};

uint64_t emu_code_min_ns(unsigned code)
{
	return code < 14 ? code_bounds[code] : 0;
}

uint64_t emu_code_max_ns(unsigned code)
{
	return code < 14 ? code_bounds[code + 1] : 0;
}
