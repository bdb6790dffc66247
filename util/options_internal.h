/* SPDX-License-Identifier: MIT */
/*
 * The options reader as the library's own code sees it (util/options.c): the jansson node
 * behind a view, for the one owner of a document that adds to it before handing it on (the
 * platform gives each bus driver its bus's name in its options), and a counter of documents
 * parsed, for tests. Not public: drivers and the emulator see include/lightbridge/options.h.
 */
#ifndef LB_UTIL_OPTIONS_INTERNAL_H
#define LB_UTIL_OPTIONS_INTERNAL_H

#include <stddef.h>
#include <jansson.h>
#include <lightbridge/options.h>

/** The value behind a view (NULL for an absent one). Its document's owner may change it. */
json_t *lb_options_node(const struct lb_options *o);

/**
 * Parse text that must be a JSON object ("{}" when json is NULL): the document in *doc, the
 * object's view in *obj (the root itself). Errors as lb_options_parse, and
 * "ORIGIN: (top): not a JSON object".
 */
int lb_options_parse_object(const char *json, const char *origin, struct lb_options **doc,
			    char *err, size_t err_len);

/** How many documents lb_options_parse() and lb_options_load() have parsed in this process. */
unsigned long lb_options_parse_count(void);

#endif
