/* SPDX-License-Identifier: MIT */
/*
 * The error detail of the last failed call, per thread: each thread keeps one record,
 * {context, message}, so no thread ever reads or overwrites another thread's detail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include "hal/core/ctx_internal.h"

static _Thread_local struct {
	uint64_t ctx_id; /* the context the message was recorded for (ids are never reused) */
	uint64_t seq;    /* messages recorded on this thread so far */
	char msg[LB_ERROR_MAX];
} thread_error;

static void record(const struct lb_ctx *ctx, const char *msg)
{
	thread_error.ctx_id = ctx->id;
	thread_error.seq++;
	snprintf(thread_error.msg, sizeof(thread_error.msg), "%s", msg);
}

uint64_t lb_ctx_error_seq(void)
{
	return thread_error.seq;
}

void lb_ctx_verror(struct lb_ctx *ctx, const char *fmt, va_list ap)
{
	if (!ctx)
		return;
	/* Formatted apart first: the arguments may hold the previous detail. */
	char msg[LB_ERROR_MAX];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	record(ctx, msg);
	lb_log(ctx, LB_LOG_ERR, "%s", msg);
}

void lb_ctx_restore_error(struct lb_ctx *ctx, const char *detail)
{
	if (ctx && detail)
		record(ctx, detail);
}

LB_API const char *lb_ctx_last_error(const struct lb_ctx *ctx)
{
	return ctx && thread_error.ctx_id == ctx->id ? thread_error.msg : "";
}

LB_API void lb_ctx_clear_error(struct lb_ctx *ctx)
{
	if (ctx && thread_error.ctx_id == ctx->id)
		thread_error.msg[0] = 0;
}

LB_API int lb_driver_error(const struct lb_driver_env *env, int status, const char *fmt, ...)
{
	if (!env || !env->log)
		return status;
	char msg[LB_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* An env the core built names its context; any other only has a log hook. */
	if (env->log == lb_ctx_driver_log_hook && env->log_user)
		return lb_ctx_error(env->log_user, status, "%s", msg);
	env->log(env->log_user, LB_LOG_ERR, msg);
	return status;
}
