/* SPDX-License-Identifier: MIT */
/*
 * One context shared by threads: each thread reads the error detail of its own failed call
 * (the core's and a driver's lb_driver_error()), never another's; registration, lookup,
 * listing and the directories stay consistent while threads race on them; the log hook may
 * call back into the context. Threads meet at barriers; nothing sleeps.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

static struct lb_ctx *ctx;
static pthread_barrier_t barrier;

static void run_threads(unsigned n, void *(*fn)(void *), void **args)
{
	pthread_t t[16];
	assert_true(n <= 16);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(pthread_create(&t[i], NULL, fn, args ? args[i] : NULL), 0);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
}

/* Worker results go back to the main thread, which asserts (cmocka is not thread-safe). */
struct detail_job {
	unsigned id;
	int rc;
	char after_fail[512];  /* own detail once every thread has failed */
	char after_clear[512]; /* own detail once the other thread cleared its own */
};

static void *fail_and_read(void *arg)
{
	struct detail_job *j = arg;
	struct lb_bus *bus;
	struct lb_sideband *sb;
	char name[32];
	snprintf(name, sizeof(name), "no-such-driver-%u", j->id);
	/* different calls on the one context: a bus open and a sideband open */
	j->rc = j->id == 0 ? lb_bus_open(ctx, name, NULL, NULL, &bus)
			   : lb_sideband_open(ctx, name, NULL, NULL, &sb);
	pthread_barrier_wait(&barrier); /* both have failed */
	snprintf(j->after_fail, sizeof(j->after_fail), "%s", lb_ctx_last_error(ctx));
	pthread_barrier_wait(&barrier); /* both have read */
	if (j->id == 0)
		lb_ctx_clear_error(ctx);
	pthread_barrier_wait(&barrier); /* thread 0 has cleared its own */
	snprintf(j->after_clear, sizeof(j->after_clear), "%s", lb_ctx_last_error(ctx));
	return NULL;
}

static void test_each_thread_reads_its_own_detail(void **state)
{
	(void)state;
	struct detail_job jobs[2] = { { .id = 0 }, { .id = 1 } };
	void *args[2] = { &jobs[0], &jobs[1] };
	pthread_barrier_init(&barrier, NULL, 2);
	lb_ctx_clear_error(ctx);
	run_threads(2, fail_and_read, args);
	pthread_barrier_destroy(&barrier);
	assert_int_equal(jobs[0].rc, LB_E_NOTFOUND);
	assert_int_equal(jobs[1].rc, LB_E_NOTFOUND);
	assert_string_equal(jobs[0].after_fail, "bus driver 'no-such-driver-0' is not registered");
	assert_string_equal(jobs[1].after_fail, "sideband driver 'no-such-driver-1' is not registered");
	assert_string_equal(jobs[0].after_clear, "");
	assert_string_equal(jobs[1].after_clear, "sideband driver 'no-such-driver-1' is not registered");
	/* the main thread failed nothing */
	assert_string_equal(lb_ctx_last_error(ctx), "");
}

/* A thread keeps one record: a failure on another context hides this one's detail. */
static void test_detail_belongs_to_its_context(void **state)
{
	(void)state;
	struct lb_ctx *other;
	assert_int_equal(lb_ctx_create(&other), LB_OK);
	struct lb_bus *bus;
	assert_int_equal(lb_bus_open(ctx, "x", NULL, NULL, &bus), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(ctx), "bus driver 'x' is not registered");
	assert_string_equal(lb_ctx_last_error(other), "");
	lb_ctx_clear_error(other); /* not its record: ctx's detail stays */
	assert_string_equal(lb_ctx_last_error(ctx), "bus driver 'x' is not registered");
	assert_int_equal(lb_bus_open(other, "y", NULL, NULL, &bus), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(other), "bus driver 'y' is not registered");
	assert_string_equal(lb_ctx_last_error(ctx), "");
	lb_ctx_destroy(other);
	/* a context created after one is destroyed never inherits its detail */
	assert_int_equal(lb_ctx_create(&other), LB_OK);
	assert_string_equal(lb_ctx_last_error(other), "");
	lb_ctx_destroy(other);
}

/* ---- a driver's lb_driver_error() ---- */

static atomic_uint err_logs;      /* LB_LOG_ERR lines the hook saw */
static atomic_uint hook_reentered;

