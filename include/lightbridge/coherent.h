/* SPDX-License-Identifier: MIT */
/*
 * Coherent optics (C-CMIS): which modules are coherent, the tunable laser (capabilities from
 * page 04h, configuration and state from page 12h), the programmable Tx power, and VDM
 * observables (pages 20h-2Fh) decoded with their types and units. docs/coherent.md shows
 * each call at work.
 *
 * Frequencies are in GHz (double), channel numbers as CMIS numbers them (S16, 193.1 THz is
 * channel 0 of most grids), powers in dBm.
 *
 * Threads: the calls taking a module follow module.h (a handle is used by one thread at a
 * time). The pure functions (names, grid arithmetic, the VDM type table and F16) may run
 * anywhere; the strings they return are static.
 */
#ifndef LIGHTBRIDGE_COHERENT_H
#define LIGHTBRIDGE_COHERENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/module.h>

LB_BEGIN_DECLS

/* ---- which modules are coherent ---- */

/**
 * Whether the module is coherent (carries the C-CMIS pages 30h-4Fh): 1 when it is, 0 when it
 * is not, a negative status when the advertisement cannot be read (bus errors as for
 * lb_module_read). Decided by capability (docs/coherent.md gives the rule), never by an
 * application's name. Flat-memory modules are not coherent.
 */
LB_API int lb_module_is_coherent(struct lb_module *m);

/* ---- laser grids and channels (pure) ---- */

/*
 * Grid spacings, in the order and with the codes of page 12h bits 7-4 of CMIS 5.x (CMIS 4.0
 * modules swap codes 6 and 7; the library translates). The 33 GHz grid steps by 100/3 GHz.
 */
enum lb_laser_grid {
	LB_LASER_GRID_3P125_GHZ = 0,
	LB_LASER_GRID_6P25_GHZ = 1,
	LB_LASER_GRID_12P5_GHZ = 2,
	LB_LASER_GRID_25_GHZ = 3,
	LB_LASER_GRID_50_GHZ = 4,
	LB_LASER_GRID_100_GHZ = 5,
	LB_LASER_GRID_33_GHZ = 6,
	LB_LASER_GRID_75_GHZ = 7,
	LB_LASER_GRID_150_GHZ = 8,
	LB_LASER_GRID_300_GHZ = 9, /* CMIS 5.4 */
};
/** Number of grids enum lb_laser_grid names (array bound of struct lb_laser_caps). */
#define LB_LASER_GRID_COUNT 10
/** The grid code "not available" (12h bits 7-4 = 15), and any reserved code. */
#define LB_LASER_GRID_NONE 15

/** "75 GHz", "33 GHz (100/3)", ...; "none" for LB_LASER_GRID_NONE, "reserved" otherwise. */
LB_API const char *lb_laser_grid_name(int grid);
/** Channel spacing of a grid in GHz (33.333... for the 33 GHz grid); 0 for an unknown grid. */
LB_API double lb_laser_grid_spacing_ghz(int grid);
/**
 * Frequency of channel on grid, in GHz (CMIS 5.4 Table 8-98: 193.1 THz + n x spacing; the
 * 75 GHz grid takes multiples of 3, the 150 GHz grid multiples of 6 (193.175 THz + ...), the
 * 300 GHz grid multiples of 24). LB_E_INVAL for an unknown grid or NULL ghz; LB_E_RANGE for a
 * channel the grid does not take (ghz untouched).
 */
LB_API int lb_laser_channel_to_ghz(int grid, int channel, double *ghz);
/**
 * The channel of grid whose frequency is ghz, within 1 MHz. LB_E_INVAL for an unknown grid or
 * NULL channel; LB_E_RANGE when ghz is not on the grid or its channel is not an S16 (channel
 * untouched).
 */
LB_API int lb_laser_ghz_to_channel(int grid, double ghz, int *channel);

/* ---- laser capabilities (page 04h) ---- */

