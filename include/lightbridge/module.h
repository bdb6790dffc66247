/* SPDX-License-Identifier: MIT */
/*
 * A CMIS module in a cage: identity, module and data-path state machines, applications,
 * monitors. Every register access goes through the access layer's read and write plans and
 * its page cache.
 *
 * Threads: a module handle is used by one thread at a time (it holds the advertisement and
 * the decoded static data); modules of one bus, and several handles of one module, may be
 * used from different threads, as the bus serialises every sequence (and a claim,
 * lb_module_request, keeps a long session to one handle). Handles of one module on one bus
 * object share what is known of the module itself (the page and bank in force), so they
 * never disagree about it. The name functions are pure and may run anywhere.
 */
#ifndef LIGHTBRIDGE_MODULE_H
#define LIGHTBRIDGE_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/bus.h>

LB_BEGIN_DECLS

struct lb_module;

#define LB_MODULE_MAX_LANES 32
#define LB_MODULE_MAX_APPS 15

/**
 * Where a module sits on its bus: 7-bit address (0x50), an optional mux channel, and an
 * optional second mux behind that channel (two levels, as on switches with a mux per group of
 * cages behind a root mux). The core routes: it writes a mux's control byte only when it
 * changes, and releases the other muxes of the same level first, so one module answers.
 * Not sized: a value embedded in struct lb_port_info. Members are only appended, and a zeroed
 * member means what it meant before it existed (mux2_addr 0: no second level).
 */
struct lb_module_addr {
	uint16_t addr;       /* 0 means 0x50 */
	uint16_t mux_addr;   /* 7-bit address of the mux, used when mux_channel >= 0 */
	int mux_channel;     /* 0-7, or -1 when the module is directly on the bus */
	uint16_t mux2_addr;  /* a mux behind mux_channel of mux_addr, 0 when there is none */
	int mux2_channel;    /* 0-7: the channel of mux2_addr the module sits on */
};

/**
 * Open the module at where (NULL: 0x50, no mux). No bus traffic until the first call.
 * LB_E_INVAL for an address or channel out of range, a second mux without a first, or a
 * second mux at the first one's address.
 * Thread-safety: one module handle is used by one thread at a time; modules on one bus may
 * be used from different threads (the bus serialises their sequences).
 */
LB_API int lb_module_open(struct lb_bus *bus, const struct lb_module_addr *where,
			  struct lb_module **out);
/** Close; NULL is allowed. */
LB_API void lb_module_close(struct lb_module *m);
/** The module's bus. */
LB_API struct lb_bus *lb_module_bus(const struct lb_module *m);
/**
 * Forget everything cached about the module (after a hot swap or reset): on every handle of
 * it, each of which reads it afresh at its next call.
 *
 * Without being told (a cage with no presence pin cannot know), the first call that relies on
 * the page the module had in force reads PageSelect (and BankSelect) back, in the same
 * transaction as its first read where the bus driver combines messages: a module that shows
 * another page was reset, power-cycled or replaced since. Everything cached of it is then
 * forgotten as here, nothing it read is returned, and the call returns LB_E_CHANGED (any
 * call that reaches an upper page may): call again, and bring the module up again if it
 * was up, as its configuration is gone.
 */
LB_API void lb_module_invalidate(struct lb_module *m);

/**
 * The detail of the last call on this handle that failed: what the call met ("NACK at module
 * 0x50 behind mux 0x70 channel 3 reading page 11h bytes 134-201"), a bounded wait's reason
 * ("DPActivated on lanes 1-8 not reached after 10 s of 10 s allowed (lanes 1-8 DPInit)"), a
 * claim's holder, a driver's own explanation, or, for what has no more to say, the call and
 * its status ("lb_module_dp_deinit: invalid argument"). "" when the last call on the handle
 * succeeded or none was made, and for NULL. A call that returns a value (page_supported,
 * claimed) succeeds when it returns one; a bring-up step that returns LB_E_AGAIN succeeds.
 * It is the handle's, unlike lb_ctx_last_error (the thread's last detail, whatever the
 * object): valid until the next call on the handle. Threads: as every call on the handle,
 * from the one thread that uses it at a time.
 */
LB_API const char *lb_module_last_error(const struct lb_module *m);

/* ---- raw, planned access ---- */

/** One range of module memory: (bank, page, offset..offset+len-1), offset 0-255. */
struct lb_mem_range {
	uint8_t bank;
	uint8_t page;   /* ignored for offsets < 128 */
	uint8_t offset;
	uint16_t len;   /* must not run past 255 */
	uint8_t *buf;
};

/**
 * Read several ranges in one plan: merged, split at page boundaries, at the driver's largest
 * transfer and at the module's read limit (8 bytes unless page 01h:251 advertises full-page
 * reads), with select bytes written only when the page/bank in force differs.
 * LB_E_INVAL for a range past byte 255; bus errors as returned by the driver.
 */
LB_API int lb_module_read_ranges(struct lb_module *m, const struct lb_mem_range *r, unsigned n);
/** Read len bytes at (bank, page, offset). */
LB_API int lb_module_read(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			  uint8_t *buf, size_t len);
/**
 * Write len bytes at (bank, page, offset), in ascending writes of at most 8 bytes (more on
 * the CDB pages, 01h:164): a write plan of one range (lb_module_write_plan).
 */
