/* SPDX-License-Identifier: MIT */
/*
 * Driver ops tables: what a driver plugin implements. One table per kind of driver
 * (bus, sideband, module extension, ASIC), each versioned by LB_DRIVER_ABI and a size field.
 * A plugin shared object exports `const struct lb_driver *lb_driver_entry(void)`.
 */
#ifndef LIGHTBRIDGE_DRIVER_H
#define LIGHTBRIDGE_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/clock.h>
#include <lightbridge/i2c.h>
#include <lightbridge/log.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

/* Raised on any incompatible change to the structs below. */
#define LB_DRIVER_ABI 1u

enum lb_driver_kind {
	LB_DRIVER_BUS = 1,
	LB_DRIVER_SIDEBAND = 2,
	LB_DRIVER_MODULE_EXT = 3,
	LB_DRIVER_ASIC = 4,
};

/* What the core hands a driver instance: its clock and log hook. */
struct lb_driver_env {
	struct lb_clock clock;
	lb_log_fn log;
	void *log_user;
	const char *data_dir;  /* where profiles/platforms live (for emulated devices) */
	const char *state_dir; /* where persistent state may be kept, or NULL */
	/*
	 * One slot per context and driver, shared by every instance of the driver in the
	 * context (e.g. the emulator's one virtual world). Freed by the ops' release_shared.
	 */
	void **shared;
	/*
	 * Nonzero: the state in state_dir may be read but not written (no write, rename or
	 * temporary file), and may be read together with other readers (lb_ctx_set_state_mode).
	 * Appended last: a driver built before it never reads it.
	 */
	int state_readonly;
};

/* Bus driver capabilities. */
#define LB_BUS_CAP_I2C 0x1u      /* raw two-wire messages through xfer() */
#define LB_BUS_CAP_PAGED 0x2u    /* the driver selects bank/page itself (optoe): paged_*() */
#define LB_BUS_CAP_CLOCK 0x4u    /* the driver provides the (virtual) clock: get_clock() */
#define LB_BUS_CAP_TIMED 0x8u    /* the driver reports the exact wire time of each transfer */

struct lb_bus_found; /* include/lightbridge/detect.h */

/*
 * A bus driver: one instance per two-wire segment (or per EEPROM file for paged drivers).
 * The core holds the bus mutex around every call; ops are never called concurrently on one
 * instance. All ops return LB_OK or a negative enum lb_status.
 */
struct lb_bus_ops {
	/*
	 * sizeof(struct lb_bus_ops) the driver was built with. Ops appended later read as NULL
	 * for an older driver: the core copies the table into a zeroed one of its own size.
	 */
	size_t size;
	uint32_t caps;       /* LB_BUS_CAP_* */
	size_t priv_size;    /* bytes the core allocates for the instance's private state */

	/**
	 * Open the instance. options: the bus object of the platform JSON, serialised (may be
	 * "{}"); handle: an in-process object (e.g. an emulator segment), or NULL.
	 * Must not do bus I/O beyond probing. Required.
	 */
	int (*open)(void *priv, const struct lb_driver_env *env, const char *options,
		    void *handle);
	/** Release everything open() took. Required. */
	void (*close)(void *priv);
	/** Largest data length of one message (e.g. I2C_RDWR limit, CP2112 report). Required. */
	size_t (*max_transfer)(void *priv);
	/**
	 * Run a combined transfer (write offset, repeated START, read) as one bus
	 * transaction. Required with LB_BUS_CAP_I2C. May block for the transfer's duration.
	 * A NACK returns LB_E_NACK; an absent device LB_E_NODEV.
	 */
	int (*xfer)(void *priv, struct lb_i2c_msg *msgs, unsigned n);
	/** Read len bytes at (bank, page, offset) of the device at addr. Required with LB_BUS_CAP_PAGED. */
	int (*paged_read)(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
			  uint8_t *buf, size_t len);
	/** Write len bytes at (bank, page, offset). Required with LB_BUS_CAP_PAGED. */
	int (*paged_write)(void *priv, uint16_t addr, uint8_t bank, uint8_t page, uint8_t offset,
			   const uint8_t *buf, size_t len);
	/** Provide a clock (the emulator's virtual clock). Required with LB_BUS_CAP_CLOCK. */
	int (*get_clock)(void *priv, struct lb_clock *out);
	/** Wire time of the last transfer in ns. Required with LB_BUS_CAP_TIMED. */
	uint64_t (*last_xfer_ns)(void *priv);
	/** Bus clock in kHz, used to charge bus time when the driver is not TIMED. Optional. */
	uint32_t (*clock_khz)(void *priv);
	/** Free the context-wide shared slot (env->shared) when the context goes. Optional. */
	void (*release_shared)(void *shared);
	/**
	 * List the buses of this kind the machine has (adapters, USB bridges), calling found
	 * once per bus with a struct lb_bus_found (include/lightbridge/detect.h); a nonzero
	 * return from found stops the walk and is returned. No instance is needed: env is a
	 * context's env without an instance. Must not do bus I/O (probing the adapter's
	 * capabilities or a USB string descriptor is fine). Optional; appended last so that
	 * every table above keeps its layout (lb_detect_buses() reaches it).
	 */
	int (*enumerate)(const struct lb_driver_env *env,
			 int (*found)(void *user, const struct lb_bus_found *bus), void *user);
	/**
	 * Largest data length of one write message (offset byte included), when the adapter
	 * writes less than it reads (CP2112: 61 against 512). Optional: NULL means
	 * max_transfer() for both.
	 */
	size_t (*max_write)(void *priv);
};

