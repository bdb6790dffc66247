/* SPDX-License-Identifier: MIT */
/*
 * Robustness regressions: each test is the smallest reproducer of a crash, hang, leak, UB or
 * silently wrong value that the fuzz harnesses (tests/fuzz/) or a review of the error paths
 * found, written so that it fails without its fix (in the ASan/UBSan build at least).
 * docs/robustness.md lists them with the bug each one pins.
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
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "emu_rig.h"
#include "hal/cmis/control_regs.h"
#include "synth_module.h"

#define TMP(name) LB_BINARY_DIR "/test_robustness." name

/* The synthetic CMIS module saved as a text image and loaded into an emulated module. */
static struct lb_emu_module *load_image(struct lb_emu_world *w, const struct lb_test_image *img,
					const char *path)
{
	char err[256] = "";
	struct lb_emu_module *m = NULL;
	assert_int_equal(lb_test_image_save(path, img), 0);
	int rc = lb_emu_module_create_from_image(w, path, &m, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", path, err);
	remove(path);
	return m;
}

/*
 * emulator/cmis/dpsm.c media_mask_of(): an active data path starting on host lane 5 of an
 * application with 1 host lane and 8 media lanes puts its media lanes at 32..39, and the mask
 * was built as ((1 << 8) - 1) << 32: a shift past the width of unsigned (UB; on x86 it is a
 * shift by 0, so the DP took every media lane of the bank and Tx disable on lane 1 turned it
 * off). Media lanes beyond the bank are no lanes of the bank: the DP stays activated.
 */
static void test_emu_dp_media_lanes_beyond_bank(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[88] = 0x18;                 /* AppSel 1: 1 host lane, 8 media lanes */
	img.has_page[0x10] = true;
	img.page[0x10][130 - 128] = 0x01;     /* Tx disable, media lane 1 */
	img.page[0x11][206 - 128 + 4] = 0x10; /* host lane 5: AppSel 1, DPID 0 */
	img.page[0x11][130 - 128] = 0x04;     /* host lane 5: DPActivated */
	lb_test_fix_checksums(&img);
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_module *m = load_image(w, &img, TMP("dp_media.txt"));
	lb_emu_world_advance_ns(w, 1000000000ull);
	assert_int_equal(lb_emu_module_dp_state(m, 5), LB_DP_STATE_ACTIVATED);
	lb_emu_world_destroy(w);
}

/*
 * hal/bus/lock_file.c lb_bus_set_lock_file(): the lock in force was closed before the new
 * path was opened, so a path that could not be opened left the bus with no cross-process lock
 * at all (and the caller, told of the failure, with every later sequence unlocked). A failed
 * call now leaves the previous lock as it was.
 */
static void test_bus_lock_file_kept_on_bad_path(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	const char *lock = TMP("lock");
	assert_int_equal(lb_bus_set_lock_file(r.bus, lock, 0), LB_OK);
	assert_int_not_equal(lb_bus_set_lock_file(r.bus, "/nonexistent-dir/lb.lock", 0), LB_OK);
	int fd = open(lock, O_RDWR | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0); /* another holder */
	uint8_t id;
	assert_int_equal(lb_module_read(r.m, 0, 0, 0, &id, 1), LB_E_BUSY);
	flock(fd, LOCK_UN);
	close(fd);
	assert_int_equal(lb_module_read(r.m, 0, 0, 0, &id, 1), LB_OK);
	lb_test_rig_down(&r);
	remove(lock);
}

/*
 * hal/cmis/datapath.c media_bits(), the host side of the same arithmetic: bring-up of the
 * data path on host lane 5 of a 1-host-lane, 8-media-lane application shifted by 32 (UB; on
 * x86 the mask came out 0xFF, so bring-up enabled Tx on all eight media lanes of the bank,
 * lanes of other data paths). The data path has no media lanes in the bank: Tx disable of
 * the bank stays as it was (lb_cmis_dp_check gives no media lanes for it).
 */
static void test_bringup_media_lanes_beyond_bank(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[88] = 0x18;                 /* AppSel 1: 1 host lane, 8 media lanes */
	img.lower[89] = 0x10;                 /* may start on host lane 5 */
	img.has_page[0x10] = true;
	img.page[0x10][130 - 128] = 0xFF;     /* every media lane's Tx disabled */
	img.page[1][144 - 128] = img.page[1][167 - 128] = img.page[1][168 - 128] = 0x55;
	lb_test_fix_checksums(&img);
	const char *path = TMP("bringup_media.txt");
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	remove(path);
	/* Whatever the module makes of it (the UB is caught by the UBSan build), a status. */
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_true(lb_module_bring_up(r.m, 1u << 4, 1, &rep) <= 0);
	uint32_t media = 0;
	int code = 0;
	struct lb_app app = { .appsel = 1, .host_lanes = 1, .media_lanes = 8,
			      .host_lane_options = 0x10 };
	assert_int_equal(lb_cmis_dp_check(&app, 1u << 4, 8, &media, &code), LB_OK);
	assert_int_equal(media, 0);
	lb_test_rig_down(&r);
}

/*
 * hal/bus/bus.c + hal/core/ctx.c: an emulator bus used to offer its world's virtual clock to
 * the context, which kept it after the bus closed (a use-after-free once the world was
 * destroyed). Now a bus keeps its driver's clock for itself and the context's clock is never
 * replaced: an emulated platform runs on its buses' clocks, and the context stays on the
 * real clock before, during and after.
 */
static void test_ctx_clock_after_platform_close(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	struct lb_clock real;
	lb_ctx_get_clock(ctx, &real);
	for (int round = 0; round < 2; round++) {
		struct lb_platform *p;
		assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
		struct lb_clock during;
		lb_ctx_get_clock(ctx, &during);
		assert_ptr_equal(during.now_ns, real.now_ns);
		assert_ptr_equal(during.user, real.user);
		struct lb_bus *bus;
		assert_int_equal(lb_platform_bus_at(p, 0, &bus, NULL), LB_OK);
		assert_true(lb_bus_has_own_clock(bus)); /* the segment's virtual time */
		uint64_t t0 = lb_bus_now_ns(bus);
		lb_bus_sleep_ns(bus, 5000000000u); /* 5 s of virtual time: returns at once */
		assert_int_equal(lb_bus_now_ns(bus) - t0, 5000000000u);
		lb_platform_close(p);
		struct lb_clock after;
		lb_ctx_get_clock(ctx, &after);
		assert_ptr_equal(after.now_ns, real.now_ns);
		(void)lb_ctx_now_ns(ctx);
	}
	lb_ctx_destroy(ctx);
}

/*
 * drivers/bus/emulator/emulator_bus.c options: "channel", "addr" and "clock_khz" were cast to
 * int / uint16_t / uint32_t before the range check, so 4294967296 passed as channel 0, 65616
 * as address 0x50 and 4294967696 as 400 kHz: a bad platform file silently became another
 * one. Each is refused now (LB_E_RANGE, from the options reader, which checks the JSON
 * integer before any conversion), naming the field.
 */
static void test_emu_bus_options_out_of_range(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"modules\": [{\"addr\": 65616, \"profile\": \"400g-fr4-qsfpdd\"}]}",
		("{\"mux_addr\": 112, \"modules\": [{\"channel\": 4294967296, "
		 "\"profile\": \"400g-fr4-qsfpdd\"}]}"),
		"{\"clock_khz\": 4294967696}",
	};
	static const char *const field[] = { "modules[0].addr: 65616", "modules[0].channel: 4294967296",
					     "clock_khz: 4294967696" };
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR), LB_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct lb_bus *bus = NULL;
		int rc = lb_bus_open(ctx, "emulator", bad[i], NULL, &bus);
		if (rc == LB_OK)
			lb_bus_close(bus);
		assert_int_equal(rc, LB_E_RANGE);
		assert_non_null(strstr(lb_ctx_last_error(ctx), field[i]));
	}
	/* The same in range still opens. */
	struct lb_bus *bus = NULL;
	assert_int_equal(lb_bus_open(ctx, "emulator",
				     "{\"clock_khz\": 400, \"mux_addr\": 112, \"modules\": "
				     "[{\"channel\": 0, \"addr\": 80, \"profile\": \"400g-fr4-qsfpdd\"}]}",
				     NULL, &bus),
			 LB_OK);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
}

