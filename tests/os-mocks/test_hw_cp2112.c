/* SPDX-License-Identifier: MIT */
/*
 * The cp2112 bus driver through the real system interface: libusb-1.0's Linux backend
 * enumerates a umockdev USB device (10C4:EA90, sysfs descriptors) and drives
 * /dev/bus/usb/001/005 with usbfs ioctls (GET_CAPABILITIES, DISCONNECT_CLAIM, SUBMITURB,
 * REAPURBNDELAY, DISCARDURB...). The handler below answers the URBs: control transfers
 * (string descriptors, HID GET_REPORT/SET_REPORT feature reports) and interrupt transfers
 * (output reports in, input reports out) through a CP2112 report model with an emulator
 * segment behind it. The driver code is unmodified.
 * The cp2112 sideband driver goes the same way: GPIO feature reports (0x02, 0x03, 0x04) answered
 * by the model, whose GPIO.0-4 are wired to the emulated module's ResetL, LPMode, ModSelL,
 * ModPrsL and IntL.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/usbdevice_fs.h>
#include <cmocka.h>
#include <umockdev.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/detect.h>
#include <jansson.h>
#include "cp2112_model.h"

#define PROFILE LB_SOURCE_DIR "/emulator/profiles/coherent-800g-qsfpdd.json"
#define MS 1000000ull
#define DEVNODE "/dev/bus/usb/001/005"
#define SERIAL "0012A3F1"

struct urb_ref {
	UMockdevIoctlData *urb; /* the usbdevfs_urb, resolved */
	UMockdevIoctlData *buf; /* its buffer */
};

struct usb_fx {
	UMockdevTestbed *tb;
	UMockdevIoctlBase *handler;
	struct cp2112_model model;
	GMutex lock;
	struct urb_ref in_pending[8];
	unsigned n_in_pending;
	struct urb_ref ready[32];
	unsigned n_ready;
	int unplugged;
	int disconnect_claim;   /* kernel driver detached and interface claimed */
	int released;
	unsigned n_unknown;
	/* library side */
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *m;
	struct lb_ctx *ctx;
	struct lb_bus *bus, *ebus;
	struct lb_module *mod, *emod;
	struct lb_sideband *sb;
	struct lb_platform *plat;
	char lock_path[64];
	char log[8192];
};

static void push_ready(struct usb_fx *f, struct urb_ref r, int status, int actual)
{
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)r.urb->data;
	u->status = status;
	u->actual_length = actual;
	if (f->n_ready < 32)
		f->ready[f->n_ready++] = r;
}

/* Hand waiting input reports to waiting IN URBs. */
static void fill_in(struct usb_fx *f)
{
	uint8_t rep[64];
	while (f->n_in_pending && f->model.qn) {
		struct urb_ref r = f->in_pending[0];
		memmove(f->in_pending, f->in_pending + 1, --f->n_in_pending * sizeof(r));
		model_in(&f->model, rep);
		struct usbdevfs_urb *u = (struct usbdevfs_urb *)r.urb->data;
		int n = u->buffer_length < 64 ? u->buffer_length : 64;
		memcpy(r.buf->data, rep, (size_t)n);
		push_ready(f, r, 0, n);
	}
}

static int string_desc(uint8_t index, uint8_t *out, int cap)
{
	static const char *const strs[] = { NULL, "Silicon Labs", "CP2112 HID USB-to-SMBus Bridge", SERIAL };
	uint8_t d[64];
	int n;
	if (index == 0) {
		d[0] = 4, d[1] = 3, d[2] = 0x09, d[3] = 0x04;
		n = 4;
	} else if (index < 4) {
		size_t l = strlen(strs[index]);
		d[0] = (uint8_t)(2 + 2 * l);
		d[1] = 3;
		for (size_t i = 0; i < l; i++) {
			d[2 + 2 * i] = (uint8_t)strs[index][i];
			d[3 + 2 * i] = 0;
		}
		n = d[0];
	} else {
		return -1;
	}
	if (n > cap)
		n = cap;
	memcpy(out, d, (size_t)n);
	return n;
}

