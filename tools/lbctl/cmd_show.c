/* SPDX-License-Identifier: MIT */
/*
 * lbctl show PORT: everything the library decodes about one module, laid out like
 * `ethtool -m` (key : value lines, then tables for applications, lanes and monitors), or one
 * JSON object. lbctl_print_module() is shared with `decode`.
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

#define KEY_WIDTH 42

static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl show PORT [--json]\n\n"
		"Decode the module in PORT (a port number or name, see lbctl list): identity and\n"
		"page checksums, advertised applications with their SFF-8024 names, per-lane\n"
		"data-path state, configuration status and active AppSel, monitors with their\n"
		"thresholds, and the latched flags. Reading the flags clears them in the module\n"
		"(CMIS clear-on-read), so each flag is shown by exactly one show or poll; on the\n"
		"emulated platform show saves nothing, so the next lbctl sees them latched again.\n"
		"--json prints one JSON object instead.\n");
	return LBCTL_EXIT_OK;
}

/* ---- text helpers ---- */

static void kv(struct lbctl *app, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void kv(struct lbctl *app, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(app->out, "\t%-*s: ", KEY_WIDTH, key);
	va_start(ap, fmt);
	vfprintf(app->out, fmt, ap);
	va_end(ap);
	fputc('\n', app->out);
}

/* 00h:212, CMIS Table 8-40 (names for the codes the reference confirms). */
static const char *media_technology_name(uint8_t code)
{
	static const char *const names[] = {
		"850 nm VCSEL", "1310 nm VCSEL", "1550 nm VCSEL", "1310 nm FP", "1310 nm DFB",
		"1550 nm DFB", "1310 nm EML", "1550 nm EML", "Others", "1490 nm DFB",
		"Copper cable, unequalized", "Copper cable, passive equalized",
		"Copper cable, near and far end limiting active equalizers",
		"Copper cable, far end limiting active equalizers",
		"Copper cable, near end limiting active equalizers",
		"Copper cable, linear active equalizers", "C-band tunable laser",
		"L-band tunable laser",
	};
	return code < sizeof(names) / sizeof(names[0]) ? names[code] : "reserved";
}

static const char *mci_speed_name(uint8_t code)
{
	switch (code) {
	case 0: return "400 kHz";
	case 1: return "1 MHz";
	case 2: return "3.4 MHz";
	default: return "reserved";
	}
}

/* "high alarm, low warning" for LB_FLAG_* bits, or "none". */
static const char *flag_words(uint8_t f, char *buf, size_t n)
{
	static const char *const w[4] = { "high alarm", "low alarm", "high warning", "low warning" };
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++)
		if (f & (1u << i))
			at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? ", " : "", w[i]);
	if (!at)
		snprintf(buf, n, "none");
	return buf;
}

/* Short form for the lane table: "HA LW", or "-". */
static const char *flag_short(uint8_t f, char *buf, size_t n)
{
	static const char *const w[4] = { "HA", "LA", "HW", "LW" };
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 4; i++)
		if (f & (1u << i))
			at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s", at ? " " : "", w[i]);
	if (!at)
		snprintf(buf, n, "-");
	return buf;
}

/* "1,3,8" for a lane mask, or "none". */
static const char *lane_list(uint32_t mask, char *buf, size_t n)
{
	size_t at = 0;

	buf[0] = '\0';
	for (unsigned i = 0; i < 32; i++)
		if (mask & (1u << i))
			at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%u", at ? "," : "", i + 1);
	if (!at)
		snprintf(buf, n, "none");
	return buf;
}

/* v with prec decimals and an optional unit, or "n/a" for a monitor the module lacks. */
static const char *num(double v, int prec, const char *unit, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.*f%s%s", prec, v, unit[0] ? " " : "", unit);
	return buf;
}

static const char *mw_dbm(double mw, char *buf, size_t n)
{
	if (isnan(mw))
		snprintf(buf, n, "n/a");
	else
		snprintf(buf, n, "%.4f mW / %.2f dBm", mw, lb_mw_to_dbm(mw));
	return buf;
}

