/* SPDX-License-Identifier: MIT */
/*
 * bench_asic: the emulated Jericho-class ASIC (jericho4-class: 64 ports of 800G at power-on)
 * through the "emulated" driver, on the public API:
 *
 *   apply_full_config   every one of the 64 ports configured whole (speed, FEC, admin up,
 *                       MTU, loopback, PFC on priorities 3 and 4: one lb_asic_port_set), an
 *                       ingress pool with a shared headroom pool and an egress pool, three
 *                       profiles (lossless and lossy ingress, egress), and each port's 8 PGs
 *                       and 8 queues bound: register accesses and wall time.
 *   read_counters       every counter of every port (lb_asic_port_counters_read): register
 *                       accesses and wall time.
 *
 * Goals (exit 1 when missed): the driver spends no access beyond what the register map asks
 * (docs/emulated-asic.md): per port change 5 configuration writes and the command's write and
 * status read; per binding its write and the status read; per counter read one latch write
 * and two 32-bit reads per 64-bit counter. Wall times are figures, not goals.
 *
 *   bench_asic [--json] [--rounds N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <lightbridge/lightbridge.h>

#define PORTS 64u
#define PER_PORT_SET 7u      /* 5 writes, the command, its status */
#define PER_BINDING 2u       /* the write, the status */
#define PER_POOL_OR_PROFILE_MAX 16u

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

struct rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_asic *asic;
	struct lb_switch *sw;
	struct lb_switch_caps caps;
};

static int rig_up(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	r->caps = (struct lb_switch_caps)LB_SWITCH_CAPS_INIT;
	int rc;
	if ((rc = lb_ctx_create(&r->ctx)) || (rc = lb_emu_register_drivers(r->ctx)) ||
	    (rc = lb_emu_world_create(&r->w)) || (rc = lb_emu_asic_create(r->w, "jericho4-class", &r->asic)) ||
	    (rc = lb_switch_open(r->ctx, "emulated", NULL, r->asic, &r->sw)) ||
	    (rc = lb_switch_get_caps(r->sw, &r->caps)))
		fprintf(stderr, "bench_asic: setting up: %s (%s)\n", lb_strerror(rc),
			r->ctx ? lb_ctx_last_error(r->ctx) : "");
	return rc;
}

static void rig_down(struct rig *r)
{
	lb_switch_close(r->sw);
	lb_emu_world_destroy(r->w);
	lb_ctx_destroy(r->ctx);
}

struct figures {
	uint64_t accesses;
	uint64_t goal_accesses;
	double wall_s;
	unsigned ops;
};

static int fail(struct rig *r, const char *what, int rc)
{
	fprintf(stderr, "bench_asic: %s: %s (%s)\n", what, lb_strerror(rc), lb_ctx_last_error(r->ctx));
	return rc;
}

/* The whole configuration of every port, the pools, the profiles and the bindings. */
static int apply_full_config(struct rig *r, struct figures *f)
{
	uint64_t a0 = lb_emu_asic_accesses(r->asic);
	double t0 = now_s();
	int rc;
	unsigned ops = 0;
	for (uint32_t p = 0; p < PORTS; p++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.speed_mbps = 800000;
		c.fec = LB_ASIC_FEC_RS544_2XN;
		c.admin_up = 1;
		c.mtu = 9100;
		c.loopback = LB_ASIC_LOOPBACK_NONE;
		c.pfc_mask = 0x18;
		if ((rc = lb_asic_port_set(r->sw, p, &c, LB_ASIC_PORT_SET_ALL)))
			return fail(r, "port set", rc);
		ops++;
	}
	uint64_t port_accesses = lb_emu_asic_accesses(r->asic) - a0;
	uint64_t b0 = lb_emu_asic_accesses(r->asic);
	struct lb_buffer_pool_config in = LB_BUFFER_POOL_CONFIG_INIT, out = LB_BUFFER_POOL_CONFIG_INIT;
	in.type = LB_BUFFER_POOL_INGRESS;
	in.size_bytes = 16ull << 30;
	in.xoff_bytes = 4ull << 30;
	out.type = LB_BUFFER_POOL_EGRESS;
	out.size_bytes = 16ull << 30;
	uint32_t pin, pout, lossless, lossy, egress;
	if ((rc = lb_buffer_pool_create(r->sw, &in, &pin)) || (rc = lb_buffer_pool_create(r->sw, &out, &pout)))
		return fail(r, "pool create", rc);
	struct lb_buffer_profile_config pr = LB_BUFFER_PROFILE_CONFIG_INIT;
	pr.pool = pin;
	pr.reserved_bytes = 18432;
	pr.xoff_bytes = 1ull << 20;
	pr.xon_bytes = 18432;
	if ((rc = lb_buffer_profile_create(r->sw, &pr, &lossless)))
		return fail(r, "lossless profile", rc);
	pr = (struct lb_buffer_profile_config)LB_BUFFER_PROFILE_CONFIG_INIT;
	pr.pool = pin;
	pr.dynamic_th = 0;
	if ((rc = lb_buffer_profile_create(r->sw, &pr, &lossy)))
		return fail(r, "lossy profile", rc);
	pr.pool = pout;
	pr.dynamic_th = 1;
	if ((rc = lb_buffer_profile_create(r->sw, &pr, &egress)))
		return fail(r, "egress profile", rc);
	ops += 5;
	uint64_t table_accesses = lb_emu_asic_accesses(r->asic) - b0;
	for (uint32_t p = 0; p < PORTS; p++) {
		for (uint32_t pg = 0; pg < r->caps.pgs_per_port; pg++, ops++)
			if ((rc = lb_asic_pg_set_profile(r->sw, p, pg, pg == 3 || pg == 4 ? lossless : lossy)))
				return fail(r, "PG binding", rc);
		for (uint32_t q = 0; q < r->caps.queues_per_port; q++, ops++)
			if ((rc = lb_asic_queue_set_profile(r->sw, p, q, egress)))
				return fail(r, "queue binding", rc);
	}
	f->wall_s = now_s() - t0;
	f->accesses = lb_emu_asic_accesses(r->asic) - a0;
	f->ops = ops;
	uint64_t bindings = (uint64_t)PORTS * (r->caps.pgs_per_port + r->caps.queues_per_port);
	f->goal_accesses = PORTS * PER_PORT_SET + bindings * PER_BINDING + table_accesses;
	if (port_accesses > PORTS * PER_PORT_SET || table_accesses > 5u * PER_POOL_OR_PROFILE_MAX)
		f->goal_accesses = 0; /* a part over its own share: missed */
	return LB_OK;
}

