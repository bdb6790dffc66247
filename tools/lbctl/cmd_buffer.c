/* SPDX-License-Identifier: MIT */
/*
 * lbctl buffer pools|profiles|pg|queue|maps|watermarks: the router ASIC's buffers and QoS on
 * the public API (lightbridge/buffer.h, lightbridge/qos.h): pools and profiles listed,
 * created and removed; a front-panel port's PG and queue bindings, queue schedulers and QoS
 * maps shown and set; its watermarks read and cleared. Every change is whole or refused.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "asic_port.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl buffer pools [create --type T --size B [--mode M] [--xoff B]]\n"
		"       lbctl buffer pools remove N\n"
		"       lbctl buffer profiles [create --pool N [--reserved B]\n"
		"                             [--static-th B | --dynamic-th A] [--xoff B]\n"
		"                             [--xon B] [--xon-offset B]]\n"
		"       lbctl buffer profiles remove N\n"
		"       lbctl buffer pg PORT [PG --profile N|none]\n"
		"       lbctl buffer queue PORT [Q [--profile N|none] [--sched strict|dwrr]\n"
		"                               [--weight W] [--min-rate S] [--max-rate S]]\n"
		"       lbctl buffer maps PORT [--tc-pg L] [--pfc-pg L] [--pfc-queue L]\n"
		"       lbctl buffer watermarks PORT [--clear]\n"
		"(each with --json)\n"
		"\n"
		"The router ASIC's buffers and QoS (SAI's objects). PORT: a front-panel port (its\n"
		"first ASIC port). Sizes in bytes, or 64K, 12M, 1G; T: ingress, egress, both;\n"
		"M: dynamic (default), static; A: -8..7 (limit 2^A x free); S: 100G, 400G, Mb/s.\n"
		"  pools, profiles  list them with their watermarks, create, remove\n"
		"  pg, queue        bindings to profiles (and the queue's scheduler: strict or\n"
		"                   DWRR with a weight, a guaranteed rate, a shaper)\n"
		"  maps             TC->PG, PFC priority->PG, ->queue: 8 numbers, 0,1,2,3,3,5,6,7\n"
		"  watermarks       per PG and queue, now and peak, bytes and cells; --clear\n"
		"A refused change applies nothing. The emulated ASIC keeps its configuration\n"
		"between runs (--fresh: power-on); its watermarks move only while lbctl traffic\n"
		"runs (they start at 0 in each process).\n");
	return LBCTL_EXIT_OK;
}

static const char *type_name(enum lb_buffer_pool_type t)
{
	return t == LB_BUFFER_POOL_INGRESS ? "ingress" : t == LB_BUFFER_POOL_EGRESS ? "egress" : "both";
}

static int bad_bytes(struct lbctl *app, const char *opt, const char *v)
{
	return lbctl_usage_error(app, "buffer: --%s %s: bytes (64K, 12M, 1G)", opt, v);
}

/* ---- pools ---- */

enum { P_TYPE, P_SIZE, P_MODE, P_XOFF };
static const struct lbctl_opt pool_opts[] = {
	{ "type", "T", 0 }, { "size", "BYTES", 0 }, { "mode", "M", 0 }, { "xoff", "BYTES", 0 }, { NULL, NULL, 0 },
};

static json_t *pool_json(uint32_t n, const struct lb_buffer_pool_config *c, const struct lb_qos_watermark *w)
{
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "pool", (json_int_t)n, "type",
			 type_name(c->type), "mode", c->mode == LB_BUFFER_THRESHOLD_STATIC ? "static" : "dynamic",
			 "size_bytes", (json_int_t)c->size_bytes, "xoff_bytes", (json_int_t)c->xoff_bytes,
			 "held_bytes", (json_int_t)w->bytes, "peak_bytes", (json_int_t)w->peak_bytes, "peak_cells",
			 (json_int_t)w->peak_cells);
}