/*
 * emulator/cmis/dpsm.c validate() (found by fuzz_bus): ApplyDPInit of a staged set whose data
 * path starts on host lane 5 of a 1-host-lane, 8-media-lane application looked up its media
 * start lane as media_opts >> 32 (UB; on x86 bit 0, so the module accepted a data path whose
 * media lanes do not exist). It is rejected as ConfigRejectedInvalidDataPath now.
 */
static void test_emu_apply_media_start_beyond_bank(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[88] = 0x18;                 /* AppSel 1: 1 host lane, 8 media lanes */
	img.lower[89] = 0x10;                 /* may start on host lane 5 */
	img.page[1][176 - 128] = 0xFF;        /* on any media lane */
	img.has_page[0x10] = true;
	img.page[1][144 - 128] = img.page[1][167 - 128] = img.page[1][168 - 128] = 0x55;
	lb_test_fix_checksums(&img);
	const char *path = TMP("apply_media.txt");
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	remove(path);
	int code = -1;
	assert_int_equal(lb_module_apply_app(r.m, 1u << 4, 1, &code), LB_E_REJECTED);
	assert_int_equal(code, LB_CONFIG_STATUS_REJECTED_INVALID_DATA_PATH);
	lb_test_rig_down(&r);
}

/* The module's saved state with one hex digit of "lower" (or of a page) replaced. */
static char *saved_state_with(struct lb_emu_module *em, const char *field, size_t byte,
			      unsigned nibble, char digit)
{
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(em, &json), LB_OK);
	char *at = strstr(json, field);
	assert_non_null(at);
	at = strchr(at + strlen(field), '"');
	assert_non_null(at);
	at[1 + 2 * byte + nibble] = digit;
	return json;
}

