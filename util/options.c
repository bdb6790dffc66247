/* SPDX-License-Identifier: MIT */
/*
 * The reader of options and JSON fields (include/lightbridge/options.h): views into a
 * jansson document, typed getters, and the latest failure kept as "ORIGIN: FIELD: reason".
 * A leaf: it includes nothing of the rest of the tree but the public headers.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <jansson.h>
#include <lightbridge/options.h>
#include "util/options_internal.h"

#define OPTIONS_ERROR_MAX 1024
#define OPTIONS_FIELD_MAX 512

struct doc {
	json_t *root;
	char *origin;
	char error[OPTIONS_ERROR_MAX];
	struct lb_options *views; /* every view but the root, for lb_options_free */
};

struct lb_options {
	struct doc *doc;
	json_t *node;              /* NULL: absent */
	char *path;
	/* Where the view was reached from, so that asking again gives the same view. */
	const struct lb_options *parent;
	char *key;                 /* member key, or NULL for an element */
	size_t index;              /* element index */
	char *label;               /* element label, or NULL */
	struct lb_options *children; /* views reached from this one */
	struct lb_options *sibling;
	struct lb_options *next;   /* in doc->views */
};

static atomic_ulong parsed;

unsigned long lb_options_parse_count(void)
{
	return atomic_load(&parsed);
}

json_t *lb_options_node(const struct lb_options *o)
{
	return o ? o->node : NULL;
}

/* ---------------------------------------------------------------- errors */

static void field_of(const struct lb_options *o, const char *key, char *buf, size_t n)
{
	if (key && o->path[0])
		snprintf(buf, n, "%s.%s", o->path, key);
	else if (key)
		snprintf(buf, n, "%s", key);
	else
		snprintf(buf, n, "%s", o->path[0] ? o->path : "(top)");
}

__attribute__((format(printf, 4, 0)))
static int vfail(const struct lb_options *o, const char *key, int status, const char *fmt, va_list ap)
{
	struct doc *d = o->doc;
	/* Formatted apart first: the arguments may hold the previous message. */
	char field[OPTIONS_FIELD_MAX], msg[OPTIONS_ERROR_MAX];
	field_of(o, key, field, sizeof(field));
	int n = snprintf(msg, sizeof(msg), "%s: %s: ", d->origin, field);
	if (n > 0 && (size_t)n < sizeof(msg))
		vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	memcpy(d->error, msg, sizeof(d->error));
	return status;
}

__attribute__((format(printf, 4, 5)))
static int fail(const struct lb_options *o, const char *key, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfail(o, key, status, fmt, ap);
	va_end(ap);
	return status;
}

LB_API int lb_options_fail(const struct lb_options *o, const char *key, int status,
			   const char *fmt, ...)
{
	if (!o)
		return status;
	va_list ap;
	va_start(ap, fmt);
	vfail(o, key, status, fmt, ap);
	va_end(ap);
	return status;
}

LB_API const char *lb_options_error(const struct lb_options *o)
{
	return o ? o->doc->error : "";
}

/* ---------------------------------------------------------------- documents */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int new_doc(json_t *root, const char *origin, struct lb_options **out)
{
	struct doc *d = calloc(1, sizeof(*d));
	struct lb_options *o = calloc(1, sizeof(*o));
	if (d)
		d->origin = strdup(origin);
	if (o)
		o->path = strdup("");
	if (!d || !o || !d->origin || !o->path) {
		if (d)
			free(d->origin);
		if (o)
			free(o->path);
		free(d);
		free(o);
		json_decref(root);
		return LB_E_NOMEM;
	}
	d->root = root;
	o->doc = d;
	o->node = root;
	*out = o;
	atomic_fetch_add(&parsed, 1);
	return LB_OK;
}

static void put_err(char *err, size_t err_len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put_err(char *err, size_t err_len, const char *fmt, ...)
{
	if (!err || !err_len)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, err_len, fmt, ap);
	va_end(ap);
}

