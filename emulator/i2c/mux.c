/* SPDX-License-Identifier: MIT */
/* A PCA9548-style 8-channel two-wire mux as a segment device: one control byte. */
#include <stdlib.h>
#include <string.h>
#include "emulator/i2c/emu_world.h"

static int mux_xfer_begin(void *dev, uint64_t now)
{
	(void)dev;
	(void)now;
	return LB_OK; /* a mux always answers */
}

static int mux_write(void *dev, const uint8_t *data, size_t len)
{
	struct lb_emu_mux *mux = dev;
	/* Every byte received overwrites the control register; a zero-length write is a probe. */
	if (len)
		mux->control = data[len - 1];
	return LB_OK;
}

static int mux_read(void *dev, uint8_t *buf, size_t len)
{
	const struct lb_emu_mux *mux = dev;
	memset(buf, mux->control, len);
	return LB_OK;
}

static bool mux_routes(const void *dev, unsigned channel)
{
	const struct lb_emu_mux *mux = dev;
	return channel < 8 && (mux->control & (1u << channel));
}

static void mux_release(void *dev)
{
	free(dev);
}

const struct emu_dev_ops emu_mux_ops = {
	.kind = "pca9548",
	.xfer_begin = mux_xfer_begin,
	.write = mux_write,
	.read = mux_read,
	.routes = mux_routes,
	.channels = 8,
	.release = mux_release,
};
