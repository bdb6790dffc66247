/* SPDX-License-Identifier: MIT */
/*
 * The emulated ASIC's bus faults (lb_emu_asic_fault_arm, docs/emulated-asic.md "Chip health
 * and faults") and what the driver and the core make of each: a clear error with a detail or
 * the right value, the chip as it was after a failed change, the switch's view the chip's.
 */
#include <stdio.h>
#include <jansson.h>
#include <lightbridge/binding.h>
#include <lightbridge/platform.h>
#include <lightbridge/buffer.h>
#include <lightbridge/hyperport.h>
#include <lightbridge/macsec.h>
#include "asic_rig.h"

static void set_mtu(struct asic_rig *r, uint32_t port, uint32_t mtu, int want)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.mtu = mtu;
	assert_int_equal(lb_asic_port_set(r->sw, port, &c, LB_ASIC_PORT_SET_MTU), want);
}

static uint32_t mtu_in_view(struct asic_rig *r, uint32_t port)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	assert_int_equal(lb_asic_port_get(r->sw, port, &c), LB_OK);
	return c.mtu;
}

static void test_arm_and_count(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_emu_asic_fault_arm(NULL, LB_EMU_ASIC_FAULT_RESET, 0), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, (enum lb_emu_asic_fault)LB_EMU_ASIC_FAULT_KINDS, 0),
			 LB_E_INVAL);
	for (unsigned i = 0; i < LB_EMU_ASIC_MAX_FAULTS; i++)
		assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_WRITE_LOST, 1000), LB_OK);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_WRITE_LOST, 1000), LB_E_BUSY);
	assert_int_equal(lb_emu_asic_faults_armed(r.asic), LB_EMU_ASIC_MAX_FAULTS);
	lb_emu_asic_faults_clear(r.asic);
	assert_int_equal(lb_emu_asic_faults_armed(r.asic), 0);
	/* a read fault waits for a read: writes pass it by */
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_READ_TIMEOUT, 1), LB_OK);
	uint32_t v;
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_REG_ID, &v), LB_OK); /* access 0 */
	assert_int_equal(lb_emu_asic_write32(r.asic, LB_EMU_ASIC_REG_ID, 0), LB_OK);
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_REG_ID, &v), LB_E_TIMEOUT);
	assert_int_equal(lb_emu_asic_read32(r.asic, LB_EMU_ASIC_REG_ID, &v), LB_OK);
	assert_int_equal(v, LB_EMU_ASIC_ID);
	assert_int_equal(lb_emu_asic_faults_fired(r.asic, LB_EMU_ASIC_FAULT_READ_TIMEOUT), 1);
	assert_int_equal(lb_emu_asic_faults_fired(r.asic, LB_EMU_ASIC_FAULT_ALL_ONES), 0);
	asic_rig_close(&r);
}

static void test_read_faults(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_asic_port_status ref = LB_ASIC_PORT_STATUS_INIT, st = LB_ASIC_PORT_STATUS_INIT;
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &ref), LB_OK);
	/* a completion timeout: an error naming the register */
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_READ_TIMEOUT, 0), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &st), LB_E_TIMEOUT);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "read of register 0x101020"));
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &st), LB_OK);
	assert_memory_equal(&st, &ref, sizeof(st));
	/* one read of all ones while the chip answers: EPOCH asked, the register read again */
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_ALL_ONES, 0), LB_OK);
	memset(&st, 0, sizeof(st));
	st.size = sizeof(st);
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &st), LB_OK);
	assert_memory_equal(&st, &ref, sizeof(st));
	assert_int_equal(lb_emu_asic_faults_fired(r.asic, LB_EMU_ASIC_FAULT_ALL_ONES), 1);
	/* all ones and EPOCH all ones twice too: off the bus */
	for (uint64_t at = 0; at < 3; at++)
		assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_ALL_ONES, at), LB_OK);
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &st), LB_E_IO);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "fell off the bus"));
	assert_int_equal(lb_asic_port_get_status(r.sw, 1, &st), LB_OK);
	asic_rig_close(&r);
}

