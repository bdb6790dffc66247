/* SPDX-License-Identifier: MIT */
/*
 * A reading repeated on the bus clock (lbctl watch, telemetry --watch): rounds every interval,
 * a given number of times or until Ctrl-C (or a terminal's hangup), the wait cut into short
 * slices so that a stop is noticed at once, paced in real time too when a person watches an
 * emulated module on a terminal (virtual time alone would redraw as fast as the CPU goes).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "lbctl.h"

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

bool lbctl_repeat_stopping(void)
{
	return stop_requested != 0;
}

bool lbctl_parse_interval(const char *s, uint64_t *ns)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !(v >= 0.01 && v <= 3600.0))
		return false;
	*ns = (uint64_t)(v * 1e9 + 0.5);
	return true;
}

int lbctl_repeat(const struct lbctl_repeat *r)
{
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	stop_requested = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (r->tty)
		fprintf(r->app->out, "\033[?25l"); /* cursor hidden while redrawing */
	bool paced = r->tty && lb_bus_has_own_clock(r->bus);
	const uint64_t slice = 50000000u; /* 50 ms: how soon Ctrl-C is noticed */
	uint64_t t0 = lb_bus_now_ns(r->bus);
	int ex = LBCTL_EXIT_OK;
	for (unsigned long n = 1; !stop_requested && (!r->count || n <= r->count); n++) {
		if ((ex = r->round(r->user, n, t0)) || stop_requested)
			break;
		fflush(r->app->out);
		if (r->count && n == r->count)
			break;
		for (uint64_t waited = 0; waited < r->interval_ns && !stop_requested; waited += slice) {
			uint64_t step = r->interval_ns - waited < slice ? r->interval_ns - waited : slice;
			lb_bus_sleep_ns(r->bus, step);
			if (paced) {
				struct timespec ts = { (time_t)(step / 1000000000u), (long)(step % 1000000000u) };
				nanosleep(&ts, NULL);
			}
		}
	}
	if (r->tty)
		fprintf(r->app->out, "\033[?25h"); /* the cursor back */
	fflush(r->app->out);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return ex;
}
