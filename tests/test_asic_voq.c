/* SPDX-License-Identifier: MIT */
/*
 * VOQ system ports (lightbridge/voq.h) on the emulated jericho4-class switch: this switch's
 * id and cores, a local system port for every ASIC port (listed, each tied to its ASIC port
 * and following its speed), remote ones of another chip, and every rule refused whole with
 * its detail and nothing changed; an NPU switch has none.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/lightbridge.h>

struct rig {
	struct lb_ctx *ctx;
	struct lb_switch *sw;
};

static void rig_open(struct rig *r, const char *profile)
{
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	char opts[64];
	snprintf(opts, sizeof(opts), "{\"profile\": \"%s\"}", profile);
	assert_int_equal(lb_switch_open(r->ctx, "emulated", opts, NULL, &r->sw), LB_OK);
}

static void rig_close(struct rig *r)
{
	lb_switch_close(r->sw);
	lb_ctx_destroy(r->ctx);
}

static size_t count(struct lb_switch *sw)
{
	size_t n = 99;
	assert_int_equal(lb_system_port_list(sw, NULL, 0, &n), LB_OK);
	return n;
}

/* status and the detail, and the table unchanged */
static void refused(struct rig *r, int status, int rc, const char *detail, size_t n)
{
	assert_int_equal(rc, status);
	if (!strstr(lb_ctx_last_error(r->ctx), detail))
		fail_msg("detail '%s' lacks '%s'", lb_ctx_last_error(r->ctx), detail);
	assert_int_equal(count(r->sw), n);
}

static struct lb_system_port_config remote(uint32_t id, uint32_t sw_id, uint32_t core, uint32_t port)
{
	struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
	c.system_port_id = id;
	c.switch_id = sw_id;
	c.core = core;
	c.core_port = port;
	c.speed_mbps = 800000;
	c.num_voq = 8;
	return c;
}

