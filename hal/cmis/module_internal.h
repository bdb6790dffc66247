/* SPDX-License-Identifier: MIT */
/* The module object as the rest of the core sees it. */
#ifndef LB_HAL_CMIS_MODULE_INTERNAL_H
#define LB_HAL_CMIS_MODULE_INTERNAL_H

#include <stdbool.h>
#include <lightbridge/driver.h>
#include <lightbridge/module.h>
#include "hal/bus/claim.h"
#include "hal/core/ctx_internal.h"

/* Page 01h advertisement bytes the access layer needs, read once per module insertion. */
struct lb_module_adv {
	bool valid;
	uint8_t identifier, revision;
	bool flat;
	uint8_t supported_pages;   /* 01h:142 */
	uint8_t timing_caps;       /* 01h:145 */
	uint8_t dur_dp;            /* 01h:144 DPDeinit/DPInit duration codes */
	uint8_t tx_controls;       /* 01h:155 */
	uint8_t module_monitors;   /* 01h:159 */
	uint8_t lane_monitors;     /* 01h:160 incl. Tx bias multiplier */
	uint8_t dur_module;        /* 01h:167 ModulePwrDn/PwrUp duration codes */
	uint8_t dur_tx;            /* 01h:168 DPTxTurnOff/On duration codes */
	uint8_t cdb_caps;          /* 01h:163 */
	uint8_t cdb_rw_ext;        /* 01h:164 */
	uint8_t nad_banks;         /* 01h:175 */
	uint8_t misc_features;     /* 01h:251 */
	uint8_t more_pages;        /* 01h:252 */
	unsigned banks;            /* lane banks */
	size_t max_read;           /* 8, or 128 with full-page reads */
	/*
	 * Coherent (C-CMIS pages 30h-4Fh, lb_cmis_coherent): decided at the probe from page 01h
	 * alone, except for a tunable module before CMIS 5.3, where it takes the media interface
	 * IDs of lower memory: read when a page 30h-4Fh is first asked for (coherent_known).
	 */
	bool coherent_known, coherent;
	uint8_t p01[128];          /* page 01h as read with its checksum (paged CMIS modules) */
};

/* Decoded static data other parts of the core keep per module (cleared by invalidate). */
struct lb_module_cache {
	bool lane_unsup_valid;
	uint8_t lane_unsup;         /* 00h:210, media lanes 1-8 not supported (monitors.c) */
	bool durations_valid;
	struct lb_module_durations durations;
	bool apps_valid;
	struct lb_app_list apps;
	unsigned media_lanes;       /* lb_cmis_media_lane_count of apps, 0: not worked out yet */
	/* VDM descriptors per bank, read once per insertion (hal/coherent/vdm_cache.c) */
	uint8_t vdm_valid;          /* bit b: bank b's group count and descriptors are read */
	uint8_t vdm_absent;         /* bit b: bank b's VDM pages proved missing (LB_E_NOTSUP) */
	uint8_t vdm_groups[4];      /* 2Fh:128 bits 1-0, plus one */
	uint8_t vdm_desc[4][4][128]; /* [bank][group]: page 20h + group */
};

/* The module's extension (module_ext.c): matched once per insertion, then attached or none. */
enum lb_module_ext_state {
	LB_MODULE_EXT_UNMATCHED = 0, /* not matched since open or the last invalidation */
	LB_MODULE_EXT_NONE,          /* no extension: plain CMIS until the next invalidation */
	LB_MODULE_EXT_ATTACHING,     /* attach is running */
	LB_MODULE_EXT_ATTACHED,
};
struct lb_module_ext_slot {
	enum lb_module_ext_state state;
	const struct lb_driver *drv;         /* the registry's copy */
	const struct lb_module_ext_ops *ops; /* zero-extended to this library's size */
	void *priv;
	struct lb_driver_env env;
	bool dropped;                        /* invalidated while attach ran */
};

/*
 * What the access layer knows of the module itself, shared by every handle on it: one block
 * per bus, route and address (lb_bus_route_data_get), read and written under the bus lock
 * but for epoch.
 */
struct lb_module_shared {
	/* page/bank select in force, trusted while sel_generation == bus generation */
	bool sel_page_valid, sel_bank_valid;
	uint8_t sel_page, sel_bank;
	uint64_t sel_generation;
	uint64_t last_write_ns;     /* our last write to it, for the post-write hold-off (tWRITE) */
	/*
	 * In the current hold of the bus: whether PageSelect and BankSelect in force are known
	 * (read back, or written by us: PageSelect for a page its advertisement names), and
	 * whether we wrote PageSelect.
	 */
	bool page_checked, bank_checked, sel_written;
	/*
	 * Bumped (atomically) whenever what is cached of the module is dropped (invalidated): each
	 * handle drops its own caches (advertisement, applications, extension) when it sees it move.
	 */
	uint64_t epoch;
	/* The latched-flag accumulator (flags.c), one per module; set while a handle is open. */
	struct lb_flag_acc *flags;
};

