/* SPDX-License-Identifier: MIT */
/*
 * A harness without libFuzzer: main() runs LLVMFuzzerTestOneInput over every file given, a
 * directory meaning each regular file in it (sorted by name, dot files skipped), so that ctest
 * replays the seed corpora in every tree (label fuzz) under the tree's own compiler and
 * sanitizers. Each input is copied into a buffer of its exact size, as libFuzzer does, so an
 * over-read is an over-read here too. It fails when a harness aborts (its own checks) or when
 * there was nothing to replay.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Defined by the harnesses that need a set-up; weak, so the others link without it. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static unsigned replayed;

static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return -1;
	}
	uint8_t *buf = NULL;
	size_t len = 0;
	for (;;) {
		uint8_t chunk[4096];
		size_t got = fread(chunk, 1, sizeof(chunk), f);
		if (!got)
			break;
		uint8_t *nb = realloc(buf, len + got);
		if (!nb) {
			free(buf);
			fclose(f);
			return -1;
		}
		buf = nb;
		memcpy(buf + len, chunk, got);
		len += got;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		fprintf(stderr, "%s: read error\n", path);
		free(buf);
		return -1;
	}
	/* Exactly len bytes (malloc(0) may give NULL: one byte then, of which none is passed). */
	uint8_t *data = malloc(len ? len : 1);
	if (!data) {
		free(buf);
		return -1;
	}
	if (len)
		memcpy(data, buf, len);
	free(buf);
	(void)LLVMFuzzerTestOneInput(data, len);
	free(data);
	replayed++;
	return 0;
}

static int visible(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

static int replay_dir(const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, visible, alphasort);
	if (n < 0) {
		perror(dir);
		return -1;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (!rc && stat(path, &st) == 0 && S_ISREG(st.st_mode))
			rc = replay_file(path);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
		return 2;
	}
	if (LLVMFuzzerInitialize && LLVMFuzzerInitialize(&argc, &argv))
		return 1;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st)) {
			perror(argv[i]);
			return 1;
		}
		if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i]) : replay_file(argv[i])) != 0)
			return 1;
	}
	printf("%s: %u inputs replayed\n", argv[0], replayed);
	return replayed ? 0 : 1;
}
