/* SPDX-License-Identifier: MIT */
/*
 * Platform descriptions (JSON, read with jansson):
 *   {"name": "...", "buses": [{"name", "driver", "options": {...}, "lock_file", "lock_wait_ms"}],
 *    "ports": [{"port", "name", "bus", "cage", "addr", "mux_addr", "mux_channel", "sideband"}]}
 * A port behind two levels of muxes says so with "mux_path": [{"addr", "channel"}, ...]
 * (one or two hops, the bus side first) in place of mux_addr and mux_channel.
 * Every bus is opened at once; a port's module on first use.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/platform.h>
#include "hal/cmis/module_internal.h"
#include "hal/core/ctx_internal.h"
#include "hal/platform/sideband_internal.h"

#define PLATFORM_MAX_BUSES 32
#define PLATFORM_MAX_PORTS 256

struct platform_bus {
	char *name;
	struct lb_bus *bus;
};

struct platform_port {
	struct lb_port_info info;
	char *name, *cage;
	unsigned bus_index;
	struct lb_module *module;
	struct lb_sideband *sideband; /* the port's "sideband" object, or NULL */
};

struct lb_platform {
	struct lb_ctx *ctx;
	pthread_mutex_t lock; /* ports' module handles, opened on first use from any thread */
	char *name;
	struct platform_bus buses[PLATFORM_MAX_BUSES];
	unsigned n_buses;
	struct platform_port ports[PLATFORM_MAX_PORTS];
	unsigned n_ports;
};

extern const char lb_platform_default_text[];

LB_API const char *lb_platform_default_json(void)
{
	return lb_platform_default_text;
}

static int bad(struct lb_ctx *ctx, const char *origin, const char *field, const char *why)
{
	return lb_ctx_error(ctx, LB_E_PARSE, "%s: %s: %s", origin, field, why);
}

static int get_uint(struct lb_ctx *ctx, const char *origin, json_t *obj, const char *key,
		    const char *field, long long lo, long long hi, bool required, long long dflt,
		    long long *out)
{
	json_t *v = json_object_get(obj, key);
	char f[96];
	snprintf(f, sizeof(f), "%s.%s", field, key);
	if (!v) {
		if (required)
			return bad(ctx, origin, f, "missing");
		*out = dflt;
		return LB_OK;
	}
	if (!json_is_integer(v))
		return bad(ctx, origin, f, "not an integer");
	long long x = json_integer_value(v);
	if (x < lo || x > hi) {
		char why[96];
		snprintf(why, sizeof(why), "%lld is out of range %lld..%lld", x, lo, hi);
		return lb_ctx_error(ctx, LB_E_RANGE, "%s: %s: %s", origin, f, why);
	}
	*out = x;
	return LB_OK;
}

static int open_bus(struct lb_platform *p, const char *origin, json_t *jb, unsigned i)
{
	char field[32];
	snprintf(field, sizeof(field), "buses[%u]", i);
	if (!json_is_object(jb))
		return bad(p->ctx, origin, field, "not an object");
	json_t *jn = json_object_get(jb, "name"), *jd = json_object_get(jb, "driver");
	json_t *jo = json_object_get(jb, "options"), *jl = json_object_get(jb, "lock_file");
	if (!json_is_string(jn) || !*json_string_value(jn))
		return bad(p->ctx, origin, field, "\"name\" missing or not a string");
	if (!json_is_string(jd))
		return bad(p->ctx, origin, field, "\"driver\" missing or not a string");
	if (jo && !json_is_object(jo))
		return bad(p->ctx, origin, field, "\"options\" is not an object");
	if (jl && !json_is_string(jl))
		return bad(p->ctx, origin, field, "\"lock_file\" is not a string");
	for (unsigned k = 0; k < p->n_buses; k++)
		if (strcmp(p->buses[k].name, json_string_value(jn)) == 0)
			return bad(p->ctx, origin, field, "duplicate bus name");
	long long wait;
	int rc = get_uint(p->ctx, origin, jb, "lock_wait_ms", field, 0, 600000, false, 2000, &wait);
	if (rc)
		return rc;
	/* The driver hears its bus's name, so its logs and state can say which bus. */
	json_t *opts = jo ? json_deep_copy(jo) : json_object();
	json_object_set_new(opts, "name", json_string(json_string_value(jn)));
	char *text = json_dumps(opts, JSON_COMPACT);
	json_decref(opts);
	if (!text)
		return LB_E_NOMEM;
	struct platform_bus *b = &p->buses[p->n_buses];
	lb_ctx_clear_error(p->ctx);
	rc = lb_bus_open(p->ctx, json_string_value(jd), text, NULL, &b->bus);
	free(text);
	if (rc) {
		const char *why = lb_ctx_last_error(p->ctx);
		return lb_ctx_error(p->ctx, rc, "%s: %s: bus '%s': %s", origin, field,
				    json_string_value(jn), why[0] ? why : lb_strerror(rc));
	}
	b->name = strdup(json_string_value(jn));
	p->n_buses++;
	if (!b->name)
		return LB_E_NOMEM;
	if (jl && (rc = lb_bus_set_lock_file(b->bus, json_string_value(jl), (uint32_t)wait)))
		return rc;
	return LB_OK;
}

