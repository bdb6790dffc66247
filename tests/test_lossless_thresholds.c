/* SPDX-License-Identifier: MIT */
/*
 * Distance-aware lossless thresholds (lightbridge/thresholds.h) on the scale-across
 * scenarios (platforms/scale-across-500km.json, -1000km.json: two coherent 800G modules
 * joined by the fibre, both cages on a Jericho-class emulated ASIC):
 * - the round trip from the optics: the coherent module's measured CD over the path's D
 *   gives the path's length (within a few % with G.652's default D, its uncertainty
 *   covering the difference); a link down, a module that is not coherent, a port on no link
 *   fall back to the next source, named;
 * - lb_platform_lossless_apply programs the lossless PGs for that distance, and the emulated
 *   traffic model then loses nothing on a lossless priority under a congestion burst, where
 *   the short-distance thresholds (0.3 km) lose; a re-apply releases what it replaced;
 * - what the buffer cannot hold is refused whole, a step the switch refuses undoes the
 *   steps before it; the ECN thresholds follow the documented rule.
 * Virtual time only.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/emulator.h>
#include "drivers/bus/emulator/emulator_bus.h"
#include "platform_rig.h"

extern const struct lb_driver lb_bus_driver_emulator;

#define MS_NS 1000000ull
#define C_KM_PER_NS 299792.458e-9

/* A scenario file, its ASIC's profile replaced when profile is not NULL. */
static struct lb_platform *scenario(struct lb_ctx *ctx, const char *name, const char *profile)
{
	char file[512];
	snprintf(file, sizeof(file), "%s/platforms/%s", LB_SOURCE_DIR, name);
	json_error_t err;
	json_t *root = json_load_file(file, 0, &err);
	assert_non_null(root);
	if (profile)
		json_object_set_new(root, "asic", json_pack("{s:s, s:{s:s}}", "driver", "emulated", "options",
							      "profile", profile));
	char *text = json_dumps(root, 0);
	json_decref(root);
	struct lb_platform *p;
	int rc = lb_platform_open_json(ctx, text, file, &p);
	free(text);
	if (rc)
		fail_msg("%s: %s (%s)", name, lb_status_name(rc), lb_ctx_last_error(ctx));
	return p;
}

/* Both ends admin up at 800G and bound; at 1,000 km on the shaped mode that closes there. */
static void link_up(struct lb_platform *p, bool long_haul)
{
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	for (uint32_t a = 0; a < 2; a++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.speed_mbps = 800000;
		c.admin_up = 1;
		assert_int_equal(lb_asic_port_set(sw, a, &c, LB_ASIC_PORT_SET_SPEED | LB_ASIC_PORT_SET_ADMIN), LB_OK);
		if (long_haul) {
			struct lb_module *m;
			assert_int_equal(lb_platform_module(p, a + 1, &m), LB_OK);
			assert_int_equal(lb_module_select_line_mode(m, 0, "800g-pcs-131e"), LB_OK);
		}
		assert_int_equal(lb_platform_asic_port_bind(p, a, NULL, NULL), LB_OK);
	}
	platform_rig_settle(p);
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &o), LB_OK);
	assert_int_equal(o.oper, LB_ASIC_OPER_UP);
}

static struct lb_port_rtt rtt_of(struct lb_platform *p, unsigned port, const struct lb_rtt_options *o)
{
	struct lb_port_rtt r = LB_PORT_RTT_INIT;
	int rc = lb_platform_port_rtt(p, port, o, &r);
	if (rc)
		fail_msg("rtt of port %u: %s (%s)", port, lb_status_name(rc), lb_ctx_last_error(NULL));
	return r;
}

/* The module's CD gives the path's length; with G.652's D (17) within a few %, inside its
 * uncertainty; the round trip at the path's group index. */
