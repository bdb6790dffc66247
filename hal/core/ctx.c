/* SPDX-License-Identifier: MIT */
#include <dlfcn.h>
#include <limits.h>
#include <stdarg.h>
#include <stdatomic.h>
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
#ifndef LB_DATA_FROM_LIBDIR
#define LB_DATA_FROM_LIBDIR "../share/lightbridge"
#endif
#ifndef LB_DATA_FROM_BINDIR
#define LB_DATA_FROM_BINDIR "../share/lightbridge"
#endif

void lb_plugin_unload(void *dl_handle);

/* Context ids: unique for the process's life, so a freed context's id is never reused. */
static atomic_uint_fast64_t next_ctx_id = 1;

void lb_ctx_lock(const struct lb_ctx *ctx)
{
	/* The lock is the one mutable part of a const context. */
	pthread_mutex_lock((pthread_mutex_t *)&ctx->lock);
}

void lb_ctx_unlock(const struct lb_ctx *ctx)
{
	pthread_mutex_unlock((pthread_mutex_t *)&ctx->lock);
}

/* dir/emulator/profiles can be read: dir is a data directory. */
static bool has_data(const char *dir)
{
	char probe[PATH_MAX];
	int n = snprintf(probe, sizeof(probe), "%s/emulator/profiles", dir);
	return n > 0 && (size_t)n < sizeof(probe) && access(probe, R_OK) == 0;
}

/*
 * The data directory where the library (or, linked statically, the program) was installed:
 * <libdir>/../share/lightbridge as the install layout places it (the build tree mirrors that
 * layout, with share/lightbridge linked to the source data), found from the file this code
 * was loaded from. No environment, no current directory.
 */
static bool data_dir_beside_us(char *out, size_t len)
{
	Dl_info info;
	char path[PATH_MAX];
	if (!dladdr((void *)&data_dir_beside_us, &info) || !info.dli_fname ||
	    !realpath(info.dli_fname, path))
		return false;
	char *slash = strrchr(path, '/');
	if (!slash)
		return false;
	*slash = '\0';
	static const char *const rel[] = { LB_DATA_FROM_LIBDIR, LB_DATA_FROM_BINDIR };
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char dir[PATH_MAX], real[PATH_MAX];
		int n = snprintf(dir, sizeof(dir), "%s/%s", path, rel[i]);
		if (n > 0 && (size_t)n < sizeof(dir) && has_data(dir) && realpath(dir, real) &&
		    strlen(real) < len) {
			snprintf(out, len, "%s", real);
			return true;
		}
	}
	return false;
}

/*
 * Data lookup: $LB_DATADIR (not when set-uid), else the data installed beside the library (a
 * relocated install, or the build tree), else the configured install directory.
 */
static void default_data_dir(char *out, size_t len)
{
	const char *env = secure_getenv("LB_DATADIR"); /* not when set-uid */
	if (env && *env) {
		snprintf(out, len, "%s", env);
		return;
	}
	if (data_dir_beside_us(out, len))
		return;
	snprintf(out, len, "%s", LB_DATADIR);
}

static struct lb_ctx_str *new_str(const char *s)
{
	size_t n = strlen(s) + 1;
	struct lb_ctx_str *str = malloc(sizeof(*str) + n);
	if (str)
		memcpy(str->s, s, n);
	return str;
}

/* With the lock held: keep str until the context goes. */
static const char *keep_str(struct lb_ctx *ctx, struct lb_ctx_str *str)
{
	str->next = ctx->strings;
	ctx->strings = str;
	return str->s;
}

