/* SPDX-License-Identifier: MIT */
/*
 * Port <-> module binding (lightbridge/binding.h): an ASIC port's speed and lanes choose the
 * module's application and bring it up; the port's state through the platform follows the
 * module (absent, not ready, data path down) and, on the scale-across scenarios, the optical
 * link: ends on different line modes take both ports down with Rx LOL, the same mode on both
 * brings both up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <cmocka.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/emulator.h>
#include "drivers/bus/emulator/emulator_bus.h"
#include "platform_rig.h"

extern const struct lb_driver lb_bus_driver_emulator;

/* A scale-across scenario with a small ASIC whose lanes 0-7 and 8-15 the two cages join. */
static struct lb_platform *scenario(struct lb_ctx *ctx, const char *file)
{
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
	int rc = lb_platform_open_json(ctx, text, file, &p);
	free(text);
	assert_int_equal(rc, LB_OK);
	return p;
}

static void set_port(struct lb_switch *sw, uint32_t asic_port, uint32_t speed_mbps, int admin_up)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.speed_mbps = speed_mbps;
	c.admin_up = admin_up;
	int rc = lb_asic_port_set(sw, asic_port, &c, LB_ASIC_PORT_SET_SPEED | LB_ASIC_PORT_SET_ADMIN);
	if (rc)
		fprintf(stderr, "asic port %u: %s\n", asic_port, lb_ctx_last_error(NULL));
	assert_int_equal(rc, LB_OK);
}

/* 500 km: 800G on both ends closes; 400G at one end (400ZR) against 800G: both down (LOL). */
static void test_scale_across_500km(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km.json");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);

	/* the front-panel map: ASIC port 1 is on port 2's lanes, host lanes 1-8 */
	unsigned port = 0;
	uint32_t mask = 0;
	assert_int_equal(lb_platform_asic_port_lanes(p, 1, &port, &mask), LB_OK);
	assert_int_equal(port, 2);
	assert_int_equal(mask, 0xFF);
	assert_int_equal(lb_platform_asic_port_lanes(p, 2, &port, &mask), LB_E_NOTFOUND); /* lanes 16-23 */
	assert_int_equal(lb_platform_asic_port_lanes(p, 9, &port, &mask), LB_E_NOTFOUND); /* no such port */

	/* admin down first, whatever the module does */
	struct lb_port_oper o = platform_rig_oper(p, 0);
	assert_int_equal(o.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(o.reason, LB_PORT_DOWN_ADMIN);
	assert_int_equal(o.port, 1);
	/* admin up: the module is in LowPwr, not carrying the port */
	set_port(sw, 0, 800000, 1);
	set_port(sw, 1, 800000, 1);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	assert_int_equal(o.module_state, LB_MODULE_STATE_LOW_PWR);
	assert_string_equal(lb_port_down_reason_name(o.reason), "module-not-ready");

	/* bind port 1 at 800G: AppSel 1 (800ZR-A, 800GAUI-8), its data path up; the far end dark */
	struct lb_bringup *bu;
	uint8_t app = 0;
	assert_int_equal(lb_platform_asic_port_bind_start(p, 0, NULL, &app, &bu), LB_OK);
	assert_int_equal(app, 1);
	assert_string_equal(lb_bringup_step_name(bu), "plan");
	lb_bringup_free(bu);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	o = platform_rig_oper(p, 1);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY); /* the far end is still unbound */
	platform_rig_settle(p);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.appsel, 1);
	assert_int_equal(o.dp_state, LB_DP_STATE_ACTIVATED);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOS);
	assert_int_equal(o.rx_los, 1);
	assert_int_equal(o.oper, LB_ASIC_OPER_DOWN);

	/* the far end brought up by hand on ZR300 8QAM (AppSel 4) against 800ZR: the ends
	 * disagree, both down with LOL (the ASIC hears nothing: its cage's module sends it no
	 * signal while the link is down, lb_emu_asic_attach_module) */
	struct lb_module *far;
	assert_int_equal(lb_platform_module(p, 2, &far), LB_OK);
	assert_int_equal(lb_module_bring_up(far, 0, 4, NULL), LB_OK);
	platform_rig_settle(p);
	o = platform_rig_oper(p, 1);
	assert_int_equal(o.appsel, 4);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOL);
	assert_int_equal(o.rx_lol, 1);
	assert_int_equal(o.asic_reason, LB_ASIC_DOWN_NO_SIGNAL);
	assert_string_equal(lb_port_down_reason_name(o.reason), "link-lol");
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOL);
	/* Rx LOL (11h:148) is clear-on-read and latches again at the next access while it holds
	 * (the link samples at each transfer): the second look of lb_platform_asic_port_oper */
	for (int i = 0; i < 3; i++) {
		uint8_t lol = 0;
		assert_int_equal(lb_module_read(far, 0, 0x11, 148, &lol, 1), LB_OK);
		assert_int_equal(lol, 0x01);
	}

	/* the far end bound to its ASIC port's 800G: AppSel 1 at both ends, both up */
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	assert_int_equal(lb_platform_asic_port_bind(p, 1, NULL, &rep), LB_OK);
	assert_true(rep.elapsed_ns > 0);
	platform_rig_settle(p);
	for (uint32_t a = 0; a < 2; a++) {
		o = platform_rig_oper(p, a);
		assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
		assert_int_equal(o.oper, LB_ASIC_OPER_UP);
		assert_int_equal(o.appsel, 1);
	}
	/* the ASIC's own reason comes last: a port the ASIC sees down is down */
	set_port(sw, 0, 800000, 0);
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_ADMIN);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* 1,000 km: both ends bound at 800G (800ZR); the module's vendor PCS line mode
 * (800g-pcs-131e, the one that closes 1,000 km) configured at one end only: the ends disagree,
 * both down (LOL); at both ends: both up, and binding again keeps the configured line mode. */
