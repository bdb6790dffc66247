/* SPDX-License-Identifier: MIT */
/*
 * lbctl power / app / up / reset as a user runs them: separate processes on the embedded
 * emulated platform, whose state persists between them (--fresh starts over); rejections
 * named by their ConfigStatus code; exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "image_file.h"
#include "lbctl_run.h"
#include "synth_module.h"

LBCTL_RUN_FIXTURE("lbctl-dp")

static void test_up_persists_into_the_next_process(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	assert_non_null(strstr(run.out, "lanes 1-8 DPActivated"));
	assert_non_null(strstr(run.out, "AppSel 1"));
	/* another process sees the lanes up */
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_non_null(strstr(run.out, "DPActivated"));
	/* and a second bring-up finds nothing to do: no module transition to wait for */
	assert_int_equal(lbctl_run(&run, "--json up 1"), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_int_equal(json_integer_value(json_object_get(o, "port")), 1);
	assert_int_equal(json_integer_value(json_object_get(o, "appsel")), 1);
	json_t *l = json_object_get(o, "lanes_activated");
	assert_int_equal(json_array_size(l), 8);
	for (size_t i = 0; i < 8; i++)
		assert_int_equal(json_integer_value(json_array_get(l, i)), (json_int_t)i + 1);
	assert_true(json_real_value(json_object_get(o, "elapsed_ms")) < 100.0);
	assert_true(json_real_value(json_object_get(o, "deadline_ms")) > 0.0);
	json_decref(o);
}

static void test_rejections_are_named(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	/* not advertised: refused before any write, with the code the module would give */
	assert_int_equal(lbctl_run(&run, "--fresh app 1 15"), 1);
	assert_non_null(strstr(run.err, "ConfigRejectedInvalidAppSel"));
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_int_equal(run.out[0], 0);
	/* lanes in use: the module's own answer, per lane and in the error */
	assert_int_equal(lbctl_run(&run, "up 1"), 0);
	assert_int_equal(lbctl_run(&run, "app 1 2"), 1);
	assert_non_null(strstr(run.err, "ConfigRejectedLanesInUse"));
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_non_null(strstr(run.out, "lane 1: ConfigRejectedLanesInUse"));
	assert_int_equal(lbctl_run(&run, "--json app 1 2"), 1);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "status")), "rejected");
	assert_int_equal(json_integer_value(json_object_get(o, "reject_code")), 6);
	assert_string_equal(json_string_value(json_object_get(o, "reject_name")), "ConfigRejectedLanesInUse");
	assert_int_equal(json_array_size(json_object_get(o, "lanes")), 8);
	json_decref(o);
	/* half of the 8-lane application */
	assert_int_equal(lbctl_run(&run, "app 1 1 --lanes 0x0f"), 1);
	assert_non_null(strstr(run.err, "ConfigRejectedPartialDataPath"));
}

static void test_power_and_reset(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	assert_int_equal(lbctl_run(&run, "--fresh up 3"), 0);
	assert_int_equal(lbctl_run(&run, "power 3 low"), 0);
	assert_non_null(strstr(run.out, "ModuleLowPwr"));
	assert_int_equal(lbctl_run(&run, "--json power 3 high"), 0);
	json_error_t je;
	json_t *o = json_loads(run.out, 0, &je);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "module_state")), "ModuleReady");
	json_decref(o);
	assert_int_equal(lbctl_run(&run, "reset 3"), 0);
	assert_non_null(strstr(run.out, "ModuleLowPwr"));
	/* a stepped-config module takes an application on deactivated lanes after the reset */
	assert_int_equal(lbctl_run(&run, "app 3 2 --lanes 0x0f"), 0);
	assert_non_null(strstr(run.out, "lane 4: ConfigSuccess"));
}

