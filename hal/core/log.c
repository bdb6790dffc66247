/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <lightbridge/driver.h>
#include "hal/core/ctx_internal.h"

__attribute__((format(printf, 3, 0)))
static void vlog(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, va_list ap)
{
	if (!ctx)
		return;
	/* The settings are read under the lock; the hook runs outside it. */
	lb_ctx_lock(ctx);
	lb_log_fn fn = ctx->log_fn;
	void *user = ctx->log_user;
	enum lb_log_level max = ctx->log_max;
	lb_ctx_unlock(ctx);
	if (!fn || level > max)
		return;
	char msg[LB_ERROR_MAX];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fn(user, level, msg);
}

void lb_log(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(ctx, level, fmt, ap);
	va_end(ap);
}

/* A driver's log line is a log line only: the error detail comes from lb_driver_error(). */
void lb_ctx_driver_log_hook(void *user, enum lb_log_level level, const char *msg)
{
	lb_log(user, level, "%s", msg);
}

LB_API void lb_driver_log(const struct lb_driver_env *env, enum lb_log_level level, const char *fmt, ...)
{
	if (!env || !env->log)
		return;
	char msg[LB_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	env->log(env->log_user, level, msg);
}
