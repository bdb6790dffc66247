/* SPDX-License-Identifier: MIT */
/*
 * Module extension "pcs-vendor-page": the vendor page of layout "PCS1" (page B8h, bank 0;
 * docs/extensions.md has the table), by which a module family states the line modes it adds
 * to its applications (probabilistically shaped modes: PCS has no CMIS or C-CMIS register),
 * selects one, and states its laser tuning time, its mode-change time and its measured power:
 *
 *   128-131  "PCS1"                 signature                                read-only
 *   132      layout version (1)                                              read-only
 *   133      modes described (0-3)                                           read-only
 *   134-135  laser tuning time      U16, ms (channel write to tuning complete) read-only
 *   136-137  mode-change time       U16, ms (request to mode in force)        read-only
 *   138-139  module power, measured U16, 0.01 W                               read-only
 *   140      mode in force          0: the application's own; else a code     read-only
 *   141      mode status            0 idle, 1 changing, 2 rejected: a data path is not
 *                                   DPDeactivated, 3 rejected: no such code   read-only
 *   144      requested mode         code (0: the application's own)           read-write
 *   160+32k  descriptor k (0-2): code (0: unused), format (0 DP-QPSK, 1 DP-8QAM, 2 DP-16QAM,
 *            3 DP-64QAM, 4 PCS), entropy U16 0.001 bit/symbol, baud U16 0.01 GBd, net rate
 *            U16 Gb/s, nominal reach U16 km (0: not stated), FEC (1 oFEC, 2 CFEC), slot U8
 *            6.25 GHz, AppSel it runs on, typical power U16 0.01 W, flags (bit 0: staged with
 *            ExplicitControl set), id (16 bytes ASCII, NUL-padded: the mode of link/modes.json)
 *
 * A mode is requested with every data path DPDeactivated; the module confirms it in byte 140
 * within the mode-change time (get_line_mode answers LB_E_AGAIN meanwhile). The fixed part of the page is read once per attachment (twice,
 * alike); after, an op reads bytes 138-144 alone. The module carries one data path on all its lanes, so a mode
 * covers every lane (mask 0 or 0xff). Matched by OUI and part number (the table below), CMIS 5
 * or later; it reaches the module only through the public module calls.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/driver.h>
#include <lightbridge/link.h>
#include <lightbridge/module.h>
#include "drivers/module/vendor_page.h"

#define PAGE 0xB8u
#define FIRST 128u
#define LEN 128u
#define AT(b, off) ((b)[(off) - FIRST])
#define OFF_VERSION 132u
#define OFF_COUNT 133u
#define OFF_TUNING_MS 134u
#define OFF_CHANGE_MS 136u
#define OFF_POWER 138u
#define OFF_ACTIVE 140u
#define OFF_STATUS 141u
#define OFF_REQUEST 144u
#define OFF_DESC 160u
#define DESC_LEN 32u
#define DESC_MAX 3u

/* The families that carry the page: OUI, part number, first hardware revision with it. */
static const struct lb_vp_family family[] = {
	{ { 0x0a, 0x1b, 0x2c }, "LBE-800ZRP-QDD", "A1" },
};

/* The bytes that change (138-144: measured power, mode in force, status, request). */
#define DYN_FIRST OFF_POWER
#define DYN_LEN (OFF_REQUEST + 1u - OFF_POWER)

struct priv {
	const struct lb_driver_env *env;
	/*
	 * The page as read once per attachment (twice alike): its fixed part (signature, times,
	 * descriptors) is read-only, so later ops read only bytes 138-144.
	 */
	bool cached;
	uint8_t page[LEN];
};

static int ext_match(const struct lb_module_ext_match *id)
{
	return lb_vp_family_match(id, family, sizeof(family) / sizeof(family[0]));
}

static int ext_attach(void *priv, struct lb_module *m, const struct lb_driver_env *env)
{
	(void)m;
	((struct priv *)priv)->env = env;
	return LB_OK;
}

static int check_layout(struct priv *p, const uint8_t b[LEN])
{
	int rc = lb_vp_check_signature(p->env, "pcs-vendor-page", PAGE, b, "PCS1");
	if (rc)
		return rc;
	if (AT(b, OFF_COUNT) > DESC_MAX)
		return lb_driver_error(p->env, LB_E_RANGE,
				       "pcs-vendor-page: page B8h describes %u modes, the layout holds %u",
				       AT(b, OFF_COUNT), DESC_MAX);
	return LB_OK;
}

/* Whether two reads of the page agree on its fixed part (all but bytes 138-144). */
static bool fixed_alike(const uint8_t a[LEN], const uint8_t b[LEN])
{
	for (unsigned off = FIRST; off < FIRST + LEN; off++)
		if ((off < DYN_FIRST || off >= DYN_FIRST + DYN_LEN) && AT(a, off) != AT(b, off))
			return false;
	return true;
}

