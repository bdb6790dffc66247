/* SPDX-License-Identifier: MIT */
/*
 * The link model: path -> OSNR (ASE, GN-model NLI, Tx), penalties, SNR, BER, FEC, CD, DGD,
 * Rx power, latency, margin, limiting factor, energy per bit (optics-physics.md §2-§9).
 * Computation only: no I/O, no allocation.
 */
#include <math.h>
#include <string.h>
#include "link_internal.h"

/* ---------------------------------------------------------------- names */

LB_API const char *lb_link_format_name(enum lb_link_format format)
{
	switch (format) {
	case LB_LINK_FORMAT_DP_QPSK: return "DP-QPSK";
	case LB_LINK_FORMAT_DP_8QAM: return "DP-8QAM";
	case LB_LINK_FORMAT_DP_16QAM: return "DP-16QAM";
	case LB_LINK_FORMAT_DP_64QAM: return "DP-64QAM";
	case LB_LINK_FORMAT_PCS: return "PCS";
	}
	return "unknown";
}

LB_API const char *lb_link_limit_name(enum lb_link_limit limit)
{
	switch (limit) {
	case LB_LINK_LIMIT_OSNR: return "osnr";
	case LB_LINK_LIMIT_CD: return "cd";
	case LB_LINK_LIMIT_DGD: return "dgd";
	case LB_LINK_LIMIT_PDL: return "pdl";
	case LB_LINK_LIMIT_RX_POWER: return "rx_power";
	case LB_LINK_LIMIT_ENDS: return "ends";
	}
	return "unknown";
}

LB_API const char *lb_link_state_name(enum lb_link_state state)
{
	switch (state) {
	case LB_LINK_STATE_UP: return "up";
	case LB_LINK_STATE_LOS: return "los";
	case LB_LINK_STATE_NO_LOCK: return "no_lock";
	}
	return "unknown";
}

LB_API const char *lb_link_launch_clamp_name(enum lb_link_launch_clamp clamp)
{
	switch (clamp) {
	case LB_LINK_CLAMP_NONE: return "none";
	case LB_LINK_CLAMP_MIN: return "min";
	case LB_LINK_CLAMP_MAX: return "max";
	case LB_LINK_CLAMP_AMP_OUTPUT: return "amp_output";
	}
	return "unknown";
}

LB_API const char *lb_link_fec_state_name(enum lb_link_fec_state state)
{
	switch (state) {
	case LB_LINK_FEC_CLEAN: return "clean";
	case LB_LINK_FEC_ERRORED: return "errored";
	case LB_LINK_FEC_NONE: return "none";
	}
	return "unknown";
}

/* ---------------------------------------------------------------- building */

LB_API void lb_link_span_init(struct lb_link_span *span, double length_km)
{
	if (!span)
		return;
	memset(span, 0, sizeof(*span));
	span->length_km = length_km;
	span->loss_db_per_km = 0.20;
	span->connector_loss_db = 1.0;
	span->dispersion_ps_nm_km = 16.7;
	span->dispersion_slope_ps_nm2_km = 0.0;
	span->pmd_ps_sqrt_km = 0.04;
	span->group_index = 1.4682;
	span->gamma_per_w_km = 1.27;
	span->amplified = true;
	span->amp_nf_db = 5.0;
	span->amp_gain_db = 0.0;
}

static bool in_range(double v, double lo, double hi)
{
	return isfinite(v) && v >= lo && v <= hi;
}

LB_API int lb_link_path_set_uniform(struct lb_link_path *path, double distance_km,
				    unsigned span_count)
{
	if (!path || !isfinite(distance_km))
		return LB_E_INVAL;
	if (!(distance_km > 0.0) || span_count == 0 || span_count > LB_LINK_MAX_SPANS)
		return LB_E_RANGE;
	double len = distance_km / span_count;
	if (len > 300.0)
		return LB_E_RANGE;
	struct lb_link_span tmpl;
	if (path->span_count > 0)
		tmpl = path->spans[0];
	else
		lb_link_span_init(&tmpl, len);
	tmpl.length_km = len;
	for (unsigned i = 0; i < span_count; i++)
		path->spans[i] = tmpl;
	path->span_count = span_count;
	return LB_OK;
}

LB_API int lb_link_path_init(struct lb_link_path *path, double distance_km, unsigned span_count)
{
	if (!path)
		return LB_E_INVAL;
	memset(path, 0, sizeof(*path));
	path->size = sizeof(*path);
	path->frequency_thz = LB_LINK_DEFAULT_FREQ_THZ;
	path->band_ghz = LB_LINK_DEFAULT_BAND_GHZ;
	path->tx_power_dbm = 0.0;
	return lb_link_path_set_uniform(path, distance_km, span_count);
}

LB_API double lb_link_path_length_km(const struct lb_link_path *path)
{
	if (!path)
		return 0.0;
	double l = 0.0;
	for (unsigned i = 0; i < path->span_count && i < LB_LINK_MAX_SPANS; i++)
		l += path->spans[i].length_km;
	return l;
}

