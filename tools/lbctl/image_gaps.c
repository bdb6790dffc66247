/* SPDX-License-Identifier: MIT */
/*
 * decode: the pages an image file lacked. The emulator replaying it serves them anyway (zeros,
 * or state-machine values for 10h/11h), which must not be shown as the module's.
 */
#include "lbctl.h"

bool lbctl_image_lacks(const struct lbctl *app, uint8_t page)
{
	return app->image && lb_emu_module_page_in_image(app->image, 0, page) == 0;
}
