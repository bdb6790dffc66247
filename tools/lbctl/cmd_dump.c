/* SPDX-License-Identifier: MIT */
/*
 * lbctl dump PORT [--page P] [--bank B]: module memory as hex, laid out like i2cdump (lower
 * memory, then the page asked for or every page the module advertises), or --json with each
 * page as one hex string keyed by bank and page; --save FILE writes it as an image that
 * decode reads (image_save.c).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"
#include "image_save.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl dump PORT [--page P [--force]] [--bank B] [--json]\n"
		"       lbctl dump PORT --save FILE [--overwrite] [--json]\n\n"
		"Hex dump of module memory, like i2cdump: lower memory (bytes 0-127) and then\n"
		"page P (hex, e.g. 11 or 0x11) of bank B (default 0), or, without --page, every\n"
		"page the module advertises in page 01h, in every bank it has (vendor pages\n"
		"B0h-FFh only when asked for by --page). Only advertised pages are read: a\n"
		"module may answer anything for the others (most answer page 00h). A vendor page\n"
		"is advertised when the module's extension names it. --page P of a page the\n"
		"module does not advertise is refused (exit 6); with --force a vendor page is\n"
		"read anyway and marked NOT ADVERTISED: its bytes are what the module returned\n"
		"when asked for it (a CMIS page the module lacks is never selected). Reading\n"
		"clears the latched flags it covers (lower 8-11, page 11h 134-153), as any CMIS\n"
		"host read does.\n"
		"--save FILE writes every advertised page of every bank to FILE as an image that\n"
		"`lbctl decode FILE` reads (\"PAGE OFFSET HEXBYTES\" lines), and prints one line.\n"
		"FILE must not exist (exit 4), unless --overwrite: it is written to a new file\n"
		"beside it first, then put in place, so a symlink at FILE is never followed.\n"
		"--json: {\"port\", \"name\", \"lower\": HEX, \"pages\": {BANK: {PAGE: HEX}}}, with\n"
		"--force also \"not_advertised\": [{\"bank\": B, \"page\": \"PP\"}] for a page read\n"
		"so; with --save {\"port\", \"name\", \"saved\": FILE, \"pages\": N}.\n");
	return LBCTL_EXIT_OK;
}

struct dump_page {
	uint8_t bank, page;
	bool advertised;
	bool missing; /* advertised, but the module refused to map it (LB_E_NOTSUP) */
	uint8_t data[128];
};

static void hex_block(FILE *f, const uint8_t *b, unsigned base)
{
	fprintf(f, "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n");
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "%02x: ", base + 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%02x ", b[16 * r + i]);
		fprintf(f, "   ");
		for (unsigned i = 0; i < 16; i++) {
			uint8_t c = b[16 * r + i];
			fputc(c >= 0x20 && c <= 0x7e ? c : '.', f);
		}
		fputc('\n', f);
	}
}

static json_t *hex_string(const uint8_t *b)
{
	char s[257];

	for (unsigned i = 0; i < 128; i++)
		snprintf(&s[2 * i], 3, "%02x", b[i]);
	return json_string(s);
}

/* CMIS 5.x banks the lane, VDM and C-CMIS pages and the CDB pages; the rest ignore 126. */
static bool page_is_banked(unsigned page)
{
	return (page >= 0x10 && page <= 0x3F) || page == 0x9F || (page >= 0xA0 && page <= 0xAF);
}

/*
 * 1 when the module advertises (bank, page), 0 when not, negative status. CMIS pages as page
 * 01h advertises them; a vendor page (B0h-FFh), which CMIS leaves to the module, when the
 * module's extension names it (the library would let a host read any of them).
 */
static int page_advertised(struct lb_module *m, uint8_t bank, uint8_t page)
{
	if (page < 0xB0)
		return lb_module_page_supported(m, bank, page);
	uint8_t vendor[80];
	size_t n = 0;
	int rc = lb_module_list_vendor_pages(m, vendor, sizeof(vendor), &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && i < sizeof(vendor); i++)
		if (vendor[i] == page)
			return 1;
	return 0;
}