static void test_scale_across_1000km(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, LB_SOURCE_DIR "/platforms/scale-across-1000km.json");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	for (uint32_t a = 0; a < 2; a++) {
		set_port(sw, a, 800000, 1);
		assert_int_equal(lb_platform_asic_port_bind(p, a, NULL, NULL), LB_OK);
	}
	platform_rig_settle(p);
	struct lb_port_oper o = platform_rig_oper(p, 0);
	assert_int_equal(o.appsel, 1);
	assert_string_equal(o.line_mode, "");
	struct lb_module *m[2];
	for (unsigned i = 0; i < 2; i++)
		assert_int_equal(lb_platform_module(p, i + 1, &m[i]), LB_OK);
	assert_int_equal(lb_module_select_line_mode(m[0], 0, "800g-pcs-131e"), LB_OK);
	platform_rig_settle(p);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOL);
	assert_string_equal(o.line_mode, "800g-pcs-131e");
	o = platform_rig_oper(p, 1);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOL);
	assert_string_equal(o.line_mode, "");
	assert_int_equal(lb_module_select_line_mode(m[1], 0, "800g-pcs-131e"), LB_OK);
	/* bound again (as lbctl port set --module does): the line mode stays */
	for (uint32_t a = 0; a < 2; a++)
		assert_int_equal(lb_platform_asic_port_bind(p, a, NULL, NULL), LB_OK);
	platform_rig_settle(p);
	for (uint32_t a = 0; a < 2; a++) {
		o = platform_rig_oper(p, a);
		assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
		assert_int_equal(o.oper, LB_ASIC_OPER_UP);
		assert_string_equal(o.line_mode, "800g-pcs-131e");
	}
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* The emulated module in a port of the scenario (the emulator bus driver's slots). */
static struct lb_emu_module *emu_module(struct lb_platform *p, unsigned port)
{
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, port, &m), LB_OK);
	struct emu_bus *eb = lb_bus_driver_priv(lb_module_bus(m), &lb_bus_driver_emulator);
	assert_non_null(eb);
	for (unsigned i = 0; i < eb->n_slots; i++)
		if (eb->slots[i].channel == (int)port - 1)
			return eb->slots[i].module;
	fail_msg("no module on channel %u", port - 1);
	return NULL;
}

