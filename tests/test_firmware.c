/* SPDX-License-Identifier: MIT */
/*
 * Firmware upgrade over CDB (lightbridge/firmware.h) against the emulated modules: EPL and LPL,
 * run and commit, and every way it can go wrong leaving the module on a bootable image: a
 * corrupt image, a cancel, a reset in the middle, a command stuck past its bound; the claim that
 * keeps a poller out; what fw info says afterwards. Then the rest of the engine: a module
 * that wants a password, read-back and copy where advertised, a command slower than its
 * advertised time (background and foreground), a bad reply check code, and a reset or power
 * loss at every block boundary and inside every command, walked in virtual time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <sched.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "emu_rig.h"
#include "hal/cdb/fw_pace.h"

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

/* Start an upgrade of img (Run and Commit after it when run_commit), asserting it starts. */
static struct lb_fw_upgrade *start(struct lb_test_rig *r, const uint8_t *img, size_t len,
				   bool run_commit)
{
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	c.run = c.commit = run_commit;
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r->m, &c, NULL, &u), LB_OK);
	return u;
}

/* Let virtual time run to wake, where a step asked to be called again. */
static void sleep_to(struct lb_test_rig *r, uint64_t wake)
{
	uint64_t now = lb_bus_now_ns(r->bus);
	if (wake > now)
		lb_bus_sleep_ns(r->bus, wake - now);
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

/* Run's modes: restart the running image (2) keeps it; hitless and configuration-keeping modes
 * are the module's to refuse, with its code; a mode above 5 is refused before anything is sent. */
static void test_run_modes(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "coherent-800g-qsfpdd");
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_int_equal(lb_module_fw_run_mode(r.m, LB_FW_RUN_RESET_RUNNING, 0), LB_OK);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_A].committed);
	assert_int_equal(lb_module_fw_run_mode(r.m, LB_FW_RUN_HITLESS_INACTIVE, 0), LB_E_CDB);
	assert_non_null(strstr(lb_module_last_error(r.m), "hitless activation not available"));
	assert_int_equal(lb_module_fw_run_mode(r.m, LB_FW_RUN_PRESERVE_RUNNING, 0), LB_E_CDB);
	assert_non_null(strstr(lb_module_last_error(r.m), "configuration preserved not available"));
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_fw_run_mode(r.m, (enum lb_fw_run_mode)6, 0), LB_E_INVAL);
	assert_int_equal(lb_test_rig_stats(&r).transactions, 0);
	/* an upgrade asked to run a mode that restarts the old image is refused */
	size_t len;
	uint8_t *img = image(5, 5, 1024, &len);
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	c.run = true;
	c.run_mode = LB_FW_RUN_RESET_RUNNING;
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_E_INVAL);
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
	struct lb_fw_upgrade *u = start(&r, img, len, false);
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
		sleep_to(&r, wake);
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

/* ---- a module that wants a password ---- */

/* 800g-dr8-osfp with a password (0x00001011), as a profile file of the test's own. */
static void up_with_password(struct lb_test_rig *r, char *path, size_t len)
{
	lb_test_profile_variant(LB_SOURCE_DIR, "800g-dr8-osfp", "\"auto_paging\": true,",
				"\"password\": \"0x00001011\", ", path, len);
	lb_test_rig_profile_file(r, path, 1000, true);
}

static void test_password_required(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	char path[64];
	up_with_password(&r, path, sizeof(path));
	size_t len;
	uint8_t *img = image(7, 1, 6000, &len);
	struct lb_fw_info i = LB_SIZED_INIT(struct lb_fw_info);
	/* nothing but Query status before the password */
	assert_int_equal(lb_module_fw_info(r.m, &i), LB_E_PERM);
	assert_non_null(strstr(lb_module_last_error(r.m), "wants a password"));
	struct lb_fw_progress p;
	assert_int_equal(upgrade_rc(&r, img, len, NULL, &p), LB_E_PERM);
	assert_int_equal(p.bytes_done, 0);
	struct lb_cdb_query q = LB_SIZED_INIT(struct lb_cdb_query);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	assert_int_equal(q.password_status, 0x00);
	/* a wrong one is refused */
	assert_int_equal(lb_module_cdb_password(r.m, 0x1234), LB_E_PERM);
	assert_non_null(strstr(lb_module_last_error(r.m), "does not take that password"));
	/* with the password in the config the upgrade enters it and goes through */
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = img;
	c.len = len;
	c.use_password = true;
	c.password = 0x00001011;
	struct lb_fw_upgrade *u;
	assert_int_equal(lb_fw_upgrade_start(r.m, &c, NULL, &u), LB_OK);
	int rc = lb_fw_upgrade_run(u);
	if (rc)
		fail_msg("%s: %s", lb_strerror(rc), lb_module_last_error(r.m));
	lb_fw_upgrade_free(u);
	assert_int_equal(lb_module_cdb_query(r.m, 0, &q), LB_OK);
	assert_int_equal(q.password_status, 0x01);
	info(&r, &i);
	assert_int_equal(i.image[LB_FW_IMAGE_B].major, 7);
	/* a reset forgets it */
	assert_int_equal(lb_module_reset(r.m), LB_OK);
	lb_module_invalidate(r.m);
	assert_int_equal(lb_module_fw_info(r.m, &i), LB_E_PERM);
	free(img);
	lb_test_rig_down(&r);
	unlink(path);
}

