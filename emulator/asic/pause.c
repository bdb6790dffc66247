/* SPDX-License-Identifier: MIT */
/*
 * IEEE 802.3x PAUSE in the queueing model (traffic_flow.c calls these): the whole link paused
 * at once, not per priority. A port with PAUSE tx sends PAUSE when its ingress reaches XOFF
 * (any of its PGs above its limit: every PG with a profile is then lossless) and a PAUSE of
 * quanta 0 when they are all back below XON; while held it refreshes at half the quanta's
 * time, as PFC does. A port with PAUSE rx stops its transmit (every queue) while the peer's
 * PAUSE holds it. Frames go to the PAUSE_TX/RX counters, the time held to PAUSE_TX/RX_US.
 */
#include "emulator/asic/emu_asic.h"

uint32_t emu_asic_lossless_mask(const struct emu_asic_port *p)
{
	return LB_EMU_ASIC_CTRL_PAUSE_TX(p->live.ctrl) ? 0xFFu : LB_EMU_ASIC_CTRL_PFC(p->live.ctrl);
}

/* One step of a PAUSE direction: the frame at the start, the refreshes, XON at the end. */
static void step(struct emu_asic_port *p, bool *was, double *next, bool held, double now, double refresh_ns,
		 uint64_t step_ns, unsigned frames, unsigned us, bool xon_counted)
{
	if (held && !*was) {
		p->cnt[frames]++;
		*next = now + refresh_ns;
	} else if (!held && *was && xon_counted) {
		p->cnt[frames]++; /* quanta 0 */
	} else if (held && now >= *next) {
		p->cnt[frames]++;
		*next += refresh_ns;
	}
	if (held) { /* whole microseconds counted, the rest carried */
		uint64_t *acc = &p->pause.acc_ns[us == LB_EMU_ASIC_C_PAUSE_TX_US];
		*acc += step_ns;
		p->cnt[us] += *acc / 1000u;
		*acc %= 1000u;
	}
	*was = held;
}

void emu_asic_pause_tx(struct emu_asic_port *p, bool held, double now, double refresh_ns, uint64_t step_ns)
{
	step(p, &p->pause.tx_held, &p->pause.tx_next, held, now, refresh_ns, step_ns, LB_EMU_ASIC_C_PAUSE_TX,
	     LB_EMU_ASIC_C_PAUSE_TX_US, true);
}

bool emu_asic_pause_rx(struct emu_asic_port *p, bool peer, double now, double refresh_ns, uint64_t step_ns)
{
	/* the peer's XON (quanta 0) is its own frame: counted as received */
	step(p, &p->pause.rx_held, &p->pause.rx_next, peer, now, refresh_ns, step_ns, LB_EMU_ASIC_C_PAUSE_RX,
	     LB_EMU_ASIC_C_PAUSE_RX_US, true);
	return peer;
}
