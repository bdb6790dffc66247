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


static int usage(struct lbctl *app)
{
	fprintf(app->out,
		"usage: lbctl show PORT [--brief] [--section LIST] [--json]\n\n"
		"Decode the module in PORT (a port number or name, see lbctl list): identity and\n"
		"page checksums, advertised applications with their SFF-8024 names, per-lane\n"
		"data-path state, configuration status and active AppSel, monitors with their\n"
		"thresholds, and the latched flags. Reading the flags clears them in the module\n"
		"(CMIS clear-on-read), so each flag is shown by exactly one show or poll; on the\n"
		"emulated platform show saves nothing, so the next lbctl sees them latched again.\n"
		"  --brief         a summary: who the module is, its state, its lanes grouped by\n"
		"                  state, temperature, voltage and how many flags are raised\n"
		"  --section LIST  only these sections, comma-separated: identity, apps, lanes,\n"
		"                  monitors, thresholds, flags (also for --json)\n"
		"  --json          one JSON object instead (docs/lbctl.md, \"JSON output\")\n"
		"Text fits 80 columns (or a wider terminal); abbreviations have a legend.\n");
	return LBCTL_EXIT_OK;
}

/* ---- sections ---- */

enum {
	SEC_IDENTITY = 1u << 0,
	SEC_APPS = 1u << 1,
	SEC_LANES = 1u << 2,
	SEC_MONITORS = 1u << 3,
	SEC_THRESHOLDS = 1u << 4,
	SEC_FLAGS = 1u << 5,
	SEC_COHERENT = 1u << 6, /* laser, Tx power and VDM of coherent or tunable modules */
	SEC_ALL = (1u << 7) - 1,
};
static const char *const section_names[] = { "identity", "apps", "lanes", "monitors",
					     "thresholds", "flags", "coherent" };

/* "identity,lanes" into a mask of SEC_*; false (and the bad name in bad) for a name that is not one. */
static bool parse_sections(const char *list, unsigned *mask, char *bad, size_t len)
{
	*mask = 0;
	while (*list) {
		size_t n = strcspn(list, ",");
		unsigned bit = 0;
		for (unsigned i = 0; i < sizeof(section_names) / sizeof(section_names[0]); i++)
			if (strlen(section_names[i]) == n && strncmp(section_names[i], list, n) == 0)
				bit = 1u << i;
		if (!bit || (*mask & bit)) {
			snprintf(bad, len, "%.*s", (int)n, list);
			return false;
		}
		*mask |= bit;
		list += n;
		if (*list == ',' && !*++list) {
			snprintf(bad, len, "%s", "");
			return false;
		}
	}
	return *mask != 0;
}

/* ---- text helpers ---- */

#define kv lbctl_kv

