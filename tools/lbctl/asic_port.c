/* SPDX-License-Identifier: MIT */
/* The ASIC port behind a front-panel port, for lbctl buffer and lbctl traffic. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "asic_port.h"

int lbctl_asic_switch(struct lbctl *app, const char *what, struct lb_switch **sw)
{
	struct lb_platform *p;
	int ex = lbctl_platform(app, &p);
	if (ex)
		return ex;
	int rc = lb_platform_switch(p, sw);
	if (rc)
		return lbctl_fail(app, rc, "%s", what);
	return LBCTL_EXIT_OK;
}

int lbctl_asic_port(struct lbctl *app, const char *what, const char *arg, struct lbctl_asic_port *out)
{
	memset(out, 0, sizeof(*out));
	int ex = lbctl_asic_switch(app, what, &out->sw);
	if (ex)
		return ex;
	struct lb_platform *p = app->platform;
	out->info = (struct lb_port_info)LB_PORT_INFO_INIT;
	int rc = lbctl_find_port(p, arg, &out->info);
	if (rc) {
		lbctl_no_such_port(app, p, arg);
		return lbctl_fail(app, rc, "%s: %s", what, arg);
	}
	uint32_t first, count;
	if ((rc = lb_platform_port_asic_lanes(p, out->info.port, &first, &count)))
		return lbctl_fail(app, rc, "%s: port %u (%s): no ASIC lanes", what, out->info.port, out->info.name);
	uint32_t ports[1024];
	size_t n;
	if ((rc = lb_asic_port_list(out->sw, ports, 1024, &n)))
		return lbctl_fail(app, rc, "%s: listing the ASIC ports", what);
	for (size_t i = 0; i < n && i < 1024; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		if ((rc = lb_asic_port_get(out->sw, ports[i], &c)))
			return lbctl_fail(app, rc, "%s: asic port %u", what, ports[i]);
		if (c.first_lane >= first && c.first_lane < first + count) {
			out->asic_port = ports[i];
			out->cfg = c;
			return LBCTL_EXIT_OK;
		}
	}
	snprintf(app->detail, sizeof(app->detail), "no ASIC port on its lanes %u-%u", first, first + count - 1);
	return lbctl_fail(app, LB_E_NOTFOUND, "%s: port %u (%s)", what, out->info.port, out->info.name);
}

bool lbctl_parse_bytes(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-')
		return false;
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v < 0)
		return false;
	double mul = 1;
	switch (*end) {
	case 'K': case 'k': mul = 1024.0; end++; break;
	case 'M': case 'm': mul = 1024.0 * 1024; end++; break;
	case 'G': case 'g': mul = 1024.0 * 1024 * 1024; end++; break;
	case 'T': case 't': mul = 1024.0 * 1024 * 1024 * 1024; end++; break;
	}
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end || v * mul >= 1.8e19 || floor(v * mul) != v * mul)
		return false;
	*out = (uint64_t)(v * mul);
	return true;
}
