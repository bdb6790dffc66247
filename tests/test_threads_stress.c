/* SPDX-License-Identifier: MIT */
/*
 * Threaded stress: 64 emulated modules on 8 buses (8 behind a mux on each), one thread per
 * bus polling monitors, bringing lanes up and down, and pulling and re-inserting modules,
 * for a bounded number of rounds. Every module's sequence of results (statuses, states,
 * monitor values, lane states) is folded into a digest, and the digests of the threaded
 * run must equal those of the same script run in one thread: buses keep their own time, so
 * nothing one bus does may show on another. Run under ThreadSanitizer in the test command.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

#define BUSES 8
#define PER_BUS 8
#define ROUNDS 12

static const char *const profiles[] = {
	"coherent-800g-qsfpdd", "400g-fr4-qsfpdd", "800g-dr8-osfp", "1600g-2xdr8-osfpxd",
};

struct rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg[BUSES];
	struct lb_bus *bus[BUSES];
	struct lb_emu_module *emu[BUSES][PER_BUS];
	struct lb_module *m[BUSES][PER_BUS];
	uint64_t digest[BUSES][PER_BUS];
	uint64_t calls[BUSES];
	unsigned up_ok[BUSES], polls_ok[BUSES], errors[BUSES];
};

static void fold(uint64_t *d, uint64_t v)
{
	/* FNV-1a over the 8 bytes of v */
	for (int i = 0; i < 8; i++) {
		*d ^= (v >> (8 * i)) & 0xFFu;
		*d *= 0x100000001b3ull;
	}
}

static void fold_double(uint64_t *d, double x)
{
	uint64_t v;
	memcpy(&v, &x, sizeof(v));
	fold(d, v);
}

static void rig_open(struct rig *r)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&r->w), LB_OK);
	for (unsigned b = 0; b < BUSES; b++) {
		assert_int_equal(lb_emu_segment_create(r->w, 400, &r->seg[b]), LB_OK);
		assert_int_equal(lb_emu_segment_add_mux(r->seg[b], 0x70), LB_OK);
		assert_int_equal(lb_bus_open(r->ctx, "emulator", NULL, r->seg[b], &r->bus[b]), LB_OK);
		for (unsigned k = 0; k < PER_BUS; k++) {
			char path[1024], err[256];
			snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", LB_SOURCE_DIR,
				 profiles[(b + k) % 4]);
			assert_int_equal(lb_emu_module_create(r->w, path, &r->emu[b][k], err, sizeof(err)),
					 LB_OK);
			assert_int_equal(lb_emu_segment_attach(r->seg[b], (int)k, 0x50, r->emu[b][k]), LB_OK);
			struct lb_module_addr a = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = (int)k };
			assert_int_equal(lb_module_open(r->bus[b], &a, &r->m[b][k]), LB_OK);
			r->digest[b][k] = 0xcbf29ce484222325ull;
		}
	}
}

static void rig_close(struct rig *r)
{
	for (unsigned b = 0; b < BUSES; b++) {
		for (unsigned k = 0; k < PER_BUS; k++)
			lb_module_close(r->m[b][k]);
		lb_bus_close(r->bus[b]);
	}
	lb_emu_world_destroy(r->w);
	lb_ctx_destroy(r->ctx);
}

/* One module's turn in a round: what it does depends on the round and its place only. */
static void turn(struct rig *r, unsigned b, unsigned k, unsigned round)
{
	struct lb_module *m = r->m[b][k];
	uint64_t *d = &r->digest[b][k];
	unsigned what = (round + k) % 4;
	int rc;
	if (round == 2 && k == b % PER_BUS) {
		lb_emu_module_remove(r->emu[b][k]); /* pulled while nobody looks */
	} else if (round == 4 && k == b % PER_BUS) {
		lb_emu_module_insert(r->emu[b][k]);
		lb_bus_sleep_ns(r->bus[b], 3000000000u); /* give it its management init */
	}
	switch (what) {
	case 0:
	case 2: {
		struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
		rc = lb_module_get_monitors(m, &mon);
		fold(d, (uint64_t)(int64_t)rc);
		r->polls_ok[b] += rc == LB_OK;
		r->errors[b] += rc != LB_OK;
		if (rc == LB_OK) {
			fold_double(d, mon.temperature_c);
			fold_double(d, mon.vcc_v);
			fold(d, mon.lanes);
			for (unsigned i = 0; i < mon.lanes; i++)
				fold_double(d, mon.rx_power_mw[i]);
			fold(d, mon.rx_los);
			fold(d, mon.module_flags);
		}
		break;
	}
	case 1: {
		struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
		rc = lb_module_bring_up(m, 0, 0, &rep);
		fold(d, (uint64_t)(int64_t)rc);
		r->up_ok[b] += rc == LB_OK;
		r->errors[b] += rc != LB_OK;
		fold(d, rep.elapsed_ns);
		break;
	}
	case 3:
		rc = lb_module_dp_deinit(m, 0xFF, true);
		fold(d, (uint64_t)(int64_t)rc);
		lb_bus_sleep_ns(r->bus[b], 500000000u);
		break;
	}
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	rc = lb_module_get_lane_status(m, &ls);
	fold(d, (uint64_t)(int64_t)rc);
	if (rc == LB_OK)
		for (unsigned i = 0; i < ls.lanes; i++)
			fold(d, ls.dp_state[i]);
	enum lb_module_state st = 0;
	rc = lb_module_get_state(m, &st);
	fold(d, (uint64_t)(int64_t)rc);
	fold(d, (uint64_t)st);
	r->calls[b] += 3;
}

