/* SPDX-License-Identifier: MIT */
/*
 * The optoe bus driver end to end through the kernel: lb-emud serves the default emulated
 * platform through FUSE, and identity, pages, bring-up and monitors read through its optoe
 * files agree with the same platform emulated in process. Skips without /dev/fuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <math.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>
#include "tests/processes/emud_rig.h"

struct fx {
	struct emud_rig rig;
	struct lb_ctx *kctx, *ectx;      /* through the kernel (optoe) / in process (emulator) */
	struct lb_platform *kp, *ep;
};

static int setup(void **state)
{
	const char *why = emud_rig_unavailable();
	if (why) {
		fprintf(stderr, "skipped: %s\n", why);
		*state = NULL;
		return 0;
	}
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	int rc = emud_rig_start(&f->rig, NULL);
	if (rc == 1) {
		fprintf(stderr, "skipped: lb-emud could not mount (no FUSE here)\n");
		free(f);
		*state = NULL;
		return 0;
	}
	assert_int_equal(rc, 0);
	assert_int_equal(lb_ctx_create(&f->kctx), LB_OK);
	assert_int_equal(lb_ctx_create(&f->ectx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(f->ectx), LB_OK);
	assert_int_equal(lb_platform_open(f->kctx, f->rig.platform, &f->kp), LB_OK);
	assert_int_equal(lb_platform_open(f->ectx, NULL, &f->ep), LB_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (!f)
		return 0;
	lb_platform_close(f->kp);
	lb_platform_close(f->ep);
	lb_ctx_destroy(f->kctx);
	lb_ctx_destroy(f->ectx);
	int status = emud_rig_stop(&f->rig);
	assert_false(emud_rig_is_mounted(f->rig.mount));
	free(f);
	assert_int_equal(status, 0); /* lb-emud stopped cleanly on SIGTERM and unmounted */
	return 0;
}

#define SKIP_IF_NO_FUSE(state)           \
	do {                             \
		if (!*(state)) {         \
			skip();          \
			return;          \
		}                        \
	} while (0)

static void modules(struct fx *f, unsigned port, struct lb_module **k, struct lb_module **e)
{
	assert_int_equal(lb_platform_module(f->kp, port, k), LB_OK);
	assert_int_equal(lb_platform_module(f->ep, port, e), LB_OK);
	assert_string_equal(lb_bus_driver_name(lb_module_bus(*k)), "optoe");
}

static void test_platform_file(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	assert_int_equal(lb_platform_port_count(f->kp), lb_platform_port_count(f->ep));
	for (unsigned i = 0; i < lb_platform_port_count(f->ep); i++) {
		struct lb_port_info a = LB_PORT_INFO_INIT, b = LB_PORT_INFO_INIT;
		assert_int_equal(lb_platform_port_at(f->kp, i, &a), LB_OK);
		assert_int_equal(lb_platform_port_at(f->ep, i, &b), LB_OK);
		assert_int_equal(a.port, b.port);
		assert_string_equal(a.name, b.name);
		assert_string_equal(a.cage, b.cage);
	}
}

/* Static pages agree byte for byte through the kernel and in process. */
static void test_pages(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	static const uint8_t pages[] = { 0x00, 0x01, 0x02 };
	for (unsigned port = 1; port <= 6; port++) {
		struct lb_module *k, *e;
		modules(f, port, &k, &e);
		uint8_t a[128], b[128];
		assert_int_equal(lb_module_read_page(k, 0, 0, true, a), LB_OK);
		assert_int_equal(lb_module_read_page(e, 0, 0, true, b), LB_OK);
		assert_memory_equal(a, b, 3);                /* id, revision, memory model */
		assert_memory_equal(a + 85, b + 85, 118 - 85); /* media type, applications */
		for (unsigned i = 0; i < sizeof(pages); i++) {
			assert_int_equal(lb_module_read_page(k, 0, pages[i], false, a), LB_OK);
			assert_int_equal(lb_module_read_page(e, 0, pages[i], false, b), LB_OK);
			assert_memory_equal(a, b, 128);
		}
		int banks = lb_module_page_supported(k, 1, 0x10) == 1 ? 2 : 1;
		for (int bank = 0; bank < banks; bank++) {
			/* page 10h: controls, all at power-on defaults on both sides */
			assert_int_equal(lb_module_read_page(k, (uint8_t)bank, 0x10, false, a), LB_OK);
			assert_int_equal(lb_module_read_page(e, (uint8_t)bank, 0x10, false, b), LB_OK);
			assert_memory_equal(a, b, 128);
		}
		struct lb_bus_stats st = LB_BUS_STATS_INIT;
		lb_bus_get_stats(lb_module_bus(k), &st);
		assert_int_equal(st.select_writes, 0); /* the kernel (lb-emud) selected every page */
	}
}

static void test_identity(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	for (unsigned port = 1; port <= 6; port++) {
		struct lb_module *k, *e;
		modules(f, port, &k, &e);
		struct lb_module_identity a = LB_MODULE_IDENTITY_INIT, b = LB_MODULE_IDENTITY_INIT;
		assert_int_equal(lb_module_get_identity(k, &a), LB_OK);
		assert_int_equal(lb_module_get_identity(e, &b), LB_OK);
		assert_int_equal(a.identifier, b.identifier);
		assert_string_equal(a.vendor_name, b.vendor_name);
		assert_string_equal(a.part_number, b.part_number);
		assert_string_equal(a.serial_number, b.serial_number);
		assert_memory_equal(a.vendor_oui, b.vendor_oui, 3);
		assert_int_equal(a.lane_banks, b.lane_banks);
		assert_int_equal(a.full_page_read, b.full_page_read);
		assert_true(a.page00_checksum_ok && a.page01_checksum_ok);
	}
}

/* Raw file semantics a host tool relies on: page-crossing reads, writes to 126/127. */
static void test_file_semantics(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	struct lb_module *k, *e;
	modules(f, 1, &k, &e);
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/1/eeprom", f->rig.mount);
	int fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	/* 64 bytes from 01h:224 to 02h:159: one pread across the page boundary */
	uint8_t span[64], p01[128], p02[128];
	off_t at = lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0x01, 224);
	assert_int_equal(pread(fd, span, sizeof(span), at), (ssize_t)sizeof(span));
	assert_int_equal(lb_module_read_page(e, 0, 0x01, false, p01), LB_OK);
	assert_int_equal(lb_module_read_page(e, 0, 0x02, false, p02), LB_OK);
	assert_memory_equal(span, p01 + 96, 32);
	assert_memory_equal(span + 32, p02, 32);
	/* lower memory and page 00h in one read */
	uint8_t all[256];
	assert_int_equal(pread(fd, all, sizeof(all), 0), (ssize_t)sizeof(all));
	assert_int_equal(all[0], all[128]); /* identifier copied at 00h:128 */
	/* a write at offset 127 reaches PageSelect: the raw window then shows page 02h */
	uint8_t two = 0x02;
	assert_int_equal(pwrite(fd, &two, 1, 127), 1);
	char ipath[PATH_MAX + 32];
	snprintf(ipath, sizeof(ipath), "%s/1/i2c", f->rig.mount);
	int ifd = open(ipath, O_RDWR);
	assert_true(ifd >= 0);
	uint8_t win[128], sel;
	assert_int_equal(pread(ifd, &sel, 1, 127), 1);
	assert_int_equal(sel, 0x02);
	assert_int_equal(pread(ifd, win, 128, 128), 128);
	assert_memory_equal(win, p02, 128);
	/* an unsupported page: the module clears PageSelect (CMIS 8.2.15) */
	uint8_t bogus = 0x77;
	assert_int_equal(pwrite(ifd, &bogus, 1, 127), 1);
	assert_int_equal(pread(ifd, &sel, 1, 127), 1);
	assert_int_equal(sel, 0x00);
	close(ifd);
	/* past the end of the layout: EOF */
	assert_int_equal(pread(fd, all, 16, lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, 0xFF, 128) + 128), 0);
	close(fd);
}

