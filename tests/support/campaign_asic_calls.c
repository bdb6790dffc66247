/* SPDX-License-Identifier: MIT */
/*
 * The rows of the ASIC fault campaign (campaign_asic.h): one public call each, its arguments
 * drawn from the step's random word w, its results put out whole. The episode starts from
 * the "small" profile's power-on plus pools 0 (ingress) and 1 (egress), profiles 0 and 1 on
 * them, port 0 up with traffic, a SecY with both SCs on port 1 (campaign_asic.c). Arguments
 * are drawn so that some calls are refused by the core or the chip: a refusal is judged too.
 * The lossless planner is pure (no chip) and not here; VOQ system ports need a VOQ chip (the
 * "small" profile is an NPU: test_asic_voq and test_asic_faults hold them to faults).
 */
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/buffer.h>
#include <lightbridge/congestion.h>
#include <lightbridge/hyperport.h>
#include <lightbridge/macsec.h>
#include <lightbridge/qos.h>
#include "campaign_asic.h"

#define PUT(o, x) lb_campaign_put((o), &(x), sizeof(x))
#define M LB_CAMPAIGN_MUTATES
#define V LB_CAMPAIGN_ASIC_VOLATILE

static uint32_t pick(uint64_t w, unsigned shift, uint32_t n)
{
	return (uint32_t)((w >> shift) % n);
}

/* ---- switch and ports ---- */

static void caps(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	(void)w;
	struct lb_switch_caps c = LB_SWITCH_CAPS_INIT;
	o->rc = lb_switch_get_caps(sw, &c);
	PUT(o, c);
}

static void port_list(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	(void)w;
	uint32_t ports[32];
	size_t n = 0;
	memset(ports, 0, sizeof(ports));
	o->rc = lb_asic_port_list(sw, ports, 32, &n);
	PUT(o, n);
	PUT(o, ports);
}

static void port_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	o->rc = lb_asic_port_get(sw, pick(w, 0, 8), &c);
	PUT(o, c);
}

static void port_status(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_asic_port_status s = LB_ASIC_PORT_STATUS_INIT;
	o->rc = lb_asic_port_get_status(sw, pick(w, 0, 6), &s);
	PUT(o, s);
}

static void port_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	static const uint32_t mtus[] = { 1500, 9100, 9216, 9300 /* refused */ };
	c.admin_up = (int)pick(w, 8, 2);
	c.mtu = mtus[pick(w, 12, 4)];
	c.pfc_mask = (uint8_t)(pick(w, 16, 2) ? 0x18 : 0);
	static const uint32_t sets[] = { LB_ASIC_PORT_SET_ADMIN, LB_ASIC_PORT_SET_MTU, LB_ASIC_PORT_SET_PFC,
					 LB_ASIC_PORT_SET_ADMIN | LB_ASIC_PORT_SET_MTU | LB_ASIC_PORT_SET_PFC };
	o->rc = lb_asic_port_set(sw, pick(w, 0, 5), &c, sets[pick(w, 20, 4)]);
}

static void port_remove(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_asic_port_remove(sw, 2 + pick(w, 0, 3)); /* 2, 3, or 4 (none at power-on) */
}

static void port_create(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.first_lane = 16 + 4 * pick(w, 0, 4); /* the lanes of ports 2 and 3 */
	c.lane_count = 4;
	c.speed_mbps = 400000;
	c.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t port = 0;
	o->rc = lb_asic_port_create(sw, &c, &port);
	PUT(o, port);
}

static void counters(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o, int how)
{
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	uint32_t port = pick(w, 0, 5);
	if (how == 2) {
		o->rc = lb_asic_port_counters_clear(sw, port);
		return;
	}
	o->rc = how ? lb_asic_port_counters_read_clear(sw, port, &c) : lb_asic_port_counters_read(sw, port, &c);
	PUT(o, c);
}

static void counters_read(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	counters(sw, w, o, 0);
}

static void counters_read_clear(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	counters(sw, w, o, 1);
}

static void counters_clear(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	counters(sw, w, o, 2);
}

/* ---- buffers ---- */

static void pool_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
	o->rc = lb_buffer_pool_get(sw, pick(w, 0, 4), &c);
	PUT(o, c);
}

static void pool_create(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_buffer_pool_config c = LB_BUFFER_POOL_CONFIG_INIT;
	c.type = pick(w, 0, 2) ? LB_BUFFER_POOL_EGRESS : LB_BUFFER_POOL_INGRESS;
	c.size_bytes = (uint64_t)(1 + pick(w, 4, 8)) << 20;
	uint32_t n = 0;
	o->rc = lb_buffer_pool_create(sw, &c, &n);
	PUT(o, n);
}

