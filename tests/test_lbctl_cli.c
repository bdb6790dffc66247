/* SPDX-License-Identifier: MIT */
/*
 * lbctl as a terminal and a script expect it: one parser for every command
 * (tools/lbctl/options.c), so the same mistake is worded the same way everywhere, --opt=value
 * works, a repeated option is refused, and `lbctl help COMMAND` is the command's own help;
 * human output inside 80 columns; one JSON style (schema, port and name, units in the keys,
 * ten significant digits); the library's detail in every error; lbctl watch.
 */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <pty.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "image_file.h"
#include "lbctl_run.h"
#include "test_run.h"

LBCTL_RUN_FIXTURE("cli")

/* Every command lbctl_parse parses (dump, decode, plan and up are other files' own), with a valid line. */
static const char *const port_commands[] = { "reset 1",  "power 1 low", "show 1",
					     "app 1 1",  "watch 1 --count 1", "list",
					     "demo",	 "detect", "telemetry 1" };

static void test_unknown_option_is_worded_once(void **unused)
{
	(void)unused;
	char args[128], want[128];
	for (size_t i = 0; i < sizeof(port_commands) / sizeof(port_commands[0]); i++) {
		snprintf(args, sizeof(args), "%s --no-such-option", port_commands[i]);
		assert_int_equal(lbctl_run(&run, args), 2);
		char name[16];
		sscanf(port_commands[i], "%15s", name);
		snprintf(want, sizeof(want),
			 "lbctl: %s: unknown option '--no-such-option' (see lbctl help %s)\n", name,
			 name);
		assert_string_equal(run.err, want);
		assert_string_equal(run.out, "");
	}
}

static void test_repeated_option_and_value_to_a_flag_are_refused(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "reset 1 --json --json"), 2);
	assert_string_equal(run.err, "lbctl: reset: option '--json' given twice\n");
	assert_int_equal(lbctl_run(&run, "power 1 low --json=yes"), 2);
	assert_string_equal(run.err,
			    "lbctl: power: option '--json' takes no value (see lbctl help power)\n");
	assert_int_equal(lbctl_run(&run, "show 1 --section identity --section=apps"), 2);
	assert_string_equal(run.err, "lbctl: show: option '--section' given twice\n");
	assert_int_equal(lbctl_run(&run, "app 1 1 --lanes 1 --lanes=3"), 2);
	assert_string_equal(run.err, "lbctl: app: option '--lanes' given twice\n");
	assert_int_equal(lbctl_run(&run, "watch 1 --count=1 --count 2"), 2);
	assert_string_equal(run.err, "lbctl: watch: option '--count' given twice\n");
	assert_int_equal(lbctl_run(&run, "detect --driver"), 2);
	assert_string_equal(run.err,
			    "lbctl: detect: option '--driver' needs a value (see lbctl help detect)\n");
	assert_int_equal(lbctl_run(&run, "list --json --json"), 2);
	assert_string_equal(run.err, "lbctl: list: option '--json' given twice\n");
}

/* lbctl's own options: the same parser and wording, without a command name. */
static void test_global_options(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh --fresh list"), 2);
	assert_string_equal(run.err, "lbctl: option '--fresh' given twice\n");
	assert_int_equal(lbctl_run(&run, "--no-such list"), 2);
	assert_string_equal(run.err, "lbctl: unknown option '--no-such' (see lbctl help)\n");
	assert_int_equal(lbctl_run(&run, "list --platform"), 2); /* a command's, not lbctl's */
	assert_string_equal(run.err, "lbctl: list: unknown option '--platform' (see lbctl help list)\n");
	assert_int_equal(lbctl_run(&run, "--platform"), 2);
	assert_string_equal(run.err, "lbctl: option '--platform' needs a value (see lbctl help)\n");
	assert_int_equal(lbctl_run(&run, "--version"), 0);
	assert_true(strncmp(run.out, "lbctl ", 6) == 0);
	/* --opt=value, and --json before the command applies to it */
	char args[256];
	snprintf(args, sizeof(args), "--platform=%s/platforms/emulated-default.json --json list",
		 LB_SOURCE_DIR);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.out, "\"platform\":\"lb-emulated-6\""));
}

static void test_missing_and_extra_arguments(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "power 1"), 2);
	assert_string_equal(run.err, "lbctl: power: expected PORT low|high (see lbctl help power)\n");
	assert_int_equal(lbctl_run(&run, "reset 1 2"), 2);
	assert_string_equal(run.err,
			    "lbctl: reset: unexpected argument '2' (see lbctl help reset)\n");
}

