/* SPDX-License-Identifier: MIT */
/* Internal to hal/platform: the platform file's "links" (platform_links.c). */
#ifndef LB_HAL_PLATFORM_LINKS_H
#define LB_HAL_PLATFORM_LINKS_H

#include <lightbridge/options.h>
#include <lightbridge/platform.h>

struct platform_link {
	char *name, *path;
	unsigned port_a, port_b;
	unsigned media_mode_count;
	uint8_t media_id[LB_PLATFORM_LINK_MAX_MEDIA_MODES];
	char *media_mode[LB_PLATFORM_LINK_MAX_MEDIA_MODES];
};

struct platform_links {
	struct platform_link *v;
	unsigned n;
};

/*
 * Before any bus opens: check the root's "links" against its "ports" and "buses", keep them in
 * out, and add each link whose ports sit on an emulator bus to that bus's options ("links":
 * the two modules' channel and address, the path and the link's options), for the emulator to
 * join. LB_E_PARSE / LB_E_RANGE with the error recorded in the document; LB_E_NOMEM.
 */
int lb_platform_links_prepare(const struct lb_options *root, struct platform_links *out);
void lb_platform_links_free(struct platform_links *l);
/* The link at index i as the public struct (out checked by the caller). */
void lb_platform_link_fill(const struct platform_link *l, struct lb_platform_link *out);

#endif