/* A module that NACKs: module-error with the bus status; one that NACKs everything or is
 * pulled: module-absent; put back: it answers again (in LowPwr: not ready). */
static void test_module_faults(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km.json");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	set_port(sw, 0, 800000, 1);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	struct lb_emu_module *em = emu_module(p, 1);
	/* a module that NACKs a few transactions: the state read fails, the cage probe finds it */
	unsigned nacks = 1;
	struct lb_port_oper o;
	for (;; nacks++) {
		assert_true(nacks < 16);
		assert_int_equal(lb_emu_module_inject(em, LB_EMU_FAULT_NACK, nacks), LB_OK);
		o = platform_rig_oper(p, 0);
		assert_int_equal(lb_emu_module_inject(em, LB_EMU_FAULT_NACK, 0), LB_OK);
		if (o.reason != LB_PORT_DOWN_LINK_LOS)
			break; /* the access layer's retries outlasted (LOS: the far end is dark) */
	}
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_ERROR);
	assert_int_equal(o.module_status, LB_E_NACK);
	assert_int_equal(o.oper, LB_ASIC_OPER_DOWN);
	assert_string_equal(lb_port_down_reason_name(o.reason), "module-error");
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_LINK_LOS); /* answering again */
	/* stuck busy (NACKs everything): on a cage without ModPrsL, not told from an empty one */
	assert_int_equal(lb_emu_module_inject(em, LB_EMU_FAULT_STUCK_BUSY, 1), LB_OK);
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_MODULE_ABSENT);
	assert_int_not_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	assert_int_equal(lb_emu_module_inject(em, LB_EMU_FAULT_STUCK_BUSY, 0), LB_OK);
	/* pulled */
	lb_emu_module_remove(em);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_ABSENT);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_E_NODEV);
	/* back, from power-on (answering once its boot is over) */
	lb_emu_module_insert(em);
	platform_rig_settle(p);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	assert_int_equal(platform_rig_oper(p, 0).dp_state, LB_DP_STATE_ACTIVATED);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* A speed the module has no application for: refused with a detail, nothing brought up. */
static void test_no_application(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = scenario(ctx, LB_SOURCE_DIR "/platforms/scale-across-1000km.json");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	/* 200G over 8 lanes: the module's 200G application (ZR200) runs over 4 host lanes */
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.speed_mbps = 200000;
	c.fec = LB_ASIC_FEC_RS544_2XN;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(sw, 0, &c, LB_ASIC_PORT_SET_SPEED | LB_ASIC_PORT_SET_ADMIN |
					   LB_ASIC_PORT_SET_FEC), LB_E_NOTSUP); /* 200G over 8 x 100G lanes */
	/* breakout: 4 lanes at 200G, then ZR200 (4 host lanes) is there */
	assert_int_equal(lb_asic_port_remove(sw, 0), LB_OK);
	c.first_lane = 0;
	c.lane_count = 2;
	uint32_t n;
	assert_int_equal(lb_asic_port_create(sw, &c, &n), LB_OK);
	struct lb_bringup *bu = (struct lb_bringup *)&c; /* must come back NULL */
	assert_int_equal(lb_platform_asic_port_bind_start(p, n, NULL, NULL, &bu), LB_E_NOTFOUND);
	assert_null(bu);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "no application for 200G over host lanes 1-2"));
	struct lb_port_oper o = platform_rig_oper(p, n);
	assert_int_equal(o.host_lane_mask, 0x3);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	/* bad arguments */
	assert_int_equal(lb_platform_asic_port_bind_start(NULL, n, NULL, NULL, &bu), LB_E_INVAL);
	assert_int_equal(lb_platform_asic_port_bind_start(p, n, NULL, NULL, NULL), LB_E_INVAL);
	assert_int_equal(lb_platform_asic_port_oper(p, n, NULL), LB_E_INVAL);
	struct lb_port_oper small = { .size = 8 };
	assert_int_equal(lb_platform_asic_port_oper(p, n, &small), LB_E_INVAL);
	assert_int_equal(lb_platform_asic_port_bind(p, 31, NULL, NULL), LB_E_NOTFOUND);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* An empty cage, and the default platform's 800G DR8 port bound and up. */
