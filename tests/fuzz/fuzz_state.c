/* SPDX-License-Identifier: MIT */
/*
 * fuzz_state: bytes as one module's saved emulator state (lb_emu_module_load_state), on a
 * module made from the tree's profile whose name the text holds ("name" picks the profile a
 * state can load on; a text that names none is tried on one profile, by its length). A state
 * that loads is opened through the emulator bus and read by the decoders, then
 * lb_module_get_state, lb_module_set_low_power(false) and lb_module_bring_up, each on the
 * virtual clock. The platform's state file (emulator-state.json) is fuzz_state_file's.
 *
 * Nothing may crash, leak or hang, and a call that says LB_OK must not report a module state
 * outside 1..5, a data-path state outside 1..7 on a lane it counts, or a non-finite figure
 * (monitors: NaN only for what the module does not advertise).
 *
 * FUZZ_STATE_MKSEEDS=DIR: write seeds (each profile's saved state at power-on, after high
 * power and after bring-up) to DIR and exit.
 */
#include <jansson.h>
#include <string.h>
#include <sys/stat.h>
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_PROFILES 4
static const char *const profiles[N_PROFILES] = {
	LB_SOURCE_DIR "/emulator/profiles/400g-fr4-qsfpdd.json",
	LB_SOURCE_DIR "/emulator/profiles/800g-dr8-osfp.json",
	LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json",
	LB_SOURCE_DIR "/emulator/profiles/1600g-2xdr8-osfpxd.json",
};

static char names[N_PROFILES][64]; /* each profile's module name, as its state says it */

/* The profiles a state names (at least one: by the text's length when it names none). */
static unsigned pick(const char *text, size_t len, bool which[N_PROFILES])
{
	unsigned n = 0;
	for (unsigned i = 0; i < N_PROFILES; i++) {
		char key[sizeof(names) + 3]; /* gcc sees the whole array behind names[i] */
		snprintf(key, sizeof(key), "\"%s\"", names[i]);
		which[i] = strstr(text, key) != NULL;
		n += which[i];
	}
	if (!n)
		which[len % N_PROFILES] = true;
	return n ? n : 1;
}

static void module_path(const char *text, size_t len)
{
	bool which[N_PROFILES];
	pick(text, len, which);
	for (unsigned i = 0; i < N_PROFILES; i++) {
		if (!which[i])
			continue;
		struct lb_emu_world *w;
		struct lb_emu_module *em;
		char err[256];
		if (lb_emu_world_create(&w))
			abort();
		lb_emu_world_set_now_ns(w, 10000000000ull); /* 10 s: saved t_ns up to that run */
		if (lb_emu_module_create(w, profiles[i], &em, err, sizeof(err))) {
			fprintf(stderr, "%s\n", err);
			abort();
		}
		int rc = lb_emu_module_load_state(em, text);
		if (rc > 0)
			abort();
		if (rc != LB_OK) {
			lb_emu_world_destroy(w);
			continue;
		}
		/* The advertised durations to codes 0-7 (at most 5 s), as in fuzz_bus. */
		static const uint8_t dur_off[3] = { 144, 167, 168 };
		for (unsigned k = 0; k < 3; k++) {
			uint8_t v;
			if (lb_emu_module_peek(em, 0, 1, dur_off[k], &v, 1) == LB_OK) {
				v &= 0x77;
				(void)lb_emu_module_poke(em, 0, 1, dur_off[k], &v, 1);
			}
		}
		struct fuzz_rig r;
		fuzz_rig_up(&r, w, em);
		uint64_t t0 = lb_emu_world_now_ns(w);
		fuzz_touch(r.m);
		if (lb_module_set_low_power(r.m, false) > 0)
			abort();
		fuzz_check_state(r.m);
		struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
		memset(&rep, 0, sizeof(rep));
		uint64_t s = lb_emu_world_now_ns(w);
		rc = lb_module_bring_up(r.m, 0, 0, &rep);
		uint64_t took = lb_emu_world_now_ns(w) - s;
		if (rc > 0 || (rep.deadline_ns && took > rep.deadline_ns + 200000000ull)) {
			fprintf(stderr, "bring_up rc %d took %llu ns, deadline %llu ns\n", rc,
				(unsigned long long)took, (unsigned long long)rep.deadline_ns);
			abort();
		}
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		(void)lb_module_get_monitors(r.m, &mon);
		lb_module_invalidate(r.m);
		fuzz_touch(r.m);
		if (lb_emu_world_now_ns(w) - t0 > 600ull * 1000000000ull)
			abort(); /* a runaway wait */
		fuzz_rig_down(&r);
		lb_emu_world_destroy(w);
	}
}

static void write_seed(const char *dir, const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

/* Each profile's module: its name (from its saved state), and seeds when dir is given. */
static void survey(const char *dir)
{
	if (dir)
		mkdir(dir, 0755);
	for (unsigned i = 0; i < N_PROFILES; i++) {
		struct lb_emu_world *w;
		struct lb_emu_module *em;
		char err[256];
		if (lb_emu_world_create(&w) || lb_emu_module_create(w, profiles[i], &em, err, sizeof(err)))
			abort();
		struct fuzz_rig r;
		fuzz_rig_up(&r, w, em);
		for (unsigned k = 0; k < (dir ? 3u : 1u); k++) {
			char *text;
			if (k == 1)
				(void)lb_module_set_low_power(r.m, false);
			if (k == 2)
				(void)lb_module_bring_up(r.m, 0, 0, NULL);
			if (lb_emu_module_save_state(em, &text))
				abort();
			if (k == 0) {
				json_t *root = json_loads(text, 0, NULL);
				const char *name = json_string_value(json_object_get(root, "name"));
				if (!name || strlen(name) >= sizeof(names[i]))
					abort();
				snprintf(names[i], sizeof(names[i]), "%s", name);
				json_decref(root);
			}
			if (dir) {
				char file[64];
				snprintf(file, sizeof(file), "module-%u-%u.json", i, k);
				write_seed(dir, file, text);
			}
			free(text);
		}
		fuzz_rig_down(&r);
		lb_emu_world_destroy(w);
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *seeds = getenv("FUZZ_STATE_MKSEEDS");
	survey(seeds);
	if (seeds)
		exit(0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	module_path(text, size);
	free(text);
	return 0;
}
