/* SPDX-License-Identifier: MIT */
/* The emulator bus driver's private types, shared by its two files (and its sideband driver). */
#ifndef LB_DRIVERS_BUS_EMULATOR_H
#define LB_DRIVERS_BUS_EMULATOR_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <jansson.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>

#define EMU_MAX_MODULES 64 /* modules one emulated bus of a platform file may hold */
#define EMU_MAX_LINKS 32   /* coherent links between its modules */

/* One module's entry of the state file: where it sat, what it was made from, its state. */
struct emu_saved {
	char *bus;
	char *slot;   /* "channel/addr", e.g. "0/80" */
	char *source; /* profile or image path the module was made from */
	char *state;  /* lb_emu_module_save_state text, not parsed until it is restored */
	bool taken;   /* its bus closed in this process and wrote its own entries instead */
};

/* One world per context, shared by every emulated bus in it, with its persistent state. */
struct emu_shared {
	struct lb_emu_world *world;
	unsigned refs;
	int dir_fd;                  /* the state directory, checked, -1 without state dir */
	int lock_fd;                 /* flock on the state file's lock, -1 without state dir */
	bool readonly;               /* shared lock, nothing written (env->state_readonly) */
	char state_path[PATH_MAX];
	uint64_t clock_ns;           /* saved clock + real time since the save; 0: none */
	struct emu_saved *saved;     /* entries read at the first open */
	unsigned n_saved, cap_saved;
	struct emu_saved *out;       /* entries of the buses closed so far, to be written */
	unsigned n_out, cap_out;
	pthread_mutex_t lock;        /* saved[].taken and out[], for buses closed in two threads */
};

struct emu_bus {
	struct lb_emu_segment *segment;
	struct emu_shared *shared;   /* NULL for an in-process segment handed in by the user */
	const struct lb_driver_env *env;
	char name[64];
	struct lb_emu_placement slots[EMU_MAX_MODULES];
	unsigned n_slots;
	bool opened;                 /* open() completed: the state may be saved at close */
	/* Lazy restore: a slot's saved entry until a transfer reaches its module. */
	struct emu_saved *pending[EMU_MAX_MODULES];
	unsigned n_pending;
	pthread_mutex_t lock;        /* pending[]: transfers and the sideband driver */
	bool lock_ready;
	/* The mux as the transfers set it, to know which channels a transfer may reach. */
	bool has_mux;
	uint16_t mux_addr;
	uint8_t mux_maybe;           /* channels that may be enabled (exact after a transfer that
					succeeded; a failed one adds what it wrote) */
	struct lb_emu_link *links[EMU_MAX_LINKS]; /* the "links" of its options */
	unsigned n_links;
};

/* emulator_state.c: persistence of a shared world between processes. */
int emu_shared_acquire(const struct lb_driver_env *env, struct emu_shared **out);
void emu_shared_release(struct emu_shared *sh, const struct lb_driver_env *env);
/* The saved entry for a slot of bus, if the state holds one made from the same source. */
struct emu_saved *emu_state_find(struct emu_shared *sh, const char *bus,
				 const struct lb_emu_placement *s);
/* Restore slot i of b from its pending entry (b->lock held); nothing if it has none. */
void emu_state_restore_slot(struct emu_bus *b, unsigned i);
/*
 * Keep a bus's modules for the save (read-write only): those restored, or without a saved
 * entry, as they are now; the others' entries as they were read.
 */
void emu_state_store_bus(struct emu_shared *sh, const struct emu_bus *b);

/* emulator_links.c: make the coherent links of the options' "links" (errors recorded in
 * options), and destroy them (before the modules). */
int emu_bus_links_open(struct emu_bus *b, const struct lb_options *options);
void emu_bus_links_close(struct emu_bus *b);

/* emulator_bus.c: the module on a channel and address of b, restored first; NULL if none. */
struct lb_emu_module *emu_bus_module_at(struct emu_bus *b, int channel, uint16_t addr);

#endif