static int list_pools(struct lbctl *app, struct lb_switch *sw, bool json)
{
	json_t *list = json ? json_array() : NULL;
	if (!json)
		fprintf(app->out, "%-4s %-7s %-7s %15s %15s %15s\n", "pool", "type", "mode", "size B", "xoff B",
			"peak B");
	for (uint32_t n = 0; n < LB_BUFFER_MAX_POOLS; n++) {
		struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
		if (lb_buffer_pool_get(sw, n, &c) != LB_OK)
			continue;
		struct lb_qos_watermark w = { 0 };
		lb_qos_pool_watermark_read(sw, n, &w);
		if (json)
			json_array_append_new(list, pool_json(n, &c, &w));
		else
			fprintf(app->out, "%-4u %-7s %-7s %15llu %15llu %15llu\n", n, type_name(c.type),
				c.mode == LB_BUFFER_THRESHOLD_STATIC ? "static" : "dynamic",
				(unsigned long long)c.size_bytes, (unsigned long long)c.xoff_bytes,
				(unsigned long long)w.peak_bytes);
	}
	return json ? lbctl_json_emit(app, json_pack("{s:o}", "pools", list)) : LBCTL_EXIT_OK;
}

static int cmd_pools(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, pool_opts, 0, 2, "[create|remove N]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct lb_switch *sw;
	const char *verb = cl.npos ? cl.pos[0] : NULL;
	if (verb && strcmp(verb, "create") && strcmp(verb, "remove"))
		return lbctl_usage_error(app, "buffer pools: unknown '%s' (create, remove)", verb);
	if (!verb || strcmp(verb, "create") == 0) {
		for (unsigned i = 0; !verb && i <= P_XOFF; i++)
			if (cl.given[i])
				return lbctl_usage_error(app, "buffer pools: --%s: only with create", pool_opts[i].name);
		if (verb && cl.npos != 1)
			return lbctl_usage_error(app, "buffer pools create: no number (the switch picks it)");
	}
	struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
	if (verb && strcmp(verb, "create") == 0) {
		if (!cl.given[P_TYPE] || !cl.given[P_SIZE])
			return lbctl_usage_error(app, "buffer pools create: --type and --size");
		const char *t = cl.value[P_TYPE];
		c.type = strcmp(t, "ingress") == 0 ? LB_BUFFER_POOL_INGRESS : strcmp(t, "egress") == 0 ? LB_BUFFER_POOL_EGRESS
			 : strcmp(t, "both") == 0 ? LB_BUFFER_POOL_BOTH : (enum lb_buffer_pool_type)0;
		if (!c.type)
			return lbctl_usage_error(app, "buffer pools create: --type %s: ingress, egress or both", t);
		if (!lbctl_parse_bytes(cl.value[P_SIZE], &c.size_bytes))
			return bad_bytes(app, "size", cl.value[P_SIZE]);
		if (cl.given[P_XOFF] && !lbctl_parse_bytes(cl.value[P_XOFF], &c.xoff_bytes))
			return bad_bytes(app, "xoff", cl.value[P_XOFF]);
		if (cl.given[P_MODE]) {
			if (strcmp(cl.value[P_MODE], "static") == 0)
				c.mode = LB_BUFFER_THRESHOLD_STATIC;
			else if (strcmp(cl.value[P_MODE], "dynamic"))
				return lbctl_usage_error(app, "buffer pools create: --mode %s: static or dynamic",
							 cl.value[P_MODE]);
		}
	}
	unsigned long num = 0;
	if (verb && strcmp(verb, "remove") == 0 &&
	    (cl.npos != 2 || !lbctl_parse_uint(cl.pos[1], 10, LB_BUFFER_MAX_POOLS - 1, &num)))
		return lbctl_usage_error(app, "buffer pools remove N: a pool number, 0-%u", LB_BUFFER_MAX_POOLS - 1);
	if ((ex = lbctl_asic_switch(app, "buffer pools", &sw)))
		return ex;
	if (!verb)
		return list_pools(app, sw, cl.json);
	int rc;
	uint32_t n = (uint32_t)num;
	if (strcmp(verb, "create") == 0)
		rc = lb_buffer_pool_create(sw, &c, &n);
	else
		rc = lb_buffer_pool_remove(sw, n);
	if (rc)
		return lbctl_fail(app, rc, "buffer pools %s", verb);
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s}", "pool", (json_int_t)n, "done", verb));
	fprintf(app->out, "pool %u: %s\n", n, strcmp(verb, "create") == 0 ? "created" : "removed");
	return LBCTL_EXIT_OK;
}

/* ---- profiles ---- */

enum { F_POOL, F_RESERVED, F_STATIC, F_DYNAMIC, F_XOFF, F_XON, F_XON_OFFSET };
static const struct lbctl_opt profile_opts[] = {
	{ "pool", "N", 0 },      { "reserved", "BYTES", 0 }, { "static-th", "BYTES", 0 }, { "dynamic-th", "A", 0 },
	{ "xoff", "BYTES", 0 },  { "xon", "BYTES", 0 },      { "xon-offset", "BYTES", 0 }, { NULL, NULL, 0 },
};

