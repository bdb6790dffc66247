/* SPDX-License-Identifier: MIT */
/*
 * The sideband API on the emulator sideband driver: pins drive the model, presence and IntL
 * edges arrive on a pollable fd, an interrupt event carries the latched flags read once; the
 * platform's "sideband" objects, and a NOS-style epoll loop over every port.
 */
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include <lightbridge/lightbridge.h>
#include <lightbridge/sideband.h>

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, 0) == 1 && (p.revents & POLLIN);
}

struct rig {
	struct lb_ctx *ctx;
	struct lb_emu_world *w;
	struct lb_emu_segment *seg;
	struct lb_emu_module *em;
	struct lb_bus *bus;
	struct lb_module *m;
	struct lb_sideband *sb;
};

static void rig_open(struct rig *r, const char *profile)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/emulator/profiles/%s.json", LB_SOURCE_DIR, profile);
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	assert_int_equal(lb_emu_world_create(&r->w), LB_OK);
	assert_int_equal(lb_emu_segment_create(r->w, 400, &r->seg), LB_OK);
	assert_int_equal(lb_emu_module_create(r->w, path, &r->em, NULL, 0), LB_OK);
	assert_int_equal(lb_emu_segment_attach(r->seg, -1, 0x50, r->em), LB_OK);
	assert_int_equal(lb_bus_open(r->ctx, "emulator", NULL, r->seg, &r->bus), LB_OK);
	assert_int_equal(lb_module_open(r->bus, NULL, &r->m), LB_OK);
	assert_int_equal(lb_sideband_open(r->ctx, "emulator", NULL, r->em, &r->sb), LB_OK);
	lb_sideband_set_module(r->sb, r->m);
}

static void rig_close(struct rig *r)
{
	lb_sideband_close(r->sb);
	lb_module_close(r->m);
	lb_bus_close(r->bus);
	lb_emu_world_destroy(r->w);
	lb_ctx_destroy(r->ctx);
}

/* Drain every pending event; count them by type; remember the last interrupt's flags. */
static unsigned drain(struct lb_sideband *sb, unsigned count[5], struct lb_sideband_event *last_int)
{
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	unsigned n = 0;
	int rc;
	while ((rc = lb_sideband_read_event(sb, &ev)) == LB_OK) {
		assert_true(ev.type >= 1 && ev.type <= 4);
		count[ev.type]++;
		if (ev.type == LB_SB_EVENT_INTERRUPT && last_int)
			*last_int = ev;
		n++;
	}
	assert_int_equal(rc, LB_E_NOTFOUND);
	return n;
}

static void test_lines(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "400g-fr4-qsfpdd");
	assert_string_equal(lb_sideband_driver_name(r.sb), "emulator");
	bool v;
	assert_int_equal(lb_sideband_present(r.sb, &v), LB_OK);
	assert_true(v);
	assert_int_equal(lb_sideband_get(r.sb, LB_SB_INTL, &v), LB_OK);
	assert_false(v);
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_MODPRSL, true), LB_E_INVAL);
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_INTL, true), LB_E_INVAL);
	assert_int_equal(lb_sideband_set(r.sb, (enum lb_sideband_line)9, true), LB_E_INVAL);
	assert_string_equal(lb_sideband_line_name(LB_SB_MODPRSL), "ModPrsL");
	assert_string_equal(lb_sideband_event_name(LB_SB_EVENT_INTERRUPT), "interrupt");

	/*
	 * LPMode: at power-on (26.6 LowPwrAllowRequestHW = 1) the pin decides: asserted, the
	 * module stays in ModuleLowPwr; released, it powers up by itself.
	 */
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(lb_sideband_get(r.sb, LB_SB_LPMODE, &v), LB_OK);
	assert_true(v);
	uint8_t b;
	lb_emu_world_advance_ns(r.w, 2000000000u);
	assert_int_equal(lb_module_read(r.m, 0, 0, 3, &b, 1), LB_OK);
	assert_int_equal((b >> 1) & 7, LB_MODULE_STATE_LOW_PWR);
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_LPMODE, false), LB_OK);
	lb_emu_world_advance_ns(r.w, 2000000000u);
	assert_int_equal(lb_module_read(r.m, 0, 0, 3, &b, 1), LB_OK);
	assert_int_equal((b >> 1) & 7, LB_MODULE_STATE_READY);

	/* ResetL: held in reset the module does not answer; released it starts over in LowPwr */
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_RESETL, true), LB_OK);
	assert_int_equal(lb_module_read(r.m, 0, 0, 0, &b, 1), LB_E_NACK);
	assert_int_equal(lb_sideband_set(r.sb, LB_SB_RESETL, false), LB_OK);
	struct lb_emu_timing t;
	lb_emu_module_get_timing(r.em, &t);
	lb_emu_world_advance_ns(r.w, t.reset_ns + 1000000u);
	assert_int_equal(lb_module_read(r.m, 0, 0, 0, &b, 1), LB_OK);
	assert_int_equal(b, 0x18);
	rig_close(&r);
}

