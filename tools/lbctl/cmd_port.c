/* SPDX-License-Identifier: MIT */
/*
 * lbctl port list|show|set|counters|clear|voq: a platform's front-panel ports (cages) and the ASIC
 * ports on their lanes (the platform's front-panel map), on the public API (lightbridge/asic.h).
 * A front-panel port may carry one ASIC port or a breakout of several; set applies to each
 * of them, or replaces them (--breakout). voq is port_voq.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "lbctl.h"

#define MAX_SUB 16 /* ASIC ports on one front-panel port, at most */

/* A front-panel port, its lanes and the ASIC ports on them. */
struct fp {
	struct lb_port_info info;
	uint32_t first, count;
	uint32_t asic[MAX_SUB];
	struct lb_asic_port_config cfg[MAX_SUB];
	unsigned n;
};
#define FP_INIT { .info = LB_PORT_INFO_INIT }

int lbctl_port_usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl port list [--json]\n"
		"       lbctl port show PORT [--json]\n"
		"       lbctl port set PORT [--speed S] [--fec F] [--admin up|down] [--mtu B]\n"
		"                           [--loopback none|phy|mac] [--pfc P,P|none]\n"
		"                           [--pause tx|rx|both|none] [--breakout NxS]\n"
		"                           [--module] [--json]\n"
		"       lbctl port counters PORT [--clear] [--json]\n"
		"       lbctl port clear PORT\n"
		"       lbctl port voq [--switch-id N --cores C] [--local FIRST_ID]\n"
		"                      [--add ID,SWITCH,CORE,CORE_PORT,SPEED[,VOQS]]\n"
		"                      [--remove ID] [--json]\n"
		"\n"
		"Front-panel ports (cages) and the ASIC ports on their lanes, on a platform\n"
		"with a router ASIC (the embedded default has one). PORT: a number or a name.\n"
		"  set          change every ASIC port of PORT, all members at once; a refused\n"
		"               change applies nothing\n"
		"  --speed S    100G, 200G, 400G, 800G, 1.6T (on the same lanes)\n"
		"  --fec F      none, rs528, rs544, rs544-2xn\n"
		"  --pfc P,P    lossless priorities (0-7), or none\n"
		"  --pause      802.3x PAUSE, the whole link: send it at XOFF (tx), stop on\n"
		"               the peer's (rx), both, or none; a port has PAUSE or PFC\n"
		"  --breakout   NxS: replace PORT's ASIC ports with N of speed S over its\n"
		"               lanes (8 lanes: 1x800G, 2x400G, 4x200G, 8x100G); put back if\n"
		"               refused\n"
		"  --module     then bring the module in PORT's cage up on the application\n"
		"               that runs each ASIC port's speed over its lanes\n"
		"  counters     octets, packets, drops, PFC, FEC; --clear: read and clear\n"
		"  clear        clear the counters\n"
		"  voq          the VOQ system ports the chip holds (a VOQ switch): set this\n"
		"               switch's id and cores, give every ASIC port a system port\n"
		"               FIRST_ID + its number (--local), add a remote one, remove one;\n"
		"               then the table\n"
		"The emulated ASIC's configuration, system ports, counters and watermarks are\n"
		"kept between runs (--fresh: power-on).\n");
	return LBCTL_EXIT_OK;
}

static int open_switch(struct lbctl *app, struct lb_platform **p, struct lb_switch **sw)
{
	int ex = lbctl_platform(app, p);
	if (ex)
		return ex;
	int rc = lb_platform_switch(*p, sw);
	if (rc)
		return lbctl_fail(app, rc, "port: %s", lb_ctx_last_error(app->ctx));
	return LBCTL_EXIT_OK;
}

/* The ASIC ports on fp's lanes. */
static int load_fp(struct lbctl *app, struct lb_platform *p, struct lb_switch *sw, struct fp *fp)
{
	int rc = lb_platform_port_asic_lanes(p, fp->info.port, &fp->first, &fp->count);
	if (rc)
		return lbctl_fail(app, rc, "port %u (%s): no ASIC lanes", fp->info.port, fp->info.name);
	uint32_t ports[1024];
	size_t n;
	if ((rc = lb_asic_port_list(sw, ports, 1024, &n)))
		return lbctl_fail(app, rc, "port %u: listing the ASIC ports", fp->info.port);
	fp->n = 0;
	for (size_t i = 0; i < n && i < 1024; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		if ((rc = lb_asic_port_get(sw, ports[i], &c)))
			return lbctl_fail(app, rc, "asic port %u", ports[i]);
		if (c.first_lane < fp->first || c.first_lane >= fp->first + fp->count || fp->n == MAX_SUB)
			continue;
		fp->asic[fp->n] = ports[i];
		fp->cfg[fp->n++] = c;
	}
	return LBCTL_EXIT_OK;
}

