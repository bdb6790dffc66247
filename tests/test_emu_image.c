/* SPDX-License-Identifier: MIT */
/*
 * Images: every shared test image loads, bytes as in the file, recorded pages served whatever
 * the advertisement says, other pages as advertised, states kept.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "emu_fixture.h"
#include "image_file.h"
#include "test_run.h"

#define MODULES_DIR LB_TESTDATA_DIR "/modules"

struct file_image {
	uint8_t lower[128];
	uint8_t pg[256][128];
	bool has[256];
};

/* An independent reader of the text format (for comparison). */
static void read_text(const char *path, struct file_image *im)
{
	memset(im, 0, sizeof(*im));
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[256];
	while (fgets(line, sizeof(line), f)) {
		char page[8], hex[40];
		int off;
		if (line[0] == '#' || sscanf(line, "%7s %d %39s", page, &off, hex) != 3)
			continue;
		uint8_t *dst;
		if (!strcmp(page, "-1")) {
			dst = &im->lower[off];
		} else {
			unsigned p = (unsigned)strtoul(page, NULL, 16);
			im->has[p] = true;
			dst = &im->pg[p][off - 128];
		}
		for (int i = 0; i < 16; i++) {
			unsigned b;
			sscanf(&hex[2 * i], "%2x", &b);
			dst[i] = (uint8_t)b;
		}
	}
	fclose(f);
}

/* Which pages the image's advertisement creates (CMIS 01h:142, 145.3, 155.6, 163; 2Fh:128). */
static bool advertised(const struct file_image *im, unsigned p)
{
	const uint8_t *a = im->pg[1];
	if (p == 0)
		return true;
	if (im->lower[2] & 0x80)
		return false;
	unsigned b142 = a[142 - 128], groups = (im->pg[0x2F][0] & 3u) + 1u;
	switch (p) {
	case 0x01: case 0x02: case 0x10: case 0x11: return true;
	case 0x03: return b142 & 0x04;
	case 0x04: case 0x12: return a[155 - 128] & 0x40;
	case 0x05: return b142 & 0x08;
	case 0x13: case 0x14: return b142 & 0x20;
	case 0x15: return a[145 - 128] & 0x08;
	case 0x16: case 0x17: return b142 & 0x80;
	case 0x2C: case 0x2D: case 0x2F: return b142 & 0x40;
	case 0x9F: return ((a[163 - 128] >> 6) & 3) == 1 || ((a[163 - 128] >> 6) & 3) == 2;
	default: break;
	}
	if (p >= 0x20 && p <= 0x2B)
		return (b142 & 0x40) && (p & 3) < groups;
	if (p >= 0x30 && p <= 0x4F) {
		static const uint8_t cc[] = { 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x38, 0x3A, 0x3B,
					      0x41, 0x42, 0x43, 0x45 };
		for (size_t i = 0; i < sizeof(cc); i++)
			if (cc[i] == p)
				return b142 & 0x10;
		return false;
	}
	if (p >= 0xA0 && p <= 0xAF) {
		static const unsigned epl[16] = { 0, 1, 2, 3, 4, 8, 12, 16 };
		unsigned inst = (a[163 - 128] >> 6) & 3;
		return (inst == 1 || inst == 2) && p - 0xA0 < epl[a[163 - 128] & 0xF];
	}
	return false;
}

/* The shared images' folder is MODULES_DIR: present, or the case fails or is skipped. */
static void need_testdata(void)
{
	lb_test_modules_dir();
}

