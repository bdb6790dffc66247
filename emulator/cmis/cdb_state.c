/* SPDX-License-Identifier: MIT */
/*
 * The emulated module's firmware in its saved state (emu_cdb_state.h): images A, B and factory
 * (valid, major, minor, build, extra), the running and the committed image, the image the
 * next power-on boots, a Run's pending reset, whether a host password was entered, and the CDB
 * command in flight (its block, phase and times: restored, it completes as it would have). A
 * download in flight is not saved: the image it was writing was marked invalid at Start and
 * stays so, and its next Write is refused (not in a download).
 */
#include <string.h>
#include <lightbridge/status.h>
#include "emulator/cmis/emu_cdb_state.h"
#include "emulator/cmis/emu_page.h"

#define MS 1000000ull
/* A Run's reset is due within its delay (16 bits of ms) of the command; so is a command's end
 * (the longest: Query status with a 16-bit ResponseDelay), unless it never ends (injected). */
#define RUN_HORIZON_NS (65536ull * MS)
#define NEVER INT64_MAX

static struct emu_cdb *cdb_of(const struct lb_emu_module *m)
{
	const struct emu_page_slot *sl = &m->pages.slot[m->pages.of[0x9F + 1]];
	if (sl->h != &emu_page_cdb || !sl->priv || !emu_page_exists(m, 0, 0x9F))
		return NULL;
	return sl->priv;
}

static json_t *ns_json(uint64_t ns)
{
	return json_integer(ns > NEVER ? NEVER : (json_int_t)ns);
}

static json_t *hex_json(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char buf[2 * 128 + 1];
	for (size_t i = 0; i < n && i < 128; i++) {
		buf[2 * i] = digits[p[i] >> 4];
		buf[2 * i + 1] = digits[p[i] & 0xF];
	}
	buf[2 * (n < 128 ? n : 128)] = '\0';
	return json_string(buf);
}

static bool hex_of(const json_t *v, uint8_t *out, size_t n)
{
	if (!json_is_string(v) || json_string_length(v) != 2 * n)
		return false;
	const char *s = json_string_value(v);
	for (size_t i = 0; i < 2 * n; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
		if (d < 0)
			return false;
		out[i / 2] = (uint8_t)(i % 2 ? out[i / 2] | d : d << 4);
	}
	return true;
}

json_t *emu_cdb_state_save(const struct lb_emu_module *m)
{
	const struct emu_cdb *c = cdb_of(m);
	if (!c || !c->fw_known)
		return NULL;
	json_t *images = json_array();
	for (unsigned i = 0; images && i < 3; i++) {
		const struct emu_fw_image *im = &c->image[i];
		char extra[sizeof(im->extra) + 1];
		memcpy(extra, im->extra, sizeof(im->extra));
		extra[sizeof(im->extra)] = '\0';
		json_array_append_new(images, json_pack("{s:b, s:i, s:i, s:i, s:s}", "valid", im->valid,
							"major", (int)im->major, "minor", (int)im->minor,
							"build", (int)im->build, "extra", extra));
	}
	json_t *o = json_pack("{s:o, s:i, s:i, s:i, s:b}", "images", images, "running", c->running,
			      "committed", c->committed, "boot_next", c->boot_next, "password_ok",
			      c->password_ok);
	if (!o)
		return NULL;
	json_object_set_new(o, "run_at_ns", ns_json(c->run_at));
	if (c->phase != EMU_CDB_IDLE) {
		json_t *cmd = json_pack("{s:i}", "phase", (int)c->phase);
		if (cmd) {
			json_object_set_new(cmd, "started_ns", ns_json(c->started));
			json_object_set_new(cmd, "due_ns", ns_json(c->due));
			json_object_set_new(cmd, "block", hex_json(c->block, sizeof(c->block)));
		}
		json_object_set_new(o, "command", cmd);
	}
	return o;
}

static bool small(const json_t *o, const char *key, json_int_t lo, json_int_t hi, json_int_t *out)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi)
		return false;
	*out = json_integer_value(v);
	return true;
}

static bool image_of(const json_t *o, struct emu_fw_image *im)
{
	json_int_t major, minor, build;
	const json_t *valid = json_object_get(o, "valid"), *extra = json_object_get(o, "extra");
	if (!json_is_object(o) || json_object_size(o) != 5 || !json_is_boolean(valid) ||
	    !small(o, "major", 0, 255, &major) || !small(o, "minor", 0, 255, &minor) ||
	    !small(o, "build", 0, 65535, &build) || !json_is_string(extra) ||
	    json_string_length(extra) > sizeof(im->extra))
		return false;
	const char *s = json_string_value(extra);
	for (size_t i = 0; s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7E)
			return false; /* the module stores printable ASCII */
	memset(im, 0, sizeof(*im));
	im->valid = json_is_true(valid);
	im->major = (uint8_t)major;
	im->minor = (uint8_t)minor;
	im->build = (uint16_t)build;
	memcpy(im->extra, s, json_string_length(extra));
	return true;
}