static void test_local_and_remote(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, "jericho4-class");
	struct lb_switch *sw = r.sw;
	/* nothing before this switch's identity */
	assert_int_equal(count(sw), 0);
	refused(&r, LB_E_STATE, lb_system_ports_create_local(sw, 1, NULL), "lb_voq_switch_set", 0);
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	self.switch_id = 3;
	self.cores = 3; /* 512 lanes do not split in 3 */
	refused(&r, LB_E_RANGE, lb_voq_switch_set(sw, &self), "sharing the 512 lanes evenly", 0);
	self.cores = 2;
	self.switch_id = 4096;
	refused(&r, LB_E_RANGE, lb_voq_switch_set(sw, &self), "switch id 4096: at most 2047", 0);
	self.switch_id = 3;
	assert_int_equal(lb_voq_switch_set(sw, &self), LB_OK);
	struct lb_voq_switch_config got = LB_VOQ_SWITCH_CONFIG_INIT;
	assert_int_equal(lb_voq_switch_get(sw, &got), LB_OK);
	assert_int_equal(got.switch_id, 3);
	assert_int_equal(got.cores, 2);

	/* one per ASIC port: 64 of 800G at power-on */
	size_t made = 0;
	assert_int_equal(lb_system_ports_create_local(sw, 1000, &made), LB_OK);
	assert_int_equal(made, 64);
	uint32_t ids[128];
	size_t n = 0;
	assert_int_equal(lb_system_port_list(sw, ids, 128, &n), LB_OK);
	assert_int_equal(n, 64);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(ids[i], 1000 + i);
	struct lb_system_port_config c = LB_SYSTEM_PORT_CONFIG_INIT;
	assert_int_equal(lb_system_port_get(sw, 1040, &c), LB_OK);
	assert_int_equal(c.switch_id, 3);
	assert_int_equal(c.asic_port, 40);
	assert_int_equal(c.core_port, 40);
	assert_int_equal(c.core, 1); /* lanes 320-327: the second half of the chip */
	assert_int_equal(c.num_voq, 8);
	assert_int_equal(c.speed_mbps, 800000);
	assert_int_equal(lb_system_port_get(sw, 1003, &c), LB_OK);
	assert_int_equal(c.core, 0);
	/* again: every ASIC port has one, nothing more */
	assert_int_equal(lb_system_ports_create_local(sw, 5000, &made), LB_OK);
	assert_int_equal(made, 0);

	/* the local port follows its ASIC port's speed; the ASIC port cannot go while it has one */
	struct lb_asic_port_config pc = LB_ASIC_PORT_CONFIG_INIT;
	pc.speed_mbps = 1600000; /* 8 lanes of 200G, once port 63 leaves room in the capacity */
	assert_int_equal(lb_system_port_remove(sw, 1063), LB_OK);
	assert_int_equal(lb_asic_port_remove(sw, 63), LB_OK);
	assert_int_equal(lb_asic_port_set(sw, 40, &pc, LB_ASIC_PORT_SET_SPEED), LB_OK);
	assert_int_equal(lb_system_port_get(sw, 1040, &c), LB_OK);
	assert_int_equal(c.speed_mbps, 1600000);
	assert_int_equal(lb_asic_port_remove(sw, 40), LB_E_BUSY);
	assert_string_equal(lb_ctx_last_error(r.ctx),
			    "asic port 40: system port 1040 is on it (lb_system_port_remove first)");
	assert_int_equal(lb_system_port_remove(sw, 1040), LB_OK);
	assert_int_equal(count(sw), 62);
	assert_int_equal(lb_asic_port_remove(sw, 40), LB_OK);

	/* remote ports of switch 7 */
	for (uint32_t i = 0; i < 4; i++) {
		c = remote(2000 + i, 7, i % 2, i);
		assert_int_equal(lb_system_port_create(sw, &c), LB_OK);
	}
	assert_int_equal(count(sw), 66);
	assert_int_equal(lb_system_port_get(sw, 2001, &c), LB_OK);
	assert_int_equal(c.asic_port, LB_VOQ_NO_ASIC_PORT);
	assert_int_equal(c.core, 1);

	/* the rules, each refused whole */
	c = remote(2000, 8, 0, 0);
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c), "system port 2000: the id is taken", 66);
	c = remote(2100, 7, 1, 1);
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c),
		"switch 7 core 1 port 1 is system port 2001 already", 66);
	c = remote(0, 7, 0, 9);
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "ids start at 1", 66);
	c = remote(2100, 7, 0, 9);
	c.num_voq = 9;
	refused(&r, LB_E_RANGE, lb_system_port_create(sw, &c), "9 VOQs: 1 to 8", 66);
	c = remote(2100, 7, 0, 9);
	c.speed_mbps = 300000;
	refused(&r, LB_E_NOTSUP, lb_system_port_create(sw, &c), "speed 300G: not a speed of", 66);
	c = remote(2100, 3, 2, 9); /* this switch has 2 cores */
	refused(&r, LB_E_RANGE, lb_system_port_create(sw, &c), "core 2: switch 3 has 2 cores", 66);
	c = remote(2100, 3, 0, 40); /* local, but ASIC port 40 is gone */
	refused(&r, LB_E_NOTFOUND, lb_system_port_create(sw, &c), "core port 40 is no asic port", 66);
	c = remote(2100, 3, 0, 5);  /* local: ASIC port 5 has system port 1005 */
	refused(&r, LB_E_EXISTS, lb_system_port_create(sw, &c), "is system port 1005 already", 66);
	assert_int_equal(lb_system_port_remove(sw, 1005), LB_OK);
	c = remote(2100, 3, 1, 5);  /* ASIC port 5 (lanes 40-47) is on core 0 */
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "is on core 0, not 1", 65);
	c = remote(2100, 3, 0, 5);
	c.speed_mbps = 400000;
	refused(&r, LB_E_INVAL, lb_system_port_create(sw, &c), "speed 400000 Mb/s, asic port 5 runs 800000", 65);
	c.speed_mbps = 800000; /* right: ASIC port 5 gets its system port back by hand */
	assert_int_equal(lb_system_port_create(sw, &c), LB_OK);
	assert_int_equal(lb_system_port_get(sw, 2100, &c), LB_OK);
	assert_int_equal(c.asic_port, 5);
	/* a new ASIC port: create_local gives it one; an id taken refuses the lot */
	pc = (struct lb_asic_port_config)LB_ASIC_PORT_CONFIG_INIT;
	pc.first_lane = 320;
	pc.lane_count = 4;
	pc.speed_mbps = 400000;
	pc.fec = LB_ASIC_FEC_RS544_2XN;
	uint32_t np;
	assert_int_equal(lb_asic_port_create(sw, &pc, &np), LB_OK);
	assert_int_equal(np, 40);
	refused(&r, LB_E_EXISTS, lb_system_ports_create_local(sw, 1960, &made), "system port 2000: the id is taken", 66);
	assert_int_equal(made, 0);
	assert_int_equal(lb_system_ports_create_local(sw, 3000, &made), LB_OK);
	assert_int_equal(made, 1);
	assert_int_equal(lb_system_port_get(sw, 3040, &c), LB_OK);
	assert_int_equal(c.speed_mbps, 400000);
	assert_int_equal(c.core, 1);
	/* identity fixed while system ports exist */
	refused(&r, LB_E_STATE, lb_voq_switch_set(sw, &self), "remove them first", 67);
	/* bad arguments */
	assert_int_equal(lb_system_port_get(sw, 1, &c), LB_E_NOTFOUND);
	assert_int_equal(lb_system_port_remove(sw, 1), LB_E_NOTFOUND);
	assert_int_equal(lb_system_port_get(sw, 2100, NULL), LB_E_INVAL);
	assert_int_equal(lb_system_port_create(sw, NULL), LB_E_INVAL);
	assert_int_equal(lb_system_port_list(sw, NULL, 1, &n), LB_E_INVAL);
	struct lb_system_port_config small = { .size = 8 };
	assert_int_equal(lb_system_port_get(sw, 2100, &small), LB_E_INVAL);
	/* the list is bounded by max and still counts all */
	assert_int_equal(lb_system_port_list(sw, ids, 2, &n), LB_OK);
	assert_int_equal(n, 67);
	assert_int_equal(ids[0], 1000);
	rig_close(&r);
}

static void test_npu_has_none(void **unused)
{
	(void)unused;
	struct rig r;
	rig_open(&r, "small");
	struct lb_voq_switch_config self = LB_VOQ_SWITCH_CONFIG_INIT;
	self.cores = 1;
	assert_int_equal(lb_voq_switch_set(r.sw, &self), LB_E_NOTSUP);
	assert_string_equal(lb_ctx_last_error(r.ctx), "system ports: switch small is not a VOQ switch");
	size_t n;
	assert_int_equal(lb_system_port_list(r.sw, NULL, 0, &n), LB_E_NOTSUP);
	assert_int_equal(lb_system_ports_create_local(r.sw, 1, &n), LB_E_NOTSUP);
	assert_int_equal(lb_asic_port_remove(r.sw, 0), LB_OK); /* no system port in the way */
	rig_close(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local_and_remote),
		cmocka_unit_test(test_npu_has_none),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
