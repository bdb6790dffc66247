/* SPDX-License-Identifier: MIT */
/*
 * The bounded wait every long wait of the core is made of: module and data-path states,
 * ConfigStatus, and (next) CDB commands and laser tuning. A wait has a bound (what the module
 * advertises for the transition), never runs past an outer limit (an operation's deadline),
 * and polls a success condition, with an optional failure condition that needs a read of its
 * own (a module that faults while a data path is awaited). It ends in LB_OK, the status a
 * condition gave, or LB_E_TIMEOUT with a reason in the calling thread's error detail:
 *
 *     ModuleReady not reached after 8 s of 8 s allowed (state ModulePwrUp)
 *
 * Polls are spaced by 1/64 of the time already waited (so the overshoot past the module's
 * real transition stays a few percent), at least 1 ms and at most bound/100 capped at
 * 50 ms; the last poll lands on the deadline itself, so a module that makes it just in time
 * passes.
 *
 * Two forms over one state: lb_wait_run() sleeps the clock between polls; lb_wait_step()
 * polls once and says when the next poll is due, without sleeping, for state machines that
 * a caller steps (bring-up). Both make the same polls at the same times.
 *
 * Threads: a struct lb_wait belongs to the thread that runs it.
 */
#ifndef LB_HAL_CORE_WAIT_H
#define LB_HAL_CORE_WAIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/clock.h>

struct lb_ctx;

/* What a wait waits for. The callbacks run on the waiting thread and may do bus I/O. */
struct lb_wait_cond {
	/*
	 * What is awaited, for the timeout message: "ModuleReady", "DPActivated on lanes 1-8".
	 * May point into user (read when the wait times out).
	 */
	const char *what;
	/*
	 * Poll once: the success condition, and any failure the same read shows. LB_OK when the
	 * goal is reached, LB_E_AGAIN when not yet (or nothing could be judged this time, e.g.
	 * a busy NACK), any other status ends the wait with it (LB_E_FAULT, a bus error).
	 * Required.
	 */
	int (*check)(void *user);
	/*
	 * A failure condition that needs a read of its own: LB_OK, or the status that ends the
	 * wait. Called before every poll that follows a multiple of fail_every polls, and once
	 * more when the deadline has passed, before the timeout. Optional (NULL: none).
	 */
	int (*failed)(void *user);
	unsigned fail_every;
	/*
	 * The state at the timeout, for the message's parentheses ("state ModulePwrUp").
	 * Optional.
	 */
	void (*describe)(void *user, char *buf, size_t len);
	void *user;
};

struct lb_wait {
	struct lb_ctx *ctx;      /* where the timeout reason goes (NULL: nowhere) */
	struct lb_clock clock;
	uint64_t start_ns, deadline_ns, bound_ns, cap_ns;
	bool limited;            /* the outer limit came before start + bound */
	unsigned polls;          /* polls made so far */
	bool fail_due;           /* the failure condition is checked before the next poll */
};

/**
 * Start a wait of bound_ns from now on clock, never past limit_ns (absolute on the same
 * clock; 0 = no outer limit). ctx receives the timeout reason (may be NULL).
 */
void lb_wait_begin(struct lb_wait *w, struct lb_ctx *ctx, const struct lb_clock *clock,
		   uint64_t bound_ns, uint64_t limit_ns);
/** When the next poll is due (no sleep, no poll); false when the deadline has passed. */
bool lb_wait_plan(const struct lb_wait *w, uint64_t *wake_ns);
/**
 * The stepped form: check the failure condition if it is due, poll once, and return LB_OK,
 * the status that ended the wait (LB_E_TIMEOUT with the reason recorded), or LB_E_AGAIN
 * with *wake_ns the time of the next poll. Step again at or after it.
 */
int lb_wait_step(struct lb_wait *w, const struct lb_wait_cond *c, uint64_t *wake_ns);
/** The blocking form: step, sleeping the clock until each next poll, until the wait ends. */
int lb_wait_run(struct lb_wait *w, const struct lb_wait_cond *c);
/** lb_wait_begin() then lb_wait_run(). */
int lb_wait_until(struct lb_ctx *ctx, const struct lb_clock *clock, uint64_t bound_ns,
		  uint64_t limit_ns, const struct lb_wait_cond *c);
/**
 * Record the timeout of w for cond on the calling thread (lb_ctx_error) and return
 * LB_E_TIMEOUT: "<what> not reached after <elapsed> of <allowed> allowed (<describe>)".
 */
int lb_wait_timeout(const struct lb_wait *w, const struct lb_wait_cond *c);
/** A duration as people read it: "8 s", "1.5 s", "400 ms", "20 us", "7 ns". */
void lb_wait_format_ns(uint64_t ns, char *buf, size_t len);

#endif
