/* SPDX-License-Identifier: MIT */
/*
 * The link model against the reference (../shared/reference/optics-physics.md): every worked
 * example and quick check of §10, plus the tables of §1.3, §2.4, §3, §4, §5, §6 and §7 that
 * the model reproduces. Tolerances: ±0.05 dB on dB values, ±5 % on BER.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/link.h>

#define DB_TOL 0.05

static void near_db(double got, double want, const char *what)
{
	if (!(fabs(got - want) <= DB_TOL)) {
		print_error("%s: got %.4f, want %.4f (±%.2f)\n", what, got, want, DB_TOL);
		fail();
	}
}

static void near_rel(double got, double want, double rel, const char *what)
{
	if (!(fabs(got - want) <= rel * fabs(want))) {
		print_error("%s: got %.4g, want %.4g (±%.0f %%)\n", what, got, want, rel * 100.0);
		fail();
	}
}

static void near_ber(double got, double want, const char *what)
{
	near_rel(got, want, 0.05, what);
}

/* ---------------------------------------------------------------- modes of the reference */

static void table2(struct lb_link_penalty_table *t, double x0, double y0, double x1, double y1)
{
	memset(t, 0, sizeof(*t));
	t->count = 2;
	t->x[0] = x0, t->db[0] = y0;
	t->x[1] = x1, t->db[1] = y1;
}

static void table3(struct lb_link_penalty_table *t, double x0, double y0, double x1, double y1,
		   double x2, double y2)
{
	table2(t, x0, y0, x1, y1);
	t->count = 3;
	t->x[2] = x2, t->db[2] = y2;
}

static struct lb_line_mode base_mode(const char *id, enum lb_link_format f, double baud,
				     double rate, double req, double slot)
{
	struct lb_line_mode m = LB_LINE_MODE_INIT;
	snprintf(m.id, sizeof(m.id), "%s", id);
	snprintf(m.fec, sizeof(m.fec), "oFEC");
	m.format = f;
	m.baud_gbd = baud;
	m.net_rate_gbps = rate;
	m.req_osnr_db = req;
	m.fec_threshold_ber = 2.0e-2;
	m.slot_ghz = slot;
	m.rx_los_dbm = -30.0;
	return m;
}

/* OpenROADM oFEC modes: Tx OSNR 37, ceiling 19 dB, CD 0 dB to 4,000 then 0.5 dB at tolerance. */
static struct lb_line_mode openroadm(const char *id, enum lb_link_format f, double baud, double rate,
				     double req, double cd_tol, double slot, double entropy)
{
	struct lb_line_mode m = base_mode(id, f, baud, rate, req, slot);
	m.entropy_bits = entropy;
	m.tx_osnr_db = 37.0;
	m.snr_b2b_db = 19.0;
	table3(&m.cd_penalty, 0, 0, 4000, 0, cd_tol, 0.5);
	table3(&m.dgd_penalty, 0, 0, 10, 0, 20, 0.5);
	m.module_power_w = 30.0;
	return m;
}

/* OpenZR+ modes: Tx OSNR 34, ceiling 20 dB, CD 0 → 0 and tolerance → 0.5 dB; mean DGD with
 * the OpenROADM shape (0 dB to half the 20 ps tolerance), so realistic fibre costs nothing. */
static struct lb_line_mode openzr(const char *id, enum lb_link_format f, double baud, double rate,
				  double req, double cd_tol, double slot)
{
	struct lb_line_mode m = base_mode(id, f, baud, rate, req, slot);
	m.tx_osnr_db = 34.0;
	m.snr_b2b_db = 20.0;
	table2(&m.cd_penalty, 0, 0, cd_tol, 0.5);
	table3(&m.dgd_penalty, 0, 0, 10, 0, 20, 0.5);
	m.module_power_w = 21.0;
	return m;
}

#define RS60 60.138546798
#define RS80 80.18472906
#define RS30 30.069273399

static struct lb_line_mode m_800g_16qam(void)
{
	return openroadm("800g-16qam-118", LB_LINK_FORMAT_DP_16QAM, 118.2, 800, 27.0, 12000, 150, 0);
}
static struct lb_line_mode m_800g_pcs_e(void)
{
	return openroadm("800g-pcs-131-e", LB_LINK_FORMAT_PCS, 131.3, 800, 25.1, 20000, 162.5, 3.6);
}
static struct lb_line_mode m_800g_pcs_m(void)
{
	return openroadm("800g-pcs-131-m", LB_LINK_FORMAT_PCS, 131.4, 800, 26.1, 20000, 162.5, 3.6);
}
static struct lb_line_mode m_600g_pcs(void)
{
	return openroadm("600g-pcs-118", LB_LINK_FORMAT_PCS, 118.8, 600, 21.8, 22000, 150, 3.0);
}
static struct lb_line_mode m_400g_qpsk(void)
{
	return openroadm("400g-qpsk-118", LB_LINK_FORMAT_DP_QPSK, 118.2, 400, 17.2, 24000, 150, 0);
}
static struct lb_line_mode m_zr400_16qam(void)
{
	return openzr("openzr+-400g-16qam", LB_LINK_FORMAT_DP_16QAM, RS60, 400, 24.0, 20000, 75);
}
static struct lb_line_mode m_zr400_8qam(void)
{
	return openzr("openzr+-400g-8qam", LB_LINK_FORMAT_DP_8QAM, RS80, 400, 22.5, 30000, 100);
}
static struct lb_line_mode m_zr300(void)
{
	return openzr("openzr+-300g", LB_LINK_FORMAT_DP_8QAM, RS60, 300, 21.0, 40000, 75);
}
static struct lb_line_mode m_zr200(void)
{
	return openzr("openzr+-200g", LB_LINK_FORMAT_DP_QPSK, RS60, 200, 16.0, 50000, 75);
}
static struct lb_line_mode m_zr100(void)
{
	return openzr("openzr+-100g", LB_LINK_FORMAT_DP_QPSK, RS30, 100, 12.5, 100000, 50);
}
static struct lb_line_mode m_400zr(void)
{
	struct lb_line_mode m =
		openzr("400zr", LB_LINK_FORMAT_DP_16QAM, 59.84375, 400, 26.0, 2400, 75);
	m.fec_threshold_ber = 1.25e-2;
	snprintf(m.fec, sizeof(m.fec), "CFEC");
	m.module_power_w = 15.0;
	return m;
}

/* The §10 path: n spans of 83.33 km (0.20 dB/km + 1.0 dB), NF 5, D 16.7, 193.4 THz. */
static struct lb_link_path path_of(double km, unsigned spans, double launch_dbm)
{
	struct lb_link_path p;
	assert_int_equal(lb_link_path_init(&p, km, spans), LB_OK);
	p.launch_dbm = launch_dbm;
	p.demux_loss_db = 5.0;
	return p;
}

static struct lb_link_result eval_at(const struct lb_link_path *p, const struct lb_line_mode *m,
				     double launch_dbm)
{
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_GIVEN, .launch_dbm = launch_dbm };
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(p, m, &o, &r), LB_OK);
	return r;
}

/* ---------------------------------------------------------------- §0, §2.3 and §10.3 */

static void test_ase_constant(void **state)
{
	(void)state;
	/* §10.3: OSNR_ASE(1 span, P = 0, L = 20 dB, NF = 5) = 57.95 − 25 = 32.95 dB. */
	struct lb_link_path p = path_of(95.0, 1, 0.0); /* 0.2·95 + 1 = 20 dB */
	p.spans[0].gamma_per_w_km = 0.0;
	struct lb_line_mode m = m_800g_16qam();
	m.tx_osnr_db = 0.0;
	struct lb_link_result r = eval_at(&p, &m, 0.0);
	near_db(r.osnr_ase_db, 32.95, "OSNR_ASE at 193.4 THz");
	near_db(r.osnr_db, 32.95, "no NLI, no Tx noise");
	/* §0: hν·B_ref is −58.00 dBm at 191.3 THz and −57.89 dBm at 196.1 THz. */
	p.frequency_thz = 191.3;
	near_db(eval_at(&p, &m, 0.0).osnr_ase_db, 33.00, "OSNR_ASE at 191.3 THz");
	p.frequency_thz = 196.1;
	near_db(eval_at(&p, &m, 0.0).osnr_ase_db, 32.89, "OSNR_ASE at 196.1 THz");
	/* §2.3: N identical spans: −10·log10(N). */
	struct lb_link_path p6 = path_of(6 * 95.0, 6, 3.0);
	for (unsigned i = 0; i < 6; i++)
		p6.spans[i].gamma_per_w_km = 0.0;
	near_db(eval_at(&p6, &m, 3.0).osnr_ase_db, 57.95 + 3.0 - 20.0 - 5.0 - 10.0 * log10(6.0),
		"OSNR_ASE of 6 spans");
	/* §2.3: a booster fed by a −10 dBm pluggable with NF 5: 58 − 10 − 5 ≈ 43 dB. */
	struct lb_link_path pb = path_of(95.0, 1, 0.0);
	pb.spans[0].amplified = false;
	pb.spans[0].gamma_per_w_km = 0.0;
	pb.booster_nf_db = 5.0;
	pb.tx_power_dbm = -10.0;
	pb.demux_loss_db = 0.0;
	near_db(eval_at(&pb, &m, 0.0).osnr_ase_db, 42.95, "booster OSNR");
}

