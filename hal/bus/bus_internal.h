/* SPDX-License-Identifier: MIT */
/* The bus object as the rest of the core sees it. */
#ifndef LB_HAL_BUS_INTERNAL_H
#define LB_HAL_BUS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <lightbridge/bus.h>
#include <lightbridge/module.h>

/*
 * A mux the core routes through: on the bus itself (parent -1), or behind a channel of another
 * mux (two levels). The same address behind different channels is a different mux.
 */
struct lb_bus_mux {
	uint16_t addr;
	int parent;             /* index of the mux whose channel leads here, -1: on the bus */
	uint8_t parent_channel;
	int value;              /* last control byte written, -1 unknown */
};

struct lb_bus {
	struct lb_ctx *ctx;
	const struct lb_driver *drv;
	const struct lb_bus_ops *ops;
	uint32_t caps;             /* ops->caps with the instance's own (instance_caps) */
	struct lb_driver_env env;
	pthread_mutex_t mutex;
	unsigned lock_depth;       /* nesting of lb_bus_lock in this process */
	int lock_fd;               /* cross-process flock, or -1 */
	uint32_t lock_wait_ms;
	uint64_t lock_counter_seen;  /* lock-file counter after our last hold */
	uint64_t lock_select_mark;   /* select_writes + writes + errors when the hold began */
	char *lock_path;             /* the lock file, reopened by a forked child */
	long lock_pid;               /* process that opened lock_fd */
	bool lock_grouped;           /* shared with lock_gid (0660), else ours alone (0600) */
	unsigned lock_gid;
	/*
	 * Bumped whenever select bytes on this bus may have changed behind our back (error,
	 * another process held the lock); page caches compare against it.
	 */
	uint64_t generation;
	struct lb_bus_mux *mux;    /* every mux routed through so far */
	unsigned n_mux, cap_mux;
	bool route_valid;          /* route is in force: every control byte on its path known */
	struct lb_module_addr route;
	struct lb_bus_stats stats;
	/* Per-route data of the layer above (route_data.c), under the mutex. */
	struct lb_bus_route_data *routes;
	unsigned n_routes, cap_routes;
	/*
	 * Claims of modules (claim.h), under their own leaf lock (taken after the mutex, never
	 * held across a transfer), so a poller asks without waiting for the bus.
	 */
	pthread_mutex_t claims_mutex;
	struct lb_bus_claim *claims;
	unsigned n_claims, cap_claims;
	unsigned claims_held;      /* n_claims, read without claims_mutex (atomic) */
	char *claim_base;          /* the lock file path claim files sit next to, or NULL */
	uint64_t claim_gen;        /* bumped when claim_base changes */
	uint32_t clock_khz;
	struct lb_clock own_clock;  /* the driver's own clock (now_ns NULL: the context's) */
	void *priv;
};

/**
 * lb_bus_open() with the driver's options already parsed (never NULL): a platform hands each
 * bus its part of the file it parsed.
 */
int lb_bus_open_options(struct lb_ctx *ctx, const char *driver, const struct lb_options *options,
			void *handle, struct lb_bus **out);
/** Take the bus for a multi-step sequence (mutex, then the cross-process lock). Nests. */
int lb_bus_lock(struct lb_bus *bus);
void lb_bus_unlock(struct lb_bus *bus);
/**
 * Route to a module: write each mux control byte on its path unless it is already in force,
 * after releasing the other muxes of the same level (on the bus, or behind the same channel).
 * LB_E_INVAL for a channel out of range; LB_E_NOMEM.
 */
int lb_bus_route(struct lb_bus *bus, const struct lb_module_addr *where);
/* Flags of one transfer. */
#define LB_XFER_SELECT 0x1u  /* writes select bytes (a page, bank or mux select): select_writes */

/*
 * Busy devices: a NACK that comes back before busy_until_ns (on the bus's clock, read only
 * then; 0: never) is the device holding off (its own write still being committed, a
 * foreground command it runs). It is counted in busy_nacks, not in errors, keeps every cache
 * (nothing reached the device), and sets *held_off. Any other failure is an error: counted,
 * and every cache invalidated (lb_bus_invalidate).
 */
/** One combined transfer, counted. flags: LB_XFER_*. held_off may be NULL. */
int lb_bus_xfer(struct lb_bus *bus, struct lb_i2c_msg *msgs, unsigned n, unsigned flags,
		uint64_t busy_until_ns, bool *held_off);
/** Paged driver access, counted, NACKs judged as by lb_bus_xfer. */
int lb_bus_paged_read(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		      uint8_t offset, uint8_t *buf, size_t len, uint64_t busy_until_ns,
		      bool *held_off);
int lb_bus_paged_write(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		       uint8_t offset, const uint8_t *buf, size_t len, uint64_t busy_until_ns,
		       bool *held_off);
static inline bool lb_bus_is_paged(const struct lb_bus *bus)
{
	return (bus->ops->caps & LB_BUS_CAP_PAGED) != 0;
}
/** Whether this instance has every capability in cap (LB_BUS_CAP_*, instance_caps included). */
static inline bool lb_bus_has_cap(const struct lb_bus *bus, uint32_t cap)
{
	return (bus->caps & cap) == cap;
}
size_t lb_bus_max_transfer(struct lb_bus *bus);
/** Largest write message (offset byte included). */
size_t lb_bus_max_write(struct lb_bus *bus);
/** Forget mux state and bump the generation (select bytes unknown). */
void lb_bus_invalidate(struct lb_bus *bus);

/**
 * Whether two module addresses are one route: the same address, directly on the bus or behind
 * the same mux hops (a mux's address counts only where there is a mux).
 */
static inline bool lb_bus_same_route(const struct lb_module_addr *a, const struct lb_module_addr *b)
{
	return a->addr == b->addr && a->mux_channel == b->mux_channel &&
	       (a->mux_channel < 0 ||
		(a->mux_addr == b->mux_addr && a->mux2_addr == b->mux2_addr &&
		 (!a->mux2_addr || a->mux2_channel == b->mux2_channel)));
}

/*
 * Data the layer above keeps per route (route_data.c): one zeroed block of size bytes per
 * route, shared by every caller that gets it for that route, freed when the last puts it.
 * Its content is the caller's, guarded by the bus lock (lb_bus_lock) as the caller uses it.
 * NULL when out of memory.
 */
struct lb_bus_route_data;
void *lb_bus_route_data_get(struct lb_bus *bus, const struct lb_module_addr *where, size_t size);
void lb_bus_route_data_put(struct lb_bus *bus, void *data);
/** Free every block (the bus closes). */
void lb_bus_route_data_free(struct lb_bus *bus);

#endif
