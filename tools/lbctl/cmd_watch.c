/* SPDX-License-Identifier: MIT */
/*
 * lbctl watch PORT [--interval S] [--count N]: poll a module's monitors, flags and lane states
 * again and again. On a terminal, a table redrawn in place; otherwise (or with --json) one
 * compact JSON object per line. Waits between polls on the bus's clock (lb_bus_sleep_ns), so
 * an emulated platform runs in virtual time. Ctrl-C (SIGINT) ends it cleanly: exit 0, the
 * cursor shown again. The flags are watch's own (a flag consumer, flags.h): within the
 * process it takes none from the library's other readers and misses none (another process
 * reading the module still clears what it reads: CMIS clear-on-read).
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <lightbridge/flags.h>
#include "lbctl.h"

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl watch PORT [--interval S] [--count N] [--json]\n"
		"\n"
		"Poll the module in PORT every S seconds (default 1; 0.01 to 3600, decimals\n"
		"allowed) and show its state, temperature and voltage, each lane's data-path\n"
		"state, Tx bias, Tx and Rx power, and the flags latched since the last poll, read\n"
		"through a flag consumer of its own: each flag is shown once, and none is taken\n"
		"from the library's other readers in this process. On a terminal the table is\n"
		"redrawn in place; otherwise, or with --json, each poll is one JSON object on a\n"
		"line of its own. --count stops after N polls; Ctrl-C stops at once (exit 0). The\n"
		"wait runs on the bus's clock: virtual time on an emulated platform (on a\n"
		"terminal, paced in real time as well).\n");
	return LBCTL_EXIT_OK;
}

struct poll {
	unsigned n;             /* polls so far, this one included */
	double time_s;          /* since the first poll, on the bus's clock */
	int state_rc, lanes_rc, mon_rc, flags_rc;
	enum lb_module_state state;
	struct lb_lane_status lanes;
	struct lb_module_monitors mon; /* the values (its flags are the handle's consumer's) */
	struct lb_module_flags flags;  /* watch's own view of the latched flags */
};

/*
 * One poll: state, lane states, monitor values, then the latched flags through watch's own
 * consumer (flags.h): every flag latched since the last poll, whoever read it from the module
 * (this poll's monitor read, a daemon's poll, an interrupt handler), and none taken from them.
 */
static void take(struct lb_module *m, struct lb_flag_consumer *c, struct poll *p)
{
	p->lanes = (struct lb_lane_status)LB_LANE_STATUS_INIT;
	p->mon = (struct lb_module_monitors)LB_MODULE_MONITORS_INIT;
	p->flags = (struct lb_module_flags)LB_MODULE_FLAGS_INIT;
	p->state_rc = lb_module_get_state(m, &p->state);
	p->lanes_rc = lb_module_get_lane_status(m, &p->lanes);
	p->mon_rc = lb_module_get_monitors(m, &p->mon);
	p->flags_rc = lb_module_flags_read(m, c, &p->flags);
}

/* LB_FLAG_* of lane l from the four per-flag lane masks of lb_module_flags. */
static uint8_t lane_flags(const uint32_t flagged[4], unsigned l)
{
	uint8_t f = 0;
	for (unsigned k = 0; k < 4; k++)
		if ((flagged[k] >> l) & 1u)
			f |= (uint8_t)(1u << k);
	return f;
}

static const struct {
	uint8_t bit;
	const char *json, *text;
} module_flag_names[] = {
	{ LB_MODFLAG_STATE_CHANGED, "state_changed", "StateChanged" },
	{ LB_MODFLAG_FW_ERROR, "firmware_error", "FirmwareError" },
	{ LB_MODFLAG_DP_FW_ERROR, "data_path_firmware_error", "DPFirmwareError" },
	{ LB_MODFLAG_CDB1_COMPLETE, "cdb1_complete", "CDB1Complete" },
	{ LB_MODFLAG_CDB2_COMPLETE, "cdb2_complete", "CDB2Complete" },
};
#define N_MODULE_FLAGS (sizeof(module_flag_names) / sizeof(module_flag_names[0]))