static int add_page(struct dump_page **pg, unsigned *cnt, unsigned *cap, uint8_t bank,
		    uint8_t page, bool advertised)
{
	if (*cnt == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		struct dump_page *np = realloc(*pg, *cap * sizeof(**pg));
		if (!np)
			return LB_E_NOMEM;
		*pg = np;
	}
	(*pg)[*cnt].bank = bank;
	(*pg)[*cnt].page = page;
	(*pg)[*cnt].advertised = advertised;
	(*pg)[*cnt].missing = false;
	(*cnt)++;
	return LB_OK;
}

/* Every advertised (bank, page) below B0h. */
static int list_pages(struct lb_module *m, struct dump_page **out, unsigned *n)
{
	struct dump_page *pg = NULL;
	unsigned cnt = 0, cap = 0;

	for (unsigned p = 0; p <= 0xAFu; p++) {
		unsigned last_bank = page_is_banked(p) ? 7u : 0u;
		for (unsigned b = 0; b <= last_bank; b++) {
			int rc = lb_module_page_supported(m, (uint8_t)b, (uint8_t)p);
			if (rc == 0)
				break; /* banks are advertised from 0 up */
			if (rc < 0 || (rc = add_page(&pg, &cnt, &cap, (uint8_t)b, (uint8_t)p, true))) {
				free(pg);
				return rc;
			}
		}
	}
	*out = pg;
	*n = cnt;
	return LB_OK;
}

/*
 * The pages one by one, after the one plan failed as a page advertised by the library's rules
 * is one the module does not map (it left page 00h in force): those are marked missing and
 * said so, the rest dumped. Only on that failure: a sound module costs no extra transaction.
 */
static int read_each(struct lb_module *m, struct lb_mem_range *r, struct dump_page *pg, unsigned n)
{
	int rc = lb_module_read_ranges(m, r, 1);
	for (unsigned i = 0; i < n && !rc; i++) {
		rc = lb_module_read_ranges(m, &r[i + 1], 1);
		if (rc == LB_E_NOTSUP) {
			pg[i].missing = true;
			rc = LB_OK;
		}
	}
	return rc;
}

enum { OPT_PAGE, OPT_BANK, OPT_FORCE, OPT_SAVE, OPT_OVERWRITE };
static const struct lbctl_opt dump_opts[] = {
	[OPT_PAGE] = { "page", "P", 0 },
	[OPT_BANK] = { "bank", "B", 0 },
	[OPT_FORCE] = { "force", NULL, 0 },
	[OPT_SAVE] = { "save", "FILE", 0 },
	[OPT_OVERWRITE] = { "overwrite", NULL, 0 },
	{ NULL, NULL, 0 },
};