static void test_options_after_and_before_positionals(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh power --json 1 low"), 0);
	assert_non_null(strstr(run.out, "\"module_state\""));
	assert_int_equal(lbctl_run(&run, "power 1 high --json"), 0);
	assert_non_null(strstr(run.out, "\"module_state\""));
}

static void test_help_command_is_the_commands_help(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "reset --help"), 0);
	char own[sizeof(run.out)];
	strcpy(own, run.out);
	assert_non_null(strstr(own, "usage: lbctl reset"));
	assert_int_equal(lbctl_run(&run, "help reset"), 0);
	assert_string_equal(run.out, own);
	assert_int_equal(lbctl_run(&run, "help"), 0);
	assert_non_null(strstr(run.out, "commands:"));
	assert_int_equal(lbctl_run(&run, "help no-such"), 2);
	assert_string_equal(run.err, "lbctl: help: unknown command 'no-such' (see lbctl help)\n");
	/* every command converted: its help is its own, and `lbctl help X` prints the same */
	static const char *const cmds[] = { "list", "show", "demo", "detect", "app", "watch", "reset", "power",
					    "telemetry" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		char a[32], want[32];
		snprintf(a, sizeof(a), "%s --help", cmds[i]);
		assert_int_equal(lbctl_run(&run, a), 0);
		snprintf(want, sizeof(want), "usage: lbctl %s", cmds[i]);
		assert_true(strncmp(run.out, want, strlen(want)) == 0);
		strcpy(own, run.out);
		snprintf(a, sizeof(a), "help %s", cmds[i]);
		assert_int_equal(lbctl_run(&run, a), 0);
		assert_string_equal(run.out, own);
	}
}

/* ---- 80 columns ---- */

