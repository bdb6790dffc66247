/* SPDX-License-Identifier: MIT */
/*
 * lbctl plan lossless: the PFC headroom a lossless priority group needs on a link of a given
 * speed and length, and whether N ports x M lossless priorities fit a router ASIC's buffer.
 * The model is the library's (lb_lossless_plan); the buffer is an emulated ASIC profile's
 * (lb_switch_get_caps). This file reads the command line and prints a table or JSON.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "plan_lossless.h"

enum { O_SPEED, O_DISTANCE, O_PORTS, O_PRIOS, O_MTU, O_FIBRE, O_OCC, O_OVER, O_ASIC, O_PATH, O_APPLY,
       O_PORT, O_PLATFORM, O_RTT_FROM, O_LOSSLESS };
static const struct lbctl_opt opts[] = {
	[O_SPEED] = { .name = "speed", .value_name = "SPEED" },
	[O_DISTANCE] = { .name = "distance-km", .value_name = "KM" },
	[O_PORTS] = { .name = "ports", .value_name = "N" },
	[O_PRIOS] = { .name = "priorities", .value_name = "M" },
	[O_MTU] = { .name = "mtu", .value_name = "BYTES" },
	[O_FIBRE] = { .name = "fibre-ns-per-km", .value_name = "NS" },
	[O_OCC] = { .name = "occupancy", .value_name = "F" },
	[O_OVER] = { .name = "oversubscription", .value_name = "R" },
	[O_ASIC] = { .name = "asic", .value_name = "PROFILE" },
	[O_PATH] = { .name = "path", .value_name = "FILE" },
	[O_APPLY] = { .name = "apply", .value_name = NULL },
	[O_PORT] = { .name = "port", .value_name = "PORT" },
	[O_PLATFORM] = { .name = "platform", .value_name = "FILE" },
	[O_RTT_FROM] = { .name = "rtt-from", .value_name = "SOURCE" },
	[O_LOSSLESS] = { .name = "lossless", .value_name = "LIST" },
	{ .name = NULL },
};

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl plan lossless --speed SPEED --distance-km KM|--path FILE\n"
		"           [--ports N] [--priorities M] [--mtu BYTES] [--fibre-ns-per-km NS]\n"
		"           [--occupancy F] [--oversubscription R] [--asic PROFILE] [--json]\n"
		"\n"
		"PFC headroom of one lossless priority group (PG) on a link: what arrives\n"
		"after XOFF (round trip at line rate, MTUs, MAC/PHY and peer response), the\n"
		"backlog below XON that keeps a long link busy, and whether N ports x M\n"
		"lossless priorities fit the ASIC's buffer: on chip, in HBM, only with a\n"
		"shared headroom pool, or not at all (then exit 6).\n"
		"\n"
		"  --speed SPEED        port speed: 100G, 400G, 800G, 1.6T, or Mb/s\n"
		"  --distance-km KM     fibre length\n"
		"  --path FILE          ... or the fibre of a link path file (as plan link takes\n"
		"                       it: a file, or a name under link/paths): its spans' sum\n"
		"  --ports N            lossless ports (default 1)\n"
		"  --priorities M       lossless priorities per port (default 1)\n"
		"  --mtu BYTES          port and lossless MTU (default 9216)\n"
		"  --fibre-ns-per-km NS one-way fibre delay (default 5050.5, SONiC's 1.98e8 m/s;\n"
		"                       real fibre is nearer 4897)\n"
		"  --occupancy F        buffer bytes per data byte, >= 1 (default 1)\n"
		"  --oversubscription R shared headroom pool ratio, >= 1 (default 2)\n"
		"  --asic PROFILE       emulated ASIC whose buffer and cell to use\n"
		"                       (default jericho4-class; also small)\n"
		"  --json               one JSON object\n"
		"\n"
		"usage: lbctl plan lossless --port PORT | --apply [PORT...] [--platform FILE]\n"
		"           [--rtt-from SOURCE] [--distance-km KM] [--lossless LIST]\n"
		"           [--oversubscription R] [--json]\n"
		"\n"
		"From the optics: each port's round trip from its coherent module's measured\n"
		"CD (cd-estimate), else its platform link's path (link-path), else\n"
		"--distance-km (distance); the lossless PGs' headroom (xoff), xon, limit and\n"
		"ECN thresholds for it at the ASIC port's speed. --port plans one port;\n"
		"--apply programs the ports given (default: every port on a platform link)\n"
		"as one change, or nothing when the buffer cannot hold it (exit 6).\n"
		"\n"
		"  --rtt-from SOURCE    only this source: cd-estimate, link-path, distance\n"
		"  --lossless LIST      lossless priorities (default 3,4)\n"
		"  --platform FILE      the platform (as lbctl --platform FILE)\n");
	return LBCTL_EXIT_OK;
}

static bool parse_double(const char *s, double lo, double hi, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* The buffer of an emulated ASIC profile. */
static int chip_caps(struct lbctl *app, const char *profile, struct lb_switch_caps *caps)
{
	char options[160];
	json_t *o = json_pack("{s:s}", "profile", profile);
	char *text = o ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (!text || strlen(text) >= sizeof(options)) {
		free(text);
		return lbctl_fail(app, LB_E_NOMEM, "plan lossless: --asic");
	}
	strcpy(options, text);
	free(text);
	struct lb_switch *sw;
	int rc = lb_switch_open(app->ctx, "emulated", options, NULL, &sw);
	if (rc)
		return lbctl_fail(app, rc, "plan lossless: --asic %s", profile);
	rc = lb_switch_get_caps(sw, caps);
	lb_switch_close(sw);
	if (rc)
		return lbctl_fail(app, rc, "plan lossless: --asic %s", profile);
	return LBCTL_EXIT_OK;
}

