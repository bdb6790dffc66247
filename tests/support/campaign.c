/* SPDX-License-Identifier: MIT */
/*
 * The fault campaign (campaign.h). One episode: a fresh emulated world with one module from a
 * profile, at 0x50 directly or behind a mux, two handles on it, a starting state; then a
 * sequence of calls, each run fault-free on a twin of the module (its saved state loaded into
 * a world of its own, a fresh handle) for the reference result, then on the module under test
 * with a fault. Public API and the emulator only.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include <lightbridge/driver.h>
#include "campaign.h"

/* ---- randomness: splitmix64, one stream per episode ---- */

static uint64_t mix64(uint64_t x)
{
	x += 0x9E3779B97F4A7C15ull;
	x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
	x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
	return x ^ (x >> 31);
}

static uint64_t rnd(uint64_t *s)
{
	*s += 0x9E3779B97F4A7C15ull;
	return mix64(*s);
}

static unsigned below(uint64_t *s, unsigned n)
{
	return n ? (unsigned)(rnd(s) % n) : 0;
}

static bool chance(uint64_t *s, unsigned percent)
{
	return below(s, 100) < percent;
}

void lb_campaign_put(struct lb_campaign_out *o, const void *p, size_t n)
{
	if (o->len + n > sizeof(o->data)) {
		o->overflow = true;
		return;
	}
	memcpy(o->data + o->len, p, n);
	o->len += n;
}

/* ---- faults ---- */

enum fault {
	F_NONE = 0,
	/* inside a call, at its n-th transaction */
	F_NACK,
	F_SHORT,
	F_CORRUPT,
	F_REMOVE,
	F_STUCK,
	F_MODFAULT,
	/* between calls, while none runs */
	F_SWAP,
	F_RESET,
	F_POWER_CYCLE,
	F_MODFAULT_IDLE,
	F_COUNT,
};

static const char *const fault_names[F_COUNT] = {
	"none", "nack", "short", "corrupt", "remove", "stuck-busy", "module-fault",
	"swap", "reset", "power-cycle", "module-fault-idle",
};

const char *lb_campaign_fault_name(unsigned k)
{
	return k < F_COUNT ? fault_names[k] : NULL;
}

/*
 * The campaign's bus driver ("campaign"): passes every transfer to the emulated segment,
 * counts them, and plays the armed fault at its transaction. The bus runs on the segment's
 * clock; a call that sleeps past its bound is a hang (then every transfer fails and every
 * sleep is an hour, so that any bounded wait ends at once).
 */
struct fault_bus {
	struct lb_emu_segment *seg;
	struct lb_emu_module *emu; /* the module at the address now */
	uint16_t addr;
	uint64_t count;            /* transfers since armed */
	enum fault kind;
	uint64_t at;               /* the transfer (1-based) the fault takes */
	unsigned n;                /* NACK: how many in a row */
	unsigned cause;            /* module fault cause */
	bool fired;
	uint64_t rng;
	uint64_t start_ns, bound_ns; /* the call under way; 0: no bound */
	bool hung;
	uint64_t hung_sleeps;
	const char *where;         /* for the message when a call never ends */
};

struct fb_priv {
	struct fault_bus *fb;
};

static int fb_open(void *priv, const struct lb_driver_env *env, const struct lb_options *options,
		   void *handle)
{
	(void)env;
	(void)options;
	if (!handle)
		return LB_E_INVAL;
	((struct fb_priv *)priv)->fb = handle;
	return LB_OK;
}

static void fb_close(void *priv)
{
	(void)priv;
}

static size_t fb_max_transfer(void *priv)
{
	(void)priv;
	return 256;
}

/* LB_CAMPAIGN_TRACE set: every transfer (module under test and twin) on stderr. */
static bool tracing(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("LB_CAMPAIGN_TRACE") != NULL;
	return on != 0;
}

/* Checksummed bytes of an upper page: 00h 128-222, 01h 130-255, 02h and 04h 128-255. */
static bool checksummed(uint8_t page, unsigned *first, unsigned *last)
{
	switch (page) {
	case 0x00: *first = 128; *last = 222; return true;
	case 0x01: *first = 130; *last = 255; return true;
	case 0x02: case 0x04: *first = 128; *last = 255; return true;
	default: return false;
	}
}

/* Flip one byte of a read message of msgs that lands on checksummed bytes; true when done. */
static bool corrupt(struct fault_bus *fb, struct lb_i2c_msg *msgs, unsigned n)
{
	uint8_t page = 0;
	if (lb_emu_module_peek(fb->emu, 0, 0, 127, &page, 1) != LB_OK)
		return false;
	unsigned first, last;
	if (!checksummed(page, &first, &last))
		return false;
	for (unsigned i = 1; i < n; i++) {
		struct lb_i2c_msg *rd = &msgs[i], *wr = &msgs[i - 1];
		if (!(rd->flags & LB_I2C_M_RD) || (wr->flags & LB_I2C_M_RD) || !wr->len ||
		    rd->addr != fb->addr || !rd->len)
			continue;
		unsigned s = wr->buf[0], e = s + rd->len - 1u;
		if (s < 128 || e < first || s > last)
			continue;
		unsigned lo = s > first ? s : first, hi = e < last ? e : last;
		unsigned at = lo + (unsigned)(rnd(&fb->rng) % (hi - lo + 1u));
		rd->buf[at - s] ^= (uint8_t)(1u + rnd(&fb->rng) % 255u);
		if (tracing())
			fprintf(stderr, "  corrupted page %02Xh byte %u (a read of %u+%u)\n", page, at,
				s, rd->len);
		return true;
	}
	return false;
}

static bool has_read(const struct lb_i2c_msg *msgs, unsigned n, uint16_t addr)
{
	for (unsigned i = 0; i < n; i++)
		if ((msgs[i].flags & LB_I2C_M_RD) && msgs[i].addr == addr && msgs[i].len)
			return true;
	return false;
}

static int fb_xfer(void *priv, struct lb_i2c_msg *msgs, unsigned n)
{
	struct fault_bus *fb = ((struct fb_priv *)priv)->fb;
	if (tracing()) {
		/* "W1@127 R1 W1@134 R68": messages, written ones with their first byte */
		fprintf(stderr, "  %s:", fb->rng ? "module" : "twin");
		for (unsigned i = 0; i < n; i++) {
			if (msgs[i].flags & LB_I2C_M_RD)
				fprintf(stderr, " R%u", msgs[i].len);
			else
				fprintf(stderr, " W%u@%u", msgs[i].len, msgs[i].len ? msgs[i].buf[0] : 0);
		}
		fprintf(stderr, "\n");
	}
	uint64_t k = ++fb->count;
	if (fb->hung)
		return LB_E_NODEV;
	bool due = fb->kind != F_NONE && k >= fb->at;
	switch (due ? fb->kind : F_NONE) {
	case F_NACK:
		if (k < fb->at + (fb->n ? fb->n : 1)) {
			fb->fired = true;
			return LB_E_NACK;
		}
		break;
	case F_REMOVE:
		if (!fb->fired) {
			fb->fired = true;
			lb_emu_module_remove(fb->emu);
		}
		break;
	case F_STUCK:
		if (!fb->fired) {
			fb->fired = true;
			lb_emu_module_inject(fb->emu, LB_EMU_FAULT_STUCK_BUSY, 1);
		}
		break;
	case F_MODFAULT:
		if (!fb->fired) {
			fb->fired = true;
			lb_emu_module_inject(fb->emu, LB_EMU_FAULT_MODULE_FAULT, fb->cause);
		}
		break;
	case F_SHORT:
		if (!fb->fired && has_read(msgs, n, fb->addr)) {
			fb->fired = true;
			int rc = lb_emu_segment_xfer(fb->seg, msgs, n);
			if (rc)
				return rc;
			struct lb_i2c_msg *rd = &msgs[n - 1];
			for (unsigned i = rd->len / 2u; i < rd->len; i++)
				rd->buf[i] = 0xFF;
			return LB_E_SHORT;
		}
		break;
	case F_CORRUPT:
		if (!fb->fired && has_read(msgs, n, fb->addr)) {
			int rc = lb_emu_segment_xfer(fb->seg, msgs, n);
			if (rc == LB_OK && corrupt(fb, msgs, n))
				fb->fired = true;
			return rc;
		}
		break;
	default:
		break;
	}
	return lb_emu_segment_xfer(fb->seg, msgs, n);
}

static uint64_t fb_now(void *user)
{
	return lb_emu_segment_now_ns(((struct fault_bus *)user)->seg);
}

static void fb_sleep(void *user, uint64_t ns)
{
	struct fault_bus *fb = user;
	uint64_t now = lb_emu_segment_now_ns(fb->seg);
	if (fb->bound_ns && !fb->hung && now + ns > fb->start_ns + fb->bound_ns)
		fb->hung = true;
	if (fb->hung) {
		if (++fb->hung_sleeps > 100000) {
			fprintf(stderr, "campaign: %s: a call does not end, even with every transfer "
					"failing and an hour per sleep\n", fb->where ? fb->where : "?");
			abort();
		}
		if (ns < 3600000000000ull)
			ns = 3600000000000ull;
	}
	lb_emu_segment_advance_ns(fb->seg, ns);
}

static int fb_get_clock(void *priv, struct lb_clock *out)
{
	struct fault_bus *fb = ((struct fb_priv *)priv)->fb;
	*out = (struct lb_clock){ .now_ns = fb_now, .sleep_ns = fb_sleep, .user = fb };
	return LB_OK;
}

static uint64_t fb_last_xfer_ns(void *priv)
{
	return lb_emu_segment_last_xfer_ns(((struct fb_priv *)priv)->fb->seg);
}

static const struct lb_bus_ops fb_ops = {
	.size = sizeof(struct lb_bus_ops),
	.caps = LB_BUS_CAP_I2C | LB_BUS_CAP_CLOCK | LB_BUS_CAP_TIMED | LB_BUS_CAP_COMBINED,
	.priv_size = sizeof(struct fb_priv),
	.open = fb_open,
	.close = fb_close,
	.max_transfer = fb_max_transfer,
	.xfer = fb_xfer,
	.get_clock = fb_get_clock,
	.last_xfer_ns = fb_last_xfer_ns,
};

static const struct lb_driver fb_driver = {
	.abi = LB_DRIVER_ABI,
	.size = sizeof(struct lb_driver),
	.kind = LB_DRIVER_BUS,
	.kind_abi = LB_BUS_ABI,
	.name = "campaign",
	.version = "1",
	.ops.bus = &fb_ops,
};

static void fb_disarm(struct fault_bus *fb)
{
	fb->kind = F_NONE;
	fb->count = 0;
	fb->fired = false;
	fb->bound_ns = 0;
	fb->hung = false;
	fb->hung_sleeps = 0;
}

/* ---- peeks ---- */

static uint8_t peek1(struct lb_emu_module *e, unsigned bank, uint8_t page, uint8_t off)
{
	uint8_t v = 0;
	if (lb_emu_module_peek(e, (uint8_t)bank, page, off, &v, 1) != LB_OK)
		return 0xEE;
	return v;
}

static unsigned nibble_at(struct lb_emu_module *e, unsigned bank, uint8_t page, uint8_t first,
			  unsigned lane)
{
	uint8_t b = peek1(e, bank, page, (uint8_t)(first + lane / 2u));
	return ((unsigned)b >> (4u * (lane % 2u))) & 0x0Fu;
}

static unsigned module_state(struct lb_emu_module *e)
{
	return ((unsigned)peek1(e, 0, 0, 3) >> 1) & 7u;
}

