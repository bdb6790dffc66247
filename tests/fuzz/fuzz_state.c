/* SPDX-License-Identifier: MIT */
/*
 * fuzz_state: bytes as saved emulator state, on both paths that read it.
 *
 * (a) The text given to lb_emu_module_load_state on a module made from each of the tree's
 *     profiles (the "name" field picks the one it can load on). A state that loads is opened
 *     through the emulator bus and read by the decoders, then lb_module_get_state,
 *     lb_module_set_low_power(false) and lb_module_bring_up, each on the virtual clock.
 * (b) The contents of <tmpdir>/emulator-state.json (inputs with a "modules" key, version 2,
 *     or a "buses" key, version 1), which the emulator bus driver reads at the first bus open
 *     of the embedded default platform (lb_ctx_set_state_dir); every port is touched (module,
 *     identity, state, lane status, monitors: each module's saved state is restored then),
 *     then the platform is closed, which writes the state back, and the clock it saved must
 *     be one the next open can use.
 *
 * Nothing may crash, leak or hang, and a call that says LB_OK must not report a module state
 * outside 1..5, a data-path state outside 1..7 on a lane it counts, or a non-finite figure
 * (monitors: NaN only for what the module does not advertise).
 *
 * FUZZ_STATE_MKSEEDS=DIR: write seeds (each profile's saved state at a few points of a
 * bring-up, and the platform state files lbctl would leave) to DIR and exit.
 */
#include <dirent.h>
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

static char tmpdir[64];
static char state_path[128];

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

static void check_state(int rc, enum lb_module_state st)
{
	if (rc > 0 || (rc == LB_OK && ((int)st < 1 || (int)st > 5))) {
		fprintf(stderr, "lb_module_get_state: rc %d, state %d\n", rc, (int)st);
		abort();
	}
}

static void check_lanes(int rc, const struct lb_lane_status *ls)
{
	if (rc > 0)
		abort();
	if (rc != LB_OK)
		return;
	if (ls->lanes > LB_MODULE_MAX_LANES)
		abort();
	for (unsigned i = 0; i < ls->lanes; i++)
		if (ls->dp_state[i] < 1 || ls->dp_state[i] > 7) {
			fprintf(stderr, "lane %u: DP state %u\n", i + 1, ls->dp_state[i]);
			abort();
		}
}

/* What a host does with a module: decoders, state, lane status, monitors. */
static void touch(struct lb_module *m)
{
	fuzz_module_decoders(m);
	enum lb_module_state st = 0;
	check_state(lb_module_get_state(m, &st), st);
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	check_lanes(lb_module_get_lane_status(m, &ls), &ls);
}

/* (a) */
static void module_path(const char *text)
{
	for (unsigned i = 0; i < N_PROFILES; i++) {
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
		touch(r.m);
		if (lb_module_set_low_power(r.m, false) > 0)
			abort();
		enum lb_module_state st = 0;
		check_state(lb_module_get_state(r.m, &st), st);
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
		touch(r.m);
		if (lb_emu_world_now_ns(w) - t0 > 600ull * 1000000000ull)
			abort(); /* a runaway wait */
		fuzz_rig_down(&r);
		lb_emu_world_destroy(w);
	}
}

/* (b): one lbctl-like process on the embedded default platform with this state dir. */
static void platform_once(int check_saved)
{
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if (lb_ctx_create(&ctx) || lb_emu_register_drivers(ctx) || lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR) ||
	    lb_ctx_set_state_dir(ctx, tmpdir))
		abort();
	int rc = lb_platform_open(ctx, NULL, &p);
	if (rc) {
		/* Only the lock can keep it from opening; the state file never does. */
		fprintf(stderr, "lb_platform_open: %d: %s\n", rc, lb_ctx_last_error(ctx));
		abort();
	}
	unsigned n = lb_platform_port_count(p);
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_info pi;
		struct lb_module *m;
		if (lb_platform_port_at(p, i, &pi))
			abort();
		rc = lb_platform_module(p, pi.port, &m);
		if (rc > 0)
			abort();
		if (rc == LB_OK)
			touch(m);
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	if (check_saved) {
		/* What was saved must be a usable state again (the clock fields in range). */
		FILE *f = fopen(state_path, "rb");
		if (!f)
			abort();
		char buf[256];
		size_t got = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
		buf[got] = '\0';
		const char *v = strstr(buf, "\"virtual_ns\":");
		if (!v || v[13] == '-') {
			fprintf(stderr, "saved state: bad virtual_ns: %.200s\n", buf);
			abort();
		}
	}
}

static void platform_path(const uint8_t *data, size_t size)
{
	FILE *f = fopen(state_path, "wb");
	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f))
		abort();
	platform_once(1);
}

static void write_seed(const char *dir, const char *name, const char *text)
{
	char p[512];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		abort();
	char *buf = malloc(1 << 22);
	size_t got = buf ? fread(buf, 1, (1 << 22) - 1, f) : 0;
	fclose(f);
	if (!buf)
		abort();
	buf[got] = '\0';
	return buf;
}

static void make_seeds(const char *dir)
{
	mkdir(dir, 0755);
	char name[64];
	for (unsigned i = 0; i < N_PROFILES; i++) {
		struct lb_emu_world *w;
		struct lb_emu_module *em;
		char err[256];
		if (lb_emu_world_create(&w) || lb_emu_module_create(w, profiles[i], &em, err, sizeof(err)))
			abort();
		struct fuzz_rig r;
		fuzz_rig_up(&r, w, em);
		for (unsigned k = 0; k < 3; k++) {
			char *text;
			if (k == 1)
				(void)lb_module_set_low_power(r.m, false);
			if (k == 2)
				(void)lb_module_bring_up(r.m, 0, 0, NULL);
			if (lb_emu_module_save_state(em, &text))
				abort();
			snprintf(name, sizeof(name), "module-%u-%u.json", i, k);
			write_seed(dir, name, text);
			free(text);
		}
		fuzz_rig_down(&r);
		lb_emu_world_destroy(w);
	}
	/* Platform state: after a first open, and after bringing up every port. */
	unlink(state_path);
	platform_once(0);
	char *text = read_all(state_path);
	write_seed(dir, "platform-0.json", text);
	free(text);
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if (lb_ctx_create(&ctx) || lb_emu_register_drivers(ctx) || lb_ctx_set_data_dir(ctx, LB_SOURCE_DIR) ||
	    lb_ctx_set_state_dir(ctx, tmpdir) || lb_platform_open(ctx, NULL, &p))
		abort();
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct lb_port_info pi;
		struct lb_module *m;
		if (!lb_platform_port_at(p, i, &pi) && !lb_platform_module(p, pi.port, &m))
			(void)lb_module_bring_up(m, 0, 0, NULL);
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	text = read_all(state_path);
	write_seed(dir, "platform-1.json", text);
	free(text);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/fuzz_state.XXXXXX");
	if (!mkdtemp(tmpdir))
		abort();
	snprintf(state_path, sizeof(state_path), "%s/emulator-state.json", tmpdir);
	atexit(cleanup);
	const char *seeds = getenv("FUZZ_STATE_MKSEEDS");
	if (seeds) {
		make_seeds(seeds);
		exit(0);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';
	module_path(text);
	/*
	 * A file without "modules" or "buses" is refused at once ("not usable, starting fresh",
	 * which the seeds cover); only inputs that may be a platform state pay for a platform open.
	 */
	if (strstr(text, "\"modules\"") || strstr(text, "\"buses\""))
		platform_path(data, size);
	free(text);
	return 0;
}
