/* SPDX-License-Identifier: MIT */
/* Two-wire messages and their cost on the wire, shared by drivers, core and emulator. */
#ifndef LIGHTBRIDGE_I2C_H
#define LIGHTBRIDGE_I2C_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>

LB_BEGIN_DECLS

#define LB_I2C_M_RD 0x0001u /* message reads from the device */

/** One message of a combined transfer (as Linux I2C_RDWR): repeated START between messages. */
struct lb_i2c_msg {
	uint16_t addr;  /* 7-bit address */
	uint16_t flags; /* LB_I2C_M_RD */
	uint16_t len;   /* bytes */
	uint8_t *buf;
};

/**
 * Clock periods a combined transfer takes on the wire: 9 per byte (8 bits + ACK) for the
 * address byte of each message and each data byte, 1 per START/repeated START, 1 for STOP.
 */
static inline uint64_t lb_i2c_wire_clocks(const struct lb_i2c_msg *msgs, unsigned n)
{
	uint64_t clocks = 1; /* STOP */
	for (unsigned i = 0; i < n; i++)
		clocks += 1 + 9u * (1u + (uint64_t)msgs[i].len);
	return clocks;
}

/**
 * The same for a transfer that stopped after its first n messages, the last of which may have
 * had its address NACKed (then only its START and address byte are on the wire): what a
 * device model charges for a transfer cut short.
 */
static inline uint64_t lb_i2c_wire_clocks_cut(const struct lb_i2c_msg *msgs, unsigned n,
					      int last_address_nacked)
{
	if (!n)
		return 1;
	uint64_t clocks = lb_i2c_wire_clocks(msgs, n);
	if (last_address_nacked)
		clocks -= 9u * (uint64_t)msgs[n - 1].len;
	return clocks;
}

/** Nanoseconds for a number of clock periods at a bus clock in kHz. */
static inline uint64_t lb_i2c_clocks_to_ns(uint64_t clocks, uint32_t clock_khz)
{
	return clock_khz ? clocks * 1000000u / clock_khz : 0;
}

LB_END_DECLS
#endif
