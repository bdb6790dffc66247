/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's configuration kept between processes (drivers/asic/emulated/
 * emulated_state.c): a round trip of ports, pools, profiles and bindings; read-only and fresh
 * contexts; a file that is not JSON, of another profile, or that the chip refuses, ignored
 * with a warning; a planted symlink never followed; an untrusted directory refused.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <lightbridge/buffer.h>
#include "asic_rig.h"

#define OPTS "{\"profile\": \"small\", \"name\": \"t0\"}"

static char dir[64];
static char warned[ASIC_RIG_WARNED_LEN];

static struct lb_ctx *ctx_in(enum lb_state_mode mode)
{
	return asic_rig_state_ctx(dir, mode, warned);
}

static size_t n_ports(struct lb_switch *sw)
{
	size_t n;
	assert_int_equal(lb_asic_port_list(sw, NULL, 0, &n), LB_OK);
	return n;
}

/* Breakout of port 0 into 2 x 400G, PG 3 of the first bound to a lossless profile. */
static void configure(struct lb_switch *sw)
{
	assert_int_equal(lb_asic_port_remove(sw, 0), LB_OK);
	for (uint32_t i = 0; i < 2; i++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.first_lane = 4 * i;
		c.lane_count = 4;
		c.speed_mbps = 400000;
		c.fec = LB_ASIC_FEC_RS544_2XN;
		c.admin_up = 1;
		c.pfc_mask = 0x08;
		uint32_t p;
		assert_int_equal(lb_asic_port_create(sw, &c, &p), LB_OK);
	}
	struct lb_buffer_pool_config pc = LB_BUFFER_POOL_CONFIG_INIT;
	pc.type = LB_BUFFER_POOL_INGRESS;
	pc.size_bytes = 16u << 20;
	pc.xoff_bytes = 4u << 20;
	struct lb_buffer_profile_config fc = LB_BUFFER_PROFILE_CONFIG_INIT;
	fc.reserved_bytes = 4096;
	fc.dynamic_th = -3;
	fc.xoff_bytes = 1u << 20;
	fc.xon_bytes = 1u << 19;
	uint32_t pool, prof;
	assert_int_equal(lb_buffer_pool_create(sw, &pc, &pool), LB_OK);
	fc.pool = pool;
	assert_int_equal(lb_buffer_profile_create(sw, &fc, &prof), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(sw, 0, 3, prof), LB_OK);
}

static void assert_configured(struct lb_switch *sw)
{
	assert_int_equal(n_ports(sw), 5);
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(sw, 4, &c), LB_OK);
	assert_int_equal(c.first_lane, 4);
	assert_int_equal(c.speed_mbps, 400000);
	assert_int_equal(c.admin_up, 1);
	assert_int_equal(c.pfc_mask, 0x08);
	struct lb_buffer_profile_config fc = LB_BUFFER_PROFILE_CONFIG_INIT;
	assert_int_equal(lb_buffer_profile_get(sw, 0, &fc), LB_OK);
	assert_int_equal(fc.dynamic_th, -3);
	assert_int_equal(fc.xon_bytes, 1u << 19);
	uint32_t prof;
	assert_int_equal(lb_asic_pg_get_profile(sw, 0, 3, &prof), LB_OK);
	assert_int_equal(prof, 0);
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

static void test_round_trip(void **state)
{
	(void)state;
	struct lb_ctx *ctx = ctx_in(LB_STATE_READ_WRITE);
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_int_equal(n_ports(sw), 4); /* power-on */
	configure(sw);
	lb_switch_close(sw);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_configured(sw);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);

	/* read-only: restored, and what it changes is not kept */
	ctx = ctx_in(LB_STATE_READ_ONLY);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_configured(sw);
	assert_int_equal(lb_asic_port_remove(sw, 1), LB_OK);
	lb_switch_close(sw);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_configured(sw);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);

	/* fresh: power-on, and that is what is kept */
	ctx = ctx_in(LB_STATE_FRESH);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_int_equal(n_ports(sw), 4);
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
	ctx = ctx_in(LB_STATE_READ_WRITE);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_int_equal(n_ports(sw), 4);
	assert_string_equal(warned, "");
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
}

