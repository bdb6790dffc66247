/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lightbridge/ctx.h>
#include "hal/core/ctx_internal.h"
#include "hal/core/registry.h"

#ifndef LB_DATADIR
#define LB_DATADIR "/usr/local/share/lightbridge"
#endif
#ifndef LB_SOURCE_DATADIR
#define LB_SOURCE_DATADIR "."
#endif

/*
 * Data lookup: $LB_DATADIR, else the installed data directory, else the source tree the
 * library was built from (so a build tree works without installing).
 */
static void default_data_dir(char *out, size_t len)
{
	const char *env = getenv("LB_DATADIR");
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	char probe[PATH_MAX];
	snprintf(probe, sizeof(probe), "%s/emulator/profiles", LB_DATADIR);
	if (access(probe, R_OK) == 0) {
		snprintf(out, len, "%s", LB_DATADIR);
		return;
	}
	snprintf(out, len, "%s", LB_SOURCE_DATADIR);
}

LB_API int lb_ctx_create(struct lb_ctx **out)
{
	if (!out)
		return LB_E_INVAL;
	struct lb_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return LB_E_NOMEM;
	ctx->clock = lb_clock_monotonic();
	ctx->log_max = LB_LOG_WARN;
	default_data_dir(ctx->data_dir, sizeof(ctx->data_dir));
	for (unsigned i = 0; lb_builtin_drivers[i]; i++) {
		int rc = lb_ctx_register_driver(ctx, lb_builtin_drivers[i]);
		if (rc) {
			lb_ctx_destroy(ctx);
			return rc;
		}
	}
	*out = ctx;
	return LB_OK;
}

void lb_plugin_unload(void *dl_handle);

LB_API void lb_ctx_destroy(struct lb_ctx *ctx)
{
	if (!ctx)
		return;
	for (unsigned i = 0; i < ctx->n_drivers; i++) {
		struct lb_ctx_driver *d = &ctx->drivers[i];
		if (d->shared && d->drv->kind == LB_DRIVER_BUS && d->bus_ops.release_shared)
			d->bus_ops.release_shared(d->shared);
		if (d->dl_handle)
			lb_plugin_unload(d->dl_handle);
	}
	free(ctx->drivers);
	free(ctx->state_dir);
	free(ctx);
}

LB_API void lb_ctx_set_log(struct lb_ctx *ctx, lb_log_fn fn, void *user, enum lb_log_level max)
{
	if (!ctx)
		return;
	ctx->log_fn = fn;
	ctx->log_user = user;
	ctx->log_max = max;
}

LB_API int lb_ctx_set_clock(struct lb_ctx *ctx, const struct lb_clock *clock)
{
	if (!ctx || !clock || !clock->now_ns || !clock->sleep_ns)
		return LB_E_INVAL;
	ctx->clock = *clock;
	ctx->clock_set_by_user = true;
	return LB_OK;
}

static bool same_clock(const struct lb_clock *a, const struct lb_clock *b)
{
	return a->now_ns == b->now_ns && a->sleep_ns == b->sleep_ns && a->user == b->user;
}

void lb_ctx_offer_clock(struct lb_ctx *ctx, const struct lb_clock *clock)
{
	if (ctx->clock_set_by_user || !clock->now_ns || !clock->sleep_ns)
		return;
	if (ctx->clock_offers && same_clock(&ctx->clock, clock)) {
		ctx->clock_offers++;
		return;
	}
	ctx->clock = *clock;
	ctx->clock_offers = 1;
}

void lb_ctx_withdraw_clock(struct lb_ctx *ctx, const struct lb_clock *clock)
{
	/* The clock's owner (an emulated world) may be gone: never keep calling into it. */
	if (ctx->clock_set_by_user || !ctx->clock_offers || !same_clock(&ctx->clock, clock))
		return;
	if (--ctx->clock_offers == 0)
		ctx->clock = lb_clock_monotonic();
}

LB_API void lb_ctx_get_clock(const struct lb_ctx *ctx, struct lb_clock *out)
{
	if (ctx && out)
		*out = ctx->clock;
}

LB_API uint64_t lb_ctx_now_ns(const struct lb_ctx *ctx)
{
	return ctx->clock.now_ns(ctx->clock.user);
}

LB_API void lb_ctx_sleep_ns(const struct lb_ctx *ctx, uint64_t ns)
{
	ctx->clock.sleep_ns(ctx->clock.user, ns);
}

LB_API int lb_ctx_set_data_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx || !dir)
		return LB_E_INVAL;
	if (!*dir) {
		default_data_dir(ctx->data_dir, sizeof(ctx->data_dir));
		return LB_OK;
	}
	if (strlen(dir) >= sizeof(ctx->data_dir))
		return LB_E_RANGE;
	snprintf(ctx->data_dir, sizeof(ctx->data_dir), "%s", dir);
	return LB_OK;
}

LB_API const char *lb_ctx_get_data_dir(const struct lb_ctx *ctx)
{
	return ctx ? ctx->data_dir : "";
}

LB_API int lb_ctx_set_state_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx)
		return LB_E_INVAL;
	char *copy = NULL;
	if (dir && !(copy = strdup(dir)))
		return LB_E_NOMEM;
	free(ctx->state_dir);
	ctx->state_dir = copy;
	return LB_OK;
}

