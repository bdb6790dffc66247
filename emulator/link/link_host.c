/* SPDX-License-Identifier: MIT */
/*
 * What a module delivers on its host side to the ASIC lanes of its cage (lb_emu_asic_attach_
 * module), from the module's own state and, at an end of a coherent link, the link model's
 * verdict on both directions (emulator/asic/cage.c asks at every run of the chip):
 *   - no module, not ModuleReady, or lane 1's data path not initialised (DPActivated,
 *     DPTxTurnOn/Off or DPInitialized: its receiver runs, whatever its transmitter does):
 *     nothing (the host lanes are squelched);
 *   - its receiver does not lock (LOS, LOL), or locks but the line FEC leaves uncorrectable
 *     frames (the model's post-FEC errors, what sets the module's C-CMIS uncorrectable flag):
 *     nothing either (a coherent DSP sends Local Fault to the host in place of the client
 *     signal it cannot deliver whole);
 *   - it receives well but the far end does not (the far chip hears Local Fault and answers
 *     Remote Fault, which crosses the good direction): a remote fault;
 *   - both directions clean: a peer's signal.
 * A module on no link delivers a signal whenever its data path is initialised.
 */
#include "emulator/link/emu_link.h"

static bool clean(const struct lb_emu_link_sample *s)
{
	return s->rx_ready && s->result.state == LB_LINK_STATE_UP &&
	       s->result.fec_state == LB_LINK_FEC_CLEAN;
}

enum lb_emu_asic_signal emu_link_host_signal(struct lb_emu_module *m)
{
	struct emu_link_end e;
	emu_link_end_read(m, &e);
	if (!e.present || !e.ready || !e.dp_init)
		return LB_EMU_ASIC_SIGNAL_NONE;
	struct lb_emu_link_sample self, far;
	if (!emu_link_receives(m, &self, &far))
		return LB_EMU_ASIC_SIGNAL_PRESENT;
	if (!clean(&self))
		return LB_EMU_ASIC_SIGNAL_NONE;
	return clean(&far) ? LB_EMU_ASIC_SIGNAL_PRESENT : LB_EMU_ASIC_SIGNAL_REMOTE_FAULT;
}
