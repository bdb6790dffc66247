/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/driver.h>
#include "rec_bus.h"

struct rec_priv {
	struct lb_test_rec *r;
};

static int rec_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	(void)env;
	(void)options;
	struct rec_priv *p = priv;
	if (!handle)
		return LB_E_INVAL;
	p->r = handle;
	return LB_OK;
}

static void rec_close(void *priv)
{
	(void)priv;
}

static size_t rec_max_transfer(void *priv)
{
	(void)priv;
	return 256;
}

static size_t rec_max_write(void *priv)
{
	struct rec_priv *p = priv;
	return p->r->max_write ? p->r->max_write : 256;
}

static void rec_log(struct lb_test_rec *r, const struct lb_i2c_msg *msgs, unsigned n, int rc)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->log = realloc(r->log, r->cap * sizeof(*r->log));
		assert_non_null(r->log);
	}
	struct lb_test_rec_xfer *x = &r->log[r->n++];
	memset(x, 0, sizeof(*x));
	x->addr = msgs[0].addr;
	x->rc = rc;
	x->thread = pthread_self();
	if (!(msgs[0].flags & LB_I2C_M_RD) && msgs[0].len)
		x->first = msgs[0].buf[0];
	/* A read behind a read-back of the select bytes is logged as the read it carries. */
	if (n == 4 && (msgs[3].flags & LB_I2C_M_RD) && !(msgs[2].flags & LB_I2C_M_RD) && msgs[2].len) {
		x->read = true;
		x->sel_read_back = true;
		x->first = msgs[2].buf[0];
		x->len = msgs[3].len;
	} else if (n == 2 && (msgs[1].flags & LB_I2C_M_RD)) {
		x->read = true;
		x->len = msgs[1].len;
	} else if (msgs[0].len) {
		x->len = (uint16_t)(msgs[0].len - 1u);
		memcpy(x->data, msgs[0].buf + 1, x->len < sizeof(x->data) ? x->len : sizeof(x->data));
	}
}

static int rec_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct lb_test_rec *r = ((struct rec_priv *)priv)->r;
	int rc = r->hook ? r->hook(r, msgs, n) : LB_OK;
	if (rc == LB_OK) {
		if (r->seg) {
			rc = lb_emu_segment_xfer(r->seg, msgs, n);
		} else {
			for (unsigned i = 0; i < n; i++)
				if (msgs[i].flags & LB_I2C_M_RD)
					memset(msgs[i].buf, 0, msgs[i].len);
			r->now_ns += 100000; /* 0.1 ms a transfer */
		}
	}
	rec_log(r, msgs, n, rc);
	return rc;
}

static uint64_t rec_now(void *user)
{
	struct lb_test_rec *r = user;
	return r->seg ? lb_emu_segment_now_ns(r->seg) : r->now_ns;
}

static void rec_sleep(void *user, uint64_t ns)
{
	struct lb_test_rec *r = user;
	if (r->seg)
		lb_emu_segment_advance_ns(r->seg, ns);
	else
		r->now_ns += ns;
}

static int rec_get_clock(void *priv, struct lb_clock *out)
{
	struct rec_priv *p = priv;
	*out = (struct lb_clock){ .now_ns = rec_now, .sleep_ns = rec_sleep, .user = p->r };
	return LB_OK;
}

static const struct lb_bus_ops rec_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C | LB_BUS_CAP_CLOCK | LB_BUS_CAP_COMBINED,
	.priv_size = sizeof(struct rec_priv),
	.open = rec_open,
	.close = rec_close,
	.max_transfer = rec_max_transfer,
	.xfer = rec_xfer,
	.get_clock = rec_get_clock,
	.max_write = rec_max_write,
};

static const struct lb_driver rec_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "test-rec",
	.version = "1",
	.ops.bus = &rec_ops,
};

void lb_test_rec_open(struct lb_ctx *ctx, struct lb_test_rec *r, struct lb_bus **out)
{
	const struct lb_driver *d;
	if (lb_ctx_find_driver(ctx, LB_DRIVER_BUS, "test-rec", &d) != LB_OK)
		assert_int_equal(lb_ctx_register_driver(ctx, &rec_driver), LB_OK);
	assert_int_equal(lb_bus_open(ctx, "test-rec", NULL, r, out), LB_OK);
}

void lb_test_rec_clear(struct lb_test_rec *r)
{
	r->n = 0;
}

void lb_test_rec_free(struct lb_test_rec *r)
{
	free(r->log);
	r->log = NULL;
	r->n = r->cap = 0;
}

void lb_test_rec_dump(const struct lb_test_rec *r)
{
	for (unsigned i = 0; i < r->n; i++) {
		const struct lb_test_rec_xfer *x = &r->log[i];
		fprintf(stderr, "%3u: 0x%02x %s at %3u len %3u rc %d\n", i, x->addr,
			x->read ? "read " : "write", x->first, x->len, x->rc);
	}
}

void lb_test_rec_rig_up(struct lb_test_rec_rig *r, const char *src_dir, const char *profile,
			unsigned modules)
{
	char path[1024], err[256] = "";
	const char *dd = getenv("LB_DATADIR");
	assert_true(modules <= LB_TEST_REC_RIG_MAX);
	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", dd ? dd : src_dir, profile);
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&r->world), LB_OK);
	assert_int_equal(lb_emu_segment_create(r->world, 400, &r->seg), LB_OK);
	r->rec.seg = r->seg;
	lb_test_rec_open(r->ctx, &r->rec, &r->bus);
	for (unsigned i = 0; i < modules; i++) {
		if (lb_emu_module_create(r->world, path, &r->emu[i], err, sizeof(err)))
			fail_msg("%s: %s", path, err);
		uint16_t addr = (uint16_t)(0x50 + i);
		assert_int_equal(lb_emu_segment_attach(r->seg, -1, addr, r->emu[i]), LB_OK);
		struct lb_module_addr where = { .addr = addr, .mux_channel = -1 };
		assert_int_equal(lb_module_open(r->bus, &where, &r->m[i]), LB_OK);
		uint8_t b;
		assert_int_equal(lb_module_read(r->m[i], 0, 0, 0, &b, 1), LB_OK);
	}
	lb_test_rec_clear(&r->rec);
	lb_bus_reset_stats(r->bus);
}

void lb_test_rec_rig_down(struct lb_test_rec_rig *r)
{
	for (unsigned i = 0; i < LB_TEST_REC_RIG_MAX; i++)
		lb_module_close(r->m[i]);
	lb_bus_close(r->bus);
	lb_test_rec_free(&r->rec);
	lb_emu_world_destroy(r->world);
	lb_ctx_destroy(r->ctx);
	memset(r, 0, sizeof(*r));
}
