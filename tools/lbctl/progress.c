/* SPDX-License-Identifier: MIT */
/*
 * Progress of operations on several ports at once, on stderr: on a terminal one live line
 * (every port's step and share done, redrawn in place); otherwise a plain line per port each
 * time it enters a new step. Fed from the library's bus threads, so it takes a lock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lbctl.h"

int lbctl_progress_init(struct lbctl_progress *pg, struct lbctl *app, const unsigned *ports,
			unsigned n)
{
	memset(pg, 0, sizeof(*pg));
	pg->app = app;
	pg->tty = isatty(fileno(app->err)) == 1;
	pg->rows = calloc(n ? n : 1, sizeof(*pg->rows));
	if (!pg->rows)
		return LB_E_NOMEM;
	pg->n = n;
	for (unsigned i = 0; i < n; i++) {
		pg->rows[i].port = ports[i];
		pg->rows[i].pct = -1;
	}
	pthread_mutex_init(&pg->lock, NULL);
	return LB_OK;
}

static void redraw(struct lbctl_progress *pg)
{
	char line[512];
	size_t used = 0;
	for (unsigned i = 0; i < pg->n && used < sizeof(line); i++) {
		const struct lbctl_progress_row *r = &pg->rows[i];
		int k = snprintf(line + used, sizeof(line) - used, "%sport %u %s %d%%", i ? " | " : "",
				 r->port, r->step[0] ? r->step : "waiting", r->pct < 0 ? 0 : r->pct);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	/* \r and erase-to-end-of-line: the line is redrawn in place. */
	unsigned width = pg->app->columns ? pg->app->columns : 80;
	fprintf(pg->app->err, "\r\033[K%.*s", (int)width - 1, line);
	fflush(pg->app->err);
	pg->drawn = true;
}

void lbctl_progress_cb(void *user, unsigned port, const char *step, double fraction)
{
	struct lbctl_progress *pg = user;
	pthread_mutex_lock(&pg->lock);
	for (unsigned i = 0; i < pg->n; i++) {
		struct lbctl_progress_row *r = &pg->rows[i];
		if (r->port != port)
			continue;
		/* The fraction comes from the library: clamped before the cast (NaN reads 0). */
		double f = fraction >= 0.0 ? (fraction <= 1.0 ? fraction : 1.0) : 0.0;
		int pct = (int)(f * 100.0 + 0.5);
		bool new_step = strcmp(r->step, step) != 0;
		if (new_step || pct != r->pct) {
			snprintf(r->step, sizeof(r->step), "%s", step);
			r->pct = pct;
			if (pg->tty)
				redraw(pg);
			else if (new_step)
				fprintf(pg->app->err, "port %u: %s\n", port, step);
		}
		break;
	}
	pthread_mutex_unlock(&pg->lock);
}

void lbctl_progress_end(struct lbctl_progress *pg)
{
	if (pg->tty && pg->drawn) {
		fprintf(pg->app->err, "\r\033[K");
		fflush(pg->app->err);
	}
	pthread_mutex_destroy(&pg->lock);
	free(pg->rows);
	pg->rows = NULL;
}

void lbctl_waiting(struct lbctl *app, unsigned port, const char *what)
{
	if (isatty(fileno(app->err)) != 1)
		return;
	unsigned width = app->columns ? app->columns : 80;
	fprintf(app->err, "\r\033[Kport %u: %.*s ...", port, (int)width - 20, what);
	fflush(app->err);
	app->waiting_shown = true;
}

void lbctl_waiting_done(struct lbctl *app)
{
	if (!app->waiting_shown)
		return;
	fprintf(app->err, "\r\033[K");
	fflush(app->err);
	app->waiting_shown = false;
}

int lbctl_parse_ports(struct lbctl *app, const char *argv0, const char *arg, unsigned **ports,
		      unsigned *n)
{
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;
	unsigned count = lb_platform_port_count(p);
	unsigned *list = calloc(count ? count : 1, sizeof(*list));
	if (!list)
		return lbctl_fail(app, LB_E_NOMEM, "%s", argv0);
	unsigned k = 0;
	if (strcmp(arg, "all") == 0) {
		for (unsigned i = 0; i < count; i++) {
			struct lb_port_info pi = LB_PORT_INFO_INIT;
			if (lb_platform_port_at(p, i, &pi) == LB_OK)
				list[k++] = pi.port;
		}
		*ports = list;
		*n = k;
		return LBCTL_EXIT_OK;
	}
	char *copy = strdup(arg);
	if (!copy) {
		free(list);
		return lbctl_fail(app, LB_E_NOMEM, "%s", argv0);
	}
	int rc = LBCTL_EXIT_OK;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok && rc == LBCTL_EXIT_OK;
	     tok = strtok_r(NULL, ",", &save)) {
		unsigned long lo, hi;
		char *dash = strchr(tok, '-');
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		if (dash && dash != tok) {
			*dash = 0;
			if (!lbctl_parse_uint(tok, 10, 65535, &lo) || !lbctl_parse_uint(dash + 1, 10, 65535, &hi) ||
			    hi < lo) {
				rc = lbctl_usage_error(app, "%s: '%s-%s' is not a port range", argv0, tok, dash + 1);
				break;
			}
		} else {
			int frc = lbctl_find_port(p, tok, &pi);
			if (frc) {
				lbctl_no_such_port(app, p, tok);
				rc = lbctl_fail(app, frc, "%s: port %s", argv0, tok);
				break;
			}
			lo = hi = pi.port;
		}
		for (unsigned long port = lo; port <= hi && rc == LBCTL_EXIT_OK; port++) {
			if (lb_platform_port(p, (unsigned)port, &pi) != LB_OK) {
				char name[24];
				snprintf(name, sizeof(name), "%lu", port);
				lbctl_no_such_port(app, p, name);
				rc = lbctl_fail(app, LB_E_NOTFOUND, "%s: port %lu", argv0, port);
				break;
			}
			bool dup = false;
			for (unsigned i = 0; i < k; i++)
				dup |= list[i] == (unsigned)port;
			if (dup) {
				rc = lbctl_usage_error(app, "%s: port %lu named twice", argv0, port);
				break;
			}
			if (k == count) {
				rc = lbctl_usage_error(app, "%s: too many ports", argv0);
				break;
			}
			list[k++] = (unsigned)port;
		}
	}
	free(copy);
	if (rc != LBCTL_EXIT_OK) {
		free(list);
		return rc;
	}
	*ports = list;
	*n = k;
	return LBCTL_EXIT_OK;
}