/**
 * What page 04h advertises. Sized (common.h): set size, e.g. = LB_LASER_CAPS_INIT.
 */
struct lb_laser_caps {
	size_t size;
	uint32_t grids;                               /* bit g: grid g is supported */
	int16_t low_channel[LB_LASER_GRID_COUNT];     /* per grid, valid when its bit is set */
	int16_t high_channel[LB_LASER_GRID_COUNT];
	/* the bounds' frequencies: 0 for a grid not advertised, NAN for a bound off its grid */
	double low_ghz[LB_LASER_GRID_COUNT];
	double high_ghz[LB_LASER_GRID_COUNT];
	bool fine_tuning;                             /* 04h:129.7 */
	double fine_resolution_ghz;                   /* 04h:190, U16 x 1 MHz */
	double fine_low_offset_ghz, fine_high_offset_ghz; /* 04h:192, 194, S16 x 1 MHz */
	bool tx_power_programmable;                   /* 04h:196.7 */
	double tx_power_min_dbm, tx_power_max_dbm;    /* 04h:198, 200, S16 x 0.01 dBm */
	bool checksum_ok;                             /* 04h:255 over 128-254 */
};
#define LB_LASER_CAPS_INIT LB_SIZED_INIT(struct lb_laser_caps)
#define LB_LASER_CAPS_SIZE_V1 LB_SIZE_THROUGH(struct lb_laser_caps, checksum_ok)

/**
 * Read and decode page 04h, whole, with its checksum. A mismatch is read again: two reads
 * that differ are LB_E_CHECKSUM with out zeroed; a mismatch read twice alike (the module's
 * own checksum is wrong) is LB_E_CHECKSUM with out filled and checksum_ok false. LB_E_NOTSUP
 * when the module is not tunable (01h:155.6 clear), as it then has no page 04h; LB_E_INVAL for
 * NULL m or a size below LB_LASER_CAPS_SIZE_V1.
 */
LB_API int lb_laser_get_caps(struct lb_module *m, struct lb_laser_caps *out);

/* ---- laser configuration and state (page 12h) ---- */

/** Tuning state of a laser: what struct lb_laser_status says in one word. */
enum lb_tuning_state {
	LB_TUNING_STATE_LOCKED = 1,      /* not tuning, wavelength locked */
	LB_TUNING_STATE_IN_PROGRESS = 2, /* 12h:222+n bit 1 */
	LB_TUNING_STATE_UNLOCKED = 3,    /* 12h:222+n bit 0, not tuning */
	LB_TUNING_STATE_FAULT = 4,       /* a latched refusal: not accepted, invalid channel, fine
					    tuning or Tx power out of range */
};
/** "locked", "in progress", "wavelength unlocked", "fault"; "unknown" for other values. */
LB_API const char *lb_tuning_state_name(int state);

/*
 * The latched tuning flags (12h:231+n), as in the register: struct lb_laser_status.flags. The
 * names and values are those of the flag accumulator's struct lb_module_flags.tuning_flags
 * (token for token, so the two definitions agree wherever both are seen).
 */
#define LB_TUNEFLAG_COMPLETE 0x01u          /* tuning complete */
#define LB_TUNEFLAG_WAVELENGTH_UNLOCKED 0x02u
#define LB_TUNEFLAG_INVALID_CHANNEL 0x04u
#define LB_TUNEFLAG_NOT_ACCEPTED 0x08u      /* tuning not accepted */
#define LB_TUNEFLAG_FINE_OUT_OF_RANGE 0x10u /* fine-tuning out of range */
#define LB_TUNEFLAG_POWER_OUT_OF_RANGE 0x20u /* target output power out of range */
/** The flags that make the state LB_TUNING_STATE_FAULT. */
#define LB_TUNING_FLAGS_FAULT 0x3Cu

