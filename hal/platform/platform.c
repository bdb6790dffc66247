/* SPDX-License-Identifier: MIT */
/*
 * Platform descriptions (JSON, read once with the options reader):
 *   {"name": "...", "buses": [{"name", "driver", "options": {...}, "lock_file", "lock_wait_ms",
 *                              "lock_group"}],
 *    "ports": [{"port", "name", "bus", "cage", "addr", "mux_addr", "mux_channel", "sideband"}]}
 * Every bus is opened at once, its driver handed its "options" as parsed (never as text); a
 * port's module on first use. Errors: "FILE: FIELD: reason".
 * A port behind two levels of muxes says so with "mux_path": [{"addr", "channel"}, ...]
 * (one or two hops, the bus side first) in place of mux_addr and mux_channel.
 * The router ASIC, when the platform has one: "asic": {"name", "driver", "options": {...}},
 * opened on first use (lb_platform_switch); each front-panel port joins its cage to the ASIC
 * lanes "asic_lanes": {"first", "count"} (the front-panel map: port -> ASIC lanes -> cage).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/asic.h>
#include <lightbridge/platform.h>
#include "hal/bus/bus_internal.h"
#include "hal/cmis/module_internal.h"
#include "hal/core/ctx_internal.h"
#include "hal/platform/platform_hyperports.h"
#include "hal/platform/platform_links.h"
#include "hal/platform/platform_ctx.h"
#include "hal/platform/sideband_internal.h"
#include "hal/asic/binding_internal.h"
#include "hal/abi/sized.h"
#include "util/options_internal.h"

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
	/*
	 * The presence probe uses the port's handle, which every thread asking for the port gets:
	 * one probe at a time (a handle is used by one thread at a time).
	 */
	pthread_mutex_t probe_lock;
	uint32_t asic_first, asic_count; /* the port's ASIC lanes; count 0: none */
};

struct lb_platform {
	struct lb_ctx *ctx;
	pthread_mutex_t lock; /* ports' module handles, opened on first use from any thread */
	char *name;
	struct platform_bus buses[PLATFORM_MAX_BUSES];
	unsigned n_buses;
	struct platform_port ports[PLATFORM_MAX_PORTS];
	unsigned n_ports;
	struct platform_links links; /* "links": ports joined by a path (platform_links.c) */
	/* The router ASIC ("asic"), opened on first use under lock; driver NULL: none. */
	char *asic_name, *asic_driver, *asic_options;
	struct lb_switch *sw;
	struct platform_hyperports hps; /* the asic's "hyperports" (platform_hyperports.c) */
};

extern const char lb_platform_default_text[];

LB_API const char *lb_platform_default_json(void)
{
	return lb_platform_default_text;
}

/* Keys of the platform's own objects; "description", "comment" and "_..." are notes. */
static const char *const top_keys[] = { "name", "buses", "ports", "links", "asic", "description",
					 "comment", "_*", NULL };
static const char *const asic_keys[] = { "name", "driver", "options", "hyperports", "description", "comment",
					"_*", NULL };
static const char *const asic_lane_keys[] = { "first", "count", NULL };
static const char *const bus_keys[] = { "name", "driver", "options", "lock_file", "lock_wait_ms",
					"lock_group", "description", "comment", "_*", NULL };
static const char *const port_keys[] = { "port", "name", "bus", "cage", "addr", "mux_addr",
					  "mux_channel", "mux_path", "sideband", "asic_lanes", "description",
					  "comment", "_*", NULL };

/* A field of the file is wrong: the reader's message is the detail. */
static int bad(struct lb_platform *p, const struct lb_options *o, int rc)
{
	return lb_ctx_error(p->ctx, rc, "%s", lb_options_error(o));
}