static int list_profiles(struct lbctl *app, struct lb_switch *sw, bool json)
{
	json_t *list = json ? json_array() : NULL;
	if (!json)
		fprintf(app->out, "%-4s %-4s %-10s %12s %12s %12s %12s\n", "prof", "pool", "threshold", "reserved B",
			"xoff B", "xon B", "xon off B");
	for (uint32_t n = 0; n < LB_BUFFER_MAX_PROFILES; n++) {
		struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
		if (lb_buffer_profile_get(sw, n, &c) != LB_OK)
			continue;
		char th[32];
		if (c.mode == LB_BUFFER_THRESHOLD_STATIC)
			snprintf(th, sizeof(th), "%llu", (unsigned long long)c.static_th_bytes);
		else
			snprintf(th, sizeof(th), "dyn %d", c.dynamic_th);
		if (json)
			json_array_append_new(
				list, json_pack("{s:I, s:I, s:s, s:i, s:I, s:I, s:I, s:I, s:I}", "profile", (json_int_t)n,
						"pool", (json_int_t)c.pool, "mode",
						c.mode == LB_BUFFER_THRESHOLD_STATIC ? "static" : "dynamic", "dynamic_th",
						c.dynamic_th, "static_th_bytes", (json_int_t)c.static_th_bytes,
						"reserved_bytes", (json_int_t)c.reserved_bytes, "xoff_bytes",
						(json_int_t)c.xoff_bytes, "xon_bytes", (json_int_t)c.xon_bytes,
						"xon_offset_bytes", (json_int_t)c.xon_offset_bytes));
		else
			fprintf(app->out, "%-4u %-4u %-10s %12llu %12llu %12llu %12llu\n", n, c.pool, th,
				(unsigned long long)c.reserved_bytes, (unsigned long long)c.xoff_bytes,
				(unsigned long long)c.xon_bytes, (unsigned long long)c.xon_offset_bytes);
	}
	return json ? lbctl_json_emit(app, json_pack("{s:o}", "profiles", list)) : LBCTL_EXIT_OK;
}

static int profile_cfg(struct lbctl *app, const struct lbctl_cmdline *cl, struct lb_buffer_profile_config *c)
{
	unsigned long pool;
	if (!cl->given[F_POOL] || !lbctl_parse_uint(cl->value[F_POOL], 10, LB_BUFFER_MAX_POOLS - 1, &pool))
		return lbctl_usage_error(app, "buffer profiles create: --pool N, 0-%u", LB_BUFFER_MAX_POOLS - 1);
	c->pool = (uint32_t)pool;
	if (cl->given[F_STATIC] && cl->given[F_DYNAMIC])
		return lbctl_usage_error(app, "buffer profiles create: --static-th and --dynamic-th: one or the other");
	static const struct {
		int opt;
		size_t off;
	} sizes[] = {
		{ F_RESERVED, offsetof(struct lb_buffer_profile_config, reserved_bytes) },
		{ F_STATIC, offsetof(struct lb_buffer_profile_config, static_th_bytes) },
		{ F_XOFF, offsetof(struct lb_buffer_profile_config, xoff_bytes) },
		{ F_XON, offsetof(struct lb_buffer_profile_config, xon_bytes) },
		{ F_XON_OFFSET, offsetof(struct lb_buffer_profile_config, xon_offset_bytes) },
	};
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int o = sizes[i].opt;
		if (cl->given[o] && !lbctl_parse_bytes(cl->value[o], (uint64_t *)(void *)((char *)c + sizes[i].off)))
			return bad_bytes(app, profile_opts[o].name, cl->value[o]);
	}
	c->mode = cl->given[F_STATIC] ? LB_BUFFER_THRESHOLD_STATIC : LB_BUFFER_THRESHOLD_DYNAMIC;
	if (cl->given[F_DYNAMIC]) {
		char *end;
		long a = strtol(cl->value[F_DYNAMIC], &end, 10);
		if (end == cl->value[F_DYNAMIC] || *end || a < -8 || a > 7)
			return lbctl_usage_error(app, "buffer profiles create: --dynamic-th %s: -8 to 7",
						 cl->value[F_DYNAMIC]);
		c->dynamic_th = (int32_t)a;
	}
	return LBCTL_EXIT_OK;
}

