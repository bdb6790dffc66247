/* SPDX-License-Identifier: MIT */
/*
 * Driver ops tables: what a driver plugin implements. One table per kind of driver (bus,
 * sideband, module extension, ASIC), wrapped in a struct lb_driver.
 *
 * How the ABI grows (docs/porting.md says the same for driver writers):
 * - Every ops table starts with `size_t size`, the sizeof the table the driver was built
 *   with. The core copies it into a zeroed table of the library's own size, so ops appended
 *   later read NULL for an older driver, and a newer driver's extra ops are ignored. A table
 *   smaller than its kind's first published layout (LB_*_OPS_MIN_SIZE) is refused, LB_E_ABI.
 * - struct lb_driver carries its own `size` too; any size from its first published layout
 *   (LB_DRIVER_MIN_SIZE, which ends at `ops`) up is accepted and copied zero-extended, so
 *   fields appended later (kind_abi is the first) read 0 for an older driver.
 * - LB_DRIVER_ABI is the version of struct lb_driver itself. Each kind has its own version
 *   (LB_BUS_ABI, LB_SIDEBAND_ABI, LB_MODULE_EXT_ABI, LB_ASIC_ABI), raised only on an
 *   incompatible change of that kind's table: a driver is checked against its own kind's
 *   version only, so changing the ASIC table never breaks a bus plugin.
 * - A plugin shared object exports `lb_driver_entry_list()` (a NULL-terminated list, so one
 *   object can ship a bus driver and its companion sideband driver), or the older
 *   `lb_driver_entry()` (one driver). All drivers of a plugin are registered, or none.
 *
 * Threads: bus ops of one instance run under the bus mutex, and a sideband's set, get and
 * read_event under the sideband's, never two at once. Instances of one driver may run on
 * different threads at once, so whatever they share (statics, the env->shared slot) is the
 * driver's to lock. env and the strings it points to stay valid and unchanged for the
 * instance's life and may be read from any thread.
 */
#ifndef LIGHTBRIDGE_DRIVER_H
#define LIGHTBRIDGE_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/clock.h>
#include <lightbridge/i2c.h>
#include <lightbridge/log.h>
#include <lightbridge/options.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

/* Version of struct lb_driver; raised only on an incompatible change of that struct. */
#define LB_DRIVER_ABI 1u

/*
 * Version of each kind's ops table, carried in lb_driver.kind_abi; raised only on an
 * incompatible change of that table (appending an optional op is compatible: no raise).
 * Bus and sideband 2: open() takes its options parsed (const struct lb_options *), where
 * version 1 took JSON text; a driver of version 1 is refused.
 */
#define LB_BUS_ABI 2u
#define LB_SIDEBAND_ABI 2u
#define LB_MODULE_EXT_ABI 1u
#define LB_ASIC_ABI 1u

/* Bytes of a struct from its start through member (for the LB_*_MIN_SIZE values below). */
#define LB_SIZE_THROUGH(type, member) (offsetof(type, member) + sizeof(((type *)0)->member))

enum lb_driver_kind {
	LB_DRIVER_BUS = 1,
	LB_DRIVER_SIDEBAND = 2,
	LB_DRIVER_MODULE_EXT = 3,
	LB_DRIVER_ASIC = 4,
};

/*
 * What the core hands a driver instance: its clock and log hook. Built by the core; valid,
 * and unchanged, for the instance's life.
 */
struct lb_driver_env {
	struct lb_clock clock;
	lb_log_fn log;
	void *log_user;
	const char *data_dir;  /* where profiles/platforms live (for emulated devices) */
	const char *state_dir; /* where persistent state may be kept, or NULL */
	/* Both strings are the context's values at open and live as long as the context. */
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
	/*
	 * Nonzero: start over: ignore what state_dir holds (taking the state's lock exclusively
	 * first, so that no concurrent process saves over it) and replace it when done.
	 */
	int state_fresh;
};

/* Bus driver capabilities. */
#define LB_BUS_CAP_I2C 0x1u      /* raw two-wire messages through xfer() */
#define LB_BUS_CAP_PAGED 0x2u    /* the driver selects bank/page itself (optoe): paged_*() */
#define LB_BUS_CAP_CLOCK 0x4u    /* the driver provides the (virtual) clock: get_clock() */
#define LB_BUS_CAP_TIMED 0x8u    /* the driver reports the exact wire time of each transfer */
/*
 * xfer() takes several write-read pairs in one call, run as one transaction (repeated START
 * between the messages, one STOP), as I2C_RDWR does: the access layer reads the module's
 * PageSelect back in the transaction of the read that relies on it. Without it, that read-back
 * is a transaction of its own.
 */