LB_API int lb_module_write(struct lb_module *m, uint8_t bank, uint8_t page, uint8_t offset,
			   const uint8_t *buf, size_t len);

/**
 * One range of a write plan: len bytes from buf to (bank, page, offset..offset+len-1).
 * head_last orders the bytes inside the range: bytes [head_last, len) are written first,
 * then bytes [0, head_last), in writes of their own (0, or len: in ascending order). A CDB
 * command block at 9Fh:128-255 with head_last = 2 lands with its command ID (128-129) last.
 * Not sized: an array element of a plan; new behaviour comes as LB_WRITE_* flags.
 */
struct lb_mem_write {
	uint8_t bank;
	uint8_t page;       /* ignored for offsets < 128 */
	uint8_t offset;
	uint16_t len;       /* at least 1; must not run past byte 255 */
	const uint8_t *buf;
	uint16_t head_last; /* 0..len */
};

/*
 * A range that fits in one write (one side of 127/128, within the module's write limit for its
 * page and the driver's) goes in that one write, its head_last notwithstanding: for a module
 * that starts a CDB command at the end of any write that includes byte 129 (01h:165.7 = 1).
 */
#define LB_WRITE_WHOLE_IF_FITS 0x1u

/**
 * Write n ranges in the order given, under one hold of the bus (no other thread's or, with a
 * lock file, other process's transfer comes in between): each range is cut at 127/128, at the
 * module's write limit (8 bytes; on page 9Fh and the EPL pages A0h-AFh as 01h:164 extends it)
 * and at the driver's largest write; its first head_last bytes go after the rest; each upper
 * page is selected only when it is not in force, so ranges grouped by page cost one select per
 * page. Ranges are never merged or reordered. Every range is checked before any traffic:
 * LB_E_INVAL (empty, past byte 255, head_last past len, unknown flag), LB_E_NOTSUP (a page the
 * module does not advertise). A failed write ends the plan: the writes before it have landed,
 * none after it was tried; with the command ID last, a failed plan never starts a command.
 */
LB_API int lb_module_write_plan(struct lb_module *m, const struct lb_mem_write *w, unsigned n,
				unsigned flags);
/**
 * Declare that the module may hold off every access (NACK its address) until until_ns on its
 * bus's clock (lb_bus_now_ns): e.g. a foreground CDB command (01h:163.5 = 0) for the busy time
 * it advertises. Until then a NACK is "busy", not a bus error: the call returns LB_E_BUSY at
 * once (the caller polls again on its own schedule), the bus counts it in busy_nacks, not in
 * errors, and no cache is dropped (the other modules' on the bus keep their page caches).
 * 0 ends it early. Outside such a time, a NACK inside tWRITE (10 ms) after our own write to
 * the module is busy too, and retried; any other NACK is an error.
 */
LB_API void lb_module_expect_busy(struct lb_module *m, uint64_t until_ns);
/** Read a whole upper page (128 bytes) or, with page 0 and lower = true, lower memory. */
LB_API int lb_module_read_page(struct lb_module *m, uint8_t bank, uint8_t page, bool lower,
			       uint8_t buf[128]);
/**
 * 1 when the module advertises (bank, page), 0 when it does not, negative status on error.
 * The C-CMIS pages 30h-4Fh exist on a coherent module (coherent_pages of struct
 * lb_module_identity: 01h:142.4 from CMIS 5.3, a coherent media interface with a tunable
 * laser before); for a tunable module before 5.3 the first ask reads lower memory 85-117 once.
 */
LB_API int lb_module_page_supported(struct lb_module *m, uint8_t bank, uint8_t page);

/* ---- claims: a long session keeps its module to itself ---- */

/** Who holds a module's claim (lb_module_claimed). */
enum lb_claim {
	LB_CLAIM_NONE = 0,  /* nobody: calls go through */
	LB_CLAIM_OTHER = 1, /* another handle, thread or process: calls get LB_E_BUSY */
	LB_CLAIM_OWN = 2,   /* this handle */
};
/** A reason buffer of this size holds any reason lb_module_claimed gives (with the pid). */
#define LB_MODULE_CLAIM_REASON_MAX 160

/**
 * Claim the module for a long session (a firmware download): until lb_module_release (or
 * lb_module_close of this handle), every call on the module through another handle, from
 * another thread or, when the bus has a lock file (lb_bus_set_lock_file), from another process
 * gets LB_E_BUSY, with the reason in lb_ctx_last_error ("module 0x50 behind mux 0x70 channel 3:
 * claimed: firmware update in progress (pid 4242)"); this handle's own calls go through.
 * reason (NULL: "claimed"; printable ASCII, at most 127 bytes kept) is what they are shown.
 * Handles of one module on one bus object share its claim (the route: address and muxes).
 * Across processes the claim is an flock on a file next to the bus's lock file (its path +
 * ".<mux>-<channel>-<addr>", e.g. "i2c0.lock.70-3-50", created 0600 in the lock file's
 * directory, refused when not ours, writable by others or a symbolic link), holding the
 * holder's pid and reason; the kernel drops it when the process ends, however it ends (a
 * child forked meanwhile keeps it while it lives, unless it execs). Without a lock file a
 * claim holds in this process only (and only on this bus object).
 * Waits for a sequence of another caller on the bus to end, then returns: LB_OK, LB_E_BUSY
 * when someone else holds the claim, LB_E_STATE when this handle already does, LB_E_PERM or
 * LB_E_IO for a claim file that cannot be used.
 */
