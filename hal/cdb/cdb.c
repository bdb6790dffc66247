/* SPDX-License-Identifier: MIT */
/*
 * The CDB engine (lightbridge/cdb.h): the advertisement, the command block and its check code,
 * the trigger the module asks for, the bounded wait for CdbStatus, and the reply read back and
 * checked. CMIS 5.4 section 9; reference/cmis.md section 11.
 */
#include <stdio.h>
#include <string.h>
#include <lightbridge/cdb.h>
#include <lightbridge/ctx.h>
#include <lightbridge/module.h>
#include <lightbridge/status.h>
#include "hal/abi/sized.h"
#include "hal/cdb/cdb_internal.h"
#include "hal/cmis/control_regs.h"
#include "hal/cmis/flags.h"
#include "hal/cmis/module_internal.h"
#include "hal/core/wait.h"

#define MS 1000000ull

/* ---- the advertisement ---- */

uint32_t lb_cdb_max_busy_ms(uint8_t b165, uint8_t b166)
{
	if (b166 & 0x80) {
		unsigned x = b165 & 0x1Fu;
		return (x ? x : 1u) * 160u;
	}
	unsigned x = b166 & 0x7Fu;
	return x >= 80 ? 0 : 80u - x;
}

int lb_cdb_caps_of(struct lb_module *m, struct lb_cdb_caps *c)
{
	const struct lb_module_adv *a;
	int rc = lb_module_get_adv(m, &a);
	if (rc)
		return rc;
	memset(c, 0, sizeof(*c));
	c->size = sizeof(*c);
	if (a->flat || a->revision < 0x40)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP, "no CDB: %s",
				    a->flat ? "a flat-memory module has no page 9Fh"
					    : "CDB is CMIS 4.0 and later");
	uint8_t b163 = a->p01[163 - 128], b164 = a->p01[164 - 128];
	uint8_t b165 = a->p01[165 - 128], b166 = a->p01[166 - 128];
	static const unsigned epl_pages[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };
	unsigned inst = (b163 >> 6) & 3u;
	c->instances = inst == 3 ? 0 : inst;
	if (!c->instances)
		return lb_ctx_error(lb_module_ctx(m), LB_E_NOTSUP,
				    "no CDB: 01h:163 advertises no CDB instance");
	c->background = (b163 >> 5) & 1u;
	c->auto_paging = (b163 >> 4) & 1u;
	c->epl_pages = (b163 & 0x0Fu) < 8 ? epl_pages[b163 & 0x0Fu] : 0;
	c->max_write_9f = 8u * (1u + (b164 < 15 ? b164 : 15u));
	c->max_write_epl = 8u * (1u + b164) > 128 ? 128 : 8u * (1u + b164);
	c->trigger_any_write = (b165 >> 7) & 1u;
	c->max_busy_ms = lb_cdb_max_busy_ms(b165, b166);
	return LB_OK;
}