/* ---- read-back and copy ---- */

static void test_read_back(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len;
	uint8_t *img = image(8, 0, 3 * 2048 + 300, &len);
	uint8_t *back = malloc(len);
	assert_non_null(back);
	struct lb_fw_features f = LB_SIZED_INIT(struct lb_fw_features);
	assert_int_equal(lb_module_fw_features(r.m, &f), LB_OK);
	assert_true(f.readback_supported && f.read_epl && f.copy_supported);
	/* nothing downloaded yet: the module has nothing to read (47h) */
	assert_int_equal(lb_module_fw_read(r.m, 0, back, 16), LB_E_CDB);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, false, false, &p, &seen);
	size_t body = len - 16;
	assert_int_equal(lb_module_fw_read(r.m, 0, back, body), LB_OK);
	assert_memory_equal(back, img + 16, body);
	/* at an odd address, across the pieces */
	assert_int_equal(lb_module_fw_read(r.m, 2000, back, 3000), LB_OK);
	assert_memory_equal(back, img + 16 + 2000, 3000);
	/* past the end: the module says so */
	assert_int_equal(lb_module_fw_read(r.m, (uint32_t)body - 10, back, 20), LB_E_CDB);
	/* the page in force is what the access layer believes after auto-paged reads */
	uint8_t a0[16], want[16];
	assert_int_equal(lb_module_read(r.m, 0, 0xA0, 128, a0, sizeof(a0)), LB_OK);
	assert_int_equal(lb_emu_module_peek(r.emu, 0, 0xA0, 128, want, sizeof(want)), LB_OK);
	assert_memory_equal(a0, want, sizeof(a0));
	assert_int_equal(lb_module_fw_read(r.m, 0, NULL, 5), LB_E_INVAL);
	lb_test_rig_down(&r);
	/* a module without read-back */
	up(&r, "coherent-800g-qsfpdd");
	assert_int_equal(lb_module_fw_read(r.m, 0, back, 16), LB_E_NOTSUP);
	assert_int_equal(lb_module_fw_copy(r.m, LB_FW_IMAGE_A), LB_E_NOTSUP);
	lb_test_rig_down(&r);
	/* LPL read-back (0105h, 116 bytes a command) on a foreground module with 8-byte writes */
	char path[64];
	lb_test_profile_variant(LB_SOURCE_DIR, "400g-fr4-qsfpdd", "\"instances\"",
				"\"readback\": true, ", path, sizeof(path));
	lb_test_rig_profile_file(&r, path, 400, true);
	unlink(path);
	assert_int_equal(lb_module_fw_features(r.m, &f), LB_OK);
	assert_true(f.readback_supported && f.read_lpl && !f.read_epl);
	seen = (struct seen){ 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, false, false, &p, &seen);
	assert_int_equal(p.method, LB_FW_METHOD_LPL);
	assert_int_equal(lb_module_fw_read(r.m, 1000, back, 500), LB_OK);
	assert_memory_equal(back, img + 16 + 1000, 500);
	assert_int_equal(lb_module_fw_read(r.m, UINT32_MAX - 2, back, 8), LB_E_INVAL);
	lb_test_rig_down(&r);
	free(back);
	free(img);
}

/*
 * lb_module_fw_verify: the image last downloaded read back and compared with a file: the file
 * it came from is alike; another of the same length is not, and the detail names the first
 * byte that differs (its offset in the file) with both values; a file shorter than the header,
 * one longer than the download, and a module without read-back are clear errors.
 */
