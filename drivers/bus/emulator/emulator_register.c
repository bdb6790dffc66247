/* SPDX-License-Identifier: MIT */
/*
 * lb_emu_register_drivers(): the core carries no emulator code, so the emulator's bus and
 * sideband drivers are not in its built-in table. A process that wants emulated buses links
 * liblightbridge-emu and registers them into each context it creates.
 */
#include <lightbridge/ctx.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>

extern const struct lb_driver lb_bus_driver_emulator;
extern const struct lb_driver lb_sideband_driver_emulator;
extern const struct lb_driver lb_asic_driver_emulated;

static bool is_ours(struct lb_ctx *ctx, const struct lb_driver *drv)
{
	return lb_ctx_has_driver(ctx, drv);
}

/* LB_OK when drv itself is registered already; a namesake is refused with the core's detail. */
static int register_once(struct lb_ctx *ctx, const struct lb_driver *drv)
{
	if (is_ours(ctx, drv))
		return LB_OK;
	int rc = lb_ctx_register_driver(ctx, drv);
	if (rc == LB_E_EXISTS && is_ours(ctx, drv)) {
		lb_ctx_clear_error(ctx);
		return LB_OK; /* registered by another thread in between */
	}
	return rc;
}

LB_API int lb_emu_register_drivers(struct lb_ctx *ctx)
{
	if (!ctx)
		return LB_E_INVAL;
	int rc = register_once(ctx, &lb_bus_driver_emulator);
	if (rc == LB_OK)
		rc = register_once(ctx, &lb_sideband_driver_emulator);
	if (rc == LB_OK)
		rc = register_once(ctx, &lb_asic_driver_emulated);
	return rc;
}
