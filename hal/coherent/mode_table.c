/* SPDX-License-Identifier: MIT */
/*
 * The line modes of the standard coherent applications, by their SFF-8024 media interface
 * code (MediaType 02h, single-mode fibre; reference/cmis.md §9.7): what a module advertising
 * the application runs on the line. The ids name the modes of link/modes.json, where the
 * physics is; the figures here are those a module listing can state (format, baud, rate,
 * FEC, slot, nominal reach), copied from that table (docs/coherent.md, "Line modes").
 * Codes without a mode in link/modes.json (100GBASE-ZR, 400GBASE-ZR, XR optics) map to none.
 */
#include <stddef.h>
#include <lightbridge/link.h>
#include "hal/coherent/coherent_internal.h"

#define ZRP_BAUD 60.138546798 /* OpenZR+ 400G/300G/200G */

static const struct lb_coherent_app_mode table[] = {
	{ 0x3E, 0x3E, "400zr", "400ZR DWDM amplified, DP-16QAM, CFEC", LB_LINK_FORMAT_DP_16QAM, 0,
	  59.84375, 400, "CFEC", 75, 120 },
	{ 0x3F, 0x3F, "400zr", "400ZR single wavelength, unamplified, DP-16QAM, CFEC",
	  LB_LINK_FORMAT_DP_16QAM, 0, 59.84375, 400, "CFEC", 75, 0 },
	{ 0x35, 0x36, "zr+400g-16qam", "OpenZR+ ZR400-OFEC-16QAM (HA/HB)", LB_LINK_FORMAT_DP_16QAM, 0,
	  ZRP_BAUD, 400, "oFEC", 75, 800 },
	{ 0x46, 0x46, "zr+400g-16qam", "OpenZR+ ZR400-OFEC-16QAM", LB_LINK_FORMAT_DP_16QAM, 0,
	  ZRP_BAUD, 400, "oFEC", 75, 800 },
	{ 0x37, 0x37, "zr+400g-8qam", "OpenZR+ ZR400-OFEC-8QAM-HA", LB_LINK_FORMAT_DP_8QAM, 0,
	  80.18472906, 400, "oFEC", 100, 1520 },
	{ 0x58, 0x58, "zr+400g-8qam", "OpenZR+ ZR400-OFEC-8QAM-HB", LB_LINK_FORMAT_DP_8QAM, 0,
	  80.18472906, 400, "oFEC", 100, 1520 },
	{ 0x47, 0x47, "zr+300g", "OpenZR+ ZR300-OFEC-8QAM", LB_LINK_FORMAT_DP_8QAM, 0, ZRP_BAUD, 300,
	  "oFEC", 75, 1680 },
	{ 0x59, 0x5A, "zr+300g", "OpenZR+ ZR300-OFEC-8QAM (HA/HB)", LB_LINK_FORMAT_DP_8QAM, 0, ZRP_BAUD,
	  300, "oFEC", 75, 1680 },
	{ 0x48, 0x48, "zr+200g", "OpenZR+ ZR200-OFEC-QPSK", LB_LINK_FORMAT_DP_QPSK, 0, ZRP_BAUD, 200,
	  "oFEC", 75, 2960 },
	{ 0x5B, 0x5C, "zr+200g", "OpenZR+ ZR200-OFEC-QPSK (HA/HB)", LB_LINK_FORMAT_DP_QPSK, 0, ZRP_BAUD,
	  200, "oFEC", 75, 2960 },
	{ 0x49, 0x49, "zr+100g", "OpenZR+ ZR100-OFEC-QPSK", LB_LINK_FORMAT_DP_QPSK, 0, 30.069273399,
	  100, "oFEC", 50, 5920 },
	{ 0x5D, 0x5E, "zr+100g", "OpenZR+ ZR100-OFEC-QPSK (HA/HB)", LB_LINK_FORMAT_DP_QPSK, 0,
	  30.069273399, 100, "oFEC", 50, 5920 },
	{ 0x64, 0x65, "400g-qpsk-118", "OpenROADM FLEXO-4(e)-DO-QPSK 400G", LB_LINK_FORMAT_DP_QPSK, 0,
	  118.2, 400, "oFEC", 150, 1360 },
	{ 0x66, 0x67, "800g-16qam-118", "OpenROADM FLEXO-8(e)-DO-16QAM 800G", LB_LINK_FORMAT_DP_16QAM,
	  0, 118.2, 800, "oFEC", 150, 640 },
	{ 0x68, 0x69, "800g-pcs-131e", "OpenROADM FLEXO-8(e)-DPO-16QAM 800G, PCS", LB_LINK_FORMAT_PCS,
	  3.6, 131.3, 800, "oFEC", 162.5, 1120 },
	{ 0x6A, 0x6B, "600g-pcs-118", "OpenROADM FLEXO-6(e)-DPO-16QAM 600G, PCS", LB_LINK_FORMAT_PCS,
	  3.0, 118.8, 600, "oFEC", 150, 1280 },
	{ 0x6C, 0x6E, "800zr", "OIF 800ZR (A/B/C), DP-16QAM, oFEC", LB_LINK_FORMAT_DP_16QAM, 0, 118.2,
	  800, "oFEC", 150, 120 },
};

const struct lb_coherent_app_mode *lb_coherent_app_mode(uint8_t media_type, uint8_t media_id)
{
	if (media_type != 0x02)
		return NULL;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (media_id >= table[i].first && media_id <= table[i].last)
			return &table[i];
	return NULL;
}

/* The public lookup (lightbridge/link.h) over the same table: one list of codes and modes. */
LB_API const char *lb_line_mode_for_media_id(uint8_t media_id)
{
	const struct lb_coherent_app_mode *m = lb_coherent_app_mode(0x02, media_id);
	return m ? m->id : NULL;
}
