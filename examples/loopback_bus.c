/* SPDX-License-Identifier: MIT */
/*
 * An out-of-tree bus driver: 256 bytes of flat CMIS memory at 0x50 that remember what is
 * written. Enough to show the ops table, the private state the core allocates, the versions
 * the core checks, and the entry point lightbridge looks for when it loads a plugin.
 */
#include <string.h>
#include <lightbridge/driver.h>

struct loopback {
	uint8_t mem[256];
	uint8_t addr_ptr;
};

/*
 * Its options arrive parsed (a platform's "options" object, or the text given to lb_bus_open):
 * {"vendor": "NAME"} names the module, up to 16 characters. A getter that fails has written
 * "ORIGIN: FIELD: reason" into the options, ready for lb_driver_error().
 */
static int lo_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		   void *handle)
{
	(void)handle;
	struct loopback *lo = priv;
	char vendor[17];
	int rc = lb_options_get_string_buf(options, "vendor", "LOOPBACK", vendor, sizeof(vendor));
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	memset(lo->mem, 0, sizeof(lo->mem));
	lo->mem[0] = 0x18;  /* QSFP-DD */
	lo->mem[1] = 0x50;  /* CMIS 5.0 */
	lo->mem[2] = 0x80;  /* flat memory */
	lo->mem[3] = 0x07;  /* ModuleReady */
	memset(&lo->mem[129], ' ', 16);
	memcpy(&lo->mem[129], vendor, strlen(vendor));
	memcpy(&lo->mem[148], "LB-EXAMPLE-1    ", 16);
	lb_driver_log(env, LB_LOG_INFO, "loopback bus opened");
	return LB_OK;
}

static void lo_close(void *priv)
{
	(void)priv;
}

static size_t lo_max_transfer(void *priv)
{
	(void)priv;
	return 128;
}

static int lo_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct loopback *lo = priv;
	for (unsigned i = 0; i < n; i++) {
		if (msgs[i].addr != 0x50)
			return LB_E_NACK;
		if (msgs[i].flags & LB_I2C_M_RD) {
			for (unsigned k = 0; k < msgs[i].len; k++)
				msgs[i].buf[k] = lo->mem[lo->addr_ptr++];
		} else if (msgs[i].len) {
			lo->addr_ptr = msgs[i].buf[0];
			for (unsigned k = 1; k < msgs[i].len; k++)
				lo->mem[lo->addr_ptr++] = msgs[i].buf[k];
		}
	}
	return LB_OK;
}

static const struct lb_bus_ops lo_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C,
	.priv_size = sizeof(struct loopback),
	.open = lo_open,
	.close = lo_close,
	.max_transfer = lo_max_transfer,
	.xfer = lo_xfer,
};

static const struct lb_driver lo_driver = {
	.abi = LB_DRIVER_ABI,              /* the version of struct lb_driver */
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
#ifdef EXAMPLE_WRONG_ABI
	.kind_abi = LB_BUS_ABI + 100,      /* as if built against a bus table yet to come */
#else
	.kind_abi = LB_BUS_ABI,            /* the version of the bus ops table */
#endif
	.name = "example-loopback",
	.version = "1.0",
	.ops.bus = &lo_ops,
};

/*
 * The entry point: a NULL-terminated list, so that one plugin can ship several drivers (a bus
 * driver and the sideband driver on the same device, say); they are registered together or
 * not at all.
 */
static const struct lb_driver *const lo_drivers[] = { &lo_driver, NULL };

__attribute__((visibility("default"))) const struct lb_driver *const *lb_driver_entry_list(void);
const struct lb_driver *const *lb_driver_entry_list(void)
{
	return lo_drivers;
}