static void test_verify(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len, len2;
	uint8_t *img = image(7, 1, 2 * 2048 + 77, &len);
	uint8_t *other = malloc(len);
	assert_non_null(other);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, false, false, &p, &seen);
	assert_int_equal(lb_module_fw_verify(r.m, img, len), LB_OK);
	/* another header alone (the module keeps only the body): alike */
	memcpy(other, img, len);
	other[4] ^= 0xFF;
	assert_int_equal(lb_module_fw_verify(r.m, other, len), LB_OK);
	/* one byte changed early, then one late: each found where it is */
	const size_t at[] = { 16 + 1000, len - 3 };
	for (unsigned k = 0; k < 2; k++) {
		memcpy(other, img, len);
		other[at[k]] ^= 0x40;
		assert_int_equal(lb_module_fw_verify(r.m, other, len), LB_E_CHECKSUM);
		char want[96];
		snprintf(want, sizeof(want), "at byte %zu: the module holds %02Xh, the file %02Xh",
			 at[k], img[at[k]], other[at[k]]);
		assert_non_null(strstr(lb_module_last_error(r.m), want));
	}
	/* bad calls */
	assert_int_equal(lb_module_fw_verify(r.m, img, 16), LB_E_INVAL);
	assert_int_equal(lb_module_fw_verify(r.m, NULL, len), LB_E_INVAL);
	assert_int_equal(lb_module_fw_verify(NULL, img, len), LB_E_INVAL);
	/* a file longer than what was downloaded: the module refuses past the end */
	uint8_t *longer = image(7, 1, 3 * 2048, &len2);
	memcpy(longer, img, len);
	assert_int_equal(lb_module_fw_verify(r.m, longer, len2), LB_E_CDB);
	free(longer);
	/* the claim was released: another handle polls */
	struct lb_module *other_handle;
	assert_int_equal(lb_module_open(r.bus, NULL, &other_handle), LB_OK);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(other_handle, &mon), LB_OK);
	lb_module_close(other_handle);
	lb_test_rig_down(&r);
	/* no read-back on the coherent module */
	up(&r, "coherent-800g-qsfpdd");
	assert_int_equal(lb_module_fw_verify(r.m, img, len), LB_E_NOTSUP);
	lb_test_rig_down(&r);
	free(other);
	free(img);
}

static void test_copy(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len;
	uint8_t *img = image(6, 6, 5000, &len);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(&r, img, len, LB_FW_METHOD_AUTO, true, true, &p, &seen);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_B].running && i.image[LB_FW_IMAGE_B].committed);
	assert_int_not_equal(i.image[LB_FW_IMAGE_A].major, 6);
	/* A does not run: refused before anything is sent */
	assert_int_equal(lb_module_fw_copy(r.m, LB_FW_IMAGE_A), LB_E_STATE);
	assert_int_equal(lb_module_fw_copy(r.m, LB_FW_IMAGE_FACTORY), LB_E_INVAL);
	assert_int_equal(lb_module_fw_copy(r.m, LB_FW_IMAGE_B), LB_OK);
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].valid);
	assert_int_equal(i.image[LB_FW_IMAGE_A].major, 6);
	assert_int_equal(i.image[LB_FW_IMAGE_A].minor, 6);
	assert_int_equal(i.state, LB_FW_STATE_OK);
	free(img);
	lb_test_rig_down(&r);
}

/* ---- faults ---- */

/* Step an upgrade until blocks_done reaches n (or it ends: returned). */
static int step_to_block(struct lb_test_rig *r, struct lb_fw_upgrade *u, uint32_t n)
{
	for (;;) {
		struct lb_fw_progress p = LB_SIZED_INIT(struct lb_fw_progress);
		lb_fw_upgrade_get_progress(u, &p);
		if (p.blocks_done >= n)
			return LB_E_AGAIN;
		uint64_t wake;
		int rc = lb_fw_upgrade_step(u, &wake);
		if (rc != LB_E_AGAIN)
			return rc;
		sleep_to(r, wake);
	}
}

