/* SPDX-License-Identifier: MIT */
/*
 * Module extension "lightbridge-emu": the vendor page of the LIGHTBRIDGE EMU coherent modules
 * (OUI 0a:1b:2c, part number LBE-800ZR-QDD, hardware revision A1 or later, CMIS 5 or later),
 * the 800G ZR/ZR+ QSFP-DD of the COLORZ 800 class that emulator/profiles/coherent-800g-qsfpdd
 * plays. Page B0h, bank 0 (docs/extensions.md has the table):
 *
 *   128-131  "LBE1"                    signature: this layout, version 1     read-only
 *   132      layout version (1)                                             read-only
 *   133      line modes supported      bit i: line-mode code i+1            read-only
 *   134-135  laser temperature         S16, 1/256 degC                       read-only
 *   136-137  laser TEC current         S16, 0.1 mA                           read-only
 *   144      line mode                 0: the application's own; 1-3: below  read-write
 *
 * Line-mode codes (the vendor's PCS modes, beyond what the applications advertise), named as
 * in link/modes.json: 1 800g-pcs-131e, 2 700g-pcs-118-h3.5, 3 600g-pcs-118. The
 * module carries one data path on all its lanes, so a line mode is selected for all of them.
 *
 * It reaches the module only through the public module calls; attach reads nothing, so
 * matching it costs no bus traffic beyond the identity read.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include <lightbridge/link.h>
#include <lightbridge/module.h>
#include "drivers/module/vendor_page.h"

#define PAGE 0xB0u
#define OFF_SIGNATURE 128u
#define OFF_VERSION 132u
#define OFF_SUPPORTED 133u
#define OFF_LASER_TEMP 134u
#define OFF_TEC_CURRENT 136u
#define OFF_LINE_MODE 144u
#define LAYOUT_FIRST OFF_SIGNATURE
#define LAYOUT_LEN (OFF_LINE_MODE + 1u - LAYOUT_FIRST)
#define AT(buf, off) ((buf)[(off) - LAYOUT_FIRST])

/* The family: OUI, part number, and the first hardware revision with the page. */
static const struct lb_vp_family family[] = {
	{ { 0x0a, 0x1b, 0x2c }, "LBE-800ZR-QDD", "A1" },
};

/* The vendor's PCS modes, by line-mode code - 1: what the module itself can tell of each. */
static const struct mode {
	const char *id, *name;
	double entropy_bits, baud_gbd, net_rate_gbps, slot_ghz;
} modes[] = {
	{ "800g-pcs-131e", "800G oFEC PCS-16QAM 131.3 GBd (vendor mode 1)", 3.6, 131.3, 800, 162.5 },
	{ "700g-pcs-118-h3.5", "700G oFEC PCS H 3.5 118.2 GBd (vendor mode 2)", 3.5, 118.2, 700, 150 },
	{ "600g-pcs-118", "600G oFEC PCS-16QAM 118.8 GBd (vendor mode 3)", 3.0, 118.8, 600, 150 },
};
#define MODE_COUNT (sizeof(modes) / sizeof(modes[0]))

struct priv {
	const struct lb_driver_env *env;
};

static int ext_match(const struct lb_module_ext_match *id)
{
	return lb_vp_family_match(id, family, sizeof(family) / sizeof(family[0]));
}

static int ext_attach(void *priv, struct lb_module *m, const struct lb_driver_env *env)
{
	(void)m;
	struct priv *p = priv;
	p->env = env;
	return LB_OK;
}

/* The layout, read in one piece; LB_E_NOTSUP when the page does not carry it. */
static int read_layout(struct priv *p, struct lb_module *m, uint8_t buf[LAYOUT_LEN])
{
	int rc = lb_module_read(m, 0, PAGE, LAYOUT_FIRST, buf, LAYOUT_LEN);
	return rc ? rc : lb_vp_check_signature(p->env, "lightbridge-emu", PAGE, buf, "LBE1");
}

/* Whether the module lists line-mode code i + 1 (byte 133). */
static bool supported(const uint8_t b[LAYOUT_LEN], size_t i)
{
	return (((unsigned)AT(b, OFF_SUPPORTED) >> i) & 1u) != 0;
}

static void fill_mode(const struct mode *src, struct lb_line_mode *out)
{
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	snprintf(out->id, sizeof(out->id), "%s", src->id);
	snprintf(out->name, sizeof(out->name), "%s", src->name);
	snprintf(out->fec, sizeof(out->fec), "oFEC");
	out->format = LB_LINK_FORMAT_PCS;
	out->entropy_bits = src->entropy_bits;
	out->baud_gbd = src->baud_gbd;
	out->net_rate_gbps = src->net_rate_gbps;
	out->fec_threshold_ber = 0.02;
	out->slot_ghz = src->slot_ghz;
}

static int ext_list_line_modes(void *priv, struct lb_module *m, struct lb_line_mode *out,
			       size_t max, size_t *count)
{
	uint8_t b[LAYOUT_LEN];
	int rc = read_layout(priv, m, b);
	if (rc)
		return rc;
	size_t n = 0;
	for (size_t i = 0; i < MODE_COUNT; i++) {
		if (!supported(b, i))
			continue;
		if (n < max)
			fill_mode(&modes[i], &out[n]);
		n++;
	}
	*count = n;
	return LB_OK;
}

