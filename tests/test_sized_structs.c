/* SPDX-License-Identifier: MIT */
/*
 * The size rule of sized structs (include/lightbridge/common.h), on every sized struct of
 * the public API: a caller built with the first published layout gets exactly that prefix
 * and nothing past it (guard bytes), a caller built with a newer, larger layout gets the
 * library's struct and keeps its own tail, a size below the first layout is refused with
 * nothing written. Then the helper itself on a made-up struct that grew.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/abi/sized.h"
#include "emu_rig.h"
#include "asic_rig.h"
#include <lightbridge/macsec.h>
#include <lightbridge/congestion.h>

#define GUARD 64
#define FILL 0xA5

/* A caller's struct with guard bytes behind it, aligned as any struct. */
union guarded {
	max_align_t align;
	size_t size;
	unsigned char b[2048];
};

typedef int (*call_fn)(struct lb_test_rig *r, void *out);

struct sized_case {
	const char *name;
	call_fn call;
	size_t lib_size, v1_size;
	int want;        /* status the call gives on this rig */
	bool stable;     /* two calls in a row fill the same bytes */
};

static void fill(union guarded *g, size_t size)
{
	memset(g->b, FILL, sizeof(g->b));
	memcpy(g->b, &size, sizeof(size));
}

static void assert_untouched(const union guarded *g, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		if (g->b[i] != FILL)
			fail_msg("byte %zu written (0x%02x)", i, g->b[i]);
}

static void check_case(struct lb_test_rig *r, const struct sized_case *c)
{
	static union guarded ref, g;
	size_t n = c->lib_size;

	print_message("%s: first published size %zu, this library's %zu\n", c->name, c->v1_size, n);
	assert_true(n + GUARD <= sizeof(g.b));
	assert_true(c->v1_size > sizeof(size_t) && c->v1_size <= n);

	/* This library's own layout: all of it, nothing past it. */
	fill(&ref, n);
	assert_int_equal(c->call(r, ref.b), c->want);
	assert_int_equal(ref.size, n);
	assert_untouched(&ref, n, n + GUARD);

	/* Built with the first published layout: exactly that prefix. */
	fill(&g, c->v1_size);
	assert_int_equal(c->call(r, g.b), c->want);
	assert_int_equal(g.size, c->v1_size);
	assert_untouched(&g, c->v1_size, n + GUARD);
	if (c->stable)
		assert_memory_equal(g.b + sizeof(size_t), ref.b + sizeof(size_t),
				    c->v1_size - sizeof(size_t));

	/* Built with a newer, larger layout: this library's struct; the newer tail is kept. */
	fill(&g, n + GUARD);
	assert_int_equal(c->call(r, g.b), c->want);
	assert_int_equal(g.size, n);
	assert_untouched(&g, n, n + GUARD);
	if (c->stable)
		assert_memory_equal(g.b + sizeof(size_t), ref.b + sizeof(size_t), n - sizeof(size_t));

	/* Smaller than the first layout, zero, NULL: refused, nothing written. */
	fill(&g, c->v1_size - 1);
	assert_int_equal(c->call(r, g.b), LB_E_INVAL);
	assert_int_equal(g.size, c->v1_size - 1);
	assert_untouched(&g, sizeof(size_t), n + GUARD);
	fill(&g, 0);
	assert_int_equal(c->call(r, g.b), LB_E_INVAL);
	assert_untouched(&g, sizeof(size_t), n + GUARD);
	assert_int_equal(c->call(r, NULL), LB_E_INVAL);
}

static int call_identity(struct lb_test_rig *r, void *out)
{
	return lb_module_get_identity(r->m, out);
}

static int call_monitors(struct lb_test_rig *r, void *out)
{
	return lb_module_get_monitors(r->m, out);
}

/* Flags are taken by each read: not stable from one call to the next. */
static int call_flags(struct lb_test_rig *r, void *out)
{
	return lb_module_flags_read(r->m, NULL, out);
}

