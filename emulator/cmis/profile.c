/* SPDX-License-Identifier: MIT */
/*
 * Module profiles (emulator/profiles/NAME.json, format in docs/emulator.md): identity,
 * applications, timings, capabilities, monitors and thresholds, raw page overrides.
 * A profile is checked strictly, through the options reader: an unknown field, a value out of
 * range or a missing required field refuses it with LB_E_PARSE and "FILE: FIELD: reason".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/options.h>
#include "emulator/cmis/emu_module.h"

#define P(b) ((b) - 128)

#define fail(o, key, ...) lb_options_fail(o, key, LB_E_PARSE, __VA_ARGS__)

/* Refuse fields that are not in allowed (NULL-terminated); "comment", "description" and keys
 * starting with '_' are notes. */
static int check_keys(const struct lb_options *o, const char *const *allowed)
{
	const char *keys[40];
	size_t n = 0;
	for (const char *const *a = allowed; *a && n < sizeof(keys) / sizeof(keys[0]) - 4; a++)
		keys[n++] = *a;
	keys[n++] = "comment";
	keys[n++] = "description";
	keys[n++] = "_*";
	keys[n] = NULL;
	return lb_options_check_keys(o, keys);
}

/* The object member key as a view, which must be there (and be an object) when required. */
static int get_object(const struct lb_options *o, const char *key, bool required,
		      const struct lb_options **out)
{
	int rc = required ? lb_options_require(o, key) : LB_OK;
	return rc ? rc : lb_options_get_object(o, key, out);
}

/* An unsigned integer: a JSON integer, or a string "0x1F" / "31". */
static int get_uint(const struct lb_options *o, const char *key, unsigned long long lo,
		    unsigned long long hi, bool required, unsigned long long dflt, unsigned long long *out)
{
	*out = dflt;
	int rc = required ? lb_options_require(o, key) : LB_OK;
	if (rc)
		return rc;
	switch (lb_options_type(o, key)) {
	case LB_OPTIONS_ABSENT:
		return LB_OK;
	case LB_OPTIONS_INTEGER: {
		int64_t i;
		if ((rc = lb_options_get_int(o, key, (int64_t)lo, (int64_t)hi, (int64_t)dflt, &i)))
			return rc;
		*out = (unsigned long long)i;
		return LB_OK;
	}
	case LB_OPTIONS_STRING: {
		const char *s;
		lb_options_get_string(o, key, "", &s);
		char *end;
		errno = 0;
		unsigned long long u = strtoull(s, &end, 0);
		if (!*s || *end || errno || s[0] == '-')
			return fail(o, key, "not a number: \"%s\"", s);
		if (u < lo || u > hi)
			return fail(o, key, "%llu is out of range %llu..%llu", u, lo, hi);
		*out = u;
		return LB_OK;
	}
	default:
		return fail(o, key, "must be an integer or a hex string");
	}
}

static int get_u8(const struct lb_options *o, const char *key, bool required, uint8_t dflt, uint8_t *out)
{
	unsigned long long u;
	int rc = get_uint(o, key, 0, 255, required, dflt, &u);
	*out = (uint8_t)u;
	return rc;
}

static int get_num(const struct lb_options *o, const char *key, double lo, double hi, bool required,
		   double dflt, double *out, bool *present)
{
	if (present)
		*present = lb_options_has(o, key);
	int rc = required ? lb_options_require(o, key) : LB_OK;
	return rc ? rc : lb_options_get_number(o, key, lo, hi, dflt, out);
}

/* An ASCII field, space padded to n bytes. */
static int get_ascii(const struct lb_options *o, const char *key, size_t n, bool required, uint8_t *dst)
{
	memset(dst, ' ', n);
	const char *s;
	int rc;
	if ((required && (rc = lb_options_require(o, key))) || (rc = lb_options_get_string(o, key, NULL, &s)))
		return rc;
	if (!s)
		return LB_OK;
	size_t len = strlen(s);
	if (len > n)
		return fail(o, key, "longer than %zu characters", n);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return fail(o, key, "not printable ASCII");
		dst[i] = (uint8_t)s[i];
	}
	return LB_OK;
}

/* "M.m" version into two bytes (major, minor) or one nibble-packed byte. */
static int get_version(const struct lb_options *o, const char *key, bool required, unsigned max,
		       unsigned *major, unsigned *minor)
{
	*major = *minor = 0;
	int rc = required ? lb_options_require(o, key) : LB_OK;
	if (rc || !lb_options_has(o, key))
		return rc;
	if (lb_options_type(o, key) != LB_OPTIONS_STRING)
		return fail(o, key, "must be a string \"major.minor\"");
	const char *s;
	lb_options_get_string(o, key, "", &s);
	char tail;
	if (sscanf(s, "%u.%u%c", major, minor, &tail) != 2 || *major > max || *minor > max)
		return fail(o, key, "\"%s\" is not major.minor (each 0..%u)", s, max);
	return LB_OK;
}

