/* SPDX-License-Identifier: MIT */
/* The switch: opened through an ASIC driver's ops, its capabilities and its port table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/voq_internal.h"
#include "hal/core/ctx_internal.h"
#include "util/options_internal.h"

/* Capabilities a core can work with: at least one port, lane and speed, arrays in bounds. */
static int check_caps(struct lb_switch *sw)
{
	const struct lb_switch_caps *c = &sw->caps;
	if (!c->max_ports || !c->lanes || !c->lanes_per_group || c->lanes_per_group > 64 ||
	    !c->n_speeds || c->n_speeds > LB_ASIC_MAX_SPEEDS || !c->n_lane_speeds ||
	    c->pgs_per_port > 64 || c->queues_per_port > 64 ||
	    c->n_lane_speeds > LB_ASIC_MAX_SPEEDS || c->max_ports > 4096 || c->lanes > 65536)
		return lb_ctx_error(sw->ctx, LB_E_INVAL,
				    "asic driver '%s': capabilities out of bounds (ports %u, lanes %u, "
				    "group %u, speeds %u, lane speeds %u)",
				    sw->drv->name, c->max_ports, c->lanes, c->lanes_per_group, c->n_speeds,
				    c->n_lane_speeds);
	return LB_OK;
}

/* Learn the ports the chip holds already (another process may have made them). */
static int load_ports(struct lb_switch *sw)
{
	uint32_t n = sw->caps.max_ports;
	sw->ports = calloc(n, sizeof(*sw->ports));
	sw->exists = calloc(n, sizeof(*sw->exists));
	if (!sw->ports || !sw->exists)
		return LB_E_NOMEM;
	for (uint32_t p = 0; p < n; p++) {
		struct lb_asic_port_config cfg = LB_ASIC_PORT_CONFIG_INIT;
		int rc = sw->ops->port_get(sw->priv, p, &cfg);
		if (rc == LB_E_NOTFOUND)
			continue;
		if (rc)
			return rc;
		cfg.size = sizeof(cfg);
		sw->ports[p] = cfg;
		sw->exists[p] = true;
	}
	return LB_OK;
}

/* Learn every port, pool, profile, binding, HyperPort and system port from the chip again. */
static int relearn(struct lb_switch *sw)
{
	memset(sw->exists, 0, sw->caps.max_ports * sizeof(*sw->exists));
	memset(sw->pool_exists, 0, sizeof(sw->pool_exists));
	memset(sw->profile_exists, 0, sizeof(sw->profile_exists));
	memset(sw->hp_exists, 0, sizeof(sw->hp_exists));
	free(sw->macsec); /* learnt again at each port's next use */
	sw->macsec = NULL;
	free(sw->pg_profile);
	free(sw->queue_profile);
	sw->pg_profile = sw->queue_profile = NULL;
	int rc = LB_OK;
	for (uint32_t p = 0; p < sw->caps.max_ports && rc == LB_OK; p++) {
		struct lb_asic_port_config cfg = LB_ASIC_PORT_CONFIG_INIT;
		rc = sw->ops->port_get(sw->priv, p, &cfg);
		if (rc == LB_OK) {
			cfg.size = sizeof(cfg);
			sw->ports[p] = cfg;
			sw->exists[p] = true;
		} else if (rc == LB_E_NOTFOUND)
			rc = LB_OK;
	}
	if (rc == LB_OK)
		rc = lb_asic_buffers_load(sw);
	if (rc == LB_OK)
		rc = lb_asic_hyperports_load(sw);
	lb_voq_free(sw->voq);
	sw->voq = NULL;
	if (rc == LB_OK)
		rc = lb_asic_voq_load(sw);
	return rc;
}

void lb_asic_view_doubt(struct lb_switch *sw, int rc)
{
	if (rc != LB_E_NOTFOUND && rc != LB_E_EXISTS && rc != LB_E_RANGE && rc != LB_E_NOTSUP &&
	    rc != LB_E_INVAL && rc != LB_E_BUSY && rc != LB_E_REJECTED)
		sw->stale = true; /* not a refusal of the chip's: it may hold anything */
	if (rc == LB_E_CHANGED)
		sw->reset_told = true;
}

int lb_asic_fresh(struct lb_switch *sw, bool ask)
{
	int rc = LB_OK;
	if ((ask || sw->stale) && sw->ops->chip_check && (rc = sw->ops->chip_check(sw->priv))) {
		sw->stale = true;
		if (rc != LB_E_CHANGED)
			return rc;
	}
	if (!sw->stale)
		return LB_OK;
	if (sw->reset_told) /* the op that found the reset said so already */
		rc = LB_OK;
	sw->reset_told = false;
	int learnt = relearn(sw);
	if (learnt) {
		if (!sw->pg_profile || !sw->queue_profile) /* never a view with holes in it */
			sw->has_buffers = false;
		return lb_ctx_error(sw->ctx, learnt, "asic: the switch's view of the chip could not be "
				    "learnt again: %s", lb_strerror(learnt));
	}
	sw->stale = false;
	if (rc == LB_E_CHANGED)
		return lb_ctx_error(sw->ctx, rc, "asic: the chip was reset: its configuration is back to "
				    "power-on (the switch's view learnt again)");
	return LB_OK;
}