/* ---- what one module shows ---- */

struct shown {
	int id_rc, apps_rc, state_rc, lanes_rc, mon_rc, thr_rc;
	struct lb_module_identity id;
	struct lb_app_list apps;
	enum lb_module_state state;
	struct lb_lane_status lanes;
	struct lb_module_monitors mon;
	struct lb_module_thresholds thr;
};

/* Read everything once, in a fixed order; the flags are cleared by this single poll. */
static void collect(struct lb_module *m, struct shown *s)
{
	memset(s, 0, sizeof(*s));
	s->id.size = sizeof(s->id);
	s->lanes.size = sizeof(s->lanes);
	s->mon.size = sizeof(s->mon);
	s->thr.size = sizeof(s->thr);
	s->id_rc = lb_module_get_identity(m, &s->id);
	if (s->id_rc != LB_OK && s->id_rc != LB_E_CHECKSUM)
		return;
	s->apps_rc = lb_module_get_apps(m, &s->apps);
	s->state_rc = lb_module_get_state(m, &s->state);
	s->lanes_rc = lb_module_get_lane_status(m, &s->lanes);
	s->mon_rc = lb_module_get_monitors(m, &s->mon);
	s->thr_rc = s->id.flat_memory ? LB_E_NOTSUP : lb_module_get_thresholds(m, &s->thr);
}

static void print_checksum(struct lbctl *app, const char *key, bool ok, uint8_t stored,
			   uint8_t computed)
{
	if (ok)
		kv(app, key, "0x%02x (OK)", stored);
	else
		kv(app, key, "stored 0x%02x, computed 0x%02x (MISMATCH)", stored, computed);
}

static void print_identity(struct lbctl *app, const struct shown *s)
{
	const struct lb_module_identity *id = &s->id;

	kv(app, "Identifier", "0x%02x (%s)", id->identifier,
	   lb_sff8024_identifier_name(id->identifier));
	kv(app, "CMIS revision", "%u.%u", id->cmis_major, id->cmis_minor);
	if (id->flat_memory)
		kv(app, "Memory model", "flat (lower memory and page 00h only)");
	else
		kv(app, "Memory model", "paged, %u lane bank%s", id->lane_banks,
		   id->lane_banks == 1 ? "" : "s");
	kv(app, "Vendor name", "%s", id->vendor_name);
	kv(app, "Vendor OUI", "%02x:%02x:%02x", id->vendor_oui[0], id->vendor_oui[1],
	   id->vendor_oui[2]);
	kv(app, "Vendor PN", "%s", id->part_number);
	kv(app, "Vendor rev", "%s", id->revision);
	kv(app, "Vendor SN", "%s", id->serial_number);
	kv(app, "Date code", "%s", id->date_code);
	if (id->clei[0])
		kv(app, "CLEI code", "%s", id->clei);
	kv(app, "Power class", "%u", id->power_class);
	kv(app, "Max power", "%.2f W", id->max_power_w);
	kv(app, "Connector", "0x%02x (%s)", id->connector, lb_sff8024_connector_name(id->connector));
	kv(app, "Media type", "0x%02x (%s)", id->media_type, lb_cmis_media_type_name(id->media_type));
	kv(app, "Media interface technology", "0x%02x (%s)", id->media_technology,
	   media_technology_name(id->media_technology));
	kv(app, "Active firmware", "%u.%u", id->fw_active_major, id->fw_active_minor);
	if (!id->flat_memory) {
		kv(app, "Inactive firmware", "%u.%u", id->fw_inactive_major, id->fw_inactive_minor);
		kv(app, "Hardware revision", "%u.%u", id->hw_major, id->hw_minor);
		kv(app, "Full-page reads", "%s", id->full_page_read ? "yes" : "no (8-byte reads)");
		kv(app, "Tunable transmitter", "%s", id->tunable ? "yes" : "no");
		kv(app, "Coherent (C-CMIS) pages", "%s", id->coherent_pages ? "yes" : "no");
	}
	kv(app, "Max management clock", "%s", mci_speed_name(id->mci_max_speed));
	print_checksum(app, "Page 00h checksum", id->page00_checksum_ok,
		       id->page00_checksum_stored, id->page00_checksum_computed);
	if (!id->flat_memory)
		print_checksum(app, "Page 01h checksum", id->page01_checksum_ok,
			       id->page01_checksum_stored, id->page01_checksum_computed);
	if (s->state_rc == LB_OK)
		kv(app, "Module state", "%s", lb_module_state_name((int)s->state));
	else
		kv(app, "Module state", "unreadable (%s)", lb_strerror(s->state_rc));
}