/* ---------------------------------------------------------------- §2.4 */

static double eta_of(double span_km, double baud, double spacing, unsigned n)
{
	struct lb_link_span s;
	lb_link_span_init(&s, span_km);
	double eta = 0.0;
	assert_int_equal(lb_link_nli_eta(&s, 193.4, baud, spacing, n, &eta), LB_OK);
	return eta;
}

static void test_nli_eta_table(void **state)
{
	(void)state;
	static const struct {
		double baud, spacing;
		unsigned n;
		double eta80, eta100, eta_db80;
	} rows[] = {
		{ RS60, 75, 64, 383, 395, -34.2 },
		{ RS60, 100, 48, 300, 310, -35.2 },
		{ 118.2, 150, 32, 101, 104, -40.0 },
		{ 131.3, 162.5, 29, 83, 86, -40.8 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double e80 = eta_of(80, rows[i].baud, rows[i].spacing, rows[i].n);
		double e100 = eta_of(100, rows[i].baud, rows[i].spacing, rows[i].n);
		/* The table gives whole numbers and one decimal in dB. */
		near_rel(e80, rows[i].eta80, 0.006, "eta per 80 km span");
		near_rel(e100, rows[i].eta100, 0.006, "eta per 100 km span");
		near_db(10.0 * log10(e80 * 1e-6), rows[i].eta_db80, "eta dB(1/mW^2)");
	}
	/* §10 common inputs: η at 83.33 km. */
	near_rel(eta_of(500.0 / 6, 118.2, 150, 32), 101.3, 0.002, "eta 118.2 GBd");
	near_rel(eta_of(500.0 / 6, 131.3, 162.5, 29), 83.8, 0.002, "eta 131.3 GBd");
	near_rel(eta_of(500.0 / 6, 118.8, 150, 32), 100.7, 0.002, "eta 118.8 GBd");
	near_rel(eta_of(500.0 / 6, RS60, 75, 64), 385.8, 0.002, "eta 60.14 GBd");
	/* One channel alone: SPM only, smaller. */
	assert_true(eta_of(80, 118.2, 150, 1) < eta_of(80, 118.2, 150, 32));
}

static void test_optimum_rules_of_thumb(void **state)
{
	(void)state;
	/* §2.4: 17.67 dB spans, NF 5: +0.9 (60 GBd, 75 GHz), +1.2 (100 GHz), +3.8 (118 GBd), +4.2 (131). */
	struct lb_link_path p = path_of(500, 6, 0.0);
	double opt;
	struct lb_line_mode m = m_zr400_16qam();
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	near_db(opt, 0.9, "P_opt 60 GBd @75");
	p.channel_spacing_ghz = 100.0;
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	near_db(opt, 1.2, "P_opt 60 GBd @100");
	p.channel_spacing_ghz = 0.0;
	m = m_800g_16qam();
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	near_db(opt, 3.8, "P_opt 118 GBd");
	m = m_800g_pcs_e();
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	near_db(opt, 4.2, "P_opt 131 GBd");
	/* The optimum is independent of N. */
	struct lb_link_path p12 = path_of(1000, 12, 0.0);
	double opt12;
	assert_int_equal(lb_link_optimal_launch(&p12, &m, &opt12), LB_OK);
	near_db(opt12, opt, "P_opt independent of N");

	/* At the optimum NLI is half the ASE: line OSNR 1.76 dB below ASE-only. */
	m = m_800g_16qam();
	m.tx_osnr_db = 0.0;
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	struct lb_link_result r = eval_at(&p, &m, opt);
	near_db(r.osnr_ase_db - r.osnr_db, 1.76, "1.76 dB at the optimum");
	/* Flat around it: ±1 dB ~0.2, −2 ~0.75, +2 ~1.0, +3 ~2.2 dB of SNR. */
	near_db(r.osnr_db - eval_at(&p, &m, opt + 1).osnr_db, 0.2, "+1 dB");
	near_db(r.osnr_db - eval_at(&p, &m, opt - 1).osnr_db, 0.2, "-1 dB");
	near_db(r.osnr_db - eval_at(&p, &m, opt - 2).osnr_db, 0.75, "-2 dB");
	near_db(r.osnr_db - eval_at(&p, &m, opt + 2).osnr_db, 1.0, "+2 dB");
	near_db(r.osnr_db - eval_at(&p, &m, opt + 3).osnr_db, 2.2, "+3 dB");
	/* Far below: 1 dB per dB; far above: 2 dB per dB (amplifiers that give +15 dBm to each of
	 * the 32 channels: 30 dBm in all). */
	p.amp_max_output_dbm = 35.0;
	near_rel(eval_at(&p, &m, opt - 10).osnr_db - eval_at(&p, &m, opt - 11).osnr_db, 1.0, 0.02,
		 "ASE slope");
	near_rel(eval_at(&p, &m, opt + 10).osnr_db - eval_at(&p, &m, opt + 11).osnr_db, 2.0, 0.02,
		 "NLI slope");
	/* The closed form is the numerical maximum. */
	for (double d = -0.3; d <= 0.31; d += 0.1)
		assert_true(eval_at(&p, &m, opt + d).osnr_db <= r.osnr_db + 1e-9);
	/* Optimal launch as an evaluation option. */
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_OPTIMAL };
	struct lb_link_result ro = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &ro), LB_OK);
	near_db(ro.launch_dbm, opt, "optimal launch option");
}

/* ---------------------------------------------------------------- §3, §4 */

static void test_osnr_to_snr(void **state)
{
	(void)state;
	/* §3 table: 10·log10(Rs / 12.5 GHz). */
	static const double rs[] = { 30.07, 59.84, 60.14, 80.18, 118.2, 118.8, 131.3 };
	static const double db[] = { 3.81, 6.80, 6.82, 8.07, 9.76, 9.78, 10.21 };
	struct lb_link_path p = path_of(500, 6, 0.0);
	for (size_t i = 0; i < sizeof(rs) / sizeof(rs[0]); i++) {
		struct lb_line_mode m = m_800g_16qam();
		m.baud_gbd = rs[i];
		m.cd_penalty.count = 0;
		struct lb_link_result r = eval_at(&p, &m, 0.0);
		near_db(r.osnr_db - r.snr_db, db[i], "OSNR - SNR");
	}
	/* §10.3: SNR at OSNR 24 dB and 60.14 GBd is 17.18 dB (the ZR+ SNR_line@req). */
	near_db(24.0 - 10.0 * log10(RS60 / 12.5), 17.18, "SNR at OSNR 24");
}