/* A staged write lost: the COMMAND's tally disagrees, nothing is applied. */
static void test_lost_staged_write(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	for (uint64_t at = 0; at < 6; at++) { /* the five staged writes and the command */
		assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_WRITE_LOST, at), LB_OK);
		set_mtu(&r, 2, 1500, LB_E_IO);
		assert_non_null(strstr(lb_ctx_last_error(r.ctx), "lost"));
		assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_MTU)), 9100);
		assert_int_equal(mtu_in_view(&r, 2), 9100);
	}
	set_mtu(&r, 2, 1500, LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(2, LB_EMU_ASIC_P_LIVE_MTU)), 1500);
	assert_int_equal(lb_emu_asic_faults_fired(r.asic, LB_EMU_ASIC_FAULT_WRITE_LOST), 6);
	asic_rig_close(&r);
}

/* A binding write, applied at once, lost: its status read shows the tally short. */
static void test_lost_binding_write(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_buffer_pool_config p = LB_BUFFER_POOL_CONFIG_INIT;
	p.type = LB_BUFFER_POOL_INGRESS;
	p.size_bytes = 16u << 20;
	uint32_t pool, prof, got;
	assert_int_equal(lb_buffer_pool_create(r.sw, &p, &pool), LB_OK);
	struct lb_buffer_profile_config pr = LB_BUFFER_PROFILE_CONFIG_INIT;
	pr.pool = pool;
	pr.reserved_bytes = 4096;
	assert_int_equal(lb_buffer_profile_create(r.sw, &pr, &prof), LB_OK);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_WRITE_LOST, 0), LB_OK);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, prof), LB_E_IO);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_PG(3))), 0);
	assert_int_equal(lb_asic_pg_get_profile(r.sw, 0, 3, &got), LB_OK);
	assert_int_equal(got, LB_BUFFER_NO_PROFILE);
	assert_int_equal(lb_asic_pg_set_profile(r.sw, 0, 3, prof), LB_OK);
	assert_int_equal(lb_asic_pg_get_profile(r.sw, 0, 3, &got), LB_OK);
	assert_int_equal(got, prof);
	asic_rig_close(&r);
}

static void test_stuck_command(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_STUCK, 0), LB_OK);
	set_mtu(&r, 1, 1500, LB_E_TIMEOUT);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "has not completed"));
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_MTU)), 9100);
	assert_int_equal(mtu_in_view(&r, 1), 9100);
	set_mtu(&r, 1, 1500, LB_OK);
	assert_int_equal(mtu_in_view(&r, 1), 1500);
	asic_rig_close(&r);
}

/* A reset between calls: a get from the view answers LB_E_CHANGED once, then the chip's. */
static void test_reset_between_calls(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	set_mtu(&r, 0, 1500, LB_OK);
	struct lb_buffer_pool_config p = LB_BUFFER_POOL_CONFIG_INIT, got = LB_BUFFER_POOL_CONFIG_INIT;
	p.type = LB_BUFFER_POOL_EGRESS;
	p.size_bytes = 16u << 20;
	uint32_t pool;
	assert_int_equal(lb_buffer_pool_create(r.sw, &p, &pool), LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_REG_EPOCH), 1);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_buffer_pool_get(r.sw, pool, &got), LB_E_CHANGED);
	assert_non_null(strstr(lb_ctx_last_error(r.ctx), "reset"));
	assert_int_equal(lb_buffer_pool_get(r.sw, pool, &got), LB_E_NOTFOUND);
	assert_int_equal(mtu_in_view(&r, 0), 9100); /* power-on */
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_REG_EPOCH), 2);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_REG_EPOCH_ACK), 2);
	/* and found by a change: the chip answers all ones until acknowledged */
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	set_mtu(&r, 0, 1500, LB_E_CHANGED);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_LIVE_MTU)), 9100);
	set_mtu(&r, 0, 1500, LB_OK);
	assert_int_equal(asic_reg(r.asic, LB_EMU_ASIC_PORT_REG(0, LB_EMU_ASIC_P_LIVE_MTU)), 1500);
	asic_rig_close(&r);
}

