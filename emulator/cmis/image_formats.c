/* SPDX-License-Identifier: MIT */
/*
 * Module memory images in the formats people have them in, told apart by their content:
 *
 *  - the project's text dump (shared test data, `lbctl dump --save`): "PAGE OFFSET HEXBYTES"
 *    lines, PAGE -1 for lower memory, two hex digits for an upper page, or BANK:PAGE
 *    ("1:11") for a bank above 0 of a banked page; OFFSET decimal; 16 bytes a line;
 *  - what `lbctl dump` prints: "Port N (NAME): lower memory, bytes 0-127" and "Port N (NAME):
 *    bank B, page PPh, bytes 128-255" headings, each over i2cdump-style rows "80: 16 bytes";
 *  - `ethtool -m DEV hex on`: "Offset<TAB><TAB>Values" then "0x0080:<TAB><TAB>16 bytes" rows;
 *    without a page heading the offsets run through the linear layout (lower memory and page
 *    00h at 0-255, page p at 128 * (p + 1)); a heading line naming a page (and a bank), as
 *    newer ethtool prints per CMIS page, puts the rows that follow into that page;
 *  - SONiC `sfputil show eeprom-hexdump`: "EEPROM hexdump for port NAME", then "Lower page 0h"
 *    and "Upper page Nh" headings, each over rows "00000080 8 bytes  8 bytes |ascii|";
 *  - raw binary (`ethtool -m DEV raw on`, an optoe eeprom file): lower memory and page 00h,
 *    then page p at 128 * (p + 1); 256 bytes, 640, or any multiple of 128 from 256.
 * In the two linear layouts an all-zero page above 00h is a hole the dump left, not a page.
 *
 * Every page present must be complete; lower memory and page 00h must be present.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emulator/cmis/image_formats.h"

/* Where the rows of one image go: checks each against what a module's memory can hold. */
struct rows {
	struct emu_image *im;
	const char *path;
	char *err;
	size_t errlen;
	unsigned line;                         /* the line being parsed */
	bool linear;                           /* a linear layout: all-zero pages are holes */
	uint8_t seen[EMU_MAX_BANKS][257];      /* [bank][page + 1]: bit r = row r given */
	unsigned first[EMU_MAX_BANKS][257];    /* line of a page's first row */
};

static int bad(struct rows *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(struct rows *r, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emu_errf(r->err, r->errlen, "%s: line %u: %s", r->path, r->line, msg);
	return LB_E_PARSE;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	return ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 : -1;
}

/* Two hex digits at s into *out. */
static bool hex_byte(const char *s, uint8_t *out)
{
	int h = hexval((unsigned char)s[0]), l = h < 0 ? -1 : hexval((unsigned char)s[1]);
	if (h < 0 || l < 0)
		return false;
	*out = (uint8_t)(h << 4 | l);
	return true;
}

/* "page 11h", "page 0x11" and "Page 11": the page a heading names. */
static bool page_word(const char *s, unsigned *page)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 16);
	if (end == s || errno || v > 0xFF)
		return false;
	*page = (unsigned)v;
	return true;
}

/* One 16-byte row at byte address addr (0-127 lower memory, 128-255 an upper page). */
static int put(struct rows *r, unsigned bank, int page, unsigned addr, const uint8_t b[16])
{
	if (bank >= EMU_MAX_BANKS)
		return bad(r, "bank %u (a module has banks 0-%u)", bank, EMU_MAX_BANKS - 1);
	if (bank && (page == EMU_LOWER || !emu_page_banked((uint8_t)page)))
		return bad(r, "bank %u of page %02Xh: only pages 10h-FFh have banks", bank,
			   (unsigned)page);
	if (addr % 16 || (page == EMU_LOWER ? addr >= 128 : addr < 128 || addr > 240))
		return bad(r, "offset %u is not a row of %s (%s, a multiple of 16)", addr,
			   page == EMU_LOWER ? "lower memory" : "an upper page",
			   page == EMU_LOWER ? "0-112" : "128-240");
	unsigned idx = (unsigned)(page + 1), row = (addr % 128u) / 16u;
	if (r->seen[bank][idx] & (1u << row)) {
		if (page == EMU_LOWER)
			return bad(r, "page -1 offset %u given twice", addr);
		return bad(r, "bank %u page %02Xh offset %u given twice", bank, (unsigned)page, addr);
	}
	if (!r->seen[bank][idx])
		r->first[bank][idx] = r->line;
	r->seen[bank][idx] = (uint8_t)(r->seen[bank][idx] | (1u << row));
	uint8_t *dst = page == EMU_LOWER ? r->im->lower
		       : bank	      ? r->im->banked[bank][page]
					 : r->im->pg[page];
	memcpy(dst + row * 16, b, 16);
	return LB_OK;
}

