/* SPDX-License-Identifier: MIT */
/*
 * SNR -> BER for the coherent formats, its inverse, Q factor, the PCS entropy approximation
 * and the calibration of a mode's implementation penalty (optics-physics.md §3.1, §4).
 */
#include <math.h>
#include <string.h>
#include "link_internal.h"

double lb_link__erfcinv(double y)
{
	if (!(y > 0.0))
		return INFINITY;
	if (!(y < 2.0))
		return -INFINITY;
	if (y == 1.0)
		return 0.0;
	/* erfcinv(y) = -erfcinv(2 - y): work on t in (0, 1). */
	int neg = y > 1.0;
	double t = neg ? 2.0 - y : y;
	if (t < 1e-10) {
		/* Deep tail: asymptotic guess from erfc(x) ≈ e^(−x²)/(x√π), then Newton on
		 * ln erfc(x) − ln t, which stays well-behaved where erfc(x) is tiny. */
		double lt = log(t);
		double x = sqrt(-lt);
		x = sqrt(-lt - log(x * sqrt(M_PI)));
		for (int i = 0; i < 20; i++) {
			double e = erfc(x);
			if (!(e > 0.0))
				break;
			double g = log(e) - lt;
			double dg = -M_2_SQRTPI * exp(-x * x) / e;
			double step = g / dg;
			x -= step;
			if (fabs(step) <= 1e-15 * x)
				break;
		}
		return neg ? -x : x;
	}
	/* Initial guess: Giles' single-precision erfinv(1 - t), w computed without cancellation. */
	double w = -log(t * (2.0 - t));
	double p;
	if (w < 5.0) {
		w -= 2.5;
		p = 2.81022636e-08;
		p = 3.43273939e-07 + p * w;
		p = -3.5233877e-06 + p * w;
		p = -4.39150654e-06 + p * w;
		p = 0.00021858087 + p * w;
		p = -0.00125372503 + p * w;
		p = -0.00417768164 + p * w;
		p = 0.246640727 + p * w;
		p = 1.50140941 + p * w;
	} else {
		w = sqrt(w) - 3.0;
		p = -0.000200214257;
		p = 0.000100950558 + p * w;
		p = 0.00134934322 + p * w;
		p = -0.00367342844 + p * w;
		p = 0.00573950773 + p * w;
		p = -0.0076224613 + p * w;
		p = 0.00943887047 + p * w;
		p = 1.00167406 + p * w;
		p = 2.83297682 + p * w;
	}
	double x = p * (1.0 - t);
	/* Halley steps on f(x) = erfc(x) - t: f' = -2/√π·e^(-x²), f''/f' = -2x. */
	for (int i = 0; i < 8; i++) {
		double d = -M_2_SQRTPI * exp(-x * x);
		if (d == 0.0)
			break;
		double u = (erfc(x) - t) / d;
		double step = u / (1.0 + x * u);
		x -= step;
		if (fabs(step) <= 1e-15 * fabs(x))
			break;
	}
	return neg ? -x : x;
}

void lb_link__format_curve(enum lb_link_format f, double *a, double *b)
{
	switch (f) {
	case LB_LINK_FORMAT_DP_QPSK: /* 0.5·erfc(sqrt(SNR/2)), exact */
		*a = 0.5;
		*b = 2.0;
		return;
	case LB_LINK_FORMAT_DP_8QAM: /* 4x2 rectangular, Gray */
		*a = 5.0 / 12.0;
		*b = 6.0;
		return;
	case LB_LINK_FORMAT_DP_64QAM:
		*a = 7.0 / 24.0;
		*b = 42.0;
		return;
	case LB_LINK_FORMAT_DP_16QAM:
	case LB_LINK_FORMAT_PCS: /* the 16QAM curve as a shape, anchored by Δ_impl */
	default:
		*a = 3.0 / 8.0;
		*b = 10.0;
		return;
	}
}

static bool format_valid(enum lb_link_format f)
{
	return f >= LB_LINK_FORMAT_DP_QPSK && f <= LB_LINK_FORMAT_PCS;
}

LB_API int lb_link_format_ber(enum lb_link_format format, double snr_db, double *ber)
{
	if (!ber || !format_valid(format) || !isfinite(snr_db))
		return LB_E_INVAL;
	double a, b;
	lb_link__format_curve(format, &a, &b);
	*ber = a * erfc(sqrt(lb_link__lin(snr_db) / b));
	return LB_OK;
}

