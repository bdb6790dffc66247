/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <lightbridge/driver.h>
#include "hal/core/ctx_internal.h"

__attribute__((format(printf, 3, 0)))
static void vlog(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, va_list ap)
{
	if (!ctx || !ctx->log_fn || level > ctx->log_max)
		return;
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	ctx->log_fn(ctx->log_user, level, msg);
}

void lb_log(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(ctx, level, fmt, ap);
	va_end(ap);
}

int lb_ctx_error(struct lb_ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ctx->last_error, sizeof(ctx->last_error), fmt, ap);
	va_end(ap);
	lb_log(ctx, LB_LOG_ERR, "%s", ctx->last_error);
	return status;
}

LB_API void lb_driver_log(const struct lb_driver_env *env, enum lb_log_level level, const char *fmt, ...)
{
	if (!env || !env->log)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	env->log(env->log_user, level, msg);
}