/* The health block at the register level. */
static void test_health_registers(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_emu_asic *a = r.asic;
	uint32_t cmd = LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_COMMAND);
	(void)asic_reg(a, LB_EMU_ASIC_REG_TALLY); /* restarts it */
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_CFG_MTU), 1500), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_TALLY), 1);
	/* a counted command whose tally is not the chip's: nothing applied */
	assert_int_equal(lb_emu_asic_write32(a, cmd, LB_EMU_ASIC_CMD_APPLY | LB_EMU_ASIC_CMD_COUNTED |
							 LB_EMU_ASIC_CMD_TALLY(3)), LB_OK);
	uint32_t st = asic_reg(a, LB_EMU_ASIC_CHECKED(cmd + 4));
	assert_int_equal(LB_EMU_ASIC_STATUS_ERR(st), LB_EMU_ASIC_ERR_SEQ);
	assert_int_equal(LB_EMU_ASIC_STATUS_TALLY(st), 1);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_MTU)), 9100);
	/* the right tally: applied */
	assert_int_equal(lb_emu_asic_write32(a, cmd, LB_EMU_ASIC_CMD_APPLY | LB_EMU_ASIC_CMD_COUNTED |
							 LB_EMU_ASIC_CMD_TALLY(0)), LB_OK);
	st = asic_reg(a, LB_EMU_ASIC_CHECKED(cmd + 4));
	assert_int_equal(st, LB_EMU_ASIC_ERR_OK | LB_EMU_ASIC_CMD_TALLY(1));
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_MTU)), 1500);
	/* a checked read elsewhere is refused */
	uint32_t v;
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_CHECKED(LB_EMU_ASIC_REG_ID), &v), LB_E_RANGE);
	/* after a reset: all ones and dropped writes until EPOCH_ACK */
	assert_int_equal(lb_emu_asic_fault_arm(a, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_ID), 0xFFFFFFFFu);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_TALLY), 0xFFFFFFFFu);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_EPOCH_ACK), 0);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_REG_EPOCH_ACK, 1), LB_OK); /* not the epoch */
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_ID), 0xFFFFFFFFu);
	assert_int_equal(lb_emu_asic_write32(a, LB_EMU_ASIC_REG_EPOCH_ACK, 2), LB_OK);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_REG_ID), LB_EMU_ASIC_ID);
	assert_int_equal(asic_reg(a, LB_EMU_ASIC_PORT_REG(1, LB_EMU_ASIC_P_LIVE_MTU)), 9100);
	asic_rig_close(&r);
}

/* Gets answered from the switch's view (MACsec SecY and SC, HyperPort list and membership)
 * ask the chip first: after a reset between calls, LB_E_CHANGED once, then the chip's. */
static void test_view_gets_after_reset(void **state)
{
	(void)state;
	struct asic_rig r;
	asic_rig_open(&r, "small");
	struct lb_macsec_secy_config s = LB_MACSEC_SECY_CONFIG_INIT, got = LB_MACSEC_SECY_CONFIG_INIT;
	s.enable = 1;
	s.cipher = LB_MACSEC_GCM_AES_128;
	s.sci = 0x0200000000010001ull;
	assert_int_equal(lb_macsec_secy_set(r.sw, 1, &s), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 1, LB_MACSEC_TX, 0), LB_OK);
	struct lb_hyperport_config h = LB_HYPERPORT_CONFIG_INIT;
	for (uint32_t i = 0; i < LB_HYPERPORT_MEMBERS; i++)
		h.members[i] = i;
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(r.sw, &h, &hp), LB_OK);
	uint64_t sci;
	size_t n;
	/* each get meets its own reset */
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_macsec_secy_get(r.sw, 1, &got), LB_E_CHANGED);
	assert_int_equal(lb_macsec_secy_get(r.sw, 1, &got), LB_OK);
	assert_int_equal(got.enable, 0);
	assert_int_equal(lb_macsec_sc_get(r.sw, 1, LB_MACSEC_TX, &sci), LB_E_NOTFOUND);
	assert_int_equal(lb_macsec_secy_set(r.sw, 1, &s), LB_OK);
	assert_int_equal(lb_macsec_sc_create(r.sw, 1, LB_MACSEC_TX, 0), LB_OK);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_macsec_sc_get(r.sw, 1, LB_MACSEC_TX, &sci), LB_E_CHANGED);
	assert_int_equal(lb_macsec_sc_get(r.sw, 1, LB_MACSEC_TX, &sci), LB_E_NOTFOUND);
	assert_int_equal(lb_hyperport_create(r.sw, &h, &hp), LB_OK);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_hyperport_list(r.sw, NULL, 0, &n), LB_E_CHANGED);
	assert_int_equal(lb_hyperport_list(r.sw, NULL, 0, &n), LB_OK);
	assert_int_equal(n, 0);
	assert_int_equal(lb_hyperport_create(r.sw, &h, &hp), LB_OK);
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_hyperport_of_port(r.sw, 2, &hp), LB_E_CHANGED);
	assert_int_equal(lb_hyperport_of_port(r.sw, 2, &hp), LB_E_NOTFOUND);
	assert_string_equal(lb_ctx_last_error(r.ctx), "asic port 2: a member of no hyperport");
	/* a reset found by a HyperPort's counters read: the view is learnt again after it */
	set_mtu(&r, 0, 1500, LB_OK);
	assert_int_equal(lb_hyperport_create(r.sw, &h, &hp), LB_OK);
	struct lb_asic_port_counters total = LB_ASIC_PORT_COUNTERS_INIT;
	assert_int_equal(lb_emu_asic_fault_arm(r.asic, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_hyperport_counters_read(r.sw, hp, NULL, &total), LB_E_CHANGED);
	assert_int_equal(mtu_in_view(&r, 0), 9100);
	asic_rig_close(&r);
}

