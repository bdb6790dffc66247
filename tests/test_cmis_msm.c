/* SPDX-License-Identifier: MIT */
/*
 * Module state machine on the emulator, in virtual time: low/high power transitions and what
 * they cost, the LPMode pin and LowPwrAllowRequestHW, CMIS 4.0 control bits, waits that time
 * out on the advertised bound when the module is stuck, ModuleFault, software reset.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "hal/cmis/control_regs.h"
#include "emu_rig.h"
#include "image_file.h"
#include "synth_module.h"

static uint64_t now(struct lb_test_rig *r)
{
	return lb_emu_world_now_ns(r->world);
}

static uint64_t bus_ns(struct lb_test_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &s);
	return s.bus_time_ns;
}

static uint8_t peek(struct lb_test_rig *r, uint8_t offset)
{
	uint8_t b = 0;
	assert_int_equal(lb_emu_module_peek(r->emu, 0, 0, offset, &b, 1), LB_OK);
	return b;
}

static enum lb_module_state state(struct lb_test_rig *r)
{
	enum lb_module_state st;
	assert_int_equal(lb_module_get_state(r->m, &st), LB_OK);
	return st;
}

static const char *const profiles[] = {
	"coherent-800g-qsfpdd", "400g-fr4-qsfpdd", "800g-dr8-osfp", "1600g-2xdr8-osfpxd",
};

/* ---- names, codes ---- */

static void test_state_names(void **unused)
{
	(void)unused;
	assert_string_equal(lb_module_state_name(LB_MODULE_STATE_LOW_PWR), "ModuleLowPwr");
	assert_string_equal(lb_module_state_name(LB_MODULE_STATE_PWR_UP), "ModulePwrUp");
	assert_string_equal(lb_module_state_name(LB_MODULE_STATE_READY), "ModuleReady");
	assert_string_equal(lb_module_state_name(LB_MODULE_STATE_PWR_DN), "ModulePwrDn");
	assert_string_equal(lb_module_state_name(LB_MODULE_STATE_FAULT), "ModuleFault");
	assert_string_equal(lb_module_state_name(0), "reserved");
	assert_string_equal(lb_module_state_name(6), "reserved");
	assert_string_equal(lb_module_state_name(-3), "reserved");
}

static void test_duration_codes(void **unused)
{
	(void)unused;
	/* CMIS 5.4 Table 8-49 upper bounds */
	static const uint32_t want[16] = { 1, 5, 10, 50, 100, 500, 1000, 5000, 10000, 60000,
					   300000, 600000, 3000000, 6000000, 6000000, 6000000 };
	for (uint8_t c = 0; c < 16; c++)
		assert_int_equal(lb_cmis_duration_code_ms(c), want[c]);
}

/* The advertised maxima cover what the module really takes, and are read once. */
static void test_durations_cover_timing_and_are_cached(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct lb_test_rig r;
		lb_test_rig_profile(&r, LB_SOURCE_DIR, profiles[i], 400, false);
		struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
		struct lb_emu_timing t;
		lb_emu_module_get_timing(r.emu, &t);
		assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
		assert_true(t.module_pwr_up_ns < lb_cmis_ms_to_ns(d.module_pwr_up_ms));
		assert_true(t.module_pwr_dn_ns < lb_cmis_ms_to_ns(d.module_pwr_dn_ms));
		assert_true(t.dp_init_ns < lb_cmis_ms_to_ns(d.dp_init_ms));
		assert_true(t.dp_deinit_ns < lb_cmis_ms_to_ns(d.dp_deinit_ms));
		assert_true(t.dp_tx_turn_on_ns < lb_cmis_ms_to_ns(d.dp_tx_turn_on_ms));
		assert_true(t.dp_tx_turn_off_ns < lb_cmis_ms_to_ns(d.dp_tx_turn_off_ms));
		/* the bytes match the page */
		uint8_t b167;
		assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x01, 167, &b167, 1), LB_OK);
		assert_int_equal(d.module_pwr_up_ms, lb_cmis_duration_code_ms(b167 & 0x0F));
		lb_bus_reset_stats(r.bus);
		struct lb_module_durations d2 = LB_MODULE_DURATIONS_INIT;
		assert_int_equal(lb_module_get_durations(r.m, &d2), LB_OK);
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		lb_bus_get_stats(r.bus, &s);
		assert_int_equal(s.transactions, 0);
		assert_memory_equal(&d, &d2, sizeof(d));
		assert_int_equal(lb_module_get_durations(r.m, NULL), LB_E_INVAL);
		lb_test_rig_down(&r);
	}
}

