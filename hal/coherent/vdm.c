/* SPDX-License-Identifier: MIT */
/*
 * VDM (pages 20h-2Fh): the group count from 2Fh, then descriptors (20h-23h), samples
 * (24h-27h) and, when asked, threshold sets (28h-2Bh) read as whole pages in one plan, decoded
 * instance by instance.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/module_internal.h"
#include "hal/coherent/coherent_internal.h"

#define PAGE_DESC 0x20u
#define PAGE_SAMPLES 0x24u
#define PAGE_THRESHOLDS 0x28u
#define PAGE_CONTROL 0x2Fu
#define P2F_GROUPS 128u        /* .1-0 groups supported minus one */
#define P01_PAGES_VDM 0x40u    /* 01h:142.6 */
#define OBJECT_MODULE 15u

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

static int vdm_read(struct lb_module *m, uint8_t bank, unsigned what, struct lb_vdm *out)
{
	if (!m || lb_sized_check(out, LB_VDM_SIZE_V1))
		return LB_E_INVAL;
	struct lb_vdm *v = calloc(1, sizeof(*v));
	if (!v)
		return LB_E_NOMEM;
	v->size = sizeof(*v);
	v->bank = bank;
	const struct lb_module_adv *adv;
	int rc = what & ~LB_VDM_THRESHOLDS ? LB_E_INVAL : lb_module_get_adv(m, &adv);
	if (!rc && (adv->flat || !(adv->supported_pages & P01_PAGES_VDM)))
		rc = lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				  "the module does not advertise VDM (01h:142.6 clear)");
	else if (!rc && bank >= adv->banks)
		rc = lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP, "bank %u: the module has %u bank%s",
				  bank, adv->banks, adv->banks == 1 ? "" : "s");
	uint8_t ctl = 0;
	if (!rc)
		rc = lb_module_read(m, bank, PAGE_CONTROL, P2F_GROUPS, &ctl, 1);
	if (!rc) {
		unsigned groups = (ctl & 0x03u) + 1u, kinds = what & LB_VDM_THRESHOLDS ? 3u : 2u;
		uint8_t (*pages)[128] = calloc(kinds * groups, 128);
		struct lb_mem_range r[12];
		if (!pages) {
			rc = LB_E_NOMEM;
		} else {
			for (unsigned g = 0; g < groups; g++) {
				r[g] = (struct lb_mem_range){ bank, (uint8_t)(PAGE_DESC + g), 128, 128,
							      pages[g] };
				r[groups + g] = (struct lb_mem_range){ bank, (uint8_t)(PAGE_SAMPLES + g),
								       128, 128, pages[groups + g] };
				if (kinds == 3)
					r[2 * groups + g] = (struct lb_mem_range){
						bank, (uint8_t)(PAGE_THRESHOLDS + g), 128, 128,
						pages[2 * groups + g] };
			}
			rc = lb_module_read_ranges(m, r, kinds * groups);
			if (!rc) {
				v->groups = groups;
				lb_coherent_decode_vdm(pages, pages + groups,
						       kinds == 3 ? pages + 2 * groups : NULL, groups, v);
			}
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
