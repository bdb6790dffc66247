/* SPDX-License-Identifier: MIT */
/*
 * Bus cost of a coherent telemetry snapshot (lb_telemetry_read: module and lane monitors with
 * their flags, laser, VDM samples and flags, coherent flags, FEC and link PMs) on the emulated
 * 800G coherent module at 400 kHz and 1 MHz, next to the least that must cross the wire for
 * the same values: every page the values live on read once, over the span from its first to
 * its last reported byte, after a 1-byte PageSelect, and no select for the page the previous
 * snapshot left selected (docs/performance.md, "Coherent telemetry snapshot", justifies it).
 * The module runs its data path and a telemetry source feeds it, so every value is live.
 * Public API only.
 *
 *   bench_telemetry [--json]     human table, or one JSON object per case per line
 *
 * Exit status 1 when a goal is missed: at most the minimal transactions + 2, and at most
 * 1.1 x the minimal bus time.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/i2c.h>
#include <lightbridge/lightbridge.h>
#include "bench_args.h"

struct rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *world;
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu;
	struct lb_bus *bus;
	struct lb_module *m;
};

/* A healthy 800ZR link, as a link model would give it. */
static int healthy(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	(void)user, (void)t_ns;
	tm->osnr_db[0] = 31.5;
	tm->esnr_db[0] = 16.2;
	tm->pre_fec_ber[0] = 1.1e-3;
	tm->post_fec_ber[0] = 0;
	tm->cd_ps_nm[0] = 850;
	tm->dgd_ps[0] = 2.5;
	tm->pdl_db[0] = 0.6;
	tm->cfo_mhz[0] = -120;
	return LB_OK;
}

static int rig_up(struct rig *r, const char *profile, uint32_t khz)
{
	char path[1024], err[256] = "";
	const char *dd = getenv("LB_DATADIR");
	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", dd && *dd ? dd : LB_SOURCE_DIR,
		 profile);
	static const struct lb_emu_telemetry_ops source = {
		.size = sizeof(source), .sample = healthy, .interval_ns = 100000000ull,
	};
	int rc;
	if ((rc = lb_ctx_create(&r->ctx)) || (rc = lb_emu_register_drivers(r->ctx)) ||
	    (rc = lb_emu_world_create(&r->world)) ||
	    (rc = lb_emu_segment_create(r->world, khz, &r->seg)) ||
	    (rc = lb_emu_module_create(r->world, path, &r->emu, err, sizeof(err))) ||
	    (rc = lb_emu_segment_attach(r->seg, -1, 0x50, r->emu)) ||
	    (rc = lb_bus_open(r->ctx, "emulator", NULL, r->seg, &r->bus)) ||
	    (rc = lb_module_open(r->bus, NULL, &r->m)) ||
	    (rc = lb_module_bring_up(r->m, 0, 0, NULL)) ||
	    (rc = lb_emu_module_set_telemetry_source(r->emu, &source, NULL))) {
		fprintf(stderr, "bench_telemetry: %s: %s%s%s\n", profile, lb_strerror(rc),
			err[0] ? ": " : "", err);
		return rc;
	}
	return LB_OK;
}

static void rig_down(struct rig *r)
{
	lb_module_close(r->m);
	lb_bus_close(r->bus);
	lb_emu_world_destroy(r->world);
	lb_ctx_destroy(r->ctx);
}

/* The least that must cross the wire for one snapshot. */
struct minimal {
	unsigned transactions, selects, bytes;
	uint64_t clocks;
};

static void min_read(struct minimal *x, unsigned n)
{
	uint8_t off = 0;
	struct lb_i2c_msg msgs[2] = { { 0x50, 0, 1, &off }, { 0x50, LB_I2C_M_RD, (uint16_t)n, NULL } };
	x->transactions++;
	x->bytes += n;
	x->clocks += lb_i2c_wire_clocks(msgs, 2);
}

static void min_select(struct minimal *x)
{
	uint8_t sel[2] = { 127, 0 };
	struct lb_i2c_msg msg = { 0x50, 0, 2, sel };
	x->transactions++;
	x->selects++;
	x->bytes += 1;
	x->clocks += lb_i2c_wire_clocks(&msg, 1);
}

/*
 * The snapshot's values of this module and where they live (CMIS byte addresses): lower 8-17
 * (module flags, temperature, Vcc), 11h 135-187 (lane 1's flags and monitors: one media lane),
 * 12h 168-222 (lane 1's frequency, target power, tuning status), 24h (the samples of the VDM
 * instances in use), 2Ch (their flags, 4 bits each), 33h 128 (lane 1's coherent flags), 34h
 * 128-187 (FEC PM), 35h 128-211 (link PM, CD to MER). Seven pages: seven reads and six selects
 * (the seventh page is still selected from the snapshot before), plus lower memory's read.
 */
