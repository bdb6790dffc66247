/* SPDX-License-Identifier: MIT */
/*
 * What the platform tests of the router ASIC share (tests/test_asic_binding.c,
 * test_binding_follow.c, test_lossless_thresholds.c): a context with the emulator's drivers,
 * an ASIC port's oper state as the binding computes it, and virtual time run on the modules'
 * bus so that the links sample and the modules' flags follow.
 */
#ifndef LB_TEST_PLATFORM_RIG_H
#define LB_TEST_PLATFORM_RIG_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <lightbridge/binding.h>
#include <lightbridge/bus.h>
#include <lightbridge/ctx.h>
#include <lightbridge/emulator.h>
#include <lightbridge/platform.h>

static inline struct lb_ctx *platform_rig_ctx(void)
{
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	return ctx;
}

static inline struct lb_port_oper platform_rig_oper(struct lb_platform *p, uint32_t asic_port)
{
	struct lb_port_oper o = LB_PORT_OPER_INIT;
	assert_int_equal(lb_platform_asic_port_oper(p, asic_port, &o), LB_OK);
	return o;
}

/* 2 s of virtual time on the platform's first bus. */
static inline void platform_rig_settle(struct lb_platform *p)
{
	struct lb_bus *bus;
	assert_int_equal(lb_platform_bus_at(p, 0, &bus, NULL), LB_OK);
	lb_bus_sleep_ns(bus, 2000000000ull);
}

#endif
