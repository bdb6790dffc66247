/* SPDX-License-Identifier: MIT */
/* The HyperPorts a platform's "asic" declares (lightbridge/hyperport.h), for platform.c. */
#ifndef LB_HAL_PLATFORM_HYPERPORTS_H
#define LB_HAL_PLATFORM_HYPERPORTS_H

#include <stddef.h>
#include <lightbridge/hyperport.h>
#include <lightbridge/options.h>

struct platform_hyperports {
	struct lb_platform_hyperport hp[LB_HYPERPORT_MAX];
	size_t n;
};

/*
 * Read asic's "hyperports" (absent: none) into out, once the platform's ports are known:
 * a name (letters, digits, '-', '_'; unique), four different front-panel ports of p each with
 * "asic_lanes", in one HyperPort at most, and a hash ("flow" by default). LB_E_PARSE with the
 * failure recorded in asic's document (lb_options_error).
 */
int lb_platform_hyperports_parse(const struct lb_platform *p, const struct lb_options *asic,
				 struct platform_hyperports *out);

#endif
