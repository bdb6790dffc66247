/* SPDX-License-Identifier: MIT */
/*
 * Bring lanes up on an application (CMIS 5.4 host bring-up, reference §8.3): hold the lanes
 * in DPDeinit, high power, confirm DPDeactivated, stage + ApplyDPInit, then release DPDeinit
 * and Tx disable together so the data paths run DPInit -> DPTxTurnOn -> DPActivated without
 * a stop in between. Each wait ends as soon as the module gets there; the whole sequence is
 * bounded by the sum of the advertised durations of its steps.
 *
 * It runs as a state machine (lb_bringup_step): each step does the register work that can be
 * done now and returns the time it next needs attention, so one thread can drive many cages
 * and their waits overlap. lb_module_bring_up steps one to the end, sleeping in between.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/bringup.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/module_internal.h"

/*
 * Already up on this configuration: every lane activated with the right active set, without
 * ExplicitControl (a set a vendor line mode or an earlier caller left with it is not the
 * application's: applied again). A configuration with ExplicitControl or coherent members is
 * always applied (the values it stages are not in the lane status to compare).
 */
static bool already_up(const struct lb_cmis_dp_target *t, const struct lb_lane_status *lsp)
{
	const struct lb_lane_status ls = *lsp;
	bool up = true;
	unsigned n = t->app.host_lanes;
	for (unsigned i = 0; i < ls.lanes; i++) {
		if (!lb_cmis_bit(t->lane_mask, i))
			continue;
		/* lane_mask is whole DPs in a row (lb_cmis_dp_check): each starts every n lanes. */
		unsigned l = i % LB_CTL_LANES_PER_BANK, first = l;
		while (first > 0 && lb_cmis_bit(t->lane_mask, i - (l - first) - 1))
			first--;
		first += (l - first) / n * n;
		unsigned dpid = t->dpid >= 0 ? (unsigned)t->dpid : first;
		if (ls.dp_state[i] != LB_DP_STATE_ACTIVATED || ls.active_appsel[i] != t->app.appsel ||
		    ls.active_dpid[i] != dpid || ls.active_explicit_control[i] || ls.dp_deinit[i])
			up = false;
	}
	for (unsigned i = 0; i < ls.lanes; i++)
		if (lb_cmis_bit(t->media, i) && ls.tx_disabled[i])
			up = false;
	return up;
}



enum phase {
	PH_PLAN,
	PH_POWER,       /* hold lanes in DPDeinit, request high power */
	PH_WAIT_READY,  /* ModulePwrUp -> ModuleReady */
	PH_WAIT_DEACT,  /* data paths down (DPDeactivated) */
	PH_WAIT_IDLE,   /* an earlier apply still in progress on the lanes ends */
	PH_APPLY,       /* stage + ApplyDPInit */
	PH_WAIT_CONFIG, /* ConfigStatus final */
	PH_RELEASE,     /* DPDeinit and Tx disable released together */
	PH_WAIT_ACTIVE, /* DPInit -> DPTxTurnOn -> DPActivated */
	PH_DONE,
};

/* Weighted steps for progress: each the advertised bound of what it waits for. */
enum weight { W_POWER, W_DEACT, W_APPLY, W_ACTIVE, W_COUNT };

struct lb_bringup {
	struct lb_module *m;
	struct lb_op op;
	int cancel_requested; /* lb_bringup_cancel, atomically */
	struct lb_dp_config cfg;     /* as asked, at this library's size */
	struct lb_cmis_dp_target t;  /* as resolved by plan */
	uint32_t lane_mask;          /* asked, then resolved */
	uint8_t appsel;
	enum phase phase;
	int status;           /* LB_E_AGAIN while running */
	bool started;
	uint64_t t0, limit, end_ns;
	struct lb_cmis_ctl_info info;
	struct lb_bringup_report rep;
	struct lb_wait wait;        /* the wait of the current phase */
	struct lb_wait_cond cond;   /* what it waits for */
	struct lb_cmis_lane_wait lanes; /* a data-path or ConfigStatus wait's lanes */
	enum lb_module_state st;    /* what the ModuleReady wait read last */
	uint64_t wait_bound;
	uint64_t wake;        /* when the running operation asked to be stepped again */
	uint64_t weight[W_COUNT];
};