static void test_absent_and_default(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	const char *json =
		"{\"name\": \"t\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\", \"options\":"
		" {\"mux_addr\": 112, \"modules\": [{\"channel\": 0, \"profile\": \"800g-dr8-osfp\"}]}}],"
		" \"asic\": {\"driver\": \"emulated\", \"options\": {\"profile\": \"small\"}},"
		" \"ports\": [{\"port\": 1, \"bus\": \"b\", \"mux_addr\": 112, \"mux_channel\": 0,"
		" \"asic_lanes\": {\"first\": 0, \"count\": 8}},"
		" {\"port\": 2, \"bus\": \"b\", \"mux_addr\": 112, \"mux_channel\": 1,"
		" \"asic_lanes\": {\"first\": 8, \"count\": 8}}]}";
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, json, "t.json", &p), LB_OK);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	set_port(sw, 1, 800000, 1);
	struct lb_port_oper o = platform_rig_oper(p, 1);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_ABSENT);
	assert_int_equal(lb_platform_asic_port_bind(p, 1, NULL, NULL), LB_E_NODEV);
	assert_non_null(strstr(lb_ctx_last_error(ctx), "port 2: the cage is empty"));
	/* the DR8 in port 1: 800G over 8 lanes, up (no link model: the module's own Rx) */
	set_port(sw, 0, 800000, 1);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.dp_state, LB_DP_STATE_ACTIVATED);
	assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
	/* the data path taken down under the port: down, with the lane's state */
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_module_dp_deinit(m, 0xFF, true), LB_OK);
	assert_int_equal(lb_module_wait_dp_state(m, 0xFF, LB_DP_STATE_DEACTIVATED, 5000), LB_OK);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_DATAPATH);
	assert_int_equal(o.dp_state, LB_DP_STATE_DEACTIVATED);
	assert_string_equal(lb_port_down_reason_name(o.reason), "datapath-down");
	/* bound again: up; the module sent to low power: not ready */
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_NONE);
	assert_int_equal(lb_module_set_low_power(m, true), LB_OK);
	o = platform_rig_oper(p, 0);
	assert_int_equal(o.reason, LB_PORT_DOWN_MODULE_NOT_READY);
	assert_int_equal(o.module_state, LB_MODULE_STATE_LOW_PWR);
	lb_platform_close(p);

	/* the embedded default: Ethernet32 (OSFP 800G DR8, ASIC port 4) bound at 800G */
	assert_int_equal(lb_platform_open(ctx, NULL, &p), LB_OK);
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	set_port(sw, 4, 800000, 1);
	assert_int_equal(platform_rig_oper(p, 4).reason, LB_PORT_DOWN_MODULE_NOT_READY);
	assert_int_equal(lb_platform_asic_port_bind(p, 4, NULL, NULL), LB_OK);
	o = platform_rig_oper(p, 4);
	assert_int_equal(o.port, 5);
	assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
	assert_int_equal(o.oper, LB_ASIC_OPER_UP);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scale_across_500km),
		cmocka_unit_test(test_scale_across_1000km),
		cmocka_unit_test(test_module_faults),
		cmocka_unit_test(test_no_application),
		cmocka_unit_test(test_absent_and_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