static int cmd_profiles(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, profile_opts, 0, 2, "[create|remove N]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	const char *verb = cl.npos ? cl.pos[0] : NULL;
	if (verb && strcmp(verb, "create") && strcmp(verb, "remove"))
		return lbctl_usage_error(app, "buffer profiles: unknown '%s' (create, remove)", verb);
	bool create = verb && strcmp(verb, "create") == 0;
	for (unsigned i = 0; !create && i <= F_XON_OFFSET; i++)
		if (cl.given[i])
			return lbctl_usage_error(app, "buffer profiles: --%s: only with create", profile_opts[i].name);
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	if (create && (cl.npos != 1 || (ex = profile_cfg(app, &cl, &c))))
		return ex ? ex : lbctl_usage_error(app, "buffer profiles create: no number (the switch picks it)");
	unsigned long num = 0;
	if (verb && !create && (cl.npos != 2 || !lbctl_parse_uint(cl.pos[1], 10, LB_BUFFER_MAX_PROFILES - 1, &num)))
		return lbctl_usage_error(app, "buffer profiles remove N: a profile number, 0-%u",
					 LB_BUFFER_MAX_PROFILES - 1);
	struct lb_switch *sw;
	if ((ex = lbctl_asic_switch(app, "buffer profiles", &sw)))
		return ex;
	if (!verb)
		return list_profiles(app, sw, cl.json);
	uint32_t n = (uint32_t)num;
	int rc = create ? lb_buffer_profile_create(sw, &c, &n) : lb_buffer_profile_remove(sw, n);
	if (rc)
		return lbctl_fail(app, rc, "buffer profiles %s", verb);
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s}", "profile", (json_int_t)n, "done", verb));
	fprintf(app->out, "profile %u: %s\n", n, create ? "created" : "removed");
	return LBCTL_EXIT_OK;
}

/* ---- pg, queue ---- */

enum { B_PROFILE, B_SCHED, B_WEIGHT, B_MIN, B_MAX };
static const struct lbctl_opt pg_opts[] = { { "profile", "N", 0 }, { NULL, NULL, 0 } };
static const struct lbctl_opt queue_opts[] = {
	{ "profile", "N", 0 }, { "sched", "S", 0 }, { "weight", "W", 0 }, { "min-rate", "SPEED", 0 },
	{ "max-rate", "SPEED", 0 }, { NULL, NULL, 0 },
};

static void profile_text(uint32_t p, char *buf, size_t len)
{
	if (p == LB_BUFFER_NO_PROFILE)
		snprintf(buf, len, "-");
	else
		snprintf(buf, len, "%u", p);
}

static json_t *profile_jv(uint32_t p)
{
	return p == LB_BUFFER_NO_PROFILE ? json_null() : json_integer((json_int_t)p);
}

static int show_bindings(struct lbctl *app, const struct lbctl_asic_port *ap, bool queue, bool json)
{
	struct lb_qos_scheduler sc = LB_QOS_SCHEDULER_INIT;
	int rc = queue ? lb_qos_scheduler_get(ap->sw, ap->asic_port, &sc) : LB_OK;
	if (rc)
		return lbctl_fail(app, rc, "buffer queue");
	json_t *list = json ? json_array() : NULL;
	if (!json) {
		fprintf(app->out, "port %u (%s): ASIC port %u\n", ap->info.port, ap->info.name ? ap->info.name : "",
			ap->asic_port);
		if (queue)
			fprintf(app->out, "%-5s %-7s %-6s %6s %12s %12s\n", "queue", "profile", "sched", "weight",
				"min Mb/s", "max Mb/s");
		else
			fprintf(app->out, "%-5s %s\n", "pg", "profile");
	}
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t p;
		rc = queue ? lb_asic_queue_get_profile(ap->sw, ap->asic_port, i, &p)
			   : lb_asic_pg_get_profile(ap->sw, ap->asic_port, i, &p);
		if (rc)
			return lbctl_fail(app, rc, "buffer");
		char pt[16];
		profile_text(p, pt, sizeof(pt));
		const char *st = sc.type[i] == LB_QOS_SCHED_STRICT ? "strict" : "dwrr";
		if (json && queue)
			json_array_append_new(list, json_pack("{s:I, s:o, s:s, s:I, s:I, s:I}", "queue", (json_int_t)i,
							      "profile", profile_jv(p), "sched", st, "weight",
							      (json_int_t)sc.weight[i], "min_rate_mbps",
							      (json_int_t)sc.min_rate_mbps[i], "max_rate_mbps",
							      (json_int_t)sc.max_rate_mbps[i]));
		else if (json)
			json_array_append_new(list, json_pack("{s:I, s:o}", "pg", (json_int_t)i, "profile", profile_jv(p)));
		else if (queue)
			fprintf(app->out, "%-5u %-7s %-6s %6u %12llu %12llu\n", i, pt, st, sc.weight[i],
				(unsigned long long)sc.min_rate_mbps[i], (unsigned long long)sc.max_rate_mbps[i]);
		else
			fprintf(app->out, "%-5u %s\n", i, pt);
	}
	if (json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I, s:o}", "port", (json_int_t)ap->info.port, "name",
						      ap->info.name ? ap->info.name : "", "asic_port",
						      (json_int_t)ap->asic_port, queue ? "queues" : "pgs", list));
	return LBCTL_EXIT_OK;
}

