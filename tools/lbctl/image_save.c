/* SPDX-License-Identifier: MIT */
/* lbctl dump --save: the image file, written so that no one else's file is ever touched. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "image_save.h"

static void rows(FILE *f, const char *page, unsigned base, const uint8_t *b)
{
	for (unsigned r = 0; r < 8; r++) {
		fprintf(f, "%s %u ", page, base + 16 * r);
		for (unsigned i = 0; i < 16; i++)
			fprintf(f, "%02x", b[16 * r + i]);
		fputc('\n', f);
	}
}

static void write_image(FILE *f, const char *title, const uint8_t *lower,
			const struct lbctl_image_page *pages, size_t n)
{
	fprintf(f, "# %s\n", title);
	fprintf(f, "# Module memory image. Format: PAGE OFFSET HEXBYTES; PAGE -1 = lower memory\n"
		   "# (offsets 0-127), else the upper page in hex (offsets 128-255), BANK:PAGE for\n"
		   "# a bank above 0. 16 bytes a line. Read by lbctl decode.\n# pages:");
	for (size_t i = 0; i < n; i++)
		if (pages[i].bank)
			fprintf(f, " %u:%02X", pages[i].bank, pages[i].page);
		else
			fprintf(f, " %02X", pages[i].page);
	fputc('\n', f);
	rows(f, "-1", 0, lower);
	for (size_t i = 0; i < n; i++) {
		char pg[8];
		if (pages[i].bank)
			snprintf(pg, sizeof(pg), "%u:%02X", pages[i].bank, pages[i].page);
		else
			snprintf(pg, sizeof(pg), "%02X", pages[i].page);
		rows(f, pg, 128, pages[i].data);
	}
}

int lbctl_image_save(const char *path, bool overwrite, const char *title, const uint8_t *lower,
		     const struct lbctl_image_page *pages, size_t n, char *why, size_t whylen)
{
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	if (!tmp) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	/* Beside path, so that the final link or rename stays within one file system. */
	snprintf(tmp, len + 8, "%s.XXXXXX", path);
	int fd = mkstemp(tmp); /* O_CREAT | O_EXCL, mode 0600: a fresh file, never a symlink's */
	if (fd < 0) {
		snprintf(why, whylen, "cannot create a file beside it: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	mode_t um = umask(0);
	umask(um);
	int rc = fchmod(fd, 0644 & ~um);
	FILE *f = rc ? NULL : fdopen(fd, "w");
	if (!f) {
		snprintf(why, whylen, "%s", strerror(errno));
		close(fd);
		goto fail;
	}
	write_image(f, title, lower, pages, n);
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		snprintf(why, whylen, "writing: %s", strerror(errno));
		fclose(f);
		goto fail;
	}
	if (fclose(f) != 0) {
		snprintf(why, whylen, "writing: %s", strerror(errno));
		goto fail;
	}
	if (overwrite) {
		if (rename(tmp, path) != 0) {
			snprintf(why, whylen, "%s", strerror(errno));
			goto fail;
		}
	} else {
		/* link() fails with EEXIST on anything at path, a symlink or a dangling one too. */
		if (link(tmp, path) != 0) {
			if (errno == EEXIST)
				snprintf(why, whylen, "it exists (--overwrite replaces it)");
			else
				snprintf(why, whylen, "%s", strerror(errno));
			goto fail;
		}
		unlink(tmp);
	}
	free(tmp);
	return 0;
fail:
	unlink(tmp);
	free(tmp);
	return -1;
}
