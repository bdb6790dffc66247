/* SPDX-License-Identifier: MIT */
/*
 * Bring-up as a stepped state machine (lb_bringup_*): one thread drives several modules of a
 * bus and their waits overlap; cancel, the caller's deadline, progress, stepping early, and
 * the same registers as the blocking call. Virtual time on the emulated segment's clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#define NMOD 4

struct multi {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu[NMOD];
	struct lb_bus *bus;
	struct lb_module *m[NMOD];
};

/* n coherent 800G modules on one segment, behind a mux at 0x70, channels 0..n-1. */
static void multi_open(struct multi *x, const char *profile, unsigned n)
{
	memset(x, 0, sizeof(*x));
	char path[1024], err[256];
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", LB_SOURCE_DIR, profile);
	assert_int_equal(lb_ctx_create(&x->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(x->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&x->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(x->w, 400, &x->seg), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(x->seg, 0x70), LB_OK);
	assert_int_equal(lb_bus_open(x->ctx, "emulator", NULL, x->seg, &x->bus), LB_OK);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(lb_emu_module_create(x->w, path, &x->emu[i], err, sizeof(err)), LB_OK);
		assert_int_equal(lb_emu_segment_attach(x->seg, (int)i, 0x50, x->emu[i]), LB_OK);
		struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = (int)i };
		assert_int_equal(lb_module_open(x->bus, &a, &x->m[i]), LB_OK);
	}
}

static void multi_close(struct multi *x)
{
	for (unsigned i = 0; i < NMOD; i++)
		lb_module_close(x->m[i]);
	lb_bus_close(x->bus);
	lb_emu_world_destroy(x->w);
	lb_ctx_destroy(x->ctx);
}

/* Step every operation whose time has come; sleep the bus until the earliest wake-up. */
static void drive(struct lb_bus *bus, struct lb_bringup **b, int *rc, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		rc[i] = LB_E_AGAIN;
	for (;;) {
		uint64_t next = UINT64_MAX;
		for (unsigned i = 0; i < n; i++) {
			if (rc[i] != LB_E_AGAIN)
				continue;
			uint64_t wake = 0;
			rc[i] = lb_bringup_step(b[i], &wake);
			if (rc[i] == LB_E_AGAIN && wake < next)
				next = wake;
		}
		if (next == UINT64_MAX)
			return;
		uint64_t now = lb_bus_now_ns(bus);
		if (next > now)
			lb_bus_sleep_ns(bus, next - now);
	}
}

static void test_one_thread_overlaps_the_waits_of_four_modules(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", NMOD);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(x.emu[0], &t);
	uint64_t own = t.module_pwr_up_ns + t.apply_ns + t.dp_init_ns + t.dp_tx_turn_on_ns;

	struct lb_bringup *b[NMOD];
	int rc[NMOD];
	for (unsigned i = 0; i < NMOD; i++)
		assert_int_equal(lb_bringup_start(x.m[i], 0, 0, NULL, &b[i]), LB_OK);
	uint64_t t0 = lb_bus_now_ns(x.bus);
	drive(x.bus, b, rc, NMOD);
	uint64_t took = lb_bus_now_ns(x.bus) - t0;
	for (unsigned i = 0; i < NMOD; i++) {
		assert_int_equal(rc[i], LB_OK);
		assert_int_equal(lb_bringup_step(b[i], NULL), LB_OK); /* stays done */
		assert_string_equal(lb_bringup_step_name(b[i]), "done");
		for (unsigned lane = 1; lane <= 8; lane++)
			assert_int_equal(lb_emu_module_dp_state(x.emu[i], lane), LB_DP_STATE_ACTIVATED);
		lb_bringup_free(b[i]);
	}
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(x.bus, &s);
	/* About one module's own time plus the bus time of all four, not four times it. */
	print_message("4 modules on one bus: %.3f s, module's own %.3f s, bus %.3f s\n",
		      (double)took / 1e9, (double)own / 1e9, (double)s.bus_time_ns / 1e9);
	assert_true(took >= own);
	assert_true(took <= own + own / 20 + s.bus_time_ns);
	assert_true(took < 2 * own);
	multi_close(&x);
}

static void test_blocking_wrapper_leaves_the_same_registers(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "800g-dr8-osfp", 2);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_module_bring_up(x.m[0], 0, 0, &rep), LB_OK);
	struct lb_bringup *b;
	int rc;
	assert_int_equal(lb_bringup_start(x.m[1], 0, 0, NULL, &b), LB_OK);
	drive(x.bus, &b, &rc, 1);
	assert_int_equal(rc, LB_OK);
	struct lb_bringup_report rep2 = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_bringup_get_report(b, &rep2), LB_OK);
	assert_int_equal(rep2.deadline_ns, rep.deadline_ns);
	uint32_t mask;
	uint8_t appsel;
	lb_bringup_get_target(b, &mask, &appsel);
	assert_int_equal(mask, 0xFF);
	assert_int_equal(appsel, 1);
	lb_bringup_free(b);
	uint8_t a[256], c[256];
	for (uint8_t page = 0x10; page <= 0x11; page++) {
		assert_int_equal(lb_emu_module_peek(x.emu[0], 0, page, 128, a, 128), LB_OK);
		assert_int_equal(lb_emu_module_peek(x.emu[1], 0, page, 128, c, 128), LB_OK);
		assert_memory_equal(a, c, 128);
	}
	multi_close(&x);
}

