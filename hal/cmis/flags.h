/* SPDX-License-Identifier: MIT */
/*
 * The latched-flag accumulator of one module (flags.c): every clear-on-read flag byte the
 * access layer reads is merged into the view of every consumer of that module.
 */
#ifndef LB_HAL_CMIS_FLAGS_H
#define LB_HAL_CMIS_FLAGS_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/flags.h>
#include <lightbridge/module.h>

#define LB_FLAGS_LOW_FIRST 8u   /* lower memory 8-11: module flags, monitor flags */
#define LB_FLAGS_LOW_N 4u
#define LB_FLAGS_P11_FIRST 134u /* page 11h 134-153 of each bank: lane flags */
#define LB_FLAGS_P11_N 20u
#define LB_FLAGS_P12_FIRST 231u /* page 12h 231-238 of each bank: tuning flags, lanes 1-8 */
#define LB_FLAGS_P12_N 8u
#define LB_FLAGS_BANKS (LB_MODULE_MAX_LANES / 8u)
#define LB_FLAGS_PAGE_VDM 0x2Cu /* 2Ch 128-255 of each bank: VDM flags, 4 bits per instance */
#define LB_FLAGS_PAGE_CCMIS 0x33u /* 33h 128-135 of each bank: coherent media lane flags */
#define LB_FLAGS_P33_FIRST 128u
#define LB_FLAGS_P33_N 8u

/* The latched flag bytes as read from the module, ORed. */
struct lb_flag_bytes {
	uint8_t low[LB_FLAGS_LOW_N];
	uint8_t p11[LB_FLAGS_BANKS][LB_FLAGS_P11_N];
	uint8_t p12[LB_FLAGS_BANKS][LB_FLAGS_P12_N];
	uint8_t p2c[LB_FLAGS_BANKS][128];            /* VDM flags (coherent.h reads them) */
	uint8_t p33[LB_FLAGS_BANKS][LB_FLAGS_P33_N]; /* coherent media lane flags */
};

struct lb_flag_acc;
struct lb_module;

/**
 * Give handle m (just opened, its shared block in place) the module's accumulator, created by
 * the first handle, and its default consumer. LB_E_NOMEM.
 */
int lb_flags_attach(struct lb_module *m);
/** Undo lb_flags_attach (the handle closes). */
void lb_flags_detach(struct lb_module *m);

/**
 * The access layer read len bytes at offset of (bank, page), or of lower memory: merge the
 * latched flag bytes among them into every consumer's view. Any thread; takes the
 * accumulator's own lock (a leaf lock, taken under the bus lock).
 */
void lb_flags_note(struct lb_flag_acc *acc, bool lower, uint8_t bank, uint8_t page,
		   uint8_t offset, const uint8_t *buf, unsigned len);

/**
 * Take consumer c's view of lower memory and of banks 0..banks-1 into out (the rest zero) and
 * clear what was taken; the tuning flags only with tuning (a caller that cannot report them
 * leaves them for the consumer's next lb_module_flags_read). c NULL: m's default consumer.
 */
void lb_flags_take(struct lb_module *m, struct lb_flag_consumer *c, unsigned banks,
		   bool tuning, struct lb_flag_bytes *out);

/**
 * Take consumer c's view of the coherent flags (VDM 2Ch, C-CMIS 33h) of banks 0..banks-1 into
 * out's p2c and p33 (the rest of out untouched) and clear what was taken. c NULL: m's default
 * consumer. lb_flags_take leaves them: only the coherent calls report them.
 */
void lb_flags_take_coherent(struct lb_module *m, struct lb_flag_consumer *c, unsigned banks,
			    struct lb_flag_bytes *out);
/**
 * Give back to consumer c (NULL: m's default) the flag bits of v it took but did not report:
 * ORed into its view alone, so its next read sees them. Every array of v counts.
 */
void lb_flags_give_back(struct lb_module *m, struct lb_flag_consumer *c,
			const struct lb_flag_bytes *v);
/** The same for the VDM flags (2Ch:128-255) of one bank alone, into out (zeros beyond the banks kept). */
void lb_flags_take_vdm(struct lb_module *m, struct lb_flag_consumer *c, uint8_t bank,
		       uint8_t out[128]);

/**
 * Read the flag bytes (lower 4-11, page 11h 134-153 of every bank) in one plan; they reach
 * every view through the access layer. lower[4..11] and p11[b][134-128..153-128] get the
 * bytes as read. *banks: the lane banks read (0 on flat memory). tuning: then read the
 * tuning flags (12h:231-238) of every bank the flag summary names (CMIS 5.0 on; every bank
 * before), on a module with page 12h; they reach the views only.
 */
int lb_flags_read_bus(struct lb_module *m, uint8_t lower[128], uint8_t (*p11)[128],
		      unsigned *banks, bool tuning);

/** Put the view's bytes in place of the read ones in lower and p11 (banks 0..banks-1). */
void lb_flags_patch(const struct lb_flag_bytes *v, unsigned banks, uint8_t lower[128],
		    uint8_t (*p11)[128]);

/** Decode lower 8-11 and page 11h 134-153 of banks 0..banks-1 (p11 NULL: none). */
void lb_cmis_decode_module_flags(const uint8_t lower[128], const uint8_t (*p11)[128],
				 unsigned banks, struct lb_module_flags *out);
/** Decode a view: lb_cmis_decode_module_flags and the tuning flags. */
void lb_flags_decode_bytes(const struct lb_flag_bytes *v, unsigned banks,
			   struct lb_module_flags *out);

/** Whether consumer c belongs to the module behind m. */
bool lb_flags_consumer_of(const struct lb_module *m, const struct lb_flag_consumer *c);

#endif