/** One lane's laser. Sized (common.h): set size, e.g. = LB_LASER_STATUS_INIT. */
struct lb_laser_status {
	size_t size;
	unsigned lane;              /* media lane, 1-based */
	uint8_t grid_code;          /* 12h:128+n bits 7-4 as the module holds it */
	int grid;                   /* enum lb_laser_grid, or LB_LASER_GRID_NONE */
	int16_t channel;            /* 12h:136+2n */
	bool fine_tuning;           /* 12h:128+n bit 0 */
	double fine_offset_ghz;     /* 12h:152+2n, S16 x 1 MHz */
	/*
	 * Grid, channel and (when enabled) the fine-tuning offset as a frequency; NAN when the
	 * grid is not available or the channel is not one the grid takes.
	 */
	double configured_ghz;
	double current_ghz;         /* 12h:168+4n, U32 x 1 MHz, as the laser reports it */
	double tx_power_target_dbm; /* 12h:200+2n, S16 x 0.01 dBm */
	enum lb_tuning_state state;
	uint8_t status;             /* 12h:222+n: bit 1 tuning in progress, bit 0 unlocked */
	uint8_t flags;              /* 12h:231+n: LB_TUNEFLAG_* latched since the last read */
};
#define LB_LASER_STATUS_INIT LB_SIZED_INIT(struct lb_laser_status)
#define LB_LASER_STATUS_SIZE_V1 LB_SIZE_THROUGH(struct lb_laser_status, flags)

/**
 * Read one media lane's laser from page 12h (bank (lane - 1) / 8) in one plan: its
 * configuration (grid, channel, fine tuning), current frequency, target Tx power, real-time
 * status and latched flags. The latched flags are clear-on-read: this read clears them and
 * reports them in flags (the other lanes' flags are not touched). A module declaring CMIS
 * 4.0 has its grid codes 6 and 7 swapped back. LB_E_NOTSUP when the module is not tunable
 * (01h:155.6 clear); LB_E_INVAL for NULL m, a lane outside 1..8 x the lane banks or a size
 * below LB_LASER_STATUS_SIZE_V1; bus errors as for lb_module_read.
 */
LB_API int lb_laser_get_status(struct lb_module *m, unsigned lane, struct lb_laser_status *out);

/**
 * Tune one media lane's laser to channel on grid: page 12h's grid byte (fine tuning off), then
 * the channel number, in one write plan; writing the channel starts the module's tuning, which
 * lb_laser_get_status follows (in progress, then locked with "tuning complete", or a fault
 * flag). No wait. The grid must be one page 04h advertises and the channel within its bounds
 * and one the grid takes, else LB_E_RANGE and nothing is written. LB_E_NOTSUP when the module
 * is not tunable; LB_E_INVAL for NULL m, an unknown grid or a lane outside 1..8 x the lane
 * banks; LB_E_CHECKSUM when page 04h fails its checksum (nothing written). Bus errors as for
 * lb_module_write_plan.
 */
LB_API int lb_laser_set_channel(struct lb_module *m, unsigned lane, int grid, int channel);
/**
 * Tune one media lane's laser to ghz: the grid and channel are chosen for the caller (the
 * lane's current grid when it holds ghz, else the coarsest advertised grid that does), and,
 * when no grid holds it exactly and the module fine-tunes, the nearest channel of the lane's
 * grid (then of the others) with a fine-tuning offset within the advertised range and a
 * multiple of the advertised resolution (to 1 MHz). Written as lb_laser_set_channel writes
 * (grid byte, offset, channel last), in one plan, no wait. LB_E_RANGE when no grid, channel
 * and offset the module advertises make ghz (nothing written); other errors as
 * lb_laser_set_channel.
 */
LB_API int lb_laser_set_frequency(struct lb_module *m, unsigned lane, double ghz);

