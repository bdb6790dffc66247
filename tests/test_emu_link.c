/* SPDX-License-Identifier: MIT */
/*
 * The emulated coherent link (lb_emu_link_*): two coherent modules joined by a path of the link
 * model. What each end receives follows the model (800G 16QAM closes over Tokyo-Osaka, fails
 * over 1,000 km where a lower rate closes), ends that disagree (laser off, Tx disabled, data
 * path down, another mode, another channel) give LOS or LOL, retuning one end darkens both
 * and retuning the other brings the link back, the DGD drifts on the virtual clock, and bad
 * joins are refused.
 */
#include <math.h>
#include "emu_fixture.h"
#include <lightbridge/link.h>
#include "emulator/link/emu_link.h"

#define S_NS 1000000000ull
#define COHERENT EMU_PROFILE("coherent-800g-qsfpdd")
#define PATHS LB_SOURCE_DIR "/link/paths/"

struct rig {
	struct lb_emu_world *w;
	struct lb_emu_module *m[2];
	struct lb_line_modes modes;
	struct lb_link_path path;
	struct lb_emu_link *link;
};

static void wr(struct lb_emu_module *m, uint8_t page, uint8_t off, const uint8_t *d, size_t n)
{
	uint8_t sel[3] = { 126, 0, page };
	assert_int_equal(lb_emu_module_i2c_write(m, sel, 3), LB_OK);
	uint8_t buf[64];
	buf[0] = off;
	memcpy(&buf[1], d, n);
	assert_int_equal(lb_emu_module_i2c_write(m, buf, n + 1), LB_OK);
}

static void wr1(struct lb_emu_module *m, uint8_t page, uint8_t off, uint8_t v)
{
	wr(m, page, off, &v, 1);
}

static void advance_s(struct rig *r, double s)
{
	lb_emu_world_advance_ns(r->w, (uint64_t)(s * (double)S_NS));
}

/* Both modules to high power; their data paths come up with the default application. */
static void rig_open_profile(struct rig *r, const char *path_file, const char *profile);

static void rig_open(struct rig *r, const char *path_file)
{
	rig_open_profile(r, path_file, COHERENT);
}

static void rig_open_profile(struct rig *r, const char *path_file, const char *profile)
{
	char err[256] = "";
	memset(r, 0, sizeof(*r));
	assert_int_equal(lb_emu_world_create(&r->w), LB_OK);
	for (int i = 0; i < 2; i++) {
		if (lb_emu_module_create(r->w, profile, &r->m[i], err, sizeof(err)))
			fail_msg("%s", err);
		lb_emu_module_set_lpmode(r->m[i], 0);
		wr1(r->m[i], 0x00, 26, 0x00); /* LowPwrRequestSW and LowPwrAllowRequestHW clear */
	}
	if (lb_line_modes_load(LB_SOURCE_DIR "/link/modes.json", &r->modes, err, sizeof(err)))
		fail_msg("%s", err);
	if (lb_link_path_load(path_file, &r->path, err, sizeof(err)))
		fail_msg("%s", err);
	advance_s(r, 10.0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(lb_emu_module_dp_state(r->m[i], 1), 4); /* DPActivated */
}

/* The profile's 800G application (6Ch) run as the OpenROADM 800G 16QAM mode. */
static void rig_link_every(struct rig *r, const char *mode_6c, uint64_t interval_ns)
{
	struct lb_emu_link_opts o = LB_EMU_LINK_OPTS_INIT;
	o.seed = 42;
	o.interval_ns = interval_ns;
	if (mode_6c) {
		o.media_mode_count = 1;
		o.media_modes[0].media_id = 0x6C;
		snprintf(o.media_modes[0].mode, sizeof(o.media_modes[0].mode), "%s", mode_6c);
	}
	assert_int_equal(lb_emu_link_create(r->w, r->m[0], r->m[1], &r->path, &r->modes, &o, &r->link),
			 LB_OK);
}

static void rig_link(struct rig *r, const char *mode_6c)
{
	rig_link_every(r, mode_6c, 0);
}

static void rig_close(struct rig *r)
{
	lb_emu_world_destroy(r->w); /* the link goes with it */
	lb_line_modes_free(&r->modes);
}

static struct lb_emu_link_sample sample(struct rig *r, unsigned end)
{
	struct lb_emu_link_sample s = LB_EMU_LINK_SAMPLE_INIT;
	assert_int_equal(lb_emu_link_last_sample(r->link, end, &s), LB_OK);
	assert_true(s.sampled);
	return s;
}

/* What lb_link_evaluate says for this mode on the rig's path at the sample's DGD. */
static struct lb_link_result model(struct rig *r, const char *mode, double dgd_ps)
{
	const struct lb_line_mode *m = lb_line_modes_find(&r->modes, mode);
	assert_non_null(m);
	struct lb_link_path p = r->path;
	p.tx_power_dbm = -10.0; /* the profile's Tx power target */
	p.frequency_thz = 193.1;
	struct lb_link_eval_opts o = { .have_dgd = true, .dgd_ps = dgd_ps };
	struct lb_link_result res = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&p, m, &o, &res), LB_OK);
	return res;
}

