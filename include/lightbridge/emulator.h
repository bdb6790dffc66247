/* SPDX-License-Identifier: MIT */
/*
 * The register-level emulator, for users' own tests and tools. A world owns a virtual
 * clock and every segment and module created in it; a segment is one two-wire bus with
 * devices at addresses (optionally behind PCA9548-style muxes, which may nest); a module is
 * a CMIS 5.x module model built from a JSON profile or from a memory image seen in the field.
 * Reach a segment through the core with lb_bus_open(ctx, "emulator", NULL, segment, &bus).
 *
 * All of it lives in liblightbridge-emu (pkg-config lightbridge-emu, CMake target
 * lightbridge::lightbridge-emu), next to liblightbridge, which carries no emulator code.
 */
#ifndef LIGHTBRIDGE_EMULATOR_H
#define LIGHTBRIDGE_EMULATOR_H

#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/options.h>
#include <lightbridge/clock.h>
#include <lightbridge/i2c.h>
#include <lightbridge/link.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_ctx;
struct lb_emu_world;
struct lb_emu_segment;
struct lb_emu_module;

/*
 * Threads: every call below may be made from any thread; the world has one lock that each
 * call takes (a world, its segments and its modules may be shared between threads). Destroy
 * calls must not race with other calls on the same objects.
 *
 * Time: each segment keeps its own virtual clock, as buses on hardware run side by side: a
 * transfer charges its wire time to its own segment only, and a module runs on the clock of
 * the segment it is attached to (a module on no segment runs on the world's clock). Work
 * spread over 8 buses therefore costs, in virtual time, about the busiest bus, not the sum.
 * Callers that share one segment share its clock (their sleeps add up): drive the modules of
 * one bus from one thread to overlap their waits (lb_bringup_step does). The world's time is
 * the latest of all its clocks; advancing the world brings every clock up to the new time.
 * A transfer costs the same whatever the number of modules in the world: a module catches up
 * to its bus's time when it is addressed, or when one of its timers falls due.
 */

/* ---- the emulator's drivers ---- */

/**
 * Register the emulator bus driver ("emulator"), the emulator sideband driver ("emulator")
 * and the emulated router ASIC's driver ("emulated", lightbridge/asic.h) into ctx; they are
 * not built into liblightbridge. Call it after
 * lb_ctx_create() in every process that opens emulated buses or an emulated platform;
 * without it those fail with LB_E_NOTFOUND. Idempotent: a second call on the same ctx is
 * LB_OK. LB_E_EXISTS (detail in lb_ctx_last_error) if another driver took one of the names.
 */
LB_API int lb_emu_register_drivers(struct lb_ctx *ctx);

/* ---- world: virtual time ---- */

/** Create a world whose virtual clock starts at 0. */
LB_API int lb_emu_world_create(struct lb_emu_world **out);
/**
 * Destroy the world and every world device (released first), module and segment in it;
 * NULL is allowed.
 */
LB_API void lb_emu_world_destroy(struct lb_emu_world *w);
/** The world's virtual time in ns: the latest of its segments' clocks. */
LB_API uint64_t lb_emu_world_now_ns(const struct lb_emu_world *w);
/**
 * Let ns pass for everybody: every segment's clock is brought up to the world's time + ns,
 * and every module's state machines run up to its clock.
 */
LB_API void lb_emu_world_advance_ns(struct lb_emu_world *w, uint64_t ns);
/** A clock whose now/sleep read and advance the whole world's virtual time. */
LB_API struct lb_clock lb_emu_world_clock(struct lb_emu_world *w);

/* ---- world devices: models that run on the virtual clock ---- */

/**
 * A device of the world that runs on the virtual clock: a link joining two modules, the
 * router ASIC, a test's stimulus. Its state should be a function of time; the world runs it
 * up to a time when a clock reaches one of its deadlines, and up to the world's time when
 * the world advances.
 *
 * Which clock: each segment keeps its own, so a device has its own time too, which never
 * goes back. The first clock to reach one of its deadlines runs it there: a segment whose
 * time passes the deadline (bus traffic, a sleep on its clock) stops at the deadline, runs
 * its own modules' timers due until then, and runs the device at the deadline; a world
 * advance runs it at each of its deadlines in order, every segment brought there first, and
 * finally up to the new world time. A device found overdue (its deadline already behind the
 * clock that reaches it, e.g. one added with a deadline in the past) runs at that clock's
 * time. What it does to a module (pins, poke, a monitor) reaches the module at the module's
 * own time, its segment's, which for a module on another bus may be ahead or behind.
 *
 * Ops tables start with their size (sizeof as the caller was built; at least
 * LB_EMU_DEVICE_OPS_SIZE_V1); the emulator copies the table zero-extended, so ops appended
 * later read NULL for an older caller. Every op runs under the world's lock, in the thread
 * that moved the clock; it may call the emulator's public calls on modules and segments
 * (set pins, poke, set monitors, transfers), but must not add or remove world devices nor
 * destroy anything.
 */
struct lb_emu_world_device;
struct lb_emu_device_ops {
	size_t size;
	/** When the device next wants to run (absolute virtual ns; UINT64_MAX: not on its own).
	 * Asked when it is added, after each run, and on lb_emu_world_device_reschedule. After a
	 * run, a deadline not after the time it ran to counts as none (it would run at every
	 * step); before its first run, one in the past makes it run when a clock next moves.
	 * Optional. */
	uint64_t (*next_deadline)(void *user);
	/** Run up to t_ns (never lower than the time of an earlier call). Required. */
	void (*run_until)(void *user, uint64_t t_ns);
	/** The world lets go of the device (removed, or the world destroyed before its modules). Optional. */
	void (*release)(void *user);
};
#define LB_EMU_DEVICE_OPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_device_ops, release)

/**
 * Add a device to the world; its time starts at the world's time. *out (may be NULL) names
 * it. LB_E_INVAL: no run_until, or a size below LB_EMU_DEVICE_OPS_SIZE_V1.
 */
LB_API int lb_emu_world_add_device(struct lb_emu_world *w, const struct lb_emu_device_ops *ops,
				   void *user, struct lb_emu_world_device **out);
/** Remove a device (its release op is called); NULL is allowed. Not from one of its ops. */
LB_API void lb_emu_world_device_remove(struct lb_emu_world_device *d);
/** Ask the device for its next deadline again: its inputs changed outside run_until. */
LB_API void lb_emu_world_device_reschedule(struct lb_emu_world_device *d);
/** The time the device has run up to, ns. */
LB_API uint64_t lb_emu_world_device_now_ns(const struct lb_emu_world_device *d);

/* ---- segment: one emulated two-wire bus ---- */

/** Create a segment at a bus clock of 100, 400 or 1000 kHz (other values: LB_E_INVAL). */
LB_API int lb_emu_segment_create(struct lb_emu_world *w, uint32_t clock_khz,
				 struct lb_emu_segment **out);