static void test_presence_events(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "800g-dr8-osfp");
	int fd = lb_sideband_event_fd(r.sb);
	assert_true(fd >= 0);
	assert_false(readable(fd));
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_E_NOTFOUND);

	lb_emu_module_remove(r.em);
	assert_true(readable(fd));
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_REMOVED);
	assert_int_equal(ev.flags_status, LB_E_NOTSUP);
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_E_NOTFOUND);
	assert_false(readable(fd));
	bool v;
	assert_int_equal(lb_sideband_present(r.sb, &v), LB_OK);
	assert_false(v);

	lb_emu_module_insert(r.em);
	assert_true(readable(fd));
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_INSERTED);
	assert_false(readable(fd));
	rig_close(&r);
}

/* Power-up latches ModuleStateChanged: IntL asserts; the event carries the flag, read once. */
static void test_interrupt_event(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "400g-fr4-qsfpdd");
	int fd = lb_sideband_event_fd(r.sb);
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	assert_true(readable(fd));
	unsigned count[5] = { 0 };
	struct lb_sideband_event irq = LB_SIDEBAND_EVENT_INIT;
	drain(r.sb, count, &irq);
	assert_true(count[LB_SB_EVENT_INTERRUPT] >= 1);
	assert_int_equal(irq.flags_status, LB_OK);
	assert_true(irq.module_flags & 0x01u);  /* ModuleStateChanged */
	assert_int_equal(irq.lanes, 8);
	/* the read cleared the flags: IntL is released and said so */
	assert_true(count[LB_SB_EVENT_INTERRUPT_CLEARED] >= 1);
	bool v;
	assert_int_equal(lb_sideband_get(r.sb, LB_SB_INTL, &v), LB_OK);
	assert_false(v);
	assert_false(readable(fd));
	/* a temperature alarm raises IntL again, with the alarm in the event */
	assert_int_equal(lb_emu_module_set_monitor(r.em, LB_EMU_MON_TEMPERATURE_C, 0, 95.0), LB_OK);
	assert_true(readable(fd));
	memset(count, 0, sizeof(count));
	drain(r.sb, count, &irq);
	assert_int_equal(count[LB_SB_EVENT_INTERRUPT], 1);
	assert_int_equal(irq.flags_status, LB_OK);
	assert_true(irq.temperature_flags & LB_FLAG_HIGH_ALARM);
	assert_int_equal(irq.vcc_flags | irq.rx_los | irq.tx_los, 0);
	/* an unbound sideband cannot read flags, and says why */
	lb_sideband_set_module(r.sb, NULL);
	assert_int_equal(lb_emu_module_set_monitor(r.em, LB_EMU_MON_TEMPERATURE_C, 0, 40.0), LB_OK);
	lb_emu_module_remove(r.em);
	lb_emu_module_insert(r.em);
	memset(count, 0, sizeof(count));
	drain(r.sb, count, NULL);
	assert_int_equal(count[LB_SB_EVENT_REMOVED], 1);
	assert_int_equal(count[LB_SB_EVENT_INSERTED], 1);
	rig_close(&r);
}

/*
 * A 16-lane OSFP-XD (two banks): Tx LOS and Rx LOS latched on lane 12, which lives in bank 1,
 * reach the interrupt's 32-bit masks as bit 11; the read clears them, once.
 */
