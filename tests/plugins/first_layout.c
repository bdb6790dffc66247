/* SPDX-License-Identifier: MIT */
/*
 * Test plugin: drivers as built against the FIRST published layouts, written out by hand as
 * prefixes of today's structs, with bytes of 0xA5 after every struct, so a core that read past
 * a driver's size would see them. Built two ways (tests/CMakeLists.txt):
 *   FIRST_LAYOUT_LIST=0  the old single entry point, lb_driver_entry(), with a bus driver of
 *                        bus ABI 1: struct lb_driver ending at ops (no kind_abi, so version 1)
 *                        and the first bus table, whose open() took JSON text. The library
 *                        (bus ABI 2) must refuse it, and say why.
 *   FIRST_LAYOUT_LIST=1  lb_driver_entry_list() with one driver of every kind, each at the
 *                        first layout its kind's current version allows: the bus and sideband
 *                        tables of ABI 2 at their first size (open() takes parsed options), so
 *                        struct lb_driver through kind_abi; the module extension and ASIC ones
 *                        (still version 1) with struct lb_driver ending at ops.
 * Calls nothing of the library: it loads into any test program.
 */
#include <stddef.h>
#include <string.h>
#include <lightbridge/driver.h>

struct driver_v1 {
	uint32_t abi;
	uint32_t size;
	enum lb_driver_kind kind;
	const char *name;
	const char *version;
	const void *ops;
};
_Static_assert(sizeof(struct driver_v1) == LB_DRIVER_MIN_SIZE, "struct lb_driver's first layout");
_Static_assert(offsetof(struct driver_v1, ops) == offsetof(struct lb_driver, ops), "ops offset");

/* struct lb_driver as far as kind_abi: what a driver of a kind's version 2 must fill. */
struct driver_v2 {
	struct driver_v1 v1;
	uint32_t kind_abi;
};
/* Its size: through kind_abi, nothing after it (not even the padding sizeof would count). */
#define DRIVER_V2_SIZE LB_SIZE_THROUGH(struct lb_driver, kind_abi)
_Static_assert(offsetof(struct driver_v2, kind_abi) == offsetof(struct lb_driver, kind_abi), "kind_abi offset");

#if !FIRST_LAYOUT_LIST
/* Bus ABI 1: open() took the options as JSON text. */
struct bus_ops_abi1 {
	size_t size;
	uint32_t caps;
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const char *options, void *handle);
	void (*close)(void *priv);
	size_t (*max_transfer)(void *priv);
	int (*xfer)(void *priv, struct lb_i2c_msg *msgs, unsigned n);
};
_Static_assert(sizeof(struct bus_ops_abi1) == LB_BUS_OPS_MIN_SIZE, "bus table's first layout");
#endif

struct bus_ops_v1 {
	size_t size;
	uint32_t caps;
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle);
	void (*close)(void *priv);
	size_t (*max_transfer)(void *priv);
	int (*xfer)(void *priv, struct lb_i2c_msg *msgs, unsigned n);
};
_Static_assert(sizeof(struct bus_ops_v1) == LB_BUS_OPS_MIN_SIZE, "bus table's first layout");
_Static_assert(offsetof(struct bus_ops_v1, xfer) == offsetof(struct lb_bus_ops, xfer), "xfer offset");

struct sideband_ops_v1 {
	size_t size;
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle);
	void (*close)(void *priv);
	int (*set)(void *priv, enum lb_sideband_line line, int asserted);
	int (*get)(void *priv, enum lb_sideband_line line, int *asserted);
	int (*event_fd)(void *priv);
	int (*read_event)(void *priv, enum lb_sideband_line *line, int *asserted);
};
_Static_assert(sizeof(struct sideband_ops_v1) == LB_SIDEBAND_OPS_MIN_SIZE, "sideband first layout");

struct module_ext_ops_v1 {
	size_t size;
	size_t priv_size;
	int (*match)(const struct lb_module_ext_match *id);
	int (*attach)(void *priv, struct lb_module *m, const struct lb_driver_env *env);
	void (*detach)(void *priv);
	int (*list_line_modes)(void *priv, struct lb_module *m, struct lb_line_mode *modes,
			       size_t max, size_t *count);
	int (*select_line_mode)(void *priv, struct lb_module *m, uint32_t lane_mask, const char *id);
	int (*get_line_mode)(void *priv, struct lb_module *m, uint32_t lane_mask, char *id, size_t len);
	int (*list_vendor_pages)(void *priv, struct lb_module *m, uint8_t *pages, size_t max,
				 size_t *count);
	int (*decode_vendor_page)(void *priv, struct lb_module *m, uint8_t bank, uint8_t page,
				  struct lb_module_field *fields, size_t max, size_t *count);
	int (*decode_field)(void *priv, const char *name, unsigned lane, const uint8_t *raw,
			    size_t len, double *value);
};
_Static_assert(sizeof(struct module_ext_ops_v1) == LB_MODULE_EXT_OPS_MIN_SIZE, "module-ext first layout");

struct asic_ops_v1 {
	size_t size;
	size_t priv_size;
	int (*open)(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		    void *handle);
	void (*close)(void *priv);
	int (*get_caps)(void *priv, struct lb_switch_caps *caps);
	int (*port_apply)(void *priv, uint32_t port, const struct lb_asic_port_config *cfg, int create);
	int (*port_remove)(void *priv, uint32_t port);
	int (*port_get)(void *priv, uint32_t port, struct lb_asic_port_config *cfg);
	int (*port_status)(void *priv, uint32_t port, struct lb_asic_port_status *st);
	int (*port_counters)(void *priv, uint32_t port, struct lb_asic_port_counters *c, int clear);
	int (*port_counters_clear)(void *priv, uint32_t port);
};
_Static_assert(sizeof(struct asic_ops_v1) == LB_ASIC_OPS_MIN_SIZE, "asic first layout");

