/* SPDX-License-Identifier: MIT */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/bus.h>
#include "hal/abi/sized.h"
#include "hal/bus/bus_internal.h"
#include "hal/bus/claim.h"
#include "hal/core/ctx_internal.h"
#include "util/options_internal.h"

int lb_bus_lock_file_acquire(struct lb_bus *bus);
void lb_bus_lock_file_release(struct lb_bus *bus);
void lb_bus_lock_file_close(struct lb_bus *bus);

LB_API int lb_bus_open(struct lb_ctx *ctx, const char *driver, const char *options, void *handle,
		       struct lb_bus **out)
{
	if (!ctx || !driver || !out)
		return LB_E_INVAL;
	/* The text is parsed once, here; the driver reads the object. */
	char origin[96], err[LB_ERROR_MAX];
	snprintf(origin, sizeof(origin), "%s options", driver);
	struct lb_options *doc;
	int rc = lb_options_parse_object(options, origin, &doc, err, sizeof(err));
	if (rc)
		return lb_ctx_error(ctx, rc, "%s", err);
	rc = lb_bus_open_options(ctx, driver, doc, handle, out);
	lb_options_free(doc);
	return rc;
}

int lb_bus_open_options(struct lb_ctx *ctx, const char *driver, const struct lb_options *options,
			void *handle, struct lb_bus **out)
{
	if (!ctx || !driver || !out)
		return LB_E_INVAL;
	const struct lb_driver *drv;
	if (lb_ctx_find_driver(ctx, LB_DRIVER_BUS, driver, &drv) != LB_OK)
		return lb_ctx_error(ctx, LB_E_NOTFOUND, "bus driver '%s' is not registered%s", driver,
				    strcmp(driver, "emulator") == 0
					    ? " (the emulator's: link liblightbridge-emu and call "
					      "lb_emu_register_drivers)"
					    : "");
	struct lb_bus *bus = calloc(1, sizeof(*bus));
	if (!bus)
		return LB_E_NOMEM;
	bus->ctx = ctx;
	bus->drv = drv;
	bus->ops = lb_ctx_bus_ops(ctx, drv);
	bus->lock_fd = -1;
	bus->clock_khz = 400;
	/* Recursive: a sequence may call helpers that take the bus again. */
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&bus->mutex, &attr);
	pthread_mutexattr_destroy(&attr);
	pthread_mutex_init(&bus->claims_mutex, NULL);
	lb_ctx_driver_env(ctx, drv, &bus->env);
	if (bus->ops->priv_size && !(bus->priv = calloc(1, bus->ops->priv_size))) {
		pthread_mutex_destroy(&bus->claims_mutex);
		pthread_mutex_destroy(&bus->mutex);
		free(bus);
		return LB_E_NOMEM;
	}
	lb_ctx_clear_error(ctx);
	int rc = bus->ops->open(bus->priv, &bus->env, options, handle);
	if (rc) {
		if (!lb_ctx_last_error(ctx)[0] && lb_options_error(options)[0])
			lb_ctx_error(ctx, rc, "%s", lb_options_error(options));
		else if (!lb_ctx_last_error(ctx)[0])
			lb_ctx_error(ctx, rc, "bus driver '%s': open failed: %s", driver, lb_strerror(rc));
		free(bus->priv);
		pthread_mutex_destroy(&bus->claims_mutex);
		pthread_mutex_destroy(&bus->mutex);
		free(bus);
		return rc;
	}
	bus->caps = bus->ops->caps | (bus->ops->instance_caps ? bus->ops->instance_caps(bus->priv) : 0);
	/*
	 * A driver with a clock of its own (the emulator: its segment's virtual time) keeps it
	 * for this bus alone; every other bus reads the context's clock each time.
	 */
	if ((bus->ops->caps & LB_BUS_CAP_CLOCK) && bus->ops->get_clock) {
		struct lb_clock clock;
		if (bus->ops->get_clock(bus->priv, &clock) == LB_OK && clock.now_ns && clock.sleep_ns)
			bus->own_clock = clock;
	}
	if (bus->ops->clock_khz)
		bus->clock_khz = bus->ops->clock_khz(bus->priv);
	*out = bus;
	return LB_OK;
}

