/* SPDX-License-Identifier: MIT */
/*
 * Sideband objects: a driver instance (gpiod, emulator, plugins) behind struct lb_sideband_ops,
 * argument checks, and the events a NOS loop reads: ModPrsL and IntL edges become inserted /
 * removed / interrupt events, and an interrupt carries the latched flags the sideband's own
 * consumer has not seen yet (flags.h).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/sideband.h>
#include "hal/abi/sized.h"
#include "hal/bus/bus_internal.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/core/ctx_internal.h"
#include "hal/platform/sideband_internal.h"
#include "util/options_internal.h"

struct lb_sideband {
	struct lb_ctx *ctx;
	const struct lb_driver *drv;
	const struct lb_sideband_ops *ops;
	struct lb_driver_env env;
	pthread_mutex_t mutex;
	struct lb_module *module;     /* bound by the user, or NULL */
	/*
	 * The interrupt path's own view of the module's latched flags (flags.h), so that it and a
	 * poller never take each other's; created for the module an interrupt first concerns, or
	 * when the user binds one, and again when the module behind the sideband changes.
	 */
	struct lb_flag_consumer *flags;
	struct lb_platform *platform; /* set for a platform's sideband: the module is its port's */
	unsigned port;
	void *priv;
};

static const char *const line_names[LB_SB_COUNT] = {
	[LB_SB_RESETL] = "ResetL", [LB_SB_LPMODE] = "LPMode", [LB_SB_MODSELL] = "ModSelL",
	[LB_SB_MODPRSL] = "ModPrsL", [LB_SB_INTL] = "IntL",
};

LB_API const char *lb_sideband_line_name(enum lb_sideband_line line)
{
	return (unsigned)line < LB_SB_COUNT ? line_names[line] : "unknown";
}

LB_API const char *lb_sideband_event_name(int type)
{
	switch (type) {
	case LB_SB_EVENT_INSERTED: return "inserted";
	case LB_SB_EVENT_REMOVED: return "removed";
	case LB_SB_EVENT_INTERRUPT: return "interrupt";
	case LB_SB_EVENT_INTERRUPT_CLEARED: return "interrupt-cleared";
	default: return "unknown";
	}
}

LB_API int lb_sideband_open(struct lb_ctx *ctx, const char *driver, const char *options,
			    void *handle, struct lb_sideband **out)
{
	if (!ctx || !driver || !out)
		return LB_E_INVAL;
	/* The text is parsed once, here; the driver reads the object. */
	char origin[96], err[LB_ERROR_MAX];
	snprintf(origin, sizeof(origin), "%s sideband options", driver);
	struct lb_options *doc;
	int rc = lb_options_parse_object(options, origin, &doc, err, sizeof(err));
	if (rc)
		return lb_ctx_error(ctx, rc, "%s", err);
	rc = lb_sideband_open_options(ctx, driver, doc, handle, out);
	lb_options_free(doc);
	return rc;
}

int lb_sideband_open_options(struct lb_ctx *ctx, const char *driver,
			     const struct lb_options *options, void *handle, struct lb_sideband **out)
{
	if (!ctx || !driver || !options || !out)
		return LB_E_INVAL;
	const struct lb_driver *drv;
	if (lb_ctx_find_driver(ctx, LB_DRIVER_SIDEBAND, driver, &drv) != LB_OK)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "sideband driver '%s' is not registered", driver);
	/* The core's copy, zero-extended: ops appended after the driver was built read NULL. */
	const struct lb_sideband_ops *ops = lb_ctx_sideband_ops(ctx, drv);
	if (!ops || !ops->open || !ops->close)
		return lb_ctx_error(ctx, LB_E_ABI, "sideband driver '%s' has no open/close", driver);
	struct lb_sideband *sb = calloc(1, sizeof(*sb));
	if (!sb)
		return LB_E_NOMEM;
	sb->ctx = ctx;
	sb->drv = drv;
	sb->ops = ops;
	pthread_mutex_init(&sb->mutex, NULL);
	lb_ctx_driver_env(ctx, drv, &sb->env);
	if (ops->priv_size && !(sb->priv = calloc(1, ops->priv_size))) {
		pthread_mutex_destroy(&sb->mutex);
		free(sb);
		return LB_E_NOMEM;
	}
	lb_ctx_clear_error(ctx);
	int rc = ops->open(sb->priv, &sb->env, options, handle);
	if (rc) {
		if (!lb_ctx_last_error(ctx)[0] && lb_options_error(options)[0])
			lb_ctx_error(ctx, rc, "%s", lb_options_error(options));
		else if (!lb_ctx_last_error(ctx)[0])
			lb_ctx_error(ctx, rc, "sideband driver '%s': open failed: %s", driver, lb_strerror(rc));
		free(sb->priv);
		pthread_mutex_destroy(&sb->mutex);
		free(sb);
		return rc;
	}
	*out = sb;
	return LB_OK;
}