/** Change the bus clock (kHz); LB_E_INVAL unless 100, 400 or 1000. */
LB_API int lb_emu_segment_set_clock_khz(struct lb_emu_segment *s, uint32_t clock_khz);
LB_API uint32_t lb_emu_segment_clock_khz(const struct lb_emu_segment *s);
/**
 * Add the segment's 8-channel mux (PCA9548-style) at addr, directly on the segment; its one
 * control byte selects channels (bit i = channel i). One per segment: LB_E_EXISTS when it
 * has one (from this call, or the first lb_emu_segment_add_mux_at directly on the segment);
 * lb_emu_segment_add_mux_at adds as many muxes as wanted.
 */
LB_API int lb_emu_segment_add_mux(struct lb_emu_segment *s, uint16_t addr);
/**
 * Attach a module at addr on a channel (0-7) of the segment's mux (lb_emu_segment_add_mux,
 * or the first mux added directly on the segment; one attached before the mux is added
 * answers once it is), or directly (channel -1). LB_E_EXISTS if the address is taken there.
 */
LB_API int lb_emu_segment_attach(struct lb_emu_segment *s, int channel, uint16_t addr,
				 struct lb_emu_module *m);
/**
 * Take a module off its segment, as a hand pulls it out of its cage: the module keeps its
 * memory and state (caught up to its bus's time) and runs on the world's clock until it is
 * attached again, here or elsewhere (lb_emu_segment_attach, _attach_path). Nothing answers
 * at its place meanwhile, and another module may be attached there: a module swapped behind
 * the host's back. Attaching is not an insertion: call lb_emu_module_remove before and
 * lb_emu_module_insert after for a power cycle. LB_E_NOTFOUND when it is on no segment.
 */
LB_API int lb_emu_segment_detach(struct lb_emu_module *m);
/**
 * A mux on a segment (PCA9548-style, 8 channels): owned by the segment, valid while it lives.
 * A device behind a channel answers only while every mux on its path enables its channel.
 */
struct lb_emu_mux;
/**
 * Add a mux at addr directly on the segment (parent NULL, parent_channel -1) or behind
 * channel parent_channel (0-7) of another mux of the segment, as deep as 8 levels; *out (may
 * be NULL) names it for lb_emu_segment_attach_path and further muxes. Any number of muxes.
 * Addresses: a device clashes (LB_E_EXISTS) with another at the same address only where no
 * mux can keep them apart (one's path is the start of the other's: directly on the segment
 * and behind a mux, or on a channel and further down the same channel); devices on different
 * channels or behind different muxes may share an address (enabled at once, writes reach
 * both and reads give the wired-AND). LB_E_INVAL: a bad address, channel, or a parent of
 * another segment; LB_E_RANGE: deeper than 8.
 */
LB_API int lb_emu_segment_add_mux_at(struct lb_emu_segment *s, struct lb_emu_mux *parent,
				     int parent_channel, uint16_t addr, struct lb_emu_mux **out);
/**
 * Attach a module at addr behind channel (0-7) of mux (a mux of this segment, at any depth),
 * or directly on the segment (mux NULL, channel -1). Errors as lb_emu_segment_add_mux_at;
 * LB_E_EXISTS also when the module sits on a segment already.
 */
LB_API int lb_emu_segment_attach_path(struct lb_emu_segment *s, struct lb_emu_mux *mux,
				      int channel, uint16_t addr, struct lb_emu_module *m);
/**
 * Run a combined transfer as a host adapter would, charging its wire time (lb_i2c_wire_clocks
 * at the segment clock) to the virtual clock. LB_E_NACK when no device answers or the
 * device NACKs; LB_E_SHORT on an injected short transfer.
 */
LB_API int lb_emu_segment_xfer(struct lb_emu_segment *s, struct lb_i2c_msg *msgs, unsigned n);
/** A module that an options object plugged into a segment, and the file it was made from. */
struct lb_emu_placement {
	struct lb_emu_module *module;
	int channel;       /* mux channel 0-7, or -1 directly on the segment */
	uint16_t addr;     /* 7-bit address */
	char source[4096]; /* profile or image path */
};

/**
 * Build a segment from a bus's options object (lightbridge/options.h), as platform files carry
 * it and as the emulator bus driver receives it:
 *   {"clock_khz": 400, "mux_addr": 112,
 *    "modules": [{"channel": 0, "addr": 80, "profile": "NAME-or-path"} | {..., "image": "path"}]}
 * Other keys of the object are the caller's (the bus driver refuses unknown ones); a module
 * entry takes only these (and "description", "comment", "_..." notes). A profile name without
 * '/' is data_dir/emulator/profiles/NAME.json. Fills placed[0..max-1] and *n. Errors:
 * LB_E_PARSE (a field of the wrong type, unknown or missing), LB_E_RANGE (out of range, more
 * than max modules), LB_E_EXISTS (two modules at one address), or the module loader's status,
 * recorded in the options as "ORIGIN: FIELD: reason" (lb_options_error); the modules made so
 * far are destroyed (an empty segment may stay in the world).
 */
LB_API int lb_emu_segment_create_from_options(struct lb_emu_world *w, const struct lb_options *options,
					      const char *data_dir, struct lb_emu_segment **out,
					      struct lb_emu_placement *placed, unsigned max, unsigned *n);
/** The world a segment belongs to. */
LB_API struct lb_emu_world *lb_emu_segment_world(const struct lb_emu_segment *s);
/** Wire time of the last transfer, ns. */
LB_API uint64_t lb_emu_segment_last_xfer_ns(const struct lb_emu_segment *s);
/** The segment's own virtual time, ns. */
LB_API uint64_t lb_emu_segment_now_ns(const struct lb_emu_segment *s);
/** Let ns pass on this segment only (its modules' timers run; other segments keep their time). */
LB_API void lb_emu_segment_advance_ns(struct lb_emu_segment *s, uint64_t ns);
/** A clock whose now/sleep read and advance this segment's time: what its bus driver offers. */
LB_API struct lb_clock lb_emu_segment_clock(struct lb_emu_segment *s);

/* ---- module ---- */

/**
 * Create a module from a JSON profile file (emulator/profiles/x.json). A malformed or
 * truncated profile gives LB_E_PARSE and "file: field: reason" in err.
 */
LB_API int lb_emu_module_create(struct lb_emu_world *w, const char *profile_path,
				struct lb_emu_module **out, char *err, size_t errlen);
/**
 * Create a module from a memory image, in any of the formats docs/lbctl.md ("Images in and
 * out") lists, told apart by the content: the text dump format of the shared test data
 * ("PAGE OFFSET HEXBYTES" lines; PAGE as BANK:PAGE for banks above 0), what `lbctl dump`
 * prints, `ethtool -m DEV hex on` output, SONiC `sfputil show eeprom-hexdump` output, or a raw
 * binary (`ethtool -m DEV raw on`, optoe: lower memory, then upper pages at
 * 128 * (page + 1); a page of zeros there is a hole). Replayed as recorded: every page the
 * image holds exists with its bytes as they are (checksums are not recomputed), whatever the
 * advertisement says; pages it lacks exist as its page 01h advertisement says, and a missing
 * 10h or 11h is generated as the state machines hold it (docs/emulator.md, "Images").
 * Durations: a tenth of each advertised bound, at most 25 ms. A malformed file: LB_E_PARSE and
 * "file: line N: reason" in err.
 */