/* A control URB: setup packet then data in the buffer. Returns the data length, or -errno. */
static int control(struct usb_fx *f, uint8_t *buf, int len)
{
	if (len < 8)
		return -EINVAL;
	uint8_t type = buf[0], req = buf[1];
	uint16_t value = (uint16_t)(buf[2] | buf[3] << 8), wlen = (uint16_t)(buf[6] | buf[7] << 8);
	uint8_t *data = buf + 8;
	int cap = len - 8 < wlen ? len - 8 : wlen;
	if (type == 0x80 && req == 0x06 && (value >> 8) == 3)
		return string_desc((uint8_t)value, data, cap);
	if (type == 0xA1 && req == 0x01 && (value >> 8) == 3) {
		int n = model_get_feature(&f->model, (uint8_t)value, data, (size_t)cap);
		return n < 0 ? -EPIPE : n;
	}
	if (type == 0x21 && req == 0x09 && (value >> 8) == 3)
		return model_set_feature(&f->model, data, (size_t)cap) ? -EPIPE : cap;
	return -EPIPE;
}

static gboolean usb_ioctl_cb(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user)
{
	struct usb_fx *f = user;
	(void)handler;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	g_mutex_lock(&f->lock);
	gboolean done = TRUE;
	switch (request) {
	case USBDEVFS_GET_CAPABILITIES: {
		g_autoptr(UMockdevIoctlData) d = umockdev_ioctl_data_resolve(arg, 0, sizeof(guint32), NULL);
		*(guint32 *)d->data = USBDEVFS_CAP_BULK_SCATTER_GATHER | USBDEVFS_CAP_BULK_CONTINUATION |
				      USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT |
				      USBDEVFS_CAP_ZERO_PACKET;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	case USBDEVFS_DISCONNECT_CLAIM:
		f->disconnect_claim++;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_RELEASEINTERFACE:
		f->released++;
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_CLAIMINTERFACE:
	case USBDEVFS_SETINTERFACE:
	case USBDEVFS_CLEAR_HALT:
	case USBDEVFS_RESET:
	case USBDEVFS_RESETEP:
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	case USBDEVFS_IOCTL: /* GETDRIVER-style queries: no kernel driver bound */
	case USBDEVFS_GETDRIVER:
		umockdev_ioctl_client_complete(client, -1, ENODATA);
		break;
	case USBDEVFS_SUBMITURB: {
		if (f->unplugged) {
			umockdev_ioctl_client_complete(client, -1, ENODEV);
			break;
		}
		struct urb_ref r;
		r.urb = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), NULL);
		struct usbdevfs_urb *u = (struct usbdevfs_urb *)r.urb->data;
		r.buf = umockdev_ioctl_data_resolve(r.urb, offsetof(struct usbdevfs_urb, buffer),
						    (gsize)u->buffer_length, NULL);
		if (u->type == USBDEVFS_URB_TYPE_CONTROL) {
			int n = control(f, r.buf->data, u->buffer_length);
			push_ready(f, r, n < 0 ? n : 0, n < 0 ? 0 : n);
		} else if (u->type == USBDEVFS_URB_TYPE_INTERRUPT && !(u->endpoint & 0x80)) {
			model_out(&f->model, r.buf->data, (size_t)u->buffer_length);
			push_ready(f, r, 0, u->buffer_length);
			fill_in(f);
		} else if (u->type == USBDEVFS_URB_TYPE_INTERRUPT && f->n_in_pending < 8) {
			f->in_pending[f->n_in_pending++] = r;
			fill_in(f);
		} else {
			g_object_unref(r.buf);
			g_object_unref(r.urb);
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			break;
		}
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	case USBDEVFS_REAPURB:
	case USBDEVFS_REAPURBNDELAY: {
		if (!f->n_ready) {
			umockdev_ioctl_client_complete(client, -1, f->unplugged ? ENODEV : EAGAIN);
			break;
		}
		struct urb_ref r = f->ready[0];
		memmove(f->ready, f->ready + 1, --f->n_ready * sizeof(r));
		g_autoptr(UMockdevIoctlData) p = umockdev_ioctl_data_resolve(arg, 0, sizeof(gpointer), NULL);
		umockdev_ioctl_data_set_ptr(p, 0, r.urb);
		umockdev_ioctl_client_complete(client, 0, 0);
		g_object_unref(r.buf);
		g_object_unref(r.urb);
		break;
	}
	case USBDEVFS_DISCARDURB: {
		gulong addr = *(gulong *)arg->data;
		unsigned i;
		for (i = 0; i < f->n_in_pending; i++)
			if (f->in_pending[i].urb->client_addr == addr)
				break;
		if (i == f->n_in_pending) {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			break;
		}
		struct urb_ref r = f->in_pending[i];
		memmove(f->in_pending + i, f->in_pending + i + 1, (--f->n_in_pending - i) * sizeof(r));
		push_ready(f, r, -ENOENT, 0);
		umockdev_ioctl_client_complete(client, 0, 0);
		break;
	}
	default:
		f->n_unknown++;
		done = FALSE;
		break;
	}
	g_mutex_unlock(&f->lock);
	return done;
}

