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
	s->next_due_ns = UINT64_MAX;
	emu_lock(w);
	s->now_ns = w->now_ns; /* a new bus joins the world's present */
	s->next = w->segments;
	w->segments = s;
	emu_unlock(w);
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
	emu_lock(s->world);
	s->clock_khz = clock_khz;
	emu_unlock(s->world);
	return LB_OK;
}

/* Read one field of a segment under the world lock (another thread may be moving it). */
static uint64_t locked_u64(const struct lb_emu_segment *s, const uint64_t *field)
{
	emu_lock(s->world);
	uint64_t v = *field;
	emu_unlock(s->world);
	return v;
}

LB_API uint32_t lb_emu_segment_clock_khz(const struct lb_emu_segment *s)
{
	if (!s)
		return 0;
	emu_lock(s->world);
	uint32_t khz = s->clock_khz;
	emu_unlock(s->world);
	return khz;
}

LB_API uint64_t lb_emu_segment_last_xfer_ns(const struct lb_emu_segment *s)
{
	return s ? locked_u64(s, &s->last_xfer_ns) : 0;
}

LB_API uint64_t lb_emu_segment_now_ns(const struct lb_emu_segment *s)
{
	return s ? locked_u64(s, &s->now_ns) : 0;
}

static void run_due(struct lb_emu_segment *s)
{
	uint64_t next = UINT64_MAX;
	for (unsigned i = 0; i < s->ndevs; i++) {
		struct lb_emu_module *m = s->devs[i].module;
		uint64_t d = emu_module_next_deadline(m);
		if (d <= s->now_ns) {
			emu_module_run(m, s->now_ns);
			d = emu_module_next_deadline(m);
		}
		if (d < next)
			next = d;
	}
	s->next_due_ns = next;
}

void emu_segment_advance(struct lb_emu_segment *s, uint64_t t)
{
	if (t > s->now_ns)
		s->now_ns = t;
	if (s->now_ns > s->world->now_ns)
		s->world->now_ns = s->now_ns;
	/* Only modules with a timer due run now (their pins may change); the rest catch up lazily. */
	if (s->now_ns >= s->next_due_ns)
		run_due(s);
}

void emu_segment_note(struct lb_emu_module *m)
{
	struct lb_emu_segment *s = m->segment;
	if (!s)
		return;
	uint64_t d = emu_module_next_deadline(m);
	if (d < s->next_due_ns)
		s->next_due_ns = d;
}

LB_API void lb_emu_segment_advance_ns(struct lb_emu_segment *s, uint64_t ns)
{
	if (!s)
		return;
	emu_lock(s->world);
	emu_segment_advance(s, ns > UINT64_MAX - s->now_ns ? UINT64_MAX : s->now_ns + ns);
	emu_unlock(s->world);
}

static uint64_t segment_clock_now(void *user)
{
	return lb_emu_segment_now_ns(user);
}

static void segment_clock_sleep(void *user, uint64_t ns)
{
	lb_emu_segment_advance_ns(user, ns);
}

LB_API struct lb_clock lb_emu_segment_clock(struct lb_emu_segment *s)
{
	struct lb_clock c = { .now_ns = segment_clock_now, .sleep_ns = segment_clock_sleep, .user = s };
	return c;
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
	int rc = LB_OK;
	emu_lock(s->world);
	if (s->mux.present)
		rc = LB_E_EXISTS;
	for (unsigned i = 0; i < s->ndevs; i++)
		if (s->devs[i].addr == addr)
			rc = LB_E_EXISTS;
	if (rc == LB_OK) {
		s->mux.present = true;
		s->mux.addr = addr;
		s->mux.control = 0;
	}
	emu_unlock(s->world);
	return rc;
}

LB_API int lb_emu_segment_attach(struct lb_emu_segment *s, int channel, uint16_t addr,
				 struct lb_emu_module *m)
{
	if (!s || !m || addr > 0x7f || channel < -1 || channel > 7 || m->world != s->world)
		return LB_E_INVAL;
	int rc = LB_OK;
	emu_lock(s->world);
	if (m->segment || addr_used(s, channel, addr)) {
		rc = LB_E_EXISTS;
	} else if (s->ndevs == s->capdevs) {
		unsigned cap = s->capdevs ? 2 * s->capdevs : 8;
		struct emu_dev *nd = realloc(s->devs, cap * sizeof(*nd));
		if (!nd)
			rc = LB_E_NOMEM;
		else {
			s->devs = nd;
			s->capdevs = cap;
		}
	}
	if (rc == LB_OK) {
		s->devs[s->ndevs++] = (struct emu_dev){ .addr = addr, .channel = channel, .module = m };
		/* The module lives on the bus's clock from now on: the bus joins the module's present. */
		emu_module_sync(m);
		m->segment = s;
		emu_segment_advance(s, m->t);
		emu_segment_note(m);
	}
	emu_unlock(s->world);
	return rc;
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
		emu_segment_note(m); /* the access may have started a timer */
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
	emu_lock(w);
	/* Each addressed module catches up to the bus's time as the transfer reaches it. */
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
	emu_segment_advance(s, s->now_ns + ns);
	emu_unlock(w);
	return rc;
}
