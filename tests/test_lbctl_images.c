/* SPDX-License-Identifier: MIT */
/*
 * Images in and out of lbctl, run as a user would: `dump PORT --save FILE` writes an image
 * that `decode FILE` turns back into what `show PORT` prints, safely (no overwrite, no
 * symlink followed); decode reads what `lbctl dump` prints and the other tools' dumps; an
 * image of lower memory and page 00h alone says which sections it cannot show.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "image_file.h"
#include "lbctl_run.h"
#include "test_run.h"

static struct lbctl_run run;

/* The output after its first line (the label: port or file name). */
static const char *body(const char *out)
{
	const char *nl = strchr(out, '\n');
	assert_non_null(nl);
	return nl + 1;
}

static char *in_dir(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", run.dir, name);
	return buf;
}

static void write_file(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void read_file(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t k = fread(buf, 1, n - 1, f);
	buf[k] = '\0';
	fclose(f);
}

static void test_save_then_decode_is_show(void **unused)
{
	(void)unused;
	static char shown[65536];
	char file[256], args[512];
	assert_int_equal(lbctl_run(&run, "--fresh list"), 0);
	for (unsigned port = 1; port <= 6; port++) {
		snprintf(args, sizeof(args), "show %u", port);
		assert_int_equal(lbctl_run(&run, args), 0); /* clears what was latched */
		snprintf(file, sizeof(file), "%s/port%u.img", run.dir, port);
		snprintf(args, sizeof(args), "dump %u --save %s", port, file);
		assert_int_equal(lbctl_run(&run, args), 0);
		assert_non_null(strstr(run.out, "saved to"));
		snprintf(args, sizeof(args), "show %u", port);
		assert_int_equal(lbctl_run(&run, args), 0);
		strcpy(shown, body(run.out));
		snprintf(args, sizeof(args), "decode %s", file);
		assert_int_equal(lbctl_run(&run, args), 0);
		assert_string_equal(body(run.out), shown);
		assert_null(strstr(run.out, "not in the image"));
		/* what `lbctl dump` prints decodes the same */
		snprintf(args, sizeof(args), "dump %u", port);
		assert_int_equal(lbctl_run(&run, args), 0);
		snprintf(file, sizeof(file), "%s/port%u.dump", run.dir, port);
		write_file(file, run.out, strlen(run.out));
		snprintf(args, sizeof(args), "decode %s", file);
		assert_int_equal(lbctl_run(&run, args), 0);
		assert_string_equal(body(run.out), shown);
	}
	/* the six modules hold two banks (port 6) and pages the profile lacks (port 1) */
	char text[16384];
	read_file(in_dir(file, sizeof(file), "port6.img"), text, sizeof(text));
	assert_non_null(strstr(text, "\n1:11 128 "));
	assert_int_equal(lbctl_run(&run, "dump 1 --json --save /dev/null/x"), 4);
	snprintf(args, sizeof(args), "dump 2 --json --save %s", in_dir(file, sizeof(file), "p2.img"));
	assert_int_equal(lbctl_run(&run, args), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 2);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Ethernet8");
	assert_string_equal(json_string_value(json_object_get(o, "saved")), file);
	assert_true(json_integer_value(json_object_get(o, "pages")) > 10);
	assert_non_null(json_object_get(o, "schema"));
	json_decref(o);
}

/* No file but ours is touched: an existing FILE is refused, a symlink never followed. */
static void test_save_is_safe(void **unused)
{
	(void)unused;
	char file[256], target[256], link[256], args[600], text[256];
	in_dir(file, sizeof(file), "exists");
	write_file(file, "precious\n", 9);
	snprintf(args, sizeof(args), "dump 3 --save %s", file);
	assert_int_equal(lbctl_run(&run, args), 4);
	assert_non_null(strstr(run.err, "exists: it exists (--overwrite replaces it)"));
	read_file(file, text, sizeof(text));
	assert_string_equal(text, "precious\n");
	/* a dangling symlink: refused, and nothing created where it points */
	in_dir(target, sizeof(target), "target");
	in_dir(link, sizeof(link), "link");
	assert_int_equal(symlink(target, link), 0);
	snprintf(args, sizeof(args), "dump 3 --save %s", link);
	assert_int_equal(lbctl_run(&run, args), 4);
	struct stat st;
	assert_int_not_equal(lstat(target, &st), 0);
	/* --overwrite replaces the link itself, never writes through it */
	snprintf(args, sizeof(args), "dump 3 --save %s --overwrite", link);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_not_equal(lstat(target, &st), 0);
	snprintf(args, sizeof(args), "dump 3 --overwrite --save=%s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	read_file(file, text, sizeof(text));
	assert_non_null(strstr(text, "# lbctl dump --save: port 3 (Ethernet16)"));
	/* no temporary file left behind */
	DIR *d = opendir(run.dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (strchr(e->d_name, '.') && (!strncmp(e->d_name, "exists.", 7) ||
					       !strncmp(e->d_name, "link.", 5)))
			fail_msg("left behind: %s", e->d_name);
	closedir(d);
	remove(file);
	remove(link);
}

static void test_command_lines(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "dump 1 --save x --page 11"), 2);
	assert_string_equal(run.err, "lbctl: dump: --save writes every page: not with --page\n");
	assert_int_equal(lbctl_run(&run, "dump 1 --overwrite"), 2);
	assert_string_equal(run.err, "lbctl: dump: --overwrite needs --save\n");
	assert_int_equal(lbctl_run(&run, "dump 1 --save"), 2);
	assert_string_equal(run.err,
			    "lbctl: dump: option '--save' needs a value (see lbctl help dump)\n");
	assert_int_equal(lbctl_run(&run, "dump 1 --bogus"), 2);
	assert_string_equal(run.err, "lbctl: dump: unknown option '--bogus' (see lbctl help dump)\n");
	assert_int_equal(lbctl_run(&run, "dump 1 --page=11 --page 12"), 2);
	assert_string_equal(run.err, "lbctl: dump: option '--page' given twice\n");
	assert_int_equal(lbctl_run(&run, "decode"), 2);
	assert_string_equal(run.err, "lbctl: decode: expected FILE (see lbctl help decode)\n");
	assert_int_equal(lbctl_run(&run, "decode --bogus x"), 2);
	assert_string_equal(run.err,
			    "lbctl: decode: unknown option '--bogus' (see lbctl help decode)\n");
	assert_int_equal(lbctl_run(&run, "dump 1 --page 11 --json"), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_non_null(json_object_get(o, "schema"));
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 1);
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "help decode"), 0);
	assert_non_null(strstr(run.out, "sfputil show eeprom-hexdump"));
}