static void check_cd_estimate(const char *file, double km, bool long_haul)
{
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, file, NULL);
	link_up(p, long_haul);
	for (unsigned port = 1; port <= 2; port++) {
		struct lb_port_rtt r = rtt_of(p, port, NULL);
		assert_int_equal(r.source, LB_RTT_SOURCE_CD_ESTIMATE);
		assert_string_equal(lb_rtt_source_name(r.source), "cd-estimate");
		assert_true(fabs(r.distance_km - km) < 0.01 * km);
		assert_true(fabs(r.dispersion_ps_nm_km - 16.7) < 1e-9); /* the path's fibre */
		assert_true(fabs(r.cd_ps_nm - 16.7 * km) < 0.01 * 16.7 * km);
		double rtt = 2 * km * 1.4682 / C_KM_PER_NS;
		assert_true(fabs(r.rtt_ns - rtt) < 0.01 * rtt);
		assert_true(fabs(r.rtt_ns - 2 * r.one_way_ns) < 1e-6);
		assert_true(r.uncertainty_km > 0 && r.uncertainty_km < 0.01 * km);
		assert_non_null(strstr(r.skipped, "module-delay: no CMIS or C-CMIS register"));
		assert_null(strstr(r.skipped, "cd-estimate"));
		assert_string_equal(r.path, long_haul ? "long-haul-1000km" : "tokyo-osaka-500km");
		print_message("port %u: CD %.0f ps/nm -> %.1f km +- %.2f, rtt %.3f ms\n", port, r.cd_ps_nm,
			      r.distance_km, r.uncertainty_km, r.rtt_ns / 1e6);
	}
	/* G.652's D at 1550 nm given instead of the path's: within a few % */
	struct lb_rtt_options o = LB_RTT_OPTIONS_INIT;
	o.dispersion_ps_nm_km = LB_RTT_G652_PS_NM_KM;
	struct lb_port_rtt g = rtt_of(p, 1, &o);
	assert_int_equal(g.source, LB_RTT_SOURCE_CD_ESTIMATE);
	assert_true(fabs(g.distance_km - km) < 0.03 * km);
	assert_true(fabs(g.distance_km - km * 16.7 / 17) < 1e-6 * km);
	print_message("with D = 17: %.1f km (path %.0f km)\n", g.distance_km, km);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_rtt_cd_estimate_500km(void **unused)
{
	(void)unused;
	check_cd_estimate("scale-across-500km.json", 500, false);
}

static void test_rtt_cd_estimate_1000km(void **unused)
{
	(void)unused;
	check_cd_estimate("scale-across-1000km.json", 1000, true);
}