static void print_apps(struct lbctl *app, const struct shown *s)
{
	char h[64], md[64];

	if (s->apps_rc) {
		kv(app, "Applications", "unreadable (%s)", lb_strerror(s->apps_rc));
		return;
	}
	kv(app, "Applications", "%u advertised", s->apps.count);
	for (unsigned i = 0; i < s->apps.count; i++) {
		const struct lb_app *a = &s->apps.app[i];
		fprintf(app->out, "\t  AppSel %-2u host  0x%02x %s, %u lane%s, may start on lane %s\n",
			a->appsel, a->host_id, a->host_name, a->host_lanes, a->host_lanes == 1 ? "" : "s",
			lane_list(a->host_lane_options, h, sizeof(h)));
		fprintf(app->out, "\t            media 0x%02x %s, %u lane%s, may start on lane %s\n",
			a->media_id, a->media_name, a->media_lanes, a->media_lanes == 1 ? "" : "s",
			a->media_lane_options ? lane_list(a->media_lane_options, md, sizeof(md))
					      : "(not advertised)");
	}
}

/* "DPActivated", or a reserved code with its value: "reserved (0x9)". */
static const char *dp_state_text(uint8_t code, char *buf, size_t len)
{
	if (code >= LB_DP_STATE_DEACTIVATED && code <= LB_DP_STATE_INITIALIZED)
		return lb_dp_state_name(code);
	snprintf(buf, len, "reserved (0x%x)", code);
	return buf;
}

static void print_lanes(struct lbctl *app, const struct shown *s)
{
	if (s->lanes_rc == LB_E_NOTSUP)
		return;
	if (s->lanes_rc) {
		kv(app, "Host lanes", "unreadable (%s)", lb_strerror(s->lanes_rc));
		return;
	}
	kv(app, "Host lanes", "%u", s->lanes.lanes);
	fprintf(app->out, "\t  %-4s %-14s %-30s %-6s %-4s %s\n", "Lane", "DP state", "Config status",
		"AppSel", "DPID", "Controls");
	for (unsigned l = 0; l < s->lanes.lanes; l++) {
		char ctl[64], dp[24];
		snprintf(ctl, sizeof(ctl), "%s%s%s", s->lanes.dp_deinit[l] ? "DPDeinit " : "",
			 s->lanes.tx_disabled[l] ? "TxDisabled " : "",
			 s->lanes.dp_init_pending[l] ? "DPInitPending" : "");
		fprintf(app->out, "\t  %-4u %-14s %-30s %-6u %-4u %s\n", l + 1,
			dp_state_text(s->lanes.dp_state[l], dp, sizeof(dp)),
			lb_config_status_name(s->lanes.config_status[l]), s->lanes.active_appsel[l],
			s->lanes.active_dpid[l], ctl[0] ? ctl : "-");
	}
}

static void print_threshold_row(struct lbctl *app, const char *name, const struct lb_threshold *t,
				int prec, bool dbm)
{
	double v[4] = { t->high_alarm, t->low_alarm, t->high_warn, t->low_warn };
	char b[4][24];

	for (unsigned i = 0; i < 4; i++)
		num(dbm ? lb_mw_to_dbm(v[i]) : v[i], prec, "", b[i], sizeof(b[i]));
	fprintf(app->out, "\t  %-18s %12s %12s %12s %12s\n", name, b[0], b[1], b[2], b[3]);
}