LB_API void lb_sideband_close(struct lb_sideband *sb)
{
	if (!sb)
		return;
	sb->ops->close(sb->priv);
	lb_flag_consumer_free(sb->flags);
	pthread_mutex_destroy(&sb->mutex);
	free(sb->priv);
	free(sb);
}

LB_API const char *lb_sideband_driver_name(const struct lb_sideband *sb)
{
	return sb ? sb->drv->name : "";
}

LB_API int lb_sideband_set(struct lb_sideband *sb, enum lb_sideband_line line, bool asserted)
{
	if (!sb || (unsigned)line >= LB_SB_COUNT)
		return LB_E_INVAL;
	if (line == LB_SB_MODPRSL || line == LB_SB_INTL)
		return lb_ctx_error(sb->ctx, LB_E_INVAL, "sideband: %s is an output of the module",
				    line_names[line]);
	if (!sb->ops->set)
		return LB_E_NOTSUP;
	pthread_mutex_lock(&sb->mutex);
	int rc = sb->ops->set(sb->priv, line, asserted ? 1 : 0);
	pthread_mutex_unlock(&sb->mutex);
	/* A reset (or its release) leaves nothing cached valid. */
	if (rc == LB_OK && line == LB_SB_RESETL && sb->module)
		lb_module_invalidate(sb->module);
	return rc;
}

LB_API int lb_sideband_get(struct lb_sideband *sb, enum lb_sideband_line line, bool *asserted)
{
	if (!sb || !asserted || (unsigned)line >= LB_SB_COUNT)
		return LB_E_INVAL;
	if (!sb->ops->get)
		return LB_E_NOTSUP;
	int v = 0;
	pthread_mutex_lock(&sb->mutex);
	int rc = sb->ops->get(sb->priv, line, &v);
	pthread_mutex_unlock(&sb->mutex);
	if (rc == LB_OK)
		*asserted = v != 0;
	return rc;
}

LB_API int lb_sideband_present(struct lb_sideband *sb, bool *present)
{
	return lb_sideband_get(sb, LB_SB_MODPRSL, present);
}

LB_API int lb_sideband_event_fd(const struct lb_sideband *sb)
{
	if (!sb || !sb->ops->event_fd)
		return -1;
	return sb->ops->event_fd(sb->priv);
}

LB_API void lb_sideband_set_module(struct lb_sideband *sb, struct lb_module *m)
{
	if (!sb)
		return;
	pthread_mutex_lock(&sb->mutex);
	sb->module = m;
	/* From now on, this module's flags are ours to see, whoever reads them first. */
	lb_flag_consumer_free(sb->flags);
	sb->flags = NULL;
	if (m && lb_flag_consumer_create(m, &sb->flags) != LB_OK)
		sb->flags = NULL; /* out of memory: made again at the first interrupt */
	pthread_mutex_unlock(&sb->mutex);
}

/*
 * Our consumer of m's flags, made when there is none or it is another module's.
 * LB_E_NOMEM.
 */
static int event_consumer(struct lb_sideband *sb, struct lb_module *m, struct lb_flag_consumer **out)
{
	pthread_mutex_lock(&sb->mutex);
	int rc = LB_OK;
	if (!lb_flags_consumer_of(m, sb->flags)) {
		lb_flag_consumer_free(sb->flags);
		sb->flags = NULL;
		rc = lb_flag_consumer_create(m, &sb->flags);
		if (rc)
			sb->flags = NULL;
	}
	*out = sb->flags;
	pthread_mutex_unlock(&sb->mutex);
	return rc;
}

/* The module an event concerns: the bound one, or the platform port's (opened on demand). */
static struct lb_module *event_module(struct lb_sideband *sb, bool probe, int *status)
/* probe: let the platform open and probe the port's module (a 1-byte read). */
{
	if (sb->module) {
		*status = LB_OK;
		return sb->module;
	}
	if (!sb->platform) {
		*status = LB_E_NOTSUP;
		return NULL;
	}
	struct lb_module *m = NULL;
	*status = probe ? lb_platform_module(sb->platform, sb->port, &m) : LB_E_NOTSUP;
	return *status == LB_OK ? m : NULL;
}

