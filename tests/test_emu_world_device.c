/* SPDX-License-Identifier: MIT */
/*
 * World devices on the virtual clock, through a small real one: a "pulse" device that
 * toggles a module's LPMode pin at given times. It runs at its deadlines on whichever clock
 * reaches them first (a segment's traffic or sleep, or a world advance), never backwards,
 * and what it does reaches the module at the module's own time. The last case drives four
 * buses from four threads while a device ticks (ThreadSanitizer runs this file).
 */
#include <pthread.h>
#include "emu_fixture.h"

#define S_NS 1000000000ull
#define MAX_TIMES 8

struct pulse {
	struct lb_emu_module *m;
	uint64_t at[MAX_TIMES]; /* when to toggle LPMode */
	unsigned n, next;
	int level;              /* the pin now */
	uint64_t ran[64];       /* every time it was run to */
	unsigned runs;
	unsigned released;
};

static uint64_t pulse_next(void *user)
{
	struct pulse *p = user;
	return p->next < p->n ? p->at[p->next] : UINT64_MAX;
}

static void pulse_run(void *user, uint64_t t)
{
	struct pulse *p = user;
	if (p->runs)
		assert_true(t >= p->ran[p->runs - 1]); /* never backwards */
	if (p->runs < 64)
		p->ran[p->runs++] = t;
	/* Its state is a function of time: every toggle due by t has happened. */
	while (p->next < p->n && p->at[p->next] <= t) {
		p->level = !p->level;
		lb_emu_module_set_lpmode(p->m, p->level);
		p->next++;
	}
}

static void pulse_release(void *user)
{
	((struct pulse *)user)->released++;
}

static const struct lb_emu_device_ops pulse_ops = {
	.size = sizeof(struct lb_emu_device_ops),
	.next_deadline = pulse_next,
	.run_until = pulse_run,
	.release = pulse_release,
};

/* A module in LowPwr with its LPMode pin asserted; the pulse releases it at 1 s, asserts at 2 s. */
static struct lb_emu_world_device *pulse_on(struct emu_fx *fx, struct pulse *p)
{
	memset(p, 0, sizeof(*p));
	p->m = fx->m;
	p->level = 1;
	p->at[0] = 1 * S_NS;
	p->at[1] = 2 * S_NS;
	p->n = 2;
	struct lb_emu_world_device *d;
	assert_int_equal(lb_emu_world_add_device(fx->w, &pulse_ops, p, &d), LB_OK);
	return d;
}

/* Move a segment's clock to exactly t. */
static void seg_to(struct lb_emu_segment *s, uint64_t t)
{
	uint64_t now = lb_emu_segment_now_ns(s);
	assert_true(t >= now);
	lb_emu_segment_advance_ns(s, t - now);
	assert_int_equal(lb_emu_segment_now_ns(s), t);
}

static void world_to(struct lb_emu_world *w, uint64_t t)
{
	uint64_t now = lb_emu_world_now_ns(w);
	assert_true(t >= now);
	lb_emu_world_advance_ns(w, t - now);
}

/* On the module's own segment: the toggles land exactly at their times. */
static void test_runs_on_segment_clock(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(fx.m, &tm);
	struct pulse p;
	struct lb_emu_world_device *d = pulse_on(&fx, &p);
	assert_int_equal(lb_emu_module_state(fx.m), 1);

	/* One long sleep on the bus stops at the deadline: PwrUp from exactly 1 s. */
	seg_to(fx.s, 1 * S_NS + tm.module_pwr_up_ns - 1);
	assert_int_equal(p.runs, 1);
	assert_int_equal(p.ran[0], 1 * S_NS);
	assert_int_equal(lb_emu_world_device_now_ns(d), 1 * S_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 2);
	seg_to(fx.s, 1 * S_NS + tm.module_pwr_up_ns);
	assert_int_equal(lb_emu_module_state(fx.m), 3);

	/* The data path runs up; at exactly 2 s the pin comes back and it turns off. */
	seg_to(fx.s, 2 * S_NS - 1);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 4); /* DPActivated */
	/* bus traffic moves the clock too: a read crossing 2 s runs the device at 2 s */
	uint64_t before = lb_emu_segment_now_ns(fx.s);
	(void)emu_rd1(fx.s, 3);
	assert_true(lb_emu_segment_now_ns(fx.s) > 2 * S_NS && before < 2 * S_NS);
	assert_int_equal(p.runs, 2);
	assert_int_equal(p.ran[1], 2 * S_NS);
	assert_int_equal(lb_emu_module_dp_state(fx.m, 1), 6); /* DPTxTurnOff */
	seg_to(fx.s, 3 * S_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 1); /* back in ModuleLowPwr */
	assert_int_equal(p.runs, 2); /* no deadline left: the segment does not run it again */

	/* A world advance runs it up to the world's time. */
	lb_emu_world_advance_ns(fx.w, S_NS);
	assert_int_equal(lb_emu_world_device_now_ns(d), 4 * S_NS);
	assert_int_equal(p.ran[p.runs - 1], 4 * S_NS);
	fx_close(&fx);
	assert_int_equal(p.released, 1);
}

