/* SPDX-License-Identifier: MIT */
/*
 * Whether a module is coherent (has the C-CMIS pages 30h-4Fh), decided as deployed hosts
 * decide it (SONiC and FBOSS recognise a ZR media interface). 01h:142.4 CoherentPagesSupported
 * exists from CMIS 5.3 only; modules built to CMIS 4.1 and 5.0, most 400ZR/ZR+ modules in the
 * field, leave it clear while they implement the pages. So: the bit when the module declares
 * 5.3 or later; before 5.3 an advertised coherent media interface together with a tunable
 * transmitter (01h:155.6). docs/architecture.md, "CMIS revisions", says the same.
 */
#include <stddef.h>
#include "hal/cmis/decode.h"
#include "hal/cmis/regs.h"
#include "hal/cmis/revision.h"

#define P(abs) ((abs) - 128u)

/*
 * The coherent media interface IDs of SFF-8024 4.13 Table 4-7 (single-mode fibre, MediaType
 * 02h): OIF 400ZR and 800ZR, IEEE 100GBASE-ZR and 400GBASE-ZR, OpenZR+ (ZRnnn-OFEC) and the
 * OpenROADM FlexO codes. Open XR Optics (81h-8Eh, point-to-multipoint) and vendor codes
 * (C0h-FFh) are left out: a module that uses them says so with 142.4 (CMIS 5.3+), or not at all.
 */
static const struct { uint8_t first, last; } coherent_smf[] = {
	{ 0x35, 0x37 }, /* ZR400-OFEC-16QAM-HA, -16QAM-HB, -8QAM-HA */
	{ 0x3E, 0x3F }, /* 400ZR DWDM amplified, 400ZR single wavelength unamplified */
	{ 0x44, 0x44 }, /* 100GBASE-ZR */
	{ 0x46, 0x49 }, /* ZR400-OFEC-16QAM, ZR300-OFEC-8QAM, ZR200-OFEC-QPSK, ZR100-OFEC-QPSK */
	{ 0x4D, 0x4D }, /* 400GBASE-ZR */
	{ 0x58, 0x5E }, /* ZR400-OFEC-8QAM-HB, ZR300-/ZR200-/ZR100-OFEC -HA/-HB */
	{ 0x5F, 0x6B }, /* FLEXO-4-DO-16QAM ... FLEXO-6-DPO-16QAM (OpenROADM) */
	{ 0x6C, 0x6E }, /* 800ZR-A, -B, -C (150 GHz DWDM) */
};

bool lb_cmis_media_is_coherent(uint8_t media_type, uint8_t media_id)
{
	if (media_type != 0x02)
		return false;
	for (size_t i = 0; i < sizeof(coherent_smf) / sizeof(coherent_smf[0]); i++)
		if (media_id >= coherent_smf[i].first && media_id <= coherent_smf[i].last)
			return true;
	return false;
}

bool lb_cmis_coherent(uint8_t revision, const uint8_t lower[128], const uint8_t *p01)
{
	if (!p01)
		return false;
	if (lb_cmis_rev_has(revision, LB_CMIS_RULE_COHERENT_BIT))
		return (p01[P(LB_CMIS_P01_PAGES)] & LB_CMIS_P01_PAGES_COHERENT) != 0;
	if (!(p01[P(LB_CMIS_P01_TX_CTRL)] & LB_CMIS_P01_TX_CTRL_TUNABLE))
		return false;
	struct lb_app_list apps;
	lb_cmis_decode_apps(lower, p01, &apps);
	for (unsigned i = 0; i < apps.count; i++)
		if (lb_cmis_media_is_coherent(apps.media_type, apps.app[i].media_id))
			return true;
	return false;
}