static int find_fp(struct lbctl *app, struct lb_platform *p, struct lb_switch *sw, const char *arg,
		   struct fp *fp)
{
	int rc = lbctl_find_port(p, arg, &fp->info);
	if (rc)
		return lbctl_fail(app, rc, "port: %s", arg);
	return load_fp(app, p, sw, fp);
}

/*
 * The prologue of every command on one PORT: parse the line (opts, PORT), open the switch and
 * find the front-panel port with its ASIC ports. LBCTL_EXIT_OK to go on; else the exit code
 * (the help printed for -h).
 */
static int port_command(struct lbctl *app, int argc, char **argv, const struct lbctl_opt *opts,
			struct lbctl_cmdline *cl, struct lb_platform **p, struct lb_switch **sw, struct fp *fp)
{
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", cl);
	if (ex == LBCTL_EXIT_HELP) {
		lbctl_port_usage(app);
		return LBCTL_EXIT_HELP;
	}
	if (ex || (ex = open_switch(app, p, sw)))
		return ex;
	return find_fp(app, *p, *sw, cl->pos[0], fp);
}

/* port_command's exit code as the command's: the help is a success. */
static int done(int ex)
{
	return ex == LBCTL_EXIT_HELP ? LBCTL_EXIT_OK : ex;
}

void lbctl_port_speed_text(uint32_t mbps, char *buf, size_t len)
{
	if (mbps >= 1000000 && mbps % 100000 == 0 && mbps % 1000000)
		snprintf(buf, len, "%u.%uT", mbps / 1000000, mbps / 100000 % 10);
	else if (mbps >= 1000000 && mbps % 1000000 == 0)
		snprintf(buf, len, "%uT", mbps / 1000000);
	else
		snprintf(buf, len, "%uG", mbps / 1000);
}

/* The ASIC port through the platform: its module beneath it (lightbridge/binding.h). */
static json_t *port_oper_json(struct lb_platform *p, uint32_t n)
{
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	int rc = lb_platform_asic_port_oper(p, n, &o);
	if (rc)
		return json_pack("{s:s, s:s}", "oper", "unknown", "down_reason", lb_strerror(rc));
	return json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "oper",
			 o.oper == LB_ASIC_OPER_UP ? "up" : "down", "down_reason",
			 lb_port_down_reason_name(o.reason), "module_state",
			 o.module_state ? lb_module_state_name(o.module_state) : "", "appsel",
			 (json_int_t)o.appsel, "host_lane_mask", (json_int_t)o.host_lane_mask, "rx_los_mask",
			 (json_int_t)o.rx_los, "rx_lol_mask", (json_int_t)o.rx_lol, "line_mode", o.line_mode);
}

/* "tx", "rx", "both", "none": the port's 802.3x PAUSE. */
static const char *pause_name(uint32_t pause)
{
	static const char *const names[] = { "none", "tx", "rx", "both" };
	return names[pause & 3u];
}

static json_t *asic_port_json(struct lb_platform *p, struct lb_switch *sw, uint32_t n,
			      const struct lb_asic_port_config *c)
{
	struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
	int rc = lb_asic_port_get_status(sw, n, &st);
	return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:I, s:s, s:I, s:s, s:s, s:s, s:I, s:o}", "asic_port",
			 (json_int_t)n, "first_lane", (json_int_t)c->first_lane, "lane_count",
			 (json_int_t)c->lane_count, "speed_mbps", (json_int_t)c->speed_mbps, "fec",
			 lb_asic_fec_name(c->fec), "admin", c->admin_up ? "up" : "down", "mtu_bytes",
			 (json_int_t)c->mtu, "loopback", lb_asic_loopback_name(c->loopback), "pfc_mask",
			 (json_int_t)c->pfc_mask, "pause", pause_name(c->pause), "oper", rc ? "unknown" : st.oper == LB_ASIC_OPER_UP ? "up" : "down",
			 "down_reason", rc ? lb_strerror(rc) : lb_asic_down_reason_name(st.reason),
			 "oper_speed_mbps", (json_int_t)st.oper_speed_mbps, "with_module",
			 port_oper_json(p, n));
}

