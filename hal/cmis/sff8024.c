/* SPDX-License-Identifier: MIT */
/*
 * SFF-8024 (rev 4.13) and CMIS code names: identifiers, connectors, host electrical and
 * media interface IDs, media types. Tables are sparse arrays indexed by code; codes not in
 * them fall back to their range's name (vendor specific, custom) or "unknown".
 */
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/module.h>

static const char unknown[] = "unknown";

/* SFF-8024 Table 4-1. */
static const char *const identifier_names[256] = {
	[0x00] = "Unknown or unspecified",
	[0x01] = "GBIC",
	[0x02] = "Module soldered to motherboard (SFF-8472)",
	[0x03] = "SFP/SFP+/SFP28 (SFF-8472)",
	[0x04] = "300 pin XBI",
	[0x05] = "XENPAK",
	[0x06] = "XFP",
	[0x07] = "XFF",
	[0x08] = "XFP-E",
	[0x09] = "XPAK",
	[0x0A] = "X2",
	[0x0B] = "DWDM-SFP/SFP+ (not SFF-8472)",
	[0x0C] = "QSFP (INF-8438)",
	[0x0D] = "QSFP+ or later (SFF-8436/SFF-8636)",
	[0x0E] = "CXP or later",
	[0x0F] = "Shielded Mini Multilane HD 4X",
	[0x10] = "Shielded Mini Multilane HD 8X",
	[0x11] = "QSFP28 or later (SFF-8636)",
	[0x12] = "CXP2 (CXP28) or later",
	[0x13] = "CDFP (Style 1/Style 2)",
	[0x14] = "Shielded Mini Multilane HD 4X Fanout Cable",
	[0x15] = "Shielded Mini Multilane HD 8X Fanout Cable",
	[0x16] = "CDFP (Style 3)",
	[0x17] = "microQSFP",
	[0x18] = "QSFP-DD",
	[0x19] = "OSFP",
	[0x1A] = "SFP-DD (SFP-DD management interface)",
	[0x1B] = "DSFP",
	[0x1C] = "x4 MiniLink/OcuLink",
	[0x1D] = "x8 MiniLink",
	[0x1E] = "QSFP+ or later with CMIS",
	[0x1F] = "SFP-DD with CMIS",
	[0x20] = "SFP+ and later with CMIS",
	[0x21] = "OSFP-XD with CMIS",
	[0x22] = "OIF-ELSFP with CMIS",
	[0x23] = "CDFP (x4 PCIe) with CMIS",
	[0x24] = "CDFP (x8 PCIe) with CMIS",
	[0x25] = "CDFP (x16 PCIe) with CMIS",
};

LB_API const char *lb_sff8024_identifier_name(uint8_t id)
{
	if (identifier_names[id])
		return identifier_names[id];
	if (id >= 0x80)
		return "Vendor specific";
	return unknown;
}

/* SFF-8024 Table 4-3. */
static const char *const connector_names[256] = {
	[0x00] = "Unknown or unspecified",
	[0x01] = "SC",
	[0x02] = "Fibre Channel Style 1 copper",
	[0x03] = "Fibre Channel Style 2 copper",
	[0x04] = "BNC/TNC",
	[0x05] = "Fibre Channel coax headers",
	[0x06] = "Fiber Jack",
	[0x07] = "LC",
	[0x08] = "MT-RJ",
	[0x09] = "MU",
	[0x0A] = "SG",
	[0x0B] = "Optical pigtail",
	[0x0C] = "MPO 1x12",
	[0x0D] = "MPO 2x16",
	[0x20] = "HSSDC II",
	[0x21] = "Copper pigtail",
	[0x22] = "RJ45",
	[0x23] = "No separable connector",
	[0x24] = "MXC 2x16",
	[0x25] = "CS optical connector",
	[0x26] = "SN optical connector",
	[0x27] = "MPO 2x12",
	[0x28] = "MPO 1x16",
};

LB_API const char *lb_sff8024_connector_name(uint8_t code)
{
	if (connector_names[code])
		return connector_names[code];
	if (code >= 0x80)
		return "Vendor specific";
	return unknown;
}

