/* SPDX-License-Identifier: MIT */
/* Internal: the context of a platform, for library code outside platform.c. */
#ifndef LB_PLATFORM_CTX_H
#define LB_PLATFORM_CTX_H

struct lb_ctx;
struct lb_platform;

/** The context p was opened in; NULL for NULL p. */
struct lb_ctx *lb_platform_ctx_of(const struct lb_platform *p);

#endif
