/* SPDX-License-Identifier: MIT */
/*
 * HyperPorts (lightbridge/hyperport.h): four 800G ASIC ports bonded into one, validated whole
 * by the core (members exist, run at 800G, are different and free), then made by the driver's
 * ops under the switch's lock; their state and the sum of the members' counters.
 */
#include <string.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"

static bool has_ops(const struct lb_switch *sw)
{
	return sw->ops->hyperport_create && sw->ops->hyperport_remove && sw->ops->hyperport_get &&
	       sw->ops->hyperport_status;
}

int lb_asic_hyperports_load(struct lb_switch *sw)
{
	if (!has_ops(sw))
		return LB_OK;
	for (uint32_t h = 0; h < LB_HYPERPORT_MAX; h++) {
		struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
		int rc = sw->ops->hyperport_get(sw->priv, h, &c);
		if (rc == LB_E_NOTFOUND)
			continue;
		if (rc)
			return rc;
		c.size = sizeof(c);
		sw->hps[h] = c;
		sw->hp_exists[h] = true;
	}
	return LB_OK;
}

bool lb_asic_hyperport_holds(const struct lb_switch *sw, uint32_t port, uint32_t *hp)
{
	for (uint32_t h = 0; h < LB_HYPERPORT_MAX; h++)
		for (uint32_t i = 0; sw->hp_exists[h] && i < LB_HYPERPORT_MEMBERS; i++)
			if (sw->hps[h].members[i] == port) {
				if (hp)
					*hp = h;
				return true;
			}
	return false;
}

static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what, uint32_t hp)
{
	lb_asic_view_doubt(sw, rc);
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "hyperport %u: %s: asic driver '%s': %s", hp, what, sw->drv->name,
			     lb_strerror(rc));
	return rc;
}

static int find_hp(struct lb_switch *sw, uint32_t hp)
{
	int rc = lb_asic_fresh(sw, false);
	if (rc)
		return rc;
	if (hp >= LB_HYPERPORT_MAX || !sw->hp_exists[hp])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "hyperport %u: no such hyperport", hp);
	return LB_OK;
}

/* The rules of lightbridge/hyperport.h, for HyperPort number hp about to be made. */
static int check(struct lb_switch *sw, uint32_t hp, const struct lb_hyperport_config *c)
{
	if ((unsigned)c->hash > LB_HYPERPORT_HASH_SPRAY)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "hyperport %u: hash %d: unknown (flow or spray)", hp,
				    (int)c->hash);
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++) {
		uint32_t p = c->members[i], other;
		for (uint32_t j = 0; j < i; j++)
			if (c->members[j] == p)
				return lb_ctx_error(sw->ctx, LB_E_INVAL, "hyperport %u: asic port %u named twice: "
						    "four different members", hp, p);
		if (p >= sw->caps.max_ports || !sw->exists[p])
			return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "hyperport %u: member %u: asic port %u: no "
					    "such port", hp, i, p);
		if (sw->ports[p].speed_mbps != LB_HYPERPORT_MEMBER_MBPS) {
			char have[16];
			lb_asic_speed_text(sw->ports[p].speed_mbps, have, sizeof(have));
			return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "hyperport %u: member %u: asic port %u runs at "
					    "%s: every member runs at 800G", hp, i, p, have);
		}
		if (lb_asic_hyperport_holds(sw, p, &other))
			return lb_ctx_error(sw->ctx, LB_E_EXISTS, "hyperport %u: member %u: asic port %u belongs "
					    "to hyperport %u: a port belongs to one at most", hp, i, p, other);
	}
	return LB_OK;
}

static int no_hyperports(struct lb_switch *sw)
{
	return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic driver '%s' has no hyperports", sw->drv->name);
}

LB_API int lb_hyperport_create(struct lb_switch *sw, const struct lb_hyperport_config *cfg, uint32_t *hp)
{
	if (!sw || !hp)
		return LB_E_INVAL;
	struct lb_hyperport_config want;
	if (LB_SIZED_READ(want, cfg, LB_HYPERPORT_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "hyperport: config NULL or its size below %zu",
				    (size_t)LB_HYPERPORT_CONFIG_SIZE_V1);
	if (!has_ops(sw))
		return no_hyperports(sw);
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, false);
	uint32_t h = 0;
	while (h < LB_HYPERPORT_MAX && sw->hp_exists[h])
		h++;
	if (rc == LB_OK && h == LB_HYPERPORT_MAX)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "hyperport: all %u numbers are taken", LB_HYPERPORT_MAX);
	else if (rc == LB_OK && (rc = check(sw, h, &want)) == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->hyperport_create(sw->priv, h, &want)))
			driver_failed(sw, seq, rc, "create", h);
		else {
			sw->hps[h] = want;
			sw->hp_exists[h] = true;
			*hp = h;
		}
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_hyperport_remove(struct lb_switch *sw, uint32_t hp)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = find_hp(sw, hp);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->hyperport_remove(sw->priv, hp)))
			driver_failed(sw, seq, rc, "remove", hp);
		else
			sw->hp_exists[hp] = false;
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_hyperport_get(struct lb_switch *sw, uint32_t hp, struct lb_hyperport_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_HYPERPORT_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc == LB_OK)
		rc = find_hp(sw, hp);
	struct lb_hyperport_config full = LB_HYPERPORT_CONFIG_INIT;
	if (rc == LB_OK)
		full = sw->hps[hp];
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_hyperport_list(struct lb_switch *sw, uint32_t *hps, size_t max, size_t *count)
{
	if (!sw || !count || (max && !hps))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc) {
		pthread_mutex_unlock(&sw->lock);
		return rc;
	}
	size_t n = 0;
	for (uint32_t h = 0; h < LB_HYPERPORT_MAX; h++)
		if (sw->hp_exists[h]) {
			if (n < max)
				hps[n] = h;
			n++;
		}
	*count = n;
	pthread_mutex_unlock(&sw->lock);
	return LB_OK;
}

