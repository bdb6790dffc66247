/* SPDX-License-Identifier: MIT */
/* Log hook: the library never prints; it hands messages to the user's function. */
#ifndef LIGHTBRIDGE_LOG_H
#define LIGHTBRIDGE_LOG_H

#include <lightbridge/common.h>

LB_BEGIN_DECLS

enum lb_log_level {
	LB_LOG_ERR = 3,
	LB_LOG_WARN = 4,
	LB_LOG_INFO = 6,
	LB_LOG_DEBUG = 7,
};

/** Receives one formatted message (no trailing newline). */
typedef void (*lb_log_fn)(void *user, enum lb_log_level level, const char *msg);

LB_END_DECLS
#endif
