/* SPDX-License-Identifier: MIT */
/*
 * Firmware download of a 1 MiB image to the emulated module (virtual time, measured, not
 * guessed): the emulator charges every transaction its wire time, the bus counts transactions
 * and bytes, and the module counts its own CDB processing time and the time the host left a
 * finished command unseen (lb_emu_module_get_cdb_stats). Cases:
 *
 *   epl / lpl at 400 kHz and 1 MHz   one module (800g-dr8-osfp: 16 EPL pages, auto paging,
 *                                    background mode): Start, every block, Complete
 *   lpl_fg_400k                      one foreground module with 8-byte writes and no EPL
 *                                    (400g-fr4-qsfpdd, 400 kHz: all it advertises)
 *   switch_16x4                      16 modules on 4 buses at 1 MHz, one worker thread per
 *                                    bus stepping its 4 modules' upgrades (EPL)
 *
 * Per case: transactions, bytes on the wire, virtual time split into bus time, the module's
 * processing time and host idle time, and bus efficiency: the image's bytes as a percentage
 * of what the bus could have carried in the bus time (9 clocks a byte). Host idle: for one
 * module, the time from each command's completion to the host's next look at the module
 * with the bus free (the module measures it); in the switch case, where a finished module
 * waits while its bus serves the others, the time each bus carried nothing (an upper bound of
 * the time its worker waited with work to do). Goals
 * (docs/performance.md): EPL efficiency >= 90 %, LPL >= 65 %, host idle <= 3 % of the total
 * in every case; switch: total virtual time <= 1.1 x the busiest bus's own bus time.
 *
 *   bench_firmware [--json]     human table, or one JSON object per case per line
 *
 * Exit status 1 when a goal is missed. Public API only.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/lightbridge.h>
#include "bench_args.h"

#define IMAGE_BYTES (1u << 20)
#define BUSES 4
#define PER_BUS 4

struct result {
	char name[32];
	const char *method;
	uint32_t khz;
	unsigned modules;
	uint64_t transactions, bytes, payload;
	uint64_t bus_ns, module_ns, idle_ns, total_ns;
	uint64_t elapsed_ns;     /* the time idle_ns is a share of: total_ns, or every bus's summed */
	uint64_t unseen_ns;      /* switch: finished commands left unseen, summed over modules */
	uint64_t busiest_bus_ns; /* switch case: the busiest bus's own bus time */
};

struct rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *world;
	struct lb_emu_segment *seg[BUSES];
	struct lb_bus *bus[BUSES];
	struct lb_emu_module *emu[BUSES][PER_BUS];
	struct lb_module *m[BUSES][PER_BUS];
	unsigned buses, per_bus;
};

static void rig_down(struct rig *r)
{
	for (unsigned b = 0; b < r->buses; b++) {
		for (unsigned k = 0; k < r->per_bus; k++)
			lb_module_close(r->m[b][k]);
		lb_bus_close(r->bus[b]);
	}
	lb_emu_world_destroy(r->world);
	lb_ctx_destroy(r->ctx);
}