static void test_bad_files_ignored(void **state)
{
	(void)state;
	struct {
		const char *text, *why;
	} cases[] = {
		{ "{\"version\": 1, \"profile\": \"sm", "not JSON" },
		{ "{\"version\": 1, \"profile\": \"jericho4-class\", \"pools\": [], \"profiles\": [], \"ports\": []}",
		  "another profile" },
		{ "{\"version\": 9, \"profile\": \"small\"}", "another version" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []},"
		  "{\"port\": 1, \"first_lane\": 4, \"lane_count\": 4, \"speed_mbps\": 400000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": []}]}",
		  "the chip refused it" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0}]}", "the chip refused it" },
		/* QoS (the traffic feature): a short array; a DWRR weight of 0 the chip refuses */
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": [],"
		  " \"qos\": [1, 1]}]}",
		  "the chip refused it" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": [],"
		  " \"qos\": [1,1,1,1,1,1,1,1, 0,1,1,1,1,1,1,1, 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,"
		  " 0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0, 1985229328, 1985229328, 1985229328]}]}",
		  "the chip refused it" },
		/* counters kept (emulated_stats.c): too many, a negative one, a watermark array short */
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": [],"
		  " \"stats\": {\"counters\": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
		  "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1]}}]}",
		  "the chip refused it" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 0, \"pgs\": [], \"queues\": [],"
		  " \"stats\": {\"counters\": [-1], \"pg_cur\": [0,0,0,0,0,0,0,0]}}]}",
		  "the chip refused it" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": [],"
		  " \"pool_watermarks\": [[1, 2]]}", "the chip refused it" },
		/* 802.3x PAUSE with PFC; a VOQ table on an NPU chip */
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": ["
		  "{\"port\": 0, \"first_lane\": 0, \"lane_count\": 8, \"speed_mbps\": 800000, \"fec\": 3,"
		  " \"admin_up\": 1, \"mtu\": 9100, \"loopback\": 0, \"pfc_mask\": 8, \"pause\": 3, \"pgs\": [],"
		  " \"queues\": []}]}", "the chip refused it" },
		{ "{\"version\": 1, \"profile\": \"small\", \"pools\": [], \"profiles\": [], \"ports\": [],"
		  " \"voq\": {\"switch_id\": 1, \"cores\": 1, \"system_ports\": []}}", "the chip refused it" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		write_file("asic-t0.json", cases[i].text);
		struct lb_ctx *ctx = ctx_in(LB_STATE_READ_ONLY);
		struct lb_switch *sw;
		assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
		assert_int_equal(n_ports(sw), 4); /* power-on */
		if (!strstr(warned, cases[i].why))
			fail_msg("case %zu: warning '%s' lacks '%s'", i, warned, cases[i].why);
		lb_switch_close(sw);
		lb_ctx_destroy(ctx);
	}
}