static int parse_profile(struct lbctl *app, const char *v, uint32_t *p)
{
	unsigned long n;
	if (strcmp(v, "none") == 0)
		*p = LB_BUFFER_NO_PROFILE;
	else if (lbctl_parse_uint(v, 10, LB_BUFFER_MAX_PROFILES - 1, &n))
		*p = (uint32_t)n;
	else
		return lbctl_usage_error(app, "buffer: --profile %s: a profile number or none", v);
	return LBCTL_EXIT_OK;
}

/* The scheduler options of queue q into sc; *any: one was given. */
static int parse_sched(struct lbctl *app, const struct lbctl_cmdline *cl, uint32_t q, struct lb_qos_scheduler *sc,
		       bool *any)
{
	*any = cl->given[B_SCHED] || cl->given[B_WEIGHT] || cl->given[B_MIN] || cl->given[B_MAX];
	if (cl->given[B_SCHED]) {
		if (strcmp(cl->value[B_SCHED], "strict") == 0)
			sc->type[q] = LB_QOS_SCHED_STRICT;
		else if (strcmp(cl->value[B_SCHED], "dwrr") == 0) {
			sc->type[q] = LB_QOS_SCHED_DWRR;
			if (!sc->weight[q])
				sc->weight[q] = 1;
		} else
			return lbctl_usage_error(app, "buffer queue: --sched %s: strict or dwrr", cl->value[B_SCHED]);
	}
	unsigned long w;
	if (cl->given[B_WEIGHT]) {
		if (!lbctl_parse_uint(cl->value[B_WEIGHT], 10, 1000000, &w))
			return lbctl_usage_error(app, "buffer queue: --weight %s: 1 to 255", cl->value[B_WEIGHT]);
		sc->weight[q] = (uint32_t)w;
	}
	uint32_t mbps;
	if (cl->given[B_MIN]) {
		if (!lbctl_parse_speed(cl->value[B_MIN], &mbps) && strcmp(cl->value[B_MIN], "0"))
			return lbctl_usage_error(app, "buffer queue: --min-rate %s: a speed (100G) or 0", cl->value[B_MIN]);
		sc->min_rate_mbps[q] = strcmp(cl->value[B_MIN], "0") ? mbps : 0;
	}
	if (cl->given[B_MAX]) {
		if (!lbctl_parse_speed(cl->value[B_MAX], &mbps) && strcmp(cl->value[B_MAX], "0"))
			return lbctl_usage_error(app, "buffer queue: --max-rate %s: a speed (100G) or 0", cl->value[B_MAX]);
		sc->max_rate_mbps[q] = strcmp(cl->value[B_MAX], "0") ? mbps : 0;
	}
	return LBCTL_EXIT_OK;
}

