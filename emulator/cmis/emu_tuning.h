/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: laser tuning, the hooks of page 12h's handler (tuning.c). */
#ifndef LB_EMU_TUNING_H
#define LB_EMU_TUNING_H

#include <jansson.h>
#include "emulator/cmis/emu_page.h"

/* Per module: lanes whose channel was written in the current write, and tunings under way. */
struct emu_tuning {
	uint8_t pending[EMU_MAX_BANKS];
	uint64_t done_ns[EMU_MAX_BANKS][8]; /* 0: not tuning */
	uint32_t target_mhz[EMU_MAX_BANKS][8];
};

void emu_tuning_write(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value);
void emu_tuning_write_done(struct lb_emu_module *m, void *priv, const struct emu_io *io);
uint64_t emu_tuning_next_deadline(const struct lb_emu_module *m, const void *priv);
void emu_tuning_run(struct lb_emu_module *m, void *priv);
void emu_tuning_before_read(struct lb_emu_module *m, void *priv, const struct emu_io *io,
			    uint8_t addr, size_t n);
void emu_tuning_power_on(struct lb_emu_module *m, void *priv);

/* Saved state (state.c): the tunings under way as a JSON array ("tuning"); NULL: no memory. */
json_t *emu_tuning_save(const struct lb_emu_module *m);
/*
 * Check a saved "tuning" array (NULL: a state saved without one, no tuning) against m at
 * module time t into out: LB_OK, or LB_E_PARSE for a malformed entry, a bank or lane without
 * page 12h, one listed twice, or a tuning ending further ahead than a tuning lasts.
 */
int emu_tuning_parse(const struct lb_emu_module *m, const json_t *a, uint64_t t,
		     struct emu_tuning *out);
/* Install what emu_tuning_parse checked. */
void emu_tuning_restore(struct lb_emu_module *m, const struct emu_tuning *in);

#endif
