/* SPDX-License-Identifier: MIT */
/*
 * lbctl hyperport list|show|create|remove: 3.2T HyperPorts (lightbridge/hyperport.h), four
 * 800GE ASIC ports bonded into one, on a platform with a router ASIC. Members are named by
 * their front-panel ports (the platform's front-panel map); a HyperPort the platform declares
 * ("asic": {"hyperports": [...]}) is named by its name, any other by "hpN".
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl hyperport list [--json]\n"
		"       lbctl hyperport show HP [--json]\n"
		"       lbctl hyperport create NAME [--json]\n"
		"       lbctl hyperport create --ports P,P,P,P [--hash flow|spray] [--json]\n"
		"       lbctl hyperport remove HP [--json]\n"
		"\n"
		"3.2T HyperPorts: four 800GE ASIC ports bonded into one logical port. HP: a\n"
		"name the platform declares (asic.hyperports) or hpN. Members are front-panel\n"
		"ports (numbers or names), each carrying one 800G ASIC port.\n"
		"  list         declared and existing HyperPorts, state and capacity\n"
		"  show         members: state, why down, share of the traffic; counters of\n"
		"               each member and in total\n"
		"  create NAME  make the HyperPort the platform declares under NAME\n"
		"  --ports      make one of these four front-panel ports\n"
		"  --hash       flow: a 5-tuple hash keeps a flow on one member (default);\n"
		"               spray: frame by frame, even over the members up\n"
		"  remove       undo a HyperPort; its members stay, as ports of their own\n"
		"A member down leaves the HyperPort up at 800G per member up (2.4T with one\n"
		"down); the reason names the member and why.\n");
	return LBCTL_EXIT_OK;
}

/* The platform, its switch and what it declares. */
struct hp_env {
	struct lb_platform *p;
	struct lb_switch *sw;
};

static int open_env(struct lbctl *app, struct hp_env *e)
{
	int ex = lbctl_platform(app, &e->p);
	if (ex)
		return ex;
	int rc = lb_platform_switch(e->p, &e->sw);
	if (rc)
		return lbctl_fail(app, rc, "hyperport");
	return LBCTL_EXIT_OK;
}

/* The one ASIC port on front-panel port fp's lanes, whole; LB_E_NOTFOUND when none or broken out. */
static int fp_asic_port(struct lb_switch *sw, struct lb_platform *p, unsigned fp, uint32_t *asic)
{
	uint32_t first, count, ports[1024];
	size_t n;
	int rc;
	if ((rc = lb_platform_port_asic_lanes(p, fp, &first, &count)) || (rc = lb_asic_port_list(sw, ports, 1024, &n)))
		return rc;
	for (size_t i = 0; i < n && i < 1024; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		if (lb_asic_port_get(sw, ports[i], &c) == LB_OK && c.first_lane == first && c.lane_count == count) {
			*asic = ports[i];
			return LB_OK;
		}
	}
	return LB_E_NOTFOUND;
}

/* The front-panel port whose lanes hold ASIC port asic (0: none). */
static unsigned asic_fp(struct lb_switch *sw, struct lb_platform *p, uint32_t asic, struct lb_port_info *info)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	if (lb_asic_port_get(sw, asic, &c))
		return 0;
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		uint32_t first, count;
		if (lb_platform_port_at(p, i, info) == LB_OK &&
		    lb_platform_port_asic_lanes(p, info->port, &first, &count) == LB_OK && c.first_lane >= first &&
		    c.first_lane < first + count)
			return info->port;
	}
	return 0;
}

/* The HyperPort that exists with the ASIC ports of declared d's members; LB_E_NOTFOUND if none. */
static int declared_hp(struct hp_env *e, const struct lb_platform_hyperport *d, uint32_t *hp)
{
	uint32_t asic[LB_HYPERPORT_MEMBERS];
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		if (fp_asic_port(e->sw, e->p, d->ports[i], &asic[i]))
			return LB_E_NOTFOUND;
	if (lb_hyperport_of_port(e->sw, asic[0], hp))
		return LB_E_NOTFOUND;
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	if (lb_hyperport_get(e->sw, *hp, &c))
		return LB_E_NOTFOUND;
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		if (c.members[i] != asic[i])
			return LB_E_NOTFOUND;
	return LB_OK;
}

