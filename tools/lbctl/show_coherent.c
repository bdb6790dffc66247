/* SPDX-License-Identifier: MIT */
/*
 * The coherent section of `lbctl show` and `lbctl decode` (lbctl_print_module): whether the
 * module is coherent, its laser capabilities (page 04h), each laser's configured and current
 * frequency, Tx power target and tuning state (page 12h), and the VDM observables with their
 * units (pages 20h-27h). Text within 80 columns, or one "coherent" object of the module's
 * JSON. Shown for coherent or tunable modules only; a page the module or image lacks is
 * said so, and the rest is shown.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

#define LASER_LANES 8 /* at most the lanes of bank 0 */
#define kv lbctl_kv

/* What the section shows, read once. */
struct coherent_view {
	int coherent;               /* 1, 0, or a negative status */
	int caps_rc;
	struct lb_laser_caps caps;
	unsigned nlasers;
	int laser_rc[LASER_LANES];
	struct lb_laser_status laser[LASER_LANES];
	int vdm_rc;
	struct lb_vdm vdm;
	int mode_rc;
	char line_mode[LB_LINK_ID_LEN];
	int ppb_rc;
	struct lb_power_per_bit ppb;
};

/* The media lanes with a laser: as many as the widest application has (1 on ZR modules). */
static unsigned laser_lanes(struct lb_module *m)
{
	struct lb_app_list apps;
	unsigned n = 1;
	if (lb_module_get_apps(m, &apps) == LB_OK)
		for (unsigned i = 0; i < apps.count; i++)
			if (apps.app[i].media_lanes > n)
				n = apps.app[i].media_lanes;
	return n < LASER_LANES ? n : LASER_LANES;
}

static void collect(struct lb_module *m, const struct lb_module_identity *id,
		    struct coherent_view *v)
{
	v->coherent = lb_module_is_coherent(m);
	v->caps = (struct lb_laser_caps)LB_LASER_CAPS_INIT;
	v->caps_rc = id->tunable ? lb_laser_get_caps(m, &v->caps) : LB_E_NOTSUP;
	unsigned lanes = id->tunable ? laser_lanes(m) : 0;
	for (unsigned l = 1; l <= lanes; l++) {
		struct lb_laser_status *s = &v->laser[v->nlasers];
		*s = (struct lb_laser_status)LB_LASER_STATUS_INIT;
		int rc = lb_laser_get_status(m, l, s);
		v->laser_rc[v->nlasers++] = rc;
		if (rc)
			break;
	}
	v->vdm.size = sizeof(v->vdm);
	v->vdm_rc = lb_vdm_read(m, 0, LB_VDM_THRESHOLDS, &v->vdm);
	v->ppb = (struct lb_power_per_bit)LB_POWER_PER_BIT_INIT;
	v->ppb_rc = lb_module_get_power_per_bit(m, &v->ppb);
	/* the mode in force: the extension's, else the application's, as power per bit names it */
	v->mode_rc = v->ppb_rc;
	snprintf(v->line_mode, sizeof(v->line_mode), "%s", v->ppb.line_mode);
}

/* The line mode in force and the power per bit. */
static void text_mode_power(struct lbctl *app, const struct coherent_view *v)
{
	if (v->mode_rc)
		kv(app, "Line mode", "%s", lb_strerror(v->mode_rc));
	else
		kv(app, "Line mode", "%s", v->line_mode[0] ? v->line_mode : "none");
	const struct lb_power_per_bit *p = &v->ppb;
	if (v->ppb_rc) {
		kv(app, "Power per bit", "%s", lb_strerror(v->ppb_rc));
		return;
	}
	if (!(p->line_rate_gbps > 0.0)) {
		kv(app, "Power per bit", "no data path configured (%.2f W max)", p->max_power_w);
		return;
	}
	kv(app, "Power per bit (max)", "%.1f W/Tb/s = pJ/bit (%.2f W, %.0f Gb/s)",
	   p->max_w_per_tbps, p->max_power_w, p->line_rate_gbps);
	if (isfinite(p->measured_power_w))
		kv(app, "Power per bit (measured)", "%.1f W/Tb/s = pJ/bit (%.2f W)",
		   p->measured_w_per_tbps, p->measured_power_w);
	else
		kv(app, "Power per bit (measured)", "not reported by the module");
}

