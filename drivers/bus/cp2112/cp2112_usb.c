/* SPDX-License-Identifier: MIT */
/*
 * Bus driver for a Silicon Labs CP2112 USB-to-SMBus/I2C bridge (VID 10C4, PID EA90), through
 * libusb-1.0: the HID reports of AN495 go over the interrupt endpoints (output and input
 * reports) and control transfers (feature reports), with the kernel's hid-cp2112 driver
 * detached while the bus is open.
 *   {"serial": "0012A3F1"}  or  {"bus": 1, "port": "1.2"}  or  {} (the first CP2112 found)
 *   optional: "clock_khz": 10..400 (default 100, set in the chip), "timeout_ms": 1..1000
 *             (one transfer, status polls included; default 100), "nack_retry_ms": 0..1000
 *             (busy-NACK retry, default 25, as linux-i2c), "max_transfer": 1..512
 *             (caps reads; writes are capped at 61 as well), "vid", "pid" (a re-programmed part).
 * Messages: a write of up to 61 bytes, a read of up to 512, or a write of up to 16 bytes
 * followed by a read (repeated START); max_transfer() answers for reads and max_write() for
 * writes, so a 128-byte page read is one transaction. An unplugged bridge gives LB_E_NODEV.
 * The cp2112 sideband driver (cp2112_sideband.c) shares the opened device through
 * cp2112_usb.h; io_lock serialises both sides' USB requests.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libusb.h>
#include <lightbridge/detect.h>
#include <lightbridge/driver.h>
#include "drivers/bus/cp2112/cp2112_proto.h"
#include "drivers/bus/cp2112/cp2112_usb.h"

#define CP2112_HID_GET_REPORT 0x01
#define CP2112_HID_SET_REPORT 0x09
#define CP2112_HID_FEATURE 0x03
#define CP2112_CTRL_TIMEOUT_MS 500u

struct cp2112_bus {
	const struct lb_driver_env *env;
	char name[64];
	libusb_context *usb;
	libusb_device_handle *h;
	int iface;
	uint8_t ep_in, ep_out;
	bool claimed;
	bool gone;              /* unplugged: every call is LB_E_NODEV */
	/*
	 * Every USB request once open: the core's bus mutex covers xfer(), but the cp2112
	 * sideband's GPIO feature reports come from the sideband's calls, not the bus's.
	 */
	pthread_mutex_t io_lock;
	bool io_lock_init;
	uint32_t clock_khz;
	size_t max_xfer;
	struct cp2112_engine eng;
	char where[128];        /* "usb 1-1.2 serial X", for logs */
};

/* libusb error -> status on the spot; the raw error goes to the log. */
static int usb_status(struct cp2112_bus *b, int err, const char *what)
{
	int rc;
	switch (err) {
	case LIBUSB_ERROR_NO_DEVICE:
	case LIBUSB_ERROR_NOT_FOUND:
		rc = LB_E_NODEV;
		b->gone = err == LIBUSB_ERROR_NO_DEVICE;
		break;
	case LIBUSB_ERROR_TIMEOUT:
		rc = LB_E_TIMEOUT;
		break;
	case LIBUSB_ERROR_ACCESS:
		rc = LB_E_PERM;
		break;
	case LIBUSB_ERROR_BUSY:
		rc = LB_E_BUSY;
		break;
	case LIBUSB_ERROR_NOT_SUPPORTED:
		rc = LB_E_NOTSUP;
		break;
	case LIBUSB_ERROR_NO_MEM:
		rc = LB_E_NOMEM;
		break;
	case LIBUSB_ERROR_INVALID_PARAM:
		rc = LB_E_INVAL;
		break;
	default: /* IO, PIPE, OVERFLOW, INTERRUPTED, OTHER */
		rc = LB_E_IO;
		break;
	}
	lb_driver_log(b->env, rc == LB_E_TIMEOUT ? LB_LOG_DEBUG : LB_LOG_WARN, "cp2112 %s: %s: %s",
		      b->name, what, libusb_error_name(err));
	return rc;
}

/* ---- transport ---- */