/* Switch both data paths of a module to application sel (8 host lanes), staged and applied. */
static void select_app(struct rig *r, int i, uint8_t sel)
{
	wr1(r->m[i], 0x10, 128, 0xFF); /* DPDeinit */
	advance_s(r, 1.0);
	uint8_t cfg[8];
	memset(cfg, (uint8_t)(sel << 4), sizeof(cfg));
	wr(r->m[i], 0x10, 145, cfg, sizeof(cfg));
	wr1(r->m[i], 0x10, 143, 0xFF); /* ApplyDPInit, staged set 0 */
	wr1(r->m[i], 0x10, 128, 0x00);
}

static void close_within(double got, double want, double tol)
{
	if (fabs(got - want) > tol)
		fail_msg("%.6g, expected %.6g within %.3g", got, want, tol);
}

/* Tokyo-Osaka: 800G 16QAM closes, each end sees what the model says, within the monitors. */
static void test_500km_closes(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "tokyo-osaka-500km.json");
	rig_link(&r, "800g-16qam-118");
	advance_s(&r, 1.0);
	for (unsigned end = 0; end < 2; end++) {
		struct lb_emu_link_sample s = sample(&r, end);
		assert_string_equal(s.rx_mode, "800g-16qam-118");
		assert_string_equal(s.tx_mode, "800g-16qam-118");
		assert_true(s.tx_lit && s.rx_ready);
		assert_int_equal(s.result.state, LB_LINK_STATE_UP);
		assert_true(s.result.closes);
		struct lb_link_result want = model(&r, "800g-16qam-118", s.result.dgd_ps);
		close_within(s.result.osnr_db, want.osnr_db, 1e-9);
		close_within(s.result.pre_fec_ber, want.pre_fec_ber, want.pre_fec_ber * 1e-9);
		close_within(s.result.cd_ps_nm, 8350.0, 1.0);
		close_within(s.result.rx_power_dbm, want.rx_power_dbm, 1e-9);
		close_within(s.result.latency_one_way_ms, 2.449, 0.001);
	}
	/* The Rx power monitor of lane 1 follows the link: -2.0 dBm, 11h:186 in 0.1 uW. */
	uint8_t b[2];
	assert_int_equal(lb_emu_module_peek(r.m[1], 0, 0x11, 186, b, 2), LB_OK);
	close_within(10.0 * log10(((unsigned)b[0] << 8 | b[1]) / 10000.0), sample(&r, 1).result.rx_power_dbm, 0.01);
	/* The standard 800ZR mapping of 6Ch: out of its CD tolerance over 500 km. */
	lb_emu_link_destroy(r.link);
	rig_link(&r, NULL);
	advance_s(&r, 0.2);
	struct lb_emu_link_sample s = sample(&r, 0);
	assert_string_equal(s.rx_mode, "800zr");
	assert_int_equal(s.result.state, LB_LINK_STATE_UP);
	assert_false(s.result.closes);
	assert_true(s.result.out_of_range & LB_LINK_OOR_CD);
	rig_close(&r);
}