static void add_device(struct usb_fx *f)
{
	f->handler = umockdev_ioctl_base_new();
	g_signal_connect(f->handler, "handle-ioctl", G_CALLBACK(usb_ioctl_cb), f);
	GError *err = NULL;
	const char *desc =
		"P: /devices/pci0000:00/0000:00:14.0/usb1/1-2\n"
		"N: bus/usb/001/005\n"
		"E: SUBSYSTEM=usb\n"
		"E: DEVTYPE=usb_device\n"
		"E: DRIVER=usb\n"
		"E: BUSNUM=001\n"
		"E: DEVNUM=005\n"
		"E: DEVNAME=/dev/bus/usb/001/005\n"
		"E: PRODUCT=10c4/ea90/100\n"
		"A: busnum=1\\n\n"
		"A: devnum=5\\n\n"
		"A: devpath=2\\n\n"
		"A: bConfigurationValue=1\\n\n"
		"A: speed=12\\n\n"
		"A: idVendor=10c4\\n\n"
		"A: idProduct=ea90\\n\n"
		"H: descriptors=12010002000000" "40c41090ea0001010203" "01"
		"0902290001010080" "32"
		"090400000203000000"
		"092111010001224f00"
		"07058103400001"
		"07050103400001\n";
	if (!umockdev_testbed_add_from_string(f->tb, desc, &err))
		fprintf(stderr, "add_from_string: %s\n", err ? err->message : "?");
	if (!umockdev_testbed_attach_ioctl(f->tb, DEVNODE, f->handler, &err))
		fprintf(stderr, "attach_ioctl: %s\n", err ? err->message : "?");
}

static void log_hook(void *user, enum lb_log_level level, const char *msg)
{
	struct usb_fx *f = user;
	(void)level;
	size_t n = strlen(f->log);
	if (n + strlen(msg) + 2 < sizeof(f->log))
		snprintf(f->log + n, sizeof(f->log) - n, "%s\n", msg);
}

static const struct lb_module_addr where = { .addr = 0x50, .mux_channel = -1 };