static int minimal_of(struct lb_module *m, struct minimal *x)
{
	struct lb_vdm *v = calloc(1, sizeof(*v));
	if (!v)
		return LB_E_NOMEM;
	v->size = sizeof(*v);
	int rc = lb_vdm_read(m, 0, 0, v);
	unsigned last = 0;
	for (unsigned i = 0; !rc && i < v->count; i++)
		if (v->inst[i].group == 1 && v->inst[i].index + 1u > last)
			last = v->inst[i].index + 1u;
	free(v);
	if (rc)
		return rc;
	memset(x, 0, sizeof(*x));
	static const unsigned spans[] = { 187 - 135 + 1, 222 - 168 + 1, 0, 0, 1, 60, 84 };
	min_read(x, 17 - 8 + 1);
	for (size_t p = 0; p < sizeof(spans) / sizeof(spans[0]); p++) {
		unsigned n = p == 2 ? 2 * last : p == 3 ? (last + 1) / 2 : spans[p];
		if (p)
			min_select(x);
		min_read(x, n);
	}
	return LB_OK;
}

struct result {
	uint32_t khz;
	unsigned values;
	struct lb_bus_stats s;
	struct minimal min;
	uint64_t min_ns;
};

static int run(uint32_t khz, struct result *res)
{
	struct rig r;
	int rc = rig_up(&r, "coherent-800g-qsfpdd", khz);
	if (rc)
		return rc;
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	if (!t) {
		rig_down(&r);
		return LB_E_NOMEM;
	}
	t->size = sizeof(*t);
	memset(res, 0, sizeof(*res));
	res->khz = khz;
	/* warm: descriptors and advertisement read once per insertion, as a poller has them */
	if (!(rc = lb_telemetry_read(r.m, NULL, t)) && !(rc = minimal_of(r.m, &res->min)) &&
	    !(rc = lb_telemetry_read(r.m, NULL, t))) {
		lb_bus_sleep_ns(r.bus, 1000000000ull); /* a second later, as a poll would come */
		lb_bus_reset_stats(r.bus);
		rc = lb_telemetry_read(r.m, NULL, t);
		res->s = (struct lb_bus_stats)LB_BUS_STATS_INIT;
		lb_bus_get_stats(r.bus, &res->s);
		res->values = t->count;
	}
	res->min_ns = lb_i2c_clocks_to_ns(res->min.clocks, khz);
	free(t);
	rig_down(&r);
	if (rc)
		fprintf(stderr, "bench_telemetry: %u kHz: %s\n", khz, lb_strerror(rc));
	return rc;
}

static int check(const struct result *x)
{
	int missed = 0;
	if (x->s.transactions > x->min.transactions + 2u) {
		fprintf(stderr, "goal missed: %u kHz snapshot: %llu transactions, minimum %u\n", x->khz,
			(unsigned long long)x->s.transactions, x->min.transactions);
		missed++;
	}
	if ((double)x->s.bus_time_ns > 1.1 * (double)x->min_ns) {
		fprintf(stderr, "goal missed: %u kHz snapshot: %.1f us on the bus, minimum %.1f us\n",
			x->khz, (double)x->s.bus_time_ns / 1e3, (double)x->min_ns / 1e3);
		missed++;
	}
	return missed;
}

int main(int argc, char **argv)
{
	bool json;
	int exit_code = bench_json_only_args(argc, argv, "bench_telemetry", &json);
	if (exit_code >= 0)
		return exit_code;
	static const uint32_t clocks[] = { 400, 1000 };
	if (!json)
		printf("%-5s %6s %6s %5s %7s %6s %6s %5s %7s %10s %10s %6s\n", "kHz", "values", "xfers",
		       "min", "selects", "min", "bytes", "min", "maxrd", "bus us", "min us", "ratio");
	int missed = 0;
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		struct result x;
		if (run(clocks[i], &x))
			return 1;
		double ratio = x.min_ns ? (double)x.s.bus_time_ns / (double)x.min_ns : 0;
		if (json)
			printf("{\"case\":\"telemetry_snapshot\",\"profile\":\"coherent-800g-qsfpdd\","
			       "\"clock_khz\":%u,\"values\":%u,\"transactions\":%llu,"
			       "\"min_transactions\":%u,\"select_writes\":%llu,\"min_select_writes\":%u,"
			       "\"bytes\":%llu,\"min_bytes\":%u,\"max_read_len\":%llu,"
			       "\"bus_time_us\":%.1f,\"min_bus_time_us\":%.1f,\"ratio\":%.3f}\n",
			       x.khz, x.values, (unsigned long long)x.s.transactions, x.min.transactions,
			       (unsigned long long)x.s.select_writes, x.min.selects,
			       (unsigned long long)x.s.bytes, x.min.bytes,
			       (unsigned long long)x.s.max_read_len, (double)x.s.bus_time_ns / 1e3,
			       (double)x.min_ns / 1e3, ratio);
		else
			printf("%-5u %6u %6llu %5u %7llu %6u %6llu %5u %7llu %10.1f %10.1f %6.3f\n", x.khz,
			       x.values, (unsigned long long)x.s.transactions, x.min.transactions,
			       (unsigned long long)x.s.select_writes, x.min.selects,
			       (unsigned long long)x.s.bytes, x.min.bytes,
			       (unsigned long long)x.s.max_read_len, (double)x.s.bus_time_ns / 1e3,
			       (double)x.min_ns / 1e3, ratio);
		missed += check(&x);
	}
	return missed ? 1 : 0;
}