/* Every lane or none named: the module's one data path takes all of them. */
static int check_lanes(struct priv *p, uint32_t lane_mask)
{
	return lb_vp_check_all_lanes(p->env, "lightbridge-emu", lane_mask);
}

static int ext_select_line_mode(void *priv, struct lb_module *m, uint32_t lane_mask, const char *id)
{
	struct priv *p = priv;
	uint8_t b[LAYOUT_LEN];
	int rc = check_lanes(p, lane_mask);
	if (rc || (rc = read_layout(p, m, b)))
		return rc;
	uint8_t code = 0;
	if (*id) {
		for (size_t i = 0; i < MODE_COUNT && !code; i++)
			if (strcmp(id, modes[i].id) == 0 && supported(b, i))
				code = (uint8_t)(i + 1);
		if (!code)
			return lb_driver_error(p->env, LB_E_NOTFOUND,
					       "lightbridge-emu: the module has no line mode \"%s\"", id);
	}
	if (AT(b, OFF_LINE_MODE) == code)
		return LB_OK;
	return lb_module_write(m, 0, PAGE, OFF_LINE_MODE, &code, 1);
}

static const char *mode_id(uint8_t code)
{
	return code >= 1 && code <= MODE_COUNT ? modes[code - 1].id : NULL;
}

static int ext_get_line_mode(void *priv, struct lb_module *m, uint32_t lane_mask, char *id, size_t len)
{
	struct priv *p = priv;
	uint8_t b[LAYOUT_LEN];
	int rc = check_lanes(p, lane_mask);
	if (rc || (rc = read_layout(p, m, b)))
		return rc;
	uint8_t code = AT(b, OFF_LINE_MODE);
	if (code && !mode_id(code))
		return lb_driver_error(p->env, LB_E_RANGE, "lightbridge-emu: line-mode register holds %u",
				       code);
	snprintf(id, len, "%s", code ? mode_id(code) : "");
	return LB_OK;
}

static int ext_list_vendor_pages(void *priv, struct lb_module *m, uint8_t *pages, size_t max,
				 size_t *count)
{
	uint8_t b[LAYOUT_LEN];
	return lb_vp_list_one(read_layout(priv, m, b), PAGE, pages, max, count);
}

static void put(struct lb_module_field *fields, size_t max, size_t *n, const struct lb_vp_field *d,
		double value, const char *text)
{
	lb_vp_put(fields, max, n, PAGE, d, value, text);
}

static int ext_decode_vendor_page(void *priv, struct lb_module *m, uint8_t bank, uint8_t page,
				  struct lb_module_field *fields, size_t max, size_t *count)
{
	if (bank != 0 || page != PAGE)
		return LB_E_NOTSUP;
	uint8_t b[LAYOUT_LEN];
	int rc = read_layout(priv, m, b);
	if (rc)
		return rc;
	static const struct lb_vp_field sig = { "signature", OFF_SIGNATURE, 4, false },
				      ver = { "layout_version", OFF_VERSION, 1, false },
				      sup = { "line_modes_supported", OFF_SUPPORTED, 1, false },
				      temp = { "laser_temp_c", OFF_LASER_TEMP, 2, false },
				      tec = { "laser_tec_current_ma", OFF_TEC_CURRENT, 2, false },
				      mode = { "line_mode", OFF_LINE_MODE, 1, true };
	char text[48] = "";
	size_t n = 0;
	put(fields, max, &n, &sig, NAN, "LBE1");
	put(fields, max, &n, &ver, AT(b, OFF_VERSION), NULL);
	size_t at = 0;
	for (size_t i = 0; i < MODE_COUNT; i++) {
		if (!supported(b, i))
			continue;
		int k = snprintf(text + at, sizeof(text) - at, "%s%zu", at ? "," : "", i + 1);
		at += k > 0 && (size_t)k < sizeof(text) - at ? (size_t)k : 0;
	}
	put(fields, max, &n, &sup, AT(b, OFF_SUPPORTED), text);
	put(fields, max, &n, &temp, lb_vp_s16(&AT(b, OFF_LASER_TEMP)) / 256.0, NULL);
	put(fields, max, &n, &tec, lb_vp_s16(&AT(b, OFF_TEC_CURRENT)) / 10.0, NULL);
	uint8_t code = AT(b, OFF_LINE_MODE);
	put(fields, max, &n, &mode, code,
	    code == 0 ? "application" : mode_id(code) ? mode_id(code) : "reserved");
	*count = n;
	return LB_OK;
}

static const struct lb_module_ext_ops ops = {
	.size = sizeof(struct lb_module_ext_ops),
	.priv_size = sizeof(struct priv),
	.match = ext_match,
	.attach = ext_attach,
	.list_line_modes = ext_list_line_modes,
	.select_line_mode = ext_select_line_mode,
	.get_line_mode = ext_get_line_mode,
	.list_vendor_pages = ext_list_vendor_pages,
	.decode_vendor_page = ext_decode_vendor_page,
};

const struct lb_driver lb_module_ext_lightbridge_emu = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_MODULE_EXT,
	.kind_abi = LB_MODULE_EXT_ABI,
	.name = "lightbridge-emu",
	.version = "1",
	.ops.module_ext = &ops,
};
