/* SPDX-License-Identifier: MIT */
/* The ASIC fault campaign's engine (campaign_asic.h); the rows are in campaign_asic_calls.c. */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>
#include <lightbridge/asic.h>
#include <lightbridge/buffer.h>
#include <lightbridge/emu_asic_regs.h>
#include <lightbridge/emulator.h>
#include <lightbridge/hyperport.h>
#include "campaign_asic.h"

#define PROFILE "small"
#define STEP_NS 1000000u     /* virtual time between two steps: the traffic moves the counters */
/* a call past this many accesses hangs (a view learnt again after an error takes ~2,000) */
#define ACCESS_BOUND(n) (4u * (n) + 4096u)

static const char *const fault_names[] = { NULL, "read-timeout", "all-ones", "write-lost",
					   "stuck-command", "reset" };

const char *lb_campaign_asic_fault_name(unsigned k)
{
	return k && k < sizeof(fault_names) / sizeof(fault_names[0]) ? fault_names[k] : NULL;
}

static uint64_t next(uint64_t *s) /* splitmix64 */
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* A chip and the switch on it. */
struct chip {
	struct lb_emu_world *w;
	struct lb_emu_asic *a;
	struct lb_ctx *ctx;
	struct lb_switch *sw;
};

static void chip_close(struct chip *c)
{
	if (c->sw)
		lb_switch_close(c->sw);
	if (c->ctx)
		lb_ctx_destroy(c->ctx);
	if (c->w)
		lb_emu_world_destroy(c->w);
	memset(c, 0, sizeof(*c));
}

/* Power-on, plus (setup) what every episode starts from: traffic on port 0, two pools, two
 * profiles, port 0 up, a SecY on port 1 with its SCs. */
static int chip_open(struct chip *c, bool setup)
{
	memset(c, 0, sizeof(*c));
	int rc;
	if ((rc = lb_emu_world_create(&c->w)) || (rc = lb_emu_asic_create(c->w, PROFILE, &c->a)) ||
	    (rc = lb_ctx_create(&c->ctx)) || (rc = lb_emu_register_drivers(c->ctx)) ||
	    (rc = lb_switch_open(c->ctx, "emulated", NULL, c->a, &c->sw)))
		return rc;
	struct lb_emu_asic_traffic t = { .size = sizeof(t), .load = 0.5, .frame_bytes = 1000 };
	if ((rc = lb_emu_asic_set_traffic(c->a, 0, &t)) || !setup)
		return rc;
	struct lb_buffer_pool_config pool = LB_BUFFER_POOL_CONFIG_INIT;
	uint32_t n;
	pool.type = LB_BUFFER_POOL_INGRESS;
	pool.size_bytes = 32u << 20;
	pool.xoff_bytes = 8u << 20;
	if ((rc = lb_buffer_pool_create(c->sw, &pool, &n)))
		return rc;
	pool.type = LB_BUFFER_POOL_EGRESS;
	pool.size_bytes = 16u << 20;
	pool.xoff_bytes = 0;
	if ((rc = lb_buffer_pool_create(c->sw, &pool, &n)))
		return rc;
	for (uint32_t p = 0; p < 2; p++) {
		struct lb_buffer_profile_config pr = LB_BUFFER_PROFILE_CONFIG_INIT;
		pr.pool = p;
		pr.reserved_bytes = 4096;
		pr.xoff_bytes = p ? 0 : 65536;
		pr.dynamic_th = -2;
		if ((rc = lb_buffer_profile_create(c->sw, &pr, &n)))
			return rc;
	}
	struct lb_asic_port_config up = LB_ASIC_PORT_CONFIG_INIT;
	up.admin_up = 1;
	if ((rc = lb_asic_port_set(c->sw, 0, &up, LB_ASIC_PORT_SET_ADMIN)))
		return rc;
	struct lb_macsec_secy_config s = LB_MACSEC_SECY_CONFIG_INIT;
	s.enable = 1;
	s.encrypt = 1;
	s.cipher = LB_MACSEC_GCM_AES_128;
	s.replay_protect = 1;
	s.sci = 0x020000000001ull << 16 | 1;
	if ((rc = lb_macsec_secy_set(c->sw, 1, &s)) || (rc = lb_macsec_sc_create(c->sw, 1, LB_MACSEC_TX, 0)) ||
	    (rc = lb_macsec_sc_create(c->sw, 1, LB_MACSEC_RX, 0x020000000002ull << 16 | 1)))
		return rc;
	return LB_OK;
}