/* An upgrade started and stepped to block n, where the module's commands turn slow. */
static struct lb_fw_upgrade *slow_from_block(struct lb_test_rig *r, const uint8_t *img, size_t len,
					     uint32_t n)
{
	struct lb_fw_upgrade *u = start(r, img, len, false);
	assert_int_equal(step_to_block(r, u, n), LB_E_AGAIN);
	assert_int_equal(lb_emu_module_inject(r->emu, LB_EMU_FAULT_CDB_SLOW, 1), LB_OK);
	return u;
}

/* After an upgrade broke off: image A still runs, and a new download lands as version major. */
static void old_runs_then_new_loads(struct lb_test_rig *r, const uint8_t *img, size_t len,
				    unsigned major, struct lb_fw_info *i)
{
	info(r, i);
	assert_true(i->image[LB_FW_IMAGE_A].running);
	struct lb_fw_progress p;
	struct seen seen = { 0 };
	upgrade(r, img, len, LB_FW_METHOD_AUTO, false, false, &p, &seen);
	info(r, i);
	assert_int_equal(i->image[LB_FW_IMAGE_B].major, major);
}

/*
 * A block that stays busy past the advertised Write duration: the wait ends at the bound
 * (not at the module's 20 s), the command is aborted (0004h, background mode), then the
 * download (0102h); the module runs its old image and takes the next upgrade at once.
 */
static void test_block_slower_than_advertised(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len;
	uint8_t *img = image(5, 5, 8 * 2048, &len);
	struct lb_fw_features f = LB_SIZED_INIT(struct lb_fw_features);
	assert_int_equal(lb_module_fw_features(r.m, &f), LB_OK);
	struct lb_fw_upgrade *u = slow_from_block(&r, img, len, 3);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	int rc = step_to_block(&r, u, 100);
	assert_int_equal(rc, LB_E_TIMEOUT);
	const char *e = lb_module_last_error(r.m);
	assert_non_null(strstr(e, "block 5 of 8") ? e : strstr(e, "block 4 of 8"));
	assert_non_null(strstr(e, "download aborted"));
	uint64_t took = lb_bus_now_ns(r.bus) - t0;
	assert_true(took < (uint64_t)(f.write_ms + f.abort_ms + 200) * MS);
	lb_fw_upgrade_free(u);
	struct lb_fw_info i;
	info(&r, &i);
	assert_false(i.image[LB_FW_IMAGE_B].valid);
	old_runs_then_new_loads(&r, img, len, 5, &i);
	free(img);
	lb_test_rig_down(&r);
}

/*
 * The same in foreground mode (400g-fr4): the module NACKs all the while, counted as busy,
 * never as a bus error; the wait ends at its bound; the abort cannot get through, and the
 * detail says so; once the module is back it runs its old image and takes a new download.
 */
static void test_foreground_command_slower_than_advertised(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "400g-fr4-qsfpdd");
	size_t len;
	uint8_t *img = image(3, 3, 600, &len);
	struct lb_fw_upgrade *u = slow_from_block(&r, img, len, 2);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(step_to_block(&r, u, 100), LB_E_TIMEOUT);
	assert_non_null(strstr(lb_module_last_error(r.m), "still NACKs"));
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_true(s.busy_nacks > 0);
	lb_fw_upgrade_free(u);
	lb_bus_sleep_ns(r.bus, 21000 * MS); /* the module comes back */
	struct lb_fw_info i;
	old_runs_then_new_loads(&r, img, len, 3, &i);
	free(img);
	lb_test_rig_down(&r);
}

/* A bad reply check code from the module during an upgrade: nothing written, nothing broken. */
static void test_bad_reply_during_upgrade(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len;
	uint8_t *img = image(2, 2, 4096, &len);
	assert_int_equal(lb_emu_module_inject(r.emu, LB_EMU_FAULT_CDB_BAD_REPLY, 1), LB_OK);
	struct lb_fw_progress p;
	assert_int_equal(upgrade_rc(&r, img, len, NULL, &p), LB_E_CHECKSUM);
	assert_non_null(strstr(last_error, "reply check code"));
	assert_int_equal(p.bytes_done, 0);
	struct lb_fw_info i;
	info(&r, &i);
	assert_true(i.image[LB_FW_IMAGE_A].running);
	assert_true(i.image[LB_FW_IMAGE_B].valid); /* not touched */
	assert_int_equal(upgrade_rc(&r, img, len, NULL, &p), LB_OK);
	free(img);
	lb_test_rig_down(&r);
}