static json_t *fp_json(struct lb_platform *p, struct lb_switch *sw, const struct fp *fp)
{
	json_t *list = json_array();
	for (unsigned i = 0; list && i < fp->n; i++)
		json_array_append_new(list, asic_port_json(p, sw, fp->asic[i], &fp->cfg[i]));
	return json_pack("{s:I, s:s, s:s, s:I, s:I, s:o}", "port", (json_int_t)fp->info.port, "name",
			 fp->info.name ? fp->info.name : "", "cage", fp->info.cage ? fp->info.cage : "",
			 "first_lane", (json_int_t)fp->first, "lane_count", (json_int_t)fp->count,
			 "asic_ports", list);
}

/* "2x400G" (or "800G+2x200G" when mixed: listed one by one). */
static void breakout_text(const struct fp *fp, char *buf, size_t len)
{
	buf[0] = 0;
	if (!fp->n) {
		snprintf(buf, len, "-");
		return;
	}
	bool same = true;
	for (unsigned i = 1; i < fp->n; i++)
		same = same && fp->cfg[i].speed_mbps == fp->cfg[0].speed_mbps;
	char s[16];
	if (same) {
		lbctl_port_speed_text(fp->cfg[0].speed_mbps, s, sizeof(s));
		snprintf(buf, len, "%ux%s", fp->n, s);
		return;
	}
	for (unsigned i = 0; i < fp->n; i++) {
		lbctl_port_speed_text(fp->cfg[i].speed_mbps, s, sizeof(s));
		size_t u = strlen(buf);
		snprintf(buf + u, len - u, "%s%s", i ? "+" : "", s);
	}
}

/* "up", "down", or "2/4 up". */
static void state_text(struct lb_switch *sw, const struct fp *fp, bool oper, char *buf, size_t len)
{
	unsigned up = 0;
	for (unsigned i = 0; i < fp->n; i++) {
		if (!oper) {
			up += fp->cfg[i].admin_up ? 1 : 0;
			continue;
		}
		struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
		if (lb_asic_port_get_status(sw, fp->asic[i], &st) == LB_OK && st.oper == LB_ASIC_OPER_UP)
			up++;
	}
	if (up == fp->n)
		snprintf(buf, len, fp->n ? "up" : "-");
	else if (!up)
		snprintf(buf, len, "down");
	else
		snprintf(buf, len, "%u/%u up", up, fp->n);
}

static int cmd_list(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, NULL, 0, 0, "", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return lbctl_port_usage(app);
	if (ex)
		return ex;
	struct lb_platform *p;
	struct lb_switch *sw;
	if ((ex = open_switch(app, &p, &sw)))
		return ex;
	json_t *arr = cl.json ? json_array() : NULL;
	if (!cl.json)
		fprintf(app->out, "%-4s %-11s %-8s %-7s %-5s %-12s %-10s %-6s %s\n", "PORT", "NAME", "CAGE",
			"LANES", "ASIC", "BREAKOUT", "FEC", "ADMIN", "OPER");
	for (unsigned i = 0; i < lb_platform_port_count(p); i++) {
		struct fp fp = FP_INIT;
		if (lb_platform_port_at(p, i, &fp.info))
			continue;
		if (lb_platform_port_asic_lanes(p, fp.info.port, &fp.first, &fp.count))
			continue; /* a cage without ASIC lanes */
		if ((ex = load_fp(app, p, sw, &fp)))
			return ex;
		if (cl.json) {
			json_array_append_new(arr, fp_json(p, sw, &fp));
			continue;
		}
		char lanes[16], first[8], bo[32], admin[16], oper[16];
		snprintf(lanes, sizeof(lanes), "%u-%u", fp.first, fp.first + fp.count - 1);
		snprintf(first, sizeof(first), fp.n ? "%u" : "-", fp.n ? fp.asic[0] : 0);
		breakout_text(&fp, bo, sizeof(bo));
		state_text(sw, &fp, false, admin, sizeof(admin));
		state_text(sw, &fp, true, oper, sizeof(oper));
		fprintf(app->out, "%-4u %-11s %-8s %-7s %-5s %-12s %-10s %-6s %s\n", fp.info.port,
			fp.info.name ? fp.info.name : "", fp.info.cage ? fp.info.cage : "", lanes, first, bo,
			fp.n ? lb_asic_fec_name(fp.cfg[0].fec) : "-", admin, oper);
	}
	return cl.json ? lbctl_json_emit(app, arr) : LBCTL_EXIT_OK;
}