/* Lower memory and page 00h of port 4's module, from its saved image. */
static void lower_and_00h(uint8_t out[256])
{
	char file[256], args[400];
	snprintf(args, sizeof(args), "dump 4 --save %s --overwrite",
		 in_dir(file, sizeof(file), "port4.full"));
	assert_int_equal(lbctl_run(&run, args), 0);
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	char line[128];
	unsigned rows = 0;
	while (fgets(line, sizeof(line), f)) {
		char page[8], hex[40];
		unsigned off;
		if (line[0] == '#' || sscanf(line, "%7s %u %39s", page, &off, hex) != 3)
			continue;
		if (strcmp(page, "-1") && strcmp(page, "00"))
			continue;
		for (unsigned i = 0; i < 16; i++) {
			unsigned b;
			assert_int_equal(sscanf(&hex[2 * i], "%2x", &b), 1);
			out[off + i] = (uint8_t)b;
		}
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 16);
}

static void expect_gaps(const char *out)
{
	assert_true(lbctl_has_kv(out, "Page 01h checksum", "page 01h: not in the image"));
	assert_true(lbctl_has_kv(out, "Thresholds", "page 02h: not in the image"));
	assert_true(lbctl_has_kv(out, "Host lanes", "page 11h: not in the image"));
	assert_true(lbctl_has_kv(out, "Media lane monitors", "page 11h: not in the image"));
	assert_null(strstr(out, "high alarm")); /* no threshold table of zeros */
	assert_false(lbctl_has_kv(out, "Page 01h checksum", "0x00 (OK)"));
	assert_null(strstr(out, "AppSel 9")); /* applications 9-15 live in page 01h */
}