/*
 * The page into b. The first time, read whole twice (the page has no checksum: two reads alike
 * are taken, two that differ are LB_E_CHECKSUM and nothing is kept); after, the fixed part from
 * the copy and bytes 138-144 read (one transaction). LB_E_NOTSUP without the layout.
 */
static int read_page(struct priv *p, struct lb_module *m, uint8_t b[LEN])
{
	int rc;
	if (p->cached) {
		memcpy(b, p->page, LEN);
		return lb_module_read(m, 0, PAGE, DYN_FIRST, &AT(b, DYN_FIRST), DYN_LEN);
	}
	uint8_t again[LEN];
	if ((rc = lb_module_read(m, 0, PAGE, FIRST, b, LEN)) || (rc = check_layout(p, b)) ||
	    (rc = lb_module_read(m, 0, PAGE, FIRST, again, LEN)))
		return rc;
	if (!fixed_alike(b, again))
		return lb_driver_error(p->env, LB_E_CHECKSUM,
				       "pcs-vendor-page: page B8h read differently twice");
	memcpy(p->page, again, LEN);
	p->cached = true;
	memcpy(b, again, LEN);
	return LB_OK;
}

static const uint8_t *desc(const uint8_t b[LEN], unsigned k)
{
	return &AT(b, OFF_DESC + k * DESC_LEN);
}

static const enum lb_link_format formats[] = {
	LB_LINK_FORMAT_DP_QPSK, LB_LINK_FORMAT_DP_8QAM, LB_LINK_FORMAT_DP_16QAM,
	LB_LINK_FORMAT_DP_64QAM, LB_LINK_FORMAT_PCS,
};

/* Descriptor k as a line mode; false when unused or malformed (no id, unknown format). */
static bool decode_mode(const uint8_t *d, struct lb_line_mode *out)
{
	if (!d[0] || d[1] >= sizeof(formats) / sizeof(formats[0]) || !d[16])
		return false;
	memset(out, 0, sizeof(*out));
	out->size = sizeof(*out);
	char id[17];
	memcpy(id, d + 16, 16);
	id[16] = '\0';
	for (const char *c = id; *c; c++)
		if (*c <= ' ' || *c > '~' || *c == '"' || *c == '\'')
			return false;
	snprintf(out->id, sizeof(out->id), "%s", id);
	out->format = formats[d[1]];
	out->entropy_bits = lb_vp_u16(d + 2) * 0.001;
	out->baud_gbd = lb_vp_u16(d + 4) * 0.01;
	out->net_rate_gbps = lb_vp_u16(d + 6);
	out->reach_km = lb_vp_u16(d + 8);
	snprintf(out->fec, sizeof(out->fec), "%s", d[10] == 2 ? "CFEC" : "oFEC");
	out->fec_threshold_ber = d[10] == 2 ? 1.25e-2 : 2.0e-2;
	out->slot_ghz = d[11] * 6.25;
	out->appsel = d[12];
	out->module_power_w = lb_vp_u16(d + 13) * 0.01;
	out->vendor_code = d[0];
	out->explicit_control = (d[15] & 0x01u) != 0;
	snprintf(out->name, sizeof(out->name), "%.0fG %s %.2f GBd, vendor mode %u", out->net_rate_gbps,
		 lb_link_format_name(out->format), out->baud_gbd, d[0]);
	return true;
}

static int ext_list_line_modes(void *priv, struct lb_module *m, struct lb_line_mode *out,
			       size_t max, size_t *count)
{
	uint8_t b[LEN];
	int rc = read_page(priv, m, b);
	if (rc)
		return rc;
	size_t n = 0;
	for (unsigned k = 0; k < AT(b, OFF_COUNT); k++) {
		struct lb_line_mode one;
		if (!decode_mode(desc(b, k), &one))
			continue;
		if (n < max)
			out[n] = one;
		n++;
	}
	*count = n;
	return LB_OK;
}

static int check_lanes(struct priv *p, uint32_t lane_mask)
{
	return lb_vp_check_all_lanes(p->env, "pcs-vendor-page", lane_mask);
}

/* The code of id among the descriptors (0 for ""), or -1. */
static int code_of(const uint8_t b[LEN], const char *id)
{
	if (!*id)
		return 0;
	for (unsigned k = 0; k < AT(b, OFF_COUNT); k++) {
		struct lb_line_mode one;
		if (decode_mode(desc(b, k), &one) && strcmp(one.id, id) == 0)
			return one.vendor_code;
	}
	return -1;
}

static const char *id_of(const uint8_t b[LEN], uint8_t code, char *buf, size_t len)
{
	for (unsigned k = 0; code && k < AT(b, OFF_COUNT); k++) {
		struct lb_line_mode one;
		if (decode_mode(desc(b, k), &one) && one.vendor_code == code) {
			snprintf(buf, len, "%s", one.id);
			return buf;
		}
	}
	return NULL;
}

