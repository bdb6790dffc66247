/* SPDX-License-Identifier: MIT */
/* The ASIC port behind a front-panel port, for lbctl buffer and lbctl traffic (asic_port.c). */
#ifndef LBCTL_ASIC_PORT_H
#define LBCTL_ASIC_PORT_H

#include "lbctl.h"

struct lbctl_asic_port {
	struct lb_port_info info;        /* the front-panel port */
	struct lb_switch *sw;            /* the platform's (owned by it) */
	uint32_t asic_port;              /* the first ASIC port on its lanes */
	struct lb_asic_port_config cfg;  /* its configuration in force */
};

/**
 * Open the platform's switch and find the first ASIC port on front-panel port arg's lanes;
 * what names the command in errors. Prints the error and returns its exit code.
 */
int lbctl_asic_port(struct lbctl *app, const char *what, const char *arg, struct lbctl_asic_port *out);
/** The platform's switch alone (lbctl buffer pools, profiles). */
int lbctl_asic_switch(struct lbctl *app, const char *what, struct lb_switch **sw);
/** Bytes as people write them: 1234, 64K, 12M, 1.5G (powers of 1024). false for garbage. */
bool lbctl_parse_bytes(const char *s, uint64_t *out);

#endif
