/* SPDX-License-Identifier: MIT */
/* One JSON style for every lbctl command (docs/lbctl.md, "JSON output"). */
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "lbctl.h"

int lbctl_json_emit(struct lbctl *app, json_t *doc)
{
	if (!doc)
		return lbctl_fail(app, LB_E_NOMEM, "building the JSON output");
	if (json_is_object(doc) && !json_object_get(doc, "schema"))
		json_object_set_new(doc, "schema", json_integer(LBCTL_JSON_SCHEMA));
	/* Ten significant digits: 193106.25 GHz and 1.2e-5 stay exact, 157.412952 is not
	 * printed as 157.41295199999999. */
	size_t flags = JSON_REAL_PRECISION(10);
	bool indent = !app->json_compact && (app->json_pretty || isatty(fileno(app->out)));
	flags |= indent ? JSON_INDENT(2) : JSON_COMPACT;
	char *text = json_dumps(doc, flags);
	json_decref(doc);
	if (!text)
		return lbctl_fail(app, LB_E_NOMEM, "building the JSON output");
	fprintf(app->out, "%s\n", text);
	free(text);
	return LBCTL_EXIT_OK;
}

json_t *lbctl_jnum(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

json_t *lbctl_jdbm(double mw)
{
	return isnan(mw) ? json_null() : json_real(lb_mw_to_dbm(mw));
}

json_t *lbctl_jflags(uint8_t f)
{
	static const char *const w[4] = { "high_alarm", "low_alarm", "high_warning", "low_warning" };
	json_t *a = json_array();

	for (unsigned i = 0; i < 4; i++)
		if (f & (1u << i))
			json_array_append_new(a, json_string(w[i]));
	return a;
}

json_t *lbctl_jlanes(uint32_t mask)
{
	json_t *a = json_array();

	for (unsigned i = 0; i < 32; i++)
		if (mask & (1u << i))
			json_array_append_new(a, json_integer(i + 1));
	return a;
}
