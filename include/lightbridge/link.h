/* SPDX-License-Identifier: MIT */
/*
 * Optical link model: a fibre path (spans, amplifiers, launch power, channel load) and a
 * coherent line mode (format, baud, FEC, tolerances) give OSNR (ASE + GN-model NLI + Tx),
 * SNR, pre-FEC BER, post-FEC state, CD, DGD (with a Maxwellian drift in virtual time), Rx
 * power, latency, margin, the limiting factor and energy per bit. Plain structs, no I/O;
 * the JSON loaders (lb_line_modes_load, lb_link_path_load) fill the same structs.
 * Facts and formulas: docs/link-model.md.
 *
 * Threads: every function here is pure (no state, no I/O but the loaders' file reads) and may
 * run in any number of threads at once, on different structs; a struct being filled is the
 * caller's own.
 */
#ifndef LIGHTBRIDGE_LINK_H
#define LIGHTBRIDGE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

#define LB_LINK_MAX_SPANS 256  /* spans in one path */
#define LB_LINK_MAX_POINTS 8   /* points in one penalty table */
#define LB_LINK_ID_LEN 48      /* mode id, including the NUL */
#define LB_LINK_NAME_LEN 96    /* names and descriptions, including the NUL */
/** Rx power reported when no light reaches the receiver (CMIS reads 0 mW as this). */
#define LB_LINK_NO_SIGNAL_DBM (-40.0)
/** Launch powers per channel the model takes (and an optimum is clamped to). */
#define LB_LINK_LAUNCH_MIN_DBM (-20.0)
#define LB_LINK_LAUNCH_MAX_DBM 20.0
/** Amplifier limits a path leaves at 0 (optics-physics.md §2.2: high-gain line EDFAs reach
 *  35 dB of gain, their total output is 21-25 dBm). */
#define LB_LINK_DEFAULT_AMP_MAX_GAIN_DB 35.0
#define LB_LINK_DEFAULT_AMP_MAX_OUTPUT_DBM 25.0

/** Modulation format of a line mode. */
enum lb_link_format {
	LB_LINK_FORMAT_DP_QPSK = 0,
	LB_LINK_FORMAT_DP_8QAM,
	LB_LINK_FORMAT_DP_16QAM,
	LB_LINK_FORMAT_DP_64QAM,
	/** Probabilistically shaped QAM with entropy_bits per symbol and polarisation; BER
	 *  follows the 16QAM curve anchored at the mode's threshold (reference approximation). */
	LB_LINK_FORMAT_PCS,
};

/** What limits a link (for a link that closes: what fails first as the path grows). */
enum lb_link_limit {
	LB_LINK_LIMIT_OSNR = 0,
	LB_LINK_LIMIT_CD,
	LB_LINK_LIMIT_DGD,
	LB_LINK_LIMIT_PDL,
	LB_LINK_LIMIT_RX_POWER,
	LB_LINK_LIMIT_ENDS,      /* the two ends disagree (lb_link_evaluate_ends) */
};

/** Bits of lb_link_result.out_of_range: impairments beyond the mode's last tolerance point. */
#define LB_LINK_OOR_CD (1u << 0)
#define LB_LINK_OOR_DGD (1u << 1)  /* mean DGD beyond the table or instantaneous > dgd_max_ps */
#define LB_LINK_OOR_PDL (1u << 2)
#define LB_LINK_OOR_RX_POWER (1u << 3)

/** Receiver state. Anything but UP: nothing was received, so a result has no signal figures
 *  (see struct lb_link_result). */
enum lb_link_state {
	LB_LINK_STATE_UP = 0,   /* light and frame lock: every figure is valid */
	LB_LINK_STATE_LOS,      /* no light: Tx off, wrong channel, or Rx power below rx_los_dbm */
	LB_LINK_STATE_NO_LOCK,  /* light but no frame lock: the ends disagree on the mode, or the
				   carrier is off the local oscillator by more than its tolerance */
};

/** Post-FEC state. */
enum lb_link_fec_state {
	LB_LINK_FEC_CLEAN = 0,  /* decoded SNR at or above the FEC threshold: error free */
	LB_LINK_FEC_ERRORED,    /* uncorrectable frames (see uncorrectable_frames_per_s) */
	LB_LINK_FEC_NONE,       /* not decoding (state is not UP) */
};

