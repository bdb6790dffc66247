/* SPDX-License-Identifier: MIT */
/*
 * ASIC driver "emulated": the ASIC ops (lightbridge/driver.h) translated into the registers of
 * the emulated router ASIC (docs/emulated-asic.md). The core knows only the ops table.
 *
 * Options: {"profile": "jericho4-class" | "small", "name": "asic0"}: the driver makes an ASIC of
 * that profile in a world of its own, which goes with the instance; with a state directory its
 * configuration persists between processes in asic-NAME.json (emulated_state.c). Or the
 * handle is a struct lb_emu_asic * (a test's own, in its world): then options may not name a
 * profile, and nothing persists.
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/buffer.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>
#include <lightbridge/emu_asic_regs.h>
#include "emulated_asic.h"

static int drv_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	struct emu_asic_drv *d = priv;
	d->env = env;
	d->dir_fd = d->lock_fd = -1;
	static const char *const keys[] = { "profile", "name", "description", "comment", "_*", NULL };
	char profile[64];
	int rc;
	if ((rc = lb_options_check_keys(options, keys)) ||
	    (rc = lb_options_get_string_buf(options, "profile", "", profile, sizeof(profile))) ||
	    (rc = lb_options_get_string_buf(options, "name", "", d->name, sizeof(d->name))))
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	for (const char *c = d->name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
		      *c == '-' || *c == '_'))
			return lb_driver_error(env, LB_E_PARSE, "emulated asic: options: name: '%s': letters, "
					       "digits, '-' and '_' only", d->name);
	snprintf(d->profile, sizeof(d->profile), "%s", profile);
	if (handle) {
		if (profile[0])
			return lb_driver_error(env, LB_E_INVAL,
					       "emulated asic: a profile and an ASIC handle: one or the other");
		d->asic = handle;
	} else {
		if (!profile[0])
			return lb_driver_error(env, LB_E_INVAL,
					       "emulated asic: options: profile: required without an ASIC handle");
		if ((rc = lb_emu_world_create(&d->own_world)))
			return rc;
		if ((rc = lb_emu_asic_create(d->own_world, profile, &d->asic))) {
			lb_emu_world_destroy(d->own_world);
			d->own_world = NULL;
			return lb_driver_error(env, rc, "emulated asic: options: profile: '%s': %s", profile,
					       rc == LB_E_NOTFOUND ? "no such profile (jericho4-class, small)"
								   : lb_strerror(rc));
		}
	}
	uint32_t id, version;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_REG_ID, &id)) || (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_VERSION, &version)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_MAX_PORTS, &d->max_ports)))
		goto fail;
	if (id != LB_EMU_ASIC_ID || version != LB_EMU_ASIC_VERSION) {
		rc = lb_driver_error(env, LB_E_NODEV, "emulated asic: identity 0x%08x version %u, "
				     "expected 0x%08x version %u", id, version, LB_EMU_ASIC_ID, LB_EMU_ASIC_VERSION);
		goto fail;
	}
	if ((rc = emu_drv_health_open(d)))
		goto fail;
	if (d->own_world && d->name[0] && env->state_dir && (rc = emu_asic_state_open(d)))
		goto fail;
	return LB_OK;
fail:
	lb_emu_world_destroy(d->own_world); /* NULL is allowed */
	d->own_world = NULL;
	return rc;
}

static void drv_close(void *priv)
{
	struct emu_asic_drv *d = priv;
	emu_asic_state_close(d);
	lb_emu_world_destroy(d->own_world); /* the ASIC with it */
}

/* The speeds of a speed-register mask, ascending. */
static void speeds(uint32_t mask, uint32_t *list, uint32_t *n)
{
	static const uint32_t mbps[LB_EMU_ASIC_N_SPEEDS] = { 25000, 50000, 100000, 200000,
							  400000, 800000, 1600000 };
	*n = 0;
	for (unsigned i = 0; i < LB_EMU_ASIC_N_SPEEDS && *n < LB_ASIC_MAX_SPEEDS; i++)
		if (mask & (1u << i))
			list[(*n)++] = mbps[i];
}