LB_API int lb_emu_module_create_from_image(struct lb_emu_world *w, const char *path,
					   struct lb_emu_module **out, char *err, size_t errlen);
/** Destroy a module (detaching it from its segment); NULL is allowed. */
LB_API void lb_emu_module_destroy(struct lb_emu_module *m);
/**
 * Give a module made from a profile the serial number of its place, so that the modules of a
 * platform look like a fleet (docs/emulator.md, "Fleet serial numbers"): the profile's serial
 * without its trailing digits (at most 9 characters), then 4 hex digits of a hash of the bus
 * name, the mux channel (0-7, D: on the segment itself) and the 2 hex digits of addr, e.g.
 * "LBE800ZR" "7C1A" "0" "50". Deterministic: the same place gives the same serial in every
 * process. Written to page 00h bytes 166-181 of the module and of its power-on content, and
 * 00h:222 recomputed when it was right. A module made from an image keeps its recorded serial
 * (LB_OK, nothing changed). LB_E_INVAL: m or bus NULL, channel outside -1..7, addr > 7Fh.
 * Takes the world lock.
 */
LB_API int lb_emu_module_set_fleet_serial(struct lb_emu_module *m, const char *bus, int channel,
					  uint16_t addr);
/** Profile or image name. */
LB_API const char *lb_emu_module_name(const struct lb_emu_module *m);
/**
 * Whether a page of a module made from an image came from the image file: 1 when it did
 * (lower memory and page 00h always do), 0 when the emulator made it up (a page the image's
 * advertisement names but the file lacks, or a bank the file lacks, which is a copy of bank 0).
 * Unbanked pages (00h-0Fh) answer for any bank as for bank 0. LB_E_NOTSUP for a module made
 * from a profile, LB_E_INVAL for NULL. Fixed when the module is made: any thread may ask.
 */
LB_API int lb_emu_module_page_in_image(const struct lb_emu_module *m, uint8_t bank, uint8_t page);

/** Read stored bytes without side effects (no clear-on-read, no select). LB_E_NOTFOUND: page absent. */
LB_API int lb_emu_module_peek(const struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, uint8_t *buf, size_t len);
/** Store bytes without side effects or access rules (test set-up). */
LB_API int lb_emu_module_poke(struct lb_emu_module *m, uint8_t bank, uint8_t page,
			      uint8_t offset, const uint8_t *buf, size_t len);
/** A host write as the module sees it on the wire: data[0] is the byte address. */
LB_API int lb_emu_module_i2c_write(struct lb_emu_module *m, const uint8_t *data, size_t len);
/** A host read from the current byte address (wrapping within the 128-byte half). */
LB_API int lb_emu_module_i2c_read(struct lb_emu_module *m, uint8_t *buf, size_t len);

/** Drive the LPMode and ResetL pins (asserted = 1). */
LB_API void lb_emu_module_set_lpmode(struct lb_emu_module *m, int asserted);
LB_API void lb_emu_module_set_resetl(struct lb_emu_module *m, int asserted);
/** IntL pin (1 = asserted) and ModPrsL (1 = module present). */
LB_API int lb_emu_module_intl(const struct lb_emu_module *m);
LB_API int lb_emu_module_present(const struct lb_emu_module *m);

/** The real durations (ns) the module's state machines take, below the advertised maxima. */
struct lb_emu_timing {
	uint64_t module_pwr_up_ns, module_pwr_dn_ns;
	uint64_t dp_init_ns, dp_deinit_ns;
	uint64_t dp_tx_turn_on_ns, dp_tx_turn_off_ns;
	uint64_t apply_ns;  /* ConfigInProgress -> result after ApplyDPInit */
	uint64_t reset_ns;  /* unreachable after SoftwareReset */
};
LB_API void lb_emu_module_get_timing(const struct lb_emu_module *m, struct lb_emu_timing *out);

/** Module state code (CMIS byte 3 bits 3-1) and per-host-lane data-path state (lane 1..32). */
LB_API int lb_emu_module_state(const struct lb_emu_module *m);
LB_API int lb_emu_module_dp_state(const struct lb_emu_module *m, unsigned lane);

enum lb_emu_monitor {
	LB_EMU_MON_TEMPERATURE_C = 0,
	LB_EMU_MON_VCC_V = 1,
	LB_EMU_MON_TX_BIAS_MA = 2,   /* per lane */
	LB_EMU_MON_TX_POWER_MW = 3,  /* per lane */
	LB_EMU_MON_RX_POWER_MW = 4,  /* per lane */
};
/** Set the physical value a monitor measures (lane 1..32 for lane monitors, 0 for module). Flags follow thresholds. */
LB_API int lb_emu_module_set_monitor(struct lb_emu_module *m, enum lb_emu_monitor which,
				     unsigned lane, double value);

/* ---- telemetry source: a model feeds what a module measures ---- */

#define LB_EMU_MAX_LANES 32 /* host lanes of a module, at most (4 banks of 8) */
#define LB_EMU_MAX_MEDIA_LANES 8 /* media lanes of a module whose coherent measures are modelled */

/**
 * What a module measures, handed to its telemetry source at each sample. Sized: the emulator
 * sets size to the bytes it knows (its own sizeof) and fills every member with what the
 * module reports now; the source changes what it models and leaves the rest. A source built
 * with a newer header writes a member only when it ends within size
 * (LB_SIZE_THROUGH(struct lb_emu_telemetry, member) <= size). Members are only appended
 * (the coherent measurements came in V2), never reordered. Values go into the registers as
 * lb_emu_module_set_monitor puts them (its units, its rounding and clamping).
 */
struct lb_emu_telemetry {
	size_t size;
	unsigned lanes; /* host lanes of the module (0 flat, 8, 16, 32): the lane arrays' used part */
	double temperature_c;
	double vcc_v;
	double tx_bias_ma[LB_EMU_MAX_LANES]; /* [i] = lane i + 1 */
	double tx_power_mw[LB_EMU_MAX_LANES];
	double rx_power_mw[LB_EMU_MAX_LANES];
	/*
	 * Coherent measurements (V2), per media lane ([i] = media lane i + 1, up to
	 * LB_EMU_MAX_MEDIA_LANES; a ZR module has one), what the module's DSP reports in VDM
	 * (pages 20h-2Fh), the C-CMIS PMs (34h/35h) and its media-lane flags. NAN: not modelled
	 * (the module keeps what it had). A coherent link (two modules joined by a fibre path)
	 * fills them from the link model.
	 */
	unsigned media_lanes;                          /* media lanes of the module */
	bool media_los[LB_EMU_MAX_MEDIA_LANES];        /* no light at the receiver */
	bool media_lol[LB_EMU_MAX_MEDIA_LANES];        /* light but no frame lock (ends disagree) */
	double osnr_db[LB_EMU_MAX_MEDIA_LANES];        /* 0.1 nm reference bandwidth */
	double esnr_db[LB_EMU_MAX_MEDIA_LANES];
	double pre_fec_ber[LB_EMU_MAX_MEDIA_LANES];    /* now; the module keeps min/max/average */
	double post_fec_ber[LB_EMU_MAX_MEDIA_LANES];   /* uncorrectable share after the FEC */
	double cd_ps_nm[LB_EMU_MAX_MEDIA_LANES];       /* chromatic dispersion seen by the DSP */
	double dgd_ps[LB_EMU_MAX_MEDIA_LANES];
	double sopmd_ps2[LB_EMU_MAX_MEDIA_LANES];
	double pdl_db[LB_EMU_MAX_MEDIA_LANES];
	double cfo_mhz[LB_EMU_MAX_MEDIA_LANES];        /* carrier frequency offset */
	double evm_pct[LB_EMU_MAX_MEDIA_LANES];
	double rx_total_power_dbm[LB_EMU_MAX_MEDIA_LANES];
	double rx_signal_power_dbm[LB_EMU_MAX_MEDIA_LANES];
	double laser_freq_error_mhz[LB_EMU_MAX_MEDIA_LANES];
	double laser_temperature_c;
};
#define LB_EMU_TELEMETRY_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_telemetry, rx_power_mw)
#define LB_EMU_TELEMETRY_SIZE_V2 LB_SIZE_THROUGH(struct lb_emu_telemetry, laser_temperature_c)

