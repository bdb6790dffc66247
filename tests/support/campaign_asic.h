/* SPDX-License-Identifier: MIT */
/*
 * The ASIC fault campaign: every public ASIC call family (switch caps, ports, counters,
 * buffers, QoS, HyperPorts, MACsec) on an emulated ASIC whose bus fails
 * (lb_emu_asic_fault_arm: a read timing out, a read of all ones, a lost write, a command
 * that never completes, inside the call at a random access; a chip reset between calls),
 * each step run first fault-free on a twin chip for its reference. Judged as the module
 * campaign judges (tests/support/campaign.h): the reference result or an error with a
 * detail; a change judged by the chip's registers read back fault-free (as before the call,
 * or as the twin holds them after it; anything else is a half-applied change); after an
 * error the switch's view must be the chip's (port, pool, profile and HyperPort gets against
 * the registers; one LB_E_CHANGED allowed after a reset) and a read call again exact; a call
 * bounded in register accesses (the model's calls take no virtual time).
 *
 * A row is a name, flags and a run function that takes its arguments from a random word:
 * the twin and the chip under test run the same row with the same word. Add a row to
 * lb_campaign_asic_calls (campaign_asic_calls.c) or pass a table of your own.
 */
#ifndef LB_TEST_CAMPAIGN_ASIC_H
#define LB_TEST_CAMPAIGN_ASIC_H

#include "campaign.h"

struct lb_switch;

/* Row flags (besides LB_CAMPAIGN_MUTATES, campaign.h). */
#define LB_CAMPAIGN_ASIC_VOLATILE 0x100u /* counters, watermarks: not run again after an error */

struct lb_campaign_asic_call {
	const char *name;
	unsigned flags;
	/** Run the call on sw with arguments drawn from r; fill out->rc and the results. */
	void (*run)(struct lb_switch *sw, uint64_t r, struct lb_campaign_out *out);
};

extern const struct lb_campaign_asic_call lb_campaign_asic_calls[];
extern const unsigned lb_campaign_asic_ncalls;

struct lb_campaign_asic_opts {
	uint64_t seed;
	uint64_t faults;      /* stop once this many faults fired */
	unsigned steps;       /* steps per episode; 0: 16 */
	long episode;         /* -1: every episode from 0; else this one alone */
	const struct lb_campaign_asic_call *calls; /* NULL: lb_campaign_asic_calls */
	unsigned n_calls;
	FILE *log;            /* failures (and with verbose each step); NULL: stderr */
	bool verbose;
};

/* Fault kinds in lb_campaign_stats.by_fault: lb_emu_asic_fault + 1. */
const char *lb_campaign_asic_fault_name(unsigned k);

/** Run a campaign. 0 when it ran (look at the stats, lb_campaign_clean), else a setup failure. */
int lb_campaign_asic_run(const struct lb_campaign_asic_opts *o, struct lb_campaign_stats *st);

/** Print the figures. */
void lb_campaign_asic_print(FILE *f, const struct lb_campaign_asic_opts *o,
			    const struct lb_campaign_stats *st);

#endif