/*
 * emulator/cmis/state.c lb_emu_module_load_state (found by fuzz_state): the module state is
 * both in the state machine ("msm") and in lower byte 3, and the loader took each as given.
 * A state whose byte 3 said 7 while the machine was in ModuleLowPwr loaded, and the host's
 * lb_module_get_state reported state 7 with LB_OK for good (the machine only writes byte 3
 * when it changes state). Such a state is refused (LB_E_PARSE) and the module is untouched.
 */
static void test_emu_state_byte3_mismatch(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	/* byte 3 = 0x03 in ModuleLowPwr: low digit e gives bits 3-1 = 7 */
	char *json = saved_state_with(r.emu, "\"lower\":", 3, 1, 'f');
	int rc = lb_emu_module_load_state(r.emu, json);
	free(json);
	enum lb_module_state st = 0;
	assert_int_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal(st, LB_MODULE_STATE_LOW_PWR);
	assert_int_equal(rc, LB_E_PARSE);
	/* The state as saved still loads. */
	assert_int_equal(lb_emu_module_save_state(r.emu, &json), LB_OK);
	assert_int_equal(lb_emu_module_load_state(r.emu, json), LB_OK);
	free(json);
	lb_test_rig_down(&r);
}

/* json with the number after the first occurrence of key (e.g. "\"t_ns\":") set to value. */
static char *with_number(char *json, const char *key, const char *value)
{
	char *at = strstr(json, key);
	assert_non_null(at);
	at += strlen(key);
	size_t digits = strspn(at, "0123456789");
	size_t head = (size_t)(at - json), len = strlen(json) + strlen(value) + 1;
	char *out = malloc(len);
	assert_non_null(out);
	snprintf(out, len, "%.*s%s%s", (int)head, json, value, at + digits);
	free(json);
	return out;
}

/*
 * emulator/cmis/state.c lb_emu_module_load_state (found by fuzz_state): the module's clock
 * "t_ns" and its timers were taken as given. A module whose clock was ahead of the world's
 * (t_ns 2^62 on a world at a few seconds) never ran again: it answered reads but stayed in
 * ModuleLowPwr after a high-power request, and a SoftwareReset left it NACKing for good, so
 * an lbctl state file with such a module could not be recovered by a reset. A timer further
 * ahead than the module's longest duration (ModulePwrUp ending in 2^62 ns) did the same.
 * Both are refused as state that cannot have been saved (LB_E_PARSE).
 */
