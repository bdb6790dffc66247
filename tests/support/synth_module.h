/* SPDX-License-Identifier: MIT */
/*
 * A synthetic CMIS 5.2 memory image built in code, so decoder tests that need no real dump
 * run everywhere (the shared images are absent on users' machines).
 */
#ifndef LB_TEST_SYNTH_MODULE_H
#define LB_TEST_SYNTH_MODULE_H

#include <stdint.h>
#include "image_file.h"

/** A paged 400G-FR4-like QSFP-DD, checksums valid. */
void lb_test_synth_cmis(struct lb_test_image *img);
/** Put an ASCII field (space padded to n) at byte off of page p (p = -1: lower memory). */
void lb_test_put_string(struct lb_test_image *img, int p, unsigned off, const char *s, unsigned n);
/** Recompute the page 00h and 01h checksums. */
void lb_test_fix_checksums(struct lb_test_image *img);

#endif