static void count_hook(void *user, enum lb_log_level level, const char *msg)
{
	(void)user;
	(void)msg;
	if (level == LB_LOG_ERR)
		atomic_fetch_add(&err_logs, 1);
	/* the hook runs outside the context's lock: calling back in must not deadlock */
	if (lb_ctx_get_data_dir(ctx)[0] && lb_ctx_driver_count(ctx) > 0)
		atomic_fetch_add(&hook_reentered, 1);
}

static int failing_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)priv;
	(void)handle;
	/* each thread's own options object, read on its own thread */
	uint32_t who = 99;
	int rc = lb_options_get_u32(options, "who", 0, 16, 99, &who);
	return lb_driver_error(env, rc ? rc : LB_E_IO, "failing: refused who %u", who);
}

static int log_only_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)priv;
	(void)options;
	(void)handle;
	lb_driver_log(env, LB_LOG_ERR, "log-only: this line is a log line, not the call's detail");
	return LB_E_IO;
}

static void nop_close(void *priv)
{
	(void)priv;
}
static size_t nop_max(void *priv)
{
	(void)priv;
	return 8;
}
static int nop_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

static const struct lb_bus_ops failing_ops = {
	.size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C, .open = failing_open,
	.close = nop_close, .max_transfer = nop_max, .xfer = nop_xfer,
};
static const struct lb_bus_ops log_only_ops = {
	.size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C, .open = log_only_open,
	.close = nop_close, .max_transfer = nop_max, .xfer = nop_xfer,
};
static const struct lb_driver failing_drv = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI, .name = "failing", .ops.bus = &failing_ops,
};
static const struct lb_driver log_only_drv = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI, .name = "log-only", .ops.bus = &log_only_ops,
};

static void *open_failing(void *arg)
{
	struct detail_job *j = arg;
	char options[64];
	snprintf(options, sizeof(options), "{\"who\": %u}", j->id);
	struct lb_bus *bus;
	pthread_barrier_wait(&barrier); /* all open at once */
	j->rc = lb_bus_open(ctx, "failing", options, NULL, &bus);
	pthread_barrier_wait(&barrier); /* all have failed */
	snprintf(j->after_fail, sizeof(j->after_fail), "%s", lb_ctx_last_error(ctx));
	return NULL;
}

static void test_driver_error_reaches_the_calling_thread(void **state)
{
	(void)state;
	assert_int_equal(lb_ctx_register_driver(ctx, &failing_drv), LB_OK);
	assert_int_equal(lb_ctx_register_driver(ctx, &log_only_drv), LB_OK);
	atomic_store(&err_logs, 0);
	atomic_store(&hook_reentered, 0);
	lb_ctx_set_log(ctx, count_hook, NULL, LB_LOG_ERR);
	enum { N = 4 };
	struct detail_job jobs[N];
	void *args[N];
	for (unsigned i = 0; i < N; i++) {
		jobs[i] = (struct detail_job){ .id = i };
		args[i] = &jobs[i];
	}
	pthread_barrier_init(&barrier, NULL, N);
	lb_ctx_clear_error(ctx);
	run_threads(N, open_failing, args);
	pthread_barrier_destroy(&barrier);
	for (unsigned i = 0; i < N; i++) {
		char want[128];
		snprintf(want, sizeof(want), "failing: refused who %u", i);
		assert_int_equal(jobs[i].rc, LB_E_IO);
		assert_string_equal(jobs[i].after_fail, want);
	}
	assert_string_equal(lb_ctx_last_error(ctx), ""); /* nor the main thread's */
	/* logged once each, at LB_LOG_ERR, through a hook that called back into the context */
	assert_int_equal(atomic_load(&err_logs), N);
	assert_int_equal(atomic_load(&hook_reentered), N);

	/* A driver's ERR log line is not the call's detail: the core explains the failure. */
	struct lb_bus *bus;
	atomic_store(&err_logs, 0);
	assert_int_equal(lb_bus_open(ctx, "log-only", NULL, NULL, &bus), LB_E_IO);
	assert_null(strstr(lb_ctx_last_error(ctx), "log line"));
	assert_non_null(strstr(lb_ctx_last_error(ctx), "bus driver 'log-only': open failed"));
	assert_int_equal(atomic_load(&err_logs), 2); /* the driver's line and the core's detail */
	lb_ctx_set_log(ctx, NULL, NULL, LB_LOG_WARN);
}

