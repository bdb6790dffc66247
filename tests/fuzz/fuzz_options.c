/* SPDX-License-Identifier: MIT */
/*
 * fuzz_options: the options reader (include/lightbridge/options.h) on its own. The bytes are
 * parsed as a document (lb_options_parse, and lb_options_load of the same bytes as a file,
 * which must agree), then every value of it is read with every getter: each member by its
 * key (keys found by walking the jansson tree behind the views), each array element by index
 * and with a label taken from the document, and the views themselves (key NULL).
 *
 * What must hold beyond the sanitizers: statuses are LB_OK or negative; a getter that fails
 * leaves its default in *out (NULL views for the view getters) and records a message that
 * names the document's origin; a getter that succeeds gives a value in the range asked for;
 * asking for the same child view again gives the same view; every message and path is a
 * NUL-terminated string.
 */
#include <math.h>
#include <string.h>
#include <jansson.h>
#include "util/options_internal.h"
#include "tests/fuzz/fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ORIGIN "fuzz.json"
#define MAX_DEPTH 64
#define MAX_MEMBERS 64

static unsigned budget; /* views read per input: big documents are read in part */

static void check_rc(int rc)
{
	if (rc > 0)
		abort();
}

static void check_failure(const struct lb_options *o, int rc)
{
	if (rc == LB_OK)
		return;
	const char *e = lb_options_error(o);
	if (rc > 0 || !e || !e[0] || strncmp(e, lb_options_origin(o), strlen(lb_options_origin(o))) != 0) {
		fprintf(stderr, "status %d, message \"%s\"\n", rc, e ? e : "(null)");
		abort();
	}
}

static void getters(const struct lb_options *o, const char *key)
{
	static const struct lb_options_enum table[] = {
		{ "optoe", 1 }, { "sonic", 2 }, { "none", 3 }, { "", 4 }, { NULL, 0 },
	};
	const char *s = NULL;
	int rc = lb_options_get_string(o, key, "dflt", &s);
	check_failure(o, rc);
	if (!s || (rc && strcmp(s, "dflt")))
		abort();
	(void)strlen(s);

	char buf[8];
	rc = lb_options_get_string_buf(o, key, "d", buf, sizeof(buf));
	check_failure(o, rc);
	if (!memchr(buf, 0, sizeof(buf)) || (rc && strcmp(buf, "d")))
		abort();

	int64_t i64;
	rc = lb_options_get_int(o, key, -5, 1000, 7, &i64);
	check_failure(o, rc);
	if ((rc && i64 != 7) || (!rc && (i64 < -5 || i64 > 1000)))
		abort();
	rc = lb_options_get_int(o, key, INT64_MIN, INT64_MAX, 0, &i64);
	check_failure(o, rc);

	uint32_t u;
	rc = lb_options_get_u32(o, key, 1, UINT32_MAX, 9, &u);
	check_failure(o, rc);
	if ((rc && u != 9) || (!rc && u < 1))
		abort();

	double d;
	rc = lb_options_get_number(o, key, -20.0, 20.0, 1.5, &d);
	check_failure(o, rc);
	if ((rc && d != 1.5) || (!rc && !(d >= -20.0 && d <= 20.0)))
		abort();
	rc = lb_options_get_number(o, key, -HUGE_VAL, HUGE_VAL, 0.0, &d);
	check_failure(o, rc);
	if (!rc && !fuzz_finite(d))
		abort();

	bool b;
	rc = lb_options_get_bool(o, key, true, &b);
	check_failure(o, rc);
	if (rc && !b)
		abort();

	int e;
	rc = lb_options_get_enum(o, key, table, -1, &e);
	check_failure(o, rc);
	if ((rc && e != -1) || (!rc && e != -1 && (e < 1 || e > 4)))
		abort();

	check_failure(o, lb_options_require(o, key));
	(void)lb_options_type(o, key);
	(void)lb_options_has(o, key);
}

static void walk(const struct lb_options *o, unsigned depth);

