/* SPDX-License-Identifier: MIT */
/*
 * Persistence of an emulated ASIC the driver made (options "profile" and "name") between
 * processes, such as lbctl invocations: its ports, pools, profiles and PG and queue bindings,
 * and what the ports counted (counters, watermarks: emulated_stats.c), in
 * <state_dir>/asic-NAME.json. Signals and traffic are not kept: a new process starts without
 * traffic, as a chip whose peers went quiet.
 *
 * The file is held under a flock on asic-NAME.json.lock from open to close: exclusive for a
 * read-write context, shared for a read-only one, which never writes. The directory is trusted
 * only when it is a directory (not a symlink) owned by the effective user and not writable by
 * group or others; files in it are opened relative to it with O_NOFOLLOW and O_NONBLOCK and
 * used only when regular; a save writes a temporary file of a random name made with O_EXCL
 * and renames it over the state (as the emulator bus driver's state, docs/architecture.md).
 *
 * Format: {"version": 1, "profile": "...", "pools": [{"pool", "type", "mode", "size_bytes",
 * "xoff_bytes"}], "profiles": [{"profile", "pool", "mode", "dynamic_th", "reserved_bytes",
 * "static_th_bytes", "xoff_bytes", "xon_bytes", "xon_offset_bytes"}], "ports": [{"port",
 * "first_lane", "lane_count", "speed_mbps", "fec", "admin_up", "mtu", "loopback", "pfc_mask",
 * "pgs": [profile or -1, ...], "queues": [...], "pause", "qos" and "stats" (optional)}],
 * "pool_watermarks" (optional), "hyperports" (optional): [{"hyperport",
 * "members": [four ports], "hash"}], "voq" (optional, emulated_voq.c): {"switch_id", "cores",
 * "system_ports": [{"slot", "id", "switch_id", "core", "core_port", "speed_mbps", "num_voq"}]}}.
 * A file of another profile or version, or
 * one the chip refuses, is logged and ignored: the ASIC starts at power-on.
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
#include <jansson.h>
#include <lightbridge/asic.h>
#include <lightbridge/buffer.h>
#include "emulated_asic.h"

#define STATE_VERSION 1
#define STATE_LOCK_WAIT_MS 30000u
#define STATE_FILE_MAX ((size_t)4 << 20)
#define MAX_BINDINGS 64u

static void file_name(const struct emu_asic_drv *d, char *buf, size_t len, const char *suffix)
{
	snprintf(buf, len, "asic-%s.json%s", d->name, suffix);
}

/* A file of the state directory: no symlink followed, no FIFO waited on, regular only. */
static int open_in_dir(int dir_fd, const char *name, int flags)
{
	int fd = openat(dir_fd, name, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

static int open_dir(struct emu_asic_drv *d)
{
	const struct lb_driver_env *env = d->env;
	d->dir_fd = open(env->state_dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (d->dir_fd < 0) {
		int err = errno;
		return lb_driver_error(env, err == EACCES ? LB_E_PERM : LB_E_IO, "emulated asic state directory "
				       "%s: %s", env->state_dir, err == ELOOP || err == ENOTDIR
								    ? "a symlink or not a directory" : strerror(err));
	}
	struct stat st;
	if (fstat(d->dir_fd, &st))
		return lb_driver_error(env, LB_E_IO, "emulated asic state directory %s: %s", env->state_dir,
				       strerror(errno));
	if (st.st_uid != geteuid())
		return lb_driver_error(env, LB_E_PERM, "emulated asic state directory %s: owned by uid %u, not "
				       "by uid %u: refused", env->state_dir, (unsigned)st.st_uid, (unsigned)geteuid());
	if (st.st_mode & 022)
		return lb_driver_error(env, LB_E_PERM, "emulated asic state directory %s: writable by group or "
				       "others: refused", env->state_dir);
	return LB_OK;
}

static int take_lock(struct emu_asic_drv *d)
{
	char name[64];
	file_name(d, name, sizeof(name), ".lock");
	d->lock_fd = open_in_dir(d->dir_fd, name, O_RDWR | O_CREAT);
	if (d->lock_fd < 0) {
		int err = errno;
		return lb_driver_error(d->env, err == EACCES ? LB_E_PERM : LB_E_IO, "emulated asic state %s/%s: %s",
				       d->env->state_dir, name,
				       err == EINVAL || err == ELOOP ? "not a regular file" : strerror(err));
	}
	int how = d->env->state_readonly && !d->env->state_fresh ? LOCK_SH : LOCK_EX;
	for (uint32_t waited = 0; flock(d->lock_fd, how | LOCK_NB) != 0; waited++) {
		if (waited >= STATE_LOCK_WAIT_MS)
			return lb_driver_error(d->env, LB_E_BUSY, "emulated asic state %s: held by another process",
					       name);
		struct timespec ts = { 0, 1000000 };
		nanosleep(&ts, NULL); /* waiting on another real process */
	}
	return LB_OK;
}

static void release(struct emu_asic_drv *d)
{
	if (d->lock_fd >= 0)
		close(d->lock_fd); /* the flock with it */
	if (d->dir_fd >= 0)
		close(d->dir_fd);
	d->lock_fd = d->dir_fd = -1;
}

/* ---- restore ---- */

/* An integer member in [lo, hi]; false when absent or out of range. */
static bool get_int(json_t *o, const char *key, json_int_t lo, json_int_t hi, json_int_t *v)
{
	json_t *j = json_object_get(o, key);
	if (!json_is_integer(j))
		return false;
	*v = json_integer_value(j);
	return *v >= lo && *v <= hi;
}

#define U32 ((json_int_t)UINT32_MAX)
#define U62 ((json_int_t)1 << 62)

static int restore_pools(struct emu_asic_drv *d, json_t *arr)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_int_t n, type, mode, size, xoff;
		if (!get_int(o, "pool", 0, LB_BUFFER_MAX_POOLS - 1, &n) || !get_int(o, "type", 0, U32, &type) ||
		    !get_int(o, "mode", 0, U32, &mode) || !get_int(o, "size_bytes", 0, U62, &size) ||
		    !get_int(o, "xoff_bytes", 0, U62, &xoff))
			return LB_E_PARSE;
		struct lb_buffer_pool_config c = { .size = sizeof(c), .type = (enum lb_buffer_pool_type)type,
						   .mode = (enum lb_buffer_threshold_mode)mode,
						   .size_bytes = (uint64_t)size, .xoff_bytes = (uint64_t)xoff };
		int rc = lb_emulated_asic_ops.pool_apply(d, (uint32_t)n, &c, 1);
		if (rc)
			return rc;
	}
	return LB_OK;
}

static int restore_profiles(struct emu_asic_drv *d, json_t *arr)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_int_t n, pool, mode, th, res, st, xoff, xon, xoffset;
		if (!get_int(o, "profile", 0, LB_BUFFER_MAX_PROFILES - 1, &n) || !get_int(o, "pool", 0, U32, &pool) ||
		    !get_int(o, "mode", 0, U32, &mode) || !get_int(o, "dynamic_th", -128, 127, &th) ||
		    !get_int(o, "reserved_bytes", 0, U62, &res) || !get_int(o, "static_th_bytes", 0, U62, &st) ||
		    !get_int(o, "xoff_bytes", 0, U62, &xoff) || !get_int(o, "xon_bytes", 0, U62, &xon) ||
		    !get_int(o, "xon_offset_bytes", 0, U62, &xoffset))
			return LB_E_PARSE;
		struct lb_buffer_profile_config c = {
			.size = sizeof(c), .pool = (uint32_t)pool, .mode = (enum lb_buffer_threshold_mode)mode,
			.dynamic_th = (int32_t)th, .reserved_bytes = (uint64_t)res, .static_th_bytes = (uint64_t)st,
			.xoff_bytes = (uint64_t)xoff, .xon_bytes = (uint64_t)xon, .xon_offset_bytes = (uint64_t)xoffset,
		};
		int rc = lb_emulated_asic_ops.profile_apply(d, (uint32_t)n, &c, 1);
		if (rc)
			return rc;
	}
	return LB_OK;
}