/* Every line of text within 80 columns, and no tab (whose width is the terminal's). */
static void assert_fits_80(const char *what, const char *text)
{
	unsigned lineno = 1;
	for (const char *p = text; *p; lineno++) {
		size_t n = strcspn(p, "\n");
		if (memchr(p, '\t', n))
			fail_msg("%s: line %u has a tab: %.*s", what, lineno, (int)n, p);
		if (n > 80)
			fail_msg("%s: line %u is %zu columns: %.*s", what, lineno, n, (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* Run args and check every line of its stdout (an error on stderr is one line, whatever its length). */
static void run_fits_80(const char *args, int want)
{
	assert_int_equal(lbctl_run(&run, args), want);
	assert_fits_80(args, run.out);
}

/* show in every form, on every port of a platform (NULL: the default one) */
static void show_every_port_fits_80(const char *platform, unsigned ports)
{
	static const char *const forms[] = { "", "--brief", "--section flags,lanes",
					     "--section thresholds" };
	char args[512];
	for (unsigned port = 1; port <= ports; port++)
		for (size_t f = 0; f < sizeof(forms) / sizeof(forms[0]); f++) {
			snprintf(args, sizeof(args), "%s%s%s show %u %s", platform ? "--platform '" : "",
				 platform ? platform : "", platform ? "'" : "", port, forms[f]);
			run_fits_80(args, 0);
			assert_true(lbctl_run_lines(run.out) > 3);
		}
}

static void test_human_output_fits_80_columns(void **unused)
{
	(void)unused;
	run_fits_80("--fresh list", 0);
	show_every_port_fits_80(NULL, 6);
	run_fits_80("demo", 0);
	show_every_port_fits_80(NULL, 6); /* lanes up, monitors live */
	run_fits_80("app 3 2 --lanes 0x0f", 1); /* rejected: the lanes are in use */
	run_fits_80("detect", 0);
	run_fits_80("power 1 low", 0);
	run_fits_80("reset 1", 0);
	run_fits_80("telemetry 1", 0);
	static const char *const helps[] = { "help", "help list", "help show", "help demo",
					     "help detect", "help app", "help watch", "help telemetry" };
	for (size_t i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		run_fits_80(helps[i], 0);
	/* each emulated profile on a platform of its own */
	DIR *d = opendir(LB_SOURCE_DIR "/emulator/profiles");
	assert_non_null(d);
	struct dirent *e;
	unsigned profiles = 0;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		char platform[128];
		snprintf(platform, sizeof(platform), "%s/profile.json", run.dir);
		FILE *f = fopen(platform, "w");
		assert_non_null(f);
		fprintf(f, "{\"name\": \"p\", \"buses\": [{\"name\": \"b0\", \"driver\": \"emulator\", "
			   "\"options\": {\"modules\": [{\"profile\": \"%.*s\"}]}}], \"ports\": [{\"port\": 1, "
			   "\"name\": \"Ethernet0\", \"bus\": \"b0\", \"cage\": \"QSFP-DD\"}]}\n",
			(int)(n - 5), e->d_name);
		fclose(f);
		show_every_port_fits_80(platform, 1);
		profiles++;
	}
	closedir(d);
	assert_true(profiles >= 4);
}

/* The real module images, each in a cage of an emulated platform: show and list. */
static void test_real_images_show_fits_80_columns(void **unused)
{
	(void)unused;
	const char *dir = lb_test_modules_dir();
	DIR *d = opendir(dir);
	assert_non_null(d);
	char platform[128];
	snprintf(platform, sizeof(platform), "%s/real.json", run.dir);
	FILE *f = fopen(platform, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"real\", \"buses\": [");
	struct dirent *e;
	unsigned n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		fprintf(f, "%s{\"name\": \"b%u\", \"driver\": \"emulator\", \"options\": {\"modules\": "
			   "[{\"image\": \"%s/%s\"}]}}", n ? ", " : "", n + 1, dir, e->d_name);
		n++;
	}
	closedir(d);
	fprintf(f, "], \"ports\": [");
	for (unsigned i = 1; i <= n; i++)
		fprintf(f, "%s{\"port\": %u, \"name\": \"Ethernet%u\", \"bus\": \"b%u\", \"cage\": "
			   "\"OSFP\"}", i > 1 ? ", " : "", i, 8 * (i - 1), i);
	fprintf(f, "]}\n");
	fclose(f);
	assert_true(n >= 8);
	char args[256];
	snprintf(args, sizeof(args), "--platform '%s' list", platform);
	run_fits_80(args, 0);
	unsigned rows = 0; /* a port's row may go on below, indented to its STATE column */
	for (const char *p = run.out; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		rows += *p && *p != ' ';
	assert_int_equal(rows, 1 + n);
	show_every_port_fits_80(platform, n);
}

/* ---- JSON ---- */

/* Keys that hold a quantity, each with its unit; a real number under any other key fails. */
static const char *const quantity_keys[] = {
	"temperature_c", "vcc_v",	"tx_bias_ma",  "tx_power_mw", "tx_power_dbm",
	"rx_power_mw",	 "rx_power_dbm", "max_power_w", "elapsed_ms",  "deadline_ms",
	"bring_up_s",	 "bus_time_us",	 "elapsed_s",	"time_s",      "max_transfer_bytes",
};
static const char *const unit_suffixes[] = { "_c", "_v", "_ma", "_mw", "_dbm", "_w", "_ms",
					     "_s", "_us", "_ns", "_ghz", "_bytes", "_gbps", "_gbd",
					     "_km", "_bits", "_w_per_tbps", "_pj_per_bit" };
/* The four thresholds of a quantity: in the unit of the key that holds them. */
static const char *const threshold_keys[] = { "high_alarm", "low_alarm", "high_warning",
					      "low_warning" };

static bool listed(const char *key, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(key, list[i]) == 0)
			return true;
	return false;
}

#define LISTED(key, list) listed(key, list, sizeof(list) / sizeof(list[0]))

/* A key that says its unit: "spacing_ghz", "tx_power_min_dbm". */
static bool has_unit_suffix(const char *key)
{
	size_t k = strlen(key);
	for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
		size_t n = strlen(unit_suffixes[u]);
		if (k > n && strcmp(key + k - n, unit_suffixes[u]) == 0)
			return true;
	}
	return false;
}

/* Every real number is under a quantity key (or a threshold of one); per-port objects have a name. */
/*
 * unit_above: node is the "thresholds" object of a VDM observable whose "unit" is beside it,
 * one level up ({"value", "unit", "thresholds": {"high_alarm", ...}}).
 */
static void check_json_node_in(const char *what, json_t *node, const char *parent, bool unit_above)
{
	const char *key;
	json_t *v;
	size_t i;
	if (json_is_object(node)) {
		if (json_object_get(node, "port") && !json_is_string(json_object_get(node, "name")))
			fail_msg("%s: an object with \"port\" lacks \"name\"", what);
		json_object_foreach(node, key, v)
		{
			/* a VDM observable: {"value", thresholds, "unit": "ps/nm"}, its unit beside it */
			bool unit_beside = (json_is_string(json_object_get(node, "unit")) &&
					    (strcmp(key, "value") == 0 || LISTED(key, threshold_keys))) ||
					   (unit_above && LISTED(key, threshold_keys));
			if (json_is_real(v) && !LISTED(key, quantity_keys) && !has_unit_suffix(key) &&
			    !unit_beside &&
			    !(LISTED(key, threshold_keys) && parent && LISTED(parent, quantity_keys)))
				fail_msg("%s: key \"%s\" holds a quantity without a unit", what, key);
			check_json_node_in(what, v, key,
					   strcmp(key, "thresholds") == 0 &&
						   json_is_string(json_object_get(node, "unit")));
		}
	} else if (json_is_array(node)) {
		json_array_foreach(node, i, v)
			check_json_node_in(what, v, parent, false);
	}
}

static void check_json_node(const char *what, json_t *node, const char *parent)
{
	check_json_node_in(what, node, parent, false);
}

/* No number in the text with more than ten significant digits. */
static void check_digits(const char *what, const char *text)
{
	bool in_string = false;
	for (const char *p = text; *p; p++) {
		if (*p == '"' && (p == text || p[-1] != '\\'))
			in_string = !in_string;
		if (in_string || !(*p == '-' || (*p >= '0' && *p <= '9')))
			continue;
		unsigned digits = 0;
		bool leading = true;
		const char *q = p;
		for (; *q == '-' || *q == '.' || (*q >= '0' && *q <= '9'); q++) {
			if (*q < '0' || *q > '9')
				continue;
			if (*q != '0')
				leading = false;
			if (!leading)
				digits++;
		}
		if (digits > 10)
			fail_msg("%s: %.*s has %u significant digits", what, (int)(q - p), p, digits);
		while (*q == 'e' || *q == 'E' || *q == '+' || *q == '-' || (*q >= '0' && *q <= '9'))
			q++;
		p = q - 1;
	}
}

/* One JSON document (or one per line): parses, has "schema", and follows the rules above. */
static void check_json_output(const char *args, int want, bool per_port, bool lines)
{
	assert_int_equal(lbctl_run(&run, args), want);
	assert_true(run.out[0] == '{');
	for (char *p = run.out; *p;) {
		size_t n = lines ? strcspn(p, "\n") : strlen(p);
		json_error_t e;
		json_t *j = json_loadb(p, n, 0, &e);
		if (!j)
			fail_msg("%s: not JSON (%s): %.*s", args, e.text, (int)n, p);
		assert_int_equal(json_integer_value(json_object_get(j, "schema")), 1);
		if (per_port) {
			assert_true(json_is_integer(json_object_get(j, "port")));
			assert_true(json_is_string(json_object_get(j, "name")));
		}
		json_t *ports = json_object_get(j, "ports");
		size_t i;
		json_t *o;
		json_array_foreach(ports, i, o)
		{
			assert_true(json_is_integer(json_object_get(o, "port")));
			assert_true(json_is_string(json_object_get(o, "name")));
		}
		check_json_node(args, j, NULL);
		check_digits(args, p);
		json_decref(j);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void test_json_style(void **unused)
{
	(void)unused;
	check_json_output("--fresh --json list", 0, false, false);
	for (unsigned port = 1; port <= 6; port++) {
		char args[64];
		snprintf(args, sizeof(args), "show %u --json", port);
		check_json_output(args, 0, true, false);
	}
	check_json_output("demo --json", 0, false, false);
	check_json_output("show 1 --json", 0, true, false); /* live monitors, rx power in dBm */
	check_json_output("show 1 --json --section monitors,flags", 0, true, false);
	json_t *only = json_loads(run.out, 0, NULL);
	assert_non_null(only);
	assert_null(json_object_get(only, "identity")); /* not asked for */
	assert_non_null(json_object_get(only, "monitors"));
	json_decref(only);
	check_json_output("watch 4 --json --count 3", 0, true, true);
	check_json_output("telemetry 1 --json", 0, true, false);
	check_json_output("telemetry 1 --watch --count 2 --json", 0, true, true);
	check_json_output("app 3 2 --lanes 0x0f --json", 1, true, false); /* rejected, lanes in use */
	check_json_output("power 3 low --json", 0, true, false);
	check_json_output("reset 3 --json", 0, true, false);
	check_json_output("app 3 2 --lanes 0x0f --json", 0, true, false);
	check_json_output("detect --json", 0, false, false);
	/* line modes, tuning, Tx power, power per bit (the coherent module of port 1) */
	check_json_output("mode 1 list --json", 0, true, false);
	check_json_output("tune 1 --freq-ghz 194000 --json", 0, true, false);
	check_json_output("txpower 1 -2.5 --json", 0, true, false);
	check_json_output("list --power --json", 0, false, false);
	/* fw: info, run and commit per port; an upgrade's progress and result as JSON lines */
	char fw[192];
	snprintf(fw, sizeof(fw), "fw image %s/fw.bin --version 2.1 --size 4K --json", run.dir);
	check_json_output(fw, 0, false, false);
	check_json_output("fw 2 info --json", 0, true, false);
	snprintf(fw, sizeof(fw), "fw upgrade %s/fw.bin --ports 2,4 --json", run.dir);
	check_json_output(fw, 0, true, true);
	check_json_output("fw 2 run --json", 0, true, false);
	check_json_output("fw 2 commit --json", 0, true, false);
	/* the list of quantity keys is itself in the style */
	for (size_t i = 0; i < sizeof(quantity_keys) / sizeof(quantity_keys[0]); i++) {
		bool unit = false;
		for (size_t u = 0; u < sizeof(unit_suffixes) / sizeof(unit_suffixes[0]); u++) {
			size_t k = strlen(quantity_keys[i]), n = strlen(unit_suffixes[u]);
			unit |= k > n && strcmp(quantity_keys[i] + k - n, unit_suffixes[u]) == 0;
		}
		assert_true(unit);
	}
}

/* ---- errors ---- */

static void write_platform(const char *path, const char *json)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(json, f);
	fclose(f);
}

static void test_errors_carry_the_detail(void **unused)
{
	(void)unused;
	/* no such port: what the platform has instead */
	assert_int_equal(lbctl_run(&run, "show 99"), 3);
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_non_null(strstr(run.err, "no port 99 on platform lb-emulated-6 (ports 1-6"));
	assert_int_equal(lbctl_run(&run, "watch Ethernet999"), 3);
	assert_non_null(strstr(run.err, "no port Ethernet999 on platform"));
	/* a missing platform file is a bad input file */
	char args[256], platform[128];
	snprintf(args, sizeof(args), "--platform '%s/no-such.json' list", run.dir);
	assert_int_equal(lbctl_run(&run, args), 4);
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_non_null(strstr(run.err, "No such file or directory"));
	/* a missing profile: the library's detail names it */
	snprintf(platform, sizeof(platform), "%s/no-profile.json", run.dir);
	write_platform(platform, "{\"name\": \"np\", \"buses\": [{\"name\": \"b0\", \"driver\": "
				 "\"emulator\", \"options\": {\"modules\": [{\"profile\": "
				 "\"no-such-profile\"}]}}], \"ports\": [{\"port\": 1, \"bus\": \"b0\", "
				 "\"cage\": \"QSFP-DD\"}]}\n");
	snprintf(args, sizeof(args), "--platform '%s' list", platform);
	assert_int_equal(lbctl_run(&run, args), 4);
	assert_non_null(strstr(run.err, "no-such-profile.json"));
	assert_int_equal(lbctl_run_lines(run.err), 1);
	/* an adapter that is not there: said per port, not "empty" */
	snprintf(platform, sizeof(platform), "%s/absent.json", run.dir);
	write_platform(platform, "{\"name\": \"absent\", \"buses\": [{\"name\": \"b0\", \"driver\": "
				 "\"linux-i2c\", \"options\": {\"device\": \"/dev/i2c-no-such-77\"}}], "
				 "\"ports\": [{\"port\": 1, \"name\": \"Ethernet0\", \"bus\": \"b0\", "
				 "\"cage\": \"QSFP-DD\"}]}\n");
	snprintf(args, sizeof(args), "--platform '%s' list", platform);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.out, "bus b0 unreachable"));
	assert_null(strstr(run.out, "empty"));
	snprintf(args, sizeof(args), "--platform '%s' --json list", platform);
	assert_int_equal(lbctl_run(&run, args), 0);
	json_t *j = json_loads(run.out, 0, NULL);
	assert_non_null(j);
	json_t *p1 = json_array_get(json_object_get(j, "ports"), 0);
	assert_non_null(strstr(json_string_value(json_object_get(p1, "error")), "unreachable"));
	json_decref(j);
	snprintf(args, sizeof(args), "--platform '%s' show 1", platform);
	assert_int_equal(lbctl_run(&run, args), 3);
	assert_non_null(strstr(run.err, "bus b0 unreachable"));
	/* -v: the library's log on stderr; without it, nothing */
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_string_equal(run.err, "");
	assert_int_equal(lbctl_run(&run, "-v show 1"), 0);
	assert_non_null(strstr(run.err, "lbctl: [lib "));
	assert_int_equal(lbctl_run(&run, "--verbose show 1"), 0);
	assert_non_null(strstr(run.err, "lbctl: [lib "));
}

/* ---- watch ---- */

static void test_watch_counts_in_virtual_time(void **unused)
{
	(void)unused;
	/* ten seconds between polls on the emulated bus's clock: no real wait */
	assert_int_equal(lbctl_run(&run, "--fresh watch 1 --count 3 --interval 10"), 0);
	assert_string_equal(run.err, "");
	assert_int_equal(lbctl_run_lines(run.out), 3); /* not a terminal: one JSON object a line */
	run.out[strlen(run.out) - 1] = '\0';
	json_t *j = json_loads(strrchr(run.out, '\n') + 1, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "poll")), 3);
	double t = json_real_value(json_object_get(j, "time_s"));
	assert_true(t >= 20.0 && t < 21.0);
	assert_string_equal(json_string_value(json_object_get(j, "module_state")), "ModuleLowPwr");
	assert_int_equal(json_array_size(json_object_get(j, "lanes")), 8);
	json_decref(j);
	assert_int_equal(lbctl_run(&run, "watch 1 --interval 0"), 2);
	assert_int_equal(lbctl_run(&run, "watch 1 --count 0"), 2);
	assert_int_equal(lbctl_run(&run, "watch 1 --interval 1x"), 2);
}

