/* SPDX-License-Identifier: MIT */
/*
 * The rules a port's configuration obeys (lightbridge/asic.h), checked whole before any
 * change reaches the driver, and the names of the port enums.
 */
#include <stdio.h>
#include <string.h>
#include "hal/asic/asic_internal.h"
#include "hal/core/ctx_internal.h"

#define MIN_MTU 68u /* the smallest IP datagram's frame, as SONiC's range */

void lb_asic_speed_text(uint32_t mbps, char *buf, size_t len)
{
	if (mbps >= 1000000 && mbps % 100000 == 0)
		snprintf(buf, len, "%u.%uT", mbps / 1000000, (mbps / 100000) % 10);
	else if (mbps % 1000 == 0)
		snprintf(buf, len, "%uG", mbps / 1000);
	else
		snprintf(buf, len, "%uM", mbps);
	size_t n = strlen(buf);
	if (n > 3 && strcmp(buf + n - 3, ".0T") == 0) /* "2.0T" -> "2T" */
		memmove(buf + n - 3, "T", 2);
}

/* "100G, 200G" into buf. */
static void speed_list(const uint32_t *mbps, uint32_t n, char *buf, size_t len)
{
	buf[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		char s[16];
		lb_asic_speed_text(mbps[i], s, sizeof(s));
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s);
	}
}

