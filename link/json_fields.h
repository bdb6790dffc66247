/* SPDX-License-Identifier: MIT */
/*
 * What the JSON loaders of the link model share: errors as "FILE: FIELD: reason", and numeric
 * fields described by a table (key, offset into the struct, physical range, unit).
 */
#ifndef LB_LINK_JSON_FIELDS_H
#define LB_LINK_JSON_FIELDS_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>

struct lb_jf_ctx {
	const char *file;
	char *err;
	size_t err_len;
	char where[96]; /* prefix of every field ("modes[800g-16qam-118]"), or "" */
};

/** Write "FILE: [WHERE.]FIELD: reason" (or "FILE: WHERE: reason" without a field); returns status. */
int lb_jf_fail(struct lb_jf_ctx *c, int status, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

struct lb_jf_number {
	const char *key;
	size_t offset;  /* of the double in the destination struct */
	double lo, hi;  /* accepted range */
	const char *unit;
	bool zero_ok;   /* 0 means "default" and is accepted even below lo */
};

/**
 * obj[f->key] into base + f->offset. field names it in errors (NULL: f->key). *present says
 * whether the key was there (the caller decides whether absence is an error).
 * LB_E_PARSE (not a finite number), LB_E_RANGE (outside lo..hi).
 */
int lb_jf_number(struct lb_jf_ctx *c, json_t *obj, const struct lb_jf_number *f,
		 const char *field, void *base, bool *present);

#endif
