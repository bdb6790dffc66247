/* SPDX-License-Identifier: MIT */
/*
 * Sideband lines of a cage: ResetL, LPMode and ModSelL (host -> module), ModPrsL and IntL
 * (module -> host), through a sideband driver (gpiod on hardware, emulator without).
 *
 * Presence and interrupt edges arrive as events. lb_sideband_event_fd() gives a file
 * descriptor a NOS puts in its own poll/epoll loop; when it is readable, call
 * lb_sideband_read_event() until it returns LB_E_NOTFOUND. An interrupt event carries the
 * module's latched flags: which module flags and which lanes, not the monitor values
 * (lb_module_get_monitors reads those). The sideband is a flag consumer of its own (flags.h):
 * an event holds every flag latched since the sideband's last interrupt event, whether this
 * read cleared it in the module or another caller (a monitor poll) did, and taking it leaves
 * the poller's view alone.
 *
 *   struct lb_sideband *sb;
 *   lb_platform_sideband(platform, 1, &sb);
 *   struct pollfd pfd = { .fd = lb_sideband_event_fd(sb), .events = POLLIN };
 *   while (poll(&pfd, 1, -1) > 0) {
 *           struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
 *           while (lb_sideband_read_event(sb, &ev) == LB_OK)
 *                   handle(&ev);  // ev.type, ev.module_flags, ev.rx_los, ...
 *   }
 *
 * "asserted" always means the signal's active state, whatever the electrical polarity:
 * ResetL asserted = held in reset, LPMode asserted = low power requested, ModSelL asserted
 * = selected, ModPrsL asserted = a module is present, IntL asserted = interrupt pending.
 *
 * Thread-safety: one sideband may be used from several threads; calls are serialised.
 */
#ifndef LIGHTBRIDGE_SIDEBAND_H
#define LIGHTBRIDGE_SIDEBAND_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/ctx.h>
#include <lightbridge/driver.h>
#include <lightbridge/module.h>

LB_BEGIN_DECLS

struct lb_sideband;
struct lb_platform;
struct lb_bus;

/**
 * Open a cage's sideband lines with a registered sideband driver. options: JSON object text
 * for the driver (NULL means "{}"), parsed here once, its errors named "DRIVER sideband
 * options"; handle: an in-process object for the driver (for
 * "emulator": the struct lb_emu_module * whose pins to drive; for "cp2112": the struct lb_bus *
 * of the bridge, opened with the cp2112 bus driver, whose GPIO pins carry the lines), or NULL.
 * LB_E_NOTFOUND for an unknown driver; the driver's status otherwise. Close with
 * lb_sideband_close() before the handle's object goes.
 */
LB_API int lb_sideband_open(struct lb_ctx *ctx, const char *driver, const char *options,
			    void *handle, struct lb_sideband **out);
/** Release the lines (they keep their last level); NULL is allowed. */
LB_API void lb_sideband_close(struct lb_sideband *sb);
/** Name of the driver behind the sideband. */
LB_API const char *lb_sideband_driver_name(const struct lb_sideband *sb);

/**
 * Drive an input of the module (LB_SB_RESETL, LB_SB_LPMODE, LB_SB_MODSELL).
 * LB_E_INVAL for an output line (ModPrsL, IntL); LB_E_NOTSUP when the cage has no such line.
 */
LB_API int lb_sideband_set(struct lb_sideband *sb, enum lb_sideband_line line, bool asserted);
/** Read any line (inputs read back what is driven). LB_E_NOTSUP when the cage has no such line. */
LB_API int lb_sideband_get(struct lb_sideband *sb, enum lb_sideband_line line, bool *asserted);
/** ModPrsL as a question: is a module in the cage. */
LB_API int lb_sideband_present(struct lb_sideband *sb, bool *present);

/** "ResetL", "LPMode", "ModSelL", "ModPrsL", "IntL"; "unknown" otherwise. */
LB_API const char *lb_sideband_line_name(enum lb_sideband_line line);

enum lb_sideband_event_type {
	LB_SB_EVENT_INSERTED = 1,          /* ModPrsL asserted */
	LB_SB_EVENT_REMOVED = 2,           /* ModPrsL deasserted */
	LB_SB_EVENT_INTERRUPT = 3,         /* IntL asserted: the event holds the latched flags */
	LB_SB_EVENT_INTERRUPT_CLEARED = 4, /* IntL deasserted */
};
/** "inserted", "removed", "interrupt", "interrupt-cleared"; "unknown" otherwise. */
LB_API const char *lb_sideband_event_name(int type);

/**
 * One event. Sized (common.h): set size, e.g. = LB_SIDEBAND_EVENT_INIT. Lane masks are 32
 * bits across the module's banks (bank b holds lanes 8b+1..8b+8): bit i = lane i+1.
 */
