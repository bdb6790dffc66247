/* SPDX-License-Identifier: MIT */
/*
 * Modules from memory images: the text dump format of the shared test data ("PAGE OFFSET
 * HEXBYTES") or a raw optoe-style binary (lower memory + page 00h, then page p at
 * 128 * (p + 1)). Replayed as recorded: every page the image holds exists with its recorded
 * bytes, whatever the advertisement says; pages it lacks exist as its advertisement says
 * (zero-filled), but for the lane pages 10h/11h, generated as the module's state machines
 * would hold them. docs/emulator.md, "Memory images".
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "emulator/cmis/emu_module.h"

#define MAX_IMAGE (256u * 128u + 128u)

struct image {
	uint8_t lower[128];
	bool has_lower;
	uint8_t pg[256][128];
	bool has[256];
};

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

static bool is_text(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] >= 0x7f || (d[i] < 0x20 && d[i] != '\n' && d[i] != '\r' && d[i] != '\t'))
			return false;
	return true;
}

static int parse_text(const char *path, char *text, struct image *im, char *err, size_t errlen)
{
	uint8_t rows[257] = { 0 };    /* index page + 1 (0 = lower): bit r = row r seen */
	unsigned first[257] = { 0 };  /* line of a page's first row */
	unsigned lineno = 0;
	for (char *line = text, *next; line && *line; line = next) {
		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[--len] = '\0';
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		char tok[4][80];
		int nt = sscanf(s, "%79s %79s %79s %79s", tok[0], tok[1], tok[2], tok[3]);
		if (nt != 3) {
			emu_errf(err, errlen, "%s: line %u: expected PAGE OFFSET HEXBYTES", path, lineno);
			return LB_E_PARSE;
		}
		int page;
		char *end;
		if (!strcmp(tok[0], "-1")) {
			page = EMU_LOWER;
		} else {
			long v = strtol(tok[0], &end, 16);
			if (*end || strlen(tok[0]) > 2 || v < 0 || !isxdigit((unsigned char)tok[0][0])) {
				emu_errf(err, errlen, "%s: line %u: bad page \"%s\" (-1 or two hex digits)",
					 path, lineno, tok[0]);
				return LB_E_PARSE;
			}
			page = (int)v;
		}
		errno = 0;
		long off = strtol(tok[1], &end, 10);
		long lo = page == EMU_LOWER ? 0 : 128, hi = page == EMU_LOWER ? 112 : 240;
		if (*end || errno || !isdigit((unsigned char)tok[1][0]) || off < lo || off > hi ||
		    off % 16) {
			emu_errf(err, errlen, "%s: line %u: bad offset \"%s\" (%ld..%ld, a multiple of 16)",
				 path, lineno, tok[1], lo, hi);
			return LB_E_PARSE;
		}
		if (strlen(tok[2]) != 32) {
			emu_errf(err, errlen, "%s: line %u: expected 32 hex digits, got %zu characters",
				 path, lineno, strlen(tok[2]));
			return LB_E_PARSE;
		}
		uint8_t bytes[16];
		for (int i = 0; i < 16; i++) {
			int h = hexval((unsigned char)tok[2][2 * i]), l = hexval((unsigned char)tok[2][2 * i + 1]);
			if (h < 0 || l < 0) {
				emu_errf(err, errlen, "%s: line %u: not a hex digit in \"%s\"", path,
					 lineno, tok[2]);
				return LB_E_PARSE;
			}
			bytes[i] = (uint8_t)(h << 4 | l);
		}
		unsigned idx = (unsigned)(page + 1), row = (unsigned)(off - lo) / 16;
		if (rows[idx] & (1u << row)) {
			emu_errf(err, errlen, "%s: line %u: page %s offset %ld given twice", path,
				 lineno, tok[0], off);
			return LB_E_PARSE;
		}
		if (!rows[idx])
			first[idx] = lineno;
		rows[idx] = (uint8_t)(rows[idx] | (1u << row));
		memcpy(page == EMU_LOWER ? &im->lower[row * 16] : &im->pg[page][row * 16], bytes, 16);
	}
	for (unsigned idx = 0; idx < 257; idx++) {
		if (rows[idx] && rows[idx] != 0xFF) {
			unsigned have = 0;
			for (unsigned r = 0; r < 8; r++)
				have += ((unsigned)rows[idx] >> r) & 1u;
			if (idx == 0)
				emu_errf(err, errlen, "%s: line %u: lower memory incomplete (%u of 8 rows)",
					 path, first[idx], have);
			else
				emu_errf(err, errlen, "%s: line %u: page %02Xh incomplete (%u of 8 rows)",
					 path, first[idx], idx - 1, have);
			return LB_E_PARSE;
		}
		if (idx == 0)
			im->has_lower = rows[0] == 0xFF;
		else
			im->has[idx - 1] = rows[idx] == 0xFF;
	}
	if (!im->has_lower || !im->has[0]) {
		emu_errf(err, errlen, "%s: line %u: %s missing", path, lineno,
			 im->has_lower ? "page 00h" : "lower memory (PAGE -1)");
		return LB_E_PARSE;
	}
	return LB_OK;
}

