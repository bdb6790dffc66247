/* SPDX-License-Identifier: MIT */
/*
 * lbctl port voq: the VOQ system ports the chip holds (lightbridge/voq.h): this switch's
 * identity and cores, its ASIC ports' system ports (--local), remote ones (--add), a removal;
 * then the table, each local one with its front-panel port.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "asic_port.h"


enum { V_SWITCH_ID, V_CORES, V_LOCAL, V_ADD, V_REMOVE };
static const struct lbctl_opt voq_opts[] = {
	[V_SWITCH_ID] = { .name = "switch-id", .value_name = "N" },
	[V_CORES] = { .name = "cores", .value_name = "C" },
	[V_LOCAL] = { .name = "local", .value_name = "FIRST_ID" },
	[V_ADD] = { .name = "add", .value_name = "ID,SWITCH,CORE,CORE_PORT,SPEED[,VOQS]" },
	[V_REMOVE] = { .name = "remove", .value_name = "ID" },
	{ .name = NULL },
};

/* --add's value into c (VOQS: the chip's queues per port when left out). */
static bool parse_add(const char *spec, uint32_t queues, struct lb_system_port_config *c)
{
	char buf[96], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", spec);
	uint32_t *dst[] = { &c->system_port_id, &c->switch_id, &c->core, &c->core_port };
	unsigned n = 0;
	c->num_voq = queues;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save), n++) {
		unsigned long v;
		if (n < 4 && lbctl_parse_uint(t, 10, UINT32_MAX, &v))
			*dst[n] = (uint32_t)v;
		else if (n == 4 && lbctl_parse_speed(t, &c->speed_mbps))
			;
		else if (n == 5 && lbctl_parse_uint(t, 10, UINT32_MAX, &v))
			c->num_voq = (uint32_t)v;
		else
			return false;
	}
	return n == 5 || n == 6;
}

/* The front-panel port whose lanes hold ASIC port asic's first lane, or false. */
static bool fp_of(struct lb_platform *p, struct lb_switch *sw, uint32_t asic, struct lb_port_info *info)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	if (lb_asic_port_get(sw, asic, &c))
		return false;
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		uint32_t first, count;
		if (lb_platform_port_at(p, i, info) == LB_OK &&
		    lb_platform_port_asic_lanes(p, info->port, &first, &count) == LB_OK &&
		    c.first_lane >= first && c.first_lane < first + count)
			return true;
	}
	return false;
}

/* The changes of the command line, in order: identity, local ports, add, remove. */
static int voq_changes(struct lbctl *app, struct lb_switch *sw, const struct lbctl_cmdline *cl)
{
	unsigned long v, w;
	int rc = LB_OK;
	if (cl->given[V_SWITCH_ID] || cl->given[V_CORES]) {
		if (!cl->given[V_SWITCH_ID] || !cl->given[V_CORES])
			return lbctl_usage_error(app, "port voq: --switch-id and --cores go together");
		if (!lbctl_parse_uint(cl->value[V_SWITCH_ID], 10, UINT32_MAX, &v) ||
		    !lbctl_parse_uint(cl->value[V_CORES], 10, UINT32_MAX, &w))
			return lbctl_usage_error(app, "port voq: --switch-id %s --cores %s: numbers",
						 cl->value[V_SWITCH_ID], cl->value[V_CORES]);
		struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
		self.switch_id = (uint32_t)v;
		self.cores = (uint32_t)w;
		if ((rc = lb_voq_switch_set(sw, &self)))
			return lbctl_fail(app, rc, "port voq");
	}
	if (cl->given[V_LOCAL]) {
		size_t made;
		if (!lbctl_parse_uint(cl->value[V_LOCAL], 10, UINT32_MAX, &v))
			return lbctl_usage_error(app, "port voq: --local %s: a system port id", cl->value[V_LOCAL]);
		if ((rc = lb_system_ports_create_local(sw, (uint32_t)v, &made)))
			return lbctl_fail(app, rc, "port voq");
	}
	if (cl->given[V_ADD]) {
		struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		(void)lb_switch_get_caps(sw, &caps);
		if (!parse_add(cl->value[V_ADD], caps.queues_per_port, &c))
			return lbctl_usage_error(app, "port voq: --add %s: ID,SWITCH,CORE,CORE_PORT,SPEED[,VOQS]",
						 cl->value[V_ADD]);
		if ((rc = lb_system_port_create(sw, &c)))
			return lbctl_fail(app, rc, "port voq");
	}
	if (cl->given[V_REMOVE]) {
		if (!lbctl_parse_uint(cl->value[V_REMOVE], 10, UINT32_MAX, &v))
			return lbctl_usage_error(app, "port voq: --remove %s: a system port id", cl->value[V_REMOVE]);
		if ((rc = lb_system_port_remove(sw, (uint32_t)v)))
			return lbctl_fail(app, rc, "port voq");
	}
	return LBCTL_EXIT_OK;
}

