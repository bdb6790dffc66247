/* SPDX-License-Identifier: MIT */
/*
 * The CMIS revision rules (revision.h). Sources: the CMIS 3.0, 4.0, 5.0, 5.3 and 5.4 texts
 * and their revision histories, as digested in the project's CMIS reference (cmis.md).
 */
#include <stddef.h>
#include "hal/cmis/revision.h"

static const struct lb_cmis_rev_rule_row rules[LB_CMIS_RULE_COUNT] = {
	{ LB_CMIS_RULE_DP_PWRUP, 0x00, 0x40, "10h:128",
	  "DataPathPwrUp (1 = power up) before CMIS 4.0, DPDeinit (1 = deinitialize) from 4.0" },
	{ LB_CMIS_RULE_LOWPWR_BIT6, 0x00, 0x50, "00h:26.6",
	  "\"LowPwr\" before CMIS 5.0 (low power with 26.4 \"ForceLowPwr\"), LowPwrAllowRequestHW from 5.0" },
	{ LB_CMIS_RULE_READ_8, 0x50, 0xFF, "01h:251.1-0",
	  "READs of at most 8 bytes unless 251.1-0 = 10b from CMIS 5.0 (4.x: 128 unless 01b)" },
	{ LB_CMIS_RULE_COHERENT_BIT, 0x53, 0xFF, "01h:142.4",
	  "CoherentPagesSupported from CMIS 5.3 (reserved before: coherence from the media interface)" },
	{ LB_CMIS_RULE_MCI_4BIT, 0x53, 0xFF, "00h:2.5-2",
	  "4-bit MciMaxSpeed from CMIS 5.3 (2.3-2 before, 2.5-4 reserved)" },
	{ LB_CMIS_RULE_EXTRA_BANKS, 0x54, 0xFF, "01h:174.4-0",
	  "lane banks for 142.1-0 = 11b from CMIS 5.4 (code 11b reserved before)" },
	{ LB_CMIS_RULE_GRID_6_IS_33, 0x50, 0xFF, "12h:128.7-4",
	  "grid code 6 = 33 GHz, 7 = 75 GHz from CMIS 5.0 (swapped in 4.x)" },
};

uint8_t lb_cmis_rev_effective(uint8_t revision)
{
	return revision ? revision : 0x50;
}

const struct lb_cmis_rev_rule_row *lb_cmis_rev_row(enum lb_cmis_rev_rule rule)
{
	return (unsigned)rule < LB_CMIS_RULE_COUNT ? &rules[rule] : NULL;
}

bool lb_cmis_rev_has(uint8_t revision, enum lb_cmis_rev_rule rule)
{
	const struct lb_cmis_rev_rule_row *r = lb_cmis_rev_row(rule);
	uint8_t rev = lb_cmis_rev_effective(revision);
	/* until 0xFF: every later revision (0xFF itself included) */
	return r && rev >= r->since && (r->until == 0xFF || rev < r->until);
}