/**
 * Set the target output power of one media lane's laser (12h:200+2n, S16 x 0.01 dBm; dbm is
 * rounded to 0.01 dBm) in one write, after checking it against the programmable range of page
 * 04h. No wait: the module reports the new power through its monitors, and a power it cannot
 * reach through the latched "Tx power out of range" flag (lb_laser_get_status). LB_E_RANGE for
 * a power outside the range (or NAN), writing nothing; LB_E_NOTSUP when the module is not
 * tunable or its power is not programmable (04h:196.7); LB_E_INVAL for NULL m or a lane outside
 * 1..8 x the lane banks; LB_E_CHECKSUM when page 04h fails its checksum (nothing written).
 */
LB_API int lb_laser_set_tx_power(struct lb_module *m, unsigned lane, double dbm);

/* ---- tuning time and the bounded wait ---- */

/*
 * CMIS and C-CMIS advertise no laser tuning time (no register of page 04h or 12h holds one). A
 * module extension may state it (its vendor page field "tuning_time_ms", docs/extensions.md);
 * without one the library bounds a tuning wait by this default, a choice of this library, not
 * a value of the specification.
 */
#define LB_LASER_TUNING_DEFAULT_MS 30000u
/** The bound lb_module_select_line_mode gives a vendor mode change without a stated one. */
#define LB_LINE_MODE_CHANGE_DEFAULT_MS 10000u

/**
 * How long the module's laser may take to tune, in ms: the time its extension states (*stated
 * true), else LB_LASER_TUNING_DEFAULT_MS (*stated false; stated may be NULL). LB_E_NOTSUP when
 * the module is not tunable; LB_E_INVAL for NULL m or ms; bus errors of the extension's read.
 */
LB_API int lb_laser_tuning_time(struct lb_module *m, uint32_t *ms, bool *stated);

/**
 * Wait until one media lane's laser has tuned: polls lb_laser_get_status (on the module's bus
 * clock, never a fixed sleep) until the lane is no longer tuning and is locked on its configured
 * frequency (or latched "tuning complete"), bounded by lb_laser_tuning_time. out (may be NULL;
 * sized, LB_LASER_STATUS_INIT) gets the last status read, with flags holding every latched
 * tuning flag the polls cleared. LB_OK when tuned; LB_E_REJECTED when the module latched a
 * refusal (not accepted, invalid channel, fine tuning or Tx power out of range: out->flags says
 * which); LB_E_TIMEOUT past the bound (the state in the error detail); the errors of
 * lb_laser_get_status.
 */
LB_API int lb_laser_wait_tuned(struct lb_module *m, unsigned lane, struct lb_laser_status *out);

/* ---- power per bit ---- */

/**
 * A module's power over its configured line rate. Sized (common.h): set size, e.g.
 * = LB_POWER_PER_BIT_INIT. W/(Tb/s) and pJ/bit are the same number (1 W per Tb/s is 1 pJ per
 * bit); both are given, as people quote either.
 */
struct lb_power_per_bit {
	size_t size;
	double max_power_w;          /* advertised maximum, 00h:201 (U8 x 0.25 W); 0 flat memory */
	double measured_power_w;     /* what the module reports (its extension); NAN when it does not */
	/*
	 * The configured line rate, Gb/s: the sum over the data paths of the active control set of
	 * each one's host interface rate, capped by its line mode's net rate where it has one (a
	 * muxponder, two 400G data paths over one 800G line, counts 800); 0 when no data path is
	 * configured (then every ratio below is NAN).
	 */
	double line_rate_gbps;
	unsigned data_paths;         /* data paths counted in line_rate_gbps */
	/*
	 * The line mode in force on lane 1: the extension's (lb_module_get_line_mode), else the
	 * mode of the application in force (as lb_module_list_line_modes names it); "" for neither.
	 */
	char line_mode[48];
	double max_w_per_tbps, max_pj_per_bit;           /* max_power_w / line rate */
	double measured_w_per_tbps, measured_pj_per_bit; /* measured_power_w / line rate, or NAN */
};
#define LB_POWER_PER_BIT_INIT LB_SIZED_INIT(struct lb_power_per_bit)
#define LB_POWER_PER_BIT_SIZE_V1 LB_SIZE_THROUGH(struct lb_power_per_bit, measured_pj_per_bit)