/* A link down: the link's path, named; only the CD asked: not found, the detail says why. */
static void test_rtt_fallback_link_down(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, "scale-across-500km.json", NULL);
	struct lb_port_rtt r = rtt_of(p, 1, NULL); /* modules in low power: no signal */
	assert_int_equal(r.source, LB_RTT_SOURCE_LINK_PATH);
	assert_non_null(strstr(r.skipped, "cd-estimate: the module receives no signal"));
	assert_true(fabs(r.distance_km - 500) < 1e-9);
	assert_true(fabs(r.group_index - 1.4682) < 1e-9);
	assert_true(fabs(r.one_way_ns - 500 * 1.4682 / C_KM_PER_NS) < 1);
	assert_true(r.uncertainty_km == 0);
	/* the link model's latency of that path, to the nanosecond */
	struct lb_link_path path;
	struct lb_line_modes modes = { 0 };
	char err[256] = "";
	assert_int_equal(lb_link_path_load(LB_SOURCE_DIR "/link/paths/tokyo-osaka-500km.json", &path, err,
					   sizeof(err)), LB_OK);
	assert_int_equal(lb_line_modes_load(LB_SOURCE_DIR "/link/modes.json", &modes, err, sizeof(err)), LB_OK);
	const struct lb_line_mode *mode = lb_line_modes_find(&modes, "800g-16qam-118");
	assert_non_null(mode);
	struct lb_link_result lr = LB_LINK_RESULT_INIT;
	assert_int_equal(lb_link_evaluate(&path, mode, NULL, &lr), LB_OK);
	assert_true(fabs(r.one_way_ns - lr.latency_one_way_ms * 1e6) < 1);
	lb_line_modes_free(&modes);
	struct lb_rtt_options o = LB_RTT_OPTIONS_INIT;
	o.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_CD_ESTIMATE);
	r = (struct lb_port_rtt)LB_PORT_RTT_INIT;
	assert_int_equal(lb_platform_port_rtt(p, 1, &o, &r), LB_E_NOTFOUND);
	assert_int_equal(r.source, LB_RTT_SOURCE_NONE);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "port 1 (Tokyo0): no round trip"));
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no signal"));
	/* the caller's distance when it is the only source */
	o.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE);
	o.have_distance = 1;
	o.distance_km = 0.3;
	r = rtt_of(p, 2, &o);
	assert_int_equal(r.source, LB_RTT_SOURCE_DISTANCE);
	assert_true(fabs(r.distance_km - 0.3) < 1e-12);
	/* bad options and ports */
	struct lb_rtt_options bad = LB_RTT_OPTIONS_INIT;
	bad.dispersion_ps_nm_km = 0.5;
	assert_int_equal(lb_platform_port_rtt(p, 1, &bad, &r), LB_E_INVAL);
	bad = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	bad.have_distance = 1;
	bad.distance_km = NAN;
	assert_int_equal(lb_platform_port_rtt(p, 1, &bad, &r), LB_E_INVAL);
	bad = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	bad.sources = 1u << 7;
	assert_int_equal(lb_platform_port_rtt(p, 1, &bad, &r), LB_E_INVAL);
	assert_int_equal(lb_platform_port_rtt(p, 9, NULL, &r), LB_E_NOTFOUND);
	assert_int_equal(lb_platform_port_rtt(NULL, 1, NULL, &r), LB_E_INVAL);
	r.size = 8;
	assert_int_equal(lb_platform_port_rtt(p, 1, NULL, &r), LB_E_INVAL);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* Not coherent (the default platform's client optics), on no link: the distance, both named. */
static void test_rtt_fallback_not_coherent(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, lb_platform_default_json(), "default", &p), LB_OK);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 3, &m), LB_OK); /* 400G FR4 */
	assert_int_equal(lb_module_is_coherent(m), 0);
	struct lb_rtt_options o = LB_RTT_OPTIONS_INIT;
	o.have_distance = 1;
	o.distance_km = 10;
	struct lb_port_rtt r = rtt_of(p, 3, &o);
	assert_int_equal(r.source, LB_RTT_SOURCE_DISTANCE);
	assert_non_null(strstr(r.skipped, "cd-estimate: the module is not coherent"));
	assert_non_null(strstr(r.skipped, "link-path: port 3 is on no platform link"));
	assert_true(fabs(r.one_way_ns - 10 * 1.4682 / C_KM_PER_NS) < 1e-6);
	/* no distance either: nothing */
	assert_int_equal(lb_platform_port_rtt(p, 3, NULL, &r), LB_E_NOTFOUND);
	assert_non_null(strstr(r.skipped, "distance: no distance given"));
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* What a coherent module's DSP reports on a link of 8,500 ps/nm (500 km of D = 17). */
static int cd_8500(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	(void)user, (void)t_ns;
	tm->osnr_db[0] = 25;
	tm->esnr_db[0] = 16;
	tm->pre_fec_ber[0] = 1e-3;
	tm->post_fec_ber[0] = 0;
	tm->cd_ps_nm[0] = 8500;
	return LB_OK;
}

/* The emulated module in a port of an emulated platform (the emulator bus driver's slots). */
static struct lb_emu_module *emu_module(struct lb_platform *p, unsigned port, int channel)
{
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
	struct emu_bus *eb = lb_bus_driver_priv(lb_module_bus(m), &lb_bus_driver_emulator);
	assert_non_null(eb);
	for (unsigned i = 0; i < eb->n_slots; i++)
		if (eb->slots[i].channel == channel)
			return eb->slots[i].module;
	fail_msg("no module on channel %d", channel);
	return NULL;
}