static int check_span(const struct lb_link_span *s)
{
	const double v[] = { s->length_km, s->loss_db_per_km, s->connector_loss_db,
			     s->dispersion_ps_nm_km, s->dispersion_slope_ps_nm2_km,
			     s->pmd_ps_sqrt_km, s->group_index, s->gamma_per_w_km,
			     s->amp_nf_db, s->amp_gain_db };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return LB_E_INVAL;
	if (!(s->length_km > 0.0) || s->length_km > 300.0)
		return LB_E_RANGE;
	if (!in_range(s->loss_db_per_km, 0.05, 2.0) || !in_range(s->connector_loss_db, 0.0, 30.0))
		return LB_E_RANGE;
	if (!in_range(fabs(s->dispersion_ps_nm_km), 0.1, 30.0) ||
	    !in_range(s->dispersion_slope_ps_nm2_km, -0.2, 0.2))
		return LB_E_RANGE;
	if (!in_range(s->pmd_ps_sqrt_km, 0.0, 5.0) || !in_range(s->group_index, 1.3, 1.7) ||
	    !in_range(s->gamma_per_w_km, 0.0, 20.0))
		return LB_E_RANGE;
	if (s->amplified &&
	    (!in_range(s->amp_nf_db, 3.0, 20.0) || !in_range(s->amp_gain_db, 0.0, 45.0)))
		return LB_E_RANGE;
	return LB_OK;
}

double lb_link__amp_max_gain_db(const struct lb_link_path *p)
{
	return p->amp_max_gain_db > 0.0 ? p->amp_max_gain_db : LB_LINK_DEFAULT_AMP_MAX_GAIN_DB;
}

double lb_link__amp_max_output_dbm(const struct lb_link_path *p)
{
	return p->amp_max_output_dbm != 0.0 ? p->amp_max_output_dbm
					    : LB_LINK_DEFAULT_AMP_MAX_OUTPUT_DBM;
}

double lb_link__span_loss_db(const struct lb_link_span *s)
{
	return s->loss_db_per_km * s->length_km + s->connector_loss_db;
}

double lb_link__amp_gain_db(const struct lb_link_span *s)
{
	return s->amp_gain_db > 0.0 ? s->amp_gain_db : lb_link__span_loss_db(s);
}

static bool path_sized(const struct lb_link_path *p)
{
	return p && p->size >= LB_LINK_PATH_SIZE_V1;
}

LB_API int lb_link_path_gain_check(const struct lb_link_path *p, unsigned *span, double *gain_db)
{
	if (!path_sized(p))
		return LB_E_INVAL;
	double max = lb_link__amp_max_gain_db(p);
	for (unsigned i = 0; i < p->span_count && i < LB_LINK_MAX_SPANS; i++) {
		const struct lb_link_span *s = &p->spans[i];
		double g = lb_link__amp_gain_db(s);
		if (s->amplified && g > max + 1e-9) {
			if (span)
				*span = i;
			if (gain_db)
				*gain_db = g;
			return LB_E_RANGE;
		}
	}
	return LB_OK;
}

LB_API int lb_link_path_check(const struct lb_link_path *p)
{
	if (!path_sized(p))
		return LB_E_INVAL;
	const double v[] = { p->frequency_thz, p->launch_dbm, p->tx_power_dbm, p->mux_loss_db,
			     p->demux_loss_db, p->booster_nf_db, p->channel_spacing_ghz,
			     p->band_ghz, p->pdl_db, p->amp_max_gain_db, p->amp_max_output_dbm,
			     p->system_margin_db };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return LB_E_INVAL;
	if (p->span_count == 0 || p->span_count > LB_LINK_MAX_SPANS)
		return LB_E_RANGE;
	if (p->frequency_thz != 0.0 && !in_range(p->frequency_thz, 184.0, 200.0))
		return LB_E_RANGE;
	if (!in_range(p->launch_dbm, -20.0, 20.0) || !in_range(p->tx_power_dbm, -30.0, 20.0))
		return LB_E_RANGE;
	if (!in_range(p->mux_loss_db, 0.0, 30.0) || !in_range(p->demux_loss_db, 0.0, 30.0))
		return LB_E_RANGE;
	if (p->booster_nf_db != 0.0 && !in_range(p->booster_nf_db, 3.0, 20.0))
		return LB_E_RANGE;
	if (p->channel_count > 1000 || !in_range(p->pdl_db, 0.0, 20.0))
		return LB_E_RANGE;
	if (p->channel_spacing_ghz != 0.0 && !in_range(p->channel_spacing_ghz, 6.25, 1000.0))
		return LB_E_RANGE;
	if (p->band_ghz != 0.0 && !in_range(p->band_ghz, 12.5, 20000.0))
		return LB_E_RANGE;
	if ((p->amp_max_gain_db != 0.0 && !in_range(p->amp_max_gain_db, 5.0, 45.0)) ||
	    (p->amp_max_output_dbm != 0.0 && !in_range(p->amp_max_output_dbm, 5.0, 35.0)) ||
	    !in_range(p->system_margin_db, 0.0, 20.0))
		return LB_E_RANGE;
	for (unsigned i = 0; i < p->span_count; i++) {
		int rc = check_span(&p->spans[i]);
		if (rc)
			return rc;
	}
	if (lb_link_path_length_km(p) > 40000.0)
		return LB_E_RANGE;
	return lb_link_path_gain_check(p, NULL, NULL);
}

static int check_table(const struct lb_link_penalty_table *t, double xlo, double xhi)
{
	if (t->count > LB_LINK_MAX_POINTS)
		return LB_E_RANGE;
	for (unsigned i = 0; i < t->count; i++) {
		if (!isfinite(t->x[i]) || !isfinite(t->db[i]))
			return LB_E_INVAL;
		if (!in_range(t->x[i], xlo, xhi) || !in_range(t->db[i], 0.0, 30.0))
			return LB_E_RANGE;
		if (i > 0 && !(t->x[i] > t->x[i - 1]))
			return LB_E_RANGE;
	}
	return LB_OK;
}