/* ---- applications and lanes ---- */

static const struct lb_app *find_app(const struct lb_campaign_info *info, uint8_t appsel)
{
	for (unsigned i = 0; i < info->apps.count; i++)
		if (info->apps.app[i].appsel == appsel)
			return &info->apps.app[i];
	return NULL;
}

/* The data paths an application may have: a lane mask each, in every bank, not overlapping. */
static unsigned app_instances(const struct lb_app *a, unsigned banks, uint32_t out[32])
{
	unsigned n = 0, h = a->host_lanes;
	if (h < 1 || h > 8)
		return 0;
	for (unsigned b = 0; b < banks && b < 4; b++) {
		unsigned used = 0;
		for (unsigned first = 0; first + h <= 8; first++) {
			unsigned dp = ((1u << h) - 1u) << first;
			if (((a->host_lane_options >> first) & 1u) && !(used & dp)) {
				used |= dp;
				out[n++] = (uint32_t)dp << (8u * b);
			}
		}
	}
	return n;
}

/* The first lane (bank-relative) of the data path holding lane i, or -1. */
static int dp_first(const struct lb_app *a, unsigned banks, uint32_t mask, unsigned i)
{
	uint32_t inst[32];
	unsigned n = app_instances(a, banks, inst);
	for (unsigned k = 0; k < n; k++)
		if (((inst[k] >> i) & 1u) && (inst[k] & mask) == inst[k])
			return __builtin_ctz(inst[k]) % 8;
	return -1;
}

/* An application and lanes for it: usually whole data paths it allows, sometimes not. */
static bool pick_app_lanes(const struct lb_campaign_info *info, uint64_t *rng,
			   struct lb_campaign_args *a, bool allow_bad)
{
	if (!info->apps.count || !info->lanes)
		return false;
	const struct lb_app *app = &info->apps.app[below(rng, info->apps.count)];
	uint32_t inst[32];
	unsigned n = app_instances(app, info->banks, inst);
	if (!n)
		return false;
	a->appsel = app->appsel;
	if (chance(rng, 30)) {
		a->lane_mask = 0;
		for (unsigned k = 0; k < n; k++)
			a->lane_mask |= inst[k];
	} else {
		a->lane_mask = inst[below(rng, n)];
	}
	a->dpid = -1;
	if (allow_bad && chance(rng, 8)) {
		if (chance(rng, 50))
			a->appsel = (uint8_t)(info->apps.count + 1u); /* not advertised */
		else if (a->lane_mask & (a->lane_mask - 1u))
			a->lane_mask &= a->lane_mask - 1u;    /* part of a data path */
	}
	return true;
}

static uint32_t all_lanes(const struct lb_campaign_info *info)
{
	return info->lanes >= 32 ? 0xFFFFFFFFu : (1u << info->lanes) - 1u;
}

/* ---- the calls ---- */

static bool pick_any(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a)
{
	(void)info;
	(void)rng;
	(void)a;
	return true;
}

#define SIZED_CALL(fn, type, init)                                                          \
	static void run_##fn(struct lb_module *m, const struct lb_campaign_args *a,            \
			     struct lb_campaign_out *o)                                        \
	{                                                                                      \
		(void)a;                                                                       \
		type v;                                                                        \
		memset(&v, 0, sizeof(v));                                                      \
		v = (type)init;                                                                \
		o->rc = lb_module_##fn(m, &v);                                                 \
		lb_campaign_put(o, &v, sizeof(v));                                             \
	}
SIZED_CALL(get_identity, struct lb_module_identity, LB_MODULE_IDENTITY_INIT)
SIZED_CALL(get_durations, struct lb_module_durations, LB_MODULE_DURATIONS_INIT)
SIZED_CALL(get_lane_status, struct lb_lane_status, LB_LANE_STATUS_INIT)

/*
 * The values of a poll. Its latched flags are the handle's view of the module's accumulator
 * (flags.h): they hold what other calls read before, which a fresh twin never saw, so they
 * are judged by flags_read below, on a consumer of the call's own.
 */
static void run_get_monitors(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	(void)a;
	struct lb_module_monitors v;
	memset(&v, 0, sizeof(v));
	v = (struct lb_module_monitors)LB_MODULE_MONITORS_INIT;
	o->rc = lb_module_get_monitors(m, &v);
	v.temperature_flags = v.vcc_flags = v.module_flags = 0;
	v.aux1_flags = v.aux2_flags = v.aux3_flags = v.custom_flags = 0;
	v.module_state_changed = false;
	memset(v.tx_power_flags, 0, sizeof(v.tx_power_flags));
	memset(v.tx_bias_flags, 0, sizeof(v.tx_bias_flags));
	memset(v.rx_power_flags, 0, sizeof(v.rx_power_flags));
	v.tx_los = v.tx_fault = v.rx_los = v.rx_lol = v.tx_lol = 0;
	v.dp_state_changed = v.tx_adapt_eq_fail = v.rx_output_changed = 0;
	lb_campaign_put(o, &v, sizeof(v));
}

/* The flags a consumer created for the call sees: exactly what the call read. */
static void run_flags_read(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	(void)a;
	struct lb_flag_consumer *c = NULL;
	struct lb_module_flags f;
	memset(&f, 0, sizeof(f));
	f = (struct lb_module_flags)LB_MODULE_FLAGS_INIT;
	o->rc = lb_flag_consumer_create(m, &c);
	if (o->rc == LB_OK)
		o->rc = lb_module_flags_read(m, c, &f);
	lb_flag_consumer_free(c);
	lb_campaign_put(o, &f, sizeof(f));
}
SIZED_CALL(get_thresholds, struct lb_module_thresholds, LB_MODULE_THRESHOLDS_INIT)

/* CDB (cdb.h): on modules that advertise it. */
static bool pick_cdb(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a)
{
	(void)rng;
	(void)a;
	return info->advertised[0x9F];
}