static int parse(struct lbctl *app, const struct lbctl_cmdline *cl, struct lb_lossless_input *in)
{
	unsigned long n;
	double d;
	if (!cl->given[O_SPEED] || cl->given[O_DISTANCE] == cl->given[O_PATH])
		return lbctl_usage_error(app, "plan lossless: --speed and one of --distance-km or "
					      "--path are required");
	if (!lbctl_parse_speed(cl->value[O_SPEED], &in->speed_mbps))
		return lbctl_usage_error(app, "plan lossless: --speed %s: a speed such as 400G, 800G, 1.6T",
					 cl->value[O_SPEED]);
	if (!lb_lossless_peer_quanta(in->speed_mbps) || in->speed_mbps < 10000)
		return lbctl_usage_error(app, "plan lossless: --speed %s: no peer response budget for it "
					 "(10G, 25G, 40G, 50G, 100G, 200G, 400G, 800G, 1.6T)",
					 cl->value[O_SPEED]);
	if (cl->given[O_PATH]) {
		/* the round trip of the fibre the link model plans over */
		char file[PATH_MAX], err[256] = "";
		struct lb_link_path path = LB_LINK_PATH_INIT;
		lbctl_link_path_file(app, cl->value[O_PATH], file, sizeof(file));
		int rc = lb_link_path_load(file, &path, err, sizeof(err));
		if (rc) { /* a bad input file, as for plan link */
			fprintf(app->err, "lbctl: plan lossless: --path %s: %s\n", cl->value[O_PATH], err);
			return LBCTL_EXIT_INPUT;
		}
		in->distance_km = 0;
		for (unsigned i = 0; i < path.span_count; i++)
			in->distance_km += path.spans[i].length_km;
	} else if (!parse_double(cl->value[O_DISTANCE], 0, 40000, &in->distance_km)) {
		return lbctl_usage_error(app, "plan lossless: --distance-km %s: 0 to 40000",
					 cl->value[O_DISTANCE]);
	}
	if (cl->given[O_PORTS]) {
		if (!lbctl_parse_uint(cl->value[O_PORTS], 10, 4096, &n) || !n)
			return lbctl_usage_error(app, "plan lossless: --ports %s: 1 to 4096", cl->value[O_PORTS]);
		in->ports = (uint32_t)n;
	}
	if (cl->given[O_PRIOS]) {
		if (!lbctl_parse_uint(cl->value[O_PRIOS], 10, 8, &n) || !n)
			return lbctl_usage_error(app, "plan lossless: --priorities %s: 1 to 8",
						 cl->value[O_PRIOS]);
		in->priorities = (uint32_t)n;
	}
	if (cl->given[O_MTU]) {
		if (!lbctl_parse_uint(cl->value[O_MTU], 10, 65535, &n) || n < 64)
			return lbctl_usage_error(app, "plan lossless: --mtu %s: 64 to 65535", cl->value[O_MTU]);
		in->port_mtu = in->lossless_mtu = (uint32_t)n;
	}
	if (cl->given[O_FIBRE]) {
		if (!parse_double(cl->value[O_FIBRE], 1000, 100000, &d))
			return lbctl_usage_error(app, "plan lossless: --fibre-ns-per-km %s: 1000 to 100000",
						 cl->value[O_FIBRE]);
		in->fibre_delay_ns_per_km = d;
	}
	if (cl->given[O_OCC]) {
		if (!parse_double(cl->value[O_OCC], 1, 16, &d))
			return lbctl_usage_error(app, "plan lossless: --occupancy %s: 1 to 16", cl->value[O_OCC]);
		in->cell_occupancy = d;
	}
	if (cl->given[O_OVER]) {
		if (!parse_double(cl->value[O_OVER], 1, 1000, &d))
			return lbctl_usage_error(app, "plan lossless: --oversubscription %s: 1 to 1000",
						 cl->value[O_OVER]);
		in->oversubscription = d;
	}
	return LBCTL_EXIT_OK;
}

