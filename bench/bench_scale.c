/* SPDX-License-Identifier: MIT */
/*
 * Many modules at once, on the emulator (virtual time, counts that do not drift):
 *
 *   poll_round_64x8     one monitor poll of each of 64 modules on 8 buses (8 behind a mux on
 *                       each), one thread per bus; the virtual time the round took next to
 *                       the busiest bus's own bus time (limit), goal ratio <= 1.15.
 *   bring_up_platform   every cage of the default platform brought up with
 *                       lb_platform_bring_up; the virtual time next to the slowest module's
 *                       own transition time (limit), goal ratio <= 1.05.
 *
 *   bench_scale [--json]            the cases above (exit 1 when a goal is missed)
 *   bench_scale --cpu-poll N [K]    N modules in the world (1..64, on 8 buses), K monitor
 *                                   polls of one of them in cpu_poll_loop(): what
 *                                   bench/cpu_per_poll.sh measures with callgrind
 *
 * Public API only (the emulator's and the library's).
 */
#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/lightbridge.h>

#define BUSES 8
#define PER_BUS 8

struct world {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg[BUSES];
	struct lb_bus *bus[BUSES];
	struct lb_emu_module *emu[BUSES][PER_BUS];
	struct lb_module *m[BUSES][PER_BUS];
	unsigned per_bus[BUSES];
};

static const char *data_dir(void)
{
	const char *dd = getenv("LB_DATADIR");
	return dd && *dd ? dd : LB_SOURCE_DIR;
}

static int profile_path(const char *name, char *out, size_t len)
{
	int n = snprintf(out, len, "%s/emulator/profiles/%s.json", data_dir(), name);
	return n > 0 && (size_t)n < len ? LB_OK : LB_E_RANGE;
}

/* n modules (coherent 800G), spread over 8 buses at 400 kHz, 8 per bus behind a mux. */
static int world_up(struct world *x, unsigned n)
{
	memset(x, 0, sizeof(*x));
	char path[1024], err[256] = "";
	int rc = profile_path("coherent-800g-qsfpdd", path, sizeof(path));
	if (rc || (rc = lb_ctx_create(&x->ctx)) || (rc = lb_emu_register_drivers(x->ctx)) ||
	    (rc = lb_emu_world_create(&x->w)))
		return rc;
	for (unsigned b = 0; b < BUSES; b++) {
		if ((rc = lb_emu_segment_create(x->w, 400, &x->seg[b])) ||
		    (rc = lb_emu_segment_add_mux(x->seg[b], 0x70)) ||
		    (rc = lb_bus_open(x->ctx, "emulator", NULL, x->seg[b], &x->bus[b])))
			return rc;
	}
	for (unsigned i = 0; i < n; i++) {
		unsigned b = i % BUSES, k = i / BUSES;
		struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = (int)k };
		if ((rc = lb_emu_module_create(x->w, path, &x->emu[b][k], err, sizeof(err))) ||
		    (rc = lb_emu_segment_attach(x->seg[b], (int)k, 0x50, x->emu[b][k])) ||
		    (rc = lb_module_open(x->bus[b], &a, &x->m[b][k]))) {
			fprintf(stderr, "bench_scale: %s: %s %s\n", path, lb_strerror(rc), err);
			return rc;
		}
		x->per_bus[b]++;
	}
	return LB_OK;
}

static void world_down(struct world *x)
{
	for (unsigned b = 0; b < BUSES; b++) {
		for (unsigned k = 0; k < PER_BUS; k++)
			lb_module_close(x->m[b][k]);
		lb_bus_close(x->bus[b]);
	}
	lb_emu_world_destroy(x->w);
	lb_ctx_destroy(x->ctx);
}

struct result {
	const char *name;
	uint64_t transactions, bytes, errors;
	double measured_us, limit_us;
	double goal; /* ratio at most */
	const char *what;
};

struct poll_arg {
	struct world *x;
	unsigned b;
	int rc;
};

static void *poll_bus(void *arg)
{
	struct poll_arg *a = arg;
	for (unsigned k = 0; k < a->x->per_bus[a->b] && !a->rc; k++) {
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		a->rc = lb_module_get_monitors(a->x->m[a->b][k], &mon);
	}
	return NULL;
}

