/* SPDX-License-Identifier: MIT */
/*
 * lbctl's command lines: one parser for every command (tools/lbctl/options.c), so the same
 * mistake is worded the same way everywhere, --opt=value works, a repeated option is refused,
 * and `lbctl help COMMAND` is the command's own help.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "lbctl_run.h"

static struct lbctl_run run;

/* Every command that takes PORT, with a valid rest of its line. */
static const char *const port_commands[] = { "reset 1", "power 1 low" };

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
}

static int setup(void **unused)
{
	(void)unused;
	return lbctl_run_setup(&run, "cli");
}

static int teardown(void **unused)
{
	(void)unused;
	return lbctl_run_teardown(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_unknown_option_is_worded_once),
		cmocka_unit_test(test_repeated_option_and_value_to_a_flag_are_refused),
		cmocka_unit_test(test_missing_and_extra_arguments),
		cmocka_unit_test(test_options_after_and_before_positionals),
		cmocka_unit_test(test_help_command_is_the_commands_help),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