/* "up", "down (module-not-ready: ModuleLowPwr)", ...: the ASIC port with its module. */
static void module_oper_text(struct lb_platform *p, uint32_t n, char *buf, size_t len)
{
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	int rc = lb_platform_asic_port_oper(p, n, &o);
	if (rc)
		snprintf(buf, len, "%s", lb_strerror(rc));
	else if (o.oper == LB_ASIC_OPER_UP)
		snprintf(buf, len, "up  AppSel %u%s%s", o.appsel, o.line_mode[0] ? "  line mode " : "",
			 o.line_mode);
	else if (o.reason == LB_PORT_DOWN_MODULE_NOT_READY)
		snprintf(buf, len, "down (%s: %s)", lb_port_down_reason_name(o.reason),
			 lb_module_state_name(o.module_state));
	else if (o.reason == LB_PORT_DOWN_DATAPATH)
		snprintf(buf, len, "down (%s: %s)", lb_port_down_reason_name(o.reason),
			 lb_dp_state_name(o.dp_state));
	else if (o.reason == LB_PORT_DOWN_ASIC)
		snprintf(buf, len, "down (asic: %s)", lb_asic_down_reason_name(o.asic_reason));
	else if (o.reason == LB_PORT_DOWN_MODULE_ERROR)
		snprintf(buf, len, "down (%s: %s)", lb_port_down_reason_name(o.reason),
			 lb_strerror(o.module_status));
	else
		snprintf(buf, len, "down (%s)", lb_port_down_reason_name(o.reason));
}

static void print_fp(struct lbctl *app, struct lb_platform *p, struct lb_switch *sw, const struct fp *fp)
{
	fprintf(app->out, "port %u (%s): %s cage, ASIC lanes %u-%u, %u ASIC port%s\n", fp->info.port,
		fp->info.name ? fp->info.name : "", fp->info.cage ? fp->info.cage : "", fp->first,
		fp->first + fp->count - 1, fp->n, fp->n == 1 ? "" : "s");
	for (unsigned i = 0; i < fp->n; i++) {
		const struct lb_asic_port_config *c = &fp->cfg[i];
		struct lb_asic_port_status st = LB_ASIC_PORT_STATUS_INIT;
		int rc = lb_asic_port_get_status(sw, fp->asic[i], &st);
		char s[16], pfc[24] = "";
		lbctl_port_speed_text(c->speed_mbps, s, sizeof(s));
		for (unsigned b = 0; b < 8; b++)
			if (c->pfc_mask & (1u << b)) {
				size_t u = strlen(pfc);
				snprintf(pfc + u, sizeof(pfc) - u, "%s%u", u ? "," : "", b);
			}
		fprintf(app->out, "  asic port %-3u lanes %u-%u  %-5s %-9s admin %-4s mtu %u\n", fp->asic[i],
			c->first_lane, c->first_lane + c->lane_count - 1, s, lb_asic_fec_name(c->fec),
			c->admin_up ? "up" : "down", c->mtu);
		char oper[128];
		if (rc)
			snprintf(oper, sizeof(oper), "%s", lb_strerror(rc));
		else if (st.oper == LB_ASIC_OPER_UP)
			snprintf(oper, sizeof(oper), "up");
		else
			snprintf(oper, sizeof(oper), "down (%s)", lb_asic_down_reason_name(st.reason));
		fprintf(app->out, "                oper %s  loopback %s  pfc %s%s%s\n", oper,
			lb_asic_loopback_name(c->loopback), pfc[0] ? pfc : "none", c->pause ? "  pause " : "",
			c->pause ? pause_name(c->pause) : "");
		module_oper_text(p, fp->asic[i], oper, sizeof(oper));
		fprintf(app->out, "                with the module: %s\n", oper);
	}
}