/*
 * A reset or a power loss at every block boundary and half-way through every command of a
 * clean upgrade (Start, each block, Complete, Run, Commit), walked in virtual time: the
 * times come from a clean run first. Each ends in an error or a success, never a hang; the
 * module then runs a valid image (the old one unless the new one was committed), fw info
 * tells the truth (an invalid inactive image is reported with advice), and the next upgrade
 * succeeds.
 */
#define WALK_MAX 64
static void clean_times(uint64_t *t, unsigned *n, size_t body)
{
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	size_t len;
	uint8_t *img = image(4, 4, body, &len);
	struct lb_fw_upgrade *u = start(&r, img, len, true);
	uint64_t t0 = lb_bus_now_ns(r.bus);
	int last_phase = -1;
	uint32_t last_blocks = 0;
	*n = 0;
	for (;;) {
		uint64_t wake;
		int rc = lb_fw_upgrade_step(u, &wake);
		struct lb_fw_progress p = LB_SIZED_INIT(struct lb_fw_progress);
		lb_fw_upgrade_get_progress(u, &p);
		uint64_t now = lb_bus_now_ns(r.bus);
		if ((p.phase != last_phase || p.blocks_done != last_blocks) && *n < WALK_MAX)
			t[(*n)++] = now - t0; /* a boundary: a command ended, the next began */
		last_phase = p.phase;
		last_blocks = p.blocks_done;
		if (rc != LB_E_AGAIN) {
			assert_int_equal(rc, LB_OK);
			break;
		}
		if (wake > now)
			lb_bus_sleep_ns(r.bus, wake - now);
	}
	t[(*n)++] = lb_bus_now_ns(r.bus) - t0;
	lb_fw_upgrade_free(u);
	free(img);
	lb_test_rig_down(&r);
	/* and half-way through each command */
	unsigned k = *n;
	for (unsigned j = 0; j + 1 < k && *n < WALK_MAX; j++)
		t[(*n)++] = t[j] + (t[j + 1] - t[j]) / 2;
}

static void strike(struct lb_test_rig *r, bool power)
{
	if (power) {
		lb_emu_module_remove(r->emu);
		lb_emu_module_insert(r->emu);
	} else {
		lb_emu_module_set_resetl(r->emu, 1);
		lb_emu_module_set_resetl(r->emu, 0);
	}
}

static void test_interrupted_at_every_boundary(void **unused)
{
	(void)unused;
	uint64_t t[WALK_MAX];
	unsigned n;
	const size_t body = 6 * 2048 + 100; /* 7 blocks */
	clean_times(t, &n, body);
	assert_true(n >= 2 * (7 + 4));
	unsigned failed = 0, succeeded = 0;
	for (unsigned w = 0; w < 2 * n; w++) {
		bool power = w >= n;
		uint64_t at = t[w % n];
		struct lb_test_rig r;
		up(&r, "800g-dr8-osfp");
		size_t len;
		uint8_t *img = image(4, 4, body, &len);
		struct lb_fw_upgrade *u = start(&r, img, len, true);
		uint64_t t0 = lb_bus_now_ns(r.bus);
		bool struck = false;
		int rc;
		for (unsigned guard = 0;; guard++) {
			assert_true(guard < 100000); /* never a hang */
			uint64_t wake;
			rc = lb_fw_upgrade_step(u, &wake);
			if (rc != LB_E_AGAIN)
				break;
			uint64_t now = lb_bus_now_ns(r.bus);
			if (!struck && wake >= t0 + at) {
				/* sleep to the instant, strike there, go on */
				if (t0 + at > now)
					lb_bus_sleep_ns(r.bus, t0 + at - now);
				strike(&r, power);
				struck = true;
				now = lb_bus_now_ns(r.bus);
			}
			if (wake > now)
				lb_bus_sleep_ns(r.bus, wake - now);
		}
		struct lb_fw_progress p = LB_SIZED_INIT(struct lb_fw_progress);
		lb_fw_upgrade_get_progress(u, &p);
		char detail[512];
		snprintf(detail, sizeof(detail), "%s", lb_module_last_error(r.m));
		lb_fw_upgrade_free(u);
		if (!struck)
			strike(&r, power); /* at the very end */
		lb_bus_sleep_ns(r.bus, 3000 * MS);
		lb_module_invalidate(r.m);
		struct lb_fw_info i;
		info(&r, &i);
		int running = i.image[0].running ? 0 : i.image[1].running ? 1 : 2;
		assert_true(running != 2 && i.image[running].valid); /* never the factory image */
		if (rc == LB_OK) {
			succeeded++;
			assert_true(i.image[running].committed);
		} else {
			failed++;
			assert_int_equal(p.phase, LB_FW_PHASE_ABORT);
			assert_true(detail[0] != 0);
			/* the old image runs, committed; the state names what was left */
			assert_true(i.image[running].committed || i.state == LB_FW_STATE_NOT_COMMITTED);
			if (i.state != LB_FW_STATE_OK)
				assert_non_null(lb_fw_state_advice(i.state));
		}
		/* the next upgrade succeeds */
		struct lb_fw_progress p2;
		struct seen seen = { 0 };
		upgrade(&r, img, len, LB_FW_METHOD_AUTO, true, true, &p2, &seen);
		info(&r, &i);
		assert_int_equal(i.state, LB_FW_STATE_OK);
		free(img);
		lb_test_rig_down(&r);
	}
	assert_true(failed > n); /* most strikes break the upgrade off */
	print_message("walked %u instants twice: %u broken off, %u completed\n", n, failed, succeeded);
}