static void print_monitors(struct lbctl *app, const struct shown *s)
{
	const struct lb_module_monitors *mon = &s->mon;
	char a[64], b[64], c[64], d[64];

	if (s->mon_rc) {
		kv(app, "Monitors", "unreadable (%s)", lb_strerror(s->mon_rc));
		return;
	}
	kv(app, "Module temperature", "%s", num(mon->temperature_c, 2, "degrees C", a, sizeof(a)));
	kv(app, "Module voltage", "%s", num(mon->vcc_v, 4, "V", a, sizeof(a)));
	kv(app, "Module temperature flags", "%s", flag_words(mon->temperature_flags, a, sizeof(a)));
	kv(app, "Module voltage flags", "%s", flag_words(mon->vcc_flags, a, sizeof(a)));
	kv(app, "Module flags (byte 8)", "0x%02x%s", mon->module_flags,
	   mon->module_state_changed ? " (ModuleStateChanged)" : "");
	if (mon->lanes) {
		kv(app, "Media lanes monitored", "%u", mon->lanes);
		fprintf(app->out, "\t  %-4s %-12s %-24s %-24s %s\n", "Lane", "Tx bias", "Tx power",
			"Rx power", "Flags (bias / Tx / Rx)");
		for (unsigned l = 0; l < mon->lanes; l++) {
			char fb[16], ft[16], fr[16];
			fprintf(app->out, "\t  %-4u %-12s %-24s %-24s %s / %s / %s\n", l + 1,
				num(mon->tx_bias_ma[l], 3, "mA", a, sizeof(a)),
				mw_dbm(mon->tx_power_mw[l], b, sizeof(b)),
				mw_dbm(mon->rx_power_mw[l], c, sizeof(c)),
				flag_short(mon->tx_bias_flags[l], fb, sizeof(fb)),
				flag_short(mon->tx_power_flags[l], ft, sizeof(ft)),
				flag_short(mon->rx_power_flags[l], fr, sizeof(fr)));
		}
		kv(app, "Tx fault", "%s", lane_list(mon->tx_fault, a, sizeof(a)));
		kv(app, "Tx LOS", "%s", lane_list(mon->tx_los, b, sizeof(b)));
		kv(app, "Tx CDR LOL", "%s", lane_list(mon->tx_lol, c, sizeof(c)));
		kv(app, "Rx LOS", "%s", lane_list(mon->rx_los, d, sizeof(d)));
		kv(app, "Rx CDR LOL", "%s", lane_list(mon->rx_lol, a, sizeof(a)));
	}
	if (s->thr_rc == LB_OK) {
		const struct lb_module_thresholds *t = &s->thr;
		fprintf(app->out, "\tThresholds%-10s %12s %12s %12s %12s\n", "", "high alarm",
			"low alarm", "high warn", "low warn");
		print_threshold_row(app, "Temperature (C)", &t->temperature_c, 2, false);
		print_threshold_row(app, "Voltage (V)", &t->vcc_v, 4, false);
		print_threshold_row(app, "Tx bias (mA)", &t->tx_bias_ma, 3, false);
		print_threshold_row(app, "Tx power (dBm)", &t->tx_power_mw, 2, true);
		print_threshold_row(app, "Rx power (dBm)", &t->rx_power_mw, 2, true);
	} else if (s->thr_rc != LB_E_NOTSUP) {
		kv(app, "Thresholds", "unreadable (%s)", lb_strerror(s->thr_rc));
	}
}

/* ---- JSON ---- */

static json_t *jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *jflags(uint8_t f)
{
	static const char *const w[4] = { "high_alarm", "low_alarm", "high_warning", "low_warning" };
	json_t *a = json_array();

	for (unsigned i = 0; i < 4; i++)
		if (f & (1u << i))
			json_array_append_new(a, json_string(w[i]));
	return a;
}

static json_t *jlanes(uint32_t mask)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < 32; i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_integer(i + 1));
	return a;
}

static json_t *jhex(uint8_t v)
{
	char b[8];

	snprintf(b, sizeof(b), "0x%02x", v);
	return json_string(b);
}

