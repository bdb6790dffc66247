/* SPDX-License-Identifier: MIT */
/*
 * The emulated world: its segments, modules and world devices, one lock, and time. Each
 * segment keeps its own clock; the world's clock is the latest of them, and advancing the
 * world brings every clock up to the new time. A world device runs at its deadlines on the
 * clock that reaches them first (a segment's, or the world's when it advances).
 */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/emulator.h>
#include "emulator/i2c/emu_world.h"
#include "emulator/cmis/emu_module.h"

LB_API int lb_emu_world_create(struct lb_emu_world **out)
{
	if (!out)
		return LB_E_INVAL;
	struct lb_emu_world *w = calloc(1, sizeof(*w));
	if (!w)
		return LB_E_NOMEM;
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&w->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	w->dev_due = UINT64_MAX;
	*out = w;
	return LB_OK;
}

LB_API void lb_emu_world_destroy(struct lb_emu_world *w)
{
	if (!w)
		return;
	while (w->devices) { /* first: a device may hold modules of the world */
		struct lb_emu_world_device *d = w->devices;
		w->devices = d->next;
		if (d->ops.release)
			d->ops.release(d->user);
		free(d);
	}
	while (w->modules)
		lb_emu_module_destroy(w->modules); /* unlinks itself */
	while (w->segments) {
		struct lb_emu_segment *s = w->segments;
		w->segments = s->next;
		emu_segment_free(s);
	}
	pthread_mutex_destroy(&w->lock);
	free(w);
}

LB_API uint64_t lb_emu_world_now_ns(const struct lb_emu_world *w)
{
	if (!w)
		return 0;
	struct lb_emu_world *mw = (struct lb_emu_world *)w; /* the lock is not part of the value */
	emu_lock(mw);
	uint64_t t = w->now_ns;
	emu_unlock(mw);
	return t;
}

/* ---- world devices ---- */

static void devices_due(struct lb_emu_world *w)
{
	uint64_t due = UINT64_MAX;
	for (struct lb_emu_world_device *d = w->devices; d; d = d->next)
		if (d->due < due)
			due = d->due;
	w->dev_due = due;
}

static uint64_t ask_deadline(const struct lb_emu_world_device *d)
{
	return d->ops.next_deadline ? d->ops.next_deadline(d->user) : UINT64_MAX;
}

/* Run one device up to t (never back), then learn its next deadline, which lies ahead. */
static void device_run(struct lb_emu_world_device *d, uint64_t t)
{
	if (t < d->t)
		t = d->t;
	d->ops.run_until(d->user, t);
	d->t = t;
	uint64_t due = ask_deadline(d);
	/* A deadline not after the time it just ran to is none: it would run at every step. */
	d->due = due > t ? due : UINT64_MAX;
}

void emu_world_run_devices(struct lb_emu_world *w, uint64_t t)
{
	if (w->dev_running || w->dev_due > t)
		return;
	w->dev_running = true; /* a device's calls into the emulator do not run devices again */
	for (struct lb_emu_world_device *d = w->devices; d; d = d->next)
		if (d->due <= t)
			device_run(d, t);
	w->dev_running = false;
	devices_due(w);
}

/*
 * Bring every clock of the world up to t, world devices running at each of their deadlines
 * on the way (the segments brought there first), then every device and module up to t.
 */
static void world_advance_to(struct lb_emu_world *w, uint64_t t)
{
	if (t < w->now_ns)
		t = w->now_ns;
	for (unsigned guard = 0; guard < 1000000 && w->dev_due <= t && !w->dev_running; guard++) {
		uint64_t at = w->dev_due;
		if (at > w->now_ns)
			w->now_ns = at;
		for (struct lb_emu_segment *s = w->segments; s; s = s->next)
			emu_segment_step(s, at);
		emu_world_run_devices(w, at);
	}
	w->now_ns = t;
	for (struct lb_emu_segment *s = w->segments; s; s = s->next)
		emu_segment_step(s, t);
	if (!w->dev_running) {
		w->dev_running = true;
		for (struct lb_emu_world_device *d = w->devices; d; d = d->next)
			if (t > d->t)
				device_run(d, t);
		w->dev_running = false;
		devices_due(w);
	}
	for (struct lb_emu_module *m = w->modules; m; m = m->world_next)
		emu_module_sync(m);
}

