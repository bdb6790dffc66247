/* SPDX-License-Identifier: MIT */
/*
 * The command line of a bench program that takes --json alone: "usage: NAME [--json]" for -h,
 * exit 2 naming an unexpected argument. Returns -1 to go on, else the exit code.
 */
#ifndef LB_BENCH_ARGS_H
#define LB_BENCH_ARGS_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static inline int bench_json_only_args(int argc, char **argv, const char *name, bool *json)
{
	*json = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			*json = true;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: %s [--json]\n", name);
			return 0;
		} else {
			fprintf(stderr, "%s: unexpected argument '%s'\n", name, argv[i]);
			return 2;
		}
	}
	return -1;
}

#endif