LB_API int lb_line_mode_check(const struct lb_line_mode *m)
{
	if (!m || m->size < LB_LINE_MODE_SIZE_V1)
		return LB_E_INVAL;
	if (m->format < LB_LINK_FORMAT_DP_QPSK || m->format > LB_LINK_FORMAT_PCS)
		return LB_E_INVAL;
	const double v[] = { m->entropy_bits, m->baud_gbd, m->net_rate_gbps, m->line_rate_gbps,
			     m->fec_threshold_ber, m->req_osnr_db, m->tx_osnr_db, m->snr_b2b_db,
			     m->impl_penalty_db, m->better_than_spec_db, m->dgd_max_ps,
			     m->rx_los_dbm, m->lo_offset_tolerance_ghz, m->slot_ghz, m->width_ghz,
			     m->tx_power_min_dbm, m->tx_power_max_dbm, m->module_power_w,
			     m->reach_km, m->energy_pj_per_bit };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return LB_E_INVAL;
	bool pcs = m->format == LB_LINK_FORMAT_PCS;
	if (pcs && !in_range(m->entropy_bits, 2.0, 6.0))
		return LB_E_RANGE;
	if (!(m->baud_gbd > 0.0) || m->baud_gbd > 300.0)
		return LB_E_RANGE;
	if (!(m->net_rate_gbps > 0.0 || pcs) || !in_range(m->net_rate_gbps, 0.0, 3200.0))
		return LB_E_RANGE;
	if (!in_range(m->line_rate_gbps, 0.0, 4000.0))
		return LB_E_RANGE;
	if (!(m->fec_threshold_ber >= 1e-6) || !(m->fec_threshold_ber <= 0.2))
		return LB_E_RANGE;
	if (!(m->req_osnr_db > 0.0 || pcs) || !in_range(m->req_osnr_db, 0.0, 45.0))
		return LB_E_RANGE;
	if (m->tx_osnr_db != 0.0 && !in_range(m->tx_osnr_db, 10.0, 70.0))
		return LB_E_RANGE;
	if (m->snr_b2b_db != 0.0 && !in_range(m->snr_b2b_db, 5.0, 50.0))
		return LB_E_RANGE;
	if (!in_range(m->impl_penalty_db, -10.0, 15.0) || !in_range(m->better_than_spec_db, 0.0, 5.0))
		return LB_E_RANGE;
	if (!in_range(m->dgd_max_ps, 0.0, 1000.0) || !in_range(m->rx_los_dbm, -60.0, 10.0) ||
	    !in_range(m->lo_offset_tolerance_ghz, 0.0, 50.0))
		return LB_E_RANGE;
	if ((m->slot_ghz != 0.0 && !in_range(m->slot_ghz, 6.25, 1000.0)) ||
	    !in_range(m->width_ghz, 0.0, 1000.0))
		return LB_E_RANGE;
	if (!in_range(m->tx_power_min_dbm, -30.0, 20.0) || !in_range(m->tx_power_max_dbm, -30.0, 20.0))
		return LB_E_RANGE;
	if (!in_range(m->module_power_w, 0.0, 100.0) || !in_range(m->reach_km, 0.0, 40000.0) ||
	    !in_range(m->energy_pj_per_bit, 0.0, 1000.0))
		return LB_E_RANGE;
	int rc;
	if ((rc = check_table(&m->cd_penalty, 0.0, 1e6)) ||
	    (rc = check_table(&m->dgd_penalty, 0.0, 1000.0)) ||
	    (rc = check_table(&m->pdl_penalty, 0.0, 30.0)) ||
	    (rc = check_table(&m->rx_penalty, -60.0, 20.0)))
		return rc;
	/* The format must be able to reach the threshold at all. */
	double a, b;
	lb_link__format_curve(m->format, &a, &b);
	(void)b;
	if (!(m->fec_threshold_ber < a))
		return LB_E_RANGE;
	return LB_OK;
}

/* ---------------------------------------------------------------- physics pieces */

double lb_link__penalty(const struct lb_link_penalty_table *t, double x)
{
	if (t->count == 0)
		return 0.0;
	if (x < t->x[0] || x > t->x[t->count - 1])
		return INFINITY;
	if (t->count == 1)
		return t->db[0];
	for (unsigned i = 1; i < t->count; i++) {
		if (x <= t->x[i]) {
			double f = (x - t->x[i - 1]) / (t->x[i] - t->x[i - 1]);
			return t->db[i - 1] + f * (t->db[i] - t->db[i - 1]);
		}
	}
	return t->db[t->count - 1];
}

double lb_link__dispersion_at(const struct lb_link_span *s, double lambda_nm)
{
	return s->dispersion_ps_nm_km + s->dispersion_slope_ps_nm2_km * (lambda_nm - 1550.0);
}

double lb_link__mode_slot_ghz(const struct lb_line_mode *m)
{
	if (m->slot_ghz > 0.0)
		return m->slot_ghz;
	double w = m->width_ghz > 0.0 ? m->width_ghz : 1.2 * m->baud_gbd;
	return ceil(w / 12.5) * 12.5;
}

