/* SPDX-License-Identifier: MIT */
/*
 * Muxes as segment devices, driven as a host would (control bytes written to the muxes,
 * modules read through lb_emu_segment_xfer): two levels (a mux on a channel of another),
 * more than four muxes and more than 16 modules on one bus, PCA9548 semantics (a device
 * answers only while every mux on its path enables it), the address rules, and the
 * segment's mux of lb_emu_segment_add_mux / lb_emu_segment_attach next to the new calls.
 */
#include "emu_fixture.h"

static struct lb_emu_module *mod(struct lb_emu_world *w, const char *profile)
{
	struct lb_emu_module *m;
	char err[256] = "";
	int rc = lb_emu_module_create(w, profile, &m, err, sizeof(err));
	if (rc)
		print_error("%s: %s\n", profile, err);
	assert_int_equal(rc, LB_OK);
	return m;
}

static int ctl_write(struct lb_emu_segment *s, uint16_t mux_addr, uint8_t control)
{
	struct lb_i2c_msg msg = { .addr = mux_addr, .flags = 0, .len = 1, .buf = &control };
	return lb_emu_segment_xfer(s, &msg, 1);
}

static uint8_t ctl_read(struct lb_emu_segment *s, uint16_t mux_addr)
{
	uint8_t v = 0xEE;
	struct lb_i2c_msg msg = { .addr = mux_addr, .flags = LB_I2C_M_RD, .len = 1, .buf = &v };
	assert_int_equal(lb_emu_segment_xfer(s, &msg, 1), LB_OK);
	return v;
}

/* Read one byte of the device at addr: [write off][read 1]. */
static int rd_at(struct lb_emu_segment *s, uint16_t addr, uint8_t off, uint8_t *v)
{
	struct lb_i2c_msg msgs[2] = {
		{ .addr = addr, .flags = 0, .len = 1, .buf = &off },
		{ .addr = addr, .flags = LB_I2C_M_RD, .len = 1, .buf = v },
	};
	return lb_emu_segment_xfer(s, msgs, 2);
}

static int wr_at(struct lb_emu_segment *s, uint16_t addr, uint8_t off, uint8_t v)
{
	uint8_t b[2] = { off, v };
	struct lb_i2c_msg msg = { .addr = addr, .flags = 0, .len = 2, .buf = b };
	return lb_emu_segment_xfer(s, &msg, 1);
}

