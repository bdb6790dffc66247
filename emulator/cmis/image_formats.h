/* SPDX-License-Identifier: MIT */
/*
 * The formats a module memory image comes in (image_formats.c): the project's own text dump
 * ("PAGE OFFSET HEXBYTES", PAGE may be "BANK:PAGE"), what `lbctl dump` prints, `ethtool -m DEV
 * hex on` and `raw on`, and SONiC `sfputil show eeprom-hexdump`. The format is told from the
 * content; image.c turns the result into a module.
 */
#ifndef EMU_IMAGE_FORMATS_H
#define EMU_IMAGE_FORMATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "emulator/cmis/emu_module.h"

/* Every byte an image file holds; a page is either complete (128 bytes) or absent. */
struct emu_image {
	uint8_t lower[128];
	bool has_lower;
	uint8_t pg[256][128];                   /* bank 0 of each upper page */
	bool has[256];
	uint8_t banked[EMU_MAX_BANKS][256][128]; /* banks 1.. of banked pages ([0] unused) */
	bool has_banked[EMU_MAX_BANKS][256];
	const char *format;                     /* the format found, for messages */
};

/**
 * Parse the n bytes of an image file (data[n] is writable: a NUL is put there) into im
 * (zeroed by the caller). LB_E_PARSE with "path: line N: reason" in err for a malformed file,
 * a page given twice or incomplete, or lower memory / page 00h missing.
 */
int emu_image_parse(const char *path, char *data, size_t n, struct emu_image *im, char *err,
		    size_t errlen);

#endif
