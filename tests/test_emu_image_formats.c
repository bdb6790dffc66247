/* SPDX-License-Identifier: MIT */
/*
 * The image formats the emulator's loader reads (emulator/cmis/image_formats.c): each sample
 * is written here, by the test's own writers, from known bytes, and the module made from it
 * must hold exactly those bytes; malformed samples name their line; every real image written
 * in every format gives the same module as its own file. lb_emu_module_page_in_image tells
 * the pages the file held from those the emulator made up.
 */
#include <stdlib.h>
#include <unistd.h>
#include "emu_fixture.h"
#include "image_file.h"
#include "test_run.h"

#define NB 2u /* banks the synthetic module advertises */

struct img {
	uint8_t lower[128];
	uint8_t pg[NB][256][128];
	bool has[NB][256];
};

static char path[512];

/* A paged CMIS module with two banks: lower, 00h, 01h, 02h, 10h, 11h, and bank 1 of 10h/11h. */
static void synth(struct img *im)
{
	memset(im, 0, sizeof(*im));
	for (unsigned i = 0; i < 128; i++)
		im->lower[i] = (uint8_t)(i * 13 + 7);
	im->lower[0] = 0x18; /* QSFP-DD */
	im->lower[1] = 0x52; /* CMIS 5.2 */
	im->lower[2] = 0x00; /* paged */
	static const uint8_t pages[] = { 0x00, 0x01, 0x02, 0x10, 0x11 };
	for (size_t k = 0; k < sizeof(pages); k++) {
		unsigned p = pages[k];
		for (unsigned b = 0; b < (p >= 0x10 ? NB : 1u); b++) {
			im->has[b][p] = true;
			for (unsigned i = 0; i < 128; i++)
				im->pg[b][p][i] = (uint8_t)(p * 31 + i * 7 + b * 101);
			/* the ascii columns must not confuse a parser: '|', ' ', '#' and hex-like text */
			memcpy(&im->pg[b][p][16], "| 0x11: ab #|", 13);
		}
	}
	im->pg[0][0x01][142 - 128] = 0x01; /* banks 0-1, no optional pages */
	im->pg[0][0x01][155 - 128] = 0x00;
	im->pg[0][0x01][163 - 128] = 0x00;
}

static FILE *open_out(void)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	return f;
}

static void ascii(FILE *f, const uint8_t *b)
{
	for (unsigned i = 0; i < 16; i++)
		fputc(b[i] >= 0x20 && b[i] <= 0x7e ? b[i] : '.', f);
}

/* ---- writers, one per format, from the documentation of each tool's output ---- */

static void write_pages_text(const struct img *im, bool banks)
{
	FILE *f = open_out();
	fprintf(f, "# synthetic\n");
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "-1 %u ", 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%02x", im->lower[16 * r + i]);
		fputc('\n', f);
	}
	for (unsigned b = 0; b < (banks ? NB : 1u); b++)
		for (unsigned p = 0; p < 256; p++) {
			if (!im->has[b][p])
				continue;
			for (unsigned r = 0; r < 8; r++) {
				if (b)
					fprintf(f, "%u:%02X %u ", b, p, 128 + 16 * r);
				else
					fprintf(f, "%02X %u ", p, 128 + 16 * r);
				for (unsigned i = 0; i < 16; i++)
					fprintf(f, "%02X", im->pg[b][p][16 * r + i]);
				fputc('\n', f);
			}
		}
	fclose(f);
}

/* lbctl dump: headings per page, a column heading, "80: " rows with an ascii column. */
static void lbctl_block(FILE *f, const uint8_t *b, unsigned base)
{
	fprintf(f, "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n");
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "%02x: ", base + 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%02x ", b[16 * r + i]);
		fprintf(f, "   ");
		ascii(f, &b[16 * r]);
		fputc('\n', f);
	}
}

static void write_lbctl_dump(const struct img *im)
{
	FILE *f = open_out();
	fprintf(f, "Port 3 (Ethernet16): lower memory, bytes 0-127\n");
	lbctl_block(f, im->lower, 0);
	for (unsigned p = 0; p < 256; p++)
		for (unsigned b = 0; b < NB; b++) {
			if (!im->has[b][p])
				continue;
			fprintf(f, "\nPort 3 (Ethernet16): bank %u, page %02Xh, bytes 128-255\n", b, p);
			lbctl_block(f, im->pg[b][p], 128);
		}
	fclose(f);
}

/* ethtool's dump_hex: "Offset\t\tValues", "------\t\t------", "0x%04x:\t\t" + "%02x " each. */
static void ethtool_rows(FILE *f, const uint8_t *b, unsigned len, unsigned offset)
{
	fprintf(f, "Offset\t\tValues\n------\t\t------");
	for (unsigned i = 0; i < len; i++) {
		if (i % 16 == 0)
			fprintf(f, "\n0x%04x:\t\t", i + offset);
		fprintf(f, "%02x ", b[i]);
	}
	fprintf(f, "\n");
}