/**
 * The module's power per bit. One read of 00h:201, the active control set and lane states
 * (page 11h), and, for a measured power, the extension's vendor page. LB_E_INVAL for NULL m or
 * a size below LB_POWER_PER_BIT_SIZE_V1; bus errors as for lb_module_read.
 */
LB_API int lb_module_get_power_per_bit(struct lb_module *m, struct lb_power_per_bit *out);

struct lb_platform; /* platform.h */
/**
 * The platform's total: every port with a module present, sums of max_power_w,
 * measured_power_w (over the modules that report it; NAN when none does) and line_rate_gbps,
 * and the ratios of the sums (measured ratios over the measuring modules' rates alone).
 * line_mode is "". *ports (may be NULL) gets the number of modules counted. A port whose module
 * cannot be read is skipped (logged); LB_E_INVAL for NULL p or a bad size. Threads: it uses the
 * platform's module handles, so it must not run while another thread uses one of them (the
 * platform's own getters may run meanwhile).
 */
LB_API int lb_platform_get_power_per_bit(struct lb_platform *p, struct lb_power_per_bit *out,
					 unsigned *ports);

/* ---- VDM (pages 20h-2Fh) ---- */

/** How an observable's 16 bits encode its value. */
enum lb_vdm_format {
	LB_VDM_FORMAT_U16 = 1,
	LB_VDM_FORMAT_S16 = 2,
	LB_VDM_FORMAT_F16 = 3, /* CMIS F16: mantissa x 10^(exponent - 24), never negative */
};

/**
 * One observable type (CMIS 5.4 Table 8-180, C-CMIS 1.3 Table 8), or NULL for a type this
 * library does not know (custom 100-127, reserved). Static.
 */
struct lb_vdm_type {
	uint8_t id;
	uint8_t format;        /* enum lb_vdm_format */
	bool statistic;        /* min/max/average over an interval (frozen by FreezeRequest) */
	double scale;          /* value = raw (as format) x scale, in unit */
	const char *name;      /* "eSNR", "Pre-FEC BER current (media)" */
	const char *unit;      /* "dB", "ps/nm", "" for a ratio or a count */
	const char *key;       /* a JSON key carrying the unit: "esnr_db", "pre_fec_ber_cur_media" */
};
/** The type with this ID, or NULL. */
LB_API const struct lb_vdm_type *lb_vdm_type_find(unsigned id);
/** The value of F16 bits: M x 10^(E - 24) (0x0000 is 0). */
LB_API double lb_vdm_f16_value(uint16_t raw);
/** The value of raw for observable type id in its unit; NAN for an unknown type. */
LB_API double lb_vdm_value(unsigned id, uint16_t raw);

/** One VDM instance (an array element of struct lb_vdm, so not sized). */
struct lb_vdm_instance {
	uint8_t group;        /* 1-4 */
	uint8_t index;        /* 0-63 within the group */
	uint8_t type;         /* observable type ID, never 0 */
	uint8_t lane;         /* 1-8 within the bank, 0 for a module-level observable */
	uint8_t object;       /* the descriptor's object nibble as held (0-7 lane, 15 module) */
	uint8_t threshold_set; /* 0-15 within page 28h + group - 1 */
	uint16_t raw;         /* the sample, big-endian in the page */
	double value;         /* in the type's unit; NAN for an unknown type */
	/*
	 * The instance's threshold set (pages 28h-2Bh) in the type's unit, with LB_VDM_THRESHOLDS;
	 * NAN without it or for an unknown type. The module compares strictly (> high, < low).
	 */
	double high_alarm, low_alarm, high_warning, low_warning;
};
#define LB_VDM_MAX_INSTANCES 256

