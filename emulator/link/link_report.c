/* SPDX-License-Identifier: MIT */
/* What the receiving end of an emulated coherent link reports, from one evaluation. */
#include <math.h>
#include "emulator/link/emu_link.h"

#define FITS(tm, member) (LB_SIZE_THROUGH(struct lb_emu_telemetry, member) <= (tm)->size)

static double dbm_to_mw(double dbm)
{
	return pow(10.0, dbm / 10.0);
}

void emu_link_report(const struct lb_emu_link_sample *s, bool rx_lit, double rx_tx_dbm,
		     double pdl_db, double baud_gbd, struct lb_emu_telemetry *tm)
{
	const struct lb_link_result *r = &s->result;
	bool up = r->state == LB_LINK_STATE_UP;
	bool los = r->state == LB_LINK_STATE_LOS;
	if (tm->lanes >= 1) {
		tm->rx_power_mw[0] = los ? 0.0 : dbm_to_mw(r->rx_power_dbm);
		tm->tx_power_mw[0] = rx_lit ? dbm_to_mw(rx_tx_dbm) : 0.0;
	}
	if (!FITS(tm, laser_temperature_c))
		return;
	tm->media_los[0] = los;
	tm->media_lol[0] = r->state == LB_LINK_STATE_NO_LOCK;
	double rx_dbm = los ? LB_LINK_NO_SIGNAL_DBM : r->rx_power_dbm;
	tm->rx_signal_power_dbm[0] = rx_dbm;
	tm->rx_total_power_dbm[0] = rx_dbm;
	/* Without lock the DSP measures nothing: its figures are not modelled (NAN). */
	double nan = NAN;
	tm->osnr_db[0] = up ? r->osnr_db : nan;
	tm->esnr_db[0] = up ? r->esnr_db : nan;
	tm->pre_fec_ber[0] = up ? r->pre_fec_ber : nan;
	tm->post_fec_ber[0] = up ? r->post_fec_ber : nan;
	tm->cd_ps_nm[0] = up ? r->cd_ps_nm : nan;
	tm->dgd_ps[0] = up ? r->dgd_ps : nan;
	tm->pdl_db[0] = up ? pdl_db : nan;
	tm->cfo_mhz[0] = up ? (s->tx_frequency_thz - s->rx_frequency_thz) * 1e6 : nan;
	if (up) {
		/* ASE in the signal's bandwidth rides on the signal: OSNR is in 0.1 nm (12.5 GHz). */
		double ase = dbm_to_mw(rx_dbm) * pow(10.0, -r->osnr_db / 10.0) * baud_gbd / 12.5;
		tm->rx_total_power_dbm[0] = 10.0 * log10(dbm_to_mw(rx_dbm) + ase);
	}
}
