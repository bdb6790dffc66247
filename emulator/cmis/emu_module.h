/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: the CMIS module model shared by the files of emulator/cmis/. */
#ifndef LB_EMU_MODULE_INTERNAL_H
#define LB_EMU_MODULE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/emulator.h>
#include "emulator/cmis/emu_coherent.h"

#define EMU_MAX_BANKS 4u
#define EMU_MAX_LANES (8u * EMU_MAX_BANKS)
#define EMU_PAGE_SIZE 128u
#define EMU_LOWER (-1)

/* Module states (byte 3 bits 3-1). */
enum {
	EMU_MS_LOWPWR = 1,
	EMU_MS_PWRUP = 2,
	EMU_MS_READY = 3,
	EMU_MS_PWRDN = 4,
	EMU_MS_FAULT = 5,
};

/* Data-path states (11h:128-131 nibbles). */
enum {
	EMU_DP_DEACTIVATED = 1,
	EMU_DP_INIT = 2,
	EMU_DP_DEINIT = 3,
	EMU_DP_ACTIVATED = 4,
	EMU_DP_TXTURNON = 5,
	EMU_DP_TXTURNOFF = 6,
	EMU_DP_INITIALIZED = 7,
};

/* Byte access classes. */
enum emu_access {
	EMU_RO = 0,  /* writes ignored */
	EMU_RW = 1,
	EMU_WO = 2,  /* reads as 0; a write acts and stores nothing */
	EMU_COR = 3, /* latched flags: read-only, cleared by a read */
};

/* The memory: lower half and every existing upper page (banked pages once per bank). */
struct emu_mem {
	uint8_t lower[EMU_PAGE_SIZE];
	uint8_t *page[EMU_MAX_BANKS][256]; /* upper bytes 128-255 at [0..127]; unbanked: bank 0 only */
	unsigned nbanks;
};

/* Per host lane: data-path timer and a pending ApplyDPInit. */
struct emu_lane {
	uint64_t deadline;       /* end of a transient DP state */
	bool apply_pending;      /* ConfigInProgress (0xC) until apply_deadline */
	uint64_t apply_deadline;
	uint8_t apply_result;    /* ConfigStatus code when the apply completes */
	uint8_t staged[31];      /* snapshot of SCS0 bytes 145-175 of the lane's bank at ApplyDPInit */
};

enum emu_source { EMU_FROM_PROFILE = 1, EMU_FROM_IMAGE = 2 };

/* The page handler table (emu_page.h): which handler serves each page, with its state. */
struct emu_page_handler;
#define EMU_MAX_PAGE_SLOTS 32u
struct emu_page_slot {
	const struct emu_page_handler *h;
	void *priv;          /* h->priv_size bytes, or NULL */
	uint8_t access[128]; /* enum emu_access of each byte of the half, from h's ranges */
};
struct emu_pages {
	struct emu_page_slot slot[EMU_MAX_PAGE_SLOTS]; /* slot 0: read-only, no hooks */
	unsigned nslots;
	uint8_t of[257];                   /* slot serving the lower half [0], page p [p + 1] */
	uint8_t timed[EMU_MAX_PAGE_SLOTS]; /* slots with timers, on pages the module has */
	uint8_t flagged[EMU_MAX_PAGE_SLOTS]; /* slots with flags, on pages the module has */
	unsigned ntimed, nflagged;
};

/*
 * The profile's model of the module's CDB firmware handling ("cdb" object; page_cdb.c and
 * cdb_fw.c read it at power-on). set false: the model's defaults (a module made from an image).
 */
struct emu_cdb_model {
	bool set;
	uint32_t flash_block_bytes;  /* the flash's programming unit */
	uint64_t flash_block_ns;     /* time to program one */
	uint64_t write_overhead_ns;  /* per write command, besides the programming */
	bool password;               /* commands need a host password first (0001h) */
	uint32_t password_value;
	bool readback;               /* 0105h/0106h answered */
	bool copy;                   /* 0108h answered */
};

/* What the host's use of CDB costs, measured (lb_emu_module_get_cdb_stats). */
struct emu_cdb_measure {
	uint64_t commands, busy_ns, idle_ns;
	uint64_t done_at;            /* a command finished then and the host has not looked since */
};

struct lb_emu_module {
	struct lb_emu_world *world;
	struct lb_emu_module *world_next;
	struct lb_emu_segment *segment; /* attached to, or NULL */
	char name[96];
	enum emu_source source;

	struct emu_mem mem;      /* what the host sees */
	struct emu_mem defaults; /* power-on content (restored on reset / insertion) */
	unsigned nlanes;         /* 8 per bank */
	bool flat;