static json_t *jthreshold(const struct lb_threshold *t)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "high_alarm", jnum(t->high_alarm), "low_alarm",
			 jnum(t->low_alarm), "high_warning", jnum(t->high_warn), "low_warning",
			 jnum(t->low_warn));
}

static json_t *json_identity(const struct lb_module_identity *id)
{
	char oui[16], rev[8], fw[16], fwi[16], hw[16];

	snprintf(oui, sizeof(oui), "%02x:%02x:%02x", id->vendor_oui[0], id->vendor_oui[1],
		 id->vendor_oui[2]);
	snprintf(rev, sizeof(rev), "%u.%u", id->cmis_major, id->cmis_minor);
	snprintf(fw, sizeof(fw), "%u.%u", id->fw_active_major, id->fw_active_minor);
	snprintf(fwi, sizeof(fwi), "%u.%u", id->fw_inactive_major, id->fw_inactive_minor);
	snprintf(hw, sizeof(hw), "%u.%u", id->hw_major, id->hw_minor);
	json_t *o = json_object();
	json_object_set_new(o, "identifier", json_integer(id->identifier));
	json_object_set_new(o, "identifier_name", json_string(lb_sff8024_identifier_name(id->identifier)));
	json_object_set_new(o, "cmis_revision", json_string(rev));
	json_object_set_new(o, "flat_memory", json_boolean(id->flat_memory));
	json_object_set_new(o, "vendor_name", json_string(id->vendor_name));
	json_object_set_new(o, "vendor_oui", json_string(oui));
	json_object_set_new(o, "part_number", json_string(id->part_number));
	json_object_set_new(o, "revision", json_string(id->revision));
	json_object_set_new(o, "serial_number", json_string(id->serial_number));
	json_object_set_new(o, "date_code", json_string(id->date_code));
	json_object_set_new(o, "clei", json_string(id->clei));
	json_object_set_new(o, "power_class", json_integer(id->power_class));
	json_object_set_new(o, "max_power_w", json_real(id->max_power_w));
	json_object_set_new(o, "connector", json_integer(id->connector));
	json_object_set_new(o, "connector_name", json_string(lb_sff8024_connector_name(id->connector)));
	json_object_set_new(o, "media_type", json_integer(id->media_type));
	json_object_set_new(o, "media_type_name", json_string(lb_cmis_media_type_name(id->media_type)));
	json_object_set_new(o, "media_technology", json_integer(id->media_technology));
	json_object_set_new(o, "media_technology_name",
			    json_string(media_technology_name(id->media_technology)));
	json_object_set_new(o, "firmware_active", json_string(fw));
	json_object_set_new(o, "firmware_inactive", json_string(fwi));
	json_object_set_new(o, "hardware_revision", json_string(hw));
	json_object_set_new(o, "lane_banks", json_integer(id->lane_banks));
	json_object_set_new(o, "full_page_read", json_boolean(id->full_page_read));
	json_object_set_new(o, "tunable", json_boolean(id->tunable));
	json_object_set_new(o, "coherent_pages", json_boolean(id->coherent_pages));
	json_object_set_new(o, "mci_max_speed", json_string(mci_speed_name(id->mci_max_speed)));
	json_object_set_new(o, "page00_checksum",
			    json_pack("{s:b, s:o, s:o}", "ok", id->page00_checksum_ok, "stored",
				      jhex(id->page00_checksum_stored), "computed",
				      jhex(id->page00_checksum_computed)));
	json_object_set_new(o, "page01_checksum",
			    json_pack("{s:b, s:o, s:o}", "ok", id->page01_checksum_ok, "stored",
				      jhex(id->page01_checksum_stored), "computed",
				      jhex(id->page01_checksum_computed)));
	return o;
}

/* ---- plausibility: is this a module at all? ---- */

#define N_CHECKS 10

struct verdict {
	bool plausible;
	bool flat;                       /* one page checksum to judge, not two */
	unsigned failed;                 /* fields that no module would hold */
	const char *field[N_CHECKS];     /* their JSON names */
	const char *words[N_CHECKS];     /* and their names for people */
};