/* SFF-8024 Table 4-5, host electrical interface IDs. */
static const char *const host_names[256] = {
	[0x00] = "Undefined",
	/* Ethernet */
	[0x01] = "1000BASE-CX (Clause 39)",
	[0x02] = "XAUI (Clause 47)",
	[0x03] = "XFI (SFF INF-8071i)",
	[0x04] = "SFI (SFF-8431)",
	[0x05] = "25GAUI C2M (Annex 109B)",
	[0x06] = "XLAUI C2M (Annex 83B)",
	[0x07] = "XLPPI (Annex 86A)",
	[0x08] = "LAUI-2 C2M (Annex 135C)",
	[0x09] = "50GAUI-2 C2M (Annex 135E)",
	[0x0A] = "50GAUI-1 C2M (Annex 135G)",
	[0x0B] = "CAUI-4 C2M (Annex 83E)",
	[0x41] = "CAUI-4 C2M (Annex 83E) without FEC",
	[0x42] = "CAUI-4 C2M (Annex 83E) with RS(528,514) FEC",
	[0x0C] = "100GAUI-4 C2M (Annex 135E)",
	[0x0D] = "100GAUI-2 C2M (Annex 135G)",
	[0x4B] = "100GAUI-1-S C2M (Annex 120G)",
	[0x4C] = "100GAUI-1-L C2M (Annex 120G)",
	[0x0E] = "200GAUI-8 C2M (Annex 120C)",
	[0x0F] = "200GAUI-4 C2M (Annex 120E)",
	[0x4D] = "200GAUI-2-S C2M (Annex 120G)",
	[0x4E] = "200GAUI-2-L C2M (Annex 120G)",
	[0x80] = "200GAUI-1 (Annex 176E)",
	[0x10] = "400GAUI-16 C2M (Annex 120C)",
	[0x11] = "400GAUI-8 C2M (Annex 120E)",
	[0x4F] = "400GAUI-4-S C2M (Annex 120G)",
	[0x50] = "400GAUI-4-L C2M (Annex 120G)",
	[0x81] = "400GAUI-2 (Annex 176E)",
	[0x51] = "800GAUI-8 S C2M (Annex 120G)",
	[0x52] = "800GAUI-8 L C2M (Annex 120G)",
	[0x82] = "800GAUI-4 (Annex 176E)",
	[0x55] = "1.6TAUI-16-S C2M (Annex 120G)",
	[0x56] = "1.6TAUI-16-L C2M (Annex 120G)",
	[0x83] = "1.6TAUI-8 (Annex 176E)",
	[0x13] = "10GBASE-CX4 (Clause 54)",
	[0x14] = "25GBASE-CR CA-25G-L (Clause 110)",
	[0x15] = "25GBASE-CR or 25GBASE-CR-S CA-25G-S (Clause 110)",
	[0x16] = "25GBASE-CR or 25GBASE-CR-S CA-25G-N (Clause 110)",
	[0x17] = "40GBASE-CR4 (Clause 85)",
	[0x43] = "50GBASE-CR2 (ETC) with RS(528,514) FEC",
	[0x44] = "50GBASE-CR2 (ETC) with BASE-R FEC",
	[0x45] = "50GBASE-CR2 (ETC) with no FEC",
	[0x18] = "50GBASE-CR (Clause 136)",
	[0x19] = "100GBASE-CR10 (Clause 85)",
	[0x1A] = "100GBASE-CR4 (Clause 92)",
	[0x1B] = "100GBASE-CR2 (Clause 136)",
	[0x46] = "100GBASE-CR1 (Clause 162)",
	[0x1C] = "200GBASE-CR4 (Clause 136)",
	[0x47] = "200GBASE-CR2 (Clause 162)",
	[0x1D] = "400G CR8 (ETC)",
	[0x48] = "400GBASE-CR4 (Clause 162)",
	[0x49] = "800G-ETC-CR8 or 800GBASE-CR8",
	[0x1E] = "200GBASE-CR1 (Clause 179)",
	[0x1F] = "400GBASE-CR2 (Clause 179)",
	[0x57] = "800GBASE-CR4 (Clause 179)",
	[0x58] = "1.6TBASE-CR8 (Clause 179)",
	[0x20] = "LEI-100G-PAM4-1 (LPO MSA)",
	[0x21] = "LEI-200G-PAM4-2 (LPO MSA)",
	[0x22] = "LEI-400G-PAM4-4 (LPO MSA)",
	[0x23] = "LEI-800G-PAM4-8 (LPO MSA)",
	/* Fibre Channel */
	[0x25] = "8GFC (FC-PI-4)",
	[0x26] = "10GFC",
	[0x27] = "16GFC (FC-PI-5)",
	[0x28] = "32GFC (FC-PI-6)",
	[0x29] = "64GFC (FC-PI-7)",
	[0x4A] = "128GFC (FC-PI-8)",
	[0x2A] = "128GFC (FC-PI-6P)",
	[0x2B] = "256GFC (FC-PI-7P)",
	/* InfiniBand */
	[0x2C] = "IB SDR",
	[0x2D] = "IB DDR",
	[0x2E] = "IB QDR",
	[0x2F] = "IB FDR",
	[0x30] = "IB EDR",
	[0x31] = "IB HDR",
	[0x32] = "IB NDR",
	[0xA0] = "IB XDR",
	/* CPRI */
	[0x33] = "E.96 (CPRI 7.0)",
	[0x34] = "E.99 (CPRI 7.0)",
	[0x35] = "E.119 (CPRI 7.0)",
	[0x36] = "E.238 (CPRI 7.0)",
	/* OTN (ITU-T G.709 / G.Sup58) */
	[0x37] = "OTL3.4",
	[0x38] = "OTL4.10",
	[0x53] = "OTL4.2",
	[0x39] = "OTL4.4",
	[0x3A] = "OTLC.4",
	[0x3B] = "FOIC1.4-MFI",
	[0x3C] = "FOIC1.2-MFI",
	[0x3D] = "FOIC2.8-MFI",
	[0x3E] = "FOIC2.4-MFI",
	[0x3F] = "FOIC4.16-MFI",
	[0x40] = "FOIC4.8-MFI",
	[0xB0] = "FOIC1.1-MFI",
	[0xB1] = "FOIC4.4-MFI",
	[0xB2] = "FOIC8.8-MFI",
	/* PON */
	[0xB7] = "ITU-T G.9804.3",
	/* PCIe */
	[0x70] = "PCIe 4.0",
	[0x71] = "PCIe 5.0",
	[0x72] = "PCIe 6.0",
	[0x73] = "PCIe 7.0",
	/* OIF */
	[0x74] = "CEI-112G-LINEAR-PAM4",
	[0x90] = "EEI-100G-RTLR-1-S",
	[0x91] = "EEI-100G-RTLR-1-L",
	[0x92] = "EEI-200G-RTLR-2-S",
	[0x93] = "EEI-200G-RTLR-2-L",
	[0x94] = "EEI-400G-RTLR-4-S",
	[0x95] = "EEI-400G-RTLR-4-L",
	[0x96] = "EEI-800G-RTLR-8-S",
	[0x97] = "EEI-800G-RTLR-8-L",
	[0xFF] = "End of list",
};

