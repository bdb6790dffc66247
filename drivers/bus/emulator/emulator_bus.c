/* SPDX-License-Identifier: MIT */
/*
 * Bus driver over an emulated segment. Either the user hands in a segment of their own
 * world (tests), or the options describe the modules plugged into this bus (platforms):
 *   {"name": "i2c0", "clock_khz": 400, "mux_addr": 112,
 *    "modules": [{"channel": 0, "addr": 80, "profile": "coherent-800g-qsfpdd"},
 *                {"channel": 1, "image": "/path/to/dump.txt"}]}
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include "emulator_bus.h"

static int bad_options(struct emu_bus *b, const char *field, const char *why)
{
	lb_driver_log(b->env, LB_LOG_ERR, "emulator bus %s: options: %s: %s", b->name, field, why);
	return LB_E_PARSE;
}

static void resolve_source(const struct lb_driver_env *env, const char *kind, const char *name,
			   char *out, size_t len)
{
	if (strchr(name, '/') || !env->data_dir)
		snprintf(out, len, "%s", name);
	else if (strcmp(kind, "profile") == 0)
		snprintf(out, len, "%s/emulator/profiles/%s%s", env->data_dir, name,
			 strstr(name, ".json") ? "" : ".json");
	else
		snprintf(out, len, "%s", name);
}

static int add_module(struct emu_bus *b, json_t *jm, size_t index)
{
	char field[64];
	snprintf(field, sizeof(field), "modules[%zu]", index);
	if (!json_is_object(jm))
		return bad_options(b, field, "not an object");
	if (b->n_slots == EMU_MAX_MODULES)
		return bad_options(b, field, "too many modules on one bus");
	struct emu_module_slot *s = &b->slots[b->n_slots];
	json_t *jc = json_object_get(jm, "channel"), *ja = json_object_get(jm, "addr");
	json_t *jp = json_object_get(jm, "profile"), *ji = json_object_get(jm, "image");
	/* Range-checked as JSON integers: a cast first would make 4294967296 channel 0. */
	json_int_t ch = jc ? json_integer_value(jc) : -1, ad = ja ? json_integer_value(ja) : 0x50;
	if ((jc && (!json_is_integer(jc) || ch < -1 || ch > 7)) ||
	    (ja && (!json_is_integer(ja) || ad < 0 || ad > 0x7F)))
		return bad_options(b, field, "channel must be -1..7 and addr 0..127");
	s->channel = (int)ch;
	s->addr = (uint16_t)ad;
	if (!!json_is_string(jp) == !!json_is_string(ji))
		return bad_options(b, field, "give exactly one of \"profile\" or \"image\"");
	resolve_source(b->env, jp ? "profile" : "image", json_string_value(jp ? jp : ji), s->source,
		       sizeof(s->source));
	char err[512] = "";
	struct lb_emu_world *w = lb_emu_segment_world(b->segment);
	int rc = jp ? lb_emu_module_create(w, s->source, &s->module, err, sizeof(err))
		    : lb_emu_module_create_from_image(w, s->source, &s->module, err, sizeof(err));
	if (rc) {
		lb_driver_log(b->env, LB_LOG_ERR, "emulator bus %s: %s: %s", b->name, field,
			      err[0] ? err : lb_strerror(rc));
		return rc;
	}
	if ((rc = lb_emu_segment_attach(b->segment, s->channel, s->addr, s->module))) {
		lb_emu_module_destroy(s->module);
		return bad_options(b, field, "address already taken on this bus or mux channel");
	}
	b->n_slots++;
	return LB_OK;
}