static int drv_get_caps(void *priv, struct lb_switch_caps *caps)
{
	struct emu_asic_drv *d = priv;
	struct lb_switch_caps c = { .size = sizeof(c) };
	uint32_t type, lane_speeds, port_speeds, cap_gbps;
	int rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_REG_SWITCH_TYPE, &type)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_MAX_PORTS, &c.max_ports)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_LANES, &c.lanes)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_LANES_PER_GROUP, &c.lanes_per_group)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_LANE_SPEEDS, &lane_speeds)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_PORT_SPEEDS, &port_speeds)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_FEC_MODES, &c.fec_modes)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_CAPACITY_GBPS, &cap_gbps)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_REG_ONCHIP_BYTES, &c.onchip_buffer_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_REG_HBM_BYTES, &c.hbm_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_REG_HBM_BW_MBPS, &c.hbm_bandwidth_mbps)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_CELL_BYTES, &c.cell_bytes)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_QUEUES, &c.queues_per_port)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_PGS, &c.pgs_per_port)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_LOSSLESS, &c.lossless_priorities)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_REG_MAX_MTU, &c.max_mtu)))
		return rc;
	for (uint32_t i = 0; i < LB_EMU_ASIC_MODEL_BYTES / 4; i++) {
		uint32_t w;
		if ((rc = emu_drv_rd(d, LB_EMU_ASIC_REG_MODEL + 4 * i, &w)))
			return rc;
		for (unsigned b = 0; b < 4 && 4 * i + b < sizeof(c.model) - 1; b++)
			c.model[4 * i + b] = (char)((w >> (8 * b)) & 0xFF);
	}
	c.type = type == 2 ? LB_SWITCH_TYPE_VOQ : LB_SWITCH_TYPE_NPU;
	c.capacity_mbps = (uint64_t)cap_gbps * 1000;
	speeds(lane_speeds, c.lane_speeds_mbps, &c.n_lane_speeds);
	speeds(port_speeds, c.speeds_mbps, &c.n_speeds);
	emu_drv_sized_out(caps, &c, sizeof(c));
	return LB_OK;
}

static const char *cmd_error(uint32_t err)
{
	switch (err) {
	case LB_EMU_ASIC_ERR_LANES: return "lane block refused";
	case LB_EMU_ASIC_ERR_OVERLAP: return "a lane belongs to another port";
	case LB_EMU_ASIC_ERR_SPEED: return "speed refused";
	case LB_EMU_ASIC_ERR_FEC: return "FEC refused at this speed";
	case LB_EMU_ASIC_ERR_MTU: return "MTU refused";
	case LB_EMU_ASIC_ERR_CTRL: return "loopback or PFC refused";
	case LB_EMU_ASIC_ERR_NOPORT: return "no such port";
	case LB_EMU_ASIC_ERR_EXISTS: return "lanes of an existing port changed";
	case LB_EMU_ASIC_ERR_CAPACITY: return "switching capacity exceeded";
	case LB_EMU_ASIC_ERR_TAKEN: return "the number is taken";
	case LB_EMU_ASIC_ERR_NOPOOL: return "no such pool";
	case LB_EMU_ASIC_ERR_NOPROFILE: return "no such profile";
	case LB_EMU_ASIC_ERR_BUSY: return "in use";
	case LB_EMU_ASIC_ERR_DIRECTION: return "a pool of the wrong direction";
	case LB_EMU_ASIC_ERR_VALUE: return "a value out of range";
	}
	return "command refused";
}

