/* SPDX-License-Identifier: MIT */
/* Which pages of a module made from an image were in the file (set once by image.c). */
#include "emulator/cmis/emu_module.h"

LB_API int lb_emu_module_page_in_image(const struct lb_emu_module *m, uint8_t bank, uint8_t page)
{
	if (!m)
		return LB_E_INVAL;
	if (m->source != EMU_FROM_IMAGE)
		return LB_E_NOTSUP;
	if (bank >= EMU_MAX_BANKS)
		return 0;
	if (!emu_page_banked(page))
		bank = 0;
	return (m->image_banks[page] >> bank) & 1u;
}
