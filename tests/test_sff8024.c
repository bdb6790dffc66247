/* SPDX-License-Identifier: MIT */
/* SFF-8024 4.13 / CMIS names: exact names for the codes hosts meet, ranges, never NULL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

struct code_name {
	uint8_t code;
	const char *name;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_never_null(void **state)
{
	(void)state;
	for (unsigned c = 0; c < 256; c++) {
		uint8_t v = (uint8_t)c;
		assert_non_null(lb_sff8024_identifier_name(v));
		assert_non_null(lb_sff8024_connector_name(v));
		assert_non_null(lb_sff8024_host_interface_name(v));
		assert_non_null(lb_cmis_media_type_name(v));
		for (unsigned t = 0; t < 256; t++)
			assert_non_null(lb_sff8024_media_interface_name((uint8_t)t, v));
	}
}

static void test_identifiers(void **state)
{
	(void)state;
	static const struct code_name ids[] = {
		{ 0x03, "SFP/SFP+/SFP28 (SFF-8472)" },
		{ 0x0D, "QSFP+ or later (SFF-8436/SFF-8636)" },
		{ 0x11, "QSFP28 or later (SFF-8636)" },
		{ 0x18, "QSFP-DD" },
		{ 0x19, "OSFP" },
		{ 0x1E, "QSFP+ or later with CMIS" },
		{ 0x1F, "SFP-DD with CMIS" },
		{ 0x20, "SFP+ and later with CMIS" },
		{ 0x21, "OSFP-XD with CMIS" },
		{ 0x22, "OIF-ELSFP with CMIS" },
		{ 0x25, "CDFP (x16 PCIe) with CMIS" },
		{ 0x80, "Vendor specific" },
		{ 0xFF, "Vendor specific" },
		{ 0x26, "unknown" },  /* reserved in 4.13 (SONiC's "XPO" is not in the spec) */
		{ 0x7F, "unknown" },
	};
	for (size_t i = 0; i < N(ids); i++)
		assert_string_equal(lb_sff8024_identifier_name(ids[i].code), ids[i].name);
	for (unsigned c = 0; c <= 0x25; c++)
		assert_string_not_equal(lb_sff8024_identifier_name((uint8_t)c), "unknown");
}

static void test_connectors(void **state)
{
	(void)state;
	static const struct code_name cs[] = {
		{ 0x07, "LC" }, { 0x0C, "MPO 1x12" }, { 0x0D, "MPO 2x16" },
		{ 0x21, "Copper pigtail" }, { 0x23, "No separable connector" },
		{ 0x24, "MXC 2x16" }, { 0x25, "CS optical connector" },
		{ 0x26, "SN optical connector" }, { 0x27, "MPO 2x12" }, { 0x28, "MPO 1x16" },
		{ 0x0E, "unknown" }, { 0x29, "unknown" }, { 0x80, "Vendor specific" },
	};
	for (size_t i = 0; i < N(cs); i++)
		assert_string_equal(lb_sff8024_connector_name(cs[i].code), cs[i].name);
}