static int io_send(void *user, const uint8_t *report)
{
	struct cp2112_bus *b = user;
	if (b->gone)
		return LB_E_NODEV;
	int done = 0;
	int r = libusb_interrupt_transfer(b->h, b->ep_out, (unsigned char *)(uintptr_t)report,
					  CP2112_REPORT_LEN, &done, CP2112_CTRL_TIMEOUT_MS);
	if (r)
		return usb_status(b, r, "interrupt out");
	return done == CP2112_REPORT_LEN ? LB_OK : LB_E_IO;
}

static int io_recv(void *user, uint8_t *report, unsigned timeout_ms)
{
	struct cp2112_bus *b = user;
	if (b->gone)
		return LB_E_NODEV;
	int done = 0;
	int r = libusb_interrupt_transfer(b->h, b->ep_in, report, CP2112_REPORT_LEN, &done, timeout_ms);
	if (r)
		return usb_status(b, r, "interrupt in");
	return done;
}

static int io_get_feature(void *user, uint8_t id, uint8_t *buf, size_t len)
{
	struct cp2112_bus *b = user;
	if (b->gone)
		return LB_E_NODEV;
	int r = libusb_control_transfer(b->h, LIBUSB_ENDPOINT_IN | LIBUSB_REQUEST_TYPE_CLASS |
					LIBUSB_RECIPIENT_INTERFACE, CP2112_HID_GET_REPORT,
					(uint16_t)(CP2112_HID_FEATURE << 8 | id), (uint16_t)b->iface, buf,
					(uint16_t)len, CP2112_CTRL_TIMEOUT_MS);
	return r < 0 ? usb_status(b, r, "GET_REPORT") : r;
}

static int io_set_feature(void *user, const uint8_t *buf, size_t len)
{
	struct cp2112_bus *b = user;
	if (b->gone)
		return LB_E_NODEV;
	int r = libusb_control_transfer(b->h, LIBUSB_ENDPOINT_OUT | LIBUSB_REQUEST_TYPE_CLASS |
					LIBUSB_RECIPIENT_INTERFACE, CP2112_HID_SET_REPORT,
					(uint16_t)(CP2112_HID_FEATURE << 8 | buf[0]), (uint16_t)b->iface,
					(unsigned char *)(uintptr_t)buf, (uint16_t)len, CP2112_CTRL_TIMEOUT_MS);
	return r < 0 ? usb_status(b, r, "SET_REPORT") : LB_OK;
}

/* ---- device selection ---- */

struct cp2112_match {
	uint16_t vid, pid;
	const char *serial;   /* NULL: any */
	int bus;              /* -1: any */
	char port[32];        /* "" : any; else "1.2" */
};

static void port_path(libusb_device *dev, char *out, size_t len)
{
	uint8_t ports[8];
	int n = libusb_get_port_numbers(dev, ports, 8);
	size_t at = 0;
	out[0] = 0;
	for (int i = 0; i < n && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, i ? ".%u" : "%u", ports[i]);
}

static void usb_string(libusb_device_handle *h, uint8_t index, char *out, size_t len)
{
	out[0] = 0;
	if (!index || !h)
		return;
	int r = libusb_get_string_descriptor_ascii(h, index, (unsigned char *)out, (int)len);
	if (r < 0)
		out[0] = 0;
	else if ((size_t)r < len)
		out[r] = 0;
}

static bool is_bridge(libusb_device *dev, const struct cp2112_match *m, struct libusb_device_descriptor *d)
{
	return libusb_get_device_descriptor(dev, d) == 0 && d->idVendor == m->vid && d->idProduct == m->pid;
}