/* 1,000 km: 800G 16QAM fails (CD), ZR300 8QAM on both ends closes, so does 800G with PCS. */
static void test_1000km_lower_rate_closes(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "long-haul-1000km.json");
	rig_link(&r, "800g-16qam-118");
	advance_s(&r, 0.5);
	struct lb_emu_link_sample s = sample(&r, 0);
	assert_int_equal(s.result.state, LB_LINK_STATE_UP);
	assert_false(s.result.closes);
	assert_false(model(&r, "800g-16qam-118", s.result.dgd_ps).closes);
	/* One end to ZR300-OFEC-8QAM (AppSel 4): the modes disagree, no frame lock either way. */
	select_app(&r, 0, 4);
	advance_s(&r, 10.0);
	s = sample(&r, 1);
	assert_string_equal(s.tx_mode, "zr+300g");
	assert_string_equal(s.rx_mode, "800g-16qam-118");
	assert_int_equal(s.result.state, LB_LINK_STATE_NO_LOCK);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_NO_LOCK);
	/* The other end too: the link closes, as the model says. */
	select_app(&r, 1, 4);
	advance_s(&r, 10.0);
	for (unsigned end = 0; end < 2; end++) {
		s = sample(&r, end);
		assert_string_equal(s.rx_mode, "zr+300g");
		assert_int_equal(s.result.state, LB_LINK_STATE_UP);
		assert_true(s.result.closes);
		struct lb_link_result want = model(&r, "zr+300g", s.result.dgd_ps);
		assert_true(want.closes);
		close_within(s.result.pre_fec_ber, want.pre_fec_ber, want.pre_fec_ber * 1e-9);
	}
	/* The vendor's PCS mode 1 (page B0h:144, docs/extensions.md) on one end: the modes
	 * disagree; on both: 800G closes over 1,000 km with shaping. */
	wr1(r.m[0], 0xB0, 144, 1);
	advance_s(&r, 0.5);
	s = sample(&r, 1);
	assert_string_equal(s.tx_mode, "800g-pcs-131e");
	assert_int_equal(s.result.state, LB_LINK_STATE_NO_LOCK);
	wr1(r.m[1], 0xB0, 144, 1);
	advance_s(&r, 0.5);
	for (unsigned end = 0; end < 2; end++) {
		s = sample(&r, end);
		assert_string_equal(s.rx_mode, "800g-pcs-131e");
		assert_int_equal(s.result.state, LB_LINK_STATE_UP);
		assert_true(s.result.closes);
		close_within(s.result.net_rate_gbps, 800.0, 1e-9);
	}
	/* a code the page does not list (4) is not a mode: back to the application's */
	wr1(r.m[0], 0xB0, 144, 4);
	advance_s(&r, 0.5);
	assert_string_equal(sample(&r, 1).tx_mode, "zr+300g");
	rig_close(&r);
}

/*
 * A module whose PCS modes are on a "PCS1" vendor page (B8h, docs/extensions.md): the mode in
 * force there (byte 140) is what the link runs; one end alone disagrees, both close 1,000 km.
 */
static void test_pcs1_page_mode(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open_profile(&r, PATHS "long-haul-1000km.json",
			 LB_SOURCE_DIR "/emulator/profiles/coherent-800g-pcs-qsfpdd.json");
	rig_link(&r, "800g-16qam-118");
	for (int i = 0; i < 2; i++) {
		wr1(r.m[i], 0x10, 128, 0xFF); /* DPDeinit: a mode changes with the data paths down */
		advance_s(&r, 1.0);
		wr1(r.m[i], 0xB8, 144, 1);    /* descriptor 1: 800g-pcs-131e */
		advance_s(&r, 3.0);           /* the mode-change time the page states: 2 s */
		wr1(r.m[i], 0x10, 128, 0x00);
		advance_s(&r, 10.0);
		if (i == 0) {
			struct lb_emu_link_sample s = sample(&r, 1);
			assert_string_equal(s.tx_mode, "800g-pcs-131e");
			assert_int_equal(s.result.state, LB_LINK_STATE_NO_LOCK);
		}
	}
	for (unsigned end = 0; end < 2; end++) {
		struct lb_emu_link_sample s = sample(&r, end);
		assert_string_equal(s.rx_mode, "800g-pcs-131e");
		assert_int_equal(s.result.state, LB_LINK_STATE_UP);
		assert_true(s.result.closes);
	}
	rig_close(&r);
}

