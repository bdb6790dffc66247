/* SPDX-License-Identifier: MIT */
/* Injectable time source: real (CLOCK_MONOTONIC) or virtual (the emulator's). */
/* Threads: an installed clock must be safe to call from every thread that uses its buses. */
#ifndef LIGHTBRIDGE_CLOCK_H
#define LIGHTBRIDGE_CLOCK_H

#include <stdint.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

struct lb_clock {
	/** Current time in ns on a monotonic scale. */
	uint64_t (*now_ns)(void *user);
	/** Let time pass by ns (a real sleep, or a virtual advance). */
	void (*sleep_ns)(void *user, uint64_t ns);
	void *user;
};

/** The real clock: CLOCK_MONOTONIC and nanosleep. */
LB_API struct lb_clock lb_clock_monotonic(void);

LB_END_DECLS
#endif
