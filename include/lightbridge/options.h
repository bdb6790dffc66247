/* SPDX-License-Identifier: MIT */
/*
 * Options and JSON fields: the one reader of every JSON object lightbridge reads (a driver's
 * options, platform files, line-mode tables, fibre paths, emulator module profiles), with
 * typed getters, ranges, defaults and errors as "ORIGIN: FIELD: reason", for example
 *
 *     platform.json: buses[0].options.clock_khz: 4294967296 is out of range 100..1000
 *
 * A struct lb_options is a read-only view of one value of a parsed document, mostly an
 * object, that knows where it sits: the document's origin (a file name, or what the text
 * was) and the value's path in it ("buses[0].options"). A bus or sideband driver receives its
 * options so (struct lb_bus_ops.open): a view into the platform file as it was parsed, once.
 *
 *     uint32_t khz;
 *     int rc = lb_options_get_u32(opts, "clock_khz", 100, 1000, 400, &khz);
 *     if (rc)
 *             return lb_driver_error(env, rc, "%s", lb_options_error(opts));
 *
 * Getters. key names a member of the view's object; key NULL means the view's own value (an
 * array element, say). An absent key gives the default: dflt for a value, and for an object
 * or an array an empty view, on which every getter gives its default again (so optional
 * sub-objects need no test). lb_options_require() makes a key mandatory. *out is set to the
 * default first, so it holds the default after a failure too. A getter that fails returns
 * LB_E_PARSE (missing, wrong type, unknown name) or LB_E_RANGE (outside its range) and
 * records "ORIGIN: FIELD: reason" in the document, where lb_options_error() reads it: the
 * latest failure of any view of the document (so the one that made the caller give up).
 *
 * Ranges are inclusive. lb_options_get_number() names the unit of its field in the message
 * when the field name ends in one ("launch_dbm: 30 dBm is out of range -20..20"; the units
 * of docs: _db, _dbm, _km, _ghz, _ps, _ps_nm, _ms, _w, ...); integers are given bare.
 *
 * Views of children (lb_options_get_object, lb_options_get_array, lb_options_at) belong to
 * the document: they live until lb_options_free() of its root, and are never freed alone.
 * Those three set *out to NULL when they fail (so keep the view you read from in a variable
 * of its own, to name the failure with).
 *
 * Threads: a document and its views are used by one thread at a time (getters record errors
 * and keep child views in the document). A driver's open() reads its options on the thread
 * that opens it, and must not keep the view, nor a string read from it, after open() returns.
 */
#ifndef LIGHTBRIDGE_OPTIONS_H
#define LIGHTBRIDGE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <lightbridge/common.h>
#include <lightbridge/status.h>

LB_BEGIN_DECLS

struct lb_options;

/** What a member is (lb_options_type). */
enum lb_options_type {
	LB_OPTIONS_ABSENT = 0,
	LB_OPTIONS_NULL,
	LB_OPTIONS_BOOL,
	LB_OPTIONS_INTEGER, /* a JSON number without fraction or exponent */
	LB_OPTIONS_REAL,    /* any other JSON number */
	LB_OPTIONS_STRING,
	LB_OPTIONS_ARRAY,
	LB_OPTIONS_OBJECT,
};

/** One name of an enumeration (lb_options_get_enum); a table ends with a NULL name. */
struct lb_options_enum {
	const char *name;
	int value;
};

/**
 * Parse JSON text (any value; duplicate keys refused) into a document whose root view *out
 * names origin in its errors ("(options)" if NULL). LB_E_PARSE with "ORIGIN: line N: reason"
 * in err (which may be NULL); LB_E_NOMEM.
 */
LB_API int lb_options_parse(const char *json, const char *origin, struct lb_options **out,
			    char *err, size_t err_len);
/**
 * Read and parse a file; its errors name the file: "FILE: (file): reason" with LB_E_NOTFOUND
 * (no such file) or LB_E_IO, "FILE: line N: reason" with LB_E_PARSE. A path that is not a
 * regular file (a FIFO, a device, a directory) is refused before any read, never waited on:
 * "FILE: (file): not a regular file (a FIFO)" with LB_E_PARSE.
 */