/* World advances run it at each deadline in order, every segment brought there first. */
static void test_runs_on_world_clock(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_segment *other;
	assert_int_equal(lb_emu_segment_create(fx.w, 100, &other), LB_OK);
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(fx.m, &tm);
	struct pulse p;
	pulse_on(&fx, &p);

	world_to(fx.w, 1 * S_NS + tm.module_pwr_up_ns - 1);
	assert_int_equal(p.ran[0], 1 * S_NS);
	assert_int_equal(lb_emu_module_state(fx.m), 2);
	world_to(fx.w, 1 * S_NS + tm.module_pwr_up_ns);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	world_to(fx.w, 5 * S_NS);
	/* at each deadline, and at the end of each advance */
	const uint64_t want[] = { 1 * S_NS, 1 * S_NS + tm.module_pwr_up_ns - 1,
				  1 * S_NS + tm.module_pwr_up_ns, 2 * S_NS, 5 * S_NS };
	assert_int_equal(p.runs, 5);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(p.ran[i], want[i]);
	assert_int_equal(lb_emu_module_state(fx.m), 1);
	assert_int_equal(lb_emu_segment_now_ns(other), 5 * S_NS);
	fx_close(&fx);
}

/*
 * Another bus reaches the deadline first: the device runs at 1 s on that bus's clock, and
 * the pin reaches the module at its own bus's time, which is behind. Nothing goes back.
 */
static void test_touched_from_another_bus(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_segment *other;
	assert_int_equal(lb_emu_segment_create(fx.w, 100, &other), LB_OK);
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(fx.m, &tm);
	struct pulse p;
	struct lb_emu_world_device *d = pulse_on(&fx, &p);

	uint64_t mine = lb_emu_segment_now_ns(fx.s);
	seg_to(other, 1 * S_NS + 500 * MS_NS);
	assert_int_equal(p.runs, 1);
	assert_int_equal(p.ran[0], 1 * S_NS);
	assert_int_equal(lb_emu_segment_now_ns(fx.s), mine); /* the module's bus did not move */
	assert_int_equal(lb_emu_module_state(fx.m), 2);       /* PwrUp, from its bus's time */
	seg_to(fx.s, mine + tm.module_pwr_up_ns);
	assert_int_equal(lb_emu_module_state(fx.m), 3);
	/* The module's bus later passes 1 s: the device, already there, does not run again. */
	seg_to(fx.s, 1 * S_NS + 1);
	assert_int_equal(p.runs, 1);
	assert_int_equal(lb_emu_world_device_now_ns(d), 1 * S_NS);
	fx_close(&fx);
}

/* Changing its plan outside run_until: reschedule; removing it: release, no more runs. */
static void test_reschedule_and_remove(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct pulse p;
	struct lb_emu_world_device *d = pulse_on(&fx, &p);
	p.at[0] = 300 * MS_NS; /* sooner than it said */
	lb_emu_world_device_reschedule(d);
	seg_to(fx.s, 400 * MS_NS);
	assert_int_equal(p.runs, 1);
	assert_int_equal(p.ran[0], 300 * MS_NS);
	lb_emu_world_device_remove(d);
	assert_int_equal(p.released, 1);
	seg_to(fx.s, 3 * S_NS);
	assert_int_equal(p.runs, 1);
	lb_emu_world_device_remove(NULL);

	/* An overdue device (its deadline behind the clock when it is added) runs at once. */
	p.next = 0;
	p.runs = 0;
	p.at[0] = 1 * S_NS;
	assert_int_equal(lb_emu_world_add_device(fx.w, &pulse_ops, &p, &d), LB_OK);
	assert_int_equal(lb_emu_world_device_now_ns(d), 3 * S_NS);
	(void)emu_rd1(fx.s, 0);
	assert_int_equal(p.runs, 1);
	assert_int_equal(p.ran[0], 3 * S_NS); /* the segment's time when it was reached */
	fx_close(&fx);
	assert_int_equal(p.released, 2);
}

/* A device that always claims to be due: run once, then not again before a world advance. */
struct eager {
	struct lb_emu_segment *s;
	unsigned runs;
	uint8_t id;
};

static uint64_t eager_next(void *user)
{
	(void)user;
	return 0;
}

static void eager_run(void *user, uint64_t t)
{
	(void)t;
	struct eager *e = user;
	e->runs++;
	e->id = emu_rd1(e->s, 0); /* a transfer from inside a run: no nested device runs */
}