static void test_cancel_ends_with_canceled_and_no_more_traffic(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", 1);
	int flag = 0;
	struct lb_op op = LB_OP_INIT;
	op.cancel = &flag;
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, &op, &b), LB_OK);
	uint64_t wake;
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_AGAIN);
	assert_string_equal(lb_bringup_step_name(b), "power up");
	__atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
	lb_bus_sleep_ns(x.bus, wake - lb_bus_now_ns(x.bus));
	struct lb_bus_stats before = LB_BUS_STATS_INIT, after = LB_BUS_STATS_INIT;
	lb_bus_get_stats(x.bus, &before);
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_CANCELED);
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_CANCELED);
	lb_bus_get_stats(x.bus, &after);
	assert_int_equal(after.transactions, before.transactions);
	lb_bringup_free(b);

	/* lb_bringup_cancel from the handle works the same way. */
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, NULL, &b), LB_OK);
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_AGAIN);
	lb_bringup_cancel(b);
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_CANCELED);
	lb_bringup_free(b);
	multi_close(&x);
}

static void test_callers_deadline_ends_it_in_time(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", 1);
	struct lb_op op = LB_OP_INIT;
	op.deadline_ns = lb_bus_now_ns(x.bus) + 2000000000u; /* 2 s: power-up alone takes longer */
	struct lb_bringup *b;
	int rc;
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, &op, &b), LB_OK);
	drive(x.bus, &b, &rc, 1);
	assert_int_equal(rc, LB_E_TIMEOUT);
	uint64_t now = lb_bus_now_ns(x.bus);
	assert_true(now >= op.deadline_ns);
	assert_true(now <= op.deadline_ns + 10000000u); /* the last poll lands on the deadline */
	lb_bringup_free(b);
	multi_close(&x);
}

struct progress_log {
	unsigned calls;
	double last;
	bool backwards;
	char steps[8][16];
	unsigned nsteps;
};

static void on_progress(void *user, const char *step, double fraction)
{
	struct progress_log *p = user;
	p->calls++;
	if (fraction < p->last)
		p->backwards = true;
	p->last = fraction;
	if (p->nsteps == 0 || strcmp(p->steps[p->nsteps - 1], step) != 0) {
		if (p->nsteps < 8)
			snprintf(p->steps[p->nsteps++], sizeof(p->steps[0]), "%s", step);
	}
}

static void test_progress_moves_forward_through_the_steps(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", 1);
	struct progress_log log = { 0 };
	struct lb_op op = LB_OP_INIT;
	op.progress = on_progress;
	op.user = &log;
	struct lb_bringup *b;
	int rc;
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, &op, &b), LB_OK);
	drive(x.bus, &b, &rc, 1);
	assert_int_equal(rc, LB_OK);
	assert_false(log.backwards);
	assert_true(log.last == 1.0);
	assert_true(log.calls > 10);
	/* In order; "deactivate" takes no wait (and so no report) on a module in low power. */
	const char *want[] = { "power up", "apply", "activate", "done" };
	assert_int_equal(log.nsteps, 4);
	for (unsigned i = 0; i < 4; i++)
		assert_string_equal(log.steps[i], want[i]);
	lb_bringup_free(b);
	multi_close(&x);
}

static void test_stepping_early_costs_no_traffic(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", 1);
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, NULL, &b), LB_OK);
	uint64_t wake, wake2;
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_AGAIN);
	assert_true(wake > lb_bus_now_ns(x.bus));
	struct lb_bus_stats before = LB_BUS_STATS_INIT, after = LB_BUS_STATS_INIT;
	lb_bus_get_stats(x.bus, &before);
	for (int i = 0; i < 5; i++)
		assert_int_equal(lb_bringup_step(b, &wake2), LB_E_AGAIN);
	assert_int_equal(wake2, wake);
	lb_bus_get_stats(x.bus, &after);
	assert_int_equal(after.transactions, before.transactions);
	lb_bringup_free(b);
	multi_close(&x);
}

static void test_bad_arguments(void **unused)
{
	(void)unused;
	struct multi x;
	multi_open(&x, "coherent-800g-qsfpdd", 1);
	struct lb_bringup *b;
	struct lb_op op = LB_OP_INIT;
	op.size = 8; /* older than the first published layout */
	assert_int_equal(lb_bringup_start(x.m[0], 0, 0, &op, &b), LB_E_INVAL);
	assert_int_equal(lb_bringup_start(NULL, 0, 0, NULL, &b), LB_E_INVAL);
	assert_int_equal(lb_bringup_step(NULL, NULL), LB_E_INVAL);
	/* AppSel 16 does not exist: refused at the first step with its ConfigStatus code. */
	assert_int_equal(lb_bringup_start(x.m[0], 0, 16, NULL, &b), LB_OK);
	assert_int_equal(lb_bringup_step(b, NULL), LB_E_INVAL);
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_bringup_get_report(b, &rep), LB_OK);
	assert_int_equal(rep.reject_code, 3);
	lb_bringup_free(b);
	lb_bringup_free(NULL);
	multi_close(&x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_thread_overlaps_the_waits_of_four_modules),
		cmocka_unit_test(test_blocking_wrapper_leaves_the_same_registers),
		cmocka_unit_test(test_cancel_ends_with_canceled_and_no_more_traffic),
		cmocka_unit_test(test_callers_deadline_ends_it_in_time),
		cmocka_unit_test(test_progress_moves_forward_through_the_steps),
		cmocka_unit_test(test_stepping_early_costs_no_traffic),
		cmocka_unit_test(test_bad_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