static void pool_remove(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_buffer_pool_remove(sw, pick(w, 0, 4)); /* 0 and 1 in use: refused */
}

static void profile_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	o->rc = lb_buffer_profile_get(sw, pick(w, 0, 4), &c);
	PUT(o, c);
}

static void profile_create(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_buffer_profile_config c = LB_BUFFER_PROFILE_CONFIG_INIT;
	c.pool = pick(w, 0, 3); /* 2: often none */
	c.reserved_bytes = 256u * (1 + pick(w, 4, 16));
	c.dynamic_th = (int32_t)pick(w, 8, 4) - 2;
	uint32_t n = 0;
	o->rc = lb_buffer_profile_create(sw, &c, &n);
	PUT(o, n);
}

static void profile_remove(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_buffer_profile_remove(sw, pick(w, 0, 4));
}

static uint32_t some_profile(uint64_t w)
{
	static const uint32_t p[] = { 0, 1, 3, LB_BUFFER_NO_PROFILE };
	return p[pick(w, 16, 4)];
}

static void pg_bind(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_asic_pg_set_profile(sw, pick(w, 0, 5), pick(w, 8, 8), some_profile(w));
}

static void pg_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	uint32_t p = 0;
	o->rc = lb_asic_pg_get_profile(sw, pick(w, 0, 5), pick(w, 8, 8), &p);
	PUT(o, p);
}

static void queue_bind(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_asic_queue_set_profile(sw, pick(w, 0, 5), pick(w, 8, 8), some_profile(w));
}

static void queue_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	uint32_t p = 0;
	o->rc = lb_asic_queue_get_profile(sw, pick(w, 0, 5), pick(w, 8, 8), &p);
	PUT(o, p);
}

/* ---- QoS and watermarks ---- */

static void sched_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_scheduler s = LB_QOS_SCHEDULER_INIT;
	for (unsigned q = 0; q < LB_QOS_QUEUES; q++) {
		s.type[q] = pick(w, q, 2) ? LB_QOS_SCHED_DWRR : LB_QOS_SCHED_STRICT;
		s.weight[q] = s.type[q] == LB_QOS_SCHED_DWRR ? 1 + pick(w, 8 + q, 100) : 0;
	}
	s.max_rate_mbps[7] = pick(w, 20, 2) ? 100000 : 0;
	o->rc = lb_qos_scheduler_set(sw, pick(w, 24, 5), &s);
}

static void sched_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_scheduler s = LB_QOS_SCHEDULER_INIT;
	o->rc = lb_qos_scheduler_get(sw, pick(w, 0, 5), &s);
	PUT(o, s);
}

static void maps_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	for (unsigned i = 0; i < LB_QOS_QUEUES; i++) {
		m.tc_to_pg[i] = (uint8_t)pick(w, 2 * i, 8);
		m.pfc_to_pg[i] = (uint8_t)i;
		m.pfc_to_queue[i] = (uint8_t)(7 - i);
	}
	o->rc = lb_qos_maps_set(sw, pick(w, 24, 5), &m);
}

static void maps_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_maps m = LB_QOS_MAPS_INIT;
	o->rc = lb_qos_maps_get(sw, pick(w, 0, 5), &m);
	PUT(o, m);
}

static void wm_read(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_port_watermarks wm = LB_QOS_PORT_WATERMARKS_INIT;
	o->rc = lb_qos_watermarks_read(sw, pick(w, 0, 5), &wm);
	PUT(o, wm);
}

static void wm_clear(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_qos_watermarks_clear(sw, pick(w, 0, 5));
}

static void pool_wm_read(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_qos_watermark wm;
	memset(&wm, 0, sizeof(wm));
	o->rc = lb_qos_pool_watermark_read(sw, pick(w, 0, 3), &wm);
	PUT(o, wm);
}

static void pool_wm_clear(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	(void)w;
	o->rc = lb_qos_pool_watermarks_clear(sw);
}

/* ---- HyperPorts ---- */

static void hp_create(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		c.members[i] = i;
	if (pick(w, 0, 4) == 0)
		c.members[3] = 2; /* named twice: refused */
	c.hash = pick(w, 4, 2) ? LB_HYPERPORT_HASH_SPRAY : LB_HYPERPORT_HASH_FLOW;
	uint32_t hp = 0;
	o->rc = lb_hyperport_create(sw, &c, &hp);
	PUT(o, hp);
}

static void hp_remove(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_hyperport_remove(sw, pick(w, 0, 2));
}

