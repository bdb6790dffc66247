/* SPDX-License-Identifier: MIT */
/*
 * The emulated coherent link (include/lightbridge/emulator.h, lb_emu_link_*): a world device
 * joining two modules by a fibre path, and the telemetry source of both. Each end's sample
 * reads both ends' settings (link_end.c), evaluates the far end's signal over the path with
 * the link model at the DGD of its direction (a Maxwellian drift on the virtual clock) and
 * hands the receiver what its DSP would measure.
 *
 * Lifetime: the link is held by its world device and by each end's telemetry source; the
 * last of the three to let go frees it (a world destroys devices first, then modules).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "emulator/cmis/emu_module.h"
#include "emulator/i2c/emu_world.h"
#include "emulator/link/emu_link.h"

#define LINK_DEFAULT_INTERVAL_NS 100000000ull /* 100 ms */

struct link_side {
	struct lb_emu_link *link;
	unsigned index;                  /* 0: a, receiving from b; 1: b from a */
	struct lb_emu_module *m;
	bool held;                       /* the module still has us as its source */
	struct lb_link_dgd_drift dgd;    /* of the direction into this end */
	struct lb_emu_link_sample last;  /* what it received at its last sample */
};

struct lb_emu_link {
	struct lb_emu_world *w;
	struct lb_emu_world_device *dev; /* NULL once the world let go */
	unsigned refs;
	struct lb_link_path path;
	struct lb_line_modes modes;      /* our copy, calibrated */
	struct lb_emu_link_opts opts;
	uint64_t interval_ns;            /* of the samples and of the device's runs */
	uint64_t next_ns;                /* the device's next run */
	bool cut;                        /* the fibre is cut (lb_emu_link_set_cut): dark both ways */
	struct link_side side[2];
};

static void link_unref(struct lb_emu_link *l)
{
	if (--l->refs)
		return;
	free(l->modes.modes);
	free(l);
}

/* ---- the line mode an end runs ---- */

static const struct lb_line_mode *mode_of(const struct lb_emu_link *l, const struct emu_link_end *e)
{
	if (e->vendor_mode)
		return lb_line_modes_find(&l->modes, e->vendor_mode);
	if (e->media_id < 0)
		return NULL;
	for (unsigned i = 0; i < l->opts.media_mode_count; i++)
		if (l->opts.media_modes[i].media_id == (uint8_t)e->media_id)
			return lb_line_modes_find(&l->modes, l->opts.media_modes[i].mode);
	const char *id = lb_line_mode_for_media_id((uint8_t)e->media_id);
	return id ? lb_line_modes_find(&l->modes, id) : NULL;
}

/* ---- one sample ---- */