static void test_host_ethernet(void **state)
{
	(void)state;
	/* Every Ethernet host interface from 100G to 1.6T, including the 200G/lane AUIs. */
	static const struct code_name host[] = {
		{ 0x0B, "CAUI-4 C2M (Annex 83E)" },
		{ 0x41, "CAUI-4 C2M (Annex 83E) without FEC" },
		{ 0x42, "CAUI-4 C2M (Annex 83E) with RS(528,514) FEC" },
		{ 0x0C, "100GAUI-4 C2M (Annex 135E)" },
		{ 0x0D, "100GAUI-2 C2M (Annex 135G)" },
		{ 0x4B, "100GAUI-1-S C2M (Annex 120G)" },
		{ 0x4C, "100GAUI-1-L C2M (Annex 120G)" },
		{ 0x0E, "200GAUI-8 C2M (Annex 120C)" },
		{ 0x0F, "200GAUI-4 C2M (Annex 120E)" },
		{ 0x4D, "200GAUI-2-S C2M (Annex 120G)" },
		{ 0x4E, "200GAUI-2-L C2M (Annex 120G)" },
		{ 0x80, "200GAUI-1 (Annex 176E)" },
		{ 0x10, "400GAUI-16 C2M (Annex 120C)" },
		{ 0x11, "400GAUI-8 C2M (Annex 120E)" },
		{ 0x4F, "400GAUI-4-S C2M (Annex 120G)" },
		{ 0x50, "400GAUI-4-L C2M (Annex 120G)" },
		{ 0x81, "400GAUI-2 (Annex 176E)" },
		{ 0x51, "800GAUI-8 S C2M (Annex 120G)" },
		{ 0x52, "800GAUI-8 L C2M (Annex 120G)" },
		{ 0x82, "800GAUI-4 (Annex 176E)" },
		{ 0x55, "1.6TAUI-16-S C2M (Annex 120G)" },
		{ 0x56, "1.6TAUI-16-L C2M (Annex 120G)" },
		{ 0x83, "1.6TAUI-8 (Annex 176E)" },
		{ 0x19, "100GBASE-CR10 (Clause 85)" },
		{ 0x1A, "100GBASE-CR4 (Clause 92)" },
		{ 0x1B, "100GBASE-CR2 (Clause 136)" },
		{ 0x46, "100GBASE-CR1 (Clause 162)" },
		{ 0x1C, "200GBASE-CR4 (Clause 136)" },
		{ 0x47, "200GBASE-CR2 (Clause 162)" },
		{ 0x1E, "200GBASE-CR1 (Clause 179)" },
		{ 0x1D, "400G CR8 (ETC)" },
		{ 0x48, "400GBASE-CR4 (Clause 162)" },
		{ 0x1F, "400GBASE-CR2 (Clause 179)" },
		{ 0x49, "800G-ETC-CR8 or 800GBASE-CR8" },
		{ 0x57, "800GBASE-CR4 (Clause 179)" },
		{ 0x58, "1.6TBASE-CR8 (Clause 179)" },
		{ 0x20, "LEI-100G-PAM4-1 (LPO MSA)" },
		{ 0x21, "LEI-200G-PAM4-2 (LPO MSA)" },
		{ 0x22, "LEI-400G-PAM4-4 (LPO MSA)" },
		{ 0x23, "LEI-800G-PAM4-8 (LPO MSA)" },
		{ 0x00, "Undefined" },
		{ 0xFF, "End of list" },
	};
	for (size_t i = 0; i < N(host); i++)
		assert_string_equal(lb_sff8024_host_interface_name(host[i].code), host[i].name);
}

static void test_host_other(void **state)
{
	(void)state;
	static const struct code_name host[] = {
		{ 0x37, "OTL3.4" }, { 0x38, "OTL4.10" }, { 0x39, "OTL4.4" }, { 0x3A, "OTLC.4" },
		{ 0x3B, "FOIC1.4-MFI" }, { 0x3C, "FOIC1.2-MFI" }, { 0x3D, "FOIC2.8-MFI" },
		{ 0x3E, "FOIC2.4-MFI" }, { 0x3F, "FOIC4.16-MFI" }, { 0x40, "FOIC4.8-MFI" },
		{ 0x53, "OTL4.2" }, { 0xB0, "FOIC1.1-MFI" }, { 0xB1, "FOIC4.4-MFI" },
		{ 0xB2, "FOIC8.8-MFI" },
		{ 0x29, "64GFC (FC-PI-7)" }, { 0x32, "IB NDR" }, { 0x72, "PCIe 6.0" },
		{ 0x74, "CEI-112G-LINEAR-PAM4" }, { 0x97, "EEI-800G-RTLR-8-L" },
		{ 0xC0, "Vendor Specific/Custom" }, { 0xFE, "Vendor Specific/Custom" },
		/* reserved in 4.13: 12h, 24h (listed once, then withdrawn), 54h (removed in 4.13) */
		{ 0x12, "unknown" }, { 0x24, "unknown" }, { 0x54, "unknown" }, { 0xBF, "unknown" },
	};
	for (size_t i = 0; i < N(host); i++)
		assert_string_equal(lb_sff8024_host_interface_name(host[i].code), host[i].name);
}

