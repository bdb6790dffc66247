/* SPDX-License-Identifier: MIT */
/*
 * A platform file's top-level "links": two ports joined by a fibre path (docs/link-paths.md,
 * "Joining two ports"):
 *   "links": [{"name": "tokyo-osaka", "ports": [1, 2], "path": "tokyo-osaka-500km",
 *              "seed": 7, "interval_ms": 100, "media_modes": [...]}]
 * Read before the buses open: a link between two ports of one emulator bus goes into that
 * bus's options as the emulator's own "links" entry (drivers/bus/emulator/emulator_links.c),
 * which joins the two modules; the platform keeps every link for lb_platform_port_link().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "hal/abi/sized.h"
#include "hal/platform/platform_links.h"
#include "util/options_internal.h"

#define PLATFORM_MAX_LINKS 128

static const char *const link_keys[] = { "name", "ports", "path", "seed", "interval_ms",
					 "media_modes", "description", "comment", "_*", NULL };

/* Where a port of the file sits: its raw entry (NULL if no entry has that number). */
struct raw_port {
	const struct lb_options *entry;
	const char *bus;
	int64_t addr, channel;
	bool mux_path;
};

static int find_port(const struct lb_options *root, const struct lb_options *at, int64_t port,
		     struct raw_port *out)
{
	const struct lb_options *ports, *jp;
	size_t n;
	int rc = lb_options_get_array(root, "ports", 0, SIZE_MAX, &ports, &n);
	if (rc)
		return rc;
	for (size_t k = 0; k < n; k++) {
		int64_t v;
		if (lb_options_at(ports, k, NULL, &jp) || lb_options_get_object(jp, NULL, &jp) ||
		    lb_options_get_int(jp, "port", 1, 65535, 0, &v) || v != port)
			continue; /* a bad port entry is the port reader's to refuse */
		out->entry = jp;
		out->mux_path = lb_options_has(jp, "mux_path");
		if (lb_options_get_string(jp, "bus", "", &out->bus) ||
		    lb_options_get_int(jp, "addr", 0x08, 0x77, 0x50, &out->addr) ||
		    lb_options_get_int(jp, "mux_channel", -1, 7, -1, &out->channel))
			return LB_E_PARSE;
		return LB_OK;
	}
	return lb_options_fail(at, "ports", LB_E_PARSE, "port %lld is not a port of this platform",
			       (long long)port);
}

/* The raw bus entry named name, or NULL. */
static const struct lb_options *find_bus(const struct lb_options *root, const char *name)
{
	const struct lb_options *buses, *jb;
	const char *bn;
	size_t n;
	if (lb_options_get_array(root, "buses", 0, SIZE_MAX, &buses, &n))
		return NULL;
	for (size_t k = 0; k < n; k++)
		if (!lb_options_at(buses, k, NULL, &jb) && !lb_options_get_object(jb, NULL, &jb) &&
		    !lb_options_get_string(jb, "name", "", &bn) && strcmp(bn, name) == 0)
			return jb;
	return NULL;
}

static json_t *end_json(const struct raw_port *rp)
{
	return json_pack("{s:I, s:I}", "channel", (json_int_t)rp->channel, "addr", (json_int_t)rp->addr);
}

/* Add the emulator's "links" entry for e to bus jb's options. */
static int hand_to_emulator(const struct lb_options *e, const struct lb_options *jb,
			    const struct raw_port *a, const struct raw_port *b, const char *name)
{
	json_t *bus = lb_options_node(jb), *opts = json_object_get(bus, "options");
	if (!opts) {
		if (json_object_set_new(bus, "options", json_object()))
			return LB_E_NOMEM;
		opts = json_object_get(bus, "options");
	}
	if (!json_is_object(opts))
		return LB_E_PARSE; /* the bus reader refuses it */
	json_t *links = json_object_get(opts, "links");
	if (!links) {
		if (json_object_set_new(opts, "links", json_array()))
			return LB_E_NOMEM;
		links = json_object_get(opts, "links");
	}
	if (!json_is_array(links))
		return LB_E_PARSE;
	json_t *src = lb_options_node(e);
	json_t *entry = json_pack("{s:s, s:o, s:o, s:O}", "name", name, "a", end_json(a), "b",
				  end_json(b), "path", json_object_get(src, "path"));
	if (!entry)
		return LB_E_NOMEM;
	static const char *const copied[] = { "seed", "interval_ms", "media_modes" };
	for (size_t k = 0; k < sizeof(copied) / sizeof(copied[0]); k++) {
		json_t *v = json_object_get(src, copied[k]);
		if (v && json_object_set_new(entry, copied[k], json_deep_copy(v))) {
			json_decref(entry);
			return LB_E_NOMEM;
		}
	}
	return json_array_append_new(links, entry) ? LB_E_NOMEM : LB_OK;
}