/*
 * A linear layout (raw binary, ethtool's linear hex) runs through every page up to the last
 * it holds: the pages a dump lacks are zero-filled holes there, not recorded pages (as
 * image.c's loader has it). Page 00h is always recorded.
 */
static bool hole(const struct rows *r, unsigned bank, unsigned page)
{
	static const uint8_t zero[128];
	return r->linear && bank == 0 && page > 0 && !memcmp(r->im->pg[page], zero, 128);
}

/* Every page complete, lower memory and page 00h present. */
static int finish(struct rows *r)
{
	for (unsigned b = 0; b < EMU_MAX_BANKS; b++)
		for (unsigned idx = 0; idx < 257; idx++) {
			uint8_t s = r->seen[b][idx];
			if (!s)
				continue;
			if (s != 0xFF) {
				unsigned have = 0;
				for (unsigned i = 0; i < 8; i++)
					have += ((unsigned)s >> i) & 1u;
				r->line = r->first[b][idx];
				if (idx == 0)
					return bad(r, "lower memory incomplete (%u of 8 rows)", have);
				if (b)
					return bad(r, "bank %u page %02Xh incomplete (%u of 8 rows)", b,
						   idx - 1, have);
				return bad(r, "page %02Xh incomplete (%u of 8 rows)", idx - 1, have);
			}
			if (idx == 0)
				r->im->has_lower = true;
			else if (hole(r, b, idx - 1))
				continue;
			else if (b)
				r->im->has_banked[b][idx - 1] = true;
			else
				r->im->has[idx - 1] = true;
		}
	if (!r->im->has_lower || !r->im->has[0])
		return bad(r, "%s missing", r->im->has_lower ? "page 00h" : "lower memory (PAGE -1)");
	return LB_OK;
}

/* ---- the project's text dump: PAGE OFFSET HEXBYTES ---- */

static int pages_text_line(struct rows *r, char *s)
{
	char tok[4][80];
	int nt = sscanf(s, "%79s %79s %79s %79s", tok[0], tok[1], tok[2], tok[3]);
	if (nt != 3)
		return bad(r, "expected PAGE OFFSET HEXBYTES");
	int page;
	unsigned bank = 0;
	char *end, *pg = tok[0], *colon = strchr(tok[0], ':');
	if (colon) { /* BANK:PAGE */
		*colon = '\0';
		errno = 0;
		unsigned long b = strtoul(tok[0], &end, 10);
		if (*end || !isdigit((unsigned char)tok[0][0]) || b >= EMU_MAX_BANKS) {
			*colon = ':';
			return bad(r, "bad bank in \"%s\" (BANK:PAGE, bank 0-%u)", tok[0],
				   EMU_MAX_BANKS - 1);
		}
		bank = (unsigned)b;
		pg = colon + 1;
	}
	if (!colon && !strcmp(pg, "-1")) {
		page = EMU_LOWER;
	} else {
		long v = strtol(pg, &end, 16);
		if (*end || strlen(pg) > 2 || v < 0 || !isxdigit((unsigned char)pg[0])) {
			if (colon)
				*colon = ':';
			return bad(r, "bad page \"%s\" (-1 or two hex digits)", tok[0]);
		}
		page = (int)v;
	}
	errno = 0;
	long off = strtol(tok[1], &end, 10);
	long lo = page == EMU_LOWER ? 0 : 128, hi = page == EMU_LOWER ? 112 : 240;
	if (*end || errno || !isdigit((unsigned char)tok[1][0]) || off < lo || off > hi || off % 16)
		return bad(r, "bad offset \"%s\" (%ld..%ld, a multiple of 16)", tok[1], lo, hi);
	if (strlen(tok[2]) != 32)
		return bad(r, "expected 32 hex digits, got %zu characters", strlen(tok[2]));
	uint8_t bytes[16];
	for (int i = 0; i < 16; i++)
		if (!hex_byte(&tok[2][2 * i], &bytes[i]))
			return bad(r, "not a hex digit in \"%s\"", tok[2]);
	return put(r, bank, page, (unsigned)off, bytes);
}

