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
#include <lightbridge/link.h>

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

/* ---- line modes (mode_table.c, modes.c) ---- */

/* The line mode of a standard coherent application (media interface codes first..last). */
struct lb_coherent_app_mode {
	uint8_t first, last;
	const char *id, *name; /* id: the mode of link/modes.json */
	enum lb_link_format format;
	double entropy_bits, baud_gbd, net_rate_gbps;
	const char *fec;
	double slot_ghz, reach_km; /* reach 0: not stated */
};
/* The mode of media interface media_id of MediaType media_type, or NULL (none known). */
const struct lb_coherent_app_mode *lb_coherent_app_mode(uint8_t media_type, uint8_t media_id);

/* The advertised maximum power, 00h:201 (U8 x 0.25 W), from page 00h read with its checksum. */
int lb_coherent_max_power_w(struct lb_module *m, double *w);
/* Modes a module lists at most: its applications and an extension's. */
#define LB_COHERENT_MAX_MODES (LB_MODULE_MAX_APPS + 16)
/*
 * Every line mode the module offers (applications, then the extension's) in this library's
 * layout; *ext_select whether an extension selects line modes. *max_power_w the advertised
 * maximum power (00h:201).
 */
int lb_coherent_modes(struct lb_module *m, struct lb_line_mode *modes, size_t *count,
		      bool *ext_select, double *max_power_w);
/*
 * The line mode in force on lane_mask (0: lane 1): the extension's (a change under way waited
 * out), else with with_app the mode of the application in force; "" otherwise.
 */
int lb_coherent_mode_in_force(struct lb_module *m, uint32_t lane_mask, bool with_app, char *id,
			      size_t len);
/*
 * A number an extension's vendor pages state by field name ("tuning_time_ms",
 * "module_power_w"): LB_OK with *value, LB_E_NOTFOUND when no page has it (or no extension).
 */
int lb_coherent_ext_field(struct lb_module *m, const char *name, double *value);
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