static bool in_list(const uint32_t *list, uint32_t n, uint32_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

LB_API const char *lb_asic_fec_name(enum lb_asic_fec fec)
{
	switch (fec) {
	case LB_ASIC_FEC_NONE: return "none";
	case LB_ASIC_FEC_RS528: return "rs528";
	case LB_ASIC_FEC_RS544: return "rs544";
	case LB_ASIC_FEC_RS544_2XN: return "rs544-2xn";
	}
	return "?";
}

LB_API int lb_asic_fec_parse(const char *name, enum lb_asic_fec *fec)
{
	if (!name || !fec)
		return LB_E_INVAL;
	for (int f = 0; f < LB_ASIC_FEC_COUNT; f++)
		if (strcmp(name, lb_asic_fec_name((enum lb_asic_fec)f)) == 0) {
			*fec = (enum lb_asic_fec)f;
			return LB_OK;
		}
	return LB_E_NOTFOUND;
}

LB_API const char *lb_asic_down_reason_name(enum lb_asic_down_reason reason)
{
	switch (reason) {
	case LB_ASIC_DOWN_NONE: return "";
	case LB_ASIC_DOWN_ADMIN: return "admin-down";
	case LB_ASIC_DOWN_NO_SIGNAL: return "no-signal";
	case LB_ASIC_DOWN_FEC_NO_LOCK: return "fec-no-lock";
	case LB_ASIC_DOWN_REMOTE_FAULT: return "remote-fault";
	}
	return "?";
}

LB_API const char *lb_asic_loopback_name(enum lb_asic_loopback lb)
{
	switch (lb) {
	case LB_ASIC_LOOPBACK_NONE: return "none";
	case LB_ASIC_LOOPBACK_PHY: return "phy";
	case LB_ASIC_LOOPBACK_MAC: return "mac";
	}
	return "?";
}

LB_API int lb_asic_fec_allowed(enum lb_asic_fec fec, uint32_t speed_mbps, uint32_t lane_mbps)
{
	bool nrz = lane_mbps <= 25000; /* PAM4 from 50G per lane up */
	switch (fec) {
	case LB_ASIC_FEC_NONE:
	case LB_ASIC_FEC_RS528:
		return nrz ? LB_OK : LB_E_NOTSUP;
	case LB_ASIC_FEC_RS544:
		return !nrz && speed_mbps <= 200000 ? LB_OK : LB_E_NOTSUP;
	case LB_ASIC_FEC_RS544_2XN:
		return !nrz && speed_mbps >= 200000 ? LB_OK : LB_E_NOTSUP;
	}
	return LB_E_NOTSUP;
}

LB_API unsigned lb_asic_fec_max_symbol_errors(enum lb_asic_fec fec)
{
	switch (fec) {
	case LB_ASIC_FEC_RS528: return 7;
	case LB_ASIC_FEC_RS544:
	case LB_ASIC_FEC_RS544_2XN: return 15;
	case LB_ASIC_FEC_NONE: break;
	}
	return 0;
}

/* Why fec is refused at this speed, for the detail. */
static const char *fec_rule(enum lb_asic_fec fec)
{
	switch (fec) {
	case LB_ASIC_FEC_NONE:
	case LB_ASIC_FEC_RS528:
		return "runs on NRZ lanes of 25G and below only (PAM4 lanes need RS-544)";
	case LB_ASIC_FEC_RS544:
		return "runs on PAM4 lanes for ports up to 200G (larger ports interleave: rs544-2xn)";
	case LB_ASIC_FEC_RS544_2XN:
		return "runs on PAM4 lanes for ports of 200G and more";
	}
	return "is unknown";
}

static int check_lanes(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg)
{
	const struct lb_switch_caps *c = &sw->caps;
	uint32_t first = cfg->first_lane, n = cfg->lane_count;
	if (n == 0 || n > LB_ASIC_MAX_PORT_LANES || (n & (n - 1)) || n > c->lanes_per_group ||
	    first % n)
		return lb_ctx_error(sw->ctx, LB_E_INVAL,
				    "asic port %u: lanes %u-%u: a port takes 1, 2, 4 or 8 lanes, aligned "
				    "to their count within a group of %u",
				    port, first, first + (n ? n - 1 : 0), c->lanes_per_group);
	if (first >= c->lanes || n > c->lanes - first)
		return lb_ctx_error(sw->ctx, LB_E_RANGE,
				    "asic port %u: lanes %u-%u: the chip has lanes 0-%u", port, first,
				    first + n - 1, c->lanes - 1);
	for (uint32_t p = 0; p < c->max_ports; p++) {
		if (p == port || !sw->exists[p])
			continue;
		const struct lb_asic_port_config *o = &sw->ports[p];
		if (first < o->first_lane + o->lane_count && o->first_lane < first + n) {
			uint32_t lane = first > o->first_lane ? first : o->first_lane;
			return lb_ctx_error(sw->ctx, LB_E_EXISTS,
					    "asic port %u: lane %u belongs to asic port %u (lanes %u-%u): "
					    "a lane belongs to one port",
					    port, lane, p, o->first_lane, o->first_lane + o->lane_count - 1);
		}
	}
	return LB_OK;
}

static int check_speed(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg)
{
	const struct lb_switch_caps *c = &sw->caps;
	char s[16], list[128];
	lb_asic_speed_text(cfg->speed_mbps, s, sizeof(s));
	if (!in_list(c->speeds_mbps, c->n_speeds, cfg->speed_mbps)) {
		speed_list(c->speeds_mbps, c->n_speeds, list, sizeof(list));
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP,
				    "asic port %u: speed %s: the chip's port speeds are %s", port, s, list);
	}
	uint32_t n = cfg->lane_count;
	if (cfg->speed_mbps % n || !in_list(c->lane_speeds_mbps, c->n_lane_speeds, cfg->speed_mbps / n)) {
		char per[16];
		lb_asic_speed_text(cfg->speed_mbps / n, per, sizeof(per));
		speed_list(c->lane_speeds_mbps, c->n_lane_speeds, list, sizeof(list));
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP,
				    "asic port %u: speed %s on %u lane%s needs %s per lane: the chip's "
				    "lanes carry %s",
				    port, s, n, n == 1 ? "" : "s", per, list);
	}
	/* one lane speed per lane group: its SerDes share a clock */
	uint32_t group = cfg->first_lane / c->lanes_per_group, lane_mbps = cfg->speed_mbps / n;
	for (uint32_t p = 0; p < c->max_ports; p++) {
		const struct lb_asic_port_config *o = &sw->ports[p];
		if (p == port || !sw->exists[p] || !o->lane_count || o->first_lane / c->lanes_per_group != group ||
		    o->speed_mbps / o->lane_count == lane_mbps)
			continue;
		char per[16], other[16];
		lb_asic_speed_text(lane_mbps, per, sizeof(per));
		lb_asic_speed_text(o->speed_mbps / o->lane_count, other, sizeof(other));
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP,
				    "asic port %u: speed %s on %s lanes: lane group %u (lanes %u-%u) runs %s "
				    "lanes (asic port %u): one lane speed per group",
				    port, s, per, group, group * c->lanes_per_group,
				    (group + 1) * c->lanes_per_group - 1, other, p);
	}
	uint64_t total = cfg->speed_mbps;
	for (uint32_t p = 0; p < c->max_ports; p++)
		if (p != port && sw->exists[p])
			total += sw->ports[p].speed_mbps;
	if (c->capacity_mbps && total > c->capacity_mbps)
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP,
				    "asic port %u: speed %s: the ports would take %llu Mb/s, over the "
				    "switch's capacity of %llu Mb/s",
				    port, s, (unsigned long long)total, (unsigned long long)c->capacity_mbps);
	return LB_OK;
}