LB_API void lb_bus_close(struct lb_bus *bus)
{
	if (!bus)
		return;
	bus->ops->close(bus->priv);
	lb_bus_claims_free(bus);
	lb_bus_route_data_free(bus);
	lb_bus_lock_file_close(bus);
	pthread_mutex_destroy(&bus->claims_mutex);
	pthread_mutex_destroy(&bus->mutex);
	free(bus->mux);
	free(bus->priv);
	free(bus);
}

LB_API uint64_t lb_bus_now_ns(const struct lb_bus *bus)
{
	if (bus->own_clock.now_ns)
		return bus->own_clock.now_ns(bus->own_clock.user);
	return lb_ctx_now_ns(bus->ctx);
}

LB_API void lb_bus_sleep_ns(const struct lb_bus *bus, uint64_t ns)
{
	if (bus->own_clock.sleep_ns)
		bus->own_clock.sleep_ns(bus->own_clock.user, ns);
	else
		lb_ctx_sleep_ns(bus->ctx, ns);
}

LB_API bool lb_bus_has_own_clock(const struct lb_bus *bus)
{
	return bus && bus->own_clock.now_ns != NULL;
}

LB_API const char *lb_bus_driver_name(const struct lb_bus *bus)
{
	return bus ? bus->drv->name : "";
}

LB_API void *lb_bus_driver_priv(struct lb_bus *bus, const struct lb_driver *owner)
{
	return bus && owner && lb_ctx_driver_is(bus->ctx, bus->drv, owner) ? bus->priv : NULL;
}

LB_API int lb_bus_get_stats(struct lb_bus *bus, struct lb_bus_stats *out)
{
	if (!bus || lb_sized_check(out, LB_BUS_STATS_SIZE_V1))
		return LB_E_INVAL;
	pthread_mutex_lock(&bus->mutex);
	struct lb_bus_stats s = bus->stats;
	pthread_mutex_unlock(&bus->mutex);
	s.size = sizeof(s);
	LB_SIZED_FILL(out, s);
	return LB_OK;
}

LB_API void lb_bus_reset_stats(struct lb_bus *bus)
{
	if (!bus)
		return;
	pthread_mutex_lock(&bus->mutex);
	memset(&bus->stats, 0, sizeof(bus->stats));
	pthread_mutex_unlock(&bus->mutex);
}

int lb_bus_lock(struct lb_bus *bus)
{
	pthread_mutex_lock(&bus->mutex);
	if (bus->lock_depth++ == 0 && bus->lock_fd >= 0) {
		int rc = lb_bus_lock_file_acquire(bus);
		if (rc) {
			bus->lock_depth--;
			pthread_mutex_unlock(&bus->mutex);
			return rc;
		}
	}
	return LB_OK;
}

void lb_bus_unlock(struct lb_bus *bus)
{
	if (--bus->lock_depth == 0 && bus->lock_fd >= 0)
		lb_bus_lock_file_release(bus);
	pthread_mutex_unlock(&bus->mutex);
}

void lb_bus_invalidate(struct lb_bus *bus)
{
	bus->route_valid = false;
	for (unsigned i = 0; i < bus->n_mux; i++)
		bus->mux[i].value = -1;
	bus->generation++;
}

size_t lb_bus_max_transfer(struct lb_bus *bus)
{
	size_t n = bus->ops->max_transfer(bus->priv);
	return n ? n : 1;
}

size_t lb_bus_max_write(struct lb_bus *bus)
{
	size_t n = bus->ops->max_write ? bus->ops->max_write(bus->priv) : lb_bus_max_transfer(bus);
	return n ? n : 1;
}