#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

LB_API int lb_options_parse(const char *json, const char *origin, struct lb_options **out,
			    char *err, size_t err_len)
{
	put_err(err, err_len, "%s", "");
	if (out)
		*out = NULL;
	if (!json || !out)
		return LB_E_INVAL;
	if (!origin)
		origin = "(options)";
	json_error_t je;
	json_t *root = json_loads(json, LOAD_FLAGS, &je);
	if (!root) {
		put_err(err, err_len, "%s: line %d: %s", origin, je.line, je.text);
		return LB_E_PARSE;
	}
	return new_doc(root, origin, out);
}

/* What a path names when it is not a regular file, for messages. */
static const char *file_kind(const struct stat *st)
{
	switch (st->st_mode & S_IFMT) {
	case S_IFIFO: return "a FIFO";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	case S_IFDIR: return "a directory";
	case S_IFSOCK: return "a socket";
	default: return "not a file";
	}
}

LB_API int lb_options_load(const char *file, struct lb_options **out, char *err, size_t err_len)
{
	put_err(err, err_len, "%s", "");
	if (out)
		*out = NULL;
	if (!file || !out)
		return LB_E_INVAL;
	/*
	 * Never waited on: a FIFO opens at once without O_NONBLOCK's wait for a writer, and
	 * anything but a regular file (a FIFO, a device, a directory) is refused before a read.
	 */
	int fd = open(file, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		put_err(err, err_len, "%s: (file): %s", file, strerror(e));
		return e == ENOENT || e == ENOTDIR ? LB_E_NOTFOUND : e == EACCES ? LB_E_PERM : LB_E_IO;
	}
	struct stat st = { 0 };
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		put_err(err, err_len, "%s: (file): not a regular file (%s)", file,
			file_kind(&st));
		close(fd);
		return LB_E_PARSE;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return LB_E_NOMEM;
	}
	json_error_t je;
	json_t *root = json_loadf(f, LOAD_FLAGS, &je);
	int read_error = ferror(f);
	fclose(f);
	if (!root) {
		if (read_error) {
			put_err(err, err_len, "%s: (file): read error", file);
			return LB_E_IO;
		}
		put_err(err, err_len, "%s: line %d: %s", file, je.line, je.text);
		return LB_E_PARSE;
	}
	return new_doc(root, file, out);
}

int lb_options_parse_object(const char *json, const char *origin, struct lb_options **doc,
			    char *err, size_t err_len)
{
	int rc = lb_options_parse(json ? json : "{}", origin, doc, err, err_len);
	if (rc)
		return rc;
	if (!json_is_object((*doc)->node)) {
		put_err(err, err_len, "%s: (top): not a JSON object", (*doc)->doc->origin);
		lb_options_free(*doc);
		*doc = NULL;
		return LB_E_PARSE;
	}
	return LB_OK;
}

static void free_view(struct lb_options *v)
{
	free(v->path);
	free(v->key);
	free(v->label);
	free(v);
}

LB_API void lb_options_free(struct lb_options *root)
{
	if (!root || root->parent)
		return;
	struct doc *d = root->doc;
	for (struct lb_options *v = d->views, *next; v; v = next) {
		next = v->next;
		free_view(v);
	}
	json_decref(d->root);
	free(d->origin);
	free(d);
	free_view(root);
}