/*
 * A poller in another thread, on another handle, polling monitors and reading an EPL page
 * while an upgrade runs (the steps and the polls interleave: each step waits for a poll):
 * every call is refused (LB_E_BUSY, "firmware update in progress") or reads what the module
 * holds; never a bus error, never a torn or misplaced page.
 */
struct poller {
	struct lb_module *m;
	double temperature;
	int stop, polls, refused, wrong;
};

static void *poll_loop(void *arg)
{
	struct poller *p = arg;
	while (!__atomic_load_n(&p->stop, __ATOMIC_ACQUIRE)) {
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		int rc = lb_module_get_monitors(p->m, &mon);
		uint8_t id[8];
		int rc2 = lb_module_read(p->m, 0, 0x00, 128, id, sizeof(id));
		/* each call on its own: refused, or right (the claim may end between the two) */
		bool ok1 = rc == LB_E_BUSY || (rc == LB_OK && mon.temperature_c == p->temperature);
		bool ok2 = rc2 == LB_E_BUSY ||
			   (rc2 == LB_OK && id[0] == 0x19 /* page 00h byte 128: the identifier (OSFP) */);
		if (rc == LB_E_BUSY && rc2 == LB_E_BUSY)
			__atomic_add_fetch(&p->refused, 1, __ATOMIC_ACQ_REL);
		else if (!ok1 || !ok2)
			__atomic_add_fetch(&p->wrong, 1, __ATOMIC_ACQ_REL);
		__atomic_add_fetch(&p->polls, 1, __ATOMIC_ACQ_REL);
		sched_yield();
	}
	return NULL;
}

static void test_poller_thread_during_upgrade(void **unused)
{
	(void)unused;
	struct lb_test_rig r;
	up(&r, "800g-dr8-osfp");
	struct poller p = { 0 };
	assert_int_equal(lb_module_open(r.bus, NULL, &p.m), LB_OK);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(p.m, &mon), LB_OK);
	p.temperature = mon.temperature_c;
	uint8_t id;
	assert_int_equal(lb_module_read(p.m, 0, 0x00, 128, &id, 1), LB_OK);
	assert_int_equal(id, 0x19);
	size_t len;
	uint8_t *img = image(1, 9, 5 * 2048, &len);
	struct lb_fw_upgrade *u = start(&r, img, len, false);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, poll_loop, &p), 0);
	int rc;
	for (;;) {
		uint64_t wake;
		rc = lb_fw_upgrade_step(u, &wake);
		/* let the poller in between every two steps */
		int seen = __atomic_load_n(&p.polls, __ATOMIC_ACQUIRE);
		for (unsigned spin = 0; spin < 1000000 && __atomic_load_n(&p.polls, __ATOMIC_ACQUIRE) == seen;
		     spin++)
			sched_yield();
		if (rc != LB_E_AGAIN)
			break;
		sleep_to(&r, wake);
	}
	assert_int_equal(rc, LB_OK);
	lb_fw_upgrade_free(u);
	int before = __atomic_load_n(&p.polls, __ATOMIC_ACQUIRE);
	for (unsigned spin = 0; spin < 1000000 && __atomic_load_n(&p.polls, __ATOMIC_ACQUIRE) < before + 2;
	     spin++)
		sched_yield();
	__atomic_store_n(&p.stop, 1, __ATOMIC_RELEASE);
	pthread_join(th, NULL);
	assert_int_equal(p.wrong, 0);
	assert_true(p.refused > 10);
	assert_true(p.polls > p.refused); /* and it got through once the upgrade was over */
	struct lb_bus_stats s = lb_test_rig_stats(&r);
	assert_int_equal(s.errors, 0);
	lb_module_close(p.m);
	free(img);
	lb_test_rig_down(&r);
}