/*
 * Count a transaction; true when it was a NACK of a device holding off (see bus_internal.h).
 * longest: its longest read message.
 */
static bool account(struct lb_bus *bus, uint64_t ns, uint64_t bytes, uint64_t longest,
		    bool is_read, int rc, uint64_t busy_until_ns)
{
	bus->stats.transactions++;
	bus->stats.bus_time_ns += ns;
	if (rc == LB_E_NACK && busy_until_ns && lb_bus_now_ns(bus) < busy_until_ns) {
		bus->stats.busy_nacks++;
		return true;
	}
	if (rc) {
		bus->stats.errors++;
		lb_bus_invalidate(bus);
		return false;
	}
	bus->stats.bytes += bytes;
	if (is_read) {
		bus->stats.reads++;
		if (longest > bus->stats.max_read_len)
			bus->stats.max_read_len = longest;
	} else {
		bus->stats.writes++;
	}
	return false;
}

static void set_held_off(bool *held_off, bool v)
{
	if (held_off)
		*held_off = v;
}

int lb_bus_xfer(struct lb_bus *bus, struct lb_i2c_msg *msgs, unsigned n, unsigned flags,
		uint64_t busy_until_ns, bool *held_off)
{
	set_held_off(held_off, false);
	if (!(bus->ops->caps & LB_BUS_CAP_I2C))
		return LB_E_NOTSUP;
	int rc = bus->ops->xfer(bus->priv, msgs, n);
	uint64_t ns = (bus->ops->caps & LB_BUS_CAP_TIMED) && bus->ops->last_xfer_ns
			      ? bus->ops->last_xfer_ns(bus->priv)
			      : lb_i2c_clocks_to_ns(lb_i2c_wire_clocks(msgs, n), bus->clock_khz);
	uint64_t bytes = 0, longest = 0;
	bool is_read = false;
	for (unsigned i = 0; i < n; i++) {
		if (msgs[i].flags & LB_I2C_M_RD) {
			bytes += msgs[i].len;
			is_read = true;
			if (msgs[i].len > longest)
				longest = msgs[i].len;
		} else if (n == 1) {
			bytes += msgs[i].len > 0 ? msgs[i].len - 1u : 0; /* offset byte is addressing */
		}
	}
	set_held_off(held_off, account(bus, ns, bytes, longest, is_read, rc, busy_until_ns));
	if ((flags & LB_XFER_SELECT) && rc == LB_OK)
		bus->stats.select_writes++;
	return rc;
}

int lb_bus_paged_read(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		      uint8_t offset, uint8_t *buf, size_t len, uint64_t busy_until_ns,
		      bool *held_off)
{
	int rc = bus->ops->paged_read(bus->priv, addr, bank, page, offset, buf, len);
	uint64_t ns = bus->ops->last_xfer_ns ? bus->ops->last_xfer_ns(bus->priv) : 0;
	set_held_off(held_off, account(bus, ns, len, len, true, rc, busy_until_ns));
	return rc;
}

int lb_bus_paged_write(struct lb_bus *bus, uint16_t addr, uint8_t bank, uint8_t page,
		       uint8_t offset, const uint8_t *buf, size_t len, uint64_t busy_until_ns,
		       bool *held_off)
{
	int rc = bus->ops->paged_write(bus->priv, addr, bank, page, offset, buf, len);
	uint64_t ns = bus->ops->last_xfer_ns ? bus->ops->last_xfer_ns(bus->priv) : 0;
	set_held_off(held_off, account(bus, ns, len, 0, false, rc, busy_until_ns));
	return rc;
}

