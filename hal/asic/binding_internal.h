/* SPDX-License-Identifier: MIT */
/* Internal to hal: the platform tells its switch's driver the front-panel map (binding.c). */
#ifndef LB_HAL_ASIC_BINDING_INTERNAL_H
#define LB_HAL_ASIC_BINDING_INTERNAL_H

#include <lightbridge/asic.h>
#include <lightbridge/platform.h>

/*
 * Once sw is open for p: for every front-panel port with ASIC lanes, tell the driver which
 * cage sits on them (the ops' cage_attach, when it has it). Errors are the driver's affair:
 * a cage it cannot attach keeps the lanes' signal as it was. Calls no platform call that
 * takes the platform's lock.
 */
void lb_platform_switch_attach_cages(struct lb_platform *p, struct lb_switch *sw);

#endif
