/* SPDX-License-Identifier: MIT */
/* One emulated two-wire segment: devices by 7-bit address, optional mux, wire-time model. */
#include <stdlib.h>
#include <string.h>
#include <lightbridge/emulator.h>
#include "emulator/i2c/emu_world.h"
#include "emulator/cmis/emu_module.h"

static bool clock_ok(uint32_t khz)
{
	return khz == 100 || khz == 400 || khz == 1000;
}

LB_API int lb_emu_segment_create(struct lb_emu_world *w, uint32_t clock_khz,
				 struct lb_emu_segment **out)
{
	if (!w || !out || !clock_ok(clock_khz))
		return LB_E_INVAL;
	struct lb_emu_segment *s = calloc(1, sizeof(*s));
	if (!s)
		return LB_E_NOMEM;
	s->world = w;
	s->clock_khz = clock_khz;
	s->next = w->segments;
	w->segments = s;
	*out = s;
	return LB_OK;
}

void emu_segment_free(struct lb_emu_segment *s)
{
	for (unsigned i = 0; i < s->ndevs; i++)
		s->devs[i].module->segment = NULL;
	free(s->devs);
	free(s);
}

LB_API int lb_emu_segment_set_clock_khz(struct lb_emu_segment *s, uint32_t clock_khz)
{
	if (!s || !clock_ok(clock_khz))
		return LB_E_INVAL;
	s->clock_khz = clock_khz;
	return LB_OK;
}

LB_API uint32_t lb_emu_segment_clock_khz(const struct lb_emu_segment *s)
{
	return s ? s->clock_khz : 0;
}

LB_API uint64_t lb_emu_segment_last_xfer_ns(const struct lb_emu_segment *s)
{
	return s ? s->last_xfer_ns : 0;
}

static bool addr_used(const struct lb_emu_segment *s, int channel, uint16_t addr)
{
	if (s->mux.present && s->mux.addr == addr)
		return true;
	for (unsigned i = 0; i < s->ndevs; i++) {
		const struct emu_dev *d = &s->devs[i];
		/* A direct device collides with every channel; channels do not collide with each other. */
		if (d->addr == addr && (d->channel == channel || d->channel < 0 || channel < 0))
			return true;
	}
	return false;
}

LB_API int lb_emu_segment_add_mux(struct lb_emu_segment *s, uint16_t addr)
{
	if (!s || addr > 0x7f)
		return LB_E_INVAL;
	if (s->mux.present)
		return LB_E_EXISTS;
	for (unsigned i = 0; i < s->ndevs; i++)
		if (s->devs[i].addr == addr)
			return LB_E_EXISTS;
	s->mux.present = true;
	s->mux.addr = addr;
	s->mux.control = 0;
	return LB_OK;
}

LB_API int lb_emu_segment_attach(struct lb_emu_segment *s, int channel, uint16_t addr,
				 struct lb_emu_module *m)
{
	if (!s || !m || addr > 0x7f || channel < -1 || channel > 7 || m->world != s->world)
		return LB_E_INVAL;
	if (m->segment || addr_used(s, channel, addr))
		return LB_E_EXISTS;
	if (s->ndevs == s->capdevs) {
		unsigned cap = s->capdevs ? 2 * s->capdevs : 8;
		struct emu_dev *nd = realloc(s->devs, cap * sizeof(*nd));
		if (!nd)
			return LB_E_NOMEM;
		s->devs = nd;
		s->capdevs = cap;
	}
	s->devs[s->ndevs++] = (struct emu_dev){ .addr = addr, .channel = channel, .module = m };
	m->segment = s;
	return LB_OK;
}

void emu_segment_detach(struct lb_emu_segment *s, struct lb_emu_module *m)
{
	for (unsigned i = 0; i < s->ndevs; i++) {
		if (s->devs[i].module == m) {
			memmove(&s->devs[i], &s->devs[i + 1], (s->ndevs - i - 1) * sizeof(s->devs[0]));
			s->ndevs--;
			break;
		}
	}
	m->segment = NULL;
}

/*
 * One message to the module(s) answering at msg->addr. Normally one module answers; if the
 * host enabled two mux channels with modules at the same address, writes reach all of them
 * and reads see the wired-AND of their bytes (as on a real open-drain bus).
 */
static int xfer_modules(struct lb_emu_segment *s, struct lb_i2c_msg *msg, bool *addr_nack)
{
	struct lb_emu_world *w = s->world;
	int rc = LB_OK;
	unsigned acked = 0;
	uint8_t *tmp = NULL;

	*addr_nack = false;
	for (unsigned i = 0; i < s->ndevs; i++) {
		struct emu_dev *d = &s->devs[i];
		if (d->addr != msg->addr || !emu_mux_reaches(&s->mux, d->channel))
			continue;
		struct lb_emu_module *m = d->module;
		if (m->xfer_seq != w->xfer_seq) {
			m->xfer_seq = w->xfer_seq; /* once per transaction (one NACK-count tick) */
			m->xfer_ok = emu_module_xfer_begin(m) == LB_OK;
		}
		if (!m->xfer_ok)
			continue;
		int r;
		if (msg->flags & LB_I2C_M_RD) {
			if (acked == 0) {
				r = emu_module_wire_read(m, msg->buf, msg->len);
			} else {
				if (!tmp && !(tmp = malloc(msg->len ? msg->len : 1)))
					return LB_E_NOMEM;
				r = emu_module_wire_read(m, tmp, msg->len);
				for (unsigned k = 0; k < msg->len; k++)
					msg->buf[k] &= tmp[k];
			}
		} else {
			r = emu_module_wire_write(m, msg->buf, msg->len);
		}
		acked++;
		if (r != LB_OK && rc == LB_OK)
			rc = r;
	}
	free(tmp);
	if (!acked) {
		*addr_nack = true;
		return LB_E_NACK;
	}
	return rc;
}

LB_API int lb_emu_segment_xfer(struct lb_emu_segment *s, struct lb_i2c_msg *msgs, unsigned n)
{
	if (!s || !msgs || n == 0)
		return LB_E_INVAL;
	for (unsigned i = 0; i < n; i++)
		if ((msgs[i].len && !msgs[i].buf) || msgs[i].addr > 0x7f)
			return LB_E_INVAL;

	struct lb_emu_world *w = s->world;
	pthread_mutex_lock(&w->lock);
	emu_world_sync(w); /* the modules must be up to date before they see the transfer */
	w->xfer_seq++;
	if (w->xfer_seq == 0)
		w->xfer_seq = 1;

	uint64_t clocks = 1; /* STOP */
	int rc = LB_OK;
	for (unsigned i = 0; i < n && rc == LB_OK; i++) {
		struct lb_i2c_msg *msg = &msgs[i];
		bool addr_nack = false;
		clocks += 1 + 9; /* (repeated) START + address byte */
		if (s->mux.present && msg->addr == s->mux.addr) {
			rc = (msg->flags & LB_I2C_M_RD) ? emu_mux_read(&s->mux, msg->buf, msg->len)
							 : emu_mux_write(&s->mux, msg->buf, msg->len);
		} else {
			rc = xfer_modules(s, msg, &addr_nack);
		}
		if (!addr_nack)
			clocks += 9u * (uint64_t)msg->len;
	}
	uint64_t ns = lb_i2c_clocks_to_ns(clocks, s->clock_khz);
	s->last_xfer_ns = ns;
	lb_emu_world_advance_ns(w, ns);
	pthread_mutex_unlock(&w->lock);
	return rc;
}