static void run_cdb_caps(struct lb_module *m, const struct lb_campaign_args *a,
			 struct lb_campaign_out *o)
{
	(void)a;
	struct lb_cdb_caps v = LB_SIZED_INIT(struct lb_cdb_caps);
	o->rc = lb_module_cdb_caps(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

static void run_cdb_features(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	(void)a;
	struct lb_cdb_features v = LB_SIZED_INIT(struct lb_cdb_features);
	o->rc = lb_module_cdb_features(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

/* Get firmware info (0100h) through the generic run: the reply, not the time it took. */
static void run_cdb_fw_info(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	(void)a;
	struct lb_cdb_cmd c = LB_SIZED_INIT(struct lb_cdb_cmd);
	c.id = 0x0100;
	struct lb_cdb_reply r = LB_SIZED_INIT(struct lb_cdb_reply);
	o->rc = lb_module_cdb_run(m, &c, &r);
	r.elapsed_ns = 0;
	lb_campaign_put(o, &r, sizeof(r));
}

/* Firmware queries (firmware.h): what the module offers (0041h) and its images (0100h). */
static void run_fw_features(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	(void)a;
	struct lb_fw_features v = LB_SIZED_INIT(struct lb_fw_features);
	o->rc = lb_module_fw_features(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

static void run_fw_info(struct lb_module *m, const struct lb_campaign_args *a,
			struct lb_campaign_out *o)
{
	(void)a;
	struct lb_fw_info v = LB_SIZED_INIT(struct lb_fw_info);
	o->rc = lb_module_fw_info(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

/* Enter password (0001h): a module without a password of its own takes any. */
static void run_cdb_password(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	(void)a;
	o->rc = lb_module_cdb_password(m, 0x00001011u);
}

/* Firmware read-back (0105h/0106h): LB_E_NOTSUP where not advertised, 47h before a download. */
static void run_fw_read(struct lb_module *m, const struct lb_campaign_args *a,
			struct lb_campaign_out *o)
{
	(void)a;
	uint8_t buf[300];
	memset(buf, 0, sizeof(buf));
	o->rc = lb_module_fw_read(m, 0, buf, sizeof(buf));
	lb_campaign_put(o, buf, sizeof(buf));
}

/* The image last downloaded against a small file (47h when nothing was downloaded). */
static void run_fw_verify(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	(void)a;
	uint8_t file[16 + 300];
	for (size_t i = 0; i < sizeof(file); i++)
		file[i] = (uint8_t)(i * 7u);
	o->rc = lb_module_fw_verify(m, file, sizeof(file));
}

/* Coherent reads (coherent.h): on modules without a laser or VDM they answer LB_E_NOTSUP. */
static void run_is_coherent(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	(void)a;
	o->rc = lb_module_is_coherent(m);
}

static void run_laser_caps(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	(void)a;
	struct lb_laser_caps v = LB_LASER_CAPS_INIT;
	o->rc = lb_laser_get_caps(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

static bool pick_laser_lane(const struct lb_campaign_info *info, uint64_t *rng,
			    struct lb_campaign_args *a)
{
	(void)info;
	a->lane = chance(rng, 90) ? 1 : below(rng, 10); /* 0 and 9: lanes no module here has */
	return true;
}

static void run_laser_status(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	struct lb_laser_status v = LB_LASER_STATUS_INIT;
	o->rc = lb_laser_get_status(m, a->lane, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

static bool pick_tx_power(const struct lb_campaign_info *info, uint64_t *rng,
			  struct lb_campaign_args *a)
{
	pick_laser_lane(info, rng, a);
	a->tx_power_cdbm = (int)below(rng, 1800) - 1500; /* -15.00..+2.99 dBm: some out of range */
	return true;
}

static void run_set_tx_power(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	o->rc = lb_laser_set_tx_power(m, a->lane, a->tx_power_cdbm / 100.0);
}

static const char *intent_tx_power(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				   const struct lb_campaign_args *a)
{
	(void)info;
	uint8_t b[2] = { 0, 0 };
	unsigned i = (a->lane - 1) % 8;
	if (lb_emu_module_peek(emu, (uint8_t)((a->lane - 1) / 8), 0x12, (uint8_t)(200 + 2 * i), b,
			       2) != LB_OK)
		return "page 12h is missing";
	if ((int16_t)(uint16_t)(b[0] << 8 | b[1]) != a->tx_power_cdbm)
		return "the Tx power target is not as asked";
	return NULL;
}

static bool pick_tune(const struct lb_campaign_info *info, uint64_t *rng,
		      struct lb_campaign_args *a)
{
	pick_laser_lane(info, rng, a);
	static const int grids[] = { LB_LASER_GRID_75_GHZ, LB_LASER_GRID_100_GHZ,
				     LB_LASER_GRID_150_GHZ, LB_LASER_GRID_50_GHZ };
	a->grid = grids[below(rng, 4)];
	a->channel = (int)below(rng, 240) - 100; /* some out of bounds, some off the multiples */
	double f = 193100.0;
	if (lb_laser_channel_to_ghz(a->grid, a->channel, &f))
		f = 193100.0 + a->channel * 12.5;
	/* now and then a fine-tuning offset, on or off the 0.1 GHz resolution */
	a->ghz = chance(rng, 70) ? f : f + ((int)below(rng, 161) - 80) * 0.05;
	return true;
}

static void run_set_frequency(struct lb_module *m, const struct lb_campaign_args *a,
			      struct lb_campaign_out *o)
{
	o->rc = lb_laser_set_frequency(m, a->lane, a->ghz);
}

static void run_set_channel(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	o->rc = lb_laser_set_channel(m, a->lane, a->grid, a->channel);
}

/* The frequency page 12h's grid, channel and fine offset of the lane make (NAN: none). */
static double tuned_ghz(struct lb_emu_module *emu, unsigned lane)
{
	unsigned i = (lane - 1) % 8;
	uint8_t bank = (uint8_t)((lane - 1) / 8), g = 0, ch[2] = { 0, 0 }, fo[2] = { 0, 0 };
	if (lb_emu_module_peek(emu, bank, 0x12, (uint8_t)(128 + i), &g, 1) ||
	    lb_emu_module_peek(emu, bank, 0x12, (uint8_t)(136 + 2 * i), ch, 2) ||
	    lb_emu_module_peek(emu, bank, 0x12, (uint8_t)(152 + 2 * i), fo, 2))
		return NAN;
	double f;
	if (lb_laser_channel_to_ghz(g >> 4, (int16_t)(uint16_t)(ch[0] << 8 | ch[1]), &f))
		return NAN;
	return f + ((g & 1u) ? (int16_t)(uint16_t)(fo[0] << 8 | fo[1]) * 0.001 : 0.0);
}

static const char *intent_frequency(struct lb_emu_module *emu,
				    const struct lb_campaign_info *info,
				    const struct lb_campaign_args *a)
{
	(void)info;
	double f = tuned_ghz(emu, a->lane);
	return !(fabs(f - a->ghz) <= 0.001) ? "the laser is not set to the frequency asked" : NULL;
}

static const char *intent_channel(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				  const struct lb_campaign_args *a)
{
	(void)info;
	double want = 0, f = tuned_ghz(emu, a->lane);
	if (lb_laser_channel_to_ghz(a->grid, a->channel, &want))
		return "a channel the grid does not take was accepted";
	return !(fabs(f - want) <= 0.001) ? "the laser is not set to the channel asked" : NULL;
}

static bool pick_vdm(const struct lb_campaign_info *info, uint64_t *rng,
		     struct lb_campaign_args *a)
{
	(void)info;
	a->flag = chance(rng, 50); /* with the thresholds */
	return true;
}

static void run_vdm_read(struct lb_module *m, const struct lb_campaign_args *a,
			 struct lb_campaign_out *o)
{
	(void)a;
	struct lb_vdm *v = calloc(1, sizeof(*v));
	if (!v) {
		o->rc = LB_E_NOMEM;
		return;
	}
	v->size = sizeof(*v);
	o->rc = lb_vdm_read(m, 0, a->flag ? LB_VDM_THRESHOLDS : 0, v);
	lb_campaign_put(o, v, sizeof(*v));
	free(v);
}

/* The statistics interval: freeze (flag) or unfreeze. */
static bool pick_freeze(const struct lb_campaign_info *info, uint64_t *rng,
			struct lb_campaign_args *a)
{
	(void)info;
	a->flag = chance(rng, 50);
	return true;
}

static void run_vdm_freeze(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	o->rc = a->flag ? lb_vdm_freeze(m) : lb_vdm_unfreeze(m);
}

static const char *intent_freeze(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				 const struct lb_campaign_args *a)
{
	(void)info;
	uint8_t b[2] = { 0, 0 };
	if (lb_emu_module_peek(emu, 0, 0x2F, 144, b, 2) != LB_OK)
		return "page 2Fh cannot be read";
	if (((b[0] & 0x80u) != 0) != a->flag)
		return "FreezeRequest is not as asked";
	/* a freeze ends with FreezeDone set; unfreezing live registers waits for nothing */
	if (a->flag && !(b[1] & 0x80u))
		return "returned before FreezeDone was set";
	return NULL;
}

static void run_pm_read(struct lb_module *m, const struct lb_campaign_args *a,
			struct lb_campaign_out *o)
{
	(void)a;
	struct lb_ccmis_pm v;
	memset(&v, 0, sizeof(v));
	v = (struct lb_ccmis_pm)LB_CCMIS_PM_INIT;
	o->rc = lb_ccmis_pm_read(m, 0, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

/* The snapshot on a consumer of the call's own: its flags are what the call read. Times vary. */
static void run_telemetry(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	(void)a;
	struct lb_flag_consumer *c = NULL;
	struct lb_telemetry *t = calloc(1, sizeof(*t));
	if (!t) {
		o->rc = LB_E_NOMEM;
		return;
	}
	t->size = sizeof(*t);
	o->rc = lb_flag_consumer_create(m, &c);
	if (o->rc == LB_OK)
		o->rc = lb_telemetry_read(m, c, t);
	lb_flag_consumer_free(c);
	t->t_ns = 0;
	for (unsigned i = 0; i < t->count && i < LB_TELEMETRY_MAX_VALUES; i++)
		t->v[i].t_ns = 0;
	lb_campaign_put(o, t, sizeof(*t));
	free(t);
}

static void run_get_state(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	(void)a;
	enum lb_module_state st = 0;
	o->rc = lb_module_get_state(m, &st);
	int v = (int)st;
	lb_campaign_put(o, &v, sizeof(v));
}

static void run_get_apps(struct lb_module *m, const struct lb_campaign_args *a,
			 struct lb_campaign_out *o)
{
	(void)a;
	struct lb_app_list l;
	memset(&l, 0, sizeof(l));
	o->rc = lb_module_get_apps(m, &l);
	lb_campaign_put(o, &l, sizeof(l));
}

/* A port speed and lanes: an advertised application's (sometimes 0 lanes, or a speed none has). */
static bool pick_find_app(const struct lb_campaign_info *info, uint64_t *rng,
			  struct lb_campaign_args *a)
{
	if (!pick_app_lanes(info, rng, a, false))
		return false;
	const struct lb_app *app = find_app(info, a->appsel);
	a->speed_gbps = app ? lb_sff8024_host_interface_gbps(app->host_id) : 0;
	if (chance(rng, 20))
		a->lane_mask = 0;
	if (!a->speed_gbps || chance(rng, 10))
		a->speed_gbps = 1u + (unsigned)below(rng, 1600);
	return true;
}

static void run_find_app(struct lb_module *m, const struct lb_campaign_args *a,
			 struct lb_campaign_out *o)
{
	uint8_t appsel = 0;
	o->rc = lb_module_find_app(m, a->speed_gbps, a->lane_mask, &appsel);
	lb_campaign_put(o, &appsel, sizeof(appsel));
}

static bool pick_page_supported(const struct lb_campaign_info *info, uint64_t *rng,
				struct lb_campaign_args *a)
{
	static const uint8_t pages[] = { 0x00, 0x01, 0x02, 0x03, 0x04, 0x10, 0x11, 0x12,
					 0x13, 0x2F, 0x30, 0x9F, 0xA0, 0xA4, 0xB0 };
	a->r[0].bank = (uint8_t)below(rng, info->banks + 1u);
	a->r[0].page = chance(rng, 80) ? pages[below(rng, sizeof(pages))] : (uint8_t)below(rng, 256);
	return true;
}

static void run_page_supported(struct lb_module *m, const struct lb_campaign_args *a,
			       struct lb_campaign_out *o)
{
	o->rc = lb_module_page_supported(m, a->r[0].bank, a->r[0].page);
}

/* A range to read: lower memory, or an advertised upper page (sometimes one that is not). */
static void pick_range(const struct lb_campaign_info *info, uint64_t *rng, unsigned k,
		       struct lb_campaign_args *a, uint16_t max_len)
{
	uint8_t page = 0, bank = 0;
	bool lower = chance(rng, 25);
	if (!lower) {
		uint8_t adv[256];
		unsigned n = 0;
		for (unsigned p = 0; p < 256; p++)
			if (info->advertised[p])
				adv[n++] = (uint8_t)p;
		page = n && chance(rng, 92) ? adv[below(rng, n)] : (uint8_t)(0x05 + below(rng, 10));
		bank = (page >= 0x10 && page <= 0x3F) ? (uint8_t)below(rng, info->banks) : 0;
	}
	unsigned base = lower ? 0 : 128, off = base + below(rng, 128);
	unsigned room = base + 128 - off, len = 1 + below(rng, room < max_len ? room : max_len);
	a->r[k].bank = bank;
	a->r[k].page = page;
	a->r[k].offset = (uint8_t)off;
	a->r[k].len = (uint16_t)len;
}

/*
 * Lower bytes 126-127 (BankSelect, PageSelect) say which page the last access selected, which
 * depends on the handle's history, not on the module: left out of the comparison.
 */
static void mask_select(uint8_t *buf, unsigned offset, unsigned len)
{
	for (unsigned b = 126; b <= 127; b++)
		if (b >= offset && b < offset + len)
			buf[b - offset] = 0;
}

static bool pick_read(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a)
{
	a->n = 1;
	pick_range(info, rng, 0, a, 128);
	return true;
}

static void run_read(struct lb_module *m, const struct lb_campaign_args *a,
		     struct lb_campaign_out *o)
{
	uint8_t buf[256];
	memset(buf, 0, sizeof(buf));
	o->rc = lb_module_read(m, a->r[0].bank, a->r[0].page, a->r[0].offset, buf, a->r[0].len);
	mask_select(buf, a->r[0].offset, a->r[0].len);
	lb_campaign_put(o, buf, a->r[0].len);
}

static bool pick_read_page(const struct lb_campaign_info *info, uint64_t *rng,
			   struct lb_campaign_args *a)
{
	pick_read(info, rng, a);
	a->flag = a->r[0].offset < 128;
	return true;
}

static void run_read_page(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	uint8_t buf[128];
	memset(buf, 0, sizeof(buf));
	o->rc = lb_module_read_page(m, a->r[0].bank, a->flag ? 0 : a->r[0].page, a->flag, buf);
	if (a->flag)
		mask_select(buf, 0, 128);
	lb_campaign_put(o, buf, sizeof(buf));
}

static bool pick_read_ranges(const struct lb_campaign_info *info, uint64_t *rng,
			     struct lb_campaign_args *a)
{
	a->n = 2 + below(rng, LB_CAMPAIGN_MAX_RANGES - 1u);
	for (unsigned k = 0; k < a->n; k++)
		pick_range(info, rng, k, a, 40);
	return true;
}

static void run_read_ranges(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	uint8_t buf[LB_CAMPAIGN_MAX_RANGES][128];
	struct lb_mem_range r[LB_CAMPAIGN_MAX_RANGES];
	memset(buf, 0, sizeof(buf));
	for (unsigned k = 0; k < a->n; k++)
		r[k] = (struct lb_mem_range){ .bank = a->r[k].bank, .page = a->r[k].page,
					      .offset = a->r[k].offset, .len = a->r[k].len,
					      .buf = buf[k] };
	o->rc = lb_module_read_ranges(m, r, a->n);
	for (unsigned k = 0; k < a->n; k++) {
		mask_select(buf[k], a->r[k].offset, a->r[k].len);
		lb_campaign_put(o, buf[k], a->r[k].len);
	}
}

/*
 * Where a write may go without side effects beyond itself: the module masks (lower 31-36)
 * and staged control set 0's DPConfig (10h:145-152 of a bank), which nothing acts on before
 * an ApplyDPInit (the data-path calls stage their own lanes first).
 */
static void pick_write_range(const struct lb_campaign_info *info, uint64_t *rng, unsigned k,
			     struct lb_campaign_args *a, unsigned slot)
{
	unsigned first, span;
	if (slot == 0) {
		a->r[k].page = 0;
		a->r[k].bank = 0;
		first = 31;
		span = 6;
	} else {
		a->r[k].page = chance(rng, 95) ? 0x10 : (uint8_t)(0x05 + below(rng, 10)); /* or not advertised */
		a->r[k].bank = (uint8_t)(slot - 1u);
		first = 145;
		span = 8;
	}
	unsigned off = below(rng, span), len = 1 + below(rng, span - off);
	a->r[k].offset = (uint8_t)(first + off);
	a->r[k].len = (uint16_t)len;
	for (unsigned i = 0; i < len; i++)
		a->r[k].data[i] = (uint8_t)rnd(rng);
	(void)info;
}

static bool pick_write(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a)
{
	a->n = 1;
	pick_write_range(info, rng, 0, a, below(rng, 1 + info->banks));
	return true;
}

static void run_write(struct lb_module *m, const struct lb_campaign_args *a,
		      struct lb_campaign_out *o)
{
	o->rc = lb_module_write(m, a->r[0].bank, a->r[0].page, a->r[0].offset, a->r[0].data,
				a->r[0].len);
}

static bool pick_write_plan(const struct lb_campaign_info *info, uint64_t *rng,
			    struct lb_campaign_args *a)
{
	/* One range per slot at most: ranges never overlap. */
	unsigned slots = 1 + info->banks;
	a->n = 1 + below(rng, slots < LB_CAMPAIGN_MAX_RANGES ? slots : LB_CAMPAIGN_MAX_RANGES);
	unsigned first = below(rng, slots);
	for (unsigned k = 0; k < a->n; k++)
		pick_write_range(info, rng, k, a, (first + k) % slots);
	return true;
}

static void run_write_plan(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	struct lb_mem_write w[LB_CAMPAIGN_MAX_RANGES];
	for (unsigned k = 0; k < a->n; k++)
		w[k] = (struct lb_mem_write){ .bank = a->r[k].bank, .page = a->r[k].page,
					      .offset = a->r[k].offset, .len = a->r[k].len,
					      .buf = a->r[k].data, .head_last = 0 };
	o->rc = lb_module_write_plan(m, w, a->n, 0);
}

static const char *intent_write(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				const struct lb_campaign_args *a)
{
	(void)info;
	static char why[96];
	for (unsigned k = 0; k < a->n; k++) {
		uint8_t now[128];
		if (lb_emu_module_peek(emu, a->r[k].bank, a->r[k].page, a->r[k].offset, now,
				       a->r[k].len) != LB_OK ||
		    memcmp(now, a->r[k].data, a->r[k].len) != 0) {
			snprintf(why, sizeof(why), "bank %u page %02xh bytes %u-%u do not hold what was written",
				 a->r[k].bank, a->r[k].page, a->r[k].offset,
				 a->r[k].offset + a->r[k].len - 1u);
			return why;
		}
	}
	return NULL;
}

static void run_line_modes(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	(void)a;
	struct lb_line_mode modes[8];
	size_t count = 0;
	memset(modes, 0, sizeof(modes));
	modes[0].size = sizeof(modes[0]);
	o->rc = lb_module_list_line_modes(m, modes, 8, &count);
	lb_campaign_put(o, &count, sizeof(count));
	for (size_t i = 0; i < count && i < 8; i++) {
		lb_campaign_put(o, modes[i].id, sizeof(modes[i].id));
		lb_campaign_put(o, modes[i].name, sizeof(modes[i].name));
		lb_campaign_put(o, &modes[i].entropy_bits, sizeof(double));
		lb_campaign_put(o, &modes[i].baud_gbd, sizeof(double));
		lb_campaign_put(o, &modes[i].net_rate_gbps, sizeof(double));
		lb_campaign_put(o, &modes[i].slot_ghz, sizeof(double));
	}
}

static void run_get_line_mode(struct lb_module *m, const struct lb_campaign_args *a,
			      struct lb_campaign_out *o)
{
	(void)a;
	char id[LB_LINK_ID_LEN];
	memset(id, 0, sizeof(id));
	o->rc = lb_module_get_line_mode(m, 0, id, sizeof(id));
	lb_campaign_put(o, id, sizeof(id));
}

/* Line modes: applications' (800zr AppSel 1, 400zr AppSel 2) and vendor ones (code 1, 3). */
static const struct {
	const char *id;
	uint8_t appsel, code;
} campaign_modes[] = {
	{ "800zr", 1, 0 }, { "400zr", 2, 0 }, { "800g-pcs-131e", 1, 1 }, { "600g-pcs-118", 1, 3 },
	{ "nope", 0, 0 }, { "800g-pcs-131m", 1, 2 }, /* the PCS profile's, with ExplicitControl */
};

static bool pick_select_mode(const struct lb_campaign_info *info, uint64_t *rng,
			     struct lb_campaign_args *a)
{
	if (!strstr(info->profile, "coherent"))
		return false;
	a->appsel = (uint8_t)below(rng, sizeof(campaign_modes) / sizeof(campaign_modes[0]));
	a->lane_mask = chance(rng, 90) ? 0 : 0x0F; /* half a data path: refused */
	return true;
}

static void run_select_mode(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	o->rc = lb_module_select_line_mode(m, a->lane_mask, campaign_modes[a->appsel].id);
}

static const char *intent_select_mode(struct lb_emu_module *emu,
				      const struct lb_campaign_info *info,
				      const struct lb_campaign_args *a)
{
	(void)info;
	uint8_t code = campaign_modes[a->appsel].code, held;
	/* the vendor mode in force: the PCS page's byte 140, else the LBE1 page's 144 */
	if (lb_emu_module_peek(emu, 0, 0xB8, 140, &held, 1) != LB_OK &&
	    lb_emu_module_peek(emu, 0, 0xB0, 144, &held, 1) != LB_OK)
		return "no vendor page";
	if (held != code)
		return "the vendor mode in force is not the one asked";
	if ((peek1(emu, 0, 0x11, 206) >> 4) != campaign_modes[a->appsel].appsel)
		return "lane 1 does not run the mode's application";
	if (code == 2 && !(peek1(emu, 0, 0x11, 206) & 1u))
		return "the mode needs ExplicitControl and lane 1 runs without it";
	if (module_state(emu) != 3 || nibble_at(emu, 0, 0x11, 128, 0) != 4)
		return "the data path is not up";
	return NULL;
}

static void run_tuning_time(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	(void)a;
	uint32_t ms = 0;
	bool stated = false;
	o->rc = lb_laser_tuning_time(m, &ms, &stated);
	lb_campaign_put(o, &ms, sizeof(ms));
	lb_campaign_put(o, &stated, sizeof(stated));
}

/* The laser tuned: the frequency it reached and its state (the latched flags vary). */
static void run_wait_tuned(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	struct lb_laser_status v = LB_LASER_STATUS_INIT;
	o->rc = lb_laser_wait_tuned(m, a->lane, &v);
	lb_campaign_put(o, &v.current_ghz, sizeof(v.current_ghz));
	lb_campaign_put(o, &v.configured_ghz, sizeof(v.configured_ghz));
	lb_campaign_put(o, &v.state, sizeof(v.state));
}

static void run_power_per_bit(struct lb_module *m, const struct lb_campaign_args *a,
			      struct lb_campaign_out *o)
{
	(void)a;
	struct lb_power_per_bit v = LB_POWER_PER_BIT_INIT;
	o->rc = lb_module_get_power_per_bit(m, &v);
	lb_campaign_put(o, &v, sizeof(v));
}

static bool pick_vendor_page(const struct lb_campaign_info *info, uint64_t *rng,
			     struct lb_campaign_args *a)
{
	(void)info;
	a->r[0].bank = 0;
	a->r[0].page = chance(rng, 90) ? (chance(rng, 50) ? 0xB0 : 0xB8) : 0xB1;
	return true;
}

static void run_vendor_page(struct lb_module *m, const struct lb_campaign_args *a,
			    struct lb_campaign_out *o)
{
	struct lb_module_field f[16];
	size_t count = 0;
	memset(f, 0, sizeof(f));
	o->rc = lb_module_decode_vendor_page(m, a->r[0].bank, a->r[0].page, f, 16, &count);
	lb_campaign_put(o, &count, sizeof(count));
	for (size_t i = 0; i < count && i < 16; i++) {
		lb_campaign_put(o, f[i].name, sizeof(f[i].name));
		lb_campaign_put(o, &f[i].value, sizeof(double));
		lb_campaign_put(o, f[i].text, sizeof(f[i].text));
		uint8_t where[5] = { f[i].bank, f[i].page, f[i].offset, f[i].len, f[i].writable };
		lb_campaign_put(o, where, sizeof(where));
	}
}

/* A claim around an identity read: the session's own calls go through; nothing stays held. */
static void run_claim(struct lb_module *m, const struct lb_campaign_args *a,
		      struct lb_campaign_out *o)
{
	(void)a;
	int rc = lb_module_request(m, "campaign session");
	struct lb_module_identity id;
	memset(&id, 0, sizeof(id));
	id.size = sizeof(id);
	if (rc == LB_OK) {
		rc = lb_module_get_identity(m, &id);
		int r2 = lb_module_release(m);
		if (rc == LB_OK)
			rc = r2;
	}
	o->rc = rc;
	lb_campaign_put(o, &id, sizeof(id));
}

static bool pick_low_power(const struct lb_campaign_info *info, uint64_t *rng,
			   struct lb_campaign_args *a)
{
	(void)info;
	a->flag = chance(rng, 45);
	return true;
}

static void run_set_low_power(struct lb_module *m, const struct lb_campaign_args *a,
			      struct lb_campaign_out *o)
{
	o->rc = lb_module_set_low_power(m, a->flag);
}

static const char *intent_low_power(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				    const struct lb_campaign_args *a)
{
	(void)info;
	unsigned want = a->flag ? LB_MODULE_STATE_LOW_PWR : LB_MODULE_STATE_READY;
	return module_state(emu) == want ? NULL : "the module is not in the power state asked";
}

static void run_reset(struct lb_module *m, const struct lb_campaign_args *a,
		      struct lb_campaign_out *o)
{
	(void)a;
	o->rc = lb_module_reset(m);
}

/*
 * Copy (0108h) of the running, committed image A over B, where advertised: afterwards the
 * module still runs the same version, which both images now hold (lower 39-40 as the
 * inactive version 01h:128-129 shows it: the model's images start out alike).
 */
static void run_fw_copy(struct lb_module *m, const struct lb_campaign_args *a,
			struct lb_campaign_out *o)
{
	(void)a;
	o->rc = lb_module_fw_copy(m, LB_FW_IMAGE_A);
}

static const char *intent_fw_copy(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				  const struct lb_campaign_args *a)
{
	(void)info;
	(void)a;
	if (peek1(emu, 0, 0, 39) != peek1(emu, 0, 0x01, 128) ||
	    peek1(emu, 0, 0, 40) != peek1(emu, 0, 0x01, 129))
		return "after the copy the running version is not the one both images hold";
	return NULL;
}

static const char *intent_reset(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				const struct lb_campaign_args *a)
{
	(void)info;
	(void)a;
	unsigned st = module_state(emu);
	if (st != LB_MODULE_STATE_LOW_PWR && st != LB_MODULE_STATE_READY)
		return "after the reset the module is neither in ModuleLowPwr nor in ModuleReady";
	if (peek1(emu, 0, 0, 26) & 0x18)
		return "byte 26 does not hold its reset defaults";
	return NULL;
}

static bool pick_apply(const struct lb_campaign_info *info, uint64_t *rng, struct lb_campaign_args *a)
{
	return pick_app_lanes(info, rng, a, true);
}

static void run_apply_app(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	int code = 0;
	o->rc = lb_module_apply_app(m, a->lane_mask, a->appsel, &code);
	lb_campaign_put(o, &code, sizeof(code));
}

static bool pick_apply_config(const struct lb_campaign_info *info, uint64_t *rng,
			      struct lb_campaign_args *a)
{
	if (!pick_app_lanes(info, rng, a, true))
		return false;
	const struct lb_app *app = find_app(info, a->appsel);
	/* DataPathID: the data path's first lane (what CMIS defines), given or not */
	if (app && chance(rng, 40) && __builtin_popcount(a->lane_mask) == app->host_lanes)
		a->dpid = __builtin_ctz(a->lane_mask) % 8;
	a->explicit_control = chance(rng, 20);
	return true;
}

static void run_apply_config(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = a->lane_mask;
	cfg.appsel = a->appsel;
	if (a->dpid >= 0) {
		cfg.set |= LB_DP_CONFIG_DPID;
		cfg.dpid = (uint8_t)a->dpid;
	}
	cfg.explicit_control = a->explicit_control;
	int code = 0;
	o->rc = lb_module_apply_config(m, &cfg, &code);
	lb_campaign_put(o, &code, sizeof(code));
}

/* Every lane of the mask holds the data path asked in its active control set; activated too. */
static const char *intent_lanes(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				const struct lb_campaign_args *a, bool activated)
{
	static char why[128];
	const struct lb_app *app = find_app(info, a->appsel);
	if (!app)
		return "LB_OK for an application the module does not advertise";
	for (unsigned i = 0; i < 32; i++) {
		if (!((a->lane_mask >> i) & 1u))
			continue;
		unsigned b = i / 8, l = i % 8;
		int first = dp_first(app, info->banks, a->lane_mask, i);
		if (first < 0)
			return "LB_OK for lanes that are not whole data paths of the application";
		unsigned dpid = a->dpid >= 0 ? (unsigned)a->dpid : (unsigned)first;
		uint8_t want = (uint8_t)(((unsigned)a->appsel << 4) | (dpid << 1) |
					 (a->explicit_control ? 1u : 0u));
		uint8_t acs = peek1(emu, b, 0x11, (uint8_t)(206 + l));
		if (acs != want) {
			snprintf(why, sizeof(why),
				 "lane %u: active control set 11h:%u holds 0x%02x, not 0x%02x (AppSel %u)",
				 i + 1, 206 + l, acs, want, a->appsel);
			return why;
		}
		if (!activated && nibble_at(emu, b, 0x11, 202, l) != LB_CONFIG_STATUS_SUCCESS) {
			snprintf(why, sizeof(why), "lane %u: ConfigStatus %u, not ConfigSuccess", i + 1,
				 nibble_at(emu, b, 0x11, 202, l));
			return why;
		}
		if (activated) {
			unsigned st = nibble_at(emu, b, 0x11, 128, l);
			if (st != LB_DP_STATE_ACTIVATED) {
				snprintf(why, sizeof(why), "lane %u: data path state %u, not DPActivated",
					 i + 1, st);
				return why;
			}
			if (((unsigned)peek1(emu, b, 0x10, 128) >> l) & 1u)
				return "DPDeinit still set on a lane brought up";
		}
	}
	return NULL;
}

static const char *intent_apply(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				const struct lb_campaign_args *a)
{
	return intent_lanes(emu, info, a, false);
}

static bool pick_bring_up(const struct lb_campaign_info *info, uint64_t *rng,
			  struct lb_campaign_args *a)
{
	return pick_app_lanes(info, rng, a, true);
}

static void run_bring_up(struct lb_module *m, const struct lb_campaign_args *a,
			 struct lb_campaign_out *o)
{
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	o->rc = lb_module_bring_up(m, a->lane_mask, a->appsel, &rep);
	lb_campaign_put(o, &rep.reject_code, sizeof(rep.reject_code));
}

static void run_bringup_step(struct lb_module *m, const struct lb_campaign_args *a,
			     struct lb_campaign_out *o)
{
	struct lb_dp_config cfg = LB_DP_CONFIG_INIT;
	cfg.lane_mask = a->lane_mask;
	cfg.appsel = a->appsel;
	struct lb_bringup *b;
	o->rc = lb_bringup_start_config(m, &cfg, NULL, &b);
	if (o->rc)
		return;
	struct lb_bus *bus = lb_module_bus(m);
	uint64_t wake = 0;
	while ((o->rc = lb_bringup_step(b, &wake)) == LB_E_AGAIN) {
		uint64_t now = lb_bus_now_ns(bus);
		if (wake > now)
			lb_bus_sleep_ns(bus, wake - now);
	}
	struct lb_bringup_report rep = LB_BRINGUP_REPORT_INIT;
	lb_bringup_get_report(b, &rep);
	lb_bringup_free(b);
	lb_campaign_put(o, &rep.reject_code, sizeof(rep.reject_code));
}

static const char *intent_bring_up(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				   const struct lb_campaign_args *a)
{
	return intent_lanes(emu, info, a, true);
}

static bool pick_lane_ctrl(const struct lb_campaign_info *info, uint64_t *rng,
			   struct lb_campaign_args *a)
{
	if (!info->lanes)
		return false;
	a->lane_mask = (uint32_t)rnd(rng) & all_lanes(info);
	if (!a->lane_mask)
		a->lane_mask = 1;
	if (chance(rng, 4) && info->lanes < 32)
		a->lane_mask |= 1u << info->lanes; /* a lane the module does not have */
	a->flag = chance(rng, 50);
	return true;
}

static void run_dp_deinit(struct lb_module *m, const struct lb_campaign_args *a,
			  struct lb_campaign_out *o)
{
	o->rc = lb_module_dp_deinit(m, a->lane_mask, a->flag);
}

static void run_tx_disable(struct lb_module *m, const struct lb_campaign_args *a,
			   struct lb_campaign_out *o)
{
	o->rc = lb_module_tx_disable(m, a->lane_mask, a->flag);
}

static const char *intent_lane_bits(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				    const struct lb_campaign_args *a, uint8_t offset)
{
	(void)info;
	for (unsigned i = 0; i < 32; i++) {
		if (!((a->lane_mask >> i) & 1u))
			continue;
		bool set = ((unsigned)peek1(emu, i / 8, 0x10, offset) >> (i % 8)) & 1u;
		if (set != a->flag)
			return offset == 128 ? "DPDeinit is not as asked" : "Tx disable is not as asked";
	}
	return NULL;
}

static const char *intent_dp_deinit(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				    const struct lb_campaign_args *a)
{
	return intent_lane_bits(emu, info, a, 128);
}

static const char *intent_tx_disable(struct lb_emu_module *emu, const struct lb_campaign_info *info,
				     const struct lb_campaign_args *a)
{
	return intent_lane_bits(emu, info, a, 130);
}

const struct lb_campaign_call lb_campaign_module_calls[] = {
	{ "get_identity", 0, 3, pick_any, run_get_identity, NULL },
	{ "get_state", 0, 3, pick_any, run_get_state, NULL },
	{ "get_durations", 0, 2, pick_any, run_get_durations, NULL },
	{ "get_apps", 0, 2, pick_any, run_get_apps, NULL },
	{ "find_app", 0, 2, pick_find_app, run_find_app, NULL },
	{ "get_lane_status", 0, 3, pick_any, run_get_lane_status, NULL },
	{ "get_monitors", 0, 4, pick_any, run_get_monitors, NULL },
	{ "flags_read", 0, 3, pick_any, run_flags_read, NULL },
	{ "get_thresholds", 0, 3, pick_any, run_get_thresholds, NULL },
	{ "page_supported", LB_CAMPAIGN_VALUE, 1, pick_page_supported, run_page_supported, NULL },
	{ "read", LB_CAMPAIGN_RAW, 3, pick_read, run_read, NULL },
	{ "read_page", LB_CAMPAIGN_RAW, 3, pick_read_page, run_read_page, NULL },
	{ "read_ranges", LB_CAMPAIGN_RAW, 3, pick_read_ranges, run_read_ranges, NULL },
	{ "list_line_modes", 0, 2, pick_any, run_line_modes, NULL },
	{ "is_coherent", LB_CAMPAIGN_VALUE, 1, pick_any, run_is_coherent, NULL },
	{ "laser_get_caps", 0, 2, pick_any, run_laser_caps, NULL },
	{ "laser_get_status", 0, 2, pick_laser_lane, run_laser_status, NULL },
	{ "vdm_read", 0, 2, pick_vdm, run_vdm_read, NULL },
	{ "vdm_freeze", LB_CAMPAIGN_MUTATES, 1, pick_freeze, run_vdm_freeze, intent_freeze },
	{ "ccmis_pm_read", 0, 2, pick_any, run_pm_read, NULL },
	{ "telemetry_read", 0, 2, pick_any, run_telemetry, NULL },
	{ "laser_set_tx_power", LB_CAMPAIGN_MUTATES, 2, pick_tx_power, run_set_tx_power,
	  intent_tx_power },
	{ "laser_set_frequency", LB_CAMPAIGN_MUTATES, 2, pick_tune, run_set_frequency,
	  intent_frequency },
	{ "laser_set_channel", LB_CAMPAIGN_MUTATES, 1, pick_tune, run_set_channel, intent_channel },
	{ "decode_vendor_page", 0, 2, pick_vendor_page, run_vendor_page, NULL },
	{ "get_line_mode", 0, 2, pick_any, run_get_line_mode, NULL },
	{ "select_line_mode", LB_CAMPAIGN_MUTATES, 1, pick_select_mode, run_select_mode,
	  intent_select_mode },
	{ "laser_tuning_time", 0, 1, pick_any, run_tuning_time, NULL },
	{ "laser_wait_tuned", 0, 1, pick_laser_lane, run_wait_tuned, NULL },
	{ "get_power_per_bit", 0, 2, pick_any, run_power_per_bit, NULL },
	{ "claim", LB_CAMPAIGN_SEVERAL, 1, pick_any, run_claim, NULL },
	{ "cdb_caps", 0, 1, pick_cdb, run_cdb_caps, NULL },
	{ "cdb_features", 0, 1, pick_cdb, run_cdb_features, NULL },
	{ "cdb_run", 0, 1, pick_cdb, run_cdb_fw_info, NULL },
	{ "fw_features", 0, 1, pick_cdb, run_fw_features, NULL },
	{ "fw_info", 0, 1, pick_cdb, run_fw_info, NULL },
	{ "cdb_password", 0, 1, pick_cdb, run_cdb_password, NULL },
	{ "fw_read", 0, 1, pick_cdb, run_fw_read, NULL },
	{ "fw_verify", 0, 1, pick_cdb, run_fw_verify, NULL },
	{ "write", LB_CAMPAIGN_MUTATES, 2, pick_write, run_write, intent_write },
	{ "write_plan", LB_CAMPAIGN_MUTATES, 2, pick_write_plan, run_write_plan, intent_write },
	{ "set_low_power", LB_CAMPAIGN_MUTATES, 2, pick_low_power, run_set_low_power, intent_low_power },
	{ "reset", LB_CAMPAIGN_MUTATES, 1, pick_any, run_reset, intent_reset },
	{ "fw_copy", LB_CAMPAIGN_MUTATES, 1, pick_cdb, run_fw_copy, intent_fw_copy },
	{ "apply_app", LB_CAMPAIGN_MUTATES, 3, pick_apply, run_apply_app, intent_apply },
	{ "apply_config", LB_CAMPAIGN_MUTATES, 2, pick_apply_config, run_apply_config, intent_apply },
	{ "bring_up", LB_CAMPAIGN_MUTATES, 1, pick_bring_up, run_bring_up, intent_bring_up },
	{ "bringup_step", LB_CAMPAIGN_MUTATES, 1, pick_bring_up, run_bringup_step, intent_bring_up },
	{ "dp_deinit", LB_CAMPAIGN_MUTATES, 3, pick_lane_ctrl, run_dp_deinit, intent_dp_deinit },
	{ "tx_disable", LB_CAMPAIGN_MUTATES, 2, pick_lane_ctrl, run_tx_disable, intent_tx_disable },
};
const unsigned lb_campaign_module_ncalls =
	sizeof(lb_campaign_module_calls) / sizeof(lb_campaign_module_calls[0]);

/* ---- the engine ---- */

static const char *const default_profiles[] = {
	"400g-fr4-qsfpdd", "800g-dr8-osfp", "1600g-2xdr8-osfpxd", "coherent-800g-qsfpdd",
	"coherent-800g-pcs-qsfpdd",
};

#define MAX_CALLS 128

struct campaign {
	const struct lb_campaign_opts *o;
	struct lb_campaign_stats *st;
	FILE *log;
	struct lb_ctx *ctx;
	const struct lb_campaign_call *calls[MAX_CALLS];
	unsigned ncalls, total_weight;
	char where[192];
	struct lb_campaign_out *got, *ref, *alt;
};

/* The module under test, its spare (for swaps), the bus, two handles. */
struct rig {
	char path[1024];
	const char *profile;
	struct lb_emu_world *world;
	struct lb_emu_segment *seg;
	struct lb_emu_module *mod[2];
	int cur;
	struct fault_bus fb;
	struct lb_bus *bus;
	struct lb_module *h[2];
	struct lb_module_addr where;
	int channel;
	struct lb_campaign_info info;
	struct lb_emu_timing timing;
	uint64_t bound_ns, settle_ns;
	uint64_t est_tx[MAX_CALLS];  /* transfers the call took on the module under test */
	bool unsettled;              /* something may still be running (a failed wait) */
	char lock_path[1024];        /* the bus's lock file, or "" */
	bool unseen_change;          /* reset or replaced, the host not told and not noticed yet */
};

/* A twin: the module's saved state in a world of its own, a fresh handle, no fault. */
struct twin {
	struct lb_emu_world *world;
	struct lb_emu_segment *seg;
	struct lb_emu_module *mod;
	struct fault_bus fb;
	struct lb_bus *bus;
	struct lb_module *h;
};

static void say(struct campaign *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct campaign *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(c->log, fmt, ap);
	va_end(ap);
}

static void first_failure(struct campaign *c, const char *what)
{
	if (c->st->first_failure[0])
		return;
	/* where, ": ", what, cut to fit */
	char *out = c->st->first_failure;
	size_t cap = sizeof(c->st->first_failure), n = 0;
	const char *parts[3] = { c->where, ": ", what };
	for (unsigned i = 0; i < 3; i++)
		for (const char *p = parts[i]; *p && n + 1 < cap; p++)
			out[n++] = *p;
	out[n] = '\0';
}

static struct lb_emu_module *cur_mod(struct rig *r)
{
	return r->mod[r->cur];
}

static int place(struct rig *r, struct lb_emu_module *m)
{
	return lb_emu_segment_attach(r->seg, r->channel, 0x50, m);
}

/* A serial number of its own for the spare, so that a swap shows in the identity. */
static void other_serial(struct lb_emu_module *m)
{
	uint8_t p00[128];
	if (lb_emu_module_peek(m, 0, 0, 128, p00, sizeof(p00)) != LB_OK)
		return;
	memcpy(&p00[166 - 128], "SWAPPED-IN-0001 ", 16);
	unsigned sum = 0;
	for (unsigned i = 128; i <= 221; i++)
		sum += p00[i - 128];
	p00[222 - 128] = (uint8_t)sum;
	lb_emu_module_poke(m, 0, 0, 128, p00, sizeof(p00));
}

static int twin_up(struct campaign *c, struct rig *r, const char *snap, uint64_t t0, struct twin *t)
{
	char err[256] = "";
	memset(t, 0, sizeof(*t));
	int rc;
	if ((rc = lb_emu_world_create(&t->world)) ||
	    (rc = lb_emu_module_create(t->world, r->path, &t->mod, err, sizeof(err))))
		goto fail;
	lb_emu_world_set_now_ns(t->world, t0);
	if ((rc = lb_emu_module_load_state(t->mod, snap)) ||
	    (rc = lb_emu_segment_create(t->world, lb_emu_segment_clock_khz(r->seg), &t->seg)) ||
	    (rc = lb_emu_segment_attach(t->seg, -1, 0x50, t->mod)))
		goto fail;
	t->fb = (struct fault_bus){ .seg = t->seg, .emu = t->mod, .addr = 0x50, .where = c->where };
	if ((rc = lb_bus_open(c->ctx, "campaign", NULL, &t->fb, &t->bus)) ||
	    (rc = lb_module_open(t->bus, NULL, &t->h)))
		goto fail;
	return LB_OK;
fail:
	say(c, "campaign: %s: twin: %s %s\n", c->where, lb_strerror(rc), err);
	return rc;
}

static void twin_down(struct twin *t)
{
	lb_module_close(t->h);
	lb_bus_close(t->bus);
	lb_emu_world_destroy(t->world);
}

/*
 * The reference: the call fault-free on a twin of the module as it was before the call,
 * optionally after `ahead` ns more or with a module fault injected first. *tx and *ns: what
 * it took.
 */
static int reference(struct campaign *c, struct rig *r, const char *snap, uint64_t t0,
		      const struct lb_campaign_call *call, const struct lb_campaign_args *a,
		      struct lb_campaign_out *out, uint64_t ahead, unsigned fault_cause,
		      uint64_t *tx, uint64_t *ns)
{
	struct twin t;
	int rc = twin_up(c, r, snap, t0, &t);
	if (rc)
		return rc;
	if (ahead)
		lb_emu_segment_advance_ns(t.seg, ahead);
	if (fault_cause)
		lb_emu_module_inject(t.mod, LB_EMU_FAULT_MODULE_FAULT, fault_cause);
	memset(out, 0, offsetof(struct lb_campaign_out, data));
	t.fb.start_ns = lb_emu_segment_now_ns(t.seg);
	t.fb.bound_ns = r->bound_ns;
	call->run(t.h, a, out);
	if (tx)
		*tx = t.fb.count;
	if (ns)
		*ns = lb_emu_segment_now_ns(t.seg) - t.fb.start_ns;
	twin_down(&t);
	return LB_OK;
}

/* What the engine learns of the module, fault-free, on handle 0. */
static int learn(struct rig *r)
{
	struct lb_campaign_info *in = &r->info;
	memset(in, 0, sizeof(*in));
	in->profile = r->profile;
	int rc;
	in->dur = (struct lb_module_durations)LB_MODULE_DURATIONS_INIT;
	if ((rc = lb_module_get_apps(r->h[0], &in->apps)) ||
	    (rc = lb_module_get_durations(r->h[0], &in->dur)))
		return rc;
	struct lb_lane_status ls = LB_LANE_STATUS_INIT;
	if ((rc = lb_module_get_lane_status(r->h[0], &ls)))
		return rc;
	in->lanes = ls.lanes;
	in->banks = (ls.lanes + 7u) / 8u;
	for (unsigned p = 0; p < 256; p++)
		in->advertised[p] = lb_module_page_supported(r->h[0], 0, (uint8_t)p) == 1;
	in->has_ext = lb_module_extension_name(r->h[0])[0] != '\0';
	const struct lb_module_durations *d = &in->dur;
	uint64_t ms = (uint64_t)d->module_pwr_up_ms + d->module_pwr_dn_ms + d->dp_init_ms +
		      d->dp_deinit_ms + d->dp_tx_turn_on_ms + d->dp_tx_turn_off_ms;
	/* Any call, however long: every advertised duration twice, management init, slack. */
	r->bound_ns = (2 * ms + 5000) * 1000000ull;
	lb_emu_module_get_timing(cur_mod(r), &r->timing);
	const struct lb_emu_timing *t = &r->timing;
	r->settle_ns = t->module_pwr_up_ns + t->module_pwr_dn_ns + t->dp_init_ns + t->dp_deinit_ns +
		       t->dp_tx_turn_on_ns + t->dp_tx_turn_off_ns + t->apply_ns + t->reset_ns +
		       1000000000ull;
	return LB_OK;
}

static int rig_up(struct campaign *c, struct rig *r, uint64_t *rng)
{
	memset(r, 0, sizeof(*r));
	const char *const *profiles = c->o->profiles ? c->o->profiles : default_profiles;
	unsigned np = c->o->profiles ? c->o->n_profiles
				     : (unsigned)(sizeof(default_profiles) / sizeof(default_profiles[0]));
	r->profile = profiles[below(rng, np)];
	snprintf(r->path, sizeof(r->path), "%s/emulator/profiles/%s.json", c->o->data_dir, r->profile);
	char err[256] = "";
	int rc;
	r->channel = chance(rng, 50) ? (int)below(rng, 8) : -1;
	if ((rc = lb_emu_world_create(&r->world)) ||
	    (rc = lb_emu_segment_create(r->world, chance(rng, 70) ? 400 : 1000, &r->seg)) ||
	    (r->channel >= 0 && (rc = lb_emu_segment_add_mux(r->seg, 0x70))) ||
	    (rc = lb_emu_module_create(r->world, r->path, &r->mod[0], err, sizeof(err))) ||
	    (rc = lb_emu_module_create(r->world, r->path, &r->mod[1], err, sizeof(err))) ||
	    (rc = place(r, r->mod[0]))) {
		say(c, "campaign: %s: %s: %s %s\n", c->where, r->path, lb_strerror(rc), err);
		return rc;
	}
	other_serial(r->mod[1]);
	lb_emu_module_remove(r->mod[1]); /* out of any cage until swapped in */
	r->where = (struct lb_module_addr){ .addr = 0x50, .mux_addr = 0x70,
					    .mux_channel = r->channel };
	r->fb = (struct fault_bus){ .seg = r->seg, .emu = r->mod[0], .addr = 0x50,
				    .rng = rnd(rng), .where = c->where };
	if (c->o->lock_dir)
		snprintf(r->lock_path, sizeof(r->lock_path), "%s/campaign.%ld.lock", c->o->lock_dir,
			 (long)getpid());
	if ((rc = lb_bus_open(c->ctx, "campaign", NULL, &r->fb, &r->bus)) ||
	    (r->lock_path[0] && (rc = lb_bus_set_lock_file(r->bus, r->lock_path, 1000))) ||
	    (rc = lb_module_open(r->bus, &r->where, &r->h[0])) ||
	    (rc = lb_module_open(r->bus, &r->where, &r->h[1])) || (rc = learn(r))) {
		say(c, "campaign: %s: set-up: %s\n", c->where, lb_strerror(rc));
		return rc;
	}
	/* Where the episode starts: low power as made, high power, or lanes up. */
	switch (below(rng, 3)) {
	case 1:
		rc = lb_module_set_low_power(r->h[0], false);
		break;
	case 2:
		rc = lb_module_bring_up(r->h[0], 0, 0, NULL);
		break;
	default:
		break;
	}
	if (rc)
		say(c, "campaign: %s: starting state: %s\n", c->where, lb_strerror(rc));
	return rc;
}

static void rig_down(struct rig *r)
{
	lb_module_close(r->h[0]);
	lb_module_close(r->h[1]);
	lb_bus_close(r->bus);
	lb_emu_world_destroy(r->world);
	if (r->lock_path[0]) {
		char claim[1100];
		snprintf(claim, sizeof(claim), "%s.50", r->lock_path);
		unlink(claim);
		for (int ch = 0; ch < 8; ch++) {
			snprintf(claim, sizeof(claim), "%s.70-%d-50", r->lock_path, ch);
			unlink(claim);
		}
		unlink(r->lock_path);
	}
}

/* Whether another process could take the bus lock now: nobody holds it. */
static bool lock_free(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	bool free_ = flock(fd, LOCK_EX | LOCK_NB) == 0;
	if (free_)
		flock(fd, LOCK_UN);
	close(fd);
	return free_;
}

/* The module answers again after a power-on: management init is waited out. */
static void settle_init(struct rig *r)
{
	lb_emu_segment_advance_ns(r->seg, r->timing.reset_ns + 20000000ull);
}

/* A host with a presence pin is told; one without is not (and has to notice). */
static void maybe_tell(struct rig *r, uint64_t *rng)
{
	if (chance(rng, 35)) {
		lb_module_invalidate(r->h[0]);
		lb_module_invalidate(r->h[1]);
		r->unseen_change = false;
	} else {
		r->unseen_change = true;
	}
}

static void event(struct campaign *c, struct rig *r, enum fault f, uint64_t *rng)
{
	struct lb_emu_module *m = cur_mod(r);
	switch (f) {
	case F_SWAP: {
		lb_emu_module_remove(m);
		lb_emu_segment_detach(m);
		r->cur ^= 1;
		struct lb_emu_module *n = cur_mod(r);
		if (place(r, n) != LB_OK)
			say(c, "campaign: %s: swap: attach failed\n", c->where);
		lb_emu_module_insert(n);
		r->fb.emu = n;
		settle_init(r);
		break;
	}
	case F_RESET:
		lb_emu_module_set_resetl(m, 1);
		lb_emu_segment_advance_ns(r->seg, 1000000);
		lb_emu_module_set_resetl(m, 0);
		settle_init(r);
		break;
	case F_POWER_CYCLE:
		lb_emu_module_remove(m);
		lb_emu_segment_advance_ns(r->seg, 5000000);
		lb_emu_module_insert(m);
		settle_init(r);
		break;
	case F_MODFAULT_IDLE:
		lb_emu_module_inject(m, LB_EMU_FAULT_MODULE_FAULT, 1 + below(rng, 255));
		break;
	default:
		return;
	}
	if (f != F_MODFAULT_IDLE)
		maybe_tell(r, rng);
}

/* Whether the module is between states: a reference would depend on exactly when it is read. */
static bool transient(struct rig *r)
{
	struct lb_emu_module *m = cur_mod(r);
	unsigned st = module_state(m);
	if (st == LB_MODULE_STATE_PWR_UP || st == LB_MODULE_STATE_PWR_DN)
		return true;
	/*
	 * A CDB command still executing (CdbStatus, lower byte 37, bit 7: one a faulted call left
	 * behind): the next command is refused busy or taken, by the instant it comes.
	 */
	uint8_t cdb = 0;
	if (r->info.advertised[0x9F] && lb_emu_module_peek(m, 0, 0, 37, &cdb, 1) == LB_OK &&
	    (cdb & 0x80u))
		return true;
	for (unsigned i = 0; i < r->info.lanes; i++) {
		unsigned dp = nibble_at(m, i / 8, 0x11, 128, i % 8);
		if (dp == LB_DP_STATE_INIT || dp == LB_DP_STATE_DEINIT ||
		    dp == LB_DP_STATE_TX_TURN_ON || dp == LB_DP_STATE_TX_TURN_OFF ||
		    nibble_at(m, i / 8, 0x11, 202, i % 8) == LB_CONFIG_STATUS_IN_PROGRESS)
			return true;
		/* a laser tuning (12h:222 bit 1): its frequency moves when the tuning ends, so a
		 * read depends on exactly when it reads, like the other transients */
		uint8_t tuning = 0;
		if (lb_emu_module_peek(m, (uint8_t)(i / 8), 0x12, (uint8_t)(222 + i % 8), &tuning, 1) ==
			    LB_OK && (tuning & 0x02u))
			return true;
	}
	return false;
}

static const struct lb_campaign_call *pick_call(struct campaign *c, uint64_t *rng, unsigned *idx)
{
	unsigned w = below(rng, c->total_weight);
	for (unsigned i = 0; i < c->ncalls; i++) {
		unsigned cw = c->calls[i]->weight ? c->calls[i]->weight : 1;
		if (w < cw) {
			*idx = i;
			return c->calls[i];
		}
		w -= cw;
	}
	*idx = 0;
	return c->calls[0];
}

static enum fault pick_in_call(const struct lb_campaign_call *call, uint64_t *rng)
{
	static const struct { enum fault f; unsigned w; } table[] = {
		{ F_NACK, 30 }, { F_SHORT, 12 }, { F_CORRUPT, 14 }, { F_REMOVE, 12 },
		{ F_STUCK, 12 }, { F_MODFAULT, 10 },
	};
	unsigned w = below(rng, 90);
	enum fault f = F_NACK;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (w < table[i].w) {
			f = table[i].f;
			break;
		}
		w -= table[i].w;
	}
	/* A raw read is the caller's to check: no checksum stands between it and the bytes. */
	if (f == F_CORRUPT && (call->flags & LB_CAMPAIGN_RAW))
		f = F_NACK;
	return f;
}

static enum fault pick_between(uint64_t *rng)
{
	static const enum fault table[] = { F_SWAP, F_SWAP, F_RESET, F_RESET, F_POWER_CYCLE,
					    F_POWER_CYCLE, F_MODFAULT_IDLE };
	return table[below(rng, sizeof(table) / sizeof(table[0]))];
}

static bool outs_equal(const struct lb_campaign_out *x, const struct lb_campaign_out *y)
{
	return x->rc == y->rc && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

/* Each byte of got as in x or as in y. */
static bool outs_mixed(const struct lb_campaign_out *got, const struct lb_campaign_out *x,
		       const struct lb_campaign_out *y)
{
	if (got->len != x->len || got->len != y->len)
		return false;
	for (size_t i = 0; i < got->len; i++)
		if (got->data[i] != x->data[i] && got->data[i] != y->data[i])
			return false;
	return true;
}

static size_t first_diff(const struct lb_campaign_out *x, const struct lb_campaign_out *y)
{
	size_t n = x->len < y->len ? x->len : y->len;
	for (size_t i = 0; i < n; i++)
		if (x->data[i] != y->data[i])
			return i;
	return n;
}

static void describe_args(const struct lb_campaign_call *call, const struct lb_campaign_args *a,
			  char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s(lanes 0x%x, appsel %u, flag %d, dpid %d", call->name,
			 a->lane_mask, a->appsel, a->flag, a->dpid);
	for (unsigned k = 0; k < a->n && n > 0 && (size_t)n < len; k++)
		n += snprintf(buf + n, len - (size_t)n, "%s bank %u page %02xh %u+%u",
			      k ? ";" : ",", a->r[k].bank, a->r[k].page, a->r[k].offset, a->r[k].len);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, ")");
}

struct step_fault {
	enum fault kind;
	uint64_t at;
	bool fired;
};

static void failure(struct campaign *c, const char *what, const struct lb_campaign_call *call,
		    const struct lb_campaign_args *a, unsigned hi, const struct step_fault *f,
		    const char *detail)
{
	char args[400], fault[96], line[1200];
	describe_args(call, a, args, sizeof(args));
	if (f->kind >= F_SWAP || f->kind == F_NONE)
		snprintf(fault, sizeof(fault), "%s%s", fault_names[f->kind],
			 f->kind == F_NONE ? "" : " before the call");
	else
		snprintf(fault, sizeof(fault), "%s at transaction %" PRIu64 "%s", fault_names[f->kind],
			 f->at, f->fired ? "" : " (never came)");
	snprintf(line, sizeof(line), "%s: %s on handle %u, fault %s: %s", what, args, hi, fault,
		 detail);
	say(c, "campaign: %s: %s\n", c->where, line);
	first_failure(c, line);
}

/*
 * One step: a call with its arguments, maybe a fault, the reference, the call, the judgement.
 * *forced: the step before ended in an error, so this one runs fault-free and must be exact.
 */
static void step(struct campaign *c, struct rig *r, uint64_t *rng, bool *forced,
		 unsigned *last_call)
{
	struct lb_campaign_stats *st = c->st;
	unsigned idx;
	const struct lb_campaign_call *call = NULL;
	struct lb_campaign_args a;
	bool must_be_exact = *forced;
	*forced = false;
	/* After an error the caller often retries the same call, with new arguments. */
	for (unsigned tries = 0; tries < 64; tries++) {
		memset(&a, 0, sizeof(a));
		a.dpid = -1;
		if (must_be_exact && tries == 0 && chance(rng, 50)) {
			idx = *last_call;
			call = c->calls[idx];
		} else {
			call = pick_call(c, rng, &idx);
		}
		if (call->pick(&r->info, rng, &a))
			break;
		call = NULL;
	}
	if (!call)
		return;
	*last_call = idx;
	unsigned hi = chance(rng, 25) ? 1u : 0u;
	struct lb_module *h = r->h[hi];
	struct step_fault f = { .kind = F_NONE };
	unsigned roll = below(rng, 100);
	if (!must_be_exact) {
		if (roll < 20)
			f.kind = pick_between(rng);
		else if (roll >= 30)
			f.kind = pick_in_call(call, rng);
	}
	/* A faulty module stays faulty until reset: heal it now and then. */
	if (f.kind == F_NONE && !must_be_exact && module_state(cur_mod(r)) == LB_MODULE_STATE_FAULT &&
	    chance(rng, 50))
		f.kind = F_RESET;
	if (f.kind >= F_SWAP) {
		event(c, r, f.kind, rng);
		f.fired = true;
	}
	bool mutates = (call->flags & LB_CAMPAIGN_MUTATES) != 0;
	/* A read's reference must not depend on when exactly it reads: let the module settle. */
	if (!mutates && (r->unsettled || transient(r))) {
		lb_emu_segment_advance_ns(r->seg, r->settle_ns);
		r->unsettled = false;
	}
	/* A module between states answers a change by the instant it sees it. */
	bool moving = transient(r);
	char *snap = NULL;
	if (lb_emu_module_save_state(cur_mod(r), &snap) != LB_OK) {
		say(c, "campaign: %s: cannot save the module's state\n", c->where);
		return;
	}
	uint64_t t0 = lb_emu_segment_now_ns(r->seg), ref_tx = 0, ref_ns = 0;
	if (reference(c, r, snap, t0, call, &a, c->ref, 0, 0, &ref_tx, &ref_ns)) {
		free(snap);
		return;
	}
	/* The fault inside the call: at a transaction the call is likely to make. */
	struct fault_bus *fb = &r->fb;
	fb_disarm(fb);
	unsigned cause = 1 + below(rng, 255);
	if (f.kind != F_NONE && f.kind < F_SWAP) {
		uint64_t est = r->est_tx[idx] ? r->est_tx[idx] : ref_tx;
		f.at = 1 + below(rng, (unsigned)(est ? est : 1));
		fb->kind = f.kind;
		fb->at = f.at;
		fb->n = 1 + below(rng, 3);
		fb->cause = cause;
	}
	fb->start_ns = lb_emu_segment_now_ns(r->seg);
	fb->bound_ns = r->bound_ns;
	memset(c->got, 0, offsetof(struct lb_campaign_out, data));
	call->run(h, &a, c->got);
	uint64_t took = lb_emu_segment_now_ns(r->seg) - fb->start_ns, tx = fb->count;
	bool hung = fb->hung || took > r->bound_ns;
	if (f.kind < F_SWAP)
		f.fired = fb->fired;
	fb_disarm(fb);
	if (f.kind == F_NONE || (f.kind < F_SWAP && !f.fired))
		r->est_tx[idx] = tx;
	/* Undo what outlives the call: a stuck module, a module pulled out. */
	if (f.fired && f.kind == F_STUCK)
		lb_emu_module_inject(cur_mod(r), LB_EMU_FAULT_STUCK_BUSY, 0);
	if (f.fired && f.kind == F_REMOVE) {
		lb_emu_module_insert(cur_mod(r));
		settle_init(r);
		maybe_tell(r, rng);
	}

	st->calls++;
	if (f.fired && f.kind != F_NONE) {
		st->faults++;
		st->by_fault[f.kind]++;
	}
	const struct lb_campaign_out *got = c->got, *ref = c->ref;
	bool ok = (call->flags & LB_CAMPAIGN_VALUE) ? got->rc >= 0 : got->rc == LB_OK;
	bool ref_ok = (call->flags & LB_CAMPAIGN_VALUE) ? ref->rc >= 0 : ref->rc == LB_OK;
	char detail[600];
	if (c->o->verbose) {
		char args[400];
		describe_args(call, &a, args, sizeof(args));
		say(c, "campaign: %s: %s h%u fault %s@%" PRIu64 "%s: %s %d (reference %d), %" PRIu64
		       " transfers, %.3f ms\n",
		    c->where, args, hi, fault_names[f.kind], f.at, f.fired ? "" : " (not fired)",
		    got->rc > 0 ? "value" : lb_status_name(got->rc), got->rc, ref->rc, tx,
		    (double)took / 1e6);
	}
	if (hung) {
		st->hangs++;
		snprintf(detail, sizeof(detail), "took %.3f s of virtual time, bound %.3f s",
			 (double)took / 1e9, (double)r->bound_ns / 1e9);
		failure(c, "HANG", call, &a, hi, &f, detail);
	}
	bool wrong = false;
	const char *why = NULL;
	bool faulted = f.fired && f.kind == F_MODFAULT;
	/* A module that faulted during the call is undefined afterwards: nothing to hold it to. */
	if (ok && mutates && !faulted) {
		why = call->intent ? call->intent(cur_mod(r), &r->info, &a) : NULL;
		if (!why && !ref_ok && (ref->rc == LB_E_INVAL || ref->rc == LB_E_NOTSUP))
			why = "LB_OK where the fault-free call refuses the arguments";
		wrong = why != NULL;
		if (wrong)
			snprintf(detail, sizeof(detail), "LB_OK but %s (reference %s)", why,
				 lb_status_name(ref->rc));
	} else if (ok) {
		bool same = outs_equal(got, ref);
		/*
		 * A module fault that came during the call shows in what it read after it: each
		 * byte as before the fault or as after it.
		 */
		if (!same && faulted &&
		    reference(c, r, snap, t0, call, &a, c->alt, 0, cause, NULL, NULL) == LB_OK)
			same = outs_mixed(got, ref, c->alt);
		/* A fault the call absorbed (a busy NACK retried) read it a little later. */
		if (!same && took > ref_ns &&
		    reference(c, r, snap, t0, call, &a, c->alt, took - ref_ns, 0, NULL, NULL) == LB_OK)
			same = outs_equal(got, c->alt);
		wrong = !same;
		if (wrong) {
			if (got->rc != ref->rc)
				snprintf(detail, sizeof(detail), "returned %d, the reference %s", got->rc,
					 lb_status_name(ref->rc));
			else
				snprintf(detail, sizeof(detail),
					 "LB_OK with other results: first difference at byte %zu of %zu",
					 first_diff(got, ref), got->len);
		}
	}
	/* LB_E_CHANGED: right when the module changed unseen, else a false alarm. */
	bool changed_ok = false;
	if (got->rc == LB_E_CHANGED) {
		changed_ok = r->unseen_change;
		r->unseen_change = false;
		if (!changed_ok) {
			st->false_changes++;
			failure(c, "FALSE LB_E_CHANGED", call, &a, hi, &f,
				"the module was neither reset nor replaced");
		}
	}
	bool exact_fail = false;
	if (must_be_exact && !wrong && !changed_ok && got->rc != LB_E_CHANGED) {
		/*
		 * Exact, or LB_E_FAULT from a module in ModuleFault (when a wait looks at the module
		 * state depends on how long it ran, so the twin may not have looked).
		 */
		bool exact = got->rc == ref->rc || (ok && mutates) ||
			     (got->rc == LB_E_FAULT && module_state(cur_mod(r)) == LB_MODULE_STATE_FAULT);
		/*
		 * A change asked of a module between states (lanes still initialising after the
		 * error) is the module's to accept or reject, at the instant it sees it: the twin,
		 * whose cold handle reads the advertisement first, comes to it a few ms later.
		 */
		if (!exact && mutates && moving && got->rc == LB_E_REJECTED)
			exact = true;
		if (exact && ok && !mutates)
			exact = outs_equal(got, ref);
		if (!exact) {
			exact_fail = true;
			st->not_recovered++;
			snprintf(detail, sizeof(detail), "%s where the fault-free reference gives %s",
				 lb_status_name(got->rc), lb_status_name(ref->rc));
			failure(c, "NOT RECOVERED after an error", call, &a, hi, &f, detail);
		}
	}
	if (wrong) {
		st->silent_wrong++;
		failure(c, "SILENT WRONG VALUE", call, &a, hi, &f, detail);
	} else if (!exact_fail) {
		if (got->rc == ref->rc || (ok && ref_ok))
			st->correct++;
		else
			st->clean_errors++;
	}
	if (!ok && got->rc != ref->rc)
		*forced = true;
	if (!ok && mutates)
		r->unsettled = true;
	/* The handle says why its call failed, and nothing after a success. */
	if (!(call->flags & LB_CAMPAIGN_SEVERAL)) {
		const char *le = lb_module_last_error(h);
		if (ok == (le[0] != '\0')) {
			st->bad_details++;
			snprintf(detail, sizeof(detail), "%s, lb_module_last_error \"%s\"",
				 lb_status_name(got->rc), le);
			failure(c, "BAD DETAIL", call, &a, hi, &f, detail);
		}
	}
	/* No claim, and not the bus's lock, outlives a call. */
	for (unsigned k = 0; k < 2; k++) {
		if (lb_module_claimed(r->h[k], NULL, 0) != LB_CLAIM_NONE) {
			st->claims_left++;
			failure(c, "CLAIM LEFT HELD", call, &a, hi, &f, "after the call");
			lb_module_release(r->h[k]);
		}
	}
	if (r->lock_path[0] && !lock_free(r->lock_path)) {
		st->claims_left++;
		failure(c, "BUS LOCK LEFT HELD", call, &a, hi, &f, "after the call");
	}
	free(snap);
}

static int episode(struct campaign *c, uint64_t e)
{
	uint64_t rng = mix64(c->o->seed ^ mix64(e + 1));
	struct rig *r = calloc(1, sizeof(*r));
	if (!r)
		return LB_E_NOMEM;
	snprintf(c->where, sizeof(c->where), "seed %" PRIu64 " episode %" PRIu64 " set-up",
		 c->o->seed, e);
	int rc = rig_up(c, r, &rng);
	if (rc == LB_OK) {
		uint64_t t0 = lb_emu_world_now_ns(r->world);
		bool forced = false;
		unsigned last = 0, steps = c->o->steps ? c->o->steps : 24;
		for (unsigned k = 0; k < steps; k++) {
			snprintf(c->where, sizeof(c->where),
				 "seed %" PRIu64 " episode %" PRIu64 " step %u (%s)", c->o->seed, e, k,
				 r->profile);
			step(c, r, &rng, &forced, &last);
			if (c->o->episode < 0 && c->st->faults >= c->o->faults)
				break;
		}
		c->st->virtual_ns += lb_emu_world_now_ns(r->world) - t0;
	}
	rig_down(r);
	free(r);
	c->st->episodes++;
	return rc;
}

int lb_campaign_run(const struct lb_campaign_opts *o, struct lb_campaign_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct campaign c = { .o = o, .st = st, .log = o->log ? o->log : stderr };
	const struct lb_campaign_table deflt = { lb_campaign_module_calls, lb_campaign_module_ncalls };
	const struct lb_campaign_table *tables = o->tables ? o->tables : &deflt;
	unsigned nt = o->tables ? o->n_tables : 1;
	for (unsigned t = 0; t < nt; t++)
		for (unsigned i = 0; i < tables[t].n && c.ncalls < MAX_CALLS; i++) {
			c.calls[c.ncalls++] = &tables[t].calls[i];
			c.total_weight += tables[t].calls[i].weight ? tables[t].calls[i].weight : 1;
		}
	if (!c.ncalls)
		return LB_E_INVAL;
	c.got = calloc(1, sizeof(*c.got));
	c.ref = calloc(1, sizeof(*c.ref));
	c.alt = calloc(1, sizeof(*c.alt));
	int rc = c.got && c.ref && c.alt ? LB_OK : LB_E_NOMEM;
	const struct lb_driver *d;
	if (!rc && (rc = lb_ctx_create(&c.ctx)) == LB_OK && (rc = lb_emu_register_drivers(c.ctx)) == LB_OK &&
	    lb_ctx_find_driver(c.ctx, LB_DRIVER_BUS, "campaign", &d) != LB_OK)
		rc = lb_ctx_register_driver(c.ctx, &fb_driver);
	if (rc == LB_OK) {
		if (o->episode >= 0) {
			rc = episode(&c, (uint64_t)o->episode);
		} else {
			for (uint64_t e = 0; st->faults < o->faults && rc == LB_OK; e++)
				rc = episode(&c, e);
		}
	}
	lb_ctx_destroy(c.ctx);
	free(c.got);
	free(c.ref);
	free(c.alt);
	return rc;
}

bool lb_campaign_clean(const struct lb_campaign_stats *st)
{
	return !st->silent_wrong && !st->hangs && !st->not_recovered && !st->claims_left &&
	       !st->false_changes && !st->bad_details;
}

void lb_campaign_print(FILE *f, const struct lb_campaign_opts *o, const struct lb_campaign_stats *st)
{
	fprintf(f, "seed %" PRIu64 ": %" PRIu64 " episodes, %" PRIu64 " calls, %" PRIu64
		   " faults injected, %.1f s of virtual time\n",
		o->seed, st->episodes, st->calls, st->faults, (double)st->virtual_ns / 1e9);
	lb_campaign_print_counts(f, st, lb_campaign_fault_name);
}

void lb_campaign_print_counts(FILE *f, const struct lb_campaign_stats *st, const char *(*name)(unsigned k))
{
	fprintf(f, "  correct %" PRIu64 ", clean errors %" PRIu64 ", silent wrong values %" PRIu64
		   ", hangs %" PRIu64 ", not recovered %" PRIu64 ", locks or claims left %" PRIu64
		   ", false LB_E_CHANGED %" PRIu64 ", bad details %" PRIu64 "\n",
		st->correct, st->clean_errors, st->silent_wrong, st->hangs, st->not_recovered,
		st->claims_left, st->false_changes, st->bad_details);
	fprintf(f, "  faults:");
	for (unsigned k = 1; k < 16 && name(k); k++)
		fprintf(f, " %s %" PRIu64, name(k), st->by_fault[k]);
	fprintf(f, "\n");
	if (st->first_failure[0])
		fprintf(f, "  first failure: %s\n", st->first_failure);
}