/* The view of (parent, key) or (parent, index, label), made on first use. */
static const struct lb_options *child(const struct lb_options *parent, const char *key, size_t index,
				      const char *label, json_t *node)
{
	for (struct lb_options *c = parent->children; c; c = c->sibling) {
		bool same = key ? c->key && strcmp(c->key, key) == 0
				: !c->key && c->index == index &&
					  (label ? c->label && strcmp(c->label, label) == 0 : !c->label);
		if (same && c->node == node)
			return c;
	}
	struct lb_options *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	char path[OPTIONS_FIELD_MAX];
	if (key)
		field_of(parent, key, path, sizeof(path));
	else if (label)
		snprintf(path, sizeof(path), "%s[%s]", parent->path, label);
	else
		snprintf(path, sizeof(path), "%s[%zu]", parent->path, index);
	c->doc = parent->doc;
	c->node = node;
	c->parent = parent;
	c->index = index;
	c->path = strdup(path);
	c->key = dup_or_null(key);
	c->label = dup_or_null(label);
	if (!c->path || (key && !c->key) || (label && !c->label)) {
		free_view(c);
		return NULL;
	}
	/* Views are the document's: reached through const pointers, their lists are its own. */
	struct lb_options *p = (struct lb_options *)parent;
	c->sibling = p->children;
	p->children = c;
	c->next = c->doc->views;
	c->doc->views = c;
	return c;
}

/* ---------------------------------------------------------------- inspection */

/* The member key of o (NULL: o's own value); NULL when absent or o is no object. */
static json_t *member(const struct lb_options *o, const char *key)
{
	if (!key)
		return o->node;
	return json_is_object(o->node) ? json_object_get(o->node, key) : NULL;
}

LB_API const char *lb_options_origin(const struct lb_options *o)
{
	return o ? o->doc->origin : "";
}

LB_API const char *lb_options_path(const struct lb_options *o)
{
	return o ? o->path : "";
}

LB_API enum lb_options_type lb_options_type(const struct lb_options *o, const char *key)
{
	json_t *v = o ? member(o, key) : NULL;
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_OBJECT: return LB_OPTIONS_OBJECT;
	case JSON_ARRAY: return LB_OPTIONS_ARRAY;
	case JSON_STRING: return LB_OPTIONS_STRING;
	case JSON_INTEGER: return LB_OPTIONS_INTEGER;
	case JSON_REAL: return LB_OPTIONS_REAL;
	case JSON_TRUE:
	case JSON_FALSE: return LB_OPTIONS_BOOL;
	case JSON_NULL: return v ? LB_OPTIONS_NULL : LB_OPTIONS_ABSENT;
	}
	return LB_OPTIONS_ABSENT;
}

LB_API bool lb_options_has(const struct lb_options *o, const char *key)
{
	return o && member(o, key) != NULL;
}

LB_API size_t lb_options_count(const struct lb_options *o)
{
	if (!o)
		return 0;
	if (json_is_object(o->node))
		return json_object_size(o->node);
	return json_is_array(o->node) ? json_array_size(o->node) : 0;
}

LB_API int lb_options_require(const struct lb_options *o, const char *key)
{
	if (!o)
		return LB_E_INVAL;
	return member(o, key) ? LB_OK : fail(o, key, LB_E_PARSE, "missing");
}

static bool key_known(const char *key, const char *const *known)
{
	for (const char *const *k = known; *k; k++) {
		size_t n = strlen(*k);
		if (n && (*k)[n - 1] == '*' ? strncmp(key, *k, n - 1) == 0 : strcmp(key, *k) == 0)
			return true;
	}
	return false;
}

LB_API int lb_options_check_keys(const struct lb_options *o, const char *const *known)
{
	if (!o || !known)
		return LB_E_INVAL;
	if (!json_is_object(o->node))
		return LB_OK;
	const char *key;
	json_t *v;
	json_object_foreach(o->node, key, v) {
		if (!key_known(key, known))
			return fail(o, key, LB_E_PARSE, "unknown field");
	}
	return LB_OK;
}

/* ---------------------------------------------------------------- getters */

LB_API int lb_options_get_string(const struct lb_options *o, const char *key, const char *dflt,
				 const char **out)
{
	if (!o || !out)
		return LB_E_INVAL;
	*out = dflt;
	json_t *v = member(o, key);
	if (!v)
		return LB_OK;
	if (!json_is_string(v))
		return fail(o, key, LB_E_PARSE, "not a string");
	*out = json_string_value(v);
	return LB_OK;
}

