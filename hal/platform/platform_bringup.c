/* SPDX-License-Identifier: MIT */
/*
 * Bring a set of ports up concurrently: one thread per bus (buses run side by side, as on
 * hardware), each stepping the bring-ups of its own ports from one loop so that their waits
 * overlap, and sleeping on its bus's clock until the earliest one needs attention.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <lightbridge/bringup.h>
#include <lightbridge/platform.h>

struct port_job {
	struct lb_port_bringup *req;
	struct lb_module *m;
	struct lb_bringup *op;
	lb_port_progress_fn progress;
	void *user;
};

struct bus_job {
	struct lb_bus *bus;
	struct port_job **ports;
	unsigned n;
	pthread_t thread;
	bool threaded;
};

static void port_progress(void *user, const char *step, double fraction)
{
	struct port_job *pj = user;
	pj->progress(pj->user, pj->req->port, step, fraction);
}

static void *run_bus(void *arg)
{
	struct bus_job *bj = arg;
	unsigned running = bj->n;
	while (running) {
		uint64_t next = UINT64_MAX;
		running = 0;
		for (unsigned i = 0; i < bj->n; i++) {
			struct port_job *pj = bj->ports[i];
			if (pj->req->status != LB_E_AGAIN)
				continue;
			uint64_t wake = 0;
			pj->req->status = lb_bringup_step(pj->op, &wake);
			if (pj->req->status == LB_E_AGAIN) {
				running++;
				if (wake < next)
					next = wake;
			}
		}
		if (!running)
			break;
		uint64_t now = lb_bus_now_ns(bj->bus);
		if (next > now)
			lb_bus_sleep_ns(bj->bus, next - now);
	}
	return NULL;
}

LB_API int lb_platform_bring_up(struct lb_platform *p, struct lb_port_bringup *ports, unsigned n,
				const struct lb_op *op, lb_port_progress_fn progress, void *user)
{
	if (!p || (n && !ports))
		return LB_E_INVAL;
	struct port_job *pjs = calloc(n ? n : 1, sizeof(*pjs));
	struct bus_job *bjs = calloc(n ? n : 1, sizeof(*bjs));
	struct port_job **slots = calloc(n ? n : 1, sizeof(*slots));
	if (!pjs || !bjs || !slots) {
		free(pjs);
		free(bjs);
		free(slots);
		return LB_E_NOMEM;
	}
	struct lb_op pop = LB_OP_INIT;
	if (op)
		memcpy(&pop, op, op->size < sizeof(pop) ? op->size : sizeof(pop));
	pop.size = sizeof(pop);
	pop.progress = NULL;
	pop.user = NULL;

	/* Open and check every port here; group the ones that can start by bus. */
	unsigned nb = 0;
	for (unsigned i = 0; i < n; i++) {
		struct lb_port_bringup *r = &ports[i];
		struct port_job *pj = &pjs[i];
		pj->req = r;
		memset(&r->report, 0, sizeof(r->report));
		r->report.size = sizeof(r->report);
		r->status = lb_platform_module(p, r->port, &pj->m);
		if (r->status)
			continue;
		struct lb_op o = pop;
		if (progress) {
			pj->progress = progress;
			pj->user = user;
			o.progress = port_progress;
			o.user = pj;
		}
		if ((r->status = lb_bringup_start(pj->m, r->lane_mask, r->appsel, &o, &pj->op)))
			continue;
		r->status = LB_E_AGAIN;
		struct lb_bus *bus = lb_module_bus(pj->m);
		unsigned b;
		for (b = 0; b < nb && bjs[b].bus != bus; b++)
			;
		if (b == nb)
			bjs[nb++].bus = bus;
		bjs[b].n++;
	}
	/* Each bus's ports in one contiguous run of slots, in the caller's order. */
	unsigned at = 0;
	for (unsigned b = 0; b < nb; b++) {
		bjs[b].ports = &slots[at];
		unsigned k = 0;
		for (unsigned i = 0; i < n; i++)
			if (pjs[i].op && lb_module_bus(pjs[i].m) == bjs[b].bus)
				bjs[b].ports[k++] = &pjs[i];
		at += k;
	}
	/* One thread per bus beyond the first; the caller's thread takes the first bus. */
	for (unsigned b = 1; b < nb; b++)
		bjs[b].threaded = pthread_create(&bjs[b].thread, NULL, run_bus, &bjs[b]) == 0;
	if (nb)
		run_bus(&bjs[0]);
	for (unsigned b = 1; b < nb; b++) {
		if (bjs[b].threaded)
			pthread_join(bjs[b].thread, NULL);
		else
			run_bus(&bjs[b]); /* no thread to be had: run it here, after the others */
	}
	int first = LB_OK;
	for (unsigned i = 0; i < n; i++) {
		if (pjs[i].op) {
			lb_bringup_get_report(pjs[i].op, &ports[i].report);
			lb_bringup_free(pjs[i].op);
		}
		if (ports[i].status && first == LB_OK)
			first = ports[i].status;
	}
	free(pjs);
	free(bjs);
	free(slots);
	return first;
}