LB_API const char *lb_sff8024_host_interface_name(uint8_t id)
{
	if (host_names[id])
		return host_names[id];
	if (id >= 0xC0)
		return "Vendor Specific/Custom";
	return unknown;
}

/* SFF-8024 Table 4-6, MMF media interface IDs (media type 01h). */
static const char *const mmf_names[256] = {
	[0x00] = "Undefined",
	[0x01] = "10GBASE-SW (Clause 52)",
	[0x02] = "10GBASE-SR (Clause 52)",
	[0x03] = "25GBASE-SR (Clause 112)",
	[0x04] = "40GBASE-SR4 (Clause 86)",
	[0x05] = "40GE SWDM4 MSA Spec",
	[0x06] = "40GE BiDi",
	[0x07] = "50GBASE-SR (Clause 138)",
	[0x08] = "100GBASE-SR10 (Clause 86)",
	[0x09] = "100GBASE-SR4 (Clause 95)",
	[0x0A] = "100GE SWDM4 MSA Spec",
	[0x0B] = "100GE BiDi",
	[0x0C] = "100GBASE-SR2 (Clause 138)",
	[0x0D] = "100GBASE-SR1 (Clause 167)",
	[0x1D] = "100GBASE-VR1 (Clause 167)",
	[0x0E] = "200GBASE-SR4 (Clause 138)",
	[0x1B] = "200GBASE-SR2 (Clause 167)",
	[0x1E] = "200GBASE-VR2 (Clause 167)",
	[0x0F] = "400GBASE-SR16 (Clause 123)",
	[0x10] = "400GBASE-SR8 (Clause 138)",
	[0x11] = "400GBASE-SR4 (Clause 167)",
	[0x1F] = "400GBASE-VR4 (Clause 167)",
	[0x12] = "800GBASE-SR8 (Clause 167)",
	[0x20] = "800GBASE-VR8 (Clause 167)",
	[0x1A] = "400GBASE-SR4.2 (Clause 150) (400GE BiDi)",
	[0x21] = "800G-VR4.2",
	[0x22] = "800G-SR4.2",
	[0x23] = "1.6T-VR8.2",
	[0x24] = "1.6T-SR8.2",
	[0x13] = "8GFC-MM (FC-PI-4)",
	[0x14] = "10GFC-MM",
	[0x15] = "16GFC-MM (FC-PI-5)",
	[0x16] = "32GFC-MM (FC-PI-6)",
	[0x17] = "64GFC-MM (FC-PI-7)",
	[0x1C] = "128GFC-MM (FC-PI-8)",
	[0x18] = "128GFC-MM4 (FC-PI-6P)",
	[0x19] = "256GFC-MM4 (FC-PI-7P)",
};