static const char *fit_text(enum lb_lossless_fit fit)
{
	switch (fit) {
	case LB_LOSSLESS_FIT_ONCHIP: return "fits on chip (private headroom per PG)";
	case LB_LOSSLESS_FIT_HBM: return "fits with the HBM deep buffer (private headroom per PG)";
	case LB_LOSSLESS_FIT_SHARED_POOL: return "fits only with a shared headroom pool";
	case LB_LOSSLESS_FIT_NONE: return "does NOT fit: cannot be held lossless";
	case LB_LOSSLESS_FIT_UNKNOWN: break;
	}
	return "unknown";
}

static void print_text(struct lbctl *app, const struct lb_lossless_input *in, const struct lb_lossless_plan *p,
		       const char *profile)
{
	FILE *f = app->out;
	char a[32], b[32];
	double delay = in->fibre_delay_ns_per_km > 0 ? in->fibre_delay_ns_per_km : LB_LOSSLESS_SONIC_NS_PER_KM;
	fprintf(f, "lossless PG at %g Gb/s over %g km (fibre %.1f ns/km one way, MTU %u)\n",
		in->speed_mbps / 1000.0, in->distance_km, delay, in->port_mtu ? in->port_mtu : 9216);
	fprintf(f, "  round trip        %.3f ms, %s bytes in flight\n", p->rtt_ns / 1e6,
		lbctl_grouped((uint64_t)llround(p->cable_bytes), a, sizeof(a)));
	fprintf(f, "  peer response     %s bytes\n", lbctl_grouped(p->peer_response_bytes, a, sizeof(a)));
	fprintf(f, "  headroom (xoff)   %s bytes per PG\n", lbctl_grouped(p->headroom_bytes, a, sizeof(a)));
	fprintf(f, "  xon backlog       %s bytes per PG, for full throughput\n",
		lbctl_grouped(p->xon_bytes, a, sizeof(a)));
	fprintf(f, "%u PG%s (%u port%s x %u priorit%s) on %s:\n", p->pgs, p->pgs == 1 ? "" : "s",
		in->ports, in->ports == 1 ? "" : "s", in->priorities, in->priorities == 1 ? "y" : "ies",
		profile);
	fprintf(f, "  buffer            %s bytes (on chip %s)\n", lbctl_grouped(p->buffer_bytes, a, sizeof(a)),
		lbctl_grouped(in->onchip_bytes, b, sizeof(b)));
	fprintf(f, "  private           %s bytes\n", lbctl_grouped(p->private_bytes, a, sizeof(a)));
	fprintf(f, "  shared pool       %s bytes with backlogs (pool %s)\n",
		lbctl_grouped(p->shared_total_bytes, a, sizeof(a)), lbctl_grouped(p->shared_pool_bytes, b, sizeof(b)));
	fprintf(f, "  verdict           %s\n", fit_text(p->fit));
	if (p->hbm_bandwidth_short)
		fprintf(f, "  note              HBM writes %g Gb/s if every port absorbs at once: more\n"
			   "                    than the HBM takes (%g Gb/s)\n",
			(double)p->hbm_bandwidth_needed_mbps / 1000.0, (double)in->hbm_bandwidth_mbps / 1000.0);
}