/* Retune one end: both lose the signal (each carrier is off the other's channel). */
static void test_retune_one_then_other(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "tokyo-osaka-500km.json");
	rig_link(&r, "800g-16qam-118");
	advance_s(&r, 0.5);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_UP);
	uint8_t ch[2] = { 0, 6 }; /* channel 6 of the configured grid */
	wr(r.m[1], 0x12, 136, ch, 2);
	advance_s(&r, 0.5); /* tuning: B's laser is unlocked, it sends nothing */
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_LOS);
	assert_false(sample(&r, 0).tx_lit);
	advance_s(&r, 1.0); /* B is on its new channel: A's carrier is not B's, B's not A's */
	struct lb_emu_link_sample a = sample(&r, 0), b = sample(&r, 1);
	assert_true(a.tx_lit && b.tx_lit);
	assert_true(fabs(a.tx_frequency_thz - a.rx_frequency_thz) > 0.1);
	assert_int_equal(a.result.state, LB_LINK_STATE_LOS);
	assert_int_equal(b.result.state, LB_LINK_STATE_LOS);
	/* LOS in the telemetry the module is fed: Rx power monitor at 0 */
	uint8_t p[2];
	assert_int_equal(lb_emu_module_peek(r.m[0], 0, 0x11, 186, p, 2), LB_OK);
	assert_int_equal(p[0] << 8 | p[1], 0);
	/* A follows: the link comes back. */
	wr(r.m[0], 0x12, 136, ch, 2);
	advance_s(&r, 1.5);
	a = sample(&r, 0);
	b = sample(&r, 1);
	assert_int_equal(a.result.state, LB_LINK_STATE_UP);
	assert_int_equal(b.result.state, LB_LINK_STATE_UP);
	assert_true(a.result.closes);
	close_within(a.tx_frequency_thz, a.rx_frequency_thz, 1e-9);
	rig_close(&r);
}

/* Tx disabled, data path down, laser tuning, module in low power: each gives LOS or LOL. */
static void test_ends_disagree(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "tokyo-osaka-500km.json");
	rig_link(&r, "800g-16qam-118");
	advance_s(&r, 0.5);
	/* B's Tx power monitor (11h:154, 0.1 uW) reads its target while it sends */
	uint8_t tx[2];
	assert_int_equal(lb_emu_module_peek(r.m[1], 0, 0x11, 154, tx, 2), LB_OK);
	close_within(10.0 * log10((tx[0] << 8 | tx[1]) / 10000.0), -10.0, 0.01);
	wr1(r.m[1], 0x10, 130, 0x01); /* B's media lane 1 Tx disabled */
	advance_s(&r, 0.5);
	assert_int_equal(lb_emu_module_peek(r.m[1], 0, 0x11, 154, tx, 2), LB_OK);
	assert_int_equal(tx[0] << 8 | tx[1], 0);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_LOS);
	assert_int_equal(sample(&r, 1).result.state, LB_LINK_STATE_UP); /* A still sends */
	wr1(r.m[1], 0x10, 130, 0x00);
	advance_s(&r, 1.0); /* DPTxTurnOn: 600 ms */
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_UP);
	/* B's data path deinitialised: B sends nothing, and cannot lock on A's light. */
	advance_s(&r, 1.0);
	wr1(r.m[1], 0x10, 128, 0xFF);
	advance_s(&r, 2.0);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_LOS);
	assert_int_equal(sample(&r, 1).result.state, LB_LINK_STATE_NO_LOCK);
	assert_false(sample(&r, 1).rx_ready);
	/* A dark result has no signal figures */
	assert_true(sample(&r, 1).result.pre_fec_ber == 0.0);
	assert_false(sample(&r, 1).result.closes);
	wr1(r.m[1], 0x10, 128, 0x00);
	advance_s(&r, 10.0);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_UP);
	assert_int_equal(sample(&r, 1).result.state, LB_LINK_STATE_UP);
	/* B to low power: its laser goes out. */
	lb_emu_module_set_lpmode(r.m[1], 1);
	wr1(r.m[1], 0x00, 26, 0x10); /* LowPwrRequestSW */
	advance_s(&r, 3.0);
	assert_int_equal(sample(&r, 0).result.state, LB_LINK_STATE_LOS);
	rig_close(&r);
}

/* The DGD of each direction drifts on the virtual clock, around the path's mean. */
static void test_dgd_drifts(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "long-haul-1000km.json");
	rig_link_every(&r, "800g-16qam-118", 60 * S_NS);
	double first = -1.0, lo = 1e9, hi = 0.0, sum = 0.0;
	unsigned n = 0;
	for (int k = 0; k < 400; k++) {
		advance_s(&r, 600.0); /* 10 minutes of virtual time */
		struct lb_emu_link_sample s = sample(&r, 0);
		double d = s.result.dgd_ps;
		assert_true(d >= 0.0 && isfinite(d));
		if (first < 0.0)
			first = d;
		lo = d < lo ? d : lo;
		hi = d > hi ? d : hi;
		sum += d;
		n++;
		close_within(s.result.dgd_mean_ps, 1.26, 0.01);
	}
	assert_true(hi - lo > 0.5);                /* it moves */
	close_within(sum / n, 1.26, 0.35);         /* around the mean (Maxwellian) */
	/* The other direction drifts on its own. */
	assert_true(fabs(sample(&r, 1).result.dgd_ps - sample(&r, 0).result.dgd_ps) > 1e-6);
	rig_close(&r);
}

