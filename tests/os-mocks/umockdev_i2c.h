/* SPDX-License-Identifier: MIT */
/*
 * A Linux I2C adapter node (/dev/i2c-N) served by umockdev to unmodified driver code: the
 * driver's open(), ioctl(I2C_FUNCS), ioctl(I2C_RDWR), ioctl(I2C_SLAVE) and ioctl(I2C_SMBUS)
 * go through umockdev's preload library to the handler below, which answers them with an
 * emulator segment (lb_emu_segment_xfer takes the same message lists as I2C_RDWR).
 * The handler runs in umockdev's worker thread while the caller is blocked in ioctl().
 */
#ifndef TESTS_HW_UMOCKDEV_I2C_H
#define TESTS_HW_UMOCKDEV_I2C_H

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/i2c-dev.h>
#include <linux/i2c.h>
#include <umockdev.h>
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#else
#define VALGRIND_MAKE_MEM_DEFINED(addr, len) 0
#endif
#include <lightbridge/emulator.h>

struct umock_i2c {
	UMockdevTestbed *tb;
	UMockdevIoctlBase *handler;
	char devnode[32];         /* "/dev/i2c-N" */
	char syspath[256];        /* as returned by umockdev */
	struct lb_emu_segment *seg;
	unsigned long funcs;      /* what I2C_FUNCS answers */
	/* faults: errno for the next fail_count data ioctls, or for every one while unplugged */
	int fail_errno;
	unsigned fail_count;
	int unplugged;
	/* what the driver did */
	unsigned n_funcs, n_rdwr, n_smbus, n_slave, n_other;
	unsigned rdwr_msgs_hist[5];  /* I2C_RDWR calls by number of messages (4 = 4 or more) */
	unsigned max_msg_len;
	unsigned last_slave;
	unsigned mux_writes;      /* 1-byte writes addressed to mux_addr */
	uint16_t mux_addr;
};

static int umock_i2c_status_errno(int st)
{
	switch (st) {
	case LB_OK:
		return 0;
	case LB_E_NACK:
		return ENXIO;  /* address not acknowledged, as i2c-i801 and i2c-algo-bit report */
	case LB_E_SHORT:
		return EIO;
	default:
		return EIO;
	}
}

/*
 * A buffer the caller passed, now answered in d. umockdev writes d back only when it differs
 * from what the caller's buffer held (it compares with its copy), so a buffer that held the
 * same bytes already is left as it was: right, but never written, and valgrind takes its
 * (stale, uninitialised) bytes for undefined. libi2c's SMBus calls read into such a buffer
 * of their own. The caller is this process, blocked in ioctl(): its bytes are d's either
 * way, so say so (a no-op outside valgrind).
 */
static void umock_i2c_answered(const UMockdevIoctlData *d)
{
	if (d && d->client_addr && d->data_len > 0)
		(void)VALGRIND_MAKE_MEM_DEFINED((void *)d->client_addr, (size_t)d->data_len);
}

static int umock_i2c_fault(struct umock_i2c *u)
{
	if (u->unplugged)
		return ENODEV;
	if (u->fail_count) {
		u->fail_count--;
		return u->fail_errno;
	}
	return 0;
}