/**
 * A telemetry source (a test, later the link model). Sized as struct lb_emu_device_ops
 * (copied zero-extended; at least LB_EMU_TELEMETRY_OPS_SIZE_V1).
 */
struct lb_emu_telemetry_ops {
	size_t size;
	/**
	 * What the module measures at t_ns, its own time: change the members of tm the model
	 * gives. LB_OK takes them (monitor bytes follow, flags latch against page 02h as for
	 * lb_emu_module_set_monitor); anything else leaves this sample out. Runs under the
	 * world's lock; must not call the emulator on this module. Required.
	 */
	int (*sample)(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm);
	/** The module lets go of the source (replaced, removed, module destroyed). Optional. */
	void (*release)(void *user);
	/**
	 * The module samples when it runs at a new time (each transfer that reaches it, a
	 * public call on it, a world advance), and, when nonzero, every interval_ns of virtual
	 * time on its own, so that flags and IntL follow with no host traffic (its segment
	 * runs it then, as for its other timers).
	 */
	uint64_t interval_ns;
};
#define LB_EMU_TELEMETRY_OPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_telemetry_ops, interval_ns)

/**
 * Feed the module's monitors from a source (NULL: none; the monitors keep their last
 * values). The previous source is released. The first sample is taken at once, at the
 * module's time, while the module runs (present, out of reset). LB_E_INVAL: a table without
 * sample or smaller than LB_EMU_TELEMETRY_OPS_SIZE_V1.
 */
LB_API int lb_emu_module_set_telemetry_source(struct lb_emu_module *m,
					      const struct lb_emu_telemetry_ops *ops, void *user);

/* ---- coherent link: two modules joined by a fibre path ---- */

/**
 * A coherent link: a world device that joins media lane 1 of two emulated modules by a fibre
 * path of the link model (include/lightbridge/link.h, docs/link-model.md) and is the
 * telemetry source of both. At each sample of one end (the receiver) it reads, from both
 * modules' registers as the host left them, what each end has set: the module state
 * (ModuleReady), the data path of lane 1 (DPActivated), Tx disable of media lane 1 (10h:130),
 * the active application (11h:206, its media interface code mapped to a line mode with
 * lb_line_mode_for_media_id or the options' overrides) unless a vendor line mode is in force
 * (the LIGHTBRIDGE EMU page B0h, docs/extensions.md), the current laser frequency (12h:168)
 * and whether it is locked (12h:222), and the Tx power target (12h:200). It evaluates the far
 * end's signal over the path (lb_link_evaluate_ends, with the path's Tx power and frequency
 * set to the far end's) at a DGD drifting on the virtual clock, and gives the receiver its
 * OSNR, eSNR, pre- and post-FEC BER, CD, DGD, PDL, CFO, Rx total and signal power, media
 * LOS (no light: far end dark, off channel, Tx disabled) and LOL (light but no frame lock:
 * another mode, a carrier off the local oscillator, or the receiver's own data path or laser
 * not up), and the Rx and Tx power monitors of lane 1. Figures that need a signal are left
 * out (NAN) when the receiver does not lock. docs/emulator.md, "Coherent links".
 */
struct lb_emu_link;

/** Up to this many media-interface-code overrides in struct lb_emu_link_opts. */
#define LB_EMU_LINK_MAX_MEDIA_MODES 8

/** Options of lb_emu_link_create; NULL: all defaults. Sized (LB_EMU_LINK_OPTS_INIT). */
struct lb_emu_link_opts {
	size_t size;
	uint64_t seed;               /* of the DGD drift; the same seed gives the same drift */
	double dgd_corr_time_s;      /* DGD correlation time, s; 0: 1,800 s */
	uint64_t interval_ns;        /* each end samples this often on its own; 0: 100 ms */
	/* Media interface codes mapped to line modes of the table (ids), before
	 * lb_line_mode_for_media_id: e.g. 6Ch run as "800g-pcs-131e" on a module whose vendor
	 * mode page shapes it. */
	unsigned media_mode_count;
	struct {
		uint8_t media_id;
		char mode[LB_LINK_ID_LEN];
	} media_modes[LB_EMU_LINK_MAX_MEDIA_MODES];
};
#define LB_EMU_LINK_OPTS_INIT LB_SIZED_INIT(struct lb_emu_link_opts)
#define LB_EMU_LINK_OPTS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_link_opts, media_modes)

/**
 * Join modules a and b (two different modules of world w) by path; modes is the line-mode
 * table the applications map into. The link keeps copies of path, modes and opts. It becomes
 * the telemetry source of both modules (replacing any) and a world device of w; it lives
 * until lb_emu_link_destroy or the world's end. Errors: LB_E_INVAL (NULL, a == b, a module of
 * another world, a size below its V1, an empty mode table), LB_E_RANGE (a bad path:
 * lb_link_path_check; a bad option), LB_E_NOTFOUND (an override names a mode the table lacks),
 * LB_E_EXISTS (a or b is an end of another link), LB_E_NOMEM.
 */
LB_API int lb_emu_link_create(struct lb_emu_world *w, struct lb_emu_module *a,
			      struct lb_emu_module *b, const struct lb_link_path *path,
			      const struct lb_line_modes *modes, const struct lb_emu_link_opts *opts,
			      struct lb_emu_link **out);
/** Undo lb_emu_link_create: both modules lose their telemetry source (keeping their last
 *  values) and the device leaves the world. NULL is allowed. Not from a device's op. */
LB_API void lb_emu_link_destroy(struct lb_emu_link *l);