int emu_cdb_state_parse(const struct lb_emu_module *m, const json_t *o, uint64_t t,
			struct emu_cdb_saved *out)
{
	memset(out, 0, sizeof(*out));
	if (!o)
		return LB_OK; /* saved before the firmware was, or never set up */
	const json_t *images = json_object_get(o, "images"), *run_at = json_object_get(o, "run_at_ns");
	const json_t *password = json_object_get(o, "password_ok"), *cmd = json_object_get(o, "command");
	json_int_t running, committed, boot_next;
	if (!cdb_of(m) || !json_is_object(o) || json_object_size(o) != (cmd ? 7u : 6u) ||
	    !json_is_boolean(password) || !json_is_array(images) ||
	    json_array_size(images) != 3 || !small(o, "running", 0, 2, &running) ||
	    !small(o, "committed", 0, 1, &committed) || !small(o, "boot_next", -1, 2, &boot_next) ||
	    !json_is_integer(run_at) || json_integer_value(run_at) < 0)
		return LB_E_PARSE;
	for (unsigned i = 0; i < 3; i++)
		if (!image_of(json_array_get(images, i), &out->image[i]))
			return LB_E_PARSE;
	out->running = (int)running;
	out->committed = (int)committed;
	out->boot_next = (int)boot_next;
	out->run_at = (uint64_t)json_integer_value(run_at);
	out->password_ok = json_is_true(password);
	if (cmd) {
		json_int_t phase, started, due;
		if (!json_is_object(cmd) || json_object_size(cmd) != 4 ||
		    !small(cmd, "phase", EMU_CDB_CAPTURED, EMU_CDB_EXECUTING, &phase) ||
		    /* a command starts at the STOP of its trigger write: at most that much ahead */
		    !small(cmd, "started_ns", 0, (json_int_t)(t + RUN_HORIZON_NS), &started) ||
		    !small(cmd, "due_ns", 0, NEVER, &due) ||
		    !hex_of(json_object_get(cmd, "block"), out->block, sizeof(out->block)))
			return LB_E_PARSE;
		/* a command ends within the longest a command takes of the module's time, or never */
		if (due != NEVER && (uint64_t)due > t + RUN_HORIZON_NS)
			return LB_E_PARSE;
		out->phase = (enum emu_cdb_phase)phase;
		out->started = (uint64_t)started;
		out->due = due == NEVER ? UINT64_MAX : (uint64_t)due;
	}
	/*
	 * What the module would never have: a running or a chosen image that is not valid (a
	 * power-on falls back to the factory image, which is always valid), a Run pending without
	 * an image chosen, or one due further ahead than Run's longest delay.
	 */
	if (!out->image[2].valid || !out->image[out->running].valid ||
	    (out->boot_next >= 0 && !out->image[out->boot_next].valid) ||
	    (out->run_at && (out->boot_next < 0 || out->run_at > t + RUN_HORIZON_NS)))
		return LB_E_PARSE;
	out->present = true;
	return LB_OK;
}

void emu_cdb_state_restore(struct lb_emu_module *m, const struct emu_cdb_saved *in)
{
	struct emu_cdb *c = cdb_of(m);
	if (!c || !in->present)
		return;
	/*
	 * The handler's own state first (made at its first power-on). Called before the saved
	 * memory is copied back: what the power-on writes there (CdbStatus, the versions in lower
	 * 39-40 and 01h:128-129) is then overwritten by what was saved.
	 */
	if (!c->fw_known)
		emu_cdb_power_on(m, c);
	memcpy(c->image, in->image, sizeof(c->image));
	c->running = in->running;
	c->committed = in->committed;
	c->boot_next = in->boot_next;
	c->run_at = in->run_at;
	c->in_transfer = false;
	c->password_ok = in->password_ok;
	c->in_write = false;
	c->phase = in->phase;
	c->started = in->started;
	c->due = in->phase == EMU_CDB_IDLE ? UINT64_MAX : in->due;
	memcpy(c->block, in->block, sizeof(c->block));
	/* foreground mode (01h:163 bit 5 clear): the module holds off the bus until it is done */
	const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
	if (in->phase != EMU_CDB_IDLE && p01 && !(p01[EMU_P(163)] & 0x20))
		m->hold_off_until = c->due;
	c->fw_known = true;
}