/* "mux_path": one or two {"addr", "channel"} hops, the bus side first, into a. */
static int get_mux_path(struct lb_ctx *ctx, const char *origin, json_t *jp, const char *field,
			struct lb_module_addr *a)
{
	json_t *jm = json_object_get(jp, "mux_path");
	char f[64];
	snprintf(f, sizeof(f), "%s.mux_path", field);
	if (json_object_get(jp, "mux_addr") || json_object_get(jp, "mux_channel"))
		return bad(ctx, origin, f, "give mux_path or mux_addr/mux_channel, not both");
	if (!json_is_array(jm))
		return bad(ctx, origin, f, "not an array");
	size_t n = json_array_size(jm);
	if (n > 2)
		return lb_ctx_error(ctx, LB_E_RANGE, "%s: %s: %zu hops: at most two mux levels",
				    origin, f, n);
	for (size_t k = 0; k < n; k++) {
		json_t *hop = json_array_get(jm, k);
		char hf[80];
		snprintf(hf, sizeof(hf), "%s[%zu]", f, k);
		if (!json_is_object(hop))
			return bad(ctx, origin, hf, "not an object");
		long long addr, ch;
		int rc;
		if ((rc = get_uint(ctx, origin, hop, "addr", hf, 0x08, 0x77, true, 0, &addr)) ||
		    (rc = get_uint(ctx, origin, hop, "channel", hf, 0, 7, true, 0, &ch)))
			return rc;
		if (k == 0) {
			a->mux_addr = (uint16_t)addr;
			a->mux_channel = (int)ch;
		} else {
			if (addr == a->mux_addr)
				return bad(ctx, origin, hf, "a second mux at the first one's address");
			a->mux2_addr = (uint16_t)addr;
			a->mux2_channel = (int)ch;
		}
	}
	return LB_OK;
}

