/* SPDX-License-Identifier: MIT */
/*
 * The CMIS revision rules: every register whose meaning depends on the revision a module
 * declares (lower byte 1: bits 7-4 major, 3-0 minor), in one table (revision.c), so that the
 * decoders and the state machines ask here instead of comparing revisions themselves.
 */
#ifndef LB_HAL_CMIS_REVISION_H
#define LB_HAL_CMIS_REVISION_H

#include <stdbool.h>
#include <stdint.h>

enum lb_cmis_rev_rule {
	/* 10h:128 is DataPathPwrUp (1 = power the data path up), the inverse of DPDeinit. */
	LB_CMIS_RULE_DP_PWRUP,
	/* 26.6 "LowPwr" requests low power as 26.4 "ForceLowPwr" does (write both for low). */
	LB_CMIS_RULE_LOWPWR_BIT6,
	/*
	 * A READ returns at most 8 bytes unless 01h:251.1-0 FullPageReadSupported = 10b (4.x:
	 * up to 128 unless 251.1-0 = 01b). 251.1-0 is defined from 5.3 and 00b there means
	 * "unknown" only for 5.2 and earlier; a 5.0-5.2 module that sets it is taken at its word.
	 */
	LB_CMIS_RULE_READ_8,
	/* 01h:142.4 CoherentPagesSupported is defined (reserved, left clear, before). */
	LB_CMIS_RULE_COHERENT_BIT,
	/* 00h:2.5-2 is one 4-bit MciMaxSpeed (only 2.3-2 before, 2.5-4 reserved). */
	LB_CMIS_RULE_MCI_4BIT,
	/* 01h:142.1-0 = 11b: 01h:174.4-0 counts the lane banks (reserved code before). */
	LB_CMIS_RULE_EXTRA_BANKS,
	/* 12h:128.7-4 grid code 6 = 33 GHz, 7 = 75 GHz (swapped in 4.x). No user yet: page
	 * 12h is neither staged nor decoded by the core. */
	LB_CMIS_RULE_GRID_6_IS_33,
	LB_CMIS_RULE_COUNT
};

/** One rule: it holds for revision bytes since <= rev < until. */
struct lb_cmis_rev_rule_row {
	enum lb_cmis_rev_rule rule;
	uint8_t since, until;
	const char *field; /* "10h:128" */
	const char *what;  /* what the rule means, for docs and logs */
};

/** The revision byte the rules are applied to: a module that declares none (00h) is taken
 *  by the rules of CMIS 5.0. */
uint8_t lb_cmis_rev_effective(uint8_t revision);
/** Whether rule holds for a module declaring revision (lower byte 1). */
bool lb_cmis_rev_has(uint8_t revision, enum lb_cmis_rev_rule rule);
/** The table row of rule (never NULL for a rule below LB_CMIS_RULE_COUNT). */
const struct lb_cmis_rev_rule_row *lb_cmis_rev_row(enum lb_cmis_rev_rule rule);

/**
 * 10h:128 as the module holds it from the DPDeinit lane bits (bit i = lane i+1 held in
 * DPDeinit) and back: the identity from CMIS 4.0, the inverse (DataPathPwrUp) before.
 */
static inline uint8_t lb_cmis_dp_deinit_reg(uint8_t revision, uint8_t deinit_bits)
{
	return lb_cmis_rev_has(revision, LB_CMIS_RULE_DP_PWRUP) ? (uint8_t)~deinit_bits : deinit_bits;
}

#endif