static int call_thresholds(struct lb_test_rig *r, void *out)
{
	return lb_module_get_thresholds(r->m, out);
}

static int call_durations(struct lb_test_rig *r, void *out)
{
	return lb_module_get_durations(r->m, out);
}

static int call_lane_status(struct lb_test_rig *r, void *out)
{
	return lb_module_get_lane_status(r->m, out);
}

static int call_bring_up(struct lb_test_rig *r, void *out)
{
	/* NULL is a valid report: stand in a struct nobody set up, which must be refused. */
	struct lb_bringup_report zero = { 0 };
	return lb_module_bring_up(r->m, 0, 0, out ? out : &zero);
}

static void test_module_structs(void **state)
{
	(void)state;
	struct lb_test_rig r;
	const struct sized_case cases[] = {
		{ "identity", call_identity, sizeof(struct lb_module_identity),
		  LB_MODULE_IDENTITY_SIZE_V1, LB_OK, true },
		{ "monitors", call_monitors, sizeof(struct lb_module_monitors),
		  LB_MODULE_MONITORS_SIZE_V1, LB_OK, true },
		{ "flags", call_flags, sizeof(struct lb_module_flags), LB_MODULE_FLAGS_SIZE_V1,
		  LB_OK, false },
		{ "thresholds", call_thresholds, sizeof(struct lb_module_thresholds),
		  LB_MODULE_THRESHOLDS_SIZE_V1, LB_OK, true },
		{ "durations", call_durations, sizeof(struct lb_module_durations),
		  LB_MODULE_DURATIONS_SIZE_V1, LB_OK, true },
		{ "lane status", call_lane_status, sizeof(struct lb_lane_status),
		  LB_LANE_STATUS_SIZE_V1, LB_OK, true },
		{ "bring-up report", call_bring_up, sizeof(struct lb_bringup_report),
		  LB_BRINGUP_REPORT_SIZE_V1, LB_OK, false },
	};

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	struct lb_module_monitors warm = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &warm), LB_OK);  /* power-on flags */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&r, &cases[i]);
	lb_test_rig_down(&r);
}

static int call_ccmis_pm(struct lb_test_rig *r, void *out)
{
	return lb_ccmis_pm_read(r->m, 0, out);
}

/* The coherent calls' sized structs small enough for the guard buffer (C-CMIS PM). */
static void test_coherent_structs(void **state)
{
	(void)state;
	struct lb_test_rig r;
	const struct sized_case pm = { "ccmis pm", call_ccmis_pm, sizeof(struct lb_ccmis_pm),
				       LB_CCMIS_PM_SIZE_V1, LB_OK, true };
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	check_case(&r, &pm);
	lb_test_rig_down(&r);
}

/* The ASIC's structs (lightbridge/asic.h, lossless.h), on the small emulated ASIC. */
static struct asic_rig asic;

static int call_switch_caps(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_switch_get_caps(asic.sw, out);
}

static int call_port_config(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_asic_port_get(asic.sw, 1, out);
}

static int call_port_status(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_asic_port_get_status(asic.sw, 1, out);
}

static int call_port_counters(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_asic_port_counters_read(asic.sw, 1, out);
}

static int call_lossless_plan(struct lb_test_rig *r, void *out)
{
	(void)r;
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.speed_mbps = 800000;
	in.distance_km = 500;
	in.onchip_bytes = 1ull << 30;
	return lb_lossless_plan(&in, out);
}

static int call_pool(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_buffer_pool_get(asic.sw, 0, out);
}

static int call_profile(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_buffer_profile_get(asic.sw, 0, out);
}

static int call_macsec_secy(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_macsec_secy_get(asic.sw, 0, out);
}

static int call_macsec_sa_status(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_macsec_sa_get_status(asic.sw, 0, LB_MACSEC_TX, 0, out);
}

static int call_macsec_counters(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_macsec_counters_read(asic.sw, 0, LB_MACSEC_RX, LB_MACSEC_AN_SC, out);
}