static gboolean umock_i2c_rdwr(struct umock_i2c *u, UMockdevIoctlClient *client,
			       UMockdevIoctlData *arg)
{
	g_autoptr(UMockdevIoctlData) rd =
		umockdev_ioctl_data_resolve(arg, 0, sizeof(struct i2c_rdwr_ioctl_data), NULL);
	struct i2c_rdwr_ioctl_data *req = (struct i2c_rdwr_ioctl_data *)rd->data;
	unsigned n = req->nmsgs;
	u->n_rdwr++;
	u->rdwr_msgs_hist[n < 4 ? n : 4]++;
	if (n == 0 || n > 42) {
		umockdev_ioctl_client_complete(client, -1, EINVAL);
		return TRUE;
	}
	g_autoptr(UMockdevIoctlData) md = umockdev_ioctl_data_resolve(rd, offsetof(struct i2c_rdwr_ioctl_data, msgs),
							   n * sizeof(struct i2c_msg), NULL);
	struct i2c_msg *m = (struct i2c_msg *)md->data;
	struct lb_i2c_msg lm[42];
	UMockdevIoctlData *bds[42] = { 0 };
	for (unsigned i = 0; i < n; i++) {
		UMockdevIoctlData *bd = bds[i] = umockdev_ioctl_data_resolve(
			md, i * sizeof(struct i2c_msg) + offsetof(struct i2c_msg, buf), m[i].len, NULL);
		lm[i] = (struct lb_i2c_msg){ .addr = m[i].addr, .flags = (m[i].flags & I2C_M_RD) ? LB_I2C_M_RD : 0,
					     .len = m[i].len, .buf = bd ? bd->data : NULL };
		if (m[i].len > u->max_msg_len)
			u->max_msg_len = m[i].len;
		if (m[i].addr == u->mux_addr && !(m[i].flags & I2C_M_RD) && m[i].len == 1 && n == 1)
			u->mux_writes++;
	}
	int err = umock_i2c_fault(u);
	if (!err)
		err = umock_i2c_status_errno(lb_emu_segment_xfer(u->seg, lm, n));
	/* I2C_RDWR returns the number of messages done; buffers go back to the caller on complete. */
	umockdev_ioctl_client_complete(client, err ? -1 : (glong)n, err);
	for (unsigned i = 0; i < n; i++)
		if (bds[i])
			g_object_unref(bds[i]);
	return TRUE;
}

static gboolean umock_i2c_smbus(struct umock_i2c *u, UMockdevIoctlClient *client,
				UMockdevIoctlData *arg)
{
	g_autoptr(UMockdevIoctlData) sd =
		umockdev_ioctl_data_resolve(arg, 0, sizeof(struct i2c_smbus_ioctl_data), NULL);
	struct i2c_smbus_ioctl_data *req = (struct i2c_smbus_ioctl_data *)sd->data;
	u->n_smbus++;
	g_autoptr(UMockdevIoctlData) dd = umockdev_ioctl_data_resolve(sd, offsetof(struct i2c_smbus_ioctl_data, data),
							   sizeof(union i2c_smbus_data), NULL);
	union i2c_smbus_data *data = dd ? (union i2c_smbus_data *)dd->data : NULL;

	uint16_t a = (uint16_t)u->last_slave;
	uint8_t cmd = req->command, frame[1 + I2C_SMBUS_BLOCK_MAX];
	struct lb_i2c_msg lm[2];
	unsigned n = 0;
	bool rd = req->read_write == I2C_SMBUS_READ;
	/* Only a quick command and a send byte come without a data block. */
	if (!data && req->size != I2C_SMBUS_QUICK && (rd || req->size != I2C_SMBUS_BYTE)) {
		umockdev_ioctl_client_complete(client, -1, EFAULT);
		return TRUE;
	}
	switch (req->size) {
	case I2C_SMBUS_BYTE: /* send byte (cmd is the byte) or receive byte */
		if (rd)
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = LB_I2C_M_RD, .len = 1, .buf = &data->byte };
		else
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = 0, .len = 1, .buf = &cmd };
		break;
	case I2C_SMBUS_BYTE_DATA:
		if (rd) {
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = 0, .len = 1, .buf = &cmd };
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = LB_I2C_M_RD, .len = 1, .buf = &data->byte };
		} else {
			frame[0] = cmd;
			frame[1] = data->byte;
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = 0, .len = 2, .buf = frame };
		}
		break;
	case I2C_SMBUS_I2C_BLOCK_BROKEN: /* libi2c's 32-byte I2C block read: length 32 implied */
	case I2C_SMBUS_I2C_BLOCK_DATA: {
		uint8_t len = req->size == I2C_SMBUS_I2C_BLOCK_BROKEN && rd ? I2C_SMBUS_BLOCK_MAX : data->block[0];
		if (req->size == I2C_SMBUS_I2C_BLOCK_BROKEN && rd)
			data->block[0] = len;
		if (len == 0 || len > I2C_SMBUS_BLOCK_MAX) {
			umockdev_ioctl_client_complete(client, -1, EINVAL);
			return TRUE;
		}
		if (rd) {
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = 0, .len = 1, .buf = &cmd };
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = LB_I2C_M_RD, .len = len, .buf = &data->block[1] };
		} else {
			frame[0] = cmd;
			memcpy(frame + 1, &data->block[1], len);
			lm[n++] = (struct lb_i2c_msg){ .addr = a, .flags = 0, .len = (uint16_t)(len + 1), .buf = frame };
		}
		break;
	}
	default:
		umockdev_ioctl_client_complete(client, -1, EOPNOTSUPP);
		return TRUE;
	}
	for (unsigned i = 0; i < n; i++)
		if (lm[i].len > u->max_msg_len)
			u->max_msg_len = lm[i].len;
	if (n == 1 && !rd && a == u->mux_addr && lm[0].len == 1)
		u->mux_writes++;
	int err = umock_i2c_fault(u);
	if (!err)
		err = umock_i2c_status_errno(lb_emu_segment_xfer(u->seg, lm, n));
	if (!err && rd)
		umock_i2c_answered(dd);
	umockdev_ioctl_client_complete(client, err ? -1 : 0, err);
	return TRUE;
}

