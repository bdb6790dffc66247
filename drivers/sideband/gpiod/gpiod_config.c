/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>
#include "drivers/sideband/gpiod/gpiod_config.h"

static const char *const keys[LB_SB_COUNT] = {
	[LB_SB_RESETL] = "resetl", [LB_SB_LPMODE] = "lpmode", [LB_SB_MODSELL] = "modsell",
	[LB_SB_MODPRSL] = "modprsl", [LB_SB_INTL] = "intl",
};

const char *gpiod_sb_line_key(enum lb_sideband_line line)
{
	return (unsigned)line < LB_SB_COUNT ? keys[line] : "?";
}

int gpiod_sb_parse(const struct lb_options *o, struct gpiod_sb_cfg *cfg)
{
	static const char *const opt_keys[] = { "chip", "lines", "active_low", "initial", "consumer",
						"port", "bus", "description", "comment", "_*", NULL };
	static const char *const line_keys[] = { "resetl", "lpmode", "modsell", "modprsl", "intl", NULL };
	static const char *const output_keys[] = { "resetl", "lpmode", "modsell", NULL };
	memset(cfg, 0, sizeof(*cfg));
	const struct lb_options *jl, *ja = NULL, *ji;
	uint32_t port;
	int rc;
	if ((rc = lb_options_get_object(o, NULL, &o)) || (rc = lb_options_check_keys(o, opt_keys)) ||
	    (rc = lb_options_get_u32(o, "port", 0, UINT32_MAX, 0, &port)) ||
	    (rc = lb_options_get_string_buf(o, "consumer", "lightbridge", cfg->consumer,
					    sizeof(cfg->consumer))))
		return rc;
	cfg->port = port;
	/* The chip: a name, a path or a number. */
	enum lb_options_type ct = lb_options_type(o, "chip");
	if (ct == LB_OPTIONS_INTEGER) {
		int64_t n;
		if ((rc = lb_options_get_int(o, "chip", 0, INT32_MAX, 0, &n)))
			return rc;
		snprintf(cfg->chip, sizeof(cfg->chip), "%lld", (long long)n);
	} else if (ct == LB_OPTIONS_STRING) {
		if ((rc = lb_options_get_string_buf(o, "chip", "", cfg->chip, sizeof(cfg->chip))))
			return rc;
	}
	if (!cfg->chip[0])
		return lb_options_fail(o, "chip", LB_E_PARSE, "missing, or not a name, path or number");
	if ((rc = lb_options_require(o, "lines")) || (rc = lb_options_get_object(o, "lines", &jl)) ||
	    (rc = lb_options_check_keys(jl, line_keys)) ||
	    (rc = lb_options_get_object(o, "initial", &ji)) ||
	    (rc = lb_options_check_keys(ji, output_keys)))
		return rc;
	enum lb_options_type at = lb_options_type(o, "active_low");
	if (at == LB_OPTIONS_OBJECT) {
		if ((rc = lb_options_get_object(o, "active_low", &ja)) || (rc = lb_options_check_keys(ja, line_keys)))
			return rc;
	} else if (at != LB_OPTIONS_ABSENT && at != LB_OPTIONS_BOOL) {
		return lb_options_fail(o, "active_low", LB_E_PARSE, "not a boolean or an object of booleans");
	}
	bool all_low = true; /* "active_low": false makes every line but LPMode active-high */
	if (at == LB_OPTIONS_BOOL && (rc = lb_options_get_bool(o, "active_low", true, &all_low)))
		return rc;
	for (unsigned i = 0; i < LB_SB_COUNT; i++) {
		struct gpiod_sb_line_cfg *l = &cfg->line[i];
		l->output = i == LB_SB_RESETL || i == LB_SB_LPMODE || i == LB_SB_MODSELL;
		/* As the signals are named: ResetL, ModSelL, ModPrsL, IntL low-active; LPMode high. */
		l->active_low = i != LB_SB_LPMODE && all_low;
		/* Outputs come up with the module running, at high power allowed, and selected. */
		bool initial = i == LB_SB_MODSELL;
		if ((ja && (rc = lb_options_get_bool(ja, keys[i], l->active_low, &l->active_low))) ||
		    (rc = lb_options_get_bool(ji, keys[i], initial, &initial)))
			return rc;
		l->initial = initial ? 1 : 0;
		/* A line: its offset on the chip, or its name. */
		enum lb_options_type lt = lb_options_type(jl, keys[i]);
		if (lt == LB_OPTIONS_ABSENT)
			continue;
		l->used = true;
		if (lt == LB_OPTIONS_INTEGER) {
			int64_t off;
			if ((rc = lb_options_get_int(jl, keys[i], 0, 65535, 0, &off)))
				return rc;
			l->offset = (unsigned)off;
		} else if (lt == LB_OPTIONS_STRING) {
			if ((rc = lb_options_get_string_buf(jl, keys[i], "", l->name, sizeof(l->name))))
				return rc;
			if (!l->name[0])
				return lb_options_fail(jl, keys[i], LB_E_PARSE, "empty: not a line name");
			l->by_name = true;
		} else {
			return lb_options_fail(jl, keys[i], LB_E_PARSE, "not a line offset (0-65535) or a line name");
		}
	}
	return LB_OK;
}
