/* SPDX-License-Identifier: MIT */
/* The VOQ system-port table of a switch (voq.c), for the rest of hal/asic. */
#ifndef LB_HAL_ASIC_VOQ_INTERNAL_H
#define LB_HAL_ASIC_VOQ_INTERNAL_H

#include <stdint.h>

struct lb_switch;
struct lb_voq;

/* Free a switch's table (at close); NULL is allowed. */
void lb_voq_free(struct lb_voq *q);
/* Learn the chip's VOQ identity and system-port table (at open; nothing without the ops). */
int lb_asic_voq_load(struct lb_switch *sw);
/* LB_E_BUSY with the detail when ASIC port port has a local system port, else LB_OK. */
int lb_voq_port_in_use(struct lb_switch *sw, uint32_t port);

#endif
