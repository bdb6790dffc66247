/* SPDX-License-Identifier: MIT */
/*
 * The control structure of a long operation (bring-up now, firmware download later): an
 * absolute deadline, a cancel flag and a progress callback, in one small struct that can grow.
 */
#ifndef LIGHTBRIDGE_OP_H
#define LIGHTBRIDGE_OP_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

/**
 * Progress of a long operation: step names the step it is in ("power up", "apply", ...; a
 * static string), fraction is the share of the operation done, 0.0 to 1.0, weighted by the
 * durations the module advertises for each step. Called from the thread that steps the
 * operation; lb_platform_bring_up calls it from one thread per bus.
 */
typedef void (*lb_progress_fn)(void *user, const char *step, double fraction);

struct lb_op {
	/** sizeof(struct lb_op) the caller was built with (LB_OP_INIT sets it). */
	size_t size;
	/**
	 * Absolute deadline in ns on the clock of the module's bus (lb_bus_now_ns), or 0: the
	 * operation's own bound (built from the durations the module advertises). The earlier
	 * of the two ends the operation with LB_E_TIMEOUT.
	 */
	uint64_t deadline_ns;
	/**
	 * Cancel flag, or NULL. Another thread cancels by storing a nonzero value with an
	 * atomic store (C11 atomic_store, or __atomic_store_n); the operation reads it at
	 * every step and ends with LB_E_CANCELED, leaving the module where it got to.
	 */
	const int *cancel;
	/** Progress callback, or NULL. */
	lb_progress_fn progress;
	void *user;
};

/** An lb_op with its size set and nothing else: the operation's own bound, no cancel, no progress. */
#define LB_OP_INIT { .size = sizeof(struct lb_op), .deadline_ns = 0, .cancel = NULL, \
		     .progress = NULL, .user = NULL }

LB_END_DECLS
#endif