static void hp_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	o->rc = lb_hyperport_get(sw, pick(w, 0, 2), &c);
	PUT(o, c);
}

static void hp_list(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	(void)w;
	uint32_t hps[4];
	size_t n = 0;
	memset(hps, 0, sizeof(hps));
	o->rc = lb_hyperport_list(sw, hps, 4, &n);
	PUT(o, n);
	PUT(o, hps);
}

static void hp_of_port(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	uint32_t hp = 0;
	o->rc = lb_hyperport_of_port(sw, pick(w, 0, 5), &hp);
	PUT(o, hp);
}

static void hp_counters(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_asic_port_counters m[LB_HYPERPORT_MEMBERS], total = LB_ASIC_PORT_COUNTERS_INIT;
	for (unsigned i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		m[i] = (struct lb_asic_port_counters)LB_ASIC_PORT_COUNTERS_INIT;
	o->rc = lb_hyperport_counters_read(sw, pick(w, 0, 2), m, &total);
	PUT(o, m);
	PUT(o, total);
}

static void hp_status(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_hyperport_status s = LB_HYPERPORT_STATUS_INIT;
	o->rc = lb_hyperport_get_status(sw, pick(w, 0, 2), &s);
	PUT(o, s);
}

/* ---- MACsec (port 1; the key a fixed test key) ---- */

static enum lb_macsec_dir dir_of(uint64_t w)
{
	return pick(w, 4, 2) ? LB_MACSEC_RX : LB_MACSEC_TX;
}

static void secy_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	c.enable = 1;
	c.encrypt = (int)pick(w, 0, 2);
	c.cipher = pick(w, 4, 2) ? LB_MACSEC_GCM_AES_256 : LB_MACSEC_GCM_AES_128; /* a change: busy with SAs */
	c.replay_protect = 1;
	c.replay_window = pick(w, 8, 64);
	c.sci = 0x020000000001ull << 16 | (1 + pick(w, 16, 3));
	o->rc = lb_macsec_secy_set(sw, 1 + pick(w, 20, 2), &c);
}

static void sc_create(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	enum lb_macsec_dir dir = dir_of(w);
	o->rc = lb_macsec_sc_create(sw, 1, dir, dir == LB_MACSEC_RX ? 0x020000000002ull << 16 | 1 : 0);
}

static void sc_remove(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_macsec_sc_remove(sw, 1, dir_of(w));
}

static void sc_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	uint64_t sci = 0;
	o->rc = lb_macsec_sc_get(sw, 1, dir_of(w), &sci);
	PUT(o, sci);
}

static void sa_install(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_macsec_key k = { .len = 16 };
	for (unsigned i = 0; i < 16; i++)
		k.bytes[i] = (uint8_t)(0xA0 + i);
	struct lb_macsec_sa_config c = LB_MACSEC_SA_CONFIG_INIT;
	c.an = pick(w, 0, 4);
	c.pn = 1 + pick(w, 8, 1000);
	o->rc = lb_macsec_sa_install(sw, 1, dir_of(w), &c, &k);
}

static void sa_activate(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_macsec_tx_sa_activate(sw, 1, pick(w, 0, 4));
}

static void sa_retire(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	o->rc = lb_macsec_sa_retire(sw, 1, dir_of(w), pick(w, 0, 4));
}

static void sa_status(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_macsec_sa_status s = LB_MACSEC_SA_STATUS_INIT;
	o->rc = lb_macsec_sa_get_status(sw, 1, dir_of(w), pick(w, 0, 4), &s);
	PUT(o, s);
}

static void macsec_counters(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_macsec_counters c = LB_MACSEC_COUNTERS_INIT;
	o->rc = lb_macsec_counters_read(sw, 1, dir_of(w), pick(w, 0, 4), &c);
	PUT(o, c);
}

static void secy_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_macsec_secy_config c = LB_MACSEC_SECY_CONFIG_INIT;
	o->rc = lb_macsec_secy_get(sw, pick(w, 0, 3), &c);
	PUT(o, c);
}

/* ---- congestion control ---- */

static void ecn_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
	c.colors = pick(w, 8, 2) ? LB_COLOR_ALL : 0;
	c.ecn_enable = 1;
	c.wred_enable = pick(w, 10, 2);
	for (unsigned k = 0; k < LB_COLORS; k++) {
		c.color[k].min_bytes = 64 * 1024;
		c.color[k].max_bytes = pick(w, 12, 4) == 3 ? 32 * 1024 /* below min: refused */ : 512 * 1024;
		c.color[k].probability_pct = 1 + pick(w, 16, 100);
	}
	o->rc = lb_queue_ecn_set(sw, pick(w, 0, 2), pick(w, 4, 8), &c);
}