/* "3,4" as a mask of priorities. */
static bool prio_mask(const char *s, uint8_t *mask)
{
	*mask = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return false;
		*mask = (uint8_t)(*mask | 1u << (*s - '0'));
		if (s[1] == ',' && s[2])
			s++;
		else if (s[1])
			return false;
	}
	return *mask != 0;
}

/* --port PORT or --apply [PORT...]: the round trip from the optics (plan_lossless_apply.c). */
static int from_optics(struct lbctl *app, const struct lbctl_cmdline *cl)
{
	static const int calculator_only[] = { O_SPEED, O_PATH, O_PORTS, O_PRIOS, O_MTU, O_FIBRE, O_OCC, O_ASIC };
	for (size_t i = 0; i < sizeof(calculator_only) / sizeof(calculator_only[0]); i++)
		if (cl->given[calculator_only[i]])
			return lbctl_usage_error(app, "plan lossless: --%s: not with --apply or --port (the "
					         "port's optics and ASIC port say it)", opts[calculator_only[i]].name);
	if (!cl->given[O_APPLY] && cl->npos)
		return lbctl_usage_error(app, "plan lossless: PORT arguments go with --apply; --port PORT "
					      "plans one port");
	struct lbctl_plan_optics po = { .apply = cl->given[O_APPLY] };
	unsigned k = 0;
	if (cl->given[O_PORT])
		po.ports[k++] = cl->value[O_PORT];
	for (int i = 0; i < cl->npos && k < LBCTL_MAX_POS; i++)
		po.ports[k++] = cl->pos[i];
	po.source = cl->given[O_RTT_FROM] ? cl->value[O_RTT_FROM] : NULL;
	if (cl->given[O_DISTANCE]) {
		if (!parse_double(cl->value[O_DISTANCE], 0, 40000, &po.distance_km))
			return lbctl_usage_error(app, "plan lossless: --distance-km %s: 0 to 40000",
						 cl->value[O_DISTANCE]);
		po.have_distance = true;
	}
	if (cl->given[O_LOSSLESS] && !prio_mask(cl->value[O_LOSSLESS], &po.priorities))
		return lbctl_usage_error(app, "plan lossless: --lossless %s: priorities 0-7, as 3,4",
					 cl->value[O_LOSSLESS]);
	if (cl->given[O_OVER] && !parse_double(cl->value[O_OVER], 1, 1000, &po.oversubscription))
		return lbctl_usage_error(app, "plan lossless: --oversubscription %s: 1 to 1000",
					 cl->value[O_OVER]);
	if (cl->given[O_PLATFORM]) {
		if (app->platform || (app->platform_path && strcmp(app->platform_path, cl->value[O_PLATFORM])))
			return lbctl_usage_error(app, "plan lossless: --platform %s: another platform is in use",
						 cl->value[O_PLATFORM]);
		app->platform_path = cl->value[O_PLATFORM];
	}
	/* plan is a read-only command; --apply changes the switch, kept for the next lbctl */
	if (po.apply)
		app->state_readonly = false;
	return lbctl_plan_lossless_optics(app, &po, cl->json);
}