static int add_port(struct lb_platform *p, const char *origin, json_t *jp, unsigned i)
{
	char field[32];
	snprintf(field, sizeof(field), "ports[%u]", i);
	if (!json_is_object(jp))
		return bad(p->ctx, origin, field, "not an object");
	struct platform_port *pp = &p->ports[p->n_ports];
	long long port, addr, mux_addr, mux_ch;
	int rc;
	if ((rc = get_uint(p->ctx, origin, jp, "port", field, 1, 65535, true, 0, &port)) ||
	    (rc = get_uint(p->ctx, origin, jp, "addr", field, 0x08, 0x77, false, 0x50, &addr)) ||
	    (rc = get_uint(p->ctx, origin, jp, "mux_addr", field, 0x08, 0x77, false, 0x70, &mux_addr)) ||
	    (rc = get_uint(p->ctx, origin, jp, "mux_channel", field, -1, 7, false, -1, &mux_ch)))
		return rc;
	json_t *jb = json_object_get(jp, "bus"), *jn = json_object_get(jp, "name");
	json_t *jc = json_object_get(jp, "cage");
	if (!json_is_string(jb))
		return bad(p->ctx, origin, field, "\"bus\" missing or not a string");
	if ((jn && !json_is_string(jn)) || (jc && !json_is_string(jc)))
		return bad(p->ctx, origin, field, "\"name\" and \"cage\" must be strings");
	unsigned bi;
	for (bi = 0; bi < p->n_buses; bi++)
		if (strcmp(p->buses[bi].name, json_string_value(jb)) == 0)
			break;
	if (bi == p->n_buses)
		return bad(p->ctx, origin, field, "\"bus\" names no bus of this platform");
	for (unsigned k = 0; k < p->n_ports; k++)
		if (p->ports[k].info.port == (unsigned)port)
			return bad(p->ctx, origin, field, "duplicate port number");
	char defname[32];
	snprintf(defname, sizeof(defname), "port%lld", port);
	pp->name = strdup(jn ? json_string_value(jn) : defname);
	pp->cage = strdup(jc ? json_string_value(jc) : "unknown");
	if (!pp->name || !pp->cage) {
		free(pp->name);
		free(pp->cage);
		return LB_E_NOMEM;
	}
	pp->bus_index = bi;
	pp->info = (struct lb_port_info){
		.port = (unsigned)port, .name = pp->name, .bus = p->buses[bi].name, .cage = pp->cage,
		.addr = { .addr = (uint16_t)addr, .mux_addr = (uint16_t)mux_addr,
			  .mux_channel = (int)mux_ch },
	};
	if (json_object_get(jp, "mux_path")) {
		pp->info.addr.mux_addr = 0;
		pp->info.addr.mux_channel = -1;
		if ((rc = get_mux_path(p->ctx, origin, jp, field, &pp->info.addr))) {
			free(pp->name);
			free(pp->cage);
			return rc;
		}
	}
	p->n_ports++;
	json_t *js = json_object_get(jp, "sideband");
	if (js)
		return lb_platform_sideband_open(p, p->ctx, origin, field, js, p->buses[bi].bus,
						 p->buses[bi].name, &pp->info, &pp->sideband);
	return LB_OK;
}

static int build(struct lb_platform *p, json_t *root, const char *origin)
{
	if (!json_is_object(root))
		return bad(p->ctx, origin, "(top)", "not a JSON object");
	json_t *jn = json_object_get(root, "name"), *jb = json_object_get(root, "buses");
	json_t *jp = json_object_get(root, "ports");
	if (!json_is_string(jn))
		return bad(p->ctx, origin, "name", "missing or not a string");
	if (!json_is_array(jb) || json_array_size(jb) == 0)
		return bad(p->ctx, origin, "buses", "missing, empty or not an array");
	if (json_array_size(jb) > PLATFORM_MAX_BUSES)
		return bad(p->ctx, origin, "buses", "too many buses");
	if (!json_is_array(jp))
		return bad(p->ctx, origin, "ports", "missing or not an array");
	if (json_array_size(jp) > PLATFORM_MAX_PORTS)
		return bad(p->ctx, origin, "ports", "too many ports");
	if (!(p->name = strdup(json_string_value(jn))))
		return LB_E_NOMEM;
	int rc = LB_OK;
	for (unsigned i = 0; rc == LB_OK && i < json_array_size(jb); i++)
		rc = open_bus(p, origin, json_array_get(jb, i), i);
	for (unsigned i = 0; rc == LB_OK && i < json_array_size(jp); i++)
		rc = add_port(p, origin, json_array_get(jp, i), i);
	return rc;
}