double lb_link__eta(double length_km, double loss_db_per_km, double d_ps_nm_km,
		    double gamma_per_w_km, double lambda_m, double baud_hz, double spacing_hz,
		    unsigned channels)
{
	/* §2.4: incoherent GN model, closed form, channel under test in the middle of the load. */
	double alpha = loss_db_per_km / (10.0 * M_LOG10E) / 1e3; /* power attenuation, 1/m */
	double l = length_km * 1e3;
	double leff = (1.0 - exp(-alpha * l)) / alpha;
	double la = 1.0 / alpha;
	double beta2 = fabs(d_ps_nm_km) * 1e-6 * lambda_m * lambda_m / (2.0 * M_PI * LB_LINK_C_M_S);
	double gamma = gamma_per_w_km * 1e-3;
	double k = M_PI * M_PI * beta2 * la;
	double psi0 = leff * leff / (2.0 * M_PI * beta2 * la) * asinh(k / 2.0 * baud_hz * baud_hz);
	double sum = 0.0;
	if (channels > 1) {
		int cut = (int)(channels / 2);
		int lo = -cut, hi = (int)channels - 1 - cut;
		/* Symmetric pairs ±n share ψ_n; count them once with their multiplicity. */
		int nmax = hi > -lo ? hi : -lo;
		for (int n = 1; n <= nmax; n++) {
			int mult = (n <= hi) + (-n >= lo);
			if (!mult)
				continue;
			double f = n * spacing_hz;
			double psin = asinh(k * baud_hz * (f + baud_hz / 2.0)) -
				      asinh(k * baud_hz * (f - baud_hz / 2.0));
			sum += mult * psin;
		}
		sum *= leff * leff / (4.0 * M_PI * beta2 * la);
	}
	return gamma * gamma / (baud_hz * baud_hz) * (16.0 / 27.0 * psi0 + 32.0 / 27.0 * sum);
}

LB_API int lb_link_nli_eta(const struct lb_link_span *span, double frequency_thz, double baud_gbd,
			   double spacing_ghz, unsigned channels, double *eta_per_w2)
{
	if (!span || !eta_per_w2 || !isfinite(frequency_thz) || !isfinite(baud_gbd) ||
	    !isfinite(spacing_ghz))
		return LB_E_INVAL;
	int rc = check_span(span);
	if (rc)
		return rc;
	if (frequency_thz == 0.0)
		frequency_thz = LB_LINK_DEFAULT_FREQ_THZ;
	if (!in_range(frequency_thz, 184.0, 200.0) || !in_range(baud_gbd, 0.1, 300.0) ||
	    channels == 0 || channels > 1000 || (channels > 1 && !(spacing_ghz >= baud_gbd)))
		return LB_E_RANGE;
	double lambda_m = LB_LINK_C_M_S / (frequency_thz * 1e12);
	double d = lb_link__dispersion_at(span, lambda_m * 1e9);
	if (fabs(d) < 0.1)
		return LB_E_RANGE;
	*eta_per_w2 = lb_link__eta(span->length_km, span->loss_db_per_km, d, span->gamma_per_w_km,
				   lambda_m, baud_gbd * 1e9, spacing_ghz * 1e9, channels);
	return LB_OK;
}

/* ---------------------------------------------------------------- the path walk */

/*
 * Everything that does not depend on the launch power: with linear amplifiers every power
 * in the chain is k_i · P_launch, so the ASE noise-to-signal ratio is A / P, the NLI one
 * B · P², and booster + Tx noise are constant (C). Optimum: P³ = A / (2B).
 */
struct walk {
	double a_ase_mw;      /* NSR_ASE(ref bw) = a_ase_mw / P_launch_mw */
	double b_nli_per_mw2; /* NSR_NLI(ref bw) = b_nli_per_mw2 · P_launch_mw² */
	double c_booster;     /* booster NSR (ref bw), launch-independent */
	double c_tx;          /* Tx NSR */
	double k_rx;          /* P_rx(before demux) = k_rx · P_launch */
	double k_out_max;     /* highest amplifier output (the launch is 1), relative to the launch */
	double cd_ps_nm;
	double pmd2_ps2;
	double delay_s;
	double length_km;
	double baud_hz;
	unsigned channels;
};

static int walk_path(const struct lb_link_path *p, const struct lb_line_mode *m, double freq_thz,
		     struct walk *w)
{
	memset(w, 0, sizeof(*w));
	double spacing_ghz = p->channel_spacing_ghz > 0.0 ? p->channel_spacing_ghz
							  : lb_link__mode_slot_ghz(m);
	double band = p->band_ghz > 0.0 ? p->band_ghz : LB_LINK_DEFAULT_BAND_GHZ;
	unsigned channels = p->channel_count;
	if (channels == 0) {
		double n = floor(band / spacing_ghz + 1e-9);
		channels = n < 1.0 ? 1u : (n > 1000.0 ? 1000u : (unsigned)n);
	}
	if (channels > 1 && spacing_ghz < m->baud_gbd)
		return LB_E_RANGE; /* neighbours would overlap the channel */
	w->channels = channels;
	w->baud_hz = m->baud_gbd * 1e9;
	double f_hz = freq_thz * 1e12;
	double lambda_m = LB_LINK_C_M_S / f_hz;
	double lambda_nm = lambda_m * 1e9;
	double hnub_mw = LB_LINK_PLANCK_JS * f_hz * LB_LINK_BREF_HZ * 1e3;
	double ref_over_rs = LB_LINK_BREF_HZ / w->baud_hz;