LB_API void lb_emu_world_advance_ns(struct lb_emu_world *w, uint64_t ns)
{
	if (!w)
		return;
	emu_lock(w);
	world_advance_to(w, ns > UINT64_MAX - w->now_ns ? UINT64_MAX : w->now_ns + ns);
	emu_unlock(w);
}

LB_API void lb_emu_world_set_now_ns(struct lb_emu_world *w, uint64_t ns)
{
	if (!w)
		return;
	emu_lock(w);
	world_advance_to(w, ns);
	emu_unlock(w);
}

static uint64_t clock_now(void *user)
{
	return lb_emu_world_now_ns(user);
}

static void clock_sleep(void *user, uint64_t ns)
{
	lb_emu_world_advance_ns(user, ns);
}

LB_API struct lb_clock lb_emu_world_clock(struct lb_emu_world *w)
{
	struct lb_clock c = { .now_ns = clock_now, .sleep_ns = clock_sleep, .user = w };
	return c;
}

void emu_world_add_module(struct lb_emu_world *w, struct lb_emu_module *m)
{
	m->world_next = w->modules;
	w->modules = m;
}

void emu_world_remove_module(struct lb_emu_world *w, struct lb_emu_module *m)
{
	for (struct lb_emu_module **pp = &w->modules; *pp; pp = &(*pp)->world_next) {
		if (*pp == m) {
			*pp = m->world_next;
			m->world_next = NULL;
			return;
		}
	}
}

void emu_module_lock(struct lb_emu_module *m)
{
	emu_lock(m->world); /* calls that act on the module bring it up to its clock themselves */
}

void emu_module_unlock(struct lb_emu_module *m)
{
	emu_segment_note(m);
	emu_unlock(m->world);
}

LB_API int lb_emu_world_add_device(struct lb_emu_world *w, const struct lb_emu_device_ops *ops,
				   void *user, struct lb_emu_world_device **out)
{
	if (!w || !ops || ops->size < LB_EMU_DEVICE_OPS_SIZE_V1 || !ops->run_until)
		return LB_E_INVAL;
	struct lb_emu_world_device *d = calloc(1, sizeof(*d));
	if (!d)
		return LB_E_NOMEM;
	/* The caller's table, zero-extended: ops appended later read NULL for an older caller. */
	memcpy(&d->ops, ops, ops->size < sizeof(d->ops) ? ops->size : sizeof(d->ops));
	d->ops.size = sizeof(d->ops);
	d->user = user;
	d->world = w;
	emu_lock(w);
	d->t = w->now_ns; /* it joins the world's present */
	d->due = ask_deadline(d);
	d->next = w->devices;
	w->devices = d;
	devices_due(w);
	emu_unlock(w);
	if (out)
		*out = d;
	return LB_OK;
}

LB_API void lb_emu_world_device_remove(struct lb_emu_world_device *d)
{
	if (!d)
		return;
	struct lb_emu_world *w = d->world;
	emu_lock(w);
	for (struct lb_emu_world_device **pp = &w->devices; *pp; pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	devices_due(w);
	emu_unlock(w);
	if (d->ops.release)
		d->ops.release(d->user);
	free(d);
}

LB_API void lb_emu_world_device_reschedule(struct lb_emu_world_device *d)
{
	if (!d)
		return;
	emu_lock(d->world);
	d->due = ask_deadline(d);
	devices_due(d->world);
	emu_unlock(d->world);
}

LB_API uint64_t lb_emu_world_device_now_ns(const struct lb_emu_world_device *d)
{
	if (!d)
		return 0;
	emu_lock(d->world);
	uint64_t t = d->t;
	emu_unlock(d->world);
	return t;
}
