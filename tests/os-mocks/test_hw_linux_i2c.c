/* SPDX-License-Identifier: MIT */
/*
 * The linux-i2c bus driver through the real system interface: /dev/i2c-3 is a umockdev node
 * whose ioctls (I2C_FUNCS, I2C_RDWR, I2C_SLAVE, I2C_SMBUS) are answered by an emulator
 * segment with a PCA9548-style mux at 0x70 and a CMIS module on channel 2. The driver code is
 * unmodified: open(), ioctl() and readdir() go through umockdev's preload library.
 * The library sees the module with the same calls as on the emulator bus.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/detect.h>
#include "umockdev_i2c.h"

#define PROFILE LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json"
#define FUNCS_I2C (I2C_FUNC_I2C | I2C_FUNC_SMBUS_EMUL)
#define FUNCS_SMBUS_BLOCK (I2C_FUNC_SMBUS_BYTE | I2C_FUNC_SMBUS_BYTE_DATA | I2C_FUNC_SMBUS_I2C_BLOCK)
#define FUNCS_SMBUS_BYTE (I2C_FUNC_SMBUS_BYTE | I2C_FUNC_SMBUS_BYTE_DATA)
#define MS 1000000ull

struct fx {
	UMockdevTestbed *tb;
	struct umock_i2c dev;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *m;
	struct lb_ctx *ctx;
	struct lb_bus *bus;       /* linux-i2c on /dev/i2c-3 */
	struct lb_bus *ebus;      /* emulator bus on the same segment, for comparison */
	struct lb_module *mod, *emod;
	char log[4096];
};

static void log_hook(void *user, enum lb_log_level level, const char *msg)
{
	struct fx *f = user;
	(void)level;
	size_t n = strlen(f->log);
	if (n + strlen(msg) + 2 < sizeof(f->log))
		snprintf(f->log + n, sizeof(f->log) - n, "%s\n", msg);
}

static const struct lb_module_addr where = { .addr = 0x50, .mux_addr = 0x70, .mux_channel = 2 };

static int open_bus(struct fx *f, const char *options)
{
	lb_module_close(f->mod);
	lb_bus_close(f->bus);
	f->mod = NULL;
	f->bus = NULL;
	int rc = lb_bus_open(f->ctx, "linux-i2c", options, NULL, &f->bus);
	if (rc == LB_OK)
		assert_int_equal(lb_module_open(f->bus, &where, &f->mod), LB_OK);
	return rc;
}

static int setup_funcs(void **state, unsigned long funcs)
{
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev-preload")) {
		print_message("not under umockdev's preload library (LD_PRELOAD=libumockdev-preload.so.0)\n");
		return -1;
	}
	struct fx *f = calloc(1, sizeof(*f));
	char err[256] = "";
	if (!f)
		return -1;
	f->tb = umockdev_testbed_new();
	assert_int_equal(lb_emu_world_create(&f->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(f->w, 400, &f->seg), LB_OK);
	assert_int_equal(lb_emu_segment_add_mux(f->seg, 0x70), LB_OK);
	assert_int_equal(lb_emu_module_create(f->w, PROFILE, &f->m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(f->seg, 2, 0x50, f->m), LB_OK);
	umock_i2c_add(&f->dev, f->tb, 3, "SMBus I801 adapter at efa0", f->seg, funcs);
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(f->ctx), LB_OK);
	lb_ctx_set_log(f->ctx, log_hook, f, LB_LOG_DEBUG);
	/* Virtual time: the driver's busy-NACK sleeps advance the emulator's world. */
	struct lb_clock clock = lb_emu_world_clock(f->w);
	assert_int_equal(lb_ctx_set_clock(f->ctx, &clock), LB_OK);
	assert_int_equal(lb_ctx_set_data_dir(f->ctx, LB_SOURCE_DIR), LB_OK);
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\"}"), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "emulator", NULL, f->seg, &f->ebus), LB_OK);
	assert_int_equal(lb_module_open(f->ebus, &where, &f->emod), LB_OK);
	*state = f;
	return 0;
}

static int setup_i2c(void **state)
{
	return setup_funcs(state, FUNCS_I2C);
}

static int setup_smbus_block(void **state)
{
	return setup_funcs(state, FUNCS_SMBUS_BLOCK);
}

static int setup_smbus_byte(void **state)
{
	return setup_funcs(state, FUNCS_SMBUS_BYTE);
}

static int teardown(void **state)
{
	struct fx *f = *state;
	lb_module_close(f->mod);
	lb_module_close(f->emod);
	lb_bus_close(f->bus);
	lb_bus_close(f->ebus);
	lb_ctx_destroy(f->ctx);
	umock_i2c_remove(&f->dev);
	g_clear_object(&f->tb);
	lb_emu_world_destroy(f->w);
	free(f);
	return 0;
}