static json_t *json_mode_power(const struct coherent_view *v)
{
	if (v->ppb_rc)
		return json_pack("{s:s}", "error", lb_strerror(v->ppb_rc));
	const struct lb_power_per_bit *p = &v->ppb;
	return json_pack("{s:o, s:o, s:o, s:i, s:o, s:o, s:o, s:o}", "max_power_w",
			 lbctl_jnum(p->max_power_w), "measured_power_w", lbctl_jnum(p->measured_power_w),
			 "line_rate_gbps", lbctl_jnum(p->line_rate_gbps), "data_paths", (int)p->data_paths,
			 "max_w_per_tbps", lbctl_jnum(p->max_w_per_tbps), "max_pj_per_bit",
			 lbctl_jnum(p->max_pj_per_bit), "measured_w_per_tbps", lbctl_jnum(p->measured_w_per_tbps),
			 "measured_pj_per_bit", lbctl_jnum(p->measured_pj_per_bit));
}

static void text_caps(struct lbctl *app, const struct coherent_view *v)
{
	const struct lb_laser_caps *c = &v->caps;
	if (v->caps_rc && v->caps_rc != LB_E_CHECKSUM) {
		kv(app, "Laser capabilities (page 04h)", "unreadable (%s)", lb_strerror(v->caps_rc));
		return;
	}
	if (!c->checksum_ok)
		kv(app, "Laser capabilities (page 04h)", "checksum MISMATCH, decoded anyway");
	if (c->grids)
		fprintf(app->out, "  %-16s %-16s %s\n", "Laser grid", "Channels",
			"Frequencies (GHz)");
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++) {
		if (!((c->grids >> g) & 1u))
			continue;
		char ch[24], fr[40];
		snprintf(ch, sizeof(ch), "%d..%d", c->low_channel[g], c->high_channel[g]);
		if (isnan(c->low_ghz[g]) || isnan(c->high_ghz[g]))
			snprintf(fr, sizeof(fr), "off the grid");
		else
			snprintf(fr, sizeof(fr), "%.3f..%.3f", c->low_ghz[g], c->high_ghz[g]);
		fprintf(app->out, "  %-16s %-16s %s\n", lb_laser_grid_name(g), ch, fr);
	}
	if (!c->grids)
		kv(app, "Laser grids", "none advertised");
	if (c->fine_tuning)
		kv(app, "Fine tuning (GHz)", "step %.3f, %+.3f..%+.3f", c->fine_resolution_ghz,
		   c->fine_low_offset_ghz, c->fine_high_offset_ghz);
	else
		kv(app, "Fine tuning", "not supported");
	if (c->tx_power_programmable)
		kv(app, "Programmable Tx power", "%.2f..%.2f dBm", c->tx_power_min_dbm,
		   c->tx_power_max_dbm);
	else
		kv(app, "Programmable Tx power", "not supported");
}

static void flag_text(uint8_t f, char *buf, size_t n)
{
	static const char *const w[6] = { "complete", "unlocked", "invalid channel", "not accepted",
					  "fine tuning out of range", "power out of range" };
	size_t used = 0;
	buf[0] = '\0';
	for (unsigned i = 0; i < 6; i++)
		if (((unsigned)f >> i) & 1u)
			used += (size_t)snprintf(buf + used, used < n ? n - used : 0, "%s%s",
						 used ? ", " : "", w[i]);
	if (!buf[0])
		snprintf(buf, n, "none");
}

static void text_lasers(struct lbctl *app, const struct coherent_view *v)
{
	for (unsigned k = 0; k < v->nlasers; k++) {
		const struct lb_laser_status *s = &v->laser[k];
		char key[64], val[64];
		if (v->laser_rc[k]) {
			snprintf(key, sizeof(key), "Laser %u (page 12h)", s->lane);
			kv(app, key, "unreadable (%s)", lb_strerror(v->laser_rc[k]));
			continue;
		}
		snprintf(key, sizeof(key), "Laser %u grid, channel", s->lane);
		kv(app, key, "%s, %d%s", lb_laser_grid_name(s->grid), s->channel,
		   s->fine_tuning ? " (fine tuned)" : "");
		snprintf(key, sizeof(key), "Laser %u configured frequency", s->lane);
		if (isnan(s->configured_ghz))
			kv(app, key, "- (channel not on the grid)");
		else
			kv(app, key, "%.3f GHz", s->configured_ghz);
		snprintf(key, sizeof(key), "Laser %u current frequency", s->lane);
		kv(app, key, "%.3f GHz", s->current_ghz);
		snprintf(key, sizeof(key), "Laser %u Tx power target", s->lane);
		kv(app, key, "%.2f dBm", s->tx_power_target_dbm);
		snprintf(key, sizeof(key), "Laser %u tuning", s->lane);
		kv(app, key, "%s", lb_tuning_state_name((int)s->state));
		snprintf(key, sizeof(key), "Laser %u tuning flags (latched)", s->lane);
		flag_text(s->flags, val, sizeof(val));
		kv(app, key, "%s", val);
	}
}