/* A coherent module on no platform link: its CD over G.652's D (17), +- 1/17 of it. */
static void test_rtt_cd_estimate_g652(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, lb_platform_default_json(), "default", &p), LB_OK);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_module_is_coherent(m), 1);
	static const struct lb_emu_telemetry_ops source = {
		.size = sizeof(source), .sample = cd_8500, .interval_ns = 100000000ull,
	};
	assert_int_equal(lb_emu_module_set_telemetry_source(emu_module(p, 1, 0), &source, NULL), LB_OK);
	assert_int_equal(lb_module_bring_up(m, 0, 0, NULL), LB_OK);
	lb_bus_sleep_ns(lb_module_bus(m), 2000000000ull);
	struct lb_port_rtt r = rtt_of(p, 1, NULL);
	assert_int_equal(r.source, LB_RTT_SOURCE_CD_ESTIMATE);
	assert_true(fabs(r.distance_km - 500) < 1e-6);
	assert_true(fabs(r.dispersion_ps_nm_km - 17) < 1e-12);
	assert_true(fabs(r.group_index - 1.4682) < 1e-12);
	/* G.652 fibre is 16 to 18 at 1550 nm: +- 500 / 17, plus the register's 1 ps/nm */
	assert_true(fabs(r.uncertainty_km - (500.0 / 17 + 1.0 / 17)) < 1e-6);
	assert_string_equal(r.path, "");
	print_message("no path: CD %.0f ps/nm -> %.1f km +- %.1f\n", r.cd_ps_nm, r.distance_km, r.uncertainty_km);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

struct traffic {
	uint64_t dropped, headroom_peak, headroom_size, pfc_tx;
};

/* The peer offers line rate on priority 3 over the path's real delay, the egress takes half,
 * for ms milliseconds (a congestion burst of the round trip several times over). */
static struct traffic burst_for(struct lb_platform *p, double one_way_ns, uint64_t ms)
{
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_emu_asic *a = lb_emu_switch_asic(sw);
	assert_non_null(a);
	struct lb_emu_asic_flow f = { .size = sizeof(f) };
	f.load[3] = 1.0;
	f.egress_rate = 0.5;
	f.cable_delay_ns = one_way_ns;
	assert_int_equal(lb_emu_asic_set_flow(a, 0, &f), LB_OK);
	lb_emu_world_advance_ns(lb_emu_asic_world(a), ms * MS_NS);
	struct lb_emu_asic_flow_status st;
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	assert_int_equal(lb_emu_asic_flow_status(a, 0, &st), LB_OK);
	assert_int_equal(lb_emu_asic_set_flow(a, 0, NULL), LB_OK);
	const struct lb_emu_asic_flow_prio *q = &st.prio[3];
	assert_int_equal(q->lossless, 1);
	assert_true(q->arrived_bytes > 0);
	return (struct traffic){ q->dropped_bytes, q->headroom_peak_bytes, q->headroom_size_bytes, q->pfc_tx_frames };
}

static struct traffic burst(struct lb_platform *p, double one_way_ns)
{
	return burst_for(p, one_way_ns, 60);
}

static int apply(struct lb_platform *p, const struct lb_lossless_apply_options *o,
		 struct lb_lossless_apply_result *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	return lb_platform_lossless_apply(p, NULL, 0, o, r);
}

/* After the thresholds for the measured distance, no loss; with short-distance ones, loss;
 * the re-apply releases the profile and pool it replaced. */
