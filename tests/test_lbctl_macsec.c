/* SPDX-License-Identifier: MIT */
/*
 * lbctl macsec PORT on the embedded default platform: keys from a file (one per line, each
 * further one a rollover), a key file open to others or not a regular file refused, bad key
 * text refused without echoing it, the SecY and SAs in text (80 columns) and JSON, and a
 * planted key that shows in no output, no error and no file of the state directory.
 */
#include <dirent.h>
#include <fcntl.h>
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
#include "lbctl_run.h"

static struct lbctl_run run;

#define KEY1 "5afe5afe0123456789abcdef0badc0de5afe5afe0123456789abcdef0badc0de"
#define KEY2 "c0ffee00112233445566778899aabbccc0ffee00112233445566778899aabbcc"

static void write_file(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(chmod(path, mode), 0);
}

/* Neither key, nor a run of 16 of its hex digits, in s (either case). */
static void assert_no_key(const char *s, const char *where)
{
	const char *keys[] = { KEY1, KEY2 };
	for (int k = 0; k < 2; k++)
		for (size_t at = 0; at + 16 <= 64; at += 8) {
			char frag[17], up[17];
			memcpy(frag, keys[k] + at, 16);
			frag[16] = 0;
			for (int i = 0; i < 17; i++)
				up[i] = (char)(frag[i] >= 'a' && frag[i] <= 'f' ? frag[i] - 32 : frag[i]);
			if (strstr(s, frag) || strstr(s, up))
				fail_msg("key text in %s", where);
		}
}

static char key_path[128], open_path[128];

static void test_key_file_rules(void **unused)
{
	(void)unused;
	write_file(open_path, KEY1 "\n", 0644);
	char args[512];
	snprintf(args, sizeof(args), "macsec 1 --key-file %s", open_path);
	assert_int_not_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.err, "chmod 600"));
	assert_no_key(run.out, "stdout");
	assert_no_key(run.err, "stderr");
	/* not a regular file; stdin with nothing in it; text that is not a key */
	snprintf(args, sizeof(args), "macsec 1 --key-file %s", run.dir);
	assert_int_not_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.err, "not a regular file"));
	assert_int_not_equal(lbctl_run(&run, "macsec 1 --key-file -"), 0);
	assert_non_null(strstr(run.err, "stdin: no key in it"));
	write_file(key_path, "# keys\n" KEY1 "zz\n", 0600);
	snprintf(args, sizeof(args), "macsec 1 --key-file %s", key_path);
	assert_int_not_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.err, "line 2: not a key"));
	assert_no_key(run.err, "stderr");
	/* a key of the wrong length for the cipher: the library's detail, not the key */
	write_file(key_path, KEY1 "\n", 0600);
	snprintf(args, sizeof(args), "macsec 1 --cipher gcm-aes-128 --key-file %s", key_path);
	assert_int_not_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.err, "the key must be 16 bytes for gcm-aes-128"));
	assert_no_key(run.err, "stderr");
	/* SecY options without keys; a key typed where the file's name goes is not echoed */
	assert_int_equal(lbctl_run(&run, "macsec 1 --cipher gcm-aes-128"), 2);
	assert_int_not_equal(lbctl_run(&run, "macsec 1 --key-file " KEY1), 0);
	assert_no_key(run.err, "stderr");
	assert_int_equal(lbctl_run(&run, "macsec 99"), 3);
}

static void test_install_and_rollover(void **unused)
{
	(void)unused;
	write_file(key_path, "# two keys: the second rolls over\n" KEY1 "\n" KEY2 "\n", 0600);
	char args[512];
	snprintf(args, sizeof(args), "-v macsec Ethernet0 --key-file %s --replay-window 64", key_path);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_no_key(run.err, "the library's log (-v)");
	lbctl_run_fits_80(run.out);
	assert_non_null(strstr(run.out, "macsec on, gcm-aes-256, encrypted"));
	assert_non_null(strstr(run.out, "tx  1  in-use"));
	assert_non_null(strstr(run.out, "rx  1  in-use"));
	assert_null(strstr(run.out, "tx  0")); /* the old SA retired */
	assert_no_key(run.out, "stdout");
	snprintf(args, sizeof(args), "--json macsec 1 --cipher gcm-aes-xpn-256 --integrity-only --key-file %s",
		 key_path);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_no_key(run.out, "JSON");
	json_error_t e;
	json_t *o = json_loads(run.out, 0, &e);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 1);
	assert_string_equal(json_string_value(json_object_get(o, "name")), "Ethernet0");
	json_t *ap = json_array_get(json_object_get(o, "asic_ports"), 0);
	assert_string_equal(json_string_value(json_object_get(ap, "cipher")), "gcm-aes-xpn-256");
	assert_false(json_is_true(json_object_get(ap, "encrypt")));
	json_t *sas = json_object_get(ap, "sas");
	assert_int_equal(json_array_size(sas), 2);
	json_t *tx = json_array_get(sas, 0);
	assert_string_equal(json_string_value(json_object_get(tx, "dir")), "tx");
	assert_int_equal(json_integer_value(json_object_get(tx, "an")), 1);
	assert_true(json_is_true(json_object_get(tx, "in_use")));
	assert_int_equal(json_integer_value(json_object_get(tx, "next_pn")), 1);
	assert_non_null(json_object_get(json_object_get(tx, "counters"), "out_pkts_encrypted"));
	json_decref(o);
	/* no file of the state directory holds the key */
	DIR *d = opendir(run.dir);
	assert_non_null(d);
	struct dirent *de;
	unsigned scanned = 0;
	while ((de = readdir(d))) {
		char p[512];
		snprintf(p, sizeof(p), "%s/%s", run.dir, de->d_name);
		struct stat st;
		if (stat(p, &st) || !S_ISREG(st.st_mode) || strcmp(de->d_name, "keys") == 0 ||
		    strcmp(de->d_name, "open-keys") == 0)
			continue;
		FILE *f = fopen(p, "rb");
		assert_non_null(f);
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[n] = 0;
		for (size_t i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = ' ';
		assert_no_key(buf, de->d_name);
		scanned++;
	}
	closedir(d);
	assert_true(scanned >= 2); /* out, err and the ASIC's state at least */
}

static int setup(void **unused)
{
	(void)unused;
	if (lbctl_run_setup(&run, "macsec"))
		return -1;
	snprintf(key_path, sizeof(key_path), "%s/keys", run.dir);
	snprintf(open_path, sizeof(open_path), "%s/open-keys", run.dir);
	return 0;
}

static int teardown(void **unused)
{
	(void)unused;
	return lbctl_run_teardown(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_file_rules),
		cmocka_unit_test(test_install_and_rollover),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
