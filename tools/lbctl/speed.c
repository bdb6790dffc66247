/* SPDX-License-Identifier: MIT */
/* Port speeds as people write them, for lbctl port and lbctl plan lossless. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "lbctl.h"

bool lbctl_parse_speed(const char *s, uint32_t *mbps)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || end == s || !isfinite(v) || v <= 0)
		return false;
	double scale;
	if (strcmp(end, "G") == 0)
		scale = 1000;
	else if (strcmp(end, "T") == 0)
		scale = 1000000;
	else if (*end == 0)
		scale = 1;
	else
		return false;
	double m = v * scale;
	if (m > 1e7 || m != floor(m))
		return false;
	*mbps = (uint32_t)m;
	return true;
}