static void test_ber_curves(void **state)
{
	(void)state;
	/* §4.1: SNR at BER 2.0e-2 / 1.25e-2 / 1.22e-2. */
	static const struct {
		enum lb_link_format f;
		double s20, s125, s122;
	} rows[] = {
		{ LB_LINK_FORMAT_DP_QPSK, 6.25, 7.01, 7.05 },
		{ LB_LINK_FORMAT_DP_8QAM, 10.69, 11.50, 11.54 },
		{ LB_LINK_FORMAT_DP_16QAM, 12.71, 13.55, 13.59 },
		{ LB_LINK_FORMAT_DP_64QAM, 18.43, 19.35, 19.39 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double s;
		assert_int_equal(lb_link_format_snr_at_ber(rows[i].f, 2.0e-2, &s), LB_OK);
		near_db(s, rows[i].s20, "SNR at 2.0e-2");
		assert_int_equal(lb_link_format_snr_at_ber(rows[i].f, 1.25e-2, &s), LB_OK);
		near_db(s, rows[i].s125, "SNR at 1.25e-2");
		assert_int_equal(lb_link_format_snr_at_ber(rows[i].f, 1.22e-2, &s), LB_OK);
		near_db(s, rows[i].s122, "SNR at 1.22e-2");
	}
	/* §10.3 forward checks. */
	double ber;
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_16QAM, 12.71, &ber), LB_OK);
	near_ber(ber, 2.00e-2, "BER_16QAM(12.71)");
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_QPSK, 6.25, &ber), LB_OK);
	near_ber(ber, 2.00e-2, "BER_QPSK(6.25)");
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_8QAM, 10.69, &ber), LB_OK);
	near_ber(ber, 2.00e-2, "BER_8QAM(10.69)");
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_16QAM, 13.55, &ber), LB_OK);
	near_ber(ber, 1.25e-2, "BER_16QAM(13.55)");
	/* §10.1: the ideal formula would give 6.8e-4 at 16.87 dB and 4.8e-4 without the CD penalty. */
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_16QAM, 16.87, &ber), LB_OK);
	near_ber(ber, 6.8e-4, "ideal BER at 16.87");
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_16QAM, 16.87 + 0.27, &ber), LB_OK);
	near_ber(ber, 4.8e-4, "ideal BER at 17.14");
	/* Round trip over a wide range. */
	for (double s = -2.0; s <= 24.0; s += 0.37) {
		double b, back;
		assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_16QAM, s, &b), LB_OK);
		if (b < 1e-300)
			continue;
		assert_int_equal(lb_link_format_snr_at_ber(LB_LINK_FORMAT_DP_16QAM, b, &back), LB_OK);
		assert_true(fabs(back - s) < 1e-6);
	}
	/* Q: 2.0e-2 → 6.25 dB, 1.25e-2 → 7.01 dB, 1.28e-2 → 6.98 dB (§4.1, §10.1). */
	double q;
	assert_int_equal(lb_link_ber_to_q_db(2.0e-2, &q), LB_OK);
	near_db(q, 6.25, "Q at 2.0e-2");
	assert_int_equal(lb_link_ber_to_q_db(1.25e-2, &q), LB_OK);
	near_db(q, 7.01, "Q at 1.25e-2");
	assert_int_equal(lb_link_ber_to_q_db(1.28e-2, &q), LB_OK);
	near_db(q, 6.98, "Q at 1.28e-2");
	assert_int_equal(lb_link_ber_to_q_db(0.6, &q), LB_OK);
	assert_true(q == 0.0);
	assert_int_equal(lb_link_ber_to_q_db(0.0, &q), LB_OK);
	assert_true(isfinite(q) && q > 30.0);
	/* Bad input. */
	assert_int_equal(lb_link_format_snr_at_ber(LB_LINK_FORMAT_DP_QPSK, 0.7, &q), LB_E_RANGE);
	assert_int_equal(lb_link_format_snr_at_ber(LB_LINK_FORMAT_DP_QPSK, 0.0, &q), LB_E_RANGE);
	assert_int_equal(lb_link_format_ber(LB_LINK_FORMAT_DP_QPSK, NAN, &q), LB_E_INVAL);
	assert_int_equal(lb_link_format_ber((enum lb_link_format)42, 10.0, &q), LB_E_INVAL);
}

static void test_calibration_table(void **state)
{
	(void)state;
	/* §4.3: Δ_impl, and the back-to-back BER floor (infinite OSNR). */
	struct {
		struct lb_line_mode m;
		double ideal_osnr, snr_eff, dimp, floor;
	} rows[] = {
		{ m_400zr(), 20.35, 16.57, 3.02, 5.9e-4 },
		{ m_zr400_16qam(), 19.53, 15.35, 2.64, 3.6e-4 },
		{ m_zr400_8qam(), 18.76, 13.37, 2.67, 9e-6 },
		{ m_zr300(), 17.52, 13.17, 2.48, 6e-6 },
		{ m_zr200(), 13.07, 8.83, 2.58, 0 },
		{ m_zr100(), 10.06, 8.38, 2.13, 0 },
		{ m_800g_16qam(), 22.47, 15.02, 2.31, 8.5e-4 },
		{ m_800g_pcs_e(), 0, 13.46, 0.75, 9.6e-5 },
		{ m_800g_pcs_m(), 0, 14.16, 1.45, 2.8e-4 },
		{ m_600g_pcs(), 0, 11.23, -1.48, 1e-6 },
		{ m_400g_qpsk(), 16.01, 7.15, 0.90, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct lb_line_mode m = rows[i].m;
		assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
		assert_true(m.impl_penalty_set);
		near_db(m.impl_penalty_db, rows[i].dimp, m.id);
		double thr;
		assert_int_equal(lb_link_format_snr_at_ber(m.format, m.fec_threshold_ber, &thr), LB_OK);
		near_db(thr + m.impl_penalty_db, rows[i].snr_eff, "SNR_eff@req");
		if (rows[i].ideal_osnr > 0)
			near_db(thr + 10.0 * log10(m.baud_gbd / 12.5), rows[i].ideal_osnr, "ideal OSNR");
		double floor;
		assert_int_equal(lb_link_format_ber(m.format, m.snr_b2b_db - m.impl_penalty_db, &floor),
				 LB_OK);
		if (rows[i].floor == 0)
			assert_true(floor < 1e-12); /* "~0" */
		else if (rows[i].floor < 2e-6)
			near_rel(floor, rows[i].floor, 0.2, "floor ~1e-6");
		else if (rows[i].floor < 1e-5)
			near_rel(floor, rows[i].floor, 0.05, "B2B floor (one digit)"); /* 9e-6, 6e-6 */
		else
			near_ber(floor, rows[i].floor, "B2B floor");
		/* At the required OSNR the model gives exactly the threshold and zero margin. */
		struct lb_link_path p = path_of(800, 10, 0.0);
		for (unsigned k = 0; k < p.span_count; k++)
			p.spans[k].gamma_per_w_km = 0.0;
		m.cd_penalty.count = 0;
		m.dgd_penalty.count = 0;
		m.tx_osnr_db = 0.0;
		/* Launch so that OSNR_ASE = req: 57.954 + P − 17 − 5 − 10 = req. */
		struct lb_link_result r = eval_at(&p, &m, 0.0);
		double launch = m.req_osnr_db - r.osnr_ase_db;
		r = eval_at(&p, &m, launch);
		near_db(r.osnr_db, m.req_osnr_db, "OSNR at req");
		near_ber(r.pre_fec_ber, m.fec_threshold_ber, "BER at req OSNR");
		assert_true(fabs(r.margin_db) < 1e-6);
	}
	/* An explicit Δ_impl is kept. */
	struct lb_line_mode m = m_800g_16qam();
	m.impl_penalty_db = 1.0;
	m.impl_penalty_set = true;
	assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
	assert_true(m.impl_penalty_db == 1.0);
}

static void test_pcs_entropy(void **state)
{
	(void)state;
	/* §4.4 table: H, Rs, net rate, OSNR_req. */
	static const struct {
		double h, rs, rate, osnr;
	} rows[] = {
		/* The reference prints 24.6 for H = 3.5 and 28.5 for H = 4.5; its own formula gives
		 * 7.44 + 4.90·1.5 + 9.76 = 24.547 and 17.24 + 2.9·0.5 + 9.76 = 28.447. */
		{ 2.0, 118.2, 400, 17.2 }, { 3.0, 118.2, 600, 22.1 }, { 3.5, 118.2, 700, 24.55 },
		{ 3.6, 131.3, 800, 25.5 }, { 4.0, 118.2, 800, 27.0 }, { 4.5, 118.2, 900, 28.45 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		double rate, snr;
		assert_int_equal(lb_link_pcs_net_rate_gbps(rows[i].h, rows[i].rs, &rate), LB_OK);
		near_rel(rate, rows[i].rate, 0.005, "PCS net rate");
		assert_int_equal(lb_link_pcs_req_snr_db(rows[i].h, &snr), LB_OK);
		near_db(snr + 10.0 * log10(rows[i].rs / 12.5), rows[i].osnr, "PCS OSNR_req");
		/* A tunable-entropy mode with no req OSNR and no rate gets both from H. */
		struct lb_line_mode m = openroadm("pcs-h", LB_LINK_FORMAT_PCS, rows[i].rs, 0, 0, 20000,
						  150, rows[i].h);
		assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
		near_db(m.req_osnr_db, rows[i].osnr, "calibrated req OSNR");
		near_rel(m.net_rate_gbps, rows[i].rate, 0.005, "calibrated rate");
		/* BER = threshold at OSNR_req (Δ_impl on the fly), even uncalibrated. */
		struct lb_line_mode raw = openroadm("pcs-h", LB_LINK_FORMAT_PCS, rows[i].rs, 0, 0, 20000,
						    150, rows[i].h);
		raw.cd_penalty.count = 0;
		raw.dgd_penalty.count = 0;
		raw.tx_osnr_db = 0.0;
		struct lb_link_path p = path_of(80, 1, 0.0);
		p.spans[0].gamma_per_w_km = 0.0;
		p.channel_spacing_ghz = 150.0 > rows[i].rs ? 150.0 : 162.5;
		struct lb_link_result r = eval_at(&p, &raw, 0.0);
		r = eval_at(&p, &raw, m.req_osnr_db - r.osnr_ase_db);
		near_ber(r.pre_fec_ber, 2.0e-2, "PCS BER at OSNR_req");
		near_rel(r.net_rate_gbps, rows[i].rate, 0.005, "PCS rate in the result");
	}
	/* 800G at 131.3 GBd needs H ≈ 3.6. */
	double rate;
	assert_int_equal(lb_link_pcs_net_rate_gbps(3.6, 131.3, &rate), LB_OK);
	near_rel(rate, 800.0, 0.002, "800G at 3.6");
	double s;
	assert_int_equal(lb_link_pcs_req_snr_db(1.5, &s), LB_E_RANGE);
	assert_int_equal(lb_link_pcs_req_snr_db(6.5, &s), LB_E_RANGE);
}

/* ---------------------------------------------------------------- §10.1 */

static void test_worked_tokyo_osaka(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 0.0);
	struct lb_line_mode m = m_800g_16qam();
	assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);

	/* Launch 0 dBm/ch. */
	struct lb_link_result r = eval_at(&p, &m, 0.0);
	assert_int_equal(r.state, LB_LINK_STATE_UP);
	assert_int_equal(r.span_count, 6);
	assert_int_equal(r.channel_count, 32);
	near_db(r.osnr_ase_db, 27.51, "0 dBm OSNR_ASE");
	near_db(r.osnr_nli_db, 41.92, "0 dBm OSNR_NLI");
	near_db(r.osnr_nli_db - 9.76, 32.16, "0 dBm SNR_NLI");
	near_db(r.osnr_db, 26.90, "0 dBm OSNR_total");
	near_db(r.penalty_cd_db, 0.27, "CD penalty");
	near_db(r.osnr_db - r.penalty_db, 26.63, "after CD");
	near_db(r.margin_db, -0.37, "0 dBm margin");
	near_db(r.snr_db, 16.87, "0 dBm SNR_line");
	near_db(r.esnr_db, 14.80, "0 dBm SNR_eff");
	near_db(r.snr_dec_db, 12.49, "0 dBm SNR_dec");
	near_ber(r.pre_fec_ber, 2.24e-2, "0 dBm pre-FEC BER");
	assert_false(r.closes);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_OSNR);
	assert_int_equal(r.fec_state, LB_LINK_FEC_ERRORED); /* fails marginally: post-FEC errors */
	assert_true(r.uncorrectable_frames_per_s > 0.0);
	assert_true(r.post_fec_ber > 1e-15);
	/* Rx power: preamp output 0 dBm/ch − 5 dB demux. */
	near_db(r.rx_power_dbm, -5.0, "Rx power");
	near_db(r.cd_ps_nm, 8350, "CD 500 km");
	near_db(r.latency_one_way_ms, 2.449, "latency");
	near_db(r.dgd_mean_ps, 0.89, "mean DGD (0.04 ps/√km)");
	assert_true(r.penalty_dgd_db == 0.0);

	/* Launch +3 dBm/ch. */
	r = eval_at(&p, &m, 3.0);
	near_db(r.osnr_ase_db, 30.51, "+3 OSNR_ASE");
	near_db(r.osnr_nli_db - 9.76, 26.16, "+3 SNR_NLI");
	near_db(r.osnr_nli_db, 35.92, "+3 OSNR_NLI");
	near_db(r.osnr_db, 28.71, "+3 OSNR_total");
	near_db(r.osnr_db - r.penalty_db, 28.44, "+3 after CD");
	near_db(r.margin_db, 1.44, "+3 margin");
	near_db(r.snr_db, 18.68, "+3 SNR_line");
	near_db(r.esnr_db, 15.83, "+3 SNR_eff");
	near_db(r.snr_dec_db, 13.52, "+3 SNR_dec");
	near_ber(r.pre_fec_ber, 1.28e-2, "+3 pre-FEC BER");
	near_db(r.q_db, 6.98, "+3 Q");
	assert_true(r.closes);
	assert_int_equal(r.fec_state, LB_LINK_FEC_CLEAN);
	assert_true(r.uncorrectable_frames_per_s == 0.0);
	assert_true(r.post_fec_ber == 0.0);

	/* Optimum +3.8 dBm: OSNR_total 28.83, margin 1.56 after the CD penalty. */
	double opt;
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	near_db(opt, 3.80, "P_opt");
	r = eval_at(&p, &m, opt);
	near_db(r.osnr_db, 28.83, "optimum OSNR_total");
	near_db(r.margin_db, 1.56, "optimum margin");

	/* Mean DGD 0.89–2.24 ps for 0.04–0.1 ps/√km → 0 dB. */
	for (unsigned i = 0; i < p.span_count; i++)
		p.spans[i].pmd_ps_sqrt_km = 0.1;
	r = eval_at(&p, &m, 3.0);
	near_db(r.dgd_mean_ps, 2.24, "mean DGD (0.1 ps/√km)");
	assert_true(r.penalty_dgd_db == 0.0);
	/* The launch used is reported; the path's launch is the default. */
	p.launch_dbm = 2.0;
	struct lb_link_result rp = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&p, &m, NULL, &rp), LB_OK);
	assert_true(rp.launch_dbm == 2.0);
}

