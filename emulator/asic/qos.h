/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: a port's scheduler, QoS maps and watermarks (qos_regs.c). */
#ifndef LB_EMU_ASIC_QOS_H
#define LB_EMU_ASIC_QOS_H

#include <stdbool.h>
#include <stdint.h>

struct lb_emu_asic;
struct emu_asic_port;

/* The scheduler and maps as their registers hold them. */
struct emu_asic_qos_cfg {
	uint32_t type[8], weight[8];
	uint64_t min_rate[8], max_rate[8]; /* Mb/s */
	uint32_t tc_pg, pfc_pg, pfc_queue; /* 4 bits per priority */
};

struct emu_asic_qos {
	bool set;        /* false: the defaults in force (a port at power-on or removed) */
	bool staged_set; /* false: nothing staged yet, the defaults show */
	struct emu_asic_qos_cfg staged, live;
	uint32_t status;
	/* watermarks: now and at most, bytes (delay ns) */
	uint64_t pg_cur[8], pg_peak[8], hdrm_cur[8], hdrm_peak[8];
	uint64_t q_cur[8], q_peak[8], delay_cur[8], delay_peak[8];
};

/* The configuration in force (the defaults when none was applied). */
struct emu_asic_qos_cfg emu_asic_qos_live(const struct emu_asic_port *p);
/* Map field of priority n. */
static inline uint32_t emu_asic_map(uint32_t map, unsigned n)
{
	return (map >> (4 * n)) & 0xFu;
}
/* Registers; LB_E_RANGE when addr is not theirs. World locked, model run to now. */
int emu_asic_qos_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_qos_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);

#endif
