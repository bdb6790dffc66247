/* SPDX-License-Identifier: MIT */
/*
 * Internal to the emulator: the module's CDB and firmware in its saved state (state.c's "fw"
 * key): each image's validity, version, build and extra string, which image runs, which is
 * committed, a Run under way, the host password entered and the CDB command in flight. The image bytes are not kept: a download does not survive
 * a save and a load (the target stays invalid, as after a power loss).
 */
#ifndef LB_EMU_CDB_STATE_H
#define LB_EMU_CDB_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <jansson.h>
#include "emulator/cmis/emu_cdb.h"

/* What a saved "fw" object holds, checked by emu_cdb_state_parse. */
struct emu_cdb_saved {
	bool present;               /* the state had a "fw" key */
	struct emu_fw_image image[3];
	int running, committed, boot_next;
	uint64_t run_at;
	bool password_ok;
	/* the command in flight (phase EMU_CDB_IDLE: none) */
	enum emu_cdb_phase phase;
	uint64_t started, due;
	uint8_t block[128];
};

/* The "fw" object of m, or NULL when m has no CDB or its firmware was never set up. */
json_t *emu_cdb_state_save(const struct lb_emu_module *m);
/*
 * Check a saved "fw" object (NULL: saved without one, nothing to restore) against m, whose
 * state is being restored at module time t. LB_E_PARSE for anything no module saved.
 */
int emu_cdb_state_parse(const struct lb_emu_module *m, const json_t *o, uint64_t t,
			struct emu_cdb_saved *out);
/* Install what emu_cdb_state_parse checked (nothing when it found no "fw"), before the
 * saved memory is copied back. */
void emu_cdb_state_restore(struct lb_emu_module *m, const struct emu_cdb_saved *in);

#endif