/**
 * A penalty table: (x, OSNR penalty dB) points with x ascending, linearly interpolated.
 * Outside [x[0], x[count-1]] the penalty is infinite (out of tolerance). count 0: no
 * penalty and no limit.
 */
struct lb_link_penalty_table {
	unsigned count;
	double x[LB_LINK_MAX_POINTS];
	double db[LB_LINK_MAX_POINTS];
};

/**
 * A coherent line mode: the one type of the link model, `lbctl plan link` and the modules'
 * line modes (lb_module_list_line_modes, module.h). Fill it by hand (after LB_LINE_MODE_INIT)
 * or with lb_line_modes_load(); then call lb_line_mode_calibrate() once (lb_link_evaluate()
 * calibrates a copy on the fly if not).
 *
 * Sized (common.h), in both directions: a mode the caller passes in (lb_line_mode_check,
 * lb_link_evaluate, ...) needs size at least LB_LINE_MODE_SIZE_V1 (LB_E_INVAL otherwise, a
 * mode cleared with memset included); an array the library fills (lb_module_list_line_modes)
 * takes the layout of its elements from the first element's size.
 */
struct lb_line_mode {
	size_t size;                    /* sizeof(struct lb_line_mode): LB_LINE_MODE_INIT */
	char id[LB_LINK_ID_LEN];        /* e.g. "800g-16qam-118" */
	char name[LB_LINK_NAME_LEN];    /* human name */
	enum lb_link_format format;
	double entropy_bits;            /* PCS: bits per symbol per polarisation (2..6) */
	double baud_gbd;                /* symbol rate */
	double net_rate_gbps;           /* client rate; PCS with 0: 2·baud·H·0.846 */
	double line_rate_gbps;          /* for FEC frame counting; 0: the net rate */
	char fec[16];                   /* "oFEC", "CFEC" */
	double fec_threshold_ber;       /* pre-FEC BER threshold */
	double req_osnr_db;             /* B2B OSNR at the threshold, dB/0.1 nm; PCS with 0: from H */
	double tx_osnr_db;              /* in-band Tx OSNR, dB/0.1 nm */
	double snr_b2b_db;              /* back-to-back SNR ceiling (in baud bandwidth) */
	double impl_penalty_db;         /* Δ_impl; calibrated unless impl_penalty_set */
	bool impl_penalty_set;
	double better_than_spec_db;     /* added to the decoded SNR (0 = spec-level module) */
	struct lb_link_penalty_table cd_penalty;   /* x: |accumulated CD|, ps/nm */
	struct lb_link_penalty_table dgd_penalty;  /* x: mean DGD, ps */
	double dgd_max_ps;                         /* instantaneous DGD limit; 0: none */
	struct lb_link_penalty_table pdl_penalty;  /* x: path PDL, dB */
	struct lb_link_penalty_table rx_penalty;   /* x: Rx power per channel, dBm */
	double rx_los_dbm;              /* loss of signal below this Rx power */
	double lo_offset_tolerance_ghz; /* carrier to LO offset tolerated; 0: 3.6 GHz */
	double slot_ghz;                /* grid slot for a full load */
	double width_ghz;               /* occupied width (information) */
	double tx_power_min_dbm, tx_power_max_dbm; /* module output range (information) */
	double module_power_w;          /* typical module power */
	/* What a module's own listing adds (lb_module_list_line_modes); 0 when not known. */
	double reach_km;                /* nominal reach, km (model reach of link/modes.json) */
	double energy_pj_per_bit;       /* module power / net rate, pJ/bit (= W/(Tb/s)) */
	uint8_t appsel;                 /* the module's application it runs on (1-15) */
	uint8_t host_id, media_id;      /* that application's SFF-8024 interface codes */
	uint8_t vendor_code;            /* an extension's code for a vendor mode; 0: the application's */
	bool explicit_control;          /* the module needs it staged with ExplicitControl set */
};
#define LB_LINE_MODE_INIT LB_SIZED_INIT(struct lb_line_mode)
#define LB_LINE_MODE_SIZE_V1 LB_SIZE_THROUGH(struct lb_line_mode, explicit_control)

