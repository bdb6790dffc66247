/* SPDX-License-Identifier: MIT */
/*
 * bench_link: link-model evaluations per second, for every line mode on both scenario paths
 * (Tokyo-Osaka 500 km, 1,000 km), plus the telemetry-poll case (DGD drift + evaluation).
 * The model has to be cheap enough for every poll of a 64-port switch: >= 100,000
 * evaluations per second on one core.
 *
 *   bench_link [--json] [--data-dir DIR] [--seconds S]
 *
 * Public API only. --json prints one JSON object per line and case, keys carrying units.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lightbridge/lightbridge.h>

#ifndef LB_SOURCE_DIR
#define LB_SOURCE_DIR "."
#endif

#define TARGET_EVALS_PER_S 100000.0

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct bench_case {
	const char *path;
	const char *mode;       /* NULL: all modes in turn */
	const char *what;       /* "evaluate", "optimal_launch", "telemetry_poll" */
	unsigned long evals;
	double elapsed_s;
	double margin_db;       /* of the last evaluation (a sanity figure) */
	bool closes;
};

static volatile double sink;

static int run_case(struct bench_case *c, const struct lb_link_path *p,
		    const struct lb_line_modes *modes, const struct lb_line_mode *only,
		    double seconds)
{
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_PATH };
	if (strcmp(c->what, "optimal_launch") == 0)
		o.launch = LB_LINK_LAUNCH_OPTIMAL;
	bool poll = strcmp(c->what, "telemetry_poll") == 0;
	struct lb_link_dgd_drift drift;
	if (poll) {
		struct lb_link_result r0 = LB_LINK_RESULT_INIT;
		int rc = lb_link_evaluate(p, only ? only : &modes->modes[0], NULL, &r0);
		if (rc)
			return rc;
		lb_link_dgd_drift_init(&drift, r0.dgd_mean_ps, 1800.0, 1, 0);
		o.have_dgd = true;
	}
	unsigned long n = 0;
	uint64_t t_ns = 0;
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	double t0 = now_s(), t = t0;
	do {
		/* Batches of 256 between clock reads. */
		for (int k = 0; k < 256; k++) {
			const struct lb_line_mode *m = only ? only : &modes->modes[n % modes->count];
			if (poll) {
				t_ns += 1000000000ull; /* one poll per second of virtual time */
				lb_link_dgd_drift_advance(&drift, t_ns, &o.dgd_ps);
			}
			int rc = lb_link_evaluate(p, m, &o, &r);
			if (rc)
				return rc;
			sink += r.margin_db;
			n++;
		}
		t = now_s();
	} while (t - t0 < seconds);
	c->evals = n;
	c->elapsed_s = t - t0;
	c->margin_db = r.margin_db;
	c->closes = r.closes;
	return LB_OK;
}

int main(int argc, char **argv)
{
	bool json = false;
	double seconds = 0.2;
	const char *dir = getenv("LB_DATADIR");
	if (!dir || !*dir)
		dir = LB_SOURCE_DIR;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--data-dir") == 0 && i + 1 < argc) {
			dir = argv[++i];
		} else if (strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
			seconds = strtod(argv[++i], NULL);
			if (!(seconds > 0.0) || seconds > 60.0) {
				fprintf(stderr, "bench_link: --seconds must be in (0, 60]\n");
				return 2;
			}
		} else {
			fprintf(stderr, "usage: bench_link [--json] [--data-dir DIR] [--seconds S]\n");
			return strcmp(argv[i], "--help") == 0 ? 0 : 2;
		}
	}

	char file[4096], err[1024];
	snprintf(file, sizeof(file), "%s/link/modes.json", dir);
	struct lb_line_modes modes;
	int rc = lb_line_modes_load(file, &modes, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "bench_link: %s\n", err);
		return 1;
	}
	for (size_t i = 0; i < modes.count; i++)
		lb_line_mode_calibrate(&modes.modes[i]);

	static const char *const path_names[] = { "tokyo-osaka-500km", "long-haul-1000km" };
	static struct lb_link_path paths[2];
	for (size_t i = 0; i < 2; i++) {
		snprintf(file, sizeof(file), "%s/link/paths/%s.json", dir, path_names[i]);
		rc = lb_link_path_load(file, &paths[i], err, sizeof(err));
		if (rc) {
			fprintf(stderr, "bench_link: %s\n", err);
			lb_line_modes_free(&modes);
			return 1;
		}
	}

	if (!json) {
		printf("link model: evaluations per second on one core (target >= %.0f)\n\n",
		       TARGET_EVALS_PER_S);
		printf("%-18s %-18s %-15s %12s %10s %8s\n", "PATH", "MODE", "CASE", "EVAL/S",
		       "NS/EVAL", "MARGIN");
	}
	double worst = INFINITY;
	int status = 0;
	for (size_t pi = 0; pi < 2 && !status; pi++) {
		/* Every mode on its own, then all modes in turn, then the optimal-launch and poll cases. */
		for (size_t mi = 0; mi <= modes.count + 2 && !status; mi++) {
			struct bench_case c = { .path = path_names[pi], .what = "evaluate" };
			const struct lb_line_mode *only = NULL;
			if (mi < modes.count) {
				only = &modes.modes[mi];
				c.mode = only->id;
			} else if (mi == modes.count) {
				c.mode = NULL; /* all modes */
			} else if (mi == modes.count + 1) {
				c.what = "optimal_launch";
			} else {
				only = lb_line_modes_find(&modes, "800g-pcs-131e");
				if (!only)
					only = &modes.modes[0];
				c.mode = only->id;
				c.what = "telemetry_poll";
			}
			rc = run_case(&c, &paths[pi], &modes, only, seconds);
			if (rc) {
				fprintf(stderr, "bench_link: %s on %s: %s\n", c.mode ? c.mode : "all modes",
					c.path, lb_strerror(rc));
				status = 1;
				break;
			}
			double eps = (double)c.evals / c.elapsed_s;
			if (eps < worst)
				worst = eps;
			if (json)
				printf("{\"bench\": \"link\", \"path\": \"%s\", \"mode\": \"%s\", \"case\": \"%s\", "
				       "\"evaluations\": %lu, \"elapsed_s\": %.6f, \"evaluations_per_s\": %.0f, "
				       "\"ns_per_evaluation\": %.1f, \"target_evaluations_per_s\": %.0f, "
				       "\"margin_db\": %.3f, \"closes\": %s}\n",
				       c.path, c.mode ? c.mode : "all", c.what, c.evals, c.elapsed_s, eps,
				       1e9 / eps, TARGET_EVALS_PER_S, c.margin_db, c.closes ? "true" : "false");
			else
				printf("%-18s %-18s %-15s %12.0f %10.1f %+8.2f\n", c.path,
				       c.mode ? c.mode : "(all modes)", c.what, eps, 1e9 / eps, c.margin_db);
		}
	}
	if (!json && !status)
		printf("\nslowest case: %.0f evaluations/s (%s the %.0f target)\n", worst,
		       worst >= TARGET_EVALS_PER_S ? "meets" : "MISSES", TARGET_EVALS_PER_S);
	lb_line_modes_free(&modes);
	return status;
}
