/* SPDX-License-Identifier: MIT */
/*
 * The library context: clock, log hook, directories, driver registry. No other global state.
 *
 * Threads: once lb_ctx_create() has returned, a context may be shared by any number of
 * threads, and every function here may be called on it concurrently (one lock guards the
 * registry, the plugin list, the clock, the directories and the log settings; it is never
 * held while a hook, a clock or a driver op runs). lb_ctx_destroy() is the exception: call it
 * only when no other thread uses the context or anything opened on it. The error detail
 * (lb_ctx_last_error()) is per thread. Objects opened on a context (buses, modules, ...) say
 * in their own headers what may be shared.
 */
#ifndef LIGHTBRIDGE_CTX_H
#define LIGHTBRIDGE_CTX_H

#include <stdbool.h>
#include <lightbridge/common.h>
#include <lightbridge/clock.h>
#include <lightbridge/driver.h>
#include <lightbridge/log.h>

LB_BEGIN_DECLS

struct lb_ctx;

/**
 * Create a context with the real clock, no log hook and every built-in driver registered.
 * The emulator's drivers are not built in: see lb_emu_register_drivers() (emulator.h).
 */
LB_API int lb_ctx_create(struct lb_ctx **out);
/**
 * Destroy a context; NULL is allowed. Buses and modules must be closed first, and no other
 * thread may be using the context. Unloads its plugins.
 */
LB_API void lb_ctx_destroy(struct lb_ctx *ctx);

/**
 * Install a log hook (NULL: discard) and the most verbose level passed to it. The hook is
 * called on the thread that logs, possibly on several threads at once, never under the
 * context's lock (it may call back into the context).
 */
LB_API void lb_ctx_set_log(struct lb_ctx *ctx, lb_log_fn fn, void *user, enum lb_log_level max);
/** Replace the clock; returns LB_E_INVAL if a callback is missing. */
LB_API int lb_ctx_set_clock(struct lb_ctx *ctx, const struct lb_clock *clock);
/** The clock in use (copied to out). */
LB_API void lb_ctx_get_clock(const struct lb_ctx *ctx, struct lb_clock *out);
/** Current time of the context clock in ns. */
LB_API uint64_t lb_ctx_now_ns(const struct lb_ctx *ctx);
/** Let ns pass on the context clock (virtual on the emulator). */
LB_API void lb_ctx_sleep_ns(const struct lb_ctx *ctx, uint64_t ns);

/**
 * Directory holding platforms/, emulator/profiles/ and link/ data; "" = built-in
 * default. A bus or sideband opened afterwards sees the new value; open ones keep theirs.
 */
LB_API int lb_ctx_set_data_dir(struct lb_ctx *ctx, const char *dir);
/**
 * The data directory in force. The string is never changed or freed before lb_ctx_destroy()
 * (a later lb_ctx_set_data_dir() installs a new string and keeps the old one), so it may be
 * used on any thread for the context's life.
 */
LB_API const char *lb_ctx_get_data_dir(const struct lb_ctx *ctx);
/** Directory where drivers may keep state between processes (NULL: none); kept as data_dir is. */
LB_API int lb_ctx_set_state_dir(struct lb_ctx *ctx, const char *dir);

/** What drivers may do with the state directory. */
enum lb_state_mode {
	LB_STATE_READ_WRITE = 0, /* read it, and write back what changed (the default) */
	LB_STATE_READ_ONLY = 1,  /* read it only: nothing there is written, renamed or created
				    but a lock file; readers share the lock */
	LB_STATE_FRESH = 2,      /* start over: what is saved is ignored (under the exclusive
				    lock, so no concurrent process can undo it) and replaced */
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

/**
 * Register a driver (built-in or application-provided). drv, its ops table and its strings
 * must stay valid for the context's life. The core keeps its own copies of struct lb_driver
 * and of its ops table, zero-extended to the library's sizes (driver.h). LB_E_EXISTS on a
 * duplicate name within the kind; LB_E_ABI when drv->abi is not LB_DRIVER_ABI, drv->size is
 * below LB_DRIVER_MIN_SIZE, the kind is unknown, the kind's version (kind_abi) is not the
 * library's, or the ops table is smaller than its kind's first layout; LB_E_INVAL when a
 * required op is missing.
 */
LB_API int lb_ctx_register_driver(struct lb_ctx *ctx, const struct lb_driver *drv);
/**
 * Find a driver by kind and name; LB_E_NOTFOUND if none. *out is the core's copy of the
 * driver (at the library's struct size, ops pointing at the zero-extended table): it stays
 * valid and unchanged until lb_ctx_destroy(), since drivers are never unregistered before.
 */
/**
 * Whether this very driver struct (a driver's own, or the registry's copy of it that
 * lb_ctx_find_driver hands out) is registered in ctx; a namesake is not it.
 */
LB_API bool lb_ctx_has_driver(const struct lb_ctx *ctx, const struct lb_driver *drv);
LB_API int lb_ctx_find_driver(const struct lb_ctx *ctx, enum lb_driver_kind kind,
			      const char *name, const struct lb_driver **out);
/**
 * Load one plugin shared object and register its drivers: the NULL-terminated list from
 * lb_driver_entry_list() or, without it, the one driver from lb_driver_entry(). All of them
 * are registered or none is. LB_E_NOTFOUND (file or entry symbol missing), LB_E_ABI (as
 * lb_ctx_register_driver(); the message names the plugin, the driver, its kind and both
 * versions), LB_E_EXISTS (a name already registered). The reason goes to the log hook and to
 * lb_ctx_last_error(). The object stays loaded until lb_ctx_destroy(), which closes it once.
 */
LB_API int lb_ctx_load_plugin(struct lb_ctx *ctx, const char *path);
/** Load every *.so in dir (NULL: the installed plugin directory); returns how many loaded, or a status. */
LB_API int lb_ctx_load_plugin_dir(struct lb_ctx *ctx, const char *dir);
/**
 * Number of registered drivers and the i-th one (for listing), in registration order; NULL
 * past the end. Drivers are only ever added, so an index keeps naming the same driver while
 * other threads register more. The pointer is the core's copy, as lb_ctx_find_driver()'s.
 */
LB_API unsigned lb_ctx_driver_count(const struct lb_ctx *ctx);
LB_API const struct lb_driver *lb_ctx_driver_at(const struct lb_ctx *ctx, unsigned i);

/**
 * The error detail (file, field, reason; a driver's lb_driver_error()) of the last failed
 * call that the calling thread made on this context, or "". Per thread: a failure on another
 * thread never shows here. A thread keeps one record: after it records a failure on another
 * context, this context reads "". The string stays valid on this thread until its next
 * failing call on any context (or lb_ctx_clear_error()).
 */
LB_API const char *lb_ctx_last_error(const struct lb_ctx *ctx);
/**
 * Forget the calling thread's last error detail on ctx (so that a later failure is not
 * explained by an older one). Other threads' details are untouched.
 */
LB_API void lb_ctx_clear_error(struct lb_ctx *ctx);

LB_END_DECLS
#endif
