/* SPDX-License-Identifier: MIT */
/*
 * Module state machine (CMIS 5.4 6.3.2): read the state, request low or high power in
 * software, software reset; and the module's side of the bounded wait (hal/core/wait.h):
 * its bus's clock and its context's error detail.
 */
#include <stdio.h>
#include <lightbridge/ctx.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/cmis/control_regs.h"
#include "hal/cmis/revision.h"
#include "hal/cmis/module_internal.h"

/* ---- clock and bounded waits ---- */

uint64_t lb_cmis_now_ns(struct lb_module *m)
{
	return lb_bus_now_ns(m->bus);
}

void lb_cmis_sleep_ns(struct lb_module *m, uint64_t ns)
{
	lb_bus_sleep_ns(m->bus, ns);
}

static uint64_t bus_clock_now(void *bus)
{
	return lb_bus_now_ns(bus);
}

static void bus_clock_sleep(void *bus, uint64_t ns)
{
	lb_bus_sleep_ns(bus, ns);
}

void lb_cmis_wait_begin(struct lb_module *m, struct lb_wait *w, uint64_t bound_ns,
			uint64_t limit_ns)
{
	struct lb_clock clock = { .now_ns = bus_clock_now, .sleep_ns = bus_clock_sleep,
				  .user = m->bus };
	lb_wait_begin(w, lb_module_ctx(m), &clock, bound_ns, limit_ns);
}

int lb_cmis_wait(struct lb_module *m, uint64_t bound_ns, uint64_t limit_ns,
		 const struct lb_wait_cond *c)
{
	struct lb_wait w;
	lb_cmis_wait_begin(m, &w, bound_ns, limit_ns);
	return lb_wait_run(&w, c);
}

/* ---- state ---- */

LB_API const char *lb_module_state_name(int state)
{
	switch (state) {
	case LB_MODULE_STATE_LOW_PWR: return "ModuleLowPwr";
	case LB_MODULE_STATE_PWR_UP: return "ModulePwrUp";
	case LB_MODULE_STATE_READY: return "ModuleReady";
	case LB_MODULE_STATE_PWR_DN: return "ModulePwrDn";
	case LB_MODULE_STATE_FAULT: return "ModuleFault";
	default: return "reserved";
	}
}

int lb_cmis_read_state(struct lb_module *m, enum lb_module_state *out)
{
	uint8_t b;
	int rc = lb_module_read(m, 0, 0, LB_CTL_LOW_STATE, &b, 1);
	if (rc)
		return rc;
	/* Bits 7-4 are populated by some modules; only 3-1 are the state. */
	*out = (enum lb_module_state)((b & LB_CTL_LOW_STATE_MASK) >> 1);
	return LB_OK;
}

static int module_get_state(struct lb_module *m, enum lb_module_state *out)
{
	if (!m || !out)
		return LB_E_INVAL;
	return lb_cmis_read_state(m, out);
}

LB_API int lb_module_get_state(struct lb_module *m, enum lb_module_state *out)
{
	return LB_MODULE_CALL(m, module_get_state(m, out));
}

/* A wait for byte 3 to show target (or, with also, a second acceptable state). */
struct state_wait {
	struct lb_module *m;
	enum lb_module_state target, also;
	bool nack_is_busy;
	int last_rc;             /* of the last read: LB_OK, or the NACK taken as busy */
	enum lb_module_state st; /* what the last read showed */
};

static int state_check(void *user)
{
	struct state_wait *s = user;
	enum lb_module_state st;
	int rc = lb_cmis_read_state(s->m, &st);
	s->last_rc = rc;
	if (rc == LB_OK) {
		s->st = st;
		if (st == s->target || st == s->also)
			return LB_OK;
		if (st == LB_MODULE_STATE_FAULT)
			return LB_E_FAULT;
		return LB_E_AGAIN;
	}
	return s->nack_is_busy && rc == LB_E_NACK ? LB_E_AGAIN : rc;
}

static void state_describe(void *user, char *buf, size_t len)
{
	const struct state_wait *s = user;
	if (s->last_rc == LB_E_NACK)
		snprintf(buf, len, "the module still NACKs");
	else
		snprintf(buf, len, "state %s", lb_module_state_name((int)s->st));
}

static int wait_state(struct lb_module *m, enum lb_module_state target, enum lb_module_state also,
		      uint64_t bound_ns, uint64_t limit_ns, bool nack_is_busy)
{
	char what[48];
	if (also != target)
		snprintf(what, sizeof(what), "%s or %s", lb_module_state_name((int)target),
			 lb_module_state_name((int)also));
	else
		snprintf(what, sizeof(what), "%s", lb_module_state_name((int)target));
	struct state_wait s = { .m = m, .target = target, .also = also,
				.nack_is_busy = nack_is_busy };
	struct lb_wait_cond c = { .what = what, .check = state_check, .describe = state_describe,
				  .user = &s };
	return lb_cmis_wait(m, bound_ns, limit_ns, &c);
}

/* ---- power ---- */

