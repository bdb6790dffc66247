/* SPDX-License-Identifier: MIT */
/* The emulator bus driver's private types, shared by its two files. */
#ifndef LB_DRIVERS_BUS_EMULATOR_H
#define LB_DRIVERS_BUS_EMULATOR_H

#include <limits.h>
#include <stdbool.h>
#include <jansson.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>

#define EMU_MAX_MODULES 16

/* One world per context, shared by every emulated bus in it, with its persistent state. */
struct emu_shared {
	struct lb_emu_world *world;
	unsigned refs;
	int lock_fd;                 /* flock on the state file's lock, -1 without state dir */
	char state_path[PATH_MAX];
	json_t *saved;               /* state read at first open; buses written back at close */
	uint64_t saved_elapsed_ns;   /* real time since the state was saved */
};


struct emu_bus {
	struct lb_emu_segment *segment;
	struct emu_shared *shared;   /* NULL for an in-process segment handed in by the user */
	const struct lb_driver_env *env;
	char name[64];
	struct lb_emu_placement slots[EMU_MAX_MODULES];
	unsigned n_slots;
	bool opened;                 /* open() completed: the state may be saved at close */
};

/* emulator_state.c: persistence of a shared world between processes. */
int emu_shared_acquire(const struct lb_driver_env *env, struct emu_shared **out);
void emu_shared_release(struct emu_shared *sh, const struct lb_driver_env *env);
/* Restore a module from the saved state, if the state holds one made from the same source. */
void emu_state_restore_module(struct emu_shared *sh, const char *bus, const struct lb_emu_placement *s);
/* Write a bus's modules into the state to be saved. */
void emu_state_store_bus(struct emu_shared *sh, const struct emu_bus *b);
/* Time restored modules have to catch up on. */
void emu_state_catch_up(struct emu_shared *sh);

#endif