/* ---------------------------------------------------------------- §10.2 */

static void test_worked_1000km(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(1000, 12, 3.0);
	static const struct {
		const char *what;
		struct lb_line_mode (*mode)(void);
		double launch, osnr_nli, osnr_total, cd_pen, margin, snr_dec, ber;
		bool pass;
		enum lb_link_limit limit;
	} rows[] = {
		{ "800G 16QAM", m_800g_16qam, 3.0, 32.91, 26.03, -1, -0.97, 12.11, 2.7e-2, false,
		  LB_LINK_LIMIT_CD },
		{ "800G PCS E", m_800g_pcs_e, 3.0, 34.19, 26.27, 0.40, 0.77, 13.25, 1.49e-2, true,
		  LB_LINK_LIMIT_OSNR },
		{ "800G PCS E opt", m_800g_pcs_e, 4.2, 31.79, 26.55, 0.40, 1.05, 13.44, 1.33e-2, true,
		  LB_LINK_LIMIT_CD },
		{ "800G PCS M opt", m_800g_pcs_m, 4.2, 31.79, 26.55, 0.40, 0.06, 12.75, 1.96e-2, true,
		  LB_LINK_LIMIT_OSNR },
		{ "600G PCS", m_600g_pcs, 3.0, 32.96, 26.04, 0.35, 3.89, 15.66, 2.5e-3, true,
		  LB_LINK_LIMIT_CD },
		{ "400G QPSK", m_400g_qpsk, 3.0, 32.91, 26.03, 0.32, 8.52, 13.31, 1.8e-6, true,
		  LB_LINK_LIMIT_CD },
		{ "OpenZR+ 400G", m_zr400_16qam, 0.9, 28.37, 23.24, 0.42, -1.18, 11.90, 2.9e-2, false,
		  LB_LINK_LIMIT_OSNR },
		{ "OpenZR+ 300G", m_zr300, 0.9, 28.37, 23.24, 0.21, 2.03, 12.22, 7.7e-3, true,
		  LB_LINK_LIMIT_OSNR },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct lb_line_mode m = rows[i].mode();
		struct lb_link_result r = eval_at(&p, &m, rows[i].launch);
		print_message("  %-16s OSNR %.2f margin %+.2f BER %.3g %s by %s\n", rows[i].what,
			      r.osnr_db, r.margin_db, r.pre_fec_ber, r.closes ? "closes" : "fails",
			      lb_link_limit_name(r.limited_by));
		near_db(r.osnr_nli_db, rows[i].osnr_nli, rows[i].what);
		near_db(r.osnr_db, rows[i].osnr_total, rows[i].what);
		if (rows[i].cd_pen >= 0) {
			near_db(r.penalty_cd_db, rows[i].cd_pen, rows[i].what);
			assert_false(r.out_of_range & LB_LINK_OOR_CD);
		} else {
			assert_true(r.out_of_range & LB_LINK_OOR_CD); /* 16,700 > 12,000 ps/nm */
			assert_true(r.penalty_cd_db == 0.0);
		}
		near_db(r.margin_db, rows[i].margin, rows[i].what);
		near_db(r.snr_dec_db, rows[i].snr_dec, rows[i].what);
		near_ber(r.pre_fec_ber, rows[i].ber, rows[i].what);
		assert_int_equal(r.closes, rows[i].pass);
		assert_int_equal(r.limited_by, rows[i].limit);
		if (!rows[i].pass)
			assert_int_equal(r.fec_state, LB_LINK_FEC_ERRORED);
	}
	/* OSNR_ASE at +3 dBm is 27.50 dB; at +0.9 dBm (60 GBd rows) 25.40 dB. */
	struct lb_line_mode m = m_800g_16qam();
	near_db(eval_at(&p, &m, 3.0).osnr_ase_db, 27.50, "OSNR_ASE 12 spans +3");
	near_db(eval_at(&p, &m, 0.9).osnr_ase_db, 25.40, "OSNR_ASE 12 spans +0.9");
	struct lb_link_result r = eval_at(&p, &m, 3.0);
	near_db(r.cd_ps_nm, 16700, "CD 1,000 km");
	near_db(r.latency_one_way_ms, 4.897, "latency 1,000 km");
	near_db(r.dgd_mean_ps, 1.26, "mean DGD 1,000 km");
	/* The out-of-range 800G 16QAM mode has every frame uncorrectable. */
	near_rel(r.uncorrectable_frames_per_s, 800e9 / 5440.0, 1e-9, "all frames fail");
	/* The PCS M mode closes at zero margin, but only just. */
	m = m_800g_pcs_m();
	assert_true(eval_at(&p, &m, 4.2).closes);
	assert_false(eval_at(&p, &m, 3.0).closes);
}

