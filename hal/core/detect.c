/* SPDX-License-Identifier: MIT */
/* Discovery: ask each bus driver's optional enumerate op what it sees; no driver knowledge here. */
#include <stdio.h>
#include <string.h>
#include <lightbridge/detect.h>
#include "hal/core/ctx_internal.h"

struct detect_walk {
	const char *driver;
	lb_bus_found_fn found;
	void *user;
	int count;
	int stop; /* nonzero value found returned */
};

static int detect_one(void *user, const struct lb_bus_found *bus)
{
	struct detect_walk *w = user;
	struct lb_bus_found copy = *bus;
	snprintf(copy.driver, sizeof(copy.driver), "%s", w->driver);
	w->count++;
	w->stop = w->found ? w->found(w->user, &copy) : 0;
	return w->stop;
}

LB_API int lb_detect_buses(struct lb_ctx *ctx, const char *driver, lb_bus_found_fn found,
			   void *user)
{
	if (!ctx)
		return LB_E_INVAL;
	struct detect_walk w = { .found = found, .user = user };
	bool matched = false;
	for (unsigned i = 0; i < lb_ctx_driver_count(ctx); i++) {
		const struct lb_driver *drv = lb_ctx_driver_at(ctx, i);
		if (drv->kind != LB_DRIVER_BUS || (driver && strcmp(drv->name, driver) != 0))
			continue;
		matched = true;
		const struct lb_bus_ops *ops = lb_ctx_bus_ops(ctx, drv);
		if (!ops->enumerate) {
			if (driver)
				return lb_ctx_error(ctx, LB_E_NOTSUP, "bus driver '%s' cannot list its buses",
						    driver);
			continue;
		}
		struct lb_driver_env env;
		lb_ctx_driver_env(ctx, drv, &env);
		w.driver = drv->name;
		int rc = ops->enumerate(&env, detect_one, &w);
		if (w.stop)
			return w.stop;
		if (rc < 0 && driver)
			return rc;
		if (rc < 0)
			lb_log(ctx, LB_LOG_INFO, "detect: bus driver '%s': %s", drv->name, lb_strerror(rc));
	}
	if (driver && !matched)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "bus driver '%s' is not registered", driver);
	return w.count;
}
