/* SPDX-License-Identifier: MIT */
/*
 * What the lb-emud process tests share beyond starting the daemon (emud_rig.h): a raw bus
 * driver over a port's 256-byte window file, and a fixture that starts lb-emud and reads the
 * truth of some pages through the port's EEPROM file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/optoe.h>
#include "tests/processes/emud_rig.h"

/* ---- a test-only raw bus driver over the 256-byte window file (DIR/<port>/i2c) ---- */

struct rawfile {
	int fd;
};

static int raw_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle)
{
	(void)env;
	(void)options;
	struct rawfile *r = priv;
	r->fd = open(handle, O_RDWR | O_CLOEXEC); /* handle: the window file's path */
	return r->fd < 0 ? LB_E_NODEV : LB_OK;
}

static void raw_close(void *priv)
{
	struct rawfile *r = priv;
	close(r->fd);
}

static size_t raw_max_transfer(void *priv)
{
	(void)priv;
	return 129;
}

static int raw_status(void)
{
	return errno == ENXIO ? LB_E_NODEV : errno == EIO ? LB_E_NACK : LB_E_IO;
}

/* [write offset][read n] -> one pread; [write offset + data] -> one pwrite. */
static int raw_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct rawfile *r = priv;
	if (n == 2 && !(msgs[0].flags & LB_I2C_M_RD) && msgs[0].len == 1 && (msgs[1].flags & LB_I2C_M_RD)) {
		ssize_t got = pread(r->fd, msgs[1].buf, msgs[1].len, msgs[0].buf[0]);
		return got < 0 ? raw_status() : got == msgs[1].len ? LB_OK : LB_E_SHORT;
	}
	if (n == 1 && !(msgs[0].flags & LB_I2C_M_RD) && msgs[0].len >= 1) {
		ssize_t put = pwrite(r->fd, msgs[0].buf + 1, msgs[0].len - 1u, msgs[0].buf[0]);
		return put < 0 ? raw_status() : LB_OK;
	}
	return LB_E_NOTSUP;
}

static const struct lb_bus_ops raw_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C,
	.priv_size = sizeof(struct rawfile),
	.open = raw_open,
	.close = raw_close,
	.max_transfer = raw_max_transfer,
	.xfer = raw_xfer,
};

const struct lb_driver emud_rig_rawfile_driver = {
	.abi = LB_DRIVER_ABI, .size = sizeof(struct lb_driver), .kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "test-rawfile", .version = "1", .ops.bus = &raw_ops,
};

/* ---- fixture ---- */

int emud_fx_start(struct emud_fx *f, const char *what, unsigned port, const uint8_t *pages,
		  unsigned n)
{
	assert_true(n <= EMUD_FX_MAX_PAGES);
	const char *why = emud_rig_unavailable();
	snprintf(f->lock, sizeof(f->lock), "/tmp/lb-%s-lock-%ld", what, (long)getpid());
	if (why) {
		fprintf(stderr, "%s tests skipped: %s\n", what, why);
		return 1;
	}
	int rc = emud_rig_start(&f->rig, NULL);
	if (rc == 1) {
		fprintf(stderr, "%s tests skipped: lb-emud could not mount\n", what);
		return 1;
	}
	assert_int_equal(rc, 0);
	snprintf(f->window, sizeof(f->window), "%s/%u/i2c", f->rig.mount, port);
	snprintf(f->eeprom, sizeof(f->eeprom), "%s/%u/eeprom", f->rig.mount, port);
	/* the truth, through the optoe file (lb-emud selects inside each read) */
	int fd = open(f->eeprom, O_RDONLY);
	assert_true(fd >= 0);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(pread(fd, f->expect[i], 128,
				       lb_optoe_offset(LB_OPTOE_BANKING_OPTOE, 0, pages[i], 128)), 128);
	close(fd);
	/* the pages differ, or a test could not tell them apart */
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < i; k++)
			assert_memory_not_equal(f->expect[k], f->expect[i], 128);
	return 0;
}

int emud_fx_stop(struct emud_fx *f)
{
	int status = 0;
	if (f->rig.pid)
		status = emud_rig_stop(&f->rig);
	unlink(f->lock);
	return status;
}