static void test_decode_of_lower_and_00h_says_what_is_missing(void **unused)
{
	(void)unused;
	uint8_t b[256];
	lower_and_00h(b);
	char file[256], args[400];
	static char first[65536];
	/* ethtool -m DEV raw on of a module with a 256-byte EEPROM */
	write_file(in_dir(file, sizeof(file), "raw256.bin"), b, sizeof(b));
	snprintf(args, sizeof(args), "decode %s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	expect_gaps(run.out);
	assert_true(lbctl_has_kv(run.out, "Vendor PN", "LBE-800DR8-OSFP"));
	strcpy(first, body(run.out));
	snprintf(args, sizeof(args), "decode --json %s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	json_t *gaps = json_object_get(o, "pages_not_in_image");
	assert_int_equal(json_array_size(gaps), 4);
	assert_string_equal(json_string_value(json_array_get(gaps, 0)), "01h");
	assert_true(json_is_null(json_object_get(o, "thresholds")));
	assert_true(json_is_null(json_object_get(o, "host_lanes")));
	assert_true(json_is_null(json_object_get(json_object_get(o, "identity"), "page01_checksum")));
	json_decref(o);

	/* the same bytes as `ethtool -m DEV hex on` and as sfputil eeprom-hexdump */
	FILE *f = fopen(in_dir(file, sizeof(file), "hex256.txt"), "w");
	assert_non_null(f);
	fprintf(f, "Offset\t\tValues\n------\t\t------");
	for (unsigned i = 0; i < 256; i++) {
		if (i % 16 == 0)
			fprintf(f, "\n0x%04x:\t\t", i);
		fprintf(f, "%02x ", b[i]);
	}
	fprintf(f, "\n");
	fclose(f);
	snprintf(args, sizeof(args), "decode %s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_string_equal(body(run.out), first);

	f = fopen(in_dir(file, sizeof(file), "sonic256.txt"), "w");
	assert_non_null(f);
	fprintf(f, "EEPROM hexdump for port Ethernet24\n");
	for (unsigned half = 0; half < 2; half++) {
		fprintf(f, half ? "\n        Upper page 0h\n" : "        Lower page 0h\n");
		for (unsigned r = 0; r < 8; r++) {
			const uint8_t *row = &b[128 * half + 16 * r];
			fprintf(f, "        %08x", 128 * half + 16 * r);
			for (unsigned i = 0; i < 16; i++)
				fprintf(f, "%s%02x", i == 8 ? "  " : " ", row[i]);
			fprintf(f, " |");
			for (unsigned i = 0; i < 16; i++)
				fputc(row[i] >= 0x20 && row[i] <= 0x7e ? row[i] : '.', f);
			fprintf(f, "|\n");
		}
	}
	fclose(f);
	snprintf(args, sizeof(args), "decode %s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_string_equal(body(run.out), first);

	/* flat memory: lower memory and page 00h are all there is, nothing is missing */
	b[2] |= 0x80;
	unsigned sum = 0;
	for (unsigned i = 128; i <= 221; i++)
		sum += b[i];
	b[222] = (uint8_t)sum;
	write_file(in_dir(file, sizeof(file), "flat256.bin"), b, sizeof(b));
	snprintf(args, sizeof(args), "decode %s", file);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.out, "flat (lower memory and page 00h only)"));
	assert_null(strstr(run.out, "not in the image"));
}

static void test_decode_of_a_malformed_file_names_the_line(void **unused)
{
	(void)unused;
	char file[256], args[400], want[400];
	static const char text[] = "Offset\t\tValues\n------\t\t------\n"
				   "0x0000:\t\t18 40 00 00 00 00 00 00 00 00 00 00 00 00 00 00 \n"
				   "0x0010:\t\t00 00 zz\n";
	write_file(in_dir(file, sizeof(file), "bad.txt"), text, sizeof(text) - 1);
	snprintf(args, sizeof(args), "decode %s", file);
	assert_int_equal(lbctl_run(&run, args), 4);
	snprintf(want, sizeof(want),
		 "lbctl: decode: %s: line 4: expected at most 16 hex bytes after the offset\n", file);
	assert_string_equal(run.err, want);
	assert_string_equal(run.out, "");
}

/* The real images as sfputil and ethtool print them decode as their own files do. */
static void test_real_images_decode_in_other_formats(void **unused)
{
	(void)unused;
	const char *dir = lb_test_need_modules_dir(LB_TESTDATA_DIR, LB_REQUIRE_TESTDATA);
	static const char *const names[] = {
		"acacia-dp08sfp8-800zr-osfp-fboss.txt",   "arista-qdd-400g-xdr4-qsfpdd-fboss.txt",
		"credo-cac845301a2nc2xa-800g-aec-osfp.txt", "fboss-2x400g-fr4-lite-osfp.txt",
		"juniper-740-174932-800g-dr8-osfp.txt",
	};
	static struct lb_test_image t;
	static char own[65536];
	char orig[512], file[256], args[800];
	for (size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
		lb_test_path(orig, sizeof(orig), dir, names[n]);
		assert_int_equal(lb_test_image_load(orig, &t), 0);
		snprintf(args, sizeof(args), "decode %s", orig);
		int ex = lbctl_run(&run, args);
		strcpy(own, body(run.out));
		/* sfputil show eeprom-hexdump: every page the file holds */
		FILE *f = fopen(in_dir(file, sizeof(file), "real.sonic"), "w");
		assert_non_null(f);
		fprintf(f, "EEPROM hexdump for port Ethernet0\n");
		for (int p = -1; p < 256; p++) {
			const uint8_t *b = p < 0 ? t.lower : lb_test_image_page(&t, (unsigned)p);
			if (!b)
				continue;
			if (p < 0)
				fprintf(f, "        Lower page 0h\n");
			else
				fprintf(f, "\n        Upper page %xh\n", (unsigned)p);
			for (unsigned r = 0; r < 8; r++) {
				fprintf(f, "        %08x", (p < 0 ? 0 : 128) + 16 * r);
				for (unsigned i = 0; i < 16; i++)
					fprintf(f, "%s%02x", i == 8 ? "  " : " ", b[16 * r + i]);
				fprintf(f, " |................|\n");
			}
		}
		fclose(f);
		snprintf(args, sizeof(args), "decode %s", file);
		assert_int_equal(lbctl_run(&run, args), ex);
		assert_string_equal(body(run.out), own);
		/* ethtool -m hex on, one heading per page */
		f = fopen(in_dir(file, sizeof(file), "real.ethtool"), "w");
		assert_non_null(f);
		for (int p = 0; p < 256; p++) {
			const uint8_t *b = lb_test_image_page(&t, (unsigned)p);
			if (!b)
				continue;
			fprintf(f, "Page: 0x%02x, Bank: 0\nOffset\t\tValues\n------\t\t------", p);
			for (unsigned i = p ? 128 : 0; i < 256; i++) {
				if (i % 16 == 0)
					fprintf(f, "\n0x%04x:\t\t", i);
				fprintf(f, "%02x ", i < 128 ? t.lower[i] : b[i - 128]);
			}
			fprintf(f, "\n\n");
		}
		fclose(f);
		snprintf(args, sizeof(args), "decode %s", file);
		assert_int_equal(lbctl_run(&run, args), ex);
		assert_string_equal(body(run.out), own);
	}
}

static int setup(void **unused)
{
	(void)unused;
	return lbctl_run_setup(&run, "images");
}

static int teardown(void **unused)
{
	(void)unused;
	return lbctl_run_teardown(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_save_then_decode_is_show),
		cmocka_unit_test(test_save_is_safe),
		cmocka_unit_test(test_command_lines),
		cmocka_unit_test(test_decode_of_lower_and_00h_says_what_is_missing),
		cmocka_unit_test(test_decode_of_a_malformed_file_names_the_line),
		cmocka_unit_test(test_real_images_decode_in_other_formats),
	};
	return LB_TEST_RUN(tests, setup, teardown);
}