static int read_counters(struct rig *r, struct figures *f, unsigned rounds)
{
	uint64_t a0 = lb_emu_asic_accesses(r->asic);
	double t0 = now_s();
	unsigned ops = 0;
	for (unsigned k = 0; k < rounds; k++)
		for (uint32_t p = 0; p < PORTS; p++, ops++) {
			struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
			int rc = lb_asic_port_counters_read(r->sw, p, &c);
			if (rc)
				return fail(r, "counters", rc);
			if (c.fec_codewords < c.fec_corrected + c.fec_uncorrected) {
				fprintf(stderr, "bench_asic: port %u: counters inconsistent\n", p);
				return LB_E_STATE;
			}
		}
	f->wall_s = now_s() - t0;
	f->accesses = lb_emu_asic_accesses(r->asic) - a0;
	f->ops = ops;
	/* one latch write, then 2 reads per 64-bit counter of the set the driver reads */
	const unsigned counters = 13u + 2u * LB_ASIC_PRIORITIES + 4u + LB_ASIC_FEC_BINS +
				  2u * LB_ASIC_PRIORITIES /* V2: pause time per priority, rx and tx */ +
				  2u; /* V3: 802.3x PAUSE time, rx and tx */
	f->goal_accesses = (uint64_t)ops * (1u + 2u * counters);
	return LB_OK;
}

static void report(bool json, const char *name, const struct figures *f, unsigned units, const char *unit)
{
	bool ok = f->goal_accesses && f->accesses <= f->goal_accesses;
	if (json)
		printf("{\"case\": \"%s\", \"ports\": %u, \"operations\": %u, \"register_accesses\": %llu, "
		       "\"goal_register_accesses\": %llu, \"accesses_per_%s\": %.1f, \"wall_ms\": %.3f, "
		       "\"wall_us_per_%s\": %.3f, \"goal_met\": %s}\n",
		       name, PORTS, f->ops, (unsigned long long)f->accesses,
		       (unsigned long long)f->goal_accesses, unit, (double)f->accesses / units,
		       f->wall_s * 1e3, unit, f->wall_s * 1e6 / units, ok ? "true" : "false");
	else
		printf("%-18s %5u ops  %7llu register accesses (goal <= %llu, %.1f per %s)  "
		       "%.3f ms wall (%.2f us per %s)%s\n",
		       name, f->ops, (unsigned long long)f->accesses, (unsigned long long)f->goal_accesses,
		       (double)f->accesses / units, unit, f->wall_s * 1e3, f->wall_s * 1e6 / units, unit,
		       ok ? "" : "  GOAL MISSED");
}

int main(int argc, char **argv)
{
	bool json = false;
	unsigned rounds = 10;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
			rounds = (unsigned)strtoul(argv[++i], NULL, 10);
		else {
			fprintf(stderr, "usage: bench_asic [--json] [--rounds N]\n");
			return 2;
		}
	}
	if (!rounds)
		rounds = 1;
	struct rig r;
	if (rig_up(&r))
		return 1;
	struct figures cfg = { 0 }, cnt = { 0 };
	int rc = apply_full_config(&r, &cfg);
	if (rc == LB_OK)
		rc = read_counters(&r, &cnt, rounds);
	rig_down(&r);
	if (rc)
		return 1;
	report(json, "apply_full_config", &cfg, PORTS, "port");
	report(json, "read_counters", &cnt, cnt.ops, "read");
	bool ok = cfg.goal_accesses && cfg.accesses <= cfg.goal_accesses && cnt.accesses <= cnt.goal_accesses;
	return ok ? 0 : 1;
}
