/* SPDX-License-Identifier: MIT */
/*
 * Which line mode of link/modes.json a CMIS application runs, by its media interface code
 * (SFF-8024 Table 4-7, SMF media interface IDs). Only codes whose figures the mode table
 * carries: the HA/HB variants of OpenZR+ and the G.709 codes have no mode of their own yet.
 */
#include <lightbridge/link.h>

static const struct {
	uint8_t media_id;
	const char *mode;
} media_modes[] = {
	{ 0x3E, "400zr" },          /* 400ZR, DWDM, amplified */
	{ 0x6C, "800zr" },          /* 800ZR-A, 150 GHz DWDM */
	{ 0x6D, "800zr" },          /* 800ZR-B: same line format, other Tx output range */
	{ 0x6E, "800zr" },          /* 800ZR-C */
	{ 0x46, "zr+400g-16qam" },  /* ZR400-OFEC-16QAM */
	{ 0x47, "zr+300g" },        /* ZR300-OFEC-8QAM */
	{ 0x48, "zr+200g" },        /* ZR200-OFEC-QPSK */
	{ 0x49, "zr+100g" },        /* ZR100-OFEC-QPSK */
};

LB_API const char *lb_line_mode_for_media_id(uint8_t media_id)
{
	for (size_t i = 0; i < sizeof(media_modes) / sizeof(media_modes[0]); i++)
		if (media_modes[i].media_id == media_id)
			return media_modes[i].mode;
	return NULL;
}