LB_API int lb_platform_open_json(struct lb_ctx *ctx, const char *json, const char *origin,
				 struct lb_platform **out)
{
	if (!ctx || !json || !out)
		return LB_E_INVAL;
	if (!origin)
		origin = "(platform)";
	json_error_t jerr;
	json_t *root = json_loads(json, 0, &jerr);
	if (!root)
		return lb_ctx_error(ctx, LB_E_PARSE, "%s: line %d: %s", origin, jerr.line, jerr.text);
	struct lb_platform *p = calloc(1, sizeof(*p));
	if (!p) {
		json_decref(root);
		return LB_E_NOMEM;
	}
	p->ctx = ctx;
	pthread_mutex_init(&p->lock, NULL);
	int rc = build(p, root, origin);
	json_decref(root);
	if (rc) {
		char keep[LB_ERROR_MAX];
		snprintf(keep, sizeof(keep), "%s", lb_ctx_last_error(ctx));
		lb_platform_close(p);
		lb_ctx_restore_error(ctx, keep);
		return rc;
	}
	*out = p;
	return LB_OK;
}

LB_API int lb_platform_open(struct lb_ctx *ctx, const char *path, struct lb_platform **out)
{
	if (!ctx || !out)
		return LB_E_INVAL;
	if (!path)
		return lb_platform_open_json(ctx, lb_platform_default_text, "(embedded default platform)", out);
	FILE *f = fopen(path, "rb");
	if (!f)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "%s: cannot open", path);
	json_error_t jerr;
	json_t *root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (!root)
		return lb_ctx_error(ctx, LB_E_PARSE, "%s: line %d: %s", path, jerr.line, jerr.text);
	char *text = json_dumps(root, JSON_COMPACT);
	json_decref(root);
	if (!text)
		return LB_E_NOMEM;
	int rc = lb_platform_open_json(ctx, text, path, out);
	free(text);
	return rc;
}

LB_API void lb_platform_close(struct lb_platform *p)
{
	if (!p)
		return;
	for (unsigned i = 0; i < p->n_ports; i++) {
		lb_sideband_close(p->ports[i].sideband);
		lb_module_close(p->ports[i].module);
		free(p->ports[i].name);
		free(p->ports[i].cage);
	}
	for (unsigned i = 0; i < p->n_buses; i++) {
		lb_bus_close(p->buses[i].bus);
		free(p->buses[i].name);
	}
	pthread_mutex_destroy(&p->lock);
	free(p->name);
	free(p);
}

LB_API const char *lb_platform_name(const struct lb_platform *p)
{
	return p ? p->name : "";
}

LB_API unsigned lb_platform_port_count(const struct lb_platform *p)
{
	return p ? p->n_ports : 0;
}

LB_API int lb_platform_port_at(const struct lb_platform *p, unsigned index, struct lb_port_info *out)
{
	if (!p || !out)
		return LB_E_INVAL;
	if (index >= p->n_ports)
		return LB_E_NOTFOUND;
	*out = p->ports[index].info;
	return LB_OK;
}

static struct platform_port *find_port(const struct lb_platform *p, unsigned port)
{
	for (unsigned i = 0; i < p->n_ports; i++)
		if (p->ports[i].info.port == port)
			return (struct platform_port *)&p->ports[i];
	return NULL;
}

LB_API int lb_platform_port(const struct lb_platform *p, unsigned port, struct lb_port_info *out)
{
	if (!p || !out)
		return LB_E_INVAL;
	struct platform_port *pp = find_port(p, port);
	if (!pp)
		return LB_E_NOTFOUND;
	*out = pp->info;
	return LB_OK;
}

