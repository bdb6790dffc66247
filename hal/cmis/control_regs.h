/* SPDX-License-Identifier: MIT */
/*
 * CMIS control registers of the module and data-path state machines (CMIS 5.x; byte numbers
 * are bus byte addresses: 0-127 lower memory, 128-255 the mapped upper page), and the small
 * internal interface that module_state.c, durations.c, datapath.c and bringup.c share.
 * Identity, application and monitor offsets live in regs.h.
 */
#ifndef LB_HAL_CMIS_CONTROL_REGS_H
#define LB_HAL_CMIS_CONTROL_REGS_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/module.h>
#include "hal/coherent/stage.h"
#include "hal/core/wait.h"

/* ---- lower memory ---- */
#define LB_CTL_LOW_REV 1u                  /* bits 7-4 major, 3-0 minor */
#define LB_CTL_LOW_CHARS 2u                /* .7 flat memory */
#define LB_CTL_LOW_CHARS_FLAT 0x80u
#define LB_CTL_LOW_STATE 3u                /* .3-1 ModuleState */
#define LB_CTL_LOW_STATE_MASK 0x0Eu
#define LB_CTL_LOW_GLOBAL 26u              /* module global controls */
#define LB_CTL_GLOBAL_LOWPWR_ALLOW_HW 0x40u /* 26.6 LowPwrAllowRequestHW (4.0: "LowPwr") */
#define LB_CTL_GLOBAL_LOWPWR_SW 0x10u      /* 26.4 LowPwrRequestSW (4.0: "ForceLowPwr") */
#define LB_CTL_GLOBAL_SW_RESET 0x08u       /* 26.3 SoftwareReset, self-clearing */
#define LB_CTL_LOW_FAULT_CAUSE 41u

/* ---- page 01h: durations (4-bit codes, CMIS 5.4 Table 8-49) and lane banks ---- */
#define LB_CTL_PAGE_ADVERT 0x01u
#define LB_CTL_P01_PAGES 142u              /* .1-0 lane banks */
#define LB_CTL_P01_DUR_DP 144u             /* .7-4 DPDeinit, .3-0 DPInit */
#define LB_CTL_P01_DUR_MODULE 167u         /* .7-4 ModulePwrDn, .3-0 ModulePwrUp */
#define LB_CTL_P01_DUR_TX 168u             /* .7-4 DPTxTurnOff, .3-0 DPTxTurnOn */
#define LB_CTL_P01_EXTRA_BANKS 174u        /* .4-0 extra lane banks, when 142.1-0 = 11b (5.4) */

/* ---- page 10h (banked): lane controls and staged control set 0 ---- */
#define LB_CTL_PAGE_LANE_CTRL 0x10u
#define LB_CTL_P10_DP_DEINIT 128u          /* bit i = host lane i+1 */
#define LB_CTL_P10_TX_DISABLE 130u         /* bit i = media lane i+1 */
#define LB_CTL_P10_SCS0_APPLY_DPINIT 143u  /* write-only, single-byte WRITE */
#define LB_CTL_P10_SCS0_DPCONFIG 145u      /* 145-152: AppSel << 4 | DataPathID << 1 | EC */

/* ---- page 11h (banked): lane status ---- */
#define LB_CTL_PAGE_LANE_STATUS 0x11u
#define LB_CTL_P11_DP_STATE 128u           /* 128-131, nibble per lane, lane 1 = bits 3-0 */
#define LB_CTL_P11_CONFIG_STATUS 202u      /* 202-205, nibble per lane */
#define LB_CTL_P11_ACS_DPCONFIG 206u       /* 206-213, layout of 10h:145 */
#define LB_CTL_P11_DPINIT_PENDING 235u

/* ConfigStatus codes (11h:202-205): enum lb_config_status of <lightbridge/module.h>. */

#define LB_CTL_LANES_PER_BANK 8u

/*
 * MgmtInit bound after a reset (CMIS 5.x timing table: tInit, power-on or reset to a module
 * that answers, at most 2 s). Not advertised on page 01h, so it is the one bound the spec
 * fixes; the power-up that may follow is bounded by MaxDurationModulePwrUp.
 */
#define LB_CTL_T_INIT_MS 2000u

/* ---- internal interface shared by the state-machine files ---- */

/** The module context's clock (virtual on the emulator). */
uint64_t lb_cmis_now_ns(struct lb_module *m);
void lb_cmis_sleep_ns(struct lb_module *m, uint64_t ns);

/*
 * The bounded wait of hal/core/wait.h on the module's bus clock, its timeout reason recorded
 * in the module's context. lb_cmis_wait_begin() starts one (the stepped form: lb_wait_step,
 * lb_wait_plan); lb_cmis_wait() runs one to its end, sleeping the bus clock in between.
 */
