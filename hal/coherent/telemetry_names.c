/* SPDX-License-Identifier: MIT */
/*
 * Names of the telemetry snapshot's values: the OpenConfig leaf where one exists, qualified by
 * its container ("optical-channel/" for openconfig-terminal-device optical-channel state,
 * "otn/" for logical-channel OTN state, "transceiver/" and "physical-channel/" for
 * openconfig-platform-transceiver), the statistic last ("instant", "avg", "min", "max"); else a
 * "lightbridge/" name of the same shape. docs/coherent.md has the table with full paths.
 */
#include <stddef.h>
#include "hal/coherent/telemetry_internal.h"

/* VDM observable types: name of the instant value, or of the statistic the type is. */
static const struct lb_telemetry_name vdm_names[] = {
	{ 3, "lightbridge/laser-frequency-error/instant", "Laser frequency error" },
	{ 9, "otn/pre-fec-ber/min", "Pre-FEC BER min (VDM)" },
	{ 11, "otn/pre-fec-ber/max", "Pre-FEC BER max (VDM)" },
	{ 13, "otn/pre-fec-ber/avg", "Pre-FEC BER avg (VDM)" },
	{ 15, "otn/pre-fec-ber/instant", "Pre-FEC BER" },
	{ 23, "lightbridge/frame-error-ratio/instant", "Errored frames ratio" },
	{ 128, "optical-channel/modulator-bias-xi/instant", "Modulator bias X/I" },
	{ 129, "optical-channel/modulator-bias-xq/instant", "Modulator bias X/Q" },
	{ 130, "optical-channel/modulator-bias-yi/instant", "Modulator bias Y/I" },
	{ 131, "optical-channel/modulator-bias-yq/instant", "Modulator bias Y/Q" },
	{ 132, "optical-channel/modulator-bias-x-phase/instant", "Modulator bias X phase" },
	{ 133, "optical-channel/modulator-bias-y-phase/instant", "Modulator bias Y phase" },
	{ 134, "optical-channel/chromatic-dispersion/instant", "CD" },
	{ 135, "optical-channel/chromatic-dispersion/instant", "CD" },
	{ 136, "optical-channel/polarization-mode-dispersion/instant", "DGD" },
	{ 137, "optical-channel/second-order-polarization-mode-dispersion/instant", "SOPMD" },
	{ 138, "optical-channel/polarization-dependent-loss/instant", "PDL" },
	{ 139, "optical-channel/osnr/instant", "OSNR" },
	{ 140, "otn/esnr/instant", "eSNR" },
	{ 141, "optical-channel/carrier-frequency-offset/instant", "CFO" },
	{ 142, "lightbridge/evm/instant", "EVM" },
	{ 143, "optical-channel/output-power/instant", "Tx power (DSP)" },
	{ 144, "optical-channel/input-power/instant", "Rx total power" },
	{ 145, "lightbridge/rx-signal-power/instant", "Rx signal power" },
	{ 146, "lightbridge/sop-rate-of-change/instant", "SOP rate of change" },
	{ 147, "lightbridge/mer/instant", "MER" },
	{ 151, "otn/q-value/instant", "Q-factor" },
	{ 152, "lightbridge/q-margin/instant", "Q-margin" },
};

const struct lb_telemetry_name *lb_telemetry_vdm_name(unsigned type)
{
	for (size_t i = 0; i < sizeof(vdm_names) / sizeof(vdm_names[0]); i++)
		if (vdm_names[i].id == type)
			return &vdm_names[i];
	return NULL;
}

/* The link PM metrics of page 35h, in struct lb_ccmis_pm order: avg, min, max names. */
const struct lb_telemetry_pm_name lb_telemetry_pm_names[LB_TELEMETRY_PM_METRICS] = {
	{ { "optical-channel/chromatic-dispersion/avg", "optical-channel/chromatic-dispersion/min",
	    "optical-channel/chromatic-dispersion/max" }, { "CD avg (PM)", "CD min (PM)", "CD max (PM)" }, "ps/nm" },
	{ { "optical-channel/polarization-mode-dispersion/avg",
	    "optical-channel/polarization-mode-dispersion/min",
	    "optical-channel/polarization-mode-dispersion/max" }, { "DGD avg (PM)", "DGD min (PM)", "DGD max (PM)" }, "ps" },
	{ { "optical-channel/second-order-polarization-mode-dispersion/avg",
	    "optical-channel/second-order-polarization-mode-dispersion/min",
	    "optical-channel/second-order-polarization-mode-dispersion/max" }, { "SOPMD avg (PM)", "SOPMD min (PM)", "SOPMD max (PM)" }, "ps^2" },
	{ { "optical-channel/polarization-dependent-loss/avg",
	    "optical-channel/polarization-dependent-loss/min",
	    "optical-channel/polarization-dependent-loss/max" }, { "PDL avg (PM)", "PDL min (PM)", "PDL max (PM)" }, "dB" },
	{ { "optical-channel/osnr/avg", "optical-channel/osnr/min", "optical-channel/osnr/max" },
	  { "OSNR avg (PM)", "OSNR min (PM)", "OSNR max (PM)" }, "dB" },
	{ { "otn/esnr/avg", "otn/esnr/min", "otn/esnr/max" }, { "eSNR avg (PM)", "eSNR min (PM)", "eSNR max (PM)" }, "dB" },
	{ { "optical-channel/carrier-frequency-offset/avg",
	    "optical-channel/carrier-frequency-offset/min",
	    "optical-channel/carrier-frequency-offset/max" }, { "CFO avg (PM)", "CFO min (PM)", "CFO max (PM)" }, "MHz" },
	{ { "lightbridge/evm/avg", "lightbridge/evm/min", "lightbridge/evm/max" }, { "EVM avg (PM)", "EVM min (PM)", "EVM max (PM)" }, "%" },
	{ { "optical-channel/output-power/avg", "optical-channel/output-power/min",
	    "optical-channel/output-power/max" }, { "Tx power (DSP) avg (PM)", "Tx power (DSP) min (PM)", "Tx power (DSP) max (PM)" }, "dBm" },
	{ { "optical-channel/input-power/avg", "optical-channel/input-power/min",
	    "optical-channel/input-power/max" }, { "Rx total power avg (PM)", "Rx total power min (PM)", "Rx total power max (PM)" }, "dBm" },
	{ { "lightbridge/rx-signal-power/avg", "lightbridge/rx-signal-power/min",
	    "lightbridge/rx-signal-power/max" }, { "Rx signal power avg (PM)", "Rx signal power min (PM)", "Rx signal power max (PM)" }, "dBm" },
	{ { "lightbridge/sop-rate-of-change/avg", "lightbridge/sop-rate-of-change/min",
	    "lightbridge/sop-rate-of-change/max" }, { "SOP rate of change avg (PM)", "SOP rate of change min (PM)", "SOP rate of change max (PM)" }, "krad/s" },
	{ { "lightbridge/mer/avg", "lightbridge/mer/min", "lightbridge/mer/max" }, { "MER avg (PM)", "MER min (PM)", "MER max (PM)" }, "dB" },
};
