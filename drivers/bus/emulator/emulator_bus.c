/* SPDX-License-Identifier: MIT */
/*
 * Bus driver over an emulated segment. Either the user hands in a segment of their own
 * world (tests), or the options describe the modules plugged into this bus (platforms):
 *   {"name": "i2c0", "clock_khz": 400, "mux_addr": 112,
 *    "modules": [{"channel": 0, "addr": 80, "profile": "coherent-800g-qsfpdd"},
 *                {"channel": 1, "image": "/path/to/dump.txt"}]}
 * (read by lb_emu_segment_create_from_options, which lb-emud uses too); other keys are
 * refused, but "name" (the platform adds the bus's) and notes. With a state directory
 * the modules persist between processes (emulator_state.c); a module's saved state is
 * restored when the first transfer reaches it.
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include "emulator_bus.h"

static int open_from_options(struct emu_bus *b, const struct lb_options *options)
{
	static const char *const keys[] = { "name", "clock_khz", "mux_addr", "modules", "links",
					    "description", "comment", "_*", NULL };
	int64_t mux;
	/* (a mux_addr out of range fails here, before anything is made) */
	int rc;
	if ((rc = lb_options_check_keys(options, keys)) ||
	    (rc = lb_options_get_string_buf(options, "name", "emulated", b->name, sizeof(b->name))) ||
	    (rc = lb_options_get_int(options, "mux_addr", -1, 0x7F, -1, &mux)))
		return lb_driver_error(b->env, rc, "%s", lb_options_error(options));
	if (mux >= 0) {
		b->has_mux = true;
		b->mux_addr = (uint16_t)mux;
	}
	if ((rc = emu_shared_acquire(b->env, &b->shared)))
		return rc;
	rc = lb_emu_segment_create_from_options(b->shared->world, options, b->env->data_dir, &b->segment,
						b->slots, EMU_MAX_MODULES, &b->n_slots);
	if (rc)
		return lb_driver_error(b->env, rc, "%s", lb_options_error(options));
	/* A fleet: each module of a profile gets the serial number of its place (as lb-emud). */
	for (unsigned i = 0; i < b->n_slots; i++)
		lb_emu_module_set_fleet_serial(b->slots[i].module, b->name, b->slots[i].channel,
					       b->slots[i].addr);
	/* Every clock of the world (a new segment's too) at least where the saved one caught up. */
	if (b->shared->clock_ns)
		lb_emu_world_set_now_ns(b->shared->world, b->shared->clock_ns);
	/* Saved states are restored when a transfer first reaches their module. */
	for (unsigned i = 0; i < b->n_slots; i++)
		if ((b->pending[i] = emu_state_find(b->shared, b->name, &b->slots[i])))
			b->n_pending++;
	/* Links last: their ends are restored first (no bus traffic). */
	if ((rc = emu_bus_links_open(b, options)))
		return lb_driver_error(b->env, rc, "%s", lb_options_error(options));
	return LB_OK;
}

/*
 * Restore the modules this transfer may reach: at a message's address, directly on the
 * segment or on a mux channel that is (or that a message before it may have) enabled.
 */
static void restore_reached(struct emu_bus *b, const struct lb_i2c_msg *msgs, unsigned n)
{
	pthread_mutex_lock(&b->lock);
	if (b->n_pending) {
		uint8_t maybe = b->mux_maybe;
		for (unsigned k = 0; k < n; k++)
			if (b->has_mux && msgs[k].addr == b->mux_addr && !(msgs[k].flags & LB_I2C_M_RD) &&
			    msgs[k].len)
				maybe |= msgs[k].buf[msgs[k].len - 1];
		for (unsigned i = 0; i < b->n_slots; i++) {
			const struct lb_emu_placement *s = &b->slots[i];
			if (!b->pending[i] ||
			    (s->channel >= 0 && (!b->has_mux || !(maybe & (1u << s->channel)))))
				continue;
			for (unsigned k = 0; k < n; k++)
				if (msgs[k].addr == s->addr && !(b->has_mux && s->addr == b->mux_addr)) {
					emu_state_restore_slot(b, i);
					break;
				}
		}
	}
	pthread_mutex_unlock(&b->lock);
}

/*
 * Follow the mux control byte (PCA9548: a write stores its last byte). A transfer that failed
 * may have stopped before or after a write: the channels it wrote are added, not set.
 */
static void follow_mux(struct emu_bus *b, const struct lb_i2c_msg *msgs, unsigned n, int rc)
{
	for (unsigned k = 0; k < n; k++) {
		if (msgs[k].addr != b->mux_addr || (msgs[k].flags & LB_I2C_M_RD) || !msgs[k].len)
			continue;
		uint8_t v = msgs[k].buf[msgs[k].len - 1];
		b->mux_maybe = rc == LB_OK ? v : (uint8_t)(b->mux_maybe | v);
	}
}

struct lb_emu_module *emu_bus_module_at(struct emu_bus *b, int channel, uint16_t addr)
{
	for (unsigned i = 0; i < b->n_slots; i++) {
		if (b->slots[i].channel != channel || b->slots[i].addr != addr)
			continue;
		if (b->shared) {
			pthread_mutex_lock(&b->lock);
			emu_state_restore_slot(b, i);
			pthread_mutex_unlock(&b->lock);
		}
		return b->slots[i].module;
	}
	return NULL;
}

static void emu_close(void *priv);

static int emu_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	struct emu_bus *b = priv;
	b->env = env;
	snprintf(b->name, sizeof(b->name), "emulated");
	if (handle) {
		b->segment = handle;
		return LB_OK;
	}
	pthread_mutex_init(&b->lock, NULL);
	b->lock_ready = true;
	int rc = open_from_options(b, options);
	if (rc) {
		emu_close(b);
		return rc;
	}
	b->opened = true;
	return LB_OK;
}

static void emu_close(void *priv)
{
	struct emu_bus *b = priv;
	if (b->shared) {
		/* A bus that failed half way through opening leaves the saved state as it was. */
		if (b->opened)
			emu_state_store_bus(b->shared, b);
		emu_bus_links_close(b);
		for (unsigned i = 0; i < b->n_slots; i++)
			lb_emu_module_destroy(b->slots[i].module);
		b->n_slots = 0;
		b->n_pending = 0;
		emu_shared_release(b->shared, b->env);
		b->shared = NULL;
	}
	if (b->lock_ready) {
		pthread_mutex_destroy(&b->lock);
		b->lock_ready = false;
	}
}

static size_t emu_max_transfer(void *priv)
{
	(void)priv;
	return 256; /* as a Linux I2C_RDWR adapter: well above any CMIS access */
}

static int emu_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct emu_bus *b = priv;
	if (!b->shared)
		return lb_emu_segment_xfer(b->segment, msgs, n);
	restore_reached(b, msgs, n);
	int rc = lb_emu_segment_xfer(b->segment, msgs, n);
	if (b->has_mux)
		follow_mux(b, msgs, n, rc);
	return rc;
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
	.caps = LB_BUS_CAP_I2C | LB_BUS_CAP_CLOCK | LB_BUS_CAP_TIMED | LB_BUS_CAP_COMBINED,
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
	.kind_abi = LB_BUS_ABI,
	.name = "emulator",
	.version = "1",
	.ops.bus = &emu_ops,
};
