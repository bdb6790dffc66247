/* SPDX-License-Identifier: MIT */
/*
 * Sideband driver over an emulated module's pins: ResetL and LPMode drive the model,
 * ModPrsL and IntL read it, and their edges are queued and signalled on an eventfd, from the
 * emulator's pin hook (so they appear whenever the emulator runs: bus traffic, virtual time,
 * lb_emu_module_remove/insert). ModSelL is kept but not modelled (the emulator always answers).
 * handle: the struct lb_emu_module *, or for a platform port (options carry "port") the
 * struct lb_sideband_port * of a port on an "emulator" bus, whose module is looked up.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <lightbridge/driver.h>
#include <lightbridge/emulator.h>
#include <lightbridge/sideband.h>
#include "drivers/bus/emulator/emulator_bus.h"

#define EMU_SB_QUEUE 64

struct emu_sb_event {
	enum lb_sideband_line line;
	int asserted;
};

struct emu_sb {
	const struct lb_driver_env *env;
	struct lb_emu_module *module;
	int efd;
	pthread_mutex_t lock;        /* the queue: the hook may run in any thread using the world */
	bool present, intl;          /* last levels reported */
	bool resetl, lpmode, modsell;
	struct emu_sb_event q[EMU_SB_QUEUE];
	unsigned head, count;
	unsigned dropped;
};

static void push(struct emu_sb *s, enum lb_sideband_line line, int asserted)
{
	if (s->count == EMU_SB_QUEUE) {
		/* Full: the oldest edge goes (a NOS reading late still sees the latest level). */
		s->head = (s->head + 1) % EMU_SB_QUEUE;
		s->count--;
		s->dropped++;
	}
	s->q[(s->head + s->count) % EMU_SB_QUEUE] = (struct emu_sb_event){ line, asserted };
	s->count++;
	uint64_t one = 1;
	if (write(s->efd, &one, sizeof(one)) < 0 && errno != EAGAIN)
		s->dropped++;
}

static void pin_hook(void *user)
{
	struct emu_sb *s = user;
	pthread_mutex_lock(&s->lock);
	bool present = lb_emu_module_present(s->module) != 0;
	bool intl = lb_emu_module_intl(s->module) != 0;
	if (present != s->present) {
		s->present = present;
		push(s, LB_SB_MODPRSL, present);
	}
	if (intl != s->intl) {
		s->intl = intl;
		push(s, LB_SB_INTL, intl);
	}
	pthread_mutex_unlock(&s->lock);
}

extern const struct lb_driver lb_bus_driver_emulator;

static struct lb_emu_module *find_port_module(const struct lb_driver_env *env,
					      const struct lb_sideband_port *where)
{
	/* Only a bus run by the emulator bus driver itself hands over its instance. */
	struct emu_bus *b = lb_bus_driver_priv(where->bus, &lb_bus_driver_emulator);
	if (!b) {
		lb_driver_error(env, LB_E_NOTFOUND,
			      "emulator sideband, port %u: bus %s uses driver %s, not the emulator",
			      where->port, where->bus_name, where->bus_driver ? where->bus_driver : "?");
		return NULL;
	}
	/* Its pins are part of its saved state: restored now, before they are read or driven. */
	struct lb_emu_module *m = emu_bus_module_at(b, where->addr.mux_channel, where->addr.addr);
	if (m)
		return m;
	lb_driver_error(env, LB_E_NOTFOUND, "emulator sideband, port %u: no emulated module on bus %s at 0x%02x%s",
		      where->port, where->bus_name, where->addr.addr,
		      where->addr.mux_channel >= 0 ? " on its mux channel" : "");
	return NULL;
}