/* Sideband lines of a cage (ResetL, LPMode, ModSelL inputs to the module; ModPrsL, IntL outputs). */
enum lb_sideband_line {
	LB_SB_RESETL = 0,
	LB_SB_LPMODE = 1,
	LB_SB_MODSELL = 2,
	LB_SB_MODPRSL = 3,
	LB_SB_INTL = 4,
	LB_SB_COUNT = 5,
};

struct lb_sideband_ops {
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const char *options, void *handle);
	void (*close)(void *priv);
	/** Drive an input line of the module: asserted = 1 means the signal's active state. */
	int (*set)(void *priv, enum lb_sideband_line line, int asserted);
	/** Read a line: 1 = asserted (active), 0 = not. */
	int (*get)(void *priv, enum lb_sideband_line line, int *asserted);
	/** A file descriptor that becomes readable on a presence or interrupt edge, or -1. */
	int (*event_fd)(void *priv);
	/** Consume one pending edge: which line, and its new state. LB_E_NOTFOUND if none. */
	int (*read_event)(void *priv, enum lb_sideband_line *line, int *asserted);
};

/* Reserved for the next issues; their tables grow behind the size field. */
struct lb_module_ext_ops {
	size_t priv_size;
	/** 1 when this extension handles a module with this OUI and part number. */
	int (*match)(const uint8_t oui[3], const char *part_number);
};

struct lb_asic_ops {
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const char *options, void *handle);
	void (*close)(void *priv);
};

/* Every driver, built-in or plugin, is described by one of these. */
struct lb_driver {
	uint32_t abi;         /* LB_DRIVER_ABI the driver was built against */
	uint32_t size;        /* sizeof(struct lb_driver) the driver was built with */
	enum lb_driver_kind kind;
	const char *name;     /* unique within its kind, e.g. "emulator", "linux-i2c" */
	const char *version;  /* free text */
	union {
		const struct lb_bus_ops *bus;
		const struct lb_sideband_ops *sideband;
		const struct lb_module_ext_ops *module_ext;
		const struct lb_asic_ops *asic;
	} ops;
};

/* Symbol a plugin exports. */
#define LB_DRIVER_ENTRY_SYMBOL "lb_driver_entry"
typedef const struct lb_driver *(*lb_driver_entry_fn)(void);

struct lb_bus; /* include/lightbridge/bus.h */

/**
 * The private state (priv) of a bus instance, but only when the bus runs the driver owner,
 * compared by identity (the very struct lb_driver, not its name); NULL otherwise, or for a
 * NULL bus. For a companion driver of the same plugin (e.g. a sideband driver on the GPIOs
 * of a USB bridge whose bus driver holds the device) to reach its own bus instance and no
 * other driver's. The state lives until lb_bus_close(): close the companion first.
 */
LB_API void *lb_bus_driver_priv(struct lb_bus *bus, const struct lb_driver *owner);

/** Log through the env's hook (printf-style); a driver never prints. */
LB_API void lb_driver_log(const struct lb_driver_env *env, enum lb_log_level level,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

LB_END_DECLS
#endif