/* buses x per_bus modules of profile at khz, several per bus behind a mux. */
static int rig_up(struct rig *r, const char *profile, unsigned buses, unsigned per_bus, uint32_t khz)
{
	char path[1024], err[256] = "";
	const char *dd = getenv("LB_DATADIR");
	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", dd && *dd ? dd : LB_SOURCE_DIR,
		 profile);
	int rc;
	if ((rc = lb_ctx_create(&r->ctx)) || (rc = lb_emu_register_drivers(r->ctx)) ||
	    (rc = lb_emu_world_create(&r->world)))
		goto fail;
	for (unsigned b = 0; b < buses; b++) {
		if ((rc = lb_emu_segment_create(r->world, khz, &r->seg[b])) ||
		    (per_bus > 1 && (rc = lb_emu_segment_add_mux(r->seg[b], 0x70))) ||
		    (rc = lb_bus_open(r->ctx, "emulator", NULL, r->seg[b], &r->bus[b])))
			goto fail;
		r->buses++;
		for (unsigned k = 0; k < per_bus; k++) {
			struct lb_module_addr a = { .addr = 0x50, .mux_channel = -1 };
			if (per_bus > 1)
				a = (struct lb_module_addr){ .addr = 0x50, .mux_addr = 0x70,
							     .mux_channel = (int)k };
			if ((rc = lb_emu_module_create(r->world, path, &r->emu[b][k], err, sizeof(err))) ||
			    (rc = lb_emu_segment_attach(r->seg[b], per_bus > 1 ? (int)k : -1, 0x50,
							r->emu[b][k])) ||
			    (rc = lb_module_open(r->bus[b], &a, &r->m[b][k])))
				goto fail;
		}
		r->per_bus = per_bus;
	}
	return LB_OK;
fail:
	fprintf(stderr, "bench_firmware: %s: %s%s%s\n", path, lb_strerror(rc), err[0] ? ": " : "", err);
	return rc;
}

struct worker {
	struct rig *r;
	unsigned b;
	const uint8_t *img;
	size_t len;
	enum lb_fw_method method;
	int rc;
	char err[256];
};

/* One bus: step every module's upgrade when it is due, sleep the bus clock to the next. */
static void *bus_worker(void *arg)
{
	struct worker *w = arg;
	struct rig *r = w->r;
	struct lb_fw_upgrade *up[PER_BUS] = { 0 };
	uint64_t wake[PER_BUS] = { 0 };
	bool done[PER_BUS] = { false };
	unsigned left = r->per_bus;
	struct lb_fw_upgrade_config c = LB_SIZED_INIT(struct lb_fw_upgrade_config);
	c.image = w->img;
	c.len = w->len;
	c.method = w->method;
	for (unsigned k = 0; k < r->per_bus && !w->rc; k++)
		w->rc = lb_fw_upgrade_start(r->m[w->b][k], &c, NULL, &up[k]);
	while (left && !w->rc) {
		uint64_t now = lb_bus_now_ns(r->bus[w->b]), next = UINT64_MAX;
		for (unsigned k = 0; k < r->per_bus; k++) {
			if (done[k])
				continue;
			if (wake[k] <= now) {
				int rc = lb_fw_upgrade_step(up[k], &wake[k]);
				if (rc != LB_E_AGAIN) {
					done[k] = true;
					left--;
					if (rc) {
						snprintf(w->err, sizeof(w->err), "%s",
							 lb_module_last_error(r->m[w->b][k]));
						w->rc = rc;
					}
					continue;
				}
				now = lb_bus_now_ns(r->bus[w->b]);
			}
			if (wake[k] < next)
				next = wake[k];
		}
		if (left && next > now && next != UINT64_MAX)
			lb_bus_sleep_ns(r->bus[w->b], next - now);
	}
	for (unsigned k = 0; k < r->per_bus; k++)
		lb_fw_upgrade_free(up[k]);
	return NULL;
}

