/* SPDX-License-Identifier: MIT */
/* Saving and restoring a module's mutable state as JSON text (see docs/emulator.md). */
#include "emulator/cmis/emu_module.h"

LB_API int lb_emu_module_save_state(const struct lb_emu_module *m, char **json_out)
{
	(void)m;
	(void)json_out;
	return LB_E_NOTSUP;
}

LB_API int lb_emu_module_load_state(struct lb_emu_module *m, const char *json)
{
	(void)m;
	(void)json;
	return LB_E_NOTSUP;
}