static void test_bring_up_and_monitors(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	/* the fast profiles: virtual time follows real time in lb-emud */
	static const unsigned ports[] = { 3, 4 };
	for (unsigned i = 0; i < 2; i++) {
		struct lb_module *k, *e;
		modules(f, ports[i], &k, &e);
		struct lb_bringup_report rk = LB_BRINGUP_REPORT_INIT, re = LB_BRINGUP_REPORT_INIT;
		assert_int_equal(lb_module_bring_up(k, 0, 0, &rk), LB_OK);
		assert_int_equal(lb_module_bring_up(e, 0, 0, &re), LB_OK);
		assert_int_equal(rk.deadline_ns, re.deadline_ns);
		assert_true(rk.elapsed_ns <= rk.deadline_ns);
		/* through the kernel it takes the module's own transitions, in real time */
		fprintf(stderr, "port %u bring-up: %.1f ms through lb-emud, %.1f ms in process (virtual)\n",
			ports[i], (double)rk.elapsed_ns / 1e6, (double)re.elapsed_ns / 1e6);
		assert_true(rk.elapsed_ns >= re.elapsed_ns * 9 / 10);
		struct lb_lane_status ls_k = LB_LANE_STATUS_INIT, ls_e = LB_LANE_STATUS_INIT;
		assert_int_equal(lb_module_get_lane_status(k, &ls_k), LB_OK);
		assert_int_equal(lb_module_get_lane_status(e, &ls_e), LB_OK);
		assert_int_equal(ls_k.lanes, ls_e.lanes);
		for (unsigned l = 0; l < ls_k.lanes; l++) {
			assert_int_equal(ls_k.dp_state[l], ls_e.dp_state[l]);
			assert_int_equal(ls_k.dp_state[l], LB_DP_STATE_ACTIVATED);
			assert_int_equal(ls_k.active_appsel[l], ls_e.active_appsel[l]);
		}
		struct lb_module_monitors mk = LB_MODULE_MONITORS_INIT, me = LB_MODULE_MONITORS_INIT;
		assert_int_equal(lb_module_get_monitors(k, &mk), LB_OK);
		assert_int_equal(lb_module_get_monitors(e, &me), LB_OK);
		assert_true(fabs(mk.temperature_c - me.temperature_c) < 1e-9);
		assert_true(fabs(mk.vcc_v - me.vcc_v) < 1e-9);
		assert_int_equal(mk.lanes, me.lanes);
		for (unsigned l = 0; l < mk.lanes; l++) {
			assert_true(fabs(mk.tx_power_mw[l] - me.tx_power_mw[l]) < 1e-9);
			assert_true(fabs(mk.rx_power_mw[l] - me.rx_power_mw[l]) < 1e-9);
			assert_true(fabs(mk.tx_bias_ma[l] - me.tx_bias_ma[l]) < 1e-9);
		}
		assert_int_equal(mk.temperature_flags, me.temperature_flags);
		assert_int_equal(mk.tx_los, me.tx_los);
		assert_int_equal(mk.rx_los, me.rx_los);
		struct lb_bus_stats st = LB_BUS_STATS_INIT;
		lb_bus_get_stats(lb_module_bus(k), &st);
		assert_int_equal(st.select_writes, 0);
		assert_int_equal(st.errors, 0);
	}
}

