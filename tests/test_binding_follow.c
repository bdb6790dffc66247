/* SPDX-License-Identifier: MIT */
/*
 * The port follows its optics, with no call from the test but the fault: on the Tokyo-Osaka
 * HyperPort platform (four coherent 800G links, each end's cages on the emulated ASIC), a
 * member's link cut, the far module reset, the far end's Tx disabled each take the member down
 * in the chip (the HyperPort 2.4T "degraded", the member's reason), and it comes back when the
 * link does (lb_emu_asic_attach_module through the platform's cages op). A link that locks but
 * does not close (800G unshaped over 1,000 km: post-FEC errors) takes its port down as
 * "fec-uncorrectable", and up again once it closes (the vendor PCS mode at both ends).
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

/* ASIC port a at 800G, admin up, bound to the module in its cage. */
static void port_up(struct lb_platform *p, struct lb_switch *sw, uint32_t a)
{
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.speed_mbps = 800000;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(sw, a, &c, LB_ASIC_PORT_SET_SPEED | LB_ASIC_PORT_SET_ADMIN), LB_OK);
	assert_int_equal(lb_platform_asic_port_bind(p, a, NULL, NULL), LB_OK);
}

static struct lb_hyperport_status hp_status(struct lb_switch *sw, uint32_t hp)
{
	struct lb_hyperport_status st = LB_HYPERPORT_STATUS_INIT;
	assert_int_equal(lb_hyperport_get_status(sw, hp, &st), LB_OK);
	return st;
}

/* The emulator bus of the platform (its modules and links). */
static struct emu_bus *emu_bus_of(struct lb_platform *p)
{
	struct lb_bus *bus;
	assert_int_equal(lb_platform_bus_at(p, 0, &bus, NULL), LB_OK);
	struct emu_bus *eb = lb_bus_driver_priv(bus, &lb_bus_driver_emulator);
	assert_non_null(eb);
	return eb;
}

static void assert_full(struct lb_switch *sw, uint32_t hp)
{
	struct lb_hyperport_status st = hp_status(sw, hp);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.members_up, 4);
	assert_int_equal(st.capacity_mbps, 3200000);
	assert_int_equal(st.reason, LB_HYPERPORT_FULL);
}