/*
 * The lanes of other data paths that overlap the target's lanes (FBOSS: "release other
 * lanes"): an 8-lane data path asked to give lanes 1-4 to a 4-lane application goes down
 * whole, lanes 5-8 included, and those get AppSel 0 in the same apply, so that no half of it
 * comes up again. ls: the lane status already read, or NULL. A target that holds every lane
 * of the module overlaps nothing outside it: no read then.
 */
static int find_release(struct lb_bringup *b, const struct lb_lane_status *ls)
{
	unsigned lanes = b->info.lanes;
	uint32_t all = lanes >= 32 ? UINT32_MAX : (1u << lanes) - 1u;
	if ((b->t.lane_mask & all) == all)
		return LB_OK;
	uint8_t acs[LB_MODULE_MAX_LANES] = { 0 };
	if (ls) {
		for (unsigned i = 0; i < ls->lanes && i < LB_MODULE_MAX_LANES; i++)
			acs[i] = (uint8_t)((unsigned)ls->active_appsel[i] << 4 | (ls->active_dpid[i] & 7u) << 1);
	} else {
		int rc = lb_cmis_read_active_sets(b->m, b->t.lane_mask, acs);
		if (rc)
			return rc;
	}
	b->t.release = lb_cmis_overlapping_lanes(acs, lanes, b->t.lane_mask);
	if (b->t.release) {
		char rel[96], want[96];
		lb_cmis_format_lanes(b->t.release, rel, sizeof(rel));
		lb_cmis_format_lanes(b->t.lane_mask, want, sizeof(want));
		lb_log(lb_module_ctx(b->m), LB_LOG_INFO,
		       "bring-up of %s: %s belong to the same data path(s): taken down and released (AppSel 0)",
		       want, rel);
	}
	return LB_OK;
}

static const char *phase_name(enum phase p)
{
	switch (p) {
	case PH_PLAN: return "plan";
	case PH_POWER: case PH_WAIT_READY: return "power up";
	case PH_WAIT_DEACT: return "deactivate";
	case PH_WAIT_IDLE: case PH_APPLY: case PH_WAIT_CONFIG: return "apply";
	case PH_RELEASE: case PH_WAIT_ACTIVE: return "activate";
	default: return "done";
	}
}

static double progress_fraction(const struct lb_bringup *b)
{
	enum weight cur;
	switch (b->phase) {
	case PH_PLAN: return 0.0;
	case PH_POWER: case PH_WAIT_READY: cur = W_POWER; break;
	case PH_WAIT_DEACT: cur = W_DEACT; break;
	case PH_WAIT_IDLE: case PH_APPLY: case PH_WAIT_CONFIG: cur = W_APPLY; break;
	case PH_RELEASE: case PH_WAIT_ACTIVE: cur = W_ACTIVE; break;
	default: return 1.0;
	}
	uint64_t total = 0, done = 0;
	for (unsigned i = 0; i < W_COUNT; i++) {
		total += b->weight[i];
		if (i < (unsigned)cur)
			done += b->weight[i];
	}
	if (!total)
		return 0.0;
	double in = 0.0;
	if (b->wait_bound) {
		uint64_t now = lb_cmis_now_ns(b->m);
		in = (double)(now - b->wait.start_ns) / (double)b->wait_bound;
		if (in > 0.99)
			in = 0.99;
	}
	return ((double)done + in * (double)b->weight[cur]) / (double)total;
}

static void report_progress(struct lb_bringup *b)
{
	if (b->op.progress)
		b->op.progress(b->op.user, phase_name(b->phase), progress_fraction(b));
}

static int finish(struct lb_bringup *b, int status)
{
	b->status = status;
	b->end_ns = lb_cmis_now_ns(b->m);
	b->rep.elapsed_ns = b->end_ns - b->t0;
	if (status == LB_OK)
		b->phase = PH_DONE;
	report_progress(b);
	return status;
}

/* The ModuleReady wait: ModuleFault or a bus error ends it. */
static int ready_check(void *user)
{
	struct lb_bringup *b = user;
	int rc = lb_cmis_read_state(b->m, &b->st);
	if (rc)
		return rc;
	if (b->st == LB_MODULE_STATE_FAULT)
		return LB_E_FAULT;
	return b->st == LB_MODULE_STATE_READY ? LB_OK : LB_E_AGAIN;
}

static void ready_describe(void *user, char *buf, size_t len)
{
	const struct lb_bringup *b = user;
	snprintf(buf, len, "state %s", lb_module_state_name((int)b->st));
}

