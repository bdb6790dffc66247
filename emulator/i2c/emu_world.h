/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the world (virtual time), segments and their devices. */
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
	struct lb_emu_world_device *devices; /* singly linked, newest first */
	uint64_t dev_due;                /* earliest deadline of a world device (UINT64_MAX: none) */
	bool dev_running;                /* world devices are running: no nested runs */
};

/* A device of the world on the virtual clock (a link, the router ASIC, a test's stimulus). */
struct lb_emu_world_device {
	struct lb_emu_world *world;
	struct lb_emu_world_device *next;
	struct lb_emu_device_ops ops; /* the caller's table, zero-extended */
	void *user;
	uint64_t t;   /* the time it has run up to: it never goes back */
	uint64_t due; /* its next deadline, as it last said */
};

/*
 * A device on a segment, behind a small ops table (as Zephyr's I2C emulators): CMIS modules,
 * muxes, later other targets. The segment finds devices by address, decides which are
 * reachable through the muxes on their path, and hands them the messages.
 */
struct emu_dev_ops {
	const char *kind;
	/*
	 * Once per transaction that reaches the device, before its first message, at the
	 * segment's time now: LB_OK to answer, LB_E_NACK to NACK its address. Required.
	 */
	int (*xfer_begin)(void *dev, uint64_t now);
	/* A write message: the bytes after the address byte (len 0: a quick write). Required. */
	int (*write)(void *dev, const uint8_t *data, size_t len);
	/* A read message of len bytes. Required. */
	int (*read)(void *dev, uint8_t *buf, size_t len);
	/* When the device next needs to run on its own (UINT64_MAX: never). Optional. */
	uint64_t (*next_deadline)(const void *dev);
	/* Run the device up to t, firing its timers due on the way. Required with next_deadline. */
	void (*run_until)(void *dev, uint64_t t);
	/* A mux: whether it connects channel to the bus now. Optional (no channels). */
	bool (*routes)(const void *dev, unsigned channel);
	unsigned channels; /* channels it routes (0-based) */
	/* The segment lets go of the device (the segment is freed). Optional. */
	void (*release)(void *dev);
};

/* A device's place on a segment. */
struct emu_dev {
	const struct emu_dev_ops *ops;
	void *dev;
	uint16_t addr;
	bool absent;             /* the segment's mux named before it was added: never answers */
	struct emu_dev *parent;  /* the mux it sits behind, NULL directly on the segment */
	int channel;             /* its channel of parent, -1 directly on the segment */
	struct emu_dev *next_at; /* the next device at the same address */
	uint64_t xfer_seq;       /* last transaction that reached it ... */
	bool xfer_ok;            /* ... and whether it answered */
};

/* A PCA9548-style mux: one control byte, bit i enables channel i (0 after power-on). */
struct lb_emu_mux {
	struct lb_emu_segment *segment;
	struct emu_dev *node;
	uint8_t control;
};
extern const struct emu_dev_ops emu_mux_ops;    /* mux.c */
extern const struct emu_dev_ops emu_module_ops; /* emulator/cmis/access.c */

struct lb_emu_segment {
	struct lb_emu_world *world;
	struct lb_emu_segment *next;
	uint32_t clock_khz;
	uint64_t now_ns;      /* this bus's own virtual time */
	uint64_t next_due_ns; /* earliest timer of a device on it (UINT64_MAX: none known) */
	uint64_t last_xfer_ns;
	struct emu_dev **devs; /* every device, in the order they were added */
	unsigned ndevs, capdevs;
	struct emu_dev *at[128]; /* devices by address, each list in the order they were added */
	/* The mux lb_emu_segment_add_mux adds, whose channels lb_emu_segment_attach names. */
	struct lb_emu_mux *mux;
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
 * Move a segment's clock on to t (never back), running the devices on it whose timers fall
 * due on the way (the others catch up when they are next addressed), and the world devices
 * whose deadlines it passes, each at its deadline on this clock. O(1) unless a timer is due.
 * World locked.
 */
void emu_segment_advance(struct lb_emu_segment *s, uint64_t t);
/* The same without running world devices (the world advance runs those itself). */
void emu_segment_step(struct lb_emu_segment *s, uint64_t t);
/* Run the world devices due at or before t, at t (or their own time if later). World locked. */
void emu_world_run_devices(struct lb_emu_world *w, uint64_t t);
/* A module's timers may have changed: the segment it sits on learns its next deadline. */
void emu_segment_note(struct lb_emu_module *m);
/* Link a new module into the world's list (the world then destroys it). */
void emu_world_add_module(struct lb_emu_world *w, struct lb_emu_module *m);
/* Unlink a module from its world (on destroy). */
void emu_world_remove_module(struct lb_emu_world *w, struct lb_emu_module *m);

/* Remove a module from its segment's devices. */
void emu_segment_detach(struct lb_emu_segment *s, struct lb_emu_module *m);
void emu_segment_free(struct lb_emu_segment *s);

#endif