static void test_emu_state_clock_ahead(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	char *json = NULL;
	assert_int_equal(lb_emu_module_save_state(r.emu, &json), LB_OK);
	json = with_number(json, "\"t_ns\":", "4611686018427387904");
	int rc = lb_emu_module_load_state(r.emu, json);
	free(json);
	if (rc == LB_OK)
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(rc, LB_E_PARSE);
	assert_int_equal(lb_module_set_low_power(r.m, true), LB_OK);

	/* ModulePwrUp whose end is 2^62 ns away */
	uint8_t v = 0x00; /* LowPwrAllowRequestHW off, LowPwrRequestSW off: power up */
	assert_int_equal(lb_module_write(r.m, 0, 0, 26, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_state(r.emu), LB_MODULE_STATE_PWR_UP);
	assert_int_equal(lb_emu_module_save_state(r.emu, &json), LB_OK);
	json = with_number(json, "\"msm\":{\"state\":2,\"deadline_ns\":", "4611686018427387904");
	rc = lb_emu_module_load_state(r.emu, json);
	free(json);
	if (rc == LB_OK)
		assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(rc, LB_E_PARSE);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	lb_test_rig_down(&r);
}

/*
 * drivers/bus/emulator/emulator_state.c (found by fuzz_state): the saved virtual clock was
 * taken up to INT64_MAX and moved on by the real time since the save, so the world passed
 * INT64_MAX and the next save wrote it as a negative "virtual_ns" (-7.4e18 here), which the
 * next process refused: every emulated module silently started again from power-on. A saved
 * clock beyond 2^62 ns (146 years) is not usable now (the platform starts fresh, as for a
 * negative one), and a save never writes a clock beyond INT64_MAX.
 */
static void test_emu_state_clock_wraps(void **state)
{
	(void)state;
	const char *dir = TMP("state_wraps");
	char path[512];
	snprintf(path, sizeof(path), "%s/emulator-state.json", dir);
	(void)mkdir(dir, 0700);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("{\"version\":1,\"virtual_ns\":9223372036854775807,\"saved_realtime_ns\":0,"
	      "\"buses\":{}}", f);
	assert_int_equal(fclose(f), 0);
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_set_state_dir(ctx, dir), LB_OK);
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	f = fopen(path, "r");
	assert_non_null(f);
	char buf[256] = "";
	size_t got = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[got] = '\0';
	const char *v = strstr(buf, "\"virtual_ns\":");
	assert_non_null(v);
	long long ns = strtoll(v + strlen("\"virtual_ns\":"), NULL, 10);
	char lock[600];
	snprintf(lock, sizeof(lock), "%s.lock", path);
	remove(lock);
	remove(path);
	rmdir(dir);
	assert_true(ns >= 0);
}

/*
 * An image whose byte 3 holds a reserved module state (7 here): the replay keeps the byte as
 * the field module reported it, and the host reports it as it is (LB_OK, code 7, named
 * "reserved") rather than a state the module never claimed. The machine runs from
 * ModuleLowPwr, and its first transition writes byte 3 again.
 */
static void test_emu_image_reserved_state(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[3] = 0x0F;  /* bits 3-1 = 7: reserved */
	img.lower[26] = 0x10; /* LowPwrRequestSW: the machine stays in ModuleLowPwr */
	lb_test_fix_checksums(&img);
	const char *path = TMP("reserved_state.txt");
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	remove(path);
	enum lb_module_state st = 0;
	assert_int_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal((int)st, 7);
	assert_string_equal(lb_module_state_name((int)st), "reserved");
	assert_int_equal(lb_emu_module_state(r.emu), LB_MODULE_STATE_LOW_PWR);
	/* high power: the machine moves, and byte 3 follows it from then on */
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_int_equal(lb_module_get_state(r.m, &st), LB_OK);
	assert_int_equal(st, LB_MODULE_STATE_READY);
	lb_test_rig_down(&r);
}

/*
 * A reserved DP-state code on a lane the data-path machine does not step (found by
 * fuzz_state: a restored page 11h with code 0 on lane 6 of an 8-lane data path): the host
 * read that code with LB_OK for good, as the machine reads and writes a data path through its
 * first lane only, and not at all in ModuleFault. Such a lane takes its data path's state.
 */
static void test_emu_dp_reserved_lane_settled(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	assert_int_equal(lb_module_bring_up(r.m, 0, 0, NULL), LB_OK);
	uint8_t b130 = 0x04; /* lane 5 DPActivated, lane 6 code 0 */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 130, &b130, 1), LB_OK);
	lb_module_invalidate(r.m);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.dp_state[5], LB_DP_STATE_ACTIVATED);
	/* ModuleFault: the machine is stopped; a reserved code is still DPDeactivated */
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_MODULE_FAULT, 1), LB_OK);
	uint8_t b128 = 0x10; /* lane 1 code 0 */
	assert_int_equal(lb_emu_module_poke(r.emu, 0, 0x11, 128, &b128, 1), LB_OK);
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.dp_state[0], LB_DP_STATE_DEACTIVATED);
	lb_test_rig_down(&r);
}

/*
 * Two handles on one module (two lb_module_open on the same bus, route and address) each
 * kept their own idea of the page in force: once the second had selected page 11h, the first
 * read "page 02h" without a select and got page 11h's bytes, with LB_OK. One module, one page
 * cache: the handles share it, kept by the bus per route and address.
 */