/*
 * Start the wait of phase p. A data-path or ConfigStatus wait checks the module state every
 * LB_CMIS_FAULT_CHECK_EVERY polls, just before the poll, and once more at the deadline.
 */
static void enter_wait(struct lb_bringup *b, enum phase p, uint64_t bound_ns)
{
	b->phase = p;
	b->wait_bound = bound_ns;
	switch (p) {
	case PH_WAIT_READY:
		b->cond = (struct lb_wait_cond){ .what = "ModuleReady", .check = ready_check,
						 .describe = ready_describe, .user = b };
		break;
	case PH_WAIT_CONFIG:
	case PH_WAIT_IDLE:
		lb_cmis_lane_wait_init(&b->lanes, b->m, b->lane_mask | b->t.release, LB_CTL_P11_CONFIG_STATUS,
				       p == PH_WAIT_IDLE ? LB_CMIS_WANT_IDLE : -1, &b->cond);
		break;
	default: /* PH_WAIT_DEACT (the released lanes too), PH_WAIT_ACTIVE */
		lb_cmis_lane_wait_init(&b->lanes, b->m,
				       p == PH_WAIT_DEACT ? b->lane_mask | b->t.release : b->lane_mask,
				       LB_CTL_P11_DP_STATE,
				       p == PH_WAIT_DEACT ? LB_DP_STATE_DEACTIVATED
							  : LB_DP_STATE_ACTIVATED,
				       &b->cond);
		break;
	}
	lb_cmis_wait_begin(b->m, &b->wait, bound_ns, b->limit);
}

static int plan(struct lb_bringup *b)
{
	struct lb_module *m = b->m;
	int rc = lb_cmis_dp_resolve(m, &b->cfg, &b->info, &b->t, &b->rep.reject_code);
	if (rc)
		return rc;
	b->lane_mask = b->t.lane_mask;
	b->appsel = b->t.app.appsel;
	enum lb_module_state st;
	if ((rc = lb_cmis_read_state(m, &st)))
		return rc;
	if (st == LB_MODULE_STATE_FAULT)
		return LB_E_FAULT;

	/* The deadline: every step at its advertised maximum, in the order the steps run. */
	const struct lb_module_durations *d = &b->info.dur;
	b->weight[W_POWER] = d->module_pwr_up_ms + (st == LB_MODULE_STATE_PWR_DN ? d->module_pwr_dn_ms : 0);
	b->weight[W_DEACT] = (uint64_t)d->dp_tx_turn_off_ms + d->dp_deinit_ms;
	b->weight[W_APPLY] = (uint64_t)d->dp_deinit_ms + d->dp_init_ms;
	b->weight[W_ACTIVE] = (uint64_t)d->dp_init_ms + d->dp_tx_turn_on_ms;
	uint64_t ms = 0;
	for (unsigned i = 0; i < W_COUNT; i++)
		ms += b->weight[i];
	b->rep.deadline_ns = lb_cmis_ms_to_ns(ms);
	b->limit = lb_cmis_add_sat(b->t0, b->rep.deadline_ns);
	if (b->op.deadline_ns && b->op.deadline_ns < b->limit)
		b->limit = b->op.deadline_ns;

	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	bool have_ls = false;
	if (st == LB_MODULE_STATE_READY && !b->t.explicit_control && !b->t.coherent) {
		if ((rc = lb_module_get_lane_status(m, &ls)))
			return rc;
		have_ls = true;
		if (already_up(&b->t, &ls)) {
			b->phase = PH_DONE;
			return LB_OK;
		}
	}
	if ((rc = find_release(b, have_ls ? &ls : NULL)))
		return rc;
	b->phase = PH_POWER;
	return LB_E_AGAIN;
}