/* An SFF-8636 QSFP28 on an emulated platform of its own: port 1. */
static void sff8636_platform(char *platform, size_t len)
{
	struct lb_test_image img;
	memset(&img, 0, sizeof(img));
	img.has_page[0] = true;
	img.lower[0] = img.page[0][0] = 0x11; /* QSFP28 (SFF-8636) */
	img.lower[2] = 0x04;                  /* SFF-8636 flat_mem */
	lb_test_put_string(&img, 0, 148, "FINISAR CORP", 16);
	lb_test_put_string(&img, 0, 168, "FTLC9558REPM", 16);
	char image[128];
	snprintf(image, sizeof(image), "%s/qsfp28.txt", run.dir);
	assert_int_equal(lb_test_image_save(image, &img), 0);
	snprintf(platform, len, "%s/qsfp28-platform.json", run.dir);
	FILE *f = fopen(platform, "w");
	assert_non_null(f);
	fprintf(f, "{\"name\": \"one-qsfp28\", \"buses\": [{\"name\": \"b0\", \"driver\": \"emulator\","
		   " \"options\": {\"modules\": [{\"image\": \"%s\"}]}}],"
		   " \"ports\": [{\"port\": 1, \"bus\": \"b0\", \"cage\": \"QSFP28\"}]}\n", image);
	fclose(f);
}

/* A module with no CMIS module state machine: power and reset are refused, not faked. */
static void test_non_cmis_module_refused(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	char platform[128], args[256];
	sff8636_platform(platform, sizeof(platform));
	static const char *const cmds[] = { "power 1 high", "power 1 low", "reset 1" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(args, sizeof(args), "--platform '%s' %s", platform, cmds[i]);
		assert_int_equal(lbctl_run(&run, args), 6);
		assert_int_equal(lbctl_run_lines(run.err), 1);
		assert_non_null(strstr(run.err, "not a CMIS module: no module state machine"));
		assert_non_null(strstr(run.err, "0x11"));
		assert_int_equal(run.out[0], 0);
	}
	/* and nothing was written: byte 26 (CMIS LowPwrRequestSW, SoftwareReset) is as made */
	snprintf(args, sizeof(args), "--platform '%s' dump 1", platform);
	assert_int_equal(lbctl_run(&run, args), 0);
	assert_non_null(strstr(run.out, "10: 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
}

static void test_exit_codes(void **unused)
{
	(void)unused;
	NEED_LBCTL();
	assert_int_equal(lbctl_run(&run, "power"), 2);
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_int_equal(lbctl_run(&run, "power 1 medium"), 2);
	/* ports go by number or by name: "one" names none */
	assert_int_equal(lbctl_run(&run, "power one low"), 3);
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_int_equal(lbctl_run(&run, "power Ethernet24 high"), 0);
	assert_non_null(strstr(run.out, "port 4: ModuleReady"));
	assert_int_equal(lbctl_run(&run, "power 99 low"), 3);
	assert_int_equal(lbctl_run_lines(run.err), 1);
	assert_int_equal(lbctl_run(&run, "up"), 2);
	assert_int_equal(lbctl_run(&run, "up 1 16"), 2);
	assert_int_equal(lbctl_run(&run, "up 99"), 3);
	assert_int_equal(lbctl_run(&run, "up 1 --lanes zz"), 2);
	assert_int_equal(lbctl_run(&run, "app 1"), 2);
	assert_int_equal(lbctl_run(&run, "app 1 0"), 2);
	assert_int_equal(lbctl_run(&run, "app 1 1 --lanes"), 2);
	assert_int_equal(lbctl_run(&run, "reset"), 2);
	assert_int_equal(lbctl_run(&run, "reset 99"), 3);
	assert_int_equal(lbctl_run(&run, "reset 1 2"), 2);
	static const char *const helps[] = { "power", "app", "up", "reset" };
	for (size_t i = 0; i < 4; i++) {
		char a[32], want[32];
		snprintf(a, sizeof(a), "%s --help", helps[i]);
		snprintf(want, sizeof(want), "usage: lbctl %s", helps[i]);
		assert_int_equal(lbctl_run(&run, a), 0);
		assert_true(strncmp(run.out, want, strlen(want)) == 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_up_persists_into_the_next_process),
		cmocka_unit_test(test_rejections_are_named),
		cmocka_unit_test(test_power_and_reset),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_non_cmis_module_refused),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
