/* SPDX-License-Identifier: MIT */
/* The library context: clock, log hook, driver registry. No other global state. */
#ifndef LIGHTBRIDGE_CTX_H
#define LIGHTBRIDGE_CTX_H

#include <lightbridge/common.h>
#include <lightbridge/clock.h>
#include <lightbridge/driver.h>
#include <lightbridge/log.h>

LB_BEGIN_DECLS

struct lb_ctx;

/** Create a context with the real clock, no log hook and every built-in driver registered. */
LB_API int lb_ctx_create(struct lb_ctx **out);
/** Destroy a context; NULL is allowed. Buses and modules must be closed first. */
LB_API void lb_ctx_destroy(struct lb_ctx *ctx);

/** Install a log hook (NULL: discard) and the most verbose level passed to it. */
LB_API void lb_ctx_set_log(struct lb_ctx *ctx, lb_log_fn fn, void *user, enum lb_log_level max);
/** Replace the clock; returns LB_E_INVAL if a callback is missing. */
LB_API int lb_ctx_set_clock(struct lb_ctx *ctx, const struct lb_clock *clock);
/** The clock in use (copied to out). */
LB_API void lb_ctx_get_clock(const struct lb_ctx *ctx, struct lb_clock *out);
/** Current time of the context clock in ns. */
LB_API uint64_t lb_ctx_now_ns(const struct lb_ctx *ctx);
/** Let ns pass on the context clock (virtual on the emulator). */
LB_API void lb_ctx_sleep_ns(const struct lb_ctx *ctx, uint64_t ns);

/** Directory holding platforms/, emulator/profiles/ and emulator/link/ data; "" = built-in default. */
LB_API int lb_ctx_set_data_dir(struct lb_ctx *ctx, const char *dir);
LB_API const char *lb_ctx_get_data_dir(const struct lb_ctx *ctx);
/** Directory where drivers may keep state between processes (NULL: none). */
LB_API int lb_ctx_set_state_dir(struct lb_ctx *ctx, const char *dir);

/** What drivers may do with the state directory. */
enum lb_state_mode {
	LB_STATE_READ_WRITE = 0, /* read it, and write back what changed (the default) */
	LB_STATE_READ_ONLY = 1,  /* read it only: nothing there is written, renamed or created
				    but a lock file; readers share the lock */
};
/**
 * Set the state mode (LB_E_INVAL for another value). It reaches the drivers of the buses
 * opened afterwards (lb_driver_env.state_readonly); the emulator bus driver takes it from the
 * first bus of the context's emulated world, which holds the state file's lock, shared when
 * read-only and exclusive otherwise, until the world's last bus closes. Whatever a read-only
 * context changes in the emulated modules is forgotten when it closes. lb_ctx_set_state_dir()
 * leaves the mode as it is.
 */
LB_API int lb_ctx_set_state_mode(struct lb_ctx *ctx, enum lb_state_mode mode);

/** Register a driver table (built-in or application-provided). LB_E_EXISTS on a duplicate name. */
LB_API int lb_ctx_register_driver(struct lb_ctx *ctx, const struct lb_driver *drv);
/** Find a driver by kind and name; LB_E_NOTFOUND if none. */
LB_API int lb_ctx_find_driver(const struct lb_ctx *ctx, enum lb_driver_kind kind,
			      const char *name, const struct lb_driver **out);
/**
 * Load one plugin shared object and register its driver. LB_E_NOTFOUND (file or entry
 * symbol missing), LB_E_ABI (built against another LB_DRIVER_ABI or struct size). The reason
 * goes to the log hook and to lb_ctx_last_error().
 */
LB_API int lb_ctx_load_plugin(struct lb_ctx *ctx, const char *path);
/** Load every *.so in dir (NULL: the installed plugin directory); returns how many loaded, or a status. */
LB_API int lb_ctx_load_plugin_dir(struct lb_ctx *ctx, const char *dir);
/** Number of registered drivers and the i-th one (for listing). */
LB_API unsigned lb_ctx_driver_count(const struct lb_ctx *ctx);
LB_API const struct lb_driver *lb_ctx_driver_at(const struct lb_ctx *ctx, unsigned i);

/**
 * The last error detail recorded on this context (file, field, reason), or "".
 * Valid until the next call on the context.
 */
LB_API const char *lb_ctx_last_error(const struct lb_ctx *ctx);
/** Forget the last error detail (so that a later failure is not explained by an older one). */
LB_API void lb_ctx_clear_error(struct lb_ctx *ctx);

LB_END_DECLS
#endif
