/* SPDX-License-Identifier: MIT */
/*
 * lbctl list / show / dump / decode, run as a user would ($LBCTL, --fresh, the embedded
 * emulated platform, state kept in a private directory): printed content, JSON, exit codes
 * and one-line error messages.
 */
#include <fcntl.h>
#include <jansson.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include "image_file.h"
#include "test_run.h"
#include "synth_module.h"

struct run {
	int status;        /* exit code */
	char *out, *err;   /* captured, NUL-terminated */
};

static char state_dir[512];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_non_null(b);
	size_t got = fread(b, 1, (size_t)n, f);
	b[got] = '\0';
	fclose(f);
	return b;
}

/* Run lbctl --fresh ARGS..., stdout and stderr into files (no pipe can fill up). */
static struct run lbctl(const char *first, ...)
{
	const char *argv[32];
	int argc = 0;
	char out[600], err[600];
	va_list ap;

	argv[argc++] = getenv("LBCTL");
	argv[argc++] = "--fresh";
	va_start(ap, first);
	for (const char *a = first; a && argc < 31; a = va_arg(ap, const char *))
		argv[argc++] = a;
	va_end(ap);
	argv[argc] = NULL;
	snprintf(out, sizeof(out), "%s/out", state_dir);
	snprintf(err, sizeof(err), "%s/err", state_dir);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fo < 0 || fe < 0)
			_exit(127);
		dup2(fo, 1);
		dup2(fe, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	struct run r = { .status = WEXITSTATUS(st), .out = slurp(out), .err = slurp(err) };
	return r;
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

static unsigned count_lines(const char *s)
{
	unsigned n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static json_t *parse(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("not JSON (%s, line %d): %s", e.text, e.line, text);
	return j;
}

/* An error is one line on stderr, starting "lbctl: ", and nothing on stdout. */
static void assert_one_line_error(const struct run *r, int code, const char *needle)
{
	assert_int_equal(r->status, code);
	assert_int_equal(count_lines(r->err), 1);
	assert_int_equal(strncmp(r->err, "lbctl: ", 7), 0);
	if (needle && !strstr(r->err, needle))
		fail_msg("stderr lacks '%s': %s", needle, r->err);
	assert_string_equal(r->out, "");
}

static int setup(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		return 0;
	snprintf(state_dir, sizeof(state_dir), "%s/tests/lbctl-show-%ld", LB_BINARY_DIR,
		 (long)getpid());
	mkdir(state_dir, 0700);
	/* Never touch the user's own emulated state. */
	setenv("LB_STATE_DIR", state_dir, 1);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	if (!state_dir[0])
		return 0;
	char cmd[sizeof(state_dir) + 16];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", state_dir);
	return system(cmd) == 0 ? 0 : -1;
}

#define NEED_LBCTL()              \
	do {                      \
		if (!getenv("LBCTL")) \
			skip();           \
	} while (0)

static void test_list(void **state)
{
	(void)state;
	NEED_LBCTL();
	struct run r = lbctl("list", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(count_lines(r.out), 1 + 6);
	assert_non_null(strstr(r.out, "PORT NAME"));
	assert_non_null(strstr(r.out, "Ethernet16"));
	assert_non_null(strstr(r.out, "LBE-400FR4-QDD"));
	assert_non_null(strstr(r.out, "LBE-2X800DR8-XD"));
	assert_non_null(strstr(r.out, "ModuleLowPwr"));
	run_free(&r);

	r = lbctl("list", "--json", NULL);
	assert_int_equal(r.status, 0);
	json_t *j = parse(r.out);
	assert_string_equal(json_string_value(json_object_get(j, "platform")), "lb-emulated-6");
	json_t *ports = json_object_get(j, "ports");
	assert_int_equal(json_array_size(ports), 6);
	json_t *p3 = json_array_get(ports, 2);
	assert_int_equal(json_integer_value(json_object_get(p3, "port")), 3);
	assert_true(json_is_true(json_object_get(p3, "present")));
	assert_string_equal(json_string_value(json_object_get(p3, "part_number")), "LBE-400FR4-QDD");
	assert_string_equal(json_string_value(json_object_get(p3, "module_state")), "ModuleLowPwr");
	json_decref(j);
	run_free(&r);
}

static void test_show_text(void **state)
{
	(void)state;
	NEED_LBCTL();
	struct run r = lbctl("show", "3", NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	static const char *const want[] = {
		"Port 3 (Ethernet16, QSFP-DD cage)\n",
		"  Identifier                : 0x18 (QSFP-DD)\n",
		"  Vendor name               : LIGHTBRIDGE EMU\n",
		"  Vendor PN                 : LBE-400FR4-QDD\n",
		/* the serial of its place (i2c0, channel 2, 0x50): docs/emulator.md, fleet serials */
		"  Vendor SN                 : LBE400FR17F9250\n",
		"  Page 00h checksum         : ",
		"  Full-page reads           : no (8-byte reads)\n",
		"  Module state              : ModuleLowPwr\n",
		"  Applications              : 2 advertised\n",
		"AppSel 1  host  0x11 400GAUI-8 C2M (Annex 120E), 8 lanes, starts on lane 1\n",
		"media 0x1d 400G-FR4/400GBASE-FR4 (Clause 151), 4 lanes, starts on\n",
		"  Host lanes                : 8\n",
		"DPDeactivated",
		"  Module temperature        : ",
		"  Media lanes monitored     : 4\n",
		"  Thresholds ",
		"Rx power (dBm)",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!strstr(r.out, want[i]))
			fail_msg("show 3 lacks '%s':\n%s", want[i], r.out);
	/* 400GBASE-FR4: monitors for 4 media lanes (a row each under the table's head), not 8. */
	const char *head = strstr(r.out, "  Lane   Bias mA     Tx mW   Tx dBm     Rx mW   Rx dBm\n");
	assert_non_null(head);
	unsigned rows = 0;
	for (const char *p = strchr(head, '\n') + 1; p[0] == ' ' && p[1] == ' ' && p[2] >= '1' &&
						      p[2] <= '9';
	     p = strchr(p, '\n') + 1)
		rows++;
	assert_int_equal(rows, 4);
	run_free(&r);

	/* By port name, and the coherent module's tunable / coherent lines. */
	r = lbctl("show", "Ethernet0", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Port 1 (Ethernet0"));
	assert_non_null(strstr(r.out, "800ZR-A, 150 GHz DWDM, Tx output range A"));
	assert_non_null(strstr(r.out, "Tunable transmitter       : yes"));
	run_free(&r);
}

static void test_show_json(void **state)
{
	(void)state;
	NEED_LBCTL();
	for (int form = 0; form < 2; form++) {
		struct run r = form ? lbctl("--json", "show", "1", NULL) : lbctl("show", "--json", "1", NULL);
		assert_int_equal(r.status, 0);
		assert_string_equal(r.err, "");
		json_t *j = parse(r.out);
		json_t *id = json_object_get(j, "identity");
		assert_string_equal(json_string_value(json_object_get(id, "part_number")), "LBE-800ZR-QDD");
		assert_true(json_is_true(json_object_get(id, "tunable")));
		assert_true(json_is_true(json_object_get(json_object_get(id, "page00_checksum"), "ok")));
		json_t *apps = json_object_get(j, "applications");
		assert_true(json_array_size(apps) >= 2);
		json_t *a1 = json_array_get(apps, 0);
		assert_int_equal(json_integer_value(json_object_get(a1, "appsel")), 1);
		assert_int_equal(json_integer_value(json_object_get(a1, "media_id")), 0x6c);
		assert_string_equal(json_string_value(json_object_get(a1, "media_name")),
				    "800ZR-A, 150 GHz DWDM, Tx output range A");
		assert_int_equal(json_array_size(json_object_get(j, "host_lanes")), 8);
		json_t *lane1 = json_array_get(json_object_get(j, "host_lanes"), 0);
		assert_string_equal(json_string_value(json_object_get(lane1, "dp_state")), "DPDeactivated");
		json_t *mon = json_object_get(j, "monitors");
		assert_true(json_is_real(json_object_get(mon, "temperature_c")));
		assert_int_equal(json_array_size(json_object_get(mon, "media_lanes")), 1);
		json_t *thr = json_object_get(j, "thresholds");
		assert_true(json_is_real(json_object_get(json_object_get(thr, "temperature_c"), "high_alarm")));
		assert_string_equal(json_string_value(json_object_get(j, "module_state")), "ModuleLowPwr");
		json_decref(j);
		run_free(&r);
	}
}

static void test_dump(void **state)
{
	(void)state;
	NEED_LBCTL();
	struct run r = lbctl("dump", "3", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "Port 3 (Ethernet16): lower memory, bytes 0-127\n"
				      "     0  1  2  3  4  5  6  7  8  9  a  b  c  d  e  f    0123456789abcdef\n"
				      "00: 18 "));
	assert_non_null(strstr(r.out, "bank 0, page 00h"));
	assert_non_null(strstr(r.out, "bank 0, page 01h"));
	assert_non_null(strstr(r.out, "bank 0, page 11h"));
	assert_null(strstr(r.out, "page 13h"));   /* not advertised by this module */
	assert_non_null(strstr(r.out, "LIGHTBRIDGE EMU"));  /* ASCII column of page 00h */
	run_free(&r);

	r = lbctl("dump", "3", "--page", "11h", NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2 * (1 + 1 + 8) + 1);  /* title, ruler, rows; gap */
	assert_non_null(strstr(r.out, "bank 0, page 11h, bytes 128-255\n"));
	run_free(&r);

	r = lbctl("dump", "--json", "6", "--page", "0x11", "--bank", "1", NULL);
	assert_int_equal(r.status, 0);
	json_t *j = parse(r.out);
	assert_int_equal(strlen(json_string_value(json_object_get(j, "lower"))), 256);
	assert_int_equal(strncmp(json_string_value(json_object_get(j, "lower")), "21", 2), 0);
	const char *p11 = json_string_value(json_object_get(json_object_get(json_object_get(j, "pages"), "1"), "11"));
	assert_non_null(p11);
	assert_int_equal(strlen(p11), 256);
	json_decref(j);
	run_free(&r);

	/* A page the module does not advertise is refused (exit 6), never read as another page. */
	r = lbctl("dump", "3", "--page", "13", NULL);
	assert_one_line_error(&r, 6, "page 13h of bank 0 is not advertised");
	run_free(&r);
	r = lbctl("dump", "1", "--page", "FFh", NULL);
	assert_one_line_error(&r, 6, "page FFh of bank 0 is not advertised");
	run_free(&r);
	r = lbctl("dump", "3", "--page", "B0h", NULL);  /* no extension names a vendor page */
	assert_one_line_error(&r, 6, "page B0h of bank 0 is not advertised");
	run_free(&r);
	/* A vendor page the module's extension names is advertised. */
	r = lbctl("dump", "1", "--page", "B0h", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "bank 0, page B0h, bytes 128-255\n"));
	assert_null(strstr(r.out, "NOT ADVERTISED"));
	run_free(&r);
	/*
	 * --force asks for a vendor page anyway; a module that does not have it leaves page 00h
	 * in force, which the library sees when it reads the select back: refused, with that said.
	 */
	r = lbctl("dump", "1", "--page", "FFh", "--force", NULL);
	assert_one_line_error(&r, 6, "the module does not have that page");
	run_free(&r);
	r = lbctl("dump", "--json", "1", "--page", "FFh", "--force", NULL);
	assert_int_not_equal(r.status, 0);
	assert_null(strstr(r.out, "\"FF\""));
	run_free(&r);
	/* ... but never a CMIS page: the library does not select a page the module lacks. */
	r = lbctl("dump", "3", "--page", "13", "--force", NULL);
	assert_one_line_error(&r, 6, "vendor pages");
	run_free(&r);
	r = lbctl("dump", "3", "--force", NULL);
	assert_one_line_error(&r, 2, "--force needs --page");
	run_free(&r);
	r = lbctl("dump", "3", "--bank", "1", NULL);
	assert_one_line_error(&r, 2, "--bank needs --page");
	run_free(&r);
	r = lbctl("dump", "3", "--page", "zz", NULL);
	assert_one_line_error(&r, 2, "bad page");
	run_free(&r);
}

static void test_decode(void **state)
{
	(void)state;
	NEED_LBCTL();
	/* A synthetic image, present everywhere. */
	struct lb_test_image img;
	char path[700];
	lb_test_synth_cmis(&img);
	snprintf(path, sizeof(path), "%s/synth.txt", state_dir);
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct run r = lbctl("decode", path, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_int_equal(strncmp(r.out, path, strlen(path)), 0);
	assert_non_null(strstr(r.out, "Vendor PN                 : LB-400G-FR4\n"));
	assert_non_null(strstr(r.out, "100GAUI-2 C2M (Annex 135G)"));
	run_free(&r);

	/* A reserved DP state is shown with its code, never as a state. */
	img.page[0x11][0] = 0x90; /* lane 1: 0, lane 2: 9 */
	assert_int_equal(lb_test_image_save(path, &img), 0);
	r = lbctl("decode", path, NULL);
	assert_non_null(strstr(r.out, "  1    reserved (0x0) "));
	assert_non_null(strstr(r.out, "  2    reserved (0x9) "));
	run_free(&r);
	r = lbctl("decode", "--json", path, NULL);
	json_t *lj = parse(r.out);
	json_t *l2 = json_array_get(json_object_get(lj, "host_lanes"), 1);
	assert_string_equal(json_string_value(json_object_get(l2, "dp_state")), "reserved (0x9)");
	assert_int_equal(json_integer_value(json_object_get(l2, "dp_state_code")), 9);
	json_decref(lj);
	run_free(&r);

	r = lbctl("decode", "/nonexistent/module.txt", NULL);
	assert_one_line_error(&r, 4, "/nonexistent/module.txt");
	run_free(&r);

}

/* decode of real images: identity, applications, a checksum mismatch reported, not fatal. */
static void test_real_images_decode(void **state)
{
	(void)state;
	NEED_LBCTL();
	const char *dir = lb_test_modules_dir();
	struct run r;
	char real[4200];
	r = lbctl("decode", lb_test_path(real, sizeof(real), dir, "juniper-740-174932-800g-dr8-osfp.txt"), NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_non_null(strstr(r.out, "  Vendor name               : JUNIPER-1G1\n"));
	assert_non_null(strstr(r.out, "  CLEI code                 : CMUIAZ7BAA\n"));
	assert_non_null(strstr(r.out, "  Applications              : 10 advertised\n"));
	assert_non_null(strstr(r.out, "media 0x56 800GBASE-DR8 (Clause 124), 8 lanes"));
	assert_non_null(strstr(r.out, "DPActivated"));
	run_free(&r);

	lb_test_path(real, sizeof(real), dir, "acacia-dp08sfp8-800zr-osfp-fboss.txt");
	r = lbctl("decode", real, NULL);
	assert_int_equal(r.status, 0);  /* decoded anyway, with a warning */
	assert_int_equal(count_lines(r.err), 1);
	assert_non_null(strstr(r.err, "page 00h checksum mismatch"));
	assert_non_null(strstr(r.out, "Page 00h checksum         : stored 0x03, computed 0xb4 (MISMATCH)\n"));
	assert_non_null(strstr(r.out, "Page 01h checksum         : 0x7a (OK)\n"));
	assert_non_null(strstr(r.out, "Applications              : 15 advertised\n"));
	run_free(&r);
	r = lbctl("decode", "--json", real, NULL);
	json_t *j = parse(r.out);
	json_t *cs = json_object_get(json_object_get(j, "identity"), "page00_checksum");
	assert_true(json_is_false(json_object_get(cs, "ok")));
	assert_string_equal(json_string_value(json_object_get(cs, "stored")), "0x03");
	assert_string_equal(json_string_value(json_object_get(cs, "computed")), "0xb4");
	assert_int_equal(json_array_size(json_object_get(j, "applications")), 15);
	json_decref(j);
	run_free(&r);
}

/* A raw optoe-style binary: lower memory, pages 00h-02h and 11h (11h at 128 * 0x12). */
static void write_raw(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b, 1, n, f), n);
	fclose(f);
}

/*
 * Random bytes with a CMIS identifier are not a module: every page checksum fails (both, or
 * page 00h's of what reads as flat memory) and most fields are implausible, which decode says in a verdict line, with exit 4. A real module whose two
 * checksums alone are wrong is still decoded (exit 0), with one warning naming both pages.
 */
static void test_decode_verdict(void **state)
{
	(void)state;
	NEED_LBCTL();
	char path[700];
	snprintf(path, sizeof(path), "%s/random.bin", state_dir);
	static uint8_t b[128 * (1 + 0x12)];
	uint32_t x = 12345;
	unsigned paged = 0, flat = 0;
	for (unsigned seed = 0; seed < 8; seed++) {
		for (size_t i = 0; i < sizeof(b); i++) {
			x = x * 1103515245u + 12345u + seed;
			b[i] = (uint8_t)(x >> 16);
		}
		b[0] = 0x18; /* QSFP-DD */
		write_raw(path, b, sizeof(b));
		struct run r = lbctl("decode", path, NULL);
		if (r.status != 4)
			fail_msg("seed %u: exit %d: %s%s", seed, r.status, r.out, r.err);
		assert_non_null(strstr(r.err, "checksum"));
		assert_non_null(strstr(r.err, ": not a plausible module image: "));
		assert_non_null(strstr(r.err, " fields are implausible ("));
		if (strstr(r.err, "page 00h and 01h checksums mismatch") &&
		    strstr(r.err, "both page checksums fail and "))
			paged++;
		else if (strstr(r.err, "its page checksum (00h, flat memory) fails and "))
			flat++;
		assert_non_null(strstr(r.out, "  Verdict                   : NOT A PLAUSIBLE MODULE IMAGE"));
		run_free(&r);
		r = lbctl("decode", "--json", path, NULL);
		assert_int_equal(r.status, 4);
		json_t *j = parse(r.out);
		json_t *v = json_object_get(j, "verdict");
		assert_true(json_is_false(json_object_get(v, "plausible")));
		assert_true(json_array_size(json_object_get(v, "implausible")) > 5);
		json_decref(j);
		run_free(&r);
	}
	assert_true(paged > 0 && flat > 0 && paged + flat == 8); /* both kinds were judged */
	/* the synthetic module with both checksums broken: a module all the same */
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	img.page[0][222 - 128] ^= 0xFF;
	img.page[1][255 - 128] ^= 0xFF;
	snprintf(path, sizeof(path), "%s/both-bad.txt", state_dir);
	assert_int_equal(lb_test_image_save(path, &img), 0);
	struct run r = lbctl("decode", path, NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.err), 1);
	assert_non_null(strstr(r.err, "page 00h and 01h checksums mismatch, decoded anyway"));
	assert_null(strstr(r.out, "NOT A PLAUSIBLE"));
	run_free(&r);
	r = lbctl("decode", "--json", path, NULL);
	json_t *j = parse(r.out);
	assert_true(json_is_true(json_object_get(json_object_get(j, "verdict"), "plausible")));
	json_decref(j);
	run_free(&r);
}

static void test_errors_and_help(void **state)
{
	(void)state;
	NEED_LBCTL();
	struct run r = lbctl("show", "99", NULL);
	assert_one_line_error(&r, 3, "port 99");
	run_free(&r);
	r = lbctl("show", "Ethernet999", NULL);
	assert_one_line_error(&r, 3, NULL);
	run_free(&r);
	r = lbctl("dump", "99", NULL);
	assert_one_line_error(&r, 3, "port 99");
	run_free(&r);
	r = lbctl("show", NULL);
	assert_one_line_error(&r, 2, "expected PORT");
	run_free(&r);
	r = lbctl("show", "1", "2", NULL);
	assert_one_line_error(&r, 2, "unexpected argument");
	run_free(&r);
	r = lbctl("list", "extra", NULL);
	assert_one_line_error(&r, 2, NULL);
	run_free(&r);
	r = lbctl("decode", NULL);
	assert_one_line_error(&r, 2, NULL);
	run_free(&r);

	static const char *const cmds[] = { "list", "show", "dump", "decode" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char want[64];
		r = lbctl(cmds[i], "--help", NULL);
		assert_int_equal(r.status, 0);
		snprintf(want, sizeof(want), "usage: lbctl %s", cmds[i]);
		assert_int_equal(strncmp(r.out, want, strlen(want)), 0);
		run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_show_text),
		cmocka_unit_test(test_show_json),
		cmocka_unit_test(test_dump),
		cmocka_unit_test(test_decode),
		cmocka_unit_test(test_real_images_decode),
		cmocka_unit_test(test_decode_verdict),
		cmocka_unit_test(test_errors_and_help),
	};
	return LB_TEST_RUN(tests, setup, teardown);
}