static void test_interrupt_bank1_lanes(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "1600g-2xdr8-osfpxd");
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	unsigned count[5] = { 0 };
	drain(r.sb, count, NULL);  /* ModuleStateChanged of the power-up */
	assert_int_equal(lb_emu_module_intl(r.em), 0);

	uint8_t lane12 = 0x08, lane1 = 0x01;
	assert_int_equal(lb_emu_module_poke(r.em, 1, 0x11, 136, &lane12, 1), LB_OK); /* Tx LOS */
	assert_int_equal(lb_emu_module_poke(r.em, 1, 0x11, 147, &lane12, 1), LB_OK); /* Rx LOS */
	assert_int_equal(lb_emu_module_poke(r.em, 0, 0x11, 148, &lane1, 1), LB_OK);  /* Rx LOL */
	/* a temperature alarm makes the model look at its flags again: IntL asserts */
	assert_int_equal(lb_emu_module_set_monitor(r.em, LB_EMU_MON_TEMPERATURE_C, 0, 95.0), LB_OK);
	assert_int_equal(lb_emu_module_intl(r.em), 1);
	struct lb_sideband_event irq = LB_SIDEBAND_EVENT_INIT;
	memset(count, 0, sizeof(count));
	drain(r.sb, count, &irq);
	assert_int_equal(count[LB_SB_EVENT_INTERRUPT], 1);
	assert_int_equal(irq.flags_status, LB_OK);
	assert_int_equal(irq.size, sizeof(irq));
	assert_int_equal(irq.lanes, 16);
	assert_int_equal(irq.tx_los, 1u << 11);
	assert_int_equal(irq.rx_los, 1u << 11);
	assert_int_equal(irq.rx_lol, 1u << 0);
	assert_int_equal(irq.tx_fault | irq.tx_lol | irq.dp_state_changed, 0);
	assert_true(irq.temperature_flags & LB_FLAG_HIGH_ALARM);
	assert_true(irq.tx_power_flagged[0] == 0 && irq.rx_power_flagged[1] == 0);
	/* the summary said where to look: page 11h in both banks */
	assert_true(irq.flag_summary[0] & 0x01u);
	assert_true(irq.flag_summary[1] & 0x01u);
	/* read once: the module holds them no more ... */
	uint8_t b;
	assert_int_equal(lb_emu_module_peek(r.em, 1, 0x11, 147, &b, 1), LB_OK);
	assert_int_equal(b, 0);
	/* ... but the poller, a consumer of its own (flags.h), still sees them, once */
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.tx_los, 1u << 11);
	assert_int_equal(mon.rx_los, 1u << 11);
	assert_int_equal(mon.rx_lol, 1u << 0);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.tx_los | mon.rx_los | mon.rx_lol, 0);
	rig_close(&r);
}

/*
 * A poller that reads the flags before the interrupt is serviced does not take them from the
 * interrupt handler: the event still carries them (the sideband is a consumer of its own).
 */
static void test_interrupt_after_poll(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "800g-dr8-osfp");
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	unsigned count[5] = { 0 };
	drain(r.sb, count, NULL);
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);

	uint8_t lane3 = 0x04;
	assert_int_equal(lb_emu_module_poke(r.em, 0, 0x11, 147, &lane3, 1), LB_OK); /* Rx LOS */
	assert_int_equal(lb_emu_module_set_monitor(r.em, LB_EMU_MON_TEMPERATURE_C, 0, 95.0), LB_OK);
	assert_int_equal(lb_emu_module_intl(r.em), 1);
	/* the poller comes first and clears them in the module */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.rx_los, 0x04);
	assert_true(mon.temperature_flags & LB_FLAG_HIGH_ALARM);
	uint8_t b;
	assert_int_equal(lb_emu_module_peek(r.em, 0, 0x11, 147, &b, 1), LB_OK);
	assert_int_equal(b, 0);
	/* the handler's events, taken together, hold each flag exactly once */
	struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
	unsigned irqs = 0, seen_los = 0;
	while (lb_sideband_read_event(r.sb, &ev) == LB_OK) {
		if (ev.type != LB_SB_EVENT_INTERRUPT)
			continue;
		irqs++;
		assert_int_equal(ev.flags_status, LB_OK);
		if (ev.rx_los & 0x04u)
			seen_los++;
		if (irqs == 1)
			assert_true(ev.temperature_flags & LB_FLAG_HIGH_ALARM);
	}
	assert_true(irqs >= 1);
	assert_int_equal(seen_los, 1);
	/* and the poller does not see them again */
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	assert_int_equal(mon.rx_los, 0);
	rig_close(&r);
}

