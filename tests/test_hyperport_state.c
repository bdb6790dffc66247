/* SPDX-License-Identifier: MIT */
/*
 * HyperPorts in the emulated ASIC's saved state (drivers/asic/emulated/emulated_state.c,
 * "hyperports"): kept from one process to the next with their members and hash; a state
 * file whose HyperPorts are malformed or refused by the chip ignored with a warning (the ASIC
 * at power-on, no HyperPort); a file without the key (older) restoring its ports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <lightbridge/hyperport.h>
#include "asic_rig.h"

#define OPTS "{\"profile\": \"small\", \"name\": \"t0\"}"

static char dir[64];
static char warned[ASIC_RIG_WARNED_LEN];

static struct lb_ctx *ctx_in(enum lb_state_mode mode)
{
	return asic_rig_state_ctx(dir, mode, warned);
}

static void write_file(const char *name, const char *text)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static size_t n_hps(struct lb_switch *sw)
{
	size_t n;
	assert_int_equal(lb_hyperport_list(sw, NULL, 0, &n), LB_OK);
	return n;
}

static void test_round_trip(void **state)
{
	(void)state;
	struct lb_ctx *ctx = ctx_in(LB_STATE_READ_WRITE);
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	struct lb_hyperport_config c = LB_HYPERPORT_CONFIG_INIT;
	c.members[0] = 2;
	c.members[1] = 0;
	c.members[2] = 3;
	c.members[3] = 1;
	c.hash = LB_HYPERPORT_HASH_SPRAY;
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(sw, &c, &hp), LB_OK);
	lb_switch_close(sw); /* saves */
	lb_ctx_destroy(ctx);

	ctx = ctx_in(LB_STATE_READ_ONLY);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_string_equal(warned, "");
	assert_int_equal(n_hps(sw), 1);
	struct lb_hyperport_config got = LB_HYPERPORT_CONFIG_INIT;
	assert_int_equal(lb_hyperport_get(sw, 0, &got), LB_OK);
	assert_int_equal(got.members[0], 2);
	assert_int_equal(got.members[3], 1);
	assert_int_equal(got.hash, LB_HYPERPORT_HASH_SPRAY);
	assert_int_equal(lb_asic_port_remove(sw, 3), LB_E_BUSY); /* held, after a restore too */
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);

	/* fresh: power-on, no HyperPort */
	ctx = ctx_in(LB_STATE_FRESH);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_int_equal(n_hps(sw), 0);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
}

#define PORTS                                                                                        \
	"\"pools\": [], \"profiles\": [], \"ports\": ["                                              \
	"{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"   \
	" \"admin_up\": 0, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []}," \
	"{\"port\": 1, \"first_lane\": 8, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"   \
	" \"admin_up\": 0, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []}," \
	"{\"port\": 2, \"first_lane\": 16, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"  \
	" \"admin_up\": 0, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []}," \
	"{\"port\": 3, \"first_lane\": 24, \"lane_count\": 4, \"speed_mbps\": 400000, \"fec\": 3,"  \
	" \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []}]"
#define HEAD "{\"version\": 1, \"profile\": \"small\", " PORTS

static void test_bad_files_ignored(void **state)
{
	(void)state;
	static const char *const cases[] = {
		HEAD ", \"hyperports\": {}}",
		HEAD ", \"hyperports\": [{\"hyperport\": 0, \"members\": [0, 1, 2], \"hash\": 0}]}",
		HEAD ", \"hyperports\": [{\"hyperport\": 64, \"members\": [0, 1, 2, 3], \"hash\": 0}]}",
		HEAD ", \"hyperports\": [{\"hyperport\": 0, \"members\": [0, 1, 2, 3], \"hash\": 2}]}",
		HEAD ", \"hyperports\": [{\"hyperport\": 0, \"members\": [0, 1, 2, 99], \"hash\": 0}]}",
		HEAD ", \"hyperports\": [{\"hyperport\": 0, \"members\": [0, 1, 2, \"x\"], \"hash\": 0}]}",
		/* the chip's refusal: port 3 runs at 400G */
		HEAD ", \"hyperports\": [{\"hyperport\": 0, \"members\": [0, 1, 2, 3], \"hash\": 0}]}",
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file("asic-t0.json", cases[i]);
		struct lb_ctx *ctx = ctx_in(LB_STATE_READ_ONLY);
		struct lb_switch *sw;
		assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
		assert_int_equal(n_hps(sw), 0);
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		assert_int_equal(lb_asic_port_get(sw, 3, &c), LB_OK);
		assert_int_equal(c.speed_mbps, 800000); /* power-on, not the file's 400G */
		if (!strstr(warned, "the chip refused it"))
			fail_msg("case %zu: warning '%s'", i, warned);
		lb_switch_close(sw);
		lb_ctx_destroy(ctx);
	}
	/* no "hyperports" (a file from before them): its ports, no HyperPort, no warning */
	write_file("asic-t0.json", HEAD "}");
	struct lb_ctx *ctx = ctx_in(LB_STATE_READ_ONLY);
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_string_equal(warned, "");
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(sw, 3, &c), LB_OK);
	assert_int_equal(c.speed_mbps, 400000);
	assert_int_equal(n_hps(sw), 0);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lb-hp-state-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_bad_files_ignored),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
