/* SPDX-License-Identifier: MIT */
/* A two-wire segment (or EEPROM file) reached through a bus driver. */
#ifndef LIGHTBRIDGE_BUS_H
#define LIGHTBRIDGE_BUS_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/ctx.h>

LB_BEGIN_DECLS

struct lb_bus;

/*
 * Threads: a bus may be shared between threads. Every call on it, and every module call on
 * a module of it, is serialised by the bus's mutex (and, with a lock file, a cross-process
 * lock); lb_bus_close must not race with other calls.
 */

/**
 * Counters a bus keeps; bus_time_ns is the time its transactions cost on the wire. Sized
 * (include/lightbridge/common.h): set size (LB_BUS_STATS_INIT) before lb_bus_get_stats or
 * lb_platform_get_stats; members are only appended.
 */
struct lb_bus_stats {
	size_t size;
	uint64_t transactions;  /* bus transactions (one START..STOP) */
	uint64_t bytes;         /* data bytes moved (excluding address bytes) */
	uint64_t errors;        /* failed transactions */
	uint64_t select_writes; /* bank/page (and mux) select writes */
	uint64_t reads;         /* read transactions */
	uint64_t writes;        /* write transactions */
	uint64_t max_read_len;  /* longest single read, bytes */
	uint64_t bus_time_ns;
	/*
	 * NACKs of a module known to be busy (inside tWRITE after our own write to it, or while
	 * it runs a foreground command its caller declared): counted in transactions, not in
	 * errors, and no cache is dropped for them.
	 */
	uint64_t busy_nacks;
};
#define LB_BUS_STATS_SIZE_V1 LB_SIZE_THROUGH(struct lb_bus_stats, busy_nacks)
#define LB_BUS_STATS_INIT LB_SIZED_INIT(struct lb_bus_stats)

/**
 * Open a bus with a registered bus driver. options: JSON object text for the driver (NULL
 * means "{}"), parsed here, once, and handed to the driver as an options object whose errors
 * name it "DRIVER options" ("linux-i2c options: clock_khz: 9000 is out of range 1..5000");
 * LB_E_PARSE if it is no JSON object. handle: in-process object for the driver (an emulator
 * segment), or NULL. LB_E_NOTFOUND for an unknown driver; the driver's status otherwise.
 */
LB_API int lb_bus_open(struct lb_ctx *ctx, const char *driver, const char *options,
		       void *handle, struct lb_bus **out);
/** Close a bus; NULL is allowed. Modules on it must be closed first. */
LB_API void lb_bus_close(struct lb_bus *bus);
/**
 * The bus's clock: the driver's own when it has one (an emulated segment's virtual time,
 * which runs side by side with the other buses'), else the context's clock, read at the
 * time of the call. Modules on the bus wait on it.
 */
LB_API uint64_t lb_bus_now_ns(const struct lb_bus *bus);
/** Let ns pass on the bus's clock (a real sleep, or virtual time on an emulated bus). */
LB_API void lb_bus_sleep_ns(const struct lb_bus *bus, uint64_t ns);
/** Whether the bus runs on a clock of its own (true for emulated buses). */
LB_API bool lb_bus_has_own_clock(const struct lb_bus *bus);
/** Name of the driver behind the bus. */
LB_API const char *lb_bus_driver_name(const struct lb_bus *bus);
/**
 * Copy the counters into out (sized, filled up to out->size). LB_E_INVAL: bus or out NULL, or
 * out's size below LB_BUS_STATS_SIZE_V1 (nothing written).
 */
LB_API int lb_bus_get_stats(struct lb_bus *bus, struct lb_bus_stats *out);
/** Zero the counters. */
LB_API void lb_bus_reset_stats(struct lb_bus *bus);
/**
 * Take a cross-process lock (flock) on path for every multi-step sequence on this bus,
 * waiting at most wait_ms for it before LB_E_BUSY, whose detail names the holder when the
 * system says who it is ("held by pid 4242 (user nobody) for more than 2000 ms").
 * NULL path: no cross-process lock.
 * The file is ours alone: created 0600 (whatever the umask), opened without following a
 * symbolic link and without waiting on a FIFO; refused (LB_E_PERM, with the reason) when it is
 * a symbolic link, not a regular file, or owned by another user; one of ours open to others
 * is closed up to 0600 (anyone who can open it can hold it). A path that cannot be opened or
 * is refused (LB_E_IO, LB_E_PERM) leaves the lock in force as it was.
 * Claims of the bus's modules across processes (lb_module_request) use files next to it.
 * LB_E_BUSY while a sequence is under way or a module of the bus is claimed.
 */
LB_API int lb_bus_set_lock_file(struct lb_bus *bus, const char *path, uint32_t wait_ms);
/**
 * lb_bus_set_lock_file() for a lock file shared with the users of a group (a platform's
 * "lock_group": a daemon and root's lbctl): group is a group name or number (NULL: as
 * lb_bus_set_lock_file). The file is created 0660 and given to the group; one of another
 * user's is taken when it belongs to the group and is closed to others (no access for
 * "other"); one of ours is brought to 0660 and the group. An unknown group is LB_E_PERM.
 */
LB_API int lb_bus_set_lock_file_group(struct lb_bus *bus, const char *path, uint32_t wait_ms,
				      const char *group);

LB_END_DECLS
#endif