/* The ioctl path: one linear buffer, page p at 128 * (p + 1). */
static void write_ethtool_linear(const struct img *im, unsigned last_page)
{
	size_t size = 128u * (last_page + 2);
	uint8_t *buf = calloc(1, size);
	assert_non_null(buf);
	memcpy(buf, im->lower, 128);
	for (unsigned p = 0; p <= last_page; p++)
		if (im->has[0][p])
			memcpy(buf + 128 * (p + 1), im->pg[0][p], 128);
	FILE *f = open_out();
	/* a linear dump covers every page up to the last: holes are pages of zeros */
	ethtool_rows(f, buf, (unsigned)size, 0);
	fclose(f);
	free(buf);
}

/* One dump per page, each under a heading naming page and bank. */
static void write_ethtool_paged(const struct img *im)
{
	FILE *f = open_out();
	uint8_t low[256];
	memcpy(low, im->lower, 128);
	memcpy(low + 128, im->pg[0][0], 128);
	fprintf(f, "Page: 0x00, Bank: 0\n");
	ethtool_rows(f, low, 256, 0);
	for (unsigned p = 1; p < 256; p++)
		for (unsigned b = 0; b < NB; b++) {
			if (!im->has[b][p])
				continue;
			fprintf(f, "\nPage: 0x%02x, Bank: %u\n", p, b);
			ethtool_rows(f, im->pg[b][p], 128, 128);
		}
	fclose(f);
}

/* sfputil's hexdump(): indent, "%08x", 8 bytes, two spaces, 8 bytes, " |ascii|". */
static void sonic_rows(FILE *f, const uint8_t *b, unsigned addr)
{
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "        %08x", addr + 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%s%02x", i == 8 ? "  " : " ", b[16 * r + i]);
		fprintf(f, " |");
		ascii(f, &b[16 * r]);
		fprintf(f, "|\n");
	}
}

static void write_sonic(const struct img *im)
{
	FILE *f = open_out();
	fprintf(f, "EEPROM hexdump for port Ethernet0\n        Lower page 0h\n");
	sonic_rows(f, im->lower, 0);
	fprintf(f, "\n        Upper page 0h\n");
	sonic_rows(f, im->pg[0][0], 128);
	for (unsigned p = 1; p < 256; p++) {
		if (!im->has[0][p])
			continue;
		fprintf(f, "\n        Upper page %xh\n", p);
		sonic_rows(f, im->pg[0][p], 128);
	}
	fprintf(f, "\n");
	fclose(f);
}

static void write_raw(const struct img *im, unsigned last_page)
{
	size_t size = 128u * (last_page + 2);
	uint8_t *buf = calloc(1, size);
	assert_non_null(buf);
	memcpy(buf, im->lower, 128);
	for (unsigned p = 0; p <= last_page; p++)
		if (im->has[0][p])
			memcpy(buf + 128 * (p + 1), im->pg[0][p], 128);
	FILE *f = open_out();
	assert_int_equal(fwrite(buf, 1, size, f), size);
	fclose(f);
	free(buf);
}

/* ---- checks ---- */

static struct lb_emu_module *load(struct lb_emu_world *w)
{
	struct lb_emu_module *m;
	char err[256] = "";
	int rc = lb_emu_module_create_from_image(w, path, &m, err, sizeof(err));
	if (rc)
		fail_msg("%s: %s", path, err);
	return m;
}

/* The module holds every byte of im that the format carried (banks: whether it carries them). */
static void expect_module(const struct img *im, bool banks)
{
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_module *m = load(w);
	uint8_t buf[128];
	assert_int_equal(lb_emu_module_peek(m, 0, 0, 0, buf, 128), LB_OK);
	assert_memory_equal(buf, im->lower, 128);
	for (unsigned b = 0; b < NB; b++)
		for (unsigned p = 0; p < 256; p++) {
			if (!im->has[b][p])
				continue;
			bool carried = b == 0 || banks;
			assert_int_equal(lb_emu_module_peek(m, (uint8_t)b, (uint8_t)p, 128, buf, 128),
					 LB_OK);
			/* a bank the format cannot carry is bank 0's copy, and said to be made up */
			assert_memory_equal(buf, carried ? im->pg[b][p] : im->pg[0][p], 128);
			assert_int_equal(lb_emu_module_page_in_image(m, (uint8_t)b, (uint8_t)p),
					 carried ? 1 : 0);
		}
	lb_emu_world_destroy(w);
}

