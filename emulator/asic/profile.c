/* SPDX-License-Identifier: MIT */
/*
 * The built-in ASIC profiles. Public figures where there are some (reference/asic-buffers.md
 * §3.6-3.7: Jericho 4 is 51.2 Tb/s with 200G PAM4 SerDes, 800GE ports and an on-package HBM
 * deep buffer); the sizes Broadcom has not published (HBM capacity and bandwidth, on-chip
 * buffer, cell) are this emulator's assumptions, stated in docs/emulated-asic.md. The
 * jericho4-class takes 50G PAM4 lanes besides its native ones, so that a 400G port binds a module's 400GAUI-8
 * (8 x 50G: 400ZR, 400G-FR4); a lane group (one SerDes octal, one clock) runs one lane speed.
 */
#include <string.h>
#include "emulator/asic/emu_asic.h"

#define SPEED(b) (1u << LB_EMU_ASIC_SPEED_##b)
#define ALL_FEC 0xFu

static const struct emu_asic_profile profiles[] = {
	{
		.name = "jericho4-class",
		.switch_type = 2,
		.max_ports = 512, .lanes = 512, .lanes_per_group = 8,
		.lane_speeds = SPEED(50G) | SPEED(100G) | SPEED(200G), /* 50G: 400GAUI-8 */
		.port_speeds = SPEED(100G) | SPEED(200G) | SPEED(400G) | SPEED(800G) | SPEED(1600G),
		.fec_modes = ALL_FEC,
		.capacity_gbps = 51200,
		.onchip_bytes = 128ull << 20,      /* assumption */
		.hbm_bytes = 32ull << 30,          /* assumption ("up to 32 GB HBM3" for J3, unconfirmed) */
		.hbm_bw_mbps = 25600000,           /* assumption: half the I/O rate */
		.cell_bytes = 256, .queues = 8, .pgs = 8, .lossless = 2, .max_mtu = 9216,
		.default_ports = 64, .default_lanes = 8, .default_speed_mbps = 800000, .default_fec = 3,
	},
	{
		.name = "small",
		.switch_type = 1,
		.max_ports = 32, .lanes = 32, .lanes_per_group = 8,
		.lane_speeds = SPEED(100G),
		.port_speeds = SPEED(100G) | SPEED(200G) | SPEED(400G) | SPEED(800G),
		.fec_modes = ALL_FEC,
		.capacity_gbps = 3200,
		.onchip_bytes = 64ull << 20,
		.cell_bytes = 256, .queues = 8, .pgs = 8, .lossless = 2, .max_mtu = 9216,
		.default_ports = 4, .default_lanes = 8, .default_speed_mbps = 800000, .default_fec = 3,
	},
};

static const char *const names[] = { "jericho4-class", "small", NULL };

LB_API const char *const *lb_emu_asic_profiles(void)
{
	return names;
}

const struct emu_asic_profile *emu_asic_profile_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

static const uint32_t speed_mbps[LB_EMU_ASIC_N_SPEEDS] = { 25000, 50000, 100000, 200000,
							400000, 800000, 1600000 };

uint32_t emu_asic_speed_mbps(unsigned bit)
{
	return bit < LB_EMU_ASIC_N_SPEEDS ? speed_mbps[bit] : 0;
}

int emu_asic_speed_bit(uint32_t mbps)
{
	for (unsigned i = 0; i < LB_EMU_ASIC_N_SPEEDS; i++)
		if (speed_mbps[i] == mbps)
			return (int)i;
	return -1;
}