/* The interrupt reads flags only: fewer transactions than a monitor poll (8-byte reads). */
static void test_interrupt_cost(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "400g-fr4-qsfpdd");
	assert_int_equal(lb_module_set_low_power(r.m, false), LB_OK);
	unsigned count[5] = { 0 };
	drain(r.sb, count, NULL);
	assert_int_equal(lb_emu_module_set_monitor(r.em, LB_EMU_MON_TEMPERATURE_C, 0, 95.0), LB_OK);
	lb_bus_reset_stats(r.bus);
	struct lb_sideband_event irq = LB_SIDEBAND_EVENT_INIT;
	memset(count, 0, sizeof(count));
	drain(r.sb, count, &irq);
	assert_int_equal(count[LB_SB_EVENT_INTERRUPT], 1);
	assert_int_equal(irq.flags_status, LB_OK);
	struct lb_bus_stats s = LB_BUS_STATS_INIT;
	lb_bus_get_stats(r.bus, &s);
	/* lower 4-11 (one read of 8), page 11h 134-153 (8 + 8 + 4) and at most one page select */
	assert_int_equal(s.reads, 1 + 3);
	assert_true(s.select_writes <= 1);
	/* a monitor poll (applications known by now) reads 8-25 and 134-201: 3 + 9 */
	struct lb_module_monitors mon = LB_MODULE_MONITORS_INIT;
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	lb_bus_reset_stats(r.bus);
	assert_int_equal(lb_module_get_monitors(r.m, &mon), LB_OK);
	lb_bus_get_stats(r.bus, &s);
	assert_int_equal(s.reads, 3 + 9);
	rig_close(&r);
}

/* A struct whose size is too small is refused before the event is taken: none is lost. */
static void test_event_size(void **state)
{
	(void)state;
	struct rig r;
	rig_open(&r, "800g-dr8-osfp");
	lb_emu_module_remove(r.em);
	struct lb_sideband_event ev;
	memset(&ev, 0xA5, sizeof(ev));
	ev.size = LB_SIDEBAND_EVENT_SIZE_V1 - 1;
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_E_INVAL);
	assert_int_equal(ev.size, LB_SIDEBAND_EVENT_SIZE_V1 - 1);
	const unsigned char *p = (const unsigned char *)&ev;
	for (size_t i = sizeof(ev.size); i < sizeof(ev); i++)
		assert_int_equal(p[i], 0xA5);
	ev.size = 0;
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_E_INVAL);
	assert_int_equal(lb_sideband_read_event(r.sb, NULL), LB_E_INVAL);
	ev = (struct lb_sideband_event)LB_SIDEBAND_EVENT_INIT;
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_OK);
	assert_int_equal(ev.type, LB_SB_EVENT_REMOVED);
	assert_int_equal(lb_sideband_read_event(r.sb, &ev), LB_E_NOTFOUND);
	rig_close(&r);
}

/* The default platform with {"driver": "emulator"} sidebands on ports 1-5 (not 6). */
static int open_platform(struct lb_ctx *ctx, struct lb_platform **p)
{
	json_error_t jerr;
	json_t *root = json_loads(lb_platform_default_json(), 0, &jerr);
	json_t *ports = json_object_get(root, "ports");
	for (size_t i = 0; i + 1 < json_array_size(ports); i++)
		json_object_set_new(json_array_get(ports, i), "sideband", json_pack("{s:s}", "driver", "emulator"));
	char *text = json_dumps(root, 0);
	json_decref(root);
	int rc = lb_platform_open_json(ctx, text, "sideband-test", p);
	free(text);
	return rc;
}

