/* SPDX-License-Identifier: MIT */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <lightbridge/status.h>
#include "link/json_fields.h"

int lb_jf_fail(struct lb_jf_ctx *c, int status, const char *field, const char *fmt, ...)
{
	if (!c->err || !c->err_len)
		return status;
	char why[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (c->where[0] && field)
		snprintf(c->err, c->err_len, "%s: %s.%s: %s", c->file, c->where, field, why);
	else
		snprintf(c->err, c->err_len, "%s: %s: %s", c->file, c->where[0] ? c->where : field, why);
	return status;
}

int lb_jf_number(struct lb_jf_ctx *c, json_t *obj, const struct lb_jf_number *f,
		 const char *field, void *base, bool *present)
{
	if (!field)
		field = f->key;
	json_t *v = json_object_get(obj, f->key);
	*present = v != NULL;
	if (!v)
		return LB_OK;
	if (!json_is_number(v))
		return lb_jf_fail(c, LB_E_PARSE, field, "not a number");
	double x = json_number_value(v);
	if (!isfinite(x))
		return lb_jf_fail(c, LB_E_PARSE, field, "not a finite number");
	if (!(f->zero_ok && x == 0.0) && (x < f->lo || x > f->hi))
		return lb_jf_fail(c, LB_E_RANGE, field, "%g%s%s is out of range %g..%g", x,
				  *f->unit ? " " : "", f->unit, f->lo, f->hi);
	*(double *)(void *)((char *)base + f->offset) = x;
	return LB_OK;
}