/** What one end of a link received at its last sample. Sized (LB_EMU_LINK_SAMPLE_INIT). */
struct lb_emu_link_sample {
	size_t size;
	bool sampled;                 /* false: no sample yet (module not running) */
	uint64_t t_ns;                /* the receiver's time of the sample */
	char rx_mode[LB_LINK_ID_LEN]; /* the receiver's line mode, "" when it has none */
	char tx_mode[LB_LINK_ID_LEN]; /* the far end's */
	double rx_frequency_thz;      /* the receiver's laser (its local oscillator); 0: none */
	double tx_frequency_thz;      /* the far end's carrier; 0: dark */
	double tx_power_dbm;          /* the far end's Tx power target */
	bool rx_ready;                /* the receiver's module ready, data path up, laser locked */
	bool tx_lit;                  /* the far end sends: ready, data path up, locked, Tx on */
	struct lb_link_result result; /* the evaluation (state LOS/NO_LOCK: no signal figures) */
};
#define LB_EMU_LINK_SAMPLE_INIT LB_SIZED_INIT(struct lb_emu_link_sample)
#define LB_EMU_LINK_SAMPLE_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_link_sample, result)

/**
 * The last sample of end 0 (module a receiving from b) or end 1 (b from a). LB_E_INVAL: NULL,
 * end above 1, a size below V1. Takes the world's lock.
 */
LB_API int lb_emu_link_last_sample(const struct lb_emu_link *l, unsigned end,
				   struct lb_emu_link_sample *out);
/** The link's path (its copy). NULL for NULL. */
LB_API const struct lb_link_path *lb_emu_link_path(const struct lb_emu_link *l);
/**
 * Cut the link's fibre (cut true) or mend it: while cut neither end receives any light (Rx
 * LOS at both ends at their next sample, and the ASIC lanes of both cages hear nothing:
 * lb_emu_asic_attach_module). LB_E_INVAL for NULL. Takes the world's lock.
 */
LB_API int lb_emu_link_set_cut(struct lb_emu_link *l, bool cut);
/** The link module m is an end of (lb_emu_link_create), or NULL (none, or m NULL). */
LB_API struct lb_emu_link *lb_emu_module_link(struct lb_emu_module *m);

enum lb_emu_fault {
	LB_EMU_FAULT_NACK = 1,         /* NACK the next count transactions */
	LB_EMU_FAULT_SHORT = 2,        /* the next count reads return fewer bytes than asked */
	LB_EMU_FAULT_MODULE_FAULT = 3, /* enter ModuleFault now (count = fault cause, byte 41) */
	LB_EMU_FAULT_CHECKSUM = 4,     /* corrupt the page 00h checksum byte */
	LB_EMU_FAULT_STUCK_BUSY = 5,   /* NACK every access until cleared (count = 0 clears) */
	/*
	 * CDB: the next count commands are captured and never complete (CdbStatus stays 83h; a
	 * foreground module NACKs until reset). Cleared by a reset.
	 */
	LB_EMU_FAULT_CDB_STUCK = 6,
	/* CDB: the next count replies carry a wrong RPLChkCode (the module's own error). */
	LB_EMU_FAULT_CDB_BAD_REPLY = 7,
	/*
	 * CDB: the next count commands take 20 s longer than they should, past any duration the
	 * module advertises, then complete (a foreground module NACKs all the while).
	 */
	LB_EMU_FAULT_CDB_SLOW = 8,
};
/**
 * A firmware image the emulated modules accept (docs/cdb.md): a 16-byte vendor header ("LBFW",
 * major, minor, build, body length, CRC-32 of the body; big-endian) and body_len bytes of
 * pseudo-random data from seed. *out is the caller's to free(). LB_E_INVAL for body_len over
 * 16 MiB.
 */
LB_API int lb_emu_firmware_image(uint8_t major, uint8_t minor, uint16_t build, size_t body_len,
				 uint32_t seed, uint8_t **out, size_t *out_len);
/**
 * What the host's use of a module's CDB cost, as the module saw it (bench/bench_firmware.c).
 * Sized (common.h): set size before the call.
 */
struct lb_emu_cdb_stats {
	size_t size;
	uint64_t commands;   /* commands completed (with any result) */
	/* the module's own time: capture and processing, trigger to completion, summed, ns */
	uint64_t busy_ns;
	/*
	 * time the host left a finished command unseen: from each completion to the host's next
	 * access of the module (any transaction, acknowledged or not), summed, ns
	 */
	uint64_t idle_ns;
};
#define LB_EMU_CDB_STATS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_cdb_stats, idle_ns)
/** The counters since the module was made or last reset. LB_E_INVAL: m NULL or size too small. */
LB_API int lb_emu_module_get_cdb_stats(const struct lb_emu_module *m, struct lb_emu_cdb_stats *out);
/** Zero the counters (a command in flight counts from its completion on). */
LB_API void lb_emu_module_reset_cdb_stats(struct lb_emu_module *m);
/** Inject a fault. LB_E_INVAL for an unknown fault. */
LB_API int lb_emu_module_inject(struct lb_emu_module *m, enum lb_emu_fault fault, unsigned count);
/** Hot removal: every access NACKs, ModPrsL deasserts. */
LB_API void lb_emu_module_remove(struct lb_emu_module *m);
/** Hot insertion: power-on reset, ModPrsL asserts. */
LB_API void lb_emu_module_insert(struct lb_emu_module *m);

/**
 * Serialise the module's mutable state (memory, state machines, pins, pending timers) as
 * JSON text (caller frees with free()), and restore it into a module made from the same
 * profile or image. LB_E_PARSE on state that does not fit, or that no module can have saved
 * (module state other than byte 3, module time ahead of the world's, a timer beyond the
 * longest duration); the module is unchanged then. Set the world's time first.
 */
LB_API int lb_emu_module_save_state(const struct lb_emu_module *m, char **json_out);
LB_API int lb_emu_module_load_state(struct lb_emu_module *m, const char *json);
/** Set the world's virtual time (restoring a saved world); never moves it backwards. */
LB_API void lb_emu_world_set_now_ns(struct lb_emu_world *w, uint64_t ns);

/**
 * Pin hook, for sideband drivers: fn(user) is called, in the thread that caused it, whenever
 * the module's ModPrsL or IntL may have changed (insertion, removal, reset, flags latched or
 * read). It may read lb_emu_module_present/intl and must not call back into the emulator
 * otherwise. One hook per module; NULL removes it. Remove it before the module is destroyed.
 */
typedef void (*lb_emu_pin_hook_fn)(void *user);
LB_API void lb_emu_module_set_pin_hook(struct lb_emu_module *m, lb_emu_pin_hook_fn fn, void *user);

/* ---- router ASIC: a register-level model on the world's clock ---- */

/*
 * A router ASIC of the deep-buffer class (docs/emulated-asic.md has its register map), for the
 * emulated ASIC driver ("emulated", registered by lb_emu_register_drivers) and for tests.
 * It is a world device: its traffic model runs on the world's virtual clock (advance the
 * world, lb_emu_world_advance_ns, and the counters move), and it is run up to the world's
 * time at every register access. Threads: every call takes the world's lock.
 */
struct lb_emu_asic;