static unsigned max_u(unsigned a, unsigned b)
{
	return a > b ? a : b;
}

static json_t *poll_json(const struct lb_port_info *info, const struct poll *p)
{
	json_t *o = json_pack("{s:i, s:s, s:i, s:f}", "port", (int)info->port, "name",
			      info->name ? info->name : "", "poll", (int)p->n, "time_s", p->time_s);
	if (!o)
		return NULL;
	json_object_set_new(o, "module_state", p->state_rc ? json_null()
							    : json_string(lb_module_state_name((int)p->state)));
	const struct lb_module_monitors *m = &p->mon;
	const struct lb_module_flags *f = &p->flags;
	if (p->mon_rc == LB_OK) {
		json_object_set_new(o, "temperature_c", lbctl_jnum(m->temperature_c));
		json_object_set_new(o, "vcc_v", lbctl_jnum(m->vcc_v));
	} else {
		json_object_set_new(o, "error", json_string(lb_strerror(p->mon_rc)));
	}
	if (p->flags_rc == LB_OK) {
		json_t *mf = json_array();
		for (unsigned i = 0; i < N_MODULE_FLAGS; i++)
			if (f->module_flags & module_flag_names[i].bit)
				json_array_append_new(mf, json_string(module_flag_names[i].json));
		json_object_set_new(o, "module_flags", mf);
		json_object_set_new(o, "temperature_flags", lbctl_jflags(f->temperature_flags));
		json_object_set_new(o, "vcc_flags", lbctl_jflags(f->vcc_flags));
		json_object_set_new(o, "dp_state_changed_lanes", lbctl_jlanes(f->dp_state_changed));
		json_object_set_new(o, "tx_fault_lanes", lbctl_jlanes(f->tx_fault));
		json_object_set_new(o, "tx_los_lanes", lbctl_jlanes(f->tx_los));
		json_object_set_new(o, "tx_lol_lanes", lbctl_jlanes(f->tx_lol));
		json_object_set_new(o, "rx_los_lanes", lbctl_jlanes(f->rx_los));
		json_object_set_new(o, "rx_lol_lanes", lbctl_jlanes(f->rx_lol));
	} else {
		json_object_set_new(o, "flags_error", json_string(lb_strerror(p->flags_rc)));
	}
	json_t *lanes = json_array();
	unsigned host = p->lanes_rc == LB_OK ? p->lanes.lanes : 0;
	unsigned media = p->mon_rc == LB_OK ? m->lanes : 0;
	for (unsigned l = 0; l < max_u(host, media); l++) {
		json_t *x = json_pack("{s:i}", "lane", (int)l + 1);
		if (l < host)
			json_object_set_new(x, "dp_state", json_string(lb_dp_state_name(p->lanes.dp_state[l])));
		if (l < media) {
			json_object_set_new(x, "tx_bias_ma", lbctl_jnum(m->tx_bias_ma[l]));
			json_object_set_new(x, "tx_power_dbm",
					    isnan(m->tx_power_mw[l]) ? json_null()
								     : json_real(lb_mw_to_dbm(m->tx_power_mw[l])));
			json_object_set_new(x, "rx_power_dbm",
					    isnan(m->rx_power_mw[l]) ? json_null()
								     : json_real(lb_mw_to_dbm(m->rx_power_mw[l])));
		}
		if (p->flags_rc == LB_OK && l < 32) {
			json_object_set_new(x, "tx_bias_flags", lbctl_jflags(lane_flags(f->tx_bias_flagged, l)));
			json_object_set_new(x, "tx_power_flags", lbctl_jflags(lane_flags(f->tx_power_flagged, l)));
			json_object_set_new(x, "rx_power_flags", lbctl_jflags(lane_flags(f->rx_power_flagged, l)));
		}
		json_array_append_new(lanes, x);
	}
	json_object_set_new(o, "lanes", lanes);
	return o;
}

/* "HA" "LA" "HW" "LW" of one quantity's flags after its name: "TxP:HW". */
static size_t flag_cell(char *buf, size_t at, size_t n, const char *what, uint8_t f)
{
	static const char *const w[4] = { "HA", "LA", "HW", "LW" };
	for (unsigned i = 0; i < 4; i++)
		if (f & (1u << i))
			at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s:%s", at ? " " : "",
					       what, w[i]);
	return at;
}