static void test_platform_sidebands(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(open_platform(ctx, &p), LB_OK);
	struct lb_sideband *sb;
	assert_int_equal(lb_platform_sideband(p, 6, &sb), LB_E_NOTSUP);
	assert_int_equal(lb_platform_sideband(p, 99, &sb), LB_E_NOTFOUND);

	/* a NOS loop: one epoll set over every port's fd */
	int ep = epoll_create1(EPOLL_CLOEXEC);
	assert_true(ep >= 0);
	struct lb_sideband *sbs[6] = { 0 };
	for (unsigned port = 1; port <= 5; port++) {
		assert_int_equal(lb_platform_sideband(p, port, &sbs[port]), LB_OK);
		struct epoll_event e = { .events = EPOLLIN, .data.u32 = port };
		assert_int_equal(epoll_ctl(ep, EPOLL_CTL_ADD, lb_sideband_event_fd(sbs[port]), &e), 0);
	}
	struct epoll_event got[8];
	assert_int_equal(epoll_wait(ep, got, 8, 0), 0);
	/* power up ports 2 and 4 through the bus: their IntL asserts */
	struct lb_module *m2, *m4;
	assert_int_equal(lb_platform_module(p, 2, &m2), LB_OK);
	assert_int_equal(lb_platform_module(p, 4, &m4), LB_OK);
	assert_int_equal(lb_module_set_low_power(m2, false), LB_OK);
	assert_int_equal(lb_module_set_low_power(m4, false), LB_OK);
	int n = epoll_wait(ep, got, 8, 0);
	assert_int_equal(n, 2);
	unsigned seen = 0;
	for (int i = 0; i < n; i++) {
		unsigned port = got[i].data.u32;
		seen |= 1u << port;
		struct lb_sideband_event ev = LB_SIDEBAND_EVENT_INIT;
		bool had_irq = false;
		while (lb_sideband_read_event(sbs[port], &ev) == LB_OK) {
			assert_int_equal(ev.port, port);
			if (ev.type == LB_SB_EVENT_INTERRUPT) {
				/* the platform found the port's module itself */
				assert_int_equal(ev.flags_status, LB_OK);
				had_irq = true;
			}
		}
		assert_true(had_irq);
	}
	assert_int_equal(seen, (1u << 2) | (1u << 4));
	assert_int_equal(epoll_wait(ep, got, 8, 0), 0);
	/* LPMode through a platform sideband */
	assert_int_equal(lb_sideband_set(sbs[2], LB_SB_LPMODE, true), LB_OK);
	assert_int_equal(lb_module_set_low_power(m2, true), LB_OK);
	enum lb_module_state st;
	assert_int_equal(lb_module_get_state(m2, &st), LB_OK);
	assert_int_equal(st, LB_MODULE_STATE_LOW_PWR);
	close(ep);
	lb_platform_close(p);
	lb_ctx_destroy(ctx);
}

static void test_platform_errors(void **state)
{
	(void)state;
	struct lb_ctx *ctx;
	struct lb_platform *p;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	static const char *bad[] = {
		"\"sideband\": 3",
		"\"sideband\": {}",
		"\"sideband\": {\"driver\": \"nonesuch\"}",
	};
	for (unsigned i = 0; i < 3; i++) {
		char json[1024];
		snprintf(json, sizeof(json),
			 "{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\", \"options\":"
			 " {\"modules\": [{\"profile\": \"400g-fr4-qsfpdd\"}]}}],"
			 " \"ports\": [{\"port\": 1, \"bus\": \"b\", %s}]}", bad[i]);
		int rc = lb_platform_open_json(ctx, json, "bad", &p);
		assert_true(rc == LB_E_PARSE || rc == LB_E_NOTFOUND);
		assert_non_null(strstr(lb_ctx_last_error(ctx), "ports[0].sideband"));
	}
	/* an emulator sideband on a port whose cage has no emulated module */
	const char *json = "{\"name\": \"x\", \"buses\": [{\"name\": \"b\", \"driver\": \"emulator\"}],"
			   " \"ports\": [{\"port\": 1, \"bus\": \"b\", \"sideband\": {\"driver\": \"emulator\"}}]}";
	assert_int_equal(lb_platform_open_json(ctx, json, "empty", &p), LB_E_NOTFOUND);
	lb_ctx_destroy(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_presence_events),
		cmocka_unit_test(test_interrupt_event),
		cmocka_unit_test(test_interrupt_bank1_lanes),
		cmocka_unit_test(test_interrupt_after_poll),
		cmocka_unit_test(test_interrupt_cost),
		cmocka_unit_test(test_event_size),
		cmocka_unit_test(test_platform_sidebands),
		cmocka_unit_test(test_platform_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
