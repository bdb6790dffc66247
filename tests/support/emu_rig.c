/* SPDX-License-Identifier: MIT */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <lightbridge/driver.h>
#include "emu_fixture.h"
#include "emu_rig.h"

struct flaky_priv {
	struct lb_test_flaky *f;
};

static int flaky_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		      void *handle)
{
	(void)env;
	(void)options;
	struct flaky_priv *p = priv;
	if (!handle)
		return LB_E_INVAL;
	p->f = handle;
	return LB_OK;
}

static void flaky_close(void *priv)
{
	(void)priv;
}

static size_t flaky_max_transfer(void *priv)
{
	(void)priv;
	return 256;
}

/* Flip the byte the test asked for in the read messages of a transfer, where they cover it. */
static void corrupt(struct lb_test_flaky *f, uint8_t page, struct lb_i2c_msg *msgs, unsigned n)
{
	for (unsigned i = 1; i < n && f->corrupt_left; i++) {
		struct lb_i2c_msg *rd = &msgs[i], *wr = &msgs[i - 1];
		if (!(rd->flags & LB_I2C_M_RD) || (wr->flags & LB_I2C_M_RD) || !wr->len)
			continue;
		unsigned s = wr->buf[0];
		if (s < 128 || page != f->corrupt_page || f->corrupt_addr < s ||
		    f->corrupt_addr >= s + rd->len)
			continue;
		rd->buf[f->corrupt_addr - s] ^= f->corrupt_xor ? f->corrupt_xor : 0x40;
		f->corrupt_left--;
	}
}

static int flaky_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct flaky_priv *p = priv;
	uint64_t n_ = ++p->f->count, len = p->f->nack_len ? p->f->nack_len : 1;
	if (p->f->nack_at && n_ >= p->f->nack_at && n_ < p->f->nack_at + len)
		return LB_E_NACK;
	uint8_t page = 0;
	if (p->f->corrupt_left)
		lb_emu_module_peek(p->f->rig->emu, 0, 0, 127, &page, 1);
	int rc = lb_emu_segment_xfer(p->f->seg, msgs, n);
	if (rc == LB_OK && p->f->corrupt_left)
		corrupt(p->f, page, msgs, n);
	return rc;
}

static uint64_t rig_now(void *user);
static void rig_sleep(void *user, uint64_t ns);

/* The bus runs on the rig's clock: the segment's time, with the rig's sleep hook. */
static int flaky_get_clock(void *priv, struct lb_clock *out)
{
	struct flaky_priv *p = priv;
	*out = (struct lb_clock){ .now_ns = rig_now, .sleep_ns = rig_sleep, .user = p->f->rig };
	return LB_OK;
}

static uint64_t flaky_last_xfer_ns(void *priv)
{
	struct flaky_priv *p = priv;
	return lb_emu_segment_last_xfer_ns(p->f->seg);
}

static const struct lb_bus_ops flaky_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C | LB_BUS_CAP_CLOCK | LB_BUS_CAP_TIMED | LB_BUS_CAP_COMBINED,
	.priv_size = sizeof(struct flaky_priv),
	.open = flaky_open,
	.close = flaky_close,
	.max_transfer = flaky_max_transfer,
	.xfer = flaky_xfer,
	.get_clock = flaky_get_clock,
	.last_xfer_ns = flaky_last_xfer_ns,
};

static const struct lb_driver flaky_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "test-flaky",
	.version = "1",
	.ops.bus = &flaky_ops,
};

static uint64_t rig_now(void *user)
{
	struct lb_test_rig *r = user;
	return lb_emu_segment_now_ns(r->seg);
}

static void rig_sleep(void *user, uint64_t ns)
{
	struct lb_test_rig *r = user;
	lb_emu_segment_advance_ns(r->seg, ns);
	r->sleeps++;
	if (r->hook)
		r->hook(r, ns);
}

static void rig_finish(struct lb_test_rig *r, bool flaky)
{
	/*
	 * The rig's own driver passes transfers to the segment (NACKing where a flaky test asks)
	 * and gives the bus the rig's clock, so that the sleep hook sees every wait.
	 */
	(void)flaky;
	r->flaky.seg = r->seg;
	r->flaky.rig = r;
	assert_int_equal(lb_ctx_register_driver(r->ctx, &flaky_driver), LB_OK);
	assert_int_equal(lb_bus_open(r->ctx, "test-flaky", NULL, &r->flaky, &r->bus), LB_OK);
	assert_int_equal(lb_module_open(r->bus, NULL, &r->m), LB_OK);
}

/* The emulator side is the emulator tests' own fixture (emu_fixture.h). */
static void rig_start(struct lb_test_rig *r, const char *path, uint32_t khz, bool image)
{
	struct emu_fx fx;
	memset(r, 0, sizeof(*r));
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	fx_open_ex(&fx, path, khz, image);
	r->world = fx.w;
	r->seg = fx.s;
	r->emu = fx.m;
}

void lb_test_rig_profile(struct lb_test_rig *r, const char *src_dir, const char *name,
			 uint32_t khz, bool flaky)
{
	char path[1024];
	const char *dd = getenv("LB_DATADIR");

	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", dd ? dd : src_dir, name);
	rig_start(r, path, khz, false);
	rig_finish(r, flaky);
}

void lb_test_profile_variant(const char *src_dir, const char *name, const char *find,
			     const char *insert, char *path, size_t len)
{
	char src[1024];
	const char *dd = getenv("LB_DATADIR");
	snprintf(src, sizeof(src), "%s/emulator/profiles/%s.json", dd ? dd : src_dir, name);
	FILE *f = fopen(src, "r");
	assert_non_null(f);
	static char text[65536];
	size_t n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *at = strstr(text, find);
	assert_non_null(at);
	snprintf(path, len, "/tmp/lb-test-profile-XXXXXX.json");
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	size_t head = (size_t)(at - text), ins = strlen(insert);
	assert_true(write(fd, text, head) == (ssize_t)head);
	assert_true(write(fd, insert, ins) == (ssize_t)ins);
	assert_true(write(fd, at, n - head) == (ssize_t)(n - head));
	close(fd);
}

void lb_test_rig_profile_file(struct lb_test_rig *r, const char *path, uint32_t khz, bool flaky)
{
	rig_start(r, path, khz, false);
	rig_finish(r, flaky);
}

void lb_test_rig_image(struct lb_test_rig *r, const char *path, uint32_t khz, bool flaky)
{
	rig_start(r, path, khz, true);
	rig_finish(r, flaky);
}

void lb_test_rig_down(struct lb_test_rig *r)
{
	lb_module_close(r->m);
	lb_bus_close(r->bus);
	lb_emu_world_destroy(r->world);
	lb_ctx_destroy(r->ctx);
	memset(r, 0, sizeof(*r));
}

struct lb_bus_stats lb_test_rig_stats(struct lb_test_rig *r)
{
	struct lb_bus_stats s = LB_BUS_STATS_INIT;

	lb_bus_get_stats(r->bus, &s);
	return s;
}