/* ---------------------------------------------------------------- §10.3 and §7 */

static void test_quick_checks(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 0.0);
	struct lb_line_mode m = m_800g_16qam();
	double opt;
	assert_int_equal(lb_link_optimal_launch(&p, &m, &opt), LB_OK);
	/* P_opt = (P_ASE,Rs − 3.01 − η_dB)/3 = (−25.52 − 3.01 + 39.94)/3 = +3.80 dBm. */
	near_db(opt, (-25.52 - 3.01 + 39.94) / 3.0, "P_opt formula");
	struct lb_link_result r = eval_at(&p, &m, 0.0);
	near_db(r.latency_one_way_ms, 2.449, "delay 500 km");
	near_db(r.cd_ps_nm, 8350, "CD 500 km");

	/* §7: 403 km → 1.97 ms, 515 → 2.52, 550 → 2.694, 1,000 → 4.897 (4.897 µs/km). */
	static const double km[] = { 403, 515, 550, 1000 };
	static const double ms[] = { 1.97, 2.52, 2.694, 4.897 };
	for (size_t i = 0; i < 4; i++) {
		struct lb_link_path pi = path_of(km[i], (unsigned)ceil(km[i] / 100.0), 0.0);
		struct lb_link_result ri = eval_at(&pi, &m, 0.0);
		near_rel(ri.latency_one_way_ms, ms[i], 0.002, "latency");
		near_rel(2.0 * ri.latency_one_way_ms, 2.0 * ms[i], 0.002, "round trip");
	}
	/* 4.897 µs/km at n_g 1.4682. */
	struct lb_link_path p1 = path_of(100, 1, 0.0);
	near_rel(eval_at(&p1, &m, 0.0).latency_one_way_ms * 1e3 / 100.0, 4.897, 0.0005, "us/km");
}

/* ---------------------------------------------------------------- §1.3 */

static void test_reach_table(void **state)
{
	(void)state;
	/* 80 km spans, 17.0 dB, NF 5, full load, optimum launch, zero system margin. */
	static const struct {
		struct lb_line_mode (*mode)(void);
		unsigned max_spans;
		enum lb_link_limit limit;
		double opt_dbm;
	} rows[] = {
		{ m_400zr, 1, LB_LINK_LIMIT_CD, 0.7 },
		{ m_zr400_16qam, 10, LB_LINK_LIMIT_OSNR, 0.7 },
		{ m_zr400_8qam, 19, LB_LINK_LIMIT_OSNR, 1.9 },
		{ m_zr300, 21, LB_LINK_LIMIT_OSNR, 0.7 },
		{ m_zr200, 37, LB_LINK_LIMIT_CD, 0.7 },
		{ m_zr100, 74, LB_LINK_LIMIT_CD, -1.9 },
		{ m_800g_16qam, 8, LB_LINK_LIMIT_CD, 3.6 },
		{ m_800g_pcs_e, 14, LB_LINK_LIMIT_CD, 4.0 },
		{ m_600g_pcs, 16, LB_LINK_LIMIT_CD, 3.6 },
		{ m_400g_qpsk, 17, LB_LINK_LIMIT_CD, 3.6 },
	};
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_OPTIMAL };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct lb_line_mode m = rows[i].mode();
		unsigned n;
		struct lb_link_result r = LB_LINK_RESULT_INIT, last;
		memset(&last, 0, sizeof(last));
		for (n = 1; n <= 120; n++) {
			struct lb_link_path p = path_of(80.0 * n, n, 0.0);
			assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_OK);
			if (!r.closes)
				break;
			last = r;
		}
		if (n - 1 != rows[i].max_spans)
			print_error("%s: %u spans, want %u\n", m.id, n - 1, rows[i].max_spans);
		assert_int_equal(n - 1, rows[i].max_spans);
		/* The first failing span count fails for the reason of the table. */
		if (r.limited_by != rows[i].limit)
			print_error("%s: limited by %s\n", m.id, lb_link_limit_name(r.limited_by));
		assert_int_equal(r.limited_by, rows[i].limit);
		near_db(last.launch_dbm, rows[i].opt_dbm, "optimum launch");
	}
	/* 800G 16QAM leaves 0.7 dB at 640 km; CD caps ≈718 km (12,000 / 16.7). */
	struct lb_line_mode m = m_800g_16qam();
	struct lb_link_path p = path_of(640, 8, 0.0);
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_OK);
	near_db(r.margin_db, 0.7, "800G margin at 640 km");
	/* 400ZR: CD limit 2,400 ps/nm ≈ 144 km. */
	m = m_400zr();
	p = path_of(143, 2, 0.0);
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_OK);
	assert_false(r.out_of_range & LB_LINK_OOR_CD);
	p = path_of(145, 2, 0.0);
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_OK);
	assert_true(r.out_of_range & LB_LINK_OOR_CD);
}

/* ---------------------------------------------------------------- §5, §6 */