/* lbctl detect's source: the adapter, its sysfs name and functionality. */
struct seen {
	unsigned n;
	struct lb_bus_found b[8];
};

static int collect(void *user, const struct lb_bus_found *bus)
{
	struct seen *s = user;
	if (s->n < 8)
		s->b[s->n++] = *bus;
	return 0;
}

static void test_detect(void **state)
{
	struct fx *f = *state;
	struct seen s = { 0 };
	int rc = lb_detect_buses(f->ctx, "linux-i2c", collect, &s);
	assert_int_equal(rc, 1);
	assert_string_equal(s.b[0].driver, "linux-i2c");
	assert_string_equal(s.b[0].device, "/dev/i2c-3");
	assert_string_equal(s.b[0].name, "SMBus I801 adapter at efa0");
	assert_true(s.b[0].usable);
	assert_int_equal(s.b[0].functionality, FUNCS_I2C);
	assert_int_equal(s.b[0].max_transfer, 8192);
	assert_non_null(strstr(s.b[0].details, "I2C_RDWR"));
	/* The options it reports open that very bus. */
	struct lb_bus *b;
	assert_int_equal(lb_bus_open(f->ctx, "linux-i2c", s.b[0].options, NULL, &b), LB_OK);
	lb_bus_close(b);
	/* Every driver: the emulator and optoe cannot enumerate and are skipped. */
	assert_true(lb_detect_buses(f->ctx, NULL, NULL, NULL) >= 1);
	assert_int_equal(lb_detect_buses(f->ctx, "emulator", NULL, NULL), LB_E_NOTSUP);
	assert_int_equal(lb_detect_buses(f->ctx, "no-such", NULL, NULL), LB_E_NOTFOUND);
}

/* lbctl detect, a separate process under the same testbed (UMOCKDEV_DIR and the preload are inherited). */
static void test_lbctl_detect(void **state)
{
	struct fx *f = *state;
	(void)f;
	const char *lbctl = getenv("LBCTL");
	if (!lbctl)
		skip();
	char cmd[1024], out[8192] = "";
	snprintf(cmd, sizeof(cmd), "%s detect --driver linux-i2c --json", lbctl);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	/* lbctl's JSON style: compact when not on a terminal (docs/lbctl.md) */
	assert_non_null(strstr(out, "\"device\":\"/dev/i2c-3\""));
	assert_non_null(strstr(out, "\"name\":\"SMBus I801 adapter at efa0\""));
	assert_non_null(strstr(out, "\"usable\":true"));
	assert_non_null(strstr(out, "\"schema\":1"));
	assert_non_null(strstr(out, "I2C_RDWR"));
	snprintf(cmd, sizeof(cmd), "%s detect", lbctl);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "linux-i2c  /dev/i2c-3"));
	assert_non_null(strstr(out, "{\"device\": \"/dev/i2c-3\"}"));
}

/* Same module calls, same answers as on the emulator bus; combined transfers, one mux write. */
static void test_identity_and_reads(void **state)
{
	struct fx *f = *state;
	assert_int_equal(f->dev.n_funcs, 1); /* I2C_FUNCS once, at open */
	struct lb_module_identity a = LB_MODULE_IDENTITY_INIT, b = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(f->mod, &a), LB_OK);
	assert_int_equal(lb_module_get_identity(f->emod, &b), LB_OK);
	assert_string_equal(a.vendor_name, b.vendor_name);
	assert_string_equal(a.part_number, b.part_number);
	assert_string_equal(a.serial_number, b.serial_number);
	assert_int_equal(a.identifier, b.identifier);
	assert_int_equal(a.cmis_major, b.cmis_major);
	assert_int_equal(a.page00_checksum_ok, true);
	assert_int_equal(a.page01_checksum_ok, true);

	uint8_t got[128], want[128];
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x00, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);
	assert_int_equal(lb_module_read(f->mod, 0, 0x01, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x01, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);

	/*
	 * Reads were combined write-offset + read in one I2C_RDWR; writes one message. The first
	 * upper-page read of a hold reads the select bytes back in the same I2C_RDWR (4 messages,
	 * the driver declares LB_BUS_CAP_COMBINED for an I2C adapter), never in one of its own.
	 */
	assert_true(f->dev.rdwr_msgs_hist[2] > 0);
	assert_true(f->dev.rdwr_msgs_hist[4] > 0);
	assert_int_equal(f->dev.rdwr_msgs_hist[0] + f->dev.rdwr_msgs_hist[3], 0);
	assert_int_equal(f->dev.n_smbus, 0);
	assert_int_equal(f->dev.n_slave, 0); /* I2C_RDWR carries addresses: no I2C_SLAVE */
	/* The mux control byte went through the driver to 0x70, once. */
	assert_int_equal(f->dev.mux_writes, 1);
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &st);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.transactions, f->dev.n_rdwr);
}