/* ---- `lbctl dump` text ---- */

/* "Port 1 (Ethernet0): lower memory, ..." / "Port 1 (Ethernet0): bank 0, page 11h, ..." */
static bool lbctl_heading(const char *s, unsigned *bank, int *page)
{
	if (strncmp(s, "Port ", 5) != 0)
		return false;
	const char *c = strstr(s, "): ");
	if (!c)
		return false;
	c += 3;
	if (!strncmp(c, "lower memory", 12)) {
		*bank = 0;
		*page = EMU_LOWER;
		return true;
	}
	unsigned b, p;
	if (sscanf(c, "bank %u, page %xh", &b, &p) == 2 && p <= 0xFF) {
		*bank = b;
		*page = (int)p;
		return true;
	}
	return false;
}

/* "80: 00 01 ... 0f    ascii": the byte columns are fixed, the ascii part may hold anything. */
static int lbctl_row(struct rows *r, const char *s, unsigned bank, int page)
{
	uint8_t addr, b[16];
	if (strlen(s) < 4 + 16 * 3 || !hex_byte(s, &addr) || s[2] != ':' || s[3] != ' ')
		return bad(r, "expected a row \"HH: 16 hex bytes\"");
	for (unsigned i = 0; i < 16; i++) {
		const char *x = s + 4 + 3 * i;
		if (!hex_byte(x, &b[i]) || x[2] != ' ')
			return bad(r, "not a hex byte in column %u", i);
	}
	return put(r, bank, page, addr, b);
}

static int lbctl_dump_line(struct rows *r, const char *s, unsigned *bank, int *page, bool *in)
{
	if (lbctl_heading(s, bank, page)) {
		*in = true;
		return LB_OK;
	}
	if (s[0] == ' ' && strstr(s, "0  1  2  3"))
		return LB_OK; /* the column heading */
	if (!*in)
		return bad(r, "a row before any \"Port N (NAME): ...\" heading");
	return lbctl_row(r, s, *bank, *page);
}

/* ---- ethtool -m DEV hex on ---- */

