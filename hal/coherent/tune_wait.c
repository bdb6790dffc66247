/* SPDX-License-Identifier: MIT */
/*
 * The bounded wait for a laser to tune: the bound is the tuning time the module's extension
 * states, else LB_LASER_TUNING_DEFAULT_MS (CMIS has no register for it); the polls read page
 * 12h through lb_laser_get_status on the module's bus clock, keeping every latched flag they
 * clear, so the caller learns "tuning complete" or the refusal.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <lightbridge/coherent.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"
#include "hal/cmis/regs.h"
#include "hal/core/wait.h"
#include "hal/coherent/coherent_internal.h"

/* The longest tuning time taken from a vendor page: one hour (anything above is garbage). */
#define STATED_MAX_MS 3600000.0

static int laser_tuning_time(struct lb_module *m, uint32_t *ms, bool *stated)
{
	if (!m || !ms)
		return LB_E_INVAL;
	const struct lb_module_adv *adv;
	int rc = lb_module_get_adv(m, &adv);
	if (rc)
		return rc;
	if (adv->flat || !(adv->tx_controls & LB_CMIS_P01_TX_CTRL_TUNABLE))
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "the module is not tunable (01h:155.6 clear): no laser pages 04h and 12h");
	double v;
	rc = lb_coherent_ext_field(m, "tuning_time_ms", &v);
	if (rc && rc != LB_E_NOTFOUND)
		return rc;
	bool have = rc == LB_OK && v > 0.0 && v <= STATED_MAX_MS;
	*ms = have ? (uint32_t)lround(v) : LB_LASER_TUNING_DEFAULT_MS;
	if (stated)
		*stated = have;
	return LB_OK;
}

LB_API int lb_laser_tuning_time(struct lb_module *m, uint32_t *ms, bool *stated)
{
	return LB_MODULE_CALL(m, laser_tuning_time(m, ms, stated));
}

struct tune_wait {
	struct lb_module *m;
	unsigned lane;
	struct lb_laser_status s;
	uint8_t flags; /* every latched flag the polls cleared */
	char what[48];
};

/* Lane i's tuning status (12h:222+i) and latched flags (231+i) alone: no other lane's flags. */
static int light_poll(struct tune_wait *w, uint8_t *status)
{
	unsigned i = (w->lane - 1) % 8;
	uint8_t bank = (uint8_t)((w->lane - 1) / 8), b[10], fl = 0;
	int rc;
	if (i == 0) { /* 222..231 in one read: lane 1's flags are the first of 231-238 */
		struct lb_mem_range r = { bank, 0x12, 222, 10, b };
		rc = lb_module_read_ranges(w->m, &r, 1);
		*status = b[0];
		fl = b[9];
	} else {
		struct lb_mem_range r[2] = { { bank, 0x12, (uint8_t)(222 + i), 1, status },
					     { bank, 0x12, (uint8_t)(231 + i), 1, &fl } };
		rc = lb_module_read_ranges(w->m, r, 2);
	}
	if (!rc)
		w->flags |= fl & 0x3Fu;
	return rc;
}

/*
 * One poll: the lane's status and flags alone while it tunes (two bytes), the whole lane once it
 * no longer does (lb_laser_get_status: configured and current frequency, state).
 */
static int tuned(void *user)
{
	struct tune_wait *w = user;
	uint8_t status = 0;
	int rc = light_poll(w, &status);
	if (rc == LB_E_BUSY)
		return LB_E_AGAIN;
	if (rc)
		return rc;
	if (!(w->flags & LB_TUNING_FLAGS_FAULT) && (status & 0x03u)) /* tuning, or unlocked */
		return LB_E_AGAIN;
	w->s = (struct lb_laser_status)LB_LASER_STATUS_INIT;
	rc = lb_laser_get_status(w->m, w->lane, &w->s);
	if (rc == LB_E_BUSY)
		return LB_E_AGAIN;
	if (rc)
		return rc;
	w->flags |= w->s.flags;
	if (w->flags & LB_TUNING_FLAGS_FAULT)
		return lb_ctx_error(lb_module_ctx(w->m), LB_E_REJECTED,
				    "laser %u: the module refused the tuning (flags 0x%02x: %s%s%s%s)",
				    w->lane, w->flags,
				    (w->flags & LB_TUNEFLAG_NOT_ACCEPTED) ? "not accepted " : "",
				    (w->flags & LB_TUNEFLAG_INVALID_CHANNEL) ? "invalid channel " : "",
				    (w->flags & LB_TUNEFLAG_FINE_OUT_OF_RANGE) ? "fine tuning out of range " : "",
				    (w->flags & LB_TUNEFLAG_POWER_OUT_OF_RANGE) ? "Tx power out of range" : "");
	if (w->s.status & 0x03u)
		return LB_E_AGAIN;
	bool on_target = isfinite(w->s.configured_ghz) &&
			 fabs(w->s.current_ghz - w->s.configured_ghz) < 0.0015;
	return (w->flags & LB_TUNEFLAG_COMPLETE) || on_target ? LB_OK : LB_E_AGAIN;
}

static void describe(void *user, char *buf, size_t len)
{
	const struct tune_wait *w = user;
	snprintf(buf, len, "%s, current %.3f GHz, configured %.3f GHz",
		 lb_tuning_state_name((int)w->s.state), w->s.current_ghz, w->s.configured_ghz);
}

static int laser_wait_tuned(struct lb_module *m, unsigned lane, struct lb_laser_status *out)
{
	if (!m || (out && lb_sized_check(out, LB_LASER_STATUS_SIZE_V1)))
		return LB_E_INVAL;
	uint32_t ms;
	struct tune_wait w;
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.lane = lane;
	w.s = (struct lb_laser_status)LB_LASER_STATUS_INIT;
	int rc = laser_tuning_time(m, &ms, NULL);
	const struct lb_module_adv *adv;
	if (!rc && !(rc = lb_module_get_adv(m, &adv)) && (lane < 1 || lane > 8u * adv->banks))
		rc = lb_ctx_error(lb_module_ctx(m), LB_E_INVAL, "lane %u: the module has lanes 1-%u",
				  lane, 8u * adv->banks);
	if (!rc) {
		snprintf(w.what, sizeof(w.what), "laser %u tuned", lane);
		struct lb_wait_cond c = { .what = w.what, .check = tuned, .describe = describe,
					  .user = &w };
		rc = lb_cmis_wait(m, (uint64_t)ms * 1000000u, 0, &c);
		w.s.flags = w.flags;
	}
	if (out)
		LB_SIZED_FILL(out, w.s);
	return rc;
}

LB_API int lb_laser_wait_tuned(struct lb_module *m, unsigned lane, struct lb_laser_status *out)
{
	return LB_MODULE_CALL(m, laser_wait_tuned(m, lane, out));
}