/* The name lbctl gives HyperPort hp: its declared name, else "hpN". */
static void hp_name(struct hp_env *e, uint32_t hp, char *buf, size_t len)
{
	for (size_t i = 0; i < lb_platform_hyperport_count(e->p); i++) {
		struct lb_platform_hyperport d = LB_PLATFORM_HYPERPORT_INIT;
		uint32_t n;
		if (lb_platform_hyperport_get(e->p, i, &d) == LB_OK && declared_hp(e, &d, &n) == LB_OK && n == hp) {
			snprintf(buf, len, "%s", d.name);
			return;
		}
	}
	snprintf(buf, len, "hp%u", hp);
}

/* HP as the command line names it: a declared name (it must exist) or hpN. */
static int find_hp(struct lbctl *app, struct hp_env *e, const char *arg, uint32_t *hp)
{
	for (size_t i = 0; i < lb_platform_hyperport_count(e->p); i++) {
		struct lb_platform_hyperport d = LB_PLATFORM_HYPERPORT_INIT;
		if (lb_platform_hyperport_get(e->p, i, &d) == LB_OK && strcmp(d.name, arg) == 0) {
			if (declared_hp(e, &d, hp) == LB_OK)
				return LBCTL_EXIT_OK;
			snprintf(app->detail, sizeof(app->detail), "'%s' is declared but not made (lbctl hyperport "
				 "create %s)", arg, arg);
			return lbctl_fail(app, LB_E_NOTFOUND, "hyperport %s", arg);
		}
	}
	unsigned long n;
	if (strncmp(arg, "hp", 2) == 0 && lbctl_parse_uint(arg + 2, 10, LB_HYPERPORT_MAX - 1, &n)) {
		struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
		if (lb_hyperport_get(e->sw, (uint32_t)n, &c) == LB_OK) {
			*hp = (uint32_t)n;
			return LBCTL_EXIT_OK;
		}
	}
	snprintf(app->detail, sizeof(app->detail), "no such hyperport (a declared name or hpN: lbctl "
		 "hyperport list)");
	return lbctl_fail(app, LB_E_NOTFOUND, "hyperport %s", arg);
}

static const char *oper_text(enum lb_asic_oper o)
{
	return o == LB_ASIC_OPER_UP ? "up" : "down";
}

static void speed_text(uint64_t mbps, char *buf, size_t len)
{
	if (mbps >= 1000000)
		snprintf(buf, len, "%llu.%lluT", (unsigned long long)(mbps / 1000000),
			 (unsigned long long)(mbps / 100000 % 10));
	else
		snprintf(buf, len, "%lluG", (unsigned long long)(mbps / 1000));
}

static json_t *member_json(struct hp_env *e, const struct lb_hyperport_member *m, const struct lb_asic_port_counters *k)
{
	struct lb_port_info info = LB_PORT_INFO_INIT;
	unsigned fp = asic_fp(e->sw, e->p, m->port, &info);
	json_t *o = json_pack("{s:I, s:s, s:I, s:s, s:s, s:I}", "port", (json_int_t)fp, "name",
			      fp && info.name ? info.name : "", "asic_port", (json_int_t)m->port, "oper",
			      oper_text(m->oper), "down_reason", lb_asic_down_reason_name(m->reason), "share_ppm",
			      (json_int_t)m->share_ppm);
	if (o && k)
		json_object_set_new(o, "counters", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "in_octets",
				(json_int_t)k->in_octets, "in_pkts",
				(json_int_t)(k->in_ucast_pkts + k->in_mcast_pkts + k->in_bcast_pkts), "out_octets",
				(json_int_t)k->out_octets, "out_pkts",
				(json_int_t)(k->out_ucast_pkts + k->out_mcast_pkts + k->out_bcast_pkts), "out_discards",
				(json_int_t)k->out_discards, "in_fcs_errors", (json_int_t)k->in_fcs_errors));
	return o;
}