static void test_two_levels(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	struct lb_emu_mux *top, *sub;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x70, &top), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, top, 2, 0x71, &sub), LB_OK);
	struct lb_emu_module *qsfp = mod(w, EMU_PROFILE("400g-fr4-qsfpdd")); /* id 0x18 */
	struct lb_emu_module *osfp = mod(w, EMU_PROFILE("800g-dr8-osfp"));   /* id 0x19 */
	assert_int_equal(lb_emu_segment_attach_path(s, sub, 5, 0x50, osfp), LB_OK);
	assert_int_equal(lb_emu_segment_attach_path(s, top, 3, 0x50, qsfp), LB_OK);

	uint8_t v;
	/* Power-on: every channel off; only the top mux answers. */
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_E_NACK);
	assert_int_equal(ctl_write(s, 0x71, 0xFF), LB_E_NACK); /* behind a closed channel */
	assert_int_equal(ctl_read(s, 0x70), 0x00);

	/* The path to the OSFP: 0x70 channel 2, then 0x71 channel 5. */
	assert_int_equal(ctl_write(s, 0x70, 1u << 2), LB_OK);
	assert_int_equal(ctl_read(s, 0x71), 0x00);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_E_NACK); /* 0x71 has nothing enabled yet */
	assert_int_equal(ctl_write(s, 0x71, 1u << 5), LB_OK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x19);
	assert_int_equal(ctl_write(s, 0x71, 1u << 4), LB_OK); /* another channel of the sub-mux */
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_E_NACK);
	assert_int_equal(ctl_write(s, 0x71, 1u << 5), LB_OK);

	/* Closing the top channel cuts the sub-mux and all behind it; its byte is kept. */
	assert_int_equal(ctl_write(s, 0x70, 1u << 3), LB_OK);
	assert_int_equal(rd_at(s, 0x71, 0, &v), LB_E_NACK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x18); /* the QSFP-DD on 0x70 channel 3 */
	assert_int_equal(ctl_write(s, 0x70, 1u << 2), LB_OK);
	assert_int_equal(ctl_read(s, 0x71), 1u << 5);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x19);

	/* Both paths open at once: writes reach both, reads see the wired-AND. */
	assert_int_equal(ctl_write(s, 0x70, (1u << 2) | (1u << 3)), LB_OK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x18 & 0x19);
	assert_int_equal(wr_at(s, 0x50, 31, 0x5A), LB_OK);
	uint8_t a, b;
	assert_int_equal(lb_emu_module_peek(qsfp, 0, 0, 31, &a, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(osfp, 0, 0, 31, &b, 1), LB_OK);
	assert_int_equal(a, 0x5A);
	assert_int_equal(b, 0x5A);

	/* One combined transfer may route and read: the control byte acts for later messages. */
	uint8_t c2 = 1u << 2, off = 0;
	struct lb_i2c_msg msgs[3] = {
		{ .addr = 0x70, .flags = 0, .len = 1, .buf = &c2 },
		{ .addr = 0x50, .flags = 0, .len = 1, .buf = &off },
		{ .addr = 0x50, .flags = LB_I2C_M_RD, .len = 1, .buf = &v },
	};
	assert_int_equal(lb_emu_segment_xfer(s, msgs, 3), LB_OK);
	assert_int_equal(v, 0x19);
	lb_emu_world_destroy(w);
}

/* A module behind two closed muxes still runs on its bus's clock: its timers fire on time. */
static void test_runs_behind_closed_channels(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	struct lb_emu_mux *top, *sub;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x74, &top), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, top, 7, 0x75, &sub), LB_OK);
	struct lb_emu_module *m = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	assert_int_equal(lb_emu_segment_attach_path(s, sub, 0, 0x50, m), LB_OK);
	struct lb_emu_timing tm;
	lb_emu_module_get_timing(m, &tm);

	assert_int_equal(ctl_write(s, 0x74, 1u << 7), LB_OK);
	assert_int_equal(ctl_write(s, 0x75, 1u << 0), LB_OK);
	uint64_t t0 = lb_emu_segment_now_ns(s);
	assert_int_equal(wr_at(s, 0x50, 26, 0x00), LB_OK); /* leave low power: PwrUp from t0 */
	uint8_t flags;
	assert_int_equal(rd_at(s, 0x50, 8, &flags), LB_OK); /* 8.0 for LowPwr -> PwrUp, cleared */
	assert_int_equal(flags & 0x01, 0x01);
	assert_int_equal(ctl_write(s, 0x74, 0), LB_OK);
	assert_int_equal(lb_emu_module_state(m), 2);
	lb_emu_segment_advance_ns(s, t0 + tm.module_pwr_up_ns - 1 - lb_emu_segment_now_ns(s));
	assert_int_equal(lb_emu_module_state(m), 2);
	assert_int_equal(lb_emu_module_intl(m), 0);
	lb_emu_segment_advance_ns(s, 1);
	assert_int_equal(lb_emu_module_state(m), 3); /* ModuleReady, exactly on time */
	assert_int_equal(lb_emu_module_intl(m), 1);  /* 8.0 latched with nobody looking */
	lb_emu_world_destroy(w);
}

#define NMUX 6
#define PER_MUX 4

/* Route to channel k of top-level mux i only (every other mux of the bus closed). */
static void route(struct lb_emu_segment *s, unsigned i, unsigned k)
{
	for (unsigned j = 0; j < NMUX; j++)
		assert_int_equal(ctl_write(s, (uint16_t)(0x70 + j), (uint8_t)(j == i ? 1u << k : 0u)),
				 LB_OK);
}