/* lb_driver_error() on an env the core did not build: a log line, and its status back. */
static char foreign_msg[256];
static void foreign_hook(void *user, enum lb_log_level level, const char *msg)
{
	*(enum lb_log_level *)user = level;
	snprintf(foreign_msg, sizeof(foreign_msg), "%s", msg);
}

static void test_driver_error_on_a_foreign_env(void **state)
{
	(void)state;
	enum lb_log_level level = LB_LOG_DEBUG;
	struct lb_driver_env env = { .log = foreign_hook, .log_user = &level };
	lb_ctx_clear_error(ctx);
	assert_int_equal(lb_driver_error(&env, LB_E_BUSY, "busy %d", 7), LB_E_BUSY);
	assert_int_equal(level, LB_LOG_ERR);
	assert_string_equal(foreign_msg, "busy 7");
	assert_string_equal(lb_ctx_last_error(ctx), "");
	assert_int_equal(lb_driver_error(NULL, LB_E_IO, "nothing"), LB_E_IO);
}

/* ---- the registry and the directories under contention ---- */

enum { REG_THREADS = 4, REG_EACH = 40 };

static struct lb_bus_ops reg_ops = {
	.size = sizeof(struct lb_bus_ops), .caps = LB_BUS_CAP_I2C, .open = failing_open,
	.close = nop_close, .max_transfer = nop_max, .xfer = nop_xfer,
};
static char reg_names[REG_THREADS][REG_EACH][24];
static struct lb_driver reg_drv[REG_THREADS][REG_EACH];
static struct lb_driver common_drv[REG_THREADS];
static atomic_bool registering_done;

struct reg_job {
	unsigned id;
	unsigned registered, found_own, common_ok, common_exists, bad;
};

static void *register_and_find(void *arg)
{
	struct reg_job *j = arg;
	pthread_barrier_wait(&barrier);
	for (unsigned k = 0; k < REG_EACH; k++) {
		if (lb_ctx_register_driver(ctx, &reg_drv[j->id][k]) == LB_OK)
			j->registered++;
		const struct lb_driver *d;
		if (lb_ctx_find_driver(ctx, LB_DRIVER_BUS, reg_names[j->id][k], &d) == LB_OK &&
		    strcmp(d->name, reg_names[j->id][k]) == 0 && d->ops.bus->open == failing_open)
			j->found_own++;
		/* another thread's drivers, registered or not yet: found whole, or not at all */
		unsigned o = (j->id + 1) % REG_THREADS;
		if (lb_ctx_find_driver(ctx, LB_DRIVER_BUS, reg_names[o][k], &d) == LB_OK &&
		    strcmp(d->name, reg_names[o][k]) != 0)
			j->bad++;
	}
	int rc = lb_ctx_register_driver(ctx, &common_drv[j->id]);
	if (rc == LB_OK)
		j->common_ok++;
	else if (rc == LB_E_EXISTS)
		j->common_exists++;
	return NULL;
}

static void *list_drivers(void *arg)
{
	struct reg_job *j = arg;
	pthread_barrier_wait(&barrier);
	unsigned seen = 0;
	while (!atomic_load(&registering_done) || seen < 3) {
		if (atomic_load(&registering_done))
			seen++;
		unsigned n = lb_ctx_driver_count(ctx);
		for (unsigned i = 0; i < n; i++) {
			const struct lb_driver *d = lb_ctx_driver_at(ctx, i);
			if (!d || !d->name || !d->name[0] || d->size != sizeof(struct lb_driver))
				j->bad++;
		}
	}
	return NULL;
}

static const char *const dirs[2] = { "/data/one", "/data/two-which-is-longer" };

static void *churn_data_dir(void *arg)
{
	struct reg_job *j = arg;
	pthread_barrier_wait(&barrier);
	for (unsigned k = 0; !atomic_load(&registering_done) || k < 200; k++)
		if (lb_ctx_set_data_dir(ctx, dirs[k & 1]) != LB_OK)
			j->bad++;
	return NULL;
}

static char initial_dir[4096];