LB_API int lb_options_get_string_buf(const struct lb_options *o, const char *key,
				     const char *dflt, char *buf, size_t size)
{
	if (!o || !buf || !size)
		return LB_E_INVAL;
	snprintf(buf, size, "%s", dflt ? dflt : "");
	const char *s;
	int rc = lb_options_get_string(o, key, NULL, &s);
	if (rc || !s)
		return rc;
	if (strlen(s) >= size)
		return fail(o, key, LB_E_RANGE, "longer than %zu characters", size - 1);
	snprintf(buf, size, "%s", s);
	return LB_OK;
}

LB_API int lb_options_get_int(const struct lb_options *o, const char *key, int64_t lo, int64_t hi,
			      int64_t dflt, int64_t *out)
{
	if (!o || !out)
		return LB_E_INVAL;
	*out = dflt;
	json_t *v = member(o, key);
	if (!v)
		return LB_OK;
	if (json_is_real(v))
		return fail(o, key, LB_E_PARSE, "%g is not a whole number", json_real_value(v));
	if (!json_is_integer(v))
		return fail(o, key, LB_E_PARSE, "not an integer");
	json_int_t x = json_integer_value(v);
	if (x < lo || x > hi)
		return fail(o, key, LB_E_RANGE, "%" PRId64 " is out of range %" PRId64 "..%" PRId64,
			    (int64_t)x, lo, hi);
	*out = (int64_t)x;
	return LB_OK;
}

LB_API int lb_options_get_u32(const struct lb_options *o, const char *key, uint32_t lo,
			      uint32_t hi, uint32_t dflt, uint32_t *out)
{
	if (!out)
		return LB_E_INVAL;
	*out = dflt;
	int64_t x;
	int rc = lb_options_get_int(o, key, lo, hi, dflt, &x);
	if (rc == LB_OK)
		*out = (uint32_t)x;
	return rc;
}

/* The unit a field name ends in, for messages ("" if none): the longest suffix wins. */
static const char *unit_of(const char *field)
{
	static const struct {
		const char *suffix, *unit;
	} units[] = {
		{ "_ps_nm2_km", "ps/(nm²·km)" }, { "_ps_nm_km", "ps/(nm·km)" },
		{ "_ps_sqrt_km", "ps/√km" },	  { "_per_w_km", "1/(W·km)" },
		{ "_db_per_km", "dB/km" },	  { "_ps_nm", "ps/nm" },
		{ "_dbm", "dBm" },		  { "_db", "dB" },
		{ "_thz", "THz" },		  { "_ghz", "GHz" },
		{ "_mhz", "MHz" },		  { "_khz", "kHz" },
		{ "_hz", "Hz" },		  { "_gbd", "GBd" },
		{ "_gbps", "Gb/s" },		  { "_km", "km" },
		{ "_nm", "nm" },		  { "_ps", "ps" },
		{ "_ns", "ns" },		  { "_us", "us" },
		{ "_ms", "ms" },		  { "_s", "s" },
		{ "_mw", "mW" },		  { "_w", "W" },
		{ "_ma", "mA" },		  { "_v", "V" },
		{ "_c", "C" },			  { "_bits", "bit" },
	};
	if (!field)
		return "";
	size_t n = strlen(field), best = 0;
	const char *unit = "";
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		size_t k = strlen(units[i].suffix);
		if (k < n && k > best && strcmp(field + n - k, units[i].suffix) == 0) {
			best = k;
			unit = units[i].unit;
		}
	}
	return unit;
}