/* SFF-8024 Table 4-7, SMF media interface IDs (media type 02h). */
static const char *const smf_names[256] = {
	[0x00] = "Undefined",
	/* Ethernet */
	[0x01] = "10GBASE-LW (Clause 52)",
	[0x02] = "10GBASE-EW (Clause 52)",
	[0x03] = "10G-ZW",
	[0x04] = "10GBASE-LR (Clause 52)",
	[0x05] = "10GBASE-ER (Clause 52)",
	[0x4E] = "10GBASE-BR (Clause 158)",
	[0x06] = "10G-ZR",
	[0x07] = "25GBASE-LR (Clause 114)",
	[0x08] = "25GBASE-ER (Clause 114)",
	[0x4F] = "25GBASE-BR (Clause 159)",
	[0x09] = "40GBASE-LR4 (Clause 87)",
	[0x0A] = "40GBASE-FR (Clause 89)",
	[0x0B] = "50GBASE-FR (Clause 139)",
	[0x0C] = "50GBASE-LR (Clause 139)",
	[0x40] = "50GBASE-ER (Clause 139)",
	[0x50] = "50GBASE-BR (Clause 160)",
	[0x0D] = "100GBASE-LR4 (Clause 88)",
	[0x0E] = "100GBASE-ER4 (Clause 88)",
	[0x0F] = "100G PSM4 MSA Spec",
	[0x34] = "100G CWDM4-OCP",
	[0x10] = "100G CWDM4 MSA Spec",
	[0x11] = "100G 4WDM-10 MSA Spec",
	[0x12] = "100G 4WDM-20 MSA Spec",
	[0x13] = "100G 4WDM-40 MSA Spec",
	[0x14] = "100GBASE-DR (Clause 140)",
	[0x15] = "100G-FR/100GBASE-FR1 (Clause 140)",
	[0x16] = "100G-LR/100GBASE-LR1 (Clause 140)",
	[0x4A] = "100G-LR1-20 MSA Spec",
	[0x4B] = "100G-ER1-30 MSA Spec",
	[0x4C] = "100G-ER1-40 MSA Spec",
	[0x44] = "100GBASE-ZR (Clause 154)",
	[0x17] = "200GBASE-DR4 (Clause 121)",
	[0x18] = "200GBASE-FR4 (Clause 122)",
	[0x19] = "200GBASE-LR4 (Clause 122)",
	[0x41] = "200GBASE-ER4 (Clause 122)",
	[0x73] = "200GBASE-DR1 (Clause 180)",
	[0x74] = "200GBASE-DR1-2 (Clause 181)",
	[0x1A] = "400GBASE-FR8 (Clause 122)",
	[0x1B] = "400GBASE-LR8 (Clause 122)",
	[0x42] = "400GBASE-ER8 (Clause 122)",
	[0x1C] = "400GBASE-DR4 (Clause 124)",
	[0x55] = "400GBASE-DR4-2 (Clause 124)",
	[0x75] = "400GBASE-DR2 (Clause 180)",
	[0x76] = "400GBASE-DR2-2 (Clause 181)",
	[0x1D] = "400G-FR4/400GBASE-FR4 (Clause 151)",
	[0x43] = "400GBASE-LR4-6 (Clause 151)",
	[0x1E] = "400G-LR4-10 MSA Spec",
	[0x6F] = "400G-ER4-30 MSA Spec",
	[0x4D] = "400GBASE-ZR (Clause 156)",
	[0x56] = "800GBASE-DR8 (Clause 124)",
	[0x57] = "800GBASE-DR8-2 (Clause 124)",
	[0x77] = "800GBASE-DR4 (Clause 180)",
	[0x78] = "800GBASE-DR4-2 (Clause 181)",
	[0x79] = "800GBASE-FR4-500 (Clause 183)",
	[0x7A] = "800GBASE-FR4 (Clause 183)",
	[0x7B] = "800GBASE-LR4 (Clause 183)",
	[0x7C] = "800GBASE-LR1 (Clause 185)",
	[0x7D] = "800GBASE-ER1-20 (Clause 187)",
	[0x7E] = "800GBASE-ER1 (Clause 187)",
	[0x7F] = "1.6TBASE-DR8 (Clause 180)",
	[0x80] = "1.6TBASE-DR8-2 (Clause 181)",
	/* Fibre Channel */
	[0x1F] = "8GFC-SM (FC-PI-4)",
	[0x20] = "10GFC-SM",
	[0x21] = "16GFC-SM (FC-PI-5)",
	[0x22] = "32GFC-SM (FC-PI-6)",
	[0x23] = "64GFC-SM (FC-PI-7)",
	[0x45] = "128GFC-SM (FC-PI-8)",
	[0x24] = "128GFC-PSM4 (FC-PI-6P)",
	[0x26] = "128GFC-CWDM4 (FC-PI-6P)",
	/* CPRI */
	[0x38] = "10G-SR (CPRI)",
	[0x39] = "10G-LR (CPRI)",
	[0x3A] = "25G-SR (CPRI)",
	[0x3B] = "25G-LR (CPRI)",
	[0x3C] = "10G-LR-BiDi (CPRI)",
	[0x3D] = "25G-LR-BiDi (CPRI)",
	/* OTN (ITU-T) */
	[0x2C] = "4I1-9D1F (G.959.1)",
	[0x2D] = "4L1-9C1F (G.959.1)",
	[0x2E] = "4L1-9D1F (G.959.1)",
	[0x2F] = "C4S1-9D1F (G.695)",
	[0x30] = "C4S1-4D1F (G.695)",
	[0x31] = "4I1-4D1F (G.959.1)",
	[0x32] = "8R1-4D1F (G.959.1)",
	[0x33] = "8I1-4D1F (G.959.1)",
	[0x70] = "1I1-5D1F (G.959.1)",
	[0x71] = "1R1-5D1F (G.959.1)",
	[0x72] = "FOIC1.1-RS (G.709.1)",
	[0x51] = "FOIC1.4-DO (G.709.3)",
	[0x52] = "FOIC2.8-DO (G.709.3)",
	[0x53] = "FOIC4.8-DO (G.709.3)",
	[0x54] = "FOIC2.4-DO (G.709.3)",
	/* OIF */
	[0x3E] = "400ZR, DWDM, amplified",
	[0x3F] = "400ZR, single wavelength, unamplified",
	[0x6C] = "800ZR-A, 150 GHz DWDM, Tx output range A",
	[0x6D] = "800ZR-B, 150 GHz DWDM, Tx output range B",
	[0x6E] = "800ZR-C, 150 GHz DWDM, Tx output range C",
	/* OpenZR+ */
	[0x46] = "ZR400-OFEC-16QAM",
	[0x35] = "ZR400-OFEC-16QAM-HA",
	[0x36] = "ZR400-OFEC-16QAM-HB",
	[0x37] = "ZR400-OFEC-8QAM-HA",
	[0x58] = "ZR400-OFEC-8QAM-HB",
	[0x47] = "ZR300-OFEC-8QAM",
	[0x59] = "ZR300-OFEC-8QAM-HA",
	[0x5A] = "ZR300-OFEC-8QAM-HB",
	[0x48] = "ZR200-OFEC-QPSK",
	[0x5B] = "ZR200-OFEC-QPSK-HA",
	[0x5C] = "ZR200-OFEC-QPSK-HB",
	[0x49] = "ZR100-OFEC-QPSK",
	[0x5D] = "ZR100-OFEC-QPSK-HA",
	[0x5E] = "ZR100-OFEC-QPSK-HB",
	/* OpenROADM; the DPO codes use probabilistic constellation shaping */
	[0x5F] = "FLEXO-4-DO-16QAM/FOIC4.8-DO",
	[0x60] = "FLEXO-3-DO-8QAM/FOIC3.6-DO",
	[0x61] = "FLEXO-2-DO-QPSK/FOIC2.4-DO",
	[0x62] = "FLEXO-2-DO-16QAM/FOIC2.8-DO",
	[0x63] = "FLEXO-1-DO-QPSK/FOIC1.4-DO",
	[0x64] = "FLEXO-4e-DO-QPSK/FOIC4e.4-DO",
	[0x65] = "FLEXO-4-DO-QPSK/FOIC4.4-DO",
	[0x66] = "FLEXO-8e-DO-16QAM/FOIC8e.8-DO",
	[0x67] = "FLEXO-8-DO-16QAM/FOIC8.8-DO",
	[0x68] = "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)",
	[0x69] = "FLEXO-8-DPO-16QAM/FOIC8.8-DPO (PCS)",
	[0x6A] = "FLEXO-6e-DPO-16QAM/FOIC6e.8-DPO (PCS)",
	[0x6B] = "FLEXO-6-DPO-16QAM/FOIC6.8-DPO (PCS)",
	/* Open XR Optics */
	[0x81] = "XR400-16QAM",
	[0x82] = "XR300-8QAM",
	[0x83] = "XR200-QPSK",
	[0x84] = "XR200-16QAM",
	[0x85] = "XR100-QPSK",
	[0x86] = "XR100-16QAM",
	[0x87] = "XR400-WS-16QAM",
	[0x88] = "XR200-WS-QPSK",
	[0x89] = "XR200-WS-16QAM",
	[0x8A] = "XR100-WS-QPSK",
	[0x8B] = "XR100-WS-16QAM",
	[0x8C] = "XR200-WS-BIDI-16QAM",
	[0x8D] = "XR100-WS-BIDI-QPSK",
	[0x8E] = "XR100-WS-BIDI-16QAM",
	/* LPO */
	[0x8F] = "100G-DR1-LPO",
	[0x90] = "200G-DR2-LPO",
	[0x91] = "400G-DR4-LPO",
	[0x92] = "800G-DR8-LPO",
};

