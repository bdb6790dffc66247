/* SPDX-License-Identifier: MIT */
/*
 * The core's bounded wait (hal/core/wait.h) on a virtual clock: poll spacing, success, a
 * failure seen by the poll, a failure condition of its own checked every N polls and at the
 * deadline, the outer limit, the timeout reason in the error detail, and the stepped form
 * making the same polls at the same times as the blocking one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/core/wait.h"

#define MS 1000000ull

struct vclock {
	uint64_t now;
	unsigned sleeps;
};

static uint64_t v_now(void *user)
{
	return ((struct vclock *)user)->now;
}

static void v_sleep(void *user, uint64_t ns)
{
	struct vclock *c = user;
	c->now += ns;
	c->sleeps++;
}

/* A fake device: reaches the goal at done_at (0: never), faults at fault_at (0: never). */
struct dev {
	struct vclock *clk;
	uint64_t done_at, fault_at;
	int poll_error;         /* returned by every poll when nonzero */
	unsigned polls, fail_checks;
	uint64_t poll_times[4096];
};

static int dev_check(void *user)
{
	struct dev *d = user;
	if (d->polls < 4096)
		d->poll_times[d->polls] = d->clk->now;
	d->polls++;
	if (d->poll_error)
		return d->poll_error;
	return d->done_at && d->clk->now >= d->done_at ? LB_OK : LB_E_AGAIN;
}

static int dev_failed(void *user)
{
	struct dev *d = user;
	d->fail_checks++;
	return d->fault_at && d->clk->now >= d->fault_at ? LB_E_FAULT : LB_OK;
}

static void dev_describe(void *user, char *buf, size_t len)
{
	struct dev *d = user;
	snprintf(buf, len, "state Busy after %u polls", d->polls);
}

struct fx {
	struct lb_ctx *ctx;
	struct vclock clk;
	struct lb_clock clock;
	struct dev dev;
	struct lb_wait_cond cond;
};

static int setup(void **state)
{
	static struct fx f;
	memset(&f, 0, sizeof(f));
	assert_int_equal(lb_ctx_create(&f.ctx), LB_OK);
	lb_ctx_set_log(f.ctx, NULL, NULL, LB_LOG_ERR);
	f.clk.now = 1000 * MS;
	f.clock = (struct lb_clock){ .now_ns = v_now, .sleep_ns = v_sleep, .user = &f.clk };
	f.dev.clk = &f.clk;
	f.cond = (struct lb_wait_cond){ .what = "GoalState", .check = dev_check,
					.describe = dev_describe, .user = &f.dev };
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	lb_ctx_destroy(f->ctx);
	return 0;
}

static void test_success_on_the_first_poll_does_not_sleep(void **state)
{
	struct fx *f = *state;
	f->dev.done_at = 1;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_OK);
	assert_int_equal(f->dev.polls, 1);
	assert_int_equal(f->clk.sleeps, 0);
}

static void test_success_seen_within_a_few_percent(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = f->clk.now;
	f->dev.done_at = t0 + 1500 * MS;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_OK);
	uint64_t took = f->clk.now - t0;
	assert_true(took >= 1500 * MS);
	assert_true(took <= 1500 * MS + 1500 * MS / 30); /* steps of 1/32 of the time waited */
	/* never faster than 1 ms, never slower than bound/100 (80 ms, capped at 50 ms) */
	for (unsigned i = 1; i < f->dev.polls; i++) {
		uint64_t gap = f->dev.poll_times[i] - f->dev.poll_times[i - 1];
		assert_true(gap >= 1 * MS);
		assert_true(gap <= 50 * MS);
	}
}

static void test_timeout_lands_on_the_deadline_with_a_reason(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = f->clk.now;
	lb_ctx_clear_error(f->ctx);
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_E_TIMEOUT);
	assert_int_equal(f->clk.now - t0, 8000 * MS);              /* the last poll on the deadline */
	assert_int_equal(f->dev.poll_times[f->dev.polls - 1], t0 + 8000 * MS);
	char want[128];
	snprintf(want, sizeof(want), "GoalState not reached after 8 s of 8 s allowed (state Busy after %u polls)",
		 f->dev.polls);
	assert_string_equal(lb_ctx_last_error(f->ctx), want);
}

static void test_outer_limit_cuts_the_wait_short(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = f->clk.now;
	f->cond.describe = NULL;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, t0 + 1500 * MS, &f->cond),
			 LB_E_TIMEOUT);
	assert_int_equal(f->clk.now - t0, 1500 * MS);
	assert_string_equal(lb_ctx_last_error(f->ctx),
			    "GoalState not reached after 1.5 s of 1.5 s allowed by the deadline");
}

