/* SPDX-License-Identifier: MIT */
/*
 * Internal to the emulator: page handlers. How a module's bytes behave is a table: for the
 * lower half and for each upper page one handler gives the access class of every byte (per
 * byte range), what a write or a read of them does (hooks), which flags they hold, and the
 * timers it keeps on the module's virtual clock. docs/emulator.md, "Writing a page handler",
 * says how to write one.
 */
#ifndef LB_EMU_PAGE_H
#define LB_EMU_PAGE_H

#include "emulator/cmis/emu_module.h"

/* A byte range of a page and its access class. */
struct emu_range {
	uint8_t first, last; /* byte addresses, inclusive: 0-127 lower half, 128-255 upper page */
	enum emu_access access;
};

/* Where an access happens, as the hooks see it. */
struct emu_io {
	int page;       /* EMU_LOWER or the upper page */
	unsigned bank;  /* bank of the bytes (0 for the lower half and unbanked pages) */
	uint8_t *bytes; /* the half's 128 bytes: bytes[addr & 127] is byte address addr */
	bool single;    /* in write hooks: the write carried exactly one data byte */
};

/*
 * One handler serves the lower half (first_page = last_page = EMU_LOWER) or a range of upper
 * pages. Every hook is optional; a handler with none is a plain memory map of access classes.
 * Hooks run under the world lock with the module at its own time m->t; they must not call
 * the public API on the same module. Banked pages: hooks are told the bank in io or bank.
 */
struct emu_page_handler {
	const char *name;
	int first_page, last_page;
	enum emu_access access;         /* bytes that no range names */
	const struct emu_range *ranges; /* the first range holding a byte decides its class */
	unsigned nranges;
	size_t priv_size;               /* private state per module, zeroed when installed */

	/* Data bytes one write may carry when it starts on this page (8 without the hook). */
	unsigned (*max_write)(const struct lb_emu_module *m, int page);
	/*
	 * A host wrote value at addr: after it was stored (RW bytes), or instead of storing it
	 * (WO bytes). Not called for RO and COR bytes, whose writes are ignored. Bank broadcast
	 * calls it once per bank.
	 */
	void (*write)(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
		      uint8_t value);
	/*
	 * The write is over (every byte of it stored and hooked): act on what needs the whole
	 * write (a reset, a command whose header came last). The state machines are evaluated
	 * after it.
	 */
	void (*write_done)(struct lb_emu_module *m, void *priv, const struct emu_io *io);
	/* The host is about to read n bytes from addr (wrapping within the half): refresh them. */
	void (*before_read)(struct lb_emu_module *m, void *priv, const struct emu_io *io, uint8_t addr,
			    size_t n);
	/* COR bytes: the bits whose condition still holds, latched again right after a read. */
	uint8_t (*flag_level)(const struct lb_emu_module *m, unsigned bank, uint8_t addr);
	/*
	 * Whether flags of the page are set in bank (unmasked: only those its masks let through,
	 * which assert IntL). summary: the bit of lower byte 4 + bank (the lane flag summary) that
	 * set flags raise; 0 for none.
	 */
	bool (*flags_set)(const struct lb_emu_module *m, unsigned bank, bool unmasked);
	uint8_t summary;
	/* Timers: when the handler next wants to run (UINT64_MAX: never), and the run at m->t. */
	uint64_t (*next_deadline)(const struct lb_emu_module *m, const void *priv);
	void (*run)(struct lb_emu_module *m, void *priv);
	/* Power-on (reset, insertion): private state back to power-on, after memory was. */
	void (*power_on)(struct lb_emu_module *m, void *priv);
	/* The module goes: free what the private state holds (not priv itself). */
	void (*release)(void *priv);
};

#define EMU_RANGES(r) .ranges = (r), .nranges = sizeof(r) / sizeof((r)[0])

/* The built-in handlers (pages.c lists them; a later entry takes the pages of an earlier one). */
extern const struct emu_page_handler emu_page_lower;       /* page_lower.c */
extern const struct emu_page_handler emu_page_user_eeprom; /* page_rw.c: 03h */
extern const struct emu_page_handler emu_page_controls;    /* page_10h.c */
extern const struct emu_page_handler emu_page_lane_status; /* page_11h.c */
extern const struct emu_page_handler emu_page_tuning;      /* page_12h.c */
extern const struct emu_page_handler emu_page_diag_control, emu_page_diag_flags; /* page_rw.c */
extern const struct emu_page_handler emu_page_vdm_samples, emu_page_vdm_flags,
	emu_page_vdm_masks, emu_page_vdm_control;          /* page_vdm.c: 24h-27h, 2Ch, 2Dh, 2Fh */
extern const struct emu_page_handler emu_page_ccmis_config, emu_page_ccmis_flags,
	emu_page_ccmis_pm, emu_page_ccmis_masks;           /* page_ccmis.c: 30h-32h, 33h, 34h-35h, 38h */
extern const struct emu_page_handler emu_page_cdb;         /* page_cdb.c: 9Fh, A0h-AFh */
extern const struct emu_page_handler emu_page_custom;      /* page_rw.c: B0h-FFh */
extern const struct emu_page_handler emu_page_pcs;         /* page_pcs.c: B8h, layout PCS1 */

/* ---- pages.c: the module's table ---- */
/* Install the built-in handlers (at creation, once the memory exists). */
int emu_pages_install(struct lb_emu_module *m);
/*
 * Install h for its pages in m (over whatever served them). Its timers and flags count when
 * one of its pages exists in the module. LB_E_RANGE when the table is full.
 */
int emu_pages_add(struct lb_emu_module *m, const struct emu_page_handler *h);
void emu_pages_free(struct lb_emu_module *m);
/* The slot serving a page (EMU_LOWER or 0-255). */
static inline struct emu_page_slot *emu_pages_slot(struct lb_emu_module *m, int page)
{
	return &m->pages.slot[m->pages.of[page + 1]];
}
static inline enum emu_access emu_pages_access(const struct lb_emu_module *m, int page,
					       uint8_t addr)
{
	return (enum emu_access)m->pages.slot[m->pages.of[page + 1]].access[addr & 127u];
}
/* Earliest handler timer, and the run of those due at m->t. */
uint64_t emu_pages_next_deadline(const struct lb_emu_module *m);
void emu_pages_run(struct lb_emu_module *m);
void emu_pages_power_on(struct lb_emu_module *m);
/* Any unmasked flag of any page (IntL), and the summary bits of a bank (lower 4 + bank). */
bool emu_pages_intl(const struct lb_emu_module *m);
uint8_t emu_pages_summary(const struct lb_emu_module *m, unsigned bank);

/* Helpers for handlers. */
#define EMU_P(b) ((b) - 128) /* upper byte address -> index into the page's 128 bytes */
static inline bool emu_any_unmasked(const uint8_t *flags, const uint8_t *masks, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (flags[i] & ~(masks ? masks[i] : 0u))
			return true;
	return false;
}

#endif