static int cmd_binding(struct lbctl *app, int argc, char **argv, bool queue)
{
	struct lbctl_cmdline cl;
	const char *what = queue ? "buffer queue" : "buffer pg";
	int ex = lbctl_parse(app, argc, argv, queue ? queue_opts : pg_opts, 1, 2, queue ? "PORT [Q]" : "PORT [PG]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	unsigned long idx = 0;
	bool set = false;
	for (unsigned i = 0; i < (queue ? 5u : 1u); i++)
		set = set || cl.given[i];
	if (cl.npos == 2 && !lbctl_parse_uint(cl.pos[1], 10, 7, &idx))
		return lbctl_usage_error(app, "%s: %s: 0 to 7", what, cl.pos[1]);
	if (set != (cl.npos == 2))
		return lbctl_usage_error(app, "%s: %s", what, set ? "which one? (PORT N)" : "nothing to set (--profile)");
	uint32_t profile = 0;
	if (cl.given[B_PROFILE] && (ex = parse_profile(app, cl.value[B_PROFILE], &profile)))
		return ex;
	struct lbctl_asic_port ap;
	if ((ex = lbctl_asic_port(app, what, cl.pos[0], &ap)))
		return ex;
	if (!set)
		return show_bindings(app, &ap, queue, cl.json);
	uint32_t i = (uint32_t)idx;
	int rc = LB_OK;
	if (queue) {
		struct lb_qos_scheduler sc = LB_QOS_SCHEDULER_INIT;
		bool any;
		if ((rc = lb_qos_scheduler_get(ap.sw, ap.asic_port, &sc)))
			return lbctl_fail(app, rc, "%s", what);
		if ((ex = parse_sched(app, &cl, i, &sc, &any)))
			return ex;
		/* the scheduler first: it is the one a value can refuse; then the binding */
		if (any && (rc = lb_qos_scheduler_set(ap.sw, ap.asic_port, &sc)))
			return lbctl_fail(app, rc, "%s", what);
	}
	if (cl.given[B_PROFILE])
		rc = queue ? lb_asic_queue_set_profile(ap.sw, ap.asic_port, i, profile)
			   : lb_asic_pg_set_profile(ap.sw, ap.asic_port, i, profile);
	if (rc)
		return lbctl_fail(app, rc, "%s", what);
	return show_bindings(app, &ap, queue, cl.json);
}

static int cmd_pg(struct lbctl *app, int argc, char **argv)
{
	return cmd_binding(app, argc, argv, false);
}

static int cmd_queue(struct lbctl *app, int argc, char **argv)
{
	return cmd_binding(app, argc, argv, true);
}

/* ---- maps ---- */

enum { M_TC_PG, M_PFC_PG, M_PFC_QUEUE };
static const struct lbctl_opt map_opts[] = {
	{ "tc-pg", "LIST", 0 }, { "pfc-pg", "LIST", 0 }, { "pfc-queue", "LIST", 0 }, { NULL, NULL, 0 },
};

static bool eight(const char *s, uint8_t *out)
{
	for (unsigned n = 0; n < 8; n++) {
		if (*s < '0' || *s > '9')
			return false;
		out[n] = (uint8_t)(*s++ - '0');
		if (n < 7 && *s++ != ',')
			return false;
	}
	return *s == '\0';
}

static json_t *map_json(const uint8_t *m)
{
	json_t *a = json_array();
	for (unsigned n = 0; a && n < 8; n++)
		json_array_append_new(a, json_integer(m[n]));
	return a;
}

static void map_text(struct lbctl *app, const char *name, const uint8_t *m)
{
	fprintf(app->out, "  %-12s", name);
	for (unsigned n = 0; n < 8; n++)
		fprintf(app->out, " %u", m[n]);
	fprintf(app->out, "\n");
}

static int cmd_maps(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, map_opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	uint8_t want[3][8];
	for (unsigned k = 0; k < 3; k++)
		if (cl.given[k] && !eight(cl.value[k], want[k]))
			return lbctl_usage_error(app, "buffer maps: --%s %s: 8 numbers, 0,1,2,3,3,5,6,7",
						 map_opts[k].name, cl.value[k]);
	struct lbctl_asic_port ap;
	if ((ex = lbctl_asic_port(app, "buffer maps", cl.pos[0], &ap)))
		return ex;
	int rc = lb_qos_maps_get(ap.sw, ap.asic_port, &m);
	if (!rc && (cl.given[0] || cl.given[1] || cl.given[2])) {
		uint8_t *dst[] = { m.tc_to_pg, m.pfc_to_pg, m.pfc_to_queue };
		for (unsigned k = 0; k < 3; k++)
			if (cl.given[k])
				memcpy(dst[k], want[k], 8);
		rc = lb_qos_maps_set(ap.sw, ap.asic_port, &m);
	}
	if (rc)
		return lbctl_fail(app, rc, "buffer maps");
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I, s:o, s:o, s:o}", "port", (json_int_t)ap.info.port,
						      "name", ap.info.name ? ap.info.name : "", "asic_port",
						      (json_int_t)ap.asic_port, "tc_to_pg", map_json(m.tc_to_pg),
						      "pfc_to_pg", map_json(m.pfc_to_pg), "pfc_to_queue",
						      map_json(m.pfc_to_queue)));
	fprintf(app->out, "port %u (%s): ASIC port %u; priority 0..7 ->\n", ap.info.port,
		ap.info.name ? ap.info.name : "", ap.asic_port);
	map_text(app, "TC -> PG", m.tc_to_pg);
	map_text(app, "PFC -> PG", m.pfc_to_pg);
	map_text(app, "PFC -> queue", m.pfc_to_queue);
	return LBCTL_EXIT_OK;
}