/* The reason as a sentence: "full", or "degraded: Tokyo2 (asic port 2) no-signal". */
static void reason_text(struct hp_env *e, const struct lb_hyperport_status *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s", lb_hyperport_reason_name(st->reason));
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++) {
		if (st->member[i].oper == LB_ASIC_OPER_UP)
			continue;
		struct lb_port_info info = LB_PORT_INFO_INIT;
		unsigned fp = asic_fp(e->sw, e->p, st->member[i].port, &info);
		size_t u = strlen(buf);
		char who[48];
		if (fp && info.name)
			snprintf(who, sizeof(who), "%s", info.name);
		else
			snprintf(who, sizeof(who), "asic port %u", st->member[i].port);
		snprintf(buf + u, len - u, "%s %s %s", u == strlen(lb_hyperport_reason_name(st->reason)) ? ":" : ",",
			 who, lb_asic_down_reason_name(st->member[i].reason));
	}
}

/* The list's REASON column: "full", "1 down", "all-down". */
static const char *short_reason(json_t *o, char *buf, size_t len)
{
	json_int_t up = json_integer_value(json_object_get(o, "members_up"));
	if (up > 0 && up < (json_int_t)LB_HYPERPORT_MEMBERS) {
		snprintf(buf, len, "%lld down", (long long)((json_int_t)LB_HYPERPORT_MEMBERS - up));
		return buf;
	}
	return json_string_value(json_object_get(o, "reason"));
}

static json_t *hp_json(struct hp_env *e, uint32_t hp, const char *name, bool with_counters)
{
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	struct lb_asic_port_counters k[LB_HYPERPORT_MEMBERS], total = LB_ASIC_PORT_COUNTERS_INIT;
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		k[i] = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	if (lb_hyperport_get(e->sw, hp, &c) || lb_hyperport_get_status(e->sw, hp, &st) ||
	    (with_counters && lb_hyperport_counters_read(e->sw, hp, k, &total)))
		return NULL;
	char reason[256];
	reason_text(e, &st, reason, sizeof(reason));
	json_t *members = json_array();
	for (unsigned i = 0; members && i < LB_HYPERPORT_MEMBERS; i++)
		json_array_append_new(members, member_json(e, &st.member[i], with_counters ? &k[i] : NULL));
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:o}", "hyperport", (json_int_t)hp, "name",
			      name, "hash", lb_hyperport_hash_name(c.hash), "oper", oper_text(st.oper), "reason",
			      lb_hyperport_reason_name(st.reason), "reason_text", reason, "members_up",
			      (json_int_t)st.members_up, "capacity_mbps", (json_int_t)st.capacity_mbps, "members",
			      members);
	if (o && with_counters)
		json_object_set_new(o, "total", json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "in_octets",
				(json_int_t)total.in_octets, "in_pkts",
				(json_int_t)(total.in_ucast_pkts + total.in_mcast_pkts + total.in_bcast_pkts),
				"out_octets", (json_int_t)total.out_octets, "out_pkts",
				(json_int_t)(total.out_ucast_pkts + total.out_mcast_pkts + total.out_bcast_pkts),
				"out_discards", (json_int_t)total.out_discards, "in_fcs_errors",
				(json_int_t)total.in_fcs_errors));
	return o;
}

/* "Tokyo0,Tokyo1,..." of a HyperPort's members, or of a declaration's ports. */
static void members_text(struct hp_env *e, const uint32_t *asic, const unsigned *fps, char *buf, size_t len)
{
	buf[0] = 0;
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		unsigned fp = fps ? fps[i] : asic_fp(e->sw, e->p, asic[i], &info);
		if (fps && lb_platform_port(e->p, fp, &info))
			info.name = NULL;
		size_t u = strlen(buf);
		if (fp && info.name)
			snprintf(buf + u, len - u, "%s%s", i ? "," : "", info.name);
		else
			snprintf(buf + u, len - u, "%sasic%u", i ? "," : "", asic ? asic[i] : 0);
	}
}

