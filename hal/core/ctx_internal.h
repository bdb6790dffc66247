/* SPDX-License-Identifier: MIT */
/* The context's body, for the rest of the core. */
#ifndef LB_HAL_CORE_CTX_INTERNAL_H
#define LB_HAL_CORE_CTX_INTERNAL_H

#include <stdbool.h>
#include <limits.h>
#include <lightbridge/ctx.h>

struct lb_ctx_driver {
	const struct lb_driver *drv;
	struct lb_bus_ops bus_ops; /* bus drivers: the table at the library's size, zero-extended */
	void *dl_handle; /* plugin handle, NULL for built-ins */
	void *shared;    /* the driver's context-wide slot (lb_driver_env.shared) */
};

struct lb_ctx {
	struct lb_clock clock;
	bool clock_set_by_user;
	unsigned clock_offers;  /* open buses that offered the clock in force */
	lb_log_fn log_fn;
	void *log_user;
	enum lb_log_level log_max;
	char data_dir[PATH_MAX];
	char *state_dir;
	struct lb_ctx_driver *drivers;
	unsigned n_drivers, cap_drivers;
	char last_error[512];
	enum lb_state_mode state_mode; /* lb_ctx_set_state_mode */
};

/** Log through the user's hook (printf-style). */
void lb_log(const struct lb_ctx *ctx, enum lb_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** Record the detail of an error (file, field, reason) and log it; returns status. */
int lb_ctx_error(struct lb_ctx *ctx, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/** The env handed to an instance of drv. */
void lb_ctx_driver_env(struct lb_ctx *ctx, const struct lb_driver *drv, struct lb_driver_env *env);
/** The bus ops table of a registered bus driver, at the library's own size. */
const struct lb_bus_ops *lb_ctx_bus_ops(const struct lb_ctx *ctx, const struct lb_driver *drv);
/** A driver offers a clock: install it unless the user chose one. */
void lb_ctx_offer_clock(struct lb_ctx *ctx, const struct lb_clock *clock);
/** A driver's clock goes away (its bus closes): back to the monotonic clock after the last one. */
void lb_ctx_withdraw_clock(struct lb_ctx *ctx, const struct lb_clock *clock);

#endif