static void free_switch(struct lb_switch *sw)
{
	free(sw->ports);
	free(sw->exists);
	free(sw->pg_profile);
	free(sw->queue_profile);
	lb_voq_free(sw->voq);
	free(sw->macsec);
	free(sw->priv);
	pthread_mutex_destroy(&sw->lock);
	free(sw);
}

LB_API int lb_switch_open(struct lb_ctx *ctx, const char *driver, const char *options, void *handle,
			  struct lb_switch **out)
{
	if (!ctx || !driver || !out)
		return LB_E_INVAL;
	*out = NULL;
	const struct lb_driver *drv;
	if (lb_ctx_find_driver(ctx, LB_DRIVER_ASIC, driver, &drv) != LB_OK)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "asic driver '%s' is not registered%s", driver,
				    strcmp(driver, "emulated") == 0
					    ? " (the emulator's: link liblightbridge-emu and call "
					      "lb_emu_register_drivers)"
					    : "");
	char origin[96], err[LB_ERROR_MAX];
	snprintf(origin, sizeof(origin), "%s options", driver);
	struct lb_options *doc;
	int rc = lb_options_parse_object(options, origin, &doc, err, sizeof(err));
	if (rc)
		return lb_ctx_error(ctx, rc, "%s", err);
	const struct lb_asic_ops *ops = lb_ctx_asic_ops(ctx, drv);
	if (!ops->open || !ops->close || !ops->get_caps || !ops->port_apply || !ops->port_remove ||
	    !ops->port_get || !ops->port_status || !ops->port_counters || !ops->port_counters_clear) {
		lb_options_free(doc);
		return lb_ctx_error(ctx, LB_E_NOTSUP, "asic driver '%s': an op every ASIC driver has is "
				    "missing (lightbridge/driver.h, struct lb_asic_ops)", driver);
	}
	struct lb_switch *sw = calloc(1, sizeof(*sw));
	if (!sw) {
		lb_options_free(doc);
		return LB_E_NOMEM;
	}
	sw->ctx = ctx;
	sw->drv = drv;
	sw->ops = ops;
	pthread_mutex_init(&sw->lock, NULL);
	lb_ctx_driver_env(ctx, drv, &sw->env);
	if (sw->ops->priv_size && !(sw->priv = calloc(1, sw->ops->priv_size))) {
		lb_options_free(doc);
		free_switch(sw);
		return LB_E_NOMEM;
	}
	lb_ctx_clear_error(ctx);
	rc = sw->ops->open(sw->priv, &sw->env, doc, handle);
	if (rc && !lb_ctx_last_error(ctx)[0])
		lb_ctx_error(ctx, rc, "%s",
			     lb_options_error(doc)[0] ? lb_options_error(doc) : "asic driver: open failed");
	lb_options_free(doc);
	if (rc) {
		free_switch(sw);
		return rc;
	}
	sw->caps.size = sizeof(sw->caps);
	rc = sw->ops->get_caps(sw->priv, &sw->caps);
	sw->caps.size = sizeof(sw->caps);
	if (rc == LB_OK)
		rc = check_caps(sw);
	if (rc == LB_OK)
		rc = load_ports(sw);
	if (rc == LB_OK)
		rc = lb_asic_buffers_load(sw);
	if (rc == LB_OK)
		rc = lb_asic_hyperports_load(sw);
	if (rc == LB_OK)
		rc = lb_asic_voq_load(sw);
	if (rc) {
		sw->ops->close(sw->priv);
		free_switch(sw);
		return rc;
	}
	*out = sw;
	return LB_OK;
}

LB_API void lb_switch_close(struct lb_switch *sw)
{
	if (!sw)
		return;
	sw->ops->close(sw->priv);
	free_switch(sw);
}

LB_API int lb_switch_get_caps(struct lb_switch *sw, struct lb_switch_caps *caps)
{
	if (!sw || lb_sized_check(caps, LB_SWITCH_CAPS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	LB_SIZED_FILL(caps, sw->caps);
	pthread_mutex_unlock(&sw->lock);
	return LB_OK;
}

LB_API void *lb_switch_driver_priv(struct lb_switch *sw, const struct lb_driver *owner)
{
	return sw && owner && lb_ctx_driver_is(sw->ctx, sw->drv, owner) ? sw->priv : NULL;
}
