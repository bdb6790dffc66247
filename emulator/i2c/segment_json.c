/* SPDX-License-Identifier: MIT */
/*
 * A segment and its modules from a bus's options object: the one reader of that object, used
 * by the emulator bus driver and by lb-emud alike, through the options reader (errors as
 * "ORIGIN: FIELD: reason" in the options' document).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/emulator.h>
#include <lightbridge/options.h>

static void resolve_source(const char *data_dir, bool profile, const char *name, char *out,
			   size_t len)
{
	if (!profile || strchr(name, '/') || !data_dir)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "%s/emulator/profiles/%s%s", data_dir, name,
			 strstr(name, ".json") ? "" : ".json");
}

static int place_module(struct lb_emu_world *w, struct lb_emu_segment *seg,
			const struct lb_options *list, size_t index, const char *data_dir,
			struct lb_emu_placement *p)
{
	static const char *const keys[] = { "channel", "addr", "profile", "image", "description",
					    "comment", "_*", NULL };
	const struct lb_options *jm;
	int64_t ch, ad;
	const char *profile, *image;
	int rc;
	/* Ranges are checked on the JSON integer: a cast first would wrap 2^32 to 0. */
	if ((rc = lb_options_at(list, index, NULL, &jm)) || (rc = lb_options_get_object(jm, NULL, &jm)) ||
	    (rc = lb_options_check_keys(jm, keys)) ||
	    (rc = lb_options_get_int(jm, "channel", -1, 7, -1, &ch)) ||
	    (rc = lb_options_get_int(jm, "addr", 0, 0x7F, 0x50, &ad)) ||
	    (rc = lb_options_get_string(jm, "profile", NULL, &profile)) ||
	    (rc = lb_options_get_string(jm, "image", NULL, &image)))
		return rc;
	if (!profile == !image)
		return lb_options_fail(jm, NULL, LB_E_PARSE, "give exactly one of \"profile\" or \"image\"");
	p->channel = (int)ch;
	p->addr = (uint16_t)ad;
	resolve_source(data_dir, profile != NULL, profile ? profile : image, p->source, sizeof(p->source));
	char why[768] = "";
	rc = profile ? lb_emu_module_create(w, p->source, &p->module, why, sizeof(why))
		     : lb_emu_module_create_from_image(w, p->source, &p->module, why, sizeof(why));
	if (rc) {
		p->module = NULL;
		return lb_options_fail(jm, NULL, rc, "%s", why[0] ? why : lb_strerror(rc));
	}
	if (lb_emu_segment_attach(seg, p->channel, p->addr, p->module)) {
		lb_emu_module_destroy(p->module);
		p->module = NULL;
		return lb_options_fail(jm, NULL, LB_E_EXISTS,
				       "address already taken on this bus or mux channel");
	}
	return LB_OK;
}

LB_API int lb_emu_segment_create_from_options(struct lb_emu_world *w, const struct lb_options *options,
					      const char *data_dir, struct lb_emu_segment **out,
					      struct lb_emu_placement *placed, unsigned max, unsigned *n)
{
	if (!w || !options || !out || !n || (max && !placed))
		return LB_E_INVAL;
	*n = 0;
	const struct lb_options *o, *list;
	uint32_t khz;
	int64_t mux;
	size_t count;
	int rc;
	if ((rc = lb_options_get_object(options, NULL, &o)) ||
	    (rc = lb_options_get_u32(o, "clock_khz", 1, UINT32_MAX, 400, &khz)) ||
	    (rc = lb_options_get_int(o, "mux_addr", -1, 0x7F, -1, &mux)) ||
	    (rc = lb_options_get_array(o, "modules", 0, max, &list, &count)))
		return rc;
	if (lb_emu_segment_create(w, khz, out))
		return lb_options_fail(o, "clock_khz", LB_E_RANGE, "%u kHz: must be 100, 400 or 1000", khz);
	if (mux >= 0 && lb_emu_segment_add_mux(*out, (uint16_t)mux))
		return lb_options_fail(o, "mux_addr", LB_E_RANGE, "cannot add a mux there");
	for (size_t i = 0; rc == LB_OK && i < count; i++) {
		rc = place_module(w, *out, list, i, data_dir, &placed[i]);
		if (rc == LB_OK)
			(*n)++;
	}
	if (rc) {
		for (unsigned i = 0; i < *n; i++)
			lb_emu_module_destroy(placed[i].module);
		*n = 0;
	}
	return rc;
}