static void test_two_handles_one_page_cache(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	struct lb_module *other;
	assert_int_equal(lb_module_open(r.bus, NULL, &other), LB_OK);
	uint8_t got[128], want[128];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x02, 128, want, sizeof(want)), LB_OK);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x02, false, got), LB_OK);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(lb_module_read_page(other, 0, 0x11, false, got), LB_OK);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x02, false, got), LB_OK);
	assert_memory_equal(got, want, sizeof(want));
	/* banks too: bank 1 of the 1.6T module selected by one handle, bank 0 read by the other */
	lb_module_close(other);
	lb_test_rig_down(&r);
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "1600g-2xdr8-osfpxd", 400, false);
	assert_int_equal(lb_module_open(r.bus, NULL, &other), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 128, want, sizeof(want)), LB_OK);
	uint8_t b1 = 0x5A;
	assert_int_equal(lb_module_write(r.m, 1, 0x10, 145, &b1, 1), LB_OK);
	assert_int_equal(lb_module_read_page(other, 0, 0x10, false, got), LB_OK);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(lb_module_read_page(r.m, 1, 0x10, false, got), LB_OK);
	assert_int_equal(got[145 - 128], 0x5A);
	lb_module_close(other);
	lb_test_rig_down(&r);
}

/* Pull ResetL behind the host's back and let the module come out of management init. */
static void reset_unseen(struct lb_test_rig *r)
{
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r->emu, &t);
	lb_emu_module_set_resetl(r->emu, 1);
	lb_emu_segment_advance_ns(r->seg, 1000000);
	lb_emu_module_set_resetl(r->emu, 0);
	lb_emu_segment_advance_ns(r->seg, t.reset_ns + 10000000);
}

/*
 * A module reset, power-cycled or swapped while the host was not looking (no presence pin
 * told it) comes back on page 00h; the access layer kept its cached PageSelect and read page
 * 00h's bytes as page 11h or 02h, and wrote page 10h's bytes into page 00h, with LB_OK. The
 * first access of a call that relies on the cached page reads PageSelect back (in the same
 * transaction where the driver combines messages): a module that shows another page has
 * changed, everything cached of it is dropped and the call returns LB_E_CHANGED; the next
 * call reads it afresh.
 */
static void test_module_changed_behind_the_hosts_back(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	uint8_t got[128], want[128];
	assert_int_equal(lb_module_read_page(r.m, 0, 0x11, false, got), LB_OK);
	reset_unseen(&r);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x11, 128, want, sizeof(want)), LB_OK);
	int rc = lb_module_read_page(r.m, 0, 0x11, false, got);
	assert_true(rc != LB_OK || memcmp(got, want, sizeof(want)) == 0);
	assert_int_equal(rc, LB_E_CHANGED);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x11, false, got), LB_OK);
	assert_memory_equal(got, want, sizeof(want));

	/* a write relying on the cached page: never into another page */
	assert_int_equal(lb_module_read_page(r.m, 0, 0x10, false, got), LB_OK);
	reset_unseen(&r);
	uint8_t v = 0x5A, now = 0;
	rc = lb_module_write(r.m, 0, 0x10, 145, &v, 1);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 145, &now, 1), LB_OK);
	assert_true(rc != LB_OK || now == v);
	assert_int_equal(rc, LB_E_CHANGED);
	assert_int_not_equal(now, v);
	assert_int_equal(lb_module_write(r.m, 0, 0x10, 145, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x10, 145, &now, 1), LB_OK);
	assert_int_equal(now, v);

	/* another module of the same kind swapped in: its thresholds, not page 00h's bytes */
	struct lb_module_thresholds before = LB_MODULE_THRESHOLDS_INIT, after = before;
	assert_int_equal(lb_module_get_thresholds(r.m, &before), LB_OK);
	char err[256] = "", path[1024];
	snprintf(path, sizeof(path), "%s/emulator/profiles/coherent-800g-qsfpdd.json", LB_SOURCE_DIR);
	struct lb_emu_module *other;
	assert_int_equal(lb_emu_module_create(r.world, path, &other, err, sizeof(err)), LB_OK);
	lb_emu_module_remove(r.emu);
	assert_int_equal(lb_emu_segment_detach(r.emu), LB_OK);
	assert_int_equal(lb_emu_segment_attach(r.seg, -1, 0x50, other), LB_OK);
	r.emu = other;
	lb_emu_segment_advance_ns(r.seg, 2000000000);
	rc = lb_module_get_thresholds(r.m, &after);
	assert_true(rc != LB_OK || memcmp(&after, &before, sizeof(after)) == 0);
	assert_int_equal(rc, LB_E_CHANGED);
	assert_int_equal(lb_module_get_thresholds(r.m, &after), LB_OK);
	assert_memory_equal(&after, &before, sizeof(after));
	lb_test_rig_down(&r);
}

