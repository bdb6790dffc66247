/* SPDX-License-Identifier: MIT */
/*
 * A segment and its modules from a bus's options JSON: the one reader of that object, used
 * by the emulator bus driver and by lb-emud alike.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include <lightbridge/emulator.h>

__attribute__((format(printf, 3, 4)))
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (err && errlen)
		vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return LB_E_PARSE;
}

/* Integer field in [lo, hi], checked as a JSON integer: a cast first would wrap 2^32 to 0. */
static int get_int(json_t *obj, const char *key, json_int_t lo, json_int_t hi, json_int_t dflt,
		   json_int_t *out)
{
	json_t *v = json_object_get(obj, key);
	if (!v) {
		*out = dflt;
		return 0;
	}
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return -1;
	*out = json_integer_value(v);
	return 0;
}

static void resolve_source(const char *data_dir, bool profile, const char *name, char *out,
			   size_t len)
{
	if (!profile || strchr(name, '/') || !data_dir)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%s/emulator/profiles/%s%s", data_dir, name,
			 strstr(name, ".json") ? "" : ".json");
}

static int place_module(struct lb_emu_world *w, struct lb_emu_segment *seg, json_t *jm, size_t index,
			const char *data_dir, struct lb_emu_placement *p, char *err, size_t errlen)
{
	if (!json_is_object(jm))
		return bad(err, errlen, "modules[%zu]: not an object", index);
	json_int_t ch, ad;
	if (get_int(jm, "channel", -1, 7, -1, &ch))
		return bad(err, errlen, "modules[%zu].channel: must be an integer -1..7", index);
	if (get_int(jm, "addr", 0, 0x7F, 0x50, &ad))
		return bad(err, errlen, "modules[%zu].addr: must be a 7-bit address", index);
	json_t *jp = json_object_get(jm, "profile"), *ji = json_object_get(jm, "image");
	if (json_is_string(jp) == json_is_string(ji))
		return bad(err, errlen, "modules[%zu]: give exactly one of \"profile\" or \"image\"", index);
	p->channel = (int)ch;
	p->addr = (uint16_t)ad;
	resolve_source(data_dir, jp != NULL, json_string_value(jp ? jp : ji), p->source,
		       sizeof(p->source));
	char why[512] = "";
	int rc = jp ? lb_emu_module_create(w, p->source, &p->module, why, sizeof(why))
		    : lb_emu_module_create_from_image(w, p->source, &p->module, why, sizeof(why));
	if (rc) {
		p->module = NULL;
		if (err && errlen)
			snprintf(err, errlen, "modules[%zu]: %s", index, why[0] ? why : lb_strerror(rc));
		return rc;
	}
	if (lb_emu_segment_attach(seg, p->channel, p->addr, p->module)) {
		lb_emu_module_destroy(p->module);
		p->module = NULL;
		return bad(err, errlen, "modules[%zu]: address already taken on this bus or mux channel",
			   index);
	}
	return LB_OK;
}

LB_API int lb_emu_segment_create_from_json(struct lb_emu_world *w, const char *options_json,
					   const char *data_dir, struct lb_emu_segment **out,
					   struct lb_emu_placement *placed, unsigned max,
					   unsigned *n, char *err, size_t errlen)
{
	if (!w || !options_json || !out || !n || (max && !placed))
		return LB_E_INVAL;
	*n = 0;
	json_error_t jerr;
	json_t *o = json_loads(options_json, 0, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		return bad(err, errlen, "(options): not a JSON object");
	}
	json_t *jm = json_object_get(o, "modules");
	json_int_t khz, mux;
	int rc = LB_OK;
	if (get_int(o, "clock_khz", 1, UINT32_MAX, 400, &khz))
		rc = bad(err, errlen, "clock_khz: must be 100, 400 or 1000");
	else if (get_int(o, "mux_addr", -1, 0x7F, -1, &mux))
		rc = bad(err, errlen, "mux_addr: must be a 7-bit address");
	else if (jm && !json_is_array(jm))
		rc = bad(err, errlen, "modules: not an array");
	else if (json_array_size(jm) > max)
		rc = bad(err, errlen, "modules: more than %u on one bus", max);
	else if (lb_emu_segment_create(w, (uint32_t)khz, out))
		rc = bad(err, errlen, "clock_khz: must be 100, 400 or 1000");
	else if (mux >= 0 && lb_emu_segment_add_mux(*out, (uint16_t)mux))
		rc = bad(err, errlen, "mux_addr: cannot add a mux there");
	for (size_t i = 0; rc == LB_OK && i < json_array_size(jm); i++) {
		rc = place_module(w, *out, json_array_get(jm, i), i, data_dir, &placed[i], err, errlen);
		if (rc == LB_OK)
			(*n)++;
	}
	if (rc) {
		for (unsigned i = 0; i < *n; i++)
			lb_emu_module_destroy(placed[i].module);
		*n = 0;
	}
	json_decref(o);
	return rc;
}