LB_API int lb_ctx_register_driver(struct lb_ctx *ctx, const struct lb_driver *drv)
{
	if (!ctx || !drv || !drv->name)
		return LB_E_INVAL;
	if (drv->abi != LB_DRIVER_ABI || drv->size != sizeof(struct lb_driver))
		return lb_ctx_error(ctx, LB_E_ABI, "driver %s: built for ABI %u (size %u), library has ABI %u (size %zu)",
				    drv->name, drv->abi, drv->size, LB_DRIVER_ABI, sizeof(struct lb_driver));
	struct lb_bus_ops bus_ops = { 0 };
	if (drv->kind == LB_DRIVER_BUS) {
		const struct lb_bus_ops *o = drv->ops.bus;
		/* Everything up to xfer is required of every bus driver of ABI 1. */
		size_t required = offsetof(struct lb_bus_ops, xfer) + sizeof(o->xfer);
		if (!o || o->size < required)
			return lb_ctx_error(ctx, LB_E_ABI, "driver %s: bus ops table of %zu bytes, at least %zu needed",
					    drv->name, o ? o->size : 0, required);
		memcpy(&bus_ops, o, o->size < sizeof(bus_ops) ? o->size : sizeof(bus_ops));
		bus_ops.size = sizeof(bus_ops);
		o = &bus_ops;
		if (!o->open || !o->close || !o->max_transfer ||
		    ((o->caps & LB_BUS_CAP_I2C) && !o->xfer) ||
		    ((o->caps & LB_BUS_CAP_PAGED) && (!o->paged_read || !o->paged_write)) ||
		    !(o->caps & (LB_BUS_CAP_I2C | LB_BUS_CAP_PAGED)))
			return lb_ctx_error(ctx, LB_E_INVAL, "driver %s: incomplete bus ops table", drv->name);
	}
	const struct lb_driver *dup;
	if (lb_ctx_find_driver(ctx, drv->kind, drv->name, &dup) == LB_OK)
		return lb_ctx_error(ctx, LB_E_EXISTS, "driver %s: already registered", drv->name);
	if (ctx->n_drivers == ctx->cap_drivers) {
		unsigned cap = ctx->cap_drivers ? ctx->cap_drivers * 2 : 8;
		struct lb_ctx_driver *d = realloc(ctx->drivers, cap * sizeof(*d));
		if (!d)
			return LB_E_NOMEM;
		ctx->drivers = d;
		ctx->cap_drivers = cap;
	}
	ctx->drivers[ctx->n_drivers++] = (struct lb_ctx_driver){ .drv = drv, .bus_ops = bus_ops };
	return LB_OK;
}

LB_API int lb_ctx_find_driver(const struct lb_ctx *ctx, enum lb_driver_kind kind, const char *name,
			      const struct lb_driver **out)
{
	if (!ctx || !name || !out)
		return LB_E_INVAL;
	for (unsigned i = 0; i < ctx->n_drivers; i++) {
		const struct lb_driver *d = ctx->drivers[i].drv;
		if (d->kind == kind && strcmp(d->name, name) == 0) {
			*out = d;
			return LB_OK;
		}
	}
	return LB_E_NOTFOUND;
}

const struct lb_bus_ops *lb_ctx_bus_ops(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	for (unsigned i = 0; i < ctx->n_drivers; i++)
		if (ctx->drivers[i].drv == drv)
			return drv->kind == LB_DRIVER_BUS ? &ctx->drivers[i].bus_ops : NULL;
	return NULL;
}

LB_API unsigned lb_ctx_driver_count(const struct lb_ctx *ctx)
{
	return ctx ? ctx->n_drivers : 0;
}

LB_API const struct lb_driver *lb_ctx_driver_at(const struct lb_ctx *ctx, unsigned i)
{
	return ctx && i < ctx->n_drivers ? ctx->drivers[i].drv : NULL;
}

LB_API const char *lb_ctx_last_error(const struct lb_ctx *ctx)
{
	return ctx ? ctx->last_error : "";
}

/* A driver's error message is the best detail of the failure it returns next. */
LB_API void lb_ctx_clear_error(struct lb_ctx *ctx)
{
	if (ctx)
		ctx->last_error[0] = 0;
}

static void driver_log_trampoline(void *user, enum lb_log_level level, const char *msg)
{
	struct lb_ctx *ctx = user;
	if (level <= LB_LOG_ERR)
		snprintf(ctx->last_error, sizeof(ctx->last_error), "%s", msg);
	lb_log(ctx, level, "%s", msg);
}

void lb_ctx_driver_env(struct lb_ctx *ctx, const struct lb_driver *drv, struct lb_driver_env *env)
{
	memset(env, 0, sizeof(*env));
	env->clock = ctx->clock;
	env->log = driver_log_trampoline;
	env->log_user = ctx;
	env->data_dir = ctx->data_dir;
	env->state_dir = ctx->state_dir;
	env->state_readonly = ctx->state_mode == LB_STATE_READ_ONLY;
	for (unsigned i = 0; i < ctx->n_drivers; i++)
		if (ctx->drivers[i].drv == drv)
			env->shared = &ctx->drivers[i].shared;
}

LB_API int lb_ctx_set_state_mode(struct lb_ctx *ctx, enum lb_state_mode mode)
{
	if (!ctx || (mode != LB_STATE_READ_WRITE && mode != LB_STATE_READ_ONLY))
		return LB_E_INVAL;
	ctx->state_mode = mode;
	return LB_OK;
}