static int check_fec(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg)
{
	if ((unsigned)cfg->fec >= LB_ASIC_FEC_COUNT)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: FEC %d is unknown", port,
				    (int)cfg->fec);
	const char *name = lb_asic_fec_name(cfg->fec);
	if (!(sw->caps.fec_modes & LB_ASIC_FEC_BIT(cfg->fec)))
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP, "asic port %u: FEC %s: the chip does not have it",
				    port, name);
	uint32_t lane = cfg->speed_mbps / cfg->lane_count;
	if (lb_asic_fec_allowed(cfg->fec, cfg->speed_mbps, lane)) {
		char s[16], l[16];
		lb_asic_speed_text(cfg->speed_mbps, s, sizeof(s));
		lb_asic_speed_text(lane, l, sizeof(l));
		return lb_ctx_error(sw->ctx, LB_E_NOTSUP,
				    "asic port %u: FEC %s is not allowed at %s over %s lanes: %s %s", port,
				    name, s, l, name, fec_rule(cfg->fec));
	}
	return LB_OK;
}

static int check_rest(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg)
{
	const struct lb_switch_caps *c = &sw->caps;
	if (cfg->admin_up != 0 && cfg->admin_up != 1)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: admin state %d: 0 (down) or 1 (up)",
				    port, cfg->admin_up);
	if (cfg->mtu < MIN_MTU || cfg->mtu > c->max_mtu)
		return lb_ctx_error(sw->ctx, LB_E_RANGE, "asic port %u: MTU %u: the chip takes %u to %u bytes",
				    port, cfg->mtu, MIN_MTU, c->max_mtu);
	if ((unsigned)cfg->loopback > LB_ASIC_LOOPBACK_MAC)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: loopback %d is unknown", port,
				    (int)cfg->loopback);
	if (cfg->pause & ~(LB_ASIC_PAUSE_TX | LB_ASIC_PAUSE_RX))
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: PAUSE 0x%x: tx (1), rx (2) or both",
				    port, cfg->pause);
	if (cfg->pause && cfg->pfc_mask)
		return lb_ctx_error(sw->ctx, LB_E_INVAL, "asic port %u: 802.3x PAUSE and PFC (mask 0x%02x): a "
				    "port has one or the other", port, cfg->pfc_mask);
	unsigned lossless = (unsigned)__builtin_popcount(cfg->pfc_mask);
	if (lossless > c->lossless_priorities)
		return lb_ctx_error(sw->ctx, LB_E_RANGE,
				    "asic port %u: PFC on %u priorities (mask 0x%02x): the chip has %u "
				    "lossless priorities per port",
				    port, lossless, cfg->pfc_mask, c->lossless_priorities);
	return LB_OK;
}

int lb_asic_port_check(struct lb_switch *sw, uint32_t port, const struct lb_asic_port_config *cfg)
{
	int rc;
	if ((rc = check_lanes(sw, port, cfg)) || (rc = check_speed(sw, port, cfg)) ||
	    (rc = check_fec(sw, port, cfg)) || (rc = check_rest(sw, port, cfg)))
		return rc;
	return LB_OK;
}