#define POISONED(type) struct { type v; unsigned char poison[128]; }

static void v1_close(void *priv)
{
	*(int *)priv = 0;
}

static size_t v1_max_transfer(void *priv)
{
	(void)priv;
	return 8;
}

static int v1_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	(void)priv;
	(void)msgs;
	(void)n;
	return LB_E_NACK;
}

#if FIRST_LAYOUT_LIST
static POISONED(struct driver_v2) bus_drv, sb_drv;
static POISONED(struct driver_v1) ext_drv, asic_drv;
static POISONED(struct bus_ops_v1) bus_ops;
static POISONED(struct sideband_ops_v1) sb_ops;
static POISONED(struct module_ext_ops_v1) ext_ops;
static POISONED(struct asic_ops_v1) asic_ops;

static int v1_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		   void *handle)
{
	(void)env;
	(void)options;
	(void)handle;
	*(int *)priv = 1;
	return LB_OK;
}

static int asic_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		     void *handle)
{
	(void)env;
	(void)options;
	(void)handle;
	*(int *)priv = 1;
	return LB_OK;
}

static int v1_get(void *priv, enum lb_sideband_line line, int *asserted)
{
	*asserted = line == LB_SB_MODPRSL && *(int *)priv;
	return LB_OK;
}

static int v1_match(const struct lb_module_ext_match *id)
{
	return id->vendor_oui[0] == 0x12;
}

static void fill(void)
{
	memset(&bus_drv, 0xA5, sizeof(bus_drv));
	memset(&sb_drv, 0xA5, sizeof(sb_drv));
	memset(&ext_drv, 0xA5, sizeof(ext_drv));
	memset(&asic_drv, 0xA5, sizeof(asic_drv));
	memset(&bus_ops, 0xA5, sizeof(bus_ops));
	memset(&sb_ops, 0xA5, sizeof(sb_ops));
	memset(&ext_ops, 0xA5, sizeof(ext_ops));
	memset(&asic_ops, 0xA5, sizeof(asic_ops));
	bus_ops.v = (struct bus_ops_v1){ .size = sizeof(struct bus_ops_v1), .caps = LB_BUS_CAP_I2C,
					 .priv_size = sizeof(int), .open = v1_open, .close = v1_close,
					 .max_transfer = v1_max_transfer, .xfer = v1_xfer };
	sb_ops.v = (struct sideband_ops_v1){ .size = sizeof(struct sideband_ops_v1),
					     .priv_size = sizeof(int), .open = v1_open,
					     .close = v1_close, .get = v1_get };
	ext_ops.v = (struct module_ext_ops_v1){ .size = sizeof(struct module_ext_ops_v1),
						.match = v1_match };
	asic_ops.v = (struct asic_ops_v1){ .size = sizeof(struct asic_ops_v1),
					   .priv_size = sizeof(int), .open = asic_open, .close = v1_close };
	bus_drv.v = (struct driver_v2){ { LB_DRIVER_ABI, DRIVER_V2_SIZE, LB_DRIVER_BUS,
					  "first-bus", "v1", &bus_ops.v }, LB_BUS_ABI };
	sb_drv.v = (struct driver_v2){ { LB_DRIVER_ABI, DRIVER_V2_SIZE, LB_DRIVER_SIDEBAND,
					 "first-sideband", "v1", &sb_ops.v }, LB_SIDEBAND_ABI };
	ext_drv.v = (struct driver_v1){ LB_DRIVER_ABI, sizeof(struct driver_v1), LB_DRIVER_MODULE_EXT,
					"first-ext", "v1", &ext_ops.v };
	asic_drv.v = (struct driver_v1){ LB_DRIVER_ABI, sizeof(struct driver_v1), LB_DRIVER_ASIC,
					 "first-asic", "v1", &asic_ops.v };
}

static const struct lb_driver *list[5];

__attribute__((visibility("default"))) const struct lb_driver *const *lb_driver_entry_list(void);
const struct lb_driver *const *lb_driver_entry_list(void)
{
	fill();
	list[0] = (const struct lb_driver *)(const void *)&bus_drv;
	list[1] = (const struct lb_driver *)(const void *)&sb_drv;
	list[2] = (const struct lb_driver *)(const void *)&ext_drv;
	list[3] = (const struct lb_driver *)(const void *)&asic_drv;
	list[4] = NULL;
	return list;
}
#else
static POISONED(struct driver_v1) old_bus_drv;
static POISONED(struct bus_ops_abi1) old_bus_ops;

static int abi1_open(void *priv, const struct lb_driver_env *env, const char *options, void *handle)
{
	(void)priv;
	(void)env;
	(void)options;
	(void)handle;
	return LB_E_ABI; /* never called: the library refuses the driver first */
}

__attribute__((visibility("default"))) const struct lb_driver *lb_driver_entry(void);
const struct lb_driver *lb_driver_entry(void)
{
	memset(&old_bus_drv, 0xA5, sizeof(old_bus_drv));
	memset(&old_bus_ops, 0xA5, sizeof(old_bus_ops));
	old_bus_ops.v = (struct bus_ops_abi1){ .size = sizeof(struct bus_ops_abi1), .caps = LB_BUS_CAP_I2C,
					       .priv_size = sizeof(int), .open = abi1_open,
					       .close = v1_close, .max_transfer = v1_max_transfer,
					       .xfer = v1_xfer };
	old_bus_drv.v = (struct driver_v1){ LB_DRIVER_ABI, sizeof(struct driver_v1), LB_DRIVER_BUS,
					    "first-bus", "v1", &old_bus_ops.v };
	return (const struct lb_driver *)(const void *)&old_bus_drv;
}
#endif