static int cmd_status(uint32_t err)
{
	switch (err) {
	case LB_EMU_ASIC_ERR_OVERLAP:
	case LB_EMU_ASIC_ERR_TAKEN: return LB_E_EXISTS;
	case LB_EMU_ASIC_ERR_SPEED:
	case LB_EMU_ASIC_ERR_FEC:
	case LB_EMU_ASIC_ERR_CAPACITY: return LB_E_NOTSUP;
	case LB_EMU_ASIC_ERR_MTU: return LB_E_RANGE;
	case LB_EMU_ASIC_ERR_NOPORT:
	case LB_EMU_ASIC_ERR_NOPOOL:
	case LB_EMU_ASIC_ERR_NOPROFILE: return LB_E_NOTFOUND;
	case LB_EMU_ASIC_ERR_BUSY: return LB_E_BUSY;
	case LB_EMU_ASIC_ERR_DIRECTION: return LB_E_INVAL;
	case LB_EMU_ASIC_ERR_VALUE: return LB_E_RANGE;
	}
	return LB_E_REJECTED;
}

static int command(struct emu_asic_drv *d, uint32_t port, uint32_t cmd)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_command(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_COMMAND), cmd, &err)))
		return rc;
	if (err)
		return lb_driver_error(d->env, cmd_status(err), "asic port %u: the chip refused it: %s "
				       "(command status %u)", port, cmd_error(err), err);
	return LB_OK;
}

static int drv_port_apply(void *priv, uint32_t port, const struct lb_asic_port_config *cfg, int create)
{
	struct emu_asic_drv *d = priv;
	uint32_t ctrl = (cfg->admin_up ? LB_EMU_ASIC_CTRL_ADMIN : 0) | ((uint32_t)cfg->loopback & 3u) << 8 |
			(uint32_t)cfg->pfc_mask << 16 | (cfg->pause & LB_ASIC_PAUSE_TX ? 1u << 24 : 0) |
			(cfg->pause & LB_ASIC_PAUSE_RX ? 1u << 25 : 0);
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CFG_LANES),
		     (cfg->first_lane & 0xFFFFu) | (cfg->lane_count & 0xFFu) << 16)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CFG_SPEED), cfg->speed_mbps)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CFG_FEC), (uint32_t)cfg->fec)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CFG_CTRL), ctrl)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CFG_MTU), cfg->mtu)))
		return rc;
	return command(d, port, create ? LB_EMU_ASIC_CMD_CREATE : LB_EMU_ASIC_CMD_APPLY);
}

static int drv_port_remove(void *priv, uint32_t port)
{
	return command(priv, port, LB_EMU_ASIC_CMD_REMOVE);
}

static int drv_port_get(void *priv, uint32_t port, struct lb_asic_port_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t status, lanes, speed, fec, ctrl, mtu;
	int rc;
	if (port >= d->max_ports)
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_STATUS), &status)))
		return rc;
	if (!(status & 1))
		return LB_E_NOTFOUND;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_LIVE_LANES), &lanes)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_LIVE_SPEED), &speed)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_LIVE_FEC), &fec)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_LIVE_CTRL), &ctrl)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_LIVE_MTU), &mtu)))
		return rc;
	/* zeroed whole: the struct is copied out with its padding */
	struct lb_asic_port_config c;
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.first_lane = LB_EMU_ASIC_LANES_FIRST(lanes);
	c.lane_count = LB_EMU_ASIC_LANES_COUNT(lanes);
	c.speed_mbps = speed;
	c.fec = (enum lb_asic_fec)fec;
	c.admin_up = (ctrl & LB_EMU_ASIC_CTRL_ADMIN) ? 1 : 0;
	c.mtu = mtu;
	c.loopback = (enum lb_asic_loopback)LB_EMU_ASIC_CTRL_LOOPBACK(ctrl);
	c.pfc_mask = (uint8_t)LB_EMU_ASIC_CTRL_PFC(ctrl);
	c.pause = (LB_EMU_ASIC_CTRL_PAUSE_TX(ctrl) ? LB_ASIC_PAUSE_TX : 0) |
		  (LB_EMU_ASIC_CTRL_PAUSE_RX(ctrl) ? LB_ASIC_PAUSE_RX : 0);
	emu_drv_sized_out(cfg, &c, sizeof(c));
	return LB_OK;
}

