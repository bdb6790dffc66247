/* SPDX-License-Identifier: MIT */
/*
 * Bus cost of the everyday module operations on the emulator, measured, not guessed: the
 * emulator charges every transaction its wire time to the virtual clock and the bus counts
 * transactions, bytes, select writes and read lengths. Cases: a full `show` (identity,
 * applications, lane status, monitors, thresholds) on a cold module, one monitor poll on a
 * warm one, and bring-up from low power to every lane activated next to the time the module
 * itself needs for those transitions. Public API only.
 *
 *   bench_bus [--json]     human table, or one JSON object per case per line
 *
 * Exit status 1 when a goal of docs/performance.md is missed.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

struct result {
	const char *name;
	const char *profile;
	uint32_t clock_khz;
	struct lb_bus_stats s;
	uint64_t module_ns, total_ns;
};

static int rig_up(struct rig *r, const char *profile, uint32_t khz)
{
	char path[1024], err[256] = "";
	const char *dd = getenv("LB_DATADIR");
	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", dd && *dd ? dd : LB_SOURCE_DIR,
		 profile);
	int rc;
	if ((rc = lb_ctx_create(&r->ctx)) || (rc = lb_emu_register_drivers(r->ctx)) ||
	    (rc = lb_emu_world_create(&r->world)) ||
	    (rc = lb_emu_segment_create(r->world, 400, &r->seg)) ||
	    (rc = lb_emu_module_create(r->world, path, &r->emu, err, sizeof(err))) ||
	    (rc = lb_emu_segment_attach(r->seg, -1, 0x50, r->emu)) ||
	    (rc = lb_emu_segment_set_clock_khz(r->seg, khz)) ||
	    (rc = lb_bus_open(r->ctx, "emulator", NULL, r->seg, &r->bus)) ||
	    (rc = lb_module_open(r->bus, NULL, &r->m))) {
		fprintf(stderr, "bench_bus: %s: %s%s%s\n", profile, lb_strerror(rc), err[0] ? ": " : "", err);
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

/* What `lbctl show` reads: identity, applications, lane status, monitors, thresholds. */
static int full_show(struct lb_module *m)
{
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	struct lb_app_list apps;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	struct lb_module_thresholds th = LB_MODULE_THRESHOLDS_INIT;
	int rc = lb_module_get_identity(m, &id);
	if (rc && rc != LB_E_CHECKSUM)
		return rc;
	if ((rc = lb_module_get_apps(m, &apps)) || (rc = lb_module_get_lane_status(m, &ls)) ||
	    (rc = lb_module_get_monitors(m, &mon)) || (rc = lb_module_get_thresholds(m, &th)))
		return rc;
	return LB_OK;
}

static void measure_begin(struct rig *r, uint64_t *t0)
{
	lb_bus_reset_stats(r->bus);
	*t0 = lb_emu_world_now_ns(r->world);
}

static void measure_end(struct rig *r, uint64_t t0, struct result *out)
{
	out->s = (struct lb_bus_stats)LB_BUS_STATS_INIT;
	lb_bus_get_stats(r->bus, &out->s);
	out->total_ns = lb_emu_world_now_ns(r->world) - t0;
}

static int run_profile(const char *profile, uint32_t khz, struct result res[3])
{
	struct rig r;
	uint64_t t0;
	int rc;

	/* show, cold: a module just plugged in */
	if ((rc = rig_up(&r, profile, khz)))
		return rc;
	res[0] = (struct result){ .name = "show", .profile = profile, .clock_khz = khz };
	measure_begin(&r, &t0);
	rc = full_show(r.m);
	measure_end(&r, t0, &res[0]);
	/* monitor poll, warm: what a NOS does every few seconds */
	res[1] = (struct result){ .name = "monitor_poll", .profile = profile, .clock_khz = khz };
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	if (!rc)
		rc = lb_module_get_monitors(r.m, &mon); /* one poll first, as a poller would have */
	if (!rc) {
		measure_begin(&r, &t0);
		rc = lb_module_get_monitors(r.m, &mon);
		measure_end(&r, t0, &res[1]);
	}
	rig_down(&r);
	if (rc) {
		fprintf(stderr, "bench_bus: %s: show/monitors: %s\n", profile, lb_strerror(rc));
		return rc;
	}

	/* bring-up from low power, cold */
	if ((rc = rig_up(&r, profile, khz)))
		return rc;
	res[2] = (struct result){ .name = "bring_up", .profile = profile, .clock_khz = khz };
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.emu, &t);
	/* What the module itself spends: power-up, the apply, DPInit, DPTxTurnOn. */
	res[2].module_ns = t.module_pwr_up_ns + t.apply_ns + t.dp_init_ns + t.dp_tx_turn_on_ns;
	measure_begin(&r, &t0);
	rc = lb_module_bring_up(r.m, 0, 0, NULL);
	measure_end(&r, t0, &res[2]);
	rig_down(&r);
	if (rc)
		fprintf(stderr, "bench_bus: %s: bring-up: %s\n", profile, lb_strerror(rc));
	return rc;
}

