/* SPDX-License-Identifier: MIT */
/*
 * Discovery: which two-wire buses this machine has (Linux /dev/i2c-N adapters, CP2112
 * USB-I2C bridges, ...), as the bus drivers that can reach them see them. The core knows no
 * driver: it asks every registered bus driver with an `enumerate` op (driver.h).
 *
 * Threads: lb_detect_buses may run from any thread (it only reads the context's registry).
 */
#ifndef LIGHTBRIDGE_DETECT_H
#define LIGHTBRIDGE_DETECT_H

#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/ctx.h>

LB_BEGIN_DECLS

/** One bus a driver found. Every string is NUL-terminated (possibly empty). */
struct lb_bus_found {
	char driver[32];     /* bus driver that reaches it ("linux-i2c", "cp2112"); set by the core */
	char device[64];     /* what names it on this machine: "/dev/i2c-3", "usb 1-1.2" */
	char name[96];       /* adapter name (/sys/class/i2c-dev/i2c-N/name) or USB product */
	char serial[64];     /* USB serial number, or "" */
	char details[160];   /* capabilities in words: "I2C (I2C_RDWR)", "SMBus I2C block" */
	char options[256];   /* JSON options for lb_bus_open() that open exactly this bus */
	uint32_t functionality; /* driver-specific capability bits (Linux I2C_FUNCS mask), or 0 */
	uint32_t max_transfer;  /* largest message the driver would use on it, bytes; 0 = unknown */
	int usable;          /* 1 when it could be opened now, 0 when not (e.g. permission) */
	char problem[96];    /* why not usable, or "" */
};

/** Called once per bus found; a nonzero return stops the walk and is returned by lb_detect_buses(). */
typedef int (*lb_bus_found_fn)(void *user, const struct lb_bus_found *bus);

/**
 * Ask the bus driver named driver (NULL: every registered bus driver that can enumerate) for
 * the buses it sees, calling found for each; found may be NULL to count only. Never opens a
 * bus and does no bus I/O. Returns the number found (>= 0), the nonzero value found
 * returned, LB_E_NOTFOUND for an unknown driver or LB_E_NOTSUP when that driver cannot
 * enumerate. A driver that fails (e.g. no USB access) is logged and skipped when driver is NULL.
 */
LB_API int lb_detect_buses(struct lb_ctx *ctx, const char *driver, lb_bus_found_fn found,
			   void *user);

LB_END_DECLS
#endif