/* Vendor, part and serial number from page 00h, for the saved file's title. */
static void field(char *out, size_t len, const uint8_t *p00, unsigned from, unsigned n)
{
	size_t k = 0;
	for (unsigned i = 0; i < n && k + 1 < len; i++) {
		uint8_t c = p00[from - 128 + i];
		out[k++] = c >= 0x20 && c <= 0x7e ? (char)c : '?';
	}
	while (k && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
}

static int save(struct lbctl *app, bool json, const struct lb_port_info *info, const char *path,
		bool overwrite, const uint8_t *lower, const struct dump_page *pg, unsigned n)
{
	struct lbctl_image_page *ip = calloc(n ? n : 1, sizeof(*ip));
	if (!ip)
		return lbctl_fail(app, LB_E_NOMEM, "dump");
	const uint8_t *p00 = NULL;
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (pg[i].missing)
			continue;
		ip[k++] = (struct lbctl_image_page){ pg[i].bank, pg[i].page, pg[i].data };
		if (pg[i].page == 0)
			p00 = pg[i].data;
	}
	n = k;
	char vendor[20] = "", pn[20] = "", sn[20] = "", title[256], why[256];
	if (p00) {
		field(vendor, sizeof(vendor), p00, 129, 16);
		field(pn, sizeof(pn), p00, 148, 16);
		field(sn, sizeof(sn), p00, 166, 16);
	}
	snprintf(title, sizeof(title), "lbctl dump --save: port %u (%s): %s %s, SN %s", info->port,
		 info->name, vendor, pn, sn);
	int rc = lbctl_image_save(path, overwrite, title, lower, ip, n, why, sizeof(why));
	free(ip);
	if (rc) {
		fprintf(app->err, "lbctl: dump: port %u: saving to %s: %s\n", info->port, path, why);
		return LBCTL_EXIT_INPUT;
	}
	if (json)
		return lbctl_json_emit(app, json_pack("{s:i, s:s, s:s, s:i}", "port", (int)info->port,
						      "name", info->name, "saved", path, "pages",
						      (int)n));
	fprintf(app->out, "port %u (%s): lower memory and %u page%s saved to %s\n", info->port,
		info->name, n, n == 1 ? "" : "s", path);
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_dump(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex0 = lbctl_parse(app, argc, argv, dump_opts, 1, 1, "PORT", &cl);
	if (ex0 == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex0)
		return ex0;
	const char *port_arg = cl.pos[0], *save_path = cl.value[OPT_SAVE];
	bool one = cl.given[OPT_PAGE], force = cl.given[OPT_FORCE], json = cl.json;
	unsigned page = 0, bank = 0;
	unsigned long v;
	if (one) {
		if (!lbctl_parse_uint(cl.value[OPT_PAGE], 16, 0xFFu, &v))
			return lbctl_usage_error(app, "dump: bad page '%s'", cl.value[OPT_PAGE]);
		page = (unsigned)v;
	}
	if (cl.given[OPT_BANK]) {
		if (!lbctl_parse_uint(cl.value[OPT_BANK], 0, 7u, &v))
			return lbctl_usage_error(app, "dump: bad bank '%s'", cl.value[OPT_BANK]);
		bank = (unsigned)v;
	}
	if (bank && !one)
		return lbctl_usage_error(app, "dump: --bank needs --page");
	if (force && !one)
		return lbctl_usage_error(app, "dump: --force needs --page");
	if (save_path && one)
		return lbctl_usage_error(app, "dump: --save writes every page: not with --page");
	if (cl.given[OPT_OVERWRITE] && !save_path)
		return lbctl_usage_error(app, "dump: --overwrite needs --save");
	if (save_path && !*save_path)
		return lbctl_usage_error(app, "dump: --save needs a file name");

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], port_arg, &info, &m);
	if (ex)
		return ex;
	int rc;

	struct dump_page *pg = NULL;
	unsigned n = 0, cap = 0;
	if (one) {
		rc = page_advertised(m, (uint8_t)bank, (uint8_t)page);
		if (rc < 0)
			return lbctl_fail(app, rc, "dump: port %u: bank %u page %02Xh", info.port, bank,
					  page);
		bool advertised = rc == 1;
		if (!advertised && (!force || page < 0xB0)) {
			/* Refused, never read: a module answers an absent page with another's bytes. */
			fprintf(app->err, "lbctl: dump: port %u: page %02Xh of bank %u is not advertised "
					  "by the module (%s)\n",
				info.port, page, bank,
				force ? "--force reads vendor pages B0h-FFh only: the library never "
					"selects a CMIS page the module does not advertise"
				      : "--force reads a vendor page anyway");
			return LBCTL_EXIT_REFUSED;
		}
		if ((rc = add_page(&pg, &n, &cap, (uint8_t)bank, (uint8_t)page, advertised)))
			return lbctl_fail(app, rc, "dump");
	} else if ((rc = list_pages(m, &pg, &n))) {
		return lbctl_fail(app, rc, "dump: port %u", info.port);
	}
	/* One plan for everything: each page selected once, in the planner's order. */
	/* Filled by the read below; zeroed as -fanalyzer cannot see that from here. */
	uint8_t lower[128] = { 0 };
	struct lb_mem_range *r = calloc(n + 1, sizeof(*r));
	if (!r) {
		free(pg);
		return lbctl_fail(app, LB_E_NOMEM, "dump");
	}
	r[0] = (struct lb_mem_range){ .offset = 0, .len = 128, .buf = lower };
	for (unsigned i = 0; i < n; i++)
		r[i + 1] = (struct lb_mem_range){ .bank = pg[i].bank, .page = pg[i].page,
						  .offset = 128, .len = 128, .buf = pg[i].data };
	rc = lb_module_read_ranges(m, r, n + 1);
	if (rc == LB_E_NOTSUP && !one)
		rc = read_each(m, r, pg, n);
	free(r);
	if (rc) {
		free(pg);
		return lbctl_fail(app, rc, "dump: port %u", info.port);
	}

	if (save_path) {
		ex = save(app, json, &info, save_path, cl.given[OPT_OVERWRITE], lower, pg, n);
		free(pg);
		return ex;
	}
	if (json) {
		json_t *o = json_object(), *pages = json_object();
		json_object_set_new(o, "port", json_integer(info.port));
		json_object_set_new(o, "name", json_string(info.name));
		json_object_set_new(o, "lower", hex_string(lower));
		for (unsigned i = 0; i < n; i++) {
			char bk[8], pk[8];
			if (pg[i].missing)
				continue;
			snprintf(bk, sizeof(bk), "%u", pg[i].bank);
			snprintf(pk, sizeof(pk), "%02X", pg[i].page);
			json_t *b = json_object_get(pages, bk);
			if (!b) {
				b = json_object();
				json_object_set_new(pages, bk, b);
			}
			json_object_set_new(b, pk, hex_string(pg[i].data));
		}
		json_object_set_new(o, "pages", pages);
		json_t *na = NULL;
		for (unsigned i = 0; i < n; i++) {
			if (pg[i].advertised)
				continue;
			char pk[8];
			snprintf(pk, sizeof(pk), "%02X", pg[i].page);
			if (!na)
				na = json_array();
			json_array_append_new(na, json_pack("{s:i, s:s}", "bank", (int)pg[i].bank,
							    "page", pk));
		}
		if (na)
			json_object_set_new(o, "not_advertised", na);
		json_t *miss = NULL;
		for (unsigned i = 0; i < n; i++) {
			if (!pg[i].missing)
				continue;
			char pk[8];
			snprintf(pk, sizeof(pk), "%02X", pg[i].page);
			if (!miss)
				miss = json_array();
			json_array_append_new(miss, json_pack("{s:i, s:s}", "bank", (int)pg[i].bank,
							      "page", pk));
		}
		if (miss)
			json_object_set_new(o, "missing", miss);
		free(pg);
		return lbctl_json_emit(app, o);
	} else {
		fprintf(app->out, "Port %u (%s): lower memory, bytes 0-127\n", info.port, info.name);
		hex_block(app->out, lower, 0);
		for (unsigned i = 0; i < n; i++) {
			if (pg[i].missing) {
				fprintf(app->out, "\n# bank %u, page %02Xh: advertised, but the module "
						  "does not map it\n", pg[i].bank, pg[i].page);
				continue;
			}
			fprintf(app->out, "\nPort %u (%s): bank %u, page %02Xh, bytes 128-255%s\n", info.port,
				info.name, pg[i].bank, pg[i].page,
				pg[i].advertised ? ""
						 : ": NOT ADVERTISED by the module; the bytes it returned "
						   "when asked for it");
			hex_block(app->out, pg[i].data, 128);
		}
	}
	free(pg);
	return LBCTL_EXIT_OK;
}
