/* SPDX-License-Identifier: MIT */
/*
 * Persistence of an emulated platform between processes (lbctl invocations): module
 * memory, state machines and the virtual clock in <state_dir>/emulator-state.json. The
 * file is held under an exclusive flock from the first bus open to the last close, so two
 * processes never interleave on it; the virtual clock moves on by the real time elapsed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>
#include "emulator_bus.h"

#define STATE_FILE "emulator-state.json"
#define STATE_VERSION 1
#define STATE_LOCK_WAIT_MS 30000u
#define STATE_CLOCK_MAX_NS ((json_int_t)1 << 62)

static uint64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int take_lock(const struct lb_driver_env *env, struct emu_shared *sh)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s.lock", sh->state_path);
	sh->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (sh->lock_fd < 0) {
		lb_driver_log(env, LB_LOG_ERR, "emulator state %s: %s", path, strerror(errno));
		return errno == EACCES ? LB_E_PERM : LB_E_IO;
	}
	for (uint32_t waited = 0; flock(sh->lock_fd, LOCK_EX | LOCK_NB) != 0; waited++) {
		if (waited >= STATE_LOCK_WAIT_MS) {
			lb_driver_log(env, LB_LOG_ERR, "emulator state %s: held by another process", path);
			return LB_E_BUSY;
		}
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL); /* waiting on another real process */
	}
	return LB_OK;
}

static void load_state(const struct lb_driver_env *env, struct emu_shared *sh)
{
	json_error_t jerr;
	json_t *st = json_load_file(sh->state_path, 0, &jerr);
	if (!st)
		return; /* none yet, or unreadable: start fresh */
	json_t *v = json_object_get(st, "version");
	if (!json_is_object(st) || json_integer_value(v) != STATE_VERSION ||
	    !json_is_object(json_object_get(st, "buses"))) {
		lb_driver_log(env, LB_LOG_WARN, "emulator state %s: not usable, starting fresh",
			      sh->state_path);
		json_decref(st);
		return;
	}
	json_t *jv = json_object_get(st, "virtual_ns"), *js = json_object_get(st, "saved_realtime_ns");
	/*
	 * The clock is saved as a JSON integer (at most INT64_MAX) and moves on by the real time
	 * since the save: a saved clock beyond 2^62 ns (146 years) leaves it no room to do so.
	 */
	if (!json_is_integer(jv) || json_integer_value(jv) < 0 ||
	    json_integer_value(jv) > STATE_CLOCK_MAX_NS || !json_is_integer(js) ||
	    json_integer_value(js) < 0) {
		lb_driver_log(env, LB_LOG_WARN, "emulator state %s: bad clock fields, starting fresh",
			      sh->state_path);
		json_decref(st);
		return;
	}
	uint64_t virt = (uint64_t)json_integer_value(jv);
	uint64_t saved = (uint64_t)json_integer_value(js);
	uint64_t now = realtime_ns();
	lb_emu_world_set_now_ns(sh->world, virt);
	sh->saved_elapsed_ns = now > saved ? now - saved : 0;
	sh->saved = st;
}

int emu_shared_acquire(const struct lb_driver_env *env, struct emu_shared **out)
{
	struct emu_shared *sh = env->shared ? *env->shared : NULL;
	if (sh) {
		sh->refs++;
		*out = sh;
		return LB_OK;
	}
	sh = calloc(1, sizeof(*sh));
	if (!sh)
		return LB_E_NOMEM;
	sh->lock_fd = -1;
	int rc = lb_emu_world_create(&sh->world);
	if (rc == LB_OK && env->state_dir) {
		snprintf(sh->state_path, sizeof(sh->state_path), "%s/%s", env->state_dir, STATE_FILE);
		if ((rc = take_lock(env, sh)) == LB_OK)
			load_state(env, sh);
	}
	if (rc) {
		if (sh->lock_fd >= 0)
			close(sh->lock_fd);
		lb_emu_world_destroy(sh->world);
		free(sh);
		return rc;
	}
	sh->refs = 1;
	if (env->shared)
		*env->shared = sh;
	*out = sh;
	return LB_OK;
}