/* The mux at addr behind (parent, channel), added (control byte unknown) on first use. */
static int mux_find(struct lb_bus *bus, int parent, uint8_t channel, uint16_t addr, int *out)
{
	for (unsigned i = 0; i < bus->n_mux; i++) {
		const struct lb_bus_mux *x = &bus->mux[i];
		if (x->addr == addr && x->parent == parent &&
		    (parent < 0 || x->parent_channel == channel)) {
			*out = (int)i;
			return LB_OK;
		}
	}
	if (bus->n_mux == bus->cap_mux) {
		unsigned cap = bus->cap_mux ? 2 * bus->cap_mux : 8;
		struct lb_bus_mux *p = realloc(bus->mux, cap * sizeof(*p));
		if (!p)
			return LB_E_NOMEM;
		bus->mux = p;
		bus->cap_mux = cap;
	}
	bus->mux[bus->n_mux] = (struct lb_bus_mux){ .addr = addr, .parent = parent,
						    .parent_channel = parent < 0 ? 0 : channel,
						    .value = -1 };
	*out = (int)bus->n_mux++;
	return LB_OK;
}

static int mux_write(struct lb_bus *bus, unsigned i, uint8_t value)
{
	struct lb_i2c_msg msg = { .addr = bus->mux[i].addr, .flags = 0, .len = 1, .buf = &value };
	int rc = lb_bus_xfer(bus, &msg, 1, LB_XFER_SELECT, 0, NULL);
	if (rc == LB_OK)
		bus->mux[i].value = value;
	return rc;
}

/*
 * Release every mux behind (parent, channel) but skip, whose channels may be open: only one
 * module may answer at its address. A mux not known to be released is released.
 */
static int mux_release_level(struct lb_bus *bus, int parent, uint8_t channel, int skip)
{
	for (unsigned j = 0; j < bus->n_mux; j++) {
		const struct lb_bus_mux *x = &bus->mux[j];
		if ((int)j == skip || x->parent != parent || x->value == 0 ||
		    (parent >= 0 && x->parent_channel != channel))
			continue;
		int rc = mux_write(bus, j, 0);
		if (rc)
			return rc;
	}
	return LB_OK;
}

/* Put mux i on value, releasing the other muxes of its level first; nothing if in force. */
static int mux_set(struct lb_bus *bus, int i, uint8_t value)
{
	if (bus->mux[i].value == value)
		return LB_OK;
	int rc = mux_release_level(bus, bus->mux[i].parent, bus->mux[i].parent_channel, i);
	return rc ? rc : mux_write(bus, (unsigned)i, value);
}

static int route(struct lb_bus *bus, const struct lb_module_addr *where)
{
	if (where->mux_channel > 7 ||
	    (where->mux2_addr && (where->mux2_channel < 0 || where->mux2_channel > 7)))
		return LB_E_INVAL;
	uint8_t c1 = (uint8_t)where->mux_channel;
	int i1, i2, rc;
	if ((rc = mux_find(bus, -1, 0, where->mux_addr, &i1)) ||
	    (rc = mux_set(bus, i1, (uint8_t)(1u << c1))))
		return rc;
	/* Only the path's muxes may have a channel open behind the first hop. */
	if (!where->mux2_addr)
		return mux_release_level(bus, i1, c1, -1);
	if ((rc = mux_find(bus, i1, c1, where->mux2_addr, &i2)))
		return rc;
	return mux_set(bus, i2, (uint8_t)(1u << where->mux2_channel));
}

static bool same_path(const struct lb_module_addr *a, const struct lb_module_addr *b)
{
	return a->mux_addr == b->mux_addr && a->mux_channel == b->mux_channel &&
	       a->mux2_addr == b->mux2_addr && (!a->mux2_addr || a->mux2_channel == b->mux2_channel);
}

int lb_bus_route(struct lb_bus *bus, const struct lb_module_addr *where)
{
	if (where->mux_channel < 0)
		return LB_OK;
	/* The path routed last, with nothing failed since: every control byte still in force. */
	if (bus->route_valid && same_path(&bus->route, where))
		return LB_OK;
	bus->route_valid = false;
	int rc = route(bus, where);
	if (rc == LB_OK) {
		bus->route = *where;
		bus->route_valid = true;
	}
	return rc;
}