static void walk_member(const struct lb_options *o, const char *key, unsigned depth)
{
	getters(o, key);
	const struct lb_options *c = NULL, *again = NULL;
	int rc = lb_options_get_object(o, key, &c);
	check_failure(o, rc);
	if (rc ? c != NULL : c == NULL)
		abort();
	if (rc == LB_OK) {
		if (lb_options_get_object(o, key, &again) || again != c)
			abort(); /* the same view again */
		if (!memchr(lb_options_path(c), 0, 4096))
			abort();
		walk(c, depth + 1);
	}
	size_t n = 0;
	rc = lb_options_get_array(o, key, 1, 40, &c, &n);
	check_failure(o, rc);
	if (rc ? c != NULL || n : c == NULL || n > 40)
		abort();
	if (rc == LB_OK)
		walk(c, depth + 1);
}

static void walk(const struct lb_options *o, unsigned depth)
{
	if (depth > MAX_DEPTH || budget == 0)
		return;
	budget--;
	getters(o, NULL);
	static const char *const known[] = { "name", "driver", "options", "_*", "", NULL };
	check_failure(o, lb_options_check_keys(o, known));
	json_t *node = lb_options_node(o);
	const struct lb_options *self = NULL;
	size_t count = 0;
	int arc = lb_options_get_array(o, NULL, 0, (size_t)-1, &self, &count);
	check_failure(o, arc);
	if (arc ? self != NULL : self != o || count != lb_options_count(o))
		abort();
	if (json_is_object(node)) {
		const char *k;
		json_t *v;
		unsigned seen = 0;
		json_object_foreach(node, k, v) {
			if (seen++ == MAX_MEMBERS)
				break;
			walk_member(o, k, depth);
			const char *one[] = { k, NULL };
			if (lb_options_check_keys(o, one) && lb_options_count(o) < 2)
				abort(); /* its only key is known */
		}
		walk_member(o, "absent\x01key", depth);
		if (lb_options_fail(o, "x", LB_E_RANGE, "%s", "fails") != LB_E_RANGE)
			abort();
		check_failure(o, LB_E_RANGE);
	} else if (json_is_array(node)) {
		size_t n = lb_options_count(o);
		for (size_t i = 0; i < n && i < MAX_MEMBERS; i++) {
			const struct lb_options *el = NULL, *again = NULL;
			json_t *ev = json_array_get(node, i);
			const char *label = json_is_string(ev) ? json_string_value(ev) : NULL;
			int rc = lb_options_at(o, i, label, &el);
			if (rc || !el || lb_options_at(o, i, label, &again) || again != el)
				abort();
			if (i & 1)
				walk(el, depth + 1);
			else
				getters(el, NULL);
		}
		const struct lb_options *past = NULL;
		int rc = lb_options_at(o, n, NULL, &past);
		if (rc != LB_E_RANGE || past)
			abort();
		check_failure(o, rc);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fuzz_file f;
	char *text = malloc(size + 1);
	if (!text)
		abort();
	memcpy(text, data, size);
	text[size] = '\0';

	struct lb_options *doc = (struct lb_options *)1;
	char err[96];
	memset(err, 'x', sizeof(err));
	int rc = lb_options_parse(text, ORIGIN, &doc, err, sizeof(err));
	check_rc(rc);
	if (!memchr(err, 0, sizeof(err)) || (rc ? doc || !err[0] : !doc || err[0]))
		abort();

	/* The same bytes as a file: the same outcome (a NUL byte ends the text, not the file). */
	if (!memchr(data, 0, size)) {
		fuzz_file_write(&f, "options", data, size);
		struct lb_options *fdoc = NULL;
		int frc = lb_options_load(f.path, &fdoc, err, sizeof(err));
		check_rc(frc);
		if (!memchr(err, 0, sizeof(err)) || (frc == LB_OK) != (rc == LB_OK))
			abort();
		lb_options_free(fdoc);
	}

	if (rc == LB_OK) {
		budget = 256;
		walk(doc, 0);
		const char *e = lb_options_error(doc);
		if (!memchr(e, 0, 1024))
			abort();
		lb_options_free(doc);
	}

	struct lb_options *obj = NULL;
	rc = lb_options_parse_object(text, NULL, &obj, err, sizeof(err));
	check_rc(rc);
	if (rc == LB_OK) {
		if (lb_options_type(obj, NULL) != LB_OPTIONS_OBJECT)
			abort();
		budget = 16;
		walk(obj, 0);
	}
	lb_options_free(obj);
	free(text);
	return 0;
}
