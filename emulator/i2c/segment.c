/* SPDX-License-Identifier: MIT */
/*
 * One emulated two-wire segment: devices (modules, muxes) behind an ops table, found by 7-bit
 * address and reached through the muxes on their path; the wire-time model.
 */
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
	for (unsigned i = 0; i < s->ndevs; i++) {
		struct emu_dev *d = s->devs[i];
		if (d->ops->release)
			d->ops->release(d->dev);
		free(d);
	}
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
		struct emu_dev *d = s->devs[i];
		if (!d->ops->next_deadline)
			continue;
		uint64_t due = d->ops->next_deadline(d->dev);
		if (due <= s->now_ns) {
			d->ops->run_until(d->dev, s->now_ns);
			due = d->ops->next_deadline(d->dev);
		}
		if (due < next)
			next = due;
	}
	s->next_due_ns = next;
}

void emu_segment_step(struct lb_emu_segment *s, uint64_t t)
{
	if (t > s->now_ns)
		s->now_ns = t;
	if (s->now_ns > s->world->now_ns)
		s->world->now_ns = s->now_ns;
	/* Only devices with a timer due run now (a module's pins may change); the rest catch up lazily. */
	if (s->now_ns >= s->next_due_ns)
		run_due(s);
}

void emu_segment_advance(struct lb_emu_segment *s, uint64_t t)
{
	struct lb_emu_world *w = s->world;
	/* World devices whose deadlines this clock passes run at them, in order, on this clock. */
	while (w->dev_due <= t && !w->dev_running) {
		emu_segment_step(s, w->dev_due); /* the bus's own timers up to there first */
		emu_world_run_devices(w, s->now_ns);
	}
	emu_segment_step(s, t);
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

/*
 * Where a device sits: the muxes and channels from the segment down to it, root first.
 * Returns the number of hops (0: directly on the segment).
 */
#define EMU_MAX_DEPTH 8
struct hop {
	const struct emu_dev *mux;
	int channel;
};
static unsigned path_of(const struct emu_dev *parent, int channel, struct hop out[EMU_MAX_DEPTH])
{
	unsigned n = 0;
	for (const struct emu_dev *p = parent; p && n < EMU_MAX_DEPTH; p = p->parent)
		n++;
	unsigned k = n;
	for (const struct emu_dev *p = parent; p && k > 0; channel = p->channel, p = p->parent)
		out[--k] = (struct hop){ p, channel };
	return n;
}

static unsigned depth_of(const struct emu_dev *parent)
{
	unsigned n = 0;
	for (const struct emu_dev *p = parent; p; p = p->parent)
		n++;
	return n;
}

/*
 * Two places at one address clash when the muxes can never keep them apart: when one path
 * is the start of the other (a device directly on the segment, or on a mux channel, and one
 * further down the same channel). Paths that part at some mux (two channels of it, or two
 * muxes) are kept apart by the host enabling one at a time; if it enables both, writes
 * reach both and reads see the wired-AND, as on a real open-drain bus.
 */
static bool clash(const struct emu_dev *pa, int ca, const struct emu_dev *pb, int cb)
{
	struct hop a[EMU_MAX_DEPTH], b[EMU_MAX_DEPTH];
	unsigned na = path_of(pa, ca, a), nb = path_of(pb, cb, b);
	unsigned n = na < nb ? na : nb;
	for (unsigned i = 0; i < n; i++)
		if (a[i].mux != b[i].mux || a[i].channel != b[i].channel)
			return false;
	return true;
}

static bool addr_used(const struct lb_emu_segment *s, const struct emu_dev *parent, int channel,
		      uint16_t addr)
{
	for (const struct emu_dev *d = s->at[addr]; d; d = d->next_at)
		if (clash(d->parent, d->channel, parent, channel))
			return true;
	return false;
}

/* Whether every mux on a device's path enables it now. */
static bool reachable(const struct emu_dev *d)
{
	int channel = d->channel;
	for (const struct emu_dev *p = d->parent; p; channel = p->channel, p = p->parent)
		if (p->absent || !p->ops->routes(p->dev, (unsigned)channel))
			return false;
	return true;
}

static void link_at(struct lb_emu_segment *s, struct emu_dev *d)
{
	struct emu_dev **pp = &s->at[d->addr];
	while (*pp)
		pp = &(*pp)->next_at;
	*pp = d;
	d->next_at = NULL;
}

static void unlink_at(struct lb_emu_segment *s, struct emu_dev *d)
{
	for (struct emu_dev **pp = &s->at[d->addr]; *pp; pp = &(*pp)->next_at) {
		if (*pp == d) {
			*pp = d->next_at;
			d->next_at = NULL;
			return;
		}
	}
}

/* Check a new place (parent may be NULL; channel -1 then) for a device at addr. World locked. */
static int place_ok(const struct lb_emu_segment *s, const struct emu_dev *parent, int channel,
		    uint16_t addr)
{
	if (addr > 0x7f)
		return LB_E_INVAL;
	if (!parent ? channel != -1 : channel < 0 || (unsigned)channel >= parent->ops->channels)
		return LB_E_INVAL;
	return addr_used(s, parent, channel, addr) ? LB_E_EXISTS : LB_OK;
}

/* Add a device (its place checked already). World locked. */
static int add_dev(struct lb_emu_segment *s, const struct emu_dev_ops *ops, void *dev,
		   struct emu_dev *parent, int channel, uint16_t addr, bool absent,
		   struct emu_dev **out)
{
	if (s->ndevs == s->capdevs) {
		unsigned cap = s->capdevs ? 2 * s->capdevs : 8;
		struct emu_dev **nd = realloc(s->devs, cap * sizeof(*nd));
		if (!nd)
			return LB_E_NOMEM;
		s->devs = nd;
		s->capdevs = cap;
	}
	struct emu_dev *d = calloc(1, sizeof(*d));
	if (!d)
		return LB_E_NOMEM;
	*d = (struct emu_dev){ .ops = ops, .dev = dev, .addr = addr, .absent = absent,
			       .parent = parent, .channel = channel };
	s->devs[s->ndevs++] = d;
	if (!absent)
		link_at(s, d);
	*out = d;
	return LB_OK;
}

static int new_mux(struct lb_emu_segment *s, struct emu_dev *parent, int channel, uint16_t addr,
		   bool absent, struct lb_emu_mux **out)
{
	struct lb_emu_mux *mux = calloc(1, sizeof(*mux));
	if (!mux)
		return LB_E_NOMEM;
	mux->segment = s;
	int rc = add_dev(s, &emu_mux_ops, mux, parent, channel, addr, absent, &mux->node);
	if (rc) {
		free(mux);
		return rc;
	}
	*out = mux;
	return LB_OK;
}

/*
 * The segment's mux is named (by a channel of lb_emu_segment_attach) before it is added:
 * it stands in the tree without an address and answers nothing until it is added.
 */
static int segment_mux(struct lb_emu_segment *s, struct lb_emu_mux **out)
{
	if (!s->mux) {
		int rc = new_mux(s, NULL, -1, 0, true, &s->mux);
		if (rc)
			return rc;
	}
	*out = s->mux;
	return LB_OK;
}

/* A mux directly on the segment, at addr: the segment's mux if it has none yet. */
static int add_top_mux(struct lb_emu_segment *s, uint16_t addr, struct lb_emu_mux **out)
{
	int rc = place_ok(s, NULL, -1, addr);
	if (rc)
		return rc;
	if (s->mux && s->mux->node->absent) {
		s->mux->node->addr = addr;
		s->mux->node->absent = false;
		link_at(s, s->mux->node);
		*out = s->mux;
		return LB_OK;
	}
	rc = new_mux(s, NULL, -1, addr, false, out);
	if (rc == LB_OK && !s->mux)
		s->mux = *out;
	return rc;
}

LB_API int lb_emu_segment_add_mux(struct lb_emu_segment *s, uint16_t addr)
{
	if (!s || addr > 0x7f)
		return LB_E_INVAL;
	struct lb_emu_mux *mux;
	emu_lock(s->world);
	int rc = s->mux && !s->mux->node->absent ? LB_E_EXISTS : add_top_mux(s, addr, &mux);
	emu_unlock(s->world);
	return rc;
}

LB_API int lb_emu_segment_add_mux_at(struct lb_emu_segment *s, struct lb_emu_mux *parent,
				     int parent_channel, uint16_t addr, struct lb_emu_mux **out)
{
	if (!s || addr > 0x7f || (parent && parent->segment != s))
		return LB_E_INVAL;
	struct lb_emu_mux *mux = NULL;
	emu_lock(s->world);
	int rc;
	if (!parent) {
		rc = parent_channel == -1 ? add_top_mux(s, addr, &mux) : LB_E_INVAL;
	} else {
		/* muxes nest EMU_MAX_DEPTH levels deep, and a path has room for as many hops */
		rc = depth_of(parent->node) >= EMU_MAX_DEPTH
			     ? LB_E_RANGE
			     : place_ok(s, parent->node, parent_channel, addr);
		if (rc == LB_OK)
			rc = new_mux(s, parent->node, parent_channel, addr, false, &mux);
	}
	emu_unlock(s->world);
	if (rc == LB_OK && out)
		*out = mux;
	return rc;
}

/* Attach a module behind parent's channel (NULL, -1: directly). World locked. */
static int attach(struct lb_emu_segment *s, struct emu_dev *parent, int channel, uint16_t addr,
		  struct lb_emu_module *m)
{
	if (m->segment)
		return LB_E_EXISTS;
	int rc = place_ok(s, parent, channel, addr);
	struct emu_dev *d;
	if (rc == LB_OK)
		rc = add_dev(s, &emu_module_ops, m, parent, channel, addr, false, &d);
	if (rc)
		return rc;
	/* The module lives on the bus's clock from now on: the bus joins the module's present. */
	emu_module_sync(m);
	m->segment = s;
	emu_segment_advance(s, m->t);
	emu_segment_note(m);
	return LB_OK;
}

LB_API int lb_emu_segment_attach(struct lb_emu_segment *s, int channel, uint16_t addr,
				 struct lb_emu_module *m)
{
	if (!s || !m || addr > 0x7f || channel < -1 || channel > 7 || m->world != s->world)
		return LB_E_INVAL;
	emu_lock(s->world);
	struct lb_emu_mux *mux = NULL;
	int rc = channel >= 0 ? segment_mux(s, &mux) : LB_OK;
	if (rc == LB_OK)
		rc = attach(s, mux ? mux->node : NULL, channel, addr, m);
	emu_unlock(s->world);
	return rc;
}

LB_API int lb_emu_segment_attach_path(struct lb_emu_segment *s, struct lb_emu_mux *mux,
				      int channel, uint16_t addr, struct lb_emu_module *m)
{
	if (!s || !m || addr > 0x7f || m->world != s->world || (mux && mux->segment != s))
		return LB_E_INVAL;
	emu_lock(s->world);
	int rc = attach(s, mux ? mux->node : NULL, channel, addr, m);
	emu_unlock(s->world);
	return rc;
}

LB_API int lb_emu_segment_detach(struct lb_emu_module *m)
{
	if (!m)
		return LB_E_INVAL;
	struct lb_emu_world *w = m->world;
	emu_lock(w);
	int rc = LB_E_NOTFOUND;
	if (m->segment) {
		emu_module_sync(m); /* it leaves at its bus's time, then lives on the world's clock */
		emu_segment_detach(m->segment, m);
		rc = LB_OK;
	}
	emu_unlock(w);
	return rc;
}

void emu_segment_detach(struct lb_emu_segment *s, struct lb_emu_module *m)
{
	for (unsigned i = 0; i < s->ndevs; i++) {
		struct emu_dev *d = s->devs[i];
		if (d->ops != &emu_module_ops || d->dev != m)
			continue;
		unlink_at(s, d);
		memmove(&s->devs[i], &s->devs[i + 1], (s->ndevs - i - 1) * sizeof(s->devs[0]));
		s->ndevs--;
		free(d);
		break;
	}
	m->segment = NULL;
}

/*
 * One message to the device(s) answering at msg->addr: those whose every mux on the way
 * enables them. Normally one answers; if the host enabled two paths with devices at the
 * same address, writes reach all of them and reads see the wired-AND of their bytes.
 */
static int xfer_devices(struct lb_emu_segment *s, struct lb_i2c_msg *msg, bool *addr_nack)
{
	struct lb_emu_world *w = s->world;
	int rc = LB_OK;
	unsigned acked = 0;
	uint8_t *tmp = NULL;

	*addr_nack = false;
	for (struct emu_dev *d = s->at[msg->addr]; d; d = d->next_at) {
		if (!reachable(d))
			continue;
		if (d->xfer_seq != w->xfer_seq) {
			d->xfer_seq = w->xfer_seq; /* once per transaction (one NACK-count tick) */
			d->xfer_ok = d->ops->xfer_begin(d->dev, s->now_ns) == LB_OK;
		}
		if (!d->xfer_ok)
			continue;
		int r;
		if (msg->flags & LB_I2C_M_RD) {
			if (acked == 0) {
				r = d->ops->read(d->dev, msg->buf, msg->len);
			} else {
				if (!tmp && !(tmp = malloc(msg->len ? msg->len : 1))) {
					rc = LB_E_NOMEM;
					break;
				}
				r = d->ops->read(d->dev, tmp, msg->len);
				for (unsigned k = 0; k < msg->len; k++)
					msg->buf[k] &= tmp[k];
			}
		} else {
			r = d->ops->write(d->dev, msg->buf, msg->len);
		}
		if (d->ops->next_deadline) { /* the access may have started a timer */
			uint64_t due = d->ops->next_deadline(d->dev);
			if (due < s->next_due_ns)
				s->next_due_ns = due;
		}
		acked++;
		if (r != LB_OK && rc == LB_OK)
			rc = r;
	}
	free(tmp);
	if (!acked && rc == LB_OK) {
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
	/* Each addressed device catches up to the bus's time as the transfer reaches it. */
	w->xfer_seq++;
	if (w->xfer_seq == 0)
		w->xfer_seq = 1;

	int rc = LB_OK;
	unsigned done = 0;
	bool addr_nack = false;
	while (done < n && rc == LB_OK)
		rc = xfer_devices(s, &msgs[done++], &addr_nack);
	/* The wire time of what went out: the transfer stops at the first failed message. */
	uint64_t ns = lb_i2c_clocks_to_ns(lb_i2c_wire_clocks_cut(msgs, done, addr_nack), s->clock_khz);
	s->last_xfer_ns = ns;
	emu_segment_advance(s, s->now_ns + ns);
	emu_unlock(w);
	return rc;
}