/* Member 1 (Tokyo1, ASIC port 1) down for why, the others up: 2.4T, degraded. */
static void assert_degraded(struct lb_switch *sw, uint32_t hp, enum lb_asic_down_reason why)
{
	struct lb_hyperport_status st = hp_status(sw, hp);
	assert_int_equal(st.oper, LB_ASIC_OPER_UP);
	assert_int_equal(st.members_up, 3);
	assert_int_equal(st.capacity_mbps, 2400000);
	assert_int_equal(st.reason, LB_HYPERPORT_DEGRADED);
	assert_int_equal(st.member[1].port, 1);
	assert_int_equal(st.member[1].oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(st.member[1].reason, why);
	assert_int_equal(st.member[0].oper, LB_ASIC_OPER_UP);
}

static void test_hyperport_member_follows_link(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p;
	assert_int_equal(lb_platform_open(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km-hyperport.json", &p),
			 LB_OK);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	/* Tokyo's ASIC ports 0-3 (ports 1-4), Osaka's 4-7 (ports 5-8) */
	struct lb_hyperport_config hc = LB_HYPERPORT_CONFIG_INIT;
	for (uint32_t i = 0; i < 4; i++)
		hc.members[i] = i;
	uint32_t hp;
	assert_int_equal(lb_hyperport_create(sw, &hc, &hp), LB_OK);
	/* admin up, the optics dark: the chip hears nothing on any member */
	for (uint32_t a = 0; a < 8; a++) {
		struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
		c.admin_up = 1;
		assert_int_equal(lb_asic_port_set(sw, a, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	}
	struct lb_hyperport_status st = hp_status(sw, hp);
	assert_int_equal(st.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(st.member[0].reason, LB_ASIC_DOWN_NO_SIGNAL);
	/* Tokyo's modules up, Osaka's not: Tokyo's receivers see no light */
	for (uint32_t a = 0; a < 4; a++)
		port_up(p, sw, a);
	platform_rig_settle(p);
	assert_int_equal(hp_status(sw, hp).oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(platform_rig_oper(p, 1).reason, LB_PORT_DOWN_LINK_LOS);
	for (uint32_t a = 4; a < 8; a++)
		port_up(p, sw, a);
	platform_rig_settle(p);
	assert_full(sw, hp);
	for (uint32_t a = 0; a < 8; a++)
		assert_int_equal(platform_rig_oper(p, a).reason, LB_PORT_DOWN_NONE);

	/* 1. the fibre of link 1 (Tokyo1-Osaka1) cut: both its ends down, nothing else */
	struct emu_bus *eb = emu_bus_of(p);
	assert_int_equal(eb->n_links, 4);
	assert_ptr_equal(lb_emu_module_link(eb->slots[2].module), eb->links[1]); /* Tokyo1's */
	assert_int_equal(lb_emu_link_set_cut(eb->links[1], true), LB_OK);
	assert_degraded(sw, hp, LB_ASIC_DOWN_NO_SIGNAL);
	struct lb_asic_port_status ps = LB_ASIC_PORT_STATUS_INIT;
	assert_int_equal(lb_asic_port_get_status(sw, 5, &ps), LB_OK); /* Osaka1 */
	assert_int_equal(ps.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(lb_asic_port_get_status(sw, 4, &ps), LB_OK); /* Osaka0 */
	assert_int_equal(ps.oper, LB_ASIC_OPER_UP);
	platform_rig_settle(p);
	struct lb_port_oper o = platform_rig_oper(p, 1);
	assert_int_equal(o.reason, LB_PORT_DOWN_LINK_LOS);
	assert_int_equal(o.asic_reason, LB_ASIC_DOWN_NO_SIGNAL);
	/* mended: back, with no call but the mending */
	assert_int_equal(lb_emu_link_set_cut(eb->links[1], false), LB_OK);
	assert_full(sw, hp);
	platform_rig_settle(p);
	assert_int_equal(platform_rig_oper(p, 1).reason, LB_PORT_DOWN_NONE);

	/* 2. the far end's transmitter disabled: Tokyo1 hears nothing (down); Osaka1 still
	 * receives Tokyo1 well but Tokyo1's chip answers Remote Fault */
	struct lb_module *osaka1;
	assert_int_equal(lb_platform_module(p, 6, &osaka1), LB_OK);
	assert_int_equal(lb_module_tx_disable(osaka1, 0x1, true), LB_OK);
	assert_degraded(sw, hp, LB_ASIC_DOWN_NO_SIGNAL);
	assert_int_equal(lb_asic_port_get_status(sw, 5, &ps), LB_OK);
	assert_int_equal(ps.oper, LB_ASIC_OPER_DOWN);
	assert_int_equal(ps.reason, LB_ASIC_DOWN_REMOTE_FAULT);
	assert_int_equal(lb_module_tx_disable(osaka1, 0x1, false), LB_OK);
	platform_rig_settle(p); /* the transmitter turning on takes the module's time */
	assert_full(sw, hp);

	/* 3. the far module reset (back in LowPwr, its data path gone): down until it is
	 * bound again */
	assert_int_equal(lb_module_reset(osaka1), LB_OK);
	assert_degraded(sw, hp, LB_ASIC_DOWN_NO_SIGNAL);
	platform_rig_settle(p);
	assert_int_equal(platform_rig_oper(p, 1).reason, LB_PORT_DOWN_LINK_LOS);
	assert_int_equal(platform_rig_oper(p, 5).reason, LB_PORT_DOWN_MODULE_NOT_READY);
	assert_int_equal(lb_platform_asic_port_bind(p, 5, NULL, NULL), LB_OK);
	assert_full(sw, hp);
	platform_rig_settle(p);
	assert_int_equal(platform_rig_oper(p, 1).reason, LB_PORT_DOWN_NONE);

	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* 1,000 km (the CD of 800G 16QAM out of tolerance): both ends lock, the FEC cannot correct:
 * down, "fec-uncorrectable", on both ports and in the chip; the vendor PCS mode at both ends
 * closes the link: up. */
static void test_link_errors(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	json_error_t err;
	json_t *root = json_load_file(LB_SOURCE_DIR "/platforms/scale-across-1000km.json", 0, &err);
	assert_non_null(root);
	json_object_set_new(root, "asic", json_pack("{s:s, s:{s:s}}", "driver", "emulated", "options",
						      "profile", "small"));
	json_t *ports = json_object_get(root, "ports");
	for (size_t i = 0; i < 2; i++)
		json_object_set_new(json_array_get(ports, i), "asic_lanes",
				    json_pack("{s:I, s:I}", "first", (json_int_t)(8 * i), "count", (json_int_t)8));
	char *text = json_dumps(root, 0);
	json_decref(root);
	struct lb_platform *p;
	assert_int_equal(lb_platform_open_json(ctx, text, "1000km.json", &p), LB_OK);
	free(text);
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	for (uint32_t a = 0; a < 2; a++)
		port_up(p, sw, a);
	platform_rig_settle(p);
	for (uint32_t a = 0; a < 2; a++) {
		struct lb_port_oper o = platform_rig_oper(p, a);
		assert_int_equal(o.reason, LB_PORT_DOWN_LINK_ERRORS);
		assert_int_equal(o.oper, LB_ASIC_OPER_DOWN);
		assert_int_equal(o.rx_los, 0);
		assert_int_equal(o.rx_lol, 0);
		assert_int_equal(o.rx_uncorrectable, 0x1);
		assert_int_equal(o.asic_reason, LB_ASIC_DOWN_NO_SIGNAL);
		assert_string_equal(lb_port_down_reason_name(o.reason), "fec-uncorrectable");
	}
	/* the flag read twice says "now": still down on a third look */
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_LINK_ERRORS);
	/* shaped 800G at both ends: the link closes, both up */
	for (unsigned i = 0; i < 2; i++) {
		struct lb_module *m;
		assert_int_equal(lb_platform_module(p, i + 1, &m), LB_OK);
		assert_int_equal(lb_module_select_line_mode(m, 0, "800g-pcs-131e"), LB_OK);
	}
	platform_rig_settle(p);
	for (uint32_t a = 0; a < 2; a++) {
		struct lb_port_oper o = platform_rig_oper(p, a);
		assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
		assert_int_equal(o.rx_uncorrectable, 0);
		assert_int_equal(o.asic_reason, LB_ASIC_DOWN_NONE);
	}
	/* a V1-sized caller still gets its part */
	struct lb_port_oper v1;
	memset(&v1, 0xA5, sizeof(v1));
	v1.size = LB_PORT_OPER_SIZE_V1;
	assert_int_equal(lb_platform_asic_port_oper(p, 0, &v1), LB_OK);
	assert_int_equal(v1.reason, LB_PORT_DOWN_NONE);
	assert_int_equal(v1.rx_uncorrectable, 0xA5A5A5A5u); /* beyond its size: untouched */
	assert_string_equal(lb_port_down_reason_name((enum lb_port_down_reason)10), "?");
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* A scale-across scenario (two cages, one link) on the small ASIC, lanes 0-7 and 8-15. */
static struct lb_platform *two_cages(struct lb_ctx *ctx, const char *file)
{
	json_error_t err;
	json_t *root = json_load_file(file, 0, &err);
	assert_non_null(root);
	json_object_set_new(root, "asic", json_pack("{s:s, s:{s:s}}", "driver", "emulated", "options",
						      "profile", "small"));
	json_t *ports = json_object_get(root, "ports");
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

/* The application chosen for a coherent module: its line must run the port's speed. A vendor
 * line mode of another rate in force (700G PCS under an 800G port) is left for the
 * application's own (800ZR) and the link comes up; a module whose only 800GAUI-8 application
 * has a 600G line is refused with the detail (it was bound before: the host side alone). */
static void test_app_choice(void **unused)
{
	(void)unused;
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_platform *p = two_cages(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km.json");
	struct lb_switch *sw;
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	for (uint32_t a = 0; a < 2; a++)
		port_up(p, sw, a);
	struct lb_module *m;
	assert_int_equal(lb_platform_module(p, 1, &m), LB_OK);
	assert_int_equal(lb_module_select_line_mode(m, 0, "700g-pcs-118-h3.5"), LB_OK);
	platform_rig_settle(p);
	assert_int_equal(platform_rig_oper(p, 1).reason, LB_PORT_DOWN_LINK_LOL); /* 700G against 800ZR */
	char id[48];
	assert_int_equal(lb_module_get_line_mode(m, 0xFF, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "700g-pcs-118-h3.5");
	/* bound again at 800G: the 700G mode goes, 800ZR (AppSel 1) runs, the link is up */
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_OK);
	assert_int_equal(lb_module_get_line_mode(m, 0xFF, id, sizeof(id)), LB_OK);
	assert_string_equal(id, "");
	platform_rig_settle(p);
	for (uint32_t a = 0; a < 2; a++) {
		struct lb_port_oper o = platform_rig_oper(p, a);
		assert_int_equal(o.reason, LB_PORT_DOWN_NONE);
		assert_int_equal(o.appsel, 1);
		assert_string_equal(o.line_mode, "");
	}
	lb_platform_close(p);

	/* AppSel 1's media side made a 600G line (6Ah) before the module is read */
	p = two_cages(ctx, LB_SOURCE_DIR "/platforms/scale-across-500km.json");
	struct emu_bus *eb = emu_bus_of(p);
	uint8_t media = 0x6A;
	assert_int_equal(lb_emu_module_poke(eb->slots[0].module, 0, 0, 87, &media, 1), LB_OK);
	assert_int_equal(lb_platform_switch(p, &sw), LB_OK);
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(sw, 0, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_bringup *bu = (struct lb_bringup *)&c;
	assert_int_equal(lb_platform_asic_port_bind_start(p, 0, NULL, NULL, &bu), LB_E_NOTFOUND);
	assert_null(bu);
	const char *detail = lb_ctx_last_error(ctx);
	if (!strstr(detail, "asic port 0: port 1: no application runs 800G on the line over host lanes 1-8: "
			    "AppSel 1 (") ||
	    !strstr(detail, "600G) has another line rate"))
		fail_msg("detail: %s", detail);
	assert_int_equal(lb_platform_asic_port_bind(p, 0, NULL, NULL), LB_E_NOTFOUND);
	assert_int_equal(platform_rig_oper(p, 0).reason, LB_PORT_DOWN_MODULE_NOT_READY); /* nothing brought up */
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

/* lb_emu_asic_attach_module on a chip of one's own: the lanes follow a module on no link
 * (its data path), a second attach replaces the first, NULL lets go; bad arguments. */
static void test_attach_module(void **unused)
{
	(void)unused;
	struct lb_emu_world *w;
	assert_int_equal(lb_emu_world_create(&w), LB_OK);
	struct lb_emu_asic *a;
	assert_int_equal(lb_emu_asic_create(w, "small", &a), LB_OK);
	struct lb_emu_module *m;
	char err[256];
	assert_int_equal(lb_emu_module_create(w, LB_SOURCE_DIR "/emulator/profiles/800g-dr8-osfp.json", &m, err,
					      sizeof(err)), LB_OK);
	struct lb_ctx *ctx = platform_rig_ctx();
	struct lb_switch *sw;
	assert_int_equal(lb_switch_open(ctx, "emulated", NULL, a, &sw), LB_OK);
	struct lb_asic_port_config c = LB_ASIC_PORT_CONFIG_INIT;
	c.admin_up = 1;
	assert_int_equal(lb_asic_port_set(sw, 0, &c, LB_ASIC_PORT_SET_ADMIN), LB_OK);
	struct lb_asic_port_status ps = LB_ASIC_PORT_STATUS_INIT;
	assert_int_equal(lb_asic_port_get_status(sw, 0, &ps), LB_OK);
	assert_int_equal(ps.oper, LB_ASIC_OPER_UP); /* the chip's own peer */
	/* the module in its cage, in LowPwr: nothing on the lanes */
	assert_int_equal(lb_emu_asic_attach_module(a, 0, 8, m), LB_OK);
	assert_int_equal(lb_asic_port_get_status(sw, 0, &ps), LB_OK);
	assert_int_equal(ps.reason, LB_ASIC_DOWN_NO_SIGNAL);
	/* let go: the lanes keep their last signal until told otherwise */
	assert_int_equal(lb_emu_asic_attach_module(a, 0, 8, NULL), LB_OK);
	assert_int_equal(lb_emu_asic_set_signal(a, 0, 8, LB_EMU_ASIC_SIGNAL_PRESENT), LB_OK);
	assert_int_equal(lb_asic_port_get_status(sw, 0, &ps), LB_OK);
	assert_int_equal(ps.oper, LB_ASIC_OPER_UP);
	/* attached again over part of the lanes: the set signal lasts until the next run */
	assert_int_equal(lb_emu_asic_attach_module(a, 4, 4, m), LB_OK);
	assert_int_equal(lb_asic_port_get_status(sw, 0, &ps), LB_OK);
	assert_int_equal(ps.reason, LB_ASIC_DOWN_NO_SIGNAL);
	assert_int_equal(lb_emu_asic_attach_module(NULL, 0, 8, m), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_attach_module(a, 0, 0, m), LB_E_INVAL);
	assert_int_equal(lb_emu_asic_attach_module(a, 30, 4, m), LB_E_RANGE);
	assert_int_equal(lb_emu_asic_attach_module(a, 32, 1, m), LB_E_RANGE);
	assert_int_equal(lb_emu_link_set_cut(NULL, true), LB_E_INVAL);
	assert_null(lb_emu_module_link(m)); /* on no link */
	assert_null(lb_emu_module_link(NULL));
	lb_switch_close(sw);
	lb_ctx_destroy(ctx);
	lb_emu_world_destroy(w); /* the chip (a device) goes before the module */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hyperport_member_follows_link),
		cmocka_unit_test(test_link_errors),
		cmocka_unit_test(test_attach_module),
		cmocka_unit_test(test_app_choice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