static int setup(void **state)
{
	const char *pre = getenv("LD_PRELOAD");
	if (!pre || !strstr(pre, "umockdev-preload")) {
		print_message("not under umockdev's preload library\n");
		return -1;
	}
	struct usb_fx *f = calloc(1, sizeof(*f));
	char err[256];
	if (!f)
		return -1;
	g_mutex_init(&f->lock);
	f->tb = umockdev_testbed_new();
	assert_int_equal(lb_emu_world_create(&f->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(f->w, 400, &f->seg), LB_OK);
	assert_int_equal(lb_emu_module_create(f->w, PROFILE, &f->m, err, sizeof(err)), LB_OK);
	assert_int_equal(lb_emu_segment_attach(f->seg, -1, 0x50, f->m), LB_OK);
	model_init(&f->model, f->seg);
	model_wire(&f->model, f->m);
	add_device(f);
	assert_int_equal(lb_ctx_create(&f->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(f->ctx), LB_OK);
	lb_ctx_set_log(f->ctx, log_hook, f, LB_LOG_DEBUG);
	struct lb_clock clock = lb_emu_world_clock(f->w);
	assert_int_equal(lb_ctx_set_clock(f->ctx, &clock), LB_OK);
	assert_int_equal(lb_bus_open(f->ctx, "emulator", NULL, f->seg, &f->ebus), LB_OK);
	assert_int_equal(lb_module_open(f->ebus, &where, &f->emod), LB_OK);
	*state = f;
	return 0;
}

static int open_bridge(struct usb_fx *f, const char *options)
{
	int rc = lb_bus_open(f->ctx, "cp2112", options, NULL, &f->bus);
	if (rc)
		print_message("cp2112 open: %s\n%s", lb_strerror(rc), f->log);
	else
		assert_int_equal(lb_module_open(f->bus, &where, &f->mod), LB_OK);
	return rc;
}

static int teardown(void **state)
{
	struct usb_fx *f = *state;
	lb_sideband_close(f->sb);
	lb_platform_close(f->plat);
	if (f->lock_path[0])
		unlink(f->lock_path);
	lb_module_close(f->mod);
	lb_module_close(f->emod);
	lb_bus_close(f->bus);
	lb_bus_close(f->ebus);
	lb_ctx_destroy(f->ctx);
	umockdev_testbed_detach_ioctl(f->tb, DEVNODE, NULL);
	g_clear_object(&f->handler);
	g_clear_object(&f->tb);
	lb_emu_world_destroy(f->w);
	g_mutex_clear(&f->lock);
	free(f);
	return 0;
}

struct seen {
	unsigned n;
	struct lb_bus_found b[4];
};

static int collect(void *user, const struct lb_bus_found *bus)
{
	struct seen *s = user;
	if (s->n < 4)
		s->b[s->n++] = *bus;
	return 0;
}

static void test_detect(void **state)
{
	struct usb_fx *f = *state;
	struct seen s = { 0 };
	int rc = lb_detect_buses(f->ctx, "cp2112", collect, &s);
	if (rc != 1)
		print_message("%s", f->log);
	assert_int_equal(rc, 1);
	assert_string_equal(s.b[0].device, "usb 1-2");
	assert_string_equal(s.b[0].serial, SERIAL);
	assert_string_equal(s.b[0].name, "CP2112 HID USB-to-SMBus Bridge");
	assert_string_equal(s.b[0].options, "{\"serial\": \"" SERIAL "\"}");
	assert_true(s.b[0].usable);
}

static void test_open_and_module_calls(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{\"serial\": \"" SERIAL "\", \"clock_khz\": 400}"), LB_OK);
	assert_int_equal(f->disconnect_claim, 1); /* hid-cp2112 detached, interface claimed */
	assert_int_equal(f->model.n_config_set, 1);
	assert_int_equal(f->model.clock_hz, 400000);
	struct lb_module_identity a = LB_MODULE_IDENTITY_INIT, b = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(f->mod, &a), LB_OK);
	assert_int_equal(lb_module_get_identity(f->emod, &b), LB_OK);
	assert_string_equal(a.vendor_name, b.vendor_name);
	assert_string_equal(a.serial_number, b.serial_number);
	assert_true(a.page01_checksum_ok);
	uint8_t got[128], want[128];
	lb_bus_reset_stats(f->bus);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 128, got, 128), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x00, 128, want, 128), LB_OK);
	assert_memory_equal(got, want, 128);
	/*
	 * reads go up to 512 bytes per request (writes stop at 61): a page is one read, after the
	 * page in force is read back (a request carries one write-read pair, so that is a read
	 * of its own)
	 */
	struct lb_bus_stats st = LB_BUS_STATS_INIT;
	lb_bus_get_stats(f->bus, &st);
	assert_int_equal(st.reads, 2);
	assert_int_equal(st.max_read_len, 128);
	assert_true(f->model.n_req[0x11] > 0);
	uint8_t v = 0x42, back = 0;
	assert_int_equal(lb_module_write(f->mod, 0, 0x10, 130, &v, 1), LB_OK);
	assert_int_equal(lb_emu_module_peek(f->m, 0, 0x10, 130, &back, 1), LB_OK);
	assert_int_equal(back, 0x42);
	/* by bus and port too */
	lb_module_close(f->mod);
	lb_bus_close(f->bus);
	f->mod = NULL;
	f->bus = NULL;
	assert_int_equal(f->released, 1);
	assert_int_equal(open_bridge(f, "{\"bus\": 1, \"port\": \"2\"}"), LB_OK);
}