static void check_apply_traffic(const char *file, double km, bool long_haul)
{
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, file, NULL);
	link_up(p, long_haul);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	double one_way = rtt_of(p, 1, &(struct lb_rtt_options){ .size = sizeof(struct lb_rtt_options),
			.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_LINK_PATH) }).one_way_ns;
	struct lb_lossless_apply_result *r = malloc(sizeof(*r));
	assert_non_null(r);

	/* short-distance thresholds (0.3 km, a data-centre cable): the burst overflows */
	struct lb_lossless_apply_options o = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	o.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	o.rtt.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE);
	o.rtt.have_distance = 1;
	o.rtt.distance_km = 0.3;
	int rc = apply(p, &o, r);
	if (rc)
		fail_msg("apply short: %s (%s)", lb_status_name(rc), lb_ctx_last_error(ctx));
	assert_int_equal(r->applied, 1);
	uint32_t short_pool = r->pool, short_profile = r->port[0].profile;
	struct traffic t = burst(p, one_way);
	print_message("%.0f km, 0.3 km thresholds: dropped %llu, headroom %llu\n", km,
		      (unsigned long long)t.dropped, (unsigned long long)t.headroom_size);
	assert_true(t.dropped > 0);
	assert_int_equal(t.headroom_peak, t.headroom_size);

	/* from the optics: the module's CD */
	rc = apply(p, NULL, r);
	if (rc)
		fail_msg("apply: %s (%s)", lb_status_name(rc), lb_ctx_last_error(ctx));
	assert_int_equal(r->applied, 1);
	assert_int_equal(r->ecn_applied, 1);
	assert_int_equal(r->count, 2);
	for (unsigned i = 0; i < 2; i++) {
		const struct lb_lossless_port_plan *pp = &r->port[i];
		assert_int_equal(pp->port, i + 1);
		assert_int_equal(pp->asic_port, i);
		assert_int_equal(pp->rtt.source, LB_RTT_SOURCE_CD_ESTIMATE);
		assert_int_equal(pp->pg_mask, 0x18);
		/* what the planner says for that distance, at the port's MTU and the chip's cell */
		struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
		in.speed_mbps = 800000;
		in.distance_km = pp->rtt.distance_km;
		in.fibre_delay_ns_per_km = pp->rtt.one_way_ns / pp->rtt.distance_km;
		in.port_mtu = LB_ASIC_PORT_DEFAULT_MTU;
		in.cell_bytes = 256;
		struct lb_lossless_plan plan = LB_LOSSLESS_PLAN_INIT;
		assert_int_equal(lb_lossless_plan(&in, &plan), LB_OK);
		assert_int_equal(pp->xoff_bytes, plan.xoff_bytes);
		assert_int_equal(pp->xon_bytes, plan.xon_bytes);
		assert_int_equal(pp->limit_bytes, plan.xon_bytes + 18432); /* 2 x 9100 in cells */
		for (uint32_t g = 3; g <= 4; g++) {
			uint32_t prof;
			assert_int_equal(lb_asic_pg_get_profile(sw, i, g, &prof), LB_OK);
			assert_int_equal(prof, pp->profile);
		}
		struct lb_buffer_profile_config pc = LB_BUFFER_PROFILE_CONFIG_INIT;
		assert_int_equal(lb_buffer_profile_get(sw, pp->profile, &pc), LB_OK);
		assert_int_equal(pc.xoff_bytes, plan.xoff_bytes);
		assert_int_equal(pc.xon_bytes, plan.xon_bytes);
		assert_int_equal(pc.static_th_bytes, pp->limit_bytes);
		assert_int_equal(pc.xon_offset_bytes, pp->limit_bytes - pp->xon_bytes);
		assert_int_equal(pc.pool, r->pool);
		/* the lossless queues (3 and 4: PFC priority -> queue is the identity) mark ECN at
		 * the plan's thresholds, every colour, no WRED drop */
		for (uint32_t q = 0; q < 8; q++) {
			struct lb_queue_ecn_config e = LB_QUEUE_ECN_CONFIG_INIT;
			assert_int_equal(lb_queue_ecn_get(sw, i, q, &e), LB_OK);
			if (q != 3 && q != 4) {
				assert_int_equal(e.colors, 0);
				continue;
			}
			assert_int_equal(e.colors, LB_COLOR_ALL);
			assert_int_equal(e.ecn_enable, 1);
			assert_int_equal(e.wred_enable, 0);
			for (unsigned k = 0; k < LB_COLORS; k++) {
				assert_int_equal(e.color[k].min_bytes, pp->ecn_min_bytes);
				assert_int_equal(e.color[k].max_bytes, pp->ecn_max_bytes);
				assert_int_equal(e.color[k].probability_pct, 1);
			}
		}
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		assert_int_equal(lb_asic_port_get(sw, i, &c), LB_OK);
		assert_int_equal(c.pfc_mask & 0x18, 0x18);
	}
	/* what it replaced is gone */
	struct lb_buffer_profile_config pc = LB_BUFFER_PROFILE_CONFIG_INIT;
	assert_int_equal(lb_buffer_profile_get(sw, short_profile, &pc), LB_E_NOTFOUND);
	struct lb_buffer_pool_config pl = LB_BUFFER_POOL_CONFIG_INIT;
	if (short_pool != r->pool)
		assert_int_equal(lb_buffer_pool_get(sw, short_pool, &pl), LB_E_NOTFOUND);
	assert_int_equal(lb_buffer_pool_get(sw, r->pool, &pl), LB_OK);
	assert_int_equal(pl.size_bytes, r->pool_bytes);
	t = burst(p, one_way);
	print_message("%.0f km, thresholds from the optics: dropped %llu, headroom peak %llu of %llu\n", km,
		      (unsigned long long)t.dropped, (unsigned long long)t.headroom_peak,
		      (unsigned long long)t.headroom_size);
	assert_int_equal(t.dropped, 0);
	assert_true(t.pfc_tx >= 1);
	/* the headroom took what was in flight: half the line rate for a round trip */
	double flight = 100.0 * 2 * one_way / 2;
	assert_true((double)t.headroom_peak > 0.95 * flight);
	free(r);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_apply_500km_no_loss(void **unused)
{
	(void)unused;
	check_apply_traffic("scale-across-500km.json", 500, false);
}