/* The driver's detail, as it is when it names a field of its options, else naming the object. */
static int driver_failed(struct lb_ctx *ctx, int rc, const struct lb_options *opts,
			 const struct lb_options *obj, const char *what)
{
	const char *why = lb_ctx_last_error(ctx);
	if (why[0] && lb_options_error(opts)[0] && strstr(why, lb_options_error(opts)))
		return rc;
	return lb_ctx_error(ctx, rc, "%s: %s: %s%s", lb_options_origin(obj), lb_options_path(obj), what,
			    why[0] ? why : lb_strerror(rc));
}

static int open_bus(struct lb_platform *p, const struct lb_options *buses, unsigned i)
{
	const struct lb_options *jb, *opts;
	const char *name, *driver, *lock_file, *lock_group;
	uint32_t wait;
	int rc;
	if ((rc = lb_options_at(buses, i, NULL, &jb)) || (rc = lb_options_get_object(jb, NULL, &jb)) ||
	    (rc = lb_options_check_keys(jb, bus_keys)) || (rc = lb_options_require(jb, "name")) ||
	    (rc = lb_options_get_string(jb, "name", NULL, &name)) || (rc = lb_options_require(jb, "driver")) ||
	    (rc = lb_options_get_string(jb, "driver", NULL, &driver)) ||
	    (rc = lb_options_get_string(jb, "lock_file", NULL, &lock_file)) ||
	    (rc = lb_options_get_string(jb, "lock_group", NULL, &lock_group)) ||
	    (rc = lb_options_get_u32(jb, "lock_wait_ms", 0, 600000, 2000, &wait)))
		return bad(p, buses, rc);
	if (lock_group && !lock_file)
		return bad(p, buses, lb_options_fail(jb, "lock_group", LB_E_PARSE, "needs \"lock_file\""));
	if (!*name)
		return bad(p, buses, lb_options_fail(jb, "name", LB_E_PARSE, "empty"));
	for (unsigned k = 0; k < p->n_buses; k++)
		if (strcmp(p->buses[k].name, name) == 0)
			return bad(p, buses, lb_options_fail(jb, "name", LB_E_PARSE, "duplicate bus name"));
	/*
	 * The driver reads the bus's "options" object as it was parsed, with the bus's name
	 * added, so its logs and state can say which bus.
	 */
	json_t *node = lb_options_node(jb);
	if (!lb_options_has(jb, "options") && json_object_set_new(node, "options", json_object()))
		return LB_E_NOMEM;
	if ((rc = lb_options_get_object(jb, "options", &opts)))
		return bad(p, buses, rc);
	if (json_object_set_new(lb_options_node(opts), "name", json_string(name)))
		return LB_E_NOMEM;
	struct platform_bus *b = &p->buses[p->n_buses];
	lb_ctx_clear_error(p->ctx);
	rc = lb_bus_open_options(p->ctx, driver, opts, NULL, &b->bus);
	if (rc) {
		char what[96];
		snprintf(what, sizeof(what), "bus '%s': ", name);
		return driver_failed(p->ctx, rc, opts, jb, what);
	}
	b->name = strdup(name);
	p->n_buses++;
	if (!b->name)
		return LB_E_NOMEM;
	if (lock_file && (rc = lb_bus_set_lock_file_group(b->bus, lock_file, wait, lock_group)))
		return rc;
	return LB_OK;
}

static const char *const hop_keys[] = { "addr", "channel", NULL };