static int cmd_list(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, NULL, 0, 0, "", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct hp_env e;
	if ((ex = open_env(app, &e)))
		return ex;
	json_t *arr = cl.json ? json_array() : NULL;
	if (!cl.json)
		fprintf(app->out, "%-10s %-4s %-31s %-5s %-5s %-4s %s\n", "NAME", "HP", "MEMBERS", "HASH", "OPER",
			"CAP", "REASON");
	bool shown[LB_HYPERPORT_MAX] = { false };
	char why[32];
	for (size_t i = 0; i < lb_platform_hyperport_count(e.p); i++) { /* declared, made or not */
		struct lb_platform_hyperport d = LB_PLATFORM_HYPERPORT_INIT;
		if (lb_platform_hyperport_get(e.p, i, &d))
			continue;
		uint32_t hp;
		if (declared_hp(&e, &d, &hp) == LB_OK) {
			shown[hp] = true;
			json_t *o = hp_json(&e, hp, d.name, false);
			if (!o)
				return lbctl_fail(app, LB_E_IO, "hyperport %s", d.name);
			if (cl.json) {
				json_object_set_new(o, "declared", json_true());
				json_array_append_new(arr, o);
				continue;
			}
			char m[64], cap[48];
			members_text(&e, NULL, d.ports, m, sizeof(m));
			speed_text((uint64_t)json_integer_value(json_object_get(o, "capacity_mbps")), cap, sizeof(cap));
			fprintf(app->out, "%-10s %-4u %-31s %-5s %-5s %-4s %s\n", d.name, hp, m,
				json_string_value(json_object_get(o, "hash")), json_string_value(json_object_get(o, "oper")),
				cap, short_reason(o, why, sizeof(why)));
			json_decref(o);
			continue;
		}
		if (cl.json) {
			json_t *ports = json_array();
			for (unsigned k = 0; k < LB_HYPERPORT_MEMBERS; k++)
				json_array_append_new(ports, json_integer(d.ports[k]));
			json_array_append_new(arr, json_pack("{s:n, s:s, s:s, s:b, s:o}", "hyperport", "name", d.name,
							     "hash", lb_hyperport_hash_name(d.hash), "declared", 1,
							     "ports", ports));
			continue;
		}
		char m[64];
		members_text(&e, NULL, d.ports, m, sizeof(m));
		fprintf(app->out, "%-10s %-4s %-31s %-5s %-5s %-4s %s\n", d.name, "-", m, lb_hyperport_hash_name(d.hash),
			"-", "-", "not made");
	}
	uint32_t list[LB_HYPERPORT_MAX];
	size_t n;
	int rc = lb_hyperport_list(e.sw, list, LB_HYPERPORT_MAX, &n);
	if (rc)
		return lbctl_fail(app, rc, "hyperport list");
	for (size_t i = 0; i < n && i < LB_HYPERPORT_MAX; i++) { /* the others, made by hand */
		if (shown[list[i]])
			continue;
		char name[16];
		snprintf(name, sizeof(name), "hp%u", list[i]);
		json_t *o = hp_json(&e, list[i], name, false);
		if (!o)
			return lbctl_fail(app, LB_E_IO, "hyperport %s", name);
		if (cl.json) {
			json_object_set_new(o, "declared", json_false());
			json_array_append_new(arr, o);
			continue;
		}
		struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
		(void)lb_hyperport_get(e.sw, list[i], &c);
		char m[64], cap[48];
		members_text(&e, c.members, NULL, m, sizeof(m));
		speed_text((uint64_t)json_integer_value(json_object_get(o, "capacity_mbps")), cap, sizeof(cap));
		fprintf(app->out, "%-10s %-4u %-31s %-5s %-5s %-4s %s\n", name, list[i], m,
			json_string_value(json_object_get(o, "hash")), json_string_value(json_object_get(o, "oper")), cap,
			short_reason(o, why, sizeof(why)));
		json_decref(o);
	}
	return cl.json ? lbctl_json_emit(app, arr) : LBCTL_EXIT_OK;
}