LB_API int lb_module_request(struct lb_module *m, const char *reason);
/** End this handle's claim. LB_E_STATE when it holds none. */
LB_API int lb_module_release(struct lb_module *m);
/**
 * Whether the module is claimed, for pollers: no bus traffic, and no wait for the bus (a
 * claim file is asked with a non-blocking flock). Returns LB_CLAIM_NONE, LB_CLAIM_OTHER with
 * the holder's reason in reason (and its pid when it is another process), LB_CLAIM_OWN, or a
 * negative status (LB_E_PERM, LB_E_IO: the claim file cannot be read). reason may be NULL.
 * Like every call, on a handle that one thread uses at a time: a poller opens its own.
 */
LB_API int lb_module_claimed(struct lb_module *m, char *reason, size_t len);

/* ---- identity ---- */

/** Sized (common.h): set size, e.g. = LB_MODULE_IDENTITY_INIT. */
struct lb_module_identity {
	size_t size;
	uint8_t identifier;          /* SFF-8024 byte 0 */
	uint8_t cmis_major, cmis_minor;
	bool flat_memory;
	char vendor_name[17];
	uint8_t vendor_oui[3];
	char part_number[17];
	char revision[3];
	char serial_number[17];
	char date_code[9];
	char clei[11];
	uint8_t media_type;          /* byte 85 */
	uint8_t connector;           /* 00h:203 */
	uint8_t media_technology;    /* 00h:212 */
	unsigned power_class;        /* 1-8 */
	double max_power_w;
	uint8_t fw_active_major, fw_active_minor;
	uint8_t fw_inactive_major, fw_inactive_minor;
	uint8_t hw_major, hw_minor;
	unsigned lane_banks;         /* 1, 2, 4... */
	bool full_page_read;         /* 01h:251 bits 1-0 = 10b; CMIS 4.x: unless 01b */
	bool tunable;                /* 01h:155.6 */
	/*
	 * Coherent: the C-CMIS pages 30h-4Fh exist. 01h:142.4 on a module declaring CMIS 5.3 or
	 * later; before 5.3 (the bit is reserved there) a coherent media interface (400ZR, 800ZR,
	 * ZRnnn-OFEC, FlexO, 100G/400GBASE-ZR) advertised together with a tunable transmitter
	 * (01h:155.6). The page rules of every read and write use the same decision.
	 */
	bool coherent_pages;
	uint8_t mci_max_speed;       /* 0 = 400 kHz, 1 = 1 MHz, 2 = 3.4 MHz (00h:2.5-2; 3-2 before 5.3) */
	bool page00_checksum_ok;
	uint8_t page00_checksum_stored, page00_checksum_computed;
	bool page01_checksum_ok;     /* true for flat memory */
	uint8_t page01_checksum_stored, page01_checksum_computed;
};
#define LB_MODULE_IDENTITY_INIT LB_SIZED_INIT(struct lb_module_identity)
#define LB_MODULE_IDENTITY_SIZE_V1 \
	LB_SIZE_THROUGH(struct lb_module_identity, page01_checksum_computed)

/**
 * Read and decode identity (lower memory, pages 00h and 01h). Strings are printable ASCII
 * with trailing blanks removed (other bytes become '?'). Returns LB_E_CHECKSUM when a page
 * checksum does not match, with out still filled; LB_E_UNKNOWN_ID for a non-CMIS identifier.
 * LB_E_INVAL for a size below LB_MODULE_IDENTITY_SIZE_V1.
 *
 * Page 01h (the advertisement: durations, lane banks, page support, read limits, the
 * applications' second half) is read whole with its checksum when a module is first seen,
 * by whichever call comes first; two reads that differ and fail it make that call return
 * LB_E_CHECKSUM, and the next one reads it again.
 */
LB_API int lb_module_get_identity(struct lb_module *m, struct lb_module_identity *out);

/** Names from SFF-8024 and CMIS; never NULL: an unknown code gives "unknown". */
LB_API const char *lb_sff8024_identifier_name(uint8_t id);
LB_API const char *lb_sff8024_connector_name(uint8_t code);
LB_API const char *lb_sff8024_host_interface_name(uint8_t id);
/** Media interface name for a media type (byte 85) and media interface ID. */
LB_API const char *lb_sff8024_media_interface_name(uint8_t media_type, uint8_t id);
LB_API const char *lb_cmis_media_type_name(uint8_t media_type);
/**
 * Ethernet data rate of a host electrical interface (SFF-8024 Table 4-5 ID) in Gb/s, over all
 * its lanes (400GAUI-8: 400, 100GAUI-1-S: 100); 0 for an interface without an Ethernet rate
 * (Fibre Channel, InfiniBand, CPRI, OTN, PCIe) or an unknown ID. Thread-safe (a table).
 */
LB_API unsigned lb_sff8024_host_interface_gbps(uint8_t id);

/* ---- module state machine ---- */

enum lb_module_state {
	LB_MODULE_STATE_LOW_PWR = 1,
	LB_MODULE_STATE_PWR_UP = 2,
	LB_MODULE_STATE_READY = 3,
	LB_MODULE_STATE_PWR_DN = 4,
	LB_MODULE_STATE_FAULT = 5,
};
/** "ModuleLowPwr" etc.; "reserved" for other codes. */
LB_API const char *lb_module_state_name(int state);
/**
 * Read the module state (byte 3 bits 3-1) as the module reports it: a faulty module may report
 * a reserved code (0, 6, 7), which comes back as it is, with LB_OK ("reserved" by name).
 */