static void test_eager_device(void **state)
{
	(void)state;
	struct emu_fx fx;
	fx_open(&fx, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct eager e = { .s = fx.s };
	const struct lb_emu_device_ops ops = {
		.size = LB_EMU_DEVICE_OPS_SIZE_V1, .next_deadline = eager_next, .run_until = eager_run,
	};
	assert_int_equal(lb_emu_world_add_device(fx.w, &ops, &e, NULL), LB_OK);
	(void)emu_rd1(fx.s, 0);
	assert_int_equal(e.runs, 1);
	assert_int_equal(e.id, 0x18);
	lb_emu_segment_advance_ns(fx.s, S_NS);
	assert_int_equal(e.runs, 1);
	lb_emu_world_advance_ns(fx.w, 1000);
	assert_int_equal(e.runs, 2);
	/* bad tables */
	struct lb_emu_device_ops bad = ops;
	bad.size = LB_EMU_DEVICE_OPS_SIZE_V1 - 1;
	assert_int_equal(lb_emu_world_add_device(fx.w, &bad, &e, NULL), LB_E_INVAL);
	bad = ops;
	bad.run_until = NULL;
	assert_int_equal(lb_emu_world_add_device(fx.w, &bad, &e, NULL), LB_E_INVAL);
	fx_close(&fx);
}

/* Four buses, a thread each, and a device ticking every 5 ms on whichever clock gets there. */
#define TBUSES 4
#define TROUNDS 200

struct ticker {
	struct lb_emu_module *m;
	uint64_t next, last;
	unsigned runs, ticks;
	bool backwards;
	int level;
};

static uint64_t ticker_next(void *user)
{
	return ((struct ticker *)user)->next;
}

static void ticker_run(void *user, uint64_t t)
{
	struct ticker *k = user;
	if (t < k->last)
		k->backwards = true;
	k->last = t;
	k->runs++;
	while (k->next <= t) {
		k->level = !k->level;
		lb_emu_module_set_lpmode(k->m, k->level);
		k->next += 5 * MS_NS;
		k->ticks++;
	}
}

struct bus_thread {
	struct lb_emu_segment *s;
	unsigned errors;
};

static void *bus_main(void *arg)
{
	struct bus_thread *b = arg;
	for (unsigned i = 0; i < TROUNDS; i++) {
		uint8_t off = 3, v = 0;
		struct lb_i2c_msg msgs[2] = {
			{ .addr = 0x50, .flags = 0, .len = 1, .buf = &off },
			{ .addr = 0x50, .flags = LB_I2C_M_RD, .len = 1, .buf = &v },
		};
		if (lb_emu_segment_xfer(b->s, msgs, 2) != LB_OK)
			b->errors++;
		lb_emu_segment_advance_ns(b->s, 1 * MS_NS);
	}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct bus_thread bt[TBUSES];
	struct lb_emu_module *m[TBUSES];
	char err[256];
	for (unsigned i = 0; i < TBUSES; i++) {
		bt[i].errors = 0;
		assert_int_equal(lb_emu_segment_create(w, 400, &bt[i].s), LB_OK);
		assert_int_equal(lb_emu_module_create(w, EMU_PROFILE("400g-fr4-qsfpdd"), &m[i], err,
						      sizeof(err)), LB_OK);
		assert_int_equal(lb_emu_segment_attach(bt[i].s, -1, 0x50, m[i]), LB_OK);
	}
	struct ticker k = { .m = m[0], .next = 5 * MS_NS, .level = 1 };
	const struct lb_emu_device_ops ops = {
		.size = sizeof(ops), .next_deadline = ticker_next, .run_until = ticker_run,
	};
	assert_int_equal(lb_emu_world_add_device(w, &ops, &k, NULL), LB_OK);
	pthread_t th[TBUSES];
	for (unsigned i = 0; i < TBUSES; i++)
		assert_int_equal(pthread_create(&th[i], NULL, bus_main, &bt[i]), 0);
	for (unsigned i = 0; i < TBUSES; i++) {
		assert_int_equal(pthread_join(th[i], NULL), 0);
		assert_int_equal(bt[i].errors, 0);
	}
	assert_false(k.backwards);
	/* every bus ran 200 ms and more: the device ticked on the way, on time or late, never twice */
	assert_true(k.ticks >= 40);
	assert_true(k.runs <= k.ticks);
	lb_emu_world_advance_ns(w, 0);
	assert_int_equal(k.last, lb_emu_world_now_ns(w));
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runs_on_segment_clock),
		cmocka_unit_test(test_runs_on_world_clock),
		cmocka_unit_test(test_touched_from_another_bus),
		cmocka_unit_test(test_reschedule_and_remove),
		cmocka_unit_test(test_eager_device),
		cmocka_unit_test(test_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