static void test_absent_and_nack(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(lb_bus_open(f->ctx, "cp2112", "{\"serial\": \"nope\"}", NULL, &f->bus), LB_E_NODEV);
	assert_non_null(strstr(lb_ctx_last_error(f->ctx), "no CP2112"));
	f->bus = NULL;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	uint8_t b = 0;
	lb_emu_module_remove(f->m);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NACK);
	lb_emu_module_insert(f->m);
	lb_module_invalidate(f->mod);
	lb_emu_world_advance_ns(f->w, 3000 * MS);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
}

static void test_unplug(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	g_mutex_lock(&f->lock);
	f->unplugged = 1;
	g_mutex_unlock(&f->lock);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
}

/* ---- the cp2112 sideband on the bridge's GPIO.0-7 ---- */

#define LINES "\"lines\": {\"resetl\": 0, \"lpmode\": 1, \"modsell\": 2, \"modprsl\": 3, \"intl\": 4}"

static int open_sideband(struct usb_fx *f, const char *options)
{
	int rc = lb_sideband_open(f->ctx, "cp2112", options, f->bus, &f->sb);
	if (rc)
		print_message("cp2112 sideband open: %s\n%s", lb_strerror(rc), f->log);
	return rc;
}

static bool get_line(struct usb_fx *f, enum lb_sideband_line line)
{
	bool v = false;
	assert_int_equal(lb_sideband_get(f->sb, line, &v), LB_OK);
	return v;
}

static int pin(struct usb_fx *f, int n)
{
	g_mutex_lock(&f->lock);
	int v = model_pin_level(&f->model, n);
	g_mutex_unlock(&f->lock);
	return v;
}

/* Open configures the pins: outputs push-pull, inputs open-drain, LED functions off, no glitch. */
static void test_sideband_lines(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	f->model.gpio_dir = 0x80; /* GPIO.7 an output of someone else's: kept */
	f->model.gpio_special = 0x07;
	assert_int_equal(open_sideband(f, "{" LINES ", \"active_low\": true}"), LB_OK);
	assert_string_equal(lb_sideband_driver_name(f->sb), "cp2112");
	assert_int_equal(f->model.gpio_dir, 0x87);
	assert_int_equal(f->model.gpio_pp, 0x07);
	assert_int_equal(f->model.gpio_special, 0x01); /* TX/RX LEDs on GPIO.0/1 off, GPIO.7 clock kept */
	assert_int_equal(f->model.gpio_latch & 0x18, 0x18); /* inputs released */
	/* values, then direction, then values again */
	assert_int_equal(f->model.n_gpio_order, 3);
	assert_int_equal(f->model.gpio_order[0], 0x04);
	assert_int_equal(f->model.gpio_order[1], 0x02);
	assert_int_equal(f->model.gpio_order[2], 0x04);
	assert_int_equal(f->model.resetl_falls, 0); /* ResetL never pulsed */
	/* initial levels: running, high power allowed, selected */
	assert_int_equal(pin(f, 0), 1);
	assert_int_equal(pin(f, 1), 0);
	assert_int_equal(pin(f, 2), 0);
	assert_false(get_line(f, LB_SB_RESETL));
	assert_false(get_line(f, LB_SB_LPMODE));
	assert_true(get_line(f, LB_SB_MODSELL));
	assert_true(get_line(f, LB_SB_MODPRSL));
	assert_int_equal(get_line(f, LB_SB_INTL), lb_emu_module_intl(f->m) != 0);
	bool present = false;
	assert_int_equal(lb_sideband_present(f->sb, &present), LB_OK);
	assert_true(present);
	/* each output, asserted and released, on its pin and read back */
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_RESETL, true), LB_OK);
	assert_int_equal(pin(f, 0), 0);
	assert_int_equal(f->model.resetl_level, 0);
	assert_true(get_line(f, LB_SB_RESETL));
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_RESETL, false), LB_OK);
	assert_int_equal(pin(f, 0), 1);
	assert_false(get_line(f, LB_SB_RESETL));
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(pin(f, 1), 1);
	assert_int_equal(f->model.lpmode_level, 1);
	assert_true(get_line(f, LB_SB_LPMODE));
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_LPMODE, false), LB_OK);
	assert_int_equal(pin(f, 1), 0);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_MODSELL, false), LB_OK);
	assert_int_equal(pin(f, 2), 1);
	assert_false(get_line(f, LB_SB_MODSELL));
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_MODSELL, true), LB_OK);
	assert_int_equal(pin(f, 2), 0);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_MODPRSL, true), LB_E_INVAL);
	assert_int_equal(f->model.gpio_dir, 0x87); /* sets touch values only */
	/* ModPrsL follows the module */
	lb_emu_module_remove(f->m);
	assert_false(get_line(f, LB_SB_MODPRSL));
	lb_emu_module_insert(f->m);
	assert_true(get_line(f, LB_SB_MODPRSL));
	/* the bus keeps working beside the sideband on the one USB device */
	lb_emu_world_advance_ns(f->w, 3000 * MS);
	uint8_t b = 0;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
	assert_int_equal(f->disconnect_claim, 1);
	lb_sideband_close(f->sb);
	f->sb = NULL;
	/* the other polarity, and a cage with fewer lines */
	assert_int_equal(open_sideband(f, "{\"lines\": {\"resetl\": 5, \"lpmode\": 6}, \"active_low\": "
					  "{\"resetl\": false, \"lpmode\": true}}"), LB_OK);
	assert_int_equal(f->model.gpio_dir & 0x60, 0x60);
	assert_int_equal(pin(f, 5), 0);
	assert_int_equal(pin(f, 6), 1);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_RESETL, true), LB_OK);
	assert_int_equal(pin(f, 5), 1);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(pin(f, 6), 0);
	bool v;
	assert_int_equal(lb_sideband_get(f->sb, LB_SB_MODSELL, &v), LB_E_NOTSUP);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_MODSELL, true), LB_E_NOTSUP);
	assert_int_equal(lb_sideband_event_fd(f->sb), -1); /* no ModPrsL or IntL: no events */
}

