/* SPDX-License-Identifier: MIT */
/*
 * Firmware upgrade over CDB (lightbridge/firmware.h) against the emulated modules: EPL and LPL,
 * run and commit, and every way it can go wrong leaving the module on a bootable image: a
 * corrupt image, a cancel, a reset in the middle, a command stuck past its bound; the claim that
 * keeps a poller out; what fw info says afterwards.
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
#include "emu_rig.h"

#define MS 1000000ull

static void up(struct lb_test_rig *r, const char *profile)
{
	lb_test_rig_profile(r, LB_SOURCE_DIR, profile, 1000, true);
}

static uint8_t *image(uint8_t major, uint8_t minor, size_t body, size_t *len)
{
	uint8_t *img;
	assert_int_equal(lb_emu_firmware_image(major, minor, 7, body, 42, &img, len), LB_OK);
	return img;
}

static void info(struct lb_test_rig *r, struct lb_fw_info *i)
{
	*i = (struct lb_fw_info)LB_SIZED_INIT(struct lb_fw_info);
	assert_int_equal(lb_module_fw_info(r->m, i), LB_OK);
}

static void test_features(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_fw_features f = LB_SIZED_INIT(struct lb_fw_features);
	assert_int_equal(lb_module_fw_features(r.m, &f), LB_OK);
	assert_true(f.abort_supported);
	assert_true(f.write_lpl);
	assert_true(f.write_epl);
	assert_int_equal(f.header_size, 16);
	assert_int_equal(f.lpl_block, 116);
	assert_int_equal(f.epl_block, 512); /* 4 EPL pages */
	assert_true(f.write_ms > 0 && f.complete_ms > 0);
	lb_test_rig_down(&r);
}

static void test_info_fresh_module(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	assert_true(i.image[LB_FW_IMAGE_B].valid);
	assert_true(i.image[LB_FW_IMAGE_FACTORY].version_known);
	assert_string_equal(i.image[LB_FW_IMAGE_A].extra, "lightbridge-emu");
	assert_int_equal(i.state, LB_FW_STATE_OK);
	lb_test_rig_down(&r);
}

struct seen {
	unsigned calls;
	double last;
	char phases[128];
};

static void on_progress(void *user, const char *step, double fraction)
{
	struct seen *s = user;
	if (fraction + 1e-9 < s->last)
		fail_msg("progress went back: %f after %f", fraction, s->last);
	s->last = fraction;
	s->calls++;
	size_t n = strlen(s->phases);
	if (n < sizeof(s->phases) - 16 && (!n || !strstr(s->phases, step)))
		snprintf(s->phases + n, sizeof(s->phases) - n, "%s%s", n ? "," : "", step);
}

static void upgrade(struct lb_test_rig *r, const uint8_t *img, size_t len, enum lb_fw_method how,
		    bool run, bool commit, struct lb_fw_progress *p, struct seen *seen)
{
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	c.method = how;
	c.run = run;
	c.commit = commit;
	struct lb_op op = LB_OP_INIT;
	op.progress = on_progress;
	op.user = seen;
	struct lb_fw_upgrade *up;
	assert_int_equal(lb_fw_upgrade_start(r->m, &c, &op, &up), LB_OK);
	int rc = lb_fw_upgrade_run(up);
	if (rc)
		fail_msg("upgrade: %s: %s", lb_strerror(rc), lb_module_last_error(r->m));
	*p = (struct lb_fw_progress)LB_SIZED_INIT(struct lb_fw_progress);
	assert_int_equal(lb_fw_upgrade_get_progress(up, p), LB_OK);
	lb_fw_upgrade_free(up);
}