/* ---- the chip's configuration, read from its registers (faults disarmed) ---- */

/* Registers that hold configuration, and none whose read has an effect (no command status,
 * no CNT_CTRL, no TALLY). */
struct image {
	uint32_t n;
	uint32_t v[16384];
};

static void put(struct lb_emu_asic *a, struct image *im, uint32_t addr)
{
	uint32_t v = 0xDEADBEEFu;
	(void)lb_emu_asic_read32(a, addr, &v);
	if (im->n < sizeof(im->v) / sizeof(im->v[0]))
		im->v[im->n++] = v;
}

static void image_of(struct lb_emu_asic *a, struct image *im)
{
	im->n = 0;
	uint32_t acked = 0;
	(void)lb_emu_asic_read32(a, LB_EMU_ASIC_REG_EPOCH_ACK, &acked);
	im->v[im->n++] = acked != 0; /* 0 while a reset waits for the driver */
	for (uint32_t p = 0; p < 32; p++) {
		put(a, im, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_STATUS)); /* exists, oper, reason */
		for (uint32_t off = LB_EMU_ASIC_P_LIVE_LANES; off <= LB_EMU_ASIC_P_LIVE_MTU; off += 4)
			put(a, im, LB_EMU_ASIC_PORT_REG(p, off));
		for (uint32_t i = 0; i < LB_EMU_ASIC_PORT_PGS; i++)
			put(a, im, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_PG(i)));
		for (uint32_t i = 0; i < LB_EMU_ASIC_PORT_QUEUES; i++)
			put(a, im, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_QUEUE(i)));
		for (uint32_t off = 0; off <= LB_EMU_ASIC_QOS_PFC_QUEUE; off += 4)
			put(a, im, LB_EMU_ASIC_QOS_REG(p, LB_EMU_ASIC_QOS_LIVE + off));
		for (uint32_t off = LB_EMU_ASIC_M_LIVE_CTRL; off <= LB_EMU_ASIC_M_TX_AN; off += 4)
			put(a, im, LB_EMU_ASIC_MACSEC_REG(p, off));
		for (uint32_t q = 0; q < 8; q++) /* ECN/WRED and the PFC watchdog in force */
			for (uint32_t off = 0; off < LB_EMU_ASIC_CC_Q_COMMAND; off += 4)
				put(a, im, LB_EMU_ASIC_CC_REG(p, LB_EMU_ASIC_CC_Q_LIVE(q, off)));
		for (uint32_t tc = 0; tc < 8; tc++)
			for (uint32_t off = LB_EMU_ASIC_CC_WD_LIVE_DETECT; off <= LB_EMU_ASIC_CC_WD_LIVE_ACTION; off += 4)
				put(a, im, LB_EMU_ASIC_CC_REG(p, LB_EMU_ASIC_CC_WD(tc, off)));
		for (uint32_t dir = 0; dir < 2; dir++)
			for (uint32_t an = 0; an < 4; an++) {
				put(a, im, LB_EMU_ASIC_MACSEC_REG(p, LB_EMU_ASIC_M_SA(dir, an, LB_EMU_ASIC_M_SA_STATE)));
				put(a, im, LB_EMU_ASIC_MACSEC_REG(p, LB_EMU_ASIC_M_SA(dir, an, LB_EMU_ASIC_M_SA_NEXT_PN)));
			}
	}
	for (uint32_t n = 0; n < LB_EMU_ASIC_POOLS; n++) {
		put(a, im, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_EXISTS));
		for (uint32_t off = 0; off <= LB_EMU_ASIC_POOL_XOFF + 4; off += 4)
			put(a, im, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_LIVE + off));
	}
	for (uint32_t n = 0; n < LB_EMU_ASIC_PROFILES; n++) {
		put(a, im, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_EXISTS));
		for (uint32_t off = 0; off <= LB_EMU_ASIC_PROF_XON_OFFSET + 4; off += 4)
			put(a, im, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_LIVE + off));
	}
	for (uint32_t h = 0; h < LB_EMU_ASIC_HPS; h++) {
		put(a, im, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_STATE));
		for (uint32_t i = 0; i < 4; i++)
			put(a, im, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_LIVE_MEMBER(i)));
		put(a, im, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_LIVE_HASH));
	}
}

