/* SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "image_file.h"
#include "test_run.h"

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int parse_line(char *line, struct lb_test_image *img)
{
	char page_s[8], hex[64];
	unsigned offset;

	if (sscanf(line, "%7s %u %63s", page_s, &offset, hex) != 3 || strlen(hex) != 32)
		return -1;
	uint8_t bytes[16];
	for (unsigned i = 0; i < 16; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		bytes[i] = (uint8_t)(hi << 4 | lo);
	}
	if (strcmp(page_s, "-1") == 0) {
		if (offset > 112 || offset % 16)
			return -1;
		memcpy(&img->lower[offset], bytes, 16);
		return 0;
	}
	char *end;
	unsigned long p = strtoul(page_s, &end, 16);
	if (*end || p > 255 || offset < 128 || offset > 240 || offset % 16)
		return -1;
	img->has_page[p] = true;
	memcpy(&img->page[p][offset - 128], bytes, 16);
	return 0;
}

int lb_test_image_load(const char *path, struct lb_test_image *img)
{
	FILE *f = fopen(path, "r");
	char line[512];
	int rc = 0;

	memset(img, 0, sizeof(*img));
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *s = line;

		while (isspace((unsigned char)*s))
			s++;
		if (*s == '#' || *s == '\0')
			continue;
		if (parse_line(s, img) != 0) {
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

static void put_rows(FILE *f, const char *page, unsigned base, const uint8_t *b)
{
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "%s %u ", page, base + 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%02x", b[16 * r + i]);
		fputc('\n', f);
	}
}

int lb_test_image_save(const char *path, const struct lb_test_image *img)
{
	FILE *f = fopen(path, "w");
	char name[4];

	if (!f)
		return -1;
	fprintf(f, "# synthetic image written by a lightbridge test\n");
	put_rows(f, "-1", 0, img->lower);
	for (unsigned p = 0; p < 256; p++) {
		if (!img->has_page[p])
			continue;
		snprintf(name, sizeof(name), "%02X", p);
		put_rows(f, name, 128, img->page[p]);
	}
	return fclose(f) == 0 ? 0 : -1;
}

const uint8_t *lb_test_image_page(const struct lb_test_image *img, unsigned p)
{
	return p < 256 && img->has_page[p] ? img->page[p] : NULL;
}

const char *lb_test_modules_dir_in(const char *testdata)
{
	static char dir[4096];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/modules", testdata);
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return NULL;
	return dir;
}

const char *lb_test_need_modules_dir(const char *testdata, int required)
{
	const char *dir = lb_test_modules_dir_in(testdata);
	if (dir)
		return dir;
	char why[1024];
	snprintf(why, sizeof(why), "real module images not found: %s/modules is absent%s", testdata,
		 required ? "" : " (LB_REQUIRE_TESTDATA=ON makes this a failure)");
	if (required)
		fail_msg("%s, and they are required (LB_REQUIRE_TESTDATA=ON, or LB_TESTDATA_DIR given)",
			 why);
	lb_test_mark_skipped(why);
	skip();
	return NULL;
}

char *lb_test_path(char *buf, size_t n, const char *dir, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
	return buf;
}