static void test_cd_and_pmd(void **state)
{
	(void)state;
	struct lb_line_mode m = m_400g_qpsk();
	struct lb_link_path p = path_of(1000, 12, 0.0);
	near_db(eval_at(&p, &m, 0).cd_ps_nm, 16700, "CD 1,000 km");
	for (unsigned i = 0; i < p.span_count; i++)
		p.spans[i].dispersion_ps_nm_km = 17.0;
	near_db(eval_at(&p, &m, 0).cd_ps_nm, 17000, "CD 1,000 km at D 17");
	p = path_of(500, 6, 0.0);
	for (unsigned i = 0; i < p.span_count; i++)
		p.spans[i].dispersion_ps_nm_km = 17.0;
	near_db(eval_at(&p, &m, 0).cd_ps_nm, 8500, "CD 500 km at D 17");
	/* Dispersion slope: across 1528.8–1567.1 nm, −1.2 to +1.0 ps/(nm·km) around D(1550). */
	p = path_of(100, 1, 0.0);
	p.spans[0].dispersion_slope_ps_nm2_km = 0.058;
	p.frequency_thz = 196.1;
	near_rel(eval_at(&p, &m, 0).cd_ps_nm / 100.0 - 16.7, -1.2, 0.05, "D at the blue edge");
	p.frequency_thz = 191.3;
	near_rel(eval_at(&p, &m, 0).cd_ps_nm / 100.0 - 16.7, 1.0, 0.05, "D at the red edge");
	/* §5 example: 800G 16QAM at 8,350 ps/nm → 0.27 dB. */
	m = m_800g_16qam();
	p = path_of(500, 6, 0.0);
	near_db(eval_at(&p, &m, 0).penalty_cd_db, 0.5 * (8350 - 4000) / (12000 - 4000), "CD penalty");
	/* Mean DGD: PMD·√L, 500 km: 0.89 / 2.24 / 4.47 ps; 1,000 km: 1.26 / 3.16 / 6.32 ps. */
	static const double coef[] = { 0.04, 0.1, 0.2 };
	static const double d500[] = { 0.89, 2.24, 4.47 }, d1000[] = { 1.26, 3.16, 6.32 };
	for (size_t c = 0; c < 3; c++) {
		struct lb_link_path a = path_of(500, 6, 0.0), b = path_of(1000, 12, 0.0);
		for (unsigned i = 0; i < 12; i++) {
			a.spans[i].pmd_ps_sqrt_km = coef[c];
			b.spans[i].pmd_ps_sqrt_km = coef[c];
		}
		near_db(eval_at(&a, &m, 0).dgd_mean_ps, d500[c], "mean DGD 500 km");
		near_db(eval_at(&b, &m, 0).dgd_mean_ps, d1000[c], "mean DGD 1,000 km");
	}
	/* DGD out of tolerance: the mean beyond the table, or the instantaneous beyond dgd_max. */
	struct lb_link_path big = path_of(500, 6, 3.0);
	for (unsigned i = 0; i < 6; i++)
		big.spans[i].pmd_ps_sqrt_km = 0.7; /* 15.65 ps mean */
	struct lb_link_result r = eval_at(&big, &m, 3.0);
	near_db(r.penalty_dgd_db, 0.5 * (15.65 - 10) / 10, "DGD penalty");
	for (unsigned i = 0; i < 6; i++)
		big.spans[i].pmd_ps_sqrt_km = 1.0; /* 22.4 ps > 20 */
	r = eval_at(&big, &m, 3.0);
	assert_true(r.out_of_range & LB_LINK_OOR_DGD);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_DGD);
	assert_false(r.closes);
	m.dgd_max_ps = 50.0;
	struct lb_link_path ok = path_of(500, 6, 3.0);
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_PATH, .have_dgd = true, .dgd_ps = 49 };
	assert_int_equal(lb_link_evaluate(&ok, &m, &o, &r), LB_OK);
	assert_true(r.closes);
	assert_true(r.dgd_ps == 49.0);
	o.dgd_ps = 51;
	assert_int_equal(lb_link_evaluate(&ok, &m, &o, &r), LB_OK);
	assert_false(r.closes);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_DGD);
	assert_int_equal(r.fec_state, LB_LINK_FEC_ERRORED);
	/* PDL: OpenROADM 1 → 0.5, 2 → 1.0, 4 → 2.5 dB. */
	m = m_800g_16qam();
	m.pdl_penalty.count = 4;
	double px[] = { 0, 1, 2, 4 }, py[] = { 0, 0.5, 1.0, 2.5 };
	memcpy(m.pdl_penalty.x, px, sizeof(px));
	memcpy(m.pdl_penalty.db, py, sizeof(py));
	ok.pdl_db = 3.0;
	r = eval_at(&ok, &m, 3.0);
	near_db(r.penalty_pdl_db, 1.75, "PDL penalty");
	ok.pdl_db = 5.0;
	r = eval_at(&ok, &m, 3.0);
	assert_true(r.out_of_range & LB_LINK_OOR_PDL);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_PDL);
}

static void test_maxwell_tails(void **state)
{
	(void)state;
	/* §6: P(τ > 2m) = 1.7e-2, 2.5m: 1.2e-3, 3m: 4.2e-5, 3.3m: 4.1e-6. */
	static const double k[] = { 2.0, 2.5, 3.0, 3.3 };
	static const double pr[] = { 1.7e-2, 1.2e-3, 4.2e-5, 4.1e-6 };
	for (size_t i = 0; i < 4; i++) {
		double p;
		assert_int_equal(lb_link_dgd_exceed_probability(2.0, k[i] * 2.0, &p), LB_OK);
		near_rel(p, pr[i], 0.05, "Maxwell tail");
	}
	double p;
	assert_int_equal(lb_link_dgd_exceed_probability(1.0, 0.0, &p), LB_OK);
	near_rel(p, 1.0, 1e-12, "P(τ > 0)");
	assert_int_equal(lb_link_dgd_exceed_probability(0.0, 1.0, &p), LB_E_RANGE);
}

static void test_drift_statistics(void **state)
{
	(void)state;
	const double mean = 2.24;
	struct lb_link_dgd_drift d;
	assert_int_equal(lb_link_dgd_drift_init(&d, mean, 1800.0, 42, 0), LB_OK);
	/* 200 virtual days polled every 60 s. */
	const uint64_t step = 60ull * 1000000000ull;
	const unsigned n = 200u * 1440u;
	enum { LAG = 300 }; /* 300 polls = 5 h = 10 correlation times */
	double ring[LAG];
	double sum = 0, sum2 = 0, vmax = 0, prev = lb_link_dgd_drift_value(&d);
	double lag1 = 0, lagl = 0;
	unsigned above2 = 0, nl = 0;
	uint64_t t = 0;
	for (unsigned i = 0; i < n; i++) {
		double v;
		t += step;
		assert_int_equal(lb_link_dgd_drift_advance(&d, t, &v), LB_OK);
		assert_true(v >= 0 && isfinite(v));
		sum += v;
		sum2 += v * v;
		if (v > vmax)
			vmax = v;
		if (v > 2 * mean)
			above2++;
		lag1 += v * prev;
		if (i >= LAG) {
			lagl += v * ring[i % LAG];
			nl++;
		}
		ring[i % LAG] = v;
		prev = v;
	}
	double m = sum / n;
	double var = sum2 / n - m * m;
	double rho1 = (lag1 / n - m * m) / var, rhol = (lagl / nl - m * m) / var;
	print_message("  drift: mean %.4f ps (Maxwell %.4f), rms %.4f, max %.2f, P(>2m) %.4f, "
		      "corr(60 s) %.3f, corr(5 h) %.3f\n",
		      m, mean, sqrt(sum2 / n), vmax, (double)above2 / n, rho1, rhol);
	near_rel(m, mean, 0.05, "mean DGD over the run");
	/* <τ²> = 3σ² = 3π·m²/8. */
	near_rel(sum2 / n, 3.0 * M_PI * mean * mean / 8.0, 0.05, "second moment");
	/* It drifts slowly: successive 60 s polls are strongly correlated, 5 h apart hardly. */
	assert_true(rho1 > 0.9);
	assert_true(fabs(rhol) < 0.1);
	assert_true(vmax > 2 * mean && vmax < 4 * mean);
	near_rel((double)above2 / n, 1.7e-2, 0.5, "tail beyond 2m");

	/* Reproducible from the seed; another seed gives another walk. */
	struct lb_link_dgd_drift a, b, c;
	lb_link_dgd_drift_init(&a, mean, 600, 7, 1000);
	lb_link_dgd_drift_init(&b, mean, 600, 7, 1000);
	lb_link_dgd_drift_init(&c, mean, 600, 8, 1000);
	bool differ = false;
	for (unsigned i = 1; i <= 100; i++) {
		double va, vb, vc;
		lb_link_dgd_drift_advance(&a, 1000 + i * 10 * 1000000000ull, &va);
		lb_link_dgd_drift_advance(&b, 1000 + i * 10 * 1000000000ull, &vb);
		lb_link_dgd_drift_advance(&c, 1000 + i * 10 * 1000000000ull, &vc);
		assert_true(va == vb);
		differ |= va != vc;
	}
	assert_true(differ);
	/* Same time: no change; backwards: refused. */
	double v1 = lb_link_dgd_drift_value(&a), v2;
	assert_int_equal(lb_link_dgd_drift_advance(&a, a.t_ns, &v2), LB_OK);
	assert_true(v1 == v2);
	assert_int_equal(lb_link_dgd_drift_advance(&a, 0, &v2), LB_E_INVAL);
	assert_int_equal(lb_link_dgd_drift_init(&a, NAN, 1, 1, 0), LB_E_INVAL);
	assert_int_equal(lb_link_dgd_drift_init(&a, -1, 1, 1, 0), LB_E_RANGE);
	/* Default correlation time. */
	assert_int_equal(lb_link_dgd_drift_init(&a, 1, 0, 1, 0), LB_OK);
	assert_true(a.corr_time_s == 1800.0);

	/* The drift feeds the evaluation: DGD follows the process. */
	struct lb_link_path p = path_of(500, 6, 3.0);
	struct lb_line_mode mode = m_800g_16qam();
	lb_link_dgd_drift_init(&d, 0.89, 1800, 3, 0);
	struct lb_link_eval_opts o = { .have_dgd = true };
	lb_link_dgd_drift_advance(&d, 3600ull * 1000000000ull, &o.dgd_ps);
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&p, &mode, &o, &r), LB_OK);
	assert_true(r.dgd_ps == o.dgd_ps);
	near_db(r.dgd_mean_ps, 0.89, "mean DGD kept");
}

/* ---------------------------------------------------------------- two ends */

