/* SPDX-License-Identifier: MIT */
/*
 * VDM descriptors, read once per insertion: the group count (2Fh:128) and the descriptor pages
 * 20h..20h+groups-1 of a bank are static (CMIS: read-only, set by the module's design), so the
 * module cache keeps them until the module is replaced (the cache is dropped with the rest).
 */
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

#define PAGE_DESC 0x20u
#define PAGE_CONTROL 0x2Fu
#define P2F_GROUPS 128u     /* .1-0 groups supported minus one */
#define P01_PAGES_VDM 0x40u /* 01h:142.6 */

int lb_vdm_check(struct lb_module *m, uint8_t bank)
{
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (adv->flat || !(adv->supported_pages & P01_PAGES_VDM))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module does not advertise VDM (01h:142.6 clear)");
	if (bank >= adv->banks || bank >= LB_VDM_CACHE_BANKS)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP, "bank %u: the module has %u bank%s",
				    bank, adv->banks, adv->banks == 1 ? "" : "s");
	return LB_OK;
}

int lb_vdm_descriptors(struct lb_module *m, uint8_t bank, unsigned *groups,
		       const uint8_t (**desc)[128])
{
	int rc = lb_vdm_check(m, bank);
	if (rc)
		return rc;
	struct lb_module_cache *c = &m->cache;
	if (c->vdm_absent & (1u << bank))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "bank %u: the module advertises VDM but lacks its pages (seen at an "
				    "earlier read since its insertion)", bank);
	if (!(c->vdm_valid & (1u << bank))) {
		uint8_t ctl = 0;
		rc = lb_module_read(m, bank, PAGE_CONTROL, P2F_GROUPS, &ctl, 1);
		unsigned n = (ctl & 0x03u) + 1u;
		struct lb_mem_range r[4];
		for (unsigned g = 0; g < n; g++)
			r[g] = (struct lb_mem_range){ bank, (uint8_t)(PAGE_DESC + g), 128, 128,
						      c->vdm_desc[bank][g] };
		if (!rc)
			rc = lb_module_read_ranges(m, r, n);
		if (rc == LB_E_NOTSUP) /* a page refused: so it stays until the module changes */
			c->vdm_absent |= (uint8_t)(1u << bank);
		if (rc)
			return rc;
		c->vdm_groups[bank] = (uint8_t)n;
		c->vdm_valid |= (uint8_t)(1u << bank);
	}
	*groups = c->vdm_groups[bank];
	*desc = (const uint8_t (*)[128])c->vdm_desc[bank];
	return LB_OK;
}

/* The last instance in use of group g (-1: none). */
int lb_vdm_last_instance(const uint8_t desc[128])
{
	for (int i = 63; i >= 0; i--)
		if (desc[2 * i + 1])
			return i;
	return -1;
}

bool lb_vdm_has_statistics(const uint8_t (*desc)[128], unsigned groups)
{
	for (unsigned g = 0; g < groups; g++)
		for (unsigned i = 0; i < 64; i++) {
			const struct lb_vdm_type *t = lb_vdm_type_find(desc[g][2 * i + 1]);
			if (desc[g][2 * i + 1] && t && t->statistic)
				return true;
		}
	return false;
}
