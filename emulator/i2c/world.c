/* SPDX-License-Identifier: MIT */
/*
 * The emulated world: its segments and modules, one lock, and time. Each segment keeps its
 * own clock; the world's clock is the latest of them, and advancing the world brings every
 * clock up to the new time.
 */
#include <stdlib.h>
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
	*out = w;
	return LB_OK;
}

LB_API void lb_emu_world_destroy(struct lb_emu_world *w)
{
	if (!w)
		return;
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

/* Bring every clock of the world up to t and every module up to its clock. */
static void world_advance_to(struct lb_emu_world *w, uint64_t t)
{
	if (t > w->now_ns)
		w->now_ns = t;
	for (struct lb_emu_segment *s = w->segments; s; s = s->next)
		emu_segment_advance(s, w->now_ns);
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