static int restore_bindings(struct emu_asic_drv *d, uint32_t port, json_t *arr, bool pg)
{
	if (!json_is_array(arr) || json_array_size(arr) > MAX_BINDINGS)
		return LB_E_PARSE;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		if (!json_is_integer(v) || json_integer_value(v) < -1 ||
		    json_integer_value(v) >= (json_int_t)LB_BUFFER_MAX_PROFILES)
			return LB_E_PARSE;
		json_int_t prof = json_integer_value(v);
		if (prof < 0)
			continue;
		int rc = pg ? lb_emulated_asic_ops.pg_bind(d, port, (uint32_t)i, (uint32_t)prof)
			    : lb_emulated_asic_ops.queue_bind(d, port, (uint32_t)i, (uint32_t)prof);
		if (rc)
			return rc;
	}
	return LB_OK;
}

static int restore_ports(struct emu_asic_drv *d, json_t *arr)
{
	for (uint32_t p = 0; p < d->max_ports; p++) { /* from power-on to what was saved */
		struct lb_asic_port_config c = { .size = sizeof(c) };
		if (lb_emulated_asic_ops.port_get(d, p, &c) == LB_OK && lb_emulated_asic_ops.port_remove(d, p))
			return LB_E_IO;
	}
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o) {
		json_int_t n, first, count, speed, fec, admin, mtu, loop, pfc, pause = 0;
		if (!get_int(o, "port", 0, (json_int_t)d->max_ports - 1, &n) || !get_int(o, "first_lane", 0, U32, &first) ||
		    !get_int(o, "lane_count", 0, 255, &count) || !get_int(o, "speed_mbps", 0, U32, &speed) ||
		    !get_int(o, "fec", 0, 3, &fec) || !get_int(o, "admin_up", 0, 1, &admin) ||
		    !get_int(o, "mtu", 0, U32, &mtu) || !get_int(o, "loopback", 0, 2, &loop) ||
		    !get_int(o, "pfc_mask", 0, 255, &pfc) ||
		    (json_object_get(o, "pause") && !get_int(o, "pause", 0, 3, &pause)))
			return LB_E_PARSE;
		struct lb_asic_port_config c = {
			.size = sizeof(c), .first_lane = (uint32_t)first, .lane_count = (uint32_t)count,
			.speed_mbps = (uint32_t)speed, .fec = (enum lb_asic_fec)fec, .admin_up = (int)admin,
			.mtu = (uint32_t)mtu, .loopback = (enum lb_asic_loopback)loop, .pfc_mask = (uint8_t)pfc,
			.pause = (uint32_t)pause,
		};
		int rc = lb_emulated_asic_ops.port_apply(d, (uint32_t)n, &c, 1);
		if (rc || (rc = restore_bindings(d, (uint32_t)n, json_object_get(o, "pgs"), true)) ||
		    (rc = restore_bindings(d, (uint32_t)n, json_object_get(o, "queues"), false)) ||
		    (rc = emu_qos_restore(d, (uint32_t)n, json_object_get(o, "qos"))) ||
		    (rc = emu_cc_restore(d, (uint32_t)n, json_object_get(o, "congestion"))) ||
		    (rc = emu_stats_port_restore(d, (uint32_t)n, json_object_get(o, "stats"))))
			return rc;
	}
	return LB_OK;
}