static void test_apply_1000km_no_loss(void **unused)
{
	(void)unused;
	check_apply_traffic("scale-across-1000km.json", 1000, true);
}

/* The ECN thresholds: Kmin = BDP / 7, Kmax = BDP, in cells, Kmax under the XOFF limit. */
static void test_ecn_rule(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, "scale-across-500km.json", NULL);
	struct lb_lossless_apply_options o = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	o.dry_run = 1;
	o.priorities = 0x08;
	struct lb_lossless_apply_result *r = malloc(sizeof(*r));
	assert_non_null(r);
	unsigned ports[] = { 2 };
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	assert_int_equal(lb_platform_lossless_apply(p, ports, 1, &o, r), LB_OK);
	assert_int_equal(r->applied, 0);
	assert_int_equal(r->count, 1);
	const struct lb_lossless_port_plan *pp = &r->port[0];
	assert_int_equal(pp->port, 2);
	assert_int_equal(pp->pg_mask, 0x08);
	assert_int_equal(pp->rtt.source, LB_RTT_SOURCE_LINK_PATH);
	double bdp = 100.0 * pp->rtt.rtt_ns; /* 800 Gb/s = 100 bytes/ns */
	assert_true(fabs(pp->plan.cable_bytes - bdp) < 1);
	assert_int_equal(pp->ecn_min_bytes, (uint64_t)ceil(ceil(bdp / 7) / 256) * 256);
	assert_int_equal(pp->ecn_max_bytes, (uint64_t)ceil(ceil(bdp) / 256) * 256);
	assert_true(pp->ecn_max_bytes < pp->limit_bytes);
	assert_true(fabs(pp->ecn_max_probability - 0.01) < 1e-12);
	/* a dry run changed nothing */
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_buffer_pool_config pl = LB_BUFFER_POOL_CONFIG_INIT;
	assert_int_equal(lb_buffer_pool_get(sw, 0, &pl), LB_E_NOTFOUND);
	/* bad calls */
	assert_int_equal(lb_platform_lossless_apply(p, NULL, 1, &o, r), LB_E_INVAL);
	o.oversubscription = 0.5;
	assert_int_equal(lb_platform_lossless_apply(p, NULL, 0, &o, r), LB_E_INVAL);
	o.oversubscription = 0;
	o.priorities = 0xFF; /* more than the chip's lossless priorities */
	assert_int_equal(lb_platform_lossless_apply(p, NULL, 0, &o, r), LB_E_INVAL);
	o.priorities = 0;
	unsigned twice[] = { 1, 1 };
	assert_int_equal(lb_platform_lossless_apply(p, twice, 2, &o, r), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "port 1 given twice"));
	ports[0] = 7;
	assert_int_equal(lb_platform_lossless_apply(p, ports, 1, &o, r), LB_E_NOTFOUND);
	free(r);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* 5,000 km on both ends: private headroom does not fit the Jericho-class buffer, a shared
 * headroom pool (the headrooms over 2) does. */