LB_API int lb_ctx_create(struct lb_ctx **out)
{
	if (!out)
		return LB_E_INVAL;
	struct lb_ctx *ctx = calloc(1, sizeof(*ctx));
	if (!ctx)
		return LB_E_NOMEM;
	if (pthread_mutex_init(&ctx->lock, NULL)) {
		free(ctx);
		return LB_E_NOMEM;
	}
	ctx->id = atomic_fetch_add(&next_ctx_id, 1);
	ctx->clock = lb_clock_monotonic();
	ctx->log_max = LB_LOG_WARN;
	char dir[PATH_MAX];
	default_data_dir(dir, sizeof(dir));
	struct lb_ctx_str *str = new_str(dir);
	if (!str) {
		lb_ctx_destroy(ctx);
		return LB_E_NOMEM;
	}
	ctx->data_dir = keep_str(ctx, str);
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

LB_API void lb_ctx_destroy(struct lb_ctx *ctx)
{
	if (!ctx)
		return;
	for (unsigned i = 0; i < ctx->n_drivers; i++) {
		struct lb_ctx_driver *d = ctx->drivers[i];
		if (d->shared && d->drv.kind == LB_DRIVER_BUS && d->ops.bus.release_shared)
			d->ops.bus.release_shared(d->shared);
		/* The plugin's code goes after the last of its drivers is done with. */
		if (d->plugin && --d->plugin->refs == 0)
			lb_plugin_unload(d->plugin->dl_handle);
		free(d);
	}
	for (unsigned i = 0; i < ctx->n_plugins; i++) {
		free(ctx->plugins[i]->path);
		free(ctx->plugins[i]);
	}
	while (ctx->strings) {
		struct lb_ctx_str *next = ctx->strings->next;
		free(ctx->strings);
		ctx->strings = next;
	}
	free(ctx->drivers);
	free(ctx->plugins);
	pthread_mutex_destroy(&ctx->lock);
	free(ctx);
}

LB_API void lb_ctx_set_log(struct lb_ctx *ctx, lb_log_fn fn, void *user, enum lb_log_level max)
{
	if (!ctx)
		return;
	lb_ctx_lock(ctx);
	ctx->log_fn = fn;
	ctx->log_user = user;
	ctx->log_max = max;
	lb_ctx_unlock(ctx);
}

LB_API int lb_ctx_set_clock(struct lb_ctx *ctx, const struct lb_clock *clock)
{
	if (!ctx || !clock || !clock->now_ns || !clock->sleep_ns)
		return LB_E_INVAL;
	lb_ctx_lock(ctx);
	ctx->clock = *clock;
	lb_ctx_unlock(ctx);
	return LB_OK;
}

LB_API void lb_ctx_get_clock(const struct lb_ctx *ctx, struct lb_clock *out)
{
	if (!ctx || !out)
		return;
	lb_ctx_lock(ctx);
	*out = ctx->clock;
	lb_ctx_unlock(ctx);
}

LB_API uint64_t lb_ctx_now_ns(const struct lb_ctx *ctx)
{
	struct lb_clock c;
	lb_ctx_get_clock(ctx, &c);
	return c.now_ns(c.user);
}

LB_API void lb_ctx_sleep_ns(const struct lb_ctx *ctx, uint64_t ns)
{
	struct lb_clock c;
	lb_ctx_get_clock(ctx, &c);
	c.sleep_ns(c.user, ns);
}

LB_API int lb_ctx_set_data_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx || !dir)
		return LB_E_INVAL;
	char def[PATH_MAX];
	if (!*dir) {
		default_data_dir(def, sizeof(def));
		dir = def;
	} else if (strlen(dir) >= PATH_MAX) {
		return LB_E_RANGE;
	}
	struct lb_ctx_str *str = new_str(dir);
	if (!str)
		return LB_E_NOMEM;
	lb_ctx_lock(ctx);
	ctx->data_dir = keep_str(ctx, str);
	lb_ctx_unlock(ctx);
	return LB_OK;
}

LB_API const char *lb_ctx_get_data_dir(const struct lb_ctx *ctx)
{
	if (!ctx)
		return "";
	lb_ctx_lock(ctx);
	const char *dir = ctx->data_dir;
	lb_ctx_unlock(ctx);
	return dir;
}

LB_API int lb_ctx_set_state_dir(struct lb_ctx *ctx, const char *dir)
{
	if (!ctx)
		return LB_E_INVAL;
	struct lb_ctx_str *str = NULL;
	if (dir && !(str = new_str(dir)))
		return LB_E_NOMEM;
	lb_ctx_lock(ctx);
	ctx->state_dir = str ? keep_str(ctx, str) : NULL;
	lb_ctx_unlock(ctx);
	return LB_OK;
}

/* ---- the registry ---- */