static bool same_image(const struct image *x, const struct image *y)
{
	return x->n == y->n && memcmp(x->v, y->v, x->n * sizeof(x->v[0])) == 0;
}

/* ---- the switch's view against the chip's registers, fault-free ---- */

static uint32_t reg(struct lb_emu_asic *a, uint32_t addr)
{
	uint32_t v = 0;
	(void)lb_emu_asic_read32(a, addr, &v);
	return v;
}

/* NULL when the switch's view is the chip's, else what differs (in buf). */
static const char *view_wrong(struct chip *c, char *buf, size_t len)
{
	for (uint32_t p = 0; p < 32; p++) {
		struct lb_asic_port_config cfg = LB_ASIC_PORT_CONFIG_INIT;
		int rc = lb_asic_port_get(c->sw, p, &cfg);
		bool chip_has = reg(c->a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_STATUS)) & 1;
		if (rc != LB_OK && rc != LB_E_NOTFOUND) {
			snprintf(buf, len, "port %u: get: %s", p, lb_status_name(rc));
			return buf;
		}
		if ((rc == LB_OK) != chip_has) {
			snprintf(buf, len, "port %u: the switch says %s, the chip %s", p, rc ? "none" : "one",
				 chip_has ? "has it" : "has none");
			return buf;
		}
		if (rc == LB_OK &&
		    (cfg.speed_mbps != reg(c->a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_LIVE_SPEED)) ||
		     cfg.mtu != reg(c->a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_LIVE_MTU)) ||
		     (uint32_t)cfg.admin_up != (reg(c->a, LB_EMU_ASIC_PORT_REG(p, LB_EMU_ASIC_P_LIVE_CTRL)) & 1))) {
			snprintf(buf, len, "port %u: the switch's configuration is not the chip's", p);
			return buf;
		}
	}
	for (uint32_t n = 0; n < LB_EMU_ASIC_POOLS; n++) {
		struct lb_buffer_pool_config cfg = LB_BUFFER_POOL_CONFIG_INIT;
		int rc = lb_buffer_pool_get(c->sw, n, &cfg);
		bool chip_has = reg(c->a, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_EXISTS)) != 0;
		if ((rc == LB_OK) != chip_has ||
		    (rc == LB_OK && (uint32_t)cfg.size_bytes !=
					    reg(c->a, LB_EMU_ASIC_POOL_REG(n, LB_EMU_ASIC_POOL_LIVE + LB_EMU_ASIC_POOL_SIZE)))) {
			snprintf(buf, len, "pool %u: the switch's view (%s) is not the chip's", n, lb_status_name(rc));
			return buf;
		}
	}
	for (uint32_t n = 0; n < LB_EMU_ASIC_PROFILES; n++) {
		struct lb_buffer_profile_config cfg = LB_BUFFER_PROFILE_CONFIG_INIT;
		int rc = lb_buffer_profile_get(c->sw, n, &cfg);
		bool chip_has = reg(c->a, LB_EMU_ASIC_PROFILE_REG(n, LB_EMU_ASIC_PROF_EXISTS)) != 0;
		if ((rc == LB_OK) != chip_has) {
			snprintf(buf, len, "profile %u: the switch's view (%s) is not the chip's", n, lb_status_name(rc));
			return buf;
		}
	}
	for (uint32_t h = 0; h < LB_EMU_ASIC_HPS; h++) {
		struct lb_hyperport_config cfg = LB_HYPERPORT_CONFIG_INIT;
		int rc = lb_hyperport_get(c->sw, h, &cfg);
		bool chip_has = reg(c->a, LB_EMU_ASIC_HP_REG(h, LB_EMU_ASIC_HP_STATE)) & 1;
		if ((rc == LB_OK) != chip_has) {
			snprintf(buf, len, "hyperport %u: the switch's view (%s) is not the chip's", h,
				 lb_status_name(rc));
			return buf;
		}
	}
	return NULL;
}