/* "mux_path": one or two {"addr", "channel"} hops, the bus side first, into a. */
static int get_mux_path(const struct lb_options *jp, struct lb_module_addr *a)
{
	if (lb_options_has(jp, "mux_addr") || lb_options_has(jp, "mux_channel"))
		return lb_options_fail(jp, "mux_path", LB_E_PARSE,
				       "give mux_path or mux_addr/mux_channel, not both");
	if (lb_options_type(jp, "mux_path") != LB_OPTIONS_ARRAY)
		return lb_options_fail(jp, "mux_path", LB_E_PARSE, "not an array");
	const struct lb_options *path;
	size_t n;
	int rc = lb_options_get_array(jp, "mux_path", 0, SIZE_MAX, &path, &n);
	if (rc)
		return rc;
	if (n > 2)
		return lb_options_fail(jp, "mux_path", LB_E_RANGE, "%zu hops: at most two mux levels", n);
	for (size_t k = 0; k < n; k++) {
		const struct lb_options *hop;
		int64_t addr, ch;
		if ((rc = lb_options_at(path, k, NULL, &hop)) || (rc = lb_options_get_object(hop, NULL, &hop)) ||
		    (rc = lb_options_check_keys(hop, hop_keys)) || (rc = lb_options_require(hop, "addr")) ||
		    (rc = lb_options_require(hop, "channel")) ||
		    (rc = lb_options_get_int(hop, "addr", 0x08, 0x77, 0, &addr)) ||
		    (rc = lb_options_get_int(hop, "channel", 0, 7, 0, &ch)))
			return rc;
		if (k == 0) {
			a->mux_addr = (uint16_t)addr;
			a->mux_channel = (int)ch;
		} else {
			if ((uint16_t)addr == a->mux_addr)
				return lb_options_fail(hop, "addr", LB_E_PARSE,
						       "a second mux at the first one's address");
			a->mux2_addr = (uint16_t)addr;
			a->mux2_channel = (int)ch;
		}
	}
	return LB_OK;
}

/* The same module: address and mux hops (a mux's address counts only when there is one). */
static bool same_cage(const struct lb_module_addr *a, const struct lb_module_addr *b)
{
	if (a->addr != b->addr || a->mux_channel != b->mux_channel)
		return false;
	if (a->mux_channel < 0)
		return true;
	return a->mux_addr == b->mux_addr && a->mux2_addr == b->mux2_addr &&
	       (!a->mux2_addr || a->mux2_channel == b->mux2_channel);
}

/* "0x50", "0x50 behind mux 0x70 channel 3", "... and mux 0x71 channel 0". */
static void route_text(const struct lb_module_addr *a, char *out, size_t len)
{
	int n = snprintf(out, len, "0x%02x", a->addr);
	if (a->mux_channel >= 0 && n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, " behind mux 0x%02x channel %d", a->mux_addr,
			      a->mux_channel);
	if (a->mux_channel >= 0 && a->mux2_addr && n > 0 && (size_t)n < len)
		snprintf(out + n, len - (size_t)n, " and mux 0x%02x channel %d", a->mux2_addr,
			 a->mux2_channel);
}

/* The port's "asic_lanes" (the front-panel map), checked against the other ports'. */
static int get_asic_lanes(struct lb_platform *p, const struct lb_options *jp, struct platform_port *pp)
{
	if (!lb_options_has(jp, "asic_lanes"))
		return LB_OK;
	const struct lb_options *jl;
	uint32_t first, count;
	int rc;
	if ((rc = lb_options_get_object(jp, "asic_lanes", &jl)) || (rc = lb_options_check_keys(jl, asic_lane_keys)) ||
	    (rc = lb_options_require(jl, "first")) || (rc = lb_options_get_u32(jl, "first", 0, 65535, 0, &first)) ||
	    (rc = lb_options_require(jl, "count")) || (rc = lb_options_get_u32(jl, "count", 1, 64, 0, &count)))
		return rc;
	if (!p->asic_driver)
		return lb_options_fail(jp, "asic_lanes", LB_E_PARSE, "the platform has no \"asic\"");
	for (unsigned k = 0; k + 1 < p->n_ports; k++) {
		const struct platform_port *o = &p->ports[k];
		if (o->asic_count && first < o->asic_first + o->asic_count && o->asic_first < first + count)
			return lb_options_fail(jp, "asic_lanes", LB_E_PARSE,
					       "lanes %u-%u: port %u has lanes %u-%u", first, first + count - 1,
					       o->info.port, o->asic_first, o->asic_first + o->asic_count - 1);
	}
	pp->asic_first = first;
	pp->asic_count = count;
	return LB_OK;
}