static gboolean umock_i2c_ioctl_cb(UMockdevIoctlBase *handler, UMockdevIoctlClient *client, gpointer user)
{
	struct umock_i2c *u = user;
	(void)handler;
	gulong request = umockdev_ioctl_client_get_request(client);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(client);
	switch (request) {
	case I2C_FUNCS: {
		u->n_funcs++;
		if (u->unplugged) {
			umockdev_ioctl_client_complete(client, -1, ENODEV);
			return TRUE;
		}
		g_autoptr(UMockdevIoctlData) d = umockdev_ioctl_data_resolve(arg, 0, sizeof(unsigned long), NULL);
		*(unsigned long *)d->data = u->funcs;
		umockdev_ioctl_client_complete(client, 0, 0);
		return TRUE;
	}
	case I2C_SLAVE:
	case I2C_SLAVE_FORCE:
		u->n_slave++;
		u->last_slave = (unsigned)*(gulong *)arg->data;
		umockdev_ioctl_client_complete(client, u->last_slave > 0x7F ? -1 : 0,
					       u->last_slave > 0x7F ? EINVAL : 0);
		return TRUE;
	case I2C_RDWR:
		return umock_i2c_rdwr(u, client, arg);
	case I2C_SMBUS:
		return umock_i2c_smbus(u, client, arg);
	default:
		u->n_other++;
		umockdev_ioctl_client_complete(client, -1, ENOTTY);
		return TRUE;
	}
}

/* Add /dev/i2c-<num> named name to the testbed, answered by seg. */
static void umock_i2c_add(struct umock_i2c *u, UMockdevTestbed *tb, unsigned num, const char *name,
			  struct lb_emu_segment *seg, unsigned long funcs)
{
	memset(u, 0, sizeof(*u));
	u->tb = tb;
	u->seg = seg;
	u->funcs = funcs;
	u->mux_addr = 0x70;
	snprintf(u->devnode, sizeof(u->devnode), "/dev/i2c-%u", num);
	GError *err = NULL;
	char desc[512];
	snprintf(desc, sizeof(desc),
		 "P: /devices/pci0000:00/0000:00:1f.4/i2c-%u/i2c-dev/i2c-%u\n"
		 "N: i2c-%u=00\n"
		 "E: DEVNAME=/dev/i2c-%u\n"
		 "E: SUBSYSTEM=i2c-dev\n"
		 "E: MAJOR=89\n"
		 "E: MINOR=%u\n"
		 "A: name=%s\\n\n"
		 "A: dev=89:%u\\n\n",
		 num, num, num, num, num, name, num);
	if (!umockdev_testbed_add_from_string(tb, desc, &err))
		fprintf(stderr, "add_from_string: %s\n", err ? err->message : "?");
	u->handler = umockdev_ioctl_base_new();
	g_signal_connect(u->handler, "handle-ioctl", G_CALLBACK(umock_i2c_ioctl_cb), u);
	if (!umockdev_testbed_attach_ioctl(tb, u->devnode, u->handler, &err))
		fprintf(stderr, "attach_ioctl %s: %s\n", u->devnode, err ? err->message : "?");
	snprintf(u->syspath, sizeof(u->syspath), "/sys/devices/pci0000:00/0000:00:1f.4/i2c-%u/i2c-dev/i2c-%u",
		 num, num);
}

static void umock_i2c_remove(struct umock_i2c *u)
{
	if (u->handler) {
		umockdev_testbed_detach_ioctl(u->tb, u->devnode, NULL);
		g_clear_object(&u->handler);
	}
}

#endif