	/* two-wire interface */
	uint8_t addr;     /* current byte address */
	uint8_t cur_page; /* page mapped into 128-255 */
	uint8_t cur_bank;

	struct lb_emu_timing timing;

	/* pins, presence, reset */
	bool lpmode, resetl, present;
	bool resetting;          /* management init after reset: NACK until reset_deadline */
	uint64_t reset_deadline;
	bool reset_requested;    /* SoftwareReset written; acted on at the end of the write */
	uint64_t hold_off_until; /* a CDB command holds off the bus (NACK) until then */
	struct emu_cdb_model cdb_model;
	struct emu_cdb_measure cdb_measure;
	/* the transaction under way: its clocks so far, and when its STOP comes (access.c) */
	uint64_t xfer_clocks, xfer_end;

	/* module state machine */
	int msm;
	uint64_t msm_deadline;

	struct emu_lane lane[EMU_MAX_LANES];

	struct emu_pages pages; /* how each page behaves */

	/* injected faults */
	unsigned nack_count, short_count;
	bool stuck_busy;

	bool fresh;        /* made from an image: evaluate on the first run, not at load */
	uint8_t image_banks[256]; /* made from an image: bit b = bank b of page p was in the file */
	uint64_t t;        /* time up to which the state machines have run */

	/* telemetry source (monitors.c): sampled at m->t when the module runs at a new time */
	struct lb_emu_telemetry_ops telem;  /* zero-extended copy; telem.sample NULL: none */
	void *telem_user;
	uint64_t telem_t;                   /* time of the last sample */
	bool telem_sampled;                 /* ... and whether there was one */
	bool running;                       /* in emu_module_run: no nested run */
	struct emu_coherent coh;            /* coherent measures and statistics (emu_coherent.h) */

	lb_emu_pin_hook_fn pin_hook; /* told when ModPrsL or IntL may have changed */
	void *pin_hook_user;
};

/* ModPrsL or IntL may have changed: tell the pin hook (pin_hook.c). */
static inline void emu_pins_changed(struct lb_emu_module *m)
{
	if (m->pin_hook)
		m->pin_hook(m->pin_hook_user);
}

/* ---- memory.c: page store ---- */
bool emu_page_banked(uint8_t page);
int emu_mem_add_page(struct emu_mem *mem, unsigned bank, uint8_t page);
/* Upper page bytes (128 of them, index = byte - 128), NULL if absent; bank ignored when unbanked. */
uint8_t *emu_mem_page(const struct emu_mem *mem, unsigned bank, uint8_t page);
void emu_mem_free(struct emu_mem *mem);
int emu_mem_copy(struct emu_mem *dst, const struct emu_mem *src);
/*
 * Which upper pages the advertisement creates: lower memory (2.7 flat), page 01h (142, 145.3,
 * 155.6, 163; may be NULL) and page 2Fh:128 (VDM groups; may be NULL). banks_of[p] = number
 * of banks page p exists in (0 = absent; unbanked pages 1).
 */
void emu_advertised_pages(const uint8_t *lower, const uint8_t *p01, const uint8_t *p2f,
			  uint8_t banks_of[256]);
/* Allocate every page banks_of[] names (zero-filled), keeping pages that exist already. */
int emu_mem_alloc_pages(struct emu_mem *mem, const uint8_t banks_of[256]);
/* Banks per 01h:142 bits 1-0 (1, 2 or 4; 11b: 01h:174.4-0 + 1, at most EMU_MAX_BANKS). */
unsigned emu_banks_from_adv(uint8_t b142, uint8_t b174);
/* Low byte of the plain sum of p[from..to] where p is an upper page and from/to are byte addresses. */
uint8_t emu_page_sum(const uint8_t *page, unsigned from, unsigned to);
/* Recompute 00h:222, 01h:255, 02h:255 (those present). */
void emu_mem_fix_checksums(struct emu_mem *mem);
/* Duration-code bounds (CMIS Table 8-49), ns. */
uint64_t emu_code_max_ns(unsigned code);
uint64_t emu_code_min_ns(unsigned code);
/* ---- module.c ---- */
/* Allocate a module with its defaults zeroed, in world w (not yet linked). */
struct lb_emu_module *emu_module_alloc(struct lb_emu_world *w);
/* Finish creation: copy memory to defaults, set the interface to page 0, link into world. */
int emu_module_finish(struct lb_emu_module *m);

/* ---- access.c: the two-wire interface (byte access rules: emu_page.h) ---- */
bool emu_page_exists(const struct lb_emu_module *m, unsigned bank, uint8_t page);
/* Once per transaction addressed to the module: LB_E_NACK when it does not answer. */
int emu_module_xfer_begin(struct lb_emu_module *m);
int emu_module_wire_write(struct lb_emu_module *m, const uint8_t *data, size_t len);
int emu_module_wire_read(struct lb_emu_module *m, uint8_t *buf, size_t len);

