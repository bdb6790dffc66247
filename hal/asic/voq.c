/* SPDX-License-Identifier: MIT */
/*
 * VOQ system ports (lightbridge/voq.h): the system's port table a VOQ switch keeps, with
 * this switch's own ports tied to its ASIC ports. Validated here, then programmed into the chip
 * through the driver's VOQ ops (each system port in a slot of the chip's table, the lowest
 * free one), and read back from the chip at open. Under the switch's lock.
 */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/voq.h>
#include "hal/abi/sized.h"
#include "hal/asic/asic_internal.h"
#include "hal/asic/voq_internal.h"
#include "hal/core/ctx_internal.h"

struct sysport {
	struct lb_system_port_config cfg; /* asic_port: LB_VOQ_NO_ASIC_PORT for a remote one */
	uint32_t slot;                    /* in the chip's table */
};

struct lb_voq {
	struct lb_voq_switch_config self;
	struct sysport *v; /* ascending ids */
	size_t n, cap;
	bool *used;     /* slots of the chip's table in use */
	uint32_t slots; /* how many the chip has */
};

void lb_voq_free(struct lb_voq *q)
{
	if (q) {
		free(q->v);
		free(q->used);
		free(q);
	}
}

static bool has_ops(const struct lb_switch *sw)
{
	const struct lb_asic_ops *o = sw->ops;
	return o->voq_switch_apply && o->voq_switch_get && o->system_port_slots && o->system_port_create &&
	       o->system_port_remove && o->system_port_get;
}

/* The driver's refusal, with a detail when it left none. */
static int driver_failed(struct lb_switch *sw, uint64_t seq, int rc, const char *what, uint32_t id)
{
	lb_asic_view_doubt(sw, rc); /* not a refusal: the chip's table may hold anything */
	if (lb_ctx_error_seq() == seq)
		lb_ctx_error(sw->ctx, rc, "system port %u: %s: asic driver '%s': %s", id, what, sw->drv->name,
			     lb_strerror(rc));
	return rc;
}

/* A new table of the chip's slot count; *used (may be NULL): how many hold a system port. */
static int voq_new(struct lb_switch *sw, struct lb_voq **out, size_t *used)
{
	size_t n = 0;
	uint32_t slots = 0;
	int rc = sw->ops->system_port_slots(sw->priv, NULL, 0, &n, &slots);
	if (rc)
		return rc;
	if (used)
		*used = n;
	if (!slots || slots > (1u << 20))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic driver '%s': %u system-port slots", sw->drv->name,
				    slots);
	struct lb_voq *q = calloc(1, sizeof(*q));
	if (!q || !(q->used = calloc(slots, sizeof(*q->used)))) {
		lb_voq_free(q);
		return LB_E_NOMEM;
	}
	q->slots = slots;
	*out = q;
	return LB_OK;
}

static int voq_switch(struct lb_switch *sw, bool need_self)
{
	if (sw->caps.type != LB_SWITCH_TYPE_VOQ)
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "system ports: switch %s is not a VOQ switch",
				    sw->caps.model);
	if (!has_ops(sw))
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "system ports: asic driver '%s' has no VOQ ops",
				    sw->drv->name);
	/* the table is answered from the view: does the chip still hold it (a reset, a fault)? */
	int rc = lb_asic_fresh(sw, true);
	if (rc)
		return rc;
	if (need_self && !sw->voq)
		return lb_ctx_error(sw->ctx, LB_E_STATE, "system ports: this switch's id and cores are not "
				    "set yet (lb_voq_switch_set)");
	return LB_OK;
}

static struct sysport *find(struct lb_voq *q, uint32_t id)
{
	for (size_t i = 0; q && i < q->n; i++)
		if (q->v[i].cfg.system_port_id == id)
			return &q->v[i];
	return NULL;
}