/*
 * The download's pace (hal/cdb/fw_pace.c) against a module whose block time changes: the
 * polls a block costs and how late the host sees it done, block by block, simulated (a poll
 * at or after the module's time finds it done).
 */
struct pace_seen {
	unsigned polls;
	uint64_t late_ns;
};

static struct pace_seen pace_block(struct lb_fw_pace *p, uint64_t module_ns)
{
	struct lb_cdb_sched s = lb_fw_pace_sched(p, p->block);
	assert_true(s.known_idle && s.no_reply);
	/* nothing scheduled: the engine's own rate for a 50 ms Write (390 us) */
	uint64_t t = s.first_poll_ns ? s.first_poll_ns : 390000u;
	uint64_t step = s.step_ns ? (s.step_ns < 100000u ? 100000u : s.step_ns) : 390000u;
	uint64_t busy = 0;
	struct pace_seen r = { 0 };
	for (;; t += step) {
		r.polls++;
		if (t >= module_ns)
			break;
		busy = t;
	}
	r.late_ns = t - module_ns;
	lb_fw_pace_learn(p, p->block, busy, t);
	return r;
}

static void test_pace_follows_the_module(void **unused)
{
	(void)unused;
	struct lb_fw_pace p = { .block = 2048 };
	unsigned b = 0, extra = 0;
	/* 3.2 ms a block: after a short search, one poll a block, seen within 1/256 */
	for (; b < 200; b++) {
		struct pace_seen s = pace_block(&p, 3200000u);
		if (b >= 30) {
			assert_true(s.polls <= 2);
			assert_true(s.late_ns <= 3200000u / 256u);
			extra += s.polls - 1;
		}
	}
	assert_true(extra <= 4); /* a look for a quicker module every 64 blocks */
	/* twice as slow: one block of small steps, then one poll a block again */
	for (; b < 400; b++) {
		struct pace_seen s = pace_block(&p, 6400000u);
		if (b >= 202) {
			assert_true(s.polls <= 2);
			assert_true(s.late_ns <= 6400000u / 64u);
		}
	}
	/* four times as quick: found at the next look, and followed down */
	for (; b < 600; b++) {
		struct pace_seen s = pace_block(&p, 1600000u);
		if (b >= 400 + 64 + 64) {
			assert_true(s.polls <= 2);
			assert_true(s.late_ns <= 1600000u / 128u);
		}
	}
	/* a short block is looked at at its share, never before the start */
	struct lb_cdb_sched s = lb_fw_pace_sched(&p, 1024);
	assert_true(s.first_poll_ns > 0 && s.first_poll_ns < p.hi_ns);
	/* what is not a full block teaches nothing */
	uint64_t hi = p.hi_ns;
	lb_fw_pace_learn(&p, 1024, 0, 10);
	assert_int_equal(p.hi_ns, hi);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_features),
		cmocka_unit_test(test_info_fresh_module),
		cmocka_unit_test(test_upgrade_epl_run_commit),
		cmocka_unit_test(test_upgrade_lpl_foreground),
		cmocka_unit_test(test_run_without_commit_then_reset),
		cmocka_unit_test(test_run_modes),
		cmocka_unit_test(test_corrupt_image_never_runs),
		cmocka_unit_test(test_cancel_aborts),
		cmocka_unit_test(test_reset_anywhere),
		cmocka_unit_test(test_stuck_command_is_bounded),
		cmocka_unit_test(test_claim_keeps_a_poller_out),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_password_required),
		cmocka_unit_test(test_read_back),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_block_slower_than_advertised),
		cmocka_unit_test(test_foreground_command_slower_than_advertised),
		cmocka_unit_test(test_bad_reply_during_upgrade),
		cmocka_unit_test(test_interrupted_at_every_boundary),
		cmocka_unit_test(test_poller_thread_during_upgrade),
		cmocka_unit_test(test_pace_follows_the_module),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