/* The port as show and set end with it. */
static int show_fp(struct lbctl *app, struct lb_platform *p, struct lb_switch *sw, const struct fp *fp,
		   bool json)
{
	if (json)
		return lbctl_json_emit(app, fp_json(p, sw, fp));
	print_fp(app, p, sw, fp);
	return LBCTL_EXIT_OK;
}

static int cmd_show(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	struct lb_platform *p;
	struct lb_switch *sw;
	struct fp fp = FP_INIT;
	int ex = port_command(app, argc, argv, NULL, &cl, &p, &sw, &fp);
	if (ex)
		return done(ex);
	return show_fp(app, p, sw, &fp, cl.json);
}

enum { S_SPEED, S_FEC, S_ADMIN, S_MTU, S_LOOPBACK, S_PFC, S_BREAKOUT, S_MODULE, S_PAUSE };
static const struct lbctl_opt set_opts[] = {
	[S_SPEED] = { .name = "speed", .value_name = "S" },
	[S_FEC] = { .name = "fec", .value_name = "F" },
	[S_ADMIN] = { .name = "admin", .value_name = "up|down" },
	[S_MTU] = { .name = "mtu", .value_name = "B" },
	[S_LOOPBACK] = { .name = "loopback", .value_name = "L" },
	[S_PFC] = { .name = "pfc", .value_name = "P,P" },
	[S_BREAKOUT] = { .name = "breakout", .value_name = "NxS" },
	[S_MODULE] = { .name = "module" },
	[S_PAUSE] = { .name = "pause", .value_name = "tx|rx|both|none" },
	{ .name = NULL },
};

/* The members of a set's command line into c and *set. */
static int parse_set(struct lbctl *app, const struct lbctl_cmdline *cl, struct lb_asic_port_config *c,
		     uint32_t *set)
{
	*set = 0;
	unsigned long v;
	if (cl->given[S_SPEED]) {
		if (!lbctl_parse_speed(cl->value[S_SPEED], &c->speed_mbps))
			return lbctl_usage_error(app, "port set: --speed %s: 100G, 400G, 800G, 1.6T", cl->value[S_SPEED]);
		*set |= LB_ASIC_PORT_SET_SPEED;
	}
	if (cl->given[S_FEC]) {
		if (lb_asic_fec_parse(cl->value[S_FEC], &c->fec))
			return lbctl_usage_error(app, "port set: --fec %s: none, rs528, rs544, rs544-2xn", cl->value[S_FEC]);
		*set |= LB_ASIC_PORT_SET_FEC;
	}
	if (cl->given[S_ADMIN]) {
		if (strcmp(cl->value[S_ADMIN], "up") && strcmp(cl->value[S_ADMIN], "down"))
			return lbctl_usage_error(app, "port set: --admin %s: up or down", cl->value[S_ADMIN]);
		c->admin_up = strcmp(cl->value[S_ADMIN], "up") == 0;
		*set |= LB_ASIC_PORT_SET_ADMIN;
	}
	if (cl->given[S_MTU]) {
		if (!lbctl_parse_uint(cl->value[S_MTU], 10, 65535, &v))
			return lbctl_usage_error(app, "port set: --mtu %s: bytes", cl->value[S_MTU]);
		c->mtu = (uint32_t)v;
		*set |= LB_ASIC_PORT_SET_MTU;
	}
	if (cl->given[S_LOOPBACK]) {
		const char *l = cl->value[S_LOOPBACK];
		if (strcmp(l, "none") == 0)
			c->loopback = LB_ASIC_LOOPBACK_NONE;
		else if (strcmp(l, "phy") == 0)
			c->loopback = LB_ASIC_LOOPBACK_PHY;
		else if (strcmp(l, "mac") == 0)
			c->loopback = LB_ASIC_LOOPBACK_MAC;
		else
			return lbctl_usage_error(app, "port set: --loopback %s: none, phy or mac", l);
		*set |= LB_ASIC_PORT_SET_LOOPBACK;
	}
	if (cl->given[S_PAUSE]) {
		static const char *const names[] = { "none", "tx", "rx", "both" };
		unsigned i = 0;
		while (i < 4 && strcmp(cl->value[S_PAUSE], names[i]))
			i++;
		if (i == 4)
			return lbctl_usage_error(app, "port set: --pause %s: tx, rx, both or none", cl->value[S_PAUSE]);
		c->pause = i; /* LB_ASIC_PAUSE_TX 1, LB_ASIC_PAUSE_RX 2 */
		*set |= LB_ASIC_PORT_SET_PAUSE;
	}
	if (cl->given[S_PFC]) {
		c->pfc_mask = 0;
		if (strcmp(cl->value[S_PFC], "none") != 0) {
			char buf[64];
			snprintf(buf, sizeof(buf), "%s", cl->value[S_PFC]);
			for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
				if (!lbctl_parse_uint(t, 10, 7, &v))
					return lbctl_usage_error(app, "port set: --pfc %s: priorities 0-7, "
								 "comma-separated, or none", cl->value[S_PFC]);
				c->pfc_mask |= (uint8_t)(1u << v);
			}
		}
		*set |= LB_ASIC_PORT_SET_PFC;
	}
	return LBCTL_EXIT_OK;
}