/** A list of line modes, owned by the caller: release with lb_line_modes_free(). */
struct lb_line_modes {
	size_t count;
	struct lb_line_mode *modes;
};

/** One fibre span and the amplifier at its end. Fixed (not sized): an array element of
 *  struct lb_link_path. */
struct lb_link_span {
	double length_km;
	double loss_db_per_km;          /* fibre attenuation */
	double connector_loss_db;       /* lumped extra loss of the span (connectors, splices) */
	double dispersion_ps_nm_km;     /* D at 1550 nm */
	double dispersion_slope_ps_nm2_km; /* S; D(λ) = D + S·(λ − 1550 nm); 0: D everywhere */
	double pmd_ps_sqrt_km;          /* PMD coefficient */
	double group_index;             /* n_g, for latency */
	double gamma_per_w_km;          /* nonlinear coefficient */
	bool amplified;                 /* an amplifier follows the span */
	double amp_nf_db;               /* its noise figure */
	double amp_gain_db;             /* its gain; 0: equal to the span loss */
};

/**
 * A path between two modules: mux, booster, spans with amplifiers, demux. Sized (common.h):
 * lb_link_path_init() and lb_link_path_load() set size; a path built by hand sets it to
 * sizeof(struct lb_link_path) (LB_LINK_PATH_INIT) before filling the rest. Every call taking a
 * path refuses a size below LB_LINK_PATH_SIZE_V1 with LB_E_INVAL.
 */
struct lb_link_path {
	size_t size;
	char name[LB_LINK_NAME_LEN];
	double frequency_thz;       /* channel under test; 0: 193.4 */
	double launch_dbm;          /* per channel into the first span */
	double tx_power_dbm;        /* module output per channel into the mux (booster input) */
	double mux_loss_db;
	double demux_loss_db;
	double booster_nf_db;       /* 0: ideal booster (its ASE is not counted) */
	unsigned channel_count;     /* 0: fill band_ghz at the spacing */
	double channel_spacing_ghz; /* 0: the mode's slot_ghz */
	double band_ghz;            /* 0: 4800 (C band) */
	double pdl_db;              /* accumulated PDL */
	unsigned span_count;
	struct lb_link_span spans[LB_LINK_MAX_SPANS];
	/* Amplifiers (booster and line amplifiers alike). A span whose amplifier would need more
	 * gain than amp_max_gain_db is refused (LB_E_RANGE, lb_link_path_gain_check()); a launch
	 * above what amp_max_output_dbm gives each channel of the load is clamped to it
	 * (lb_link_result.launch_clamp). Amplifiers whose gains exceed their spans' losses so
	 * far that an output is 60 dB above the launch make the evaluation LB_E_RANGE. */
	double amp_max_gain_db;     /* dB; 0: LB_LINK_DEFAULT_AMP_MAX_GAIN_DB */
	double amp_max_output_dbm;  /* total output of all channels, dBm; 0: the default */
	/* Margin kept in reserve (ageing, repairs, ref §1.3): a link closes only with margin_db at
	 * or above it. 0 dB (none) by default. */
	double system_margin_db;
};
#define LB_LINK_PATH_INIT LB_SIZED_INIT(struct lb_link_path)
#define LB_LINK_PATH_SIZE_V1 LB_SIZE_THROUGH(struct lb_link_path, system_margin_db)

/** How lb_link_evaluate() chooses the launch power. */
enum lb_link_launch {
	LB_LINK_LAUNCH_PATH = 0,   /* path->launch_dbm */
	LB_LINK_LAUNCH_GIVEN,      /* opts->launch_dbm */
	LB_LINK_LAUNCH_OPTIMAL,    /* the nonlinear optimum for this mode and path */
};

/** Where an optimum (or a launch the amplifiers cannot give) was clamped. */
enum lb_link_launch_clamp {
	LB_LINK_CLAMP_NONE = 0,
	LB_LINK_CLAMP_MIN,        /* at LB_LINK_LAUNCH_MIN_DBM: no amplifier noise to outweigh NLI */
	LB_LINK_CLAMP_MAX,        /* at LB_LINK_LAUNCH_MAX_DBM */
	LB_LINK_CLAMP_AMP_OUTPUT, /* at the most the amplifiers' total output gives each channel */
};