	double k = 1.0; /* power at the current span input, relative to the launch */
	w->k_out_max = 1.0; /* the booster's output is the launch */
	double eta_mw = 0.0;
	const struct lb_link_span *prev = NULL;
	for (unsigned i = 0; i < p->span_count; i++) {
		const struct lb_link_span *s = &p->spans[i];
		double d = lb_link__dispersion_at(s, lambda_nm);
		if (fabs(d) < 0.1)
			return LB_E_RANGE;
		/* η depends on the fibre and the load only: reuse it along identical spans. */
		if (!prev || prev->length_km != s->length_km ||
		    prev->loss_db_per_km != s->loss_db_per_km ||
		    prev->dispersion_ps_nm_km != s->dispersion_ps_nm_km ||
		    prev->dispersion_slope_ps_nm2_km != s->dispersion_slope_ps_nm2_km ||
		    prev->gamma_per_w_km != s->gamma_per_w_km) {
			eta_mw = s->gamma_per_w_km > 0.0
					 ? lb_link__eta(s->length_km, s->loss_db_per_km, d,
							s->gamma_per_w_km, lambda_m, w->baud_hz,
							spacing_ghz * 1e9, channels) * 1e-6
					 : 0.0;
			prev = s;
		}
		w->b_nli_per_mw2 += eta_mw * k * k * ref_over_rs;
		double k_out = k * lb_link__lin(-lb_link__span_loss_db(s));
		if (s->amplified) {
			w->a_ase_mw += lb_link__lin(s->amp_nf_db) * hnub_mw / k_out;
			k = k_out * lb_link__lin(lb_link__amp_gain_db(s));
			if (k > w->k_out_max)
				w->k_out_max = k;
			/* Gains above the losses, span after span: no launch in range could be
			 * given by an amplifier (and the powers would overflow). */
			if (w->k_out_max > LB_LINK_MAX_RISE)
				return LB_E_RANGE;
		} else {
			k = k_out;
		}
		w->cd_ps_nm += d * s->length_km;
		w->pmd2_ps2 += s->pmd_ps_sqrt_km * s->pmd_ps_sqrt_km * s->length_km;
		w->delay_s += s->length_km * 1e3 * s->group_index / LB_LINK_C_M_S;
		w->length_km += s->length_km;
	}
	w->k_rx = k;
	if (p->booster_nf_db > 0.0)
		w->c_booster = lb_link__lin(p->booster_nf_db) * hnub_mw /
			       lb_link__lin(p->tx_power_dbm - p->mux_loss_db);
	w->c_tx = m->tx_osnr_db > 0.0 ? lb_link__lin(-m->tx_osnr_db) : 0.0;
	return LB_OK;
}

/* The most the amplifiers (booster and line) give each of the load's channels. */
static double walk_launch_max_dbm(const struct lb_link_path *p, const struct walk *w)
{
	return lb_link__amp_max_output_dbm(p) - lb_link__db((double)w->channels) -
	       lb_link__db(w->k_out_max);
}

/* The launch used: the request, or the optimum, clamped as the header says. */
static double walk_launch_dbm(const struct lb_link_path *p, const struct walk *w, bool optimal,
			      double requested, enum lb_link_launch_clamp *clamp)
{
	double cap = walk_launch_max_dbm(p, w);
	double launch = requested;
	*clamp = LB_LINK_CLAMP_NONE;
	if (optimal) {
		if (!(w->b_nli_per_mw2 > 0.0))
			launch = HUGE_VAL;
		else if (!(w->a_ase_mw > 0.0))
			launch = -HUGE_VAL;
		else
			launch = lb_link__db(cbrt(w->a_ase_mw / (2.0 * w->b_nli_per_mw2)));
		if (launch < LB_LINK_LAUNCH_MIN_DBM) {
			launch = LB_LINK_LAUNCH_MIN_DBM;
			*clamp = LB_LINK_CLAMP_MIN;
		} else if (launch > LB_LINK_LAUNCH_MAX_DBM) {
			launch = LB_LINK_LAUNCH_MAX_DBM;
			*clamp = LB_LINK_CLAMP_MAX;
		}
	}
	if (launch > cap + 1e-9) {
		launch = cap;
		*clamp = LB_LINK_CLAMP_AMP_OUTPUT;
	}
	return launch;
}

static double nsr_to_db(double nsr)
{
	if (!(nsr > 0.0))
		return LB_LINK_OSNR_CAP_DB;
	double db = -lb_link__db(nsr);
	return db > LB_LINK_OSNR_CAP_DB ? LB_LINK_OSNR_CAP_DB : db;
}

static int prepare(const struct lb_link_path *path, const struct lb_line_mode *mode,
		   struct lb_line_mode *copy, const struct lb_line_mode **use)
{
	int rc = lb_link_path_check(path);
	if (rc)
		return rc;
	rc = lb_line_mode_check(mode);
	if (rc)
		return rc;
	bool pcs_missing = mode->format == LB_LINK_FORMAT_PCS &&
			   (!(mode->req_osnr_db > 0.0) || !(mode->net_rate_gbps > 0.0));
	if (!mode->impl_penalty_set || pcs_missing) {
		*copy = *mode;
		rc = lb_line_mode_calibrate(copy);
		if (rc)
			return rc;
		*use = copy;
	} else {
		*use = mode;
	}
	return LB_OK;
}