/* Non-empty, and every byte printable (the decoder turns any other byte into '?'). */
static bool plausible_text(const char *t)
{
	if (!*t)
		return false;
	for (; *t; t++)
		if (*t == '?')
			return false;
	return true;
}

/* YYMMDD in the first six characters (CMIS 00h:182-189). */
static bool plausible_date(const char *d)
{
	for (unsigned i = 0; i < 6; i++)
		if (d[i] < '0' || d[i] > '9')
			return false;
	int month = (d[2] - '0') * 10 + (d[3] - '0'), day = (d[4] - '0') * 10 + (d[5] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static bool plausible_apps(const struct shown *s)
{
	if (s->apps_rc != LB_OK || s->apps.count == 0)
		return false;
	for (unsigned i = 0; i < s->apps.count; i++) {
		const struct lb_app *a = &s->apps.app[i];
		if (a->host_lanes < 1 || a->host_lanes > 8 || a->media_lanes > 8)
			return false;
	}
	return true;
}

/*
 * Ten fields any module fills in with meaning. When every page checksum fails (both, or the
 * one of flat memory) and more than half of these make no sense, the bytes are not a module's (random data, another format, a
 * bus answering garbage): the decode is shown, and said to be that.
 */
static void judge(const struct shown *s, struct verdict *v)
{
	const struct lb_module_identity *id = &s->id;
	unsigned banks = id->lane_banks;
	const struct {
		bool ok;
		const char *field, *words;
	} checks[N_CHECKS] = {
		{ id->cmis_major >= 3 && id->cmis_major <= 6, "cmis_revision", "CMIS revision" },
		{ id->flat_memory || banks == 1 || banks == 2 || banks == 4 || banks == 8,
		  "memory_model", "lane banks" },
		{ plausible_text(id->vendor_name), "vendor_name", "vendor name" },
		{ plausible_text(id->part_number), "part_number", "part number" },
		{ plausible_text(id->serial_number), "serial_number", "serial number" },
		{ plausible_date(id->date_code), "date_code", "date code" },
		{ s->state_rc == LB_OK && s->state >= LB_MODULE_STATE_LOW_PWR &&
			  s->state <= LB_MODULE_STATE_FAULT,
		  "module_state", "module state" },
		{ plausible_apps(s), "applications", "applications" },
		{ strcmp(lb_sff8024_connector_name(id->connector), "unknown") != 0, "connector",
		  "connector" },
		{ strcmp(lb_cmis_media_type_name(id->media_type), "unknown") != 0, "media_type",
		  "media type" },
	};
	memset(v, 0, sizeof(*v));
	for (unsigned i = 0; i < N_CHECKS; i++) {
		if (checks[i].ok)
			continue;
		v->field[v->failed] = checks[i].field;
		v->words[v->failed] = checks[i].words;
		v->failed++;
	}
	/* Flat memory has page 00h's checksum alone. */
	v->flat = id->flat_memory;
	bool all_bad = !id->page00_checksum_ok && (id->flat_memory || !id->page01_checksum_ok);
	v->plausible = !(all_bad && 2 * v->failed > N_CHECKS);
}

/* "both page checksums fail and 8 of 10 fields are implausible (CMIS revision, ...)" */
static void verdict_text(const struct verdict *v, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s and %u of %u fields are implausible (",
			 v->flat ? "its page checksum (00h, flat memory) fails"
				 : "both page checksums fail",
			 v->failed, N_CHECKS);
	for (unsigned i = 0; i < v->failed && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%s", i ? ", " : "", v->words[i]);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ")");
}

static json_t *json_module(const struct shown *s, const struct verdict *v, const char *label)
{
	json_t *o = json_object();

	json_object_set_new(o, "source", json_string(label));
	json_t *bad = json_array();
	for (unsigned i = 0; i < v->failed; i++)
		json_array_append_new(bad, json_string(v->field[i]));
	json_object_set_new(o, "verdict", json_pack("{s:b, s:o}", "plausible", v->plausible,
						     "implausible", bad));
	json_object_set_new(o, "identity", json_identity(&s->id));
	json_object_set_new(o, "module_state",
			    s->state_rc ? json_null() : json_string(lb_module_state_name((int)s->state)));
	if (s->apps_rc == LB_OK) {
		json_t *a = json_array();
		for (unsigned i = 0; i < s->apps.count; i++) {
			const struct lb_app *p = &s->apps.app[i];
			json_array_append_new(a, json_pack(
				"{s:i, s:i, s:s, s:i, s:s, s:i, s:i, s:o, s:o}", "appsel", p->appsel,
				"host_id", p->host_id, "host_name", p->host_name, "media_id", p->media_id,
				"media_name", p->media_name, "host_lanes", p->host_lanes, "media_lanes",
				p->media_lanes, "host_start_lanes", jlanes(p->host_lane_options),
				"media_start_lanes", jlanes(p->media_lane_options)));
		}
		json_object_set_new(o, "applications", a);
	}
	if (s->lanes_rc == LB_OK) {
		json_t *a = json_array();
		char dp[24];
		for (unsigned l = 0; l < s->lanes.lanes; l++)
			json_array_append_new(a, json_pack(
				"{s:i, s:s, s:i, s:s, s:i, s:i, s:b, s:b, s:b}", "lane", (int)l + 1,
				"dp_state", dp_state_text(s->lanes.dp_state[l], dp, sizeof(dp)),
				"dp_state_code", (int)s->lanes.dp_state[l], "config_status",
				lb_config_status_name(s->lanes.config_status[l]), "active_appsel",
				s->lanes.active_appsel[l], "active_dpid", s->lanes.active_dpid[l],
				"dp_deinit", s->lanes.dp_deinit[l], "tx_disabled", s->lanes.tx_disabled[l],
				"dp_init_pending", s->lanes.dp_init_pending[l]));
		json_object_set_new(o, "host_lanes", a);
	}
	if (s->mon_rc == LB_OK) {
		const struct lb_module_monitors *m = &s->mon;
		json_t *lanes = json_array();
		for (unsigned l = 0; l < m->lanes; l++) {
			json_t *x = json_object();
			json_object_set_new(x, "lane", json_integer(l + 1));
			json_object_set_new(x, "tx_bias_ma", jnum(m->tx_bias_ma[l]));
			json_object_set_new(x, "tx_power_mw", jnum(m->tx_power_mw[l]));
			json_object_set_new(x, "tx_power_dbm", jnum(lb_mw_to_dbm(m->tx_power_mw[l])));
			json_object_set_new(x, "rx_power_mw", jnum(m->rx_power_mw[l]));
			json_object_set_new(x, "rx_power_dbm", jnum(lb_mw_to_dbm(m->rx_power_mw[l])));
			json_object_set_new(x, "tx_bias_flags", jflags(m->tx_bias_flags[l]));
			json_object_set_new(x, "tx_power_flags", jflags(m->tx_power_flags[l]));
			json_object_set_new(x, "rx_power_flags", jflags(m->rx_power_flags[l]));
			json_array_append_new(lanes, x);
		}
		json_t *mo = json_object();
		json_object_set_new(mo, "temperature_c", jnum(m->temperature_c));
		json_object_set_new(mo, "vcc_v", jnum(m->vcc_v));
		json_object_set_new(mo, "temperature_flags", jflags(m->temperature_flags));
		json_object_set_new(mo, "vcc_flags", jflags(m->vcc_flags));
		json_object_set_new(mo, "module_flags", json_integer(m->module_flags));
		json_object_set_new(mo, "module_state_changed", json_boolean(m->module_state_changed));
		json_object_set_new(mo, "tx_fault_lanes", jlanes(m->tx_fault));
		json_object_set_new(mo, "tx_los_lanes", jlanes(m->tx_los));
		json_object_set_new(mo, "tx_lol_lanes", jlanes(m->tx_lol));
		json_object_set_new(mo, "rx_los_lanes", jlanes(m->rx_los));
		json_object_set_new(mo, "rx_lol_lanes", jlanes(m->rx_lol));
		json_object_set_new(mo, "media_lanes", lanes);
		json_object_set_new(o, "monitors", mo);
	}
	if (s->thr_rc == LB_OK)
		json_object_set_new(o, "thresholds", json_pack(
			"{s:o, s:o, s:o, s:o, s:o}", "temperature_c", jthreshold(&s->thr.temperature_c),
			"vcc_v", jthreshold(&s->thr.vcc_v), "tx_bias_ma", jthreshold(&s->thr.tx_bias_ma),
			"tx_power_mw", jthreshold(&s->thr.tx_power_mw), "rx_power_mw",
			jthreshold(&s->thr.rx_power_mw)));
	return o;
}

int lbctl_print_module(struct lbctl *app, struct lb_module *m, const char *label, bool image)
{
	struct shown *s = malloc(sizeof(*s));

	if (!s)
		return lbctl_fail(app, LB_E_NOMEM, "%s", label);
	collect(m, s);
	if (s->id_rc != LB_OK && s->id_rc != LB_E_CHECKSUM && s->id_rc != LB_E_UNKNOWN_ID) {
		int rc = s->id_rc;
		free(s);
		return lbctl_fail(app, rc, "%s: reading the identity", label);
	}
	if (s->id_rc == LB_E_UNKNOWN_ID) {
		int ex = lbctl_fail(app, LB_E_UNKNOWN_ID, "%s: identifier 0x%02x (%s)", label,
				    s->id.identifier, lb_sff8024_identifier_name(s->id.identifier));
		free(s);
		return ex;
	}
	struct verdict v;
	char why[512];
	judge(s, &v);
	verdict_text(&v, why, sizeof(why));
	const char *what = image ? "module image" : "module";
	if (app->json) {
		json_t *o = json_module(s, &v, label);
		lbctl_show_coherent(app, m, o);
		char *text = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(8));
		fprintf(app->out, "%s\n", text ? text : "{}");
		free(text);
		json_decref(o);
	} else {
		fprintf(app->out, "%s\n", label);
		print_identity(app, s);
		print_apps(app, s);
		print_lanes(app, s);
		print_monitors(app, s);
		lbctl_show_coherent(app, m, NULL);
		if (!v.plausible)
			kv(app, "Verdict", "NOT A PLAUSIBLE %s: %s", image ? "MODULE IMAGE" : "MODULE",
			   why);
	}
	if (s->id_rc == LB_E_CHECKSUM)
		fprintf(app->err, "lbctl: %s: warning: page %s mismatch, decoded anyway\n", label,
			!s->id.page00_checksum_ok && !s->id.page01_checksum_ok
				? "00h and 01h checksums"
				: s->id.page00_checksum_ok ? "01h checksum" : "00h checksum");
	int ex = LBCTL_EXIT_OK;
	if (!v.plausible) {
		fprintf(app->err, "lbctl: %s: not a plausible %s: %s\n", label, what, why);
		ex = image ? LBCTL_EXIT_INPUT : LBCTL_EXIT_ERROR;
	} else if (s->mon_rc) {
		ex = lbctl_fail(app, s->mon_rc, "%s: reading the monitors", label);
	}
	free(s);
	return ex;
}

int lbctl_cmd_show(struct lbctl *app, int argc, char **argv)
{
	if (lbctl_wants_help(argc, argv))
		return usage(app);
	const char *port_arg = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			app->json = true;
		else if (argv[i][0] == '-' || port_arg)
			return lbctl_usage_error(app, "show: unexpected argument '%s'", argv[i]);
		else
			port_arg = argv[i];
	}
	if (!port_arg)
		return lbctl_usage_error(app, "show: expected PORT (see lbctl show --help)");

	struct lb_port_info info;
	struct lb_module *m;
	int ex = lbctl_open_port(app, argv[0], port_arg, &info, &m);
	if (ex)
		return ex;
	char label[128];
	snprintf(label, sizeof(label), "Port %u (%s, %s cage)", info.port, info.name, info.cage);
	return lbctl_print_module(app, m, label, false);
}