static void test_symlinks_and_trust(void **state)
{
	(void)state;
	char path[128], target[128];
	/* the state file a symlink to a file elsewhere: never read, and replaced, not written through */
	snprintf(target, sizeof(target), "%s-target", dir);
	FILE *f = fopen(target, "w");
	assert_non_null(f);
	fputs("precious", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/asic-t0.json", dir);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	struct lb_ctx *ctx = ctx_in(LB_STATE_READ_WRITE);
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_OK);
	assert_non_null(strstr(warned, "not a regular file"));
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
	char buf[16] = "";
	f = fopen(target, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "precious");
	struct stat st;
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	unlink(target);
	/* the lock file a symlink: refused */
	snprintf(path, sizeof(path), "%s/asic-t0.json.lock", dir);
	unlink(path);
	assert_int_equal(symlink("/nonexistent", path), 0);
	ctx = ctx_in(LB_STATE_READ_WRITE);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_E_IO);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "asic-t0.json.lock: not a regular file"));
	lb_ctx_destroy(ctx);
	unlink(path);
	/* a directory others may write to */
	assert_int_equal(chmod(dir, 0777), 0);
	ctx = ctx_in(LB_STATE_READ_WRITE);
	assert_int_equal(lb_switch_open(ctx, "emulated", OPTS, NULL, &sw), LB_E_PERM);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "writable by group or others: refused"));
	lb_ctx_destroy(ctx);
	assert_int_equal(chmod(dir, 0700), 0);
	/* a name that would leave the directory */
	ctx = ctx_in(LB_STATE_READ_WRITE);
	assert_int_equal(lb_switch_open(ctx, "emulated", "{\"profile\": \"small\", \"name\": \"../x\"}", NULL, &sw),
			 LB_E_PARSE);
	lb_ctx_destroy(ctx);
}

/* The statistics the state file keeps, read and set back whole (lb_emu_asic_port_stats_*). */
static void test_stats_api(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic_port_stats st = LB_EMU_ASIC_PORT_STATS_INIT;
	assert_int_equal(lb_emu_asic_port_stats_get(r.asic, 0, &st), LB_OK);
	assert_int_equal(st.n_counters, LB_EMU_ASIC_N_COUNTERS);
	st.counters[LB_EMU_ASIC_C_IN_UCAST] = 1234;
	st.counters[LB_EMU_ASIC_C_PAUSE_TX_US] = 77;
	st.q_peak[3] = 4096;
	assert_int_equal(lb_emu_asic_port_stats_set(r.asic, 0, &st), LB_OK);
	struct lb_asic_port_counters c = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.in_ucast_pkts, 1234);
	assert_int_equal(c.pause_tx_us, 77);
	struct lb_emu_asic_port_stats back = LB_EMU_ASIC_PORT_STATS_INIT;
	assert_int_equal(lb_emu_asic_port_stats_get(r.asic, 0, &back), LB_OK);
	assert_int_equal(back.q_peak[3], 4096);
	/* refusals change nothing */
	st.n_counters = LB_EMU_ASIC_N_COUNTERS + 1;
	st.counters[LB_EMU_ASIC_C_IN_UCAST] = 1;
	assert_int_equal(lb_emu_asic_port_stats_set(r.asic, 0, &st), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_port_stats_set(r.asic, 31, &back), LB_E_NOTFOUND); /* no port 31 */
	assert_int_equal(lb_emu_asic_port_stats_get(r.asic, 99, &back), LB_E_NOTFOUND);
	struct lb_emu_asic_port_stats small = { .size = 8 };
	assert_int_equal(lb_emu_asic_port_stats_get(r.asic, 0, &small), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_port_stats_set(r.asic, 0, NULL), LB_E_INVAL);
	assert_int_equal(lb_asic_port_counters_read(r.sw, 0, &c), LB_OK);
	assert_int_equal(c.in_ucast_pkts, 1234);
	uint64_t cur, peak;
	assert_int_equal(lb_emu_asic_pool_stats_set(r.asic, 3, 10, 20), LB_OK);
	assert_int_equal(lb_emu_asic_pool_stats_get(r.asic, 3, &cur, &peak), LB_OK);
	assert_int_equal(cur, 10);
	assert_int_equal(peak, 20);
	assert_int_equal(lb_emu_asic_pool_stats_get(r.asic, LB_EMU_ASIC_POOLS, &cur, &peak), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_pool_stats_get(r.asic, 0, NULL, &peak), LB_E_INVAL);
	asic_rig_close(&r);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/lb-asic-state-XXXXXX");
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
		cmocka_unit_test(test_symlinks_and_trust),
		cmocka_unit_test(test_stats_api),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