#define LB_BUS_CAP_COMBINED 0x10u

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
	 * Open the instance. options: the driver's options object, read-only, never NULL: the
	 * bus's "options" of a platform file as it was parsed, with the bus's "name" added, or
	 * the text given to lb_bus_open() parsed (an empty object for NULL). Read it with the
	 * getters of lightbridge/options.h; a getter that fails records "ORIGIN: FIELD: reason",
	 * for `return lb_driver_error(env, rc, "%s", lb_options_error(options));`. The object
	 * and its strings are valid during open() only: copy what the instance keeps.
	 * handle: an in-process object (e.g. an emulator segment), or NULL.
	 * Must not do bus I/O beyond probing. Required.
	 */
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
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
	/**
	 * Capabilities that depend on what open() found, ORed into caps for this instance
	 * (linux-i2c: LB_BUS_CAP_COMBINED when the adapter does I2C_RDWR, not when it offers
	 * SMBus only). Called once, after a successful open(). Optional; appended last.
	 */
	uint32_t (*instance_caps)(void *priv);
};

/* The first published bus table ends at xfer: everything a bus driver needs (in ABI 1 and 2). */
#define LB_BUS_OPS_MIN_SIZE LB_SIZE_THROUGH(struct lb_bus_ops, xfer)

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
	/* sizeof(struct lb_sideband_ops) the driver was built with (as in lb_bus_ops). */
	size_t size;
	size_t priv_size;
	/**
	 * Required. options as for a bus (lb_bus_ops.open): a platform port's "sideband" object
	 * without its "driver", with the port's "port" number and "bus" name added (and then
	 * handle is the port's struct lb_sideband_port *), or the text given to
	 * lb_sideband_open() parsed.
	 */
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle);
	/** Required. */
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

/* The first published sideband table: everything above. */
#define LB_SIDEBAND_OPS_MIN_SIZE LB_SIZE_THROUGH(struct lb_sideband_ops, read_event)

struct lb_module;        /* include/lightbridge/module.h */
struct lb_module_field;  /* include/lightbridge/module.h */
struct lb_line_mode;     /* include/lightbridge/link.h */

/*
 * What a module extension is matched on, read once per module insertion: lower memory bytes
 * 0-1 and the vendor block of page 00h. Only CMIS modules reach match. The core fills it at
 * its own size and sets size so; a member appended later is read by an extension only when
 * LB_SIZE_THROUGH(struct lb_module_ext_match, member) <= size.
 */
struct lb_module_ext_match {
	size_t size;
	uint8_t identifier;            /* SFF-8024 byte 0 */
	uint8_t cmis_major, cmis_minor; /* byte 1: the module's CMIS revision */
	uint8_t vendor_oui[3];         /* 00h:145-147 */
	char vendor_name[17];          /* 00h:129-144 (as lb_module_identity: blanks dropped) */
	char part_number[17];          /* 00h:148-163 */
	char revision[3];              /* 00h:164-165, the vendor's hardware revision */
};

/*
 * Names of the values the core decodes that an extension may decode its own way
 * (decode_field below). lane is the media lane (1-based) for lane values, 0 for module
 * values and thresholds. raw is the field as the memory map holds it (big-endian).
 */
#define LB_FIELD_TEMPERATURE_C "temperature_c" /* lower 14-15, S16 1/256 degC */
#define LB_FIELD_VCC_V "vcc_v"                 /* lower 16-17, U16 100 uV */
#define LB_FIELD_TX_POWER_MW "tx_power_mw"     /* 11h:154+, U16 0.1 uW */
#define LB_FIELD_TX_BIAS_MA "tx_bias_ma"       /* 11h:170+, U16 2 uA x multiplier */
#define LB_FIELD_RX_POWER_MW "rx_power_mw"     /* 11h:186+, U16 0.1 uW */
/*
 * Thresholds (page 02h) are the name of their quantity with ".high_alarm", ".low_alarm",
 * ".high_warn" or ".low_warn" appended ("tx_bias_ma.high_alarm"), lane 0.
 */

