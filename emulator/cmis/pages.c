/* SPDX-License-Identifier: MIT */
/*
 * The page handler table of a module: which handler serves the lower half and each upper
 * page, the access class of every byte, and the handlers' timers and flags.
 */
#include <stdlib.h>
#include <string.h>
#include "emulator/cmis/emu_page.h"

/*
 * The built-in handlers, installed into every module in this order (a later one takes the
 * pages of an earlier one). A new page handler is one file defining its struct
 * emu_page_handler, and one line here.
 */
static const struct emu_page_handler *const builtin[] = {
	&emu_page_lower,
	&emu_page_user_eeprom,
	&emu_page_controls,
	&emu_page_lane_status,
	&emu_page_tuning,
	&emu_page_diag_control,
	&emu_page_diag_flags,
	&emu_page_vdm_samples,
	&emu_page_vdm_flags,
	&emu_page_vdm_masks,
	&emu_page_vdm_control,
	&emu_page_ccmis_config,
	&emu_page_ccmis_flags,
	&emu_page_ccmis_pm,
	&emu_page_ccmis_masks,
	&emu_page_cdb,
	&emu_page_custom,
	&emu_page_pcs,
};

/* Pages no handler serves (00h, 01h, 02h, 04h, ...): read-only memory. */
static const struct emu_page_handler read_only = {
	.name = "read-only", .first_page = EMU_LOWER, .last_page = 0xFF, .access = EMU_RO,
};

static bool has_page(const struct lb_emu_module *m, int page)
{
	if (page == EMU_LOWER)
		return true;
	for (unsigned b = 0; b < m->mem.nbanks; b++)
		if (emu_mem_page(&m->mem, b, (uint8_t)page))
			return true;
	return false;
}

/* Slots whose handler serves a page the module has, with timers / with flags. */
static void index_slots(struct lb_emu_module *m)
{
	struct emu_pages *pg = &m->pages;
	bool used[EMU_MAX_PAGE_SLOTS] = { false };
	for (int p = EMU_LOWER; p <= 0xFF; p++)
		if (pg->of[p + 1] && has_page(m, p))
			used[pg->of[p + 1]] = true;
	pg->ntimed = pg->nflagged = 0;
	for (unsigned i = 1; i < pg->nslots; i++) {
		if (!used[i])
			continue;
		if (pg->slot[i].h->next_deadline && pg->slot[i].h->run)
			pg->timed[pg->ntimed++] = (uint8_t)i;
		if (pg->slot[i].h->flags_set)
			pg->flagged[pg->nflagged++] = (uint8_t)i;
	}
}

static void fill_access(struct emu_page_slot *sl, const struct emu_page_handler *h)
{
	for (unsigned a = 0; a < 128; a++) {
		/* byte addresses of the half: 0-127 below, 128-255 above */
		unsigned addr = h->first_page == EMU_LOWER ? a : a + 128;
		enum emu_access cls = h->access;
		for (unsigned r = 0; r < h->nranges; r++) {
			if (addr >= h->ranges[r].first && addr <= h->ranges[r].last) {
				cls = h->ranges[r].access;
				break;
			}
		}
		sl->access[a] = (uint8_t)cls;
	}
}

int emu_pages_add(struct lb_emu_module *m, const struct emu_page_handler *h)
{
	struct emu_pages *pg = &m->pages;
	if (!h || h->first_page < EMU_LOWER || h->last_page > 0xFF || h->first_page > h->last_page ||
	    (h->first_page == EMU_LOWER) != (h->last_page == EMU_LOWER))
		return LB_E_INVAL;
	if (pg->nslots == 0) { /* slot 0: the read-only default of every page */
		pg->slot[0].h = &read_only;
		memset(pg->slot[0].access, EMU_RO, sizeof(pg->slot[0].access));
		pg->nslots = 1;
	}
	if (pg->nslots == EMU_MAX_PAGE_SLOTS)
		return LB_E_RANGE;
	struct emu_page_slot *sl = &pg->slot[pg->nslots];
	memset(sl, 0, sizeof(*sl));
	if (h->priv_size && !(sl->priv = calloc(1, h->priv_size)))
		return LB_E_NOMEM;
	sl->h = h;
	fill_access(sl, h);
	for (int p = h->first_page; p <= h->last_page; p++)
		pg->of[p + 1] = (uint8_t)pg->nslots;
	pg->nslots++;
	index_slots(m);
	return LB_OK;
}

int emu_pages_install(struct lb_emu_module *m)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++) {
		int rc = emu_pages_add(m, builtin[i]);
		if (rc)
			return rc;
	}
	return LB_OK;
}

void emu_pages_free(struct lb_emu_module *m)
{
	for (unsigned i = 0; i < m->pages.nslots; i++) {
		if (m->pages.slot[i].priv && m->pages.slot[i].h->release)
			m->pages.slot[i].h->release(m->pages.slot[i].priv);
		free(m->pages.slot[i].priv);
		m->pages.slot[i].priv = NULL;
	}
	m->pages.nslots = 0;
}

uint64_t emu_pages_next_deadline(const struct lb_emu_module *m)
{
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < m->pages.ntimed; i++) {
		const struct emu_page_slot *sl = &m->pages.slot[m->pages.timed[i]];
		uint64_t d = sl->h->next_deadline(m, sl->priv);
		if (d < next)
			next = d;
	}
	return next;
}

void emu_pages_run(struct lb_emu_module *m)
{
	for (unsigned i = 0; i < m->pages.ntimed; i++) {
		struct emu_page_slot *sl = &m->pages.slot[m->pages.timed[i]];
		if (sl->h->next_deadline(m, sl->priv) <= m->t)
			sl->h->run(m, sl->priv);
	}
}

void emu_pages_power_on(struct lb_emu_module *m)
{
	for (unsigned i = 1; i < m->pages.nslots; i++) {
		struct emu_page_slot *sl = &m->pages.slot[i];
		if (sl->h->power_on)
			sl->h->power_on(m, sl->priv);
	}
}

bool emu_pages_intl(const struct lb_emu_module *m)
{
	for (unsigned i = 0; i < m->pages.nflagged; i++) {
		const struct emu_page_handler *h = m->pages.slot[m->pages.flagged[i]].h;
		bool banked = h->first_page != EMU_LOWER && emu_page_banked((uint8_t)h->first_page);
		unsigned nb = banked ? m->mem.nbanks : 1;
		for (unsigned b = 0; b < nb; b++)
			if (h->flags_set(m, b, true))
				return true;
	}
	return false;
}

uint8_t emu_pages_summary(const struct lb_emu_module *m, unsigned bank)
{
	uint8_t s = 0;
	for (unsigned i = 0; i < m->pages.nflagged; i++) {
		const struct emu_page_handler *h = m->pages.slot[m->pages.flagged[i]].h;
		if (h->summary && h->flags_set(m, bank, false))
			s |= h->summary;
	}
	return s;
}