static void print_json(const struct result *x)
{
	printf("{\"case\":\"%s\",\"profile\":\"%s\",\"clock_khz\":%u,\"transactions\":%llu,"
	       "\"bytes\":%llu,\"bus_time_us\":%.1f,\"module_time_us\":%.1f,\"total_time_us\":%.1f,"
	       "\"select_writes\":%llu,\"max_read_len\":%llu}\n",
	       x->name, x->profile, x->clock_khz, (unsigned long long)x->s.transactions,
	       (unsigned long long)x->s.bytes, (double)x->s.bus_time_ns / 1e3,
	       (double)x->module_ns / 1e3, (double)x->total_ns / 1e3,
	       (unsigned long long)x->s.select_writes, (unsigned long long)x->s.max_read_len);
}

static void print_row(const struct result *x)
{
	char over[32] = "-";
	if (x->module_ns) {
		double pct = 100.0 * ((double)x->total_ns - (double)x->module_ns) / (double)x->module_ns;
		snprintf(over, sizeof(over), "%+.2f %%", pct);
	}
	printf("%-13s %-22s %5u %6llu %7llu %11.1f %13.1f %13.1f %8s %7llu %6llu\n", x->name,
	       x->profile, x->clock_khz, (unsigned long long)x->s.transactions,
	       (unsigned long long)x->s.bytes, (double)x->s.bus_time_ns / 1e3, (double)x->total_ns / 1e3,
	       x->module_ns ? (double)x->module_ns / 1e3 : 0.0, over, (unsigned long long)x->s.select_writes,
	       (unsigned long long)x->s.max_read_len);
}

/* The goals of docs/performance.md; prints what is missed on stderr. */
static int check_goals(const struct result *x, bool full_page)
{
	int missed = 0;
	if (strcmp(x->name, "monitor_poll") == 0 && full_page) {
		/*
		 * A poll needs lower memory and page 11h only. The poll before it left page 11h
		 * selected, so any select write here is redundant (static bytes of another page
		 * read again).
		 */
		if (x->s.transactions > 4 || x->s.select_writes > 0) {
			fprintf(stderr, "goal missed: %s %u kHz monitor poll: %llu transactions, %llu selects\n",
				x->profile, x->clock_khz, (unsigned long long)x->s.transactions,
				(unsigned long long)x->s.select_writes);
			missed++;
		}
	}
	if (!full_page && x->s.max_read_len > 8) {
		fprintf(stderr, "goal missed: %s %s: a %llu-byte read on an 8-byte module\n", x->profile,
			x->name, (unsigned long long)x->s.max_read_len);
		missed++;
	}
	if (strcmp(x->name, "bring_up") == 0 &&
	    x->total_ns > x->module_ns + x->module_ns / 20 + x->s.bus_time_ns) {
		fprintf(stderr, "goal missed: %s %u kHz bring-up: %.1f us for %.1f us of module time\n",
			x->profile, x->clock_khz, (double)x->total_ns / 1e3, (double)x->module_ns / 1e3);
		missed++;
	}
	return missed;
}

int main(int argc, char **argv)
{
	bool json;
	int exit_code = bench_json_only_args(argc, argv, "bench_bus", &json);
	if (exit_code >= 0)
		return exit_code;
	static const struct {
		const char *profile;
		uint32_t khz;
		bool full_page; /* the profile advertises full-page reads (01h:251) */
	} cases[] = {
		{ "coherent-800g-qsfpdd", 400, true },
		{ "coherent-800g-qsfpdd", 1000, true },
		{ "400g-fr4-qsfpdd", 400, false },
	};
	if (!json)
		printf("%-13s %-22s %5s %6s %7s %11s %13s %13s %8s %7s %6s\n", "case", "profile", "kHz",
		       "xfers", "bytes", "bus us", "total us", "module us", "over", "selects", "maxrd");
	int missed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct result res[3];
		if (run_profile(cases[i].profile, cases[i].khz, res))
			return 1;
		for (int k = 0; k < 3; k++) {
			if (json)
				print_json(&res[k]);
			else
				print_row(&res[k]);
			missed += check_goals(&res[k], cases[i].full_page);
		}
	}
	return missed ? 1 : 0;
}