LB_API int lb_module_get_state(struct lb_module *m, enum lb_module_state *out);

/**
 * Advertised maximum durations in ms (upper bounds of the CMIS duration codes). Sized
 * (common.h): set size, e.g. = LB_MODULE_DURATIONS_INIT; CMIS keeps adding durations
 * (MaxDurationBPC, 01h:169, in 5.4).
 */
struct lb_module_durations {
	size_t size;
	uint32_t module_pwr_up_ms, module_pwr_dn_ms;
	uint32_t dp_init_ms, dp_deinit_ms;
	uint32_t dp_tx_turn_on_ms, dp_tx_turn_off_ms;
};
#define LB_MODULE_DURATIONS_INIT LB_SIZED_INIT(struct lb_module_durations)
#define LB_MODULE_DURATIONS_SIZE_V1 LB_SIZE_THROUGH(struct lb_module_durations, dp_tx_turn_off_ms)
/** LB_E_NOTSUP on flat memory; LB_E_INVAL for a size below LB_MODULE_DURATIONS_SIZE_V1. */
LB_API int lb_module_get_durations(struct lb_module *m, struct lb_module_durations *out);

/**
 * Request low (true) or high (false) power in software and wait, bounded by the advertised
 * MaxDurationModulePwrUp/Dn, for ModuleLowPwr or ModuleReady. LB_E_TIMEOUT, LB_E_FAULT.
 */
LB_API int lb_module_set_low_power(struct lb_module *m, bool low);
/** Software reset (26.3); waits until the module answers again in LowPwr or Ready. */
LB_API int lb_module_reset(struct lb_module *m);

/* ---- applications ---- */

/*
 * Not sized: struct lb_app is an array element, and AppSel is a 4-bit code, so a control set
 * names at most 15 applications and struct lb_app_list holds them all. Richer descriptions
 * (page 1Ch normalized descriptors, 15 per bank) will come through a call of their own.
 */
struct lb_app {
	uint8_t appsel;              /* 1-15 */
	uint8_t host_id, media_id;
	uint8_t host_lanes, media_lanes;
	/*
	 * Start lanes as CMIS advertises them, within one bank (bit i: may start on lane i+1 of
	 * a bank; 8 bits, the same in every bank): options, not a mask of the module's lanes.
	 */
	uint8_t host_lane_options;
	uint8_t media_lane_options;
	const char *host_name, *media_name;
};
struct lb_app_list {
	uint8_t media_type;
	unsigned count;
	struct lb_app app[LB_MODULE_MAX_APPS];
};
/** Decode the full application advertisement (lower page and page 01h). */
LB_API int lb_module_get_apps(struct lb_module *m, struct lb_app_list *out);
/**
 * Choose the application for a port as a NOS does (SONiC's CMIS manager, FBOSS): from the
 * port's speed and lanes, not the first application that fits the lanes. The application
 * chosen is the first advertised one (lowest AppSel) whose host interface runs speed_gbps
 * (lb_sff8024_host_interface_gbps) and, when lane_mask is not 0, whose host lane count is the
 * port's (the lanes of lane_mask, bit i = lane i+1) and whose data path may start on the
 * port's first lane in its bank: one port, one data path. lane_mask 0: any lane count.
 * Errors: LB_E_INVAL (NULL m or appsel, speed 0, or lane_mask not lanes of the module),
 * LB_E_NOTFOUND when no application matches, with a detail that names what the module
 * offers (lb_module_last_error); bus errors of the first read. The advertisement is read once
 * per insertion and cached (no I/O after). Same thread rules as every call on the module.
 */
LB_API int lb_module_find_app(struct lb_module *m, unsigned speed_gbps, uint32_t lane_mask,
			      uint8_t *appsel);

/* ---- data path ---- */

enum lb_dp_state {
	LB_DP_STATE_DEACTIVATED = 1,
	LB_DP_STATE_INIT = 2,
	LB_DP_STATE_DEINIT = 3,
	LB_DP_STATE_ACTIVATED = 4,
	LB_DP_STATE_TX_TURN_ON = 5,
	LB_DP_STATE_TX_TURN_OFF = 6,
	LB_DP_STATE_INITIALIZED = 7,
};
LB_API const char *lb_dp_state_name(int state);

/**
 * ConfigStatus: what the module answered to a staged configuration, per host lane (page
 * 11h:202-205, CMIS 5.4 Table 8-92). The reject codes of lb_module_apply_app,
 * lb_module_apply_config and struct lb_bringup_report carry these values, also when the
 * library refuses a configuration itself before writing it (the code the module would have
 * answered); 9-0xB are reserved.
 */
