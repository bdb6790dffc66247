/* SPDX-License-Identifier: MIT */
/* The pin hook: how a sideband driver learns that ModPrsL or IntL may have changed. */
#include <lightbridge/emulator.h>
#include "emulator/cmis/emu_module.h"

LB_API void lb_emu_module_set_pin_hook(struct lb_emu_module *m, lb_emu_pin_hook_fn fn, void *user)
{
	if (!m)
		return;
	m->pin_hook = fn;
	m->pin_hook_user = fn ? user : NULL;
}
