/* SPDX-License-Identifier: MIT */
/*
 * VDM (pages 20h-2Fh): the group count (2Fh) and descriptors (20h-23h) from the module cache
 * (read once per insertion, vdm_cache.c), then the samples (24h-27h) and, when asked,
 * threshold sets (28h-2Bh) read as whole pages in one plan, decoded instance by instance.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

#define PAGE_SAMPLES 0x24u
#define PAGE_THRESHOLDS 0x28u

static uint16_t be16(const uint8_t *b)
{
	return (uint16_t)((unsigned)b[0] << 8 | b[1]);
}

void lb_coherent_decode_vdm(const uint8_t (*desc)[128], const uint8_t (*val)[128],
			    const uint8_t (*thr)[128], unsigned groups, struct lb_vdm *out)
{
	out->count = 0;
	for (unsigned g = 0; g < groups && g < 4; g++) {
		for (unsigned i = 0; i < 64; i++) {
			uint8_t b0 = desc[g][2 * i], type = desc[g][2 * i + 1];
			if (!type || out->count >= LB_VDM_MAX_INSTANCES)
				continue;
			struct lb_vdm_instance *x = &out->inst[out->count++];
			x->group = (uint8_t)(g + 1);
			x->index = (uint8_t)i;
			x->type = type;
			x->object = b0 & 0x0Fu;
			x->lane = x->object < 8 ? (uint8_t)(x->object + 1) : 0;
			x->threshold_set = (uint8_t)(b0 >> 4);
			x->raw = be16(&val[g][2 * i]);
			x->value = lb_vdm_value(type, x->raw);
			/* set s: +0 high alarm, +2 low alarm, +4 high warning, +6 low warning */
			const uint8_t *t = thr ? &thr[g][8 * x->threshold_set] : NULL;
			x->high_alarm = t ? lb_vdm_value(type, be16(t)) : NAN;
			x->low_alarm = t ? lb_vdm_value(type, be16(t + 2)) : NAN;
			x->high_warning = t ? lb_vdm_value(type, be16(t + 4)) : NAN;
			x->low_warning = t ? lb_vdm_value(type, be16(t + 6)) : NAN;
		}
	}
}

/* Each instance's latched flags, as the handle's default consumer has not seen them yet. */
static void vdm_flags(struct lb_module *m, uint8_t bank, struct lb_vdm *v)
{
	uint8_t p2c[128];
	lb_flags_take_vdm(m, NULL, bank, p2c);
	for (unsigned k = 0; k < v->count; k++) {
		unsigned gi = 64u * (v->inst[k].group - 1u) + v->inst[k].index;
		v->flags[k] = (uint8_t)(((unsigned)p2c[gi / 2] >> (4u * (gi % 2u))) & 0x0Fu);
	}
}

static int vdm_read(struct lb_module *m, uint8_t bank, unsigned what, struct lb_vdm *out)
{
	if (!m || lb_sized_check(out, LB_VDM_SIZE_V1) ||
	    ((what & LB_VDM_FLAGS) && out->size < LB_VDM_SIZE_V2))
		return LB_E_INVAL;
	struct lb_vdm *v = calloc(1, sizeof(*v));
	if (!v)
		return LB_E_NOMEM;
	v->size = sizeof(*v);
	v->bank = bank;
	unsigned groups = 0;
	const uint8_t(*desc)[128] = NULL;
	int rc = what & ~(LB_VDM_THRESHOLDS | LB_VDM_FLAGS)
			 ? LB_E_INVAL
			 : lb_vdm_descriptors(m, bank, &groups, &desc);
	if (!rc) {
		unsigned kinds = what & LB_VDM_THRESHOLDS ? 2u : 1u;
		uint8_t (*pages)[128] = calloc(kinds * groups + 1, 128);
		struct lb_mem_range r[9];
		if (!pages) {
			rc = LB_E_NOMEM;
		} else {
			for (unsigned g = 0; g < groups; g++) {
				r[g] = (struct lb_mem_range){ bank, (uint8_t)(PAGE_SAMPLES + g), 128, 128,
							      pages[g] };
				if (kinds == 2)
					r[groups + g] = (struct lb_mem_range){
						bank, (uint8_t)(PAGE_THRESHOLDS + g), 128, 128,
						pages[groups + g] };
			}
			unsigned n = kinds * groups;
			if (what & LB_VDM_FLAGS) /* the flags of every group: one page */
				r[n++] = (struct lb_mem_range){ bank, LB_FLAGS_PAGE_VDM, 128, 128,
								pages[kinds * groups] };
			rc = lb_module_read_ranges(m, r, n);
			if (!rc) {
				v->groups = groups;
				lb_coherent_decode_vdm(desc, pages, kinds == 2 ? pages + groups : NULL,
						       groups, v);
			}
			if (!rc && (what & LB_VDM_FLAGS))
				vdm_flags(m, bank, v);
			free(pages);
		}
	}
	lb_sized_fill(out, v, sizeof(*v));
	free(v);
	return rc;
}

LB_API int lb_vdm_read(struct lb_module *m, uint8_t bank, unsigned what, struct lb_vdm *out)
{
	return LB_MODULE_CALL(m, vdm_read(m, bank, what, out));
}
