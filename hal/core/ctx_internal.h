/* SPDX-License-Identifier: MIT */
/* The context's body, for the rest of the core. */
#ifndef LB_HAL_CORE_CTX_INTERNAL_H
#define LB_HAL_CORE_CTX_INTERNAL_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <limits.h>
#include <lightbridge/ctx.h>

/* Longest error detail kept (bytes, with the terminating NUL). */
#define LB_ERROR_MAX 512

/* A loaded plugin: one dlopen handle, closed when the last of its drivers goes. */
struct lb_ctx_plugin {
	void *dl_handle;
	unsigned refs; /* drivers registered from it */
	char *path;
};

/*
 * One registered driver. Allocated on its own and never moved or freed before the context
 * goes, so &drv may be handed out (lb_ctx_find_driver) and kept.
 */
struct lb_ctx_driver {
	struct lb_driver drv;          /* the core's copy, zero-extended; drv.ops points at ops */
	const struct lb_driver *orig;  /* what the driver registered */
	union {                        /* its ops table at the library's size, zero-extended */
		struct lb_bus_ops bus;
		struct lb_sideband_ops sideband;
		struct lb_module_ext_ops module_ext;
		struct lb_asic_ops asic;
	} ops;
	struct lb_ctx_plugin *plugin;  /* NULL for built-ins and application drivers */
	void *shared;                  /* the driver's context-wide slot (lb_driver_env.shared) */
};

/* A directory string: kept until the context goes, so getters may hand it out. */
struct lb_ctx_str {
	struct lb_ctx_str *next;
	char s[];
};

struct lb_ctx {
	/*
	 * Guards everything below but id. A leaf lock: never held while a hook, a clock or a
	 * driver op runs, nor while another lock is taken.
	 */
	pthread_mutex_t lock;
	uint64_t id; /* unique in the process (per-thread error records name their context by it) */
	struct lb_clock clock;
	lb_log_fn log_fn;
	void *log_user;
	enum lb_log_level log_max;
	const char *data_dir;   /* the current one of strings */
	const char *state_dir;  /* the current one of strings, or NULL */
	struct lb_ctx_str *strings;
	struct lb_ctx_driver **drivers;
	unsigned n_drivers, cap_drivers;
	struct lb_ctx_plugin **plugins;
	unsigned n_plugins, cap_plugins;
	enum lb_state_mode state_mode; /* lb_ctx_set_state_mode */
};

void lb_ctx_lock(const struct lb_ctx *ctx);
void lb_ctx_unlock(const struct lb_ctx *ctx);

/** Log through the user's hook (printf-style). */
void lb_log(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Record the detail of an error for the calling thread and log it (lb_ctx_error's body). */
void lb_ctx_verror(struct lb_ctx *ctx, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/**
 * Record the detail of an error (file, field, reason) for the calling thread and log it;
 * returns status. The arguments may include lb_ctx_last_error(ctx). Defined here, so that
 * every file sees that `return lb_ctx_error(ctx, LB_E_X, ...)` returns LB_E_X (gcc's
 * -fanalyzer looks at one file at a time, and otherwise takes it for any value, 0 too).
 */
__attribute__((format(printf, 3, 4)))
static inline int lb_ctx_error(struct lb_ctx *ctx, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lb_ctx_verror(ctx, fmt, ap);
	va_end(ap);
	return status;
}
/** Put back a detail saved from lb_ctx_last_error() (not logged again). */
void lb_ctx_restore_error(struct lb_ctx *ctx, const char *detail);
/**
 * How many details the calling thread has recorded so far (any context): a call that compares
 * it before and after knows whether the detail in force is its own.
 */
uint64_t lb_ctx_error_seq(void);
/** The hook every driver env logs through (log_user: the context). */
void lb_ctx_driver_log_hook(void *user, enum lb_log_level level, const char *msg);
/** The env handed to an instance of drv. */
void lb_ctx_driver_env(struct lb_ctx *ctx, const struct lb_driver *drv, struct lb_driver_env *env);

/*
 * The ops table of a registered driver at the library's own size, zero-extended; NULL when
 * drv is not registered or not of that kind. drv: what lb_ctx_find_driver() gave, or the
 * driver's own struct. Every use of a driver's ops in the core goes through these.
 */
const struct lb_bus_ops *lb_ctx_bus_ops(const struct lb_ctx *ctx, const struct lb_driver *drv);
const struct lb_sideband_ops *lb_ctx_sideband_ops(const struct lb_ctx *ctx, const struct lb_driver *drv);
const struct lb_module_ext_ops *lb_ctx_module_ext_ops(const struct lb_ctx *ctx,
						      const struct lb_driver *drv);
const struct lb_asic_ops *lb_ctx_asic_ops(const struct lb_ctx *ctx, const struct lb_driver *drv);
/** true when registered (a registry copy) and owner are the same driver: owner is the copy or the original. */
bool lb_ctx_driver_is(const struct lb_ctx *ctx, const struct lb_driver *registered,
		      const struct lb_driver *owner);
/** The plugin a registered driver came from, or NULL (built-in or application driver). */
const struct lb_ctx_plugin *lb_ctx_driver_plugin(const struct lb_ctx *ctx, const struct lb_driver *drv);
/**
 * Register drivers together, all or none (plugin: where they come from, or NULL). On success
 * the plugin's refs count them and the context owns the plugin record.
 */
int lb_ctx_register_drivers(struct lb_ctx *ctx, const struct lb_driver *const *drvs, unsigned n,
			    struct lb_ctx_plugin *plugin);


#endif