/* ---- the engine ---- */

struct run {
	const struct lb_campaign_asic_opts *o;
	struct lb_campaign_stats *st;
	FILE *log;
	const struct lb_campaign_asic_call *calls;
	unsigned n_calls;
	long episode;
	unsigned step;
};

static void failure(struct run *r, uint64_t *counter, const char *call, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void failure(struct run *r, uint64_t *counter, const char *call, const char *fmt, ...)
{
	char what[320];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	(*counter)++;
	char line[512];
	snprintf(line, sizeof(line), "seed %" PRIu64 " episode %ld step %u: %s: %s", r->o->seed, r->episode,
		 r->step, call, what);
	if (!r->st->first_failure[0])
		snprintf(r->st->first_failure, sizeof(r->st->first_failure), "%s", line);
	fprintf(r->log, "asic campaign: %s\n", line);
}

static bool same_out(const struct lb_campaign_out *x, const struct lb_campaign_out *y)
{
	return x->rc == y->rc && x->len == y->len && memcmp(x->data, y->data, x->len) == 0;
}

static uint64_t fired_total(struct lb_emu_asic *a, uint64_t by[LB_EMU_ASIC_FAULT_KINDS])
{
	uint64_t n = 0;
	for (unsigned k = 0; k < LB_EMU_ASIC_FAULT_KINDS; k++)
		n += by[k] = lb_emu_asic_faults_fired(a, (enum lb_emu_asic_fault)k);
	return n;
}

static struct lb_campaign_out ref_out, dut_out, again_out, fresh_out;
static struct image before, ref_after, dut_after, fresh_after;

/* After a reset, LB_OK must be the answer of a chip at power-on: the call on a fresh one.
 * NULL when it is, else what is wrong. */
static const char *not_as_power_on(const struct lb_campaign_asic_call *call, uint64_t word)
{
	struct chip fresh;
	if (chip_open(&fresh, false)) {
		chip_close(&fresh);
		return "a chip at power-on could not be made";
	}
	memset(&fresh_out, 0, sizeof(fresh_out));
	call->run(fresh.sw, word, &fresh_out);
	image_of(fresh.a, &fresh_after);
	chip_close(&fresh);
	if (call->flags & LB_CAMPAIGN_ASIC_VOLATILE)
		return NULL; /* counters since the reset: any */
	if (!same_out(&dut_out, &fresh_out))
		return "LB_OK with another result than a chip at power-on gives (a view from before the reset?)";
	if ((call->flags & LB_CAMPAIGN_MUTATES) && !same_image(&dut_after, &fresh_after))
		return "LB_OK but the chip does not hold what a chip at power-on would";
	return NULL;
}

/* One step: the reference on the twin, then the call under a fault. false: end the episode. */
static bool step(struct run *r, struct chip *twin, struct chip *dut, uint64_t *rng)
{
	const struct lb_campaign_asic_call *call = &r->calls[next(rng) % r->n_calls];
	uint64_t word = next(rng);
	lb_emu_world_advance_ns(twin->w, STEP_NS);
	lb_emu_world_advance_ns(dut->w, STEP_NS);

	image_of(dut->a, &before);
	memset(&ref_out, 0, sizeof(ref_out));
	uint64_t t0 = lb_emu_asic_accesses(twin->a);
	call->run(twin->sw, word, &ref_out);
	uint64_t ref_accesses = lb_emu_asic_accesses(twin->a) - t0;
	image_of(twin->a, &ref_after);

	/* the fault: in the call at a random access of the reference's, or a reset before it */
	unsigned kind = (unsigned)(next(rng) % LB_EMU_ASIC_FAULT_KINDS);
	uint64_t at = kind == LB_EMU_ASIC_FAULT_RESET || !ref_accesses ? 0 : next(rng) % ref_accesses;
	uint64_t by0[LB_EMU_ASIC_FAULT_KINDS], by1[LB_EMU_ASIC_FAULT_KINDS];
	uint64_t f0 = fired_total(dut->a, by0);
	lb_emu_asic_fault_arm(dut->a, (enum lb_emu_asic_fault)kind, at);
	if (kind == LB_EMU_ASIC_FAULT_RESET) { /* between calls: now, even before a call that reads nothing */
		uint32_t epoch;
		(void)lb_emu_asic_read32(dut->a, LB_EMU_ASIC_REG_EPOCH, &epoch);
	}
	memset(&dut_out, 0, sizeof(dut_out));
	lb_ctx_clear_error(dut->ctx);
	uint64_t d0 = lb_emu_asic_accesses(dut->a);
	call->run(dut->sw, word, &dut_out);
	uint64_t dut_accesses = lb_emu_asic_accesses(dut->a) - d0;
	lb_emu_asic_faults_clear(dut->a);
	bool fired = fired_total(dut->a, by1) != f0;
	bool reset = by1[LB_EMU_ASIC_FAULT_RESET] != by0[LB_EMU_ASIC_FAULT_RESET];
	if (fired) {
		r->st->faults++;
		r->st->by_fault[kind + 1]++;
	}
	r->st->calls++;
	image_of(dut->a, &dut_after);
	if (r->o->verbose)
		fprintf(r->log, "  episode %ld step %u: %s (word %016" PRIx64 "): reference %s, %s fault at "
			"%" PRIu64 "%s: %s\n", r->episode, r->step, call->name, word, lb_status_name(ref_out.rc),
			fault_names[kind + 1], at, fired ? "" : " (not reached)", lb_status_name(dut_out.rc));

	if (dut_accesses > ACCESS_BOUND(ref_accesses))
		failure(r, &r->st->hangs, call->name, "%" PRIu64 " register accesses (the reference took %" PRIu64 ")",
			dut_accesses, ref_accesses);
	if (dut_out.rc == LB_OK && reset) {
		const char *wrong = not_as_power_on(call, word);
		if (wrong)
			failure(r, &r->st->silent_wrong, call->name, "after a reset: %s", wrong);
		else
			r->st->correct++;
		return false; /* the chips differ from here */
	}
	if (dut_out.rc == LB_OK) {
		if (!same_out(&dut_out, &ref_out))
			failure(r, &r->st->silent_wrong, call->name, "LB_OK with another result than the reference's (%s)",
				lb_status_name(ref_out.rc));
		else if ((call->flags & LB_CAMPAIGN_MUTATES) && !same_image(&dut_after, &ref_after))
			failure(r, &r->st->silent_wrong, call->name, "LB_OK but the chip does not hold what was asked");
		else
			r->st->correct++;
		return true;
	}
	if (!lb_ctx_last_error(dut->ctx)[0])
		failure(r, &r->st->bad_details, call->name, "%s without a detail", lb_status_name(dut_out.rc));
	if (dut_out.rc == ref_out.rc && same_out(&dut_out, &ref_out) && same_image(&dut_after, &ref_after)) {
		r->st->correct++; /* the chip's own refusal, as on the twin */
		return true;
	}
	if (!fired) {
		failure(r, &r->st->silent_wrong, call->name, "%s with no fault (the reference: %s)",
			lb_status_name(dut_out.rc), lb_status_name(ref_out.rc));
		return false;
	}
	if (dut_out.rc == LB_E_CHANGED && !reset)
		failure(r, &r->st->false_changes, call->name, "LB_E_CHANGED with no reset");
	r->st->clean_errors++;
	if (!reset && !same_image(&dut_after, &before) && !same_image(&dut_after, &ref_after))
		failure(r, &r->st->silent_wrong, call->name, "%s and the chip half changed (neither as it was nor "
			"as asked)", lb_status_name(dut_out.rc));
	/* the switch's view must be the chip's now (one LB_E_CHANGED allowed after a reset) */
	char why[200];
	size_t n;
	int rc = lb_asic_port_list(dut->sw, NULL, 0, &n);
	if (rc == LB_E_CHANGED && reset)
		rc = lb_asic_port_list(dut->sw, NULL, 0, &n);
	const char *wrong = rc ? lb_status_name(rc) : view_wrong(dut, why, sizeof(why));
	if (wrong) {
		failure(r, &r->st->not_recovered, call->name, "after %s: the view: %s", lb_status_name(dut_out.rc), wrong);
		return false;
	}
	/* a read again, fault-free: exact (when the chips still agree) */
	if (!(call->flags & (LB_CAMPAIGN_MUTATES | LB_CAMPAIGN_ASIC_VOLATILE)) && same_image(&dut_after, &ref_after)) {
		memset(&again_out, 0, sizeof(again_out));
		call->run(dut->sw, word, &again_out);
		if (!same_out(&again_out, &ref_out))
			failure(r, &r->st->not_recovered, call->name, "the next fault-free call: %s, not the reference's %s",
				lb_status_name(again_out.rc), lb_status_name(ref_out.rc));
	}
	return false; /* the chips may differ from here (a change undone, counters cleared or not) */
}

int lb_campaign_asic_run(const struct lb_campaign_asic_opts *o, struct lb_campaign_stats *st)
{
	memset(st, 0, sizeof(*st));
	struct run r = { .o = o, .st = st, .log = o->log ? o->log : stderr,
			 .calls = o->calls ? o->calls : lb_campaign_asic_calls,
			 .n_calls = o->calls ? o->n_calls : lb_campaign_asic_ncalls };
	if (!r.n_calls)
		return LB_E_INVAL;
	unsigned steps = o->steps ? o->steps : 16;
	for (long e = o->episode >= 0 ? o->episode : 0;; e++) {
		r.episode = e;
		uint64_t rng = o->seed * 0x100000001B3ull ^ (uint64_t)e;
		struct chip twin, dut;
		int rc = chip_open(&twin, true);
		if (rc == LB_OK)
			rc = chip_open(&dut, true);
		if (rc) {
			fprintf(r.log, "asic campaign: episode %ld: setup: %s (%s)\n", e, lb_status_name(rc),
				twin.ctx ? lb_ctx_last_error(twin.ctx) : "");
			chip_close(&twin);
			chip_close(&dut);
			return rc;
		}
		st->episodes++;
		uint64_t t0 = lb_emu_world_now_ns(dut.w);
		for (r.step = 0; r.step < steps && step(&r, &twin, &dut, &rng); r.step++)
			;
		st->virtual_ns += lb_emu_world_now_ns(dut.w) - t0;
		chip_close(&twin);
		chip_close(&dut);
		if (o->episode >= 0 || st->faults >= o->faults)
			break;
	}
	return 0;
}

void lb_campaign_asic_print(FILE *f, const struct lb_campaign_asic_opts *o, const struct lb_campaign_stats *st)
{
	fprintf(f, "asic seed %" PRIu64 ": %" PRIu64 " episodes, %" PRIu64 " calls, %" PRIu64
		   " faults injected, %.3f s of virtual time\n",
		o->seed, st->episodes, st->calls, st->faults, (double)st->virtual_ns / 1e9);
	lb_campaign_print_counts(f, st, lb_campaign_asic_fault_name);
}