/** The VDM instances of one bank. Sized (common.h): set size, e.g. = LB_VDM_INIT. */
struct lb_vdm {
	size_t size;
	uint8_t bank;
	unsigned groups;      /* 1-4 (2Fh:128 bits 1-0, plus one) */
	unsigned count;       /* instances in use (type != 0), in group and index order */
	struct lb_vdm_instance inst[LB_VDM_MAX_INSTANCES];
	/*
	 * With LB_VDM_FLAGS: flags[i] = LB_FLAG_* of inst[i] latched since the handle's default
	 * consumer last took them (flags.h), page 2Ch read whole; 0 without it.
	 */
	uint8_t flags[LB_VDM_MAX_INSTANCES];
};
#define LB_VDM_INIT LB_SIZED_INIT(struct lb_vdm)
#define LB_VDM_SIZE_V1 LB_SIZE_THROUGH(struct lb_vdm, inst)
#define LB_VDM_SIZE_V2 LB_SIZE_THROUGH(struct lb_vdm, flags)

/* What lb_vdm_read reads besides descriptors and samples. */
#define LB_VDM_THRESHOLDS 0x1u /* the threshold sets, pages 28h-2Bh */
#define LB_VDM_FLAGS 0x2u      /* the latched flags, page 2Ch (needs LB_VDM_SIZE_V2) */

/**
 * Read the VDM samples of bank as whole pages (24h..24h+groups-1; with LB_VDM_THRESHOLDS in
 * what also 28h..28h+groups-1, with LB_VDM_FLAGS page 2Ch, in one plan) and decode every
 * instance in use. The group count (2Fh:128) and the descriptors (20h..) are read once per
 * insertion and kept in the module cache. Statistics are not frozen first (the samples are
 * what the registers hold; lb_vdm_freeze). The flags go through the module's flag accumulator
 * (flags.h): other consumers still see them. LB_E_NOTSUP when the module does not advertise
 * VDM (01h:142.6) or the bank, or maps page 00h for a VDM page it lacks; LB_E_INVAL for NULL
 * m, an unknown bit in what, a size below LB_VDM_SIZE_V1, or LB_VDM_FLAGS with a size below
 * LB_VDM_SIZE_V2; bus errors as for lb_module_read.
 */
LB_API int lb_vdm_read(struct lb_module *m, uint8_t bank, unsigned what, struct lb_vdm *out);

/* ---- VDM statistics interval (2Fh:144-145) ---- */

/**
 * End the VDM statistics interval (CMIS 5.4 section 8.27): raise FreezeRequest (2Fh:144.7) by a
 * read-modify-write of that bit alone, then wait for FreezeDone (2Fh:145.7), at most 1 s (the
 * spec's tVDMF is 10 ms; deployed hosts allow 1 s). The module freezes its reporting registers
 * (the statistic observables of 24h-27h; the emulator, as SONiC's C-CMIS practice assumes, the
 * PMs of 34h/35h too) on the interval just ended and starts the next one at once. Read them,
 * then lb_vdm_unfreeze. Already frozen: LB_OK once FreezeDone reads set. A multi-bank module
 * freezes every bank together (bank 0's 2Fh is written). LB_E_NOTSUP when the module does not
 * advertise VDM (01h:142.6) or none of its observables is a statistic (min/max/average: the
 * descriptors, read once per insertion, say so), nothing written; LB_E_TIMEOUT when the done
 * bit does not set (the detail says how long was waited); LB_E_INVAL for NULL m; bus errors as
 * for lb_module_read and lb_module_write.
 */
LB_API int lb_vdm_freeze(struct lb_module *m);
/**
 * Cease FreezeRequest (read-modify-write of 2Fh:144.7 alone) and wait for UnfreezeDone
 * (2Fh:145.6), at most 1 s: the reporting registers show the statistics collected since the
 * freeze and follow live again. Not frozen: LB_OK at once, nothing written. Errors as
 * lb_vdm_freeze.
 */