/*
 * A module extension (drivers/module/<vendor>/): the vendor's own knowledge of a module
 * family, matched after the module's first identity read, with private data per module.
 * Every op but match is optional, and the core asks the extension first and falls back to
 * plain CMIS when the op is NULL or answers LB_E_NOTSUP. An extension reaches its module
 * only through the public module calls (lb_module_read, lb_module_write, ...) and its priv.
 *
 * Life of an attachment: match; the core allocates priv_size bytes, zeroed; attach; the
 * other ops, any number of times; detach, when the module is closed, invalidated
 * (lb_module_invalidate: a reset, a hot swap, ModPrsL), or has shown it is gone (a NACK or
 * LB_E_NODEV where the core consults the extension); priv is freed after detach. The next
 * call that consults an extension matches again.
 *
 * Threads: the ops of one attachment run on the thread that uses the module, one at a time;
 * attachments of one driver to different modules may run at once on different threads, so
 * whatever they share (statics, env->shared) is the driver's to lock.
 */
struct lb_module_ext_ops {
	size_t size; /* sizeof(struct lb_module_ext_ops) the driver was built with */
	size_t priv_size; /* bytes of private data per attached module (zeroed), or 0 */
	/** 1 when this extension handles the module, 0 when not. No I/O. Required. */
	int (*match)(const struct lb_module_ext_match *id);
	/**
	 * The extension matched: set up priv (priv_size bytes, zeroed). May use the module
	 * (public calls); env (the context's clock and log, lb_driver_error) stays valid until
	 * detach. LB_OK attaches; a bus error leaves the module to be matched again at the next
	 * consultation; any other status leaves it on plain CMIS until it is invalidated.
	 * None of the extension's own ops is called while attach runs. Optional.
	 */
	int (*attach)(void *priv, struct lb_module *m, const struct lb_driver_env *env);
	/** Release what attach took; priv is freed after. No bus I/O: the module may be gone. Optional. */
	void (*detach)(void *priv);
	/**
	 * The vendor's line modes beyond the applications the module advertises (its PCS modes,
	 * e.g.): up to max of them into modes (NULL when max is 0), *count the number there are
	 * (which may exceed max). Members the module cannot know (penalty tables, OSNR
	 * tolerances) are zero: the id names the mode in a line-mode table (lb_line_modes_find).
	 */
	int (*list_line_modes)(void *priv, struct lb_module *m, struct lb_line_mode *modes,
			       size_t max, size_t *count);
	/**
	 * Select the line mode id (one that list_line_modes gives) on the host lanes of
	 * lane_mask (0: every lane); "" returns to the application's own mode. LB_E_NOTFOUND
	 * for an id it does not have.
	 */
	int (*select_line_mode)(void *priv, struct lb_module *m, uint32_t lane_mask, const char *id);
	/**
	 * The line mode in force on lane_mask (0: every lane): its id into id (len bytes), "" for
	 * the application's own; LB_E_AGAIN while the module is changing modes (the core waits).
	 */
	int (*get_line_mode)(void *priv, struct lb_module *m, uint32_t lane_mask, char *id, size_t len);
	/** The vendor pages (B0h-FFh) the module has: up to max page numbers, *count how many there are. */
	int (*list_vendor_pages)(void *priv, struct lb_module *m, uint8_t *pages, size_t max,
				 size_t *count);
	/**
	 * Decode a vendor page into named fields: up to max into fields, *count how many there
	 * are. LB_E_NOTSUP for a page the extension does not know.
	 */
	int (*decode_vendor_page)(void *priv, struct lb_module *m, uint8_t bank, uint8_t page,
				  struct lb_module_field *fields, size_t max, size_t *count);
	/**
	 * Decode one value the core is about to decode itself (LB_FIELD_* names): raw holds its
	 * len bytes as read, in the core's own read plan. LB_OK with *value in the unit of the
	 * name, or LB_E_NOTSUP for the core's decode. No bus I/O (the core is in the middle of
	 * a poll), and quick: it runs for every value of every poll.
	 */
	int (*decode_field)(void *priv, const char *name, unsigned lane, const uint8_t *raw,
			    size_t len, double *value);
};

/*
 * The first published module extension table: everything above. (The reserved table that
 * came before it, whose match took an OUI and a part number, was never used by a driver, so
 * its layout was replaced rather than grown, and LB_MODULE_EXT_ABI stays 1.)
 */
#define LB_MODULE_EXT_OPS_MIN_SIZE LB_SIZE_THROUGH(struct lb_module_ext_ops, decode_field)