struct lb_sideband_event {
	size_t size;
	enum lb_sideband_event_type type;
	unsigned port;              /* front-panel port for a platform's sideband, else 0 */
	uint64_t time_ns;           /* context clock when the event was read */
	/*
	 * For LB_SB_EVENT_INTERRUPT: LB_OK and the module's latched flags below, read in one
	 * plan (lower memory 4-11, page 11h 134-153 of every bank) and merged with those other
	 * callers read since the sideband's last interrupt (flags.h); or why they could not be
	 * read (LB_E_NOTSUP: no module bound to this sideband; LB_E_UNKNOWN_ID: not a CMIS
	 * module; LB_E_NOMEM; a bus status otherwise). LB_E_NOTSUP and zeros for
	 * the other events.
	 */
	int flags_status;
	/*
	 * Lower memory 4-7, bank 0-3 (not latched): bit 0 page 11h, bit 1 page 12h, bit 2 page 14h,
	 * bit 3 page 2Ch has a flag set, as the module said before this read. Flags of pages
	 * 12h, 14h and 2Ch are not read here: they stay latched for whoever reads them.
	 */
	uint8_t flag_summary[4];
	uint8_t module_flags;       /* byte 8: bit 0 ModuleStateChanged, 1 ModuleFirmwareError,
				       2 DataPathFirmwareError, 6-7 CdbCmdComplete 1-2 */
	uint8_t temperature_flags, vcc_flags;                     /* LB_FLAG_*, byte 9 */
	uint8_t aux1_flags, aux2_flags, aux3_flags, custom_flags; /* LB_FLAG_*, bytes 10-11 */
	unsigned lanes;             /* lanes the masks cover: 8 per bank read, 0 on flat memory */
	/* Page 11h of every bank. */
	uint32_t dp_state_changed;  /* 134 */
	uint32_t tx_fault;          /* 135 */
	uint32_t tx_los, tx_lol;    /* 136-137 */
	uint32_t tx_adapt_eq_fail;  /* 138 */
	/*
	 * 139-146, 149-152: [k] = lanes whose flag (1u << k) of LB_FLAG_* latched: [0] high
	 * alarm, [1] low alarm, [2] high warning, [3] low warning.
	 */
	uint32_t tx_power_flagged[4], tx_bias_flagged[4];
	uint32_t rx_los, rx_lol;    /* 147-148 */
	uint32_t rx_power_flagged[4];
	uint32_t rx_output_changed; /* 153 */
};
#define LB_SIDEBAND_EVENT_INIT LB_SIZED_INIT(struct lb_sideband_event)
#define LB_SIDEBAND_EVENT_SIZE_V1 LB_SIZE_THROUGH(struct lb_sideband_event, rx_output_changed)

/**
 * A file descriptor that becomes readable while events are pending (edge of ModPrsL or
 * IntL), for poll/epoll; owned by the sideband, valid until lb_sideband_close(). -1 when the
 * driver gives none (then poll lb_sideband_get()).
 */
LB_API int lb_sideband_event_fd(const struct lb_sideband *sb);
/**
 * Take the next pending event. On an insertion or removal the bound module's caches are
 * dropped (lb_module_invalidate). LB_E_NOTFOUND when none is pending (not an error);
 * LB_E_INVAL for a size below LB_SIDEBAND_EVENT_SIZE_V1, checked before any event is taken.
 */
LB_API int lb_sideband_read_event(struct lb_sideband *sb, struct lb_sideband_event *out);
/**
 * The module whose flags an interrupt event reads, for a sideband opened with
 * lb_sideband_open() (a platform's sideband finds its port's module itself). NULL unbinds.
 */
LB_API void lb_sideband_set_module(struct lb_sideband *sb, struct lb_module *m);

/**
 * The sideband of a platform port (owned by the platform, valid until lb_platform_close()),
 * described by the port's "sideband" object in the platform JSON, e.g.
 *   {"driver": "gpiod", "chip": "gpiochip0",
 *    "lines": {"resetl": 3, "lpmode": 4, "modsell": 5, "modprsl": 6, "intl": 7}}
 *   {"driver": "emulator"}
 * LB_E_NOTFOUND: no such port; LB_E_NOTSUP: the port has no sideband.
 */
LB_API int lb_platform_sideband(struct lb_platform *p, unsigned port, struct lb_sideband **out);

/*
 * For driver writers: a sideband opened by a platform receives, as open()'s handle, this
 * description of its port (valid during open() only), and its options gain "port" (the
 * front-panel number) and "bus" (the bus name). A driver that needs nothing of the bus ignores
 * it; the emulator driver uses it to find the emulated module behind an "emulator" bus, the
 * cp2112 driver to share the bridge its bus driver holds (lb_bus_driver_priv(where->bus, ...)).
 */
struct lb_sideband_port {
	unsigned port;
	const char *bus_name;
	const char *bus_driver;     /* name of the port's bus driver */
	struct lb_module_addr addr; /* the module's address on the bus */
	struct lb_bus *bus;         /* the port's bus, for lb_bus_driver_priv() (driver.h) */
};

LB_END_DECLS
#endif