static void *read_data_dir(void *arg)
{
	struct reg_job *j = arg;
	pthread_barrier_wait(&barrier);
	for (unsigned k = 0; !atomic_load(&registering_done) || k < 200; k++) {
		const char *d = lb_ctx_get_data_dir(ctx);
		char copy[4096];
		snprintf(copy, sizeof(copy), "%s", d);
		if (strcmp(copy, dirs[0]) != 0 && strcmp(copy, dirs[1]) != 0 &&
		    strcmp(copy, initial_dir) != 0)
			j->bad++;
		/* a string handed out is never changed or freed while the context lives */
		if (strcmp(d, copy) != 0)
			j->bad++;
	}
	return NULL;
}

static void *run_role(void *arg)
{
	struct reg_job *j = arg;
	if (j->id < REG_THREADS)
		return register_and_find(arg);
	if (j->id == REG_THREADS)
		return list_drivers(arg);
	if (j->id == REG_THREADS + 1)
		return churn_data_dir(arg);
	return read_data_dir(arg);
}

static void test_concurrent_register_and_find(void **state)
{
	(void)state;
	unsigned before = lb_ctx_driver_count(ctx);
	for (unsigned t = 0; t < REG_THREADS; t++) {
		for (unsigned k = 0; k < REG_EACH; k++) {
			snprintf(reg_names[t][k], sizeof(reg_names[t][k]), "t%u-d%u", t, k);
			reg_drv[t][k] = (struct lb_driver){ .abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver),
							    .kind = LB_DRIVER_BUS, .kind_abi = LB_BUS_ABI,
							    .name = reg_names[t][k], .ops.bus = &reg_ops };
		}
		common_drv[t] = reg_drv[t][0];
		common_drv[t].name = "common";
	}
	enum { N = REG_THREADS + 3 };
	struct reg_job jobs[N];
	void *args[N];
	for (unsigned i = 0; i < N; i++) {
		jobs[i] = (struct reg_job){ .id = i };
		args[i] = &jobs[i];
	}
	snprintf(initial_dir, sizeof(initial_dir), "%s", lb_ctx_get_data_dir(ctx));
	atomic_store(&registering_done, false);
	pthread_barrier_init(&barrier, NULL, N);
	pthread_t t[N];
	for (unsigned i = 0; i < N; i++)
		assert_int_equal(pthread_create(&t[i], NULL, run_role, args[i]), 0);
	for (unsigned i = 0; i < REG_THREADS; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	atomic_store(&registering_done, true);
	for (unsigned i = REG_THREADS; i < N; i++)
		assert_int_equal(pthread_join(t[i], NULL), 0);
	pthread_barrier_destroy(&barrier);

	unsigned common_ok = 0, common_exists = 0;
	for (unsigned i = 0; i < N; i++) {
		assert_int_equal(jobs[i].bad, 0);
		common_ok += jobs[i].common_ok;
		common_exists += jobs[i].common_exists;
	}
	for (unsigned i = 0; i < REG_THREADS; i++) {
		assert_int_equal(jobs[i].registered, REG_EACH);
		assert_int_equal(jobs[i].found_own, REG_EACH);
	}
	/* exactly one thread won the shared name */
	assert_int_equal(common_ok, 1);
	assert_int_equal(common_exists, REG_THREADS - 1);
	assert_int_equal(lb_ctx_driver_count(ctx), before + REG_THREADS * REG_EACH + 1);
	/* every pointer handed out is the same, stable one */
	for (unsigned t2 = 0; t2 < REG_THREADS; t2++) {
		const struct lb_driver *a, *b;
		assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, reg_names[t2][3], &a), LB_OK);
		assert_int_equal(lb_ctx_find_driver(ctx, LB_DRIVER_BUS, reg_names[t2][3], &b), LB_OK);
		assert_ptr_equal(a, b);
	}
	assert_int_equal(lb_ctx_set_data_dir(ctx, ""), LB_OK);
}

static int setup(void **state)
{
	(void)state;
	return lb_ctx_create(&ctx);
}

static int teardown(void **state)
{
	(void)state;
	lb_ctx_destroy(ctx);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_thread_reads_its_own_detail),
		cmocka_unit_test(test_detail_belongs_to_its_context),
		cmocka_unit_test(test_driver_error_reaches_the_calling_thread),
		cmocka_unit_test(test_driver_error_on_a_foreign_env),
		cmocka_unit_test(test_concurrent_register_and_find),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