/* Endpoints of the HID interface (interface 0): interrupt IN and OUT. */
static int find_endpoints(struct cp2112_bus *b, libusb_device *dev)
{
	struct libusb_config_descriptor *cfg;
	b->iface = 0;
	b->ep_in = 0x81;
	b->ep_out = 0x01;
	if (libusb_get_active_config_descriptor(dev, &cfg) != 0 &&
	    libusb_get_config_descriptor(dev, 0, &cfg) != 0)
		return LB_OK; /* the CP2112's fixed endpoints */
	for (int i = 0; i < cfg->bNumInterfaces; i++) {
		const struct libusb_interface_descriptor *id = &cfg->interface[i].altsetting[0];
		if (id->bInterfaceClass != LIBUSB_CLASS_HID)
			continue;
		b->iface = id->bInterfaceNumber;
		for (int e = 0; e < id->bNumEndpoints; e++) {
			const struct libusb_endpoint_descriptor *ep = &id->endpoint[e];
			if ((ep->bmAttributes & 3) != LIBUSB_TRANSFER_TYPE_INTERRUPT)
				continue;
			if (ep->bEndpointAddress & LIBUSB_ENDPOINT_IN)
				b->ep_in = ep->bEndpointAddress;
			else
				b->ep_out = ep->bEndpointAddress;
		}
		break;
	}
	libusb_free_config_descriptor(cfg);
	return LB_OK;
}

static int select_device(struct cp2112_bus *b, const struct cp2112_match *m)
{
	libusb_device **list;
	ssize_t n = libusb_get_device_list(b->usb, &list);
	if (n < 0)
		return usb_status(b, (int)n, "device list");
	int rc = LB_E_NODEV, found = 0;
	for (ssize_t i = 0; i < n && rc != LB_OK; i++) {
		struct libusb_device_descriptor d;
		if (!is_bridge(list[i], m, &d))
			continue;
		found++;
		char port[32];
		port_path(list[i], port, sizeof(port));
		int busn = libusb_get_bus_number(list[i]);
		if ((m->bus >= 0 && busn != m->bus) || (m->port[0] && strcmp(port, m->port) != 0))
			continue;
		libusb_device_handle *h;
		int r = libusb_open(list[i], &h);
		if (r) {
			rc = usb_status(b, r, "open");
			continue;
		}
		char serial[64];
		usb_string(h, d.iSerialNumber, serial, sizeof(serial));
		if (m->serial && strcmp(serial, m->serial) != 0) {
			libusb_close(h);
			continue;
		}
		b->h = h;
		find_endpoints(b, list[i]);
		snprintf(b->where, sizeof(b->where), "usb %d-%s%s%s", busn, port, serial[0] ? " serial " : "",
			 serial);
		rc = LB_OK;
	}
	libusb_free_device_list(list, 1);
	if (rc == LB_E_NODEV)
		return lb_driver_error(b->env, rc, "cp2112 %s: no CP2112 (%04x:%04x)%s%s found (%d present)",
				       b->name, m->vid, m->pid, m->serial ? " with serial " : "",
				       m->serial ? m->serial : "", found);
	return rc;
}

/* ---- options ---- */

static int parse_options(struct cp2112_bus *b, const struct lb_options *o, struct cp2112_match *m,
			 uint32_t *tmo, uint32_t *retry)
{
	static const char *const keys[] = { "name", "serial", "port", "bus", "clock_khz", "timeout_ms",
					    "nack_retry_ms", "max_transfer", "vid", "pid",
					    "description", "comment", "_*", NULL };
	int64_t busn;
	uint32_t max, vid, pid;
	int rc;
	if ((rc = lb_options_check_keys(o, keys)) ||
	    (rc = lb_options_get_string_buf(o, "name", "cp2112", b->name, sizeof(b->name))) ||
	    (rc = lb_options_get_string(o, "serial", NULL, &m->serial)) ||
	    (rc = lb_options_get_string_buf(o, "port", "", m->port, sizeof(m->port))) ||
	    (rc = lb_options_get_int(o, "bus", 0, 255, -1, &busn)) ||
	    (rc = lb_options_get_u32(o, "clock_khz", 10, 400, 100, &b->clock_khz)) ||
	    (rc = lb_options_get_u32(o, "timeout_ms", 1, 1000, 100, tmo)) ||
	    (rc = lb_options_get_u32(o, "nack_retry_ms", 0, 1000, 25, retry)) ||
	    (rc = lb_options_get_u32(o, "max_transfer", 1, CP2112_READ_MAX, CP2112_READ_MAX, &max)) ||
	    (rc = lb_options_get_u32(o, "vid", 0, 0xFFFF, CP2112_VID, &vid)) ||
	    (rc = lb_options_get_u32(o, "pid", 0, 0xFFFF, CP2112_PID, &pid)))
		return rc;
	m->vid = (uint16_t)vid;
	m->pid = (uint16_t)pid;
	m->bus = (int)busn;
	b->max_xfer = (size_t)max;
	return LB_OK;
}

