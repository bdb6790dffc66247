/* SPDX-License-Identifier: MIT */
/*
 * lbctl dump PORT [--page P] [--bank B]: module memory as hex, laid out like i2cdump
 * (lower memory, then the page asked for or every page the module advertises), or --json
 * with each page as one hex string keyed by bank and page.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl dump PORT [--page P] [--bank B] [--json]\n\n"
		"Hex dump of module memory, like i2cdump: lower memory (bytes 0-127) and then\n"
		"page P (hex, e.g. 11 or 0x11) of bank B (default 0), or, without --page, every\n"
		"page the module advertises in page 01h, in every bank it has (vendor pages\n"
		"B0h-FFh only when asked for by --page). Only advertised pages are read: a\n"
		"module may answer anything for the others. Reading clears the latched flags\n"
		"it covers (lower 8-11, page 11h 134-153), as any CMIS host read does.\n"
		"--json: {\"lower\": HEX, \"pages\": {BANK: {PAGE: HEX}}}.\n");
	return LBCTL_EXIT_OK;
}

struct dump_page {
	uint8_t bank, page;
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

/* The pages to read: the one asked for, or every advertised (bank, page) below B0h. */
static int list_pages(struct lb_module *m, bool one, uint8_t bank, uint8_t page,
		      struct dump_page **out, unsigned *n)
{
	struct dump_page *pg = NULL;
	unsigned cnt = 0, cap = 0;

	for (unsigned p = one ? page : 0; p <= (one ? page : 0xAFu); p++) {
		unsigned last_bank = one ? bank : page_is_banked(p) ? 7u : 0u;
		for (unsigned b = one ? bank : 0; b <= last_bank; b++) {
			int rc = lb_module_page_supported(m, (uint8_t)b, (uint8_t)p);
			if (rc < 0) {
				free(pg);
				return rc;
			}
			if (!rc) {
				if (one) {
					free(pg);
					return LB_E_NOTSUP;
				}
				break; /* banks are advertised from 0 up */
			}
			if (cnt == cap) {
				cap = cap ? 2 * cap : 16;
				struct dump_page *np = realloc(pg, cap * sizeof(*pg));
				if (!np) {
					free(pg);
					return LB_E_NOMEM;
				}
				pg = np;
			}
			pg[cnt].bank = (uint8_t)b;
			pg[cnt].page = (uint8_t)p;
			cnt++;
		}
	}
	*out = pg;
	*n = cnt;
	return LB_OK;
}

int lbctl_cmd_dump(struct lbctl *app, int argc, char **argv)
{
	if (lbctl_wants_help(argc, argv))
		return usage(app);
	const char *port_arg = NULL;
	bool one = false;
	unsigned page = 0, bank = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			app->json = true;
		} else if (strcmp(argv[i], "--page") == 0 || strcmp(argv[i], "--bank") == 0) {
			bool is_page = argv[i][2] == 'p';
			if (i + 1 >= argc)
				return lbctl_usage_error(app, "dump: %s needs a value", argv[i]);
			unsigned long v;
			if (!lbctl_parse_uint(argv[i + 1], is_page ? 16 : 0, is_page ? 0xFFu : 7u, &v))
				return lbctl_usage_error(app, "dump: bad %s '%s'",
							 is_page ? "page" : "bank", argv[i + 1]);
			if (is_page) {
				page = (unsigned)v;
				one = true;
			} else {
				bank = (unsigned)v;
			}
			i++;
		} else if (argv[i][0] == '-' || port_arg) {
			return lbctl_usage_error(app, "dump: unexpected argument '%s'", argv[i]);
		} else {
			port_arg = argv[i];
		}
	}
	if (!port_arg)
		return lbctl_usage_error(app, "dump: expected PORT (see lbctl dump --help)");
	if (bank && !one)
		return lbctl_usage_error(app, "dump: --bank needs --page");

	struct lb_port_info info;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], port_arg, &info, &m);
	if (ex)
		return ex;
	int rc;

	struct dump_page *pg = NULL;
	unsigned n = 0;
	if ((rc = list_pages(m, one, (uint8_t)bank, (uint8_t)page, &pg, &n)))
		return lbctl_fail(app, rc, "dump: port %u: bank %u page %02Xh", info.port, bank, page);
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
	free(r);
	if (rc) {
		free(pg);
		return lbctl_fail(app, rc, "dump: port %u", info.port);
	}

	if (app->json) {
		json_t *o = json_object(), *pages = json_object();
		json_object_set_new(o, "port", json_integer(info.port));
		json_object_set_new(o, "name", json_string(info.name));
		json_object_set_new(o, "lower", hex_string(lower));
		for (unsigned i = 0; i < n; i++) {
			char bk[8], pk[8];
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
		char *text = json_dumps(o, JSON_INDENT(2));
		fprintf(app->out, "%s\n", text ? text : "{}");
		free(text);
		json_decref(o);
	} else {
		fprintf(app->out, "Port %u (%s): lower memory, bytes 0-127\n", info.port, info.name);
		hex_block(app->out, lower, 0);
		for (unsigned i = 0; i < n; i++) {
			fprintf(app->out, "\nPort %u (%s): bank %u, page %02Xh, bytes 128-255\n", info.port,
				info.name, pg[i].bank, pg[i].page);
			hex_block(app->out, pg[i].data, 128);
		}
	}
	free(pg);
	return LBCTL_EXIT_OK;
}
