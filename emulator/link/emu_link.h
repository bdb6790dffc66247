/* SPDX-License-Identifier: MIT */
/* Internal to the emulator's coherent link: what one end of a link has set (link_end.c). */
#ifndef LB_EMU_LINK_INTERNAL_H
#define LB_EMU_LINK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <lightbridge/emulator.h>
#include <lightbridge/link.h>

/* One end as its registers say, media lane 1 (bank 0). */
struct emu_link_end {
	bool present;       /* in its cage */
	bool ready;         /* ModuleReady */
	bool dp_up;         /* lane 1's data path DPActivated: the transmitter runs */
	bool dp_init;       /* initialised (activated, turning on or off, DPInitialized): the
			       receiver runs, whatever the transmitter does */
	bool tx_on;         /* media lane 1 not disabled (10h:130 bit 0) */
	bool locked;        /* laser on its channel: not tuning, not unlocked (12h:222) */
	uint8_t app_sel;    /* active AppSel of lane 1 (11h:206), 0: none */
	int media_id;       /* its media interface code, -1: none */
	const char *vendor_mode; /* a vendor line mode in force (page B0h or B8h), NULL: the application's */
	char vendor_mode_id[17]; /* ... its id when it came from a PCS1 page (B8h) */
	double freq_thz;    /* current laser frequency (12h:168), 0: none */
	double tx_dbm;      /* Tx power target (12h:200) */
};

/* Read an end's settings with side-effect-free peeks (safe from a telemetry sample). */
void emu_link_end_read(const struct lb_emu_module *m, struct emu_link_end *out);
/* The end sends light: present, ready, data path up, locked, Tx on, a frequency. */
bool emu_link_end_lit(const struct emu_link_end *e);

/*
 * What a receiver's monitors and DSP report for sample s (link_report.c): lane 1's Rx power
 * (0 mW for LOS) and Tx power (its own target when it sends, rx_lit; else 0 mW), and, in a V2
 * telemetry struct, media lane 1's LOS/LOL and, when UP, OSNR, eSNR, BERs, CD, DGD, PDL
 * (pdl_db), CFO, Rx signal power and Rx total power (signal + the ASE in baud_gbd); the DSP
 * figures NAN otherwise.
 */
void emu_link_report(const struct lb_emu_link_sample *s, bool rx_lit, double rx_tx_dbm,
		     double pdl_db, double baud_gbd, struct lb_emu_telemetry *tm);

/*
 * When m is an end of a link: what it receives from the far end now (*self) and what the far
 * end receives from it (*far), evaluated at the world's time without moving the link's DGD
 * drift (a look, for the ASIC lanes of m's cage: link_host.c), and true; false otherwise.
 * Takes m's world lock.
 */
bool emu_link_receives(struct lb_emu_module *m, struct lb_emu_link_sample *self,
		       struct lb_emu_link_sample *far);
/* What m delivers to the ASIC lanes of its cage now (link_host.c has the rules). */
enum lb_emu_asic_signal emu_link_host_signal(struct lb_emu_module *m);

#endif