static const char *kind_name(enum lb_driver_kind kind)
{
	switch (kind) {
	case LB_DRIVER_BUS: return "bus";
	case LB_DRIVER_SIDEBAND: return "sideband";
	case LB_DRIVER_MODULE_EXT: return "module-ext";
	case LB_DRIVER_ASIC: return "asic";
	default: return "unknown";
	}
}

/* What the library knows of a kind: its version and its table's first and current sizes. */
struct kind_info {
	unsigned abi;
	size_t min_size, lib_size;
};

static bool kind_info(enum lb_driver_kind kind, struct kind_info *out)
{
	switch (kind) {
	case LB_DRIVER_BUS:
		*out = (struct kind_info){ LB_BUS_ABI, LB_BUS_OPS_MIN_SIZE, sizeof(struct lb_bus_ops) };
		return true;
	case LB_DRIVER_SIDEBAND:
		*out = (struct kind_info){ LB_SIDEBAND_ABI, LB_SIDEBAND_OPS_MIN_SIZE,
					   sizeof(struct lb_sideband_ops) };
		return true;
	case LB_DRIVER_MODULE_EXT:
		*out = (struct kind_info){ LB_MODULE_EXT_ABI, LB_MODULE_EXT_OPS_MIN_SIZE,
					   sizeof(struct lb_module_ext_ops) };
		return true;
	case LB_DRIVER_ASIC:
		*out = (struct kind_info){ LB_ASIC_ABI, LB_ASIC_OPS_MIN_SIZE, sizeof(struct lb_asic_ops) };
		return true;
	default:
		return false;
	}
}