static int open_from_options(struct emu_bus *b, const char *options)
{
	json_error_t jerr;
	json_t *o = json_loads(options, 0, &jerr);
	if (!json_is_object(o)) {
		json_decref(o);
		return bad_options(b, "(options)", "not a JSON object");
	}
	json_t *jn = json_object_get(o, "name"), *jk = json_object_get(o, "clock_khz");
	json_t *jx = json_object_get(o, "mux_addr"), *jm = json_object_get(o, "modules");
	if (json_is_string(jn))
		snprintf(b->name, sizeof(b->name), "%s", json_string_value(jn));
	int rc = LB_OK;
	uint32_t khz = jk ? (uint32_t)json_integer_value(jk) : 400;
	if (jk && !json_is_integer(jk))
		rc = bad_options(b, "clock_khz", "not an integer");
	else if (jk && (json_integer_value(jk) < 0 || json_integer_value(jk) > UINT32_MAX))
		rc = bad_options(b, "clock_khz", "must be 100, 400 or 1000");
	else if (jx && (!json_is_integer(jx) || json_integer_value(jx) < 0 || json_integer_value(jx) > 0x7F))
		rc = bad_options(b, "mux_addr", "must be a 7-bit address");
	else if (jm && !json_is_array(jm))
		rc = bad_options(b, "modules", "not an array");
	if (rc == LB_OK && (rc = emu_shared_acquire(b->env, &b->shared)) == LB_OK) {
		rc = lb_emu_segment_create(b->shared->world, khz, &b->segment);
		if (rc)
			bad_options(b, "clock_khz", "must be 100, 400 or 1000");
	}
	if (rc == LB_OK && jx)
		rc = lb_emu_segment_add_mux(b->segment, (uint16_t)json_integer_value(jx));
	for (size_t i = 0; rc == LB_OK && i < json_array_size(jm); i++)
		rc = add_module(b, json_array_get(jm, i), i);
	for (unsigned i = 0; rc == LB_OK && i < b->n_slots; i++)
		emu_state_restore_module(b->shared, b->name, &b->slots[i]);
	json_decref(o);
	return rc;
}

static void emu_close(void *priv);

static int emu_open(void *priv, const struct lb_driver_env *env, const char *options, void *handle)
{
	struct emu_bus *b = priv;
	b->env = env;
	snprintf(b->name, sizeof(b->name), "emulated");
	if (handle) {
		b->segment = handle;
		return LB_OK;
	}
	int rc = open_from_options(b, options);
	if (rc) {
		emu_close(b);
		return rc;
	}
	emu_state_catch_up(b->shared);
	return LB_OK;
}

static void emu_close(void *priv)
{
	struct emu_bus *b = priv;
	if (!b->shared)
		return;
	emu_state_store_bus(b->shared, b);
	for (unsigned i = 0; i < b->n_slots; i++)
		lb_emu_module_destroy(b->slots[i].module);
	b->n_slots = 0;
	emu_shared_release(b->shared, b->env);
	b->shared = NULL;
}

static size_t emu_max_transfer(void *priv)
{
	(void)priv;
	return 256; /* as a Linux I2C_RDWR adapter: well above any CMIS access */
}

static int emu_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct emu_bus *b = priv;
	return lb_emu_segment_xfer(b->segment, msgs, n);
}

static int emu_get_clock(void *priv, struct lb_clock *out)
{
	struct emu_bus *b = priv;
	*out = lb_emu_world_clock(lb_emu_segment_world(b->segment));
	return LB_OK;
}

static uint64_t emu_last_xfer_ns(void *priv)
{
	struct emu_bus *b = priv;
	return lb_emu_segment_last_xfer_ns(b->segment);
}

static uint32_t emu_clock_khz(void *priv)
{
	struct emu_bus *b = priv;
	return lb_emu_segment_clock_khz(b->segment);
}

static const struct lb_bus_ops emu_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C | LB_BUS_CAP_CLOCK | LB_BUS_CAP_TIMED,
	.priv_size = sizeof(struct emu_bus),
	.open = emu_open,
	.close = emu_close,
	.max_transfer = emu_max_transfer,
	.xfer = emu_xfer,
	.get_clock = emu_get_clock,
	.last_xfer_ns = emu_last_xfer_ns,
	.clock_khz = emu_clock_khz,
};

const struct lb_driver lb_bus_driver_emulator = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.name = "emulator",
	.version = "1",
	.ops.bus = &emu_ops,
};