/* ---- power ---- */

static void test_high_then_low_power_in_module_time(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct lb_test_rig r;
		lb_test_rig_profile(&r, LB_SOURCE_DIR, profiles[i], 400, false);
		struct lb_emu_timing t;
		lb_emu_module_get_timing(r.emu, &t);
		/* Power-on defaults: LPMode asserted and 26.6 = 1, so ModuleLowPwr. */
		assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
		struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
		assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);

		uint64_t t0 = now(&r), b0 = bus_ns(&r);
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
		uint64_t took = now(&r) - t0, bus = bus_ns(&r) - b0;
		assert_int_equal(state(&r), LB_MODULE_STATE_READY);
		assert_int_equal(lb_emu_module_state(r.emu), LB_MODULE_STATE_READY);
		/* 26.4 and 26.6 cleared: the pin no longer holds the module */
		assert_int_equal(peek(&r, 26) & 0x50, 0);
		/* seen within a few percent of the module's own power-up (plus the bus) */
		assert_true(took >= t.module_pwr_up_ns);
		assert_true(took <= t.module_pwr_up_ns + t.module_pwr_up_ns / 20 + bus);

		/* Data paths came up on their own (DPDeinit = 0); low power takes them down first. */
		t0 = now(&r);
		assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
		took = now(&r) - t0;
		assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
		assert_int_equal(peek(&r, 26) & 0x10, 0x10);
		assert_true(took >= t.module_pwr_dn_ns);
		assert_true(took <= lb_cmis_ms_to_ns((uint64_t)d.module_pwr_dn_ms + d.dp_tx_turn_off_ms +
						     d.dp_deinit_ms));
		/* nothing to do: no write, one read of state and controls */
		lb_bus_reset_stats(r.bus);
		assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		lb_bus_get_stats(r.bus, &s);
		assert_int_equal(s.writes, 0);
		assert_true(s.transactions <= 2);
		lb_test_rig_down(&r);
	}
}

/* With the pin released and 26.6 still 1, low power through the pin is not our business. */
static void test_high_power_overrides_lpmode_pin(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	lb_emu_module_set_lpmode(r.emu, 1);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(state(&r), LB_MODULE_STATE_READY);
	assert_int_equal(peek(&r, 26) & 0x40, 0); /* LowPwrAllowRequestHW cleared */
	lb_emu_world_advance_ns(r.world, 1000000000u);
	assert_int_equal(state(&r), LB_MODULE_STATE_READY); /* the asserted pin is ignored now */
	lb_test_rig_down(&r);
}

/* CMIS 4.0 named bits 6/4 LowPwr/ForceLowPwr: low power sets both, high clears both. */
static void test_cmis4_control_bits(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint8_t rev = 0x40;
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0, 1, &rev, 1), LB_OK);
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(peek(&r, 26) & 0x50, 0);
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
	assert_int_equal(peek(&r, 26) & 0x50, 0x50);
	assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
	lb_test_rig_down(&r);
	/* 5.x leaves 26.6 alone when going low */
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);
	assert_int_equal(peek(&r, 26) & 0x50, 0x10);
	lb_test_rig_down(&r);
}