static size_t lane_bit(char *buf, size_t at, size_t n, const char *what, uint32_t mask, unsigned l)
{
	if (mask & (1u << l))
		at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? " " : "", what);
	return at;
}

static void cell(double v, int prec, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.*f", prec, v);
}

/* One screen: the module line, a row per lane, the legend. Fits app->columns. */
static void draw(struct lbctl *app, const struct lb_port_info *info, const struct poll *p,
		 double interval_s, bool tty)
{
	char a[32], b[32], text[256];
	if (tty)
		fprintf(app->out, "\033[H\033[J"); /* home, erase below: redrawn in place */
	snprintf(text, sizeof(text), "Port %u (%s): poll %u at %.1f s, every %g s%s", info->port,
		 info->name ? info->name : "-", p->n, p->time_s, interval_s,
		 tty ? "; Ctrl-C to stop" : "");
	lbctl_wrap(app, 0, 2, text);
	const struct lb_module_monitors *m = &p->mon;
	cell(p->mon_rc ? NAN : m->temperature_c, 1, a, sizeof(a));
	cell(p->mon_rc ? NAN : m->vcc_v, 3, b, sizeof(b));
	const struct lb_module_flags *f = &p->flags;
	char mf[160] = "";
	size_t at = 0;
	if (p->flags_rc == LB_OK) {
		for (unsigned i = 0; i < N_MODULE_FLAGS; i++)
			if (f->module_flags & module_flag_names[i].bit)
				at += (size_t)snprintf(mf + at, at < sizeof(mf) ? sizeof(mf) - at : 0, "%s%s",
						       at ? " " : "", module_flag_names[i].text);
		at = flag_cell(mf, at, sizeof(mf), "Temp", f->temperature_flags);
		flag_cell(mf, at, sizeof(mf), "Vcc", f->vcc_flags);
	}
	snprintf(text, sizeof(text), "%s, %s C, %s V, module flags: %s",
		 p->state_rc ? lb_strerror(p->state_rc) : lb_module_state_name((int)p->state), a, b,
		 p->flags_rc ? lb_strerror(p->flags_rc) : mf[0] ? mf : "none");
	lbctl_wrap(app, 0, 2, text);
	/* 4+1+15+1+8+1+7+1+7+1 = 46 columns before the flags */
	fprintf(app->out, "%-4s %-15s %8s %7s %7s %s\n", "Lane", "DP state", "Bias mA", "Tx dBm",
		"Rx dBm", "Flags");
	unsigned host = p->lanes_rc == LB_OK ? p->lanes.lanes : 0;
	unsigned media = p->mon_rc == LB_OK ? m->lanes : 0;
	for (unsigned l = 0; l < max_u(host, media); l++) {
		char bias[16] = "", tx[16] = "", rx[16] = "", fl[128] = "";
		size_t k = 0;
		if (l < media) {
			cell(m->tx_bias_ma[l], 2, bias, sizeof(bias));
			cell(isnan(m->tx_power_mw[l]) ? NAN : lb_mw_to_dbm(m->tx_power_mw[l]), 2, tx,
			     sizeof(tx));
			cell(isnan(m->rx_power_mw[l]) ? NAN : lb_mw_to_dbm(m->rx_power_mw[l]), 2, rx,
			     sizeof(rx));
		}
		if (p->flags_rc == LB_OK && l < 32) {
			k = flag_cell(fl, k, sizeof(fl), "Bias", lane_flags(f->tx_bias_flagged, l));
			k = flag_cell(fl, k, sizeof(fl), "TxP", lane_flags(f->tx_power_flagged, l));
			k = flag_cell(fl, k, sizeof(fl), "RxP", lane_flags(f->rx_power_flagged, l));
			k = lane_bit(fl, k, sizeof(fl), "DPChg", f->dp_state_changed, l);
			k = lane_bit(fl, k, sizeof(fl), "TxFault", f->tx_fault, l);
			k = lane_bit(fl, k, sizeof(fl), "TxLOS", f->tx_los, l);
			k = lane_bit(fl, k, sizeof(fl), "TxLOL", f->tx_lol, l);
			k = lane_bit(fl, k, sizeof(fl), "RxLOS", f->rx_los, l);
			lane_bit(fl, k, sizeof(fl), "RxLOL", f->rx_lol, l);
		}
		int col = fprintf(app->out, "%-4u %-15s %8s %7s %7s ", l + 1,
				  l < host ? lb_dp_state_name(p->lanes.dp_state[l]) : "-", bias, tx, rx);
		lbctl_wrap(app, col > 0 ? (unsigned)col : 0, 46, fl[0] ? fl : "-");
	}
	lbctl_wrap(app, 0, 2,
		   "Flags latched since the last poll: HA/LA high/low alarm, HW/LW high/low warning "
		   "of Temp, Vcc, Bias (Tx bias), TxP/RxP (Tx/Rx power); DPChg data-path state "
		   "changed; TxLOS/RxLOS loss of signal, TxLOL/RxLOL loss of lock");
	fflush(app->out);
}