/* SFF-8024 Table 4-8, passive and linear active copper (media type 03h). */
static const char *const copper_names[256] = {
	[0x00] = "Undefined",
	[0x01] = "Copper cable",
	[0xBF] = "Passive Loopback module",
	[0xC0] = "Linear active copper loopback module",
};

/* SFF-8024 Table 4-9, limiting and retimed active cables (media type 04h). */
static const char *const active_names[256] = {
	[0x00] = "Undefined",
	[0x01] = "Active Cable assembly with BER < 10^-12",
	[0x02] = "Active Cable assembly with BER < 5x10^-5",
	[0x03] = "Active Cable assembly with BER < 2.6x10^-4",
	[0x04] = "Active Cable assembly with BER < 10^-6",
	[0xBF] = "Active Loopback module",
};

/* SFF-8024 Table 4-10, BASE-T (media type 05h). */
static const char *const baset_names[256] = {
	[0x00] = "Undefined",
	[0x01] = "1000BASE-T (Clause 40)",
	[0x02] = "2.5GBASE-T (Clause 126)",
	[0x03] = "5GBASE-T (Clause 126)",
	[0x04] = "10GBASE-T (Clause 55)",
	[0x05] = "25GBASE-T (Clause 113)",
	[0x06] = "40GBASE-T (Clause 113)",
	[0x07] = "50GBASE-T",
};