/* The platform's "asic": kept to be opened on first use. */
static int get_asic(struct lb_platform *p, const struct lb_options *root)
{
	if (!lb_options_has(root, "asic"))
		return LB_OK;
	const struct lb_options *ja, *opts = NULL;
	const char *name, *driver;
	int rc;
	if ((rc = lb_options_get_object(root, "asic", &ja)) || (rc = lb_options_check_keys(ja, asic_keys)) ||
	    (rc = lb_options_get_string(ja, "name", "asic0", &name)) || (rc = lb_options_require(ja, "driver")) ||
	    (rc = lb_options_get_string(ja, "driver", NULL, &driver)) ||
	    (lb_options_has(ja, "options") && (rc = lb_options_get_object(ja, "options", &opts))))
		return bad(p, root, rc);
	json_t *o = opts ? json_deep_copy(lb_options_node(opts)) : json_object();
	if (!o || json_object_set_new(o, "name", json_string(name))) {
		json_decref(o);
		return LB_E_NOMEM;
	}
	p->asic_options = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	p->asic_name = strdup(name);
	p->asic_driver = strdup(driver);
	if (!p->asic_options || !p->asic_name || !p->asic_driver)
		return LB_E_NOMEM;
	return LB_OK;
}

LB_API int lb_platform_switch(struct lb_platform *p, struct lb_switch **out)
{
	if (!p || !out)
		return LB_E_INVAL;
	if (!p->asic_driver)
		return lb_ctx_error(p->ctx, LB_E_NOTFOUND, "platform %s has no ASIC", p->name);
	pthread_mutex_lock(&p->lock);
	int rc = LB_OK;
	bool opened_now = !p->sw;
	if (!p->sw && (rc = lb_switch_open(p->ctx, p->asic_driver, p->asic_options, NULL, &p->sw))) {
		char why[LB_ERROR_MAX];
		snprintf(why, sizeof(why), "%s", lb_ctx_last_error(p->ctx));
		lb_ctx_error(p->ctx, rc, "platform %s: asic '%s': %s", p->name, p->asic_name, why);
	} else if (opened_now) {
		lb_platform_switch_attach_cages(p, p->sw); /* the front-panel map, to the driver */
	}
	*out = p->sw;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

LB_API int lb_platform_port_asic_lanes(const struct lb_platform *p, unsigned port, uint32_t *first,
				       uint32_t *count)
{
	if (!p || !first || !count)
		return LB_E_INVAL;
	for (unsigned i = 0; i < p->n_ports; i++)
		if (p->ports[i].info.port == port) {
			*first = p->ports[i].asic_first;
			*count = p->ports[i].asic_count;
			return p->ports[i].asic_count ? LB_OK : LB_E_NOTFOUND;
		}
	return LB_E_NOTFOUND;
}

LB_API size_t lb_platform_hyperport_count(const struct lb_platform *p)
{
	return p ? p->hps.n : 0;
}

LB_API int lb_platform_hyperport_get(const struct lb_platform *p, size_t i, struct lb_platform_hyperport *out)
{
	if (!p || lb_sized_check(out, LB_PLATFORM_HYPERPORT_SIZE_V1))
		return LB_E_INVAL;
	if (i >= p->hps.n)
		return LB_E_NOTFOUND;
	LB_SIZED_FILL(out, p->hps.hp[i]);
	return LB_OK;
}

static int add_port(struct lb_platform *p, const struct lb_options *ports, unsigned i)
{
	const struct lb_options *jp;
	int64_t port, addr, mux_addr, mux_ch;
	const char *bus, *name, *cage;
	int rc;
	if ((rc = lb_options_at(ports, i, NULL, &jp)) || (rc = lb_options_get_object(jp, NULL, &jp)) ||
	    (rc = lb_options_check_keys(jp, port_keys)) || (rc = lb_options_require(jp, "port")) ||
	    (rc = lb_options_get_int(jp, "port", 1, 65535, 0, &port)) ||
	    (rc = lb_options_get_int(jp, "addr", 0x08, 0x77, 0x50, &addr)) ||
	    (rc = lb_options_get_int(jp, "mux_addr", 0x08, 0x77, 0x70, &mux_addr)) ||
	    (rc = lb_options_get_int(jp, "mux_channel", -1, 7, -1, &mux_ch)) ||
	    (rc = lb_options_require(jp, "bus")) || (rc = lb_options_get_string(jp, "bus", NULL, &bus)) ||
	    (rc = lb_options_get_string(jp, "name", NULL, &name)) ||
	    (rc = lb_options_get_string(jp, "cage", "unknown", &cage)))
		return bad(p, ports, rc);
	unsigned bi;
	for (bi = 0; bi < p->n_buses; bi++)
		if (strcmp(p->buses[bi].name, bus) == 0)
			break;
	if (bi == p->n_buses)
		return bad(p, ports, lb_options_fail(jp, "bus", LB_E_PARSE, "\"%s\" names no bus of this platform", bus));
	for (unsigned k = 0; k < p->n_ports; k++)
		if (p->ports[k].info.port == (unsigned)port)
			return bad(p, ports, lb_options_fail(jp, "port", LB_E_PARSE, "duplicate port number"));
	struct platform_port *pp = &p->ports[p->n_ports];
	char defname[32];
	snprintf(defname, sizeof(defname), "port%lld", (long long)port);
	pp->name = strdup(name ? name : defname);
	pp->cage = strdup(cage);
	if (!pp->name || !pp->cage) {
		free(pp->name);
		free(pp->cage);
		return LB_E_NOMEM;
	}
	pp->bus_index = bi;
	pp->info = (struct lb_port_info){
		.size = sizeof(struct lb_port_info), .port = (unsigned)port, .name = pp->name,
		.bus = p->buses[bi].name, .cage = pp->cage,
		.addr = { .addr = (uint16_t)addr, .mux_addr = (uint16_t)mux_addr,
			  .mux_channel = (int)mux_ch },
	};
	if (lb_options_has(jp, "mux_path")) {
		pp->info.addr.mux_addr = 0;
		pp->info.addr.mux_channel = -1;
		if ((rc = get_mux_path(jp, &pp->info.addr))) {
			free(pp->name);
			free(pp->cage);
			return bad(p, ports, rc);
		}
	}
	/* One cage, one port: two ports on one module would be two handles on one module. */
	for (unsigned k = 0; k < p->n_ports; k++) {
		if (p->ports[k].bus_index != bi || !same_cage(&p->ports[k].info.addr, &pp->info.addr))
			continue;
		char route[96];
		route_text(&pp->info.addr, route, sizeof(route));
		free(pp->name);
		free(pp->cage);
		return bad(p, ports, lb_options_fail(jp, NULL, LB_E_PARSE,
						     "the cage of port %u (bus %s, %s)",
						     p->ports[k].info.port, bus, route));
	}
	pthread_mutex_init(&pp->probe_lock, NULL);
	p->n_ports++;
	if ((rc = get_asic_lanes(p, jp, pp)))
		return bad(p, ports, rc);
	if (!lb_options_has(jp, "sideband"))
		return LB_OK;
	const struct lb_options *js;
	if ((rc = lb_options_get_object(jp, "sideband", &js)))
		return bad(p, ports, rc);
	return lb_platform_sideband_open(p, p->ctx, js, p->buses[bi].bus, p->buses[bi].name, &pp->info,
					 &pp->sideband);
}

static int build(struct lb_platform *p, const struct lb_options *doc)
{
	const struct lb_options *root, *buses, *ports;
	const char *name;
	size_t nb, np;
	int rc;
	if ((rc = lb_options_get_object(doc, NULL, &root)) || (rc = lb_options_check_keys(root, top_keys)) ||
	    (rc = lb_options_require(root, "name")) || (rc = lb_options_get_string(root, "name", NULL, &name)) ||
	    (rc = lb_options_require(root, "buses")) ||
	    (rc = lb_options_get_array(root, "buses", 1, PLATFORM_MAX_BUSES, &buses, &nb)) ||
	    (rc = lb_options_require(root, "ports")) ||
	    (rc = lb_options_get_array(root, "ports", 0, PLATFORM_MAX_PORTS, &ports, &np)))
		return bad(p, doc, rc);
	if (!(p->name = strdup(name)))
		return LB_E_NOMEM;
	/* Links first: an emulator bus finds the links of its modules in its options. */
	if ((rc = lb_platform_links_prepare(root, &p->links)))
		return rc == LB_E_NOMEM ? rc : bad(p, doc, rc);
	if ((rc = get_asic(p, root)))
		return rc;
	for (unsigned i = 0; rc == LB_OK && i < nb; i++)
		rc = open_bus(p, buses, i);
	for (unsigned i = 0; rc == LB_OK && i < np; i++)
		rc = add_port(p, ports, i);
	const struct lb_options *ja;
	if (rc == LB_OK && p->asic_driver && lb_options_get_object(root, "asic", &ja) == LB_OK &&
	    (rc = lb_platform_hyperports_parse(p, ja, &p->hps)))
		return bad(p, root, rc); /* once the ports are known: HyperPorts name them */
	return rc;
}

/* The platform a parsed description gives; doc is the caller's. */
static int open_doc(struct lb_ctx *ctx, struct lb_options *doc, struct lb_platform **out)
{
	struct lb_platform *p = calloc(1, sizeof(*p));
	if (!p)
		return LB_E_NOMEM;
	p->ctx = ctx;
	pthread_mutex_init(&p->lock, NULL);
	int rc = build(p, doc);
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

LB_API int lb_platform_open_json(struct lb_ctx *ctx, const char *json, const char *origin,
				 struct lb_platform **out)
{
	if (!ctx || !json || !out)
		return LB_E_INVAL;
	struct lb_options *doc;
	char err[LB_ERROR_MAX];
	int rc = lb_options_parse(json, origin ? origin : "(platform)", &doc, err, sizeof(err));
	if (rc)
		return lb_ctx_error(ctx, rc, "%s", err);
	rc = open_doc(ctx, doc, out);
	lb_options_free(doc);
	return rc;
}

LB_API int lb_platform_open(struct lb_ctx *ctx, const char *path, struct lb_platform **out)
{
	if (!ctx || !out)
		return LB_E_INVAL;
	if (!path)
		return lb_platform_open_json(ctx, lb_platform_default_text, "(embedded default platform)", out);
	struct lb_options *doc;
	char err[LB_ERROR_MAX];
	int rc = lb_options_load(path, &doc, err, sizeof(err));
	if (rc)
		return lb_ctx_error(ctx, rc, "%s", err);
	rc = open_doc(ctx, doc, out);
	lb_options_free(doc);
	return rc;
}

LB_API void lb_platform_close(struct lb_platform *p)
{
	if (!p)
		return;
	/* The switch first: its driver may hold the cages' modules (binding_internal.h). */
	lb_switch_close(p->sw);
	for (unsigned i = 0; i < p->n_ports; i++) {
		lb_sideband_close(p->ports[i].sideband);
		lb_module_close(p->ports[i].module);
		free(p->ports[i].name);
		free(p->ports[i].cage);
		pthread_mutex_destroy(&p->ports[i].probe_lock);
	}
	for (unsigned i = 0; i < p->n_buses; i++) {
		lb_bus_close(p->buses[i].bus);
		free(p->buses[i].name);
	}
	lb_platform_links_free(&p->links);
	free(p->asic_name);
	free(p->asic_driver);
	free(p->asic_options);
	pthread_mutex_destroy(&p->lock);
	free(p->name);
	free(p);
}

LB_API unsigned lb_platform_link_count(const struct lb_platform *p)
{
	return p ? p->links.n : 0;
}

LB_API int lb_platform_link_at(const struct lb_platform *p, unsigned index,
			       struct lb_platform_link *out)
{
	if (!p || lb_sized_check(out, LB_PLATFORM_LINK_SIZE_V1))
		return LB_E_INVAL;
	if (index >= p->links.n)
		return LB_E_RANGE;
	lb_platform_link_fill(&p->links.v[index], out);
	return LB_OK;
}

LB_API int lb_platform_port_link(const struct lb_platform *p, unsigned port,
				 struct lb_platform_link *out)
{
	if (!p || lb_sized_check(out, LB_PLATFORM_LINK_SIZE_V1))
		return LB_E_INVAL;
	for (unsigned k = 0; k < p->links.n; k++)
		if (p->links.v[k].port_a == port || p->links.v[k].port_b == port) {
			lb_platform_link_fill(&p->links.v[k], out);
			return LB_OK;
		}
	return LB_E_NOTFOUND;
}

LB_API const char *lb_platform_name(const struct lb_platform *p)
{
	return p ? p->name : "";
}

/* The context the platform was opened in (hal/platform/platform_ctx.h). */
struct lb_ctx *lb_platform_ctx_of(const struct lb_platform *p)
{
	return p ? p->ctx : NULL;
}

LB_API unsigned lb_platform_port_count(const struct lb_platform *p)
{
	return p ? p->n_ports : 0;
}

LB_API int lb_platform_port_at(const struct lb_platform *p, unsigned index, struct lb_port_info *out)
{
	if (!p || lb_sized_check(out, LB_PORT_INFO_SIZE_V1))
		return LB_E_INVAL;
	if (index >= p->n_ports)
		return LB_E_NOTFOUND;
	LB_SIZED_FILL(out, p->ports[index].info);
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
	if (!p || lb_sized_check(out, LB_PORT_INFO_SIZE_V1))
		return LB_E_INVAL;
	struct platform_port *pp = find_port(p, port);
	if (!pp)
		return LB_E_NOTFOUND;
	LB_SIZED_FILL(out, pp->info);
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
static int probe_presence_locked(struct lb_platform *p, struct platform_port *pp,
				 struct lb_module *m);

static int probe_presence(struct lb_platform *p, struct platform_port *pp, struct lb_module *m)
{
	pthread_mutex_lock(&pp->probe_lock);
	int rc = probe_presence_locked(p, pp, m);
	pthread_mutex_unlock(&pp->probe_lock);
	return rc;
}

static int probe_presence_locked(struct lb_platform *p, struct platform_port *pp,
				 struct lb_module *m)
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
	lb_ctx_clear_error(p->ctx);
	int rc = lb_module_read(m, 0, 0, 0, &id, 1);
	if (rc == LB_E_NODEV) {
		/*
		 * The bus driver says the bus itself is not there (an absent adapter, an unplugged
		 * bridge): not an empty cage, and the detail says so, with the driver's reason.
		 */
		char why[LB_ERROR_MAX];
		snprintf(why, sizeof(why), "%s", lb_ctx_last_error(p->ctx));
		lb_module_invalidate(m);
		return lb_ctx_error(p->ctx, LB_E_NODEV, "port %u: bus %s unreachable%s%s%s",
				    pp->info.port, pp->info.bus, why[0] ? " (" : "", why,
				    why[0] ? ")" : "");
	}
	if (rc == LB_E_NACK) {
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

LB_API int lb_platform_get_stats(const struct lb_platform *p, struct lb_bus_stats *out)
{
	if (!p || lb_sized_check(out, LB_BUS_STATS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_bus_stats sum = LB_BUS_STATS_INIT;
	for (unsigned i = 0; i < p->n_buses; i++) {
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		if (lb_bus_get_stats(p->buses[i].bus, &s))
			continue;
		sum.transactions += s.transactions;
		sum.bytes += s.bytes;
		sum.errors += s.errors;
		sum.select_writes += s.select_writes;
		sum.reads += s.reads;
		sum.writes += s.writes;
		sum.bus_time_ns += s.bus_time_ns;
		sum.busy_nacks += s.busy_nacks;
		if (s.max_read_len > sum.max_read_len)
			sum.max_read_len = s.max_read_len;
	}
	LB_SIZED_FILL(out, sum);
	return LB_OK;
}
