/* SPDX-License-Identifier: MIT */
/*
 * The emulated platform's state between lbctl processes: two processes at once never
 * corrupt it (writers take turns, readers share), --fresh starts over, a damaged state file
 * is survived, read-only commands leave the file as it was, and a module nobody touched
 * keeps its saved state (and its own clock) through the saves of other commands.
 */
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>
#include "image_file.h"
#include "lbctl_run.h"
#include "synth_module.h"

LBCTL_RUN_FIXTURE("state")
#define dir run.dir

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Module state and activated lanes of every port, from `lbctl --json list` and `show`. */
static json_t *show_json(unsigned port)
{
	char args[32];
	snprintf(args, sizeof(args), "--json show %u", port);
	if (lbctl_run(&run, args) != 0)
		return NULL;
	json_error_t e;
	return json_loads(run.out, 0, &e);
}

static unsigned activated_lanes(json_t *show)
{
	unsigned n = 0;
	json_t *lanes = json_object_get(show, "host_lanes");
	size_t i;
	json_t *l;
	json_array_foreach(lanes, i, l)
	{
		const char *st = json_string_value(json_object_get(l, "dp_state"));
		if (st && strcmp(st, "DPActivated") == 0)
			n++;
	}
	return n;
}

static void test_two_processes_at_once(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(lbctl_run(&run, "--fresh list"), 0);
	/* Both start together; each sees the other's result because they take turns on the state. */
	assert_int_equal(sh("('%s' up 1 >/dev/null & '%s' up 4 >/dev/null & wait) ; exit 0", l, l), 0);
	json_t *s1 = show_json(1), *s4 = show_json(4), *s2 = show_json(2);
	assert_non_null(s1);
	assert_non_null(s4);
	assert_non_null(s2);
	assert_int_equal(activated_lanes(s1), 8);
	assert_int_equal(activated_lanes(s4), 8);
	assert_int_equal(activated_lanes(s2), 0);
	json_decref(s1);
	json_decref(s4);
	json_decref(s2);
	/* the state file is whole JSON after all that */
	char path[128];
	snprintf(path, sizeof(path), "%s/default/emulator-state.json", dir);
	json_error_t e;
	json_t *st = json_load_file(path, 0, &e);
	assert_non_null(st);
	json_decref(st);
}

static void test_fresh_starts_over(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	assert_int_equal(lbctl_run(&run, "up 2"), 0);
	json_t *s = show_json(2);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	assert_int_equal(lbctl_run(&run, "--fresh list"), 0);
	s = show_json(2);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
}

static void test_damaged_state_file_survived(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	assert_int_equal(lbctl_run(&run, "up 5"), 0);
	assert_int_equal(sh("printf '{\"version\": 1, \"bus' > '%s/default/emulator-state.json'", dir), 0);
	/* a truncated state is not trusted: the platform starts from power-on, no crash */
	json_t *s = show_json(5);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
	/* nor is a clock that runs backwards */
	assert_int_equal(lbctl_run(&run, "up 5"), 0);
	assert_int_equal(sh("sed -i 's/\"virtual_ns\":[0-9]*/\"virtual_ns\":-5/' '%s/default/emulator-state.json'", dir), 0);
	assert_int_equal(sh("grep -q '\"virtual_ns\":-5' '%s/default/emulator-state.json'", dir), 0);
	s = show_json(5);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
}

static char state_path[128];

static const char *state_file(void)
{
	snprintf(state_path, sizeof(state_path), "%s/default/emulator-state.json", dir);
	return state_path;
}

/* What a write, a rename or a temporary file would change: inode, size, mtime, bytes, names. */
struct snapshot {
	struct stat st;
	char *bytes;
	size_t len;
	char names[512];
};

static void take_snapshot(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	assert_int_equal(stat(state_file(), &s->st), 0);
	FILE *f = fopen(state_file(), "rb");
	assert_non_null(f);
	s->bytes = malloc((size_t)s->st.st_size + 1);
	assert_non_null(s->bytes);
	s->len = fread(s->bytes, 1, (size_t)s->st.st_size + 1, f);
	fclose(f);
	assert_int_equal(s->len, (size_t)s->st.st_size);
	char path[128];
	snprintf(path, sizeof(path), "%s/default", dir);
	DIR *d = opendir(path);
	assert_non_null(d);
	struct dirent *e;
	/* few names, in the directory's order (the same unless one is added or removed) */
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			strncat(s->names, e->d_name, sizeof(s->names) - strlen(s->names) - 2);
			strcat(s->names, " ");
		}
	closedir(d);
}