static int hexval(int ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch = tolower(ch);
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

/* Hex digits (spaces allowed between bytes) into dst; returns bytes or -1. */
static long parse_hex(const char *s, uint8_t *dst, size_t max)
{
	size_t n = 0;
	while (*s) {
		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		int hi = hexval((unsigned char)s[0]), lo = s[1] ? hexval((unsigned char)s[1]) : -1;
		if (hi < 0 || lo < 0 || n >= max)
			return -1;
		dst[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (long)n;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)(v & 0xFF);
}

/* ---- the profile's parts ---- */

struct built {
	uint8_t lower[128];
	uint8_t pg[256][128]; /* bank-0 content of the pages the profile builds */
	bool has[256];
	unsigned lanes, napps, max_media_lanes;
	uint8_t app_host_lanes[16], app_host_opts[16];
	unsigned default_app;
	bool paged, lpmode_pin;
	struct lb_emu_timing timing;
	struct emu_cdb_model cdb_model;
};

static int parse_identity(const struct lb_options *root, struct built *b)
{
	static const char *const keys[] = {
		"identifier", "cmis_revision", "vendor_name", "vendor_oui", "part_number",
		"vendor_revision", "serial_number", "date_code", "clei", "media_type", "connector",
		"power_class", "max_power_w", "media_technology", "firmware", "inactive_firmware",
		"hardware", "smf_length_km", "nominal_wavelength_nm", "wavelength_tolerance_nm",
		"max_case_temp_c", "min_case_temp_c", NULL,
	};
	const struct lb_options *id;
	int rc;
	if ((rc = get_object(root, "identity", true, &id)) || (rc = check_keys(id, keys)))
		return rc;
	uint8_t *lo = b->lower, *p0 = b->pg[0x00], *p1 = b->pg[0x01];
	unsigned maj, min;
	if ((rc = get_u8(id, "identifier", true, 0, &lo[0])))
		return rc;
	p0[P(128)] = lo[0];
	if ((rc = get_version(id, "cmis_revision", true, 15, &maj, &min)))
		return rc;
	if (maj < 4)
		return fail(id, "cmis_revision", "CMIS 4.0 or later is modelled");
	lo[1] = (uint8_t)(maj << 4 | min);
	if ((rc = get_ascii(id, "vendor_name", 16, true, &p0[P(129)])) ||
	    (rc = get_ascii(id, "part_number", 16, true, &p0[P(148)])) ||
	    (rc = get_ascii(id, "vendor_revision", 2, true, &p0[P(164)])) ||
	    (rc = get_ascii(id, "serial_number", 16, true, &p0[P(166)])) ||
	    (rc = get_ascii(id, "date_code", 8, true, &p0[P(182)])) ||
	    (rc = get_ascii(id, "clei", 10, false, &p0[P(190)])))
		return rc;
	if (lb_options_has(id, "vendor_oui")) {
		unsigned o[3];
		char tail;
		const char *s = "";
		if (lb_options_type(id, "vendor_oui") == LB_OPTIONS_STRING)
			lb_options_get_string(id, "vendor_oui", "", &s);
		if (sscanf(s, "%2x:%2x:%2x%c", &o[0], &o[1], &o[2], &tail) != 3)
			return fail(id, "vendor_oui", "must be \"xx:xx:xx\" (hex)");
		for (int i = 0; i < 3; i++)
			p0[P(145) + i] = (uint8_t)o[i];
	}
	if ((rc = get_u8(id, "media_type", true, 0, &lo[85])) ||
	    (rc = get_u8(id, "connector", true, 0, &p0[P(203)])) ||
	    (rc = get_u8(id, "media_technology", true, 0, &p0[P(212)])))
		return rc;
	unsigned long long pc;
	if ((rc = get_uint(id, "power_class", 1, 8, true, 1, &pc)))
		return rc;
	p0[P(200)] = (uint8_t)((pc - 1) << 5);
	double w;
	if ((rc = get_num(id, "max_power_w", 0, 63.75, true, 0, &w, NULL)))
		return rc;
	p0[P(201)] = (uint8_t)ceil(w * 4.0 - 1e-9);
	if ((rc = get_version(id, "firmware", true, 255, &maj, &min)))
		return rc;
	lo[39] = (uint8_t)maj;
	lo[40] = (uint8_t)min;
	if ((rc = get_version(id, "inactive_firmware", false, 255, &maj, &min)))
		return rc;
	p1[P(128)] = (uint8_t)maj;
	p1[P(129)] = (uint8_t)min;
	if ((rc = get_version(id, "hardware", true, 255, &maj, &min)))
		return rc;
	p1[P(130)] = (uint8_t)maj;
	p1[P(131)] = (uint8_t)min;
	double km, nm, tol, tmax, tmin;
	bool has;
	if ((rc = get_num(id, "smf_length_km", 0, 630, false, 0, &km, &has)))
		return rc;
	if (has) /* 6-bit base with a multiplier: 0.1 km, 1 km or 10 km */
		p1[P(132)] = km <= 6.3 ? (uint8_t)lround(km * 10)
			     : km <= 63 ? (uint8_t)(0x40 | lround(km))
					: (uint8_t)(0x80 | lround(km / 10));
	if ((rc = get_num(id, "nominal_wavelength_nm", 0, 3276.75, false, 0, &nm, NULL)) ||
	    (rc = get_num(id, "wavelength_tolerance_nm", 0, 327.675, false, 0, &tol, NULL)) ||
	    (rc = get_num(id, "max_case_temp_c", -128, 127, false, 70, &tmax, NULL)) ||
	    (rc = get_num(id, "min_case_temp_c", -128, 127, false, 0, &tmin, NULL)))
		return rc;
	put16(&p1[P(138)], (unsigned)lround(nm / 0.05));
	put16(&p1[P(140)], (unsigned)lround(tol / 0.005));
	p1[P(146)] = (uint8_t)(int8_t)lround(tmax);
	p1[P(147)] = (uint8_t)(int8_t)lround(tmin);
	return LB_OK;
}

static bool lanes_ok(unsigned n)
{
	return n == 1 || n == 2 || n == 4 || n == 8;
}

static int parse_apps(const struct lb_options *root, struct built *b)
{
	static const char *const keys[] = { "host_id", "media_id", "host_lanes", "media_lanes",
					    "host_lane_options", "media_lane_options", NULL };
	const struct lb_options *apps = NULL;
	size_t napps = 0;
	int rc = lb_options_require(root, "applications");
	if (rc)
		return rc;
	if (lb_options_type(root, "applications") == LB_OPTIONS_ARRAY)
		lb_options_get_array(root, "applications", 0, SIZE_MAX, &apps, &napps);
	if (lb_options_type(root, "applications") != LB_OPTIONS_ARRAY || napps < 1 || napps > 15)
		return fail(root, "applications", "must be an array of 1 to 15 applications");
	b->napps = (unsigned)napps;
	for (unsigned k = 1; k <= 15; k++) { /* unused descriptors: host ID FFh */
		uint8_t *d = k <= 8 ? &b->lower[86 + 4 * (k - 1)] : &b->pg[1][P(223 + 4 * (k - 9))];
		memset(d, 0, 4);
		d[0] = 0xFF;
	}
	for (unsigned k = 1; k <= b->napps; k++) {
		const struct lb_options *a;
		if ((rc = lb_options_at(apps, k - 1, NULL, &a)) || (rc = lb_options_get_object(a, NULL, &a)) ||
		    (rc = check_keys(a, keys)))
			return rc;
		uint8_t host, media, hopt, mopt;
		unsigned long long hl, ml;
		if ((rc = get_u8(a, "host_id", true, 0, &host)) ||
		    (rc = get_u8(a, "media_id", true, 0, &media)) ||
		    (rc = get_uint(a, "host_lanes", 1, 8, true, 0, &hl)) ||
		    (rc = get_uint(a, "media_lanes", 1, 8, true, 0, &ml)) ||
		    (rc = get_u8(a, "host_lane_options", true, 0, &hopt)) ||
		    (rc = get_u8(a, "media_lane_options", true, 0, &mopt)))
			return rc;
		if (host == 0xFF || host == 0x00)
			return fail(a, "host_id", "0x%02x marks an unused descriptor", host);
		if (!lanes_ok((unsigned)hl) || !lanes_ok((unsigned)ml))
			return fail(a, lanes_ok((unsigned)hl) ? "media_lanes" : "host_lanes", "must be 1, 2, 4 or 8");
		for (unsigned i = 0; i < 8; i++) {
			if ((((unsigned)hopt >> i) & 1u) && i + hl > 8)
				return fail(a, "host_lane_options", "start lane %u + %llu host lanes runs past lane 8",
					    i + 1, hl);
			if ((((unsigned)mopt >> i) & 1u) && i + ml > 8)
				return fail(a, "media_lane_options",
					    "start lane %u + %llu media lanes runs past lane 8", i + 1, ml);
		}
		if (!hopt || !mopt)
			return fail(a, hopt ? "media_lane_options" : "host_lane_options", "no start lane allowed");
		uint8_t *d = k <= 8 ? &b->lower[86 + 4 * (k - 1)] : &b->pg[1][P(223 + 4 * (k - 9))];
		d[0] = host;
		d[1] = media;
		d[2] = (uint8_t)(hl << 4 | ml);
		d[3] = hopt;
		b->pg[1][P(176 + k - 1)] = mopt;
		b->app_host_lanes[k] = (uint8_t)hl;
		b->app_host_opts[k] = hopt;
		if (ml > b->max_media_lanes)
			b->max_media_lanes = (unsigned)ml;
	}
	unsigned long long da;
	rc = get_uint(root, "default_application", 0, b->napps, false, 1, &da);
	b->default_app = (unsigned)da;
	return rc;
}

static int parse_timing(const struct lb_options *root, struct built *b)
{
	static const char *const keys[] = { "module_pwr_up", "module_pwr_dn", "dp_init",
					    "dp_deinit", "dp_tx_turn_on", "dp_tx_turn_off",
					    "apply_ms", "reset_ms", NULL };
	static const char *const dkeys[] = { "code", "real_ms", NULL };
	const struct lb_options *t;
	int rc;
	if ((rc = get_object(root, "timing", true, &t)) || (rc = check_keys(t, keys)))
		return rc;
	struct {
		const char *key;
		uint64_t *real;
		unsigned byte, shift;
	} d[] = {
		{ "module_pwr_up", &b->timing.module_pwr_up_ns, 167, 0 },
		{ "module_pwr_dn", &b->timing.module_pwr_dn_ns, 167, 4 },
		{ "dp_init", &b->timing.dp_init_ns, 144, 0 },
		{ "dp_deinit", &b->timing.dp_deinit_ns, 144, 4 },
		{ "dp_tx_turn_on", &b->timing.dp_tx_turn_on_ns, 168, 0 },
		{ "dp_tx_turn_off", &b->timing.dp_tx_turn_off_ns, 168, 4 },
	};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		const struct lb_options *o;
		if ((rc = get_object(t, d[i].key, true, &o)) || (rc = check_keys(o, dkeys)))
			return rc;
		unsigned long long code;
		double ms;
		if ((rc = get_uint(o, "code", 0, 13, true, 0, &code)) ||
		    (rc = get_num(o, "real_ms", 0, 1e9, true, 0, &ms, NULL)))
			return rc;
		uint64_t ns = (uint64_t)llround(ms * 1e6);
		uint64_t max = emu_code_max_ns((unsigned)code);
		if (ns >= max)
			return fail(o, "real_ms", "%g ms is not below the advertised maximum (code %llu: < %llu ms)",
				    ms, code, (unsigned long long)(max / 1000000u));
		*d[i].real = ns;
		b->pg[1][P(d[i].byte)] |= (uint8_t)(code << d[i].shift);
	}
	double ms;
	if ((rc = get_num(t, "apply_ms", 0, 1e7, false, 10, &ms, NULL)))
		return rc;
	b->timing.apply_ns = (uint64_t)llround(ms * 1e6);
	if ((rc = get_num(t, "reset_ms", 0, 1e7, false, 500, &ms, NULL)))
		return rc;
	b->timing.reset_ns = (uint64_t)llround(ms * 1e6);
	return LB_OK;
}

/* How the module handles firmware (the "cdb" object's model keys; docs/emulator.md). */
static int parse_cdb_model(const struct lb_options *cdb, struct emu_cdb_model *x)
{
	unsigned long long block, pw;
	double block_ms, overhead_us;
	int rc;
	if ((rc = get_uint(cdb, "flash_block_bytes", 8, 65536, false, 2048, &block)) ||
	    (rc = get_num(cdb, "flash_block_ms", 0, 10000, false, 3, &block_ms, NULL)) ||
	    (rc = get_num(cdb, "write_overhead_us", 0, 1e6, false, 200, &overhead_us, NULL)) ||
	    (rc = get_uint(cdb, "password", 0, UINT32_MAX, false, 0, &pw)) ||
	    (rc = lb_options_get_bool(cdb, "readback", false, &x->readback)) ||
	    (rc = lb_options_get_bool(cdb, "copy", false, &x->copy)))
		return rc;
	x->set = true;
	x->flash_block_bytes = (uint32_t)block;
	x->flash_block_ns = (uint64_t)llround(block_ms * 1e6);
	x->write_overhead_ns = (uint64_t)llround(overhead_us * 1e3);
	x->password = lb_options_has(cdb, "password");
	x->password_value = (uint32_t)pw;
	return LB_OK;
}

static int parse_caps(const struct lb_options *root, struct built *b)
{
	static const char *const keys[] = {
		"paged", "full_page_read", "tunable", "coherent_pages", "vdm", "vdm_groups",
		"diagnostics_pages", "user_eeprom", "mci_max_speed", "stepped_config_only",
		"auto_commissioning", "tx_disable", "tx_force_squelch", "bank_broadcast", "cdb", NULL,
	};
	static const char *const ckeys[] = { "instances", "background_mode", "auto_paging",
					     "epl_pages_code", "rw_length_ext", "trigger_any_write",
					     "byte_165", "byte_166", "flash_block_bytes", "flash_block_ms",
					     "write_overhead_us", "password", "readback", "copy", NULL };
	const struct lb_options *cap;
	int rc;
	if ((rc = get_object(root, "capabilities", true, &cap)) || (rc = check_keys(cap, keys)))
		return rc;
	bool paged, tunable, coherent, vdm, diag, eeprom, stepped, txdis, sq, bb;
	uint8_t *lo = b->lower, *p1 = b->pg[1];
	if ((rc = lb_options_get_bool(cap, "paged", true, &paged)) ||
	    (rc = lb_options_get_bool(cap, "tunable", false, &tunable)) ||
	    (rc = lb_options_get_bool(cap, "coherent_pages", false, &coherent)) ||
	    (rc = lb_options_get_bool(cap, "vdm", false, &vdm)) ||
	    (rc = lb_options_get_bool(cap, "diagnostics_pages", false, &diag)) ||
	    (rc = lb_options_get_bool(cap, "user_eeprom", false, &eeprom)) ||
	    (rc = lb_options_get_bool(cap, "stepped_config_only", true, &stepped)) ||
	    (rc = lb_options_get_bool(cap, "tx_disable", true, &txdis)) ||
	    (rc = lb_options_get_bool(cap, "tx_force_squelch", false, &sq)) ||
	    (rc = lb_options_get_bool(cap, "bank_broadcast", false, &bb)))
		return rc;
	b->paged = paged;
	unsigned long long mci, ac, groups;
	if ((rc = get_uint(cap, "mci_max_speed", 0, 2, false, 0, &mci)) ||
	    (rc = get_uint(cap, "auto_commissioning", 0, 2, false, 0, &ac)) ||
	    (rc = get_uint(cap, "vdm_groups", 1, 4, false, 1, &groups)))
		return rc;
	lo[2] = (uint8_t)((paged ? 0 : 0x80) | (stepped ? 0x40 : 0) | (mci << 2) | (stepped ? ac : 0));
	enum lb_options_type fpr = lb_options_type(cap, "full_page_read");
	const char *fps = "";
	if (fpr == LB_OPTIONS_STRING)
		lb_options_get_string(cap, "full_page_read", "", &fps);
	if (fpr == LB_OPTIONS_ABSENT || (fpr == LB_OPTIONS_STRING && !strcmp(fps, "unknown"))) {
		p1[P(251)] &= 0xFC; /* 00b: unknown (CMIS 5.2 and earlier) */
	} else if (fpr == LB_OPTIONS_BOOL) {
		bool full;
		lb_options_get_bool(cap, "full_page_read", false, &full);
		p1[P(251)] = (uint8_t)((p1[P(251)] & 0xFC) | (full ? 0x2 : 0x1));
	} else {
		return fail(cap, "full_page_read", "must be true, false or \"unknown\"");
	}
	unsigned banks = b->lanes / 8;
	p1[P(142)] = (uint8_t)((vdm ? 0x40 : 0) | (diag ? 0x20 : 0) | (coherent ? 0x10 : 0) |
			       (eeprom ? 0x04 : 0) | (banks == 4 ? 2 : banks == 2 ? 1 : 0));
	p1[P(155)] = (uint8_t)((tunable ? 0x40 : 0) | (sq ? 0x08 : 0) | (txdis ? 0x02 : 0));
	p1[P(156)] = (uint8_t)(bb ? 0x80 : 0);
	if (vdm)
		b->pg[0x2F][P(128)] = (uint8_t)(groups - 1);
	if (lb_options_has(cap, "cdb")) {
		const struct lb_options *cdb;
		if ((rc = get_object(cap, "cdb", true, &cdb)) || (rc = check_keys(cdb, ckeys)))
			return rc;
		unsigned long long inst, epl;
		bool bg, ap, any;
		uint8_t ext, b165, b166;
		if ((rc = get_uint(cdb, "instances", 0, 2, false, 1, &inst)) ||
		    (rc = lb_options_get_bool(cdb, "background_mode", false, &bg)) ||
		    (rc = lb_options_get_bool(cdb, "auto_paging", false, &ap)) ||
		    (rc = get_uint(cdb, "epl_pages_code", 0, 7, false, 0, &epl)) ||
		    (rc = get_u8(cdb, "rw_length_ext", false, 0, &ext)) ||
		    (rc = lb_options_get_bool(cdb, "trigger_any_write", false, &any)) ||
		    (rc = get_u8(cdb, "byte_165", false, 0, &b165)) ||
		    (rc = get_u8(cdb, "byte_166", false, 0, &b166)))
			return rc;
		p1[P(163)] = (uint8_t)(inst << 6 | (bg ? 0x20 : 0) | (ap ? 0x10 : 0) | epl);
		p1[P(164)] = ext;
		p1[P(165)] = (uint8_t)((b165 & 0x7F) | (any ? 0x80 : 0));
		p1[P(166)] = b166;
		if ((rc = parse_cdb_model(cdb, &b->cdb_model)))
			return rc;
	}
	return LB_OK;
}

/* A threshold group: object with high_alarm, low_alarm, high_warning, low_warning. */
static int parse_thr_group(const struct lb_options *thr, const char *key, double lo, double hi,
			   double (*enc)(double, double), double mult, bool is_signed, uint8_t *dst,
			   bool *present)
{
	static const char *const keys[] = { "high_alarm", "low_alarm", "high_warning",
					    "low_warning", NULL };
	*present = lb_options_has(thr, key);
	if (!*present)
		return LB_OK;
	const struct lb_options *g;
	int rc;
	if ((rc = get_object(thr, key, true, &g)) || (rc = check_keys(g, keys)))
		return rc;
	for (int i = 0; i < 4; i++) {
		double v;
		if ((rc = get_num(g, keys[i], lo, hi, true, 0, &v, NULL)))
			return rc;
		double raw = enc(v, mult);
		long r = lround(raw);
		if (is_signed ? (r < -32768 || r > 32767) : (r < 0 || r > 65535))
			return fail(g, keys[i], "%g does not fit the register", v);
		put16(&dst[2 * i], (unsigned)(uint16_t)(int16_t)r);
	}
	return LB_OK;
}

/* Register encodings (mult: Tx bias multiplier, 01h:160 bits 4-3). */
static double enc_temp(double c, double mult) { (void)mult; return c * 256.0; }
static double enc_vcc(double v, double mult) { (void)mult; return v * 10000.0; }
static double enc_mw(double mw, double mult) { (void)mult; return mw * 10000.0; }
static double enc_dbm(double dbm, double mult) { (void)mult; return pow(10.0, dbm / 10.0) * 10000.0; }
static double enc_bias(double ma, double mult) { return ma / (0.002 * mult); }

static int parse_monitors(const struct lb_options *root, struct built *b)
{
	static const char *const mkeys[] = { "temperature_c", "vcc_v", "tx_bias_ma", "tx_power_mw",
					     "tx_power_dbm", "rx_power_mw", "rx_power_dbm",
					     "tx_bias_multiplier", NULL };
	static const char *const tkeys[] = { "temperature_c", "vcc_v", "tx_bias_ma",
					     "tx_power_mw", "tx_power_dbm", "rx_power_mw",
					     "rx_power_dbm", NULL };
	int rc;
	uint8_t *lo = b->lower, *p1 = b->pg[1], *p2 = b->pg[2], *p11 = b->pg[0x11];
	unsigned long long mult = 1;
	if (lb_options_has(root, "monitors")) {
		const struct lb_options *mon;
		if ((rc = get_object(root, "monitors", true, &mon)) || (rc = check_keys(mon, mkeys)))
			return rc;
		if ((rc = get_uint(mon, "tx_bias_multiplier", 1, 4, false, 1, &mult)))
			return rc;
		if (mult == 3)
			return fail(mon, "tx_bias_multiplier", "must be 1, 2 or 4");
		double t, v, bias, txp, rxp;
		bool ht, hv, hb, htm, htd, hrm, hrd;
		if ((rc = get_num(mon, "temperature_c", -127, 127, false, 0, &t, &ht)) ||
		    (rc = get_num(mon, "vcc_v", 0, 6.5, false, 0, &v, &hv)) ||
		    (rc = get_num(mon, "tx_bias_ma", 0, 524, false, 0, &bias, &hb)) ||
		    (rc = get_num(mon, "tx_power_mw", 0, 6.5535, false, 0, &txp, &htm)) ||
		    (rc = get_num(mon, "tx_power_dbm", -40, 8.16, false, htm ? txp : 0, &txp, &htd)) ||
		    (rc = get_num(mon, "rx_power_mw", 0, 6.5535, false, 0, &rxp, &hrm)) ||
		    (rc = get_num(mon, "rx_power_dbm", -40, 8.16, false, hrm ? rxp : 0, &rxp, &hrd)))
			return rc;
		if (htm && htd)
			return fail(mon, "tx_power_dbm", "give tx_power_mw or tx_power_dbm, not both");
		if (hrm && hrd)
			return fail(mon, "rx_power_dbm", "give rx_power_mw or rx_power_dbm, not both");
		if (htd)
			txp = pow(10.0, txp / 10.0);
		if (hrd)
			rxp = pow(10.0, rxp / 10.0);
		put16(&lo[14], (unsigned)(uint16_t)(int16_t)lround(t * 256));
		put16(&lo[16], (unsigned)lround(v * 10000));
		p1[P(159)] = (uint8_t)((ht ? 0x01 : 0) | (hv ? 0x02 : 0));
		p1[P(160)] = (uint8_t)((mult == 4 ? 2u : mult == 2 ? 1u : 0u) << 3 | (hb ? 0x01 : 0) |
				       (htm || htd ? 0x02 : 0) | (hrm || hrd ? 0x04 : 0));
		for (unsigned l = 0; l < b->max_media_lanes; l++) {
			put16(&p11[P(154 + 2 * l)], (unsigned)lround(enc_mw(txp, 1)));
			put16(&p11[P(170 + 2 * l)], (unsigned)lround(enc_bias(bias, (double)mult)));
			put16(&p11[P(186 + 2 * l)], (unsigned)lround(enc_mw(rxp, 1)));
		}
	}
	if (lb_options_has(root, "thresholds")) {
		const struct lb_options *thr;
		if ((rc = get_object(root, "thresholds", true, &thr)) || (rc = check_keys(thr, tkeys)))
			return rc;
		double bm = (double)mult;
		bool h1, h2;
		if ((rc = parse_thr_group(thr, "temperature_c", -128, 128, enc_temp, bm, true, &p2[P(128)], &h1)) ||
		    (rc = parse_thr_group(thr, "vcc_v", 0, 6.5535, enc_vcc, bm, false, &p2[P(136)], &h1)) ||
		    (rc = parse_thr_group(thr, "tx_bias_ma", 0, 524, enc_bias, bm, false, &p2[P(184)], &h1)) ||
		    (rc = parse_thr_group(thr, "tx_power_mw", 0, 6.5535, enc_mw, bm, false, &p2[P(176)], &h1)) ||
		    (rc = parse_thr_group(thr, "tx_power_dbm", -40, 8.16, enc_dbm, bm, false, &p2[P(176)], &h2)))
			return rc;
		if (h1 && h2)
			return fail(thr, "tx_power_dbm", "give tx_power_mw or tx_power_dbm, not both");
		if ((rc = parse_thr_group(thr, "rx_power_mw", 0, 6.5535, enc_mw, bm, false, &p2[P(192)], &h1)) ||
		    (rc = parse_thr_group(thr, "rx_power_dbm", -40, 8.16, enc_dbm, bm, false, &p2[P(192)], &h2)))
			return rc;
		if (h1 && h2)
			return fail(thr, "rx_power_dbm", "give rx_power_mw or rx_power_dbm, not both");
	}
	return LB_OK;
}

struct override {
	int page; /* -1 lower */
	unsigned bank, offset;
	uint8_t data[256];
	size_t len;
	const struct lb_options *view; /* its entry, for errors found later */
};

static int parse_override(const struct lb_options *list, size_t i, struct override *ov)
{
	static const char *const keys[] = { "page", "bank", "offset", "hex", NULL };
	const struct lb_options *o;
	int rc;
	if ((rc = lb_options_at(list, i, NULL, &o)) || (rc = lb_options_get_object(o, NULL, &o)) ||
	    (rc = check_keys(o, keys)))
		return rc;
	ov->view = o;
	unsigned long long page, bank, off;
	int64_t lower = 0;
	if (lb_options_type(o, "page") == LB_OPTIONS_INTEGER &&
	    lb_options_get_int(o, "page", INT64_MIN, INT64_MAX, 0, &lower) == LB_OK && lower == -1) {
		ov->page = EMU_LOWER;
	} else {
		if ((rc = get_uint(o, "page", 0, 255, true, 0, &page)))
			return rc;
		ov->page = (int)page;
	}
	unsigned long long lo = ov->page == EMU_LOWER ? 0 : 128;
	unsigned long long hi = ov->page == EMU_LOWER ? 127 : 255;
	if ((rc = get_uint(o, "bank", 0, EMU_MAX_BANKS - 1, false, 0, &bank)) ||
	    (rc = get_uint(o, "offset", lo, hi, true, 0, &off)))
		return rc;
	if (!lb_options_has(o, "hex"))
		return fail(o, "hex", "missing");
	if (lb_options_type(o, "hex") != LB_OPTIONS_STRING)
		return fail(o, "hex", "must be a string of hex digits");
	const char *hex;
	lb_options_get_string(o, "hex", "", &hex);
	long len = parse_hex(hex, ov->data, sizeof(ov->data));
	if (len <= 0)
		return fail(o, "hex", "not an even number of hex digits");
	if (off + (unsigned long long)len > hi + 1)
		return fail(o, "hex", "%ld bytes from offset %llu run past byte %llu", len, off, hi);
	ov->bank = (unsigned)bank;
	ov->offset = (unsigned)off;
	ov->len = (size_t)len;
	return LB_OK;
}

static int parse_overrides(const struct lb_options *root, struct override **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	if (!lb_options_has(root, "pages"))
		return LB_OK;
	if (lb_options_type(root, "pages") != LB_OPTIONS_ARRAY)
		return fail(root, "pages", "must be an array");
	const struct lb_options *pages;
	size_t cnt;
	int rc = lb_options_get_array(root, "pages", 0, SIZE_MAX, &pages, &cnt);
	if (rc)
		return rc;
	struct override *ov = calloc(cnt ? cnt : 1, sizeof(*ov));
	if (!ov)
		return LB_E_NOMEM;
	for (size_t i = 0; i < cnt && !rc; i++)
		rc = parse_override(pages, i, &ov[i]);
	if (rc) {
		free(ov);
		return rc;
	}
	*out = ov;
	*n = cnt;
	return LB_OK;
}

/* Default active/staged DPConfig: the default application, as many instances as fit. */
static void default_config(const struct built *b, uint8_t cfg[8])
{
	memset(cfg, 0, 8);
	unsigned k = b->default_app;
	if (!k)
		return;
	unsigned h = b->app_host_lanes[k];
	for (unsigned l = 0; l + h <= 8;) {
		if (((unsigned)b->app_host_opts[k] >> l) & 1u) {
			for (unsigned i = 0; i < h; i++)
				cfg[l + i] = (uint8_t)(k << 4 | l << 1);
			l += h;
		} else {
			l++;
		}
	}
}

static int build_memory(struct lb_emu_module *m, struct built *b, const struct override *ov,
			size_t nov)
{
	uint8_t *lo = b->lower;
	lo[3] = (uint8_t)(EMU_MS_LOWPWR << 1 | 0x01);
	lo[26] = 0x40;
	if (!b->paged)
		lo[3] = (uint8_t)(EMU_MS_READY << 1 | 0x01);
	/* media lanes the applications never use are "unsupported" (00h:210) */
	b->pg[0][P(210)] = (uint8_t)(0xFFu << b->max_media_lanes);
	memcpy(m->mem.lower, lo, sizeof(m->mem.lower));
	uint8_t banks_of[256];
	emu_advertised_pages(lo, b->pg[1], b->pg[0x2F], banks_of);
	for (size_t i = 0; i < nov; i++)
		if (ov[i].page >= 0xB0 && !banks_of[ov[i].page])
			banks_of[ov[i].page] = (uint8_t)(emu_page_banked((uint8_t)ov[i].page) ? b->lanes / 8 : 1);
	int rc = emu_mem_alloc_pages(&m->mem, banks_of);
	if (rc)
		return rc;
	m->mem.nbanks = b->lanes / 8;
	uint8_t cfg[8];
	default_config(b, cfg);
	for (unsigned p = 0; p < 256; p++) {
		for (unsigned bank = 0; bank < banks_of[p]; bank++) {
			uint8_t *pg = emu_mem_page(&m->mem, bank, (uint8_t)p);
			memcpy(pg, b->pg[p], EMU_PAGE_SIZE);
			if (p == 0x10)
				memcpy(&pg[P(145)], cfg, 8); /* SCS0 */
			if (p == 0x11) {
				memset(&pg[P(128)], 0x11, 4); /* DPDeactivated */
				memcpy(&pg[P(206)], cfg, 8);  /* ACS */
			}
		}
	}
	for (size_t i = 0; i < nov; i++) {
		if (ov[i].page == EMU_LOWER) {
			memcpy(&m->mem.lower[ov[i].offset], ov[i].data, ov[i].len);
			continue;
		}
		uint8_t *pg = emu_mem_page(&m->mem, ov[i].bank, (uint8_t)ov[i].page);
		if (!pg || (emu_page_banked((uint8_t)ov[i].page) && ov[i].bank >= banks_of[ov[i].page]))
			return fail(ov[i].view, "page", "page %02Xh bank %u is not advertised by this profile",
				    (unsigned)ov[i].page, ov[i].bank);
		memcpy(&pg[ov[i].offset - 128], ov[i].data, ov[i].len);
	}
	emu_mem_fix_checksums(&m->mem);
	uint8_t *p04 = emu_mem_page(&m->mem, 0, 0x04);
	if (p04)
		p04[P(255)] = emu_page_sum(p04, 128, 254);
	return LB_OK;
}

static int parse_profile(const struct lb_options *root, struct lb_emu_module *m, struct built *b,
			 struct override **ov, size_t *nov)
{
	static const char *const keys[] = { "format", "name", "identity", "lanes",
					    "applications", "default_application", "timing",
					    "capabilities", "monitors", "thresholds", "pages",
					    "power_on", NULL };
	static const char *const pkeys[] = { "lpmode_pin", NULL };
	int rc;
	const char *fmt, *name;
	if ((rc = lb_options_get_object(root, NULL, &root)) || (rc = check_keys(root, keys)))
		return rc;
	enum lb_options_type ft = lb_options_type(root, "format");
	if (ft != LB_OPTIONS_ABSENT &&
	    (ft != LB_OPTIONS_STRING || lb_options_get_string(root, "format", "", &fmt) ||
	     strcmp(fmt, "lightbridge-emu-profile/1")))
		return fail(root, "format", "must be \"lightbridge-emu-profile/1\"");
	unsigned long long lanes = 8;
	if ((rc = get_uint(root, "lanes", 8, 32, false, 8, &lanes)))
		return rc;
	if (lanes != 8 && lanes != 16 && lanes != 32)
		return fail(root, "lanes", "must be 8, 16 or 32 (8 per bank)");
	b->lanes = (unsigned)lanes;
	if (lb_options_has(root, "name")) {
		if (lb_options_type(root, "name") != LB_OPTIONS_STRING ||
		    lb_options_get_string(root, "name", "", &name) || !*name)
			return fail(root, "name", "must be a non-empty string");
		snprintf(m->name, sizeof(m->name), "%s", name);
	} else {
		snprintf(m->name, sizeof(m->name), "%s", emu_basename(lb_options_origin(root)));
		char *dot = strrchr(m->name, '.');
		if (dot)
			*dot = '\0';
	}
	if ((rc = parse_identity(root, b)) || (rc = parse_apps(root, b)) || (rc = parse_caps(root, b)) ||
	    (rc = parse_timing(root, b)) || (rc = parse_monitors(root, b)))
		return rc;
	const struct lb_options *po;
	if ((rc = lb_options_get_object(root, "power_on", &po)) || (rc = check_keys(po, pkeys)) ||
	    (rc = lb_options_get_bool(po, "lpmode_pin", true, &b->lpmode_pin)))
		return rc;
	if ((rc = parse_overrides(root, ov, nov)))
		return rc;
	return build_memory(m, b, *ov, *nov);
}

int emu_profile_load(struct lb_emu_module *m, const char *path, char *err, size_t errlen)
{
	struct lb_options *doc;
	int rc = lb_options_load(path, &doc, err, errlen);
	if (rc)
		return rc;
	struct built *b = calloc(1, sizeof(*b));
	struct override *ov = NULL;
	size_t nov = 0;
	rc = b ? parse_profile(doc, m, b, &ov, &nov) : LB_E_NOMEM;
	if (rc == LB_OK) {
		m->timing = b->timing;
		m->cdb_model = b->cdb_model;
		m->lpmode = b->lpmode_pin;
	} else if (lb_options_error(doc)[0]) {
		/* Every refusal of the profile's content is a parse error, whatever the field. */
		emu_errf(err, errlen, "%s", lb_options_error(doc));
		rc = LB_E_PARSE;
	}
	free(ov);
	free(b);
	lb_options_free(doc);
	return rc;
}