/* The local system port of ASIC port port, or NULL. */
static struct sysport *local_of(struct lb_switch *sw, uint32_t port)
{
	for (size_t i = 0; sw->voq && i < sw->voq->n; i++)
		if (sw->voq->v[i].cfg.asic_port == port)
			return &sw->voq->v[i];
	return NULL;
}

int lb_voq_port_in_use(struct lb_switch *sw, uint32_t port)
{
	struct sysport *s = local_of(sw, port);
	if (s)
		return lb_ctx_error(sw->ctx, LB_E_BUSY, "asic port %u: system port %u is on it "
				    "(lb_system_port_remove first)", port, s->cfg.system_port_id);
	return LB_OK;
}

/* The core whose share of the lanes holds lane. */
static uint32_t lane_core(const struct lb_switch *sw, uint32_t lane)
{
	return (uint32_t)((uint64_t)lane * sw->voq->self.cores / sw->caps.lanes);
}

static bool speed_known(const struct lb_switch *sw, uint32_t mbps)
{
	for (uint32_t i = 0; i < sw->caps.n_speeds && i < LB_ASIC_MAX_SPEEDS; i++)
		if (sw->caps.speeds_mbps[i] == mbps)
			return true;
	return false;
}

/* Check c (asic_port filled for a local one) against the table; LB_OK or the detail. */
static int check(struct lb_switch *sw, const struct lb_system_port_config *c)
{
	struct lb_voq *q = sw->voq;
	uint32_t id = c->system_port_id;
	if (!id)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "system port 0: ids start at 1");
	if (find(q, id))
		return lb_ctx_error(sw->ctx, LB_E_EXISTS, "system port %u: the id is taken", id);
	if (c->switch_id > LB_VOQ_MAX_SWITCH_ID)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "system port %u: switch id %u: at most %u", id,
				    c->switch_id, LB_VOQ_MAX_SWITCH_ID);
	if (c->core >= LB_VOQ_MAX_CORES || (c->switch_id == q->self.switch_id && c->core >= q->self.cores))
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "system port %u: core %u: switch %u has %u core%s",
				    id, c->core, c->switch_id,
				    c->switch_id == q->self.switch_id ? q->self.cores : LB_VOQ_MAX_CORES,
				    c->switch_id == q->self.switch_id && q->self.cores == 1 ? "" : "s");
	if (!c->num_voq || c->num_voq > sw->caps.queues_per_port)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "system port %u: %u VOQs: 1 to %u", id, c->num_voq,
				    sw->caps.queues_per_port);
	if (!speed_known(sw, c->speed_mbps)) {
		char s[16];
		lb_asic_speed_text(c->speed_mbps, s, sizeof(s));
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "system port %u: speed %s: not a speed of %s", id,
				    s, sw->caps.model);
	}
	for (size_t i = 0; i < q->n; i++) {
		const struct lb_system_port_config *o = &q->v[i].cfg;
		if (o->switch_id == c->switch_id && o->core == c->core && o->core_port == c->core_port)
			return lb_ctx_error(sw->ctx, LB_E_EXISTS, "system port %u: switch %u core %u port %u is "
					    "system port %u already", id, c->switch_id, c->core, c->core_port,
					    o->system_port_id);
	}
	if (c->switch_id != q->self.switch_id)
		return LB_OK;
	/* a local one: an ASIC port of that core, at that speed */
	uint32_t p = c->core_port;
	if (p >= sw->caps.max_ports || !sw->exists[p])
		return lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "system port %u: on this switch (%u): core port %u "
				    "is no asic port", id, c->switch_id, p);
	if (lane_core(sw, sw->ports[p].first_lane) != c->core)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "system port %u: asic port %u (lane %u) is on core %u, "
				    "not %u", id, p, sw->ports[p].first_lane, lane_core(sw, sw->ports[p].first_lane),
				    c->core);
	if (sw->ports[p].speed_mbps != c->speed_mbps)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "system port %u: speed %u Mb/s, asic port %u runs %u",
				    id, c->speed_mbps, p, sw->ports[p].speed_mbps);
	return LB_OK;
}