/* watch reads the flags through a consumer of its own: each latched flag shows in one poll. */
static void test_watch_shows_each_flag_once(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0); /* the module and its lanes changed state */
	assert_int_equal(lbctl_run(&run, "--json watch 1 --count 2"), 0);
	char *second = strchr(run.out, '\n');
	assert_non_null(second);
	*second++ = '\0';
	json_t *p1 = json_loads(run.out, 0, NULL), *p2 = json_loads(second, 0, NULL);
	assert_non_null(p1);
	assert_non_null(p2);
	json_t *mf = json_object_get(p1, "module_flags");
	assert_int_equal(json_array_size(mf), 1);
	assert_string_equal(json_string_value(json_array_get(mf, 0)), "state_changed");
	assert_int_equal(json_array_size(json_object_get(p1, "dp_state_changed_lanes")), 8);
	assert_int_equal(json_array_size(json_object_get(p2, "module_flags")), 0);
	assert_int_equal(json_array_size(json_object_get(p2, "dp_state_changed_lanes")), 0);
	json_decref(p1);
	json_decref(p2);
}

/* Ctrl-C: watch without --count ends at once, exit 0. */
static void test_watch_interrupted_exits_0(void **unused)
{
	(void)unused;
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		execl(getenv("LBCTL"), "lbctl", "watch", "1", "--interval", "0.01", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	/* the first poll's line says it is running (a blocking read: no sleep) */
	char buf[4096];
	ssize_t n = read(fd[0], buf, sizeof(buf));
	assert_true(n > 0 && buf[0] == '{');
	assert_int_equal(kill(pid, SIGINT), 0);
	while (read(fd[0], buf, sizeof(buf)) > 0)
		; /* drain until it closes its end */
	close(fd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * lbctl on a terminal (a pty cols columns wide): argv run until it ends, or until its output
 * holds until_text, when SIGINT is sent. The whole output (escape sequences and all) in
 * out; the exit code returned.
 */
static int on_terminal_cols(char *const argv[], const char *until_text, char *out, size_t len,
			    unsigned short cols)
{
	struct winsize ws = { .ws_row = 24, .ws_col = cols };
	int master;
	pid_t pid = forkpty(&master, NULL, NULL, &ws);
	assert_true(pid >= 0);
	if (pid == 0) {
		execv(getenv("LBCTL"), argv);
		_exit(127);
	}
	size_t at = 0;
	bool sent = false;
	for (;;) {
		ssize_t n = read(master, out + at, len - 1 - at);
		if (n <= 0)
			break; /* EIO: the child's side is closed */
		at += (size_t)n;
		out[at] = '\0';
		if (until_text && !sent && strstr(out, until_text)) {
			assert_int_equal(kill(pid, SIGINT), 0);
			sent = true;
		}
		if (at == len - 1)
			at = 0; /* keep reading to the end; the tail is what counts */
	}
	close(master);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int on_terminal(char *const argv[], const char *until_text, char *out, size_t len)
{
	return on_terminal_cols(argv, until_text, out, len, 80);
}

/* Drop escape sequences and carriage returns: what the terminal shows, line by line. */
static void strip_terminal(char *s)
{
	char *w = s;
	for (char *r = s; *r; r++) {
		if (*r == '\033') {
			r++;
			if (*r == '[')
				while (r[1] && !((r[1] >= 'A' && r[1] <= 'Z') || (r[1] >= 'a' && r[1] <= 'z')))
					r++;
			r++;
			continue;
		}
		if (*r != '\r')
			*w++ = *r;
	}
	*w = '\0';
}

static void test_watch_on_a_terminal(void **unused)
{
	(void)unused;
	static char out[65536];
	char *const counted[] = { "lbctl", "watch", "3", "--count", "2", "--interval", "0.01", NULL };
	assert_int_equal(on_terminal(counted, NULL, out, sizeof(out)), 0);
	/* redrawn in place: home and erase before each poll; the cursor hidden, then back */
	const char *first = strstr(out, "\033[H\033[J");
	assert_non_null(first);
	assert_non_null(strstr(first + 1, "\033[H\033[J"));
	assert_non_null(strstr(out, "\033[?25l"));
	assert_non_null(strstr(out, "\033[?25h"));
	assert_true(strstr(out, "\033[?25h") > strstr(first + 1, "\033[H\033[J"));
	strip_terminal(out);
	assert_fits_80("watch on a terminal", out);
	assert_non_null(strstr(out, "Port 3 (Ethernet16): poll 2"));
	assert_non_null(strstr(out, "Lane DP state"));
	assert_non_null(strstr(out, "HA/LA high/low alarm")); /* the legend */
	assert_non_null(strstr(out, "DPChg data-path state"));

	/* Ctrl-C: exit 0, and the cursor shown again as the last thing written */
	char *const endless[] = { "lbctl", "watch", "3", "--interval", "0.01", NULL };
	assert_int_equal(on_terminal(endless, "TxLOL/RxLOL loss of lock", out, sizeof(out)), 0);
	const char *restore = strstr(out, "\033[?25h");
	assert_non_null(restore);
	assert_string_equal(restore, "\033[?25h");
}

/* A wider terminal gets wider tables (and never lines past its width); 80 columns the narrow ones. */
static void test_wide_terminal(void **unused)
{
	(void)unused;
	static char out[65536];
	char *const list[] = { "lbctl", "--fresh", "list", NULL };
	assert_int_equal(on_terminal_cols(list, NULL, out, sizeof(out), 132), 0);
	strip_terminal(out);
	assert_non_null(strstr(out, "VENDOR"));
	assert_non_null(strstr(out, "LIGHTBRIDGE EMU"));
	assert_non_null(strstr(out, " i2c1 "));
	for (const char *p = out; *p;) {
		size_t n = strcspn(p, "\n");
		assert_true(n <= 132);
		p += n + (p[n] == '\n');
	}
	assert_int_equal(on_terminal_cols(list, NULL, out, sizeof(out), 100), 0);
	strip_terminal(out);
	assert_null(strstr(out, "VENDOR")); /* not room enough: the 80-column table */
	assert_fits_80("list at 100 columns", out);
	char *const demo[] = { "lbctl", "demo", NULL };
	assert_int_equal(on_terminal_cols(demo, NULL, out, sizeof(out), 140), 0);
	strip_terminal(out);
	assert_non_null(strstr(out, "VENDOR"));
	assert_non_null(strstr(out, "Ethernet40"));
}

/* Operations that wait say so on a terminal while they wait, and erase the line after. */
static void test_waits_show_progress_on_a_terminal(void **unused)
{
	(void)unused;
	static char out[65536];
	char *const reset[] = { "lbctl", "--fresh", "reset", "2", NULL };
	assert_int_equal(on_terminal(reset, NULL, out, sizeof(out)), 0);
	const char *w = strstr(out, "port 2: reset: waiting for the module to answer again ...");
	assert_non_null(w);
	assert_non_null(strstr(w, "\r\033[Kport 2: reset, ModuleLowPwr after")); /* erased first */
	char *const power[] = { "lbctl", "power", "2", "high", NULL };
	assert_int_equal(on_terminal(power, NULL, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "port 2: power: waiting for ModuleReady ..."));
	char *const apply[] = { "lbctl", "app", "2", "1", NULL };
	/* the lanes came up with the module: rejected (LanesInUse), after the wait all the same */
	assert_int_equal(on_terminal(apply, NULL, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "port 2: app: applying, waiting for the ConfigStatus ..."));
	/* off a terminal: nothing of it */
	assert_int_equal(lbctl_run(&run, "reset 2"), 0);
	assert_string_equal(run.err, "");
}

/*
 * With the lock file held (as another lbctl holds it), run argv: the wait is said on stderr
 * at once (want, read while the lock is still held), then the command runs to exit 0.
 */
static void notice_while_locked(const char *lock, char *const argv[], const char *want)
{
	int lfd = open(lock, O_RDWR | O_CREAT, 0600);
	assert_true(lfd >= 0);
	assert_int_equal(flock(lfd, LOCK_EX), 0);
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(lfd);
		dup2(fd[1], 2);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		close(fd[0]);
		close(fd[1]);
		execv(getenv("LBCTL"), argv);
		_exit(127);
	}
	close(fd[1]);
	char err[1024];
	size_t at = 0;
	err[0] = '\0';
	/* blocking reads: the notice comes while the lock is still ours */
	while (!memchr(err, '\n', at)) {
		ssize_t n = read(fd[0], err + at, sizeof(err) - 1 - at);
		assert_true(n > 0);
		at += (size_t)n;
		err[at] = '\0';
	}
	if (!strstr(err, want))
		fail_msg("stderr lacks '%s': %s", want, err);
	assert_int_equal(flock(lfd, LOCK_UN), 0);
	close(lfd);
	while (read(fd[0], err, sizeof(err)) > 0)
		;
	close(fd[0]);
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* Another lbctl holds the emulated state, or a bus's lock file: said at once. */
static void test_waiting_for_another_lbctl_is_said_at_once(void **unused)
{
	(void)unused;
	assert_int_equal(lbctl_run(&run, "--fresh list"), 0);
	char lock[128];
	snprintf(lock, sizeof(lock), "%s/default/emulator-state.json.lock", run.dir);
	char *const power[] = { "lbctl", "power", "1", "high", NULL };
	notice_while_locked(lock, power,
			    "in use by another process; waiting up to 30 s");

	char platform[128], bus_lock[128];
	snprintf(platform, sizeof(platform), "%s/locked.json", run.dir);
	snprintf(bus_lock, sizeof(bus_lock), "%s/b0.lock", run.dir);
	FILE *f = fopen(platform, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"lk\", \"buses\": [{\"name\": \"b0\", \"driver\": \"emulator\", "
		   "\"lock_file\": \"%s\", \"lock_wait_ms\": 600000, \"options\": {\"modules\": "
		   "[{\"profile\": \"400g-fr4-qsfpdd\"}]}}], \"ports\": [{\"port\": 1, \"name\": "
		   "\"Ethernet0\", \"bus\": \"b0\", \"cage\": \"QSFP-DD\"}]}\n", bus_lock);
	fclose(f);
	char *const list[] = { "lbctl", "--platform", platform, "list", NULL };
	char want[256];
	snprintf(want, sizeof(want), "lbctl: warning: bus lock %s held by pid %ld", bus_lock,
		 (long)getpid());
	notice_while_locked(bus_lock, list, want);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_option_is_worded_once),
		cmocka_unit_test(test_repeated_option_and_value_to_a_flag_are_refused),
		cmocka_unit_test(test_missing_and_extra_arguments),
		cmocka_unit_test(test_options_after_and_before_positionals),
		cmocka_unit_test(test_help_command_is_the_commands_help),
		cmocka_unit_test(test_global_options),
		cmocka_unit_test(test_human_output_fits_80_columns),
		cmocka_unit_test(test_real_images_show_fits_80_columns),
		cmocka_unit_test(test_json_style),
		cmocka_unit_test(test_errors_carry_the_detail),
		cmocka_unit_test(test_watch_counts_in_virtual_time),
		cmocka_unit_test(test_watch_shows_each_flag_once),
		cmocka_unit_test(test_watch_interrupted_exits_0),
		cmocka_unit_test(test_watch_on_a_terminal),
		cmocka_unit_test(test_waiting_for_another_lbctl_is_said_at_once),
		cmocka_unit_test(test_waits_show_progress_on_a_terminal),
		cmocka_unit_test(test_wide_terminal),
	};
	return LB_TEST_RUN(tests, setup, teardown);
}