/* EPL, run, commit: the module comes back on image B with the new version, committed. */
static void test_upgrade_epl_run_commit(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	size_t len;
	uint8_t *img = image(3, 4, 64 * 1024 + 100, &len);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, true, true, &p, &seen);
	assert_int_equal(p.phase, LB_FW_PHASE_DONE);
	assert_int_equal(p.method, LB_FW_METHOD_EPL);
	assert_int_equal(p.target, LB_FW_IMAGE_B);
	assert_int_equal(p.bytes_done, 64 * 1024 + 100);
	assert_int_equal(p.blocks_total, 129); /* 512 bytes a block */
	assert_int_equal(p.blocks_done, 129);
	assert_string_equal(seen.phases, "start,write,complete,run,commit,done");
	assert_true(seen.last == 1.0);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running);
	assert_true(i.image[LB_FW_IMAGE_B].committed);
	assert_int_equal(i.image[LB_FW_IMAGE_B].major, 3);
	assert_int_equal(i.image[LB_FW_IMAGE_B].minor, 4);
	assert_int_equal(i.image[LB_FW_IMAGE_B].build, 7);
	assert_int_equal(i.state, LB_FW_STATE_OK);
	uint8_t ver[2];
	assert_int_equal(lb_module_read(r.m, 0, 0, 39, ver, 2), LB_OK);
	assert_int_equal(ver[0], 3);
	assert_int_equal(ver[1], 4);
	/* a reset boots the committed image: still B */
	lb_emu_module_set_resetl(r.emu, 1);
	lb_emu_module_set_resetl(r.emu, 0);
	lb_bus_sleep_ns(r.bus, 3000 * MS);
	lb_module_invalidate(r.m);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running);
	free(img);
	lb_test_rig_down(&r);
}

/* LPL on a foreground module with 8-byte writes; not run: the new image waits in B. */
static void test_upgrade_lpl_foreground(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "400g-fr4-qsfpdd");
	size_t len;
	uint8_t *img = image(2, 0, 3000, &len);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	lb_bus_reset_stats(r.bus);
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, false, false, &p, &seen);
	assert_int_equal(p.method, LB_FW_METHOD_LPL);
	assert_int_equal(p.blocks_total, 26); /* 116 bytes a block */
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.errors, 0);
	assert_true(s.busy_nacks > 0);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_B].valid);
	assert_int_equal(i.image[LB_FW_IMAGE_B].major, 2);
	/* then Run and Commit alone */
	assert_int_equal(lb_module_fw_commit(r.m), LB_OK); /* commits A, which runs: harmless */
	assert_int_equal(lb_module_fw_run(r.m, 0), LB_OK);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running);
	assert_false(i.image[LB_FW_IMAGE_B].committed);
	assert_int_equal(i.state, LB_FW_STATE_NOT_COMMITTED);
	assert_non_null(strstr(lb_fw_state_advice(i.state), "commit it"));
	assert_int_equal(lb_module_fw_commit(r.m), LB_OK);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].committed);
	free(img);
	lb_test_rig_down(&r);
}

/* Run without commit, then a reset: the module boots the committed (old) image. */
static void test_run_without_commit_then_reset(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	size_t len;
	uint8_t *img = image(5, 0, 4096, &len);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, true, false, &p, &seen);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running);
	assert_int_equal(i.state, LB_FW_STATE_NOT_COMMITTED);
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	lb_module_invalidate(r.m);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	free(img);
	lb_test_rig_down(&r);
}

static char last_error[512];

/* An upgrade that may fail: its status, progress and detail (read before the free, whose
 * release of the claim is a call of its own). */
static int upgrade_rc(struct lb_test_rig *r, const uint8_t *img, size_t len, const int *cancel,
		      struct lb_fw_progress *p)
{
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	c.run = true;
	c.commit = true;
	struct lb_op op = LB_OP_INIT;
	op.cancel = cancel;
	struct lb_fw_upgrade *up;
	assert_int_equal(lb_fw_upgrade_start(r->m, &c, &op, &up), LB_OK);
	int rc = lb_fw_upgrade_run(up);
	snprintf(last_error, sizeof(last_error), "%s", lb_module_last_error(r->m));
	*p = (struct lb_fw_progress)LB_SIZED_INIT(struct lb_fw_progress);
	lb_fw_upgrade_get_progress(up, p);
	lb_fw_upgrade_free(up);
	return rc;
}

