/* SPDX-License-Identifier: MIT */
/*
 * The cp2112 driver's report layer and transfer engine (drivers/bus/cp2112/cp2112_proto.c)
 * against a CP2112 model that speaks AN495 reports with an emulator segment behind it, used
 * as a bus through the core, so the module calls are the ones of the emulator backend.
 * The USB side (libusb, usbfs) is tested in test_hw_cp2112.c; this one needs no umockdev.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include "drivers/bus/cp2112/cp2112_proto.h"
#include "cp2112_model.h"

#define PROFILE LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json"
#define MS 1000000ull

static struct cp2112_model *g_model; /* the model the test driver's next open uses */

struct model_bus {
	struct cp2112_model *m;
	struct cp2112_engine eng;
};

static int m_send(void *user, const uint8_t *report)
{
	model_out(user, report, 64);
	return LB_OK;
}

static int m_recv(void *user, uint8_t *report, unsigned timeout_ms)
{
	(void)timeout_ms;
	return model_in(user, report) ? 64 : LB_E_TIMEOUT;
}

static int m_get_feature(void *user, uint8_t id, uint8_t *buf, size_t len)
{
	int n = model_get_feature(user, id, buf, len);
	return n < 0 ? LB_E_IO : n;
}

static int m_set_feature(void *user, const uint8_t *buf, size_t len)
{
	return model_set_feature(user, buf, len) ? LB_E_IO : LB_OK;
}

static int mb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	struct model_bus *b = priv;
	(void)options;
	(void)handle;
	b->m = g_model;
	b->eng = (struct cp2112_engine){
		.io = { .send = m_send, .recv = m_recv, .get_feature = m_get_feature,
			.set_feature = m_set_feature, .user = b->m },
		.env = env, .name = "model", .xfer_timeout_ms = 100, .nack_retry_ms = 25,
		.resp_timeout_ms = 50,
	};
	return cp2112_engine_configure(&b->eng, 400000);
}

static void mb_close(void *priv)
{
	(void)priv;
}

static size_t mb_max(void *priv)
{
	(void)priv;
	return CP2112_WRITE_MAX;
}

static int mb_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct model_bus *b = priv;
	return cp2112_engine_xfer(&b->eng, msgs, n);
}

static const struct lb_bus_ops mb_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C, .priv_size = sizeof(struct model_bus), .open = mb_open,
	.close = mb_close, .max_transfer = mb_max, .xfer = mb_xfer,
};
static const struct lb_driver mb_driver = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "cp2112-model", .version = "test", .ops.bus = &mb_ops,
};

struct fx {
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *m;
	struct cp2112_model model;
	struct lb_ctx *ctx;
	struct lb_bus *bus, *ebus;
	struct lb_module *mod, *emod;
};

static const struct lb_module_addr where = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = 1 };

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	assert_int_equal(lb_emu_world_create(&f->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(f->w, 400, &f->seg), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(f->seg, 0x70), LB_OK);
	assert_int_equal(lb_emu_module_create(f->w, PROFILE, &f->m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(f->seg, 1, 0x50, f->m), LB_OK);
	model_init(&f->model, f->seg);
	g_model = &f->model;
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(f->ctx), LB_OK);
	struct lb_clock clock = lb_emu_world_clock(f->w);
	assert_int_equal(lb_ctx_set_clock(f->ctx, &clock), LB_OK);
	assert_int_equal(lb_ctx_register_driver(f->ctx, &mb_driver), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "cp2112-model", NULL, NULL, &f->bus), LB_OK);
	assert_int_equal(lb_module_open(f->bus, &where, &f->mod), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "emulator", NULL, f->seg, &f->ebus), LB_OK);
	assert_int_equal(lb_module_open(f->ebus, &where, &f->emod), LB_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	lb_module_close(f->mod);
	lb_module_close(f->emod);
	lb_bus_close(f->bus);
	lb_bus_close(f->ebus);
	lb_ctx_destroy(f->ctx);
	lb_emu_world_destroy(f->w);
	free(f);
	return 0;
}

