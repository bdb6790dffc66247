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
#define OCH "optical-channel/"
#define LBR "lightbridge/"
#define PM3(leaf, label, unit)                                                                  \
	{ { leaf "/avg", leaf "/min", leaf "/max" },                                            \
	  { label " avg (PM)", label " min (PM)", label " max (PM)" }, unit }
const struct lb_telemetry_pm_name lb_telemetry_pm_names[LB_TELEMETRY_PM_METRICS] = {
	PM3(OCH "chromatic-dispersion", "CD", "ps/nm"),
	PM3(OCH "polarization-mode-dispersion", "DGD", "ps"),
	PM3(OCH "second-order-polarization-mode-dispersion", "SOPMD", "ps^2"),
	PM3(OCH "polarization-dependent-loss", "PDL", "dB"),
	PM3(OCH "osnr", "OSNR", "dB"),
	PM3("otn/esnr", "eSNR", "dB"),
	PM3(OCH "carrier-frequency-offset", "CFO", "MHz"),
	PM3(LBR "evm", "EVM", "%"),
	PM3(OCH "output-power", "Tx power (DSP)", "dBm"),
	PM3(OCH "input-power", "Rx total power", "dBm"),
	PM3(LBR "rx-signal-power", "Rx signal power", "dBm"),
	PM3(LBR "sop-rate-of-change", "SOP rate of change", "krad/s"),
	PM3(LBR "mer", "MER", "dB"),
};