/** Options of one evaluation; NULL means all defaults (zero). Fixed (not sized): a plain
 *  value the caller builds on the stack; NULL covers every default. */
struct lb_link_eval_opts {
	enum lb_link_launch launch;
	double launch_dbm;
	bool have_dgd;             /* use dgd_ps as the instantaneous DGD (e.g. from a drift) */
	double dgd_ps;
};

/**
 * Everything one evaluation yields. Fields are finite numbers (never NaN or infinite).
 * Sized (common.h): set size (LB_LINK_RESULT_INIT) before the call; a size below
 * LB_LINK_RESULT_SIZE_V1 is refused with LB_E_INVAL.
 *
 * A dark link (state LOS or NO_LOCK) has no signal figures: osnr_*, penalty_*, margin_db,
 * snr_db, esnr_db, snr_dec_db, pre_fec_ber and q_db hold 0, which means "none", not "error
 * free"; read state first. Its closes is false and fec_state NONE.
 */
struct lb_link_result {
	size_t size;
	enum lb_link_state state;
	bool closes;                 /* UP, all impairments in tolerance, FEC clean and
					margin_db >= system_margin_db */
	enum lb_link_limit limited_by;
	unsigned out_of_range;       /* LB_LINK_OOR_* bits */
	double launch_dbm;           /* the launch power used (after any clamp) */
	double length_km;
	unsigned span_count;
	unsigned channel_count;      /* channels in the load */
	/* Optical signal-to-noise, dB in 0.1 nm */
	double osnr_ase_db;          /* amplifiers (and booster) only */
	double osnr_nli_db;          /* nonlinear interference only */
	double osnr_db;              /* total: ASE + NLI + Tx */
	double penalty_cd_db, penalty_dgd_db, penalty_pdl_db, penalty_rx_db;
	double penalty_db;           /* sum of the finite penalties */
	double margin_db;            /* osnr_db − penalty_db − req OSNR (infinite penalties left out) */
	/* Electrical, in the baud bandwidth */
	double snr_db;               /* line SNR after penalties */
	double esnr_db;              /* with the back-to-back ceiling */
	double snr_dec_db;           /* after the implementation penalty: what the decoder sees */
	double pre_fec_ber;
	double q_db;                 /* Q factor of the pre-FEC BER, 20·log10 */
	enum lb_link_fec_state fec_state;
	double post_fec_ber;
	double uncorrectable_frames_per_s; /* RS(544,514)-equivalent frames */
	/* Impairments and power */
	double cd_ps_nm;             /* accumulated CD at the channel frequency */
	double dgd_mean_ps;
	double dgd_ps;               /* instantaneous DGD (the mean unless given) */
	double rx_power_dbm;         /* per channel at the receiver */
	double latency_one_way_ms;
	double net_rate_gbps;
	double power_per_bit_pj;     /* module power / net rate */
	double system_margin_db;     /* the path's reserve that margin_db must reach */
	enum lb_link_launch_clamp launch_clamp; /* the launch was clamped (to what) */
	double launch_max_dbm;       /* the most the amplifiers give each channel of this load */
};
#define LB_LINK_RESULT_INIT LB_SIZED_INIT(struct lb_link_result)
#define LB_LINK_RESULT_SIZE_V1 LB_SIZE_THROUGH(struct lb_link_result, launch_max_dbm)

/** One end of a link, for lb_link_ends_check(). */
struct lb_link_end {
	const struct lb_line_mode *mode;
	double frequency_thz;
	bool tx_enabled;             /* meaningful for the transmitting end */
};

/**
 * State of a Maxwellian DGD process: the three components of the PMD vector are independent
 * Ornstein-Uhlenbeck processes, so |vector| is Maxwell distributed with the given mean at
 * every instant and decorrelates over corr_time_s. Seeded and reproducible.
 */
struct lb_link_dgd_drift {
	double mean_ps;
	double corr_time_s;
	uint64_t rng;
	double omega_ps[3];
	uint64_t t_ns;
};

/* ---- Building paths and modes ---- */

/** Fill a span with SSMF defaults (0.20 dB/km, +1.0 dB, D 16.7, PMD 0.04, n_g 1.4682,
 *  γ 1.27, amplified, NF 5 dB, gain = span loss). */
