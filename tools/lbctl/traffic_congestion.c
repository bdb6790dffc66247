/* SPDX-License-Identifier: MIT */
/*
 * lbctl traffic's report of congestion control (lightbridge/congestion.h): the ECN marks and
 * WRED drops of each queue the run went through, and what the PFC watchdog saw (a pause storm
 * from --peer-pause), for the queues and traffic classes where they are on.
 */
#include <stdio.h>
#include "traffic_congestion.h"

struct cc_read {
	bool ecn_on, wd_on;
	struct lb_queue_ecn_config ecn;
	struct lb_queue_ecn_counters k;
	struct lb_pfcwd_config wd;
	struct lb_pfcwd_status st;
};

/* What is on for priority n, and its counters; false when nothing is (or nothing is read). */
static bool cc_read(struct lb_switch *sw, uint32_t port, unsigned n, struct cc_read *r)
{
	r->ecn = (struct lb_queue_ecn_config)LB_QUEUE_ECN_CONFIG_INIT;
	r->k = (struct lb_queue_ecn_counters)LB_QUEUE_ECN_COUNTERS_INIT;
	r->wd = (struct lb_pfcwd_config)LB_PFCWD_CONFIG_INIT;
	r->st = (struct lb_pfcwd_status)LB_PFCWD_STATUS_INIT;
	r->ecn_on = lb_queue_ecn_get(sw, port, n, &r->ecn) == LB_OK && r->ecn.colors &&
		    (r->ecn.ecn_enable || r->ecn.wred_enable) && lb_queue_ecn_counters(sw, port, n, &r->k, 0) == LB_OK;
	r->wd_on = lb_pfcwd_get(sw, port, n, &r->wd) == LB_OK && r->wd.action != LB_PFCWD_OFF &&
		   lb_pfcwd_status(sw, port, n, &r->st, 0) == LB_OK;
	return r->ecn_on || r->wd_on;
}

static unsigned long long dropped(const struct lb_queue_ecn_counters *k)
{
	return (unsigned long long)(k->wred_dropped_packets[0] + k->wred_dropped_packets[1] + k->wred_dropped_packets[2]);
}

void lbctl_traffic_congestion_text(struct lbctl *app, struct lb_switch *sw, uint32_t asic_port, uint32_t mask)
{
	for (unsigned n = 0; n < 8; n++) {
		struct cc_read r;
		if (!(mask >> n & 1u) || !cc_read(sw, asic_port, n, &r))
			continue;
		char line[256];
		if (r.ecn_on) {
			snprintf(line, sizeof(line), "priority %u: ECN marked %llu packets, WRED dropped %llu", n,
				 (unsigned long long)r.k.ecn_marked_packets, dropped(&r.k));
			lbctl_wrap(app, 0, 2, line);
		}
		if (r.wd_on) {
			snprintf(line, sizeof(line), "priority %u: PFC watchdog (%s): %s, storms %llu, restored %llu, "
				 "%llu ms stormed, dropped %llu tx and %llu rx packets", n,
				 lb_pfcwd_action_name(r.wd.action), r.st.stormed ? "stormed" : "operational",
				 (unsigned long long)r.st.storms_detected, (unsigned long long)r.st.storms_restored,
				 (unsigned long long)r.st.storm_ms, (unsigned long long)r.st.tx_dropped_packets,
				 (unsigned long long)r.st.rx_dropped_packets);
			lbctl_wrap(app, 0, 2, line);
		}
	}
}

void lbctl_traffic_congestion_json(struct lb_switch *sw, uint32_t asic_port, unsigned n, json_t *o)
{
	struct cc_read r;
	if (!o || !cc_read(sw, asic_port, n, &r))
		return;
	if (r.ecn_on)
		json_object_set_new(o, "ecn", json_pack("{s:I, s:I}", "ecn_marked_packets",
							(json_int_t)r.k.ecn_marked_packets, "wred_dropped_packets",
							(json_int_t)dropped(&r.k)));
	if (r.wd_on)
		json_object_set_new(o, "pfcwd", json_pack("{s:s, s:s, s:I, s:I, s:I, s:I, s:I}", "action",
							  lb_pfcwd_action_name(r.wd.action), "state",
							  r.st.stormed ? "stormed" : "operational", "storms_detected",
							  (json_int_t)r.st.storms_detected, "storms_restored",
							  (json_int_t)r.st.storms_restored, "storm_ms", (json_int_t)r.st.storm_ms,
							  "tx_dropped_packets", (json_int_t)r.st.tx_dropped_packets,
							  "rx_dropped_packets", (json_int_t)r.st.rx_dropped_packets));
}
