/* SPDX-License-Identifier: MIT */
/*
 * The coherent part of the core (hal/coherent): the capability rule, and the pure decoders of
 * pages 04h, 12h and 20h-27h over byte buffers (page[i] is byte 128 + i), so that tests can
 * run them on memory images directly.
 */
#ifndef LB_HAL_COHERENT_INTERNAL_H
#define LB_HAL_COHERENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/coherent.h>

/*
 * Whether the module is coherent: 1, 0, or a negative status (the advertisement unread).
 * Asked of the access layer as whether the module has C-CMIS page 30h, so the rule is the
 * access layer's one rule for those pages: here 01h:142 bit 4 (CMIS 5.3); with the fidelity
 * work in hal/cmis, that bit from CMIS 5.3, else a coherent media interface together with a
 * tunable laser (the 4.1/5.0 modules in the field), with nothing to change here.
 */
int lb_coherent_capable(struct lb_module *m);

/* Grid of a 12h grid-spacing code as a module of this revision (00h:1) writes it. */
int lb_coherent_grid_of_code(uint8_t code, uint8_t revision);
/* Decode page 04h into out (all members after size). */
void lb_coherent_decode_caps(const uint8_t p04[128], struct lb_laser_caps *out);
/* Decode lane index i (0-7) of page 12h of a module of this revision into out. */
void lb_coherent_decode_laser(const uint8_t p12[128], unsigned i, uint8_t revision,
			      struct lb_laser_status *out);
/*
 * Decode VDM groups 1..groups: desc[g] is page 20h + g, val[g] page 24h + g, thr[g] page
 * 28h + g (thr NULL: thresholds NAN). Fills count and inst of out; instances of type 0 are
 * skipped.
 */
void lb_coherent_decode_vdm(const uint8_t (*desc)[128], const uint8_t (*val)[128],
			    const uint8_t (*thr)[128], unsigned groups, struct lb_vdm *out);

/* ---- VDM descriptors, once per insertion (vdm_cache.c) ---- */
#define LB_VDM_CACHE_BANKS 4u
/* LB_OK when the module advertises VDM and has bank (LB_E_NOTSUP with the reason otherwise). */
int lb_vdm_check(struct lb_module *m, uint8_t bank);
/*
 * The group count and descriptor pages of bank (desc[g] = page 20h + g), read on first use
 * after an insertion and kept in the module cache (valid until the next call on m).
 */
int lb_vdm_descriptors(struct lb_module *m, uint8_t bank, unsigned *groups,
		       const uint8_t (**desc)[128]);
/* The last instance of a descriptor page in use (-1: none). */
int lb_vdm_last_instance(const uint8_t desc[128]);
/* Whether any instance of groups is a statistic type (min/max/average over an interval). */
bool lb_vdm_has_statistics(const uint8_t (*desc)[128], unsigned groups);

/* ---- C-CMIS PM (pm.c) ---- */
/* Decode pages 34h and 35h (p[i] is byte 128 + i) into out (all members after size and bank). */
void lb_coherent_decode_pm(const uint8_t p34[128], const uint8_t p35[128], struct lb_ccmis_pm *out);
/* LB_OK when the module is coherent and has bank (LB_E_NOTSUP with the reason otherwise). */
int lb_ccmis_pm_check(struct lb_module *m, uint8_t bank);

#endif
