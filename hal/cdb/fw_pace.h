/* SPDX-License-Identifier: MIT */
/*
 * When to look at a firmware block (fw_pace.c): the module's time for a full block, learned
 * from the blocks before, so that the host polls once a block, right after the module is done.
 */
#ifndef LB_HAL_CDB_FW_PACE_H
#define LB_HAL_CDB_FW_PACE_H

#include <stdbool.h>
#include <stdint.h>
#include "hal/cdb/cdb_internal.h"

/*
 * Times from the start of a block's trigger write: a full block was still busy at lo_ns
 * and done by hi_ns (0: not known yet). block: the bytes of a full block.
 */
struct lb_fw_pace {
	uint32_t block;
	uint64_t lo_ns, hi_ns;
	unsigned since_probe;    /* full blocks since the last look for a quicker module */
	bool probe;              /* the next full block is looked at early, once */
};

/* How to poll a block of n bytes (the instance known idle, no reply wanted). */
struct lb_cdb_sched lb_fw_pace_sched(const struct lb_fw_pace *p, uint32_t n);
/*
 * What a block of n bytes showed: the last poll that found the module busy began busy_ns
 * after the trigger write's start (0: none did), the one that found it done done_ns.
 */
void lb_fw_pace_learn(struct lb_fw_pace *p, uint32_t n, uint64_t busy_ns, uint64_t done_ns);

#endif