static void ecn_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_queue_ecn_config c = LB_QUEUE_ECN_CONFIG_INIT;
	o->rc = lb_queue_ecn_get(sw, pick(w, 0, 2), pick(w, 4, 8), &c);
	PUT(o, c);
}

static void ecn_counters(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_queue_ecn_counters c = LB_QUEUE_ECN_COUNTERS_INIT;
	o->rc = lb_queue_ecn_counters(sw, pick(w, 0, 2), pick(w, 4, 8), &c, (int)pick(w, 8, 2));
	PUT(o, c);
}

static void pfcwd_set(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_pfcwd_config c = LB_PFCWD_CONFIG_INIT;
	c.detection_ms = pick(w, 8, 4) == 3 ? 5 /* below 10: refused */ : 200;
	c.restoration_ms = 200;
	c.action = (enum lb_pfcwd_action)pick(w, 12, 4);
	o->rc = lb_pfcwd_set(sw, pick(w, 0, 2), pick(w, 4, 8), &c);
}

static void pfcwd_get(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_pfcwd_config c = LB_PFCWD_CONFIG_INIT;
	o->rc = lb_pfcwd_get(sw, pick(w, 0, 2), pick(w, 4, 8), &c);
	PUT(o, c);
}

static void pfcwd_status(struct lb_switch *sw, uint64_t w, struct lb_campaign_out *o)
{
	struct lb_pfcwd_status s = LB_PFCWD_STATUS_INIT;
	o->rc = lb_pfcwd_status(sw, pick(w, 0, 2), pick(w, 4, 8), &s, (int)pick(w, 8, 2));
	PUT(o, s);
}

const struct lb_campaign_asic_call lb_campaign_asic_calls[] = {
	{ "switch_caps", 0, caps },
	{ "port_list", 0, port_list },
	{ "port_get", 0, port_get },
	{ "port_status", 0, port_status },
	{ "port_set", M, port_set },
	{ "port_remove", M, port_remove },
	{ "port_create", M, port_create },
	{ "counters_read", V, counters_read },
	{ "counters_read_clear", V, counters_read_clear },
	{ "counters_clear", V, counters_clear },
	{ "pool_get", 0, pool_get },
	{ "pool_create", M, pool_create },
	{ "pool_remove", M, pool_remove },
	{ "profile_get", 0, profile_get },
	{ "profile_create", M, profile_create },
	{ "profile_remove", M, profile_remove },
	{ "pg_bind", M, pg_bind },
	{ "pg_get", 0, pg_get },
	{ "queue_bind", M, queue_bind },
	{ "queue_get", 0, queue_get },
	{ "qos_scheduler_set", M, sched_set },
	{ "qos_scheduler_get", 0, sched_get },
	{ "qos_maps_set", M, maps_set },
	{ "qos_maps_get", 0, maps_get },
	{ "watermarks_read", V, wm_read },
	{ "watermarks_clear", V, wm_clear },
	{ "pool_watermark_read", V, pool_wm_read },
	{ "pool_watermarks_clear", V, pool_wm_clear },
	{ "hyperport_create", M, hp_create },
	{ "hyperport_remove", M, hp_remove },
	{ "hyperport_get", 0, hp_get },
	{ "hyperport_status", 0, hp_status },
	{ "hyperport_list", 0, hp_list },
	{ "hyperport_of_port", 0, hp_of_port },
	{ "hyperport_counters", V, hp_counters },
	{ "macsec_secy_set", M, secy_set },
	{ "macsec_sc_create", M, sc_create },
	{ "macsec_sc_remove", M, sc_remove },
	{ "macsec_sc_get", 0, sc_get },
	{ "macsec_sa_install", M, sa_install },
	{ "macsec_tx_sa_activate", M, sa_activate },
	{ "macsec_sa_retire", M, sa_retire },
	{ "macsec_sa_status", 0, sa_status },
	{ "macsec_counters", V, macsec_counters },
	{ "macsec_secy_get", 0, secy_get },
	{ "ecn_set", M, ecn_set },
	{ "ecn_get", 0, ecn_get },
	{ "ecn_counters", V, ecn_counters },
	{ "pfcwd_set", M, pfcwd_set },
	{ "pfcwd_get", 0, pfcwd_get },
	{ "pfcwd_status", V, pfcwd_status },
};
const unsigned lb_campaign_asic_ncalls = sizeof(lb_campaign_asic_calls) / sizeof(lb_campaign_asic_calls[0]);