static void value_text(const struct lb_vdm_instance *x, const struct lb_vdm_type *t, char *buf,
		       size_t n)
{
	if (!t)
		snprintf(buf, n, "raw 0x%04x", x->raw);
	else if (t->format == LB_VDM_FORMAT_F16)
		snprintf(buf, n, "%.3e", x->value);
	else
		snprintf(buf, n, "%.3f", x->value);
}

static void text_vdm(struct lbctl *app, const struct coherent_view *v)
{
	if (v->vdm_rc) {
		kv(app, "VDM (pages 20h-2Fh)", "%s",
		   v->vdm_rc == LB_E_NOTSUP ? "not supported" : lb_strerror(v->vdm_rc));
		return;
	}
	kv(app, "VDM observables (bank 0)", "%u in %u group%s", v->vdm.count, v->vdm.groups,
	   v->vdm.groups == 1 ? "" : "s");
	if (!v->vdm.count)
		return;
	fprintf(app->out, "  %-32s %-6s %14s %s\n", "Observable", "Lane", "Value", "Unit");
	for (unsigned i = 0; i < v->vdm.count; i++) {
		const struct lb_vdm_instance *x = &v->vdm.inst[i];
		const struct lb_vdm_type *t = lb_vdm_type_find(x->type);
		char name[40], lane[8], val[24];
		if (t)
			snprintf(name, sizeof(name), "%s", t->name);
		else
			snprintf(name, sizeof(name), "type %u (%s)", x->type,
				 x->type >= 100 && x->type <= 127 ? "custom" : "reserved");
		if (x->lane)
			snprintf(lane, sizeof(lane), "%u", x->lane);
		else
			snprintf(lane, sizeof(lane), "%s", x->object == 15 ? "module" : "?");
		value_text(x, t, val, sizeof(val));
		const char *unit = t ? t->unit : "";
		fprintf(app->out, "  %-32.32s %-6s %14s%s%s\n", name, lane, val, unit[0] ? " " : "",
			unit);
	}
}

static json_t *json_caps(const struct coherent_view *v)
{
	const struct lb_laser_caps *c = &v->caps;
	if (v->caps_rc && v->caps_rc != LB_E_CHECKSUM)
		return json_pack("{s:s}", "error", lb_strerror(v->caps_rc));
	json_t *grids = json_array();
	for (int g = 0; g < LB_LASER_GRID_COUNT; g++)
		if ((c->grids >> g) & 1u)
			json_array_append_new(grids, json_pack(
				"{s:s, s:o, s:i, s:i, s:o, s:o}", "grid", lb_laser_grid_name(g),
				"spacing_ghz", json_real(lb_laser_grid_spacing_ghz(g)), "low_channel",
				(int)c->low_channel[g], "high_channel", (int)c->high_channel[g],
				"low_frequency_ghz", lbctl_jnum(c->low_ghz[g]), "high_frequency_ghz",
				lbctl_jnum(c->high_ghz[g])));
	return json_pack("{s:o, s:b, s:o, s:o, s:o, s:b, s:o, s:o, s:b}", "grids", grids,
			 "fine_tuning", c->fine_tuning, "fine_tuning_resolution_ghz",
			 json_real(c->fine_resolution_ghz), "fine_tuning_low_offset_ghz",
			 json_real(c->fine_low_offset_ghz), "fine_tuning_high_offset_ghz",
			 json_real(c->fine_high_offset_ghz), "tx_power_programmable",
			 c->tx_power_programmable, "tx_power_min_dbm", json_real(c->tx_power_min_dbm),
			 "tx_power_max_dbm", json_real(c->tx_power_max_dbm), "checksum_ok",
			 c->checksum_ok);
}