/*
 * Ethernet data rate of each host electrical interface of SFF-8024 4.13 Table 4-5, in Gb/s
 * (the whole interface, over all its lanes: 400GAUI-8 is 400). Interfaces without an Ethernet
 * rate (Fibre Channel, InfiniBand, CPRI, OTN, PCIe) are 0: no port speed selects them.
 */
static const uint16_t host_gbps[256] = {
	[0x01] = 1,
	[0x02] = 10, [0x03] = 10, [0x04] = 10, [0x13] = 10,
	[0x05] = 25, [0x14] = 25, [0x15] = 25, [0x16] = 25,
	[0x06] = 40, [0x07] = 40, [0x17] = 40,
	[0x08] = 50, [0x09] = 50, [0x0A] = 50, [0x18] = 50, [0x43] = 50, [0x44] = 50, [0x45] = 50,
	[0x0B] = 100, [0x0C] = 100, [0x0D] = 100, [0x19] = 100, [0x1A] = 100, [0x1B] = 100,
	[0x20] = 100, [0x41] = 100, [0x42] = 100, [0x46] = 100, [0x4B] = 100, [0x4C] = 100,
	[0x90] = 100, [0x91] = 100,
	[0x0E] = 200, [0x0F] = 200, [0x1C] = 200, [0x1E] = 200, [0x21] = 200, [0x47] = 200,
	[0x4D] = 200, [0x4E] = 200, [0x80] = 200, [0x92] = 200, [0x93] = 200,
	[0x10] = 400, [0x11] = 400, [0x1D] = 400, [0x1F] = 400, [0x22] = 400, [0x48] = 400,
	[0x4F] = 400, [0x50] = 400, [0x81] = 400, [0x94] = 400, [0x95] = 400,
	[0x23] = 800, [0x49] = 800, [0x51] = 800, [0x52] = 800, [0x57] = 800, [0x82] = 800,
	[0x96] = 800, [0x97] = 800,
	[0x55] = 1600, [0x56] = 1600, [0x58] = 1600, [0x83] = 1600,
};