static void assert_same_snapshot(const struct snapshot *a, const struct snapshot *b)
{
	assert_int_equal(a->st.st_ino, b->st.st_ino);
	assert_int_equal(a->st.st_size, b->st.st_size);
	assert_int_equal(a->st.st_mtim.tv_sec, b->st.st_mtim.tv_sec);
	assert_int_equal(a->st.st_mtim.tv_nsec, b->st.st_mtim.tv_nsec);
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->bytes, b->bytes, a->len);
	assert_string_equal(a->names, b->names);
}

static void test_readonly_commands_leave_state(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	char image[128];
	struct lb_test_image img;
	lb_test_synth_cmis(&img);
	snprintf(image, sizeof(image), "%s/synth.txt", dir);
	assert_int_equal(lb_test_image_save(image, &img), 0);
	struct snapshot before, after;
	take_snapshot(&before);
	assert_int_equal(strlen(before.names), strlen("emulator-state.json emulator-state.json.lock "));
	assert_non_null(strstr(before.names, "emulator-state.json "));
	assert_non_null(strstr(before.names, "emulator-state.json.lock "));
	const char *cmds[] = { "list", "show 1", "--json show 2", "dump 1 --page 0x11", "dump 3",
			       "plan link --distance-km 80", "detect", "show 99" };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		int rc = sh("'%s' %s >/dev/null 2>&1", l, cmds[i]);
		assert_int_equal(rc, strcmp(cmds[i], "show 99") == 0 ? 3 : 0);
	}
	assert_int_equal(sh("'%s' decode '%s' >/dev/null", l, image), 0);
	take_snapshot(&after);
	assert_same_snapshot(&before, &after);
	/* and what they read was the saved state */
	json_t *s1 = show_json(1);
	assert_int_equal(activated_lanes(s1), 8);
	json_decref(s1);
	free(before.bytes);
	free(after.bytes);
	unlink(image);
	/* --fresh starts over (under the lock) and leaves a fresh state: port 1 down again */
	assert_int_equal(lbctl_run(&run, "--fresh list"), 0);
	assert_int_equal(access(state_file(), F_OK), 0);
	s1 = show_json(1);
	assert_int_equal(activated_lanes(s1), 0);
	json_decref(s1);
	/* a read-only command with no state file writes none */
	assert_int_equal(unlink(state_file()), 0);
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_int_equal(access(state_file(), F_OK), -1);
}

static void test_state_carried_to_show(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	json_t *s = show_json(1);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	s = show_json(2);
	assert_int_equal(activated_lanes(s), 0);
	json_decref(s);
}

/* The saved entry of one module ("bus", "slot") in the state file, or NULL. */
static json_t *saved_entry(json_t *st, const char *bus, const char *slot)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(st, "modules"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "bus")), bus) == 0 &&
		    strcmp(json_string_value(json_object_get(e, "slot")), slot) == 0)
			return json_object_get(e, "state");
	return NULL;
}

static void test_untouched_modules_carried(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	assert_int_equal(lbctl_run(&run, "up 2"), 0);
	json_error_t e;
	json_t *after_up2 = json_load_file(state_file(), 0, &e);
	assert_non_null(after_up2);
	assert_int_equal(lbctl_run(&run, "show 1"), 0);
	assert_int_equal(lbctl_run(&run, "power 3 low"), 0);
	json_t *after_power = json_load_file(state_file(), 0, &e);
	assert_non_null(after_power);
	/* power 3 saved ports 1 and 2 (same bus) exactly as up 2 left them: never restored */
	assert_true(json_equal(saved_entry(after_up2, "i2c0", "0/80"), saved_entry(after_power, "i2c0", "0/80")));
	assert_true(json_equal(saved_entry(after_up2, "i2c0", "1/80"), saved_entry(after_power, "i2c0", "1/80")));
	assert_true(json_equal(saved_entry(after_up2, "i2c1", "0/80"), saved_entry(after_power, "i2c1", "0/80")));
	/* port 3, which it touched, was saved anew */
	assert_false(json_equal(saved_entry(after_up2, "i2c0", "2/80"), saved_entry(after_power, "i2c0", "2/80")));
	json_decref(after_up2);
	json_decref(after_power);
	json_t *s = show_json(2);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	s = show_json(1);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
}