static int drv_port_status(void *priv, uint32_t port, struct lb_asic_port_status *st)
{
	struct emu_asic_drv *d = priv;
	uint32_t status, speed, fec;
	int rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_STATUS), &status)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_OPER_SPEED), &speed)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_OPER_FEC), &fec)))
		return rc;
	if (!(status & 1))
		return lb_driver_error(d->env, LB_E_NOTFOUND, "asic port %u: the chip has no such port", port);
	/* zeroed whole: the struct is copied out with its padding */
	struct lb_asic_port_status s;
	memset(&s, 0, sizeof(s));
	s.size = sizeof(s);
	s.oper = (status & 2) ? LB_ASIC_OPER_UP : LB_ASIC_OPER_DOWN;
	s.reason = (enum lb_asic_down_reason)((status >> 8) & 0xFF);
	s.oper_speed_mbps = speed;
	s.oper_fec = (enum lb_asic_fec)fec;
	s.fec_max_symbol_errors = (status & 2) ? lb_asic_fec_max_symbol_errors((enum lb_asic_fec)fec) : 0;
	emu_drv_sized_out(st, &s, sizeof(s));
	return LB_OK;
}

static int drv_port_counters(void *priv, uint32_t port, struct lb_asic_port_counters *c, int clear)
{
	struct emu_asic_drv *d = priv;
	uint64_t v[LB_EMU_ASIC_N_COUNTERS];
	uint32_t ctrl = LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CNT_CTRL), zero;
	int rc;
	if (clear) /* the tally tells the latch and clear were taken */
		rc = emu_drv_wr(d, ctrl, LB_EMU_ASIC_CNT_LATCH | LB_EMU_ASIC_CNT_CLEAR);
	if (clear && rc == LB_OK)
		rc = emu_drv_synced(d);
	else if (d->checked) /* a read that latches: it cannot be lost unseen */
		rc = emu_drv_status(d, ctrl, &zero);
	else
		rc = emu_drv_wr(d, ctrl, LB_EMU_ASIC_CNT_LATCH);
	for (uint32_t i = 0; rc == LB_OK && i < LB_EMU_ASIC_N_COUNTERS; i++)
		rc = emu_drv_rd64(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CNT(i)), &v[i]);
	if (rc)
		return rc;
	struct lb_asic_port_counters k = { .size = sizeof(k) };
	k.in_octets = v[LB_EMU_ASIC_C_IN_OCTETS];
	k.in_ucast_pkts = v[LB_EMU_ASIC_C_IN_UCAST];
	k.in_mcast_pkts = v[LB_EMU_ASIC_C_IN_MCAST];
	k.in_bcast_pkts = v[LB_EMU_ASIC_C_IN_BCAST];
	k.out_octets = v[LB_EMU_ASIC_C_OUT_OCTETS];
	k.out_ucast_pkts = v[LB_EMU_ASIC_C_OUT_UCAST];
	k.out_mcast_pkts = v[LB_EMU_ASIC_C_OUT_MCAST];
	k.out_bcast_pkts = v[LB_EMU_ASIC_C_OUT_BCAST];
	k.in_fcs_errors = v[LB_EMU_ASIC_C_IN_FCS];
	k.in_discards = v[LB_EMU_ASIC_C_IN_DISCARDS];
	k.out_discards = v[LB_EMU_ASIC_C_OUT_DISCARDS];
	k.pause_rx_pkts = v[LB_EMU_ASIC_C_PAUSE_RX];
	k.pause_tx_pkts = v[LB_EMU_ASIC_C_PAUSE_TX];
	for (unsigned i = 0; i < LB_ASIC_PRIORITIES; i++) {
		k.pfc_rx_pkts[i] = v[LB_EMU_ASIC_C_PFC_RX(i)];
		k.pfc_tx_pkts[i] = v[LB_EMU_ASIC_C_PFC_TX(i)];
	}
	k.fec_codewords = v[LB_EMU_ASIC_C_FEC_CW];
	k.fec_corrected = v[LB_EMU_ASIC_C_FEC_CORRECTED];
	k.fec_uncorrected = v[LB_EMU_ASIC_C_FEC_UNCORRECTED];
	k.fec_symbol_errors = v[LB_EMU_ASIC_C_FEC_SYMBOLS];
	for (unsigned i = 0; i < LB_ASIC_FEC_BINS; i++)
		k.fec_bins[i] = v[LB_EMU_ASIC_C_FEC_BIN(i)];
	for (unsigned i = 0; i < LB_ASIC_PRIORITIES; i++) { /* the traffic feature */
		k.pfc_rx_pause_us[i] = v[LB_EMU_ASIC_C_PFC_RX_PAUSE_US(i)];
		k.pfc_tx_pause_us[i] = v[LB_EMU_ASIC_C_PFC_TX_PAUSE_US(i)];
	}
	k.pause_rx_us = v[LB_EMU_ASIC_C_PAUSE_RX_US]; /* 802.3x */
	k.pause_tx_us = v[LB_EMU_ASIC_C_PAUSE_TX_US];
	emu_drv_sized_out(c, &k, sizeof(k));
	return LB_OK;
}