LB_API int lb_link_optimal_launch(const struct lb_link_path *path,
				  const struct lb_line_mode *mode, double *launch_dbm)
{
	if (!path || !mode || !launch_dbm)
		return LB_E_INVAL;
	struct lb_line_mode copy;
	const struct lb_line_mode *m;
	int rc = prepare(path, mode, &copy, &m);
	if (rc)
		return rc;
	struct walk w;
	double f = path->frequency_thz > 0.0 ? path->frequency_thz : LB_LINK_DEFAULT_FREQ_THZ;
	rc = walk_path(path, m, f, &w);
	if (rc)
		return rc;
	enum lb_link_launch_clamp clamp;
	*launch_dbm = walk_launch_dbm(path, &w, true, 0.0, &clamp);
	return LB_OK;
}

/* The "reach factor" of an impairment: by how much the path could grow before it fails. */
static double reach_factor(double limit, double value, double exponent)
{
	if (!(value > 0.0))
		return INFINITY;
	return pow(limit / value, exponent);
}

/* A dark link: no signal figures; the path's own figures and the launch stay. */
static void fill_not_up(struct lb_link_result *r, enum lb_link_state state)
{
	struct lb_link_result keep = *r;
	memset(r, 0, sizeof(*r));
	r->size = keep.size;
	r->state = state;
	r->closes = false;
	r->limited_by = LB_LINK_LIMIT_RX_POWER;
	r->fec_state = LB_LINK_FEC_NONE;
	r->length_km = keep.length_km;
	r->latency_one_way_ms = keep.latency_one_way_ms;
	r->launch_dbm = keep.launch_dbm;
	r->launch_clamp = keep.launch_clamp;
	r->launch_max_dbm = keep.launch_max_dbm;
	r->system_margin_db = keep.system_margin_db;
	r->rx_power_dbm = keep.rx_power_dbm;
	r->net_rate_gbps = keep.net_rate_gbps;
	r->power_per_bit_pj = keep.power_per_bit_pj;
	r->span_count = keep.span_count;
	r->channel_count = keep.channel_count;
	r->cd_ps_nm = keep.cd_ps_nm;
	r->dgd_mean_ps = keep.dgd_mean_ps;
	r->dgd_ps = keep.dgd_ps;
}

static int evaluate_at(const struct lb_link_path *path, const struct lb_line_mode *m,
		       double freq_thz, const struct lb_link_eval_opts *opts,
		       struct lb_link_result *r)
{
	struct walk w;
	int rc = walk_path(path, m, freq_thz, &w);
	if (rc)
		return rc;
	static const struct lb_link_eval_opts defaults;
	if (!opts)
		opts = &defaults;
	double launch;
	switch (opts->launch) {
	case LB_LINK_LAUNCH_PATH:
		launch = path->launch_dbm;
		break;
	case LB_LINK_LAUNCH_GIVEN:
		if (!isfinite(opts->launch_dbm))
			return LB_E_INVAL;
		if (!in_range(opts->launch_dbm, LB_LINK_LAUNCH_MIN_DBM, LB_LINK_LAUNCH_MAX_DBM))
			return LB_E_RANGE;
		launch = opts->launch_dbm;
		break;
	case LB_LINK_LAUNCH_OPTIMAL:
		launch = 0.0;
		break;
	default:
		return LB_E_INVAL;
	}
	if (opts->have_dgd && (!isfinite(opts->dgd_ps) || opts->dgd_ps < 0.0))
		return LB_E_INVAL;

	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	launch = walk_launch_dbm(path, &w, opts->launch == LB_LINK_LAUNCH_OPTIMAL, launch,
				 &r->launch_clamp);
	r->launch_max_dbm = walk_launch_max_dbm(path, &w);
	r->system_margin_db = path->system_margin_db;
	r->launch_dbm = launch;
	r->length_km = w.length_km;
	r->span_count = path->span_count;
	r->channel_count = w.channels;
	r->latency_one_way_ms = w.delay_s * 1e3;
	r->net_rate_gbps = lb_link__net_rate_gbps(m);
	r->power_per_bit_pj = r->net_rate_gbps > 0.0 ? m->module_power_w * 1e3 / r->net_rate_gbps : 0.0;
	double p_mw = lb_link__lin(launch);
	r->rx_power_dbm = lb_link__db(p_mw * w.k_rx) - path->demux_loss_db;
	if (r->rx_power_dbm < LB_LINK_NO_SIGNAL_DBM)
		r->rx_power_dbm = LB_LINK_NO_SIGNAL_DBM;
	r->cd_ps_nm = w.cd_ps_nm;
	r->dgd_mean_ps = sqrt(w.pmd2_ps2);
	r->dgd_ps = opts->have_dgd ? opts->dgd_ps : r->dgd_mean_ps;
	if (r->rx_power_dbm < m->rx_los_dbm) {
		fill_not_up(r, LB_LINK_STATE_LOS);
		return LB_OK;
	}
	r->state = LB_LINK_STATE_UP;

	/* OSNR (§2.3, §2.4): add noise-to-signal ratios. */
	double nsr_ase = w.a_ase_mw / p_mw + w.c_booster;
	double nsr_nli = w.b_nli_per_mw2 * p_mw * p_mw;
	double nsr_tot = nsr_ase + nsr_nli + w.c_tx;
	r->osnr_ase_db = nsr_to_db(nsr_ase);
	r->osnr_nli_db = nsr_to_db(nsr_nli);
	r->osnr_db = nsr_to_db(nsr_tot);

