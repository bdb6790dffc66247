/* SPDX-License-Identifier: MIT */
/*
 * Test-only reader for the shared module images (text "PAGE OFFSET HEXBYTES" dumps), so that
 * pure decoders can be checked on real bytes without the emulator. Bank 0 only, as the files.
 */
#ifndef LB_TEST_IMAGE_FILE_H
#define LB_TEST_IMAGE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lb_test_image {
	uint8_t lower[128];
	bool has_page[256];
	uint8_t page[256][128];  /* page[p][i] = byte 128 + i of page p */
};

/** Parse path into *img. 0 on success, -1 on a missing file or a malformed line. */
int lb_test_image_load(const char *path, struct lb_test_image *img);

/** Write img in the same text format (lower memory, then every page it holds). 0 or -1. */
int lb_test_image_save(const char *path, const struct lb_test_image *img);

/** The upper page p, or NULL when the image does not hold it. */
const uint8_t *lb_test_image_page(const struct lb_test_image *img, unsigned p);

/** testdata "/modules" when that directory exists, else NULL. */
const char *lb_test_modules_dir_in(const char *testdata);
/**
 * For a test case that reads the real images: testdata "/modules" when it exists. When it does
 * not, a required folder (LB_REQUIRE_TESTDATA, or LB_TESTDATA_DIR given) fails the case, and
 * an optional one marks the run skipped (test_run.h: ctest reports "Skipped") and skips the
 * case. Never returns NULL.
 */
const char *lb_test_need_modules_dir(const char *testdata, int required);

#ifdef LB_TESTDATA_DIR
/* Inline, because LB_TESTDATA_DIR is defined for test programs, not for this library. */
static inline const char *lb_test_modules_dir(void)
{
	return lb_test_need_modules_dir(LB_TESTDATA_DIR, LB_REQUIRE_TESTDATA);
}
#endif

/** Build "dir/name" into buf (size n); returns buf. */
char *lb_test_path(char *buf, size_t n, const char *dir, const char *name);

#endif