/* ApplyDPInit of AppSel appsel on lanes 1..n (DataPathID 0), written behind the library's back. */
static void raw_apply(struct lb_test_rig *r, uint8_t appsel, unsigned n)
{
	uint8_t cfg[8];
	for (unsigned l = 0; l < n; l++)
		cfg[l] = (uint8_t)(appsel << 4);
	assert_int_equal(lb_module_write(r->m, 0, 0x10, 145, cfg, n), LB_OK);
	uint8_t lanes = (uint8_t)((1u << n) - 1u);
	assert_int_equal(lb_module_write(r->m, 0, 0x10, 143, &lanes, 1), LB_OK);
}

/*
 * An apply whose ConfigStatus poll failed (one NACK) leaves ConfigInProgress behind it; the
 * module ignores every ApplyDPInit on those lanes until it ends. The caller's next apply, of
 * another AppSel, staged its set, wrote ApplyDPInit (ignored), polled, found the earlier
 * apply's ConfigSuccess and returned LB_OK for an AppSel that was not in force. A
 * configuration in progress on the lanes is waited out first; after ConfigSuccess the active
 * control set (11h:206-213) is checked against what was asked.
 */
static void test_apply_waits_out_config_in_progress(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	/* in low power every data path is deactivated: AppSel 2 (400G, 4 lanes) in progress */
	raw_apply(&r, 2, 4);
	int code = -1;
	int rc = lb_module_apply_app(r.m, 0x3, 4, &code); /* AppSel 4: 200G on lanes 1-2 */
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_true(rc != LB_OK || (ls.active_appsel[0] == 4 && ls.active_appsel[1] == 4));
	assert_int_equal(rc, LB_OK);
	assert_int_equal(ls.active_appsel[0], 4);
	assert_int_equal(ls.active_appsel[1], 4);
	assert_int_equal(ls.active_dpid[1], 0);
	/* the caller's retry of the very apply that is in progress: it is in force, LB_OK */
	raw_apply(&r, 1, 8);
	assert_int_equal(lb_module_apply_app(r.m, 0xFF, 1, &code), LB_OK);
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(ls.active_appsel[i], 1);
	lb_test_rig_down(&r);
}

/* On the first sleep after ConfigSuccess shows, put another AppSel into lane 1's active set. */
static void overwrite_acs(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	uint8_t cs = 0, other = 0x10;
	if (r->poke_state || lb_emu_module_peek(r->emu, 0, 0x11, 202, &cs, 1) != LB_OK ||
	    (cs & 0x0F) != LB_CONFIG_STATUS_SUCCESS)
		return;
	r->poke_state = 1;
	lb_emu_module_poke(r->emu, 0, 0x11, 206, &other, 1);
}

/* ConfigSuccess with an active set that is not the one asked for is no success. */
static void test_apply_checks_active_set(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	r.hook = overwrite_acs;
	int code = -1;
	assert_int_equal(lb_module_apply_app(r.m, 0x3, 4, &code), LB_E_STATE);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "active control set"));
	lb_test_rig_down(&r);
}

/* The next read of (page, addr) on the wire arrives with a bit flipped. */
static void corrupt_next(struct lb_test_rig *r, uint8_t page, uint8_t addr)
{
	r->flaky.corrupt_page = page;
	r->flaky.corrupt_addr = addr;
	r->flaky.corrupt_left = 1;
}

/*
 * A byte corrupted on the wire, where the module's page checksums should catch it, came back
 * with LB_OK: the advertisement read when a module is first seen (page 01h: durations, banks,
 * monitor support and Tx bias multiplier, read limits), the applications' page 01h part,
 * thresholds (page 02h), and the vendor block page 00h an extension is matched on (a wrong
 * part number left the module without its extension until it was invalidated). Each is now
 * read whole with its checksum: a mismatch is read again, and a second read that passes, or
 * that repeats the first byte for byte (the module's own checksum is wrong), is taken; two
 * reads that differ are LB_E_CHECKSUM.
 */
