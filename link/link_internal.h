/* SPDX-License-Identifier: MIT */
/* Internals of the link model (link/): computation only, no I/O. Not public. */
#ifndef LB_EMULATOR_LINK_INTERNAL_H
#define LB_EMULATOR_LINK_INTERNAL_H

#include <math.h>
#include <lightbridge/link.h>

/* Physical constants (optics-physics.md §0). */
#define LB_LINK_PLANCK_JS 6.62607015e-34
#define LB_LINK_C_M_S 299792458.0
#define LB_LINK_BREF_HZ 12.5e9             /* OSNR reference bandwidth, 0.1 nm */
#define LB_LINK_DEFAULT_FREQ_THZ 193.4
#define LB_LINK_DEFAULT_BAND_GHZ 4800.0
#define LB_LINK_DEFAULT_LO_TOL_GHZ 3.6
#define LB_LINK_DEFAULT_CORR_TIME_S 1800.0
#define LB_LINK_RS_FRAME_BITS 5440.0       /* RS(544,514)-equivalent frame */
#define LB_LINK_RS_T 16.0                  /* a frame fails beyond t = 15 symbol errors */
#define LB_LINK_POST_FEC_FLOOR_LOG10 (-15.0)
#define LB_LINK_WATERFALL_DECADES_PER_DB 60.0
#define LB_LINK_PCS_RATE_FACTOR 0.846
#define LB_LINK_OSNR_CAP_DB 99.0           /* reported when a noise term is absent */
#define LB_LINK_MAX_RISE 1e6               /* 60 dB: most an amplifier output is above the launch */

static inline double lb_link__lin(double db)
{
	return pow(10.0, db / 10.0);
}

static inline double lb_link__db(double x)
{
	return 10.0 * log10(x);
}

/** erfc⁻¹ for 0 < y < 2 (Giles' initial guess, Halley refinement). */
double lb_link__erfcinv(double y);
/** Linear interpolation in a penalty table; INFINITY outside it; 0 for an empty table. */
double lb_link__penalty(const struct lb_link_penalty_table *t, double x);
/** The BER curve of a format as a·erfc(sqrt(SNR/b)). */
void lb_link__format_curve(enum lb_link_format f, double *a, double *b);
/** Required OSNR of a mode (PCS from the entropy when req_osnr_db is 0). */
double lb_link__req_osnr_db(const struct lb_line_mode *m);
/** Net rate of a mode (PCS from the entropy when net_rate_gbps is 0). */
double lb_link__net_rate_gbps(const struct lb_line_mode *m);
/** Ideal SNR (dB) at which the format's curve meets the mode's threshold. */
double lb_link__snr_threshold_db(const struct lb_line_mode *m);
/** SNR with the back-to-back ceiling: 1/eff = 1/snr + 1/b2b (b2b 0: none). */
double lb_link__ceiling_db(double snr_db, double b2b_db);
/** The grid slot a mode occupies when the path does not fix the spacing. */
double lb_link__mode_slot_ghz(const struct lb_line_mode *m);
/** ψ-sum GN-model η (1/W²) with the reference's closed form; inputs already validated. */
double lb_link__eta(double length_km, double loss_db_per_km, double d_ps_nm_km,
		    double gamma_per_w_km, double lambda_m, double baud_hz, double spacing_hz,
		    unsigned channels);
/** The path's amplifier limits, defaults applied. */
double lb_link__amp_max_gain_db(const struct lb_link_path *p);
double lb_link__amp_max_output_dbm(const struct lb_link_path *p);
/** A span's loss (fibre + lumped) and the gain of its amplifier (the loss unless given). */
double lb_link__span_loss_db(const struct lb_link_span *s);
double lb_link__amp_gain_db(const struct lb_link_span *s);
/** D at wavelength λ (nm) from D at 1550 nm and the slope. */
double lb_link__dispersion_at(const struct lb_link_span *s, double lambda_nm);

#endif
