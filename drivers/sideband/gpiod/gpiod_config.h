/* SPDX-License-Identifier: MIT */
/* The gpiod sideband's options as a request plan: pure, testable without a GPIO chip. */
#ifndef LB_DRIVERS_SIDEBAND_GPIOD_CONFIG_H
#define LB_DRIVERS_SIDEBAND_GPIOD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <lightbridge/driver.h>

struct gpiod_sb_line_cfg {
	bool used;           /* named in "lines" */
	bool by_name;        /* name[] instead of offset */
	unsigned offset;
	char name[64];
	bool active_low;     /* low level = asserted (requested with the ACTIVE_LOW flag) */
	bool output;         /* ResetL, LPMode, ModSelL: driven by the host */
	int initial;         /* outputs: asserted (1) or not (0) at request time */
};

struct gpiod_sb_cfg {
	char chip[128];      /* name, path or number, for gpiod_chip_open_lookup */
	char consumer[32];   /* shown by gpioinfo */
	unsigned port;       /* for logs */
	struct gpiod_sb_line_cfg line[LB_SB_COUNT];
};

/** Option key of a line ("resetl", ...). */
const char *gpiod_sb_line_key(enum lb_sideband_line line);
/**
 * Read {"chip", "lines": {"resetl": 3 | "NAME", ...}, "active_low": true | {"intl": false, ...},
 * "initial": {"resetl": false, "lpmode": false, "modsell": true}, "consumer"} (and a
 * platform's "port" and "bus"). The *L signals are active-low unless "active_low" says
 * otherwise; LPMode is active-high unless {"lpmode": true}. LB_E_PARSE or LB_E_RANGE with
 * "ORIGIN: FIELD: reason" in the options (lb_options_error).
 */
int gpiod_sb_parse(const struct lb_options *options, struct gpiod_sb_cfg *cfg);

#endif
