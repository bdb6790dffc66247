/* SPDX-License-Identifier: MIT */
/* The bus object as the rest of the core sees it. */
#ifndef LB_HAL_BUS_INTERNAL_H
#define LB_HAL_BUS_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <lightbridge/bus.h>
#include <lightbridge/module.h>

#define LB_BUS_MAX_MUXES 4

struct lb_bus {
	struct lb_ctx *ctx;
	const struct lb_driver *drv;
	const struct lb_bus_ops *ops;
	struct lb_driver_env env;
	pthread_mutex_t mutex;
	unsigned lock_depth;       /* nesting of lb_bus_lock in this process */
	int lock_fd;               /* cross-process flock, or -1 */
	uint32_t lock_wait_ms;
	uint64_t lock_counter_seen;  /* lock-file counter after our last hold */
	uint64_t lock_select_mark;   /* select_writes + writes + errors when the hold began */
	char *lock_path;             /* the lock file, reopened by a forked child */
	long lock_pid;               /* process that opened lock_fd */
	/*
	 * Bumped whenever select bytes on this bus may have changed behind our back (error,
	 * another process held the lock); page caches compare against it.
	 */
	uint64_t generation;
	struct {
		uint16_t addr;
		int value;         /* last control byte written, -1 unknown */
	} mux[LB_BUS_MAX_MUXES];
	unsigned n_mux;
	struct lb_bus_stats stats;
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
/** Route to a module: write the mux control byte unless it is already in force. */
int lb_bus_route(struct lb_bus *bus, const struct lb_module_addr *where);
/** One combined transfer, counted. Errors invalidate caches. */
int lb_bus_xfer(struct lb_bus *bus, struct lb_i2c_msg *msgs, unsigned n, bool is_select);
/** Paged driver access, counted. */
int lb_bus_paged_read(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		      uint8_t offset, uint8_t *buf, size_t len);
int lb_bus_paged_write(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		       uint8_t offset, const uint8_t *buf, size_t len);
static inline bool lb_bus_is_paged(const struct lb_bus *bus)
{
	return (bus->ops->caps & LB_BUS_CAP_PAGED) != 0;
}
size_t lb_bus_max_transfer(struct lb_bus *bus);
/** Largest write message (offset byte included). */
size_t lb_bus_max_write(struct lb_bus *bus);
/** Forget mux state and bump the generation (select bytes unknown). */
void lb_bus_invalidate(struct lb_bus *bus);

#endif