static int run_case(const char *profile, unsigned buses, unsigned per_bus, uint32_t khz,
		    enum lb_fw_method method, const uint8_t *img, size_t len, struct result *out)
{
	struct rig r;
	int rc = rig_up(&r, profile, buses, per_bus, khz);
	if (rc)
		return rc;
	uint64_t t0[BUSES];
	for (unsigned b = 0; b < buses; b++) {
		/* the advertisement is read once per insertion, before any upgrade */
		for (unsigned k = 0; k < per_bus && !rc; k++) {
			struct lb_cdb_caps caps = LB_SIZED_INIT(struct lb_cdb_caps);
			rc = lb_module_cdb_caps(r.m[b][k], &caps);
			lb_emu_module_reset_cdb_stats(r.emu[b][k]);
		}
		lb_bus_reset_stats(r.bus[b]);
		t0[b] = lb_bus_now_ns(r.bus[b]);
	}
	pthread_t th[BUSES];
	struct worker w[BUSES];
	for (unsigned b = 0; b < buses && !rc; b++) {
		w[b] = (struct worker){ .r = &r, .b = b, .img = img, .len = len, .method = method };
		if (pthread_create(&th[b], NULL, bus_worker, &w[b]))
			rc = LB_E_NOMEM;
	}
	for (unsigned b = 0; b < buses && !rc; b++) {
		pthread_join(th[b], NULL);
		if (w[b].rc && !rc) {
			rc = w[b].rc;
			fprintf(stderr, "bench_firmware: upgrade: %s: %s\n", lb_strerror(rc), w[b].err);
		}
	}
	out->khz = khz;
	out->modules = buses * per_bus;
	out->method = method == LB_FW_METHOD_EPL ? "EPL 0104h" : "LPL 0103h";
	for (unsigned b = 0; b < buses && !rc; b++) {
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		lb_bus_get_stats(r.bus[b], &s);
		out->transactions += s.transactions;
		out->bytes += s.bytes;
		out->bus_ns += s.bus_time_ns;
		if (s.bus_time_ns > out->busiest_bus_ns)
			out->busiest_bus_ns = s.bus_time_ns;
		uint64_t took = lb_bus_now_ns(r.bus[b]) - t0[b];
		if (took > out->total_ns)
			out->total_ns = took;
		for (unsigned k = 0; k < per_bus; k++) {
			struct lb_emu_cdb_stats cs = LB_SIZED_INIT(struct lb_emu_cdb_stats);
			if ((rc = lb_emu_module_get_cdb_stats(r.emu[b][k], &cs)))
				break;
			out->module_ns += cs.busy_ns;
			out->unseen_ns += cs.idle_ns;
			out->payload += len;
		}
		if (buses * per_bus > 1) {
			out->idle_ns += took > s.bus_time_ns ? took - s.bus_time_ns : 0;
			out->elapsed_ns += took;
		}
	}
	if (buses * per_bus == 1) {
		out->idle_ns = out->unseen_ns;
		out->elapsed_ns = out->total_ns;
	}
	rig_down(&r);
	return rc;
}

/* Payload as a percentage of what the bus carries in its time: a byte is 9 clocks. */
static double efficiency(const struct result *x)
{
	double capacity = (double)x->bus_ns * x->khz / 1e6 / 9.0;
	return capacity > 0 ? 100.0 * (double)x->payload / capacity : 0;
}

static double idle_pct(const struct result *x)
{
	return x->elapsed_ns ? 100.0 * (double)x->idle_ns / (double)x->elapsed_ns : 0;
}

static void print_json(const struct result *x)
{
	printf("{\"case\":\"%s\",\"method\":\"%s\",\"clock_khz\":%u,\"modules\":%u,"
	       "\"transactions\":%llu,\"bytes\":%llu,\"payload_bytes\":%llu,\"bus_time_ms\":%.3f,"
	       "\"module_time_ms\":%.3f,\"host_idle_ms\":%.3f,\"total_time_ms\":%.3f,"
	       "\"bus_efficiency_pct\":%.2f,\"host_idle_pct\":%.3f,\"busiest_bus_ms\":%.3f,"
	       "\"unseen_ms\":%.3f}\n",
	       x->name, x->method, x->khz, x->modules, (unsigned long long)x->transactions,
	       (unsigned long long)x->bytes, (unsigned long long)x->payload, (double)x->bus_ns / 1e6,
	       (double)x->module_ns / 1e6, (double)x->idle_ns / 1e6, (double)x->total_ns / 1e6,
	       efficiency(x), idle_pct(x), (double)x->busiest_bus_ns / 1e6, (double)x->unseen_ns / 1e6);
}