static int call_queue_ecn(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_queue_ecn_get(asic.sw, 0, 1, out);
}

static int call_queue_ecn_counters(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_queue_ecn_counters(asic.sw, 0, 1, out, 0);
}

static int call_pfcwd(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_pfcwd_get(asic.sw, 0, 3, out);
}

static int call_pfcwd_status(struct lb_test_rig *r, void *out)
{
	(void)r;
	return lb_pfcwd_status(asic.sw, 0, 3, out, 0);
}

static void test_asic_structs(void **state)
{
	(void)state;
	const struct sized_case cases[] = {
		{ "switch caps", call_switch_caps, sizeof(struct lb_switch_caps), LB_SWITCH_CAPS_SIZE_V1,
		  LB_OK, true },
		{ "asic port config", call_port_config, sizeof(struct lb_asic_port_config),
		  LB_ASIC_PORT_CONFIG_SIZE_V1, LB_OK, true },
		{ "asic port status", call_port_status, sizeof(struct lb_asic_port_status),
		  LB_ASIC_PORT_STATUS_SIZE_V1, LB_OK, true },
		{ "asic port counters", call_port_counters, sizeof(struct lb_asic_port_counters),
		  LB_ASIC_PORT_COUNTERS_SIZE_V1, LB_OK, true },
		{ "lossless plan", call_lossless_plan, sizeof(struct lb_lossless_plan),
		  LB_LOSSLESS_PLAN_SIZE_V1, LB_OK, true },
		{ "buffer pool", call_pool, sizeof(struct lb_buffer_pool_config), LB_BUFFER_POOL_CONFIG_SIZE_V1,
		  LB_OK, true },
		{ "buffer profile", call_profile, sizeof(struct lb_buffer_profile_config),
		  LB_BUFFER_PROFILE_CONFIG_SIZE_V1, LB_OK, true },
		{ "macsec secy", call_macsec_secy, sizeof(struct lb_macsec_secy_config),
		  LB_MACSEC_SECY_CONFIG_SIZE_V1, LB_OK, true },
		{ "macsec sa status", call_macsec_sa_status, sizeof(struct lb_macsec_sa_status),
		  LB_MACSEC_SA_STATUS_SIZE_V1, LB_OK, true },
		{ "macsec counters", call_macsec_counters, sizeof(struct lb_macsec_counters),
		  LB_MACSEC_COUNTERS_SIZE_V1, LB_OK, true },
		{ "queue ecn", call_queue_ecn, sizeof(struct lb_queue_ecn_config), LB_QUEUE_ECN_CONFIG_SIZE_V1,
		  LB_OK, true },
		{ "queue ecn counters", call_queue_ecn_counters, sizeof(struct lb_queue_ecn_counters),
		  LB_QUEUE_ECN_COUNTERS_SIZE_V1, LB_OK, true },
		{ "pfcwd", call_pfcwd, sizeof(struct lb_pfcwd_config), LB_PFCWD_CONFIG_SIZE_V1, LB_OK, true },
		{ "pfcwd status", call_pfcwd_status, sizeof(struct lb_pfcwd_status), LB_PFCWD_STATUS_SIZE_V1,
		  LB_OK, true },
	};
	asic_rig_open(&asic, "small");
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_INGRESS;
	pc.size_bytes = 1 << 20;
	struct lb_buffer_profile_config fc = LB_BUFFER_PROFILE_CONFIG_INIT;
	fc.reserved_bytes = 4096;
	uint32_t n;
	assert_int_equal(lb_buffer_pool_create(asic.sw, &pc, &n), LB_OK);
	assert_int_equal(lb_buffer_profile_create(asic.sw, &fc, &n), LB_OK);
	struct lb_macsec_secy_config sc = LB_MACSEC_SECY_CONFIG_INIT;
	sc.enable = 1;
	sc.sci = 0x0200000000010001ull;
	struct lb_macsec_sa_config sa = LB_MACSEC_SA_CONFIG_INIT;
	sa.pn = 1;
	struct lb_macsec_key key = { .len = 16 };
	assert_int_equal(lb_macsec_secy_set(asic.sw, 0, &sc), LB_OK);
	assert_int_equal(lb_macsec_sc_create(asic.sw, 0, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_create(asic.sw, 0, LB_MACSEC_RX, 0x0200000000020001ull), LB_OK);
	assert_int_equal(lb_macsec_sa_install(asic.sw, 0, LB_MACSEC_TX, &sa, &key), LB_OK);
	struct lb_queue_ecn_config ec = LB_QUEUE_ECN_CONFIG_INIT;
	ec.colors = LB_COLOR_ALL;
	ec.ecn_enable = 1;
	ec.color[2].max_bytes = 1000;
	assert_int_equal(lb_queue_ecn_set(asic.sw, 0, 1, &ec), LB_OK);
	struct lb_pfcwd_config wd = LB_PFCWD_CONFIG_INIT;
	wd.action = LB_PFCWD_ALARM;
	wd.detection_ms = wd.restoration_ms = 100;
	assert_int_equal(lb_pfcwd_set(asic.sw, 0, 3, &wd), LB_OK);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(NULL, &cases[i]);
	asic_rig_close(&asic);
}

/* Failing calls fill the prefix too (zeros where nothing was read), and no further. */
static void test_failed_call_fills_prefix(void **state)
{
	(void)state;
	struct lb_test_rig r;
	union guarded g;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, true);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_OK);
	r.flaky.nack_len = 1000;
	r.flaky.nack_at = r.flaky.count + 1;
	fill(&g, LB_MODULE_MONITORS_SIZE_V1);
	assert_int_equal(lb_module_get_monitors(r.m, (void *)g.b), LB_E_NACK);
	assert_int_equal(g.size, LB_MODULE_MONITORS_SIZE_V1);
	for (size_t i = sizeof(size_t); i < LB_MODULE_MONITORS_SIZE_V1; i++)
		assert_int_equal(g.b[i], 0);
	assert_untouched(&g, LB_MODULE_MONITORS_SIZE_V1, sizeof(struct lb_module_monitors) + GUARD);
	r.flaky.nack_at = 0;
	lb_test_rig_down(&r);
}