static int drv_port_counters_clear(void *priv, uint32_t port)
{
	struct emu_asic_drv *d = priv;
	int rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CNT_CTRL), LB_EMU_ASIC_CNT_CLEAR);
	return rc ? rc : emu_drv_synced(d);
}

/* ---- buffers ---- */

/* Run a table command and read its status back. */
static int table_command(struct emu_asic_drv *d, uint32_t cmd_addr, uint32_t cmd, const char *what,
			 uint32_t n)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_command(d, cmd_addr, cmd, &err)))
		return rc;
	if (err)
		return lb_driver_error(d->env, cmd_status(err), "%s %u: the chip refused it: %s (command status %u)",
				       what, n, cmd_error(err), err);
	return LB_OK;
}

/* A pool's or profile's EXISTS register: LB_OK when it exists, LB_E_NOTFOUND when not. */
static int entry_exists(struct emu_asic_drv *d, uint32_t addr)
{
	uint32_t exists;
	int rc = emu_drv_rd(d, addr, &exists);
	return rc ? rc : exists ? LB_OK : LB_E_NOTFOUND;
}

static int drv_pool_apply(void *priv, uint32_t n, const struct lb_buffer_pool_config *c, int create)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_TYPE), (uint32_t)c->type)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_MODE), (uint32_t)c->mode)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_SIZE), c->size_bytes)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_XOFF), c->xoff_bytes)))
		return rc;
	return table_command(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_COMMAND),
			     create ? LB_EMU_ASIC_CMD_CREATE : LB_EMU_ASIC_CMD_APPLY, "pool", n);
}

static int drv_pool_remove(void *priv, uint32_t n)
{
	return table_command(priv, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_COMMAND), LB_EMU_ASIC_CMD_REMOVE,
			     "pool", n);
}

static int drv_pool_get(void *priv, uint32_t n, struct lb_buffer_pool_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t type, mode;
	struct lb_buffer_pool_config c = { .size = sizeof(c) };
	uint32_t live = LB_EMU_ASIC_POOL_LIVE;
	int rc = n < LB_EMU_ASIC_POOLS ? entry_exists(d, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_EXISTS)) : LB_E_NOTFOUND;
	if (rc)
		return rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_POOL_REG(n, live + LB_EMU_ASIC_POOL_TYPE), &type)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_POOL_REG(n, live + LB_EMU_ASIC_POOL_MODE), &mode)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_POOL_REG(n, live + LB_EMU_ASIC_POOL_SIZE), &c.size_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_POOL_REG(n, live + LB_EMU_ASIC_POOL_XOFF), &c.xoff_bytes)))
		return rc;
	c.type = (enum lb_buffer_pool_type)type;
	c.mode = (enum lb_buffer_threshold_mode)mode;
	emu_drv_sized_out(cfg, &c, sizeof(c));
	return LB_OK;
}