static void test_write(void **state)
{
	struct fx *f = *state;
	/* Lane 1-8 Tx disable on page 10h (banked, RW). */
	uint8_t v = 0x5A, back = 0;
	assert_int_equal(lb_module_write(f->mod, 0, 0x10, 130, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0x5A);
	back = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0x5A);
	assert_int_equal(lb_module_read(f->emod, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0x5A);
}

/* "max_transfer" bounds every message the driver sends. */
static void test_max_transfer_option(void **state)
{
	struct fx *f = *state;
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\", \"max_transfer\": 16}"), LB_OK);
	f->dev.max_msg_len = 0;
	uint8_t got[128], want[128];
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x00, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);
	assert_true(f->dev.max_msg_len <= 16);
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &st);
	assert_true(st.max_read_len <= 16);
	/* A bad option is refused, naming the field and the range. */
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\", \"max_transfer\": 9000}"), LB_E_RANGE);
	assert_string_equal(lb_ctx_last_error(f->ctx),
			    "linux-i2c options: max_transfer: 9000 is out of range 1..8192");
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\", \"max_tranfser\": 16}"), LB_E_PARSE);
	assert_string_equal(lb_ctx_last_error(f->ctx), "linux-i2c options: max_tranfser: unknown field");
	assert_int_equal(open_bus(f, "{}"), LB_E_PARSE);
	assert_non_null(strstr(lb_ctx_last_error(f->ctx), "give exactly one of"));
	assert_int_equal(open_bus(f, "{\"adapter\": 3}"), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, got, 1), LB_OK);
}

/* A module busy for a few transactions: the driver retries on the context clock. */
static void test_busy_nack_retried(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK); /* route the mux */
	unsigned before = f->dev.n_rdwr;
	uint64_t t0 = lb_emu_world_now_ns(f->w);
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_NACK, 3), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
	assert_int_equal(f->dev.n_rdwr - before, 4); /* 3 NACKs, then the answer */
	uint64_t dt = lb_emu_world_now_ns(f->w) - t0;
	assert_true(dt >= 3 * MS);
	assert_true(dt < 10 * MS);
}

/* A module that stays busy: LB_E_NACK after the bounded retry (25 ms), not forever. */
static void test_stuck_nack_bounded(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	uint64_t t0 = lb_emu_world_now_ns(f->w);
	unsigned before = f->dev.n_rdwr;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NACK);
	uint64_t dt = lb_emu_world_now_ns(f->w) - t0;
	assert_true(dt >= 25 * MS);
	assert_true(dt < 40 * MS);
	assert_true(f->dev.n_rdwr - before >= 20 && f->dev.n_rdwr - before <= 30);
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	/* nack_retry_ms = 0: one attempt only. */
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\", \"nack_retry_ms\": 0}"), LB_OK);
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	before = f->dev.n_rdwr;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NACK);
	assert_int_equal(f->dev.n_rdwr - before, 2); /* mux select (route) + the read */
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
}

/* EIO from the adapter is LB_E_IO at once (no retry); ETIMEDOUT is LB_E_TIMEOUT. */
static void test_eio_and_timeout(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	unsigned before = f->dev.n_rdwr;
	f->dev.fail_errno = EIO;
	f->dev.fail_count = 1;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_IO);
	assert_int_equal(f->dev.n_rdwr - before, 1);
	assert_non_null(strstr(f->log, "Input/output error"));
	f->dev.fail_errno = ETIMEDOUT;
	f->dev.fail_count = 1;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_TIMEOUT);
	f->dev.fail_errno = EREMOTEIO; /* a NACK as other adapters report it, retried */
	f->dev.fail_count = 2;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
}

/* The adapter goes away (USB adapter unplugged): LB_E_NODEV, and back when it returns. */
static void test_unplug(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	f->dev.unplugged = 1;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
	/* The node itself is gone now. */
	umock_i2c_remove(&f->dev);
	umockdev_testbed_remove_device(f->tb, f->dev.syspath);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
	/* A bus on an absent adapter opens, and says LB_E_NODEV until it appears. */
	assert_int_equal(open_bus(f, "{\"device\": \"/dev/i2c-3\"}"), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
	/* Plugged back: the same bus object works again. */
	umock_i2c_add(&f->dev, f->tb, 3, "SMBus I801 adapter at efa0", f->seg, FUNCS_I2C);
	lb_module_invalidate(f->mod);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
}

/* A removed module NACKs: LB_E_NACK after the retry budget; back after insertion. */
static void test_module_removed(void **state)
{
	struct fx *f = *state;
	uint8_t b = 0;
	lb_emu_module_remove(f->m);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NACK);
	lb_emu_module_insert(f->m);
	lb_module_invalidate(f->mod);
	lb_emu_world_advance_ns(f->w, 3000 * MS);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
}