LB_API int lb_link_format_snr_at_ber(enum lb_link_format format, double ber, double *snr_db)
{
	if (!snr_db || !format_valid(format) || !isfinite(ber))
		return LB_E_INVAL;
	double a, b;
	lb_link__format_curve(format, &a, &b);
	if (!(ber > 0.0) || !(ber < a))
		return LB_E_RANGE;
	double x = lb_link__erfcinv(ber / a);
	if (!(x > 0.0) || !isfinite(x))
		return LB_E_RANGE;
	*snr_db = lb_link__db(b * x * x);
	return LB_OK;
}

LB_API int lb_link_ber_to_q_db(double ber, double *q_db)
{
	if (!q_db || !isfinite(ber) || ber < 0.0)
		return LB_E_INVAL;
	if (ber >= 0.5) {
		*q_db = 0.0;
		return LB_OK;
	}
	if (ber < 1e-300)
		ber = 1e-300; /* cap: Q ≈ 31 dB */
	double q = M_SQRT2 * lb_link__erfcinv(2.0 * ber);
	*q_db = q > 0.0 ? 20.0 * log10(q) : 0.0;
	return LB_OK;
}

LB_API int lb_link_pcs_req_snr_db(double entropy_bits, double *snr_db)
{
	if (!snr_db || !isfinite(entropy_bits))
		return LB_E_INVAL;
	if (entropy_bits < 2.0 || entropy_bits > 6.0)
		return LB_E_RANGE;
	/* Fit to the OpenROADM oFEC anchors (§4.4); above H = 4 an extrapolated PCS-64QAM line. */
	if (entropy_bits <= 4.0)
		*snr_db = 7.44 + 4.90 * (entropy_bits - 2.0);
	else
		*snr_db = 17.24 + 2.9 * (entropy_bits - 4.0);
	return LB_OK;
}

LB_API int lb_link_pcs_net_rate_gbps(double entropy_bits, double baud_gbd, double *rate_gbps)
{
	if (!rate_gbps || !isfinite(entropy_bits) || !isfinite(baud_gbd))
		return LB_E_INVAL;
	if (entropy_bits < 2.0 || entropy_bits > 6.0 || !(baud_gbd > 0.0))
		return LB_E_RANGE;
	*rate_gbps = 2.0 * baud_gbd * entropy_bits * LB_LINK_PCS_RATE_FACTOR;
	return LB_OK;
}

double lb_link__req_osnr_db(const struct lb_line_mode *m)
{
	if (m->req_osnr_db > 0.0 || m->format != LB_LINK_FORMAT_PCS)
		return m->req_osnr_db;
	double snr = 0.0;
	if (lb_link_pcs_req_snr_db(m->entropy_bits, &snr))
		return 0.0;
	return snr + lb_link__db(m->baud_gbd / 12.5);
}

double lb_link__net_rate_gbps(const struct lb_line_mode *m)
{
	if (m->net_rate_gbps > 0.0 || m->format != LB_LINK_FORMAT_PCS)
		return m->net_rate_gbps;
	double r = 0.0;
	if (lb_link_pcs_net_rate_gbps(m->entropy_bits, m->baud_gbd, &r))
		return 0.0;
	return r;
}

double lb_link__snr_threshold_db(const struct lb_line_mode *m)
{
	double snr = 0.0;
	if (lb_link_format_snr_at_ber(m->format, m->fec_threshold_ber, &snr))
		return 0.0;
	return snr;
}

double lb_link__ceiling_db(double snr_db, double b2b_db)
{
	if (!(b2b_db > 0.0))
		return snr_db;
	return -lb_link__db(lb_link__lin(-snr_db) + lb_link__lin(-b2b_db));
}

LB_API int lb_line_mode_calibrate(struct lb_line_mode *mode)
{
	int rc = lb_line_mode_check(mode);
	if (rc)
		return rc;
	if (mode->format == LB_LINK_FORMAT_PCS) {
		if (!(mode->req_osnr_db > 0.0))
			mode->req_osnr_db = lb_link__req_osnr_db(mode);
		if (!(mode->net_rate_gbps > 0.0))
			mode->net_rate_gbps = lb_link__net_rate_gbps(mode);
	}
	if (!mode->impl_penalty_set) {
		double snr_line_req = mode->req_osnr_db - lb_link__db(mode->baud_gbd / 12.5);
		double eff = lb_link__ceiling_db(snr_line_req, mode->snr_b2b_db);
		mode->impl_penalty_db = eff - lb_link__snr_threshold_db(mode);
		mode->impl_penalty_set = true;
	}
	if (!(mode->energy_pj_per_bit > 0.0) && mode->module_power_w > 0.0 && mode->net_rate_gbps > 0.0)
		mode->energy_pj_per_bit = mode->module_power_w * 1e3 / mode->net_rate_gbps;
	return LB_OK;
}