/* A corrupt image fails at Complete (62h), is aborted, and A still runs. */
static void test_corrupt_image_never_runs(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	size_t len;
	uint8_t *img = image(9, 9, 8192, &len);
	img[16 + 5000] ^= 0x01;
	struct lb_fw_progress p;
	assert_int_equal(upgrade_rc(&r, img, len, NULL, &p), LB_E_CDB);
	assert_int_equal(p.phase, LB_FW_PHASE_ABORT);
	const char *e = last_error;
	assert_non_null(strstr(e, "firmware upgrade of image B: complete"));
	assert_non_null(strstr(e, "invalid firmware load checksum"));
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	assert_false(i.image[LB_FW_IMAGE_B].valid);
	assert_int_equal(i.state, LB_FW_STATE_INACTIVE_INVALID);
	free(img);
	lb_test_rig_down(&r);
}

/* Cancel while writing (from the progress callback, as a UI would): aborted, the old image
 * runs, the claim is released. */
static int cancel_flag;

static void cancel_at_30(void *user, const char *step, double fraction)
{
	(void)user;
	(void)step;
	if (fraction > 0.30)
		__atomic_store_n(&cancel_flag, 1, __ATOMIC_RELEASE);
}

static void test_cancel_aborts(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	size_t len;
	uint8_t *img = image(4, 1, 32768, &len);
	cancel_flag = 0;
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	struct lb_op op = LB_OP_INIT;
	op.cancel = &cancel_flag;
	op.progress = cancel_at_30;
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, &op, &u), LB_OK);
	assert_int_equal(lb_fw_upgrade_run(u), LB_E_CANCELED);
	assert_non_null(strstr(lb_module_last_error(r.m), "download aborted"));
	struct lb_fw_progress p = LB_SIZED_INIT(struct lb_fw_progress);
	assert_int_equal(lb_fw_upgrade_get_progress(u, &p), LB_OK);
	assert_true(p.blocks_done > 0 && p.blocks_done < p.blocks_total);
	lb_fw_upgrade_free(u);
	assert_int_equal(lb_module_claimed(r.m, NULL, 0), LB_CLAIM_NONE);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_int_equal(i.state, LB_FW_STATE_INACTIVE_INVALID);
	free(img);
	lb_test_rig_down(&r);
}

/*
 * A reset at every point of an upgrade (every few sleeps of the library, from the first query
 * to the commit): the upgrade ends with an error or succeeds, never hangs; afterwards the module
 * runs a valid image, fw info tells the truth, and the next upgrade succeeds.
 */
static unsigned reset_after;
static void reset_hook(struct lb_test_rig *r, uint64_t ns)
{
	(void)ns;
	if (reset_after && --reset_after == 0) {
		lb_emu_module_set_resetl(r->emu, 1);
		lb_emu_module_set_resetl(r->emu, 0);
	}
}

static void test_reset_anywhere(void **unused)
{
	(void)unused;
	unsigned interrupted = 0;
	for (unsigned at = 2;; at += 13) {
		struct lb_test_rig r;
		up(&r, "coherent-800g-qsfpdd");
		size_t len;
		uint8_t *img = image(4, 2, 16384, &len);
		reset_after = at;
		r.hook = reset_hook;
		struct lb_fw_progress p;
		int rc = upgrade_rc(&r, img, len, NULL, &p);
		r.hook = NULL;
		bool struck = reset_after == 0;
		reset_after = 0;
		lb_bus_sleep_ns(r.bus, 3000 * MS);
		lb_module_invalidate(r.m);
		struct lb_fw_info i;
		info(&r, &i);
		int running = i.image[0].running ? 0 : i.image[1].running ? 1 : 2;
		assert_true(i.image[running].valid || running == 2);
		if (!struck) {
			assert_int_equal(rc, LB_OK); /* the reset point lay past the end: done */
			free(img);
			lb_test_rig_down(&r);
			break;
		}
		interrupted++;
		if (rc == LB_OK) {
			/* struck after the commit was read back, or while Run's reset was expected */
			assert_true(i.image[LB_FW_IMAGE_B].committed || i.image[LB_FW_IMAGE_A].committed);
		} else {
			assert_int_equal(p.phase, LB_FW_PHASE_ABORT);
			assert_true(last_error[0] != 0);
			if (i.state != LB_FW_STATE_OK)
				assert_non_null(lb_fw_state_advice(i.state));
		}
		/* and the next upgrade succeeds */
		struct seen seen = { 0 };
		upgrade(&r, img, len, LB_FW_METHOD_AUTO, true, true, &p, &seen);
		info(&r, &i);
		assert_true(i.image[LB_FW_IMAGE_B].running || i.image[LB_FW_IMAGE_A].running);
		assert_int_equal(i.state, LB_FW_STATE_OK);
		free(img);
		lb_test_rig_down(&r);
		assert_true(at < 4000); /* bounded */
	}
	assert_true(interrupted > 10);
}

