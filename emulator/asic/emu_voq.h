/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the ASIC's VOQ system-port table (voq.c, docs/emulated-asic.md). */
#ifndef LB_EMU_ASIC_VOQ_INTERNAL_H
#define LB_EMU_ASIC_VOQ_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/emu_asic_regs.h>

struct lb_emu_asic;

/* A slot's six fields, in register order (SP_ID .. SP_NUM_VOQ). */
enum { EMU_VOQ_ID, EMU_VOQ_SWITCH, EMU_VOQ_CORE, EMU_VOQ_CORE_PORT, EMU_VOQ_SPEED, EMU_VOQ_NUM_VOQ,
       EMU_VOQ_FIELDS };

struct emu_voq_slot {
	bool exists;
	uint32_t staged[EMU_VOQ_FIELDS], live[EMU_VOQ_FIELDS];
	uint32_t cmd_status;
};

struct emu_asic_voq {
	uint32_t staged_id, staged_cores, sw_status;
	uint32_t live_id, live_cores; /* live_cores 0: not set */
	struct emu_voq_slot slot[LB_EMU_ASIC_VOQ_SLOTS];
};

/* Registers of the VOQ block; LB_E_RANGE when addr is not theirs. World locked. */
int emu_asic_voq_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_voq_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);
/* Whether ASIC port port has a local system port (its remove is refused then). */
bool emu_asic_voq_holds(const struct lb_emu_asic *a, uint32_t port);

#endif
