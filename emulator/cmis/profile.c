/* SPDX-License-Identifier: MIT */
/*
 * Module profiles (emulator/profiles/NAME.json, format in docs/emulator.md): identity,
 * applications, timings, capabilities, monitors and thresholds, raw page overrides.
 * A profile is checked strictly: an unknown field, a value out of range or a missing
 * required field refuses it with LB_E_PARSE and "FILE: FIELD: reason".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "emulator/cmis/emu_module.h"

#define P(b) ((b) - 128)

struct pctx {
	const char *file;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct pctx *c, const char *field, const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	emu_errf(c->err, c->errlen, "%s: %s: %s", c->file, field, reason);
	return LB_E_PARSE;
}

static void join(char *out, size_t n, const char *path, const char *key)
{
	if (path && *path)
		snprintf(out, n, "%s.%s", path, key);
	else
		snprintf(out, n, "%s", key);
}

/* Refuse fields that are not in allowed (NULL-terminated); keys starting with '_' are comments. */
static int check_keys(struct pctx *c, json_t *obj, const char *path, const char *const *allowed)
{
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v) {
		(void)v;
		if (key[0] == '_' || !strcmp(key, "comment") || !strcmp(key, "description"))
			continue;
		bool ok = false;
		for (const char *const *a = allowed; *a; a++)
			if (!strcmp(*a, key))
				ok = true;
		if (!ok) {
			char f[160];
			join(f, sizeof(f), path, key);
			return fail(c, f, "unknown field");
		}
	}
	return LB_OK;
}

static int want_object(struct pctx *c, json_t *v, const char *field)
{
	return json_is_object(v) ? LB_OK : fail(c, field, "must be an object");
}

/* An unsigned integer: a JSON integer, or a string "0x1F" / "31". */
static int get_uint(struct pctx *c, json_t *obj, const char *path, const char *key,
		    unsigned long long lo, unsigned long long hi, bool required,
		    unsigned long long dflt, unsigned long long *out)
{
	char f[160];
	join(f, sizeof(f), path, key);
	json_t *v = json_object_get(obj, key);
	*out = dflt;
	if (!v)
		return required ? fail(c, f, "missing") : LB_OK;
	unsigned long long u;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		if (i < 0)
			return fail(c, f, "must be %llu..%llu", lo, hi);
		u = (unsigned long long)i;
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		errno = 0;
		u = strtoull(s, &end, 0);
		if (!*s || *end || errno || s[0] == '-')
			return fail(c, f, "not a number: \"%s\"", s);
	} else {
		return fail(c, f, "must be an integer or a hex string");
	}
	if (u < lo || u > hi)
		return fail(c, f, "%llu out of range %llu..%llu", u, lo, hi);
	*out = u;
	return LB_OK;
}

static int get_u8(struct pctx *c, json_t *obj, const char *path, const char *key, bool required,
		  uint8_t dflt, uint8_t *out)
{
	unsigned long long u;
	int rc = get_uint(c, obj, path, key, 0, 255, required, dflt, &u);
	*out = (uint8_t)u;
	return rc;
}

static int get_num(struct pctx *c, json_t *obj, const char *path, const char *key, double lo,
		   double hi, bool required, double dflt, double *out, bool *present)
{
	char f[160];
	join(f, sizeof(f), path, key);
	json_t *v = json_object_get(obj, key);
	*out = dflt;
	if (present)
		*present = v != NULL;
	if (!v)
		return required ? fail(c, f, "missing") : LB_OK;
	if (!json_is_number(v))
		return fail(c, f, "must be a number");
	double d = json_number_value(v);
	if (!(d >= lo && d <= hi))
		return fail(c, f, "%g out of range %g..%g", d, lo, hi);
	*out = d;
	return LB_OK;
}

static int get_bool(struct pctx *c, json_t *obj, const char *path, const char *key, bool dflt,
		    bool *out)
{
	char f[160];
	join(f, sizeof(f), path, key);
	json_t *v = json_object_get(obj, key);
	*out = dflt;
	if (!v)
		return LB_OK;
	if (!json_is_boolean(v))
		return fail(c, f, "must be true or false");
	*out = json_is_true(v);
	return LB_OK;
}