/* One pass of the machine: moves on as far as it can without waiting. */
static int run(struct lb_bringup *b, uint64_t *wake)
{
	struct lb_module *m = b->m;
	int rc;
	for (;;) {
		switch (b->phase) {
		case PH_PLAN:
			if ((rc = plan(b)) != LB_E_AGAIN)
				return rc;
			break;
		case PH_POWER: {
			/*
			 * DPDeinit first: in low power it keeps the data paths from initialising on
			 * whatever the active set holds once the module reaches ModuleReady (DPDeinit
			 * defaults to 0); in ModuleReady it takes them down (via DPTxTurnOff) so the
			 * module accepts the new set.
			 */
			if ((rc = lb_cmis_lane_ctrl(m, b->lane_mask | b->t.release, 0, 0, 0)))
				return rc;
			bool done;
			uint64_t bound;
			if ((rc = lb_cmis_power_request(m, false, &done, &bound)))
				return rc;
			if (done) {
				enter_wait(b, PH_WAIT_DEACT, lb_cmis_ms_to_ns(b->weight[W_DEACT]));
			} else {
				enter_wait(b, PH_WAIT_READY, bound);
			}
			break;
		}
		case PH_WAIT_READY:
			if ((rc = lb_wait_step(&b->wait, &b->cond, wake)))
				return rc;
			/* One read when they are deactivated already (the module was in low power). */
			enter_wait(b, PH_WAIT_DEACT, lb_cmis_ms_to_ns(b->weight[W_DEACT]));
			break;
		case PH_WAIT_DEACT:
			if ((rc = lb_wait_step(&b->wait, &b->cond, wake)))
				return rc;
			/*
			 * An apply still in progress on the lanes (an earlier call cut short) would
			 * make the module ignore ours: one read when there is none.
			 */
			enter_wait(b, PH_WAIT_IDLE, lb_cmis_apply_bound_ns(&b->info));
			break;
		case PH_WAIT_IDLE:
			if ((rc = lb_wait_step(&b->wait, &b->cond, wake)))
				return rc;
			b->phase = PH_APPLY;
			break;
		case PH_WAIT_ACTIVE:
			if ((rc = lb_wait_step(&b->wait, &b->cond, wake)))
				return rc;
			b->phase = PH_DONE;
			return LB_OK;
		case PH_APPLY:
			if ((rc = lb_cmis_apply_start(m, &b->t)))
				return rc;
			enter_wait(b, PH_WAIT_CONFIG, lb_cmis_apply_bound_ns(&b->info));
			break;
		case PH_WAIT_CONFIG:
			if ((rc = lb_wait_step(&b->wait, &b->cond, wake)))
				return rc;
			for (unsigned i = 0; i < LB_MODULE_MAX_LANES; i++) {
				if (lb_cmis_bit(b->lane_mask | b->t.release, i) &&
				    b->lanes.codes[i] != LB_CONFIG_STATUS_SUCCESS) {
					b->rep.reject_code = b->lanes.codes[i];
					return LB_E_REJECTED;
				}
			}
			if ((rc = lb_cmis_apply_verify(m, &b->t)))
				return rc;
			b->phase = PH_RELEASE;
			break;
		case PH_RELEASE:
			/* Release DPDeinit and Tx disable in one go: DPInit then straight on to DPTxTurnOn. */
			if ((rc = lb_cmis_lane_ctrl(m, 0, b->lane_mask, 0, b->t.media)))
				return rc;
			enter_wait(b, PH_WAIT_ACTIVE, lb_cmis_ms_to_ns(b->weight[W_ACTIVE]));
			break;
		case PH_DONE:
		default:
			return LB_OK;
		}
	}
}

static int bringup_start_config(struct lb_module *m, const struct lb_dp_config *cfg,
				const struct lb_op *op, struct lb_bringup **out)
{
	if (!m || !out || (op && op->size < offsetof(struct lb_op, user) + sizeof(op->user)))
		return LB_E_INVAL;
	struct lb_dp_config c;
	if (LB_SIZED_READ(c, cfg, LB_DP_CONFIG_SIZE_V1))
		return LB_E_INVAL;
	struct lb_bringup *b = calloc(1, sizeof(*b));
	if (!b)
		return LB_E_NOMEM;
	b->m = m;
	b->cfg = c;
	b->lane_mask = c.lane_mask;
	b->appsel = c.appsel;
	b->status = LB_E_AGAIN;
	if (op)
		memcpy(&b->op, op, op->size < sizeof(b->op) ? op->size : sizeof(b->op));
	b->op.size = sizeof(b->op);
	if (c.appsel > LB_MODULE_MAX_APPS) {
		b->rep.reject_code = (int)LB_CONFIG_STATUS_REJECTED_INVALID_APPSEL;
		b->status = LB_E_INVAL;
		b->started = true;
	}
	*out = b;
	return LB_OK;
}

