/* SPDX-License-Identifier: MIT */
/* Internal to the emulator: a port's ECN/WRED and PFC watchdog (congestion.c). */
#ifndef LB_EMU_ASIC_CONGESTION_H
#define LB_EMU_ASIC_CONGESTION_H

#include <stdbool.h>
#include <stdint.h>

struct lb_emu_asic;
struct emu_asic_port;

#define EMU_CC_RING 256u /* periods of the senders' reaction a round trip may span */

/* A queue's ECN/WRED registers (the staged layout: CTRL, PROB, MIN(c), MAX(c)). */
struct emu_cc_qcfg {
	uint32_t ctrl, prob;
	uint64_t min[3], max[3];
};

struct emu_cc_queue {
	struct emu_cc_qcfg staged, live;
	uint32_t status;
	uint64_t cnt[8], latch[8];    /* LB_EMU_ASIC_CC_C_* */
	double acc_mark, acc_drop[3]; /* fractional packets not counted yet */
};

struct emu_cc_wd {
	uint32_t detect, restore, action;             /* staged */
	uint32_t live_detect, live_restore, live_action;
	uint32_t status;
	bool stormed, pausing;
	uint64_t paused_since_ns, last_pfc_ns;
	uint64_t detected, restored, storm_ns, tx_dropped, rx_dropped; /* running */
	uint64_t l_detected, l_restored, l_storm_ns, l_tx, l_rx;         /* latched */
	double acc_tx, acc_rx;
};

/* The port's ECN-capable share, colours and sender reaction (lb_emu_asic_set_ecn_traffic). */
struct emu_cc_traffic {
	double ecn_capable[8], yellow[8], red[8];
	bool react;
	double rate[8];            /* the sender's rate factor, 1: as offered (0 read as 1) */
	double alpha[8], period_marks[8]; /* DCQCN's alpha; marks this period */
	uint8_t ring[EMU_CC_RING];        /* per period, the priorities marked (bit n) */
	uint32_t ring_pos;
};

struct emu_asic_cc {
	struct emu_cc_queue q[8];
	struct emu_cc_wd wd[8];
	struct emu_cc_traffic tr;
};

/* One step of the queueing model, as traffic_flow.c hands it over. */
struct emu_asic_cc_step {
	double *q;         /* bytes each queue holds before the step's arrivals */
	double *in;        /* the step's arrivals per priority (= queue) */
	double drop[8];    /* out: bytes taken from in[] (WRED, watchdog) */
	double flushed[8]; /* out: bytes taken from q[] (watchdog drop) */
	uint32_t held;     /* in: queues held by received PFC; out: those the watchdog leaves held */
	double frame;      /* bytes per frame */
	uint64_t t_ns, step_ns;
	uint64_t rtt_ns;   /* the link's round trip and the peer's response: the senders see marks so late */
};

/* Run ECN/WRED, the sender's reaction and the watchdog for one step of port p. */
void emu_asic_cc_step(struct emu_asic_port *p, struct emu_asic_cc_step *s);
/* Registers; LB_E_RANGE when addr is not theirs. World locked, model run to now. */
int emu_asic_cc_read(struct lb_emu_asic *a, uint32_t addr, uint32_t *v);
int emu_asic_cc_write(struct lb_emu_asic *a, uint32_t addr, uint32_t v);

#endif
