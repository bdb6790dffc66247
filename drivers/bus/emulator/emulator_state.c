/* SPDX-License-Identifier: MIT */
/*
 * Persistence of an emulated platform between processes (lbctl invocations): module
 * memory, state machines and the virtual clock in <state_dir>/emulator-state.json.
 *
 * The file is held under a flock on <file>.lock from the first bus open to the last close:
 * exclusive for a read-write context, shared for a read-only one (which never writes), so a
 * writer never interleaves with anyone and readers run together.
 *
 * It is read once, at the first bus open: the clock, moved on by the real time since the
 * save, and one entry per module (bus, slot, source, and its saved state as text, not parsed
 * yet). A module's state is restored when a transfer first reaches it (or its sideband
 * opens), so a command pays for the modules it touches only. A save writes every module of
 * the buses this process opened: those restored or made here as they are now, the others'
 * entries as they were read. Such an entry keeps the clock of its own save and, restored by
 * a later process, its module catches up from there (lb_emu_module_load_state takes a module
 * clock behind the world's, never one ahead of it).
 *
 * Format, version 2: JSON, one module per line, so that the entries are found without
 * parsing the module states (the layout this file writes):
 *   {"version":2,"virtual_ns":N,"saved_realtime_ns":R,"modules":[
 *   {"bus":"i2c0","slot":"0/80","source":"/path/to/profile.json","state":{...}},
 *   ...
 *   ]}
 * The same JSON laid out otherwise, and version 1 ({"version":1, ..., "buses": {"i2c0":
 * {"0/80": {"source": ..., "state": {...}}}}}), are read by a full parse.
 *
 * The directory is trusted only when it is a directory (not a symlink) owned by the effective
 * user and not writable by group or others; every file in it is opened relative to it
 * (openat) with O_NOFOLLOW and O_NONBLOCK (a FIFO planted there cannot hang us) and used only
 * when it is a regular file; a save writes a temporary file of a random name made with O_EXCL
 * and renames it over the state.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "emulator_bus.h"

#define STATE_FILE "emulator-state.json"
#define STATE_VERSION 2
#define STATE_LOCK_WAIT_MS 30000u
#define STATE_CLOCK_MAX_NS ((json_int_t)1 << 62)
#define STATE_FILE_MAX ((size_t)64 << 20)

static const char modules_open[] = "\"modules\":[";
static const char state_key[] = ",\"state\":";

static uint64_t realtime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The state directory, if it can be trusted (see above). */
static int open_state_dir(const struct lb_driver_env *env, struct emu_shared *sh)
{
	sh->dir_fd = open(env->state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (sh->dir_fd < 0) {
		int err = errno;
		return lb_driver_error(env, err == EACCES ? LB_E_PERM : LB_E_IO,
				       "emulator state directory %s: %s", env->state_dir,
				       err == ELOOP || err == ENOTDIR ? "a symlink or not a directory"
								      : strerror(err));
	}
	struct stat st;
	if (fstat(sh->dir_fd, &st))
		return lb_driver_error(env, LB_E_IO, "emulator state directory %s: %s", env->state_dir,
				       strerror(errno));
	if (st.st_uid != geteuid())
		return lb_driver_error(env, LB_E_PERM,
				       "emulator state directory %s: owned by uid %u, not by uid %u: refused",
				       env->state_dir, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return lb_driver_error(env, LB_E_PERM,
				       "emulator state directory %s: writable by group or others: refused",
				       env->state_dir);
	return LB_OK;
}

/* A file of the state directory: no symlink followed, no FIFO waited on, regular only. */
static int open_in_dir(struct emu_shared *sh, const char *name, int flags)
{
	int fd = openat(sh->dir_fd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL; /* "not a regular file" */
		return -1;
	}
	return fd;
}

static int take_lock(const struct lb_driver_env *env, struct emu_shared *sh)
{
	int rc = open_state_dir(env, sh);
	if (rc)
		return rc;
	const char *path = STATE_FILE ".lock";
	sh->lock_fd = open_in_dir(sh, path, O_RDWR | O_CREAT);
	if (sh->lock_fd < 0) {
		int err = errno;
		return lb_driver_error(env, err == EACCES ? LB_E_PERM : LB_E_IO,
				       "emulator state %s/%s: %s", env->state_dir, path,
				       err == EINVAL || err == ELOOP ? "not a regular file" : strerror(err));
	}
	int how = sh->readonly ? LOCK_SH : LOCK_EX;
	for (uint32_t waited = 0; flock(sh->lock_fd, how | LOCK_NB) != 0; waited++) {
		if (waited >= STATE_LOCK_WAIT_MS)
			return lb_driver_error(env, LB_E_BUSY, "emulator state %s: held by another process",
					       path);
		if (waited == 0) /* said at once, so that a person knows why nothing happens */
			lb_driver_log(env, LB_LOG_WARN,
				      "emulator state %s/%s: %s by another process; waiting up to %u s",
				      env->state_dir, path, sh->readonly ? "being written" : "in use",
				      STATE_LOCK_WAIT_MS / 1000u);
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL); /* waiting on another real process */
	}
	return LB_OK;
}

static void entry_free(struct emu_saved *e)
{
	free(e->bus);
	free(e->slot);
	free(e->source);
	free(e->state);
}

static void entries_free(struct emu_saved *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		entry_free(&v[i]);
	free(v);
}

static char *dup_len(const char *s, size_t n)
{
	char *d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* Append an entry (copies of everything); false when out of memory. */
static bool entry_add(struct emu_saved **v, unsigned *n, unsigned *cap, const char *bus,
		      const char *slot, const char *source, const char *state, size_t state_len)
{
	if (*n == *cap) {
		unsigned c = *cap ? 2 * *cap : 16;
		struct emu_saved *nv = realloc(*v, c * sizeof(*nv));
		if (!nv)
			return false;
		*v = nv;
		*cap = c;
	}
	struct emu_saved e = { .bus = strdup(bus), .slot = strdup(slot), .source = strdup(source),
			       .state = dup_len(state, state_len) };
	if (!e.bus || !e.slot || !e.source || !e.state) {
		entry_free(&e);
		return false;
	}
	(*v)[(*n)++] = e;
	return true;
}

/* The clock fields of a state; false when they are not usable. */
static bool take_clock(struct emu_shared *sh, json_t *st)
{
	json_t *jv = json_object_get(st, "virtual_ns"), *js = json_object_get(st, "saved_realtime_ns");
	/*
	 * The clock is saved as a JSON integer (at most INT64_MAX) and moves on by the real time
	 * since the save: a saved clock beyond 2^62 ns (146 years) leaves it no room to do so.
	 */
	if (!json_is_integer(jv) || json_integer_value(jv) < 0 ||
	    json_integer_value(jv) > STATE_CLOCK_MAX_NS || !json_is_integer(js) ||
	    json_integer_value(js) < 0)
		return false;
	uint64_t virt = (uint64_t)json_integer_value(jv);
	uint64_t saved = (uint64_t)json_integer_value(js);
	uint64_t now = realtime_ns();
	uint64_t elapsed = now > saved ? now - saved : 0;
	sh->clock_ns = elapsed > UINT64_MAX - virt ? UINT64_MAX : virt + elapsed;
	return true;
}

/* One module line: {"bus":B,"slot":S,"source":SRC,"state":STATE} and a ',' unless last. */
static bool read_line(struct emu_shared *sh, const char *line, size_t len)
{
	if (len && line[len - 1] == ',')
		len--;
	/* A NUL is in no line this file writes (and the save writes a state as a string). */
	if (len < 2 || line[0] != '{' || line[len - 1] != '}' || memchr(line, '\0', len))
		return false;
	/* Not inside the strings before it, where a '"' is always escaped. */
	const char *k = memmem(line, len, state_key, sizeof(state_key) - 1);
	if (!k)
		return false;
	size_t head_len = (size_t)(k - line);
	const char *state = k + sizeof(state_key) - 1;
	size_t state_len = (size_t)(line + len - 1 - state);
	if (state_len < 2 || state[0] != '{' || state[state_len - 1] != '}')
		return false;
	char *head = dup_len(line, head_len + 1);
	if (!head)
		return false;
	head[head_len] = '}';
	json_error_t jerr;
	json_t *o = json_loadb(head, head_len + 1, JSON_REJECT_DUPLICATES, &jerr);
	free(head);
	const char *bus = json_string_value(json_object_get(o, "bus"));
	const char *slot = json_string_value(json_object_get(o, "slot"));
	const char *source = json_string_value(json_object_get(o, "source"));
	bool ok = bus && slot && source && json_object_size(o) == 3 &&
		  entry_add(&sh->saved, &sh->n_saved, &sh->cap_saved, bus, slot, source, state,
			    state_len);
	json_decref(o);
	return ok;
}

/* The layout this file writes, read line by line; false for anything else. */
static bool read_lines(struct emu_shared *sh, const char *buf, size_t len)
{
	const char *end = buf + len;
	const char *nl = memchr(buf, '\n', len);
	size_t ml = sizeof(modules_open) - 1;
	if (!nl || (size_t)(nl - buf) < ml + 1 || memcmp(nl - ml, modules_open, ml) != 0)
		return false;
	/* The first line, closed as {..., "modules":[]}, is the header. */
	size_t hl = (size_t)(nl - buf);
	char *head = malloc(hl + 2);
	if (!head)
		return false;
	memcpy(head, buf, hl);
	memcpy(head + hl, "]}", 2);
	json_error_t jerr;
	json_t *st = json_loadb(head, hl + 2, JSON_REJECT_DUPLICATES, &jerr);
	free(head);
	bool ok = json_is_object(st) && json_is_integer(json_object_get(st, "version")) &&
		  json_integer_value(json_object_get(st, "version")) == STATE_VERSION &&
		  take_clock(sh, st);
	json_decref(st);
	if (!ok)
		return false;
	for (const char *line = nl + 1; line < end;) {
		const char *e = memchr(line, '\n', (size_t)(end - line));
		size_t ll = (size_t)((e ? e : end) - line);
		if (ll == 2 && memcmp(line, "]}", 2) == 0)
			return !e || e + 1 == end; /* the last line */
		if (!e || !read_line(sh, line, ll))
			return false;
		line = e + 1;
	}
	return false;
}

static void add_json_entry(struct emu_shared *sh, const char *bus, const char *slot, json_t *e)
{
	const char *source = json_string_value(json_object_get(e, "source"));
	json_t *state = json_object_get(e, "state");
	if (!bus || !slot || !source || !json_is_object(state))
		return; /* that module starts from power-on */
	char *text = json_dumps(state, JSON_COMPACT);
	if (text)
		entry_add(&sh->saved, &sh->n_saved, &sh->cap_saved, bus, slot, source, text,
			  strlen(text));
	free(text);
}

/* Any other layout of version 2, and version 1: a full parse. */
static void read_json(const struct lb_driver_env *env, struct emu_shared *sh, const char *buf,
		      size_t len)
{
	json_error_t jerr;
	json_t *st = json_loadb(buf, len, 0, &jerr);
	json_t *v = json_object_get(st, "version");
	json_t *buses = json_object_get(st, "buses"), *mods = json_object_get(st, "modules");
	json_int_t ver = json_is_integer(v) ? json_integer_value(v) : 0;
	if (!json_is_object(st) || !((ver == 1 && json_is_object(buses)) ||
				     (ver == STATE_VERSION && json_is_array(mods)))) {
		lb_driver_log(env, LB_LOG_WARN, "emulator state %s: not usable, starting fresh",
			      sh->state_path);
	} else if (!take_clock(sh, st)) {
		lb_driver_log(env, LB_LOG_WARN, "emulator state %s: bad clock fields, starting fresh",
			      sh->state_path);
	} else if (ver == 1) {
		const char *bname, *key;
		json_t *bus, *e;
		json_object_foreach(buses, bname, bus) {
			json_object_foreach(bus, key, e)
				add_json_entry(sh, bname, key, e);
		}
	} else {
		size_t i;
		json_t *e;
		json_array_foreach(mods, i, e)
			add_json_entry(sh, json_string_value(json_object_get(e, "bus")),
				       json_string_value(json_object_get(e, "slot")), e);
	}
	json_decref(st);
}

static void load_state(const struct lb_driver_env *env, struct emu_shared *sh)
{
	int fd = open_in_dir(sh, STATE_FILE, O_RDONLY);
	if (fd < 0) {
		if (errno != ENOENT)
			lb_driver_log(env, LB_LOG_WARN, "emulator state %s: %s, starting fresh",
				      sh->state_path,
				      errno == EINVAL || errno == ELOOP ? "not a regular file" : strerror(errno));
		return; /* none yet: start fresh */
	}
	struct stat sb;
	char *buf = NULL;
	size_t len = 0;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (size_t)sb.st_size <= STATE_FILE_MAX &&
	    (buf = malloc((size_t)sb.st_size + 1))) {
		while (len < (size_t)sb.st_size) {
			ssize_t got = read(fd, buf + len, (size_t)sb.st_size - len);
			if (got <= 0)
				break;
			len += (size_t)got;
		}
	}
	close(fd);
	if (!buf) {
		lb_driver_log(env, LB_LOG_WARN, "emulator state %s: not readable, starting fresh",
			      sh->state_path);
		return;
	}
	if (!read_lines(sh, buf, len)) {
		entries_free(sh->saved, sh->n_saved);
		sh->saved = NULL;
		sh->n_saved = sh->cap_saved = 0;
		sh->clock_ns = 0;
		read_json(env, sh, buf, len);
	}
	free(buf);
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
	sh->dir_fd = -1;
	sh->readonly = env->state_readonly != 0;
	int rc = lb_emu_world_create(&sh->world);
	if (rc == LB_OK && env->state_dir) {
		snprintf(sh->state_path, sizeof(sh->state_path), "%s/%s", env->state_dir, STATE_FILE);
		if ((rc = take_lock(env, sh)) == LB_OK && !env->state_fresh)
			load_state(env, sh);
	}
	if (rc) {
		if (sh->lock_fd >= 0)
			close(sh->lock_fd);
		if (sh->dir_fd >= 0)
			close(sh->dir_fd);
		lb_emu_world_destroy(sh->world);
		free(sh);
		return rc;
	}
	pthread_mutex_init(&sh->lock, NULL);
	/* The clock catches up once, here, before any module exists. */
	if (sh->clock_ns)
		lb_emu_world_set_now_ns(sh->world, sh->clock_ns);
	sh->refs = 1;
	if (env->shared)
		*env->shared = sh;
	*out = sh;
	return LB_OK;
}

static void slot_key(const struct lb_emu_placement *s, char *key, size_t len)
{
	snprintf(key, len, "%d/%u", s->channel, s->addr);
}

struct emu_saved *emu_state_find(struct emu_shared *sh, const char *bus,
				 const struct lb_emu_placement *s)
{
	char key[32];
	slot_key(s, key, sizeof(key));
	for (unsigned i = 0; i < sh->n_saved; i++) {
		struct emu_saved *e = &sh->saved[i];
		if (strcmp(e->bus, bus) == 0 && strcmp(e->slot, key) == 0)
			/* another module is plugged in now: it starts from power-on */
			return strcmp(e->source, s->source) == 0 ? e : NULL;
	}
	return NULL;
}

void emu_state_restore_slot(struct emu_bus *b, unsigned i)
{
	struct emu_saved *e = b->pending[i];
	if (!e)
		return;
	b->pending[i] = NULL;
	b->n_pending--;
	/* Its clock is behind the world's (saved earlier): it catches up from there. */
	int rc = lb_emu_module_load_state(b->slots[i].module, e->state);
	if (rc)
		lb_driver_log(b->env, LB_LOG_WARN,
			      "emulator state: bus %s, module %s (channel/address): saved state not "
			      "usable (%s), starting from power-on",
			      b->name, e->slot, lb_strerror(rc));
}

static bool out_add(struct emu_shared *sh, const char *bus, const char *slot, const char *source,
		    const char *state)
{
	return entry_add(&sh->out, &sh->n_out, &sh->cap_out, bus, slot, source, state,
			 strlen(state));
}

void emu_state_store_bus(struct emu_shared *sh, const struct emu_bus *b)
{
	if (sh->lock_fd < 0 || sh->readonly)
		return;
	pthread_mutex_lock(&sh->lock);
	/* The bus writes its own entries: the ones read for it go, as a bus of the same name kept. */
	for (unsigned i = 0; i < sh->n_saved; i++)
		if (strcmp(sh->saved[i].bus, b->name) == 0)
			sh->saved[i].taken = true;
	for (unsigned i = 0; i < sh->n_out;) {
		if (strcmp(sh->out[i].bus, b->name) == 0) {
			entry_free(&sh->out[i]);
			sh->out[i] = sh->out[--sh->n_out];
		} else {
			i++;
		}
	}
	for (unsigned i = 0; i < b->n_slots; i++) {
		const struct lb_emu_placement *s = &b->slots[i];
		char key[32];
		slot_key(s, key, sizeof(key));
		bool ok;
		if (b->pending[i]) {
			ok = out_add(sh, b->name, key, s->source, b->pending[i]->state); /* as read */
		} else {
			char *text = NULL;
			ok = lb_emu_module_save_state(s->module, &text) == LB_OK &&
			     out_add(sh, b->name, key, s->source, text);
			free(text);
		}
		if (!ok)
			lb_driver_log(b->env, LB_LOG_WARN, "emulator state: module %s not saved",
				      s->source);
	}
	pthread_mutex_unlock(&sh->lock);
}

/*
 * The head of a module line, {"bus":B,"slot":S,"source":SRC without its '}'; NULL if it cannot
 * be written (a source path that is not UTF-8: that module starts afresh).
 */
static char *entry_head(const struct emu_saved *e)
{
	json_t *head = json_pack("{s:s, s:s, s:s}", "bus", e->bus, "slot", e->slot, "source",
				 e->source);
	char *text = head ? json_dumps(head, JSON_COMPACT) : NULL;
	json_decref(head);
	size_t n = text ? strlen(text) : 0;
	if (n < 2 || text[n - 1] != '}') {
		free(text);
		return NULL;
	}
	text[n - 1] = '\0'; /* the state goes last, in the same object */
	return text;
}

static void save_state(const struct lb_driver_env *env, struct emu_shared *sh)
{
	uint64_t virt = lb_emu_world_now_ns(sh->world);
	if (virt > (uint64_t)INT64_MAX)
		virt = (uint64_t)INT64_MAX; /* as the modules' clocks are saved */
	/* A temporary file of a name nobody can have planted: random, created with O_EXCL. */
	char tmp[64];
	int fd = -1;
	for (int attempt = 0; fd < 0 && attempt < 16; attempt++) {
		uint64_t r = 0;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = realtime_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)attempt;
		snprintf(tmp, sizeof(tmp), STATE_FILE ".%016llx.tmp", (unsigned long long)r);
		fd = openat(sh->dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		lb_driver_log(env, LB_LOG_ERR, "emulator state %s: cannot save: %s", sh->state_path,
			      strerror(errno));
		return;
	}
	fprintf(f, "{\"version\":%d,\"virtual_ns\":%llu,\"saved_realtime_ns\":%llu,%s\n",
		STATE_VERSION, (unsigned long long)virt, (unsigned long long)realtime_ns(),
		modules_open);
	/* Entries of buses not opened here as they were read, then those of the buses closed here. */
	unsigned n = sh->n_saved + sh->n_out, last = n;
	char **heads = calloc(n ? n : 1, sizeof(*heads));
	for (unsigned i = 0; heads && i < n; i++) {
		const struct emu_saved *e = i < sh->n_saved ? &sh->saved[i] : &sh->out[i - sh->n_saved];
		if (i < sh->n_saved && e->taken)
			continue;
		if (!(heads[i] = entry_head(e)))
			lb_driver_log(env, LB_LOG_WARN, "emulator state: module %s not saved", e->source);
		else
			last = i;
	}
	for (unsigned i = 0; heads && i < n; i++) {
		if (!heads[i])
			continue;
		const struct emu_saved *e = i < sh->n_saved ? &sh->saved[i] : &sh->out[i - sh->n_saved];
		fputs(heads[i], f);
		fputs(state_key, f);
		fputs(e->state, f);
		fputs(i == last ? "}\n" : "},\n", f);
		free(heads[i]);
	}
	fputs("]}\n", f);
	/* Write then rename, so a crash never leaves half a state file. */
	bool ok = heads && fflush(f) == 0 && !ferror(f);
	free(heads);
	if (fclose(f) != 0 || !ok || renameat(sh->dir_fd, tmp, sh->dir_fd, STATE_FILE) != 0) {
		lb_driver_log(env, LB_LOG_ERR, "emulator state %s: cannot save", sh->state_path);
		unlinkat(sh->dir_fd, tmp, 0);
	}
}

void emu_shared_release(struct emu_shared *sh, const struct lb_driver_env *env)
{
	if (--sh->refs)
		return;
	if (sh->lock_fd >= 0) {
		if (!sh->readonly)
			save_state(env, sh);
		close(sh->lock_fd);
	}
	if (sh->dir_fd >= 0)
		close(sh->dir_fd);
	entries_free(sh->saved, sh->n_saved);
	entries_free(sh->out, sh->n_out);
	pthread_mutex_destroy(&sh->lock);
	lb_emu_world_destroy(sh->world);
	if (env->shared && *env->shared == sh)
		*env->shared = NULL;
	free(sh);
}