int lbctl_port_voq(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, voq_opts, 0, 0, "", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return lbctl_port_usage(app);
	struct lb_switch *sw;
	if (ex || (ex = lbctl_asic_switch(app, "port voq", &sw)) || (ex = voq_changes(app, sw, &cl)))
		return ex;
	struct lb_platform *p = app->platform;
	size_t n = 0;
	int rc = lb_system_port_list(sw, NULL, 0, &n);
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	int set = rc ? rc : lb_voq_switch_get(sw, &self);
	/* the list again into room for n: more by now (another process) are left out */
	uint32_t *ids = n ? calloc(n, sizeof(*ids)) : NULL;
	size_t got = 0;
	if (rc == LB_OK && n && (!ids || (rc = lb_system_port_list(sw, ids, n, &got))))
		rc = ids ? rc : LB_E_NOMEM;
	n = ids && got < n ? got : ids ? n : 0;
	if (rc) {
		free(ids);
		return lbctl_fail(app, rc, "port voq");
	}
	json_t *list = cl.json ? json_array() : NULL;
	if (!cl.json && set)
		fprintf(app->out, "this switch's VOQ id and cores are not set (lbctl port voq --switch-id N "
			"--cores C)\n");
	else if (!cl.json)
		fprintf(app->out, "switch id %u, %u core%s: %zu system port%s\n%-10s %6s %4s %9s %5s %4s %4s  %s\n",
			self.switch_id, self.cores, self.cores == 1 ? "" : "s", n, n == 1 ? "" : "s",
			"ID", "SWITCH", "CORE", "CORE_PORT", "SPEED", "VOQS", "ASIC", "PORT");
	for (size_t i = 0; i < n; i++) {
		struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
		if ((rc = lb_system_port_get(sw, ids[i], &c))) {
			uint32_t id = ids[i];
			free(ids);
			json_decref(list);
			return lbctl_fail(app, rc, "port voq: system port %u", id);
		}
		bool local = c.asic_port != LB_VOQ_NO_ASIC_PORT;
		struct lb_port_info fp = LB_PORT_INFO_INIT;
		bool on_fp = local && fp_of(p, sw, c.asic_port, &fp);
		if (cl.json) {
			json_t *o = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "system_port", (json_int_t)c.system_port_id,
					      "switch_id", (json_int_t)c.switch_id, "core", (json_int_t)c.core, "core_port",
					      (json_int_t)c.core_port, "speed_mbps", (json_int_t)c.speed_mbps, "num_voq",
					      (json_int_t)c.num_voq);
			json_object_set_new(o, "asic_port", local ? json_integer(c.asic_port) : json_null());
			json_object_set_new(o, "port", on_fp ? json_integer(fp.port) : json_null());
			json_object_set_new(o, "name", on_fp && fp.name ? json_string(fp.name) : json_null());
			json_array_append_new(list, o);
			continue;
		}
		char speed[16], asic[12];
		lbctl_port_speed_text(c.speed_mbps, speed, sizeof(speed));
		snprintf(asic, sizeof(asic), local ? "%u" : "-", c.asic_port);
		fprintf(app->out, "%-10u %6u %4u %9u %5s %4u %4s  %s\n", c.system_port_id, c.switch_id, c.core,
			c.core_port, speed, c.num_voq, asic, on_fp && fp.name ? fp.name : "-");
	}
	free(ids);
	if (!cl.json)
		return LBCTL_EXIT_OK;
	json_t *doc = json_pack("{s:o, s:o}", "switch_id", set ? json_null() : json_integer(self.switch_id),
				"cores", set ? json_null() : json_integer(self.cores));
	json_object_set_new(doc, "system_ports", list);
	return lbctl_json_emit(app, doc);
}