/* The platform's binding calls over a failing ASIC bus: a clear error, then the chip's state;
 * after a reset LB_E_CHANGED once, then the port as at power-on (admin down). A scale-across
 * scenario with a small ASIC whose lanes 0-7 and 8-15 its two cages join (test_asic_binding). */
static void test_binding_calls(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	const char *file = LB_SOURCE_DIR "/platforms/scale-across-500km.json";
	json_error_t err;
	json_t *root = json_load_file(file, 0, &err);
	assert_non_null(root);
	json_object_set_new(root, "asic", json_pack("{s:s, s:{s:s}}", "driver", "emulated", "options",
						      "profile", "small"));
	json_t *ports = json_object_get(root, "ports");
	assert_int_equal(json_array_size(ports), 2);
	for (size_t i = 0; i < 2; i++)
		json_object_set_new(json_array_get(ports, i), "asic_lanes",
				    json_pack("{s:I, s:I}", "first", (json_int_t)(8 * i), "count", (json_int_t)8));
	char *text = json_dumps(root, 0);
	json_decref(root);
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, text, file, &p), LB_OK);
	free(text);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_emu_asic *a = lb_emu_switch_asic(sw);
	assert_non_null(a);
	struct lb_asic_port_config up = LB_ASIC_PORT_CONFIG_INIT;
	up.admin_up = 1;
	assert_int_equal(lb_asic_port_set(sw, 0, &up, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &o), LB_OK);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	/* each fault in the ASIC's part of the call */
	static const enum lb_emu_asic_fault kinds[] = { LB_EMU_ASIC_FAULT_READ_TIMEOUT, LB_EMU_ASIC_FAULT_ALL_ONES };
	static const int want[] = { LB_E_TIMEOUT, LB_OK };
	int rc;
	for (unsigned k = 0; k < 2; k++) {
		assert_int_equal(lb_emu_asic_fault_arm(a, kinds[k], 0), LB_OK);
		o = (struct lb_port_oper)LB_PORT_OPER_INIT;
		rc = lb_platform_asic_port_oper(p, 0, &o);
		if (rc != want[k])
			fail_msg("%s: %s", lb_status_name(rc), lb_ctx_last_error(ctx));
		if (want[k])
			assert_non_null(strstr(lb_ctx_last_error(ctx), "emulated asic: read of register"));
		else
			assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
		assert_int_equal(lb_emu_asic_faults_armed(a), 0);
	}
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &o), LB_OK);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	/* a reset: said once, then the port as at power-on */
	assert_int_equal(lb_emu_asic_fault_arm(a, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &o), LB_E_CHANGED);
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &o), LB_OK);
	assert_int_equal(o.reason, LB_PORT_DOWN_ADMIN);
	/* and the bind, which reads the port's speed from the switch, after a reset */
	assert_int_equal(lb_emu_asic_fault_arm(a, LB_EMU_ASIC_FAULT_RESET, 0), LB_OK);
	uint32_t epoch;
	assert_int_equal(lb_emu_asic_read32(a, LB_EMU_ASIC_REG_EPOCH, &epoch), LB_OK); /* fires now */
	rc = lb_platform_asic_port_bind(p, 0, NULL, NULL);
	assert_true(rc == LB_E_CHANGED || rc == LB_OK);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arm_and_count),
		cmocka_unit_test(test_read_faults),
		cmocka_unit_test(test_lost_staged_write),
		cmocka_unit_test(test_lost_binding_write),
		cmocka_unit_test(test_stuck_command),
		cmocka_unit_test(test_reset_between_calls),
		cmocka_unit_test(test_health_registers),
		cmocka_unit_test(test_view_gets_after_reset),
		cmocka_unit_test(test_binding_calls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