LB_API int lb_bringup_start_config(struct lb_module *m, const struct lb_dp_config *cfg,
				   const struct lb_op *op, struct lb_bringup **out)
{
	return LB_MODULE_CALL(m, bringup_start_config(m, cfg, op, out));
}

LB_API int lb_bringup_start(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			    const struct lb_op *op, struct lb_bringup **out)
{
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = lane_mask;
	cfg.appsel = appsel;
	return lb_bringup_start_config(m, &cfg, op, out);
}

static bool cancelled(struct lb_bringup *b)
{
	if (__atomic_load_n(&b->cancel_requested, __ATOMIC_ACQUIRE))
		return true;
	return b->op.cancel && __atomic_load_n(b->op.cancel, __ATOMIC_ACQUIRE);
}

static int bringup_step(struct lb_bringup *b, uint64_t *wake_ns);

LB_API int lb_bringup_step(struct lb_bringup *b, uint64_t *wake_ns)
{
	if (!b)
		return LB_E_INVAL;
	/* An operation that ended keeps its status; the module's detail is of the step that ended it. */
	if (b->status != LB_E_AGAIN)
		return b->status;
	return LB_MODULE_CALL(b->m, bringup_step(b, wake_ns));
}

static int bringup_step(struct lb_bringup *b, uint64_t *wake_ns)
{
	if (!b->started) {
		b->started = true;
		b->t0 = lb_cmis_now_ns(b->m);
	}
	if (cancelled(b))
		return finish(b, LB_E_CANCELED);
	/* Stepped before its time: nothing to do yet, no bus traffic. */
	if (b->wake && lb_cmis_now_ns(b->m) < b->wake) {
		if (wake_ns)
			*wake_ns = b->wake;
		return LB_E_AGAIN;
	}
	uint64_t wake = 0;
	int rc = run(b, &wake);
	if (rc != LB_E_AGAIN)
		return finish(b, rc);
	b->wake = wake;
	report_progress(b);
	if (wake_ns)
		*wake_ns = wake;
	return LB_E_AGAIN;
}

LB_API void lb_bringup_cancel(struct lb_bringup *b)
{
	if (b)
		__atomic_store_n(&b->cancel_requested, 1, __ATOMIC_RELEASE);
}

LB_API const char *lb_bringup_step_name(const struct lb_bringup *b)
{
	return b ? phase_name(b->phase) : "";
}

LB_API int lb_bringup_get_report(const struct lb_bringup *b, struct lb_bringup_report *out)
{
	if (!b || lb_sized_check(out, LB_BRINGUP_REPORT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_bringup_report rep = b->rep;
	rep.size = sizeof(rep);
	if (b->status == LB_E_AGAIN && b->started)
		rep.elapsed_ns = lb_cmis_now_ns(b->m) - b->t0;
	LB_SIZED_FILL(out, rep);
	return LB_OK;
}

LB_API void lb_bringup_get_target(const struct lb_bringup *b, uint32_t *lane_mask,
				  uint8_t *appsel)
{
	if (!b)
		return;
	if (lane_mask)
		*lane_mask = b->lane_mask;
	if (appsel)
		*appsel = b->appsel;
}

LB_API uint32_t lb_bringup_released_lanes(const struct lb_bringup *b)
{
	return b ? b->t.release : 0;
}

LB_API void lb_bringup_free(struct lb_bringup *b)
{
	free(b);
}

static int module_bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			   struct lb_bringup_report *report)
{
	if (report && lb_sized_check(report, LB_BRINGUP_REPORT_SIZE_V1))
		return LB_E_INVAL;
	struct lb_bringup *b = NULL; /* set by a successful start */
	int rc = lb_bringup_start(m, lane_mask, appsel, NULL, &b);
	if (rc) {
		if (report) {
			struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
			LB_SIZED_FILL(report, rep);
		}
		return rc;
	}
	uint64_t wake;
	while ((rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN) {
		uint64_t now = lb_bus_now_ns(m->bus);
		if (wake > now)
			lb_bus_sleep_ns(m->bus, wake - now);
	}
	if (report)
		lb_bringup_get_report(b, report);
	lb_bringup_free(b);
	return rc;
}

LB_API int lb_module_bring_up(struct lb_module *m, uint32_t lane_mask, uint8_t appsel,
			      struct lb_bringup_report *report)
{
	return LB_MODULE_CALL(m, module_bring_up(m, lane_mask, appsel, report));
}