/* A heading line of a table or a list under a section: "  text", wrapped. */
static void line(struct lbctl *app, unsigned indent, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void line(struct lbctl *app, unsigned indent, const char *fmt, ...)
{
	char text[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	fprintf(app->out, "%*s", 2, "");
	lbctl_wrap(app, 2, indent, text);
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

/* ---- what one module shows ---- */

struct shown {
	int id_rc, apps_rc, state_rc, lanes_rc, mon_rc, thr_rc;
	bool no01, no02, no10, no11; /* decode: the image lacks the page (lbctl_image_lacks) */
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
	else if (s->no01)
		kv(app, "Memory model", "paged (lane banks: no 01h)");
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
	if (!id->flat_memory && s->no01) {
		kv(app, "Page 01h fields", "page 01h: not in the image");
	} else if (!id->flat_memory) {
		kv(app, "Inactive firmware", "%u.%u", id->fw_inactive_major, id->fw_inactive_minor);
		kv(app, "Hardware revision", "%u.%u", id->hw_major, id->hw_minor);
		kv(app, "Full-page reads", "%s", id->full_page_read ? "yes" : "no (8-byte reads)");
		kv(app, "Tunable transmitter", "%s", id->tunable ? "yes" : "no");
		kv(app, "Coherent (C-CMIS) pages", "%s", id->coherent_pages ? "yes" : "no");
	}
	kv(app, "Max management clock", "%s", mci_speed_name(id->mci_max_speed));
	print_checksum(app, "Page 00h checksum", id->page00_checksum_ok,
		       id->page00_checksum_stored, id->page00_checksum_computed);
	if (!id->flat_memory && s->no01)
		kv(app, "Page 01h checksum", "page 01h: not in the image");
	else if (!id->flat_memory)
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
		fprintf(app->out, "  AppSel %-2u host  ", a->appsel);
		char text[256];
		snprintf(text, sizeof(text), "0x%02x %s, %u lane%s, starts on lane %s", a->host_id,
			 a->host_name, a->host_lanes, a->host_lanes == 1 ? "" : "s",
			 lane_list(a->host_lane_options, h, sizeof(h)));
		lbctl_wrap(app, 18, 23, text);
		fprintf(app->out, "%12smedia ", "");
		snprintf(text, sizeof(text), "0x%02x %s, %u lane%s, starts on lane %s", a->media_id,
			 a->media_name, a->media_lanes, a->media_lanes == 1 ? "" : "s",
			 a->media_lane_options ? lane_list(a->media_lane_options, md, sizeof(md))
					       : s->no01 ? "? (no page 01h)"
							 : "(not advertised)");
		lbctl_wrap(app, 18, 23, text);
	}
	if (s->no01)
		kv(app, "Applications 9-15", "page 01h: not in the image");
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
	if (s->no11) {
		kv(app, "Host lanes", "page 11h: not in the image");
		return;
	}
	if (s->lanes_rc) {
		kv(app, "Host lanes", "unreadable (%s)", lb_strerror(s->lanes_rc));
		return;
	}
	kv(app, "Host lanes", "%u", s->lanes.lanes);
	/* 2 + 4 + 1 + 15 + 1 + 29 + 1 + 3 + 1 + 4 + 1 = 62 columns, 18 for the controls */
	fprintf(app->out, "  %-4s %-15s %-29s %-3s %-4s %s\n", "Lane", "DP state", "Config status",
		"App", "DPID", "Controls");
	bool legend = false;
	for (unsigned l = 0; l < s->lanes.lanes; l++) {
		char ctl[64], dp[24], cs[32];
		snprintf(ctl, sizeof(ctl), "%s%s%s", s->lanes.dp_deinit[l] ? "Deinit " : "",
			 s->lanes.tx_disabled[l] ? "TxDis " : "",
			 s->lanes.dp_init_pending[l] ? "Pend" : "");
		legend |= ctl[0] != '\0';
		fprintf(app->out, "  %-4u %-15s %-29s %-3u %-4u %s\n", l + 1,
			dp_state_text(s->lanes.dp_state[l], dp, sizeof(dp)),
			lbctl_fit(lb_config_status_name(s->lanes.config_status[l]), 29, cs, sizeof(cs)),
			s->lanes.active_appsel[l], s->lanes.active_dpid[l],
			s->no10 ? "?" : ctl[0] ? ctl : "-");
	}
	line(app, 4, "App = active AppSel%s", legend ? "; Deinit = DPDeinit set, TxDis = Tx "
						      "output disabled, Pend = DPInitPending"
						    : "");
	if (s->no10)
		kv(app, "Lane controls", "page 10h: not in the image");
}

static void print_threshold_row(struct lbctl *app, const char *name, const struct lb_threshold *t,
				int prec, bool dbm)
{
	double v[4] = { t->high_alarm, t->low_alarm, t->high_warn, t->low_warn };
	char b[4][24];

	for (unsigned i = 0; i < 4; i++)
		num(dbm ? lb_mw_to_dbm(v[i]) : v[i], prec, "", b[i], sizeof(b[i]));
	fprintf(app->out, "  %-18s %12s %12s %12s %12s\n", name, b[0], b[1], b[2], b[3]);
}

static void print_thresholds(struct lbctl *app, const struct shown *s)
{
	if (s->thr_rc == LB_OK && s->no02) {
		kv(app, "Thresholds", "page 02h: not in the image");
	} else if (s->thr_rc == LB_OK) {
		const struct lb_module_thresholds *t = &s->thr;
		fprintf(app->out, "  %-18s %12s %12s %12s %12s\n", "Thresholds", "high alarm",
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

/* "  %7s" of v with prec decimals, or "n/a". */
static const char *cell(double v, int prec, char *buf, size_t n)
{
	return num(v, prec, "", buf, n);
}

static void print_monitors(struct lbctl *app, const struct shown *s)
{
	const struct lb_module_monitors *mon = &s->mon;
	char a[64];

	if (s->mon_rc) {
		kv(app, "Monitors", "unreadable (%s)", lb_strerror(s->mon_rc));
		return;
	}
	/* Not advertised reads as n/a; the advertisement is in page 01h. */
	const char *no01 = "page 01h: not in the image";
	kv(app, "Module temperature", "%s", s->no01 && isnan(mon->temperature_c) ? no01
		: num(mon->temperature_c, 2, "degrees C", a, sizeof(a)));
	kv(app, "Module voltage", "%s", s->no01 && isnan(mon->vcc_v) ? no01
		: num(mon->vcc_v, 4, "V", a, sizeof(a)));
	if (!mon->lanes)
		return;
	if (s->no11) {
		kv(app, "Media lane monitors", "page 11h: not in the image");
		return;
	}
	kv(app, "Media lanes monitored", "%u", mon->lanes);
	fprintf(app->out, "  %-4s %9s %9s %8s %9s %8s\n", "Lane", "Bias mA", "Tx mW", "Tx dBm",
		"Rx mW", "Rx dBm");
	for (unsigned l = 0; l < mon->lanes; l++) {
		char b[5][24];
		double tx = mon->tx_power_mw[l], rx = mon->rx_power_mw[l];
		fprintf(app->out, "  %-4u %9s %9s %8s %9s %8s\n", l + 1,
			cell(mon->tx_bias_ma[l], 3, b[0], sizeof(b[0])), cell(tx, 4, b[1], sizeof(b[1])),
			cell(isnan(tx) ? tx : lb_mw_to_dbm(tx), 2, b[2], sizeof(b[2])),
			cell(rx, 4, b[3], sizeof(b[3])),
			cell(isnan(rx) ? rx : lb_mw_to_dbm(rx), 2, b[4], sizeof(b[4])));
	}
}

/* "Tx power high warning, Rx power low alarm" for one lane's flags, "" for none. */
static void lane_flag_words(const struct lb_module_monitors *mon, unsigned l, char *buf, size_t n)
{
	const struct {
		const char *what;
		uint8_t f;
	} q[3] = { { "Tx bias", mon->tx_bias_flags[l] },
		   { "Tx power", mon->tx_power_flags[l] },
		   { "Rx power", mon->rx_power_flags[l] } };
	size_t at = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 3; i++) {
		char w[64];
		if (!q[i].f)
			continue;
		at += (size_t)snprintf(buf + at, at < n ? n - at : 0, "%s%s %s", at ? "; " : "",
				       q[i].what, flag_words(q[i].f, w, sizeof(w)));
	}
}

/* Every latched flag spelled out; lanes without any are not listed. */
static void print_flags(struct lbctl *app, const struct shown *s)
{
	const struct lb_module_monitors *mon = &s->mon;
	char a[64], b[256];

	if (s->mon_rc) {
		kv(app, "Flags", "unreadable (%s)", lb_strerror(s->mon_rc));
		return;
	}
	kv(app, "Module temperature flags", "%s", flag_words(mon->temperature_flags, a, sizeof(a)));
	kv(app, "Module voltage flags", "%s", flag_words(mon->vcc_flags, a, sizeof(a)));
	kv(app, "Module flags (byte 8)", "0x%02x%s", mon->module_flags,
	   mon->module_state_changed ? " (ModuleStateChanged)" : "");
	if (!mon->lanes)
		return;
	if (s->no11) {
		kv(app, "Lane flags", "page 11h: not in the image");
		return;
	}
	unsigned raised = 0;
	for (unsigned l = 0; l < mon->lanes; l++) {
		lane_flag_words(mon, l, b, sizeof(b));
		if (!b[0])
			continue;
		char key[32];
		snprintf(key, sizeof(key), "Lane %u flags", l + 1);
		kv(app, key, "%s", b);
		raised++;
	}
	if (!raised)
		kv(app, "Lane flags", "none on %u lane%s", mon->lanes, mon->lanes == 1 ? "" : "s");
	kv(app, "Tx fault", "%s", lane_list(mon->tx_fault, b, sizeof(b)));
	kv(app, "Tx LOS", "%s", lane_list(mon->tx_los, b, sizeof(b)));
	kv(app, "Tx CDR LOL", "%s", lane_list(mon->tx_lol, b, sizeof(b)));
	kv(app, "Rx LOS", "%s", lane_list(mon->rx_los, b, sizeof(b)));
	kv(app, "Rx CDR LOL", "%s", lane_list(mon->rx_lol, b, sizeof(b)));
}

static unsigned popcount(unsigned v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Flags raised in one poll: each latched flag bit and each lane of a LOS/LOL/fault list. */
static unsigned flags_raised(const struct lb_module_monitors *mon)
{
	unsigned n = popcount(mon->temperature_flags) + popcount(mon->vcc_flags);
	for (unsigned l = 0; l < mon->lanes; l++)
		n += popcount(mon->tx_bias_flags[l]) + popcount(mon->tx_power_flags[l]) +
		     popcount(mon->rx_power_flags[l]);
	return n + popcount(mon->tx_fault) + popcount(mon->tx_los) + popcount(mon->tx_lol) +
	       popcount(mon->rx_los) + popcount(mon->rx_lol);
}

/* --brief: who, state, lanes grouped by state, temperature and voltage, flags raised. */
static void print_brief(struct lbctl *app, const struct shown *s)
{
	const struct lb_module_identity *id = &s->id;
	char a[64], b[64];

	kv(app, "Module", "%s %s (SN %s), CMIS %u.%u", id->vendor_name, id->part_number,
	   id->serial_number, id->cmis_major, id->cmis_minor);
	if (s->state_rc == LB_OK)
		kv(app, "Module state", "%s", lb_module_state_name((int)s->state));
	else
		kv(app, "Module state", "unreadable (%s)", lb_strerror(s->state_rc));
	if (s->lanes_rc == LB_OK) {
		/* runs of lanes with the same state and AppSel: "1-4 DPActivated (AppSel 1)" */
		char text[512];
		size_t at = 0;
		text[0] = '\0';
		for (unsigned l = 0; l < s->lanes.lanes;) {
			unsigned e = l;
			while (e + 1 < s->lanes.lanes &&
			       s->lanes.dp_state[e + 1] == s->lanes.dp_state[l] &&
			       s->lanes.active_appsel[e + 1] == s->lanes.active_appsel[l])
				e++;
			char dp[24], range[16], sel[24];
			snprintf(range, sizeof(range), e > l ? "%u-%u" : "%u", l + 1, e + 1);
			snprintf(sel, sizeof(sel), " (AppSel %u)", s->lanes.active_appsel[l]);
			at += (size_t)snprintf(text + at, at < sizeof(text) ? sizeof(text) - at : 0,
					       "%s%s %s%s", at ? ", " : "", range,
					       dp_state_text(s->lanes.dp_state[l], dp, sizeof(dp)),
					       s->lanes.active_appsel[l] ? sel : "");
			l = e + 1;
		}
		kv(app, "Host lanes", "%s", text);
	}
	if (s->mon_rc == LB_OK) {
		kv(app, "Temperature, voltage", "%s, %s",
		   num(s->mon.temperature_c, 1, "degrees C", a, sizeof(a)),
		   num(s->mon.vcc_v, 3, "V", b, sizeof(b)));
		unsigned n = flags_raised(&s->mon);
		if (n)
			kv(app, "Flags", "%u raised (lbctl show --section flags spells them out)", n);
		else
			kv(app, "Flags", "none raised");
	}
}

/* ---- JSON ---- */

static json_t *jhex(uint8_t v)
{
	char b[8];

	snprintf(b, sizeof(b), "0x%02x", v);
	return json_string(b);
}

static json_t *jthreshold(const struct lb_threshold *t)
{
	return json_pack("{s:o, s:o, s:o, s:o}", "high_alarm", lbctl_jnum(t->high_alarm), "low_alarm",
			 lbctl_jnum(t->low_alarm), "high_warning", lbctl_jnum(t->high_warn), "low_warning",
			 lbctl_jnum(t->low_warn));
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
	bool no01;                       /* ... as page 01h is not in the image */
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
	v->no01 = s->no01;
	bool all_bad = !id->page00_checksum_ok &&
		       (id->flat_memory || s->no01 || !id->page01_checksum_ok);
	v->plausible = !(all_bad && 2 * v->failed > N_CHECKS);
}

/* "both page checksums fail and 8 of 10 fields are implausible (CMIS revision, ...)" */
static void verdict_text(const struct verdict *v, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s and %u of %u fields are implausible (",
			 v->flat   ? "its page checksum (00h, flat memory) fails"
			 : v->no01 ? "its page checksum (00h; 01h not in the image) fails"
				   : "both page checksums fail",
			 v->failed, N_CHECKS);
	for (unsigned i = 0; i < v->failed && n > 0 && (size_t)n < len; i++)
		n += snprintf(buf + n, len - (size_t)n, "%s%s", i ? ", " : "", v->words[i]);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ")");
}

static json_t *json_module(const struct shown *s, const struct verdict *v, const char *label,
			   unsigned sec, const struct lb_port_info *port)
{
	json_t *o = json_object();

	if (port) { /* a live module: the per-port keys every lbctl JSON object has */
		json_object_set_new(o, "port", json_integer(port->port));
		json_object_set_new(o, "name", json_string(port->name ? port->name : ""));
	}
	json_object_set_new(o, "source", json_string(label));
	json_t *bad = json_array();
	for (unsigned i = 0; i < v->failed; i++)
		json_array_append_new(bad, json_string(v->field[i]));
	json_object_set_new(o, "verdict", json_pack("{s:b, s:o}", "plausible", v->plausible,
						     "implausible", bad));
	if (sec & SEC_IDENTITY)
		json_object_set_new(o, "identity", json_identity(&s->id));
	if (s->no01 || s->no02 || s->no10 || s->no11) { /* decode: made up, so null */
		json_t *gaps = json_array();
		const bool no[4] = { s->no01, s->no02, s->no10, s->no11 };
		const char *const name[4] = { "01h", "02h", "10h", "11h" };
		for (unsigned i = 0; i < 4; i++)
			if (no[i])
				json_array_append_new(gaps, json_string(name[i]));
		json_object_set_new(o, "pages_not_in_image", gaps);
		if (s->no01 && json_object_get(o, "identity"))
			json_object_set_new(json_object_get(o, "identity"), "page01_checksum",
					    json_null());
	}
	json_object_set_new(o, "module_state",
			    s->state_rc ? json_null() : json_string(lb_module_state_name((int)s->state)));
	if (s->apps_rc == LB_OK && (sec & SEC_APPS)) {
		json_t *a = json_array();
		for (unsigned i = 0; i < s->apps.count; i++) {
			const struct lb_app *p = &s->apps.app[i];
			json_array_append_new(a, json_pack(
				"{s:i, s:i, s:s, s:i, s:s, s:i, s:i, s:o, s:o}", "appsel", p->appsel,
				"host_id", p->host_id, "host_name", p->host_name, "media_id", p->media_id,
				"media_name", p->media_name, "host_lanes", p->host_lanes, "media_lanes",
				p->media_lanes, "host_start_lanes", lbctl_jlanes(p->host_lane_options),
				"media_start_lanes", lbctl_jlanes(p->media_lane_options)));
		}
		json_object_set_new(o, "applications", a);
	}
	if (s->no11 && (sec & SEC_LANES))
		json_object_set_new(o, "host_lanes", json_null());
	else if (s->lanes_rc == LB_OK && (sec & SEC_LANES)) {
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
		for (size_t l = 0; s->no10 && l < json_array_size(a); l++) { /* controls: 10h */
			json_object_set_new(json_array_get(a, l), "dp_deinit", json_null());
			json_object_set_new(json_array_get(a, l), "tx_disabled", json_null());
		}
		json_object_set_new(o, "host_lanes", a);
	}
	if (s->mon_rc == LB_OK && (sec & (SEC_MONITORS | SEC_FLAGS))) {
		const struct lb_module_monitors *m = &s->mon;
		bool vals = sec & SEC_MONITORS, flags = sec & SEC_FLAGS;
		json_t *lanes = json_array();
		for (unsigned l = 0; l < m->lanes; l++) {
			json_t *x = json_object();
			json_object_set_new(x, "lane", json_integer(l + 1));
			if (vals) {
				json_object_set_new(x, "tx_bias_ma", lbctl_jnum(m->tx_bias_ma[l]));
				json_object_set_new(x, "tx_power_mw", lbctl_jnum(m->tx_power_mw[l]));
				json_object_set_new(x, "tx_power_dbm", lbctl_jdbm(m->tx_power_mw[l]));
				json_object_set_new(x, "rx_power_mw", lbctl_jnum(m->rx_power_mw[l]));
				json_object_set_new(x, "rx_power_dbm", lbctl_jdbm(m->rx_power_mw[l]));
			}
			if (flags) {
				json_object_set_new(x, "tx_bias_flags", lbctl_jflags(m->tx_bias_flags[l]));
				json_object_set_new(x, "tx_power_flags", lbctl_jflags(m->tx_power_flags[l]));
				json_object_set_new(x, "rx_power_flags", lbctl_jflags(m->rx_power_flags[l]));
			}
			json_array_append_new(lanes, x);
		}
		json_t *mo = json_object();
		if (vals) {
			json_object_set_new(mo, "temperature_c", lbctl_jnum(m->temperature_c));
			json_object_set_new(mo, "vcc_v", lbctl_jnum(m->vcc_v));
		}
		if (flags) {
			json_object_set_new(mo, "temperature_flags", lbctl_jflags(m->temperature_flags));
			json_object_set_new(mo, "vcc_flags", lbctl_jflags(m->vcc_flags));
			json_object_set_new(mo, "module_flags", json_integer(m->module_flags));
			json_object_set_new(mo, "module_state_changed",
					    json_boolean(m->module_state_changed));
			json_object_set_new(mo, "tx_fault_lanes", lbctl_jlanes(m->tx_fault));
			json_object_set_new(mo, "tx_los_lanes", lbctl_jlanes(m->tx_los));
			json_object_set_new(mo, "tx_lol_lanes", lbctl_jlanes(m->tx_lol));
			json_object_set_new(mo, "rx_los_lanes", lbctl_jlanes(m->rx_los));
			json_object_set_new(mo, "rx_lol_lanes", lbctl_jlanes(m->rx_lol));
		}
		json_object_set_new(mo, "media_lanes", lanes);
		if (s->no11) {
			static const char *const from11[] = { "tx_fault_lanes", "tx_los_lanes",
							      "tx_lol_lanes", "rx_los_lanes",
							      "rx_lol_lanes", "media_lanes" };
			for (size_t i = 0; i < sizeof(from11) / sizeof(from11[0]); i++)
				json_object_set_new(mo, from11[i], json_null());
		}
		json_object_set_new(o, "monitors", mo);
	}
	if (s->thr_rc == LB_OK && s->no02 && (sec & SEC_THRESHOLDS))
		json_object_set_new(o, "thresholds", json_null());
	else if (s->thr_rc == LB_OK && (sec & SEC_THRESHOLDS))
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
	/* flat memory has lower memory and page 00h alone: nothing is missing from its image */
	bool paged = !s->id.flat_memory;
	s->no01 = paged && lbctl_image_lacks(app, 0x01);
	s->no02 = paged && lbctl_image_lacks(app, 0x02);
	s->no10 = paged && lbctl_image_lacks(app, 0x10);
	s->no11 = paged && lbctl_image_lacks(app, 0x11);
	if (s->no01 && s->apps_rc == LB_OK) { /* AppSel 9-15 live in page 01h */
		unsigned k = 0;
		for (unsigned i = 0; i < s->apps.count; i++)
			if (s->apps.app[i].appsel <= 8)
				s->apps.app[k++] = s->apps.app[i];
		s->apps.count = k;
	}
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
		json_t *o = json_module(s, &v, label, app->show_sections ? app->show_sections : SEC_ALL,
					app->port_info);
		if (!app->show_sections || (app->show_sections & SEC_COHERENT))
			lbctl_show_coherent(app, m, o);
		int jx = lbctl_json_emit(app, o);
		if (jx) {
			free(s);
			return jx;
		}
	} else {
		unsigned sec = app->show_sections ? app->show_sections : SEC_ALL;
		fprintf(app->out, "%s\n", label);
		if (app->show_brief)
			print_brief(app, s);
		if (!app->show_brief && (sec & SEC_IDENTITY))
			print_identity(app, s);
		if (!app->show_brief && (sec & SEC_APPS))
			print_apps(app, s);
		if (!app->show_brief && (sec & SEC_LANES))
			print_lanes(app, s);
		if (!app->show_brief && (sec & SEC_MONITORS))
			print_monitors(app, s);
		if (!app->show_brief && (sec & SEC_THRESHOLDS))
			print_thresholds(app, s);
		if (!app->show_brief && (sec & SEC_FLAGS))
			print_flags(app, s);
		if (!app->show_brief && (sec & SEC_COHERENT))
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
	enum { O_BRIEF, O_SECTION };
	static const struct lbctl_opt opts[] = {
		[O_BRIEF] = { "brief", NULL, 0 }, [O_SECTION] = { "section", "LIST", 0 }, { NULL, NULL, 0 },
	};
	struct lbctl_cmdline cl;
	int ex = lbctl_parse(app, argc, argv, opts, 1, 1, "PORT", &cl);
	if (ex == LBCTL_EXIT_HELP)
		return usage(app);
	if (ex)
		return ex;
	unsigned sections = 0;
	char bad[64];
	if (cl.given[O_SECTION] && !parse_sections(cl.value[O_SECTION], &sections, bad, sizeof(bad)))
		return lbctl_usage_error(app, "show: '%s' is not a section list (identity, apps, lanes, "
					 "monitors, thresholds, flags; each once)", cl.value[O_SECTION]);
	if (cl.given[O_BRIEF] && cl.given[O_SECTION])
		return lbctl_usage_error(app, "show: --brief and --section do not go together");
	app->json = cl.json;
	app->show_brief = cl.given[O_BRIEF];
	app->show_sections = sections;

	struct lb_port_info info = LB_PORT_INFO_INIT;
	struct lb_module *m;
	if ((ex = lbctl_open_port(app, argv[0], cl.pos[0], &info, &m)))
		return ex;
	char label[128];
	snprintf(label, sizeof(label), "Port %u (%s, %s cage)", info.port, info.name, info.cage);
	app->port_info = &info;
	ex = lbctl_print_module(app, m, label, false);
	app->port_info = NULL;
	return ex;
}