static void test_real_images_every_image(void **state)
{
	(void)state;
	need_testdata();
	DIR *d = opendir(MODULES_DIR);
	assert_non_null(d);
	struct file_image *im = malloc(sizeof(*im));
	assert_non_null(im);
	struct dirent *e;
	unsigned n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt"))
			continue;
		char path[512], err[256] = "";
		snprintf(path, sizeof(path), "%s/%s", MODULES_DIR, e->d_name);
		read_text(path, im);
		struct lb_emu_world *w;
		struct lb_emu_module *m;
		assert_int_equal(lb_emu_world_create(&w), LB_OK);
		int rc = lb_emu_module_create_from_image(w, path, &m, err, sizeof(err));
		if (rc)
			print_error("%s: %s\n", e->d_name, err);
		assert_int_equal(rc, LB_OK);
		uint8_t buf[128];
		assert_int_equal(lb_emu_module_peek(m, 0, 0, 0, buf, 128), LB_OK);
		assert_memory_equal(buf, im->lower, 128);
		im->has[0] = true;
		for (unsigned p = 0; p < 256; p++) {
			rc = lb_emu_module_peek(m, 0, (uint8_t)p, 128, buf, 128);
			if (!advertised(im, p) && !im->has[p]) {
				if (rc != LB_E_NOTFOUND)
					print_error("%s: page %02Xh exists but is neither advertised nor "
						    "recorded\n", e->d_name, p);
				assert_int_equal(rc, LB_E_NOTFOUND);
				continue;
			}
			assert_int_equal(rc, LB_OK);
			if (im->has[p]) /* bytes identical to the file (checksums not recomputed) */
				assert_memory_equal(buf, im->pg[p], 128);
		}
		/* the state machines run from the image's state */
		int st = (im->lower[3] >> 1) & 7;
		lb_emu_world_advance_ns(w, 60ull * 1000 * MS_NS);
		assert_int_equal(lb_emu_module_state(m), st);
		if (st == 3 && !(im->pg[0x10][0] | im->pg[0x10][2]))
			assert_int_equal(lb_emu_module_dp_state(m, 1), 4);
		lb_emu_world_destroy(w);
		n++;
	}
	closedir(d);
	free(im);
	assert_true(n >= 8);
}

static void test_real_images_specifics(void **state)
{
	(void)state;
	need_testdata();
	struct lb_emu_world *w;
	struct lb_emu_module *m;
	char err[256];
	uint8_t v;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	/* 800ZR fixture: its page 00h checksum mismatch is kept; tunable pages exist */
	assert_int_equal(lb_emu_module_create_from_image(w, MODULES_DIR "/acacia-dp08sfp8-800zr-osfp-fboss.txt",
							 &m, err, sizeof(err)), LB_OK);
	assert_string_equal(lb_emu_module_name(m), "acacia-dp08sfp8-800zr-osfp-fboss");
	assert_int_equal(lb_emu_module_peek(m, 0, 0x00, 222, &v, 1), LB_OK);
	assert_int_equal(v, 0x03);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x12, 128, &v, 1), LB_OK);
	lb_emu_module_destroy(m);
	/*
	 * FR4 LPO: the file holds VDM pages 20h-2Fh but 01h:142 (0x04) advertises no VDM: the
	 * recorded pages are served as recorded, the VDM pages it lacks (23h) do not exist.
	 */
	assert_int_equal(lb_emu_module_create_from_image(w, MODULES_DIR "/fboss-2x400g-fr4-lpo-osfp.txt",
							 &m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x20, 128, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x2F, 128, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x23, 128, &v, 1), LB_E_NOTFOUND);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x03, 128, &v, 1), LB_OK);
	/* over the wire: select of a page it neither records nor advertises falls back to 00h */
	struct lb_emu_segment *s;
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	assert_int_equal(lb_emu_segment_attach(s, -1, 0x50, m), LB_OK);
	emu_wr1(s, 127, 0x23);
	assert_int_equal(emu_rd1(s, 127), 0x00);
	emu_wr1(s, 127, 0x20);
	assert_int_equal(emu_rd1(s, 127), 0x20);
	/* FR4-Lite: VDM with three groups (2Fh:128 = 0x02): 20h-22h, 24h-26h, 28h-2Ah; not 23h */
	assert_int_equal(lb_emu_module_create_from_image(w, MODULES_DIR "/fboss-2x400g-fr4-lite-osfp.txt",
							 &m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x22, 128, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x2A, 128, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(m, 0, 0x23, 128, &v, 1), LB_E_NOTFOUND);
	/* it is in ModuleLowPwr and stays there; releasing the LPMode pin powers it up */
	assert_int_equal(lb_emu_module_state(m), 1);
	lb_emu_module_set_lpmode(m, 0);
	assert_int_equal(lb_emu_module_state(m), 2);
	lb_emu_world_destroy(w);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void expect_bad(const char *path, const char *text, const char *want)
{
	struct lb_emu_world *w;
	struct lb_emu_module *m = NULL;
	char err[512] = "", full[600];
	write_file(path, text);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create_from_image(w, path, &m, err, sizeof(err)), LB_E_PARSE);
	snprintf(full, sizeof(full), "%s: %s", path, want);
	if (strncmp(err, full, strlen(full)))
		print_error("got \"%s\"\nwant \"%s\"\n", err, full);
	assert_int_equal(strncmp(err, full, strlen(full)), 0);
	lb_emu_world_destroy(w);
}

