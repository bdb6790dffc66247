/* SPDX-License-Identifier: MIT */
/* The emulated world: one virtual clock that every segment and module of it shares. */
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
	return w ? w->now_ns : 0;
}

void emu_world_sync(struct lb_emu_world *w)
{
	for (struct lb_emu_module *m = w->modules; m; m = m->world_next)
		emu_module_run(m, w->now_ns);
}

LB_API void lb_emu_world_advance_ns(struct lb_emu_world *w, uint64_t ns)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->now_ns = (ns > UINT64_MAX - w->now_ns) ? UINT64_MAX : w->now_ns + ns;
	emu_world_sync(w);
	pthread_mutex_unlock(&w->lock);
}

LB_API void lb_emu_world_set_now_ns(struct lb_emu_world *w, uint64_t ns)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	if (ns > w->now_ns) {
		w->now_ns = ns;
		emu_world_sync(w);
	}
	pthread_mutex_unlock(&w->lock);
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