LB_API int lb_vdm_unfreeze(struct lb_module *m);

/* ---- C-CMIS performance monitoring (pages 34h/35h) ---- */

/* Index of the three values of a link PM metric (35h holds average, minimum, maximum). */
#define LB_PM_AVG 0
#define LB_PM_MIN 1
#define LB_PM_MAX 2

/**
 * The PMs of one bank's media lane (C-CMIS 34h/35h, the lane a ZR module has) over the
 * interval the registers report: the current one so far, or, between lb_vdm_freeze and
 * lb_vdm_unfreeze, the one that ended at the freeze (docs/coherent.md, "Intervals"). Sized
 * (common.h): set size, e.g. = LB_CCMIS_PM_INIT.
 */
struct lb_ccmis_pm {
	size_t size;
	uint8_t bank;
	/* 34h: FEC counters, as the registers hold them */
	uint64_t rx_bits;              /* 128, in the interval */
	uint64_t rx_bits_sub;          /* 136, in a sub-interval */
	uint64_t corrected_bits;       /* 144 */
	uint64_t corrected_bits_min;   /* 152, per sub-interval */
	uint64_t corrected_bits_max;   /* 160 */
	uint32_t rx_frames_raw;        /* 168, U32: wraps in a long interval at high rates */
	uint32_t rx_frames_sub;        /* 172 */
	uint32_t uncorrectable_frames; /* 176 */
	uint32_t uncorrectable_min;    /* 180, per sub-interval */
	uint32_t uncorrectable_max;    /* 184 */
	/*
	 * rx_frames_raw with its wraps put back: the count the bits of the interval make at the
	 * sub-interval's frames per bit (rx_bits x rx_frames_sub / rx_bits_sub) says how many times
	 * 2^32 went by; frames_wrapped says how many. rx_frames_raw when the sub-interval counts
	 * are zero.
	 */
	uint64_t rx_frames;
	unsigned frames_wrapped;
	/* Derived: pre-FEC BER = corrected / received bits (average over the interval, min and
	 * max per sub-interval); frame error ratio = uncorrectable / received frames. NAN when
	 * nothing was received (a module in low power, a link down). */
	double pre_fec_ber[3];         /* LB_PM_AVG, LB_PM_MIN, LB_PM_MAX */
	double frame_error_ratio[3];
	/* 35h: link PMs, [LB_PM_AVG/MIN/MAX] */
	double cd_ps_nm[3];            /* S32, ps/nm */
	double dgd_ps[3];              /* U16 x 0.01 ps */
	double sopmd_ps2[3];           /* U16 x 0.01 ps^2 */
	double pdl_db[3];              /* U16 x 0.1 dB */
	double osnr_db[3];             /* U16 x 0.1 dB */
	double esnr_db[3];             /* U16 x 0.1 dB */
	double cfo_mhz[3];             /* S16 MHz */
	double evm_pct[3];             /* U16 x 100/65535 % */
	double tx_power_dbm[3];        /* S16 x 0.01 dBm */
	double rx_total_power_dbm[3];
	double rx_signal_power_dbm[3];
	double sop_roc_krad_s[3];      /* U16 krad/s */
	double mer_db[3];              /* U16 x 0.1 dB */
};
#define LB_CCMIS_PM_INIT LB_SIZED_INIT(struct lb_ccmis_pm)
#define LB_CCMIS_PM_SIZE_V1 LB_SIZE_THROUGH(struct lb_ccmis_pm, mer_db)

/**
 * Read the FEC PM (34h:128-187) and link PM (35h:128-211) of bank in one plan and decode them.
 * Nothing is frozen first: call lb_vdm_freeze before for the interval that just ended.
 * LB_E_NOTSUP when the module is not coherent (lb_module_is_coherent) or lacks the bank;
 * LB_E_INVAL for NULL m or a size below LB_CCMIS_PM_SIZE_V1; bus errors as for lb_module_read.
 */