/* Refuse a driver: the detail names the plugin (if any) and the driver. */
__attribute__((format(printf, 5, 6)))
static int refuse(struct lb_ctx *ctx, int status, const struct lb_ctx_plugin *plugin,
		  const char *name, const char *fmt, ...)
{
	char why[LB_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	return lb_ctx_error(ctx, status, "%s%s%s%s%s%s%s", plugin ? "plugin " : "",
			    plugin ? plugin->path : "", plugin ? ": " : "", name ? "driver " : "",
			    name ? name : "", name ? ": " : "", why);
}

static int check_ops(struct lb_ctx *ctx, const struct lb_ctx_plugin *plugin, const struct lb_ctx_driver *e)
{
	const char *name = e->drv.name;
	switch (e->drv.kind) {
	case LB_DRIVER_BUS: {
		const struct lb_bus_ops *o = &e->ops.bus;
		if (!o->open || !o->close || !o->max_transfer ||
		    ((o->caps & LB_BUS_CAP_I2C) && !o->xfer) ||
		    ((o->caps & LB_BUS_CAP_PAGED) && (!o->paged_read || !o->paged_write)) ||
		    !(o->caps & (LB_BUS_CAP_I2C | LB_BUS_CAP_PAGED)))
			return refuse(ctx, LB_E_INVAL, plugin, name, "incomplete bus ops table");
		return LB_OK;
	}
	case LB_DRIVER_SIDEBAND:
		if (!e->ops.sideband.open || !e->ops.sideband.close)
			return refuse(ctx, LB_E_INVAL, plugin, name,
				      "incomplete sideband ops table (open and close are required)");
		return LB_OK;
	case LB_DRIVER_MODULE_EXT:
		if (!e->ops.module_ext.match)
			return refuse(ctx, LB_E_INVAL, plugin, name,
				      "incomplete module extension ops table (match is required)");
		return LB_OK;
	default: /* ASIC tables: reserved, nothing required yet */
		return LB_OK;
	}
}

/* Check drv and build its registry entry, not yet registered. */
static int prepare(struct lb_ctx *ctx, const struct lb_driver *drv, const struct lb_ctx_plugin *plugin,
		   struct lb_ctx_driver **out)
{
	*out = NULL;
	if (!drv)
		return refuse(ctx, LB_E_INVAL, plugin, NULL, "no struct lb_driver");
	/* abi and size open every layout of struct lb_driver; nothing else is read before they pass. */
	if (drv->abi != LB_DRIVER_ABI || drv->size < LB_DRIVER_MIN_SIZE)
		return refuse(ctx, LB_E_ABI, plugin, NULL,
			      "struct lb_driver of ABI %u and %u bytes, library has ABI %u and takes %zu bytes or more",
			      drv->abi, drv->size, LB_DRIVER_ABI, (size_t)LB_DRIVER_MIN_SIZE);
	struct lb_ctx_driver *e = calloc(1, sizeof(*e));
	if (!e)
		return LB_E_NOMEM;
	memcpy(&e->drv, drv, drv->size < sizeof(e->drv) ? drv->size : sizeof(e->drv));
	e->drv.size = sizeof(e->drv);
	e->orig = drv;
	const char *name = e->drv.name;
	int rc = LB_OK;
	struct kind_info k = { 0, 0, 0 };
	const void *ops = e->drv.ops.bus; /* every member of the union is a table pointer */
	size_t ops_size = ops ? *(const size_t *)ops : 0; /* every table starts with its size */
	uint32_t kind_abi = e->drv.kind_abi ? e->drv.kind_abi : 1;
	if (!name)
		rc = refuse(ctx, LB_E_INVAL, plugin, NULL, "no name");
	else if (!kind_info(e->drv.kind, &k))
		rc = refuse(ctx, LB_E_ABI, plugin, name, "unknown driver kind %d", (int)e->drv.kind);
	else if (kind_abi != k.abi)
		rc = refuse(ctx, LB_E_ABI, plugin, name, "%s ABI %u, library has %s ABI %u",
			    kind_name(e->drv.kind), kind_abi, kind_name(e->drv.kind), k.abi);
	else if (!ops)
		rc = refuse(ctx, LB_E_INVAL, plugin, name, "no %s ops table", kind_name(e->drv.kind));
	else if (ops_size < k.min_size)
		rc = refuse(ctx, LB_E_ABI, plugin, name, "%s ops table of %zu bytes, at least %zu needed",
			    kind_name(e->drv.kind), ops_size, k.min_size);
	if (rc) {
		free(e);
		return rc;
	}
	/* Zero-extended to the library's size; a newer driver's extra ops are not read. */
	memcpy(&e->ops, ops, ops_size < k.lib_size ? ops_size : k.lib_size);
	e->drv.kind_abi = kind_abi;
	switch (e->drv.kind) {
	case LB_DRIVER_BUS:
		e->ops.bus.size = k.lib_size;
		e->drv.ops.bus = &e->ops.bus;
		break;
	case LB_DRIVER_SIDEBAND:
		e->ops.sideband.size = k.lib_size;
		e->drv.ops.sideband = &e->ops.sideband;
		break;
	case LB_DRIVER_MODULE_EXT:
		e->ops.module_ext.size = k.lib_size;
		e->drv.ops.module_ext = &e->ops.module_ext;
		break;
	case LB_DRIVER_ASIC:
		e->ops.asic.size = k.lib_size;
		e->drv.ops.asic = &e->ops.asic;
		break;
	}
	if ((rc = check_ops(ctx, plugin, e))) {
		free(e);
		return rc;
	}
	*out = e;
	return LB_OK;
}

/* With the lock held. */
static struct lb_ctx_driver *find_locked(const struct lb_ctx *ctx, enum lb_driver_kind kind,
					 const char *name)
{
	for (unsigned i = 0; i < ctx->n_drivers; i++) {
		struct lb_ctx_driver *d = ctx->drivers[i];
		if (d->drv.kind == kind && strcmp(d->drv.name, name) == 0)
			return d;
	}
	return NULL;
}

/* With the lock held: the entry of drv (the core's copy or the driver's own struct). */
static struct lb_ctx_driver *entry_locked(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	for (unsigned i = 0; i < ctx->n_drivers; i++) {
		struct lb_ctx_driver *d = ctx->drivers[i];
		if (&d->drv == drv || d->orig == drv)
			return d;
	}
	return NULL;
}

/* With the lock held: room for n more drivers and, with a plugin, one more plugin. */
static bool reserve(struct lb_ctx *ctx, unsigned n, bool plugin)
{
	if (ctx->n_drivers + n > ctx->cap_drivers) {
		unsigned c = ctx->cap_drivers ? ctx->cap_drivers : 8;
		while (c < ctx->n_drivers + n)
			c *= 2;
		struct lb_ctx_driver **a = realloc(ctx->drivers, c * sizeof(*a));
		if (!a)
			return false;
		ctx->drivers = a;
		ctx->cap_drivers = c;
	}
	if (plugin && ctx->n_plugins == ctx->cap_plugins) {
		unsigned c = ctx->cap_plugins ? ctx->cap_plugins * 2 : 4;
		struct lb_ctx_plugin **a = realloc(ctx->plugins, c * sizeof(*a));
		if (!a)
			return false;
		ctx->plugins = a;
		ctx->cap_plugins = c;
	}
	return true;
}

int lb_ctx_register_drivers(struct lb_ctx *ctx, const struct lb_driver *const *drvs, unsigned n,
			    struct lb_ctx_plugin *plugin)
{
	if (!ctx || !drvs || !n)
		return LB_E_INVAL;
	struct lb_ctx_driver **es = calloc(n, sizeof(*es));
	if (!es)
		return LB_E_NOMEM;
	int rc = LB_OK;
	for (unsigned i = 0; i < n && rc == LB_OK; i++)
		rc = prepare(ctx, drvs[i], plugin, &es[i]);
	const struct lb_ctx_driver *dup = NULL;
	if (rc == LB_OK) {
		lb_ctx_lock(ctx);
		for (unsigned i = 0; i < n && !dup; i++) {
			if (find_locked(ctx, es[i]->drv.kind, es[i]->drv.name))
				dup = es[i];
			for (unsigned j = 0; j < i && !dup; j++)
				if (es[j]->drv.kind == es[i]->drv.kind &&
				    strcmp(es[j]->drv.name, es[i]->drv.name) == 0)
					dup = es[i];
		}
		if (!dup && !reserve(ctx, n, plugin != NULL))
			rc = LB_E_NOMEM;
		if (!dup && rc == LB_OK) {
			for (unsigned i = 0; i < n; i++) {
				es[i]->plugin = plugin;
				ctx->drivers[ctx->n_drivers++] = es[i];
				es[i] = NULL; /* the registry's now */
			}
			if (plugin) {
				plugin->refs = n;
				ctx->plugins[ctx->n_plugins++] = plugin;
			}
		}
		lb_ctx_unlock(ctx);
		if (dup)
			rc = refuse(ctx, LB_E_EXISTS, plugin, dup->drv.name, "a %s driver of that name is already registered",
				    kind_name(dup->drv.kind));
	}
	for (unsigned i = 0; i < n; i++)
		free(es[i]);
	free(es);
	return rc;
}

LB_API int lb_ctx_register_driver(struct lb_ctx *ctx, const struct lb_driver *drv)
{
	if (!ctx || !drv)
		return LB_E_INVAL;
	return lb_ctx_register_drivers(ctx, &drv, 1, NULL);
}

LB_API int lb_ctx_find_driver(const struct lb_ctx *ctx, enum lb_driver_kind kind, const char *name,
			      const struct lb_driver **out)
{
	if (!ctx || !name || !out)
		return LB_E_INVAL;
	lb_ctx_lock(ctx);
	const struct lb_ctx_driver *d = find_locked(ctx, kind, name);
	lb_ctx_unlock(ctx);
	if (!d)
		return LB_E_NOTFOUND;
	*out = &d->drv;
	return LB_OK;
}

LB_API unsigned lb_ctx_driver_count(const struct lb_ctx *ctx)
{
	if (!ctx)
		return 0;
	lb_ctx_lock(ctx);
	unsigned n = ctx->n_drivers;
	lb_ctx_unlock(ctx);
	return n;
}

LB_API const struct lb_driver *lb_ctx_driver_at(const struct lb_ctx *ctx, unsigned i)
{
	if (!ctx)
		return NULL;
	lb_ctx_lock(ctx);
	const struct lb_driver *drv = i < ctx->n_drivers ? &ctx->drivers[i]->drv : NULL;
	lb_ctx_unlock(ctx);
	return drv;
}

/* The entry of drv if it is of kind; entries never move nor change once registered. */
static const struct lb_ctx_driver *entry_of_kind(const struct lb_ctx *ctx, const struct lb_driver *drv,
						 enum lb_driver_kind kind)
{
	if (!ctx || !drv)
		return NULL;
	lb_ctx_lock(ctx);
	const struct lb_ctx_driver *d = entry_locked(ctx, drv);
	lb_ctx_unlock(ctx);
	return d && d->drv.kind == kind ? d : NULL;
}

const struct lb_bus_ops *lb_ctx_bus_ops(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	const struct lb_ctx_driver *d = entry_of_kind(ctx, drv, LB_DRIVER_BUS);
	return d ? &d->ops.bus : NULL;
}

const struct lb_sideband_ops *lb_ctx_sideband_ops(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	const struct lb_ctx_driver *d = entry_of_kind(ctx, drv, LB_DRIVER_SIDEBAND);
	return d ? &d->ops.sideband : NULL;
}

const struct lb_module_ext_ops *lb_ctx_module_ext_ops(const struct lb_ctx *ctx,
						      const struct lb_driver *drv)
{
	const struct lb_ctx_driver *d = entry_of_kind(ctx, drv, LB_DRIVER_MODULE_EXT);
	return d ? &d->ops.module_ext : NULL;
}

const struct lb_asic_ops *lb_ctx_asic_ops(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	const struct lb_ctx_driver *d = entry_of_kind(ctx, drv, LB_DRIVER_ASIC);
	return d ? &d->ops.asic : NULL;
}

LB_API bool lb_ctx_has_driver(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	if (!ctx || !drv)
		return false;
	lb_ctx_lock(ctx);
	bool have = entry_locked(ctx, drv) != NULL;
	lb_ctx_unlock(ctx);
	return have;
}

bool lb_ctx_driver_is(const struct lb_ctx *ctx, const struct lb_driver *registered,
		      const struct lb_driver *owner)
{
	if (!ctx || !registered || !owner)
		return false;
	lb_ctx_lock(ctx);
	const struct lb_ctx_driver *d = entry_locked(ctx, registered);
	lb_ctx_unlock(ctx);
	return d && (owner == &d->drv || owner == d->orig);
}

const struct lb_ctx_plugin *lb_ctx_driver_plugin(const struct lb_ctx *ctx, const struct lb_driver *drv)
{
	if (!ctx || !drv)
		return NULL;
	lb_ctx_lock(ctx);
	const struct lb_ctx_driver *d = entry_locked(ctx, drv);
	lb_ctx_unlock(ctx);
	return d ? d->plugin : NULL;
}

/* A driver's clock reads the context's clock in force at the time of each call. */
static uint64_t env_clock_now(void *user)
{
	return lb_ctx_now_ns(user);
}

static void env_clock_sleep(void *user, uint64_t ns)
{
	lb_ctx_sleep_ns(user, ns);
}

void lb_ctx_driver_env(struct lb_ctx *ctx, const struct lb_driver *drv, struct lb_driver_env *env)
{
	memset(env, 0, sizeof(*env));
	env->clock = (struct lb_clock){ .now_ns = env_clock_now, .sleep_ns = env_clock_sleep,
					.user = ctx };
	env->log = lb_ctx_driver_log_hook;
	env->log_user = ctx;
	lb_ctx_lock(ctx);
	env->data_dir = ctx->data_dir;
	env->state_dir = ctx->state_dir;
	env->state_readonly = ctx->state_mode == LB_STATE_READ_ONLY;
	env->state_fresh = ctx->state_mode == LB_STATE_FRESH;
	struct lb_ctx_driver *d = entry_locked(ctx, drv);
	if (d)
		env->shared = &d->shared;
	lb_ctx_unlock(ctx);
}

LB_API int lb_ctx_set_state_mode(struct lb_ctx *ctx, enum lb_state_mode mode)
{
	if (!ctx || (mode != LB_STATE_READ_WRITE && mode != LB_STATE_READ_ONLY && mode != LB_STATE_FRESH))
		return LB_E_INVAL;
	lb_ctx_lock(ctx);
	ctx->state_mode = mode;
	lb_ctx_unlock(ctx);
	return LB_OK;
}
