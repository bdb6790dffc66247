/* SPDX-License-Identifier: MIT */
/*
 * lb-emud's bank layout (docs/emulator.md, "lb-emud's bank layout"): by default
 * DIR/<port>/eeprom lays banks 1-3 out as SONiC's optoe driver does, offset
 * (bank * 240 + page) * 128 + byte (sonic-net/SONiC doc/layer1/cmis_banking_support.md, 7.4),
 * written here as that formula, not through lightbridge/optoe.h; DIR/<port>/banking says the
 * layout; a host reading in another layout gets an error where its offset names a page the
 * module lacks, never page 00h's bytes; and lightbridge's optoe driver refuses a "banking"
 * that differs from the one served, and takes the served one when none is given. Port 6 of
 * the default platform has two banks. Skips without /dev/fuse or lb-emud.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "tests/processes/emud_rig.h"

#define PORT 6
#define MASK_BYTE 213 /* 10h:213, a lane flag mask: read-write, per bank */

/* SONiC's optoe offset of (bank, page, byte >= 128). */
static off_t sonic_optoe_at(unsigned bank, unsigned page, unsigned byte)
{
	return (off_t)((bank * 240 + page) * 128 + byte);
}

struct fx {
	struct emud_rig rig;
	char eeprom[PATH_MAX + 32], window[PATH_MAX + 32], banking[PATH_MAX + 32];
	int efd, wfd;
};

/* lb-emud with extra arguments; false when it cannot run here (the case skips). */
static bool start(struct fx *f, const char *const *extra)
{
	memset(f, 0, sizeof(*f));
	const char *why = emud_rig_unavailable();
	if (why) {
		fprintf(stderr, "skipped: %s\n", why);
		return false;
	}
	int rc = emud_rig_start(&f->rig, extra);
	if (rc == 1) {
		fprintf(stderr, "skipped: lb-emud could not mount\n");
		return false;
	}
	assert_int_equal(rc, 0);
	snprintf(f->eeprom, sizeof(f->eeprom), "%s/%u/eeprom", f->rig.mount, PORT);
	snprintf(f->window, sizeof(f->window), "%s/%u/i2c", f->rig.mount, PORT);
	snprintf(f->banking, sizeof(f->banking), "%s/%u/banking", f->rig.mount, PORT);
	f->efd = open(f->eeprom, O_RDWR);
	f->wfd = open(f->window, O_RDWR);
	assert_true(f->efd >= 0 && f->wfd >= 0);
	return true;
}

static void stop(struct fx *f)
{
	close(f->efd);
	close(f->wfd);
	assert_int_equal(emud_rig_stop(&f->rig), 0);
}

static void banking_says(struct fx *f, const char *want)
{
	char text[32] = "";
	int fd = open(f->banking, O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, text, sizeof(text) - 1), (ssize_t)strlen(want));
	assert_string_equal(text, want);
	close(fd);
	assert_true(open(f->banking, O_WRONLY) < 0); /* read-only */
}

/* The byte at (bank, 10h, MASK_BYTE) through the raw window: bank and page in one write. */
static uint8_t window_get(struct fx *f, uint8_t bank)
{
	uint8_t sel[2] = { bank, 0x10 }, v = 0;
	assert_int_equal(pwrite(f->wfd, sel, 2, 126), 2);
	assert_int_equal(pread(f->wfd, &v, 1, MASK_BYTE), 1);
	return v;
}

static void window_set(struct fx *f, uint8_t bank, uint8_t v)
{
	uint8_t sel[2] = { bank, 0x10 };
	assert_int_equal(pwrite(f->wfd, sel, 2, 126), 2);
	assert_int_equal(pwrite(f->wfd, &v, 1, MASK_BYTE), 1);
}

static void test_default_layout_is_sonic_optoe(void **state)
{
	(void)state;
	struct fx f;
	if (!start(&f, NULL)) {
		skip();
		return;
	}
	banking_says(&f, "optoe\n");
	/* written in bank 1 through the window: read at SONiC's offset of bank 1, not bank 0's */
	window_set(&f, 0, 0x00);
	window_set(&f, 1, 0x5A);
	uint8_t v = 0;
	assert_int_equal(pread(f.efd, &v, 1, sonic_optoe_at(1, 0x10, MASK_BYTE)), 1);
	assert_int_equal(v, 0x5A);
	assert_int_equal(pread(f.efd, &v, 1, sonic_optoe_at(0, 0x10, MASK_BYTE)), 1);
	assert_int_equal(v, 0x00);
	/* and the other way: written at SONiC's offset of bank 1, found in bank 1 */
	v = 0xA5;
	assert_int_equal(pwrite(f.efd, &v, 1, sonic_optoe_at(1, 0x10, MASK_BYTE)), 1);
	assert_int_equal(window_get(&f, 1), 0xA5);
	assert_int_equal(window_get(&f, 0), 0x00);
	/* a page the module lacks is an error, not page 00h's bytes (a module would echo 00h) */
	errno = 0;
	assert_int_equal(pread(f.efd, &v, 1, sonic_optoe_at(0, 0x77, 128)), -1);
	assert_int_equal(errno, ENODATA);
	stop(&f);
}

static void test_other_layout_is_refused(void **state)
{
	(void)state;
	struct fx f;
	static const char *const sonic[] = { "--banking", "sonic", NULL };
	if (!start(&f, sonic)) {
		skip();
		return;
	}
	banking_says(&f, "sonic\n");
	/*
	 * A SONiC host reads bank 1 page 10h at its offset: in the 256-page layout that is bank 1
	 * of page 00h, which has no banks. An error, not page 00h's bytes.
	 */
	uint8_t v;
	errno = 0;
	assert_int_equal(pread(f.efd, &v, 1, sonic_optoe_at(1, 0x10, MASK_BYTE)), -1);
	assert_int_equal(errno, ENODATA);
	/* lightbridge's optoe driver told the SONiC layout: refused, with the layout named */
	struct lb_ctx *ctx;
	struct lb_bus *bus;
	struct lb_module *m;
	char opts[PATH_MAX + 96];
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	snprintf(opts, sizeof(opts), "{\"path\": \"%s\", \"banking\": \"optoe\"}", f.eeprom);
	assert_int_equal(lb_bus_open(ctx, "optoe", opts, NULL, &bus), LB_E_INVAL);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "serves the \"sonic\" bank layout"));
	/* told none: it reads in the layout served, bank 1 where bank 1 is */
	window_set(&f, 0, 0x00);
	window_set(&f, 1, 0x3C);
	snprintf(opts, sizeof(opts), "{\"path\": \"%s\"}", f.eeprom);
	assert_int_equal(lb_bus_open(ctx, "optoe", opts, NULL, &bus), LB_OK);
	assert_int_equal(lb_module_open(bus, NULL, &m), LB_OK);
	assert_int_equal(lb_module_read(m, 1, 0x10, MASK_BYTE, &v, 1), LB_OK);
	assert_int_equal(v, 0x3C);
	assert_int_equal(lb_module_read(m, 0, 0x10, MASK_BYTE, &v, 1), LB_OK);
	assert_int_equal(v, 0x00);
	lb_module_close(m);
	lb_bus_close(bus);
	lb_ctx_destroy(ctx);
	stop(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_layout_is_sonic_optoe),
		cmocka_unit_test(test_other_layout_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