/* Bad joins are refused and leave the modules as they were. */
static void test_bad_join(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, PATHS "tokyo-osaka-500km.json");
	struct lb_emu_link *l = NULL;
	assert_int_equal(lb_emu_link_create(NULL, r.m[0], r.m[1], &r.path, &r.modes, NULL, &l), LB_E_INVAL);
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[0], &r.path, &r.modes, NULL, &l), LB_E_INVAL);
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], NULL, &r.modes, NULL, &l), LB_E_INVAL);
	struct lb_line_modes none = { 0 };
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &r.path, &none, NULL, &l), LB_E_INVAL);
	struct lb_link_path bad = r.path;
	bad.size = 8;
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &bad, &r.modes, NULL, &l), LB_E_INVAL);
	bad = r.path;
	bad.spans[0].length_km = -5.0;
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &bad, &r.modes, NULL, &l), LB_E_RANGE);
	bad = r.path;
	bad.launch_dbm = NAN;
	assert_int_not_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &bad, &r.modes, NULL, &l), LB_OK);
	struct lb_emu_link_opts o = LB_EMU_LINK_OPTS_INIT;
	o.media_mode_count = 1;
	o.media_modes[0].media_id = 0x6C;
	snprintf(o.media_modes[0].mode, sizeof(o.media_modes[0].mode), "no-such-mode");
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &r.path, &r.modes, &o, &l), LB_E_NOTFOUND);
	o.media_mode_count = LB_EMU_LINK_MAX_MEDIA_MODES + 1;
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &r.path, &r.modes, &o, &l), LB_E_RANGE);
	o = (struct lb_emu_link_opts)LB_EMU_LINK_OPTS_INIT;
	o.size = 4;
	assert_int_equal(lb_emu_link_create(r.w, r.m[0], r.m[1], &r.path, &r.modes, &o, &l), LB_E_INVAL);
	assert_null(l);
	/* a module of another world */
	struct lb_emu_world *w2;
	assert_int_equal(lb_emu_world_create(&w2), LB_OK);
	assert_int_equal(lb_emu_link_create(w2, r.m[0], r.m[1], &r.path, &r.modes, NULL, &l), LB_E_INVAL);
	lb_emu_world_destroy(w2);
	/* an end of another link */
	rig_link(&r, NULL);
	struct lb_emu_module *third;
	char err[256];
	assert_int_equal(lb_emu_module_create(r.w, COHERENT, &third, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_link_create(r.w, r.m[1], third, &r.path, &r.modes, NULL, &l), LB_E_EXISTS);
	/* the getter's own checks */
	struct lb_emu_link_sample s = LB_EMU_LINK_SAMPLE_INIT;
	assert_int_equal(lb_emu_link_last_sample(r.link, 2, &s), LB_E_INVAL);
	s.size = 8;
	assert_int_equal(lb_emu_link_last_sample(r.link, 0, &s), LB_E_INVAL);
	assert_int_equal(lb_emu_link_last_sample(NULL, 0, &s), LB_E_INVAL);
	/* destroyed: the ends are free again; a module destroyed first is fine too */
	lb_emu_link_destroy(r.link);
	assert_int_equal(lb_emu_link_create(r.w, r.m[1], third, &r.path, &r.modes, NULL, &l), LB_OK);
	lb_emu_module_destroy(third);
	lb_emu_link_destroy(NULL);
	rig_close(&r);
}

