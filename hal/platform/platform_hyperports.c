/* SPDX-License-Identifier: MIT */
/*
 * The platform's declared HyperPorts: "asic": {"hyperports": [{"name": "hp0", "ports": [1, 2,
 * 3, 4], "hash": "flow"}]}, front-panel ports whose ASIC lanes carry the members. What lbctl
 * hyperport create NAME makes; the platform creates nothing by itself.
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/platform.h>
#include "hal/abi/sized.h"
#include "hal/platform/platform_hyperports.h"

static const char *const hp_keys[] = { "name", "ports", "hash", "description", "comment", "_*", NULL };
static const struct lb_options_enum hashes[] = {
	{ "flow", LB_HYPERPORT_HASH_FLOW },
	{ "spray", LB_HYPERPORT_HASH_SPRAY },
	{ NULL, 0 },
};

static bool good_name(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '-' || *s == '_'))
			return false;
	return true;
}

static int one(const struct lb_platform *p, const struct lb_options *arr, size_t i,
	       struct platform_hyperports *out)
{
	const struct lb_options *jh, *jports;
	const char *name;
	size_t np;
	int hash, rc;
	if ((rc = lb_options_at(arr, i, NULL, &jh)) || (rc = lb_options_get_object(jh, NULL, &jh)) ||
	    (rc = lb_options_check_keys(jh, hp_keys)) || (rc = lb_options_require(jh, "name")) ||
	    (rc = lb_options_get_string(jh, "name", NULL, &name)) || (rc = lb_options_require(jh, "ports")) ||
	    (rc = lb_options_get_array(jh, "ports", LB_HYPERPORT_MEMBERS, LB_HYPERPORT_MEMBERS, &jports, &np)) ||
	    (rc = lb_options_get_enum(jh, "hash", hashes, LB_HYPERPORT_HASH_FLOW, &hash)))
		return rc;
	if (!good_name(name) || strlen(name) >= sizeof(out->hp[0].name))
		return lb_options_fail(jh, "name", LB_E_PARSE, "\"%s\": 1 to 31 letters, digits, '-' or '_'", name);
	for (size_t k = 0; k < out->n; k++)
		if (strcmp(out->hp[k].name, name) == 0)
			return lb_options_fail(jh, "name", LB_E_PARSE, "\"%s\": a second HyperPort of that name", name);
	struct lb_platform_hyperport *h = &out->hp[out->n];
	memset(h, 0, sizeof(*h));
	h->size = sizeof(*h);
	snprintf(h->name, sizeof(h->name), "%s", name);
	h->hash = (enum lb_hyperport_hash)hash;
	for (size_t m = 0; m < np; m++) {
		const struct lb_options *jp;
		int64_t port;
		uint32_t first, count;
		if ((rc = lb_options_at(jports, m, NULL, &jp)) || (rc = lb_options_get_int(jp, NULL, 1, 65535, 0, &port)))
			return rc;
		if (lb_platform_port_asic_lanes(p, (unsigned)port, &first, &count) != LB_OK)
			return lb_options_fail(jp, NULL, LB_E_PARSE, "port %lld: no such port, or it has no "
					       "\"asic_lanes\"", (long long)port);
		for (size_t k = 0; k < m; k++)
			if (h->ports[k] == (unsigned)port)
				return lb_options_fail(jp, NULL, LB_E_PARSE, "port %lld named twice", (long long)port);
		for (size_t k = 0; k < out->n; k++)
			for (size_t j = 0; j < LB_HYPERPORT_MEMBERS; j++)
				if (out->hp[k].ports[j] == (unsigned)port)
					return lb_options_fail(jp, NULL, LB_E_PARSE, "port %lld is in HyperPort \"%s\" "
							       "already", (long long)port, out->hp[k].name);
		h->ports[m] = (unsigned)port;
	}
	out->n++;
	return LB_OK;
}

int lb_platform_hyperports_parse(const struct lb_platform *p, const struct lb_options *asic,
				 struct platform_hyperports *out)
{
	const struct lb_options *arr;
	size_t n;
	int rc;
	out->n = 0;
	if ((rc = lb_options_get_array(asic, "hyperports", 0, LB_HYPERPORT_MAX, &arr, &n)))
		return rc;
	for (size_t i = 0; rc == LB_OK && i < n; i++)
		rc = one(p, arr, i, out);
	return rc;
}