static void cp2112_close(void *priv);

static int cp2112_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		       void *handle)
{
	struct cp2112_bus *b = priv;
	(void)handle;
	b->env = env;
	pthread_mutex_init(&b->io_lock, NULL);
	b->io_lock_init = true;
	struct cp2112_match m = { .bus = -1 };
	uint32_t tmo, retry;
	int rc = parse_options(b, options, &m, &tmo, &retry);
	if (rc) {
		cp2112_close(b);
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	}
	b->eng = (struct cp2112_engine){
		.io = { .send = io_send, .recv = io_recv, .get_feature = io_get_feature,
			.set_feature = io_set_feature, .user = b },
		.env = env, .name = b->name, .xfer_timeout_ms = tmo,
		.nack_retry_ms = retry, .resp_timeout_ms = 50,
	};
	int r = libusb_init(&b->usb);
	rc = r ? usb_status(b, r, "libusb_init") : select_device(b, &m);
	if (rc == LB_OK) {
		/* hid-cp2112 owns the interface when loaded: detach it while we hold the bus. */
		libusb_set_auto_detach_kernel_driver(b->h, 1);
		r = libusb_claim_interface(b->h, b->iface);
		if (r)
			rc = usb_status(b, r, "claim interface");
		else
			b->claimed = true;
	}
	if (rc == LB_OK && (rc = cp2112_engine_configure(&b->eng, b->clock_khz * 1000u)))
		lb_driver_error(env, rc, "cp2112 %s: %s: configuration failed: %s", b->name, b->where,
				lb_strerror(rc));
	if (rc) {
		cp2112_close(b);
		return rc;
	}
	lb_driver_log(env, LB_LOG_INFO, "cp2112 %s: %s, version %u, %u kHz", b->name, b->where,
		      b->eng.version, b->clock_khz);
	return LB_OK;
}

static void cp2112_close(void *priv)
{
	struct cp2112_bus *b = priv;
	if (b->h) {
		if (b->claimed && !b->gone)
			libusb_release_interface(b->h, b->iface); /* re-attaches hid-cp2112 */
		libusb_close(b->h);
	}
	if (b->usb)
		libusb_exit(b->usb);
	b->h = NULL;
	b->usb = NULL;
	b->claimed = false;
	if (b->io_lock_init)
		pthread_mutex_destroy(&b->io_lock);
	b->io_lock_init = false;
}

/* Reads go up to 512 bytes in one request; writes are one 61-byte Data Write report. */
static size_t cp2112_max_transfer(void *priv)
{
	struct cp2112_bus *b = priv;
	return b->max_xfer;
}

static size_t cp2112_max_write(void *priv)
{
	struct cp2112_bus *b = priv;
	return b->max_xfer < CP2112_WRITE_MAX ? b->max_xfer : CP2112_WRITE_MAX;
}

static uint32_t cp2112_clock_khz(void *priv)
{
	struct cp2112_bus *b = priv;
	return b->clock_khz;
}

static int cp2112_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct cp2112_bus *b = priv;
	for (unsigned i = 0; i < n; i++) {
		size_t limit = (msgs[i].flags & LB_I2C_M_RD) ? CP2112_READ_MAX : CP2112_WRITE_MAX;
		if (msgs[i].len > limit)
			return LB_E_INVAL;
	}
	pthread_mutex_lock(&b->io_lock);
	int rc = b->gone ? LB_E_NODEV : cp2112_engine_xfer(&b->eng, msgs, n);
	pthread_mutex_unlock(&b->io_lock);
	return rc;
}

