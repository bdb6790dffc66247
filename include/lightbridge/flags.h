/* SPDX-License-Identifier: MIT */
/*
 * Latched flags nobody loses.
 *
 * CMIS flags are latched and clear-on-read: the first read of a flag byte returns what latched
 * and clears it in the module. So that a monitor poller, an interrupt handler and a CLI on one
 * module do not take each other's flags, every latched flag byte that crosses the bus, by
 * whatever call (monitor poll, interrupt service, lb_module_flags_read, a raw lb_module_read
 * of those bytes), is merged into one accumulator per physical module (per bus, mux route
 * and address, shared by every handle on it). Each consumer has its own view of it: reading
 * returns the flags latched since the consumer's last read, and clears that view only. A flag
 * raised once is seen by every consumer exactly once, whoever read it from the module.
 *
 * The bytes covered: lower memory 8 (module flags, CDB complete), 9-11 (monitor flags), page
 * 11h 134-153 (DP state changed, Tx/Rx flags) and page 12h 231-238 (tuning flags of tunable
 * modules) of every lane bank, and the coherent flags: VDM 2Ch and C-CMIS 33h:128-135, which
 * lb_telemetry_read (coherent.h) reports. Flags of page 14h are not accumulated (yet): they
 * stay in the module until read. Flags read before a module was replaced are still delivered
 * (they were raised).
 *
 * Consumers:
 *   - each module handle has a default consumer, read by lb_module_get_monitors (the flags in
 *     struct lb_module_monitors) and by lb_module_flags_read(m, NULL, ...);
 *   - a sideband (sideband.h) has its own, read when an interrupt event is taken;
 *   - anyone else creates one with lb_flag_consumer_create (lbctl, a CDB engine, a logger).
 * A consumer sees the flags read from the module after it was created, not those before.
 *
 *   struct lb_flag_consumer *c;
 *   lb_flag_consumer_create(m, &c);
 *   struct lb_module_flags f = LB_MODULE_FLAGS_INIT;
 *   if (lb_module_flags_read(m, c, &f) == LB_OK && (f.module_flags & LB_MODFLAG_CDB1_COMPLETE))
 *           ...;
 *   lb_flag_consumer_free(c);
 *
 * Thread-safety: the accumulator is locked; consumers of one module may be read from several
 * threads at once, each through its own handle (a handle is used by one thread at a time). One
 * consumer is read by one thread at a time.
 */
#ifndef LIGHTBRIDGE_FLAGS_H
#define LIGHTBRIDGE_FLAGS_H

#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/module.h>

LB_BEGIN_DECLS

/** One consumer's view of a module's latched flags. */
struct lb_flag_consumer;

/**
 * A new consumer of the flags of the module behind m (any handle on it will do, and any
 * handle on the same module may read it). It sees the flags read from the module from now
 * on. LB_E_INVAL for NULL arguments; LB_E_NOMEM. No bus traffic.
 */
LB_API int lb_flag_consumer_create(struct lb_module *m, struct lb_flag_consumer **out);
/**
 * Free a consumer; NULL is allowed. It may outlive every handle of its module (it then sees
 * nothing new), but not the process's use of the library.
 */
LB_API void lb_flag_consumer_free(struct lb_flag_consumer *c);

/* Bits of struct lb_module_flags.module_flags (lower memory byte 8). */
#define LB_MODFLAG_STATE_CHANGED 0x01u   /* ModuleStateChanged */
#define LB_MODFLAG_FW_ERROR 0x02u        /* ModuleFirmwareError */
#define LB_MODFLAG_DP_FW_ERROR 0x04u     /* DataPathFirmwareError */
#define LB_MODFLAG_CDB1_COMPLETE 0x40u   /* CdbCmdCompleteFlag1: CDB instance 1 finished */
#define LB_MODFLAG_CDB2_COMPLETE 0x80u   /* CdbCmdCompleteFlag2 */

/**
 * The latched flags of a module, as one consumer sees them. Sized (common.h): set size, e.g.
 * = LB_MODULE_FLAGS_INIT. Lane masks are 32 bits across the lane banks (bank b holds lanes
 * 8b+1..8b+8): bit i = lane i+1. Flag groups of four use LB_FLAG_* (module.h).
 */
struct lb_module_flags {
	size_t size;
	unsigned lanes;             /* lanes the masks cover: 8 per bank, 0 on flat memory */
	uint8_t module_flags;       /* byte 8: LB_MODFLAG_* */
	uint8_t temperature_flags, vcc_flags;                     /* LB_FLAG_*, byte 9 */
	uint8_t aux1_flags, aux2_flags, aux3_flags, custom_flags; /* LB_FLAG_*, bytes 10-11 */
	/* Page 11h of every bank. */
	uint32_t dp_state_changed;  /* 134 */
	uint32_t tx_fault;          /* 135 */
	uint32_t tx_los, tx_lol;    /* 136-137 */
	uint32_t tx_adapt_eq_fail;  /* 138 */
	/* 139-146, 149-152: [k] = lanes whose flag (1u << k) of LB_FLAG_* latched. */
	uint32_t tx_power_flagged[4], tx_bias_flagged[4];
	uint32_t rx_los, rx_lol;    /* 147-148 */
	uint32_t rx_power_flagged[4];
	uint32_t rx_output_changed; /* 153 */
	/*
	 * Page 12h 231-238 of every bank, [i] = lane i+1: LB_TUNEFLAG_*. Read by
	 * lb_module_flags_read on a tunable module (01h:155.6), for the banks whose flag summary
	 * (lower 4-7, bit 1) says so; zero otherwise.
	 */
	uint8_t tuning_flags[LB_MODULE_MAX_LANES];
};
#define LB_MODULE_FLAGS_INIT LB_SIZED_INIT(struct lb_module_flags)
#define LB_MODULE_FLAGS_SIZE_V1 LB_SIZE_THROUGH(struct lb_module_flags, tuning_flags)

/* Bits of struct lb_module_flags.tuning_flags (page 12h 231-238). */
#define LB_TUNEFLAG_COMPLETE 0x01u          /* tuning complete */
#define LB_TUNEFLAG_WAVELENGTH_UNLOCKED 0x02u
#define LB_TUNEFLAG_INVALID_CHANNEL 0x04u
#define LB_TUNEFLAG_NOT_ACCEPTED 0x08u      /* tuning not accepted */
#define LB_TUNEFLAG_FINE_OUT_OF_RANGE 0x10u /* fine-tuning out of range */
#define LB_TUNEFLAG_POWER_OUT_OF_RANGE 0x20u /* target output power out of range */

/**
 * Read the module's latched flag bytes (one plan: lower 4-11 and page 11h 134-153 of every
 * lane bank; then, on a tunable module, 12h:231-238 of the banks whose summary names page
 * 12h; merged into the accumulator for every consumer), then return and clear consumer
 * c's view: every flag latched since c's last read, whoever read it from the module. c NULL:
 * the handle's default consumer, the one lb_module_get_monitors reads. A failed read keeps
 * whatever it did read for the next call (nothing is lost) and returns its status with out
 * zeroed. LB_E_INVAL: m NULL, a size below LB_MODULE_FLAGS_SIZE_V1, or c belonging to another
 * module; LB_E_UNKNOWN_ID: not a CMIS module; bus statuses. Thread-safety: see above.
 */
LB_API int lb_module_flags_read(struct lb_module *m, struct lb_flag_consumer *c,
				struct lb_module_flags *out);

LB_END_DECLS
#endif