static void test_failure_seen_by_the_poll_ends_at_once(void **state)
{
	struct fx *f = *state;
	f->dev.poll_error = LB_E_NACK;
	lb_ctx_clear_error(f->ctx);
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_E_NACK);
	assert_int_equal(f->dev.polls, 1);
	assert_string_equal(lb_ctx_last_error(f->ctx), ""); /* not a timeout: no reason written */
}

static void test_failure_condition_every_n_polls_and_at_the_deadline(void **state)
{
	struct fx *f = *state;
	f->cond.failed = dev_failed;
	f->cond.fail_every = 16;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 500 * MS, 0, &f->cond), LB_E_TIMEOUT);
	/* before polls 17, 33, ... and once after the last poll */
	assert_int_equal(f->dev.fail_checks, (f->dev.polls - 1) / 16 + 1);

	/* a fault between polls ends the wait at the next check, not at the deadline */
	memset(&f->dev, 0, sizeof(f->dev));
	f->dev.clk = &f->clk;
	uint64_t t0 = f->clk.now;
	f->dev.fault_at = t0 + 100 * MS;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_E_FAULT);
	assert_true(f->clk.now - t0 < 1000 * MS);
	assert_int_equal(f->dev.polls % 16, 0);
}

/* The stepped form makes the same polls at the same times, and never sleeps. */
static void test_stepped_form_matches_the_blocking_one(void **state)
{
	struct fx *f = *state;
	uint64_t t0 = f->clk.now;
	f->dev.done_at = t0 + 2345 * MS;
	assert_int_equal(lb_wait_until(f->ctx, &f->clock, 8000 * MS, 0, &f->cond), LB_OK);
	unsigned polls = f->dev.polls;
	static uint64_t times[4096];
	memcpy(times, f->dev.poll_times, sizeof(times));

	memset(&f->dev, 0, sizeof(f->dev));
	f->dev.clk = &f->clk;
	f->clk.now = t0;
	f->clk.sleeps = 0;
	f->dev.done_at = t0 + 2345 * MS;
	struct lb_wait w;
	lb_wait_begin(&w, f->ctx, &f->clock, 8000 * MS, 0);
	uint64_t wake = 0;
	int rc;
	while ((rc = lb_wait_step(&w, &f->cond, &wake)) == LB_E_AGAIN) {
		assert_true(wake > f->clk.now);
		f->clk.now = wake; /* the caller's loop lets the time pass */
	}
	assert_int_equal(rc, LB_OK);
	assert_int_equal(f->clk.sleeps, 0);
	assert_int_equal(f->dev.polls, polls);
	assert_memory_equal(f->dev.poll_times, times, polls * sizeof(uint64_t));
}

static void test_plan_without_polling(void **state)
{
	struct fx *f = *state;
	struct lb_wait w;
	lb_wait_begin(&w, f->ctx, &f->clock, 10 * MS, 0);
	uint64_t wake;
	assert_true(lb_wait_plan(&w, &wake));
	assert_int_equal(wake, f->clk.now + 1 * MS); /* at least 1 ms */
	f->clk.now += 10 * MS;
	assert_false(lb_wait_plan(&w, &wake));
	assert_int_equal(f->dev.polls, 0);
}

static void test_format_durations(void **unused)
{
	(void)unused;
	char b[32];
	lb_wait_format_ns(8000 * MS, b, sizeof(b));
	assert_string_equal(b, "8 s");
	lb_wait_format_ns(1500 * MS, b, sizeof(b));
	assert_string_equal(b, "1.5 s");
	lb_wait_format_ns(8168321000ull, b, sizeof(b));
	assert_string_equal(b, "8.168 s");
	lb_wait_format_ns(400 * MS, b, sizeof(b));
	assert_string_equal(b, "400 ms");
	lb_wait_format_ns(20000, b, sizeof(b));
	assert_string_equal(b, "20 us");
	lb_wait_format_ns(7, b, sizeof(b));
	assert_string_equal(b, "7 ns");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_success_on_the_first_poll_does_not_sleep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_success_seen_within_a_few_percent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_timeout_lands_on_the_deadline_with_a_reason, setup, teardown),
		cmocka_unit_test_setup_teardown(test_outer_limit_cuts_the_wait_short, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_seen_by_the_poll_ends_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failure_condition_every_n_polls_and_at_the_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stepped_form_matches_the_blocking_one, setup, teardown),
		cmocka_unit_test_setup_teardown(test_plan_without_polling, setup, teardown),
		cmocka_unit_test(test_format_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
