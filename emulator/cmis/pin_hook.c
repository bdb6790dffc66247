/* SPDX-License-Identifier: MIT */
/* The pin hook: how a sideband driver learns that ModPrsL or IntL may have changed. */
#include <lightbridge/emulator.h>
#include "emulator/cmis/emu_module.h"

static void lb_emu_module_set_pin_hook_unlocked(struct lb_emu_module *m, lb_emu_pin_hook_fn fn, void *user)
{
	if (!m)
		return;
	m->pin_hook = fn;
	m->pin_hook_user = fn ? user : NULL;
}

LB_API void lb_emu_module_set_pin_hook(struct lb_emu_module *m, lb_emu_pin_hook_fn fn, void *user)
{
	if (!m) {
		lb_emu_module_set_pin_hook_unlocked(m, fn, user);
		return;
	}
	emu_module_lock(m);
	lb_emu_module_set_pin_hook_unlocked(m, fn, user);
	emu_module_unlock(m);
}