/* SMBus-only adapter: I2C block transfers, I2C_SLAVE per address, 32-byte messages. */
static void test_smbus_block(void **state)
{
	struct fx *f = *state;
	struct lb_module_identity a = LB_MODULE_IDENTITY_INIT, b = LB_MODULE_IDENTITY_INIT;
	int rc = lb_module_get_identity(f->mod, &a);
	if (rc)
		print_message("%s", f->log);
	assert_int_equal(rc, LB_OK);
	assert_int_equal(lb_module_get_identity(f->emod, &b), LB_OK);
	assert_string_equal(a.vendor_name, b.vendor_name);
	assert_string_equal(a.serial_number, b.serial_number);
	uint8_t got[128], want[128];
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x00, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);
	assert_int_equal(f->dev.n_rdwr, 0);
	assert_true(f->dev.n_smbus > 0);
	assert_true(f->dev.n_slave >= 2); /* the mux at 0x70, then the module at 0x50 */
	assert_int_equal(f->dev.last_slave, 0x50);
	assert_int_equal(f->dev.mux_writes, 1);
	assert_true(f->dev.max_msg_len <= 33); /* offset + 32 */
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &st);
	assert_true(st.max_read_len <= 32);
	uint8_t v = 0xA5, back = 0;
	assert_int_equal(lb_module_write(f->mod, 0, 0x10, 130, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0xA5);
	/* NACK through the SMBus path is retried the same way. */
	assert_int_equal(lb_emu_module_inject(f->m, LB_EMU_FAULT_NACK, 2), LB_OK);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, got, 1), LB_OK);
	assert_int_equal(got[0], 0x18);
}

/* Byte-data only: one byte per transaction, same content. */
static void test_smbus_byte(void **state)
{
	struct fx *f = *state;
	uint8_t got[64], want[64];
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 128, got, 64), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x00, 128, want, 64), LB_OK);
	assert_memory_equal(got, want, 64);
	assert_int_equal(f->dev.n_rdwr, 0);
	assert_int_equal(f->dev.max_msg_len, 2);
	uint8_t v[2] = { 0x11, 0x22 }, back[2] = { 0 };
	assert_int_equal(lb_module_write(f->mod, 0, 0x10, 130, v, 2), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x10, 130, back, 2), LB_OK);
	assert_memory_equal(back, v, 2);
}

/* platforms/linux-switch-i2c-mux.json with /dev/i2c-1 served (module in cage 3) and /dev/i2c-2 absent. */
static void test_platform_file(void **state)
{
	struct fx *f = *state;
	struct umock_i2c dev1;
	umock_i2c_add(&dev1, f->tb, 1, "i2c-designware-1", f->seg, FUNCS_I2C);
	json_error_t jerr;
	json_t *root = json_load_file(LB_SOURCE_DIR "/platforms/linux-switch-i2c-mux.json", 0, &jerr);
	assert_non_null(root);
	/* Lock files into a scratch directory rather than /run/lock. */
	char dir[] = "/tmp/lb-hw-lock-XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	json_t *buses = json_object_get(root, "buses");
	for (size_t i = 0; i < json_array_size(buses); i++) {
		snprintf(path, sizeof(path), "%s/bus%zu.lock", dir, i);
		json_object_set_new(json_array_get(buses, i), "lock_file", json_string(path));
	}
	char *text = json_dumps(root, 0);
	json_decref(root);
	struct lb_platform *p;
	int rc = lb_platform_open_json(f->ctx, text, "linux-switch-i2c-mux.json", &p);
	free(text);
	if (rc)
		print_message("%s\n", lb_ctx_last_error(f->ctx));
	assert_int_equal(rc, LB_OK);
	assert_int_equal(lb_platform_port_count(p), 16);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 3, &m), LB_OK);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT, eid = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(m, &id), LB_OK);
	assert_int_equal(lb_module_get_identity(f->emod, &eid), LB_OK);
	assert_string_equal(id.serial_number, eid.serial_number);
	/* Empty cages on a present adapter, and every cage of the absent adapter. */
	int r1 = lb_platform_module(p, 1, &m);
	assert_true(r1 == LB_E_NODEV || r1 == LB_E_NACK);
	assert_int_equal(lb_platform_module(p, 9, &m), LB_E_NODEV);
	lb_platform_close(p);
	umock_i2c_remove(&dev1);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/bus%d.lock", dir, i);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_detect, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_lbctl_detect, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_identity_and_reads, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_write, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_max_transfer_option, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_busy_nack_retried, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_stuck_nack_bounded, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_eio_and_timeout, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_unplug, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_module_removed, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_platform_file, setup_i2c, teardown),
		cmocka_unit_test_setup_teardown(test_smbus_block, setup_smbus_block, teardown),
		cmocka_unit_test_setup_teardown(test_smbus_byte, setup_smbus_byte, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