static void test_malformed_images(void **state)
{
	(void)state;
	char path[512];
	snprintf(path, sizeof(path), "%s/test_emu_image.tmp.txt", LB_BINARY_DIR);
	char lower[2048] = "", p00[2048] = "";
	for (int r = 0; r < 8; r++) {
		char line[80];
		snprintf(line, sizeof(line), "-1 %d %s\n", 16 * r, r == 0 ? "18500000000000000000000000000000" : "00000000000000000000000000000000");
		strcat(lower, line);
		snprintf(line, sizeof(line), "00 %d 00000000000000000000000000000000\n", 128 + 16 * r);
		strcat(p00, line);
	}
	char text[8192];
	snprintf(text, sizeof(text), "# minimal module\n%s%s", lower, p00);
	/* the good case first: lower + page 00h (paged, advertising nothing else) */
	write_file(path, text);
	struct lb_emu_world *w;
	struct lb_emu_module *m;
	char err[256];
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create_from_image(w, path, &m, err, sizeof(err)), LB_OK);
	lb_emu_world_destroy(w);

	snprintf(text, sizeof(text), "# x\n%s%s00 128 zz\n", lower, p00);
	expect_bad(path, text, "line 18: expected 32 hex digits");
	snprintf(text, sizeof(text), "%s%s11 130 00000000000000000000000000000000\n", lower, p00);
	expect_bad(path, text, "line 17: bad offset \"130\"");
	snprintf(text, sizeof(text), "%s%s11 128 00000000000000000000000000000000\n", lower, p00);
	expect_bad(path, text, "line 17: page 11h incomplete (1 of 8 rows)");
	snprintf(text, sizeof(text), "%s", p00);
	expect_bad(path, text, "line 8: lower memory (PAGE -1) missing");
	snprintf(text, sizeof(text), "%s%s-1 0 00000000000000000000000000000000\n", lower, p00);
	expect_bad(path, text, "line 17: page -1 offset 0 given twice");
	snprintf(text, sizeof(text), "%s\n%sXYZ 128 00000000000000000000000000000000\n", lower, p00);
	expect_bad(path, text, "line 18: bad page \"XYZ\"");
	snprintf(text, sizeof(text), "%s%s00 128 0000\n", lower, p00);
	expect_bad(path, text, "line 17: expected 32 hex digits, got 4");
	snprintf(text, sizeof(text), "-1 0 1850\n");
	expect_bad(path, text, "line 1: expected 32 hex digits");
	remove(path);
}

static void test_real_images_raw_binary(void **state)
{
	(void)state;
	need_testdata();
	struct file_image *im = malloc(sizeof(*im));
	assert_non_null(im);
	read_text(MODULES_DIR "/juniper-740-174932-800g-dr8-osfp.txt", im);
	/* optoe layout: lower, page 00h, then page p at 128 * (p + 1), here up to page 11h */
	size_t size = 128u * (0x11 + 2);
	uint8_t *raw = calloc(1, size);
	assert_non_null(raw);
	memcpy(raw, im->lower, 128);
	for (unsigned p = 0; p <= 0x11; p++)
		if (im->has[p])
			memcpy(raw + 128 * (p + 1), im->pg[p], 128);
	char path[512];
	snprintf(path, sizeof(path), "%s/test_emu_image.tmp.bin", LB_BINARY_DIR);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(raw, 1, size, f), size);
	fclose(f);
	struct lb_emu_world *w;
	struct lb_emu_module *m;
	char err[256] = "";
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create_from_image(w, path, &m, err, sizeof(err)), LB_OK);
	uint8_t buf[128];
	for (unsigned p = 0; p <= 0x11; p++) {
		int rc = lb_emu_module_peek(m, 0, (uint8_t)p, 128, buf, 128);
		if (im->has[p] || p == 0) {
			assert_int_equal(rc, LB_OK);
			assert_memory_equal(buf, p ? im->pg[p] : raw + 128, 128);
		} else {
			assert_int_equal(rc, LB_E_NOTFOUND); /* zero-filled hole, not advertised */
		}
	}
	lb_emu_world_destroy(w);
	/* a raw image of the wrong size */
	f = fopen(path, "wb");
	assert_non_null(f);
	fwrite(raw, 1, 300, f);
	fclose(f);
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_module_create_from_image(w, path, &m, err, sizeof(err)), LB_E_PARSE);
	lb_emu_world_destroy(w);
	remove(path);
	free(raw);
	free(im);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_images_every_image),
		cmocka_unit_test(test_real_images_specifics),
		cmocka_unit_test(test_malformed_images),
		cmocka_unit_test(test_real_images_raw_binary),
	};
	return LB_TEST_RUN(tests, NULL, NULL);
}