static int parse_binary(const char *path, const uint8_t *d, size_t n, struct image *im,
			char *err, size_t errlen)
{
	if (n < 256 || n % 128) {
		emu_errf(err, errlen, "%s: raw image of %zu bytes (need 256 + 128 per page)",
			 path, n);
		return LB_E_PARSE;
	}
	memcpy(im->lower, d, 128);
	im->has_lower = true;
	static const uint8_t zero[128];
	for (size_t p = 0; 128 * (p + 1) + 128 <= n && p < 256; p++) {
		memcpy(im->pg[p], d + 128 * (p + 1), 128);
		/* The layout leaves the pages a dump lacks as zero-filled holes: not recorded. */
		im->has[p] = p == 0 || memcmp(im->pg[p], zero, 128) != 0;
	}
	return LB_OK;
}

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
static void generate_lane_pages(struct lb_emu_module *m, const struct image *im)
{
	uint8_t cfg[8];
	default_config(m, cfg);
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++) {
		uint8_t *p10 = emu_mem_page(&m->mem, b, 0x10), *p11 = emu_mem_page(&m->mem, b, 0x11);
		if (p10 && !im->has[0x10])
			memcpy(&p10[145 - 128], cfg, 8);
		if (p11 && !im->has[0x11]) {
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
	uint8_t *data = malloc(MAX_IMAGE + 2);
	struct image *im = calloc(1, sizeof(*im));
	if (!data || !im) {
		fclose(f);
		free(data);
		free(im);
		return LB_E_NOMEM;
	}
	size_t n = fread(data, 1, MAX_IMAGE + 1, f);
	bool rd_err = ferror(f) != 0;
	fclose(f);
	int rc = LB_OK;
	if (rd_err) {
		emu_errf(err, errlen, "%s: line 0: read error", path);
		rc = LB_E_IO;
	} else if (n == 0) {
		emu_errf(err, errlen, "%s: empty file", path);
		rc = LB_E_PARSE;
	} else if (is_text(data, n)) {
		data[n] = '\0';
		rc = n > MAX_IMAGE ? LB_E_PARSE : parse_text(path, (char *)data, im, err, errlen);
		if (n > MAX_IMAGE)
			emu_errf(err, errlen, "%s: line 0: file too large", path);
	} else {
		rc = n > MAX_IMAGE ? LB_E_PARSE : parse_binary(path, data, n, im, err, errlen);
		if (n > MAX_IMAGE)
			emu_errf(err, errlen, "%s: line 0: file too large", path);
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
		for (unsigned b = 0; b < banks_of[p]; b++) /* banks above 0: copies of bank 0 */
			memcpy(emu_mem_page(&m->mem, b, (uint8_t)p), im->pg[p], 128);
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
