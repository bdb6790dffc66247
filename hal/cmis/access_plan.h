/* SPDX-License-Identifier: MIT */
/*
 * Access plans of the CMIS access layer.
 *
 * Read planning: the ranges a call needs become the fewest transfers the limits allow.
 * Ranges are merged when they touch or overlap (never across a gap: a gap may hold
 * clear-on-read flags that nobody asked to clear), split at the 127/128 boundary and at
 * max_read, and ordered lower memory first, then the page currently selected, then the rest,
 * so that each page needs at most one select.
 *
 * Write planning: the caller's order is the order on the wire. Ranges are never merged nor
 * reordered (a range may be a single-byte Apply trigger, or a CDB command ID that starts the
 * command when it lands); each is split at 127/128, at the module's write limit for its page
 * and at the driver's, and a range's first head_last bytes go after the rest of it.
 */
#ifndef LB_HAL_CMIS_ACCESS_PLAN_H
#define LB_HAL_CMIS_ACCESS_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/module.h>
#include "hal/cmis/page_rules.h"

/* One transfer of a plan: bytes [offset, offset+len) of (bank, page); lower = offset < 128. */
struct lb_plan_xfer {
	uint8_t bank, page, offset;
	uint8_t len;
	bool lower;
};

struct lb_read_plan {
	struct lb_plan_xfer *xfer;
	unsigned n, cap;
};

/** Where the page/bank select stands, so the plan starts there (valid = false: unknown). */
struct lb_plan_start {
	bool valid;
	uint8_t bank, page;
};

/**
 * Build a plan for n ranges with reads of at most max_read (1..128) bytes. The bank of an
 * unbanked page (lb_cmis_page_is_banked) is ignored, as the module ignores BankSelect there.
 * LB_E_INVAL for a range past 255 or of length 0; LB_E_NOMEM.
 */
int lb_read_plan_build(struct lb_read_plan *plan, const struct lb_mem_range *r, unsigned n,
		       size_t max_read, const struct lb_plan_start *start);
void lb_read_plan_free(struct lb_read_plan *plan);

/* One write of a write plan: len bytes from src to [offset, offset+len) of (bank, page). */
struct lb_write_xfer {
	uint8_t bank, page, offset;
	uint8_t len;
	bool lower;
	const uint8_t *src;
};

struct lb_write_plan {
	struct lb_write_xfer *xfer;
	unsigned n, cap;
};

/**
 * Build the writes of n ranges, in their order, each write at most lb_cmis_max_write(adv,
 * ...) bytes and at most drv_max bytes (0: no driver limit). flags: LB_WRITE_*
 * (module.h). LB_E_INVAL for an empty range, one past byte 255, head_last past len or an
 * unknown flag; LB_E_NOMEM.
 */
int lb_write_plan_build(struct lb_write_plan *plan, const struct lb_mem_write *w, unsigned n,
			unsigned flags, const struct lb_module_adv *adv, size_t drv_max);
void lb_write_plan_free(struct lb_write_plan *plan);

#endif