static void print_hp(struct lbctl *app, json_t *o)
{
	char cap[48];
	speed_text((uint64_t)json_integer_value(json_object_get(o, "capacity_mbps")), cap, sizeof(cap));
	fprintf(app->out, "hyperport %s (hp%lld): %s, %s of 3.2T, hash %s\n",
		json_string_value(json_object_get(o, "name")),
		(long long)json_integer_value(json_object_get(o, "hyperport")),
		json_string_value(json_object_get(o, "oper")), cap, json_string_value(json_object_get(o, "hash")));
	fprintf(app->out, "  reason: ");
	lbctl_wrap(app, 10, 10, json_string_value(json_object_get(o, "reason_text")));
	fprintf(app->out, "%-4s %-11s %-4s %-5s %-13s %6s %16s %12s\n", "PORT", "NAME", "ASIC", "OPER", "DOWN REASON",
		"SHARE", "IN PKTS", "OUT DISCARDS");
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(o, "members"), i, m) {
		json_t *k = json_object_get(m, "counters");
		const char *why = json_string_value(json_object_get(m, "down_reason"));
		fprintf(app->out, "%-4lld %-11s %-4lld %-5s %-13s %5.1f%% %16lld %12lld\n",
			(long long)json_integer_value(json_object_get(m, "port")),
			json_string_value(json_object_get(m, "name")),
			(long long)json_integer_value(json_object_get(m, "asic_port")),
			json_string_value(json_object_get(m, "oper")), why && *why ? why : "-",
			(double)json_integer_value(json_object_get(m, "share_ppm")) / 1e4,
			(long long)json_integer_value(json_object_get(k, "in_pkts")),
			(long long)json_integer_value(json_object_get(k, "out_discards")));
	}
	json_t *t = json_object_get(o, "total");
	fprintf(app->out, "%-4s %-11s %-4s %-5s %-13s %6s %16lld %12lld\n", "", "total", "", "", "", "",
		(long long)json_integer_value(json_object_get(t, "in_pkts")),
		(long long)json_integer_value(json_object_get(t, "out_discards")));
}

static int cmd_show(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, NULL, 1, 1, "HP", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct hp_env e;
	uint32_t hp;
	if ((ex = open_env(app, &e)) || (ex = find_hp(app, &e, cl.pos[0], &hp)))
		return ex;
	char name[32];
	hp_name(&e, hp, name, sizeof(name));
	json_t *o = hp_json(&e, hp, name, true);
	if (!o)
		return lbctl_fail(app, LB_E_IO, "hyperport %s", cl.pos[0]);
	if (cl.json)
		return lbctl_json_emit(app, o);
	print_hp(app, o);
	json_decref(o);
	return LBCTL_EXIT_OK;
}

/* "P,P,P,P": four front-panel ports by number or name. */
static int parse_ports(struct lbctl *app, struct hp_env *e, const char *spec, unsigned fps[LB_HYPERPORT_MEMBERS])
{
	char buf[256];
	snprintf(buf, sizeof(buf), "%s", spec);
	unsigned n = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		struct lb_port_info info = LB_PORT_INFO_INIT;
		if (n == LB_HYPERPORT_MEMBERS)
			return lbctl_usage_error(app, "hyperport create: --ports: four ports, not more");
		if (lbctl_find_port(e->p, t, &info)) {
			lbctl_no_such_port(app, e->p, t);
			return lbctl_fail(app, LB_E_NOTFOUND, "hyperport create: port %s", t);
		}
		fps[n++] = info.port;
	}
	if (n != LB_HYPERPORT_MEMBERS)
		return lbctl_usage_error(app, "hyperport create: --ports: four ports (%u given)", n);
	return LBCTL_EXIT_OK;
}