/* An ASCII field, space padded to n bytes. */
static int get_ascii(struct pctx *c, json_t *obj, const char *path, const char *key, size_t n,
		     bool required, uint8_t *dst)
{
	char f[160];
	join(f, sizeof(f), path, key);
	json_t *v = json_object_get(obj, key);
	memset(dst, ' ', n);
	if (!v)
		return required ? fail(c, f, "missing") : LB_OK;
	if (!json_is_string(v))
		return fail(c, f, "must be a string");
	const char *s = json_string_value(v);
	size_t len = strlen(s);
	if (len > n)
		return fail(c, f, "longer than %zu characters", n);
	for (size_t i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return fail(c, f, "not printable ASCII");
		dst[i] = (uint8_t)s[i];
	}
	return LB_OK;
}

/* "M.m" version into two bytes (major, minor) or one nibble-packed byte. */
static int get_version(struct pctx *c, json_t *obj, const char *path, const char *key,
		       bool required, unsigned max, unsigned *major, unsigned *minor)
{
	char f[160];
	join(f, sizeof(f), path, key);
	json_t *v = json_object_get(obj, key);
	*major = *minor = 0;
	if (!v)
		return required ? fail(c, f, "missing") : LB_OK;
	if (!json_is_string(v))
		return fail(c, f, "must be a string \"major.minor\"");
	const char *s = json_string_value(v);
	char tail;
	if (sscanf(s, "%u.%u%c", major, minor, &tail) != 2 || *major > max || *minor > max)
		return fail(c, f, "\"%s\" is not major.minor (each 0..%u)", s, max);
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
};