/* The next event of ours into out (whole, this library's layout); LB_E_NOTFOUND: none. */
static int next_event(struct lb_sideband *sb, struct lb_sideband_event *out)
{
	for (;;) {
		enum lb_sideband_line line;
		int asserted = 0;
		pthread_mutex_lock(&sb->mutex);
		int rc = sb->ops->read_event(sb->priv, &line, &asserted);
		pthread_mutex_unlock(&sb->mutex);
		if (rc)
			return rc; /* LB_E_NOTFOUND: nothing pending */
		memset(out, 0, sizeof(*out));
		out->port = sb->port;
		out->time_ns = lb_ctx_now_ns(sb->ctx);
		out->flags_status = LB_E_NOTSUP;
		if (line == LB_SB_MODPRSL) {
			out->type = asserted ? LB_SB_EVENT_INSERTED : LB_SB_EVENT_REMOVED;
			/* Another module, or none: nothing cached holds (a platform's probe drops it too). */
			int st;
			struct lb_module *m = event_module(sb, true, &st);
			if (m)
				lb_module_invalidate(m);
			return LB_OK;
		}
		if (line == LB_SB_INTL) {
			if (!asserted) {
				out->type = LB_SB_EVENT_INTERRUPT_CLEARED;
				return LB_OK;
			}
			out->type = LB_SB_EVENT_INTERRUPT;
			/*
			 * The latched flags, read once: this read clears them, which (with nothing
			 * still flagged) releases IntL, and the driver reports that edge as well.
			 */
			struct lb_module *m = event_module(sb, true, &out->flags_status);
			struct lb_flag_consumer *c = NULL;
			if (m && (out->flags_status = event_consumer(sb, m, &c)) == LB_OK)
				out->flags_status = lb_cmis_read_flags(m, c, out);
			return LB_OK;
		}
		/* An edge on another line is no event of ours: drop it and look further. */
	}
}

LB_API int lb_sideband_read_event(struct lb_sideband *sb, struct lb_sideband_event *out)
{
	/* The size first: an event taken from the driver is never lost to a bad struct. */
	if (!sb || lb_sized_check(out, LB_SIDEBAND_EVENT_SIZE_V1))
		return LB_E_INVAL;
	if (!sb->ops->read_event)
		return LB_E_NOTSUP;
	struct lb_sideband_event ev;
	int rc = next_event(sb, &ev);
	if (rc == LB_OK)
		LB_SIZED_FILL(out, ev);
	return rc;
}

/* ---- platform side ---- */

int lb_platform_sideband_open(struct lb_platform *p, struct lb_ctx *ctx, const struct lb_options *js,
			      struct lb_bus *bus, const char *bus_name, const struct lb_port_info *info,
			      struct lb_sideband **out)
{
	char driver[64];
	int rc;
	if ((rc = lb_options_get_object(js, NULL, &js)) || (rc = lb_options_require(js, "driver")) ||
	    (rc = lb_options_get_string_buf(js, "driver", "", driver, sizeof(driver))))
		return lb_ctx_error(ctx, rc, "%s", lb_options_error(js));
	/*
	 * The driver's options are the object itself, parsed once with the platform: without
	 * "driver", with the port and its bus, so that its logs can say which cage.
	 */
	json_t *node = lb_options_node(js);
	json_object_del(node, "driver");
	if (json_object_set_new(node, "port", json_integer((json_int_t)info->port)) ||
	    json_object_set_new(node, "bus", json_string(bus_name)))
		return LB_E_NOMEM;
	struct lb_sideband_port where = {
		.port = info->port, .bus_name = bus_name, .bus_driver = lb_bus_driver_name(bus),
		.addr = info->addr, .bus = bus,
	};
	if (!where.addr.addr)
		where.addr.addr = 0x50;
	lb_ctx_clear_error(ctx);
	rc = lb_sideband_open_options(ctx, driver, js, &where, out);
	if (rc) {
		/* The driver's detail as it is when it names a field of the object, else naming it. */
		const char *why = lb_ctx_last_error(ctx);
		if (why[0] && lb_options_error(js)[0] && strstr(why, lb_options_error(js)))
			return rc;
		return lb_ctx_error(ctx, rc, "%s: %s: %s", lb_options_origin(js), lb_options_path(js),
				    why[0] ? why : lb_strerror(rc));
	}
	(*out)->platform = p;
	(*out)->port = info->port;
	return LB_OK;
}