static void expect_bad(const char *want)
{
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[256] = "";
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	int rc = lb_emu_module_create_from_image(w, path, &m, err, sizeof(err));
	if (rc != LB_E_PARSE || !strstr(err, want))
		fail_msg("rc %d, \"%s\", want LB_E_PARSE and \"%s\"", rc, err, want);
	lb_emu_world_destroy(w);
}

static void put_text(const char *text)
{
	FILE *f = open_out();
	fputs(text, f);
	fclose(f);
}

/* A file written in a format, then one line of it replaced (1-based) by line. */
static void replace_line(unsigned n, const char *line)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 17], out[1 << 17];
	size_t len = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[len] = '\0';
	out[0] = '\0';
	unsigned k = 1;
	for (char *s = text, *nl; *s; s = nl + 1, k++) {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		*nl = '\0';
		strcat(out, k == n ? line : s);
		strcat(out, "\n");
	}
	put_text(out);
}

static void test_pages_text_with_banks(void **state)
{
	(void)state;
	struct img *im = malloc(sizeof(*im));
	assert_non_null(im);
	synth(im);
	write_pages_text(im, true);
	expect_module(im, true);
	write_pages_text(im, false);
	expect_module(im, false);
	/* bank mistakes name their line */
	write_pages_text(im, true);
	replace_line(2 + 8 * 6, "4:11 128 00000000000000000000000000000000");
	expect_bad("line 50: bad bank in \"4:11\"");
	write_pages_text(im, true);
	replace_line(2 + 8 * 6, "1:01 128 00000000000000000000000000000000");
	expect_bad("line 50: bank 1 of page 01h: only pages 10h-FFh have banks");
	free(im);
}

static void test_lbctl_dump_text(void **state)
{
	(void)state;
	struct img *im = malloc(sizeof(*im));
	assert_non_null(im);
	synth(im);
	write_lbctl_dump(im);
	expect_module(im, true);
	/* line 4 is the row "20: ..." of lower memory */
	replace_line(5, "30: 00 01 02 zz 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f    ................");
	expect_bad("line 5: not a hex byte in column 3");
	write_lbctl_dump(im);
	replace_line(5, "");
	expect_bad("lower memory incomplete (7 of 8 rows)");
	free(im);
}

static void test_ethtool_hex(void **state)
{
	(void)state;
	struct img *im = malloc(sizeof(*im));
	assert_non_null(im);
	synth(im);
	write_ethtool_linear(im, 0x11);
	/* the linear dump carries pages 03h-0Fh as zeros: they are in the file, so held */
	expect_module(im, false);
	write_ethtool_paged(im);
	expect_module(im, true);
	/* a row cut short */
	write_ethtool_linear(im, 0x11);
	replace_line(4, "0x0010:\t\t00 11 ");
	expect_bad("line 4: a row of 2 bytes");
	write_ethtool_linear(im, 0x11);
	replace_line(4, "0x0010\t\t00 11 22");
	expect_bad("line 4: bad offset");
	/* ethtool -m DEV hex on of a 256-byte EEPROM: lower memory and page 00h alone */
	write_ethtool_linear(im, 0);
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_module *m = load(w);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x00), 1);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x01), 0);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x11), 0);
	lb_emu_world_destroy(w);
	free(im);
}

static void test_sonic_hexdump(void **state)
{
	(void)state;
	struct img *im = malloc(sizeof(*im));
	assert_non_null(im);
	synth(im);
	write_sonic(im);
	expect_module(im, false);
	replace_line(3, "        00000000 18 52");
	expect_bad("line 3: a row of 2 bytes");
	put_text("EEPROM hexdump for port Ethernet0\n        A0h dump\n");
	expect_bad("line 2: an SFF-8472 (SFP) dump: not a CMIS module image");
	write_sonic(im);
	FILE *f = fopen(path, "a");
	assert_non_null(f);
	fputs("EEPROM hexdump for port Ethernet4\n", f);
	fclose(f);
	expect_bad("a second port: one image a file");
	free(im);
}

static void test_raw_binary(void **state)
{
	(void)state;
	struct img *im = malloc(sizeof(*im));
	assert_non_null(im);
	synth(im);
	write_raw(im, 0x11);
	expect_module(im, false);
	/* `ethtool -m DEV raw on` of 256 bytes: no page 01h in the file */
	write_raw(im, 0);
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_module *m = load(w);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x01), 0);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x02), 0);
	assert_int_equal(lb_emu_module_page_in_image(m, 3, 0x00), 1); /* unbanked: as bank 0 */
	lb_emu_world_destroy(w);
	/* in a linear layout a page of zeros is a hole the dump left, not a recorded page */
	im->has[0][0x02] = false;
	write_raw(im, 0x11);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	m = load(w);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x02), 0);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x10), 1);
	lb_emu_world_destroy(w);
	write_ethtool_linear(im, 0x11);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	m = load(w);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x02), 0);
	assert_int_equal(lb_emu_module_page_in_image(m, 0, 0x11), 1);
	lb_emu_world_destroy(w);
	/* a module from a profile has no image: the question does not apply */
	struct emu_fx fx;
	fx_open_ex(&fx, EMU_PROFILE("400g-fr4-qsfpdd"), 400, false);
	assert_int_equal(lb_emu_module_page_in_image(fx.m, 0, 0x01), LB_E_NOTSUP);
	assert_int_equal(lb_emu_module_page_in_image(NULL, 0, 0x01), LB_E_INVAL);
	lb_emu_world_destroy(fx.w);
	free(im);
}

