/* SPDX-License-Identifier: MIT */
/*
 * The long fault campaigns: every public module call under faults injected inside it and
 * between calls (tests/support/campaign.h), then every public ASIC call under the emulated
 * ASIC's bus faults (tests/support/campaign_asic.h), each result checked against the
 * fault-free reference. Public API and the emulator only.
 *
 *   bench_campaign [--faults N] [--seed S] [--episode E] [--steps K] [--profile NAME]...
 *                  [--asic-faults N] [-v]
 *
 * --asic-faults N: faults of the ASIC campaign (default 10000; 0: none; with --episode E the
 * ASIC campaign replays its episode E too).
 * Prints calls, faults injected, correct results, clean errors, silent wrong values and hangs
 * (and every failure with its seed, episode and step: --episode E replays that episode alone,
 * -v shows each of its steps; LB_CAMPAIGN_TRACE=1 in the environment adds every transfer).
 * Exit status 1 when anything was wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "campaign.h"
#include "campaign_asic.h"

static int usage(FILE *f, int rc)
{
	fprintf(f, "usage: bench_campaign [--faults N] [--seed S] [--episode E] [--steps K] "
		   "[--profile NAME]... [--asic-faults N] [-v]\n");
	return rc;
}

int main(int argc, char **argv)
{
	const char *dd = getenv("LB_DATADIR");
	const char *profiles[16];
	struct lb_campaign_opts o = { .seed = 1, .faults = 10000, .episode = -1,
				      .data_dir = dd && *dd ? dd : LB_SOURCE_DIR, .log = stderr };
	uint64_t asic_faults = 10000;
	for (int i = 1; i < argc; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--asic-faults") == 0 && v) {
			asic_faults = strtoull(v, NULL, 0);
			i++;
		} else if (strcmp(argv[i], "--faults") == 0 && v) {
			o.faults = strtoull(v, NULL, 0);
			i++;
		} else if (strcmp(argv[i], "--seed") == 0 && v) {
			o.seed = strtoull(v, NULL, 0);
			i++;
		} else if (strcmp(argv[i], "--episode") == 0 && v) {
			o.episode = strtol(v, NULL, 0);
			i++;
		} else if (strcmp(argv[i], "--steps") == 0 && v) {
			o.steps = (unsigned)strtoul(v, NULL, 0);
			i++;
		} else if (strcmp(argv[i], "--profile") == 0 && v && o.n_profiles < 16) {
			profiles[o.n_profiles++] = v;
			o.profiles = profiles;
			i++;
		} else if (strcmp(argv[i], "-v") == 0) {
			o.verbose = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			return usage(stdout, 0);
		} else {
			fprintf(stderr, "bench_campaign: unexpected argument '%s'\n", argv[i]);
			return usage(stderr, 2);
		}
	}
	/* The bus gets a lock file (and claim files next to it) in a directory of our own. */
	char lock_dir[] = "/tmp/lb-campaign-XXXXXX";
	if (!mkdtemp(lock_dir)) {
		perror("bench_campaign: mkdtemp");
		return 2;
	}
	o.lock_dir = lock_dir;
	struct lb_campaign_stats st;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int rc = lb_campaign_run(&o, &st);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rmdir(lock_dir);
	if (rc) {
		fprintf(stderr, "bench_campaign: the campaign could not run: %d\n", rc);
		return 2;
	}
	lb_campaign_print(stdout, &o, &st);
	printf("  %.1f s of real time\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	bool clean = lb_campaign_clean(&st);
	if (asic_faults) {
		struct lb_campaign_asic_opts ao = { .seed = o.seed, .faults = asic_faults, .episode = o.episode,
						    .log = stderr, .verbose = o.verbose };
		struct lb_campaign_stats ast;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if ((rc = lb_campaign_asic_run(&ao, &ast))) {
			fprintf(stderr, "bench_campaign: the ASIC campaign could not run: %d\n", rc);
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		lb_campaign_asic_print(stdout, &ao, &ast);
		printf("  %.1f s of real time\n",
		       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		clean = clean && lb_campaign_clean(&ast);
	}
	if (!clean) {
		printf("  replay: bench_campaign --seed %llu --episode E -v (E: the failure's episode)\n",
		       (unsigned long long)o.seed);
		return 1;
	}
	return 0;
}
