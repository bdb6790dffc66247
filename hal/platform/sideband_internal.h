/* SPDX-License-Identifier: MIT */
/* The platform's side of sidebands: one per port, opened from the port's "sideband" object. */
#ifndef LB_HAL_PLATFORM_SIDEBAND_INTERNAL_H
#define LB_HAL_PLATFORM_SIDEBAND_INTERNAL_H

#include <jansson.h>
#include <lightbridge/platform.h>
#include <lightbridge/sideband.h>

/**
 * Open the sideband a port's JSON object describes (js: the "sideband" value), on behalf of
 * platform p; origin and field name the place in error messages (LB_E_PARSE).
 */
int lb_platform_sideband_open(struct lb_platform *p, struct lb_ctx *ctx, const char *origin,
			      const char *field, json_t *js, struct lb_bus *bus,
			      const char *bus_name, const struct lb_port_info *info,
			      struct lb_sideband **out);

#endif