static const char *const media_keys[] = { "media_id", "mode", "comment", NULL };

/* "0x6C", "6Ch" or 108. */
static int get_media_id(const struct lb_options *o, uint8_t *out)
{
	int rc = lb_options_require(o, "media_id");
	if (rc)
		return rc;
	if (lb_options_type(o, "media_id") == LB_OPTIONS_STRING) {
		const char *s;
		char *end;
		if ((rc = lb_options_get_string(o, "media_id", NULL, &s)))
			return rc;
		unsigned long v = strtoul(s, &end, 16);
		if (end == s || (*end && strcmp(end, "h") != 0) || v > 0xFF)
			return lb_options_fail(o, "media_id", LB_E_PARSE,
					       "\"%s\" is not a media interface code (00h-FFh)", s);
		*out = (uint8_t)v;
		return LB_OK;
	}
	int64_t v;
	if ((rc = lb_options_get_int(o, "media_id", 0, 0xFF, 0, &v)))
		return rc;
	*out = (uint8_t)v;
	return LB_OK;
}

/* "media_modes" into l (the mode ids are checked against the table by whoever loads it). */
static int get_media_modes(const struct lb_options *e, struct platform_link *l)
{
	const struct lb_options *list, *mm;
	size_t n;
	const char *mode;
	int rc = lb_options_get_array(e, "media_modes", 0, LB_PLATFORM_LINK_MAX_MEDIA_MODES, &list, &n);
	for (size_t k = 0; rc == LB_OK && k < n; k++) {
		if ((rc = lb_options_at(list, k, NULL, &mm)) || (rc = lb_options_get_object(mm, NULL, &mm)) ||
		    (rc = lb_options_check_keys(mm, media_keys)) || (rc = get_media_id(mm, &l->media_id[k])) ||
		    (rc = lb_options_require(mm, "mode")) || (rc = lb_options_get_string(mm, "mode", NULL, &mode)))
			break;
		if (!*mode || strlen(mode) >= 48)
			rc = lb_options_fail(mm, "mode", LB_E_PARSE, "not a line mode id");
		else if (!(l->media_mode[k] = strdup(mode)))
			rc = LB_E_NOMEM;
		else
			l->media_mode_count++;
	}
	return rc;
}

static void link_free(struct platform_link *l)
{
	free(l->name);
	free(l->path);
	for (unsigned k = 0; k < l->media_mode_count; k++)
		free(l->media_mode[k]);
	memset(l, 0, sizeof(*l));
}

static bool taken(const struct platform_links *out, unsigned port)
{
	for (unsigned k = 0; k < out->n; k++)
		if (out->v[k].port_a == port || out->v[k].port_b == port)
			return true;
	return false;
}