struct lb_switch_caps;          /* include/lightbridge/asic.h */
struct lb_bus;                  /* include/lightbridge/bus.h */
struct lb_module_addr;          /* include/lightbridge/module.h */
struct lb_asic_port_config;     /* include/lightbridge/asic.h */
struct lb_asic_port_status;     /* include/lightbridge/asic.h */
struct lb_hyperport_config;     /* include/lightbridge/hyperport.h */
struct lb_hyperport_status;     /* include/lightbridge/hyperport.h */
struct lb_asic_port_counters;   /* include/lightbridge/asic.h */
struct lb_buffer_pool_config;   /* include/lightbridge/buffer.h */
struct lb_macsec_secy_config;  /* include/lightbridge/macsec.h */
struct lb_macsec_sa_config;
struct lb_macsec_key;
struct lb_macsec_sa_status;
struct lb_macsec_counters;
struct lb_buffer_profile_config; /* include/lightbridge/buffer.h */
struct lb_qos_scheduler;         /* include/lightbridge/qos.h */
struct lb_queue_ecn_config;      /* include/lightbridge/congestion.h */
struct lb_queue_ecn_counters;
struct lb_pfcwd_config;
struct lb_pfcwd_status;
struct lb_qos_maps;
struct lb_qos_port_watermarks;
struct lb_qos_watermark;
struct lb_voq_switch_config;
struct lb_system_port_config;

/*
 * A router ASIC driver (drivers/asic/<chip>/): one instance per switch (lb_switch_open).
 * The core validates every change against the capabilities and the other ports before it
 * reaches the driver (lightbridge/asic.h), so the driver programs a change the core found
 * valid; it may still refuse one (its hardware's own checks), and must then leave the chip
 * as it was. The structs are handed over at the library's layout with size set to it: a
 * driver reads and writes only the members that end within size (LB_SIZE_THROUGH), and
 * fills what it gives at its own layout.
 *
 * Threads: the core holds the switch's lock around every op; ops of one instance never run
 * at once. All ops return LB_OK or a negative enum lb_status, explained with
 * lb_driver_error().
 *
 * (The reserved table that came before this one, open and close only, was never used by a
 * driver, so its layout was replaced rather than grown, and LB_ASIC_ABI stays 1; open now
 * takes its options parsed, as a bus's open does.)
 */