static int emu_sb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		       void *handle)
{
	static const char *const keys[] = { "port", "bus", "description", "comment", "_*", NULL };
	struct emu_sb *s = priv;
	s->env = env;
	s->efd = -1;
	/* A platform's port says so with its "port" (and then the handle describes the port). */
	bool from_platform = lb_options_has(options, "port");
	int rc = lb_options_check_keys(options, keys);
	if (rc)
		return lb_driver_error(env, rc, "%s", lb_options_error(options));
	if (!handle)
		return lb_driver_error(env, LB_E_INVAL, "emulator sideband: no emulated module given");
	s->module = from_platform ? find_port_module(env, handle) : handle;
	if (!s->module)
		return LB_E_NOTFOUND;
	s->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (s->efd < 0)
		return lb_driver_error(env, LB_E_IO, "emulator sideband: eventfd: %s", strerror(errno));
	pthread_mutex_init(&s->lock, NULL);
	s->present = lb_emu_module_present(s->module) != 0;
	s->intl = lb_emu_module_intl(s->module) != 0;
	s->modsell = true;
	lb_emu_module_set_pin_hook(s->module, pin_hook, s);
	return LB_OK;
}

static void emu_sb_close(void *priv)
{
	struct emu_sb *s = priv;
	if (s->efd < 0)
		return;
	lb_emu_module_set_pin_hook(s->module, NULL, NULL);
	close(s->efd);
	s->efd = -1;
	pthread_mutex_destroy(&s->lock);
}

static int emu_sb_set(void *priv, enum lb_sideband_line line, int asserted)
{
	struct emu_sb *s = priv;
	switch (line) {
	case LB_SB_RESETL:
		s->resetl = asserted != 0;
		lb_emu_module_set_resetl(s->module, asserted);
		return LB_OK;
	case LB_SB_LPMODE:
		s->lpmode = asserted != 0;
		lb_emu_module_set_lpmode(s->module, asserted);
		return LB_OK;
	case LB_SB_MODSELL:
		s->modsell = asserted != 0;
		return LB_OK;
	default:
		return LB_E_INVAL;
	}
}

static int emu_sb_get(void *priv, enum lb_sideband_line line, int *asserted)
{
	struct emu_sb *s = priv;
	switch (line) {
	case LB_SB_RESETL: *asserted = s->resetl; return LB_OK;
	case LB_SB_LPMODE: *asserted = s->lpmode; return LB_OK;
	case LB_SB_MODSELL: *asserted = s->modsell; return LB_OK;
	case LB_SB_MODPRSL: *asserted = lb_emu_module_present(s->module); return LB_OK;
	case LB_SB_INTL: *asserted = lb_emu_module_intl(s->module); return LB_OK;
	default: return LB_E_INVAL;
	}
}

static int emu_sb_event_fd(void *priv)
{
	const struct emu_sb *s = priv;
	return s->efd;
}

static int emu_sb_read_event(void *priv, enum lb_sideband_line *line, int *asserted)
{
	struct emu_sb *s = priv;
	pthread_mutex_lock(&s->lock);
	int rc = LB_E_NOTFOUND;
	if (s->count) {
		*line = s->q[s->head].line;
		*asserted = s->q[s->head].asserted;
		s->head = (s->head + 1) % EMU_SB_QUEUE;
		s->count--;
		rc = LB_OK;
	}
	if (!s->count) {
		uint64_t v;
		ssize_t n = read(s->efd, &v, sizeof(v)); /* drain: not readable until the next edge */
		(void)n;
	}
	pthread_mutex_unlock(&s->lock);
	return rc;
}

static const struct lb_sideband_ops emu_sb_ops = {
	.size = sizeof(struct lb_sideband_ops),
	.priv_size = sizeof(struct emu_sb),
	.open = emu_sb_open,
	.close = emu_sb_close,
	.set = emu_sb_set,
	.get = emu_sb_get,
	.event_fd = emu_sb_event_fd,
	.read_event = emu_sb_read_event,
};

const struct lb_driver lb_sideband_driver_emulator = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_SIDEBAND,
	.kind_abi = LB_SIDEBAND_ABI,
	.name = "emulator",
	.version = "1",
	.ops.sideband = &emu_sb_ops,
};
