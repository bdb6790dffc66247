/* SPDX-License-Identifier: MIT */
/*
 * lbctl traffic PORT: drive the emulated ASIC's queueing model (lb_emu_asic_set_flow) on the
 * ASIC port of a front-panel port, in virtual time, and show what happened: per priority what
 * arrived, was sent and dropped, the PG's peak and its headroom, PFC frames and pause time;
 * the PG and queue watermarks. A demo of PFC at distance: the link's one-way delay comes
 * from --distance-km, --cable-delay-us, or the path of the platform link the port is on.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "asic_port.h"
#include "traffic_congestion.h"

#define C_KM_PER_S 299792.458 /* light in vacuum, km/s */

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl traffic PORT [--priority N] [--load F] [--burst BYTES]\n"
		"                     [--egress-rate F] [--distance-km D | --cable-delay-us U]\n"
		"                     [--peer-pause P,P] [--frame BYTES] [--for MS] [--drain MS]\n"
		"                     [--json]\n"
		"\n"
		"Drive the emulated ASIC's traffic model on the ASIC port of PORT, in virtual\n"
		"time, with the buffers, PFC and QoS configured on it (lbctl port, lbctl buffer),\n"
		"and show what happened.\n"
		"  --priority N      the priority the load and burst are on (0-7; default 3)\n"
		"  --load F          offered by the peer, fraction of the line rate (default 1)\n"
		"  --burst BYTES     a burst at line rate on top (64K, 12M, 1G)\n"
		"  --egress-rate F   fraction of the line rate the egress sends (default 0.5:\n"
		"                    congested)\n"
		"  --distance-km D   the link to the peer (5050.5 ns/km); default: the path of\n"
		"                    the platform link PORT is on, else 0\n"
		"  --cable-delay-us  the link's one-way delay instead\n"
		"  --peer-pause P,P  priorities the peer holds paused with its own PFC\n"
		"  --frame BYTES     frame size (default 1500)\n"
		"  --for MS          how long the load runs (default 20, at most 2000)\n"
		"  --drain MS        then stop the load and run this long (XON, draining)\n"
		"The model starts empty each time; what the chip counted is kept (lbctl port\n"
		"counters, lbctl qos).\n");
	return LBCTL_EXIT_OK;
}

enum { O_PRIO, O_LOAD, O_BURST, O_EGRESS, O_KM, O_DELAY, O_PAUSE, O_FRAME, O_FOR, O_DRAIN };

static const struct lbctl_opt opts[] = {
	{ "priority", "N", 0 },       { "load", "F", 0 },           { "burst", "BYTES", 0 },
	{ "egress-rate", "F", 0 },    { "distance-km", "D", 0 },    { "cable-delay-us", "U", 0 },
	{ "peer-pause", "LIST", 0 },  { "frame", "BYTES", 0 },      { "for", "MS", 0 },
	{ "drain", "MS", 0 },         { NULL, NULL, 0 },
};