static int cdb_caps(struct lb_module *m, struct lb_cdb_caps *out)
{
	if (!m || lb_sized_check(out, LB_CDB_CAPS_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cdb_caps c;
	int rc = lb_cdb_caps_of(m, &c);
	if (rc)
		memset(&c, 0, sizeof(c));
	LB_SIZED_FILL(out, c);
	return rc;
}

LB_API int lb_module_cdb_caps(struct lb_module *m, struct lb_cdb_caps *out)
{
	return LB_MODULE_CALL(m, cdb_caps(m, out));
}

/* ---- the block ---- */

LB_API uint8_t lb_cdb_check_code(const uint8_t *block, size_t len)
{
	unsigned sum = 0;
	for (size_t i = 0; block && i < len; i++)
		if (i < 5 || i > 7) /* bytes 133-135 are not covered */
			sum += block[i];
	return (uint8_t)~sum;
}

LB_API const char *lb_cdb_status_name(uint8_t s)
{
	if (s & 0x80) {
		switch (s & 0x3F) {
		case 0x01: return "busy: captured, not yet processed";
		case 0x02: return "busy: checking";
		case 0x03: return "busy: executing";
		default: return (s & 0x3F) >= 0x30 ? "busy: vendor-specific" : "busy";
		}
	}
	if (s & 0x40) {
		switch (s & 0x3F) {
		case 0x00: return "failed: unspecified";
		case 0x01: return "failed: unknown command";
		case 0x02: return "failed: parameter out of range or not supported";
		case 0x03: return "failed: previous command not properly aborted";
		case 0x04: return "failed: command checking timed out";
		case 0x05: return "failed: CdbChkCode error";
		case 0x06: return "failed: password error";
		case 0x07: return "failed: not compatible with the operating state";
		case 0x20: return "failed: firmware load rejected";
		case 0x21: return "failed: invalid firmware load format";
		case 0x22: return "failed: invalid firmware load checksum";
		case 0x23: return "failed: firmware load authentication failed";
		case 0x24: return "failed: firmware load not suitable for this hardware";
		case 0x25: return "failed: firmware load not supported";
		case 0x26: return "failed: hitless activation not available";
		case 0x27: return "failed: activation with configuration preserved not available";
		case 0x28: return "failed: execution failed";
		case 0x29: return "failed: insufficient resources";
		default: return (s & 0x3F) >= 0x30 ? "failed: vendor-specific" : "failed";
		}
	}
	switch (s & 0x3F) {
	case 0x00: return "not started";
	case 0x01: return "success";
	case 0x03: return "success: previous command aborted";
	default: return (s & 0x3F) >= 0x30 ? "success: vendor-specific" : "success";
	}
}

/* ---- running a command ---- */

static int cdb_check(void *user)
{
	struct lb_cdb_exec *x = user;
	uint8_t s;
	uint64_t at = lb_bus_now_ns(lb_module_bus(x->m)) - x->t0;
	x->polls++;
	int rc = lb_module_read(x->m, 0, 0, LB_CDB_STATUS_BYTE, &s, 1);
	x->last_rc = rc;
	if (rc == LB_E_BUSY || rc == LB_E_NACK) {
		x->busy_ns = at;
		return LB_E_AGAIN; /* foreground: the module holds off while it works */
	}
	if (rc)
		return rc;
	x->status = s;
	/* 00h right after the trigger: not started yet (FBOSS counts it busy too). */
	if ((s & 0x80) || s == 0) {
		x->busy_ns = at;
		return LB_E_AGAIN;
	}
	x->done_ns = at;
	return LB_OK;
}

static void cdb_describe(void *user, char *buf, size_t len)
{
	const struct lb_cdb_exec *x = user;
	if (x->last_rc == LB_E_BUSY || x->last_rc == LB_E_NACK)
		snprintf(buf, len, "the module still NACKs");
	else
		snprintf(buf, len, "CdbStatus %02Xh: %s", x->status, lb_cdb_status_name(x->status));
}

/*
 * Write the EPL data to A0h... (whole pages, one range per page, in one plan). With auto
 * paging (01h:163.4) a page written through byte 255 leaves the module on the next one, and
 * the access layer knows it: one select for the whole EPL.
 */
static int write_epl(struct lb_module *m, const struct lb_cdb_cmd *c)
{
	struct lb_mem_write w[16];
	unsigned n = 0;
	for (size_t off = 0; off < c->epl_len; off += 128, n++) {
		size_t len = c->epl_len - off < 128 ? c->epl_len - off : 128;
		w[n] = (struct lb_mem_write){ .bank = 0, .page = (uint8_t)(0xA0 + n), .offset = 128,
					      .len = (uint16_t)len, .buf = c->epl + off };
	}
	return n ? lb_module_write_plan(m, w, n, 0) : LB_OK;
}

static int read_reply(struct lb_module *m, uint16_t id, struct lb_cdb_reply *r)
{
	uint8_t hdr[2];
	int rc = lb_module_read(m, 0, LB_CDB_PAGE, 134, hdr, 2);
	if (rc)
		return rc;
	if (hdr[0] > 120) /* EPL replies (240-255) are read by the commands that expect them */
		return lb_ctx_error(lb_module_ctx(m), LB_E_RANGE,
				    "CDB command %04Xh: reply length %u is not an LPL reply", id, hdr[0]);
	r->len = hdr[0];
	if (!r->len)
		return LB_OK;
	if ((rc = lb_module_read(m, 0, LB_CDB_PAGE, 136, r->data, r->len)))
		return rc;
	unsigned sum = 0;
	for (unsigned i = 0; i < r->len; i++)
		sum += r->data[i];
	if ((uint8_t)~sum != hdr[1])
		return lb_ctx_error(lb_module_ctx(m), LB_E_CHECKSUM,
				    "CDB command %04Xh: reply check code %02Xh, its %u bytes sum to %02Xh",
				    id, hdr[1], r->len, (uint8_t)~sum);
	return LB_OK;
}

/* The command is over (done, failed, abandoned): what it held goes back. */
static void exec_end(struct lb_cdb_exec *x)
{
	if (x->running)
		lb_module_expect_busy(x->m, 0);
	x->running = false;
	lb_flag_consumer_free(x->flags);
	x->flags = NULL;
	if (x->claimed)
		lb_module_release(x->m);
	x->claimed = false;
}

bool lb_cdb_exec_flagged(struct lb_cdb_exec *x)
{
	if (!x->flag_seen && x->flags) {
		struct lb_flag_bytes v;
		lb_flags_take(x->m, x->flags, 0, false, &v);
		x->flag_seen = (v.low[0] & LB_MODFLAG_CDB1_COMPLETE) != 0;
	}
	return x->flag_seen;
}

static int exec_start(struct lb_cdb_exec *x, struct lb_module *m, const struct lb_cdb_cmd *c);

/*
 * Before a command: an earlier one may still run (a call that gave up on it, on a bus fault
 * or a cancel, or another host's): wait for it, polling at 1/64 of the module's max busy
 * time (tCDBB), at most that long; LB_E_BUSY with the status after. One read when idle.
 */
static int wait_idle(struct lb_module *m, const struct lb_cdb_caps *caps)
{
	struct lb_bus *bus = lb_module_bus(m);
	uint64_t bound = (uint64_t)(caps->max_busy_ms ? caps->max_busy_ms : 1000u) * 1000000ull;
	uint64_t step = bound / 64 > 1000000ull ? bound / 64 : 1000000ull, t0 = lb_bus_now_ns(bus);
	for (;;) {
		uint8_t s;
		int rc = lb_module_read(m, 0, 0, LB_CDB_STATUS_BYTE, &s, 1);
		if (rc)
			return rc;
		if (!(s & 0x80))
			return LB_OK;
		if (lb_bus_now_ns(bus) - t0 >= bound)
			return lb_ctx_error(lb_module_ctx(m), LB_E_BUSY,
					    "CDB busy with an earlier command for %u ms, its bound "
					    "(CdbStatus %02Xh: %s)", caps->max_busy_ms, s,
					    lb_cdb_status_name(s));
		lb_bus_sleep_ns(bus, step);
	}
}

int lb_cdb_exec_start(struct lb_cdb_exec *x, struct lb_module *m, const struct lb_cdb_cmd *c,
		      const struct lb_cdb_sched *sched)
{
	memset(x, 0, sizeof(*x));
	if (sched)
		x->sched = *sched;
	int rc = exec_start(x, m, c);
	if (rc)
		exec_end(x);
	return rc;
}

static int exec_start(struct lb_cdb_exec *x, struct lb_module *m, const struct lb_cdb_cmd *c)
{
	x->m = m;
	x->id = c->id;
	struct lb_ctx *ctx = lb_module_ctx(m);
	if ((c->lpl_len && !c->lpl) || (c->epl_len && !c->epl))
		return LB_E_INVAL;
	struct lb_cdb_caps caps;
	int rc = lb_cdb_caps_of(m, &caps);
	if (rc)
		return rc;
	if (c->lpl_len > 120)
		return lb_ctx_error(ctx, LB_E_RANGE, "CDB command %04Xh: LPL of %u bytes (120 at most)",
				    c->id, c->lpl_len);
	if (c->epl_len > caps.epl_pages * 128u)
		return lb_ctx_error(ctx, LB_E_RANGE,
				    "CDB command %04Xh: EPL of %u bytes, the module takes %u", c->id,
				    c->epl_len, caps.epl_pages * 128u);
	/*
	 * Foreground mode: the module answers nobody until it is done, so nobody else may try
	 * (the module's claim, unless the caller holds it already: LB_E_BUSY when another does).
	 */
	if (!caps.background && lb_module_claimed(m, NULL, 0) != LB_CLAIM_OWN) {
		if ((rc = lb_module_request(m, "CDB command in progress")))
			return rc;
		x->claimed = true;
	}
	/* The completion flag as anyone reads it from now on (nothing is taken from others). */
	if (lb_flag_consumer_create(m, &x->flags))
		x->flags = NULL; /* no memory: CdbStatus alone says when it is done */
	/* Nothing is written while the instance is busy (only Abort is taken then). */
	if (!x->sched.known_idle && c->id != LB_CDB_CMD_ABORT && (rc = wait_idle(m, &caps)))
		return rc;
	if ((rc = write_epl(m, c)))
		return rc;

	uint8_t block[8 + 120] = { (uint8_t)(c->id >> 8), (uint8_t)c->id, (uint8_t)(c->epl_len >> 8),
				   (uint8_t)c->epl_len, c->lpl_len };
	if (c->lpl_len)
		memcpy(block + 8, c->lpl, c->lpl_len);
	block[5] = lb_cdb_check_code(block, 8u + c->lpl_len);
	struct lb_mem_write w = { .bank = 0, .page = LB_CDB_PAGE, .offset = 128,
				  .len = (uint16_t)(8u + c->lpl_len), .buf = block, .head_last = 2 };
	x->t0 = lb_bus_now_ns(lb_module_bus(m));
	/*
	 * The module may NACK from the trigger on: until it has captured the command (tCDBC, 80
	 * ms) in background mode, until it is done in foreground mode (bounded by tCDBB).
	 */
	uint32_t bound_ms = c->timeout_ms ? c->timeout_ms : caps.max_busy_ms;
	/* the duration the module advertises for it: what the polls' rate follows */
	x->expect_ns = (uint64_t)(bound_ms ? bound_ms : LB_CDB_CAPTURE_MS) * MS;
	if (bound_ms < LB_CDB_CAPTURE_MS)
		bound_ms = LB_CDB_CAPTURE_MS;
	uint32_t hold_ms = caps.background ? LB_CDB_CAPTURE_MS : bound_ms;
	lb_module_expect_busy(m, x->t0 + hold_ms * MS);
	rc = lb_module_write_plan(m, &w, 1, caps.trigger_any_write ? LB_WRITE_WHOLE_IF_FITS : 0);
	if (rc) {
		lb_module_expect_busy(m, 0);
		return rc;
	}
	snprintf(x->what, sizeof(x->what), "CDB command %04Xh complete", c->id);
	x->cond = (struct lb_wait_cond){ .what = x->what, .check = cdb_check,
					 .describe = cdb_describe, .user = x };
	lb_cmis_wait_begin(m, &x->wait, (uint64_t)bound_ms * MS, 0);
	x->first_poll_at = x->sched.first_poll_ns ? x->t0 + x->sched.first_poll_ns : 0;
	x->running = true;
	return LB_OK;
}

/*
 * When the next poll is due, at the latest the wait's own time (wake): the caller's step, or
 * a rate that tracks the duration advertised for the command (its timeout_ms, else tCDBB),
 * never finer than a poll every 100 us nor coarser than 1/128 of the time waited.
 */
#define CDB_MIN_STEP_NS 100000u
#define CDB_MAX_STEP_NS 1000000u
static uint64_t next_poll(const struct lb_cdb_exec *x, uint64_t now, uint64_t wake)
{
	uint64_t step = x->sched.step_ns;
	if (!step) {
		step = x->expect_ns / 128u;
		if (step > CDB_MAX_STEP_NS)
			step = CDB_MAX_STEP_NS;
		uint64_t waited = (now - x->t0) / 128u;
		if (step < waited)
			step = waited;
	}
	if (step < CDB_MIN_STEP_NS)
		step = CDB_MIN_STEP_NS;
	return now + step < wake ? now + step : wake;
}

int lb_cdb_exec_step(struct lb_cdb_exec *x, struct lb_cdb_reply *r, uint64_t *wake_ns)
{
	struct lb_module *m = x->m;
	if (!x->running)
		return LB_E_STATE;
	uint64_t now = lb_bus_now_ns(lb_module_bus(m));
	if (x->first_poll_at > now && !lb_cdb_exec_flagged(x)) {
		/* the module's own time for this command, as the caller expects it: no poll yet */
		*wake_ns = x->first_poll_at;
		return LB_E_AGAIN;
	}
	x->first_poll_at = 0;
	uint64_t wake = 0;
	int rc = lb_wait_step(&x->wait, &x->cond, &wake);
	if (rc == LB_E_AGAIN) {
		*wake_ns = next_poll(x, lb_bus_now_ns(lb_module_bus(m)), wake);
		return rc;
	}
	lb_module_expect_busy(m, 0);
	x->running = false;
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->elapsed_ns = lb_bus_now_ns(lb_module_bus(m)) - x->t0;
	r->status = x->status;
	if (!rc && (x->status & 0x40))
		rc = lb_ctx_error(lb_module_ctx(m), LB_E_CDB, "CDB command %04Xh: CdbStatus %02Xh, %s",
				  x->id, x->status, lb_cdb_status_name(x->status));
	else if (!rc && !x->sched.no_reply)
		rc = read_reply(m, x->id, r);
	exec_end(x); /* the claim is kept until the reply is in */
	return rc;
}

void lb_cdb_exec_cancel(struct lb_cdb_exec *x)
{
	exec_end(x);
}

int lb_cdb_run(struct lb_module *m, const struct lb_cdb_cmd *c, struct lb_cdb_reply *r)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	struct lb_cdb_exec x;
	int rc = lb_cdb_exec_start(&x, m, c, NULL);
	if (rc)
		return rc;
	for (;;) {
		uint64_t wake = 0;
		rc = lb_cdb_exec_step(&x, r, &wake);
		if (rc != LB_E_AGAIN)
			return rc;
		uint64_t now = lb_bus_now_ns(lb_module_bus(m));
		if (wake > now)
			lb_bus_sleep_ns(lb_module_bus(m), wake - now);
	}
}

static int cdb_run(struct lb_module *m, const struct lb_cdb_cmd *in, struct lb_cdb_reply *out)
{
	if (!m || (out && lb_sized_check(out, LB_CDB_REPLY_SIZE_V1)))
		return LB_E_INVAL;
	struct lb_cdb_cmd c;
	if (LB_SIZED_READ(c, in, LB_CDB_CMD_SIZE_V1))
		return LB_E_INVAL;
	struct lb_cdb_reply r;
	int rc = lb_cdb_run(m, &c, &r);
	if (out)
		LB_SIZED_FILL(out, r);
	return rc;
}

LB_API int lb_module_cdb_run(struct lb_module *m, const struct lb_cdb_cmd *cmd,
			     struct lb_cdb_reply *reply)
{
	return LB_MODULE_CALL(m, cdb_run(m, cmd, reply));
}
