/* SPDX-License-Identifier: MIT */
/*
 * Modules from memory images, in any format image_formats.c reads (the shared test data's
 * text dump, lbctl dump, ethtool -m hex/raw, sfputil eeprom-hexdump). The image's own
 * advertisement decides which pages exist.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "emulator/cmis/emu_module.h"
#include "emulator/cmis/image_formats.h"

#define MAX_IMAGE_TEXT (1024u * 1024u) /* hexdumps take about 5 characters a byte */

/* A real duration for a code read from an image: the middle of the code's range. */
static uint64_t code_real_ns(unsigned code)
{
	if (code >= 14)
		return 1000000u;
	if (code == 13)
		return 3600000000000ull;
	return (emu_code_min_ns(code) + emu_code_max_ns(code)) / 2;
}

int emu_image_load(struct lb_emu_module *m, const char *path, char *err, size_t errlen)
{
	/* Never waited on, never read unless a regular file (not a FIFO, a device, a directory). */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		emu_errf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return LB_E_NOTFOUND;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		emu_errf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return LB_E_PARSE;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return LB_E_NOMEM;
	}
	char *data = malloc(MAX_IMAGE_TEXT + 2);
	struct emu_image *im = calloc(1, sizeof(*im));
	if (!data || !im) {
		fclose(f);
		free(data);
		free(im);
		return LB_E_NOMEM;
	}
	size_t n = fread(data, 1, MAX_IMAGE_TEXT + 1, f);
	bool rd_err = ferror(f) != 0;
	fclose(f);
	int rc = LB_OK;
	if (rd_err) {
		emu_errf(err, errlen, "%s: line 0: read error", path);
		rc = LB_E_IO;
	} else if (n == 0) {
		emu_errf(err, errlen, "%s: empty file", path);
		rc = LB_E_PARSE;
	} else if (n > MAX_IMAGE_TEXT) {
		emu_errf(err, errlen, "%s: line 0: file too large", path);
		rc = LB_E_PARSE;
	} else {
		rc = emu_image_parse(path, data, n, im, err, errlen); /* image_formats.c */
	}
	free(data);
	if (rc) {
		free(im);
		return rc;
	}

	memcpy(m->mem.lower, im->lower, 128);
	uint8_t banks_of[256];
	emu_advertised_pages(im->lower, im->has[0x01] ? im->pg[0x01] : NULL,
			     im->has[0x2F] ? im->pg[0x2F] : NULL, banks_of);
	rc = emu_mem_alloc_pages(&m->mem, banks_of);
	for (unsigned p = 0; p < 256 && !rc; p++) {
		if (!im->has[p])
			continue; /* advertised but not in the file: zero-filled */
		for (unsigned b = 0; b < banks_of[p]; b++) { /* banks not in the file: bank 0's copy */
			bool own = b && im->has_banked[b][p];
			if (!b || own) /* lb_emu_module_page_in_image() */
				m->image_banks[p] = (uint8_t)(m->image_banks[p] | 1u << b);
			memcpy(emu_mem_page(&m->mem, b, (uint8_t)p), own ? im->banked[b][p] : im->pg[p],
			       128);
		}
	}
	if (!rc) {
		const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
		if (p01 && !(im->lower[2] & 0x80)) {
			m->timing.dp_init_ns = code_real_ns(p01[144 - 128] & 0xFu);
			m->timing.dp_deinit_ns = code_real_ns(p01[144 - 128] >> 4);
			m->timing.module_pwr_up_ns = code_real_ns(p01[167 - 128] & 0xFu);
			m->timing.module_pwr_dn_ns = code_real_ns(p01[167 - 128] >> 4);
			m->timing.dp_tx_turn_on_ns = code_real_ns(p01[168 - 128] & 0xFu);
			m->timing.dp_tx_turn_off_ns = code_real_ns(p01[168 - 128] >> 4);
		}
		m->timing.apply_ns = 10000000u;
		m->timing.reset_ns = 500000000u;
		/* The LPMode pin is taken as asserted for an image in ModuleLowPwr, so it stays there. */
		m->lpmode = ((im->lower[3] >> 1) & 7) == EMU_MS_LOWPWR;
		snprintf(m->name, sizeof(m->name), "%s", emu_basename(path));
		char *dot = strrchr(m->name, '.');
		if (dot && dot != m->name)
			*dot = '\0';
	}
	free(im);
	return rc;
}
