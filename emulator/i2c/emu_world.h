/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the world (virtual time), segments and the mux device. */
#ifndef LB_EMU_WORLD_INTERNAL_H
#define LB_EMU_WORLD_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/emulator.h>

struct lb_emu_world {
	/*
	 * Recursive: a transfer advances time, and several buses of one world may run from
	 * different threads (each lb_bus only serialises its own calls). Every public call
	 * that reads or changes the world, a segment or a module takes it.
	 */
	pthread_mutex_t lock;
	/*
	 * The latest time of any clock in the world: each segment keeps its own time (buses run
	 * side by side, as on hardware); a module on no segment runs on this one.
	 */
	uint64_t now_ns;
	uint64_t xfer_seq;               /* numbers segment transactions */
	struct lb_emu_segment *segments; /* singly linked, newest first */
	struct lb_emu_module *modules;   /* singly linked through module->world_next */
};

/* A device attached to a segment: a module at an address, directly or on a mux channel. */
struct emu_dev {
	uint16_t addr;
	int channel; /* -1 direct, 0-7 behind the mux */
	struct lb_emu_module *module;
};

struct emu_mux {
	bool present;
	uint16_t addr;
	uint8_t control; /* bit i = channel i enabled; 0 after power-on */
};

struct lb_emu_segment {
	struct lb_emu_world *world;
	struct lb_emu_segment *next;
	uint32_t clock_khz;
	uint64_t now_ns;      /* this bus's own virtual time */
	uint64_t next_due_ns; /* earliest timer of a module on it (UINT64_MAX: none known) */
	uint64_t last_xfer_ns;
	struct emu_mux mux;
	struct emu_dev *devs;
	unsigned ndevs, capdevs;
};

static inline void emu_lock(struct lb_emu_world *w)
{
	pthread_mutex_lock(&w->lock);
}
static inline void emu_unlock(struct lb_emu_world *w)
{
	pthread_mutex_unlock(&w->lock);
}
/*
 * Move a segment's clock on to t (never back), running the modules on it whose timers fall
 * due on the way (the others catch up when they are next addressed). O(1) unless a timer
 * is due. World locked.
 */
void emu_segment_advance(struct lb_emu_segment *s, uint64_t t);
/* A module's timers may have changed: the segment it sits on learns its next deadline. */
void emu_segment_note(struct lb_emu_module *m);
/* Link a new module into the world's list (the world then destroys it). */
void emu_world_add_module(struct lb_emu_world *w, struct lb_emu_module *m);
/* Unlink a module from its world (on destroy). */
void emu_world_remove_module(struct lb_emu_world *w, struct lb_emu_module *m);

/* Remove a module from a segment's device table. */
void emu_segment_detach(struct lb_emu_segment *s, struct lb_emu_module *m);
void emu_segment_free(struct lb_emu_segment *s);

/* The mux as a two-wire device: a write stores the last data byte as control, a read returns it. */
int emu_mux_write(struct emu_mux *mux, const uint8_t *data, size_t len);
int emu_mux_read(const struct emu_mux *mux, uint8_t *buf, size_t len);
/* Whether a device on channel (-1 = direct) is reachable with the mux's current control byte. */
bool emu_mux_reaches(const struct emu_mux *mux, int channel);

#endif