	/* Impairments (§1.2, §5, §6, §8). */
	double pen_cd = lb_link__penalty(&m->cd_penalty, fabs(r->cd_ps_nm));
	double pen_dgd = lb_link__penalty(&m->dgd_penalty, r->dgd_mean_ps);
	double pen_pdl = lb_link__penalty(&m->pdl_penalty, path->pdl_db);
	double pen_rx = lb_link__penalty(&m->rx_penalty, r->rx_power_dbm);
	if (!isfinite(pen_cd))
		r->out_of_range |= LB_LINK_OOR_CD;
	else
		r->penalty_cd_db = pen_cd;
	if (!isfinite(pen_dgd) || (m->dgd_max_ps > 0.0 && r->dgd_ps > m->dgd_max_ps))
		r->out_of_range |= LB_LINK_OOR_DGD;
	if (isfinite(pen_dgd))
		r->penalty_dgd_db = pen_dgd;
	if (!isfinite(pen_pdl))
		r->out_of_range |= LB_LINK_OOR_PDL;
	else
		r->penalty_pdl_db = pen_pdl;
	if (!isfinite(pen_rx))
		r->out_of_range |= LB_LINK_OOR_RX_POWER;
	else
		r->penalty_rx_db = pen_rx;
	r->penalty_db = r->penalty_cd_db + r->penalty_dgd_db + r->penalty_pdl_db + r->penalty_rx_db;

	/* OSNR -> SNR -> ceiling -> decoder (§3, §3.1). */
	double rs_db = lb_link__db(m->baud_gbd / 12.5);
	double osnr_eff = r->osnr_db - r->penalty_db;
	r->snr_db = osnr_eff - rs_db;
	r->esnr_db = lb_link__ceiling_db(r->snr_db, m->snr_b2b_db);
	r->snr_dec_db = r->esnr_db - m->impl_penalty_db + m->better_than_spec_db;
	double snr_thr = lb_link__snr_threshold_db(m);
	double a, b;
	lb_link__format_curve(m->format, &a, &b);
	r->pre_fec_ber = a * erfc(sqrt(lb_link__lin(r->snr_dec_db) / b));
	lb_link_ber_to_q_db(r->pre_fec_ber, &r->q_db);

	/* Margin in OSNR: against the OSNR at which this module meets its threshold (equal to the
	 * required OSNR for a calibrated, spec-level module). */
	double esnr_target = snr_thr + m->impl_penalty_db - m->better_than_spec_db;
	if (!(m->snr_b2b_db > 0.0) || esnr_target < m->snr_b2b_db - 1e-9) {
		double snr_line_target = m->snr_b2b_db > 0.0
			? -lb_link__db(lb_link__lin(-esnr_target) - lb_link__lin(-m->snr_b2b_db))
			: esnr_target;
		r->margin_db = osnr_eff - (snr_line_target + rs_db);
	} else {
		r->margin_db = r->esnr_db - esnr_target; /* the ceiling alone is short */
	}

	/* Post-FEC (§4.2). */
	double delta = r->snr_dec_db - snr_thr;
	double frames_per_s = (m->line_rate_gbps > 0.0 ? m->line_rate_gbps : r->net_rate_gbps) * 1e9 /
			      LB_LINK_RS_FRAME_BITS;
	if (r->out_of_range) {
		r->fec_state = LB_LINK_FEC_ERRORED;
		r->post_fec_ber = r->pre_fec_ber > 0.0 ? r->pre_fec_ber : 0.5;
		r->uncorrectable_frames_per_s = frames_per_s;
	} else if (delta >= 0.0) {
		r->fec_state = LB_LINK_FEC_CLEAN;
		r->post_fec_ber = 0.0;
		r->uncorrectable_frames_per_s = 0.0;
	} else {
		double lg = LB_LINK_POST_FEC_FLOOR_LOG10 + LB_LINK_WATERFALL_DECADES_PER_DB * -delta;
		double lpre = r->pre_fec_ber > 0.0 ? log10(r->pre_fec_ber) : lg;
		if (lpre < lg)
			lg = lpre;
		r->fec_state = LB_LINK_FEC_ERRORED;
		r->post_fec_ber = pow(10.0, lg);
		double pfail = r->post_fec_ber * LB_LINK_RS_FRAME_BITS / LB_LINK_RS_T;
		r->uncorrectable_frames_per_s = frames_per_s * (pfail > 1.0 ? 1.0 : pfail);
	}
	r->closes = !r->out_of_range && r->margin_db >= r->system_margin_db &&
		    r->fec_state == LB_LINK_FEC_CLEAN;

	/* What fails first as the path grows (or what has failed). */
	double f_osnr = pow(10.0, (r->margin_db - r->system_margin_db) / 10.0);
	double f_cd = m->cd_penalty.count
			      ? reach_factor(m->cd_penalty.x[m->cd_penalty.count - 1], fabs(r->cd_ps_nm), 1.0)
			      : INFINITY;
	double f_dgd = m->dgd_penalty.count
			       ? reach_factor(m->dgd_penalty.x[m->dgd_penalty.count - 1], r->dgd_mean_ps, 2.0)
			       : INFINITY;
	if (m->dgd_max_ps > 0.0 && r->dgd_ps > m->dgd_max_ps) {
		double f = reach_factor(m->dgd_max_ps, r->dgd_ps, 2.0);
		if (f < f_dgd)
			f_dgd = f;
	}
	/* Out of tolerance, no OSNR makes up for it: the impairment is what limits. */
	if (r->out_of_range)
		f_osnr = INFINITY;
	double f_pdl = (r->out_of_range & LB_LINK_OOR_PDL) ? 0.0 : INFINITY;
	double f_rx = (r->out_of_range & LB_LINK_OOR_RX_POWER) ? 0.0 : INFINITY;
	r->limited_by = LB_LINK_LIMIT_OSNR;
	double best = isfinite(f_osnr) ? f_osnr : HUGE_VAL;
	if (f_cd < best) {
		best = f_cd;
		r->limited_by = LB_LINK_LIMIT_CD;
	}
	if (f_dgd < best) {
		best = f_dgd;
		r->limited_by = LB_LINK_LIMIT_DGD;
	}
	if (f_pdl < best) {
		best = f_pdl;
		r->limited_by = LB_LINK_LIMIT_PDL;
	}
	if (f_rx < best)
		r->limited_by = LB_LINK_LIMIT_RX_POWER;
	return LB_OK;
}