/**
 * Create an ASIC in world w from a built-in profile:
 *   "jericho4-class": VOQ, 51.2 Tb/s, 512 lanes (100G or 200G each), up to 512 ports, HBM;
 *                     at power-on 64 ports of 800G on 8 lanes each, RS-544-2xN, admin down;
 *   "small":          NPU, 3.2 Tb/s, 32 lanes of 100G, up to 32 ports, no HBM; at power-on
 *                     4 ports of 800G on 8 lanes each (for fast tests).
 * Every lane has a signal (a peer) at power-on (lb_emu_asic_set_signal). LB_E_NOTFOUND: no
 * such profile. The world owns the ASIC: lb_emu_world_destroy destroys it too.
 */
LB_API int lb_emu_asic_create(struct lb_emu_world *w, const char *profile, struct lb_emu_asic **out);
/** Destroy an ASIC before its world; NULL is allowed. */
LB_API void lb_emu_asic_destroy(struct lb_emu_asic *a);
/** The names of the built-in profiles, NULL-terminated. */
LB_API const char *const *lb_emu_asic_profiles(void);
/** The world the ASIC lives in. */
LB_API struct lb_emu_world *lb_emu_asic_world(const struct lb_emu_asic *a);
/**
 * Read or write one 32-bit register at byte address addr (a multiple of 4), as a driver does
 * over the chip's bus. LB_E_RANGE: no register there (an unaligned address, a port or lane
 * beyond the profile); writes to read-only registers are ignored, as on hardware.
 */
LB_API int lb_emu_asic_read32(struct lb_emu_asic *a, uint32_t addr, uint32_t *value);
LB_API int lb_emu_asic_write32(struct lb_emu_asic *a, uint32_t addr, uint32_t value);
/** Register reads and writes so far (what a configuration costs on the chip's bus). */
LB_API uint64_t lb_emu_asic_accesses(const struct lb_emu_asic *a);

/**
 * Faults of the ASIC's bus, as a PCIe-attached switch chip shows them (docs/emulated-asic.md,
 * "Faults"), for fault campaigns. A fault is armed "after" register accesses from now: it
 * fires at the first access of its kind from that one on, once.
 *   READ_TIMEOUT: the read fails with LB_E_TIMEOUT (a completion timeout), nothing read;
 *   ALL_ONES:     the read returns 0xFFFFFFFF (the chip fell off the bus for that read);
 *   WRITE_LOST:   the write returns LB_OK but the chip never takes it;
 *   STUCK:        a COMMAND write is taken but the command never completes: nothing is
 *                 applied and its status reads LB_EMU_ASIC_ERR_PENDING until the next write;
 *   RESET:        the chip resets before the access (any kind): its configuration back to
 *                 power-on, EPOCH one more, nothing answered until EPOCH_ACK (the register
 *                 block "Chip health" of lightbridge/emu_asic_regs.h). With after 0 it hits
 *                 between two calls of a driver.
 * Faults do not count as accesses of their own. LB_E_INVAL: a NULL ASIC or an unknown kind;
 * LB_E_BUSY: LB_EMU_ASIC_MAX_FAULTS armed already. Threads: the world's lock.
 */
enum lb_emu_asic_fault {
	LB_EMU_ASIC_FAULT_READ_TIMEOUT = 0,
	LB_EMU_ASIC_FAULT_ALL_ONES = 1,
	LB_EMU_ASIC_FAULT_WRITE_LOST = 2,
	LB_EMU_ASIC_FAULT_STUCK = 3,
	LB_EMU_ASIC_FAULT_RESET = 4,
};
#define LB_EMU_ASIC_FAULT_KINDS 5
#define LB_EMU_ASIC_MAX_FAULTS 8
LB_API int lb_emu_asic_fault_arm(struct lb_emu_asic *a, enum lb_emu_asic_fault kind, uint64_t after);
/** Disarm every fault not fired yet (a stuck command's status too). NULL is allowed. */
LB_API void lb_emu_asic_faults_clear(struct lb_emu_asic *a);
/** How many faults of a kind fired since the ASIC was made (0 for NULL or an unknown kind). */
LB_API uint64_t lb_emu_asic_faults_fired(const struct lb_emu_asic *a, enum lb_emu_asic_fault kind);
/** Faults armed and not fired yet. */
LB_API unsigned lb_emu_asic_faults_armed(const struct lb_emu_asic *a);

/* What lanes hear. */
enum lb_emu_asic_signal {
	LB_EMU_ASIC_SIGNAL_NONE = 0,         /* nothing: no module, no light, no peer */
	LB_EMU_ASIC_SIGNAL_PRESENT = 1,      /* a peer's signal */
	LB_EMU_ASIC_SIGNAL_REMOTE_FAULT = 2, /* a signal, but the peer reports it hears nothing */
};
/** Set the signal of lanes first_lane .. first_lane + count - 1. LB_E_RANGE: beyond the chip. */
LB_API int lb_emu_asic_set_signal(struct lb_emu_asic *a, uint32_t first_lane, uint32_t count,
				  enum lb_emu_asic_signal signal);
/**
 * The lanes first_lane .. first_lane + count - 1 are a cage's, and hear module m in it: before
 * every run of the chip's model their signal is what m delivers on its host side now:
 * nothing while m is absent, not ModuleReady or lane 1's data path not initialised (its
 * receiver not running: neither DPActivated, DPTxTurnOn/Off nor DPInitialized), or, at an end of a coherent link (lb_emu_link_create), while its receiver does not lock or
 * the line FEC leaves uncorrectable frames (the module sends Local Fault to the host); a
 * remote fault when only the far end receives badly; a peer's signal otherwise (a module on
 * no link: whenever its data path is initialised). A cage attached before on any of these lanes is
 * let go; m NULL only lets go (the lanes keep their last signal). lb_emu_asic_set_signal on
 * an attached cage's lanes lasts until the next run. m may live in another world: its world's
 * lock is taken under the chip's. Destroy the chip (or let go of the cage) before m.
 * LB_E_INVAL: a NULL, count 0; LB_E_RANGE: beyond the chip; LB_E_NOMEM.
 */
LB_API int lb_emu_asic_attach_module(struct lb_emu_asic *a, uint32_t first_lane, uint32_t count,
				     struct lb_emu_module *m);

/*
 * The traffic an ASIC port carries (the traffic model), sized (copied zero-extended; at least
 * LB_EMU_ASIC_TRAFFIC_SIZE_V1). While the port is up, its peer sends it frames of
 * frame_bytes (64 if 0) at min(load, 1) of its line rate, mcast_fraction of them multicast
 * and bcast_fraction broadcast, and the port sends the good ones back (a reflector: the out
 * counters follow the in counters); the fabric's excess over the line rate (load above 1) is
 * dropped (out_discards). A frame takes frame_bytes + 20 on the wire (preamble, gap). The FEC
 * sees every codeword of the line (idle too) with independent bit errors at pre_fec_ber; each
 * uncorrectable codeword spoils one frame (in_fcs_errors), and a BER of 1e-2 or more keeps
 * the FEC from locking (the port goes down, fec-no-lock). The peer sends pfc_rx_per_s[n]
 * PFC frames a second pausing priority n.
 */