enum lb_config_status {
	LB_CONFIG_STATUS_UNDEFINED = 0x0,                 /* no status yet */
	LB_CONFIG_STATUS_SUCCESS = 0x1,                   /* accepted and applied */
	LB_CONFIG_STATUS_REJECTED = 0x2,                  /* unspecified reason */
	LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL = 0x3,
	LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH = 0x4, /* AppSel not valid on these lanes */
	LB_CONFIG_STATUS_REJECTED_INVALID_SI = 0x5,       /* signal-integrity values */
	LB_CONFIG_STATUS_REJECTED_LANES_IN_USE = 0x6,     /* lanes not DPDeactivated */
	LB_CONFIG_STATUS_REJECTED_PARTIAL_DATA_PATH = 0x7, /* only part of a data path */
	LB_CONFIG_STATUS_REJECTED_NO_EMULATION = 0x8,     /* CMIS 5.4 */
	LB_CONFIG_STATUS_IN_PROGRESS = 0xC,
	LB_CONFIG_STATUS_REJECTED_CUSTOM_FIRST = 0xD,     /* 0xD-0xF: rejected, vendor reasons */
	LB_CONFIG_STATUS_REJECTED_CUSTOM_LAST = 0xF,
};
/** ConfigStatus code name ("ConfigSuccess", "ConfigRejectedInvalidAppSel", ...). */
LB_API const char *lb_config_status_name(int code);

/**
 * Per-host-lane status (lanes 1..lanes, across banks). Sized (common.h): set size, e.g.
 * = LB_LANE_STATUS_INIT.
 */
struct lb_lane_status {
	size_t size;
	unsigned lanes;
	/*
	 * The 4-bit DP state code as the module reports it (11h:128-131): 1-7 are enum lb_dp_state;
	 * a reserved code (0, 8-15) from a faulty module comes back as it is, never mapped to a
	 * state, with LB_OK and a warning in the log naming the lanes (lb_dp_state_name: "reserved").
	 */
	uint8_t dp_state[LB_MODULE_MAX_LANES];
	uint8_t config_status[LB_MODULE_MAX_LANES];
	uint8_t active_appsel[LB_MODULE_MAX_LANES];  /* from the active control set */
	uint8_t active_dpid[LB_MODULE_MAX_LANES];
	bool tx_disabled[LB_MODULE_MAX_LANES];
	/* Held in DPDeinit, whatever the revision (10h:128; CMIS 3.x holds it inverted there,
	 * as DataPathPwrUp). */
	bool dp_deinit[LB_MODULE_MAX_LANES];
	bool dp_init_pending[LB_MODULE_MAX_LANES];
	/* V2: the active control set's ExplicitControl bit (11h:206-213 bit 0): the host's own
	 * signal-integrity settings (or a vendor line mode staged with it) rather than the
	 * application's defaults. */
	bool active_explicit_control[LB_MODULE_MAX_LANES];
};
#define LB_LANE_STATUS_INIT LB_SIZED_INIT(struct lb_lane_status)
#define LB_LANE_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_lane_status, dp_init_pending)
#define LB_LANE_STATUS_SIZE_V2 LB_SIZE_THROUGH(struct lb_lane_status, active_explicit_control)
/** LB_E_NOTSUP on flat memory; LB_E_INVAL for a size below LB_LANE_STATUS_SIZE_V1. */
LB_API int lb_module_get_lane_status(struct lb_module *m, struct lb_lane_status *out);

/*
 * Which optional members of struct lb_dp_config hold a value: the bits of its `set` member.
 * A member whose bit is clear is not written, whatever it holds.
 */
#define LB_DP_CONFIG_DPID 0x01u         /* dpid */
#define LB_DP_CONFIG_GRID 0x02u         /* grid_spacing_mhz */
#define LB_DP_CONFIG_CHANNEL 0x04u      /* channel */
#define LB_DP_CONFIG_FINE_TUNING 0x08u  /* fine_tuning_mhz */
#define LB_DP_CONFIG_TX_POWER 0x10u     /* tx_power_dbm */
/** The coherent members (C-CMIS page 12h), which need a tunable module (01h:155.6). */
#define LB_DP_CONFIG_COHERENT (LB_DP_CONFIG_GRID | LB_DP_CONFIG_CHANNEL | \
			       LB_DP_CONFIG_FINE_TUNING | LB_DP_CONFIG_TX_POWER)

/**
 * A data-path configuration, as a value: what is staged into staged control set 0 before
 * ApplyDPInit, checked against the module's advertisement before anything is written.
 *
 * Sized, in the direction opposite to the structs a query fills: the caller fills it and sets
 * size (LB_DP_CONFIG_INIT); the library reads the first min(size, its own sizeof) bytes and
 * takes every member past them as zero, and zero means "not set" (or the default) for every
 * member but lane_mask and appsel, which have their own zero meanings. A size below
 * LB_DP_CONFIG_SIZE_V1 is refused with LB_E_INVAL; a `set` bit this library does not know
 * (a member of a newer layout) is refused with LB_E_NOTSUP, so no setting is ever dropped
 * silently. The struct is not kept: the caller may change or free it after the call.
 */