/* The caller's sized result: refused below the first layout (nothing written). */
static bool result_sized(const struct lb_link_result *out)
{
	size_t n;
	if (!out)
		return false;
	memcpy(&n, out, sizeof(n));
	return n >= LB_LINK_RESULT_SIZE_V1;
}

/* Our full result into the caller's: its size, at most ours, and that many bytes. */
static void result_fill(struct lb_link_result *out, const struct lb_link_result *full)
{
	size_t n;
	memcpy(&n, out, sizeof(n));
	if (n > sizeof(*full))
		n = sizeof(*full);
	memcpy(out, full, n);
	memcpy(out, &n, sizeof(n));
}

LB_API int lb_link_evaluate(const struct lb_link_path *path, const struct lb_line_mode *mode,
			    const struct lb_link_eval_opts *opts, struct lb_link_result *out)
{
	if (!path || !mode || !result_sized(out))
		return LB_E_INVAL;
	struct lb_line_mode copy;
	const struct lb_line_mode *m;
	int rc = prepare(path, mode, &copy, &m);
	if (rc)
		return rc;
	double f = path->frequency_thz > 0.0 ? path->frequency_thz : LB_LINK_DEFAULT_FREQ_THZ;
	struct lb_link_result full;
	rc = evaluate_at(path, m, f, opts, &full);
	if (rc == LB_OK)
		result_fill(out, &full);
	return rc;
}

/* ---------------------------------------------------------------- two ends */

static bool same_mode(const struct lb_line_mode *a, const struct lb_line_mode *b)
{
	if (a == b)
		return true;
	if (a->format != b->format || strcmp(a->fec, b->fec) != 0)
		return false;
	if (fabs(a->baud_gbd - b->baud_gbd) > 1e-6 * a->baud_gbd)
		return false;
	if (a->format == LB_LINK_FORMAT_PCS && fabs(a->entropy_bits - b->entropy_bits) > 1e-6)
		return false;
	if (fabs(lb_link__net_rate_gbps(a) - lb_link__net_rate_gbps(b)) > 1e-6 * lb_link__net_rate_gbps(a))
		return false;
	return true;
}

LB_API int lb_link_ends_check(const struct lb_link_end *tx, const struct lb_link_end *rx,
			      enum lb_link_state *state)
{
	if (!tx || !rx || !state || !tx->mode || !rx->mode)
		return LB_E_INVAL;
	if (!isfinite(tx->frequency_thz) || !isfinite(rx->frequency_thz))
		return LB_E_INVAL;
	if (!in_range(tx->frequency_thz, 184.0, 200.0) || !in_range(rx->frequency_thz, 184.0, 200.0))
		return LB_E_RANGE;
	int rc = lb_line_mode_check(tx->mode);
	if (rc || (rc = lb_line_mode_check(rx->mode)))
		return rc;
	double df_ghz = fabs(tx->frequency_thz - rx->frequency_thz) * 1e3;
	double tol = rx->mode->lo_offset_tolerance_ghz > 0.0 ? rx->mode->lo_offset_tolerance_ghz
							     : LB_LINK_DEFAULT_LO_TOL_GHZ;
	if (!tx->tx_enabled || df_ghz > lb_link__mode_slot_ghz(rx->mode) / 2.0)
		*state = LB_LINK_STATE_LOS;
	else if (df_ghz > tol || !same_mode(tx->mode, rx->mode))
		*state = LB_LINK_STATE_NO_LOCK;
	else
		*state = LB_LINK_STATE_UP;
	return LB_OK;
}

LB_API int lb_link_evaluate_ends(const struct lb_link_path *path, const struct lb_link_end *tx,
				 const struct lb_link_end *rx, const struct lb_link_eval_opts *opts,
				 struct lb_link_result *out)
{
	if (!path || !result_sized(out))
		return LB_E_INVAL;
	enum lb_link_state state;
	int rc = lb_link_ends_check(tx, rx, &state);
	if (rc)
		return rc;
	struct lb_line_mode copy;
	const struct lb_line_mode *m;
	rc = prepare(path, tx->mode, &copy, &m);
	if (rc)
		return rc;
	struct lb_link_result full;
	rc = evaluate_at(path, m, tx->frequency_thz, opts, &full);
	if (rc)
		return rc;
	if (state != LB_LINK_STATE_UP) {
		/* The light (or none) arrives, but the receiver makes nothing of it. */
		if (state == LB_LINK_STATE_LOS)
			full.rx_power_dbm = LB_LINK_NO_SIGNAL_DBM;
		fill_not_up(&full, state);
		full.limited_by = LB_LINK_LIMIT_ENDS;
	}
	result_fill(out, &full);
	return LB_OK;
}