/* A report the library cannot fill stops the bring-up before any bus traffic. */
static void test_bring_up_refused_before_anything(void **state)
{
	(void)state;
	struct lb_test_rig r;

	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	enum lb_module_state st;
	assert_int_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal(st, LB_MODULE_STATE_LOW_PWR);
	lb_bus_reset_stats(r.bus);
	struct lb_bringup_report rep = { .size = LB_BRINGUP_REPORT_SIZE_V1 - 1 };
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, &rep), LB_E_INVAL);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	assert_int_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal(st, LB_MODULE_STATE_LOW_PWR);
	lb_test_rig_down(&r);
}

/* The sideband event, through the emulator sideband driver: a removal event. */
static void test_sideband_event(void **state)
{
	(void)state;
	struct lb_test_rig r;
	struct lb_sideband *sb;
	union guarded g;
	const size_t n = sizeof(struct lb_sideband_event), v1 = LB_SIDEBAND_EVENT_SIZE_V1;

	print_message("sideband event: first published size %zu, this library's %zu\n", v1, n);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	assert_int_equal(lb_sideband_open(r.ctx, "emulator", NULL, r.emu, &sb), LB_OK);
	const size_t sizes[3] = { v1, n, n + GUARD };
	for (unsigned k = 0; k < 3; k++) {
		if (k % 2)
			lb_emu_module_insert(r.emu);
		else
			lb_emu_module_remove(r.emu);
		fill(&g, v1 - 1);
		assert_int_equal(lb_sideband_read_event(sb, (void *)g.b), LB_E_INVAL);
		assert_untouched(&g, sizeof(size_t), n + GUARD);
		fill(&g, sizes[k]);
		assert_int_equal(lb_sideband_read_event(sb, (void *)g.b), LB_OK);
		size_t filled = sizes[k] < n ? sizes[k] : n;
		assert_int_equal(g.size, filled);
		assert_untouched(&g, filled, n + GUARD);
		struct lb_sideband_event ev;
		memcpy(&ev, g.b, sizeof(ev));
		assert_int_equal(ev.type, k % 2 ? LB_SB_EVENT_INSERTED : LB_SB_EVENT_REMOVED);
		assert_int_equal(ev.flags_status, LB_E_NOTSUP);
		assert_int_equal(ev.rx_los | ev.tx_los | ev.lanes, 0);
		fill(&g, n);
		assert_int_equal(lb_sideband_read_event(sb, (void *)g.b), LB_E_NOTFOUND);
		assert_untouched(&g, sizeof(size_t), n + GUARD);
	}
	lb_sideband_close(sb);
	lb_test_rig_down(&r);
}