static int reserve(struct lb_switch *sw, size_t more)
{
	struct lb_voq *q = sw->voq;
	if (q->n + more <= q->cap)
		return LB_OK;
	size_t cap = q->cap ? q->cap : 64;
	while (cap < q->n + more)
		cap *= 2;
	struct sysport *v = realloc(q->v, cap * sizeof(*v));
	if (!v)
		return LB_E_NOMEM;
	q->v = v;
	q->cap = cap;
	return LB_OK;
}

/* Insert c (checked) in id order, in slot slot; room made beforehand by reserve(). */
static void insert(struct lb_voq *q, const struct lb_system_port_config *c, uint32_t slot)
{
	size_t at = 0;
	while (at < q->n && q->v[at].cfg.system_port_id < c->system_port_id)
		at++;
	memmove(&q->v[at + 1], &q->v[at], (q->n - at) * sizeof(q->v[0]));
	q->v[at].cfg = *c;
	q->v[at].slot = slot;
	q->used[slot] = true;
	q->n++;
}

/* The lowest free slot from *from on, in *from; false when the chip's table is full. */
static bool free_slot(const struct lb_voq *q, uint32_t *from)
{
	while (*from < q->slots && q->used[*from])
		(*from)++;
	return *from < q->slots;
}

static int table_full(struct lb_switch *sw, uint32_t id)
{
	return lb_ctx_error(sw->ctx, LB_E_RANGE, "system port %u: the chip's table is full (%u system ports)",
			    id, sw->voq->slots);
}

/* Program c into slot slot through the driver. */
static int program(struct lb_switch *sw, const struct lb_system_port_config *c, uint32_t slot)
{
	uint64_t seq = lb_ctx_error_seq();
	int rc = sw->ops->system_port_create(sw->priv, slot, c);
	return rc ? driver_failed(sw, seq, rc, "programming it", c->system_port_id) : LB_OK;
}

int lb_asic_voq_load(struct lb_switch *sw)
{
	if (sw->caps.type != LB_SWITCH_TYPE_VOQ || !has_ops(sw))
		return LB_OK;
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	int rc = sw->ops->voq_switch_get(sw->priv, &self);
	if (rc == LB_E_NOTFOUND)
		return LB_OK; /* not set yet: no table */
	size_t n = 0;
	if (rc || (rc = voq_new(sw, &sw->voq, &n)))
		return rc;
	sw->voq->self = self;
	sw->voq->self.size = sizeof(self);
	uint32_t slots = 0, *at = NULL;
	if (n && (!(at = calloc(n, sizeof(*at))) || reserve(sw, n)))
		rc = LB_E_NOMEM;
	size_t now = 0;
	if (rc == LB_OK && n && (rc = sw->ops->system_port_slots(sw->priv, at, n, &now, &slots)) == LB_OK &&
	    now < n)
		n = now; /* fewer now (another handle removed some): the ones listed; more: the first n */
	for (size_t i = 0; rc == LB_OK && i < n; i++) {
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		if (at[i] >= sw->voq->slots || (rc = sw->ops->system_port_get(sw->priv, at[i], &c))) {
			rc = rc ? rc : LB_E_RANGE;
			break;
		}
		c.size = sizeof(c);
		insert(sw->voq, &c, at[i]);
	}
	free(at);
	return rc;
}

