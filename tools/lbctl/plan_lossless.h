/* SPDX-License-Identifier: MIT */
/* lbctl plan lossless from the optics: --port PORT, --apply [PORT...] (plan_lossless_apply.c). */
#ifndef LBCTL_PLAN_LOSSLESS_H
#define LBCTL_PLAN_LOSSLESS_H

#include "lbctl.h"

struct lbctl_plan_optics {
	bool apply;                /* program the thresholds (else a plan only) */
	const char *ports[LBCTL_MAX_POS + 1]; /* PORT arguments ("1", "Tokyo0", "1,2"); NULL-ended */
	const char *source;        /* --rtt-from: one source only, or NULL: all in order */
	bool have_distance;
	double distance_km;        /* --distance-km: the caller's distance, the last source */
	uint8_t priorities;        /* --lossless: 0 for the library's default (3, 4) */
	double oversubscription;   /* 0: the library's default */
};

/** Plan (and apply) each port's thresholds from its optics; prints text or JSON. */
int lbctl_plan_lossless_optics(struct lbctl *app, const struct lbctl_plan_optics *po, bool json);

#endif