/* One poll of every module, one thread per bus. */
static int poll_round(struct world *x)
{
	pthread_t th[BUSES];
	struct poll_arg args[BUSES];
	for (unsigned b = 0; b < BUSES; b++) {
		args[b] = (struct poll_arg){ x, b, LB_OK };
		if (pthread_create(&th[b], NULL, poll_bus, &args[b]))
			return LB_E_NOMEM;
	}
	int rc = LB_OK;
	for (unsigned b = 0; b < BUSES; b++) {
		pthread_join(th[b], NULL);
		if (args[b].rc && !rc)
			rc = args[b].rc;
	}
	return rc;
}

static int case_poll_round(struct result *r)
{
	struct world x;
	int rc = world_up(&x, BUSES * PER_BUS);
	if (rc)
		return rc;
	/* A warm round first (advertisement read once per insertion), as a poller runs. */
	if ((rc = poll_round(&x)))
		return rc;
	uint64_t t0[BUSES];
	for (unsigned b = 0; b < BUSES; b++) {
		lb_bus_reset_stats(x.bus[b]);
		t0[b] = lb_bus_now_ns(x.bus[b]);
	}
	if ((rc = poll_round(&x)))
		return rc;
	uint64_t took = 0, busiest = 0;
	*r = (struct result){ .name = "poll_round_64x8", .goal = 1.15,
			      .what = "virtual time of the round / busiest bus's own bus time" };
	for (unsigned b = 0; b < BUSES; b++) {
		struct lb_bus_stats s = LB_BUS_STATS_INIT;
		lb_bus_get_stats(x.bus[b], &s);
		r->transactions += s.transactions;
		r->bytes += s.bytes;
		r->errors += s.errors;
		if (s.bus_time_ns > busiest)
			busiest = s.bus_time_ns;
		uint64_t d = lb_bus_now_ns(x.bus[b]) - t0[b];
		if (d > took)
			took = d;
	}
	r->measured_us = (double)took / 1e3;
	r->limit_us = (double)busiest / 1e3;
	world_down(&x);
	return LB_OK;
}

/* The slowest own transition time of the modules the default platform plugs in. */
static int slowest_module_ns(uint64_t *out)
{
	json_error_t je;
	json_t *root = json_loads(lb_platform_default_json(), 0, &je);
	if (!root)
		return LB_E_PARSE;
	struct lb_emu_world *w;
	int rc = lb_emu_world_create(&w);
	*out = 0;
	size_t i, k;
	json_t *bus, *mod;
	json_array_foreach(json_object_get(root, "buses"), i, bus) {
		json_array_foreach(json_object_get(json_object_get(bus, "options"), "modules"), k, mod) {
			const char *name = json_string_value(json_object_get(mod, "profile"));
			char path[1024], err[256];
			struct lb_emu_module *m;
			if (rc || !name || (rc = profile_path(name, path, sizeof(path))) ||
			    (rc = lb_emu_module_create(w, path, &m, err, sizeof(err))))
				continue;
			struct lb_emu_timing t;
			lb_emu_module_get_timing(m, &t);
			uint64_t own = t.module_pwr_up_ns + t.apply_ns + t.dp_init_ns + t.dp_tx_turn_on_ns;
			if (own > *out)
				*out = own;
		}
	}
	lb_emu_world_destroy(w);
	json_decref(root);
	return rc ? rc : (*out ? LB_OK : LB_E_NOTFOUND);
}

static int case_bring_up_platform(struct result *r)
{
	uint64_t slowest;
	int rc = slowest_module_ns(&slowest);
	if (rc)
		return rc;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	if ((rc = lb_ctx_create(&ctx)))
		return rc;
	if ((rc = lb_emu_register_drivers(ctx)) || (rc = lb_platform_open(ctx, NULL, &p))) {
		lb_ctx_destroy(ctx);
		return rc;
	}
	unsigned n = lb_platform_port_count(p), nb = lb_platform_bus_count(p);
	struct lb_port_bringup *req = calloc(n, sizeof(*req));
	uint64_t *t0 = calloc(nb, sizeof(*t0));
	if (!req || !t0) {
		rc = LB_E_NOMEM;
		goto out;
	}
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_info pi = LB_PORT_INFO_INIT;
		lb_platform_port_at(p, i, &pi);
		req[i].port = pi.port;
	}
	for (unsigned b = 0; b < nb; b++) {
		struct lb_bus *bus;
		lb_platform_bus_at(p, b, &bus, NULL);
		t0[b] = lb_bus_now_ns(bus);
	}
	if ((rc = lb_platform_bring_up(p, req, n, NULL, NULL, NULL)))
		goto out;
	*r = (struct result){ .name = "bring_up_platform", .goal = 1.05,
			      .what = "virtual time of the whole platform / slowest module's own time" };
	uint64_t took = 0;
	for (unsigned b = 0; b < nb; b++) {
		struct lb_bus *bus;
		lb_platform_bus_at(p, b, &bus, NULL);
		uint64_t d = lb_bus_now_ns(bus) - t0[b];
		if (d > took)
			took = d;
	}
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_platform_get_stats(p, &s);
	r->transactions = s.transactions;
	r->bytes = s.bytes;
	r->errors = s.errors;
	r->measured_us = (double)took / 1e3;
	r->limit_us = (double)slowest / 1e3;