/* A heading naming a page ("Page: 0x11, Bank: 1", "page 11h bank 1"), else false. */
static bool ethtool_heading(const char *s, unsigned *bank, int *page)
{
	char low[160];
	size_t n = strlen(s);
	if (n >= sizeof(low))
		return false;
	for (size_t i = 0; i <= n; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	const char *p = strstr(low, "page");
	if (!p)
		return false;
	p += 4;
	while (*p == ' ' || *p == ':' || *p == '\t')
		p++;
	unsigned pg;
	if (!page_word(p, &pg))
		return false;
	unsigned b = 0;
	const char *bk = strstr(low, "bank");
	if (bk) {
		bk += 4;
		while (*bk == ' ' || *bk == ':' || *bk == '\t')
			bk++;
		char *end;
		unsigned long v = strtoul(bk, &end, 0);
		if (end == bk || v > 255)
			return false;
		b = (unsigned)v;
	}
	*bank = b;
	*page = (int)pg;
	return true;
}

static int ethtool_line(struct rows *r, const char *s, unsigned *bank, int *page, bool *paged)
{
	if (!strncmp(s, "Offset", 6) || !strncmp(s, "------", 6))
		return LB_OK;
	if (strncmp(s, "0x", 2) != 0) {
		if (ethtool_heading(s, bank, page)) {
			*paged = true;
			return LB_OK;
		}
		return bad(r, "expected \"0xOFFSET:\" and hex bytes, or a page heading");
	}
	char *end;
	errno = 0;
	unsigned long off = strtoul(s + 2, &end, 16);
	if (end == s + 2 || *end != ':' || errno || off > 128ul * 257)
		return bad(r, "bad offset (0x followed by hex digits and ':')");
	uint8_t b[16];
	unsigned nb = 0;
	for (const char *x = end + 1; *x;) {
		while (*x == ' ' || *x == '\t')
			x++;
		if (!*x)
			break;
		if (nb == 16 || !hex_byte(x, &b[nb]) || (x[2] && x[2] != ' ' && x[2] != '\t'))
			return bad(r, "expected at most 16 hex bytes after the offset");
		nb++;
		x += 2;
	}
	if (nb != 16)
		return bad(r, "a row of %u bytes (images are whole pages, 16 bytes a row)", nb);
	if (*paged) /* offsets within the page: 0x00-0x7f lower memory with page 0 */
		return put(r, *bank, off < 128 && *page == 0 ? EMU_LOWER : *page, (unsigned)off, b);
	/* the linear layout: 0-255 lower + page 00h, then page p at 128 * (p + 1) */
	r->linear = true;
	if (off < 128)
		return put(r, 0, EMU_LOWER, (unsigned)off, b);
	unsigned pg = (unsigned)(off / 128 - 1);
	if (pg > 0xFF)
		return bad(r, "offset 0x%lx beyond page FFh", off);
	return put(r, 0, (int)pg, 128 + (unsigned)(off % 128), b);
}

/* ---- SONiC sfputil show eeprom-hexdump ---- */

static int sonic_line(struct rows *r, const char *line, int *page, bool *in, unsigned *ports)
{
	const char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!strncmp(s, "EEPROM hexdump for port", 23)) {
		if (++*ports > 1)
			return bad(r, "a second port: one image a file");
		return LB_OK;
	}
	if (strstr(s, "A0h dump") || strstr(s, "A2h dump"))
		return bad(r, "an SFF-8472 (SFP) dump: not a CMIS module image");
	unsigned pg;
	if (!strncmp(s, "Lower page ", 11)) {
		if (!page_word(s + 11, &pg) || pg != 0)
			return bad(r, "bad heading (\"Lower page 0h\")");
		*page = EMU_LOWER;
		*in = true;
		return LB_OK;
	}
	if (!strncmp(s, "Upper page ", 11)) {
		if (!page_word(s + 11, &pg))
			return bad(r, "bad heading (\"Upper page Nh\")");
		*page = (int)pg;
		*in = true;
		return LB_OK;
	}
	if (!*in)
		return bad(r, "a row before any \"Lower page\"/\"Upper page\" heading");
	/* "00000080 01 02 .. 08  09 .. 10 |ascii|": the bytes end where the ascii part starts */
	char *end;
	errno = 0;
	unsigned long off = strtoul(s, &end, 16);
	if (end - s != 8 || errno || off > 255)
		return bad(r, "expected an 8-digit offset and hex bytes");
	uint8_t b[16];
	unsigned nb = 0;
	for (const char *x = end; *x && *x != '|';) {
		while (*x == ' ')
			x++;
		if (!*x || *x == '|')
			break;
		if (nb == 16 || !hex_byte(x, &b[nb]) || (x[2] && x[2] != ' ' && x[2] != '|'))
			return bad(r, "expected 16 hex bytes before \"|\"");
		nb++;
		x += 2;
	}
	if (nb != 16)
		return bad(r, "a row of %u bytes (images are whole pages, 16 bytes a row)", nb);
	return put(r, 0, *page, (unsigned)off, b);
}