/* ---- watermarks ---- */

static const struct lbctl_opt wm_opts[] = { { "clear", NULL, 0 }, { NULL, NULL, 0 } };

static json_t *wm_json(const char *key, unsigned i, const struct lb_qos_watermark *w)
{
	return json_pack("{s:I, s:I, s:I, s:I, s:I}", key, (json_int_t)i, "bytes", (json_int_t)w->bytes, "peak_bytes",
			 (json_int_t)w->peak_bytes, "cells", (json_int_t)w->cells, "peak_cells",
			 (json_int_t)w->peak_cells);
}

static int cmd_watermarks(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, wm_opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct lbctl_asic_port ap;
	if ((ex = lbctl_asic_port(app, "buffer watermarks", cl.pos[0], &ap)))
		return ex;
	struct lb_qos_port_watermarks wm = LB_QOS_PORT_WATERMARKS_INIT;
	int rc = lb_qos_watermarks_read(ap.sw, ap.asic_port, &wm);
	if (!rc && cl.given[0])
		rc = lb_qos_watermarks_clear(ap.sw, ap.asic_port);
	if (rc)
		return lbctl_fail(app, rc, "buffer watermarks");
	if (cl.json) {
		json_t *pgs = json_array(), *qs = json_array();
		for (unsigned i = 0; pgs && qs && i < 8; i++) {
			json_t *p = wm_json("pg", i, &wm.pg[i]);
			if (p)
				json_object_set_new(p, "headroom_peak_bytes", json_integer((json_int_t)wm.pg_headroom[i].peak_bytes));
			json_array_append_new(pgs, p);
			json_t *q = wm_json("queue", i, &wm.queue[i]);
			if (q)
				json_object_set_new(q, "delay_peak_us", json_real((double)wm.queue_delay_peak_ns[i] / 1e3));
			json_array_append_new(qs, q);
		}
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I, s:b, s:o, s:o}", "port", (json_int_t)ap.info.port,
						      "name", ap.info.name ? ap.info.name : "", "asic_port",
						      (json_int_t)ap.asic_port, "cleared", cl.given[0], "pgs", pgs,
						      "queues", qs));
	}
	fprintf(app->out, "port %u (%s): ASIC port %u%s\n", ap.info.port, ap.info.name ? ap.info.name : "",
		ap.asic_port, cl.given[0] ? " (peaks cleared after this read)" : "");
	fprintf(app->out, "%-2s %13s %13s %13s %13s %13s\n", "n", "PG peak B", "hdrm peak B", "queue B",
		"queue peak B", "delay pk us");
	for (unsigned i = 0; i < 8; i++)
		fprintf(app->out, "%-2u %13llu %13llu %13llu %13llu %13.3f\n", i, (unsigned long long)wm.pg[i].peak_bytes,
			(unsigned long long)wm.pg_headroom[i].peak_bytes, (unsigned long long)wm.queue[i].bytes,
			(unsigned long long)wm.queue[i].peak_bytes, (double)wm.queue_delay_peak_ns[i] / 1e3);
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_buffer(struct lbctl *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct lbctl *app, int argc, char **argv);
	} subs[] = { { "pools", cmd_pools }, { "profiles", cmd_profiles }, { "pg", cmd_pg },
		     { "queue", cmd_queue }, { "maps", cmd_maps }, { "watermarks", cmd_watermarks } };
	if (argc < 2)
		return lbctl_usage_error(app, "buffer: pools, profiles, pg, queue, maps or watermarks? "
					      "(lbctl buffer --help)");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return usage(app);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	return lbctl_usage_error(app, "buffer: unknown '%s' (pools, profiles, pg, queue, maps, watermarks)",
				 argv[1]);
}