static void print_row(const struct result *x)
{
	printf("%-12s %-9s %5u %7llu %8llu %9.1f %9.1f %8.1f %9.1f %6.2f %6.3f\n", x->name, x->method,
	       x->khz, (unsigned long long)x->transactions, (unsigned long long)x->bytes,
	       (double)x->bus_ns / 1e6, (double)x->module_ns / 1e6, (double)x->idle_ns / 1e6,
	       (double)x->total_ns / 1e6, efficiency(x), idle_pct(x));
	if (x->modules > 1)
		printf("%-12s %u modules: %.1f ms in all, the busiest bus's share %.1f ms: %.3f x\n", "",
		       x->modules, (double)x->total_ns / 1e6, (double)x->busiest_bus_ns / 1e6,
		       x->busiest_bus_ns ? (double)x->total_ns / (double)x->busiest_bus_ns : 0);
}

static int check_goals(const struct result *x, bool epl, bool sw)
{
	int missed = 0;
	double eff = efficiency(x), need = epl ? 90.0 : 65.0;
	if (eff < need) {
		fprintf(stderr, "goal missed: %s: bus efficiency %.2f %% (at least %.0f %%)\n", x->name,
			eff, need);
		missed++;
	}
	if (idle_pct(x) > 3.0) {
		fprintf(stderr, "goal missed: %s: host idle %.3f %% of the total (at most 3 %%)\n",
			x->name, idle_pct(x));
		missed++;
	}
	if (sw && (double)x->total_ns > 1.1 * (double)x->busiest_bus_ns) {
		fprintf(stderr, "goal missed: %s: %.1f ms in all, the busiest bus's share %.1f ms "
				"(at most 1.1 x)\n",
			x->name, (double)x->total_ns / 1e6, (double)x->busiest_bus_ns / 1e6);
		missed++;
	}
	return missed;
}

int main(int argc, char **argv)
{
	bool json;
	int exit_code = bench_json_only_args(argc, argv, "bench_firmware", &json);
	if (exit_code >= 0)
		return exit_code;
	uint8_t *img;
	size_t len;
	if (lb_emu_firmware_image(9, 1, 3, IMAGE_BYTES, 2026, &img, &len)) {
		fprintf(stderr, "bench_firmware: no image\n");
		return 1;
	}
	static const char dr8[] = "800g-dr8-osfp", fr4[] = "400g-fr4-qsfpdd";
	static const struct {
		const char *name, *profile;
		uint32_t khz;
		enum lb_fw_method method;
		unsigned buses, per_bus;
	} cases[] = {
		{ "epl_400k", dr8, 400, LB_FW_METHOD_EPL, 1, 1 },
		{ "epl_1m", dr8, 1000, LB_FW_METHOD_EPL, 1, 1 },
		{ "lpl_400k", dr8, 400, LB_FW_METHOD_LPL, 1, 1 },
		{ "lpl_1m", dr8, 1000, LB_FW_METHOD_LPL, 1, 1 },
		{ "lpl_fg_400k", fr4, 400, LB_FW_METHOD_LPL, 1, 1 },
		{ "switch_16x4", dr8, 1000, LB_FW_METHOD_EPL, BUSES, PER_BUS },
	};
	if (!json)
		printf("%-12s %-9s %5s %7s %8s %9s %9s %8s %9s %6s %6s\n", "case", "method", "kHz",
		       "xfers", "bytes", "bus ms", "module ms", "idle ms", "total ms", "eff %",
		       "idle %");
	int missed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result x = { 0 };
		snprintf(x.name, sizeof(x.name), "%s", cases[i].name);
		if (run_case(cases[i].profile, cases[i].buses, cases[i].per_bus, cases[i].khz,
			     cases[i].method, img, len, &x)) {
			free(img);
			return 1;
		}
		if (json)
			print_json(&x);
		else
			print_row(&x);
		missed += check_goals(&x, cases[i].method == LB_FW_METHOD_EPL, cases[i].buses > 1);
	}
	free(img);
	return missed ? 1 : 0;
}