/* A command that never completes: bounded by the advertised duration, then aborted. */
static void test_stuck_command_is_bounded(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	size_t len;
	uint8_t *img = image(4, 3, 4096, &len);
	struct lb_fw_features f = LB_SIZED_INIT(struct lb_fw_features);
	assert_int_equal(lb_module_fw_features(r.m, &f), LB_OK);
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_CDB_STUCK, 1), LB_OK);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	struct lb_fw_progress p;
	/* the stuck command is the first of the upgrade (0041h): nothing was downloaded */
	assert_int_equal(upgrade_rc(&r, img, len, NULL, &p), LB_E_TIMEOUT);
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took < 200 * MS);
	assert_non_null(strstr(last_error, "CdbStatus 83h"));
	free(img);
	lb_test_rig_down(&r);
}

/* While an upgrade holds the claim, another handle's calls are refused, never interleaved. */
static void test_claim_keeps_a_poller_out(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_module *other;
	assert_int_equal(lb_module_open(r.bus, NULL, &other), LB_OK);
	size_t len;
	uint8_t *img = image(6, 0, 4096, &len);
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_OK);
	unsigned refused = 0, steps = 0;
	for (;;) {
		uint64_t wake;
		int rc = lb_fw_upgrade_step(u, &wake);
		steps++;
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		if (lb_module_get_monitors(other, &mon) == LB_E_BUSY) {
			refused++;
			assert_non_null(strstr(lb_module_last_error(other), "firmware update in progress"));
		}
		if (rc != LB_E_AGAIN) {
			assert_int_equal(rc, LB_OK);
			break;
		}
		uint64_t now = lb_bus_now_ns(r.bus);
		if (wake > now)
			lb_bus_sleep_ns(r.bus, wake - now);
	}
	assert_int_equal(refused, steps);
	lb_fw_upgrade_free(u);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(other, &mon), LB_OK);
	lb_module_close(other);
	free(img);
	lb_test_rig_down(&r);
}

static void test_bad_configs(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_E_INVAL);
	uint8_t tiny[8] = { 0 };
	c.image = tiny;
	c.len = sizeof(tiny);
	c.commit = true;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_E_INVAL);
	assert_non_null(strstr(lb_module_last_error(r.m), "never committed"));
	c.commit = false;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_OK);
	assert_int_equal(lb_fw_upgrade_run(u), LB_E_INVAL); /* shorter than the 16-byte header */
	lb_fw_upgrade_free(u);
	/* an image the module does not take: bad header, refused at Start */
	size_t len;
	uint8_t *img = image(1, 1, 1000, &len);
	img[0] = 'X';
	c.image = img;
	c.len = len;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_OK);
	assert_int_equal(lb_fw_upgrade_run(u), LB_E_CDB);
	assert_non_null(strstr(lb_module_last_error(r.m), "invalid firmware load format"));
	lb_fw_upgrade_free(u);
	free(img);
	lb_test_rig_down(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_info_fresh_module),
		cmocka_unit_test(test_upgrade_epl_run_commit),
		cmocka_unit_test(test_upgrade_lpl_foreground),
		cmocka_unit_test(test_run_without_commit_then_reset),
		cmocka_unit_test(test_corrupt_image_never_runs),
		cmocka_unit_test(test_cancel_aborts),
		cmocka_unit_test(test_reset_anywhere),
		cmocka_unit_test(test_stuck_command_is_bounded),
		cmocka_unit_test(test_claim_keeps_a_poller_out),
		cmocka_unit_test(test_bad_configs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