LB_API void lb_link_span_init(struct lb_link_span *span, double length_km);
/** A path of span_count equal SSMF spans over distance_km, launch 0 dBm, 193.4 THz, full C
 *  band, no mux/demux loss. LB_E_INVAL / LB_E_RANGE on bad numbers. */
LB_API int lb_link_path_init(struct lb_link_path *path, double distance_km, unsigned span_count);
/** Re-split a path into span_count equal spans over distance_km, keeping spans[0]'s fibre
 *  and amplifier. */
LB_API int lb_link_path_set_uniform(struct lb_link_path *path, double distance_km,
				    unsigned span_count);
/** Sum of the span lengths. */
LB_API double lb_link_path_length_km(const struct lb_link_path *path);
/** Check a path's numbers; LB_E_INVAL (NULL, size below LB_LINK_PATH_SIZE_V1, not finite) or
 *  LB_E_RANGE (out of physical range, or an amplifier short of gain: lb_link_path_gain_check). */
LB_API int lb_link_path_check(const struct lb_link_path *path);
/**
 * Can every amplifier make up its span? The first amplified span whose amplifier needs more
 * than the path's amp_max_gain_db (its span loss, or amp_gain_db when given): LB_E_RANGE, its
 * index in *span and the gain it needs in *gain_db (either pointer may be NULL). LB_OK when
 * every one can; LB_E_INVAL for NULL or a bad size.
 */
LB_API int lb_link_path_gain_check(const struct lb_link_path *path, unsigned *span,
				   double *gain_db);
/** Check a mode's numbers, same codes. */
LB_API int lb_line_mode_check(const struct lb_line_mode *mode);
/**
 * Fill what a mode leaves to the model: for PCS the required OSNR and net rate from the
 * entropy (when 0), and the implementation penalty Δ_impl (when not set) so that the
 * pre-FEC BER equals the threshold at the required OSNR.
 */
LB_API int lb_line_mode_calibrate(struct lb_line_mode *mode);

/* ---- Evaluation ---- */

/**
 * Evaluate a mode on a path. out is fully written on LB_OK (up to its size). A launch above
 * what the amplifiers give each channel (launch_max_dbm) is evaluated at that maximum, with
 * launch_clamp AMP_OUTPUT; an optimum is clamped the same way and to the launch range.
 */
LB_API int lb_link_evaluate(const struct lb_link_path *path, const struct lb_line_mode *mode,
			    const struct lb_link_eval_opts *opts, struct lb_link_result *out);
/** The launch power per channel that maximises the OSNR of this mode on this path, within the
 *  launch range and what the amplifiers give (the launch lb_link_evaluate uses for OPTIMAL). */
LB_API int lb_link_optimal_launch(const struct lb_link_path *path,
				  const struct lb_line_mode *mode, double *launch_dbm);
/**
 * Do two ends agree? Tx off or a carrier outside the receiver's slot: LOS; a different mode
 * or a carrier off the LO by more than lo_offset_tolerance_ghz: NO_LOCK; else UP.
 */
LB_API int lb_link_ends_check(const struct lb_link_end *tx, const struct lb_link_end *rx,
			      enum lb_link_state *state);
/**
 * Evaluate the link from tx to rx over path, at tx's frequency. When the ends disagree the
 * result carries the state (LOS, NO_LOCK), closes = false and no signal figures (zero), only
 * the Rx power (LB_LINK_NO_SIGNAL_DBM for LOS), the path's figures (CD, DGD, latency) and the
 * launch.
 */
LB_API int lb_link_evaluate_ends(const struct lb_link_path *path, const struct lb_link_end *tx,
				 const struct lb_link_end *rx, const struct lb_link_eval_opts *opts,
				 struct lb_link_result *out);

/* ---- DGD drift (virtual time) ---- */

/** Start a drift with mean_ps at t0_ns; corr_time_s <= 0 gives 1,800 s. The first value is
 *  a draw from the Maxwellian. */
LB_API int lb_link_dgd_drift_init(struct lb_link_dgd_drift *d, double mean_ps, double corr_time_s,
				  uint64_t seed, uint64_t t0_ns);
/** Advance to now_ns (exact OU transition for any step) and give the DGD then.
 *  LB_E_INVAL if now_ns is before the last time. */