/*
 * A module carried through other processes' saves keeps its own clock, and catches up from it
 * by exactly the time that passed: started powering up, it is still powering up a moment
 * later, and Ready once its power-up time has passed since the save that had it.
 */
static int platform_state(enum lb_state_mode mode, unsigned port, bool power_up)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	struct lb_module *m;
	char sd[128];
	snprintf(sd, sizeof(sd), "%s/default", dir);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_set_state_dir(ctx, sd), LB_OK);
	assert_int_equal(lb_ctx_set_state_mode(ctx, mode), LB_OK);
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
	if (power_up) {
		uint8_t v = 0x00; /* LowPwrAllowRequestHW and LowPwrRequestSW off: power up, no wait */
		assert_int_equal(lb_module_write(m, 0, 0, 26, &v, 1), LB_OK);
	}
	enum lb_module_state st = 0;
	assert_int_equal(lb_module_get_state(m, &st), LB_OK);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	return (int)st;
}

/* Move the save back in real time by ns, as if that much time had passed since it. */
static void age_state_file(uint64_t ns)
{
	FILE *f = fopen(state_file(), "rb");
	assert_non_null(f);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	const char *key = "\"saved_realtime_ns\":";
	char *at = strstr(buf, key);
	assert_non_null(at);
	at += strlen(key);
	char *end;
	unsigned long long t = strtoull(at, &end, 10);
	assert_true(t > ns);
	f = fopen(state_file(), "wb");
	assert_non_null(f);
	fwrite(buf, 1, (size_t)(at - buf), f);
	fprintf(f, "%llu", t - (unsigned long long)ns);
	fputs(end, f);
	assert_int_equal(fclose(f), 0);
}

static void test_carried_module_keeps_its_clock(void **state)
{
	(void)state;
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s/default'; mkdir -p -m 700 '%s/default'", dir, dir);
	assert_int_equal(system(cmd), 0);
	/* port 1 (coherent, power-up 1.5 s) starts powering up, and that is saved */
	assert_int_equal(platform_state(LB_STATE_READ_WRITE, 1, true), LB_MODULE_STATE_PWR_UP);
	json_error_t e;
	json_t *a = json_load_file(state_file(), 0, &e);
	assert_non_null(a);
	/* another process touches port 2 only and saves: port 1's entry is carried as it was */
	assert_int_equal(platform_state(LB_STATE_READ_WRITE, 2, false), LB_MODULE_STATE_LOW_PWR);
	json_t *b = json_load_file(state_file(), 0, &e);
	assert_non_null(b);
	assert_true(json_equal(saved_entry(a, "i2c0", "0/80"), saved_entry(b, "i2c0", "0/80")));
	assert_true(json_integer_value(json_object_get(b, "virtual_ns")) >=
		    json_integer_value(json_object_get(saved_entry(b, "i2c0", "0/80"), "t_ns")));
	json_decref(a);
	json_decref(b);
	/* a moment later it is still powering up: restored at its own clock, not pushed on */
	assert_int_equal(platform_state(LB_STATE_READ_ONLY, 1, false), LB_MODULE_STATE_PWR_UP);
	/* 10 s after the save it is Ready */
	age_state_file(10000000000ull);
	assert_int_equal(platform_state(LB_STATE_READ_ONLY, 1, false), LB_MODULE_STATE_READY);
}

/*
 * A cage with an emulated sideband: its module is restored when the sideband opens (the pins
 * are part of the saved state), before any transfer reaches it.
 */
static const char sb_platform[] =
	"{\"name\": \"sb\", \"buses\": [{\"name\": \"i2c0\", \"driver\": \"emulator\", \"options\":"
	" {\"clock_khz\": 400, \"mux_addr\": 112, \"modules\": ["
	"  {\"channel\": 0, \"profile\": \"coherent-800g-qsfpdd\"},"
	"  {\"channel\": 1, \"profile\": \"coherent-800g-qsfpdd\"}]}}],"
	" \"ports\": [{\"port\": 1, \"bus\": \"i2c0\", \"mux_channel\": 0,"
	"             \"sideband\": {\"driver\": \"emulator\"}},"
	"            {\"port\": 2, \"bus\": \"i2c0\", \"mux_channel\": 1}]}";