/* A module stuck in ModulePwrUp: the wait ends on the advertised bound, not later. */
static void hook_stuck_state(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	uint8_t b = r->poke_state;
	lb_emu_module_poke(r->emu, 0, 0, 3, &b, 1);
}

static void test_timeout_on_advertised_bound_when_stuck(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	r.poke_state = 0x05; /* ModulePwrUp, as byte 3 reads */
	r.hook = hook_stuck_state;
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_E_TIMEOUT);
	uint64_t took = now(&r) - t0, bound = lb_cmis_ms_to_ns(d.module_pwr_up_ms);
	assert_true(took >= bound);
	assert_true(took <= bound + bound / 50); /* last poll on the deadline, then the answer */
	/* polled at least every bound/100 (capped at 50 ms), never faster than every 1 ms */
	assert_true(r.sleeps >= 100 && r.sleeps <= bound / 1000000u);
	/* the reason names the goal, the time it was given and where the module was */
	char want[128], b[32];
	lb_wait_format_ns(bound, b, sizeof(b));
	snprintf(want, sizeof(want), " of %s allowed (state ModulePwrUp)", b);
	const char *why = lb_ctx_last_error(r.ctx);
	assert_true(strncmp(why, "ModuleReady not reached after ", 30) == 0);
	assert_true(strlen(why) > strlen(want));
	assert_string_equal(why + strlen(why) - strlen(want), want);
	lb_test_rig_down(&r);
}

/* A module that NACKs for ever after a reset: LB_E_TIMEOUT after tInit + MaxDurationModulePwrUp. */
static void hook_stuck_busy_once(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (r->sleeps == 1)
		lb_emu_module_inject(r->emu, LB_EMU_FAULT_STUCK_BUSY, 1);
}

static void test_reset_timeout_when_module_never_answers(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	struct lb_module_durations d = LB_MODULE_DURATIONS_INIT;
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	r.hook = hook_stuck_busy_once;
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_reset(r.m), LB_E_TIMEOUT);
	uint64_t took = now(&r) - t0;
	uint64_t bound = lb_cmis_ms_to_ns(LB_CTL_T_INIT_MS + (uint64_t)d.module_pwr_up_ms);
	assert_true(took >= bound);
	assert_true(took <= bound + bound / 50);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "ModuleLowPwr or ModuleReady not reached after "));
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "(the module still NACKs)"));
	lb_emu_module_inject(r.emu, LB_EMU_FAULT_STUCK_BUSY, 0);
	lb_test_rig_down(&r);
}

/* ---- fault ---- */

static void hook_fault_once(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (r->sleeps == 3)
		lb_emu_module_inject(r->emu, LB_EMU_FAULT_MODULE_FAULT, 1);
}

static void test_module_fault(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	/* during the wait: reported at the next poll, not at the bound */
	r.hook = hook_fault_once;
	uint64_t t0 = now(&r);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_E_FAULT);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.emu, &t);
	assert_true(now(&r) - t0 < t.module_pwr_up_ns);
	r.hook = NULL;
	assert_int_equal(state(&r), LB_MODULE_STATE_FAULT);
	/* before any write */
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_E_FAULT);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_E_FAULT);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r.bus, &s);
	assert_int_equal(s.writes, 0);
	/* a reset is the way out */
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
	lb_test_rig_down(&r);
}

/* ---- reset ---- */