/* Report layouts, byte by byte (AN495). */
static void test_encoders(void **state)
{
	(void)state;
	uint8_t r[64];
	const uint8_t off = 0x80, data[3] = { 1, 2, 3 };
	assert_int_equal(cp2112_encode_read(r, 0x50, 300), 4);
	assert_int_equal(r[0], 0x10);
	assert_int_equal(r[1], 0xA0);
	assert_int_equal(r[2], 0x01);
	assert_int_equal(r[3], 0x2C);
	assert_int_equal(cp2112_encode_write_read(r, 0x50, &off, 1, 128), 6);
	const uint8_t wr[6] = { 0x11, 0xA0, 0x00, 0x80, 0x01, 0x80 };
	assert_memory_equal(r, wr, 6);
	assert_int_equal(cp2112_encode_write(r, 0x70, data, 3), 6);
	const uint8_t w[6] = { 0x14, 0xE0, 0x03, 1, 2, 3 };
	assert_memory_equal(r, w, 6);
	assert_int_equal(r[6], 0); /* zero padded */
	assert_int_equal(cp2112_encode_force_send(r, 61), 3);
	assert_int_equal(r[0], 0x12);
	assert_int_equal(r[2], 61);
	assert_int_equal(cp2112_encode_status_request(r), 2);
	assert_int_equal(r[0], 0x15);
	assert_int_equal(r[1], 0x01);
	assert_int_equal(cp2112_encode_cancel(r), 2);
	assert_int_equal(r[0], 0x17);
	/* limits */
	uint8_t big[62] = { 0 };
	assert_int_equal(cp2112_encode_write(r, 0x50, big, 62), LB_E_INVAL);
	assert_int_equal(cp2112_encode_read(r, 0x50, 513), LB_E_INVAL);
	assert_int_equal(cp2112_encode_write_read(r, 0x50, big, 17, 1), LB_E_INVAL);
	assert_int_equal(cp2112_encode_read(r, 0x80, 1), LB_E_INVAL);
	/* configuration round trip */
	struct cp2112_smbus_config c = { .clock_hz = 400000, .device_address = 0x02, .write_timeout_ms = 100,
					 .read_timeout_ms = 100, .scl_low_timeout = true, .retry_time = 1 };
	struct cp2112_smbus_config d;
	assert_int_equal(cp2112_encode_config(r, &c), 14);
	const uint8_t cfg[14] = { 0x06, 0x00, 0x06, 0x1A, 0x80, 0x02, 0x00, 0x00, 0x64, 0x00, 0x64, 0x01, 0x00, 0x01 };
	assert_memory_equal(r, cfg, 14);
	assert_int_equal(cp2112_decode_config(r, 14, &d), LB_OK);
	assert_int_equal(d.clock_hz, 400000);
	assert_int_equal(d.retry_time, 1);
	/* status and read responses */
	struct cp2112_status st;
	const uint8_t s_nack[7] = { 0x16, 0x03, 0x00, 0x00, 0x01, 0x00, 0x00 };
	assert_int_equal(cp2112_decode_status(s_nack, 7, &st), LB_OK);
	assert_int_equal(cp2112_status_result(&st), LB_E_NACK);
	assert_string_equal(cp2112_status_text(&st), "address NACKed");
	const uint8_t s_ok[7] = { 0x16, 0x02, 0x05, 0x00, 0x00, 0x00, 0x80 };
	assert_int_equal(cp2112_decode_status(s_ok, 7, &st), LB_OK);
	assert_int_equal(cp2112_status_result(&st), LB_OK);
	assert_int_equal(st.length, 128);
	const uint8_t s_busy[7] = { 0x16, 0x01, 0x02, 0, 0, 0, 0 };
	assert_int_equal(cp2112_decode_status(s_busy, 7, &st), LB_OK);
	assert_int_equal(cp2112_status_result(&st), 1);
	const uint8_t s_bus[7] = { 0x16, 0x03, 0x01, 0, 0, 0, 0 };
	assert_int_equal(cp2112_decode_status(s_bus, 7, &st), LB_OK);
	assert_int_equal(cp2112_status_result(&st), LB_E_TIMEOUT);
	assert_int_equal(cp2112_decode_status(s_ok, 6, &st), LB_E_PARSE);
	const uint8_t rr[6] = { 0x13, 0x02, 0x03, 9, 8, 7 };
	struct cp2112_read_response resp;
	assert_int_equal(cp2112_decode_read_response(rr, 6, &resp), LB_OK);
	assert_int_equal(resp.length, 3);
	assert_int_equal(resp.data[2], 7);
	const uint8_t bad[3] = { 0x13, 0x02, 62 };
	assert_int_equal(cp2112_decode_read_response(bad, 3, &resp), LB_E_PARSE);
}