struct lb_asic_ops {
	size_t size;      /* sizeof(struct lb_asic_ops) the driver was built with */
	size_t priv_size; /* bytes the core allocates (zeroed) for the instance */
	/**
	 * Open the switch. options: the driver's options object (as for lb_bus_ops.open), never
	 * NULL; handle: an in-process object, or NULL. Required.
	 */
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle);
	/** Release everything open() took (the chip keeps its configuration). Required. */
	void (*close)(void *priv);
	/** Fill the capabilities. Called once, after open. Required. */
	int (*get_caps)(void *priv, struct lb_switch_caps *caps);
	/**
	 * Program port number port with cfg whole: create it (create nonzero; its number is
	 * free) or change it (create 0; the port exists, lanes unchanged). Required.
	 */
	int (*port_apply)(void *priv, uint32_t port, const struct lb_asic_port_config *cfg, int create);
	/** Remove a port that exists. Required. */
	int (*port_remove)(void *priv, uint32_t port);
	/**
	 * The configuration in force of port number port, or LB_E_NOTFOUND when there is no
	 * such port (the core asks every number at open). Required.
	 */
	int (*port_get)(void *priv, uint32_t port, struct lb_asic_port_config *cfg);
	/** The port's state now. Required. */
	int (*port_status)(void *priv, uint32_t port, struct lb_asic_port_status *st);
	/**
	 * The port's counters; clear nonzero: read and clear them as one step. Required.
	 */
	int (*port_counters)(void *priv, uint32_t port, struct lb_asic_port_counters *c, int clear);
	/** Clear the port's counters. Required. */
	int (*port_counters_clear)(void *priv, uint32_t port);
	/*
	 * Buffers (lightbridge/buffer.h): all ten or none (a driver without them answers
	 * LB_E_NOTSUP through the core). The core validates sizes and references first.
	 */
	/** Program pool number pool with cfg whole: create it (create nonzero) or change it. */
	int (*pool_apply)(void *priv, uint32_t pool, const struct lb_buffer_pool_config *cfg, int create);
	/** Remove a pool no profile uses. */
	int (*pool_remove)(void *priv, uint32_t pool);
	/** A pool's configuration, or LB_E_NOTFOUND (the core asks every number at open). */
	int (*pool_get)(void *priv, uint32_t pool, struct lb_buffer_pool_config *cfg);
	/** As pool_apply, for profile number profile. */
	int (*profile_apply)(void *priv, uint32_t profile, const struct lb_buffer_profile_config *cfg,
			     int create);
	int (*profile_remove)(void *priv, uint32_t profile);
	int (*profile_get)(void *priv, uint32_t profile, struct lb_buffer_profile_config *cfg);
	/** Bind PG pg of port to profile, or unbind it (LB_BUFFER_NO_PROFILE). */
	int (*pg_bind)(void *priv, uint32_t port, uint32_t pg, uint32_t profile);
	/** The profile PG pg of port is bound to (LB_BUFFER_NO_PROFILE: none). */
	int (*pg_get)(void *priv, uint32_t port, uint32_t pg, uint32_t *profile);
	/** As pg_bind and pg_get, for queues. */
	int (*queue_bind)(void *priv, uint32_t port, uint32_t queue, uint32_t profile);
	int (*queue_get)(void *priv, uint32_t port, uint32_t queue, uint32_t *profile);
	/*
	 * ---- HyperPorts (lightbridge/hyperport.h): all four or none (a driver without them has
	 * no HyperPorts; create answers LB_E_NOTSUP through the core). The core validates the
	 * members first (they exist, run at 800G, belong to no other HyperPort). ----
	 */
	/** Create HyperPort number hp (free) of cfg's members and hash. */
	int (*hyperport_create)(void *priv, uint32_t hp, const struct lb_hyperport_config *cfg);
	/** Remove a HyperPort that exists (its members stay). */
	int (*hyperport_remove)(void *priv, uint32_t hp);
	/** A HyperPort's configuration, or LB_E_NOTFOUND (the core asks every number at open). */
	int (*hyperport_get)(void *priv, uint32_t hp, struct lb_hyperport_config *cfg);
	/** Its state now: oper, members up, capacity, each member's oper state and share. */
	int (*hyperport_status)(void *priv, uint32_t hp, struct lb_hyperport_status *st);
	/*
	 * ---- MACsec (lightbridge/macsec.h): all eight or none (a driver without them answers
	 * LB_E_NOTSUP through the core). The core validates first. dir: enum lb_macsec_dir. ----
	 */
	/** Program the SecY of port with cfg whole. */
	int (*macsec_secy_apply)(void *priv, uint32_t port, const struct lb_macsec_secy_config *cfg);
	/** Create (create nonzero) the SC of dir with sci, or remove it (sci ignored). */
	int (*macsec_sc_apply)(void *priv, uint32_t port, int dir, uint64_t sci, int create);
	/**
	 * Install an SA with its key. The key is the caller's: read it, never keep or log it, and
	 * zeroise every copy made on the way (explicit_bzero).
	 */
	int (*macsec_sa_install)(void *priv, uint32_t port, int dir, const struct lb_macsec_sa_config *cfg,
				 const struct lb_macsec_key *key);
	/** Retire an installed SA (its key erased on the chip). */
	int (*macsec_sa_retire)(void *priv, uint32_t port, int dir, uint32_t an);
	/** Switch transmit to the installed SA an. */
	int (*macsec_tx_sa_activate)(void *priv, uint32_t port, uint32_t an);
	/**
	 * Read an SA's state and counters (either may be NULL), or with an = LB_MACSEC_AN_SC only
	 * the SC's own counters (out_pkts_sa_not_in_use, in_pkts_not_using_sa, in_pkts_unused_sa).
	 */
	int (*macsec_read)(void *priv, uint32_t port, int dir, uint32_t an, struct lb_macsec_sa_status *st,
			   struct lb_macsec_counters *c);
	/** The SecY, SCs and SAs the chip holds (at first use): installed[dir] bit an. */
	int (*macsec_get)(void *priv, uint32_t port, struct lb_macsec_secy_config *cfg, uint64_t sci[2],
			  uint32_t installed[2], uint32_t *tx_an);
	/*
	 * QoS and watermarks (lightbridge/qos.h; the traffic feature): all eight or none (the
	 * core answers LB_E_NOTSUP). The core validates against the capabilities and the port
	 * first; the structs are the library's size. Watermarks in bytes: the core adds cells.
	 */
	int (*qos_scheduler_apply)(void *priv, uint32_t port, const struct lb_qos_scheduler *s);
	int (*qos_scheduler_get)(void *priv, uint32_t port, struct lb_qos_scheduler *s);
	int (*qos_maps_apply)(void *priv, uint32_t port, const struct lb_qos_maps *m);
	int (*qos_maps_get)(void *priv, uint32_t port, struct lb_qos_maps *m);
	int (*watermarks_read)(void *priv, uint32_t port, struct lb_qos_port_watermarks *wm);
	int (*watermarks_clear)(void *priv, uint32_t port);
	int (*pool_watermark_read)(void *priv, uint32_t pool, struct lb_qos_watermark *wm);
	int (*pool_watermarks_clear)(void *priv);
	/*
	 * ---- Congestion control (lightbridge/congestion.h): ECN/WRED per queue and the PFC
	 * watchdog per traffic class; all six or none (the core answers LB_E_NOTSUP). The core
	 * validates first (ranges, thresholds against the queue's buffer, the port exists); the
	 * structs are the library's size. clear nonzero: read and clear as one step. ----
	 */
	int (*ecn_apply)(void *priv, uint32_t port, uint32_t queue, const struct lb_queue_ecn_config *cfg);
	int (*ecn_get)(void *priv, uint32_t port, uint32_t queue, struct lb_queue_ecn_config *cfg);
	int (*ecn_counters)(void *priv, uint32_t port, uint32_t queue, struct lb_queue_ecn_counters *c, int clear);
	int (*pfcwd_apply)(void *priv, uint32_t port, uint32_t tc, const struct lb_pfcwd_config *cfg);
	int (*pfcwd_get)(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_config *cfg);
	int (*pfcwd_status)(void *priv, uint32_t port, uint32_t tc, struct lb_pfcwd_status *st, int clear);
	/*
	 * ---- Cages (the platform's front-panel map, lightbridge/binding.h): optional (a driver
	 * without it is told nothing). Once the platform has opened the switch, it tells the
	 * driver which module cage sits on which of its lanes: lanes first_lane .. + lane_count -
	 * 1 join the module at where on bus (the platform's; lb_bus_driver_priv gives a companion
	 * driver its own bus instance). An emulated chip makes those lanes hear the emulated
	 * module there and its optical link; a driver of real silicon has nothing to do. An
	 * error is ignored by the platform (the lanes keep whatever signal they have). ----
	 */
	int (*cage_attach)(void *priv, uint32_t first_lane, uint32_t lane_count, struct lb_bus *bus,
			   const struct lb_module_addr *where);
	/*
	 * ---- VOQ system ports (lightbridge/voq.h): all six or none (a driver without them
	 * answers LB_E_NOTSUP through the core for what needs the chip). The core validates
	 * first and picks each system port's slot, the index of the chip's table. ----
	 */
	/** Program this switch's id and cores (no system port exists yet). */
	int (*voq_switch_apply)(void *priv, const struct lb_voq_switch_config *cfg);
	/** This switch's id and cores, or LB_E_NOTFOUND when not set (the core asks at open). */
	int (*voq_switch_get)(void *priv, struct lb_voq_switch_config *cfg);
	/**
	 * The slots that hold a system port, ascending: up to max into slots, *count how many;
	 * *capacity: how many slots the chip has.
	 */
	int (*system_port_slots)(void *priv, uint32_t *slots, size_t max, size_t *count, uint32_t *capacity);
	/** Program system port cfg whole into free slot slot (cfg->asic_port ignored). */
	int (*system_port_create)(void *priv, uint32_t slot, const struct lb_system_port_config *cfg);
	/** Remove the system port in slot. */
	int (*system_port_remove)(void *priv, uint32_t slot);
	/**
	 * The system port in slot (asic_port: its ASIC port when on this switch, else
	 * LB_VOQ_NO_ASIC_PORT), or LB_E_NOTFOUND when the slot is free.
	 */
	int (*system_port_get)(void *priv, uint32_t slot, struct lb_system_port_config *cfg);
	/*
	 * Chip health (the fault feature; optional, NULL: the core trusts its view). Whether
	 * the chip still holds what was programmed into it: LB_OK; LB_E_CHANGED when it was
	 * reset since (back at power-on; the driver has taken note and answers LB_OK after);
	 * LB_E_IO or LB_E_TIMEOUT when it does not answer. The core asks before it answers from
	 * its own view of the chip (a get), and learns the chip again after LB_E_CHANGED. Its
	 * other ops answer LB_E_CHANGED too when they find the chip reset.
	 */
	int (*chip_check)(void *priv);
};

