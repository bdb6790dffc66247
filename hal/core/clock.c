/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <time.h>
#include <lightbridge/clock.h>

static uint64_t monotonic_now_ns(void *user)
{
	(void)user;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void monotonic_sleep_ns(void *user, uint64_t ns)
{
	(void)user;
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000u),
			       .tv_nsec = (long)(ns % 1000000000u) };
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

LB_API struct lb_clock lb_clock_monotonic(void)
{
	struct lb_clock c = { .now_ns = monotonic_now_ns, .sleep_ns = monotonic_sleep_ns, .user = 0 };
	return c;
}
