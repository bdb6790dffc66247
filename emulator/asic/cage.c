/* SPDX-License-Identifier: MIT */
/*
 * The ASIC lanes of a cage hear the module in it (lb_emu_asic_attach_module): before every
 * run of the chip's model (emu_asic_run: every register access, every advance of its world)
 * the lanes of each attached cage take the signal the module delivers on its host side now
 * (emulator/link/link_host.c: the module's state and, on a coherent link, the link model's
 * verdict on both directions). The module may live in another world (a platform's buses and
 * its ASIC each have their own): its world's lock is taken under the chip's, never the other
 * way round.
 */
#include <stdlib.h>
#include <string.h>
#include "emulator/asic/emu_asic.h"
#include "emulator/i2c/emu_world.h"
#include "emulator/link/emu_link.h"

struct emu_asic_cage {
	uint32_t first, count;
	struct lb_emu_module *m;
};

void emu_asic_cages_sync(struct lb_emu_asic *a)
{
	for (unsigned i = 0; i < a->n_cages; i++) {
		const struct emu_asic_cage *c = &a->cages[i];
		memset(a->signal + c->first, (int)emu_link_host_signal(c->m), c->count);
	}
}

void emu_asic_cages_free(struct lb_emu_asic *a)
{
	free(a->cages);
	a->cages = NULL;
	a->n_cages = 0;
}

/* Drop the cages that share a lane with first .. first + count - 1. */
static void detach(struct lb_emu_asic *a, uint32_t first, uint32_t count)
{
	unsigned k = 0;
	for (unsigned i = 0; i < a->n_cages; i++) {
		const struct emu_asic_cage *c = &a->cages[i];
		if (c->first < first + count && first < c->first + c->count)
			continue;
		a->cages[k++] = *c;
	}
	a->n_cages = k;
}

LB_API int lb_emu_asic_attach_module(struct lb_emu_asic *a, uint32_t first_lane, uint32_t count,
				     struct lb_emu_module *m)
{
	if (!a || !count)
		return LB_E_INVAL;
	if (first_lane >= a->prof->lanes || count > a->prof->lanes - first_lane)
		return LB_E_RANGE;
	emu_lock(a->world);
	emu_asic_run(a, a->world->now_ns); /* up to now on what the lanes heard so far */
	detach(a, first_lane, count);
	int rc = LB_OK;
	if (m) {
		struct emu_asic_cage *v = realloc(a->cages, (a->n_cages + 1) * sizeof(*v));
		if (!v) {
			rc = LB_E_NOMEM;
		} else {
			a->cages = v;
			a->cages[a->n_cages++] = (struct emu_asic_cage){ first_lane, count, m };
		}
	}
	emu_unlock(a->world);
	return rc;
}