static void test_ends(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 3.0);
	struct lb_line_mode m = m_800g_16qam(), other = m_800g_pcs_e();
	struct lb_link_end tx = { &m, 193.4, true }, rx = { &m, 193.4, true };
	enum lb_link_state st;
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_OK);
	assert_int_equal(st, LB_LINK_STATE_UP);
	assert_int_equal(lb_link_evaluate_ends(&p, &tx, &rx, NULL, &r), LB_OK);
	assert_int_equal(r.state, LB_LINK_STATE_UP);
	near_db(r.margin_db, 1.44, "agreeing ends");

	/* Within the ±3.6 GHz LO tolerance: fine. */
	rx.frequency_thz = 193.4 + 0.003;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_OK);
	assert_int_equal(st, LB_LINK_STATE_UP);
	/* Off by 10 GHz: light, but no lock. */
	rx.frequency_thz = 193.41;
	assert_int_equal(lb_link_evaluate_ends(&p, &tx, &rx, NULL, &r), LB_OK);
	assert_int_equal(r.state, LB_LINK_STATE_NO_LOCK);
	assert_false(r.closes);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_ENDS);
	assert_int_equal(r.fec_state, LB_LINK_FEC_NONE);
	/* No signal figures; the path's own ones stay. */
	assert_true(r.osnr_db == 0.0 && r.pre_fec_ber == 0.0 && r.margin_db == 0.0);
	near_db(r.cd_ps_nm, 8350.0, "CD of the path");
	near_db(r.rx_power_dbm, -2.0, "light arrives");
	/* Another channel: LOS, no numbers. */
	rx.frequency_thz = 193.55;
	assert_int_equal(lb_link_evaluate_ends(&p, &tx, &rx, NULL, &r), LB_OK);
	assert_int_equal(r.state, LB_LINK_STATE_LOS);
	assert_true(r.rx_power_dbm == LB_LINK_NO_SIGNAL_DBM);
	assert_true(r.osnr_db == 0.0 && r.snr_db == 0.0 && r.margin_db == 0.0);
	near_db(r.dgd_ps, r.dgd_mean_ps, "the path's DGD stays");
	/* Different mode on the same frequency: no frame lock. */
	rx.frequency_thz = 193.4;
	rx.mode = &other;
	assert_int_equal(lb_link_evaluate_ends(&p, &tx, &rx, NULL, &r), LB_OK);
	assert_int_equal(r.state, LB_LINK_STATE_NO_LOCK);
	/* A copy of the same mode under another id still locks. */
	struct lb_line_mode copy = m;
	snprintf(copy.id, sizeof(copy.id), "vendor-800g");
	rx.mode = &copy;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_OK);
	assert_int_equal(st, LB_LINK_STATE_UP);
	/* Transmitter off: LOS. */
	tx.tx_enabled = false;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_OK);
	assert_int_equal(st, LB_LINK_STATE_LOS);
	/* Bad ends. */
	tx.mode = NULL;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_E_INVAL);
	tx.mode = &m;
	tx.frequency_thz = NAN;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_E_INVAL);
	tx.frequency_thz = 150.0;
	assert_int_equal(lb_link_ends_check(&tx, &rx, &st), LB_E_RANGE);
}

static void test_rx_power_and_los(void **state)
{
	(void)state;
	struct lb_line_mode m = m_800g_16qam();
	table3(&m.rx_penalty, -14, 1.0, -11, 0, 1, 0);
	m.rx_los_dbm = -23.0;
	/* Amplified: Rx = launch − demux. */
	struct lb_link_path p = path_of(500, 6, 3.0);
	struct lb_link_result r = eval_at(&p, &m, 3.0);
	near_db(r.rx_power_dbm, -2.0, "Rx power");
	assert_true(r.penalty_rx_db == 0.0);
	/* A lossy demux: −12.5 dBm → 0.5 dB penalty. */
	p.demux_loss_db = 15.5;
	r = eval_at(&p, &m, 3.0);
	near_db(r.rx_power_dbm, -12.5, "Rx power, lossy demux");
	near_db(r.penalty_rx_db, 0.5, "Rx penalty");
	/* −17 dBm: below the table, above LOS: out of range, limited by Rx power. */
	p.demux_loss_db = 20.0;
	r = eval_at(&p, &m, 3.0);
	assert_int_equal(r.state, LB_LINK_STATE_UP);
	assert_true(r.out_of_range & LB_LINK_OOR_RX_POWER);
	assert_int_equal(r.limited_by, LB_LINK_LIMIT_RX_POWER);
	assert_false(r.closes);
	/* An unamplified 100 km span: 3 − 21 − 5 = −23 dBm... −24 → LOS. */
	struct lb_link_path u = path_of(105, 1, 3.0);
	u.spans[0].amplified = false;
	r = eval_at(&u, &m, 3.0);
	assert_int_equal(r.state, LB_LINK_STATE_LOS);
	near_db(r.rx_power_dbm, 3.0 - 22.0 - 5.0, "Rx power unamplified");
	assert_false(r.closes);
	assert_true(r.osnr_db == 0.0);
	/* Explicit amplifier gain: 3 dB short of the span loss → Rx 3 dB lower, OSNR worse. */
	struct lb_link_path g = path_of(500, 6, 3.0);
	struct lb_link_result r0 = eval_at(&g, &m, 3.0);
	g.spans[5].amp_gain_db = 17.67 - 3.0;
	r = eval_at(&g, &m, 3.0);
	near_db(r.rx_power_dbm, r0.rx_power_dbm - 3.0, "gain short by 3 dB");
	g.spans[2].amp_gain_db = 17.67 - 3.0;
	r = eval_at(&g, &m, 3.0);
	assert_true(r.osnr_ase_db < r0.osnr_ase_db);
	assert_true(r.osnr_nli_db > r0.osnr_nli_db);
}

static void test_power_per_bit(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 3.0);
	struct lb_line_mode m = m_800g_16qam(); /* 30 W */
	near_rel(eval_at(&p, &m, 3).power_per_bit_pj, 37.5, 1e-9, "800G at 30 W");
	m = m_zr400_16qam(); /* 21 W */
	near_rel(eval_at(&p, &m, 3).power_per_bit_pj, 52.5, 1e-9, "400G ZR+ at 21 W");
	m = m_400zr(); /* 15 W */
	near_rel(eval_at(&p, &m, 3).power_per_bit_pj, 37.5, 1e-9, "400ZR at 15 W");
	/* An 800G module run at 400G: the same watts, twice the pJ/bit. */
	m = m_400g_qpsk();
	near_rel(eval_at(&p, &m, 3).power_per_bit_pj, 75.0, 1e-9, "800G module at 400G");
	/* The mode's own energy per bit: calibration fills it when 0, keeps a given one. */
	m = m_800g_16qam();
	assert_true(m.energy_pj_per_bit == 0.0);
	assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
	near_rel(m.energy_pj_per_bit, 37.5, 1e-12, "800G at 30 W, calibrated");
	m = m_800g_16qam();
	m.energy_pj_per_bit = 20.0;
	assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
	assert_true(m.energy_pj_per_bit == 20.0);
	/* PCS with its net rate from the entropy: energy over that rate */
	m = m_800g_pcs_e();
	assert_int_equal(lb_line_mode_calibrate(&m), LB_OK);
	near_rel(m.energy_pj_per_bit, m.module_power_w * 1e3 / m.net_rate_gbps, 1e-12, "PCS");
}

static void test_fec_waterfall(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 0.0);
	struct lb_line_mode m = m_800g_16qam();
	m.line_rate_gbps = 845.1;
	/* Find the launch at which Δ = −0.1 dB: post-FEC BER 1e-9 (−15 + 60·0.1). */
	double lo = -5, hi = 5;
	for (int i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;
		double thr;
		lb_link_format_snr_at_ber(LB_LINK_FORMAT_DP_16QAM, 2e-2, &thr);
		struct lb_link_result r = eval_at(&p, &m, mid);
		if (r.snr_dec_db - thr < -0.1)
			lo = mid;
		else
			hi = mid;
	}
	struct lb_link_result r = eval_at(&p, &m, hi);
	assert_int_equal(r.fec_state, LB_LINK_FEC_ERRORED);
	near_rel(log10(r.post_fec_ber), -9.0, 0.01, "post-FEC BER at Δ = −0.1 dB");
	/* frames/s × min(1, BER × 5440/16) */
	near_rel(r.uncorrectable_frames_per_s, 845.1e9 / 5440 * r.post_fec_ber * 340.0, 1e-6,
		 "uncorrectable frames");
	/* Far below: capped at the pre-FEC BER and at one failure per frame. */
	r = eval_at(&p, &m, -15);
	assert_true(r.post_fec_ber <= r.pre_fec_ber);
	near_rel(r.uncorrectable_frames_per_s, 845.1e9 / 5440, 1e-9, "every frame fails");
}

/* ---------------------------------------------------------------- bad input */