static json_t *json_lasers(const struct coherent_view *v)
{
	json_t *a = json_array();
	for (unsigned k = 0; k < v->nlasers; k++) {
		const struct lb_laser_status *s = &v->laser[k];
		if (v->laser_rc[k]) {
			json_array_append_new(a, json_pack("{s:i, s:s}", "lane", (int)s->lane, "error",
							   lb_strerror(v->laser_rc[k])));
			continue;
		}
		json_t *flags = json_array();
		static const char *const w[6] = { "complete", "unlocked", "invalid_channel",
						  "not_accepted", "fine_tuning_out_of_range",
						  "power_out_of_range" };
		for (unsigned i = 0; i < 6; i++)
			if (((unsigned)s->flags >> i) & 1u)
				json_array_append_new(flags, json_string(w[i]));
		json_array_append_new(a, json_pack(
			"{s:i, s:s, s:i, s:b, s:o, s:o, s:o, s:o, s:s, s:o}", "lane", (int)s->lane,
			"grid", lb_laser_grid_name(s->grid), "channel", (int)s->channel, "fine_tuning",
			s->fine_tuning, "fine_tuning_offset_ghz", json_real(s->fine_offset_ghz),
			"configured_frequency_ghz", lbctl_jnum(s->configured_ghz), "current_frequency_ghz",
			json_real(s->current_ghz), "tx_power_target_dbm",
			json_real(s->tx_power_target_dbm), "tuning_state",
			lb_tuning_state_name((int)s->state), "tuning_flags", flags));
	}
	return a;
}

static json_t *json_vdm(const struct coherent_view *v)
{
	if (v->vdm_rc)
		return json_pack("{s:s}", "error", lb_strerror(v->vdm_rc));
	json_t *a = json_array();
	for (unsigned i = 0; i < v->vdm.count; i++) {
		const struct lb_vdm_instance *x = &v->vdm.inst[i];
		const struct lb_vdm_type *t = lb_vdm_type_find(x->type);
		char raw[8];
		snprintf(raw, sizeof(raw), "0x%04x", x->raw);
		json_array_append_new(a, json_pack(
			"{s:i, s:i, s:i, s:o, s:o, s:o, s:i, s:i, s:s, s:o, s:o, s:{s:o, s:o, s:o, s:o}}",
			"group", x->group, "index", x->index, "type", x->type, "name",
			t ? json_string(t->name) : json_null(), "key",
			t ? json_string(t->key) : json_null(), "lane",
			x->lane ? json_integer(x->lane) : json_null(), "object", x->object,
			"threshold_set", x->threshold_set, "raw", raw, "value", lbctl_jnum(x->value), "unit",
			t ? json_string(t->unit) : json_null(), "thresholds", "high_alarm",
			lbctl_jnum(x->high_alarm), "low_alarm", lbctl_jnum(x->low_alarm), "high_warning",
			lbctl_jnum(x->high_warning), "low_warning", lbctl_jnum(x->low_warning)));
	}
	return json_pack("{s:i, s:i, s:o}", "bank", v->vdm.bank, "groups", (int)v->vdm.groups,
			 "instances", a);
}

void lbctl_show_coherent(struct lbctl *app, struct lb_module *m, json_t *obj)
{
	struct lb_module_identity id = LB_MODULE_IDENTITY_INIT;
	int rc = lb_module_get_identity(m, &id);
	if ((rc && rc != LB_E_CHECKSUM) || id.flat_memory)
		return;
	struct coherent_view *v = calloc(1, sizeof(*v));
	if (!v)
		return;
	collect(m, &id, v);
	if (v->coherent == 1 || id.tunable) {
		if (obj) {
			json_object_set_new(obj, "coherent", json_pack(
				"{s:o, s:o, s:o, s:o, s:o, s:o}", "coherent",
				v->coherent < 0 ? json_null() : json_boolean(v->coherent == 1),
				"laser_capabilities", id.tunable ? json_caps(v) : json_null(),
				"lasers", json_lasers(v), "vdm", json_vdm(v), "line_mode",
				v->mode_rc ? json_null() : json_string(v->line_mode),
				"power_per_bit", json_mode_power(v)));
		} else {
			kv(app, "Coherent (C-CMIS)", "%s",
			   v->coherent < 0 ? lb_strerror(v->coherent) : v->coherent ? "yes" : "no");
			text_mode_power(app, v);
			if (id.tunable) {
				text_caps(app, v);
				text_lasers(app, v);
			}
			text_vdm(app, v);
		}
	}
	free(v);
}
