/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include <jansson.h>
#include "drivers/sideband/gpiod/gpiod_config.h"

static const char *const keys[LB_SB_COUNT] = {
	[LB_SB_RESETL] = "resetl", [LB_SB_LPMODE] = "lpmode", [LB_SB_MODSELL] = "modsell",
	[LB_SB_MODPRSL] = "modprsl", [LB_SB_INTL] = "intl",
};

const char *gpiod_sb_line_key(enum lb_sideband_line line)
{
	return (unsigned)line < LB_SB_COUNT ? keys[line] : "?";
}

static int bad(char *err, size_t errlen, const char *field, const char *why)
{
	snprintf(err, errlen, "%s: %s", field, why);
	return LB_E_PARSE;
}

int gpiod_sb_parse(const char *options, struct gpiod_sb_cfg *cfg, char *err, size_t errlen)
{
	memset(cfg, 0, sizeof(*cfg));
	snprintf(cfg->consumer, sizeof(cfg->consumer), "lightbridge");
	json_error_t jerr;
	json_t *o = json_loads(options ? options : "{}", 0, &jerr);
	int rc = LB_OK;
	if (!json_is_object(o)) {
		json_decref(o);
		return bad(err, errlen, "(options)", "not a JSON object");
	}
	json_t *jc = json_object_get(o, "chip"), *jl = json_object_get(o, "lines");
	json_t *ja = json_object_get(o, "active_low"), *ji = json_object_get(o, "initial");
	json_t *jn = json_object_get(o, "consumer"), *jp = json_object_get(o, "port");
	if (json_is_integer(jp))
		cfg->port = (unsigned)json_integer_value(jp);
	if (json_is_string(jn))
		snprintf(cfg->consumer, sizeof(cfg->consumer), "%s", json_string_value(jn));
	if (json_is_string(jc) && *json_string_value(jc))
		snprintf(cfg->chip, sizeof(cfg->chip), "%s", json_string_value(jc));
	else if (json_is_integer(jc) && json_integer_value(jc) >= 0)
		snprintf(cfg->chip, sizeof(cfg->chip), "%lld", (long long)json_integer_value(jc));
	else
		rc = bad(err, errlen, "chip", "missing, or not a name, path or number");
	if (rc == LB_OK && !json_is_object(jl))
		rc = bad(err, errlen, "lines", "missing or not an object");
	if (rc == LB_OK && ja && !json_is_boolean(ja) && !json_is_object(ja))
		rc = bad(err, errlen, "active_low", "not a boolean or an object of booleans");
	if (rc == LB_OK && ji && !json_is_object(ji))
		rc = bad(err, errlen, "initial", "not an object");
	/* unknown keys are mistakes worth a clear error */
	const char *k;
	json_t *v;
	if (rc == LB_OK) {
		json_object_foreach(jl, k, v) {
			unsigned i;
			for (i = 0; i < LB_SB_COUNT && strcmp(k, keys[i]) != 0; i++)
				;
			if (i == LB_SB_COUNT) {
				char f[96];
				snprintf(f, sizeof(f), "lines.%s", k);
				rc = bad(err, errlen, f, "not one of resetl, lpmode, modsell, modprsl, intl");
				break;
			}
		}
	}
	for (unsigned i = 0; rc == LB_OK && i < LB_SB_COUNT; i++) {
		struct gpiod_sb_line_cfg *l = &cfg->line[i];
		char f[64];
		snprintf(f, sizeof(f), "lines.%s", keys[i]);
		json_t *jv = json_object_get(jl, keys[i]);
		l->output = i == LB_SB_RESETL || i == LB_SB_LPMODE || i == LB_SB_MODSELL;
		/* As the signals are named: ResetL, ModSelL, ModPrsL, IntL low-active; LPMode high. */
		l->active_low = i != LB_SB_LPMODE;
		if (json_is_boolean(ja) && i != LB_SB_LPMODE)
			l->active_low = json_is_true(ja);
		if (json_is_object(ja) && json_object_get(ja, keys[i])) {
			json_t *b = json_object_get(ja, keys[i]);
			if (!json_is_boolean(b)) {
				rc = bad(err, errlen, "active_low", "values must be booleans");
				break;
			}
			l->active_low = json_is_true(b);
		}
		/* Outputs come up with the module running, at high power allowed, and selected. */
		l->initial = i == LB_SB_MODSELL ? 1 : 0;
		json_t *jiv = json_object_get(ji, keys[i]);
		if (jiv) {
			if (!json_is_boolean(jiv) || !l->output) {
				rc = bad(err, errlen, "initial", "only resetl, lpmode and modsell, as booleans");
				break;
			}
			l->initial = json_is_true(jiv);
		}
		if (!jv)
			continue;
		l->used = true;
		if (json_is_integer(jv) && json_integer_value(jv) >= 0 && json_integer_value(jv) < 65536) {
			l->offset = (unsigned)json_integer_value(jv);
		} else if (json_is_string(jv) && *json_string_value(jv) &&
			   strlen(json_string_value(jv)) < sizeof(l->name)) {
			l->by_name = true;
			snprintf(l->name, sizeof(l->name), "%s", json_string_value(jv));
		} else {
			rc = bad(err, errlen, f, "not a line offset (0-65535) or a line name");
		}
	}
	json_decref(o);
	return rc;
}