struct lb_dp_config {
	size_t size;
	/** Host lanes (bit i = lane i+1, up to 32 across banks); 0: every lane the application
	 *  can occupy. */
	uint32_t lane_mask;
	/** AppSel 1-15; 0: the first advertised application that fits lane_mask. */
	uint8_t appsel;
	/**
	 * DataPathID (0-7, bank-relative) written to every lane, with LB_DP_CONFIG_DPID in set;
	 * without it each data path gets its first lane, which is what CMIS defines it to be
	 * (a module answers other values with ConfigRejectedInvalidDataPath).
	 */
	uint8_t dpid;
	/** ExplicitControl: use the signal-integrity values staged in the set (true) or the
	 *  application's defaults (false, the usual). */
	bool explicit_control;
	/** LB_DP_CONFIG_* bits: which optional members hold a value. */
	uint32_t set;
	/* Coherent settings, staged with the application before ApplyDPInit (page 12h). */
	/** Grid spacing in MHz: 3125, 6250, 12500, 25000, 50000, 100000, 33333 (the "33 GHz"
	 *  grid), 75000, 150000 or 300000 (LB_DP_CONFIG_GRID). */
	uint32_t grid_spacing_mhz;
	/** Channel number n on that grid (12h:136, 16-bit signed; LB_DP_CONFIG_CHANNEL). */
	int32_t channel;
	/** Fine-tuning offset, turning fine tuning on (12h:152, 16-bit signed;
	 *  LB_DP_CONFIG_FINE_TUNING). */
	int32_t fine_tuning_mhz;
	/** Target output power (12h:200, steps of 0.01 dB; LB_DP_CONFIG_TX_POWER). */
	double tx_power_dbm;
};
#define LB_DP_CONFIG_INIT LB_SIZED_INIT(struct lb_dp_config)
#define LB_DP_CONFIG_SIZE_V1 LB_SIZE_THROUGH(struct lb_dp_config, tx_power_dbm)

/**
 * Stage a configuration into staged control set 0 of its lanes and run ApplyDPInit; waits
 * for ConfigStatus, bounded by DPDeinit + DPInit as advertised. Everything that can be
 * decided from the advertisement is decided before any write: LB_E_INVAL when the AppSel is
 * not advertised or the lanes do not fit it (*reject_code holds the ConfigStatus the module
 * would answer), LB_E_NOTSUP for a setting the module cannot take (a coherent member on a
 * module that is not tunable) or this library does not know. A rejection by the module
 * returns LB_E_REJECTED with the first rejecting lane's enum lb_config_status in
 * *reject_code. reject_code may be NULL. It does not power the module up nor take the data
 * paths down first: see lb_bringup_start_config for the whole sequence.
 *
 * A configuration still in progress on the lanes (ConfigInProgress: an earlier call whose
 * wait was cut short, by a bus error say) makes the module ignore every new ApplyDPInit on
 * them: it is waited out first, within the same bound; when it was this very configuration
 * and it is in force now (the caller's retry), the call returns LB_OK without applying again.
 * After ConfigSuccess the active control set (11h:206-213) must hold what was staged:
 * LB_E_STATE when it does not (the module ran another apply than this one).
 */
LB_API int lb_module_apply_config(struct lb_module *m, const struct lb_dp_config *cfg,
				  int *reject_code);
/**
 * Stage AppSel for the host lanes in lane_mask (bit i = lane i+1, up to 32 lanes) and run
 * ApplyDPInit: lb_module_apply_config with only lane_mask and appsel set, except that both
 * are required here (lane_mask 0: LB_E_INVAL; appsel 0: LB_E_INVAL with
 * ConfigRejectedInvalidAppSel in *reject_code).
 */
LB_API int lb_module_apply_app(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			       int *reject_code);
/** Set (deinit = true) or clear DPDeinit for lanes (in the register's sense of the module's
 *  CMIS revision: DataPathPwrUp, inverted, before 4.0). No wait. */
LB_API int lb_module_dp_deinit(struct lb_module *m, uint32_t lane_mask, bool deinit);
/** Disable or enable Tx output of media lanes. No wait. */
LB_API int lb_module_tx_disable(struct lb_module *m, uint32_t lane_mask, bool disable);
/** Wait until every lane in lane_mask reports state, bounded by timeout_ms of module time. */
LB_API int lb_module_wait_dp_state(struct lb_module *m, uint32_t lane_mask,
				   enum lb_dp_state state, uint32_t timeout_ms);

/** What a bring-up cost. Sized (common.h): set size, e.g. = LB_BRINGUP_REPORT_INIT. */
struct lb_bringup_report {
	size_t size;
	uint64_t elapsed_ns;    /* clock time from start to all lanes activated */
	uint64_t deadline_ns;   /* the bound built from the advertised durations */
	int reject_code;        /* ConfigStatus code on LB_E_REJECTED */
};
#define LB_BRINGUP_REPORT_INIT LB_SIZED_INIT(struct lb_bringup_report)
#define LB_BRINGUP_REPORT_SIZE_V1 LB_SIZE_THROUGH(struct lb_bringup_report, reject_code)
/**
 * Bring the lanes up on an application: high power, deinit, stage + ApplyDPInit, init,
 * Tx on, wait DPActivated; the whole sequence bounded by a deadline built from the
 * advertised durations. appsel 0 = the first application that fits lane_mask
 * (lane_mask 0 = every lane of the first application). report may be NULL; a report whose
 * size is below LB_BRINGUP_REPORT_SIZE_V1 is refused with LB_E_INVAL before anything is done.
 * The blocking wrapper of lb_bringup_start_config (bringup.h) with only lane_mask and
 * appsel set.
 */
LB_API int lb_module_bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			      struct lb_bringup_report *report);

/* ---- monitors, thresholds, flags ---- */

/**
 * Four thresholds of one monitored quantity, in the quantity's unit. Not sized: a value
 * embedded in other structs, and CMIS's alarm/warning group has exactly these four.
 */