/* One round of watch: a poll, then its table or its JSON line. */
struct watch_round {
	struct lbctl *app;
	const struct lb_port_info *info;
	struct lb_module *m;
	struct lb_flag_consumer *consumer;
	struct poll *p;
	uint64_t interval_ns;
	bool tty;
};

static int watch_round(void *user, unsigned long n, uint64_t t0_ns)
{
	struct watch_round *w = user;
	take(w->m, w->consumer, w->p);
	w->p->n = (unsigned)n;
	w->p->time_s = (double)(lb_bus_now_ns(lb_module_bus(w->m)) - t0_ns) / 1e9;
	if (lbctl_repeat_stopping())
		return LBCTL_EXIT_OK;
	if (w->tty) {
		draw(w->app, w->info, w->p, (double)w->interval_ns / 1e9, true);
		return LBCTL_EXIT_OK;
	}
	w->app->json_compact = true; /* one object per line */
	return lbctl_json_emit(w->app, poll_json(w->info, w->p));
}

int lbctl_cmd_watch(struct lbctl *app, int argc, char **argv)
{
	enum { O_INTERVAL, O_COUNT };
	static const struct lbctl_opt opts[] = {
		[O_INTERVAL] = { "interval", "S", 0 }, [O_COUNT] = { "count", "N", 0 }, { NULL, NULL, 0 },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	uint64_t interval_ns = 1000000000u;
	unsigned long count = 0;
	if (cl.given[O_INTERVAL] && !lbctl_parse_interval(cl.value[O_INTERVAL], &interval_ns))
		return lbctl_usage_error(app, "watch: --interval takes seconds, 0.01 to 3600, not '%s'",
					 cl.value[O_INTERVAL]);
	if (cl.given[O_COUNT] && (!lbctl_parse_uint(cl.value[O_COUNT], 10, 1000000000ul, &count) ||
				  count == 0))
		return lbctl_usage_error(app, "watch: --count takes a number of polls, not '%s'",
					 cl.value[O_COUNT]);
	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	struct lb_flag_consumer *consumer;
	int rc = lb_flag_consumer_create(m, &consumer);
	if (rc)
		return lbctl_fail(app, rc, "watch: port %u: a flag consumer", info.port);
	struct watch_round w = { .app = app, .info = &info, .m = m, .consumer = consumer,
				 .p = calloc(1, sizeof(struct poll)), .interval_ns = interval_ns,
				 .tty = !cl.json && isatty(fileno(app->out)) == 1 };
	if (!w.p) {
		lb_flag_consumer_free(consumer);
		return lbctl_fail(app, LB_E_NOMEM, "watch");
	}
	struct lbctl_repeat r = { .app = app, .bus = lb_module_bus(m), .interval_ns = interval_ns,
				  .count = count, .tty = w.tty, .round = watch_round, .user = &w };
	ex = lbctl_repeat(&r);
	free(w.p);
	lb_flag_consumer_free(consumer);
	return ex;
}