void lb_cmis_wait_begin(struct lb_module *m, struct lb_wait *w, uint64_t bound_ns,
			uint64_t limit_ns);
int lb_cmis_wait(struct lb_module *m, uint64_t bound_ns, uint64_t limit_ns,
		 const struct lb_wait_cond *c);

/** What the state machines need to know about a module, all static. */
struct lb_cmis_ctl_info {
	struct lb_module_durations dur; /* zero on flat memory */
	unsigned lanes;      /* host lanes: 8 per lane bank, at most LB_MODULE_MAX_LANES */
	bool flat;           /* flat memory: no page 01h, no data paths */
	bool not_cmis;       /* the identifier is not a CMIS one (SFF-8636, SFF-8472): no state machine */
	uint8_t identifier;
	uint8_t revision;    /* lower byte 1, for the rules of revision.h */
};
/**
 * LB_E_NOTSUP, with a detail, for a module that is not CMIS: no module state machine and no
 * control bytes of CMIS meaning (an SFF-8636 byte 26 is something else); LB_OK otherwise.
 */
int lb_cmis_require_state_machine(struct lb_module *m, const struct lb_cmis_ctl_info *info);
/** Durations from the module cache (read once per insertion), lanes and revision from adv. */
int lb_cmis_ctl_info(struct lb_module *m, struct lb_cmis_ctl_info *out);

/** Decode a 4-bit state-duration code (01h:144/167/168) to its upper bound in ms. */
uint32_t lb_cmis_duration_code_ms(uint8_t code);

/** Bit i of v (lane masks; unsigned arithmetic whatever v was promoted from). */
static inline bool lb_cmis_bit(uint32_t v, unsigned i)
{
	return ((v >> i) & 1u) != 0;
}

/** ms to ns, saturating. */
static inline uint64_t lb_cmis_ms_to_ns(uint64_t ms)
{
	return ms > UINT64_MAX / 1000000u ? UINT64_MAX : ms * 1000000u;
}

