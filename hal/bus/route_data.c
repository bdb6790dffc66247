/* SPDX-License-Identifier: MIT */
/*
 * Data an upper layer keeps per route on a bus (bus_internal.h): one block per address and mux
 * hops, shared by every handle on that route and freed with the last one. The access layer
 * keeps the page and bank in force there, so that two handles on one module never disagree
 * about it. Keyed as the claims are (claim.c).
 */
#include <stdlib.h>
#include <string.h>
#include "hal/bus/bus_internal.h"

struct lb_bus_route_data {
	struct lb_module_addr where;
	unsigned refs;
	void *data;
};

void *lb_bus_route_data_get(struct lb_bus *bus, const struct lb_module_addr *where, size_t size)
{
	void *out = NULL;
	pthread_mutex_lock(&bus->mutex);
	for (unsigned i = 0; i < bus->n_routes; i++) {
		struct lb_bus_route_data *d = &bus->routes[i];
		if (lb_bus_same_route(&d->where, where)) {
			d->refs++;
			out = d->data;
			goto done;
		}
	}
	if (bus->n_routes == bus->cap_routes) {
		unsigned cap = bus->cap_routes ? 2 * bus->cap_routes : 4;
		struct lb_bus_route_data *p = realloc(bus->routes, cap * sizeof(*p));
		if (!p)
			goto done;
		bus->routes = p;
		bus->cap_routes = cap;
	}
	void *data = calloc(1, size ? size : 1);
	if (!data)
		goto done;
	bus->routes[bus->n_routes++] = (struct lb_bus_route_data){ .where = *where, .refs = 1,
								   .data = data };
	out = data;
done:
	pthread_mutex_unlock(&bus->mutex);
	return out;
}

void lb_bus_route_data_put(struct lb_bus *bus, void *data)
{
	if (!data)
		return;
	pthread_mutex_lock(&bus->mutex);
	for (unsigned i = 0; i < bus->n_routes; i++) {
		struct lb_bus_route_data *d = &bus->routes[i];
		if (d->data != data)
			continue;
		if (--d->refs == 0) {
			free(d->data);
			*d = bus->routes[--bus->n_routes];
		}
		break;
	}
	pthread_mutex_unlock(&bus->mutex);
}

void lb_bus_route_data_free(struct lb_bus *bus)
{
	for (unsigned i = 0; i < bus->n_routes; i++)
		free(bus->routes[i].data);
	free(bus->routes);
	bus->routes = NULL;
	bus->n_routes = bus->cap_routes = 0;
}