out:
	free(req);
	free(t0);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
	return rc;
}

/* What callgrind measures (bench/cpu_per_poll.sh): k polls of one warm module. */
__attribute__((noinline)) int cpu_poll_loop(struct lb_module *m, unsigned k);
__attribute__((noinline)) int cpu_poll_loop(struct lb_module *m, unsigned k)
{
	int rc = LB_OK;
	for (unsigned i = 0; i < k && !rc; i++) {
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		rc = lb_module_get_monitors(m, &mon);
	}
	return rc;
}

static int cpu_poll(unsigned n, unsigned k)
{
	struct world x;
	int rc = world_up(&x, n);
	if (!rc)
		rc = poll_round(&x); /* every module warm, the advertisement read */
	if (!rc)
		rc = cpu_poll_loop(x.m[0][0], k);
	if (!rc)
		printf("%u modules in the world, %u polls of one: ok\n", n, k);
	world_down(&x);
	return rc;
}

int main(int argc, char **argv)
{
	bool json = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else if (strcmp(argv[i], "--cpu-poll") == 0 && i + 1 < argc) {
			unsigned long n = strtoul(argv[i + 1], NULL, 10);
			unsigned long k = i + 2 < argc ? strtoul(argv[i + 2], NULL, 10) : 1000;
			if (n < 1 || n > BUSES * PER_BUS || k < 1 || k > 1000000) {
				fprintf(stderr, "bench_scale: --cpu-poll N (1-64) [K (1-1000000)]\n");
				return 2;
			}
			int rc = cpu_poll((unsigned)n, (unsigned)k);
			if (rc)
				fprintf(stderr, "bench_scale: %s\n", lb_strerror(rc));
			return rc ? 1 : 0;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			printf("usage: bench_scale [--json] | --cpu-poll N [K]\n");
			return 0;
		} else {
			fprintf(stderr, "bench_scale: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	struct result res[2];
	int rc;
	if ((rc = case_poll_round(&res[0])) || (rc = case_bring_up_platform(&res[1]))) {
		fprintf(stderr, "bench_scale: %s\n", lb_strerror(rc));
		return 1;
	}
	int missed = 0;
	if (!json)
		printf("%-18s %7s %7s %6s %14s %14s %7s %6s\n", "case", "xfers", "bytes", "errors",
		       "measured us", "limit us", "ratio", "goal");
	for (unsigned i = 0; i < 2; i++) {
		const struct result *x = &res[i];
		double ratio = x->limit_us > 0 ? x->measured_us / x->limit_us : 0.0;
		if (json)
			printf("{\"case\":\"%s\",\"transactions\":%llu,\"bytes\":%llu,\"errors\":%llu,"
			       "\"measured_us\":%.1f,\"limit_us\":%.1f,\"ratio\":%.4f,\"goal_ratio\":%.2f}\n",
			       x->name, (unsigned long long)x->transactions, (unsigned long long)x->bytes,
			       (unsigned long long)x->errors, x->measured_us, x->limit_us, ratio, x->goal);
		else
			printf("%-18s %7llu %7llu %6llu %14.1f %14.1f %7.4f %6.2f  (%s)\n", x->name,
			       (unsigned long long)x->transactions, (unsigned long long)x->bytes,
			       (unsigned long long)x->errors, x->measured_us, x->limit_us, ratio, x->goal,
			       x->what);
		if (ratio > x->goal || x->errors) {
			fprintf(stderr, "goal missed: %s ratio %.4f > %.2f\n", x->name, ratio, x->goal);
			missed++;
		}
	}
	return missed ? 1 : 0;
}
