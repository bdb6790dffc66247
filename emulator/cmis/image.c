/* SPDX-License-Identifier: MIT */
/*
 * Modules from memory images, in any format image_formats.c reads (the shared test data's
 * text dump, lbctl dump, ethtool -m hex/raw, sfputil eeprom-hexdump). Replayed as recorded:
 * every page the image holds exists with its recorded bytes, whatever the advertisement says;
 * pages it lacks exist as its advertisement says (zero-filled), but for the lane pages
 * 10h/11h, generated as the module's state machines would hold them. docs/emulator.md,
 * "Memory images".
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

/*
 * How long a replayed module takes for a duration it advertises as code (CMIS Table 8-49: the
 * maximum lies in the code's range): a tenth of the range's upper bound, at most
 * EMU_IMAGE_MAX_STEP_NS. Well inside the advertised bound, so that a host's wait built from it
 * succeeds, and a power-down from ModuleReady (Tx turn-off, DPDeinit, ModulePwrDn in turn)
 * stays inside the fixed 100 ms some deployed hosts wait after a power-mode change. Reserved
 * codes (14, 15) and code 13 (no upper bound) take the cap.
 */
#define EMU_IMAGE_MAX_STEP_NS 25000000ull

uint64_t emu_image_step_ns(unsigned code)
{
	uint64_t max = emu_code_max_ns(code);
	if (code >= 13 || max / 10 > EMU_IMAGE_MAX_STEP_NS)
		return EMU_IMAGE_MAX_STEP_NS;
	return max / 10;
}

/* A default active configuration for one bank: AppSel 1 on each group of lanes it may start. */
static void default_config(const struct lb_emu_module *m, uint8_t cfg[8])
{
	struct emu_app app;
	memset(cfg, 0, 8);
	if (!emu_app_get(m, 1, &app) || app.host_lanes == 0 || app.host_lanes > 8)
		return;
	for (unsigned l = 0; l + app.host_lanes <= 8;) {
		if (((unsigned)app.host_opts >> l) & 1u) {
			for (unsigned i = 0; i < app.host_lanes; i++)
				cfg[l + i] = (uint8_t)(1u << 4 | l << 1);
			l += app.host_lanes;
		} else {
			l++;
		}
	}
}

/*
 * Lane pages a paged image lacks, as the module would hold them: page 10h with every data path
 * enabled (DPDeinit 0) and the default application staged in SCS0; page 11h with the active
 * configuration of page 10h's SCS0 and every lane DPDeactivated, from where the data-path
 * state machine steps the lanes when the module first runs.
 */
static void generate_lane_pages(struct lb_emu_module *m, const struct emu_image *im)
{
	uint8_t cfg[8];
	default_config(m, cfg);
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++) {
		uint8_t *p10 = emu_mem_page(&m->mem, b, 0x10), *p11 = emu_mem_page(&m->mem, b, 0x11);
		bool rec10 = im->has[0x10] || (b && im->has_banked[b][0x10]);
		bool rec11 = im->has[0x11] || (b && im->has_banked[b][0x11]);
		if (p10 && !rec10)
			memcpy(&p10[145 - 128], cfg, 8);
		if (p11 && !rec11) {
			memset(&p11[128 - 128], EMU_DP_DEACTIVATED << 4 | EMU_DP_DEACTIVATED, 4);
			memcpy(&p11[206 - 128], p10 ? &p10[145 - 128] : cfg, 8);
		}
	}
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
	bool paged = !(im->lower[2] & 0x80);
	uint8_t banks_of[256];
	emu_advertised_pages(im->lower, im->has[0x01] ? im->pg[0x01] : NULL,
			     im->has[0x2F] ? im->pg[0x2F] : NULL, banks_of);
	/* Recorded pages exist whatever the advertisement says (a flat module has no others). */
	uint8_t nb = (uint8_t)emu_banks_from_adv(im->pg[0x01][142 - 128], im->pg[0x01][174 - 128]);
	for (unsigned p = 1; p < 256 && paged; p++)
		if (im->has[p] && !banks_of[p])
			banks_of[p] = emu_page_banked((uint8_t)p) ? nb : 1;
	rc = emu_mem_alloc_pages(&m->mem, banks_of);
	for (unsigned p = 0; p < 256 && !rc; p++) {
		if (!im->has[p] || !banks_of[p])
			continue; /* advertised but not in the file: zero-filled */
		for (unsigned b = 0; b < banks_of[p]; b++) { /* banks not in the file: bank 0's copy */
			bool own = b && im->has_banked[b][p];
			if (!b || own) /* lb_emu_module_page_in_image() */
				m->image_banks[p] = (uint8_t)(m->image_banks[p] | 1u << b);
			memcpy(emu_mem_page(&m->mem, b, (uint8_t)p), own ? im->banked[b][p] : im->pg[p],
			       128);
		}
	}
	if (!rc && paged)
		generate_lane_pages(m, im);
	if (!rc) {
		const uint8_t *p01 = emu_mem_page(&m->mem, 0, 0x01);
		if (p01 && paged) {
			m->timing.dp_init_ns = emu_image_step_ns(p01[144 - 128] & 0xFu);
			m->timing.dp_deinit_ns = emu_image_step_ns(p01[144 - 128] >> 4);
			m->timing.module_pwr_up_ns = emu_image_step_ns(p01[167 - 128] & 0xFu);
			m->timing.module_pwr_dn_ns = emu_image_step_ns(p01[167 - 128] >> 4);
			m->timing.dp_tx_turn_on_ns = emu_image_step_ns(p01[168 - 128] & 0xFu);
			m->timing.dp_tx_turn_off_ns = emu_image_step_ns(p01[168 - 128] >> 4);
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
