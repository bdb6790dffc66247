/* SPDX-License-Identifier: MIT */
/*
 * Coherent links between modules of an emulated bus (docs/emulator.md, "Coherent links"):
 * the bus options' "links" array, each entry joining two of the bus's modules by a path of
 * the link model (lb_emu_link_create):
 *   "links": [{"name": "tokyo-osaka", "a": {"channel": 0}, "b": {"channel": 1, "addr": 80},
 *              "path": "tokyo-osaka-500km", "seed": 7, "interval_ms": 100,
 *              "media_modes": [{"media_id": "0x6C", "mode": "800g-16qam-118"}]}]
 * A path without '/' is DATADIR/link/paths/NAME.json; the modes are DATADIR/link/modes.json.
 * A platform file's top-level "links" (ports joined by a path) arrive here as these.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emulator_bus.h"

static const char *const link_keys[] = { "name", "a", "b", "path", "seed", "interval_ms",
					 "media_modes", "ports", "description", "comment", "_*",
					 NULL };
static const char *const end_keys[] = { "channel", "addr", "port", NULL };
static const char *const media_keys[] = { "media_id", "mode", "comment", NULL };

/* The module at one end ("a" or "b") of entry e. */
static int find_end(struct emu_bus *b, const struct lb_options *e, const char *key,
		    struct lb_emu_module **m)
{
	const struct lb_options *o;
	int64_t ch, addr;
	int rc;
	if ((rc = lb_options_require(e, key)) || (rc = lb_options_get_object(e, key, &o)) ||
	    (rc = lb_options_check_keys(o, end_keys)) ||
	    (rc = lb_options_get_int(o, "channel", -1, 7, -1, &ch)) ||
	    (rc = lb_options_get_int(o, "addr", 0x08, 0x77, 0x50, &addr)))
		return rc;
	/* Restored now from a saved state: each end reads the other's settings at once. */
	if ((*m = emu_bus_module_at(b, (int)ch, (uint16_t)addr)))
		return LB_OK;
	return lb_options_fail(e, key, LB_E_PARSE, "no module of this bus at channel %d address 0x%02x",
			       (int)ch, (unsigned)addr);
}

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

static int get_opts(const struct lb_options *e, const struct lb_line_modes *modes,
		    struct lb_emu_link_opts *o)
{
	int64_t seed, interval;
	const struct lb_options *list;
	size_t n;
	int rc;
	if ((rc = lb_options_get_int(e, "seed", 0, INT64_MAX, 0, &seed)) ||
	    (rc = lb_options_get_int(e, "interval_ms", 0, 60000, 0, &interval)) ||
	    (rc = lb_options_get_array(e, "media_modes", 0, LB_EMU_LINK_MAX_MEDIA_MODES, &list, &n)))
		return rc;
	o->seed = (uint64_t)seed;
	o->interval_ns = (uint64_t)interval * 1000000u;
	o->media_mode_count = (unsigned)n;
	for (size_t k = 0; k < n; k++) {
		const struct lb_options *mm;
		if ((rc = lb_options_at(list, k, NULL, &mm)) || (rc = lb_options_get_object(mm, NULL, &mm)) ||
		    (rc = lb_options_check_keys(mm, media_keys)) ||
		    (rc = get_media_id(mm, &o->media_modes[k].media_id)) ||
		    (rc = lb_options_require(mm, "mode")) ||
		    (rc = lb_options_get_string_buf(mm, "mode", NULL, o->media_modes[k].mode,
						    sizeof(o->media_modes[k].mode))))
			return rc;
		if (!lb_line_modes_find(modes, o->media_modes[k].mode))
			return lb_options_fail(mm, "mode", LB_E_NOTFOUND, "\"%s\" is not a line mode of %s",
					       o->media_modes[k].mode, "link/modes.json");
	}
	return LB_OK;
}

/* The path file a link names: DATADIR/link/paths/NAME.json, or a file name with a '/'. */
static int load_path(struct emu_bus *b, const struct lb_options *e, struct lb_link_path *path)
{
	const char *name;
	int rc;
	if ((rc = lb_options_require(e, "path")) || (rc = lb_options_get_string(e, "path", NULL, &name)))
		return rc;
	char file[4096], err[512] = "";
	if (!*name)
		return lb_options_fail(e, "path", LB_E_PARSE, "empty");
	if (strchr(name, '/'))
		snprintf(file, sizeof(file), "%s", name);
	else
		snprintf(file, sizeof(file), "%s/link/paths/%s.json", b->env->data_dir ? b->env->data_dir : ".",
			 name);
	if ((rc = lb_link_path_load(file, path, err, sizeof(err))))
		return lb_options_fail(e, "path", rc, "%s", err);
	return LB_OK;
}

static int add_link(struct emu_bus *b, const struct lb_options *list, size_t k,
		    const struct lb_line_modes *modes)
{
	const struct lb_options *e;
	struct lb_emu_module *ma = NULL, *mb = NULL;
	struct lb_emu_link_opts o = LB_EMU_LINK_OPTS_INIT;
	struct lb_link_path path;
	int rc;
	if ((rc = lb_options_at(list, k, NULL, &e)) || (rc = lb_options_get_object(e, NULL, &e)) ||
	    (rc = lb_options_check_keys(e, link_keys)) || (rc = find_end(b, e, "a", &ma)) ||
	    (rc = find_end(b, e, "b", &mb)) || (rc = get_opts(e, modes, &o)) ||
	    (rc = load_path(b, e, &path)))
		return rc;
	if (ma == mb)
		return lb_options_fail(e, "b", LB_E_PARSE, "the same module as \"a\"");
	rc = lb_emu_link_create(b->shared->world, ma, mb, &path, modes, &o, &b->links[b->n_links]);
	if (rc == LB_E_EXISTS)
		return lb_options_fail(e, NULL, rc, "a module already joined by another link");
	if (rc)
		return lb_options_fail(e, NULL, rc, "the link cannot be made (%s)", lb_strerror(rc));
	b->n_links++;
	return LB_OK;
}

int emu_bus_links_open(struct emu_bus *b, const struct lb_options *options)
{
	const struct lb_options *list;
	size_t n;
	int rc = lb_options_get_array(options, "links", 0, EMU_MAX_LINKS, &list, &n);
	if (rc || n == 0)
		return rc;
	char file[4096], err[512] = "";
	snprintf(file, sizeof(file), "%s/link/modes.json", b->env->data_dir ? b->env->data_dir : ".");
	struct lb_line_modes modes;
	if ((rc = lb_line_modes_load(file, &modes, err, sizeof(err))))
		return lb_options_fail(options, "links", rc, "%s", err);
	for (size_t k = 0; rc == LB_OK && k < n; k++)
		rc = add_link(b, list, k, &modes);
	lb_line_modes_free(&modes);
	return rc;
}

void emu_bus_links_close(struct emu_bus *b)
{
	for (unsigned i = 0; i < b->n_links; i++)
		lb_emu_link_destroy(b->links[i]);
	b->n_links = 0;
}
