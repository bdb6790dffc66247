/* SPDX-License-Identifier: MIT */
/*
 * The ASIC test rig: a world with an emulated ASIC of a profile, a context with the
 * emulator's drivers, and the switch opened on that ASIC through the "emulated" driver
 * (tests/test_asic_*.c). Also a snapshot of the chip's whole port state, read from its
 * registers behind the core's back, to prove that a refused change applied nothing.
 */
#ifndef LB_TEST_ASIC_RIG_H
#define LB_TEST_ASIC_RIG_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lightbridge/asic.h>
#include <lightbridge/ctx.h>
#include <lightbridge/emulator.h>
#include <lightbridge/emu_asic_regs.h>

struct asic_rig {
	struct lb_emu_world *w;
	struct lb_emu_asic *asic;
	struct lb_ctx *ctx;
	struct lb_switch *sw;
};

static inline void asic_rig_open(struct asic_rig *r, const char *profile)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(lb_emu_world_create(&r->w), LB_OK);
	assert_int_equal(lb_emu_asic_create(r->w, profile, &r->asic), LB_OK);
	assert_int_equal(lb_ctx_create(&r->ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(r->ctx), LB_OK);
	assert_int_equal(lb_switch_open(r->ctx, "emulated", NULL, r->asic, &r->sw), LB_OK);
}

static inline void asic_rig_close(struct asic_rig *r)
{
	lb_switch_close(r->sw);
	lb_ctx_destroy(r->ctx);
	lb_emu_world_destroy(r->w); /* the ASIC with it */
}

#define ASIC_RIG_WARNED_LEN 512u

/* The last warning (or worse) a context logged: asic_rig_state_ctx's log hook. */
static inline void asic_rig_keep_warning(void *user, enum lb_log_level level, const char *msg)
{
	if (level <= LB_LOG_WARN)
		snprintf((char *)user, ASIC_RIG_WARNED_LEN, "%s", msg);
}

/*
 * A context with the emulator's drivers keeping its state in dir in mode, its last warning
 * in warned (ASIC_RIG_WARNED_LEN bytes, emptied here): for the saved-state tests.
 */
static inline struct lb_ctx *asic_rig_state_ctx(const char *dir, enum lb_state_mode mode, char *warned)
{
	struct lb_ctx *ctx;
	assert_int_equal(lb_ctx_create(&ctx), LB_OK);
	assert_int_equal(lb_emu_register_drivers(ctx), LB_OK);
	assert_int_equal(lb_ctx_set_state_dir(ctx, dir), LB_OK);
	assert_int_equal(lb_ctx_set_state_mode(ctx, mode), LB_OK);
	lb_ctx_set_log(ctx, asic_rig_keep_warning, warned, LB_LOG_DEBUG);
	warned[0] = 0;
	return ctx;
}

/* Every live register of every port and the lane map, straight from the chip. */
struct asic_snapshot {
	uint32_t n;
	uint32_t *v;
};

static inline uint32_t asic_reg(struct lb_emu_asic *a, uint32_t addr)
{
	uint32_t v = 0;
	assert_int_equal(lb_emu_asic_read32(a, addr, &v), LB_OK);
	return v;
}

static inline void asic_snapshot_take(struct lb_emu_asic *a, struct asic_snapshot *s)
{
	uint32_t ports = asic_reg(a, LB_EMU_ASIC_REG_MAX_PORTS), lanes = asic_reg(a, LB_EMU_ASIC_REG_LANES);
	static const uint32_t offs[] = { LB_EMU_ASIC_P_STATUS, LB_EMU_ASIC_P_LIVE_LANES, LB_EMU_ASIC_P_LIVE_SPEED,
					 LB_EMU_ASIC_P_LIVE_FEC, LB_EMU_ASIC_P_LIVE_CTRL, LB_EMU_ASIC_P_LIVE_MTU };
	uint32_t n_offs = (uint32_t)(sizeof(offs) / sizeof(offs[0]));
	s->n = ports * n_offs + lanes;
	s->v = calloc(s->n, sizeof(*s->v));
	assert_non_null(s->v);
	uint32_t k = 0;
	for (uint32_t p = 0; p < ports; p++)
		for (uint32_t i = 0; i < n_offs; i++)
			s->v[k++] = asic_reg(a, LB_EMU_ASIC_PORT_REG(p, offs[i]));
	for (uint32_t l = 0; l < lanes; l++)
		s->v[k++] = asic_reg(a, LB_EMU_ASIC_REG_LANE_OWNER(l));
}

/* The chip holds exactly what before held. Frees both. */
static inline void asic_snapshot_same(struct asic_snapshot *before, struct asic_snapshot *after)
{
	assert_int_equal(before->n, after->n);
	assert_memory_equal(before->v, after->v, before->n * sizeof(uint32_t));
	free(before->v);
	free(after->v);
}

#endif