/* The first published ASIC table: everything above. */
#define LB_ASIC_OPS_MIN_SIZE LB_SIZE_THROUGH(struct lb_asic_ops, port_counters_clear)

/*
 * Every driver, built-in or plugin, is described by one of these:
 *
 *     const struct lb_driver my_driver = {
 *         .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
 *         .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI,
 *         .name = "my-bus", .version = "1", .ops.bus = &my_ops,
 *     };
 *
 * Fields are only ever appended, after `ops`; the core reads a driver's struct up to its
 * `size` and zeroes the rest, so a field appended later reads 0 for an older driver, and 0
 * always means "as before the field existed".
 */
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
	/* ---- end of the first published layout (LB_DRIVER_MIN_SIZE) ---- */
	/*
	 * The version of this kind's table the driver was built against: LB_BUS_ABI,
	 * LB_SIDEBAND_ABI, LB_MODULE_EXT_ABI or LB_ASIC_ABI. 0 (a driver built before this field
	 * existed) counts as 1. A driver whose kind version is not the library's is refused with
	 * LB_E_ABI. In the core's copy (lb_ctx_find_driver()), the version the core accepted.
	 */
	uint32_t kind_abi;
};

/* The first published struct lb_driver ends at ops: the smallest `size` accepted. */
#define LB_DRIVER_MIN_SIZE LB_SIZE_THROUGH(struct lb_driver, ops)