/* ---- the companion sideband's side (cp2112_usb.h) ---- */

struct cp2112_bus *cp2112_bus_of(struct lb_bus *bus)
{
	return lb_bus_driver_priv(bus, &lb_bus_driver_cp2112);
}

const char *cp2112_bus_where(const struct cp2112_bus *b)
{
	return b->where;
}

const char *cp2112_bus_name(const struct cp2112_bus *b)
{
	return b->name;
}

void cp2112_bus_lock(struct cp2112_bus *b)
{
	pthread_mutex_lock(&b->io_lock);
}

void cp2112_bus_unlock(struct cp2112_bus *b)
{
	pthread_mutex_unlock(&b->io_lock);
}

int cp2112_bus_get_feature(struct cp2112_bus *b, uint8_t id, uint8_t *buf, size_t len)
{
	return io_get_feature(b, id, buf, len);
}

int cp2112_bus_set_feature(struct cp2112_bus *b, const uint8_t *buf, size_t len)
{
	return io_set_feature(b, buf, len);
}

/* ---- discovery ---- */

static int cp2112_enumerate(const struct lb_driver_env *env,
			    int (*found)(void *user, const struct lb_bus_found *bus), void *user)
{
	struct cp2112_bus tmp = { .env = env };
	snprintf(tmp.name, sizeof(tmp.name), "detect");
	libusb_context *usb;
	int r = libusb_init(&usb);
	if (r)
		return usb_status(&tmp, r, "libusb_init");
	libusb_device **list;
	ssize_t n = libusb_get_device_list(usb, &list);
	if (n < 0) {
		libusb_exit(usb);
		return usb_status(&tmp, (int)n, "device list");
	}
	struct cp2112_match m = { .vid = CP2112_VID, .pid = CP2112_PID, .bus = -1 };
	int rc = LB_OK;
	for (ssize_t i = 0; i < n && rc == LB_OK; i++) {
		struct libusb_device_descriptor d;
		if (!is_bridge(list[i], &m, &d))
			continue;
		struct lb_bus_found f;
		memset(&f, 0, sizeof(f));
		char port[32];
		port_path(list[i], port, sizeof(port));
		int busn = libusb_get_bus_number(list[i]);
		snprintf(f.device, sizeof(f.device), "usb %d-%s", busn, port);
		libusb_device_handle *h = NULL;
		r = libusb_open(list[i], &h);
		if (r) {
			snprintf(f.problem, sizeof(f.problem), "open: %s", libusb_error_name(r));
		} else {
			f.usable = 1;
			usb_string(h, d.iSerialNumber, f.serial, sizeof(f.serial));
			usb_string(h, d.iProduct, f.name, sizeof(f.name));
			libusb_close(h);
		}
		if (!f.name[0])
			snprintf(f.name, sizeof(f.name), "CP2112 HID USB-to-SMBus Bridge");
		snprintf(f.details, sizeof(f.details),
			 "SMBus/I2C up to 400 kHz: write 61, read 512, write-read 16+512 bytes");
		f.max_transfer = CP2112_READ_MAX;
		if (f.serial[0])
			snprintf(f.options, sizeof(f.options), "{\"serial\": \"%s\"}", f.serial);
		else
			snprintf(f.options, sizeof(f.options), "{\"bus\": %d, \"port\": \"%s\"}", busn, port);
		rc = found(user, &f);
	}
	libusb_free_device_list(list, 1);
	libusb_exit(usb);
	return rc;
}

static const struct lb_bus_ops cp2112_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C,
	.priv_size = sizeof(struct cp2112_bus),
	.open = cp2112_open,
	.close = cp2112_close,
	.max_transfer = cp2112_max_transfer,
	.max_write = cp2112_max_write,
	.xfer = cp2112_xfer,
	.clock_khz = cp2112_clock_khz,
	.enumerate = cp2112_enumerate,
};

const struct lb_driver lb_bus_driver_cp2112 = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "cp2112",
	.version = "1",
	.ops.bus = &cp2112_ops,
};