/* The port's module handle, opened on first use. */
static int port_module(struct lb_platform *p, struct platform_port *pp, struct lb_module **out)
{
	pthread_mutex_lock(&p->lock);
	int rc = LB_OK;
	if (!pp->module)
		rc = lb_module_open(p->buses[pp->bus_index].bus, &pp->info.addr, &pp->module);
	*out = pp->module;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

/*
 * Presence by asking: ModPrsL where the cage has a sideband (no bus traffic), else a module
 * that does not answer its identifier byte is not there. LB_OK, LB_E_NODEV, or a bus error.
 */
static int probe_presence(struct lb_platform *p, struct platform_port *pp, struct lb_module *m)
{
	if (pp->sideband) {
		bool present = false;
		int prc = lb_sideband_present(pp->sideband, &present);
		if (prc == LB_OK && !present) {
			lb_module_invalidate(m);
			return lb_ctx_error(p->ctx, LB_E_NODEV, "port %u: cage empty (ModPrsL)", pp->info.port);
		}
		if (prc == LB_OK)
			return LB_OK;
	}
	uint8_t id;
	int rc = lb_module_read(m, 0, 0, 0, &id, 1);
	if (rc == LB_E_NACK || rc == LB_E_NODEV) {
		lb_module_invalidate(m);
		return lb_ctx_error(p->ctx, LB_E_NODEV, "port %u: no module answers", pp->info.port);
	}
	return rc;
}

/* The port by number, or LB_E_NOTFOUND with a detail that names the platform. */
static int lookup_port(struct lb_platform *p, unsigned port, struct platform_port **out)
{
	*out = find_port(p, port);
	if (!*out)
		return lb_ctx_error(p->ctx, LB_E_NOTFOUND, "port %u: no such port on platform %s", port,
				    p->name);
	return LB_OK;
}

LB_API int lb_platform_module(struct lb_platform *p, unsigned port, struct lb_module **out)
{
	if (!p || !out)
		return LB_E_INVAL;
	struct platform_port *pp;
	struct lb_module *m;
	int rc;
	if ((rc = lookup_port(p, port, &pp)) || (rc = port_module(p, pp, &m)))
		return rc;
	/*
	 * Presence is known without a bus read when the cage has a sideband (ModPrsL) or the
	 * last access to the module was acknowledged; otherwise (first use, or the module
	 * stopped answering) it is probed.
	 */
	if (pp->sideband || lb_module_seen(m) != LB_MODULE_SEEN_ANSWERED)
		rc = probe_presence(p, pp, m);
	if (rc)
		return rc;
	*out = m;
	return LB_OK;
}

LB_API int lb_platform_check_present(struct lb_platform *p, unsigned port, bool *present)
{
	if (!p || !present)
		return LB_E_INVAL;
	struct platform_port *pp;
	struct lb_module *m;
	int rc;
	if ((rc = lookup_port(p, port, &pp)) || (rc = port_module(p, pp, &m)))
		return rc;
	rc = probe_presence(p, pp, m);
	*present = rc == LB_OK;
	return rc == LB_E_NODEV ? LB_OK : rc;
}

LB_API int lb_platform_sideband(struct lb_platform *p, unsigned port, struct lb_sideband **out)
{
	if (!p || !out)
		return LB_E_INVAL;
	struct platform_port *pp;
	int rc = lookup_port(p, port, &pp);
	if (rc)
		return rc;
	if (!pp->sideband)
		return LB_E_NOTSUP;
	*out = pp->sideband;
	return LB_OK;
}

LB_API unsigned lb_platform_bus_count(const struct lb_platform *p)
{
	return p ? p->n_buses : 0;
}

LB_API int lb_platform_bus_at(const struct lb_platform *p, unsigned index, struct lb_bus **bus,
			      const char **name)
{
	if (!p || index >= p->n_buses)
		return p ? LB_E_NOTFOUND : LB_E_INVAL;
	if (bus)
		*bus = p->buses[index].bus;
	if (name)
		*name = p->buses[index].name;
	return LB_OK;
}

LB_API void lb_platform_get_stats(const struct lb_platform *p, struct lb_bus_stats *out)
{
	if (!p || !out)
		return;
	memset(out, 0, sizeof(*out));
	for (unsigned i = 0; i < p->n_buses; i++) {
		struct lb_bus_stats s;
		lb_bus_get_stats(p->buses[i].bus, &s);
		out->transactions += s.transactions;
		out->bytes += s.bytes;
		out->errors += s.errors;
		out->select_writes += s.select_writes;
		out->reads += s.reads;
		out->writes += s.writes;
		out->bus_time_ns += s.bus_time_ns;
		out->busy_nacks += s.busy_nacks;
		if (s.max_read_len > out->max_read_len)
			out->max_read_len = s.max_read_len;
	}
}
