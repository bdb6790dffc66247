/* SPDX-License-Identifier: MIT */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "link_fixture.h"

const char *lb_test_mode_table(const char *key, const char *value)
{
	static const char *const keys[] = { "id", "format", "baud_gbd", "net_rate_gbps", "fec",
					     "fec_threshold_ber", "req_osnr_db", "tx_osnr_db",
					     "snr_b2b_db", "cd_penalty", "slot_ghz", "module_power_w" };
	static const char *const vals[] = { "\"m1\"", "\"DP-16QAM\"", "118.2", "800", "\"oFEC\"",
					    "2e-2", "27", "37", "19", "[[0,0],[4000,0],[12000,0.5]]",
					    "150", "30" };
	static char buf[2048];
	size_t n = (size_t)snprintf(buf, sizeof(buf), "{\"modes\": [{");
	bool first = true, replaced = false;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = vals[i];
		if (key && strcmp(key, keys[i]) == 0) {
			replaced = true;
			if (!value)
				continue;
			v = value;
		}
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s\"%s\": %s", first ? "" : ", ",
				      keys[i], v);
		first = false;
	}
	if (key && !replaced && value)
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, ", \"%s\": %s", key, value);
	snprintf(buf + n, sizeof(buf) - n, "}]}\n");
	return buf;
}