static void test_corrupted_byte_caught_by_checksums(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "coherent-800g-qsfpdd", 400, false);
	struct lb_module_durations d0 = LB_MODULE_DURATIONS_INIT, d = d0;
	struct lb_module_thresholds t0 = LB_MODULE_THRESHOLDS_INIT, t = t0;
	struct lb_app_list a0, a;
	assert_int_equal(lb_module_get_durations(r.m, &d0), LB_OK);
	assert_int_equal(lb_module_get_thresholds(r.m, &t0), LB_OK);
	assert_int_equal(lb_module_get_apps(r.m, &a0), LB_OK);
	size_t n0 = 0, n = 0;
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, &n0), LB_OK);
	assert_int_equal(n0, 9); /* six applications' modes, three of the extension */

	/* thresholds: page 02h, temperature high alarm */
	corrupt_next(&r, 0x02, 128);
	int rc = lb_module_get_thresholds(r.m, &t);
	assert_true(rc != LB_OK || memcmp(&t, &t0, sizeof(t)) == 0);
	assert_int_equal(r.flaky.corrupt_left, 0);

	/* durations: the advertisement's 01h:144 (MaxDurationDPInit) */
	lb_module_invalidate(r.m);
	corrupt_next(&r, 0x01, 144);
	rc = lb_module_get_durations(r.m, &d);
	assert_true(rc != LB_OK || memcmp(&d, &d0, sizeof(d)) == 0);
	assert_int_equal(r.flaky.corrupt_left, 0);

	/* applications: 01h:176, the media lane options of AppSel 1 */
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	corrupt_next(&r, 0x01, 176);
	rc = lb_module_get_apps(r.m, &a);
	assert_true(rc != LB_OK || memcmp(&a, &a0, sizeof(a)) == 0);

	/* the extension's match: part number 00h:150 */
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_get_durations(r.m, &d), LB_OK);
	corrupt_next(&r, 0x00, 150);
	rc = lb_module_list_line_modes(r.m, NULL, 0, &n);
	assert_true(rc != LB_OK || n == n0);
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, &n), LB_OK);
	assert_int_equal(n, n0);

	/* the same through an identity read: LB_E_CHECKSUM, and no extension matched on it */
	lb_module_invalidate(r.m);
	corrupt_next(&r, 0x00, 150);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(r.m, &id), LB_E_CHECKSUM);
	assert_int_equal(lb_module_list_line_modes(r.m, NULL, 0, &n), LB_OK);
	assert_int_equal(n, n0);
	lb_test_rig_down(&r);
}

/*
 * An image whose BankSelect holds a bank the module lacks (found by fuzz_image: the bytes its
 * capturing host had selected, or garbage): the host of a single-bank module writes
 * PageSelect alone, the stale BankSelect made that page unsupported, the module fell back to
 * page 00h, and the host decoded page 00h as page 11h with LB_OK. The module powers up with
 * both select registers 0, as it maps.
 */
static void test_emu_image_stale_bank_select(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[126] = 0x69;
	img.lower[127] = 0x6f;
	memset(img.page[0x11], 0x33, 4); /* DPDeinit on every lane: not what page 00h holds */
	const char *path = TMP("stale_bank.txt");
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	remove(path);
	uint8_t b = 0;
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, &b, 1), LB_OK);
	assert_int_equal(b, 0x33);
	uint8_t sel[2] = { 0xFF, 0xFF };
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0, 126, sel, 2), LB_OK);
	assert_int_equal(sel[0], 0); /* BankSelect: 0 since power-on (the host did not write it) */
	lb_test_rig_down(&r);
}

/*
 * The advertisement names VDM pages (01h:142.6: 20h-2Fh) and C-CMIS pages (142.4: 30h-4Fh) as
 * ranges, and a module has only some of them (VDM by its group count, 2Fh:128; C-CMIS as
 * it implements them); a vendor page B0h-FFh is the module's own business. Selecting one it
 * does not have leaves page 00h in force (CMIS 5.4 8.2.15): the library read page 00h's
 * bytes as that page, with LB_OK, and the next call saw PageSelect 00h and took the module
 * for reset (a false LB_E_CHANGED). A select of such a page is read back: LB_E_NOTSUP.
 */
static void test_page_the_module_does_not_have(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "800g-dr8-osfp", 400, false);
	uint8_t got[128], p00[128];
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0x00, 128, p00, sizeof(p00)), LB_OK);
	static const uint8_t absent[] = { 0x21, 0x2B, 0xB1 }; /* VDM group 2, 4; vendor */
	for (size_t i = 0; i < sizeof(absent); i++) {
		assert_int_equal(lb_module_page_supported(r.m, 0, absent[i]), 1); /* as advertised */
		int rc = lb_module_read_page(r.m, 0, absent[i], false, got);
		assert_true(rc != LB_OK || memcmp(got, p00, sizeof(got)) != 0);
		assert_int_equal(rc, LB_E_NOTSUP);
		assert_int_equal(lb_module_read_page(r.m, 0, 0x11, false, got), LB_OK);
	}
	/* pages it has: VDM group 1, 2Fh */
	assert_int_equal(lb_module_read_page(r.m, 0, 0x20, false, got), LB_OK);
	assert_int_equal(lb_module_read_page(r.m, 0, 0x2F, false, got), LB_OK);
	lb_test_rig_down(&r);
}

