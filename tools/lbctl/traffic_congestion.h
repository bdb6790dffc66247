/* SPDX-License-Identifier: MIT */
/* What congestion control did during lbctl traffic's run (traffic_congestion.c). */
#ifndef LBCTL_TRAFFIC_CONGESTION_H
#define LBCTL_TRAFFIC_CONGESTION_H

#include "lbctl.h"

/**
 * For each priority n of mask whose queue n has ECN/WRED on or whose traffic class n has the
 * PFC watchdog on: one line of what they did (marks, drops; storms, state, watchdog drops).
 * Nothing for the others (nothing at all at power-on).
 */
void lbctl_traffic_congestion_text(struct lbctl *app, struct lb_switch *sw, uint32_t asic_port, uint32_t mask);
/** The same as keys of priority n's JSON object o ("ecn", "pfcwd"), when on. */
void lbctl_traffic_congestion_json(struct lb_switch *sw, uint32_t asic_port, unsigned n, json_t *o);

#endif