LB_API int lb_ccmis_pm_read(struct lb_module *m, uint8_t bank, struct lb_ccmis_pm *out);

/* ---- the telemetry snapshot ---- */

/** Where a telemetry value comes from. */
enum lb_telemetry_source {
	LB_TELEMETRY_MONITOR = 1, /* lower memory, page 11h */
	LB_TELEMETRY_LASER = 2,   /* page 12h */
	LB_TELEMETRY_VDM = 3,     /* pages 24h-27h, flags 2Ch */
	LB_TELEMETRY_PM = 4,      /* pages 34h-35h */
	LB_TELEMETRY_FLAG = 5,    /* a condition (1 raised since the last snapshot, 0 not) */
};

/** One value of a snapshot (an array element, so not sized). */
struct lb_telemetry_value {
	/*
	 * Name: the OpenConfig leaf where one exists (terminal-device optical-channel, logical
	 * channel OTN and transceiver state, the statistic in the path: "osnr/instant",
	 * "chromatic-dispersion/avg", "pre-fec-ber/max"), else a lightbridge name of the same
	 * shape ("sopmd/instant"); docs/coherent.md maps each to its OpenConfig path. Static.
	 */
	const char *name;
	const char *label;    /* for people: "OSNR", "Pre-FEC BER max (VDM)"; static */
	const char *unit;     /* "dB", "dBm", "ps/nm", "MHz", "C", "V", "mA", "" (a ratio, a count); static */
	uint8_t source;       /* enum lb_telemetry_source */
	uint8_t lane;         /* media lane 1-8, 0 for the module */
	bool has_alarm;       /* the module flags this value (thresholds and latched flags) */
	uint8_t flags;        /* LB_FLAG_* latched since the consumer's last read (with has_alarm) */
	double value;         /* in unit; NAN when the module does not report it */
	uint64_t t_ns;        /* when it was read, on the bus clock (lb_bus_now_ns) */
};
#define LB_TELEMETRY_MAX_VALUES 320

/** A telemetry snapshot. Sized (common.h): set size, e.g. = LB_TELEMETRY_INIT. */
struct lb_telemetry {
	size_t size;
	uint64_t t_ns;       /* bus clock when the snapshot's read ended */
	unsigned media_lanes; /* lanes reported (the widest application's media lanes) */
	unsigned count;      /* values in v */
	struct lb_telemetry_value v[LB_TELEMETRY_MAX_VALUES];
};
#define LB_TELEMETRY_INIT LB_SIZED_INIT(struct lb_telemetry)
#define LB_TELEMETRY_SIZE_V1 LB_SIZE_THROUGH(struct lb_telemetry, v)

/**
 * Everything a coherent module reports, in one read plan: module monitors and their flags
 * (lower 8-17), lane monitors and flags (11h), laser frequency, target power and tuning status
 * (12h), the VDM samples and flags of the instances in use (24h-27h, 2Ch; descriptors read
 * once per insertion), the coherent media lane flags (33h), the FEC and link PMs (34h, 35h),
 * each page read once over the span of what is reported (no statistic is frozen); lane pages
 * of bank 0, the media lanes 1-8 every coherent module has today. Latched
 * flags go through the module's flag accumulator (flags.h): flags says what consumer c (NULL:
 * the handle's default consumer) has not seen yet, and nobody else loses them. Works on any
 * paged CMIS module: what it lacks (no laser, no VDM, not coherent) is left out. LB_E_INVAL
 * for NULL m, a size below LB_TELEMETRY_SIZE_V1 or c of another module; LB_E_UNKNOWN_ID for a
 * module that is not CMIS; bus errors as for lb_module_read_ranges (out zeroed).
 */
struct lb_flag_consumer;
LB_API int lb_telemetry_read(struct lb_module *m, struct lb_flag_consumer *c,
			     struct lb_telemetry *out);

LB_END_DECLS
#endif