LB_API int lb_link_dgd_drift_advance(struct lb_link_dgd_drift *d, uint64_t now_ns, double *dgd_ps);
/** The DGD at the last advance. */
LB_API double lb_link_dgd_drift_value(const struct lb_link_dgd_drift *d);
/** Probability that a Maxwellian DGD with mean mean_ps exceeds dgd_ps. */
LB_API int lb_link_dgd_exceed_probability(double mean_ps, double dgd_ps, double *p);

/* ---- Formulas, exposed for telemetry and tests ---- */

/** Pre-FEC BER of a format at a decoded SNR (dB, Es/N0 per polarisation). PCS: 16QAM curve. */
LB_API int lb_link_format_ber(enum lb_link_format format, double snr_db, double *ber);
/** Inverse of lb_link_format_ber(): the SNR in dB giving ber (0 < ber < curve maximum). */
LB_API int lb_link_format_snr_at_ber(enum lb_link_format format, double ber, double *snr_db);
/** Q factor in dB of a BER: 20·log10(√2·erfcinv(2·BER)); BER >= 0.5 gives 0. */
LB_API int lb_link_ber_to_q_db(double ber, double *q_db);
/** PCS approximation: required SNR (dB, baud bandwidth) at the oFEC threshold for entropy H. */
LB_API int lb_link_pcs_req_snr_db(double entropy_bits, double *snr_db);
/** PCS approximation: net rate 2·baud·H·0.846. */
LB_API int lb_link_pcs_net_rate_gbps(double entropy_bits, double baud_gbd, double *rate_gbps);
/** GN-model NLI coefficient η (1/W²) of one span for the channel in the middle of a load of
 *  channels × spacing_ghz at baud_gbd. */
LB_API int lb_link_nli_eta(const struct lb_link_span *span, double frequency_thz, double baud_gbd,
			   double spacing_ghz, unsigned channels, double *eta_per_w2);

/** Names: "DP-16QAM", "osnr", "up", "clean". Never NULL. */
LB_API const char *lb_link_format_name(enum lb_link_format format);
LB_API const char *lb_link_limit_name(enum lb_link_limit limit);
LB_API const char *lb_link_state_name(enum lb_link_state state);
LB_API const char *lb_link_fec_state_name(enum lb_link_fec_state state);
/** "none", "min", "max", "amp_output". Never NULL. */
LB_API const char *lb_link_launch_clamp_name(enum lb_link_launch_clamp clamp);

/* ---- JSON loaders ---- */

/**
 * Load a line-mode table (link/modes.json). On failure: LB_E_NOTFOUND or LB_E_IO
 * (file), LB_E_PARSE (malformed, missing or non-numeric field), LB_E_RANGE (value out of
 * physical range), LB_E_NOMEM; err (if not NULL) gets "FILE: FIELD: reason". out is left
 * empty on failure; on success free it with lb_line_modes_free(). Modes are not calibrated.
 */
LB_API int lb_line_modes_load(const char *file, struct lb_line_modes *out, char *err,
			      size_t err_len);
/** Release a table loaded by lb_line_modes_load(); NULL and empty tables are fine. */
LB_API void lb_line_modes_free(struct lb_line_modes *modes);
/** The mode with this id, or NULL; valid as long as the table. */
LB_API const struct lb_line_mode *lb_line_modes_find(const struct lb_line_modes *modes,
						     const char *id);
/**
 * The line mode (an id of link/modes.json) a CMIS application runs, from its media interface
 * code (SFF-8024 SMF media interface IDs: 3Eh/3Fh 400ZR, 6Ch-6Eh 800ZR-A/B/C, the OpenZR+
 * codes with their HA/HB variants, the OpenROADM FlexO codes 64h-6Bh), or NULL for a code with
 * no coherent line mode. A static string. The same table lists a module's line modes
 * (lb_module_list_line_modes, hal/coherent/mode_table.c); the emulated coherent link and
 * `lbctl link` use it too.
 */
LB_API const char *lb_line_mode_for_media_id(uint8_t media_id);
/** Load a path file (link/paths/ *.json); same codes and message as above. */
LB_API int lb_link_path_load(const char *file, struct lb_link_path *out, char *err, size_t err_len);

LB_END_DECLS
#endif