/* ---- the helper, on a struct that grew from v1 to v2 ---- */

struct grow_v1 {
	size_t size;
	uint32_t a;
	uint8_t b;
};
struct grow_v2 {
	size_t size;
	uint32_t a;
	uint8_t b;
	uint8_t c;   /* lands in v1's tail padding */
	uint64_t d;
};

static void test_helper(void **state)
{
	(void)state;
	const struct grow_v2 lib = { .size = 0, .a = 0x11223344u, .b = 0x55, .c = 0x66,
				     .d = 0x7788990011223344ull };
	const size_t v1 = LB_SIZE_THROUGH(struct grow_v1, b);
	union guarded g;

	assert_int_equal(v1, offsetof(struct grow_v1, b) + 1);
	assert_true(v1 < sizeof(struct grow_v1));

	/* An old caller, exact first layout: a and b, not one byte more. */
	fill(&g, v1);
	assert_int_equal(lb_sized_check(g.b, v1), LB_OK);
	LB_SIZED_FILL(g.b, lib);
	struct grow_v1 old;
	memcpy(&old, g.b, sizeof(old));
	assert_int_equal(old.size, v1);
	assert_int_equal(old.a, lib.a);
	assert_int_equal(old.b, lib.b);
	assert_untouched(&g, v1, sizeof(lib) + GUARD);

	/* An old caller with its padded sizeof: its padding may take c, nothing past it. */
	fill(&g, sizeof(struct grow_v1));
	LB_SIZED_FILL(g.b, lib);
	assert_int_equal(g.size, sizeof(struct grow_v1));
	assert_untouched(&g, sizeof(struct grow_v1), sizeof(lib) + GUARD);

	/* A newer caller: all of v2, its own tail kept, the count filled in size. */
	fill(&g, sizeof(lib) + 16);
	LB_SIZED_FILL(g.b, lib);
	struct grow_v2 now;
	memcpy(&now, g.b, sizeof(now));
	assert_int_equal(now.size, sizeof(lib));
	assert_int_equal(now.d, lib.d);
	assert_int_equal(now.c, lib.c);
	assert_untouched(&g, sizeof(lib), sizeof(lib) + GUARD);

	/* Too small, zero, NULL. */
	fill(&g, v1 - 1);
	assert_int_equal(lb_sized_check(g.b, v1), LB_E_INVAL);
	fill(&g, 0);
	assert_int_equal(lb_sized_check(g.b, v1), LB_E_INVAL);
	assert_int_equal(lb_sized_check(g.b, 0), LB_E_INVAL);  /* never less than the size itself */
	assert_int_equal(lb_sized_check(NULL, v1), LB_E_INVAL);
}

