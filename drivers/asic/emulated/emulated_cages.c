/* SPDX-License-Identifier: MIT */
/*
 * The cages op of the emulated ASIC driver (lightbridge/driver.h, cage_attach): a cage on an
 * emulator bus whose module is an end of a coherent link drives its lanes of the chip
 * (lb_emu_asic_attach_module), so that the link going down takes the ASIC port down by
 * itself. Cages of other modules keep the chip's own signal (a peer at power-on, or what
 * lb_emu_asic_set_signal sets): a platform without links behaves as it always has.
 */
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>
#include <lightbridge/module.h>
#include "drivers/bus/emulator/emulator_bus.h"
#include "emulated_asic.h"

extern const struct lb_driver lb_bus_driver_emulator;

int emu_drv_cage_attach(void *priv, uint32_t first_lane, uint32_t lane_count, struct lb_bus *bus,
			const struct lb_module_addr *where)
{
	struct emu_asic_drv *d = priv;
	struct emu_bus *b = lb_bus_driver_priv(bus, &lb_bus_driver_emulator);
	if (!b || !where || where->mux2_addr)
		return LB_E_NOTSUP; /* not an emulator bus (a single mux level is all it has) */
	int channel = where->mux_channel < 0 ? -1 : where->mux_channel;
	struct lb_emu_module *m = emu_bus_module_at(b, channel, where->addr ? where->addr : 0x50);
	if (!m)
		return LB_E_NOTFOUND;
	if (!lb_emu_module_link(m))
		return LB_OK; /* on no link */
	return lb_emu_asic_attach_module(d->asic, first_lane, lane_count, m);
}
