/* SPDX-License-Identifier: MIT */
/* lbctl dump --save: a module's memory written as an image file that decode reads. */
#ifndef LBCTL_IMAGE_SAVE_H
#define LBCTL_IMAGE_SAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One upper page of an image: bank, page and its bytes 128-255. */
struct lbctl_image_page {
	uint8_t bank, page;
	const uint8_t *data;
};

/**
 * Write lower memory and the pages to path in the text image format ("PAGE OFFSET HEXBYTES",
 * BANK:PAGE for banks above 0; emulator/cmis/image_formats.c), with title as a # comment.
 * Safe where lbctl runs as root: the bytes go to a new temporary file beside path (O_EXCL,
 * never through a symlink), synced, then linked to path, which must not exist, or with
 * overwrite renamed over it (a symlink at path is replaced, never followed). 0, or -1 with
 * the reason in why (path's existing file untouched).
 */
int lbctl_image_save(const char *path, bool overwrite, const char *title, const uint8_t *lower,
		     const struct lbctl_image_page *pages, size_t n, char *why, size_t whylen);

#endif
