/* SPDX-License-Identifier: MIT */
/* The bounded wait (wait.h): poll spacing, the stepped and blocking forms, the timeout reason. */
#include <stdio.h>
#include <string.h>
#include <lightbridge/status.h>
#include "hal/core/ctx_internal.h"
#include "hal/core/wait.h"

#define WAIT_MIN_STEP_NS 1000000u   /* 1 ms: never hammer the bus faster than this */
#define WAIT_MAX_STEP_NS 50000000u  /* 50 ms */
/*
 * A poll step is 1/64 of the time already waited: the module's transition is seen at most
 * ~1.6 % after it happened, however the real duration compares with the advertised bound.
 */
#define WAIT_STEP_DIVISOR 64u

static uint64_t now_ns(const struct lb_wait *w)
{
	return w->clock.now_ns(w->clock.user);
}

void lb_wait_begin(struct lb_wait *w, struct lb_ctx *ctx, const struct lb_clock *clock,
		   uint64_t bound_ns, uint64_t limit_ns)
{
	memset(w, 0, sizeof(*w));
	w->ctx = ctx;
	w->clock = *clock;
	w->start_ns = now_ns(w);
	w->bound_ns = bound_ns;
	w->deadline_ns = w->start_ns > UINT64_MAX - bound_ns ? UINT64_MAX : w->start_ns + bound_ns;
	if (limit_ns && limit_ns < w->deadline_ns) {
		w->deadline_ns = limit_ns;
		w->limited = true;
	}
	uint64_t cap = bound_ns / 100u;
	if (cap < WAIT_MIN_STEP_NS)
		cap = WAIT_MIN_STEP_NS;
	if (cap > WAIT_MAX_STEP_NS)
		cap = WAIT_MAX_STEP_NS;
	w->cap_ns = cap;
}

bool lb_wait_plan(const struct lb_wait *w, uint64_t *wake_ns)
{
	uint64_t now = now_ns(w);
	if (now >= w->deadline_ns)
		return false;
	uint64_t step = (now - w->start_ns) / WAIT_STEP_DIVISOR;
	if (step < WAIT_MIN_STEP_NS)
		step = WAIT_MIN_STEP_NS;
	if (step > w->cap_ns)
		step = w->cap_ns;
	/* The last poll lands on the deadline, so a module that makes it just in time passes. */
	if (step > w->deadline_ns - now)
		step = w->deadline_ns - now;
	*wake_ns = now + step;
	return true;
}

void lb_wait_format_ns(uint64_t ns, char *buf, size_t len)
{
	static const struct { uint64_t div; const char *unit; } units[] = {
		{ 1000000000u, "s" }, { 1000000u, "ms" }, { 1000u, "us" },
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ns < units[i].div)
			continue;
		/* Three decimals at most, trailing zeros dropped: 8 s, 1.5 s, 8.168 s. */
		char num[32];
		snprintf(num, sizeof(num), "%.3f", (double)ns / (double)units[i].div);
		char *end = num + strlen(num);
		while (end > num && end[-1] == '0')
			*--end = '\0';
		if (end > num && end[-1] == '.')
			*--end = '\0';
		snprintf(buf, len, "%s %s", num, units[i].unit);
		return;
	}
	snprintf(buf, len, "%llu ns", (unsigned long long)ns);
}

int lb_wait_timeout(const struct lb_wait *w, const struct lb_wait_cond *c)
{
	char waited[32], allowed[32], state[160] = "";
	uint64_t now = now_ns(w);
	lb_wait_format_ns(now - w->start_ns, waited, sizeof(waited));
	lb_wait_format_ns(w->deadline_ns - w->start_ns, allowed, sizeof(allowed));
	if (c->describe)
		c->describe(c->user, state, sizeof(state));
	return lb_ctx_error(w->ctx, LB_E_TIMEOUT, "%s not reached after %s of %s allowed%s%s%s%s",
			    c->what ? c->what : "the awaited state", waited, allowed,
			    w->limited ? " by the deadline" : "", state[0] ? " (" : "", state,
			    state[0] ? ")" : "");
}

int lb_wait_step(struct lb_wait *w, const struct lb_wait_cond *c, uint64_t *wake_ns)
{
	int rc;
	if (w->fail_due) {
		w->fail_due = false;
		if ((rc = c->failed(c->user)))
			return rc;
	}
	rc = c->check(c->user);
	w->polls++;
	if (rc != LB_E_AGAIN)
		return rc;
	uint64_t wake;
	if (!lb_wait_plan(w, &wake)) {
		/* The deadline has passed: one last look for a failure, else a timeout. */
		if (c->failed && (rc = c->failed(c->user)))
			return rc;
		return lb_wait_timeout(w, c);
	}
	w->fail_due = c->failed && c->fail_every && w->polls % c->fail_every == 0;
	if (wake_ns)
		*wake_ns = wake;
	return LB_E_AGAIN;
}

int lb_wait_run(struct lb_wait *w, const struct lb_wait_cond *c)
{
	for (;;) {
		uint64_t wake = 0;
		int rc = lb_wait_step(w, c, &wake);
		if (rc != LB_E_AGAIN)
			return rc;
		uint64_t now = now_ns(w);
		if (wake > now)
			w->clock.sleep_ns(w->clock.user, wake - now);
	}
}

int lb_wait_until(struct lb_ctx *ctx, const struct lb_clock *clock, uint64_t bound_ns,
		  uint64_t limit_ns, const struct lb_wait_cond *c)
{
	struct lb_wait w;
	lb_wait_begin(&w, ctx, clock, bound_ns, limit_ns);
	return lb_wait_run(&w, c);
}