/* The other direction: a struct the caller fills for the library (lb_sized_read). */
static void test_helper_read(void **state)
{
	(void)state;
	const size_t v1 = LB_SIZE_THROUGH(struct grow_v1, b);
	union guarded g;

	/* An old caller: its members read, the library's newer ones zero, nothing read past. */
	fill(&g, v1);
	struct grow_v2 in2;
	memcpy(&in2, g.b, sizeof(in2));
	struct grow_v2 lib;
	assert_int_equal(LB_SIZED_READ(lib, g.b, v1), LB_OK);
	assert_int_equal(lib.size, sizeof(lib));
	assert_int_equal(lib.a, in2.a);
	assert_int_equal(lib.b, in2.b);
	assert_int_equal(lib.c, 0);  /* FILL stands in its place in the caller's memory */
	assert_int_equal(lib.d, 0);

	/* A newer, larger caller: the library's part read, the rest not. */
	fill(&g, sizeof(lib) + 16);
	assert_int_equal(LB_SIZED_READ(lib, g.b, v1), LB_OK);
	assert_int_equal(lib.size, sizeof(lib));
	assert_int_equal(lib.d, in2.d);

	/* Too small, zero, NULL. */
	fill(&g, v1 - 1);
	assert_int_equal(LB_SIZED_READ(lib, g.b, v1), LB_E_INVAL);
	fill(&g, 0);
	assert_int_equal(LB_SIZED_READ(lib, g.b, v1), LB_E_INVAL);
	assert_int_equal(LB_SIZED_READ(lib, NULL, v1), LB_E_INVAL);
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	assert_int_equal(cfg.size, sizeof(cfg));
	assert_int_equal(cfg.set | cfg.lane_mask | cfg.appsel, 0);
	assert_int_equal(LB_DP_CONFIG_SIZE_V1, sizeof(struct lb_dp_config));
}

/* The initialiser macros set the size and nothing else. */
static void test_init_macros(void **state)
{
	(void)state;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	struct lb_module_thresholds t = LB_MODULE_THRESHOLDS_INIT;
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	struct lb_module_flags fl = LB_MODULE_FLAGS_INIT;

	assert_int_equal(fl.size, sizeof(fl));
	assert_int_equal(fl.lanes | fl.module_flags | fl.rx_output_changed, 0);
	assert_int_equal(LB_MODULE_FLAGS_SIZE_V1,
			 offsetof(struct lb_module_flags, tuning_flags) + LB_MODULE_MAX_LANES);
	assert_true(LB_MODULE_MONITORS_SIZE_V2 > LB_MODULE_MONITORS_SIZE_V1);
	assert_int_equal(LB_MODULE_MONITORS_SIZE_V2,
			 offsetof(struct lb_module_monitors, rx_output_changed) + sizeof(uint32_t));
	assert_int_equal(mon.size, sizeof(mon));
	assert_int_equal(mon.tx_los | mon.rx_los | mon.lanes, 0);
	assert_int_equal(ev.size, sizeof(ev));
	assert_int_equal(id.size, sizeof(id));
	assert_int_equal(ls.size, sizeof(ls));
	assert_int_equal(d.size, sizeof(d));
	assert_int_equal(t.size, sizeof(t));
	assert_int_equal(rep.size, sizeof(rep));
	/* Every first layout reaches its last member: a later member must come after it. */
	assert_int_equal(LB_MODULE_MONITORS_SIZE_V1,
			 offsetof(struct lb_module_monitors, tx_lol) + sizeof(uint32_t));
	assert_int_equal(LB_SIDEBAND_EVENT_SIZE_V1,
			 offsetof(struct lb_sideband_event, rx_output_changed) + sizeof(uint32_t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_module_structs),
		cmocka_unit_test(test_coherent_structs),
		cmocka_unit_test(test_asic_structs),
		cmocka_unit_test(test_failed_call_fills_prefix),
		cmocka_unit_test(test_bring_up_refused_before_anything),
		cmocka_unit_test(test_sideband_event),
		cmocka_unit_test(test_helper),
		cmocka_unit_test(test_helper_read),
		cmocka_unit_test(test_init_macros),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