static void test_many_muxes_and_modules(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	struct lb_emu_mux *mux[NMUX];
	struct lb_emu_module *m[NMUX][PER_MUX];
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 1000, &s), LB_OK);
	for (unsigned i = 0; i < NMUX; i++) {
		assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, (uint16_t)(0x70 + i), &mux[i]),
				 LB_OK);
		/* the usual cage layout: every module at 0x50, told apart by the muxes only */
		for (unsigned k = 0; k < PER_MUX; k++) {
			m[i][k] = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
			assert_int_equal(lb_emu_segment_attach_path(s, mux[i], (int)k, 0x50, m[i][k]), LB_OK);
		}
	}
	/* 24 modules on one bus behind 6 muxes: each written alone, through its own path ... */
	for (unsigned i = 0; i < NMUX; i++)
		for (unsigned k = 0; k < PER_MUX; k++) {
			route(s, i, k);
			assert_int_equal(wr_at(s, 0x50, 31, (uint8_t)(i * 16 + k)), LB_OK);
		}
	/* ... and each reads back its own byte, in another order. */
	for (unsigned n = NMUX * PER_MUX; n-- > 0;) {
		unsigned i = n % NMUX, k = n / NMUX;
		route(s, i, k);
		uint8_t v;
		assert_int_equal(rd_at(s, 0x50, 31, &v), LB_OK);
		assert_int_equal(v, i * 16 + k);
		uint8_t peeked;
		assert_int_equal(lb_emu_module_peek(m[i][k], 0, 0, 31, &peeked, 1), LB_OK);
		assert_int_equal(peeked, v);
	}
	/* Destroying a module takes it off its mux channel. */
	route(s, 2, 1);
	lb_emu_module_destroy(m[2][1]);
	uint8_t v;
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_E_NACK);
	lb_emu_world_destroy(w);
}

static void test_address_rules(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s, *other;
	struct lb_emu_mux *top, *sub, *foreign, *deep;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &other), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(other, NULL, -1, 0x70, &foreign), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x70, &top), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x70, NULL), LB_E_EXISTS);
	assert_int_equal(lb_emu_segment_add_mux_at(s, top, 2, 0x71, &sub), LB_OK);

	struct lb_emu_module *a = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_module *b = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_module *c = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	/* bad places */
	assert_int_equal(lb_emu_segment_attach_path(s, top, 8, 0x50, a), LB_E_INVAL);
	assert_int_equal(lb_emu_segment_attach_path(s, NULL, 0, 0x50, a), LB_E_INVAL);
	assert_int_equal(lb_emu_segment_attach_path(s, foreign, 0, 0x50, a), LB_E_INVAL);
	assert_int_equal(lb_emu_segment_attach_path(s, top, 0, 0x80, a), LB_E_INVAL);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, 0, 0x72, NULL), LB_E_INVAL);
	assert_int_equal(lb_emu_segment_add_mux_at(s, foreign, 0, 0x72, NULL), LB_E_INVAL);
	/* A mux's own address clashes with anything on its channels, and its channel with it. */
	assert_int_equal(lb_emu_segment_attach_path(s, sub, 0, 0x71, a), LB_E_EXISTS);
	assert_int_equal(lb_emu_segment_attach_path(s, top, 2, 0x71, a), LB_E_EXISTS);
	assert_int_equal(lb_emu_segment_attach_path(s, top, 3, 0x71, a), LB_OK); /* other channel */
	/* Down the same channel: a device on 0x70 ch 2 and one behind 0x71 clash. */
	assert_int_equal(lb_emu_segment_attach_path(s, top, 2, 0x50, b), LB_OK);
	assert_int_equal(lb_emu_segment_attach_path(s, sub, 0, 0x50, c), LB_E_EXISTS);
	/* Directly on the segment clashes with every channel. */
	assert_int_equal(lb_emu_segment_attach_path(s, NULL, -1, 0x50, c), LB_E_EXISTS);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x50, NULL), LB_E_EXISTS);
	/* Two muxes side by side keep their channels apart. */
	struct lb_emu_mux *side;
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x72, &side), LB_OK);
	assert_int_equal(lb_emu_segment_attach_path(s, side, 2, 0x50, c), LB_OK);
	/* A module sits on one segment at a time. */
	assert_int_equal(lb_emu_segment_attach_path(s, side, 3, 0x52, a), LB_E_EXISTS);
	/* Muxes nest eight levels deep at most; a module may sit behind the eighth. */
	deep = sub;
	for (unsigned lvl = 3; lvl <= 8; lvl++)
		assert_int_equal(lb_emu_segment_add_mux_at(s, deep, 7, (uint16_t)(0x60 + lvl), &deep),
				 LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, deep, 7, 0x69, NULL), LB_E_RANGE);
	struct lb_emu_module *d = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	assert_int_equal(lb_emu_segment_attach_path(s, deep, 0, 0x51, d), LB_OK);
	uint8_t on = 1u << 2, seven = 1u << 7, v;
	assert_int_equal(ctl_write(s, 0x70, on), LB_OK);
	assert_int_equal(ctl_write(s, 0x71, seven), LB_OK);
	for (unsigned lvl = 3; lvl <= 7; lvl++)
		assert_int_equal(ctl_write(s, (uint16_t)(0x60 + lvl), seven), LB_OK);
	assert_int_equal(ctl_write(s, 0x68, 1u << 0), LB_OK);
	assert_int_equal(rd_at(s, 0x51, 0, &v), LB_OK);
	assert_int_equal(v, 0x18);
	lb_emu_world_destroy(w);
}

