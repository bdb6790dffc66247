/* SPDX-License-Identifier: MIT */
/* The platform's side of sidebands: one per port, opened from the port's "sideband" object. */
#ifndef LB_HAL_PLATFORM_SIDEBAND_INTERNAL_H
#define LB_HAL_PLATFORM_SIDEBAND_INTERNAL_H

#include <lightbridge/options.h>
#include <lightbridge/platform.h>
#include <lightbridge/sideband.h>

/**
 * Open the sideband a port's "sideband" object describes (js, a view into the platform file
 * as it was parsed, handed to the driver as its options), on behalf of platform p. Every
 * failure is the context's error detail: a field of js that is wrong names itself, anything
 * else names the object.
 */
int lb_platform_sideband_open(struct lb_platform *p, struct lb_ctx *ctx, const struct lb_options *js,
			      struct lb_bus *bus, const char *bus_name, const struct lb_port_info *info,
			      struct lb_sideband **out);
/** lb_sideband_open() with the driver's options already parsed (never NULL). */
int lb_sideband_open_options(struct lb_ctx *ctx, const char *driver,
			     const struct lb_options *options, void *handle, struct lb_sideband **out);

#endif