struct lb_emu_asic_traffic {
	size_t size;
	double load;
	uint32_t frame_bytes;
	double mcast_fraction, bcast_fraction;
	double pre_fec_ber;
	double pfc_rx_per_s[8];
};
#define LB_EMU_ASIC_TRAFFIC_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_asic_traffic, pfc_rx_per_s)
/**
 * Set the traffic of ASIC port number port (it need not exist yet; a port's traffic goes when
 * the port is removed). The model runs up to the world's time first, at the old traffic.
 * LB_E_INVAL: a size below V1, a negative or non-finite value, fractions summing above 1;
 * LB_E_RANGE: no such port number.
 */
LB_API int lb_emu_asic_set_traffic(struct lb_emu_asic *a, uint32_t port,
				   const struct lb_emu_asic_traffic *traffic);
/**
 * Set the traffic HyperPort number hp carries (lightbridge/hyperport.h): as
 * lb_emu_asic_set_traffic, with load relative to the HyperPort's 3.2T. Before every run of the
 * model the chip spreads it over the members up (the members' own traffic is replaced): with
 * the "spray" hash, or flows 0 (too many to count), evenly; with the "flow" hash, flows flows
 * each on the member its hash picks among those up. A member's share above its 800G is
 * dropped (its out_discards). LB_E_INVAL as lb_emu_asic_set_traffic; LB_E_RANGE: hp beyond the
 * chip's HyperPorts, or flows above LB_EMU_ASIC_HP_MAX_FLOWS (1,000,000); LB_E_NOTFOUND: no such HyperPort (the traffic goes when it is removed).
 */
LB_API int lb_emu_asic_set_hyperport_traffic(struct lb_emu_asic *a, uint32_t hp,
					     const struct lb_emu_asic_traffic *traffic, uint32_t flows);

/* ---- router ASIC: the queueing model (traffic, PFC at distance, drops, HBM) ---- */

/*
 * Per-priority traffic through an ASIC port's buffers, on the world's virtual clock, in
 * steps of LB_EMU_ASIC_FLOW_STEP_NS (a fluid model: bytes, with frames counted from them).
 * The port's peer sits at the far end of a link of one-way delay d (cable_delay_ns, or
 * distance_km x fibre_ns_per_km). Priority n's traffic (traffic class n) arrives from the
 * peer into ingress priority group tc_to_pg[n] and leaves through queue n of the same port (a
 * reflector); the maps and schedulers are the port's QoS registers (lightbridge/qos.h):
 *   - arrival: the peer offers load[n] x line rate (plus burst_bytes[n] at line rate, once),
 *     all priorities together at most the line rate;
 *   - buffer: the PG's profile (lightbridge/buffer.h, as bound in the registers) gives its
 *     limit for the bytes of every priority mapped to it (reserved + static threshold, or +
 *     2^dynamic_th x the pool's free shared bytes) and, when lossless, its headroom (the
 *     profile's xoff, or what is left of the pool's shared headroom pool); without a PG
 *     profile queue n's profile gives a lossy limit; with neither the queue holds only what
 *     is in transit (a step of the line rate, as every queue at least);
 *   - lossless (PFC enabled for n on the port, pfc_to_pg[n] = tc_to_pg[n], a PG profile): above
 *     the limit the port sends XOFF (a PFC frame, refreshed every half pause time while held)
 *     and the peer stops 2d + peer_response_ns later: what arrives meanwhile fills the
 *     headroom, and only what overflows it is dropped; at or below the resume level (limit -
 *     xon_offset, else xon, never above the limit) it sends XON;
 *   - lossy: what does not fit under the limit is dropped;
 *   - egress: egress_rate x line rate (0: 1) shared by the port's schedulers: guaranteed rates
 *     first, then strict priority (higher queue first), then DWRR by weight, no queue past
 *     its shaper; the peer's own PFC (peer_pause, a mask of priorities) holds queue
 *     pfc_to_queue[n] once it has crossed the link (d after it is set);
 *   - on a VOQ switch a queue holds up to onchip_bytes (0: the chip's on-chip buffer / 512)
 *     on chip and spills the rest to HBM, at most the chip's HBM write bandwidth
 *     (lb_emu_asic_set_hbm_bw) for all ports together; what cannot be written is dropped.
 * The port's counters move with it (octets and unicast frames in and out, in_discards for
 * drops, PFC frames per priority both ways), its PG, queue and pool watermarks too
 * (lb_qos_watermarks_read), and lb_emu_asic_flow_status tells the rest per priority.
 */
#define LB_EMU_ASIC_FLOW_STEP_NS 1000u
#define LB_EMU_ASIC_FLOW_MAX_PORTS 64u /* ports with a flow at once */
struct lb_emu_asic_flow {
	size_t size;
	double load[8];           /* offered by the peer, fraction of line rate (0 .. 1) */
	uint64_t burst_bytes[8];  /* a burst at line rate on top, once (from now) */
	double egress_rate;       /* fraction of line rate the egress may send; 0: 1 */
	double distance_km;       /* the link to the peer */
	double fibre_ns_per_km;   /* one way; 0: 5050.5 (SONiC's 1.98e8 m/s) */
	double cable_delay_ns;    /* one way; > 0: instead of the distance */
	double peer_response_ns;  /* the peer's reaction time to a PFC frame */
	uint32_t frame_bytes;     /* 0: 1500 */
	uint32_t peer_pause;      /* priorities the peer holds paused (bit n: priority n) */
	uint64_t onchip_bytes;    /* VOQ: per queue on chip before HBM; 0: the chip's / 512 */
};
#define LB_EMU_ASIC_FLOW_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_asic_flow, onchip_bytes)

/* One priority's state and totals since the flow was set (peaks: since the last clear). */
struct lb_emu_asic_flow_prio {
	uint64_t arrived_bytes, sent_bytes, dropped_bytes;
	uint64_t pg_bytes, pg_peak_bytes;             /* occupancy of the PG (and the queue) */
	uint64_t headroom_bytes, headroom_peak_bytes; /* of it above the limit, in the headroom */
	uint64_t limit_bytes, headroom_size_bytes;    /* the limit and headroom now */
	uint64_t hbm_bytes, hbm_peak_bytes;           /* of it in HBM */
	uint64_t queue_delay_ns, queue_delay_peak_ns; /* occupancy over the egress rate */
	uint64_t pfc_tx_frames, pfc_rx_frames;
	uint64_t pause_tx_ns, pause_rx_ns; /* how long the port held the peer / was held */
	uint32_t lossless, xoff;           /* 1: PFC on this priority; 1: XOFF sent, not released */
};
struct lb_emu_asic_flow_status {
	size_t size;
	uint64_t elapsed_ns;  /* the flow has run this long */
	double one_way_ns;    /* the link's delay */
	struct lb_emu_asic_flow_prio prio[8];
};
#define LB_EMU_ASIC_FLOW_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_asic_flow_status, prio)