struct bus_arg {
	struct rig *r;
	unsigned b;
};

static void *bus_thread(void *arg)
{
	struct bus_arg *a = arg;
	for (unsigned round = 0; round < ROUNDS; round++)
		for (unsigned k = 0; k < PER_BUS; k++)
			turn(a->r, a->b, k, round);
	return NULL;
}

static void test_eight_threads_agree_with_one(void **unused)
{
	(void)unused;
	struct rig *one = calloc(1, sizeof(*one)), *many = calloc(1, sizeof(*many));
	assert_non_null(one);
	assert_non_null(many);

	rig_open(one);
	for (unsigned b = 0; b < BUSES; b++) {
		struct bus_arg a = { one, b };
		bus_thread(&a);
	}

	rig_open(many);
	pthread_t th[BUSES];
	struct bus_arg args[BUSES];
	for (unsigned b = 0; b < BUSES; b++) {
		args[b] = (struct bus_arg){ many, b };
		assert_int_equal(pthread_create(&th[b], NULL, bus_thread, &args[b]), 0);
	}
	for (unsigned b = 0; b < BUSES; b++)
		assert_int_equal(pthread_join(th[b], NULL), 0);

	unsigned differ = 0, up_ok = 0, polls_ok = 0, errors = 0;
	uint64_t calls = 0;
	for (unsigned b = 0; b < BUSES; b++) {
		calls += many->calls[b];
		up_ok += many->up_ok[b];
		polls_ok += many->polls_ok[b];
		errors += many->errors[b];
		for (unsigned k = 0; k < PER_BUS; k++)
			if (one->digest[b][k] != many->digest[b][k]) {
				print_error("bus %u module %u: %016llx (one thread) != %016llx (8 threads)\n", b,
					    k, (unsigned long long)one->digest[b][k],
					    (unsigned long long)many->digest[b][k]);
				differ++;
			}
		/* The buses' clocks: each moved by its own work only, the same in both runs. */
		assert_int_equal(lb_bus_now_ns(one->bus[b]), lb_bus_now_ns(many->bus[b]));
	}
	print_message("%llu module calls on 8 threads (%u bring-ups and %u polls succeeded, %u "
		      "failed on a pulled module), %u of 64 digests differ\n",
		      (unsigned long long)calls, up_ok, polls_ok, errors, differ);
	assert_int_equal(differ, 0);
	/* The script brings every module up once or twice, polls it, and fails only where pulled. */
	assert_true(up_ok >= 64);
	assert_true(polls_ok >= 128);
	assert_true(errors >= 8);
	/* The script did what it says: every module came up at some point and one per bus was pulled. */
	for (unsigned b = 0; b < BUSES; b++)
		assert_int_equal(lb_emu_module_present(many->emu[b][b % PER_BUS]), 1);
	rig_close(one);
	rig_close(many);
	free(one);
	free(many);
}

/* Several threads ask a platform for modules of the same ports at once. */
struct plat_arg {
	struct lb_platform *p;
	unsigned ok;
};

static void *plat_thread(void *arg)
{
	struct plat_arg *a = arg;
	for (unsigned i = 0; i < 50; i++) {
		struct lb_module *m;
		if (lb_platform_module(a->p, 1 + i % 6, &m) == LB_OK)
			a->ok++;
	}
	return NULL;
}

static void test_platform_module_from_many_threads(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	pthread_t th[4];
	struct plat_arg args[4];
	for (unsigned i = 0; i < 4; i++) {
		args[i] = (struct plat_arg){ p, 0 };
		assert_int_equal(pthread_create(&th[i], NULL, plat_thread, &args[i]), 0);
	}
	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(args[i].ok, 50);
	}
	/* One handle per port, whoever asked first. */
	struct lb_module *a, *b;
	assert_int_equal(lb_platform_module(p, 3, &a), LB_OK);
	assert_int_equal(lb_platform_module(p, 3, &b), LB_OK);
	assert_ptr_equal(a, b);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eight_threads_agree_with_one),
		cmocka_unit_test(test_platform_module_from_many_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