static int cmd_create(struct lbctl *app, int argc, char **argv)
{
	enum { O_PORTS, O_HASH };
	static const struct lbctl_opt o[] = {
		[O_PORTS] = { .name = "ports", .value_name = "P,P,P,P" },
		[O_HASH] = { .name = "hash", .value_name = "flow|spray" },
		{ .name = NULL },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, o, 0, 1, "[NAME]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	if ((cl.npos == 1) == cl.given[O_PORTS])
		return lbctl_usage_error(app, "hyperport create: a declared NAME or --ports, one of them");
	if (cl.npos && cl.given[O_HASH])
		return lbctl_usage_error(app, "hyperport create: --hash goes with --ports (NAME has its own)");
	struct lb_platform_hyperport d = LB_PLATFORM_HYPERPORT_INIT;
	if (cl.given[O_HASH] && lb_hyperport_hash_parse(cl.value[O_HASH], &d.hash))
		return lbctl_usage_error(app, "hyperport create: --hash: '%s' is not flow or spray", cl.value[O_HASH]);
	struct hp_env e;
	if ((ex = open_env(app, &e)))
		return ex;
	if (cl.npos) {
		size_t i = 0;
		for (; i < lb_platform_hyperport_count(e.p); i++)
			if (lb_platform_hyperport_get(e.p, i, &d) == LB_OK && strcmp(d.name, cl.pos[0]) == 0)
				break;
		if (i == lb_platform_hyperport_count(e.p)) {
			snprintf(app->detail, sizeof(app->detail), "platform %s declares no hyperport '%s' "
				 "(lbctl hyperport list)", lb_platform_name(e.p), cl.pos[0]);
			return lbctl_fail(app, LB_E_NOTFOUND, "hyperport create %s", cl.pos[0]);
		}
	} else if ((ex = parse_ports(app, &e, cl.value[O_PORTS], d.ports)))
		return ex;
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	c.hash = d.hash;
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		if (fp_asic_port(e.sw, e.p, d.ports[i], &c.members[i])) {
			snprintf(app->detail, sizeof(app->detail), "port %u has no whole ASIC port (broken out?): a "
				 "member is one 800G port", d.ports[i]);
			return lbctl_fail(app, LB_E_NOTFOUND, "hyperport create");
		}
	uint32_t hp;
	int rc = lb_hyperport_create(e.sw, &c, &hp);
	if (rc)
		return lbctl_fail(app, rc, "hyperport create");
	char name[32];
	hp_name(&e, hp, name, sizeof(name));
	if (cl.json)
		return lbctl_json_emit(app, hp_json(&e, hp, name, false));
	fprintf(app->out, "hyperport %s (hp%u) made\n", name, hp);
	return LBCTL_EXIT_OK;
}

static int cmd_remove(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, NULL, 1, 1, "HP", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct hp_env e;
	uint32_t hp;
	if ((ex = open_env(app, &e)) || (ex = find_hp(app, &e, cl.pos[0], &hp)))
		return ex;
	char name[32];
	hp_name(&e, hp, name, sizeof(name));
	int rc = lb_hyperport_remove(e.sw, hp);
	if (rc)
		return lbctl_fail(app, rc, "hyperport remove %s", cl.pos[0]);
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:b}", "hyperport", (json_int_t)hp, "name", name,
						      "removed", 1));
	fprintf(app->out, "hyperport %s (hp%u) removed\n", name, hp);
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_hyperport(struct lbctl *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct lbctl *app, int argc, char **argv);
	} subs[] = { { "list", cmd_list }, { "show", cmd_show }, { "create", cmd_create }, { "remove", cmd_remove } };
	if (argc < 2)
		return lbctl_usage_error(app, "hyperport: list, show, create or remove? (lbctl hyperport --help)");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return usage(app);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	return lbctl_usage_error(app, "hyperport: unknown '%s' (list, show, create, remove)", argv[1]);
}
