/* SPDX-License-Identifier: MIT */
/*
 * Bus driver over an emulated segment. Either the user hands in a segment of their own
 * world (tests), or the options describe the modules plugged into this bus (platforms):
 *   {"name": "i2c0", "clock_khz": 400, "mux_addr": 112,
 *    "modules": [{"channel": 0, "addr": 80, "profile": "coherent-800g-qsfpdd"},
 *                {"channel": 1, "image": "/path/to/dump.txt"}]}
 * (read by lb_emu_segment_create_from_json, which lb-emud uses too).
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include "emulator_bus.h"

static int open_from_options(struct emu_bus *b, const char *options)
{
	json_error_t jerr;
	json_t *o = json_loads(options, 0, &jerr);
	json_t *jn = json_object_get(o, "name");
	if (json_is_string(jn))
		snprintf(b->name, sizeof(b->name), "%s", json_string_value(jn));
	json_decref(o);
	int rc = emu_shared_acquire(b->env, &b->shared);
	if (rc)
		return rc;
	char err[768] = "";
	rc = lb_emu_segment_create_from_json(b->shared->world, options, b->env->data_dir, &b->segment,
					     b->slots, EMU_MAX_MODULES, &b->n_slots, err, sizeof(err));
	if (rc) {
		lb_driver_log(b->env, LB_LOG_ERR, "emulator bus %s: options: %s", b->name, err);
		return rc;
	}
	for (unsigned i = 0; i < b->n_slots; i++)
		emu_state_restore_module(b->shared, b->name, &b->slots[i]);
	return LB_OK;
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
	b->opened = true;
	emu_state_catch_up(b->shared);
	return LB_OK;
}

static void emu_close(void *priv)
{
	struct emu_bus *b = priv;
	if (!b->shared)
		return;
	/* A bus that failed half way through opening leaves the saved state as it was. */
	if (b->opened)
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
	*out = lb_emu_segment_clock(b->segment);
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