/* ---- world.c: the world lock for a module's public calls ---- */
/* Take the world lock and bring the module up to its clock. */
void emu_module_lock(struct lb_emu_module *m);
/* Tell the module's segment about its timers, then release the world lock. */
void emu_module_unlock(struct lb_emu_module *m);

/* ---- msm.c: time, module state machine, reset, pins ---- */
/* Run timers up to now (virtual ns). */
void emu_module_run(struct lb_emu_module *m, uint64_t now);
/* The module's clock: its segment's, or the world's when it sits on no segment. */
uint64_t emu_module_now(const struct lb_emu_module *m);
/* Bring the module up to its clock. */
void emu_module_sync(struct lb_emu_module *m);
/* When the module's next timer fires (virtual ns; UINT64_MAX: none). */
uint64_t emu_module_next_deadline(const struct lb_emu_module *m);
/* Evaluate the state machines at m->t (after a register or pin change). */
void emu_module_eval(struct lb_emu_module *m);
bool emu_low_pwr_s(const struct lb_emu_module *m);
void emu_msm_set(struct lb_emu_module *m, int state);
/* Start a reset (SoftwareReset, ResetL release, insertion): NACK for reset_ns, then defaults. */
void emu_module_begin_reset(struct lb_emu_module *m);
/* Power-on register state from the defaults (keeps page 03h and the monitor values). */
void emu_module_power_on(struct lb_emu_module *m);

/* ---- dpsm.c: data paths and control sets ---- */
uint8_t emu_nibble_get(const uint8_t *base, unsigned lane);
void emu_nibble_set(uint8_t *base, unsigned lane, uint8_t v);
/* DP state of a host lane (0-based, all banks). */
uint8_t emu_dp_lane_state(const struct lb_emu_module *m, unsigned lane);
/** The lanes of one bank held in DPDeinit by its page 10h (p10: bytes 128-255 of it), read
 *  by the revision the module declares (CMIS 3.x: 10h:128 is DataPathPwrUp, inverted). */
uint8_t emu_dp_deinit_bits(const struct lb_emu_module *m, const uint8_t *p10);
/* Evaluate every data path once; true if anything changed. */
bool emu_dp_eval(struct lb_emu_module *m);
/* A defined DP state on every lane, ModuleFault too (a reserved code the machine never steps). */
void emu_dp_settle_reserved(struct lb_emu_module *m);
/* Fire data-path timers due at m->t; true if anything changed. */
bool emu_dp_fire(struct lb_emu_module *m);
uint64_t emu_dp_next_deadline(const struct lb_emu_module *m);
bool emu_dp_all_deactivated(const struct lb_emu_module *m);
/* Force every data path of the module to DPDeactivated (reset, fault). */
void emu_dp_force_deactivated(struct lb_emu_module *m);
/* An application descriptor (AppSel 1-15). */
struct emu_app {
	uint8_t host_id, media_id, host_lanes, media_lanes, host_opts, media_opts;
};
/* AppSel k from the advertised list (false: not in it). */
bool emu_app_get(const struct lb_emu_module *m, unsigned k, struct emu_app *out);

/* ---- monitors.c: monitors, flags, IntL ---- */
/* Bits of module flag byte 9 whose condition holds (temperature, Vcc against page 02h). */
uint8_t emu_module_flag_level(const struct lb_emu_module *m);
/* Bits of lane flag byte addr of page 11h (139-146, 149-152) in bank whose condition holds. */
uint8_t emu_lane_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr);
/* Latch every monitor flag whose condition holds. */
void emu_flags_latch_levels(struct lb_emu_module *m);
bool emu_intl(const struct lb_emu_module *m);
/* The telemetry source's next sample on its own (UINT64_MAX: none), and the sample at m->t. */
uint64_t emu_telemetry_next_deadline(const struct lb_emu_module *m);
void emu_telemetry_sample(struct lb_emu_module *m);
/* Release the telemetry source (module destroyed). */
void emu_telemetry_release(struct lb_emu_module *m);
/* Update byte 3 bit 0 and the lane flag summaries (bytes 4-7). */
void emu_flags_refresh(struct lb_emu_module *m);

/* ---- profile.c / image.c ---- */
int emu_profile_load(struct lb_emu_module *m, const char *path, char *err, size_t errlen);
int emu_image_load(struct lb_emu_module *m, const char *path, char *err, size_t errlen);
/* How long a module replayed from an image takes for an advertised duration code (ns). */
uint64_t emu_image_step_ns(unsigned code);

/* ---- util ---- */
void emu_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
const char *emu_basename(const char *path);

#endif
