/* SPDX-License-Identifier: MIT */
/* A PCA9548-style 8-channel two-wire mux: one control byte, bit i enables channel i. */
#include <string.h>
#include "emulator/i2c/emu_world.h"

int emu_mux_write(struct emu_mux *mux, const uint8_t *data, size_t len)
{
	/* Every byte received overwrites the control register; a zero-length write is a probe. */
	if (len)
		mux->control = data[len - 1];
	return LB_OK;
}

int emu_mux_read(const struct emu_mux *mux, uint8_t *buf, size_t len)
{
	memset(buf, mux->control, len);
	return LB_OK;
}

bool emu_mux_reaches(const struct emu_mux *mux, int channel)
{
	if (channel < 0)
		return true;
	return mux->present && channel < 8 && (mux->control & (1u << channel));
}