/* ---- real images: every format gives the module the image's own file gives ---- */

static void from_test_image(const struct lb_test_image *t, struct img *im)
{
	memset(im, 0, sizeof(*im));
	memcpy(im->lower, t->lower, 128);
	for (unsigned p = 0; p < 256; p++)
		if (t->has_page[p]) {
			im->has[0][p] = true;
			memcpy(im->pg[0][p], t->page[p], 128);
		}
}

static unsigned last_page(const struct img *im)
{
	unsigned last = 0;
	for (unsigned p = 0; p < 256; p++)
		if (im->has[0][p])
			last = p;
	return last;
}

/* Same pages, same bytes, bank by bank, as the module made from the original file. */
static void expect_same_module(const char *orig)
{
	struct lb_emu_world *w;
	struct lb_emu_module *a, *b;
	char err[256] = "";
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create_from_image(w, orig, &a, err, sizeof(err)), LB_OK);
	b = load(w);
	uint8_t x[128], y[128];
	for (unsigned bank = 0; bank < 4; bank++)
		for (unsigned p = 0; p < 256; p++) {
			int ra = lb_emu_module_peek(a, (uint8_t)bank, (uint8_t)p, 128, x, 128);
			int rb = lb_emu_module_peek(b, (uint8_t)bank, (uint8_t)p, 128, y, 128);
			if (ra != rb)
				fail_msg("%s as %s: bank %u page %02Xh: %d, not %d", orig, path, bank, p,
					 rb, ra);
			if (ra == LB_OK)
				assert_memory_equal(x, y, 128);
		}
	lb_emu_world_destroy(w);
}

static void test_real_images_every_format(void **state)
{
	(void)state;
	const char *dir = lb_test_modules_dir();
	static const char *const names[] = {
		"acacia-dp08sfp8-800zr-osfp-fboss.txt",   "arista-fb-p800g-2xdr4-osfp-fboss.txt",
		"arista-qdd-400g-xdr4-qsfpdd-fboss.txt",  "cig-trd5h20enf-400g-lr4-10-qsfpdd.txt",
		"credo-cac845301a2nc2xa-800g-aec-osfp.txt", "fboss-2x400g-fr4-lite-osfp.txt",
		"fboss-2x400g-fr4-lpo-osfp.txt",          "juniper-740-174932-800g-dr8-osfp.txt",
	};
	struct lb_test_image *t = malloc(sizeof(*t));
	struct img *im = malloc(sizeof(*im));
	assert_non_null(t);
	assert_non_null(im);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char orig[512];
		lb_test_path(orig, sizeof(orig), dir, names[i]);
		assert_int_equal(lb_test_image_load(orig, t), 0);
		from_test_image(t, im);
		write_pages_text(im, true);
		expect_same_module(orig);
		write_lbctl_dump(im);
		expect_same_module(orig);
		write_ethtool_paged(im);
		expect_same_module(orig);
		write_sonic(im);
		expect_same_module(orig);
		/* linear layouts hold every page up to the last, holes as zeros: only when none */
		bool holes = false;
		for (unsigned p = 0; p <= last_page(im); p++)
			holes = holes || !im->has[0][p];
		if (!holes) {
			write_ethtool_linear(im, last_page(im));
			expect_same_module(orig);
			write_raw(im, last_page(im));
			expect_same_module(orig);
		}
	}
	free(t);
	free(im);
}

int main(void)
{
	/* one file per process: ctest runs the real-image cases as a second test, maybe at once */
	snprintf(path, sizeof(path), "%s/test_emu_image_formats.%ld.tmp", LB_BINARY_DIR,
		 (long)getpid());
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_text_with_banks),
		cmocka_unit_test(test_lbctl_dump_text),
		cmocka_unit_test(test_ethtool_hex),
		cmocka_unit_test(test_sonic_hexdump),
		cmocka_unit_test(test_raw_binary),
		cmocka_unit_test(test_real_images_every_format),
	};
	int rc = LB_TEST_RUN(tests, NULL, NULL);
	remove(path);
	return rc;
}