/* ---- telling the formats apart ---- */

enum text_format { FMT_PAGES, FMT_LBCTL, FMT_ETHTOOL, FMT_SONIC };

static const char *const format_name[] = {
	[FMT_PAGES] = "PAGE OFFSET HEXBYTES text",
	[FMT_LBCTL] = "lbctl dump output",
	[FMT_ETHTOOL] = "ethtool -m hex output",
	[FMT_SONIC] = "sfputil eeprom-hexdump output",
};

/* From the first line that is not blank or a # comment. */
static enum text_format detect(const char *text)
{
	const char *s = text;
	while (*s) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (*s != '#')
			break;
		s = strchr(s, '\n');
		if (!s)
			return FMT_PAGES;
	}
	unsigned bank;
	int page;
	/* ethtool may print a page heading above its "Offset<TAB><TAB>Values" line */
	if (!strncmp(s, "Offset", 6) || strstr(s, "\nOffset\t"))
		return FMT_ETHTOOL;
	if (!strncmp(s, "EEPROM hexdump for port", 23) || !strncmp(s, "Lower page ", 11))
		return FMT_SONIC;
	if (lbctl_heading(s, &bank, &page))
		return FMT_LBCTL;
	return FMT_PAGES;
}

static bool is_text(const uint8_t *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (d[i] >= 0x7f || (d[i] < 0x20 && d[i] != '\n' && d[i] != '\r' && d[i] != '\t'))
			return false;
	return true;
}

static int parse_text(struct rows *r, char *text)
{
	enum text_format fmt = detect(text);
	r->im->format = format_name[fmt];
	unsigned bank = 0, ports = 0;
	int page = EMU_LOWER;
	bool in = false;
	for (char *line = text, *next; line && *line; line = next) {
		r->line++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t len = strlen(line);
		while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
			line[--len] = '\0';
		const char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			continue;
		int rc;
		switch (fmt) {
		case FMT_LBCTL:
			rc = lbctl_dump_line(r, line, &bank, &page, &in);
			break;
		case FMT_ETHTOOL:
			rc = ethtool_line(r, s, &bank, &page, &in);
			break;
		case FMT_SONIC:
			rc = sonic_line(r, line, &page, &in, &ports);
			break;
		default:
			rc = pages_text_line(r, line);
			break;
		}
		if (rc)
			return rc;
	}
	return finish(r);
}

static int parse_binary(struct rows *r, const uint8_t *d, size_t n)
{
	r->im->format = "raw binary";
	if (n < 256 || n % 128 || n > 128u * 257u) {
		emu_errf(r->err, r->errlen,
			 "%s: raw image of %zu bytes (need 256 + 128 per page, at most page FFh)",
			 r->path, n);
		return LB_E_PARSE;
	}
	memcpy(r->im->lower, d, 128);
	r->im->has_lower = true;
	r->linear = true;
	for (size_t p = 0; 128 * (p + 1) + 128 <= n && p < 256; p++) {
		memcpy(r->im->pg[p], d + 128 * (p + 1), 128);
		r->im->has[p] = !hole(r, 0, (unsigned)p);
	}
	return LB_OK;
}

int emu_image_parse(const char *path, char *data, size_t n, struct emu_image *im, char *err,
		    size_t errlen)
{
	struct rows *r = calloc(1, sizeof(*r));
	if (!r)
		return LB_E_NOMEM;
	r->im = im;
	r->path = path;
	r->err = err;
	r->errlen = errlen;
	int rc;
	if (is_text((const uint8_t *)data, n)) {
		data[n] = '\0';
		rc = parse_text(r, data);
	} else {
		rc = parse_binary(r, (const uint8_t *)data, n);
	}
	free(r);
	return rc;
}