LB_API int lb_voq_switch_set(struct lb_switch *sw, const struct lb_voq_switch_config *cfg)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_voq_switch_config in;
	if (LB_SIZED_READ(in, cfg, LB_VOQ_SWITCH_CONFIG_SIZE_V1))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "voq switch: config NULL or its size below %zu",
				    (size_t)LB_VOQ_SWITCH_CONFIG_SIZE_V1);
	pthread_mutex_lock(&sw->lock);
	int rc = voq_switch(sw, false);
	if (rc == LB_OK && sw->voq && sw->voq->n)
		rc = lb_ctx_error(sw->ctx, LB_E_STATE, "voq switch: %zu system ports exist: remove them first",
				  sw->voq->n);
	else if (rc == LB_OK && in.switch_id > LB_VOQ_MAX_SWITCH_ID)
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "voq switch: switch id %u: at most %u", in.switch_id,
				  LB_VOQ_MAX_SWITCH_ID);
	else if (rc == LB_OK && (!in.cores || in.cores > LB_VOQ_MAX_CORES || sw->caps.lanes % in.cores))
		rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "voq switch: %u cores: 1 to %u, sharing the %u lanes "
				  "evenly", in.cores, LB_VOQ_MAX_CORES, sw->caps.lanes);
	if (rc == LB_OK && !sw->voq)
		rc = voq_new(sw, &sw->voq, NULL);
	if (rc == LB_OK) {
		uint64_t seq = lb_ctx_error_seq();
		in.size = sizeof(in);
		if ((rc = sw->ops->voq_switch_apply(sw->priv, &in)))
			lb_asic_view_doubt(sw, rc);
		if (rc && lb_ctx_error_seq() == seq)
			lb_ctx_error(sw->ctx, rc, "voq switch: asic driver '%s': %s", sw->drv->name, lb_strerror(rc));
	}
	if (rc == LB_OK)
		sw->voq->self = in;
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_voq_switch_get(struct lb_switch *sw, struct lb_voq_switch_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_VOQ_SWITCH_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_voq_switch_config full = LB_VOQ_SWITCH_CONFIG_INIT;
	int rc = voq_switch(sw, true);
	if (rc == LB_OK)
		full = sw->voq->self;
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_system_ports_create_local(struct lb_switch *sw, uint32_t first_id, size_t *created)
{
	if (!sw)
		return LB_E_INVAL;
	if (created)
		*created = 0;
	pthread_mutex_lock(&sw->lock);
	int rc = voq_switch(sw, true);
	size_t want = 0;
	for (uint32_t p = 0; rc == LB_OK && p < sw->caps.max_ports; p++)
		want += sw->exists[p] && !local_of(sw, p);
	struct lb_system_port_config *add = NULL;
	if (rc == LB_OK && want && (!(add = calloc(want, sizeof(*add))) || reserve(sw, want)))
		rc = LB_E_NOMEM;
	/* Check every one against the table first (they differ from each other in id and
	 * core port by construction), then add them all. */
	size_t n = 0;
	for (uint32_t p = 0; rc == LB_OK && p < sw->caps.max_ports; p++) {
		if (!sw->exists[p] || local_of(sw, p))
			continue;
		if ((uint64_t)first_id + p > UINT32_MAX) {
			rc = lb_ctx_error(sw->ctx, LB_E_RANGE, "system ports: first id %u + asic port %u: beyond "
					  "32 bits", first_id, p);
			break;
		}
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		c.system_port_id = first_id + p;
		c.switch_id = sw->voq->self.switch_id;
		c.core = lane_core(sw, sw->ports[p].first_lane);
		c.core_port = p;
		c.speed_mbps = sw->ports[p].speed_mbps;
		c.num_voq = sw->caps.queues_per_port;
		c.asic_port = p;
		if ((rc = check(sw, &c)) == LB_OK)
			add[n++] = c;
	}
	/* a slot each, programmed in turn; a refusal takes back the ones made */
	uint32_t *slot = rc == LB_OK && n ? calloc(n, sizeof(*slot)) : NULL;
	if (n && !slot && rc == LB_OK)
		rc = LB_E_NOMEM;
	size_t made = 0;
	for (uint32_t from = 0; rc == LB_OK && made < n; from++) {
		if (!free_slot(sw->voq, &from))
			rc = table_full(sw, add[made].system_port_id);
		else if ((rc = program(sw, &add[made], from)) == LB_OK)
			slot[made++] = from;
	}
	if (rc)
		while (made--)
			(void)sw->ops->system_port_remove(sw->priv, slot[made]);
	for (size_t i = 0; rc == LB_OK && i < n; i++)
		insert(sw->voq, &add[i], slot[i]);
	free(slot);
	if (rc == LB_OK && created)
		*created = n;
	free(add);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_system_port_create(struct lb_switch *sw, const struct lb_system_port_config *cfg)
{
	if (!sw)
		return LB_E_INVAL;
	struct lb_system_port_config c;
	if (LB_SIZED_READ(c, cfg, LB_SIZE_THROUGH(struct lb_system_port_config, num_voq)))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "system port: config NULL or its size too small");
	pthread_mutex_lock(&sw->lock);
	int rc = voq_switch(sw, true);
	if (rc == LB_OK) {
		c.size = sizeof(c);
		bool local = c.switch_id == sw->voq->self.switch_id;
		c.asic_port = local ? c.core_port : LB_VOQ_NO_ASIC_PORT;
		if ((rc = check(sw, &c)) == LB_OK && local && local_of(sw, c.core_port))
			rc = lb_ctx_error(sw->ctx, LB_E_EXISTS, "system port %u: asic port %u has system port %u",
					  c.system_port_id, c.core_port, local_of(sw, c.core_port)->cfg.system_port_id);
		uint32_t slot = 0;
		if (rc == LB_OK && (rc = reserve(sw, 1)) == LB_OK && !free_slot(sw->voq, &slot))
			rc = table_full(sw, c.system_port_id);
		if (rc == LB_OK && (rc = program(sw, &c, slot)) == LB_OK)
			insert(sw->voq, &c, slot);
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_system_port_remove(struct lb_switch *sw, uint32_t system_port_id)
{
	if (!sw)
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = voq_switch(sw, true);
	struct sysport *s = rc == LB_OK ? find(sw->voq, system_port_id) : NULL;
	if (rc == LB_OK && !s)
		rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "system port %u: no such system port", system_port_id);
	uint64_t seq = lb_ctx_error_seq();
	if (s && (rc = sw->ops->system_port_remove(sw->priv, s->slot)))
		driver_failed(sw, seq, rc, "removing it", system_port_id);
	else if (s) {
		struct lb_voq *q = sw->voq;
		q->used[s->slot] = false;
		size_t i = (size_t)(s - q->v);
		memmove(&q->v[i], &q->v[i + 1], (q->n - i - 1) * sizeof(q->v[0]));
		q->n--;
	}
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_system_port_get(struct lb_switch *sw, uint32_t system_port_id,
			      struct lb_system_port_config *cfg)
{
	if (!sw || lb_sized_check(cfg, LB_SYSTEM_PORT_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	struct lb_system_port_config full = LB_SYSTEM_PORT_CONFIG_INIT;
	int rc = voq_switch(sw, true);
	struct sysport *s = rc == LB_OK ? find(sw->voq, system_port_id) : NULL;
	if (rc == LB_OK && !s)
		rc = lb_ctx_error(sw->ctx, LB_E_NOTFOUND, "system port %u: no such system port", system_port_id);
	if (s) {
		full = s->cfg;
		if (full.asic_port != LB_VOQ_NO_ASIC_PORT)
			full.speed_mbps = sw->ports[full.asic_port].speed_mbps;
	}
	LB_SIZED_FILL(cfg, full);
	pthread_mutex_unlock(&sw->lock);
	return rc;
}

LB_API int lb_system_port_list(struct lb_switch *sw, uint32_t *ids, size_t max, size_t *count)
{
	if (!sw || !count || (max && !ids))
		return LB_E_INVAL;
	pthread_mutex_lock(&sw->lock);
	int rc = voq_switch(sw, false);
	size_t n = rc == LB_OK && sw->voq ? sw->voq->n : 0;
	for (size_t i = 0; i < n && i < max; i++)
		ids[i] = sw->voq->v[i].cfg.system_port_id;
	*count = n;
	pthread_mutex_unlock(&sw->lock);
	return rc;
}