/* What a receiver is fed for each state (emu_link_report), V2 and V1 telemetry alike. */
static void test_report(void **unused)
{
	(void)unused;
	struct lb_emu_link_sample s = LB_EMU_LINK_SAMPLE_INIT;
	s.result = (struct lb_link_result)LB_LINK_RESULT_INIT;
	s.result.state = LB_LINK_STATE_UP;
	s.result.osnr_db = 20.0;
	s.result.esnr_db = 15.0;
	s.result.pre_fec_ber = 1e-3;
	s.result.post_fec_ber = 0.0;
	s.result.cd_ps_nm = 8350.0;
	s.result.dgd_ps = 1.5;
	s.result.rx_power_dbm = -3.0;
	s.tx_frequency_thz = 193.1001;
	s.rx_frequency_thz = 193.1;
	struct lb_emu_telemetry tm;
	memset(&tm, 0, sizeof(tm));
	tm.size = sizeof(tm);
	tm.lanes = 8;
	emu_link_report(&s, true, -8.0, 0.5, 125.0, &tm);
	close_within(tm.rx_power_mw[0], pow(10.0, -0.3), 1e-12);
	close_within(tm.tx_power_mw[0], pow(10.0, -0.8), 1e-12);
	assert_false(tm.media_los[0] || tm.media_lol[0]);
	close_within(tm.osnr_db[0], 20.0, 0);
	close_within(tm.esnr_db[0], 15.0, 0);
	close_within(tm.pre_fec_ber[0], 1e-3, 0);
	close_within(tm.cd_ps_nm[0], 8350.0, 0);
	close_within(tm.dgd_ps[0], 1.5, 0);
	close_within(tm.pdl_db[0], 0.5, 0);
	close_within(tm.cfo_mhz[0], 100.0, 1e-3);
	close_within(tm.rx_signal_power_dbm[0], -3.0, 0);
	/* ASE of OSNR 20 dB in 125 GBd (10 x 0.1 nm): a tenth of the signal, +0.41 dB */
	close_within(tm.rx_total_power_dbm[0], -3.0 + 10.0 * log10(1.1), 1e-9);
	/* LOL: light but no lock: Rx power, no DSP figures */
	s.result.state = LB_LINK_STATE_NO_LOCK;
	emu_link_report(&s, false, -8.0, 0.5, 125.0, &tm);
	assert_true(tm.media_lol[0] && !tm.media_los[0]);
	close_within(tm.rx_power_mw[0], pow(10.0, -0.3), 1e-12);
	assert_true(tm.tx_power_mw[0] == 0.0); /* the receiver does not send */
	assert_true(isnan(tm.osnr_db[0]) && isnan(tm.pre_fec_ber[0]) && isnan(tm.cd_ps_nm[0]) &&
		    isnan(tm.dgd_ps[0]) && isnan(tm.cfo_mhz[0]) && isnan(tm.esnr_db[0]));
	close_within(tm.rx_signal_power_dbm[0], -3.0, 0);
	/* LOS: no light */
	s.result.state = LB_LINK_STATE_LOS;
	emu_link_report(&s, true, -8.0, 0.5, 125.0, &tm);
	assert_true(tm.media_los[0] && !tm.media_lol[0]);
	assert_true(tm.rx_power_mw[0] == 0.0);
	close_within(tm.rx_signal_power_dbm[0], LB_LINK_NO_SIGNAL_DBM, 0);
	/* a V1 struct (an older module): the lane monitors only, nothing past its size */
	unsigned char buf[sizeof(struct lb_emu_telemetry)];
	memset(buf, 0xA5, sizeof(buf));
	struct lb_emu_telemetry *v1 = (struct lb_emu_telemetry *)(void *)buf;
	v1->size = LB_EMU_TELEMETRY_SIZE_V1;
	v1->lanes = 8;
	s.result.state = LB_LINK_STATE_UP;
	emu_link_report(&s, true, -8.0, 0.5, 125.0, v1);
	close_within(v1->rx_power_mw[0], pow(10.0, -0.3), 1e-12);
	for (size_t i = LB_EMU_TELEMETRY_SIZE_V1; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0xA5);
	/* a flat module (no lanes): no lane monitor touched */
	memset(&tm, 0, sizeof(tm));
	tm.size = sizeof(tm);
	emu_link_report(&s, true, -8.0, 0.5, 125.0, &tm);
	assert_true(tm.rx_power_mw[0] == 0.0 && tm.tx_power_mw[0] == 0.0);
	close_within(tm.osnr_db[0], 20.0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_500km_closes),
		cmocka_unit_test(test_1000km_lower_rate_closes),
		cmocka_unit_test(test_pcs1_page_mode),
		cmocka_unit_test(test_retune_one_then_other),
		cmocka_unit_test(test_ends_disagree),
		cmocka_unit_test(test_dgd_drifts),
		cmocka_unit_test(test_bad_join),
		cmocka_unit_test(test_report),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