/* Put fp's ASIC ports back as they were (after a refused breakout). */
static void restore(struct lb_switch *sw, const struct fp *fp)
{
	for (unsigned i = 0; i < fp->n; i++) {
		uint32_t n;
		(void)lb_asic_port_create(sw, &fp->cfg[i], &n);
	}
}

/* Replace fp's ASIC ports with count ports of mbps over its lanes. */
static int breakout(struct lbctl *app, struct lb_switch *sw, struct fp *fp, const char *spec)
{
	char *x;
	errno = 0;
	unsigned long count = strtoul(spec, &x, 10);
	uint32_t mbps;
	if (errno || x == spec || *x != 'x' || !count || count > MAX_SUB || !lbctl_parse_speed(x + 1, &mbps))
		return lbctl_usage_error(app, "port set: --breakout %s: NxS, such as 2x400G", spec);
	if (fp->count % count)
		return lbctl_usage_error(app, "port set: --breakout %s: %u lanes do not split in %lu",
					 spec, fp->count, count);
	uint32_t lanes = fp->count / (uint32_t)count;
	enum lb_asic_fec fec = mbps > 200000 || lanes > 1 ? LB_ASIC_FEC_RS544_2XN : LB_ASIC_FEC_RS544;
	if (mbps == 200000 && lanes == 1)
		fec = LB_ASIC_FEC_RS544;
	int rc = LB_OK;
	for (unsigned i = 0; rc == LB_OK && i < fp->n; i++)
		rc = lb_asic_port_remove(sw, fp->asic[i]);
	uint32_t made[MAX_SUB];
	unsigned n_made = 0;
	for (unsigned i = 0; rc == LB_OK && i < count; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.first_lane = fp->first + i * lanes;
		c.lane_count = lanes;
		c.speed_mbps = mbps;
		c.fec = fec;
		c.mtu = fp->n ? fp->cfg[0].mtu : 0;
		if ((rc = lb_asic_port_create(sw, &c, &made[n_made])) == LB_OK)
			n_made++;
	}
	if (rc) {
		char why[512];
		snprintf(why, sizeof(why), "%s", lb_ctx_last_error(app->ctx));
		for (unsigned i = 0; i < n_made; i++)
			(void)lb_asic_port_remove(sw, made[i]);
		restore(sw, fp);
		lb_ctx_clear_error(app->ctx);
		fprintf(app->err, "lbctl: port set: port %u: --breakout %s refused, put back: %s (%s)\n",
			fp->info.port, spec, lb_strerror(rc), why);
		return rc == LB_E_NOTSUP ? LBCTL_EXIT_REFUSED : LBCTL_EXIT_ERROR;
	}
	return LBCTL_EXIT_OK;
}

