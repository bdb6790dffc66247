/* SPDX-License-Identifier: MIT */
/*
 * The fault campaign: every public module call, run fault-free once for its reference result
 * and then again on the module under test with a fault injected at a random transaction
 * inside the call (NACK, short transfer, a corrupted byte where a checksum should catch it,
 * hot removal, stuck busy, module fault) or between calls (the module swapped, reset, power
 * cycled or faulted while no call was running). A call must end in its reference result or
 * in an error status within a bounded virtual time; a different value with LB_OK is a silent
 * wrong value. After an error the next fault-free call must give exactly its reference result
 * (no stale page or bank cache, no lock or claim left held).
 *
 * Public API and emulator only (no cmocka), so that tests/test_fault_campaign.c runs a short
 * campaign and bench/bench_campaign.c a long one. Seeded and reproducible: every failure
 * names its seed, episode and step; an episode replays alone (lb_campaign_opts.episode).
 *
 * The calls are a table (struct lb_campaign_call): a feature adds its own table to
 * lb_campaign_opts.tables, next to lb_campaign_module_calls.
 */
#ifndef LB_TEST_CAMPAIGN_H
#define LB_TEST_CAMPAIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <lightbridge/lightbridge.h>

/* What the engine knows of the module under test, read fault-free when an episode starts. */
struct lb_campaign_info {
	const char *profile;          /* profile name */
	unsigned lanes, banks;        /* host lanes, lane banks */
	struct lb_app_list apps;
	struct lb_module_durations dur;
	bool advertised[256];         /* upper page p advertised in bank 0 */
	bool has_ext;                 /* a module extension is attached (vendor page B0h) */
};

/* The arguments the engine picks for one call (each call uses what it needs). */
#define LB_CAMPAIGN_MAX_RANGES 4
struct lb_campaign_args {
	uint32_t lane_mask;
	uint8_t appsel;
	unsigned lane;                /* a media lane, 1-based (laser status, Tx power) */
	int tx_power_cdbm;            /* a Tx power target, 0.01 dBm */
	int grid, channel;            /* a laser grid and channel (tuning) */
	double ghz;                   /* a laser frequency (tuning) */
	bool flag;                    /* low power, deinit, disable, lower half, ... */
	int dpid;                     /* -1: not set */
	bool explicit_control;
	unsigned speed_gbps;          /* a port speed (find_app) */
	unsigned n;                   /* ranges */
	struct {
		uint8_t bank, page, offset;
		uint16_t len;
		uint8_t data[128];
	} r[LB_CAMPAIGN_MAX_RANGES];
};

/* What a call gave: its status and its results, compared byte for byte with the reference. */
#define LB_CAMPAIGN_OUT_MAX 16384
struct lb_campaign_out {
	int rc;
	size_t len;
	bool overflow;
	uint8_t data[LB_CAMPAIGN_OUT_MAX];
};
/** Append n bytes of results. */
void lb_campaign_put(struct lb_campaign_out *o, const void *p, size_t n);

/* Call flags. */
#define LB_CAMPAIGN_MUTATES 0x1u /* changes the module: LB_OK is judged by the module's state (intent) */
#define LB_CAMPAIGN_RAW 0x2u     /* raw bytes: a corrupted byte is the caller's to catch */
#define LB_CAMPAIGN_VALUE 0x4u   /* returns a value >= 0 on success (page_supported, claimed) */
#define LB_CAMPAIGN_SEVERAL 0x8u /* several public calls: lb_module_last_error is the last one's */

struct lb_campaign_call {
	const char *name;
	unsigned flags;
	unsigned weight;             /* how often it is picked, relative (0: 1) */
	/** Choose the arguments; false when the call does not apply to this module. */
	bool (*pick)(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a);
	/** Run the call on m, filling out->rc and the results. */
	void (*run)(struct lb_module *m, const struct lb_campaign_args *a, struct lb_campaign_out *out);
	/**
	 * LB_CAMPAIGN_MUTATES: after LB_OK, whether the module now holds what was asked (read with
	 * lb_emu_module_peek, no bus traffic): NULL when it does, else what is wrong.
	 */
	const char *(*intent)(struct lb_emu_module *emu, const struct lb_campaign_info *info,
			      const struct lb_campaign_args *a);
};

/** The module calls (module.h, bringup.h): identity to claims. */
extern const struct lb_campaign_call lb_campaign_module_calls[];
extern const unsigned lb_campaign_module_ncalls;

struct lb_campaign_table {
	const struct lb_campaign_call *calls;
	unsigned n;
};

struct lb_campaign_opts {
	uint64_t seed;
	uint64_t faults;          /* stop once this many faults were injected */
	unsigned steps;           /* steps (calls) per episode; 0: 24 */
	long episode;             /* -1: every episode from 0; else this one alone */
	const char *data_dir;     /* for emulator/profiles/NAME.json */
	const char *const *profiles; /* NULL: every profile the tree ships */
	unsigned n_profiles;
	const struct lb_campaign_table *tables; /* NULL: the module calls */
	unsigned n_tables;
	/*
	 * A directory for the bus's lock file (lb_bus_set_lock_file) and the module claim files
	 * next to it, so that "no lock or claim left held" is checked across processes too; NULL:
	 * no lock file.
	 */
	const char *lock_dir;
	FILE *log;                /* each failure (and with verbose each step); NULL: stderr */
	bool verbose;
};

/* What a campaign counted. */
struct lb_campaign_stats {
	uint64_t episodes, calls;
	uint64_t faults;          /* faults that were injected (an in-call fault whose transaction
				     never came is not one) */
	uint64_t correct;         /* the reference result */
	uint64_t clean_errors;    /* an error status where the reference had none (or another) */
	uint64_t silent_wrong;    /* LB_OK with another value, or a module not as asked */
	uint64_t hangs;           /* a call past its bound of virtual time */
	uint64_t not_recovered;   /* after an error, the next fault-free call was not exact */
	uint64_t claims_left;     /* a claim or the bus lock left held after a call */
	uint64_t false_changes;   /* LB_E_CHANGED where the module had not changed */
	uint64_t bad_details;     /* lb_module_last_error empty after an error, or not after LB_OK */
	uint64_t by_fault[16];    /* faults injected, by kind (lb_campaign_fault_name) */
	uint64_t virtual_ns;      /* virtual time the episodes took */
	char first_failure[512];  /* the first failure, with its seed, episode and step */
};

/** Name of fault kind k (index into by_fault), or NULL past the last. */
const char *lb_campaign_fault_name(unsigned k);

/** Run a campaign. Returns 0 when it ran (look at the stats), else a setup failure. */
int lb_campaign_run(const struct lb_campaign_opts *opts, struct lb_campaign_stats *stats);

/** Print the figures. */
void lb_campaign_print(FILE *f, const struct lb_campaign_opts *opts,
		       const struct lb_campaign_stats *stats);

/** The lines of the figures after the first: the counts, the faults by kind (named by name,
 * NULL past the last), the first failure. Shared by the ASIC campaign (campaign_asic.h). */
void lb_campaign_print_counts(FILE *f, const struct lb_campaign_stats *stats,
			      const char *(*name)(unsigned k));

/** Whether the campaign found nothing wrong. */
bool lb_campaign_clean(const struct lb_campaign_stats *stats);

#endif