LB_API int lb_hyperport_get_status(struct lb_switch *sw, uint32_t hp, struct lb_hyperport_status *st)
{
	if (!sw || lb_sized_check(st, LB_HYPERPORT_STATUS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_hyperport_status full = LB_HYPERPORT_STATUS_INIT;
	int rc = find_hp(sw, hp);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->hyperport_status(sw->priv, hp, &full)))
			driver_failed(sw, seq, rc, "status", hp);
		full.size = sizeof(full);
		if (rc) /* never a half-read state */
			memset((char *)&full + sizeof(full.size), 0, sizeof(full) - sizeof(full.size));
	}
	LB_SIZED_FILL(st, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

/* Every counter of c added to sum (both this library's whole struct). */
static void add_counters(struct lb_asic_port_counters *sum, const struct lb_asic_port_counters *c)
{
	/* the struct is a size_t followed by uint64_t counters only */
	const size_t first = offsetof(struct lb_asic_port_counters, in_octets);
	size_t n = (sizeof(*c) - first) / sizeof(uint64_t);
	uint64_t *to = (uint64_t *)((char *)sum + first);
	const uint64_t *from = (const uint64_t *)((const char *)c + first);
	for (size_t i = 0; i < n; i++)
		to[i] += from[i];
}

LB_API int lb_hyperport_counters_read(struct lb_switch *sw, uint32_t hp,
				      struct lb_asic_port_counters members[LB_HYPERPORT_MEMBERS],
				      struct lb_asic_port_counters *total)
{
	if (!sw || (!members && !total))
		return LB_E_INVAL;
	for (uint32_t i = 0; members && i < LB_HYPERPORT_MEMBERS; i++)
		if (lb_sized_check(&members[i], LB_ASIC_PORT_COUNTERS_SIZE_V1))
			return LB_E_INVAL;
	if (total && lb_sized_check(total, LB_ASIC_PORT_COUNTERS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_asic_port_counters each[LB_HYPERPORT_MEMBERS], sum = LB_ASIC_PORT_COUNTERS_INIT;
	memset(each, 0, sizeof(each));
	int rc = find_hp(sw, hp);
	for (uint32_t i = 0; rc == LB_OK && i < LB_HYPERPORT_MEMBERS; i++) {
		uint32_t port = sw->hps[hp].members[i];
		each[i].size = sizeof(each[i]);
		uint64_t seq = lb_ctx_error_seq();
		if ((rc = sw->ops->port_counters(sw->priv, port, &each[i], 0))) {
			lb_asic_view_doubt(sw, rc);
			if (lb_ctx_error_seq() == seq)
				lb_ctx_error(sw->ctx, rc, "hyperport %u: member %u (asic port %u): counters: asic "
					     "driver '%s': %s", hp, i, port, sw->drv->name, lb_strerror(rc));
		} else {
			each[i].size = sizeof(each[i]);
			add_counters(&sum, &each[i]);
		}
	}
	if (rc) { /* never a half-read set */
		memset(each, 0, sizeof(each));
		sum = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	}
	for (uint32_t i = 0; members && i < LB_HYPERPORT_MEMBERS; i++) {
		each[i].size = sizeof(each[i]);
		LB_SIZED_FILL(&members[i], each[i]);
	}
	if (total)
		LB_SIZED_FILL(total, sum);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_hyperport_of_port(struct lb_switch *sw, uint32_t port, uint32_t *hp)
{
	if (!sw || !hp)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = lb_asic_fresh(sw, true); /* answered from the view: the chip still holds it? */
	if (rc == LB_OK && !lb_asic_hyperport_holds(sw, port, hp))
		rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "asic port %u: a member of no hyperport", port);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API const char *lb_hyperport_hash_name(enum lb_hyperport_hash hash)
{
	switch (hash) {
	case LB_HYPERPORT_HASH_FLOW: return "flow";
	case LB_HYPERPORT_HASH_SPRAY: return "spray";
	}
	return "?";
}

LB_API int lb_hyperport_hash_parse(const char *name, enum lb_hyperport_hash *hash)
{
	if (!name || !hash)
		return LB_E_INVAL;
	if (strcmp(name, "flow") == 0)
		*hash = LB_HYPERPORT_HASH_FLOW;
	else if (strcmp(name, "spray") == 0)
		*hash = LB_HYPERPORT_HASH_SPRAY;
	else
		return LB_E_NOTFOUND;
	return LB_OK;
}

LB_API const char *lb_hyperport_reason_name(enum lb_hyperport_reason reason)
{
	switch (reason) {
	case LB_HYPERPORT_FULL: return "full";
	case LB_HYPERPORT_DEGRADED: return "degraded";
	case LB_HYPERPORT_ALL_DOWN: return "all-down";
	}
	return "?";
}