static int cmd_set(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, set_opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return lbctl_port_usage(app);
	if (ex)
		return ex;
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	uint32_t set;
	if ((ex = parse_set(app, &cl, &c, &set)))
		return ex;
	if (!set && !cl.given[S_BREAKOUT] && !cl.given[S_MODULE])
		return lbctl_usage_error(app, "port set: nothing to set (lbctl port --help)");
	struct lb_platform *p;
	struct lb_switch *sw;
	struct fp fp = FP_INIT;
	if ((ex = open_switch(app, &p, &sw)) || (ex = find_fp(app, p, sw, cl.pos[0], &fp)))
		return ex;
	if (cl.given[S_BREAKOUT] && ((ex = breakout(app, sw, &fp, cl.value[S_BREAKOUT])) ||
				     (ex = load_fp(app, p, sw, &fp))))
		return ex;
	for (unsigned i = 0; set && i < fp.n; i++) {
		int rc = lb_asic_port_set(sw, fp.asic[i], &c, set);
		if (rc) { /* each ASIC port's change is whole; put back the ones changed before it */
			ex = lbctl_fail(app, rc, "port set: port %u", fp.info.port);
			for (unsigned j = 0; j < i; j++)
				(void)lb_asic_port_set(sw, fp.asic[j], &fp.cfg[j], set);
			return ex;
		}
	}
	if ((ex = load_fp(app, p, sw, &fp)))
		return ex;
	for (unsigned i = 0; cl.given[S_MODULE] && i < fp.n; i++) {
		int rc = lb_platform_asic_port_bind(p, fp.asic[i], NULL, NULL);
		if (rc)
			return lbctl_fail(app, rc, "port set: port %u: --module", fp.info.port);
	}
	return show_fp(app, p, sw, &fp, cl.json);
}

static uint64_t sum8(const uint64_t *v)
{
	uint64_t s = 0;
	for (unsigned i = 0; i < LB_ASIC_PRIORITIES; i++)
		s += v[i];
	return s;
}

/* The counters as rows, in the order the text shows them; sum: the text's sum of a per
 * priority array (JSON gives the array itself, arrays below). */
struct counter_row {
	const char *name;
	uint64_t v;
	bool sum;
};
#define COUNTER_ROWS 21

static size_t counter_rows(const struct lb_asic_port_counters *k, struct counter_row *r)
{
	const struct counter_row rows[] = {
		{ "in_octets", k->in_octets, false },		{ "in_ucast_pkts", k->in_ucast_pkts, false },
		{ "in_mcast_pkts", k->in_mcast_pkts, false },	{ "in_bcast_pkts", k->in_bcast_pkts, false },
		{ "in_fcs_errors", k->in_fcs_errors, false },	{ "in_discards", k->in_discards, false },
		{ "out_octets", k->out_octets, false },		{ "out_ucast_pkts", k->out_ucast_pkts, false },
		{ "out_mcast_pkts", k->out_mcast_pkts, false }, { "out_bcast_pkts", k->out_bcast_pkts, false },
		{ "out_discards", k->out_discards, false },	{ "pause_rx_pkts", k->pause_rx_pkts, false },
		{ "pause_tx_pkts", k->pause_tx_pkts, false },	{ "pause_rx_us", k->pause_rx_us, false },
		{ "pause_tx_us", k->pause_tx_us, false },	{ "pfc_rx_pkts", sum8(k->pfc_rx_pkts), true },
		{ "pfc_tx_pkts", sum8(k->pfc_tx_pkts), true },	{ "fec_codewords", k->fec_codewords, false },
		{ "fec_corrected", k->fec_corrected, false },	{ "fec_uncorrected", k->fec_uncorrected, false },
		{ "fec_symbol_errors", k->fec_symbol_errors, false },
	};
	_Static_assert(sizeof(rows) / sizeof(rows[0]) == COUNTER_ROWS, "COUNTER_ROWS counts the rows");
	memcpy(r, rows, sizeof(rows));
	return sizeof(rows) / sizeof(rows[0]);
}

static json_t *array_of(const uint64_t *v, unsigned n)
{
	json_t *a = json_array();
	for (unsigned i = 0; a && i < n; i++)
		json_array_append_new(a, json_integer((json_int_t)v[i]));
	return a;
}