static void test_media_smf(void **state)
{
	(void)state;
	static const struct code_name smf[] = {
		{ 0x14, "100GBASE-DR (Clause 140)" },
		{ 0x15, "100G-FR/100GBASE-FR1 (Clause 140)" },
		{ 0x16, "100G-LR/100GBASE-LR1 (Clause 140)" },
		{ 0x10, "100G CWDM4 MSA Spec" },
		{ 0x44, "100GBASE-ZR (Clause 154)" },
		{ 0x18, "200GBASE-FR4 (Clause 122)" },
		{ 0x1C, "400GBASE-DR4 (Clause 124)" },
		{ 0x1D, "400G-FR4/400GBASE-FR4 (Clause 151)" },
		{ 0x1E, "400G-LR4-10 MSA Spec" },
		{ 0x43, "400GBASE-LR4-6 (Clause 151)" },
		{ 0x4D, "400GBASE-ZR (Clause 156)" },
		{ 0x56, "800GBASE-DR8 (Clause 124)" },
		{ 0x57, "800GBASE-DR8-2 (Clause 124)" },
		{ 0x77, "800GBASE-DR4 (Clause 180)" },
		{ 0x7A, "800GBASE-FR4 (Clause 183)" },
		{ 0x7B, "800GBASE-LR4 (Clause 183)" },
		{ 0x7F, "1.6TBASE-DR8 (Clause 180)" },
		{ 0x80, "1.6TBASE-DR8-2 (Clause 181)" },
		{ 0x3E, "400ZR, DWDM, amplified" },
		{ 0x3F, "400ZR, single wavelength, unamplified" },
		{ 0x6C, "800ZR-A, 150 GHz DWDM, Tx output range A" },
		{ 0x6D, "800ZR-B, 150 GHz DWDM, Tx output range B" },
		{ 0x6E, "800ZR-C, 150 GHz DWDM, Tx output range C" },
		{ 0x46, "ZR400-OFEC-16QAM" },
		{ 0x35, "ZR400-OFEC-16QAM-HA" },
		{ 0x36, "ZR400-OFEC-16QAM-HB" },
		{ 0x37, "ZR400-OFEC-8QAM-HA" },
		{ 0x58, "ZR400-OFEC-8QAM-HB" },
		{ 0x47, "ZR300-OFEC-8QAM" },
		{ 0x59, "ZR300-OFEC-8QAM-HA" },
		{ 0x5A, "ZR300-OFEC-8QAM-HB" },
		{ 0x48, "ZR200-OFEC-QPSK" },
		{ 0x5B, "ZR200-OFEC-QPSK-HA" },
		{ 0x5C, "ZR200-OFEC-QPSK-HB" },
		{ 0x49, "ZR100-OFEC-QPSK" },
		{ 0x5D, "ZR100-OFEC-QPSK-HA" },
		{ 0x5E, "ZR100-OFEC-QPSK-HB" },
		{ 0x5F, "FLEXO-4-DO-16QAM/FOIC4.8-DO" },
		{ 0x60, "FLEXO-3-DO-8QAM/FOIC3.6-DO" },
		{ 0x61, "FLEXO-2-DO-QPSK/FOIC2.4-DO" },
		{ 0x62, "FLEXO-2-DO-16QAM/FOIC2.8-DO" },
		{ 0x63, "FLEXO-1-DO-QPSK/FOIC1.4-DO" },
		{ 0x64, "FLEXO-4e-DO-QPSK/FOIC4e.4-DO" },
		{ 0x65, "FLEXO-4-DO-QPSK/FOIC4.4-DO" },
		{ 0x66, "FLEXO-8e-DO-16QAM/FOIC8e.8-DO" },
		{ 0x67, "FLEXO-8-DO-16QAM/FOIC8.8-DO" },
		{ 0x68, "FLEXO-8e-DPO-16QAM/FOIC8e.8-DPO (PCS)" },
		{ 0x69, "FLEXO-8-DPO-16QAM/FOIC8.8-DPO (PCS)" },
		{ 0x6A, "FLEXO-6e-DPO-16QAM/FOIC6e.8-DPO (PCS)" },
		{ 0x6B, "FLEXO-6-DPO-16QAM/FOIC6.8-DPO (PCS)" },
		{ 0x81, "XR400-16QAM" }, { 0x8E, "XR100-WS-BIDI-16QAM" },
		{ 0x92, "800G-DR8-LPO" },
		{ 0x00, "Undefined" },
		{ 0xC0, "Vendor Specific/Custom" },
		{ 0xF7, "Vendor Specific/Custom" },  /* FBOSS's "vendor custom ZR" */
	};
	for (size_t i = 0; i < N(smf); i++)
		assert_string_equal(lb_sff8024_media_interface_name(0x02, smf[i].code), smf[i].name);
	/* Every assigned SMF code has a name; the reserved ones do not. */
	for (unsigned c = 0x01; c <= 0x92; c++) {
		bool reserved = c == 0x25 || (c >= 0x27 && c <= 0x2B);
		const char *n = lb_sff8024_media_interface_name(0x02, (uint8_t)c);
		assert_int_equal(strcmp(n, "unknown") == 0, reserved);
	}
	for (unsigned c = 0x93; c <= 0xBF; c++)
		assert_string_equal(lb_sff8024_media_interface_name(0x02, (uint8_t)c), "unknown");
}