struct lb_module {
	struct lb_bus *bus;
	struct lb_module_addr where;
	struct lb_module_shared *sh; /* shared by the handles on this module */
	uint64_t epoch_seen;        /* sh->epoch this handle's caches belong to */
	uint64_t busy_until_ns;     /* a busy time the caller declared (lb_module_expect_busy) */
	int seen;                   /* LB_MODULE_SEEN_*: what the last access said (atomic) */
	struct lb_bus_claim_probe claim_probe; /* our descriptor of the module's claim file */
	struct lb_module_adv adv;
	struct lb_module_cache cache;
	struct lb_module_ext_slot ext;
	struct lb_flag_consumer *flags_default; /* what lb_module_get_monitors reads (flags.c) */
	/* The call under way (lb_module_call_begin/end) and the last failed one's detail. */
	unsigned call_depth;        /* public calls nested in the one under way */
	uint64_t call_seq;          /* the thread's error count when the outermost began */
	int xfer_rc;                /* the call's last failed transfer: its status (0: none) */
	struct lb_module_doing {    /* the transfer under way, for its detail should it fail */
		uint8_t what;       /* LB_MODULE_DOING_* */
		uint8_t bank, page, offset;
		uint16_t len;
	} doing;
	char xfer_error[192];       /* what the last failed transfer was */
	char last_error[LB_ERROR_MAX]; /* lb_module_last_error */
};

/* What a transfer to the module is for (struct lb_module_doing). */
enum {
	LB_MODULE_DOING_READ = 1,  /* reading bytes of lower memory or a page */
	LB_MODULE_DOING_WRITE,     /* writing them */
	LB_MODULE_DOING_SELECT,    /* writing BankSelect/PageSelect */
	LB_MODULE_DOING_CHECK,     /* reading them back */
	LB_MODULE_DOING_ROUTE,     /* writing mux control bytes on the way to it */
};

/*
 * Every public call on a module runs between these: begin notes the thread's error count and
 * forgets the transfers of the call before; end (returning rc) records the detail of a
 * failure, or "", in lb_module_last_error. Nested public calls leave it to the outermost. m
 * may be NULL (nothing is recorded). fn: the public call's name, for a failure with no more
 * to say.
 */
void lb_module_call_begin(struct lb_module *m);
int lb_module_call_end(struct lb_module *m, int rc, const char *fn);
/* The body of a public call on module m: `return LB_MODULE_CALL(m, body(m, ...));`. */
#define LB_MODULE_CALL(m, expr) \
	(lb_module_call_begin(m), lb_module_call_end((m), (expr), __func__))

/* Presence as the last access to the module saw it. */
#define LB_MODULE_SEEN_UNKNOWN 0  /* no access yet, or an error that says nothing of presence */
#define LB_MODULE_SEEN_ANSWERED 1 /* the last transfer was acknowledged */
#define LB_MODULE_SEEN_SILENT 2   /* the last transfer was NACKed or the device is gone */
int lb_module_seen(const struct lb_module *m);

/**
 * Drop this handle's caches when another handle of the module invalidated it (sh->epoch
 * moved). Every entry that uses a cache calls it first.
 */
void lb_module_sync(struct lb_module *m);

/** "module 0x50", "module 0x50 behind mux 0x70 channel 3" (and ", mux 0x71 channel 0"). */
void lb_module_route_text(const struct lb_module *m, char *out, size_t len);

/** The context of the module's bus (clock, log). */
struct lb_ctx *lb_module_ctx(const struct lb_module *m);
/**
 * Read bytes 128..last of upper page `page` (bank 0) into buf (buf[0] = byte 128) and check the
 * page's checksum: byte last holds the sum of bytes sum_first..last-1. A mismatch is read
 * again; a second read that passes, or that repeats the first byte for byte (the module's own
 * checksum is wrong, its data is what it is), is taken. Two reads that differ, neither
 * passing, are LB_E_CHECKSUM (a byte corrupted on the way; call again). Bus errors as for
 * lb_module_read.
 */
int lb_module_read_checked(struct lb_module *m, uint8_t page, unsigned sum_first, unsigned last,
			   uint8_t buf[128]);
/**
 * The media lanes a monitor poll reports (lb_cmis_media_lane_count of the applications),
 * worked out once per insertion with the applications.
 */
int lb_cmis_media_lanes(struct lb_module *m, unsigned banks, unsigned *lanes);
/** Read the advertisement if not yet known. Caller need not hold the bus. */
int lb_module_get_adv(struct lb_module *m, const struct lb_module_adv **out);

/* ---- the module's extension (module_ext.c) ---- */

/** Detach the extension, if any, and free its priv; the next consultation matches again. */
void lb_module_ext_detach(struct lb_module *m);
struct lb_module_identity;
/** After an identity read: match the extension on it, if none was matched yet (no I/O of its own). */
void lb_module_ext_identified(struct lb_module *m, const struct lb_module_identity *id);
/**
 * The attached extension's ops and priv, matching first when needed (one read of page 00h);
 * *ops NULL when there is none. A bus error of the match is returned.
 */
int lb_module_ext_get(struct lb_module *m, const struct lb_module_ext_ops **ops, void **priv);
/** After a consultation failed with rc: LB_E_NACK or LB_E_NODEV show the module gone, so detach. */
int lb_module_ext_status(struct lb_module *m, int rc);
/**
 * Let the extension decode a value the core decodes (LB_FIELD_* names): LB_OK with *value,
 * LB_E_NOTSUP for the core's own decode. Consults only an extension already attached.
 */
int lb_module_ext_field(struct lb_module *m, const char *name, unsigned lane, const uint8_t *raw,
			size_t len, double *value);
/** Whether an attached extension decodes fields at all (to skip the calls when not). */
bool lb_module_ext_decodes(const struct lb_module *m);

struct lb_sideband_event;
struct lb_flag_consumer;
/**
 * Read the latched flags (lower 4-11, page 11h 134-153 of every bank) in one plan, and fill
 * the flag members of out with what consumer c has not seen yet (monitors.c).
 * LB_E_UNKNOWN_ID for a non-CMIS module.
 */
int lb_cmis_read_flags(struct lb_module *m, struct lb_flag_consumer *c,
		       struct lb_sideband_event *out);

#endif