/* Read the file, if there is one, and restore it; why a file was not used, for the log. */
static int restore(struct emu_asic_drv *d, const char **why)
{
	char name[64];
	file_name(d, name, sizeof(name), "");
	int fd = open_in_dir(d->dir_fd, name, O_RDONLY);
	if (fd < 0) {
		*why = errno == ENOENT ? NULL : "not a regular file";
		return errno == ENOENT ? LB_OK : LB_E_PARSE;
	}
	struct stat st;
	char *buf = NULL;
	ssize_t got = -1;
	if (!fstat(fd, &st) && (size_t)st.st_size <= STATE_FILE_MAX && (buf = malloc((size_t)st.st_size + 1)))
		got = read(fd, buf, (size_t)st.st_size);
	close(fd);
	if (got < 0 || got != st.st_size) {
		free(buf);
		*why = "unreadable or too large";
		return LB_E_PARSE;
	}
	json_error_t err;
	json_t *doc = json_loadb(buf, (size_t)got, JSON_REJECT_DUPLICATES, &err);
	free(buf);
	json_int_t version;
	const char *profile = json_string_value(json_object_get(doc, "profile"));
	int rc = LB_E_PARSE;
	if (!doc)
		*why = "not JSON";
	else if (!get_int(doc, "version", STATE_VERSION, STATE_VERSION, &version))
		*why = "another version";
	else if (!profile || strcmp(profile, d->profile) != 0)
		*why = "another profile";
	else if (!json_is_array(json_object_get(doc, "pools")) || !json_is_array(json_object_get(doc, "profiles")) ||
		 !json_is_array(json_object_get(doc, "ports")))
		*why = "pools, profiles or ports missing";
	else if ((rc = restore_pools(d, json_object_get(doc, "pools"))) == LB_OK &&
		 (rc = restore_profiles(d, json_object_get(doc, "profiles"))) == LB_OK &&
		 (rc = restore_ports(d, json_object_get(doc, "ports"))) == LB_OK &&
		 (rc = emu_drv_hyperports_restore(d, json_object_get(doc, "hyperports"))) == LB_OK &&
		 (rc = emu_voq_restore(d, json_object_get(doc, "voq"))) == LB_OK &&
		 (rc = emu_stats_pools_restore(d, json_object_get(doc, "pool_watermarks"))) == LB_OK)
		rc = LB_OK; /* pools, then the profiles on them, then ports with their bindings */
	else
		*why = "the chip refused it";
	json_decref(doc);
	return rc;
}