static int parse_identity(struct pctx *c, json_t *root, struct built *b)
{
	static const char *const keys[] = {
		"identifier", "cmis_revision", "vendor_name", "vendor_oui", "part_number",
		"vendor_revision", "serial_number", "date_code", "clei", "media_type", "connector",
		"power_class", "max_power_w", "media_technology", "firmware", "inactive_firmware",
		"hardware", "smf_length_km", "nominal_wavelength_nm", "wavelength_tolerance_nm",
		"max_case_temp_c", "min_case_temp_c", NULL,
	};
	json_t *id = json_object_get(root, "identity");
	if (!id)
		return fail(c, "identity", "missing");
	int rc;
	if ((rc = want_object(c, id, "identity")) || (rc = check_keys(c, id, "identity", keys)))
		return rc;
	uint8_t *lo = b->lower, *p0 = b->pg[0x00], *p1 = b->pg[0x01];
	const char *I = "identity";
	unsigned maj, min;
	if ((rc = get_u8(c, id, I, "identifier", true, 0, &lo[0])))
		return rc;
	p0[P(128)] = lo[0];
	if ((rc = get_version(c, id, I, "cmis_revision", true, 15, &maj, &min)))
		return rc;
	if (maj < 4)
		return fail(c, "identity.cmis_revision", "CMIS 4.0 or later is modelled");
	lo[1] = (uint8_t)(maj << 4 | min);
	if ((rc = get_ascii(c, id, I, "vendor_name", 16, true, &p0[P(129)])) ||
	    (rc = get_ascii(c, id, I, "part_number", 16, true, &p0[P(148)])) ||
	    (rc = get_ascii(c, id, I, "vendor_revision", 2, true, &p0[P(164)])) ||
	    (rc = get_ascii(c, id, I, "serial_number", 16, true, &p0[P(166)])) ||
	    (rc = get_ascii(c, id, I, "date_code", 8, true, &p0[P(182)])) ||
	    (rc = get_ascii(c, id, I, "clei", 10, false, &p0[P(190)])))
		return rc;
	json_t *oui = json_object_get(id, "vendor_oui");
	if (oui) {
		unsigned o[3];
		char tail;
		if (!json_is_string(oui) ||
		    sscanf(json_string_value(oui), "%2x:%2x:%2x%c", &o[0], &o[1], &o[2], &tail) != 3)
			return fail(c, "identity.vendor_oui", "must be \"xx:xx:xx\" (hex)");
		for (int i = 0; i < 3; i++)
			p0[P(145) + i] = (uint8_t)o[i];
	}
	if ((rc = get_u8(c, id, I, "media_type", true, 0, &lo[85])) ||
	    (rc = get_u8(c, id, I, "connector", true, 0, &p0[P(203)])) ||
	    (rc = get_u8(c, id, I, "media_technology", true, 0, &p0[P(212)])))
		return rc;
	unsigned long long pc;
	if ((rc = get_uint(c, id, I, "power_class", 1, 8, true, 1, &pc)))
		return rc;
	p0[P(200)] = (uint8_t)((pc - 1) << 5);
	double w;
	if ((rc = get_num(c, id, I, "max_power_w", 0, 63.75, true, 0, &w, NULL)))
		return rc;
	p0[P(201)] = (uint8_t)ceil(w * 4.0 - 1e-9);
	if ((rc = get_version(c, id, I, "firmware", true, 255, &maj, &min)))
		return rc;
	lo[39] = (uint8_t)maj;
	lo[40] = (uint8_t)min;
	if ((rc = get_version(c, id, I, "inactive_firmware", false, 255, &maj, &min)))
		return rc;
	p1[P(128)] = (uint8_t)maj;
	p1[P(129)] = (uint8_t)min;
	if ((rc = get_version(c, id, I, "hardware", true, 255, &maj, &min)))
		return rc;
	p1[P(130)] = (uint8_t)maj;
	p1[P(131)] = (uint8_t)min;
	double km, nm, tol, tmax, tmin;
	bool has;
	if ((rc = get_num(c, id, I, "smf_length_km", 0, 630, false, 0, &km, &has)))
		return rc;
	if (has) /* 6-bit base with a multiplier: 0.1 km, 1 km or 10 km */
		p1[P(132)] = km <= 6.3 ? (uint8_t)lround(km * 10)
			     : km <= 63 ? (uint8_t)(0x40 | lround(km))
					: (uint8_t)(0x80 | lround(km / 10));
	if ((rc = get_num(c, id, I, "nominal_wavelength_nm", 0, 3276.75, false, 0, &nm, NULL)) ||
	    (rc = get_num(c, id, I, "wavelength_tolerance_nm", 0, 327.675, false, 0, &tol, NULL)) ||
	    (rc = get_num(c, id, I, "max_case_temp_c", -128, 127, false, 70, &tmax, NULL)) ||
	    (rc = get_num(c, id, I, "min_case_temp_c", -128, 127, false, 0, &tmin, NULL)))
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

static int parse_apps(struct pctx *c, json_t *root, struct built *b)
{
	static const char *const keys[] = { "host_id", "media_id", "host_lanes", "media_lanes",
					    "host_lane_options", "media_lane_options", NULL };
	json_t *apps = json_object_get(root, "applications");
	if (!apps)
		return fail(c, "applications", "missing");
	if (!json_is_array(apps) || json_array_size(apps) < 1 || json_array_size(apps) > 15)
		return fail(c, "applications", "must be an array of 1 to 15 applications");
	b->napps = (unsigned)json_array_size(apps);
	for (unsigned k = 1; k <= 15; k++) { /* unused descriptors: host ID FFh */
		uint8_t *d = k <= 8 ? &b->lower[86 + 4 * (k - 1)] : &b->pg[1][P(223 + 4 * (k - 9))];
		memset(d, 0, 4);
		d[0] = 0xFF;
	}
	for (unsigned k = 1; k <= b->napps; k++) {
		char path[40];
		snprintf(path, sizeof(path), "applications[%u]", k - 1);
		json_t *a = json_array_get(apps, k - 1);
		int rc;
		if ((rc = want_object(c, a, path)) || (rc = check_keys(c, a, path, keys)))
			return rc;
		uint8_t host, media, hopt, mopt;
		unsigned long long hl, ml;
		if ((rc = get_u8(c, a, path, "host_id", true, 0, &host)) ||
		    (rc = get_u8(c, a, path, "media_id", true, 0, &media)) ||
		    (rc = get_uint(c, a, path, "host_lanes", 1, 8, true, 0, &hl)) ||
		    (rc = get_uint(c, a, path, "media_lanes", 1, 8, true, 0, &ml)) ||
		    (rc = get_u8(c, a, path, "host_lane_options", true, 0, &hopt)) ||
		    (rc = get_u8(c, a, path, "media_lane_options", true, 0, &mopt)))
			return rc;
		char f[80];
		if (host == 0xFF || host == 0x00) {
			snprintf(f, sizeof(f), "%s.host_id", path);
			return fail(c, f, "0x%02x marks an unused descriptor", host);
		}
		if (!lanes_ok((unsigned)hl) || !lanes_ok((unsigned)ml)) {
			snprintf(f, sizeof(f), "%s.%s", path, lanes_ok((unsigned)hl) ? "media_lanes" : "host_lanes");
			return fail(c, f, "must be 1, 2, 4 or 8");
		}
		for (unsigned i = 0; i < 8; i++) {
			if ((((unsigned)hopt >> i) & 1u) && i + hl > 8) {
				snprintf(f, sizeof(f), "%s.host_lane_options", path);
				return fail(c, f, "start lane %u + %llu host lanes runs past lane 8", i + 1, hl);
			}
			if ((((unsigned)mopt >> i) & 1u) && i + ml > 8) {
				snprintf(f, sizeof(f), "%s.media_lane_options", path);
				return fail(c, f, "start lane %u + %llu media lanes runs past lane 8", i + 1, ml);
			}
		}
		if (!hopt || !mopt) {
			snprintf(f, sizeof(f), "%s.%s", path, hopt ? "media_lane_options" : "host_lane_options");
			return fail(c, f, "no start lane allowed");
		}
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
	int rc = get_uint(c, root, "", "default_application", 0, b->napps, false, 1, &da);
	b->default_app = (unsigned)da;
	return rc;
}

static int parse_timing(struct pctx *c, json_t *root, struct built *b)
{
	static const char *const keys[] = { "module_pwr_up", "module_pwr_dn", "dp_init",
					    "dp_deinit", "dp_tx_turn_on", "dp_tx_turn_off",
					    "apply_ms", "reset_ms", NULL };
	static const char *const dkeys[] = { "code", "real_ms", NULL };
	json_t *t = json_object_get(root, "timing");
	if (!t)
		return fail(c, "timing", "missing");
	int rc;
	if ((rc = want_object(c, t, "timing")) || (rc = check_keys(c, t, "timing", keys)))
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
		char path[40];
		snprintf(path, sizeof(path), "timing.%s", d[i].key);
		json_t *o = json_object_get(t, d[i].key);
		if (!o)
			return fail(c, path, "missing");
		if ((rc = want_object(c, o, path)) || (rc = check_keys(c, o, path, dkeys)))
			return rc;
		unsigned long long code;
		double ms;
		if ((rc = get_uint(c, o, path, "code", 0, 13, true, 0, &code)) ||
		    (rc = get_num(c, o, path, "real_ms", 0, 1e9, true, 0, &ms, NULL)))
			return rc;
		uint64_t ns = (uint64_t)llround(ms * 1e6);
		uint64_t max = emu_code_max_ns((unsigned)code);
		if (ns >= max) {
			char f[64];
			snprintf(f, sizeof(f), "%s.real_ms", path);
			return fail(c, f, "%g ms is not below the advertised maximum (code %llu: < %llu ms)",
				    ms, code, (unsigned long long)(max / 1000000u));
		}
		*d[i].real = ns;
		b->pg[1][P(d[i].byte)] |= (uint8_t)(code << d[i].shift);
	}
	double ms;
	if ((rc = get_num(c, t, "timing", "apply_ms", 0, 1e7, false, 10, &ms, NULL)))
		return rc;
	b->timing.apply_ns = (uint64_t)llround(ms * 1e6);
	if ((rc = get_num(c, t, "timing", "reset_ms", 0, 1e7, false, 500, &ms, NULL)))
		return rc;
	b->timing.reset_ns = (uint64_t)llround(ms * 1e6);
	return LB_OK;
}

static int parse_caps(struct pctx *c, json_t *root, struct built *b)
{
	static const char *const keys[] = {
		"paged", "full_page_read", "tunable", "coherent_pages", "vdm", "vdm_groups",
		"diagnostics_pages", "user_eeprom", "mci_max_speed", "stepped_config_only",
		"auto_commissioning", "tx_disable", "tx_force_squelch", "bank_broadcast", "cdb", NULL,
	};
	static const char *const ckeys[] = { "instances", "background_mode", "auto_paging",
					     "epl_pages_code", "rw_length_ext", "trigger_any_write",
					     "byte_165", "byte_166", NULL };
	json_t *cap = json_object_get(root, "capabilities");
	if (!cap)
		return fail(c, "capabilities", "missing");
	int rc;
	const char *C = "capabilities";
	if ((rc = want_object(c, cap, C)) || (rc = check_keys(c, cap, C, keys)))
		return rc;
	bool paged, tunable, coherent, vdm, diag, eeprom, stepped, txdis, sq, bb;
	uint8_t *lo = b->lower, *p1 = b->pg[1];
	if ((rc = get_bool(c, cap, C, "paged", true, &paged)) ||
	    (rc = get_bool(c, cap, C, "tunable", false, &tunable)) ||
	    (rc = get_bool(c, cap, C, "coherent_pages", false, &coherent)) ||
	    (rc = get_bool(c, cap, C, "vdm", false, &vdm)) ||
	    (rc = get_bool(c, cap, C, "diagnostics_pages", false, &diag)) ||
	    (rc = get_bool(c, cap, C, "user_eeprom", false, &eeprom)) ||
	    (rc = get_bool(c, cap, C, "stepped_config_only", true, &stepped)) ||
	    (rc = get_bool(c, cap, C, "tx_disable", true, &txdis)) ||
	    (rc = get_bool(c, cap, C, "tx_force_squelch", false, &sq)) ||
	    (rc = get_bool(c, cap, C, "bank_broadcast", false, &bb)))
		return rc;
	b->paged = paged;
	unsigned long long mci, ac, groups;
	if ((rc = get_uint(c, cap, C, "mci_max_speed", 0, 2, false, 0, &mci)) ||
	    (rc = get_uint(c, cap, C, "auto_commissioning", 0, 2, false, 0, &ac)) ||
	    (rc = get_uint(c, cap, C, "vdm_groups", 1, 4, false, 1, &groups)))
		return rc;
	lo[2] = (uint8_t)((paged ? 0 : 0x80) | (stepped ? 0x40 : 0) | (mci << 2) | (stepped ? ac : 0));
	json_t *fpr = json_object_get(cap, "full_page_read");
	if (!fpr || (json_is_string(fpr) && !strcmp(json_string_value(fpr), "unknown")))
		p1[P(251)] &= 0xFC; /* 00b: unknown (CMIS 5.2 and earlier) */
	else if (json_is_boolean(fpr))
		p1[P(251)] = (uint8_t)((p1[P(251)] & 0xFC) | (json_is_true(fpr) ? 0x2 : 0x1));
	else
		return fail(c, "capabilities.full_page_read", "must be true, false or \"unknown\"");
	unsigned banks = b->lanes / 8;
	p1[P(142)] = (uint8_t)((vdm ? 0x40 : 0) | (diag ? 0x20 : 0) | (coherent ? 0x10 : 0) |
			       (eeprom ? 0x04 : 0) | (banks == 4 ? 2 : banks == 2 ? 1 : 0));
	p1[P(155)] = (uint8_t)((tunable ? 0x40 : 0) | (sq ? 0x08 : 0) | (txdis ? 0x02 : 0));
	p1[P(156)] = (uint8_t)(bb ? 0x80 : 0);
	if (vdm)
		b->pg[0x2F][P(128)] = (uint8_t)(groups - 1);
	json_t *cdb = json_object_get(cap, "cdb");
	if (cdb) {
		const char *D = "capabilities.cdb";
		if ((rc = want_object(c, cdb, D)) || (rc = check_keys(c, cdb, D, ckeys)))
			return rc;
		unsigned long long inst, epl;
		bool bg, ap, any;
		uint8_t ext, b165, b166;
		if ((rc = get_uint(c, cdb, D, "instances", 0, 2, false, 1, &inst)) ||
		    (rc = get_bool(c, cdb, D, "background_mode", false, &bg)) ||
		    (rc = get_bool(c, cdb, D, "auto_paging", false, &ap)) ||
		    (rc = get_uint(c, cdb, D, "epl_pages_code", 0, 7, false, 0, &epl)) ||
		    (rc = get_u8(c, cdb, D, "rw_length_ext", false, 0, &ext)) ||
		    (rc = get_bool(c, cdb, D, "trigger_any_write", false, &any)) ||
		    (rc = get_u8(c, cdb, D, "byte_165", false, 0, &b165)) ||
		    (rc = get_u8(c, cdb, D, "byte_166", false, 0, &b166)))
			return rc;
		p1[P(163)] = (uint8_t)(inst << 6 | (bg ? 0x20 : 0) | (ap ? 0x10 : 0) | epl);
		p1[P(164)] = ext;
		p1[P(165)] = (uint8_t)((b165 & 0x7F) | (any ? 0x80 : 0));
		p1[P(166)] = b166;
	}
	return LB_OK;
}

/* A threshold group: object with high_alarm, low_alarm, high_warning, low_warning. */
static int parse_thr_group(struct pctx *c, json_t *thr, const char *key, double lo, double hi,
			   double (*enc)(double, double), double mult, bool is_signed, uint8_t *dst,
			   bool *present)
{
	static const char *const keys[] = { "high_alarm", "low_alarm", "high_warning",
					    "low_warning", NULL };
	char path[64];
	snprintf(path, sizeof(path), "thresholds.%s", key);
	json_t *g = json_object_get(thr, key);
	*present = g != NULL;
	if (!g)
		return LB_OK;
	int rc;
	if ((rc = want_object(c, g, path)) || (rc = check_keys(c, g, path, keys)))
		return rc;
	for (int i = 0; i < 4; i++) {
		double v;
		if ((rc = get_num(c, g, path, keys[i], lo, hi, true, 0, &v, NULL)))
			return rc;
		double raw = enc(v, mult);
		long r = lround(raw);
		if (is_signed ? (r < -32768 || r > 32767) : (r < 0 || r > 65535)) {
			char f[96];
			snprintf(f, sizeof(f), "%s.%s", path, keys[i]);
			return fail(c, f, "%g does not fit the register", v);
		}
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

static int parse_monitors(struct pctx *c, json_t *root, struct built *b)
{
	static const char *const mkeys[] = { "temperature_c", "vcc_v", "tx_bias_ma", "tx_power_mw",
					     "tx_power_dbm", "rx_power_mw", "rx_power_dbm",
					     "tx_bias_multiplier", NULL };
	static const char *const tkeys[] = { "temperature_c", "vcc_v", "tx_bias_ma",
					     "tx_power_mw", "tx_power_dbm", "rx_power_mw",
					     "rx_power_dbm", NULL };
	json_t *mon = json_object_get(root, "monitors");
	json_t *thr = json_object_get(root, "thresholds");
	int rc;
	uint8_t *lo = b->lower, *p1 = b->pg[1], *p2 = b->pg[2], *p11 = b->pg[0x11];
	unsigned long long mult = 1;
	if (mon) {
		const char *M = "monitors";
		if ((rc = want_object(c, mon, M)) || (rc = check_keys(c, mon, M, mkeys)))
			return rc;
		if ((rc = get_uint(c, mon, M, "tx_bias_multiplier", 1, 4, false, 1, &mult)))
			return rc;
		if (mult == 3)
			return fail(c, "monitors.tx_bias_multiplier", "must be 1, 2 or 4");
		double t, v, bias, txp, rxp;
		bool ht, hv, hb, htm, htd, hrm, hrd;
		if ((rc = get_num(c, mon, M, "temperature_c", -127, 127, false, 0, &t, &ht)) ||
		    (rc = get_num(c, mon, M, "vcc_v", 0, 6.5, false, 0, &v, &hv)) ||
		    (rc = get_num(c, mon, M, "tx_bias_ma", 0, 524, false, 0, &bias, &hb)) ||
		    (rc = get_num(c, mon, M, "tx_power_mw", 0, 6.5535, false, 0, &txp, &htm)) ||
		    (rc = get_num(c, mon, M, "tx_power_dbm", -40, 8.16, false, 0, &txp, &htd)) ||
		    (rc = get_num(c, mon, M, "rx_power_mw", 0, 6.5535, false, 0, &rxp, &hrm)) ||
		    (rc = get_num(c, mon, M, "rx_power_dbm", -40, 8.16, false, 0, &rxp, &hrd)))
			return rc;
		if (htm && htd)
			return fail(c, "monitors.tx_power_dbm", "give tx_power_mw or tx_power_dbm, not both");
		if (hrm && hrd)
			return fail(c, "monitors.rx_power_dbm", "give rx_power_mw or rx_power_dbm, not both");
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
	if (thr) {
		if ((rc = want_object(c, thr, "thresholds")) ||
		    (rc = check_keys(c, thr, "thresholds", tkeys)))
			return rc;
		double bm = (double)mult;
		bool h1, h2;
		if ((rc = parse_thr_group(c, thr, "temperature_c", -128, 128, enc_temp, bm, true, &p2[P(128)], &h1)) ||
		    (rc = parse_thr_group(c, thr, "vcc_v", 0, 6.5535, enc_vcc, bm, false, &p2[P(136)], &h1)) ||
		    (rc = parse_thr_group(c, thr, "tx_bias_ma", 0, 524, enc_bias, bm, false, &p2[P(184)], &h1)) ||
		    (rc = parse_thr_group(c, thr, "tx_power_mw", 0, 6.5535, enc_mw, bm, false, &p2[P(176)], &h1)) ||
		    (rc = parse_thr_group(c, thr, "tx_power_dbm", -40, 8.16, enc_dbm, bm, false, &p2[P(176)], &h2)))
			return rc;
		if (h1 && h2)
			return fail(c, "thresholds.tx_power_dbm", "give tx_power_mw or tx_power_dbm, not both");
		if ((rc = parse_thr_group(c, thr, "rx_power_mw", 0, 6.5535, enc_mw, bm, false, &p2[P(192)], &h1)) ||
		    (rc = parse_thr_group(c, thr, "rx_power_dbm", -40, 8.16, enc_dbm, bm, false, &p2[P(192)], &h2)))
			return rc;
		if (h1 && h2)
			return fail(c, "thresholds.rx_power_dbm", "give rx_power_mw or rx_power_dbm, not both");
	}
	return LB_OK;
}

struct override {
	int page; /* -1 lower */
	unsigned bank, offset;
	uint8_t data[256];
	size_t len;
};

static int parse_overrides(struct pctx *c, json_t *root, struct override **out, size_t *n)
{
	static const char *const keys[] = { "page", "bank", "offset", "hex", NULL };
	json_t *pages = json_object_get(root, "pages");
	*out = NULL;
	*n = 0;
	if (!pages)
		return LB_OK;
	if (!json_is_array(pages))
		return fail(c, "pages", "must be an array");
	size_t cnt = json_array_size(pages);
	struct override *ov = calloc(cnt ? cnt : 1, sizeof(*ov));
	if (!ov)
		return LB_E_NOMEM;
	int rc = LB_OK;
	for (size_t i = 0; i < cnt && !rc; i++) {
		char path[32], f[48];
		snprintf(path, sizeof(path), "pages[%zu]", i);
		json_t *o = json_array_get(pages, i);
		if ((rc = want_object(c, o, path)) || (rc = check_keys(c, o, path, keys)))
			break;
		json_t *pg = json_object_get(o, "page");
		unsigned long long page, bank, off;
		if (json_is_integer(pg) && json_integer_value(pg) == -1) {
			ov[i].page = EMU_LOWER;
		} else {
			if ((rc = get_uint(c, o, path, "page", 0, 255, true, 0, &page)))
				break;
			ov[i].page = (int)page;
		}
		unsigned long long lo = ov[i].page == EMU_LOWER ? 0 : 128;
		unsigned long long hi = ov[i].page == EMU_LOWER ? 127 : 255;
		if ((rc = get_uint(c, o, path, "bank", 0, EMU_MAX_BANKS - 1, false, 0, &bank)) ||
		    (rc = get_uint(c, o, path, "offset", lo, hi, true, 0, &off)))
			break;
		json_t *hex = json_object_get(o, "hex");
		snprintf(f, sizeof(f), "%s.hex", path);
		if (!hex || !json_is_string(hex)) {
			rc = fail(c, f, hex ? "must be a string of hex digits" : "missing");
			break;
		}
		long len = parse_hex(json_string_value(hex), ov[i].data, sizeof(ov[i].data));
		if (len <= 0) {
			rc = fail(c, f, "not an even number of hex digits");
			break;
		}
		if (off + (unsigned long long)len > hi + 1) {
			rc = fail(c, f, "%ld bytes from offset %llu run past byte %llu", len, off, hi);
			break;
		}
		ov[i].bank = (unsigned)bank;
		ov[i].offset = (unsigned)off;
		ov[i].len = (size_t)len;
	}
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

static int build_memory(struct pctx *c, struct lb_emu_module *m, struct built *b,
			const struct override *ov, size_t nov)
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
		char f[32];
		snprintf(f, sizeof(f), "pages[%zu].page", i);
		if (ov[i].page == EMU_LOWER) {
			memcpy(&m->mem.lower[ov[i].offset], ov[i].data, ov[i].len);
			continue;
		}
		uint8_t *pg = emu_mem_page(&m->mem, ov[i].bank, (uint8_t)ov[i].page);
		if (!pg || (emu_page_banked((uint8_t)ov[i].page) && ov[i].bank >= banks_of[ov[i].page]))
			return fail(c, f, "page %02Xh bank %u is not advertised by this profile",
				    (unsigned)ov[i].page, ov[i].bank);
		memcpy(&pg[ov[i].offset - 128], ov[i].data, ov[i].len);
	}
	emu_mem_fix_checksums(&m->mem);
	uint8_t *p04 = emu_mem_page(&m->mem, 0, 0x04);
	if (p04)
		p04[P(255)] = emu_page_sum(p04, 128, 254);
	return LB_OK;
}

int emu_profile_load(struct lb_emu_module *m, const char *path, char *err, size_t errlen)
{
	struct pctx c = { .file = path, .err = err, .errlen = errlen };
	json_error_t jerr;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		FILE *f = fopen(path, "r");
		if (!f) {
			emu_errf(err, errlen, "%s: (file): %s", path, strerror(errno));
			return LB_E_NOTFOUND;
		}
		fclose(f);
		emu_errf(err, errlen, "%s: (json): line %d column %d: %s", path, jerr.line,
			 jerr.column, jerr.text);
		return LB_E_PARSE;
	}
	static const char *const keys[] = { "format", "name", "identity", "lanes",
					    "applications", "default_application", "timing",
					    "capabilities", "monitors", "thresholds", "pages",
					    "power_on", NULL };
	static const char *const pkeys[] = { "lpmode_pin", NULL };
	struct built *b = calloc(1, sizeof(*b));
	struct override *ov = NULL;
	size_t nov = 0;
	int rc = b ? LB_OK : LB_E_NOMEM;
	if (!rc && !json_is_object(root))
		rc = fail(&c, "(root)", "must be an object");
	if (!rc)
		rc = check_keys(&c, root, "", keys);
	json_t *fmt = json_object_get(root, "format");
	if (!rc && fmt && (!json_is_string(fmt) ||
			   strcmp(json_string_value(fmt), "lightbridge-emu-profile/1")))
		rc = fail(&c, "format", "must be \"lightbridge-emu-profile/1\"");
	unsigned long long lanes = 8;
	if (!rc)
		rc = get_uint(&c, root, "", "lanes", 8, 32, false, 8, &lanes);
	if (!rc && lanes != 8 && lanes != 16 && lanes != 32)
		rc = fail(&c, "lanes", "must be 8, 16 or 32 (8 per bank)");
	if (!rc) {
		b->lanes = (unsigned)lanes;
		json_t *name = json_object_get(root, "name");
		if (name && (!json_is_string(name) || !*json_string_value(name)))
			rc = fail(&c, "name", "must be a non-empty string");
		else if (name)
			snprintf(m->name, sizeof(m->name), "%s", json_string_value(name));
		else {
			snprintf(m->name, sizeof(m->name), "%s", emu_basename(path));
			char *dot = strrchr(m->name, '.');
			if (dot)
				*dot = '\0';
		}
	}
	if (!rc)
		rc = parse_identity(&c, root, b);
	if (!rc)
		rc = parse_apps(&c, root, b);
	if (!rc)
		rc = parse_caps(&c, root, b);
	if (!rc)
		rc = parse_timing(&c, root, b);
	if (!rc)
		rc = parse_monitors(&c, root, b);
	if (!rc) {
		json_t *po = json_object_get(root, "power_on");
		b->lpmode_pin = true;
		if (po && !(rc = want_object(&c, po, "power_on")) &&
		    !(rc = check_keys(&c, po, "power_on", pkeys)))
			rc = get_bool(&c, po, "power_on", "lpmode_pin", true, &b->lpmode_pin);
	}
	if (!rc)
		rc = parse_overrides(&c, root, &ov, &nov);
	if (!rc)
		rc = build_memory(&c, m, b, ov, nov);
	if (!rc) {
		m->timing = b->timing;
		m->lpmode = b->lpmode_pin;
	}
	free(ov);
	free(b);
	json_decref(root);
	return rc;
}