/* GPIO feature reports, byte by byte (AN495: 0x02 configuration, 0x03 get, 0x04 set). */
static void test_gpio_reports(void **state)
{
	(void)state;
	uint8_t r[64];
	memset(r, 0xEE, sizeof(r));
	struct cp2112_gpio_config c = { .direction = 0x07, .push_pull = 0x05, .special = 0x06, .clock_div = 0x10 };
	assert_int_equal(cp2112_encode_gpio_config(r, &c), 5);
	const uint8_t cfg[5] = { 0x02, 0x07, 0x05, 0x06, 0x10 };
	assert_memory_equal(r, cfg, 5);
	assert_int_equal(r[5], 0); /* zero padded */
	assert_int_equal(r[63], 0);
	struct cp2112_gpio_config d;
	assert_int_equal(cp2112_decode_gpio_config(cfg, 5, &d), LB_OK);
	assert_int_equal(d.direction, 0x07);
	assert_int_equal(d.push_pull, 0x05);
	assert_int_equal(d.special, 0x06);
	assert_int_equal(d.clock_div, 0x10);
	assert_int_equal(cp2112_decode_gpio_config(cfg, 4, &d), LB_E_PARSE);
	const uint8_t not_cfg[5] = { 0x06, 0, 0, 0, 0 };
	assert_int_equal(cp2112_decode_gpio_config(not_cfg, 5, &d), LB_E_PARSE);
	assert_int_equal(cp2112_encode_gpio_set(r, 0xA5, 0x0F), 3);
	const uint8_t set[3] = { 0x04, 0xA5, 0x0F };
	assert_memory_equal(r, set, 3);
	assert_int_equal(r[3], 0);
	uint8_t v = 0;
	const uint8_t get[2] = { 0x03, 0x5A };
	assert_int_equal(cp2112_decode_gpio_get(get, 2, &v), LB_OK);
	assert_int_equal(v, 0x5A);
	assert_int_equal(cp2112_decode_gpio_get(get, 1, &v), LB_E_PARSE);
	const uint8_t not_get[2] = { 0x04, 0x5A };
	assert_int_equal(cp2112_decode_gpio_get(not_get, 2, &v), LB_E_PARSE);
	/* special functions by pin: GPIO.7 clock (bit 0), GPIO.0 TX (bit 1), GPIO.1 RX (bit 2) */
	assert_int_equal(cp2112_gpio_special_of(0x80), 0x01);
	assert_int_equal(cp2112_gpio_special_of(0x01), 0x02);
	assert_int_equal(cp2112_gpio_special_of(0x02), 0x04);
	assert_int_equal(cp2112_gpio_special_of(0x7C), 0x00);
	/* the plan: ours set, the rest kept (GPIO.6 output open-drain, GPIO.7 clock stay) */
	struct cp2112_gpio_config cur = { .direction = 0x41, .push_pull = 0x08, .special = 0x07, .clock_div = 3 };
	struct cp2112_gpio_config next;
	cp2112_gpio_plan(&cur, 0x07, 0x18, &next);
	assert_int_equal(next.direction, 0x47);
	assert_int_equal(next.push_pull, 0x07);
	assert_int_equal(next.special, 0x01);
	assert_int_equal(next.clock_div, 3);
}

/* Open configured the chip: 400 kHz, one chip retry, Force Send reads. */
static void test_configure(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->model.n_config_set, 1);
	assert_int_equal(f->model.clock_hz, 400000);
	assert_int_equal(f->model.retry_time, 1);
	assert_int_equal(f->model.config[6], 0); /* auto send read off */
}

/* The same module calls as on the emulator bus give the same answers. */
static void test_module_calls(void **state)
{
	struct fx *f = *state;
	struct lb_module_identity a = LB_MODULE_IDENTITY_INIT, b = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(f->mod, &a), LB_OK);
	assert_int_equal(lb_module_get_identity(f->emod, &b), LB_OK);
	assert_string_equal(a.vendor_name, b.vendor_name);
	assert_string_equal(a.part_number, b.part_number);
	assert_string_equal(a.serial_number, b.serial_number);
	assert_true(a.page00_checksum_ok);
	uint8_t got[128], want[128];
	assert_int_equal(lb_module_read(f->mod, 0, 0x01, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x01, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);
	assert_true(f->model.max_read <= 61);
	assert_true(f->model.n_req[0x11] > 0);   /* write-read with repeated START */
	assert_true(f->model.n_req[0x14] >= 1);  /* the mux byte, at least */
	uint8_t v = 0x3C, back = 0;
	assert_int_equal(lb_module_write(f->mod, 0, 0x10, 130, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0x3C);
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &st);
	assert_int_equal(st.errors, 0);
}

/* Busy polls are followed; a transfer that never completes is cancelled: LB_E_TIMEOUT. */
static void test_busy_and_timeout(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	f->model.busy_polls = 3;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
	f->model.busy_polls = 0;
	f->model.stuck_busy = 1;
	uint64_t t0 = lb_emu_world_now_ns(f->w);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_TIMEOUT);
	uint64_t dt = lb_emu_world_now_ns(f->w) - t0;
	assert_true(dt >= 100 * MS && dt < 110 * MS);
	assert_int_equal(f->model.n_req[0x17], 1); /* cancelled */
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
}

/* A NACK in the status response is LB_E_NACK after the bounded retry; a short burst is retried away. */
static void test_nack(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_NACK, 2), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	lb_emu_module_remove(f->m);
	uint64_t t0 = lb_emu_world_now_ns(f->w);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NACK);
	uint64_t dt = lb_emu_world_now_ns(f->w) - t0;
	assert_true(dt >= 25 * MS && dt < 40 * MS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encoders),
		cmocka_unit_test(test_gpio_reports),
		cmocka_unit_test_setup_teardown(test_configure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_module_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_and_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nack, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
