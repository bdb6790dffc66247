/* SPDX-License-Identifier: MIT */
/*
 * An out-of-tree router-ASIC driver: a toy chip of 16 lanes of 100G that holds its port table
 * in memory. It shows what an ASIC plugin needs: the ops table (struct lb_asic_ops, the
 * required ops only: no buffers), the private state the core allocates, the capabilities, the
 * versions the core checks, and the entry point lightbridge looks for when it loads a plugin.
 * The core validates every change against the capabilities before it reaches the driver
 * (lightbridge/asic.h), so the ops program what they are given.
 *
 * Build it against an installed lightbridge (Makefile: pkg-config lightbridge), load it with
 * lb_ctx_load_plugin_dir, open it with lb_switch_open(ctx, "toy", "{\"ports\": 2}", NULL, &sw).
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/driver.h>

#define TOY_LANES 16u
#define TOY_PORTS 16u

struct toy {
	struct lb_asic_port_config port[TOY_PORTS];
	int exists[TOY_PORTS];
	struct lb_asic_port_counters counters[TOY_PORTS];
};

/* Copy what fits the caller's layout (the core hands its structs over with size set). */
#define FILL(out, full)                                                                  \
	do {                                                                             \
		size_t n_ = (out)->size < sizeof(full) ? (out)->size : sizeof(full);     \
		memcpy((out), &(full), n_);                                              \
		(out)->size = n_;                                                        \
	} while (0)

/* Options: {"ports": N}, N ports of 800G on 8 lanes each at power-on (0-2, default 2). */
static int toy_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	(void)handle;
	struct toy *t = priv;
	int64_t n = 2;
	int rc = lb_options_get_int(options, "ports", 0, 2, 2, &n);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	for (unsigned p = 0; p < (unsigned)n; p++) {
		struct lb_asic_port_config *c = &t->port[p];
		c->size = sizeof(*c);
		c->first_lane = 8 * p;
		c->lane_count = 8;
		c->speed_mbps = 800000;
		c->fec = LB_ASIC_FEC_RS544_2XN;
		c->mtu = LB_ASIC_PORT_DEFAULT_MTU;
		t->exists[p] = 1;
	}
	lb_driver_log(env, LB_LOG_INFO, "toy asic opened");
	return LB_OK;
}

static void toy_close(void *priv)
{
	(void)priv;
}

static int toy_get_caps(void *priv, struct lb_switch_caps *caps)
{
	(void)priv;
	struct lb_switch_caps c = { .size = sizeof(c) };
	snprintf(c.model, sizeof(c.model), "toy-16");
	c.type = LB_SWITCH_TYPE_NPU;
	c.max_ports = TOY_PORTS;
	c.lanes = TOY_LANES;
	c.lanes_per_group = 8;
	c.n_lane_speeds = 1;
	c.lane_speeds_mbps[0] = 100000;
	static const uint32_t speeds[] = { 100000, 200000, 400000, 800000 };
	c.n_speeds = 4;
	memcpy(c.speeds_mbps, speeds, sizeof(speeds));
	c.fec_modes = LB_ASIC_FEC_BIT(LB_ASIC_FEC_RS544) | LB_ASIC_FEC_BIT(LB_ASIC_FEC_RS544_2XN);
	c.capacity_mbps = 1600000;
	c.onchip_buffer_bytes = 16u << 20;
	c.cell_bytes = 256;
	c.queues_per_port = 8;
	c.pgs_per_port = 8;
	c.lossless_priorities = 2;
	c.max_mtu = 9216;
	FILL(caps, c);
	return LB_OK;
}

static int toy_port_apply(void *priv, uint32_t port, const struct lb_asic_port_config *cfg, int create)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS)
		return LB_E_RANGE;
	struct lb_asic_port_config c = { .size = sizeof(c) };
	memcpy(&c, cfg, cfg->size < sizeof(c) ? cfg->size : sizeof(c));
	c.size = sizeof(c);
	if (!create)
		c.first_lane = t->port[port].first_lane, c.lane_count = t->port[port].lane_count;
	t->port[port] = c;
	t->exists[port] = 1;
	return LB_OK;
}

static int toy_port_remove(void *priv, uint32_t port)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS || !t->exists[port])
		return LB_E_NOTFOUND;
	t->exists[port] = 0;
	memset(&t->counters[port], 0, sizeof(t->counters[port]));
	return LB_OK;
}

static int toy_port_get(void *priv, uint32_t port, struct lb_asic_port_config *cfg)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS || !t->exists[port])
		return LB_E_NOTFOUND;
	FILL(cfg, t->port[port]);
	return LB_OK;
}

/* No SerDes to listen to: a port is up when it is admin up. */
static int toy_port_status(void *priv, uint32_t port, struct lb_asic_port_status *st)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS || !t->exists[port])
		return LB_E_NOTFOUND;
	const struct lb_asic_port_config *c = &t->port[port];
	struct lb_asic_port_status s = { .size = sizeof(s) };
	s.oper = c->admin_up ? LB_ASIC_OPER_UP : LB_ASIC_OPER_DOWN;
	s.reason = c->admin_up ? LB_ASIC_DOWN_NONE : LB_ASIC_DOWN_ADMIN;
	s.oper_speed_mbps = c->admin_up ? c->speed_mbps : 0;
	s.oper_fec = c->admin_up ? c->fec : LB_ASIC_FEC_NONE;
	s.fec_max_symbol_errors = c->admin_up ? lb_asic_fec_max_symbol_errors(c->fec) : 0;
	FILL(st, s);
	return LB_OK;
}

static int toy_port_counters(void *priv, uint32_t port, struct lb_asic_port_counters *c, int clear)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS || !t->exists[port])
		return LB_E_NOTFOUND;
	struct lb_asic_port_counters k = t->counters[port];
	k.size = sizeof(k);
	FILL(c, k);
	if (clear)
		memset(&t->counters[port], 0, sizeof(t->counters[port]));
	return LB_OK;
}

static int toy_port_counters_clear(void *priv, uint32_t port)
{
	struct toy *t = priv;
	if (port >= TOY_PORTS || !t->exists[port])
		return LB_E_NOTFOUND;
	memset(&t->counters[port], 0, sizeof(t->counters[port]));
	return LB_OK;
}

static const struct lb_asic_ops toy_ops = {
	.size = sizeof(struct lb_asic_ops),
	.priv_size = sizeof(struct toy),
	.open = toy_open,
	.close = toy_close,
	.get_caps = toy_get_caps,
	.port_apply = toy_port_apply,
	.port_remove = toy_port_remove,
	.port_get = toy_port_get,
	.port_status = toy_port_status,
	.port_counters = toy_port_counters,
	.port_counters_clear = toy_port_counters_clear,
};

static const struct lb_driver toy_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_ASIC,
	.kind_abi = LB_ASIC_ABI,
	.name = "toy",
	.version = "1",
	.ops.asic = &toy_ops,
};

static const struct lb_driver *const toy_drivers[] = { &toy_driver, NULL };

__attribute__((visibility("default"))) const struct lb_driver *const *lb_driver_entry_list(void);
const struct lb_driver *const *lb_driver_entry_list(void)
{
	return toy_drivers;
}