/* A chip that ignores Set GPIO Values on inputs: ResetL still comes up without a pulse. */
static void test_sideband_glitch_free(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	f->model.gpio_set_outputs_only = 1;
	assert_int_equal(open_sideband(f, "{" LINES "}"), LB_OK);
	assert_int_equal(f->model.resetl_falls, 0);
	assert_int_equal(pin(f, 0), 1);
	assert_int_equal(pin(f, 2), 0); /* ModSelL reached its level by the second write */
	lb_sideband_close(f->sb);
	f->sb = NULL;
	/* held in reset from the start: exactly one fall, and it stays low */
	f->model.gpio_dir = 0;
	f->model.gpio_latch = 0xFF;
	model_gpio_apply(&f->model);
	assert_int_equal(open_sideband(f, "{" LINES ", \"initial\": {\"resetl\": true}}"), LB_OK);
	assert_int_equal(f->model.resetl_falls, 1);
	assert_int_equal(pin(f, 0), 0);
	assert_true(get_line(f, LB_SB_RESETL));
}

static void test_sideband_bad_options(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	struct lb_sideband *sb = NULL;
	static const struct {
		const char *options;
		int status;
		const char *why;
	} bad[] = {
		{ "{}", LB_E_PARSE, "cp2112 sideband options: lines: missing" },
		{ "{\"lines\": {}}", LB_E_PARSE, "cp2112 sideband options: lines: empty" },
		{ "{\"lines\": {\"resetl\": 8}}", LB_E_RANGE,
		  "cp2112 sideband options: lines.resetl: 8 is out of range 0..7" },
		{ "{\"lines\": {\"resetl\": 1, \"lpmode\": 1}}", LB_E_PARSE,
		  "cp2112 sideband options: lines.lpmode: GPIO already used by another line" },
		{ "{\"lines\": {\"reset\": 1}}", LB_E_PARSE, "cp2112 sideband options: lines.reset: unknown field" },
		{ "{\"lines\": {\"resetl\": \"GPIO0\"}}", LB_E_PARSE,
		  "cp2112 sideband options: lines.resetl: not an integer" },
		{ "{" LINES ", \"poll_ms\": 0}", LB_E_RANGE, "cp2112 sideband options: poll_ms: 0 is out of range 1..1000" },
		{ "{" LINES ", \"initial\": {\"intl\": true}}", LB_E_PARSE,
		  "cp2112 sideband options: initial.intl: unknown field" },
		{ "{" LINES ", \"active_low\": 1}", LB_E_PARSE,
		  "cp2112 sideband options: active_low: not a boolean or an object of booleans" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(lb_sideband_open(f->ctx, "cp2112", bad[i].options, f->bus, &sb), bad[i].status);
		assert_string_equal(lb_ctx_last_error(f->ctx), bad[i].why);
	}
	assert_int_equal(f->model.n_gpio_config_set, 0);
	/* not a cp2112 bus, or none */
	assert_int_equal(lb_sideband_open(f->ctx, "cp2112", "{" LINES "}", f->ebus, &sb), LB_E_INVAL);
	assert_non_null(strstr(f->log, "cp2112 bus driver"));
	assert_int_equal(lb_sideband_open(f->ctx, "cp2112", "{" LINES "}", NULL, &sb), LB_E_INVAL);
}

/* Pump the event fd until an event of this type arrives (bounded). */
static int wait_event(struct usb_fx *f, enum lb_sideband_event_type type, struct lb_sideband_event *out)
{
	struct pollfd pfd = { .fd = lb_sideband_event_fd(f->sb), .events = POLLIN };
	for (int i = 0; i < 100; i++) {
		if (poll(&pfd, 1, 50) < 0)
			return LB_E_IO;
		struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
		int rc;
		while ((rc = lb_sideband_read_event(f->sb, &ev)) == LB_OK)
			if (ev.type == type) {
				if (out)
					*out = ev;
				return LB_OK;
			}
		if (rc != LB_E_NOTFOUND)
			return rc;
	}
	return LB_E_TIMEOUT;
}

/* Presence and interrupt edges through the timerfd, sampled from the model's GPIO inputs. */
static void test_sideband_events(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	assert_int_equal(open_sideband(f, "{" LINES ", \"poll_ms\": 2}"), LB_OK);
	int fd = lb_sideband_event_fd(f->sb);
	assert_true(fd >= 0);
	/* nothing changes: the timer fires, a sample is taken, no event */
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	unsigned gets = f->model.n_gpio_get;
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	assert_int_equal(lb_sideband_read_event(f->sb, &ev), LB_E_NOTFOUND);
	assert_int_equal(f->model.n_gpio_get, gets + 1);
	/* without a timer expiry no USB request is made */
	assert_int_equal(lb_sideband_read_event(f->sb, &ev), LB_E_NOTFOUND);
	assert_true(f->model.n_gpio_get <= gets + 2);
	lb_emu_module_remove(f->m);
	assert_int_equal(wait_event(f, LB_SB_EVENT_REMOVED, &ev), LB_OK);
	lb_emu_module_insert(f->m);
	assert_int_equal(wait_event(f, LB_SB_EVENT_INSERTED, NULL), LB_OK);
	lb_emu_world_advance_ns(f->w, 3000 * MS);
	/* an interrupt: the core reads the latched flags through the bus on the same bridge */
	lb_sideband_set_module(f->sb, f->mod);
	assert_int_equal(lb_emu_module_set_monitor(f->m, LB_EMU_MON_TEMPERATURE_C, 0, 95.0), LB_OK);
	assert_int_equal(lb_emu_module_intl(f->m), 1);
	assert_int_equal(wait_event(f, LB_SB_EVENT_INTERRUPT, &ev), LB_OK);
	assert_int_equal(ev.flags_status, LB_OK);
	assert_true(ev.temperature_flags & LB_FLAG_HIGH_ALARM);
	/* cooled and polled once more: IntL released, and said so */
	assert_int_equal(lb_emu_module_set_monitor(f->m, LB_EMU_MON_TEMPERATURE_C, 0, 40.0), LB_OK);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(f->mod, &mon), LB_OK);
	assert_int_equal(lb_emu_module_intl(f->m), 0);
	assert_int_equal(wait_event(f, LB_SB_EVENT_INTERRUPT_CLEARED, NULL), LB_OK);
	assert_false(get_line(f, LB_SB_INTL));
}

