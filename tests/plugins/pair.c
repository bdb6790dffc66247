/* SPDX-License-Identifier: MIT */
/*
 * Test plugin: one shared object shipping a bus driver and its companion sideband driver, the
 * way the built-in cp2112 pair works: the sideband reaches its bus's instance through
 * lb_bus_driver_priv(). Built several ways (PAIR_VARIANT, tests/CMakeLists.txt):
 *   0  both drivers, well formed;
 *   1  the sideband claims a sideband ABI the library does not have;
 *   2  the sideband's name is taken (the built-in emulator sideband);
 *   3  the sideband's table misses its close op;
 *   4  the sideband's table is shorter than the first sideband layout.
 * Every variant but 0 must leave nothing registered. It also exports the old single entry
 * point (the bus alone): the list must win. Resolves library symbols from the test program.
 */
#include <lightbridge/driver.h>
#include <lightbridge/sideband.h>

#ifndef PAIR_VARIANT
#define PAIR_VARIANT 0
#endif

#define PAIR_MAGIC 0x5EEDu

struct pair_bus {
	unsigned magic;
	uint32_t line_state;
};

struct pair_sb {
	struct pair_bus *bus;
};

/* {"lines": N}: the sideband lines' first state, one bit per line (read with the library's getters). */
static int bus_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)handle;
	struct pair_bus *b = priv;
	int rc = lb_options_get_u32(options, "lines", 0, 0xFFFF, 0, &b->line_state);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	b->magic = PAIR_MAGIC;
	return LB_OK;
}

static void bus_close(void *priv)
{
	struct pair_bus *b = priv;
	b->magic = 0;
}

static size_t bus_max_transfer(void *priv)
{
	(void)priv;
	return 32;
}

static int bus_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

static const struct lb_bus_ops pair_bus_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C,
	.priv_size = sizeof(struct pair_bus),
	.open = bus_open,
	.close = bus_close,
	.max_transfer = bus_max_transfer,
	.xfer = bus_xfer,
};

static const struct lb_driver pair_bus_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "pair-bus",
	.version = "1",
	.ops.bus = &pair_bus_ops,
};

static int sb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options, void *handle)
{
	(void)options;
	struct pair_sb *s = priv;
	/* Opened with lb_sideband_open(ctx, "pair-sb", NULL, bus, ...): the handle is the bus. */
	s->bus = lb_bus_driver_priv(handle, &pair_bus_driver);
	if (!s->bus || s->bus->magic != PAIR_MAGIC)
		return lb_driver_error(env, LB_E_INVAL, "pair-sb: needs a pair-bus bus");
	return LB_OK;
}

#if PAIR_VARIANT != 3
static void sb_close(void *priv)
{
	(void)priv;
}
#endif

static int sb_set(void *priv, enum lb_sideband_line line, int asserted)
{
	struct pair_sb *s = priv;
	unsigned bit = 1u << line;
	s->bus->line_state = asserted ? s->bus->line_state | bit : s->bus->line_state & ~bit;
	return LB_OK;
}

static int sb_get(void *priv, enum lb_sideband_line line, int *asserted)
{
	const struct pair_sb *s = priv;
	*asserted = (int)((s->bus->line_state >> line) & 1u);
	return LB_OK;
}

static const struct lb_sideband_ops pair_sb_ops = {
#if PAIR_VARIANT == 4
	.size = LB_SIDEBAND_OPS_MIN_SIZE - sizeof(void *),
#else
	.size = sizeof(struct lb_sideband_ops),
#endif
	.priv_size = sizeof(struct pair_sb),
	.open = sb_open,
#if PAIR_VARIANT != 3
	.close = sb_close,
#endif
	.set = sb_set,
	.get = sb_get,
};

static const struct lb_driver pair_sb_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_SIDEBAND,
#if PAIR_VARIANT == 1
	.kind_abi = LB_SIDEBAND_ABI + 1,
#else
	.kind_abi = LB_SIDEBAND_ABI,
#endif
#if PAIR_VARIANT == 2
	.name = "emulator",
#else
	.name = "pair-sb",
#endif
	.version = "1",
	.ops.sideband = &pair_sb_ops,
};

static const struct lb_driver *const pair_drivers[] = { &pair_bus_driver, &pair_sb_driver, NULL };

__attribute__((visibility("default"))) const struct lb_driver *const *lb_driver_entry_list(void);
const struct lb_driver *const *lb_driver_entry_list(void)
{
	return pair_drivers;
}

__attribute__((visibility("default"))) const struct lb_driver *lb_driver_entry(void);
const struct lb_driver *lb_driver_entry(void)
{
	return &pair_bus_driver;
}