static bool sb_intl(enum lb_state_mode mode, bool release_lpmode)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	struct lb_sideband *sb;
	char sd[128];
	snprintf(sd, sizeof(sd), "%s/sb", dir);
	(void)mkdir(sd, 0700);
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_set_state_dir(ctx, sd), LB_OK);
	assert_int_equal(lb_ctx_set_state_mode(ctx, mode), LB_OK);
	assert_int_equal(lb_platform_open_json(ctx, sb_platform, "sb", &p), LB_OK);
	assert_int_equal(lb_platform_sideband(p, 1, &sb), LB_OK);
	if (release_lpmode) /* LPMode pin released: the module powers up, ModuleStateChanged */
		assert_int_equal(lb_sideband_set(sb, LB_SB_LPMODE, false), LB_OK);
	bool intl = false;
	assert_int_equal(lb_sideband_get(sb, LB_SB_INTL, &intl), LB_OK);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	return intl;
}

static void test_sideband_restores_its_module(void **state)
{
	(void)state;
	assert_false(sb_intl(LB_STATE_READ_WRITE, false)); /* power-on: nothing flagged */
	assert_true(sb_intl(LB_STATE_READ_WRITE, true));
	/* read back through the pins alone, with no transfer on the bus */
	assert_true(sb_intl(LB_STATE_READ_ONLY, false));
}

/*
 * The file as another tool may have laid it out (pretty-printed), and version 1 (one object
 * per bus), are read too; the next save writes version 2, one module per line.
 */
static void test_other_layouts_read(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	assert_int_equal(lbctl_run(&run, "--fresh up 1"), 0);
	json_error_t e;
	json_t *st = json_load_file(state_file(), 0, &e);
	assert_non_null(st);
	assert_int_equal(json_dump_file(st, state_file(), JSON_INDENT(2)), 0);
	json_t *s = show_json(1);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	/* version 1 */
	json_t *buses = json_object();
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(st, "modules"), i, m) {
		const char *bus = json_string_value(json_object_get(m, "bus"));
		if (!json_object_get(buses, bus))
			json_object_set_new(buses, bus, json_object());
		json_object_set_new(json_object_get(buses, bus),
				    json_string_value(json_object_get(m, "slot")),
				    json_pack("{s:O, s:O}", "source", json_object_get(m, "source"),
					      "state", json_object_get(m, "state")));
	}
	json_t *v1 = json_pack("{s:i, s:O, s:O, s:o}", "version", 1, "virtual_ns",
			       json_object_get(st, "virtual_ns"), "saved_realtime_ns",
			       json_object_get(st, "saved_realtime_ns"), "buses", buses);
	assert_non_null(v1);
	assert_int_equal(json_dump_file(v1, state_file(), 0), 0);
	json_decref(v1);
	json_decref(st);
	s = show_json(1);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	/* a write command saves version 2, one module per line, port 1 carried */
	assert_int_equal(lbctl_run(&run, "power 3 low"), 0);
	assert_int_equal(sh("head -1 '%s' | grep -q '^{\"version\":2,.*\"modules\":\\[$'", state_file()), 0);
	assert_int_equal(sh("test $(wc -l < '%s') -eq 8", state_file()), 0);
	s = show_json(1);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
}

static void test_readers_share_the_lock(void **state)
{
	(void)state;
	if (!getenv("LBCTL"))
		skip();
	const char *l = getenv("LBCTL");
	assert_int_equal(lbctl_run(&run, "--fresh up 4"), 0);
	/* two read-only runs at once both succeed */
	assert_int_equal(sh("'%s' show 4 >/dev/null & a=$!; '%s' list >/dev/null & b=$!; "
			    "wait $a && wait $b", l, l), 0);
	/* and one runs while another reader holds the lock (a writer would wait for it) */
	char lock[160];
	snprintf(lock, sizeof(lock), "%s.lock", state_file());
	int fd = open(lock, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_SH), 0);
	json_t *s = show_json(4);
	assert_non_null(s);
	assert_int_equal(activated_lanes(s), 8);
	json_decref(s);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_processes_at_once),
		cmocka_unit_test(test_fresh_starts_over),
		cmocka_unit_test(test_damaged_state_file_survived),
		cmocka_unit_test(test_readonly_commands_leave_state),
		cmocka_unit_test(test_state_carried_to_show),
		cmocka_unit_test(test_untouched_modules_carried),
		cmocka_unit_test(test_carried_module_keeps_its_clock),
		cmocka_unit_test(test_readers_share_the_lock),
		cmocka_unit_test(test_sideband_restores_its_module),
		cmocka_unit_test(test_other_layouts_read),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