static int drv_profile_apply(void *priv, uint32_t n, const struct lb_buffer_profile_config *c, int create)
{
	struct emu_asic_drv *d = priv;
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_POOL), c->pool)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_MODE), (uint32_t)c->mode)) ||
	    (rc = emu_drv_wr(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_DYN_TH), (uint32_t)c->dynamic_th)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_RESERVED), c->reserved_bytes)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_STATIC_TH), c->static_th_bytes)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_XOFF), c->xoff_bytes)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_XON), c->xon_bytes)) ||
	    (rc = emu_drv_wr64(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_XON_OFFSET), c->xon_offset_bytes)))
		return rc;
	return table_command(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_COMMAND),
			     create ? LB_EMU_ASIC_CMD_CREATE : LB_EMU_ASIC_CMD_APPLY, "profile", n);
}

static int drv_profile_remove(void *priv, uint32_t n)
{
	return table_command(priv, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_COMMAND), LB_EMU_ASIC_CMD_REMOVE,
			     "profile", n);
}

static int drv_profile_get(void *priv, uint32_t n, struct lb_buffer_profile_config *cfg)
{
	struct emu_asic_drv *d = priv;
	uint32_t mode, th;
	struct lb_buffer_profile_config c = { .size = sizeof(c) };
	uint32_t live = LB_EMU_ASIC_PROF_LIVE;
	int rc = n < LB_EMU_ASIC_PROFILES ? entry_exists(d, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_EXISTS))
					  : LB_E_NOTFOUND;
	if (rc)
		return rc;
	if ((rc = emu_drv_rd(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_POOL), &c.pool)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_MODE), &mode)) ||
	    (rc = emu_drv_rd(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_DYN_TH), &th)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_RESERVED), &c.reserved_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_STATIC_TH), &c.static_th_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_XOFF), &c.xoff_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_XON), &c.xon_bytes)) ||
	    (rc = emu_drv_rd64(d, LB_EMU_ASIC_PROFILE_REG(n, live + LB_EMU_ASIC_PROF_XON_OFFSET), &c.xon_offset_bytes)))
		return rc;
	c.mode = (enum lb_buffer_threshold_mode)mode;
	c.dynamic_th = (int32_t)th;
	emu_drv_sized_out(cfg, &c, sizeof(c));
	return LB_OK;
}

static int bind(struct emu_asic_drv *d, uint32_t port, uint32_t reg, uint32_t profile)
{
	uint32_t err;
	int rc;
	if ((rc = emu_drv_wr(d, LB_EMU_ASIC_PORT_REG(port, reg), profile == LB_BUFFER_NO_PROFILE ? 0 : profile + 1)) ||
	    (rc = emu_drv_status(d, LB_EMU_ASIC_PORT_REG(port, LB_EMU_ASIC_P_CMD_STATUS), &err)))
		return rc;
	if (err)
		return lb_driver_error(d->env, cmd_status(err), "asic port %u: the chip refused the binding: %s "
				       "(command status %u)", port, cmd_error(err), err);
	return LB_OK;
}

static int binding(struct emu_asic_drv *d, uint32_t port, uint32_t reg, uint32_t *profile)
{
	uint32_t v;
	int rc = emu_drv_rd(d, LB_EMU_ASIC_PORT_REG(port, reg), &v);
	if (rc == LB_OK)
		*profile = v ? v - 1 : LB_BUFFER_NO_PROFILE;
	return rc;
}

static int drv_pg_bind(void *priv, uint32_t port, uint32_t pg, uint32_t profile)
{
	return pg < LB_EMU_ASIC_PORT_PGS ? bind(priv, port, LB_EMU_ASIC_P_PG(pg), profile) : LB_E_RANGE;
}

static int drv_pg_get(void *priv, uint32_t port, uint32_t pg, uint32_t *profile)
{
	return pg < LB_EMU_ASIC_PORT_PGS ? binding(priv, port, LB_EMU_ASIC_P_PG(pg), profile) : LB_E_RANGE;
}

static int drv_queue_bind(void *priv, uint32_t port, uint32_t q, uint32_t profile)
{
	return q < LB_EMU_ASIC_PORT_QUEUES ? bind(priv, port, LB_EMU_ASIC_P_QUEUE(q), profile) : LB_E_RANGE;
}