/** a + b, saturating. */
static inline uint64_t lb_cmis_add_sat(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* module_state.c */
int lb_cmis_read_state(struct lb_module *m, enum lb_module_state *out);
int lb_cmis_set_low_power_until(struct lb_module *m, bool low, uint64_t limit_ns);
/**
 * Write the low/high power request when it differs. *done when the module is already in the
 * target state (ModuleLowPwr or ModuleReady); else *bound_ns is how long it may take.
 * LB_E_FAULT for a module in ModuleFault.
 */
int lb_cmis_power_request(struct lb_module *m, bool low, bool *done, uint64_t *bound_ns);

/* datapath.c */
/** The advertised application with this AppSel; LB_E_NOTFOUND if there is none. */
int lb_cmis_find_app(struct lb_module *m, uint8_t appsel, struct lb_app *out);
/**
 * Check that lane_mask (module lanes 1..lanes) is a union of whole data paths of app, each
 * starting on an allowed host lane. LB_E_INVAL with *reject_code = the ConfigStatus code the
 * module would answer (4 wrong lane combination, 7 part of a data path); on success
 * *media_mask holds the media lanes of those data paths.
 */
int lb_cmis_dp_check(const struct lb_app *app, uint32_t lane_mask, unsigned lanes,
		     uint32_t *media_mask, int *reject_code);
/** Every lane app can occupy: its instances from the lowest allowed start lane, every bank. */
uint32_t lb_cmis_app_lanes(const struct lb_app *app, unsigned lanes);
/* A data-path configuration checked against the advertisement, ready to stage. */
struct lb_cmis_dp_target {
	uint32_t lane_mask;     /* whole data paths of app */
	uint32_t media;         /* their media lanes */
	struct lb_app app;      /* the application (app.appsel) */
	int dpid;               /* DataPathID for every lane, or -1: each data path's first lane */
	bool explicit_control;
	bool coherent;          /* coherent members are set */
	struct lb_coherent_stage stage; /* what they stage on page 12h (stage.set 0: none) */
	/*
	 * Lanes of other data paths that overlap lane_mask, released with it: staged AppSel 0
	 * (unused) and applied together, so no part of an old data path runs on (bring-up only).
	 */
	uint32_t release;
};
/**
 * Check cfg (already read at this library's size) against the advertisement and resolve its
 * zero meanings (appsel 0, lane_mask 0), without any write. LB_E_INVAL with the ConfigStatus
 * the module would answer in *code; LB_E_NOTSUP for what the module or this library cannot
 * take (the reason in the error detail). info is filled on the way.
 */
int lb_cmis_dp_resolve(struct lb_module *m, const struct lb_dp_config *cfg,
		       struct lb_cmis_ctl_info *info, struct lb_cmis_dp_target *t, int *code);
/** Stage a resolved configuration and apply it; polls ConfigStatus, never past limit_ns (0: no limit). */
int lb_cmis_apply_until(struct lb_module *m, const struct lb_cmis_dp_target *t,
			const struct lb_cmis_ctl_info *info, int *reject_code, uint64_t limit_ns);
/**
 * The active control set (11h:206-213) of every bank lane_mask touches: acs[i] = lane i+1's
 * DPConfig byte (AppSel << 4 | DataPathID << 1 | ExplicitControl); other lanes 0. One read
 * per bank.
 */
int lb_cmis_read_active_sets(struct lb_module *m, uint32_t lane_mask,
			     uint8_t acs[LB_MODULE_MAX_LANES]);
/**
 * The lanes outside lane_mask that share a data path with a lane of it, by the active control
 * sets acs (lanes of one bank with the same AppSel > 0 and DataPathID are one data path).
 */
uint32_t lb_cmis_overlapping_lanes(const uint8_t acs[LB_MODULE_MAX_LANES], unsigned lanes,
				   uint32_t lane_mask);
/** Stage a resolved configuration into SCS0 and write ApplyDPInit (no wait). */
int lb_cmis_apply_start(struct lb_module *m, const struct lb_cmis_dp_target *t);
/**
 * After ConfigSuccess on every lane: LB_OK when the active control set (11h:206-213) holds
 * what the target staged, else LB_E_STATE with the lane in the detail (the module ran another
 * apply, not this one).
 */
int lb_cmis_apply_verify(struct lb_module *m, const struct lb_cmis_dp_target *t);
/** The Provision bound: DPDeinit + DPInit (no duration is advertised for it). */
uint64_t lb_cmis_apply_bound_ns(const struct lb_cmis_ctl_info *info);
/**
 * One read of a nibble-per-lane field of page 11h (DP state at LB_CTL_P11_DP_STATE,
 * ConfigStatus at LB_CTL_P11_CONFIG_STATUS) for the lanes of lane_mask, every bank.
 */
int lb_cmis_read_lane_nibbles(struct lb_module *m, uint32_t lane_mask, uint8_t offset,
			      uint8_t codes[LB_MODULE_MAX_LANES]);
/** Whether a ConfigStatus code is final (not undefined, not in progress). */
bool lb_cmis_config_final(uint8_t code);
/** lb_cmis_lane_wait want: ConfigStatus no longer ConfigInProgress (an apply waited out). */
#define LB_CMIS_WANT_IDLE (-2)
/** Polls between two fault checks while waiting on data paths. */
#define LB_CMIS_FAULT_CHECK_EVERY 16u
/*
 * A wait on a nibble-per-lane field of page 11h for every lane of lane_mask: a DP state
 * (offset LB_CTL_P11_DP_STATE, want the state), a final ConfigStatus (offset
 * LB_CTL_P11_CONFIG_STATUS, want -1) or none in progress (want LB_CMIS_WANT_IDLE). The failure condition is ModuleFault, checked every
 * LB_CMIS_FAULT_CHECK_EVERY polls and at the deadline.
 */
struct lb_cmis_lane_wait {
	struct lb_module *m;
	uint32_t lane_mask;
	uint8_t offset;
	int want;
	uint8_t codes[LB_MODULE_MAX_LANES]; /* what the last poll read, per lane */
	char what[128];
};
/** Fill lw and the condition c over it, for lb_cmis_wait() or lb_wait_step(). */
void lb_cmis_lane_wait_init(struct lb_cmis_lane_wait *lw, struct lb_module *m, uint32_t lane_mask,
			    uint8_t offset, int want, struct lb_wait_cond *c);
/** "lanes 1-4,9", "lane 3": a lane mask (bit i = lane i+1) as people count lanes. */
void lb_cmis_format_lanes(uint32_t mask, char *buf, size_t len);
/** Wait until every lane of lane_mask reports state, bounded by bound_ns and limit_ns. */
int lb_cmis_wait_dp_until(struct lb_module *m, uint32_t lane_mask, enum lb_dp_state state,
			  uint64_t bound_ns, uint64_t limit_ns);
/**
 * Set and clear bits of DPDeinit (10h:128) and OutputDisableTx (10h:130), every bank. The
 * deinit masks say which lanes are held in DPDeinit whatever the revision; a module before
 * CMIS 4.0 holds them inverted there (DataPathPwrUp, revision.h).
 */
int lb_cmis_lane_ctrl(struct lb_module *m, uint32_t deinit_set, uint32_t deinit_clr,
		      uint32_t tx_set, uint32_t tx_clr);

#endif
