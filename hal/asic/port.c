/* SPDX-License-Identifier: MIT */
/*
 * ASIC ports: create, remove, change (validated whole first: port_rules.c), read back, state
 * and counters, through the driver's ops under the switch's lock.
 */
#include <string.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/voq_internal.h"
#include "hal/core/ctx_internal.h"

/* A driver's status with a detail: the driver's own, or one naming the op. */
static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what, uint32_t port)
{
	lb_asic_view_doubt(sw, rc);
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "asic port %u: %s: asic driver '%s': %s", port, what,
			     sw->drv->name, lb_strerror(rc));
	return rc;
}

static int find_port(struct lb_switch *sw, uint32_t port)
{
	int rc = lb_asic_fresh(sw, false);
	if (rc)
		return rc;
	if (port >= sw->caps.max_ports || !sw->exists[port])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: no such port", port);
	return LB_OK;
}

LB_API int lb_asic_port_create(struct lb_switch *sw, const struct lb_asic_port_config *cfg,
			       uint32_t *port)
{
	if (!sw || !port)
		return LB_E_INVAL;
	struct lb_asic_port_config want;
	if (LB_SIZED_READ(want, cfg, LB_ASIC_PORT_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port: config NULL or its size below %zu",
				    (size_t)LB_ASIC_PORT_CONFIG_SIZE_V1);
	if (!want.mtu)
		want.mtu = LB_ASIC_PORT_DEFAULT_MTU;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, false);
	uint32_t p = 0;
	while (p < sw->caps.max_ports && sw->exists[p])
		p++;
	if (rc == LB_OK && p == sw->caps.max_ports)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port: all %u port numbers are taken",
				  sw->caps.max_ports);
	else if (rc == LB_OK && (rc = lb_asic_port_check(sw, p, &want)) == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		rc = sw->ops->port_apply(sw->priv, p, &want, 1);
		if (rc)
			driver_failed(sw, seq, rc, "create", p);
		else {
			sw->ports[p] = want;
			sw->exists[p] = true;
			*port = p;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_port_remove(struct lb_switch *sw, uint32_t port)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (rc == LB_OK)
		rc = lb_voq_port_in_use(sw, port);
	uint32_t hp;
	if (rc == LB_OK && lb_asic_hyperport_holds(sw, port, &hp))
		rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: a member of hyperport %u: remove the "
				  "hyperport first", port, hp);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->port_remove(sw->priv, port)))
			driver_failed(sw, seq, rc, "remove", port);
		else {
			sw->exists[port] = false;
			lb_asic_buffers_port_removed(sw, port);
			lb_asic_macsec_port_removed(sw, port);
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* The port's configuration with the members set names taken from cfg. */
static void merge(struct lb_asic_port_config *to, const struct lb_asic_port_config *cfg, uint32_t set)
{
	if (set & LB_ASIC_PORT_SET_SPEED)
		to->speed_mbps = cfg->speed_mbps;
	if (set & LB_ASIC_PORT_SET_FEC)
		to->fec = cfg->fec;
	if (set & LB_ASIC_PORT_SET_ADMIN)
		to->admin_up = cfg->admin_up;
	if (set & LB_ASIC_PORT_SET_MTU)
		to->mtu = cfg->mtu;
	if (set & LB_ASIC_PORT_SET_LOOPBACK)
		to->loopback = cfg->loopback;
	if (set & LB_ASIC_PORT_SET_PFC)
		to->pfc_mask = cfg->pfc_mask;
	if (set & LB_ASIC_PORT_SET_PAUSE)
		to->pause = cfg->pause;
}

LB_API int lb_asic_port_set(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg,
			    uint32_t set)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_asic_port_config in;
	if (LB_SIZED_READ(in, cfg, LB_ASIC_PORT_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: config NULL or its size below %zu",
				    port, (size_t)LB_ASIC_PORT_CONFIG_SIZE_V1);
	if (!set || (set & ~LB_ASIC_PORT_SET_ALL))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: set 0x%x: name what changes "
				    "(LB_ASIC_PORT_SET_*)", port, set);
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (rc == LB_OK) {
		struct lb_asic_port_config want = sw->ports[port];
		merge(&want, &in, set);
		uint32_t hp;
		if (want.speed_mbps != sw->ports[port].speed_mbps && lb_asic_hyperport_holds(sw, port, &hp))
			rc = lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: a member of hyperport %u keeps its "
					  "speed: remove the hyperport first", port, hp);
		else if ((rc = lb_asic_port_check(sw, port, &want)) == LB_OK) {
			uint64_t seq = lb_ctx_error_seq();
			if ((rc = sw->ops->port_apply(sw->priv, port, &want, 0)))
				driver_failed(sw, seq, rc, "change", port);
			else
				sw->ports[port] = want;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_port_get(struct lb_switch *sw, uint32_t port, struct lb_asic_port_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_ASIC_PORT_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc == LB_OK)
		rc = find_port(sw, port);
	struct lb_asic_port_config full = LB_ASIC_PORT_CONFIG_INIT;
	if (rc == LB_OK)
		full = sw->ports[port];
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_port_get_status(struct lb_switch *sw, uint32_t port, struct lb_asic_port_status *st)
{
	if (!sw || lb_sized_check(st, LB_ASIC_PORT_STATUS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_asic_port_status full = LB_ASIC_PORT_STATUS_INIT;
	int rc = find_port(sw, port);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->port_status(sw->priv, port, &full)))
			driver_failed(sw, seq, rc, "status", port);
		full.size = sizeof(full);
		if (rc)
			memset((char *)&full + sizeof(full.size), 0, sizeof(full) - sizeof(full.size));
	}
	LB_SIZED_FILL(st, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_port_list(struct lb_switch *sw, uint32_t *ports, size_t max, size_t *count)
{
	if (!sw || !count || (max && !ports))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, true);
	if (rc) {
		pthread_mutex_unlock(&sw->lock);
		return rc;
	}
	size_t n = 0;
	for (uint32_t p = 0; p < sw->caps.max_ports; p++)
		if (sw->exists[p]) {
			if (n < max)
				ports[n] = p;
			n++;
		}
	*count = n;
	pthread_mutex_unlock(&sw->lock);
	return LB_OK;
}

static int counters(struct lb_switch *sw, uint32_t port, struct lb_asic_port_counters *c, int clear)
{
	if (!sw || lb_sized_check(c, LB_ASIC_PORT_COUNTERS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_asic_port_counters full = LB_ASIC_PORT_COUNTERS_INIT;
	int rc = find_port(sw, port);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->port_counters(sw->priv, port, &full, clear)))
			driver_failed(sw, seq, rc, "counters", port);
		full.size = sizeof(full);
		if (rc) /* never a half-read set of counters */
			memset((char *)&full + sizeof(full.size), 0, sizeof(full) - sizeof(full.size));
	}
	LB_SIZED_FILL(c, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_asic_port_counters_read(struct lb_switch *sw, uint32_t port,
				      struct lb_asic_port_counters *c)
{
	return counters(sw, port, c, 0);
}

LB_API int lb_asic_port_counters_read_clear(struct lb_switch *sw, uint32_t port,
					    struct lb_asic_port_counters *c)
{
	return counters(sw, port, c, 1);
}

LB_API int lb_asic_port_counters_clear(struct lb_switch *sw, uint32_t port)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_port(sw, port);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->port_counters_clear(sw->priv, port)))
			driver_failed(sw, seq, rc, "clear counters", port);
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}