/**
 * Drive ASIC port number port with flow (sized, copied zero-extended; at least V1), from the
 * world's time on; NULL stops it (the buffers drain no more and the totals go; removing the
 * port does so too). Setting it
 * again keeps the buffers, totals and PFC states and changes only what is offered and
 * scheduled (a burst, a stop: load 0). The model runs up to the world's time first.
 * LB_E_INVAL: a size below V1, a load outside 0..1, a negative or non-finite value, an
 * egress rate above 1, a delay above 1 s; LB_E_RANGE: no such port number, or
 * LB_EMU_ASIC_FLOW_MAX_PORTS ports have a flow already;
 * LB_E_NOMEM. The port must exist and be up for traffic to move.
 */
LB_API int lb_emu_asic_set_flow(struct lb_emu_asic *a, uint32_t port, const struct lb_emu_asic_flow *flow);
/** The flow's state (sized, filled up to st->size). LB_E_NOTFOUND: no flow on port. */
LB_API int lb_emu_asic_flow_status(struct lb_emu_asic *a, uint32_t port, struct lb_emu_asic_flow_status *st);
/** Clear the peaks (watermarks) of port's flow to what is held now. LB_E_NOTFOUND: no flow. */
LB_API int lb_emu_asic_flow_clear_peaks(struct lb_emu_asic *a, uint32_t port);
/**
 * The emulated ASIC a switch was opened on through the "emulated" driver (lb_switch_open,
 * lb_platform_switch), to drive its traffic model; NULL when sw runs on another driver. The
 * ASIC lives as long as sw.
 */
struct lb_switch;
LB_API struct lb_emu_asic *lb_emu_switch_asic(struct lb_switch *sw);
/** The chip's HBM write bandwidth for the model, Mb/s (at creation: the profile's). */
LB_API int lb_emu_asic_set_hbm_bw(struct lb_emu_asic *a, uint64_t mbps);


/* ---- router ASIC: congestion control in the queueing model (docs/congestion.md) ---- */

/*
 * What ECN/WRED (lightbridge/congestion.h) sees of port port's flow, per priority n (= its
 * queue): ecn_capable[n] of the packets are ECN-capable, yellow[n] and red[n] of them
 * coloured so (the rest green). react nonzero: the sender backs off on marks (a simple
 * DCQCN): every 50 us of the model, when the period that ended one round trip earlier (the
 * flow's 2 x delay + peer_response_ns, rounded to periods, at most 255 periods: 12.75 ms) had
 * marks, alpha = 15/16 alpha + 1/16 and the priority's offered rate is multiplied by
 * 1 - alpha / 2 (never below 0.001); else alpha = 15/16 alpha and the rate rises by 0.05 (up
 * to 1). alpha starts at 1, the rate at 1. Setting it again keeps both while react stays on. Sized (copied zero-extended; at least V1). LB_E_INVAL: a size below
 * V1, a share outside 0..1 or non-finite, yellow + red above 1; LB_E_RANGE: no such port
 * number. Kept while the ASIC lives (the port removed: cleared).
 */
struct lb_emu_asic_ecn_traffic {
	size_t size;
	double ecn_capable[8];
	double yellow[8], red[8];
	uint32_t react;
};
#define LB_EMU_ASIC_ECN_TRAFFIC_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_asic_ecn_traffic, react)
LB_API int lb_emu_asic_set_ecn_traffic(struct lb_emu_asic *a, uint32_t port, const struct lb_emu_asic_ecn_traffic *t);
/** The sender's rate factor of priority prio on port (1: as offered). LB_E_INVAL, LB_E_RANGE. */
LB_API int lb_emu_asic_sender_rate(struct lb_emu_asic *a, uint32_t port, uint32_t prio, double *rate);
/**
 * A pause storm: port's peer sends PFC non-stop on the priorities of prio_mask (0: stops),
 * from one link delay after now on (the flow's peer_pause, lb_emu_asic_set_flow, kept with the
 * rest of the flow). LB_E_INVAL: a bit above 7; LB_E_RANGE: no such port number;
 * LB_E_NOTFOUND: the port has no flow.
 */
LB_API int lb_emu_asic_pfc_storm(struct lb_emu_asic *a, uint32_t port, uint32_t prio_mask);

/*
 * What an emulated ASIC port has counted, as the emulated driver's state file keeps it between
 * processes (and a test may snapshot it): the port's running counters (in the order of the
 * counter registers, LB_EMU_ASIC_C_* of lightbridge/emu_asic_regs.h) and its watermarks now and
 * at most (bytes; delays in ns). Not the traffic model's flows: a new process starts without
 * traffic. Sized (LB_EMU_ASIC_PORT_STATS_INIT).
 */
#define LB_EMU_ASIC_STATS_MAX_COUNTERS 128u
struct lb_emu_asic_port_stats {
	size_t size;
	uint32_t n_counters; /* get: how many the chip counts; set: how many of counters[] to take */
	uint64_t counters[LB_EMU_ASIC_STATS_MAX_COUNTERS];
	uint64_t pg_cur[8], pg_peak[8], hdrm_cur[8], hdrm_peak[8]; /* per PG; hdrm: in the headroom */
	uint64_t q_cur[8], q_peak[8], delay_cur[8], delay_peak[8]; /* per queue */
	/* V2, congestion control (docs/congestion.md): per queue its ECN/WRED counters in the
	 * order of LB_EMU_ASIC_CC_C_*; per traffic class its PFC watchdog's storms detected,
	 * storms restored, ns stormed, packets dropped leaving and arriving. */
	uint64_t ecn[8][8];
	uint64_t pfcwd[8][5];
};
#define LB_EMU_ASIC_PORT_STATS_SIZE_V1 LB_SIZE_THROUGH(struct lb_emu_asic_port_stats, delay_peak)
#define LB_EMU_ASIC_PORT_STATS_SIZE_V2 LB_SIZE_THROUGH(struct lb_emu_asic_port_stats, pfcwd)
#define LB_EMU_ASIC_PORT_STATS_INIT LB_SIZED_INIT(struct lb_emu_asic_port_stats)
/**
 * Read port's statistics (st sized, filled up to st->size). LB_E_NOTFOUND: no such port now;
 * LB_E_INVAL: st NULL or too small.
 */
LB_API int lb_emu_asic_port_stats_get(struct lb_emu_asic *a, uint32_t port, struct lb_emu_asic_port_stats *st);
/**
 * Set port's statistics from st (a process restoring what another saved): the counters (the
 * first n_counters; the rest start at 0) and the watermarks. LB_E_NOTFOUND: no such port;
 * LB_E_RANGE: n_counters above what the chip counts; LB_E_INVAL: st NULL or too small.
 */
LB_API int lb_emu_asic_port_stats_set(struct lb_emu_asic *a, uint32_t port,
				      const struct lb_emu_asic_port_stats *st);
/** A buffer pool's watermark now and at most, bytes (pool below LB_EMU_ASIC_POOLS, else LB_E_RANGE). */
LB_API int lb_emu_asic_pool_stats_get(struct lb_emu_asic *a, uint32_t pool, uint64_t *cur, uint64_t *peak);
LB_API int lb_emu_asic_pool_stats_set(struct lb_emu_asic *a, uint32_t pool, uint64_t cur, uint64_t peak);

LB_END_DECLS
#endif