static void test_media_other(void **state)
{
	(void)state;
	struct { uint8_t type, code; const char *name; } m[] = {
		{ 0x01, 0x09, "100GBASE-SR4 (Clause 95)" },
		{ 0x01, 0x0D, "100GBASE-SR1 (Clause 167)" },
		{ 0x01, 0x10, "400GBASE-SR8 (Clause 138)" },
		{ 0x01, 0x11, "400GBASE-SR4 (Clause 167)" },
		{ 0x01, 0x12, "800GBASE-SR8 (Clause 167)" },
		{ 0x01, 0x20, "800GBASE-VR8 (Clause 167)" },
		{ 0x01, 0x24, "1.6T-SR8.2" },
		{ 0x01, 0x25, "unknown" },
		{ 0x01, 0xC0, "Vendor Specific/Custom" },
		{ 0x03, 0x01, "Copper cable" },
		{ 0x03, 0xBF, "Passive Loopback module" },
		{ 0x03, 0xC0, "Linear active copper loopback module" },
		{ 0x03, 0xC1, "Vendor Specific/Custom" },
		{ 0x03, 0x02, "unknown" },
		{ 0x04, 0x01, "Active Cable assembly with BER < 10^-12" },
		{ 0x04, 0x02, "Active Cable assembly with BER < 5x10^-5" },
		{ 0x04, 0x03, "Active Cable assembly with BER < 2.6x10^-4" },
		{ 0x04, 0x04, "Active Cable assembly with BER < 10^-6" },
		{ 0x04, 0xBF, "Active Loopback module" },
		{ 0x04, 0x05, "unknown" },
		{ 0x04, 0xC0, "Vendor Specific/Custom" },
		{ 0x05, 0x04, "10GBASE-T (Clause 55)" },
		{ 0x05, 0x08, "unknown" },
		{ 0x00, 0x00, "Undefined" },
		{ 0x00, 0x1D, "unknown" },   /* no media type: no table applies */
		{ 0x40, 0x1D, "unknown" },
	};
	for (size_t i = 0; i < N(m); i++)
		assert_string_equal(lb_sff8024_media_interface_name(m[i].type, m[i].code), m[i].name);
}

static void test_media_types(void **state)
{
	(void)state;
	assert_string_equal(lb_cmis_media_type_name(0x00), "Undefined");
	assert_string_equal(lb_cmis_media_type_name(0x01), "Optical Interfaces: MMF");
	assert_string_equal(lb_cmis_media_type_name(0x02), "Optical Interfaces: SMF");
	assert_string_equal(lb_cmis_media_type_name(0x03), "Passive Copper Cables");
	assert_string_equal(lb_cmis_media_type_name(0x04), "Active Cables");
	assert_string_equal(lb_cmis_media_type_name(0x05), "BASE-T");
	assert_string_equal(lb_cmis_media_type_name(0x06), "unknown");
	assert_string_equal(lb_cmis_media_type_name(0x40), "Custom");
	assert_string_equal(lb_cmis_media_type_name(0x8F), "Custom");
	assert_string_equal(lb_cmis_media_type_name(0x90), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_never_null),
		cmocka_unit_test(test_identifiers),
		cmocka_unit_test(test_connectors),
		cmocka_unit_test(test_host_ethernet),
		cmocka_unit_test(test_host_other),
		cmocka_unit_test(test_media_smf),
		cmocka_unit_test(test_media_other),
		cmocka_unit_test(test_media_types),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