struct lb_threshold {
	double high_alarm, low_alarm, high_warn, low_warn;
};
/** Flag bits as used in the structs below. */
#define LB_FLAG_HIGH_ALARM 0x1u
#define LB_FLAG_LOW_ALARM 0x2u
#define LB_FLAG_HIGH_WARN 0x4u
#define LB_FLAG_LOW_WARN 0x8u

/**
 * One monitor poll. Lanes are numbered across banks, 8 per bank (bank b holds lanes
 * 8b+1..8b+8), in the arrays (index i = lane i+1) and in the 32-bit lane masks alike (bit i =
 * lane i+1). Sized (common.h): set size, e.g. = LB_MODULE_MONITORS_INIT.
 */
struct lb_module_monitors {
	size_t size;
	double temperature_c;
	double vcc_v;
	unsigned lanes;                     /* media lanes reported */
	double tx_bias_ma[LB_MODULE_MAX_LANES];
	double tx_power_mw[LB_MODULE_MAX_LANES];
	double rx_power_mw[LB_MODULE_MAX_LANES];
	/* latched flags, read (and so cleared) once by this poll */
	uint8_t temperature_flags, vcc_flags;       /* LB_FLAG_* */
	uint8_t tx_power_flags[LB_MODULE_MAX_LANES];
	uint8_t tx_bias_flags[LB_MODULE_MAX_LANES];
	uint8_t rx_power_flags[LB_MODULE_MAX_LANES];
	uint8_t module_flags;                /* byte 8 */
	bool module_state_changed;
	/* page 11h of every bank the poll reads: bit i = lane i+1 */
	uint32_t tx_los, tx_fault, rx_los, rx_lol, tx_lol;
	/* ---- V2 ---- */
	/*
	 * Lanes among the first `lanes` that are monitored: the module advertises a lane monitor
	 * (01h:160 bits 2-0) and does not mark the media lane unsupported (00h:210). The other
	 * lanes' values are NAN and their per-lane flags (and their bits in tx_fault, rx_los,
	 * rx_lol) zero.
	 */
	uint32_t monitored_lanes;
	/* The rest of the latched flags the poll reads, so that it drops none (flags.h). */
	uint8_t aux1_flags, aux2_flags, aux3_flags, custom_flags; /* LB_FLAG_*, bytes 10-11 */
	uint32_t dp_state_changed;  /* 11h:134 */
	uint32_t tx_adapt_eq_fail;  /* 11h:138 */
	uint32_t rx_output_changed; /* 11h:153 */
};
#define LB_MODULE_MONITORS_INIT LB_SIZED_INIT(struct lb_module_monitors)
#define LB_MODULE_MONITORS_SIZE_V1 LB_SIZE_THROUGH(struct lb_module_monitors, tx_lol)
#define LB_MODULE_MONITORS_SIZE_V2 LB_SIZE_THROUGH(struct lb_module_monitors, rx_output_changed)
/**
 * One monitor poll: every monitor and every latched flag, in as few transactions as the
 * module allows (lower memory 8-25 and page 11h 134-201 of each bank holding media lanes;
 * the first poll after an insertion also reads 00h:210 once).
 *
 * The flags are those the handle's default consumer has not seen yet (flags.h): what this
 * poll read, plus whatever any other caller read from the module (an interrupt handler, a
 * raw read, a poll on another handle) since this handle's last poll. Each flag is reported
 * by this handle's polls exactly once; other consumers still see it. Flags of lanes beyond
 * `lanes`, and lane flags of unmonitored lanes, are dropped from this view.
 * LB_E_INVAL for a size below LB_MODULE_MONITORS_SIZE_V1.
 */
LB_API int lb_module_get_monitors(struct lb_module *m, struct lb_module_monitors *out);

/**
 * Thresholds of page 02h. Sized (common.h): set size, e.g. = LB_MODULE_THRESHOLDS_INIT; the
 * Aux and custom monitors' thresholds are still to come.
 */
struct lb_module_thresholds {
	size_t size;
	struct lb_threshold temperature_c, vcc_v, tx_power_mw, tx_bias_ma, rx_power_mw;
};
#define LB_MODULE_THRESHOLDS_INIT LB_SIZED_INIT(struct lb_module_thresholds)
#define LB_MODULE_THRESHOLDS_SIZE_V1 LB_SIZE_THROUGH(struct lb_module_thresholds, rx_power_mw)
/**
 * Thresholds from page 02h, read whole with its checksum (02h:255): a mismatch is read again,
 * and LB_E_CHECKSUM when the two reads differ (a byte corrupted on the way; a module whose
 * own checksum is wrong gives the same bytes twice, which are taken). LB_E_NOTSUP on flat
 * memory; LB_E_INVAL for a size below LB_MODULE_THRESHOLDS_SIZE_V1.
 */
LB_API int lb_module_get_thresholds(struct lb_module *m, struct lb_module_thresholds *out);

/** mW to dBm; -inf is returned as -40.0 (the floor of any receiver). */
LB_API double lb_mw_to_dbm(double mw);

/* ---- vendor extensions ---- */

/*
 * A module extension driver (kind LB_DRIVER_MODULE_EXT, driver.h) adds a vendor's knowledge
 * of a module family: its line modes, its vendor pages, its own decode of some values. It is
 * matched on the module's identity (OUI, part number, revision, CMIS revision) at the first
 * identity read after the module is opened or invalidated, or at the first call below when
 * no identity read came first (one read of page 00h); the extension registered last wins
 * when several match, so a plugin overrides a built-in. Without an extension, or where it has
 * nothing to say, each call gives the plain CMIS answer.
 */

