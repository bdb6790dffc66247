/* SPDX-License-Identifier: MIT */
/* lb_module_last_error: the detail of the last failed call on a module handle, "" after a success. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#define MS 1000000ull

struct fx {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu, *other_emu;
	struct lb_bus *bus;
	struct lb_module *m, *other; /* a module behind mux 0x70 channel 3, one on channel 4 */
};

static void fx_up(struct fx *f)
{
	char path[1024], err[256] = "";
	memset(f, 0, sizeof(*f));
	snprintf(path, sizeof(path), "%s/emulator/profiles/coherent-800g-qsfpdd.json", LB_SOURCE_DIR);
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(f->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&f->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(f->w, 400, &f->seg), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(f->seg, 0x70), LB_OK);
	assert_int_equal(lb_emu_module_create(f->w, path, &f->emu, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_create(f->w, path, &f->other_emu, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(f->seg, 3, 0x50, f->emu), LB_OK);
	assert_int_equal(lb_emu_segment_attach(f->seg, 4, 0x50, f->other_emu), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "emulator", NULL, f->seg, &f->bus), LB_OK);
	struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = 3 };
	assert_int_equal(lb_module_open(f->bus, &a, &f->m), LB_OK);
	a.mux_channel = 4;
	assert_int_equal(lb_module_open(f->bus, &a, &f->other), LB_OK);
}

static void fx_down(struct fx *f)
{
	lb_module_close(f->m);
	lb_module_close(f->other);
	lb_bus_close(f->bus);
	lb_emu_world_destroy(f->w);
	lb_ctx_destroy(f->ctx);
}

static void expect_detail(const struct lb_module *m, const char *needle)
{
	const char *e = lb_module_last_error(m);
	if (!strstr(e, needle))
		fail_msg("last error '%s' does not say '%s'", e, needle);
}

static void test_detail_of_the_last_failed_call(void **state)
{
	(void)state;
	struct fx f;
	fx_up(&f);
	assert_string_equal(lb_module_last_error(NULL), "");
	assert_string_equal(lb_module_last_error(f.m), "");
	uint8_t buf[128];
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_OK);
	assert_string_equal(lb_module_last_error(f.m), "");

	/* a NACK on the module, well after any write of ours: where, and what the call was reading */
	lb_emu_world_advance_ns(f.w, 50 * MS);
	assert_int_equal(lb_emu_module_inject(f.emu, LB_EMU_FAULT_NACK, 1), LB_OK);
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_E_NACK);
	expect_detail(f.m, "NACK at module 0x50 behind mux 0x70 channel 3");
	expect_detail(f.m, "page 11h bytes 128-255");
	/* the other module's handle keeps its own */
	assert_string_equal(lb_module_last_error(f.other), "");
	assert_int_equal(lb_module_read_page(f.other, 0, 0x11, false, buf), LB_OK);
	expect_detail(f.m, "NACK");
	/* a success clears it */
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_OK);
	assert_string_equal(lb_module_last_error(f.m), "");

	/* a bounded wait that ran out: the wait helper's reason */
	assert_int_equal(lb_module_wait_dp_state(f.m, 0x1, LB_DP_STATE_ACTIVATED, 10), LB_E_TIMEOUT);
	expect_detail(f.m, "DPActivated on lane 1 not reached after");

	/* an argument refused before any traffic: which call, which status */
	assert_int_equal(lb_module_dp_deinit(f.m, 0, true), LB_E_INVAL);
	expect_detail(f.m, "lb_module_dp_deinit: invalid argument");

	/* another handle's claim: its holder and reason */
	struct lb_module *h2;
	struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = 3 };
	assert_int_equal(lb_module_open(f.bus, &a, &h2), LB_OK);
	assert_int_equal(lb_module_request(h2, "firmware update"), LB_OK);
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_E_BUSY);
	expect_detail(f.m, "claimed: firmware update");
	assert_int_equal(lb_module_release(h2), LB_OK);
	lb_module_close(h2);

	/* the module reset behind the host's back */
	lb_emu_module_set_resetl(f.emu, 1);
	lb_emu_segment_advance_ns(f.seg, MS);
	lb_emu_module_set_resetl(f.emu, 0);
	lb_emu_segment_advance_ns(f.seg, 2000 * MS);
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_E_CHANGED);
	expect_detail(f.m, "reset or replaced");
	assert_int_equal(lb_module_read_page(f.m, 0, 0x11, false, buf), LB_OK);
	assert_string_equal(lb_module_last_error(f.m), "");

	/* a bring-up that fails: the step's detail, kept until the next call on the module */
	assert_int_equal(lb_emu_module_inject(f.emu, LB_EMU_FAULT_MODULE_FAULT, 4), LB_OK);
	struct lb_bringup *b;
	assert_int_equal(lb_bringup_start(f.m, 0, 0, NULL, &b), LB_OK);
	uint64_t wake;
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_FAULT);
	assert_string_not_equal(lb_module_last_error(f.m), "");
	assert_int_equal(lb_bringup_step(b, &wake), LB_E_FAULT);
	assert_string_not_equal(lb_module_last_error(f.m), "");
	lb_bringup_free(b);
	fx_down(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detail_of_the_last_failed_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