/* A receiver that cannot lock: no signal figures, as the model gives for a dark link. */
static void not_up(struct lb_link_result *r, enum lb_link_state state)
{
	r->state = state;
	r->closes = false;
	r->limited_by = LB_LINK_LIMIT_ENDS;
	r->fec_state = LB_LINK_FEC_NONE;
	r->osnr_ase_db = r->osnr_nli_db = r->osnr_db = 0.0;
	r->penalty_cd_db = r->penalty_dgd_db = r->penalty_pdl_db = r->penalty_rx_db = 0.0;
	r->penalty_db = r->margin_db = r->snr_db = r->esnr_db = r->snr_dec_db = 0.0;
	r->pre_fec_ber = r->q_db = r->post_fec_ber = r->uncorrectable_frames_per_s = 0.0;
	r->out_of_range = 0;
	if (state == LB_LINK_STATE_LOS)
		r->rx_power_dbm = LB_LINK_NO_SIGNAL_DBM;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* What end i receives from the far end at t_ns into s; the DGD drift moves on to t_ns when
 * advance (a sample), else it is read as it stands (a look that changes nothing). */
static void evaluate(struct lb_emu_link *l, unsigned i, uint64_t t_ns, bool advance,
		     struct lb_emu_link_sample *s)
{
	struct link_side *me = &l->side[i], *far = &l->side[i ^ 1u];
	struct emu_link_end rx, tx;
	emu_link_end_read(me->m, &rx);
	emu_link_end_read(far->m, &tx);
	const struct lb_line_mode *rx_mode = mode_of(l, &rx), *tx_mode = mode_of(l, &tx);
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->sampled = true;
	s->t_ns = t_ns;
	if (rx_mode)
		snprintf(s->rx_mode, sizeof(s->rx_mode), "%s", rx_mode->id);
	if (tx_mode)
		snprintf(s->tx_mode, sizeof(s->tx_mode), "%s", tx_mode->id);
	s->rx_frequency_thz = rx.freq_thz;
	s->tx_power_dbm = tx.tx_dbm;
	s->tx_lit = !l->cut && emu_link_end_lit(&tx) && tx_mode && tx.freq_thz >= 184.0 &&
		    tx.freq_thz <= 200.0;
	s->tx_frequency_thz = s->tx_lit ? tx.freq_thz : 0.0;
	s->rx_ready = rx.present && rx.ready && rx.dp_init && rx.locked && rx_mode &&
		      rx.freq_thz >= 184.0 && rx.freq_thz <= 200.0;

	/* The DGD into this end at its own time (a module behind the device keeps the last). */
	double dgd = lb_link_dgd_drift_value(&me->dgd);
	if (advance && me->dgd.mean_ps > 0.0 && t_ns >= me->dgd.t_ns)
		lb_link_dgd_drift_advance(&me->dgd, t_ns, &dgd);
	const struct lb_link_eval_opts eo = { .have_dgd = true, .dgd_ps = dgd };

	s->result = (struct lb_link_result)LB_LINK_RESULT_INIT;
	struct lb_link_result *r = &s->result;
	const struct lb_line_mode *any = tx_mode ? tx_mode : rx_mode;
	struct lb_link_path path = l->path;
	path.tx_power_dbm = clampd(tx.tx_dbm, -30.0, 20.0);
	int rc = LB_E_INVAL;
	if (any) {
		/* The far end's carrier, or (dark) the receiver's own channel for the path figures. */
		double f = s->tx_lit ? tx.freq_thz : s->rx_ready ? rx.freq_thz : 193.4;
		const struct lb_link_end te = { .mode = tx_mode ? tx_mode : any, .frequency_thz = f,
						.tx_enabled = s->tx_lit };
		const struct lb_link_end re = { .mode = rx_mode ? rx_mode : any,
						.frequency_thz = s->rx_ready ? rx.freq_thz : f };
		rc = lb_link_evaluate_ends(&path, &te, &re, &eo, r);
	}
	if (rc != LB_OK) {
		/* No mode at either end (or a figure the model refuses): nothing to lock on. */
		memset(r, 0, sizeof(*r));
		r->size = sizeof(*r);
		r->span_count = path.span_count;
		r->length_km = lb_link_path_length_km(&path);
		r->dgd_ps = dgd;
		not_up(r, s->tx_lit ? LB_LINK_STATE_NO_LOCK : LB_LINK_STATE_LOS);
	} else if (r->state == LB_LINK_STATE_UP && !s->rx_ready) {
		not_up(r, LB_LINK_STATE_NO_LOCK); /* light, but the receiver is not running */
	}
}

/* ---- the telemetry source of each end, the world device ---- */

static int link_sample(void *user, uint64_t t_ns, struct lb_emu_telemetry *tm)
{
	struct link_side *me = user;
	struct lb_emu_link *l = me->link;
	struct lb_emu_link_sample s;
	evaluate(l, me->index, t_ns, true, &s);
	struct emu_link_end rx;
	emu_link_end_read(me->m, &rx);
	const struct lb_line_mode *m = lb_line_modes_find(&l->modes, s.tx_mode);
	emu_link_report(&s, emu_link_end_lit(&rx), rx.tx_dbm, l->path.pdl_db, m ? m->baud_gbd : 0.0, tm);
	me->last = s;
	return LB_OK;
}

static void link_side_release(void *user)
{
	struct link_side *me = user;
	me->held = false;
	link_unref(me->link);
}

/*
 * Every interval the device brings both ends up to their own clocks (their segments', which a
 * world advance has brought here), so that each reads the other at most one interval late:
 * each module runs alone up to its time, sampling on the way.
 */
static uint64_t link_next_deadline(void *user)
{
	const struct lb_emu_link *l = user;
	return l->next_ns;
}

static void link_run_until(void *user, uint64_t t_ns)
{
	struct lb_emu_link *l = user;
	for (unsigned i = 0; i < 2; i++)
		if (l->side[i].held)
			emu_module_sync(l->side[i].m);
	l->next_ns = t_ns + l->interval_ns;
}

static void link_device_release(void *user)
{
	struct lb_emu_link *l = user;
	l->dev = NULL;
	link_unref(l);
}

static const struct lb_emu_device_ops link_device_ops = {
	.size = sizeof(struct lb_emu_device_ops),
	.next_deadline = link_next_deadline,
	.run_until = link_run_until,
	.release = link_device_release,
};

/* ---- public calls ---- */

static bool is_link_end(const struct lb_emu_module *m)
{
	return m->telem.sample == link_sample;
}

static int copy_modes(struct lb_emu_link *l, const struct lb_line_modes *modes)
{
	l->modes.modes = calloc(modes->count, sizeof(*modes->modes));
	if (!l->modes.modes)
		return LB_E_NOMEM;
	l->modes.count = modes->count;
	for (size_t i = 0; i < modes->count; i++) {
		l->modes.modes[i] = modes->modes[i];
		int rc = lb_line_mode_calibrate(&l->modes.modes[i]);
		if (rc)
			return rc;
	}
	return LB_OK;
}

static int check_opts(const struct lb_emu_link_opts *o, const struct lb_line_modes *modes)
{
	if (o->size < LB_EMU_LINK_OPTS_SIZE_V1)
		return LB_E_INVAL;
	if (o->media_mode_count > LB_EMU_LINK_MAX_MEDIA_MODES || !isfinite(o->dgd_corr_time_s) ||
	    o->dgd_corr_time_s < 0.0)
		return LB_E_RANGE;
	for (unsigned i = 0; i < o->media_mode_count; i++)
		if (!memchr(o->media_modes[i].mode, 0, sizeof(o->media_modes[i].mode)) ||
		    !lb_line_modes_find(modes, o->media_modes[i].mode))
			return LB_E_NOTFOUND;
	return LB_OK;
}

/* Mean DGD of the path, ps: PMD adds in quadrature over the spans. */
static double path_dgd_mean_ps(const struct lb_link_path *p)
{
	double sum = 0.0;
	for (unsigned i = 0; i < p->span_count; i++)
		sum += p->spans[i].pmd_ps_sqrt_km * p->spans[i].pmd_ps_sqrt_km * p->spans[i].length_km;
	return sqrt(sum);
}

static int link_create_locked(struct lb_emu_world *w, struct lb_emu_module *a,
			      struct lb_emu_module *b, const struct lb_link_path *path,
			      const struct lb_line_modes *modes, const struct lb_emu_link_opts *o,
			      struct lb_emu_link **out)
{
	if (a->world != w || b->world != w)
		return LB_E_INVAL;
	if (is_link_end(a) || is_link_end(b))
		return LB_E_EXISTS;
	int rc = lb_link_path_check(path);
	if (rc)
		return rc == LB_E_INVAL ? LB_E_INVAL : LB_E_RANGE;
	if ((rc = check_opts(o, modes)))
		return rc;
	struct lb_emu_link *l = calloc(1, sizeof(*l));
	if (!l)
		return LB_E_NOMEM;
	l->w = w;
	l->path = *path;
	l->path.size = sizeof(l->path);
	memcpy(&l->opts, o, sizeof(l->opts));
	l->opts.size = sizeof(l->opts);
	if ((rc = copy_modes(l, modes))) {
		free(l->modes.modes);
		free(l);
		return rc;
	}
	uint64_t now = lb_emu_world_now_ns(w);
	l->interval_ns = o->interval_ns ? o->interval_ns : LINK_DEFAULT_INTERVAL_NS;
	l->next_ns = now + l->interval_ns;
	double mean = path_dgd_mean_ps(&l->path);
	for (unsigned i = 0; i < 2; i++) {
		struct link_side *sd = &l->side[i];
		sd->link = l;
		sd->index = i;
		sd->m = i ? b : a;
		sd->last.size = sizeof(sd->last);
		uint64_t seed = (o->seed ? o->seed : 1) * 2 + i;
		if (mean > 0.0 &&
		    (rc = lb_link_dgd_drift_init(&sd->dgd, mean, o->dgd_corr_time_s, seed, now))) {
			free(l->modes.modes);
			free(l);
			return rc;
		}
	}
	l->refs = 1;
	if ((rc = lb_emu_world_add_device(w, &link_device_ops, l, &l->dev))) {
		free(l->modes.modes);
		free(l);
		return rc;
	}
	const struct lb_emu_telemetry_ops tops = {
		.size = sizeof(tops), .sample = link_sample, .release = link_side_release,
		.interval_ns = l->interval_ns,
	};
	for (unsigned i = 0; i < 2; i++) {
		l->refs++;
		l->side[i].held = true;
		lb_emu_module_set_telemetry_source(l->side[i].m, &tops, &l->side[i]);
	}
	*out = l;
	return LB_OK;
}

LB_API int lb_emu_link_create(struct lb_emu_world *w, struct lb_emu_module *a,
			      struct lb_emu_module *b, const struct lb_link_path *path,
			      const struct lb_line_modes *modes, const struct lb_emu_link_opts *opts,
			      struct lb_emu_link **out)
{
	if (!w || !a || !b || a == b || !path || !modes || !modes->count || !modes->modes || !out)
		return LB_E_INVAL;
	struct lb_emu_link_opts defaults = LB_EMU_LINK_OPTS_INIT;
	struct lb_emu_link_opts o = defaults;
	if (opts) {
		if (opts->size < LB_EMU_LINK_OPTS_SIZE_V1)
			return LB_E_INVAL;
		memcpy(&o, opts, opts->size < sizeof(o) ? opts->size : sizeof(o));
		o.size = sizeof(o);
	}
	emu_lock(w);
	int rc = link_create_locked(w, a, b, path, modes, &o, out);
	emu_unlock(w);
	return rc;
}

LB_API void lb_emu_link_destroy(struct lb_emu_link *l)
{
	if (!l)
		return;
	struct lb_emu_world *w = l->w;
	emu_lock(w);
	l->refs++; /* ours, until the end of this call */
	for (unsigned i = 0; i < 2; i++)
		if (l->side[i].held)
			lb_emu_module_set_telemetry_source(l->side[i].m, NULL, NULL);
	if (l->dev)
		lb_emu_world_device_remove(l->dev);
	link_unref(l);
	emu_unlock(w);
}

LB_API int lb_emu_link_last_sample(const struct lb_emu_link *l, unsigned end,
				   struct lb_emu_link_sample *out)
{
	if (!l || end > 1 || !out || out->size < LB_EMU_LINK_SAMPLE_SIZE_V1)
		return LB_E_INVAL;
	emu_lock(l->w);
	size_t size = out->size < sizeof(*out) ? out->size : sizeof(*out);
	struct lb_emu_link_sample s = l->side[end].last;
	s.size = size;
	s.result.size = sizeof(s.result);
	memcpy(out, &s, size);
	emu_unlock(l->w);
	return LB_OK;
}

LB_API const struct lb_link_path *lb_emu_link_path(const struct lb_emu_link *l)
{
	return l ? &l->path : NULL;
}

LB_API struct lb_emu_link *lb_emu_module_link(struct lb_emu_module *m)
{
	if (!m)
		return NULL;
	emu_lock(m->world);
	struct lb_emu_link *l = is_link_end(m) ? ((struct link_side *)m->telem_user)->link : NULL;
	emu_unlock(m->world);
	return l;
}

LB_API int lb_emu_link_set_cut(struct lb_emu_link *l, bool cut)
{
	if (!l)
		return LB_E_INVAL;
	emu_lock(l->w);
	l->cut = cut;
	emu_unlock(l->w);
	return LB_OK;
}

bool emu_link_receives(struct lb_emu_module *m, struct lb_emu_link_sample *self,
		       struct lb_emu_link_sample *far)
{
	if (!m)
		return false;
	struct lb_emu_world *w = m->world;
	emu_lock(w);
	bool end = is_link_end(m);
	if (end) {
		struct link_side *me = m->telem_user;
		uint64_t now = lb_emu_world_now_ns(w);
		evaluate(me->link, me->index, now, false, self);
		evaluate(me->link, me->index ^ 1u, now, false, far);
	}
	emu_unlock(w);
	return end;
}