static void test_shared_headroom_pool(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, "scale-across-500km.json", NULL);
	struct lb_lossless_apply_result *r = malloc(sizeof(*r));
	assert_non_null(r);
	struct lb_lossless_apply_options o = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	o.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	o.rtt.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE);
	o.rtt.have_distance = 1;
	o.rtt.distance_km = 5000;
	int rc = apply(p, &o, r);
	if (rc)
		fail_msg("apply: %s (%s)", lb_status_name(rc), lb_ctx_last_error(ctx));
	assert_int_equal(r->shared_headroom, 1);
	const struct lb_lossless_port_plan *pp = &r->port[0];
	assert_true(r->private_bytes > r->free_bytes);
	uint64_t xoffs = 4 * pp->xoff_bytes; /* 2 ports x 2 PGs, the same figures */
	assert_int_equal(r->pool_xoff_bytes, (xoffs / 2 + 255) / 256 * 256);
	assert_int_equal(r->pool_bytes, 4 * pp->limit_bytes + r->pool_xoff_bytes);
	assert_true(r->pool_bytes <= r->free_bytes);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_buffer_pool_config pl = LB_BUFFER_POOL_CONFIG_INIT;
	assert_int_equal(lb_buffer_pool_get(sw, r->pool, &pl), LB_OK);
	assert_int_equal(pl.xoff_bytes, r->pool_xoff_bytes);
	assert_int_equal(pl.size_bytes, r->pool_bytes);
	assert_int_equal(r->port[1].profile, pp->profile); /* one profile for both */
	/* a burst over 5,000 km on port 1 (its optics up: the port follows them): the shared
	 * headroom pool holds it */
	link_up(p, false);
	struct traffic t = burst_for(p, pp->rtt.one_way_ns, 200);
	print_message("5000 km, shared headroom pool: dropped %llu, headroom peak %llu\n",
		      (unsigned long long)t.dropped, (unsigned long long)t.headroom_peak);
	assert_int_equal(t.dropped, 0);
	assert_true((double)t.headroom_peak > 0.95 * 100.0 * pp->rtt.one_way_ns);
	free(r);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/*
 * The ECN thresholds are part of the same change: a lossless queue whose buffer is below Kmax
 * (an egress profile with a small static threshold bound to it) refuses them, and the whole
 * apply is undone: no pool, no profile, the PGs and the other queues as they were.
 */
static void test_ecn_refusal_undoes_all(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, "scale-across-500km.json", NULL);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_EGRESS;
	pc.mode = LB_BUFFER_THRESHOLD_STATIC;
	pc.size_bytes = 1 << 20;
	uint32_t pool, prof;
	assert_int_equal(lb_buffer_pool_create(sw, &pc, &pool), LB_OK);
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pool;
	c.mode = LB_BUFFER_THRESHOLD_STATIC;
	c.static_th_bytes = 256 * 1024;
	assert_int_equal(lb_buffer_profile_create(sw, &c, &prof), LB_OK);
	assert_int_equal(lb_asic_queue_set_profile(sw, 1, 4, prof), LB_OK); /* port 2's queue 4 */
	struct lb_lossless_apply_result *r = malloc(sizeof(*r));
	assert_non_null(r);
	struct lb_lossless_apply_options o = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	o.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	o.rtt.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE);
	o.rtt.have_distance = 1;
	o.rtt.distance_km = 500;
	int rc = apply(p, &o, r);
	print_message("%s\n", lb_ctx_last_error(ctx));
	assert_int_equal(rc, LB_E_RANGE);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "not applied (nothing changed)"));
	assert_int_equal(r->applied, 0);
	for (uint32_t k = 0; k < LB_BUFFER_MAX_POOLS; k++) {
		struct lb_buffer_pool_config pl = LB_BUFFER_POOL_CONFIG_INIT;
		assert_int_equal(lb_buffer_pool_get(sw, k, &pl), k == pool ? LB_OK : LB_E_NOTFOUND);
	}
	for (uint32_t ap = 0; ap < 2; ap++)
		for (uint32_t q = 0; q < 8; q++) {
			uint32_t bound;
			assert_int_equal(lb_asic_pg_get_profile(sw, ap, q, &bound), LB_OK);
			assert_int_equal(bound, LB_BUFFER_NO_PROFILE);
			struct lb_queue_ecn_config e = LB_QUEUE_ECN_CONFIG_INIT;
			assert_int_equal(lb_queue_ecn_get(sw, ap, q, &e), LB_OK);
			assert_int_equal(e.colors, 0); /* port 1's queues 3 and 4 set, then undone */
		}
	free(r);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* The small chip cannot hold 1,000 km: refused whole, the detail naming the port and the
 * bytes, nothing on the chip; a profile table already full makes the switch refuse a step:
 * the pool created before it is removed again. */