struct lb_line_mode; /* include/lightbridge/link.h */

/**
 * The name of the extension driver attached to the module ("lightbridge-emu"), or "" when
 * none matches or the module cannot be read. Matches first when needed (see above). The
 * string lives as long as the context.
 */
LB_API const char *lb_module_extension_name(struct lb_module *m);

/**
 * The line modes the module offers: one per coherent application it advertises, mapped by its
 * media interface code (400ZR, 800ZR, OpenZR+, OpenROADM FLEXO; docs/coherent.md has the table),
 * in AppSel order, then the modes its extension adds (a vendor's PCS modes). Each is a struct
 * lb_line_mode (link.h) with what a module can state: id (naming the mode in link/modes.json,
 * lb_line_modes_find; "ID/APPSEL" when two applications share a mode), name, format, entropy,
 * baud, net rate, FEC, slot, nominal reach, the application it runs on (appsel, host_id,
 * media_id), vendor_code (non-zero for an extension's mode), explicit_control (staged with
 * ExplicitControl set), module_power_w (the mode's typical power when the extension states it,
 * else the advertised maximum of 00h:201) and energy_pj_per_bit; the physics members
 * (tolerances, penalties) are zero.
 *
 * modes is an array of sized structs: modes[0].size (LB_LINE_MODE_INIT) gives the layout of
 * every element (a size below LB_LINE_MODE_SIZE_V1 is LB_E_INVAL); up to max are filled, each
 * element's size set to what was filled. *count is the number there are (may exceed max);
 * modes may be NULL when max is 0. A module without coherent applications or extension: LB_OK
 * with *count 0. Bus errors as for lb_module_read.
 */
LB_API int lb_module_list_line_modes(struct lb_module *m, struct lb_line_mode *modes, size_t max,
				     size_t *count);
/**
 * Put the host lanes of lane_mask (0: every lane of the mode's application) on line mode id (one
 * of lb_module_list_line_modes), running the data-path sequence: for an extension's mode, when
 * it is not already in force, the lanes' data paths are deactivated (DPDeinit, waited within
 * the advertised DPDeinit duration), the extension selects the mode and the module's
 * confirmation is awaited within the mode-change time the extension states
 * (LB_LINE_MODE_CHANGE_DEFAULT_MS without one); then the mode's application is brought up as
 * lb_module_bring_up does (nothing is done for lanes already up on it), with ExplicitControl set
 * when the mode's explicit_control says the module needs it. A standard mode clears
 * an extension's mode first the same way. "" returns to the application in force without a
 * vendor mode. While an extension's mode changes, from DPDeinit to the end of the bring-up, the
 * module is claimed (lb_module_request, reason "line mode change to ID"), unless this handle
 * holds a claim already, which then covers it: other handles get LB_E_BUSY meanwhile, and this
 * call gets LB_E_BUSY when another holds a claim.
 *
 * Errors: LB_E_NOTFOUND for an id the module does not offer; LB_E_NOTSUP for an id that is not
 * one of its applications' modes on a module without an extension that selects modes (PCS has
 * no CMIS register: only an extension driver selects it); LB_E_INVAL for NULL m or id, or lanes
 * the mode's application cannot take; LB_E_TIMEOUT when the module does not confirm the mode
 * in time; the errors of lb_module_bring_up. After a failure past DPDeinit the lanes stay down.
 */
LB_API int lb_module_select_line_mode(struct lb_module *m, uint32_t lane_mask, const char *id);
/**
 * The id of the extension's line mode in force on lane_mask (0: every lane), "" for the
 * application's own (whose mode lb_module_list_line_modes names by its AppSel, and
 * lb_module_get_power_per_bit's line_mode gives). A change under way is waited out first,
 * within the mode-change time. len bytes at most.
 */
LB_API int lb_module_get_line_mode(struct lb_module *m, uint32_t lane_mask, char *id, size_t len);

/**
 * One named value of a vendor page. Not sized: an array element the caller provides, and a
 * page that says more gives more fields, not larger ones.
 */
struct lb_module_field {
	char name[32];      /* "laser_temp_c": lower case, the unit last, as the library's names */
	double value;       /* in the unit the name ends with; NAN for a field that is only text */
	char text[48];      /* the value as text where it has one ("800g-pcs-131e"), else "" */
	uint8_t bank, page, offset, len; /* where it lives */
	bool writable;      /* the page's layout lets the host write it */
};

/**
 * The vendor pages (B0h-FFh) the module has, as its extension knows them: up to max page
 * numbers into pages, *count how many there are. CMIS advertises none of them, so plain CMIS
 * gives LB_OK with *count 0 (the pages may still be read with lb_module_read).
 */
LB_API int lb_module_list_vendor_pages(struct lb_module *m, uint8_t *pages, size_t max,
				       size_t *count);
/**
 * Decode vendor page (bank, page) into named fields: up to max into fields, *count how many
 * there are. LB_E_INVAL for a page below B0h; LB_E_NOTSUP when no extension decodes it.
 */
LB_API int lb_module_decode_vendor_page(struct lb_module *m, uint8_t bank, uint8_t page,
					struct lb_module_field *fields, size_t max, size_t *count);

LB_END_DECLS
#endif
