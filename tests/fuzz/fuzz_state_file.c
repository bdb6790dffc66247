/* SPDX-License-Identifier: MIT */
/*
 * fuzz_state_file: bytes as <state_dir>/emulator-state.json, the emulator bus driver's saved
 * platform (drivers/bus/emulator/emulator_state.c: format 2, line by line or by a full parse,
 * and format 1), read at the first bus open of a small emulated platform: two buses, three
 * modules of three profiles, one behind a mux. Every "@D@" of the input becomes the tree's
 * directory first, so that the seeds' "source" fields (profile paths) name the profiles of
 * whatever checkout runs them.
 *
 * Pass 1: open the platform with that state, touch every port (the module, the decoders, its
 * state and lane status: each module's saved state is restored at its first transfer), bring
 * port 1 to high power, close (which saves). Pass 2: open again on what pass 1 saved and
 * touch every port: the file this library wrote must be usable, so the driver must not warn
 * that it is not ("not usable", "bad clock fields") nor that a module's state is not.
 *
 * Nothing may crash, leak or hang; statuses are never positive; states are in range.
 */
#include <dirent.h>
#include <string.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char platform_json[] =
	"{\"name\": \"fuzz-3\", \"buses\": ["
	"{\"name\": \"i2c0\", \"driver\": \"emulator\", \"options\": {\"mux_addr\": 112, \"modules\": ["
	"{\"channel\": 0, \"profile\": \"coherent-800g-qsfpdd\"}, "
	"{\"channel\": 1, \"profile\": \"400g-fr4-qsfpdd\"}]}}, "
	"{\"name\": \"i2c1\", \"driver\": \"emulator\", \"options\": {\"modules\": ["
	"{\"profile\": \"800g-dr8-osfp\"}]}}], "
	"\"ports\": ["
	"{\"port\": 1, \"bus\": \"i2c0\", \"mux_addr\": 112, \"mux_channel\": 0}, "
	"{\"port\": 2, \"bus\": \"i2c0\", \"mux_addr\": 112, \"mux_channel\": 1}, "
	"{\"port\": 3, \"bus\": \"i2c1\"}]}";

static char tmpdir[256];
static char state_path[300];
static int warned; /* pass 2: warnings about the state the library itself wrote */

static void cleanup(void)
{
	if (!tmpdir[0])
		return;
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *e;
		char p[512];
		while ((e = readdir(d)))
			if (e->d_name[0] != '.') {
				snprintf(p, sizeof(p), "%s/%s", tmpdir, e->d_name);
				unlink(p);
			}
		closedir(d);
	}
	rmdir(tmpdir);
}

static void on_log(void *user, enum lb_log_level level, const char *msg)
{
	(void)level;
	if (user && strstr(msg, "emulator state") &&
	    (strstr(msg, "not usable") || strstr(msg, "bad clock") || strstr(msg, "not readable"))) {
		fprintf(stderr, "pass 2: %s\n", msg);
		warned = 1;
	}
}

/* One process's worth: open, touch every port (and power port 1 up), close. */
static void platform_once(int pass)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if (lb_ctx_create(&ctx) || lb_emu_register_drivers(ctx) ||
	    lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR) || lb_ctx_set_state_dir(ctx, tmpdir))
		abort();
	lb_ctx_set_log(ctx, on_log, pass == 2 ? (void *)1 : NULL, LB_LOG_WARN);
	int rc = lb_platform_open_json(ctx, platform_json, "fuzz-3", &p);
	if (rc) {
		/* Only the lock can keep it from opening; the state file never does. */
		fprintf(stderr, "lb_platform_open_json: %d: %s\n", rc, lb_ctx_last_error(ctx));
		abort();
	}
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		struct lb_module *m;
		if (lb_platform_port_at(p, i, &pi))
			abort();
		rc = lb_platform_module(p, pi.port, &m);
		if (rc > 0)
			abort();
		if (rc != LB_OK)
			continue;
		fuzz_touch(m);
		if (pass == 1 && pi.port == 1) {
			if (lb_module_set_low_power(m, false) > 0)
				abort();
			fuzz_check_state(m);
		}
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *tmp = getenv("TMPDIR"); /* tools/fuzz.sh gives each target its own */
	snprintf(tmpdir, sizeof(tmpdir), "%s/fuzz_state_file.XXXXXX", tmp && *tmp == '/' ? tmp : "/tmp");
	if (!mkdtemp(tmpdir))
		abort();
	snprintf(state_path, sizeof(state_path), "%s/emulator-state.json", tmpdir);
	atexit(cleanup);
	/* FUZZ_STATE_FILE_MKSEEDS=FILE: the state a first open and a power-up leave, "@D@" for the tree. */
	const char *seed = getenv("FUZZ_STATE_FILE_MKSEEDS");
	if (seed) {
		platform_once(1);
		FILE *in = fopen(state_path, "rb"), *out = fopen(seed, "wb");
		if (!in || !out)
			abort();
		static char buf[1 << 20];
		size_t n = fread(buf, 1, sizeof(buf) - 1, in), dl = strlen(LB_SOURCE_DIR);
		buf[n] = '\0';
		for (char *s = buf; *s;) {
			if (!strncmp(s, LB_SOURCE_DIR, dl)) {
				fputs("@D@", out);
				s += dl;
			} else {
				fputc(*s++, out);
			}
		}
		fclose(in);
		if (fclose(out))
			abort();
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f = fopen(state_path, "wb");
	if (!f)
		abort();
	size_t dl = strlen(LB_SOURCE_DIR);
	for (size_t i = 0; i < size;) {
		if (size - i >= 3 && !memcmp(data + i, "@D@", 3)) {
			fwrite(LB_SOURCE_DIR, 1, dl, f);
			i += 3;
		} else {
			fputc(data[i++], f);
		}
	}
	if (fclose(f))
		abort();
	platform_once(1);
	/* What pass 1 saved, to show when pass 2 cannot use it (FUZZ_STATE_FILE_KEEP=FILE: a copy). */
	char saved[2048] = "";
	const char *keep = getenv("FUZZ_STATE_FILE_KEEP");
	if ((f = fopen(state_path, "rb"))) {
		saved[fread(saved, 1, sizeof(saved) - 1, f)] = '\0';
		fclose(f);
	}
	if (keep) {
		char cmd[1024];
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", state_path, keep);
		if (system(cmd))
			fprintf(stderr, "could not copy the state to %s\n", keep);
	}
	warned = 0;
	platform_once(2);
	if (warned) {
		fprintf(stderr, "the state pass 1 saved (first %zu bytes):\n%s\n", sizeof(saved) - 1, saved);
		abort();
	}
	return 0;
}