LB_API unsigned lb_sff8024_host_interface_gbps(uint8_t id)
{
	return host_gbps[id];
}

LB_API const char *lb_sff8024_media_interface_name(uint8_t media_type, uint8_t id)
{
	const char *const *table;
	unsigned custom_from; /* first code of the table's vendor/custom range */

	switch (media_type) {
	case 0x01: table = mmf_names; custom_from = 0xC0; break;
	case 0x02: table = smf_names; custom_from = 0xC0; break;
	case 0x03: table = copper_names; custom_from = 0xC1; break;
	case 0x04: table = active_names; custom_from = 0xC0; break;
	case 0x05: table = baset_names; custom_from = 0xC0; break;
	default:
		/* Without a defined media type no table applies; 0 still means "none". */
		return id == 0 ? "Undefined" : unknown;
	}
	if (table[id])
		return table[id];
	if (id >= custom_from)
		return "Vendor Specific/Custom";
	return unknown;
}

LB_API const char *lb_cmis_media_type_name(uint8_t media_type)
{
	switch (media_type) {
	case 0x00: return "Undefined";
	case 0x01: return "Optical Interfaces: MMF";
	case 0x02: return "Optical Interfaces: SMF";
	case 0x03: return "Passive Copper Cables";
	case 0x04: return "Active Cables";
	case 0x05: return "BASE-T";
	default:
		if (media_type >= 0x40 && media_type <= 0x8F)
			return "Custom";
		return unknown;
	}
}