/* Pulling a module through DIR/<port>/present: the optoe driver reports no device. */
static void test_removal(void **state)
{
	SKIP_IF_NO_FUSE(state);
	struct fx *f = *state;
	char path[PATH_MAX + 32];
	snprintf(path, sizeof(path), "%s/2/present", f->rig.mount);
	int fd = open(path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0", 1), 1);
	struct lb_module *k;
	/*
	 * The handle was known present (its last access answered): the next call on it fails
	 * and from then on the platform says the cage is empty; an explicit check says so at once.
	 */
	assert_int_equal(lb_platform_module(f->kp, 2, &k), LB_OK);
	uint8_t id;
	int rrc = lb_module_read(k, 0, 0, 0, &id, 1);
	assert_true(rrc == LB_E_NODEV || rrc == LB_E_NACK);
	assert_int_equal(lb_platform_module(f->kp, 2, &k), LB_E_NODEV);
	bool present = true;
	assert_int_equal(lb_platform_check_present(f->kp, 2, &present), LB_OK);
	assert_false(present);
	assert_int_equal(write(fd, "1", 1), 1);
	close(fd);
	/* back after its management init (reset_ms of the profile, real time) */
	int rc = LB_E_NODEV;
	for (int i = 0; i < 400 && rc != LB_OK; i++) {
		rc = lb_platform_module(f->kp, 2, &k);
		if (rc != LB_OK) {
			struct timespec ts = { 0, 10000000 };
			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(rc, LB_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_platform_file),
		cmocka_unit_test(test_pages),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_file_semantics),
		cmocka_unit_test(test_bring_up_and_monitors),
		cmocka_unit_test(test_removal),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