static void test_refused_whole(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, "scale-across-1000km.json", "small");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_asic_port_config before = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(sw, 0, &before), LB_OK);
	struct lb_lossless_apply_result *r = malloc(sizeof(*r));
	assert_non_null(r);
	assert_int_equal(apply(p, NULL, r), LB_E_RANGE);
	const char *d = lb_ctx_last_error(ctx);
	print_message("%s\n", d);
	assert_non_null(strstr(d, "port 1 (West0): 2 lossless PGs of "));
	assert_non_null(strstr(d, "bytes"));
	assert_int_equal(r->applied, 0);
	assert_int_equal(r->count, 2); /* the plans are there to show */
	struct lb_buffer_pool_config pl = LB_BUFFER_POOL_CONFIG_INIT;
	assert_int_equal(lb_buffer_pool_get(sw, 0, &pl), LB_E_NOTFOUND);
	uint32_t prof;
	assert_int_equal(lb_asic_pg_get_profile(sw, 0, 3, &prof), LB_OK);
	assert_int_equal(prof, LB_BUFFER_NO_PROFILE);
	struct lb_asic_port_config after = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(sw, 0, &after), LB_OK);
	assert_int_equal(after.pfc_mask, before.pfc_mask);

	/* a short distance fits, but no profile number is left: undone */
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_EGRESS;
	pc.size_bytes = 1024 * 256;
	uint32_t pool;
	assert_int_equal(lb_buffer_pool_create(sw, &pc, &pool), LB_OK);
	for (unsigned k = 0; k < LB_BUFFER_MAX_PROFILES; k++) {
		struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
		c.pool = pool;
		assert_int_equal(lb_buffer_profile_create(sw, &c, &prof), LB_OK);
	}
	struct lb_lossless_apply_options o = LB_LOSSLESS_APPLY_OPTIONS_INIT;
	o.rtt = (struct lb_rtt_options)LB_RTT_OPTIONS_INIT;
	o.rtt.sources = LB_RTT_SOURCE_BIT(LB_RTT_SOURCE_DISTANCE);
	o.rtt.have_distance = 1;
	o.rtt.distance_km = 0.1;
	int rc = apply(p, &o, r);
	assert_int_not_equal(rc, LB_OK);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "not applied (nothing changed)"));
	assert_int_equal(r->applied, 0);
	for (uint32_t k = 0; k < LB_BUFFER_MAX_POOLS; k++)
		if (k != pool)
			assert_int_equal(lb_buffer_pool_get(sw, k, &pl), LB_E_NOTFOUND);
	assert_int_equal(lb_asic_pg_get_profile(sw, 0, 3, &prof), LB_OK);
	assert_int_equal(prof, LB_BUFFER_NO_PROFILE);
	assert_int_equal(lb_asic_port_get(sw, 0, &after), LB_OK);
	assert_int_equal(after.pfc_mask, before.pfc_mask);
	free(r);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rtt_cd_estimate_500km),
		cmocka_unit_test(test_rtt_cd_estimate_1000km),
		cmocka_unit_test(test_rtt_cd_estimate_g652),
		cmocka_unit_test(test_rtt_fallback_link_down),
		cmocka_unit_test(test_rtt_fallback_not_coherent),
		cmocka_unit_test(test_apply_500km_no_loss),
		cmocka_unit_test(test_apply_1000km_no_loss),
		cmocka_unit_test(test_ecn_rule),
		cmocka_unit_test(test_ecn_refusal_undoes_all),
		cmocka_unit_test(test_shared_headroom_pool),
		cmocka_unit_test(test_refused_whole),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