/*
 * Symbols a plugin exports. The list form is preferred: it returns a NULL-terminated array
 * of drivers, registered all together or not at all (e.g. a bus driver and the sideband
 * driver on the same bridge's GPIOs). The single form is still accepted.
 *
 *     static const struct lb_driver *const my_drivers[] = { &my_bus, &my_sideband, NULL };
 *     __attribute__((visibility("default"))) const struct lb_driver *const *lb_driver_entry_list(void);
 *     const struct lb_driver *const *lb_driver_entry_list(void) { return my_drivers; }
 */
#define LB_DRIVER_ENTRY_LIST_SYMBOL "lb_driver_entry_list"
typedef const struct lb_driver *const *(*lb_driver_entry_list_fn)(void);
#define LB_DRIVER_ENTRY_SYMBOL "lb_driver_entry"
typedef const struct lb_driver *(*lb_driver_entry_fn)(void);

struct lb_bus; /* include/lightbridge/bus.h */

/**
 * The private state (priv) of a bus instance, but only when the bus runs the driver owner,
 * compared by identity (the very struct lb_driver that was registered, or the core's copy of
 * it that lb_ctx_find_driver() returns; not its name); NULL otherwise, or for a NULL bus. For a companion driver of the same plugin (e.g. a sideband driver on the GPIOs
 * of a USB bridge whose bus driver holds the device) to reach its own bus instance and no
 * other driver's. The state lives until lb_bus_close(): close the companion first.
 */
LB_API void *lb_bus_driver_priv(struct lb_bus *bus, const struct lb_driver *owner);
/**
 * The instance of the ASIC driver owner that sw was opened with, or NULL when sw runs on
 * another driver (as lb_bus_driver_priv; for a driver's own helpers, e.g. the emulated ASIC's
 * lb_emu_switch_asic). Not locked: the instance lives as long as sw.
 */
struct lb_switch;
LB_API void *lb_switch_driver_priv(struct lb_switch *sw, const struct lb_driver *owner);

/**
 * Log through the env's hook (printf-style); a driver never prints. A message logged here is
 * only a log line: to explain why an op fails, use lb_driver_error().
 */
LB_API void lb_driver_log(const struct lb_driver_env *env, enum lb_log_level level,
			  const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/**
 * Explain the failure of the op being run: records the detail (printf-style) as the error
 * detail of the calling thread's current call, so that lb_ctx_last_error() reads it on the
 * thread that made the call (and on no other), and logs it at LB_LOG_ERR. Returns status,
 * for `return lb_driver_error(env, LB_E_PARSE, "...", ...);`. Call it from within the op
 * (on the caller's thread); with an env the core did not build, it only logs.
 */
LB_API int lb_driver_error(const struct lb_driver_env *env, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

LB_END_DECLS
#endif