/*
 * emulator/cmis/state.c lb_emu_module_load_state (found by fuzz_state_file): BankSelect in a
 * restored lower memory was taken as given. 0x40 on a single-bank module, whose host writes
 * PageSelect alone, made the next page select map nothing, and the host decoded page 00h as
 * page 11h with LB_OK (DP state 8 on lane 1). A saved module's select registers are what it
 * maps (and BankSelect a bank it has): anything else is refused (LB_E_PARSE).
 */
static void test_emu_state_stale_bank_select(void **state)
{
	(void)state;
	struct lb_test_rig r;
	lb_test_rig_profile(&r, LB_SOURCE_DIR, "400g-fr4-qsfpdd", 400, false);
	uint8_t b = 0;
	assert_int_equal(lb_module_read(r.m, 0, 0x11, 128, &b, 1), LB_OK); /* maps 11h */
	char *json = saved_state_with(r.emu, "\"lower\":", 126, 0, '4'); /* BankSelect 0x40 */
	assert_int_equal(lb_emu_module_load_state(r.emu, json), LB_E_PARSE);
	free(json);
	json = saved_state_with(r.emu, "\"lower\":", 127, 0, '0'); /* PageSelect 01h, 11h mapped */
	assert_int_equal(lb_emu_module_load_state(r.emu, json), LB_E_PARSE);
	free(json);
	assert_int_equal(lb_emu_module_save_state(r.emu, &json), LB_OK);
	assert_int_equal(lb_emu_module_load_state(r.emu, json), LB_OK); /* as saved: loads */
	free(json);
	lb_test_rig_down(&r);
}

/*
 * emulator/cmis/memory.c (found by fuzz_image): 01h:142 bits 1-0 = 11b took one bank, while
 * the host counts 01h:174 + 1 banks (CMIS 5.4). The host read page 11h of banks the module did
 * not have, the module fell back to page 00h, and lane status showed its bytes as DP states
 * with LB_OK. The emulator counts the banks as the host does (at most EMU_MAX_BANKS).
 */
static void test_emu_image_banks_from_174(void **state)
{
	(void)state;
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.lower[1] = 0x54;           /* 174.4-0 counts the banks from CMIS 5.4 */
	img.page[1][142 - 128] = 0x03;
	img.page[1][174 - 128] = 0x01; /* two banks */
	memset(img.page[0x11], 0x11, 4);
	lb_test_fix_checksums(&img);
	const char *path = TMP("banks174.txt");
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct lb_test_rig r;
	lb_test_rig_image(&r, path, 400, false);
	remove(path);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	assert_int_equal(lb_module_get_lane_status(r.m, &ls), LB_OK);
	assert_int_equal(ls.lanes, 16);
	for (unsigned l = 0; l < 16; l++)
		assert_int_equal(ls.dp_state[l], LB_DP_STATE_DEACTIVATED);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_emu_image_banks_from_174),
		cmocka_unit_test(test_emu_state_stale_bank_select),
		cmocka_unit_test(test_emu_image_stale_bank_select),
		cmocka_unit_test(test_emu_dp_reserved_lane_settled),
		cmocka_unit_test(test_page_the_module_does_not_have),
		cmocka_unit_test(test_corrupted_byte_caught_by_checksums),
		cmocka_unit_test(test_apply_waits_out_config_in_progress),
		cmocka_unit_test(test_apply_checks_active_set),
		cmocka_unit_test(test_module_changed_behind_the_hosts_back),
		cmocka_unit_test(test_two_handles_one_page_cache),
		cmocka_unit_test(test_emu_image_reserved_state),
		cmocka_unit_test(test_emu_state_clock_wraps),
		cmocka_unit_test(test_emu_state_clock_ahead),
		cmocka_unit_test(test_emu_state_byte3_mismatch),
		cmocka_unit_test(test_emu_apply_media_start_beyond_bank),
		cmocka_unit_test(test_emu_bus_options_out_of_range),
		cmocka_unit_test(test_ctx_clock_after_platform_close),
		cmocka_unit_test(test_bringup_media_lanes_beyond_bank),
		cmocka_unit_test(test_bus_lock_file_kept_on_bad_path),
		cmocka_unit_test(test_emu_dp_media_lanes_beyond_bank),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
