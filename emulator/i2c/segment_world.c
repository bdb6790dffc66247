/* SPDX-License-Identifier: MIT */
#include <lightbridge/emulator.h>
#include "emulator/i2c/emu_world.h"

LB_API struct lb_emu_world *lb_emu_segment_world(const struct lb_emu_segment *s)
{
	return s ? s->world : NULL;
}