static int drv_queue_get(void *priv, uint32_t port, uint32_t q, uint32_t *profile)
{
	return q < LB_EMU_ASIC_PORT_QUEUES ? binding(priv, port, LB_EMU_ASIC_P_QUEUE(q), profile) : LB_E_RANGE;
}

const struct lb_asic_ops lb_emulated_asic_ops = {
	.size = sizeof(struct lb_asic_ops),
	.priv_size = sizeof(struct emu_asic_drv),
	.open = drv_open,
	.close = drv_close,
	.get_caps = drv_get_caps,
	.port_apply = drv_port_apply,
	.port_remove = drv_port_remove,
	.port_get = drv_port_get,
	.port_status = drv_port_status,
	.port_counters = drv_port_counters,
	.port_counters_clear = drv_port_counters_clear,
	.pool_apply = drv_pool_apply,
	.pool_remove = drv_pool_remove,
	.pool_get = drv_pool_get,
	.profile_apply = drv_profile_apply,
	.profile_remove = drv_profile_remove,
	.profile_get = drv_profile_get,
	.pg_bind = drv_pg_bind,
	.pg_get = drv_pg_get,
	.queue_bind = drv_queue_bind,
	.queue_get = drv_queue_get,
	/* HyperPorts (emulated_hyperport.c) */
	.hyperport_create = emu_drv_hyperport_create,
	.hyperport_remove = emu_drv_hyperport_remove,
	.hyperport_get = emu_drv_hyperport_get,
	.hyperport_status = emu_drv_hyperport_status,
	/* MACsec (emulated_macsec.c) */
	.macsec_secy_apply = emu_asic_macsec_secy_apply,
	.macsec_sc_apply = emu_asic_macsec_sc_apply,
	.macsec_sa_install = emu_asic_macsec_sa_install,
	.macsec_sa_retire = emu_asic_macsec_sa_retire,
	.macsec_tx_sa_activate = emu_asic_macsec_tx_activate,
	.macsec_read = emu_asic_macsec_read,
	.macsec_get = emu_asic_macsec_get,
	/* QoS and watermarks (the traffic feature, emulated_qos.c) */
	.qos_scheduler_apply = emu_qos_scheduler_apply,
	.qos_scheduler_get = emu_qos_scheduler_get,
	.qos_maps_apply = emu_qos_maps_apply,
	.qos_maps_get = emu_qos_maps_get,
	.watermarks_read = emu_qos_watermarks_read,
	.watermarks_clear = emu_qos_watermarks_clear,
	.pool_watermark_read = emu_qos_pool_watermark_read,
	.pool_watermarks_clear = emu_qos_pool_watermarks_clear,
	/* Congestion control (emulated_congestion.c) */
	.ecn_apply = emu_cc_ecn_apply,
	.ecn_get = emu_cc_ecn_get,
	.ecn_counters = emu_cc_ecn_counters,
	.pfcwd_apply = emu_cc_pfcwd_apply,
	.pfcwd_get = emu_cc_pfcwd_get,
	.pfcwd_status = emu_cc_pfcwd_status,
	/* Cages (emulated_cages.c) */
	.cage_attach = emu_drv_cage_attach,
	/* VOQ system ports (emulated_voq.c) */
	.voq_switch_apply = emu_voq_switch_apply,
	.voq_switch_get = emu_voq_switch_get,
	.system_port_slots = emu_voq_slots,
	.system_port_create = emu_voq_port_create,
	.system_port_remove = emu_voq_port_remove,
	.system_port_get = emu_voq_port_get,
	/* Chip health (the fault feature, emulated_io.c) */
	.chip_check = emu_drv_chip_check,
};

const struct lb_driver lb_asic_driver_emulated = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_ASIC,
	.kind_abi = LB_ASIC_ABI,
	.name = "emulated",
	.version = "1",
	.ops.asic = &lb_emulated_asic_ops,
};
