/* SPDX-License-Identifier: MIT */
/*
 * Weak stand-ins so lbctl links while its command files land one by one; every real
 * command file overrides its entry. This file goes once all of them are in.
 */
#include "lbctl.h"

#define PENDING(fn)                                                                     \
	__attribute__((weak)) int fn(struct lbctl *app, int argc, char **argv)         \
	{                                                                               \
		(void)argc;                                                             \
		fprintf(app->err, "lbctl: %s: not available in this build\n", argv[0]); \
		return LBCTL_EXIT_ERROR;                                                \
	}

PENDING(lbctl_cmd_list)
PENDING(lbctl_cmd_show)
PENDING(lbctl_cmd_dump)
PENDING(lbctl_cmd_power)
PENDING(lbctl_cmd_app)
PENDING(lbctl_cmd_up)
PENDING(lbctl_cmd_reset)
PENDING(lbctl_cmd_decode)

PENDING(lbctl_cmd_detect)