static int ext_select_line_mode(void *priv, struct lb_module *m, uint32_t lane_mask, const char *id)
{
	struct priv *p = priv;
	uint8_t b[LEN];
	int rc = check_lanes(p, lane_mask);
	if (rc || (rc = read_page(p, m, b)))
		return rc;
	int code = code_of(b, id);
	if (code < 0)
		return lb_driver_error(p->env, LB_E_NOTFOUND,
				       "pcs-vendor-page: the module describes no mode \"%s\"", id);
	if (AT(b, OFF_ACTIVE) == code && AT(b, OFF_STATUS) == 0)
		return LB_OK;
	uint8_t c = (uint8_t)code, status;
	if ((rc = lb_module_write(m, 0, PAGE, OFF_REQUEST, &c, 1)) ||
	    (rc = lb_module_read(m, 0, PAGE, OFF_STATUS, &status, 1)))
		return rc;
	if (status == 2 || status == 3)
		return lb_driver_error(p->env, LB_E_REJECTED,
				       "pcs-vendor-page: the module rejected mode %d: %s", code,
				       status == 2 ? "a data path is not DPDeactivated" : "no such code");
	return LB_OK;
}

static int ext_get_line_mode(void *priv, struct lb_module *m, uint32_t lane_mask, char *id, size_t len)
{
	struct priv *p = priv;
	uint8_t b[LEN];
	int rc = check_lanes(p, lane_mask);
	if (rc || (rc = read_page(p, m, b)))
		return rc;
	if (AT(b, OFF_STATUS) == 1)
		return LB_E_AGAIN; /* changing: the mode in force is about to be another */
	uint8_t code = AT(b, OFF_ACTIVE);
	if (!code) {
		snprintf(id, len, "%s", "");
		return LB_OK;
	}
	if (!id_of(b, code, id, len))
		return lb_driver_error(p->env, LB_E_RANGE,
				       "pcs-vendor-page: the mode in force, %u, is not described", code);
	return LB_OK;
}

static int ext_list_vendor_pages(void *priv, struct lb_module *m, uint8_t *pages, size_t max,
				 size_t *count)
{
	uint8_t b[LEN];
	return lb_vp_list_one(read_page(priv, m, b), PAGE, pages, max, count);
}

static void put(struct lb_module_field *f, size_t max, size_t *n, const char *name, uint8_t off,
		uint8_t len, bool writable, double value, const char *text)
{
	const struct lb_vp_field d = { name, off, len, writable };
	lb_vp_put(f, max, n, PAGE, &d, value, text);
}

static const char *status_name(uint8_t s)
{
	static const char *const names[] = { "idle", "changing", "rejected: data path not deactivated",
					     "rejected: no such code" };
	return s < 4 ? names[s] : "reserved";
}

static int ext_decode_vendor_page(void *priv, struct lb_module *m, uint8_t bank, uint8_t page,
				  struct lb_module_field *fields, size_t max, size_t *count)
{
	if (bank != 0 || page != PAGE)
		return LB_E_NOTSUP;
	uint8_t b[LEN];
	int rc = read_page(priv, m, b);
	if (rc)
		return rc;
	size_t n = 0;
	char buf[LB_LINK_ID_LEN];
	uint8_t active = AT(b, OFF_ACTIVE), req = AT(b, OFF_REQUEST);
	put(fields, max, &n, "signature", 128, 4, false, NAN, "PCS1");
	put(fields, max, &n, "layout_version", OFF_VERSION, 1, false, AT(b, OFF_VERSION), NULL);
	put(fields, max, &n, "line_modes_described", OFF_COUNT, 1, false, AT(b, OFF_COUNT), NULL);
	put(fields, max, &n, "tuning_time_ms", OFF_TUNING_MS, 2, false,
	    lb_vp_u16(&AT(b, OFF_TUNING_MS)), NULL);
	put(fields, max, &n, "mode_change_time_ms", OFF_CHANGE_MS, 2, false,
	    lb_vp_u16(&AT(b, OFF_CHANGE_MS)), NULL);
	put(fields, max, &n, "module_power_w", OFF_POWER, 2, false,
	    lb_vp_u16(&AT(b, OFF_POWER)) * 0.01, NULL);
	const char *t = active ? id_of(b, active, buf, sizeof(buf)) : "application";
	put(fields, max, &n, "line_mode", OFF_ACTIVE, 1, false, active, t ? t : "reserved");
	put(fields, max, &n, "line_mode_status", OFF_STATUS, 1, false, AT(b, OFF_STATUS),
	    status_name(AT(b, OFF_STATUS)));
	t = req ? id_of(b, req, buf, sizeof(buf)) : "application";
	put(fields, max, &n, "line_mode_requested", OFF_REQUEST, 1, true, req, t ? t : "reserved");
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

const struct lb_driver lb_module_ext_pcs_vendor_page = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_MODULE_EXT,
	.kind_abi = LB_MODULE_EXT_ABI,
	.name = "pcs-vendor-page",
	.version = "1",
	.ops.module_ext = &ops,
};