/* lb_emu_segment_add_mux and lb_emu_segment_attach keep working next to the new calls. */
static void test_segment_mux(void **state)
{
	(void)state;
	struct lb_emu_world *w;
	struct lb_emu_segment *s;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	struct lb_emu_module *a = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	struct lb_emu_module *b = mod(w, EMU_PROFILE("800g-dr8-osfp"));
	/* attached to the segment's mux before it is added: answers once it is */
	assert_int_equal(lb_emu_segment_attach(s, 4, 0x50, a), LB_OK);
	uint8_t v;
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_E_NACK);
	assert_int_equal(lb_emu_segment_add_mux(s, 0x50), LB_E_EXISTS); /* clashes with the module */
	assert_int_equal(lb_emu_segment_add_mux(s, 0x70), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(s, 0x71), LB_E_EXISTS);
	assert_int_equal(ctl_write(s, 0x70, 1u << 4), LB_OK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x18);
	/* more muxes with the new call; the segment's mux stays the first */
	struct lb_emu_mux *more;
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x71, &more), LB_OK);
	assert_int_equal(lb_emu_segment_attach(s, 1, 0x50, b), LB_OK);
	assert_int_equal(ctl_write(s, 0x70, 1u << 1), LB_OK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x19);
	lb_emu_world_destroy(w);

	/* the first mux added directly on a segment is its mux */
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	assert_int_equal(lb_emu_segment_create(w, 400, &s), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux_at(s, NULL, -1, 0x73, NULL), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(s, 0x70), LB_E_EXISTS);
	a = mod(w, EMU_PROFILE("400g-fr4-qsfpdd"));
	assert_int_equal(lb_emu_segment_attach(s, 6, 0x50, a), LB_OK);
	assert_int_equal(ctl_write(s, 0x73, 1u << 6), LB_OK);
	assert_int_equal(rd_at(s, 0x50, 0, &v), LB_OK);
	assert_int_equal(v, 0x18);
	lb_emu_world_destroy(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_levels),
		cmocka_unit_test(test_runs_behind_closed_channels),
		cmocka_unit_test(test_many_muxes_and_modules),
		cmocka_unit_test(test_address_rules),
		cmocka_unit_test(test_segment_mux),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