/* platforms/cp2112-eval-board.json as shipped (its lock file moved to /tmp). */
static void test_sideband_platform(void **state)
{
	struct usb_fx *f = *state;
	json_error_t jerr;
	json_t *root = json_load_file(LB_SOURCE_DIR "/platforms/cp2112-eval-board.json", 0, &jerr);
	assert_non_null(root);
	json_t *bus0 = json_array_get(json_object_get(root, "buses"), 0);
	snprintf(f->lock_path, sizeof(f->lock_path), "/tmp/lb-test-cp2112-%ld.lock", (long)getpid());
	json_object_set_new(bus0, "lock_file", json_string(f->lock_path));
	json_t *port1 = json_array_get(json_object_get(root, "ports"), 0);
	json_t *sbo = json_object_get(port1, "sideband");
	assert_non_null(sbo);
	assert_string_equal(json_string_value(json_object_get(sbo, "driver")), "cp2112");
	char *text = json_dumps(root, 0);
	json_decref(root);
	int rc = lb_platform_open_json(f->ctx, text, "cp2112-eval-board.json", &f->plat);
	free(text);
	if (rc)
		print_message("%s\n%s", lb_ctx_last_error(f->ctx), f->log);
	assert_int_equal(rc, LB_OK);
	struct lb_sideband *sb = NULL;
	assert_int_equal(lb_platform_sideband(f->plat, 1, &sb), LB_OK);
	assert_string_equal(lb_sideband_driver_name(sb), "cp2112");
	assert_int_equal(f->model.gpio_dir & 0x1F, 0x07);
	assert_int_equal(f->model.resetl_falls, 0);
	bool present = false;
	assert_int_equal(lb_sideband_present(sb, &present), LB_OK);
	assert_true(present);
	/* the port's module through the same bridge */
	lb_emu_world_advance_ns(f->w, 3000 * MS);
	struct lb_module *m = NULL;
	assert_int_equal(lb_platform_module(f->plat, 1, &m), LB_OK);
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	assert_int_equal(lb_module_get_identity(m, &id), LB_OK);
	/* an edge carries the port number */
	int fd = lb_sideband_event_fd(sb);
	assert_true(fd >= 0);
	lb_emu_module_remove(f->m);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	int got = 0;
	for (int i = 0; i < 100 && !got; i++) {
		assert_true(poll(&pfd, 1, 50) >= 0);
		while (lb_sideband_read_event(sb, &ev) == LB_OK)
			got |= ev.type == LB_SB_EVENT_REMOVED;
	}
	assert_true(got);
	assert_int_equal(ev.port, 1);
	assert_int_equal(lb_platform_sideband(f->plat, 2, &sb), LB_E_NOTFOUND);
}

static void test_sideband_unplug(void **state)
{
	struct usb_fx *f = *state;
	assert_int_equal(open_bridge(f, "{}"), LB_OK);
	assert_int_equal(open_sideband(f, "{" LINES ", \"poll_ms\": 2}"), LB_OK);
	assert_true(get_line(f, LB_SB_MODPRSL));
	g_mutex_lock(&f->lock);
	f->unplugged = 1;
	g_mutex_unlock(&f->lock);
	bool v;
	assert_int_equal(lb_sideband_get(f->sb, LB_SB_MODPRSL, &v), LB_E_NODEV);
	assert_int_equal(lb_sideband_set(f->sb, LB_SB_RESETL, true), LB_E_NODEV);
	struct pollfd pfd = { .fd = lb_sideband_event_fd(f->sb), .events = POLLIN };
	assert_int_equal(poll(&pfd, 1, 1000), 1);
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	assert_int_equal(lb_sideband_read_event(f->sb, &ev), LB_E_NODEV);
	uint8_t b;
	assert_int_equal(lb_module_read(f->mod, 0, 0x00, 0, &b, 1), LB_E_NODEV);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_detect, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_and_module_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absent_and_nack, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unplug, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_glitch_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_bad_options, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_platform, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sideband_unplug, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