static json_t *counters_json(uint32_t n, const struct lb_asic_port_counters *k)
{
	struct counter_row rows[COUNTER_ROWS];
	size_t nr = counter_rows(k, rows);
	json_t *o = json_pack("{s:I}", "asic_port", (json_int_t)n);
	for (size_t i = 0; o && i < nr; i++)
		if (!rows[i].sum)
			json_object_set_new(o, rows[i].name, json_integer((json_int_t)rows[i].v));
	/* per priority: PFC frames, and their pause time (counters V2); the FEC histogram */
	json_object_set_new(o, "pfc_rx_pkts", array_of(k->pfc_rx_pkts, LB_ASIC_PRIORITIES));
	json_object_set_new(o, "pfc_tx_pkts", array_of(k->pfc_tx_pkts, LB_ASIC_PRIORITIES));
	json_object_set_new(o, "pfc_rx_pause_us", array_of(k->pfc_rx_pause_us, LB_ASIC_PRIORITIES));
	json_object_set_new(o, "pfc_tx_pause_us", array_of(k->pfc_tx_pause_us, LB_ASIC_PRIORITIES));
	json_object_set_new(o, "fec_bins", array_of(k->fec_bins, LB_ASIC_FEC_BINS));
	return o;
}

static int cmd_counters(struct lbctl *app, int argc, char **argv)
{
	static const struct lbctl_opt o[] = { { .name = "clear" }, { .name = NULL } };
	struct lbctl_cmdline cl;
	struct lb_platform *p;
	struct lb_switch *sw;
	struct fp fp = FP_INIT;
	int ex = port_command(app, argc, argv, o, &cl, &p, &sw, &fp);
	if (ex)
		return done(ex);
	json_t *list = cl.json ? json_array() : NULL;
	for (unsigned i = 0; i < fp.n; i++) {
		struct lb_asic_port_counters k = LB_ASIC_PORT_COUNTERS_INIT;
		int rc = cl.given[0] ? lb_asic_port_counters_read_clear(sw, fp.asic[i], &k)
				     : lb_asic_port_counters_read(sw, fp.asic[i], &k);
		if (rc)
			return lbctl_fail(app, rc, "port counters: port %u", fp.info.port);
		if (cl.json) {
			json_array_append_new(list, counters_json(fp.asic[i], &k));
			continue;
		}
		fprintf(app->out, "port %u (%s) asic port %u\n", fp.info.port, fp.info.name ? fp.info.name : "",
			fp.asic[i]);
		struct counter_row rows[COUNTER_ROWS];
		size_t nr = counter_rows(&k, rows);
		for (size_t r = 0; r < nr; r++)
			fprintf(app->out, "  %-18s %20llu\n", rows[r].name, (unsigned long long)rows[r].v);
	}
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:o}", "port", (json_int_t)fp.info.port, "name",
						      fp.info.name ? fp.info.name : "", "asic_ports", list));
	return LBCTL_EXIT_OK;
}

static int cmd_clear(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	struct lb_platform *p;
	struct lb_switch *sw;
	struct fp fp = FP_INIT;
	int ex = port_command(app, argc, argv, NULL, &cl, &p, &sw, &fp);
	if (ex)
		return done(ex);
	for (unsigned i = 0; i < fp.n; i++) {
		int rc = lb_asic_port_counters_clear(sw, fp.asic[i]);
		if (rc)
			return lbctl_fail(app, rc, "port clear: port %u", fp.info.port);
	}
	if (cl.json)
		return lbctl_json_emit(app, json_pack("{s:I, s:s, s:I}", "port", (json_int_t)fp.info.port, "name",
						      fp.info.name ? fp.info.name : "", "cleared_asic_ports",
						      (json_int_t)fp.n));
	fprintf(app->out, "port %u (%s): counters of %u ASIC port%s cleared\n", fp.info.port,
		fp.info.name ? fp.info.name : "", fp.n, fp.n == 1 ? "" : "s");
	return LBCTL_EXIT_OK;
}

int lbctl_cmd_port(struct lbctl *app, int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*run)(struct lbctl *app, int argc, char **argv);
	} subs[] = { { "list", cmd_list }, { "show", cmd_show }, { "set", cmd_set },
		     { "counters", cmd_counters }, { "clear", cmd_clear }, { "voq", lbctl_port_voq } };
	if (argc < 2)
		return lbctl_usage_error(app, "port: list, show, set, counters, clear or voq? (lbctl port --help)");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return lbctl_port_usage(app);
	for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(app, argc - 1, argv + 1);
	return lbctl_usage_error(app, "port: unknown '%s' (list, show, set, counters, clear, voq)", argv[1]);
}