static int prepare_one(const struct lb_options *root, const struct lb_options *list, size_t k,
		       struct platform_links *out)
{
	const struct lb_options *e, *pl, *pe;
	const char *name, *path;
	size_t np;
	int64_t ends[2];
	struct raw_port rp[2];
	int rc;
	if ((rc = lb_options_at(list, k, NULL, &e)) || (rc = lb_options_get_object(e, NULL, &e)) ||
	    (rc = lb_options_check_keys(e, link_keys)) || (rc = lb_options_require(e, "ports")) ||
	    (rc = lb_options_get_array(e, "ports", 2, 2, &pl, &np)) || (rc = lb_options_require(e, "path")) ||
	    (rc = lb_options_get_string(e, "path", NULL, &path)) ||
	    (rc = lb_options_get_string(e, "name", NULL, &name)))
		return rc;
	if (np != 2)
		return lb_options_fail(e, "ports", LB_E_PARSE, "two ports, one at each end");
	if (!*path)
		return lb_options_fail(e, "path", LB_E_PARSE, "empty");
	for (size_t i = 0; i < 2; i++) {
		if ((rc = lb_options_at(pl, i, NULL, &pe)) ||
		    (rc = lb_options_get_int(pe, NULL, 1, 65535, 0, &ends[i])) ||
		    (rc = find_port(root, e, ends[i], &rp[i])))
			return rc;
		if (taken(out, (unsigned)ends[i]))
			return lb_options_fail(e, "ports", LB_E_PARSE, "port %lld is an end of another link",
					       (long long)ends[i]);
	}
	if (ends[0] == ends[1])
		return lb_options_fail(e, "ports", LB_E_PARSE, "a port joined to itself");
	char defname[32];
	snprintf(defname, sizeof(defname), "%lld-%lld", (long long)ends[0], (long long)ends[1]);
	if (!name || !*name)
		name = defname;
	const struct lb_options *jb = find_bus(root, rp[0].bus);
	const char *driver = "";
	if (jb)
		lb_options_get_string(jb, "driver", "", &driver);
	if (jb && strcmp(driver, "emulator") == 0) {
		if (strcmp(rp[0].bus, rp[1].bus) != 0)
			return lb_options_fail(e, "ports", LB_E_PARSE,
					       "ports %lld and %lld are on buses %s and %s: an emulated "
					       "link joins two modules of one bus",
					       (long long)ends[0], (long long)ends[1], rp[0].bus, rp[1].bus);
		if (rp[0].mux_path || rp[1].mux_path)
			return lb_options_fail(e, "ports", LB_E_PARSE,
					       "a port behind two muxes (mux_path) cannot be an end of an "
					       "emulated link");
		if ((rc = hand_to_emulator(e, jb, &rp[0], &rp[1], name)))
			return rc == LB_E_NOMEM ? rc : lb_options_fail(e, NULL, rc, "the bus's options are not an object");
	}
	/* Built whole here, then stored in one piece (gcc's analyzer loses track of pointers
	 * stored field by field into an element at a computed index, and reports leaks). */
	struct platform_link l;
	memset(&l, 0, sizeof(l));
	if ((rc = get_media_modes(e, &l))) {
		link_free(&l);
		return rc;
	}
	l.name = strdup(name);
	l.path = strdup(path);
	if (!l.name || !l.path) {
		link_free(&l);
		return LB_E_NOMEM;
	}
	l.port_a = (unsigned)ends[0];
	l.port_b = (unsigned)ends[1];
	out->v[out->n++] = l;
	return LB_OK;
}

int lb_platform_links_prepare(const struct lb_options *root, struct platform_links *out)
{
	const struct lb_options *list;
	size_t n;
	int rc = lb_options_get_array(root, "links", 0, PLATFORM_MAX_LINKS, &list, &n);
	if (rc || n == 0)
		return rc;
	if (!(out->v = calloc(n, sizeof(*out->v))))
		return LB_E_NOMEM;
	for (size_t k = 0; rc == LB_OK && k < n; k++)
		rc = prepare_one(root, list, k, out);
	return rc;
}

void lb_platform_links_free(struct platform_links *l)
{
	for (unsigned k = 0; k < l->n; k++)
		link_free(&l->v[k]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void lb_platform_link_fill(const struct platform_link *l, struct lb_platform_link *out)
{
	struct lb_platform_link full = LB_PLATFORM_LINK_INIT;
	full.name = l->name;
	full.port_a = l->port_a;
	full.port_b = l->port_b;
	full.path = l->path;
	full.media_mode_count = l->media_mode_count;
	for (unsigned k = 0; k < l->media_mode_count; k++) {
		full.media_id[k] = l->media_id[k];
		full.media_mode[k] = l->media_mode[k];
	}
	LB_SIZED_FILL(out, full);
}