LB_API int lb_options_load(const char *file, struct lb_options **out, char *err, size_t err_len);
/** Free a document and every view of it, given its root; NULL is fine; a child view: nothing. */
LB_API void lb_options_free(struct lb_options *root);

/** The document's origin (a file name, "(options)", ...). */
LB_API const char *lb_options_origin(const struct lb_options *o);
/** The view's path in its document ("buses[0].options"; "" for the root). */
LB_API const char *lb_options_path(const struct lb_options *o);
/** What the member key (NULL: the view itself) is; LB_OPTIONS_ABSENT if there is none. */
LB_API enum lb_options_type lb_options_type(const struct lb_options *o, const char *key);
/** Whether the member key is there (NULL: whether the view's value is there). */
LB_API bool lb_options_has(const struct lb_options *o, const char *key);
/** Members of an object view, elements of an array view; 0 for anything else. */
LB_API size_t lb_options_count(const struct lb_options *o);

/** LB_E_PARSE "FIELD: missing" unless the member key is there. */
LB_API int lb_options_require(const struct lb_options *o, const char *key);
/**
 * Refuse a member the object does not know: LB_E_PARSE "FIELD: unknown field" for the first
 * key (in document order) not in known, a NULL-terminated list. An entry ending in '*'
 * matches every key that starts with what precedes it ("_*": comment keys). An absent or
 * non-object view has nothing to refuse.
 */
LB_API int lb_options_check_keys(const struct lb_options *o, const char *const *known);

/** A string; *out points into the document (valid until it is freed). dflt may be NULL. */
LB_API int lb_options_get_string(const struct lb_options *o, const char *key, const char *dflt,
				 const char **out);
/** A string copied into buf (size bytes with the NUL); LB_E_RANGE if it does not fit. */
LB_API int lb_options_get_string_buf(const struct lb_options *o, const char *key,
				     const char *dflt, char *buf, size_t size);
/** An integer in lo..hi (checked before any conversion, so 2^32 never wraps to 0). */
LB_API int lb_options_get_int(const struct lb_options *o, const char *key, int64_t lo, int64_t hi,
			      int64_t dflt, int64_t *out);
/** An integer in lo..hi that fits 32 bits unsigned. */
LB_API int lb_options_get_u32(const struct lb_options *o, const char *key, uint32_t lo,
			      uint32_t hi, uint32_t dflt, uint32_t *out);
/** Any JSON number in lo..hi; its unit comes from the field name in messages. */
LB_API int lb_options_get_number(const struct lb_options *o, const char *key, double lo,
				 double hi, double dflt, double *out);
/** true or false. */
LB_API int lb_options_get_bool(const struct lb_options *o, const char *key, bool dflt, bool *out);
/**
 * A string that names an entry of table (compared exactly): its value. The message lists the
 * names: "\"sideways\" is not \"optoe\", \"sonic\" or \"none\"".
 */
LB_API int lb_options_get_enum(const struct lb_options *o, const char *key,
			       const struct lb_options_enum *table, int dflt, int *out);
/** An object member as a view (an empty one when absent). */
LB_API int lb_options_get_object(const struct lb_options *o, const char *key,
				 const struct lb_options **out);
/**
 * An array member as a view with count elements, min..max of them when present (an empty
 * view and count 0 when absent). Reach the elements with lb_options_at().
 */
LB_API int lb_options_get_array(const struct lb_options *o, const char *key, size_t min,
				size_t max, const struct lb_options **out, size_t *count);
/**
 * Element index of an array view, as a view whose path is "ARRAY[index]", or "ARRAY[label]"
 * when label is given (e.g. an entry's id once it is known). Read it with key NULL, or as an
 * object with lb_options_get_object(elem, NULL, &obj). LB_E_RANGE past the end.
 */
LB_API int lb_options_at(const struct lb_options *array, size_t index, const char *label,
			 const struct lb_options **out);

/**
 * Record a failure of the caller's own check as "ORIGIN: FIELD: reason" (FIELD: the view's
 * path and key; key NULL: the view's path) and return status: for cross-field rules and
 * values only the caller understands.
 */
LB_API int lb_options_fail(const struct lb_options *o, const char *key, int status,
			   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/** The latest failure recorded in the view's document, or "" if none has failed. */
LB_API const char *lb_options_error(const struct lb_options *o);

LB_END_DECLS
#endif