LB_API int lb_options_get_number(const struct lb_options *o, const char *key, double lo,
				 double hi, double dflt, double *out)
{
	if (!o || !out)
		return LB_E_INVAL;
	*out = dflt;
	json_t *v = member(o, key);
	if (!v)
		return LB_OK;
	if (!json_is_number(v))
		return fail(o, key, LB_E_PARSE, "not a number");
	double x = json_number_value(v);
	if (!isfinite(x))
		return fail(o, key, LB_E_PARSE, "not a finite number");
	if (!(x >= lo && x <= hi)) {
		const char *unit = unit_of(key ? key : o->key);
		return fail(o, key, LB_E_RANGE, "%g%s%s is out of range %g..%g", x, *unit ? " " : "",
			    unit, lo, hi);
	}
	*out = x;
	return LB_OK;
}

LB_API int lb_options_get_bool(const struct lb_options *o, const char *key, bool dflt, bool *out)
{
	if (!o || !out)
		return LB_E_INVAL;
	*out = dflt;
	json_t *v = member(o, key);
	if (!v)
		return LB_OK;
	if (!json_is_boolean(v))
		return fail(o, key, LB_E_PARSE, "not true or false");
	*out = json_is_true(v);
	return LB_OK;
}

LB_API int lb_options_get_enum(const struct lb_options *o, const char *key,
			       const struct lb_options_enum *table, int dflt, int *out)
{
	if (!o || !table || !out)
		return LB_E_INVAL;
	*out = dflt;
	const char *s;
	int rc = lb_options_get_string(o, key, NULL, &s);
	if (rc || !s)
		return rc;
	size_t n = 0;
	for (; table[n].name; n++) {
		if (strcmp(s, table[n].name) == 0) {
			*out = table[n].value;
			return LB_OK;
		}
	}
	char names[OPTIONS_ERROR_MAX / 4] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof(names); i++)
		used += (size_t)snprintf(names + used, sizeof(names) - used, "%s\"%s\"",
					 i == 0 ? "" : i + 1 == n ? " or " : ", ", table[i].name);
	return fail(o, key, LB_E_PARSE, "\"%s\" is not %s", s, n ? names : "a known name");
}

LB_API int lb_options_get_object(const struct lb_options *o, const char *key,
				 const struct lb_options **out)
{
	if (!o || !out)
		return LB_E_INVAL;
	*out = NULL;
	json_t *v = member(o, key);
	if (v && !json_is_object(v))
		return fail(o, key, LB_E_PARSE, "%s", !key && !o->parent ? "not a JSON object" : "not an object");
	if (!key) {
		*out = o;
		return LB_OK;
	}
	*out = child(o, key, 0, NULL, v);
	return *out ? LB_OK : LB_E_NOMEM;
}

LB_API int lb_options_get_array(const struct lb_options *o, const char *key, size_t min,
				size_t max, const struct lb_options **out, size_t *count)
{
	if (!o || !out || !count)
		return LB_E_INVAL;
	*out = NULL;
	*count = 0;
	json_t *v = member(o, key);
	if (v && !json_is_array(v))
		return fail(o, key, LB_E_PARSE, "not a list");
	size_t n = v ? json_array_size(v) : 0;
	if (v && n < min)
		return n == 0 ? fail(o, key, LB_E_PARSE, "empty")
			      : fail(o, key, LB_E_RANGE, "%zu entries, at least %zu", n, min);
	if (v && n > max)
		return fail(o, key, LB_E_RANGE, "%zu entries, at most %zu", n, max);
	*out = key ? child(o, key, 0, NULL, v) : o;
	if (!*out)
		return LB_E_NOMEM;
	*count = n;
	return LB_OK;
}

LB_API int lb_options_at(const struct lb_options *array, size_t index, const char *label,
			 const struct lb_options **out)
{
	if (!array || !out)
		return LB_E_INVAL;
	*out = NULL;
	if (!json_is_array(array->node) || index >= json_array_size(array->node))
		return fail(array, NULL, LB_E_RANGE, "no element %zu", index);
	*out = child(array, NULL, index, label, json_array_get(array->node, index));
	return *out ? LB_OK : LB_E_NOMEM;
}