static void test_reset_waits_through_nacks(void **unused)
{
	(void)unused;
	for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++) {
		struct lb_test_rig r;
		lb_test_rig_profile(&r, LB_SOURCE_DIR, profiles[i], 400, false);
		struct lb_emu_timing t;
		lb_emu_module_get_timing(r.emu, &t);
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
		assert_int_equal(state(&r), LB_MODULE_STATE_READY);
		lb_bus_reset_stats(r.bus);
		uint64_t t0 = now(&r);
		assert_int_equal(lb_module_reset(r.m), LB_OK);
		uint64_t took = now(&r) - t0;
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		lb_bus_get_stats(r.bus, &s);
		assert_true(s.errors > 0); /* it did NACK for a while */
		assert_true(took >= t.reset_ns);
		assert_true(took <= t.reset_ns + t.reset_ns / 20 + s.bus_time_ns);
		/* defaults again: LPMode pin asserted and 26.6 = 1 -> ModuleLowPwr */
		assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
		assert_int_equal(peek(&r, 26), 0x40);
		/* the module works as before */
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
		lb_test_rig_down(&r);
	}
}

static void test_reset_ends_in_ready_when_pin_released(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	lb_emu_module_set_lpmode(r.emu, 0);
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	/* ModuleLowPwr or ModuleReady both end the wait; it powers up by itself afterwards */
	enum lb_module_state st = state(&r);
	assert_true(st == LB_MODULE_STATE_LOW_PWR || st == LB_MODULE_STATE_READY ||
		    st == LB_MODULE_STATE_PWR_UP);
	lb_test_rig_down(&r);
}

static void test_removed_module_is_not_waited_for(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	assert_int_equal(state(&r), LB_MODULE_STATE_LOW_PWR);
	lb_emu_module_remove(r.emu);
	uint64_t t0 = now(&r);
	int rc = lb_module_set_low_power(r.m, false);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV);
	assert_true(now(&r) - t0 < 50000000u); /* no wait on a module that is gone */
	enum lb_module_state st;
	rc = lb_module_get_state(r.m, &st);
	assert_true(rc == LB_E_NACK || rc == LB_E_NODEV);
	lb_test_rig_down(&r);
}

static void test_bad_arguments(void **unused)
{
	(void)unused;
	enum lb_module_state st;
	assert_int_equal(lb_module_get_state(NULL, &st), LB_E_INVAL);
	assert_int_equal(lb_module_set_low_power(NULL, true), LB_E_INVAL);
	assert_int_equal(lb_module_reset(NULL), LB_E_INVAL);
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_get_state(r.m, NULL), LB_E_INVAL);
	lb_test_rig_down(&r);
}

/*
 * An SFF-8636 module (QSFP28) has no CMIS module state machine and its byte 26 means something
 * else: power and reset are refused with a detail, and nothing is written.
 */
static void test_non_cmis_module_refused(void **unused)
{
	(void)unused;
	struct lb_test_image img;
	memset(&img, 0, sizeof(img));
	img.has_page[0] = true;
	img.lower[0] = img.page[0][0] = 0x11; /* QSFP28 (SFF-8636) */
	img.lower[2] = 0x04;
	char dir[] = "/tmp/lb-test-msm-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/qsfp28.txt", dir);
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_E_NOTSUP);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "not a CMIS module (identifier 0x11)"));
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_E_NOTSUP);
	assert_int_equal(lb_module_reset(r.m), LB_E_NOTSUP);
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.writes, 0);
	uint8_t b26;
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 26, &b26, 1), LB_OK);
	assert_int_equal(b26, 0);
	lb_test_rig_down(&r);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_names),
		cmocka_unit_test(test_duration_codes),
		cmocka_unit_test(test_durations_cover_timing_and_are_cached),
		cmocka_unit_test(test_high_then_low_power_in_module_time),
		cmocka_unit_test(test_high_power_overrides_lpmode_pin),
		cmocka_unit_test(test_cmis4_control_bits),
		cmocka_unit_test(test_timeout_on_advertised_bound_when_stuck),
		cmocka_unit_test(test_reset_timeout_when_module_never_answers),
		cmocka_unit_test(test_module_fault),
		cmocka_unit_test(test_reset_waits_through_nacks),
		cmocka_unit_test(test_reset_ends_in_ready_when_pin_released),
		cmocka_unit_test(test_removed_module_is_not_waited_for),
		cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_non_cmis_module_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