int emu_asic_state_open(struct emu_asic_drv *d)
{
	int rc;
	if ((rc = open_dir(d)) || (rc = take_lock(d))) {
		release(d);
		return rc;
	}
	if (d->env->state_fresh)
		return LB_OK;
	const char *why = NULL;
	if (restore(d, &why) == LB_OK)
		return LB_OK;
	/* Start over from power-on: a new ASIC in the driver's world. */
	lb_driver_log(d->env, LB_LOG_WARN, "emulated asic state %s/asic-%s.json: %s: ignored, the ASIC starts "
		      "at power-on", d->env->state_dir, d->name, why ? why : "refused");
	lb_emu_asic_destroy(d->asic);
	d->asic = NULL;
	if ((rc = lb_emu_asic_create(d->own_world, d->profile, &d->asic)))
		release(d);
	return rc;
}

/* What the chip holds now, as the file keeps it. */
static json_t *save_doc(struct emu_asic_drv *d)
{
	json_t *doc = json_pack("{s:i, s:s, s:[], s:[], s:[]}", "version", STATE_VERSION, "profile", d->profile,
				"pools", "profiles", "ports");
	if (!doc)
		return NULL;
	json_t *pools = json_object_get(doc, "pools"), *profiles = json_object_get(doc, "profiles");
	json_t *ports = json_object_get(doc, "ports");
	for (uint32_t i = 0; i < LB_BUFFER_MAX_POOLS; i++) {
		struct lb_buffer_pool_config c = { .size = sizeof(c) };
		if (lb_emulated_asic_ops.pool_get(d, i, &c) == LB_OK)
			json_array_append_new(pools, json_pack("{s:i, s:i, s:i, s:I, s:I}", "pool", (int)i, "type",
							       (int)c.type, "mode", (int)c.mode, "size_bytes",
							       (json_int_t)c.size_bytes, "xoff_bytes",
							       (json_int_t)c.xoff_bytes));
	}
	for (uint32_t i = 0; i < LB_BUFFER_MAX_PROFILES; i++) {
		struct lb_buffer_profile_config c = { .size = sizeof(c) };
		if (lb_emulated_asic_ops.profile_get(d, i, &c) == LB_OK)
			json_array_append_new(profiles, json_pack(
				"{s:i, s:i, s:i, s:i, s:I, s:I, s:I, s:I, s:I}", "profile", (int)i, "pool", (int)c.pool,
				"mode", (int)c.mode, "dynamic_th", (int)c.dynamic_th, "reserved_bytes",
				(json_int_t)c.reserved_bytes, "static_th_bytes", (json_int_t)c.static_th_bytes,
				"xoff_bytes", (json_int_t)c.xoff_bytes, "xon_bytes", (json_int_t)c.xon_bytes,
				"xon_offset_bytes", (json_int_t)c.xon_offset_bytes));
	}
	for (uint32_t p = 0; p < d->max_ports; p++) {
		struct lb_asic_port_config c = { .size = sizeof(c) };
		if (lb_emulated_asic_ops.port_get(d, p, &c) != LB_OK)
			continue;
		json_t *pgs = json_array(), *queues = json_array();
		for (uint32_t i = 0; i < 8; i++) {
			uint32_t prof = LB_BUFFER_NO_PROFILE, q = LB_BUFFER_NO_PROFILE;
			(void)lb_emulated_asic_ops.pg_get(d, p, i, &prof);
			(void)lb_emulated_asic_ops.queue_get(d, p, i, &q);
			json_array_append_new(pgs, json_integer(prof == LB_BUFFER_NO_PROFILE ? -1 : (json_int_t)prof));
			json_array_append_new(queues, json_integer(q == LB_BUFFER_NO_PROFILE ? -1 : (json_int_t)q));
		}
		json_array_append_new(ports, json_pack(
			"{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o}", "port", (int)p, "first_lane",
			(int)c.first_lane, "lane_count", (int)c.lane_count, "speed_mbps", (int)c.speed_mbps, "fec",
			(int)c.fec, "admin_up", c.admin_up, "mtu", (int)c.mtu, "loopback", (int)c.loopback,
			"pfc_mask", (int)c.pfc_mask, "pgs", pgs, "queues", queues));
		json_t *qos = emu_qos_save(d, p); /* schedulers and maps (emulated_qos.c) */
		if (qos)
			json_object_set_new(json_array_get(ports, json_array_size(ports) - 1), "qos", qos);
		json_t *cc = emu_cc_save(d, p); /* ECN/WRED, PFC watchdog (emulated_congestion.c) */
		if (cc)
			json_object_set_new(json_array_get(ports, json_array_size(ports) - 1), "congestion", cc);
		if (c.pause) /* 802.3x PAUSE, when on */
			json_object_set_new(json_array_get(ports, json_array_size(ports) - 1), "pause",
					    json_integer(c.pause));
		json_t *stats = emu_stats_port_save(d, p); /* counters, watermarks (emulated_stats.c) */
		if (stats)
			json_object_set_new(json_array_get(ports, json_array_size(ports) - 1), "stats", stats);
	}
	json_t *pool_wm = emu_stats_pools_save(d);
	if (pool_wm)
		json_object_set_new(doc, "pool_watermarks", pool_wm);
	json_t *voq = emu_voq_save(d); /* VOQ system ports (emulated_voq.c) */
	if (voq)
		json_object_set_new(doc, "voq", voq);
	json_t *hps = emu_drv_hyperports_save(d);
	if (hps && json_array_size(hps))
		json_object_set_new(doc, "hyperports", hps);
	else
		json_decref(hps);
	return doc;
}

