/* SPDX-License-Identifier: MIT */
/*
 * Internal to the emulator: what a coherent module measures (telemetry V2, fed by a telemetry
 * source) and how it shows it: the statistics of the current interval (min/max/average,
 * FEC counters accumulated over virtual time from BER x line rate), the VDM samples and flags
 * (pages 24h-27h, 2Ch), the C-CMIS PMs (34h, 35h), the coherent flags (33h) and the media
 * lane flags (11h:147-148). The interval runs from one freeze (2Fh:144.7 raised) to the next;
 * while frozen the reporting registers (24h-27h, 34h, 35h) hold (docs/coherent.md).
 */
#ifndef LB_EMU_COHERENT_H
#define LB_EMU_COHERENT_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/emulator.h>

struct lb_emu_module;

/* The measures a source may model, per media lane (struct lb_emu_telemetry, V2). */
enum emu_coh_measure {
	EMU_COH_OSNR,
	EMU_COH_ESNR,
	EMU_COH_PRE_FEC_BER,
	EMU_COH_POST_FEC_BER,
	EMU_COH_CD,
	EMU_COH_DGD,
	EMU_COH_SOPMD,
	EMU_COH_PDL,
	EMU_COH_CFO,
	EMU_COH_EVM,
	EMU_COH_RX_TOTAL,
	EMU_COH_RX_SIGNAL,
	EMU_COH_FREQ_ERR,
	EMU_COH_N
};

/* Statistics of one measure over the current interval (sample-weighted). */
struct emu_coh_stat {
	double min, max, sum;
	uint32_t n;
};

/* FEC bits per FEC frame the emulator counts frames with (a 10240-bit frame). */
#define EMU_COH_FRAME_BITS 10240.0

struct emu_coh_lane {
	bool have[EMU_COH_N];   /* modelled: a source gave a value (else the registers keep theirs) */
	double cur[EMU_COH_N];
	struct emu_coh_stat st[EMU_COH_N];
	bool los, lol;
	/* FEC counters of the interval, as the registers wrap them (U64 bits, U32 frames) */
	uint64_t bits, corrected, frames, uncorrectable;
	double carry_bits, carry_corrected, carry_frames, carry_unc; /* fractions not yet whole */
	/* per sub-interval (2Fh:129-130, 1 s when 0): corrected bits and uncorrectable frames */
	bool sub_seen;
	uint64_t corr_min, corr_max;
	uint32_t unc_min, unc_max;
};

struct emu_coherent {
	bool modelled;             /* a source gave a coherent value once */
	struct emu_coh_lane lane[LB_EMU_MAX_MEDIA_LANES];
	uint64_t acc_t;            /* counters accumulated up to this time */
	bool frozen;               /* FreezeRequest in force: reporting registers hold */
	uint64_t freeze_done_at, unfreeze_done_at; /* when FreezeDone/UnfreezeDone set; 0: none */
};

/* ---- coherent_state.c ---- */
/* The module's coherent state (one per module). */
struct emu_coherent *emu_coherent_of(struct lb_emu_module *m);
/* What the module holds, into the V2 members of tm (NAN where nothing is modelled). */
void emu_coherent_report(const struct lb_emu_module *m, struct lb_emu_telemetry *tm);
/* Keep what a source gave (NAN: not modelled, the value stays), then update the registers. */
void emu_coherent_store(struct lb_emu_module *m, const struct lb_emu_telemetry *tm);
/* Counters up to m->t and the registers refreshed (unless frozen), flags latched. */
void emu_coherent_update(struct lb_emu_module *m);
/* FreezeRequest raised (end of the interval) or ceased (2Fh:144.7). */
void emu_coherent_freeze(struct lb_emu_module *m, bool freeze);
/* Power-on: a new interval, not frozen, no done bit pending. */
void emu_coherent_power_on(struct lb_emu_module *m);
/* Line rate of media lane l (0-based) in bit/s: 0 when its data path does not run. */
double emu_coherent_line_rate(const struct lb_emu_module *m, unsigned l);
/* Sub-interval length in seconds (2Fh:129-130 x 0.1 ms; 1 s when 0 or absent). */
double emu_coherent_sub_interval_s(const struct lb_emu_module *m);

/* ---- coherent_regs.c ---- */
/* Write the VDM samples (24h-27h) and the PMs (34h, 35h) from the state. */
void emu_coherent_write_regs(struct lb_emu_module *m);
/* Latch the flags whose condition holds: 2Ch, 33h, 11h:147-148. True if any bit was new. */
bool emu_coherent_latch_flags(struct lb_emu_module *m);
/* Flag bits of 2Ch byte addr in bank whose condition holds (reporting registers vs thresholds). */
uint8_t emu_vdm_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr);
/* Flag bits of 33h byte addr in bank whose condition holds (128 + media lane - 1). */
uint8_t emu_ccmis_flag_level(const struct lb_emu_module *m, unsigned bank, uint8_t addr);

/* 33h media lane flag bits (lightbridge's layout: C-CMIS's own is not confirmed, docs/coherent.md) */
#define EMU_CCMIS_FLAG_LOS 0x01u    /* Rx loss of signal */
#define EMU_CCMIS_FLAG_LOL 0x02u    /* Rx loss of frame lock */
#define EMU_CCMIS_FLAG_UNCORR 0x04u /* uncorrectable frames (post-FEC errors) */
#define EMU_CCMIS_FLAG_FIRST 128u
#define EMU_CCMIS_FLAG_N 8u         /* bytes 128-135: media lanes 1-8 of the bank */

#endif