int lb_cmis_power_request(struct lb_module *m, bool low, bool *done, uint64_t *bound_ns)
{
	*done = false;
	*bound_ns = 0;
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc || (rc = lb_cmis_require_state_machine(m, &info)))
		return rc;
	if (info.flat) {
		*done = true;
		return low ? LB_E_NOTSUP : LB_OK; /* flat memory is always ModuleReady */
	}
	uint8_t st_b, ctl;
	struct lb_mem_range r[] = {
		{ .offset = LB_CTL_LOW_STATE, .len = 1, .buf = &st_b },
		{ .offset = LB_CTL_LOW_GLOBAL, .len = 1, .buf = &ctl },
	};
	if ((rc = lb_module_read_ranges(m, r, 2)))
		return rc;
	enum lb_module_state st = (enum lb_module_state)((st_b & LB_CTL_LOW_STATE_MASK) >> 1);
	if (st == LB_MODULE_STATE_FAULT)
		return LB_E_FAULT;
	uint8_t want = (uint8_t)(ctl & ~LB_CTL_GLOBAL_SW_RESET);
	if (low) {
		/*
		 * 5.x: LowPwrS = LowPwrRequestSW OR (LowPwrAllowRequestHW AND LPMode), so bit 4
		 * alone forces low power. CMIS 4.0 and earlier named bits 6 and 4 "LowPwr" and
		 * "ForceLowPwr" and hosts (FBOSS) request low power with bit 6; setting both is
		 * low power under either reading.
		 */
		want |= LB_CTL_GLOBAL_LOWPWR_SW;
		if (lb_cmis_rev_has(info.revision, LB_CMIS_RULE_LOWPWR_BIT6))
			want |= LB_CTL_GLOBAL_LOWPWR_ALLOW_HW;
	} else {
		/* Clear the software request and stop obeying the LPMode pin (every revision). */
		want &= (uint8_t)~(LB_CTL_GLOBAL_LOWPWR_SW | LB_CTL_GLOBAL_LOWPWR_ALLOW_HW);
	}
	enum lb_module_state target = low ? LB_MODULE_STATE_LOW_PWR : LB_MODULE_STATE_READY;
	if (want == (ctl & ~LB_CTL_GLOBAL_SW_RESET) && st == target) {
		*done = true;
		return LB_OK;
	}
	if (want != (ctl & ~LB_CTL_GLOBAL_SW_RESET) &&
	    (rc = lb_module_write(m, 0, 0, LB_CTL_LOW_GLOBAL, &want, 1)))
		return rc;
	/*
	 * Bound by what the module must still go through: to low power from Ready every data
	 * path first turns Tx off and deinitialises, then ModulePwrDn; to high power a module
	 * caught in ModulePwrDn finishes it before powering up again.
	 */
	const struct lb_module_durations *d = &info.dur;
	uint64_t ms;
	if (low) {
		ms = d->module_pwr_dn_ms;
		if (st == LB_MODULE_STATE_READY || st == LB_MODULE_STATE_PWR_UP)
			ms += (uint64_t)d->dp_tx_turn_off_ms + d->dp_deinit_ms;
		if (st == LB_MODULE_STATE_PWR_UP)
			ms += d->module_pwr_up_ms;
	} else {
		ms = d->module_pwr_up_ms;
		if (st == LB_MODULE_STATE_PWR_DN)
			ms += d->module_pwr_dn_ms;
	}
	*bound_ns = lb_cmis_ms_to_ns(ms);
	return LB_OK;
}

int lb_cmis_set_low_power_until(struct lb_module *m, bool low, uint64_t limit_ns)
{
	bool done;
	uint64_t bound;
	int rc = lb_cmis_power_request(m, low, &done, &bound);
	if (rc || done)
		return rc;
	enum lb_module_state target = low ? LB_MODULE_STATE_LOW_PWR : LB_MODULE_STATE_READY;
	return wait_state(m, target, target, bound, limit_ns, false);
}

static int module_set_low_power(struct lb_module *m, bool low)
{
	if (!m)
		return LB_E_INVAL;
	return lb_cmis_set_low_power_until(m, low, 0);
}

LB_API int lb_module_set_low_power(struct lb_module *m, bool low)
{
	return LB_MODULE_CALL(m, module_set_low_power(m, low));
}

/* ---- reset ---- */

static int module_reset(struct lb_module *m)
{
	if (!m)
		return LB_E_INVAL;
	/* The bound needs the durations, which cannot be read while the module resets. */
	struct lb_cmis_ctl_info info;
	int rc = lb_cmis_ctl_info(m, &info);
	if (rc || (rc = lb_cmis_require_state_machine(m, &info)))
		return rc;
	uint8_t ctl;
	if ((rc = lb_module_read(m, 0, 0, LB_CTL_LOW_GLOBAL, &ctl, 1)))
		return rc;
	ctl = (uint8_t)(ctl | LB_CTL_GLOBAL_SW_RESET);
	if ((rc = lb_module_write(m, 0, 0, LB_CTL_LOW_GLOBAL, &ctl, 1)))
		return rc;
	/* Registers, select bytes and (after a firmware change) the advertisement start over. */
	lb_module_invalidate(m);
	/*
	 * The module NACKs during MgmtInit (tInit, not advertised), then lands in LowPwr, or
	 * powers up to Ready when LowPwrS is false after the reset defaults.
	 */
	uint64_t ms = (uint64_t)LB_CTL_T_INIT_MS + info.dur.module_pwr_up_ms;
	rc = wait_state(m, LB_MODULE_STATE_LOW_PWR, LB_MODULE_STATE_READY, lb_cmis_ms_to_ns(ms), 0,
			true);
	/* NACKed polls left the bus generation bumped; nothing cached survives a reset anyway. */
	lb_module_invalidate(m);
	return rc;
}

LB_API int lb_module_reset(struct lb_module *m)
{
	return LB_MODULE_CALL(m, module_reset(m));
}
