/* SPDX-License-Identifier: MIT */
/*
 * Claims of modules on a bus: a long session (a firmware download) claims its module so that
 * nothing else reaches it meanwhile. In-process, the bus keeps the claims, keyed by the
 * module's route (address, mux hops), so every handle on the module sees the same claim.
 * Across processes, when the bus has a lock file, a claim is also an flock on a file next to
 * it (the lock file's path + ".<route>"), holding the holder's pid and reason; the kernel drops
 * it with the process.
 */
#ifndef LB_HAL_BUS_CLAIM_H
#define LB_HAL_BUS_CLAIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/module.h>

struct lb_bus;

/* Longest reason kept (bytes, with the NUL). */
#define LB_BUS_CLAIM_REASON 128

/* A checker's own descriptor of a module's claim file (opened on first need). */
struct lb_bus_claim_probe {
	int fd;        /* -1: not open */
	long pid;      /* process that opened it (a forked child opens its own) */
	uint64_t gen;  /* the bus's lock file generation it was opened for */
};
#define LB_BUS_CLAIM_PROBE_INIT { .fd = -1, .pid = 0, .gen = 0 }
void lb_bus_claim_probe_close(struct lb_bus_claim_probe *p);

/**
 * Claim the module at where for holder (a module handle), with a reason others are shown.
 * Takes the bus (mutex and lock file) for the moment of the claim, so no sequence of another
 * caller is under way when it returns. LB_E_BUSY (detail: who, why) when another handle or
 * process holds it; LB_E_STATE when holder already does; LB_E_PERM, LB_E_IO for a claim file
 * that cannot be used.
 */
int lb_bus_claim(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder,
		 const char *reason);
/** Drop holder's claim; LB_E_STATE when it holds none. */
int lb_bus_unclaim(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder);
/**
 * Who holds the claim, without bus traffic and without waiting for the bus: LB_CLAIM_NONE,
 * LB_CLAIM_OTHER (reason: the holder's, with its pid when it is another process) or
 * LB_CLAIM_OWN; a negative status when the claim file cannot be read.
 */
int lb_bus_claim_state(struct lb_bus *bus, const struct lb_module_addr *where, const void *holder,
		       struct lb_bus_claim_probe *probe, char *reason, size_t len);
/**
 * Bus held: LB_OK when holder may reach the module, LB_E_BUSY with the holder's reason in the
 * context's error detail when someone else holds its claim.
 */
int lb_bus_claim_check(struct lb_bus *bus, const struct lb_module_addr *where,
		       const void *holder, struct lb_bus_claim_probe *probe);
/** Drop every claim (the bus closes). */
void lb_bus_claims_free(struct lb_bus *bus);

#endif