static void test_bad_input(void **state)
{
	(void)state;
	struct lb_link_path p = path_of(500, 6, 3.0);
	struct lb_line_mode m = m_800g_16qam();
	struct lb_link_result r = LB_LINK_RESULT_INIT;
	double d;
	assert_int_equal(lb_link_evaluate(NULL, &m, NULL, &r), LB_E_INVAL);
	assert_int_equal(lb_link_evaluate(&p, NULL, NULL, &r), LB_E_INVAL);
	assert_int_equal(lb_link_evaluate(&p, &m, NULL, NULL), LB_E_INVAL);
	assert_int_equal(lb_link_optimal_launch(&p, &m, NULL), LB_E_INVAL);
	/* Modes: the size rule (a mode cleared and never set up), the appended members' ranges. */
	struct lb_line_mode bad = m;
	bad.size = 0;
	assert_int_equal(lb_line_mode_check(&bad), LB_E_INVAL);
	assert_int_equal(lb_line_mode_calibrate(&bad), LB_E_INVAL);
	assert_int_equal(lb_link_evaluate(&p, &bad, NULL, &r), LB_E_INVAL);
	bad.size = LB_LINE_MODE_SIZE_V1 - 1;
	assert_int_equal(lb_line_mode_check(&bad), LB_E_INVAL);
	bad = m;
	bad.reach_km = -1.0;
	assert_int_equal(lb_line_mode_check(&bad), LB_E_RANGE);
	bad.reach_km = NAN;
	assert_int_equal(lb_line_mode_check(&bad), LB_E_INVAL);
	bad = m;
	bad.energy_pj_per_bit = 5000.0;
	assert_int_equal(lb_line_mode_check(&bad), LB_E_RANGE);
	/* Paths. */
	struct lb_link_path q;
	assert_int_equal(lb_link_path_init(&q, 0, 1), LB_E_RANGE);
	assert_int_equal(lb_link_path_init(&q, -100, 1), LB_E_RANGE);
	assert_int_equal(lb_link_path_init(&q, NAN, 1), LB_E_INVAL);
	assert_int_equal(lb_link_path_init(&q, 500, 0), LB_E_RANGE);
	assert_int_equal(lb_link_path_init(&q, 5000, 1), LB_E_RANGE); /* a 5,000 km span */
	assert_int_equal(lb_link_path_init(&q, 500, LB_LINK_MAX_SPANS + 1), LB_E_RANGE);
	q = p;
	q.span_count = 0;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.launch_dbm = NAN;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_INVAL);
	q = p;
	q.launch_dbm = 40;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.spans[3].length_km = -1;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.spans[3].loss_db_per_km = INFINITY;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_INVAL);
	q = p;
	q.spans[3].amp_nf_db = 1.0; /* below the 3 dB quantum limit */
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.spans[0].dispersion_ps_nm_km = 0.0;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.frequency_thz = 230;
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	q = p;
	q.channel_spacing_ghz = 75; /* 118 GBd does not fit a 75 GHz grid */
	assert_int_equal(lb_link_evaluate(&q, &m, NULL, &r), LB_E_RANGE);
	/* Modes. */
	struct lb_line_mode b = m;
	b.baud_gbd = 0;
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_RANGE);
	b = m;
	b.fec_threshold_ber = NAN;
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_INVAL);
	b = m;
	b.fec_threshold_ber = 0.5; /* beyond the 16QAM curve */
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_RANGE);
	b = m;
	b.req_osnr_db = 0; /* only PCS may leave it to the model */
	assert_int_equal(lb_line_mode_calibrate(&b), LB_E_RANGE);
	b = m;
	b.cd_penalty.x[1] = 20000; /* not ascending */
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_RANGE);
	b = m;
	b.format = (enum lb_link_format)99;
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_INVAL);
	b = m_800g_pcs_e();
	b.entropy_bits = 7;
	assert_int_equal(lb_link_evaluate(&p, &b, NULL, &r), LB_E_RANGE);
	/* Options. */
	struct lb_link_eval_opts o = { .launch = LB_LINK_LAUNCH_GIVEN, .launch_dbm = NAN };
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_E_INVAL);
	o.launch_dbm = 25;
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_E_RANGE);
	o = (struct lb_link_eval_opts){ .have_dgd = true, .dgd_ps = -1 };
	assert_int_equal(lb_link_evaluate(&p, &m, &o, &r), LB_E_INVAL);
	/* η. */
	struct lb_link_span s;
	lb_link_span_init(&s, 80);
	assert_int_equal(lb_link_nli_eta(&s, 193.4, 118.2, 75, 32, &d), LB_E_RANGE);
	assert_int_equal(lb_link_nli_eta(&s, 193.4, 118.2, 150, 0, &d), LB_E_RANGE);
	assert_int_equal(lb_link_nli_eta(NULL, 193.4, 118.2, 150, 32, &d), LB_E_INVAL);
	/* Names never NULL. */
	assert_string_equal(lb_link_format_name((enum lb_link_format)77), "unknown");
	assert_string_equal(lb_link_limit_name(LB_LINK_LIMIT_RX_POWER), "rx_power");
	assert_string_equal(lb_link_state_name(LB_LINK_STATE_NO_LOCK), "no_lock");
	assert_string_equal(lb_link_fec_state_name(LB_LINK_FEC_CLEAN), "clean");
	assert_string_equal(lb_link_format_name(LB_LINK_FORMAT_DP_8QAM), "DP-8QAM");
}

/* Every field of every result is a finite number, over a sweep of paths and modes. */
static bool result_finite(const struct lb_link_result *r)
{
	const double v[] = { r->launch_dbm, r->length_km, r->osnr_ase_db, r->osnr_nli_db, r->osnr_db,
			     r->penalty_cd_db, r->penalty_dgd_db, r->penalty_pdl_db, r->penalty_rx_db,
			     r->penalty_db, r->margin_db, r->snr_db, r->esnr_db, r->snr_dec_db,
			     r->pre_fec_ber, r->q_db, r->post_fec_ber, r->uncorrectable_frames_per_s,
			     r->cd_ps_nm, r->dgd_mean_ps, r->dgd_ps, r->rx_power_dbm,
			     r->latency_one_way_ms, r->net_rate_gbps, r->power_per_bit_pj };
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (!isfinite(v[i]))
			return false;
	return true;
}

static void test_results_always_finite(void **state)
{
	(void)state;
	struct lb_line_mode (*modes[])(void) = { m_400zr, m_zr400_16qam, m_zr400_8qam, m_zr300,
						 m_zr200, m_zr100, m_800g_16qam, m_800g_pcs_e,
						 m_800g_pcs_m, m_600g_pcs, m_400g_qpsk };
	static const double km[] = { 1, 40, 80, 500, 1000, 3000, 12000 };
	static const double launch[] = { -20, -5, 0, 3, 10, 20 };
	for (size_t mi = 0; mi < sizeof(modes) / sizeof(modes[0]); mi++) {
		struct lb_line_mode m = modes[mi]();
		for (size_t k = 0; k < sizeof(km) / sizeof(km[0]); k++) {
			unsigned n = (unsigned)ceil(km[k] / 80.0);
			struct lb_link_path p = path_of(km[k], n, 0.0);
			for (size_t l = 0; l < sizeof(launch) / sizeof(launch[0]); l++) {
				struct lb_link_result r = eval_at(&p, &m, launch[l]);
				assert_true(result_finite(&r));
			}
			/* Without amplifiers or NLI: the absent noise is reported as 99 dB. */
			for (unsigned i = 0; i < n; i++) {
				p.spans[i].amplified = false;
				p.spans[i].gamma_per_w_km = 0;
			}
			m.tx_osnr_db = 0;
			m.rx_los_dbm = -60;
			struct lb_link_result r = eval_at(&p, &m, 0);
			assert_true(result_finite(&r));
			m = modes[mi]();
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ase_constant),
		cmocka_unit_test(test_nli_eta_table),
		cmocka_unit_test(test_optimum_rules_of_thumb),
		cmocka_unit_test(test_osnr_to_snr),
		cmocka_unit_test(test_ber_curves),
		cmocka_unit_test(test_calibration_table),
		cmocka_unit_test(test_pcs_entropy),
		cmocka_unit_test(test_worked_tokyo_osaka),
		cmocka_unit_test(test_worked_1000km),
		cmocka_unit_test(test_quick_checks),
		cmocka_unit_test(test_reach_table),
		cmocka_unit_test(test_cd_and_pmd),
		cmocka_unit_test(test_maxwell_tails),
		cmocka_unit_test(test_drift_statistics),
		cmocka_unit_test(test_ends),
		cmocka_unit_test(test_rx_power_and_los),
		cmocka_unit_test(test_power_per_bit),
		cmocka_unit_test(test_fec_waterfall),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_results_always_finite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