static void save(struct emu_asic_drv *d)
{
	char name[64], tmp[96];
	file_name(d, name, sizeof(name), "");
	json_t *doc = save_doc(d);
	char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	int fd = -1;
	for (int attempt = 0; text && fd < 0 && attempt < 16; attempt++) {
		uint64_t r = 0;
		if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r))
			r = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uint64_t)attempt;
		snprintf(tmp, sizeof(tmp), "%s.%016llx.tmp", name, (unsigned long long)r);
		fd = openat(d->dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	bool ok = fd >= 0;
	size_t len = text ? strlen(text) : 0;
	for (size_t done = 0; ok && done < len;) {
		ssize_t w = write(fd, text + done, len - done);
		if (w <= 0)
			ok = false;
		else
			done += (size_t)w;
	}
	free(text);
	if (fd >= 0 && close(fd) != 0)
		ok = false;
	if (!ok || renameat(d->dir_fd, tmp, d->dir_fd, name) != 0) {
		lb_driver_log(d->env, LB_LOG_ERR, "emulated asic state %s/%s: cannot save", d->env->state_dir, name);
		if (fd >= 0)
			unlinkat(d->dir_fd, tmp, 0);
	}
}

void emu_asic_state_close(struct emu_asic_drv *d)
{
	if (d->lock_fd < 0)
		return;
	if (!d->env->state_readonly)
		save(d);
	release(d);
}