int lbctl_cmd_plan_lossless(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 0, LBCTL_MAX_POS, "[PORT...]", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	if (cl.given[O_APPLY] || cl.given[O_PORT])
		return from_optics(app, &cl);
	if (cl.npos || cl.given[O_PLATFORM] || cl.given[O_RTT_FROM] || cl.given[O_LOSSLESS])
		return lbctl_usage_error(app, "plan lossless: PORT, --platform, --rtt-from and --lossless "
					      "go with --apply or --port");
	struct lb_lossless_input in = LB_LOSSLESS_INPUT_INIT;
	in.ports = in.priorities = 1;
	if ((ex = parse(app, &cl, &in)))
		return ex;
	const char *profile = cl.given[O_ASIC] ? cl.value[O_ASIC] : "jericho4-class";
	bool known = false;
	for (const char *const *n = lb_emu_asic_profiles(); *n; n++)
		known = known || strcmp(*n, profile) == 0;
	if (!known)
		return lbctl_usage_error(app, "plan lossless: --asic %s: no such profile (jericho4-class, "
					 "small)", profile);
	struct lb_switch_caps caps = LB_SWITCH_CAPS_INIT;
	if ((ex = chip_caps(app, profile, &caps)))
		return ex;
	in.onchip_bytes = caps.onchip_buffer_bytes;
	in.hbm_bytes = caps.hbm_bytes;
	in.hbm_bandwidth_mbps = caps.hbm_bandwidth_mbps;
	in.cell_bytes = caps.cell_bytes;
	struct lb_lossless_plan p = LB_LOSSLESS_PLAN_INIT;
	int rc = lb_lossless_plan(&in, &p);
	if (rc)
		return lbctl_fail(app, rc, "plan lossless: the planner refused the input");
	if (cl.json) {
		json_t *o = json_pack(
			"{s:I, s:f, s:f, s:I, s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
			" s:I, s:I, s:I, s:s, s:s, s:I, s:b}",
			"speed_mbps", (json_int_t)in.speed_mbps, "distance_km", in.distance_km,
			"fibre_delay_ns_per_km",
			in.fibre_delay_ns_per_km > 0 ? in.fibre_delay_ns_per_km : LB_LOSSLESS_SONIC_NS_PER_KM,
			"mtu_bytes", (json_int_t)(in.port_mtu ? in.port_mtu : 9216), "rtt_ns", p.rtt_ns,
			"cable_bytes", p.cable_bytes, "peer_response_bytes", (json_int_t)p.peer_response_bytes,
			"headroom_bytes", (json_int_t)p.headroom_bytes, "xoff_bytes", (json_int_t)p.xoff_bytes,
			"xon_bytes", (json_int_t)p.xon_bytes, "pg_bytes", (json_int_t)p.pg_bytes,
			"ports", (json_int_t)in.ports, "priorities", (json_int_t)in.priorities,
			"pgs", (json_int_t)p.pgs, "private_bytes", (json_int_t)p.private_bytes,
			"shared_pool_bytes", (json_int_t)p.shared_pool_bytes, "shared_total_bytes",
			(json_int_t)p.shared_total_bytes, "onchip_bytes", (json_int_t)in.onchip_bytes,
			"hbm_bytes", (json_int_t)in.hbm_bytes, "asic", profile, "fit", lb_lossless_fit_name(p.fit),
			"hbm_bandwidth_needed_mbps", (json_int_t)p.hbm_bandwidth_needed_mbps,
			"hbm_bandwidth_short", p.hbm_bandwidth_short);
		if ((ex = lbctl_json_emit(app, o)))
			return ex;
	} else {
		print_text(app, &in, &p, profile);
	}
	if (p.fit == LB_LOSSLESS_FIT_NONE) {
		fprintf(app->err, "lbctl: plan lossless: %u lossless PGs at %g Gb/s over %g km do not fit "
				  "%s's buffer\n", p.pgs, in.speed_mbps / 1000.0, in.distance_km, profile);
		return LBCTL_EXIT_REFUSED;
	}
	return LBCTL_EXIT_OK;
}
