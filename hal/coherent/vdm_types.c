/* SPDX-License-Identifier: MIT */
/*
 * The VDM observable types: data format, scale, name, unit and JSON key of every type CMIS
 * 5.4 (Table 8-180: 1-34, 77-84) and C-CMIS 1.3 (Table 8: 128-152) define, and the F16
 * number format (CMIS 5.4 section 3.4). The descriptor carries only the type ID; everything
 * else follows from it (reference/cmis.md section 10.4).
 */
#include <math.h>
#include <stddef.h>
#include <lightbridge/coherent.h>

#define U LB_VDM_FORMAT_U16
#define S LB_VDM_FORMAT_S16
#define F LB_VDM_FORMAT_F16
#define PCT_S16 (100.0 / 32767.0)
#define PCT_U16 (100.0 / 65535.0)

/* Sorted by ID. */
static const struct lb_vdm_type types[] = {
	{ 1, U, false, 1.0, "Laser age", "%", "laser_age_pct" },
	{ 2, S, false, PCT_S16, "TEC current", "%", "tec_current_pct" },
	{ 3, S, false, 10.0, "Laser frequency error", "MHz", "laser_frequency_error_mhz" },
	{ 4, S, false, 1.0 / 256.0, "Laser temperature deviation", "C",
	  "laser_temperature_deviation_c" },
	{ 5, U, false, 1.0 / 256.0, "SNR (media input)", "dB", "snr_media_db" },
	{ 6, U, false, 1.0 / 256.0, "SNR (host input)", "dB", "snr_host_db" },
	{ 7, U, false, 1.0 / 256.0, "PAM4 LTP (media input)", "dB", "ltp_media_db" },
	{ 8, U, false, 1.0 / 256.0, "PAM4 LTP (host input)", "dB", "ltp_host_db" },
	{ 9, F, true, 1.0, "Pre-FEC BER min (media)", "", "pre_fec_ber_min_media" },
	{ 10, F, true, 1.0, "Pre-FEC BER min (host)", "", "pre_fec_ber_min_host" },
	{ 11, F, true, 1.0, "Pre-FEC BER max (media)", "", "pre_fec_ber_max_media" },
	{ 12, F, true, 1.0, "Pre-FEC BER max (host)", "", "pre_fec_ber_max_host" },
	{ 13, F, true, 1.0, "Pre-FEC BER avg (media)", "", "pre_fec_ber_avg_media" },
	{ 14, F, true, 1.0, "Pre-FEC BER avg (host)", "", "pre_fec_ber_avg_host" },
	{ 15, F, false, 1.0, "Pre-FEC BER (media)", "", "pre_fec_ber_media" },
	{ 16, F, false, 1.0, "Pre-FEC BER (host)", "", "pre_fec_ber_host" },
	{ 17, F, true, 1.0, "Errored frames min (media)", "", "ferc_min_media" },
	{ 18, F, true, 1.0, "Errored frames min (host)", "", "ferc_min_host" },
	{ 19, F, true, 1.0, "Errored frames max (media)", "", "ferc_max_media" },
	{ 20, F, true, 1.0, "Errored frames max (host)", "", "ferc_max_host" },
	{ 21, F, true, 1.0, "Errored frames avg (media)", "", "ferc_avg_media" },
	{ 22, F, true, 1.0, "Errored frames avg (host)", "", "ferc_avg_host" },
	{ 23, F, false, 1.0, "Errored frames (media)", "", "ferc_media" },
	{ 24, F, false, 1.0, "Errored frames (host)", "", "ferc_host" },
	{ 25, F, true, 1.0, "Errored frames total (media)", "", "ferc_total_media" },
	{ 26, F, true, 1.0, "Errored frames total (host)", "", "ferc_total_host" },
	{ 27, U, true, 1.0, "SEWmax min (media)", "", "sew_max_min_media" },
	{ 28, U, true, 1.0, "SEWmax min (host)", "", "sew_max_min_host" },
	{ 29, U, true, 1.0, "SEWmax max (media)", "", "sew_max_max_media" },
	{ 30, U, true, 1.0, "SEWmax max (host)", "", "sew_max_max_host" },
	{ 31, U, true, 1.0, "SEWmax avg (media)", "", "sew_max_avg_media" },
	{ 32, U, true, 1.0, "SEWmax avg (host)", "", "sew_max_avg_host" },
	{ 33, U, false, 1.0, "SEWmax (media)", "", "sew_max_media" },
	{ 34, U, false, 1.0, "SEWmax (host)", "", "sew_max_host" },
	{ 77, U, false, 0.0001, "Supply 2.6 V", "V", "supply_2v6_v" },
	{ 78, U, false, 0.0001, "Supply 1.8 V", "V", "supply_1v8_v" },
	{ 79, U, false, 0.0001, "Supply 1.2 V", "V", "supply_1v2_v" },
	{ 80, U, false, 0.0001, "Supply 0.9 V", "V", "supply_0v9_v" },
	{ 81, U, false, 0.0001, "Supply 0.7 V (A)", "V", "supply_0v7_a_v" },
	{ 82, U, false, 0.0001, "Supply 0.7 V (B)", "V", "supply_0v7_b_v" },
	{ 83, U, false, 0.00025, "Supply 12 V", "V", "supply_12v_v" },
	{ 84, S, false, 0.01, "ELS input power", "dBm", "els_input_power_dbm" },
	{ 128, U, false, PCT_U16, "Modulator bias X/I", "%", "modulator_bias_xi_pct" },
	{ 129, U, false, PCT_U16, "Modulator bias X/Q", "%", "modulator_bias_xq_pct" },
	{ 130, U, false, PCT_U16, "Modulator bias Y/I", "%", "modulator_bias_yi_pct" },
	{ 131, U, false, PCT_U16, "Modulator bias Y/Q", "%", "modulator_bias_yq_pct" },
	{ 132, U, false, PCT_U16, "Modulator bias X phase", "%", "modulator_bias_x_phase_pct" },
	{ 133, U, false, PCT_U16, "Modulator bias Y phase", "%", "modulator_bias_y_phase_pct" },
	{ 134, S, false, 1.0, "CD (short link)", "ps/nm", "cd_short_ps_nm" },
	{ 135, S, false, 20.0, "CD (long link)", "ps/nm", "cd_long_ps_nm" },
	{ 136, U, false, 0.01, "DGD", "ps", "dgd_ps" },
	{ 137, U, false, 0.01, "SOPMD", "ps^2", "sopmd_ps2" },
	{ 138, U, false, 0.1, "PDL", "dB", "pdl_db" },
	{ 139, U, false, 0.1, "OSNR", "dB", "osnr_db" },
	{ 140, U, false, 0.1, "eSNR", "dB", "esnr_db" },
	{ 141, S, false, 1.0, "Carrier frequency offset", "MHz", "cfo_mhz" },
	{ 142, U, false, PCT_U16, "EVM", "%", "evm_pct" },
	{ 143, S, false, 0.01, "Tx power", "dBm", "tx_power_dbm" },
	{ 144, S, false, 0.01, "Rx total power", "dBm", "rx_total_power_dbm" },
	{ 145, S, false, 0.01, "Rx signal power", "dBm", "rx_signal_power_dbm" },
	{ 146, U, false, 1.0, "SOP rate of change", "krad/s", "sop_rate_of_change_krad_s" },
	{ 147, U, false, 0.1, "MER", "dB", "mer_db" },
	{ 148, S, false, PCT_S16, "Clock recovery loop", "%", "clock_recovery_loop_pct" },
	{ 149, U, false, 1.0, "SOPMD (low granularity)", "ps^2", "sopmd_low_ps2" },
	{ 150, S, false, 0.1, "SNR margin", "dB", "snr_margin_db" },
	{ 151, U, false, 0.1, "Q-factor", "dB", "q_factor_db" },
	{ 152, S, false, 0.1, "Q-margin", "dB", "q_margin_db" },
};

LB_API const struct lb_vdm_type *lb_vdm_type_find(unsigned id)
{
	size_t lo = 0, hi = sizeof(types) / sizeof(types[0]);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (types[mid].id == id)
			return &types[mid];
		if (types[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

LB_API double lb_vdm_f16_value(uint16_t raw)
{
	int e = raw >> 11;
	unsigned mant = raw & 0x7FFu;
	return (double)mant * pow(10.0, e - 24);
}

LB_API double lb_vdm_value(unsigned id, uint16_t raw)
{
	const struct lb_vdm_type *t = lb_vdm_type_find(id);
	if (!t)
		return NAN;
	switch (t->format) {
	case LB_VDM_FORMAT_F16: return lb_vdm_f16_value(raw) * t->scale;
	case LB_VDM_FORMAT_S16: return (double)(int16_t)raw * t->scale;
	default: return (double)raw * t->scale;
	}
}