static json_t *saved_buses(struct emu_shared *sh)
{
	if (!sh->saved) {
		sh->saved = json_pack("{s:i, s:{}}", "version", STATE_VERSION, "buses");
	}
	return json_object_get(sh->saved, "buses");
}

static void slot_key(const struct lb_emu_placement *s, char *key, size_t len)
{
	snprintf(key, len, "%d/%u", s->channel, s->addr);
}

void emu_state_restore_module(struct emu_shared *sh, const char *bus, const struct lb_emu_placement *s)
{
	if (!sh->saved)
		return;
	char key[32];
	slot_key(s, key, sizeof(key));
	json_t *e = json_object_get(json_object_get(saved_buses(sh), bus), key);
	const char *source = json_string_value(json_object_get(e, "source"));
	json_t *state = json_object_get(e, "state");
	if (!source || strcmp(source, s->source) != 0 || !state)
		return; /* another module is plugged in now: it starts from power-on */
	char *text = json_dumps(state, JSON_COMPACT);
	if (text)
		lb_emu_module_load_state(s->module, text);
	free(text);
}

void emu_state_catch_up(struct emu_shared *sh)
{
	if (sh->saved_elapsed_ns) {
		lb_emu_world_advance_ns(sh->world, sh->saved_elapsed_ns);
		sh->saved_elapsed_ns = 0;
	}
}

void emu_state_store_bus(struct emu_shared *sh, const struct emu_bus *b)
{
	if (sh->lock_fd < 0)
		return;
	json_t *bus = json_object();
	for (unsigned i = 0; i < b->n_slots; i++) {
		char *text = NULL;
		if (lb_emu_module_save_state(b->slots[i].module, &text) != LB_OK)
			continue;
		json_error_t jerr;
		json_t *state = json_loads(text, 0, &jerr);
		free(text);
		if (!state)
			continue;
		char key[32];
		slot_key(&b->slots[i], key, sizeof(key));
		/* A source path that is not UTF-8 cannot go into JSON: that module starts afresh. */
		json_t *source = json_string(b->slots[i].source), *entry = json_object();
		if (!source || !entry) {
			json_decref(source);
			json_decref(entry);
			json_decref(state);
			lb_driver_log(b->env, LB_LOG_WARN, "emulator state: module %s not saved",
				      b->slots[i].source);
			continue;
		}
		/* set_new takes the reference, also when it fails */
		json_object_set_new(entry, "source", source);
		json_object_set_new(entry, "state", state);
		json_object_set_new(bus, key, entry);
	}
	json_object_set_new(saved_buses(sh), b->name, bus);
}

void emu_shared_release(struct emu_shared *sh, const struct lb_driver_env *env)
{
	if (--sh->refs)
		return;
	if (sh->lock_fd >= 0) {
		json_t *buses = saved_buses(sh);
		json_incref(buses);
		uint64_t virt = lb_emu_world_now_ns(sh->world);
		if (virt > (uint64_t)INT64_MAX)
			virt = (uint64_t)INT64_MAX; /* as the modules' clocks are saved */
		json_t *st = json_pack("{s:i, s:I, s:I, s:o}", "version", STATE_VERSION, "virtual_ns",
				       (json_int_t)virt, "saved_realtime_ns",
				       (json_int_t)realtime_ns(), "buses", buses);
		char tmp[PATH_MAX + 8];
		snprintf(tmp, sizeof(tmp), "%s.tmp", sh->state_path);
		/* Write then rename, so a crash never leaves half a state file. */
		if (!st || json_dump_file(st, tmp, JSON_COMPACT) != 0 || rename(tmp, sh->state_path) != 0)
			lb_driver_log(env, LB_LOG_ERR, "emulator state %s: cannot save", sh->state_path);
		json_decref(st);
		close(sh->lock_fd);
	}
	json_decref(sh->saved);
	lb_emu_world_destroy(sh->world);
	if (env->shared && *env->shared == sh)
		*env->shared = NULL;
	free(sh);
}