static bool number(const char *s, double lo, double hi, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

/* "3,4" as a mask of priorities; "none" is 0. */
static bool prio_list(const char *s, uint32_t *mask)
{
	*mask = 0;
	if (strcmp(s, "none") == 0)
		return true;
	while (*s) {
		if (*s < '0' || *s > '7')
			return false;
		*mask |= 1u << (*s - '0');
		s++;
		if (*s == ',')
			s++;
		else if (*s)
			return false;
	}
	return *mask != 0;
}

/* The one-way delay of the platform link PORT is on, ns; NAN when it is on none. */
static double link_delay_ns(struct lbctl *app, unsigned port, char *path_name, size_t len)
{
	struct lb_platform_link pl = LB_PLATFORM_LINK_INIT;
	if (lb_platform_port_link(app->platform, port, &pl) != LB_OK || !pl.path)
		return NAN;
	char file[4096], err[512];
	lbctl_link_path_file(app, pl.path, file, sizeof(file));
	struct lb_link_path path;
	if (lb_link_path_load(file, &path, err, sizeof(err)) != LB_OK)
		return NAN;
	double ng_km = 0;
	for (unsigned i = 0; i < path.span_count; i++)
		ng_km += path.spans[i].group_index * path.spans[i].length_km;
	snprintf(path_name, len, "%s", pl.path);
	return ng_km / C_KM_PER_S * 1e9;
}

struct run {
	struct lbctl_asic_port ap;
	struct lb_emu_asic *asic;
	struct lb_emu_asic_flow flow;
	struct lb_emu_asic_flow_status st;
	struct lb_qos_port_watermarks wm;
	struct lb_asic_port_counters cnt;
	double for_ms, drain_ms;
	char link[256]; /* the platform link's path, or "" */
};

static int drive(struct lbctl *app, struct run *r)
{
	struct lb_emu_world *w = lb_emu_asic_world(r->asic);
	int rc = lb_emu_asic_set_flow(r->asic, r->ap.asic_port, &r->flow);
	if (rc)
		return lbctl_fail(app, rc, "traffic: asic port %u", r->ap.asic_port);
	lb_emu_world_advance_ns(w, (uint64_t)llround(r->for_ms * 1e6));
	if (r->drain_ms > 0) {
		memset(r->flow.load, 0, sizeof(r->flow.load));
		memset(r->flow.burst_bytes, 0, sizeof(r->flow.burst_bytes));
		if ((rc = lb_emu_asic_set_flow(r->asic, r->ap.asic_port, &r->flow)))
			return lbctl_fail(app, rc, "traffic: asic port %u", r->ap.asic_port);
		lb_emu_world_advance_ns(w, (uint64_t)llround(r->drain_ms * 1e6));
	}
	r->st.size = sizeof(r->st);
	if ((rc = lb_emu_asic_flow_status(r->asic, r->ap.asic_port, &r->st)))
		return lbctl_fail(app, rc, "traffic: asic port %u", r->ap.asic_port);
	r->wm = (struct lb_qos_port_watermarks)LB_QOS_PORT_WATERMARKS_INIT;
	if ((rc = lb_qos_watermarks_read(r->ap.sw, r->ap.asic_port, &r->wm)))
		return lbctl_fail(app, rc, "traffic: watermarks");
	r->cnt = (struct lb_asic_port_counters){ .size = sizeof(r->cnt) };
	if ((rc = lb_asic_port_counters_read(r->ap.sw, r->ap.asic_port, &r->cnt)))
		return lbctl_fail(app, rc, "traffic: counters");
	lb_emu_asic_set_flow(r->asic, r->ap.asic_port, NULL);
	return LBCTL_EXIT_OK;
}

static bool active(const struct lb_emu_asic_flow_prio *p)
{
	return p->arrived_bytes || p->sent_bytes || p->pfc_tx_frames || p->pfc_rx_frames || p->pg_peak_bytes;
}

static json_t *prio_json(unsigned n, const struct lb_emu_asic_flow_prio *p, const struct lb_qos_port_watermarks *wm)
{
	json_t *o = json_pack("{s:I, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "priority", (json_int_t)n, "lossless",
			      p->lossless != 0, "arrived_bytes", (json_int_t)p->arrived_bytes, "sent_bytes",
			      (json_int_t)p->sent_bytes, "dropped_bytes", (json_int_t)p->dropped_bytes,
			      "held_bytes", (json_int_t)p->pg_bytes, "peak_bytes", (json_int_t)p->pg_peak_bytes,
			      "limit_bytes", (json_int_t)p->limit_bytes, "headroom_bytes",
			      (json_int_t)p->headroom_size_bytes);
	if (!o)
		return NULL;
	json_object_set_new(o, "headroom_peak_bytes", json_integer((json_int_t)p->headroom_peak_bytes));
	json_object_set_new(o, "hbm_peak_bytes", json_integer((json_int_t)p->hbm_peak_bytes));
	json_object_set_new(o, "queue_delay_peak_us", json_real((double)p->queue_delay_peak_ns / 1e3));
	json_object_set_new(o, "pfc_tx_frames", json_integer((json_int_t)p->pfc_tx_frames));
	json_object_set_new(o, "pfc_rx_frames", json_integer((json_int_t)p->pfc_rx_frames));
	json_object_set_new(o, "pause_tx_ms", json_real((double)p->pause_tx_ns / 1e6));
	json_object_set_new(o, "pause_rx_ms", json_real((double)p->pause_rx_ns / 1e6));
	json_object_set_new(o, "xoff", json_boolean(p->xoff != 0));
	json_object_set_new(o, "queue_peak_bytes", json_integer((json_int_t)wm->queue[n].peak_bytes));
	json_object_set_new(o, "queue_peak_cells", json_integer((json_int_t)wm->queue[n].peak_cells));
	return o;
}

static int print_json(struct lbctl *app, const struct run *r)
{
	json_t *list = json_array();
	for (unsigned n = 0; list && n < 8; n++)
		if (active(&r->st.prio[n])) {
			json_t *o = prio_json(n, &r->st.prio[n], &r->wm);
			lbctl_traffic_congestion_json(r->ap.sw, r->ap.asic_port, n, o); /* ECN, watchdog */
			json_array_append_new(list, o);
		}
	json_t *pgs = json_array();
	for (unsigned g = 0; pgs && g < 8; g++)
		if (r->wm.pg[g].peak_bytes)
			json_array_append_new(pgs, json_pack("{s:I, s:I, s:I, s:I, s:I}", "pg", (json_int_t)g,
							     "peak_bytes", (json_int_t)r->wm.pg[g].peak_bytes,
							     "peak_cells", (json_int_t)r->wm.pg[g].peak_cells,
							     "headroom_peak_bytes",
							     (json_int_t)r->wm.pg_headroom[g].peak_bytes, "bytes",
							     (json_int_t)r->wm.pg[g].bytes));
	json_t *o = json_pack("{s:I, s:s, s:I, s:I, s:f, s:f, s:f, s:s, s:o, s:o}", "port", (json_int_t)r->ap.info.port,
			      "name", r->ap.info.name ? r->ap.info.name : "", "asic_port", (json_int_t)r->ap.asic_port,
			      "speed_mbps", (json_int_t)r->ap.cfg.speed_mbps, "elapsed_ms",
			      (double)r->st.elapsed_ns / 1e6, "one_way_delay_us", r->st.one_way_ns / 1e3,
			      "egress_rate", r->flow.egress_rate, "link_path", r->link, "priorities", list, "pgs", pgs);
	if (o)
		json_object_set_new(o, "in_discards", json_integer((json_int_t)r->cnt.in_discards));
	return lbctl_json_emit(app, o);
}

/* 1234567 bytes as "1.23 MB" (powers of 1000, as rates are). */
static const char *mb(uint64_t b, char *buf, size_t len)
{
	snprintf(buf, len, "%.3f", (double)b / 1e6);
	return buf;
}

static void print_text(struct lbctl *app, const struct run *r)
{
	char a[32], b[32], c[32], d[32], e[32];
	char head[512];
	snprintf(head, sizeof(head), "port %u (%s): ASIC port %u, %u Mb/s, %.3f ms, link %.1f us one way%s%s",
		 r->ap.info.port, r->ap.info.name ? r->ap.info.name : "", r->ap.asic_port, r->ap.cfg.speed_mbps,
		 (double)r->st.elapsed_ns / 1e6, r->st.one_way_ns / 1e3, r->link[0] ? " (path " : "", r->link);
	if (r->link[0])
		snprintf(head + strlen(head), sizeof(head) - strlen(head), ")");
	lbctl_wrap(app, 0, 2, head);
	fprintf(app->out, "%-4s %-8s %9s %9s %9s %9s %9s %5s %9s\n", "prio", "", "in MB", "out MB", "drop MB",
		"peak MB", "hdrm MB", "PFC", "paused ms");
	for (unsigned n = 0; n < 8; n++) {
		const struct lb_emu_asic_flow_prio *p = &r->st.prio[n];
		if (!active(p))
			continue;
		fprintf(app->out, "%-4u %-8s %9s %9s %9s %9s %9s %5llu %9.3f\n", n,
			p->lossless ? "lossless" : "lossy", mb(p->arrived_bytes, a, sizeof(a)),
			mb(p->sent_bytes, b, sizeof(b)), mb(p->dropped_bytes, c, sizeof(c)),
			mb(p->pg_peak_bytes, d, sizeof(d)), mb(p->headroom_peak_bytes, e, sizeof(e)),
			(unsigned long long)(p->pfc_tx_frames + p->pfc_rx_frames),
			(double)(p->pause_tx_ns + p->pause_rx_ns) / 1e6);
	}
	for (unsigned n = 0; n < 8; n++) {
		const struct lb_emu_asic_flow_prio *p = &r->st.prio[n];
		if (!p->lossless || !active(p))
			continue;
		fprintf(app->out, "priority %u: headroom %s MB, used at most %s MB: %s\n", n,
			mb(p->headroom_size_bytes, a, sizeof(a)), mb(p->headroom_peak_bytes, b, sizeof(b)),
			p->dropped_bytes ? "overflowed, frames lost" : "no loss");
	}
	uint32_t mask = 0;
	for (unsigned n = 0; n < 8; n++)
		mask |= active(&r->st.prio[n]) ? 1u << n : 0;
	lbctl_traffic_congestion_text(app, r->ap.sw, r->ap.asic_port, mask); /* ECN, watchdog */
}

int lbctl_cmd_traffic(struct lbctl *app, int argc, char **argv)
{
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	struct run r;
	memset(&r, 0, sizeof(r));
	r.flow.size = sizeof(r.flow);
	double prio = 3, load = 1, egress = 0.5, km = 0, delay_us = 0, frame = 1500;
	uint64_t burst = 0;
	uint32_t pause = 0;
	r.for_ms = 20;
	if ((cl.given[O_PRIO] && !number(cl.value[O_PRIO], 0, 7, &prio)) || floor(prio) != prio)
		return lbctl_usage_error(app, "traffic: --priority %s: 0 to 7", cl.value[O_PRIO]);
	if (cl.given[O_LOAD] && !number(cl.value[O_LOAD], 0, 1, &load))
		return lbctl_usage_error(app, "traffic: --load %s: a fraction of the line rate, 0 to 1", cl.value[O_LOAD]);
	if (cl.given[O_BURST] && !lbctl_parse_bytes(cl.value[O_BURST], &burst))
		return lbctl_usage_error(app, "traffic: --burst %s: bytes (64K, 12M, 1G)", cl.value[O_BURST]);
	if (cl.given[O_EGRESS] && (!number(cl.value[O_EGRESS], 0, 1, &egress) || egress == 0))
		return lbctl_usage_error(app, "traffic: --egress-rate %s: above 0, at most 1", cl.value[O_EGRESS]);
	if (cl.given[O_KM] && cl.given[O_DELAY])
		return lbctl_usage_error(app, "traffic: --distance-km and --cable-delay-us: one or the other");
	if (cl.given[O_KM] && !number(cl.value[O_KM], 0, 40000, &km))
		return lbctl_usage_error(app, "traffic: --distance-km %s: 0 to 40000", cl.value[O_KM]);
	if (cl.given[O_DELAY] && !number(cl.value[O_DELAY], 0, 200000, &delay_us))
		return lbctl_usage_error(app, "traffic: --cable-delay-us %s: 0 to 200000", cl.value[O_DELAY]);
	if (cl.given[O_PAUSE] && !prio_list(cl.value[O_PAUSE], &pause))
		return lbctl_usage_error(app, "traffic: --peer-pause %s: priorities 0-7 (3,4) or none",
					 cl.value[O_PAUSE]);
	if (cl.given[O_FRAME] && (!number(cl.value[O_FRAME], 64, 16384, &frame) || floor(frame) != frame))
		return lbctl_usage_error(app, "traffic: --frame %s: 64 to 16384 bytes", cl.value[O_FRAME]);
	if (cl.given[O_FOR] && !number(cl.value[O_FOR], 0.001, 2000, &r.for_ms))
		return lbctl_usage_error(app, "traffic: --for %s: 0.001 to 2000 ms", cl.value[O_FOR]);
	if (cl.given[O_DRAIN] && !number(cl.value[O_DRAIN], 0, 2000, &r.drain_ms))
		return lbctl_usage_error(app, "traffic: --drain %s: 0 to 2000 ms", cl.value[O_DRAIN]);
	if ((ex = lbctl_asic_port(app, "traffic", cl.pos[0], &r.ap)))
		return ex;
	r.asic = lb_emu_switch_asic(r.ap.sw);
	if (!r.asic) {
		snprintf(app->detail, sizeof(app->detail), "the platform's ASIC is not the emulated one");
		return lbctl_fail(app, LB_E_NOTSUP, "traffic");
	}
	unsigned n = (unsigned)prio;
	r.flow.load[n] = load;
	r.flow.burst_bytes[n] = burst;
	r.flow.egress_rate = egress;
	r.flow.frame_bytes = (uint32_t)frame;
	r.flow.peer_pause = pause;
	if (cl.given[O_DELAY])
		r.flow.cable_delay_ns = delay_us * 1e3;
	else if (cl.given[O_KM])
		r.flow.distance_km = km;
	else {
		double ns = link_delay_ns(app, r.ap.info.port, r.link, sizeof(r.link));
		if (isfinite(ns))
			r.flow.cable_delay_ns = ns;
	}
	if ((ex = drive(app, &r)))
		return ex;
	if (cl.json)
		return print_json(app, &r);
	print_text(app, &r);
	return LBCTL_EXIT_OK;
}
