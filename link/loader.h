/* SPDX-License-Identifier: MIT */
/*
 * What the link model's two JSON loaders (line_modes.c, link_path.c) share: numeric fields
 * described by a table (key, offset into the public struct, physical range), read with the
 * options reader, whose messages give each field's unit from its name.
 */
#ifndef LB_LINK_LOADER_H
#define LB_LINK_LOADER_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <lightbridge/options.h>

struct lb_link_field {
	const char *key;
	size_t offset; /* of the double in the destination struct */
	double lo, hi; /* accepted range */
	bool zero_ok;  /* 0 means "default" and is accepted even below lo */
};

/* o[f->key] into base + f->offset, which holds the default; absent leaves it as it is. */
static inline int lb_link_read_field(const struct lb_options *o, const struct lb_link_field *f,
				     void *base)
{
	double *dst = (double *)(void *)((char *)base + f->offset);
	double x;
	int rc = lb_options_get_number(o, f->key, -HUGE_VAL, HUGE_VAL, *dst, &x);
	if (rc == LB_OK && !(f->zero_ok && x == 0.0))
		rc = lb_options_get_number(o, f->key, f->lo, f->hi, *dst, &x);
	if (rc == LB_OK)
		*dst = x;
	return rc;
}

/* The load's outcome into err: the reader's message on failure. */
static inline int lb_link_load_result(const struct lb_options *doc, int rc, char *err, size_t err_len)
{
	if (rc && err && err_len && !err[0])
		snprintf(err, err_len, "%s", lb_options_error(doc));
	return rc;
}

#endif
